//! The CCGs' interviews: the rules an interview entry is held to on
//! recording and on reading, the plan's claims set against what the CCGs
//! said, and the CCGs' figures in a framework's checks.

use crate::record::{forged, read_json, signed_file, write_json};
use crate::util::*;
use csu_assess::assessment::Edit;
use csu_assess::plan::{Agreement, Severity};
use csu_assess::scoring::evaluate;

const AT: &str = "2012-09-14T10:00:00Z";

fn interview(answers: csu_assess::ccg::Answers) -> Edit {
    Edit::CcgInterview(Box::new(answers))
}

#[test]
fn an_interview_after_sign_off_or_by_a_member_who_stood_aside_is_refused_on_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (plan, mut signed) = signed_file(d);
    let ccg = plan.customers[0].ccg.clone();
    // In the program: refused, nothing recorded.
    let err = signed.apply(&plan, "Raj", &key("Raj"), interview(confirming(&ccg)), AT).expect_err("sealed");
    assert!(err.to_string().contains("the result was signed off by Ann"), "{err}");
    // Written into the file by hand, signed with Raj's own key: refused on reading, naming the entry.
    let good = read_json(&d.join("a.csuassess"));
    let mut v = good.clone();
    let mut t = v["trail"].as_array().cloned().expect("trail");
    let late =
        serde_json::to_value(csu_assess::assessment::Change::CcgInterview(Box::new(confirming(&ccg)))).expect("json");
    t.push(forged(&t, "Raj", late.clone()));
    let n = t.len();
    v["trail"] = t.into();
    write_json(&d.join("late.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("late.csuassess")).expect_err("refused").to_string();
    assert!(err.contains(&format!("entry {n} (")) && err.contains("the result was signed off by Ann"), "{err}");

    // A member who declared an interest holds no interview.
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", AT);
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), AT);
    apply(&mut a, &plan, "Raj", Edit::DeclareInterest { interest: "worked for the host cluster".into() }, AT);
    let err = a.apply(&plan, "Raj", &key("Raj"), interview(confirming(&ccg)), AT).expect_err("stood aside");
    assert!(err.to_string().contains("Raj has declared an interest in this CSU"), "{err}");
    csu_assess::store::save(&d.join("aside.csuassess"), &a).expect("saved");
    let mut v = read_json(&d.join("aside.csuassess"));
    let mut t = v["trail"].as_array().cloned().expect("trail");
    t.push(forged(&t, "Raj", late));
    let n = t.len();
    v["trail"] = t.into();
    write_json(&d.join("aside-forged.csuassess"), &v);
    let err = csu_assess::store::load(&d.join("aside-forged.csuassess")).expect_err("refused").to_string();
    assert!(err.contains(&format!("entry {n} (")) && err.contains("Raj has declared an interest"), "{err}");
    // Ann, who took part, may.
    apply(&mut a, &plan, "Ann", interview(confirming(&ccg)), AT);
}

