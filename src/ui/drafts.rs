//! Text being typed: the session's, not the widget's.
//!
//! Every text box whose text goes on the record (evidence, a consensus
//! rationale, a discussion note, a development action, a finding on a
//! carried action, a declared interest, a reopening's reason) edits a
//! draft held here, keyed by what it is for, so another criterion, another
//! page, a save or a close never replaces it. A draft differs from what
//! the record holds; while one exists the window says "unsaved". Drafts are
//! written to a side file beside the assessment within a second of typing
//! (`DRAFTS_WRITTEN_AFTER`), so a crash or SIGKILL loses nothing, and the
//! next opening puts them back. Which drafts are recorded on leaving, and
//! which wait for their button, is [`Field::records_on_leaving`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long after typing the side file is written: well inside the second
/// a crash may cost.
pub const DRAFTS_WRITTEN_AFTER: Duration = Duration::from_millis(400);

/// The side file's format name, so no other JSON is taken for drafts.
const FORMAT: &str = "csu-assess drafts";

/// What a text box is for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "box", rename_all = "snake_case", deny_unknown_fields)]
pub enum Field {
    /// The acting member's evidence for their score of a criterion.
    Evidence {
        criterion: String,
    },
    /// The panel's reasons for a consensus on a criterion.
    Rationale {
        criterion: String,
    },
    /// A note of the panel's discussion of a criterion.
    Discussion {
        criterion: String,
    },
    /// A new development action: what, who owns it, when it is due.
    Action,
    ActionOwner,
    ActionDue,
    /// The evidence of the panel's finding on a carried action (by its id).
    Review {
        action: String,
    },
    /// The acting member's interest in the CSU.
    Interest,
    /// Why the chair reopens a signed-off result.
    ReopenReason,
    /// A member being added: their name, role and public key.
    MemberName,
    MemberRole,
    MemberKey,
    /// A box of a CCG's interview form.
    Interview {
        ccg: String,
        part: InterviewPart,
    },
    /// A member's own notes on a question of the leaders' interview: by
    /// member, so a draft left in a shared folder is never put back, or
    /// recorded, as another member's.
    LeadersNote {
        question: String,
        member: String,
    },
    /// The agreed account of the answer to a question.
    LeadersAccount {
        question: String,
    },
}

/// The text boxes of a CCG's interview form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewPart {
    Interviewee,
    Role,
    HeldOn,
    SetAside,
    Notes,
}

impl Field {
    /// Whether leaving the box's criterion or page, saving, closing or a
    /// signal records the draft. Evidence does: it amends a score already
    /// recorded, so recording it states nothing new; and a member's own
    /// interview notes, private and theirs to keep as they go. Every other
    /// draft starts an act of its own (a consensus, a declaration that
    /// cannot be withdrawn) that only its button may record; those are kept
    /// as drafts, in the side file, until then.
    pub fn records_on_leaving(&self) -> bool {
        match self {
            Field::Evidence { .. } | Field::LeadersNote { .. } => true,
            Field::LeadersAccount { .. }
            | Field::Rationale { .. }
            | Field::Discussion { .. }
            | Field::Action
            | Field::ActionOwner
            | Field::ActionDue
            | Field::Review { .. }
            | Field::Interest
            | Field::ReopenReason
            | Field::MemberName
            | Field::MemberRole
            | Field::MemberKey
            | Field::Interview { .. } => false,
        }
    }

    /// What the box is, in words, for the status bar and messages.
    pub fn describe(&self) -> String {
        match self {
            Field::Evidence { criterion } => format!("evidence for {criterion}"),
            Field::Rationale { criterion } => format!("consensus rationale for {criterion}"),
            Field::Discussion { criterion } => format!("discussion note for {criterion}"),
            Field::Action => "new development action".into(),
            Field::ActionOwner => "new action's owner".into(),
            Field::ActionDue => "new action's due date".into(),
            Field::Review { action } => format!("finding on action {action}"),
            Field::Interest => "declared interest".into(),
            Field::ReopenReason => "reason for reopening".into(),
            Field::MemberName => "new member's name".into(),
            Field::MemberRole => "new member's role".into(),
            Field::MemberKey => "new member's key".into(),
            Field::LeadersNote { question, member } => format!("{member}'s notes on {question}"),
            Field::LeadersAccount { question } => format!("the agreed account of {question}"),
            Field::Interview { ccg, part } => format!(
                "{} in the interview with {ccg}",
                match part {
                    InterviewPart::Interviewee => "the interviewee",
                    InterviewPart::Role => "the interviewee's role",
                    InterviewPart::HeldOn => "the day",
                    InterviewPart::SetAside => "the amount set aside",
                    InterviewPart::Notes => "the notes",
                }
            ),
        }
    }
}

