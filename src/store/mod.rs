//! Assessment files on disk (`*.csuassess`): atomic save and checked load.
//!
//! A save writes a temporary file beside the target, flushes it to disk and
//! renames it over the target, so a crash leaves the old file or the new,
//! never half of one; the last [`BACKUPS`] versions are kept beside it. A
//! load refuses anything that is not an assessment, is too large, or comes
//! from a newer version of the program, rather than half-reading it. A
//! [`Lock`] marks a file open for editing, so a second program, on this
//! machine or through a shared drive, opens it read-only.

mod lock;

pub use lock::{Lock, LockHolder};

use crate::assessment::{Assessment, FORMAT, FORMAT_VERSION};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an assessment file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: could not be read ({source})", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: could not be saved ({source}); the previous version is unchanged", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}: the file is {bytes} bytes, more than an assessment file may be", path.display())]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error("{}:{line}:{column}: not a readable assessment file ({message})", path.display())]
    Malformed { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{}: this is not a CSU Assess assessment file", path.display())]
    NotAnAssessment { path: PathBuf },
    #[error(
        "{}: the file was written by a newer version of CSU Assess (format {found}; this version reads up to {supported}); update the program to open it",
        path.display()
    )]
    Newer { path: PathBuf, found: u32, supported: u32 },
}

/// Writes bytes to `path` atomically: temporary file, flush, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), std::io::Error> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename is durable once the directory itself is flushed.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// How many earlier versions of an assessment are kept beside it.
pub const BACKUPS: usize = 3;

/// `plan.csuassess` -> `plan.csuassess.1.bak`.
pub fn backup_path(path: &Path, n: usize) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{n}.bak"));
    path.with_file_name(name)
}

/// Shifts the backups along and keeps the current file as backup 1. The
/// current file is linked (or copied), never moved, so it is in place at
/// every instant.
fn keep_backup(path: &Path) {
    if !path.is_file() {
        return;
    }
    for n in (1..BACKUPS).rev() {
        let _ = std::fs::rename(backup_path(path, n), backup_path(path, n + 1));
    }
    let first = backup_path(path, 1);
    let _ = std::fs::remove_file(&first);
    if std::fs::hard_link(path, &first).is_err() {
        let _ = std::fs::copy(path, &first);
    }
}

/// Saves an assessment as pretty JSON, atomically, keeping the last
/// versions as backups.
pub fn save(path: &Path, assessment: &Assessment) -> Result<(), StoreError> {
    let mut json = serde_json::to_vec_pretty(assessment)
        .map_err(|e| StoreError::Write { path: path.into(), source: std::io::Error::other(e) })?;
    json.push(b'\n');
    if std::fs::read(path).is_ok_and(|old| old == json) {
        return Ok(());
    }
    keep_backup(path);
    write_atomic(path, &json).map_err(|source| StoreError::Write { path: path.into(), source })
}

/// Loads an assessment, refusing what it cannot read whole.
pub fn load(path: &Path) -> Result<Assessment, StoreError> {
    let read_error = |source| StoreError::Read { path: path.into(), source };
    let bytes_on_disk = std::fs::metadata(path).map_err(read_error)?.len();
    if bytes_on_disk > crate::limits::MAX_ASSESSMENT_FILE_BYTES {
        return Err(StoreError::TooLarge { path: path.into(), bytes: bytes_on_disk });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    let malformed = |e: serde_json::Error| StoreError::Malformed {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(malformed)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(StoreError::NotAnAssessment { path: path.into() });
    }
    let found = value.get("format_version").and_then(|v| v.as_u64()).unwrap_or(0);
    if found > u64::from(FORMAT_VERSION) {
        return Err(StoreError::Newer { path: path.into(), found: found as u32, supported: FORMAT_VERSION });
    }
    let mut assessment: Assessment = serde_json::from_value(value).map_err(malformed)?;
    if found < 2 {
        assessment.upgrade_from_v1();
    }
    assessment.format_version = FORMAT_VERSION;
    Ok(assessment)
}
