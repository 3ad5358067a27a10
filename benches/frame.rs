//! Frame time: CPU milliseconds per frame of the window's logic with the
//! stress plan (212 CCGs, 3,000 services, 10,000 risks) open on its largest
//! table, the Risks sheet, scrolled to the middle and sorted; measured
//! headlessly with egui_kittest (layout and tessellation, no GPU upload).
//! Then the leaders' interview page while a member types notes, with a
//! 5,000-word agreed account open beside them: the notes path, typed into
//! frame by frame. Run with `cargo bench --bench frame`; the aim is under
//! 4 ms.

use csu_assess::ui::app_ui;
use csu_assess::ui::state::{AppState, Page, PlanTab, Prefs};
use eframe::egui;
use egui_kittest::Harness;
use std::time::{Duration, Instant};

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("stress-plan.xlsx");
    std::fs::write(&plan, csu_assess::examples::stress_plan().expect("stress plan")).expect("written");
    let mut state = AppState::new(Prefs::default(), dir.path().to_path_buf());
    state.open(&plan);
    let mut h = Harness::builder().with_size(egui::vec2(1366.0, 768.0)).build_ui_state(app_ui, state);
    csu_assess::ui::install_fonts(&h.ctx);
    settle(&mut h);
    h.state_mut().page = Page::Plan;
    h.state_mut().plan_tab = PlanTab::Sheet(csu_assess::plan::TemplateSheet::Risks);
    h.state_mut().highlight_row = Some(5_000);
    h.run_steps(5);
    measure(&mut h, "Risks table, 10,000 rows, scrolled to row 5,000", 100, |_, _| {});
    h.state_mut().sort = Some((PlanTab::Sheet(csu_assess::plan::TemplateSheet::Risks), 1, true));
    measure(&mut h, "Risks table sorted by risk", 100, |_, _| {});
    h.state_mut().page = Page::Scoring;
    h.run_steps(3);
    measure(&mut h, "Scoring view", 100, |_, _| {});
    typing_notes(dir.path());
}

/// Steps until background work (the plan's import) is done, at most 30 s.
fn settle(h: &mut Harness<'_, AppState>) {
    let started = Instant::now();
    while !h.state().jobs.is_empty() && started.elapsed() < Duration::from_secs(30) {
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The leaders' interview page, a character typed into the notes each frame,
/// a 5,000-word account on the record and shown.
fn typing_notes(dir: &std::path::Path) {
    use egui_kittest::kittest::Queryable;
    let state = AppState::new(Prefs { assessor: "Bench".into(), ..Prefs::default() }, dir.join("leaders"));
    let mut h = Harness::builder().with_size(egui::vec2(1366.0, 768.0)).build_ui_state(app_ui, state);
    // The program's fonts before anything that needs them is drawn.
    csu_assess::ui::install_fonts(&h.ctx);
    h.run_steps(2);
    h.state_mut().open_example("northern-star-full");
    settle(&mut h);
    let words = ["commissioning", "support", "the", "CCGs", "signed", "agreements", "and", "transition"];
    let account: String = (0..5_000).map(|i| words[i % words.len()]).collect::<Vec<_>>().join(" ");
    h.state_mut().apply(csu_assess::assessment::Edit::LeadersAccount { question: "L1".into(), text: account });
    h.state_mut().page = Page::Leaders;
    h.run_steps(3);
    let label = "Your notes on L1 (yours alone until you have finished scoring)";
    h.get_by_label(label).focus();
    h.run_steps(2);
    measure(&mut h, "Leaders' interview, typing notes beside a 5,000-word account", 200, |h, i| {
        h.get_by_label(label).type_text(if i % 8 == 7 { " " } else { "n" });
    });
}

/// Times `frames` frames, `input` given before each (untimed), and prints
/// the median and the 95th percentile.
fn measure(
    h: &mut Harness<'_, AppState>,
    what: &str,
    frames: usize,
    mut input: impl FnMut(&mut Harness<'_, AppState>, usize),
) {
    let mut times: Vec<Duration> = (0..frames)
        .map(|i| {
            input(h, i);
            let t = Instant::now();
            h.step();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{what}: median {:.2} ms, 95th percentile {:.2} ms per frame",
        times[frames / 2].as_secs_f64() * 1e3,
        times[frames * 95 / 100].as_secs_f64() * 1e3
    );
}
