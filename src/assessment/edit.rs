//! Every change a person can make to an assessment, and the one function
//! that makes it.
//!
//! The window and the command line turn what the user did into an [`Edit`]
//! and call [`Assessment::apply`], which checks the panel's rules, records
//! the change on the trail and says why when it refuses. Undo and redo are
//! edits too ([`Assessment::undo_of`]): undoing appends the change that
//! restores the earlier value, so the trail only ever grows.

use super::Assessment;
use super::audit::CarriedAction;
use super::audit::Change;
use super::rules::{self, Refusal, criterion_id};
use crate::plan::Plan;
use chrono::NaiveDate;

/// A change to an assessment, made by the member who applies it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Adds a member to the panel with their public key, or changes a
    /// member's role (the key is then not needed).
    AddMember {
        name: String,
        role: String,
        key: Option<String>,
    },
    /// Removes a member added by mistake, before they record anything.
    RemoveMember {
        name: String,
    },
    /// A member's new key, after their laptop was stolen or replaced.
    ReplaceKey {
        name: String,
        key: String,
        reason: String,
    },
    /// The acting member's own score and evidence; `None` withdraws it.
    Score {
        criterion: String,
        score: Option<u8>,
        evidence: String,
    },
    /// The panel's agreed score with its rationale; `None` withdraws it.
    Consensus {
        criterion: String,
        score: Option<u8>,
        rationale: String,
    },
    AddAction {
        action: String,
        owner: String,
        due: NaiveDate,
        criterion: Option<String>,
    },
    RemoveAction {
        id: String,
    },
    /// Puts back an action that was removed.
    RestoreAction {
        id: String,
    },
    DecisionNotes(String),
    /// The acting member has scored every criterion and now sees the panel's scores.
    FinishScoring,
    Discussion {
        criterion: String,
        note: String,
    },
    /// The chair signs off the panel's result.
    SignOff,
    /// The chair reopens a signed-off result, saying why.
    Reopen {
        reason: String,
    },
    /// A final letter is issued (see [`crate::letter::issue`]).
    IssueLetter {
        reference: String,
        code: String,
        sha256: String,
        date: NaiveDate,
        wording: String,
    },
    /// The acting member declares an interest in the CSU and stands aside.
    DeclareInterest {
        interest: String,
    },
    /// Links the assessment at the checkpoint before ([`Edit::link_earlier`]).
    LinkEarlier {
        id: String,
        csu_name: String,
        checkpoint: u8,
        last_entry: String,
        actions: Vec<CarriedAction>,
        /// Linked although the CSU's names differ (the CSU was renamed):
        /// the person linking chose it.
        chosen: bool,
    },
    /// The panel's finding on a development action from the checkpoint before.
    ReviewAction {
        id: String,
        met: bool,
        evidence: String,
    },
    /// The acting member's interview with a CCG, or a correction of it.
    CcgInterview(Box<crate::ccg::Answers>),
    /// When and where the leaders' interview is held, with whom.
    ScheduleLeaders(Box<crate::leaders::Schedule>),
    /// The leaders' interview script, as the chair orders it.
    LeadersScript(Vec<crate::leaders::Question>),
    /// The member who records the agreed account.
    NameNoteTaker(String),
    /// The acting member's own notes on a question (private until they finish).
    LeadersNote {
        question: String,
        text: String,
    },
    /// The panel's agreed account of the answer to a question.
    LeadersAccount {
        question: String,
        text: String,
    },
}

impl Edit {
    /// The edit linking `earlier`, the same CSU's assessment at the
    /// checkpoint before: its development actions as agreed there.
    /// `chosen` when the CSU's names differ and the person linking is sure.
    pub fn link_earlier(earlier: &Assessment, chosen: bool) -> Edit {
        Edit::LinkEarlier {
            id: earlier.id.clone(),
            csu_name: earlier.plan.csu_name.clone(),
            checkpoint: earlier.framework().checkpoint,
            last_entry: earlier.audit.last().map(|e| e.hash.clone()).unwrap_or_default(),
            actions: earlier
                .actions
                .iter()
                .map(|a| CarriedAction {
                    id: a.id.clone(),
                    action: a.action.clone(),
                    owner: a.owner.clone(),
                    due: a.due,
                })
                .collect(),
            chosen,
        }
    }
}

