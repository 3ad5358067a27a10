//! Nothing typed is lost, and the window says only what is true: every
//! text box whose text goes on the record, driven through the real widgets
//! against every way out of it (the next or previous criterion, a click in
//! the criteria list, another page, Ctrl+S, closing the assessment,
//! closing the window). Evidence for a scored criterion is recorded on the
//! way out; every other box keeps its text as a draft, on disk beside the
//! assessment, until its button records it, and a later opening puts it
//! back. While a draft exists the status bar says "Unsaved".

use crate::gui::{click_view, harness, open_strong_example, prefs, record_of, type_into};
use csu_assess::assessment::Edit;
use csu_assess::ui::drafts::{Field, side_file};
use csu_assess::ui::state::AppState;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const TYPED: &str = "MD and FD appointed in March. Confirmed at interview";

/// The ways out of a box.
#[derive(Clone, Copy, Debug)]
enum Way {
    NextButton,
    NextKey,
    PreviousButton,
    PreviousKey,
    ListClick,
    PageSwitch,
    Save,
    CloseAssessment,
    CloseWindow,
}

const WAYS: [Way; 9] = [
    Way::NextButton,
    Way::NextKey,
    Way::PreviousButton,
    Way::PreviousKey,
    Way::ListClick,
    Way::PageSwitch,
    Way::Save,
    Way::CloseAssessment,
    Way::CloseWindow,
];

fn leave(h: &mut Harness<'_, AppState>, way: Way) {
    match way {
        Way::NextButton => h.get_by_label("Next criterion").click(),
        Way::NextKey => h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown),
        Way::PreviousButton => h.get_by_label("Previous criterion").click(),
        Way::PreviousKey => h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowUp),
        Way::ListClick => crate::gui::criterion_row(h, "CF3").click(),
        Way::PageSwitch => h.get_by_role_and_label(egui::accesskit::Role::Button, "Summary").click(),
        Way::Save => h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S),
        Way::CloseAssessment => h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W),
        // What the window's close button does: eframe asks the app, whose
        // frame sees the request and does the exit's work.
        Way::CloseWindow => h.state_mut().on_exit(),
    }
    h.run_steps(3);
}

/// Everything the window shows, a frame after the last input.
fn status(h: &mut Harness<'_, AppState>) -> String {
    h.run_steps(1);
    format!("{:?} {}", h.root(), crate::gui::messages(h))
}

/// The assessment's path, from the session or the last file remembered.
fn assessment_path(h: &Harness<'_, AppState>) -> std::path::PathBuf {
    match &h.state().session {
        Some(s) => s.path.clone(),
        None => h
            .state()
            .prefs
            .recent
            .iter()
            .find(|p| p.extension().is_some_and(|x| x == "csuassess"))
            .cloned()
            .expect("remembered"),
    }
}

#[test]
fn evidence_typed_for_a_scored_criterion_is_recorded_by_every_way_out() {
    for way in WAYS {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = harness(dir.path(), prefs());
        open_strong_example(&mut h);
        click_view(&mut h, "Scoring");
        h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown);
        h.run_steps(2);
        h.key_press(egui::Key::Num3);
        h.run_steps(2);
        h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::E);
        h.run_steps(2);
        h.get_by_label("Evidence").type_text(TYPED);
        h.run_steps(1);
        assert!(
            status(&mut h).contains("Unsaved: evidence for CF2 not yet recorded"),
            "{way:?}: the status bar is truthful"
        );
        let path = assessment_path(&h);
        leave(&mut h, way);
        let on_disk = |path: &std::path::Path| {
            csu_assess::store::load(path)
                .expect("loads")
                .scores
                .iter()
                .find(|s| s.criterion == "CF2")
                .map(|s| s.evidence.clone())
        };
        if h.state().session.is_some() {
            let record = record_of(&h);
            let cf2 = record.scores.iter().find(|s| s.criterion == "CF2").expect("scored");
            assert_eq!((cf2.score, cf2.evidence.as_str()), (3, TYPED), "{way:?} records the evidence");
            assert!(!status(&mut h).contains("Unsaved: evidence"), "{way:?}: recorded, so no longer a draft");
            h.state_mut().save_now();
        }
        assert_eq!(on_disk(&path).as_deref(), Some(TYPED), "{way:?}: on disk");
        assert!(!side_file(&path).exists(), "{way:?}: nothing left as a draft");
    }
}

