//! The BDU's roster as an attacker meets it: a panel made outside the BDU
//! with keys of its own under the BDU's names; a BDU assessor signing as
//! another; a roster edited by hand or signed by another office; a letter
//! doctored and listed by a re-signed chair's entry; and a stolen key,
//! revoked after the last entry the office trusts, while its owner goes on
//! with a new key.

use crate::util::*;
use csu_assess::assessment::{Assessment, Edit, Start};
use csu_assess::keys::{Identity, Purpose};
use csu_assess::plan::Plan;
use csu_assess::roster::{OfficeKey, OfficeSource, Roster, Trust, Trusted};
use std::path::Path;

const AT: &str = "2012-09-10T10:00:00Z";

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("a date")
}

/// A panel of Ann (chair), Raj and Priya, each signing with `keys(name)`,
/// who score every criterion at `level`, finish, agree and sign off; saved
/// in `dir` beside its plan.
fn signed_off(dir: &Path, level: u8, keys: &dyn Fn(&str) -> Identity) -> (Plan, Assessment) {
    let workbook = csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("w");
    std::fs::write(dir.join("plan.xlsx"), &workbook).expect("plan");
    let plan = csu_assess::plan::import_bytes("plan.xlsx", &workbook).expect("imported");
    let builtin = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3");
    let framework = builtin.framework().expect("valid");
    let start = Start {
        plan_path: "plan.xlsx",
        source: "built-in cp3-full-plan.toml",
        text: builtin.text,
        at: "2012-09-01T09:00:00Z",
        id: "roster-test",
        by: "Ann",
        role: "Chair",
        key: &keys("Ann"),
    };
    let mut a = Assessment::start(&plan, &framework, start).expect("started");
    let act = |a: &mut Assessment, who: &str, edit: Edit| {
        a.apply(&plan, who, &keys(who), edit, AT).expect("applied");
    };
    for m in ["Raj", "Priya"] {
        act(&mut a, "Ann", Edit::AddMember { name: m.into(), role: "Member".into(), key: Some(keys(m).public()) });
    }
    for c in &plan.customers {
        act(&mut a, "Raj", Edit::CcgInterview(Box::new(confirming(&c.ccg))));
    }
    // The leaders' interview: Raj's private notes, and Ann's agreed account.
    act(&mut a, "Raj", Edit::LeadersNote { question: "L1".into(), text: "Raj: the MD hesitated".into() });
    act(&mut a, "Ann", Edit::LeadersAccount { question: "L1".into(), text: "Five SLAs are signed.".into() });
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for who in ["Ann", "Raj", "Priya"] {
        for id in &ids {
            let edit = Edit::Score { criterion: id.clone(), score: Some(level), evidence: "seen in the plan".into() };
            act(&mut a, who, edit);
        }
        act(&mut a, who, Edit::FinishScoring);
    }
    for id in &ids {
        act(&mut a, "Ann", Edit::Consensus { criterion: id.clone(), score: Some(level), rationale: "agreed".into() });
    }
    act(&mut a, "Ann", Edit::SignOff);
    csu_assess::store::save(&dir.join("record.csuassess"), &a).expect("saved");
    (plan, a)
}

/// An office of someone's own making, with its own roster of `people`.
fn other_office(people: &[(&str, Identity)]) -> Trust {
    let office = Identity::from_seed([9; 32]);
    let enrolled: Vec<(&str, String)> = people.iter().map(|(n, k)| (*n, k.public())).collect();
    let holders: Vec<&Identity> = people.iter().map(|(_, k)| k).collect();
    let roster = certified(roster_signed_by(&office, &enrolled), &office, &holders);
    let pinned = OfficeKey { key: office.public(), source: OfficeSource::BesideProgram("elsewhere".into()) };
    Trust::with(pinned, roster)
}

/// Keys of someone's own making, one per name.
fn seeded(n: u8) -> impl Fn(&str) -> Identity {
    move |name: &str| key(&format!("{name}, made outside the BDU ({n})"))
}

