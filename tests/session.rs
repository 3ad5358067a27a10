//! The window's open session driven as plain Rust, with no egui: open a
//! plan, score, undo, save, merge a copy and export a letter, as the
//! window's commands do.

use csu_assess::assessment::Edit;
use csu_assess::ui::state::{AppState, Prefs};
use std::time::Duration;

fn settle(state: &mut AppState) {
    for _ in 0..400 {
        state.poll();
        if state.jobs.is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("background work did not finish");
}

#[test]
fn the_open_session_is_plain_rust() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = AppState::new(Prefs { assessor: "Jane Holt".into(), ..Prefs::default() }, dir.path().to_path_buf());
    state.system_dialogs = false;
    state.open_example("northern-star-full");
    settle(&mut state);
    let s = state.session.as_ref().expect("the example is open");
    assert_eq!(s.plan.cover.csu_name, "Northern Star CSU");
    assert_eq!(state.acting(), "Jane Holt", "the starter acts, by this computer's key");

    state.apply(Edit::Score { criterion: "CF1".into(), score: Some(3), evidence: "signed SLAs".into() });
    state.apply(Edit::Score { criterion: "CF1".into(), score: Some(4), evidence: "all signed".into() });
    state.undo();
    let s = state.session.as_ref().expect("session");
    assert_eq!(s.record().scores[0].score, 3, "undone");
    assert_eq!(s.record().audit.len(), 4, "by an entry added to the record");
    state.save_now();
    let path = state.session.as_ref().expect("session").path.clone();
    assert_eq!(csu_assess::store::load(&path).expect("saved").audit.len(), 4);

    let mut copy = csu_assess::store::load(&path).expect("a copy");
    let plan = state.session.as_ref().expect("session").plan.clone();
    let key = state.identity.as_ref().expect("this computer's key");
    copy.apply(&plan, "Jane Holt", key, Edit::DecisionNotes("read again on the train".into()), "2099-01-01T10:00:00Z")
        .expect("noted");
    let copy_path = dir.path().join("copy.csuassess");
    csu_assess::store::save(&copy_path, &copy).expect("saved");
    state.merge_copy(&copy_path);
    assert_eq!(state.session.as_ref().expect("session").record().decision_notes, "read again on the train");
    assert!(state.messages.iter().any(|m| m.text.contains("1 change(s) added")), "the merge is reported");
}
