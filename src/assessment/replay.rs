//! Replaying the trail: what the record says, entry by entry.
//!
//! [`State`] takes entries one at a time, in trail order, and keeps only
//! what the rules need to ask (who is on the panel, who has finished, which
//! criteria each member has scored, whether the result is signed off) and,
//! for every item, its current entries. Each step costs about the same
//! whatever the trail's length, so reading a file is linear in its trail.
//! [`State::fill`] then turns the current entries into the scores,
//! consensus, actions and the rest that the program shows.

use super::audit::{Change, Entry};
use super::rules::is_chair_role;
use super::{
    Assessment, Assessor, Conflict, Consensus, DevelopmentAction, Discussion, Earlier, Interest, Review,
    ReviewedAction, Score, SignOff,
};
use crate::criteria::Framework;
use std::collections::{HashMap, HashSet};

/// What the trail so far establishes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// For each item, the indices of the entries that are its current values.
    heads: HashMap<String, Vec<usize>>,
    /// Items in the order they were first set, so derived lists are stable.
    items: Vec<String>,
    /// Members in the order they joined, with their roles.
    members: Vec<(String, String)>,
    /// Each member's public key.
    keys: HashMap<String, String>,
    /// Members whose key was replaced: the new key stands over the one
    /// they joined with.
    replaced: HashMap<String, String>,
    done: HashSet<String>,
    /// The criteria each member has a score for.
    scored: HashMap<String, HashSet<String>>,
    /// Everyone who has recorded anything.
    authors: HashSet<String>,
    /// Entries no other entry follows.
    tips: Vec<String>,
    /// Every discussion, in trail order (they never replace each other).
    discussions: Vec<usize>,
    /// Members who have declared an interest, with what they declared.
    interests: HashMap<String, String>,
    /// The development actions carried from the checkpoint before.
    carried: HashSet<String>,
    /// For each entry, what seals the result for the entries that follow
    /// it: a sign-off, or a sole assessor's issued letter, until a
    /// reopening. Followed through each entry's own lineage.
    seals: HashMap<String, Option<Seal>>,
    /// For each entry, who had recorded and who had been removed in its
    /// own lineage (bits of `names`): a removal holds only for what follows
    /// it, so a removed member's copy, made beside it, still joins.
    lineage: HashMap<String, Lineage>,
    names: HashMap<String, u32>,
    /// Members removed from the panel, with the key and role they had.
    removed: HashMap<String, (String, String)>,
    /// The ids of the leaders' interview script the chair recorded.
    script: Option<Vec<String>>,
    note_taker: Option<String>,
    /// Every question the chair's scripts have named, id to text: an id
    /// never comes back for another question.
    questions: HashMap<String, String>,
}

/// Who had recorded (`authors`) and who had been removed (`removed`) in an
/// entry's lineage, as bits of the names met so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lineage {
    authors: u64,
    removed: u64,
}

/// What a result is sealed by: nothing changes under it but what
/// [`super::rules::open_under`] lets through.
#[derive(Clone, Debug, PartialEq)]
pub struct Seal {
    pub by: String,
    pub at: String,
    /// The reference of the letter that sealed it, for an assessor working
    /// alone (a panel's result is sealed by its sign-off).
    pub letter: Option<String>,
}

impl State {
    pub fn is_member(&self, name: &str) -> bool {
        self.members.iter().any(|(n, _)| n == name)
    }

