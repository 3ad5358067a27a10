//! Record speed: reading (checking the whole trail and replaying it under
//! the panel's rules) and auditing an assessment, for a 10,000-entry trail
//! on the built-in framework and for a framework of 10,000 criteria each
//! scored once, every entry signed. Both should be linear in their size;
//! the aim is under a second each. Run with `cargo bench --bench record`.

use csu_assess::assessment::{Assessment, Edit, Start};
use csu_assess::{criteria, examples, plan, store};
use std::time::{Duration, Instant};

const ENTRIES: usize = 10_000;
const CRITERIA: usize = 10_000;
const RUNS: usize = 5;

/// A framework of `n` criteria in ten domains, as a criteria file.
fn big_framework(n: usize) -> String {
    let cp1 = criteria::builtin("cp1-prospectus").expect("cp1").text;
    let head = &cp1[..cp1.find("[[domains]]").expect("domains")];
    let mut text = head.replace("cp1-prospectus", "bench-10000");
    for d in 0..10 {
        text += &format!("[[domains]]\nid = \"d{d}\"\ntitle = \"Domain {d}\"\nweight = 10\n\n");
        for c in 0..n / 10 {
            text += &format!(
                "[[domains.criteria]]\nid = \"C{d}x{c}\"\ntitle = \"Criterion {c}\"\nweight = 1\nguidance = \"g\"\ndescriptors = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n\n"
            );
        }
    }
    text
}

/// The median time of `RUNS` runs of `f`.
fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn measure(name: &str, file: &std::path::Path, plan: &plan::Plan) {
    let bytes = std::fs::metadata(file).expect("saved").len();
    let load = median(|| {
        store::load(file).expect("loads and checks");
    });
    let a = store::load(file).expect("loads");
    let steps = median(|| {
        let mut outcomes = 0;
        a.each_step(|_, step| {
            if csu_assess::scoring::evaluate(plan, step.framework(), step).overall.is_some() {
                outcomes += 1;
            }
        });
        assert!(outcomes > 0);
    });
    println!(
        "{name}: {} entries, {:.1} MB; read and checked in {:.0} ms; every step's outcome (audit) in {:.0} ms",
        a.audit.len(),
        bytes as f64 / 1e6,
        load.as_secs_f64() * 1e3,
        steps.as_secs_f64() * 1e3
    );
}

/// Reading the trail and checking every entry against the BDU's roster,
/// as `audit --verify` and `verify` do; the roster revokes another key by
/// position, so the revocation's ancestry walk is paid too.
fn roster_check(file: &std::path::Path, key: &csu_assess::keys::Identity) {
    use csu_assess::roster::{Enrolled, OfficeKey, OfficeSource, Revocation, Roster, Trust, Trusted};
    let office = csu_assess::keys::Identity::from_seed([2; 32]);
    let a = store::load(file).expect("loads");
    let last = a.audit.last().expect("entry").hash.clone();
    let thief = csu_assess::keys::Identity::from_seed([3; 32]).public();
    let roster = Roster::first(&office, "2012-09-01T08:00:00Z")
        .edited(&office, "2012-09-01T08:00:00Z", |body| {
            body.assessors.push(Enrolled {
                name: "Ann".into(),
                key: key.public(),
                may_chair: true,
                office: false,
                retired: false,
                certificate: None,
            });
            body.assessors.push(Enrolled {
                name: "Ann".into(),
                key: thief.clone(),
                may_chair: true,
                office: false,
                retired: false,
                certificate: None,
            });
            body.revoked.push(Revocation {
                key: thief,
                reason: "stolen".into(),
                trusted: vec![Trusted { record: a.id.clone(), last }],
            });
            Ok(())
        })
        .expect("signed");
    let trust = Trust::with(OfficeKey { key: office.public(), source: OfficeSource::Named }, roster);
    let both = median(|| {
        let a = store::load(file).expect("loads and checks");
        assert!(trust.check(&a).is_empty());
    });
    println!("10,000-entry trail read, checked and checked against the roster in {:.0} ms", both.as_secs_f64() * 1e3);
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = csu_assess::keys::Identity::from_seed([1; 32]);
    let started = Instant::now();
    let example = examples::find("northern-star-full").expect("example");
    let plan = plan::import_bytes("plan.xlsx", &example.workbook().expect("written")).expect("imports");

    let b = criteria::builtin("cp3-full-plan").expect("cp3");
    let f = b.framework().expect("valid");
    let start = Start {
        plan_path: "plan.xlsx",
        source: b.file_name,
        text: b.text,
        at: "2012-09-01T09:00:00Z",
        id: "bench-trail",
        by: "Ann",
        role: "Chair",
        key: &key,
    };
    let mut a = Assessment::start(&plan, &f, start).expect("started");
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
    for k in 1..ENTRIES {
        let edit = Edit::Score {
            criterion: ids[k % ids.len()].clone(),
            score: Some((k % 5) as u8),
            evidence: format!("revision {k}: seen in the plan and at interview"),
        };
        a.apply(&plan, "Ann", &key, edit, &format!("2012-09-{:02}T10:00:00Z", 2 + k % 28)).expect("scored");
    }
    println!("recording (and signing) 10,000 entries: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
    let trail = dir.path().join("trail.csuassess");
    store::save(&trail, &a).expect("saved");
    measure("10,000-entry trail", &trail, &plan);
    roster_check(&trail, &key);

    let text = big_framework(CRITERIA);
    let big = criteria::parse("bench-10000.toml", &text).expect("valid framework");
    let start = Start {
        plan_path: "plan.xlsx",
        source: "bench-10000.toml",
        text: &text,
        at: "2012-09-01T09:00:00Z",
        id: "bench-criteria",
        by: "Ann",
        role: "Chair",
        key: &key,
    };
    let mut a = Assessment::start(&plan, &big, start).expect("started");
    let ids: Vec<String> = big.criteria().map(|(_, c)| c.id.clone()).collect();
    for (k, id) in ids.iter().enumerate() {
        let edit = Edit::Score { criterion: id.clone(), score: Some((k % 5) as u8), evidence: "e".into() };
        a.apply(&plan, "Ann", &key, edit, "2012-09-02T10:00:00Z").expect("scored");
    }
    let file = dir.path().join("criteria.csuassess");
    store::save(&file, &a).expect("saved");
    let bytes = std::fs::metadata(&file).expect("saved").len();
    let load = median(|| {
        store::load(&file).expect("loads and checks");
    });
    println!(
        "10,000-criterion framework, each scored once: {} entries, {:.1} MB; read and checked in {:.0} ms",
        a.audit.len(),
        bytes as f64 / 1e6,
        load.as_secs_f64() * 1e3
    );
}
