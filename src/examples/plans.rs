//! The content of the built-in example plans.
//!
//! Figures are chosen so the metrics are easy to check by hand (the strong
//! plan's CCGs have exactly 1,000,000 people and budget £11.52 a head on
//! average, the seeds' national figure); the tests in `tests/` hold those
//! hand-computed values.

use super::layout::*;
use super::writer::Cell;

fn customer(ccg: &str, population: f64, budget: f64, share: f64, agreement: &str, sla: f64, brk: f64) -> CustomerLine {
    CustomerLine {
        ccg: ccg.into(),
        population,
        budget_per_head: budget,
        share,
        agreement: agreement.into(),
        sla_value: Cell::Number(sla),
        break_months: Some(brk),
    }
}

fn service(name: &str, category: &str, delivery: &str, partner: &str, fte: f64, price: f64) -> ServiceLine {
    ServiceLine {
        service: name.into(),
        category: category.into(),
        delivery: delivery.into(),
        partner: partner.into(),
        fte,
        price,
    }
}

fn staff(
    function: &str,
    band: &str,
    headcount: f64,
    fte: f64,
    tupe: f64,
    vacancies: f64,
    agency: f64,
) -> WorkforceLine {
    WorkforceLine { function: function.into(), band: band.into(), headcount, fte, tupe, vacancies, agency }
}

fn leader(role: &str, name: &str, status: &str, start: Option<(u16, u8, u8)>, background: &str) -> LeaderLine {
    LeaderLine { role: role.into(), name: name.into(), status: status.into(), start, background: background.into() }
}

fn risk(text: &str, category: &str, likelihood: f64, impact: f64, mitigation: &str, owner: &str) -> RiskLine {
    RiskLine {
        risk: text.into(),
        category: category.into(),
        likelihood,
        impact,
        mitigation: mitigation.into(),
        owner: owner.into(),
    }
}

fn lines(rows: &[(&str, &[f64])]) -> Vec<(String, Vec<f64>)> {
    rows.iter().map(|(l, v)| (l.to_string(), v.to_vec())).collect()
}

