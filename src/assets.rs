//! What the binary carries from `assets/`: the fonts (Liberation Sans, SIL
//! Open Font License) used by the letters and the window alike, DejaVu Sans
//! (Bitstream Vera licence, public-domain changes) for the characters
//! Liberation Sans lacks, and the letterhead logo. Nothing is fetched at
//! run time.

pub const REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");
pub const LOGO_PNG: &[u8] = include_bytes!("../assets/bdu-logo.png");
pub const FALLBACK_REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub const FALLBACK_BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
