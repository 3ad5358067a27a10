//! Every variation of "Values as they arrive" and of sheet layout in the
//! plan workbook spec: the same content written differently imports to the
//! same metrics, and what cannot be read is a finding at its cell.

use crate::util::*;
use csu_assess::examples::{self, Cell, DateStyle, PlanContent, Quirks, ShareStyle, SheetLayout};
use csu_assess::plan::{self, Agreement, Delivery, Plan, Severity};

fn tidy() -> Quirks {
    Quirks::default()
}

/// Writes content after letting `edit` change the laid-out sheets.
fn import_edited(content: &PlanContent, quirks: &Quirks, edit: impl FnOnce(&mut Vec<SheetLayout>)) -> Plan {
    import(&write_edited(content, quirks, edit))
}

fn write_edited(content: &PlanContent, quirks: &Quirks, edit: impl FnOnce(&mut Vec<SheetLayout>)) -> Vec<u8> {
    let mut sheets = examples::lay_out(content, quirks);
    edit(&mut sheets);
    examples::write_workbook(&sheets).expect("written")
}

fn sheet<'s>(sheets: &'s mut [SheetLayout], name: &str) -> &'s mut SheetLayout {
    sheets.iter_mut().find(|s| s.name.ends_with(name)).expect("sheet exists")
}

#[test]
fn each_layout_quirk_alone_and_all_together_give_the_same_metrics() {
    let content = strong();
    let base = import_content(&content, &tidy());
    let variations: Vec<(&str, Quirks)> = vec![
        ("numbered sheet names", Quirks { numbered_sheets: true, ..tidy() }),
        ("title and guidance above headers", Quirks { preamble: true, ..tidy() }),
        ("money as text", Quirks { money_as_text: true, ..tidy() }),
        ("shares as plain numbers", Quirks { shares: ShareStyle::Number, ..tidy() }),
        ("shares as text with %", Quirks { shares: ShareStyle::Text, ..tidy() }),
        ("dates as serial numbers", Quirks { dates: DateStyle::Serial, ..tidy() }),
        ("dates as day-first text", Quirks { dates: DateStyle::Text, ..tidy() }),
        ("total rows", Quirks { total_rows: true, ..tidy() }),
        ("blank rows between data", Quirks { blank_rows: true, ..tidy() }),
        ("columns reordered", Quirks { reordered_columns: true, ..tidy() }),
        ("merged category cells", Quirks { merged_categories: true, ..tidy() }),
        ("hidden row", Quirks { hidden_row: true, ..tidy() }),
        ("FY years", Quirks { fy_years: true, ..tidy() }),
        ("surplus line", Quirks { surplus_line: true, ..tidy() }),
        ("drop-downs", Quirks { dropdowns: true, ..tidy() }),
        (
            "everything at once",
            Quirks {
                numbered_sheets: true,
                preamble: true,
                money_as_text: true,
                shares: ShareStyle::Text,
                dates: DateStyle::Serial,
                total_rows: true,
                blank_rows: true,
                reordered_columns: true,
                merged_categories: true,
                hidden_row: true,
                fy_years: true,
                surplus_line: true,
                dropdowns: true,
            },
        ),
    ];
    for (what, quirks) in variations {
        let p = import_content(&content, &quirks);
        assert_eq!(p.metrics, base.metrics, "{what}: metrics differ");
        assert_eq!(p.cover.submission_date, base.cover.submission_date, "{what}: date differs");
        let shares: Vec<_> = p.customers.iter().map(|c| c.share_from_csu.map(|s| (s * 1e6).round())).collect();
        let base_shares: Vec<_> = base.customers.iter().map(|c| c.share_from_csu.map(|s| (s * 1e6).round())).collect();
        assert_eq!(shares, base_shares, "{what}: shares differ");
        assert!(p.findings.is_empty(), "{what}: {:#?}", p.findings);
    }
}

