//! Times as people read them. The record keeps UTC (RFC 3339) so copies
//! from laptops in any zone merge in order; people read local time.

/// `2026-11-24T00:13:55Z` as "24 Nov 2026, 00:13" in this computer's zone,
/// or the text as it is when it is not a time.
pub fn local(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}
