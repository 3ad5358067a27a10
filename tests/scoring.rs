//! The scoring engine: consensus and panel medians, caps from automatic
//! checks, gateways, outcomes, what is missing, sensitivity, and the
//! properties that keep it fair (monotone, weights only matter in proportion).

use crate::util::*;
use csu_assess::assessment::{Assessment, Edit};
use csu_assess::criteria::{self, Framework};
use csu_assess::plan::Plan;
use csu_assess::scoring::{ScoreState, Sensitivity, evaluate};
use proptest::prelude::*;

const AT: &str = "2012-09-14T10:00:00Z";

fn cp3() -> (Framework, &'static str) {
    let b = criteria::builtin("cp3-full-plan").expect("cp3");
    (b.framework().expect("valid"), b.text)
}

fn new_assessment(plan: &Plan) -> Assessment {
    start_as(plan, "cp3-full-plan", "Jane Holt", "Lead assessor", AT)
}

#[test]
fn a_strong_plan_scored_high_reaches_the_best_outcome() {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    score_every(&mut a, &plan, "Jane Holt", 4, AT);
    let e = evaluate(&plan, &f, &a);
    assert_eq!(e.outcome.id, "authorised");
    assert!(!e.outcome.provisional, "{:?}", e.missing);
    assert_eq!(e.overall, Some(100.0));
    assert!(e.gateways_failed.is_empty());
    assert!(e.concerns().next().is_none(), "{:#?}", e.concerns().collect::<Vec<_>>());
    assert!(e.strengths().count() >= 3);
}

#[test]
fn a_weak_plans_checks_raise_concerns_in_words_and_cap_scores() {
    let plan = example_plan("capital-commissioning-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    score_every(&mut a, &plan, "Jane Holt", 4, AT);
    let e = evaluate(&plan, &f, &a);
    let affordability = e.concerns().find(|c| c.metric == "affordability_ratio").expect("affordability concern");
    assert_eq!(
        affordability.explanation,
        "price per head £12.91 is 1.20 times the £10.75 a head the CCGs have budgeted: the offer is dearer than the CCGs have budgeted"
    );
    let md = e.concerns().find(|c| c.metric == "md_appointed").expect("MD concern");
    assert_eq!(md.explanation, "the managing director is not appointed");
    let cf2 = e.criteria.iter().find(|c| c.id == "CF2").expect("CF2");
    assert_eq!((cf2.assessed, cf2.score, cf2.capped_at), (Some(4.0), Some(1.0), Some(1)));
    assert_eq!(cf2.gateway_met, Some(false));
    assert!(e.gateways_failed.contains(&"CF2".to_string()));
    assert_eq!(e.outcome.id, "not-authorised", "a failed gateway means no authorisation whatever the overall");
}

#[test]
fn a_panel_median_is_unmoderated_until_consensus() {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Chair", AT);
    for who in ["Bob", "Cat", "Dev"] {
        apply(&mut a, &plan, "Ann", join(who, "Member"), AT);
    }
    for (who, level) in [("Ann", 2), ("Bob", 3), ("Cat", 4), ("Dev", 4)] {
        score_every(&mut a, &plan, who, 3, AT);
        score(&mut a, &plan, who, "CF1", level, "evidence", AT).expect("scored");
    }
    let e = evaluate(&plan, &f, &a);
    let cf1 = e.criteria.iter().find(|c| c.id == "CF1").expect("CF1");
    assert_eq!(cf1.state, ScoreState::Unmoderated);
    assert_eq!(cf1.assessed, Some(3.5), "median of 2, 3, 4, 4");
    assert!(e.missing.iter().any(|m| m.starts_with("the panel has not agreed a consensus for CF1")), "{:?}", e.missing);

    let agree =
        |rationale: &str| Edit::Consensus { criterion: "cf1".into(), score: Some(3), rationale: rationale.into() };
    let refused = a.apply(&plan, "Ann", &key("Ann"), agree("Signed SLAs confirmed"), AT).expect_err("still scoring");
    assert_eq!(
        refused.to_string(),
        "Ann has not finished scoring, so cannot yet see or record the panel's consensus; finish scoring first"
    );
    apply(&mut a, &plan, "Ann", Edit::FinishScoring, AT);
    let refused =
        a.apply(&plan, "Ann", &key("Ann"), agree("Signed SLAs confirmed"), AT).expect_err("others still scoring");
    assert_eq!(
        refused.to_string(),
        "the panel agrees a consensus once every member has finished scoring; still scoring: Bob, Cat, Dev"
    );
    for who in ["Bob", "Cat", "Dev"] {
        apply(&mut a, &plan, who, Edit::FinishScoring, AT);
    }
    let refused = a.apply(&plan, "Ann", &key("Ann"), agree("Signed SLAs confirmed"), AT).expect_err("spread of 2");
    assert_eq!(
        refused.to_string(),
        "the panel's scores for CF1 are 2 levels apart: record the panel's discussion of it before a consensus"
    );
    let note = "Ann weighed the unsigned SLA; Cat the interviews";
    apply(&mut a, &plan, "Ann", Edit::Discussion { criterion: "CF1".into(), note: note.into() }, AT);
    apply(&mut a, &plan, "Ann", agree("Signed SLAs confirmed by four of six CCGs at interview"), AT);
    let e = evaluate(&plan, &f, &a);
    let cf1 = e.criteria.iter().find(|c| c.id == "CF1").expect("CF1");
    assert_eq!((cf1.state, cf1.assessed), (ScoreState::Consensus, Some(3.0)));
    assert!(cf1.rationale.as_deref().is_some_and(|r| r.starts_with("Signed SLAs")));
}

#[test]
fn what_is_missing_before_a_decision_is_listed() {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).filter(|id| id != "RM3").collect();
    for id in &ids {
        score(&mut a, &plan, "Jane Holt", id, 3, "seen in the plan", AT).expect("scored");
    }
    score(&mut a, &plan, "Jane Holt", "CF1", 2, "", AT).expect("scored");
    let e = evaluate(&plan, &f, &a);
    assert_eq!(e.outcome.id, "authorised-development-plan");
    assert!(e.outcome.provisional);
    assert_eq!(
        e.missing,
        vec![
            "1 of 21 criteria are not scored: RM3".to_string(),
            "scores without evidence: CF1".to_string(),
            "this outcome needs a development plan, and no development action is recorded".to_string(),
            "6 of the plan's 6 CCGs must be interviewed before a decision, and 0 have been: not yet interviewed: \
             Northdale CCG, Riverside CCG, Fellside CCG, Coastal Towns CCG, Moorland CCG and Eastbridge CCG"
                .to_string(),
        ]
    );
    interview_every(&mut a, &plan, "Jane Holt", AT);
    score(&mut a, &plan, "Jane Holt", "RM3", 3, "contingency modelled", AT).expect("scored");
    score(&mut a, &plan, "Jane Holt", "CF1", 2, "only the shadow SLA with Coastal Towns remains unsigned", AT)
        .expect("scored");
    let action = Edit::AddAction {
        action: "Sign the SLA with Eastbridge CCG".into(),
        owner: "Managing director".into(),
        due: chrono::NaiveDate::from_ymd_opt(2013, 3, 31).expect("date"),
        criterion: Some("CF1".into()),
    };
    apply(&mut a, &plan, "Jane Holt", action, AT);
    let e = evaluate(&plan, &f, &a);
    assert!(!e.outcome.provisional, "{:?}", e.missing);
}

