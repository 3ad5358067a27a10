//! The record: the trail is the whole assessment. Every change on it with
//! old and new values; the panel's rules (membership, finishing, consensus,
//! sign-off) kept when recording and re-checked on every read; every field
//! of a saved file edited by hand refused by `audit --verify`, `score` and
//! `letter`; undo that only ever adds; merging reviewers' copies
//! (commutative, associative, idempotent, losing nothing, conflicts kept);
//! and concurrent writers that never lose a change.

use crate::util::*;
use csu_assess::assessment::{self, Assessment, Change, Edit, Entry};
use csu_assess::plan::Plan;
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

const AT: &str = "2012-09-02T10:00:00Z";

fn base() -> (Plan, Assessment) {
    let plan = example_plan("northern-star-full");
    let a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:00Z");
    (plan, a)
}

fn member(a: &mut Assessment, plan: &Plan, name: &str) {
    apply(a, plan, "Ann", join(name, "Member"), AT);
}

#[test]
fn every_change_is_on_the_record_with_old_and_new_values() {
    let (plan, mut a) = base();
    score(&mut a, &plan, "Ann", "CF1", 2, "first look", "2012-09-02T10:00:00Z").expect("scored");
    score(&mut a, &plan, "Ann", "CF1", 3, "after interview", "2012-09-03T10:00:00Z").expect("rescored");
    assert_eq!(a.audit.len(), 3);
    match &a.audit[2].change {
        Change::Score { old_score, score, old_evidence, .. } => {
            assert_eq!((*old_score, *score, old_evidence.as_deref()), (Some(2), Some(3), Some("first look")))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.audit[2].parents, vec![a.audit[1].hash.clone()]);
    assert!(matches!(a.audit[0].change, Change::Started { .. }), "the first entry starts it");
    assert_eq!(a.assessors.len(), 1);
    assert_eq!((a.assessors[0].name.as_str(), a.assessors[0].role.as_str()), ("Ann", "Chair"));
}

#[test]
fn identity_is_a_member_of_the_panel_never_a_typo() {
    let (plan, mut a) = base();
    member(&mut a, &plan, "Priya Shah");
    let err = score(&mut a, &plan, "Priya Sha", "CF1", 3, "x", AT).expect_err("not a member").to_string();
    assert_eq!(
        err,
        "Priya Sha is not a member of this panel (its members are Ann and Priya Shah); choose one of them, or have Priya Sha added first"
    );
    assert_eq!(a.assessors.len(), 2, "no fifth member made by a typo");
    let err = a
        .apply(&plan, "Priya Shah", &key("Priya Shah"), join("Raj", "Member"), AT)
        .expect_err("only the chair adds members")
        .to_string();
    assert_eq!(err, "only the panel's chair can add members or change their roles; the chair is Ann");
    let err = a.apply(&plan, "Ann", &key("Ann"), join("Priya Shah", "chair"), AT).expect_err("one chair").to_string();
    assert_eq!(err, "Ann is already the chair; change Ann's role first");
    let edit = Edit::Score { criterion: "CF1".into(), score: Some(2), evidence: "x".into() };
    apply(&mut a, &plan, "Priya Shah", edit, AT);
    let err = a
        .apply(&plan, "Ann", &key("Ann"), Edit::RemoveMember { name: "Priya Shah".into() }, AT)
        .expect_err("has scores");
    assert!(err.to_string().contains("has recorded changes"), "{err}");
}

#[test]
fn finishing_is_refused_until_every_criterion_has_the_members_score() {
    let (plan, mut a) = base();
    score(&mut a, &plan, "Ann", "CF1", 3, "x", AT).expect("scored");
    score(&mut a, &plan, "Ann", "CF2", 3, "x", AT).expect("scored");
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::FinishScoring, AT).expect_err("19 unscored").to_string();
    assert!(err.starts_with("Ann cannot finish scoring yet: these criteria are not scored by Ann: CF3, CF4,"), "{err}");
    assert!(err.ends_with("RM3"), "{err}");
}

/// A panel of three where everyone has scored everything at `level`, and
/// finished.
fn finished_panel(level: u8) -> (Plan, Assessment) {
    let (plan, mut a) = base();
    for name in ["Raj", "Siobhán"] {
        member(&mut a, &plan, name);
    }
    for name in ["Ann", "Raj", "Siobhán"] {
        score_every(&mut a, &plan, name, level, AT);
        apply(&mut a, &plan, name, Edit::FinishScoring, AT);
    }
    (plan, a)
}

