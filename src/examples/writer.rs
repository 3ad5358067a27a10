//! Writing plan workbooks: the blank template and the example plans.
//!
//! Both are the same thing, a set of sheets laid out as the template lays
//! them out, so one writer serves both. Sheets are described as data
//! ([`SheetLayout`]) so an example can carry the quirks real submissions
//! have (title rows, text money, merged cells, a total row) without a writer
//! of its own.

use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Formula, Workbook, XlsxError};

/// One cell to write.
#[derive(Clone, Debug)]
pub enum Cell {
    Blank,
    Text(String),
    Number(f64),
    /// A number shown with the percent format (stored as a fraction).
    Percent(f64),
    /// A real date cell.
    Date(u16, u8, u8),
    /// A formula with the result a spreadsheet program would have saved.
    Formula(String, String),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Self {
        Cell::Number(n)
    }
}

/// A sheet as it will be written.
#[derive(Clone, Debug, Default)]
pub struct SheetLayout {
    pub name: String,
    /// Rows above the header: a title, instructions.
    pub preamble: Vec<String>,
    /// The header row; empty for a key/value sheet such as Cover.
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Drop-down lists: a column of the data area, or one data row's cell
    /// when a row is given (the Cover's values).
    pub choices: Vec<Choice>,
    /// Regions to merge, as (first row, col, last row, col) within `rows`.
    pub merges: Vec<(u32, u16, u32, u16)>,
    /// Data rows (indices into `rows`) to hide.
    pub hidden: Vec<u32>,
    /// Column widths in characters, by index.
    pub widths: Vec<f64>,
}

/// A drop-down list on a column, or on one cell of it.
#[derive(Clone, Debug)]
pub struct Choice {
    pub row: Option<u32>,
    pub col: u16,
    pub list: Vec<String>,
}

/// Rows of the data area given drop-downs in the template and examples.
const DROPDOWN_ROWS: u32 = 500;

/// Writes the sheets as an xlsx workbook. The document properties carry a
/// fixed date so that the same layout always gives the same bytes, which
/// keeps the examples' fingerprints stable.
pub fn write_workbook(sheets: &[SheetLayout]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2012, 3, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("CSU business plan")
            .set_author("Business Development Unit")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let guidance = Format::new().set_italic();
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let wrap = Format::new().set_text_wrap();
    for layout in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&layout.name)?;
        for (i, w) in layout.widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w)?;
        }
        let mut r: u32 = 0;
        for (i, line) in layout.preamble.iter().enumerate() {
            let fmt = if i == 0 { &title } else { &guidance };
            ws.write_string_with_format(r, 0, line, fmt)?;
            r += 1;
        }
        if !layout.preamble.is_empty() {
            r += 1;
        }
        if !layout.headers.is_empty() {
            for (c, h) in layout.headers.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, h, &bold)?;
            }
            r += 1;
        }
        let first_data = r;
        for (i, row) in layout.rows.iter().enumerate() {
            let rr = first_data + i as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Blank => {}
                    Cell::Text(s) if s.len() > 200 => {
                        ws.write_string_with_format(rr, c, s, &wrap)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(rr, c, s)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(rr, c, *n)?;
                    }
                    Cell::Percent(n) => {
                        ws.write_number_with_format(rr, c, *n, &percent)?;
                    }
                    Cell::Date(y, m, d) => {
                        ws.write_datetime_with_format(rr, c, ExcelDateTime::from_ymd(*y, *m, *d)?, &date)?;
                    }
                    Cell::Formula(f, result) => {
                        ws.write_formula(rr, c, Formula::new(f).set_result(result))?;
                    }
                }
            }
        }
        for &(r0, c0, r1, c1) in &layout.merges {
            let text = match layout.rows.get(r0 as usize).and_then(|row| row.get(c0 as usize)) {
                Some(Cell::Text(s)) => s.clone(),
                _ => String::new(),
            };
            ws.merge_range(first_data + r0, c0, first_data + r1, c1, &text, &Format::new())?;
        }
        for &h in &layout.hidden {
            ws.set_row_hidden(first_data + h)?;
        }
        for choice in &layout.choices {
            let validation = DataValidation::new().allow_list_strings(&choice.list)?.ignore_blank(true);
            let (r0, r1) = match choice.row {
                Some(row) => (first_data + row, first_data + row),
                None => (first_data, first_data + DROPDOWN_ROWS),
            };
            ws.add_data_validation(r0, choice.col, r1, choice.col, &validation)?;
        }
    }
    book.save_to_buffer()
}