    pub fn member_names(&self) -> Vec<&str> {
        self.members.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The public key recorded for a member.
    pub fn key_of(&self, name: &str) -> Option<&str> {
        self.keys.get(name).map(String::as_str)
    }

    /// The member whose key this is.
    pub fn member_with_key(&self, key: &str) -> Option<&str> {
        self.keys.iter().find(|(_, k)| k.as_str() == key).map(|(n, _)| n.as_str())
    }

    pub fn chair(&self) -> Option<String> {
        self.members.iter().find(|(_, r)| is_chair_role(r)).map(|(n, _)| n.clone())
    }

    /// What a member declared, if they stand aside from this CSU.
    pub fn interest_of(&self, name: &str) -> Option<&str> {
        self.interests.get(name).map(String::as_str)
    }

    /// The question ids of the script the chair recorded, if any.
    pub fn script(&self) -> Option<&[String]> {
        self.script.as_deref()
    }

    pub fn note_taker(&self) -> Option<&str> {
        self.note_taker.as_deref()
    }

    /// The text a question id had in any script recorded so far.
    pub fn question_text(&self, id: &str) -> Option<&str> {
        self.questions.get(id).map(String::as_str)
    }

    pub fn is_carried(&self, id: &str) -> bool {
        self.carried.contains(id)
    }

    pub fn is_done(&self, name: &str) -> bool {
        self.done.contains(name)
    }

    /// A member sees the panel's scores once they have finished scoring, or
    /// when nobody else is on the panel (all the scores are their own).
    pub fn sees_panel(&self, name: &str) -> bool {
        self.is_done(name) || self.members.iter().all(|(n, _)| n == name)
    }

    pub fn has_recorded(&self, name: &str) -> bool {
        self.authors.contains(name) || self.scored.get(name).is_some_and(|s| !s.is_empty())
    }

    /// The framework's criteria a member has not scored, in framework order.
    pub fn unscored_by<'f>(&self, framework: &'f Framework, name: &str) -> Vec<&'f str> {
        let mine = self.scored.get(name);
        framework.criteria().map(|(_, c)| c.id.as_str()).filter(|id| !mine.is_some_and(|m| m.contains(*id))).collect()
    }

    pub fn tips(&self) -> Vec<String> {
        self.tips.clone()
    }

    /// Members of a panel of more than one who have not finished scoring;
    /// a member who declared an interest is not waited for.
    pub fn still_scoring(&self) -> Vec<&str> {
        if self.members.len() <= 1 {
            return Vec::new();
        }
        self.members
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !self.done.contains(*n) && !self.interests.contains_key(*n))
            .collect()
    }

    /// How far apart the members' current scores of a criterion are (those
    /// who stood aside left out, as in the result).
    pub fn spread(&self, trail: &[Entry], criterion: &str) -> Option<u8> {
        let levels: Vec<u8> = self
            .members
            .iter()
            .filter(|(n, _)| !self.interests.contains_key(n))
            .flat_map(|(n, _)| self.heads(trail, &format!("score/{criterion}/{n}")))
            .filter_map(|e| match e.change {
                Change::Score { score, .. } => score,
                _ => None,
            })
            .collect();
        Some(levels.iter().max()? - levels.iter().min()?)
    }

    /// Whether the panel has recorded a discussion of a criterion.
    pub fn discussed(&self, trail: &[Entry], criterion: &str) -> bool {
        self.discussions
            .iter()
            .filter_map(|&i| trail.get(i))
            .any(|e| matches!(&e.change, Change::Discussion { criterion: c, .. } if c == criterion))
    }

    /// The current entries of an item.
    pub fn heads<'t>(&self, trail: &'t [Entry], item: &str) -> Vec<&'t Entry> {
        self.heads.get(item).map(|h| h.iter().filter_map(|&i| trail.get(i)).collect()).unwrap_or_default()
    }

    /// The sign-off in force: the single current value of the sign-off item,
    /// when it is a sign-off (not a reopening).
    pub fn signed<'t>(&self, trail: &'t [Entry]) -> Option<&'t Entry> {
        match self.heads(trail, "signoff").as_slice() {
            [e] if matches!(e.change, Change::SignOff { .. }) => Some(e),
            _ => None,
        }
    }

    /// The lineage of an entry following `parents`.
    pub fn lineage_over(&self, parents: &[String]) -> Lineage {
        parents
            .iter()
            .filter_map(|p| self.lineage.get(p))
            .fold(Lineage::default(), |a, b| Lineage { authors: a.authors | b.authors, removed: a.removed | b.removed })
    }

    /// A name's bit; names past the 64th share the last bit, which can only
    /// make a removal hold more widely, never less.
    fn bit(&self, name: &str) -> u64 {
        self.names.get(name).map_or(0, |&i| 1 << i.min(63))
    }

    /// Whether `who` recorded anything in the lineage of an entry following `parents`.
    pub fn recorded_in(&self, who: &str, parents: &[String]) -> bool {
        self.lineage_over(parents).authors & self.bit(who) != 0
    }

    /// The key and role of a member who was removed, when the entry
    /// following `parents` was made beside the removal (in a copy that had
    /// not seen it): their work there counts as a member's.
    pub fn removed_beside(&self, who: &str, parents: &[String]) -> Option<&(String, String)> {
        let removed = self.removed.get(who)?;
        (!self.is_member(who) && self.lineage_over(parents).removed & self.bit(who) == 0).then_some(removed)
    }

    /// What seals the result for an entry following `parents`, if anything.
    pub fn seal_over(&self, parents: &[String]) -> Option<&Seal> {
        parents.iter().find_map(|p| self.seals.get(p).and_then(Option::as_ref))
    }

    /// Takes the trail's entry `index` into the state. The trail up to it
    /// has been checked, so every entry it replaces is already known.
    pub fn step(&mut self, trail: &[Entry], index: usize) {
        let e = &trail[index];
        let item = e.change.item();
        let heads = self.heads.entry(item.clone()).or_default();
        if heads.is_empty() {
            self.items.push(item.clone());
        }
        heads.retain(|&h| !e.supersedes.contains(&trail[h].hash));
        heads.push(index);
        let parents: HashSet<&str> = e.parents.iter().map(String::as_str).collect();
        self.tips.retain(|t| !parents.contains(t.as_str()));
        self.tips.push(e.hash.clone());
        if !matches!(e.change, Change::Started { .. }) {
            self.authors.insert(e.who.clone());
        }
        let before = self.seal_over(&e.parents).cloned();
        let after = match &e.change {
            Change::SignOff { chair } => Some(Seal { by: chair.clone(), at: e.at.clone(), letter: None }),
            Change::Reopened { .. } => None,
            Change::LetterIssued { reference, .. } if self.members.len() == 1 => {
                Some(Seal { by: e.who.clone(), at: e.at.clone(), letter: Some(reference.clone()) })
            }
            _ => before,
        };
        self.seals.insert(e.hash.clone(), after);
        let next = self.names.len() as u32;
        self.names.entry(e.who.clone()).or_insert(next);
        let mut lineage = self.lineage_over(&e.parents);
        if !matches!(e.change, Change::Started { .. }) {
            lineage.authors |= self.bit(&e.who);
        }
        if let Change::MemberRemoved { name, role, key } = &e.change {
            let next = self.names.len() as u32;
            self.names.entry(name.clone()).or_insert(next);
            lineage.removed |= self.bit(name);
            self.removed.insert(name.clone(), (key.clone(), role.clone()));
        }
        if let Change::Member { name, .. } = &e.change {
            self.removed.remove(name);
        }
        self.lineage.insert(e.hash.clone(), lineage);
        let current: Vec<&Change> = self.heads[&item].iter().map(|&h| &trail[h].change).collect();
        match &e.change {
            Change::Started { role, key, .. } => {
                self.members.push((e.who.clone(), role.clone()));
                self.keys.insert(e.who.clone(), key.clone());
            }
            Change::Member { name, .. } | Change::MemberRemoved { name, .. } => {
                let role = current.iter().find_map(|c| match c {
                    Change::Member { role, .. } => Some(role.clone()),
                    _ => None,
                });
                let key = current.iter().find_map(|c| match c {
                    Change::Member { key: Some(key), .. } => Some(key.clone()),
                    _ => None,
                });
                if let Some(key) = key {
                    let key = self.replaced.get(name).cloned().unwrap_or(key);
                    self.keys.insert(name.clone(), key);
                }
                match (role, self.members.iter().position(|(n, _)| n == name)) {
                    (Some(role), Some(at)) => self.members[at].1 = role,
                    (Some(role), None) => self.members.push((name.clone(), role)),
                    (None, Some(at)) => {
                        self.members.remove(at);
                        self.keys.remove(name);
                    }
                    (None, None) => {}
                }
            }
            Change::KeyReplaced { name, key, .. } => {
                self.keys.insert(name.clone(), key.clone());
                self.replaced.insert(name.clone(), key.clone());
            }
            Change::Score { criterion, assessor, .. } => {
                let has = current.iter().any(|c| matches!(c, Change::Score { score: Some(_), .. }));
                let mine = self.scored.entry(assessor.clone()).or_default();
                if has {
                    mine.insert(criterion.clone());
                } else {
                    mine.remove(criterion);
                }
            }
            Change::ScoringDone { assessor } => {
                self.done.insert(assessor.clone());
            }
            Change::Discussion { .. } => self.discussions.push(index),
            Change::InterestDeclared { member, interest } => {
                self.interests.insert(member.clone(), interest.clone());
            }
            Change::EarlierLinked { actions, .. } => {
                self.carried = actions.iter().map(|a| a.id.clone()).collect();
            }
            Change::LeadersScript { questions } => {
                self.script = Some(questions.iter().map(|q| q.id.clone()).collect());
                for q in questions {
                    self.questions.entry(q.id.clone()).or_insert_with(|| q.text.clone());
                }
            }
            Change::NoteTaker { name } => self.note_taker = Some(name.clone()),
            _ => {}
        }
    }

    /// Sets an assessment's shown state to what its trail records: each
    /// item's single current value, and a conflict for each item with more
    /// than one.
    pub fn fill(&self, d: &mut Assessment) {
        let trail = &d.audit;
        let assessors =
            self.members.iter().map(|(name, role)| Assessor { name: name.clone(), role: role.clone() }).collect();
        let done = self.members.iter().filter(|(n, _)| self.done.contains(n)).map(|(n, _)| n.clone()).collect();
        let discussions = self
            .discussions
            .iter()
            .filter_map(|&i| match &trail[i].change {
                Change::Discussion { criterion, note } => Some(Discussion {
                    criterion: criterion.clone(),
                    note: note.clone(),
                    who: trail[i].who.clone(),
                    at: trail[i].at.clone(),
                }),
                _ => None,
            })
            .collect();
        let (mut scores, mut consensus, mut actions, mut notes, mut conflicts) =
            (Vec::new(), Vec::new(), Vec::new(), String::new(), Vec::new());
        let (mut interests, mut earlier, mut reviews) = (Vec::new(), None, HashMap::new());
        let (mut ccg_interviews, mut ccg_conflicted) = (Vec::new(), Vec::new());
        let mut leaders =
            crate::leaders::Interview { script: crate::leaders::default_script(&d.criteria), ..Default::default() };
        leaders.used_ids = leaders.script.iter().map(|q| q.id.clone()).collect();
        for e in trail {
            if let Change::LeadersScript { questions } = &e.change {
                for q in questions {
                    if !leaders.used_ids.contains(&q.id) {
                        leaders.used_ids.push(q.id.clone());
                    }
                }
            }
        }
        let mut current: Vec<&Entry> = Vec::new();
        for item in &self.items {
            let heads = self.heads(trail, item);
            if heads.len() > 1
                && let Some(Change::CcgInterview(a)) = heads.first().map(|e| &e.change)
            {
                ccg_conflicted.push(a.ccg.clone());
            }
            if heads.len() > 1 && !item.starts_with("discussion/") {
                let mut versions: Vec<&&Entry> = heads.iter().collect();
                versions.sort_by(|a, b| (&a.at, &a.hash).cmp(&(&b.at, &b.hash)));
                conflicts.push(Conflict {
                    item: item.clone(),
                    versions: versions
                        .iter()
                        .map(|e| format!("{} ({}, {})", e.change.describe(), e.who, e.at))
                        .collect(),
                });
            }
            let keep_any = matches!(
                heads.first().map(|e| &e.change),
                Some(Change::ActionAdded { .. } | Change::ActionRemoved { .. })
            );
            // Two scripts set in two copies: the later stands for showing
            // and asking, while the conflict waits for the chair.
            let latest = matches!(heads.first().map(|e| &e.change), Some(Change::LeadersScript { .. }));
            if heads.len() == 1 {
                current.extend(heads);
            } else if latest {
                current.extend(heads.last().copied());
            } else if keep_any {
                current.extend(heads.into_iter().find(|e| matches!(e.change, Change::ActionAdded { .. })));
            }
        }
        for e in current {
            match &e.change {
                // A member who stood aside: their scores stay on the record
                // but are kept out of the CSU's result.
                Change::Score { assessor, .. } if self.interests.contains_key(assessor) => {}
                // Nor does a consensus they recorded stand: they take part in
                // nothing not yet signed off (a sign-off needs every
                // consensus, so the chair records it again).
                Change::Consensus { .. } if self.interests.contains_key(&e.who) => {}
                Change::Score { criterion, assessor, score: Some(score), evidence, .. } => scores.push(Score {
                    criterion: criterion.clone(),
                    assessor: assessor.clone(),
                    score: *score,
                    evidence: evidence.clone(),
                    recorded_at: e.at.clone(),
                }),
                Change::Consensus { criterion, score: Some(score), rationale, .. } => consensus.push(Consensus {
                    criterion: criterion.clone(),
                    score: *score,
                    rationale: rationale.clone(),
                    recorded_by: e.who.clone(),
                    recorded_at: e.at.clone(),
                }),
                Change::ActionAdded { id, action, owner, due, criterion } => actions.push(DevelopmentAction {
                    id: id.clone(),
                    action: action.clone(),
                    owner: owner.clone(),
                    due: *due,
                    criterion: criterion.clone(),
                }),
                Change::Notes { text, .. } => notes = text.clone(),
                Change::InterestDeclared { member, interest } => {
                    interests.push(Interest { member: member.clone(), interest: interest.clone(), at: e.at.clone() })
                }
                Change::EarlierLinked { id, csu_name, checkpoint, actions, .. } => {
                    earlier = Some((id.clone(), csu_name.clone(), *checkpoint, actions.clone()));
                }
                // A member who stood aside: their interviews stay on the
                // record, out of what the CCGs are taken to have said.
                Change::CcgInterview(_) if self.interests.contains_key(&e.who) => {}
                Change::LeadersNote { .. } | Change::LeadersAccount { .. } if self.interests.contains_key(&e.who) => {}
                Change::LeadersScheduled(schedule) => leaders.schedule = Some((**schedule).clone()),
                Change::LeadersScript { questions } => (leaders.script, leaders.scripted) = (questions.clone(), true),
                Change::NoteTaker { name } => leaders.note_taker = Some(name.clone()),
                Change::LeadersNote { member, question, sha256 } => leaders.notes.push(crate::leaders::Note {
                    question: question.clone(),
                    by: member.clone(),
                    at: e.at.clone(),
                    text: d.texts.get(sha256).map(|t| t.text.clone()),
                }),
                Change::LeadersAccount { question, text } => leaders.accounts.push(crate::leaders::Account {
                    question: question.clone(),
                    text: text.clone(),
                    by: e.who.clone(),
                    at: e.at.clone(),
                }),
                Change::CcgInterview(answers) => {
                    // Checked on reading: an entry whose answers do not
                    // check was refused before the state was filled.
                    if let Ok(account) = answers.check() {
                        ccg_interviews.push(crate::ccg::Interview {
                            account,
                            by: e.who.clone(),
                            recorded_at: e.at.clone(),
                        });
                    }
                }
                Change::ActionReviewed { id, met, evidence } => {
                    reviews.insert(
                        id.clone(),
                        Review { met: *met, evidence: evidence.clone(), by: e.who.clone(), at: e.at.clone() },
                    );
                }
                _ => {}
            }
        }
        let earlier = earlier.map(|(id, csu_name, checkpoint, actions)| Earlier {
            id,
            csu_name,
            checkpoint,
            actions: actions
                .into_iter()
                .map(|action| ReviewedAction { review: reviews.remove(&action.id), action })
                .collect(),
        });
        let (mut sign_off, mut uncovered) = (None, Vec::new());
        if let Some(signed) = self.signed(trail)
            && let Change::SignOff { chair } = &signed.change
        {
            let covered = super::audit::ancestry(trail, &signed.hash);
            uncovered = trail
                .iter()
                .filter(|e| {
                    !covered.contains(e.hash.as_str())
                        && !matches!(e.change, Change::LetterIssued { .. } | Change::LeadersNote { .. })
                })
                .map(|e| format!("{} ({}, {})", e.change.describe(), e.who, e.at))
                .collect();
            if uncovered.is_empty() {
                sign_off = Some(SignOff { chair: chair.clone(), at: signed.at.clone() });
            }
        }
        (d.scores, d.consensus, d.actions, d.decision_notes, d.conflicts) =
            (scores, consensus, actions, notes, conflicts);
        (d.sign_off, d.uncovered) = (sign_off, uncovered);
        (d.assessors, d.done, d.discussions) = (assessors, done, discussions);
        (d.interests, d.earlier) = (interests, earlier);
        (d.ccg_interviews, d.ccg_conflicted, d.leaders) = (ccg_interviews, ccg_conflicted, leaders);
    }
}
