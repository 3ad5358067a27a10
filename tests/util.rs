//! Helpers shared by the integration tests.

use csu_assess::assessment::Edit;
use csu_assess::examples::{self, PlanContent, Quirks};
use csu_assess::plan::{self, Finding, Plan, Severity};

/// Imports bytes as a plan, panicking with the refusal if refused.
pub fn import(bytes: &[u8]) -> Plan {
    match plan::import_bytes("test.xlsx", bytes) {
        Ok(p) => p,
        Err(e) => panic!("refused: {e}"),
    }
}

/// Writes content with quirks and imports it.
pub fn import_content(content: &PlanContent, quirks: &Quirks) -> Plan {
    import(&examples::write_plan(content, quirks).expect("workbook written"))
}

/// The strong example's content, the base most variations start from.
pub fn strong() -> PlanContent {
    examples::find("northern-star-full").expect("example exists").content()
}

pub fn metric(plan: &Plan, name: &str) -> f64 {
    plan.metrics.number(name).unwrap_or_else(|| panic!("metric {name} missing"))
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[track_caller]
pub fn assert_metric(plan: &Plan, name: &str, expected: f64) {
    let got = metric(plan, name);
    assert!(close(got, expected), "{name}: got {got}, expected {expected}");
}

/// The findings of a severity, as `sheet!cell: message` lines for messages.
pub fn findings(plan: &Plan, severity: Severity) -> Vec<&Finding> {
    plan.findings.iter().filter(|f| f.severity == severity).collect()
}

/// Finds the one finding at a location whose message contains `text`.
#[track_caller]
pub fn finding_at<'p>(plan: &'p Plan, location: &str, text: &str) -> &'p Finding {
    plan.findings
        .iter()
        .find(|f| f.location() == location && f.message.contains(text))
        .unwrap_or_else(|| panic!("no finding at {location} containing {text:?}; findings: {:#?}", plan.findings))
}

/// The path of a committed fixture.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Where a member's signing key is kept in a test: each member on their own
/// "computer", never the real user's data folder.
pub fn key_dir(dir: &std::path::Path, member: &str) -> std::path::PathBuf {
    dir.join(".keys").join(member.replace(|c: char| !c.is_alphanumeric(), "_"))
}

/// Runs the program with `args` in `dir`, on the computer of the member
/// named by `--as` (a computer of nobody's otherwise).
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let member = args
        .iter()
        .position(|a| ["--as", "--assessor"].contains(a))
        .and_then(|i| args.get(i + 1))
        .copied()
        .unwrap_or("nobody");
    run_on(dir, member, args)
}

/// The program as the BDU installs it on its computers: with the test
/// office's key (`key("BDU office")`) pinned beside it. A hard link of the
/// built program in the target folder, made once per test run.
pub fn bdu_program() -> &'static std::path::Path {
    static PROGRAM: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(|| {
        // One folder, emptied each run: a link left from an earlier build
        // would keep that build's program on the disk.
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bdu-program");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("program folder");
        let program = dir.join("csu-assess");
        let built = std::path::Path::new(env!("CARGO_BIN_EXE_csu-assess"));
        if std::fs::hard_link(built, &program).is_err() {
            std::fs::copy(built, &program).expect("the program installed");
        }
        let pin = dir.join(csu_assess::roster::OFFICE_KEY_FILE);
        std::fs::write(pin, format!("{}\n", office().public())).expect("office key pinned");
        std::fs::write(dir.join("letters.toml"), wording_text()).expect("the BDU's wording installed");
        program
    })
}

/// The BDU's letter wording as a BDU computer has it: the built-in wording
/// with the entries only the BDU can give filled in (whom to contact, the
/// review route, resubmission).
pub fn wording_text() -> String {
    csu_assess::letter::BUILTIN_WORDING.replacen(
        "[text]\n",
        "[text]\nreview = \"You may ask the Business Development Unit to review this decision within 20 working days of the date of this letter; a panel that took no part in the assessment decides, and its decision is final.\"\nresubmission = \"A CSU that is not authorised may resubmit at the next checkpoint.\"\n",
        1,
    ) + "\n[contact]\nname = \"Sam Carter\"\nrole = \"Assessment manager\"\ntelephone = \"0113 825 0000\"\nemail = \"bdu.assessment@nhs.net\"\n"
}

/// [`wording_text`], read.
pub fn wording() -> csu_assess::letter::Templates {
    csu_assess::letter::Templates::parse("the BDU's letters.toml", &wording_text()).expect("valid wording")
}

/// The test BDU office's key.
pub fn office() -> csu_assess::keys::Identity {
    key("BDU office")
}

