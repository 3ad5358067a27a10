//! Reading each template sheet into the plan model, with findings.
//!
//! One function per sheet, each tolerant in the same way: find the table,
//! read every row it can, and say at which cell anything was doubtful. The
//! rules of `shared/spec/plan-workbook.md` live here.

use super::finding::{CellAt, Findings, Place};
use super::model::*;
use super::show::{fmt_amount, fmt_count};
use super::table::{Row, Table};
use super::template::{CoverField, FINANCE_LINE_HEADER, TemplateSheet, header_key, parse_year, year_label};
use super::values::{self, Figure, Reading};
use super::vocab::{self, Match, Vocabulary, normalize};
use super::workbook::{CellValue, Sheet, Workbook};
use chrono::NaiveDate;

/// The state every sheet reader shares.
pub struct Reader<'a> {
    pub book: &'a Workbook,
    pub findings: Findings,
    /// What the workbook's formulas without saved results may read.
    formula_budget: std::cell::Cell<u32>,
}

impl<'a> Reader<'a> {
    pub fn new(book: &'a Workbook) -> Self {
        Reader { book, findings: Findings::default(), formula_budget: std::cell::Cell::new(super::formula::BUDGET) }
    }

    /// The workbook's sheet for a template sheet, matched by name.
    pub fn sheet(&self, which: TemplateSheet) -> Option<&'a Sheet> {
        self.book.sheets.iter().find(|s| TemplateSheet::matching(&s.name) == Some(which))
    }

    /// Says which required sheets are missing or unreadable.
    pub fn check_sheets(&mut self, plan_type: Option<PlanType>) {
        for name in &self.book.skipped {
            self.findings.note(
                Place { name, template: None },
                None,
                format!("{name} is an Excel macro or dialog sheet; it holds no plan data and was not read"),
            );
        }
        for which in TemplateSheet::ALL {
            if which == TemplateSheet::Cover || self.sheet(which).is_some() {
                continue;
            }
            let unreadable = self.book.unreadable.iter().find(|u| TemplateSheet::matching(&u.name) == Some(which));
            if let Some(u) = unreadable {
                self.findings.error(
                    Place::of(&u.name, which),
                    None,
                    format!("this sheet could not be read: {}", u.reason),
                );
            } else {
                // What the absence means for the figures: unknown, not zero.
                let unknown = super::metrics::unknown_without(which);
                let meaning = if unknown.is_empty() {
                    String::new()
                } else {
                    format!(
                        ": {} are unknown (not zero), and any check on them cannot be made",
                        crate::assessment::rules::listed(&unknown)
                    )
                };
                if which.required(plan_type) {
                    let kind = match plan_type {
                        Some(PlanType::Full)
                            if matches!(
                                which,
                                TemplateSheet::Workforce | TemplateSheet::Leadership | TemplateSheet::Risks
                            ) =>
                        {
                            " in a full plan"
                        }
                        _ => "",
                    };
                    self.findings.error(
                        Place::missing(which),
                        None,
                        format!("the workbook has no {} sheet, which is required{kind}{meaning}", which.name()),
                    );
                } else {
                    self.findings.warning(
                        Place::missing(which),
                        None,
                        format!("the workbook has no {} sheet{meaning}", which.name()),
                    );
                }
            }
        }
    }

    /// Finds the cover: the Cover sheet, or failing that any sheet with a
    /// `CSU name` label. `None` when neither exists.
    pub fn cover(&mut self) -> Option<Cover> {
        let sheet = match self.sheet(TemplateSheet::Cover) {
            Some(s) => s,
            None => {
                let s = self
                    .book
                    .sheets
                    .iter()
                    .find(|s| find_label(s, CoverField::CsuName).is_some_and(|(_, v)| v.is_some()))?;
                self.findings.warning(
                    Place::missing(TemplateSheet::Cover),
                    None,
                    format!("the workbook has no Cover sheet; the cover details were read from sheet {}", s.name),
                );
                s
            }
        };
        let mut cover = Cover::default();
        let name = Place { name: &sheet.name, template: TemplateSheet::matching(&sheet.name) };
        let value = |reader: &mut Self, field: CoverField| -> Option<Located<'a>> {
            match find_label(sheet, field) {
                Some((_, Some(found))) => Some(found),
                Some((at, None)) => {
                    if field.required() {
                        let beside = (at.0, at.1 + 1);
                        reader.findings.error(name, Some(beside), format!("{} is blank", field.label()));
                    }
                    None
                }
                None => {
                    if field.required() {
                        reader.findings.error(name, None, format!("the cover has no {} row", field.label()));
                    }
                    None
                }
            }
        };
        if let Some((v, at)) = value(self, CoverField::CsuName) {
            cover.csu_name = self.text(name, at, Some(v)).unwrap_or_default();
        }
        cover.host_cluster = value(self, CoverField::HostCluster).and_then(|(v, at)| self.text(name, at, Some(v)));
        if let Some((v, at)) = value(self, CoverField::Region) {
            cover.region = self.choice::<Region>(name, at, Some(v));
        }
        cover.managing_director =
            value(self, CoverField::ManagingDirector).and_then(|(v, at)| self.text(name, at, Some(v)));
        cover.contact_email = value(self, CoverField::ContactEmail).and_then(|(v, at)| self.text(name, at, Some(v)));
        if let Some(email) = &cover.contact_email
            && !email.contains('@')
        {
            self.findings.warning(name, None, format!("contact email \"{email}\" is not an email address"));
        }
        if let Some((v, at)) = value(self, CoverField::PlanType) {
            cover.plan_type = self.choice::<PlanType>(name, at, Some(v));
        }
        if let Some((v, at)) = value(self, CoverField::Checkpoint) {
            cover.checkpoint = self.checkpoint(name, at, v);
        }
        if cover.checkpoint.is_none()
            && let Some(pt) = cover.plan_type
        {
            let cp = if pt == PlanType::Full { 3 } else { 2 };
            self.findings.note(
                name,
                None,
                format!(
                    "no checkpoint given; taken as checkpoint {cp}, the checkpoint for {} plan",
                    if pt == PlanType::Full { "a full" } else { "an outline" }
                ),
            );
            cover.checkpoint = Some(cp);
        }
        if let Some((v, at)) = value(self, CoverField::SubmissionDate) {
            cover.submission_date = self.date(name, at, Some(v));
        }
        cover.plan_version = value(self, CoverField::PlanVersion).and_then(|(v, at)| self.text(name, at, Some(v)));
        Some(cover)
    }

    fn checkpoint(&mut self, sheet: Place<'_>, at: (u32, u32), cell: &CellValue) -> Option<u8> {
        let digits: String = match cell {
            CellValue::Number(n) => format!("{n}"),
            other => other.display(),
        }
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
        match digits.as_str() {
            "1" | "2" | "3" => digits.parse().ok(),
            _ => {
                self.findings.warning(sheet, Some(at), format!("checkpoint \"{}\" is not 1, 2 or 3", cell.display()));
                None
            }
        }
    }

    fn report<T>(&mut self, sheet: Place<'_>, at: Option<(u32, u32)>, reading: Reading<T>) -> Option<T> {
        match reading {
            Reading::Value(v) => Some(v),
            Reading::Blank => None,
            Reading::Unreadable(why) => {
                self.findings.warning(sheet, at, why);
                None
            }
        }
    }

    fn text(&mut self, sheet: Place<'_>, at: (u32, u32), cell: Option<&CellValue>) -> Option<String> {
        self.report(sheet, Some(at), values::text(cell))
    }

    fn date(&mut self, sheet: Place<'_>, at: (u32, u32), cell: Option<&CellValue>) -> Option<NaiveDate> {
        let date_1904 = self.book.date_1904;
        self.report(sheet, Some(at), values::date(cell, date_1904))
    }

    /// Reads a drop-down value; a slip is a note, nonsense a warning.
    fn choice<T: Vocabulary + std::fmt::Display>(
        &mut self,
        sheet: Place<'_>,
        at: (u32, u32),
        cell: Option<&CellValue>,
    ) -> Option<T> {
        let raw = self.text(sheet, at, cell)?;
        match vocab::recognise::<T>(&raw) {
            Some(Match::Exact(v)) => Some(v),
            Some(Match::Assumed(v)) => {
                self.findings.note(sheet, Some(at), format!("\"{raw}\" read as {v}"));
                Some(v)
            }
            None => {
                self.findings.warning(
                    sheet,
                    Some(at),
                    format!("\"{raw}\" is not one of {}; it was ignored", vocab::choices::<T>()),
                );
                None
            }
        }
    }

    /// A figure, working out a formula the workbook holds without its
    /// result (a workbook written by a program) where it is plain
    /// arithmetic on its own sheet.
    fn figure(&mut self, place: Place<'_>, at: Option<(u32, u32)>, cell: Option<&CellValue>) -> Option<Figure> {
        let Some(CellValue::UncachedFormula(f)) = cell else {
            return self.report(place, at, values::figure(cell));
        };
        let sheet = self.book.sheets.iter().find(|s| s.name == place.name);
        match sheet.and_then(|s| super::formula::evaluate(f, s, &self.formula_budget)) {
            Some(value) => {
                self.findings.note(
                    place,
                    at,
                    format!(
                        "holds the formula ={f} with no saved result (the workbook was written by a program, not saved by a spreadsheet); its value, {}, was worked out from that formula",
                        fmt_count(value)
                    ),
                );
                Some(Figure { value, percent_sign: false })
            }
            None => {
                self.findings.warning(
                    place,
                    at,
                    format!(
                        "holds the formula ={f} with no saved result, which this program cannot work out (it reaches another sheet or uses a function other than SUM); the figure is left out: ask the CSU for a copy saved by a spreadsheet program"
                    ),
                );
                None
            }
        }
    }

    fn number(&mut self, sheet: Place<'_>, row: &Row<'_>, col: usize) -> Option<f64> {
        let f = self.figure(sheet, row.at(col), row.cell(col))?;
        if f.percent_sign {
            self.findings.warning(
                sheet,
                row.at(col),
                format!("holds {}%, a percentage where an amount belongs; it was ignored", f.value),
            );
            return None;
        }
        Some(f.value)
    }

    fn money(&mut self, sheet: Place<'_>, row: &Row<'_>, col: usize) -> Option<f64> {
        let v = self.number(sheet, row, col)?;
        if v < 0.0 {
            self.findings.warning(sheet, row.at(col), format!("holds a negative amount (£{v}); it was ignored"));
            return None;
        }
        Some(v)
    }

    fn whole(&mut self, sheet: Place<'_>, row: &Row<'_>, col: usize) -> Option<u64> {
        let (v, note) = self.report(sheet, row.at(col), values::whole(row.cell(col)))?;
        if let Some(note) = note {
            self.findings.note(sheet, row.at(col), note);
        }
        Some(v)
    }

    /// The sheet and its table, when both are there.
    fn open_table(&mut self, which: TemplateSheet) -> Option<(Place<'a>, Table<'a>)> {
        let sheet = self.sheet(which)?;
        let table = self.table(sheet, which)?;
        Some((Place::of(&sheet.name, which), table))
    }

    /// Finds a table, or says which columns are missing.
    fn table(&mut self, sheet: &'a Sheet, which: TemplateSheet) -> Option<Table<'a>> {
        let place = Place::of(&sheet.name, which);
        match Table::find(sheet, which.columns()) {
            Ok(t) => {
                if !t.unknown_headers.is_empty() {
                    self.findings.note(
                        place,
                        None,
                        format!(
                            "columns not in the template were kept in the workbook but not used: {}",
                            t.unknown_headers.join(", ")
                        ),
                    );
                }
                Some(t)
            }
            Err(m) => {
                self.findings.error(
                    place,
                    None,
                    format!("no header row with the columns {}; the sheet was not read", m.missing.join(", ")),
                );
                None
            }
        }
    }

    /// Checks a `Total` row's figure against the sum of the rows above.
    fn check_total(
        &mut self,
        sheet: Place<'_>,
        total: Option<&Row<'_>>,
        col: usize,
        label: &str,
        sum: f64,
        money: bool,
    ) {
        let Some(total) = total else { return };
        let Reading::Value(Figure { value, .. }) = values::figure(total.cell(col)) else {
            return;
        };
        if (value - sum).abs() > 0.5 + sum.abs() * 1e-9 {
            self.findings.warning(sheet, total.at(col), {
                let show = if money { fmt_amount } else { fmt_count };
                format!("the total {label} is {} but the rows above add up to {}", show(value), show(sum))
            });
        }
    }

    pub fn customers(&mut self) -> Vec<Customer> {
        let Some((name, table)) = self.open_table(TemplateSheet::Customers) else {
            return Vec::new();
        };
        let (rows, total) = table.rows(0);
        let shares = self.shares(name, &rows, 3);
        let mut out: Vec<Customer> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (row, share) in rows.iter().zip(shares) {
            let Some(ccg) = self.report(name, row.at(0), values::text(row.cell(0))) else {
                self.findings.error(
                    name,
                    row.at(0),
                    format!("row {} has figures but no CCG name; it was not counted", row.row + 1),
                );
                continue;
            };
            if !seen.insert(normalize(&ccg)) {
                self.findings.warning(
                    name,
                    row.at(0),
                    format!("{ccg} is listed more than once; both rows were counted"),
                );
            }
            let population = self.whole(name, row, 1);
            if population.is_none() {
                self.findings.error(name, row.at(1), format!("{ccg} has no registered population"));
            }
            let budget_per_head = self.money(name, row, 2);
            if let Some(b) = budget_per_head
                && b > 100.0
            {
                self.findings.warning(
                    name,
                    row.at(2),
                    format!(
                        "{ccg}'s budget of £{b:.2} a head is far above the £3 to £25 CCGs set aside; \
                         is it a total rather than a figure per head?"
                    ),
                );
            }
            let agreement = row.at(4).and_then(|at| self.choice::<Agreement>(name, at, row.cell(4)));
            let sla_value = self.money(name, row, 5);
            let break_clause_months = self.whole(name, row, 6).map(|m| m.min(u64::from(u32::MAX)) as u32);
            out.push(Customer {
                row: row.row,
                ccg,
                population,
                budget_per_head,
                share_from_csu: share,
                agreement,
                sla_value,
                break_clause_months,
                ccg_at: row.at(0).map(|(row, col)| CellAt { row, col }),
                agreement_at: row.at(4).map(|(row, col)| CellAt { row, col }),
                budget_at: row.at(2).map(|(row, col)| CellAt { row, col }),
            });
        }
        let population: f64 = out.iter().filter_map(|c| c.population).map(|p| p as f64).sum();
        self.check_total(name, total.as_ref(), 1, "registered population", population, false);
        let sla: f64 = out.iter().filter_map(|c| c.sla_value).sum();
        self.check_total(name, total.as_ref(), 5, "SLA value", sla, true);
        if out.is_empty() {
            self.findings.error(name, None, "no CCGs are listed");
        }
        out
    }

    /// Reads a percentage column. `0.45` and `45` and `45%` all mean 45%:
    /// a column whose plain numbers are all at most 1 holds fractions,
    /// otherwise plain numbers are percentages.
    fn shares(&mut self, sheet: Place<'_>, rows: &[Row<'_>], col: usize) -> Vec<Option<f64>> {
        let figures: Vec<Option<Figure>> =
            rows.iter().map(|r| self.report(sheet, r.at(col), values::figure(r.cell(col)))).collect();
        let plain_are_percent = figures.iter().flatten().any(|f| !f.percent_sign && f.value > 1.0);
        rows.iter()
            .zip(figures)
            .map(|(r, f)| {
                let f = f?;
                let share = if f.percent_sign || plain_are_percent { f.value / 100.0 } else { f.value };
                if !(0.0..=1.0).contains(&share) {
                    self.findings.warning(
                        sheet,
                        r.at(col),
                        format!("a share of {:.1}% is not between 0% and 100%; it was ignored", share * 100.0),
                    );
                    return None;
                }
                Some(share)
            })
            .collect()
    }

    pub fn services(&mut self) -> Vec<Service> {
        let Some((name, table)) = self.open_table(TemplateSheet::Services) else {
            return Vec::new();
        };
        let (rows, total) = table.rows(0);
        let mut out = Vec::new();
        for row in &rows {
            let Some(service) = self.report(name, row.at(0), values::text(row.cell(0))) else {
                self.findings.warning(
                    name,
                    row.at(0),
                    format!("row {} has figures but no service name; it was not counted", row.row + 1),
                );
                continue;
            };
            let category = match row.at(1).and_then(|at| self.text(name, at, row.cell(1))) {
                None => {
                    self.findings.warning(name, row.at(1), format!("{service} has no category; counted as Local"));
                    ServiceCategory::Local
                }
                Some(raw) => match vocab::recognise::<ServiceCategory>(&raw) {
                    Some(Match::Exact(c)) => c,
                    Some(Match::Assumed(c)) => {
                        self.findings.note(name, row.at(1), format!("\"{raw}\" read as {c}"));
                        c
                    }
                    None => ServiceCategory::Local,
                },
            };
            let delivery = row.at(2).and_then(|at| self.choice::<Delivery>(name, at, row.cell(2)));
            let partner = row.at(3).and_then(|at| self.text(name, at, row.cell(3)));
            if matches!(delivery, Some(Delivery::Partner | Delivery::Subcontract)) && partner.is_none() {
                self.findings.warning(
                    name,
                    row.at(3).or(row.at(2)),
                    format!("{service} is delivered with a partner but names none"),
                );
            }
            let fte = self.number(name, row, 4);
            let annual_price = self.money(name, row, 5);
            let category_at = row.at(1).map(|(row, col)| CellAt { row, col });
            out.push(Service { row: row.row, service, category, delivery, partner, fte, annual_price, category_at });
        }
        let price: f64 = out.iter().filter_map(|s| s.annual_price).sum();
        self.check_total(name, total.as_ref(), 5, "annual price", price, true);
        let fte: f64 = out.iter().filter_map(|s| s.fte).sum();
        self.check_total(name, total.as_ref(), 4, "FTE", fte, false);
        if out.is_empty() {
            self.findings.error(name, None, "no services are listed");
        } else if !out.iter().any(|s| s.category.is_scale()) {
            self.findings.warning(
                name,
                None,
                "no service is in one of the four national scale services (business intelligence, healthcare procurement, business support, communications and engagement)",
            );
        }
        out
    }

    pub fn finance(&mut self, plan_type: Option<PlanType>) -> Finance {
        let mut finance = Finance::default();
        let Some(sheet) = self.sheet(TemplateSheet::Finance) else {
            return finance;
        };
        let name = Place::of(&sheet.name, TemplateSheet::Finance);
        let Some((header_row, year_cols)) = find_year_header(sheet) else {
            self.findings.error(
                name,
                None,
                "no header row of financial years (such as 2013/14, 2014/15); the sheet was not read",
            );
            return finance;
        };
        for pair in year_cols.windows(2) {
            if pair[1].1 != pair[0].1 + 1 {
                self.findings.warning(
                    name,
                    Some((header_row, pair[1].0)),
                    format!(
                        "{} does not follow {}; the years should run on without a gap",
                        year_label(pair[1].1),
                        year_label(pair[0].1)
                    ),
                );
            }
        }
        finance.years = year_cols.iter().map(|(_, y)| year_label(*y)).collect();
        let label_col = label_column(sheet, header_row, year_cols[0].0);
        for (&row, cells) in sheet.rows.range(header_row + 1..) {
            let Some(label) = cells.get(label_col).and_then(CellValue::text) else {
                continue;
            };
            let line = match vocab::recognise::<FinanceLine>(label) {
                Some(m) => m.value(),
                None => {
                    let has_figures = year_cols.iter().any(|(c, _)| cells.contains(*c));
                    if has_figures && !matches!(normalize(label).as_str(), s if s.starts_with("total")) {
                        self.findings.note(
                            name,
                            Some((row, label_col)),
                            format!("line \"{label}\" is not one the template uses; it was not counted"),
                        );
                    }
                    continue;
                }
            };
            if finance.lines.iter().any(|l| l.line == line) {
                self.findings.warning(
                    name,
                    Some((row, label_col)),
                    format!("{} appears twice; the first was used", line.label()),
                );
                continue;
            }
            let values = year_cols
                .iter()
                .map(|&(col, _)| {
                    let at = Some((row, col));
                    let f = self.figure(name, at, cells.get(col))?;
                    if f.percent_sign {
                        self.findings.warning(name, at, "a percentage where an amount belongs; it was ignored");
                        return None;
                    }
                    Some(f.value)
                })
                .collect();
            finance.lines.push(FinanceRow { row, line, values });
        }
        for line in FinanceLine::ALL {
            if *line != FinanceLine::Surplus && finance.line(*line).is_none() {
                let severity_error = matches!(line, FinanceLine::IncomeCcgSlas | FinanceLine::PayCosts);
                let message = format!("there is no {} line; it was taken as nothing", line.label());
                if severity_error {
                    self.findings.error(name, None, message);
                } else {
                    self.findings.warning(name, None, message);
                }
            }
        }
        for line in &finance.lines {
            if line.line != FinanceLine::Surplus && line.values.iter().all(Option::is_none) {
                self.findings.warning(
                    name,
                    Some((line.row, label_col)),
                    format!("{} has no figures; it was taken as nothing", line.line.label()),
                );
            }
        }
        self.check_surplus(name, &finance, &year_cols);
        let needed = if plan_type == Some(PlanType::Full) { 4 } else { 2 };
        if finance.years.len() < needed {
            self.findings.error(
                name,
                None,
                format!(
                    "the plan covers {} financial year(s); {} plan must cover at least {needed}",
                    finance.years.len(),
                    if plan_type == Some(PlanType::Full) { "a full" } else { "an outline" }
                ),
            );
        } else if plan_type == Some(PlanType::Full) && !(2013..=2016).all(|y| year_cols.iter().any(|(_, s)| *s == y)) {
            self.findings.error(name, None, "a full plan must cover 2013/14 to 2016/17");
        }
        finance
    }

    fn check_surplus(&mut self, sheet: Place<'_>, finance: &Finance, year_cols: &[(u32, i32)]) {
        let Some(row) = finance.lines.iter().find(|l| l.line == FinanceLine::Surplus) else {
            return;
        };
        for (i, stated) in row.values.iter().enumerate() {
            let Some(stated) = stated else { continue };
            let sum = |pred: fn(FinanceLine) -> bool| -> f64 {
                finance.lines.iter().filter(|l| pred(l.line)).filter_map(|l| l.values[i]).sum()
            };
            let computed = sum(FinanceLine::is_income) - sum(FinanceLine::is_cost);
            if (stated - computed).abs() > 1.0_f64.max(computed.abs() * 1e-4) {
                self.findings.warning(
                    sheet,
                    Some((row.row, year_cols[i].0)),
                    format!(
                        "the surplus for {} is stated as {} but income less costs is {}",
                        finance.years[i],
                        fmt_amount(*stated),
                        fmt_amount(computed)
                    ),
                );
            }
        }
    }

    pub fn workforce(&mut self) -> Vec<WorkforceRow> {
        let Some((name, table)) = self.open_table(TemplateSheet::Workforce) else {
            return Vec::new();
        };
        let (rows, total) = table.rows(0);
        let mut out = Vec::new();
        for row in &rows {
            let Some(function) = self.report(name, row.at(0), values::text(row.cell(0))) else {
                self.findings.warning(
                    name,
                    row.at(0),
                    format!("row {} has figures but no function; it was not counted", row.row + 1),
                );
                continue;
            };
            let band = row.at(1).and_then(|at| self.text(name, at, row.cell(1)));
            let fte = self.number(name, row, 3);
            if fte.is_none() {
                self.findings.warning(name, row.at(3), format!("{function} has no FTE"));
            }
            out.push(WorkforceRow {
                row: row.row,
                function,
                band,
                headcount: self.number(name, row, 2),
                fte,
                tupe_fte: self.number(name, row, 4),
                vacancies_fte: self.number(name, row, 5),
                agency_fte: self.number(name, row, 6),
            });
        }
        let fte: f64 = out.iter().filter_map(|w| w.fte).sum();
        self.check_total(name, total.as_ref(), 3, "FTE", fte, false);
        out
    }

    pub fn leadership(&mut self, plan_type: Option<PlanType>) -> Vec<LeadershipRole> {
        let Some((name, table)) = self.open_table(TemplateSheet::Leadership) else {
            return Vec::new();
        };
        let (rows, _) = table.rows(0);
        let mut out = Vec::new();
        for row in &rows {
            let Some(role) = self.report(name, row.at(0), values::text(row.cell(0))) else {
                continue;
            };
            let status = row.at(2).and_then(|at| self.choice::<AppointmentStatus>(name, at, row.cell(2)));
            if status.is_none() {
                self.findings.warning(name, row.at(2), format!("{role} has no status"));
            }
            out.push(LeadershipRole {
                row: row.row,
                role,
                name: row.at(1).and_then(|at| self.text(name, at, row.cell(1))),
                status,
                start_date: row.at(3).and_then(|at| self.date(name, at, row.cell(3))),
                background: row.at(4).and_then(|at| self.choice::<Background>(name, at, row.cell(4))),
            });
        }
        if plan_type == Some(PlanType::Full) && !out.iter().any(LeadershipRole::is_managing_director) {
            self.findings.error(name, None, "there is no Managing director row, which a full plan must have");
        }
        out
    }

    pub fn risks(&mut self) -> Vec<Risk> {
        let Some((name, table)) = self.open_table(TemplateSheet::Risks) else {
            return Vec::new();
        };
        let (rows, _) = table.rows(1);
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(risk) = self.report(name, row.at(1), values::text(row.cell(1))) else {
                self.findings.warning(
                    name,
                    row.at(1),
                    format!("row {} has no risk description; it was not counted", row.row + 1),
                );
                continue;
            };
            let score = |reader: &mut Self, col: usize, what: &str| -> Option<u8> {
                let v = reader.whole(name, row, col);
                match v {
                    Some(v @ 1..=5) => Some(v as u8),
                    Some(v) => {
                        reader.findings.warning(
                            name,
                            row.at(col),
                            format!("{what} {v} is not on the 1-5 scale; it was ignored"),
                        );
                        None
                    }
                    None => {
                        reader.findings.warning(name, row.at(col), format!("the risk has no {what}"));
                        None
                    }
                }
            };
            let likelihood = score(self, 3, "likelihood");
            let impact = score(self, 4, "impact");
            out.push(Risk {
                row: row.row,
                id: row.at(0).and_then(|at| self.text(name, at, row.cell(0))),
                risk,
                category: row.at(2).and_then(|at| self.choice::<RiskCategory>(name, at, row.cell(2))),
                likelihood,
                impact,
                mitigation: row.at(5).and_then(|at| self.text(name, at, row.cell(5))),
                owner: row.at(6).and_then(|at| self.text(name, at, row.cell(6))),
            });
        }
        out
    }

    pub fn narrative(&mut self, plan_type: Option<PlanType>) -> Vec<NarrativeResponse> {
        let sheet = self.sheet(TemplateSheet::Narrative);
        let mut out = Vec::new();
        let mut response_cells = Vec::new();
        if let Some(sheet) = sheet
            && let Some(table) = self.table(sheet, TemplateSheet::Narrative)
        {
            let name = Place::of(&sheet.name, TemplateSheet::Narrative);
            let (rows, _) = table.rows(0);
            for row in &rows {
                let Some(heading) = self.report(name, row.at(0), values::text(row.cell(0))) else {
                    continue;
                };
                let section = vocab::recognise::<NarrativeSection>(&heading).map(Match::value);
                let response = self.report(name, row.at(1), values::text(row.cell(1))).unwrap_or_default();
                response_cells.push((section, row.at(1).or(row.at(0))));
                out.push(NarrativeResponse { row: row.row, section, heading, response });
            }
        }
        let sheet_name =
            sheet.map_or(Place::missing(TemplateSheet::Narrative), |s| Place::of(&s.name, TemplateSheet::Narrative));
        for required in NarrativeSection::required_for(plan_type) {
            let answered = out.iter().any(|r| r.section == Some(*required) && !r.response.trim().is_empty());
            if !answered && sheet.is_some() {
                // The empty answer's cell when the heading is there, so the
                // finding leads to it; the whole sheet when it is not.
                let cell = response_cells.iter().find(|(s, _)| *s == Some(*required)).and_then(|(_, c)| *c);
                self.findings.error(sheet_name, cell, format!("the section \"{}\" is not answered", required.label()));
            }
        }
        out
    }
}

