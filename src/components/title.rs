//! The document title: "page · library", set by the page on screen.

use leptos::prelude::*;

use crate::config::use_config;
use crate::i18n::use_i18n;

/// Keeps `document.title` at "`page` · library short name" while the
/// calling page is on screen, following `page` as it changes (just the
/// library's name when `page` is empty).
pub fn page_title(page: impl Fn() -> String + 'static) {
    let english = use_i18n().locale().is_english();
    let library = use_config().short_name.get(english).to_owned();
    Effect::new(move |_| {
        let page = page();
        let title = if page.is_empty() {
            library.clone()
        } else {
            [page.as_str(), " · ", &library].concat()
        };
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&title);
        }
    });
}
