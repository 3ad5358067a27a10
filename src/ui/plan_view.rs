//! The plan view: cover, figures with the framework's thresholds, the
//! findings, every sheet as a sortable table that only lays out the rows on
//! screen, a finance chart and a narrative reader with search.

use super::state::{AppState, PlanTab};
use super::widgets;
use crate::plan::template::{Column as TemplateColumn, ColumnKind};
use crate::plan::{Finding, MetricKind, Plan, Severity, TemplateSheet, metrics::format_value};
use eframe::egui::{self, RichText, Ui};
use egui_extras::{Column, TableBuilder};

type Cell = fn(&Plan, usize, usize) -> String;

/// A sheet's table: its columns, row count, cell text and each row's workbook row.
type SheetTable = (Vec<&'static TemplateColumn>, usize, Cell, fn(&Plan, usize) -> u32);

/// The risk rating the window adds after impact: likelihood x impact.
const RISK_SCORE: TemplateColumn =
    TemplateColumn { header: "Score", aliases: &[], required: false, kind: ColumnKind::Number, short: "Score" };

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn money(v: Option<f64>) -> String {
    v.map(crate::plan::fmt_amount).unwrap_or_default()
}

fn num(v: Option<f64>) -> String {
    v.map(|n| if n.fract() == 0.0 { format!("{n:.0}") } else { format!("{n:.1}") }).unwrap_or_default()
}

fn table_of(sheet: TemplateSheet, plan: &Plan) -> Option<SheetTable> {
    let mut columns: Vec<&'static TemplateColumn> = sheet.columns().iter().collect();
    if sheet == TemplateSheet::Risks {
        columns.insert(5, &RISK_SCORE);
    }
    Some(match sheet {
        TemplateSheet::Customers => (
            columns,
            plan.customers.len(),
            |p, r, c| {
                let x = &p.customers[r];
                match c {
                    0 => x.ccg.clone(),
                    // Grouped in thousands, as the key figures are.
                    1 => x.population.map(|n| crate::plan::fmt_count(n as f64)).unwrap_or_default(),
                    2 => x.budget_per_head.map(|b| format!("£{b:.2}")).unwrap_or_default(),
                    3 => x.share_from_csu.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_default(),
                    4 => opt(&x.agreement),
                    5 => money(x.sla_value),
                    _ => opt(&x.break_clause_months),
                }
            },
            |p, r| p.customers[r].row,
        ),
        TemplateSheet::Services => (
            columns,
            plan.services.len(),
            |p, r, c| {
                let x = &p.services[r];
                match c {
                    0 => x.service.clone(),
                    1 => x.category.to_string(),
                    2 => opt(&x.delivery),
                    3 => opt(&x.partner),
                    4 => num(x.fte),
                    _ => money(x.annual_price),
                }
            },
            |p, r| p.services[r].row,
        ),
        TemplateSheet::Workforce => (
            columns,
            plan.workforce.len(),
            |p, r, c| {
                let x = &p.workforce[r];
                match c {
                    0 => x.function.clone(),
                    1 => opt(&x.band),
                    2 => num(x.headcount),
                    3 => num(x.fte),
                    4 => num(x.tupe_fte),
                    5 => num(x.vacancies_fte),
                    _ => num(x.agency_fte),
                }
            },
            |p, r| p.workforce[r].row,
        ),
        TemplateSheet::Leadership => (
            columns,
            plan.leadership.len(),
            |p, r, c| {
                let x = &p.leadership[r];
                match c {
                    0 => x.role.clone(),
                    1 => opt(&x.name),
                    2 => opt(&x.status),
                    3 => x.start_date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                    _ => opt(&x.background),
                }
            },
            |p, r| p.leadership[r].row,
        ),
        TemplateSheet::Risks => (
            columns,
            plan.risks.len(),
            |p, r, c| {
                let x = &p.risks[r];
                match c {
                    0 => opt(&x.id),
                    1 => x.risk.clone(),
                    2 => opt(&x.category),
                    3 => opt(&x.likelihood),
                    4 => opt(&x.impact),
                    5 => opt(&x.rating()),
                    6 => opt(&x.mitigation),
                    _ => opt(&x.owner),
                }
            },
            |p, r| p.risks[r].row,
        ),
        _ => return None,
    })
}

pub fn show(ui: &mut Ui, state: &mut AppState) {
    if state.session.is_none() {
        return;
    }
    // The overview takes at most half the window, so the sheet beside it
    // keeps room for its columns at 1366 wide; long figures wrap.
    let half = ui.available_width() * 0.5;
    egui::Panel::left("plan-side").resizable(true).default_size(half.min(560.0)).max_size(half).show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(s) = &state.session {
                cover_ui(ui, &s.plan);
            }
            ui.separator();
            metrics_ui(ui, state);
        });
    });
    let Some(session) = &state.session else { return };
    let plan = &session.plan;
    ui.horizontal_wrapped(|ui| {
        for tab in PlanTab::all() {
            let count = match tab {
                PlanTab::Findings => Some(plan.findings.len()),
                PlanTab::Sheet(sheet) => table_of(sheet, plan).map(|(_, rows, ..)| rows),
            };
            let label = match count {
                Some(n) => format!("{} ({n})", tab.label()),
                None => tab.label().to_string(),
            };
            if ui.selectable_label(state.plan_tab == tab, label).clicked() {
                state.plan_tab = tab;
                state.highlight_row = None;
            }
        }
    });
    ui.separator();
    shown_finding_ui(ui, state);
    // A sheet the workbook does not have says so where it is looked for.
    if let PlanTab::Sheet(sheet) = state.plan_tab
        && state.session.as_ref().is_some_and(|s| s.plan.absent.contains(&sheet))
    {
        let unknown = crate::plan::metrics::unknown_without(sheet);
        ui.label(if unknown.is_empty() {
            format!("The workbook has no {} sheet.", sheet.name())
        } else {
            format!(
                "The workbook has no {} sheet: {} are unknown, not zero.",
                sheet.name(),
                crate::assessment::rules::listed(&unknown)
            )
        });
        return;
    }
    match state.plan_tab {
        PlanTab::Findings => findings_ui(ui, state),
        PlanTab::Sheet(TemplateSheet::Finance) => finance_ui(ui, state),
        PlanTab::Sheet(TemplateSheet::Narrative) => narrative_ui(ui, state),
        PlanTab::Sheet(sheet) => sheet_ui(ui, state, sheet),
    }
}

