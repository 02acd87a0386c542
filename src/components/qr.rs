//! QR codes drawn as SVG: the module matrix comes from the `qrcode` crate
//! (error correction M), the drawing is one `<path>` of the dark modules.
//!
//! Only the library card and the record page (both chunks) use this, so
//! its code, and the crate's, stay out of the main module. The record page
//! shows its link's code only when asked, so it fetches this code then
//! ([`lazy_qr_code`]): the `qrcode` crate is 13 KB brotli, most of what the
//! record page's own code weighs.

use leptos::prelude::*;
use qrcode::{Color, EcLevel, QrCode as Matrix};

use crate::components::lazy::{ChunkLoadFailed, lazy_view};

/// The light margin around the code, in modules, that scanners need.
pub const QUIET_ZONE: usize = 4;

/// A QR code ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrDrawing {
    /// The side of the drawing in modules, quiet zone included.
    pub size: usize,
    /// SVG path data of the dark modules, one unit per module: each run of
    /// dark modules in a row is one rectangle (`M x y h n v 1 h -n z`).
    pub path: String,
}

/// The QR code of `text` with error correction M; `None` when the text is
/// too long for any QR code.
pub fn qr_drawing(text: &str) -> Option<QrDrawing> {
    let code = Matrix::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = (x - start).to_string();
                path.push('M');
                path.push_str(&(start + QUIET_ZONE).to_string());
                path.push(' ');
                path.push_str(&(y + QUIET_ZONE).to_string());
                path.push('h');
                path.push_str(&run);
                path.push_str("v1h-");
                path.push_str(&run);
                path.push('z');
            } else {
                x += 1;
            }
        }
    }
    Some(QrDrawing {
        size: width + 2 * QUIET_ZONE,
        path,
    })
}

/// The QR code of `text`, as an image named `label` for screen readers.
/// Dark modules on a white square (also in the dark colour scheme: scanners
/// expect dark on light), with its quiet zone; it scales to the width its
/// container gives it (class `qr`). Draws nothing for a text too long to
/// encode.
#[component]
pub fn QrCode(
    /// What the code holds.
    #[prop(into)]
    text: String,
    /// What the image is, for screen readers.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    qr_drawing(&text).map(|drawing| {
        let size = drawing.size.to_string();
        let view_box = ["0 0 ", &size, " ", &size].concat();
        view! {
            <svg
                class="qr"
                role="img"
                aria-label=label
                viewBox=view_box
                shape-rendering="crispEdges"
            >
                <rect width=size.clone() height=size fill="#fff" />
                <path d=drawing.path fill="#000" />
            </svg>
        }
    })
}

/// The props of [`QrCode`], carried across its split point.
pub struct QrArgs {
    pub text: String,
    pub label: String,
}

// The QR code in a WASM chunk of its own, for pages that show one only
// when asked.
split_fn!(
    qr_code,
    fn qr_code_split(args: QrArgs) -> Result<AnyView, ChunkLoadFailed> {
        Ok(view! { <QrCode text=args.text label=args.label /> }.into_any())
    }
);

/// The QR code of `text` once its code is here (an empty square of the
/// code's size until then, or the network error with Retry).
pub fn lazy_qr_code(text: String, label: String) -> AnyView {
    lazy_view(
        Box::pin(qr_code_split(QrArgs { text, label })),
        qr_placeholder,
    )
}

fn qr_placeholder() -> AnyView {
    view! { <div class="qr qr-placeholder" aria-hidden="true"></div> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The drawing painted into a greyscale image, `scale` pixels per
    /// module: the path is read back command by command, so this checks
    /// what the SVG would show, not the matrix it came from.
    fn paint(drawing: &QrDrawing, scale: usize) -> (usize, Vec<u8>) {
        let side = drawing.size * scale;
        let mut pixels = vec![255u8; side * side];
        for rect in drawing.path.split('M').filter(|s| !s.is_empty()) {
            // "x yhNv1h-Nz"
            let (xy, rest) = rect.split_once('h').expect("a run starts with h");
            let (x, y) = xy.split_once(' ').expect("x and y");
            let (run, tail) = rest.split_once("v1h-").expect("one module high");
            assert_eq!(tail, [run, "z"].concat(), "the run closes on itself");
            let (x, y, run): (usize, usize, usize) =
                (x.parse().unwrap(), y.parse().unwrap(), run.parse().unwrap());
            assert!(run > 0 && x + run <= drawing.size && y < drawing.size);
            for py in y * scale..(y + 1) * scale {
                for px in x * scale..(x + run) * scale {
                    pixels[py * side + px] = 0;
                }
            }
        }
        (side, pixels)
    }

    fn decode(drawing: &QrDrawing) -> String {
        let (side, pixels) = paint(drawing, 4);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the drawing");
        let (_meta, content) = grids[0].decode().expect("the code decodes");
        content
    }

    #[test]
    fn a_record_link_decodes_to_itself() {
        for text in [
            "https://opac.example.cn/record/1",
            "http://127.0.0.1:40123/record/123456",
            "44132200000001",
            "阅览 https://opac.example.cn/lists/a%20b",
        ] {
            let drawing = qr_drawing(text).expect("a short text encodes");
            assert_eq!(decode(&drawing), text);
        }
    }

    #[test]
    fn error_correction_is_m_and_the_size_follows_the_version() {
        // 31 bytes need version 3 at level M (29 modules; version 2 holds
        // 26 bytes at M, 32 at L).
        let text = "https://opac.example.cn/record/";
        assert_eq!(text.len(), 31);
        let drawing = qr_drawing(text).unwrap();
        assert_eq!(drawing.size, 29 + 2 * QUIET_ZONE);
        let (side, pixels) = paint(&drawing, 4);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let (meta, _) = image.detect_grids()[0].decode().unwrap();
        assert_eq!(meta.version.0, 3);
        // rqrr numbers the levels as the format bits do: M is 0.
        assert_eq!(meta.ecc_level, 0);
    }

    #[test]
    fn the_quiet_zone_is_light() {
        let drawing = qr_drawing("https://opac.example.cn/record/42").unwrap();
        let (side, pixels) = paint(&drawing, 1);
        for y in 0..side {
            for x in 0..side {
                let inside = (QUIET_ZONE..side - QUIET_ZONE).contains(&x)
                    && (QUIET_ZONE..side - QUIET_ZONE).contains(&y);
                if !inside {
                    assert_eq!(pixels[y * side + x], 255, "module ({x}, {y}) is light");
                }
            }
        }
        // The finder pattern's corner is dark, just inside the zone.
        assert_eq!(pixels[QUIET_ZONE * side + QUIET_ZONE], 0);
    }

    #[test]
    fn a_text_too_long_for_any_code_draws_nothing() {
        assert_eq!(qr_drawing(&"x".repeat(3000)), None);
    }
}
