//! The portfolio: a folder of plans and assessments read side by side,
//! sorted, filtered and exported so that no spreadsheet runs what a CSU wrote.

use crate::util::{example_plan, key, known, run_in, score_every, start_as, succeeded};
use csu_assess::assessment::Edit;
use csu_assess::examples::{self, Quirks};
use csu_assess::portfolio::{self, Column, Filter, Stage};
use std::path::Path;

/// The folder read as the window and the verb read it, on the round's day,
/// with its members' keys known to the BDU.
fn read(folder: &std::path::Path, key: Option<&str>) -> portfolio::Portfolio {
    let known = known(&["Ann", "Raj", "Priya"]);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date");
    portfolio::open(folder, key, csu_assess::scoring::AsOf { trust: &known, date }).expect("read")
}

/// Three example plans; Northern Star scored in full by its sole assessor,
/// Capital half scored, Midlands not begun; and one file that is no plan.
fn round(dir: &Path) {
    for e in examples::EXAMPLES {
        std::fs::write(dir.join(e.file_name()), e.workbook().expect("written")).expect("plan saved");
    }
    let north = example_plan("northern-star-full");
    let mut a = start_as(&north, "cp3-full-plan", "Ann", "Chair", "2026-11-24T09:00:00Z");
    score_every(&mut a, &north, "Ann", 3, "2026-11-24T09:10:00Z");
    csu_assess::store::create(&dir.join("northern-star-full.csuassess"), &a, None).expect("saved");
    let capital = example_plan("capital-commissioning-full");
    let mut b = start_as(&capital, "cp3-full-plan", "Raj", "Chair", "2026-11-24T09:00:00Z");
    let first: Vec<String> = b.framework().criteria().take(3).map(|(_, c)| c.id.clone()).collect();
    for id in first {
        let edit = Edit::Score { criterion: id, score: Some(4), evidence: "interview".into() };
        b.apply(&capital, "Raj", &key("Raj"), edit, "2026-11-24T09:05:00Z").expect("scored");
    }
    csu_assess::store::create(&dir.join("capital.csuassess"), &b, None).expect("saved");
    std::fs::write(dir.join("minutes.xlsx"), b"these are the minutes, not a workbook").expect("written");
}

#[test]
fn a_round_reads_as_one_row_a_csu_with_its_figures_outcome_and_stage() {
    let dir = tempfile::tempdir().expect("tempdir");
    round(dir.path());
    let p = read(dir.path(), None);
    assert_eq!(p.rows.len(), 3, "{:#?}", p.rows);
    let row = |name: &str| p.rows.iter().find(|r| r.csu.contains(name)).expect(name);
    let north = row("Northern Star");
    let plan = example_plan("northern-star-full");
    assert_eq!(north.population, plan.metrics.number("population"));
    assert_eq!(north.price_per_head, plan.metrics.number("price_per_head"));
    assert_eq!(north.min_surplus_margin, plan.metrics.number("min_surplus_margin"));
    assert_eq!(north.stage, Stage::Agreed, "a sole assessor's full scoring is the result");
    assert!(north.outcome.is_some() && north.overall.is_some(), "{north:?}");
    let capital = row("Capital");
    assert!(matches!(capital.stage, Stage::Scoring { scored: 3, .. }), "{:?}", capital.stage);
    assert_eq!(
        capital.outcome.as_deref(),
        Some("Not authorised (provisional)"),
        "decided already: the plan's figures cap a gateway below its bar"
    );
    let midlands = row("Midlands");
    assert_eq!(midlands.stage, Stage::NotStarted);
    assert_eq!(midlands.checkpoint, Some(2));
    assert_eq!(p.unreadable.len(), 1, "{:?}", p.unreadable);
    assert!(p.unreadable[0].file.ends_with("minutes.xlsx"));
    assert!(p.unreadable[0].reason.contains("minutes.xlsx"), "{}", p.unreadable[0].reason);

    let by_price = p.view(&Filter::default(), Some((Column::PricePerHead, false)));
    let prices: Vec<f64> = by_price.iter().filter_map(|r| r.price_per_head).collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
    let full = p.view(&Filter { checkpoint: Some(3), ..Filter::default() }, None);
    assert_eq!(full.len(), 2);
    assert_eq!(Column::named("price-per-head"), Some(Column::PricePerHead));
}

#[test]
fn a_member_still_scoring_sees_no_outcome_in_the_portfolio() {
    let dir = tempfile::tempdir().expect("tempdir");
    round(dir.path());
    let path = dir.path().join("northern-star-full.csuassess");
    let mut a = csu_assess::store::load(&path).expect("loaded");
    let plan = example_plan("northern-star-full");
    a.apply(&plan, "Ann", &key("Ann"), crate::util::join("Priya", "Member"), "2026-11-24T10:00:00Z").expect("joined");
    csu_assess::store::save(&path, &a).expect("saved");
    let office = read(dir.path(), None);
    assert!(office.rows.iter().any(|r| r.csu.contains("Northern") && r.overall.is_some()));
    let priya = read(dir.path(), Some(&key("Priya").public()));
    let row = priya.rows.iter().find(|r| r.csu.contains("Northern")).expect("row");
    assert_eq!((row.outcome.as_deref(), row.overall), (None, None), "{row:?}");
    let north = priya.assessed.iter().find(|a| a.assessment.plan.csu_name.contains("Northern")).expect("north");
    assert!(north.assessment.scores.is_empty(), "none of Ann's scores reach Priya while she scores");
}

