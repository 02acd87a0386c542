//! The runtime configuration of one library's deployment, read from
//! `/config.json` when the app starts.
//!
//! Every field has a default, so a config may name only what differs; a
//! field of the wrong type makes the whole file invalid (the app then shows
//! its bilingual error page rather than guessing).

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::LocalizedText;
use yuelan_api::wire::from_json;

use crate::i18n::Locale;

/// Where the config is served, next to `index.html`.
pub const CONFIG_URL: &str = "/config.json";

/// The brand colour used when the config names none, or one that is not an
/// accessible `#hex` colour.
pub const DEFAULT_BRAND: &str = "#9b2c2c";

/// The contents of `config.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct AppConfig {
    /// Base URL of the REST API, e.g. `/api` or `https://lib.example/api`.
    pub api_base: String,
    /// The library network's full name, on the home page.
    pub library_name: LocalizedText,
    /// The app's short name, in the header and document titles.
    pub short_name: LocalizedText,
    pub brand: Brand,
    pub pillars: Pillars,
    /// The language for patrons who have not chosen one, e.g. `zh-CN`.
    pub default_locale: String,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            api_base: yuelan_api::API_PREFIX.to_owned(),
            library_name: LocalizedText::new("图书馆", "Library"),
            short_name: LocalizedText::new("阅览", "Yuelan"),
            brand: Brand::default(),
            pillars: Pillars::default(),
            default_locale: "zh-CN".to_owned(),
        }
    }
}

/// `config.json` is not a valid config.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid config.json")]
pub struct ConfigError;

yuelan_api::wire_struct! {
    @decode_only
    /// `config.json` as written: every field may be left out (or `null`).
    pub struct ConfigFile {
        pub api_base: Option<String>,
        pub library_name: Option<LocalizedText>,
        pub short_name: Option<LocalizedText>,
        pub brand: Option<BrandFile>,
        pub pillars: Option<PillarsFile>,
        pub default_locale: Option<String>,
    }
}

yuelan_api::wire_struct! {
    @decode_only
    /// `brand` in `config.json`.
    pub struct BrandFile {
        pub primary: Option<String>,
    }
}

yuelan_api::wire_struct! {
    @decode_only
    /// `pillars` in `config.json`.
    pub struct PillarsFile {
        pub catalog: Option<bool>,
        pub booking: Option<bool>,
        pub culture: Option<bool>,
    }
}

/// Colours of the library's brand.
#[derive(Clone, Debug, PartialEq)]
pub struct Brand {
    /// Primary colour as `#rgb` or `#rrggbb`.
    pub primary: String,
}

impl Default for Brand {
    fn default() -> Self {
        Self {
            primary: DEFAULT_BRAND.to_owned(),
        }
    }
}

/// Which of the three pillars this library offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pillars {
    pub catalog: bool,
    pub booking: bool,
    pub culture: bool,
}

impl Default for Pillars {
    fn default() -> Self {
        Self {
            catalog: true,
            booking: true,
            culture: true,
        }
    }
}

/// One of the app's three services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pillar {
    Catalog,
    Booking,
    Culture,
}

