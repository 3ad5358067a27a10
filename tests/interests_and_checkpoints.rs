//! Declared interests keep a member out of a CSU's result; a development
//! plan agreed at checkpoint 2 is held to at checkpoint 3.

use crate::util::{apply, checkpoint_two, example_plan, import, join, key, score, score_every, start_as, strong};
use csu_assess::assessment::{Assessment, Change, Edit, Entry, Refusal};
use csu_assess::examples::{self, Quirks};

const AT: &str = "2026-11-24T10:00:00Z";

/// Ann chairs, Raj and Priya sit on the panel of Northern Star.
fn panel() -> (csu_assess::plan::Plan, Assessment) {
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", AT);
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), AT);
    apply(&mut a, &plan, "Ann", join("Priya", "Member"), AT);
    (plan, a)
}

/// The letter the assessment's evaluation gives, with the built-in wording.
fn letter_of(
    plan: &csu_assess::plan::Plan,
    a: &Assessment,
    e: &csu_assess::scoring::Evaluation,
) -> csu_assess::letter::Letter {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    csu_assess::letter::compose(plan, a.framework(), a, e, &crate::util::wording(), date)
}

fn reread(a: &Assessment) -> Result<Assessment, csu_assess::assessment::AssessmentError> {
    Assessment::from_record(&a.plan.path, &a.framework.source, &a.framework.text, a.audit.clone())
}

/// The record with `change` written into it by hand after its last entry,
/// linked, dated `at` and signed with `who`'s own key, read again: the
/// reading's refusal, in words (a forgery the reading accepts fails here).
fn refused_with(a: &Assessment, who: &str, at: &str, change: Change) -> String {
    let parents = vec![a.audit.last().expect("entry").hash.clone()];
    let mut trail = a.audit.clone();
    let chain = csu_assess::assessment::Chain::after(&trail, &key(who).public(), None);
    trail.push(Entry::new(at, who, change, parents, Vec::new(), chain, &key(who)));
    Assessment::from_record(&a.plan.path, &a.framework.source, &a.framework.text, trail)
        .expect_err("a forged entry is refused on reading")
        .to_string()
}

#[test]
fn a_declared_interest_keeps_a_members_scores_out_of_the_consensus() {
    let (plan, mut a) = panel();
    // Priya scores harshly, then remembers she worked for the host cluster.
    score_every(&mut a, &plan, "Priya", 0, AT);
    let declare = |interest: &str| Edit::DeclareInterest { interest: interest.into() };
    assert_eq!(a.apply(&plan, "Priya", &key("Priya"), declare("  "), AT), Err(Refusal::NoInterest));
    apply(&mut a, &plan, "Priya", declare("worked for the host PCT cluster until March"), AT);
    assert_eq!(a.interests.len(), 1);
    assert!(a.scores.iter().all(|s| s.assessor != "Priya"), "her scores are out of the result");
    assert!(a.audit.iter().any(|e| matches!(e.change, Change::Score { ref assessor, .. } if assessor == "Priya")));
    let refused = score(&mut a, &plan, "Priya", "CF1", 4, "changed my mind", AT).expect_err("stood aside");
    assert!(refused.to_string().contains("declared an interest"), "{refused}");
    // The window greys out what the record would refuse, asking the same rules.
    use csu_assess::assessment::rules::Act;
    for act in [Act::Score, Act::Finish, Act::Consensus, Act::Review, Act::SignOff] {
        assert!(matches!(a.may("Priya", act), Err(Refusal::StoodAside { .. })), "{act:?}");
    }
    assert!(matches!(a.may("Raj", Act::Link), Err(Refusal::NotChair { .. })));
    assert!(matches!(a.may("Raj", Act::Review), Err(Refusal::NotFinished { .. })));
    assert_eq!((a.may("Ann", Act::Link), a.may("Raj", Act::Finish)), (Ok(()), Ok(())));
    score_every(&mut a, &plan, "Ann", 3, AT);
    score_every(&mut a, &plan, "Raj", 3, AT);
    apply(&mut a, &plan, "Ann", Edit::FinishScoring, AT);
    apply(&mut a, &plan, "Raj", Edit::FinishScoring, AT);
    assert!(a.still_scoring().is_empty(), "the panel does not wait for a member who stood aside");
    assert_eq!(a.spread("CF1"), Some(0), "her 0 does not widen the spread to 3");
    let consensus = Edit::Consensus { criterion: "CF1".into(), score: Some(3), rationale: "agreed".into() };
    apply(&mut a, &plan, "Ann", consensus, AT);
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    let cf1 = e.criteria.iter().find(|c| c.id == "CF1").expect("CF1");
    assert!(cf1.panel.iter().all(|p| p.assessor != "Priya"));
    let letter = letter_of(&plan, &a, &e);
    let annex = format!("{:?}", letter.annex);
    assert!(annex.contains("Declared interests") && annex.contains("worked for the host PCT cluster"), "{annex}");
    let body = format!("{:?}", letter.body);
    assert!(
        body.contains("The assessment panel: Ann (Chair) and Raj (Member). Priya stood aside, having declared an interest, and took no part."),
        "page 1 names who decided, and who stood aside: {body}"
    );
    let reread = reread(&a).expect("the record checks");
    assert_eq!(reread.interests, a.interests);
    let trail: String = reread.audit.iter().map(|e| e.change.describe()).collect::<Vec<_>>().join("\n");
    assert!(trail.contains("Priya declares an interest"), "{trail}");
}

