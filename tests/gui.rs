//! The window, driven headlessly with egui_kittest through the real widgets:
//! open an example plan, score every criterion by keyboard and by mouse,
//! see the outcome, export the letter through the typed-path fallback (no
//! file dialog exists here), and see a corrupt file refused in words.

use crate::util::{bdu_program, certified, office, roster_of, trust_in};
use crate::util::{join, key};
use csu_assess::assessment::Edit;
use csu_assess::ui::app_ui;
use csu_assess::ui::state::{AppState, Page, Prefs};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::Duration;

pub(crate) fn harness(dir: &std::path::Path, prefs: Prefs) -> Harness<'static, AppState> {
    let mut state = AppState::new(prefs, dir.to_path_buf());
    state.system_dialogs = false;
    // The BDU's wording, as installed beside the program on its computers.
    state.templates = crate::util::wording();
    let h = Harness::builder().with_size(egui::vec2(1366.0, 768.0)).build_ui_state(app_ui, state);
    csu_assess::ui::theme::install(&h.ctx);
    csu_assess::ui::install_fonts(&h.ctx);
    h
}

pub(crate) fn prefs() -> Prefs {
    Prefs { assessor: "Test Assessor".into(), ..Prefs::default() }
}

/// Steps until background work (imports, dialogs) is done.
pub(crate) fn settle(h: &mut Harness<'_, AppState>) {
    for _ in 0..500 {
        h.step();
        if h.state().jobs.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(3);
}

pub(crate) fn open_strong_example(h: &mut Harness<'_, AppState>) {
    h.get_by_label("Northern Star CSU: full plan (checkpoint 3)").click();
    settle(h);
    assert_eq!(h.state().page, Page::Plan, "{:?}", h.state().messages);
    assert!(h.state().session.is_some());
}

#[test]
fn an_assessors_day_open_score_see_the_outcome_and_export_the_letter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.get_by_label("Scoring").click();
    h.run_steps(2);
    assert!(h.query_by_label("0 of 21 criteria scored").is_some());

    for i in 0..21 {
        h.get_by_label("Evidence").focus();
        h.run_steps(1);
        h.get_by_label("Evidence").type_text(&format!("Evidence {i}: seen in the plan and confirmed at interview"));
        h.run_steps(1);
        if i % 2 == 0 {
            // Keyboard: leave the text field, then press the level.
            h.key_press(egui::Key::Escape);
            h.run_steps(1);
            h.key_press(egui::Key::Num3);
        } else {
            // Mouse: choose the descriptor.
            h.get_by_label_contains(" score 3: ").click();
        }
        h.run_steps(2);
        if i < 20 {
            h.get_by_label("Next criterion").click();
            h.run_steps(2);
        }
    }
    assert!(h.query_by_label("21 of 21 criteria scored").is_some(), "{:?}", h.state().messages);
    interview_in_window(&mut h, usize::MAX);
    let interviews = &h.state().session.as_ref().expect("session").record().ccg_interviews;
    assert_eq!(interviews.len(), 6, "{}", messages(&h));
    assert!(interviews.iter().all(|i| i.account.set_aside == Some(11.52) && i.account.services.len() == 3));
    assert!(all_text(&h).contains("6 of 6 CCGs, covering 100.0% of the population, confirm their SLA"));
    let scores = &h.state().session.as_ref().expect("session").record().scores;
    assert_eq!(scores.len(), 21);
    assert!(
        scores.iter().all(|s| s.score == 3 && s.evidence.starts_with("Evidence ") && s.assessor == "Test Assessor")
    );

    h.get_by_label("Summary").click();
    h.run_steps(2);
    assert!(
        all_text(&h).contains("A final letter needs the BDU's roster"),
        "the Summary says what the letter waits on"
    );

    // The BDU knows this computer's key: the letter can be issued.
    let me = h.state().identity.clone().expect("a key");
    // Enrolled, but the office has not certified a letter-signing key: the
    // Letter page says so before anyone tries to issue.
    h.state_mut().set_trust(trust_in(roster_of(&[("Test Assessor", me.public())])));
    h.get_by_label("Letter").click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("The letter cannot be issued from this computer yet: the BDU's roster gives Test Assessor no letter-signing certificate").is_some()
    );
    h.get_by_label("Summary").click();
    h.run_steps(2);
    let trust = trust_in(certified(roster_of(&[("Test Assessor", me.public())]), &office(), &[&me]));
    h.state_mut().set_trust(trust.clone());
    h.run_steps(2);
    assert_eq!(h.state().session.as_ref().expect("session").evaluation.outcome.id, "authorised");
    assert!(h.query_by_label("Authorised").is_some());
    assert!(h.query_by_label("Nothing: the decision can be issued.").is_some());
    h.get_by_label("Letter").click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("the letter is issued: recorded on the trail and signed by Test Assessor").is_some(),
        "the page says the letter will be signed, and by whom"
    );
    let pdf = dir.path().join("letter.pdf");
    export_by_typed_path(&mut h, &pdf);
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
        panic!("the letter was not written ({e}): {:?}", h.state().messages.iter().map(|m| &m.text).collect::<Vec<_>>())
    });
    assert!(bytes.starts_with(b"%PDF"));
    assert!(messages(&h).contains("signed by Test Assessor for PDF readers"), "{}", messages(&h));
    h.state_mut().save_now();
    let path = h.state().session.as_ref().expect("session").path.clone();
    let saved = csu_assess::store::load(&path).expect("the assessment was saved");
    assert!(
        matches!(
            csu_assess::letter::verify(&bytes, &saved, &path, Some(&crate::util::wording())),
            Ok(csu_assess::letter::Verdict::Issued { content: csu_assess::letter::Content::Same, .. })
        ),
        "the letter was issued from the saved record"
    );
    assert_eq!(
        csu_assess::letter::signature::check(&bytes, &trust),
        csu_assess::letter::signature::Seal::Bdu { name: "Test Assessor".into(), revoked: None },
        "signed as the chair, for any PDF reader"
    );

    // Exported again to the same name: asked first, and nothing is written
    // over until the assessor says so.
    export_by_typed_path(&mut h, &pdf);
    assert!(h.query_by_label_contains("already exists. Replace it?").is_some(), "asked before replacing");
    assert_eq!(std::fs::read(&pdf).expect("still there"), bytes, "nothing written over yet");
    h.get_by_label("Choose another name").click();
    h.run_steps(2);
    assert!(h.query_by_label("Path").is_some(), "back to the path");
    h.get_by_label("OK").click();
    h.run_steps(2);
    h.get_by_label("Replace").click();
    h.run_steps(2);
    assert!(h.query_by_label("Path").is_none(), "the prompt is closed");
    assert!(std::fs::read(&pdf).expect("written").starts_with(b"%PDF"));
}

/// Exports the letter through the typed-path prompt (no file dialog exists
/// here), replacing whatever the prompt suggested with `pdf`.
fn export_by_typed_path(h: &mut Harness<'_, AppState>, pdf: &std::path::Path) {
    h.get_by_label("Export letter as PDF…").click();
    settle(h);
    h.get_by_label("Path").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Path").type_text(&pdf.display().to_string());
    h.run_steps(1);
    h.get_by_label("OK").click();
    h.run_steps(2);
}

#[test]
fn a_workbook_that_stops_the_reader_is_refused_and_the_open_plan_stays_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/issue17-xlsb-missing-relationship.xlsb");
    h.state_mut().open(&fixture);
    settle(&mut h);
    assert!(messages(&h).contains("issue17-xlsb-missing-relationship.xlsb: could not be read"), "{}", messages(&h));
    let s = h.state().session.as_ref().expect("the open plan is still open");
    assert_eq!(s.plan.cover.csu_name, "Northern Star CSU");
}

#[test]
fn a_corrupt_file_is_refused_with_a_message_in_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("minutes.xlsx");
    std::fs::write(&bad, b"%PDF-1.4 these are minutes, not a plan").expect("written");
    let mut h = harness(dir.path(), prefs());
    h.state_mut().open(&bad);
    settle(&mut h);
    assert!(h.state().session.is_none());
    let message = h.get_by_label_contains("minutes.xlsx");
    let text = format!("{message:?}");
    assert!(text.contains("this is a PDF document, not a spreadsheet workbook"), "{text}");
}

#[test]
fn undo_redo_and_autosave_keep_every_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.get_by_label("Scoring").click();
    h.run_steps(2);
    h.key_press(egui::Key::Num4);
    h.run_steps(2);
    let record = |h: &Harness<'_, AppState>| {
        let r = h.state().session.as_ref().expect("session").record();
        (r.scores.len(), r.audit.len())
    };
    assert_eq!(record(&h), (1, 2));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(record(&h), (0, 3), "undone, by an entry added to the trail");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    h.run_steps(2);
    assert_eq!(record(&h), (1, 4), "redone, by another entry");
    assert!(h.query_by_label("Unsaved changes (saving…)").is_some());
    std::thread::sleep(csu_assess::ui::state::AUTOSAVE_AFTER + Duration::from_millis(50));
    h.run_steps(2);
    let path = h.state().session.as_ref().expect("session").path.clone();
    let saved = csu_assess::store::load(&path).expect("autosaved");
    assert_eq!((saved.scores.len(), saved.audit.len()), (1, 4), "the whole trail is on disk");
    assert!(h.query_by_label("Unsaved changes (saving…)").is_none());
}

#[test]
fn after_a_crash_the_work_is_offered_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.key_press(egui::Key::Num2);
    let path = h.state().session.as_ref().expect("session").path.clone();
    h.state_mut().save_now();
    let left_behind = Prefs { open_assessment: Some(path.clone()), clean_exit: false, ..prefs() };
    drop(h);
    let mut h = harness(dir.path(), left_behind);
    h.run_steps(2);
    h.get_by_label(&format!("Reopen {}", path.display())).click();
    settle(&mut h);
    assert_eq!(h.state().session.as_ref().map(|s| s.path.clone()), Some(path));
}

