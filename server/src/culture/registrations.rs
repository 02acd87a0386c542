//! Registrations for events with limited places (活动报名).
//!
//! A registered registration holds one numbered place of its event in
//! `culture_places`: place numbers are unique per event and a trigger
//! refuses a number at or past the event's capacity, so the database
//! never lets an event have more registrations than places. A patron who
//! finds the places taken waits; when someone cancels before the event
//! starts, the place goes to the oldest waiting registration in the same
//! transaction. Registering takes an `Idempotency-Key`
//! ([`crate::idempotency`]): a retry answers the first answer.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use yuelan_api::culture::{CreateRegistration, MyRegistrations, Registration, RegistrationStatus};
use yuelan_api::{ErrorCode, Problem};

use super::store;
use crate::AppState;
use crate::account::{CsrfChecked, SignedIn, no_content, one_param, path_id, private_json};
use crate::clock::rfc3339;
use crate::error::{AppError, Error};
use crate::idempotency::{self, Claimed, Stored, store_answer};
use crate::routes::{JsonBody, blocking};

const SELECT: &str = "
    SELECT r.id, r.status, r.event_id, e.title_zh, e.title_en, e.library_id, l.name_zh, l.name_en, e.place_zh,
           e.place_en, e.starts_at, e.ends_at, r.created_at, r.card_number
    FROM culture_registrations r JOIN culture_events e ON e.id = r.event_id JOIN libraries l ON l.id = e.library_id";

fn read(conn: &Connection, r: &rusqlite::Row<'_>) -> rusqlite::Result<(Registration, String)> {
    let status: String = r.get(1)?;
    let status = RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Unknown);
    let id: i64 = r.get(0)?;
    let event_id: String = r.get(2)?;
    let waitlist_position = if status == RegistrationStatus::Waiting {
        store::waitlist_position(conn, &event_id, id).unwrap_or(None)
    } else {
        None
    };
    let text = |a: usize| -> rusqlite::Result<yuelan_api::LocalizedText> {
        Ok(yuelan_api::LocalizedText::new(
            r.get::<_, String>(a)?,
            r.get::<_, String>(a + 1)?,
        ))
    };
    Ok((
        Registration {
            id,
            status,
            event_title: text(3)?,
            library_id: r.get(5)?,
            library_name: text(6)?,
            place: text(8)?,
            starts_at: rfc3339(r.get(10)?),
            ends_at: rfc3339(r.get(11)?),
            created_at: rfc3339(r.get(12)?),
            waitlist_position,
            event_id,
        },
        r.get(13)?,
    ))
}

fn by_id(conn: &Connection, id: i64) -> Result<Option<(Registration, String)>, Error> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?
        .query_row([id], |r| read(conn, r))
        .optional()?)
}