/// The finding that opened this tab, above its data, so the assessor reads
/// what was found beside where: the row is highlighted below, and a finding
/// about a whole sheet (a missing one) says so here rather than leaving an
/// empty tab to explain itself.
fn shown_finding_ui(ui: &mut Ui, state: &mut AppState) {
    let Some(f) = &state.shown_finding else { return };
    if f.template.map(PlanTab::Sheet) != Some(state.plan_tab) {
        return;
    }
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(severity_text(ui, f.severity));
            ui.label(RichText::new(f.location()).strong());
            ui.label(&f.message);
            if let Some(value) = &f.value {
                ui.label(format!("The cell holds \u{201c}{value}\u{201d}."));
            }
            if let Some(cell) = f.cell {
                ui.label(RichText::new(format!("(row {} is highlighted below)", cell.row + 1)).weak());
            }
            close = ui.button("Close").on_hover_text("Stop showing this finding").clicked();
        });
    });
    if close {
        state.shown_finding = None;
    }
}

fn cover_ui(ui: &mut Ui, plan: &Plan) {
    let c = &plan.cover;
    super::widgets::heading(ui, if c.csu_name.is_empty() { "(no CSU name)" } else { &c.csu_name });
    egui::Grid::new("cover").num_columns(2).striped(true).show(ui, |ui| {
        let mut row = |label: &str, value: String| {
            ui.label(RichText::new(label).strong());
            ui.label(if value.is_empty() { "-".to_string() } else { value });
            ui.end_row();
        };
        row("Plan type", opt(&c.plan_type));
        row("Checkpoint", opt(&c.checkpoint));
        row("Submitted", c.submission_date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default());
        row("Version", opt(&c.plan_version));
        row("Region", opt(&c.region));
        row("Host cluster", opt(&c.host_cluster));
        row("Managing director", opt(&c.managing_director));
        row("Contact", opt(&c.contact_email));
        row("File", format!("{} ({})", plan.source.file_name, plan.source.format.label()));
    });
}