#[test]
fn a_finding_shows_the_row_it_refers_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.get_by_label("Capital Commissioning Support: full plan (checkpoint 3)").click();
    settle(&mut h);
    h.get_by_label("Customers!D6").click();
    h.run_steps(2);
    assert_eq!(h.state().plan_tab, csu_assess::ui::state::PlanTab::Sheet(csu_assess::plan::TemplateSheet::Customers));
    assert_eq!(h.state().highlight_row, Some(5));
    let shown = h.state().shown_finding.clone().expect("the finding is shown above the sheet");
    assert!(all_text(&h).contains(&shown.message.replace('"', "\\\"")), "its words are on the tab");
    assert!(h.query_by_label_contains("(row 6 is highlighted below)").is_some());
    let value = shown.value.clone().expect("the cell's content is kept with the finding");
    assert!(all_text(&h).contains(&format!("The cell holds \u{201c}{value}\u{201d}.")), "and shown: {value}");
}

#[test]
fn a_finding_about_an_unanswered_section_opens_it_marked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.get_by_label("Capital Commissioning Support: full plan (checkpoint 3)").click();
    settle(&mut h);
    let finding = h
        .state()
        .session
        .as_ref()
        .expect("open")
        .plan
        .findings
        .iter()
        .find(|f| f.message.contains("is not answered"))
        .cloned()
        .expect("the empty governance section is a finding");
    assert_eq!(finding.sheet, "Narrative");
    assert!(finding.cell.is_some(), "the finding names the empty answer's cell, not just the sheet");
    h.get_by_label(&finding.location()).click();
    h.run_steps(3);
    assert_eq!(h.state().plan_tab, csu_assess::ui::state::PlanTab::Sheet(csu_assess::plan::TemplateSheet::Narrative));
    let marked = "Governance and arm's-length arrangements  ▲ not answered";
    h.get_by_label(marked);
    h.get_by_label("Not answered");
    // Opened once, not held open: the assessor can close it again.
    h.get_by_label(marked).click();
    h.run_steps(3);
    assert!(h.query_by_label("Not answered").is_none(), "the section closes when asked");
}

#[test]
fn the_framework_can_be_changed_before_scoring() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.get_by_label("Scoring").click();
    h.run_steps(2);
    h.get_by_label("Framework").click();
    h.run_steps(2);
    h.get_by_label("Checkpoint 2: outline business plan").click();
    h.run_steps(2);
    assert_eq!(h.state().session.as_ref().expect("session").framework.id, "cp2-outline-plan");
    assert!(h.query_by_label("0 of 9 criteria scored").is_some());
}

/// Every label the window shows now, for asserting what is not there.
pub(crate) fn all_text(h: &Harness<'_, AppState>) -> String {
    format!("{:?}", h.root())
}

pub(crate) fn click_view(h: &mut Harness<'_, AppState>, name: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::Button, name).click();
    h.run_steps(2);
}

pub(crate) fn record_of(h: &Harness<'_, AppState>) -> csu_assess::assessment::Assessment {
    h.state().session.as_ref().expect("session").record().clone()
}

/// Applies edits as this computer's member, as widgets would.
fn edits(h: &mut Harness<'_, AppState>, edits: Vec<Edit>) {
    for edit in edits {
        h.state_mut().apply(edit);
    }
    h.run_steps(2);
}

fn every_criterion(h: &Harness<'_, AppState>, level: u8, evidence: &str) -> Vec<Edit> {
    let s = h.state().session.as_ref().expect("session");
    s.framework
        .criteria()
        .map(|(_, c)| Edit::Score {
            criterion: c.id.clone(),
            score: Some(level),
            evidence: format!("{evidence} {}", c.id),
        })
        .collect()
}

/// Every CCG of the open plan interviewed, confirming the plan.
fn every_ccg(h: &Harness<'_, AppState>) -> Vec<Edit> {
    let s = h.state().session.as_ref().expect("session");
    s.plan.customers.iter().map(|c| Edit::CcgInterview(Box::new(crate::util::confirming(&c.ccg)))).collect()
}

/// Records every CCG's interview on the CCG interviews page, as an assessor
/// would: choose the CCG, type, choose each answer, record.
fn interview_in_window(h: &mut Harness<'_, AppState>, how_many: usize) {
    click_view(h, "CCG interviews");
    let ccgs: Vec<String> =
        h.state().session.as_ref().expect("session").plan.customers.iter().map(|c| c.ccg.clone()).collect();
    for ccg in ccgs.iter().take(how_many) {
        h.get_by_label_contains(&format!("{ccg}: not yet interviewed")).click();
        h.run_steps(2);
        type_into(h, "Interviewee", "Dr Alan Reed");
        type_into(h, "Their role", "Accountable Officer");
        type_into(h, "Held on", "2012-09-12");
        type_into(h, "Set aside a head (£)", "11.52");
        for answer in ["Meeting", "Signed", "At least half", "Yes", "Very confident", "Stay"] {
            h.get_by_label(answer).click();
            h.run_steps(1);
        }
        h.get_by_label("Has met the CSU's leader").click();
        for service in ["Business intelligence", "Healthcare procurement", "Business support"] {
            h.get_by_label(service).click();
            h.run_steps(1);
        }
        type_into(h, "Notes", &format!("{ccg} confirmed its SLA and the price."));
        h.get_by_label("Record the interview").click();
        h.run_steps(2);
    }
}

pub(crate) fn messages(h: &Harness<'_, AppState>) -> String {
    h.state().messages.iter().map(|m| m.text.clone()).collect::<Vec<_>>().join(" | ")
}

/// Whether the control with this label is greyed out.
pub(crate) fn disabled(h: &Harness<'_, AppState>, label: &str) -> bool {
    use egui_kittest::kittest::NodeT;
    h.get_by_label(label).accesskit_node().is_disabled()
}

/// A criterion's row in the Scoring page's list, by its id: the rows are
/// named in words ("CF1 CCGs' commitment to the offer: not scored").
pub(crate) fn criterion_row<'h>(h: &'h Harness<'_, AppState>, id: &str) -> egui_kittest::Node<'h> {
    let start = format!("{id} ");
    h.get_by(move |n| n.role() == egui::accesskit::Role::Button && n.label().is_some_and(|l| l.starts_with(&start)))
}

pub(crate) fn type_into(h: &mut Harness<'_, AppState>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(1);
}

/// Ann chairs on her laptop, Raj scores on his: two windows, two keys, one
/// file in a shared folder.
#[test]
fn a_panel_in_the_window_blind_until_finished_and_signed_off_only_by_the_chair() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ann_dir, raj_dir) = (dir.path().join("ann"), dir.path().join("raj"));
    let mut ann = harness(&ann_dir, Prefs { assessor: "Ann".into(), ..Prefs::default() });
    let mut raj = harness(&raj_dir, Prefs { assessor: "Raj".into(), ..Prefs::default() });
    let raj_key = raj.state().identity.as_ref().expect("Raj's key").public();
    open_strong_example(&mut ann);
    click_view(&mut ann, "Panel");
    for (name, role, key) in [("Ann", "Chair", ""), ("Raj", "Finance lead", raj_key.as_str())] {
        type_into(&mut ann, "Member's name", name);
        type_into(&mut ann, "Member's role", role);
        if !key.is_empty() {
            type_into(&mut ann, "Member's key", key);
        }
        ann.get_by_label("Add member or change role").click();
        ann.run_steps(2);
    }
    assert_eq!(record_of(&ann).chair().as_deref(), Some("Ann"), "{}", messages(&ann));
    assert_eq!(record_of(&ann).key_of("Raj"), Some(raj_key.as_str()));
    let mut scores = every_criterion(&ann, 4, "Ann's evidence for");
    scores.push(Edit::Score { criterion: "CF1".into(), score: Some(1), evidence: "Ann's evidence for CF1".into() });
    edits(&mut ann, scores);
    ann.get_by_label("I have finished scoring").click();
    ann.run_steps(2);
    ann.state_mut().save_now();
    let path = ann.state().session.as_ref().expect("session").path.clone();

    // Raj opens the shared file on his laptop: his key makes him Raj.
    raj.state_mut().open(&path);
    settle(&mut raj);
    assert_eq!(raj.state().acting(), "Raj", "{}", messages(&raj));
    click_view(&mut raj, "Scoring");
    raj.key_press(egui::Key::Num4);
    raj.run_steps(2);
    assert_eq!(record_of(&raj).scores.iter().filter(|s| s.assessor == "Raj").count(), 1, "{}", messages(&raj));
    for page in ["Scoring", "Summary", "Letter", "Panel", "Plan"] {
        click_view(&mut raj, page);
        let text = all_text(&raj);
        for secret in ["Ann's evidence", "Authorised", "Spread", "Overall", "levels apart"] {
            assert!(!text.contains(secret), "Raj, still scoring, sees {secret:?} on the {page} page");
        }
        assert!(text.contains("outcome hidden until you finish scoring"), "{page}: the status bar says so");
    }
    click_view(&mut raj, "Panel");
    assert!(all_text(&raj).contains("1 of 21 scored") && all_text(&raj).contains("21 of 21 scored, finished"));
    raj.get_by_label("I have finished scoring").click();
    raj.run_steps(2);
    assert!(messages(&raj).contains("Raj cannot finish scoring yet: these criteria are not scored by Raj: CF2,"));
    let mut rest = every_criterion(&raj, 4, "Raj's evidence for");
    rest.retain(|e| !matches!(e, Edit::Score { criterion, .. } if criterion == "CF1"));
    edits(&mut raj, rest);
    raj.get_by_label("I have finished scoring").click();
    raj.run_steps(2);
    assert!(all_text(&raj).contains("Spread"), "once finished, Raj sees the spreads");
    // What the record would refuse Raj is greyed out before he tries: the
    // library's rule, asked ahead, not a copy of it in the window.
    assert!(disabled(&raj, "Sign off the panel's result (chair)"), "only the chair signs off");
    assert!(disabled(&raj, "Add member or change role"), "only the chair manages members");
    let why = record_of(&raj).may("Raj", csu_assess::assessment::rules::Act::SignOff).expect_err("refused");
    assert_eq!(why.to_string(), "only the panel's chair can sign off the result; the chair is Ann");
    raj.get_by_label("Sign off the panel's result (chair)").click();
    raj.run_steps(2);
    assert!(record_of(&raj).sign_off.is_none(), "a greyed-out button does nothing");

    raj.get_by_label("CF1 CCGs' commitment to the offer").click();
    raj.run_steps(2);
    assert!(raj.query_by_label_contains("levels apart: record the panel's discussion").is_some());
    raj.get_by_role_and_label(egui::accesskit::Role::RadioButton, "Agreed score 2 for CF1").click();
    type_into(&mut raj, "Rationale", "Two CCGs confirmed their SLAs at interview");
    raj.get_by_label("Record consensus").click();
    raj.run_steps(2);
    assert!(record_of(&raj).consensus.is_empty(), "refused before a discussion");
    let kept = raj.get_by_label("Rationale").value();
    assert_eq!(kept.as_deref(), Some("Two CCGs confirmed their SLAs at interview"), "a refusal keeps what was typed");
    type_into(&mut raj, "Discussion", "Ann weighed the unsigned SLA; Raj the CCG interviews");
    raj.get_by_label("Record discussion").click();
    raj.run_steps(2);
    raj.get_by_label("Record consensus").click();
    raj.run_steps(2);
    assert_eq!(record_of(&raj).consensus.len(), 1, "{}", messages(&raj));
    assert_eq!(record_of(&raj).consensus[0].rationale, "Two CCGs confirmed their SLAs at interview");
    assert_eq!(raj.get_by_label("Rationale").value().as_deref(), Some(""), "recorded, the box is cleared");
    let summary_missing = {
        click_view(&mut raj, "Summary");
        all_text(&raj)
    };
    assert!(
        summary_missing.contains("A final letter needs the BDU's roster"),
        "the Summary lists what the letter waits on, unknown keys included"
    );
    click_view(&mut raj, "Panel");
    raj.state_mut().save_now();

    // Back on Ann's laptop: Raj's work is read in, nothing written over.
    std::thread::sleep(csu_assess::ui::state::DISK_CHECK_EVERY + Duration::from_millis(100));
    ann.run_steps(2);
    assert_eq!(record_of(&ann).consensus.len(), 1, "{}", messages(&ann));
    click_view(&mut ann, "Panel");
    ann.get_by_label("Sign off the panel's result (chair)").click();
    ann.run_steps(2);
    assert!(messages(&ann).contains("The result cannot be signed off yet"), "refused while consensus is missing");
    let agreed: Vec<Edit> = every_criterion(&ann, 4, "")
        .into_iter()
        .filter_map(|e| match e {
            Edit::Score { criterion, .. } if criterion != "CF1" => {
                Some(Edit::Consensus { criterion, score: Some(4), rationale: "agreed".into() })
            }
            _ => None,
        })
        .collect();
    edits(&mut ann, agreed);
    let interviews = every_ccg(&ann);
    edits(&mut ann, interviews);
    ann.get_by_label("Sign off the panel's result (chair)").click();
    ann.run_steps(2);
    assert!(record_of(&ann).sign_off.is_some(), "{}", messages(&ann));
    assert!(disabled(&ann, "Record consensus"), "a signed-off result takes no more consensus");
    assert!(!disabled(&ann, "Reopen the result (chair)"), "the chair may reopen it");
    click_view(&mut ann, "Scoring");
    assert!(all_text(&ann).contains("Your scores are closed"), "the scoring page says why it is closed");
    click_view(&mut ann, "Panel");
    ann.state_mut().save_now();
    let saved = csu_assess::store::load(&path).expect("checks on reading");
    assert_eq!(saved.audit.len(), record_of(&ann).audit.len());
    assert_eq!(saved.signers().len(), 2, "every entry signed by Ann's or Raj's own key");
}

