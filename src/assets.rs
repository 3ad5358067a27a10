//! What the binary carries from `assets/`: the fonts (Liberation Sans, SIL
//! Open Font License) used by the letters and the window alike, and the
//! letterhead logo. Nothing is fetched at run time.

pub const REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");
pub const LOGO_PNG: &[u8] = include_bytes!("../assets/bdu-logo.png");
