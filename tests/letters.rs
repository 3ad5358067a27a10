//! Assessment letters: what they say for each kind of outcome, that they
//! are reproducible to the byte, that text never leaves the page, that
//! tables break with their header repeated, and that `verify` ties a letter
//! to its assessment.

use crate::util::*;
use csu_assess::assessment::{Assessment, Edit};
use csu_assess::criteria::{self, Framework};
use csu_assess::letter::layout::{Item, LEFT, RIGHT};
use csu_assess::letter::{self, Mismatch, Templates, pdf};
use csu_assess::plan::Plan;

const AT: &str = "2012-09-14T10:00:00Z";

/// The letters' date: the day the panel finished.
const DAY: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("a date");

fn setup(slug: &str) -> (Plan, Framework, Assessment) {
    let plan = import(&csu_assess::examples::find(slug).expect("example").workbook().expect("written"));
    let f = criteria::builtin("cp3-full-plan").expect("cp3").framework().expect("valid");
    let mut a = start_as(&plan, "cp3-full-plan", ASSESSOR, "Lead assessor", "2012-09-10T09:00:00Z");
    interview_every(&mut a, &plan, ASSESSOR, "2012-09-10T09:30:00Z");
    (plan, f, a)
}

const ASSESSOR: &str = "Siobhán O’Connor";

fn score_all(a: &mut Assessment, plan: &Plan, level: u8, evidence: &str) {
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        score(a, plan, ASSESSOR, &id, level, evidence, AT).expect("scored");
    }
}

fn add_action(
    a: &mut Assessment,
    plan: &Plan,
    action: &str,
    owner: &str,
    due: chrono::NaiveDate,
    criterion: Option<&str>,
) {
    let edit =
        Edit::AddAction { action: action.into(), owner: owner.into(), due, criterion: criterion.map(String::from) };
    apply(a, plan, ASSESSOR, edit, AT);
}

