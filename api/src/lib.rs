//! Wire types of the Yuelan REST contract.
//!
//! Every type that crosses HTTP between the app and a library's backend lives
//! here, so that the app and the reference server cannot disagree about a
//! field. The OpenAPI document (`api/openapi.json`) is generated from these
//! types and the server's routes; a server test fails when they drift.
//!
//! Decoding is lenient where a backend may grow: every enum has an `Unknown`
//! variant that absorbs values this version does not know, and optional
//! fields default, so one unexpected value never breaks a whole response.

use serde::{Deserialize, Serialize};

/// JSON for the app (miniserde), generated from the declarations below.
#[macro_use]
pub mod wire;
/// The patron's account: sessions, loans, holds, lists, rules.
pub mod account;
/// Reading-room booking: rooms, seats, availability, bookings, waitlist.
pub mod booking;
/// The library's calendar: day counts, `YYYY-MM-DD` dates, UTC+8 days.
pub mod calendar;
/// The cultural cloud: programmes, events, registrations, progress, ratings.
pub mod culture;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What the macros of [`wire`] refer to.
#[doc(hidden)]
pub mod __private {
    pub use miniserde;
    pub use miniserde::{de, ser};
    pub use std::borrow::Cow;
    pub use std::boxed::Box;
}

/// The path prefix under which the contract is served.
pub const API_PREFIX: &str = "/api";

/// Largest page size the search endpoint accepts.
pub const MAX_PAGE_SIZE: u32 = 50;
/// Page size used when the request names none.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Longest query, in characters, the search endpoint accepts.
pub const MAX_QUERY_CHARS: usize = 200;

crate::wire_struct! {
    /// A text in the two languages the app speaks.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct LocalizedText {
        /// Simplified Chinese.
        pub zh: String,
        /// English; may be empty, in which case clients show `zh`.
        #[serde(default)]
        pub en: String,
    }
}

impl LocalizedText {
    /// Builds a text from its two languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The English text when asked for and present, else the Chinese one.
    pub fn get(&self, english: bool) -> &str {
        if english && !self.en.is_empty() {
            &self.en
        } else {
            &self.zh
        }
    }
}

crate::wire_enum! {
    /// The place of a library in the county's general-branch network.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum LibraryKind {
        /// The county (general) library.
        County = "county",
        /// A branch library in a town or district.
        Branch = "branch",
        /// A village cultural service centre.
        Village = "village",
    }
    else Unknown
}

crate::wire_struct! {
    /// Opening hours of a library on one weekday.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct OpeningHours {
        /// ISO weekday: 1 is Monday, 7 is Sunday.
        pub weekday: u8,
        /// Opening time, `HH:MM`, local time.
        pub opens: String,
        /// Closing time, `HH:MM`, local time.
        pub closes: String,
    }
}

crate::wire_struct! {
    /// A library of the network: the county library, a branch or a village centre.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Library {
        /// Stable identifier, e.g. `county`, `br-xinqiao`.
        pub id: String,
        pub name: LocalizedText,
        pub kind: LibraryKind,
        /// Identifier of the library this one reports to; `None` for the county library.
        #[serde(default)]
        pub parent_id: Option<String>,
        pub address: LocalizedText,
        #[serde(default)]
        pub phone: Option<String>,
        /// WGS-84 latitude.
        pub latitude: f64,
        /// WGS-84 longitude.
        pub longitude: f64,
        /// Opening hours per weekday; a weekday that is absent is closed.
        #[serde(default)]
        pub hours: Vec<OpeningHours>,
        /// What the library offers, in the order it presents them.
        #[serde(default)]
        pub services: Vec<Service>,
        /// Whether patrons can collect holds here.
        #[serde(default)]
        pub pickup_point: bool,
    }
}

crate::wire_enum! {
    /// A service a library offers (its service catalogue).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum Service {
        /// Borrowing and returning.
        Lending = "lending",
        /// Collecting holds.
        HoldPickup = "hold_pickup",
        /// A reading room with seats.
        ReadingRoom = "reading_room",
        /// A children's corner.
        ChildrensCorner = "childrens_corner",
        /// E-books, databases and computers.
        EResources = "e_resources",
        /// Talks, workshops, storytimes.
        Activities = "activities",
        /// Self-service borrowing machines.
        SelfCheck = "self_check",
        /// A return box usable when closed.
        ReturnBox = "return_box",
        Wifi = "wifi",
        /// Printing and copying.
        Printing = "printing",
        /// Step-free access.
        Accessible = "accessible",
    }
    else Unknown
}