#[test]
fn an_interest_is_declared_by_the_member_and_a_forged_score_after_it_is_refused() {
    let (plan, mut a) = panel();
    let forged_declaration = Edit::DeclareInterest { interest: "related to the MD".into() };
    // Raj's key, Raj's name: he can only declare his own.
    apply(&mut a, &plan, "Raj", forged_declaration, AT);
    assert_eq!(a.interests[0].member, "Raj");
    // A score by Raj written into the file after his declaration, signed
    // with his own key, is refused when the file is read.
    let change = Change::Score {
        criterion: "CF1".into(),
        assessor: "Raj".into(),
        score: Some(4),
        evidence: "slipped in".into(),
        old_score: None,
        old_evidence: None,
    };
    let err = refused_with(&a, "Raj", AT, change);
    assert!(err.to_string().contains("declared an interest"), "{err}");
    // Raj writing a declaration in Priya's name, to keep her scores out of
    // the result, is refused on reading too.
    let change = Change::InterestDeclared { member: "Priya".into(), interest: "invented".into() };
    let err = refused_with(&a, "Raj", AT, change);
    assert!(err.to_string().contains("Raj cannot declare Priya's interest"), "{err}");
}

/// The same CSU's full plan at checkpoint 3, scored well.
fn checkpoint_three(name: &str) -> (csu_assess::plan::Plan, Assessment) {
    let mut content = strong();
    content.csu_name = name.into();
    let plan = import(&examples::write_plan(&content, &Quirks::default()).expect("written"));
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Assessor", AT);
    score_every(&mut a, &plan, "Ann", 4, AT);
    (plan, a)
}

