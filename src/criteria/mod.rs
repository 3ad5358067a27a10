//! Criteria frameworks: the BDU's criteria files, read and validated.
//!
//! The BDU owns and revises its criteria, so they are TOML files (format in
//! `criteria/README.md`), not code. The three frameworks of the 2012 process
//! are embedded as defaults ([`BUILTIN`]); a user may open their own with
//! [`load`]. A file with any problem is refused whole with every problem at
//! its `file:line:column`.

mod file;
mod model;
mod validate;

pub use model::*;
pub(crate) use validate::line_column;
pub use validate::{CriteriaError, Problem, parse, placeholders};

use crate::plan::PlanType;
use std::path::Path;

/// A criteria file shipped in the binary.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    pub file_name: &'static str,
    pub text: &'static str,
}

/// The BDU's frameworks, one per checkpoint, as shipped.
pub const BUILTIN: &[Builtin] = &[
    Builtin { file_name: "cp1-prospectus.toml", text: include_str!("../../criteria/cp1-prospectus.toml") },
    Builtin { file_name: "cp2-outline-plan.toml", text: include_str!("../../criteria/cp2-outline-plan.toml") },
    Builtin { file_name: "cp3-full-plan.toml", text: include_str!("../../criteria/cp3-full-plan.toml") },
];

impl Builtin {
    pub fn framework(&self) -> Result<Framework, CriteriaError> {
        parse(self.file_name, self.text)
    }
}

/// Why a criteria file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: could not be read ({source})", path.display())]
    Io { path: std::path::PathBuf, source: crate::files::ReadError },
    #[error("{0}")]
    Invalid(#[from] CriteriaError),
}

/// Reads and validates a criteria file from disk, returning its text too
/// (an assessment keeps the text, so it can be scored anywhere).
pub fn load(path: &Path) -> Result<(Framework, String), LoadError> {
    let bytes = crate::files::read(path, crate::limits::MAX_CRITERIA_FILE_BYTES)
        .map_err(|source| LoadError::Io { path: path.into(), source })?;
    let text = String::from_utf8(bytes).map_err(|_| LoadError::Io {
        path: path.into(),
        source: crate::files::ReadError::Io(std::io::Error::other("it is not text (UTF-8)")),
    })?;
    let framework = parse(&path.display().to_string(), &text)?;
    Ok((framework, text))
}

/// The built-in framework for a plan of this checkpoint and type: the
/// checkpoint decides, and the plan type settles a plan with none.
pub fn builtin_for(checkpoint: Option<u8>, plan_type: Option<PlanType>) -> Option<&'static Builtin> {
    let checkpoint = checkpoint.or(match plan_type {
        Some(PlanType::Full) => Some(3),
        Some(PlanType::Outline) => Some(2),
        None => None,
    })?;
    BUILTIN.iter().find(|b| b.framework().is_ok_and(|f| f.checkpoint == checkpoint))
}

/// Finds a built-in framework by its id.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.framework().is_ok_and(|f| f.id == id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_frameworks_are_valid() {
        for b in BUILTIN {
            if let Err(e) = b.framework() {
                panic!("{e}");
            }
        }
        let cp3 = builtin("cp3-full-plan").expect("cp3").framework().expect("valid");
        assert!(cp3.domains.len() >= 6, "{} domains", cp3.domains.len());
        assert!(cp3.criterion_count() >= 20, "{} criteria", cp3.criterion_count());
    }

    #[test]
    fn framework_follows_the_plan() {
        let id = |cp, pt| builtin_for(cp, pt).and_then(|b| b.framework().ok()).map(|f| f.id);
        assert_eq!(id(Some(3), Some(PlanType::Full)).as_deref(), Some("cp3-full-plan"));
        assert_eq!(id(Some(2), Some(PlanType::Outline)).as_deref(), Some("cp2-outline-plan"));
        assert_eq!(id(None, Some(PlanType::Full)).as_deref(), Some("cp3-full-plan"));
        assert_eq!(id(Some(1), Some(PlanType::Outline)).as_deref(), Some("cp1-prospectus"));
        assert_eq!(id(None, None), None);
    }
}
