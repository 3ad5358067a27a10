//! Laying a letter out on A4 pages: wrapping on measured widths, tables
//! that break across pages with their header repeated, and the footer on
//! every page. The result is a list of positioned items per page, so the
//! PDF writer only draws and the layout can be tested without a PDF.

use super::compose::{Block, Letter, Table};

/// Measures text in points; the PDF writer's fonts implement it.
pub trait Measure {
    fn width(&self, text: &str, bold: bool, size: f32) -> f32;
}

/// Something drawn on a page. Coordinates are points from the bottom left.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: f32,
        text: String,
        /// The structure element the text belongs to (an index into
        /// [`Laid::structure`]); `None` for page furniture (footers, a
        /// repeated table header, bullet marks), which readers skip.
        element: Option<usize>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        grey: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: f32,
    },
    Logo {
        x: f32,
        y: f32,
        size: f32,
    },
    /// Large text across the page at 45 degrees, under everything else,
    /// starting at (x, y).
    Watermark {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
}

pub type Page = Vec<Item>;

/// One element of the letter's logical structure, for the tagged PDF:
/// a heading, paragraph, list, list item, table, row or cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// The PDF structure type: `H1`, `H2`, `P`, `L`, `LI`, `Table`, `TR`, `TH`, `TD`.
    pub role: &'static str,
    /// The element it sits in; `None` for the document itself.
    pub parent: Option<usize>,
}

/// A letter laid out: its pages, its structure in reading order, and the
/// page its annex starts on.
pub struct Laid {
    pub pages: Vec<Page>,
    pub structure: Vec<Element>,
    pub annex_page: usize,
}

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const LEFT: f32 = 70.87;
pub const RIGHT: f32 = PAGE_WIDTH - 70.87;
pub const TOP: f32 = PAGE_HEIGHT - 56.7;
pub const BOTTOM: f32 = 76.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 1.38;
const CELL_PAD: f32 = 4.0;
const TABLE_SIZE: f32 = 9.5;

struct Writer<'m> {
    measure: &'m dyn Measure,
    pages: Vec<Page>,
    y: f32,
    structure: Vec<Element>,
    /// The element text drawn now belongs to.
    current: Option<usize>,
}

