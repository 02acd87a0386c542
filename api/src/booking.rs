//! Wire types of reading-room booking: rooms with their seat layout and
//! rules, seat availability, bookings and their changes, the waitlist, and
//! the live seat changes of a room.
//!
//! Dates are `YYYY-MM-DD` and times of day `HH:MM`, both in the library's
//! local time (UTC+8); instants are RFC 3339 with the library's offset
//! (`2026-12-01T09:00:00+08:00`). Layout coordinates are integers in the
//! room's own units (one unit is about 10 cm), origin at the top left.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::{ErrorCode, LocalizedText, OpeningHours};

/// The header that makes `POST /api/me/bookings` safe to repeat.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The app's route for checking in at a seat: a seat's QR code is this
/// path with the seat's code appended (`/booking/checkin/K7Q2M9XA`).
pub const CHECKIN_ROUTE: &str = "/booking/checkin/";

crate::wire_enum! {
    /// What a reading room is for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum RoomKind {
        /// A quiet study room (自习室).
        QuietStudy = "quiet_study",
        /// A children's reading area (少儿阅读区).
        Children = "children",
        /// An e-reading room with computers (电子阅览室).
        EReading = "e_reading",
        /// A small room for groups (研讨室).
        Group = "group",
    }
    else Unknown
}

crate::wire_enum! {
    /// What a shape of a room's layout is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum ShapeKind {
        /// A table that seats sit at.
        Table = "table",
        /// A row of single desks (carrels) with dividers.
        Carrel = "carrel",
        /// A window along a wall.
        Window = "window",
        /// A door.
        Door = "door",
        /// A bookshelf.
        Shelf = "shelf",
        /// A service desk or counter.
        Desk = "desk",
        /// An area of the room with its own label (a quiet zone).
        Zone = "zone",
    }
    else Unknown
}

crate::wire_struct! {
    /// A rectangle of a room's layout, drawn under the seats.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Shape {
        pub kind: ShapeKind,
        /// Left edge.
        pub x: i32,
        /// Top edge.
        pub y: i32,
        pub width: i32,
        pub height: i32,
        /// A label to draw or read out (a zone's name, "入口").
        #[serde(default)]
        pub label: Option<LocalizedText>,
    }
}

crate::wire_struct! {
    /// A seat of a room.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Seat {
        pub id: i64,
        /// The seat's number as written on it, e.g. `A03`.
        pub label: String,
        /// The seat's stable code: its QR code links to the app's check-in
        /// route with it (see [`CHECKIN_ROUTE`]).
        pub code: String,
        /// The seat's centre.
        pub x: i32,
        pub y: i32,
        /// A power socket at the seat.
        #[serde(default)]
        pub power: bool,
        /// By a window.
        #[serde(default)]
        pub window: bool,
        /// In the quiet zone.
        #[serde(default)]
        pub quiet: bool,
        /// Reachable by wheelchair, with room beside the table.
        #[serde(default)]
        pub accessible: bool,
        /// Closed by staff: never bookable until they open it again.
        #[serde(default)]
        pub closed: bool,
    }
}

crate::wire_struct! {
    /// A room's seat map: the room's size, its shapes (tables, carrels,
    /// windows, doors) and its seats, enough to draw it as SVG.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RoomLayout {
        pub width: i32,
        pub height: i32,
        /// The side of a seat's square, centred on its position.
        pub seat_size: i32,
        #[serde(default)]
        pub shapes: Vec<Shape>,
        #[serde(default)]
        pub seats: Vec<Seat>,
    }
}

crate::wire_struct! {
    /// A span of a day, `HH:MM` to `HH:MM`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct TimeSpan {
        pub start: String,
        pub end: String,
    }
}

crate::wire_struct! {
    /// The booking rules of a room, as the server enforces them. Clients show
    /// them before a patron runs into them.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct BookingRules {
        /// Bookings start and end on slots of this length from opening time.
        pub slot_minutes: u32,
        /// Shortest booking.
        pub min_minutes: u32,
        /// Longest booking, extensions included.
        pub max_minutes: u32,
        /// How many days ahead a seat can be booked (0: today only).
        pub days_ahead: u32,
        /// `HH:MM`: the time of day at which the last day of the window
        /// becomes bookable.
        pub window_opens_at: String,
        /// Bookings per patron per day in this library's rooms, cancelled
        /// ones not counted.
        pub max_bookings_per_day: u32,
        /// Check-in opens this many minutes before the start...
        pub checkin_before_minutes: u32,
        /// ...and closes this many minutes after it; a booking not checked in
        /// by then is released as a no-show.
        pub checkin_after_minutes: u32,
        /// Longest temporary leave.
        pub leave_minutes: u32,
        /// Longest temporary leave that starts at meal times.
        pub meal_leave_minutes: u32,
        /// The meal times.
        #[serde(default)]
        pub meal_times: Vec<TimeSpan>,
        /// Violations (no-show, late return from leave) within
        /// `violation_window_days`...
        pub violation_limit: u32,
        pub violation_window_days: u32,
        /// ...suspend booking for this many days.
        pub suspension_days: u32,
        /// Minutes a waitlist offer is held for the patron.
        pub offer_minutes: u32,
        /// Booking requests a patron may send in a burst...
        pub rate_burst: u32,
        /// ...and per minute after it (429 `rate_limited` beyond).
        pub rate_per_minute: u32,
    }
}

