//! The portfolio: every CSU of a folder side by side, in tabs so that each
//! fits a 1366 x 768 laptop: the table of rows (every [`Column`], sorted by
//! a heading, filtered) with the files that could not be read; charts
//! across the CSUs; how alike the assessors score, raw beside adjusted, with
//! the method in words and who has calibrated; every declared interest. The
//! exports write what the library makes.
//!
//! A thin layer over [`crate::portfolio`]: the rows, columns, filter, sort
//! and figures are the library's, read on another thread
//! ([`super::jobs::read_folder`]); this page only lays them out.

use super::forms::{PortfolioPage, Tab};
use super::state::{AppState, DialogPurpose, Job, PortfolioExport};
use crate::portfolio::consistency;
use crate::portfolio::{Column, Filter, Portfolio, Row, Value};
use eframe::egui::{self, Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Corner, HoverPosition, Legend, Line, Points, Span, VLine};
use std::path::{Path, PathBuf};

/// What CCGs set aside a head for commissioning support: the range and the
/// mean the plan-workbook spec and the frameworks' guidance give, drawn
/// behind the price chart so each CSU's price is read against them.
const CCG_BUDGET_LOWEST: f64 = 3.0;
const CCG_BUDGET_HIGHEST: f64 = 25.0;
const CCG_BUDGET_MEAN: f64 = 11.52;

/// Room kept right of a figure, so its last digit is never cut by the
/// column's edge.
const FIGURE_MARGIN: f32 = 6.0;

/// The price chart's series of CSUs, named so a hovered point can be told
/// from the lines around it.
const CSU_POINTS: &str = "CSUs";

/// What the page asks of the window once drawn.
enum Asked {
    OpenFolder,
    ReadAgain(PathBuf),
    Export(PortfolioExport),
    Open(PathBuf),
}

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let reading = state.jobs.iter().find_map(|j| match j {
        Job::Portfolio { folder, .. } => Some(folder.clone()),
        _ => None,
    });
    let mut asked = None;
    match &mut state.portfolio {
        None => nothing_open_ui(ui, reading.as_deref(), &mut asked),
        Some(page) => page_ui(ui, page, reading.as_deref(), &mut asked),
    }
    match asked {
        Some(Asked::OpenFolder) => state.open_dialog(DialogPurpose::OpenFolder),
        Some(Asked::ReadAgain(folder)) => state.open_folder(&folder),
        Some(Asked::Export(kind)) => state.open_dialog(DialogPurpose::ExportPortfolio(kind)),
        Some(Asked::Open(file)) => state.open(&file),
        None => {}
    }
}

fn nothing_open_ui(ui: &mut Ui, reading: Option<&Path>, asked: &mut Option<Asked>) {
    super::widgets::heading(ui, "The national picture");
    if let Some(folder) = reading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Reading every plan and assessment in {}…", folder.display()));
        });
        return;
    }
    ui.label("Open a folder of plans and assessments to see every CSU of a round side by side: figures, scores, outcomes and how far each assessment has got, with charts, how alike the assessors score, and every declared interest.");
    if ui
        .button(super::commands::Action::OpenFolder.label())
        .on_hover_text(super::commands::Action::OpenFolder.tooltip())
        .clicked()
    {
        *asked = Some(Asked::OpenFolder);
    }
}

fn page_ui(ui: &mut Ui, page: &mut PortfolioPage, reading: Option<&Path>, asked: &mut Option<Asked>) {
    egui::Panel::top("portfolio-header").show(ui, |ui| {
        header_ui(ui, page, reading, asked);
    });
    if page.tab == Tab::Csus && !page.portfolio.unreadable.is_empty() {
        egui::Panel::bottom("portfolio-unreadable").resizable(true).default_size(110.0).show(ui, |ui| {
            unreadable_ui(ui, &page.portfolio);
        });
    }
    match page.tab {
        Tab::Csus => {
            let columns: Vec<Column> = Column::ALL.into_iter().filter(|c| !Column::CCG_FIGURES.contains(c)).collect();
            rows_ui(ui, page, asked, &columns);
        }
        Tab::Charts => charts_ui(ui, page),
        Tab::Assessors => assessors_ui(ui, page),
        Tab::Interests => interests_ui(ui, page),
        Tab::Ccgs => {
            egui::Panel::bottom("portfolio-ccg-national").resizable(true).default_size(360.0).show(ui, |ui| {
                ccgs_ui(ui, page);
            });
            let columns =
                [[Column::Csu, Column::Checkpoint].as_slice(), &Column::CCG_FIGURES, &[Column::Outcome]].concat();
            rows_ui(ui, page, asked, &columns);
        }
    }
}

