//! The plan template: its sheets, the columns of each, the cover's labels
//! and how financial years are headed (`shared/spec/plan-workbook.md`).
//!
//! The reader, the template and example writer, and the window's tabs and
//! table headings all take them from here, so a column the BDU renames, or
//! a spelling CSUs turn out to use, is changed once.

use super::model::PlanType;
use super::vocab::normalize;
use serde::{Deserialize, Serialize};

/// The template's sheets, in the template's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TemplateSheet {
    Cover,
    Customers,
    Services,
    Finance,
    Workforce,
    Leadership,
    Risks,
    Narrative,
}

impl TemplateSheet {
    pub const ALL: [TemplateSheet; 8] = [
        TemplateSheet::Cover,
        TemplateSheet::Customers,
        TemplateSheet::Services,
        TemplateSheet::Finance,
        TemplateSheet::Workforce,
        TemplateSheet::Leadership,
        TemplateSheet::Risks,
        TemplateSheet::Narrative,
    ];

    /// The sheets that hold the plan's data, every one but the cover.
    pub const DATA: [TemplateSheet; 7] = [
        TemplateSheet::Customers,
        TemplateSheet::Services,
        TemplateSheet::Finance,
        TemplateSheet::Workforce,
        TemplateSheet::Leadership,
        TemplateSheet::Risks,
        TemplateSheet::Narrative,
    ];

    /// The name the template gives the sheet, and messages use.
    pub fn name(self) -> &'static str {
        match self {
            TemplateSheet::Cover => "Cover",
            TemplateSheet::Customers => "Customers",
            TemplateSheet::Services => "Services",
            TemplateSheet::Finance => "Finance",
            TemplateSheet::Workforce => "Workforce",
            TemplateSheet::Leadership => "Leadership",
            TemplateSheet::Risks => "Risks",
            TemplateSheet::Narrative => "Narrative",
        }
    }

    /// The template sheet a workbook's sheet stands for: `3. finance` and
    /// `Finance` are the same sheet.
    pub fn matching(written: &str) -> Option<TemplateSheet> {
        let key = sheet_key(written);
        TemplateSheet::ALL.into_iter().find(|s| normalize(s.name()) == key)
    }

    /// Whether a plan of this type must have the sheet: workforce,
    /// leadership and risks come with the full plan at checkpoint 3.
    pub fn required(self, plan_type: Option<PlanType>) -> bool {
        match self {
            TemplateSheet::Workforce | TemplateSheet::Leadership | TemplateSheet::Risks => {
                plan_type == Some(PlanType::Full)
            }
            _ => true,
        }
    }

    /// The columns of a sheet laid out as a table; the cover and finance
    /// sheets are not tables (labels beside values, lines by year).
    pub fn columns(self) -> &'static [Column] {
        match self {
            TemplateSheet::Customers => &CUSTOMERS,
            TemplateSheet::Services => &SERVICES,
            TemplateSheet::Workforce => &WORKFORCE,
            TemplateSheet::Leadership => &LEADERSHIP,
            TemplateSheet::Risks => &RISKS,
            TemplateSheet::Narrative => &NARRATIVE,
            TemplateSheet::Cover | TemplateSheet::Finance => &[],
        }
    }
}

/// What a column holds, which decides how it is read and shown (figures
/// line up on the right).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// One of a drop-down's values.
    Choice,
    Number,
    Money,
    /// A percentage, written `45%`, `45` or `0.45`.
    Share,
    Date,
}

impl ColumnKind {
    pub fn is_figure(self) -> bool {
        matches!(self, ColumnKind::Number | ColumnKind::Money | ColumnKind::Share)
    }
}

/// A column the template defines.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The template's header, as written in the template and in messages.
    pub header: &'static str,
    /// Other headers CSUs use for the same column.
    pub aliases: &'static [&'static str],
    /// Whether the header row must hold this column.
    pub required: bool,
    pub kind: ColumnKind,
    /// The heading where space is short (the window's tables).
    pub short: &'static str,
}

impl Column {
    /// Whether a header as written names this column.
    pub fn accepts(&self, written: &str) -> bool {
        let key = header_key(written);
        !key.is_empty() && (header_key(self.header) == key || self.aliases.iter().any(|a| header_key(a) == key))
    }
}

const fn required(
    header: &'static str,
    short: &'static str,
    kind: ColumnKind,
    aliases: &'static [&'static str],
) -> Column {
    Column { header, aliases, required: true, kind, short }
}

const fn optional(
    header: &'static str,
    short: &'static str,
    kind: ColumnKind,
    aliases: &'static [&'static str],
) -> Column {
    Column { header, aliases, required: false, kind, short }
}