fn agree_all(a: &mut Assessment, plan: &Plan, level: u8) {
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        let edit = Edit::Consensus { criterion: id, score: Some(level), rationale: "agreed at panel".into() };
        apply(a, plan, "Ann", edit, AT);
    }
}

#[test]
fn sign_off_is_the_chairs_only_when_nothing_else_is_missing_and_freezes_the_result() {
    let (plan, mut a) = finished_panel(3);
    let err = a.apply(&plan, "Raj", &key("Raj"), Edit::SignOff, AT).expect_err("not chair").to_string();
    assert_eq!(err, "only the panel's chair can sign off the result; the chair is Ann");
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::SignOff, AT).expect_err("no consensus yet").to_string();
    assert!(
        err.starts_with("the result cannot be signed off yet:\n  - the panel has not agreed a consensus for CF1"),
        "{err}"
    );
    agree_all(&mut a, &plan, 3);
    apply(&mut a, &plan, "Ann", Edit::SignOff, AT);
    assert!(a.sign_off.is_some());
    let change = Edit::Consensus { criterion: "LG1".into(), score: Some(1), rationale: "second thoughts".into() };
    let err = a.apply(&plan, "Ann", &key("Ann"), change.clone(), AT).expect_err("signed off").to_string();
    assert!(err.starts_with("the result was signed off by Ann"), "{err}");
    let err =
        a.apply(&plan, "Ann", &key("Ann"), Edit::Reopen { reason: " ".into() }, AT).expect_err("no reason").to_string();
    assert_eq!(err, "reopening a signed-off result needs a reason, for the record");
    let err =
        a.apply(&plan, "Raj", &key("Raj"), Edit::Reopen { reason: "x".into() }, AT).expect_err("not chair").to_string();
    assert!(err.starts_with("only the panel's chair can reopen"), "{err}");
    apply(&mut a, &plan, "Ann", Edit::Reopen { reason: "new evidence from the CCGs".into() }, AT);
    assert!(a.sign_off.is_none(), "reopened: no longer signed off");
    apply(&mut a, &plan, "Ann", change, AT);
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    assert!(e.missing.iter().any(|m| m == csu_assess::scoring::NOT_SIGNED_OFF), "{:?}", e.missing);
}

#[test]
fn a_member_still_scoring_sees_only_their_own_scores() {
    let (plan, mut a) = base();
    member(&mut a, &plan, "Raj");
    score_every(&mut a, &plan, "Ann", 4, AT);
    apply(&mut a, &plan, "Ann", Edit::FinishScoring, AT);
    score(&mut a, &plan, "Raj", "CF1", 1, "Raj's view", AT).expect("scored");
    let raj = a.view_for("Raj");
    assert!(!raj.sees_panel);
    assert!(raj.assessment.scores.iter().all(|s| s.assessor == "Raj"), "only Raj's own scores");
    assert!(raj.assessment.consensus.is_empty() && raj.assessment.discussions.is_empty());
    assert!(raj.assessment.audit.iter().all(|e| e.who == "Raj" || matches!(e.change, Change::Started { .. })));
    assert_eq!(raj.progress.iter().find(|p| p.name == "Ann").map(|p| (p.scored, p.finished)), Some((21, true)));
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &raj.assessment);
    assert_eq!(e.scored_count(), 1, "the evaluation of Raj's view knows only Raj's score");
    let ann = a.view_for("Ann");
    assert!(ann.sees_panel && ann.assessment.scores.len() == 22);
    let err = a
        .apply(&plan, "Raj", &key("Raj"), Edit::Discussion { criterion: "CF1".into(), note: "x".into() }, AT)
        .expect_err("blind");
    assert!(err.to_string().starts_with("Raj has not finished scoring"), "{err}");
}