#[test]
fn slips_in_drop_down_values_are_read_with_a_note() {
    let mut content = strong();
    content.customers[0].agreement = "signed sla".into();
    content.customers[1].agreement = "SLA (signed)".into();
    content.customers[3].agreement = "Shadow".into();
    content.services[0].delivery = "inhouse".into();
    content.services[2].delivery = "In house".into();
    content.leadership[1].status = "appointed ".into();
    let p = import_content(&content, &tidy());
    assert_eq!(p.metrics, import_content(&strong(), &tidy()).metrics);
    assert_eq!(p.customers[1].agreement, Some(Agreement::SignedSla));
    assert_eq!(p.services[2].delivery, Some(Delivery::InHouse));
    finding_at(&p, "Customers!E3", "\"SLA (signed)\" read as Signed SLA");
    finding_at(&p, "Customers!E5", "\"Shadow\" read as Shadow SLA");
    assert!(
        !p.findings.iter().any(|f| f.location() == "Customers!E2"),
        "a difference of case alone is no slip: {:#?}",
        p.findings
    );
}

#[test]
fn values_that_cannot_be_read_are_findings_at_their_cell() {
    let mut content = strong();
    content.customers[0].agreement = "Maybe".into();
    let written = write_edited(&content, &tidy(), |sheets| {
        let customers = sheet(sheets, "Customers");
        customers.rows[1][5] = Cell::Text("(1,200)".into());
        customers.rows[2][1] = Cell::Text("lots".into());
        customers.rows[3][5] = Cell::Formula("B5*10".into(), "0".into());
        customers.rows[4][5] = Cell::Formula("1/0".into(), "#DIV/0!".into());
        customers.rows[5][2] = Cell::Text("n/a".into());
    });
    // A formula saved with no result, as workbooks written by code arrive.
    let p = import(&patch_part(&written, "xl/worksheets/sheet2.xml", |xml| {
        assert!(xml.contains("<f>B5*10</f><v>0</v>"), "the formula cell is where the test expects");
        xml.replace("<f>B5*10</f><v>0</v>", "<f>B5*10</f>")
    }));
    let maybe =
        finding_at(&p, "Customers!E2", "\"Maybe\" is not one of None, Heads of terms, Shadow SLA or Signed SLA");
    assert_eq!(maybe.value.as_deref(), Some("Maybe"), "the cell as the plan has it, for the window to show");
    finding_at(&p, "Customers!F3", "negative amount");
    let lots = finding_at(&p, "Customers!B4", "\"lots\", which is not a whole number");
    assert_eq!(lots.value.as_deref(), Some("lots"));
    assert_eq!(finding_at(&p, "Customers!F5", "no saved result").value.as_deref(), Some("=B5*10"));
    finding_at(&p, "Customers!B4", "has no registered population");
    finding_at(&p, "Customers!F5", "no saved result");
    finding_at(&p, "Customers!F6", "#DIV/0!");
    assert!(!p.findings.iter().any(|f| f.location() == "Customers!C7"), "n/a is a deliberate blank, not a finding");
    assert_eq!(p.customers[5].budget_per_head, None);
    assert_eq!(p.customers.len(), 6, "rows with findings still count");
}

#[test]
fn numbers_written_as_text_in_every_form() {
    let p = import_edited(&strong(), &tidy(), |sheets| {
        let customers = sheet(sheets, "Customers");
        customers.rows[0][5] = Cell::Text("£2,500,000".into());
        customers.rows[1][5] = Cell::Text("1.8m".into());
        customers.rows[2][5] = Cell::Text(" 1150000 ".into());
        customers.rows[3][1] = Cell::Text("200,000".into());
        customers.rows[4][2] = Cell::Text("£11.00".into());
    });
    assert_eq!(p.metrics, import_content(&strong(), &tidy()).metrics);
    assert!(p.findings.is_empty(), "{:#?}", p.findings);
}

