//! Laying a plan's content out as template sheets, with the quirks of real
//! submissions switched on or off.
//!
//! [`PlanContent`] is what a CSU means to say; [`Quirks`] is how its office
//! suite and its staff happened to write it. The same content with
//! different quirks must import to the same plan, which is what the tests
//! of the importer lean on.

use super::writer::{Cell, Choice, SheetLayout};
use crate::plan::template::{self, CoverField, TemplateSheet};
use crate::plan::{
    Agreement, AppointmentStatus, Background, Delivery, FinanceLine, NarrativeSection, PlanType, Region, RiskCategory,
    ServiceCategory, vocab::Vocabulary,
};

/// A plan's content, in the template's terms.
#[derive(Clone, Debug, Default)]
pub struct PlanContent {
    pub csu_name: String,
    pub host_cluster: String,
    pub region: String,
    pub managing_director: String,
    pub contact_email: String,
    pub plan_type: String,
    pub checkpoint: Option<u8>,
    pub submission_date: Option<(u16, u8, u8)>,
    pub plan_version: String,
    pub customers: Vec<CustomerLine>,
    pub services: Vec<ServiceLine>,
    /// First financial year (2013 for 2013/14) and how many.
    pub first_year: i32,
    pub finance: Vec<(String, Vec<f64>)>,
    pub workforce: Vec<WorkforceLine>,
    pub leadership: Vec<LeaderLine>,
    pub risks: Vec<RiskLine>,
    pub narrative: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct CustomerLine {
    pub ccg: String,
    pub population: f64,
    pub budget_per_head: f64,
    /// Fraction between 0 and 1.
    pub share: f64,
    pub agreement: String,
    pub sla_value: Cell,
    pub break_months: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct ServiceLine {
    pub service: String,
    pub category: String,
    pub delivery: String,
    pub partner: String,
    pub fte: f64,
    pub price: f64,
}

#[derive(Clone, Debug)]
pub struct WorkforceLine {
    pub function: String,
    pub band: String,
    pub headcount: f64,
    pub fte: f64,
    pub tupe: f64,
    pub vacancies: f64,
    pub agency: f64,
}

#[derive(Clone, Debug)]
pub struct LeaderLine {
    pub role: String,
    pub name: String,
    pub status: String,
    pub start: Option<(u16, u8, u8)>,
    pub background: String,
}

#[derive(Clone, Debug)]
pub struct RiskLine {
    pub risk: String,
    pub category: String,
    pub likelihood: f64,
    pub impact: f64,
    pub mitigation: String,
    pub owner: String,
}

/// How a percentage is written.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ShareStyle {
    /// `0.45` in a cell formatted as a percentage.
    #[default]
    Formatted,
    /// `45`.
    Number,
    /// The text `45%`.
    Text,
}

/// How a date is written.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum DateStyle {
    #[default]
    Cell,
    /// An Excel serial number in a plain cell.
    Serial,
    /// Day-first text such as `30/03/2012`.
    Text,
}

/// The ways real submissions differ from the template as sent out.
#[derive(Clone, Debug, Default)]
pub struct Quirks {
    /// `1. Cover` rather than `Cover`.
    pub numbered_sheets: bool,
    /// A title and guidance above each header row.
    pub preamble: bool,
    /// Money as text: `£1,234,567`, `1.2m`.
    pub money_as_text: bool,
    pub shares: ShareStyle,
    pub dates: DateStyle,
    /// A `Total` row under Customers and Services, computed by formula.
    pub total_rows: bool,
    /// Blank rows between groups of data rows.
    pub blank_rows: bool,
    /// Columns in another order than the template's.
    pub reordered_columns: bool,
    /// Service categories merged down runs of the same category.
    pub merged_categories: bool,
    /// The second customer row hidden.
    pub hidden_row: bool,
    /// Financial years written `FY2013/14`.
    pub fy_years: bool,
    /// A `Surplus / (deficit)` line computed by the CSU.
    pub surplus_line: bool,
    /// Template-style drop-downs on the enumerated columns.
    pub dropdowns: bool,
}

