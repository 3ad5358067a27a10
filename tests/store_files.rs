//! Assessment files: saved atomically, loaded whole or not at all.

use crate::util::*;
use csu_assess::assessment::Assessment;
use csu_assess::plan::Plan;
use csu_assess::store;

fn sample() -> (Plan, Assessment) {
    let plan = example_plan("northern-star-full");
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", "2012-09-14T10:00:00Z");
    score(&mut a, &plan, "Ann", "CF1", 3, "Five signed SLAs; “confirmed” by Northdale – £2.5m", "2012-09-14T10:05:00Z")
        .expect("scored");
    (plan, a)
}

#[test]
fn an_assessment_round_trips_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    let (_, a) = sample();
    store::save(&path, &a).expect("saved");
    store::save(&path, &a).expect("saved over");
    assert_eq!(store::load(&path).expect("loaded"), a);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.csuassess"]);
    assert_eq!(a.framework().id, "cp3-full-plan", "the framework text travels with the file");
}

#[test]
fn newer_foreign_and_damaged_files_are_refused_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    store::save(&path, &sample().1).expect("saved");
    let text = std::fs::read_to_string(&path).expect("read");

    std::fs::write(&path, text.replace("\"format_version\": 5", "\"format_version\": 7")).expect("w");
    let err = store::load(&path).expect_err("newer").to_string();
    assert!(err.contains("written by a newer version of CSU Assess (format 7; this version reads up to 5)"), "{err}");

    std::fs::write(&path, r#"{"name": "something else"}"#).expect("w");
    assert!(store::load(&path).expect_err("foreign").to_string().ends_with("is not a CSU Assess assessment file"));

    std::fs::write(&path, &text[..text.len() / 2]).expect("w");
    let err = store::load(&path).expect_err("truncated").to_string();
    assert!(
        err.contains("a.csuassess:") && err.contains("the assessment file is damaged: the text stops in the middle"),
        "{err}"
    );
    assert!(!err.contains("EOF") && !err.contains("parsing"), "in words, not the parser's: {err}");
    for empty in [&b""[..], b"\n  \n"] {
        std::fs::write(&path, empty).expect("w");
        let err = store::load(&path).expect_err("empty").to_string();
        assert!(err.contains("the file is empty") && err.contains("holds no assessment"), "{err}");
    }

    let tampered = text.replace("Checkpoint 3: full business plan", "Checkpoint 3: easier plan");
    std::fs::write(&path, tampered).expect("w");
    let err = store::load(&path).expect_err("changed criteria").to_string();
    assert!(err.contains("are not the ones it was started with"), "{err}");
}

#[test]
fn files_of_earlier_formats_whose_record_cannot_be_checked_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.csuassess");
    for version in [1, 2] {
        let old = serde_json::json!({
            "format": "csu-assess assessment", "format_version": version, "id": "x", "created_at": "2012-09-14T10:00:00Z",
            "scores": [{"criterion": "CF1", "assessor": "Ann", "score": 4, "evidence": "", "recorded_at": "2012-09-14T10:00:00Z"}],
            "audit": []
        });
        std::fs::write(&path, serde_json::to_vec(&old).expect("bytes")).expect("w");
        let err = store::load(&path).expect_err("unverifiable").to_string();
        assert!(
            err.contains(&format!("early version of CSU Assess (format {version}) whose record cannot be checked")),
            "{err}"
        );
    }
}

#[test]
fn the_last_versions_are_kept_as_backups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    let (plan, mut a) = sample();
    for level in 0..5u8 {
        score(&mut a, &plan, "Ann", "CF2", level, "revised", &format!("2012-09-15T10:0{level}:00Z")).expect("scored");
        store::save(&path, &a).expect("saved");
    }
    let score_in = |p: &std::path::Path| {
        store::load(p).expect("loads").scores.iter().find(|s| s.criterion == "CF2").map(|s| s.score)
    };
    assert_eq!(score_in(&path), Some(4));
    for n in 1..=store::BACKUPS {
        assert_eq!(score_in(&store::backup_path(&path, n)), Some(4 - n as u8), "backup {n}");
    }
    assert!(!store::backup_path(&path, store::BACKUPS + 1).exists());
}

#[test]
fn a_lock_is_exclusive_released_on_drop_and_not_left_by_a_program_that_died() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    let first = store::Lock::acquire(&path, "10:00").expect("free");
    let held = store::Lock::acquire(&path, "10:01").expect_err("held");
    assert_eq!(held.pid, std::process::id());
    assert_eq!(held.since, "10:00", "the holder is named for the message");
    drop(first);
    assert!(!dir.path().join("a.csuassess.lock").exists(), "released locks leave no file behind");
    let again = store::Lock::acquire(&path, "10:02").expect("released");
    drop(again);
    // A lock file left by a program that died names a holder, but the
    // system released its lock with the program: it does not block.
    let stale = r#"{"user":"ann","host":"another-laptop","pid":4000000000,"since":"yesterday"}"#;
    std::fs::write(dir.path().join("a.csuassess.lock"), stale).expect("w");
    store::Lock::acquire(&path, "10:03").expect("a lock file nobody holds does not block");
}

/// Kills the program with SIGKILL at instants spread over its run, many
/// times; the file must load every time, holding the state before or after.
/// A kill that lands while the program holds the file's lock (it is saving)
/// leaves the lock file behind, which is how the test knows that some kills
/// really landed during a save.
#[test]
fn a_program_killed_while_saving_leaves_a_file_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess")).current_dir(d).args(args).output().expect("runs")
    };
    assert!(run(&["examples", "--out", "."]).status.success());
    assert!(run(&["assess", "new", "northern-star-full.xlsx", "-o", "a.csuassess", "--as", "Ann"]).status.success());
    let set = |i: u32| {
        let score = format!("CF1={}:evidence written in run {i}", i % 5);
        std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess"))
            .current_dir(d)
            .args(["assess", "set", "a.csuassess", "--as", "Ann", &score])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawned")
    };
    let mut whole: Vec<u128> = (0..3)
        .map(|i| {
            let started = std::time::Instant::now();
            assert!(set(100 + i).wait().expect("ran").success());
            started.elapsed().as_micros()
        })
        .collect();
    whole.sort_unstable();
    let typical = whole[1] as u64;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let (mut completed, mut during_save) = (0, 0);
    let lock = d.join("a.csuassess.lock");
    for i in 0..80u32 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // From halfway through a typical run to a little past its end,
        // where the save is.
        let delay = std::time::Duration::from_micros(typical / 2 + seed % (typical * 6 / 10).max(1));
        let before = store::load(&d.join("a.csuassess")).expect("loads").audit.len();
        let _ = std::fs::remove_file(&lock);
        let mut child = set(i);
        std::thread::sleep(delay);
        let _ = child.kill();
        if child.wait().is_ok_and(|s| s.success()) {
            completed += 1;
        }
        if lock.exists() {
            during_save += 1;
        }
        let after = store::load(&d.join("a.csuassess")).unwrap_or_else(|e| panic!("run {i}: {e}")).audit.len();
        assert!(after == before || after == before + 1, "run {i}: the file holds the state before or after");
    }
    eprintln!("of 80 runs: {completed} completed, {during_save} killed while saving");
    assert!(during_save > 0, "no kill landed during a save; the test proved nothing");
}
