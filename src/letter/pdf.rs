//! Drawing laid-out pages as a PDF with printpdf, byte-for-byte reproducible.
//!
//! Fonts are Liberation Sans (SIL OFL), embedded from `assets/` and subset,
//! so £, en dashes, curly quotes and accented names render and extract on
//! any machine. printpdf draws random ids for fonts, images and the trailer
//! (`shared/crate-notes.md` §1a); here every id is fixed and the trailer id
//! is derived from the letter's fingerprint, so the same assessment always
//! gives the same bytes, in one process or many.

use super::compose::Letter;
use super::layout::{self, Item, Measure, PAGE_HEIGHT, PAGE_WIDTH};
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, OffsetDateTime, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, RawImage, RawImageData, RawImageFormat, Rect, TextItem,
    TextMatrix, XObject, XObjectId, XObjectTransform,
};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::assets::{BOLD_TTF, CJK_TTF, FALLBACK_BOLD_TTF, FALLBACK_REGULAR_TTF, LOGO_PNG, REGULAR_TTF};

/// Marks a draft in the PDF's keywords.
pub const DRAFT_KEYWORD: &str = "csu-assess-draft";

/// Marks the fingerprint in the PDF's keywords, where `verify` reads it.
pub const FINGERPRINT_KEYWORD: &str = "csu-assess-fingerprint:";

/// A font parsed once, with its advance widths cached per character.
struct Face {
    parsed: ParsedFont,
    widths: HashMap<char, f32>,
}

/// Every character a letter may hold in practice: Latin, Greek and
/// Cyrillic with their combining marks, Vietnamese and Yoruba letters,
/// punctuation, currency, arrows and mathematical signs.
const WESTERN: [std::ops::Range<u32>; 3] = [0x20..0x2400, 0x2500..0x2600, 0xFB00..0xFB07];

/// Chinese, Japanese and Korean: punctuation, kana, Hangul, the unified
/// ideographs (with extension A) and full-width forms.
const CJK: [std::ops::Range<u32>; 6] =
    [0x3000..0x3100, 0x3130..0x3190, 0x3400..0x4DC0, 0x4E00..0xA000, 0xAC00..0xD7B0, 0xFF00..0xFFF0];

impl Face {
    fn load(bytes: &[u8], ranges: &[std::ops::Range<u32>]) -> Option<Face> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let upem = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        let mut widths = HashMap::new();
        for cp in ranges.iter().flat_map(Clone::clone) {
            if let (Some(ch), Some(gid)) = (char::from_u32(cp), parsed.lookup_glyph_index(cp)) {
                widths.insert(ch, f32::from(parsed.get_horizontal_advance(gid)) / upem);
            }
        }
        Some(Face { parsed, widths })
    }
}

/// The letter's typeface and, for the characters it lacks, the fallback.
struct Family {
    main: Face,
    fallback: Face,
}

/// Which face a run of text is set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Set {
    Main,
    Fallback,
    Cjk,
}

/// Scripts whose letters join or reorder (shaping) or run right to left,
/// which this program cannot set: a name in one is refused by its script
/// rather than printed wrong.
fn unshaped_script(ch: char) -> Option<&'static str> {
    match ch as u32 {
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Some("Hebrew"),
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Some("Arabic"),
        0x0700..=0x074F => Some("Syriac"),
        0x0900..=0x097F => Some("Devanagari"),
        0x0980..=0x09FF => Some("Bengali"),
        0x0A00..=0x0A7F => Some("Gurmukhi"),
        0x0A80..=0x0AFF => Some("Gujarati"),
        0x0B00..=0x0B7F => Some("Oriya"),
        0x0B80..=0x0BFF => Some("Tamil"),
        0x0C00..=0x0C7F => Some("Telugu"),
        0x0C80..=0x0CFF => Some("Kannada"),
        0x0D00..=0x0D7F => Some("Malayalam"),
        0x0D80..=0x0DFF => Some("Sinhala"),
        0x0E00..=0x0E7F => Some("Thai"),
        _ => None,
    }
}