use ColumnKind::{Choice, Date, Money, Number, Share, Text};

pub const CUSTOMERS: [Column; 7] = [
    required("CCG", "CCG", Text, &["CCG name", "Clinical commissioning group", "Customer"]),
    required("Registered population", "Population", Number, &["Population", "List size", "Registered list"]),
    optional("Budget per head (£)", "Budget/head", Money, &["Budget per head", "Budget £ per head", "Budget/head"]),
    optional("Share from CSU (%)", "Share", Share, &["Share from CSU", "Share", "Share of support from CSU"]),
    optional("Agreement", "Agreement", Choice, &["Agreement status", "SLA status", "Status"]),
    optional("SLA value (£)", "SLA value", Money, &["SLA value", "Contract value", "Annual SLA value"]),
    optional("Break clause (months)", "Break (months)", Number, &["Break clause", "Break"]),
];

pub const SERVICES: [Column; 6] = [
    required("Service", "Service", Text, &["Service line", "Service name"]),
    optional("Category", "Category", Choice, &["Service category", "Scale service"]),
    optional("Delivery", "Delivery", Choice, &["Delivery model", "Delivered by"]),
    optional("Partner", "Partner", Text, &["Partner organisation", "Delivery partner"]),
    optional("FTE", "FTE", Number, &["Staff FTE", "WTE"]),
    optional("Annual price (£)", "Annual price", Money, &["Annual price", "Price", "Price per year"]),
];

pub const WORKFORCE: [Column; 7] = [
    required("Function", "Function", Text, &["Service function", "Team", "Directorate"]),
    optional("Band", "Band", Text, &["AfC band", "Pay band", "Grade"]),
    optional("Headcount", "Headcount", Number, &["Head count", "Staff"]),
    required("FTE", "FTE", Number, &["WTE", "Whole time equivalent"]),
    optional("TUPE from PCT (FTE)", "TUPE", Number, &["TUPE from PCT", "TUPE", "TUPE FTE"]),
    optional("Vacancies (FTE)", "Vacancies", Number, &["Vacancies", "Vacant FTE"]),
    optional("Agency (FTE)", "Agency", Number, &["Agency", "Agency staff", "Interim/agency"]),
];

pub const LEADERSHIP: [Column; 5] = [
    required("Role", "Role", Text, &["Position", "Post", "Job title"]),
    optional("Name", "Name", Text, &["Post holder", "Person"]),
    required("Status", "Status", Choice, &["Appointment status", "Appointed"]),
    optional("Start date", "Start date", Date, &["Start", "Date started", "Date appointed"]),
    optional("Background", "Background", Choice, &["Experience", "Sector"]),
];

pub const RISKS: [Column; 7] = [
    optional("ID", "ID", Text, &["Risk ID", "Ref", "Reference", "No"]),
    required("Risk", "Risk", Text, &["Risk description", "Description"]),
    optional("Category", "Category", Choice, &["Risk category", "Type"]),
    required("Likelihood (1-5)", "L", Number, &["Likelihood", "Probability", "L"]),
    required("Impact (1-5)", "I", Number, &["Impact", "Consequence", "I"]),
    optional("Mitigation", "Mitigation", Text, &["Mitigating actions", "Controls", "Action"]),
    optional("Owner", "Owner", Text, &["Risk owner", "Lead"]),
];

pub const NARRATIVE: [Column; 2] = [
    required("Section", "Section", Text, &["Heading", "Topic", "Question"]),
    required("Response", "Response", Text, &["Answer", "Narrative", "Text"]),
];

/// A header compared without case, spacing, punctuation or a trailing
/// parenthesised unit: `Budget per head (£)` and `budget per head` agree.
pub fn header_key(written: &str) -> String {
    let trimmed = written.trim();
    let without_unit = match (trimmed.rfind('('), trimmed.ends_with(')')) {
        (Some(open), true) if open > 0 => &trimmed[..open],
        _ => trimmed,
    };
    normalize(without_unit)
}

/// Sheet names compare like headers, and also ignore a leading number such
/// as `1. Cover` or `01 - Cover`.
pub fn sheet_key(name: &str) -> String {
    let trimmed = name.trim();
    let without_number = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if without_number.len() < trimmed.len() {
        without_number.trim_start_matches(|c: char| !c.is_alphanumeric())
    } else {
        trimmed
    };
    normalize(rest)
}

/// The header above the finance sheet's line names.
pub const FINANCE_LINE_HEADER: &str = "Line";

