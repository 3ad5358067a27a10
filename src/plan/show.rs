//! Figures written for people: amounts grouped in thousands, negative
//! amounts in brackets as finance staff write them, counts whole.
//! Messages, the window and the example writer all show them this way.

/// `£1,234,567` or `(£1,200)`.
pub fn fmt_amount(v: f64) -> String {
    let rounded = v.abs().round() as u64;
    let digits = rounded.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if v < 0.0 && rounded > 0 { format!("(£{grouped})") } else { format!("£{grouped}") }
}

/// A count or FTE: `1,000,000`, or `12.5` when not whole.
pub fn fmt_count(v: f64) -> String {
    if v.fract() == 0.0 { fmt_amount(v).replace('£', "") } else { format!("{v}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped() {
        assert_eq!(fmt_amount(1_234_567.4), "£1,234,567");
        assert_eq!(fmt_amount(-1200.0), "(£1,200)");
        assert_eq!(fmt_amount(0.0), "£0");
        assert_eq!(fmt_amount(-0.2), "£0", "what rounds to nothing is not negative");
    }
}