#[test]
fn scores_off_the_scale_and_unknown_criteria_are_refused() {
    let plan = example_plan("northern-star-full");
    let mut a = new_assessment(&plan);
    let err = score(&mut a, &plan, "Jane Holt", "CF1", 5, "", AT).expect_err("off scale").to_string();
    assert_eq!(err, "a score of 5 is not on the scale 0-4");
    let err = score(&mut a, &plan, "Jane Holt", "ZZ9", 2, "", AT).expect_err("unknown").to_string();
    assert!(err.starts_with("there is no criterion `ZZ9` in this framework; its criteria are CF1, CF2"), "{err}");
    let blank = Edit::Consensus { criterion: "CF1".into(), score: Some(2), rationale: "  ".into() };
    let err = a.apply(&plan, "Jane Holt", &key("Jane Holt"), blank, AT).expect_err("no rationale").to_string();
    assert!(err.contains("needs a rationale"), "{err}");
    assert!(a.scores.is_empty() && a.consensus.is_empty(), "nothing half-recorded");
    assert_eq!(a.audit.len(), 1, "nothing refused is on the record");
}

#[test]
fn sensitivity_names_the_changes_that_would_flip_the_outcome() {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    score_every(&mut a, &plan, "Jane Holt", 3, AT);
    let e = evaluate(&plan, &f, &a);
    assert_eq!(e.overall, Some(75.0));
    assert_eq!(e.outcome.id, "authorised");
    let lowered: Vec<&Sensitivity> =
        e.sensitivity.iter().filter(|s| matches!(s, Sensitivity::Score { to, from, .. } if to < from)).collect();
    assert_eq!(lowered.len(), 21, "at exactly 75%, lowering any criterion drops the outcome");
    assert!(
        e.sensitivity.iter().any(|s| s.description()
            == "CF1 scored 2 instead of 3 would make the outcome Authorised with a development plan"),
        "{:#?}",
        e.sensitivity
    );
    let gateway_flip = e.sensitivity.iter().any(|s| matches!(s, Sensitivity::Score { criterion, to, outcome, .. } if criterion == "CF1" && *to == 1.0 && outcome == "not-authorised"));
    assert!(!gateway_flip, "only one level is tried");
}

#[test]
fn sensitivity_in_words_reads_one_finding_per_direction_not_one_per_criterion() {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    score_every(&mut a, &plan, "Jane Holt", 3, AT);
    let e = evaluate(&plan, &f, &a);
    let words = csu_assess::scoring::sensitivity::in_words(&f, &e.sensitivity);
    let lowered: Vec<&String> = words.iter().filter(|w| w.contains("one level lower")).collect();
    assert_eq!(lowered.len(), 1, "21 criteria that all tip the same way are one sentence: {words:#?}");
    assert!(
        lowered[0].starts_with("Had any one of CF1, CF2, CF3, CF4, LG1")
            && lowered[0].ends_with(
                "or RM3 been scored one level lower, the outcome would have been Authorised with a development plan."
            ),
        "{}",
        lowered[0]
    );
    assert!(words.len() < e.sensitivity.len(), "{words:#?}");
}

