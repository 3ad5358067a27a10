//! Finding a table inside a sheet as a person laid it out.
//!
//! The header row need not be row 1 (titles and guidance sit above it),
//! columns come in any order, headers are written with any case, spacing,
//! punctuation and a trailing unit such as `(£)`, blank rows separate
//! groups, and a `Total` row may close the table. A [`Table`] hides all of
//! that behind "the rows, and a cell by column name".

use super::template::Column;
use super::vocab::normalize;
use super::workbook::{CellValue, RowCells, Sheet};

/// A table found in a sheet: where its header is and which column is which.
pub struct Table<'a> {
    pub sheet: &'a Sheet,
    pub header_row: u32,
    columns: Vec<Option<u32>>,
    /// Headers in the header row that the template does not define.
    pub unknown_headers: Vec<String>,
}

/// A data row of a table.
pub struct Row<'a> {
    pub row: u32,
    cells: &'a RowCells,
    columns: &'a [Option<u32>],
}

impl<'a> Row<'a> {
    /// The cell under the `index`th column of the spec the table was found with.
    pub fn cell(&self, index: usize) -> Option<&'a CellValue> {
        self.columns[index].and_then(|c| self.cells.get(c))
    }

    /// The (row, column) of that cell, for findings; `None` if the column is absent.
    pub fn at(&self, index: usize) -> Option<(u32, u32)> {
        self.columns[index].map(|c| (self.row, c))
    }

    /// Whether any cell of the row under a known column has a value.
    fn has_values(&self) -> bool {
        self.columns.iter().flatten().any(|c| self.cells.contains(*c))
    }
}

/// What the header search found when no row held every required column.
pub struct MissingColumns {
    pub missing: Vec<&'static str>,
}

impl<'a> Table<'a> {
    /// Finds the first row holding every required column of `spec`.
    pub fn find(sheet: &'a Sheet, spec: &[Column]) -> Result<Table<'a>, MissingColumns> {
        let mut best: Option<(usize, Vec<&'static str>)> = None;
        for (&row, cells) in &sheet.rows {
            let mut columns = vec![None; spec.len()];
            for (col, value) in cells.iter() {
                if let Some(text) = value.text()
                    && let Some(i) = spec.iter().position(|c| c.accepts(text))
                {
                    columns[i].get_or_insert(col);
                }
            }
            let missing: Vec<&'static str> = spec
                .iter()
                .zip(&columns)
                .filter(|(c, found)| c.required && found.is_none())
                .map(|(c, _)| c.header)
                .collect();
            if missing.is_empty() {
                let unknown_headers = cells
                    .iter()
                    .filter(|(col, _)| !columns.contains(&Some(*col)))
                    .filter_map(|(_, v)| v.text().map(str::to_string))
                    .collect();
                return Ok(Table { sheet, header_row: row, columns, unknown_headers });
            }
            let found = columns.iter().flatten().count();
            if found > 0 && best.as_ref().is_none_or(|(n, _)| found > *n) {
                best = Some((found, missing));
            }
        }
        Err(MissingColumns {
            missing: best
                .map(|(_, m)| m)
                .unwrap_or_else(|| spec.iter().filter(|c| c.required).map(|c| c.header).collect()),
        })
    }

    /// The data rows below the header, skipping blank rows, and the `Total`
    /// row if there is one (rows after it are notes, not data).
    pub fn rows<'t>(&'t self, key: usize) -> (Vec<Row<'t>>, Option<Row<'t>>) {
        let mut rows = Vec::new();
        for (&row, cells) in self.sheet.rows.range(self.header_row + 1..) {
            let r = Row { row, cells, columns: &self.columns };
            if !r.has_values() {
                continue;
            }
            let is_total = cells
                .iter()
                .next()
                .and_then(|(_, v)| v.text())
                .or_else(|| r.cell(key).and_then(CellValue::text))
                .is_some_and(is_total_label);
            if is_total {
                return (rows, Some(r));
            }
            rows.push(r);
        }
        (rows, None)
    }

    /// The column index in the sheet of the `index`th spec column.
    pub fn column(&self, index: usize) -> Option<u32> {
        self.columns[index]
    }
}

/// `Total`, `Totals`, `Grand total`, in any case; checked on every row, so
/// the cheap test on length and first letter comes first.
fn is_total_label(text: &str) -> bool {
    text.len() < 20
        && matches!(text.as_bytes().first().map(u8::to_ascii_lowercase), Some(b't' | b'g'))
        && matches!(normalize(text).as_str(), "total" | "totals" | "grandtotal")
}
