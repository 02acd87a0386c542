//! The home page: the library's name, a big search box, example searches
//! and the other services.

use leptos::prelude::*;

use crate::catalog::query::SearchState;
use crate::catalog::search_form::SearchForm;
use crate::components::icons::{Icon, IconName};
use crate::components::title::page_title;
use crate::config::{Pillar, use_config};
use crate::i18n::libraries::LibText;
use crate::i18n::{Key, use_i18n};
use crate::routes::{AppRoute, use_navigator};

/// Example searches offered on the home page (catalog content, the same in
/// both languages).
const QUICK_SEARCHES: [&str; 4] = ["活着", "红楼梦", "岭南", "粤剧"];

/// The page at `/`.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let nav = use_navigator();
    let name = config
        .library_name
        .get(i18n.locale().is_english())
        .to_owned();
    let page_name = name.clone();
    page_title(move || page_name.clone());
    let on_search =
        Callback::new(move |q: String| nav.go(&AppRoute::Search(SearchState::with_query(&q))));

    let search = config.has(Pillar::Catalog).then(|| {
        let quick = QUICK_SEARCHES
            .iter()
            .map(|q| {
                let href = AppRoute::Search(SearchState::with_query(q)).to_href();
                view! { <li><a class="quick-link" href=href>{*q}</a></li> }
            })
            .collect_view();
        view! {
            <SearchForm value=Signal::stored(String::new()) on_search large=true />
            <h2 class="quick-title">{i18n.t(Key::PopularSearches)}</h2>
            <ul class="quick-links">{quick}</ul>
        }
    });

    let pillars = [
        (
            Pillar::Booking,
            AppRoute::Booking,
            Key::BookingTitle,
            Key::BookingBlurb,
            IconName::Booking,
        ),
        (
            Pillar::Culture,
            AppRoute::Culture,
            Key::CultureTitle,
            Key::CultureBlurb,
            IconName::Culture,
        ),
    ]
    .into_iter()
    .filter(|(p, ..)| config.has(*p))
    .map(|(_, route, title, blurb, icon)| (route, i18n.t(title), i18n.t(blurb), icon));
    // Every library's hours, services and directions.
    let libraries = (
        AppRoute::Libraries,
        i18n.tr(LibText::LibrariesTitle),
        i18n.tr(LibText::LibrariesBlurb),
        IconName::Home,
    );
    let services = pillars
        .chain([libraries])
        .map(|(route, title, blurb, icon)| {
            view! {
                <li>
                    <a class="service-card" href=route.to_href()>
                        <Icon name=icon />
                        <span class="service-name">{title}</span>
                        <span class="service-blurb">{blurb}</span>
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let services = {
        view! {
            <section class="home-services" aria-labelledby="services-h">
                <h2 id="services-h">{i18n.t(Key::MoreServices)}</h2>
                <ul class="service-links">{services}</ul>
            </section>
        }
    };

    view! {
        <div class="page home-page">
            <section class="home-hero">
                <h1 class="home-title">{name}</h1>
                <p class="home-tagline">{i18n.t(Key::HomeTagline)}</p>
                {search}
            </section>
            {services}
        </div>
    }
}