crate::wire_struct! {
    /// A day the room is closed although its hours say open.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ClosedDay {
        /// `YYYY-MM-DD`.
        pub date: String,
        pub reason: LocalizedText,
    }
}

crate::wire_struct! {
    /// A reading room in a list.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RoomSummary {
        pub id: String,
        pub library_id: String,
        /// The library's name, so that a list of rooms needs no second
        /// request for the names of their libraries.
        pub library_name: LocalizedText,
        pub name: LocalizedText,
        pub kind: RoomKind,
        /// Where the room is, e.g. `3楼` / `3rd floor`.
        pub floor: LocalizedText,
        /// Seats, closed ones included.
        pub seats_total: u32,
        /// Seats open and not booked in the slot under way now (0 while the
        /// room is closed).
        pub seats_free_now: u32,
        /// Whether the room is open now.
        pub open_now: bool,
        /// Today's hours; absent when the room is closed all day.
        #[serde(default)]
        pub hours_today: Option<TimeSpan>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/rooms`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RoomList {
        /// In network order of their libraries, then by floor.
        pub rooms: Vec<RoomSummary>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/rooms/{id}`: a room with its layout, hours and
    /// rules.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RoomDetail {
        pub room: RoomSummary,
        pub library_name: LocalizedText,
        pub description: LocalizedText,
        /// Opening hours per weekday; a weekday that is absent is closed.
        #[serde(default)]
        pub hours: Vec<OpeningHours>,
        /// Closed days from today on.
        #[serde(default)]
        pub closed_days: Vec<ClosedDay>,
        pub rules: BookingRules,
        pub layout: RoomLayout,
        /// Bumped by every change of the room's bookings or seats.
        pub version: u64,
    }
}

crate::wire_enum! {
    /// Whether a seat can be booked for a span.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum SeatStatus {
        /// Free for the whole span.
        Free = "free",
        /// Booked for some of the span.
        Taken = "taken",
        /// Closed by staff.
        Closed = "closed",
    }
    else Unknown
}

crate::wire_struct! {
    /// One seat's status for the span asked for.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SeatAvailability {
        pub seat_id: i64,
        pub status: SeatStatus,
    }
}