fn labels<T: Vocabulary>() -> Vec<String> {
    T::ALL.iter().map(|v| v.label().to_string()).collect()
}

fn money(v: f64, q: &Quirks, i: usize) -> Cell {
    if !q.money_as_text {
        return Cell::Number(v);
    }
    if i % 3 == 1 && v >= 1_000_000.0 && (v / 100_000.0).fract() == 0.0 {
        Cell::Text(format!("{}m", v / 1_000_000.0))
    } else if v.fract() != 0.0 {
        Cell::Text(format!("£{v:.2}"))
    } else {
        Cell::Text(crate::plan::fmt_amount(v))
    }
}

fn share(v: f64, q: &Quirks) -> Cell {
    match q.shares {
        ShareStyle::Formatted => Cell::Percent(v),
        ShareStyle::Number => Cell::Number((v * 1000.0).round() / 10.0),
        ShareStyle::Text => Cell::Text(format!("{}%", (v * 1000.0).round() / 10.0)),
    }
}

fn date(d: (u16, u8, u8), q: &Quirks) -> Cell {
    let (y, m, dd) = d;
    match q.dates {
        DateStyle::Cell => Cell::Date(y, m, dd),
        DateStyle::Text => Cell::Text(format!("{dd:02}/{m:02}/{y}")),
        DateStyle::Serial => {
            let days = chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(dd))
                .zip(chrono::NaiveDate::from_ymd_opt(1899, 12, 30))
                .map(|(a, b)| (a - b).num_days() as f64)
                .unwrap_or(0.0);
            Cell::Number(days)
        }
    }
}

fn sheet_name(q: &Quirks, n: usize, name: &str) -> String {
    if q.numbered_sheets { format!("{n}. {name}") } else { name.to_string() }
}

fn preamble(q: &Quirks, title: &str, guidance: &str) -> Vec<String> {
    if q.preamble { vec![title.to_string(), guidance.to_string()] } else { Vec::new() }
}

/// Puts columns in the order `order` (indices into the template's order).
fn reorder(layout: &mut SheetLayout, order: &[usize]) {
    layout.headers = order.iter().map(|&i| layout.headers[i].clone()).collect();
    for row in &mut layout.rows {
        let old = std::mem::take(row);
        *row = order.iter().map(|&i| old.get(i).cloned().unwrap_or(Cell::Blank)).collect();
    }
    for choice in &mut layout.choices {
        if let Some(pos) = order.iter().position(|&i| i == usize::from(choice.col)) {
            choice.col = pos as u16;
        }
    }
}

/// The template's headers for a sheet, in the template's order.
fn headers(sheet: TemplateSheet) -> Vec<String> {
    sheet.columns().iter().map(|c| c.header.to_string()).collect()
}

fn column_choice(col: u16, list: Vec<String>) -> Choice {
    Choice { row: None, col, list }
}

/// Lays a plan out as sheets. `guidance` adds the template's instructions.
pub fn layout(content: &PlanContent, q: &Quirks) -> Vec<SheetLayout> {
    let mut sheets = vec![cover(content, q), customers(content, q), services(content, q), finance(content, q)];
    let full = content.plan_type == PlanType::Full.label() || content.plan_type.is_empty();
    if full || !content.workforce.is_empty() {
        sheets.push(workforce(content, q));
    }
    if full || !content.leadership.is_empty() {
        sheets.push(leadership(content, q));
    }
    if full || !content.risks.is_empty() {
        sheets.push(risks(content, q));
    }
    sheets.push(narrative(content, q));
    let numbered: Vec<SheetLayout> = sheets
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            s.name = sheet_name(q, i + 1, &s.name);
            s
        })
        .collect();
    numbered
}

