//! Assessment files on disk (`*.csuassess`): atomic save, checked load, and
//! nothing lost when two programs write one file.
//!
//! A file holds the trail and what the trail cannot: the criteria text it
//! fixed by hash, and where the plan was. Nothing else is in it, and a field
//! that does not belong is refused rather than ignored. A load checks the
//! whole record ([`Assessment::from_record`]) and refuses anything that does
//! not check, is not an assessment, is too large, is not a regular file, or
//! comes from another version of the program.
//!
//! A save takes the file's [`Lock`], reads what is on disk now, and writes
//! the union of that and what it holds (the merge of
//! [`crate::assessment::merge`]), so a change another program made since
//! this one read the file is kept, never written over. The write itself is
//! a temporary file, flushed and renamed over the target, so a crash leaves
//! the old file or the new, never half of one; the last [`BACKUPS`]
//! versions are kept beside it.

mod lock;

pub use lock::{Lock, LockHolder};

use crate::assessment::{self, Assessment, AssessmentError, Entry, FORMAT, FORMAT_VERSION};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an assessment file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: could not be read ({source})", path.display())]
    Read { path: PathBuf, source: crate::files::ReadError },
    #[error("{}: could not be saved ({source}); the previous version is unchanged", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error(
        "{}: not saved: the record would be {bytes} bytes, more than an assessment file may be ({} bytes), and could not be read back; the file on disk is unchanged",
        path.display(), crate::limits::MAX_ASSESSMENT_FILE_BYTES
    )]
    TooLarge { path: PathBuf, bytes: usize },
    #[error(
        "{}:{line}:{column}: the assessment file is damaged: {message} there, so it cannot be read (the program never saves a file like this: it was cut short or edited)",
        path.display()
    )]
    Malformed { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{}: the file is empty ({bytes} bytes): it holds no assessment, so it was cut short or never written", path.display())]
    Empty { path: PathBuf, bytes: usize },
    #[error("{}: this is not a CSU Assess assessment file", path.display())]
    NotAnAssessment { path: PathBuf },
    #[error(
        "{}: the file was written by a newer version of CSU Assess (format {found}; this version reads up to {supported}); update the program to open it",
        path.display()
    )]
    Newer { path: PathBuf, found: u32, supported: u32 },
    #[error(
        "{}: the file was written by an early version of CSU Assess (format {found}) whose record cannot be checked, so it is not used; start the assessment again",
        path.display()
    )]
    Unverifiable { path: PathBuf, found: u32 },
    #[error("{}: could not be written: the folder {} does not exist", path.display(), folder.display())]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("{}: there is already a file there; choose another name", path.display())]
    Exists { path: PathBuf },
    #[error(
        "{}: the file holds `{field}`, which is no part of an assessment file (everything is in its record); it was edited outside the program",
        path.display()
    )]
    Foreign { path: PathBuf, field: String },
    #[error("{}: {source}", path.display())]
    Record { path: PathBuf, source: AssessmentError },
    #[error(
        "{}: the file now holds a different assessment ({found}), so this one ({ours}) was not saved over it; save it under another name",
        path.display()
    )]
    Different { path: PathBuf, found: String, ours: String },
    #[error("{}: the file on disk cannot be joined with this one ({problem}); nothing was written over it", path.display())]
    Unjoinable { path: PathBuf, problem: String },
    #[error(
        "{}: {holder} is saving it and did not finish within {waited_secs} s; nothing was written, try again",
        path.display()
    )]
    Busy { path: PathBuf, holder: LockHolder, waited_secs: u64 },
}

impl StoreError {
    /// Whether the file is damaged (cut short, broken, empty, an entry no
    /// longer matching its hash or signature): then its newest backup that
    /// checks is offered. A record whose entries hold together but break a
    /// panel rule, fork, or contradict their clocks is never stepped round
    /// by going back to a backup.
    pub fn damaged(&self) -> bool {
        use crate::assessment::TrailError as T;
        match self {
            StoreError::Read { .. } | StoreError::Malformed { .. } | StoreError::Empty { .. } => true,
            StoreError::Record { source: AssessmentError::Trail(t), .. } => match t {
                T::Empty
                | T::NoStart { .. }
                | T::StartedAgain { .. }
                | T::Altered { .. }
                | T::BadSignature { .. }
                | T::Unlinked { .. }
                | T::Broken { .. }
                | T::Repeated { .. }
                | T::ChainBroken { .. }
                | T::ChainDropped { .. }
                | T::BadTime { .. } => true,
                T::Forked { .. } | T::BeforeItsParents { .. } | T::Refused { .. } => false,
            },
            StoreError::Record {
                source: AssessmentError::TextAltered { .. } | AssessmentError::TextUncommitted { .. },
                ..
            } => true,
            _ => false,
        }
    }
}

