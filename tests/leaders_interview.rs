//! The leaders' interview: the script from the framework and the chair's
//! changes to it, members' notes hidden as scores are, the agreed account,
//! the rules on recording and on reading, a disclosed copy without the
//! notes, and what the letter says of it.

use crate::record::{forged, read_json, write_json};
use crate::util::*;
use csu_assess::assessment::{Assessment, Change, Edit};
use csu_assess::leaders::{self, Person, Question, Schedule};
use csu_assess::plan::Plan;

const AT: &str = "2012-09-12T10:00:00Z";

/// Ann chairs Raj and Priya at checkpoint 2 (Midlands).
fn panel() -> (Plan, Assessment) {
    let plan = example_plan("midlands-shared-outline");
    let mut a = start_as(&plan, "cp2-outline-plan", "Ann", "Chair", AT);
    for m in ["Raj", "Priya"] {
        apply(&mut a, &plan, "Ann", join(m, "Member"), AT);
    }
    (plan, a)
}

/// The Midlands plan, written as `plan.xlsx` in `dir`, for the command line.
fn plan_beside(dir: &std::path::Path) {
    let workbook = csu_assess::examples::find("midlands-shared-outline").expect("e").workbook().expect("w");
    std::fs::write(dir.join("plan.xlsx"), workbook).expect("plan");
}

fn schedule() -> Schedule {
    Schedule {
        at: "2012-09-12 10:00".into(),
        place: "Quarry House, room 4".into(),
        csu: vec![Person { name: "Helen Armitage".into(), role: "Managing director".into() }],
        panel: vec!["Ann".into(), "Raj".into()],
    }
}

fn note(question: &str, text: &str) -> Edit {
    Edit::LeadersNote { question: question.into(), text: text.into() }
}

#[test]
fn the_script_comes_from_the_framework_and_only_the_chair_changes_it() {
    let (plan, mut a) = panel();
    let framework = a.framework().clone();
    let default = leaders::default_script(&framework);
    assert!(!default.is_empty());
    assert_eq!(a.leaders.script, default, "the framework's until the chair sets one");
    assert!(!a.leaders.scripted);
    assert_eq!(default[0].criterion.as_deref(), Some("CF1"), "domain order");
    // The chair reorders, trims and extends it.
    let mut script = default.clone();
    script.reverse();
    script.pop();
    script.push(Question {
        id: leaders::next_id(a.leaders.used_ids.iter().map(String::as_str)),
        text: "Who will the MD report to in April 2013?".into(),
        criterion: Some("LG1".into()),
        minutes: 10,
    });
    let err = a.apply(&plan, "Raj", &key("Raj"), Edit::LeadersScript(script.clone()), AT).expect_err("not chair");
    assert!(err.to_string().contains("only the panel's chair can set the leaders' interview script"), "{err}");
    apply(&mut a, &plan, "Ann", Edit::LeadersScript(script.clone()), AT);
    assert_eq!(a.leaders.script, script);
    let added = script.last().expect("added").id.clone();
    assert_eq!(added, format!("L{}", default.len() + 1), "a new id, never one used before");
    // Broken scripts are refused with a sentence.
    let cases: Vec<(Vec<Question>, &str)> = vec![
        (vec![], "the script has no questions"),
        (vec![script[0].clone(), script[0].clone()], "an id is L and a number from 1 to 9999, such as L3, used once"),
        (
            vec![Question { criterion: Some("ZZ9".into()), ..script[0].clone() }],
            "bears on ZZ9, which is not a criterion",
        ),
        (vec![Question { minutes: 0, ..script[0].clone() }], "give 1 to 120"),
        (vec![Question { text: "two\nlines".into(), ..script[0].clone() }], "must be one line"),
    ];
    for (bad, said) in cases {
        let err = a.apply(&plan, "Ann", &key("Ann"), Edit::LeadersScript(bad), AT).expect_err(said).to_string();
        assert!(err.contains(said), "{err}");
    }
    // A note on a question the script no longer has is refused.
    let removed = default[0].id.clone();
    assert!(!script.iter().any(|q| q.id == removed), "reversed, the framework's first was trimmed");
    let err = a.apply(&plan, "Raj", &key("Raj"), note(&removed, "late"), AT).expect_err("not in the script");
    assert!(err.to_string().contains(&format!("there is no question \"{removed}\"")), "{err}");
    // The schedule: the chair's, held to its form.
    let err = a.apply(&plan, "Raj", &key("Raj"), Edit::ScheduleLeaders(Box::new(schedule())), AT).expect_err("chair");
    assert!(err.to_string().contains("only the panel's chair can schedule"), "{err}");
    let bad = Schedule { at: "next Tuesday".into(), ..schedule() };
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::ScheduleLeaders(Box::new(bad)), AT).expect_err("time");
    assert!(err.to_string().contains("write the day and time as 2012-09-12 10:00"), "{err}");
    let stranger = Schedule { panel: vec!["Mallory".into()], ..schedule() };
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::ScheduleLeaders(Box::new(stranger)), AT).expect_err("panel");
    assert!(err.to_string().contains("Mallory is not a member of the panel"), "{err}");
    apply(&mut a, &plan, "Ann", Edit::ScheduleLeaders(Box::new(schedule())), AT);
}