impl<'m> Writer<'m> {
    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits above the footer.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let element = self.current;
        self.page().push(Item::Text { x, y, size, bold, grey: 0.0, text: text.to_string(), element });
    }

    /// Starts a structure element; text drawn next belongs to it.
    fn element(&mut self, role: &'static str, parent: Option<usize>) -> usize {
        self.structure.push(Element { role, parent });
        self.current = Some(self.structure.len() - 1);
        self.structure.len() - 1
    }

    /// Wraps `text` to `width`: at spaces, at line breaks in the text, and
    /// inside a word only when the word alone is wider than the line.
    fn wrap(&self, text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if self.measure.width(&candidate, bold, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.measure.width(word, bold, size) <= width {
                    line = word.to_string();
                } else {
                    for ch in word.chars() {
                        let mut next = line.clone();
                        next.push(ch);
                        if self.measure.width(&next, bold, size) > width && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            line.push(ch);
                        } else {
                            line = next;
                        }
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    /// A wrapped paragraph; lines move to the next page as needed.
    fn paragraph(&mut self, text: &str, bold: bool, size: f32, indent: f32, space_after: f32) {
        self.paragraph_within(text, bold, size, indent, RIGHT - LEFT - indent, space_after);
    }

    /// A paragraph wrapped within `width` (a column narrower than the page).
    fn paragraph_within(&mut self, text: &str, bold: bool, size: f32, indent: f32, width: f32, space_after: f32) {
        let lead = size * LEADING;
        for line in self.wrap(text, bold, size, width) {
            self.ensure(lead);
            self.y -= lead;
            self.text(LEFT + indent, self.y + size * 0.25, size, bold, &line);
        }
        self.y -= space_after;
    }

    fn heading(&mut self, text: &str) {
        // Keep a heading with at least three lines of what follows.
        self.ensure(BODY * LEADING * 5.0);
        self.y -= 4.0;
        self.element("H2", None);
        self.paragraph(text, true, 11.5, 0.0, 3.0);
    }

    fn bullets(&mut self, items: &[String]) {
        let list = self.element("L", None);
        for item in items {
            let lead = BODY * LEADING;
            // A bullet is never split across pages (unless it is longer
            // than a page).
            let lines = self.wrap(item, false, BODY, RIGHT - LEFT - 16.0).len() as f32;
            self.ensure((lines * lead).min(TOP - BOTTOM));
            let y = self.y - lead + BODY * 0.25;
            // The bullet mark is furniture; the item is the text.
            self.current = None;
            self.text(LEFT + 4.0, y, BODY, false, "•");
            self.element("LI", Some(list));
            self.paragraph(item, false, BODY, 16.0, 2.0);
        }
        self.y -= 4.0;
    }

    fn emphasis(&mut self, text: &str) {
        self.element("P", None);
        let lines = self.wrap(text, true, BODY, RIGHT - LEFT - 16.0);
        let lead = BODY * LEADING;
        let height = lines.len() as f32 * lead + 12.0;
        self.ensure(height.min(TOP - BOTTOM));
        let top = self.y;
        self.page().push(Item::Rect { x: LEFT, y: top - height, w: RIGHT - LEFT, h: height, grey: 0.92 });
        self.page().push(Item::Rect { x: LEFT, y: top - height, w: 3.0, h: height, grey: 0.3 });
        self.y -= 6.0;
        for line in lines {
            self.y -= lead;
            self.text(LEFT + 10.0, self.y + BODY * 0.25, BODY, true, &line);
        }
        self.y = top - height - 8.0;
    }

    /// The header row; `tagged` only the first time (its repeats on later
    /// pages are furniture).
    fn table_header(&mut self, table: &Table, xs: &[f32], widths: &[f32], tagged: Option<usize>) {
        let row = tagged.map(|t| self.element("TR", Some(t)));
        let lead = TABLE_SIZE * LEADING;
        let height = lead + 2.0 * CELL_PAD;
        let y = self.y - height;
        self.page().push(Item::Rect { x: LEFT, y, w: RIGHT - LEFT, h: height, grey: 0.88 });
        for (i, c) in table.columns.iter().enumerate() {
            let x = if c.right_aligned {
                xs[i] + widths[i] - CELL_PAD - self.measure.width(&c.title, true, TABLE_SIZE)
            } else {
                xs[i] + CELL_PAD
            };
            let y = self.y - CELL_PAD - lead + TABLE_SIZE * 0.25;
            match row {
                Some(r) => {
                    self.element("TH", Some(r));
                }
                None => self.current = None,
            }
            self.text(x, y, TABLE_SIZE, true, &c.title);
        }
        self.y -= height;
        self.rule(0.6);
    }

    fn rule(&mut self, width: f32) {
        let y = self.y;
        self.page().push(Item::Line { x1: LEFT, y1: y, x2: RIGHT, y2: y, width, grey: 0.55 });
    }

    /// A table whose rows break across pages, the header repeated on each.
    fn table(&mut self, table: &Table) {
        let total = RIGHT - LEFT;
        let widths: Vec<f32> = table.columns.iter().map(|c| c.width as f32 * total).collect();
        let xs: Vec<f32> = widths.iter().scan(LEFT, |x, w| Some(std::mem::replace(x, *x + w))).collect();
        let lead = TABLE_SIZE * LEADING;
        // A table that fits on a page is kept whole; a longer one starts
        // where there is room for its header and two rows. Near the top of
        // a page (under a heading and its introduction) a table starts at
        // once, rather than leave the heading alone on its page.
        let near_top = self.y > TOP - 110.0;
        let rows = 3.0 * (TABLE_SIZE * LEADING + 2.0 * CELL_PAD);
        self.ensure(if near_top { rows } else { self.start_height(&Block::Table(table.clone())) });
        let tagged = self.element("Table", None);
        self.table_header(table, &xs, &widths, Some(tagged));
        for (r, row) in table.rows.iter().enumerate() {
            let tr = self.element("TR", Some(tagged));
            let cell_elements: Vec<usize> = (0..row.len()).map(|_| self.element("TD", Some(tr))).collect();
            let bold = table.bold_rows.contains(&r);
            let cells: Vec<Vec<String>> = row
                .iter()
                .enumerate()
                .map(|(i, text)| self.wrap(text, bold, TABLE_SIZE, widths[i] - 2.0 * CELL_PAD))
                .collect();
            let mut done = 0;
            let rows_needed = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            while done < rows_needed {
                let fit = ((self.y - BOTTOM - 2.0 * CELL_PAD) / lead).floor().max(0.0) as usize;
                if fit == 0 || (done == 0 && fit < rows_needed.min(3)) {
                    self.new_page();
                    self.table_header(table, &xs, &widths, None);
                    continue;
                }
                let take = fit.min(rows_needed - done);
                let top = self.y;
                for (i, lines) in cells.iter().enumerate() {
                    self.current = cell_elements.get(i).copied();
                    // A row carried over to a new page names its first cell
                    // again (a criterion's id), so the reader knows whose
                    // evidence runs on.
                    // Furniture, like the repeated header: not read twice.
                    if i == 0 && done > 0 && lines.len() <= done {
                        let first = row[0].split_whitespace().next().unwrap_or_default();
                        let y = top - CELL_PAD - lead + TABLE_SIZE * 0.25;
                        self.current = None;
                        self.text(xs[0] + CELL_PAD, y, TABLE_SIZE, bold, &format!("{first} (continued)"));
                        self.current = cell_elements.first().copied();
                    }
                    for (k, line) in lines.iter().skip(done).take(take).enumerate() {
                        let y = top - CELL_PAD - (k as f32 + 1.0) * lead + TABLE_SIZE * 0.25;
                        let x = if table.columns[i].right_aligned {
                            xs[i] + widths[i] - CELL_PAD - self.measure.width(line, bold, TABLE_SIZE)
                        } else {
                            xs[i] + CELL_PAD
                        };
                        self.text(x, y, TABLE_SIZE, bold, line);
                    }
                }
                self.y = top - take as f32 * lead - 2.0 * CELL_PAD;
                self.rule(0.3);
                done += take;
                if done < rows_needed {
                    self.new_page();
                    self.table_header(table, &xs, &widths, None);
                }
            }
        }
        self.y -= 10.0;
    }

    /// The height a table takes whole.
    fn table_height(&self, table: &Table) -> f32 {
        let total = RIGHT - LEFT;
        let lead = TABLE_SIZE * LEADING;
        let lines: usize = table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let bold = table.bold_rows.contains(&r);
                row.iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let width = table.columns[i].width as f32 * total - 2.0 * CELL_PAD;
                        self.wrap(text, bold, TABLE_SIZE, width).len()
                    })
                    .max()
                    .unwrap_or(1)
            })
            .sum();
        lines as f32 * lead + (table.rows.len() as f32 + 1.0) * 2.0 * CELL_PAD + lead + 10.0
    }

    /// The height a block needs on the page where it starts: a table that
    /// fits on a page needs all of it, anything else its first lines.
    fn start_height(&self, block: &Block) -> f32 {
        let lead = BODY * LEADING;
        match block {
            Block::Table(t) => {
                let whole = self.table_height(t);
                if whole <= TOP - BOTTOM { whole } else { 3.0 * (TABLE_SIZE * LEADING + 2.0 * CELL_PAD) }
            }
            Block::Paragraph(t) | Block::Emphasis(t) => {
                (self.wrap(t, false, BODY, RIGHT - LEFT).len().min(3) as f32) * lead + 7.0
            }
            Block::Bullets(items) => {
                items.first().map_or(0.0, |i| self.wrap(i, false, BODY, RIGHT - LEFT - 16.0).len() as f32 * lead)
            }
            Block::Heading(_) => 11.5 * LEADING + 7.0,
        }
    }

    /// The height a paragraph takes whole.
    fn paragraph_height(&self, text: &str) -> f32 {
        self.wrap(text, false, BODY, RIGHT - LEFT).len() as f32 * BODY * LEADING + 7.0
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for (i, block) in blocks.iter().enumerate() {
            // A heading keeps with its introduction and the start of what
            // it introduces (a table whole, when it fits on a page).
            if let Block::Heading(_) = block {
                let mut need = 11.5 * LEADING + 7.0;
                let mut next = i + 1;
                while let Some(Block::Paragraph(t)) = blocks.get(next) {
                    need += self.paragraph_height(t);
                    next += 1;
                }
                if let Some(b) = blocks.get(next).filter(|b| !matches!(b, Block::Heading(_))) {
                    need += self.start_height(b);
                }
                self.ensure(need.min(TOP - BOTTOM));
            }
            match block {
                Block::Heading(t) => self.heading(t),
                Block::Paragraph(t) => {
                    self.element("P", None);
                    self.paragraph(t, false, BODY, 0.0, 7.0)
                }
                Block::Emphasis(t) => self.emphasis(t),
                Block::Bullets(items) => self.bullets(items),
                Block::Table(t) => self.table(t),
            }
        }
    }
}

