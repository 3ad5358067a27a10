//! The letter, letters and verify verbs as a user runs them.

use crate::util::{interviews_file, known_keys, run_in as run, run_on, succeeded as ok};
use std::path::Path;

/// Starts and fully scores an assessment of an example plan.
fn scored(dir: &Path, plan: &str, file: &str, level: &str) {
    ok(run(dir, &["assess", "new", plan, "-o", file, "--as", "Jane Holt"]));
    score_all(dir, file, level);
}

/// Scores every criterion of an assessment at `level`.
fn score_all(dir: &Path, file: &str, level: &str) {
    let ids = [
        "CF1", "CF2", "CF3", "CF4", "LG1", "LG2", "LG3", "SO1", "SO2", "SO3", "SO4", "FV1", "FV2", "FV3", "FV4", "WF1",
        "WF2", "WF3", "RM1", "RM2", "RM3",
    ];
    let scores: Vec<String> =
        ids.iter().map(|id| format!("{id}={level}:Evidence for {id} from the plan and interviews")).collect();
    let mut args = vec!["assess", "set", file, "--assessor", "Jane Holt"];
    args.extend(scores.iter().map(String::as_str));
    ok(run(dir, &args));
    let interviews = interviews_file(dir, file);
    ok(run(dir, &["ccg", "record", file, "--from", &interviews.to_string_lossy(), "--as", "Jane Holt"]));
}

#[test]
fn letter_then_verify_then_change_then_verify_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    ok(run(d, &["assess", "new", "northern-star-full.xlsx", "-o", "ns.csuassess", "--as", "Jane Holt"]));
    let out = run(d, &["letter", "ns.csuassess", "-o", "ns.pdf"]);
    assert_eq!(out.status.code(), Some(2), "an incomplete assessment gives no letter");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the assessment is not complete") && err.contains("21 of 21 criteria are not scored"),
        "{err}"
    );
    assert!(ok(run(d, &["letter", "ns.csuassess", "-o", "draft.pdf", "--draft"])).contains("marked DRAFT"));

    score_all(d, "ns.csuassess", "4");
    let out = run(d, &["letter", "ns.csuassess", "-o", "ns.pdf", "--as", "Jane Holt"]);
    assert_eq!(out.status.code(), Some(2), "Jane's key is not yet known to the BDU");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no roster signed by the BDU office is installed with the program on this computer"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    known_keys(d, &["Jane Holt"]);
    let issue =
        |out: &str| run(d, &["letter", "ns.csuassess", "-o", out, "--roster", "roster.json", "--as", "Jane Holt"]);
    let said = ok(issue("ns.pdf"));
    assert!(said.contains("Checkpoint 3 assessment of Northern Star CSU: Authorised"), "{said}");
    assert!(said.contains("signed by Jane Holt for PDF readers"), "{said}");
    let out = run(d, &["letter", "ns.csuassess", "-o", "mallory.pdf", "--roster", "roster.json"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("this computer's key is not on the panel"),
        "only a member issues"
    );
    // Nothing changes under an issued letter, a second letter included,
    // until the assessor reopens the result.
    let out = issue("again.pdf");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing changes under an issued letter"));
    let out = run(d, &["assess", "set", "ns.csuassess", "--assessor", "Jane Holt", "CF1=3:second thoughts"]);
    assert_eq!(out.status.code(), Some(2), "no change under the letter");
    let verified = ok(run(d, &["verify", "ns.pdf", "ns.csuassess", "--roster", "roster.json"]));
    assert!(verified.contains("byte for byte") && verified.contains("holds nothing recorded after it"), "{verified}");
    assert!(
        verified.contains(
            "Its PDF signature is intact and was made by Jane Holt with the certificate the BDU office issued to Jane Holt."
        ),
        "verify reports the PDF signature's signer: {verified}"
    );
    ok(run(d, &["assess", "reopen", "ns.csuassess", "--reason", "an error in CF1", "--as", "Jane Holt"]));
    ok(issue("again.pdf"));
    let again = csu_assess::letter::pdf::text_of(&std::fs::read(d.join("again.pdf")).expect("read")).expect("text");
    assert!(
        again.contains("This letter replaces the letter CP3/NORTHERN-STAR-CSU/")
            && again.contains("after the result was reopened: an error in CF1."),
        "{again}"
    );
    let trail = ok(run(d, &["audit", "ns.csuassess", "--roster", "roster.json"]));
    let references: Vec<&str> = trail.lines().filter(|l| l.contains("issued (verification code")).collect();
    assert_eq!(references.len(), 2, "{trail}");
    assert_ne!(
        references[0].split_whitespace().nth(5),
        references[1].split_whitespace().nth(5),
        "two letters on one day, two references"
    );
    assert!(trail.contains("Jane Holt's in the BDU's roster"), "{trail}");

    // The first letter was genuine, but the reopening and the second took its place.
    let out = run(d, &["verify", "ns.pdf", "ns.csuassess", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(8), "superseded");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("is the letter CP3/NORTHERN-STAR-CSU/")
            && said.contains("by Jane Holt, but it no longer stands: the result was reopened after it"),
        "{said}"
    );
    let verified = ok(run(d, &["verify", "again.pdf", "ns.csuassess", "--roster", "roster.json"]));
    assert!(verified.contains("byte for byte") && verified.contains("by Jane Holt"), "{verified}");
    ok(run(d, &["assess", "reopen", "ns.csuassess", "--reason", "an appeal", "--as", "Jane Holt"]));
    let out = run(d, &["verify", "again.pdf", "ns.csuassess", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(8), "superseded by the reopening");
    assert!(String::from_utf8_lossy(&out.stdout).contains("the result was reopened after it"));

    let mut edited = std::fs::read(d.join("ns.pdf")).expect("letter");
    edited.extend_from_slice(b"\n% edited\n");
    std::fs::write(d.join("edited.pdf"), edited).expect("w");
    let out = run(d, &["verify", "edited.pdf", "ns.csuassess", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("it was changed after it was issued"), "{err}");
    assert!(err.contains("Its PDF signature does not hold: its byte range does not cover the whole file"), "{err}");
    let out = run(d, &["verify", "draft.pdf", "ns.csuassess", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(4), "a draft presented as final");
    assert!(String::from_utf8_lossy(&out.stdout).contains("is a draft: it was never issued"));
    std::fs::write(d.join("other.pdf"), b"%PDF-1.4\n%%EOF\n").expect("w");
    assert_eq!(run(d, &["verify", "other.pdf", "ns.csuassess", "--roster", "roster.json"]).status.code(), Some(1));
}

#[test]
fn letters_writes_one_pdf_per_csu_and_reports_the_ones_it_cannot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    scored(d, "northern-star-full.xlsx", "ns.csuassess", "3");
    scored(d, "capital-commissioning-full.xlsx", "cap.csuassess", "2");
    ok(run(d, &["assess", "new", "midlands-shared-outline.xlsx", "-o", "mid.csuassess", "--as", "Jane Holt"]));
    known_keys(d, &["Jane Holt"]);
    let args =
        ["letters", "ns.csuassess", "cap.csuassess", "mid.csuassess", "--out", "letters", "--roster", "roster.json"];
    let out = run_on(d, "Jane Holt", &args);
    assert_eq!(out.status.code(), Some(2), "one assessment is incomplete");
    assert!(String::from_utf8_lossy(&out.stderr).contains("mid.csuassess: the assessment is not complete"));
    let mut names: Vec<String> = std::fs::read_dir(d.join("letters"))
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].starts_with("CP3-CAPITAL-COMMISSIONING-") && names[1].starts_with("CP3-NORTHERN-STAR-CSU-"),
        "named by reference: {names:?}"
    );
}