fn header_ui(ui: &mut Ui, page: &mut PortfolioPage, reading: Option<&Path>, asked: &mut Option<Asked>) {
    let p = &page.portfolio;
    ui.horizontal_wrapped(|ui| {
        let name =
            page.folder.file_name().map_or_else(|| page.folder.display().to_string(), |n| n.to_string_lossy().into());
        super::widgets::heading(ui, format!("Portfolio of {name}")).on_hover_text(page.folder.display().to_string());
        if ui.button("Open another folder…").on_hover_text(super::commands::Action::OpenFolder.tooltip()).clicked() {
            *asked = Some(Asked::OpenFolder);
        }
        if ui
            .add_enabled(reading.is_none(), egui::Button::new("Read the folder again"))
            .on_hover_text("Takes in what the panels have saved since")
            .clicked()
        {
            *asked = Some(Asked::ReadAgain(page.folder.clone()));
        }
        ui.separator();
        for kind in PortfolioExport::ALL {
            if ui.button(kind.label()).on_hover_text(kind.tooltip()).clicked() {
                *asked = Some(Asked::Export(kind));
            }
        }
        if let Some(folder) = reading {
            ui.spinner();
            ui.label(if folder == page.folder {
                "Reading the folder again…".to_string()
            } else {
                format!("Reading {}…", folder.display())
            });
        }
    });
    let not_started = p.rows.iter().filter(|r| r.assessment_file.is_none()).count();
    let mut counts = format!(
        "{} CSU rows: {} assessed, {not_started} not started · {} calibration(s)",
        p.rows.len(),
        p.rows.len() - not_started,
        p.calibrations.len()
    );
    if !p.unreadable.is_empty() {
        counts += &format!(" · {} file(s) could not be read: listed under the CSUs table", p.unreadable.len());
    }
    let colour = if p.unreadable.is_empty() { ui.visuals().text_color() } else { ui.visuals().warn_fg_color };
    ui.label(RichText::new(counts).color(colour));
    ui.horizontal(|ui| {
        for (tab, label) in [
            (Tab::Csus, "CSUs".to_string()),
            (Tab::Charts, "Charts".to_string()),
            (Tab::Assessors, "Assessors".to_string()),
            (Tab::Interests, format!("Declared interests ({})", page.declarations.len())),
            (Tab::Ccgs, "CCGs' answers".to_string()),
        ] {
            if ui.selectable_label(page.tab == tab, label).clicked() {
                page.tab = tab;
            }
        }
    });
    if matches!(page.tab, Tab::Csus | Tab::Charts | Tab::Ccgs) {
        filters_ui(ui, page);
    }
    ui.add_space(2.0);
}

