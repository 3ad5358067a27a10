//! The panel's rules, in one place: who may record what, and when.
//!
//! Two kinds. *Authority* rules say who may record a change at all (a member
//! of the panel, their own score, the chair's sign-off, finishing only once
//! every criterion is scored); they are checked when a change is made and
//! again for every entry each time a file is read, so an entry added to a
//! file by hand that breaks one is refused. *Process* rules say when a change
//! may be made (a consensus once every member has finished, a wide spread
//! discussed first, sign-off only when nothing else is missing, nothing
//! after sign-off until the chair reopens); they depend on the whole
//! panel's state at that moment and are checked when a change is made. The
//! window and the command line call these through
//! [`super::Assessment::apply`] and never decide them themselves.

use super::audit::Change;
use super::replay::State;
use crate::criteria::Framework;

/// Scores this many levels apart must be talked through, and the
/// discussion recorded, before the panel can agree a consensus.
pub const MODERATION_SPREAD: u8 = 2;

/// The role that makes a member the panel's chair.
pub const CHAIR: &str = "Chair";

/// Whether a role is the chair's, however it was typed.
pub fn is_chair_role(role: &str) -> bool {
    role.trim().eq_ignore_ascii_case(CHAIR)
}

/// Why a change was refused, in words the person who tried can act on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("a member of the panel needs a name")]
    NoName,
    #[error(
        "this computer's key is not the one recorded for {who}, so it cannot record changes as {who}; {who} records their own changes on their own computer"
    )]
    NotTheirKey { who: String },
    #[error(
        "{name} joins the panel with their public key: ask {name} to run `csu-assess key show` and give it here (or the BDU to list it in its known keys)"
    )]
    NoKey { name: String },
    #[error("the key given for {name} is not a public key (64 hexadecimal characters)")]
    BadKey { name: String },
    #[error("the key given for {name} is already {other}'s; each member signs with their own key")]
    KeyInUse { name: String, other: String },
    #[error(
        "{name}'s key is on the record and cannot be changed; remove them and add them again if they have recorded nothing"
    )]
    KeyChanged { name: String },
    #[error("{file_name} is not the plan this assessment is of")]
    OtherPlan { file_name: String },
    #[error(
        "{who} is not a member of this panel (its members are {members}); choose one of them, or have {who} added first"
    )]
    NotAMember { who: String, members: String },
    #[error(
        "this computer holds {acting}'s key, so it shows this record as {acting} sees it, never as {asked} does: {asked}'s view is on {asked}'s own computer"
    )]
    NotYourView { acting: String, asked: String },
    #[error(
        "this computer holds no key of this panel's, so it cannot show the record as {asked} sees it: {asked}'s view is on {asked}'s own computer"
    )]
    NoViewHere { asked: String },
    #[error(
        "this computer holds {who}'s key, and {who} has not finished scoring, so the whole record (every member's scores) stays hidden here until {who} has"
    )]
    StillBlind { who: String },
    #[error("{who} cannot record {assessor}'s score: each member records only their own")]
    NotYourScore { who: String, assessor: String },
    #[error("there is no criterion `{id}` in this framework; its criteria are {known}")]
    UnknownCriterion { id: String, known: String },
    #[error("a score of {score} is not on the scale {min}-{max}")]
    OffScale { score: u8, min: u8, max: u8 },
    #[error("the consensus for {criterion} needs a rationale: say why the panel agreed this score")]
    NoRationale { criterion: String },
    #[error("the discussion of {criterion} needs a note of what was said")]
    NoDiscussionNote { criterion: String },
    #[error(
        "the panel's scores for {criterion} are {spread} levels apart: record the panel's discussion of it before a consensus"
    )]
    NeedsDiscussion { criterion: String, spread: u8 },
    #[error("{who} cannot finish scoring yet: {} not scored by {who}: {}", if missing.len() == 1 { "1 criterion is" } else { "these criteria are" }, missing.join(", "))]
    Unfinished { who: String, missing: Vec<String> },
    #[error(
        "{who} has finished scoring and has seen the panel's scores, so their own scores are fixed; record the panel's view as a consensus instead"
    )]
    AlreadyFinished { who: String },
    #[error("{who} has not finished scoring, so cannot yet see or record the panel's {what}; finish scoring first")]
    NotFinished { who: String, what: String },
    #[error("the panel agrees a consensus once every member has finished scoring; still scoring: {}", waiting.join(", "))]
    PanelScoring { waiting: Vec<String> },
    #[error("only the panel's chair can {what}; {}", match chair { Some(c) => format!("the chair is {c}"), None => "no member has the role Chair yet".to_string() })]
    NotChair { what: String, chair: Option<String> },
    #[error("{chair} is already the chair; change {chair}'s role first")]
    ChairTaken { chair: String },
    #[error(
        "the result was signed off by {chair} ({at}); the chair must reopen it, with a reason, before anything changes"
    )]
    SignedOff { chair: String, at: String },
    #[error(
        "{who} issued the letter {reference} ({at}); nothing changes under an issued letter until {who} reopens the result, with a reason"
    )]
    UnderLetter { who: String, at: String, reference: String },
    #[error(
        "the whole record, with the scores of members still scoring ({waiting}), is shown only to the BDU office: this computer's key is not the office's in the BDU's roster"
    )]
    NotOffice { waiting: String },
    #[error("the result is not signed off, so there is nothing to reopen")]
    NotSignedOff,
    #[error("reopening a signed-off result needs a reason, for the record")]
    NoReason,
    #[error("the result cannot be signed off yet:\n  - {}", missing.join("\n  - "))]
    StillMissing { missing: Vec<String> },
    #[error("the letter cannot be issued yet:\n  - {}", missing.join("\n  - "))]
    NotIssuable { missing: Vec<String> },
    #[error(
        "the letter {reference} was issued for this signed-off result ({at}, by {who}): give that letter again; a new one needs the result reopened, with a reason"
    )]
    AlreadyIssued { reference: String, at: String, who: String },
    #[error("{name} has recorded changes, so stays on the record as a member; change their role instead")]
    HasRecorded { name: String },
    #[error("{name} is not on the panel")]
    NoSuchMember { name: String },
    #[error("there is no development action {id}")]
    UnknownAction { id: String },
    #[error(
        "{who} chairs this panel, so {who}'s new key is recorded by another member of the panel (a stolen key must not vouch for its successor)"
    )]
    OwnKey { who: String },
    #[error("a development action needs the action and its owner")]
    IncompleteAction,
    #[error("{what} cannot be undone; it stays on the record")]
    NotUndoable { what: String },
    #[error("{item} was changed again since (by {who}); undoing would overwrite that change")]
    ChangedSince { item: String, who: String },
    #[error("{who} cannot declare {member}'s interest: each member declares their own")]
    NotYourInterest { who: String, member: String },
    #[error(
        "a declared interest needs a sentence saying what it is (worked for the host cluster, a relative on the staff...)"
    )]
    NoInterest,
    #[error(
        "{who} has declared an interest in this CSU ({interest}), so takes no part in assessing it (scoring, interviewing or agreeing); their scores and interviews are kept out of its result"
    )]
    StoodAside { who: String, interest: String },
    #[error(
        "the assessment linked must be of an earlier checkpoint: it is of checkpoint {checkpoint}, this one of checkpoint {here}"
    )]
    NotEarlier { checkpoint: u8, here: u8 },
    #[error(
        "the earlier assessment is of {earlier}, this one of {here}; link it only if they are the same CSU (choose it explicitly)"
    )]
    OtherCsu { earlier: String, here: String },
    #[error("there is no development action {id} from the checkpoint before; link that assessment first")]
    UnknownCarriedAction { id: String },
    #[error("the finding on development action {id} needs its evidence: say what shows it met or not")]
    NoReviewEvidence { id: String },
    #[error(transparent)]
    Answer(#[from] crate::ccg::AnswerError),
    #[error(transparent)]
    Script(#[from] crate::leaders::ScriptError),
    #[error("{who} cannot record {member}'s notes: each member keeps their own")]
    NotYourNotes { who: String, member: String },
    #[error("a note's commitment is the SHA-256 of its text, 64 hexadecimal digits")]
    NotACommitment,
    #[error("there is no question \"{question}\" in the leaders' interview script")]
    NotInScript { question: String },
    #[error("the agreed account of {question} needs its text")]
    NoAccount { question: String },
    #[error("the agreed account of {question} is longer than 200,000 bytes")]
    AccountTooLong { question: String },
    #[error("the notes on {question} are longer than 20,000 bytes")]
    NoteTooLong { question: String },
    #[error("{what} holds control or direction-changing characters: keep to text, lines and tabs")]
    NotPlainText { what: String },
}

/// Whether a question is in the script in force: the chair's, or the
/// framework's until the chair records one.
fn in_script(state: &State, framework: &Framework, question: &str) -> Result<(), Refusal> {
    let known = match state.script() {
        Some(ids) => ids.iter().any(|id| id == question),
        None => crate::leaders::default_script(framework).iter().any(|q| q.id == question),
    };
    if known { Ok(()) } else { Err(Refusal::NotInScript { question: question.chars().take(20).collect() }) }
}

/// A list of names or ids in a sentence: `CF1, CF2 and LG3`.
/// A sentence's first letter in capitals: refusals are worded to follow a
/// file name ("x.csuassess: the result was..."), and stand alone as well.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The refusal for anything but reopening once the result is sealed.
pub fn sealed(seal: &super::replay::Seal) -> Refusal {
    let at = crate::when::local(&seal.at);
    match &seal.letter {
        None => Refusal::SignedOff { chair: seal.by.clone(), at },
        Some(reference) => Refusal::UnderLetter { who: seal.by.clone(), at, reference: reference.clone() },
    }
}

/// Whether a change takes part in deciding the result: a member who has
/// declared an interest makes none of these. One match over every kind of
/// change, so a new kind must be placed here.
pub fn takes_part(change: &Change) -> bool {
    match change {
        Change::Score { .. }
        | Change::ScoringDone { .. }
        | Change::Consensus { .. }
        | Change::Discussion { .. }
        | Change::SignOff { .. }
        | Change::ActionReviewed { .. }
        | Change::CcgInterview(_)
        | Change::LeadersNote { .. }
        | Change::LeadersAccount { .. }
        | Change::ActionAdded { .. } => true,
        Change::Started { .. }
        | Change::ActionRemoved { .. }
        | Change::Notes { .. }
        | Change::Member { .. }
        | Change::MemberRemoved { .. }
        | Change::KeyReplaced { .. }
        | Change::Reopened { .. }
        | Change::LetterIssued { .. }
        | Change::InterestDeclared { .. }
        | Change::EarlierLinked { .. }
        | Change::LeadersScheduled(_)
        | Change::LeadersScript { .. }
        | Change::NoteTaker { .. } => false,
    }
}

/// What may still be recorded under a sealed result. One match over every
/// kind of change, so a new kind must be placed here: a reopening; a new
/// key (a stolen laptop changes no result); and under a sign-off, the
/// panel's one letter.
pub fn open_under(seal: &super::replay::Seal, change: &Change) -> bool {
    match change {
        Change::Reopened { .. } | Change::KeyReplaced { .. } => true,
        Change::LetterIssued { .. } => seal.letter.is_none(),
        Change::Started { .. }
        | Change::Score { .. }
        | Change::Consensus { .. }
        | Change::ActionAdded { .. }
        | Change::ActionRemoved { .. }
        | Change::Notes { .. }
        | Change::Member { .. }
        | Change::MemberRemoved { .. }
        | Change::ScoringDone { .. }
        | Change::Discussion { .. }
        | Change::SignOff { .. }
        | Change::InterestDeclared { .. }
        | Change::EarlierLinked { .. }
        | Change::CcgInterview(_)
        | Change::LeadersScheduled(_)
        | Change::LeadersScript { .. }
        | Change::NoteTaker { .. }
        | Change::LeadersNote { .. }
        | Change::LeadersAccount { .. }
        | Change::ActionReviewed { .. } => false,
    }
}

pub fn listed(items: &[&str]) -> String {
    joined(items, "and")
}

/// Items in a sentence where any one is meant: "A, B or C".
pub fn listed_or(items: &[&str]) -> String {
    joined(items, "or")
}

fn joined(items: &[&str], last_word: &str) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {last_word} {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

/// The criterion id as the framework writes it, or a refusal naming them all.
pub fn criterion_id(framework: &Framework, id: &str) -> Result<String, Refusal> {
    framework.criterion(id).map(|c| c.id.clone()).ok_or_else(|| Refusal::UnknownCriterion {
        id: id.to_string(),
        known: framework.criteria().map(|(_, c)| c.id.clone()).collect::<Vec<_>>().join(", "),
    })
}

fn on_scale(framework: &Framework, score: Option<u8>) -> Result<(), Refusal> {
    match score {
        Some(s) if !framework.scale.contains(s) => {
            Err(Refusal::OffScale { score: s, min: framework.scale.min, max: framework.scale.max })
        }
        _ => Ok(()),
    }
}

/// The authority rules: whether `who` may record `change` at all, given the
/// trail so far. Checked when recording and for every entry on every load.
/// The panel's process, as far as the record alone decides it: a
/// consensus only once every member taking part has finished scoring, and,
/// where their scores are `MODERATION_SPREAD` levels apart or more, only
/// after a discussion. Recording and every reading ask here, so a consensus
/// forged into the file, signed with the right key, is refused as one
/// recorded in the program is.
pub fn process(
    state: &State,
    framework: &Framework,
    trail: &[crate::assessment::Entry],
    change: &Change,
) -> Result<(), Refusal> {
    let panel = state.member_names().len() > 1;
    match change {
        // A panel's result is signed off only once every criterion has its
        // consensus and every member taking part has finished.
        Change::SignOff { .. } if panel => {
            let mut missing: Vec<String> =
                state.still_scoring().into_iter().map(|m| format!("{m} has not finished scoring")).collect();
            missing.extend(
                framework
                    .criteria()
                    .map(|(_, c)| c.id.as_str())
                    .filter(|id| {
                        !state
                            .heads(trail, &format!("consensus/{id}"))
                            .iter()
                            .any(|e| matches!(e.change, Change::Consensus { score: Some(_), .. }))
                    })
                    .map(|id| format!("the panel has not agreed a consensus for {id}")),
            );
            if missing.is_empty() { Ok(()) } else { Err(Refusal::StillMissing { missing }) }
        }
        // A panel's letter only under a sign-off in force, and one letter
        // for one signed-off result: another needs the result reopened.
        Change::LetterIssued { .. } if panel => {
            let Some(signed) = state.signed(trail) else {
                return Err(Refusal::NotIssuable { missing: vec![crate::scoring::NOT_SIGNED_OFF.to_string()] });
            };
            let from = trail.iter().position(|e| e.hash == signed.hash).map_or(trail.len(), |i| i + 1);
            match trail[from..].iter().find_map(|e| match &e.change {
                Change::LetterIssued { reference, .. } => Some((reference, e)),
                _ => None,
            }) {
                Some((reference, e)) => {
                    Err(Refusal::AlreadyIssued { reference: reference.clone(), at: e.at.clone(), who: e.who.clone() })
                }
                None => Ok(()),
            }
        }
        Change::Consensus { criterion, score: Some(_), .. } => {
            let waiting = state.still_scoring();
            if !waiting.is_empty() {
                return Err(Refusal::PanelScoring { waiting: waiting.into_iter().map(String::from).collect() });
            }
            match state.spread(trail, criterion) {
                Some(spread) if spread >= MODERATION_SPREAD && !state.discussed(trail, criterion) => {
                    Err(Refusal::NeedsDiscussion { criterion: criterion.clone(), spread })
                }
                _ => Ok(()),
            }
        }
        // Every other kind, placed here by name: a new kind must be.
        Change::SignOff { .. }
        | Change::LetterIssued { .. }
        | Change::Consensus { .. }
        | Change::Started { .. }
        | Change::Score { .. }
        | Change::ActionAdded { .. }
        | Change::ActionRemoved { .. }
        | Change::Notes { .. }
        | Change::Member { .. }
        | Change::MemberRemoved { .. }
        | Change::KeyReplaced { .. }
        | Change::ScoringDone { .. }
        | Change::Discussion { .. }
        | Change::Reopened { .. }
        | Change::InterestDeclared { .. }
        | Change::EarlierLinked { .. }
        | Change::CcgInterview(_)
        | Change::LeadersScheduled(_)
        | Change::LeadersScript { .. }
        | Change::NoteTaker { .. }
        | Change::LeadersNote { .. }
        | Change::LeadersAccount { .. }
        | Change::ActionReviewed { .. } => Ok(()),
    }
}

pub fn authority(
    state: &State,
    framework: &Framework,
    who: &str,
    signer: &str,
    change: &Change,
    parents: &[String],
) -> Result<(), Refusal> {
    if let Change::Started { key, .. } = change {
        return if key == signer { Ok(()) } else { Err(Refusal::NotTheirKey { who: who.to_string() }) };
    }
    // An assessor working alone records their own new key, signed with it:
    // no one else on the record can, and only the BDU's roster vouches for it.
    if let Change::KeyReplaced { name, key, .. } = change
        && name == who
        && key == signer
        && state.member_names() == [who]
    {
        return Ok(());
    }
    // A member removed in a copy they had not seen keeps what they
    // recorded there; what they record after seeing it is refused.
    match state.removed_beside(who, parents) {
        Some((key, _)) if key == signer => {}
        Some(_) => return Err(Refusal::NotTheirKey { who: who.to_string() }),
        None if !state.is_member(who) => {
            return Err(Refusal::NotAMember { who: who.to_string(), members: listed(&state.member_names()) });
        }
        None if state.key_of(who) != Some(signer) => return Err(Refusal::NotTheirKey { who: who.to_string() }),
        None => {}
    }
    let sees_panel = |what: &str| {
        if state.sees_panel(who) {
            Ok(())
        } else {
            Err(Refusal::NotFinished { who: who.to_string(), what: what.to_string() })
        }
    };
    if let Some(interest) = state.interest_of(who)
        && takes_part(change)
    {
        return Err(Refusal::StoodAside { who: who.to_string(), interest: interest.to_string() });
    }
    match change {
        Change::Started { .. } => Ok(()),
        Change::InterestDeclared { member, interest } => {
            if member != who {
                return Err(Refusal::NotYourInterest { who: who.into(), member: member.clone() });
            }
            if interest.trim().is_empty() { Err(Refusal::NoInterest) } else { Ok(()) }
        }
        Change::EarlierLinked { .. } => chair_only(state, who, "link the earlier checkpoint's assessment"),
        Change::ActionReviewed { id, evidence, .. } => {
            if !state.is_carried(id) {
                return Err(Refusal::UnknownCarriedAction { id: id.clone() });
            }
            if evidence.trim().is_empty() {
                return Err(Refusal::NoReviewEvidence { id: id.clone() });
            }
            sees_panel("review of the development plan")
        }
        Change::Score { criterion, assessor, score, .. } => {
            if assessor != who {
                return Err(Refusal::NotYourScore { who: who.into(), assessor: assessor.clone() });
            }
            criterion_id(framework, criterion)?;
            on_scale(framework, *score)?;
            if state.is_done(who) {
                return Err(Refusal::AlreadyFinished { who: who.into() });
            }
            Ok(())
        }
        Change::Consensus { criterion, score, rationale, .. } => {
            criterion_id(framework, criterion)?;
            on_scale(framework, *score)?;
            if score.is_some() && rationale.trim().is_empty() {
                return Err(Refusal::NoRationale { criterion: criterion.clone() });
            }
            sees_panel("consensus")
        }
        Change::Discussion { criterion, note } => {
            criterion_id(framework, criterion)?;
            if note.trim().is_empty() {
                return Err(Refusal::NoDiscussionNote { criterion: criterion.clone() });
            }
            sees_panel("discussion")
        }
        Change::ActionAdded { action, owner, .. } => {
            if action.trim().is_empty() || owner.trim().is_empty() {
                return Err(Refusal::IncompleteAction);
            }
            sees_panel("development plan")
        }
        Change::ActionRemoved { .. } => sees_panel("development plan"),
        Change::Notes { .. } => sees_panel("decision notes"),
        Change::Member { name, role, key, .. } => {
            if name.trim().is_empty() {
                return Err(Refusal::NoName);
            }
            chair_only(state, who, "add members or change their roles")?;
            match (state.is_member(name), key) {
                (false, None) => return Err(Refusal::NoKey { name: name.clone() }),
                (_, Some(key)) => {
                    if crate::keys::parse_public(key).ok().as_deref() != Some(key.as_str()) {
                        return Err(Refusal::BadKey { name: name.clone() });
                    }
                    if let Some(other) = state.member_with_key(key).filter(|o| o != name) {
                        return Err(Refusal::KeyInUse { name: name.clone(), other: other.to_string() });
                    }
                    if state.key_of(name).is_some_and(|k| k != key) {
                        return Err(Refusal::KeyChanged { name: name.clone() });
                    }
                }
                (true, None) => {}
            }
            match state.chair() {
                Some(chair) if is_chair_role(role) && chair != *name => Err(Refusal::ChairTaken { chair }),
                _ => Ok(()),
            }
        }
        Change::KeyReplaced { name, key, .. } => {
            if !state.is_member(name) {
                return Err(Refusal::NoSuchMember { name: name.clone() });
            }
            if crate::keys::parse_public(key).ok().as_deref() != Some(key.as_str()) {
                return Err(Refusal::BadKey { name: name.clone() });
            }
            if let Some(other) = state.member_with_key(key).filter(|o| o != name) {
                return Err(Refusal::KeyInUse { name: name.clone(), other: other.to_string() });
            }
            // The chair records a member's new key; the chair's own new key
            // is recorded by another member, never by the old key alone.
            if state.chair().as_deref() == Some(name.as_str()) {
                if who == name {
                    return Err(Refusal::OwnKey { who: who.to_string() });
                }
                Ok(())
            } else {
                chair_only(state, who, "record a member's new key")
            }
        }
        Change::MemberRemoved { name, .. } => {
            if !state.is_member(name) {
                return Err(Refusal::NoSuchMember { name: name.clone() });
            }
            // What the member recorded where the chair could see it; work
            // in a copy the chair had not seen joins beside the removal.
            if state.recorded_in(name, parents) {
                return Err(Refusal::HasRecorded { name: name.clone() });
            }
            chair_only(state, who, "remove members")
        }
        Change::ScoringDone { assessor } => {
            if assessor != who {
                return Err(Refusal::NotYourScore { who: who.into(), assessor: assessor.clone() });
            }
            let missing = state.unscored_by(framework, who);
            if missing.is_empty() {
                Ok(())
            } else {
                Err(Refusal::Unfinished { who: who.into(), missing: missing.into_iter().map(String::from).collect() })
            }
        }
        Change::SignOff { chair } => {
            if chair != who {
                return Err(Refusal::NotChair { what: "sign off the result".into(), chair: state.chair() });
            }
            must_chair(state, who, "sign off the result")
        }
        Change::Reopened { reason } => {
            // An assessor working alone reopens their own result.
            if state.member_names() != [who] {
                must_chair(state, who, "reopen a signed-off result")?;
            }
            if reason.trim().is_empty() { Err(Refusal::NoReason) } else { Ok(()) }
        }
        Change::LetterIssued { .. } if state.member_names().len() > 1 => must_chair(state, who, "issue the letter"),
        Change::LetterIssued { .. } => Ok(()),
        // Held by the member who records it; what a CCG said is evidence,
        // seen by every member, so no one need have finished scoring.
        Change::CcgInterview(answers) => answers.check().map(|_| ()).map_err(Refusal::from),
        Change::LeadersScheduled(schedule) => {
            schedule.check(&state.member_names())?;
            if let Some((name, interest)) =
                schedule.panel.iter().find_map(|n| state.interest_of(n).map(|i| (n.clone(), i.to_string())))
            {
                return Err(Refusal::StoodAside { who: name, interest });
            }
            chair_only(state, who, "schedule the leaders' interview")
        }
        Change::LeadersScript { questions } => {
            crate::leaders::check_script(questions, framework)?;
            let framework_script = crate::leaders::default_script(framework);
            for q in questions {
                let was = state
                    .question_text(&q.id)
                    .or_else(|| framework_script.iter().find(|f| f.id == q.id).map(|f| f.text.as_str()));
                if let Some(was) = was.filter(|was| *was != q.text) {
                    return Err(crate::leaders::ScriptError::IdReused { id: q.id.clone(), was: was.to_string() }.into());
                }
            }
            chair_only(state, who, "set the leaders' interview script")
        }
        Change::NoteTaker { name } => {
            if name.trim().is_empty() {
                return Err(Refusal::NoName);
            }
            if !state.is_member(name) {
                return Err(Refusal::NoSuchMember { name: name.clone() });
            }
            if let Some(interest) = state.interest_of(name) {
                return Err(Refusal::StoodAside { who: name.clone(), interest: interest.to_string() });
            }
            chair_only(state, who, "name the note-taker")
        }
        Change::LeadersNote { member, question, sha256 } => {
            if member != who {
                return Err(Refusal::NotYourNotes { who: who.into(), member: member.clone() });
            }
            if !crate::leaders::private::is_commitment(sha256) {
                return Err(Refusal::NotACommitment);
            }
            in_script(state, framework, question)
        }
        Change::LeadersAccount { question, text } => {
            in_script(state, framework, question)?;
            if text.trim().is_empty() {
                return Err(Refusal::NoAccount { question: question.clone() });
            }
            if !crate::leaders::plain_text(text) {
                return Err(Refusal::NotPlainText { what: format!("the agreed account of {question}") });
            }
            if text.len() > crate::leaders::private::MAX_NOTE_BYTES * 2 {
                return Err(Refusal::AccountTooLong { question: question.clone() });
            }
            match state.note_taker() {
                Some(taker) if taker == who => Ok(()),
                _ => chair_only(state, who, "record the agreed account (or the note-taker the chair names)"),
            }
        }
    }
}

/// What a member may be about to do, asked before they try, so the window
/// can grey out what the record would refuse and say why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Score,
    /// Marking one's own scoring finished.
    Finish,
    Consensus,
    /// Recording whether a development action from the checkpoint before was met.
    Review,
    /// Linking the checkpoint before's assessment.
    Link,
    /// Declaring one's own interest in the CSU.
    Declare,
    /// Recording a CCG's interview, or one's own notes of the leaders'.
    Interview,
    /// Scheduling the leaders' interview, setting its script, naming the note-taker.
    Arrange,
    /// Recording the agreed account of the leaders' interview.
    Account,
    ManageMembers,
    SignOff,
    Reopen,
}

/// Whether `who` may do `act` now: the same rules `authority` and the
/// sign-off freeze apply when the edit is made, asked ahead.
pub fn may(state: &State, who: &str, act: Act) -> Result<(), Refusal> {
    if !state.is_member(who) {
        return Err(Refusal::NotAMember { who: who.to_string(), members: listed(&state.member_names()) });
    }
    match (act, state.seal_over(&state.tips())) {
        (Act::Reopen, None) => return Err(Refusal::NotSignedOff),
        (Act::Reopen, Some(_)) => {}
        (_, Some(s)) => return Err(sealed(s)),
        (_, None) => {}
    }
    let takes_part = matches!(
        act,
        Act::Score | Act::Finish | Act::Consensus | Act::Review | Act::SignOff | Act::Interview | Act::Account
    );
    if let Some(interest) = state.interest_of(who).filter(|_| takes_part) {
        return Err(Refusal::StoodAside { who: who.to_string(), interest: interest.to_string() });
    }
    match act {
        Act::Score | Act::Finish if state.is_done(who) => Err(Refusal::AlreadyFinished { who: who.into() }),
        Act::Score | Act::Finish | Act::Declare | Act::Interview => Ok(()),
        Act::Review if state.sees_panel(who) => Ok(()),
        Act::Review => {
            Err(Refusal::NotFinished { who: who.to_string(), what: "review of the development plan".into() })
        }
        Act::Link => chair_only(state, who, "link the earlier checkpoint's assessment"),
        Act::Arrange => chair_only(state, who, "arrange the leaders' interview"),
        Act::Account if state.note_taker() == Some(who) => Ok(()),
        Act::Account => chair_only(state, who, "record the agreed account (or the note-taker the chair names)"),
        Act::Consensus if state.sees_panel(who) => Ok(()),
        Act::Consensus => Err(Refusal::NotFinished { who: who.to_string(), what: "consensus".into() }),
        Act::ManageMembers => chair_only(state, who, "add members or change their roles"),
        Act::SignOff => must_chair(state, who, "sign off the result"),
        Act::Reopen if state.member_names() == [who] => Ok(()),
        Act::Reopen => must_chair(state, who, "reopen a signed-off result"),
    }
}

/// Only the chair, once there is one; any member before.
fn chair_only(state: &State, who: &str, what: &str) -> Result<(), Refusal> {
    match state.chair() {
        Some(chair) if chair != who => Err(Refusal::NotChair { what: what.into(), chair: Some(chair) }),
        _ => Ok(()),
    }
}

/// Only the chair, and there must be one.
fn must_chair(state: &State, who: &str, what: &str) -> Result<(), Refusal> {
    match state.chair() {
        Some(chair) if chair == who => Ok(()),
        chair => Err(Refusal::NotChair { what: what.into(), chair }),
    }
}
