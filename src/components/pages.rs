//! Simple pages shared by every pillar: not found, coming soon.

use crate::components::title::page_title;
use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::i18n::{Key, use_i18n};
use crate::routes::AppRoute;

/// The page for paths no page answers to, and for disabled pillars.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.t(Key::NotFoundTitle).to_owned());
    view! {
        <section class="page simple-page">
            <h1>{i18n.t(Key::NotFoundTitle)}</h1>
            <p>{i18n.t(Key::NotFoundText)}</p>
            <p>
                <a class="button" href=AppRoute::Home.to_href()>{i18n.t(Key::GoHome)}</a>
            </p>
        </section>
    }
}

/// A pillar that is not built yet: its name, what it will do, a way home.
#[component]
pub fn ComingSoon(
    /// The page heading.
    title: Key,
    /// One sentence on what the pillar will offer.
    blurb: Key,
    icon: IconName,
) -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.t(title).to_owned());
    view! {
        <section class="page simple-page coming-soon">
            <div class="coming-soon-icon">
                <Icon name=icon />
            </div>
            <h1>{i18n.t(title)}</h1>
            <p>{i18n.t(blurb)}</p>
            <p class="muted">{i18n.t(Key::ComingSoon)}</p>
            <p>
                <a class="button" href=AppRoute::Home.to_href()>{i18n.t(Key::GoHome)}</a>
            </p>
        </section>
    }
}