#[test]
fn the_window_never_writes_over_a_change_the_command_line_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    let path = h.state().session.as_ref().expect("session").path.clone();
    h.key_press(egui::Key::Num3);
    h.run_steps(1);
    assert!(
        h.state().session.as_ref().expect("session").unsaved_since.is_some(),
        "the window's change is not saved yet"
    );
    // The command line on the same computer: the window's key.
    let cli = |score: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess"))
            .env("CSU_ASSESS_KEY_DIR", dir.path().join("keys"))
            .args(["assess", "set", &path.display().to_string(), "--as", "Test Assessor", score])
            .output()
            .expect("runs")
    };
    let out = cli("CF2=1:typed at the command line");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    h.state_mut().save_now();
    h.run_steps(1);
    let saved = csu_assess::store::load(&path).expect("loads");
    let levels: Vec<(String, u8)> = saved.scores.iter().map(|s| (s.criterion.clone(), s.score)).collect();
    assert!(levels.contains(&("CF1".into(), 3)) && levels.contains(&("CF2".into(), 1)), "{levels:?}");
    assert!(messages(&h).contains("1 change(s) saved to this assessment by another program were joined in"));

    // A change made while the window has nothing unsaved is read in too.
    let out = cli("CF3=2:later");
    assert!(out.status.success());
    std::thread::sleep(csu_assess::ui::state::DISK_CHECK_EVERY + Duration::from_millis(100));
    h.run_steps(2);
    assert!(record_of(&h).scores.iter().any(|s| s.criterion == "CF3"), "{}", messages(&h));
}

/// The strong example scored 3, saved, scored 2, saved, and closed: a
/// record with a backup that checks. Gives the record's path.
fn scored_twice_and_closed(h: &mut Harness<'_, AppState>) -> std::path::PathBuf {
    open_strong_example(h);
    click_view(h, "Scoring");
    for key in [egui::Key::Num3, egui::Key::Num2] {
        h.key_press(key);
        h.run_steps(1);
        h.state_mut().save_now();
    }
    let path = h.state().session.as_ref().expect("session").path.clone();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
    h.run_steps(2);
    path
}

#[test]
fn a_damaged_assessment_is_refused_and_its_newest_good_backup_offered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    let path = scored_twice_and_closed(&mut h);
    let text = std::fs::read_to_string(&path).expect("read").replacen("\"score\": 2", "\"score\": 4", 1);
    std::fs::write(&path, text).expect("tampered");
    h.state_mut().open(&path);
    settle(&mut h);
    assert!(h.state().session.is_none(), "the tampered file is not opened");
    assert!(messages(&h).contains("was altered"), "{}", messages(&h));
    h.get_by_label("Restore that backup").click();
    h.run_steps(1);
    settle(&mut h);
    let s = h.state().session.as_ref().expect("the backup is open");
    assert_eq!(s.record().scores[0].score, 3, "the newest backup that checks");
    assert!(
        std::fs::read_dir(dir.path().join("examples")).expect("dir").any(|e| e
            .expect("e")
            .file_name()
            .to_string_lossy()
            .contains(".damaged-"))
    );
}

/// A record whose entries hold together but break a panel rule (here a
/// score written by hand, correctly signed, after its author finished) is
/// refused naming the entry, and no backup is offered round it.
#[test]
fn a_record_refused_by_a_panel_rule_offers_no_backup_round_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    let path = scored_twice_and_closed(&mut h);
    let a = csu_assess::store::load(&path).expect("loads");
    let me = h.state().identity.clone().expect("this computer's key");
    let who = a.audit[0].who.clone();
    // A second start, signed by the member: it holds together, and breaks the rules.
    let mut trail = a.audit.clone();
    let chain = csu_assess::assessment::Chain::after(&trail, &me.public(), None);
    let tips = csu_assess::assessment::audit::tips(&trail);
    let change = csu_assess::assessment::Change::Member {
        name: "Mallory".into(),
        role: "Member".into(),
        old_role: None,
        key: None,
    };
    trail.push(csu_assess::assessment::Entry::new("2099-01-01T00:00:00Z", &who, change, tips, Vec::new(), chain, &me));
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    v["trail"] = serde_json::to_value(&trail).expect("json");
    std::fs::write(&path, serde_json::to_vec_pretty(&v).expect("json")).expect("written");
    h.state_mut().open(&path);
    settle(&mut h);
    assert!(h.state().session.is_none(), "the record is not opened");
    assert!(messages(&h).contains("Mallory joins the panel with their public key"), "{}", messages(&h));
    assert!(h.state().backup_offer.is_none(), "no backup is offered round a refused entry");
    assert!(h.query_by_label("Restore that backup").is_none());
}

/// The chair adds a member by choosing them from the BDU's roster: the
/// name is filled in and the member joins with the key the roster gives
/// them; nobody already on the panel, retired or revoked is offered.
#[test]
fn the_chair_chooses_a_member_from_the_bdus_roster() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), Prefs { assessor: "Ann".into(), ..Prefs::default() });
    let mine = h.state().identity.as_ref().expect("a key").public();
    let roster = roster_of(&[("Ann", mine), ("Raj Patel", key("Raj").public()), ("Priya Shah", key("Priya").public())])
        .edited(&crate::util::office(), "2012-09-01T08:00:00Z", |body| {
            body.revoked.push(csu_assess::roster::Revocation {
                key: key("Priya").public(),
                reason: "laptop stolen".into(),
                trusted: Vec::new(),
            });
            Ok(())
        })
        .expect("signed");
    h.state_mut().set_trust(trust_in(roster));
    open_strong_example(&mut h);
    click_view(&mut h, "Panel");
    h.get_by_label("From the BDU's roster").click();
    h.run_steps(2);
    assert!(h.query_by_label("Priya Shah").is_none(), "a revoked key is not offered");
    h.get_by_label("Raj Patel").click();
    h.run_steps(2);
    assert_eq!(h.get_by_label("Member's name").value().as_deref(), Some("Raj Patel"));
    h.get_by_label("Add member or change role").click();
    h.run_steps(2);
    let record = h.state().session.as_ref().expect("session").record().clone();
    assert_eq!(record.key_of("Raj Patel"), Some(key("Raj").public().as_str()), "the roster's key");
}