#[test]
fn a_members_notes_are_theirs_until_they_have_finished_scoring() {
    let (plan, mut a) = panel();
    apply(&mut a, &plan, "Raj", note("L1", "Raj: the MD could not say which CCGs had signed"), AT);
    apply(&mut a, &plan, "Ann", note("L1", "Ann: shadow SLAs only"), AT);
    let texts = |v: &csu_assess::assessment::View| -> Vec<String> {
        v.assessment.leaders.notes.iter().filter_map(|n| n.text.clone()).collect()
    };
    assert_eq!(texts(&a.view_for("Ann")), vec!["Ann: shadow SLAs only".to_string()], "Ann sees her own only");
    assert_eq!(texts(&a.view_for("Raj")), vec!["Raj: the MD could not say which CCGs had signed".to_string()]);
    // Ann finishes: she sees the panel's scores, still not the notes of Raj, who has not.
    score_every(&mut a, &plan, "Ann", 3, AT);
    apply(&mut a, &plan, "Ann", Edit::FinishScoring, AT);
    assert_eq!(texts(&a.view_for("Ann")), vec!["Ann: shadow SLAs only".to_string()]);
    assert!(a.view_for("Priya").assessment.leaders.notes.iter().all(|n| n.by == "Priya"));
    let nobody = known(&["Ann", "Raj", "Priya"]);
    assert!(a.outsider_view(None, &nobody).assessment.leaders.notes.is_empty(), "a computer of nobody's: none");
    // Raj finishes too: his notes are now the panel's.
    score_every(&mut a, &plan, "Raj", 3, AT);
    apply(&mut a, &plan, "Raj", Edit::FinishScoring, AT);
    assert_eq!(texts(&a.view_for("Ann")).len(), 2);
    assert!(texts(&a.view_for("Priya")).is_empty(), "Priya, still scoring, sees none but her own");

    // On the command line, on Priya's computer: `leaders show` and `assess show --json`.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    plan_beside(d);
    csu_assess::store::save(&d.join("p.csuassess"), &a).expect("saved");
    install_key(d, "Priya");
    for args in [&["leaders", "show", "p.csuassess"][..], &["assess", "show", "p.csuassess", "--json"][..]] {
        let out = succeeded(run_on(d, "Priya", args));
        assert!(!out.contains("could not say") && !out.contains("shadow SLAs only"), "{args:?}: {out}");
    }
    install_key(d, "Ann");
    let out = succeeded(run_on(d, "Ann", &["leaders", "show", "p.csuassess"]));
    assert!(out.contains("Raj's notes: Raj: the MD could not say"), "{out}");
    // Long notes from a file, as a member keeps them in an editor.
    std::fs::write(d.join("notes.txt"), "Ann, from a file:\nline two").expect("w");
    succeeded(run_on(d, "Ann", &["leaders", "note", "p.csuassess", "l2", "--from", "notes.txt", "--as", "Ann"]));
    let out = succeeded(run_on(d, "Ann", &["leaders", "show", "p.csuassess"]));
    assert!(out.contains("Ann's notes: Ann, from a file:") && out.contains("line two"), "{out}");
    // The audit lists the notes' entries by commitment, never their text.
    let audit = succeeded(run_on(d, "Ann", &["audit", "p.csuassess"]));
    assert!(audit.contains("Raj's notes on L1 (private, committed as") && !audit.contains("could not say"), "{audit}");
}

