//! The library directory: every library and village centre, with whether
//! it is open now, its hours this week, its services and directions.
//!
//! `hours` (open now, the week's rows) and `directory` (groups, phone,
//! map and collection links) are plain Rust with native tests; the views
//! here stay thin over them. Both pages are chunks of their own.

pub mod directory;
pub mod hours;

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use yuelan_api::{Library, LibraryList, Service};

use crate::api::{Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName, path_icon};
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::libraries::{self as texts, DirText, LibText};
use crate::i18n::{I18n, use_i18n};
use crate::router::use_router;
use crate::routes::{AppRoute, Page};
use hours::{LocalTime, OpenState, Week};

/// How often a page on screen works out again whether each library is
/// open: a patron may leave the page open past a closing time.
const CLOCK_TICK: Duration = Duration::from_secs(30);

/// The library list, loaded for the page, and the retry that loads it again.
fn load_libraries() -> (Slot<Arc<LibraryList>>, Callback<()>) {
    let client = use_api();
    let list: Slot<Arc<LibraryList>> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(list, None, move || {
        retry.track();
        let fut = client.libraries();
        Box::pin(async move { fut.await.map(Arc::new) })
    });
    let on_retry = Callback::new(move |()| retry.update(|n| *n = n.wrapping_add(1)));
    (list, on_retry)
}

/// The time now (milliseconds since the epoch, UTC), renewed every
/// [`CLOCK_TICK`] while the calling page is on screen.
fn use_clock() -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        CLOCK_TICK,
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// The page at `/libraries`.
#[component]
pub fn LibrariesPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(LibText::LibrariesTitle).to_owned());
    let (list, on_retry) = load_libraries();
    let now = use_clock();
    view! {
        <div class="page libraries-page">
            <h1>{i18n.tr(LibText::LibrariesTitle)}</h1>
            {move || match list.get() {
                None => view! { <PageSkeleton /> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error on_retry /> }.into_any(),
                Some(Ok(list)) => untrack(|| directory_view(i18n, &list, now)).into_any(),
            }}
        </div>
    }
}

