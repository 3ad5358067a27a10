//! Small pieces the views share.

use super::state::PlanTab;
use eframe::egui::{self, Ui, text::LayoutJob};

/// The order to show a table's rows in, sorted by a column when asked:
/// numbers (including £ amounts and percentages) as numbers, else as text.
pub fn sorted_order(
    sort: Option<(PlanTab, usize, bool)>,
    tab: PlanTab,
    rows: usize,
    cell: impl Fn(usize, usize) -> String,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows).collect();
    let Some((t, col, ascending)) = sort.filter(|(t, _, _)| *t == tab) else { return order };
    debug_assert_eq!(t, tab);
    let keys: Vec<(Option<f64>, String)> = (0..rows)
        .map(|r| {
            let text = cell(r, col);
            let n = text.trim_start_matches('£').replace([',', '%'], "").parse::<f64>().ok();
            (n, text.to_lowercase())
        })
        .collect();
    order.sort_by(|&a, &b| {
        let ordering = match (keys[a].0, keys[b].0) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => keys[a].1.cmp(&keys[b].1),
        };
        if ascending { ordering } else { ordering.reverse() }
    });
    order
}

/// Text with every case-insensitive match of `needle` highlighted.
pub fn highlighted(ui: &Ui, text: &str, needle: &str) -> LayoutJob {
    let mut job = LayoutJob::default();
    let normal = egui::TextFormat { color: ui.visuals().text_color(), ..Default::default() };
    let hit = egui::TextFormat {
        background: ui.visuals().selection.bg_fill,
        color: ui.visuals().strong_text_color(),
        ..Default::default()
    };
    if needle.is_empty() {
        job.append(text, 0.0, normal);
        return job;
    }
    let lower = text.to_lowercase();
    let mut parts = Vec::new();
    let mut at = 0;
    // Offsets found in the lowercased text are used on the original only
    // where both agree; any character that changes length when lowercased
    // leaves the text unhighlighted rather than cut mid-character.
    while let Some(found) = lower.get(at..).and_then(|rest| rest.find(needle)) {
        let start = at + found;
        let end = start + needle.len();
        match (text.get(at..start), text.get(start..end)) {
            (Some(before), Some(hit_text)) if lower.len() == text.len() => parts.push((before, hit_text)),
            _ => {
                job.append(text, 0.0, normal);
                return job;
            }
        }
        at = end;
    }
    for (before, hit_text) in parts {
        job.append(before, 0.0, normal.clone());
        job.append(hit_text, 0.0, hit.clone());
    }
    job.append(text.get(at..).unwrap_or_default(), 0.0, normal);
    job
}

/// Who the window acts as: the member whose recorded key is this
/// computer's. Someone whose key is not on the panel is told so, with the
/// key to give the chair.
pub fn acting_member_ui(ui: &mut Ui, state: &super::state::AppState) {
    let me = state.acting();
    let key = state.identity.as_ref().map(|k| k.public()).unwrap_or_default();
    let role = state
        .session
        .as_ref()
        .and_then(|s| s.record().assessors.iter().find(|a| a.name == me).map(|a| a.role.clone()))
        .unwrap_or_default();
    if me.is_empty() {
        ui.label(
            egui::RichText::new(
                "This computer's key is not on this panel, so you can read but not record. Ask the chair to add you with this key:",
            )
            .color(super::theme::of(ui).caution),
        );
        let mut shown = key;
        ui.add(egui::TextEdit::singleline(&mut shown).desired_width(520.0).font(egui::TextStyle::Monospace))
            .on_hover_text("Your public key: copy it for the chair (it is not secret)");
    } else {
        ui.label(format!("Acting as {me} ({role}), key {}", crate::keys::short(&key)))
            .on_hover_text("Changes made here are signed with this computer's key, which is recorded as yours");
    }
}

/// Every interest declared in the CSU: each member who declared one stands
/// aside from it. The Panel page and the Summary both list them.
pub fn declared_interests(ui: &mut Ui, a: &crate::assessment::Assessment) {
    ui.label(egui::RichText::new("Declared interests").strong());
    if a.interests.is_empty() {
        ui.label("None declared.");
    }
    for i in &a.interests {
        ui.label(format!(
            "• {}: {} (declared {}); {} takes no part in scoring or agreeing this CSU.",
            i.member,
            i.interest,
            crate::when::local(&i.at),
            i.member
        ));
    }
}

/// Lets the keyboard scroll the page this is called in (inside its scroll
/// area): PageUp and PageDown a screen, the arrows a line, Home and End the
/// ends, whenever no text box has the keyboard. egui's scroll areas answer
/// only the mouse, and a letter read without one must still be read whole.
pub fn keyboard_scroll(ui: &mut Ui) {
    if ui.ctx().text_edit_focused() {
        return;
    }
    let screen = ui.clip_rect().height() * 0.9;
    let line = ui.text_style_height(&egui::TextStyle::Body) * 2.0;
    let delta = ui.input(|i| {
        if i.key_pressed(egui::Key::PageDown) {
            -screen
        } else if i.key_pressed(egui::Key::PageUp) {
            screen
        } else if i.key_pressed(egui::Key::ArrowDown) && i.modifiers.is_none() {
            -line
        } else if i.key_pressed(egui::Key::ArrowUp) && i.modifiers.is_none() {
            line
        } else if i.key_pressed(egui::Key::End) {
            -1.0e9
        } else if i.key_pressed(egui::Key::Home) {
            1.0e9
        } else {
            0.0
        }
    });
    if delta != 0.0 {
        ui.scroll_with_delta(egui::vec2(0.0, delta));
    }
}

/// A page's or window's heading, exposed to a screen reader as a heading
/// (egui's own is a plain label), so it can be found by heading.
pub fn heading(ui: &mut Ui, text: impl Into<egui::RichText>) -> egui::Response {
    let text = text.into();
    let name = text.text().to_string();
    let response = ui.heading(text);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Heading, true, &name));
    response
}

/// A chart that stays as drawn: no dragging, scrolling or zooming, and no
/// keyboard focus (it would take it with no visible ring, and say nothing:
/// the figures it draws are in the page's text and tables); hovering still
/// shows each value.
pub fn still_plot(id: &str) -> egui_plot::Plot<'_> {
    egui_plot::Plot::new(id)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .sense(egui::Sense::hover())
}
