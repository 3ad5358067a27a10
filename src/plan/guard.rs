//! Checks made on a file's bytes before any spreadsheet reader sees them.
//!
//! calamine trusts the file: it inflates zip parts as far as they go, and for
//! xls and ods it allocates a slot for every cell of a sheet's rectangle when
//! the workbook is opened. A 5 KB file can therefore ask for hundreds of
//! gigabytes and abort the process, beyond any `catch_unwind`. Each check here
//! reads only headers or streams the markup, so it costs little, and refuses
//! the file with a [`Refusal`] before the dense step. The bounds are in
//! [`crate::limits`].

use super::error::Refusal;
use crate::limits;
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// The container formats the plan template arrives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WorkbookFormat {
    /// Office Open XML, with or without macros (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97-2003 (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl WorkbookFormat {
    pub fn label(self) -> &'static str {
        match self {
            WorkbookFormat::Xlsx => "Excel workbook (xlsx)",
            WorkbookFormat::Xlsb => "Excel binary workbook (xlsb)",
            WorkbookFormat::Xls => "Excel 97-2003 workbook (xls)",
            WorkbookFormat::Ods => "OpenDocument spreadsheet (ods)",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the bytes, not the file name: CSUs rename files,
/// and a PDF saved as `plan.xlsx` deserves to be called a PDF. Also runs the
/// container's bounds checks, so a format returned here is safe to open.
pub fn inspect_container(bytes: &[u8]) -> Result<WorkbookFormat, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() as u64 > limits::MAX_PLAN_FILE_BYTES {
        return Err(Refusal::TooLarge { bytes: bytes.len() as u64, limit: limits::MAX_PLAN_FILE_BYTES });
    }
    if bytes.starts_with(ZIP_MAGIC) {
        let format = zip_format(bytes)?;
        if format == WorkbookFormat::Ods {
            check_ods_extent(bytes)?;
        }
        return Ok(format);
    }
    if bytes.starts_with(CFB_MAGIC) {
        return cfb_format(bytes);
    }
    if let Some(version) = old_excel(bytes) {
        return Err(Refusal::OldExcel { version });
    }
    if excel_xml(bytes) {
        return Err(Refusal::ExcelXml);
    }
    Err(Refusal::NotAWorkbook { what: describe_other(bytes) })
}

/// An Excel 2.x, 3.0 or 4.0 worksheet starts with its BIFF2, BIFF3 or BIFF4
/// beginning-of-file record (ids 0x0009, 0x0209, 0x0409), before any
/// compound-file container existed.
fn old_excel(bytes: &[u8]) -> Option<&'static str> {
    let (id, len) = (bytes.get(0..2)?, u16::from_le_bytes([*bytes.get(2)?, *bytes.get(3)?]));
    if !(4..=16).contains(&len) {
        return None;
    }
    match id {
        [0x09, 0x00] => Some("Excel 2.x"),
        [0x09, 0x02] => Some("Excel 3.0"),
        [0x09, 0x04] => Some("Excel 4.0"),
        _ => None,
    }
}

/// Excel 2003's XML spreadsheet: XML naming its processing application or
/// its namespace near the start.
fn excel_xml(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    head.trim_start_matches('\u{feff}').trim_start().starts_with("<?xml")
        && (head.contains("progid=\"excel.sheet\"") || head.contains("urn:schemas-microsoft-com:office:spreadsheet"))
}

/// A short name for a file that is no workbook, from its first bytes.
fn describe_other(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if bytes.starts_with(b"%PDF") {
        "a PDF document".into()
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8\xFF") {
        "an image".into()
    } else if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        "a web page (HTML)".into()
    } else if trimmed.starts_with("<?xml") {
        "an XML file".into()
    } else if bytes.starts_with(b"PK") {
        "a damaged or partial zip file".into()
    } else if std::str::from_utf8(head).is_ok() && head.contains(&b',') {
        "a text file (perhaps CSV)".into()
    } else if std::str::from_utf8(head).is_ok() {
        "a text file".into()
    } else {
        "an unrecognised binary file".into()
    }
}

fn open_zip(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>, Refusal> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Refusal::Corrupt { detail: format!("its zip structure is broken: {e}") })
}