/// A batch never writes over a letter in its folder: the checkpoint 2
/// letter already issued there stays byte for byte when the checkpoint 3
/// letters of the same CSU are written beside it, and a letter written
/// again with other bytes goes beside the first.
#[test]
fn a_batch_keeps_every_letter_already_in_its_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    scored(d, "northern-star-full.xlsx", "ns.csuassess", "3");
    known_keys(d, &["Jane Holt"]);
    std::fs::create_dir_all(d.join("letters")).expect("folder");
    // Whatever is already there under any name stays as it is.
    let issued = b"%PDF-1.4 the checkpoint 2 letter issued in March".to_vec();
    std::fs::write(d.join("letters/Northern-Star-CSU.pdf"), &issued).expect("written");
    let args = ["letters", "ns.csuassess", "--out", "letters", "--roster", "roster.json", "--draft"];
    let first = ok(run_on(d, "Jane Holt", &args));
    assert_eq!(std::fs::read(d.join("letters/Northern-Star-CSU.pdf")).expect("kept"), issued, "kept byte for byte");
    let written = d.join(first.split_whitespace().next().expect("a path"));
    let before = std::fs::read(&written).expect("written");
    // The same draft again: the same bytes, left as they are.
    let again = ok(run_on(d, "Jane Holt", &args));
    assert_eq!(again.split_whitespace().next().map(|p| d.join(p)), Some(written.clone()));
    // Another file with that name and other bytes is never written over.
    std::fs::write(&written, b"%PDF-1.4 someone else's copy").expect("replaced by hand");
    let third = ok(run_on(d, "Jane Holt", &args));
    let beside = d.join(third.split_whitespace().next().expect("a path"));
    assert!(beside.to_string_lossy().ends_with("-2.pdf"), "{third}");
    assert_eq!(std::fs::read(&beside).expect("written"), before);
    assert_eq!(std::fs::read(&written).expect("kept"), b"%PDF-1.4 someone else's copy");
}

