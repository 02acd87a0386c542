//! The library directory: every library and village centre, with whether
//! it is open now, its hours this week, its services and directions.

use leptos::prelude::*;

use crate::components::title::page_title;
use crate::i18n::libraries::LibText;
use crate::i18n::use_i18n;

/// The page at `/libraries`.
#[component]
pub fn LibrariesPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(LibText::LibrariesTitle).to_owned());
    view! {
        <div class="page libraries-page">
            <h1>{i18n.tr(LibText::LibrariesTitle)}</h1>
        </div>
    }
}

/// The page at `/libraries/{id}`.
#[component]
pub fn LibraryPage() -> impl IntoView {
    view! { <LibrariesPage /> }
}
