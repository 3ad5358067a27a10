//! `csu-assess score FILE.csuassess [--json]`: the evaluation, explained.

use csu_assess::ccg;
use csu_assess::criteria::Effect;
use csu_assess::scoring::{self, Evaluation};
use csu_assess::store;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    file: PathBuf,
    #[arg(long)]
    json: bool,
    /// Show only what this member may see: while they are still scoring,
    /// their own scores and no outcome.
    #[arg(long = "as", value_name = "NAME")]
    member: Option<String>,
    #[command(flatten)]
    as_of: super::AsOfArgs,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let assessment = store::load(&args.file).map_err(|e| e.to_string())?;
    let trust = args.as_of.trust()?;
    let view = super::assess::view_as(&assessment, args.member.as_deref(), &trust)?;
    let plan = assessment.open_plan(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let as_of = scoring::AsOf { trust: &trust, date: args.as_of.date()? };
    let evaluation = scoring::evaluate_as_of(&plan, assessment.framework(), &view.assessment, as_of);
    if !view.sees_panel {
        let scored = view.assessment.scores.len();
        let total = assessment.framework().criterion_count();
        if args.json {
            let value = json!({ "member": view.member, "sees_panel": false, "scored": scored, "criteria": total,
                "own_scores": view.assessment.scores });
            sayln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
        } else if view.member.is_empty() {
            sayln!(
                "This computer holds no panel member's key, and members are still scoring: the panel's scores and outcome are shown on a member's computer once they have finished, or on the BDU office's."
            );
        } else {
            sayln!(
                "{} has scored {scored} of {total} criteria. The panel's scores and outcome are hidden from {} until they finish scoring.",
                view.member,
                view.member
            );
            for s in &view.assessment.scores {
                sayln!("  {:<5} {}  {}", s.criterion, s.score, s.evidence);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let interviews = &view.assessment.ccg_interviews;
    let heard = (assessment.framework().ccg_interviews.is_some() || !interviews.is_empty()).then(|| {
        let claims: Vec<String> = ccg::contradictions::find(&plan, &view.assessment)
            .into_iter()
            .filter(|c| c.is_claim())
            .map(|c| format!("{}; {}", c.finding, c.interview))
            .collect();
        (ccg::not_interviewed(&plan, &view.assessment), ccg::figures::sentences(&plan, &view.assessment), claims)
    });
    // The leaders' interview as far as every member sees it: the agreed
    // account of each question (members' notes are never stated here).
    let leaders = &view.assessment.leaders;
    let accounts: Vec<(String, String, String)> = leaders
        .script
        .iter()
        .filter_map(|q| leaders.account(&q.id).map(|a| (q.id.clone(), q.text.clone(), a.text.clone())))
        .collect();
    if args.json {
        let mut value = to_json(&evaluation);
        if let Some((missing, figures, claims)) = &heard {
            value["ccgs"] = json!({ "interviewed": interviews.len(), "not_interviewed": missing,
                "figures": figures, "contradicted": claims });
        }
        value["leaders_interview"] = json!({ "schedule": leaders.schedule, "accounts": accounts.iter()
            .map(|(id, q, a)| json!({ "question": id, "text": q, "account": a })).collect::<Vec<_>>() });
        sayln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
    } else {
        say!("{}", summary(assessment.framework(), &evaluation));
        if let Some((missing, figures, claims)) = &heard {
            sayln!("\nWhat the CCGs said ({} interviewed)", interviews.len());
            if !missing.is_empty() {
                sayln!("  not yet interviewed: {}", missing.join(", "));
            }
            for line in figures.iter().chain(claims) {
                sayln!("  - {line}");
            }
        }
        if let Some(s) = &leaders.schedule {
            sayln!(
                "\nThe leaders' interview ({} at {}): {} of {} questions have an agreed account",
                s.at,
                s.place,
                accounts.len(),
                leaders.script.len()
            );
            for (id, question, account) in &accounts {
                sayln!("  [{id}] {question}");
                for line in account.lines() {
                    sayln!("      {line}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(e: &Evaluation) -> serde_json::Value {
    json!({
        "outcome": { "id": e.outcome.id, "label": e.outcome.label, "provisional": e.outcome.provisional, "decided": e.decided },
        "headline": e.headline(),
        "overall": e.overall,
        "domains": e.domains.iter().map(|d| json!({ "id": d.id, "title": d.title, "score": d.score, "scored": d.scored, "criteria": d.criteria })).collect::<Vec<_>>(),
        "criteria": e.criteria.iter().map(|c| json!({ "id": c.id, "state": c.state, "assessed": c.assessed, "score": c.score, "capped_at": c.capped_at, "gateway": c.gateway, "gateway_met": c.gateway_met })).collect::<Vec<_>>(),
        "gateways_failed": e.gateways_failed,
        "checks": e.checks.iter().map(|c| json!({ "criterion": c.criterion, "metric": c.metric, "value": c.value, "passed": c.passed, "effect": c.effect, "explanation": c.explanation })).collect::<Vec<_>>(),
        "missing": e.missing,
        "sensitivity": e.sensitivity,
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), csu_assess::scoring::percent)
}

fn summary(framework: &csu_assess::criteria::Framework, e: &Evaluation) -> String {
    let mut out = format!("Outcome: {}\nOverall: {}\n\nDomains\n", e.headline(), pct(e.overall));
    for d in &e.domains {
        out += &format!("  {:<30} {:>7}   {} of {} scored\n", d.title, pct(d.score), d.scored, d.criteria);
    }
    if !e.gateways_failed.is_empty() {
        out += &format!("\nGateways failed: {}\n", e.gateways_failed.join(", "));
    }
    out += "\nAutomatic checks\n";
    for c in &e.checks {
        let mark = match (c.effect, c.holds) {
            (Effect::Concern, Some(true)) => "CONCERN ",
            (Effect::Concern, Some(false)) => "ok      ",
            (Effect::Strength, Some(true)) => "STRENGTH",
            (Effect::Strength, Some(false)) => "-       ",
            (_, None) => "n/a     ",
        };
        out += &format!("  {mark} {:<5} {}\n", c.criterion, c.explanation);
    }
    if !e.missing.is_empty() {
        out += "\nBefore a decision can be issued\n";
        for m in &e.missing {
            out += &format!("  - {m}\n");
        }
    }
    if !e.sensitivity.is_empty() {
        out += "\nSensitivity\n";
        for line in scoring::sensitivity::in_words(framework, &e.sensitivity) {
            out += &format!("  - {line}\n");
        }
    }
    out
}