crate::wire_struct! {
    /// The answer of `GET /api/libraries`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct LibraryList {
        pub libraries: Vec<Library>,
    }
}

crate::wire_struct! {
    /// What the catalog reads of `GET /api/libraries`: each library's id
    /// and name (for "on the shelf at" lines). The app decodes the list
    /// this way in its first load, so the code that decodes the rest of a
    /// library (hours, coordinates, services) travels with the pages that
    /// show it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LibraryNames {
        pub libraries: Vec<LibraryName>,
    }
}

crate::wire_struct! {
    /// A library's id and name (see [`LibraryNames`]).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LibraryName {
        pub id: String,
        pub name: LocalizedText,
    }
}

crate::wire_enum! {
    /// The physical or digital form of a catalog record.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum Format {
        Book = "book",
        Audiobook = "audiobook",
        Dvd = "dvd",
        Magazine = "magazine",
    }
    else Unknown
}

impl Format {
    /// Every format a client knows, in display order.
    pub const ALL: [Format; 4] = [
        Format::Book,
        Format::Audiobook,
        Format::Dvd,
        Format::Magazine,
    ];
}

crate::wire_enum! {
    /// Where a copy is right now.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum ItemStatus {
        /// On the shelf: a patron can take it now.
        OnShelf = "on_shelf",
        /// Lent out; `due_date` says until when.
        OnLoan = "on_loan",
        /// Travelling between libraries.
        InTransit = "in_transit",
        /// Waiting on the hold shelf for the patron who reserved it.
        OnHoldShelf = "on_hold_shelf",
    }
    else Unknown
}

crate::wire_enum! {
    /// How a result list is ordered.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum SortOrder {
        /// Best match first: title matches before author, subject and the rest.
        #[default]
        Relevance = "relevance",
        /// Latest publication year first.
        Newest = "newest",
        /// By title: Chinese titles by pinyin, with Latin titles among them.
        Title = "title",
    }
}

impl SortOrder {
    pub const ALL: [SortOrder; 3] = [SortOrder::Relevance, SortOrder::Newest, SortOrder::Title];
}

crate::wire_enum! {
    /// The fields a search can be narrowed by, and that facet counts are given for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum FacetField {
        Format = "format",
        Language = "language",
        /// A library holding a copy (value: library id).
        Branch = "branch",
        Subject = "subject",
        /// Publication decade (value: its first year, e.g. `1990`).
        Decade = "decade",
        /// Whether a copy is on the shelf somewhere now (value: `true`).
        Available = "available",
    }
    else Unknown
}

impl FacetField {
    /// Every facet, in the order clients show them.
    pub const ALL: [FacetField; 6] = [
        FacetField::Available,
        FacetField::Format,
        FacetField::Branch,
        FacetField::Language,
        FacetField::Subject,
        FacetField::Decade,
    ];
}

crate::wire_struct! {
    /// Copies of a record at one library, as counted for a result list.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct BranchAvailability {
        pub library_id: String,
        /// Copies on the shelf now.
        pub available: u32,
        /// All copies this library holds.
        pub total: u32,
    }
}

crate::wire_struct! {
    /// One record in a result list.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SearchHit {
        pub id: i64,
        pub title: String,
        #[serde(default)]
        pub subtitle: Option<String>,
        #[serde(default)]
        pub authors: Vec<String>,
        #[serde(default)]
        pub year: Option<i32>,
        pub format: Format,
        /// ISO 639-1 code of the record's language, e.g. `zh`, `en`.
        pub language: String,
        /// Cover image URL; `None` when the library has none (clients draw one).
        #[serde(default)]
        pub cover_url: Option<String>,
        /// Copies per library, libraries with copies on the shelf first.
        #[serde(default)]
        pub availability: Vec<BranchAvailability>,
    }
}

crate::wire_struct! {
    /// One value of a facet with the number of matching records.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct FacetValue {
        /// The value to filter by.
        pub value: String,
        /// A label for values that are identifiers (libraries); else `None`.
        #[serde(default)]
        pub label: Option<LocalizedText>,
        /// Records matching the query and every *other* facet's filters with this value.
        pub count: u64,
        /// Whether the request filters by this value.
        #[serde(default)]
        pub selected: bool,
    }
}