#[test]
fn undo_and_redo_add_to_the_trail_and_never_take_from_it() {
    let (plan, mut a) = base();
    let first = score(&mut a, &plan, "Ann", "CF1", 2, "first", AT).expect("scored").expect("recorded");
    let second = score(&mut a, &plan, "Ann", "CF1", 4, "second", AT).expect("scored").expect("recorded");
    let undo = a.undo_of(&second).expect("undoable");
    let undone = apply(&mut a, &plan, "Ann", undo, AT);
    assert_eq!(a.audit.len(), 4, "undo appended an entry");
    assert_eq!(a.scores[0].score, 2);
    let undo = a.undo_of(&first).expect_err("CF1 changed since");
    assert!(undo.to_string().contains("was changed again since"), "{undo}");
    let redo = a.undo_of(&undone).expect("redo is the undo of the undo");
    apply(&mut a, &plan, "Ann", redo, AT);
    assert_eq!((a.audit.len(), a.scores[0].score, a.scores[0].evidence.as_str()), (5, 4, "second"));
    let only = a.audit[1..].iter().map(|e| e.hash.clone()).collect::<Vec<_>>();
    assert!(only.contains(&first) && only.contains(&second), "nothing left the record");
}

/// A saved panel that has finished, agreed and signed off: the file every
/// attack below starts from, with its plan beside it.
pub(crate) fn signed_file(dir: &Path) -> (Plan, Assessment) {
    let plan_bytes = csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w");
    std::fs::write(dir.join("plan.xlsx"), &plan_bytes).expect("plan written");
    let (plan, mut a) = finished_panel(3);
    agree_all(&mut a, &plan, 3);
    apply(&mut a, &plan, "Ann", Edit::SignOff, AT);
    csu_assess::store::save(&dir.join("a.csuassess"), &a).expect("saved");
    (plan, a)
}

pub(crate) fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json")
}

pub(crate) fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_vec_pretty(v).expect("bytes")).expect("written");
}

/// Re-hashes every entry after a hand edit, and re-links each to its
/// parents' new hashes, as a careful forger would.
fn rehash(trail: &mut [Value]) {
    let mut renamed: std::collections::HashMap<String, String> = Default::default();
    for e in trail.iter_mut() {
        for key in ["parents", "supersedes"] {
            if let Some(list) = e[key].as_array_mut() {
                for h in list.iter_mut() {
                    if let Some(new) = h.as_str().and_then(|old| renamed.get(old)) {
                        *h = Value::from(new.clone());
                    }
                }
            }
        }
        if let Some(new) = e["prev"].as_str().and_then(|old| renamed.get(old)) {
            e["prev"] = Value::from(new.clone());
        }
        let entry: Entry = serde_json::from_value(e.clone()).expect("an entry");
        let hash = entry.compute_hash();
        // The forger has no one's private key: the old signature stays.
        if let Some(old) = e["hash"].as_str() {
            renamed.insert(old.to_string(), hash.clone());
        }
        e["hash"] = Value::from(hash);
    }
}

/// An entry appended by hand, linked, hashed and signed with `who`'s own
/// key: what a member (or anyone with a key) could write outside the program.
pub(crate) fn forged(trail: &[Value], who: &str, change: Value) -> Value {
    let parents = vec![trail.last().expect("an entry")["hash"].as_str().expect("hash").to_string()];
    let change: Change = serde_json::from_value(change).expect("a change");
    let entries: Vec<Entry> = serde_json::from_value(Value::from(trail.to_vec())).expect("entries");
    let chain = csu_assess::assessment::Chain::after(&entries, &key(who).public(), None);
    serde_json::to_value(Entry::new("2012-09-30T10:00:00Z", who, change, parents, Vec::new(), chain, &key(who)))
        .expect("json")
}