struct Fonts {
    regular: Family,
    bold: Family,
    /// Chinese, Japanese and Korean, one weight, read only when a letter
    /// needs it (the face is large).
    cjk: OnceLock<Option<Face>>,
}

impl Fonts {
    fn family(&self, bold: bool) -> &Family {
        if bold { &self.bold } else { &self.regular }
    }

    fn cjk(&self) -> Option<&Face> {
        self.cjk.get_or_init(|| Face::load(CJK_TTF, &CJK)).as_ref()
    }

    /// The face a character is set in, and its width in ems.
    fn face_of(&self, ch: char, bold: bool) -> Option<(Set, f32)> {
        let family = self.family(bold);
        if let Some(w) = family.main.widths.get(&ch) {
            return Some((Set::Main, *w));
        }
        if let Some(w) = family.fallback.widths.get(&ch) {
            return Some((Set::Fallback, *w));
        }
        self.cjk().and_then(|f| f.widths.get(&ch)).map(|w| (Set::Cjk, *w))
    }

    /// The text in runs, each set in one face. A character of a script that
    /// needs shaping is refused by its script, and one no face has by name.
    fn runs(&self, text: &str, bold: bool) -> Result<Vec<(Set, String)>, PdfError> {
        let mut runs: Vec<(Set, String)> = Vec::new();
        for ch in text.chars() {
            let excerpt = || text.chars().take(60).collect();
            if let Some(script) = unshaped_script(ch) {
                return Err(PdfError::Script { script, text: excerpt() });
            }
            let Some((set, _)) = self.face_of(ch, bold) else {
                return Err(PdfError::Character { ch, code: ch as u32, text: excerpt() });
            };
            match runs.last_mut() {
                Some((s, run)) if *s == set => run.push(ch),
                _ => runs.push((set, ch.to_string())),
            }
        }
        Ok(runs)
    }
}

impl Measure for Fonts {
    /// Characters no face has count as `?` (the letter is refused before
    /// it is drawn with one).
    fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        let unknown = self.family(bold).main.widths.get(&'?').copied().unwrap_or(0.5);
        text.chars().map(|c| self.face_of(c, bold).map_or(unknown, |(_, w)| w)).sum::<f32>() * size
    }
}

/// Why a letter could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the letter fonts in the program are damaged")]
    Fonts,
    #[error("the letterhead logo in the program is damaged ({0})")]
    Logo(String),
    #[error("the PDF could not be written ({0})")]
    Write(String),
    /// A character no font the program carries can print.
    #[error(
        "the letter cannot print the character `{ch}` (U+{code:04X}) in \"{text}\"; no font the program carries has it: change that text"
    )]
    Character { ch: char, code: u32, text: String },
    /// A script whose letters must be joined or reordered to be read.
    #[error(
        "the letter cannot print {script} script, in \"{text}\": its letters must be joined or reordered to be read, which this program cannot do; write that name in Latin letters as the CSU does in English"
    )]
    Script { script: &'static str, text: String },
}

fn fonts() -> Result<&'static Fonts, PdfError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Family {
                    main: Face::load(REGULAR_TTF, &WESTERN)?,
                    fallback: Face::load(FALLBACK_REGULAR_TTF, &WESTERN)?,
                },
                bold: Family {
                    main: Face::load(BOLD_TTF, &WESTERN)?,
                    fallback: Face::load(FALLBACK_BOLD_TTF, &WESTERN)?,
                },
                cjk: OnceLock::new(),
            })
        })
        .as_ref()
        .ok_or(PdfError::Fonts)
}

fn logo() -> Result<RawImage, PdfError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(LOGO_PNG));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| PdfError::Logo(e.to_string()))?;
    let mut pixels = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = reader.next_frame(&mut pixels).map_err(|e| PdfError::Logo(e.to_string()))?;
    pixels.truncate(info.buffer_size());
    let data_format = match info.color_type {
        png::ColorType::Rgb => RawImageFormat::RGB8,
        png::ColorType::Rgba => RawImageFormat::RGBA8,
        png::ColorType::Grayscale => RawImageFormat::R8,
        png::ColorType::GrayscaleAlpha => RawImageFormat::RG8,
        other => return Err(PdfError::Logo(format!("unexpected colour type {other:?}"))),
    };
    Ok(RawImage {
        pixels: RawImageData::U8(pixels),
        width: info.width as usize,
        height: info.height as usize,
        data_format,
        tag: Vec::new(),
    })
}