#[test]
fn a_reviewers_copy_is_merged_in_the_window_with_conflicts_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), Prefs { assessor: "Ann".into(), ..Prefs::default() });
    open_strong_example(&mut h);
    h.get_by_label("Scoring").click();
    h.run_steps(2);
    h.key_press(egui::Key::Num2);
    h.run_steps(2);
    h.state_mut().save_now();
    let (path, plan) = {
        let s = h.state().session.as_ref().expect("session");
        (s.path.clone(), s.plan.clone())
    };
    // The reviewer's copy: Raj joins, Ann's CF1 changed on the train, and Raj's own score.
    let mut copy = csu_assess::store::load(&path).expect("loads");
    let ann = h.state().identity.as_ref().expect("this computer's key");
    copy.apply(&plan, "Ann", ann, join("Raj", "Reviewer"), "2099-01-01T09:00:00Z").expect("joined");
    let on_train = Edit::Score { criterion: "CF1".into(), score: Some(4), evidence: "on the train".into() };
    copy.apply(&plan, "Ann", ann, on_train, "2099-01-01T10:00:00Z").expect("scored");
    let raj = Edit::Score { criterion: "CF2".into(), score: Some(3), evidence: "reviewer".into() };
    copy.apply(&plan, "Raj", &key("Raj"), raj, "2099-01-01T10:05:00Z").expect("scored");
    let copy_path = dir.path().join("reviewer.csuassess");
    csu_assess::store::save(&copy_path, &copy).expect("saved");
    h.key_press(egui::Key::Num3);
    h.run_steps(2);

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::M);
    settle(&mut h);
    h.get_by_label("Path").focus();
    h.run_steps(1);
    h.get_by_label("Path").type_text(&copy_path.display().to_string());
    h.run_steps(1);
    h.get_by_label("OK").click();
    h.run_steps(2);
    let a = record_of(&h);
    assert!(a.scores.iter().any(|s| s.assessor == "Raj" && s.criterion == "CF2"), "{}", messages(&h));
    assert_eq!(a.conflicts.len(), 1, "Ann's CF1 was changed in both");
    h.run_steps(1);
    assert!(h.query_by_label_contains("1 conflict(s) to resolve").is_some(), "{}", all_text(&h));
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_plan_dropped_on_the_window_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("dropped.xlsx");
    std::fs::write(&plan, csu_assess::examples::find("midlands-shared-outline").expect("e").workbook().expect("w"))
        .expect("written");
    let mut h = harness(dir.path(), prefs());
    h.run_steps(1);
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(plan.clone())));
    settle(&mut h);
    let s = h.state().session.as_ref().expect("the dropped plan is open");
    assert_eq!(s.plan.cover.csu_name, "Midlands Shared Services CSU");
    assert_eq!(s.framework.id, "cp2-outline-plan", "chosen from the plan's type and checkpoint");
    assert_eq!(s.path, dir.path().join("dropped.csuassess"), "the assessment is saved beside the plan");
}

#[test]
fn a_criteria_file_of_the_bdus_own_can_be_opened_and_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cp3 = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3").text;
    let own = dir.path().join("regional.toml");
    std::fs::write(&own, cp3.replace("Checkpoint 3: full business plan\"", "Regional review of full plans\""))
        .expect("w");
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, cp3.replacen("weight = 20", "weight = 21", 1)).expect("w");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.get_by_label("Scoring").click();
    h.run_steps(2);
    for (file, expect_ok) in [(&broken, false), (&own, true)] {
        h.get_by_label("Framework").click();
        h.run_steps(2);
        h.get_by_label("Open a criteria file…").click();
        settle(&mut h);
        h.get_by_label("Path").focus();
        h.run_steps(1);
        h.get_by_label("Path").type_text(&file.display().to_string());
        h.run_steps(1);
        h.get_by_label("OK").click();
        h.run_steps(2);
        let s = h.state().session.as_ref().expect("session");
        if expect_ok {
            assert_eq!(s.framework.title, "Regional review of full plans");
            assert_eq!(s.record().framework.source, "regional.toml");
        } else {
            assert_eq!(s.framework.id, "cp3-full-plan", "the broken file changed nothing");
            h.run_steps(1);
            assert!(h.query_by_label_contains("broken.toml:").is_some(), "its problems are shown");
        }
    }
}

#[test]
fn opening_a_plan_again_resumes_its_assessment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.get_by_label("Scoring").click();
    h.run_steps(2);
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
    h.run_steps(2);
    assert!(h.state().session.is_none(), "closed");
    open_strong_example(&mut h);
    assert_eq!(h.state().session.as_ref().expect("session").record().scores.len(), 1, "the score was kept");
    assert!(h.query_by_label_contains("Resumed the assessment saved in").is_some());
}

#[test]
fn a_damaged_workbook_is_refused_in_plain_words_with_the_details_one_hover_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w");
    let path = dir.path().join("half.xlsx");
    std::fs::write(&path, &whole[..whole.len() / 2]).expect("written");
    let mut h = harness(dir.path(), prefs());
    h.state_mut().open(&path);
    settle(&mut h);
    let said = messages(&h);
    assert!(said.contains("half.xlsx: the workbook is damaged and cannot be read"), "{said}");
    assert!(!said.contains("EOCD") && !said.contains("zip"), "{said}");
    assert!(h.query_by_label("Details").is_some(), "the library's words are one hover away");
}

#[test]
fn no_outcome_is_shown_before_the_scores_decide_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    h.key_press(egui::Key::Num4);
    h.run_steps(2);
    for page in ["Summary", "Scoring", "Letter"] {
        click_view(&mut h, page);
        let text = all_text(&h);
        let at = text.find("Authorised").map(|i| text[i.saturating_sub(200)..(i + 100).min(text.len())].to_string());
        assert!(at.is_none(), "{page} shows an outcome from 1 of 21 criteria: {at:?}");
        assert!(text.contains("not yet decided: 1 of 21 criteria scored"), "{page}: the status bar shows progress");
    }
}

#[test]
fn f1_lists_every_command_of_the_command_table_with_its_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.run_steps(1);
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    let text = all_text(&h);
    for action in csu_assess::ui::commands::Action::ALL {
        assert!(text.contains(action.label()), "the shortcut list lacks {:?}", action.label());
    }
    assert!(text.contains("Ctrl+5") || text.contains("⌘5"), "the Panel page's key is listed");
}

#[test]
fn scoring_keeps_rows_still_and_moves_by_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    let row = |h: &Harness<'_, AppState>| criterion_row(h, "CF2").rect();
    let (before, next_before) = (criterion_row(&h, "CF1").rect(), row(&h));
    assert!(
        h.query_by_label("CF1 CCGs' commitment to the offer: not scored").is_some(),
        "rows named in words, not marks"
    );
    assert!(h.query_by_label_contains("○").is_none());
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    let (after, next_after) = (h.get_by_label_contains(": scored, 3, no evidence yet").rect(), row(&h));
    assert_eq!(before.height(), after.height(), "scoring a criterion does not change its row's height");
    assert_eq!(next_before.top(), next_after.top(), "the next row does not move");
    assert!(after.height() > 0.0, "the score, and the mark of a score without evidence, show in the row");

    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().selected_criterion, 1, "Alt+Down moves to the next criterion");
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::E);
    h.run_steps(2);
    h.get_by_label("Evidence").type_text("typed after Alt+E");
    h.run_steps(1);
    let cf2 = csu_assess::ui::drafts::Field::Evidence { criterion: "CF2".into() };
    assert_eq!(
        h.state().drafts.pending_text(&cf2),
        Some("typed after Alt+E"),
        "Alt+E puts the cursor in the evidence box"
    );
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(h.state().selected_criterion, 0, "Alt+Up goes back, even while typing");
    assert_eq!(
        h.state().drafts.pending_text(&cf2),
        Some("typed after Alt+E"),
        "CF2 has no score: its evidence stays a draft"
    );
}

#[test]
fn the_typed_path_prompt_has_the_keyboard_and_suggests_a_visible_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.state_mut().ask_for_path(csu_assess::ui::state::DialogPurpose::ExportLetter);
    h.run_steps(2);
    let suggested = h.state().prompt.as_ref().expect("a prompt").text.clone();
    assert!(suggested.ends_with(".pdf"), "{suggested}");
    assert!(
        !suggested.starts_with(&dir.path().display().to_string()),
        "not the program's hidden data folder: {suggested}"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Path").type_text("/tmp/typed.pdf");
    h.run_steps(1);
    assert_eq!(h.state().prompt.as_ref().expect("a prompt").text, "/tmp/typed.pdf", "the field had the keyboard");
}

#[test]
fn key_figures_are_in_words_and_lead_to_their_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.get_by_label("Capital Commissioning Support: full plan (checkpoint 3)").click();
    settle(&mut h);
    let text = all_text(&h);
    assert!(text.contains("The total annual value of the SLAs"), "figures are named in words");
    assert!(!text.contains("sla value total"), "no internal names");
    assert!(text.contains("▲ "), "a figure that raises a concern is marked");
    let rows_notation = h.query_all_by(|n| n.label().is_some_and(|l| l.contains('!') && l.contains(':'))).next();
    assert!(rows_notation.is_none(), "rows in words, not 'Customers!4:15'");
    h.get_all_by_label_contains("Customers, rows ").next().expect("a link to the Customers rows").click();
    h.run_steps(2);
    assert_eq!(
        h.state().plan_tab,
        csu_assess::ui::state::PlanTab::Sheet(csu_assess::plan::TemplateSheet::Customers),
        "the figure leads to its sheet"
    );
    assert!(h.state().highlight_row.is_some(), "and to the first row it reads");
    click_view(&mut h, "Summary");
    assert!(
        h.query_by_label("Weight").is_some() && h.query_by_label("Scored").is_some(),
        "the domain table has headers"
    );
}

#[test]
fn every_command_of_the_command_table_is_in_a_menu() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    let mut seen = String::new();
    for menu in ["File", "Edit", "View", "Help"] {
        h.get_by_role_and_label(egui::accesskit::Role::Button, menu).click();
        h.run_steps(2);
        seen += &all_text(&h);
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
    }
    for action in csu_assess::ui::commands::Action::ALL {
        assert!(seen.contains(action.label()), "{:?} is in no menu", action.label());
    }
}

#[test]
fn sorting_a_table_shows_it_from_the_top_and_no_cell_is_hidden_for_good() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.get_by_label("Capital Commissioning Support: full plan (checkpoint 3)").click();
    settle(&mut h);
    h.get_by_label("Customers!D6").click();
    h.run_steps(2);
    assert_eq!(h.state().highlight_row, Some(5));
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Population").click();
    h.run_steps(3);
    assert!(h.state().sort.is_some());
    assert_eq!(h.state().highlight_row, None, "a new order is read from the top, not at the old row");
    assert!(!h.state().scroll_to_top, "the table was told to show its first row");
}