/// The filters, which the table and the charts both follow.
fn filters_ui(ui: &mut Ui, page: &mut PortfolioPage) {
    let mut regions: Vec<String> = page.portfolio.rows.iter().filter_map(|r| r.region.clone()).collect();
    regions.sort();
    regions.dedup();
    let mut checkpoints: Vec<u8> = page.portfolio.rows.iter().filter_map(|r| r.checkpoint).collect();
    checkpoints.sort_unstable();
    checkpoints.dedup();
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Region");
        egui::ComboBox::from_id_salt("portfolio-region")
            .selected_text(page.region.as_deref().unwrap_or("Every region"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut page.region, None, "Every region");
                for r in regions {
                    ui.selectable_value(&mut page.region, Some(r.clone()), r);
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Checkpoint");
        egui::ComboBox::from_id_salt("portfolio-checkpoint")
            .selected_text(page.checkpoint.map_or_else(|| "Every checkpoint".to_string(), |c| c.to_string()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut page.checkpoint, None, "Every checkpoint");
                for c in checkpoints {
                    ui.selectable_value(&mut page.checkpoint, Some(c), format!("Checkpoint {c}"));
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Outcome");
        ui.add(egui::TextEdit::singleline(&mut page.outcome).desired_width(150.0).hint_text("part of it"))
            .labelled_by(l.id)
            .on_hover_text("Only CSUs whose outcome contains this (Authorised, Proceed, Not…)");
        let l = ui.label("CSU name");
        ui.add(egui::TextEdit::singleline(&mut page.search).desired_width(170.0).hint_text("part of a name"))
            .labelled_by(l.id);
        let filter = page.filter();
        if ui.add_enabled(filter != Filter::default(), egui::Button::new("Clear filters")).clicked() {
            page.region = None;
            page.checkpoint = None;
            page.outcome.clear();
            page.search.clear();
        }
        let shown = page.portfolio.rows.iter().filter(|r| filter.admits(r)).count();
        ui.label(RichText::new(format!("{shown} of {} shown", page.portfolio.rows.len())).weak());
    });
}

/// The rows: every column of the library's, a heading sorts by it (again,
/// the other way); a CSU's name opens its assessment, or its plan.
fn rows_ui(ui: &mut Ui, page: &mut PortfolioPage, asked: &mut Option<Asked>, columns: &[Column]) {
    let rows = page.portfolio.view(&page.filter(), page.sort);
    if rows.is_empty() {
        ui.label(if page.portfolio.rows.is_empty() {
            "No plan was found in this folder or the folders inside it."
        } else {
            "No CSU matches the filters."
        });
        return;
    }
    let widths = column_widths(ui, &rows, columns);
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let mut builder = egui_extras::TableBuilder::new(ui)
        .id_salt("portfolio-rows")
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for w in &widths {
        builder = builder.column(egui_extras::Column::exact(*w).clip(true));
    }
    let mut clicked = None;
    builder
        .header(3.0 * line + 10.0, |mut h| {
            for &column in columns {
                h.col(|ui| {
                    let arrow = match page.sort {
                        Some((c, true)) if c == column => " ▲",
                        Some((c, false)) if c == column => " ▼",
                        _ => "",
                    };
                    let heading = egui::Button::new(format!("{}{arrow}", column.heading())).wrap();
                    let hover = format!("Sort by {}; again, the other way", column.heading().to_lowercase());
                    if ui.add(heading).on_hover_text(hover).clicked() {
                        clicked = Some(column);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut table_row| {
                let row = rows[table_row.index()];
                for &column in columns {
                    table_row.col(|ui| cell_ui(ui, column, row, asked));
                }
            });
        });
    if let Some(column) = clicked {
        page.sort = match page.sort {
            Some((c, ascending)) if c == column => Some((column, !ascending)),
            _ => Some((column, true)),
        };
    }
}

/// Each column as wide as its widest text, and never narrower than the
/// longest word of its heading (headings wrap onto three lines, a sort
/// arrow onto the next); where that is wider than the window, the columns
/// with room to give are narrowed in proportion, their text cut short with
/// the whole of it on hover, except the CSU's name, which keeps room for a
/// name of some thirty letters. So every column stays on a 1366-wide screen.
fn column_widths(ui: &Ui, rows: &[&Row], columns: &[Column]) -> Vec<f32> {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let measure =
        |text: &str| ui.painter().layout_no_wrap(text.to_string(), font.clone(), Color32::PLACEHOLDER).size().x;
    let padding = 2.0 * ui.spacing().button_padding.x + 2.0;
    let name = measure("Capital Commissioning Support");
    let (natural, least): (Vec<f32>, Vec<f32>) = columns
        .iter()
        .map(|c| {
            let word = three_lines(c.heading(), measure) + padding;
            let cells = rows.iter().take(200).map(|r| measure(&c.value(r).shown())).fold(0.0, f32::max) + FIGURE_MARGIN;
            let natural = cells.max(word);
            (natural, if *c == Column::Csu { natural.min(name) } else { word })
        })
        .unzip();
    let room = ui.available_width() - ui.spacing().item_spacing.x * columns.len() as f32;
    let excess = natural.iter().sum::<f32>() - room;
    let slack: f32 = natural.iter().zip(&least).map(|(n, l)| n - l).sum();
    if excess <= 0.0 || slack <= 0.0 {
        return natural;
    }
    let share = (excess / slack).min(1.0);
    natural.iter().zip(&least).map(|(n, l)| n - (n - l) * share).collect()
}

/// The narrowest width at which a heading wraps onto three lines at most.
fn three_lines(heading: &str, measure: impl Fn(&str) -> f32) -> f32 {
    let words: Vec<f32> = heading.split(' ').map(&measure).collect();
    let space = measure(" ");
    let lines = |width: f32| {
        let (mut count, mut line) = (1, 0.0);
        for w in &words {
            if line > 0.0 && line + space + w > width {
                count += 1;
                line = *w;
            } else {
                line += if line > 0.0 { space + w } else { *w };
            }
        }
        count
    };
    let mut width = words.iter().copied().fold(0.0, f32::max);
    while lines(width) > 3 {
        width += 2.0;
    }
    width
}

fn cell_ui(ui: &mut Ui, column: Column, row: &Row, asked: &mut Option<Asked>) {
    let value = column.value(row);
    let text = value.shown();
    if column == Column::Csu {
        let file = row.assessment_file.clone().unwrap_or_else(|| row.plan_file.clone());
        let what = if row.assessment_file.is_some() { "assessment" } else { "plan (no assessment yet)" };
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        if ui.link(&text).on_hover_text(format!("{text}\nOpen the {what}: {}", file.display())).clicked() {
            *asked = Some(Asked::Open(file));
        }
        return;
    }
    // Figures line up on the right, as in a spreadsheet; the whole text is
    // on hover where the column is too narrow for it.
    let label = egui::Label::new(&text).truncate();
    if matches!(value, Value::Number(..)) {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.add_space(FIGURE_MARGIN);
            ui.add(label)
        })
        .inner
        .on_hover_text(text);
    } else {
        ui.add(label).on_hover_text(text);
    }
}

/// The files not read, each with the reader's reason: a CSU silently
/// missing from a round would not be treated alike.
fn unreadable_ui(ui: &mut Ui, p: &Portfolio) {
    ui.label(
        RichText::new(format!("Files that could not be read ({}): no row stands for them", p.unreadable.len()))
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    egui::ScrollArea::vertical().id_salt("portfolio-unreadable-list").show(ui, |ui| {
        for u in &p.unreadable {
            ui.label(format!("• {}", u.reason));
        }
    });
}

fn charts_ui(ui: &mut Ui, page: &PortfolioPage) {
    let rows = page.portfolio.view(&page.filter(), None);
    let height = ui.available_height();
    ui.columns(2, |cols| {
        let half = ((height - 80.0) / 2.0).max(140.0);
        outcomes_chart_ui(&mut cols[0], &page.portfolio, &rows, half);
        cols[0].add_space(6.0);
        scores_chart_ui(&mut cols[0], &rows, half);
        price_chart_ui(&mut cols[1], &rows, (height - 90.0).max(200.0));
    });
}

/// What the outcomes chart counts a row as: its outcome, ranked best first
/// in its framework (the sort key, 0 to 1, also sets the colour), not yet
/// decided, or not started.
fn outcome_of(p: &Portfolio, row: &Row) -> (f32, String) {
    let assessed = row.assessment_file.as_ref().and_then(|f| p.assessed.iter().find(|a| &a.file == f));
    match (assessed, &row.outcome) {
        (None, _) => (3.0, "Not started".to_string()),
        (Some(_), None) => (2.0, "Not decided yet".to_string()),
        (Some(a), Some(_)) => {
            let outcomes = &a.assessment.framework().outcomes;
            let rank = outcomes.iter().position(|o| o.id == a.evaluation.outcome.id).unwrap_or(0);
            (rank as f32 / outcomes.len().saturating_sub(1).max(1) as f32, a.evaluation.outcome.label.clone())
        }
    }
}

/// Green for the best outcome through amber to red for the worst; greys
/// for not decided and not started.
fn outcome_colour(key: f32) -> Color32 {
    let mix = |a: [u8; 3], b: [u8; 3], t: f32| {
        let c = |i: usize| (f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * t).round() as u8;
        Color32::from_rgb(c(0), c(1), c(2))
    };
    let (green, amber, red) = ([0, 140, 70], [225, 155, 0], [200, 40, 40]);
    match key {
        k if k > 2.5 => Color32::from_gray(150),
        k if k > 1.5 => Color32::from_rgb(120, 150, 190),
        k if k <= 0.5 => mix(green, amber, k * 2.0),
        k => mix(amber, red, (k - 0.5) * 2.0),
    }
}

fn region_of(row: &Row) -> String {
    row.region.clone().unwrap_or_else(|| "No region given".to_string())
}

/// Counts on an axis: whole numbers only.
fn whole(mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let whole = mark.value.round();
    if (mark.value - whole).abs() < 1e-6 { format!("{whole:.0}") } else { String::new() }
}

/// A row's checkpoint in words, for the outcomes chart.
fn checkpoint_name(checkpoint: Option<u8>) -> String {
    checkpoint.map_or_else(|| "No checkpoint given".to_string(), |c| format!("Checkpoint {c}"))
}

/// How many CSUs of each outcome, region by region: one bar a checkpoint
/// (each checkpoint has outcomes of its own), its CSUs stacked best outcome
/// at the bottom; the key is drawn under the chart, where it covers no bar.
fn outcomes_chart_ui(ui: &mut Ui, p: &Portfolio, rows: &[&Row], height: f32) {
    ui.label(RichText::new("Outcomes by region").strong());
    let mut regions: Vec<String> = rows.iter().map(|r| region_of(r)).collect();
    regions.sort();
    regions.dedup();
    let mut checkpoints: Vec<Option<u8>> = rows.iter().map(|r| r.checkpoint).collect();
    checkpoints.sort_unstable();
    checkpoints.dedup();
    let counted: Vec<(String, Option<u8>, (f32, String))> =
        rows.iter().map(|r| (region_of(r), r.checkpoint, outcome_of(p, r))).collect();
    let mut categories: Vec<(Option<u8>, (f32, String))> = counted.iter().map(|(_, c, o)| (*c, o.clone())).collect();
    categories.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.0.total_cmp(&b.1.0)).then_with(|| a.1.1.cmp(&b.1.1)));
    categories.dedup();
    let per_region = checkpoints.len().max(1);
    let width = 0.8 / per_region as f64;
    let mut stacked = vec![0.0; regions.len() * per_region];
    let charts: Vec<BarChart> = categories
        .iter()
        .map(|(checkpoint, outcome)| {
            let j = checkpoints.iter().position(|c| c == checkpoint).unwrap_or(0);
            let offset = (j as f64 - (per_region as f64 - 1.0) / 2.0) * width;
            let bars = regions
                .iter()
                .enumerate()
                .filter_map(|(i, region)| {
                    let n = counted.iter().filter(|(r, c, o)| r == region && c == checkpoint && o == outcome).count();
                    let slot = i * per_region + j;
                    let base = stacked[slot];
                    stacked[slot] += n as f64;
                    (n > 0).then(|| {
                        Bar::new(i as f64 + offset, n as f64).base_offset(base).width(width * 0.85).name(format!(
                            "{region}, {}: {}",
                            checkpoint_name(*checkpoint).to_lowercase(),
                            outcome.1
                        ))
                    })
                })
                .collect();
            BarChart::new(format!("{}: {}", checkpoint_name(*checkpoint), outcome.1), bars)
                .color(outcome_colour(outcome.0))
                .element_formatter(Box::new(|bar, _| format!("{}\n{} CSU(s)", bar.name, bar.value)))
        })
        .collect();
    let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let key_lines = checkpoints.len() as f32 + if per_region > 1 { 1.0 } else { 0.0 };
    super::widgets::still_plot("portfolio-outcomes-by-region")
        .height((height - key_lines * line).max(120.0))
        .show_x(false)
        .show_y(false)
        .include_y(0.0)
        .include_y(1.0)
        .include_x(-0.5)
        .include_x(regions.len() as f64 - 0.5)
        .y_axis_label("CSUs")
        .y_axis_formatter(whole)
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 0.01 && i >= 0.0 {
                regions.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
    for checkpoint in &checkpoints {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}:", checkpoint_name(*checkpoint))).strong());
            for (_, (key, label)) in categories.iter().filter(|(c, _)| c == checkpoint) {
                ui.label(RichText::new("■").color(outcome_colour(*key)));
                ui.label(label);
            }
        });
    }
    if per_region > 1 {
        let order: Vec<String> = checkpoints.iter().map(|c| checkpoint_name(*c).to_lowercase()).collect();
        ui.label(
            RichText::new(format!("Each region has a bar a checkpoint, left to right: {}.", order.join(", "))).weak(),
        );
    }
}

