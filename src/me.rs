//! The patron's own page, `/me`, composed at app level: who is signed in,
//! one timeline of what needs them (each feature adds its entries: the
//! account its loans and holds, booking its offers and bookings; culture
//! later its own), links
//! to the account's pages, the display settings (language, elder mode)
//! and sign-out. Features do not import each other: this module is where
//! their pieces meet.

use leptos::prelude::*;
use yuelan_api::account::Account;

use crate::account::signin::signed_in_as;
use crate::account::{library_name, load_account, load_libraries, signed_out_panel, this_year};
use crate::api::{ApiError, use_api};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::PageSkeleton;
use crate::components::timeline::{Timeline, TimelineEntry, merge};
use crate::components::title::page_title;
use crate::i18n::account::{AccountText as T, block_text};
use crate::i18n::{I18n, Key, Locale, use_i18n};
use crate::prefs::use_elder_mode;
use crate::routes::AppRoute;
use crate::session::{Auth, use_session};

/// The id of a language's radio button.
fn radio_id(locale: Locale) -> &'static str {
    match locale {
        Locale::Zh => "locale-zh",
        Locale::English => "locale-en",
    }
}

/// The page at `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.t(Key::MeTitle).to_owned());
    let session = use_session();
    let retry = RwSignal::new(0u32);
    let account = load_account(retry);
    let libraries = load_libraries();
    // The booking's entries: loaded beside the account, shown when here
    // (a failure leaves them out; the account's entries still show).
    let bookings: crate::api::Slot<yuelan_api::booking::MyBookings> = RwSignal::new(None);
    {
        let api = use_api();
        crate::api::load_into(bookings, None, move || {
            let _ = session.generation();
            api.my_bookings()
        });
    }
    let culture = crate::culture::timeline::load();
    let notice = RwSignal::new(None::<String>);

    let body = move || {
        // While the session is unknown and the answer not here, a skeleton.
        match (account.get(), session.auth()) {
            (None, _) => view! { <PageSkeleton /> }.into_any(),
            (Some(Err(e)), _) if e.needs_sign_in() => signed_out_panel(i18n),
            (Some(Err(error)), _) => view! {
                <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
            }
            .into_any(),
            (Some(Ok(_)), Auth::SignedOut) => signed_out_panel(i18n),
            (Some(Ok(a)), _) => {
                // Names of pickup libraries come with the timeline.
                if libraries.with(Option::is_none) {
                    return view! { <PageSkeleton /> }.into_any();
                }
                account_summary(i18n, a, libraries, bookings, culture)
            }
        }
    };

    view! {
        <div class="page me-page">
            <h1>{i18n.t(Key::MeTitle)}</h1>
            <p class="me-notice" role="status">{move || notice.get()}</p>
            {body}
            <nav class="me-links" aria-label=i18n.t(Key::MeTitle)>
                <ul>
                    {me_link(AppRoute::MeLoans, IconName::Book, i18n.tr(T::MeLoans))}
                    {me_link(AppRoute::MeHolds, IconName::Hold, i18n.tr(T::MeHolds))}
                    {me_link(AppRoute::MeCard, IconName::Me, i18n.tr(T::MeCard))}
                    {me_link(AppRoute::MeLists, IconName::Check, i18n.tr(T::MeLists))}
                    {me_link(AppRoute::Libraries, IconName::Home, i18n.tr(T::MeLibraries))}
                </ul>
            </nav>
            <section class="me-settings" aria-labelledby="settings-h">
                <h2 id="settings-h">{i18n.tr(T::Settings)}</h2>
                {settings(i18n)}
            </section>
            {move || session.patron().map(|_| sign_out_button(i18n, notice))}
        </div>
    }
}

fn me_link(route: AppRoute, icon: IconName, label: &'static str) -> impl IntoView {
    view! {
        <li>
            <a class="me-link" href=route.to_href()>
                <Icon name=icon />
                <span>{label}</span>
            </a>
        </li>
    }
}

