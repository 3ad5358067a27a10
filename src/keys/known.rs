//! The keys the BDU knows: which public key belongs to which assessor.
//!
//! A record proves that each entry was signed by the key recorded for its
//! member; whether that key is really the BDU's assessor is what this list
//! says. It is a TOML file (`known-keys.toml`) like the criteria files: one
//! is built into the program (empty: the BDU adds its own), and a copy the
//! BDU places beside the program, or names with `--known-keys`, is used
//! instead.
//!
//! ```toml
//! [[assessor]]
//! name = "Ann Lee"
//! key = "3f2a9c1b..."   # as `csu-assess key show` prints it
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The list built into the program.
pub const BUILTIN: &str = include_str!("../../criteria/known-keys.toml");

/// The file name looked for beside the program.
pub const FILE_NAME: &str = "known-keys.toml";

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownKey {
    pub name: String,
    pub key: String,
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

    pub fn builtin() -> KnownKeys {
        Self::parse("built-in known-keys.toml", BUILTIN).unwrap_or_default()
    }

    /// The BDU's copy beside the program, else the built-in list.
    pub fn beside_program() -> Result<KnownKeys, KnownKeysError> {
        match Self::path_beside_program() {
            Some(path) if path.is_file() => Self::load(&path),
            _ => Ok(Self::builtin()),
        }
    }

    /// Where the BDU's copy sits: beside the program, so an assessor with
    /// no admin rights gets it with the program and cannot lose it.
    pub fn path_beside_program() -> Option<std::path::PathBuf> {
        std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join(FILE_NAME)))
    }

    /// The name the BDU gives a key, if it knows it.
    pub fn name_of(&self, key: &str) -> Option<&str> {
        self.assessor.iter().find(|k| k.key == key).map(|k| k.name.as_str())
    }

    /// The key the BDU knows for a name, if exactly one.
    pub fn key_of(&self, name: &str) -> Option<&str> {
        let mut found = self.assessor.iter().filter(|k| k.name.trim() == name.trim());
        match (found.next(), found.next()) {
            (Some(k), None) => Some(k.key.as_str()),
            _ => None,
        }
    }
}

/// This computer's key as an entry for the BDU's `known-keys.toml`, under
/// the name the BDU knows its holder by: what `key export` writes and the
/// window's My key exports.
pub fn known_entry(name: &str, public: &str) -> String {
    format!("[[assessor]]\nname = {}\nkey = \"{public}\"\n", toml::Value::String(name.trim().to_string()))
}
