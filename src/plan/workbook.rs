//! A workbook read into sparse sheets, whatever suite wrote it.
//!
//! Everything after this module sees one shape: sheets of cells keyed by
//! (row, column), with values already turned into a handful of kinds. The
//! reader streams xlsx and xlsb cell by cell (calamine's dense
//! `worksheet_range` would allocate the whole rectangle, see
//! `shared/crate-notes.md`), and opens xls and ods only after
//! [`super::guard`] has bounded their extent.

use super::error::Refusal;
use super::guard::WorkbookFormat;
use crate::limits;
use calamine::{Data, DataRef, DataType, Dimensions, Ods, Reader, Xls, Xlsb, Xlsx};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::Cursor;

/// One cell's value, reduced to what the plan reader distinguishes.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell the writing suite stored as a date.
    Date(NaiveDate),
    /// An error value such as `#REF!`.
    Error(String),
    /// A formula whose result was never saved (files written by code, not a suite).
    UncachedFormula(String),
}

impl CellValue {
    /// The value as a person would read it in the cell.
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) => format!("{n}"),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            CellValue::Date(d) => d.format("%d/%m/%Y").to_string(),
            CellValue::Error(e) => e.clone(),
            CellValue::UncachedFormula(f) => format!("={f}"),
        }
    }

    /// Text of a text cell, trimmed; `None` for other kinds and for blank text.
    pub fn text(&self) -> Option<&str> {
        match self {
            CellValue::Text(s) if !s.trim().is_empty() => Some(s.trim()),
            _ => None,
        }
    }
}

/// One row's cells with a value, ordered by zero-based column. Readers
/// deliver cells in column order, so a sorted vector fills by pushing, which
/// is what keeps the sparse read close to calamine's own speed.
#[derive(Clone, Debug, Default)]
pub struct RowCells(Vec<(u32, CellValue)>);

impl RowCells {
    pub fn get(&self, col: u32) -> Option<&CellValue> {
        self.0.binary_search_by_key(&col, |(c, _)| *c).ok().map(|i| &self.0[i].1)
    }

    pub fn contains(&self, col: u32) -> bool {
        self.get(col).is_some()
    }

    /// The cells in column order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &CellValue)> {
        self.0.iter().map(|(c, v)| (*c, v))
    }

    /// The cells right of `col`, in column order.
    pub fn right_of(&self, col: u32) -> impl Iterator<Item = (u32, &CellValue)> {
        let start = self.0.partition_point(|(c, _)| *c <= col);
        self.0[start..].iter().map(|(c, v)| (*c, v))
    }

    /// Sets a cell; true when the cell was empty before.
    fn set(&mut self, col: u32, value: CellValue) -> bool {
        match self.0.last() {
            Some((last, _)) if *last >= col => match self.0.binary_search_by_key(&col, |(c, _)| *c) {
                Ok(i) => {
                    self.0[i].1 = value;
                    false
                }
                Err(i) => {
                    self.0.insert(i, (col, value));
                    true
                }
            },
            _ => {
                self.0.push((col, value));
                true
            }
        }
    }
}

/// A sheet's cells with a value, by zero-based row then column.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: BTreeMap<u32, RowCells>,
    cell_count: usize,
}

impl Sheet {
    fn new(name: &str) -> Self {
        Sheet { name: name.to_string(), ..Sheet::default() }
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        self.rows.get(&row).and_then(|r| r.get(col))
    }

    pub(super) fn insert(&mut self, row: u32, col: u32, value: CellValue) -> Result<(), Refusal> {
        // Cells arrive row by row, so the row is nearly always the last one.
        let added = match self.rows.last_entry().filter(|last| *last.key() == row) {
            Some(mut last) => last.get_mut().set(col, value),
            None => self.rows.entry(row).or_default().set(col, value),
        };
        if added {
            self.cell_count += 1;
            if self.cell_count > limits::MAX_CELLS_PER_SHEET {
                return Err(Refusal::SheetTooLarge {
                    sheet: self.name.clone(),
                    what: format!("holds more than {} cells", limits::MAX_CELLS_PER_SHEET),
                });
            }
        }
        Ok(())
    }

