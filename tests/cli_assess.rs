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
    let said = ok(run(
        d,
        &["assess", "new", "capital-commissioning-full.xlsx", "-o", "capital.csuassess", "--as", "Jane Holt"],
    ));
    assert!(
        said.contains("against Checkpoint 3: full business plan (21 criteria), Jane Holt as Lead assessor"),
        "{said}"
    );

    let scores = ["CF1=1:One signed SLA", "CF2=3:Price looks fair", "CF3=2", "CF4=2:Some engagement"];
    let mut args = vec!["assess", "set", "capital.csuassess", "--as", "Jane Holt"];
    args.extend(scores);
    ok(run(d, &args));
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
            "--as",
            "Jane Holt",
        ],
    ));

    let shown = json(run(d, &["assess", "show", "capital.csuassess", "--json"]));
    assert_eq!(shown["assessment"]["assessors"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["assessment"]["scores"].as_array().map(Vec::len), Some(4));
    assert_eq!(shown["assessment"]["actions"][0]["due"], "2012-12-31");

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

    let trail = ok(run(d, &["audit", "capital.csuassess"]));
    assert!(trail.contains("score CF1 by Jane Holt: unscored -> 1 (evidence: One signed SLA)"), "{trail}");
    assert!(
        trail.contains("        outcome: not scored -> Not authorised"),
        "the outcome is shown where it changed:\n{trail}"
    );
    assert!(trail.contains("(no roster here to say whose it is)"), "{trail}");

    let text = ok(run(d, &["score", "capital.csuassess"]));
    assert!(
        text.starts_with(
            "Outcome: Not authorised (already decided with 17 criteria unscored: a gateway is failed or out of reach"
        ),
        "a failed gateway decides before everything is scored: {text}"
    );
    assert!(
        text.contains("CONCERN  CF2   price per head £12.91 is 1.20 times the £10.75 a head the CCGs have budgeted"),
        "{text}"
    );
}

#[test]
fn mistakes_are_refused_with_the_file_named_and_nothing_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    ok(run(d, &["assess", "new", "northern-star-full.xlsx", "-o", "ns.csuassess", "--as", "Ann"]));
    let before = std::fs::read(d.join("ns.csuassess")).expect("saved");
    let out = run(d, &["assess", "set", "ns.csuassess", "--as", "Ann", "CF1=3:fine", "CF9=2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ns.csuassess: nothing was recorded: there is no criterion `CF9`"), "{err}");
    assert_eq!(std::fs::read(d.join("ns.csuassess")).expect("still there"), before, "no half-applied change");
    let out = run(d, &["assess", "set", "ns.csuassess", "--as", "Ann", "CF1=high"]);
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
    ok(run(d, &["assess", "new", "midlands-shared-outline.xlsx", "-o", "m.csuassess", "--as", "Ann"]));
    let out = run(d, &["assess", "new", "midlands-shared-outline.xlsx", "-o", "m.csuassess", "--as", "Ann"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("m.csuassess: there is already a file there"));
    let f = json(run(d, &["criteria", "show", "--for", "m.csuassess", "--json"]));
    assert_eq!(f["id"], "cp2-outline-plan", "the outline plan's framework was chosen from its type and checkpoint");
    assert_eq!(f["outcomes"][3]["label"], "Fail and do not progress");
}