/// Lays the letter out and returns its pages, footers included.
pub fn lay_out(letter: &Letter, measure: &dyn Measure) -> Vec<Page> {
    lay_out_tagged(letter, measure).pages
}

/// Lays the letter out with its logical structure, for a tagged PDF.
pub fn lay_out_tagged(letter: &Letter, measure: &dyn Measure) -> Laid {
    let mut w = Writer { measure, pages: vec![Vec::new()], y: TOP, structure: Vec::new(), current: None };
    letterhead(&mut w, letter);
    w.element("P", None);
    w.paragraph(&letter.salutation, false, BODY, 0.0, 6.0);
    w.element("H1", None);
    w.paragraph(&letter.subject, true, BODY, 0.0, 8.0);
    // The last paragraph stays on the page with the signature, so a
    // signature never stands alone.
    let (body, last) = letter.body.split_at(letter.body.len().saturating_sub(2));
    w.blocks(body);
    let last_height: f32 = last
        .iter()
        .map(|b| match b {
            Block::Paragraph(t) | Block::Heading(t) => {
                w.wrap(t, false, BODY, RIGHT - LEFT).len() as f32 * BODY * LEADING + 12.0
            }
            _ => 0.0,
        })
        .sum();
    let signature_height = BODY * LEADING * 3.0 + 30.0;
    w.ensure((last_height + signature_height).min(TOP - BOTTOM));
    w.blocks(last);
    w.ensure(signature_height);
    w.element("P", None);
    w.paragraph(&letter.closing, false, BODY, 0.0, 30.0);
    w.element("P", None);
    w.paragraph(&letter.signatory, true, BODY, 0.0, 0.0);
    w.paragraph(&letter.signatory_title, false, BODY, 0.0, 0.0);
    if !letter.copies.is_empty() {
        w.y -= 14.0;
        w.element("P", None);
        w.paragraph(&format!("Copies to: {}", letter.copies.join("; ")), false, BODY, 0.0, 0.0);
    }
    w.new_page();
    let annex_page = w.pages.len() - 1;
    w.element("H1", None);
    w.paragraph(&letter.annex_title, true, 13.0, 0.0, 8.0);
    w.blocks(&letter.annex);
    let mut pages = w.pages;
    let count = pages.len();
    for (n, page) in pages.iter_mut().enumerate() {
        footer(page, letter, n + 1, count, measure);
    }
    Laid { pages, structure: w.structure, annex_page }
}

