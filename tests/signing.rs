//! Signed records and checkable letters: what an attacker with a laptop,
//! a text editor and a hash tool can and cannot do, and an offline
//! reviewer's work from panel to verified letter across two computers.

use crate::util::*;
use csu_assess::assessment::{Edit, Entry};
use serde_json::Value;
use std::path::Path;

const AT: &str = "2012-09-02T10:00:00Z";

/// Ann (chair) and Raj have scored and finished; saved in `dir`.
fn panel_file(dir: &Path) -> csu_assess::plan::Plan {
    let plan_bytes = csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w");
    std::fs::write(dir.join("plan.xlsx"), &plan_bytes).expect("plan written");
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:00Z");
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), AT);
    for who in ["Ann", "Raj"] {
        score_every(&mut a, &plan, who, 3, AT);
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    csu_assess::store::save(&dir.join("a.csuassess"), &a).expect("saved");
    plan
}

fn trail(path: &Path) -> (Value, Vec<Entry>) {
    let v: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    let t = serde_json::from_value(v["trail"].clone()).expect("entries");
    (v, t)
}

fn write(path: &Path, mut v: Value, t: &[Entry]) {
    v["trail"] = serde_json::to_value(t).expect("json");
    std::fs::write(path, serde_json::to_vec_pretty(&v).expect("bytes")).expect("written");
}

/// Re-links, re-hashes and re-signs every entry from `from` on, each with
/// the key `sign` gives its author (`None`: the forger lacks it and leaves
/// the old signature).
fn rewrite(t: &mut [Entry], from: usize, sign: impl Fn(&str) -> Option<csu_assess::keys::Identity>) {
    let mut renamed = std::collections::HashMap::new();
    for i in from..t.len() {
        let (before, rest) = t.split_at_mut(i);
        let e = &mut rest[0];
        for h in e.parents.iter_mut().chain(e.supersedes.iter_mut()).chain(e.prev.iter_mut()) {
            if let Some(new) = renamed.get(h) {
                *h = String::clone(new);
            }
        }
        let old = e.hash.clone();
        if let Some(k) = sign(&e.who) {
            e.signer = k.public();
            // A careful forger puts the entry at the next place in the
            // signing key's own chain.
            let chain = csu_assess::assessment::Chain::after(before, &e.signer, None);
            (e.seq, e.prev) = (Some(chain.seq), chain.prev);
        }
        e.hash = e.compute_hash();
        if let Some(k) = sign(&e.who) {
            e.signature = k.sign(&e.hash);
        }
        renamed.insert(old, e.hash.clone());
    }
}

#[test]
fn a_member_cannot_rewrite_another_members_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    panel_file(d);
    let path = d.join("a.csuassess");
    let (v, good) = trail(&path);
    let raj_score = good.iter().position(|e| e.who == "Raj" && e.change.item().starts_with("score/")).expect("score");

    // Ann, with her own key, changes Raj's score and re-signs what she can.
    let mut t = good.clone();
    if let csu_assess::assessment::Change::Score { score, .. } = &mut t[raj_score].change {
        *score = Some(0);
    }
    rewrite(&mut t, raj_score, |who| (who == "Ann").then(|| key("Ann")));
    write(&d.join("bad.csuassess"), v.clone(), &t);
    let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
    assert!(
        err.contains(&format!("entry {} ", raj_score + 1)) && err.contains("is not signed by the key it names"),
        "{err}"
    );

    // Ann signs Raj's changed score with her own key instead.
    let mut t = good.clone();
    if let csu_assess::assessment::Change::Score { score, .. } = &mut t[raj_score].change {
        *score = Some(0);
    }
    rewrite(&mut t, raj_score, |_| Some(key("Ann")));
    write(&d.join("bad.csuassess"), v.clone(), &t);
    let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
    assert!(err.contains("this computer's key is not the one recorded for Raj"), "{err}");

    // A key swapped in the entry that added Raj, nothing re-signed.
    let mut t = good.clone();
    let joined = t.iter().position(|e| e.change.item() == "member/Raj").expect("join");
    if let csu_assess::assessment::Change::Member { key: k, .. } = &mut t[joined].change {
        *k = Some(key("Mallory").public());
    }
    write(&d.join("bad.csuassess"), v.clone(), &t);
    let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err("refused").to_string();
    assert!(err.contains(&format!("entry {} ", joined + 1)) && err.contains("was altered"), "{err}");
}