#[test]
fn percentages_in_a_column_are_read_as_the_column_writes_them() {
    let shares = |cells: [Cell; 3]| {
        let p = import_edited(&strong(), &tidy(), |sheets| {
            let customers = sheet(sheets, "Customers");
            for (i, c) in cells.into_iter().enumerate() {
                customers.rows[i][3] = c;
            }
            for row in customers.rows.iter_mut().skip(3) {
                row[3] = Cell::Blank;
            }
        });
        p.customers.iter().take(3).map(|c| c.share_from_csu.map(|s| (s * 1000.0).round() / 1000.0)).collect::<Vec<_>>()
    };
    let expected = vec![Some(0.45), Some(0.9), Some(0.05)];
    assert_eq!(shares([Cell::Percent(0.45), Cell::Percent(0.9), Cell::Percent(0.05)]), expected);
    assert_eq!(shares([Cell::Number(45.0), Cell::Number(90.0), Cell::Number(5.0)]), expected);
    assert_eq!(shares([Cell::Text("45%".into()), Cell::Text("90%".into()), Cell::Text("5%".into())]), expected);
    assert_eq!(shares([Cell::Text("45%".into()), Cell::Number(90.0), Cell::Number(0.05 * 100.0)]), expected);
}

#[test]
fn a_total_row_is_checked_not_counted() {
    let p = import_edited(&strong(), &Quirks { total_rows: true, ..tidy() }, |sheets| {
        let customers = sheet(sheets, "Customers");
        let total = customers.rows.last_mut().expect("total row");
        total[1] = Cell::Number(999_999.0);
    });
    assert_metric(&p, "population", 1_000_000.0);
    assert_metric(&p, "ccg_count", 6.0);
    finding_at(&p, "Customers!B8", "the total registered population is 999,999 but the rows above add up to 1,000,000");
}

#[test]
fn a_stated_surplus_is_checked_against_the_lines() {
    let p = import_edited(&strong(), &Quirks { surplus_line: true, ..tidy() }, |sheets| {
        let finance = sheet(sheets, "Finance");
        let surplus = finance.rows.last_mut().expect("surplus row");
        surplus[2] = Cell::Number(900_000.0);
    });
    finding_at(&p, "Finance!C8", "the surplus for 2014/15 is stated as £900,000 but income less costs is £800,000");
}

