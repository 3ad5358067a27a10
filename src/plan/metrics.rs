//! The figures criteria refer to by name, derived from a plan.
//!
//! Names and definitions are exactly those of the metrics table in
//! `shared/spec/plan-workbook.md`; criteria files are validated against
//! [`METRICS`], so a criterion can never name a figure that does not exist.
//! A metric that cannot be computed (no CCGs, no income) is `None`, never a
//! made-up zero: an assessor must see that it is missing.

use super::model::*;
use super::vocab::Vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A metric's value: a number, a yes/no, a value a year, or a list of names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetricValue {
    Number(f64),
    Flag(bool),
    PerYear(Vec<Option<f64>>),
    Names(Vec<String>),
}

/// The kinds of value, for criteria validation and display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Count,
    Money,
    /// A fraction between 0 and 1, shown as a percentage.
    Share,
    /// A plain ratio such as 1.32.
    Ratio,
    Flag,
    /// Money a financial year.
    MoneyPerYear,
    /// A share a financial year.
    SharePerYear,
    Names,
}

/// A metric's name, kind and meaning in the BDU's words.
#[derive(Clone, Copy, Debug)]
pub struct MetricInfo {
    pub name: &'static str,
    pub kind: MetricKind,
    pub description: &'static str,
}

const fn m(name: &'static str, kind: MetricKind, description: &'static str) -> MetricInfo {
    MetricInfo { name, kind, description }
}

/// Every metric a plan has, in the order of the spec.
pub const METRICS: &[MetricInfo] = &[
    m("ccg_count", MetricKind::Count, "the number of CCGs"),
    m("population", MetricKind::Count, "the CCGs' registered population"),
    m("committed_population_share", MetricKind::Share, "the share of the population covered by shadow or signed SLAs"),
    m("signed_population_share", MetricKind::Share, "the share of the population covered by signed SLAs"),
    m("sla_value_total", MetricKind::Money, "the total annual value of the SLAs"),
    m("price_per_head", MetricKind::Money, "the price per head of population"),
    m("ccg_budget_per_head", MetricKind::Money, "the CCGs' budget per head"),
    m("affordability_ratio", MetricKind::Ratio, "the price per head as a multiple of the CCGs' budget per head"),
    m("largest_customer_share", MetricKind::Share, "the largest CCG's share of SLA income"),
    m(
        "sla_income_gap",
        MetricKind::Share,
        "the year-1 SLA income in the finance plan above the SLAs listed, as a share of them",
    ),
    m("years", MetricKind::Names, "the financial years of the plan"),
    m("income_total", MetricKind::MoneyPerYear, "income by year"),
    m("cost_total", MetricKind::MoneyPerYear, "pay, non-pay, overheads and transition costs by year"),
    m("surplus_margin", MetricKind::SharePerYear, "the surplus as a share of income, by year"),
    m("min_surplus_margin", MetricKind::Share, "the smallest yearly surplus margin"),
    m("years_in_deficit", MetricKind::Count, "the number of years with costs above income"),
    m("pay_cost_ratio", MetricKind::Share, "year-1 pay as a share of year-1 costs"),
    m("scale_services", MetricKind::Names, "the national scale services offered"),
    m("scale_service_count", MetricKind::Count, "the number of national scale services offered"),
    m("partnered_service_share", MetricKind::Share, "the share of services delivered by a partner or subcontractor"),
    m("fte_total", MetricKind::Count, "the workforce in FTE"),
    m("tupe_share", MetricKind::Share, "the share of FTE transferring from PCTs under TUPE"),
    m("vacancy_rate", MetricKind::Share, "the share of FTE vacant"),
    m("agency_rate", MetricKind::Share, "the share of FTE filled by agency staff"),
    m("leadership_appointed_share", MetricKind::Share, "the share of senior roles substantively appointed"),
    m("md_appointed", MetricKind::Flag, "whether the managing director is appointed"),
    m("risk_count", MetricKind::Count, "the number of risks in the register"),
    m("high_risk_count", MetricKind::Count, "the number of risks scoring 15 or more (likelihood x impact)"),
    m("unmitigated_high_risk_count", MetricKind::Count, "the number of risks scoring 15 or more with no mitigation"),
    m("narrative_sections_answered", MetricKind::Count, "the number of required narrative sections answered"),
    m("ccgs_interviewed", MetricKind::Count, "the number of the plan's CCGs interviewed"),
    m("ccgs_sla_confirmed", MetricKind::Count, "the number of CCGs that confirm their SLA at interview"),
    m("ccgs_sla_confirmed_share", MetricKind::Share, "the share of the population whose CCGs confirm their SLA"),
    m("ccgs_affordable", MetricKind::Count, "the number of CCGs that find the offer affordable"),
    m("ccgs_affordable_share", MetricKind::Share, "the share of the population whose CCGs find the offer affordable"),
    m("ccgs_changing", MetricKind::Count, "the number of CCGs that mean to change CSU after April 2013"),
    m(
        "ccgs_changing_share",
        MetricKind::Share,
        "the share of the population whose CCGs mean to change CSU after April 2013",
    ),
    m("ccgs_confident", MetricKind::Count, "the number of CCGs confident of a constructive relationship"),
    m(
        "ccgs_confident_share",
        MetricKind::Share,
        "the share of the population whose CCGs are confident of a constructive relationship",
    ),
    m(
        "ccgs_set_aside_per_head",
        MetricKind::Money,
        "what the CCGs say they have set aside a head, weighted by population",
    ),
    m(
        "ccgs_contradicted_claims",
        MetricKind::Count,
        "the number of the plan's claims its CCGs denied outright at interview",
    ),
];