/// Lists the zip's parts from their headers alone (nothing is inflated),
/// refuses any that would inflate beyond the limits, and names the format.
fn zip_format(bytes: &[u8]) -> Result<WorkbookFormat, Refusal> {
    let mut archive = open_zip(bytes)?;
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Refusal::Corrupt { detail: format!("zip entry {i} is unreadable: {e}") })?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        total = total.saturating_add(declared);
        let ratio_too_high =
            declared >= limits::ZIP_RATIO_CHECK_FROM_BYTES && declared / compressed > limits::MAX_ZIP_RATIO;
        if ratio_too_high || total > limits::MAX_UNZIPPED_BYTES {
            return Err(Refusal::Inflates { part: name, declared, compressed });
        }
        // Some Windows writers store parts under back-slashes
        // (`xl\workbook.xml`) and in another case; Excel and calamine read
        // them, so the names are compared as slashes, case ignored.
        names.push(name.replace('\\', "/"));
    }
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        Ok(WorkbookFormat::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(WorkbookFormat::Xlsb)
    } else if super::package::workbook_part(&mut archive).is_some_and(|p| p.to_ascii_lowercase().ends_with(".xml")) {
        Ok(WorkbookFormat::Xlsx)
    } else if has("content.xml") && has("mimetype") {
        if has("META-INF/manifest.xml") && manifest_is_encrypted(&mut archive)? {
            return Err(Refusal::Encrypted);
        }
        Ok(WorkbookFormat::Ods)
    } else if has("word/document.xml") {
        Err(Refusal::NotAWorkbook { what: "a Word document".into() })
    } else if has("content.xml") {
        Err(Refusal::NotAWorkbook { what: "an OpenDocument file that is not a spreadsheet".into() })
    } else {
        Err(Refusal::NotAWorkbook { what: "a zip archive".into() })
    }
}

/// Reads a whole zip part whose size the header check has already bounded.
fn read_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, Refusal> {
    let mut part =
        archive.by_name(name).map_err(|e| Refusal::Corrupt { detail: format!("part `{name}` is unreadable: {e}") })?;
    let mut out = Vec::new();
    part.read_to_end(&mut out).map_err(|e| Refusal::Corrupt { detail: format!("part `{name}` is unreadable: {e}") })?;
    Ok(out)
}

fn manifest_is_encrypted(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<bool, Refusal> {
    let manifest = read_part(archive, "META-INF/manifest.xml")?;
    Ok(manifest.windows(b"encryption-data".len()).any(|w| w == b"encryption-data"))
}

/// OpenDocument rows and cells carry repeat counts; calamine expands every
/// non-empty repeated cell into the dense sheet. This walks `content.xml` as
/// a stream, sums the repeats, and refuses a sheet whose non-empty cells span
/// a rectangle larger than [`limits::MAX_DENSE_CELLS_PER_SHEET`].
fn check_ods_extent(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive = open_zip(bytes)?;
    let content = read_part(&mut archive, "content.xml")?;
    let mut reader = quick_xml::Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let mut extent = Extent::default();
    let mut row: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut row_has_value = false;
    let mut row_last_col: u64 = 0;
    let mut row_first_col: u64 = u64::MAX;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Refusal::Corrupt { detail: format!("content.xml is not well-formed: {e}") })?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = attr(e, "table:name").unwrap_or_default();
                    extent = Extent::default();
                    row = 0;
                }
                "table:table-row" => {
                    row_repeat = attr_count(e, "table:number-rows-repeated");
                    col = 0;
                    row_has_value = false;
                    row_last_col = 0;
                    row_first_col = u64::MAX;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeat = attr_count(e, "table:number-columns-repeated");
                    let has_value = matches!(event, Event::Start(_))
                        || attr(e, "office:value-type").is_some()
                        || attr(e, "table:formula").is_some();
                    if has_value {
                        row_has_value = true;
                        row_first_col = row_first_col.min(col);
                        row_last_col = row_last_col.max(col.saturating_add(repeat));
                    }
                    col = col.saturating_add(repeat);
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if row_has_value {
                        extent.include(row, row.saturating_add(row_repeat), row_first_col, row_last_col);
                        extent.check(&sheet)?;
                    }
                    row = row.saturating_add(row_repeat);
                }
                "table:table" => extent.check(&sheet)?,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// The rectangle spanned by a sheet's non-empty cells, half-open.