#[test]
fn exports_keep_a_csus_formula_from_running_in_any_spreadsheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut content = crate::util::strong();
    content.csu_name = "=HYPERLINK(\"http://example.invalid\",\"click\")".into();
    std::fs::write(dir.path().join("hostile.xlsx"), examples::write_plan(&content, &Quirks::default()).expect("w"))
        .expect("written");
    let mut other = crate::util::strong();
    other.csu_name = "+44 Region, \"North\"".into();
    std::fs::write(dir.path().join("other.xlsx"), examples::write_plan(&other, &Quirks::default()).expect("w"))
        .expect("written");
    let p = read(dir.path(), None);

    let bytes = portfolio::export::xlsx(&p).expect("exported");
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
    let sheet = book.worksheet_range("Portfolio").expect("portfolio sheet");
    let names: Vec<String> = (1..3).map(|r| sheet.get_value((r, 0)).expect("cell").to_string()).collect();
    assert!(names.contains(&content.csu_name), "{names:?}");
    assert!(matches!(sheet.get_value((1, 0)), Some(Data::String(_))));
    let formulas = book.worksheet_formula("Portfolio").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell holds a formula");
    assert!(book.worksheet_range("Scores").is_ok() && book.worksheet_range("Unreadable").is_ok());

    let csv = portfolio::export::portfolio_csv(&p);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\""), "{csv}");
    assert!(csv.contains("\"'+44 Region, \"\"North\"\"\""), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with('=')));
}

