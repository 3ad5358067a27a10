//! `csu-assess portfolio DIR [--json] [--ccgs] [--xlsx OUT] [--csv OUT] [--scores-csv OUT]`:
//! every CSU of a folder side by side.

use csu_assess::keys::Identity;
use csu_assess::portfolio::{self, Column, Filter};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder of plans and assessments (and its subfolders, one level down).
    folder: PathBuf,
    #[arg(long)]
    json: bool,
    /// Write the portfolio, every score and the unreadable files as a workbook.
    #[arg(long, value_name = "OUT.xlsx")]
    xlsx: Option<PathBuf>,
    /// Write the portfolio's rows as CSV.
    #[arg(long, value_name = "OUT.csv")]
    csv: Option<PathBuf>,
    /// Write every member's score, with the consensus, as CSV.
    #[arg(long, value_name = "OUT.csv")]
    scores_csv: Option<PathBuf>,
    /// Sort by a column (its heading: csu, region, price-per-head, overall-score, outcome, stage...).
    #[arg(long, value_name = "COLUMN")]
    sort: Option<String>,
    /// Sort highest first.
    #[arg(long)]
    descending: bool,
    /// Only CSUs of a region (part of its name).
    #[arg(long)]
    region: Option<String>,
    /// Only CSUs with an outcome (part of it: pass, fail...).
    #[arg(long)]
    outcome: Option<String>,
    #[arg(long)]
    checkpoint: Option<u8>,
    /// Also show how each assessor's scores sit against the panels' consensus, raw and adjusted.
    #[arg(long)]
    assessors: bool,
    /// Also show the CCGs' answers across the folder beside the checkpoint 2 survey's national figures.
    #[arg(long)]
    ccgs: bool,
    /// The whole record of every assessment, as the BDU's office sees it;
    /// otherwise this computer's member sees what they may.
    #[arg(long)]
    office: bool,
    #[command(flatten)]
    as_of: super::AsOfArgs,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let mine = Identity::of_this_installation().map_err(|e| e.to_string())?.map(|k| k.public());
    let key = if args.office { None } else { mine.clone() };
    let trust = args.as_of.trust()?;
    let as_of = csu_assess::scoring::AsOf { trust: &trust, date: args.as_of.date()? };
    let p = portfolio::open(&args.folder, key.as_deref(), as_of).map_err(|e| e.to_string())?;
    if args.office {
        for a in &p.assessed {
            a.assessment.may_see_whole(mine.as_deref(), &trust).map_err(|r| format!("{}: {r}", a.file.display()))?;
        }
    }
    let sort = match &args.sort {
        None => None,
        Some(name) => Some((
            Column::named(name).ok_or_else(|| {
                let names: Vec<&str> = Column::ALL.iter().map(|c| c.heading()).collect();
                format!("there is no column `{name}` to sort by; the columns are {}", names.join(", "))
            })?,
            !args.descending,
        )),
    };
    let filter =
        Filter { region: args.region.clone(), outcome: args.outcome.clone(), checkpoint: args.checkpoint, text: None };
    let rows = p.view(&filter, sort);
    if let Some(out) = &args.xlsx {
        let bytes = portfolio::export::xlsx(&p).map_err(|e| format!("{}: could not be made ({e})", out.display()))?;
        super::write_file(out, &bytes)?;
    }
    if let Some(out) = &args.csv {
        super::write_file(out, portfolio::export::portfolio_csv(&p).as_bytes())?;
    }
    if let Some(out) = &args.scores_csv {
        super::write_file(out, portfolio::export::scores_csv(&p).as_bytes())?;
    }
    if args.json {
        let mut value = serde_json::json!({ "rows": rows, "interests": p.declarations(),
            "calibrations": p.calibrations, "unreadable": p.unreadable });
        if args.ccgs {
            value["ccg_answers"] = serde_json::json!(p.ccg_answers());
        }
        if args.assessors {
            value["assessors"] = serde_json::json!(portfolio::consistency::assessors(&p));
            value["method"] = serde_json::json!(portfolio::consistency::METHOD);
        }
        sayln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
    } else {
        print_table(&rows);
        let declarations = p.declarations();
        if !declarations.is_empty() {
            sayln!("\nDeclared interests (the member stands aside from that CSU)");
            for d in declarations {
                sayln!("  {} (checkpoint {}): {}: {}", d.csu, d.checkpoint, d.member, d.interest);
            }
        }
        if args.assessors {
            print_assessors(&p);
        }
        if args.ccgs {
            print_ccg_answers(&p);
        }
        if !p.calibrations.is_empty() {
            sayln!("\nCalibrated on the reference plan");
            for c in &p.calibrations {
                sayln!(
                    "  {}: {} of {} scored, {} as the BDU, {} within one level, {:+.2} on average",
                    c.member,
                    c.scored,
                    c.scored + c.unscored.len(),
                    c.same,
                    c.within_one,
                    c.mean_difference
                );
            }
        }
        for u in &p.unreadable {
            esayln!("not read: {}", u.reason);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(rows: &[&portfolio::Row]) {
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| Column::ALL.iter().map(|c| c.value(r).shown()).collect()).collect();
    let widths: Vec<usize> = Column::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| cells.iter().map(|r| r[i].chars().count()).chain([c.heading().len()]).max().unwrap_or(0))
        .collect();
    let line = |fields: Vec<String>| {
        let padded: Vec<String> = fields.iter().zip(&widths).map(|(f, w)| format!("{f:<w$}")).collect();
        sayln!("{}", padded.join("  ").trim_end());
    };
    line(Column::ALL.iter().map(|c| c.heading().to_string()).collect());
    for row in cells {
        line(row);
    }
}

fn print_ccg_answers(p: &portfolio::Portfolio) {
    let national = p.ccg_answers();
    sayln!("\nThe CCGs' answers ({} CCGs interviewed)            here    survey 2012", national.interviewed);
    let pc = |v: f64| format!("{:.0}%", v * 100.0);
    for a in &national.answers {
        sayln!(
            "  {:<42} {:<24} {:>4}  {:>5}  {:>6}",
            a.question,
            a.answer,
            a.ccgs,
            pc(a.share),
            a.survey.map_or_else(|| "-".to_string(), pc)
        );
    }
}

fn print_assessors(p: &portfolio::Portfolio) {
    let figures = portfolio::consistency::assessors(p);
    sayln!(
        "\nAssessors against the consensus    raw: mean difference, spread, agreement | adjusted: spread, agreement | standardised"
    );
    for f in &figures {
        sayln!(
            "  {:<20} {:>3} CSUs {:>4} scores   {:+.2} {:.2} {:>5.1}% | {:.2} {:>5.1}% | {}{}",
            f.assessor,
            f.csus,
            f.scores,
            f.raw.mean_difference,
            f.raw.spread,
            f.raw.agreement * 100.0,
            f.adjusted.spread,
            f.adjusted.agreement * 100.0,
            f.standardised_leniency.map_or_else(|| "-".to_string(), |z| format!("{z:+.2}")),
            f.tendency().map(|t| format!("  ({t})")).unwrap_or_default()
        );
    }
    sayln!("\n{}", portfolio::consistency::METHOD);
}
