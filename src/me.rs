//! The patron's own page. For now it holds the display settings (language,
//! elder mode); loans, renewals and holds come later.

use leptos::prelude::*;

use crate::components::title::page_title;
use crate::i18n::{Key, Locale, use_i18n};
use crate::prefs::use_elder_mode;

/// The id of a language's radio button.
fn radio_id(locale: Locale) -> &'static str {
    match locale {
        Locale::Zh => "locale-zh",
        Locale::English => "locale-en",
    }
}

/// The page at `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.t(Key::MeTitle).to_owned());
    let elder = use_elder_mode();
    let languages = [Locale::Zh, Locale::English]
        .into_iter()
        .map(|locale| {
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name="locale"
                        id=radio_id(locale)
                        value=locale.tag()
                        prop:checked=i18n.locale() == locale
                        on:change=move |_| i18n.switch_from(locale, radio_id(locale))
                    />
                    <span lang=locale.tag()>{locale.own_name()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="page me-page">
            <h1>{i18n.t(Key::MeTitle)}</h1>
            <fieldset class="setting">
                <legend>{i18n.t(Key::LanguageSetting)}</legend>
                <div class="choices">{languages}</div>
            </fieldset>
            <div class="setting switch-row">
                <div>
                    <p id="elder-label" class="setting-name">{i18n.t(Key::ElderMode)}</p>
                    <p id="elder-help" class="muted">{i18n.t(Key::ElderModeHelp)}</p>
                </div>
                <button
                    type="button"
                    class="switch elder-toggle"
                    role="switch"
                    aria-checked=move || elder.is_on().to_string()
                    aria-labelledby="elder-label"
                    aria-describedby="elder-help"
                    on:click=move |_| elder.set(!elder.is_on())
                >
                    <span class="switch-knob"></span>
                </button>
            </div>
            <p class="muted">{i18n.t(Key::MeAccountSoon)}</p>
        </div>
    }
}