/// Every control on screen, with its accessible name: one without a name is
/// read out as just "button", and a test could not find it by label either.
fn controls(h: &Harness<'_, AppState>, page: &str) -> Vec<(String, Option<String>)> {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT;
    const CONTROLS: [Role; 12] = [
        Role::Button,
        Role::CheckBox,
        Role::RadioButton,
        Role::TextInput,
        Role::MultilineTextInput,
        Role::ComboBox,
        Role::Slider,
        Role::SpinButton,
        Role::Link,
        Role::Tab,
        Role::MenuItem,
        Role::Switch,
    ];
    h.root()
        .children_recursive()
        .filter_map(|n| {
            let node = n.accesskit_node();
            if !CONTROLS.contains(&node.role()) || node.is_hidden() {
                return None;
            }
            let label = node.label().filter(|l| !l.trim().is_empty());
            Some(match label {
                Some(label) => (page.to_string(), Some(label)),
                None => (format!("{page}: a {:?} with value {:?}", node.role(), node.value()), None),
            })
        })
        .collect()
}

#[test]
fn every_control_on_every_page_has_an_accessible_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.run_steps(2);
    let mut seen = controls(&h, "start");
    open_strong_example(&mut h);
    for tab in csu_assess::ui::state::PlanTab::all() {
        h.state_mut().plan_tab = tab;
        h.run_steps(2);
        seen.extend(controls(&h, tab.label()));
    }
    let all = every_criterion(&h, 3, "Seen in the plan");
    edits(&mut h, all);
    for page in ["Scoring", "Summary", "Letter", "Panel"] {
        click_view(&mut h, page);
        h.run_steps(2);
        seen.extend(controls(&h, page));
    }
    let round = dir.path().join("round");
    std::fs::create_dir(&round).expect("folder");
    for e in csu_assess::examples::EXAMPLES {
        std::fs::write(round.join(e.file_name()), e.workbook().expect("written")).expect("saved");
    }
    std::fs::write(round.join("minutes.xlsx"), b"minutes, not a plan").expect("written");
    h.state_mut().open_folder(&round);
    settle(&mut h);
    for tab in ["CSUs", "Charts", "Assessors", "Declared interests (0)"] {
        click_view(&mut h, tab);
        seen.extend(controls(&h, &format!("Portfolio: {tab}")));
    }
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    seen.extend(controls(&h, "help"));
    for menu in ["File", "Edit", "View", "Help"] {
        h.key_press(egui::Key::Escape);
        h.run_steps(1);
        h.get_by_role_and_label(egui::accesskit::Role::Button, menu).click();
        h.run_steps(2);
        seen.extend(controls(&h, menu));
    }
    let missing: Vec<&str> = seen.iter().filter(|(_, label)| label.is_none()).map(|(what, _)| what.as_str()).collect();
    assert!(missing.is_empty(), "{} unnamed controls:\n{}", missing.len(), missing.join("\n"));
    for page in [
        "start",
        "Customers",
        "Scoring",
        "Summary",
        "Letter",
        "Panel",
        "Portfolio: CSUs",
        "Portfolio: Charts",
        "help",
        "File",
    ] {
        assert!(seen.iter().any(|(p, _)| p == page), "no controls seen on {page}: the check would pass on nothing");
    }
    assert!(seen.len() > 150, "{} controls seen", seen.len());
}

#[test]
fn a_message_never_moves_the_page_under_the_pointer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.run_steps(2);
    let before = h.get_by_label_contains("Customers (").rect();
    for i in 0..3 {
        h.state_mut().error(format!("problem number {i} happened"));
    }
    h.run_steps(3);
    assert!(h.query_by_label("Problem number 2 happened").is_some(), "the messages are shown");
    assert_eq!(h.get_by_label_contains("Customers (").rect(), before, "three messages moved the page");
    h.get_by_label("Dismiss all").click();
    h.run_steps(2);
    assert!(h.query_by_label("Problem number 2 happened").is_none());
}

#[test]
fn at_1366_wide_the_plans_sheet_keeps_room_for_its_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.state_mut().plan_tab = csu_assess::ui::state::PlanTab::Sheet(csu_assess::plan::TemplateSheet::Customers);
    h.run_steps(3);
    for header in ["CCG", "Population", "Budget/head", "Share", "Agreement"] {
        let rect = h.get_by_role_and_label(egui::accesskit::Role::Button, header).rect();
        assert!(rect.right() <= 1366.0, "{header} is cut off at {rect:?}");
    }
    let sheet_starts = h.get_by_role_and_label(egui::accesskit::Role::Button, "CCG").rect().left();
    assert!(sheet_starts <= 700.0, "the overview takes at most half the window; the sheet starts at {sheet_starts}");
}

#[test]
fn the_about_box_shows_the_version_what_is_built_in_and_the_font_licences() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Help").click();
    h.run_steps(2);
    h.get_by_label_contains("About CSU Assess").click();
    h.run_steps(3);
    assert!(h.query_by_label(&format!("CSU Assess {}", env!("CARGO_PKG_VERSION"))).is_some(), "the version");
    for framework in csu_assess::criteria::BUILTIN {
        assert!(h.query_by_label(framework.file_name).is_some(), "{} is listed", framework.file_name);
    }
    assert!(h.query_by_label("version 2012.3.3").is_some(), "a framework's version");
    assert!(h.query_by_label("letters.toml").is_some(), "the letter wording");
    assert!(h.query_by_label("Liberation Sans (regular, bold)").is_some(), "the letters' font");
    h.get_by_label("SIL Open Font License 1.1").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("PREAMBLE").is_some(), "the font's licence in full");
    h.get_by_label("SIL Open Font License 1.1").click();
    h.run();
    h.get_by_label_contains("Rust crates built in (").scroll_to_me();
    h.run();
    h.get_by_label_contains("Rust crates built in (").click();
    h.run();
    let (licence, count) = csu_assess::about::about().licence_counts()[0];
    assert!(h.query_by_label(&format!("{count} under {licence}")).is_some(), "the crates' licences");
}

/// The Summary page and `score --json` evaluate through one function: on
/// the same record, the same BDU keys and the same day they agree on the
/// outcome, whether it is decided or provisional, the overall score and
/// every item still missing, and the page shows each missing item.
#[test]
fn the_summary_page_and_score_json_agree_on_every_kind_of_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut h = harness(d, prefs());
    open_strong_example(&mut h);
    let mine = h.state().identity.as_ref().expect("a key").public();
    let roster = roster_of(&[("Test Assessor", mine)]);
    let nobody = roster_of(&[]);
    std::fs::write(d.join("roster.json"), serde_json::to_vec(&roster).expect("json")).expect("written");
    std::fs::write(d.join("nobody.json"), serde_json::to_vec(&nobody).expect("json")).expect("written");
    let known = trust_in(roster);
    let unknown = trust_in(nobody);
    let all = every_criterion(&h, 3, "seen in the plan");
    let overdue = Edit::AddAction {
        action: "Sign SLAs with every CCG".into(),
        owner: "Managing director".into(),
        due: chrono::NaiveDate::from_ymd_opt(2012, 3, 31).expect("a date"),
        criterion: None,
    };
    let cases: [(&str, Vec<Edit>, &csu_assess::roster::Trust, &str); 4] = [
        ("incomplete", all[..5].to_vec(), &known, "roster.json"),
        ("complete", [&all[5..], &every_ccg(&h)].concat(), &known, "roster.json"),
        ("overdue action", vec![overdue], &known, "roster.json"),
        ("unknown key", vec![], &unknown, "nobody.json"),
    ];
    for (case, more, keys, file) in cases {
        edits(&mut h, more);
        h.state_mut().set_trust(keys.clone());
        h.state_mut().save_now();
        click_view(&mut h, "Summary");
        let shown = h.state().session.as_ref().expect("session").evaluation.clone();
        let path = h.state().session.as_ref().expect("session").path.clone();
        let out = std::process::Command::new(bdu_program())
            .env("CSU_ASSESS_KEY_DIR", d.join("keys"))
            .args(["score", path.to_str().expect("utf8"), "--json", "--roster", d.join(file).to_str().expect("utf8")])
            .output()
            .expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{case}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(json["outcome"]["id"], shown.outcome.id, "{case}");
        assert_eq!(json["outcome"]["provisional"], shown.outcome.provisional, "{case}");
        assert_eq!(json["outcome"]["decided"], shown.decided, "{case}");
        assert_eq!(json["overall"].as_f64(), shown.overall, "{case}");
        assert_eq!(json["missing"], serde_json::json!(shown.missing), "{case}");
        let text = all_text(&h);
        for m in &shown.missing {
            // The tree's text is in Debug form, quotes escaped.
            assert!(text.contains(&m.replace('"', "\\\"")), "{case}: the Summary shows {m:?}");
        }
        match case {
            "incomplete" => assert!(!shown.decided),
            "complete" => assert!(shown.decided && shown.missing.is_empty(), "{case}: {:?}", shown.missing),
            "overdue action" => assert!(shown.missing.iter().any(|m| m.contains("is due on 31 March 2012")), "{case}"),
            _ => assert!(
                shown.outcome.provisional
                    && shown.missing.iter().any(|m| m.contains("which the BDU's roster does not list"))
            ),
        }
    }
}

/// The score buttons and the evidence box stay in place from criterion to
/// criterion, whatever the length of the title, descriptors or guidance.
#[test]
fn the_score_buttons_and_the_evidence_box_stay_in_place_between_criteria() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    let place = |h: &Harness<'_, AppState>| {
        let radios: Vec<egui::Rect> = h.get_all_by_role(egui::accesskit::Role::RadioButton).map(|r| r.rect()).collect();
        (
            radios.iter().map(|r| r.top().round() as i32).collect::<Vec<_>>(),
            h.get_by_label("Evidence").rect().top().round() as i32,
        )
    };
    let first = place(&h);
    assert_eq!(first.0.len(), 5);
    for _ in 0..20 {
        h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown);
        h.run_steps(2);
        assert_eq!(place(&h), first, "criterion {} moved them", h.state().selected_criterion);
    }
}

