//! A national round: 35 CSUs at checkpoints 2 and 3, 70 plans each with its
//! assessment (a panel of three, every criterion scored and agreed), the
//! stress plan among them, opened, evaluated and summarised as the
//! portfolio does (`portfolio::open`, the assessors' figures, the declared
//! interests). Target: under 0.5 s on 2 cores. Run with
//! `cargo bench --bench portfolio`; the figures are printed, not asserted.

use csu_assess::assessment::{Assessment, Edit, Start};
use csu_assess::examples::{self, Quirks};
use csu_assess::keys::Identity;
use std::path::Path;
use std::time::{Duration, Instant};

const CSUS: usize = 35;
const RUNS: usize = 7;
const AT: &str = "2026-11-24T09:00:00Z";

fn key(name: &str) -> Identity {
    let mut seed = [7u8; 32];
    for (i, b) in name.bytes().enumerate() {
        seed[i % 32] ^= b;
    }
    Identity::from_seed(seed)
}

/// A plan's bytes and an assessment of it by a panel of three.
fn assess(dir: &Path, stem: &str, bytes: &[u8], framework: &str) {
    let plan = csu_assess::plan::import_bytes(&format!("{stem}.xlsx"), bytes).expect("imports");
    std::fs::write(dir.join(format!("{stem}.xlsx")), bytes).expect("plan written");
    let builtin = csu_assess::criteria::builtin(framework).expect("framework");
    let f = builtin.framework().expect("valid");
    let source = format!("built-in {}", builtin.file_name);
    let chair = key("Chair");
    let start = Start {
        plan_path: &format!("{stem}.xlsx"),
        source: &source,
        text: builtin.text,
        at: AT,
        id: stem,
        by: "Chair",
        role: "Chair",
        key: &chair,
    };
    let mut a = Assessment::start(&plan, &f, start).expect("started");
    let apply = |a: &mut Assessment, who: &str, edit: Edit| {
        a.apply(&plan, who, &key(who), edit, AT).expect("recorded");
    };
    for member in ["Member A", "Member B"] {
        apply(
            &mut a,
            "Chair",
            Edit::AddMember { name: member.into(), role: "Member".into(), key: Some(key(member).public()) },
        );
    }
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
    for (who, level) in [("Chair", 3), ("Member A", 3), ("Member B", 2)] {
        for id in &ids {
            apply(&mut a, who, Edit::Score { criterion: id.clone(), score: Some(level), evidence: "seen".into() });
        }
        apply(&mut a, who, Edit::FinishScoring);
    }
    for id in &ids {
        apply(&mut a, "Chair", Edit::Consensus { criterion: id.clone(), score: Some(3), rationale: "agreed".into() });
    }
    csu_assess::store::create(&dir.join(format!("{stem}.csuassess")), &a, None).expect("saved");
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outline = examples::find("midlands-shared-outline").expect("example").content();
    let full = examples::find("northern-star-full").expect("example").content();
    let regions = ["North of England", "Midlands and East", "London", "South of England"];
    let made = Instant::now();
    for i in 0..CSUS {
        let name = format!("CSU {i:02}");
        let mut cp2 = outline.clone();
        cp2.csu_name = name.clone();
        cp2.region = regions[i % regions.len()].into();
        let bytes = examples::write_plan(&cp2, &Quirks::default()).expect("written");
        assess(dir.path(), &format!("csu-{i:02}-cp2"), &bytes, "cp2-outline-plan");
        let bytes = if i == 0 {
            examples::stress_plan().expect("stress plan")
        } else {
            let mut cp3 = full.clone();
            cp3.csu_name = name;
            cp3.region = regions[i % regions.len()].into();
            examples::write_plan(&cp3, &Quirks::default()).expect("written")
        };
        assess(dir.path(), &format!("csu-{i:02}-cp3"), &bytes, "cp3-full-plan");
    }
    println!("round of {} plans with assessments made in {:.1} s", 2 * CSUS, made.elapsed().as_secs_f64());
    let mut times: Vec<Duration> = Vec::new();
    let mut summary = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let trust = csu_assess::roster::Trust::none();
        let as_of = csu_assess::scoring::AsOf { trust: &trust, date: chrono::Local::now().date_naive() };
        let p = csu_assess::portfolio::open(dir.path(), None, as_of).expect("read");
        let assessors = csu_assess::portfolio::consistency::assessors(&p);
        let declared = p.declarations();
        times.push(t.elapsed());
        summary = format!(
            "{} rows, {} unreadable, {} assessors, {} declarations",
            p.rows.len(),
            p.unreadable.len(),
            assessors.len(),
            declared.len()
        );
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{summary}");
    println!(
        "portfolio of {} plans: fastest {:.0} ms, median {:.0} ms on {} cores (target 500 ms)",
        2 * CSUS,
        ms(times[0]),
        ms(times[RUNS / 2]),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