crate::wire_struct! {
    /// Counts of one facet.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Facet {
        pub field: FacetField,
        pub values: Vec<FacetValue>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/search`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SearchResponse {
        /// The query as the server understood it (trimmed, whitespace folded).
        pub query: String,
        /// All records that match the query and filters.
        pub total: u64,
        /// 1-based page number of `hits`.
        pub page: u32,
        pub page_size: u32,
        pub hits: Vec<SearchHit>,
        #[serde(default)]
        pub facets: Vec<Facet>,
        /// Other queries to try, given when few or no records match.
        #[serde(default)]
        pub suggestions: Vec<String>,
    }
}

crate::wire_struct! {
    /// One copy of a record, at one library.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Holding {
        /// The copy's barcode.
        pub barcode: String,
        pub library_id: String,
        pub library_name: LocalizedText,
        pub call_number: String,
        /// Where in the library, e.g. 二楼 文学区 I247.
        pub shelf_location: LocalizedText,
        pub status: ItemStatus,
        /// Due date `YYYY-MM-DD`, for copies on loan.
        #[serde(default)]
        pub due_date: Option<String>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/records/{id}`: a record with every copy.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RecordDetail {
        pub id: i64,
        pub title: String,
        #[serde(default)]
        pub subtitle: Option<String>,
        #[serde(default)]
        pub authors: Vec<String>,
        #[serde(default)]
        pub publisher: Option<String>,
        #[serde(default)]
        pub publication_place: Option<String>,
        #[serde(default)]
        pub year: Option<i32>,
        /// ISBN-13 without hyphens, when the record has one.
        #[serde(default)]
        pub isbn: Option<String>,
        pub format: Format,
        pub language: String,
        #[serde(default)]
        pub subjects: Vec<String>,
        #[serde(default)]
        pub series: Option<String>,
        /// Extent, e.g. `386 页` or `12 h 30 min`.
        #[serde(default)]
        pub extent: Option<String>,
        #[serde(default)]
        pub summary: Option<String>,
        /// Classification (中图法) of the record.
        #[serde(default)]
        pub classification: Option<String>,
        #[serde(default)]
        pub cover_url: Option<String>,
        #[serde(default)]
        pub holdings: Vec<Holding>,
    }
}