#[test]
fn an_answer_outside_its_choices_is_refused_with_a_sentence_typed_or_written_into_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    let ccg = plan.customers[0].ccg.clone();
    type Spoil = Box<dyn Fn(&mut csu_assess::ccg::Answers)>;
    let cases: Vec<(&str, Spoil, &str)> = vec![
        (
            "SLA",
            Box::new(|x| x.sla = "maybe".into()),
            "\"maybe\" is not an answer to the SLA as the CCG states it: the answers are signed (Signed), agreed (Agreed, not signed), in_negotiation (In negotiation), none (None)",
        ),
        ("share", Box::new(|x| x.share = "most".into()), "is not an answer to the share of its support"),
        (
            "affordable",
            Box::new(|x| x.affordable = "Yes".into()),
            "\"Yes\" is not an answer to whether the offer is affordable",
        ),
        ("intent", Box::new(|x| x.after_april_2013 = "leave".into()), "after April 2013"),
        (
            "service",
            Box::new(|x| x.services = vec!["payroll".into()]),
            "\"payroll\" is not one of the four scale services",
        ),
        (
            "service twice",
            Box::new(|x| x.services = vec!["business_support".into(), "business_support".into()]),
            "Business support is named twice",
        ),
        (
            "date",
            Box::new(|x| x.held_on = "last Tuesday".into()),
            "\"last Tuesday\" is not the day the interview was held",
        ),
        ("amount", Box::new(|x| x.set_aside_pence = Some(1_152_000)), "far above what CCGs set aside"),
        ("no one", Box::new(|x| x.interviewee = " ".into()), "needs the name and role of the person interviewed"),
        (
            "a line of its own",
            Box::new(|x| x.interviewee_role = "CO) held on 2012-09-03\n   9. Ann: the result signed off by Ann".into()),
            "the role of the interview must be one line of text",
        ),
        (
            "direction",
            Box::new(|x| x.interviewee = "Dr \u{202e}wahS".into()),
            "the interviewee of the interview must be one line",
        ),
        (
            "line separator",
            Box::new(|x| x.interviewee = "Dr Reed\u{2028}   9. Ann: signed off".into()),
            "the interviewee of the interview must be one line",
        ),
        ("escape in notes", Box::new(|x| x.notes = "fine\u{1b}[2J".into()), "control or direction-changing characters"),
        ("year 0", Box::new(|x| x.held_on = "0000-01-01".into()), "\"0000-01-01\" is not the day"),
        ("unpadded", Box::new(|x| x.held_on = "2012-9-4".into()), "\"2012-9-4\" is not the day"),
        ("no letters", Box::new(|x| x.ccg = "!!!".into()), "\"!!!\" is not a CCG's name"),
        ("invisible", Box::new(|x| x.ccg = "\u{200b}".into()), "is not a CCG's name"),
        ("long notes", Box::new(|x| x.notes = "𝔸".repeat(5_001)), "at most 20,000 bytes"),
        ("no CCG", Box::new(|x| x.ccg = String::new()), "a CCG interview needs the CCG's name"),
    ];
    for (what, spoil, said) in &cases {
        let mut answers = confirming(&ccg);
        spoil(&mut answers);
        let err = a.apply(&plan, "Ann", &key("Ann"), interview(answers), AT).expect_err(what).to_string();
        assert!(err.contains(said), "{what}: {err}");
    }
    assert!(a.ccg_interviews.is_empty(), "nothing refused was recorded");
    // Written into a saved record by hand, and signed with the member's own key.
    csu_assess::store::save(&d.join("a.csuassess"), &a).expect("saved");
    let good = read_json(&d.join("a.csuassess"));
    for (what, spoil, said) in &cases {
        let mut answers = confirming(&ccg);
        spoil(&mut answers);
        let mut v = good.clone();
        let mut t = v["trail"].as_array().cloned().expect("trail");
        let change =
            serde_json::to_value(csu_assess::assessment::Change::CcgInterview(Box::new(answers))).expect("json");
        t.push(forged(&t, "Ann", change));
        let n = t.len();
        v["trail"] = t.into();
        write_json(&d.join("bad.csuassess"), &v);
        let err = csu_assess::store::load(&d.join("bad.csuassess")).expect_err(what).to_string();
        assert!(err.contains(&format!("entry {n} (")) && err.contains(said), "{what}: {err}");
    }
    // From the command line: the same sentence, exit 2, nothing written.
    std::fs::write(
        d.join("plan.xlsx"),
        csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w"),
    )
    .expect("plan");
    install_key(d, "Ann");
    let mut started = a.clone();
    started.plan.path = "plan.xlsx".into();
    csu_assess::store::save(&d.join("cli.csuassess"), &started).expect("saved");
    let before = std::fs::read(d.join("cli.csuassess")).expect("read");
    let out = run_on(
        d,
        "Ann",
        &[
            "ccg",
            "record",
            "cli.csuassess",
            "--ccg",
            &ccg,
            "--interviewee",
            "Dr Reed",
            "--role",
            "Chief Officer",
            "--on",
            "2012-09-12",
            "--sla",
            "maybe",
            "--share",
            "at_least_half",
            "--affordable",
            "yes",
            "--confidence",
            "very",
            "--met-leader",
            "yes",
            "--after",
            "stay",
            "--as",
            "Ann",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("\"maybe\" is not an answer to the SLA as the CCG states it"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(d.join("cli.csuassess")).expect("read"), before, "nothing written");
}

#[test]
fn a_signed_sla_the_ccg_denies_is_a_finding_at_its_cell_and_caps_the_criterion_once_every_ccg_is_heard() {
    let plan = example_plan("northern-star-full");
    let f = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3").framework().expect("valid");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    let signed = plan.customers.iter().find(|c| c.agreement == Some(Agreement::SignedSla)).expect("a signed SLA");
    let mut denies = confirming(&signed.ccg);
    denies.sla = "none".into();
    apply(&mut a, &plan, "Ann", interview(denies), AT);
    score_every(&mut a, &plan, "Ann", 4, AT);

    // The finding: the plan's cell on one side, the interview on the other.
    let found = csu_assess::ccg::contradictions::find(&plan, &a);
    let denial = found.iter().find(|c| c.finding.severity == Severity::Error).expect("a serious finding");
    let cell = signed.agreement_at.expect("read from a cell");
    assert_eq!(denial.finding.location(), format!("Customers!{cell}"));
    assert_eq!(cell.col, 4, "the Agreement column");
    assert!(denial.finding.message.contains(&format!("the plan shows a signed SLA with {}", signed.ccg)));
    assert!(
        denial.interview.contains("says it has no SLA") && denial.interview.contains("to Ann"),
        "{}",
        denial.interview
    );

    // Every CCG heard: the denied claim caps CF1 at 2, whatever was scored.
    let e = evaluate(&plan, &f, &a);
    let cf1 = e.criteria.iter().find(|c| c.id == "CF1").expect("CF1");
    assert_eq!((cf1.assessed, cf1.score), (Some(4.0), Some(2.0)), "capped");
    let check = e.checks.iter().find(|c| c.metric == "ccgs_contradicted_claims").expect("the check");
    assert_eq!((check.value, check.cap), (Some(1.0), Some(2)));

    // A CCG still to be interviewed: the CCGs' figures are unknown, never 0,
    // and each check on them says it could not be made and why.
    let mut partial = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    let mut denies = confirming(&signed.ccg);
    denies.sla = "none".into();
    apply(&mut partial, &plan, "Ann", interview(denies), AT);
    let e = evaluate(&plan, &f, &partial);
    let check = e.checks.iter().find(|c| c.metric == "ccgs_sla_confirmed_share").expect("the check");
    assert_eq!((check.value, check.holds, check.cap), (None, None, None));
    let still = plan.customers.len() - 1;
    assert!(
        check
            .explanation
            .starts_with(&format!("could not be checked: {still} of the plan's CCGs are still to be interviewed (")),
        "{}",
        check.explanation
    );
    let figures = csu_assess::ccg::figures::with_plan(&plan, &partial);
    assert_eq!(figures.number("ccgs_interviewed"), Some(1.0));
    for unknown in ["ccgs_sla_confirmed", "ccgs_affordable_share", "ccgs_contradicted_claims"] {
        assert_eq!(figures.number(unknown), None, "{unknown} is unknown, not 0");
    }
    assert!(
        e.missing.iter().any(|m| m.starts_with(&format!(
            "{} of the plan's {} CCGs must be interviewed",
            plan.customers.len(),
            plan.customers.len()
        ))),
        "{:?}",
        e.missing
    );
}

#[test]
fn the_ccgs_figures_are_counted_and_weighted_by_population() {
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    let total: u64 = plan.customers.iter().filter_map(|c| c.population).sum();
    let first = &plan.customers[0];
    for c in &plan.customers {
        let mut answers = confirming(&c.ccg);
        if c.ccg == first.ccg {
            answers.sla = "in_negotiation".into();
            answers.affordable = "dont_know".into();
            answers.after_april_2013 = "change".into();
        }
        apply(&mut a, &plan, "Ann", interview(answers), AT);
    }
    let figures = csu_assess::ccg::figures::with_plan(&plan, &a);
    let n = plan.customers.len() as f64;
    assert_eq!(figures.number("ccgs_sla_confirmed"), Some(n - 1.0));
    let share = 1.0 - first.population.expect("population") as f64 / total as f64;
    assert!(close(figures.number("ccgs_sla_confirmed_share").expect("known"), share));
    assert_eq!(figures.number("ccgs_changing"), Some(1.0));
    let sentences = csu_assess::ccg::figures::sentences(&plan, &a);
    assert!(
        sentences[0].starts_with(&format!("{} of {} CCGs, covering ", n - 1.0, n))
            && sentences[0].ends_with("confirm their SLA"),
        "{sentences:?}"
    );
}

/// A member's interview from before they declared an interest stays on the
/// trail but out of what the CCGs are taken to have said, as their scores
/// do; two copies that heard one CCG differently show the conflict, not
/// "not interviewed".
#[test]
fn an_interview_by_a_member_who_stood_aside_or_in_conflict_is_not_taken_as_said() {
    let plan = example_plan("northern-star-full");
    let ccg = plan.customers[0].ccg.clone();
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", AT);
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), AT);
    apply(&mut a, &plan, "Raj", interview(confirming(&ccg)), AT);
    assert_eq!(a.ccg_interviews.len(), 1);
    apply(&mut a, &plan, "Raj", Edit::DeclareInterest { interest: "worked for the host cluster".into() }, AT);
    assert!(a.ccg_interviews.is_empty(), "Raj's interview is out of what was said");
    assert!(csu_assess::ccg::not_interviewed(&plan, &a).contains(&ccg.as_str()));
    apply(&mut a, &plan, "Ann", interview(confirming(&ccg)), AT);
    assert_eq!(a.ccg_interviews[0].by, "Ann", "the same answers, held again by a member taking part, stand");

    // Two copies hear another CCG differently.
    let other = plan.customers[1].ccg.clone();
    let (mut ann, mut raj2) = (a.clone(), a.clone());
    apply(&mut raj2, &plan, "Ann", interview(confirming(&other)), AT);
    let mut denies = confirming(&other);
    denies.sla = "none".into();
    denies.interviewee = "Someone else".into();
    apply(&mut ann, &plan, "Ann", interview(denies), "2012-09-14T11:00:00Z");
    let joined = csu_assess::assessment::merge(&[ann, raj2]).expect("joined, with a conflict");
    assert_eq!(joined.ccg_conflicted, vec![other.clone()]);
    let status = csu_assess::ccg::statuses(&plan, &joined).into_iter().find(|s| s.ccg == other).expect("listed");
    assert!(status.conflicted && status.interview.is_none());
    assert!(!csu_assess::ccg::not_interviewed(&plan, &joined).contains(&other.as_str()), "it was interviewed");
    assert!(
        csu_assess::ccg::pending(&plan, &joined).iter().any(|p| p.contains("two accounts of its interview differ"))
    );
    let found = csu_assess::ccg::contradictions::find(&plan, &joined);
    assert!(!found.iter().any(|c| c.finding.message.contains(&format!("{other} as a customer, and no one"))));
}