fn letterhead(w: &mut Writer<'_>, letter: &Letter) {
    let logo = 62.0;
    w.page().push(Item::Logo { x: RIGHT - logo, y: TOP - logo, size: logo });
    w.element("P", None);
    w.text(LEFT, TOP - 16.0, 16.0, true, &letter.organisation);
    w.text(LEFT, TOP - 32.0, 10.5, false, &letter.parent);
    let mut y = TOP - 50.0;
    for line in letter.address.iter().chain(std::iter::once(&letter.contact)).filter(|l| !l.is_empty()) {
        w.text(LEFT, y, 9.0, false, line);
        y -= 11.5;
    }
    w.y = (y + 2.0).min(TOP - logo - 8.0);
    w.rule(0.8);
    w.y -= 22.0;
    let top = w.y;
    // The values stand right of their labels and never past the margin: a
    // long reference is set smaller rather than run off the page.
    let value_x = LEFT + 250.0;
    let label_x = value_x - 68.0;
    w.element("P", None);
    // The address wraps within its own column: a long CSU or managing
    // director's name printed over "Our reference" and the date.
    for line in &letter.addressee {
        w.paragraph_within(line, false, BODY, 0.0, label_x - LEFT - 10.0, 0.0);
    }
    let after_address = w.y;
    let details = [("Date", letter.date.format("%-d %B %Y").to_string()), ("Our reference", letter.reference.clone())];
    let mut y = top - BODY * LEADING + BODY * 0.25;
    w.element("P", None);
    for (label, value) in details {
        let room = RIGHT - value_x;
        let size = (9.0 * room / w.measure.width(&value, false, 9.0).max(1.0)).min(9.0);
        w.text(label_x, y, 9.0, true, label);
        w.text(value_x, y, size, false, &value);
        y -= 13.0;
    }
    w.y = after_address.min(y) - 18.0;
}

