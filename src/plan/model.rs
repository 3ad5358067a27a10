//! The plan as the template defines it, one struct per sheet.
//!
//! Every row keeps the workbook row it came from, so an assessor (and a
//! finding) can always point back at the cell a figure was read from. A value
//! the plan left blank or wrote unreadably is `None`; the finding says which.

use super::Finding;
use super::guard::WorkbookFormat;
use super::metrics::Metrics;
use super::vocab::Vocabulary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A CSU's plan workbook, as read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    pub source: Source,
    pub cover: Cover,
    pub customers: Vec<Customer>,
    pub services: Vec<Service>,
    pub finance: Finance,
    pub workforce: Vec<WorkforceRow>,
    pub leadership: Vec<LeadershipRole>,
    pub risks: Vec<Risk>,
    pub narrative: Vec<NarrativeResponse>,
    pub findings: Vec<Finding>,
    pub metrics: Metrics,
    /// The template's sheets this workbook does not have (or could not be
    /// read): every figure worked out from one of them is unknown, never 0.
    #[serde(default)]
    pub absent: Vec<super::TemplateSheet>,
    /// Each template sheet's name as the workbook writes it, for findings
    /// made after reading (what the CCGs said against the plan's cells).
    #[serde(default)]
    pub sheet_names: Vec<(super::TemplateSheet, String)>,
}

impl Plan {
    /// The workbook's name for a template sheet, or the template's own.
    pub fn sheet_name(&self, which: super::TemplateSheet) -> &str {
        self.sheet_names.iter().find(|(s, _)| *s == which).map_or(which.name(), |(_, n)| n.as_str())
    }
}

/// Where the plan came from: what ties an assessment to one exact file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    /// The file's name as the assessor chose it (no directory).
    pub file_name: String,
    pub format: WorkbookFormat,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub fingerprint: String,
    pub bytes: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Cover {
    pub csu_name: String,
    pub host_cluster: Option<String>,
    pub region: Option<Region>,
    pub managing_director: Option<String>,
    pub contact_email: Option<String>,
    pub plan_type: Option<PlanType>,
    pub checkpoint: Option<u8>,
    pub submission_date: Option<NaiveDate>,
    pub plan_version: Option<String>,
}

/// One CCG the CSU plans to serve.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Customer {
    pub row: u32,
    pub ccg: String,
    pub population: Option<u64>,
    pub budget_per_head: Option<f64>,
    /// Fraction between 0 and 1.
    pub share_from_csu: Option<f64>,
    pub agreement: Option<Agreement>,
    pub sla_value: Option<f64>,
    pub break_clause_months: Option<u32>,
    /// Where the agreement and the budget per head were read, so what a
    /// CCG says at interview can be set against the very cell.
    #[serde(default)]
    pub ccg_at: Option<super::CellAt>,
    #[serde(default)]
    pub agreement_at: Option<super::CellAt>,
    #[serde(default)]
    pub budget_at: Option<super::CellAt>,
}

/// One service line of the CSU's offer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Service {
    pub row: u32,
    pub service: String,
    pub category: ServiceCategory,
    pub delivery: Option<Delivery>,
    pub partner: Option<String>,
    pub fte: Option<f64>,
    pub annual_price: Option<f64>,
    #[serde(default)]
    pub category_at: Option<super::CellAt>,
}

/// The finance sheet: each line's value per financial year.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Finance {
    /// Financial years in plan order, written `2013/14`.
    pub years: Vec<String>,
    pub lines: Vec<FinanceRow>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FinanceRow {
    pub row: u32,
    pub line: FinanceLine,
    /// One value a year, aligned with [`Finance::years`].
    pub values: Vec<Option<f64>>,
}