fn code_and_err(out: std::process::Output) -> (Option<i32>, String) {
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_panel_made_outside_the_bdu_under_the_bdus_names_is_refused_on_the_bdus_computer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // Someone outside the BDU: keys and an office of her own, names of the BDU's.
    let keys = seeded(1);
    signed_off(d, 1, &keys);
    let own = other_office(&[("Ann", keys("Ann")), ("Raj", keys("Raj")), ("Priya", keys("Priya"))]);
    let made = csu_assess::letter::issue(&d.join("record.csuassess"), &wording(), &own, &keys("Ann"), AT, day())
        .expect("her own program issues it");
    std::fs::write(d.join("letter.pdf"), &made.pdf).expect("letter");
    // On the BDU's computer, with the BDU's roster of the real Ann, Raj and Priya.
    known_file(d, &["Ann", "Raj", "Priya"]);
    let (code, err) = code_and_err(run_in(d, &["verify", "letter.pdf", "record.csuassess", "--roster", "roster.json"]));
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains("entry 1") && err.contains("which the BDU's roster does not list"), "{err}");
    assert!(err.contains("not confirmed as the BDU's"), "{err}");
    let (code, err) = code_and_err(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "roster.json"]));
    assert_eq!(code, Some(6), "{err}");
    // Her roster, signed by her office, is not the BDU's.
    std::fs::write(d.join("hers.json"), serde_json::to_vec(&own.roster).expect("json")).expect("w");
    let (code, err) = code_and_err(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "hers.json"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("hers.json: the roster is signed for the office key") && err.contains("not the BDU's roster"),
        "{err}"
    );
    // Without a roster nothing is vouched for: not a pass.
    let (code, err) = code_and_err(run_in(d, &["verify", "letter.pdf", "record.csuassess"]));
    assert_eq!(code, Some(7), "{err}");
    // A reader outside the BDU names the office key the BDU publishes: the same verdict, saying which key.
    let outside = std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess"))
        .current_dir(d)
        .env("CSU_ASSESS_KEY_DIR", d.join(".reader"))
        .args([
            "verify",
            "letter.pdf",
            "record.csuassess",
            "--roster",
            "roster.json",
            "--office-key",
            &office().public(),
        ])
        .output()
        .expect("runs");
    let (code, err) = code_and_err(outside);
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains("as named with --office-key"), "{err}");
    assert!(!d.join(".reader").exists(), "reading made no key");
}

#[test]
fn a_bdu_assessor_signing_as_another_or_chairing_without_leave_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // Raj, enrolled under his own name, starts the record as "Ann".
    let keys = |name: &str| if name == "Ann" { key("Raj") } else { key(&format!("{name} 2")) };
    signed_off(d, 3, &keys);
    let people = [("Raj", key("Raj").public()), ("Raj 2", key("Raj 2").public()), ("Priya", key("Priya 2").public())];
    let bdu = trust_in(roster_of(&people));
    let err = csu_assess::letter::issue(&d.join("record.csuassess"), &wording(), &bdu, &key("Raj"), AT, day())
        .err()
        .expect("no letter")
        .to_string();
    assert!(err.contains("is signed as Ann with key") && err.contains("which the BDU's roster gives to Raj"), "{err}");
    // A chair the roster does not let chair.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_off(d, 3, &|n: &str| key(n));
    let mut roster =
        roster_of(&[("Ann", key("Ann").public()), ("Raj", key("Raj").public()), ("Priya", key("Priya").public())]);
    roster = roster
        .edited(&office(), AT, |body| {
            body.assessors.iter_mut().find(|e| e.name == "Ann").expect("Ann").may_chair = false;
            Ok(())
        })
        .expect("signed");
    let a = csu_assess::store::load(&d.join("record.csuassess")).expect("read");
    let untrusted: Vec<String> = trust_in(roster).check(&a).iter().map(|u| u.to_string()).collect();
    assert!(untrusted.iter().any(|u| u.contains("Ann may not sign off the panel's result")), "{untrusted:?}");
    assert!(untrusted.iter().any(|u| u.contains("Ann may not start a panel as its chair")), "{untrusted:?}");
    // An office key named by hand never issues a letter.
    let named = OfficeKey { key: office().public(), source: OfficeSource::Named };
    let people = [("Ann", key("Ann").public()), ("Raj", key("Raj").public()), ("Priya", key("Priya").public())];
    let trust = Trust::with(named, roster_of(&people));
    let err = csu_assess::letter::issue(&d.join("record.csuassess"), &wording(), &trust, &key("Ann"), AT, day())
        .err()
        .expect("no letter")
        .to_string();
    assert!(err.contains("letters are issued only on a BDU computer"), "{err}");
}

