//! Hostile and broken files: each is refused (or loaded with findings) in
//! bounded memory, with a sentence naming the file and the cause. How fast
//! is measured in `benches/import.rs`, never asserted here.
//! The fixtures are built here, byte by byte where no writer makes them.

use crate::util::*;
use csu_assess::plan;
use std::io::Write;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("fixture written");
    path
}

/// Imports a file that must be refused, and returns the message.
#[track_caller]
fn refused(path: &Path) -> String {
    let err = plan::import(path).expect_err("the file must be refused");
    let message = err.to_string();
    let name = path.file_name().expect("name").to_string_lossy().into_owned();
    assert!(message.contains(&name), "the message names the file: {message}");
    message
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        out.start_file(*name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

fn strong_bytes() -> Vec<u8> {
    csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("written")
}

#[test]
fn empty_truncated_and_other_documents_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = refused(&write(dir.path(), "empty.xlsx", b""));
    assert!(m.contains("the file is empty"), "{m}");

    let whole = strong_bytes();
    let m = refused(&write(dir.path(), "truncated.xlsx", &whole[..whole.len() / 2]));
    assert!(m.contains("damaged"), "{m}");

    let m = refused(&write(dir.path(), "report.xlsx", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"));
    assert!(m.contains("this is a PDF document, not a spreadsheet workbook"), "{m}");

    let m = refused(&write(dir.path(), "export.xlsx", b"CCG,Population\nNorthdale,250000\n"));
    assert!(m.contains("a text file (perhaps CSV)"), "{m}");

    let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let m = refused(&write(dir.path(), "noise.xls", &noise));
    assert!(m.contains("not a spreadsheet workbook"), "{m}");

    let docx = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]);
    let m = refused(&write(dir.path(), "letter.xlsx", &docx));
    assert!(m.contains("a Word document"), "{m}");
}

#[test]
fn a_file_larger_than_any_plan_is_refused_unread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.xlsx");
    let file = std::fs::File::create(&path).expect("created");
    file.set_len(csu_assess::limits::MAX_PLAN_FILE_BYTES + 1).expect("sparse file");
    let m = refused(&path);
    assert!(m.contains("the file is 64.0 MB, more than the 64 MB a plan workbook may be"), "{m}");
}

#[test]
fn password_protected_workbooks_are_refused_plainly() {
    let dir = tempfile::tempdir().expect("tempdir");
    // What Excel writes for a workbook with a password: a compound file
    // holding the encryption description and the encrypted package.
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    cfb.create_stream("/EncryptionInfo").expect("stream").write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0]).expect("w");
    cfb.create_stream("/EncryptedPackage").expect("stream").write_all(&[0u8; 4096]).expect("w");
    cfb.flush().expect("flush");
    let bytes = cfb.into_inner().into_inner();
    let m = refused(&write(dir.path(), "locked.xlsx", &bytes));
    assert!(m.contains("password-protected (encrypted)"), "{m}");

    let ods = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", b"<office:document-content/>"),
        (
            "META-INF/manifest.xml",
            b"<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
        ),
    ]);
    let m = refused(&write(dir.path(), "locked.ods", &ods));
    assert!(m.contains("password-protected"), "{m}");
}

#[test]
fn one_cell_at_xfd1048576_loads_sparsely_with_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("Cover").expect("name");
    cover.write_string(0, 0, "CSU name").expect("w");
    cover.write_string(0, 1, "Far Corner CSU").expect("w");
    cover.write_string(1, 0, "Plan type").expect("w");
    cover.write_string(1, 1, "Outline").expect("w");
    let customers = book.add_worksheet().set_name("Customers").expect("name");
    customers.write_string(0, 0, "CCG").expect("w");
    customers.write_number(1_048_575, 16_383, 1.0).expect("w");
    let path = write(dir.path(), "far-corner.xlsx", &book.save_to_buffer().expect("saved"));
    let p = plan::import(&path).expect("a plan with findings still loads");
    assert_eq!(p.cover.csu_name, "Far Corner CSU");
    finding_at(&p, "Customers", "no header row with the columns Registered population");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = strong_bytes();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(&whole)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).expect("read");
        if name == "xl/worksheets/sheet2.xml" {
            let xml = String::from_utf8(data).expect("utf8");
            data = xml.replacen("<sheetData>", &format!("<sheetData>{}", " ".repeat(40 << 20)), 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&data).expect("write");
    }
    let bomb = out.finish().expect("finish").into_inner();
    assert!(bomb.len() < 1 << 20, "the bomb is small on disk: {} bytes", bomb.len());
    let m = refused(&write(dir.path(), "bomb.xlsx", &bomb));
    assert!(m.contains("part `xl/worksheets/sheet2.xml` would unpack to"), "{m}");
}