impl AppConfig {
    /// Parses `config.json`, which must be a JSON object.
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let file: ConfigFile = from_json(json).map_err(|_| ConfigError)?;
        let d = AppConfig::default();
        let (brand, pillars) = (file.brand, file.pillars);
        Ok(AppConfig {
            api_base: file.api_base.unwrap_or(d.api_base),
            library_name: file.library_name.unwrap_or(d.library_name),
            short_name: file.short_name.unwrap_or(d.short_name),
            brand: Brand {
                primary: brand.and_then(|b| b.primary).unwrap_or(d.brand.primary),
            },
            pillars: Pillars {
                catalog: pillars.as_ref().and_then(|p| p.catalog).unwrap_or(true),
                booking: pillars.as_ref().and_then(|p| p.booking).unwrap_or(true),
                culture: pillars.as_ref().and_then(|p| p.culture).unwrap_or(true),
            },
            default_locale: file.default_locale.unwrap_or(d.default_locale),
        })
    }

    /// Whether the library offers `pillar`.
    pub fn has(&self, pillar: Pillar) -> bool {
        match pillar {
            Pillar::Catalog => self.pillars.catalog,
            Pillar::Booking => self.pillars.booking,
            Pillar::Culture => self.pillars.culture,
        }
    }

    /// The API base without a trailing slash; the default when blank.
    pub fn api_base(&self) -> &str {
        let base = self.api_base.trim().trim_end_matches('/');
        if base.is_empty() {
            yuelan_api::API_PREFIX
        } else {
            base
        }
    }

    /// The language for patrons who have not chosen one.
    pub fn default_locale(&self) -> Locale {
        Locale::parse(&self.default_locale).unwrap_or_default()
    }

    /// The brand colour as `#rrggbb`, checked to be readable under white
    /// text; otherwise the default.
    pub fn brand_colour(&self) -> String {
        accessible_brand(&self.brand.primary).unwrap_or_else(|| DEFAULT_BRAND.to_owned())
    }
}

/// Parses `#rgb` or `#rrggbb` (nothing else: no names, no functions).
pub fn parse_hex_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 => Some([
            digit(0)? * 16 + digit(1)?,
            digit(2)? * 16 + digit(3)?,
            digit(4)? * 16 + digit(5)?,
        ]),
        _ => None,
    }
}

/// WCAG relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            pow_2_4((c + 0.055) / 1.055)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// `x.powf(2.4)` for `x` in `(0, 1]`, as `x² · (x²)^(1/5)` with the fifth
/// root found by Newton's method. `powf` brings libm's `pow` into the main
/// module (measured: 2,198 B before wasm-opt) for this one call.
fn pow_2_4(x: f64) -> f64 {
    let square = x * x;
    // Newton's method for y⁵ = square, from above (y = 1 ≥ the root):
    // it falls monotonically and stops when a step no longer lowers it.
    let mut y = 1.0_f64;
    for _ in 0..64 {
        let next = (4.0 * y + square / (y * y * y * y)) / 5.0;
        if next >= y {
            break;
        }
        y = next;
    }
    square * y
}

/// Contrast ratio of white text on `colour`.
pub fn contrast_with_white(colour: [u8; 3]) -> f64 {
    1.05 / (luminance(colour) + 0.05)
}

/// `s` as a normalised `#rrggbb` when it is a hex colour on which white text
/// has a contrast of at least 4.5:1; `None` otherwise. Only this normalised
/// form ever reaches a style property.
pub fn accessible_brand(s: &str) -> Option<String> {
    let rgb = parse_hex_colour(s)?;
    if contrast_with_white(rgb) < 4.5 {
        return None;
    }
    let mut out = String::with_capacity(7);
    out.push('#');
    for c in rgb {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.push(HEX[usize::from(c >> 4)] as char);
        out.push(HEX[usize::from(c & 15)] as char);
    }
    Some(out)
}

/// The config, shared by every view.
#[derive(Clone, Debug)]
pub struct Config(pub Arc<AppConfig>);

/// Provides the config context.
pub fn provide_config(config: AppConfig) -> Config {
    let c = Config(Arc::new(config));
    provide_context(c.clone());
    c
}

/// The config context; the defaults when none was provided (as in tests).
pub fn use_config() -> Arc<AppConfig> {
    use_context::<Config>().map(|c| c.0).unwrap_or_default()
}

