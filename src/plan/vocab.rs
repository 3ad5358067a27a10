//! Reading drop-down values as people actually type them.
//!
//! The template offers drop-downs, but CSUs paste over them: `signed sla`,
//! `SLA (signed)`, `inhouse`, `Apointed`. A value is matched first exactly
//! (ignoring case, spaces and punctuation), then by the words that identify
//! it, then by a small spelling slip. Anything but an exact match is reported
//! as a note so the assessor can see what was assumed.

/// A closed set of values with the template's label for each.
pub trait Vocabulary: Copy + 'static {
    const ALL: &'static [Self];
    fn label(self) -> &'static str;
    /// Words that identify the value inside a longer phrase. Words of three
    /// letters or fewer must stand alone (`BI`, `HoT`); longer ones may be
    /// part of a run-together phrase (`inhouse`).
    fn keywords(self) -> &'static [&'static str];
}

/// How a value was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match<T> {
    Exact(T),
    /// Recognised from a keyword or a slip; worth a note.
    Assumed(T),
}

impl<T: Copy> Match<T> {
    pub fn value(self) -> T {
        match self {
            Match::Exact(v) | Match::Assumed(v) => v,
        }
    }
}

/// Lowercase letters and digits only: how headers, labels and choices compare.
pub fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Recognises `raw` as one of `T`'s values, or `None`.
pub fn recognise<T: Vocabulary>(raw: &str) -> Option<Match<T>> {
    // Most cells hold a label exactly as the drop-down wrote it.
    if let Some(v) = T::ALL.iter().find(|v| v.label().eq_ignore_ascii_case(raw.trim())) {
        return Some(Match::Exact(*v));
    }
    let norm = normalize(raw);
    if norm.is_empty() {
        return None;
    }
    if let Some(v) = T::ALL.iter().find(|v| normalize(v.label()) == norm) {
        return Some(Match::Exact(*v));
    }
    let raw_words = words(raw);
    let best = T::ALL
        .iter()
        .flat_map(|v| v.keywords().iter().map(move |k| (*v, *k)))
        .filter(|(_, k)| if k.len() <= 3 { raw_words.iter().any(|w| w == k) } else { norm.contains(k) })
        .max_by_key(|(_, k)| k.len());
    if let Some((v, _)) = best {
        return Some(Match::Assumed(v));
    }
    T::ALL
        .iter()
        .map(|v| (*v, normalize(v.label())))
        .filter(|(_, label)| label.len() >= 6)
        .map(|(v, label)| (v, edit_distance(&norm, &label)))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(v, _)| Match::Assumed(v))
}

/// The labels of `T`, for messages: `None, Heads of terms, Shadow SLA or Signed SLA`.
pub fn choices<T: Vocabulary>() -> String {
    let labels: Vec<&str> = T::ALL.iter().map(|v| v.label()).collect();
    match labels.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::{Agreement, AppointmentStatus, Delivery, FinanceLine, ServiceCategory};

    #[test]
    fn slips_in_agreements_are_recognised() {
        assert_eq!(recognise::<Agreement>("Signed SLA"), Some(Match::Exact(Agreement::SignedSla)));
        assert_eq!(recognise::<Agreement>("signed sla"), Some(Match::Exact(Agreement::SignedSla)));
        assert_eq!(recognise::<Agreement>("SLA (signed)"), Some(Match::Assumed(Agreement::SignedSla)));
        assert_eq!(recognise::<Agreement>("Shadow"), Some(Match::Assumed(Agreement::ShadowSla)));
        assert_eq!(recognise::<Agreement>("HoT"), Some(Match::Assumed(Agreement::HeadsOfTerms)));
        assert_eq!(recognise::<Agreement>("maybe later"), None);
    }

    #[test]
    fn delivery_and_status_slips() {
        assert_eq!(recognise::<Delivery>("inhouse").map(Match::value), Some(Delivery::InHouse));
        assert_eq!(recognise::<Delivery>("In house").map(Match::value), Some(Delivery::InHouse));
        assert_eq!(recognise::<Delivery>("Sub-contract").map(Match::value), Some(Delivery::Subcontract));
        assert_eq!(recognise::<AppointmentStatus>("Apointed"), Some(Match::Assumed(AppointmentStatus::Appointed)));
    }

    #[test]
    fn longest_keyword_wins() {
        assert_eq!(recognise::<FinanceLine>("Non pay costs").map(Match::value), Some(FinanceLine::NonPayCosts));
        assert_eq!(recognise::<FinanceLine>("Pay").map(Match::value), Some(FinanceLine::PayCosts));
        assert_eq!(recognise::<ServiceCategory>("BI").map(Match::value), Some(ServiceCategory::BusinessIntelligence));
        assert_eq!(recognise::<ServiceCategory>("Mobile apps"), None);
    }

    #[test]
    fn choices_read_as_a_list() {
        assert_eq!(choices::<Agreement>(), "None, Heads of terms, Shadow SLA or Signed SLA");
    }
}