impl Assessment {
    /// Makes a change as `who`, signed with `key`, at `at`. Returns the new
    /// entry's hash, or `None` when the change would leave everything as it
    /// is (nothing is recorded), or the reason it is refused (nothing
    /// changes).
    pub fn apply(
        &mut self,
        plan: &Plan,
        who: &str,
        key: &crate::keys::Identity,
        edit: Edit,
        at: &str,
    ) -> Result<Option<String>, Refusal> {
        let who = who.trim();
        if plan.source.fingerprint != self.plan.fingerprint {
            return Err(Refusal::OtherPlan { file_name: plan.source.file_name.clone() });
        }
        let tips = self.state.tips();
        let seal = self.state.seal_over(&tips).cloned();
        if let Some(seal) = &seal
            && !matches!(edit, Edit::Reopen { .. } | Edit::IssueLetter { .. } | Edit::ReplaceKey { .. })
        {
            return Err(rules::sealed(seal));
        }
        // A note is committed to by hash; its text is kept beside the trail.
        let private = match &edit {
            Edit::LeadersNote { text, .. } => Some(crate::leaders::private::commit(text.trim())),
            _ => None,
        };
        let commitment = private.as_ref().map(|(hash, _)| hash.as_str());
        let Some(change) = self.change_for(plan, who, edit, at, commitment)? else { return Ok(None) };
        if let Some(seal) = &seal
            && !rules::open_under(seal, &change)
        {
            return Err(rules::sealed(seal));
        }
        rules::authority(&self.state, &self.criteria, who, &key.public(), &change, &self.state.tips())?;
        self.process(plan, &change)?;
        if let Some((hash, text)) = private {
            // A note replaced keeps its entry, not its text: the member's
            // earlier words leave the file with the next save.
            for e in self.state.heads(&self.audit, &change.item()) {
                if let Change::LeadersNote { sha256, .. } = &e.change {
                    self.texts.remove(sha256);
                }
            }
            self.texts.insert(hash, text);
        }
        Ok(Some(self.record(who, key, at, change)))
    }