    /// Copies a merged region's value into each of its cells, so a category
    /// merged down five service rows counts for all five. Regions larger than
    /// a table row or column are title banners and are left alone.
    fn spread_merged(&mut self, regions: &[Dimensions]) {
        for region in regions {
            let (r0, c0) = region.start;
            let (r1, c1) = region.end;
            let area = u64::from(r1.saturating_sub(r0) + 1) * u64::from(c1.saturating_sub(c0) + 1);
            if area > 10_000 {
                continue;
            }
            let Some(value) = self.get(r0, c0).cloned() else {
                continue;
            };
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if self.get(r, c).is_none() && self.insert(r, c, value.clone()).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// A sheet that could not be read, kept so the plan can say so.
#[derive(Clone, Debug)]
pub struct UnreadableSheet {
    pub name: String,
    pub reason: String,
}

/// All sheets of a workbook, in workbook order.
#[derive(Debug)]
pub struct Workbook {
    pub format: WorkbookFormat,
    pub sheets: Vec<Sheet>,
    pub unreadable: Vec<UnreadableSheet>,
    /// Macro and dialog sheets left out unread (see `super::macros`).
    pub skipped: Vec<String>,
    /// Whether plain serial numbers count days from 1904 (old Mac Excel).
    pub date_1904: bool,
}

/// Reads the bytes of a workbook already accepted by [`super::guard`].
pub fn read(bytes: &[u8], format: WorkbookFormat) -> Result<Workbook, Refusal> {
    let mut book =
        Workbook { format, sheets: Vec::new(), unreadable: Vec::new(), skipped: Vec::new(), date_1904: false };
    match format {
        WorkbookFormat::Xlsx => match super::macros::without_macro_sheets(bytes)? {
            Some(rewritten) => {
                book.skipped = rewritten.skipped;
                read_xlsx(&rewritten.bytes, &mut book)?
            }
            None => read_xlsx(bytes, &mut book)?,
        },
        WorkbookFormat::Xlsb => read_xlsb(bytes, &mut book)?,
        WorkbookFormat::Xls => {
            let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| corrupt_or_encrypted(&e))?;
            book.date_1904 = wb.has_1904_epoch();
            read_dense(&mut wb, &mut book, |wb, name| wb.merge_cells_by_sheet_name(name).unwrap_or_default())?;
        }
        WorkbookFormat::Ods => {
            let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| corrupt_or_encrypted(&e))?;
            read_dense(&mut wb, &mut book, |_, _| Vec::new())?;
        }
    }
    Ok(book)
}

/// calamine reports passwords as errors of each format; everything else it
/// reports is damage.
fn corrupt_or_encrypted(e: &dyn std::fmt::Display) -> Refusal {
    let detail = e.to_string();
    if detail.to_ascii_lowercase().contains("password") { Refusal::Encrypted } else { Refusal::Corrupt { detail } }
}

fn check_sheet_count(count: usize) -> Result<(), Refusal> {
    if count > limits::MAX_SHEETS {
        return Err(Refusal::TooManySheets { count, limit: limits::MAX_SHEETS });
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], book: &mut Workbook) -> Result<(), Refusal> {
    // Finding merged regions means inflating every sheet part a second time;
    // it runs on another core while this one reads the cells.
    std::thread::scope(|scope| {
        let merges = scope.spawn(|| super::merges::xlsx_merged_regions(bytes));
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt_or_encrypted(&e))?;
        book.date_1904 = wb.has_1904_epoch();
        let names = wb.sheet_names();
        check_sheet_count(names.len())?;
        let mut sheets = Vec::with_capacity(names.len());
        for name in names {
            let mut sheet = Sheet::new(&name);
            let outcome = read_xlsx_sheet(&mut wb, &mut sheet);
            sheets.push((sheet, outcome));
        }
        let mut merges = merges.join().unwrap_or_default();
        for (sheet, outcome) in sheets {
            let merged = merges.remove(&sheet.name).unwrap_or_default();
            keep_sheet(book, sheet, &merged, outcome)?;
        }
        Ok(())
    })
}

fn read_xlsx_sheet(wb: &mut Xlsx<Cursor<&[u8]>>, sheet: &mut Sheet) -> Result<(), Refusal> {
    let mut cells = wb.worksheet_cells_reader(&sheet.name).map_err(|e| corrupt_or_encrypted(&e))?;
    while let Some(cell) = cells.next_cell_with_formula().map_err(|e| corrupt_or_encrypted(&e))? {
        let (row, col) = cell.pos;
        let value = match (convert_ref(cell.value), cell.formula) {
            (Some(v), _) => v,
            (None, Some(f)) if !f.is_empty() => CellValue::UncachedFormula(f),
            (None, _) => continue,
        };
        sheet.insert(row, col, value)?;
    }
    Ok(())
}