/// One box's text and what the record held when the box was first drawn.
#[derive(Clone, Debug)]
struct Draft {
    text: String,
    recorded: String,
    /// Put back from the side file and not yet shown: not recorded on
    /// leaving until the assessor has seen it in its box.
    unseen: bool,
}

impl Draft {
    fn pending(&self) -> bool {
        self.text.trim() != self.recorded.trim()
    }
}

/// The drafts of the open assessment.
#[derive(Debug, Default)]
pub struct Drafts {
    entries: BTreeMap<Field, Draft>,
    /// The side file's content as last written (empty: no file).
    written: String,
    /// When the pending drafts first differed from what was written.
    changed: Option<Instant>,
}

/// The side file: the pending drafts of one assessment.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SideFile {
    format: String,
    /// The hash of the assessment's first entry: drafts are never put back
    /// into another assessment that happens to have the same file name.
    assessment: String,
    drafts: Vec<Kept>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept {
    field: Field,
    text: String,
}

/// Where an assessment's drafts are kept: beside it.
pub fn side_file(assessment: &Path) -> PathBuf {
    let mut name = assessment.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".drafts");
    assessment.with_file_name(name)
}

impl Drafts {
    /// The text of a box, starting from what the record holds for it
    /// (`recorded`) the first time it is drawn.
    pub fn text(&mut self, field: Field, recorded: &str) -> &mut String {
        let draft = self.entries.entry(field).or_insert_with(|| Draft {
            text: recorded.to_string(),
            recorded: recorded.to_string(),
            unseen: false,
        });
        draft.unseen = false;
        &mut draft.text
    }

    /// The text typed in a box, if it differs from the record.
    pub fn pending_text(&self, field: &Field) -> Option<&str> {
        self.entries.get(field).filter(|d| d.pending()).map(|d| d.text.as_str())
    }

    /// Every draft that differs from the record, in a stable order.
    pub fn pending(&self) -> impl Iterator<Item = (&Field, &str)> {
        self.entries.iter().filter(|(_, d)| d.pending()).map(|(f, d)| (f, d.text.as_str()))
    }

    pub fn pending_count(&self) -> usize {
        self.pending().count()
    }

    /// The drafts that leaving records: pending, of a kind recorded on
    /// leaving, and seen in their box.
    pub fn to_record(&self) -> Vec<(Field, String)> {
        self.entries
            .iter()
            .filter(|(f, d)| f.records_on_leaving() && d.pending() && !d.unseen)
            .map(|(f, d)| (f.clone(), d.text.trim().to_string()))
            .collect()
    }

    /// The box's text was recorded (or its form sent): the box starts again
    /// from the record the next time it is drawn.
    pub fn recorded(&mut self, field: &Field) {
        self.entries.remove(field);
    }

    /// Forgets the drafts that match the record, so a box shows the record
    /// afresh after an undo, a merge or a change saved elsewhere.
    pub fn prune(&mut self) {
        self.entries.retain(|_, d| d.pending());
    }

    /// Throws every draft away (the assessor chose to).
    pub fn discard(&mut self) {
        self.entries.clear();
    }

    /// Puts drafts read from a side file back, each unseen until drawn.
    /// `recorded` gives what the record holds for a box.
    pub fn put_back(&mut self, kept: Vec<(Field, String)>, recorded: impl Fn(&Field) -> String) {
        for (field, text) in kept {
            let recorded = recorded(&field);
            self.entries.insert(field, Draft { text, recorded, unseen: true });
        }
    }

