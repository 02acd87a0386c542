//! Reading-room booking: the rooms by library, a room's day, time and seat
//! map with live availability, the confirmation with the check-in QR code,
//! the patron's reservations with their changes, and check-in at a seat.
//!
//! All of it is one chunk (`booking_page` in `lib.rs`): the main module
//! knows one page, `Page::Booking`, for every path under `/booking`, and
//! [`BookingPage`] reads the rest of the path here ([`route`]). The rules
//! are shown before the patron runs into them ([`model`]); the server
//! enforces them, and its refusals have messages ([`errors`]).

pub mod camera;
pub mod checkin;
pub mod errors;
pub mod js;
pub mod live;
pub mod mine;
pub mod model;
pub mod room;
pub mod rooms;
pub mod route;
pub mod seatmap;
pub mod timeline;

use leptos::prelude::*;

use crate::components::pages::NotFound;
use crate::i18n::I18n;
use crate::i18n::booking::BookText as T;
use crate::router::use_router;
use route::BookingRoute;

pub use timeline::timeline_entries;

/// Which booking page a location shows: the room page stays built while
/// its choices (in the query) change.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shown {
    Rooms,
    Room(String),
    Mine,
    CheckIn(Option<String>),
    NotFound,
}

/// Every page under `/booking`.
#[component]
pub fn BookingPage() -> impl IntoView {
    let router = use_router();
    let shown = Memo::new(move |_| {
        let location = router.location();
        match BookingRoute::of_location(&location.path, &location.query) {
            BookingRoute::Rooms => Shown::Rooms,
            BookingRoute::Room(id, _) => Shown::Room(id),
            BookingRoute::Mine => Shown::Mine,
            BookingRoute::CheckIn(code) => Shown::CheckIn(code),
            BookingRoute::NotFound => Shown::NotFound,
        }
    });
    move || {
        let page = shown.get();
        untrack(move || match page {
            Shown::Rooms => view! { <rooms::RoomsPage /> }.into_any(),
            Shown::Room(id) => {
                let location = router.location();
                let choice = match BookingRoute::of_location(&location.path, &location.query) {
                    BookingRoute::Room(_, choice) => choice,
                    _ => route::RoomChoice::default(),
                };
                view! { <room::RoomPage id choice /> }.into_any()
            }
            Shown::Mine => view! { <mine::MinePage /> }.into_any(),
            Shown::CheckIn(code) => view! { <checkin::CheckInPage code /> }.into_any(),
            Shown::NotFound => view! { <NotFound /> }.into_any(),
        })
    }
}

/// The booking pages' links to each other.
pub(crate) fn booking_nav(i18n: I18n) -> impl IntoView {
    view! {
        <nav class="booking-nav" aria-label=i18n.tr(T::RoomsTitle)>
            <a class="chip" href=BookingRoute::Rooms.to_href()>{i18n.tr(T::BackToRooms)}</a>
            <a class="chip" href=BookingRoute::Mine.to_href()>{i18n.tr(T::MyBookings)}</a>
            <a class="chip" href=BookingRoute::CheckIn(None).to_href()>{i18n.tr(T::CheckInLink)}</a>
        </nav>
    }
}