/// Undo says what it undid, after a restart too; news expires, errors
/// stay; Esc closes Help and About.
#[test]
fn undo_names_what_it_undid_news_expires_and_esc_closes_windows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown);
    h.run_steps(2);
    h.key_press(egui::Key::Num2);
    h.run_steps(2);
    click_view(&mut h, "Summary");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert!(
        messages(&h).contains("Undone, by recording: score CF2 by Test Assessor withdrawn (was 2)"),
        "{}",
        messages(&h)
    );

    // Closed and opened again, undo still takes back this computer's changes.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
    h.run_steps(2);
    open_strong_example(&mut h);
    assert!(h.state().session.as_ref().is_some_and(|s| s.can_undo()), "undo is there after reopening");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert!(messages(&h).contains("score CF1 by Test Assessor withdrawn (was 3)"), "{}", messages(&h));
    assert!(record_of(&h).scores.is_empty());

    // News goes after a while; an error stays until dismissed.
    h.state_mut().error("a test error");
    for m in &mut h.state_mut().messages {
        m.shown_at -= csu_assess::ui::state::NEWS_SHOWN_FOR;
    }
    h.run_steps(2);
    assert_eq!(messages(&h), "A test error", "only the error is left");

    for open in ["Keyboard shortcuts", "About CSU Assess"] {
        if open == "Keyboard shortcuts" {
            h.key_press(egui::Key::F1);
        } else {
            h.state_mut().about = Some(csu_assess::about::about());
        }
        h.run_steps(2);
        assert!(h.state().show_shortcuts || h.state().about.is_some(), "{open} is open");
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
        assert!(!h.state().show_shortcuts && h.state().about.is_none(), "Esc closes {open}");
    }
}

/// No name is made up for the person at the laptop: a new assessment
/// waits for theirs, and that is the name recorded and signed.
#[test]
fn a_new_assessment_asks_for_the_assessors_name_and_records_that_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), Prefs::default());
    assert_eq!(h.state().prefs.assessor, "", "nothing pre-filled");
    h.get_by_label("Northern Star CSU: full plan (checkpoint 3)").click();
    settle(&mut h);
    assert!(h.state().session.is_none(), "no assessment before a name");
    assert!(disabled(&h, "Start the assessment"), "not with an empty name");
    h.get_by_label("Your name as the BDU knows you").type_text("Margaret Ellis");
    h.run_steps(2);
    h.get_by_label("Start the assessment").click();
    h.run_steps(2);
    let record = record_of(&h);
    assert_eq!(record.assessors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Margaret Ellis"]);
    assert!(h.query_by_label_contains("Acting as Margaret Ellis").is_some());
}

/// Help > My key shows this computer's key, copies it and exports the
/// entry the BDU adds to its known keys, which the library reads back.
#[test]
fn my_key_is_shown_copied_and_exported_for_the_bdu() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.state_mut().show_my_key = true;
    h.run_steps(2);
    let key = h.state().identity.as_ref().expect("a key").public();
    assert_eq!(
        egui_kittest::kittest::NodeT::accesskit_node(&h.get_by_label("Public key")).value().as_deref(),
        Some(key.as_str())
    );
    assert!(h.query_by_label_contains("No BDU roster is installed with the program on this computer").is_some());
    h.get_by_label("Copy the key").click();
    h.run_steps(2);
    assert!(messages(&h).contains("Copied"));
    h.get_by_label("Export for the BDU…").click();
    h.run_steps(2);
    let out = dir.path().join("test-assessor.toml");
    h.get_by_label("Path").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Path").type_text(out.to_str().expect("utf8"));
    h.run_steps(1);
    h.get_by_label("OK").click();
    h.run_steps(2);
    let known = csu_assess::keys::KnownKeys::load(&out).expect("a valid known-keys entry");
    assert!(known.assessor.iter().any(|k| k.key == key && k.name == "Test Assessor"));
    // A chair's letter-signing key: shown, in the export, and said to be
    // certified once the office's roster certifies it.
    let me = h.state().identity.clone().expect("a key");
    assert_eq!(
        egui_kittest::kittest::NodeT::accesskit_node(&h.get_by_label("Letter-signing key (for chairs)"))
            .value()
            .as_deref(),
        Some(me.letter_key().as_str())
    );
    assert!(known.assessor.iter().any(|k| k.letter_key.as_deref() == Some(me.letter_key().as_str())));
    h.get_by_label("Copy the letter-signing key").click();
    h.run_steps(2);
    assert!(messages(&h).contains("Copied this computer's letter-signing key"));
    assert!(h.query_by_label_contains("Letters cannot be signed here yet").is_some());
    let roster = certified(roster_of(&[("Test Assessor", me.public())]), &office(), &[&me]);
    h.state_mut().set_trust(trust_in(roster));
    h.run_steps(2);
    assert!(h.query_by_label_contains("letters you issue show as signed by Test Assessor in any PDF reader").is_some());
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!h.state().show_my_key, "Esc closes it");
}

/// At 1366 wide a sheet wider than the window scrolls sideways: its last
/// columns (SLA value and break clause, mitigation and owner, where the
/// evidence for CF1, FV2 and RM3 is) can be brought into view, not cut off.
#[test]
fn at_1366_wide_every_column_of_every_sheet_can_be_scrolled_into_view() {
    use csu_assess::plan::TemplateSheet;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    for sheet in [
        TemplateSheet::Customers,
        TemplateSheet::Services,
        TemplateSheet::Workforce,
        TemplateSheet::Leadership,
        TemplateSheet::Risks,
    ] {
        h.state_mut().plan_tab = csu_assess::ui::state::PlanTab::Sheet(sheet);
        h.run_steps(3);
        for column in sheet.columns() {
            let header =
                |h: &Harness<'_, AppState>| h.get_by_role_and_label(egui::accesskit::Role::Button, column.short).rect();
            h.get_by_role_and_label(egui::accesskit::Role::Button, column.short).scroll_to_me();
            h.run_steps(3);
            let rect = header(&h);
            assert!(
                rect.left() >= 0.0 && rect.right() <= 1366.0,
                "{}: {} stays out of view at {rect:?}",
                sheet.name(),
                column.short
            );
        }
    }
}

/// Every text and control colour the window draws, egui's theme and the
/// program's own, meets WCAG 2.1 AA in both themes: 4.5:1 for text
/// (greyed-out and hint text too), 3:1 for the outlines of controls. The
/// colours are read from the themes the window has installed.
#[test]
fn every_colour_meets_wcag_aa_contrast_in_both_themes() {
    use csu_assess::ui::theme::{contrast, contrast_pairs};
    let dir = tempfile::tempdir().expect("tempdir");
    let h = harness(dir.path(), prefs());
    let mut failures = Vec::new();
    for theme in [egui::Theme::Light, egui::Theme::Dark] {
        let visuals = h.ctx.style_of(theme).visuals.clone();
        let pairs = contrast_pairs(&visuals);
        assert!(pairs.len() > 40, "every pair is listed");
        for p in pairs {
            let ratio = contrast(p.fg, p.bg);
            if ratio < p.needed {
                failures.push(format!("{theme:?}: {} is {ratio:.2}:1, needs {}:1", p.what, p.needed));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // egui's own themes fail, so the check can fail: the window's are not egui's.
    let plain = contrast_pairs(&egui::Visuals::light());
    assert!(plain.iter().any(|p| contrast(p.fg, p.bg) < p.needed), "the check would catch egui's defaults");
    // No page draws a colour of its own outside the theme.
    for file in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui")).expect("src/ui") {
        let path = file.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        if path.file_name().is_some_and(|n| n != "theme.rs" && n != "portfolio_view.rs") {
            assert!(!text.contains("Color32::from_rgb("), "{} picks a colour outside ui/theme.rs", path.display());
        }
    }
}

/// What a screen reader is given: the window named for the CSU and page,
/// a live region that says each page, criterion and recorded change, the
/// keyboard on the page's tab after a page change (not on the unnamed
/// window), and messages read out as they appear.
#[test]
fn a_screen_reader_hears_the_window_the_page_the_criterion_and_each_change() {
    use egui_kittest::kittest::NodeT;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    h.run_steps(3);
    let name = h.root().accesskit_node().label().unwrap_or_default();
    assert!(name.starts_with("CSU Assess: Northern Star CSU, Scoring page: criterion CF1"), "{name}");
    let said = |h: &Harness<'_, AppState>| h.state().announcement.clone();
    assert!(said(&h).starts_with("Scoring page: criterion CF1"), "{}", said(&h));
    let now = said(&h);
    assert!(
        h.get_all_by_value(&now).any(|n| n.accesskit_node().live() == egui::accesskit::Live::Polite),
        "a live region"
    );
    assert!(
        h.get_by_role_and_label(egui::accesskit::Role::Button, "Scoring").accesskit_node().is_focused(),
        "the page's tab has the keyboard"
    );
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    assert!(said(&h).starts_with("Recorded: score CF1 by Test Assessor: unscored to 3"), "{}", said(&h));
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown);
    h.run_steps(2);
    assert!(said(&h).starts_with("Scoring page: criterion CF2"), "{}", said(&h));
    h.state_mut().error("a test error");
    h.run_steps(2);
    assert!(h.get_all_by_value("A test error").any(|n| n.accesskit_node().live() == egui::accesskit::Live::Assertive));
    assert!(
        h.query_by_role_and_label(egui::accesskit::Role::Heading, "CF2 Affordability of the offer to CCGs").is_some(),
        "headings are headings"
    );
    assert!(h.query_by_label("Next criterion").is_some() && h.query_by_label("Next ►").is_none(), "named in words");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    h.run_steps(3);
    let mut unnamed = h.query_all_by(|n| n.role() == egui::accesskit::Role::Unknown && n.label().is_none());
    assert!(
        unnamed.next().is_none(),
        "nothing on the Summary is an unnamed control (its chart was, taking the keyboard)"
    );
}

/// The letter preview (and the Summary) scroll by keyboard: PageDown,
/// PageUp and the arrows, whenever no text box has the keyboard.
#[test]
fn the_letter_preview_scrolls_by_keyboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    let all = every_criterion(&h, 3, "seen");
    edits(&mut h, all);
    edits(&mut h, vec![Edit::FinishScoring]);
    click_view(&mut h, "Letter");
    let top = |h: &Harness<'_, AppState>| h.get_all_by_value("Development plan").next().expect("shown").rect().top();
    let before = top(&h);
    h.key_press(egui::Key::PageDown);
    h.run_steps(3);
    let after = top(&h);
    assert!(after < before - 100.0, "PageDown scrolled the letter: {before} -> {after}");
    h.key_press(egui::Key::Home);
    h.run_steps(3);
    assert!((top(&h) - before).abs() < 1.0, "Home goes back to the top");
}