/// A panel on the command line: members, blind scoring with `--as`,
/// finishing, consensus and the chair's sign-off, each rule refused in
/// words when broken.
#[test]
fn a_panel_on_the_command_line_keeps_the_panels_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    ok(run(d, &["assess", "new", "northern-star-full.xlsx", "-o", "p.csuassess", "--as", "Ann", "--role", "Chair"]));
    let out = run(d, &["assess", "member", "p.csuassess", "Raj", "--role", "Finance lead", "--as", "Ann"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Raj joins the panel with their public key"));
    let raj = crate::util::public_key(d, "Raj");
    ok(run(d, &["assess", "member", "p.csuassess", "Raj", "--role", "Finance lead", "--key", &raj, "--as", "Ann"]));
    let refused = |args: &[&str], expected: &str| {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    };
    let mallory = crate::util::public_key(d, "Mallory");
    refused(
        &["assess", "member", "p.csuassess", "Mallory", "--key", &mallory, "--as", "Raj"],
        "only the panel's chair can add members",
    );
    let out = crate::util::run_on(d, "Raj", &["assess", "set", "p.csuassess", "--as", "Ann", "CF1=0"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("this computer's key is not the one recorded for Ann"),
        "Raj cannot score as Ann"
    );
    refused(&["assess", "set", "p.csuassess", "--as", "Raj Patel", "CF1=2"], "Raj Patel is not a member of this panel");
    let ids = crate::util::cp3_ids();
    let all = |level: u8| ids.iter().map(|id| format!("{id}={level}:seen at interview")).collect::<Vec<_>>();
    let mut args: Vec<String> = ["assess", "set", "p.csuassess", "--as", "Ann"].map(String::from).to_vec();
    args.extend(all(4));
    ok(run(d, &args.iter().map(String::as_str).collect::<Vec<_>>()));
    ok(run(d, &["assess", "set", "p.csuassess", "--as", "Raj", "CF1=2:shadow SLAs only"]));
    refused(
        &["assess", "done", "p.csuassess", "--as", "Raj"],
        "Raj cannot finish scoring yet: these criteria are not scored by Raj: CF2,",
    );
    refused(
        &["assess", "sign-off", "p.csuassess", "--as", "Raj"],
        "only the panel's chair can sign off the result; the chair is Ann",
    );

    let raj = ok(run(d, &["score", "p.csuassess", "--as", "Raj"]));
    assert!(
        raj.starts_with("Raj has scored 1 of 21 criteria. The panel's scores and outcome are hidden from Raj"),
        "{raj}"
    );
    assert!(!raj.contains("Outcome") && !raj.contains("seen at interview"), "{raj}");
    let shown = json(run(d, &["assess", "show", "p.csuassess", "--json", "--as", "Raj"]));
    assert_eq!(shown["sees_panel"], false);
    assert_eq!(shown["assessment"]["scores"].as_array().map(Vec::len), Some(1), "only Raj's own score");
    assert_eq!(shown["progress"][0]["scored"], 21, "Ann's progress, never her scores");
    refused(&["letter", "p.csuassess", "-o", "raj.pdf", "--draft", "--as", "Raj"], "Raj has not finished scoring");
    refused(&["score", "p.csuassess", "--as", "Mallory"], "Mallory is not a member of this panel");

    ok(run(d, &["assess", "done", "p.csuassess", "--as", "Ann"]));
    refused(&["assess", "consensus", "p.csuassess", "CF1=3", "--rationale", "x", "--as", "Ann"], "still scoring: Raj");
    let mut args: Vec<String> = ["assess", "set", "p.csuassess", "--as", "Raj"].map(String::from).to_vec();
    args.extend(all(3).into_iter().skip(1));
    ok(run(d, &args.iter().map(String::as_str).collect::<Vec<_>>()));
    ok(run(d, &["assess", "done", "p.csuassess", "--as", "Raj"]));
    refused(&["assess", "set", "p.csuassess", "--as", "Raj", "CF1=4"], "Raj has finished scoring");
    let interviews = crate::util::interviews_file(d, "p.csuassess");
    ok(run(d, &["ccg", "record", "p.csuassess", "--from", &interviews.to_string_lossy(), "--as", "Raj"]));
    refused(&["assess", "sign-off", "p.csuassess", "--as", "Ann"], "the panel has not agreed a consensus for CF1");
    refused(&["assess", "consensus", "p.csuassess", "CF1=3", "--rationale", "x", "--as", "Ann"], "2 levels apart");
    ok(run(d, &["assess", "discuss", "p.csuassess", "CF1", "--note", "Raj weighed the unsigned SLAs", "--as", "Ann"]));
    for id in &ids {
        ok(run(d, &["assess", "consensus", "p.csuassess", &format!("{id}=3"), "--rationale", "agreed", "--as", "Ann"]));
    }
    ok(run(d, &["assess", "sign-off", "p.csuassess", "--as", "Ann"]));
    refused(&["assess", "consensus", "p.csuassess", "CF1=2", "--rationale", "y", "--as", "Ann"], "signed off by Ann");
    crate::util::known_keys(d, &["Ann", "Raj"]);
    refused(
        &["letter", "p.csuassess", "-o", "early.pdf", "--roster", "roster.json", "--as", "Ann", "--date", "2012-09-14"],
        "would come before the chair's sign-off of",
    );
    assert!(!d.join("early.pdf").exists(), "a letter dated before its sign-off is not written");
    ok(run(d, &["letter", "p.csuassess", "-o", "p.pdf", "--roster", "roster.json", "--as", "Ann"]));
    // One letter for one decision: again, the same result gives no second one.
    refused(
        &["letter", "p.csuassess", "-o", "p-again.pdf", "--roster", "roster.json", "--as", "Ann"],
        "was issued for this signed-off result",
    );
    assert!(!d.join("p-again.pdf").exists(), "no second letter written");
    let raj = ok(run(d, &["score", "p.csuassess", "--as", "Raj", "--roster", "roster.json"]));
    assert!(raj.starts_with("Outcome: Authorised\n"), "once finished, Raj sees the result: {raj}");
    refused(&["assess", "reopen", "p.csuassess", "--reason", "", "--as", "Ann"], "needs a reason");
    ok(run(d, &["assess", "reopen", "p.csuassess", "--reason", "the MD resigned", "--as", "Ann"]));
    refused(
        &["letter", "p.csuassess", "-o", "p2.pdf", "--roster", "roster.json", "--as", "Ann"],
        "the panel's chair has not signed off the result",
    );
}

/// Ann (chair) and Raj on a panel, both scored, only Ann finished; the
/// plan and the record saved in `d`, each member's key on their own
/// computer.
fn panel_half_finished(d: &Path) -> std::path::PathBuf {
    use crate::util::{apply, example_plan, install_key, join, score_every, start_as};
    let plan = example_plan("northern-star-full");
    std::fs::write(
        d.join("plan.xlsx"),
        csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w"),
    )
    .expect("plan written");
    let at = "2026-12-01T10:00:00Z";
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", at);
    apply(&mut a, &plan, "Ann", join("Raj", "Member"), at);
    score_every(&mut a, &plan, "Ann", 4, at);
    score_every(&mut a, &plan, "Raj", 2, at);
    apply(&mut a, &plan, "Ann", csu_assess::assessment::Edit::FinishScoring, at);
    let file = d.join("plan.csuassess");
    csu_assess::store::create(&file, &a, None).expect("saved");
    install_key(d, "Ann");
    install_key(d, "Raj");
    file
}

/// Every file below `d`, with its size, to see that nothing was written.
fn files(d: &Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut all = Vec::new();
    let mut folders = vec![d.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let size = std::fs::metadata(&path).expect("metadata").len();
                all.push((path, size));
            }
        }
    }
    all.sort();
    all
}

