//! Numbers, money, percentages and dates as CSUs write them.
//!
//! A figure arrives as a number cell, or as text such as `£1,234,567`,
//! `1.2m`, `(1,200)` or ` 45 `; a date as a date cell, an Excel serial number,
//! or `31/08/2012`. Each reader returns a [`Reading`]: a value, a deliberate
//! blank (`-`, `n/a`), or a sentence saying why the cell could not be read,
//! which the caller turns into a finding at that cell.

use super::workbook::CellValue;
use chrono::{Days, NaiveDate};

/// The result of reading one cell as a particular kind of value.
#[derive(Clone, Debug, PartialEq)]
pub enum Reading<T> {
    /// Empty, or written as nothing (`-`, `n/a`).
    Blank,
    Value(T),
    /// The cell holds something that is not this kind of value; the text
    /// completes the sentence "Customers!C7 ...".
    Unreadable(String),
}

impl<T> Reading<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reading<U> {
        match self {
            Reading::Blank => Reading::Blank,
            Reading::Value(v) => Reading::Value(f(v)),
            Reading::Unreadable(m) => Reading::Unreadable(m),
        }
    }
}

/// A number read from a cell, remembering whether it was written with `%`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub percent_sign: bool,
}

fn is_nothing(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "" | "-" | "--" | "–" | "—" | "n/a" | "na" | "n.a." | "none" | "nil" | "tbc" | "tba"
    )
}

/// Messages shared by every reader for cells that hold no usable value.
fn unusable<T>(cell: &CellValue, wanted: &str) -> Reading<T> {
    match cell {
        CellValue::Error(e) => Reading::Unreadable(format!("holds the error {e} instead of {wanted}")),
        CellValue::UncachedFormula(f) => Reading::Unreadable(format!(
            "holds the formula ={f} with no saved result (the workbook was written by a program, not saved by a spreadsheet); ask the CSU for a copy saved by a spreadsheet program"
        )),
        other => Reading::Unreadable(format!("holds \"{}\", which is not {wanted}", other.display())),
    }
}

/// Reads a number, money or percentage figure.
pub fn figure(cell: Option<&CellValue>) -> Reading<Figure> {
    let Some(cell) = cell else {
        return Reading::Blank;
    };
    match cell {
        CellValue::Number(n) if n.is_finite() => Reading::Value(Figure { value: *n, percent_sign: false }),
        CellValue::Text(t) if is_nothing(t) => Reading::Blank,
        CellValue::Text(t) => match parse_figure_text(t) {
            Some(f) => Reading::Value(f),
            None => unusable(cell, "a number"),
        },
        _ => unusable(cell, "a number"),
    }
}

/// Parses `£1,234,567`, `1.2m`, `£3.5bn`, `12k`, `12.5%`, `(1,200)`, `−45`.
fn parse_figure_text(text: &str) -> Option<Figure> {
    let mut s: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '£' | '$' | '€'))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace('\u{2212}', "-");
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.to_string();
    }
    let mut percent_sign = false;
    if let Some(rest) = s.strip_suffix('%') {
        percent_sign = true;
        s = rest.to_string();
    }
    let (digits, scale) = [("million", 1e6), ("bn", 1e9), ("mn", 1e6), ("m", 1e6), ("k", 1e3)]
        .iter()
        .find_map(|(suffix, scale)| s.strip_suffix(suffix).map(|d| (d.to_string(), *scale)))
        .unwrap_or((s.clone(), 1.0));
    if percent_sign && scale != 1.0 {
        return None;
    }
    let digits = digits.trim_start_matches('£');
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    let value = value * scale;
    Some(Figure { value: if negative { -value } else { value }, percent_sign })
}

/// Reads a whole number that cannot be negative (a population, a count of
/// months). A fraction is rounded, with the reason given.
pub fn whole(cell: Option<&CellValue>) -> Reading<(u64, Option<String>)> {
    match figure(cell) {
        Reading::Value(f) if f.percent_sign => Reading::Unreadable(format!(
            "holds \"{}\", a percentage where a whole number belongs",
            cell.map(CellValue::display).unwrap_or_default()
        )),
        Reading::Value(f) if f.value < 0.0 => {
            Reading::Unreadable(format!("holds {}, but this cannot be negative", f.value))
        }
        Reading::Value(f) => {
            let rounded = f.value.round();
            let note = ((f.value - rounded).abs() > 1e-9)
                .then(|| format!("holds {}, read as the whole number {rounded}", f.value));
            Reading::Value((rounded as u64, note))
        }
        Reading::Blank => Reading::Blank,
        Reading::Unreadable(m) => Reading::Unreadable(m.replace("a number", "a whole number")),
    }
}

/// Reads a date: a date cell, an Excel serial number (1900 or 1904 system),
/// or day-first text.
pub fn date(cell: Option<&CellValue>, date_1904: bool) -> Reading<NaiveDate> {
    let Some(cell) = cell else {
        return Reading::Blank;
    };
    match cell {
        CellValue::Date(d) => Reading::Value(*d),
        CellValue::Number(n) => match serial_date(*n, date_1904) {
            Some(d) => Reading::Value(d),
            None => unusable(cell, "a date"),
        },
        CellValue::Text(t) if is_nothing(t) => Reading::Blank,
        CellValue::Text(t) => match parse_date_text(t) {
            Some(d) => Reading::Value(d),
            None => Reading::Unreadable(format!(
                "holds \"{t}\", which is not a date; write it day first, such as 31/08/2012"
            )),
        },
        _ => unusable(cell, "a date"),
    }
}