/// Who is signed in, a block if any, and the timeline.
fn account_summary(
    i18n: I18n,
    account: Account,
    libraries: crate::api::Slot<yuelan_api::LibraryList>,
    bookings: crate::api::Slot<yuelan_api::booking::MyBookings>,
    culture: crate::culture::timeline::CultureTimeline,
) -> AnyView {
    let locale = i18n.locale();
    let english = locale.is_english();
    let name_of = move |id: &str| library_name(libraries, id, english);
    // Each feature's entries.
    let account_entries: Vec<TimelineEntry> =
        crate::account::timeline::entries(&account, locale, this_year(), &name_of);
    let timeline = move || {
        let booking_entries = bookings.with(|b| match b {
            Some(Ok(b)) => {
                crate::booking::timeline_entries(b, locale, crate::booking::model::LocalTime::now())
            }
            _ => Vec::new(),
        });
        let entries = merge(vec![
            account_entries.clone(),
            booking_entries,
            culture.entries(locale),
        ]);
        view! { <Timeline entries empty=i18n.tr(T::MeNothingNeedsYou) /> }
    };
    let patron = &account.patron;
    let home = [i18n.tr(T::MeHomeLibrary), &name_of(&patron.home_library_id)].concat();
    let blocked = patron.blocked.map(|reason| {
        view! {
            <p class="me-blocked" role="note">
                <Icon name=IconName::Alert />
                {[i18n.tr(T::Blocked), i18n.tr(block_text(reason))].concat()}
            </p>
        }
    });
    view! {
        <section class="me-patron" aria-label=signed_in_as(i18n, &patron.name)>
            <p class="me-name">{signed_in_as(i18n, &patron.name)}</p>
            <p class="me-home muted">{home}</p>
            {blocked}
        </section>
        <section class="me-needs" aria-labelledby="needs-h">
            <h2 id="needs-h">{i18n.tr(T::MeNeedsYou)}</h2>
            {timeline}
        </section>
    }
    .into_any()
}

/// Signs out: ends the session on the server, forgets this device's copy
/// of the card, and says so.
fn sign_out_button(i18n: I18n, notice: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let busy = RwSignal::new(false);
    let sign_out = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let request = api.sign_out();
        leptos::task::spawn_local(async move {
            let out: Result<(), ApiError> = request.await;
            busy.try_set(false);
            // Signed out on this device whatever the server said; a network
            // failure leaves the server's session to expire by itself.
            crate::card::forget_card_on_device();
            session.signed_out();
            let _ = out;
            notice.try_set(Some(i18n.tr(T::SignedOut).to_owned()));
        });
    };
    view! {
        <p class="me-signout">
            <button
                type="button"
                class="button secondary sign-out"
                disabled=move || busy.get()
                on:click=sign_out
            >
                {move || i18n.tr(if busy.get() { T::SigningOut } else { T::SignOut })}
            </button>
        </p>
    }
}

/// Language and elder mode.
fn settings(i18n: I18n) -> impl IntoView {
    let elder = use_elder_mode();
    let languages = [Locale::Zh, Locale::English]
        .into_iter()
        .map(|locale| {
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name="locale"
                        id=radio_id(locale)
                        value=locale.tag()
                        prop:checked=i18n.locale() == locale
                        on:change=move |_| i18n.switch_from(locale, radio_id(locale))
                    />
                    <span lang=locale.tag()>{locale.own_name()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="setting">
            <legend>{i18n.t(Key::LanguageSetting)}</legend>
            <div class="choices">{languages}</div>
        </fieldset>
        <div class="setting switch-row">
            <div>
                <p id="elder-label" class="setting-name">{i18n.t(Key::ElderMode)}</p>
                <p id="elder-help" class="muted">{i18n.t(Key::ElderModeHelp)}</p>
            </div>
            <button
                type="button"
                class="switch elder-toggle"
                role="switch"
                aria-checked=move || elder.is_on().to_string()
                aria-labelledby="elder-label"
                aria-describedby="elder-help"
                on:click=move |_| elder.set(!elder.is_on())
            >
                <span class="switch-knob"></span>
            </button>
        </div>
    }
}