#[test]
fn edited_wording_is_used_and_bad_wording_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    scored(d, "northern-star-full.xlsx", "ns.csuassess", "4");
    let bdu = crate::util::wording_text();
    std::fs::write(d.join("wording.toml"), bdu.replace("Margaret Ellis", "Dr Amara Okonkwo")).expect("w");
    known_keys(d, &["Jane Holt"]);
    ok(run(
        d,
        &[
            "letter",
            "ns.csuassess",
            "-o",
            "ns.pdf",
            "--templates",
            "wording.toml",
            "--roster",
            "roster.json",
            "--as",
            "Jane Holt",
        ],
    ));
    let bytes = std::fs::read(d.join("ns.pdf")).expect("pdf");
    let text_has = |needle: &str| {
        crate::util::tool("pdftotext", &[d.join("ns.pdf").to_str().expect("utf8"), "-"])
            .map(|o| String::from_utf8_lossy(&o.stdout).contains(needle))
    };
    if let Some(found) = text_has("Dr Amara Okonkwo") {
        assert!(found, "the edited signatory appears");
    }
    assert!(!bytes.is_empty());
    std::fs::write(d.join("bad.toml"), bdu.replace("{csu_name}", "{csu}")).expect("w");
    let out = run(d, &["letter", "ns.csuassess", "-o", "x.pdf", "--templates", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml:"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A draft of a complete record is a draft: DRAFT on every page, in its
/// title and reference, never the same bytes or words as the letter that
/// decides, and `verify` calls it a draft (exit 4), not "never issued".
#[test]
fn a_draft_of_a_complete_record_is_marked_draft_on_every_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    scored(d, "northern-star-full.xlsx", "ns.csuassess", "4");
    known_keys(d, &["Jane Holt"]);
    let said = ok(run(d, &["letter", "ns.csuassess", "-o", "draft.pdf", "--draft", "--roster", "roster.json"]));
    assert!(said.contains("DRAFT"), "{said}");
    let pdf = std::fs::read(d.join("draft.pdf")).expect("written");
    let doc = lopdf::Document::load_mem(&pdf).expect("a PDF");
    let pages = doc.get_pages().len() as u32;
    assert!(pages >= 2);
    for page in 1..=pages {
        let text = doc.extract_text(&[page]).unwrap_or_default();
        assert!(text.contains("DRAFT"), "page {page} of {pages} is not marked DRAFT:\n{text}");
    }
    let first = doc.extract_text(&[1]).unwrap_or_default();
    assert!(first.contains("This is a draft, not the decision"), "{first}");
    if let Some(out) = crate::util::tool("pdfinfo", &[d.join("draft.pdf").to_str().expect("utf8")]) {
        assert!(String::from_utf8_lossy(&out.stdout).contains("DRAFT"), "the title says DRAFT");
    }
    let verdict = run(d, &["verify", "draft.pdf", "ns.csuassess", "--roster", "roster.json"]);
    assert_eq!(verdict.status.code(), Some(4), "{}", String::from_utf8_lossy(&verdict.stdout));
    assert!(String::from_utf8_lossy(&verdict.stdout).contains("is a draft"));
    // The letter that decides is another document.
    ok(run(d, &["letter", "ns.csuassess", "-o", "final.pdf", "--roster", "roster.json", "--as", "Jane Holt"]));
    let final_first = lopdf::Document::load_mem(&std::fs::read(d.join("final.pdf")).expect("written"))
        .expect("a PDF")
        .extract_text(&[1])
        .unwrap_or_default();
    assert!(!final_first.contains("DRAFT") && !final_first.contains("This is a draft"), "{final_first}");
}

/// A copy of the record taken before the letter was issued neither confirms
/// nor denies it: verify says so (exit 5) rather than "not issued"; and a
/// genuine letter's "nothing since" speaks of this copy only.
#[test]
fn a_copy_of_the_record_from_before_the_letter_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    ok(run(d, &["examples", "--out", "."]));
    scored(d, "northern-star-full.xlsx", "ns.csuassess", "4");
    known_keys(d, &["Jane Holt"]);
    std::fs::copy(d.join("ns.csuassess"), d.join("before.csuassess")).expect("copied");
    ok(run(d, &["letter", "ns.csuassess", "-o", "final.pdf", "--roster", "roster.json", "--as", "Jane Holt"]));
    let out = run(d, &["verify", "final.pdf", "before.csuassess", "--roster", "roster.json"]);
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("which this copy cannot confirm: it holds no letter issued from it")
    );
    let genuine = ok(run(d, &["verify", "final.pdf", "ns.csuassess", "--roster", "roster.json"]));
    assert!(
        genuine.contains("This copy of the record holds nothing recorded after it (another copy may)."),
        "{genuine}"
    );
}
