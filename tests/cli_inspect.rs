//! The `inspect`, `template` and `examples` verbs as a user runs them:
//! output, exit codes, and memory bounds on hostile input.

use std::path::Path;
use std::process::{Command, Output};

fn csu_assess(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csu-assess")).args(args).output().expect("the binary runs")
}

fn examples_into(dir: &Path) {
    let out = csu_assess(&["examples", "--out", dir.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn inspect_json_has_the_fields_the_issue_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    examples_into(dir.path());
    let plan = dir.path().join("capital-commissioning-full.xlsx");
    let out = csu_assess(&["inspect", plan.to_str().expect("utf8"), "--json"]);
    assert_eq!(out.status.code(), Some(0), "a plan with findings still exits 0");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["csu_name"], "Capital Commissioning Support");
    assert_eq!(v["plan_type"], "Full");
    assert_eq!(v["checkpoint"], 3);
    assert_eq!(v["submission_date"], "2012-09-07");
    assert_eq!(v["metrics"]["ccg_count"], 5.0);
    assert_eq!(v["metrics"]["md_appointed"], false);
    assert_eq!(v["metrics"]["scale_services"], serde_json::json!(["Business intelligence"]));
    assert_eq!(v["metrics"]["income_total"][0], 12_800_000.0);
    let bytes = std::fs::read(&plan).expect("read");
    assert_eq!(v["fingerprint"], csu_assess::plan::fingerprint(&bytes));
    let finding =
        v["findings"].as_array().expect("findings").iter().find(|f| f["cell"] == "D6").expect("the #REF! finding");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["sheet"], "Customers");
    assert!(finding["message"].as_str().expect("text").contains("#REF!"));
}

#[test]
fn inspect_summary_reads_as_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    examples_into(dir.path());
    let out = csu_assess(&["inspect", dir.path().join("northern-star-full.xlsx").to_str().expect("utf8")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.starts_with("Northern Star CSU\n"), "{text}");
    assert!(text.contains("ccg_budget_per_head            £11.52"), "{text}");
    assert!(text.contains("committed_population_share     84.0%"), "{text}");
    assert!(text.contains("Findings: 0 errors, 0 warnings, 0 notes"), "{text}");
}

#[test]
fn a_refused_file_exits_2_with_the_reason_on_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("minutes.xlsx");
    std::fs::write(&path, b"%PDF-1.7\n").expect("written");
    let out = csu_assess(&["inspect", path.to_str().expect("utf8"), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8(out.stderr).expect("utf8");
    assert!(err.contains("minutes.xlsx: this is a PDF document"), "{err}");

    let out = csu_assess(&["inspect", "/no/such/plan.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/plan.xlsx: could not be read"));
}

/// Runs inspect with the address space capped at 1 GiB: calamine's dense
/// read of this file would ask for about 550 GB and abort.
#[test]
fn far_corner_cell_is_read_within_a_1_gib_address_space() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("Cover").expect("name");
    cover.write_string(0, 0, "CSU name").expect("w");
    cover.write_string(0, 1, "Far Corner CSU").expect("w");
    let risks = book.add_worksheet().set_name("Risks").expect("name");
    risks.write_string(0, 0, "Risk").expect("w");
    risks.write_number(1_048_575, 16_383, 1.0).expect("w");
    let path = dir.path().join("far.xlsx");
    std::fs::write(&path, book.save_to_buffer().expect("saved")).expect("written");
    let script =
        format!("ulimit -v 1048576; exec '{}' inspect --json '{}'", env!("CARGO_BIN_EXE_csu-assess"), path.display());
    let out = Command::new("sh").args(["-c", &script]).output().expect("sh runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn template_verb_writes_the_blank_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("template.xlsx");
    let out = csu_assess(&["template", "-o", path.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let p = csu_assess::plan::import(&path).expect("the template is a workbook");
    assert!(p.customers.is_empty());
    assert_eq!(p.finance.years, ["2013/14", "2014/15", "2015/16", "2016/17"]);
}
