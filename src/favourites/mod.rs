//! Favourite lists: named lists of records kept on the server, toggles on
//! results and record pages, and lists shared read-only by link.
//!
//! The main module carries one function of this folder: the slot beside a
//! search result ([`result_toggle`]), which reserves the heart's place and
//! fetches the heart's code, chunk `favourite_heart`. The heart (its saved
//! state, following the session: [`use_saved`], [`store`]) is that chunk;
//! the work of a tap (sign-in, lists, the chooser: [`toggle`]) is chunk
//! `favourite_toggle`, fetched at the first tap; the pages are chunks of
//! their own (see `lib.rs`). The heart comes a moment after the results,
//! which never wait for it (measured: the heart in the main module cost
//! about 1.5 KB brotli of the search page's first load).

pub mod model;
mod pages;
mod store;
mod toggle;
mod ui;

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::components::lazy::{ChunkLoadFailed, ChunkView, lazy_view};
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

/// The app's [`Saved`], created the first time a heart (or a favourites
/// page) asks for it. On creation it starts following the session: it
/// learns whether a patron is signed in, loads the lists while one is
/// (again at each sign-in) and clears the ids at sign-out.
pub fn use_saved() -> Saved {
    if let Some(saved) = use_context::<Saved>() {
        return saved;
    }
    let saved = app_context(|| Saved {
        ids: RwSignal::new(Vec::new()),
    });
    thread_local! {
        static FOLLOWING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !FOLLOWING.with(|f| f.replace(true)) {
        store::follow_session();
    }
    saved
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

/// The favourite toggle beside a result: its place, kept while the
/// heart's chunk loads (so nothing moves when it comes), then the heart.
/// A heart whose code cannot be fetched stays an empty place: the result
/// itself works without it.
pub fn result_toggle(record_id: i64, title: &str) -> AnyView {
    let title = title.to_owned();
    let load: ChunkView = Box::pin(async move {
        Ok(heart_view(HeartArgs { record_id, title })
            .await
            .unwrap_or_else(|ChunkLoadFailed| heart_place()))
    });
    lazy_view(load, heart_place)
}

/// The heart's place while its code loads.
fn heart_place() -> AnyView {
    view! { <span class="icon-button fav-toggle" aria-hidden="true"></span> }.into_any()
}

/// The props of the heart, carried across its split point.
struct HeartArgs {
    record_id: i64,
    title: String,
}

split_fn!(
    favourite_heart,
    fn heart_view(args: HeartArgs) -> Result<AnyView, ChunkLoadFailed> {
        Ok(heart(args.record_id, &args.title))
    }
);

/// The heart beside a result: filled when the record is in one of the
/// patron's lists. A tap loads the chunk that does the work (sign-in,
/// lists, adding or removing, a chooser when there are several lists) and
/// shows its messages below. Both of its hidden names are written once,
/// the stylesheet showing the one for the current state ("把《活着》加入收藏"
/// / "《活着》已收藏").
fn heart(record_id: i64, title: &str) -> AnyView {
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

// The work of a result's toggle, in a chunk of its own: fetched at the
// first tap. `fallible`, like the pages: a chunk that cannot be fetched
// shows the network error, never a panic.
split_fn!(
    favourite_toggle,
    fn toggle_view() -> Result<AnyView, ChunkLoadFailed> {
        Ok(view! { <toggle::TogglePanel /> }.into_any())
    }
);
