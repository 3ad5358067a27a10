//! The window's colours, light and dark, at WCAG 2.1 AA contrast: 4.5:1
//! for text (greyed-out and hint text included) and 3:1 for the outlines
//! of controls, against every background they are drawn on. egui's own
//! themes fall short (hint text 2.96:1, links 2.89:1, text boxes 1.06:1
//! against the panel), so [`visuals`] adjusts them, and the program's own
//! colours (a concern in red, a strength in green, a caution in amber) are
//! chosen per theme here rather than written into each page.
//! [`contrast_pairs`] lists every pair drawn, for the test that checks them.

use eframe::egui::{self, Color32, Stroke, Visuals};

/// The program's own colours for one theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// A concern, a failed gateway, an error.
    pub concern: Color32,
    /// A strength, a check that passed.
    pub good: Color32,
    /// Something to attend to before a letter can go.
    pub caution: Color32,
    /// The NHS blue of charts and their labels.
    pub accent: Color32,
}

pub fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            concern: Color32::from_rgb(255, 120, 110),
            good: Color32::from_rgb(90, 200, 120),
            caution: Color32::from_rgb(255, 175, 70),
            accent: Color32::from_rgb(110, 170, 255),
        }
    } else {
        Palette {
            concern: Color32::from_rgb(180, 30, 20),
            good: Color32::from_rgb(0, 110, 50),
            caution: Color32::from_rgb(150, 80, 0),
            accent: Color32::from_rgb(0, 94, 184),
        }
    }
}

/// The palette of the theme a widget is drawn in.
pub fn of(ui: &egui::Ui) -> Palette {
    palette(ui.visuals().dark_mode)
}

/// egui's theme, adjusted to AA contrast.
pub fn visuals(dark: bool) -> Visuals {
    let mut v = if dark { Visuals::dark() } else { Visuals::light() };
    let (text, weak, outline) = if dark {
        (Color32::from_gray(210), Color32::from_gray(175), Color32::from_gray(120))
    } else {
        (Color32::from_gray(30), Color32::from_gray(66), Color32::from_gray(110))
    };
    v.widgets.noninteractive.fg_stroke.color = text;
    v.weak_text_color = Some(weak);
    // Greyed-out controls stay readable at 4.5:1 yet look greyed out (at
    // 0.85 a greyed-out Sign off looked like a live one); why they are
    // greyed out is said on hover.
    v.disabled_alpha = 0.75;
    v.hyperlink_color = if dark { Color32::from_rgb(120, 185, 255) } else { Color32::from_rgb(0, 84, 170) };
    v.warn_fg_color = palette(dark).caution;
    v.error_fg_color = palette(dark).concern;
    // Text boxes, radio circles and buttons outlined against the panel.
    for w in [&mut v.widgets.inactive, &mut v.widgets.hovered, &mut v.widgets.active] {
        w.bg_stroke = Stroke::new(w.bg_stroke.width.max(1.0), outline);
    }
    v.widgets.inactive.fg_stroke.color = text;
    v
}

/// Puts the adjusted themes in place.
pub fn install(ctx: &egui::Context) {
    ctx.set_visuals_of(egui::Theme::Light, visuals(false));
    ctx.set_visuals_of(egui::Theme::Dark, visuals(true));
}

/// WCAG 2.1 relative luminance of an sRGB colour.
fn luminance(c: Color32) -> f32 {
    let channel = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// WCAG 2.1 contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A colour drawn with `alpha` over `background`, as a greyed-out control is.
fn over(color: Color32, alpha: f32, background: Color32) -> Color32 {
    let mix = |c: u8, b: u8| (f32::from(c) * alpha + f32::from(b) * (1.0 - alpha)).round() as u8;
    Color32::from_rgb(mix(color.r(), background.r()), mix(color.g(), background.g()), mix(color.b(), background.b()))
}

/// A striped row's background: egui adds the faint colour's light to the
/// panel's.
fn striped(v: &Visuals) -> Color32 {
    let f = v.faint_bg_color;
    if f.a() == 0 {
        let add = |a: u8, b: u8| a.saturating_add(b);
        Color32::from_rgb(add(v.panel_fill.r(), f.r()), add(v.panel_fill.g(), f.g()), add(v.panel_fill.b(), f.b()))
    } else {
        over(Color32::from_rgb(f.r(), f.g(), f.b()), f32::from(f.a()) / 255.0, v.panel_fill)
    }
}

/// One colour drawn on another, and the ratio it needs.
#[derive(Clone, Debug)]
pub struct Pair {
    pub what: String,
    pub fg: Color32,
    pub bg: Color32,
    pub needed: f32,
}

/// Every pair of colours the window draws with these visuals: text (plain,
/// weak, greyed out, links, warnings, the palette, selected) on each
/// background it appears on (the panel, windows, striped rows, text boxes,
/// buttons), and the outlines of controls against the panel and windows.
pub fn contrast_pairs(v: &Visuals) -> Vec<Pair> {
    let p = palette(v.dark_mode);
    let backgrounds = [
        ("the panel", v.panel_fill),
        ("a window", v.window_fill),
        ("a striped row", striped(v)),
        ("a text box", v.text_edit_bg_color()),
    ];
    let texts = [
        ("text", v.text_color()),
        ("weak and hint text", v.weak_text_color()),
        ("greyed-out text", over(v.text_color(), v.disabled_alpha, v.panel_fill)),
        ("greyed-out weak text", over(v.weak_text_color(), v.disabled_alpha, v.panel_fill)),
        ("a link", v.hyperlink_color),
        ("a warning", v.warn_fg_color),
        ("an error", v.error_fg_color),
        ("a concern", p.concern),
        ("a strength", p.good),
        ("a caution", p.caution),
        ("a chart label", p.accent),
    ];
    let mut pairs = Vec::new();
    for (text, fg) in texts {
        for (place, bg) in backgrounds {
            pairs.push(Pair { what: format!("{text} on {place}"), fg, bg, needed: 4.5 });
        }
    }
    for (state, w) in [("a button", &v.widgets.inactive), ("a hovered button", &v.widgets.hovered)] {
        pairs.push(Pair {
            what: format!("the label of {state}"),
            fg: w.fg_stroke.color,
            bg: w.weak_bg_fill,
            needed: 4.5,
        });
    }
    pairs.push(Pair {
        what: "selected text".into(),
        fg: v.selection.stroke.color,
        bg: v.selection.bg_fill,
        needed: 4.5,
    });
    for (place, bg) in backgrounds.iter().take(2) {
        pairs.push(Pair {
            what: format!("the outline of a text box, radio button or button on {place}"),
            fg: v.widgets.inactive.bg_stroke.color,
            bg: *bg,
            needed: 3.0,
        });
    }
    pairs.push(Pair {
        what: "the outline of a focused text box".into(),
        fg: v.selection.stroke.color,
        bg: v.panel_fill,
        needed: 3.0,
    });
    pairs
}
