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