/// Whether a metric comes from the CCGs' interviews (on the record), not
/// from the plan: [`crate::ccg::figures`] works these out.
pub fn from_interviews(name: &str) -> bool {
    name.starts_with("ccgs_")
}

/// The template sheet a metric is worked out from, so a figure can say
/// where it comes from and the window can open it.
pub fn source_sheet(name: &str) -> super::TemplateSheet {
    use super::TemplateSheet::*;
    match name {
        "years" | "income_total" | "cost_total" | "surplus_margin" | "min_surplus_margin" | "years_in_deficit"
        | "pay_cost_ratio" | "sla_income_gap" => Finance,
        "scale_services" | "scale_service_count" | "partnered_service_share" => Services,
        "fte_total" | "tupe_share" | "vacancy_rate" | "agency_rate" => Workforce,
        "leadership_appointed_share" | "md_appointed" => Leadership,
        "risk_count" | "high_risk_count" | "unmitigated_high_risk_count" => Risks,
        "narrative_sections_answered" => Narrative,
        _ => Customers,
    }
}

/// Where in the workbook a metric is worked out from: its sheet and the
/// first and last of the rows it reads (0-based, as the model keeps them),
/// or `None` for the rows when the plan has none there.
pub fn source(plan: &Plan, name: &str) -> (super::TemplateSheet, Option<(u32, u32)>) {
    use super::TemplateSheet::*;
    let sheet = source_sheet(name);
    let rows: Vec<u32> = match sheet {
        Customers => plan.customers.iter().map(|c| c.row).collect(),
        Services => plan.services.iter().map(|s| s.row).collect(),
        Finance => plan.finance.lines.iter().map(|l| l.row).collect(),
        Workforce => plan.workforce.iter().map(|w| w.row).collect(),
        Leadership => plan.leadership.iter().map(|l| l.row).collect(),
        Risks => plan.risks.iter().map(|r| r.row).collect(),
        Narrative => plan.narrative.iter().map(|n| n.row).collect(),
        Cover => Vec::new(),
    };
    (sheet, rows.iter().min().copied().zip(rows.iter().max().copied()))
}

/// Looks a metric up by name.
pub fn info(name: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|m| m.name == name)
}

/// A plan's metrics by name; `None` where the plan does not allow the figure.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Metrics(pub BTreeMap<String, Option<MetricValue>>);

impl Metrics {
    pub fn get(&self, name: &str) -> Option<&MetricValue> {
        self.0.get(name).and_then(Option::as_ref)
    }

    /// A metric as one number: counts and flags too (true is 1).
    pub fn number(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            MetricValue::Number(n) => Some(*n),
            MetricValue::Flag(b) => Some(f64::from(u8::from(*b))),
            MetricValue::PerYear(_) | MetricValue::Names(_) => None,
        }
    }
}

