//! The summary: outcome, overall and domain scores (a chart), gateways,
//! what is missing before a letter can go, concerns, and sensitivity.

use super::state::AppState;
use eframe::egui::{self, RichText, Ui};

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    let e = &s.evaluation;
    if !s.view.sees_panel {
        ui.heading("Summary");
        ui.label("The panel's combined scores and outcome stay hidden until you mark your scoring finished on the Panel page, so that your scores are your own.");
        ui.label(format!(
            "You have scored {} of {} criteria.",
            s.view.assessment.scores.len(),
            s.framework.criterion_count()
        ));
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.label(RichText::new("Outcome").weak());
        ui.heading(RichText::new(crate::assessment::rules::capitalised(&e.headline())).strong());
        if e.decided
            && let Some(o) = s.framework.outcome(&e.outcome.id)
        {
            ui.label(&o.meaning);
        } else if !e.decided {
            ui.label("No outcome is given until every criterion is scored, or until the scores already decide it (a gateway failed).");
        }
        ui.label(format!(
            "Overall {}   ·   {} of {} criteria scored",
            e.overall.map_or_else(|| "-".into(), |o| format!("{o:.1}%")),
            e.scored_count(),
            s.framework.criterion_count()
        ));
        ui.separator();
        ui.columns(2, |cols| {
            let ui = &mut cols[0];
            ui.label(RichText::new("Domains").strong());
            egui::Grid::new("domains").striped(true).show(ui, |ui| {
                ui.strong("Domain");
                ui.strong("Weight");
                ui.strong("Score");
                ui.strong("Scored");
                ui.end_row();
                for d in &e.domains {
                    ui.label(&d.title);
                    ui.label(format!("{}%", d.weight));
                    ui.label(d.score.map_or_else(|| "-".into(), |v| format!("{v:.1}%")));
                    ui.label(format!("{} of {}", d.scored, d.criteria));
                    ui.end_row();
                }
            });
            let ui = &mut cols[1];
            let bars: Vec<egui_plot::Bar> = e
                .domains
                .iter()
                .enumerate()
                .map(|(i, d)| egui_plot::Bar::new(i as f64, d.score.unwrap_or(0.0)).name(&d.title).width(0.6))
                .collect();
            let names: Vec<String> = e.domains.iter().map(|d| d.id.clone()).collect();
            egui_plot::Plot::new("domain-chart")
                .height(200.0)
                .include_y(0.0)
                .include_y(100.0)
                .allow_drag(false)
                .allow_scroll(false)
                .x_axis_formatter(move |mark, _| {
                    let i = mark.value.round();
                    if (mark.value - i).abs() < 0.01 && i >= 0.0 {
                        names.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .show(ui, |plot| {
                    plot.bar_chart(
                        egui_plot::BarChart::new("Domain score (%)", bars).color(egui::Color32::from_rgb(0, 94, 184)),
                    )
                });
        });
        egui::CollapsingHeader::new("How the overall score is worked out").show(ui, |ui| {
            let scale = &s.framework.scale;
            ui.label(format!(
                "Each criterion's score, after any cap, counts as a share of the {}-{} scale. A domain's score is the weighted mean of its criteria's shares; the overall is the mean of the domain scores weighted by the domains' weights ({}). A gateway criterion scored below its minimum decides the outcome on its own, whatever the overall.",
                scale.min,
                scale.max,
                e.domains.iter().map(|d| format!("{} {}%", d.title, d.weight)).collect::<Vec<_>>().join(", ")
            ));
            for c in e.criteria.iter().filter(|c| c.capped_at.is_some()) {
                ui.label(format!(
                    "• {} was scored {} and counts as {} (capped by a concern in the plan's figures).",
                    c.id,
                    c.assessed.unwrap_or_default(),
                    c.score.unwrap_or_default()
                ));
            }
        });
        ui.separator();
        if e.gateways_failed.is_empty() {
            ui.label("Gateways: none failed.");
        } else {
            ui.label(
                RichText::new(format!("Gateways failed: {}", e.gateways_failed.join(", ")))
                    .color(egui::Color32::from_rgb(200, 40, 40))
                    .strong(),
            );
        }
        if !s.view.assessment.conflicts.is_empty() {
            ui.add_space(6.0);
            ui.label(
                RichText::new("Conflicts between merged copies (record the agreed value again to resolve)").strong(),
            );
            for c in &s.view.assessment.conflicts {
                ui.label(format!("• {}: {}", c.item, c.versions.join("  |  ")));
            }
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Before a letter can go").strong());
        if e.missing.is_empty() {
            ui.label("Nothing: the decision can be issued.");
        }
        for m in &e.missing {
            ui.label(format!("• {m}"));
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Concerns from the plan's figures").strong());
        let mut any = false;
        for c in e.concerns() {
            any = true;
            ui.label(format!("• {} ({})", c.explanation, c.criterion));
        }
        if !any {
            ui.label("None.");
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Sensitivity: the smallest changes that would change the outcome").strong());
        if e.scored_count() < e.criteria.len() {
            ui.label("Worked out once every criterion is scored.");
        } else if e.sensitivity.is_empty() {
            ui.label("No single change of one level, or of a domain weight by up to 20%, changes the outcome.");
        }
        if e.scored_count() == e.criteria.len() {
            for line in crate::scoring::sensitivity::in_words(&s.framework, &e.sensitivity) {
                ui.label(format!("• {line}"));
            }
        }
    });
}
