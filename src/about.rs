//! What the program is and what it carries, for the window's About box and
//! `csu-assess about`: its version, the frameworks and letter wording built
//! into it, and the licences of everything it ships, fonts included. One
//! list in the library, so the window and the command line cannot disagree,
//! and an assessor can tell which criteria a laptop's copy would use.

use crate::criteria::BUILTIN;
use crate::letter::BUILTIN_WORDING;

/// The program, what is built into it, and under which licences.
#[derive(Clone, Debug)]
pub struct About {
    pub version: &'static str,
    /// The program's own licence (SPDX).
    pub licence: &'static str,
    pub frameworks: Vec<Carried>,
    pub wordings: Vec<Carried>,
    pub fonts: Vec<Font>,
    /// The Rust crates compiled in, from `assets/third-party.tsv`.
    pub crates: Vec<Crate>,
}

/// A file built into the program.
#[derive(Clone, Debug)]
pub struct Carried {
    pub file_name: &'static str,
    pub title: String,
    /// The version the file declares; the letter wording declares none, so
    /// its SHA-256 is what tells one copy from another.
    pub version: Option<String>,
    /// SHA-256 of the file as built in: a framework's is the
    /// `framework_fingerprint` every assessment made with it records.
    pub sha256: String,
}

/// A typeface the program embeds.
#[derive(Clone, Copy, Debug)]
pub struct Font {
    pub name: &'static str,
    pub used_for: &'static str,
    pub licence: &'static str,
    /// The licence in full, as shipped in `assets/fonts`.
    pub licence_text: &'static str,
}

/// A Rust crate compiled into the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crate {
    pub name: &'static str,
    pub version: &'static str,
    /// SPDX expression, as the crate declares it.
    pub licence: &'static str,
}

const THIRD_PARTY: &str = include_str!("../assets/third-party.tsv");

/// The fonts of the letters, which the window uses too.
const LETTER_FONTS: [Font; 3] = [
    Font {
        name: "Liberation Sans (regular, bold)",
        used_for: "the letters and the window's text",
        licence: "SIL Open Font License 1.1",
        licence_text: include_str!("../assets/fonts/LICENSE-LiberationSans.txt"),
    },
    Font {
        name: "DejaVu Sans (book, bold)",
        used_for: "characters Liberation Sans lacks, in the letters and the window",
        licence: "Bitstream Vera licence; DejaVu's changes in the public domain",
        licence_text: include_str!("../assets/fonts/LICENSE-DejaVu.txt"),
    },
    Font {
        name: "Droid Sans Fallback",
        used_for: "Chinese, Japanese and Korean names, in the letters and the window",
        licence: "Apache License 2.0",
        licence_text: include_str!("../assets/fonts/LICENSE-DroidSansFallback.txt"),
    },
];

/// A build without the window carries no window fonts.
#[cfg(not(feature = "window"))]
const WINDOW_FONTS: [Font; 0] = [];

/// The fonts egui builds into the window (its `default_fonts`).
#[cfg(feature = "window")]
const WINDOW_FONTS: [Font; 3] = [
    Font {
        name: "Ubuntu Light",
        used_for: "the window's last fallback for text",
        licence: "Ubuntu Font Licence 1.0",
        licence_text: include_str!("../assets/fonts/LICENSE-Ubuntu-Font.txt"),
    },
    Font {
        name: "Hack",
        used_for: "the window's fixed-width text",
        licence: "MIT; Bitstream Vera licence; DejaVu's changes in the public domain",
        licence_text: include_str!("../assets/fonts/LICENSE-Hack.txt"),
    },
    Font {
        name: "egui icons (from emoji-icon-font)",
        used_for: "five logo glyphs of the window toolkit",
        licence: "MIT",
        licence_text: include_str!("../assets/fonts/LICENSE-emoji-icon-font.txt"),
    },
];

/// Everything the About box and `csu-assess about` list.
pub fn about() -> About {
    let frameworks = BUILTIN
        .iter()
        .map(|b| {
            let (title, version) = match b.framework() {
                Ok(f) => (f.title, Some(f.version)),
                Err(e) => (format!("does not check: {e}"), None),
            };
            Carried { file_name: b.file_name, title, version, sha256: crate::plan::fingerprint(b.text.as_bytes()) }
        })
        .collect();
    let wordings = vec![Carried {
        file_name: "letters.toml",
        title: "Letter wording; a letters.toml beside the program takes its place".into(),
        version: None,
        sha256: crate::plan::fingerprint(BUILTIN_WORDING.as_bytes()),
    }];
    let fonts = LETTER_FONTS.iter().chain(&WINDOW_FONTS).copied().collect();
    About {
        version: env!("CARGO_PKG_VERSION"),
        licence: env!("CARGO_PKG_LICENSE"),
        frameworks,
        wordings,
        fonts,
        crates: crates(),
    }
}

/// The crates in `assets/third-party.tsv` (NAME, VERSION, LICENCE a line).
fn crates() -> Vec<Crate> {
    THIRD_PARTY
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some(Crate { name: fields.next()?, version: fields.next()?, licence: fields.next()? })
        })
        .collect()
}

impl About {
    /// How many crates are under each licence expression, most first.
    pub fn licence_counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for c in &self.crates {
            *counts.entry(c.licence).or_insert(0) += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_built_in_frameworks_wording_and_font_licences() {
        let a = about();
        assert_eq!(a.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(a.frameworks.len(), BUILTIN.len());
        assert!(a.frameworks.iter().all(|f| f.version.is_some() && f.sha256.len() == 64), "{:?}", a.frameworks);
        assert_eq!(a.wordings[0].file_name, "letters.toml");
        assert!(a.fonts.iter().any(|f| f.licence.contains("Open Font License") && f.licence_text.contains("SIL")));
        assert!(a.crates.len() > 100 && a.crates.iter().any(|c| c.name == "calamine"), "{} crates", a.crates.len());
        assert!(a.crates.iter().all(|c| !c.version.is_empty() && !c.licence.is_empty()));
        assert_eq!(a.licence_counts().iter().map(|(_, n)| n).sum::<usize>(), a.crates.len());
    }
}
