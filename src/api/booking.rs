//! The booking part of the contract: rooms, availability, the patron's
//! bookings and their changes, the waitlist.
//!
//! Called only from the booking chunk (and the Me page's timeline), so its
//! code travels with them. Its requests send the headers the catalog's do
//! not (`Idempotency-Key`, `If-Match`, `If-None-Match`) and read `ETag`
//! through the one fetch helper ([`http::fetch`]).

use std::cell::Cell;

use wasm_bindgen::{JsCast, JsValue};
use yuelan_api::booking::{
    Availability, Booking, BookingAction, BookingConfirmation, CheckInAtSeat, CreateBooking,
    ExtendBooking, IDEMPOTENCY_KEY_HEADER, JoinWaitlist, MyBookings, RoomDetail, RoomList,
    WaitlistEntry,
};
use yuelan_api::wire::{self, from_json, to_json};

use super::http::{self, Method};
use super::{ApiClient, ApiError, Request};
use crate::urlenc;

/// The answer of a poll with `If-None-Match`.
#[derive(Clone, Debug, PartialEq)]
pub enum Polled<T> {
    /// Nothing changed since the `ETag` sent (304).
    Unchanged,
    /// A new answer with its `ETag`.
    Changed(T, Option<String>),
}

/// A fresh `Idempotency-Key`: made once per booking attempt and sent again
/// with every retry of that attempt.
///
/// `crypto.randomUUID()` where the browser has it (read through `Reflect`,
/// whose import the main module has: each new JavaScript import is main
/// module bytes), else the time and a counter of this page's keys.
pub fn idempotency_key() -> String {
    thread_local! {
        static COUNT: Cell<u32> = const { Cell::new(0) };
    }
    let count = COUNT.with(|c| {
        c.set(c.get().wrapping_add(1));
        c.get()
    });
    let uuid = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("crypto")).ok())
        .and_then(|c| {
            let f = js_sys::Reflect::get(&c, &JsValue::from_str("randomUUID")).ok()?;
            f.is_function()
                .then(|| f.unchecked_ref::<js_sys::Function>().call0(&c).ok())
                .flatten()
        })
        .and_then(|v| v.as_string());
    let mut key = String::from("yl-");
    match uuid {
        Some(uuid) => key.push_str(&uuid),
        None => {
            key.push_str(&(js_sys::Date::now() as u64).to_string());
            key.push('-');
            key.push_str(&count.to_string());
        }
    }
    key
}

impl ApiClient {
    fn booking_url(&self, path: &str) -> String {
        [self.base, path].concat()
    }

    fn room_url(&self, room_id: &str, tail: &str) -> String {
        let mut url = self.booking_url("/rooms/");
        urlenc::encode_into(&mut url, room_id);
        url.push_str(tail);
        url
    }

    /// `GET {api}/rooms`.
    pub fn rooms(&self) -> Request<RoomList> {
        http::get_json(self.booking_url("/rooms"))
    }

    /// `GET {api}/rooms/{id}`.
    pub fn room(&self, room_id: &str) -> Request<RoomDetail> {
        http::get_json(self.room_url(room_id, ""))
    }

    /// `GET {api}/rooms/{id}/availability?date=&start=&end=`, with the
    /// `ETag` of the last answer as `If-None-Match`.
    pub fn availability(
        &self,
        room_id: &str,
        date: &str,
        span: Option<(&str, &str)>,
        etag: Option<String>,
    ) -> Request<Polled<Availability>> {
        let mut url = self.room_url(room_id, "/availability?date=");
        urlenc::encode_into(&mut url, date);
        if let Some((start, end)) = span {
            url.push_str("&start=");
            urlenc::encode_into(&mut url, start);
            url.push_str("&end=");
            urlenc::encode_into(&mut url, end);
        }
        let headers: Vec<(&'static str, String)> = etag
            .map(|tag| vec![("If-None-Match", tag)])
            .unwrap_or_default();
        let answer = http::fetch(Method::Get, url, None, headers);
        Box::pin(async move {
            let answer = answer.await?;
            if answer.status == 304 {
                return Ok(Polled::Unchanged);
            }
            Ok(Polled::Changed(decode(&answer.body)?, answer.etag))
        })
    }

    /// The URL of a room's live seat changes (server-sent events).
    pub fn room_events_url(&self, room_id: &str) -> String {
        self.room_url(room_id, "/events")
    }

    /// `GET {api}/me/bookings`.
    pub fn my_bookings(&self) -> Request<MyBookings> {
        http::get_json(self.booking_url("/me/bookings"))
    }

    /// The URL of a booking's calendar file (`.ics`).
    pub fn booking_ics_url(&self, booking_id: i64) -> String {
        [self.base, "/me/bookings/", &booking_id.to_string(), ".ics"].concat()
    }

    /// `POST {api}/me/bookings` with the attempt's `Idempotency-Key`.
    pub fn create_booking(&self, req: &CreateBooking, key: &str) -> Request<BookingConfirmation> {
        http::send_json_with(
            Method::Post,
            self.booking_url("/me/bookings"),
            Some(to_json(req)),
            vec![(IDEMPOTENCY_KEY_HEADER, key.to_owned())],
        )
    }

    /// `POST {api}/me/bookings/{id}/{action}` with `If-Match` for the
    /// version the patron saw; `extend_to` is the new end of an extension.
    pub fn change_booking(
        &self,
        booking: &Booking,
        action: BookingAction,
        extend_to: Option<&str>,
    ) -> Request<Booking> {
        let tail = match action {
            BookingAction::Cancel => "/cancel",
            BookingAction::CheckIn => "/checkin",
            BookingAction::Leave => "/leave",
            BookingAction::Return => "/return",
            BookingAction::End => "/end",
            BookingAction::Extend => "/extend",
            BookingAction::Accept => "/accept",
            BookingAction::Decline | BookingAction::Unknown => "/decline",
        };
        let url = [self.base, "/me/bookings/", &booking.id.to_string(), tail].concat();
        let body = extend_to.map(|end| {
            to_json(&ExtendBooking {
                end: end.to_owned(),
            })
        });
        let tag = ["\"", &booking.version.to_string(), "\""].concat();
        http::send_json_with(Method::Post, url, body, vec![("If-Match", tag)])
    }

    /// `POST {api}/me/checkin`: checks in at the seat with this code.
    pub fn check_in_at_seat(&self, seat_code: &str) -> Request<Booking> {
        let body = to_json(&CheckInAtSeat {
            seat_code: seat_code.to_owned(),
        });
        http::send_json(Method::Post, self.booking_url("/me/checkin"), Some(body))
    }

    /// `POST {api}/me/waitlist`.
    pub fn join_waitlist(&self, req: &JoinWaitlist) -> Request<WaitlistEntry> {
        http::send_json(
            Method::Post,
            self.booking_url("/me/waitlist"),
            Some(to_json(req)),
        )
    }

    /// `DELETE {api}/me/waitlist/{id}`.
    pub fn leave_waitlist(&self, entry_id: i64) -> Request<()> {
        let url = [self.base, "/me/waitlist/", &entry_id.to_string()].concat();
        let answer = http::send(Method::Delete, url, None);
        Box::pin(async move { answer.await.map(drop) })
    }
}

fn decode<T: wire::Deserialize>(body: &str) -> Result<T, ApiError> {
    from_json::<T>(body).map_err(|_| ApiError::Decode)
}
