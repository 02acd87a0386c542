//! Yuelan (阅览): the patron app of a county public-library network.
//!
//! `App` loads the runtime config, then provides the contexts (preferences,
//! API client, catalog) and renders the one flat route table inside the
//! shell. See `ARCHITECTURE.md` for the code map.

/// A split point: `cargo xtask build` moves the function's code (and what
/// only it reaches) into a WASM chunk of its own, fetched on the first
/// call; callers `.await` it. `fallible`: a chunk that cannot be fetched is
/// an `Err`, never a panic.
///
/// With the feature `unsplit` (the component tests, whose binary is never
/// split, so the split's imports would stay unresolved and the module
/// would not load) it is a plain `async fn`.
macro_rules! split_fn {
    ($chunk:ident, $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(not(feature = "unsplit"))]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(feature = "unsplit")]
        #[allow(clippy::unused_async)]
        $vis async fn $name($($arg: $ty),*) -> $ret $body
    };
}

pub mod account;
pub mod api;
pub mod booking;
pub mod card;
pub mod catalog;
pub mod components;
pub mod config;
pub mod culture;
pub mod favourites;
pub mod home;
pub mod i18n;
pub mod libraries;
pub mod me;
pub mod player;
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
use crate::components::pages::NotFound;
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
    // The session and the sign-in sheet are created by the chunks that need
    // them, under this owner (see `session.rs`).
    session::set_app_owner();
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
        }
    }
}

/// The sign-in sheet while an action (or the Me page) asks for it, mounted
/// at the end of `<body>` the first time one does (see `session.rs`). Its
/// code is in the account's chunk.
#[component]
pub(crate) fn SignInHost() -> impl IntoView {
    let session = session::use_session();
    let open = Memo::new(move |_| session.prompt().is_some());
    move || {
        open.get()
            .then(|| untrack(|| lazy_view(Box::pin(account_view(ACCOUNT_SIGN_IN)), nothing)))
    }
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
    lazy_view(Box::pin(account_view(ACCOUNT_RECORD_ACTIONS)), nothing)
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
        Page::Booking => lazy(Box::pin(booking_view(0))),
        Page::Culture => lazy(Box::pin(culture_view(0))),
        Page::Me => lazy(Box::pin(account_view(ACCOUNT_ME))),
        Page::MeLoans => lazy(Box::pin(account_view(ACCOUNT_LOANS))),
        Page::MeHolds => lazy(Box::pin(account_view(ACCOUNT_HOLDS))),
        Page::MeCard => lazy(Box::pin(card_view(0))),
        Page::MeLists => lazy(Box::pin(lists_view(LISTS_MINE))),
        Page::MeList(_) => lazy(Box::pin(lists_view(LISTS_ONE))),
        Page::SharedList => lazy(Box::pin(lists_view(LISTS_SHARED))),
        Page::Libraries => lazy(Box::pin(libraries_view(LIBRARIES_ALL))),
        Page::Library => lazy(Box::pin(libraries_view(LIBRARIES_ONE))),
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
        split_fn!(
            $chunk,
            fn $split_fn() -> Result<AnyView, ChunkLoadFailed> {
                Ok($view.into_any())
            }
        );
    };
}

/// The views of one feature, in one chunk, chosen by number, shown once
/// the feature's stylesheet (`style/features/<style>.css`) has loaded.
///
/// One split function per feature, not per page: each split function
/// leaves a stub in the main module (about 300 bytes before wasm-opt), and
/// pages that belong together share their code anyway. The number is a
/// `u8` because the split calls through a C ABI.
macro_rules! lazy_feature {
    ($chunk:ident, $split_fn:ident, $style:literal, $placeholder:expr, { $($n:pat => $view:expr),* $(,)? }) => {
        split_fn!($chunk, fn $split_fn(which: u8) -> Result<AnyView, ChunkLoadFailed> {
            Ok(components::style::styled($style, $placeholder, which, move || match which {
                $($n => $view.into_any(),)*
            }))
        });
    };
}

lazy_page!(home_page, home_view, view! { <home::HomePage /> });
lazy_page!(record_page, record_view, view! { <catalog::RecordPage /> });

const ACCOUNT_ME: u8 = 0;
const ACCOUNT_LOANS: u8 = 1;
const ACCOUNT_HOLDS: u8 = 2;
const ACCOUNT_SIGN_IN: u8 = 3;
const ACCOUNT_RECORD_ACTIONS: u8 = 4;
lazy_feature!(account_page, account_view, "account", placeholder_for_account, {
    ACCOUNT_ME => view! { <me::MePage /> },
    ACCOUNT_LOANS => view! { <account::LoansPage /> },
    ACCOUNT_HOLDS => view! { <account::HoldsPage /> },
    ACCOUNT_SIGN_IN => view! { <account::SignInSheet /> },
    _ => view! { <RecordActions /> },
});

/// What shows while the account's stylesheet loads: a page's skeleton, or
/// nothing for the pieces shown over or within other pages.
fn placeholder_for_account(which: u8) -> AnyView {
    if which <= ACCOUNT_HOLDS {
        page_skeleton()
    } else {
        nothing()
    }
}

fn page_placeholder(_which: u8) -> AnyView {
    page_skeleton()
}

lazy_feature!(booking_page, booking_view, "booking", page_placeholder, {
    _ => view! { <booking::BookingPage /> },
});

lazy_feature!(card_page, card_view, "card", page_placeholder, {
    _ => view! { <card::CardPage /> },
});

const LISTS_MINE: u8 = 0;
const LISTS_ONE: u8 = 1;
const LISTS_SHARED: u8 = 2;
lazy_feature!(lists_page, lists_view, "lists", page_placeholder, {
    LISTS_MINE => view! { <favourites::ListsPage /> },
    LISTS_ONE => view! { <favourites::ListPage /> },
    _ => view! { <favourites::SharedListPage /> },
});

const LIBRARIES_ALL: u8 = 0;
const LIBRARIES_ONE: u8 = 1;
lazy_feature!(libraries_page, libraries_view, "libraries", page_placeholder, {
    LIBRARIES_ALL => view! { <libraries::LibrariesPage /> },
    _ => view! { <libraries::LibraryPage /> },
});

// Every page of the cultural cloud: its view reads the rest of the path.
lazy_feature!(culture_page, culture_view, "culture", page_placeholder, {
    _ => view! { <culture::CulturePage /> },
});

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
