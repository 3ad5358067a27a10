//! The built-in examples import to the metrics and findings computed by
//! hand from their content (see `src/examples/plans.rs`).

use crate::util::*;
use csu_assess::examples::EXAMPLES;
use csu_assess::plan::{MetricValue, PlanType, Region, Severity};

fn example(slug: &str) -> csu_assess::plan::Plan {
    let e = csu_assess::examples::find(slug).expect("example");
    import(&e.workbook().expect("written"))
}

#[test]
fn strong_full_plan_metrics_match_hand_computation() {
    let p = example("northern-star-full");
    assert_eq!(p.cover.csu_name, "Northern Star CSU");
    assert_eq!(p.cover.plan_type, Some(PlanType::Full));
    assert_eq!(p.cover.region, Some(Region::NorthOfEngland));
    assert_eq!(p.cover.checkpoint, Some(3));
    assert_eq!(p.cover.submission_date, chrono::NaiveDate::from_ymd_opt(2012, 8, 31));
    for (name, value) in [
        ("ccg_count", 6.0),
        ("population", 1_000_000.0),
        ("committed_population_share", 0.84),
        ("signed_population_share", 0.64),
        ("sla_value_total", 9_900_000.0),
        ("price_per_head", 9.9),
        ("ccg_budget_per_head", 11.52),
        ("affordability_ratio", 9.9 / 11.52),
        ("largest_customer_share", 2.5 / 9.9),
        ("sla_income_gap", 0.0),
        ("min_surplus_margin", 0.4 / 11.1),
        ("years_in_deficit", 0.0),
        ("pay_cost_ratio", 7.0 / 10.7),
        ("scale_service_count", 4.0),
        ("partnered_service_share", 0.25),
        ("fte_total", 150.0),
        ("tupe_share", 130.0 / 150.0),
        ("vacancy_rate", 0.06),
        ("agency_rate", 0.02),
        ("leadership_appointed_share", 5.0 / 6.0),
        ("md_appointed", 1.0),
        ("risk_count", 10.0),
        ("high_risk_count", 2.0),
        ("unmitigated_high_risk_count", 0.0),
        ("narrative_sections_answered", 7.0),
    ] {
        assert_metric(&p, name, value);
    }
    assert_eq!(
        p.metrics.get("income_total"),
        Some(&MetricValue::PerYear(vec![
            Some(11_100_000.0),
            Some(11_400_000.0),
            Some(11_700_000.0),
            Some(12_000_000.0)
        ]))
    );
    assert_eq!(
        p.metrics.get("cost_total"),
        Some(&MetricValue::PerYear(vec![
            Some(10_700_000.0),
            Some(10_600_000.0),
            Some(10_600_000.0),
            Some(10_800_000.0)
        ]))
    );
    assert!(p.findings.is_empty(), "{:#?}", p.findings);
}

#[test]
fn outline_plan_written_the_busy_way_reads_the_same_figures() {
    let p = example("midlands-shared-outline");
    assert_eq!(p.cover.plan_type, Some(PlanType::Outline));
    assert_eq!(p.cover.checkpoint, Some(2));
    assert_eq!(p.cover.submission_date, chrono::NaiveDate::from_ymd_opt(2012, 3, 30));
    for (name, value) in [
        ("population", 1_000_000.0),
        ("sla_value_total", 9_100_000.0),
        ("ccg_budget_per_head", 10.55),
        ("affordability_ratio", 9.1 / 10.55),
        ("committed_population_share", 0.72),
        ("signed_population_share", 0.42),
        ("min_surplus_margin", -0.1 / 9.7),
        ("years_in_deficit", 1.0),
        ("pay_cost_ratio", 6.6 / 9.8),
        ("scale_service_count", 3.0),
        ("partnered_service_share", 0.6),
        ("narrative_sections_answered", 4.0),
    ] {
        assert_metric(&p, name, value);
    }
    assert_eq!(p.finance.years, ["2013/14", "2014/15"]);
    assert!(findings(&p, Severity::Error).is_empty(), "{:#?}", p.findings);
    finding_at(&p, "2. Customers!E5", "read as Shadow SLA");
    finding_at(&p, "2. Customers!E10", "read as Signed SLA");
}

#[test]
fn weak_plan_reads_and_says_what_is_wrong() {
    let p = example("capital-commissioning-full");
    for (name, value) in [
        ("population", 1_100_000.0),
        ("sla_value_total", 14_200_000.0),
        ("affordability_ratio", (14.2 / 1.1) / (11.82 / 1.1)),
        ("committed_population_share", 0.56 / 1.1),
        ("largest_customer_share", 6.4 / 14.2),
        ("sla_income_gap", (12.5 - 14.2) / 14.2),
        ("min_surplus_margin", (11.3 - 13.1) / 11.3),
        ("years_in_deficit", 4.0),
        ("tupe_share", 92.0 / 138.0),
        ("vacancy_rate", 21.0 / 138.0),
        ("agency_rate", 17.0 / 138.0),
        ("leadership_appointed_share", 0.25),
        ("md_appointed", 0.0),
        ("high_risk_count", 3.0),
        ("unmitigated_high_risk_count", 3.0),
        ("narrative_sections_answered", 4.0),
        ("scale_service_count", 1.0),
    ] {
        assert_metric(&p, name, value);
    }
    finding_at(&p, "Customers!D6", "#REF!");
    finding_at(&p, "Narrative", "Risk management");
    finding_at(&p, "Services!D2", "names none");
}

#[test]
fn examples_are_byte_for_byte_stable() {
    for e in EXAMPLES {
        assert_eq!(e.workbook().expect("first"), e.workbook().expect("second"), "{}", e.slug);
    }
}

#[test]
fn template_loads_as_an_empty_plan_with_findings_and_has_dropdowns() {
    let bytes = csu_assess::examples::template().expect("template");
    let p = csu_assess::plan::import_bytes("template.xlsx", &bytes).expect("a template is a workbook with a Cover");
    assert_eq!(p.cover.csu_name, "");
    finding_at(&p, "Cover!B4", "CSU name is blank");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet2.xml").expect("customers"), &mut sheet)
        .expect("read");
    assert!(sheet.contains("<dataValidation"), "Customers has a drop-down");
    assert!(sheet.contains("Signed SLA"), "the Agreement drop-down lists the choices");
}
