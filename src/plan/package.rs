//! Where an Office Open XML package keeps its workbook part.
//!
//! Excel always writes `xl/workbook.xml`, but the standard only requires the
//! package's `_rels/.rels` to name the main part, and small writers put it
//! elsewhere (`workbook.xml` at the root, `book/workbook.xml`). A valid
//! package must not be called "not a spreadsheet" for that.

use quick_xml::events::Event;
use std::io::{Read, Seek};
use zip::ZipArchive;

/// The path of the main workbook part, from `_rels/.rels`, if that part is
/// in the package. The guard has bounded every part's size before this runs.
pub fn workbook_part<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Option<String> {
    let rels = read(zip, "_rels/.rels")?;
    let path = elements(&rels, b"Relationship", &["Type", "Target"])
        .into_iter()
        .find(|v| v[0].ends_with("/officeDocument"))
        .map(|v| resolve("", &v[1]))?;
    zip.by_name(&path).is_ok().then_some(path)
}

/// The folder a part sits in, with its trailing slash: `xl/` for
/// `xl/workbook.xml`, empty for `workbook.xml`.
pub fn folder_of(part: &str) -> &str {
    part.rfind('/').map_or("", |i| &part[..=i])
}

/// A relationship target as a path in the package: absolute targets from
/// the root, others from the folder of the part that names them, with `..`
/// taken back a folder.
pub fn resolve(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{folder}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn read<R: Read + Seek>(zip: &mut ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(name).ok()?;
    let mut out = Vec::new();
    entry.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The named attributes of every element with the given local name.
pub fn elements(xml: &[u8], local: &[u8], attrs: &[&str]) -> Vec<Vec<String>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref().as_bytes() == local => {
                let values = attrs
                    .iter()
                    .map(|a| {
                        e.try_get_attribute(a)
                            .ok()
                            .flatten()
                            .and_then(|v| {
                                v.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|s| s.into_owned())
                            })
                            .unwrap_or_default()
                    })
                    .collect();
                out.push(values);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_from_their_folder_or_the_root() {
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("", "sheet1.xml"), "sheet1.xml");
        assert_eq!(resolve("book/", "../sheets/s1.xml"), "sheets/s1.xml");
        assert_eq!(resolve("", "../../x.xml"), "x.xml", "never above the root");
        assert_eq!(folder_of("book/workbook.xml"), "book/");
        assert_eq!(folder_of("workbook.xml"), "");
    }
}
