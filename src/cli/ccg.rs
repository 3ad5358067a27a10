//! `csu-assess ccg record|show`: the CCGs' interviews from a terminal or a
//! script.
//!
//! `record` takes one interview from its flags, or many from a JSON file of
//! interviews written as the record writes them; each is an [`Edit`] the
//! library checks as the window's are. `show` lists the plan's CCGs with
//! what each said, the CCGs' figures and the plan's claims they
//! contradicted; what a CCG said is evidence, so every member sees it all.

use csu_assess::assessment::Edit;
use csu_assess::ccg::{self, Affordable, Answers, Choice, Confidence, How, Intent, Share, Sla};
use csu_assess::plan::metrics::{self, format_value};
use csu_assess::store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Record a CCG's interview (again, to correct it), held by the member named with --as.
    Record(Box<Record>),
    /// List the plan's CCGs with what each said, the CCGs' figures, and the plan's claims they contradicted.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct Record {
    file: PathBuf,
    /// A JSON file holding a list of interviews, each as the record writes one (see ASSESSMENT-FILE.md), instead of the flags below.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["ccg", "interviewee"])]
    from: Option<PathBuf>,
    /// The CCG, as the plan's Customers sheet names it (or one the panel adds).
    #[arg(long, required_unless_present = "from")]
    ccg: Option<String>,
    /// Who was interviewed at the CCG.
    #[arg(long, required_unless_present = "from")]
    interviewee: Option<String>,
    /// Their role at the CCG, such as "Chief Officer".
    #[arg(long = "role", required_unless_present = "from")]
    role: Option<String>,
    /// The day it was held: 2012-09-14.
    #[arg(long = "on", required_unless_present = "from")]
    held_on: Option<String>,
    /// meeting or call.
    #[arg(long, default_value = "meeting")]
    how: String,
    /// signed, agreed (not signed), in_negotiation or none.
    #[arg(long, required_unless_present = "from")]
    sla: Option<String>,
    /// at_least_half, 30_to_49 or under_30.
    #[arg(long, required_unless_present = "from")]
    share: Option<String>,
    /// yes, no or dont_know.
    #[arg(long, required_unless_present = "from")]
    affordable: Option<String>,
    /// What the CCG has set aside a head, in pounds: 11.52.
    #[arg(long, value_name = "POUNDS")]
    set_aside: Option<String>,
    /// very, quite, not_very or not_at_all.
    #[arg(long, required_unless_present = "from")]
    confidence: Option<String>,
    /// yes or no: whether the CCG has met the CSU's leader.
    #[arg(long, required_unless_present = "from")]
    met_leader: Option<String>,
    /// stay, change or dont_know: after April 2013.
    #[arg(long, required_unless_present = "from")]
    after: Option<String>,
    /// The scale services it means to buy, comma-separated: business_intelligence, healthcare_procurement,
    /// business_support, communications_and_engagement (or none).
    #[arg(long, default_value = "none")]
    services: String,
    #[arg(long, default_value = "")]
    notes: String,
    #[arg(long = "as", value_name = "NAME")]
    member: String,
}

fn code<C: Choice>(given: &str) -> Result<String, String> {
    C::parse(given).map(|c| c.code().to_string()).map_err(|e| e.to_string())
}

