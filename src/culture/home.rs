//! The culture home, `/culture`: the search box, what is live now, the
//! patron's unfinished programmes, the next events, and a row per
//! category.

use leptos::prelude::*;
use yuelan_api::culture::{CultureEvent, CultureHome};

use super::route::CultureRoute;
use super::{culture_nav, programme_card};
use crate::api::{Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::culture::{self as texts, CultureText as C, category_text};
use crate::i18n::{I18n, use_i18n};
use crate::router::use_router;

/// The page at `/culture`.
#[component]
pub fn CultureHomePage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(C::Title).to_owned());
    let api = use_api();
    let home: Slot<CultureHome> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(home, None, move || {
        retry.track();
        api.culture_home()
    });
    view! {
        <div class="page culture-page culture-home">
            <h1>{i18n.tr(C::Title)}</h1>
            <p class="muted">{i18n.tr(C::Blurb)}</p>
            {search_form(i18n, String::new())}
            {culture_nav(i18n)}
            {move || match home.get() {
                None => view! { <PageSkeleton /> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
                }
                .into_any(),
                Some(Ok(home)) => untrack(|| home_view(i18n, home)).into_any(),
            }}
        </div>
    }
}

/// The search box: submitting it opens the search page with the query.
pub fn search_form(i18n: I18n, initial: String) -> impl IntoView {
    let router = use_router();
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        router.navigate(
            &CultureRoute::Search(q.trim().to_owned()).to_href(),
            false,
            true,
        );
    };
    view! {
        <form class="culture-search" role="search" on:submit=submit>
            <label class="sr-only" for="culture-q">{i18n.tr(C::SearchLabel)}</label>
            <input
                id="culture-q"
                node_ref=input
                type="search"
                name="q"
                value=initial
                autocomplete="off"
                placeholder=i18n.tr(C::SearchPlaceholder)
            />
            <button type="submit" class="button">{i18n.tr(C::SearchButton)}</button>
        </form>
    }
}

fn home_view(i18n: I18n, home: CultureHome) -> impl IntoView {
    let locale = i18n.locale();
    let live = (!home.live_now.is_empty()).then(|| {
        let items = home
            .live_now
            .iter()
            .map(|e| event_line(i18n, e))
            .collect_view();
        view! {
            <section class="culture-row live-now" aria-labelledby="live-h">
                <h2 id="live-h">{i18n.tr(C::LiveNow)}</h2>
                <ul class="event-lines">{items}</ul>
            </section>
        }
    });
    let continuing = (!home.continue_watching.is_empty()).then(|| {
        let items = home
            .continue_watching
            .iter()
            .map(|c| {
                let extra = texts::stopped_at(
                    locale,
                    c.progress.position_seconds,
                    c.progress.duration_seconds,
                );
                view! { <li>{programme_card(i18n, &c.programme, Some(extra))}</li> }
            })
            .collect_view();
        view! {
            <section class="culture-row continue" aria-labelledby="continue-h">
                <h2 id="continue-h">{i18n.tr(C::ContinueWatching)}</h2>
                <ul class="prog-row">{items}</ul>
            </section>
        }
    });
    let upcoming = (!home.upcoming.is_empty()).then(|| {
        let items = home
            .upcoming
            .iter()
            .take(3)
            .map(|e| event_line(i18n, e))
            .collect_view();
        view! {
            <section class="culture-row upcoming" aria-labelledby="upcoming-h">
                <h2 id="upcoming-h">
                    <a href=CultureRoute::Events.to_href()>{i18n.tr(C::EventsTitle)}</a>
                </h2>
                <ul class="event-lines">{items}</ul>
            </section>
        }
    });
    let rows = home
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let id = ["row-h-", &i.to_string()].concat();
            let items = row
                .programmes
                .iter()
                .map(|p| view! { <li>{programme_card(i18n, p, None)}</li> })
                .collect_view();
            view! {
                <section class="culture-row category" aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{i18n.tr(category_text(row.category))}</h2>
                    <ul class="prog-row">{items}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        {live}
        {continuing}
        {upcoming}
        {rows}
    }
}

/// An event in a list: its state in words (and a LIVE badge), title,
/// time and place.
pub fn event_line(i18n: I18n, e: &CultureEvent) -> impl IntoView + use<> {
    let locale = i18n.locale();
    let english = locale.is_english();
    let live = e.status == yuelan_api::culture::EventStatus::Live;
    let when = [
        texts::when(locale, &e.starts_at),
        " · ".to_owned(),
        e.library_name.get(english).to_owned(),
    ]
    .concat();
    view! {
        <li class="event-line" data-status=e.status.as_str()>
            {live.then(|| view! { <span class="live-badge">{i18n.tr(C::LiveBadge)}</span> })}
            <a class="event-title" href=CultureRoute::Event(e.id.clone()).to_href()>
                {e.title.get(english).to_owned()}
            </a>
            <span class="event-when">{when}</span>
            <span class="event-status">{i18n.tr(texts::status_text(e.status))}</span>
        </li>
    }
}
