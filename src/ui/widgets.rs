//! Small pieces the views share.

use super::state::PlanTab;
use eframe::egui::{self, Ui, text::LayoutJob};

/// The zero-based sheet row of an A1 reference (`C7` -> 6).
pub fn row_of_cell(cell: &str) -> Option<u32> {
    let digits: String = cell.chars().skip_while(|c| c.is_ascii_alphabetic()).collect();
    digits.parse::<u32>().ok().and_then(|r| r.checked_sub(1))
}

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

/// "Acting as": the member the window records changes for, chosen from the
/// panel's members, so a typo can never make a new member.
pub fn acting_member_ui(ui: &mut Ui, state: &mut super::state::AppState) {
    let Some(s) = &state.session else { return };
    let members: Vec<(String, String)> =
        s.record().assessors.iter().map(|a| (a.name.clone(), a.role.clone())).collect();
    let me = state.prefs.assessor.trim().to_string();
    let on_panel = members.iter().any(|(n, _)| *n == me);
    let mut chosen = None;
    ui.horizontal(|ui| {
        let label = ui.label("Acting as");
        egui::ComboBox::from_id_salt("acting-member")
            .selected_text(if on_panel { me.clone() } else { "choose your name".to_string() })
            .show_ui(ui, |ui| {
                for (name, role) in &members {
                    if ui.selectable_label(*name == me, format!("{name} ({role})")).clicked() {
                        chosen = Some(name.clone());
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("Changes are recorded under this member's name. New members are added on the Panel page.");
    });
    if !on_panel {
        ui.label(
            egui::RichText::new(format!(
                "{} is not on this panel: choose your name above, or ask the chair to add you on the Panel page.",
                if me.is_empty() { "You are" } else { me.as_str() }
            ))
            .color(egui::Color32::from_rgb(190, 120, 0)),
        );
    }
    if let Some(name) = chosen {
        state.act_as(&name);
    }
}
