//! Yuelan (阅览): the patron app of a county public-library network.
//!
//! `App` loads the runtime config, then provides the contexts (preferences,
//! API client, catalog) and renders the one flat route table inside the
//! shell. See `ARCHITECTURE.md` for the code map.

pub mod account;
pub mod api;
pub mod catalog;
pub mod components;
pub mod config;
pub mod home;
pub mod i18n;
pub mod prefs;
pub mod routes;
pub mod storage;
pub mod urlenc;

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, ParamSegment, StaticSegment, path};

use crate::api::ApiError;
use crate::components::icons::{Icon, IconName};
use crate::components::lazy::{ChunkLoadFailed, chunk_failed};
use crate::components::pages::{ComingSoon, NotFound};
use crate::components::shell::Shell;
use crate::config::{AppConfig, Pillar};
use crate::i18n::{Key, Locale, text};

/// The whole app: config first, then everything else.
///
/// The config is read synchronously (`get`), not through a `<Suspense>`:
/// an app-wide suspense boundary would also catch every page's pending
/// reads and unmount the whole shell (and the focus) while a page loads.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let config = LocalResource::new(api::fetch_config);
    move || match config.get() {
        None => EitherOf3::A(view! { <BootSkeleton /> }),
        Some(Ok(config)) => EitherOf3::B(view! { <ConfiguredApp config /> }),
        Some(Err(error)) => {
            EitherOf3::C(view! { <ConfigError error on_retry=move |_| config.refetch() /> })
        }
    }
}

/// The app for a loaded config: providers and the route table.
#[component]
fn ConfiguredApp(config: AppConfig) -> impl IntoView {
    let (i18n, elder) = prefs::provide_prefs(config.default_locale());
    config::apply_brand(&config.brand_colour());
    let client = api::provide_api(&config);
    catalog::provide_catalog(client);
    // A pillar the library does not offer gets a path no URL can match, so
    // its routes fall through to "not found" (and its tab is hidden).
    let pillar =
        |p: Pillar, path: &'static str| StaticSegment(if config.has(p) { path } else { NEVER });
    let (search, record) = (
        pillar(Pillar::Catalog, "search"),
        pillar(Pillar::Catalog, "record"),
    );
    let (booking, culture) = (
        pillar(Pillar::Booking, "booking"),
        pillar(Pillar::Culture, "culture"),
    );
    config::provide_config(config);
    // Now, before the first paint, and again on every change.
    prefs::apply_to_document(i18n.locale(), elder.is_on_untracked());
    Effect::new(move |_| prefs::apply_to_document(i18n.tracked(), elder.is_on()));

    view! {
        <Router>
            // Views are built in one language; a switch rebuilds them here.
            {move || {
                let _ = i18n.tracked();
                if let Some(id) = i18n.take_refocus() {
                    request_animation_frame(move || prefs::focus_by_id(id));
                }
                view! {
                    <Shell>
                        <Routes fallback=NotFound>
                            <Route path=path!("/") view={Lazy::<HomeRoute>::new()} />
                            <Route path=search view=catalog::SearchPage />
                            <Route path=(record, ParamSegment("id")) view={Lazy::<RecordRoute>::new()} />
                            <Route path=booking view={Lazy::<BookingRoute>::new()} />
                            <Route path=culture view={Lazy::<CultureRoute>::new()} />
                            <Route path=path!("/me") view={Lazy::<MeRoute>::new()} />
                        </Routes>
                    </Shell>
                }
            }}
        </Router>
    }
}

/// A path segment no URL contains (a control character is always
/// percent-encoded in a URL path).
const NEVER: &str = "\u{1}";

/// A page loaded on demand. Its view function is a split point: `cargo
/// xtask build` moves its code into a WASM chunk of its own, fetched when
/// the route first opens, so the search page's first load does not carry
/// it. The split is `fallible`: a chunk that cannot be fetched shows the
/// network error with Retry (leptos's `#[lazy_route]` would panic, and a
/// panic kills the app). A failed fetch is not cached, so Retry refetches.
macro_rules! lazy_page {
    ($route:ident, $chunk:ident, $split_fn:ident, $view:expr) => {
        struct $route;

        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $split_fn() -> Result<AnyView, ChunkLoadFailed> {
            Ok($view.into_any())
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $split_fn().await.unwrap_or_else(|ChunkLoadFailed| chunk_failed())
            }
        }
    };
}

lazy_page!(HomeRoute, home_page, home_view, view! { <home::HomePage /> });
lazy_page!(RecordRoute, record_page, record_view, view! { <catalog::RecordPage /> });
lazy_page!(MeRoute, me_page, me_view, view! { <account::MePage /> });
lazy_page!(BookingRoute, booking_page, booking_view, view! {
    <ComingSoon title=Key::BookingTitle blurb=Key::BookingBlurb icon=IconName::Booking />
});
lazy_page!(CultureRoute, culture_page, culture_view, view! {
    <ComingSoon title=Key::CultureTitle blurb=Key::CultureBlurb icon=IconName::Culture />
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