/// Excel serial day numbers. The 1900 system counts from 30 December 1899
/// (it counts a 29 February 1900 that never was, so serials from 61 on line
/// up); the 1904 system from 1 January 1904. Only years 1990-2100 are
/// plausible for a plan, which also rejects stray small numbers.
fn serial_date(serial: f64, date_1904: bool) -> Option<NaiveDate> {
    if !(1.0..=200_000.0).contains(&serial) {
        return None;
    }
    let base = if date_1904 { NaiveDate::from_ymd_opt(1904, 1, 1)? } else { NaiveDate::from_ymd_opt(1899, 12, 30)? };
    let d = base.checked_add_days(Days::new(serial.trunc() as u64))?;
    (1990..=2100).contains(&chrono::Datelike::year(&d)).then_some(d)
}

fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let cleaned = strip_ordinals(text.trim());
    let t = cleaned.as_str();
    const FORMATS: [&str; 10] = [
        "%d/%m/%Y",
        "%d/%m/%y",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%Y-%m-%d",
        "%d %B %Y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%d-%b-%y",
        "%d %B, %Y",
    ];
    let plausible = |d: &NaiveDate| (1990..=2100).contains(&chrono::Datelike::year(d));
    FORMATS.iter().filter_map(|f| NaiveDate::parse_from_str(t, f).ok()).find(plausible).or_else(|| {
        // A date with a time, as some suites export: take the date.
        t.split([' ', 'T']).next().filter(|head| head.len() < t.len()).and_then(parse_date_text)
    })
}

/// `31st August 2012` -> `31 August 2012`.
fn strip_ordinals(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            match ["st", "nd", "rd", "th"].iter().find_map(|suf| lower.strip_suffix(suf)) {
                Some(num) if !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) => num.to_string(),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of a cell for a free-text field; numbers and dates are written out.
pub fn text(cell: Option<&CellValue>) -> Reading<String> {
    match cell {
        None => Reading::Blank,
        Some(CellValue::Text(t)) if t.trim().is_empty() => Reading::Blank,
        Some(CellValue::Text(t)) => Reading::Value(t.trim().to_string()),
        Some(c @ (CellValue::Error(_) | CellValue::UncachedFormula(_))) => unusable(c, "text"),
        Some(other) => Reading::Value(other.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<f64> {
        match figure(Some(&CellValue::Text(s.into()))) {
            Reading::Value(f) => Some(f.value),
            _ => None,
        }
    }

    #[test]
    fn money_as_text() {
        assert_eq!(num("£1,234,567"), Some(1_234_567.0));
        assert_eq!(num("1.2m"), Some(1_200_000.0));
        assert_eq!(num("£3.5bn"), Some(3_500_000_000.0));
        assert_eq!(num("12k"), Some(12_000.0));
        assert_eq!(num("(1,200)"), Some(-1200.0));
        assert_eq!(num("-£1,200"), Some(-1200.0));
        assert_eq!(num(" 45 "), Some(45.0));
        assert_eq!(num("12.5%"), Some(12.5));
        assert_eq!(num("twelve"), None);
        assert_eq!(num("1.2.3"), None);
    }

    #[test]
    fn nothing_is_blank() {
        for s in ["-", "n/a", "N/A", "  ", "—"] {
            assert_eq!(figure(Some(&CellValue::Text(s.into()))), Reading::Blank, "{s}");
        }
    }

    #[test]
    fn percent_sign_is_remembered() {
        let r = figure(Some(&CellValue::Text("45%".into())));
        assert_eq!(r, Reading::Value(Figure { value: 45.0, percent_sign: true }));
    }

    #[test]
    fn errors_and_uncached_formulas_say_so() {
        let Reading::Unreadable(m) = figure(Some(&CellValue::Error("#REF!".into()))) else { panic!() };
        assert!(m.contains("#REF!"), "{m}");
        let Reading::Unreadable(m) = figure(Some(&CellValue::UncachedFormula("SUM(B2:B4)".into()))) else { panic!() };
        assert!(m.contains("no saved result"), "{m}");
    }

    #[test]
    fn dates_in_every_form() {
        let d = NaiveDate::from_ymd_opt(2012, 8, 31);
        let t = |s: &str| match date(Some(&CellValue::Text(s.into())), false) {
            Reading::Value(v) => Some(v),
            _ => None,
        };
        assert_eq!(t("31/08/2012"), d);
        assert_eq!(t("31-08-2012"), d);
        assert_eq!(t("2012-08-31"), d);
        assert_eq!(t("31 August 2012"), d);
        assert_eq!(t("31st Aug 2012"), d);
        assert_eq!(t("31/08/12"), d);
        assert_eq!(t("2012-08-31 00:00:00"), d);
        assert_eq!(t("08/31/2012"), None);
        let serial = |n: f64, f: bool| match date(Some(&CellValue::Number(n)), f) {
            Reading::Value(v) => Some(v),
            _ => None,
        };
        assert_eq!(serial(41152.0, false), d);
        assert_eq!(serial(41152.0 - 1462.0, true), d);
        assert_eq!(serial(12.0, false), None);
    }

    #[test]
    fn whole_numbers_round_with_a_reason() {
        match whole(Some(&CellValue::Number(1200.4))) {
            Reading::Value((1200, Some(note))) => assert!(note.contains("1200.4")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(whole(Some(&CellValue::Number(-3.0))), Reading::Unreadable(_)));
    }
}