#[derive(Default)]
struct Extent {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Extent {
    fn include(&mut self, row_start: u64, row_end: u64, col_start: u64, col_end: u64) {
        self.rows = Some(match self.rows {
            Some((a, b)) => (a.min(row_start), b.max(row_end)),
            None => (row_start, row_end),
        });
        self.cols = Some(match self.cols {
            Some((a, b)) => (a.min(col_start), b.max(col_end)),
            None => (col_start, col_end),
        });
    }

    fn check(&self, sheet: &str) -> Result<(), Refusal> {
        if let (Some((r0, r1)), Some((c0, c1))) = (self.rows, self.cols) {
            let rows = r1.saturating_sub(r0);
            let cols = c1.saturating_sub(c0);
            if rows.saturating_mul(cols) > limits::MAX_DENSE_CELLS_PER_SHEET {
                return Err(Refusal::SheetTooLarge {
                    sheet: sheet.to_string(),
                    what: format!("spans {rows} rows by {cols} columns"),
                });
            }
        }
        Ok(())
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().map(|a| a.value.into_owned())
}

fn attr_count(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1).max(1)
}

/// A compound (OLE) file is either an Excel 97-2003 workbook or, for xlsx
/// and xlsb, the envelope a password puts around them.
fn cfb_format(bytes: &[u8]) -> Result<WorkbookFormat, Refusal> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Refusal::Corrupt { detail: format!("its compound-file structure is broken: {e}") })?;
    if file.exists("/EncryptedPackage") || file.exists("/EncryptionInfo") {
        return Err(Refusal::Encrypted);
    }
    let stream_name = if file.exists("/Workbook") {
        "/Workbook"
    } else if file.exists("/Book") {
        "/Book"
    } else if file.exists("/WordDocument") {
        return Err(Refusal::NotAWorkbook { what: "a Word 97-2003 document".into() });
    } else {
        return Err(Refusal::NotAWorkbook { what: "an Office compound file with no workbook inside".into() });
    };
    let mut stream = Vec::new();
    file.open_stream(stream_name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| Refusal::Corrupt { detail: format!("its workbook stream is unreadable: {e}") })?;
    check_xls_extent(&stream)?;
    Ok(WorkbookFormat::Xls)
}

/// Reads an xls workbook stream the way calamine 0.38 does
/// (`Xls::parse_workbook`), so that what it would allocate is known before
/// it runs: the globals up to their EOF give each sheet's offset
/// (BoundSheet8); each sheet is then read from that offset, not from where
/// a linear walk would place it, because a crafted offset can start a sheet
/// inside another one, or in a stream with no EOF. calamine reserves
/// `rows x columns` slots from a sheet's DIMENSIONS record and builds dense
/// grids over its cells and over its formulas; all three are bounded here.
/// A FILEPASS record means the workbook is encrypted.
fn check_xls_extent(stream: &[u8]) -> Result<(), Refusal> {
    let mut offsets = Vec::new();
    for (typ, data) in BiffRecords(stream) {
        match typ {
            0x002F => return Err(Refusal::Encrypted),
            0x0085 if data.len() >= 4 => offsets.push((le_u32(data, 0) as usize, bound_sheet_name(data))),
            0x000A => break,
            _ => {}
        }
    }
    if offsets.len() > limits::MAX_SHEETS {
        return Err(Refusal::TooManySheets { count: offsets.len(), limit: limits::MAX_SHEETS });
    }
    for (index, (offset, name)) in offsets.into_iter().enumerate() {
        if let Some(sheet) = stream.get(offset..) {
            check_xls_sheet(sheet, &name.unwrap_or_else(|| format!("number {}", index + 1)))?;
        }
    }
    Ok(())
}