/// What one laptop can do: its owner holds the chair's key, and rewrites
/// the whole record from the start with a key of their own for Raj. The
/// record then holds together, but the BDU's known keys expose it: Raj's
/// entries are signed by a key the BDU does not know, and no final letter
/// can be issued.
#[test]
fn a_rewritten_history_is_exposed_by_the_bdus_known_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    panel_file(d);
    let path = d.join("a.csuassess");
    let (v, good) = trail(&path);
    let mut t = good.clone();
    let joined = t.iter().position(|e| e.change.item() == "member/Raj").expect("join");
    if let csu_assess::assessment::Change::Member { key: k, .. } = &mut t[joined].change {
        *k = Some(key("Mallory").public());
    }
    rewrite(&mut t, joined, |who| Some(if who == "Raj" { key("Mallory") } else { key(who) }));
    write(&d.join("forged.csuassess"), v, &t);
    csu_assess::store::load(&d.join("forged.csuassess")).expect("a whole rewrite holds together");
    known_file(d, &["Ann", "Raj"]);
    let out = run_in(d, &["audit", "forged.csuassess", "--verify", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(6), "entries the roster does not vouch for fail the check");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Raj: key ") && said.contains("not in the BDU's roster"), "{said}");
    assert!(said.contains("Ann: key ") && said.contains("Ann's in the BDU's roster"), "{said}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is signed by key") && err.contains("which the BDU's roster does not list"), "{err}");
}

#[test]
fn letters_edited_cut_or_from_another_record_are_not_verified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    succeeded(run_in(d, &["examples", "--out", "."]));
    known_keys(d, &["Jane Holt"]);
    for (plan, file) in
        [("northern-star-full.xlsx", "ns.csuassess"), ("capital-commissioning-full.xlsx", "cap.csuassess")]
    {
        succeeded(run_in(d, &["assess", "new", plan, "-o", file, "--as", "Jane Holt"]));
        let ids: Vec<String> = cp3_ids().iter().map(|id| format!("{id}=4:evidence")).collect();
        let mut args = vec!["assess", "set", file, "--as", "Jane Holt"];
        args.extend(ids.iter().map(String::as_str));
        succeeded(run_in(d, &args));
        let interviews = interviews_file(d, file);
        succeeded(run_in(d, &["ccg", "record", file, "--from", &interviews.to_string_lossy(), "--as", "Jane Holt"]));
        let pdf = file.replace(".csuassess", ".pdf");
        // The weak plan fails its gateways: a final letter all the same.
        succeeded(run_in(d, &["letter", file, "-o", &pdf, "--roster", "roster.json", "--as", "Jane Holt"]));
    }
    let good = std::fs::read(d.join("ns.pdf")).expect("letter");
    let verify = |bytes: &[u8]| {
        std::fs::write(d.join("check.pdf"), bytes).expect("w");
        run_in(d, &["verify", "check.pdf", "ns.csuassess", "--roster", "roster.json"])
    };
    assert_eq!(verify(&good).status.code(), Some(0));
    // A byte changed inside the first content stream.
    let mut edited = good.clone();
    let at = edited.windows(6).position(|w| w == b"stream").expect("a stream") + 12;
    edited[at] ^= 0x20;
    let out = verify(&edited);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("changed after it was issued"));
    assert_eq!(verify(&good[..good.len() / 2]).status.code(), Some(1), "truncated");
    let other = std::fs::read(d.join("cap.pdf")).expect("the other CSU's letter");
    let out = verify(&other);
    assert_eq!(out.status.code(), Some(1), "another assessment's letter");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no letter with these contents was issued from this record"));
}

