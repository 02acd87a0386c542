//! The patron's booking endpoints: thin handlers over [`super::bookings`],
//! with the idempotency of `POST /api/me/bookings`, the rate limit and
//! the `ETag`/`If-Match` of changes.
//!
//! Idempotency: see [`crate::idempotency`], shared with the cultural
//! cloud's registrations.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};
use yuelan_api::ErrorCode;
use yuelan_api::booking::{
    Booking, BookingConfirmation, BookingProblem, CheckInAtSeat, CreateBooking, ExtendBooking,
    JoinWaitlist, MyBookings, WaitlistEntry,
};

use super::bookings::{self, Change};
use super::rules::etag;
use super::store;
use crate::AppState;
use crate::account::{CsrfChecked, SignedIn, no_content, one_param, path_id, private_json};
use crate::error::{AppError, Error};
use crate::idempotency::{self, Claimed, Stored, forget, store_answer};
use crate::routes::{JsonBody, blocking};

/// A booking with its `ETag`.
fn booking_response(status: StatusCode, booking: &Booking) -> Response {
    let mut res = private_json(status, booking);
    if let Ok(v) = HeaderValue::from_str(&etag(booking.version)) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Documents the `Idempotency-Key` header.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyKeyHeader {
    /// Required: a key the client makes up for this booking (a UUID), 1 to
    /// 200 characters, sent again with every retry of the same request.
    #[param(rename = "Idempotency-Key", min_length = 1, max_length = 200)]
    idempotency_key: String,
}

/// Documents the `If-Match` header of booking changes.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IfMatchHeader {
    /// The booking's `ETag` as last seen (`"3"`). When it is not the current
    /// one, the answer is 412 `precondition_failed` with the current booking
    /// in `booking`, and nothing changes. Without it the change applies to
    /// the booking as it is.
    #[param(rename = "If-Match")]
    if_match: Option<String>,
}