fn read_xlsb(bytes: &[u8], book: &mut Workbook) -> Result<(), Refusal> {
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| corrupt_or_encrypted(&e))?;
    book.date_1904 = wb.has_1904_epoch();
    let names = wb.sheet_names();
    check_sheet_count(names.len())?;
    for name in names {
        let mut sheet = Sheet::new(&name);
        let outcome = (|| -> Result<(), Refusal> {
            let mut cells = wb.worksheet_cells_reader(&name).map_err(|e| corrupt_or_encrypted(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| corrupt_or_encrypted(&e))? {
                let (row, col) = cell.get_position();
                if let Some(value) = convert_ref(cell.get_value().clone()) {
                    sheet.insert(row, col, value)?;
                }
            }
            Ok(())
        })();
        keep_sheet(book, sheet, &[], outcome)?;
    }
    Ok(())
}

/// xls and ods: calamine has already built each sheet when the workbook was
/// opened; the guard bounded how large that could be.
fn read_dense<RS, R, F>(wb: &mut R, book: &mut Workbook, merged: F) -> Result<(), Refusal>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    F: Fn(&R, &str) -> Vec<Dimensions>,
{
    let names = wb.sheet_names();
    check_sheet_count(names.len())?;
    for name in names {
        let mut sheet = Sheet::new(&name);
        let outcome = copy_dense_sheet(wb, &mut sheet);
        let regions = merged(wb, &name);
        keep_sheet(book, sheet, &regions, outcome)?;
    }
    Ok(())
}

fn copy_dense_sheet<RS, R>(wb: &mut R, sheet: &mut Sheet) -> Result<(), Refusal>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let range = wb.worksheet_range(&sheet.name).map_err(|e| corrupt_or_encrypted(&e))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, value) in range.used_cells() {
        if let Some(value) = convert(value.clone()) {
            sheet.insert(r0 + r as u32, c0 + c as u32, value)?;
        }
    }
    if let Ok(formulas) = wb.worksheet_formula(&sheet.name) {
        let (f0, g0) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            let (row, col) = (f0 + r as u32, g0 + c as u32);
            if !formula.is_empty() && sheet.get(row, col).is_none() {
                sheet.insert(row, col, CellValue::UncachedFormula(formula.clone()))?;
            }
        }
    }
    Ok(())
}

/// Adds a read sheet, or records why it could not be read. A sheet too large
/// refuses the whole file; any other failure only loses that sheet.
fn keep_sheet(
    book: &mut Workbook,
    mut sheet: Sheet,
    merged: &[Dimensions],
    outcome: Result<(), Refusal>,
) -> Result<(), Refusal> {
    match outcome {
        Ok(()) => {
            sheet.spread_merged(merged);
            book.sheets.push(sheet);
            Ok(())
        }
        Err(refusal @ (Refusal::SheetTooLarge { .. } | Refusal::Encrypted)) => Err(refusal),
        Err(other) => {
            book.unreadable.push(UnreadableSheet { name: sheet.name, reason: other.to_string() });
            Ok(())
        }
    }
}

fn convert_ref(value: DataRef<'_>) -> Option<CellValue> {
    convert(Data::from(value))
}

fn convert(value: Data) -> Option<CellValue> {
    Some(match value {
        Data::Empty => return None,
        Data::String(s) => {
            if s.is_empty() {
                return None;
            }
            if is_error_text(&s) { CellValue::Error(s) } else { CellValue::Text(clip(s)) }
        }
        Data::Int(i) => CellValue::Number(i as f64),
        Data::Float(f) => CellValue::Number(f),
        Data::Bool(b) => CellValue::Bool(b),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                CellValue::Number(dt.as_f64())
            } else {
                match dt.as_datetime() {
                    Some(d) => CellValue::Date(d.date()),
                    None => CellValue::Number(dt.as_f64()),
                }
            }
        }
        Data::DateTimeIso(_) => match value.as_date() {
            Some(d) => CellValue::Date(d),
            None => CellValue::Text(value.to_string()),
        },
        Data::DurationIso(s) => CellValue::Text(s),
        Data::Error(e) => CellValue::Error(e.to_string()),
    })
}

/// OpenDocument stores a formula's error result as text; Excel as an error.
fn is_error_text(s: &str) -> bool {
    matches!(s, "#REF!" | "#DIV/0!" | "#VALUE!" | "#N/A" | "#NAME?" | "#NUM!" | "#NULL!" | "Err:502" | "Err:504")
}

fn clip(mut s: String) -> String {
    if s.len() > limits::MAX_CELL_TEXT_CHARS
        && let Some((at, _)) = s.char_indices().nth(limits::MAX_CELL_TEXT_CHARS)
    {
        s.truncate(at);
    }
    s
}