/// The cover's rows: a label, and the value beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverField {
    CsuName,
    HostCluster,
    Region,
    ManagingDirector,
    ContactEmail,
    PlanType,
    Checkpoint,
    SubmissionDate,
    PlanVersion,
}

impl CoverField {
    pub const ALL: [CoverField; 9] = [
        CoverField::CsuName,
        CoverField::HostCluster,
        CoverField::Region,
        CoverField::ManagingDirector,
        CoverField::ContactEmail,
        CoverField::PlanType,
        CoverField::Checkpoint,
        CoverField::SubmissionDate,
        CoverField::PlanVersion,
    ];

    /// The template's label.
    pub fn label(self) -> &'static str {
        match self {
            CoverField::CsuName => "CSU name",
            CoverField::HostCluster => "Host cluster",
            CoverField::Region => "Region",
            CoverField::ManagingDirector => "Managing director",
            CoverField::ContactEmail => "Contact email",
            CoverField::PlanType => "Plan type",
            CoverField::Checkpoint => "Checkpoint",
            CoverField::SubmissionDate => "Submission date",
            CoverField::PlanVersion => "Plan version",
        }
    }

    /// Other ways CSUs write the label.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            CoverField::CsuName => {
                &["Name of CSU", "CSU", "Commissioning support unit", "Name of commissioning support unit"]
            }
            CoverField::HostCluster => &["Host", "PCT cluster", "Hosting cluster"],
            CoverField::Region => &["SHA region", "NHS region"],
            CoverField::ManagingDirector => &["MD", "Managing director name"],
            CoverField::ContactEmail => &["Email", "E-mail", "Contact e-mail"],
            CoverField::PlanType => &["Type of plan", "Business plan type"],
            CoverField::Checkpoint => &["Checkpoint number", "Review checkpoint"],
            CoverField::SubmissionDate => &["Date of submission", "Date submitted", "Date"],
            CoverField::PlanVersion => &["Version"],
        }
    }

    /// Whether a blank or missing value is an error: without a name or a
    /// plan type there is nothing to assess against.
    pub fn required(self) -> bool {
        matches!(self, CoverField::CsuName | CoverField::PlanType)
    }
}

/// How the template heads a financial year: 2013 is `2013/14`.
pub fn year_label(first: i32) -> String {
    format!("{first}/{:02}", (first + 1) % 100)
}

/// Parses `2013/14`, `2013-14`, `13/14`, `FY2013/14`, `2013/2014` to the first year.
pub fn parse_year(text: &str) -> Option<i32> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.strip_prefix("FY").unwrap_or(&t).trim();
    let (a, b) = t.split_once(['/', '-', '–'])?;
    let (a, b) = (a.trim(), b.trim());
    if !a.chars().all(|c| c.is_ascii_digit()) || !b.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let first: i32 = match a.len() {
        4 => a.parse().ok()?,
        2 => 2000 + a.parse::<i32>().ok()?,
        _ => return None,
    };
    let second: i32 = match b.len() {
        4 => b.parse().ok()?,
        2 => (first / 100) * 100 + b.parse::<i32>().ok()?,
        _ => return None,
    };
    (second == first + 1 && (1990..=2100).contains(&first)).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_every_spelling() {
        for s in ["2013/14", "2013-14", "13/14", "FY2013/14", "fy 2013/14", "2013/2014"] {
            assert_eq!(parse_year(s), Some(2013), "{s}");
        }
        assert_eq!(parse_year("2013/15"), None);
        assert_eq!(parse_year("Line"), None);
        assert_eq!(year_label(2013), "2013/14");
        assert_eq!(year_label(2099), "2099/00");
    }

    #[test]
    fn sheets_match_however_numbered() {
        assert_eq!(TemplateSheet::matching("3. finance"), Some(TemplateSheet::Finance));
        assert_eq!(TemplateSheet::matching("Budget"), None);
    }

    #[test]
    fn headers_ignore_case_spacing_and_units() {
        assert_eq!(header_key("Budget per head (£)"), header_key("budget  per head"));
        assert_eq!(header_key("Share from CSU (%)"), header_key("SHARE FROM CSU"));
        assert_eq!(header_key("Break clause (months)"), header_key("Break-clause"));
    }

    #[test]
    fn sheet_names_ignore_leading_numbers() {
        assert_eq!(sheet_key("1. Cover"), "cover");
        assert_eq!(sheet_key("01 - Cover "), "cover");
        assert_eq!(sheet_key(" COVER"), "cover");
        assert_eq!(sheet_key("3) Services"), "services");
    }
}