fn all_scored(levels: &[u8]) -> (Plan, Framework, Assessment) {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", AT);
    let ids: Vec<String> = f.criteria().map(|(_, c)| c.id.clone()).collect();
    for (id, level) in ids.iter().zip(levels) {
        score(&mut a, &plan, "Ann", id, *level, "evidence", AT).expect("scored");
    }
    (plan, f, a)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn raising_a_score_never_lowers_the_overall(levels in prop::collection::vec(0u8..=4, 21), which in 0usize..21) {
        let (plan, f, mut a) = all_scored(&levels);
        let before = evaluate(&plan, &f, &a).overall.expect("scored");
        let id = f.criteria().nth(which).map(|(_, c)| c.id.clone()).expect("criterion");
        let raised = (levels[which] + 1).min(4);
        score(&mut a, &plan, "Ann", &id, raised, "evidence", AT).expect("scored");
        let after = evaluate(&plan, &f, &a).overall.expect("scored");
        prop_assert!(after + 1e-9 >= before, "{id}: {before} -> {after}");
    }

    #[test]
    fn weights_only_matter_in_proportion(levels in prop::collection::vec(0u8..=4, 21), factor in 0.1f64..50.0) {
        let (plan, f, a) = all_scored(&levels);
        let base = evaluate(&plan, &f, &a);
        let mut scaled = f.clone();
        for d in &mut scaled.domains {
            d.weight *= factor;
            for c in &mut d.criteria {
                c.weight *= factor * 0.5;
            }
        }
        let other = evaluate(&plan, &scaled, &a);
        prop_assert!((base.overall.expect("o") - other.overall.expect("o")).abs() < 1e-9);
        prop_assert_eq!(base.outcome, other.outcome);
        for (x, y) in base.domains.iter().zip(&other.domains) {
            prop_assert!((x.score.expect("d") - y.score.expect("d")).abs() < 1e-9);
        }
    }
}

#[test]
fn no_outcome_is_given_until_the_scores_decide_it() {
    let plan = example_plan("northern-star-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    score(&mut a, &plan, "Jane Holt", "CF1", 4, "signed SLAs", AT).expect("scored");
    score(&mut a, &plan, "Jane Holt", "CF2", 4, "well priced", AT).expect("scored");
    let e = evaluate(&plan, &f, &a);
    assert!(!e.decided, "2 of 21 scored decides nothing");
    assert_eq!(e.headline(), "not yet decided: 2 of 21 criteria scored");
    score(&mut a, &plan, "Jane Holt", "LG1", 0, "no managing director", AT).expect("scored");
    let e = evaluate(&plan, &f, &a);
    assert!(e.decided, "a failed gateway decides whatever the rest");
    assert!(e.headline().starts_with("Not authorised (already decided with 18 criteria unscored"), "{}", e.headline());
    score_every(&mut a, &plan, "Jane Holt", 4, AT);
    let e = evaluate(&plan, &f, &a);
    assert!(e.decided);
    assert_eq!(e.headline(), "Authorised");
}

/// The weak plan's figures cap CF2 and FV1 below their gateways whatever
/// anyone scores, so its outcome is settled before scoring, and stays so
/// as scores come in (a high score elsewhere does not unsettle it).
#[test]
fn caps_that_put_a_gateway_out_of_reach_settle_the_outcome_from_the_start() {
    let plan = example_plan("capital-commissioning-full");
    let (f, _) = cp3();
    let mut a = new_assessment(&plan);
    let e = evaluate(&plan, &f, &a);
    assert!(e.decided && e.outcome.id == "not-authorised", "{}", e.headline());
    score(&mut a, &plan, "Jane Holt", "CF1", 4, "signed SLAs", AT).expect("scored");
    let e = evaluate(&plan, &f, &a);
    assert!(e.decided && e.outcome.id == "not-authorised", "{}", e.headline());
    assert!(e.headline().contains("out of reach of any score"), "{}", e.headline());
}

/// A check that does not hold says where the figure is ("above 0.0%"),
/// never what it is not ("not equal to 0.0%").
#[test]
fn a_check_that_does_not_hold_says_where_the_figure_is() {
    let plan = example_plan("northern-star-full");
    let a = start_as(&plan, "cp3-full-plan", "Ann", "Lead assessor", "2012-09-01T09:00:00Z");
    let e = csu_assess::scoring::evaluate(&plan, a.framework(), &a);
    let partnered = e
        .checks
        .iter()
        .find(|k| k.metric == "partnered_service_share" && k.holds == Some(false))
        .expect("the check on partnered services does not hold for this plan");
    assert!(partnered.explanation.ends_with("above 0.0%"), "{}", partnered.explanation);
    assert!(e.checks.iter().all(|k| !k.explanation.contains(", not ")), "{:#?}", e.checks);
}