#[test]
fn an_unmet_action_from_checkpoint_two_fails_the_plan_at_checkpoint_three() {
    let earlier = checkpoint_two();
    let (plan, mut a) = checkpoint_three("Midlands Shared Services CSU");
    let before = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    assert_eq!(before.outcome.id, "authorised", "{}", before.headline());
    apply(&mut a, &plan, "Ann", Edit::link_earlier(&earlier, false), AT);
    let linked = a.earlier.as_ref().expect("linked");
    assert_eq!((linked.checkpoint, linked.actions.len()), (2, 1));
    let id = linked.actions[0].action.id.clone();
    let waiting = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    assert!(waiting.missing.iter().any(|m| m.contains("need the panel's finding") && m.contains(&id)), "{waiting:?}");
    let no_evidence = Edit::ReviewAction { id: id.clone(), met: false, evidence: " ".into() };
    assert!(matches!(a.apply(&plan, "Ann", &key("Ann"), no_evidence, AT), Err(Refusal::NoReviewEvidence { .. })));
    let unknown = Edit::ReviewAction { id: "A-nonexistent".into(), met: true, evidence: "seen".into() };
    assert!(matches!(a.apply(&plan, "Ann", &key("Ann"), unknown, AT), Err(Refusal::UnknownCarriedAction { .. })));
    let review = Edit::ReviewAction { id: id.clone(), met: false, evidence: "two CCGs still on heads of terms".into() };
    apply(&mut a, &plan, "Ann", review, AT);
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    assert_eq!(e.unmet_actions.len(), 1, "{e:?}");
    assert!(e.unmet_actions[0].contains("Sign SLAs with every CCG") && e.unmet_actions[0].contains("heads of terms"));
    assert_eq!(e.outcome.id, a.framework().outcomes.last().expect("outcomes").id, "a breach fails the plan");
    assert!(e.decided);
    let letter = letter_of(&plan, &a, &e);
    let body = format!("{:?}", letter.body);
    assert!(body.contains("Development plan not met") && body.contains("two CCGs still on heads of terms"), "{body}");
    assert_eq!(reread(&a).expect("checks").earlier, a.earlier);

    let met = Edit::ReviewAction { id, met: true, evidence: "all SLAs signed in May".into() };
    apply(&mut a, &plan, "Ann", met, AT);
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    assert!(e.unmet_actions.is_empty());
    assert_eq!(e.outcome.id, "authorised");
}

#[test]
fn only_an_earlier_checkpoint_of_the_same_csu_is_linked_unless_chosen() {
    let earlier = checkpoint_two();
    let (plan, mut a) = checkpoint_three("Northern Star CSU");
    let refused = a.apply(&plan, "Ann", &key("Ann"), Edit::link_earlier(&earlier, false), AT);
    assert!(matches!(refused, Err(Refusal::OtherCsu { .. })), "{refused:?}");
    apply(&mut a, &plan, "Ann", Edit::link_earlier(&earlier, true), AT);
    let (later_plan, later) = checkpoint_three("Midlands Shared Services CSU");
    let midlands = example_plan("midlands-shared-outline");
    let mut cp2 = checkpoint_two();
    let backwards = cp2.apply(&midlands, "Ann", &key("Ann"), Edit::link_earlier(&later, false), AT);
    assert!(matches!(backwards, Err(Refusal::NotEarlier { checkpoint: 3, here: 2 })), "{backwards:?}");
    drop(later_plan);
}