/// The width in points of text set in the letter's fonts.
pub fn text_width(text: &str, bold: bool, size: f32) -> Result<f32, PdfError> {
    Ok(fonts()?.width(text, bold, size))
}

/// The pages a letter takes, laid out with the embedded fonts' widths.
pub fn pages(letter: &Letter) -> Result<Vec<layout::Page>, PdfError> {
    Ok(layout::lay_out(letter, fonts()?))
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale { percent: level, icc_profile: None })
}

fn point(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// Renders a letter to PDF bytes.
pub fn render(letter: &Letter) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let regular = FontId("LSANSR".into());
    let bold = FontId("LSANSB".into());
    let fallback_regular = FontId("DJSANSR".into());
    let fallback_bold = FontId("DJSANSB".into());
    let cjk = FontId("DROIDSF".into());
    let font_id = |is_bold: bool, set: Set| match (is_bold, set) {
        (false, Set::Main) => regular.clone(),
        (true, Set::Main) => bold.clone(),
        (false, Set::Fallback) => fallback_regular.clone(),
        (true, Set::Fallback) => fallback_bold.clone(),
        (_, Set::Cjk) => cjk.clone(),
    };
    let mut used_fallback = (false, false);
    let mut used_cjk = false;
    let logo_id = XObjectId("BDULOGO".into());
    let logo = logo()?;
    let logo_px = logo.width as f32;
    let mut doc = PdfDocument::new(&letter.subject);
    doc.resources.fonts.map.insert(regular.clone(), PdfFont::new(fonts.regular.main.parsed.clone()));
    doc.resources.fonts.map.insert(bold.clone(), PdfFont::new(fonts.bold.main.parsed.clone()));
    doc.resources.xobjects.map.insert(logo_id.clone(), XObject::Image(logo));

    let laid = layout::lay_out_tagged(letter, fonts);
    // Where each structure element's text is: (page, marked-content id).
    let mut marks: Vec<Vec<(usize, i64)>> = vec![Vec::new(); laid.structure.len()];
    // For each page, the element each of its marked-content ids belongs to.
    let mut page_parents: Vec<Vec<usize>> = Vec::new();
    let mut pdf_pages = Vec::new();
    for (page_index, page) in laid.pages.into_iter().enumerate() {
        let mut ops = Vec::new();
        let mut mcids: Vec<usize> = Vec::new();
        for item in page {
            match &item {
                Item::Text { element: Some(e), .. } => {
                    let mcid = mcids.len() as i64;
                    mcids.push(*e);
                    marks[*e].push((page_index, mcid));
                    let properties = printpdf::DictItem::Dict {
                        map: std::collections::BTreeMap::from([("MCID".to_string(), printpdf::DictItem::Int(mcid))]),
                    };
                    ops.push(Op::BeginMarkedContentWithProperties {
                        tag: laid.structure[*e].role.to_string(),
                        properties,
                    });
                }
                _ => ops.push(Op::BeginMarkedContent { tag: "Artifact".into() }),
            }
            match item {
                Item::Rect { x, y, w, h, grey: g } => {
                    ops.push(Op::SetFillColor { col: grey(g) });
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(x),
                            y: Pt(y),
                            width: Pt(w),
                            height: Pt(h),
                            mode: Some(PaintMode::Fill),
                            winding_order: None,
                        },
                    });
                }
                Item::Line { x1, y1, x2, y2, width, grey: g } => {
                    ops.push(Op::SetOutlineColor { col: grey(g) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint { p: point(x1, y1), bezier: false },
                                LinePoint { p: point(x2, y2), bezier: false },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Text { x, y, size, bold: is_bold, grey: g, text, .. } => {
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFillColor { col: grey(g) });
                    ops.push(Op::SetTextCursor { pos: point(x, y) });
                    // Runs in one text section: each continues where the
                    // last ended, in whichever face has its characters.
                    for (set, run) in fonts.runs(&text, is_bold)? {
                        match set {
                            Set::Main => {}
                            Set::Fallback if is_bold => used_fallback.1 = true,
                            Set::Fallback => used_fallback.0 = true,
                            Set::Cjk => used_cjk = true,
                        }
                        let font = font_id(is_bold, set);
                        ops.push(Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) });
                        ops.push(Op::ShowText { items: vec![TextItem::Text(run)] });
                    }
                    ops.push(Op::EndTextSection);
                }
                Item::Watermark { x, y, size, text } => {
                    let (c, s) = (std::f32::consts::FRAC_1_SQRT_2, std::f32::consts::FRAC_1_SQRT_2);
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFillColor { col: grey(0.88) });
                    ops.push(Op::SetFont { font: PdfFontHandle::External(bold.clone()), size: Pt(size) });
                    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Raw([c, s, -s, c, x, y]) });
                    ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
                    ops.push(Op::EndTextSection);
                }
                Item::Logo { x, y, size } => ops.push(Op::UseXobject {
                    id: logo_id.clone(),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(x)),
                        translate_y: Some(Pt(y)),
                        dpi: Some(logo_px / size * 72.0),
                        ..XObjectTransform::default()
                    },
                }),
            }
            ops.push(Op::EndMarkedContent);
        }
        page_parents.push(mcids);
        pdf_pages.push(PdfPage::new(Mm::from(Pt(PAGE_WIDTH)), Mm::from(Pt(PAGE_HEIGHT)), ops));
    }
    doc.with_pages(pdf_pages);
    // The fallback faces are embedded only where a letter needs them.
    if used_fallback.0 {
        doc.resources.fonts.map.insert(fallback_regular.clone(), PdfFont::new(fonts.regular.fallback.parsed.clone()));
    }
    if used_cjk && let Some(face) = fonts.cjk() {
        doc.resources.fonts.map.insert(cjk.clone(), PdfFont::new(face.parsed.clone()));
    }
    if used_fallback.1 {
        doc.resources.fonts.map.insert(fallback_bold.clone(), PdfFont::new(fonts.bold.fallback.parsed.clone()));
    }

    let when = OffsetDateTime::from_unix_timestamp(letter.timestamp.timestamp())
        .or_else(|_| OffsetDateTime::from_unix_timestamp(0))
        .map_err(|e| PdfError::Write(e.to_string()))?;
    let info = &mut doc.metadata.info;
    info.document_title = letter.subject.clone();
    info.author = letter.organisation.clone();
    info.subject = format!("Assessment letter {}", letter.reference);
    info.creator = "CSU Assess".into();
    info.producer = format!("CSU Assess {}", env!("CARGO_PKG_VERSION"));
    info.keywords = vec![format!("{FINGERPRINT_KEYWORD}{}", letter.fingerprint), letter.reference.clone()];
    if letter.draft {
        info.keywords.push(DRAFT_KEYWORD.to_string());
    }
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;

    let options = PdfSaveOptions::default();
    let mut lo = printpdf::to_lopdf_doc(&doc, &options, &mut Vec::new());
    let id: Vec<u8> = letter.fingerprint.as_bytes().iter().take(32).copied().collect();
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone(), lopdf::StringFormat::Literal),
            lopdf::Object::String(id, lopdf::StringFormat::Literal),
        ]),
    );
    if let Some(info_ref) = lo.trailer.get(b"Info").ok().and_then(|o| o.as_reference().ok())
        && let Some(dict) = lo.get_object_mut(info_ref).ok().and_then(|o| o.as_dict_mut().ok())
    {
        dict.remove(b"GTS_PDFXVersion");
        dict.remove(b"Identifier");
    }
    tag(&mut lo, &laid.structure, &marks, &page_parents, laid.annex_page, &letter.annex_title)?;
    metadata(&mut lo, letter)?;
    // A final letter has room for its signature; a draft never does.
    if !letter.draft {
        let reason = format!("Issued as assessment letter {}", letter.reference);
        super::signature::place(&mut lo, &letter.timestamp, &reason).map_err(PdfError::Write)?;
    }
    // Tagging and the language entry are PDF 1.4 and later.
    lo.version = "1.7".into();
    if options.optimize {
        lo.compress();
    }
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    if letter.draft { Ok(out) } else { super::signature::fill_range(out).map_err(PdfError::Write) }
}

