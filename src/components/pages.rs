//! Simple pages shared by every pillar: not found.

use crate::components::title::page_title;
use leptos::prelude::*;

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