#[test]
fn an_ods_whose_repeat_counts_ask_for_a_hundred_million_cells_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
<table:table table:name="Cover"><table:table-row><table:table-cell office:value-type="string"><text:p>CSU name</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Repeat CSU</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="Risks"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="99" office:value-type="float" office:value="1"/></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
    let ods = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", b"<manifest:manifest/>"),
    ]);
    assert!(ods.len() < 2048, "tiny on disk: {} bytes", ods.len());
    let m = refused(&write(dir.path(), "repeats.ods", &ods));
    assert!(m.contains("sheet `Risks` spans 1000000 rows by 99 columns"), "{m}");
}

/// A BIFF8 record: type, length, data.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

fn xls_with_sheet(sheet_records: &[Vec<u8>]) -> Vec<u8> {
    let bof = |kind: u16| record(0x0809, &[&0x0600u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0u8; 12]].concat());
    // Globals: BOF, one BoundSheet8 giving the sheet's offset, EOF.
    let bound_sheet = |offset: u32| record(0x0085, &[&offset.to_le_bytes()[..], &[0, 0, 6, 0], b"Sheet1"].concat());
    let globals_len = bof(0x0005).len() + bound_sheet(0).len() + record(0x000A, &[]).len();
    let mut stream = bof(0x0005);
    stream.extend(bound_sheet(globals_len as u32));
    stream.extend(record(0x000A, &[]));
    stream.extend(bof(0x0010));
    for r in sheet_records {
        stream.extend(r);
    }
    stream.extend(record(0x000A, &[]));
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    cfb.create_stream("/Workbook").expect("stream").write_all(&stream).expect("w");
    cfb.flush().expect("flush");
    cfb.into_inner().into_inner()
}

#[test]
fn an_xls_that_declares_or_spans_a_huge_sheet_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dimensions = record(
        0x0200,
        &[
            &0u32.to_le_bytes()[..],
            &4_000_000_000u32.to_le_bytes(),
            &0u16.to_le_bytes(),
            &256u16.to_le_bytes(),
            &[0, 0],
        ]
        .concat(),
    );
    let m = refused(&write(dir.path(), "declares.xls", &xls_with_sheet(&[dimensions])));
    assert!(m.contains("sheet `Sheet1` declares 4000000000 rows by 256 columns"), "{m}");

    let number = |row: u16, col: u16| {
        record(
            0x0203,
            &[&row.to_le_bytes()[..], &col.to_le_bytes(), &0u16.to_le_bytes(), &1.0f64.to_le_bytes()].concat(),
        )
    };
    let m = refused(&write(dir.path(), "spans.xls", &xls_with_sheet(&[number(0, 0), number(65_535, 255)])));
    assert!(m.contains("spans 65536 rows by 256 columns"), "{m}");
}

#[test]
fn a_workbook_with_no_cover_and_no_csu_name_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Budget").expect("name").write_string(0, 0, "Anything").expect("w");
    let m = refused(&write(dir.path(), "budget.xlsx", &book.save_to_buffer().expect("saved")));
    assert!(m.contains("no Cover sheet and no `CSU name` anywhere"), "{m}");
}

/// A survey report that happens to have a sheet called Cover loaded as a
/// plan with six errors; it is no plan and is refused as one.
#[test]
fn a_workbook_with_a_cover_sheet_but_nothing_of_a_plan_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("Cover").expect("name");
    cover.write_string(0, 0, "Student survey 2011").expect("w");
    cover.write_string(1, 0, "Prepared by the registry").expect("w");
    book.add_worksheet().set_name("Responses").expect("name").write_string(0, 0, "Q1").expect("w");
    let m = refused(&write(dir.path(), "survey.xlsx", &book.save_to_buffer().expect("saved")));
    assert!(m.contains("has a Cover sheet but no CSU name and none of the plan's sheets"), "{m}");
    assert!(!m.contains("Xml") && !m.contains("calamine"), "{m}");
}

/// Library words an assessor should never read in a refusal.
const JARGON: &[&str] = &[
    "EOCD",
    "FAT",
    "Cfb",
    "Xml error",
    "entity",
    "End of stream",
    "calamine",
    "Zip archive",
    "sector",
    "record length",
];

#[track_caller]
fn plain(message: &str) {
    for word in JARGON {
        assert!(!message.contains(word), "library jargon {word:?} in: {message}");
    }
}