fn scores_chart_ui(ui: &mut Ui, rows: &[&Row], height: f32) {
    let scores: Vec<f64> = rows.iter().filter_map(|r| r.overall).collect();
    ui.label(RichText::new("Distribution of overall scores").strong())
        .on_hover_text("Every CSU with scores; one still being scored counts over the criteria scored so far");
    let mut counts = [0usize; 10];
    for s in &scores {
        counts[((s / 10.0).floor().max(0.0) as usize).min(9)] += 1;
    }
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| Bar::new(5.0 + 10.0 * i as f64, *n as f64).width(9.0).name(format!("{}-{}", 10 * i, 10 * i + 10)))
        .collect();
    let accent = super::theme::of(ui).accent;
    super::widgets::still_plot("portfolio-score-distribution")
        .height(height)
        .show_x(false)
        .show_y(false)
        .include_x(0.0)
        .include_x(100.0)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label(format!("Overall score, 0-100 ({} CSUs with scores)", scores.len()))
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [10.0, 50.0, 100.0]))
        .y_axis_label("CSUs")
        .y_axis_formatter(whole)
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("CSUs", bars)
                    .color(accent)
                    .element_formatter(Box::new(|bar, _| format!("Overall {}: {} CSU(s)", bar.name, bar.value))),
            );
        });
}

