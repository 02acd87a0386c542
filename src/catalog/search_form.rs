//! The search box: `form[role=search]` with `input[type=search][name=q]`.

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::i18n::{Key, use_i18n};

/// A search form. It does not navigate itself: `on_search` gets the words.
#[component]
pub fn SearchForm(
    /// The words to show in the box (from the URL).
    #[prop(into)]
    value: Signal<String>,
    /// Called with the words when the form is submitted.
    #[prop(into)]
    on_search: Callback<String>,
    /// The large variant of the home page.
    #[prop(optional)]
    large: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let words = input.get().map(|el| el.value()).unwrap_or_default();
        on_search.run(words.trim().to_owned());
    };
    view! {
        <form class="search-form" class:search-form-large=large role="search" on:submit=submit>
            <label class="sr-only" for="search-q">{i18n.t(Key::SearchLabel)}</label>
            <input
                id="search-q"
                node_ref=input
                type="search"
                name="q"
                autocomplete="off"
                enterkeyhint="search"
                maxlength="200"
                placeholder=i18n.t(Key::SearchPlaceholder)
                prop:value=move || value.get()
            />
            <button type="submit" class="button search-button">
                <Icon name=IconName::Search />
                <span class="search-button-label">{i18n.t(Key::SearchButton)}</span>
            </button>
        </form>
    }
}