/// The key figures in words, each with the sheet it comes from (a click
/// opens it) and the framework's checks on it: marked where a check raises
/// a concern (▲) or counts as a strength (★), the rule that applies in full
/// on hover.
fn metrics_ui(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    let mut open = None;
    ui.label(RichText::new("Key figures").strong());
    ui.label(
        RichText::new("▲ a check in the criteria raises a concern on this figure · ★ a check counts it as a strength · hover a figure for the rule")
            .weak(),
    );
    let column = ((ui.available_width() - 110.0) / 2.0).max(120.0);
    egui::Grid::new("metrics").num_columns(3).striped(true).max_col_width(column).show(ui, |ui| {
        ui.strong("Figure");
        ui.strong("Value");
        ui.strong("From");
        ui.end_row();
        for info in crate::plan::METRICS {
            // The CCGs' figures are the interviews', on the CCG interviews page.
            if matches!(info.kind, MetricKind::MoneyPerYear | MetricKind::SharePerYear)
                || info.name == "years"
                || crate::plan::metrics::from_interviews(info.name)
            {
                continue;
            }
            let value = s
                .plan
                .metrics
                .get(info.name)
                .map_or_else(|| "not available".to_string(), |v| format_value(info.kind, v));
            let checks: Vec<&crate::scoring::CheckResult> =
                s.evaluation.checks.iter().filter(|k| k.metric == info.name).collect();
            let concern = checks.iter().any(|k| k.effect == crate::criteria::Effect::Concern && k.holds == Some(true));
            let strength =
                checks.iter().any(|k| k.effect == crate::criteria::Effect::Strength && k.holds == Some(true));
            let mut words = info.description.to_string();
            if let Some(first) = words.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            ui.add(egui::Label::new(words).wrap()).on_hover_text(format!("`{}` in the criteria files", info.name));
            let (mark, colour) = match (concern, strength) {
                (true, _) => ("▲ ", Some(super::theme::of(ui).concern)),
                (false, true) => ("★ ", Some(super::theme::of(ui).good)),
                _ => ("", None),
            };
            let shown = RichText::new(format!("{mark}{value}")).strong();
            let shown = match colour {
                Some(c) => shown.color(c),
                None => shown,
            };
            let rules: Vec<String> = checks
                .iter()
                .map(|k| {
                    let state = match (k.effect, k.holds) {
                        (crate::criteria::Effect::Concern, Some(true)) => "raises a concern",
                        (crate::criteria::Effect::Strength, Some(true)) => "counts as a strength",
                        // A concern whose condition does not hold is a check passed.
                        (crate::criteria::Effect::Concern, Some(false)) => "passes",
                        (crate::criteria::Effect::Strength, Some(false)) => "not reached",
                        (_, None) => "cannot be checked",
                    };
                    format!("{} ({state}): {}", k.criterion, k.explanation)
                })
                .collect();
            let value_label = ui.add(egui::Label::new(shown).wrap());
            // The mark is drawn; a screen reader hears what it means.
            let spoken = match (concern, strength) {
                (true, _) => format!("{value}, raises a concern"),
                (false, true) => format!("{value}, counts as a strength"),
                _ => value.clone(),
            };
            value_label.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken));
            if !rules.is_empty() {
                value_label.on_hover_text(rules.join("\n"));
            }
            let (sheet, rows) = crate::plan::metrics::source(&s.plan, info.name);
            let place = match rows {
                // In words: "Customers!4:15" was spreadsheet notation.
                Some((first, last)) if first == last => format!("{}, row {}", sheet.name(), first + 1),
                Some((first, last)) => format!("{}, rows {}-{}", sheet.name(), first + 1, last + 1),
                None => sheet.name().to_string(),
            };
            if ui.link(&place).on_hover_text(format!("Show {place}")).clicked() {
                open = Some((PlanTab::Sheet(sheet), rows.map(|(first, _)| first)));
            }
            ui.end_row();
        }
    });
    if let Some((tab, first)) = open {
        state.plan_tab = tab;
        state.highlight_row = first;
    }
}

fn severity_text(ui: &Ui, severity: Severity) -> RichText {
    let palette = super::theme::of(ui);
    match severity {
        Severity::Error => RichText::new("error").color(palette.concern).strong(),
        Severity::Warning => RichText::new("warning").color(palette.caution),
        Severity::Note => RichText::new("note").weak(),
    }
}