fn price_chart_ui(ui: &mut Ui, rows: &[&Row], height: f32) {
    ui.label(RichText::new("Price per head against what the CCGs budgeted a head").strong());
    let (names, points): (Vec<String>, Vec<[f64; 2]>) =
        rows.iter().filter_map(|r| Some((r.csu.clone(), [r.ccg_budget_per_head?, r.price_per_head?]))).unzip();
    let top = points.iter().flat_map(|p| p.iter().copied()).fold(CCG_BUDGET_HIGHEST, f64::max) * 1.1;
    let missing = rows.len() - points.len();
    super::widgets::still_plot("portfolio-price-against-budget")
        .height(height)
        .legend(Legend::default().position(Corner::RightBottom))
        .include_x(0.0)
        .include_y(0.0)
        .include_x(top)
        .include_y(top)
        .x_axis_label("CCGs' budget per head (£)")
        .y_axis_label("Price per head (£)")
        .label_formatter(move |hover| match hover {
            HoverPosition::NearDataPoint { plot_name, position, index } if *plot_name == CSU_POINTS => {
                names.get(*index).map(|n| format!("{n}\nbudget £{:.2} a head, price £{:.2}", position.x, position.y))
            }
            _ => None,
        })
        .show(ui, |plot| {
            let palette = super::theme::palette(plot.ctx().global_style().visuals.dark_mode);
            plot.span(
                Span::new("CCGs set aside £3 to £25 a head", CCG_BUDGET_LOWEST..=CCG_BUDGET_HIGHEST)
                    .fill(Color32::from_rgba_unmultiplied(0, 94, 184, 24)),
            );
            plot.vline(VLine::new("CCGs' average, £11.52 a head", CCG_BUDGET_MEAN).color(palette.accent));
            plot.line(
                Line::new("Price equal to the budget", vec![[0.0, 0.0], [top, top]]).color(Color32::from_gray(140)),
            );
            plot.points(Points::new(CSU_POINTS, points).radius(5.0).filled(true).color(palette.caution));
        });
    ui.label(format!(
        "One point per CSU; hover over a point for its name. Above the grey line a CSU charges more a head than its CCGs budgeted. CCGs set aside £3 to £25 a head for commissioning support, £11.52 on average.{}",
        if missing > 0 { format!(" {missing} CSU(s) without both figures are not drawn.") } else { String::new() }
    ));
}