/// The lowest free place number of an event below `capacity`, if any.
pub fn free_place(conn: &Connection, event: &str, capacity: u32) -> Result<Option<u32>, Error> {
    let taken: Vec<u32> = conn
        .prepare_cached(
            "SELECT place_no FROM culture_places WHERE event_id = ?1 ORDER BY place_no",
        )?
        .query_map([event], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(first_gap(&taken, capacity))
}

/// The first number from 0 missing from a sorted list, if below `capacity`.
pub fn first_gap(taken: &[u32], capacity: u32) -> Option<u32> {
    let mut next = 0;
    for &n in taken {
        if n == next {
            next += 1;
        } else if n > next {
            break;
        }
    }
    (next < capacity).then_some(next)
}

/// Gives a waiting registration a place if one is free; the database
/// refuses a place past the capacity or taken. Returns whether it did.
fn take_place(conn: &Connection, event: &str, capacity: u32, id: i64) -> Result<bool, Error> {
    let Some(place) = free_place(conn, event, capacity)? else {
        return Ok(false);
    };
    let inserted = conn
        .prepare_cached(
            "INSERT INTO culture_places (event_id, place_no, registration_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![event, place, id]);
    match inserted {
        Ok(_) => {
            conn.prepare_cached(
                "UPDATE culture_registrations SET status = 'registered' WHERE id = ?1",
            )?
            .execute([id])?;
            Ok(true)
        }
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Registers `card` for an event: a place if one is free, else the
/// waitlist.
pub fn create(
    conn: &Connection,
    card: &str,
    event_id: &str,
    now: i64,
) -> Result<Registration, AppError> {
    let event = store::event_row(conn, event_id)?
        .ok_or_else(|| AppError::NotFound(format!("There is no event {event_id:?}.")))?;
    let Some(capacity) = event.capacity else {
        return Err(AppError::refused(
            ErrorCode::RegistrationClosed,
            "The event takes no registrations: come along.",
        ));
    };
    if now >= event.starts_at {
        return Err(AppError::refused(
            ErrorCode::RegistrationClosed,
            "The event has started: registrations are closed.",
        ));
    }
    if store::my_place(conn, event_id, card)?.is_some() {
        return Err(AppError::refused(
            ErrorCode::AlreadyRegistered,
            "You are registered or waiting for this event already.",
        ));
    }
    conn.prepare_cached(
        "INSERT INTO culture_registrations (event_id, card_number, status, created_at, queued_at)
         VALUES (?1, ?2, 'waiting', ?3, ?3)",
    )?
    .execute(params![event_id, card, now])?;
    let id = conn.last_insert_rowid();
    take_place(conn, event_id, capacity, id)?;
    by_id(conn, id)?
        .map(|(r, _)| r)
        .ok_or_else(|| AppError::NotFound(format!("There is no registration {id}.")))
}

/// Cancels `card`'s registration `id` (a cancelled one stays cancelled);
/// a place it freed goes to the oldest waiting registration if the event
/// has not started.
pub fn cancel(conn: &Connection, card: &str, id: i64, now: i64) -> Result<(), AppError> {
    let not_found = || AppError::NotFound(format!("You have no registration {id}."));
    let Some((reg, owner)) = by_id(conn, id)? else {
        return Err(not_found());
    };
    if owner != card {
        return Err(not_found());
    }
    if reg.status == RegistrationStatus::Cancelled {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM culture_places WHERE registration_id = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "UPDATE culture_registrations SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    let Some(event) = store::event_row(conn, &reg.event_id)? else {
        return Ok(());
    };
    if let Some(capacity) = event.capacity.filter(|_| now < event.starts_at) {
        let waiting: Vec<i64> = conn
            .prepare_cached(
                "SELECT id FROM culture_registrations WHERE event_id = ?1 AND status = 'waiting'
                 ORDER BY queued_at, id",
            )?
            .query_map([&reg.event_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for w in waiting {
            if !take_place(conn, &reg.event_id, capacity, w)? {
                break;
            }
        }
    }
    Ok(())
}

/// The patron's registered and waiting registrations for events not over.
pub fn mine(conn: &Connection, card: &str, now: i64) -> Result<Vec<Registration>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE r.card_number = ?1 AND r.status <> 'cancelled' AND e.ends_at > ?2
         ORDER BY e.starts_at, r.id"
    ))?;
    let rows = stmt.query_map(params![card, now], |r| read(conn, r))?;
    Ok(rows
        .map(|r| r.map(|(reg, _)| reg))
        .collect::<Result<_, _>>()?)
}

/// The patron's registrations, for the Me timeline.
#[utoipa::path(
    get, path = "/api/me/culture/registrations", tag = "culture",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Registered and waiting registrations for events that are not over, by start.", body = MyRegistrations),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_handler(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let now = state.now();
    let list =
        blocking(move || Ok(state.db().with_conn(|c| mine(c, &who.card_number, now))?)).await?;
    Ok(private_json(
        StatusCode::OK,
        &MyRegistrations {
            registrations: list,
        },
    ))
}

/// Registers for an event with limited places: a place while there is
/// one (`registered`), else the waitlist (`waiting`, with its position),
/// which moves up when someone cancels. The database never gives out more
/// places than the event has.
#[utoipa::path(
    post, path = "/api/me/culture/registrations", tag = "culture",
    params(crate::account::CsrfHeader, crate::booking::me::IdempotencyKeyHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreateRegistration,
    responses(
        (status = 201, description = "Registered or waiting; `Location` is set. A replay of the key answers the first answer again.", body = Registration),
        (status = 400, description = "No `Idempotency-Key` (`idempotency_key_required`), or the body is not JSON (`bad_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF header is missing (`csrf_check_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`registration_closed` (no registrations, or it has started), `already_registered`, or `request_in_flight` (with `Retry-After`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, or `idempotency_key_reused` (the key came with another body).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    JsonBody(req): JsonBody<CreateRegistration>,
) -> Result<Response, AppError> {
    let key = idempotency::key_of(&headers).ok_or_else(|| {
        AppError::refused(
            ErrorCode::IdempotencyKeyRequired,
            "Send an `Idempotency-Key` header of 1 to 200 characters.",
        )
    })?;
    let mut hashed = b"POST /api/me/culture/registrations\n".to_vec();
    hashed.extend(serde_json::to_vec(&req).map_err(Error::from)?);
    let hash = Sha256::digest(&hashed).to_vec();
    let card = who.card_number.clone();
    match idempotency::claim_waiting(&state, &card, &key, &hash).await? {
        Claimed::New => {}
        Claimed::Replay(res) => return Ok(res),
        Claimed::Reused => {
            return Err(AppError::refused(
                ErrorCode::IdempotencyKeyReused,
                "This `Idempotency-Key` was used with another request body.",
            ));
        }
        Claimed::InFlight => {
            return Ok(idempotency::in_flight(AppError::refused(
                ErrorCode::RequestInFlight,
                "The first request with this `Idempotency-Key` is still being answered.",
            )));
        }
    }
    let now = state.now();
    let (s, c, k) = (state.clone(), card.clone(), key.clone());
    let made = blocking(move || {
        s.db().write(|tx| {
            let reg = create(tx, &c, &req.event_id, now)?;
            let stored = Stored {
                status: 201,
                body: serde_json::to_vec(&reg).map_err(Error::from)?,
                location: Some(format!("/api/me/culture/registrations/{}", reg.id)),
                etag: None,
            };
            store_answer(tx, &c, &k, &stored)?;
            Ok(stored)
        })
    })
    .await;
    match made {
        Ok(stored) => Ok(stored.response()),
        Err(refusal) => idempotency::store_refusal(&state, &card, &key, refusal).await,
    }
}

/// Cancels a registration; its place goes to the first on the waitlist.
#[utoipa::path(
    delete, path = "/api/me/culture/registrations/{id}", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = i64, Path, description = "The registration's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Cancelled (also when it was already)."),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration of the patron (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    let now = state.now();
    blocking(move || state.db().write(|tx| cancel(tx, &who.card_number, id, now))).await?;
    Ok(no_content())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_gap_is_the_next_place() {
        assert_eq!(first_gap(&[], 3), Some(0));
        assert_eq!(first_gap(&[0, 1], 3), Some(2));
        assert_eq!(first_gap(&[0, 2], 3), Some(1));
        assert_eq!(first_gap(&[1, 2], 3), Some(0));
        assert_eq!(first_gap(&[0, 1, 2], 3), None);
        assert_eq!(first_gap(&[0], 1), None);
    }
}