#[test]
fn the_account_is_the_chairs_or_the_note_takers_and_every_member_sees_it() {
    let (plan, mut a) = panel();
    let account = |text: &str| Edit::LeadersAccount { question: "L1".into(), text: text.into() };
    let err = a.apply(&plan, "Raj", &key("Raj"), account("x"), AT).expect_err("not the note-taker");
    assert!(err.to_string().contains("only the panel's chair can record the agreed account"), "{err}");
    apply(&mut a, &plan, "Ann", Edit::NameNoteTaker("Raj".into()), AT);
    apply(&mut a, &plan, "Raj", account("Two CCGs have signed; three are in negotiation."), AT);
    assert_eq!(a.view_for("Priya").assessment.leaders.account("L1").expect("seen").by, "Raj");
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::NameNoteTaker("Mallory".into()), AT).expect_err("member");
    assert!(err.to_string().contains("Mallory is not on the panel"), "{err}");
}

/// A note or an account by a member who stood aside, or after the
/// sign-off, refused in the program and, written in by hand and signed
/// with the member's own key, refused on reading, naming the entry.
#[test]
fn notes_and_accounts_by_a_member_who_stood_aside_or_after_sign_off_are_refused_on_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, mut a) = panel();
    apply(&mut a, &plan, "Ann", Edit::NameNoteTaker("Priya".into()), AT);
    apply(&mut a, &plan, "Priya", Edit::DeclareInterest { interest: "worked for the host cluster".into() }, AT);
    let err = a.apply(&plan, "Priya", &key("Priya"), note("L1", "x"), AT).expect_err("stood aside");
    assert!(err.to_string().contains("takes no part in assessing it"), "{err}");
    csu_assess::store::save(&d.join("a.csuassess"), &a).expect("saved");
    let good = read_json(&d.join("a.csuassess"));
    let forge = |who: &str, change: Change, name: &str, good: &serde_json::Value| {
        let mut v = good.clone();
        let mut t = v["trail"].as_array().cloned().expect("trail");
        t.push(forged(&t, who, serde_json::to_value(change).expect("json")));
        let n = t.len();
        v["trail"] = t.into();
        write_json(&d.join(name), &v);
        (n, csu_assess::store::load(&d.join(name)).expect_err("refused").to_string())
    };
    let commitment = "a".repeat(64);
    let (n, err) = forge(
        "Priya",
        Change::LeadersNote { member: "Priya".into(), question: "L1".into(), sha256: commitment.clone() },
        "note.csuassess",
        &good,
    );
    assert!(err.contains(&format!("entry {n} (")) && err.contains("Priya has declared an interest"), "{err}");
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::NameNoteTaker("Raj".into()), AT).map(|_| ());
    assert!(err.is_ok(), "the chair may name another: {err:?}");
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::NameNoteTaker("Priya".into()), AT).expect_err("stood aside");
    assert!(err.to_string().contains("Priya has declared an interest"), "{err}");
    csu_assess::store::save(&d.join("a.csuassess"), &a).expect("saved");
    let good = read_json(&d.join("a.csuassess"));
    let (n, err) = forge(
        "Priya",
        Change::LeadersAccount { question: "L1".into(), text: "as I heard it".into() },
        "account.csuassess",
        &good,
    );
    assert!(err.contains(&format!("entry {n} (")) && err.contains("Priya has declared an interest"), "{err}");

    // After the sign-off: nothing, in the program or by hand.
    let dir2 = tempfile::tempdir().expect("tempdir");
    let (plan, signed) = crate::record::signed_file(dir2.path());
    let mut s = signed.clone();
    let err = s.apply(&plan, "Raj", &key("Raj"), note("L1", "after"), AT).expect_err("sealed");
    assert!(err.to_string().contains("signed off by Ann"), "{err}");
    let good = read_json(&dir2.path().join("a.csuassess"));
    for (who, change) in [
        ("Raj", Change::LeadersNote { member: "Raj".into(), question: "L1".into(), sha256: commitment.clone() }),
        ("Ann", Change::LeadersAccount { question: "L1".into(), text: "rewritten after".into() }),
    ] {
        let mut v = good.clone();
        let mut t = v["trail"].as_array().cloned().expect("trail");
        t.push(forged(&t, who, serde_json::to_value(change).expect("json")));
        let n = t.len();
        v["trail"] = t.into();
        write_json(&dir2.path().join("late.csuassess"), &v);
        let err = csu_assess::store::load(&dir2.path().join("late.csuassess")).expect_err("refused").to_string();
        assert!(err.contains(&format!("entry {n} (")) && err.contains("signed off by Ann"), "{err}");
    }
}