fn cover(c: &PlanContent, q: &Quirks) -> SheetLayout {
    let rows: Vec<Vec<Cell>> = CoverField::ALL
        .into_iter()
        .map(|field| {
            let value = match field {
                CoverField::CsuName => c.csu_name.clone().into(),
                CoverField::HostCluster => c.host_cluster.clone().into(),
                CoverField::Region => c.region.clone().into(),
                CoverField::ManagingDirector => c.managing_director.clone().into(),
                CoverField::ContactEmail => c.contact_email.clone().into(),
                CoverField::PlanType => c.plan_type.clone().into(),
                CoverField::Checkpoint => c.checkpoint.map_or(Cell::Blank, |n| Cell::Number(f64::from(n))),
                CoverField::SubmissionDate => c.submission_date.map_or(Cell::Blank, |d| date(d, q)),
                CoverField::PlanVersion => c.plan_version.clone().into(),
            };
            vec![field.label().into(), value]
        })
        .collect();
    let row_of = |field: CoverField| CoverField::ALL.iter().position(|f| *f == field).map(|i| i as u32);
    let choices = if q.dropdowns {
        vec![
            Choice { row: row_of(CoverField::Region), col: 1, list: labels::<Region>() },
            Choice { row: row_of(CoverField::PlanType), col: 1, list: labels::<PlanType>() },
            Choice { row: row_of(CoverField::Checkpoint), col: 1, list: vec!["1".into(), "2".into(), "3".into()] },
        ]
    } else {
        Vec::new()
    };
    SheetLayout {
        name: TemplateSheet::Cover.name().into(),
        preamble: preamble(
            q,
            "CSU business plan: cover",
            "Fill in the value beside each label. Plan type is Outline (checkpoint 2) or Full (checkpoint 3).",
        ),
        rows,
        choices,
        widths: vec![24.0, 48.0],
        ..SheetLayout::default()
    }
}

fn customers(c: &PlanContent, q: &Quirks) -> SheetLayout {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (i, cl) in c.customers.iter().enumerate() {
        if q.blank_rows && i > 0 && i % 4 == 0 {
            rows.push(Vec::new());
        }
        let sla = match &cl.sla_value {
            Cell::Number(v) => money(*v, q, i),
            other => other.clone(),
        };
        rows.push(vec![
            cl.ccg.clone().into(),
            Cell::Number(cl.population),
            money(cl.budget_per_head, q, 0),
            share(cl.share, q),
            cl.agreement.clone().into(),
            sla,
            cl.break_months.map_or(Cell::Blank, Cell::Number),
        ]);
    }
    let data_rows = rows.len();
    if q.total_rows && data_rows > 0 {
        let first = first_data_row(q) + 1;
        let last = first + data_rows as u32 - 1;
        let pop: f64 = c.customers.iter().map(|c| c.population).sum();
        let sla: f64 = c
            .customers
            .iter()
            .filter_map(|c| match c.sla_value {
                Cell::Number(v) => Some(v),
                _ => None,
            })
            .sum();
        rows.push(vec![
            "Total".into(),
            Cell::Formula(format!("SUM(B{first}:B{last})"), format!("{pop}")),
            Cell::Blank,
            Cell::Blank,
            Cell::Blank,
            Cell::Formula(format!("SUM(F{first}:F{last})"), format!("{sla}")),
        ]);
    }
    let mut layout = SheetLayout {
        name: TemplateSheet::Customers.name().into(),
        preamble: preamble(
            q,
            "Customers: the CCGs you plan to serve",
            "One row a CCG. Agreement is None, Heads of terms, Shadow SLA or Signed SLA.",
        ),
        headers: headers(TemplateSheet::Customers),
        rows,
        choices: if q.dropdowns { vec![column_choice(4, labels::<Agreement>())] } else { Vec::new() },
        hidden: if q.hidden_row && data_rows > 1 { vec![1] } else { Vec::new() },
        widths: vec![34.0, 14.0, 12.0, 12.0, 16.0, 16.0, 12.0],
        ..SheetLayout::default()
    };
    if q.reordered_columns {
        reorder(&mut layout, &[1, 0, 4, 5, 2, 3, 6]);
    }
    layout
}

/// The zero-based sheet row of the first data row under a header.
fn first_data_row(q: &Quirks) -> u32 {
    if q.preamble { 4 } else { 1 }
}