/// A metric's value as an assessor reads it: `£9.90`, `84.0%`, `0.86`.
pub fn format_value(kind: MetricKind, value: &MetricValue) -> String {
    let one = |kind: MetricKind, n: f64| match kind {
        MetricKind::Money | MetricKind::MoneyPerYear if n.abs() < 1_000.0 => format!("£{n:.2}"),
        MetricKind::Money | MetricKind::MoneyPerYear => super::fmt_amount(n),
        MetricKind::Share | MetricKind::SharePerYear => format!("{:.1}%", n * 100.0),
        MetricKind::Ratio => format!("{n:.2}"),
        MetricKind::Count if n.fract() == 0.0 => super::fmt_count(n),
        _ => format!("{n:.1}"),
    };
    // A value that rounds to zero is zero, whatever its sign.
    let shown = |kind: MetricKind, n: f64| {
        let text = one(kind, n);
        match text.strip_prefix('-') {
            Some(rest) if !rest.chars().any(|c| c.is_ascii_digit() && c != '0') => rest.to_string(),
            _ => text,
        }
    };
    match value {
        MetricValue::Number(n) => shown(kind, *n),
        MetricValue::Flag(b) => if *b { "yes" } else { "no" }.into(),
        MetricValue::PerYear(v) => {
            v.iter().map(|x| x.map_or_else(|| "-".to_string(), |n| shown(kind, n))).collect::<Vec<_>>().join(", ")
        }
        MetricValue::Names(v) if v.is_empty() => "none".into(),
        MetricValue::Names(v) => v.join(", "),
    }
}

/// `-0.0` (a share of nothing, a negated zero) as `0.0`, so no table or
/// JSON ever shows "-0.0%".
fn positive_zero(v: MetricValue) -> MetricValue {
    let zero = |n: f64| if n == 0.0 { 0.0 } else { n };
    match v {
        MetricValue::Number(n) => MetricValue::Number(zero(n)),
        MetricValue::PerYear(v) => MetricValue::PerYear(v.into_iter().map(|x| x.map(zero)).collect()),
        other => other,
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0 && a.is_finite() && b.is_finite()).then(|| a / b)
}

fn num(v: Option<f64>) -> Option<MetricValue> {
    v.filter(|x| x.is_finite()).map(MetricValue::Number)
}

fn count(n: usize) -> Option<MetricValue> {
    Some(MetricValue::Number(n as f64))
}

