//! The CCG interviews page: the plan's CCGs with where each stands, the
//! form for one interview, the CCGs' figures and what they contradict.
//!
//! The form's text boxes are drafts (`drafts.rs`), kept through a change of
//! CCG or page, a save, a close or a crash, as the evidence box is; the
//! answers chosen wait in the page's forms. Recording goes through the
//! library like every edit, so its rules and its check of each answer are
//! the ones the command line meets.

use super::Command;
use super::drafts::{Field, InterviewPart};
use super::forms::Chosen;
use super::state::AppState;
use crate::assessment::Edit;
use crate::assessment::rules::Act;
use crate::ccg::{self, Account, Affordable, Answers, Choice, Confidence, How, Intent, Share, Sla};
use crate::plan::{ServiceCategory, Severity};
use eframe::egui::{self, RichText, Ui};

/// What the record holds for a box of the form.
pub fn recorded(account: &Account, part: InterviewPart) -> String {
    match part {
        InterviewPart::Interviewee => account.interviewee.clone(),
        InterviewPart::Role => account.interviewee_role.clone(),
        InterviewPart::HeldOn => account.held_on.format("%Y-%m-%d").to_string(),
        InterviewPart::SetAside => account.set_aside.map(|p| format!("{p:.2}")).unwrap_or_default(),
        InterviewPart::Notes => account.notes.clone(),
    }
}

