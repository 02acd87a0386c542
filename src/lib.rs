//! Yuelan (阅览): the patron app of a county public-library network.
//!
//! `App` loads the runtime config, then provides the contexts (preferences,
//! API client, catalog) and renders the one flat route table inside the
//! shell. See `ARCHITECTURE.md` for the code map.

pub mod account;
pub mod api;
pub mod card;
pub mod catalog;
pub mod components;
pub mod config;
pub mod favourites;
pub mod home;
pub mod i18n;
pub mod libraries;
pub mod me;
pub mod prefs;
pub mod router;
pub mod routes;
pub mod session;
pub mod storage;
pub mod urlenc;

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use crate::api::{ApiError, Slot, load_into};
use crate::components::icons::{Icon, IconName};
use crate::components::lazy::{ChunkLoadFailed, ChunkView, lazy_view};
use crate::components::pages::{ComingSoon, NotFound};
use crate::components::shell::Shell;
use crate::components::skeleton::PageSkeleton;
use crate::components::slots::{Slots, provide_slots};
use crate::config::{AppConfig, Pillar};
use crate::i18n::{Key, Locale, text};
use crate::routes::Page;

/// Mounts the app in place of the boot screen, in a task of its own: the
/// module's instantiation (the task that runs `main`) and the app's first
/// build are then two shorter tasks on a slow phone instead of one long one.
pub fn start() {
    // Not leptos's `spawn_local`: its executor starts with the mount.
    wasm_bindgen_futures::spawn_local(async {
        api::load::next_task().await;
        if let Some(boot) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            boot.remove();
        }
        leptos::mount::mount_to_body(App);
    });
}

/// The whole app: config first, then everything else.
///
/// The app is built once, when the config has loaded; Retry on the error
/// page loads it again.
#[component]
pub fn App() -> impl IntoView {
    let config: Slot<AppConfig> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(config, None, move || {
        retry.track();
        api::fetch_config()
    });
    move || match config.get() {
        None => view! { <BootSkeleton /> }.into_any(),
        Some(Ok(config)) => view! { <ConfiguredApp config /> }.into_any(),
        Some(Err(error)) => view! {
            <ConfigError error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
        }
        .into_any(),
    }
}

/// The app for a loaded config: providers and the route table.
#[component]
fn ConfiguredApp(config: AppConfig) -> impl IntoView {
    let (i18n, elder) = prefs::provide_prefs(config.default_locale());
    config::apply_brand(&config.brand_colour());
    let client = api::provide_api(&config);
    catalog::provide_catalog(client);
    let session = session::provide_session();
    provide_slots(Slots {
        record_actions,
        result_actions: favourites::result_toggle,
    });
    let router = router::provide_router();
    // A pillar the library does not offer has no pages: its paths show
    // "not found" (and its tab is hidden).
    let page = {
        let (catalog, booking, culture) = (
            config.has(Pillar::Catalog),
            config.has(Pillar::Booking),
            config.has(Pillar::Culture),
        );
        Memo::new(move |_| match Page::of_path(&router.path()) {
            Page::Search
            | Page::Record(_)
            | Page::MeHolds
            | Page::MeLists
            | Page::MeList(_)
            | Page::SharedList
                if !catalog =>
            {
                Page::NotFound
            }
            Page::Booking if !booking => Page::NotFound,
            Page::Culture if !culture => Page::NotFound,
            page => page,
        })
    };
    config::provide_config(config);
    // Now, before the first paint, and again on every change.
    prefs::apply_to_document(i18n.locale(), elder.is_on_untracked());
    Effect::new(move |_| prefs::apply_to_document(i18n.tracked(), elder.is_on()));

    // The shell is built first, and the page in the next task: two shorter
    // tasks on a slow phone instead of one long one. The page's first
    // request is rarely held up by this: the boot script has sent it for
    // most first pages.
    let page_due = RwSignal::new(false);
    set_timeout(
        move || {
            page_due.try_set(true);
            // Who is signed in (the session cookie is unreadable by
            // design), once the page is on its way.
            session.refresh(&client);
        },
        Duration::ZERO,
    );

    // Views are built in one language; a switch rebuilds them here.
    move || {
        let _ = i18n.tracked();
        if let Some(id) = i18n.take_refocus() {
            request_animation_frame(move || prefs::focus_by_id(id));
        }
        view! {
            <Shell>
                {move || {
                    if !page_due.get() {
                        return page_skeleton();
                    }
                    let page = page.get();
                    untrack(move || page_view(page))
                }}
            </Shell>
            <SignInHost />
        }
    }
}

/// The sign-in sheet while an action (or the Me page) asks for it. Its
/// code is a chunk, fetched the first time it opens.
#[component]
fn SignInHost() -> impl IntoView {
    let session = session::use_session();
    let open = Memo::new(move |_| session.prompt().is_some());
    move || open.get().then(|| untrack(|| lazy_view(Box::pin(signin_view()), nothing)))
}

fn nothing() -> AnyView {
    ().into_any()
}

/// The record a record page shows, for the actions other features add.
#[derive(Clone)]
struct RecordInView(Arc<yuelan_api::RecordDetail>);

/// The record page's actions slot: other features' actions, in a chunk.
fn record_actions(record: Arc<yuelan_api::RecordDetail>) -> AnyView {
    provide_context(RecordInView(record));
    lazy_view(Box::pin(record_actions_view()), nothing)
}