fn services(c: &PlanContent, q: &Quirks) -> SheetLayout {
    let mut services = c.services.clone();
    if q.merged_categories {
        services.sort_by(|a, b| a.category.cmp(&b.category));
    }
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut merges = Vec::new();
    let mut run_start = 0usize;
    for (i, s) in services.iter().enumerate() {
        let same_as_prev = i > 0 && services[i - 1].category == s.category;
        let category = if q.merged_categories && same_as_prev { Cell::Blank } else { s.category.clone().into() };
        if q.merged_categories && !same_as_prev {
            if i > run_start + 1 {
                merges.push((run_start as u32, 1, (i - 1) as u32, 1));
            }
            run_start = i;
        }
        rows.push(vec![
            s.service.clone().into(),
            category,
            s.delivery.clone().into(),
            if s.partner.is_empty() { Cell::Blank } else { s.partner.clone().into() },
            Cell::Number(s.fte),
            money(s.price, q, i),
        ]);
    }
    if q.merged_categories && services.len() > run_start + 1 {
        merges.push((run_start as u32, 1, (services.len() - 1) as u32, 1));
    }
    if q.total_rows && !rows.is_empty() {
        let first = first_data_row(q) + 1;
        let last = first + rows.len() as u32 - 1;
        let price: f64 = services.iter().map(|s| s.price).sum();
        let fte: f64 = services.iter().map(|s| s.fte).sum();
        rows.push(vec![
            "Total".into(),
            Cell::Blank,
            Cell::Blank,
            Cell::Blank,
            Cell::Formula(format!("SUM(E{first}:E{last})"), format!("{fte}")),
            Cell::Formula(format!("SUM(F{first}:F{last})"), format!("{price}")),
        ]);
    }
    let mut category_list = labels::<ServiceCategory>();
    category_list.retain(|l| l != "Local");
    category_list.push("Local".into());
    SheetLayout {
        name: TemplateSheet::Services.name().into(),
        preamble: preamble(
            q,
            "Services: your offer, one row a service line",
            "Category is one of the four national scale services, or Local. Delivery is In-house, Partner or Subcontract.",
        ),
        headers: headers(TemplateSheet::Services),
        rows,
        choices: if q.dropdowns {
            vec![column_choice(1, category_list), column_choice(2, labels::<Delivery>())]
        } else {
            Vec::new()
        },
        merges,
        widths: vec![40.0, 28.0, 14.0, 30.0, 8.0, 16.0],
        ..SheetLayout::default()
    }
}

fn year_label(first: i32, q: &Quirks) -> String {
    let base = template::year_label(first);
    if q.fy_years { format!("FY{base}") } else { base }
}

fn finance(c: &PlanContent, q: &Quirks) -> SheetLayout {
    let years = c.finance.first().map_or(4, |(_, v)| v.len());
    let first_year = if c.first_year == 0 { 2013 } else { c.first_year };
    let mut headers = vec![template::FINANCE_LINE_HEADER.to_string()];
    headers.extend((0..years).map(|i| year_label(first_year + i as i32, q)));
    let mut rows: Vec<Vec<Cell>> = if c.finance.is_empty() {
        FinanceLine::ALL.iter().map(|l| vec![Cell::Text(l.label().to_string())]).collect()
    } else {
        c.finance
            .iter()
            .map(|(label, values)| {
                let mut row: Vec<Cell> = vec![label.clone().into()];
                row.extend(values.iter().enumerate().map(|(i, v)| money(*v, q, i)));
                row
            })
            .collect()
    };
    if q.surplus_line && !c.finance.is_empty() {
        let mut row: Vec<Cell> = vec![FinanceLine::Surplus.label().into()];
        for y in 0..years {
            let value: f64 = c
                .finance
                .iter()
                .map(|(label, values)| {
                    let line = crate::plan::vocab::recognise::<FinanceLine>(label).map(|m| m.value());
                    match line {
                        Some(l) if l.is_income() => values[y],
                        Some(l) if l.is_cost() => -values[y],
                        _ => 0.0,
                    }
                })
                .sum();
            row.push(Cell::Number(value));
        }
        rows.push(row);
    }
    SheetLayout {
        name: TemplateSheet::Finance.name().into(),
        preamble: preamble(
            q,
            "Finance: income and costs by financial year",
            "An outline plan covers at least 2013/14 and 2014/15; a full plan 2013/14 to 2016/17. Amounts in pounds.",
        ),
        headers,
        rows,
        widths: vec![26.0, 14.0, 14.0, 14.0, 14.0, 14.0],
        ..SheetLayout::default()
    }
}