#[test]
fn evidence_typed_before_any_score_stays_a_draft_until_the_score_and_is_then_recorded_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    type_into(&mut h, "Evidence", TYPED);
    let cf1 = Field::Evidence { criterion: "CF1".into() };
    for way in [Way::NextButton, Way::PreviousKey, Way::PageSwitch, Way::Save] {
        leave(&mut h, way);
        click_view(&mut h, "Scoring");
        h.state_mut().selected_criterion = 0;
        h.run_steps(2);
        assert!(record_of(&h).scores.is_empty(), "{way:?}: nothing to attach it to, so nothing recorded");
        assert_eq!(h.state().drafts.pending_text(&cf1), Some(TYPED), "{way:?}: kept");
        assert_eq!(h.get_by_label("Evidence").accesskit_node().value().as_deref(), Some(TYPED), "{way:?}: shown");
    }
    assert!(std::fs::read_to_string(side_file(&assessment_path(&h))).expect("kept on disk").contains(TYPED));
    h.get_by_label_contains(" score 3: ").click();
    h.run_steps(2);
    let record = record_of(&h);
    assert_eq!(record.scores[0].evidence, TYPED, "recorded with the score");
    h.run_steps(10);
    std::thread::sleep(csu_assess::ui::drafts::DRAFTS_WRITTEN_AFTER);
    h.run_steps(2);
    assert!(!side_file(&assessment_path(&h)).exists(), "no draft left, so no side file");
}

/// A box whose text waits for its button: typed, then every way out, and
/// the text is still there, on disk, and put back after closing.
fn kept_by_every_way_out(
    h: &mut Harness<'_, AppState>,
    page: &str,
    label: &str,
    field: &Field,
    reopen: impl Fn(&mut Harness<'_, AppState>),
) {
    type_into(h, label, TYPED);
    assert!(status(h).contains("Unsaved"), "{label}: the status bar says so");
    let path = assessment_path(h);
    for way in [Way::PageSwitch, Way::Save] {
        leave(h, way);
        click_view(h, page);
        assert_eq!(h.state().drafts.pending_text(field), Some(TYPED), "{label}, {way:?}: kept");
        assert_eq!(h.get_by_label(label).accesskit_node().value().as_deref(), Some(TYPED), "{label}, {way:?}: shown");
    }
    let before = record_of(h).audit.len();
    for way in [Way::CloseWindow, Way::CloseAssessment] {
        leave(h, way);
        let kept = std::fs::read_to_string(side_file(&path)).expect("a side file");
        assert!(kept.contains(TYPED), "{label}, {way:?}: on disk beside the assessment");
        assert_eq!(
            csu_assess::store::load(&path).expect("loads").audit.len(),
            before,
            "{label}: nothing recorded by leaving"
        );
    }
    reopen(h);
    click_view(h, page);
    let shown = status(h);
    assert!(shown.contains("Put back text typed here"), "{label}: the reopening says so: {}", crate::gui::messages(h));
    assert_eq!(h.get_by_label(label).accesskit_node().value().as_deref(), Some(TYPED), "{label}: put back in its box");
}

fn reopen_strong(h: &mut Harness<'_, AppState>) {
    crate::gui::settle(h);
    open_strong_example(h);
}

#[test]
fn an_interest_and_a_new_action_are_kept_until_their_button() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Panel");
    kept_by_every_way_out(&mut h, "Panel", "Your interest in this CSU", &Field::Interest, reopen_strong);

    finished(&mut h);
    click_view(&mut h, "Letter");
    kept_by_every_way_out(&mut h, "Letter", "New action", &Field::Action, reopen_strong);
    type_into(&mut h, "Action owner", "Managing director");
    type_into(&mut h, "Due (dd/mm/yyyy)", "not a date");
    h.get_by_label("Add action").click();
    h.run_steps(2);
    assert!(record_of(&h).actions.is_empty(), "refused: not a date");
    assert_eq!(h.state().drafts.pending_text(&Field::Action), Some(TYPED), "a refusal loses nothing typed");
    h.get_by_label("Due (dd/mm/yyyy)").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Due (dd/mm/yyyy)").type_text("31/03/2013");
    h.run_steps(1);
    h.get_by_label("Add action").click();
    h.run_steps(2);
    assert_eq!(record_of(&h).actions.len(), 1, "{}", crate::gui::messages(&h));
    assert_eq!(record_of(&h).actions[0].action, TYPED);
    assert_eq!(h.state().drafts.pending_count(), 1, "only the interest is left");
}

/// A panel that has finished scoring: the consensus form and the
/// discussion are shown.
fn finished(h: &mut Harness<'_, AppState>) {
    let ids: Vec<String> =
        h.state().session.as_ref().expect("session").framework.criteria().map(|(_, c)| c.id.clone()).collect();
    for criterion in ids {
        h.state_mut().apply(Edit::Score { criterion, score: Some(3), evidence: "seen".into() });
    }
    h.state_mut().apply(Edit::FinishScoring);
    h.run_steps(2);
}

