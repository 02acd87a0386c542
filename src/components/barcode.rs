//! Code 128 barcodes drawn as SVG: the bar pattern comes from the
//! `barcoders` crate, the drawing is one `<path>` of the bars.
//!
//! Only the library card (a chunk) uses this, so its code, and the
//! crate's, stay out of the main module.

use barcoders::sym::code128::Code128;
use leptos::prelude::*;

/// The light margin on each side, in modules. Code 128 asks for at least
/// ten times the narrowest bar.
pub const QUIET_ZONE: usize = 10;

/// How tall the bars are, in modules: about a third of a 14-digit code's
/// width, so phone scanners find it at any angle.
pub const HEIGHT: usize = 40;

/// A barcode ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bars {
    /// The width of the drawing in modules, quiet zones included.
    pub width: usize,
    /// Each bar as (left edge, width), in modules from the drawing's left.
    pub bars: Vec<(usize, usize)>,
}

impl Bars {
    /// SVG path data of the bars, [`HEIGHT`] modules tall.
    pub fn path(&self) -> String {
        let height = HEIGHT.to_string();
        let mut path = String::with_capacity(self.bars.len() * 16);
        for &(x, w) in &self.bars {
            let w = w.to_string();
            path.push('M');
            path.push_str(&x.to_string());
            path.push_str(" 0h");
            path.push_str(&w);
            path.push('v');
            path.push_str(&height);
            path.push_str("h-");
            path.push_str(&w);
            path.push('z');
        }
        path
    }
}

/// What `barcoders` is asked to encode for `text`: digits in code set C
/// (two digits a symbol; an odd last digit in set B), anything else of
/// printable ASCII in set B. `None` for empty text or other characters.
fn symbols_for(text: &str) -> Option<String> {
    if text.is_empty() || !text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    let all_digits = text.bytes().all(|b| b.is_ascii_digit());
    Some(match (all_digits, text.len()) {
        (true, 1) => ["Ɓ", text].concat(),
        (true, n) if n % 2 == 0 => ["Ć", text].concat(),
        (true, n) => ["Ć", &text[..n - 1], "Ɓ", &text[n - 1..]].concat(),
        (false, _) => ["Ɓ", text].concat(),
    })
}

/// The Code 128 barcode of `text` (its check symbol included), with its
/// quiet zones; `None` when `text` cannot be encoded (see [`symbols_for`]).
pub fn code128_bars(text: &str) -> Option<Bars> {
    let modules = Code128::new(symbols_for(text)?).ok()?.encode();
    let mut bars = Vec::new();
    let mut x = 0;
    while x < modules.len() {
        if modules[x] == 1 {
            let start = x;
            while x < modules.len() && modules[x] == 1 {
                x += 1;
            }
            bars.push((start + QUIET_ZONE, x - start));
        } else {
            x += 1;
        }
    }
    Some(Bars {
        width: modules.len() + 2 * QUIET_ZONE,
        bars,
    })
}