impl Finance {
    /// A line's values, or `None` when the plan has no such line.
    pub fn line(&self, line: FinanceLine) -> Option<&[Option<f64>]> {
        self.lines.iter().find(|r| r.line == line).map(|r| r.values.as_slice())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkforceRow {
    pub row: u32,
    pub function: String,
    pub band: Option<String>,
    pub headcount: Option<f64>,
    pub fte: Option<f64>,
    pub tupe_fte: Option<f64>,
    pub vacancies_fte: Option<f64>,
    pub agency_fte: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeadershipRole {
    pub row: u32,
    pub role: String,
    pub name: Option<String>,
    pub status: Option<AppointmentStatus>,
    pub start_date: Option<NaiveDate>,
    pub background: Option<Background>,
}

impl LeadershipRole {
    /// The managing director's row, however the CSU titled it: the full
    /// plan must have one, and the criteria ask whether it is filled.
    pub fn is_managing_director(&self) -> bool {
        let r = super::vocab::normalize(&self.role);
        r.contains("managingdirector") || r == "md" || r.contains("chiefexecutive")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Risk {
    pub row: u32,
    pub id: Option<String>,
    pub risk: String,
    pub category: Option<RiskCategory>,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    pub mitigation: Option<String>,
    pub owner: Option<String>,
}

impl Risk {
    /// Likelihood times impact, when both are given.
    pub fn rating(&self) -> Option<u8> {
        Some(self.likelihood? * self.impact?)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NarrativeResponse {
    pub row: u32,
    /// The template section this answers, or `None` for a section of the CSU's own.
    pub section: Option<NarrativeSection>,
    pub heading: String,
    pub response: String,
}

/// Declares a closed set of values the template offers in a drop-down, with
/// the label the template writes and the words that identify a slip of it.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal [$($kw:literal),*]),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            fn keywords(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($kw),*]),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary!(
    /// The four NHS regions of 2012.
    Region {
        NorthOfEngland => "North of England" ["north"],
        MidlandsAndEast => "Midlands and East" ["midlands", "east"],
        London => "London" ["london"],
        SouthOfEngland => "South of England" ["south"],
    }
);

vocabulary!(
    /// Which business plan this is: checkpoint 2's outline or checkpoint 3's full plan.
    PlanType {
        Outline => "Outline" ["outline", "obp"],
        Full => "Full" ["full", "fbp"],
    }
);

vocabulary!(
    /// How far a CCG has committed to buying from the CSU, weakest first.
    Agreement {
        None => "None" ["none", "no", "nil", "nothing"],
        HeadsOfTerms => "Heads of terms" ["heads", "hot"],
        ShadowSla => "Shadow SLA" ["shadow"],
        SignedSla => "Signed SLA" ["signed"],
    }
);

impl Agreement {
    /// Shadow or signed: the CCG has committed to the offer.
    pub fn is_committed(self) -> bool {
        matches!(self, Agreement::ShadowSla | Agreement::SignedSla)
    }
}

vocabulary!(
    /// A service's category; the first four are the national scale services.
    ServiceCategory {
        BusinessIntelligence => "Business intelligence" ["intelligence", "bi"],
        HealthcareProcurement => "Healthcare procurement" ["procurement"],
        BusinessSupport => "Business support" ["businesssupport", "corporate"],
        CommunicationsAndEngagement => "Communications and engagement" ["communication", "engagement", "comms"],
        Local => "Local" ["local"],
    }
);

impl ServiceCategory {
    pub const SCALE: [ServiceCategory; 4] = [
        ServiceCategory::BusinessIntelligence,
        ServiceCategory::HealthcareProcurement,
        ServiceCategory::BusinessSupport,
        ServiceCategory::CommunicationsAndEngagement,
    ];

    pub fn is_scale(self) -> bool {
        self != ServiceCategory::Local
    }
}

vocabulary!(
    /// Who delivers a service.
    Delivery {
        InHouse => "In-house" ["inhouse", "internal", "own"],
        Partner => "Partner" ["partner"],
        Subcontract => "Subcontract" ["subcontract", "contract", "outsourced"],
    }
);

vocabulary!(
    /// Whether a senior role is filled.
    AppointmentStatus {
        Appointed => "Appointed" ["appointed", "substantive", "permanent"],
        Interim => "Interim" ["interim", "acting", "temporary"],
        Vacant => "Vacant" ["vacant", "vacancy", "tbc", "recruiting"],
    }
);

vocabulary!(
    /// Where a leader's experience comes from.
    Background {
        Nhs => "NHS" ["nhs"],
        Commercial => "Commercial" ["commercial", "private"],
        Mixed => "Mixed" ["mixed", "both"],
    }
);

vocabulary!(
    /// The risk register's categories.
    RiskCategory {
        Financial => "Financial" ["financ"],
        Commissioning => "Commissioning" ["commission"],
        Workforce => "Workforce" ["workforce", "staff", "hr"],
        Service => "Service" ["service", "delivery"],
        Governance => "Governance" ["governance"],
    }
);

vocabulary!(
    /// The narrative sections the template asks for, in template order.
    NarrativeSection {
        CustomerFocus => "Customer focus" ["customer"],
        Governance => "Governance and arm's-length arrangements" ["governance", "armslength"],
        ServiceOffer => "Service offer and scale services" ["serviceoffer", "scaleservice"],
        FinancialViability => "Financial viability" ["financ"],
        Workforce => "Workforce and organisational development" ["workforce", "organisationaldevelopment"],
        RiskManagement => "Risk management" ["risk"],
        Partnerships => "Partnerships and market development" ["partnership", "market"],
    }
);

impl NarrativeSection {
    /// The sections a plan of this type must answer.
    pub fn required_for(plan_type: Option<PlanType>) -> &'static [NarrativeSection] {
        match plan_type {
            Some(PlanType::Full) => NarrativeSection::ALL,
            _ => &NarrativeSection::ALL[..4],
        }
    }
}

vocabulary!(
    /// The finance sheet's lines.
    FinanceLine {
        IncomeCcgSlas => "Income - CCG SLAs" ["incomeccg", "ccgsla", "slaincome"],
        IncomeOther => "Income - other" ["incomeother", "otherincome"],
        PayCosts => "Pay costs" ["pay"],
        NonPayCosts => "Non-pay costs" ["nonpay"],
        Overheads => "Overheads" ["overhead"],
        TransitionCosts => "Transition costs" ["transition"],
        Surplus => "Surplus / (deficit)" ["surplus", "deficit"],
    }
);

impl FinanceLine {
    pub fn is_income(self) -> bool {
        matches!(self, FinanceLine::IncomeCcgSlas | FinanceLine::IncomeOther)
    }

    pub fn is_cost(self) -> bool {
        matches!(
            self,
            FinanceLine::PayCosts | FinanceLine::NonPayCosts | FinanceLine::Overheads | FinanceLine::TransitionCosts
        )
    }
}