fn due(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// All text of the laid-out pages, a page a string.
fn page_texts(letter: &letter::Letter) -> Vec<String> {
    pdf::pages(letter)
        .expect("laid out")
        .iter()
        .map(|page| {
            page.iter()
                .filter_map(|i| match i {
                    Item::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// Text with every run of whitespace made one space, so wrapped lines read on.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn conditional() -> (Plan, Framework, Assessment) {
    let (plan, f, mut a) = setup("northern-star-full");
    score_all(&mut a, &plan, 3, "Seen in the plan: “five signed SLAs” – £9.90 a head");
    score(&mut a, &plan, ASSESSOR, "FV4", 1, "Transition costs unfunded", AT).expect("scored");
    add_action(
        &mut a,
        &plan,
        "Agree the funding of transition costs with the cluster",
        "Director of finance",
        due(2012, 12, 31),
        Some("FV4"),
    );
    (plan, f, a)
}

#[test]
fn a_conditional_letter_states_the_outcome_scores_and_development_plan() {
    let (plan, f, a) = conditional();
    let e = csu_assess::scoring::evaluate(&plan, &f, &a);
    assert_eq!(e.outcome.id, "authorised-development-plan");
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(letter.reference.starts_with("CP3/NORTHERN-STAR-CSU/20120914-"), "{}", letter.reference);
    assert_eq!(
        letter.reference[letter.reference.len() - 4..],
        letter.code[..4],
        "the reference carries the record's code"
    );
    assert!(!letter.draft);
    let text = flat(&page_texts(&letter).join("\n"));
    for expected in [
        "Business Development Unit",
        "Helen Armitage",
        "Northern Star CSU",
        "14 September 2012",
        "CP3/NORTHERN-STAR-CSU/20120914-",
        "Verification code ",
        "Checkpoint 3 assessment of Northern Star CSU: Authorised with a development plan",
        "Customer focus",
        "Development plan",
        "Agree the funding of transition costs with the cluster (FV4)",
        "31 December 2012",
        "Director of finance",
        "Once your board has accepted it, any breach of the development plan means that Northern Star CSU fails.",
        "Transition costs and savings (QIPP) (FV4), 1 of 4, \"Transition costs unfunded\"",
        "Criteria met",
        "Yours sincerely",
        "Annex: scores and evidence by criterion",
        "Siobhán O’Connor: Seen in the plan: “five signed SLAs” – £9.90 a head",
        "Page 1 of ",
        &format!("Verification code {}", letter::verification_code(&letter::fingerprint(&a))),
    ] {
        assert!(text.contains(expected), "the letter does not say {expected:?}:\n{text}");
    }
}

#[test]
fn a_fail_letter_states_the_criteria_and_gateways_not_met() {
    let (plan, f, mut a) = setup("capital-commissioning-full");
    score_all(&mut a, &plan, 2, "Evidence reviewed at interview");
    score(&mut a, &plan, ASSESSOR, "LG1", 1, "No managing director", AT).expect("scored");
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let pages = page_texts(&letter);
    let first = flat(&pages[0]);
    for expected in [
        "I am sorry to tell you that the outcome of the assessment is: Not authorised.",
        "A gateway criterion decides on its own: a plan scored below a gateway's minimum cannot pass, whatever its overall score.",
        "LG1 Leadership team in post: scored 1, below its minimum of 2. No managing director",
        "CF2 Affordability of the offer to CCGs: scored 2 and capped at 1 (the offer is dearer than the CCGs have budgeted",
        "The outcome bands are: Authorised, 75% and above;",
        "The plan was assessed by Siobhán O’Connor (Lead assessor).",
        "You may ask the Business Development Unit to review this decision within 20 working days",
        "Dear Managing Director,",
    ] {
        assert!(first.contains(expected), "page 1 does not say {expected:?}:\n{first}");
    }
    let text = flat(&pages.join("\n"));
    for expected in [
        "Below the level that meets the criterion",
        "Resubmission A CSU that is not authorised may resubmit at the next checkpoint.",
        "High risks mitigated (RM2), 1 of 4, \"High risks without mitigation\"",
        "Scored 2 by the assessor, and capped at 1 because the offer is dearer than the CCGs have budgeted: price per head £12.91 is 1.20 times the £10.75 a head the CCGs have budgeted.",
    ] {
        assert!(text.contains(expected), "the letter does not say {expected:?}:\n{text}");
    }
    assert_eq!(text.matches("(RM2").count(), 1, "no criterion is listed twice in the body");
    assert!(!text.contains("Development plan"), "a fail letter has no development plan");
}

#[test]
fn the_same_assessment_gives_the_same_bytes() {
    let (plan, f, a) = conditional();
    let (t, k) = (wording(), known(&[ASSESSOR]));
    let (_, first) = letter::write(&plan, &f, &a, &t, &k, DAY).expect("first");
    let (_, second) = letter::write(&plan, &f, &a, &t, &k, DAY).expect("second");
    assert_eq!(first, second);
    let (_, third) =
        std::thread::spawn(move || letter::write(&plan, &f, &a, &t, &k, DAY).expect("third")).join().expect("thread");
    assert_eq!(first, third, "another thread, same bytes");
}

#[test]
fn long_names_evidence_and_plans_stay_on_the_page_and_tables_repeat_headers() {
    let (mut plan, f, mut a) = conditional();
    plan.cover.csu_name = "South of England Commissioning Support Unit for Hampshire, the Isle of Wight, Dorset and the Channel Islands (Shared Services Partnership)".into();
    let long =
        "The panel examined the service specifications, the financial model and the minutes of the shadow board; "
            .repeat(12);
    score(&mut a, &plan, ASSESSOR, "CF1", 3, &long, AT).expect("scored");
    for i in 0..40 {
        add_action(
            &mut a,
            &plan,
            &format!(
                "Action {i}: deliver the improvement agreed at the review meeting, with a report to the BDU describing progress, risks and the evidence of benefit to CCGs"
            ),
            "Director of finance and business intelligence (interim), Northern Star Commissioning Support Unit",
            due(2013, 1 + (i % 12) as u32, 28),
            None,
        );
    }
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let pages = pdf::pages(&letter).expect("pages");
    for (n, page) in pages.iter().enumerate() {
        for item in page {
            if let Item::Text { x, size, bold, text, y, .. } = item {
                let width = pdf::text_width(text, *bold, *size).expect("width");
                assert!(
                    *x >= LEFT - 0.01 && x + width <= RIGHT + 0.5,
                    "page {}: {text:?} runs off the page ({x} + {width})",
                    n + 1
                );
                assert!(*y > 20.0, "page {}: {text:?} is below the footer", n + 1);
            }
        }
    }
    let texts = page_texts(&letter);
    let with_plan_header: Vec<usize> = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| t.lines().any(|l| l == "Owner") && t.lines().any(|l| l == "Due by"))
        .map(|(i, _)| i)
        .collect();
    assert!(
        with_plan_header.len() >= 2,
        "the development plan runs over a page with its header repeated: {with_plan_header:?}"
    );
    let count = texts.len();
    for (i, t) in texts.iter().enumerate() {
        assert!(t.contains(&format!("Page {} of {count}", i + 1)), "page {} has no page number", i + 1);
    }
    for word in ["Commissioning", "Hampshire,", "Islands"] {
        assert!(texts[0].lines().any(|l| l.split(' ').any(|w| w == word)), "{word} is kept whole");
    }
}

#[test]
fn verify_knows_an_issued_letter_a_draft_and_an_edited_one() {
    let (plan, f, mut a) = conditional();
    // The plan where `verify` looks for it, beside the record, to make the letter again.
    let dir = tempfile::tempdir().expect("tempdir");
    let workbook = csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("written");
    std::fs::write(dir.path().join(&a.plan.file_name), workbook).expect("plan written");
    let file = dir.path().join("a.csuassess");
    let file = file.as_path();
    let (letter, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(!letter.draft);
    // Made from this very record, but the record (this copy of it) holds no
    // issuing: it can neither confirm nor deny the letter.
    assert_eq!(
        letter::verify(&bytes, &a, file, Some(&wording())),
        Err(Mismatch::CopyEndsBeforeIssue),
        "made but never issued here"
    );
    let issue = Edit::IssueLetter {
        reference: letter.reference.clone(),
        code: letter.code.clone(),
        sha256: csu_assess::plan::fingerprint(&bytes),
        date: DAY,
        wording: wording().fingerprint,
    };
    apply(&mut a, &plan, ASSESSOR, issue, AT);
    match letter::verify(&bytes, &a, file, Some(&wording())) {
        Ok(letter::Verdict::Issued { reference, since, content, .. }) => {
            assert_eq!(reference, letter.reference);
            assert!(since.is_empty());
            assert_eq!(content, letter::Content::Same, "made again from the record, byte for byte");
        }
        other => panic!("{other:?}"),
    }
    let reopen = Edit::Reopen { reason: "an error in CF1".into() };
    a.apply(&plan, ASSESSOR, &key(ASSESSOR), reopen, "2012-09-15T09:00:00Z").expect("reopened");
    score(&mut a, &plan, ASSESSOR, "CF1", 4, "changed after the letter", "2012-09-15T10:00:00Z").expect("scored");
    match letter::verify(&bytes, &a, file, Some(&wording())) {
        Ok(letter::Verdict::Superseded { by, .. }) => assert!(by.contains("reopened"), "{by}"),
        other => panic!("{other:?}"),
    }
    let (second, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert_ne!(second.reference, letter.reference, "a second letter on the same day has its own reference");
    let mut appended = bytes.clone();
    appended.extend_from_slice(b"\n% one byte more than was issued\n");
    assert!(
        matches!(letter::verify(&appended, &a, file, Some(&wording())), Err(Mismatch::Edited { .. })),
        "{:?}",
        letter::verify(&appended, &a, file, Some(&wording()))
    );
    let truncated = &bytes[..bytes.len() / 2];
    assert!(letter::verify(truncated, &a, file, Some(&wording())).is_err(), "a truncated letter is no issued letter");
    assert!(matches!(letter::verify(b"%PDF-1.4 nonsense", &a, file, Some(&wording())), Err(Mismatch::NotPdf(_))));
    let (draft, draft_bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[]), DAY).expect("written");
    assert!(draft.draft, "signed by a key the BDU does not know: only a draft");
    assert_eq!(letter::verify(&draft_bytes, &a, file, Some(&wording())), Ok(letter::Verdict::Draft));
}

#[test]
fn qpdf_finds_no_errors_and_pdftotext_reads_the_text_back() {
    let (plan, f, a) = conditional();
    let (_, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &bytes).expect("written");
    let p = path.to_str().expect("utf8");
    if let Some(out) = tool("qpdf", &["--check", p]) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    if let Some(out) = tool("pdftotext", &[p, "-"]) {
        let text = flat(&String::from_utf8(out.stdout).expect("utf8"));
        assert!(text.contains("Siobhán O’Connor: Seen in the plan: “five signed SLAs” – £9.90 a head"), "{text}");
        assert!(text.contains("Authorised with a development plan"));
    }
    if let Some(out) = tool("pdffonts", &[p]) {
        let fonts = String::from_utf8_lossy(&out.stdout);
        assert!(fonts.contains("LiberationSans") && fonts.contains("yes yes yes"), "embedded and subset:\n{fonts}");
    }
}

#[test]
fn a_boundary_result_states_its_margin_on_page_1() {
    let (plan, f, mut a) = setup("northern-star-full");
    score_all(&mut a, &plan, 3, "Seen in the plan");
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let first = flat(&page_texts(&letter)[0]);
    assert!(first.contains("The overall score is 75.0%."), "{first}");
    assert!(
        first.contains("Had any one of CF1, CF2, CF3")
            && first.contains(
                "been scored one level lower, the outcome would have been Authorised with a development plan."
            ),
        "{first}"
    );
}

#[test]
fn evidence_is_printed_whole_and_a_panel_letter_names_who_decided() {
    let plan = example_plan("northern-star-full");
    let f = criteria::builtin("cp3-full-plan").expect("cp3").framework().expect("valid");
    let mut a = start_as(&plan, "cp3-full-plan", "Ngozi Adébáyọ̀", "Chair", "2012-09-10T09:00:00Z");
    // The panel met on the 12th; the chair signed off on the 13th.
    const AT: &str = "2012-09-12T10:00:00Z";
    apply(&mut a, &plan, "Ngozi Adébáyọ̀", join("Raj Patel", "Finance lead"), AT);
    let long: String =
        (0..40).map(|i| format!("Finding {i} of the panel, seen in the plan and at interview. ")).collect();
    assert!(long.len() >= 2_000);
    for who in ["Ngozi Adébáyọ̀", "Raj Patel"] {
        score_every(&mut a, &plan, who, 3, AT);
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
    for id in &ids {
        let rationale = if id == "CF1" { long.clone() } else { "agreed at the panel meeting".to_string() };
        apply(&mut a, &plan, "Ngozi Adébáyọ̀", Edit::Consensus { criterion: id.clone(), score: Some(3), rationale }, AT);
    }
    apply(&mut a, &plan, "Ngozi Adébáyọ̀", Edit::SignOff, "2012-09-13T16:00:00Z");
    let known = known(&["Ngozi Adébáyọ̀", "Raj Patel"]);
    let (letter, bytes) = letter::write(&plan, &f, &a, &wording(), &known, DAY).expect("written");
    if let Some(text) = pdf_text(&bytes) {
        assert!(text.contains("Adébáyọ̀"), "the name prints and extracts whole");
    }
    assert!(!letter.draft);
    let text = flat(&page_texts(&letter).join("\n"));
    assert!(text.contains(long.trim()), "the 2,000-character rationale is printed whole");
    assert!(text.contains("The assessment panel: Ngozi Adébáyọ̀ (Chair) and Raj Patel (Finance lead)."), "{text}");
    assert!(text.contains("The chair, Ngozi Adébáyọ̀, signed off the panel's result on 13 September 2012."), "{text}");
    assert!(text.contains("The panel's scores by domain are below"), "a panel is one: {text}");
}

#[test]
fn a_draft_says_so_everywhere_and_an_overdue_action_keeps_a_letter_a_draft() {
    let (plan, f, mut a) = conditional();
    let before_letter = due(2012, 9, 1);
    add_action(&mut a, &plan, "Appoint the managing director", "Cluster chief executive", before_letter, None);
    let (letter, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(letter.draft, "an action due before the letter's date");
    assert!(letter.reference.starts_with("DRAFT-") && letter.subject.starts_with("DRAFT: "));
    let pages = page_texts(&letter);
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("DRAFT"), "page {} does not say DRAFT", n + 1);
    }
    let text = flat(&pages.join("\n"));
    assert!(text.contains("is due on 1 September 2012, before the letter's date of 14 September 2012"), "{text}");
    assert!(text.contains("Proposed development plan") && !text.contains("has been agreed with you"), "{text}");
    assert!(!text.contains("Margaret Ellis"), "a draft is not signed");
    assert!(text.contains("(provisional)"));
    if let Some(info) = tool_text("pdfinfo", &bytes) {
        assert!(info.contains("DRAFT"), "the title says DRAFT: {info}");
    }
}

/// A poppler tool's output for a PDF, if the tool is installed.
fn tool_text(name: &str, pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = tool(name, &[path.to_str().expect("path")])?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The text of a PDF as pdftotext reads it, if installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = tool("pdftotext", &[path.to_str().expect("path"), "-"])?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn every_character_of_a_name_or_evidence_prints_or_the_letter_says_which_cannot() {
    let (plan, f, mut a) = conditional();
    score(
        &mut a,
        &plan,
        ASSESSOR,
        "CF1",
        3,
        "Signed SLAs cover ≥ 60% of the population; Ngozi Adébáyọ̀ confirmed it",
        AT,
    )
    .expect("scored");
    let (_, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    if let Some(text) = pdf_text(&bytes) {
        assert!(text.contains("≥ 60%") && text.contains("Adébáyọ̀"), "{text}");
        assert!(!text.contains('?'), "no character was replaced");
    }
    score(&mut a, &plan, ASSESSOR, "CF2", 3, "The CSU's motto is 𝄞 music to CCGs", AT).expect("scored");
    let err = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect_err("refused");
    assert!(err.to_string().starts_with("the letter cannot print the character `𝄞` (U+1D11E)"), "{err}");
}

#[test]
fn letters_are_tagged_in_reading_order_with_language_title_and_bookmarks() {
    let (plan, f, a) = conditional();
    let (_, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF");
    let catalog = doc.catalog().expect("catalogue");
    assert_eq!(catalog.get(b"Lang").and_then(lopdf::Object::as_str).ok(), Some(&b"en-GB"[..]));
    assert!(catalog.get(b"StructTreeRoot").is_ok() && catalog.get(b"Outlines").is_ok());
    let viewer = catalog.get(b"ViewerPreferences").and_then(lopdf::Object::as_dict).expect("viewer preferences");
    assert_eq!(viewer.get(b"DisplayDocTitle").and_then(lopdf::Object::as_bool).ok(), Some(true));
    if let Some(info) = tool_text("pdfinfo", &bytes) {
        assert!(info.contains("Tagged:          yes"), "{info}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &bytes).expect("written");
    if let Some(out) = tool("pdfinfo", &["-struct-text", path.to_str().expect("path")]) {
        let tree = String::from_utf8_lossy(&out.stdout);
        let order =
            ["H1", "\"Decision\"", "L (block)", "Table (block)", "TH", "\"Annex: scores and evidence by criterion\""];
        let mut at = 0;
        for step in order {
            let found = tree[at..].find(step).unwrap_or_else(|| panic!("{step} not found in reading order:\n{tree}"));
            at += found;
        }
        assert!(!tree.contains("Page 1 of"), "page furniture is not in the structure");
    }
}

/// A plan that fails only on one gateway, read back from the PDF itself:
/// page 1 names the criterion and the rule, though the overall is high.
#[test]
fn a_gateway_only_fail_read_back_from_the_pdf_names_the_criterion_and_the_rule_on_page_1() {
    let (plan, f, mut a) = setup("northern-star-full");
    score_all(&mut a, &plan, 4, "Seen in the plan and confirmed at interview");
    score(&mut a, &plan, ASSESSOR, "LG1", 1, "No managing director is in post. The cluster has not advertised.", AT)
        .expect("scored");
    let (letter, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(!letter.draft);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &bytes).expect("written");
    let Some(out) = tool("pdftotext", &["-f", "1", "-l", "1", path.to_str().expect("path"), "-"]) else { return };
    let first = flat(&String::from_utf8_lossy(&out.stdout));
    for expected in [
        "the outcome of the assessment is: Not authorised",
        "A gateway criterion decides on its own",
        "LG1 Leadership team in post: scored 1, below its minimum of 2. No managing director is in post.",
        "The overall score is",
    ] {
        assert!(first.contains(expected), "page 1 does not say {expected:?}:\n{first}");
    }
}

/// Evidence quoted in the body ends at a real sentence end, never at an
/// initial: "MD (A. Patel) and FD appointed…" once printed as "MD (A.
/// Fewer than 60%…".
#[test]
fn evidence_quoted_in_the_body_is_never_cut_at_an_initial() {
    let (plan, f, mut a) = conditional();
    let evidence = "MD (A. Patel) and FD appointed in March. Fewer than 60% of CCGs have signed.";
    score(&mut a, &plan, ASSESSOR, "LG1", 2, evidence, AT).expect("scored");
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    // The body (before the annex, which has the evidence whole).
    let body = format!("{:?}", letter.body);
    assert!(body.contains("MD (A. Patel) and FD appointed in March."), "{body}");
    assert!(!body.contains("Fewer than 60% of CCGs have signed"), "the body quotes the first sentence only");
    assert!(
        body.contains("The assessor's scores by domain are below") && !body.contains("The panel's scores"),
        "a sole assessor is not called a panel: {body}"
    );
}

/// Page 1 of a fail gives its actual cause with its figures: a low overall
/// score with every gateway met is not "does not pass the key criteria";
/// an unmet development action is named as the cause.
#[test]
fn page_1_of_a_fail_states_its_actual_cause() {
    let (plan, f, mut a) = setup("northern-star-full");
    score_all(&mut a, &plan, 1, "Little seen in the plan");
    let gateways: Vec<(String, u8)> = f.criteria().filter_map(|(_, c)| c.gateway.map(|g| (c.id.clone(), g))).collect();
    for (id, minimum) in &gateways {
        score(&mut a, &plan, ASSESSOR, id, *minimum, "Just enough at interview", AT).expect("scored");
    }
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let first = flat(&page_texts(&letter)[0]);
    assert!(first.contains("the outcome of the assessment is: Not authorised"), "{first}");
    assert!(
        first.contains("Because the overall score of")
            && first.contains("is below the 45% needed for Authorised under rigorous management."),
        "{first}"
    );
    assert!(
        !first.contains("key criteria") && !first.contains("gateway criteria are below"),
        "no gateway failed: {first}"
    );

    // Checkpoint 3 holding the CSU to its checkpoint 2 development plan.
    let (plan, f, mut a) = setup("northern-star-full");
    score_all(&mut a, &plan, 4, "Seen in the plan and at interview");
    let earlier = crate::util::checkpoint_two();
    apply(&mut a, &plan, ASSESSOR, Edit::link_earlier(&earlier, true), AT);
    let id = a.earlier.as_ref().expect("linked").actions[0].action.id.clone();
    let internal = id.clone();
    apply(
        &mut a,
        &plan,
        ASSESSOR,
        Edit::ReviewAction { id, met: false, evidence: "Two of five CCGs signed".into() },
        AT,
    );
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let first = flat(&page_texts(&letter)[0]);
    assert!(first.contains("Not authorised"), "{first}");
    assert!(
        first.contains("Because an action of the development plan agreed at the checkpoint before was not met"),
        "{first}"
    );
    let all = flat(&page_texts(&letter).join("\n"));
    assert!(!all.contains(&internal), "the record's internal id {internal} is not printed: {all}");
}

/// The address block wraps within its column: a 62-character CSU name and a
/// 66-character managing director's name never print over "Our reference"
/// or the date (read from the letter's laid-out text positions).
#[test]
fn a_long_address_never_overlaps_the_date_and_reference() {
    let mut content = crate::util::strong();
    content.csu_name = "Northern Star and Lakes Commissioning Support Unit for the North".into();
    assert!(content.csu_name.chars().count() >= 62);
    content.managing_director = "Professor Dame Alexandra Margaret Fotheringham-Cholmondeley-Smythe".into();
    let plan = crate::util::import_content(&content, &csu_assess::examples::Quirks::default());
    let f = criteria::builtin("cp3-full-plan").expect("cp3").framework().expect("valid");
    let mut a = start_as(&plan, "cp3-full-plan", ASSESSOR, "Lead assessor", "2012-09-10T09:00:00Z");
    score_all(&mut a, &plan, 3, "Seen in the plan");
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let page = &pdf::pages(&letter).expect("pages")[0];
    let texts: Vec<(f32, f32, f32, &str)> = page
        .iter()
        .filter_map(|item| match item {
            Item::Text { x, y, size, bold, text, .. } => {
                Some((*x, *y, pdf::text_width(text, *bold, *size).expect("width"), text.as_str()))
            }
            _ => None,
        })
        .collect();
    let label = texts.iter().find(|t| t.3 == "Our reference").expect("the reference's label");
    let (reference_x, top, bottom) = (label.0, label.1 + 40.0, label.1 - 40.0);
    for (x, y, width, text) in &texts {
        let beside = *y < top && *y > bottom && (*x - LEFT).abs() < 0.5;
        assert!(
            !beside || x + width < reference_x - 2.0,
            "{text:?} runs under the date and reference ({x} + {width} >= {reference_x})"
        );
    }
    let all: String = texts.iter().map(|t| t.3).collect::<Vec<_>>().join(" ");
    assert!(
        all.contains("Fotheringham-Cholmondeley-Smythe") && all.contains("for the North"),
        "wrapped, not cut: {all}"
    );
}

/// A draft with criteria unscored says what is settled and what is open,
/// states no cause a score still to come could undo, and gives no next
/// steps of an outcome not reached.
#[test]
fn a_draft_with_criteria_unscored_says_what_is_open_and_decides_nothing() {
    let plan = import(&csu_assess::examples::find("midlands-shared-outline").expect("example").workbook().expect("w"));
    let f = criteria::builtin("cp2-outline-plan").expect("cp2").framework().expect("valid");
    let mut a = start_as(&plan, "cp2-outline-plan", ASSESSOR, "Lead assessor", "2012-06-10T09:00:00Z");
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
    for id in &ids[..5] {
        score(&mut a, &plan, ASSESSOR, id, 1, "Weak evidence in the plan", AT).expect("scored");
    }
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(letter.draft);
    let text = flat(&page_texts(&letter).join("\n"));
    assert!(
        text.contains(
            "Still open: 4 of 9 criteria are not yet scored; with them, the overall score can end anywhere from"
        ),
        "{text}"
    );
    assert!(!text.contains("is below the"), "no cause a score still to come could undo: {text}");
    assert!(text.contains("The next steps follow the decision"), "{text}");
    assert!(text.contains("Not yet scored"), "{text}");
    for id in &ids {
        assert_eq!(text.matches(&format!("({id})")).count().min(1), 1, "{id} appears in the body");
    }
}

/// The annex lets a reader recompute every figure: the framework by id,
/// version and fingerprint, each criterion's weight and gateway minimum,
/// each score as its share of the scale, each domain's weighted mean and
/// the overall's, and the bands with their rules.
#[test]
fn the_annex_lets_a_reader_recompute_every_figure() {
    let (plan, f, a) = conditional();
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let text = flat(&page_texts(&letter).join("\n"));
    for expected in [
        "How the scores were worked out",
        "cp3-full-plan), version 2012.3.3, whose criteria file has the SHA-256 fingerprint",
        &f.fingerprint,
        "(score - 0) / 4",
        "LG1 Leadership team in post 3 2 3 75.0%",
        "FV4 Transition costs and savings (QIPP) 1 - 1 25.0%",
        "(3 x 75.0% + 2 x 75.0% + 1 x 75.0%) / (3 + 2 + 1)",
        "Authorised also needs every gateway criterion at or above its minimum and every domain at 50% or more",
    ] {
        assert!(text.contains(expected), "the annex does not say {expected:?}:\n{text}");
    }
    let e = csu_assess::scoring::evaluate(&plan, &f, &a);
    let overall = format!("{:.1}%", e.overall.expect("scored"));
    assert!(text.contains(&format!("Overall ({}", "20 x ")) && text.contains(&overall), "{text}");
}

/// Evidence longer than a page breaks across pages with its criterion
/// named again at the top of the next (as furniture, not read twice), and
/// nothing runs off the page.
#[test]
fn a_table_row_broken_across_pages_names_its_criterion_again() {
    let (plan, f, mut a) = conditional();
    let long =
        "The panel examined the service specifications, the financial model and the minutes of the shadow board. "
            .repeat(70);
    score(&mut a, &plan, ASSESSOR, "LG2", 3, &long, AT).expect("scored");
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let pages = pdf::pages(&letter).expect("pages");
    let continued: Vec<&Item> =
        pages.iter().flatten().filter(|i| matches!(i, Item::Text { text, .. } if text == "LG2 (continued)")).collect();
    assert!(!continued.is_empty(), "the row's criterion is named again");
    assert!(continued.iter().all(|i| matches!(i, Item::Text { element: None, .. })), "as furniture");
}

/// PDF/UA asks for XMP metadata naming the part of PDF/UA the letter keeps
/// and giving the title the document information gives; and every header
/// cell says what it heads (/Scope).
#[test]
fn a_letter_carries_xmp_metadata_and_scoped_header_cells() {
    let (plan, f, a) = conditional();
    let (letter, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF");
    let catalog = doc.catalog().expect("catalogue");
    let metadata = catalog.get(b"Metadata").and_then(|m| m.as_reference()).expect("metadata");
    let stream = doc.get_object(metadata).and_then(|o| o.as_stream()).expect("a stream");
    let xmp = String::from_utf8(stream.content.clone()).expect("XMP is text");
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{}</rdf:li>", letter.subject)), "{xmp}");
    let headers: Vec<&lopdf::Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"TH".as_slice()))
        .collect();
    assert!(!headers.is_empty());
    for th in headers {
        let a = th.get(b"A").and_then(|a| a.as_dict()).expect("attributes");
        assert_eq!(a.get(b"Scope").and_then(|s| s.as_name()).ok(), Some(b"Column".as_slice()));
    }
}

/// The parts of a letter only the BDU can give (whom to contact, how to ask
/// for a review, whether to resubmit) are never invented: with the
/// built-in wording a letter is a draft showing where they go, and a final
/// letter is refused naming the entries to fill. With the BDU's wording the
/// letter gives them, with copies to the host cluster and the CCGs and the
/// terms it uses explained.
#[test]
fn the_contact_review_route_and_resubmission_come_from_the_bdus_wording() {
    let (plan, f, a) = conditional();
    let (draft, _) = letter::write(&plan, &f, &a, &Templates::builtin(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(draft.draft, "no final letter without the BDU's entries");
    let text = flat(&page_texts(&draft).join("\n"));
    for expected in [
        "[The review route goes here, from the BDU's letter wording",
        "[Whether and when the CSU may resubmit goes here",
        "please contact [the contact the BDU's wording gives]",
        "This draft cannot be issued as it stands: the letter wording does not yet give [contact] name, telephone and email, [text] review and [text] resubmission.",
    ] {
        assert!(text.contains(expected), "the draft does not say {expected:?}:\n{text}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let workbook = csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("written");
    std::fs::write(dir.path().join(&a.plan.file_name), workbook).expect("plan");
    let file = dir.path().join("a.csuassess");
    csu_assess::store::save(&file, &a).expect("saved");
    let refused = letter::from_file(&file, &Templates::builtin(), false, None, None, &known(&[ASSESSOR]), DAY)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        refused.contains("the letter wording does not give what a final letter must")
            && refused.contains("[contact] name, telephone and email")
            && refused.contains("[text] resubmission"),
        "{refused}"
    );
    let (letter, _) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    assert!(!letter.draft);
    let text = flat(&page_texts(&letter).join("\n"));
    for expected in [
        "You may ask the Business Development Unit to review this decision within 20 working days",
        "About this letter, please contact Sam Carter, Assessment manager, telephone 0113 825 0000, e-mail bdu.assessment@nhs.net.",
        "If you need this letter in another format",
        "Copies to: North East PCT Cluster;",
        "Terms used in this letter",
        "Gateway criterion: a criterion a plan must reach a minimum score in to pass at all",
    ] {
        assert!(text.contains(expected), "the letter does not say {expected:?}:\n{text}");
    }
    // Interviews are spoken of only where the record holds them: the CCGs'.
    let start = text.find("What the CCGs said").expect("the CCGs' section");
    let end = start + text[start..].find("contradicted none of the plan's claims.").expect("its end");
    let outside = format!("{}{}", &text[..start], &text[end..]);
    assert!(!outside.contains("interview"), "nothing else on the record says anyone was interviewed: {outside}");
    assert!(text[start..end].contains(
        "Northdale CCG: Chief Officer of Northdale CCG (Chief Officer), by meeting on 10 September 2012, interviewed by"
    ));
    assert!(!text.contains("Resubmission"), "resubmission is for a plan that failed");
}

/// Names in Chinese, Japanese and Korean print, from the face the program
/// ships, embedded only in a letter that uses it (so other letters stay as
/// they were); a script that needs shaping is refused by its name.
#[test]
fn names_in_cjk_print_and_scripts_that_need_shaping_are_refused_by_name() {
    let (mut plan, f, a) = conditional();
    let (_, western) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    plan.cover.managing_director = Some("Dr Ἀλέξανδρος Ivanova-Петрова 王小明 (やまだ) 김민준".into());
    let (_, bytes) = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect("written");
    let fonts = |b: &[u8]| {
        let doc = lopdf::Document::load_mem(b).expect("PDF");
        doc.objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter_map(|d| {
                d.get(b"BaseFont").ok().and_then(|n| n.as_name().ok()).map(|n| String::from_utf8_lossy(n).into_owned())
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(fonts(&bytes).contains("Droid"), "the CJK face is embedded: {}", fonts(&bytes));
    assert!(!fonts(&western).contains("Droid"), "and only where used: {}", fonts(&western));
    if let Some(text) = pdf_text(&bytes) {
        for name in ["王小明", "やまだ", "김민준", "Ἀλέξανδρος", "Петрова"] {
            assert!(text.contains(name), "{name} prints and reads back:\n{text}");
        }
    }
    plan.cover.managing_director = Some("محمد علي".into());
    let err = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect_err("refused").to_string();
    assert!(err.starts_with("the letter cannot print Arabic script, in \"محمد علي"), "{err}");
    plan.cover.managing_director = Some("अनिल कुमार".into());
    let err = letter::write(&plan, &f, &a, &wording(), &known(&[ASSESSOR]), DAY).expect_err("refused").to_string();
    assert!(err.starts_with("the letter cannot print Devanagari script"), "{err}");
}

/// The sentence for each cause of a fail is the wording file's, with its
/// figures; a placeholder of a cause used elsewhere is refused at its line.
#[test]
fn the_cause_of_a_fail_is_worded_by_the_wording_file() {
    let (plan, f, mut a) = setup("northern-star-full");
    score_all(&mut a, &plan, 1, "Weak");
    let text = crate::util::wording_text().replace(
        "overall = \"the overall score of {overall} is below the {needed} needed for {outcome}\"",
        "overall = \"its overall score, {overall}, falls short of the {needed} that {outcome} needs\"",
    );
    let wording = Templates::parse("edited", &text).expect("valid");
    let (letter, _) = letter::write(&plan, &f, &a, &wording, &known(&[ASSESSOR]), DAY).expect("written");
    let first = flat(&page_texts(&letter)[0]);
    assert!(
        first.contains("Because its overall score, ")
            && first.contains("falls short of the 45% that Authorised under rigorous management needs"),
        "{first}"
    );
    let misplaced = crate::util::wording_text().replacen("subject = \"", "subject = \"{floor} ", 1);
    let err = Templates::parse("misplaced", &misplaced).expect_err("refused").to_string();
    assert!(err.contains("`{floor}` is not a placeholder"), "{err}");
}

/// A PDF whose streams would inflate past any letter's size (a
/// decompression bomb handed to `verify`) is refused before it is parsed,
/// without inflating it whole.
#[test]
fn a_pdf_that_inflates_past_any_letters_size_is_refused_unparsed() {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..80 {
        z.write_all(&zeros).expect("compressed");
    }
    let body = z.finish().expect("compressed");
    let mut pdf =
        format!("%PDF-1.7\n1 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n", body.len()).into_bytes();
    pdf.extend_from_slice(&body);
    pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
    let (plan, _, mut a) = conditional();
    let dir = tempfile::tempdir().expect("tempdir");
    let err = letter::verify(&pdf, &a, &dir.path().join("a.csuassess"), None).expect_err("refused");
    assert!(err.to_string().contains("its contents expand past any letter's size"), "{err}");
    // Listed on the record by its issuer, it is refused all the same,
    // before the letter is made again to compare.
    let issue = Edit::IssueLetter {
        reference: "CP3/NORTHERN-STAR-CSU/20120914-BOMB".into(),
        code: "BOMB-0000-0000".into(),
        sha256: csu_assess::plan::fingerprint(&pdf),
        date: DAY,
        wording: wording().fingerprint,
    };
    apply(&mut a, &plan, ASSESSOR, issue, AT);
    let err = letter::verify(&pdf, &a, &dir.path().join("a.csuassess"), Some(&wording())).expect_err("refused");
    assert!(err.to_string().contains("its contents expand past any letter's size"), "{err}");
}