/// The file as written: the trail, and beside it only what the trail fixes
/// by hash (the criteria text) or does not need to trust (where the plan is).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    format_version: u32,
    /// Where the plan was, relative to the assessment file when relative.
    plan_path: String,
    framework_source: String,
    framework_text: String,
    trail: Vec<Entry>,
    /// The private texts the trail commits to (interview notes), by
    /// commitment; absent in a copy that withholds them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty", deserialize_with = "unique_texts")]
    texts: crate::leaders::private::Texts,
}

/// The texts beside the trail, each commitment once: JSON lets a key be
/// repeated (the last one wins), which would let a text ride in the file
/// unseen behind another.
fn unique_texts<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::leaders::private::Texts, D::Error> {
    struct Texts;
    impl<'de> serde::de::Visitor<'de> for Texts {
        type Value = crate::leaders::private::Texts;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the private texts, each commitment once")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = crate::leaders::private::Texts::new();
            while let Some((key, text)) = map.next_entry::<String, crate::leaders::private::PrivateText>()? {
                if out.insert(key, text).is_some() {
                    return Err(serde::de::Error::custom("a private text is given twice"));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(Texts)
}

/// The fields of [`File`]: anything else at the top of a file was put there by hand.
const FIELDS: [&str; 7] =
    ["format", "format_version", "plan_path", "framework_source", "framework_text", "trail", "texts"];

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

/// How long a save waits for another program's save to finish.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

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

/// The bytes of an assessment's file.
pub fn to_bytes(assessment: &Assessment) -> Vec<u8> {
    let file = File {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        plan_path: assessment.plan.path.clone(),
        framework_source: assessment.framework.source.clone(),
        framework_text: assessment.framework.text.clone(),
        trail: assessment.audit.clone(),
        texts: assessment.texts.clone(),
    };
    let mut json = serde_json::to_vec_pretty(&file).unwrap_or_default();
    json.push(b'\n');
    json
}

/// Takes the file's lock, waiting for another program's save to finish.
fn lock(path: &Path) -> Result<Lock, StoreError> {
    Lock::wait(path, LOCK_WAIT).map_err(|holder| StoreError::Busy {
        path: path.into(),
        holder,
        waited_secs: LOCK_WAIT.as_secs(),
    })
}

/// What a save wrote.
#[derive(Debug)]
pub struct Saved {
    /// The assessment as saved: what was given, joined with any changes
    /// another program had saved to the file in the meantime.
    pub assessment: Assessment,
    /// How many of those changes there were.
    pub merged_in: usize,
}

/// Saves an assessment: under the file's lock, joined with whatever the
/// file holds now, atomically, keeping the last versions as backups.
pub fn save(path: &Path, assessment: &Assessment) -> Result<Saved, StoreError> {
    folder_exists(path)?;
    let _lock = lock(path)?;
    let on_disk = match load(path) {
        Ok(a) => Some(a),
        Err(StoreError::Read { source, .. }) if source.is_not_found() => None,
        Err(e) => return Err(StoreError::Unjoinable { path: path.into(), problem: e.to_string() }),
    };
    let (assessment, merged_in) = match on_disk {
        None => (assessment.clone(), 0),
        Some(disk) => {
            if disk.audit[0].hash != assessment.audit[0].hash {
                return Err(StoreError::Different { path: path.into(), found: disk.id, ours: assessment.id.clone() });
            }
            let ours: std::collections::HashSet<&str> = assessment.audit.iter().map(|e| e.hash.as_str()).collect();
            let new = disk.audit.iter().filter(|e| !ours.contains(e.hash.as_str())).count();
            if new == 0 {
                (assessment.clone(), 0)
            } else {
                let mut joined = assessment::merge(&[assessment.clone(), disk])
                    .map_err(|e| StoreError::Unjoinable { path: path.into(), problem: e.to_string() })?;
                joined.plan.path = assessment.plan.path.clone();
                (joined, new)
            }
        }
    };
    let json = readable_bytes(path, &assessment)?;
    if !std::fs::read(path).is_ok_and(|old| old == json) {
        keep_backup(path);
        write_atomic(path, &json).map_err(|source| StoreError::Write { path: path.into(), source })?;
    }
    Ok(Saved { assessment, merged_in })
}

/// Writes a newly started assessment. A file already at `path` is never
/// written over, except one holding nothing but the start of the
/// assessment whose first entry is `replacing` (the window starting again
/// with other criteria before anything was recorded).
pub fn create(path: &Path, assessment: &Assessment, replacing: Option<&str>) -> Result<(), StoreError> {
    folder_exists(path)?;
    let _lock = lock(path)?;
    if std::fs::symlink_metadata(path).is_ok() {
        let replaceable =
            load(path).ok().filter(|old| old.audit.len() == 1 && Some(old.audit[0].hash.as_str()) == replacing);
        if replaceable.is_none() {
            return Err(StoreError::Exists { path: path.into() });
        }
    }
    write_atomic(path, &readable_bytes(path, assessment)?)
        .map_err(|source| StoreError::Write { path: path.into(), source })
}

/// A file is written only into a folder that exists: said at once, rather
/// than after waiting on a lock that cannot be taken there.
fn folder_exists(path: &Path) -> Result<(), StoreError> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if folder.is_dir() { Ok(()) } else { Err(StoreError::NoFolder { path: path.into(), folder: folder.into() }) }
}

/// The file's bytes, only if reading will take them back: a record is
/// never written larger than [`crate::limits::MAX_ASSESSMENT_FILE_BYTES`].
fn readable_bytes(path: &Path, assessment: &Assessment) -> Result<Vec<u8>, StoreError> {
    let json = to_bytes(assessment);
    if json.len() as u64 > crate::limits::MAX_ASSESSMENT_FILE_BYTES {
        return Err(StoreError::TooLarge { path: path.into(), bytes: json.len() });
    }
    Ok(json)
}

/// Puts a backup in place of a damaged assessment file; the damaged file
/// is kept beside it (returned), never deleted.
pub fn restore_backup(path: &Path, backup: &Path) -> Result<PathBuf, StoreError> {
    let _lock = lock(path)?;
    let good = load(backup)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".damaged-{stamp}"));
    let kept = path.with_file_name(name);
    std::fs::copy(path, &kept).map_err(|source| StoreError::Write { path: kept.clone(), source })?;
    write_atomic(path, &to_bytes(&good)).map_err(|source| StoreError::Write { path: path.into(), source })?;
    Ok(kept)
}

