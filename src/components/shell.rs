//! The frame of every page: header (brand, navigation, language switch) and
//! the main landmark. On phones the navigation is a tab bar fixed to the
//! bottom of the screen; from 900 px wide it sits in the header.

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::components::lang_toggle::LangToggle;
use crate::config::{Pillar, use_config};
use crate::i18n::{Key, use_i18n};
use crate::router::use_router;
use crate::routes::{AppRoute, Tab};

fn tab_label(tab: Tab) -> Key {
    match tab {
        Tab::Home => Key::NavHome,
        Tab::Search => Key::NavSearch,
        Tab::Booking => Key::NavBooking,
        Tab::Culture => Key::NavCulture,
        Tab::Me => Key::NavMe,
    }
}

fn tab_icon(tab: Tab) -> IconName {
    match tab {
        Tab::Home => IconName::Home,
        Tab::Search => IconName::Search,
        Tab::Booking => IconName::Booking,
        Tab::Culture => IconName::Culture,
        Tab::Me => IconName::Me,
    }
}

fn tab_pillar(tab: Tab) -> Option<Pillar> {
    match tab {
        Tab::Search => Some(Pillar::Catalog),
        Tab::Booking => Some(Pillar::Booking),
        Tab::Culture => Some(Pillar::Culture),
        Tab::Home | Tab::Me => None,
    }
}

/// Header, navigation and `<main>` around the routed page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let router = use_router();
    let current_tab = Memo::new(move |_| AppRoute::tab_of_path(&router.path()));

    let short_name = config.short_name.get(i18n.locale().is_english()).to_owned();

    // Move focus to the page after client-side navigation, so keyboard and
    // screen-reader users start at the new content, not at the old link.
    let main_ref = NodeRef::<leptos::html::Main>::new();
    Effect::new(move |prev: Option<String>| {
        let path = router.path();
        if prev.is_some_and(|p| p != path)
            && let Some(main) = main_ref.get_untracked()
        {
            let _ = main.focus();
        }
        path
    });

    let tabs = Tab::ALL
        .into_iter()
        .filter(|tab| tab_pillar(*tab).is_none_or(|p| config.has(p)))
        .map(|tab| {
            let href = tab.route().to_href();
            let current = move || (current_tab.get() == Some(tab)).then_some("page");
            view! {
                <li>
                    <a class="tab" href=href aria-current=current>
                        <Icon name=tab_icon(tab) />
                        <span class="tab-label">{i18n.t(tab_label(tab))}</span>
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <header class="app-header">
            <div class="header-inner">
                <a class="brand" href=AppRoute::Home.to_href()>
                    <Icon name=IconName::Book />
                    <span class="brand-name">{short_name}</span>
                </a>
                <nav class="tabbar" aria-label=i18n.t(Key::MainNav)>
                    <ul>{tabs}</ul>
                </nav>
                <LangToggle />
            </div>
        </header>
        <main id="main" class="app-main" tabindex="-1" node_ref=main_ref>
            {children()}
        </main>
    }
}
