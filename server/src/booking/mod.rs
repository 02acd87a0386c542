//! Reading-room booking: rooms and their seat maps ([`store`], [`seed`]),
//! the rules as data and plain functions ([`rules`]), bookings with their
//! changes, sweeps and the waitlist ([`bookings`]), live seat changes and
//! the rate limit ([`live`]), and the staff's QR page and calendar files
//! ([`staff`]).
//!
//! Browsing (rooms, a room, availability, live events) needs no sign-in;
//! everything under `/api/me` does. Every read and write first sweeps what
//! is due at the clock's time (no-shows, overrun leaves, lapsed offers), so
//! releases happen without a request from the patron concerned; `serve`
//! also sweeps once a second, which pushes the changes to live listeners.

pub mod bookings;
pub mod live;
pub mod me;
pub mod rules;
pub mod seed;
pub mod staff;
pub mod store;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yuelan_api::Problem;
use yuelan_api::booking::{Availability, RoomDetail, RoomList};

use crate::AppState;
use crate::account::one_param;
use crate::clock::{local_day, parse_date};
use crate::error::AppError;
use crate::routes::{blocking, query_pairs};

pub use live::Hub;

fn no_room(id: &str) -> AppError {
    AppError::NotFound(format!("There is no reading room {id:?}."))
}

/// Query parameters of `GET /api/rooms`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RoomsParams {
    /// Only the rooms of this library (an unknown id lists none).
    library: Option<String>,
}

/// The reading rooms, with the seats free in the slot under way and
/// today's hours.
#[utoipa::path(
    get, path = "/api/rooms", tag = "booking",
    params(RoomsParams),
    responses(
        (status = 200, description = "The rooms, in network order of their libraries.", body = RoomList),
        (status = 400, description = "The query string cannot be decoded (`bad_request`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rooms_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RoomList>, AppError> {
    let pairs = query_pairs(raw.as_deref().unwrap_or(""))?;
    let library = pairs
        .iter()
        .find(|(k, _)| k == "library")
        .map(|(_, v)| v.clone());
    let now = state.now();
    let list = blocking(move || {
        bookings::sweep_if_due(&state, now)?;
        Ok(state.db().with_conn(|c| {
            let rooms = store::load_rooms(c, library.as_deref())?;
            let mut out = Vec::with_capacity(rooms.len());
            for room in &rooms {
                out.push(store::summary(c, room, now)?);
            }
            Ok(RoomList { rooms: out })
        })?)
    })
    .await?;
    Ok(Json(list))
}

/// A room with its seat map, hours, closed days and booking rules.
#[utoipa::path(
    get, path = "/api/rooms/{id}", tag = "booking",
    params(("id" = String, Path, description = "The room's id, e.g. `county-study`.")),
    responses(
        (status = 200, description = "The room.", body = RoomDetail),
        (status = 404, description = "No such room (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn room_handler(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<RoomDetail>, AppError> {
    let id = one_param(path)?;
    let now = state.now();
    let detail = blocking(move || {
        bookings::sweep_if_due(&state, now)?;
        state.db().with_conn(|c| {
            let Some(room) = store::load_room(c, &id)? else {
                return Ok(Err(no_room(&id)));
            };
            let global = store::global_rules(c)?;
            Ok(Ok(store::detail(c, &room, &global, now)?))
        })?
    })
    .await?;
    Ok(Json(detail))
}

/// Query parameters of `GET /api/rooms/{id}/availability`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AvailabilityParams {
    /// `YYYY-MM-DD`; default today.
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    date: Option<String>,
    /// `HH:MM`, with `end`; without both, the slot under way (today) or the
    /// day's first slot.
    #[param(pattern = r"^\d{2}:\d{2}$")]
    start: Option<String>,
    /// `HH:MM`, after `start`.
    #[param(pattern = r"^\d{2}:\d{2}$")]
    end: Option<String>,
}

/// Reads `date`, `start` and `end` of a query string.
pub fn span_params(
    pairs: &[(String, String)],
    today: i64,
) -> Result<(i64, Option<(u32, u32)>), AppError> {
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let mut errors = Vec::new();
    let day = match get("date") {
        None => Some(today),
        Some(d) => parse_date(d).or_else(|| {
            errors.push(yuelan_api::FieldError {
                field: "date".into(),
                code: "invalid".into(),
                message: "`date` is a date, YYYY-MM-DD.".into(),
            });
            None
        }),
    };
    let mut time = |name: &str| match get(name) {
        None => None,
        Some(t) => rules::parse_hhmm(t).or_else(|| {
            errors.push(yuelan_api::FieldError {
                field: name.into(),
                code: "invalid".into(),
                message: format!("`{name}` is a time of day, HH:MM."),
            });
            None
        }),
    };
    let (start, end) = (time("start"), time("end"));
    let span = match (start, end) {
        (Some(s), Some(e)) if e > s => Some((s, e)),
        (None, None) => None,
        _ => {
            errors.push(yuelan_api::FieldError {
                field: "end".into(),
                code: "invalid".into(),
                message: "`start` and `end` go together, and `end` is after `start`.".into(),
            });
            None
        }
    };
    match day {
        Some(day) if errors.is_empty() => Ok((day, span)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The `ETag` of an availability answer: the room's version and the
/// minute (what can be booked also moves with the clock).
fn availability_etag(version: u64, now: i64) -> String {
    format!("\"{version}-{}\"", now.div_euclid(60))
}

/// Every seat of a room for a span of a day (free, taken or closed), and
/// the day's slots with their free seats. No sign-in needed.
///
/// The answer carries an `ETag`; a poll that sends it back as
/// `If-None-Match` answers 304 with no body while nothing changed (the
/// fallback of webviews without server-sent events).
#[utoipa::path(
    get, path = "/api/rooms/{id}/availability", tag = "booking",
    params(
        ("id" = String, Path, description = "The room's id."),
        AvailabilityParams,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of an earlier answer."),
    ),
    responses(
        (status = 200, description = "The seats for the span. `refusal` says why the span could not be booked now, if it could not.", body = Availability,
            headers(("ETag" = String, description = "Changes whenever a booking or seat of the room changes, and each minute."))),
        (status = 304, description = "Nothing changed since the `ETag` sent."),
        (status = 404, description = "No such room (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`date`, `start` or `end` is malformed (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn availability_handler(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    let now = state.now();
    let pairs = query_pairs(raw.as_deref().unwrap_or(""))?;
    let (day, span) = span_params(&pairs, local_day(now))?;
    let seen = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let answer = blocking(move || {
        bookings::sweep_if_due(&state, now)?;
        state.db().with_conn(|c| {
            let Some(version) = store::room_version(c, &id)? else {
                return Ok(Err(no_room(&id)));
            };
            let tag = availability_etag(version, now);
            if seen.as_deref() == Some(tag.as_str()) {
                return Ok(Ok((tag, None)));
            }
            let Some(room) = store::load_room(c, &id)? else {
                return Ok(Err(no_room(&id)));
            };
            Ok(Ok((
                tag,
                Some(store::availability(c, &room, day, span, now)?),
            )))
        })?
    })
    .await?;
    let (tag, body): (String, Option<Availability>) = answer;
    let mut res = match body {
        Some(body) => (StatusCode::OK, Json(body)).into_response(),
        None => StatusCode::NOT_MODIFIED.into_response(),
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(res)
}
