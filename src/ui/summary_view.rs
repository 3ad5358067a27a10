//! The summary: outcome, a breached development plan flagged in red, a
//! calibration's comparison with the BDU's scores, overall and domain
//! scores (a chart), gateways, the development plan from the checkpoint
//! before with the panel's finding on each action, declared interests,
//! what is missing before a letter can go, concerns, and sensitivity.
//!
//! Findings on carried actions and the link to the checkpoint before are
//! edits the record checks ([`AppState::apply`]); this page decides none
//! of the rules.

use super::commands::Command;
use super::drafts::{Drafts, Field};
use super::forms::ReviewForms;
use super::state::{AppState, DialogPurpose};
use crate::assessment::rules::Act;
use crate::assessment::{Assessment, Earlier, Edit};
use eframe::egui::{self, RichText, Ui};

/// What the page asks of the window once drawn.
enum Asked {
    /// An edit, and the text boxes whose drafts it spends.
    Edit(Edit, Vec<Field>),
    ChooseEarlier,
    LinkAnyway,
    KeepUnlinked,
}

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let me = state.acting();
    let Some(s) = &state.session else { return };
    let e = &s.evaluation;
    if !s.view.sees_panel {
        super::widgets::heading(ui, "Summary");
        ui.label("The panel's combined scores and outcome stay hidden until you mark your scoring finished on the Panel page, so that your scores are your own.");
        ui.label(format!(
            "You have scored {} of {} criteria.",
            s.view.assessment.scores.len(),
            s.framework.criterion_count()
        ));
        return;
    }
    let reviews = &mut state.reviews;
    let drafts = &mut state.drafts;
    let calibration = crate::calibration::is_calibration(s.record());
    let mut asked = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        super::widgets::keyboard_scroll(ui);
        ui.label(RichText::new("Outcome").weak());
        super::widgets::heading(ui, RichText::new(crate::assessment::rules::capitalised(&e.headline())).strong());
        if e.decided
            && let Some(o) = s.framework.outcome(&e.outcome.id)
        {
            ui.label(&o.meaning);
        } else if !e.decided {
            ui.label("No outcome is given until every criterion is scored, or until the scores already decide it (a gateway failed).");
        }
        ui.label(format!(
            "Overall {}   ·   {} of {} criteria scored",
            e.overall.map_or_else(|| "-".into(), crate::scoring::percent),
            e.scored_count(),
            s.framework.criterion_count()
        ));
        if !e.unmet_actions.is_empty() {
            breached_ui(ui, &e.unmet_actions, s.framework.unmet_action_fails);
        }
        if calibration {
            ui.separator();
            calibration_ui(ui, &s.view.assessment, &s.view.member);
        }
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
                    ui.label(d.score.map_or_else(|| "-".into(), crate::scoring::percent));
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
            let accent = super::theme::of(ui).accent;
            super::widgets::still_plot("domain-chart")
                .height(200.0)
                .include_y(0.0)
                .include_y(100.0)
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
                        egui_plot::BarChart::new("Domain score (%)", bars).color(accent),
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
                    .color(super::theme::of(ui).concern)
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
        // The calibration plan is a rehearsal: it has no checkpoint before.
        if !calibration && (s.framework.checkpoint > 1 || s.view.assessment.earlier.is_some()) {
            ui.add_space(6.0);
            let may = |act| s.record().may(&me, act).map_err(|r| r.to_string());
            let allowed = Allowed { link: may(Act::Link), review: may(Act::Review) };
            earlier_ui(
                ui,
                s.framework.checkpoint,
                s.view.assessment.earlier.as_ref(),
                &allowed,
                (reviews, drafts),
                &mut asked,
            );
        }
        ui.add_space(6.0);
        super::widgets::declared_interests(ui, &s.view.assessment);
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
        let unchecked: Vec<&crate::scoring::CheckResult> = e.unchecked().collect();
        if !unchecked.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Checks that could not be made (neither capping nor counting for the plan)").strong());
            for c in unchecked {
                ui.label(format!("• {} ({}): {}", c.meaning, c.criterion, c.explanation));
            }
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
    for ask in asked {
        match ask {
            Asked::Edit(edit, typed) => state.push(Command::Record { edit, typed }),
            Asked::ChooseEarlier => state.open_dialog(DialogPurpose::LinkEarlier),
            Asked::LinkAnyway => {
                if let Some((earlier, _)) = state.reviews.other_csu.take() {
                    state.push(Command::record(Edit::link_earlier(&earlier, true)));
                }
            }
            Asked::KeepUnlinked => state.reviews.other_csu = None,
        }
    }
}

/// The development actions agreed at the checkpoint before that the panel
/// found not met: a breached development plan, in red at the top.
fn breached_ui(ui: &mut Ui, unmet: &[String], fails: bool) {
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(2.0, super::theme::of(ui).concern)).show(ui, |ui| {
        ui.label(RichText::new("⚑ Development plan breached").strong().color(super::theme::of(ui).concern));
        ui.label("Development actions agreed at the checkpoint before were found not met:");
        for action in unmet {
            ui.label(RichText::new(format!("• {action}")).color(super::theme::of(ui).concern));
        }
        ui.label(if fails {
            "Under this framework a breached development plan fails the CSU, whatever its scores."
        } else {
            "This framework leaves the outcome to the scores; the letter lists the unmet actions."
        });
    });
}