/// Books a seat for a span of one day.
///
/// Checks, in order: the seat exists (404), the span is well-formed (422
/// `validation_failed`), the room is open (`room_closed`), the span is on
/// the room's slots (422 `not_on_slots`), not too short or long (422
/// `booking_too_short`, `booking_too_long`), not past (`booking_in_past`),
/// inside the booking window (`booking_not_open` with `opens_at`), the
/// seat is open (`seat_closed`), the patron is not suspended (403
/// `booking_suspended` with `suspended_until`), the daily limit
/// (`daily_booking_limit`), no overlap with the patron's own bookings
/// (`booking_overlap`); then the database takes the seat's slots or
/// refuses (`seat_taken`).
///
/// Fair when a room opens: each patron has a token bucket (`rate_burst`
/// requests at once, then `rate_per_minute`; beyond: 429 `rate_limited`
/// with `Retry-After`), and one booking per time per patron, which the
/// database enforces; replays of one key never count twice.
#[utoipa::path(
    post, path = "/api/me/bookings", tag = "booking",
    params(crate::account::CsrfHeader, IdempotencyKeyHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreateBooking,
    responses(
        (status = 201, description = "Booked: the booking (with the seat's check-in code and path, and the check-in window) and the room's rules. `Location` and `ETag` are set. A replay of the key answers the first answer again.", body = BookingConfirmation),
        (status = 400, description = "No `Idempotency-Key` (`idempotency_key_required`), or the body is not JSON (`bad_request`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 403, description = "Booking is suspended (`booking_suspended`, with `suspended_until`), or the CSRF header is missing (`csrf_check_failed`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 404, description = "No such seat (`not_found`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 409, description = "`room_closed`, `booking_in_past`, `booking_not_open` (with `opens_at`), `seat_closed`, `daily_booking_limit`, `booking_overlap`, `seat_taken`, or `request_in_flight` (with `Retry-After`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `not_on_slots`, `booking_too_short`, `booking_too_long`, or `idempotency_key_reused` (the key came with another body).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 429, description = "Too many booking requests (`rate_limited`, `Retry-After` in seconds).", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn create_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    JsonBody(req): JsonBody<CreateBooking>,
) -> Result<Response, AppError> {
    let key = idempotency::key_of(&headers).ok_or_else(|| {
        AppError::booking(
            ErrorCode::IdempotencyKeyRequired,
            "Send an `Idempotency-Key` header of 1 to 200 characters.",
        )
    })?;
    let hash = Sha256::digest(serde_json::to_vec(&req).map_err(Error::from)?).to_vec();
    let card = who.card_number.clone();
    match idempotency::claim_waiting(&state, &card, &key, &hash).await? {
        Claimed::New => {}
        Claimed::Replay(res) => return Ok(res),
        Claimed::Reused => {
            return Err(AppError::booking(
                ErrorCode::IdempotencyKeyReused,
                "This `Idempotency-Key` was used with another request body.",
            ));
        }
        Claimed::InFlight => {
            return Ok(idempotency::in_flight(AppError::booking(
                ErrorCode::RequestInFlight,
                "The first request with this `Idempotency-Key` is still being answered.",
            )));
        }
    }

    // The rate limit counts new requests only.
    let now = state.now();
    let db_state = state.clone();
    let global = blocking(move || Ok(db_state.db().with_conn(|c| store::global_rules(c))?)).await?;
    if let Err(retry_after) = state.booking_hub().take_token(&card, &global, now) {
        let (db_state, card, key) = (state.clone(), card.clone(), key.clone());
        blocking(move || Ok(forget(db_state.db(), &card, &key)?)).await?;
        return Err(AppError::RateLimited { retry_after });
    }

    let (db_state, c, k) = (state.clone(), card.clone(), key.clone());
    let made = blocking(move || {
        db_state.db().write(|tx| {
            let (booking, rules, changes) = bookings::create(tx, &c, &req, now)?;
            let body = BookingConfirmation { booking, rules };
            let stored = Stored {
                status: 201,
                body: serde_json::to_vec(&body).map_err(Error::from)?,
                location: Some(format!("/api/me/bookings/{}", body.booking.id)),
                etag: Some(etag(body.booking.version)),
            };
            store_answer(tx, &c, &k, &stored)?;
            Ok((stored, changes))
        })
    })
    .await;
    match made {
        Ok((stored, changes)) => {
            state.booking_hub().publish(changes);
            Ok(stored.response())
        }
        Err(refusal) => idempotency::store_refusal(&state, &card, &key, refusal).await,
    }
}

/// The patron's bookings: offers and bookings to come (soonest first),
/// the last 30 days' (latest first), the waitlist, violations and any
/// suspension.
#[utoipa::path(
    get, path = "/api/me/bookings", tag = "booking",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The bookings.", body = MyBookings),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn list_handler(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let now = state.now();
    let list = blocking(move || {
        bookings::sweep_if_due(&state, now)?;
        Ok(state
            .db()
            .with_conn(|c| bookings::my_bookings(c, &who.card_number, now))?)
    })
    .await?;
    Ok(private_json(StatusCode::OK, &list))
}

/// One booking, with its `ETag`; `{id}.ics` answers it as a calendar file
/// (see `GET /api/me/bookings/{id}.ics`).
#[utoipa::path(
    get, path = "/api/me/bookings/{id}", tag = "booking",
    params(("id" = i64, Path, description = "The booking's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking.", body = Booking, headers(("ETag" = String))),
        (status = 401, description = "No session.", body = BookingProblem, content_type = "application/problem+json"),
        (status = 404, description = "No such booking of the patron (`not_found`).", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn get_handler(
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let raw = one_param(path)?;
    if let Some(id) = raw.strip_suffix(".ics") {
        return super::staff::ics_handler(state, who, path_id(id, "id")?).await;
    }
    let id = path_id(&raw, "id")?;
    let now = state.now();
    let booking = blocking(move || {
        bookings::sweep_if_due(&state, now)?;
        state
            .db()
            .with_conn(|c| Ok(bookings::mine(c, &who.card_number, id).map(|r| r.to_wire(now))))?
    })
    .await?;
    Ok(booking_response(StatusCode::OK, &booking))
}

/// Runs a change of a booking and answers the booking.
async fn change(
    state: AppState,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    what: Change,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    let if_match = headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("\"\"").to_owned());
    let now = state.now();
    let db_state = state.clone();
    let (booking, changes) = blocking(move || {
        db_state
            .db()
            .write(|tx| bookings::apply(tx, &who.card_number, id, if_match.as_deref(), what, now))
    })
    .await?;
    state.booking_hub().publish(changes);
    Ok(booking_response(StatusCode::OK, &booking))
}

macro_rules! change_handler {
    ($name:ident, $path:literal, $change:expr, $what:literal, $codes:literal) => {
        #[doc = $what]
        #[utoipa::path(
            post, path = $path, tag = "booking",
            params(crate::account::CsrfHeader, IfMatchHeader, ("id" = i64, Path, description = "The booking's id.")),
            security(("bearer" = []), ("cookie" = [])),
            responses(
                (status = 200, description = "The booking after the change, with its new `ETag`.", body = Booking),
                (status = 401, description = "No session.", body = BookingProblem, content_type = "application/problem+json"),
                (status = 403, description = "The CSRF header is missing (`csrf_check_failed`), or booking is suspended (`booking_suspended`).", body = BookingProblem, content_type = "application/problem+json"),
                (status = 404, description = "No such booking of the patron (`not_found`).", body = BookingProblem, content_type = "application/problem+json"),
                (status = 409, description = $codes, body = BookingProblem, content_type = "application/problem+json"),
                (status = 412, description = "`If-Match` names an older version (`precondition_failed`); `booking` is the current one.", body = BookingProblem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $name(
            _: CsrfChecked,
            State(state): State<AppState>,
            who: SignedIn,
            path: Result<Path<String>, PathRejection>,
            headers: HeaderMap,
        ) -> Result<Response, AppError> {
            change(state, who, path, &headers, $change).await
        }
    };
}

change_handler!(
    cancel_handler,
    "/api/me/bookings/{id}/cancel",
    Change::Cancel,
    "Cancels a booking not yet checked in; the seat is offered to the waitlist.",
    "`booking_not_changeable` (not `booked`)."
);
change_handler!(
    checkin_handler,
    "/api/me/bookings/{id}/checkin",
    Change::CheckIn,
    "Checks in, inside the check-in window (from `checkin_before_minutes` before the start to `checkin_after_minutes` after).",
    "`checkin_too_early` (with `opens_at`), `checkin_too_late`, `booking_not_changeable`."
);
change_handler!(
    leave_handler,
    "/api/me/bookings/{id}/leave",
    Change::Leave,
    "Starts a temporary leave: `leave_minutes`, or `meal_leave_minutes` at meal times, at most to the end. Not back by `leave_until`: the seat is released and a violation counted.",
    "`booking_not_changeable` (not checked in)."
);
change_handler!(
    return_handler,
    "/api/me/bookings/{id}/return",
    Change::Return,
    "Returns from a temporary leave.",
    "`booking_not_changeable` (not on leave, or released)."
);
change_handler!(
    end_handler,
    "/api/me/bookings/{id}/end",
    Change::End,
    "Ends a booking early (check out); the rest of its time is freed and offered to the waitlist.",
    "`booking_not_changeable` (not checked in or on leave)."
);
change_handler!(
    accept_handler,
    "/api/me/bookings/{id}/accept",
    Change::Accept,
    "Accepts a waitlist offer before `offer_expires_at`: it becomes a booking.",
    "`booking_not_changeable` (not an offer, or lapsed), `daily_booking_limit`."
);
change_handler!(
    decline_handler,
    "/api/me/bookings/{id}/decline",
    Change::Decline,
    "Declines a waitlist offer; the seat goes to the next patron waiting.",
    "`booking_not_changeable` (not an offer)."
);

/// Extends a booking to a later end on the room's slots, when the seat
/// is free until then.
#[utoipa::path(
    post, path = "/api/me/bookings/{id}/extend", tag = "booking",
    params(crate::account::CsrfHeader, IfMatchHeader, ("id" = i64, Path, description = "The booking's id.")),
    security(("bearer" = []), ("cookie" = [])),
    request_body = ExtendBooking,
    responses(
        (status = 200, description = "The booking with its new end and `ETag`.", body = Booking),
        (status = 404, description = "No such booking of the patron (`not_found`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 409, description = "`seat_taken` (the next slot is booked), `booking_overlap`, `room_closed` (past closing), `booking_not_changeable`.", body = BookingProblem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match` (`precondition_failed`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 422, description = "`not_on_slots`, `booking_too_long`, `validation_failed`.", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn extend_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ExtendBooking>,
) -> Result<Response, AppError> {
    change(state, who, path, &headers, Change::Extend(req.end)).await
}

/// Checks in at the seat whose QR code was scanned (the code of the app's
/// route `/booking/checkin/{seat_code}`): the patron's booking of that
/// seat with its check-in window open; a patron on leave returns.
#[utoipa::path(
    post, path = "/api/me/checkin", tag = "booking",
    params(crate::account::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = CheckInAtSeat,
    responses(
        (status = 200, description = "The booking, checked in.", body = Booking),
        (status = 404, description = "No seat has this code (`not_found`).", body = BookingProblem, content_type = "application/problem+json"),
        (status = 409, description = "`no_booking_at_seat`, `checkin_too_early` (with `opens_at`), `checkin_too_late`.", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn checkin_at_seat_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    JsonBody(req): JsonBody<CheckInAtSeat>,
) -> Result<Response, AppError> {
    let now = state.now();
    let db_state = state.clone();
    let (booking, changes) = blocking(move || {
        db_state
            .db()
            .write(|tx| bookings::check_in_at_seat(tx, &who.card_number, &req.seat_code, now))
    })
    .await?;
    state.booking_hub().publish(changes);
    Ok(booking_response(StatusCode::OK, &booking))
}

/// Joins a room's waitlist for a span with no free seat. When a seat
/// frees, the first patron waiting gets it as an `offered` booking for
/// `offer_minutes` (see `GET /api/me/bookings`): accept, decline, or let
/// it lapse and it goes to the next.
#[utoipa::path(
    post, path = "/api/me/waitlist", tag = "booking",
    params(crate::account::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = JoinWaitlist,
    responses(
        (status = 201, description = "On the waitlist.", body = WaitlistEntry),
        (status = 403, description = "`booking_suspended`, `csrf_check_failed`.", body = BookingProblem, content_type = "application/problem+json"),
        (status = 404, description = "No such room.", body = BookingProblem, content_type = "application/problem+json"),
        (status = 409, description = "`seats_available` (book one instead), `already_waiting`, and the span's refusals as for a booking.", body = BookingProblem, content_type = "application/problem+json"),
        (status = 422, description = "The span's refusals as for a booking.", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn join_waitlist_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    JsonBody(req): JsonBody<JoinWaitlist>,
) -> Result<Response, AppError> {
    let now = state.now();
    let db_state = state.clone();
    let (entry, changes) = blocking(move || {
        db_state
            .db()
            .write(|tx| bookings::join_waitlist(tx, &who.card_number, &req, now))
    })
    .await?;
    state.booking_hub().publish(changes);
    Ok(private_json(StatusCode::CREATED, &entry))
}

/// Leaves the waitlist (an offer made for the entry is declined).
#[utoipa::path(
    delete, path = "/api/me/waitlist/{id}", tag = "booking",
    params(crate::account::CsrfHeader, ("id" = i64, Path, description = "The entry's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Off the waitlist."),
        (status = 404, description = "No such entry of the patron.", body = BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn leave_waitlist_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    let now = state.now();
    let db_state = state.clone();
    let changes = blocking(move || {
        db_state
            .db()
            .write(|tx| bookings::leave_waitlist(tx, &who.card_number, id, now))
    })
    .await?;
    state.booking_hub().publish(changes);
    Ok(no_content())
}