/// A copy disclosed to the CSU keeps every entry and checks, says which
/// notes it withholds, and holds none of their text; a text changed or
/// added beside the trail by hand is refused.
#[test]
fn a_disclosed_copy_withholds_the_notes_and_still_checks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, mut a) = panel();
    apply(&mut a, &plan, "Raj", note("L1", "Raj: private judgment, not for the CSU"), AT);
    apply(&mut a, &plan, "Ann", Edit::LeadersAccount { question: "L1".into(), text: "Shadow SLAs only.".into() }, AT);
    apply(&mut a, &plan, "Ann", Edit::ScheduleLeaders(Box::new(schedule())), AT);
    score_every(&mut a, &plan, "Ann", 3, AT);
    apply(&mut a, &plan, "Ann", Edit::FinishScoring, AT);
    plan_beside(d);
    let mut saved = a.clone();
    saved.plan.path = "plan.xlsx".into();
    csu_assess::store::save(&d.join("a.csuassess"), &saved).expect("saved");
    assert!(std::fs::read_to_string(d.join("a.csuassess")).expect("read").contains("private judgment"));
    install_key(d, "Ann");
    // The evaluation states the agreed account, never a member's notes.
    let score = succeeded(run_on(d, "Ann", &["score", "a.csuassess"]));
    assert!(score.contains("The leaders' interview (2012-09-12 10:00 at Quarry House, room 4)"), "{score}");
    assert!(score.contains("Shadow SLAs only.") && !score.contains("private judgment"), "{score}");
    let said = succeeded(run_on(d, "Ann", &["assess", "disclose", "a.csuassess", "-o", "csu-copy.csuassess"]));
    assert!(said.contains("without the 1 private note(s)"), "{said}");
    let copy_text = std::fs::read_to_string(d.join("csu-copy.csuassess")).expect("read");
    assert!(!copy_text.contains("private judgment"), "the note's text is not in the copy");
    let copy = csu_assess::store::load(&d.join("csu-copy.csuassess")).expect("the copy checks");
    assert_eq!(copy.audit, a.audit, "every entry, unchanged");
    assert_eq!(copy.leaders.notes[0].text, None);
    assert_eq!(copy.leaders.account("L1").expect("the account").text, "Shadow SLAs only.");
    install_key(d, "Raj");
    let out = succeeded(run_on(d, "Raj", &["leaders", "show", "csu-copy.csuassess"]));
    assert!(out.contains("Raj's notes: withheld from this copy"), "{out}");
    let audit = run_on(d, "Ann", &["audit", "csu-copy.csuassess"]);
    assert!(audit.status.success(), "{}", String::from_utf8_lossy(&audit.stderr));

    // By hand: the note's text changed, or a text no entry commits to.
    let mut v = read_json(&d.join("a.csuassess"));
    let hash = v["texts"].as_object().expect("texts").keys().next().expect("one").clone();
    v["texts"][&hash]["text"] = "Raj: a kinder judgment".into();
    write_json(&d.join("edited.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("edited.csuassess")).expect_err("altered").to_string();
    assert!(err.contains("is not the text its entry committed to"), "{err}");
    let mut v = read_json(&d.join("a.csuassess"));
    let (extra, text) = leaders::private::commit("smuggled");
    v["texts"][&extra] = serde_json::to_value(text).expect("json");
    write_json(&d.join("extra.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("extra.csuassess")).expect_err("uncommitted").to_string();
    assert!(err.contains("is committed to by no entry"), "{err}");
}

/// Evidence citing a question: the annex prints the question and the
/// agreed account; the letter says when the leaders were interviewed and
/// by whom.
#[test]
fn the_letter_prints_what_the_evidence_cites_and_when_the_leaders_were_interviewed() {
    let plan = example_plan("midlands-shared-outline");
    let mut a = start_as(&plan, "cp2-outline-plan", "Ann", "Lead assessor", AT);
    let schedule = Schedule { panel: vec!["Ann".into()], ..schedule() };
    apply(&mut a, &plan, "Ann", Edit::ScheduleLeaders(Box::new(schedule)), AT);
    let account = "The MD said two CCGs have signed and three are in negotiation.";
    apply(&mut a, &plan, "Ann", Edit::LeadersAccount { question: "L1".into(), text: account.into() }, AT);
    score_every(&mut a, &plan, "Ann", 3, AT);
    let cited = Edit::Score { criterion: "CF1".into(), score: Some(2), evidence: "Only shadow SLAs [L1].".into() };
    apply(&mut a, &plan, "Ann", cited, AT);
    let f = a.framework().clone();
    let e = csu_assess::scoring::evaluate(&plan, &f, &a);
    let date = chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("date");
    let letter = csu_assess::letter::compose_as(&plan, &f, &a, &e, &wording(), date, true);
    let words = format!("{letter:?}");
    let question = &a.leaders.question("L1").expect("L1").text;
    assert!(words.contains(&format!("[L1] {question} Agreed account: {account}")), "{words}");
    assert!(
        words.contains("The CSU's leaders, Helen Armitage (Managing director), were interviewed on 12 September 2012 (Quarry House, room 4) by Ann"),
        "{words}"
    );
}

/// What a helper's attack on the leaders' interview found, each now held.
#[test]
fn ids_never_come_back_and_notes_leave_no_trace_where_they_should_not() {
    let (plan, mut a) = panel();
    let framework = a.framework().clone();
    let mut script = leaders::default_script(&framework);
    // A huge id is refused; the next id never overflows.
    let huge = Question { id: "L4294967295".into(), ..script[0].clone() };
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::LeadersScript(vec![huge]), AT).expect_err("huge id");
    assert!(err.to_string().contains("a number from 1 to 9999"), "{err}");
    assert_eq!(leaders::next_id(["L9999"]), "L9999", "saturates at the highest, which the check then refuses");
    // An id, once used, never names another question, even after a reset.
    let used = |a: &Assessment| leaders::next_id(a.leaders.used_ids.iter().map(String::as_str));
    let added = Question { id: used(&a), text: "Who signed with Arden?".into(), criterion: None, minutes: 5 };
    script.push(added.clone());
    apply(&mut a, &plan, "Ann", Edit::LeadersScript(script.clone()), AT);
    apply(
        &mut a,
        &plan,
        "Ann",
        Edit::LeadersAccount { question: added.id.clone(), text: "Arden's CO signed".into() },
        AT,
    );
    apply(&mut a, &plan, "Ann", Edit::LeadersScript(leaders::default_script(&framework)), AT);
    let next = used(&a);
    assert_ne!(next, added.id, "the removed question's id is not given again");
    let reuse = Question { id: added.id.clone(), text: "Is the CFO leaving?".into(), criterion: None, minutes: 5 };
    let mut again = leaders::default_script(&framework);
    again.push(reuse);
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::LeadersScript(again), AT).expect_err("reused");
    assert!(err.to_string().contains(&format!("question {} was \"Who signed with Arden?\"", added.id)), "{err}");
    // A note holds text, not control characters; a replaced note's text leaves the file.
    let err = a.apply(&plan, "Raj", &key("Raj"), note("L1", "\u{1}\u{1}\u{1}"), AT).expect_err("control");
    assert!(err.to_string().contains("control or direction-changing characters"), "{err}");
    apply(&mut a, &plan, "Raj", note("L1", "first version: the CEO is weak"), AT);
    apply(&mut a, &plan, "Raj", note("L1", "the CEO answered"), AT);
    let bytes = String::from_utf8(csu_assess::store::to_bytes(&a)).expect("utf8");
    assert!(!bytes.contains("the CEO is weak") && bytes.contains("the CEO answered"), "only the standing note's text");
    // The schedule: each member present once, none who stood aside.
    let twice = Schedule { panel: vec!["Ann".into(), "Ann".into()], ..schedule() };
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::ScheduleLeaders(Box::new(twice)), AT).expect_err("twice");
    assert!(err.to_string().contains("Ann is named twice"), "{err}");
    apply(&mut a, &plan, "Priya", Edit::DeclareInterest { interest: "a relative on the staff".into() }, AT);
    let aside = Schedule { panel: vec!["Priya".into()], ..schedule() };
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::ScheduleLeaders(Box::new(aside)), AT).expect_err("aside");
    assert!(err.to_string().contains("Priya has declared an interest"), "{err}");
    let ancient = Schedule { at: "0001-01-01 10:00".into(), ..schedule() };
    let err = a.apply(&plan, "Ann", &key("Ann"), Edit::ScheduleLeaders(Box::new(ancient)), AT).expect_err("year 1");
    assert!(err.to_string().contains("is not when the interview is held"), "{err}");
}