#[test]
fn a_roster_edited_by_hand_or_older_than_the_one_in_force_is_not_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_off(d, 3, &|n: &str| key(n));
    known_file(d, &["Ann", "Raj"]);
    let text = std::fs::read_to_string(d.join("roster.json")).expect("read");
    let mallory = format!(
        "\"assessors\": [{{\"name\": \"Priya\", \"key\": \"{}\", \"may_chair\": true, \"office\": false, \"retired\": false}},",
        key("Priya").public()
    );
    std::fs::write(d.join("edited.json"), text.replacen("\"assessors\": [", &mallory, 1)).expect("w");
    let (code, err) = code_and_err(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "edited.json"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("edited.json: the roster's signature does not match its contents"), "{err}");
    let (code, err) = code_and_err(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "roster.json"]));
    assert_eq!(code, Some(6), "Priya is not enrolled: {err}");
    assert!(err.contains("signed by key") && err.contains("does not list"), "{err}");
    // The office's verbs never write an older version over a newer one.
    let older = Roster::load(&d.join("roster.json"), &office().public()).expect("read");
    let newer = older.edited(&office(), AT, |_| Ok(())).expect("signed");
    newer.save(&d.join("roster.json")).expect("saved");
    let err = older.edited(&office(), AT, |_| Ok(())).expect("signed").save(&d.join("roster.json")).expect_err("older");
    assert!(err.to_string().contains("the roster there is version 3, newer than the version 2"), "{err}");
    // Of two rosters at hand, the newer is the one in force.
    let pinned = OfficeKey { key: office().public(), source: OfficeSource::Named };
    std::fs::write(d.join("old.json"), serde_json::to_vec(&older).expect("json")).expect("w");
    let trust = Trust::find(Some(pinned), Some(&d.join("old.json"))).expect("found");
    assert_eq!(trust.roster.map(|r| r.body.version), Some(2));
}