/// A roster signed by the test office, enrolling each (name, key), every
/// one allowed to chair.
pub fn roster_of(people: &[(&str, String)]) -> csu_assess::roster::Roster {
    roster_signed_by(&office(), people)
}

/// A roster signed by `office`, enrolling each (name, key), every one
/// allowed to chair.
pub fn roster_signed_by(office: &csu_assess::keys::Identity, people: &[(&str, String)]) -> csu_assess::roster::Roster {
    csu_assess::roster::Roster::first(office, "2012-09-01T08:00:00Z")
        .edited(office, "2012-09-01T08:00:00Z", |body| {
            for (name, key) in people {
                body.assessors.push(chair_entry(name, key));
                // A chair's letters are signed: the test keys' holders
                // have their letter-signing keys certified.
                let holder = self::key(name);
                if holder.public() == *key {
                    let letter_key = holder.p256(csu_assess::keys::Purpose::LetterSigning);
                    body.certify(office, key, letter_key.verifying_key())?;
                }
            }
            Ok(())
        })
        .expect("signed")
}

/// Runs the program with `args` in `dir` on `member`'s computer (a BDU
/// computer: the office key is pinned there).
pub fn run_on(dir: &std::path::Path, member: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(bdu_program())
        .current_dir(dir)
        .env("CSU_ASSESS_KEY_DIR", key_dir(dir, member))
        .args(args)
        .output()
        .expect("runs")
}

/// A member's public key on their test computer, as `key show` prints it.
pub fn public_key(dir: &std::path::Path, member: &str) -> String {
    succeeded(run_on(dir, member, &["key", "show"])).trim().to_string()
}

/// A roster entry for `name`'s `key`, allowed to chair, not yet certified.
pub fn chair_entry(name: &str, key: &str) -> csu_assess::roster::Enrolled {
    csu_assess::roster::Enrolled {
        name: name.into(),
        key: key.into(),
        may_chair: true,
        office: false,
        retired: false,
        certificate: None,
    }
}

/// `roster` with the letter-signing key of each holder certified by
/// `office` (each must be enrolled in it).
pub fn certified(
    roster: csu_assess::roster::Roster,
    office: &csu_assess::keys::Identity,
    holders: &[&csu_assess::keys::Identity],
) -> csu_assess::roster::Roster {
    roster
        .edited(office, "2012-09-01T08:00:00Z", |body| {
            for holder in holders {
                let letter_key = holder.p256(csu_assess::keys::Purpose::LetterSigning);
                body.certify(office, &holder.public(), letter_key.verifying_key())?;
            }
            Ok(())
        })
        .expect("signed")
}

/// Writes `roster.json` in `dir`: the BDU's roster, signed by the test
/// office, enrolling the members named with the keys on their test computers.
pub fn known_keys(dir: &std::path::Path, members: &[&str]) {
    let people: Vec<(&str, String)> = members.iter().map(|m| (*m, public_key(dir, m))).collect();
    // Each may chair, so the office certifies the letter-signing key each
    // gives it (`key show --letter`).
    let roster = roster_of(&people)
        .edited(&office(), "2012-09-01T08:00:00Z", |body| {
            for (member, key) in &people {
                let text = succeeded(run_on(dir, member, &["key", "show", "--letter"]));
                let letter_key = csu_assess::certificates::parse_letter_key(&text, key).map_err(|e| e.to_string())?;
                body.certify(&office(), key, &letter_key)?;
            }
            Ok(())
        })
        .expect("signed");
    std::fs::write(dir.join("roster.json"), serde_json::to_vec_pretty(&roster).expect("json")).expect("roster written");
}

/// The output of a run that must have succeeded.
#[track_caller]
pub fn succeeded(out: std::process::Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8")
}

/// An assessment of `plan` against a built-in framework, started by `by`
/// (the panel's first member, with `role`).
pub fn start_as(plan: &Plan, builtin: &str, by: &str, role: &str, at: &str) -> csu_assess::assessment::Assessment {
    let b = csu_assess::criteria::builtin(builtin).expect("built-in framework");
    let f = b.framework().expect("valid");
    let start = csu_assess::assessment::Start {
        plan_path: "plan.xlsx",
        source: &format!("built-in {}", b.file_name),
        text: b.text,
        at,
        id: "test-assessment",
        by,
        role,
        key: &key(by),
    };
    csu_assess::assessment::Assessment::start(plan, &f, start).expect("started")
}

/// Applies an edit that must be recorded.
#[track_caller]
pub fn apply(a: &mut csu_assess::assessment::Assessment, plan: &Plan, who: &str, edit: Edit, at: &str) -> String {
    match a.apply(plan, who, &key(who), edit.clone(), at) {
        Ok(Some(hash)) => hash,
        Ok(None) => panic!("{edit:?} by {who} changed nothing"),
        Err(refusal) => panic!("{edit:?} by {who} refused: {refusal}"),
    }
}