fn signed(v: f64) -> String {
    format!("{v:+.2}")
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Each assessor's figures, raw beside adjusted and never in place of a
/// score, with the method beside them; and who has calibrated.
fn assessors_ui(ui: &mut Ui, page: &PortfolioPage) {
    egui::Panel::right("portfolio-method").resizable(true).default_size(380.0).show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("portfolio-method-text").show(ui, |ui| {
            ui.label(RichText::new("How these figures are worked out").strong());
            ui.label(consistency::METHOD);
        });
    });
    egui::ScrollArea::both().id_salt("portfolio-assessors").show(ui, |ui| {
        ui.label(RichText::new("How each assessor's scores sit against their panels' consensus, across the round").strong());
        if page.assessors.is_empty() {
            ui.label("No score can be set against a consensus yet: the figures need a panel's agreed score on at least one criterion.");
        } else {
            egui::Grid::new("portfolio-assessor-figures").striped(true).min_col_width(60.0).show(ui, |ui| {
                for heading in ["", "", "", "Raw", "", "", "Adjusted", "", "", ""] {
                    ui.strong(heading);
                }
                ui.end_row();
                for heading in [
                    "Assessor",
                    "CSUs",
                    "Scores compared",
                    "Mean difference",
                    "Spread",
                    "Agreement",
                    "Spread",
                    "Agreement within half a level",
                    "Standardised leniency",
                    "Tendency",
                ] {
                    ui.strong(heading);
                }
                ui.end_row();
                for f in &page.assessors {
                    ui.label(&f.assessor);
                    ui.label(f.csus.to_string());
                    ui.label(f.scores.to_string());
                    ui.label(signed(f.raw.mean_difference));
                    ui.label(format!("{:.2}", f.raw.spread));
                    ui.label(percent(f.raw.agreement));
                    ui.label(format!("{:.2}", f.adjusted.spread));
                    ui.label(percent(f.adjusted.agreement));
                    ui.label(f.standardised_leniency.map_or_else(|| "-".to_string(), signed));
                    ui.label(f.tendency().unwrap_or(""));
                    ui.end_row();
                }
            });
            egui::CollapsingHeader::new("Mean difference by domain").show(ui, |ui| {
                let mut domains: Vec<&String> = page.assessors.iter().flat_map(|f| f.by_domain.keys()).collect();
                domains.sort();
                domains.dedup();
                // Narrow columns, the domains' titles wrapped, so that a
                // round of two frameworks' domains fits beside the method.
                egui::Grid::new("portfolio-assessor-domains").striped(true).max_col_width(96.0).show(ui, |ui| {
                    ui.strong("Assessor");
                    for d in &domains {
                        ui.add(egui::Label::new(RichText::new(d.as_str()).strong()).wrap());
                    }
                    ui.end_row();
                    for f in &page.assessors {
                        ui.label(&f.assessor);
                        for d in &domains {
                            ui.label(f.by_domain.get(*d).map_or_else(|| "-".to_string(), |v| signed(*v)));
                        }
                        ui.end_row();
                    }
                });
            });
        }
        ui.add_space(10.0);
        ui.label(RichText::new("Who has calibrated (scored the reference plan against the BDU's agreed scores)").strong());
        if page.portfolio.calibrations.is_empty() {
            ui.label("No one in this folder has scored the calibration plan yet: Calibrate on the start page.");
            return;
        }
        egui::Grid::new("portfolio-calibrations").striped(true).show(ui, |ui| {
            for heading in ["Member", "Scored", "Same as the BDU", "Within one level", "Mean difference"] {
                ui.strong(heading);
            }
            ui.end_row();
            for c in &page.portfolio.calibrations {
                ui.label(&c.member);
                ui.label(c.scored.to_string());
                ui.label(c.same.to_string());
                ui.label(c.within_one.to_string());
                ui.label(signed(c.mean_difference));
                ui.end_row();
            }
        });
    });
}