fn footer(page: &mut Page, letter: &Letter, n: usize, count: usize, measure: &dyn Measure) {
    if letter.draft {
        let (text, size) = ("DRAFT".to_string(), 110.0);
        let half = measure.width(&text, true, size) / 2.0 * std::f32::consts::FRAC_1_SQRT_2;
        let (cx, cy) = (PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0);
        // Text runs up the page at 45 degrees; its middle at the centre.
        let lift = size * 0.35 * std::f32::consts::FRAC_1_SQRT_2;
        page.insert(0, Item::Watermark { x: cx - half + lift, y: cy - half - lift, size, text });
    }
    let y = 46.0;
    page.push(Item::Line { x1: LEFT, y1: y + 12.0, x2: RIGHT, y2: y + 12.0, width: 0.4, grey: 0.6 });
    let label = format!("Page {n} of {count}");
    let width = measure.width(&label, false, 8.5);
    page.push(Item::Text { x: RIGHT - width, y, size: 8.5, bold: false, grey: 0.25, text: label, element: None });
    page.push(Item::Text {
        x: LEFT,
        y,
        size: 8.5,
        bold: false,
        grey: 0.25,
        text: if letter.draft {
            format!("DRAFT, not for issue · {}", letter.reference)
        } else {
            format!("{} · {}", letter.organisation, letter.reference)
        },
        element: None,
    });
    page.push(Item::Text {
        x: LEFT,
        y: y - 11.0,
        size: 6.5,
        bold: false,
        grey: 0.4,
        text: format!(
            "Verification code {}: check it with csu-assess verify and the assessment record, both from the Business Development Unit",
            letter.code
        ),
        element: None,
    });
    if letter.draft {
        // True of every draft, of a complete record too.
        let text = "DRAFT: this letter decides nothing and is not for issue".to_string();
        let width = measure.width(&text, true, 9.0);
        page.push(Item::Text {
            x: (PAGE_WIDTH - width) / 2.0,
            y: PAGE_HEIGHT - 30.0,
            size: 9.0,
            bold: true,
            grey: 0.45,
            text,
            element: None,
        });
    }
}