/// Findings; choosing one shows the sheet and row it refers to.
fn findings_ui(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    let findings: Vec<Finding> = s.plan.findings.clone();
    if findings.is_empty() {
        ui.label("No findings: every sheet read cleanly.");
        return;
    }
    let mut chosen = None;
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(130.0))
        .column(Column::remainder())
        .header(22.0, |mut h| {
            for t in ["Severity", "Where", "Finding"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, findings.len(), |mut row| {
                let f = &findings[row.index()];
                row.col(|ui| {
                    ui.label(severity_text(ui, f.severity));
                });
                row.col(|ui| {
                    if ui.link(f.location()).on_hover_text("Show the data this refers to").clicked() {
                        chosen = Some(f.clone());
                    }
                });
                row.col(|ui| {
                    ui.label(&f.message);
                });
            });
        });
    if let Some(f) = chosen
        && let Some(sheet) = f.template.filter(|s| TemplateSheet::DATA.contains(s))
    {
        state.plan_tab = PlanTab::Sheet(sheet);
        state.highlight_row = f.cell.map(|c| c.row);
        state.shown_finding = Some(f);
    }
}

fn sheet_ui(ui: &mut Ui, state: &mut AppState, sheet: TemplateSheet) {
    let Some(s) = &state.session else { return };
    let plan = &s.plan;
    let tab = PlanTab::Sheet(sheet);
    let Some((columns, rows, cell, row_of)) = table_of(sheet, plan) else { return };
    if rows == 0 {
        ui.label(format!("The plan has no {} rows.", tab.label().to_lowercase()));
        return;
    }
    let key = (tab, state.sort, plan.source.fingerprint.clone());
    let order = match &state.sort_cache {
        Some(cache) if cache.key == key => cache.order.clone(),
        _ => {
            let order = std::rc::Rc::new(widgets::sorted_order(state.sort, tab, rows, |r, c| cell(plan, r, c)));
            state.sort_cache = Some(super::state::SortCache { key, order: order.clone() });
            order
        }
    };
    let highlight = state.highlight_row;
    let target = highlight.and_then(|h| order.iter().position(|&r| row_of(plan, r) == h));
    let mut clicked_header = None;
    // Each column as wide as its longest text (header or one of the first
    // rows) up to a limit, the last taking what is left of the window; a
    // text wider still shows whole on hover.
    let glyph = ui.text_style_height(&egui::TextStyle::Body) * 0.55;
    let widths: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let longest = order.iter().take(200).map(|&r| cell(plan, r, c).chars().count()).max().unwrap_or(0);
            ((longest.max(column.short.chars().count() + 2) as f32) * glyph + 16.0).clamp(48.0, 420.0)
        })
        .collect();
    // Wider than the window (Risks and Customers at 1366), the table
    // scrolls sideways rather than cutting its last columns off.
    // Its bar always shown, solid: one that appears only on hover hides
    // that there is more to the right, and covered the last row.
    ui.style_mut().spacing.scroll = egui::style::ScrollStyle::solid();
    egui::ScrollArea::horizontal()
        .id_salt(("sheet-across", tab.label()))
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            let mut builder = TableBuilder::new(ui).striped(true).sense(egui::Sense::click());
            for (i, w) in widths.iter().enumerate() {
                builder = builder.column(if i + 1 == widths.len() {
                    Column::remainder().at_least(*w).clip(true)
                } else {
                    Column::initial(*w).at_least(40.0).resizable(true).clip(true)
                });
            }
            if let Some(t) = target {
                builder = builder.scroll_to_row(t, Some(egui::Align::Center));
            } else if std::mem::take(&mut state.scroll_to_top) {
                builder = builder.scroll_to_row(0, Some(egui::Align::TOP));
            }
            builder
                .header(24.0, |mut h| {
                    for (i, column) in columns.iter().enumerate() {
                        h.col(|ui| {
                            let arrow = match state.sort {
                                Some((t, c, asc)) if t == tab && c == i => {
                                    if asc {
                                        " ▲"
                                    } else {
                                        " ▼"
                                    }
                                }
                                _ => "",
                            };
                            let hover = format!("{}: sort by this column", column.header);
                            if ui.button(format!("{}{arrow}", column.short)).on_hover_text(hover).clicked() {
                                clicked_header = Some(i);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, rows, |mut row| {
                        let r = order[row.index()];
                        row.set_selected(highlight.is_some_and(|h| row_of(plan, r) == h));
                        for (c, column) in columns.iter().enumerate() {
                            row.col(|ui| {
                                // One line a row, so 10,000 rows scroll at a fixed
                                // height; the whole text is on hover. Figures line
                                // up on the right, as in the workbook.
                                let text = cell(plan, r, c);
                                let label = egui::Label::new(&text).truncate();
                                if column.kind.is_figure() {
                                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                        ui.add(label)
                                    })
                                    .inner
                                    .on_hover_text(text);
                                } else {
                                    ui.add(label).on_hover_text(text);
                                }
                            });
                        }
                    });
                });
        });
    if let Some(i) = clicked_header {
        state.sort = match state.sort {
            Some((t, c, asc)) if t == tab && c == i => Some((tab, i, !asc)),
            _ => Some((tab, i, true)),
        };
        // A new order is read from its first row.
        state.scroll_to_top = true;
        state.highlight_row = None;
    }
}