    /// The change an edit makes, given the state now; `None` for no change.
    fn change_for(
        &self,
        plan: &Plan,
        who: &str,
        edit: Edit,
        at: &str,
        commitment: Option<&str>,
    ) -> Result<Option<Change>, Refusal> {
        let framework = &self.criteria;
        Ok(match edit {
            Edit::AddMember { name, role, key } => {
                let name = name.trim().to_string();
                let old_role = self.assessors.iter().find(|a| a.name == name).map(|a| a.role.clone());
                // No role given keeps a member's role (a chair is never
                // demoted by leaving it out); a new member joins as Member.
                let role = match (role.trim(), &old_role) {
                    ("", Some(old)) => old.clone(),
                    ("", None) => "Member".to_string(),
                    (given, _) => given.to_string(),
                };
                let key = match key.filter(|_| old_role.is_none()) {
                    Some(k) => Some(crate::keys::parse_public(&k).map_err(|_| Refusal::BadKey { name: name.clone() })?),
                    None => None,
                };
                (old_role.as_ref() != Some(&role)).then_some(Change::Member { name, role, old_role, key })
            }
            Edit::RemoveMember { name } => {
                let member = self.assessors.iter().find(|a| a.name == name.trim());
                let member = member.ok_or_else(|| Refusal::NoSuchMember { name: name.trim().to_string() })?;
                let key = self.state.key_of(&member.name).unwrap_or_default().to_string();
                Some(Change::MemberRemoved { name: member.name.clone(), role: member.role.clone(), key })
            }
            Edit::ReplaceKey { name, key, reason } => {
                let name = name.trim().to_string();
                let key = crate::keys::parse_public(&key).map_err(|_| Refusal::BadKey { name: name.clone() })?;
                (self.state.key_of(&name) != Some(key.as_str())).then(|| Change::KeyReplaced {
                    name,
                    key,
                    reason: reason.trim().to_string(),
                })
            }
            Edit::Score { criterion, score, evidence } => {
                let criterion = criterion_id(framework, &criterion)?;
                let evidence = evidence.trim().to_string();
                let old = self.scores.iter().find(|s| s.criterion == criterion && s.assessor == who);
                let unchanged = match (old, score) {
                    (Some(o), Some(s)) => o.score == s && o.evidence == evidence,
                    (None, None) => true,
                    _ => false,
                };
                (!unchanged).then(|| Change::Score {
                    old_score: old.map(|o| o.score),
                    old_evidence: old.map(|o| o.evidence.clone()),
                    criterion,
                    assessor: who.to_string(),
                    score,
                    evidence: if score.is_some() { evidence } else { String::new() },
                })
            }
            Edit::Consensus { criterion, score, rationale } => {
                let criterion = criterion_id(framework, &criterion)?;
                let rationale = rationale.trim().to_string();
                let old = self.consensus.iter().find(|c| c.criterion == criterion);
                let unchanged = match (old, score) {
                    (Some(o), Some(s)) => o.score == s && o.rationale == rationale,
                    (None, None) => true,
                    _ => false,
                };
                (!unchanged).then(|| Change::Consensus {
                    old_score: old.map(|o| o.score),
                    old_rationale: old.map(|o| o.rationale.clone()),
                    criterion,
                    score,
                    rationale: if score.is_some() { rationale } else { String::new() },
                })
            }
            Edit::AddAction { action, owner, due, criterion } => {
                let criterion = criterion.map(|c| criterion_id(framework, &c)).transpose()?;
                let seed = format!("{at}\n{who}\n{action}\n{owner}\n{due}\n{}", self.audit.len());
                Some(Change::ActionAdded {
                    id: format!("A-{}", &crate::plan::fingerprint(seed.as_bytes())[..6]),
                    action: action.trim().to_string(),
                    owner: owner.trim().to_string(),
                    due,
                    criterion,
                })
            }
            Edit::RemoveAction { id } => {
                let a = self.actions.iter().find(|a| a.id == id).ok_or(Refusal::UnknownAction { id })?;
                Some(Change::ActionRemoved { id: a.id.clone(), action: a.action.clone() })
            }
            Edit::RestoreAction { id } => {
                if self.actions.iter().any(|a| a.id == id) {
                    return Ok(None);
                }
                let added = self
                    .audit
                    .iter()
                    .rev()
                    .find(|e| matches!(&e.change, Change::ActionAdded { id: i, .. } if *i == id));
                Some(added.ok_or(Refusal::UnknownAction { id })?.change.clone())
            }
            Edit::DecisionNotes(text) => {
                (text != self.decision_notes).then(|| Change::Notes { text, old: self.decision_notes.clone() })
            }
            Edit::FinishScoring => {
                (!self.state.is_done(who)).then(|| Change::ScoringDone { assessor: who.to_string() })
            }
            Edit::Discussion { criterion, note } => Some(Change::Discussion {
                criterion: criterion_id(framework, &criterion)?,
                note: note.trim().to_string(),
            }),
            Edit::SignOff => Some(Change::SignOff { chair: who.to_string() }),
            Edit::Reopen { reason } => {
                if self.state.seal_over(&self.state.tips()).is_none() {
                    return Err(Refusal::NotSignedOff);
                }
                Some(Change::Reopened { reason: reason.trim().to_string() })
            }
            Edit::IssueLetter { reference, code, sha256, date, wording } => {
                let replaces = self.last_letter().map(|(earlier, _)| earlier.to_string());
                Some(Change::LetterIssued {
                    reference,
                    code,
                    sha256,
                    date: Some(date),
                    wording: Some(wording),
                    replaces,
                    program: Some(env!("CARGO_PKG_VERSION").to_string()),
                })
            }
            Edit::DeclareInterest { interest } => {
                Some(Change::InterestDeclared { member: who.to_string(), interest: interest.trim().to_string() })
            }
            Edit::LinkEarlier { id, csu_name, checkpoint, last_entry, actions, chosen } => {
                let here = self.criteria.checkpoint;
                if checkpoint >= here {
                    return Err(Refusal::NotEarlier { checkpoint, here });
                }
                let same =
                    crate::plan::vocab::normalize(&csu_name) == crate::plan::vocab::normalize(&self.plan.csu_name);
                if !same && !chosen {
                    return Err(Refusal::OtherCsu { earlier: csu_name, here: self.plan.csu_name.clone() });
                }
                Some(Change::EarlierLinked { id, csu_name, checkpoint, last_entry, actions })
            }
            Edit::ReviewAction { id, met, evidence } => {
                let old = self.earlier.as_ref().and_then(|e| e.actions.iter().find(|a| a.action.id == id));
                let unchanged =
                    old.and_then(|a| a.review.as_ref()).is_some_and(|r| r.met == met && r.evidence == evidence.trim());
                (!unchanged).then(|| Change::ActionReviewed { id, met, evidence: evidence.trim().to_string() })
            }
            Edit::CcgInterview(mut answers) => {
                // The CCG as the plan spells it, so one CCG is one item
                // however its name was typed.
                let typed = answers.ccg.trim().to_string();
                answers.ccg = plan
                    .customers
                    .iter()
                    .find(|c| crate::ccg::key(&c.ccg) == crate::ccg::key(&typed))
                    .map_or(typed, |c| c.ccg.clone());
                let change = Change::CcgInterview(answers);
                // The same answers as the interview standing are no change; as
                // one held by a member who since stood aside, they are.
                let current = self.state.heads(&self.audit, &change.item());
                let standing = match current.as_slice() {
                    [one] => one.change == change && self.state.interest_of(&one.who).is_none(),
                    _ => false,
                };
                (!standing).then_some(change)
            }
            Edit::ScheduleLeaders(schedule) => {
                (self.leaders.schedule.as_ref() != Some(&*schedule)).then_some(Change::LeadersScheduled(schedule))
            }
            Edit::LeadersScript(questions) => (!self.leaders.scripted || self.leaders.script != questions)
                .then_some(Change::LeadersScript { questions }),
            Edit::NameNoteTaker(name) => {
                let name = name.trim().to_string();
                (self.leaders.note_taker.as_deref() != Some(name.as_str())).then_some(Change::NoteTaker { name })
            }
            Edit::LeadersNote { question, text } => {
                let text = text.trim();
                if text.len() > crate::leaders::private::MAX_NOTE_BYTES {
                    return Err(Refusal::NoteTooLong { question });
                }
                if !crate::leaders::plain_text(text) {
                    return Err(Refusal::NotPlainText { what: format!("the notes on {question}") });
                }
                let mine = self.leaders.notes.iter().find(|n| n.question == question && n.by == who);
                let unchanged = match mine {
                    Some(note) => note.text.as_deref() == Some(text),
                    None => text.is_empty(),
                };
                (!unchanged).then(|| Change::LeadersNote {
                    member: who.to_string(),
                    question,
                    sha256: commitment.unwrap_or_default().to_string(),
                })
            }
            Edit::LeadersAccount { question, text } => {
                let text = text.trim().to_string();
                let same = self.leaders.account(&question).is_some_and(|a| a.text == text);
                (!same).then_some(Change::LeadersAccount { question, text })
            }
        })
    }

