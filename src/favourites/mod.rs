//! Favourite lists: named lists of records kept on the server, toggles on
//! results and record pages, and lists shared read-only by link.
//!
//! Only this file is in the main module, and only what a search result
//! needs: the favourite toggle beside each result ([`result_toggle`]),
//! the small shared signal of saved record ids ([`Saved`]) that it reads,
//! and two split points. Everything else is in chunks: the work of a tap
//! (sign-in, lists, the chooser: [`toggle`], chunk `favourite_toggle`),
//! loading the lists of a signed-in patron ([`store`], chunk
//! `favourite_sync`), and the pages (their own chunks, see `lib.rs`).

pub mod model;
mod pages;
mod store;
mod toggle;
mod ui;

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::components::lazy::{ChunkLoadFailed, lazy_view};
use crate::i18n::favourites::toggle_label;
use crate::i18n::use_i18n;

pub use pages::{ListPage, ListsPage, SharedListPage};
pub use toggle::RecordFavourite;

/// The records in the signed-in patron's lists: what every favourite
/// toggle shows. Empty while nobody is signed in and until the lists have
/// loaded. `Copy`; one per app (see [`use_saved`]).
#[derive(Clone, Copy)]
pub struct Saved {
    /// Record ids in at least one list, sorted, each once.
    ids: RwSignal<Vec<i64>>,
}

impl Saved {
    /// Whether `record_id` is in one of the patron's lists (tracked).
    pub fn has(&self, record_id: i64) -> bool {
        self.ids.with(|ids| ids.contains(&record_id))
    }

    /// Replaces the saved ids (the chunks call it after each answer).
    pub fn set(&self, ids: Vec<i64>) {
        self.ids.set(ids);
    }
}

/// The app's [`Saved`], created the first time a favourite toggle (or a
/// favourites page) asks for it, not when the app starts: a visit that
/// shows no toggle costs nothing. On creation it fetches the small chunk
/// `favourite_sync`, which follows the session from then on: it learns
/// whether a patron is signed in, loads the lists while one is (again at
/// each sign-in) and clears the ids at sign-out. The session's code lives
/// in chunks, so the main module only starts that chunk.
pub fn use_saved() -> Saved {
    app_context(|| {
        leptos::task::spawn_local(async {
            // A chunk that cannot be fetched leaves the toggles
            // unpressed; a tap shows the error (its own chunk).
            let _ = sync_saved().await;
        });
        Saved {
            ids: RwSignal::new(Vec::new()),
        }
    })
}

/// The context `T` of the whole app, made by `make` the first time it is
/// asked for. It is provided on the app's root owner, so it lives as long
/// as the app, through page changes and language switches, and every page
/// finds it.
pub fn app_context<T: Clone + Send + Sync + 'static>(make: impl FnOnce() -> T) -> T {
    if let Some(existing) = use_context::<T>() {
        return existing;
    }
    crate::session::under_app_owner(move || {
        if let Some(existing) = use_context::<T>() {
            return existing;
        }
        let value = make();
        provide_context(value.clone());
        value
    })
}

/// What a result's toggle shares with the chunk that does its work.
#[derive(Clone)]
pub struct ToggleCtx {
    pub record_id: i64,
    /// The record's title, for the texts of the work (empty where the
    /// page already says it, as on the record page).
    pub title: String,
    /// Taps: the chunk acts on each change (and ignores those that come
    /// while it works); 0 before the first.
    pub clicks: RwSignal<u32>,
}

/// The favourite toggle beside a result: a heart, filled when the record
/// is in one of the patron's lists. A tap loads the chunk that does the
/// work (sign-in, lists, adding or removing, a chooser when there are
/// several lists) and shows its messages below.
///
/// This is the main module's share of favourites, on every result, so
/// it is kept small (measured: see the report of the favourites branch):
/// one reactive attribute (`aria-pressed`), and both of its hidden names
/// written once, the stylesheet showing the one for the current state
/// ("把《活着》加入收藏" / "《活着》已收藏").
pub fn result_toggle(record_id: i64, title: &str) -> AnyView {
    let saved = use_saved();
    let locale = use_i18n().locale();
    let clicks = RwSignal::new(0u32);
    let started = Memo::new(move |_| clicks.get() > 0);
    let ctx = ToggleCtx {
        record_id,
        title: title.to_owned(),
        clicks,
    };
    view! {
        <button
            type="button"
            class="icon-button fav-toggle"
            aria-pressed=move || if saved.has(record_id) { "true" } else { "false" }
            on:click=move |_| clicks.update(|n| *n = n.wrapping_add(1))
        >
            <Icon name=IconName::Heart />
            <span class="sr-only fav-off">{toggle_label(locale, false, title)}</span>
            <span class="sr-only fav-on">{toggle_label(locale, true, title)}</span>
        </button>
        {move || {
            started.get().then(|| {
                provide_context(ctx.clone());
                lazy_view(Box::pin(toggle_view()), || ().into_any())
            })
        }}
    }
    .into_any()
}

/// The work of a result's toggle, in a chunk of its own: fetched at the
/// first tap. `fallible`, like the pages: a chunk that cannot be fetched
/// shows the network error, never a panic.
#[leptos::wasm_split::wasm_split(
    favourite_toggle,
    wasm_split_path = ::leptos::wasm_split,
    fallible
)]
fn toggle_view() -> Result<AnyView, ChunkLoadFailed> {
    Ok(view! { <toggle::TogglePanel /> }.into_any())
}

/// Follows the session for [`Saved`], in a small chunk of its own: a
/// patron who is signed in sees their saved records on the search page
/// without fetching the toggle's code.
#[leptos::wasm_split::wasm_split(
    favourite_sync,
    wasm_split_path = ::leptos::wasm_split,
    fallible
)]
fn sync_saved() -> Result<(), ChunkLoadFailed> {
    store::follow_session();
    Ok(())
}