/// A member's score for a criterion, as they would record it.
pub fn score(
    a: &mut csu_assess::assessment::Assessment,
    plan: &Plan,
    who: &str,
    criterion: &str,
    level: u8,
    evidence: &str,
    at: &str,
) -> Result<Option<String>, csu_assess::assessment::Refusal> {
    let edit = Edit::Score { criterion: criterion.into(), score: Some(level), evidence: evidence.into() };
    a.apply(plan, who, &key(who), edit, at)
}

/// A CCG's interview confirming what the plan says of it: its SLA, the
/// offer affordable, confident, staying, buying every scale service.
pub fn confirming(ccg: &str) -> csu_assess::ccg::Answers {
    csu_assess::ccg::Answers {
        ccg: ccg.into(),
        interviewee: format!("Chief Officer of {ccg}"),
        interviewee_role: "Chief Officer".into(),
        held_on: "2012-09-10".into(),
        how: "meeting".into(),
        sla: "signed".into(),
        share: "at_least_half".into(),
        affordable: "yes".into(),
        set_aside_pence: None,
        confidence: "very".into(),
        met_leader: true,
        after_april_2013: "stay".into(),
        services: csu_assess::plan::ServiceCategory::SCALE.iter().map(|c| csu_assess::ccg::service_code(*c)).collect(),
        notes: String::new(),
    }
}

/// Every CCG of the plan not yet interviewed, interviewed by `who` and
/// confirming the plan, where the framework waits for the CCGs' interviews.
#[track_caller]
pub fn interview_every(a: &mut csu_assess::assessment::Assessment, plan: &Plan, who: &str, at: &str) {
    if a.framework().ccg_interviews.is_none() {
        return;
    }
    let missing: Vec<String> = csu_assess::ccg::not_interviewed(plan, a).into_iter().map(String::from).collect();
    for ccg in missing {
        apply(a, plan, who, Edit::CcgInterview(Box::new(confirming(&ccg))), at);
    }
}

/// `interviews.json` in `dir`: every CCG of the assessment's plan,
/// confirming it, for `csu-assess ccg record --from`.
pub fn interviews_file(dir: &std::path::Path, record: &str) -> std::path::PathBuf {
    let path = dir.join(record);
    let plan = csu_assess::store::load(&path).expect("record").open_plan(&path).expect("plan");
    let all: Vec<csu_assess::ccg::Answers> = plan.customers.iter().map(|c| confirming(&c.ccg)).collect();
    let path = dir.join("interviews.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&all).expect("json")).expect("written");
    path
}

/// Interviews every CCG of the plan (confirming it), then scores every
/// criterion of the assessment's framework at `level`: a member's part of
/// a complete record.
#[track_caller]
pub fn score_every(a: &mut csu_assess::assessment::Assessment, plan: &Plan, who: &str, level: u8, at: &str) {
    interview_every(a, plan, who, at);
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        score(a, plan, who, &id, level, "seen in the plan and at interview", at).expect("scored");
    }
}

/// An example plan, imported.
pub fn example_plan(slug: &str) -> Plan {
    import(&examples::find(slug).expect("example").workbook().expect("written"))
}

/// A member's key in library-level tests, the same for a name every time.
/// Within one test (one thread) it is one key on one computer: it
/// remembers where it last signed, so two copies it worked on join without
/// a fork, as on a member's own laptop.
pub fn key(name: &str) -> csu_assess::keys::Identity {
    thread_local! {
        static KEYS: std::cell::RefCell<std::collections::HashMap<String, csu_assess::keys::Identity>> =
            Default::default();
    }
    KEYS.with(|keys| {
        keys.borrow_mut()
            .entry(name.to_string())
            .or_insert_with(|| {
                let digest = csu_assess::plan::fingerprint(name.as_bytes());
                let mut seed = [0u8; 32];
                for (i, b) in seed.iter_mut().enumerate() {
                    *b = u8::from_str_radix(&digest[2 * i..2 * i + 2], 16).expect("hex");
                }
                csu_assess::keys::Identity::from_seed(seed)
            })
            .clone()
    })
}

/// Puts `name`'s library-test key on their test computer, so the command
/// line signs as the library tests did.
pub fn install_key(dir: &std::path::Path, name: &str) {
    let folder = key_dir(dir, name);
    std::fs::create_dir_all(&folder).expect("key folder");
    let seed = &csu_assess::plan::fingerprint(name.as_bytes())[..64];
    std::fs::write(folder.join(csu_assess::keys::KEY_FILE), format!("{seed}\n")).expect("key written");
}