#[test]
fn a_doctored_letter_listed_by_a_re_signed_chairs_entry_is_refused_by_its_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_off(d, 3, &|n: &str| key(n));
    known_file(d, &["Ann", "Raj", "Priya"]);
    let bdu = known(&["Ann", "Raj", "Priya"]);
    let file = d.join("record.csuassess");
    let made = csu_assess::letter::issue(&file, &wording(), &bdu, &key("Ann"), AT, day()).expect("issued");
    std::fs::write(d.join("genuine.pdf"), &made.pdf).expect("w");
    // The chair makes a "Not authorised" letter from a record of her own
    // with the same plan, and re-signs her issuing entry to list it.
    let other = tempfile::tempdir().expect("tempdir");
    signed_off(other.path(), 1, &|n: &str| key(n));
    let fail =
        csu_assess::letter::issue(&other.path().join("record.csuassess"), &wording(), &bdu, &key("Ann"), AT, day())
            .expect("issued");
    std::fs::write(d.join("doctored.pdf"), &fail.pdf).expect("w");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    let trail = v["trail"].as_array_mut().expect("trail");
    let last = trail.last_mut().expect("entry");
    last["change"]["sha256"] = csu_assess::plan::fingerprint(&fail.pdf).into();
    let mut entry: csu_assess::assessment::Entry = serde_json::from_value(last.clone()).expect("entry");
    entry.hash = entry.compute_hash();
    entry.signature = key("Ann").sign(&entry.hash);
    *last = serde_json::to_value(entry).expect("json");
    std::fs::write(&file, serde_json::to_vec_pretty(&v).expect("json")).expect("w");
    succeeded(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "roster.json"]));
    let (code, err) =
        code_and_err(run_in(d, &["verify", "doctored.pdf", "record.csuassess", "--roster", "roster.json"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("the record as it stood then does not produce this letter"), "{err}");
    // A wording the reader cannot produce is said, not guessed.
    let (code, _) = code_and_err(run_in(d, &["verify", "genuine.pdf", "record.csuassess", "--roster", "roster.json"]));
    assert_eq!(code, Some(1), "the genuine letter's hash is no longer the one listed");
}

#[test]
fn a_stolen_key_drill_revoked_after_the_last_trusted_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let workbook = csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("w");
    std::fs::write(d.join("plan.xlsx"), &workbook).expect("plan");
    let plan = csu_assess::plan::import_bytes("plan.xlsx", &workbook).expect("imported");
    let builtin = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3");
    let start = Start {
        plan_path: "plan.xlsx",
        source: "built-in cp3-full-plan.toml",
        text: builtin.text,
        at: "2012-09-01T09:00:00Z",
        id: "drill",
        by: "Ann",
        role: "Chair",
        key: &key("Ann"),
    };
    let mut a = Assessment::start(&plan, &builtin.framework().expect("valid"), start).expect("started");
    for m in ["Raj", "Priya"] {
        apply(&mut a, &plan, "Ann", join(m, "Member"), AT);
    }
    for who in ["Ann", "Raj", "Priya"] {
        score_every(&mut a, &plan, who, 3, AT);
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    let last_trusted = a.audit.iter().rev().find(|e| e.who == "Ann").expect("Ann's").hash.clone();
    // Ann's laptop is stolen: the thief, with her key, agrees a consensus in his copy.
    let mut thief = a.clone();
    let stolen = Identity::from_seed({
        let s = csu_assess::plan::fingerprint(b"Ann");
        std::array::from_fn(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
    });
    let zero = Edit::Consensus { criterion: "CF1".into(), score: Some(0), rationale: "no SLA".into() };
    thief.apply(&plan, "Ann", &stolen, zero, "2012-09-11T10:00:00Z").expect("the thief signs");
    csu_assess::store::save(&d.join("thief.csuassess"), &thief).expect("saved");
    // The office revokes Ann's key after her last trusted entry and enrols her new one.
    let roster =
        roster_of(&[("Ann", key("Ann").public()), ("Raj", key("Raj").public()), ("Priya", key("Priya").public())]);
    let roster = roster
        .edited(&office(), AT, |body| {
            body.assessors.push(chair_entry("Ann", &key("Ann 2").public()));
            body.certify(&office(), &key("Ann 2").public(), key("Ann 2").p256(Purpose::LetterSigning).verifying_key())?;
            body.revoked.push(csu_assess::roster::Revocation {
                key: key("Ann").public(),
                reason: "laptop stolen on 11 September".into(),
                trusted: vec![Trusted { record: a.id.clone(), last: last_trusted.clone() }],
            });
            Ok(())
        })
        .expect("signed");
    std::fs::write(d.join("roster.json"), serde_json::to_vec(&roster).expect("json")).expect("w");
    // Ann's new key is recorded by another member (she chairs), and she carries on.
    apply(
        &mut a,
        &plan,
        "Raj",
        Edit::ReplaceKey { name: "Ann".into(), key: key("Ann 2").public(), reason: "laptop stolen".into() },
        AT,
    );
    let ann = key("Ann 2");
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        let edit = Edit::Consensus { criterion: id, score: Some(3), rationale: "agreed".into() };
        a.apply(&plan, "Ann", &ann, edit, "2012-09-12T10:00:00Z").expect("agreed");
    }
    a.apply(&plan, "Ann", &ann, Edit::SignOff, "2012-09-12T11:00:00Z").expect("signed off");
    let file = d.join("record.csuassess");
    csu_assess::store::save(&file, &a).expect("saved");
    let made =
        csu_assess::letter::issue(&file, &wording(), &trust_in(roster.clone()), &ann, "2012-09-14T09:00:00Z", day())
            .expect("the letter is issued with Ann's new key");
    std::fs::write(d.join("letter.pdf"), &made.pdf).expect("w");
    // Ann's earlier work stands; the letter verifies.
    succeeded(run_in(d, &["audit", "record.csuassess", "--verify", "--roster", "roster.json"]));
    let said = succeeded(run_in(d, &["verify", "letter.pdf", "record.csuassess", "--roster", "roster.json"]));
    assert!(said.contains("byte for byte"), "{said}");
    // The thief's entries are refused everywhere: in his copy, and joined with the panel's.
    let (code, err) = code_and_err(run_in(d, &["audit", "thief.csuassess", "--verify", "--roster", "roster.json"]));
    assert_eq!(code, Some(6), "{err}");
    assert!(
        err.contains("revoked by the BDU (laptop stolen on 11 September)")
            && err.contains("comes after the last entry of this key the office trusts"),
        "{err}"
    );
    let merged = run_in(d, &["merge", "record.csuassess", "thief.csuassess", "-o", "merged.csuassess"]);
    if merged.status.success() {
        let (code, err) =
            code_and_err(run_in(d, &["audit", "merged.csuassess", "--verify", "--roster", "roster.json"]));
        assert_ne!(code, Some(0), "{err}");
    }
}

/// The Python check ASSESSMENT-FILE.md gives readers, run as written there,
/// on genuine records (format 4 with its roster, and format 3) and forged
/// ones: an entry edited, a fork, keys outside the roster, a revoked key,
/// a roster edited by hand.
#[test]
fn the_python_in_the_file_format_document_checks_records_as_the_program_does() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ASSESSMENT-FILE.md")).expect("doc");
    let start = doc.find("```python\n").expect("a python block") + "```python\n".len();
    let end = start + doc[start..].find("```").expect("its end");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let script = d.join("check_record.py");
    std::fs::write(&script, &doc[start..end]).expect("script");
    let office = office().public();
    let check = |record: &Path, roster: Option<&Path>| {
        let mut args = vec![script.to_str().expect("utf8").to_string(), record.to_str().expect("utf8").to_string()];
        if let Some(roster) = roster {
            args.extend([roster.to_str().expect("utf8").to_string(), office.clone()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tool("python3", &args).map(|out| (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned()))
    };
    let genuine = d.join("genuine");
    std::fs::create_dir(&genuine).expect("folder");
    signed_off(&genuine, 3, &|n: &str| key(n));
    known_file(&genuine, &["Ann", "Raj", "Priya"]);
    let record = genuine.join("record.csuassess");
    let roster = genuine.join("roster.json");
    let Some((code, said)) = check(&record, Some(&roster)) else { return };
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("entries checked"), "{said}");
    let (code, said) = check(&fixture("format3").join("record.csuassess"), None).expect("python3");
    assert_eq!(code, Some(0), "format 3: {said}");

    // A private note beside the trail edited by hand.
    let text = std::fs::read_to_string(&record).expect("read");
    assert!(text.contains("Raj: the MD hesitated"), "the record carries a private text");
    std::fs::write(d.join("note.csuassess"), text.replacen("the MD hesitated", "the MD was clear", 1)).expect("w");
    let (code, said) = check(&d.join("note.csuassess"), None).expect("python3");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("is not one an entry committed to"), "{said}");
    // An entry edited by hand.
    std::fs::write(d.join("edited.csuassess"), text.replacen("\"agreed\"", "\"agreed by all\"", 1)).expect("w");
    let (code, said) = check(&d.join("edited.csuassess"), None).expect("python3");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("its hash does not match its contents"), "{said}");
    // A fork: Ann's key signs a second entry at the place of her last.
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let trail = v["trail"].as_array_mut().expect("trail");
    let mut twin: csu_assess::assessment::Entry =
        serde_json::from_value(trail.last().expect("entry").clone()).expect("e");
    twin.at = "2012-09-11T10:00:00Z".into();
    twin.hash = twin.compute_hash();
    twin.signature = key("Ann").sign(&twin.hash);
    trail.push(serde_json::to_value(twin).expect("json"));
    std::fs::write(d.join("fork.csuassess"), serde_json::to_vec(&v).expect("json")).expect("w");
    let (code, said) = check(&d.join("fork.csuassess"), None).expect("python3");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("a fork"), "{said}");
    let (code, _) = code_and_err(run_in(d, &["audit", "fork.csuassess", "--verify"]));
    assert_eq!(code, Some(1), "the program agrees");
    // Keys the roster does not list.
    let outside = d.join("outside");
    std::fs::create_dir(&outside).expect("folder");
    signed_off(&outside, 1, &seeded(2));
    let (code, said) = check(&outside.join("record.csuassess"), Some(&roster)).expect("python3");
    assert_eq!(code, Some(6), "{said}");
    assert!(said.contains("entry 1") && said.contains("its key is not in the roster"), "{said}");
    // A revoked key, trusted in no record.
    let people = [("Ann", key("Ann").public()), ("Raj", key("Raj").public()), ("Priya", key("Priya").public())];
    let revoked = roster_of(&people)
        .edited(&crate::util::office(), AT, |body| {
            body.revoked.push(csu_assess::roster::Revocation {
                key: key("Raj").public(),
                reason: "laptop stolen".into(),
                trusted: Vec::new(),
            });
            Ok(())
        })
        .expect("signed");
    std::fs::write(d.join("revoked.json"), serde_json::to_vec(&revoked).expect("json")).expect("w");
    let (code, said) = check(&record, Some(&d.join("revoked.json"))).expect("python3");
    assert_eq!(code, Some(6), "{said}");
    assert!(said.contains("Raj): its key was revoked (laptop stolen)"), "{said}");
    // A roster edited by hand.
    let edited =
        std::fs::read_to_string(&roster).expect("read").replacen("\"may_chair\": true", "\"may_chair\": false", 1);
    std::fs::write(d.join("edited.json"), edited).expect("w");
    let (code, said) = check(&record, Some(&d.join("edited.json"))).expect("python3");
    assert_eq!(code, Some(2), "{said}");
}