#[test]
fn the_command_line_lists_sorts_and_exports_the_portfolio() {
    let dir = tempfile::tempdir().expect("tempdir");
    let round_dir = dir.path().join("round");
    std::fs::create_dir(&round_dir).expect("folder");
    round(&round_dir);
    let folder = round_dir.to_str().expect("utf8");
    let out = succeeded(run_in(dir.path(), &["portfolio", folder, "--office", "--sort", "csu"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("CSU") && lines[0].contains("Price per head") && lines[0].contains("Stage"));
    assert!(lines[1].starts_with("Capital") && lines[3].starts_with("Northern"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&succeeded(run_in(
        dir.path(),
        &[
            "portfolio",
            folder,
            "--office",
            "--json",
            "--xlsx",
            "round.xlsx",
            "--csv",
            "round.csv",
            "--scores-csv",
            "scores.csv",
        ],
    )))
    .expect("json");
    assert_eq!(json["rows"].as_array().expect("rows").len(), 3);
    assert_eq!(json["unreadable"].as_array().expect("unreadable").len(), 1);
    assert!(dir.path().join("round.xlsx").is_file() && dir.path().join("round.csv").is_file());
    let scores = std::fs::read_to_string(dir.path().join("scores.csv")).expect("scores");
    assert!(scores.lines().count() > 10, "{scores}");
    let refused = run_in(dir.path(), &["portfolio", folder, "--sort", "colour"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("there is no column `colour`"));
}

/// Ann (chair) scores as the panel agrees; Len one level above it, Hal one
/// level below, on every criterion of two CSUs.
fn calibrated_round(dir: &Path) {
    for (slug, file) in [("northern-star-full", "north"), ("capital-commissioning-full", "capital")] {
        let plan = example_plan(slug);
        std::fs::write(dir.join(format!("{file}.xlsx")), examples::find(slug).expect("e").workbook().expect("w"))
            .expect("plan saved");
        let at = "2026-11-24T09:00:00Z";
        let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", at);
        crate::util::apply(&mut a, &plan, "Ann", crate::util::join("Len", "Member"), at);
        crate::util::apply(&mut a, &plan, "Ann", crate::util::join("Hal", "Member"), at);
        for (who, level) in [("Ann", 2), ("Len", 3), ("Hal", 1)] {
            score_every(&mut a, &plan, who, level, at);
            crate::util::apply(&mut a, &plan, who, Edit::FinishScoring, at);
        }
        for id in crate::util::cp3_ids() {
            let talk = Edit::Discussion { criterion: id.clone(), note: "Len and Hal two apart".into() };
            crate::util::apply(&mut a, &plan, "Ann", talk, at);
            let agree = Edit::Consensus { criterion: id, score: Some(2), rationale: "as the evidence".into() };
            crate::util::apply(&mut a, &plan, "Ann", agree, at);
        }
        csu_assess::store::create(&dir.join(format!("{file}.csuassess")), &a, None).expect("saved");
    }
}

#[test]
fn a_lenient_and_a_harsh_assessor_show_up_raw_and_adjusted() {
    let dir = tempfile::tempdir().expect("tempdir");
    calibrated_round(dir.path());
    let p = read(dir.path(), None);
    let figures = portfolio::consistency::assessors(&p);
    let of = |name: &str| figures.iter().find(|f| f.assessor == name).expect(name);
    let criteria = crate::util::cp3_ids().len();
    let (ann, len, hal) = (of("Ann"), of("Len"), of("Hal"));
    assert_eq!((len.csus, len.scores), (2, 2 * criteria));
    assert_eq!((len.raw.mean_difference, len.raw.agreement), (1.0, 0.0));
    assert_eq!((hal.raw.mean_difference, hal.raw.agreement), (-1.0, 0.0));
    assert_eq!((ann.raw.mean_difference, ann.raw.agreement), (0.0, 1.0));
    assert_eq!(len.adjusted.agreement, 1.0, "consistent once their leniency is taken off");
    assert_eq!(hal.adjusted.agreement, 1.0);
    let z = len.standardised_leniency.expect("three members");
    assert!((z - 1.5f64.sqrt()).abs() < 1e-9, "{z}");
    assert!((hal.standardised_leniency.expect("z") + z).abs() < 1e-9);
    assert_eq!((len.tendency(), hal.tendency(), ann.tendency()), (Some("lenient"), Some("harsh"), None));
    assert!(len.by_domain.values().all(|d| *d == 1.0), "{:?}", len.by_domain);
    assert!(
        portfolio::consistency::METHOD.contains("Raw figures")
            && portfolio::consistency::METHOD.contains("Adjusted figures")
    );

    let out = succeeded(run_in(dir.path(), &["portfolio", ".", "--office", "--assessors"]));
    assert!(out.contains("(lenient)") && out.contains("(harsh)") && out.contains("Standardised leniency"), "{out}");
    use calamine::Reader;
    let bytes = portfolio::export::xlsx(&p).expect("exported");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("Assessors").expect("assessors sheet");
    assert_eq!(sheet.get_value((0, 0)).map(ToString::to_string).as_deref(), Some("Assessor"));
    assert_eq!(sheet.rows().filter(|r| r[0] == "Len").count(), 1);
}

/// What the CCGs said, per CSU and across the round beside the 2012 survey:
/// Northern Star's CCGs all heard, Capital's two of them (its figures
/// unknown, never 0).
#[test]
fn the_ccgs_answers_are_columns_per_csu_and_a_national_table_beside_the_survey() {
    let dir = tempfile::tempdir().expect("tempdir");
    round(dir.path());
    let capital = example_plan("capital-commissioning-full");
    let path = dir.path().join("capital.csuassess");
    let mut b = csu_assess::store::load(&path).expect("read");
    for c in capital.customers.iter().take(2) {
        let mut answers = crate::util::confirming(&c.ccg);
        answers.affordable = "dont_know".into();
        answers.after_april_2013 = "change".into();
        let edit = Edit::CcgInterview(Box::new(answers));
        b.apply(&capital, "Raj", &key("Raj"), edit, "2026-11-24T09:20:00Z").expect("recorded");
    }
    csu_assess::store::save(&path, &b).expect("saved");
    let p = read(dir.path(), None);
    let row = |name: &str| p.rows.iter().find(|r| r.csu.contains(name)).expect(name);
    let north = row("Northern Star");
    let heard = example_plan("northern-star-full").customers.len() as f64;
    assert_eq!(north.ccgs_interviewed, Some(heard));
    assert_eq!((north.ccgs_sla_confirmed_share, north.ccgs_changing_share), (Some(1.0), Some(0.0)));
    let capital_row = row("Capital");
    assert_eq!(capital_row.ccgs_interviewed, Some(2.0));
    assert_eq!(capital_row.ccgs_affordable_share, None, "unknown until every CCG is heard, never 0");
    assert_eq!(Column::CcgsSlaConfirmed.value(north).shown(), "100.0%");

    let national = p.ccg_answers();
    assert_eq!(national.interviewed, heard as usize + 2);
    let answer = |q: &str, a: &str| national.answers.iter().find(|x| x.question.contains(q) && x.answer == a).expect(a);
    let dont_know = answer("affordable", "Don't know");
    assert_eq!((dont_know.ccgs, dont_know.survey), (2, Some(0.43)));
    assert_eq!(answer("After April 2013", "Change").survey, Some(0.33));
    assert_eq!(answer("Confidence", "Very or quite confident").survey, Some(0.79));

    let out = succeeded(run_in(dir.path(), &["portfolio", ".", "--ccgs", "--office"]));
    assert!(out.contains("CCGs heard") && out.contains("SLA confirmed"), "the columns: {out}");
    assert!(out.contains(&format!("The CCGs' answers ({} CCGs interviewed)", heard as usize + 2)), "{out}");
    assert!(out.contains("Is the offer affordable?") && out.contains("45%"), "beside the survey: {out}");
}