/// Derives every metric of [`METRICS`] from a plan's sheets.
pub fn compute(plan: &Plan) -> Metrics {
    let Plan { customers, services, finance, workforce, leadership, risks, narrative, .. } = plan;
    let plan_type = plan.cover.plan_type;
    let mut out = BTreeMap::new();
    let mut set = |name: &str, v: Option<MetricValue>| {
        debug_assert!(info(name).is_some(), "{name} is not in METRICS");
        out.insert(name.to_string(), v.map(positive_zero));
    };

    let pop = |c: &Customer| c.population.unwrap_or(0) as f64;
    let population: f64 = customers.iter().map(pop).sum();
    let pop_where = |f: &dyn Fn(&Customer) -> bool| -> f64 { customers.iter().filter(|c| f(c)).map(pop).sum() };
    set("ccg_count", count(customers.len()));
    set("population", num(Some(population)));
    set(
        "committed_population_share",
        num(ratio(pop_where(&|c| c.agreement.is_some_and(Agreement::is_committed)), population)),
    );
    set("signed_population_share", num(ratio(pop_where(&|c| c.agreement == Some(Agreement::SignedSla)), population)));
    let sla_total: f64 = customers.iter().filter_map(|c| c.sla_value).sum();
    let has_sla = customers.iter().any(|c| c.sla_value.is_some());
    set("sla_value_total", if has_sla { num(Some(sla_total)) } else { None });
    let price_per_head = if has_sla { ratio(sla_total, population) } else { None };
    set("price_per_head", num(price_per_head));
    let budgeted: Vec<(f64, f64)> =
        customers.iter().filter_map(|c| Some((c.budget_per_head?, c.population? as f64))).collect();
    let budget_per_head = ratio(budgeted.iter().map(|(b, p)| b * p).sum(), budgeted.iter().map(|(_, p)| p).sum());
    set("ccg_budget_per_head", num(budget_per_head));
    set("affordability_ratio", num(price_per_head.zip(budget_per_head).and_then(|(p, b)| ratio(p, b))));
    let largest =
        customers.iter().filter_map(|c| c.sla_value).fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    set("largest_customer_share", num(largest.and_then(|l| ratio(l, sla_total))));

    let year_sum = |pred: fn(FinanceLine) -> bool, y: usize| -> Option<f64> {
        let vals: Vec<f64> =
            finance.lines.iter().filter(|l| pred(l.line)).filter_map(|l| l.values.get(y).copied().flatten()).collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let n_years = finance.years.len();
    let income: Vec<Option<f64>> = (0..n_years).map(|y| year_sum(FinanceLine::is_income, y)).collect();
    let cost: Vec<Option<f64>> = (0..n_years).map(|y| year_sum(FinanceLine::is_cost, y)).collect();
    let margin: Vec<Option<f64>> =
        income.iter().zip(&cost).map(|(i, c)| ratio(i.unwrap_or(0.0) - c.unwrap_or(0.0), (*i)?)).collect();
    let year1_sla_income = finance.line(FinanceLine::IncomeCcgSlas).and_then(|v| v.first().copied().flatten());
    set(
        "sla_income_gap",
        num(year1_sla_income.and_then(|i| if has_sla { ratio(i - sla_total, sla_total) } else { None })),
    );
    set("years", Some(MetricValue::Names(finance.years.clone())));
    set("income_total", Some(MetricValue::PerYear(income.clone())));
    set("cost_total", Some(MetricValue::PerYear(cost.clone())));
    set("surplus_margin", Some(MetricValue::PerYear(margin.clone())));
    set(
        "min_surplus_margin",
        num(margin.iter().flatten().copied().fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))))),
    );
    let in_deficit = income
        .iter()
        .zip(&cost)
        .filter(|(i, c)| (i.is_some() || c.is_some()) && i.unwrap_or(0.0) < c.unwrap_or(0.0))
        .count();
    set("years_in_deficit", if n_years > 0 { count(in_deficit) } else { None });
    let year1_pay = finance.line(FinanceLine::PayCosts).and_then(|v| v.first().copied().flatten());
    set("pay_cost_ratio", num(year1_pay.zip(cost.first().copied().flatten()).and_then(|(p, c)| ratio(p, c))));

    let scale: Vec<String> = ServiceCategory::SCALE
        .iter()
        .filter(|cat| services.iter().any(|s| s.category == **cat))
        .map(|cat| cat.label().to_string())
        .collect();
    set("scale_service_count", count(scale.len()));
    set("scale_services", Some(MetricValue::Names(scale)));
    let partnered =
        services.iter().filter(|s| matches!(s.delivery, Some(Delivery::Partner | Delivery::Subcontract))).count();
    set("partnered_service_share", num(ratio(partnered as f64, services.len() as f64)));

    let fte_sum = |f: fn(&WorkforceRow) -> Option<f64>| -> f64 { workforce.iter().filter_map(f).sum() };
    let fte_total = fte_sum(|w| w.fte);
    let has_workforce = !workforce.is_empty();
    set("fte_total", if has_workforce { num(Some(fte_total)) } else { None });
    set("tupe_share", num(ratio(fte_sum(|w| w.tupe_fte), fte_total)));
    set("vacancy_rate", num(ratio(fte_sum(|w| w.vacancies_fte), fte_total)));
    set("agency_rate", num(ratio(fte_sum(|w| w.agency_fte), fte_total)));

    let appointed = leadership.iter().filter(|r| r.status == Some(AppointmentStatus::Appointed)).count();
    set("leadership_appointed_share", num(ratio(appointed as f64, leadership.len() as f64)));
    let md_appointed =
        leadership.iter().any(|r| r.is_managing_director() && r.status == Some(AppointmentStatus::Appointed));
    set("md_appointed", (!leadership.is_empty()).then_some(MetricValue::Flag(md_appointed)));

    let high: Vec<&Risk> = risks.iter().filter(|r| r.rating().is_some_and(|s| s >= 15)).collect();
    set("risk_count", count(risks.len()));
    set("high_risk_count", count(high.len()));
    set(
        "unmitigated_high_risk_count",
        count(high.iter().filter(|r| r.mitigation.as_deref().is_none_or(|m| m.trim().is_empty())).count()),
    );
    let answered = NarrativeSection::required_for(plan_type)
        .iter()
        .filter(|s| narrative.iter().any(|r| r.section == Some(**s) && !r.response.trim().is_empty()))
        .count();
    set("narrative_sections_answered", count(answered));
    // A figure from a sheet the workbook does not have is unknown: an
    // absent risk register is not an empty one.
    for (name, value) in out.iter_mut() {
        if plan.absent.contains(&source_sheet(name)) {
            *value = None;
        }
    }
    Metrics(out)
}

/// What a plan without `sheet` cannot tell: the figures worked out from
/// it, in words.
pub fn unknown_without(sheet: super::TemplateSheet) -> Vec<&'static str> {
    METRICS.iter().filter(|m| source_sheet(m.name) == sheet).map(|m| m.description).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_never_shown_negative() {
        assert_eq!(format_value(MetricKind::Share, &MetricValue::Number(-0.0)), "0.0%");
        assert_eq!(format_value(MetricKind::Share, &MetricValue::Number(-0.00001)), "0.0%");
        assert_eq!(format_value(MetricKind::Share, &MetricValue::Number(-0.012)), "-1.2%");
        assert!(matches!(positive_zero(MetricValue::Number(-0.0)), MetricValue::Number(n) if n.is_sign_positive()));
    }
}
