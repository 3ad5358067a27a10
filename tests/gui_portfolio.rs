//! The window's views for the national picture, driven headlessly through
//! the real widgets: a folder read as a portfolio (rows, sorting,
//! filtering, unreadable files, charts, the assessors' figures raw beside
//! adjusted, declared interests, exports read back), a member declaring an
//! interest on the Panel page and standing aside, a checkpoint 2
//! assessment linked on the Summary page with an action found not met, and
//! the calibration plan scored and compared with the BDU's reasons.

use crate::gui::{all_text, click_view, harness, messages, open_strong_example, prefs, record_of, settle, type_into};
use crate::util::{apply, example_plan, join, score_every, start_as};
use csu_assess::assessment::Edit;
use csu_assess::portfolio::{Column, Filter};
use csu_assess::ui::state::{AppState, Page};
use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::Path;

const AT: &str = "2026-11-24T10:00:00Z";

/// A round: the three example plans; Northern Star assessed by Ann (chair,
/// scoring 4) and Raj (scoring 3) with a consensus of 3 on every criterion,
/// and Priya on its panel, who declared an interest; Capital three
/// criteria into its scoring; Midlands not begun; and minutes that are no
/// plan.
fn round(dir: &Path) {
    for e in csu_assess::examples::EXAMPLES {
        std::fs::write(dir.join(e.file_name()), e.workbook().expect("written")).expect("plan saved");
    }
    let north = example_plan("northern-star-full");
    let mut a = start_as(&north, "cp3-full-plan", "Ann", "Chair", AT);
    apply(&mut a, &north, "Ann", join("Raj", "Member"), AT);
    apply(&mut a, &north, "Ann", join("Priya", "Member"), AT);
    let interest = Edit::DeclareInterest { interest: "worked for its host cluster until March".into() };
    apply(&mut a, &north, "Priya", interest, AT);
    score_every(&mut a, &north, "Ann", 4, AT);
    score_every(&mut a, &north, "Raj", 3, AT);
    apply(&mut a, &north, "Ann", Edit::FinishScoring, AT);
    apply(&mut a, &north, "Raj", Edit::FinishScoring, AT);
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for criterion in ids {
        let agreed = Edit::Consensus { criterion, score: Some(3), rationale: "agreed at the panel".into() };
        apply(&mut a, &north, "Ann", agreed, AT);
    }
    csu_assess::store::create(&dir.join("northern-star-full.csuassess"), &a, None).expect("saved");
    let capital = example_plan("capital-commissioning-full");
    let mut b = start_as(&capital, "cp3-full-plan", "Raj", "Chair", AT);
    let first: Vec<String> = b.framework().criteria().take(3).map(|(_, c)| c.id.clone()).collect();
    for criterion in first {
        apply(&mut b, &capital, "Raj", Edit::Score { criterion, score: Some(4), evidence: "interview".into() }, AT);
    }
    csu_assess::store::create(&dir.join("capital.csuassess"), &b, None).expect("saved");
    std::fs::write(dir.join("minutes.xlsx"), b"these are the minutes, not a workbook").expect("written");
}

/// Answers the typed-path prompt (no file dialog exists here) with `path`,
/// in place of whatever it suggested.
fn answer_prompt(h: &mut Harness<'_, AppState>, path: &Path) {
    h.get_by_label("Path").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Path").type_text(&path.display().to_string());
    h.run_steps(1);
    h.get_by_label("OK").click();
    settle(h);
}

/// The CSUs in the order the table shows them, top to bottom.
fn shown_order(h: &Harness<'_, AppState>, names: &[&str]) -> Vec<String> {
    let mut at: Vec<(f32, String)> = names
        .iter()
        .filter_map(|n| h.query_by_role_and_label(Role::Link, n).map(|node| (node.rect().top(), n.to_string())))
        .collect();
    at.sort_by(|a, b| a.0.total_cmp(&b.0));
    at.into_iter().map(|(_, n)| n).collect()
}