fn workforce(c: &PlanContent, q: &Quirks) -> SheetLayout {
    SheetLayout {
        name: TemplateSheet::Workforce.name().into(),
        preamble: preamble(q, "Workforce", "One row a function and band. FTE columns in whole-time equivalents."),
        headers: headers(TemplateSheet::Workforce),
        rows: c
            .workforce
            .iter()
            .map(|w| {
                vec![
                    w.function.clone().into(),
                    w.band.clone().into(),
                    Cell::Number(w.headcount),
                    Cell::Number(w.fte),
                    Cell::Number(w.tupe),
                    Cell::Number(w.vacancies),
                    Cell::Number(w.agency),
                ]
            })
            .collect(),
        widths: vec![30.0, 10.0, 10.0, 10.0, 14.0, 12.0, 12.0],
        ..SheetLayout::default()
    }
}

fn leadership(c: &PlanContent, q: &Quirks) -> SheetLayout {
    SheetLayout {
        name: TemplateSheet::Leadership.name().into(),
        preamble: preamble(q, "Leadership", "One row a senior role. The Managing director row is required."),
        headers: headers(TemplateSheet::Leadership),
        rows: c
            .leadership
            .iter()
            .map(|l| {
                vec![
                    l.role.clone().into(),
                    l.name.clone().into(),
                    l.status.clone().into(),
                    l.start.map_or(Cell::Blank, |d| date(d, q)),
                    l.background.clone().into(),
                ]
            })
            .collect(),
        choices: if q.dropdowns {
            vec![column_choice(2, labels::<AppointmentStatus>()), column_choice(4, labels::<Background>())]
        } else {
            Vec::new()
        },
        widths: vec![30.0, 24.0, 12.0, 12.0, 12.0],
        ..SheetLayout::default()
    }
}

fn risks(c: &PlanContent, q: &Quirks) -> SheetLayout {
    SheetLayout {
        name: TemplateSheet::Risks.name().into(),
        preamble: preamble(q, "Risk register", "Likelihood and impact from 1 (low) to 5 (high)."),
        headers: headers(TemplateSheet::Risks),
        rows: c
            .risks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    format!("R{:02}", i + 1).into(),
                    r.risk.clone().into(),
                    r.category.clone().into(),
                    Cell::Number(r.likelihood),
                    Cell::Number(r.impact),
                    if r.mitigation.is_empty() { Cell::Blank } else { r.mitigation.clone().into() },
                    r.owner.clone().into(),
                ]
            })
            .collect(),
        choices: if q.dropdowns { vec![column_choice(2, labels::<RiskCategory>())] } else { Vec::new() },
        widths: vec![6.0, 50.0, 16.0, 10.0, 10.0, 50.0, 20.0],
        ..SheetLayout::default()
    }
}

fn narrative(c: &PlanContent, q: &Quirks) -> SheetLayout {
    let rows = if c.narrative.is_empty() {
        NarrativeSection::ALL.iter().map(|s| vec![Cell::Text(s.label().to_string()), Cell::Blank]).collect()
    } else {
        c.narrative
            .iter()
            .map(|(s, r)| vec![s.clone().into(), if r.is_empty() { Cell::Blank } else { r.clone().into() }])
            .collect()
    };
    SheetLayout {
        name: TemplateSheet::Narrative.name().into(),
        preamble: preamble(
            q,
            "Narrative",
            "Answer each section in the Response column. An outline plan answers the first four sections.",
        ),
        headers: headers(TemplateSheet::Narrative),
        rows,
        widths: vec![36.0, 120.0],
        ..SheetLayout::default()
    }
}
