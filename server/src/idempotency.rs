//! Idempotency of state-changing requests that create something
//! (`POST /api/me/bookings`, `POST /api/me/culture/registrations`): the
//! first request with an `Idempotency-Key` claims it (`idempotency_keys`,
//! per patron, with the SHA-256 of the body); its answer, whatever it is,
//! is stored with the key, a success in the same transaction as what it
//! made. A replay with the same body gets that answer again (status and
//! body); with another body, 422 `idempotency_key_reused`. A replay while
//! the first is still being answered waits up to a second for it, then
//! answers 409 `request_in_flight` with `Retry-After: 1`. Keys are kept 24
//! hours; a claim left unanswered for a minute (a crash) can be taken
//! over. Callers hash their route with the body, so one key sent to two
//! endpoints is a reuse.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};
use yuelan_api::PROBLEM_JSON;

use crate::AppState;
use crate::Db;
use crate::error::{AppError, Error};
use crate::routes::blocking;

/// Longest idempotency key.
pub const MAX_KEY_CHARS: usize = 200;
/// How long answers are kept for replays.
const KEEP_SECONDS: i64 = 24 * 3600;
/// After this long an unanswered claim is taken to be abandoned.
const STALE_CLAIM_SECONDS: i64 = 60;

/// A stored answer.
#[derive(Clone, Debug)]
pub struct Stored {
    pub status: u16,
    pub body: Vec<u8>,
    pub location: Option<String>,
    pub etag: Option<String>,
}

impl Stored {
    pub fn response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut res = (status, self.body).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(if self.status >= 400 {
                PROBLEM_JSON
            } else {
                "application/json"
            }),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        for (name, value) in [(header::LOCATION, self.location), (header::ETAG, self.etag)] {
            if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
                h.insert(name, v);
            }
        }
        res
    }
}

pub enum Claim {
    New,
    Replay(Stored),
    InFlight,
    Reused,
}

pub fn claim(db: &Db, card: &str, key: &str, hash: &[u8], now: i64) -> Result<Claim, Error> {
    db.write(|tx| {
        tx.execute(
            "DELETE FROM idempotency_keys WHERE created_at < ?1",
            [now - KEEP_SECONDS],
        )?;
        type Found = (Vec<u8>, i64, Option<i64>, Option<Vec<u8>>, Option<String>, Option<String>);
        let found: Option<Found> = tx
            .query_row(
                "SELECT request_hash, created_at, status, body, location, etag FROM idempotency_keys
                 WHERE card_number = ?1 AND key = ?2",
                params![card, key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        Ok(match found {
            None => {
                tx.execute(
                    "INSERT INTO idempotency_keys (card_number, key, request_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![card, key, hash, now],
                )?;
                Claim::New
            }
            Some((h, _, _, _, _, _)) if h != hash => Claim::Reused,
            Some((_, _, Some(status), body, location, etag)) => Claim::Replay(Stored {
                status: u16::try_from(status).unwrap_or(500),
                body: body.unwrap_or_default(),
                location,
                etag,
            }),
            Some((_, created, None, _, _, _)) if created < now - STALE_CLAIM_SECONDS => {
                tx.execute(
                    "UPDATE idempotency_keys SET created_at = ?3 WHERE card_number = ?1 AND key = ?2",
                    params![card, key, now],
                )?;
                Claim::New
            }
            Some(_) => Claim::InFlight,
        })
    })
}

pub fn store_answer(
    conn: &rusqlite::Connection,
    card: &str,
    key: &str,
    s: &Stored,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE idempotency_keys SET status = ?3, body = ?4, location = ?5, etag = ?6
         WHERE card_number = ?1 AND key = ?2",
        params![card, key, s.status, s.body, s.location, s.etag],
    )?;
    Ok(())
}

pub fn forget(db: &Db, card: &str, key: &str) -> Result<(), Error> {
    db.write(|tx| {
        tx.execute(
            "DELETE FROM idempotency_keys WHERE card_number = ?1 AND key = ?2",
            params![card, key],
        )?;
        Ok(())
    })
}

/// The key of a request's `Idempotency-Key` header, when it has one of 1
/// to [`MAX_KEY_CHARS`] characters.
pub fn key_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(yuelan_api::booking::IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.chars().count() <= MAX_KEY_CHARS)
        .map(str::to_owned)
}

/// What became of a claim after waiting for an answer in flight.
pub enum Claimed {
    /// The key is this request's: make the answer and store it.
    New,
    /// The key was answered: send this again.
    Replay(Response),
    /// The key came with another body.
    Reused,
    /// The first request is still being answered after a second.
    InFlight,
}

/// Claims a key, waiting up to a second for an answer in flight.
pub async fn claim_waiting(
    state: &AppState,
    card: &str,
    key: &str,
    hash: &[u8],
) -> Result<Claimed, AppError> {
    for _ in 0..40 {
        let (s, c, k, h) = (
            state.clone(),
            card.to_owned(),
            key.to_owned(),
            hash.to_vec(),
        );
        let now = state.now();
        match blocking(move || Ok(claim(s.db(), &c, &k, &h, now)?)).await? {
            Claim::New => return Ok(Claimed::New),
            Claim::Replay(stored) => return Ok(Claimed::Replay(stored.response())),
            Claim::Reused => return Ok(Claimed::Reused),
            Claim::InFlight => tokio::time::sleep(Duration::from_millis(25)).await,
        }
    }
    Ok(Claimed::InFlight)
}

/// Stores a refusal as the key's answer and answers it.
pub async fn store_refusal(
    state: &AppState,
    card: &str,
    key: &str,
    refusal: AppError,
) -> Result<Response, AppError> {
    if let AppError::Internal(e) = refusal {
        let (s, c, k) = (state.clone(), card.to_owned(), key.to_owned());
        blocking(move || Ok(forget(s.db(), &c, &k)?)).await?;
        return Err(AppError::Internal(e));
    }
    let res = refusal.into_response();
    let status = res.status().as_u16();
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .map_err(|e| AppError::Internal(Error::Task(e.to_string())))?
        .to_vec();
    let stored = Stored {
        status,
        body,
        location: None,
        etag: None,
    };
    let (s, c, k, st) = (
        state.clone(),
        card.to_owned(),
        key.to_owned(),
        stored.clone(),
    );
    blocking(move || Ok(s.db().write(|tx| store_answer(tx, &c, &k, &st))?)).await?;
    let mut res = stored.response();
    if let Some(v) = retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(res)
}

/// 409 with `Retry-After: 1` for a key whose first request is in flight.
pub fn in_flight(refusal: AppError) -> Response {
    let mut res = refusal.into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}
