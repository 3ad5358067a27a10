//! The portfolio and every score, written for spreadsheets (`.xlsx`, CSV).
//!
//! A CSU's name, an assessor's evidence and a rationale come from outside
//! the BDU. Text beginning `=`, `+`, `-`, `@`, a tab or a carriage return is
//! what a spreadsheet takes for a formula, and a formula can fetch, run or
//! leak; such text is written so that no spreadsheet runs it: in `.xlsx` as
//! a string cell with the quote prefix Excel itself uses for `'=`, in CSV
//! behind an apostrophe.

use super::{Column, Portfolio, Value};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Whether a spreadsheet would take this text for a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Text as a CSV field: inert, and quoted where it must be.
fn csv_field(text: &str) -> String {
    let inert = if looks_like_formula(text) { format!("'{text}") } else { text.to_string() };
    if inert.contains([',', '"', '\n', '\r']) { format!("\"{}\"", inert.replace('"', "\"\"")) } else { inert }
}

fn csv_line(fields: impl IntoIterator<Item = String>) -> String {
    let mut line = fields.into_iter().map(|f| csv_field(&f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// A number as CSV writes it: plain, full precision, no grouping.
fn csv_value(value: &Value) -> String {
    match value {
        Value::Number(v, _) => format!("{v}"),
        other => other.shown(),
    }
}

/// The portfolio's rows as CSV, one line a CSU and checkpoint.
pub fn portfolio_csv(portfolio: &Portfolio) -> String {
    let mut out = csv_line(portfolio_headings());
    for row in &portfolio.rows {
        let mut fields: Vec<String> = Column::ALL.iter().map(|c| csv_value(&c.value(row))).collect();
        fields.push(row.plan_file.display().to_string());
        fields.push(row.assessment_file.as_ref().map(|f| f.display().to_string()).unwrap_or_default());
        out.push_str(&csv_line(fields));
    }
    out
}

/// Every member's score and every consensus, one line a score.
pub fn scores_csv(portfolio: &Portfolio) -> String {
    let mut out = csv_line(SCORE_HEADINGS.map(String::from));
    for line in score_lines(portfolio) {
        out.push_str(&csv_line(line.map(|v| csv_value(&v))));
    }
    out
}

fn portfolio_headings() -> Vec<String> {
    let mut headings: Vec<String> = Column::ALL.iter().map(|c| c.heading().to_string()).collect();
    headings.extend(["Plan file".to_string(), "Assessment file".to_string()]);
    headings
}

const SCORE_HEADINGS: [&str; 9] =
    ["CSU", "Checkpoint", "Domain", "Criterion", "Assessor", "Score", "Evidence", "Consensus", "Rationale"];

fn score_lines(portfolio: &Portfolio) -> Vec<[Value; 9]> {
    let mut lines = Vec::new();
    for a in &portfolio.assessed {
        let csu = Value::Text(a.assessment.plan.csu_name.clone());
        let checkpoint = Value::Number(f64::from(a.assessment.framework().checkpoint), super::Shown::Whole);
        for (domain, criterion) in a.assessment.framework().criteria() {
            let consensus = a.assessment.consensus.iter().find(|c| c.criterion == criterion.id);
            let agreed = consensus.map_or(Value::Blank, |c| Value::Number(f64::from(c.score), super::Shown::Whole));
            let rationale = consensus.map_or(Value::Blank, |c| Value::Text(c.rationale.clone()));
            for s in a.assessment.scores.iter().filter(|s| s.criterion == criterion.id) {
                lines.push([
                    csu.clone(),
                    checkpoint.clone(),
                    Value::Text(domain.title.clone()),
                    Value::Text(criterion.id.clone()),
                    Value::Text(s.assessor.clone()),
                    Value::Number(f64::from(s.score), super::Shown::Whole),
                    Value::Text(s.evidence.clone()),
                    agreed.clone(),
                    rationale.clone(),
                ]);
            }
        }
    }
    lines
}

/// The portfolio, every score, the declared interests and the files that
/// could not be read, as one workbook.
pub fn xlsx(portfolio: &Portfolio) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("Portfolio")?;
    write_row(sheet, 0, &portfolio_headings().into_iter().map(Value::Text).collect::<Vec<_>>(), Some(&bold))?;
    for (i, row) in portfolio.rows.iter().enumerate() {
        let mut values: Vec<Value> = Column::ALL.iter().map(|c| c.value(row)).collect();
        values.push(Value::Text(row.plan_file.display().to_string()));
        values.push(row.assessment_file.as_ref().map_or(Value::Blank, |f| Value::Text(f.display().to_string())));
        write_row(sheet, i as u32 + 1, &values, None)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    let sheet = book.add_worksheet().set_name("Scores")?;
    write_row(sheet, 0, &SCORE_HEADINGS.map(|h| Value::Text(h.to_string())), Some(&bold))?;
    for (i, line) in score_lines(portfolio).iter().enumerate() {
        write_row(sheet, i as u32 + 1, line, None)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let sheet = book.add_worksheet().set_name("Assessors")?;
    let headings = [
        "Assessor",
        "CSUs",
        "Scores compared",
        "Mean difference (raw)",
        "Spread (raw)",
        "Agreement (raw)",
        "Spread (adjusted)",
        "Agreement (adjusted)",
        "Standardised leniency",
        "Tendency",
    ];
    write_row(sheet, 0, &headings.map(|h| Value::Text(h.to_string())), Some(&bold))?;
    let figures = super::consistency::assessors(portfolio);
    for (i, f) in figures.iter().enumerate() {
        let n = |v: f64, shown| Value::Number(v, shown);
        let values = [
            Value::Text(f.assessor.clone()),
            n(f.csus as f64, super::Shown::Whole),
            n(f.scores as f64, super::Shown::Whole),
            n(f.raw.mean_difference, super::Shown::Ratio),
            n(f.raw.spread, super::Shown::Ratio),
            n(f.raw.agreement, super::Shown::Percent),
            n(f.adjusted.spread, super::Shown::Ratio),
            n(f.adjusted.agreement, super::Shown::Percent),
            f.standardised_leniency.map_or(Value::Blank, |z| n(z, super::Shown::Ratio)),
            f.tendency().map_or(Value::Blank, |t| Value::Text(t.to_string())),
        ];
        write_row(sheet, i as u32 + 1, &values, None)?;
    }
    write_row(sheet, figures.len() as u32 + 2, &[Value::Text(super::consistency::METHOD.to_string())], None)?;
    let sheet = book.add_worksheet().set_name("Interests")?;
    let headings = ["CSU", "Checkpoint", "Member", "Interest declared", "When"];
    write_row(sheet, 0, &headings.map(|h| Value::Text(h.to_string())), Some(&bold))?;
    for (i, d) in portfolio.declarations().into_iter().enumerate() {
        let values = [
            Value::Text(d.csu),
            Value::Number(f64::from(d.checkpoint), super::Shown::Whole),
            Value::Text(d.member),
            Value::Text(d.interest),
            Value::Text(d.at),
        ];
        write_row(sheet, i as u32 + 1, &values, None)?;
    }
    let sheet = book.add_worksheet().set_name("Unreadable")?;
    write_row(sheet, 0, &[Value::Text("File".into()), Value::Text("Why it was not read".into())], Some(&bold))?;
    for (i, u) in portfolio.unreadable.iter().enumerate() {
        let values = [Value::Text(u.file.display().to_string()), Value::Text(u.reason.clone())];
        write_row(sheet, i as u32 + 1, &values, None)?;
    }
    book.save_to_buffer()
}

fn write_row(sheet: &mut Worksheet, row: u32, values: &[Value], format: Option<&Format>) -> Result<(), XlsxError> {
    let quoted = Format::new().set_quote_prefix();
    for (col, value) in values.iter().enumerate() {
        let col = col as u16;
        match (value, format) {
            (Value::Blank, _) => {}
            (Value::Number(v, _), _) => {
                sheet.write_number(row, col, *v)?;
            }
            (Value::Text(t), Some(f)) => {
                sheet.write_string_with_format(row, col, t, f)?;
            }
            (Value::Text(t), None) if looks_like_formula(t) => {
                sheet.write_string_with_format(row, col, t, &quoted)?;
            }
            (Value::Text(t), None) => {
                sheet.write_string(row, col, t)?;
            }
        }
    }
    Ok(())
}
