//! Criteria files: each kind of mistake a BDU author can make is refused
//! with a message at its file:line:column, and the whole file is refused.

use csu_assess::criteria::{self, BUILTIN, parse};

fn cp3() -> &'static str {
    BUILTIN.iter().find(|b| b.file_name == "cp3-full-plan.toml").expect("cp3").text
}

/// The line (1-based) of the first occurrence of `needle` after `after`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    text[..at].matches('\n').count() + 1
}

/// Parses an edited framework and returns the one error line that contains `expected`.
#[track_caller]
fn refused(text: &str, expected: &str) -> String {
    let err = parse("edited.toml", text).expect_err("the edited file must be refused");
    let all = err.to_string();
    all.lines()
        .find(|l| l.contains(expected))
        .unwrap_or_else(|| panic!("no problem mentions {expected:?}:\n{all}"))
        .to_string()
}

#[test]
fn unknown_metric_is_named_with_a_suggestion() {
    let text = cp3().replacen("metric = \"affordability_ratio\"", "metric = \"afordability_ratio\"", 1);
    let line = refused(&text, "unknown metric `afordability_ratio`");
    let expected_line = line_of(&text, "metric = \"afordability_ratio\"");
    assert!(line.starts_with(&format!("edited.toml:{expected_line}:10: ")), "{line}");
    assert!(line.contains("did you mean affordability_ratio"), "{line}");
}

#[test]
fn duplicate_ids_are_refused() {
    let text = cp3().replacen("id = \"CF2\"", "id = \"CF1\"", 1);
    let line = refused(&text, "duplicate criterion id `CF1`");
    assert!(
        line.starts_with(&format!("edited.toml:{}:", line_of(&text, "id = \"CF1\"\ntitle = \"Affordability"))),
        "{line}"
    );
}

#[test]
fn a_missing_descriptor_is_refused() {
    let text = cp3().replacen("  \"Strong: compelling evidence, tested with CCGs\",\n", "", 1);
    refused(&text, "the scale has 4 descriptor(s) but the scale 0-4 needs 5, one a level");
    let text = cp3().replacen("  \"No CCG has committed to the offer\",\n", "", 1);
    refused(&text, "criterion `CF1` has 4 descriptor(s)");
}

#[test]
fn domain_weights_must_add_up_to_100() {
    let text = cp3().replacen("weight = 20", "weight = 25", 1);
    refused(&text, "domain weights add up to 105, not 100");
}

#[test]
fn bands_that_overlap_or_leave_gaps_are_refused() {
    let overlap = cp3().replacen("min = 60\nmax = 75", "min = 60\nmax = 80", 1);
    refused(&overlap, "the bands of `authorised` and `authorised-development-plan` overlap");
    let gap = cp3().replacen("min = 60\nmax = 75", "min = 60\nmax = 70", 1);
    refused(&gap, "a gap between `authorised-development-plan` and `authorised`: nothing covers 70 to 75");
    let bottom = cp3().replacen("min = 0\nmax = 45", "min = 10\nmax = 45", 1);
    refused(&bottom, "the last outcome's band starts at 10, not 0");
}

#[test]
fn gateways_and_caps_must_be_on_the_scale() {
    let text = cp3().replacen("gateway = 2", "gateway = 7", 1);
    refused(&text, "gateway 7 is not on the scale 0-4");
    let text = cp3().replacen("cap = 2", "cap = 9", 1);
    refused(&text, "cap 9 is not on the scale 0-4");
}

#[test]
fn syntax_errors_and_unknown_keys_have_positions() {
    let text = cp3().replacen("weight = 20", "weight = ", 1);
    let line = refused(&text, "edited.toml:");
    assert!(line.starts_with(&format!("edited.toml:{}:", line_of(&text, "weight = \n"))), "{line}");
    let text = cp3().replacen("guidance = \"CCGs must", "guidence = \"CCGs must", 1);
    let line = refused(&text, "guidence");
    assert!(line.starts_with(&format!("edited.toml:{}:", line_of(&text, "guidence"))), "{line}");
}

#[test]
fn wrong_comparison_effect_or_placeholder_is_refused() {
    refused(&cp3().replacen("comparison = \"<\"", "comparison = \"less\"", 1), "comparison `less` is not one of");
    refused(
        &cp3().replacen("effect = \"concern\"", "effect = \"worry\"", 1),
        "effect `worry` is not concern or strength",
    );
    refused(&cp3().replacen("{ccg_budget_per_head}", "{ccg_budget}", 1), "explain names `{ccg_budget}`");
    refused(&cp3().replacen("metric = \"committed_population_share\"", "metric = \"income_total\"", 1), "is a list");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = cp3().replacen("weight = 20", "weight = 25", 1).replacen("id = \"CF2\"", "id = \"CF1\"", 1);
    let err = parse("edited.toml", &text).expect_err("refused");
    assert_eq!(err.problems.len(), 2, "{err}");
}

#[test]
fn criteria_files_load_from_disk_and_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, cp3().replacen("weight = 20", "weight = 25", 1)).expect("written");
    let err = criteria::load(&path).expect_err("refused").to_string();
    assert!(err.contains("broken.toml:"), "{err}");
    assert!(
        criteria::load(&dir.path().join("none.toml")).expect_err("missing").to_string().contains("could not be read")
    );
}

/// A weight near the float limit made every score NaN and still passed;
/// weights are refused above a million, at the weight's position.
#[test]
fn absurd_and_non_finite_weights_are_refused_where_they_are() {
    let text = cp3().replacen("weight = 3", "weight = 1e308", 1);
    let line = refused(&text, "criterion weight must be at most 1000000, not 1e308");
    assert!(line.starts_with(&format!("edited.toml:{}:", line_of(&text, "weight = 1e308"))), "{line}");
    let text = cp3().replacen("weight = 3", "weight = nan", 1);
    refused(&text, "criterion weight must be a number above 0, not NaN");
}