/// Every CCG interviewed in the round, its answers beside the checkpoint 2
/// survey's national figures, as a table and a chart.
fn ccgs_ui(ui: &mut Ui, page: &PortfolioPage) {
    let national = page.portfolio.ccg_answers();
    egui::ScrollArea::vertical().id_salt("portfolio-ccgs").show(ui, |ui| {
        ui.label(
            RichText::new(format!(
                "The CCGs' answers across this folder ({} CCGs interviewed), beside the checkpoint 2 survey of 2012",
                national.interviewed
            ))
            .strong(),
        );
        if national.interviewed == 0 {
            ui.label("No CCG interview is on the records of this folder yet.");
            return;
        }
        ui.columns(2, |cols| {
            let ui = &mut cols[0];
            egui::Grid::new("portfolio-ccg-answers").striped(true).show(ui, |ui| {
                for heading in ["Question", "Answer", "CCGs", "Here", "Survey"] {
                    ui.strong(heading);
                }
                ui.end_row();
                for a in &national.answers {
                    ui.label(a.question);
                    ui.label(&a.answer);
                    ui.label(a.ccgs.to_string());
                    ui.label(percent(a.share));
                    ui.label(a.survey.map_or_else(|| "-".to_string(), percent));
                    ui.end_row();
                }
            });
            let compared: Vec<&crate::portfolio::ccgs::Answer> =
                national.answers.iter().filter(|a| a.survey.is_some()).collect();
            let here: Vec<Bar> = compared
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    Bar::new(i as f64 * 3.0, a.share * 100.0).width(1.0).name(format!("{}: {}", a.question, a.answer))
                })
                .collect();
            let survey: Vec<Bar> = compared
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    Bar::new(i as f64 * 3.0 + 1.0, a.survey.unwrap_or_default() * 100.0)
                        .width(1.0)
                        .name(format!("{}: {}", a.question, a.answer))
                })
                .collect();
            let labels: Vec<String> = compared.iter().map(|a| a.answer.clone()).collect();
            let ui = &mut cols[1];
            let accent = super::theme::of(ui).accent;
            ui.label(RichText::new("Here against the survey, per cent of CCGs").strong());
            super::widgets::still_plot("portfolio-ccg-chart")
                .height(260.0)
                .include_y(0.0)
                .include_y(100.0)
                .y_axis_label("% of CCGs")
                .x_axis_formatter(move |mark, _| {
                    let i = (mark.value / 3.0).round();
                    if (mark.value - i * 3.0).abs() < 0.01 {
                        labels.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .legend(Legend::default().position(Corner::RightTop))
                .show(ui, |plot| {
                    plot.bar_chart(BarChart::new("Here", here).color(accent));
                    plot.bar_chart(BarChart::new("Survey, 2012", survey).color(Color32::GRAY));
                });
        });
    });
}

fn interests_ui(ui: &mut Ui, page: &PortfolioPage) {
    egui::ScrollArea::vertical().id_salt("portfolio-interests").show(ui, |ui| {
        ui.label(RichText::new("Every interest declared by a panel member: each stands aside from that CSU").strong());
        if page.declarations.is_empty() {
            ui.label("No member has declared an interest in any CSU of this folder.");
            return;
        }
        egui::Grid::new("portfolio-declarations").striped(true).max_col_width(520.0).show(ui, |ui| {
            for heading in ["CSU", "Checkpoint", "Member", "Interest", "Declared"] {
                ui.strong(heading);
            }
            ui.end_row();
            for d in &page.declarations {
                ui.label(&d.csu);
                ui.label(d.checkpoint.to_string());
                ui.label(&d.member);
                ui.add(egui::Label::new(&d.interest).wrap());
                ui.label(crate::when::local(&d.at));
                ui.end_row();
            }
        });
    });
}