/// Two letters issued in two copies of one record (the chair issued one,
/// then, in a copy that had not seen it, reopened and issued another):
/// once the copies are joined, neither stands alone, and `verify` says so
/// of each rather than calling both genuine.
#[test]
fn two_letters_issued_apart_both_no_longer_stand_once_joined() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, a) = signed_off(d, 3, &|n: &str| key(n));
    let file = d.join("record.csuassess");
    let bdu = known(&["Ann", "Raj", "Priya"]);
    let issue = |a: &mut Assessment, at: &str| {
        let (letter, pdf) =
            csu_assess::letter::write(&plan, a.framework(), a, &wording(), &bdu, day()).expect("written");
        let edit = Edit::IssueLetter {
            reference: letter.reference.clone(),
            code: letter.code.clone(),
            sha256: csu_assess::plan::fingerprint(&pdf),
            date: day(),
            wording: wording().fingerprint,
        };
        a.apply(&plan, "Ann", &key("Ann"), edit, at).expect("issued");
        pdf
    };
    let mut first = a.clone();
    let one = issue(&mut first, "2012-09-14T10:00:00Z");
    let mut second = a;
    second.apply(&plan, "Ann", &key("Ann"), Edit::Reopen { reason: "a late CCG letter".into() }, AT).expect("reopened");
    second.apply(&plan, "Ann", &key("Ann"), Edit::SignOff, AT).expect("signed off");
    let two = issue(&mut second, "2012-09-14T11:00:00Z");
    let merged = csu_assess::assessment::merge(&[first, second]).expect("joined");
    for pdf in [&one, &two] {
        match csu_assess::letter::verify(pdf, &merged, &file, Some(&wording())) {
            Ok(csu_assess::letter::Verdict::Superseded { by, .. }) => {
                assert!(by.contains("after it or beside it") || by.contains("reopened"), "{by}")
            }
            other => panic!("{other:?}"),
        }
    }
}

