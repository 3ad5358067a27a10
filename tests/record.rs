//! The record: the hash-chained audit trail, tampering detected, and
//! merging reviewers' copies (commutative, associative, idempotent, losing
//! nothing, conflicts kept for a person).

use crate::util::*;
use csu_assess::assessment::{self, Assessment, Change};
use csu_assess::criteria::Framework;
use proptest::prelude::*;
use std::process::Command;

fn base() -> (Framework, Assessment) {
    let plan = import(&csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w"));
    let b = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3");
    let f = b.framework().expect("valid");
    let a = Assessment::new(&plan, "plan.xlsx", &f, "built-in", b.text, "2012-09-01T09:00:00Z", "shared-id");
    (f, a)
}

#[test]
fn every_change_is_on_the_record_with_old_and_new_values() {
    let (f, mut a) = base();
    a.set_score(&f, "CF1", "Ann", 2, "first look", "2012-09-02T10:00:00Z").expect("scored");
    a.set_score(&f, "CF1", "Ann", 3, "after interview", "2012-09-03T10:00:00Z").expect("rescored");
    a.set_consensus(&f, "CF1", 3, "agreed at panel", "Chair", "2012-09-04T10:00:00Z").expect("agreed");
    let id = a.add_action(
        "Sign SLAs",
        "MD",
        chrono::NaiveDate::from_ymd_opt(2013, 3, 31).expect("d"),
        None,
        "Chair",
        "2012-09-04T11:00:00Z",
    );
    a.remove_action(&id, "Chair", "2012-09-04T12:00:00Z");
    assert_eq!(a.audit.len(), 5);
    match &a.audit[1].change {
        Change::Score { old_score, score, old_evidence, .. } => {
            assert_eq!((*old_score, *score, old_evidence.as_deref()), (Some(2), 3, Some("first look")))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.audit[1].prev, a.audit[0].hash);
    assert!(a.actions.is_empty());
    a.verify_audit().expect("intact");
}

#[test]
fn edits_made_outside_the_tool_are_detected() {
    let (f, mut a) = base();
    a.set_score(&f, "CF1", "Ann", 2, "first look", "2012-09-02T10:00:00Z").expect("scored");
    a.set_score(&f, "CF2", "Ann", 3, "priced well", "2012-09-02T10:05:00Z").expect("scored");
    let mut changed_state = a.clone();
    changed_state.scores[0].score = 4;
    assert!(changed_state.verify_audit().expect_err("state edited").to_string().contains("edited outside the program"));
    let mut changed_entry = a.clone();
    if let Change::Score { score, .. } = &mut changed_entry.audit[0].change {
        *score = 4;
    }
    changed_entry.rebuild();
    assert!(changed_entry.verify_audit().expect_err("entry edited").to_string().contains("was altered"));
    let mut dropped = a.clone();
    dropped.audit.remove(0);
    dropped.rebuild();
    assert!(dropped.verify_audit().expect_err("entry removed").to_string().contains("missing from the trail"));
}

#[test]
fn independent_changes_to_one_item_are_kept_as_a_conflict_until_resolved() {
    let (f, mut panel) = base();
    panel.set_score(&f, "CF1", "Ann", 2, "panel view", "2012-09-02T10:00:00Z").expect("scored");
    let mut laptop = panel.clone();
    panel.set_score(&f, "CF1", "Ann", 3, "changed at the office", "2012-09-03T10:00:00Z").expect("scored");
    laptop.set_score(&f, "CF1", "Ann", 1, "changed on the train", "2012-09-03T11:00:00Z").expect("scored");
    laptop.set_score(&f, "CF2", "Raj", 4, "reviewer's own score", "2012-09-03T11:05:00Z").expect("scored");
    let mut merged = assessment::merge(&[panel.clone(), laptop.clone()]).expect("merged");
    assert_eq!(merged.conflicts.len(), 1, "{:#?}", merged.conflicts);
    assert_eq!(merged.conflicts[0].item, "score/CF1/Ann");
    assert!(merged.scores.iter().any(|s| s.criterion == "CF2" && s.assessor == "Raj" && s.score == 4));
    merged.set_score(&f, "CF1", "Ann", 2, "agreed after talking it through", "2012-09-05T10:00:00Z").expect("resolved");
    assert!(merged.conflicts.is_empty());
    merged.verify_audit().expect("intact");
    let again = assessment::merge(&[merged.clone(), laptop]).expect("merged again");
    assert!(again.conflicts.is_empty(), "the resolution supersedes both versions");
}

#[test]
fn a_later_edit_of_a_value_seen_in_the_other_copy_is_no_conflict() {
    let (f, mut panel) = base();
    panel.set_score(&f, "CF1", "Ann", 2, "panel view", "2012-09-02T10:00:00Z").expect("scored");
    let mut laptop = panel.clone();
    laptop.set_score(&f, "CF1", "Ann", 3, "revised", "2012-09-03T10:00:00Z").expect("scored");
    let merged = assessment::merge(&[panel, laptop]).expect("merged");
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.scores.iter().find(|s| s.criterion == "CF1").map(|s| s.score), Some(3));
}

#[test]
fn copies_of_different_assessments_are_refused() {
    let (f, mut a) = base();
    let mut b = a.clone();
    b.id = "other".into();
    a.set_score(&f, "CF1", "Ann", 2, "x", "2012-09-02T10:00:00Z").expect("scored");
    assert!(matches!(assessment::merge(&[a, b]), Err(assessment::MergeError::DifferentAssessment { index: 2, .. })));
}

/// A copy made from `start` by one reviewer's random edits.
fn copy_with(start: &Assessment, f: &Framework, edits: &[(usize, u8, usize)], who: &str) -> Assessment {
    let mut a = start.clone();
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
    for (k, (criterion, score, assessor)) in edits.iter().enumerate() {
        let assessor = ["Ann", "Raj", "Siobhán"][*assessor % 3];
        let at = format!("2012-09-{:02}T{:02}:{:02}:00Z", 2 + k % 20, k % 24, (k * 7) % 60);
        a.set_score(f, &ids[criterion % ids.len()], assessor, score % 5, &format!("{who} edit {k}"), &at)
            .expect("scored");
    }
    a
}

fn json(a: &Assessment) -> String {
    serde_json::to_string(a).expect("json")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn merge_is_commutative_associative_idempotent_and_loses_nothing(
        shared in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..4),
        x in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..6),
        y in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..6),
        z in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..6),
    ) {
        let (f, start) = base();
        let start = copy_with(&start, &f, &shared, "shared");
        let (a, b, c) = (copy_with(&start, &f, &x, "a"), copy_with(&start, &f, &y, "b"), copy_with(&start, &f, &z, "c"));
        let m = |list: &[Assessment]| assessment::merge(list).expect("merges");
        let ab = m(&[a.clone(), b.clone()]);
        prop_assert_eq!(json(&ab), json(&m(&[b.clone(), a.clone()])), "commutative");
        let left = m(&[ab.clone(), c.clone()]);
        let right = m(&[a.clone(), m(&[b.clone(), c.clone()])]);
        prop_assert_eq!(json(&left), json(&right), "associative");
        prop_assert_eq!(json(&m(&[ab.clone(), b.clone()])), json(&ab), "merging a copy again changes nothing");
        prop_assert_eq!(json(&m(&[ab.clone(), ab.clone()])), json(&ab), "idempotent");
        for copy in [&a, &b, &c] {
            for e in &copy.audit {
                prop_assert!(left.audit.iter().any(|m| m.hash == e.hash), "every change of every copy is kept");
            }
        }
        left.verify_audit().expect("the merged trail checks");
        for s in a.scores.iter().chain(&b.scores).chain(&c.scores) {
            let item = format!("score/{}/{}", s.criterion, s.assessor);
            let present = left.scores.iter().any(|m| m.criterion == s.criterion && m.assessor == s.assessor);
            let in_conflict = left.conflicts.iter().any(|c| c.item == item);
            prop_assert!(present || in_conflict, "{} is neither kept nor in conflict", item);
        }
    }
}