/// The Code 128 barcode of `text`, as an image named `label` for screen
/// readers: black bars on white (also in the dark colour scheme), quiet
/// zones included; it scales to the width its container gives it (class
/// `barcode`). Draws nothing for a text it cannot encode.
#[component]
pub fn Barcode(
    /// What the barcode holds.
    #[prop(into)]
    text: String,
    /// What the image is, for screen readers.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    code128_bars(&text).map(|bars| {
        let (width, height) = (bars.width.to_string(), HEIGHT.to_string());
        let view_box = ["0 0 ", &width, " ", &height].concat();
        view! {
            <svg
                class="barcode"
                role="img"
                aria-label=label
                viewBox=view_box
                preserveAspectRatio="none"
                shape-rendering="crispEdges"
            >
                <rect width=width height=height fill="#fff" />
                <path d=bars.path() fill="#000" />
            </svg>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Code 128 symbols 0 to 105 as bar and space widths (bar first),
    /// from the symbology's table; 106 is the stop pattern with its
    /// final bar. Written out here so that the tests decode the drawing
    /// with a table of their own, not the crate's.
    const WIDTHS: [&str; 107] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
        "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
        "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
        "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
        "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
        "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
        "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
        "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
        "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
        "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
        "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ];
    const START_B: usize = 104;
    const START_C: usize = 105;
    const CODE_B: usize = 100;
    const STOP: usize = 106;

    /// The modules of the drawing: `true` for dark.
    fn modules(bars: &Bars) -> Vec<bool> {
        let mut out = vec![false; bars.width];
        for &(x, w) in &bars.bars {
            for m in &mut out[x..x + w] {
                *m = true;
            }
        }
        out
    }

    /// The widths pattern of `modules` (bar first).
    fn widths(modules: &[bool]) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < modules.len() {
            let start = i;
            while i < modules.len() && modules[i] == modules[start] {
                i += 1;
            }
            out.push_str(&(i - start).to_string());
        }
        out
    }

    /// Reads the symbols between the quiet zones: every symbol is 11
    /// modules, the stop pattern 13.
    fn symbols(bars: &Bars) -> Vec<usize> {
        let m = modules(bars);
        let inner = &m[QUIET_ZONE..bars.width - QUIET_ZONE];
        assert_eq!((inner.len() - 13) % 11, 0, "whole symbols and a stop");
        let mut out = Vec::new();
        let (body, stop) = inner.split_at(inner.len() - 13);
        for symbol in body.chunks(11) {
            let w = widths(symbol);
            let value = WIDTHS.iter().position(|p| *p == w);
            out.push(value.unwrap_or_else(|| panic!("{w} is no Code 128 symbol")));
        }
        assert_eq!(widths(stop), WIDTHS[STOP], "the stop pattern ends the code");
        out.push(STOP);
        out
    }

    /// The check symbol a decoder expects: the start value plus each data
    /// symbol times its position, modulo 103.
    fn check_of(symbols: &[usize]) -> usize {
        symbols
            .iter()
            .enumerate()
            .map(|(i, v)| v * i.max(1))
            .sum::<usize>()
            % 103
    }

    #[test]
    fn a_card_number_is_set_c_with_a_valid_check_symbol() {
        let bars = code128_bars("44132200000001").unwrap();
        let s = symbols(&bars);
        assert_eq!(s[0], START_C);
        assert_eq!(&s[1..8], &[44, 13, 22, 0, 0, 0, 1]);
        assert_eq!(s[8], check_of(&s[..8]), "the check symbol");
        assert_eq!(s[9], STOP);
        assert_eq!(s.len(), 10);
        // 9 symbols of 11 modules, a stop of 13, two quiet zones.
        assert_eq!(bars.width, 9 * 11 + 13 + 2 * QUIET_ZONE);
    }

    #[test]
    fn an_odd_number_ends_in_set_b() {
        let s = symbols(&code128_bars("1234567").unwrap());
        // 12 34 56, Code B, "7" (ASCII 0x37 − 0x20 = 23).
        assert_eq!(&s[..6], &[START_C, 12, 34, 56, CODE_B, 23]);
        assert_eq!(s[6], check_of(&s[..6]));
        let s = symbols(&code128_bars("7").unwrap());
        assert_eq!(&s[..2], &[START_B, 23]);
        assert_eq!(s[2], check_of(&s[..2]));
    }

    #[test]
    fn other_ascii_is_set_b_and_the_rest_is_refused() {
        let s = symbols(&code128_bars("LIB-42").unwrap());
        let expected: Vec<usize> = "LIB-42".bytes().map(|b| usize::from(b - b' ')).collect();
        assert_eq!(s[0], START_B);
        assert_eq!(&s[1..7], &expected[..]);
        assert_eq!(s[7], check_of(&s[..7]));
        assert_eq!(code128_bars(""), None);
        assert_eq!(code128_bars("陈晓明"), None);
        assert_eq!(code128_bars("12\n34"), None);
    }

    #[test]
    fn the_quiet_zones_are_light_and_wide_enough() {
        let bars = code128_bars("44132200000001").unwrap();
        let m = modules(&bars);
        // Code 128 asks for a quiet zone of at least 10 modules.
        const _: () = assert!(QUIET_ZONE >= 10);
        assert!(m[..QUIET_ZONE].iter().all(|d| !d), "left quiet zone");
        assert!(
            m[bars.width - QUIET_ZONE..].iter().all(|d| !d),
            "right quiet zone"
        );
        // The code starts and ends with a bar right at the zones.
        assert!(m[QUIET_ZONE] && m[bars.width - QUIET_ZONE - 1]);
    }

    #[test]
    fn the_path_draws_every_bar_full_height() {
        let bars = Bars {
            width: 25,
            bars: vec![(10, 2), (13, 1)],
        };
        assert_eq!(bars.path(), "M10 0h2v40h-2zM13 0h1v40h-1z");
    }
}
