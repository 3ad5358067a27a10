//! What a member may see: the one rule behind every page and verb that
//! shows an assessment.
//!
//! Scoring is blind. Until a member has finished scoring (and while anyone
//! else is on the panel) they see their own scores and nothing that the
//! others' scores shape: no other member's score or evidence, no spread, no
//! consensus, no discussion notes, no development plan or decision notes,
//! and so no combined outcome, because every figure is computed from what
//! the view holds. What anyone may see of the others is how far they have
//! got ([`Progress`]), never what they scored.

use super::Assessment;
use super::rules::Refusal;
use serde::Serialize;

/// How far one member has got.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub name: String,
    pub role: String,
    /// How many criteria they have scored.
    pub scored: usize,
    pub finished: bool,
}

/// An assessment as one member may see it.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Whom the view is for; empty for the full record.
    pub member: String,
    /// False while the member's scoring is blind: the assessment below then
    /// holds their own scores only.
    pub sees_panel: bool,
    /// What they may see. For showing only: changes go to the full
    /// assessment through [`Assessment::apply`].
    pub assessment: Assessment,
    pub progress: Vec<Progress>,
}

impl View {
    /// The member's own score of a criterion, if they have one: what their
    /// evidence box starts from and what leaving it re-records.
    pub fn own_score(&self, criterion: &str) -> Option<&super::Score> {
        self.assessment.scores.iter().find(|x| x.criterion == criterion && x.assessor == self.member)
    }
}

impl Assessment {
    /// Everyone's progress, which every member may see.
    pub fn progress(&self) -> Vec<Progress> {
        self.assessors
            .iter()
            .map(|a| Progress {
                name: a.name.clone(),
                role: a.role.clone(),
                scored: self.scores.iter().filter(|s| s.assessor == a.name).count(),
                finished: self.done.contains(&a.name),
            })
            .collect()
    }

    /// The whole record: for the BDU's office, and for anyone once no
    /// member is still scoring.
    fn full_view(&self) -> View {
        View { member: String::new(), sees_panel: true, assessment: self.clone(), progress: self.progress() }
    }

    /// What the holder of `key` may see: the view of the member whose key
    /// it is, or, for someone not on the panel, [`Assessment::outsider_view`].
    /// The file is readable by whoever has it; this keeps a member still
    /// scoring from seeing the others' scores, on every page and verb alike,
    /// even on another computer.
    pub fn view_for_key(&self, key: &str, trust: &crate::roster::Trust) -> View {
        match self.member_with_key(key) {
            Some(member) => self.view_for(member),
            None => self.outsider_view(Some(key), trust),
        }
    }

    /// What someone not on the panel sees (`key`: their computer's, if it
    /// has one): the whole record when the BDU's roster lets them see whole
    /// records (the office), or once no member is still scoring; until
    /// then, no one's scores. A member who copies the file to a computer of
    /// nobody's learns nothing there.
    pub fn outsider_view(&self, key: Option<&str>, trust: &crate::roster::Trust) -> View {
        if key.is_some_and(|k| trust.sees_whole_records(k)) {
            self.full_view()
        } else if self.still_scoring().is_empty() {
            // A member's interview notes are theirs until they finish, also
            // for a reader of nobody's (a sole assessor never "finishes").
            let mut v = self.full_view();
            v.assessment.leaders.notes.retain(|n| self.state.is_done(&n.by));
            v
        } else {
            self.view_for("")
        }
    }

    /// What a reader may be shown on a computer holding `key` (none: a
    /// computer that has never recorded anything): their own view, or, when
    /// they ask for one (`asked`), a member's view only if that member is
    /// the one whose key this computer holds. Blindness follows the key: a
    /// member still scoring cannot read the others' scores by naming another
    /// member, and nobody reads a member's private view on someone else's
    /// computer. The command line and the window both ask here.
    pub fn view_asked(
        &self,
        key: Option<&str>,
        asked: Option<&str>,
        trust: &crate::roster::Trust,
    ) -> Result<View, Refusal> {
        let acting = key.and_then(|k| self.member_with_key(k));
        match (asked.map(str::trim), acting) {
            (None, _) => Ok(key.map_or_else(|| self.outsider_view(None, trust), |k| self.view_for_key(k, trust))),
            (Some(asked), Some(acting)) if acting == asked => Ok(self.view_for(acting)),
            (Some(asked), _) if !self.is_member(asked) => Err(Refusal::NotAMember {
                who: asked.to_string(),
                members: self.assessors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "),
            }),
            (Some(asked), Some(acting)) => {
                Err(Refusal::NotYourView { acting: acting.to_string(), asked: asked.to_string() })
            }
            (Some(asked), None) => Err(Refusal::NoViewHere { asked: asked.to_string() }),
        }
    }

    /// Whether the whole record may be shown (the office's view) on a
    /// computer holding `key`: never where it is the key of a member still
    /// scoring, whose blindness the whole record would end; otherwise only
    /// for a key the BDU's roster lets see whole records, or once no member
    /// is still scoring.
    pub fn may_see_whole(&self, key: Option<&str>, trust: &crate::roster::Trust) -> Result<(), Refusal> {
        match key.and_then(|k| self.member_with_key(k)) {
            Some(member) if !self.sees_panel(member) => Err(Refusal::StillBlind { who: member.to_string() }),
            _ if self.still_scoring().is_empty() || key.is_some_and(|k| trust.sees_whole_records(k)) => Ok(()),
            _ => Err(Refusal::NotOffice { waiting: self.still_scoring().join(", ") }),
        }
    }

    /// What `member` may see now.
    pub fn view_for(&self, member: &str) -> View {
        let member = member.trim();
        let progress = self.progress();
        if self.sees_panel(member) {
            // A member's interview notes are theirs until they too have
            // finished scoring: a member who has finished sees the panel's
            // scores, not the notes of one still at work.
            let mut seen = self.clone();
            seen.leaders.notes.retain(|n| n.by == member || self.state.is_done(&n.by));
            return View { member: member.to_string(), sees_panel: true, assessment: seen, progress };
        }
        let mut own = self.clone();
        own.scores.retain(|s| s.assessor == member);
        // A member's notes carry judgments, like scores: theirs alone until
        // the viewer too has finished.
        own.leaders.notes.retain(|n| n.by == member);
        own.consensus.clear();
        own.discussions.clear();
        own.actions.clear();
        own.decision_notes.clear();
        own.uncovered.clear();
        if let Some(earlier) = &mut own.earlier {
            for a in &mut earlier.actions {
                a.review = None;
            }
        }
        own.conflicts.retain(|c| c.item.ends_with(&format!("/{member}")) && c.item.starts_with("score/"));
        own.audit.retain(|e| e.who == member || matches!(e.change, super::Change::Started { .. }));
        let mine: std::collections::HashSet<String> = own
            .audit
            .iter()
            .filter_map(|e| match &e.change {
                super::Change::LeadersNote { sha256, .. } => Some(sha256.clone()),
                _ => None,
            })
            .collect();
        own.texts.retain(|hash, _| mine.contains(hash));
        View { member: member.to_string(), sees_panel: false, assessment: own, progress }
    }
}
