//! `/booking`: the reading rooms by library, each with its floor, the
//! seats free now and today's hours. No sign-in needed.

use leptos::prelude::*;
use yuelan_api::booking::{RoomList, RoomSummary};

use crate::api::{Slot, load_into, use_api};
use crate::booking::booking_nav;
use crate::booking::route::{BookingRoute, RoomChoice};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::booking::{BookText as T, hours_today, seats_free};
use crate::i18n::{I18n, use_i18n};

/// The page at `/booking`.
#[component]
pub fn RoomsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(T::RoomsTitle).to_owned());
    let api = use_api();
    let retry = RwSignal::new(0u32);
    let rooms: Slot<RoomList> = RwSignal::new(None);
    load_into(rooms, None, move || {
        retry.track();
        api.rooms()
    });
    let body = move || match rooms.get() {
        None => view! { <PageSkeleton /> }.into_any(),
        Some(Err(error)) => view! {
            <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
        }
        .into_any(),
        Some(Ok(list)) => rooms_view(i18n, list),
    };
    view! {
        <div class="page booking-page rooms-page">
            <h1>{i18n.tr(T::RoomsTitle)}</h1>
            <p class="muted">{i18n.tr(T::RoomsIntro)}</p>
            {booking_nav(i18n)}
            {body}
        </div>
    }
}

/// The rooms grouped by library, in the server's order.
fn rooms_view(i18n: I18n, list: RoomList) -> AnyView {
    if list.rooms.is_empty() {
        return view! { <p class="empty-note">{i18n.tr(T::NoRooms)}</p> }.into_any();
    }
    let english = i18n.locale().is_english();
    let mut groups: Vec<(String, Vec<RoomSummary>)> = Vec::new();
    for room in list.rooms {
        match groups.last_mut() {
            Some((id, rooms)) if *id == room.library_id => rooms.push(room),
            _ => groups.push((room.library_id.clone(), vec![room])),
        }
    }
    groups
        .into_iter()
        .map(|(library_id, rooms)| {
            let heading_id = ["lib-", &library_id].concat();
            let name = rooms
                .first()
                .map(|r| r.library_name.get(english).to_owned())
                .unwrap_or_default();
            let items = rooms
                .into_iter()
                .map(|room| room_item(i18n, room))
                .collect_view();
            view! {
                <section class="room-group" aria-labelledby=heading_id.clone()>
                    <h2 id=heading_id.clone()>{name}</h2>
                    <ul class="room-list">{items}</ul>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

fn room_item(i18n: I18n, room: RoomSummary) -> impl IntoView {
    let locale = i18n.locale();
    let english = locale.is_english();
    let href = BookingRoute::Room(room.id.clone(), RoomChoice::default()).to_href();
    let hours = match &room.hours_today {
        Some(span) => hours_today(locale, &span.start, &span.end),
        None => i18n.tr(T::ClosedToday).to_owned(),
    };
    let (open_icon, open_text) = if room.open_now {
        (IconName::Check, i18n.tr(T::OpenNow))
    } else {
        (IconName::Minus, i18n.tr(T::ClosedNow))
    };
    view! {
        <li>
            <a class="room-card" href=href>
                <span class="room-name">{room.name.get(english).to_owned()}</span>
                <span class="room-floor muted">{room.floor.get(english).to_owned()}</span>
                <span class="room-open" data-open=room.open_now.to_string()>
                    <Icon name=open_icon />
                    {open_text}
                </span>
                <span class="room-free">{seats_free(locale, room.seats_free_now, room.seats_total)}</span>
                <span class="room-hours muted">{hours}</span>
            </a>
        </li>
    }
}