    /// What the side file should hold now.
    fn side_text(&self, assessment: &str) -> String {
        let drafts: Vec<Kept> =
            self.pending().map(|(field, text)| Kept { field: field.clone(), text: text.to_string() }).collect();
        if drafts.is_empty() {
            return String::new();
        }
        let file = SideFile { format: FORMAT.into(), assessment: assessment.into(), drafts };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Whether the side file was behind what had been typed at the last
    /// [`Drafts::keep`]: a write still waits, so the window should draw
    /// again to make it. Nothing is serialised to say so.
    pub fn unwritten(&self) -> bool {
        self.changed.is_some()
    }

    /// Writes the side file when it has been behind for
    /// `DRAFTS_WRITTEN_AFTER` (or at once, `now`), removing it when nothing
    /// is pending. An error is handed back for the window to show.
    pub fn keep(&mut self, path: &Path, assessment: &str, now: bool) -> Result<(), String> {
        let text = self.side_text(assessment);
        if text == self.written {
            self.changed = None;
            return Ok(());
        }
        let since = *self.changed.get_or_insert_with(Instant::now);
        if !now && since.elapsed() < DRAFTS_WRITTEN_AFTER {
            return Ok(());
        }
        let file = side_file(path);
        let result = if text.is_empty() {
            match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            crate::store::write_atomic(&file, text.as_bytes())
        };
        result.map_err(|e| format!("{}: the text being typed could not be kept ({e})", file.display()))?;
        self.written = text;
        self.changed = None;
        Ok(())
    }

    /// Reads the drafts kept beside an assessment, if any were kept for it.
    /// A side file of another assessment, or one that cannot be read, is
    /// left where it is and named.
    pub fn read_kept(path: &Path, assessment: &str) -> Result<Vec<(Field, String)>, String> {
        let file = side_file(path);
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("{}: the text typed last time could not be read ({e})", file.display())),
        };
        let kept: SideFile = serde_json::from_str(&text).map_err(|e| {
            format!("{}: is not a file of text typed in this program ({e}); it was left as it is", file.display())
        })?;
        if kept.format != FORMAT || kept.assessment != assessment {
            return Err(format!("{}: holds text typed for another assessment; it was left as it is", file.display()));
        }
        Ok(kept.drafts.into_iter().map(|k| (k.field, k.text)).collect())
    }

    /// Marks what the side file holds as written, after reading it back.
    pub fn mark_written(&mut self, assessment: &str) {
        self.written = self.side_text(assessment);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(c: &str) -> Field {
        Field::Evidence { criterion: c.into() }
    }

    #[test]
    fn a_draft_is_pending_only_while_it_differs_from_the_record() {
        let mut d = Drafts::default();
        d.text(evidence("CF1"), "seen in the plan");
        assert_eq!(d.pending_count(), 0);
        d.text(evidence("CF1"), "ignored: the box already has a draft").push_str(" and at interview");
        assert_eq!(d.pending_text(&evidence("CF1")), Some("seen in the plan and at interview"));
        d.text(Field::Interest, "").push_str("a relative on its staff");
        assert_eq!(d.to_record(), [(evidence("CF1"), "seen in the plan and at interview".to_string())]);
        d.recorded(&evidence("CF1"));
        d.prune();
        assert_eq!(d.pending().map(|(f, _)| f.clone()).collect::<Vec<_>>(), [Field::Interest]);
    }

    #[test]
    fn the_side_file_is_written_removed_and_read_back_only_for_its_assessment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("plan.csuassess");
        let mut d = Drafts::default();
        d.text(Field::Rationale { criterion: "LG1".into() }, "").push_str("the panel agreed: MD in post");
        d.keep(&path, "abc", true).expect("kept");
        assert!(side_file(&path).is_file());
        let kept = Drafts::read_kept(&path, "abc").expect("read");
        assert_eq!(kept, [(Field::Rationale { criterion: "LG1".into() }, "the panel agreed: MD in post".into())]);
        assert!(Drafts::read_kept(&path, "another").expect_err("refused").contains("another assessment"));
        let mut back = Drafts::default();
        back.put_back(kept, |_| String::new());
        assert!(back.to_record().is_empty(), "a rationale waits for its button");
        d.discard();
        d.keep(&path, "abc", true).expect("kept");
        assert!(!side_file(&path).exists(), "nothing pending: no side file");
        std::fs::write(side_file(&path), "{\"format\": 1}").expect("written");
        assert!(Drafts::read_kept(&path, "abc").expect_err("refused").contains("left as it is"));
    }

    #[test]
    fn evidence_put_back_is_recorded_on_leaving_only_once_seen() {
        let mut d = Drafts::default();
        d.put_back(vec![(evidence("RM3"), "break clauses at 2014".into())], |_| String::new());
        assert!(d.to_record().is_empty(), "unseen");
        d.text(evidence("RM3"), "");
        assert_eq!(d.to_record().len(), 1);
    }
}