/// Zoomed to 140% at 1366 x 768 the status bar wraps rather than running
/// off the window: the outcome stays in view.
#[test]
fn at_140_percent_zoom_the_status_bar_stays_in_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.ctx.set_zoom_factor(1.4);
    h.run_steps(3);
    let width = 1366.0 / 1.4;
    let outcome = h
        .get_all_by(|n| n.value().is_some_and(|v| v.starts_with("Checkpoint 3: full business plan:")))
        .next()
        .expect("the outcome is shown")
        .rect();
    assert!(
        outcome.right() <= width + 1.0 && outcome.bottom() <= 768.0 / 1.4 + 1.0,
        "the outcome is cut off at {outcome:?}"
    );
}

/// The keyboard never scores a criterion the assessor is not on: a row of
/// the list reached by Tab becomes the selected criterion, so the number
/// pressed next scores it; Esc in the evidence box hands the keyboard to
/// the criterion's row; what is said aloud reads as words.
#[test]
fn the_number_keys_score_the_criterion_the_keyboard_is_on() {
    use egui_kittest::kittest::NodeT;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    h.key_press(egui::Key::Num4);
    h.run_steps(2);
    criterion_row(&h, "SO3").focus();
    h.run_steps(2);
    h.key_press(egui::Key::Num2);
    h.run_steps(2);
    let scores: Vec<(String, u8)> = record_of(&h).scores.iter().map(|s| (s.criterion.clone(), s.score)).collect();
    assert_eq!(scores, [("CF1".to_string(), 4), ("SO3".to_string(), 2)], "CF1 kept its 4; the 2 went to SO3");
    assert!(
        h.state().announcement.starts_with("Recorded: score SO3 by Test Assessor: unscored to 2"),
        "{}",
        h.state().announcement
    );
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::E);
    h.run_steps(2);
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(criterion_row(&h, "SO3").accesskit_node().is_focused(), "Esc hands the keyboard to the criterion's row");
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowDown);
    h.run_steps(3);
    assert!(criterion_row(&h, "SO4").accesskit_node().is_focused(), "the keyboard follows the selection to SO4");
    h.key_press(egui::Key::Num1);
    h.run_steps(2);
    assert!(record_of(&h).scores.iter().any(|s| s.criterion == "SO4" && s.score == 1), "the focused row is scored");
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(
        h.get_by_role_and_label(egui::accesskit::Role::Button, "Scoring").accesskit_node().is_focused(),
        "Esc on a window returns the keyboard to the page"
    );
}

/// A damaged or empty record beside a plan no longer blocks the plan: the
/// plan opens with a new assessment beside, the damaged file is named in
/// words and kept as it is, and its newest good backup is offered.
#[test]
fn a_damaged_record_beside_a_plan_does_not_block_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Scoring");
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    h.state_mut().save_now();
    h.key_press(egui::Key::Num2);
    h.run_steps(2);
    h.state_mut().save_now();
    let path = h.state().session.as_ref().expect("session").path.clone();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
    h.run_steps(2);
    std::fs::write(&path, b"").expect("emptied");
    open_strong_example(&mut h);
    let s = h.state().session.as_ref().expect("the plan is open");
    assert!(s.path.to_string_lossy().ends_with(".new.csuassess"), "{}", s.path.display());
    assert!(messages(&h).contains("the file is empty"), "{}", messages(&h));
    assert_eq!(std::fs::read(&path).expect("kept"), b"", "the damaged file is left as it is");
    assert!(h.state().backup_offer.is_some(), "its newest good backup is offered");
    let damaged = std::path::absolute(&path).expect("absolute");
    assert!(!h.state().prefs.recent.contains(&damaged), "what cannot be read leaves Recent files");
}

/// The Customers table groups populations in thousands as the key figures
/// do (282000 was printed beside the key figures' 1,000,000).
#[test]
fn the_customers_table_groups_populations_in_thousands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    let population = h.state().session.as_ref().expect("session").plan.customers[0].population.expect("a population");
    assert!(population >= 1000);
    h.state_mut().plan_tab = csu_assess::ui::state::PlanTab::Sheet(csu_assess::plan::TemplateSheet::Customers);
    h.run_steps(3);
    let text = all_text(&h);
    assert!(text.contains(&csu_assess::plan::fmt_count(population as f64)), "grouped: {population}");
}

/// The window prints names in Greek, Cyrillic, Chinese, Japanese and
/// Korean from the fonts the program ships.
#[test]
fn the_window_has_glyphs_for_names_in_every_script_letters_print() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.run_steps(2);
    let body = egui::FontId::proportional(14.0);
    for name in ["Ἀλέξανδρος", "Петрова", "王小明", "やまだ", "김민준", "Siobhán O’Connor"]
    {
        assert!(h.ctx.fonts_mut(|f| f.has_glyphs(&body, name)), "{name}");
    }
}

/// The key figures' marks are explained where they are shown.
#[test]
fn the_key_figures_explain_their_marks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    h.run_steps(2);
    assert!(h.query_by_label_contains("▲ a check in the criteria raises a concern on this figure").is_some());
}

/// A sheet the workbook lacks says so where the assessor looks for it,
/// naming the figures it leaves unknown, rather than an empty table.
#[test]
fn a_missing_sheet_says_so_on_its_tab() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = csu_assess::examples::find("northern-star-full").expect("example").content();
    let layouts: Vec<csu_assess::examples::SheetLayout> =
        csu_assess::examples::lay_out(&content, &csu_assess::examples::Quirks::default())
            .into_iter()
            .filter(|l| l.name != "Risks")
            .collect();
    let path = dir.path().join("no-risks.xlsx");
    std::fs::write(&path, csu_assess::examples::write_workbook(&layouts).expect("written")).expect("saved");
    let mut h = harness(dir.path(), prefs());
    h.state_mut().open(&path);
    settle(&mut h);
    assert!(h.state().session.is_some(), "{:?}", h.state().messages);
    h.state_mut().plan_tab = csu_assess::ui::state::PlanTab::Sheet(csu_assess::plan::TemplateSheet::Risks);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("The workbook has no Risks sheet: the number of risks in the register").is_some(),
        "the tab says so"
    );
}

/// The built-in example's CCGs have fictional interviews, recorded when the
/// assessor asks: the page then lists who said what, the CCGs' figures and
/// the plan's claims they weakened.
#[test]
fn the_examples_ccg_interviews_are_recorded_on_asking_and_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "CCG interviews");
    assert!(all_text(&h).contains("0 of the plan's 6 CCGs interviewed"));
    h.get_by_label("Record the example's interviews (fictional)").click();
    h.run_steps(3);
    let record = record_of(&h);
    assert_eq!(record.ccg_interviews.len(), 6, "{}", messages(&h));
    assert!(record.ccg_interviews.iter().all(|i| i.account.notes.starts_with("Fictional interview")));
    let text = all_text(&h);
    assert!(text.contains("6 of the plan's 6 CCGs interviewed"), "{text}");
    assert!(text.contains("of 6 CCGs, covering"), "the figures are shown: {text}");
    assert!(text.contains("says its SLA is agreed but not signed"), "a weaker SLA is found: {text}");
    assert!(h.query_by_label("Record the example's interviews (fictional)").is_none(), "offered once");
    // The form of an interview on the record shows its answers, to correct them.
    use egui_kittest::kittest::NodeT;
    let first = &record.ccg_interviews[0].account;
    let label = csu_assess::ccg::Choice::label(first.sla);
    let toggled = h.get_by_label(label).accesskit_node().toggled();
    assert_eq!(toggled, Some(egui::accesskit::Toggled::True), "{label} is shown chosen");
    assert!(h.query_by_label("Record the corrected interview").is_some());
}

/// A CCG the plan does not list is added on the page and interviewed like
/// the others, marked as added by the panel.
#[test]
fn a_ccg_the_plan_does_not_list_is_added_and_interviewed_in_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "CCG interviews");
    type_into(&mut h, "A CCG the plan does not list", "Solihull CCG");
    h.get_by_label("Add it to the list").click();
    h.run_steps(2);
    assert!(all_text(&h).contains("Interview with Solihull CCG"), "the new CCG's form is open");
    type_into(&mut h, "Interviewee", "Dr Jo Hale");
    type_into(&mut h, "Their role", "Chief Officer");
    type_into(&mut h, "Held on", "2012-09-13");
    for answer in ["Call", "None", "Under 30%", "Not very confident"] {
        h.get_by_label(answer).click();
        h.run_steps(1);
    }
    for which in 0..2 {
        let dont_know: Vec<_> = h.query_all_by_label("Don't know").collect();
        assert_eq!(dont_know.len(), 2, "affordable and after April 2013 each offer it");
        dont_know[which].click();
        h.run_steps(1);
    }
    h.get_by_label("Record the interview").click();
    h.run_steps(2);
    let record = record_of(&h);
    assert_eq!(record.ccg_interviews.len(), 1, "{}", messages(&h));
    assert_eq!(record.ccg_interviews[0].account.ccg, "Solihull CCG");
    assert!(all_text(&h).contains("Solihull CCG (added by the panel): interviewed 13 Sep 2012"));
}