/// The office's verbs as the office uses them: a roster made, assessors
/// enrolled (one imported from the old known-keys list), a key retired
/// (what it signed still counts) and a key revoked after a named entry of
/// a record; every edit a new signed version; another office's key edits
/// nothing.
#[test]
fn the_office_keeps_its_roster_with_its_verbs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    signed_off(d, 3, &|n: &str| key(n));
    let office = |args: &[&str]| {
        let mut all = vec!["roster"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--roster", "bdu.json", "--office-dir", "office"]);
        run_in(d, &all)
    };
    succeeded(office(&["init"]));
    let pinned = std::fs::read_to_string(d.join("office-key.txt")).expect("the office key to install");
    let (code, err) = code_and_err(office(&["init"]));
    assert_eq!(code, Some(2), "a roster is never made twice: {err}");
    let (code, err) = code_and_err(office(&["add", "Ann", &key("Ann").public(), "--chair"]));
    assert_eq!(code, Some(2), "a chair's letters are signed: their letter-signing key is asked for");
    assert!(err.contains("--letter-key"), "{err}");
    succeeded(office(&["add", "Ann", &key("Ann").public(), "--chair", "--letter-key", &key("Ann").letter_key()]));
    std::fs::write(d.join("known.toml"), csu_assess::keys::known_entry("Raj", &key("Raj"))).expect("w");
    let said = succeeded(office(&["import", "known.toml", "--chair", "Raj"]));
    assert!(said.contains("is now version 3"), "{said}");
    let (code, err) = code_and_err(office(&["add", "Someone", &key("Raj").public()]));
    assert_eq!(code, Some(2));
    assert!(err.contains("is already enrolled, as Raj's"), "{err}");
    succeeded(office(&["add", "Priya", &key("Priya").public()]));
    let check = |file: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess"))
            .current_dir(d)
            .args(["audit", "record.csuassess", "--verify", "--roster", file, "--office-key", pinned.trim()])
            .output()
            .expect("runs");
        code_and_err(out)
    };
    assert_eq!(check("bdu.json").0, Some(0), "{}", check("bdu.json").1);
    // Priya's laptop is replaced: her old key is retired and keeps what it signed.
    succeeded(office(&["retire", &key("Priya").public()]));
    assert_eq!(check("bdu.json").0, Some(0), "{}", check("bdu.json").1);
    // Raj's is stolen: revoked after his finish, the last entry the office trusts.
    let a = csu_assess::store::load(&d.join("record.csuassess")).expect("read");
    let finished = a.audit.iter().position(|e| e.who == "Raj" && e.change.item() == "done/Raj").expect("done") + 1;
    let trusted = format!("record.csuassess:{finished}");
    succeeded(office(&["revoke", &key("Raj").public(), "--reason", "laptop stolen", "--trust", &trusted]));
    assert_eq!(check("bdu.json").0, Some(0), "Raj's work up to his finish stands: {}", check("bdu.json").1);
    let earlier = format!("record.csuassess:{}", finished - 1);
    succeeded(office(&["revoke", &key("Raj").public(), "--reason", "laptop stolen", "--trust", &earlier]));
    let (code, err) = check("bdu.json");
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains(&format!("entry {finished} ")) && err.contains("revoked by the BDU (laptop stolen)"), "{err}");
    let shown = succeeded(office(&["show"]));
    assert!(shown.contains("version 7") && shown.contains("REVOKED") && shown.contains("retired"), "{shown}");
    // Chairs sign letters: Ann's letter-signing key was certified as she
    // was enrolled, Raj's as his known-keys entry gave it; Priya, no
    // chair, has none.
    let signs = |name: &str| shown.lines().any(|l| l.trim_start().starts_with(name) && l.contains("signs letters"));
    assert!(signs("Ann") && signs("Raj") && !signs("Priya"), "{shown}");
    let refused = |args: &[&str], says: &str| {
        let (code, err) = code_and_err(office(args));
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    // Lee chairs, enrolled from a list that gave no letter-signing key.
    let entry = format!("[[assessor]]\nname = \"Lee\"\nkey = \"{}\"\n", key("Lee").public());
    std::fs::write(d.join("lee.toml"), entry).expect("w");
    let said = succeeded(office(&["import", "lee.toml", "--chair", "Lee"]));
    assert!(said.contains("gave no letter-signing key, so cannot issue letters until `roster certify`: Lee"), "{said}");
    refused(&["import", "lee.toml", "--chair", "Lee"], "is already enrolled; nothing was written");
    let lee = key("Lee").public();
    refused(&["certify", &lee, "--letter-key", &lee], "is not a letter-signing key");
    refused(&["certify", &lee, "--letter-key", &key("Ann").letter_key()], "was not handed over by the holder of key");
    refused(&["certify", &key("Priya").public(), "--letter-key", &key("Priya").letter_key()], "is retired");
    succeeded(office(&["add", "Sam", &key("Sam").public()]));
    refused(&["certify", &key("Sam").public(), "--letter-key", &key("Sam").letter_key()], "Sam may not chair");
    refused(&["add", "Kim", &key("Kim").public(), "--letter-key", &key("Kim").letter_key()], "Kim may not chair");
    refused(&["certify", &key("Ann").public(), "--letter-key", &key("Ann").letter_key()], "already certified");
    refused(&["certify", &key("Raj").public(), "--letter-key", &key("Raj").letter_key()], "is revoked (laptop stolen)");
    succeeded(office(&["certify", &lee, "--letter-key", &key("Lee").letter_key()]));
    let roster = Roster::load(&d.join("bdu.json"), pinned.trim()).expect("signed by the office");
    let ca = roster.authority().expect("readable").expect("made with the roster");
    let certificate = roster.enrolled(&lee).and_then(|e| e.certificate.clone()).expect("certified");
    let certificate = csu_assess::certificates::from_hex(&certificate, "Lee's").expect("readable");
    assert!(csu_assess::certificates::issued_by(&certificate, &ca));
    assert_eq!(csu_assess::certificates::common_name(&certificate).as_deref(), Some("Lee"));
    // The office publishes its authority and the page for recipients.
    let said = succeeded(office(&["publish", "--out", "published"]));
    let fingerprint = csu_assess::certificates::fingerprint(&ca);
    assert!(said.contains(&fingerprint), "{said}");
    let page = std::fs::read_to_string(d.join("published/checking-a-letter.txt")).expect("the page");
    assert!(page.contains(&fingerprint) && page.contains("pdfsig -nssdir") && page.contains("Acrobat"), "{page}");
    assert!(page.contains("still shows as signed") && !page.contains('{'), "{page}");
    let pem = std::fs::read_to_string(d.join("published/bdu-office-ca.pem")).expect("PEM");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    let der = std::fs::read(d.join("published/bdu-office-ca.cer")).expect("DER");
    assert_eq!(der, csu_assess::certificates::der(&ca));
    // Another office's key edits nothing.
    let (code, err) = code_and_err(run_in(
        d,
        &["roster", "add", "Mallory", &key("Mallory").public(), "--roster", "bdu.json", "--office-dir", "elsewhere"],
    ));
    assert_eq!(code, Some(2));
    assert!(err.contains("there is no office key here"), "{err}");
}