/// Rewrites one part of an xlsx, for cases no writer produces directly.
fn patch_part(bytes: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name == part {
            data = edit(String::from_utf8(data).expect("utf8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn serial_dates_follow_the_workbooks_1904_setting() {
    let mut content = strong();
    let written = examples::write_plan(&content, &Quirks { dates: DateStyle::Serial, ..tidy() }).expect("written");
    let as_1904 =
        patch_part(&written, "xl/workbook.xml", |xml| xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1));
    let p = import(&as_1904);
    assert_eq!(
        p.cover.submission_date,
        chrono::NaiveDate::from_ymd_opt(2016, 9, 1),
        "the 1900-system serial of 31/08/2012 read in the 1904 system is 1,462 days later"
    );
    content.submission_date = Some((2012, 8, 31));
    assert_eq!(
        import_content(&content, &Quirks { dates: DateStyle::Serial, ..tidy() }).cover.submission_date,
        chrono::NaiveDate::from_ymd_opt(2012, 8, 31)
    );
}

#[test]
fn missing_sheets_are_errors_only_where_the_plan_type_needs_them() {
    let mut outline = strong();
    outline.plan_type = "Outline".into();
    outline.workforce.clear();
    outline.leadership.clear();
    outline.risks.clear();
    let p = import_content(&outline, &tidy());
    assert!(findings(&p, Severity::Error).is_empty(), "{:#?}", p.findings);

    let p = import_edited(&strong(), &tidy(), |sheets| sheets.retain(|s| s.name != "Risks" && s.name != "Leadership"));
    finding_at(&p, "Risks", "no Risks sheet, which is required in a full plan");
    finding_at(&p, "Leadership", "no Leadership sheet");
}

#[test]
fn a_full_plan_needs_a_managing_director_and_four_years() {
    let mut content = strong();
    content.leadership.remove(0);
    for (_, values) in &mut content.finance {
        values.truncate(3);
    }
    let p = import_content(&content, &tidy());
    finding_at(&p, "Leadership", "no Managing director row");
    finding_at(&p, "Finance", "covers 3 financial year(s); a full plan must cover at least 4");
}

#[test]
fn the_cover_may_be_elsewhere_but_a_csu_name_must_be_somewhere() {
    let p = import_edited(&strong(), &tidy(), |sheets| sheets[0].name = "Front page".into());
    assert_eq!(p.cover.csu_name, "Northern Star CSU");
    finding_at(&p, "Cover", "no Cover sheet; the cover details were read from sheet Front page");

    let mut sheets = examples::lay_out(&strong(), &tidy());
    sheets.remove(0);
    let bytes = examples::write_workbook(&sheets).expect("written");
    let err = plan::import_bytes("nameless.xlsx", &bytes).expect_err("refused");
    assert!(err.to_string().contains("no Cover sheet and no `CSU name`"), "{err}");
}

#[test]
fn unknown_columns_are_kept_aside_with_a_note_and_risks_off_scale_warned() {
    let p = import_edited(&strong(), &tidy(), |sheets| {
        let customers = sheet(sheets, "Customers");
        customers.headers.push("Notes".into());
        let risks = sheet(sheets, "Risks");
        risks.rows[0][3] = Cell::Number(7.0);
    });
    finding_at(&p, "Customers", "not used: Notes");
    finding_at(&p, "Risks!D2", "likelihood 7 is not on the 1-5 scale");
}

#[test]
fn long_narrative_with_line_breaks_is_kept_whole() {
    let mut content = strong();
    let long: String =
        (0..4_000).map(|i| if i % 100 == 99 { "end.\n\nNext" } else { "word" }).collect::<Vec<_>>().join(" ");
    content.narrative[0].1 = long.clone();
    let p = import_content(&content, &tidy());
    assert_eq!(p.narrative[0].response, long);
}

/// The same package with its workbook moved where `_rels/.rels` may put it
/// (`book/` or the root): parts renamed, relationships pointed there, and
/// nothing but the five parts a package needs when `minimal` is set.
fn relocated(original: &[u8], folder: &str, minimal: bool) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(original)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut part = zin.by_index(i).expect("part");
        let name = part.name().expect("name").to_string();
        let keep = name == "[Content_Types].xml"
            || name == "_rels/.rels"
            || name.starts_with("xl/workbook.xml")
            || name.starts_with("xl/_rels/")
            || name.starts_with("xl/worksheets/")
            || name == "xl/sharedStrings.xml";
        if minimal && !keep {
            continue;
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).expect("read");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (name, text) = match name.as_str() {
            "_rels/.rels" => (name, text.replace("\"xl/workbook.xml\"", &format!("\"{folder}workbook.xml\""))),
            "[Content_Types].xml" => (name, text.replace("\"/xl/", &format!("\"/{folder}"))),
            _ => match name.strip_prefix("xl/") {
                Some(rest) => (format!("{folder}{rest}"), text),
                None => (name, text),
            },
        };
        out.start_file(name, options).expect("start");
        std::io::Write::write_all(&mut out, text.as_bytes()).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn a_valid_package_with_its_workbook_elsewhere_or_with_only_the_parts_it_needs_is_read() {
    let quirks = Quirks { merged_categories: true, ..tidy() };
    let original = examples::write_plan(&strong(), &quirks).expect("written");
    let base = import(&original);
    for (folder, minimal) in [("book/", false), ("", false), ("xl/", true), ("book/", true)] {
        let moved = relocated(&original, folder, minimal);
        let what = format!("workbook in `{folder}`, minimal {minimal}");
        let p = plan::import_bytes("moved.xlsx", &moved).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(p.metrics, base.metrics, "{what}: metrics differ");
        let categories = |p: &Plan| p.services.iter().map(|s| s.category).collect::<Vec<_>>();
        assert_eq!(categories(&p), categories(&base), "{what}: merged category cells are filled in");
        assert!(p.findings.is_empty(), "{what}: {:#?}", p.findings);
    }
}

/// A plan without some of the template's sheets: a finding for each,
/// naming the figures it leaves unknown; those figures unknown, never 0;
/// a check on them "could not be checked", neither capping nor passing;
/// and the letter says which checks could not be made.
#[test]
fn a_sheet_the_workbook_lacks_leaves_its_figures_unknown_and_says_so() {
    let without = |slug: &str, dropped: &[&str]| {
        let content = examples::find(slug).expect("example").content();
        let layouts: Vec<SheetLayout> =
            examples::lay_out(&content, &tidy()).into_iter().filter(|l| !dropped.contains(&l.name.as_str())).collect();
        import(&examples::write_workbook(&layouts).expect("written"))
    };
    let outline = without("midlands-shared-outline", &["Workforce", "Leadership", "Risks"]);
    for sheet in ["Workforce", "Leadership", "Risks"] {
        assert!(
            outline.findings.iter().any(|f| f.message.contains(&format!("the workbook has no {sheet} sheet:"))
                && f.message.contains("are unknown (not zero)")),
            "{sheet}: {:#?}",
            outline.findings
        );
    }
    for metric in ["risk_count", "unmitigated_high_risk_count", "fte_total", "md_appointed"] {
        assert!(outline.metrics.get(metric).is_none(), "{metric} is unknown, not {:?}", outline.metrics.get(metric));
    }
    let full = without("northern-star-full", &["Risks", "Narrative"]);
    assert!(full.findings.iter().any(|f| {
        f.severity == Severity::Error
            && f.message
                .contains("no Risks sheet, which is required in a full plan: the number of risks in the register")
    }));
    let mut a = start_as(&full, "cp3-full-plan", "Ann", "Lead assessor", "2012-09-01T09:00:00Z");
    score_every(&mut a, &full, "Ann", 3, "2012-09-02T10:00:00Z");
    let e = csu_assess::scoring::evaluate(&full, a.framework(), &a);
    let rm1: Vec<_> = e.checks.iter().filter(|k| k.criterion == "RM1").collect();
    assert!(rm1.iter().all(|k| k.holds.is_none() && k.explanation.starts_with("could not be checked")), "{rm1:#?}");
    let rm1_result = e.criteria.iter().find(|c| c.id == "RM1").expect("RM1");
    assert_eq!((rm1_result.score, rm1_result.capped_at), (Some(3.0), None), "an unknown figure caps nothing");
    let (letter, _) = csu_assess::letter::write(
        &full,
        a.framework(),
        &a,
        &wording(),
        &known(&["Ann"]),
        chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("date"),
    )
    .expect("written");
    let body = format!("{:?}", letter.body);
    assert!(
        body.contains("Checks that could not be made")
            && body.contains("the plan gives no figure for the number of risks in the register"),
        "{body}"
    );
}

/// Formulas a workbook holds without their saved results (written by a
/// program): the CSU's own formula is worked out where it is plain
/// arithmetic on its sheet, and said so at the cell; a formula reaching
/// another sheet is left out with advice an assessor can act on.
#[test]
fn formulas_without_saved_results_are_worked_out_from_the_csus_own_formula() {
    let content = strong();
    let written = write_edited(&content, &tidy(), |sheets| {
        let customers = sheet(sheets, "Customers");
        customers.rows[3][5] = Cell::Formula("SUM(F2:F3)/2 + (F2-F2)".into(), "0".into());
        customers.rows[4][5] = Cell::Formula("Finance!C5".into(), "0".into());
    });
    let p = import(&patch_part(&written, "xl/worksheets/sheet2.xml", |xml| {
        xml.replace("<f>SUM(F2:F3)/2 + (F2-F2)</f><v>0</v>", "<f>SUM(F2:F3)/2 + (F2-F2)</f>")
            .replace("<f>Finance!C5</f><v>0</v>", "<f>Finance!C5</f>")
    }));
    let expected = (p.customers[0].sla_value.expect("F2") + p.customers[1].sla_value.expect("F3")) / 2.0;
    assert_eq!(p.customers[3].sla_value, Some(expected), "worked out from the CSU's own formula");
    let note = finding_at(&p, "Customers!F5", "was worked out from that formula");
    assert_eq!(note.severity, Severity::Note);
    let other = finding_at(&p, "Customers!F6", "which this program cannot work out");
    assert!(other.message.contains("ask the CSU for a copy saved by a spreadsheet program"), "{}", other.message);
    assert_eq!(p.customers[4].sla_value, None);
}
