//! Excel binary workbooks (.xlsb). No open-source suite writes them, so this
//! module writes a minimal one (MS-XLSB records: workbook, sheet data with
//! inline strings and reals) from the cells of an example read back from
//! xlsx, and checks the plan reads the same. Dates become serial numbers,
//! which is one of the spec's variations in itself.

use crate::util::*;
use csu_assess::examples::find;
use csu_assess::plan::workbook::{self, CellValue};
use csu_assess::plan::{self, WorkbookFormat};
use std::io::Write;

/// Appends one BIFF12 record: variable-length type and size, then data.
fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = data.len();
    loop {
        let byte = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(data);
}

/// An XLWideString: character count then UTF-16LE.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        out.extend(u.to_le_bytes());
    }
    out
}

fn sheet_bin(sheet: &workbook::Sheet) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0081, &[]);
    record(&mut out, 0x0094, &[0u8; 16]);
    record(&mut out, 0x0091, &[]);
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
    for (&row, cells) in &sheet.rows {
        let mut header = row.to_le_bytes().to_vec();
        header.extend([0u8; 13]);
        record(&mut out, 0x0000, &header);
        for (col, value) in cells.iter() {
            let mut data = col.to_le_bytes().to_vec();
            data.extend([0u8; 4]);
            match value {
                CellValue::Text(s) => {
                    data.extend(wide(s));
                    record(&mut out, 0x0006, &data);
                }
                CellValue::Number(n) => {
                    data.extend(n.to_le_bytes());
                    record(&mut out, 0x0005, &data);
                }
                CellValue::Date(d) => {
                    data.extend(((*d - epoch).num_days() as f64).to_le_bytes());
                    record(&mut out, 0x0005, &data);
                }
                CellValue::Error(_) => {
                    data.push(0x17);
                    record(&mut out, 0x0003, &data);
                }
                CellValue::Bool(_) | CellValue::UncachedFormula(_) => {}
            }
        }
    }
    record(&mut out, 0x0092, &[]);
    record(&mut out, 0x0082, &[]);
    out
}

fn to_xlsb(book: &workbook::Workbook) -> Vec<u8> {
    let mut workbook_bin = Vec::new();
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, sheet) in book.sheets.iter().enumerate() {
        let id = format!("rId{}", i + 1);
        let mut data = 0u32.to_le_bytes().to_vec();
        data.extend((i as u32 + 1).to_le_bytes());
        data.extend(wide(&id));
        data.extend(wide(&sheet.name));
        record(&mut workbook_bin, 0x009C, &data);
        rels += &format!(r#"<Relationship Id="{id}" Type="worksheet" Target="worksheets/sheet{}.bin"/>"#, i + 1);
    }
    rels += "</Relationships>";
    record(&mut workbook_bin, 0x0090, &[]);
    record(&mut workbook_bin, 0x0084, &[]);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).expect("start");
        zip.write_all(bytes).expect("write");
    };
    part("[Content_Types].xml", b"<Types/>");
    part("xl/workbook.bin", &workbook_bin);
    part("xl/_rels/workbook.bin.rels", rels.as_bytes());
    for (i, sheet) in book.sheets.iter().enumerate() {
        part(&format!("xl/worksheets/sheet{}.bin", i + 1), &sheet_bin(sheet));
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn xlsb_plans_read_like_their_xlsx_originals() {
    for stem in ["northern-star-full", "midlands-shared-outline", "capital-commissioning-full"] {
        let xlsx = find(stem).expect("example").workbook().expect("written");
        let original = import(&xlsx);
        let cells = workbook::read(&xlsx, WorkbookFormat::Xlsx).expect("read");
        let xlsb = to_xlsb(&cells);
        let p = plan::import_bytes(&format!("{stem}.xlsb"), &xlsb).unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_eq!(p.source.format, WorkbookFormat::Xlsb);
        assert_eq!(p.cover.csu_name, original.cover.csu_name);
        assert_eq!(p.cover.submission_date, original.cover.submission_date, "{stem}: serial date");
        assert_eq!(p.metrics, original.metrics, "{stem}");
        let locations = |p: &plan::Plan| p.findings.iter().map(|f| f.location()).collect::<Vec<_>>();
        assert_eq!(locations(&p), locations(&original), "{stem}: {:#?}", p.findings);
    }
}

/// A workbook whose sheet names a relationship its package does not have:
/// calamine's xlsb reader indexes a map with it and panics ("no entry found
/// for key"). The program must refuse the file with a sentence, not crash.
#[test]
fn a_reader_that_panics_is_a_refusal_naming_the_file() {
    let xlsx = find("northern-star-full").expect("example").workbook().expect("written");
    let cells = workbook::read(&xlsx, WorkbookFormat::Xlsx).expect("read");
    let good = to_xlsb(&cells);
    let broken = rewrite_part(&good, "xl/_rels/workbook.bin.rels", |text| text.replace("Id=\"rId1\"", "Id=\"rId99\""));
    let err = plan::import_bytes("from-excel.xlsb", &broken).expect_err("refused");
    let said = err.to_string();
    assert!(said.contains("could not be read") && said.contains("save it as .xlsx"), "{said}");
    // The same case, committed, through the command line: a sentence naming
    // the file and exit 2, not a crash (exit 101).
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = fixture_dir().join("issue17-xlsb-missing-relationship.xlsb");
    let out = run_in(dir.path(), &["inspect", fixture.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("issue17-xlsb-missing-relationship.xlsb: could not be read"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("no entry found"), "{err}");
}

/// The committed fixtures folder (regression files rebuilt by their tests).
fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of a zip package with one part's text changed.
fn rewrite_part(package: &[u8], name: &str, change: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("zip");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut part = zin.by_index(i).expect("part");
        let part_name = part.name().expect("name").to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).expect("read");
        if part_name == name {
            bytes = change(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        zip.start_file(part_name, options).expect("start");
        zip.write_all(&bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}
