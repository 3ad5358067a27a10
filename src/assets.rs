//! What the binary carries from `assets/`: the fonts (Liberation Sans, SIL
//! Open Font License) used by the letters and the window alike, DejaVu Sans
//! (Bitstream Vera licence, public-domain changes) for the characters
//! Liberation Sans lacks, Droid Sans Fallback (Apache-2.0) for Chinese,
//! Japanese and Korean, the letterhead logo, and the window's icon.
//! Nothing is fetched at run time.

pub const REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");
pub const LOGO_PNG: &[u8] = include_bytes!("../assets/bdu-logo.png");
pub const FALLBACK_REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub const FALLBACK_BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
/// Chinese, Japanese and Korean, which neither face above has: Droid Sans
/// Fallback (Apache-2.0), one weight.
pub const CJK_TTF: &[u8] = include_bytes!("../assets/fonts/DroidSansFallback.ttf");
/// The window's icon (X11 and Windows title bars and task switchers; on
/// Wayland the desktop entry's icon is shown instead), drawn from
/// `assets/csu-assess.svg` by `packaging/make-icons.sh`.
#[cfg(feature = "window")]
pub const ICON_PNG: &[u8] = include_bytes!("../assets/icons/csu-assess-128.png");