fn answers(r: &Record) -> Result<Answers, String> {
    let given = |v: &Option<String>| v.clone().unwrap_or_default();
    let services = if r.services.trim().eq_ignore_ascii_case("none") {
        Vec::new()
    } else {
        r.services
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| ccg::service_from(s).map(ccg::service_code).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?
    };
    let met_leader = match given(&r.met_leader).trim().to_lowercase().as_str() {
        "yes" | "y" | "true" => true,
        "no" | "n" | "false" => false,
        other => {
            return Err(format!("`{other}` is not an answer to whether the CCG has met the CSU's leader: yes or no"));
        }
    };
    Ok(Answers {
        ccg: given(&r.ccg),
        interviewee: given(&r.interviewee),
        interviewee_role: given(&r.role),
        held_on: given(&r.held_on).trim().to_string(),
        how: code::<How>(&r.how)?,
        sla: code::<Sla>(&given(&r.sla))?,
        share: code::<Share>(&given(&r.share))?,
        affordable: code::<Affordable>(&given(&r.affordable))?,
        set_aside_pence: ccg::set_aside_pence(r.set_aside.as_deref().unwrap_or_default()).map_err(|e| e.to_string())?,
        confidence: code::<Confidence>(&given(&r.confidence))?,
        met_leader,
        after_april_2013: code::<Intent>(&given(&r.after))?,
        services,
        notes: r.notes.trim().to_string(),
    })
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::Record(r) => {
            let all: Vec<Answers> = match &r.from {
                Some(path) => {
                    let bytes = csu_assess::files::read(path, csu_assess::limits::MAX_ASSESSMENT_FILE_BYTES)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    serde_json::from_slice(&bytes).map_err(|e| {
                        format!(
                            "{}:{}:{}: not a list of CCG interviews as the record writes them ({e})",
                            path.display(),
                            e.line(),
                            e.column()
                        )
                    })?
                }
                None => vec![answers(r)?],
            };
            let names: Vec<String> = all.iter().map(|a| a.ccg.trim().to_string()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let said = format!(
                "Recorded the interview{} with {} held by {}",
                if names.len() == 1 { "" } else { "s" },
                csu_assess::assessment::rules::listed(&names),
                r.member.trim()
            );
            super::assess::update(
                &r.file,
                &r.member,
                all.into_iter().map(|a| Edit::CcgInterview(Box::new(a))).collect(),
                &said,
            )
        }
        Verb::Show { file, json } => {
            let assessment = store::load(file).map_err(|e| e.to_string())?;
            let plan = assessment.open_plan(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let interviews = &assessment.ccg_interviews;
            let statuses = ccg::statuses(&plan, interviews);
            let figures = ccg::figures::with_plan(&plan, interviews);
            let contradictions = ccg::contradictions::find(&plan, interviews);
            let named: Vec<(&str, Option<&csu_assess::plan::MetricValue>)> = metrics::METRICS
                .iter()
                .filter(|m| metrics::from_interviews(m.name))
                .map(|m| (m.name, figures.get(m.name)))
                .collect();
            if *json {
                let value = serde_json::json!({
                    "csu": plan.cover.csu_name,
                    "ccgs": statuses,
                    "figures": named.iter().map(|(n, v)| (n.to_string(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
                    "not_interviewed": ccg::not_interviewed(&plan, interviews),
                    "contradictions": contradictions,
                });
                sayln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
                return Ok(ExitCode::SUCCESS);
            }
            let held = statuses.iter().filter(|s| s.in_plan && s.interview.is_some()).count();
            sayln!(
                "{}: CCG interviews, {held} of the plan's {} CCGs interviewed",
                plan.cover.csu_name,
                plan.customers.len()
            );
            for s in &statuses {
                let population =
                    s.population.map(|p| format!(", population {}", csu_assess::plan::fmt_count(p as f64)));
                let added = if s.in_plan { "" } else { " (not in the plan's Customers sheet; added by the panel)" };
                match s.interview {
                    None => sayln!("  {}{}: not yet interviewed", s.ccg, population.unwrap_or_default()),
                    Some(i) => {
                        let a = &i.account;
                        sayln!(
                            "  {}{}{added}: {} ({}), {} on {}, held by {}",
                            s.ccg,
                            population.unwrap_or_default(),
                            a.interviewee,
                            a.interviewee_role,
                            a.how.label().to_lowercase(),
                            a.held_on.format("%-d %B %Y"),
                            i.by
                        );
                        sayln!("    {}", a.summary());
                        if !a.notes.trim().is_empty() {
                            sayln!("    Notes: {}", a.notes.trim());
                        }
                    }
                }
            }
            sayln!("Figures:");
            for (name, value) in &named {
                let info = metrics::info(name).expect("listed from METRICS");
                sayln!(
                    "  {}: {}",
                    info.description,
                    value.map_or_else(
                        || "not known until every CCG is interviewed".to_string(),
                        |v| format_value(info.kind, v)
                    )
                );
            }
            if contradictions.is_empty() {
                sayln!("The CCGs contradicted none of the plan's claims.");
            } else {
                sayln!("What the CCGs said against the plan:");
                for c in &contradictions {
                    let side = if c.interview.is_empty() { String::new() } else { format!("; {}", c.interview) };
                    sayln!("  {}{side}", c.finding);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
