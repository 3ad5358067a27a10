//! The ten kinds of letter a CSU may receive, each made from a record as
//! the program makes it, and each read as its recipient would: the cause of
//! a fail on page 1, no criterion twice, the review route, the annex's
//! arithmetic. With `CSU_ASSESS_LETTERS_OUT` set to a
//! folder the ten PDFs are written there, to be looked at page by page.

use crate::util::*;
use csu_assess::assessment::{Assessment, Edit};
use csu_assess::examples::{self, Quirks};
use csu_assess::letter;
use csu_assess::plan::Plan;

const AT: &str = "2012-09-10T10:00:00Z";

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("a date")
}

/// A sole assessor's checkpoint 3 record of a plan, every criterion at
/// `level` but those `others` name.
fn scored(plan: &Plan, level: u8, others: &[(&str, u8)]) -> Assessment {
    let mut a = start_as(plan, "cp3-full-plan", "Ann", "Lead assessor", "2012-09-01T09:00:00Z");
    interview_every(&mut a, plan, "Ann", AT);
    let ids: Vec<String> = a.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in ids {
        let level = others.iter().find(|(o, _)| *o == id).map_or(level, |(_, l)| *l);
        score(
            &mut a,
            plan,
            "Ann",
            &id,
            level,
            &format!("{id}: seen in the plan. The evidence is set out in section 4."),
            AT,
        )
        .expect("scored");
    }
    a
}

fn action(a: &mut Assessment, plan: &Plan) {
    let edit = Edit::AddAction {
        action: "Sign SLAs with every CCG".into(),
        owner: "Managing director".into(),
        due: chrono::NaiveDate::from_ymd_opt(2013, 3, 31).expect("date"),
        criterion: Some("CF1".into()),
    };
    apply(a, plan, "Ann", edit, AT);
}

