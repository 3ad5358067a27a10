//! `csu-assess leaders schedule|script|note-taker|note|account|show`: the
//! leaders' interview from a terminal or a script.
//!
//! Each verb that records becomes one [`Edit`] the library checks as the
//! window's; `show` shows what the member on this computer may see: a
//! member still scoring sees only their own notes, as with scores.

use csu_assess::assessment::Edit;
use csu_assess::leaders::{self, Person, Question, Schedule};
use csu_assess::store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Set when and where the interview is held, the CSU's people and the panel members present (the chair).
    Schedule {
        file: PathBuf,
        /// The day and time: "2012-09-12 10:00".
        #[arg(long)]
        at: String,
        /// The room, or "call".
        #[arg(long)]
        place: String,
        /// One of the CSU's people, "Name, Role"; give it once for each.
        #[arg(long = "csu", value_name = "NAME, ROLE", required = true)]
        csu: Vec<String>,
        /// A panel member present; give it once for each.
        #[arg(long = "panel", value_name = "NAME")]
        panel: Vec<String>,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Change the script (the chair): add a question, remove or move one, or go back to the framework's.
    Script {
        file: PathBuf,
        /// A question of the panel's own, added at the end.
        #[arg(long, value_name = "TEXT", group = "change")]
        add: Option<String>,
        /// The criterion the added question bears on.
        #[arg(long, requires = "add")]
        criterion: Option<String>,
        /// Minutes allotted to the added question (5 unless given).
        #[arg(long, requires = "add")]
        minutes: Option<u32>,
        /// A question to take out, by its id (L3).
        #[arg(long, value_name = "ID", group = "change")]
        remove: Option<String>,
        /// A question to move, by its id, to the place given with --to.
        #[arg(long = "move", value_name = "ID", group = "change", requires = "to")]
        move_id: Option<String>,
        /// Its new place, counting from 1.
        #[arg(long)]
        to: Option<usize>,
        /// Go back to the framework's script.
        #[arg(long, group = "change")]
        reset: bool,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Name the member who records the agreed account (the chair).
    NoteTaker {
        file: PathBuf,
        name: String,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Record your own notes on a question: yours alone until you have finished scoring.
    Note {
        file: PathBuf,
        question: String,
        #[command(flatten)]
        text: Given,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Record the agreed account of the answer to a question (the chair, or the note-taker).
    Account {
        file: PathBuf,
        question: String,
        #[command(flatten)]
        text: Given,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
    },
    /// Show the schedule, the script, the agreed account and the notes this computer's member may see.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(long = "as", value_name = "NAME")]
        member: Option<String>,
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
    },
}

fn person(given: &str) -> Result<Person, String> {
    let (name, role) = given
        .split_once(',')
        .ok_or_else(|| format!("`{given}` is not one of the CSU's people: write \"Name, Role\""))?;
    Ok(Person { name: name.trim().to_string(), role: role.trim().to_string() })
}

/// The script with one change made, as the chair asked.
fn changed_script(file: &std::path::Path, verb: &Verb) -> Result<Vec<Question>, String> {
    let Verb::Script { add, criterion, minutes, remove, move_id, to, reset, .. } = verb else {
        return Err("not a script change".into());
    };
    let assessment = store::load(file).map_err(|e| e.to_string())?;
    let framework = assessment.framework();
    let mut script = assessment.leaders.script.clone();
    let position = |script: &[Question], id: &str| {
        let id = id.trim().to_uppercase();
        script.iter().position(|q| q.id == id).ok_or_else(|| {
            let ids: Vec<&str> = script.iter().map(|q| q.id.as_str()).collect();
            format!("there is no question {id} in the script; its questions are {}", ids.join(", "))
        })
    };
    if *reset {
        return Ok(leaders::default_script(framework));
    }
    if let Some(text) = add {
        script.push(Question {
            id: leaders::next_id(
                assessment.leaders.used_ids.iter().chain(script.iter().map(|q| &q.id)).map(String::as_str),
            ),
            text: text.trim().to_string(),
            // The criterion as the framework writes it (cf1 is CF1).
            criterion: criterion.as_ref().map(|c| framework.criterion(c).map_or_else(|| c.clone(), |k| k.id.clone())),
            minutes: minutes.unwrap_or(leaders::DEFAULT_MINUTES),
        });
    } else if let Some(id) = remove {
        let at = position(&script, id)?;
        script.remove(at);
    } else if let (Some(id), Some(to)) = (move_id, to) {
        let at = position(&script, id)?;
        if *to == 0 || *to > script.len() {
            return Err(format!("--to {to}: the script's places run from 1 to {}", script.len()));
        }
        let q = script.remove(at);
        script.insert(to - 1, q);
    } else {
        return Err("say what to change: --add, --remove, --move with --to, or --reset".into());
    }
    Ok(script)
}

/// A note's or an account's text: given on the command line, or read from
/// a file for a long one.
#[derive(clap::Args, Debug)]
pub struct Given {
    /// The text; or --from a text file for a long one.
    #[arg(long, required_unless_present = "from", conflicts_with = "from")]
    text: Option<String>,
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
}

impl Given {
    /// The text (a file is read bounded: a note or an account is tens of
    /// kilobytes; the record refuses what is too long).
    fn read(&self) -> Result<String, String> {
        match (&self.text, &self.from) {
            (Some(t), _) => Ok(t.to_string()),
            (None, Some(path)) => {
                let bytes =
                    csu_assess::files::read(path, 1024 * 1024).map_err(|e| format!("{}: {e}", path.display()))?;
                String::from_utf8(bytes).map_err(|_| format!("{}: is not UTF-8 text", path.display()))
            }
            (None, None) => Ok(String::new()),
        }
    }
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::Schedule { file, at, place, csu, panel, member } => {
            let schedule = Schedule {
                at: at.trim().to_string(),
                place: place.trim().to_string(),
                csu: csu.iter().map(|p| person(p)).collect::<Result<_, _>>()?,
                panel: panel.iter().map(|p| p.trim().to_string()).collect(),
            };
            let said = format!("Set the leaders' interview for {} at {}", schedule.at, schedule.place);
            super::assess::update(file, member, vec![Edit::ScheduleLeaders(Box::new(schedule))], &said)
        }
        Verb::Script { file, member, .. } => {
            let script = changed_script(file, verb)?;
            let ids: Vec<&str> = script.iter().map(|q| q.id.as_str()).collect();
            let said = format!("Set the script: {}", ids.join(", "));
            super::assess::update(file, member, vec![Edit::LeadersScript(script)], &said)
        }
        Verb::NoteTaker { file, name, member } => {
            let said = format!("Named {} to record the agreed account", name.trim());
            super::assess::update(file, member, vec![Edit::NameNoteTaker(name.clone())], &said)
        }
        Verb::Note { file, question, text, member } => {
            let question = question.trim().to_uppercase();
            let text = text.read()?;
            let edit = Edit::LeadersNote { question: question.clone(), text };
            let said = format!(
                "Recorded {}'s notes on {question}: another member sees them once you and they have both finished scoring",
                member.trim()
            );
            super::assess::update(file, member, vec![edit], &said)
        }
        Verb::Account { file, question, text, member } => {
            let question = question.trim().to_uppercase();
            let text = text.read()?;
            let edit = Edit::LeadersAccount { question: question.clone(), text };
            let said = format!("Recorded the agreed account of {question}");
            super::assess::update(file, member, vec![edit], &said)
        }
        Verb::Show { file, json, member, roster } => {
            let assessment = store::load(file).map_err(|e| e.to_string())?;
            let trust = super::trust(None, roster.as_deref())?;
            let view = super::assess::view_as(&assessment, member.as_deref(), &trust)?;
            let interview = &view.assessment.leaders;
            if *json {
                sayln!("{}", serde_json::to_string_pretty(interview).map_err(|e| e.to_string())?);
                return Ok(ExitCode::SUCCESS);
            }
            match &interview.schedule {
                Some(s) => {
                    let people: Vec<String> = s.csu.iter().map(|p| format!("{} ({})", p.name, p.role)).collect();
                    sayln!("The leaders' interview: {} at {}, with {}", s.at, s.place, people.join(", "));
                    sayln!(
                        "Panel present: {}",
                        if s.panel.is_empty() { "not given".to_string() } else { s.panel.join(", ") }
                    );
                }
                None => sayln!("The leaders' interview is not scheduled yet."),
            }
            if let Some(taker) = &interview.note_taker {
                sayln!("Note-taker: {taker}");
            }
            sayln!(
                "Script ({}):",
                if interview.scripted { "as the chair set it" } else { "the framework's, until the chair sets one" }
            );
            for q in &interview.script {
                let on = q.criterion.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
                sayln!("  {}{on} ({} min): {}", q.id, q.minutes, q.text);
                if let Some(a) = interview.account(&q.id) {
                    for (n, line) in a.text.lines().enumerate() {
                        sayln!("    {}{line}", if n == 0 { "Agreed account: " } else { "  " });
                    }
                }
                for note in interview.notes.iter().filter(|n| n.question == q.id) {
                    match &note.text {
                        Some(text) => {
                            for (n, line) in text.lines().enumerate() {
                                sayln!(
                                    "    {}{line}",
                                    if n == 0 { format!("{}'s notes: ", note.by) } else { "  ".into() }
                                );
                            }
                        }
                        None => sayln!("    {}'s notes: withheld from this copy", note.by),
                    }
                }
            }
            if view.member.is_empty() {
                sayln!("(Members' notes are shown on their own computers; this computer holds no member's key.)");
            } else if !view.sees_panel {
                sayln!("(Other members' notes stay hidden until {} has finished scoring.)", view.member);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