#[test]
fn every_field_of_a_saved_file_edited_by_hand_is_refused_by_audit_score_and_letter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_file(d);
    let good = read_json(&d.join("a.csuassess"));
    install_key(d, "Ann");
    known_file(d, &["Ann", "Raj", "Siobhán"]);
    let ok = run_in(d, &["letter", "a.csuassess", "-o", "good.pdf", "--roster", "roster.json", "--as", "Ann"]);
    assert!(ok.status.success(), "the untouched file gives a final letter: {}", String::from_utf8_lossy(&ok.stderr));
    fn trail(v: &Value) -> Vec<Value> {
        v["trail"].as_array().cloned().expect("trail")
    }
    fn find(v: &Value, kind: &str) -> usize {
        trail(v).iter().position(|e| e["change"]["kind"] == kind).expect(kind)
    }
    let cp2 = csu_assess::criteria::builtin("cp2-outline-plan").expect("cp2").text;

    type Attack = Box<dyn Fn(&mut Value)>;
    let attacks: Vec<(&str, Attack)> = vec![
        (
            "a score",
            Box::new(|v: &mut Value| {
                let i = find(v, "score");
                v["trail"][i]["change"]["score"] = 4.into();
            }),
        ),
        (
            "evidence",
            Box::new(|v: &mut Value| {
                let i = find(v, "score");
                v["trail"][i]["change"]["evidence"] = "better".into();
            }),
        ),
        (
            "a consensus",
            Box::new(|v: &mut Value| {
                let i = find(v, "consensus");
                v["trail"][i]["change"]["score"] = 4.into();
            }),
        ),
        (
            "the sign-off's chair",
            Box::new(|v: &mut Value| {
                let i = find(v, "sign_off");
                v["trail"][i]["change"]["chair"] = "Raj".into();
            }),
        ),
        (
            "a sign-off added by hand",
            Box::new(|v: &mut Value| {
                let last = trail(v).last().expect("e")["hash"].clone();
                let entry = serde_json::json!({"at": "2012-09-30T10:00:00Z", "who": "Ann", "change": {"kind": "sign_off", "chair": "Ann"}, "parents": [last], "supersedes": [], "hash": "0"});
                v["trail"].as_array_mut().expect("trail").push(entry);
            }),
        ),
        ("a done flag added", Box::new(|v: &mut Value| v["done"] = serde_json::json!(["Raj"]))),
        (
            "discussions added",
            Box::new(|v: &mut Value| v["discussions"] = serde_json::json!([{"criterion": "CF1", "note": "x"}])),
        ),
        ("conflicts added", Box::new(|v: &mut Value| v["conflicts"] = serde_json::json!([]))),
        ("assessors listed", Box::new(|v: &mut Value| v["assessors"] = serde_json::json!([{"name": "Ann"}]))),
        (
            "a member's entry removed",
            Box::new(|v: &mut Value| {
                let at = find(v, "member");
                v["trail"].as_array_mut().expect("trail").remove(at);
            }),
        ),
        ("the chair changed", Box::new(|v: &mut Value| v["trail"][0]["change"]["role"] = "Member".into())),
        (
            "the plan fingerprint",
            Box::new(|v: &mut Value| v["trail"][0]["change"]["plan_fingerprint"] = "0".repeat(64).into()),
        ),
        (
            "the criteria text",
            Box::new(|v: &mut Value| {
                let t = v["framework_text"].as_str().expect("text").replace("gateway = 2", "gateway = 0");
                v["framework_text"] = t.into();
            }),
        ),
        ("the built-in checkpoint 2 criteria", Box::new(|v: &mut Value| v["framework_text"] = cp2.into())),
        (
            "an entry with no parents, re-hashed",
            Box::new(|v: &mut Value| {
                let mut t = trail(v);
                t[3]["parents"] = serde_json::json!([]);
                rehash(&mut t);
                v["trail"] = t.into();
            }),
        ),
        (
            "format 1 with an empty trail",
            Box::new(|v: &mut Value| {
                v["format_version"] = 1.into();
                v["trail"] = serde_json::json!([]);
            }),
        ),
    ];
    for (what, attack) in &attacks {
        let mut v = good.clone();
        attack(&mut v);
        write_json(&d.join("bad.csuassess"), &v);
        let audit = run_in(d, &["audit", "bad.csuassess", "--verify"]);
        assert_eq!(audit.status.code(), Some(1), "{what}: audit --verify: {}", String::from_utf8_lossy(&audit.stdout));
        let said = String::from_utf8_lossy(&audit.stderr).to_string();
        assert!(said.contains("bad.csuassess"), "{what}: {said}");
        let letter = vec!["letter", "bad.csuassess", "-o", "bad.pdf", "--roster", "roster.json", "--as", "Ann"];
        for verb in [vec!["score", "bad.csuassess"], letter] {
            let out = run_in(d, &verb);
            assert_eq!(out.status.code(), Some(2), "{what}: {} accepted it", verb[0]);
        }
        assert!(!d.join("bad.pdf").exists(), "{what}: a letter was written");
        eprintln!("{what}: {}", said.trim());
    }
}