#[test]
fn a_rationale_and_a_discussion_note_are_kept_per_criterion_until_their_button() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    finished(&mut h);
    click_view(&mut h, "Panel");
    let reopen = |h: &mut Harness<'_, AppState>| reopen_strong(h);
    kept_by_every_way_out(&mut h, "Panel", "Rationale", &Field::Rationale { criterion: "CF1".into() }, reopen);
    kept_by_every_way_out(&mut h, "Panel", "Discussion", &Field::Discussion { criterion: "CF1".into() }, reopen);

    // Another criterion of the moderation grid has its own boxes: the
    // text typed for CF1 is never recorded against CF2.
    h.get_by_label_contains("CF2 ").click();
    h.run_steps(2);
    assert_eq!(h.get_by_label("Rationale").accesskit_node().value().as_deref(), Some(""));
    h.get_by_label_contains("CF1 ").click();
    h.run_steps(2);
    assert_eq!(h.get_by_label("Rationale").accesskit_node().value().as_deref(), Some(TYPED));
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, "Agreed score 3 for CF1").click();
    h.run_steps(1);
    h.get_by_label("Record consensus").click();
    h.run_steps(2);
    let record = record_of(&h);
    assert_eq!(record.consensus.len(), 1, "{}", crate::gui::messages(&h));
    assert_eq!((record.consensus[0].criterion.as_str(), record.consensus[0].rationale.as_str()), ("CF1", TYPED));
    assert!(h.state().drafts.pending_text(&Field::Rationale { criterion: "CF1".into() }).is_none(), "spent");
}

#[test]
fn the_evidence_of_a_finding_on_a_carried_action_is_kept_until_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let earlier = dir.path().join("midlands-cp2.csuassess");
    csu_assess::store::create(&earlier, &crate::util::checkpoint_two(), None).expect("saved");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.state_mut().link_earlier(&earlier);
    h.run_steps(2);
    h.state_mut().apply(Edit::link_earlier(&csu_assess::store::load(&earlier).expect("loads"), true));
    h.run_steps(2);
    let id = record_of(&h).earlier.expect("linked").actions[0].action.id.clone();
    click_view(&mut h, "Summary");
    kept_by_every_way_out(&mut h, "Summary", "Evidence", &Field::Review { action: id }, reopen_strong);
}

#[test]
fn a_normal_exit_is_not_reported_as_a_crash_at_the_next_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    leave(&mut h, Way::CloseWindow);
    let prefs = h.state().prefs.clone();
    assert!(prefs.clean_exit && prefs.open_assessment.is_some());
    let h = harness(dir.path(), prefs);
    assert!(h.state().recovery.is_none(), "no crash notice after a clean exit");
    assert!(h.query_by_label_contains("closed unexpectedly").is_none());
}

/// A CCG interview's text boxes keep what was typed through every way out,
/// on disk beside the assessment, per CCG; a refusal loses none of it, and
/// recording the interview spends them.
#[test]
fn a_ccg_interviews_text_is_kept_per_ccg_until_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "CCG interviews");
    let ccgs: Vec<String> =
        h.state().session.as_ref().expect("session").plan.customers.iter().map(|c| c.ccg.clone()).collect();
    let notes = Field::Interview { ccg: ccgs[0].clone(), part: csu_assess::ui::drafts::InterviewPart::Notes };
    kept_by_every_way_out(&mut h, "CCG interviews", "Notes", &notes, reopen_strong);

    // Another CCG has its own boxes; the first's text waits for it.
    h.get_by_label_contains(&format!("{}: not yet interviewed", ccgs[1])).click();
    h.run_steps(2);
    assert_eq!(h.get_by_label("Notes").accesskit_node().value().as_deref(), Some(""));
    h.get_by_label_contains(&format!("{}: not yet interviewed", ccgs[0])).click();
    h.run_steps(2);
    assert_eq!(h.get_by_label("Notes").accesskit_node().value().as_deref(), Some(TYPED));

    // A refusal (no such day) records nothing and loses nothing.
    type_into(&mut h, "Interviewee", "Dr Alan Reed");
    type_into(&mut h, "Their role", "Accountable Officer");
    type_into(&mut h, "Held on", "last Tuesday");
    for answer in ["Meeting", "Signed", "At least half", "Yes", "Very confident", "Stay"] {
        h.get_by_label(answer).click();
        h.run_steps(1);
    }
    h.get_by_label("Record the interview").click();
    h.run_steps(2);
    assert!(record_of(&h).ccg_interviews.is_empty());
    assert!(crate::gui::messages(&h).contains("\"last Tuesday\" is not the day the interview was held"));
    assert_eq!(h.state().drafts.pending_text(&notes), Some(TYPED), "a refusal loses nothing typed");
    h.get_by_label("Held on").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Held on").type_text("2012-09-12");
    h.run_steps(1);
    h.get_by_label("Record the interview").click();
    h.run_steps(2);
    let recorded = record_of(&h).ccg_interviews;
    assert_eq!(recorded.len(), 1, "{}", crate::gui::messages(&h));
    assert_eq!(recorded[0].account.notes, TYPED);
    assert_eq!(h.state().drafts.pending_text(&notes), None, "recorded, the draft is spent");
    assert!(h.query_by_label("Record the corrected interview").is_some(), "the form now corrects it");
}
