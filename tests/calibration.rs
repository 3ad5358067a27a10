//! The calibration plan: the BDU's agreed scores, checked against the plan
//! they are for, and an assessor's scores compared with them.

use crate::util::{import, run_in, score_every, start_as, succeeded};
use csu_assess::calibration::{self, CalibrationError};

#[test]
fn the_reference_scores_every_criterion_and_agrees_with_the_plans_own_figures() {
    let (reference, framework) = calibration::reference().expect("the shipped reference is valid");
    assert_eq!(reference.scores.len(), framework.criterion_count());
    // Scored as the BDU did, no check on the plan's figures caps a score
    // below the BDU's: the reference is coherent with the plan.
    let plan = import(&calibration::plan_workbook().expect("written"));
    assert_eq!(Some(plan.source.fingerprint.as_str()), calibration::plan_fingerprint());
    let mut a = start_as(&plan, "cp3-full-plan", "BDU", "Assessor", "2026-11-24T09:00:00Z");
    for s in &reference.scores {
        crate::util::score(&mut a, &plan, "BDU", &s.criterion, s.score, &s.rationale, "2026-11-24T09:00:00Z")
            .expect("scored");
    }
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    let capped: Vec<_> = e.criteria.iter().filter(|c| c.capped_at.is_some()).map(|c| &c.id).collect();
    assert!(capped.is_empty(), "the plan's figures cap {capped:?} below the reference");
    let c = calibration::compare(&a, "BDU").expect("compared");
    assert_eq!((c.same, c.scored, c.mean_difference), (c.criteria.len(), c.criteria.len(), 0.0));
    assert!(c.unscored.is_empty());
}

#[test]
fn an_assessor_sees_where_they_differ_and_why() {
    let plan = import(&calibration::plan_workbook().expect("written"));
    let mut a = start_as(&plan, "cp3-full-plan", "Zoe", "Assessor", "2026-11-24T09:00:00Z");
    assert_eq!(calibration::compare(&a, "Zoe"), Err(CalibrationError::NothingScored { member: "Zoe".into() }));
    score_every(&mut a, &plan, "Zoe", 4, "2026-11-24T09:00:00Z");
    let c = calibration::compare(&a, "Zoe").expect("compared");
    let (reference, _) = calibration::reference().expect("valid");
    let fours = reference.scores.iter().filter(|s| s.score == 4).count();
    assert_eq!(c.same, fours);
    assert!(c.mean_difference > 0.5, "scoring everything 4 is more generous than the BDU: {}", c.mean_difference);
    let cf1 = c.criteria.iter().find(|d| d.criterion == "CF1").expect("CF1");
    assert_eq!((cf1.yours, cf1.reference, cf1.by()), (4, 2, 2));
    assert!(cf1.rationale.contains("heads of terms"), "{}", cf1.rationale);

    let other = crate::util::example_plan("northern-star-full");
    let b = start_as(&other, "cp3-full-plan", "Zoe", "Assessor", "2026-11-24T09:00:00Z");
    assert_eq!(calibration::compare(&b, "Zoe"), Err(CalibrationError::NotCalibration));
}

#[test]
fn calibrating_on_the_command_line_and_the_portfolio_saying_who_has() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    succeeded(run_in(d, &["calibration", "write", "westbrook.xlsx"]));
    succeeded(run_in(d, &["assess", "new", "westbrook.xlsx", "-o", "zoe-calibration.csuassess", "--as", "Zoe"]));
    succeeded(run_in(
        d,
        &[
            "assess",
            "set",
            "zoe-calibration.csuassess",
            "--as",
            "Zoe",
            "CF1=4:all signed?",
            "FV2=2:half on heads of terms",
        ],
    ));
    let out = succeeded(run_in(d, &["calibration", "compare", "zoe-calibration.csuassess", "--as", "Zoe"]));
    assert!(out.starts_with("Zoe scored 2 of 21 criteria: 1 as the BDU did"), "{out}");
    assert!(out.contains("CF1   yours 4, BDU 2 (+2): Three of six CCGs have signed SLAs"), "{out}");
    // The BDU's score of a criterion not yet scored would lead the scoring.
    assert!(!out.contains("WF2   yours"), "{out}");
    assert!(
        out.contains("Not scored yet (the BDU's scores of these are shown once you have scored them): CF2, CF3"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&succeeded(run_in(
        d,
        &["calibration", "compare", "zoe-calibration.csuassess", "--as", "Zoe", "--json"],
    )))
    .expect("json");
    assert_eq!(json["criteria"].as_array().expect("criteria").len(), 2);
    assert!(!json.to_string().contains("outline only"), "no reason of an unscored criterion is given");
    succeeded(run_in(d, &["examples", "--out", "."]));
    let round: serde_json::Value =
        serde_json::from_str(&succeeded(run_in(d, &["portfolio", ".", "--office", "--json"]))).expect("json");
    let rows = round["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3, "the calibration plan is no CSU's: {round}");
    assert!(rows.iter().all(|r| r["csu"] != "Westbrook CSU"));
    let calibrated = round["calibrations"].as_array().expect("calibrations");
    assert_eq!(calibrated.len(), 1);
    assert_eq!((calibrated[0]["member"].as_str(), calibrated[0]["same"].as_u64()), (Some("Zoe"), Some(1)));
    let text = succeeded(run_in(d, &["portfolio", ".", "--office"]));
    assert!(text.contains("Calibrated on the reference plan\n  Zoe: 2 of 21 scored, 1 as the BDU"), "{text}");
}
