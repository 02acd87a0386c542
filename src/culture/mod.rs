//! The cultural cloud (文化云): the culture home (live now, continue
//! watching, a row per category), search within programmes, a
//! programme's page with its player, rating and episodes, the events
//! calendar with registrations (活动报名), and patrons' requests (点单).
//!
//! All of it is one chunk (`culture_page` in `lib.rs`), whose one view,
//! [`CulturePage`], reads the rest of the path through [`route`]. The
//! rules (routes, where a programme resumes) are plain Rust with native
//! tests; the views stay thin over them. The player is the app-level
//! `crate::player`, mounted by the programme and event pages.

pub mod events;
pub mod home;
pub mod programme;
pub mod requests;
pub mod resume;
pub mod route;
pub mod search;
pub mod timeline;

use leptos::prelude::*;
use yuelan_api::culture::ProgrammeSummary;

use crate::api::ApiError;
use crate::components::icons::{Icon, IconName};
use crate::components::title::page_title;
use crate::i18n::culture::{CultureText as C, code_text};
use crate::i18n::{I18n, use_i18n};
use crate::router::use_router;
use route::CultureRoute;

/// Every page of the cultural cloud: the one the path names.
#[component]
pub fn CulturePage() -> impl IntoView {
    let router = use_router();
    // The search page follows its query itself (typing changes the URL),
    // so a new query does not build the page again.
    let route = Memo::new(
        move |_| match CultureRoute::of_path(&router.path(), &router.query()) {
            CultureRoute::Search(_) => CultureRoute::Search(String::new()),
            other => other,
        },
    );
    move || {
        let route = route.get();
        untrack(move || match route {
            CultureRoute::Home => view! { <home::CultureHomePage /> }.into_any(),
            CultureRoute::Search(_) => view! { <search::CultureSearchPage /> }.into_any(),
            CultureRoute::Programme(id) => view! { <programme::ProgrammePage id /> }.into_any(),
            CultureRoute::Events => view! { <events::EventsPage /> }.into_any(),
            CultureRoute::Event(id) => view! { <events::EventPage id /> }.into_any(),
            CultureRoute::Requests => view! { <requests::RequestsPage /> }.into_any(),
            CultureRoute::NotFound => not_found(use_i18n(), C::NotFoundTitle).into_any(),
        })
    }
}

/// The message for a culture request that failed, in the patron's
/// language: the culture's own codes, else the app's general messages.
pub fn error_text(i18n: I18n, error: &ApiError) -> &'static str {
    match error.code().and_then(code_text) {
        Some(text) => i18n.tr(text),
        None if error.needs_sign_in() => i18n.tr(C::ErrSignIn),
        None => i18n.t(error.message_key()),
    }
}

/// A page saying what could not be found, with the way back.
pub fn not_found(i18n: I18n, message: C) -> impl IntoView {
    page_title(move || i18n.tr(C::NotFoundTitle).to_owned());
    view! {
        <div class="page culture-page culture-missing">
            <div class="error-view" role="alert">
                <Icon name=IconName::Alert />
                <div class="error-body">
                    <h1 class="error-title">{i18n.tr(C::NotFoundTitle)}</h1>
                    <p class="error-message">{i18n.tr(message)}</p>
                    <p>
                        <a class="button" href=CultureRoute::Home.to_href()>
                            {i18n.tr(C::AllCulture)}
                        </a>
                    </p>
                </div>
            </div>
        </div>
    }
}

/// The links between the culture pages.
pub fn culture_nav(i18n: I18n) -> impl IntoView {
    view! {
        <nav class="culture-nav" aria-label=i18n.tr(C::Title)>
            <a href=CultureRoute::Home.to_href()>{i18n.tr(C::Title)}</a>
            <a href=CultureRoute::Events.to_href()>{i18n.tr(C::EventsTitle)}</a>
            <a href=CultureRoute::Requests.to_href()>{i18n.tr(C::RequestsTitle)}</a>
        </nav>
    }
}

/// A programme as a card in a row or a list: its still (or an icon), its
/// title, length and where it was recorded.
pub fn programme_card(
    i18n: I18n,
    p: &ProgrammeSummary,
    extra: Option<String>,
) -> impl IntoView + use<> {
    let english = i18n.locale().is_english();
    let href = CultureRoute::Programme(p.id.clone()).to_href();
    let poster = match &p.poster_url {
        Some(url) => view! { <img src=url.clone() alt="" loading="lazy" /> }.into_any(),
        None => view! { <Icon name=IconName::Culture /> }.into_any(),
    };
    let mut meta = crate::i18n::culture::clock(p.duration_seconds);
    meta.push_str(" · ");
    meta.push_str(p.library_name.get(english));
    view! {
        <a class="prog-card" href=href>
            <span class="prog-poster" aria-hidden="true">{poster}</span>
            <span class="prog-title">{p.title.get(english).to_owned()}</span>
            <span class="prog-meta">{meta}</span>
            {extra.map(|e| view! { <span class="prog-extra">{e}</span> })}
        </a>
    }
}
