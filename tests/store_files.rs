//! Assessment files: saved atomically, loaded whole or not at all.

use crate::util::*;
use csu_assess::assessment::Assessment;
use csu_assess::store;

fn sample() -> Assessment {
    let plan = import(&csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w"));
    let b = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3");
    let f = b.framework().expect("valid");
    let mut a = Assessment::new(&plan, "plan.xlsx", &f, "built-in", b.text, "2012-09-14T10:00:00Z", "abc");
    a.set_score(&f, "CF1", "Ann", 3, "Five signed SLAs; “confirmed” by Northdale – £2.5m", "2012-09-14T10:05:00Z")
        .expect("scored");
    a
}

#[test]
fn an_assessment_round_trips_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    let a = sample();
    store::save(&path, &a).expect("saved");
    store::save(&path, &a).expect("saved over");
    assert_eq!(store::load(&path).expect("loaded"), a);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.csuassess"]);
    assert_eq!(a.framework().expect("the framework text travels with the file").id, "cp3-full-plan");
}

#[test]
fn newer_foreign_and_damaged_files_are_refused_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    store::save(&path, &sample()).expect("saved");
    let text = std::fs::read_to_string(&path).expect("read");

    std::fs::write(&path, text.replace("\"format_version\": 2", "\"format_version\": 7")).expect("w");
    let err = store::load(&path).expect_err("newer").to_string();
    assert!(err.contains("written by a newer version of CSU Assess (format 7; this version reads up to 2)"), "{err}");

    std::fs::write(&path, r#"{"name": "something else"}"#).expect("w");
    assert!(store::load(&path).expect_err("foreign").to_string().ends_with("is not a CSU Assess assessment file"));

    std::fs::write(&path, &text[..text.len() / 2]).expect("w");
    let err = store::load(&path).expect_err("truncated").to_string();
    assert!(err.contains("a.csuassess:") && err.contains("not a readable assessment file"), "{err}");

    let tampered = text.replace("Checkpoint 3: full business plan", "Checkpoint 3: easier plan");
    std::fs::write(&path, tampered).expect("w");
    let err = store::load(&path).expect("loads").framework().expect_err("changed criteria").to_string();
    assert!(err.contains("were changed outside the program"), "{err}");
}

#[test]
fn a_format_1_file_loads_and_gets_an_audit_trail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.csuassess");
    let mut value = serde_json::to_value(sample()).expect("json");
    value["format_version"] = 1.into();
    value.as_object_mut().expect("object").remove("audit");
    std::fs::write(&path, serde_json::to_vec(&value).expect("bytes")).expect("w");
    let a = store::load(&path).expect("an older file loads");
    assert_eq!(a.format_version, 2);
    assert_eq!(a.audit.len(), 1, "its state is recorded in the trail");
    assert_eq!(a.scores.len(), 1);
    a.verify_audit().expect("the upgraded trail agrees with the state");
}

#[test]
fn the_last_versions_are_kept_as_backups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    let b = csu_assess::criteria::builtin("cp3-full-plan").expect("cp3");
    let f = b.framework().expect("valid");
    let mut a = sample();
    for level in 0..5u8 {
        a.set_score(&f, "CF2", "Ann", level, "revised", &format!("2012-09-15T10:0{level}:00Z")).expect("scored");
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
fn a_lock_is_exclusive_released_on_drop_and_taken_over_when_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csuassess");
    let first = store::Lock::acquire(&path, "10:00").expect("free");
    let held = store::Lock::acquire(&path, "10:01").expect_err("held");
    assert_eq!(held.pid, std::process::id());
    drop(first);
    let again = store::Lock::acquire(&path, "10:02").expect("released");
    drop(again);
    // A lock left by a program that has gone (no such process) is stale.
    let lock_file = dir.path().join("a.csuassess.lock");
    let mut stale: serde_json::Value = serde_json::from_str(&format!(
        r#"{{"user":"ann","host":"{}","pid":4000000000,"since":"yesterday"}}"#,
        std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default()
    ))
    .expect("json");
    std::fs::write(&lock_file, serde_json::to_vec(&stale).expect("bytes")).expect("w");
    if cfg!(target_os = "linux") {
        store::Lock::acquire(&path, "10:03").expect("a stale lock is taken over");
    }
    stale["host"] = "another-laptop".into();
    std::fs::write(&lock_file, serde_json::to_vec(&stale).expect("bytes")).expect("w");
    let other = store::Lock::acquire(&path, "10:04").expect_err("another machine's lock is respected");
    assert_eq!(other.to_string(), "ann on another-laptop since yesterday");
}

/// Kills the program with SIGKILL at random instants while it saves, many
/// times; the file must load every time, holding the state before or after.
#[test]
fn a_program_killed_while_saving_leaves_a_file_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess")).current_dir(d).args(args).output().expect("runs")
    };
    assert!(run(&["examples", "--out", "."]).status.success());
    assert!(run(&["assess", "new", "northern-star-full.xlsx", "-o", "a.csuassess"]).status.success());
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut completed = 0;
    for i in 0..60u32 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_micros(seed % 12_000);
        let score = format!("CF1={}:evidence written in run {i}", i % 5);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess"))
            .current_dir(d)
            .args(["assess", "set", "a.csuassess", "--assessor", "Ann", &score])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawned");
        std::thread::sleep(delay);
        let _ = child.kill();
        if child.wait().is_ok_and(|s| s.success()) {
            completed += 1;
        }
        let _ = std::fs::remove_file(d.join("a.csuassess.lock"));
        let a = store::load(&d.join("a.csuassess")).unwrap_or_else(|e| panic!("run {i}: {e}"));
        a.verify_audit().unwrap_or_else(|e| panic!("run {i}: {e}"));
    }
    eprintln!("{completed} of 60 saves completed before the kill");
}
