//! Each author's entries form one chain: a copied key that signs a second
//! history is a fork, found on reading and on merging and never joined; a
//! restored backup continues its author's chain instead of forking it; and
//! order comes from the links, so a score backdated before its author's
//! finish is replayed after it and refused.

use crate::util::*;
use csu_assess::assessment::{self, Assessment, Chain, Change, Edit, Entry};
use csu_assess::plan::Plan;

const AT: &str = "2012-09-02T10:00:00Z";

/// Ann (chair) and Raj on a panel.
fn panel() -> (Plan, Assessment) {
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:00Z");
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), AT);
    (plan, a)
}

/// `name`'s key copied onto another computer: the same private key, none
/// of the memory of where it last signed.
fn copied_key(name: &str) -> csu_assess::keys::Identity {
    let seed = csu_assess::plan::fingerprint(name.as_bytes());
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&seed[2 * i..2 * i + 2], 16).expect("hex");
    }
    csu_assess::keys::Identity::from_seed(bytes)
}

fn reread(trail: Vec<Entry>, a: &Assessment) -> Result<Assessment, String> {
    Assessment::from_record(&a.plan.path, &a.framework.source, &a.framework.text, trail).map_err(|e| e.to_string())
}

fn score_edit(criterion: &str, level: u8) -> Edit {
    Edit::Score { criterion: criterion.into(), score: Some(level), evidence: "seen in the plan".into() }
}

#[test]
fn a_copied_key_signing_a_second_history_is_a_fork_on_merging_and_reading() {
    let (plan, a) = panel();
    let (mut ann, mut thief) = (a.clone(), a.clone());
    ann.apply(&plan, "Ann", &key("Ann"), score_edit("CF1", 3), AT).expect("Ann scores");
    thief.apply(&plan, "Ann", &copied_key("Ann"), score_edit("CF2", 0), AT).expect("the thief signs as Ann");
    let err = assessment::merge(&[ann.clone(), thief.clone()]).expect_err("a fork is not joined").to_string();
    assert!(
        err.contains("are both signed by key a927 eee5 f6ba ae3d at one place in its chain")
            && err.contains("two different histories"),
        "{err}"
    );
    // The same two entries in one file, as a forger would write it.
    let mut trail = ann.audit.clone();
    trail.push(thief.audit.last().expect("entry").clone());
    let err = reread(trail, &a).expect_err("refused on reading");
    assert!(err.contains("entry 4") && err.contains("entry 3") && err.contains("one place in its chain"), "{err}");

    // A cleverer thief skips ahead in the chain: one position is one
    // entry before, so this is the same fork.
    let mut e = thief.audit.last().expect("entry").clone();
    e.seq = Some(1000);
    e.hash = e.compute_hash();
    e.signature = copied_key("Ann").sign(&e.hash);
    let mut trail = ann.audit.clone();
    trail.push(e);
    let err = reread(trail, &a).expect_err("refused on reading");
    assert!(err.contains("one place in its chain"), "{err}");
}

#[test]
fn chains_that_are_broken_dropped_or_borrowed_are_refused_naming_the_entry() {
    let (plan, mut a) = panel();
    apply(&mut a, &plan, "Raj", score_edit("CF1", 2), AT);
    let raj = key("Raj");
    let signed = |mut e: Entry| {
        e.hash = e.compute_hash();
        e.signature = raj.sign(&e.hash);
        e
    };
    let next = |a: &Assessment, change: Change| {
        let chain = Chain::after(&a.audit, &raj.public(), None);
        let parents = vec![a.audit.last().expect("entry").hash.clone()];
        Entry::new("2012-09-03T10:00:00Z", "Raj", change, parents, Vec::new(), chain, &raj)
    };
    let done = Change::ScoringDone { assessor: "Raj".into() };
    // Following Ann's entry as if it were Raj's own.
    let mut e = next(&a, done.clone());
    e.prev = Some(a.audit[1].hash.clone());
    let mut trail = a.audit.clone();
    trail.push(signed(e));
    let err = reread(trail, &a).expect_err("borrowed");
    assert!(err.contains("entry 4") && err.contains("is not an earlier entry of the same author"), "{err}");
    // Without a place in the chain, after Raj's chained entry.
    let mut e = next(&a, done.clone());
    (e.seq, e.prev) = (None, None);
    let mut trail = a.audit.clone();
    trail.push(signed(e));
    let err = reread(trail, &a).expect_err("dropped");
    assert!(err.contains("entry 4") && err.contains("carries no place in its author's chain"), "{err}");
    // Placed in the trail before the author's entry it follows.
    let e = next(&a, done);
    let mut trail = a.audit.clone();
    trail.insert(2, signed(e.clone()));
    let err = reread(trail, &a).expect_err("out of order");
    assert!(err.contains("entry 3"), "{err}");
}

