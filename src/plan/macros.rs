//! Excel 4.0 macro sheets and dialog sheets, taken out of an `.xlsx` or
//! `.xlsm` package before it is read.
//!
//! Old workbooks (and some that are not so old) carry sheets of these
//! kinds. calamine refuses the whole package when it meets one
//! ("Unrecognized sheet type"), so a plan with a forgotten macro sheet would
//! be called damaged. They hold no plan data: the package is rewritten in
//! memory without their entries in `xl/workbook.xml` (every other part is
//! copied as it is, still compressed), and each is named in a note.

use super::error::Refusal;
use std::io::{Cursor, Read, Write};

/// The relationship types of sheets that are not worksheets.
const NOT_WORKSHEETS: &[&str] = &["/xlMacrosheet", "/xlIntlMacrosheet", "/dialogsheet"];

/// The value of `name="…"` in one XML element, unescaped.
fn attribute(element: &str, name: &str) -> Option<String> {
    let at = element.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = element[at..].find('"')? + at;
    Some(
        element[at..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// The self-closing elements `<tag …/>` of a text, in order.
fn elements<'t>(text: &'t str, tag: &str) -> Vec<(usize, &'t str)> {
    let open = format!("<{tag} ");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find(&open).map(|i| i + from) {
        let Some(end) = text[start..].find("/>").map(|i| i + start + 2) else { break };
        out.push((start, &text[start..end]));
        from = end;
    }
    out
}

fn part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut bytes = Vec::new();
    archive.by_name(name).ok()?.read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A package rewritten without its macro and dialog sheets.
pub struct Rewritten {
    pub bytes: Vec<u8>,
    /// The names of the sheets left out.
    pub skipped: Vec<String>,
}

/// The package without its macro and dialog sheets; `None` when it has none
/// (the usual case: nothing is rewritten).
pub fn without_macro_sheets(bytes: &[u8]) -> Result<Option<Rewritten>, Refusal> {
    let broken = |e: zip::result::ZipError| Refusal::Corrupt { detail: format!("rewriting without macro sheets: {e}") };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    let Some(rels) = part(&mut archive, "xl/_rels/workbook.xml.rels") else { return Ok(None) };
    let ids: Vec<String> = elements(&rels, "Relationship")
        .into_iter()
        .filter(|(_, e)| attribute(e, "Type").is_some_and(|t| NOT_WORKSHEETS.iter().any(|k| t.ends_with(k))))
        .filter_map(|(_, e)| attribute(e, "Id"))
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let Some(workbook) = part(&mut archive, "xl/workbook.xml") else { return Ok(None) };
    let (mut kept, mut names, mut from) = (String::with_capacity(workbook.len()), Vec::new(), 0);
    for (start, element) in elements(&workbook, "sheet") {
        if attribute(element, "r:id").is_some_and(|id| ids.contains(&id)) {
            kept.push_str(&workbook[from..start]);
            from = start + element.len();
            names.push(attribute(element, "name").unwrap_or_default());
        }
    }
    kept.push_str(&workbook[from..]);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(broken)?;
        if entry.name().is_ok_and(|n| n == "xl/workbook.xml") {
            continue;
        }
        out.raw_copy_file(entry).map_err(broken)?;
    }
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("xl/workbook.xml", options).map_err(broken)?;
    out.write_all(kept.as_bytes()).map_err(|e| Refusal::Corrupt { detail: e.to_string() })?;
    Ok(Some(Rewritten { bytes: out.finish().map_err(broken)?.into_inner(), skipped: names }))
}