/// A checkpoint 2 panel on two computers hears every CCG of the plan: Ann
/// in the window, Raj from the command line on his; the window reads Raj's
/// in, and the CCG interviews page, the Scoring page, the evaluation and
/// the letter all show what was said.
#[test]
fn a_checkpoint_2_panel_hears_every_ccg_some_in_the_window_some_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut h = harness(&d.join("ann"), Prefs { assessor: "Ann".into(), ..Prefs::default() });
    h.get_by_label("Midlands Shared Services CSU: outline plan (checkpoint 2)").click();
    settle(&mut h);
    let raj = crate::util::public_key(d, "Raj");
    edits(&mut h, vec![Edit::AddMember { name: "Raj".into(), role: "Member".into(), key: Some(raj) }]);
    interview_in_window(&mut h, 3);
    h.state_mut().save_now();
    assert_eq!(record_of(&h).ccg_interviews.len(), 3, "{}", messages(&h));

    let path = h.state().session.as_ref().expect("session").path.clone();
    let plan = h.state().session.as_ref().expect("session").plan.clone();
    let rest: Vec<_> = plan.customers.iter().skip(3).map(|c| crate::util::confirming(&c.ccg)).collect();
    std::fs::write(d.join("raj.json"), serde_json::to_vec(&rest).expect("json")).expect("w");
    let out = crate::util::run_on(
        d,
        "Raj",
        &["ccg", "record", path.to_str().expect("utf8"), "--from", "raj.json", "--as", "Raj"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::thread::sleep(csu_assess::ui::state::DISK_CHECK_EVERY + Duration::from_millis(100));
    h.run_steps(2);
    let record = record_of(&h);
    assert_eq!(record.ccg_interviews.len(), 5, "Raj's interviews are read in: {}", messages(&h));
    assert!(record.ccg_interviews.iter().any(|i| i.by == "Raj") && record.ccg_interviews.iter().any(|i| i.by == "Ann"));

    click_view(&mut h, "CCG interviews");
    let text = all_text(&h);
    assert!(text.contains("5 of the plan's 5 CCGs interviewed") && text.contains("of 5 CCGs, covering"), "{text}");
    click_view(&mut h, "Scoring");
    let text = all_text(&h);
    assert!(text.contains("What the CCGs said") && text.contains("5 of the plan's 5 CCGs interviewed"), "{text}");
    let evaluation = h.state().session.as_ref().expect("session").evaluation.clone();
    assert!(!evaluation.missing.iter().any(|m| m.contains("must be interviewed")), "{:?}", evaluation.missing);
    let check = evaluation.checks.iter().find(|c| c.metric == "ccgs_sla_confirmed_share").expect("checked");
    assert!(check.value.is_some(), "the check is made once every CCG is heard: {}", check.explanation);
    let words = draft_letter_words(&h);
    assert!(
        words.contains("interviewed by Raj") && words.contains("interviewed by Ann"),
        "the letter says who heard whom"
    );
}

/// A checkpoint 2 panel holds the leaders' interview in the window on two
/// computers: Ann (chair) arranges it and adds a question of the panel's
/// own; each keeps notes, moving by the keyboard; Raj's notes stay his
/// until he has finished scoring; Ann records the agreed account, which
/// Raj sees; a score's evidence cites a question and the letter prints it.
#[test]
fn a_checkpoint_2_panel_holds_the_leaders_interview_in_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ann_dir, raj_dir) = (dir.path().join("ann"), dir.path().join("raj"));
    let mut ann = harness(&ann_dir, Prefs { assessor: "Ann".into(), ..Prefs::default() });
    let mut raj = harness(&raj_dir, Prefs { assessor: "Raj".into(), ..Prefs::default() });
    let raj_key = raj.state().identity.as_ref().expect("Raj's key").public();
    ann.get_by_label("Midlands Shared Services CSU: outline plan (checkpoint 2)").click();
    settle(&mut ann);
    edits(
        &mut ann,
        vec![
            Edit::AddMember { name: "Ann".into(), role: "Chair".into(), key: None },
            Edit::AddMember { name: "Raj".into(), role: "Member".into(), key: Some(raj_key) },
        ],
    );
    click_view(&mut ann, "Leaders' interview");
    ann.get_by_label("Arrangements (the chair)").click();
    ann.run_steps(2);
    type_into(&mut ann, "When", "2012-09-12 10:00");
    type_into(&mut ann, "Where", "Quarry House, room 4");
    type_into(&mut ann, "The CSU's people, one a line: Name, Role", "Helen Armitage, Managing director");
    ann.get_by_label("Ann").click();
    ann.run_steps(1);
    ann.get_by_label("Raj").click();
    ann.run_steps(1);
    ann.get_by_label("Record the arrangements").click();
    ann.run_steps(2);
    let schedule = record_of(&ann).leaders.schedule.clone().expect("scheduled");
    assert_eq!(schedule.panel, vec!["Ann".to_string(), "Raj".to_string()], "{}", messages(&ann));
    type_into(&mut ann, "Add a question", "Who will the MD report to in April 2013?");
    ann.get_by_label("Add").click();
    ann.run_steps(2);
    ann.get_by_label("Record the script").click();
    ann.run_steps(2);
    let script = record_of(&ann).leaders.script.clone();
    assert!(record_of(&ann).leaders.scripted, "{}", messages(&ann));
    let added = script.last().expect("added").clone();
    assert_eq!(added.text, "Who will the MD report to in April 2013?");

    // On the day: the clock runs, the first question is large, notes kept, Alt+Right moves on.
    ann.get_by_label("Start the interview clock").click();
    ann.run_steps(2);
    assert!(all_text(&ann).contains("Interview 0:00") && all_text(&ann).contains("This question 0:00 of 5:00"));
    assert!(all_text(&ann).contains(&format!("Next: {} {}", script[1].id, script[1].text)));
    let notes_label = format!("Your notes on {} (yours alone until you have finished scoring)", script[0].id);
    type_into(&mut ann, &notes_label, "Ann: two CCGs signed, three in negotiation");
    ann.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    ann.run_steps(2);
    assert!(all_text(&ann).contains(&format!("Your notes on {}", script[1].id)), "moved on by the keyboard");
    let note = record_of(&ann).leaders.notes.iter().find(|n| n.by == "Ann").cloned().expect("recorded on leaving");
    assert_eq!(note.text.as_deref(), Some("Ann: two CCGs signed, three in negotiation"));
    ann.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    ann.run_steps(2);
    type_into(
        &mut ann,
        "The agreed account of the answer (every member sees it)",
        "Two CCGs have signed SLAs; three are in negotiation.",
    );
    ann.get_by_label("Record the agreed account").click();
    ann.run_steps(2);
    assert!(record_of(&ann).leaders.account(&script[0].id).is_some(), "{}", messages(&ann));
    ann.state_mut().save_now();
    let path = ann.state().session.as_ref().expect("session").path.clone();

    // Raj's computer: he sees the account, not Ann's notes; his own notes stay his.
    raj.state_mut().open(&path);
    settle(&mut raj);
    assert_eq!(raj.state().acting(), "Raj", "{}", messages(&raj));
    click_view(&mut raj, "Leaders' interview");
    let text = all_text(&raj);
    assert!(text.contains("Two CCGs have signed SLAs"), "every member sees the account");
    assert!(!text.contains("Ann: two CCGs signed"), "Ann's notes are hers until she finishes");
    type_into(&mut raj, &notes_label, "Raj: the MD hesitated on the Solihull SLA");
    click_view(&mut raj, "Plan");
    assert!(record_of(&raj).leaders.notes.iter().any(|n| n.by == "Raj"), "leaving the page records the notes");
    raj.state_mut().save_now();
    std::thread::sleep(csu_assess::ui::state::DISK_CHECK_EVERY + Duration::from_millis(100));
    ann.run_steps(2);
    click_view(&mut ann, "Leaders' interview");
    assert!(!all_text(&ann).contains("the MD hesitated"), "Raj's notes stay his until he finishes scoring");

    // Evidence citing the question: the Scoring page shows the account, the letter prints it.
    let cite = Edit::Score {
        criterion: "CF1".into(),
        score: Some(2),
        evidence: format!("Signed with two CCGs only [{}]", script[0].id),
    };
    edits(&mut ann, vec![cite]);
    click_view(&mut ann, "Scoring");
    let text = all_text(&ann);
    assert!(text.contains("The leaders' interview") && text.contains("Two CCGs have signed SLAs"), "{text}");
    let words = draft_letter_words(&ann);
    assert!(words.contains(&format!("[{}] {}", script[0].id, script[0].text)), "the annex prints the citation");
    assert!(words.contains("were interviewed on 12 September 2012 (Quarry House, room 4) by Ann and Raj"), "{words}");
}

/// A built-in example's leaders' interview, held (fictionally), and the
/// calibration plan's script, recorded on asking from the page.
#[test]
fn the_example_holds_a_leaders_interview_and_the_calibration_plan_has_a_script() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Leaders' interview");
    h.get_by_label("Record the example's interview (fictional)").click();
    h.run_steps(3);
    let record = record_of(&h);
    let interview = &record.leaders;
    assert_eq!(interview.schedule.as_ref().expect("scheduled").panel, vec!["Test Assessor".to_string()]);
    assert_eq!(interview.accounts.len(), interview.script.len(), "{}", messages(&h));
    assert!(interview.accounts.iter().all(|a| a.text.starts_with("Fictional account")));
    assert!(all_text(&h).contains("Fictional account, part of the built-in example of Northern Star CSU"));

    h.state_mut().page = Page::Start;
    h.run_steps(2);
    h.get_by_label("Calibrate: score the reference plan").click();
    settle(&mut h);
    click_view(&mut h, "Leaders' interview");
    h.get_by_label("Record the calibration's script").click();
    h.run_steps(3);
    let record = record_of(&h);
    let framework = record.framework().clone();
    assert!(record.leaders.scripted, "{}", messages(&h));
    assert_eq!(record.leaders.script.len(), csu_assess::leaders::default_script(&framework).len() + 2);
    assert!(all_text(&h).contains("Walk us through the transition costs"));
}

/// The draft letter of the window's session as it stands (dated 14
/// September 2012, the BDU's wording), every field of it as text.
fn draft_letter_words(h: &Harness<'_, AppState>) -> String {
    let s = h.state().session.as_ref().expect("session");
    let letter = csu_assess::letter::compose_as(
        &s.plan,
        &s.framework,
        &s.view.assessment,
        &s.evaluation,
        &crate::util::wording(),
        chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("date"),
        true,
    );
    format!("{letter:?}")
}