#[test]
fn entries_forged_with_correct_hashes_that_break_the_panels_rules_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, mut a) = base();
    member(&mut a, &plan, "Raj");
    score(&mut a, &plan, "Raj", "CF1", 1, "x", AT).expect("scored");
    csu_assess::store::save(&d.join("a.csuassess"), &a).expect("saved");
    let good = read_json(&d.join("a.csuassess"));
    let cases = [
        ("Raj", serde_json::json!({"kind": "sign_off", "chair": "Raj"}), "only the panel's chair can sign off"),
        ("Mallory", serde_json::json!({"kind": "notes", "text": "pass them", "old": ""}), "Mallory is not a member"),
        ("Raj", serde_json::json!({"kind": "scoring_done", "assessor": "Raj"}), "Raj cannot finish scoring yet"),
        (
            "Raj",
            serde_json::json!({"kind": "consensus", "criterion": "CF1", "score": 4, "rationale": "x", "old_score": null, "old_rationale": null}),
            "Raj has not finished scoring",
        ),
        (
            "Raj",
            serde_json::json!({"kind": "score", "criterion": "CF1", "assessor": "Ann", "score": 4, "evidence": "", "old_score": null, "old_evidence": null}),
            "Raj cannot record Ann's score",
        ),
        (
            "Raj",
            serde_json::json!({"kind": "score", "criterion": "CF2", "assessor": "Raj", "score": 255, "evidence": "", "old_score": null, "old_evidence": null}),
            "a score of 255 is not on the scale 0-4",
        ),
    ];
    for (who, change, expected) in cases {
        let mut v = good.clone();
        let mut t = v["trail"].as_array().cloned().expect("trail");
        t.push(forged(&t, who, change));
        v["trail"] = t.into();
        write_json(&d.join("bad.csuassess"), &v);
        let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
        assert!(err.contains(expected) && err.contains("entry 4 ("), "{err}");
    }
    // A hand edit re-hashed throughout still has to keep the rules.
    let mut v = good.clone();
    let mut t = v["trail"].as_array().cloned().expect("trail");
    t[2]["change"]["score"] = 255.into();
    rehash(&mut t);
    v["trail"] = t.into();
    write_json(&d.join("bad.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
    assert!(err.contains("entry 3") && err.contains("is not signed by the key it names"), "{err}");
    // An entry signed by another key than the member's: Raj's score signed
    // with a key of Raj's own making.
    let mut v = good.clone();
    let mut t = v["trail"].as_array().cloned().expect("trail");
    let change = serde_json::json!({"kind": "score", "criterion": "CF2", "assessor": "Raj", "score": 4, "evidence": "", "old_score": null, "old_evidence": null});
    let mut e = forged(&t, "Raj", change);
    let other = csu_assess::keys::Identity::from_seed([7; 32]);
    let mut entry: Entry = serde_json::from_value(e.clone()).expect("entry");
    entry.signer = other.public();
    (entry.seq, entry.prev) = (Some(1), None);
    entry.hash = entry.compute_hash();
    entry.signature = other.sign(&entry.hash);
    e = serde_json::to_value(entry).expect("json");
    t.push(e);
    v["trail"] = t.into();
    write_json(&d.join("bad.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
    assert!(err.contains("entry 4") && err.contains("this computer's key is not the one recorded for Raj"), "{err}");
}

#[test]
fn fifos_devices_and_folders_are_refused_in_a_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    if cfg!(unix)
        && std::process::Command::new("mkfifo").arg(d.join("pipe.csuassess")).status().is_ok_and(|s| s.success())
    {
        let out = run_in(d, &["audit", "pipe.csuassess"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("it is a pipe (FIFO), not a file"));
    }
    for (name, what) in [("/dev/zero", "a device"), (".", "a folder")] {
        let out = run_in(d, &["score", name]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("it is {what}, not a file")), "{name}");
    }
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    assert!(run_in(d, &["examples", "--out", "."]).status.success());
    assert!(
        run_in(d, &["assess", "new", "northern-star-full.xlsx", "-o", "a.csuassess", "--as", "Ann", "--role", "Chair"])
            .status
            .success()
    );
    let raj = public_key(d, "Raj");
    assert!(run_in(d, &["assess", "member", "a.csuassess", "Raj", "--key", &raj, "--as", "Ann"]).status.success());
    let ids = crate::util::cp3_ids();
    let writer = |who: &'static str| {
        let d = d.to_path_buf();
        let ids = ids.clone();
        std::thread::spawn(move || {
            let mut kept = 0;
            for k in 0..50usize {
                let arg = format!("{}={}:{who} change {k}", ids[k % ids.len()], k % 5);
                let out = run_in(&d, &["assess", "set", "a.csuassess", "--as", who, &arg]);
                if out.status.success() {
                    kept += 1;
                } else {
                    let err = String::from_utf8_lossy(&out.stderr);
                    assert!(err.contains("a.csuassess"), "a refusal names the file: {err}");
                }
            }
            kept
        })
    };
    let (ann, raj) = (writer("Ann"), writer("Raj"));
    let accepted = ann.join().expect("ann") + raj.join().expect("raj");
    let a = csu_assess::store::load(&d.join("a.csuassess")).expect("loads");
    let scores = a.audit.iter().filter(|e| matches!(e.change, Change::Score { .. })).count();
    eprintln!("{accepted} of 100 concurrent changes accepted; {scores} on the record");
    assert_eq!(scores, accepted, "every change a writer reported as saved is on the record");
    assert!(accepted >= 90, "{accepted} of 100");
}

#[test]
fn independent_changes_to_one_item_are_kept_as_a_conflict_until_resolved() {
    let (plan, mut panel) = base();
    member(&mut panel, &plan, "Raj");
    score(&mut panel, &plan, "Ann", "CF1", 2, "panel view", "2012-09-02T10:00:00Z").expect("scored");
    let mut laptop = panel.clone();
    score(&mut panel, &plan, "Ann", "CF1", 3, "changed at the office", "2012-09-03T10:00:00Z").expect("scored");
    score(&mut laptop, &plan, "Ann", "CF1", 1, "changed on the train", "2012-09-03T11:00:00Z").expect("scored");
    score(&mut laptop, &plan, "Raj", "CF2", 4, "reviewer's own score", "2012-09-03T11:05:00Z").expect("scored");
    let mut merged = assessment::merge(&[panel.clone(), laptop.clone()]).expect("merged");
    assert_eq!(merged.conflicts.len(), 1, "{:#?}", merged.conflicts);
    assert_eq!(merged.conflicts[0].item, "score/CF1/Ann");
    assert!(merged.scores.iter().any(|s| s.criterion == "CF2" && s.assessor == "Raj" && s.score == 4));
    score(&mut merged, &plan, "Ann", "CF1", 2, "agreed after talking it through", "2012-09-05T10:00:00Z")
        .expect("resolved");
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.audit.last().map(|e| e.parents.len()), Some(2), "the resolution follows both copies");
    let again = assessment::merge(&[merged.clone(), laptop]).expect("merged again");
    assert!(again.conflicts.is_empty(), "the resolution supersedes both versions");
}