#[test]
fn a_score_backdated_before_its_authors_finish_is_replayed_after_it_and_refused() {
    let (plan, mut a) = panel();
    for who in ["Ann", "Raj"] {
        score_every(&mut a, &plan, who, 3, AT);
    }
    let before_done = a.audit.last().expect("entry").hash.clone();
    apply(&mut a, &plan, "Raj", Edit::FinishScoring, "2012-09-05T10:00:00Z");
    // Raj, having seen Ann's scores, signs a new score in his own chain
    // (after his finish) but dated a second before it, and linked to the
    // trail as it stood before he finished.
    let raj = key("Raj");
    let chain = Chain::after(&a.audit, &raj.public(), None);
    let change = Change::Score {
        criterion: "CF1".into(),
        assessor: "Raj".into(),
        score: Some(0),
        evidence: "after all".into(),
        old_score: Some(3),
        old_evidence: None,
    };
    let forged = Entry::new("2012-09-05T09:59:59Z", "Raj", change, vec![before_done], Vec::new(), chain, &raj);
    let copy_trail: Vec<Entry> = a.audit.iter().cloned().chain([forged.clone()]).collect();
    // Merged in from a copy, it is put after his finish by its link, not
    // before it by its clock, and refused there.
    let ordered = assessment::audit::ordered(copy_trail);
    let at = ordered.iter().position(|e| e.hash == forged.hash).expect("kept");
    let done_at = ordered.iter().position(|e| matches!(e.change, Change::ScoringDone { .. })).expect("done");
    assert!(at > done_at, "the backdated score follows the finish it links to");
    let err = reread(ordered, &a).expect_err("refused");
    assert!(err.contains("Raj has finished scoring"), "{err}");
}

#[test]
fn a_restored_backup_continues_its_authors_chain_and_merges_with_the_newer_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    succeeded(run_in(d, &["examples", "--out", "."]));
    let file = "a.csuassess";
    succeeded(run_in(d, &["assess", "new", "northern-star-full.xlsx", "-o", file, "--as", "Ann", "--role", "Chair"]));
    succeeded(run_in(d, &["assess", "set", file, "--as", "Ann", "CF1=3:seen"]));
    std::fs::copy(d.join(file), d.join("backup.csuassess")).expect("backup");
    succeeded(run_in(d, &["assess", "set", file, "--as", "Ann", "CF2=3:seen"]));
    std::fs::copy(d.join(file), d.join("sent.csuassess")).expect("a copy sent to a reviewer");
    std::fs::copy(d.join("backup.csuassess"), d.join(file)).expect("the backup restored");
    succeeded(run_in(d, &["assess", "set", file, "--as", "Ann", "CF3=3:seen"]));
    known_keys(d, &["Ann"]);
    succeeded(run_in(d, &["audit", file, "--verify", "--roster", "roster.json"]));
    succeeded(run_in(d, &["merge", file, "sent.csuassess", "-o", "merged.csuassess"]));
    let merged = csu_assess::store::load(&d.join("merged.csuassess")).expect("merged");
    let scored: Vec<&str> = merged.scores.iter().map(|s| s.criterion.as_str()).collect();
    assert_eq!(scored, ["CF1", "CF2", "CF3"]);
    succeeded(run_in(d, &["audit", "merged.csuassess", "--verify", "--roster", "roster.json"]));
}

