//! The language switch in the header: one button naming the other language.

use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

/// The id of the switch, to give it the focus back after the views are
/// rebuilt in the new language.
pub const LANG_TOGGLE_ID: &str = "lang-toggle";

/// Switches between Chinese and English. Its text is the *other*
/// language's own name ("English" while the app is in Chinese), marked with
/// that language so screen readers pronounce it right.
#[component]
pub fn LangToggle() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || i18n.tracked().other();
    view! {
        <button
            type="button"
            id=LANG_TOGGLE_ID
            class="lang-toggle"
            lang=move || other().tag()
            title=i18n.t(Key::SwitchLanguage)
            on:click=move |_| i18n.switch_from(other(), LANG_TOGGLE_ID)
        >
            {move || other().own_name()}
        </button>
    }
}