#[test]
fn merge_and_audit_verbs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (f, mut panel) = base();
    panel.set_score(&f, "CF1", "Ann", 2, "panel view", "2012-09-02T10:00:00Z").expect("scored");
    let mut laptop = panel.clone();
    panel.set_score(&f, "CF1", "Ann", 3, "office", "2012-09-03T10:00:00Z").expect("scored");
    laptop.set_score(&f, "CF1", "Ann", 1, "train", "2012-09-03T11:00:00Z").expect("scored");
    csu_assess::store::save(&d.join("panel.csuassess"), &panel).expect("saved");
    csu_assess::store::save(&d.join("laptop.csuassess"), &laptop).expect("saved");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_csu-assess")).current_dir(d).args(args).output().expect("runs")
    };
    let out = run(&["merge", "panel.csuassess", "laptop.csuassess", "-o", "merged.csuassess"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("conflict: score/CF1/Ann was changed differently in two copies"), "{err}");
    assert!(err.contains("office") && err.contains("train"), "{err}");
    let out = run(&["audit", "merged.csuassess", "--verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("score CF1 by Ann: unscored -> 2 (evidence: panel view)"), "{text}");
    assert!(text.contains("CONFLICT score/CF1/Ann"), "{text}");

    let tampered = std::fs::read_to_string(d.join("panel.csuassess"))
        .expect("read")
        .replace("\"score\": 3,\n      \"evidence\": \"office\"", "\"score\": 4,\n      \"evidence\": \"office\"");
    std::fs::write(d.join("tampered.csuassess"), tampered).expect("w");
    let out = run(&["audit", "tampered.csuassess", "--verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let out = run(&["merge", "tampered.csuassess", "laptop.csuassess", "-o", "x.csuassess"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tampered.csuassess: copy 1's audit trail does not check"));
}
