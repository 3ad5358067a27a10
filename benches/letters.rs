//! Letter speed: 35 final letters (one per CSU in the country) from their
//! assessment files, as issuing makes them: load each assessment, find and
//! import its plan, evaluate, compose, lay out, draw the PDF and sign it
//! (PAdES), on every core. Run with `cargo bench --bench letters`; the
//! target is under 0.3 s in a release build on 2 cores.

use csu_assess::assessment::{Assessment, Edit, Start};
use csu_assess::examples::EXAMPLES;
use csu_assess::letter::{self, Templates};
use csu_assess::{criteria, plan, store};
use std::time::{Duration, Instant};

const LETTERS: usize = 35;
const RUNS: usize = 10;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = csu_assess::keys::Identity::from_seed([1; 32]);
    let mut files = Vec::new();
    for i in 0..LETTERS {
        let example = &EXAMPLES[i % EXAMPLES.len()];
        let plan_path = dir.path().join(format!("plan-{i}.xlsx"));
        std::fs::write(&plan_path, example.workbook().expect("written")).expect("saved");
        let p = plan::import(&plan_path).expect("imports");
        let b = criteria::builtin_for(p.cover.checkpoint, p.cover.plan_type).expect("framework");
        let f = b.framework().expect("valid");
        let start = Start {
            plan_path: &format!("plan-{i}.xlsx"),
            source: b.file_name,
            text: b.text,
            at: "2012-09-14T09:00:00Z",
            id: &format!("bench-{i}"),
            by: "Panel chair",
            role: "Chair",
            key: &key,
        };
        let mut a = Assessment::start(&p, &f, start).expect("started");
        let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
        for (k, id) in ids.iter().enumerate() {
            let level = ((i + k) % 3 + 2) as u8;
            let evidence = "Evidence from the plan, the leaders' interview and the CCG interviews.";
            let edit = Edit::Score { criterion: id.clone(), score: Some(level), evidence: evidence.into() };
            a.apply(&p, "Panel chair", &key, edit, "2012-09-14T10:00:00Z").expect("scored");
        }
        // Every CCG heard, as a decision at checkpoints 2 and 3 waits for.
        for c in csu_assess::ccg::plan_ccgs(&p) {
            let answers = csu_assess::ccg::Answers {
                ccg: c.ccg.clone(),
                interviewee: "Dr Jo Hale".into(),
                interviewee_role: "Chief Officer".into(),
                held_on: "2012-09-10".into(),
                how: "meeting".into(),
                sla: "signed".into(),
                share: "at_least_half".into(),
                affordable: "yes".into(),
                set_aside_pence: Some(1_152),
                confidence: "quite".into(),
                met_leader: true,
                after_april_2013: "stay".into(),
                services: vec!["business_intelligence".into()],
                notes: String::new(),
            };
            let edit = Edit::CcgInterview(Box::new(answers));
            a.apply(&p, "Panel chair", &key, edit, "2012-09-14T10:30:00Z").expect("interviewed");
        }
        let action = Edit::AddAction {
            action: "Sign SLAs with every CCG".into(),
            owner: "Managing director".into(),
            due: chrono::NaiveDate::from_ymd_opt(2013, 3, 31).expect("date"),
            criterion: None,
        };
        a.apply(&p, "Panel chair", &key, action, "2012-09-14T11:00:00Z").expect("added");
        let file = dir.path().join(format!("csu-{i}.csuassess"));
        store::save(&file, &a).expect("saved");
        files.push(file);
    }
    // A final letter needs the BDU's own entries in the wording.
    let bdu = Templates::parse(
        "the BDU's wording",
        &format!(
            "{}\n[contact]\nname = \"Sam Carter\"\ntelephone = \"0113 825 0000\"\nemail = \"bdu@nhs.net\"\n",
            letter::BUILTIN_WORDING.replacen(
                "[text]\n",
                "[text]\nreview = \"Ask within 20 days.\"\nresubmission = \"Next round.\"\n",
                1
            )
        ),
    )
    .expect("valid");
    let date = chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("date");
    let trust = bdu_trust(&key);
    let signer = letter::signature::Signer::for_key(&trust, &key).expect("the chair is certified");
    // Each letter final and signed, as `letter --issue` makes it (the
    // record's own issuing entry aside).
    let make = |f: &std::path::Path| {
        letter::from_file(f, &bdu, false, None, Some(&key.public()), &trust, date).map(|mut made| {
            made.pdf = signer.sign(&made.pdf, made.letter.timestamp).expect("signed");
            made
        })
    };
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let made = letter::from_files(&files, make);
            let elapsed = t.elapsed();
            assert_eq!(made.iter().filter(|m| m.is_ok()).count(), LETTERS);
            elapsed
        })
        .collect();
    times.sort();
    let bytes: usize = letter::from_files(&files, make).iter().flatten().map(|m| m.pdf.len()).sum();
    println!(
        "{LETTERS} signed final letters on {} cores: fastest {:.0} ms, median {:.0} ms ({} KB of PDF in all)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        times[0].as_secs_f64() * 1e3,
        times[RUNS / 2].as_secs_f64() * 1e3,
        bytes / 1024
    );
    verify_one(&files[0], &key, &bdu, &trust, date);
}

/// `verify` of one issued letter: the record read and checked, the record
/// as it stood at the issuing entry rebuilt, the letter made again and
/// compared (the target is under 0.2 s).
fn verify_one(
    file: &std::path::Path,
    key: &csu_assess::keys::Identity,
    templates: &Templates,
    trust: &csu_assess::roster::Trust,
    date: chrono::NaiveDate,
) {
    let made = letter::issue(file, templates, trust, key, "2012-09-14T12:00:00Z", date).expect("issued");
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let a = store::load(file).expect("read and checked");
            assert!(trust.check(&a).is_empty());
            let verdict = letter::verify(&made.pdf, &a, file, Some(templates)).expect("verified");
            assert!(matches!(verdict, letter::Verdict::Issued { content: letter::Content::Same, .. }));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "verifying one letter (record read, checked against the roster, letter made again): median {:.0} ms",
        times[RUNS / 2].as_secs_f64() * 1e3
    );
}

/// The BDU's roster as pinned on its computers, the chair enrolled and
/// their letter-signing key certified.
fn bdu_trust(key: &csu_assess::keys::Identity) -> csu_assess::roster::Trust {
    use csu_assess::roster::{Enrolled, OfficeKey, OfficeSource, Roster, Trust};
    let office = csu_assess::keys::Identity::from_seed([2; 32]);
    let roster = Roster::first(&office, "2012-09-01T08:00:00Z")
        .edited(&office, "2012-09-01T08:00:00Z", |body| {
            let chair = Enrolled {
                name: "Panel chair".into(),
                key: key.public(),
                may_chair: true,
                office: false,
                retired: false,
                certificate: None,
            };
            body.assessors.push(chair);
            let letter_key = key.p256(csu_assess::keys::Purpose::LetterSigning);
            body.certify(&office, &key.public(), letter_key.verifying_key())
        })
        .expect("signed");
    let pinned = OfficeKey { key: office.public(), source: OfficeSource::BesideProgram("bench".into()) };
    Trust::with(pinned, roster)
}