fn finance_ui(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    let f = &s.plan.finance;
    if f.years.is_empty() {
        ui.label("The plan has no finance figures.");
        return;
    }
    egui::Grid::new("finance").striped(true).show(ui, |ui| {
        ui.strong("Line");
        for y in &f.years {
            ui.strong(y);
        }
        ui.end_row();
        for line in &f.lines {
            ui.label(line.line.to_string());
            for v in &line.values {
                ui.label(money(*v));
            }
            ui.end_row();
        }
    });
    ui.separator();
    let series = |name: &str| match s.plan.metrics.get(name) {
        Some(crate::plan::MetricValue::PerYear(v)) => v.clone(),
        _ => Vec::new(),
    };
    let (income, costs) = (series("income_total"), series("cost_total"));
    ui.label(RichText::new("Income against costs by year (£m)").strong());
    let bars = |values: &[Option<f64>], offset: f64, name: &str, colour: egui::Color32| {
        egui_plot::BarChart::new(
            name,
            values
                .iter()
                .enumerate()
                .map(|(i, v)| egui_plot::Bar::new(i as f64 + offset, v.unwrap_or(0.0) / 1e6).width(0.35))
                .collect(),
        )
        .color(colour)
    };
    let palette = super::theme::of(ui);
    let (blue, red) = (palette.accent, palette.concern);
    // The key sits above the chart: a legend drawn inside it covers the
    // last year's bars.
    ui.horizontal(|ui| {
        ui.label(RichText::new("■ Income").color(blue));
        ui.label(RichText::new("■ Costs").color(red));
    });
    let years = f.years.clone();
    super::widgets::still_plot("finance-chart")
        .height(260.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 0.01 && i >= 0.0 {
                years.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(bars(&income, -0.18, "Income", blue));
            plot.bar_chart(bars(&costs, 0.18, "Costs", red));
        });
}

fn narrative_ui(ui: &mut Ui, state: &mut AppState) {
    ui.horizontal(|ui| {
        let label = ui.label("Search the narrative");
        ui.text_edit_singleline(&mut state.narrative_search).labelled_by(label.id);
    });
    let Some(s) = &state.session else { return };
    let needle = state.narrative_search.trim().to_lowercase();
    let total: usize = if needle.is_empty() {
        0
    } else {
        s.plan.narrative.iter().map(|n| n.response.to_lowercase().matches(&needle).count()).sum()
    };
    if !needle.is_empty() {
        ui.label(format!("{total} match(es)"));
    }
    let reveal = state.highlight_row.filter(|row| state.narrative_revealed != Some(*row));
    egui::ScrollArea::vertical().show(ui, |ui| {
        for section in &s.plan.narrative {
            let hits = if needle.is_empty() { 0 } else { section.response.to_lowercase().matches(&needle).count() };
            if !needle.is_empty() && hits == 0 {
                continue;
            }
            let unanswered = section.response.trim().is_empty();
            let chosen = state.highlight_row == Some(section.row);
            let mut title = RichText::new(format!(
                "{}{}{}",
                section.heading,
                if hits > 0 { format!(" ({hits})") } else { String::new() },
                if unanswered { "  ▲ not answered" } else { "" }
            ));
            if unanswered {
                title = title.color(ui.visuals().warn_fg_color);
            }
            if chosen {
                title = title.strong().background_color(ui.visuals().selection.bg_fill);
            }
            let response = egui::CollapsingHeader::new(title)
                .id_salt(("narrative", section.row))
                .default_open(!needle.is_empty())
                .open((reveal == Some(section.row)).then_some(true))
                .show(ui, |ui| {
                    if unanswered {
                        ui.label(RichText::new("Not answered").italics());
                    } else {
                        ui.label(widgets::highlighted(ui, &section.response, &needle));
                    }
                });
            if reveal == Some(section.row) {
                response.header_response.scroll_to_me(Some(egui::Align::Center));
            }
        }
    });
    if let Some(row) = reveal {
        state.narrative_revealed = Some(row);
    }
}
