//! A record checked against the roster, entry by entry.

use super::Trust;
use crate::assessment::{Assessment, Change};
use std::collections::{HashMap, HashSet};

/// Why an entry does not count, or why nothing could be checked.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Untrusted {
    #[error("{0}")]
    NoRoster(String),
    #[error("{entry} is signed by key {key}, which the BDU's roster does not list: it is no BDU assessor's")]
    NotEnrolled { entry: String, key: String },
    #[error(
        "{entry} is signed as {who} with key {key}, which the BDU's roster gives to {name}: a key signs only as its own holder"
    )]
    OtherName { entry: String, who: String, key: String, name: String },
    #[error("{entry} is signed with key {key}, revoked by the BDU ({reason}){after}")]
    Revoked { entry: String, key: String, reason: String, after: String },
    #[error("{entry}: {who} may not {act}: the BDU's roster does not let {who} chair a panel")]
    MayNotChair { entry: String, who: String, act: String },
    #[error(
        "{entry} gives {name} the key {key}, which the BDU's roster does not give {name}: only the roster says whose a key is"
    )]
    NotTheirNewKey { entry: String, name: String, key: String },
}

/// What a change does that only a chair may do, if anything. One match
/// over every kind of change, so a new kind must be placed here.
pub fn chair_act(change: &Change) -> Option<&'static str> {
    match change {
        Change::Started { role, .. } if crate::assessment::rules::is_chair_role(role) => {
            Some("start a panel as its chair")
        }
        Change::Member { role, .. } if crate::assessment::rules::is_chair_role(role) => {
            Some("be made the panel's chair")
        }
        Change::SignOff { .. } => Some("sign off the panel's result"),
        Change::Reopened { .. } => Some("reopen a signed-off result"),
        Change::LetterIssued { .. } => Some("issue a letter"),
        Change::Started { .. }
        | Change::Member { .. }
        | Change::Score { .. }
        | Change::Consensus { .. }
        | Change::ActionAdded { .. }
        | Change::ActionRemoved { .. }
        | Change::Notes { .. }
        | Change::MemberRemoved { .. }
        | Change::KeyReplaced { .. }
        | Change::ScoringDone { .. }
        | Change::Discussion { .. }
        | Change::InterestDeclared { .. }
        | Change::EarlierLinked { .. }
        | Change::CcgInterview(_)
        | Change::LeadersScheduled(_)
        | Change::LeadersScript { .. }
        | Change::NoteTaker { .. }
        | Change::LeadersNote { .. }
        | Change::LeadersAccount { .. }
        | Change::ActionReviewed { .. } => None,
    }
}

impl Trust {
    /// Every entry of the record that does not count under the roster,
    /// each named with why; or, with no roster, the one reason nothing
    /// could be checked. Empty when every entry counts.
    pub fn check(&self, a: &Assessment) -> Vec<Untrusted> {
        let Some(roster) = &self.roster else {
            return vec![Untrusted::NoRoster(self.describe())];
        };
        // For each revoked key, the entries the office still trusts in this
        // record: the last trusted entry and everything it follows.
        let mut trusted: HashMap<&str, HashSet<&str>> = HashMap::new();
        for r in &roster.body.revoked {
            let kept = r
                .trusted
                .iter()
                .filter(|t| t.record == a.id)
                .flat_map(|t| crate::assessment::audit::ancestry(&a.audit, &t.last))
                .collect();
            trusted.insert(r.key.as_str(), kept);
        }
        let mut out = Vec::new();
        for (index, e) in a.audit.iter().enumerate() {
            let entry = e.named(index);
            let key = crate::keys::short(&e.signer);
            let Some(enrolled) = roster.enrolled(&e.signer) else {
                out.push(Untrusted::NotEnrolled { entry, key });
                continue;
            };
            // Exactly the enrolled name: "Ann Lee" and "Ann Lee" with a
            // trailing no-break space are two members to the panel's rules.
            if enrolled.name != e.who {
                out.push(Untrusted::OtherName { entry, who: e.who.clone(), key, name: enrolled.name.clone() });
                continue;
            }
            if let Some(r) = roster.revocation(&e.signer)
                && !trusted.get(r.key.as_str()).is_some_and(|kept| kept.contains(e.hash.as_str()))
            {
                let after = if r.trusted.iter().any(|t| t.record == a.id) {
                    ": it comes after the last entry of this key the office trusts in this record".to_string()
                } else {
                    ": the office trusts none of its entries in this record".to_string()
                };
                out.push(Untrusted::Revoked { entry, key, reason: r.reason.clone(), after });
                continue;
            }
            if let Some(act) = chair_act(&e.change)
                && !enrolled.may_chair
            {
                out.push(Untrusted::MayNotChair { entry, who: e.who.clone(), act: act.to_string() });
                continue;
            }
            // A member's new key counts only where the roster gives it to them.
            if let Change::KeyReplaced { name, key, .. } = &e.change
                && roster.enrolled(key).is_none_or(|k| k.name != *name)
            {
                out.push(Untrusted::NotTheirNewKey { entry, name: name.clone(), key: crate::keys::short(key) });
            }
        }
        out
    }
}
