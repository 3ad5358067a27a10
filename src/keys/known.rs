//! An assessor's key as they hand it to the BDU office: an entry of a
//! `known-keys.toml` (the list the BDU kept before its signed roster),
//! which `key export` writes and `roster import` enrols.
//!
//! ```toml
//! [[assessor]]
//! name = "Ann Lee"
//! key = "3f2a9c1b..."   # as `csu-assess key show` prints it
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownKey {
    pub name: String,
    pub key: String,
    /// Their letter-signing key (`key show --letter`), for the office to
    /// certify if they chair.
    #[serde(default)]
    pub letter_key: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownKeys {
    #[serde(default)]
    pub assessor: Vec<KnownKey>,
    /// Where the list came from, for messages.
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KnownKeysError {
    #[error("{}: could not be read ({source})", path.display())]
    Read { path: PathBuf, source: crate::files::ReadError },
    #[error("{file}:{line}:{column}: {message}")]
    Invalid { file: String, line: usize, column: usize, message: String },
}

impl KnownKeys {
    pub fn parse(file: &str, text: &str) -> Result<KnownKeys, KnownKeysError> {
        let invalid = |offset: usize, message: String| {
            let (line, column) = crate::criteria::line_column(text, offset);
            KnownKeysError::Invalid { file: file.into(), line, column, message }
        };
        let mut keys: KnownKeys =
            toml::from_str(text).map_err(|e| invalid(e.span().map_or(0, |s| s.start), e.message().trim().into()))?;
        for k in &mut keys.assessor {
            let at = text.find(&k.key).unwrap_or(0);
            k.key = super::parse_public(&k.key).map_err(|e| invalid(at, e.to_string()))?;
            if k.name.trim().is_empty() {
                return Err(invalid(at, "every key needs the assessor's name".into()));
            }
        }
        keys.source = file.to_string();
        Ok(keys)
    }

    pub fn load(path: &Path) -> Result<KnownKeys, KnownKeysError> {
        let bytes = crate::files::read(path, crate::limits::MAX_CRITERIA_FILE_BYTES)
            .map_err(|source| KnownKeysError::Read { path: path.into(), source })?;
        Self::parse(&path.display().to_string(), &String::from_utf8_lossy(&bytes))
    }
}

/// This computer's key as an entry for the BDU's `known-keys.toml`, under
/// the name the BDU knows its holder by: what `key export` writes and the
/// window's My key exports.
pub fn known_entry(name: &str, identity: &super::Identity) -> String {
    format!(
        "[[assessor]]\nname = {}\nkey = \"{}\"\nletter_key = \"{}\"\n",
        toml::Value::String(name.trim().to_string()),
        identity.public(),
        identity.letter_key()
    )
}