/// What an attacker found and the checks now refuse: a name that differs
/// from the enrolled one only by a no-break space counts as another person;
/// an office key named by hand never stands in for the pinned one; control
/// characters in a record never reach the terminal; leaving out a role
/// never demotes the chair.
#[test]
fn lookalike_names_named_office_keys_and_terminal_escapes_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, mut a) = signed_off(d, 3, &|n: &str| key(n));
    // Ann, enrolled with two keys, seats herself twice under a lookalike name.
    let roster = roster_of(&[("Ann", key("Ann").public()), ("Ann", key("Ann2").public())]);
    let b = start_as(&plan, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:00Z");
    // Her second key seated, and its score, written by hand under the lookalike name.
    let mut trail = b.audit.clone();
    let seat = csu_assess::assessment::Change::Member {
        name: "Ann\u{a0}".into(),
        role: "Member".into(),
        old_role: None,
        key: Some(key("Ann2").public()),
    };
    let chain = csu_assess::assessment::Chain::after(&trail, &key("Ann").public(), None);
    let tips = csu_assess::assessment::audit::tips(&trail);
    trail.push(csu_assess::assessment::Entry::new(AT, "Ann", seat, tips, Vec::new(), chain, &key("Ann")));
    let change = csu_assess::assessment::Change::Score {
        criterion: "CF1".into(),
        assessor: "Ann\u{a0}".into(),
        score: Some(4),
        evidence: "a second vote".into(),
        old_score: None,
        old_evidence: None,
    };
    let chain = csu_assess::assessment::Chain::after(&trail, &key("Ann2").public(), None);
    let tips = csu_assess::assessment::audit::tips(&trail);
    trail.push(csu_assess::assessment::Entry::new(AT, "Ann\u{a0}", change, tips, Vec::new(), chain, &key("Ann2")));
    let b = Assessment::from_record(&b.plan.path, &b.framework.source, &b.framework.text, trail)
        .expect("the panel's rules alone see two members");
    let untrusted: Vec<String> = trust_in(roster).check(&b).iter().map(ToString::to_string).collect();
    assert!(untrusted.iter().any(|u| u.contains("which the BDU's roster gives to Ann")), "{untrusted:?}");
    // The pinned key wins over one named by hand.
    known_file(d, &["Ann", "Raj", "Priya"]);
    let (code, err) = code_and_err(run_in(
        d,
        &["audit", "record.csuassess", "--verify", "--roster", "roster.json", "--office-key", &key("Mallory").public()],
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("this computer pins the BDU office key"), "{err}");
    // An escape sequence in a note is shown as its code.
    let _ = a.apply(&plan, "Ann", &key("Ann"), Edit::Reopen { reason: "fix \u{1b}[2K\u{1b}[1A a figure".into() }, AT);
    csu_assess::store::save(&d.join("record.csuassess"), &a).expect("saved");
    let printed = succeeded(run_in(d, &["audit", "record.csuassess", "--roster", "roster.json"]));
    assert!(!printed.contains('\u{1b}') && printed.contains("\\u{1b}[2K"), "{printed}");
    // No role given keeps the chair the chair.
    let kept =
        a.apply(&plan, "Ann", &key("Ann"), Edit::AddMember { name: "Ann".into(), role: String::new(), key: None }, AT);
    assert!(matches!(kept, Ok(None)), "{kept:?}");
    assert_eq!(a.chair().as_deref(), Some("Ann"));
}

/// A member who records a new key for the chair that the roster does not
/// give her is named, not believed.
#[test]
fn a_new_key_the_roster_does_not_give_its_member_does_not_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:00Z");
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), AT);
    let hijack =
        Edit::ReplaceKey { name: "Ann".into(), key: key("Raj's spare").public(), reason: "lost laptop".into() };
    apply(&mut a, &plan, "Raj", hijack, AT);
    let trust = known(&["Ann", "Raj"]);
    let untrusted: Vec<String> = trust.check(&a).iter().map(ToString::to_string).collect();
    assert!(
        untrusted
            .iter()
            .any(|u| u.contains("gives Ann the key") && u.contains("which the BDU's roster does not give Ann")),
        "{untrusted:?}"
    );
    let _ = d;
}
