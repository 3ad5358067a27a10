//! `csu-assess assess new|set|consensus|action|member|done|discuss|sign-off|reopen|show`:
//! starting and recording an assessment from the command line.
//!
//! Every verb that changes the assessment names the member acting (`--as`)
//! and becomes one [`Edit`] applied by the library, which checks the
//! panel's rules; the save joins in whatever another program saved to the
//! file meanwhile, so concurrent writers never lose each other's changes.

use csu_assess::assessment::{Assessment, Edit, Start, View};
use csu_assess::keys::{self, Identity};
use csu_assess::{criteria, plan, store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Start an assessment of a plan (the framework follows the plan's checkpoint and type unless given).
    New {
        plan: PathBuf,
        /// A criteria file, or a built-in framework's id.
        #[arg(long)]
        criteria: Option<String>,
        #[arg(short, long)]
        output: PathBuf,
        /// Who starts it: the panel's first member.
        #[arg(long = "as", alias = "assessor", value_name = "NAME")]
        member: String,
        /// The starter's role on the panel (Chair makes them the chair).
        #[arg(long, default_value = "Lead assessor")]
        role: String,
    },
    /// Record a member's own scores: CRITERION=SCORE[:EVIDENCE]...
    Set {
        file: PathBuf,
        #[arg(long = "as", alias = "assessor", value_name = "NAME")]
        member: String,
        #[arg(required = true, value_name = "CRITERION=SCORE[:EVIDENCE]")]
        scores: Vec<String>,
    },
    /// Record the panel's consensus score for a criterion, with its rationale.
    Consensus {
        file: PathBuf,
        #[arg(value_name = "CRITERION=SCORE")]
        score: String,
        #[arg(long)]
        rationale: String,
        #[arg(long = "as", alias = "by", value_name = "NAME")]
        member: String,
    },
    /// Add an action to the development plan.
    Action {
        file: PathBuf,
        #[arg(long)]
        action: String,
        #[arg(long)]
        owner: String,
        /// Due date, such as 2013-03-31 or 31/03/2013.
        #[arg(long)]
        due: String,
        #[arg(long)]
        criterion: Option<String>,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Add a panel member or change their role (--role Chair makes them the chair); --remove takes off one added by mistake.
    Member {
        file: PathBuf,
        name: String,
        #[arg(long, default_value = "Member")]
        role: String,
        #[arg(long, conflicts_with = "role")]
        remove: bool,
        /// The new member's public key (as `csu-assess key show` prints it on their computer), or a file holding it;
        /// without it, the key the BDU knows for that name.
        #[arg(long)]
        key: Option<String>,
        /// The BDU's roster, when newer than the one installed with the program.
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// A member has scored every criterion; they then see the others' scores.
    Done {
        file: PathBuf,
        #[arg(long = "as", alias = "assessor", value_name = "NAME")]
        member: String,
    },
    /// Record the panel's discussion of a criterion.
    Discuss {
        file: PathBuf,
        criterion: String,
        #[arg(long)]
        note: String,
        #[arg(long = "as", alias = "by", value_name = "NAME")]
        member: String,
    },
    /// The chair signs off the panel's result (once nothing else is missing).
    SignOff {
        file: PathBuf,
        #[arg(long = "as", alias = "chair", value_name = "NAME")]
        member: String,
    },
    /// The chair reopens a signed-off result, giving the reason.
    Reopen {
        file: PathBuf,
        #[arg(long)]
        reason: String,
        #[arg(long = "as", alias = "chair", value_name = "NAME")]
        member: String,
    },
    /// Declare your interest in the CSU (worked for its host cluster, a relative on its staff):
    /// you stand aside, and your scores are kept out of its result.
    Interest {
        file: PathBuf,
        /// What the interest is, in a sentence.
        #[arg(long)]
        interest: String,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Link the same CSU's assessment at the checkpoint before: its development actions are then reviewed here.
    Link {
        file: PathBuf,
        /// The earlier checkpoint's assessment file.
        earlier: PathBuf,
        /// Link it although the CSU's names differ (the CSU was renamed).
        #[arg(long)]
        chosen: bool,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Record whether a development action agreed at the checkpoint before was met, with the evidence.
    Review {
        file: PathBuf,
        /// The action's id, as `assess show` lists it.
        action: String,
        #[arg(long, conflicts_with = "not_met", required_unless_present = "not_met")]
        met: bool,
        #[arg(long)]
        not_met: bool,
        #[arg(long)]
        evidence: String,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Write a copy to disclose to the CSU: every entry, so it checks as the record does, without the members' private interview notes.
    Disclose {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Show an assessment's panel, scores, consensus and actions.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Show only what this member may see (their own scores until they finish).
        #[arg(long = "as", value_name = "NAME")]
        member: Option<String>,
        /// The BDU's roster, when newer than the one installed with the program (it says who is the office, which sees whole records).
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
    },
}

/// Now, as the timestamp every recorded change carries.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn framework_for(name: Option<&str>, p: &plan::Plan) -> Result<(criteria::Framework, String, String), String> {
    match name {
        Some(name) => match criteria::builtin(name) {
            Some(b) => {
                Ok((b.framework().map_err(|e| e.to_string())?, format!("built-in {}", b.file_name), b.text.into()))
            }
            None => {
                let (f, text) = criteria::load(Path::new(name)).map_err(|e| e.to_string())?;
                let source = Path::new(name).file_name().map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
                Ok((f, source, text))
            }
        },
        None => {
            let b = criteria::builtin_for(p.cover.checkpoint, p.cover.plan_type).ok_or_else(|| {
                format!(
                    "{}: the plan gives no checkpoint or plan type, so no framework can be chosen; name one with --criteria",
                    p.source.file_name
                )
            })?;
            Ok((b.framework().map_err(|e| e.to_string())?, format!("built-in {}", b.file_name), b.text.into()))
        }
    }
}

/// `CF1=3:evidence text` -> ("CF1", 3, "evidence text").
fn parse_score(arg: &str) -> Result<(String, u8, String), String> {
    let (criterion, rest) = arg.split_once('=').ok_or_else(|| format!("`{arg}` is not CRITERION=SCORE[:EVIDENCE]"))?;
    let (score, evidence) = rest.split_once(':').unwrap_or((rest, ""));
    let score =
        score.trim().parse::<u8>().map_err(|_| format!("`{arg}`: the score `{score}` is not a whole number"))?;
    Ok((criterion.trim().to_string(), score, evidence.trim().to_string()))
}

/// What recording did: the record after, which edits were new (by their
/// place in the list), and how many changes another program had saved
/// to the file meanwhile (joined in, never written over).
pub(super) struct Recorded {
    pub assessment: Assessment,
    pub new: Vec<usize>,
    pub merged_in: usize,
}

impl Recorded {
    /// Says what another program saved meanwhile, if anything.
    pub fn say_merged(&self) {
        if self.merged_in > 0 {
            sayln!("({} change(s) saved meanwhile by another program were kept)", self.merged_in);
        }
    }
}

/// Loads the assessment and its plan, makes the edits (`edits`, given
/// the plan) as `member`, all or none (the first refusal, worded by
/// `refused` with its place in the list, records nothing), and saves when
/// any was new, joining in changes saved meanwhile by another program.
pub(super) fn record(
    file: &Path,
    member: &str,
    edits: impl FnOnce(&plan::Plan) -> Result<Vec<Edit>, String>,
    refused: impl Fn(usize, &csu_assess::assessment::Refusal) -> String,
) -> Result<Recorded, String> {
    let key = Identity::this_installation().map_err(|e| e.to_string())?;
    let mut assessment = store::load(file).map_err(|e| e.to_string())?;
    let plan = assessment.open_plan(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let at = now();
    let mut new = Vec::new();
    for (index, edit) in edits(&plan)?.into_iter().enumerate() {
        match assessment.apply(&plan, member, &key, edit, &at) {
            Ok(Some(_)) => new.push(index),
            Ok(None) => {}
            Err(refusal) => return Err(refused(index, &refusal)),
        }
    }
    if new.is_empty() {
        return Ok(Recorded { assessment, new, merged_in: 0 });
    }
    let saved = store::save(file, &assessment).map_err(|e| e.to_string())?;
    Ok(Recorded { assessment: saved.assessment, new, merged_in: saved.merged_in })
}

/// [`record`], said in one sentence: `said` when anything was new.
pub(super) fn update(file: &Path, member: &str, edits: Vec<Edit>, said: &str) -> Result<ExitCode, String> {
    let done = record(
        file,
        member,
        |_| Ok(edits),
        |_, refusal| format!("{}: nothing was recorded: {refusal}", file.display()),
    )?;
    if done.new.is_empty() {
        sayln!("Nothing changed: {said} was already on the record");
        return Ok(ExitCode::SUCCESS);
    }
    sayln!("{said}");
    done.say_merged();
    Ok(ExitCode::SUCCESS)
}

/// A key given on the command line: the key itself, or a file holding it
/// (as `key show` prints it, or as `key export` writes it).
fn key_given(given: &str) -> Result<String, String> {
    if let Ok(key) = keys::parse_public(given) {
        return Ok(key);
    }
    let path = Path::new(given);
    if path.is_file() {
        let bytes = csu_assess::files::read(path, 64 * 1024).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let found = text
            .split(|c: char| !c.is_ascii_hexdigit())
            .find(|w| w.len() == 64)
            .ok_or_else(|| format!("{}: holds no public key", path.display()))?;
        return keys::parse_public(found).map_err(|e| e.to_string());
    }
    Err(keys::parse_public(given).err().map(|e| e.to_string()).unwrap_or_default())
}

/// The view a verb shows, as the record's rule says
/// (`Assessment::view_asked`): this computer's member's, `--as` only that
/// member; someone not on the panel sees the whole record. Reading makes no
/// key.
pub fn view_as(
    assessment: &Assessment,
    member: Option<&str>,
    trust: &csu_assess::roster::Trust,
) -> Result<View, String> {
    let key = Identity::of_this_installation().map_err(|e| e.to_string())?.map(|k| k.public());
    assessment.view_asked(key.as_deref(), member, trust).map_err(|r| r.to_string())
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::New { plan: plan_path, criteria, output, member, role } => {
            let p = plan::import(plan_path).map_err(|e| e.to_string())?;
            let (framework, source, text) = framework_for(criteria.as_deref(), &p)?;
            let at = now();
            let id = plan::fingerprint(format!("{}{at}{}", p.source.fingerprint, std::process::id()).as_bytes());
            let recorded_path = relative_to(plan_path, output);
            let key = Identity::this_installation().map_err(|e| e.to_string())?;
            let start = Start {
                plan_path: &recorded_path,
                source: &source,
                text: &text,
                at: &at,
                id: &id[..16],
                by: member,
                role,
                key: &key,
            };
            let a = Assessment::start(&p, &framework, start).map_err(|e| e.to_string())?;
            store::create(output, &a, None).map_err(|e| e.to_string())?;
            sayln!(
                "Started {} for {} against {} ({} criteria), {} as {}",
                output.display(),
                p.cover.csu_name,
                framework.title,
                framework.criterion_count(),
                member.trim(),
                role.trim()
            );
            Ok(ExitCode::SUCCESS)
        }
        Verb::Set { file, member, scores } => {
            let parsed = scores.iter().map(|s| parse_score(s)).collect::<Result<Vec<_>, _>>()?;
            let edits = parsed
                .iter()
                .map(|(criterion, score, evidence)| Edit::Score {
                    criterion: criterion.clone(),
                    score: Some(*score),
                    evidence: evidence.clone(),
                })
                .collect();
            update(file, member, edits, &format!("Recorded {} score(s) by {}", parsed.len(), member.trim()))
        }
        Verb::Consensus { file, score, rationale, member } => {
            let (criterion, level, _) = parse_score(score)?;
            let edit =
                Edit::Consensus { criterion: criterion.clone(), score: Some(level), rationale: rationale.clone() };
            update(file, member, vec![edit], &format!("Recorded the consensus for {criterion}: {level}"))
        }
        Verb::Action { file, action, owner, due, criterion, member } => {
            let due = match plan::values::date(Some(&plan::workbook::CellValue::Text(due.clone())), false) {
                plan::values::Reading::Value(d) => d,
                _ => return Err(format!("`{due}` is not a date; write it as 2013-03-31 or 31/03/2013")),
            };
            let edit =
                Edit::AddAction { action: action.clone(), owner: owner.clone(), due, criterion: criterion.clone() };
            update(file, member, vec![edit], "Added the development action")
        }
        Verb::Member { file, name, role, remove, key, roster, member } => {
            let (edit, said) = if *remove {
                (Edit::RemoveMember { name: name.clone() }, format!("{} is no longer on the panel", name.trim()))
            } else {
                let said = format!("{} is on the panel as {}", name.trim(), role.trim());
                let key = match key {
                    Some(given) => Some(key_given(given)?),
                    None => super::trust(None, roster.as_deref())?.key_of(name).map(String::from),
                };
                (Edit::AddMember { name: name.clone(), role: role.clone(), key }, said)
            };
            update(file, member, vec![edit], &said)
        }
        Verb::Interest { file, interest, member } => update(
            file,
            member,
            vec![Edit::DeclareInterest { interest: interest.clone() }],
            &format!("{} has declared an interest and stands aside from this CSU", member.trim()),
        ),
        Verb::Link { file, earlier, chosen, member } => {
            let before = store::load(earlier).map_err(|e| e.to_string())?;
            let said = format!(
                "Linked the checkpoint {} assessment of {}, with {} development action(s) to review",
                before.framework().checkpoint,
                before.plan.csu_name,
                before.actions.len()
            );
            update(file, member, vec![Edit::link_earlier(&before, *chosen)], &said)
        }
        Verb::Review { file, action, met, evidence, member, .. } => {
            let edit = Edit::ReviewAction { id: action.clone(), met: *met, evidence: evidence.clone() };
            let said = format!("Recorded development action {action} as {}", if *met { "met" } else { "not met" });
            update(file, member, vec![edit], &said)
        }
        Verb::Done { file, member } => {
            update(file, member, vec![Edit::FinishScoring], &format!("{} has finished scoring", member.trim()))
        }
        Verb::Discuss { file, criterion, note, member } => {
            let edit = Edit::Discussion { criterion: criterion.clone(), note: note.clone() };
            update(file, member, vec![edit], &format!("Recorded the discussion of {criterion}"))
        }
        Verb::SignOff { file, member } => {
            update(file, member, vec![Edit::SignOff], &format!("Signed off by {}", member.trim()))
        }
        Verb::Reopen { file, reason, member } => {
            let edit = Edit::Reopen { reason: reason.clone() };
            update(file, member, vec![edit], &format!("Reopened by {}: {}", member.trim(), reason.trim()))
        }
        Verb::Disclose { file, output } => {
            let assessment = store::load(file).map_err(|e| e.to_string())?;
            let mut copy = assessment.disclosed();
            // The copy finds the plan from where it is written.
            if let Some(plan) = assessment.plan_candidates(file).into_iter().find(|p| p.is_file()) {
                copy.plan.path = relative_to(&plan, output);
            }
            store::create(output, &copy, None).map_err(|e| e.to_string())?;
            let withheld = assessment.texts.values().filter(|t| !t.text.trim().is_empty()).count();
            sayln!(
                "Wrote {}: every entry of the record, which checks as the record does, without the {withheld} private note(s)",
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Verb::Show { file, json, member, roster } => {
            let a = store::load(file).map_err(|e| e.to_string())?;
            let view = view_as(&a, member.as_deref(), &super::trust(None, roster.as_deref())?)?;
            if *json {
                let value = serde_json::json!({
                    "member": view.member,
                    "sees_panel": view.sees_panel,
                    "progress": view.progress,
                    "assessment": view.assessment,
                });
                sayln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
            } else {
                say!("{}", summary(&view));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The plan's path as seen from the assessment file, so the pair can move together.
fn relative_to(plan: &Path, assessment: &Path) -> String {
    let plan_abs = std::path::absolute(plan).unwrap_or_else(|_| plan.to_path_buf());
    let dir = std::path::absolute(assessment).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    plan_abs.strip_prefix(&dir).map(|p| p.display().to_string()).unwrap_or_else(|_| plan_abs.display().to_string())
}

fn summary(view: &View) -> String {
    let a = &view.assessment;
    // The framework's id, version and text are fixed by its fingerprint on
    // the record; where the file says it came from is not signed, so it is
    // given as the file's word, not as a fact.
    let mut out = format!(
        "Assessment {} of {} ({})\nFramework {} version {} (fingerprint {}; the file says it came from {})\nStarted {}\n",
        a.id,
        a.plan.csu_name,
        a.plan.file_name,
        a.framework.id,
        a.framework.version,
        &a.framework.fingerprint[..16.min(a.framework.fingerprint.len())],
        a.framework.source,
        a.created_at
    );
    let total = a.framework().criterion_count();
    out += "\nPanel\n";
    for p in &view.progress {
        out += &format!(
            "  {} ({}): {} of {total} scored{}\n",
            p.name,
            p.role,
            p.scored,
            if p.finished { ", finished" } else { "" }
        );
    }
    if !view.sees_panel {
        out += &format!("\nShown as {} sees it: their own scores only, until they finish scoring.\n", view.member);
    }
    if !a.scores.is_empty() {
        out += "\nScores\n";
        for s in &a.scores {
            out += &format!(
                "  {:<5} {} by {}: {}\n",
                s.criterion,
                s.score,
                s.assessor,
                if s.evidence.is_empty() { "(no evidence)" } else { &s.evidence }
            );
        }
    }
    if !a.consensus.is_empty() {
        out += "\nConsensus\n";
        for c in &a.consensus {
            out += &format!("  {:<5} {}: {}\n", c.criterion, c.score, c.rationale);
        }
    }
    if !a.actions.is_empty() {
        out += "\nDevelopment plan\n";
        for x in &a.actions {
            out += &format!("  {} {} (owner {}, due {})\n", x.id, x.action, x.owner, x.due.format("%d/%m/%Y"));
        }
    }
    if let Some(e) = &a.earlier {
        out += &format!("\nDevelopment plan agreed at checkpoint {} ({})\n", e.checkpoint, e.csu_name);
        for x in &e.actions {
            let finding = match &x.review {
                Some(r) => format!("{}: {}", if r.met { "met" } else { "NOT MET" }, r.evidence),
                None => "not yet reviewed".into(),
            };
            out += &format!(
                "  {} {} (owner {}, due {}): {finding}\n",
                x.action.id,
                x.action.action,
                x.action.owner,
                x.action.due.format("%d/%m/%Y")
            );
        }
    }
    if !a.interests.is_empty() {
        out += "\nDeclared interests (these members stand aside)\n";
        for i in &a.interests {
            out += &format!("  {}: {}\n", i.member, i.interest);
        }
    }
    if let Some(s) = &a.sign_off {
        out += &format!("\nSigned off by {} at {}\n", s.chair, s.at);
    }
    out
}