/// A calibration: the acting member's scores beside the BDU's agreed ones,
/// with the BDU's reason, for the criteria they have scored (the rest stay
/// hidden so the reference does not lead their scoring).
fn calibration_ui(ui: &mut Ui, assessment: &Assessment, member: &str) {
    ui.label(RichText::new("Calibration: your scores against the BDU's agreed scores").strong());
    let comparison = match crate::calibration::compare(assessment, member) {
        Ok(c) => c,
        Err(e) => {
            ui.label(crate::assessment::rules::capitalised(&e.to_string()));
            return;
        }
    };
    ui.label(format!(
        "{} of {} scored as the BDU did, {} within one level; mean difference {:+.2} (above 0 is more generous than the BDU).",
        comparison.same, comparison.scored, comparison.within_one, comparison.mean_difference
    ));
    egui::Grid::new("calibration").striped(true).max_col_width(640.0).show(ui, |ui| {
        for heading in ["Criterion", "Yours", "BDU's", "Difference", "The BDU's reason"] {
            ui.strong(heading);
        }
        ui.end_row();
        for d in &comparison.criteria {
            let by = d.by();
            ui.label(format!("{} {}", d.criterion, d.title));
            ui.label(d.yours.to_string());
            ui.label(d.reference.to_string());
            let difference = if by == 0 { RichText::new("same") } else { RichText::new(format!("{by:+}")).strong() };
            ui.label(if by.abs() > 1 { difference.color(super::theme::of(ui).concern) } else { difference });
            ui.add(egui::Label::new(&d.rationale).wrap());
            ui.end_row();
        }
    });
    let unscored = comparison.unscored.len();
    if unscored > 0 {
        ui.label(
            RichText::new(format!(
                "{unscored} criteria not scored yet: the BDU's score and reason for each show once you have scored it."
            ))
            .weak(),
        );
    }
}

/// The development plan agreed at the checkpoint before: the link to that
/// assessment, and for each carried action the panel's finding, met or not
/// met, with its evidence.
/// Whether the acting member may link the checkpoint before and record
/// findings on its actions, and if not the record's reason.
struct Allowed {
    link: Result<(), String>,
    review: Result<(), String>,
}

fn earlier_ui(
    ui: &mut Ui,
    checkpoint: u8,
    earlier: Option<&Earlier>,
    allowed: &Allowed,
    (reviews, drafts): (&mut ReviewForms, &mut Drafts),
    asked: &mut Vec<Asked>,
) {
    let before = earlier.map_or(checkpoint.saturating_sub(1), |e| e.checkpoint);
    ui.label(RichText::new(format!("Development plan from checkpoint {before}")).strong());
    let Some(earlier) = earlier else {
        ui.label(format!(
            "No assessment of checkpoint {before} is linked. Link this CSU's checkpoint {before} assessment to hold it to the development actions agreed then."
        ));
        let link = ui
            .add_enabled(allowed.link.is_ok(), egui::Button::new(format!("Link the checkpoint {before} assessment…")))
            .on_hover_text("Choose its .csuassess file; its development actions are copied onto this record");
        if let Err(why) = &allowed.link {
            link.clone().on_disabled_hover_text(why.as_str());
        }
        if link.clicked() {
            asked.push(Asked::ChooseEarlier);
        }
        if let Some((_, why)) = &reviews.other_csu {
            ui.label(RichText::new(why).color(ui.visuals().warn_fg_color));
            ui.horizontal(|ui| {
                if ui
                    .button("Link anyway")
                    .on_hover_text("The same CSU under another name (renamed since): the record notes it was chosen")
                    .clicked()
                {
                    asked.push(Asked::LinkAnyway);
                }
                if ui.button("Do not link it").clicked() {
                    asked.push(Asked::KeepUnlinked);
                }
            });
        }
        return;
    };
    ui.label(format!(
        "Linked: {}'s checkpoint {} assessment, with {} development action(s).",
        earlier.csu_name,
        earlier.checkpoint,
        earlier.actions.len()
    ));
    for carried in &earlier.actions {
        let a = &carried.action;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new(&a.action).strong());
            ui.label(RichText::new(format!("Owner: {} · due {} · {}", a.owner, a.due.format("%d/%m/%Y"), a.id)).weak());
            match &carried.review {
                Some(r) => {
                    let text = format!(
                        "Found {} by {}, {}: {}",
                        if r.met { "met" } else { "not met" },
                        r.by,
                        crate::when::local(&r.at),
                        r.evidence
                    );
                    ui.label(if r.met {
                        RichText::new(text)
                    } else {
                        RichText::new(text).color(super::theme::of(ui).concern).strong()
                    });
                }
                None => {
                    ui.label(RichText::new("No finding recorded yet").color(ui.visuals().warn_fg_color));
                }
            }
            let chosen = reviews.chosen.get(&a.id).copied().or(carried.review.as_ref().map(|r| r.met));
            let field = Field::Review { action: a.id.clone() };
            let recorded = carried.review.as_ref().map(|r| r.evidence.clone()).unwrap_or_default();
            let evidence = drafts.text(field.clone(), &recorded);
            ui.horizontal_wrapped(|ui| {
                if ui.radio(chosen == Some(true), "Met").clicked() {
                    reviews.chosen.insert(a.id.clone(), true);
                }
                if ui.radio(chosen == Some(false), "Not met").clicked() {
                    reviews.chosen.insert(a.id.clone(), false);
                }
                let l = ui.label("Evidence");
                ui.add(
                    egui::TextEdit::singleline(evidence).desired_width(420.0).hint_text("what shows it met or not met"),
                )
                .labelled_by(l.id);
                let why_not = allowed.review.as_ref().err().map_or("Choose Met or Not met first", String::as_str);
                let record = ui
                    .add_enabled(chosen.is_some() && allowed.review.is_ok(), egui::Button::new("Record the finding"))
                    .on_disabled_hover_text(why_not);
                if record.clicked()
                    && let Some(met) = chosen
                {
                    let edit = Edit::ReviewAction { id: a.id.clone(), met, evidence: evidence.clone() };
                    asked.push(Asked::Edit(edit, vec![field.clone()]));
                }
            });
        });
    }
}