/// `roster.json` in `dir`, enrolling the library-test keys of `names`.
pub fn known_file(dir: &std::path::Path, names: &[&str]) {
    let people: Vec<(&str, String)> = names.iter().map(|n| (*n, key(n).public())).collect();
    std::fs::write(dir.join("roster.json"), serde_json::to_vec_pretty(&roster_of(&people)).expect("json"))
        .expect("roster written");
}

/// Adding `name` to the panel, with their key.
pub fn join(name: &str, role: &str) -> Edit {
    Edit::AddMember { name: name.into(), role: role.into(), key: Some(key(name).public()) }
}

/// The BDU's roster as pinned on a BDU computer: the members named,
/// with their library-test keys.
pub fn known(names: &[&str]) -> csu_assess::roster::Trust {
    let people: Vec<(&str, String)> = names.iter().map(|n| (*n, key(n).public())).collect();
    trust_in(roster_of(&people))
}

/// A roster as pinned on a BDU computer.
pub fn trust_in(roster: csu_assess::roster::Roster) -> csu_assess::roster::Trust {
    let office = csu_assess::roster::OfficeKey {
        key: office().public(),
        source: csu_assess::roster::OfficeSource::BesideProgram("tests".into()),
    };
    csu_assess::roster::Trust::with(office, roster)
}

/// The checkpoint 3 framework's criterion ids, in order.
pub fn cp3_ids() -> Vec<String> {
    let f = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3").framework().expect("valid");
    f.criteria().map(|(_, c)| c.id.clone()).collect()
}

/// The Midlands CSU at checkpoint 2, with one development action agreed.
pub fn checkpoint_two() -> csu_assess::assessment::Assessment {
    let plan = example_plan("midlands-shared-outline");
    let at = "2026-11-24T10:00:00Z";
    let mut a = start_as(&plan, "cp2-outline-plan", "Ann", "Assessor", at);
    score_every(&mut a, &plan, "Ann", 3, at);
    let action = csu_assess::assessment::Edit::AddAction {
        action: "Sign SLAs with every CCG".into(),
        owner: "Managing director".into(),
        due: chrono::NaiveDate::from_ymd_opt(2027, 6, 30).expect("date"),
        criterion: None,
    };
    apply(&mut a, &plan, "Ann", action, at);
    a
}

/// Whether a check may be skipped for want of a tool: on a developer's
/// machine yes, said so; under CI (`CI=true`, as CI runs `.ci/run`, which
/// installs every tool) never, so that a skipped check cannot pass as a
/// green run.
fn missing_tool(name: &str, ci: bool) {
    assert!(!ci, "{name} is not installed, and under CI (CI=true) no check is skipped: `.ci/run` installs it");
    eprintln!("{name} is not installed; skipped its check (`.ci/run` installs it)");
}

/// Whether the environment says this is CI.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs a tool the tests read results with (qpdf, pdftotext, Xvfb...):
/// its output, or None where it is not installed and the check may be
/// skipped (never under CI).
pub fn tool(name: &str, args: &[&str]) -> Option<std::process::Output> {
    tool_under(name, args, under_ci())
}

/// `tool`, with CI said rather than read from the environment.
pub fn tool_under(name: &str, args: &[&str], ci: bool) -> Option<std::process::Output> {
    match std::process::Command::new(name).args(args).output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            missing_tool(name, ci);
            None
        }
        Err(e) => panic!("{name} could not be run: {e}"),
    }
}

/// Whether a tool is on the PATH, under the same rule as `tool`.
pub fn installed(name: &str) -> bool {
    installed_under(name, under_ci())
}

/// `installed`, with CI said rather than read from the environment.
pub fn installed_under(name: &str, ci: bool) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        missing_tool(name, ci);
    }
    found
}

#[test]
fn a_missing_tool_skips_its_check_on_a_developers_machine_and_fails_under_ci() {
    let absent = "csu-assess-no-such-tool";
    assert!(tool_under(absent, &[], false).is_none(), "skipped where not CI");
    assert!(!installed_under(absent, false));
    for check in [
        Box::new(|| drop(tool_under(absent, &[], true))) as Box<dyn Fn() + std::panic::UnwindSafe>,
        Box::new(|| assert!(installed_under(absent, true))),
    ] {
        let failed = std::panic::catch_unwind(check).expect_err("under CI a missing tool fails");
        let message = failed.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains(absent) && message.contains("CI=true"), "{message}");
    }
    assert!(tool_under("sh", &["-c", "true"], true).is_some_and(|o| o.status.success()), "a present tool runs");
}