/// A BIFF8 BoundSheet8 record's sheet name, for the refusal to name it.
fn bound_sheet_name(data: &[u8]) -> Option<String> {
    let count = usize::from(*data.get(6)?);
    let high_bytes = *data.get(7)? & 1 == 1;
    let chars = data.get(8..)?;
    let name = if !high_bytes {
        chars.get(..count)?.iter().map(|&b| char::from(b)).collect()
    } else {
        let units: Vec<u16> = chars.get(..count * 2)?.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    Some(name).filter(|n| !n.trim().is_empty())
}

/// One sheet, record for record as calamine reads it: the first BOF is the
/// sheet's own, a later one opens a substream (an embedded chart) whose
/// records are skipped, and the sheet ends at its EOF or the stream's end.
fn check_xls_sheet(sheet: &[u8], name: &str) -> Result<(), Refusal> {
    let mut cells = Extent::default();
    let mut formulas = Extent::default();
    let mut formula_at = (0u64, 0u64);
    let mut seen_bof = false;
    let mut depth = 0usize;
    for (typ, data) in BiffRecords(sheet) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let at = |data: &[u8]| (u64::from(le_u16(data, 0)), u64::from(le_u16(data, 2)));
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => {
                let (rows, cols) = xls_declared_extent(data);
                if rows.saturating_mul(cols) > limits::MAX_DENSE_CELLS_PER_SHEET {
                    return Err(Refusal::SheetTooLarge {
                        sheet: name.to_string(),
                        what: format!("declares {rows} rows by {cols} columns"),
                    });
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if data.len() >= 4 => {
                let (row, col) = at(data);
                cells.include(row, row + 1, col, col + 1);
            }
            0x0207 => cells.include(formula_at.0, formula_at.0 + 1, formula_at.1, formula_at.1 + 1),
            0x0006 if data.len() >= 4 => {
                formula_at = at(data);
                let (row, col) = formula_at;
                cells.include(row, row + 1, col, col + 1);
                formulas.include(row, row + 1, col, col + 1);
            }
            0x00BD if data.len() >= 6 => {
                let (row, first) = at(data);
                let count = ((data.len() - 6) / 6).max(1) as u64;
                cells.include(row, row + 1, first, first + count);
            }
            0x000A => break,
            _ => {}
        }
        cells.check(name)?;
        formulas.check(name)?;
    }
    Ok(())
}

/// BIFF records as calamine's `RecordIter` yields them: type and data, the
/// CONTINUE records after one folded into it, and a truncated record ending
/// the walk (calamine stops there with an error, allocating nothing more).
struct BiffRecords<'a>(&'a [u8]);

impl<'a> Iterator for BiffRecords<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.0;
        if stream.len() < 4 {
            return None;
        }
        let typ = le_u16(stream, 0);
        let len = usize::from(le_u16(stream, 2));
        let data = stream.get(4..4 + len)?;
        let mut rest = &stream[4 + len..];
        while rest.len() > 4 && le_u16(rest, 0) == 0x003C {
            let len = usize::from(le_u16(rest, 2));
            rest = rest.get(4 + len..)?;
        }
        self.0 = rest;
        Some((typ, data))
    }
}

/// The rows and columns calamine will reserve for a DIMENSIONS record,
/// worked out as it does (calamine 0.38 `parse_dimensions` and
/// `parse_workbook`), wrapping included: a last row before the first wraps
/// its 32-bit row count to about four billion, which asked for 343 GB (found
/// by fuzzing; `tests/fixtures/fuzz-xls-dimensions-wrap.xls`).
fn xls_declared_extent(data: &[u8]) -> (u64, u64) {
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u32::from(le_u16(data, 0)),
            u32::from(le_u16(data, 2)),
            u32::from(le_u16(data, 4)),
            u32::from(le_u16(data, 6)),
        ),
        14 | 16 => (le_u32(data, 0), le_u32(data, 4), u32::from(le_u16(data, 8)), u32::from(le_u16(data, 10))),
        _ => return (0, 0),
    };
    if 0xFF < first_col || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return (1, 1);
    }
    let rows = (last_row - 1).wrapping_sub(first_row).wrapping_add(1);
    let cols = (last_col - 1).wrapping_sub(first_col).wrapping_add(1);
    (u64::from(rows), u64::from(cols))
}

fn le_u16(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

fn le_u32(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_documents_are_named() {
        let what = |b: &[u8]| match inspect_container(b) {
            Err(Refusal::NotAWorkbook { what }) => what,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(what(b"%PDF-1.7\n..."), "a PDF document");
        assert_eq!(what(b"<!DOCTYPE html><html>"), "a web page (HTML)");
        assert_eq!(what(b"CCG,Population\nA,1\n"), "a text file (perhaps CSV)");
        assert!(matches!(inspect_container(b""), Err(Refusal::Empty)));
    }

    #[test]
    fn truncated_zip_is_corrupt() {
        assert!(matches!(inspect_container(b"PK\x03\x04\x14\x00\x00\x00"), Err(Refusal::Corrupt { .. })));
    }
}
