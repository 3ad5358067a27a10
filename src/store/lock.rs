//! Marking an assessment open for editing.
//!
//! A lock is a small file beside the assessment (`plan.csuassess.lock`)
//! naming who holds it, on which machine, since when, and the holding
//! program's process. It is created exclusively, so two programs cannot
//! both take it, even through a shared drive. A lock whose program has
//! gone (same machine, process no longer running) is stale and is taken
//! over; one held on another machine is respected, and the file opens
//! read-only.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    holder: LockHolder,
}

fn lock_path(assessment: &Path) -> PathBuf {
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

/// Whether a process of this machine is still running. Where that cannot
/// be told, it is taken to be running, so a lock is never wrongly broken.
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

impl Lock {
    /// Takes the lock on an assessment, or says who holds it.
    pub fn acquire(assessment: &Path, now: &str) -> Result<Lock, LockHolder> {
        let path = lock_path(assessment);
        let holder =
            LockHolder { user: this_user(), host: this_host(), pid: std::process::id(), since: now.to_string() };
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = f.write_all(&serde_json::to_vec(&holder).unwrap_or_default());
                    let _ = f.sync_all();
                    return Ok(Lock { path, holder });
                }
                Err(_) => {
                    let existing: Option<LockHolder> =
                        std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok());
                    match existing {
                        Some(other) if other.host != holder.host || running(other.pid) => return Err(other),
                        // Stale (its program has gone) or unreadable: take it over.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
            }
        }
        Err(LockHolder { user: "another program".into(), host: holder.host, pid: 0, since: now.to_string() })
    }

    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let ours = std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice::<LockHolder>(&b).ok())
            .is_some_and(|h| h == self.holder);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