#[test]
fn the_command_line_declares_links_and_reviews() {
    use crate::util::{run_in, succeeded};
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    succeeded(run_in(d, &["examples", "--out", "."]));
    // Checkpoint 2 of Midlands, with one development action.
    succeeded(run_in(d, &["assess", "new", "midlands-shared-outline.xlsx", "-o", "cp2.csuassess", "--as", "Ann"]));
    let cp2 = csu_assess::store::load(&d.join("cp2.csuassess")).expect("cp2");
    let mut args: Vec<String> = ["assess", "set", "cp2.csuassess", "--as", "Ann"].map(String::from).to_vec();
    args.extend(cp2.framework().criteria().map(|(_, c)| format!("{}=3:seen", c.id)));
    succeeded(run_in(d, &args.iter().map(String::as_str).collect::<Vec<_>>()));
    let action = ["assess", "action", "cp2.csuassess", "--action", "Sign every SLA", "--owner", "MD"];
    succeeded(run_in(d, &[&action[..], &["--due", "2027-06-30", "--as", "Ann"]].concat()));
    // Checkpoint 3 of Northern Star: another CSU, so linking must be chosen.
    succeeded(run_in(d, &["assess", "new", "northern-star-full.xlsx", "-o", "cp3.csuassess", "--as", "Ann"]));
    let refused = run_in(d, &["assess", "link", "cp3.csuassess", "cp2.csuassess", "--as", "Ann"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("link it only if they are the same CSU"));
    succeeded(run_in(d, &["assess", "link", "cp3.csuassess", "cp2.csuassess", "--chosen", "--as", "Ann"]));
    let id = csu_assess::store::load(&d.join("cp3.csuassess")).expect("cp3").earlier.expect("linked").actions[0]
        .action
        .id
        .clone();
    let review = ["assess", "review", "cp3.csuassess", &id, "--not-met", "--evidence", "two SLAs unsigned"];
    succeeded(run_in(d, &[&review[..], &["--as", "Ann"]].concat()));
    succeeded(run_in(
        d,
        &["assess", "interest", "cp3.csuassess", "--interest", "my brother is its CFO", "--as", "Ann"],
    ));
    let shown = succeeded(run_in(d, &["assess", "show", "cp3.csuassess", "--as", "Ann"]));
    assert!(shown.contains("NOT MET: two SLAs unsigned"), "{shown}");
    assert!(shown.contains("Ann: my brother is its CFO"), "{shown}");
    let stood_aside = run_in(d, &["assess", "set", "cp3.csuassess", "--as", "Ann", "CF1=4:late"]);
    assert_eq!(stood_aside.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stood_aside.stderr).contains("has declared an interest in this CSU"));
    let round: serde_json::Value =
        serde_json::from_str(&succeeded(run_in(d, &["portfolio", ".", "--office", "--json"]))).expect("json");
    let interests = round["interests"].as_array().expect("interests");
    assert_eq!(interests.len(), 1, "{round}");
    assert_eq!(interests[0]["member"], "Ann");
    assert_eq!(interests[0]["interest"], "my brother is its CFO");
}

#[test]
fn a_link_or_review_written_into_the_file_by_hand_is_refused_on_reading() {
    let (plan, mut a) = panel();
    apply(&mut a, &plan, "Ann", Edit::link_earlier(&checkpoint_two(), true), AT);
    let id = a.earlier.as_ref().expect("linked").actions[0].action.id.clone();
    let forged = |who: &str, change: Change| refused_with(&a, who, AT, change);
    let relink = Change::EarlierLinked {
        id: "other".into(),
        csu_name: "Northern Star CSU".into(),
        checkpoint: 2,
        last_entry: String::new(),
        actions: Vec::new(),
    };
    assert!(forged("Raj", relink).contains("only the panel's chair can link"));
    let unknown = Change::ActionReviewed { id: "A-000000".into(), met: true, evidence: "said so".into() };
    assert!(forged("Ann", unknown).contains("there is no development action A-000000"));
    let blind = Change::ActionReviewed { id, met: true, evidence: "signed".into() };
    assert!(forged("Raj", blind).contains("Raj has not finished scoring"));
}

/// Order comes from the links, and the clocks must not contradict it: a
/// score Raj signs after seeing the others, dated a second before his own
/// "done", is refused on reading; the program itself stamps an entry no
/// earlier than those it follows, whatever the laptop's clock says.
#[test]
fn an_entry_dated_before_what_it_follows_is_refused_and_never_written() {
    let (plan, mut a) = panel();
    score_every(&mut a, &plan, "Raj", 3, AT);
    apply(&mut a, &plan, "Raj", Edit::FinishScoring, "2026-11-24T11:00:00Z");
    let change = Change::Score {
        criterion: "CF1".into(),
        assessor: "Raj".into(),
        score: Some(4),
        evidence: "changed after seeing the others".into(),
        old_score: Some(3),
        old_evidence: Some("seen in the plan and at interview".into()),
    };
    let err = refused_with(&a, "Raj", "2026-11-24T10:59:59Z", change);
    assert!(
        err.to_string().contains("is dated 2026-11-24T10:59:59Z, before the entry it follows (2026-11-24T11:00:00Z)"),
        "{err}"
    );
    // A laptop whose clock is behind: the entry is stamped at its parent's time.
    let slow = Edit::Score { criterion: "CF2".into(), score: Some(2), evidence: "Ann's own score".into() };
    apply(&mut a, &plan, "Ann", slow, "2026-11-24T09:00:00Z");
    assert_eq!(a.audit.last().expect("entry").at, "2026-11-24T11:00:00Z");
    Assessment::from_record(&a.plan.path, &a.framework.source, &a.framework.text, a.audit.clone())
        .expect("what the program writes reads back");
}