/// The XMP metadata stream PDF/UA asks for: the title the document
/// information gives, its author, subject and dates (the letter's, so the
/// same record and date give the same bytes), and the PDF/UA part.
fn metadata(lo: &mut lopdf::Document, letter: &Letter) -> Result<(), PdfError> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let when = letter.timestamp.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let xmp = format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
            "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" ",
            "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n",
            "<dc:format>application/pdf</dc:format>\n",
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">Assessment letter {reference}</rdf:li></rdf:Alt></dc:description>\n",
            "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>\n",
            "<xmp:CreatorTool>CSU Assess</xmp:CreatorTool>\n",
            "<xmp:CreateDate>{when}</xmp:CreateDate>\n<xmp:ModifyDate>{when}</xmp:ModifyDate>\n",
            "<xmp:MetadataDate>{when}</xmp:MetadataDate>\n",
            "<pdf:Producer>CSU Assess {version}</pdf:Producer>\n",
            "<pdfuaid:part>1</pdfuaid:part>\n",
            "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        ),
        title = escape(&letter.subject),
        author = escape(&letter.organisation),
        reference = escape(&letter.reference),
        when = when,
        version = env!("CARGO_PKG_VERSION"),
    );
    let mut d = lopdf::Dictionary::new();
    d.set("Type", lopdf::Object::Name(b"Metadata".to_vec()));
    d.set("Subtype", lopdf::Object::Name(b"XML".to_vec()));
    let stream = lopdf::Stream::new(d, xmp.into_bytes()).with_compression(false);
    let id = lo.add_object(lopdf::Object::Stream(stream));
    let catalog = lo
        .trailer
        .get(b"Root")
        .and_then(lopdf::Object::as_reference)
        .map_err(|e| PdfError::Write(format!("no document catalogue ({e})")))?;
    let dict =
        lo.get_object_mut(catalog).and_then(lopdf::Object::as_dict_mut).map_err(|e| PdfError::Write(e.to_string()))?;
    dict.set("Metadata", lopdf::Object::Reference(id));
    Ok(())
}