/// A CCG the plan lists twice (the plan's findings say so) is one CCG to
/// interview, counted once.
#[test]
fn a_ccg_the_plan_lists_twice_is_one_ccg() {
    let mut content = strong();
    content.customers[1].ccg = content.customers[0].ccg.to_uppercase();
    let plan = import_content(&content, &csu_assess::examples::Quirks::default());
    let listed = csu_assess::ccg::plan_ccgs(&plan).len();
    assert_eq!(listed, plan.customers.len() - 1);
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    apply(&mut a, &plan, "Ann", interview(confirming(&plan.customers[0].ccg)), AT);
    let figures = csu_assess::ccg::figures::with_plan(&plan, &a);
    assert_eq!(figures.number("ccgs_interviewed"), Some(1.0), "one interview, once");
}

/// The command line: a list naming one CCG twice, an empty list, a CCG the
/// plan does not list (without saying it is one the panel adds) are
/// refused, nothing written; what it says was recorded was recorded.
#[test]
fn the_command_line_records_what_it_says_and_refuses_slips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    succeeded(run_in(d, &["examples", "--out", "."]));
    succeeded(run_in(d, &["assess", "new", "northern-star-full.xlsx", "-o", "ns.csuassess", "--as", "Ann"]));
    let plan = csu_assess::plan::import(&d.join("northern-star-full.xlsx")).expect("plan");
    let (first, second) = (&plan.customers[0].ccg, &plan.customers[1].ccg);
    let write = |name: &str, list: &[csu_assess::ccg::Answers]| {
        std::fs::write(d.join(name), serde_json::to_vec(list).expect("json")).expect("w");
    };
    let before = std::fs::read(d.join("ns.csuassess")).expect("read");
    let refused = |args: &[&str], said: &str| {
        let out = run_in(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{args:?}: {err}");
        assert_eq!(std::fs::read(d.join("ns.csuassess")).expect("read"), before, "{args:?}: nothing written");
    };
    write("twice.json", &[confirming(first), confirming(&first.to_lowercase())]);
    refused(&["ccg", "record", "ns.csuassess", "--from", "twice.json", "--as", "Ann"], "is the same CCG as");
    write("empty.json", &[]);
    refused(&["ccg", "record", "ns.csuassess", "--from", "empty.json", "--as", "Ann"], "holds no interviews");
    let mut bad = confirming(second);
    bad.confidence = "extremely".into();
    write("bad.json", &[confirming(first), bad]);
    refused(
        &["ccg", "record", "ns.csuassess", "--from", "bad.json", "--as", "Ann"],
        &format!("the interview with {second} (2 of 2 in bad.json): \"extremely\" is not an answer"),
    );
    write("slip.json", &[confirming("Northdale")]);
    refused(
        &["ccg", "record", "ns.csuassess", "--from", "slip.json", "--as", "Ann"],
        "the plan does not list Northdale; its CCGs are Northdale CCG,",
    );
    refused(
        &["ccg", "record", "ns.csuassess", "--from", "slip.json", "--sla", "maybe", "--as", "Ann"],
        "cannot be used with",
    );
    let said =
        succeeded(run_in(d, &["ccg", "record", "ns.csuassess", "--from", "slip.json", "--not-in-plan", "--as", "Ann"]));
    assert!(said.contains("Recorded the interview with Northdale, held by Ann"), "{said}");
    // Typed in another case, the plan's spelling is recorded and said.
    let mut lower = confirming(first);
    lower.ccg = first.to_lowercase();
    write("one.json", &[lower]);
    let said = succeeded(run_in(d, &["ccg", "record", "ns.csuassess", "--from", "one.json", "--as", "Ann"]));
    assert!(said.contains(&format!("Recorded the interview with {first}, held by Ann")), "{said}");
    // The same again and one new: only the new one is said.
    write("two.json", &[confirming(first), confirming(second)]);
    let said = succeeded(run_in(d, &["ccg", "record", "ns.csuassess", "--from", "two.json", "--as", "Ann"]));
    assert!(said.contains(&format!("Recorded the interview with {second}, held by Ann")), "{said}");
    let said = succeeded(run_in(d, &["ccg", "record", "ns.csuassess", "--from", "two.json", "--as", "Ann"]));
    assert!(said.starts_with("Nothing changed"), "{said}");
    let shown = succeeded(run_in(d, &["ccg", "show", "ns.csuassess"]));
    assert!(shown.contains("Northdale (not in the plan's Customers sheet; added by the panel)"), "{shown}");
    let inspected = succeeded(run_in(d, &["inspect", "northern-star-full.xlsx"]));
    assert!(!inspected.contains("ccgs_"), "a plan's figures are the plan's, the CCGs' are the record's: {inspected}");
    assert!(shown.contains("not known until every CCG is interviewed (still: "), "{shown}");
}

/// A record is never saved larger than a record may be read back: the
/// save is refused, the file on disk unchanged. (A CCG's notes are capped
/// in bytes, so the most CCGs a CSU has stay far inside; the guard is for
/// whatever grows a record past it.)
#[test]
fn a_record_too_large_to_read_back_is_never_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.csuassess");
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    csu_assess::store::save(&path, &a).expect("saved small");
    let before = std::fs::read(&path).expect("read");
    let huge = "x".repeat(csu_assess::limits::MAX_ASSESSMENT_FILE_BYTES as usize);
    apply(&mut a, &plan, "Ann", Edit::DecisionNotes(huge), AT);
    let err = csu_assess::store::save(&path, &a).expect_err("too large").to_string();
    assert!(err.contains("not saved: the record would be") && err.contains("the file on disk is unchanged"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    let fresh = dir.path().join("new.csuassess");
    assert!(csu_assess::store::create(&fresh, &a, None).is_err() && !fresh.exists(), "nor is one created");
}
