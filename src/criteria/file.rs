//! The criteria file as written: serde shapes with source spans, so every
//! problem found later can be reported at its `line:column`.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub framework: Header,
    pub scale: Spanned<ScaleFile>,
    #[serde(default)]
    pub outcomes: Vec<Spanned<OutcomeFile>>,
    #[serde(default)]
    pub domains: Vec<Spanned<DomainFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub id: Spanned<String>,
    pub title: String,
    pub checkpoint: Spanned<i64>,
    #[serde(default)]
    pub plan_type: Option<Spanned<String>>,
    pub version: String,
    /// Whether a development action agreed at the checkpoint before and
    /// found not met fails the plan, as a gateway does.
    #[serde(default)]
    pub unmet_action_fails: bool,
    /// How many of the plan's CCGs must be interviewed before a decision:
    /// `"all"` or a number.
    #[serde(default)]
    pub ccg_interviews: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleFile {
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// The level at which a criterion is met.
    #[serde(default)]
    pub meets: Option<Spanned<i64>>,
    pub descriptors: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeFile {
    pub id: Spanned<String>,
    pub label: String,
    pub min: Spanned<f64>,
    pub max: Spanned<f64>,
    #[serde(default)]
    pub requires_all_gateways: bool,
    #[serde(default)]
    pub requires_development_plan: bool,
    #[serde(default)]
    pub min_domain_score: Option<Spanned<f64>>,
    #[serde(default)]
    pub meaning: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainFile {
    pub id: Spanned<String>,
    pub title: String,
    pub weight: Spanned<f64>,
    #[serde(default)]
    pub criteria: Vec<Spanned<CriterionFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionFile {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub guidance: String,
    pub weight: Spanned<f64>,
    #[serde(default)]
    pub gateway: Option<Spanned<i64>>,
    pub descriptors: Spanned<Vec<String>>,
    #[serde(default)]
    pub evidence: EvidenceFile,
    #[serde(default)]
    pub checks: Vec<Spanned<CheckFile>>,
    #[serde(default)]
    pub actions: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub leaders_interview: String,
    #[serde(default)]
    pub ccg_interviews: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    pub metric: Spanned<String>,
    pub comparison: Spanned<String>,
    pub threshold: Spanned<f64>,
    pub effect: Spanned<String>,
    #[serde(default)]
    pub cap: Option<Spanned<i64>>,
    pub meaning: String,
    #[serde(default)]
    pub explain: Option<Spanned<String>>,
}
