//! What text a person gives may hold.
//!
//! Names, roles and questions are printed on one line in the trail, the
//! letter and the terminal: a control character, a line or paragraph
//! separator or a direction override in one would let it write lines of
//! its own, or show as another name. Notes and accounts keep their lines.

/// A character that breaks a line or reorders text on screen without being
/// a control character: a line or paragraph separator, a direction mark,
/// override or isolate.
pub fn changes_layout(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a text is one line: no control character, nothing that breaks
/// or reorders it.
pub fn is_one_line(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() || changes_layout(c))
}