crate::wire_struct! {
    /// One slot of the day with the seats free in it.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SlotAvailability {
        /// `HH:MM`.
        pub start: String,
        /// `HH:MM`.
        pub end: String,
        pub free: u32,
        /// Whether a booking may start in this slot now (not past, inside
        /// the booking window).
        pub bookable: bool,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/rooms/{id}/availability`: every seat for a
    /// span of one day, and the day's slots. Sent with `ETag`; a poll with
    /// `If-None-Match` answers 304 while nothing changed.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Availability {
        pub room_id: String,
        /// `YYYY-MM-DD`.
        pub date: String,
        /// `HH:MM`: the span asked for (or the slot under way now).
        pub start: String,
        pub end: String,
        /// The room's version (see [`RoomDetail::version`]).
        pub version: u64,
        /// Seats free for the whole span.
        pub free: u32,
        /// Why the span cannot be booked now, if it cannot (the room is
        /// closed, the span is past or outside the booking window, too short
        /// or too long); seats may still be shown.
        #[serde(default)]
        pub refusal: Option<ErrorCode>,
        pub seats: Vec<SeatAvailability>,
        /// The day's slots, empty when the room is closed that day.
        #[serde(default)]
        pub slots: Vec<SlotAvailability>,
    }
}

crate::wire_struct! {
    /// A seat change, pushed by `GET /api/rooms/{id}/events` as the data of
    /// an SSE event `seat`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SeatChange {
        pub room_id: String,
        pub seat_id: i64,
        /// `taken`: booked for the span; `free`: released for it; `closed`
        /// or `free` for a seat staff closed or opened (the span is then the
        /// whole day).
        pub status: SeatStatus,
        /// The span that changed (RFC 3339).
        pub starts_at: String,
        pub ends_at: String,
        /// The room's version after the change.
        pub version: u64,
    }
}

crate::wire_enum! {
    /// Where a booking stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum BookingStatus {
        /// A waitlist offer held for the patron until `offer_expires_at`:
        /// accept or decline it.
        Offered = "offered",
        /// Booked, not yet checked in.
        Booked = "booked",
        /// Checked in: the patron is at the seat.
        CheckedIn = "checked_in",
        /// Checked in and on temporary leave until `leave_until`.
        OnLeave = "on_leave",
        /// Over (its end came, or the patron ended it early).
        Completed = "completed",
        /// Cancelled by the patron.
        Cancelled = "cancelled",
        /// Not checked in by the end of the check-in window: released.
        NoShow = "no_show",
        /// Not back from leave in time: released.
        LeaveOverrun = "leave_overrun",
        /// A waitlist offer the patron declined.
        Declined = "declined",
        /// A waitlist offer that was not accepted in time.
        Expired = "expired",
    }
    else Unknown
}

crate::wire_enum! {
    /// A change a booking allows now.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum BookingAction {
        Cancel = "cancel",
        CheckIn = "check_in",
        Leave = "leave",
        Return = "return",
        End = "end",
        Extend = "extend",
        Accept = "accept",
        Decline = "decline",
    }
    else Unknown
}

crate::wire_struct! {
    /// A booking of a seat, as its patron sees it. Sent with `ETag: "<version>"`;
    /// changes may carry it as `If-Match`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Booking {
        pub id: i64,
        /// Bumped by every change; the booking's `ETag`.
        pub version: u64,
        pub status: BookingStatus,
        pub library_id: String,
        pub library_name: LocalizedText,
        pub room_id: String,
        pub room_name: LocalizedText,
        pub floor: LocalizedText,
        pub seat_id: i64,
        pub seat_label: String,
        /// The seat's code (see [`Seat::code`]).
        pub seat_code: String,
        /// The app's check-in path for the seat, `/booking/checkin/{code}`.
        pub checkin_path: String,
        /// `YYYY-MM-DD`.
        pub date: String,
        /// RFC 3339.
        pub starts_at: String,
        pub ends_at: String,
        /// The check-in window (RFC 3339).
        pub checkin_opens_at: String,
        pub checkin_closes_at: String,
        #[serde(default)]
        pub checked_in_at: Option<String>,
        /// While on leave: when the patron must be back.
        #[serde(default)]
        pub leave_until: Option<String>,
        /// When it ended early, was released or cancelled.
        #[serde(default)]
        pub ended_at: Option<String>,
        /// For an offer: when it lapses.
        #[serde(default)]
        pub offer_expires_at: Option<String>,
        /// What the patron may do with it now.
        #[serde(default)]
        pub actions: Vec<BookingAction>,
    }
}

crate::wire_enum! {
    /// Where a waitlist entry stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum WaitlistStatus {
        /// Waiting for a seat to free.
        Waiting = "waiting",
        /// A seat is offered: see the booking `booking_id`.
        Offered = "offered",
    }
    else Unknown
}

crate::wire_struct! {
    /// A place on a room's waitlist for a span.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct WaitlistEntry {
        pub id: i64,
        pub room_id: String,
        pub room_name: LocalizedText,
        pub library_id: String,
        /// `YYYY-MM-DD`, `HH:MM`, `HH:MM`.
        pub date: String,
        pub start: String,
        pub end: String,
        pub status: WaitlistStatus,
        /// 1-based place among those waiting for the room.
        pub position: u32,
        /// The offered booking, while `offered`.
        #[serde(default)]
        pub booking_id: Option<i64>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/me/bookings`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct MyBookings {
        /// Offers, bookings under way and to come, soonest first.
        pub upcoming: Vec<Booking>,
        /// Bookings that are over (30 days back), latest first.
        pub past: Vec<Booking>,
        /// Waitlist places, oldest first.
        #[serde(default)]
        pub waitlist: Vec<WaitlistEntry>,
        /// Violations within the rules' window.
        pub violations: u32,
        /// `YYYY-MM-DD`: the last day booking is suspended, while it is.
        #[serde(default)]
        pub suspended_until: Option<String>,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/bookings`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CreateBooking {
        pub seat_id: i64,
        /// `YYYY-MM-DD`.
        pub date: String,
        /// `HH:MM`, on the room's slots.
        pub start: String,
        pub end: String,
    }
}

crate::wire_struct! {
    /// The answer of `POST /api/me/bookings` (201): the booking and how to
    /// check in.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct BookingConfirmation {
        pub booking: Booking,
        /// The rules the booking is under.
        pub rules: BookingRules,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/bookings/{id}/extend`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ExtendBooking {
        /// `HH:MM`: the new end, on the room's slots.
        pub end: String,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/checkin`: check in at the seat whose QR code
    /// the patron scanned.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CheckInAtSeat {
        pub seat_code: String,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/waitlist`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct JoinWaitlist {
        pub room_id: String,
        /// `YYYY-MM-DD`, `HH:MM`, `HH:MM`, as for a booking.
        pub date: String,
        pub start: String,
        pub end: String,
    }
}

crate::wire_struct! {
    /// The problem document of booking refusals: an RFC 9457 problem (it
    /// decodes as [`crate::Problem`] too) with the booking's extension
    /// members.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct BookingProblem {
        #[serde(rename = "type")]
        pub type_uri: String,
        pub title: String,
        pub status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub detail: Option<String>,
        pub code: ErrorCode,
        /// For `booking_suspended`: the last day of the suspension
        /// (`YYYY-MM-DD`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub suspended_until: Option<String>,
        /// For `booking_not_open` and `checkin_too_early`: when it opens
        /// (RFC 3339).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub opens_at: Option<String>,
        /// For `precondition_failed`: the booking as it is now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub booking: Option<Booking>,
    }
}
