//! The patron's display preferences on this device: language and elder
//! mode. Both are remembered in `localStorage` (when it works) and applied
//! to the `<html>` element by `App` (`lang`, class `elder`). Dark mode
//! follows the system through CSS alone.

use leptos::prelude::*;

use crate::i18n::{I18n, Locale, provide_i18n};
use crate::storage;

const ELDER_KEY: &str = "yuelan.elder";

/// Elder mode: larger text, higher contrast, bigger touch targets.
#[derive(Clone, Copy, Debug)]
pub struct ElderMode(RwSignal<bool>);

impl ElderMode {
    pub fn new(on: bool) -> Self {
        Self(RwSignal::new(on))
    }

    /// Whether elder mode is on (tracked).
    pub fn is_on(&self) -> bool {
        self.0.get()
    }

    /// Whether elder mode is on, without subscribing.
    pub fn is_on_untracked(&self) -> bool {
        self.0.get_untracked()
    }

    /// Turns elder mode on or off and remembers it.
    pub fn set(&self, on: bool) {
        self.0.set(on);
        storage::save(ELDER_KEY, if on { "1" } else { "0" });
    }
}

/// Provides the language (the remembered one, else `default_locale`) and
/// elder mode (remembered, else off).
pub fn provide_prefs(default_locale: Locale) -> (I18n, ElderMode) {
    let i18n = provide_i18n(I18n::stored().unwrap_or(default_locale));
    let elder = ElderMode::new(storage::load(ELDER_KEY).as_deref() == Some("1"));
    provide_context(elder);
    (i18n, elder)
}

/// The elder-mode context; off when none was provided.
pub fn use_elder_mode() -> ElderMode {
    use_context::<ElderMode>().unwrap_or_else(|| ElderMode::new(false))
}

/// Applies the language and elder mode to `<html>` (`lang`, class `elder`).
pub fn apply_to_document(locale: Locale, elder: bool) {
    #[cfg(target_arch = "wasm32")]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.tag());
        let _ = root.class_list().toggle_with_force("elder", elder);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (locale, elder);
}

/// Moves the focus to the element with `id`, if there is one.
pub fn focus_by_id(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}
