//! The criteria, assess and score verbs as a user runs them, end to end:
//! start an assessment, score it, agree a consensus, read the evaluation.

use crate::util::{run_in as run, succeeded as ok};
use std::path::Path;
use std::process::Output;

fn json(out: Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON")
}

#[test]
fn an_assessment_from_start_to_score() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    let said = ok(run(d, &["assess", "new", "capital-commissioning-full.xlsx", "-o", "capital.csuassess"]));
    assert!(said.contains("against Checkpoint 3: full business plan (21 criteria)"), "{said}");

    let scores = ["CF1=1:One signed SLA", "CF2=3:Price looks fair", "CF3=2", "CF4=2:Some engagement"];
    let mut args = vec!["assess", "set", "capital.csuassess", "--assessor", "Jane Holt"];
    args.extend(scores);
    ok(run(d, &args));
    ok(run(d, &["assess", "set", "capital.csuassess", "--assessor", "Raj Patel", "CF1=2:Shadow SLA with Southwark"]));
    ok(run(
        d,
        &[
            "assess",
            "consensus",
            "capital.csuassess",
            "CF1=1",
            "--rationale",
            "Only Thameside has signed",
            "--by",
            "Chair",
        ],
    ));
    ok(run(
        d,
        &[
            "assess",
            "action",
            "capital.csuassess",
            "--action",
            "Appoint a managing director",
            "--owner",
            "Cluster chief executive",
            "--due",
            "31/12/2012",
            "--criterion",
            "LG1",
        ],
    ));

    let shown = json(run(d, &["assess", "show", "capital.csuassess", "--json"]));
    assert_eq!(shown["assessors"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["consensus"][0]["rationale"], "Only Thameside has signed");
    assert_eq!(shown["actions"][0]["due"], "2012-12-31");

    let e = json(run(d, &["score", "capital.csuassess", "--json"]));
    assert_eq!(e["outcome"]["id"], "not-authorised");
    assert_eq!(e["outcome"]["provisional"], true);
    assert!(e["gateways_failed"].as_array().expect("list").iter().any(|g| g == "CF1"));
    let cf2 = e["criteria"].as_array().expect("criteria").iter().find(|c| c["id"] == "CF2").expect("CF2").clone();
    assert_eq!(
        (cf2["assessed"].as_f64(), cf2["score"].as_f64(), cf2["capped_at"].as_u64()),
        (Some(3.0), Some(1.0), Some(1))
    );
    let check = e["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["metric"] == "affordability_ratio")
        .expect("check")
        .clone();
    assert_eq!(check["passed"], false);
    assert!(check["value"].as_f64().is_some_and(|v| (v - 1.2014).abs() < 1e-3));
    assert!(check["explanation"].as_str().expect("text").starts_with("price per head £12.91 is 1.20 times"));
    assert!(
        e["missing"][0].as_str().expect("text").starts_with("17 of 21 criteria are not scored"),
        "{}",
        e["missing"]
    );
    assert!(
        e["missing"].as_array().expect("list").iter().any(|m| m == "scores without evidence: CF3"),
        "{}",
        e["missing"]
    );
    assert_eq!(e["domains"][0]["id"], "customer");

    let trail = ok(run(d, &["audit", "capital.csuassess", "--verify"]));
    assert!(trail.contains("consensus CF1: unscored -> 1 (rationale: Only Thameside has signed)"), "{trail}");
    assert!(trail.contains("        outcome: Not authorised"), "the outcome is shown where it changed:\n{trail}");
    assert!(trail.contains("is intact and agrees with the assessment"), "{trail}");

    let text = ok(run(d, &["score", "capital.csuassess"]));
    assert!(text.starts_with("Outcome: Not authorised (provisional)\n"), "{text}");
    assert!(
        text.contains("CONCERN  CF2   price per head £12.91 is 1.20 times what the CCGs have budgeted (£10.75)"),
        "{text}"
    );
}

#[test]
fn mistakes_are_refused_with_the_file_named_and_nothing_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    ok(run(d, &["assess", "new", "northern-star-full.xlsx", "-o", "ns.csuassess"]));
    let before = std::fs::read(d.join("ns.csuassess")).expect("saved");
    let out = run(d, &["assess", "set", "ns.csuassess", "--assessor", "Ann", "CF1=3:fine", "CF9=2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ns.csuassess: there is no criterion `CF9`"), "{err}");
    assert_eq!(std::fs::read(d.join("ns.csuassess")).expect("still there"), before, "no half-applied change");
    let out = run(d, &["assess", "set", "ns.csuassess", "--assessor", "Ann", "CF1=high"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("the score `high` is not a whole number"));

    std::fs::write(d.join("northern-star-full.xlsx"), b"changed").expect("tampered");
    let out = run(d, &["score", "ns.csuassess"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this is not the plan that was assessed"));
}

#[test]
fn criteria_verbs_check_and_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("criteria");
    let files: Vec<String> = ["cp1-prospectus.toml", "cp2-outline-plan.toml", "cp3-full-plan.toml"]
        .iter()
        .map(|f| root.join(f).display().to_string())
        .collect();
    let mut args = vec!["criteria", "check"];
    args.extend(files.iter().map(String::as_str));
    let said = ok(run(d, &args));
    assert_eq!(said.lines().count(), 3, "{said}");

    std::fs::write(
        d.join("bad.toml"),
        std::fs::read_to_string(&files[2]).expect("read").replacen("weight = 20", "weight = 21", 1),
    )
    .expect("w");
    let out = run(d, &["criteria", "check", &files[0], "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("bad.toml:"), "{}", String::from_utf8_lossy(&out.stderr));

    let f = json(run(d, &["criteria", "show", &files[2], "--json"]));
    assert_eq!(f["id"], "cp3-full-plan");
    assert_eq!(f["checkpoint"], 3);
    assert_eq!(f["plan_type"], "Full");
    assert_eq!((f["scale"]["min"].as_u64(), f["scale"]["max"].as_u64()), (Some(0), Some(4)));
    assert_eq!(f["domains"][0]["criteria"][0]["gateway"], 2);
    assert_eq!(f["outcomes"][0]["label"], "Authorised");
    assert_eq!(f["outcomes"].as_array().map(Vec::len), Some(4));

    ok(run(d, &["examples", "--out", "."]));
    ok(run(d, &["assess", "new", "midlands-shared-outline.xlsx", "-o", "m.csuassess"]));
    let f = json(run(d, &["criteria", "show", "--for", "m.csuassess", "--json"]));
    assert_eq!(f["id"], "cp2-outline-plan", "the outline plan's framework was chosen from its type and checkpoint");
    assert_eq!(f["outcomes"][3]["label"], "Fail and do not progress");
}