/// Reading never writes: on a reader's computer that has never made a key,
/// audit, verify, score, assess show and portfolio make no key and no file.
#[test]
fn reading_verbs_make_no_key_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    panel_half_finished(d);
    std::fs::write(d.join("not-a-letter.pdf"), b"%PDF-1.4 nothing").expect("written");
    let before = files(d);
    for args in [
        &["audit", "plan.csuassess", "--verify"][..],
        &["verify", "not-a-letter.pdf", "plan.csuassess"],
        &["score", "plan.csuassess", "--json"],
        &["assess", "show", "plan.csuassess"],
        &["portfolio", "."],
    ] {
        let out = crate::util::run_on(d, "a lawyer", args);
        assert!(out.status.code().is_some(), "{args:?} ran");
        assert!(!crate::util::key_dir(d, "a lawyer").exists(), "{args:?} made a key on a reader's computer");
        assert_eq!(files(d), before, "{args:?} wrote a file");
    }
}

/// Blindness follows the key: on Raj's computer (still scoring) neither
/// `--as Ann` nor the office's whole record shows Ann's scores; a computer
/// holding no member's key cannot show a member's view either.
#[test]
fn a_member_still_scoring_cannot_read_the_others_by_naming_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    panel_half_finished(d);
    let refused = |member: &str, args: &[&str], says: &str| {
        let out = crate::util::run_on(d, member, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{member}: {args:?} was not refused: {}", String::from_utf8_lossy(&out.stdout));
        assert!(err.contains(says), "{member}: {args:?}: {err}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("\"score\": 4"), "Ann's scores leaked");
    };
    let not_yours = "this computer holds Raj's key, so it shows this record as Raj sees it, never as Ann does";
    refused("Raj", &["assess", "show", "plan.csuassess", "--as", "Ann", "--json"], not_yours);
    refused("Raj", &["score", "plan.csuassess", "--as", "Ann", "--json"], not_yours);
    refused("Raj", &["portfolio", ".", "--office"], "Raj has not finished scoring, so the whole record");
    refused("a lawyer", &["assess", "show", "plan.csuassess", "--as", "Raj"], "holds no key of this panel's");
    // Each member's own view is there on their own computer, and Ann's
    // (finished) includes Raj's scores.
    let raj = ok(crate::util::run_on(d, "Raj", &["assess", "show", "plan.csuassess", "--as", "Raj", "--json"]));
    assert!(raj.contains("\"sees_panel\": false"), "{raj}");
    let ann = ok(crate::util::run_on(d, "Ann", &["score", "plan.csuassess", "--as", "Ann"]));
    assert!(ann.starts_with("Outcome:"), "{ann}");
    // The whole record while Raj scores is the office's: not Ann's, though
    // she has finished, and not a computer of nobody's the file was copied to.
    refused("Ann", &["portfolio", ".", "--office"], "is shown only to the BDU office");
    let copied = ok(crate::util::run_on(d, "a lawyer", &["assess", "show", "plan.csuassess", "--json"]));
    assert!(!copied.contains("\"score\": 4") && copied.contains("\"sees_panel\": false"), "{copied}");
    let ann_key = crate::util::public_key(d, "Ann");
    let roster = crate::util::roster_of(&[("Ann", ann_key)])
        .edited(&crate::util::office(), "2012-09-02T08:00:00Z", |body| {
            body.assessors[0].office = true;
            Ok(())
        })
        .expect("signed");
    std::fs::write(d.join("roster.json"), serde_json::to_vec(&roster).expect("json")).expect("roster");
    ok(crate::util::run_on(d, "Ann", &["portfolio", ".", "--office", "--roster", "roster.json"]));
}