/// Sets the brand colour as the `--brand` custom property of `<html>`,
/// through the CSSOM (no style attribute text). `colour` must come from
/// [`accessible_brand`] or be [`DEFAULT_BRAND`].
pub fn apply_brand(colour: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(root) = root {
            let _ = root.style().set_property("--brand", colour);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = colour;
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r##"{"api_base":"/api","library_name":{"zh":"博罗县图书馆","en":"Boluo County Library"},"short_name":{"zh":"阅览","en":"Yuelan"},"brand":{"primary":"#9b2c2c"},"pillars":{"catalog":true,"booking":true,"culture":true},"default_locale":"zh-CN"}"##;

    #[test]
    fn parses_the_shipped_config() {
        let c = AppConfig::parse(FULL).unwrap();
        assert_eq!(c.library_name.get(true), "Boluo County Library");
        assert_eq!(c.api_base(), "/api");
        assert_eq!(c.default_locale(), Locale::Zh);
        assert_eq!(c.brand_colour(), "#9b2c2c");
        assert!(c.has(Pillar::Booking));
        let shipped = include_str!("../public/config.json");
        assert_eq!(AppConfig::parse(shipped).unwrap(), c);
    }

    #[test]
    fn missing_fields_take_defaults() {
        let c = AppConfig::parse("{}").unwrap();
        assert_eq!(c, AppConfig::default());
        let c = AppConfig::parse(
            r#"{"pillars":{"booking":false},"api_base":"https://x.example/api/","extra":[1]}"#,
        )
        .unwrap();
        assert!(c.has(Pillar::Catalog));
        assert!(!c.has(Pillar::Booking));
        assert!(c.has(Pillar::Culture));
        assert_eq!(c.api_base(), "https://x.example/api");
        let c = AppConfig::parse(r#"{"api_base":"  ","default_locale":"fr"}"#).unwrap();
        assert_eq!(c.api_base(), "/api");
        assert_eq!(c.default_locale(), Locale::Zh);
        let c =
            AppConfig::parse(r#"{"default_locale":"en-GB","short_name":{"zh":"阅览"}}"#).unwrap();
        assert_eq!(c.default_locale(), Locale::English);
        assert_eq!(c.short_name.get(true), "阅览");
    }

    #[test]
    fn malformed_configs_are_errors() {
        for bad in [
            "",
            "not json",
            "[]",
            r#"{"api_base":42}"#,
            r#"{"pillars":{"catalog":"yes"}}"#,
            r#"{"library_name":"博罗"}"#,
            r#"{"library_name":{"en":"no chinese"}}"#,
            r#"{"brand":{"primary":7}}"#,
            r#"{"api_base":"/api""#,
        ] {
            assert!(AppConfig::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn brand_colour_is_validated() {
        assert_eq!(parse_hex_colour("#9b2c2c"), Some([0x9b, 0x2c, 0x2c]));
        assert_eq!(parse_hex_colour("#abc"), Some([0xaa, 0xbb, 0xcc]));
        for bad in [
            "9b2c2c",
            "#9b2c2",
            "#9b2c2cff",
            "red",
            "#gggggg",
            "#9b2c2c;}",
            "url(x)",
            "",
            "#",
            "#+1+2+3",
        ] {
            assert_eq!(parse_hex_colour(bad), None, "{bad}");
        }
        assert_eq!(accessible_brand("#9B2C2C").as_deref(), Some("#9b2c2c"));
        assert_eq!(accessible_brand("#036").as_deref(), Some("#003366"));
        assert_eq!(
            accessible_brand("#ffff00"),
            None,
            "white on yellow is unreadable"
        );
        assert_eq!(accessible_brand("expression(alert(1))"), None);
        let c = AppConfig {
            brand: Brand {
                primary: "#fff".into(),
            },
            ..AppConfig::default()
        };
        assert_eq!(c.brand_colour(), DEFAULT_BRAND);
        assert!(contrast_with_white([0x9b, 0x2c, 0x2c]) > 7.0);
        // The fifth-root form agrees with `powf` on every channel value.
        for c in 11..=255u8 {
            let x = (f64::from(c) / 255.0 + 0.055) / 1.055;
            let (ours, libm) = (super::pow_2_4(x), x.powf(2.4));
            assert!((ours - libm).abs() < 1e-12, "{c}: {ours} vs {libm}");
        }
    }
}