/// A PDF text string: literal when ASCII, else UTF-16BE after a byte-order mark.
pub(super) fn pdf_text(text: &str) -> lopdf::Object {
    if text.is_ascii() {
        lopdf::Object::String(text.as_bytes().to_vec(), lopdf::StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        lopdf::Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    }
}

/// Makes the PDF accessible: the structure tree in reading order (headings,
/// paragraphs, lists, tables with header cells) tied to the marked content
/// drawn on each page, the document's language, its title shown by viewers,
/// and bookmarks for the letter and its annex. printpdf writes the marked
/// content; the tree around it is added here with lopdf.
fn tag(
    lo: &mut lopdf::Document,
    structure: &[layout::Element],
    marks: &[Vec<(usize, i64)>],
    page_parents: &[Vec<usize>],
    annex_page: usize,
    annex_title: &str,
) -> Result<(), PdfError> {
    use lopdf::{Dictionary, Object};
    let pages: Vec<lopdf::ObjectId> = lo.get_pages().values().copied().collect();
    let page_ref = |i: usize| pages.get(i).copied().map(Object::Reference).unwrap_or(Object::Null);
    let root = lo.new_object_id();
    let document = lo.new_object_id();
    let elements: Vec<lopdf::ObjectId> = structure.iter().map(|_| lo.new_object_id()).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); structure.len()];
    let mut top = Vec::new();
    for (i, e) in structure.iter().enumerate() {
        match e.parent {
            Some(p) => children[p].push(i),
            None => top.push(i),
        }
    }
    for (i, e) in structure.iter().enumerate() {
        let mut kids: Vec<Object> = children[i].iter().map(|&c| Object::Reference(elements[c])).collect();
        for &(page, mcid) in &marks[i] {
            let mut mcr = Dictionary::new();
            mcr.set("Type", Object::Name(b"MCR".to_vec()));
            mcr.set("Pg", page_ref(page));
            mcr.set("MCID", Object::Integer(mcid));
            kids.push(Object::Dictionary(mcr));
        }
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"StructElem".to_vec()));
        d.set("S", Object::Name(e.role.as_bytes().to_vec()));
        d.set("P", Object::Reference(e.parent.map_or(document, |p| elements[p])));
        d.set("K", Object::Array(kids));
        // Every header cell heads its column.
        if e.role == "TH" {
            let mut a = Dictionary::new();
            a.set("O", Object::Name(b"Table".to_vec()));
            a.set("Scope", Object::Name(b"Column".to_vec()));
            d.set("A", Object::Dictionary(a));
        }
        lo.objects.insert(elements[i], Object::Dictionary(d));
    }
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"StructElem".to_vec()));
    d.set("S", Object::Name(b"Document".to_vec()));
    d.set("P", Object::Reference(root));
    d.set("K", Object::Array(top.iter().map(|&t| Object::Reference(elements[t])).collect()));
    lo.objects.insert(document, Object::Dictionary(d));
    let mut nums = Vec::new();
    for (i, parents) in page_parents.iter().enumerate() {
        nums.push(Object::Integer(i as i64));
        nums.push(Object::Array(parents.iter().map(|&e| Object::Reference(elements[e])).collect()));
        if let Some(page) = pages.get(i)
            && let Ok(dict) = lo.get_object_mut(*page).and_then(Object::as_dict_mut)
        {
            dict.set("StructParents", Object::Integer(i as i64));
        }
    }
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", Object::Array(nums));
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
    d.set("K", Object::Reference(document));
    d.set("ParentTree", Object::Dictionary(parent_tree));
    d.set("ParentTreeNextKey", Object::Integer(page_parents.len() as i64));
    lo.objects.insert(root, Object::Dictionary(d));

    let outlines = lo.new_object_id();
    let (first, second) = (lo.new_object_id(), lo.new_object_id());
    let item = |title: &str, page: usize, prev: Option<lopdf::ObjectId>, next: Option<lopdf::ObjectId>| {
        let mut d = Dictionary::new();
        d.set("Title", pdf_text(title));
        d.set("Parent", Object::Reference(outlines));
        d.set("Dest", Object::Array(vec![page_ref(page), Object::Name(b"Fit".to_vec())]));
        if let Some(p) = prev {
            d.set("Prev", Object::Reference(p));
        }
        if let Some(n) = next {
            d.set("Next", Object::Reference(n));
        }
        Object::Dictionary(d)
    };
    lo.objects.insert(first, item("Letter", 0, None, Some(second)));
    lo.objects.insert(second, item(annex_title, annex_page, Some(first), None));
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    d.set("First", Object::Reference(first));
    d.set("Last", Object::Reference(second));
    d.set("Count", Object::Integer(2));
    lo.objects.insert(outlines, Object::Dictionary(d));

    let catalog = lo
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| PdfError::Write(format!("no document catalogue ({e})")))?;
    let dict = lo.get_object_mut(catalog).and_then(Object::as_dict_mut).map_err(|e| PdfError::Write(e.to_string()))?;
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", Object::Boolean(true));
    dict.set("MarkInfo", Object::Dictionary(mark_info));
    dict.set("StructTreeRoot", Object::Reference(root));
    dict.set("Lang", pdf_text("en-GB"));
    let mut viewer = Dictionary::new();
    viewer.set("DisplayDocTitle", Object::Boolean(true));
    dict.set("ViewerPreferences", Object::Dictionary(viewer));
    dict.set("Outlines", Object::Reference(outlines));
    dict.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// The text of a PDF's pages, its white space evened out: what two letters
/// say, whatever their layout, compared when a letter laid out by an
/// earlier version is checked against the record.
pub fn text_of(bytes: &[u8]) -> Option<String> {
    let doc = lopdf::Document::load_mem(bytes).ok()?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).ok()?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}