/// A row of radio buttons for one question; `None` until one is chosen.
fn choice<C: Choice>(ui: &mut Ui, label: &str, value: &mut Option<C>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).strong());
        for c in C::ALL {
            if ui.radio(*value == Some(*c), c.label()).clicked() {
                *value = Some(*c);
            }
        }
    });
}

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let me = state.acting();
    let Some(s) = &state.session else { return };
    let mut statuses = ccg::statuses(&s.plan, &s.view.assessment);
    // CCGs the panel adds, listed here until their interview is recorded.
    let forms = &mut state.interviews;
    forms.added.retain(|name| !statuses.iter().any(|st| ccg::key(&st.ccg) == ccg::key(name)));
    statuses.extend(forms.added.iter().map(|name| ccg::Status {
        ccg: name.clone(),
        population: None,
        in_plan: false,
        interview: None,
        conflicted: false,
    }));
    let allowed = s.record().may(&me, Act::Interview).map_err(|r| r.to_string());
    let drafts = &mut state.drafts;
    let mut asked: Option<(Edit, Vec<Field>)> = None;
    let mut problem = None;
    super::widgets::heading(ui, "CCG interviews");
    let held = statuses.iter().filter(|st| st.in_plan && st.interview.is_some()).count();
    ui.label(format!(
        "{held} of the plan's {} CCGs interviewed. What each CCG says is evidence: every member sees it.",
        s.plan.customers.len()
    ));
    let sentences = ccg::figures::sentences(&s.plan, &s.view.assessment);
    if sentences.is_empty() {
        ui.label(
            RichText::new("The CCGs' figures are not known until every CCG the plan lists is interviewed.")
                .color(ui.visuals().warn_fg_color),
        );
    } else {
        for line in sentences {
            ui.label(format!("• {}", crate::assessment::rules::capitalised(&line)));
        }
    }
    // A built-in example's CCGs have fictional interviews to try the page
    // with; recorded only when asked, as the one exploring it.
    let mut example_asked = false;
    if held == 0
        && let Some(example) = crate::examples::of_plan(&s.plan)
    {
        example_asked = ui
            .add_enabled(allowed.is_ok(), egui::Button::new("Record the example's interviews (fictional)"))
            .on_hover_text(format!(
                "Records {} interviews as you, each marked fictional in its notes",
                example.interviews().len()
            ))
            .clicked();
    }
    ui.separator();
    if statuses.is_empty() {
        ui.label("The plan lists no CCGs.");
        return;
    }
    forms.selected = forms.selected.min(statuses.len() - 1);
    ui.columns(2, |cols| {
        egui::ScrollArea::vertical().id_salt("ccg-list").show(&mut cols[0], |ui| {
            for (i, st) in statuses.iter().enumerate() {
                let status = match st.interview {
                    Some(iv) => format!("interviewed {} by {}", iv.account.held_on.format("%-d %b %Y"), iv.by),
                    None if st.conflicted => "two accounts differ (merged copies): record it again".to_string(),
                    None => "not yet interviewed".to_string(),
                };
                let added = if st.in_plan { "" } else { " (added by the panel)" };
                let text = format!("{}{added}: {status}", st.ccg);
                if ui.selectable_label(forms.selected == i, text).clicked() {
                    forms.selected = i;
                }
            }
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("A CCG the plan does not list");
                ui.add(egui::TextEdit::singleline(&mut forms.adding).desired_width(200.0)).labelled_by(l.id);
                if ui.add_enabled(!forms.adding.trim().is_empty(), egui::Button::new("Add it to the list")).clicked() {
                    forms.added.push(forms.adding.trim().to_string());
                    forms.adding.clear();
                    forms.selected = statuses.len();
                }
            });
            let contradictions = ccg::contradictions::find(&s.plan, &s.view.assessment);
            if contradictions.iter().any(|c| c.is_claim()) {
                ui.add_space(8.0);
                ui.label(RichText::new("What the CCGs said against the plan").strong());
                for c in contradictions {
                    let colour = match c.finding.severity {
                        Severity::Error => ui.visuals().error_fg_color,
                        _ => ui.visuals().warn_fg_color,
                    };
                    // A CCG not yet heard is already said in the list above.
                    if c.is_claim() {
                        ui.label(RichText::new(format!("{}; {}", c.finding, c.interview)).color(colour));
                    }
                }
            }
        });
        let ui = &mut cols[1];
        let st = &statuses[forms.selected.min(statuses.len() - 1)];
        let name = st.ccg.clone();
        egui::ScrollArea::vertical().id_salt("ccg-form").show(ui, |ui| {
            ui.label(RichText::new(format!("Interview with {name}")).heading());
            if let Some(iv) = st.interview {
                ui.label(RichText::new(iv.account.summary()).weak());
            }
            // Keyed by the interview on the record too, so an interview
            // recorded since (here, or merged in) shows its own answers.
            let recorded_at = st.interview.map(|iv| iv.recorded_at.as_str()).unwrap_or_default();
            let chosen = forms
                .chosen
                .entry(format!("{name}\n{recorded_at}"))
                .or_insert_with(|| st.interview.map(|iv| Chosen::from(&iv.account)).unwrap_or_default());
            let field = |part| Field::Interview { ccg: name.clone(), part };
            let recorded_of = |part| st.interview.map(|iv| recorded(&iv.account, part)).unwrap_or_default();
            for (part, label, hint) in [
                (InterviewPart::Interviewee, "Interviewee", "name of the person interviewed"),
                (InterviewPart::Role, "Their role", "such as Chief Officer"),
                (InterviewPart::HeldOn, "Held on", "2012-09-14"),
            ] {
                ui.horizontal(|ui| {
                    let l = ui.label(label);
                    let text = drafts.text(field(part), &recorded_of(part));
                    ui.add(egui::TextEdit::singleline(text).desired_width(260.0).hint_text(hint)).labelled_by(l.id);
                });
            }
            choice::<How>(ui, "How", &mut chosen.how);
            choice::<Sla>(ui, "The SLA, as the CCG states it", &mut chosen.sla);
            choice::<Share>(ui, "Support expected from this CSU", &mut chosen.share);
            choice::<Affordable>(ui, "Affordable within its allowance", &mut chosen.affordable);
            ui.horizontal(|ui| {
                let l = ui.label("Set aside a head (£)");
                let text = drafts.text(field(InterviewPart::SetAside), &recorded_of(InterviewPart::SetAside));
                ui.add(egui::TextEdit::singleline(text).desired_width(80.0).hint_text("11.52")).labelled_by(l.id);
            });
            choice::<Confidence>(ui, "Confidence in a constructive relationship", &mut chosen.confidence);
            ui.checkbox(&mut chosen.met_leader, "Has met the CSU's leader");
            choice::<Intent>(ui, "After April 2013", &mut chosen.after_april_2013);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Scale services it means to buy").strong());
                for c in ServiceCategory::SCALE {
                    let mut on = chosen.services.contains(&c);
                    if ui.checkbox(&mut on, c.to_string()).changed() {
                        if on {
                            chosen.services.push(c);
                        } else {
                            chosen.services.retain(|x| *x != c);
                        }
                    }
                }
            });
            let l = ui.label("Notes");
            let notes = drafts.text(field(InterviewPart::Notes), &recorded_of(InterviewPart::Notes));
            ui.add(egui::TextEdit::multiline(notes).desired_rows(4).desired_width(f32::INFINITY)).labelled_by(l.id);
            let unanswered: Vec<&str> = [
                ("how", chosen.how.is_none()),
                ("the SLA", chosen.sla.is_none()),
                ("the support expected", chosen.share.is_none()),
                ("affordable", chosen.affordable.is_none()),
                ("confidence", chosen.confidence.is_none()),
                ("after April 2013", chosen.after_april_2013.is_none()),
            ]
            .into_iter()
            .filter_map(|(q, missing)| missing.then_some(q))
            .collect();
            let why_not = match (&allowed, unanswered.is_empty()) {
                (Err(why), _) => Some(why.clone()),
                (Ok(()), false) => {
                    Some(format!("Choose an answer for {} first", crate::assessment::rules::listed(&unanswered)))
                }
                (Ok(()), true) => None,
            };
            let button = if st.interview.is_some() { "Record the corrected interview" } else { "Record the interview" };
            let clicked = ui
                .add_enabled(why_not.is_none(), egui::Button::new(button))
                .on_disabled_hover_text(why_not.clone().unwrap_or_default())
                .clicked();
            if let Some(why) = &why_not {
                ui.label(RichText::new(why).weak());
            }
            if clicked {
                let mut typed = |part| drafts.text(field(part), &recorded_of(part)).trim().to_string();
                match ccg::set_aside_pence(&typed(InterviewPart::SetAside)) {
                    Err(e) => problem = Some(e.to_string()),
                    Ok(set_aside_pence) => {
                        let answers = Answers {
                            ccg: name.clone(),
                            interviewee: typed(InterviewPart::Interviewee),
                            interviewee_role: typed(InterviewPart::Role),
                            held_on: typed(InterviewPart::HeldOn),
                            how: chosen.how.map(|c| c.code().to_string()).unwrap_or_default(),
                            sla: chosen.sla.map(|c| c.code().to_string()).unwrap_or_default(),
                            share: chosen.share.map(|c| c.code().to_string()).unwrap_or_default(),
                            affordable: chosen.affordable.map(|c| c.code().to_string()).unwrap_or_default(),
                            set_aside_pence,
                            confidence: chosen.confidence.map(|c| c.code().to_string()).unwrap_or_default(),
                            met_leader: chosen.met_leader,
                            after_april_2013: chosen.after_april_2013.map(|c| c.code().to_string()).unwrap_or_default(),
                            services: chosen.services.iter().map(|c| ccg::service_code(*c)).collect(),
                            notes: typed(InterviewPart::Notes),
                        };
                        let fields = [
                            InterviewPart::Interviewee,
                            InterviewPart::Role,
                            InterviewPart::HeldOn,
                            InterviewPart::SetAside,
                            InterviewPart::Notes,
                        ]
                        .map(field)
                        .to_vec();
                        asked = Some((Edit::CcgInterview(Box::new(answers)), fields));
                    }
                }
            }
        });
    });
    if let Some(p) = problem {
        state.error(p);
    }
    if example_asked {
        let example = state.session.as_ref().and_then(|s| crate::examples::of_plan(&s.plan));
        for answers in example.map(|e| e.interviews()).unwrap_or_default() {
            state.push(Command::record(Edit::CcgInterview(Box::new(answers))));
        }
    }
    if let Some((edit, typed)) = asked {
        state.push(Command::Record { edit, typed });
    }
}
