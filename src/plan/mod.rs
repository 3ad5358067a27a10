//! Business plan workbooks: reading them, and what they say.
//!
//! [`import`] turns a CSU's workbook into a [`Plan`]: the template's sheets
//! as typed rows, every problem as a [`Finding`] at its sheet and cell, and
//! the [`Metrics`] that criteria refer to. Only a file that is no workbook,
//! or that has no cover and no CSU name, is refused with an [`ImportError`];
//! everything else loads, so an assessor can say what is wrong with it.
//!
//! The pipeline: [`guard`] checks the bytes and bounds the work, [`workbook`]
//! reads sparse cells, [`sheets`] reads each template sheet through
//! [`table`], [`values`] and [`vocab`], and [`metrics`] derives the figures.

mod error;
mod finding;
mod formula;
pub mod guard;
mod macros;
mod merges;
pub mod metrics;
mod model;
mod package;
mod sheets;
mod show;
pub mod table;
pub mod template;
pub mod values;
pub mod vocab;
pub mod workbook;

pub use error::{ImportError, Refusal};
pub use finding::{CellAt, Finding, Severity, cell_ref};
pub use guard::WorkbookFormat;
pub use metrics::{METRICS, MetricInfo, MetricKind, MetricValue, Metrics};
pub use model::*;
pub use show::{fmt_amount, fmt_count};
pub use template::{TemplateSheet, parse_year};

use sha2::{Digest, Sha256};
use std::path::Path;

/// Reads a plan workbook from disk.
pub fn import(path: &Path) -> Result<Plan, ImportError> {
    let bytes = crate::files::read(path, crate::limits::MAX_PLAN_FILE_BYTES).map_err(|e| {
        match e {
            crate::files::ReadError::TooLarge { bytes, limit } => Refusal::TooLarge { bytes, limit },
            crate::files::ReadError::Io(e) => Refusal::Io(e),
            other => Refusal::NotAFile(other.to_string()),
        }
        .at(path)
    })?;
    let file_name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    import_bytes(&file_name, &bytes).map_err(|r| r.at(path))
}

/// Reads a plan from bytes already in memory (the built-in examples, a
/// dropped file). `file_name` is recorded as the plan's source.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<Plan, Refusal> {
    survive_panics(|| import_checked(file_name, bytes))
}

thread_local! {
    /// Set while a workbook is being read on this thread.
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a read so that a panic inside it becomes a refusal. The readers
/// underneath (calamine) index maps with ids taken from the file, and a
/// file from any office suite, or made to attack, can hold ids they do
/// not expect; such a file must be refused with a sentence, never take the
/// program (and the open work in the window) down. The panic's own message
/// is kept off the terminal for reads only; every other panic still reports.
fn survive_panics<T>(read: impl FnOnce() -> Result<T, Refusal>) -> Result<T, Refusal> {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = READING.with(|r| r.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    READING.with(|r| r.set(was));
    result.unwrap_or(Err(Refusal::ReaderFailed))
}

fn import_checked(file_name: &str, bytes: &[u8]) -> Result<Plan, Refusal> {
    let format = guard::inspect_container(bytes)?;
    let book = workbook::read(bytes, format)?;
    let mut reader = sheets::Reader::new(&book);
    let cover = reader.cover().ok_or(Refusal::NoCsuName)?;
    // A workbook with a sheet called Cover but no CSU name and none of the
    // plan's other sheets (a survey report, minutes) is no plan to assess.
    if cover.csu_name.trim().is_empty() && TemplateSheet::DATA.iter().all(|s| reader.sheet(*s).is_none()) {
        return Err(Refusal::NotAPlan);
    }
    let plan_type = cover.plan_type;
    reader.check_sheets(plan_type);
    let customers = reader.customers();
    let services = reader.services();
    let finance = reader.finance(plan_type);
    let workforce = reader.workforce();
    let leadership = reader.leadership(plan_type);
    let risks = reader.risks();
    let narrative = reader.narrative(plan_type);
    let absent: Vec<TemplateSheet> =
        TemplateSheet::DATA.iter().copied().filter(|s| reader.sheet(*s).is_none()).collect();
    let sheet_names =
        TemplateSheet::DATA.iter().filter_map(|s| reader.sheet(*s).map(|sheet| (*s, sheet.name.clone()))).collect();
    let mut plan = Plan {
        source: Source {
            file_name: file_name.to_string(),
            format,
            fingerprint: fingerprint(bytes),
            bytes: bytes.len() as u64,
        },
        cover,
        customers,
        services,
        finance,
        workforce,
        leadership,
        risks,
        narrative,
        findings: with_values(reader.findings.into_vec(), &book),
        metrics: Metrics::default(),
        absent,
        sheet_names,
    };
    plan.metrics = metrics::compute(&plan);
    Ok(plan)
}

/// Each finding at a cell, with what the cell holds as the workbook has
/// it: the one place the workbook is at hand, so no reader has to carry it.
fn with_values(mut findings: Vec<Finding>, book: &workbook::Workbook) -> Vec<Finding> {
    for f in &mut findings {
        let Some(cell) = f.cell else { continue };
        f.value = book
            .sheets
            .iter()
            .find(|s| s.name == f.sheet)
            .and_then(|s| s.get(cell.row, cell.col))
            .map(workbook::CellValue::display)
            .filter(|v| !v.trim().is_empty());
    }
    findings
}

/// SHA-256 of a file's bytes as lowercase hex: what ties an assessment,
/// and a letter, to the exact file assessed.
pub fn fingerprint(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