#[test]
fn refusals_are_sentences_an_assessor_understands_with_the_details_under_verbose() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = strong_bytes();
    let truncated = write(dir.path(), "truncated.xlsx", &whole[..whole.len() / 2]);
    let m = refused(&truncated);
    plain(&m);
    assert!(m.contains("the workbook is damaged and cannot be read; ask the CSU to save it again as .xlsx"), "{m}");
    let out = run_in(dir.path(), &["inspect", "truncated.xlsx", "--verbose"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\n  details: "), "--verbose gives the library's words: {err}");

    for (name, bytes, expected) in [
        ("excel4.xls", b"\x09\x04\x06\x00\x00\x00\x10\x00".to_vec(), "this is an Excel 4.0 worksheet, a format too old to read"),
        ("excel3.xls", b"\x09\x02\x06\x00\x00\x00\x10\x00".to_vec(), "this is an Excel 3.0 worksheet"),
        (
            "excel2003.xml",
            br#"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>"#.to_vec(),
            "this is an Excel 2003 XML spreadsheet, which cannot be read; open it in Excel or LibreOffice and save it as .xlsx",
        ),
    ] {
        let m = refused(&write(dir.path(), name, &bytes));
        plain(&m);
        assert!(m.contains(expected), "{name}: {m}");
    }
}

/// A workbook carrying an Excel 4.0 macro sheet was called damaged (calamine
/// refuses the whole package); the macro sheet is left out with a note and
/// the plan reads as it does without it.
#[test]
fn an_excel_4_macro_sheet_is_skipped_with_a_note() {
    let original = strong_bytes();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(&original[..])).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut part = zin.by_index(i).expect("part");
        let name = part.name().expect("name").to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).expect("read");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let bytes = match name.as_str() {
            "xl/workbook.xml" => text.replace("</sheets>", r#"<sheet name="Macro1" sheetId="99" r:id="rIdMacro"/></sheets>"#),
            "xl/_rels/workbook.xml.rels" => text.replace(
                "</Relationships>",
                r#"<Relationship Id="rIdMacro" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#,
            ),
            _ => text,
        }
        .into_bytes();
        out.start_file(name, options).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.start_file("xl/macrosheets/sheet1.xml", options).expect("start");
    out.write_all(br#"<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>HALT()</f><v>TRUE</v></c></row></sheetData></xm:macrosheet>"#).expect("write");
    let with_macro = out.finish().expect("finish").into_inner();
    let p = plan::import_bytes("with-macro.xlsm", &with_macro).expect("a plan with a macro sheet loads");
    let plain = import(&original);
    assert_eq!(p.metrics, plain.metrics, "the plan reads as it does without the macro sheet");
    finding_at(&p, "Macro1", "is an Excel macro or dialog sheet; it holds no plan data and was not read");
}

#[test]
fn an_xls_whose_dimensions_wrap_round_is_refused_before_the_reader_reserves_for_them() {
    // Found by fuzzing plan import: a DIMENSIONS record whose last row comes
    // before its first. calamine's row count wraps to about four billion
    // and, in a release build, asks for 343 GB at once.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-xls-dimensions-wrap.xls");
    let message = refused(&path);
    assert!(message.contains("declares 4291756038 rows by 2 columns"), "{message}");
}

#[test]
fn an_xls_whose_sheet_starts_where_its_offset_says_is_bounded_where_the_reader_reads_it() {
    // Found by fuzzing plan import: the guard walked the stream from its
    // start while calamine reads each sheet from its BoundSheet offset, so
    // cells the guard placed elsewhere spanned a 110 GB grid in the reader.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-xls-dense-grid.xls");
    let message = refused(&path);
    assert!(message.contains("fuzz-xls-dense-grid.xls"), "{message}");
    assert!(message.contains("rows by") && message.contains("columns"), "{message}");
}

/// Workbooks as some Windows writers zip them: parts under back-slashes
/// (`xl\workbook.xml`) and `[content_types].xml` in lower case. Excel and
/// calamine read them, so the plan reads as its ordinary original does. The
/// fixture is made here, from the example, by re-packing its parts.
#[test]
fn a_workbook_zipped_with_back_slashes_reads_like_its_original() {
    use std::io::{Read, Write};
    let original = csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&original)).expect("a zip");
    let mut repacked = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name =
            entry.name().expect("a name").replace('/', "\\").replace("[Content_Types].xml", "[content_types].xml");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        repacked.start_file(name, options).expect("start");
        repacked.write_all(&bytes).expect("write");
    }
    let bytes = repacked.finish().expect("finish").into_inner();
    let plan = csu_assess::plan::import_bytes("windows.xlsx", &bytes).unwrap_or_else(|e| panic!("refused: {e}"));
    let ordinary = crate::util::import(&original);
    assert_eq!(plan.metrics, ordinary.metrics, "the same figures");
    assert_eq!(plan.customers.len(), ordinary.customers.len());
}