/// What the account and favourites offer on a record page.
#[component]
fn RecordActions() -> impl IntoView {
    use_context::<RecordInView>().map(|RecordInView(record)| {
        let record_id = record.id;
        view! {
            <account::RecordHold record />
            <favourites::RecordFavourite record_id />
        }
    })
}

/// The view of `page`. The search page is in the main module (it is the
/// page patrons land on most); every other page is a chunk of its own.
fn page_view(page: Page) -> AnyView {
    let lazy = |load: ChunkView| lazy_view(load, page_skeleton);
    match page {
        Page::Search => view! { <catalog::SearchPage /> }.into_any(),
        Page::Home => lazy(Box::pin(home_view())),
        Page::Record(_) => lazy(Box::pin(record_view())),
        Page::Booking => lazy(Box::pin(booking_view())),
        Page::Culture => lazy(Box::pin(culture_view())),
        Page::Me => lazy(Box::pin(me_view())),
        Page::MeLoans => lazy(Box::pin(loans_view())),
        Page::MeHolds => lazy(Box::pin(holds_view())),
        Page::MeCard => lazy(Box::pin(card_view())),
        Page::MeLists => lazy(Box::pin(lists_view())),
        Page::MeList(_) => lazy(Box::pin(list_view())),
        Page::SharedList => lazy(Box::pin(shared_list_view())),
        Page::Libraries => lazy(Box::pin(libraries_view())),
        Page::Library => lazy(Box::pin(library_view())),
        Page::NotFound => view! { <NotFound /> }.into_any(),
    }
}

fn page_skeleton() -> AnyView {
    view! { <PageSkeleton /> }.into_any()
}

/// A page loaded on demand. Its view function is a split point: `cargo
/// xtask build` moves its code into a WASM chunk of its own, fetched when
/// the page first opens, so the search page's first load does not carry
/// it. The split is `fallible`: a chunk that cannot be fetched shows the
/// network error with Retry (leptos's `#[lazy]` would panic, and a panic
/// kills the app). A failed fetch is not cached, so Retry fetches again.
macro_rules! lazy_page {
    ($chunk:ident, $split_fn:ident, $view:expr) => {
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $split_fn() -> Result<AnyView, ChunkLoadFailed> {
            Ok($view.into_any())
        }
    };
}

lazy_page!(home_page, home_view, view! { <home::HomePage /> });
lazy_page!(record_page, record_view, view! { <catalog::RecordPage /> });
lazy_page!(me_page, me_view, view! { <me::MePage /> });
lazy_page!(loans_page, loans_view, view! { <account::LoansPage /> });
lazy_page!(holds_page, holds_view, view! { <account::HoldsPage /> });
lazy_page!(card_page, card_view, view! { <card::CardPage /> });
lazy_page!(lists_page, lists_view, view! { <favourites::ListsPage /> });
lazy_page!(list_page, list_view, view! { <favourites::ListPage /> });
lazy_page!(
    shared_list_page,
    shared_list_view,
    view! { <favourites::SharedListPage /> }
);
lazy_page!(libraries_page, libraries_view, view! { <libraries::LibrariesPage /> });
lazy_page!(library_page, library_view, view! { <libraries::LibraryPage /> });
lazy_page!(signin_sheet, signin_view, view! { <account::SignInSheet /> });
lazy_page!(record_actions_chunk, record_actions_view, view! { <RecordActions /> });
lazy_page!(
    booking_page,
    booking_view,
    view! {
        <ComingSoon title=Key::BookingTitle blurb=Key::BookingBlurb icon=IconName::Booking />
    }
);
lazy_page!(
    culture_page,
    culture_view,
    view! {
        <ComingSoon title=Key::CultureTitle blurb=Key::CultureBlurb icon=IconName::Culture />
    }
);

/// Shown while `config.json` loads: the outline of the shell.
#[component]
fn BootSkeleton() -> impl IntoView {
    let label = [
        text(Locale::Zh, Key::Loading),
        " ",
        text(Locale::English, Key::Loading),
    ]
    .concat();
    view! {
        <div class="boot-skeleton">
            <div class="boot-bar"></div>
            <p class="sr-only" role="status">{label}</p>
            <div class="page">
                <div class="skeleton skeleton-title" aria-hidden="true"></div>
                <div class="skeleton skeleton-line wide" aria-hidden="true"></div>
            </div>
        </div>
    }
}

/// Shown when `config.json` cannot be loaded or parsed: the reason in both
/// languages (the patron's language is not known yet) and Retry.
#[component]
fn ConfigError(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let key = error.message_key();
    view! {
        <main class="page config-error">
            <div class="error-view" role="alert">
                <Icon name=IconName::Alert />
                <div class="error-body">
                    <h1 class="error-title">
                        {text(Locale::Zh, Key::ConfigErrorTitle)}
                        <span class="en" lang="en">{text(Locale::English, Key::ConfigErrorTitle)}</span>
                    </h1>
                    <p>{text(Locale::Zh, Key::ConfigErrorHelp)}</p>
                    <p lang="en">{text(Locale::English, Key::ConfigErrorHelp)}</p>
                    <p class="error-message">{text(Locale::Zh, key)}</p>
                    <p class="error-message" lang="en">{text(Locale::English, key)}</p>
                    <button type="button" class="button retry" on:click=move |_| on_retry.run(())>
                        {text(Locale::Zh, Key::Retry)}
                        " · "
                        <span lang="en">{text(Locale::English, Key::Retry)}</span>
                    </button>
                </div>
            </div>
        </main>
    }
}