/// A consensus recorded by a member who then declares an interest does not
/// stand: the criterion has no consensus until another member records one,
/// so it cannot decide the outcome.
#[test]
fn a_consensus_recorded_before_its_author_declared_an_interest_does_not_stand() {
    let (plan, mut a) = panel();
    for who in ["Ann", "Raj", "Priya"] {
        score_every(&mut a, &plan, who, 3, AT);
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    let by_priya = Edit::Consensus { criterion: "CF1".into(), score: Some(4), rationale: "Priya's reasons".into() };
    apply(&mut a, &plan, "Priya", by_priya, AT);
    assert_eq!(a.consensus.len(), 1);
    apply(&mut a, &plan, "Priya", Edit::DeclareInterest { interest: "a relative on its board".into() }, AT);
    assert!(a.consensus.is_empty(), "her consensus is out with her");
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    assert!(e.criteria.iter().find(|c| c.id == "CF1").is_some_and(|c| c.score != Some(4.0)), "it decides nothing");
    let reread = reread(&a).expect("the record reads back");
    assert!(reread.consensus.is_empty(), "on every reading");
    let again = Edit::Consensus { criterion: "CF1".into(), score: Some(3), rationale: "agreed by the others".into() };
    apply(&mut a, &plan, "Ann", again, AT);
    assert_eq!(a.consensus.iter().map(|c| c.recorded_by.as_str()).collect::<Vec<_>>(), ["Ann"]);
}

/// The consensus rules replayed on reading, from the one rule the program
/// records by (`rules::process`): a consensus written into the file by
/// hand and signed with the chair's own key is refused while a member has
/// not finished, and where the scores are two levels apart with no
/// discussion on the record.
#[test]
fn a_consensus_forged_against_the_panels_rules_is_refused_on_reading() {
    let forge = |a: &Assessment, score: u8| {
        let change = Change::Consensus {
            criterion: "CF1".into(),
            score: Some(score),
            rationale: "the chair decided alone".into(),
            old_score: None,
            old_rationale: None,
        };
        refused_with(a, "Ann", AT, change)
    };
    let (plan, mut a) = panel();
    apply(&mut a, &plan, "Priya", Edit::DeclareInterest { interest: "sits on its board".into() }, AT);
    score_every(&mut a, &plan, "Ann", 4, AT);
    apply(&mut a, &plan, "Ann", Edit::FinishScoring, AT);
    score_every(&mut a, &plan, "Raj", 2, AT);
    let err = forge(&a, 3);
    assert!(
        err.contains("once every member has finished scoring; still scoring: Raj"),
        "a member still scoring: {err}"
    );
    apply(&mut a, &plan, "Raj", Edit::FinishScoring, AT);
    let err = forge(&a, 3);
    assert!(err.contains("2 levels apart: record the panel's discussion"), "no discussion of a wide spread: {err}");
    let talked = Edit::Discussion { criterion: "CF1".into(), note: "Raj weighed the unsigned SLAs".into() };
    apply(&mut a, &plan, "Ann", talked, AT);
    let agreed =
        Edit::Consensus { criterion: "CF1".into(), score: Some(3), rationale: "agreed after discussion".into() };
    apply(&mut a, &plan, "Ann", agreed, AT);
    reread(&a).expect("the same consensus, recorded by the rules, reads back");
}

/// A sign-off with a consensus missing, and a panel's letter with no
/// sign-off in force, written into the file by hand with the chair's own
/// key, are refused on reading as the program refuses them.
#[test]
fn a_sign_off_or_a_letter_forged_before_their_time_is_refused_on_reading() {
    let (plan, mut a) = panel();
    for who in ["Ann", "Raj", "Priya"] {
        score_every(&mut a, &plan, who, 3, AT);
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids.iter().skip(1) {
        let agreed = Edit::Consensus { criterion: id.clone(), score: Some(3), rationale: "agreed".into() };
        apply(&mut a, &plan, "Ann", agreed, AT);
    }
    let forge = |a: &Assessment, change: Change| refused_with(a, "Ann", AT, change);
    let err = forge(&a, Change::SignOff { chair: "Ann".into() });
    assert!(err.contains("cannot be signed off yet") && err.contains("has not agreed a consensus for CF1"), "{err}");
    let letter = Change::LetterIssued {
        reference: "CP3/X/1".into(),
        code: "ABCD".into(),
        sha256: "00".repeat(32),
        date: None,
        wording: None,
        replaces: None,
        program: None,
    };
    let err = forge(&a, letter);
    assert!(err.contains("the panel's chair has not signed off the result"), "{err}");
}

/// One letter for one signed-off result: a second issuing forged into the
/// file by the chair is refused on reading; after a reopening and a new
/// sign-off, a new letter is the record's to issue.
#[test]
fn a_second_letter_for_the_same_signed_off_result_is_refused() {
    let (plan, mut a) = panel();
    for who in ["Ann", "Raj", "Priya"] {
        score_every(&mut a, &plan, who, 3, AT);
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        apply(&mut a, &plan, "Ann", Edit::Consensus { criterion: id, score: Some(3), rationale: "agreed".into() }, AT);
    }
    apply(&mut a, &plan, "Ann", Edit::SignOff, AT);
    let issue = |reference: &str| Edit::IssueLetter {
        reference: reference.into(),
        code: "ABCD-0000-0000".into(),
        sha256: "00".repeat(32),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
        wording: String::new(),
    };
    apply(&mut a, &plan, "Ann", issue("CP3/NORTHERN-STAR-CSU/20261124-AAAA"), AT);
    let again = a.apply(&plan, "Ann", &key("Ann"), issue("CP3/NORTHERN-STAR-CSU/20261124-BBBB"), AT);
    assert!(matches!(again, Err(Refusal::AlreadyIssued { .. })), "{again:?}");
    let change = Change::LetterIssued {
        reference: "CP3/NORTHERN-STAR-CSU/20261124-BBBB".into(),
        code: "BBBB".into(),
        sha256: "11".repeat(32),
        date: None,
        wording: None,
        replaces: None,
        program: None,
    };
    let err = refused_with(&a, "Ann", AT, change);
    assert!(
        err.to_string().contains("CP3/NORTHERN-STAR-CSU/20261124-AAAA was issued for this signed-off result"),
        "{err}"
    );
    apply(&mut a, &plan, "Ann", Edit::Reopen { reason: "the MD resigned".into() }, AT);
    apply(&mut a, &plan, "Ann", Edit::SignOff, AT);
    apply(&mut a, &plan, "Ann", issue("CP3/NORTHERN-STAR-CSU/20261124-CCCC"), AT);
    reread(&a).expect("a letter after a reopening and a new sign-off reads back");
}

/// An assessor working alone has no sign-off: their issued letter seals the
/// result instead. A changed score under it, or a second letter, is refused
/// when made and when forged into the file; a reopening opens it again.
#[test]
fn nothing_changes_under_a_sole_assessors_letter_but_a_reopening() {
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", "2012-09-01T09:00:00Z");
    score_every(&mut a, &plan, "Ann", 3, AT);
    let issue = |reference: &str| Edit::IssueLetter {
        reference: reference.into(),
        code: "AAAA-0000-0000".into(),
        sha256: "00".repeat(32),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
        wording: String::new(),
    };
    apply(&mut a, &plan, "Ann", issue("CP3/NORTHERN-STAR-CSU/20261124-AAAA"), AT);
    let changed = Edit::Score { criterion: "CF1".into(), score: Some(4), evidence: "second thoughts".into() };
    let refused = a.apply(&plan, "Ann", &key("Ann"), changed.clone(), AT).expect_err("sealed");
    assert!(refused.to_string().contains("nothing changes under an issued letter"), "{refused}");
    let again = a.apply(&plan, "Ann", &key("Ann"), issue("CP3/NORTHERN-STAR-CSU/20261124-BBBB"), AT);
    assert!(matches!(again, Err(Refusal::UnderLetter { .. })), "{again:?}");
    let forged = Change::Score {
        criterion: "CF1".into(),
        assessor: "Ann".into(),
        score: Some(4),
        evidence: "second thoughts".into(),
        old_score: Some(3),
        old_evidence: None,
    };
    let err = refused_with(&a, "Ann", AT, forged);
    assert!(err.contains("issued the letter CP3/NORTHERN-STAR-CSU/20261124-AAAA"), "{err}");
    apply(&mut a, &plan, "Ann", Edit::Reopen { reason: "an appeal found an error".into() }, AT);
    apply(&mut a, &plan, "Ann", changed, AT);
    reread(&a).expect("a change after the reopening reads back");
}

/// A member removed while they were scoring in their own copy: the copies
/// still join, what the copy brings stands beside the removal, and what the
/// member records after seeing the removal is refused, on recording and
/// when forged into the file.
#[test]
fn a_member_removed_while_scoring_in_their_own_copy_still_joins() {
    let (plan, panel) = panel();
    let mut raj = panel.clone();
    score(&mut raj, &plan, "Raj", "CF1", 2, "scored on the train", AT).expect("scored");
    let mut ann = panel;
    apply(&mut ann, &plan, "Ann", Edit::RemoveMember { name: "Raj".into() }, AT);
    let merged = csu_assess::assessment::merge(&[ann.clone(), raj.clone()]).expect("the copies join");
    assert!(!merged.is_member("Raj"), "the removal stands");
    assert!(merged.audit.iter().any(|e| e.who == "Raj" && e.change.item() == "score/CF1/Raj"), "Raj's work is kept");
    assert!(merged.still_scoring().iter().all(|m| *m != "Raj"), "nobody waits for a removed member");
    // Raj, having taken in the removal, records again: refused.
    let mut after = merged.clone();
    let again = score(&mut after, &plan, "Raj", "CF2", 3, "after the removal", AT);
    assert!(matches!(again, Err(Refusal::NotAMember { .. })), "{again:?}");
    let forged = Change::Score {
        criterion: "CF2".into(),
        assessor: "Raj".into(),
        score: Some(3),
        evidence: "after the removal".into(),
        old_score: None,
        old_evidence: None,
    };
    // Written into the file by hand, following everything Raj has seen.
    let mut trail = merged.audit.clone();
    let chain = csu_assess::assessment::Chain::after(&trail, &key("Raj").public(), None);
    let tips = csu_assess::assessment::audit::tips(&trail);
    trail.push(Entry::new(AT, "Raj", forged, tips, Vec::new(), chain, &key("Raj")));
    let err = Assessment::from_record(&merged.plan.path, &merged.framework.source, &merged.framework.text, trail)
        .expect_err("refused on reading")
        .to_string();
    assert!(err.contains("Raj is not a member of this panel"), "{err}");
    // A member who had recorded where the chair could see it is not removed.
    let mut seen = merged;
    let refused = seen.apply(&plan, "Ann", &key("Ann"), Edit::RemoveMember { name: "Priya".into() }, AT);
    assert!(refused.is_ok(), "Priya had recorded nothing: {refused:?}");
}
