//! The OpenAPI 3.1 document, generated from the wire types and the routes.
//! `api/openapi.json` is this document; a test fails when they drift.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use yuelan_api::account::{
    Account, BlockReason, ChangePickup, CirculationRules, FavouriteList, FavouriteLists, Hold,
    HoldStatus, ListChange, ListEntry, Loan, NewList, Patron, PlaceHold, RenewItem, RenewLoan,
    RenewMany, RenewOutcome, RenewResults, SessionInfo, SessionMode, SharedList, SignInRequest,
    SuspendHold,
};
use yuelan_api::{
    BranchAvailability, ErrorCode, Facet, FacetField, FacetValue, FieldError, Format, Health,
    Holding, ItemStatus, Library, LibraryKind, LibraryList, LocalizedText, OpeningHours, Problem,
    RecordDetail, SearchHit, SearchResponse, Service, SortOrder,
};

use yuelan_api::booking::{
    Availability, Booking, BookingAction, BookingConfirmation, BookingProblem, BookingRules,
    BookingStatus, CheckInAtSeat, ClosedDay, CreateBooking, ExtendBooking, JoinWaitlist,
    MyBookings, RoomDetail, RoomKind, RoomLayout, RoomList, RoomSummary, Seat, SeatAvailability,
    SeatChange, SeatStatus, Shape, ShapeKind, SlotAvailability, TimeSpan, WaitlistEntry,
    WaitlistStatus,
};

use yuelan_api::culture::{
    Category, CategoryRow, Chapter, ContinueItem, ContinueWatching, CreateRegistration,
    CreateRequest, Credit, CreditRole, CultureEvent, CultureHome, CultureRequest, EventList,
    EventStatus, LibraryRequests, MediaKind, MyPlace, MyRegistrations, Places, ProgrammeDetail,
    ProgrammeList, ProgrammeSummary, Progress, RateProgramme, RatingSummary, RecordView,
    Registration, RegistrationStatus, Rendition, RequestList, SaveProgress, SeriesInfo, Stream,
    SubtitleTrack, ViewCount,
};

use crate::account::{self, holds, lists, loans, session};
use crate::booking;
use crate::culture;
use crate::routes;

