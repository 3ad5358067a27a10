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
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "ccg", "interviewee", "role", "held_on", "how", "sla", "share", "affordable", "set_aside",
        "confidence", "met_leader", "after", "services", "notes",
    ])]
    from: Option<PathBuf>,
    /// Record a CCG the plan's Customers sheet does not list (one the panel adds).
    #[arg(long)]
    not_in_plan: bool,
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
    #[arg(long)]
    how: Option<String>,
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
    /// business_support, communications_and_engagement (or none, as when left out).
    #[arg(long)]
    services: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    #[arg(long = "as", value_name = "NAME")]
    member: String,
}

fn code<C: Choice>(given: &str) -> Result<String, String> {
    C::parse(given).map(|c| c.code().to_string()).map_err(|e| e.to_string())
}

fn answers(r: &Record) -> Result<Answers, String> {
    let given = |v: &Option<String>| v.clone().unwrap_or_default();
    let services = r.services.as_deref().unwrap_or("none");
    let services = if services.trim().eq_ignore_ascii_case("none") {
        Vec::new()
    } else {
        services
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
        how: code::<How>(r.how.as_deref().unwrap_or("meeting"))?,
        sla: code::<Sla>(&given(&r.sla))?,
        share: code::<Share>(&given(&r.share))?,
        affordable: code::<Affordable>(&given(&r.affordable))?,
        set_aside_pence: ccg::set_aside_pence(r.set_aside.as_deref().unwrap_or_default()).map_err(|e| e.to_string())?,
        confidence: code::<Confidence>(&given(&r.confidence))?,
        met_leader,
        after_april_2013: code::<Intent>(&given(&r.after))?,
        services,
        notes: r.notes.as_deref().unwrap_or_default().trim().to_string(),
    })
}

/// Records the interviews given, all or none, and says which were new:
/// an interview the record already holds word for word is not recorded
/// again.
fn record(r: &Record) -> Result<ExitCode, String> {
    let all: Vec<Answers> = match &r.from {
        Some(path) => {
            let bytes = csu_assess::files::read(path, csu_assess::limits::MAX_ASSESSMENT_FILE_BYTES)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let all: Vec<Answers> = serde_json::from_slice(&bytes).map_err(|e| {
                format!(
                    "{}:{}:{}: not a list of CCG interviews as the record writes them ({e})",
                    path.display(),
                    e.line(),
                    e.column()
                )
            })?;
            if all.is_empty() {
                return Err(format!("{}: the list holds no interviews", path.display()));
            }
            all
        }
        None => vec![answers(r)?],
    };
    let count = all.len();
    let from = |k: usize| match &r.from {
        Some(path) if count > 1 => format!(" ({} of {count} in {})", k + 1, path.display()),
        _ => String::new(),
    };
    for (k, a) in all.iter().enumerate() {
        if let Some(earlier) = all[..k].iter().position(|b| ccg::key(&b.ccg) == ccg::key(&a.ccg)) {
            return Err(format!(
                "the interview with {}{} is the same CCG as {}{}: give each CCG once",
                a.ccg.trim(),
                from(k),
                all[earlier].ccg.trim(),
                from(earlier)
            ));
        }
    }
    let typed: Vec<String> = all.iter().map(|a| a.ccg.trim().to_string()).collect();
    let edits = |plan: &csu_assess::plan::Plan| {
        // A CCG the plan does not list is one the panel adds, said so: a
        // slip in a name must not pass for a new customer.
        let listed = ccg::plan_ccgs(plan);
        for (k, a) in all.iter().enumerate() {
            if !r.not_in_plan && !listed.iter().any(|c| ccg::key(&c.ccg) == ccg::key(&a.ccg)) {
                let names: Vec<&str> = listed.iter().map(|c| c.ccg.as_str()).collect();
                return Err(format!(
                    "{}: nothing was recorded: the plan does not list {}{}; its CCGs are {}. Give --not-in-plan to record a CCG the panel adds",
                    r.file.display(),
                    a.ccg.trim(),
                    from(k),
                    csu_assess::assessment::rules::listed(&names)
                ));
            }
        }
        Ok(all.into_iter().map(|a| Edit::CcgInterview(Box::new(a))).collect())
    };
    let done = super::assess::record(&r.file, &r.member, edits, |k, refusal| {
        format!("{}: nothing was recorded: the interview with {}{}: {refusal}", r.file.display(), typed[k], from(k))
    })?;
    if done.new.is_empty() {
        sayln!("Nothing changed: the record already holds these interviews as given");
        return Ok(ExitCode::SUCCESS);
    }
    // Each CCG as the record spells it (the plan's spelling), not as typed.
    let recorded: Vec<String> = done
        .new
        .iter()
        .map(|&k| {
            ccg::interview_of(&done.assessment, &typed[k]).map_or_else(|| typed[k].clone(), |i| i.account.ccg.clone())
        })
        .collect();
    let names: Vec<&str> = recorded.iter().map(String::as_str).collect();
    sayln!(
        "Recorded the interview{} with {}, held by {}",
        if names.len() == 1 { "" } else { "s" },
        csu_assess::assessment::rules::listed(&names),
        r.member.trim()
    );
    done.say_merged();
    Ok(ExitCode::SUCCESS)
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::Record(r) => record(r),
        Verb::Show { file, json } => {
            let assessment = store::load(file).map_err(|e| e.to_string())?;
            let plan = assessment.open_plan(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let statuses = ccg::statuses(&plan, &assessment);
            let figures = ccg::figures::with_plan(&plan, &assessment);
            let contradictions = ccg::contradictions::find(&plan, &assessment);
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
                    "not_interviewed": ccg::not_interviewed(&plan, &assessment),
                    "conflicted": assessment.ccg_conflicted,
                    "contradictions": contradictions,
                });
                sayln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
                return Ok(ExitCode::SUCCESS);
            }
            let held = statuses.iter().filter(|s| s.in_plan && s.interview.is_some()).count();
            let pending = ccg::pending(&plan, &assessment);
            sayln!(
                "{}: CCG interviews, {held} of the plan's {} CCGs interviewed",
                plan.cover.csu_name,
                ccg::plan_ccgs(&plan).len()
            );
            for s in &statuses {
                let population =
                    s.population.map(|p| format!(", population {}", csu_assess::plan::fmt_count(p as f64)));
                let added = if s.in_plan { "" } else { " (not in the plan's Customers sheet; added by the panel)" };
                match s.interview {
                    None if s.conflicted => sayln!(
                        "  {}{}: interviewed in two copies with different accounts: record it again to settle which stands",
                        s.ccg,
                        population.unwrap_or_default()
                    ),
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
                        // Each line of the notes indented, so none reads as
                        // a line of this listing.
                        for (n, line) in a.notes.trim().lines().enumerate() {
                            sayln!("    {}{line}", if n == 0 { "Notes: " } else { "  " });
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
                        || if pending.is_empty() {
                            "not known: the plan's populations or the interviews' answers do not give it".to_string()
                        } else {
                            format!("not known until every CCG is interviewed (still: {})", pending.join(", "))
                        },
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