/// A cell's value and its (row, column).
type Located<'s> = (&'s CellValue, (u32, u32));

/// Finds a label cell anywhere on the sheet, and the first value to its right.
fn find_label(sheet: &Sheet, field: CoverField) -> Option<((u32, u32), Option<Located<'_>>)> {
    let (key, aliases) = (header_key(field.label()), field.aliases());
    for (&row, cells) in &sheet.rows {
        for (col, value) in cells.iter() {
            let Some(text) = value.text() else { continue };
            let written = header_key(text.trim_end_matches(':'));
            if written == key || aliases.iter().any(|a| header_key(a) == written) {
                let value = cells
                    .right_of(col)
                    .find(|(_, v)| !matches!(v, CellValue::Text(t) if t.trim().is_empty()))
                    .map(|(c, v)| (v, (row, c)));
                return Some(((row, col), value));
            }
        }
    }
    None
}

/// The first row with financial years in it, and each year's column.
fn find_year_header(sheet: &Sheet) -> Option<(u32, Vec<(u32, i32)>)> {
    sheet.rows.iter().find_map(|(&row, cells)| {
        let years: Vec<(u32, i32)> =
            cells.iter().filter_map(|(c, v)| v.text().and_then(parse_year).map(|y| (c, y))).collect();
        (!years.is_empty()).then_some((row, years))
    })
}

/// The column holding line names: the `Line` header if written, else the
/// column left of the first year.
fn label_column(sheet: &Sheet, header_row: u32, first_year_col: u32) -> u32 {
    sheet
        .rows
        .get(&header_row)
        .and_then(|cells| {
            cells
                .iter()
                .find(|(_, v)| v.text().is_some_and(|t| normalize(t) == normalize(FINANCE_LINE_HEADER)))
                .map(|(c, _)| c)
        })
        .unwrap_or(first_year_col.saturating_sub(1))
}