/// The two ways a request carries its session.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token of `POST /api/session` in bearer mode (apps on another origin).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "yuelan_session",
                "The HttpOnly cookie of `POST /api/session` in cookie mode (apps on the API's origin).",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Yuelan catalog API",
        description = "The REST contract between Yuelan (阅览), the patron app of a county public-library network, \
                       and a library's backend. Errors are RFC 9457 `application/problem+json` documents with a \
                       stable `code`.\n\n\
                       Sessions: `POST /api/session` signs in with a card number and PIN, in cookie mode (an \
                       HttpOnly `yuelan_session` cookie, for apps served from the API's origin) or bearer mode (a \
                       token to send as `Authorization: Bearer`, for apps on another origin that the server allows). \
                       A session ends after `session_idle_minutes` without a request and `session_max_hours` after \
                       sign-in (`GET /api/rules`). Everything under `/api/me` answers 401 `unauthenticated` without a \
                       session and 401 `session_expired` once it has ended. Someone else's hold, loan or list answers \
                       404. Every `POST`, `PUT`, `PATCH` and `DELETE` must carry `X-Requested-With: yuelan`, or it \
                       answers 403 `csrf_check_failed` and nothing happens.\n\n\
                       Sign-in: `lockout_failures` failed tries for one card number within `lockout_minutes` lock \
                       it for `lockout_minutes` (429 `card_locked`, `locked_until`, `Retry-After`); before that \
                       each failure answers 401 `invalid_credentials` with `tries_left`. Unknown card numbers get \
                       the same answers.\n\n\
                       Circulation rules are data: the server reads them from its rules table on every request and \
                       serves them at `GET /api/rules`. Dates are `YYYY-MM-DD` in the library's local time \
                       (UTC+8); instants are RFC 3339 with `+08:00`.\n\n\
                       Reading-room booking: each room's rules are data (`GET /api/rooms/{id}`, `rules`). A \
                       booking holds one row per 30-minute quantum of its seat and of its patron, unique in the \
                       database, so a seat or a patron can never be booked twice at once. `POST /api/me/bookings` \
                       needs an `Idempotency-Key`: a replay answers the first answer; another body with the key \
                       422 `idempotency_key_reused`; a replay while the first is being answered 409 \
                       `request_in_flight`. Changes of a booking take `If-Match` (its `ETag`); a stale one answers \
                       412 `precondition_failed` with the current booking. Booking refusals are problem documents \
                       with extension members (`BookingProblem`: `suspended_until`, `opens_at`, `booking`).\n\n\
                       Fairness when a day opens for booking (`days_ahead` days before, at `window_opens_at`): \
                       first come, first served, with three limits that keep bots from taking a room: each patron \
                       has a token bucket of `rate_burst` booking requests, refilled at `rate_per_minute` (429 \
                       `rate_limited` with `Retry-After` beyond; replays of a key do not count); a patron holds one \
                       booking at a time (the database's unique quanta, `booking_overlap`); and at most \
                       `max_bookings_per_day` bookings a day in a library. No-shows are released at the end of the \
                       check-in window, and a freed seat goes to the room's waitlist in order, as a 10-minute offer.",
        license(name = "MIT", identifier = "MIT")
    ),
    paths(
        routes::health,
        routes::libraries,
        routes::search,
        routes::record,
        account::rules_handler,
        session::sign_in_handler,
        session::session_handler,
        session::sign_out_handler,
        account::account_handler,
        holds::place_handler,
        holds::change_pickup_handler,
        holds::suspend_handler,
        holds::resume_handler,
        holds::cancel_handler,
        loans::renew_handler,
        loans::renew_many_handler,
        lists::lists_handler,
        lists::create_handler,
        lists::update_handler,
        lists::delete_handler,
        lists::add_handler,
        lists::remove_handler,
        lists::shared_handler,
        booking::rooms_handler,
        booking::room_handler,
        booking::availability_handler,
        booking::live::events_handler,
        booking::me::list_handler,
        booking::me::create_handler,
        booking::me::get_handler,
        booking::staff::ics_handler,
        booking::me::cancel_handler,
        booking::me::checkin_handler,
        booking::me::leave_handler,
        booking::me::return_handler,
        booking::me::end_handler,
        booking::me::extend_handler,
        booking::me::accept_handler,
        booking::me::decline_handler,
        booking::me::checkin_at_seat_handler,
        booking::me::join_waitlist_handler,
        booking::me::leave_waitlist_handler,
        booking::staff::seat_codes_handler,
        booking::staff::seat_codes_css,
        culture::home_handler,
        culture::programmes_handler,
        culture::programme_handler,
        culture::chapters_handler,
        culture::events_handler,
        culture::event_handler,
        culture::serve::live_handler,
        culture::serve::replay_handler,
        culture::serve::master_handler,
        culture::serve::subs_handler,
        culture::serve::rendition_file_handler,
        culture::serve::asset_file_handler,
        culture::patron::view_handler,
        culture::patron::requests_handler,
        culture::patron::continue_handler,
        culture::patron::save_progress_handler,
        culture::patron::rate_handler,
        culture::patron::unrate_handler,
        culture::patron::create_request_handler,
        culture::patron::back_handler,
        culture::patron::unback_handler,
        culture::registrations::list_handler,
        culture::registrations::create_handler,
        culture::registrations::cancel_handler,
        routes::openapi_json,
    ),
    components(schemas(
        BranchAvailability, ErrorCode, Facet, FacetField, FacetValue, FieldError, Format, Health, Holding,
        ItemStatus, Library, LibraryKind, LibraryList, LocalizedText, OpeningHours, Problem, RecordDetail,
        SearchHit, SearchResponse, Service, SortOrder,
        Account, BlockReason, ChangePickup, CirculationRules, FavouriteList, FavouriteLists, Hold, HoldStatus,
        ListChange, ListEntry, Loan, NewList, Patron, PlaceHold, RenewItem, RenewLoan, RenewMany, RenewOutcome,
        RenewResults, SessionInfo, SessionMode, SharedList, SignInRequest, SuspendHold,
        Availability, BookingRules, ClosedDay, RoomDetail, RoomKind, RoomLayout, RoomList, RoomSummary, Seat,
        SeatAvailability, SeatStatus, Shape, ShapeKind, SlotAvailability, TimeSpan, Booking, BookingAction,
        BookingConfirmation, BookingProblem, BookingStatus, CheckInAtSeat, CreateBooking, ExtendBooking,
        JoinWaitlist, MyBookings, SeatChange, WaitlistEntry, WaitlistStatus,
        Category, CategoryRow, Chapter, ContinueItem, ContinueWatching, CreateRegistration, CreateRequest, Credit,
        CreditRole, CultureEvent, CultureHome, CultureRequest, EventList, EventStatus, LibraryRequests, MediaKind,
        MyPlace, MyRegistrations, Places, ProgrammeDetail, ProgrammeList, ProgrammeSummary, Progress,
        RateProgramme, RatingSummary, RecordView, Registration, RegistrationStatus, Rendition, RequestList,
        SaveProgress, SeriesInfo, Stream, SubtitleTrack, ViewCount,
    )),
    modifiers(&Credentials),
    tags(
        (name = "catalog", description = "Libraries, catalog search and records."),
        (name = "account", description = "Sign-in and sessions, the patron's loans and holds, and the circulation rules."),
        (name = "lists", description = "Favourite lists, and shared lists' read-only links."),
        (name = "booking", description = "Reading rooms, seat maps and availability; the patron's seat bookings, check-in, leave and the waitlist."),
        (name = "culture", description = "The cultural cloud: programmes with series and episodes, search, HLS media (master playlists with subtitle renditions, segments with byte ranges, a simulated live stream and its replay), the events calendar with registrations (活动报名) and a waitlist, progress, ratings, views and patrons' requests (点单)."),
        (name = "meta", description = "Health and this document."),
    )
)]
struct ApiDoc;

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as pretty JSON with a trailing newline, as committed in
/// `api/openapi.json`.
pub fn json_pretty() -> String {
    // A document of plain maps and strings always serialises.
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}