crate::wire_enum! {
    /// Stable, machine-readable error codes. Clients map them to messages in the
    /// patron's language; the `title` and `detail` of a problem are for developers.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum ErrorCode {
        /// The request is malformed (bad query string, bad JSON).
        BadRequest = "bad_request",
        /// The request is well-formed but a field is invalid; see `errors`.
        ValidationFailed = "validation_failed",
        /// No such resource.
        NotFound = "not_found",
        /// The method is not allowed on this resource.
        MethodNotAllowed = "method_not_allowed",
        /// The request conflicts with the resource's current state.
        Conflict = "conflict",
        /// Too many requests; try again later.
        RateLimited = "rate_limited",
        /// The server failed; nothing about the request was wrong.
        Internal = "internal",
        /// The server is temporarily unable to answer.
        Unavailable = "unavailable",
        /// The request needs a signed-in patron and carries no session (401).
        Unauthenticated = "unauthenticated",
        /// The session has ended (idle or absolute limit, or signed out
        /// elsewhere); sign in again (401).
        SessionExpired = "session_expired",
        /// The card number and PIN do not match a patron; `tries_left` says
        /// how many tries remain before the card locks (401). An unknown card
        /// gets exactly the same answer.
        InvalidCredentials = "invalid_credentials",
        /// Too many failed sign-ins: the card is locked until `locked_until`
        /// (429, with `Retry-After`).
        CardLocked = "card_locked",
        /// A state-changing request without the CSRF header (403).
        CsrfCheckFailed = "csrf_check_failed",
        /// The patron is blocked (fines, lost item, expired card) and may not
        /// hold or renew (403).
        PatronBlocked = "patron_blocked",
        /// A copy is on the shelf at the chosen pickup library: take it from
        /// there; `on_shelf` says where (409).
        OnShelfAtPickup = "on_shelf_at_pickup",
        /// The patron has as many active holds as the rules allow (409).
        HoldLimitReached = "hold_limit_reached",
        /// The patron already holds this title (409).
        DuplicateHold = "duplicate_hold",
        /// The title has no copy that can be held (409).
        NotHoldable = "not_holdable",
        /// The library is not a pickup point (422).
        NotPickupPoint = "not_pickup_point",
        /// The hold cannot change now (it is ready or in transit) (409).
        HoldNotChangeable = "hold_not_changeable",
        /// The loan has been renewed as often as the rules allow (409).
        RenewalLimitReached = "renewal_limit_reached",
        /// Another patron is waiting for this title (409).
        HeldForAnother = "held_for_another",
        /// The loan is overdue by more than the rules allow for renewing (409).
        TooOverdue = "too_overdue",
        /// The loan's due date is not the one the request saw: it was renewed
        /// meanwhile (409).
        AlreadyRenewed = "already_renewed",
        /// The patron has as many lists, or the list as many entries, as allowed (409).
        ListLimitReached = "list_limit_reached",
        /// Reading rooms: the room is closed for some of the span (a closed
        /// day, or outside its hours) (409).
        RoomClosed = "room_closed",
        /// The span has started or is over (409).
        BookingInPast = "booking_in_past",
        /// The day is not bookable yet: past the booking window, or its
        /// window opens later today; `opens_at` says when (409).
        BookingNotOpen = "booking_not_open",
        /// The span does not start and end on the room's slots (422).
        NotOnSlots = "not_on_slots",
        /// The span is shorter than the room's minimum (422).
        BookingTooShort = "booking_too_short",
        /// The span (with an extension) is longer than the room's maximum (422).
        BookingTooLong = "booking_too_long",
        /// The patron has as many bookings that day as the rules allow (409).
        DailyBookingLimit = "daily_booking_limit",
        /// The patron has another booking overlapping the span (409).
        BookingOverlap = "booking_overlap",
        /// The seat is booked for some of the span (409).
        SeatTaken = "seat_taken",
        /// The seat is closed by staff (409).
        SeatClosed = "seat_closed",
        /// Booking is suspended after repeated no-shows or late returns;
        /// `suspended_until` says the last day (403).
        BookingSuspended = "booking_suspended",
        /// Check-in is not open yet; `opens_at` says when (409).
        CheckinTooEarly = "checkin_too_early",
        /// The check-in window has closed (409).
        CheckinTooLate = "checkin_too_late",
        /// The patron has no booking at this seat to check in to now (409).
        NoBookingAtSeat = "no_booking_at_seat",
        /// The booking's state does not allow this change (409).
        BookingNotChangeable = "booking_not_changeable",
        /// `If-Match` names an older version of the booking; the body's
        /// `booking` is the current one (412).
        PreconditionFailed = "precondition_failed",
        /// `POST /api/me/bookings` needs an `Idempotency-Key` header (400).
        IdempotencyKeyRequired = "idempotency_key_required",
        /// The `Idempotency-Key` was used with another body (422).
        IdempotencyKeyReused = "idempotency_key_reused",
        /// The first request with this `Idempotency-Key` is still being
        /// answered; try again shortly (409, `Retry-After`).
        RequestInFlight = "request_in_flight",
        /// A seat is free for the span: book it instead of waiting (409).
        SeatsAvailable = "seats_available",
        /// The patron is already on the waitlist for this span (409).
        AlreadyWaiting = "already_waiting",
        /// Culture: the server has no media files for this stream (they
        /// are not generated or installed) (404).
        MediaUnavailable = "media_unavailable",
        /// The `Range` of a media request is outside the file (416, with
        /// `Content-Range: bytes */<length>`).
        RangeNotSatisfiable = "range_not_satisfiable",
        /// The event is not streamed live now (not started, or no stream) (409).
        EventNotLive = "event_not_live",
        /// The event's replay is there once it is over (409).
        ReplayNotReady = "replay_not_ready",
        /// The event takes no registrations, or no longer (it has started) (409).
        RegistrationClosed = "registration_closed",
        /// The patron is already registered or waiting for this event (409).
        AlreadyRegistered = "already_registered",
    }
    else Unknown
}

crate::wire_struct! {
    /// One invalid field of a request.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct FieldError {
        /// The query parameter or JSON field, e.g. `page_size`.
        pub field: String,
        /// Machine-readable reason, e.g. `out_of_range`, `too_long`, `unknown_value`.
        pub code: String,
        /// A developer-facing explanation.
        pub message: String,
    }
}