#[test]
fn a_record_and_letter_format_3_wrote_still_check_and_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for f in ["record.csuassess", "letter.pdf", "plan.xlsx"] {
        std::fs::copy(fixture("format3").join(f), d.join(f)).expect("fixture");
    }
    known_file(d, &["Ann", "Raj", "Priya"]);
    succeeded(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "roster.json"]));
    let said = succeeded(run_in(d, &["verify", "letter.pdf", "record.csuassess", "--roster", "roster.json"]));
    // Worded by the program of its day, it is held to its decision and figures.
    assert!(
        said.contains("issued from record.csuassess")
            && said.contains("It was worded by an earlier version (format 3) of the program")
            && said.contains("its decision and figures (10 of them"),
        "{said}"
    );
    // An earlier version's letter whose figures are not the record's: Ann
    // re-signs the issuing entry to list a letter of a weaker record.
    let weaker = d.join("weaker");
    std::fs::create_dir(&weaker).expect("folder");
    std::fs::copy(d.join("plan.xlsx"), weaker.join("plan.xlsx")).expect("plan");
    let mut a = csu_assess::store::load(&d.join("record.csuassess")).expect("read");
    a.plan.path = "plan.xlsx".into();
    let plan = a.open_plan(&d.join("record.csuassess")).expect("plan");
    let (_, other) = csu_assess::letter::write(
        &plan,
        a.framework(),
        &{
            let mut b = a.clone();
            b.audit.truncate(b.audit.len() - 30);
            csu_assess::assessment::Assessment::from_record(
                "plan.xlsx",
                &a.framework.source,
                &a.framework.text,
                b.audit,
            )
            .expect("an earlier state")
        },
        &csu_assess::letter::Templates::builtin(),
        &known(&["Ann", "Raj", "Priya"]),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("date"),
    )
    .expect("written");
    std::fs::write(d.join("doctored.pdf"), &other).expect("w");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("record.csuassess")).expect("read")).expect("json");
    let issued = v["trail"].as_array_mut().expect("trail").last_mut().expect("entry");
    issued["change"]["sha256"] = csu_assess::plan::fingerprint(&other).into();
    let mut entry: Entry = serde_json::from_value(issued.clone()).expect("entry");
    entry.hash = entry.compute_hash();
    entry.signature = key("Ann").sign(&entry.hash);
    *issued = serde_json::to_value(entry).expect("json");
    std::fs::write(d.join("doctored.csuassess"), serde_json::to_vec(&v).expect("json")).expect("w");
    let out = run_in(d, &["verify", "doctored.pdf", "doctored.csuassess", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // Work goes on in it: new entries are chained after the old ones.
    install_key(d, "Ann");
    succeeded(run_in(d, &["assess", "reopen", "record.csuassess", "--reason", "an appeal", "--as", "Ann"]));
    succeeded(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "roster.json"]));
    let a = csu_assess::store::load(&d.join("record.csuassess")).expect("read");
    assert_eq!(a.audit.last().and_then(|e| e.seq), Some(1));
}

/// What an attacker found and the reading now refuses: an entry with no
/// place in a chain written after chained entries (to slip a fork past),
/// a time that is no time ("yesterday"), and a place past any honest chain.
#[test]
fn unchained_undated_and_overflowing_entries_are_refused() {
    let (plan, a) = panel();
    let ann = key("Ann");
    let sign = |mut e: Entry| {
        e.hash = e.compute_hash();
        e.signature = ann.sign(&e.hash);
        e
    };
    let next = |change: Change| {
        let chain = Chain::after(&a.audit, &ann.public(), None);
        let parents = vec![a.audit.last().expect("entry").hash.clone()];
        Entry::new("2012-09-03T10:00:00Z", "Ann", change, parents, Vec::new(), chain, &ann)
    };
    let notes = || Change::Notes { text: "forged".into(), old: String::new() };
    // A copied key writing without a chain, dated before the rest.
    let mut e = next(notes());
    (e.seq, e.prev) = (None, None);
    let mut trail = a.audit.clone();
    trail.push(sign(e));
    assert!(reread(trail, &a).expect_err("refused").contains("carries no place in its author's chain"));
    let mut e = next(notes());
    e.at = "yesterday".into();
    let mut trail = a.audit.clone();
    trail.push(sign(e));
    assert!(reread(trail, &a).expect_err("refused").contains("is dated \"yesterday\", which is no date and time"));
    let mut e = next(notes());
    e.seq = Some(u64::MAX);
    let mut trail = a.audit.clone();
    trail.push(sign(e));
    let err = reread(trail, &a).expect_err("refused");
    assert!(err.contains("the author's chain is broken"), "{err}");
    let _ = plan;
}
