//! Helpers shared by the integration tests.

use csu_assess::assessment::Edit;
use csu_assess::examples::{self, PlanContent, Quirks};
use csu_assess::plan::{self, Finding, Plan, Severity};

/// Imports bytes as a plan, panicking with the refusal if refused.
pub fn import(bytes: &[u8]) -> Plan {
    match plan::import_bytes("test.xlsx", bytes) {
        Ok(p) => p,
        Err(e) => panic!("refused: {e}"),
    }
}

/// Writes content with quirks and imports it.
pub fn import_content(content: &PlanContent, quirks: &Quirks) -> Plan {
    import(&examples::write_plan(content, quirks).expect("workbook written"))
}

/// The strong example's content, the base most variations start from.
pub fn strong() -> PlanContent {
    examples::find("northern-star-full").expect("example exists").content()
}

pub fn metric(plan: &Plan, name: &str) -> f64 {
    plan.metrics.number(name).unwrap_or_else(|| panic!("metric {name} missing"))
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[track_caller]
pub fn assert_metric(plan: &Plan, name: &str, expected: f64) {
    let got = metric(plan, name);
    assert!(close(got, expected), "{name}: got {got}, expected {expected}");
}

/// The findings of a severity, as `sheet!cell: message` lines for messages.
pub fn findings(plan: &Plan, severity: Severity) -> Vec<&Finding> {
    plan.findings.iter().filter(|f| f.severity == severity).collect()
}

/// Finds the one finding at a location whose message contains `text`.
#[track_caller]
pub fn finding_at<'p>(plan: &'p Plan, location: &str, text: &str) -> &'p Finding {
    plan.findings
        .iter()
        .find(|f| f.location() == location && f.message.contains(text))
        .unwrap_or_else(|| panic!("no finding at {location} containing {text:?}; findings: {:#?}", plan.findings))
}

/// The path of a committed fixture.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs the program with `args` in `dir`.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess")).current_dir(dir).args(args).output().expect("runs")
}

/// The output of a run that must have succeeded.
#[track_caller]
pub fn succeeded(out: std::process::Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8")
}

/// An assessment of `plan` against a built-in framework, started by `by`
/// (the panel's first member, with `role`).
pub fn start_as(plan: &Plan, builtin: &str, by: &str, role: &str, at: &str) -> csu_assess::assessment::Assessment {
    let b = csu_assess::criteria::builtin(builtin).expect("built-in framework");
    let f = b.framework().expect("valid");
    let start = csu_assess::assessment::Start {
        plan_path: "plan.xlsx",
        source: &format!("built-in {}", b.file_name),
        text: b.text,
        at,
        id: "test-assessment",
        by,
        role,
    };
    csu_assess::assessment::Assessment::start(plan, &f, start).expect("started")
}

/// Applies an edit that must be recorded.
#[track_caller]
pub fn apply(a: &mut csu_assess::assessment::Assessment, plan: &Plan, who: &str, edit: Edit, at: &str) -> String {
    match a.apply(plan, who, edit.clone(), at) {
        Ok(Some(hash)) => hash,
        Ok(None) => panic!("{edit:?} by {who} changed nothing"),
        Err(refusal) => panic!("{edit:?} by {who} refused: {refusal}"),
    }
}

/// A member's score for a criterion, as they would record it.
pub fn score(
    a: &mut csu_assess::assessment::Assessment,
    plan: &Plan,
    who: &str,
    criterion: &str,
    level: u8,
    evidence: &str,
    at: &str,
) -> Result<Option<String>, csu_assess::assessment::Refusal> {
    let edit = Edit::Score { criterion: criterion.into(), score: Some(level), evidence: evidence.into() };
    a.apply(plan, who, edit, at)
}

/// Scores every criterion of the assessment's framework at `level`.
#[track_caller]
pub fn score_every(a: &mut csu_assess::assessment::Assessment, plan: &Plan, who: &str, level: u8, at: &str) {
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        score(a, plan, who, &id, level, "seen in the plan and at interview", at).expect("scored");
    }
}

/// An example plan, imported.
pub fn example_plan(slug: &str) -> Plan {
    import(&examples::find(slug).expect("example").workbook().expect("written"))
}