/// A sole member's notes are never shown to a computer of nobody's; a
/// letter says the leaders "were interviewed" only once the day has come;
/// a text given twice under one key is refused; a copy disclosed into
/// another folder finds its plan, and one into a folder that does not
/// exist is refused at once.
#[test]
fn the_sole_members_notes_the_letters_day_and_the_disclosed_copy() {
    let plan = example_plan("midlands-shared-outline");
    let mut a = start_as(&plan, "cp2-outline-plan", "Ann", "Lead assessor", AT);
    apply(&mut a, &plan, "Ann", note("L1", "Ann alone: doubtful"), AT);
    let nobody = known(&["Ann"]);
    assert!(a.outsider_view(None, &nobody).assessment.leaders.notes.is_empty(), "a reader of nobody's sees none");
    let later = Schedule { at: "2030-01-01 10:00".into(), panel: vec!["Ann".into()], ..schedule() };
    apply(&mut a, &plan, "Ann", Edit::ScheduleLeaders(Box::new(later)), AT);
    apply(&mut a, &plan, "Ann", Edit::LeadersAccount { question: "L1".into(), text: "To come.".into() }, AT);
    let f = a.framework().clone();
    let e = csu_assess::scoring::evaluate(&plan, &f, &a);
    let date = chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("date");
    let letter = csu_assess::letter::compose_as(&plan, &f, &a, &e, &wording(), date, true);
    assert!(!format!("{letter:?}").contains("were interviewed"), "not before the day");

    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    plan_beside(d);
    let mut saved = a.clone();
    saved.plan.path = "plan.xlsx".into();
    csu_assess::store::save(&d.join("a.csuassess"), &saved).expect("saved");
    // A text given twice under one key: the second would hide the first.
    let text = std::fs::read_to_string(d.join("a.csuassess")).expect("read");
    let key_at = text.find("\"texts\": {").expect("texts") + "\"texts\": {".len();
    let entry_end = text[key_at..].find("}\n").expect("one text") + key_at + 1;
    let one = text[key_at..entry_end].to_string();
    let doubled = format!("{}{one},{}", &text[..key_at], &text[key_at..]);
    std::fs::write(d.join("doubled.csuassess"), doubled).expect("w");
    assert!(csu_assess::store::load(&d.join("doubled.csuassess")).is_err(), "a text given twice is refused");
    install_key(d, "Ann");
    std::fs::create_dir(d.join("out")).expect("folder");
    succeeded(run_on(d, "Ann", &["assess", "disclose", "a.csuassess", "-o", "out/copy.csuassess"]));
    succeeded(run_on(d, "Ann", &["score", "out/copy.csuassess"]));
    let started = std::time::Instant::now();
    let out = run_on(d, "Ann", &["assess", "disclose", "a.csuassess", "-o", "missing/copy.csuassess"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the folder missing does not exist"));
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "said at once, not after a lock's wait");
}

/// A draft letter shows the panel's scores: a computer of nobody's gets
/// none while members are still scoring, as `score` gives none.
#[test]
fn a_draft_letter_is_not_made_for_a_computer_that_may_not_see_the_scores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, mut a) = panel();
    score_every(&mut a, &plan, "Raj", 3, AT);
    plan_beside(d);
    a.plan.path = "plan.xlsx".into();
    csu_assess::store::save(&d.join("p.csuassess"), &a).expect("saved");
    install_key(d, "Nobody");
    let said = succeeded(run_on(d, "Nobody", &["score", "p.csuassess"]));
    assert!(said.starts_with("This computer holds no panel member's key"), "no empty name: {said}");
    for who in ["Nobody", "Ann"] {
        install_key(d, who);
        let out = run_on(d, who, &["letter", "p.csuassess", "-o", "q.pdf", "--draft"]);
        assert_eq!(out.status.code(), Some(2), "{who}");
        assert!(!d.join("q.pdf").exists(), "{who}: no letter written");
    }
}