    /// The rules of the panel's process: what depends on the whole panel's
    /// state at the moment of the change.
    fn process(&self, plan: &Plan, change: &Change) -> Result<(), Refusal> {
        match change {
            Change::Consensus { .. } => super::rules::process(&self.state, &self.criteria, &self.audit, change),
            Change::LetterIssued { .. } => {
                let missing = crate::scoring::evaluate(plan, &self.criteria, self).missing;
                if !missing.is_empty() {
                    return Err(Refusal::NotIssuable { missing });
                }
                super::rules::process(&self.state, &self.criteria, &self.audit, change)
            }
            Change::SignOff { .. } => {
                let evaluation = crate::scoring::evaluate(plan, &self.criteria, self);
                let missing: Vec<String> =
                    evaluation.missing.into_iter().filter(|m| m != crate::scoring::NOT_SIGNED_OFF).collect();
                if missing.is_empty() { Ok(()) } else { Err(Refusal::StillMissing { missing }) }
            }
            _ => Ok(()),
        }
    }

    /// The edit that undoes the entry `hash`: it restores the value the item
    /// had before. Refused when the item has changed again since, or when
    /// the entry is one that stays on the record (finishing, a discussion,
    /// a sign-off).
    pub fn undo_of(&self, hash: &str) -> Result<Edit, Refusal> {
        let Some(e) = self.audit.iter().find(|e| e.hash == hash) else {
            return Err(Refusal::NotUndoable { what: "a change that is not on the record".into() });
        };
        let heads = self.state.heads(&self.audit, &e.change.item());
        if !heads.iter().any(|h| h.hash == hash) {
            let later = heads.last().map_or_else(String::new, |h| h.who.clone());
            return Err(Refusal::ChangedSince { item: e.change.item(), who: later });
        }
        let not = |what: &str| Err(Refusal::NotUndoable { what: what.to_string() });
        Ok(match &e.change {
            Change::Score { criterion, old_score, old_evidence, .. } => Edit::Score {
                criterion: criterion.clone(),
                score: *old_score,
                evidence: old_evidence.clone().unwrap_or_default(),
            },
            Change::Consensus { criterion, old_score, old_rationale, .. } => Edit::Consensus {
                criterion: criterion.clone(),
                score: *old_score,
                rationale: old_rationale.clone().unwrap_or_default(),
            },
            Change::ActionAdded { id, .. } => Edit::RemoveAction { id: id.clone() },
            Change::ActionRemoved { id, .. } => Edit::RestoreAction { id: id.clone() },
            Change::Notes { old, .. } => Edit::DecisionNotes(old.clone()),
            Change::Member { name, old_role: None, .. } => Edit::RemoveMember { name: name.clone() },
            Change::Member { name, old_role: Some(role), .. } => {
                Edit::AddMember { name: name.clone(), role: role.clone(), key: None }
            }
            Change::MemberRemoved { name, role, key } => {
                Edit::AddMember { name: name.clone(), role: role.clone(), key: Some(key.clone()) }
            }
            Change::Started { .. } => return not("starting the assessment"),
            Change::ScoringDone { .. } => return not("finishing scoring, once the panel's scores have been seen,"),
            Change::Discussion { .. } => return not("a recorded discussion"),
            Change::SignOff { .. } => return not("a sign-off (the chair reopens it, with a reason, instead)"),
            Change::Reopened { .. } => return not("reopening (the chair signs off again instead)"),
            Change::LetterIssued { .. } => return not("issuing a letter"),
            Change::KeyReplaced { .. } => return not("a member's new key"),
            Change::InterestDeclared { .. } => return not("a declared interest"),
            Change::EarlierLinked { .. } => return not("linking the earlier checkpoint"),
            Change::ActionReviewed { .. } => {
                return not("a review of a development action (record the new finding instead)");
            }
            Change::CcgInterview(_) => return not("a CCG interview (record it again to correct it)"),
            Change::LeadersScheduled(_) | Change::LeadersScript { .. } | Change::NoteTaker { .. } => {
                return not("the leaders' interview's arrangements (record them again to change them)");
            }
            Change::LeadersNote { .. } | Change::LeadersAccount { .. } => {
                return not("interview notes or an account (record the text again to change it)");
            }
        })
    }
}