#[test]
fn a_folder_read_in_the_window_sorts_filters_charts_and_exports() {
    let home = tempfile::tempdir().expect("tempdir");
    let folder = tempfile::tempdir().expect("tempdir");
    round(folder.path());
    let mut h = harness(home.path(), prefs());
    h.get_by_label_contains("Open a folder of plans and assessments…").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("full path of the folder").is_some(),
        "the typed path stands in for the dialog: {:?}",
        h.state().prompt
    );
    answer_prompt(&mut h, folder.path());
    assert_eq!(h.state().page, Page::Portfolio, "{}", messages(&h));

    let names = ["Capital Commissioning Support", "Midlands Shared Services CSU", "Northern Star CSU"];
    assert_eq!(shown_order(&h, &names), names, "every CSU a row, by name at first");
    assert!(h.query_by_label("not started").is_some(), "Midlands, with no assessment, says so");
    let last = h.get_by_role_and_label(Role::Button, "Stage").rect();
    assert!(last.right() <= 1366.0, "every column inside a 1366-wide window: the last ends at {}", last.right());
    assert!(h.query_by_label_contains("minutes.xlsx: ").is_some(), "the unreadable file is listed with its reason");
    let reason = &h.state().portfolio.as_ref().expect("read").portfolio.unreadable[0].reason;
    assert!(all_text(&h).contains(reason.as_str()), "{reason}");

    // Sorting by a heading reorders the rows as the library sorts them.
    let by_price = |ascending: bool| -> Vec<String> {
        let page = h.state().portfolio.as_ref().expect("read");
        page.portfolio
            .view(&Filter::default(), Some((Column::PricePerHead, ascending)))
            .iter()
            .map(|r| r.csu.clone())
            .collect()
    };
    let (cheapest_first, dearest_first) = (by_price(true), by_price(false));
    assert_ne!(cheapest_first, names, "the test would pass on an order that never changed");
    h.get_by_role_and_label(Role::Button, "Price per head").click();
    h.run_steps(2);
    assert_eq!(shown_order(&h, &names), cheapest_first);
    h.get_by_role_and_label(Role::Button, "Price per head ▲").click();
    h.run_steps(2);
    assert_eq!(shown_order(&h, &names), dearest_first);

    // Filters hide rows: by name, then by checkpoint.
    type_into(&mut h, "CSU name", "capital");
    h.run_steps(2);
    assert_eq!(shown_order(&h, &names), ["Capital Commissioning Support"]);
    assert!(h.query_by_label("1 of 3 shown").is_some());
    h.get_by_label("Clear filters").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::ComboBox, "Checkpoint").click();
    h.run_steps(2);
    h.get_by_label("Checkpoint 2").click();
    h.run_steps(2);
    assert_eq!(shown_order(&h, &names), ["Midlands Shared Services CSU"]);
    h.get_by_label("Clear filters").click();
    h.run_steps(2);

    click_view(&mut h, "Charts");
    assert!(all_text(&h).contains("CCGs set aside £3 to £25 a head for commissioning support, £11.52 on average"));
    assert!(
        h.query_by_label("Outcomes by region").is_some()
            && h.query_by_label("Distribution of overall scores").is_some()
    );

    click_view(&mut h, "Assessors");
    assert!(h.query_by_label("Raw").is_some() && h.query_by_label("Adjusted").is_some(), "raw beside adjusted");
    assert!(h.query_by_label(csu_assess::portfolio::consistency::METHOD).is_some(), "the method in words");
    assert!(h.query_by_label("lenient").is_some(), "Ann, a level above the consensus, stands out");

    click_view(&mut h, "Declared interests (1)");
    assert!(h.query_by_label("worked for its host cluster until March").is_some());

    click_view(&mut h, "CSUs");
    h.get_by_label("Export workbook (.xlsx)…").click();
    settle(&mut h);
    let suggested = h.get_by_label("Path").value().unwrap_or_default();
    assert!(suggested.ends_with("-portfolio.xlsx"), "{suggested}");
    assert!(
        !Path::new(&suggested).starts_with(folder.path()),
        "suggested beside the folder, not in it, where the next reading would take it for a plan"
    );
    let xlsx = home.path().join("round.xlsx");
    answer_prompt(&mut h, &xlsx);
    assert!(messages(&h).contains("Wrote "), "{}", messages(&h));
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&xlsx).expect("an xlsx");
    let sheet = book.worksheet_range("Portfolio").expect("the Portfolio sheet");
    let csus: Vec<String> = (1..4).map(|r| sheet.get_value((r, 0)).expect("cell").to_string()).collect();
    assert_eq!(csus, names);
    assert!(book.sheet_names().iter().any(|n| n == "Interests"));

    h.get_by_label("Export scores CSV…").click();
    settle(&mut h);
    let csv = home.path().join("scores.csv");
    answer_prompt(&mut h, &csv);
    let text = std::fs::read_to_string(&csv).expect("written");
    assert!(text.starts_with("CSU,Checkpoint,Domain,Criterion,Assessor,Score"), "{text}");
}