/// The ten kinds, named, with their plan and record.
fn kinds() -> Vec<(&'static str, Plan, Assessment)> {
    let strong = example_plan("northern-star-full");
    let weak = example_plan("capital-commissioning-full");
    let mut out = Vec::new();
    out.push(("pass", strong.clone(), scored(&strong, 4, &[])));
    let mut rigorous = scored(&strong, 2, &[("CF1", 3), ("CF2", 3), ("LG1", 3), ("FV1", 3), ("SO1", 3)]);
    action(&mut rigorous, &strong);
    out.push(("rigorous-management", strong.clone(), rigorous));
    out.push(("gateway-fail", strong.clone(), scored(&strong, 3, &[("LG1", 1)])));
    out.push(("caps-fail", weak.clone(), scored(&weak, 3, &[])));
    let gateways_at_minimum = [("CF1", 2), ("CF2", 2), ("LG1", 2), ("FV1", 2), ("SO1", 1), ("RM2", 1)];
    out.push(("low-score-fail", strong.clone(), scored(&strong, 1, &gateways_at_minimum)));
    // A panel of three, one of whom declared an interest and stood aside.
    let mut panel = start_as(&strong, "cp3-full-plan", "Ann", "Chair", "2012-09-01T09:00:00Z");
    for m in ["Raj", "Priya"] {
        apply(&mut panel, &strong, "Ann", join(m, "Member"), AT);
    }
    apply(&mut panel, &strong, "Priya", Edit::DeclareInterest { interest: "worked for the host cluster".into() }, AT);
    for who in ["Ann", "Raj"] {
        score_every(&mut panel, &strong, who, 3, AT);
        apply(&mut panel, &strong, who, Edit::FinishScoring, AT);
    }
    let ids: Vec<String> = panel.framework().criteria().map(|(_, c)| c.id.clone()).collect();
    for id in &ids {
        let agreed = Edit::Consensus { criterion: id.clone(), score: Some(3), rationale: "Both scored 3.".into() };
        apply(&mut panel, &strong, "Ann", agreed, AT);
    }
    action(&mut panel, &strong);
    apply(&mut panel, &strong, "Ann", Edit::SignOff, AT);
    out.push(("panel-with-an-interest", strong.clone(), panel));
    let mut draft = start_as(&strong, "cp3-full-plan", "Ann", "Lead assessor", "2012-09-01T09:00:00Z");
    for id in &ids[..12] {
        score(&mut draft, &strong, "Ann", id, 2, "Seen in the plan.", AT).expect("scored");
    }
    out.push(("draft", strong.clone(), draft));
    let two = checkpoint_two();
    out.push(("checkpoint-2", example_plan("midlands-shared-outline"), two.clone()));
    let mut content = examples::find("northern-star-full").expect("example").content();
    content.csu_name = "Midlands Shared Services CSU".into();
    let midlands = import(&examples::write_plan(&content, &Quirks::default()).expect("written"));
    let mut three = scored(&midlands, 4, &[]);
    apply(&mut three, &midlands, "Ann", Edit::link_earlier(&two, false), AT);
    let id = three.earlier.as_ref().expect("linked").actions[0].action.id.clone();
    let review = Edit::ReviewAction { id, met: false, evidence: "Two CCGs are still on heads of terms.".into() };
    apply(&mut three, &midlands, "Ann", review, AT);
    out.push(("checkpoint-3-unmet-action", midlands, three));
    let mut named = strong.clone();
    named.cover.csu_name =
        "North of England Commissioning Support Unit for Cumbria, Northumberland, Tyne and Wear (Shared Services)"
            .into();
    named.cover.managing_director = Some("Dr Ἀλέξανδρος Ivanova-Петрова 王小明".into());
    out.push(("long-name-three-scripts", named.clone(), scored(&named, 3, &[])));
    out
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_ten_kinds_of_letter_say_what_was_decided_and_why() {
    let out = std::env::var_os("CSU_ASSESS_LETTERS_OUT").map(std::path::PathBuf::from);
    let trust = known(&["Ann", "Raj", "Priya"]);
    for (kind, plan, a) in kinds() {
        let e = csu_assess::scoring::evaluate_as_of(
            &plan,
            a.framework(),
            &a,
            csu_assess::scoring::AsOf { trust: &trust, date: day() },
        );
        let (made, bytes) = letter::write(&plan, a.framework(), &a, &wording(), &trust, day())
            .unwrap_or_else(|err| panic!("{kind}: {err}"));
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir).expect("folder");
            std::fs::write(dir.join(format!("{kind}.pdf")), &bytes).expect("written");
        }
        let pages: Vec<String> = letter::pdf::pages(&made)
            .expect("laid out")
            .iter()
            .map(|page| {
                page.iter()
                    .filter_map(|i| match i {
                        letter::layout::Item::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        // No two pieces of text on one line overlap (the arithmetic table's
        // headers once did), and the annex's title never stands alone.
        let laid = letter::pdf::pages(&made).expect("laid out");
        for (n, page) in laid.iter().enumerate() {
            let mut texts: Vec<(f32, f32, f32, &str)> = page
                .iter()
                .filter_map(|i| match i {
                    letter::layout::Item::Text { x, y, size, bold, text, .. } => {
                        Some((*y, *x, *x + letter::pdf::text_width(text, *bold, *size).expect("width"), text.as_str()))
                    }
                    _ => None,
                })
                .collect();
            texts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            for pair in texts.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if (a.0 - b.0).abs() < 0.5 {
                    assert!(a.2 <= b.1 + 0.5, "{kind}, page {}: {:?} runs into {:?}", n + 1, a.3, b.3);
                }
            }
        }
        let annex_page = pages.iter().position(|p| p.contains(&made.annex_title)).expect("an annex");
        assert!(
            pages[annex_page].contains("Evidence and rationale"),
            "{kind}: the annex's table starts under its title"
        );
        let first = flat(&pages[0]);
        let body = flat(&pages.join("\n"));
        let annex = body.split("How the scores were worked out").nth(1).unwrap_or_default().to_string();
        assert!(!annex.is_empty(), "{kind}: the annex sets out the arithmetic");
        assert_eq!(made.draft, kind == "draft", "{kind}: {:?}", e.missing);
        // A fail gives its actual cause on page 1.
        let expected_cause = match kind {
            "gateway-fail" => Some("LG1 Leadership team in post: scored 1, below its minimum of 2"),
            "caps-fail" => Some("capped at"),
            "low-score-fail" => Some("Because the overall score of"),
            "checkpoint-3-unmet-action" => Some("Two CCGs are still on heads of terms"),
            _ => None,
        };
        if let Some(cause) = expected_cause {
            assert!(first.contains(cause), "{kind}: page 1 does not give the cause {cause:?}:\n{first}");
        }
        if kind == "panel-with-an-interest" {
            assert!(first.contains("Priya") && first.contains("stood aside"), "{kind}:\n{first}");
        }
        if kind == "draft" {
            assert!(first.contains("Still open: 9 of 21 criteria are not yet scored"), "{kind}:\n{first}");
        }
        // Every criterion once in the body (before the annex).
        let before_annex = body.split(&made.annex_title).next().unwrap_or_default();
        for c in e.criteria.iter().filter(|c| c.score.is_some()) {
            let n = before_annex.matches(&format!("({}), ", c.id)).count()
                + before_annex.matches(&format!("{} {}:", c.id, c.title)).count();
            assert_eq!(n, 1, "{kind}: {} is in the body {n} times:\n{before_annex}", c.id);
        }
        if !made.draft {
            assert!(body.contains("You may ask the Business Development Unit to review this decision"), "{kind}");
        }
    }
}

/// Percentages are rounded as a reader working them out by hand rounds: a
/// half goes up (71.25% is 71.3%, not the 71.2% rounding to even gives).
#[test]
fn a_half_percent_rounds_up_as_a_reader_rounds() {
    use csu_assess::scoring::percent;
    assert_eq!(
        (percent(71.25), percent(56.25), percent(68.75), percent(75.0)),
        ("71.3%".to_string(), "56.3%".to_string(), "68.8%".to_string(), "75.0%".to_string())
    );
}