/// Every library, grouped by kind.
fn directory_view(i18n: I18n, list: &LibraryList, now: RwSignal<f64>) -> impl IntoView {
    let english = i18n.locale().is_english();
    let groups = directory::group_by_kind(&list.libraries)
        .into_iter()
        .enumerate()
        .map(|(i, (kind, members))| {
            let heading_id = ["library-group-", &i.to_string()].concat();
            let labelled_by = heading_id.clone();
            let entries = members
                .into_iter()
                .map(|library| {
                    let href = AppRoute::Library(library.id.clone()).to_href();
                    let week = Week::from_hours(&library.hours);
                    view! {
                        <li class="library-entry">
                            <h3 class="library-name">
                                <a href=href>{library.name.get(english).to_owned()}</a>
                            </h3>
                            <OpenStateLine week now />
                            <p class="library-address">{library.address.get(english).to_owned()}</p>
                            {library.pickup_point.then(|| pickup_mark(i18n))}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="library-group" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{i18n.tr(texts::group_key(kind))}</h2>
                    <ul class="library-list">{entries}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <p class="library-count" role="status">
            {texts::library_count(i18n.locale(), list.libraries.len())}
        </p>
        {groups}
    }
}

/// "Holds can be collected here", with its icon.
fn pickup_mark(i18n: I18n) -> impl IntoView {
    view! {
        <p class="pickup-mark">
            <Icon name=IconName::Hold />
            <span>{i18n.tr(DirText::PickupPoint)}</span>
        </p>
    }
}

/// Whether a library is open now, as an icon and a line of text (never
/// colour alone), following the clock. With `live`, a change (such as
/// "closing soon") is announced.
#[component]
pub fn OpenStateLine(
    /// The library's weekly hours.
    week: Week,
    /// The time now, in milliseconds since the epoch (UTC). A `Signal`,
    /// not the pages' `RwSignal`: measured, the main module was 0.5 KB
    /// brotli smaller this way.
    #[prop(into)]
    now: Signal<f64>,
    /// Whether changes are announced (on a library's own page).
    #[prop(optional)]
    live: bool,
) -> impl IntoView {
    let locale = use_i18n().locale();
    let state = Memo::new(move |_| week.state_at(LocalTime::from_utc_ms(now.get())));
    let kind = move || match state.get() {
        OpenState::Open { soon: false, .. } => "open",
        OpenState::Open { soon: true, .. } => "closing",
        OpenState::OpensToday { .. } | OpenState::OpensLater { .. } => "closed",
        OpenState::NoHours => "unknown",
    };
    let content = move || {
        let state = state.get();
        let icon = match state {
            OpenState::Open { soon: false, .. } => IconName::Check,
            OpenState::Open { soon: true, .. } => IconName::Clock,
            OpenState::OpensToday { .. } | OpenState::OpensLater { .. } => IconName::Minus,
            OpenState::NoHours => IconName::Question,
        };
        let (head, detail) = texts::open_state_text(locale, state);
        let detail =
            (!detail.is_empty()).then(|| view! { <span class="open-detail">{detail}</span> });
        view! {
            <Icon name=icon />
            <span class="open-text">
                <strong class="open-head">{head}</strong>
                {detail}
            </span>
        }
    };
    view! {
        <p class="open-state" data-state=kind role=live.then_some("status")>
            {content}
        </p>
    }
}

/// The page at `/libraries/{id}`.
#[component]
pub fn LibraryPage() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    // The id in the URL; while the router is already elsewhere (this page
    // is being replaced), the last one. A link from one library to
    // another (its parent) stays on this page and changes the id.
    let id = Memo::new(move |prev: Option<&Option<String>>| {
        let path = router.path();
        match Page::of_path(&path) {
            Page::Library => Page::text_id(&path),
            _ => prev.cloned().flatten(),
        }
    });
    let (list, on_retry) = load_libraries();
    let now = use_clock();
    let english = i18n.locale().is_english();

    page_title(move || {
        let found = list.with(|l| match l {
            Some(Ok(list)) => id.with(|id| {
                id.as_deref()
                    .and_then(|id| directory::find(&list.libraries, id))
                    .map(|l| l.name.get(english).to_owned())
            }),
            _ => None,
        });
        found.unwrap_or_else(|| match list.with(|l| matches!(l, Some(Ok(_)))) {
            true => i18n.tr(DirText::LibraryNotFoundTitle).to_owned(),
            false => i18n.tr(LibText::LibrariesTitle).to_owned(),
        })
    });

    view! {
        <div class="page library-page">
            <p class="back">
                <a class="back-link" href=AppRoute::Libraries.to_href()>
                    <Icon name=IconName::Back />
                    <span>{i18n.tr(DirText::AllLibraries)}</span>
                </a>
            </p>
            {move || {
                let id = id.get();
                match list.get() {
                    None => view! { <PageSkeleton /> }.into_any(),
                    Some(Err(error)) => view! { <ErrorView error on_retry /> }.into_any(),
                    Some(Ok(list)) => {
                        let found = id
                            .as_deref()
                            .and_then(|id| directory::find(&list.libraries, id));
                        match found {
                            Some(library) => {
                                untrack(|| library_view(i18n, &list, library, now)).into_any()
                            }
                            None => not_found(i18n).into_any(),
                        }
                    }
                }
            }}
        </div>
    }
}

/// An id no library has: say so, and offer the whole list.
fn not_found(i18n: I18n) -> impl IntoView {
    view! {
        <section class="library-not-found">
            <h1>{i18n.tr(DirText::LibraryNotFoundTitle)}</h1>
            <p>{i18n.tr(DirText::LibraryNotFoundText)}</p>
            <p>
                <a class="button" href=AppRoute::Libraries.to_href()>
                    {i18n.tr(DirText::AllLibraries)}
                </a>
            </p>
        </section>
    }
}

/// One library's page.
fn library_view(
    i18n: I18n,
    list: &LibraryList,
    library: &Library,
    now: RwSignal<f64>,
) -> impl IntoView {
    let english = i18n.locale().is_english();
    let name = library.name.get(english).to_owned();
    let week = Week::from_hours(&library.hours);
    let parent = directory::parent(&list.libraries, library).map(|p| {
        let href = AppRoute::Library(p.id.clone()).to_href();
        view! {
            " · "
            {i18n.tr(DirText::PartOf)}
            <a href=href>{p.name.get(english).to_owned()}</a>
        }
    });
    let collection = directory::collection_route(&library.id).to_href();
    let address = library.address.get(english).to_owned();
    let phone = library.phone.as_deref().and_then(|phone| {
        let href = directory::tel_href(phone)?;
        let phone = phone.trim().to_owned();
        Some(view! {
            <div class="field">
                <dt>{i18n.tr(DirText::Phone)}</dt>
                <dd>
                    <a class="phone-link" href=href>
                        {path_icon(PHONE_ICON)}
                        <span>{phone}</span>
                    </a>
                </dd>
            </div>
        })
    });
    let directions = directory::amap_marker_url(library.latitude, library.longitude, &name)
        .map(|href| {
            view! {
                <p>
                    <a class="button directions" href=href target="_blank" rel="noopener noreferrer">
                        {path_icon(MAP_ICON)}
                        <span>{i18n.tr(DirText::Directions)}</span>
                        <span class="sr-only">{i18n.tr(DirText::OpensNewWindow)}</span>
                    </a>
                </p>
            }
        });

    view! {
        <article class="library">
            <h1 class="library-title">{name}</h1>
            <p class="library-kind">{i18n.tr(texts::kind_key(library.kind))} {parent}</p>
            <OpenStateLine week=week.clone() now live=true />
            {library.pickup_point.then(|| pickup_mark(i18n))}
            <p>
                <a class="button secondary collection-link" href=collection>
                    <Icon name=IconName::Search />
                    <span>{i18n.tr(DirText::SearchCollection)}</span>
                </a>
            </p>
            <section class="library-section" aria-labelledby="hours-h">
                <h2 id="hours-h">{i18n.tr(DirText::HoursThisWeek)}</h2>
                {hours_table(i18n, week, now)}
            </section>
            <section class="library-section" aria-labelledby="contact-h">
                <h2 id="contact-h">{i18n.tr(DirText::Contact)}</h2>
                <dl class="library-fields">
                    <div class="field">
                        <dt>{i18n.tr(DirText::Address)}</dt>
                        <dd>{address}</dd>
                    </div>
                    {phone}
                </dl>
                {directions}
            </section>
            <section class="library-section" aria-labelledby="services-h">
                <h2 id="services-h">{i18n.tr(DirText::Services)}</h2>
                {services_list(i18n, library)}
            </section>
        </article>
    }
}

/// The hours of this week, Monday to Sunday, today marked in text (and
/// for assistive technology with `aria-current="date"`), closed days
/// shown as closed. Rebuilt when the day changes.
fn hours_table(i18n: I18n, week: Week, now: RwSignal<f64>) -> impl IntoView {
    if week.is_empty() {
        return view! { <p class="no-hours">{i18n.tr(DirText::NoHours)}</p> }.into_any();
    }
    let locale = i18n.locale();
    let today = Memo::new(move |_| LocalTime::from_utc_ms(now.get()).weekday);
    let rows = move || {
        week.rows(today.get())
            .into_iter()
            .map(|row| {
                let hours = if row.sessions.is_empty() {
                    view! { <span class="closed">{i18n.tr(DirText::Closed)}</span> }.into_any()
                } else {
                    row.sessions
                        .iter()
                        .map(|s| {
                            view! { <span class="session">{texts::session_text(s.opens, s.closes)}</span> }
                        })
                        .collect_view()
                        .into_any()
                };
                let today_mark = row.today.then(|| {
                    view! { <span class="today-mark">{i18n.tr(DirText::Today)}</span> }
                });
                view! {
                    <tr class:today=row.today aria-current=row.today.then_some("date")>
                        <th scope="row">
                            <span class="weekday">{texts::weekday_name(locale, row.weekday)}</span>
                            {today_mark}
                        </th>
                        <td>{hours}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="hours-table" aria-labelledby="hours-h">
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(DirText::Day)}</th>
                    <th scope="col">{i18n.tr(DirText::Hours)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The services, each with an icon and its name; a note when none are
/// listed.
fn services_list(i18n: I18n, library: &Library) -> impl IntoView {
    let services = directory::services(library);
    if services.is_empty() {
        return view! { <p class="no-services">{i18n.tr(DirText::NoServices)}</p> }.into_any();
    }
    let items = services
        .into_iter()
        .map(|s| {
            view! {
                <li class="service">
                    {path_icon(service_icon(s))}
                    <span>{i18n.tr(texts::service_key(s))}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="service-list">{items}</ul> }.into_any()
}

/// A telephone handset.
const PHONE_ICON: &str =
    "M5 3h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 12l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z";
/// A map pin.
const MAP_ICON: &str = "M12 21s-7-6.3-7-11a7 7 0 0 1 14 0c0 4.7-7 11-7 11zM12 7.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z";

/// The icon of a service (24×24 stroked paths, as `components::icons`).
fn service_icon(service: Service) -> &'static str {
    match service {
        // A book.
        Service::Lending => "M5 4h10a3 3 0 0 1 3 3v13H8a3 3 0 0 1-3-3zM5 17a3 3 0 0 1 3-3h10",
        // A bookmark.
        Service::HoldPickup => "M7 3h10v18l-5-4-5 4z",
        // A table with a lamp.
        Service::ReadingRoom => "M3 12h18M6 12v8M18 12v8M9 4h5l2 5H7z",
        // A smiling face.
        Service::ChildrensCorner => {
            "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM9 9.5v.5M15 9.5v.5M8.5 14a4 4 0 0 0 7 0"
        }
        // A screen.
        Service::EResources => "M3 4h18v12H3zM8 20h8M12 16v4",
        // A megaphone.
        Service::Activities => "M3 10v4h4l7 5V5l-7 5zM18 9a4 4 0 0 1 0 6",
        // A machine with a screen and a slot.
        Service::SelfCheck => "M6 3h12v18H6zM9 6h6v5H9zM9 15h6",
        // A box with an arrow into it.
        Service::ReturnBox => "M4 11h16v9H4zM12 3v10M8.5 9.5L12 13l3.5-3.5",
        // Signal arcs.
        Service::Wifi => {
            "M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M12 19.5v.5"
        }
        // A printer.
        Service::Printing => "M7 9V3h10v6M7 17H4V9h16v8h-3M7 14h10v7H7z",
        // A wheelchair user.
        Service::Accessible => "M11 3.5v.5M11 7v6h5l2 5M11 10h5M8 10.5a5.5 5.5 0 1 0 7.5 7",
        // A question mark in a circle.
        Service::Unknown => {
            "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5v.7M12 17v.5"
        }
    }
}