crate::wire_struct! {
    /// An RFC 9457 problem document (`application/problem+json`).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Problem {
        /// A URI reference naming the problem type; `about:blank` when
        /// only the status matters (also when absent: empty here).
        #[serde(rename = "type", default)]
        pub type_uri: String,
        pub title: String,
        pub status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub detail: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub instance: Option<String>,
        /// Extension member: the stable error code.
        pub code: ErrorCode,
        /// Extension member: invalid fields, for `validation_failed`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub errors: Vec<FieldError>,
        /// Extension member: sign-in tries left before the card locks, for
        /// `invalid_credentials`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tries_left: Option<u32>,
        /// Extension member: when a locked card unlocks (RFC 3339), for
        /// `card_locked`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub locked_until: Option<String>,
        /// Extension member: the copies on the shelf at the chosen pickup
        /// library, for `on_shelf_at_pickup`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub on_shelf: Vec<Holding>,
    }
}

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

crate::wire_struct! {
    /// The answer of `GET /api/health`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Health {
        /// `ok` when the database answers.
        pub status: String,
        /// Records in the catalog.
        pub records: u64,
    }
}

/// Normalises an ISBN typed by a patron: strips hyphens and spaces, checks
/// the check digit, and turns an ISBN-10 into its ISBN-13. `None` when the
/// text is not a valid ISBN.
pub fn normalize_isbn(input: &str) -> Option<String> {
    let compact: Vec<char> = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}' | '\u{2011}' | '\u{2013}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match compact.len() {
        13 => {
            let digits: Option<Vec<u32>> = compact.iter().map(|c| c.to_digit(10)).collect();
            let digits = digits?;
            if digits[0..3] != [9, 7, 8] && digits[0..3] != [9, 7, 9] {
                return None;
            }
            let sum: u32 = digits[..12]
                .iter()
                .enumerate()
                .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
                .sum();
            let check = (10 - sum % 10) % 10;
            (check == digits[12]).then(|| compact.iter().collect())
        }
        10 => {
            let mut sum = 0u32;
            for (i, c) in compact.iter().enumerate() {
                let v = match (i, c) {
                    (9, 'X') => 10,
                    (_, c) => c.to_digit(10)?,
                };
                sum += v * (10 - i as u32);
            }
            if !sum.is_multiple_of(11) {
                return None;
            }
            let body: String = std::iter::once("978".to_owned())
                .chain(compact[..9].iter().map(|c| c.to_string()))
                .collect();
            let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
            let sum: u32 = digits
                .iter()
                .enumerate()
                .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
                .sum();
            Some(format!("{body}{}", (10 - sum % 10) % 10))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbn_forms_normalise_to_one_isbn13() {
        // 活着, 作家出版社 2012.
        assert_eq!(
            normalize_isbn("978-7-5063-6543-7").as_deref(),
            Some("9787506365437")
        );
        assert_eq!(
            normalize_isbn("9787506365437").as_deref(),
            Some("9787506365437")
        );
        // The ISBN-10 of the same book.
        assert_eq!(
            normalize_isbn("7-5063-6543-X").as_deref(),
            Some("9787506365437")
        );
        assert_eq!(
            normalize_isbn("7-5063-6543-x").as_deref(),
            Some("9787506365437")
        );
        assert_eq!(
            normalize_isbn("0 14 044913 2").as_deref(),
            Some("9780140449136")
        );
    }

    #[test]
    fn invalid_isbns_are_rejected() {
        assert_eq!(normalize_isbn("978-7-5063-6543-8"), None);
        assert_eq!(normalize_isbn("7-5063-6543-0"), None);
        assert_eq!(normalize_isbn("hongloumeng"), None);
        assert_eq!(normalize_isbn("12345"), None);
        assert_eq!(normalize_isbn("1234567890123"), None);
    }

    #[test]
    fn unknown_enum_values_do_not_break_decoding() {
        let hit: SearchHit = serde_json::from_str(
            r#"{"id":1,"title":"t","format":"vinyl","language":"zh","extra":true}"#,
        )
        .unwrap();
        assert_eq!(hit.format, Format::Unknown);
        let p: Problem =
            serde_json::from_str(r#"{"title":"x","status":418,"code":"teapot"}"#).unwrap();
        assert_eq!(p.code, ErrorCode::Unknown);
        assert_eq!(p.type_uri, "");
    }

    #[test]
    fn localized_text_falls_back_to_chinese() {
        let t = LocalizedText::new("县图书馆", "");
        assert_eq!(t.get(true), "县图书馆");
        assert_eq!(
            LocalizedText::new("县图书馆", "County Library").get(true),
            "County Library"
        );
    }
}