/// The chair starts the panel on her laptop; a reviewer on another
/// computer (another key folder) scores a copy offline; the copies are
/// merged; the chair signs off; the letter is issued and verified.
#[test]
fn an_offline_reviewer_from_panel_to_verified_letter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    succeeded(run_in(d, &["examples", "--out", "."]));
    let plan = "northern-star-full.xlsx";
    succeeded(run_in(d, &["assess", "new", plan, "-o", "panel.csuassess", "--as", "Ann", "--role", "Chair"]));
    let priya = public_key(d, "Priya");
    succeeded(run_in(
        d,
        &["assess", "member", "panel.csuassess", "Priya", "--role", "SHA reviewer", "--key", &priya, "--as", "Ann"],
    ));
    std::fs::copy(d.join("panel.csuassess"), d.join("priya.csuassess")).expect("the reviewer's copy");
    let all =
        |level: u8| -> Vec<String> { cp3_ids().iter().map(|id| format!("{id}={level}:seen in the plan")).collect() };
    for (who, file, level) in [("Ann", "panel.csuassess", 4), ("Priya", "priya.csuassess", 3)] {
        let scores = all(level);
        let mut args = vec!["assess", "set", file, "--as", who];
        args.extend(scores.iter().map(String::as_str));
        succeeded(run_in(d, &args));
        succeeded(run_in(d, &["assess", "done", file, "--as", who]));
    }
    // The CCGs are interviewed on both computers: Ann holds the first
    // three, from a file; Priya the others, each from the command line.
    let plan = csu_assess::plan::import(&d.join("northern-star-full.xlsx")).expect("plan");
    let (ann, priya): (Vec<_>, Vec<_>) = plan.customers.iter().enumerate().partition(|(i, _)| *i < 3);
    let mine: Vec<_> = ann.iter().map(|(_, c)| confirming(&c.ccg)).collect();
    std::fs::write(d.join("ann.json"), serde_json::to_vec(&mine).expect("json")).expect("w");
    succeeded(run_in(d, &["ccg", "record", "panel.csuassess", "--from", "ann.json", "--as", "Ann"]));
    for (_, c) in &priya {
        let args = [
            "ccg",
            "record",
            "priya.csuassess",
            "--ccg",
            &c.ccg,
            "--interviewee",
            "Dr Ruth Ames",
            "--role",
            "Chief Officer",
            "--on",
            "2012-09-11",
            "--how",
            "call",
            "--sla",
            "Signed",
            "--share",
            "at least half",
            "--affordable",
            "yes",
            "--set-aside",
            "£11.52",
            "--confidence",
            "quite",
            "--met-leader",
            "yes",
            "--after",
            "stay",
            "--services",
            "business_intelligence,Healthcare procurement,business support,communications_and_engagement",
            "--as",
            "Priya",
        ];
        succeeded(run_in(d, &args));
    }
    // A copy someone else edited on the way back is refused, named.
    let mut tampered = std::fs::read_to_string(d.join("priya.csuassess")).expect("read");
    tampered = tampered.replacen("\"score\": 3", "\"score\": 1", 1);
    std::fs::write(d.join("tampered.csuassess"), tampered).expect("w");
    let out = run_in(d, &["merge", "panel.csuassess", "tampered.csuassess", "-o", "x.csuassess"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tampered.csuassess: the record does not check: entry"));

    succeeded(run_in(d, &["merge", "panel.csuassess", "priya.csuassess", "-o", "merged.csuassess"]));
    let shown = succeeded(run_in(d, &["ccg", "show", "merged.csuassess"]));
    assert!(shown.contains("6 of the plan's 6 CCGs interviewed"), "{shown}");
    assert!(shown.contains("held by Ann") && shown.contains("held by Priya"), "both computers' interviews: {shown}");
    let json: Value =
        serde_json::from_str(&succeeded(run_in(d, &["ccg", "show", "merged.csuassess", "--json"]))).expect("json");
    assert_eq!(json["figures"]["ccgs_sla_confirmed_share"], 1.0, "{json}");
    let score = succeeded(run_in(d, &["score", "merged.csuassess"]));
    assert!(score.contains("What the CCGs said (6 interviewed)") && score.contains("6 of 6 CCGs, covering"), "{score}");
    for id in cp3_ids() {
        succeeded(run_in(
            d,
            &["assess", "consensus", "merged.csuassess", &format!("{id}=4"), "--rationale", "agreed", "--as", "Ann"],
        ));
    }
    succeeded(run_in(d, &["assess", "sign-off", "merged.csuassess", "--as", "Ann"]));
    known_keys(d, &["Ann", "Priya"]);
    let said = succeeded(run_in(
        d,
        &["letter", "merged.csuassess", "-o", "letter.pdf", "--roster", "roster.json", "--as", "Ann"],
    ));
    assert!(said.contains("Authorised"), "{said}");
    let text = lopdf::Document::load(d.join("letter.pdf")).expect("a PDF");
    let text: String =
        (1..=text.get_pages().len() as u32).map(|p| text.extract_text(&[p]).unwrap_or_default()).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("The Business Development Unit interviewed 6 of the 6 CCGs the plan lists"), "{text}");
    assert!(text.contains("interviewed by Priya") && text.contains("interviewed by Ann"), "{text}");
    let verified = succeeded(run_in(d, &["verify", "letter.pdf", "merged.csuassess", "--roster", "roster.json"]));
    assert!(verified.contains("issued from merged.csuassess") && verified.contains("by Ann"), "{verified}");
    let audit = succeeded(run_in(d, &["audit", "merged.csuassess", "--verify", "--roster", "roster.json"]));
    assert!(audit.contains("Priya: key ") && audit.contains("Priya's in the BDU's roster"), "{audit}");
}