/// Loads an assessment, refusing what it cannot check whole.
pub fn load(path: &Path) -> Result<Assessment, StoreError> {
    let bytes = crate::files::read(path, crate::limits::MAX_ASSESSMENT_FILE_BYTES)
        .map_err(|source| StoreError::Read { path: path.into(), source })?;
    from_bytes(path, &bytes)
}

/// Reads an assessment from a file's bytes; `path` names it in messages.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Assessment, StoreError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(StoreError::Empty { path: path.into(), bytes: bytes.len() });
    }
    // In words, not the parser's: where the text breaks and how.
    let malformed = |e: serde_json::Error| StoreError::Malformed {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: match e.classify() {
            serde_json::error::Category::Eof => "the text stops in the middle".to_string(),
            serde_json::error::Category::Syntax => "the text is broken".to_string(),
            serde_json::error::Category::Data => "a value is not what the format holds".to_string(),
            serde_json::error::Category::Io => "it could not be read".to_string(),
        },
    };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(malformed)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(StoreError::NotAnAssessment { path: path.into() });
    }
    let found = value.get("format_version").and_then(|v| v.as_u64()).unwrap_or(0);
    let found_u32 = u32::try_from(found).unwrap_or(u32::MAX);
    if found_u32 > FORMAT_VERSION {
        return Err(StoreError::Newer { path: path.into(), found: found_u32, supported: FORMAT_VERSION });
    }
    if found_u32 < assessment::OLDEST_FORMAT_READ {
        return Err(StoreError::Unverifiable { path: path.into(), found: found_u32 });
    }
    if let Some(field) = value.as_object().and_then(|o| o.keys().find(|k| !FIELDS.contains(&k.as_str()))) {
        return Err(StoreError::Foreign { path: path.into(), field: field.clone() });
    }
    let file: File = serde_json::from_slice(bytes).map_err(malformed)?;
    Assessment::from_record(&file.plan_path, &file.framework_source, &file.framework_text, file.trail)
        .and_then(|a| a.with_texts(file.texts))
        .map_err(|source| StoreError::Record { path: path.into(), source })
}

/// The newest backup of `path` that loads and checks, if any.
pub fn newest_good_backup(path: &Path) -> Option<(PathBuf, Assessment)> {
    (1..=BACKUPS).map(|n| backup_path(path, n)).find_map(|b| load(&b).ok().map(|a| (b, a)))
}