#[test]
fn a_sign_off_does_not_cover_changes_merged_from_a_copy_the_chair_had_not_seen() {
    let (plan, a) = finished_panel(3);
    let mut office = a.clone();
    agree_all(&mut office, &plan, 3);
    let mut laptop = office.clone();
    apply(&mut office, &plan, "Ann", Edit::SignOff, AT);
    let late = Edit::Consensus { criterion: "LG1".into(), score: Some(1), rationale: "the MD resigned".into() };
    apply(&mut laptop, &plan, "Raj", late, AT);
    let merged = assessment::merge(&[office, laptop]).expect("merged");
    assert!(merged.sign_off.is_none(), "the sign-off does not cover the LG1 change");
    assert_eq!(merged.uncovered.len(), 1, "{:?}", merged.uncovered);
    let e = csu_assess::scoring::evaluate(&plan, merged.framework(), &merged);
    assert!(e.missing.iter().any(|m| m.contains("the chair must sign off again")), "{:?}", e.missing);
}

#[test]
fn copies_of_different_assessments_are_refused() {
    let (plan, a) = base();
    let b = start_as(&plan, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:01Z");
    assert!(matches!(assessment::merge(&[a, b]), Err(assessment::MergeError::DifferentAssessment { index: 2, .. })));
}

/// A copy made from `start` by random edits of three members.
fn copy_with(start: &Assessment, plan: &Plan, edits: &[(usize, u8, usize)], who: &str) -> Assessment {
    let mut a = start.clone();
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for (k, (criterion, level, assessor)) in edits.iter().enumerate() {
        let assessor = ["Ann", "Raj", "Siobhán"][*assessor % 3];
        let at = format!("2012-09-{:02}T{:02}:{:02}:00Z", 2 + k % 20, k % 24, (k * 7) % 60);
        score(&mut a, plan, assessor, &ids[criterion % ids.len()], level % 5, &format!("{who} edit {k}"), &at)
            .expect("scored");
    }
    a
}

fn json(a: &Assessment) -> Vec<u8> {
    csu_assess::store::to_bytes(a)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn merge_is_commutative_associative_idempotent_and_loses_nothing(
        shared in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..4),
        x in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..6),
        y in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..6),
        z in prop::collection::vec((0usize..21, 0u8..5, 0usize..3), 0..6),
    ) {
        let (plan, mut start) = base();
        member(&mut start, &plan, "Raj");
        member(&mut start, &plan, "Siobhán");
        let start = copy_with(&start, &plan, &shared, "shared");
        let (a, b, c) = (copy_with(&start, &plan, &x, "a"), copy_with(&start, &plan, &y, "b"), copy_with(&start, &plan, &z, "c"));
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
    let (plan, mut panel) = base();
    score(&mut panel, &plan, "Ann", "CF1", 2, "panel view", "2012-09-02T10:00:00Z").expect("scored");
    let mut laptop = panel.clone();
    score(&mut panel, &plan, "Ann", "CF1", 3, "office", "2012-09-03T10:00:00Z").expect("scored");
    score(&mut laptop, &plan, "Ann", "CF1", 1, "train", "2012-09-03T11:00:00Z").expect("scored");
    csu_assess::store::save(&d.join("panel.csuassess"), &panel).expect("saved");
    csu_assess::store::save(&d.join("laptop.csuassess"), &laptop).expect("saved");
    let out = run_in(d, &["merge", "panel.csuassess", "laptop.csuassess", "-o", "merged.csuassess"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("conflict: score/CF1/Ann was changed differently in two copies"), "{err}");
    assert!(err.contains("office") && err.contains("train"), "{err}");
    known_file(d, &["Ann", "Raj", "Siobhán"]);
    let out = run_in(d, &["audit", "merged.csuassess", "--verify", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("score CF1 by Ann: unscored -> 2 (evidence: panel view)"), "{text}");
    assert!(text.contains("CONFLICT score/CF1/Ann"), "{text}");
    assert!(text.contains("The record of merged.csuassess holds together: 4 entries"), "{text}");
    assert!(text.contains("Every entry counts under the BDU's roster. Checked against roster version 2"), "{text}");

    let tampered = std::fs::read_to_string(d.join("panel.csuassess"))
        .expect("read")
        .replace("\"evidence\": \"office\"", "\"evidence\": \"the office\"");
    std::fs::write(d.join("tampered.csuassess"), tampered).expect("w");
    let out = run_in(d, &["audit", "tampered.csuassess", "--verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("entry 3 (2012-09-03T10:00:00Z, Ann) was altered"));
    let out = run_in(d, &["merge", "tampered.csuassess", "laptop.csuassess", "-o", "x.csuassess"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tampered.csuassess: the record does not check"));
}

#[test]
fn a_closed_output_pipe_ends_a_verb_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_file(d);
    for verb in [
        vec!["audit", "a.csuassess"],
        vec!["assess", "show", "a.csuassess", "--json"],
        vec!["score", "a.csuassess", "--json"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess"))
            .current_dir(d)
            .args(&verb)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawned");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("ran");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{verb:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{verb:?}");
    }
}

#[test]
fn an_entry_written_after_a_sign_off_is_refused_on_reading_unless_the_result_was_reopened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_file(d);
    let good = read_json(&d.join("a.csuassess"));
    let late = serde_json::json!({"kind": "consensus", "criterion": "LG1", "score": 1, "rationale": "changed after sign-off", "old_score": 3, "old_rationale": "Agreed at 3"});
    // Signed properly by the chair's own key, outside the program.
    let mut v = good.clone();
    let mut t = v["trail"].as_array().cloned().expect("trail");
    t.push(forged(&t, "Ann", late.clone()));
    let n = t.len();
    v["trail"] = t.into();
    write_json(&d.join("bad.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
    assert!(err.contains(&format!("entry {n} (")) && err.contains("the result was signed off by Ann"), "{err}");
    // Reopened with a reason first, the same change is on the record.
    let mut v = good.clone();
    let mut t = v["trail"].as_array().cloned().expect("trail");
    t.push(forged(&t, "Ann", serde_json::json!({"kind": "reopened", "reason": "the MD resigned"})));
    t.push(forged(&t, "Ann", late));
    v["trail"] = t.into();
    write_json(&d.join("reopened.csuassess"), &v);
    let a = csu_assess::store::load(&d.join("reopened.csuassess")).expect("a reopened result takes changes");
    assert!(a.sign_off.is_none());
    assert_eq!(a.audit.len(), n + 1, "the reopening and the change are both on the record");
}
