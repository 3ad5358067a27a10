//! Merged regions of xlsx worksheets, found without a second XML parse.
//!
//! calamine's `merge_cells_by_sheet_name` parses the whole sheet again to
//! reach `<mergeCells>` at its end, which doubled the import time of a
//! 10,000-risk plan. A sheet part is inflated (the guard has bounded its
//! size) and scanned for `<mergeCell ref="A1:B2"/>` with memchr, which costs
//! a small fraction of a parse and nothing at all for the many sheets that
//! merge no cells.

use calamine::Dimensions;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Merged regions by sheet name. A part that cannot be read yields no
/// regions: merges only fill in values, so losing them loses no data.
pub fn xlsx_merged_regions(bytes: &[u8]) -> HashMap<String, Vec<Dimensions>> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let workbook_path = super::package::workbook_part(&mut zip).unwrap_or_else(|| "xl/workbook.xml".into());
    let folder = super::package::folder_of(&workbook_path).to_string();
    let rels_path = format!("{folder}_rels/{}.rels", &workbook_path[folder.len()..]);
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let mut entry = zip.by_name(name).ok()?;
        let mut out = Vec::new();
        entry.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let (Some(workbook), Some(rels)) = (part(&workbook_path), part(&rels_path)) else {
        return HashMap::new();
    };
    let targets: HashMap<String, String> = super::package::elements(&rels, b"Relationship", &["Id", "Target"])
        .into_iter()
        .map(|mut v| (std::mem::take(&mut v[0]), super::package::resolve(&folder, &v[1])))
        .collect();
    let mut out = HashMap::new();
    for sheet in super::package::elements(&workbook, b"sheet", &["name", "r:id"]) {
        let Some(path) = targets.get(&sheet[1]) else { continue };
        let Some(xml) = part(path) else { continue };
        let regions = scan_merge_cells(&xml);
        if !regions.is_empty() {
            out.insert(sheet[0].clone(), regions);
        }
    }
    out
}

/// Finds every `mergeCell` element's `ref` in a sheet's XML bytes.
fn scan_merge_cells(xml: &[u8]) -> Vec<Dimensions> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(xml, b"mergeCell ") {
        let rest = &xml[at..xml.len().min(at + 200)];
        let Some(start) = memchr::memmem::find(rest, b"ref=\"").map(|i| i + 5) else { continue };
        let Some(len) = memchr::memchr(b'"', &rest[start..]) else { continue };
        let Ok(reference) = std::str::from_utf8(&rest[start..start + len]) else { continue };
        if let Some((a, b)) = reference.split_once(':')
            && let (Some(a), Some(b)) = (parse_a1(a), parse_a1(b))
        {
            out.push(Dimensions::new(a, b));
        }
    }
    out
}

/// `C7` -> zero-based (6, 2).
fn parse_a1(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.replace('$', "");
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1)) - 1;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_refs_are_found_in_the_bytes() {
        let xml = br#"<worksheet><sheetData/><mergeCells count="2"><mergeCell ref="B2:B5"/><mergeCell ref="A1:$D$1"/></mergeCells></worksheet>"#;
        let found = scan_merge_cells(xml);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].start, found[0].end), ((1, 1), (4, 1)));
        assert_eq!((found[1].start, found[1].end), ((0, 0), (0, 3)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("A0"), None);
    }
}