#[test]
fn a_member_who_declares_an_interest_stands_aside_from_scoring() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Panel");
    type_into(&mut h, "Your interest in this CSU", "my sister is its finance director");
    h.get_by_label("Declare an interest").click();
    h.run_steps(2);
    assert!(record_of(&h).interests.is_empty(), "nothing recorded before it is confirmed");
    assert!(h.query_by_label_contains("A declared interest cannot be withdrawn").is_some());
    h.get_by_label("Yes, declare it").click();
    h.run_steps(2);
    let interests = record_of(&h).interests;
    assert_eq!(interests.len(), 1, "{}", messages(&h));
    assert_eq!(
        (interests[0].member.as_str(), interests[0].interest.as_str()),
        ("Test Assessor", "my sister is its finance director")
    );
    assert!(all_text(&h).contains("my sister is its finance director"), "the Panel page lists it");

    click_view(&mut h, "Scoring");
    let radios = h.get_all_by_role(Role::RadioButton).collect::<Vec<_>>();
    assert!(!radios.is_empty() && radios.iter().all(|r| r.accesskit_node().is_disabled()), "every score greyed out");
    assert!(all_text(&h).contains("Your scores are closed: Test Assessor has declared an interest"));
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    assert!(record_of(&h).scores.is_empty(), "a key press records nothing either");
}

#[test]
fn an_action_from_checkpoint_two_found_not_met_is_flagged_red_on_the_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let earlier = dir.path().join("midlands-cp2.csuassess");
    csu_assess::store::create(&earlier, &crate::util::checkpoint_two(), None).expect("saved");
    let mut h = harness(dir.path(), prefs());
    open_strong_example(&mut h);
    click_view(&mut h, "Summary");
    assert!(h.query_by_label("Development plan from checkpoint 2").is_some());
    h.get_by_label("Link the checkpoint 2 assessment…").click();
    settle(&mut h);
    answer_prompt(&mut h, &earlier);
    assert!(record_of(&h).earlier.is_none(), "another CSU's name: not linked unless chosen");
    assert!(h.query_by_label_contains("The earlier assessment is of Midlands Shared Services CSU").is_some());
    h.get_by_label("Link anyway").click();
    h.run_steps(2);
    let linked = record_of(&h).earlier.expect("linked once chosen");
    assert_eq!(linked.actions.len(), 1, "{}", messages(&h));
    assert!(h.query_by_label("Sign SLAs with every CCG").is_some(), "the carried action is listed");
    assert!(h.query_by_label_contains("Development plan breached").is_none());

    h.get_by_role_and_label(Role::RadioButton, "Not met").click();
    type_into(&mut h, "Evidence", "Two of five CCGs have signed; the rest are still on heads of terms");
    h.get_by_label("Record the finding").click();
    h.run_steps(2);
    let review = record_of(&h).earlier.expect("linked").actions[0].review.clone().expect("reviewed");
    assert!(!review.met, "{}", messages(&h));
    assert!(h.query_by_label("⚑ Development plan breached").is_some(), "the red flag");
    let unmet = h.state().session.as_ref().expect("session").evaluation.unmet_actions.clone();
    assert_eq!(unmet.len(), 1);
    assert!(h.query_by_label(&format!("• {}", unmet[0])).is_some(), "listed under the flag: {unmet:?}");
    assert!(all_text(&h).contains("a breached development plan fails the CSU"), "checkpoint 3 makes it a gateway");
}

#[test]
fn the_calibration_plan_scored_shows_where_you_differ_from_the_bdu_and_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), prefs());
    h.get_by_label("Calibrate: score the reference plan").click();
    settle(&mut h);
    let s = h.state().session.as_ref().expect("the calibration plan is open");
    assert!(csu_assess::calibration::is_calibration(s.record()), "{}", messages(&h));
    click_view(&mut h, "Scoring");
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    click_view(&mut h, "Summary");
    let (reference, _) = csu_assess::calibration::reference().expect("the shipped reference");
    let cf1 = reference.scores.iter().find(|r| r.criterion == "CF1").expect("CF1");
    let cf2 = reference.scores.iter().find(|r| r.criterion == "CF2").expect("CF2");
    assert_eq!(cf1.score, 2, "the comparison below expects the BDU's 2");
    assert!(h.query_by_label(&cf1.rationale).is_some(), "the BDU's reason beside the score");
    assert!(h.query_by_label("+1").is_some(), "a level more generous than the BDU");
    assert!(all_text(&h).contains("0 of 1 scored as the BDU did, 1 within one level; mean difference +1.00"));
    assert!(!all_text(&h).contains(&cf2.rationale), "a criterion not yet scored keeps its reference hidden");
}
