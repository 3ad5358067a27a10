//! The lock every writer of an assessment file takes while it saves.
//!
//! The lock is the operating system's exclusive lock on a small file beside
//! the assessment (`plan.csuassess.lock`), which also names who holds it, on
//! which machine and since when, for the message another writer shows. The
//! system releases it when its program ends, however it ends, so a lock is
//! never left held by a program that crashed. It is held only for the moment
//! of a save (read, join, write); a writer that finds it taken waits.
//!
//! The lock file is removed on release while still locked, and a writer
//! that wins the lock checks that the file it locked is still the one at the
//! path, so two writers can never both hold it, one on a removed file.

use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Who holds a lock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockHolder {
    pub user: String,
    pub host: String,
    pub pid: u32,
    pub since: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on {} since {}", self.user, self.host, self.since)
    }
}

/// A held lock; dropping it releases it.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: Option<std::fs::File>,
    holder: LockHolder,
}

/// `plan.csuassess` -> `plan.csuassess.lock`.
pub fn lock_path(assessment: &Path) -> PathBuf {
    let mut name = assessment.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    assessment.with_file_name(name)
}

fn this_host() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "this computer".into())
}

fn this_user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "someone".into())
}

/// Whether the open file is still the one at `path` (not removed or
/// replaced since it was opened).
fn still_at(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

impl Lock {
    /// Takes the lock on an assessment, or says who holds it.
    pub fn acquire(assessment: &Path, now: &str) -> Result<Lock, LockHolder> {
        let path = lock_path(assessment);
        let holder =
            LockHolder { user: this_user(), host: this_host(), pid: std::process::id(), since: now.to_string() };
        let someone = || LockHolder { user: "another program".into(), host: String::new(), pid: 0, since: now.into() };
        for _ in 0..8 {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|_| someone())?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(serde_json::from_str(&text).unwrap_or_else(|_| someone()));
                }
                Err(std::fs::TryLockError::Error(_)) => return Err(someone()),
            }
            if !still_at(&file, &path) {
                continue;
            }
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = file.write_all(&serde_json::to_vec(&holder).unwrap_or_default());
            let _ = file.flush();
            return Ok(Lock { path, file: Some(file), holder });
        }
        Err(someone())
    }

    /// Takes the lock, waiting up to `patience` for another program's save
    /// to finish; past that, says who holds it.
    pub fn wait(assessment: &Path, patience: Duration) -> Result<Lock, LockHolder> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(1 + u64::from(std::process::id() % 4));
        loop {
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            match Lock::acquire(assessment, &now) {
                Ok(lock) => return Ok(lock),
                Err(holder) if started.elapsed() >= patience => return Err(holder),
                Err(_) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(40));
                }
            }
        }
    }

    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, then unlocked by closing: a writer that
        // opened the old file finds it gone from the path and tries again.
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
    }
}
