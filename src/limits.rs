//! Every bound the program puts on what it reads, in one place.
//!
//! Plans and assessment files come from outside the BDU: from CSUs' office
//! suites, from reviewers' laptops, one day from a fuzzer. Each reader checks
//! its input against these figures *before* the expensive step, so a hostile
//! file is refused with a sentence instead of exhausting memory. Keeping the
//! figures together lets a reviewer see every limit at once, and lets the
//! fuzzing and installer work later tune them without hunting.

/// Largest plan file read at all. The stress plan of 212 CCGs, 3,000
/// services and 10,000 risks is under 1 MB as xlsx; real plans are far
/// smaller.
pub const MAX_PLAN_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest total that a workbook's zip parts may inflate to. quick-xml holds a
/// whole text node in memory, so this bounds the memory an inflated part can
/// take.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;

/// Largest inflation ratio allowed for a zip part bigger than
/// [`ZIP_RATIO_CHECK_FROM_BYTES`]. Spreadsheet XML compresses about 5 to 30
/// times; a zip bomb of whitespace compresses a thousand times.
pub const MAX_ZIP_RATIO: u64 = 200;

/// Parts smaller than this are never refused for their ratio: tiny parts of
/// repeated markup can compress very well and are harmless.
pub const ZIP_RATIO_CHECK_FROM_BYTES: u64 = 8 * 1024 * 1024;

/// Most cells with a value read from one sheet. Sheets are read sparsely, so
/// this bounds memory by what is present, not by the sheet's extent.
pub const MAX_CELLS_PER_SHEET: usize = 2_000_000;

/// Largest rectangle (rows x columns) a sheet may span in the formats that
/// calamine can only read densely (xls and ods): it allocates one slot per
/// cell of the rectangle, present or not, before we see any of them.
pub const MAX_DENSE_CELLS_PER_SHEET: u64 = 4_000_000;

/// Most sheets in one workbook.
pub const MAX_SHEETS: usize = 256;

/// Longest text kept from one cell. A narrative response of 4,000 words is
/// about 25,000 characters; Excel itself caps a cell at 32,767.
pub const MAX_CELL_TEXT_CHARS: usize = 32_767;

/// Most findings listed for one plan. A plan that is wrong in every cell
/// would otherwise bury the first, most useful findings.
pub const MAX_FINDINGS: usize = 2_000;

/// Largest criteria file read. The checkpoint 3 framework is about 25 KB.
pub const MAX_CRITERIA_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Largest assessment file read. A panel of five scoring 30 criteria with
/// long evidence, and its audit trail, is well under a megabyte.
pub const MAX_ASSESSMENT_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Largest PDF `verify` reads. A letter is tens of kilobytes.
/// How far a PDF handed to `verify` may expand when its streams are
/// inflated: a letter's pages are a few megabytes; a PDF whose streams
/// swell past this is a decompression bomb, refused before it is parsed.
pub const MAX_LETTER_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

pub const MAX_LETTER_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Largest weight a criteria file may give a domain or criterion. Weights
/// only matter in proportion; a weight near the float limit would make
/// the weighted sums overflow to infinity and every score NaN.
pub const MAX_WEIGHT: f64 = 1_000_000.0;