/// Several paragraphs of a plan's narrative, built from the points a CSU
/// would make, so the reader and letters meet text of realistic length.
fn answer(points: &[&str]) -> String {
    points
        .iter()
        .map(|p| {
            format!(
                "{p} We have tested this with our CCG customers through the shadow year and it is reflected in the \
                 service specifications, the financial model and the development plan that accompany this submission."
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A strong full plan at checkpoint 3: committed customers, affordable,
/// in surplus, leaders appointed, all four scale services.
pub fn northern_star() -> PlanContent {
    PlanContent {
        csu_name: "Northern Star CSU".into(),
        host_cluster: "North East PCT Cluster".into(),
        region: "North of England".into(),
        managing_director: "Helen Armitage".into(),
        contact_email: "helen.armitage@northernstar.csu.nhs.uk".into(),
        plan_type: "Full".into(),
        checkpoint: Some(3),
        submission_date: Some((2012, 8, 31)),
        plan_version: "3.1".into(),
        customers: vec![
            customer("Northdale CCG", 250_000.0, 12.0, 0.9, "Signed SLA", 2_500_000.0, 24.0),
            customer("Riverside CCG", 180_000.0, 11.5, 0.85, "Signed SLA", 1_800_000.0, 24.0),
            customer("Fellside CCG", 120_000.0, 10.0, 0.8, "Signed SLA", 1_150_000.0, 36.0),
            customer("Coastal Towns CCG", 200_000.0, 12.5, 0.9, "Shadow SLA", 2_100_000.0, 24.0),
            customer("Moorland CCG", 90_000.0, 11.0, 0.75, "Signed SLA", 850_000.0, 24.0),
            customer("Eastbridge CCG", 160_000.0, 11.0, 0.8, "Heads of terms", 1_500_000.0, 12.0),
        ],
        services: vec![
            service(
                "Business intelligence and data warehouse",
                "Business intelligence",
                "In-house",
                "",
                32.0,
                2_400_000.0,
            ),
            service(
                "Risk stratification",
                "Business intelligence",
                "Partner",
                "Northern Health Analytics Ltd",
                6.0,
                450_000.0,
            ),
            service(
                "Acute and community contract procurement",
                "Healthcare procurement",
                "In-house",
                "",
                18.0,
                1_500_000.0,
            ),
            service("Finance, HR and IT support", "Business support", "In-house", "", 40.0, 2_600_000.0),
            service(
                "Communications and patient engagement",
                "Communications and engagement",
                "Partner",
                "Tyne Voluntary Action",
                9.0,
                700_000.0,
            ),
            service("Contract management", "Local", "In-house", "", 20.0, 1_300_000.0),
            service("Medicines management", "Local", "In-house", "", 12.0, 900_000.0),
            service("Individual funding requests", "Local", "In-house", "", 5.0, 350_000.0),
        ],
        first_year: 2013,
        finance: lines(&[
            ("Income - CCG SLAs", &[9_900_000.0, 10_100_000.0, 10_300_000.0, 10_500_000.0]),
            ("Income - other", &[1_200_000.0, 1_300_000.0, 1_400_000.0, 1_500_000.0]),
            ("Pay costs", &[7_000_000.0, 7_000_000.0, 7_100_000.0, 7_200_000.0]),
            ("Non-pay costs", &[1_500_000.0, 1_550_000.0, 1_600_000.0, 1_650_000.0]),
            ("Overheads", &[1_800_000.0, 1_850_000.0, 1_900_000.0, 1_950_000.0]),
            ("Transition costs", &[400_000.0, 200_000.0, 0.0, 0.0]),
        ]),
        workforce: vec![
            staff("Business intelligence", "Band 6", 40.0, 38.0, 34.0, 3.0, 1.0),
            staff("Procurement", "Band 7", 20.0, 18.0, 16.0, 1.0, 0.0),
            staff("Business support", "Band 5", 45.0, 42.0, 38.0, 2.0, 1.0),
            staff("Communications", "Band 6", 10.0, 9.0, 7.0, 1.0, 0.0),
            staff("Contracting and medicines", "Band 7", 45.0, 43.0, 35.0, 2.0, 1.0),
        ],
        leadership: vec![
            leader("Managing director", "Helen Armitage", "Appointed", Some((2012, 4, 2)), "NHS"),
            leader("Director of finance", "Rajesh Patel", "Appointed", Some((2012, 5, 1)), "Mixed"),
            leader(
                "Director of business intelligence",
                "Clare O'Donnell",
                "Appointed",
                Some((2012, 5, 14)),
                "Commercial",
            ),
            leader("Director of procurement", "Tom Hegarty", "Appointed", Some((2012, 6, 1)), "NHS"),
            leader("Director of customer relations", "Aoife Byrne", "Appointed", Some((2012, 6, 18)), "Mixed"),
            leader("Director of workforce", "Simon Clarke", "Interim", Some((2012, 7, 2)), "NHS"),
        ],
        risks: vec![
            risk(
                "CCGs exercise 24-month break clauses in 2014",
                "Commissioning",
                3.0,
                5.0,
                "Account managers for each CCG; quarterly satisfaction review",
                "Director of customer relations",
            ),
            risk(
                "Pay costs exceed plan after TUPE matching",
                "Financial",
                4.0,
                4.0,
                "Vacancy control and a 3% efficiency plan agreed with the cluster",
                "Director of finance",
            ),
            risk(
                "Data warehouse migration is late",
                "Service",
                2.0,
                4.0,
                "Phased migration with the partner; fallback to cluster systems",
                "Director of business intelligence",
            ),
            risk(
                "Loss of key analysts to CCGs",
                "Workforce",
                3.0,
                3.0,
                "Retention scheme and development programme",
                "Director of workforce",
            ),
            risk(
                "Governance not ready for arm's-length hosting",
                "Governance",
                2.0,
                3.0,
                "Shadow board in place since April",
                "Managing director",
            ),
            risk(
                "Procurement challenge from a provider",
                "Service",
                2.0,
                3.0,
                "Legal review of every tender",
                "Director of procurement",
            ),
            risk(
                "IT contract novation delays",
                "Service",
                2.0,
                2.0,
                "Contract schedule agreed with the supplier",
                "Director of finance",
            ),
            risk(
                "Transition costs exceed budget",
                "Financial",
                2.0,
                3.0,
                "Monthly transition board review",
                "Director of finance",
            ),
            risk(
                "CCG budgets reduce in 2014/15",
                "Financial",
                3.0,
                3.0,
                "Price review clause in SLAs",
                "Managing director",
            ),
            risk(
                "Communications partner capacity",
                "Service",
                2.0,
                2.0,
                "Framework call-off with a second partner",
                "Director of customer relations",
            ),
        ],
        narrative: vec![
            (
                "Customer focus".into(),
                answer(&[
                    "All six CCGs in the North East cluster have been involved in designing our offer since the prospectus review.",
                    "Five have signed service level agreements and the sixth has agreed heads of terms, covering 84% of the population served.",
                    "Each CCG has a named account director and a monthly performance review against agreed key performance indicators.",
                ]),
            ),
            (
                "Governance and arm's-length arrangements".into(),
                answer(&[
                    "A shadow board with two independent non-executive members has met monthly since April 2012.",
                    "Our scheme of delegation separates the CSU from the cluster's statutory functions, ready for hosting by the NHS Commissioning Board.",
                ]),
            ),
            (
                "Service offer and scale services".into(),
                answer(&[
                    "We offer all four national scale services and a local offer of contract management, medicines management and individual funding requests.",
                    "Risk stratification is delivered with a commercial partner, and engagement with a voluntary-sector partner.",
                ]),
            ),
            (
                "Financial viability".into(),
                answer(&[
                    "Our price of £9.90 a head is below the £11.52 our CCGs have set aside on average.",
                    "The plan is in surplus in every year, after transition costs of £600,000 over two years.",
                ]),
            ),
            (
                "Workforce and organisational development".into(),
                answer(&[
                    "130 of our 150 FTE transfer from the cluster's PCTs under TUPE; vacancies are 6% and agency use 2%.",
                    "Our leadership team combines NHS and commercial backgrounds.",
                ]),
            ),
            (
                "Risk management".into(),
                answer(&[
                    "The risk register is reviewed monthly by the shadow board; both high risks have mitigations with named owners.",
                ]),
            ),
            (
                "Partnerships and market development".into(),
                answer(&[
                    "We broker partners from the independent and voluntary sectors and will tender for new partners each year.",
                ]),
            ),
        ],
    }
}

/// An outline plan at checkpoint 2, written the way a busy CSU writes one:
/// numbered sheets, instructions above the tables, money as text, slips in
/// the drop-down values, a total row and blank rows.
pub fn midlands_shared() -> PlanContent {
    let mut c = PlanContent {
        csu_name: "Midlands Shared Services CSU".into(),
        host_cluster: "Arden and Mercia PCT Cluster".into(),
        region: "Midlands and East".into(),
        managing_director: "David Okafor".into(),
        contact_email: "d.okafor@midlandsshared.nhs.uk".into(),
        plan_type: "Outline".into(),
        checkpoint: Some(2),
        submission_date: Some((2012, 3, 30)),
        plan_version: "1.0 draft".into(),
        customers: vec![
            customer("Arden North CCG", 300_000.0, 11.0, 0.6, "Shadow", 2_700_000.0, 12.0),
            customer("Mercia Vale CCG", 220_000.0, 9.5, 0.5, "signed sla", 1_900_000.0, 24.0),
            customer("Kingsbury CCG", 150_000.0, 10.0, 0.7, "Heads of terms", 1_400_000.0, 12.0),
            customer("Tamworth and Lichfield CCG", 130_000.0, 12.0, 0.55, "None", 1_100_000.0, 12.0),
            customer("Severn Meadows CCG", 200_000.0, 10.5, 0.65, "SLA (signed)", 2_000_000.0, 24.0),
        ],
        services: vec![
            service("Information and analytics", "Business intelligence", "In house", "", 25.0, 1_800_000.0),
            service("Contracting support", "Local", "inhouse", "", 22.0, 1_500_000.0),
            service(
                "HR and payroll",
                "Business support",
                "Subcontract",
                "Midlands Shared Payroll Ltd",
                10.0,
                900_000.0,
            ),
            service("Estates advice", "Local", "Partner", "Arden County Council", 3.0, 250_000.0),
        ],
        first_year: 2013,
        finance: lines(&[
            ("Income - CCG SLAs", &[9_100_000.0, 9_300_000.0]),
            ("Income - other", &[600_000.0, 650_000.0]),
            ("Pay costs", &[6_600_000.0, 6_500_000.0]),
            ("Non-pay costs", &[1_300_000.0, 1_300_000.0]),
            ("Overheads", &[1_400_000.0, 1_400_000.0]),
            ("Transition costs", &[500_000.0, 300_000.0]),
        ]),
        narrative: vec![
            (
                "Customer focus".into(),
                answer(&[
                    "Five CCGs have taken part in our design workshops; two have signed SLAs and one has agreed heads of terms.",
                ]),
            ),
            (
                "Governance and arm's-length arrangements".into(),
                answer(&["An interim management board will be in place by June 2012."]),
            ),
            (
                "Service offer and scale services".into(),
                answer(&[
                    "We offer business intelligence and business support at scale, with a local contracting offer.",
                ]),
            ),
            (
                "Financial viability".into(),
                answer(&["The plan shows a small deficit in 2013/14 that is recovered in 2014/15."]),
            ),
        ],
        ..PlanContent::default()
    };
    c.services.push(service("Engagement support", "Comms", "Partner", "Community Voice Midlands", 4.0, 300_000.0));
    c
}

/// A weak full plan at checkpoint 3: dearer than its CCGs can pay, in
/// deficit, no managing director, high risks without mitigation, sections
/// unanswered, and a broken formula.
pub fn capital_commissioning() -> PlanContent {
    let mut customers = vec![
        customer("Thameside CCG", 320_000.0, 10.0, 0.4, "Signed SLA", 6_400_000.0, 12.0),
        customer("Westbourne CCG", 240_000.0, 11.0, 0.3, "Heads of terms", 2_800_000.0, 6.0),
        customer("Lea Valley CCG", 200_000.0, 11.5, 0.25, "None", 2_600_000.0, 6.0),
        customer("Southwark Reach CCG", 240_000.0, 10.75, 0.2, "Shadow SLA", 2_400_000.0, 6.0),
    ];
    customers.push(CustomerLine {
        ccg: "Kingsgate CCG".into(),
        population: 100_000.0,
        budget_per_head: 11.0,
        share: 0.1,
        agreement: "None".into(),
        sla_value: Cell::Formula("VLOOKUP(A9,Prices!A:B,2,FALSE)".into(), "#REF!".into()),
        break_months: Some(3.0),
    });
    PlanContent {
        csu_name: "Capital Commissioning Support".into(),
        host_cluster: "Inner London PCT Cluster".into(),
        region: "London".into(),
        managing_director: String::new(),
        contact_email: "enquiries@capitalcs.nhs.uk".into(),
        plan_type: "Full".into(),
        checkpoint: Some(3),
        submission_date: Some((2012, 9, 7)),
        plan_version: "2".into(),
        customers,
        services: vec![
            service("Commissioning support (all functions)", "Local", "In-house", "", 120.0, 9_800_000.0),
            service("Business intelligence", "Business intelligence", "Subcontract", "", 15.0, 2_100_000.0),
            service("Stakeholder events", "Events", "In-house", "", 3.0, 300_000.0),
        ],
        first_year: 2013,
        finance: lines(&[
            ("Income - CCG SLAs", &[12_500_000.0, 11_000_000.0, 10_500_000.0, 10_000_000.0]),
            ("Income - other", &[300_000.0, 300_000.0, 300_000.0, 300_000.0]),
            ("Pay costs", &[9_800_000.0, 9_500_000.0, 8_600_000.0, 8_200_000.0]),
            ("Non-pay costs", &[1_700_000.0, 1_600_000.0, 1_400_000.0, 1_300_000.0]),
            ("Overheads", &[1_500_000.0, 1_400_000.0, 1_300_000.0, 1_200_000.0]),
            ("Transition costs", &[900_000.0, 600_000.0, 0.0, 0.0]),
        ]),
        workforce: vec![
            staff("Commissioning support", "Band 6", 130.0, 120.0, 80.0, 18.0, 14.0),
            staff("Business intelligence", "Band 6", 18.0, 15.0, 9.0, 3.0, 3.0),
            staff("Events", "Band 4", 3.0, 3.0, 3.0, 0.0, 0.0),
        ],
        leadership: vec![
            leader("Managing director", "", "Vacant", None, ""),
            leader("Director of finance", "Mark Ellison", "Interim", Some((2012, 7, 1)), "Commercial"),
            leader("Director of operations", "Priya Nair", "Appointed", Some((2012, 5, 1)), "NHS"),
            leader("Director of business intelligence", "", "Vacant", None, ""),
        ],
        risks: vec![
            risk("CCGs leave at six-month break clauses", "Commissioning", 5.0, 5.0, "", "Director of operations"),
            risk("Deficit in 2013/14 and 2014/15 not funded", "Financial", 4.0, 5.0, "", "Director of finance"),
            risk("No managing director appointed", "Governance", 4.0, 4.0, "", "Cluster chief executive"),
            risk(
                "Agency dependence in commissioning support",
                "Workforce",
                3.0,
                3.0,
                "Recruitment campaign",
                "Director of operations",
            ),
        ],
        narrative: vec![
            ("Customer focus".into(), answer(&["We are in discussion with our five CCGs; one has signed an SLA."])),
            ("Governance and arm's-length arrangements".into(), String::new()),
            (
                "Service offer and scale services".into(),
                answer(&["We provide a full local commissioning support service and business intelligence."]),
            ),
            ("Financial viability".into(), answer(&["Deficits in the first two years will be met by the cluster."])),
            (
                "Workforce and organisational development".into(),
                answer(&["Most staff transfer from the PCTs; we rely on agency staff in the short term."]),
            ),
        ],
    }
}

/// The calibration plan: a middling full plan the BDU has scored and agreed
/// (`criteria/calibration.toml`), for an assessor to score before live
/// work and see where they differ. Northern Star's shape, with half its
/// CCGs still on heads of terms and its vacancies unfilled.
pub fn westbrook_calibration() -> PlanContent {
    let mut c = northern_star();
    c.csu_name = "Westbrook CSU".into();
    c.host_cluster = "Westbrook PCT Cluster".into();
    c.region = "Midlands and East".into();
    c.managing_director = "Samuel Okafor".into();
    c.contact_email = "samuel.okafor@westbrook.csu.nhs.uk".into();
    for (i, customer) in c.customers.iter_mut().enumerate() {
        customer.ccg = format!("{} (Westbrook)", customer.ccg.trim_end_matches(" CCG"));
        if i % 2 == 1 {
            customer.agreement = "Heads of terms".into();
        }
    }
    for line in &mut c.workforce {
        line.vacancies = (line.fte * 0.12).round();
        line.agency = (line.fte * 0.08).round();
    }
    c
}
