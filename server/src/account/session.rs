//! Sign-in, sessions and the lockout of cards.
//!
//! A session token is 32 random bytes from the operating system, written
//! base64url; the database keeps only its SHA-256, so a copy of the
//! database signs nobody in. A session ends after `session_idle_minutes`
//! without a request, and `session_max_hours` after sign-in in any case;
//! ended rows are deleted when next seen, and at each sign-in.
//!
//! Failed sign-ins are counted per card number as typed (digits only),
//! whether or not a patron has it, so an unknown card gets exactly the
//! answers of a known card with a wrong PIN: `invalid_credentials` with
//! the tries left, then `card_locked` from the `lockout_failures`-th
//! failure within `lockout_minutes`, for `lockout_minutes`. A locked card
//! is refused even with the right PIN; a successful sign-in clears the
//! count.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64ct::{Base64UrlUnpadded, Encoding};
use rand_core::{OsRng, RngCore};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use yuelan_api::Problem;
use yuelan_api::account::{Patron, SessionInfo, SessionMode, SignInRequest};

use super::rules::{self, FailureOutcome, Rules};
use super::{CsrfChecked, SignedIn, private_json, secure_request, session_cookie};
use crate::error::{AppError, Error};
use crate::routes::{JsonBody, blocking};
use crate::{AppState, Db, clock, patrons};

/// Random bytes in a session token.
pub const TOKEN_BYTES: usize = 32;

/// Random bytes from the operating system, base64url without padding.
pub fn random_token(bytes: usize) -> Result<String, Error> {
    let mut buf = vec![0u8; bytes];
    OsRng
        .try_fill_bytes(&mut buf)
        .map_err(|e| Error::Random(e.to_string()))?;
    Ok(Base64UrlUnpadded::encode_string(&buf))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Finds the session of `token` and moves its last request to `now`;
/// deletes it and answers `None` when it is unknown or has ended.
pub fn touch(db: &Db, token: &str, now: i64) -> Result<Option<super::SignedIn>, Error> {
    let hash = token_hash(token);
    db.write(|tx| {
        let rules = Rules::load(tx)?;
        let row: Option<(String, i64, i64)> = tx
            .query_row(
                "SELECT card_number, created_at, last_seen FROM sessions WHERE token_hash = ?1",
                [&hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((card_number, created_at, last_seen)) = row else {
            return Ok(None);
        };
        if now >= rules.session_end(created_at, last_seen) {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
            return Ok(None);
        }
        let last_seen = last_seen.max(now);
        tx.execute(
            "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
            params![hash, last_seen],
        )?;
        Ok(Some(super::SignedIn {
            card_number,
            created_at,
            last_seen,
            rules,
        }))
    })
}

/// Ends the session of `token`, if there is one.
pub fn end(db: &Db, token: &str) -> Result<(), Error> {
    let hash = token_hash(token);
    db.write(|tx| {
        tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
        Ok(())
    })
}

/// Ends every session (staff's "sign everyone out"); returns how many.
pub fn expire_all_sessions(db: &Db) -> Result<usize, Error> {
    db.write(|tx| Ok(tx.execute("DELETE FROM sessions", [])?))
}

/// When a lock on `card` ends, if it is locked at `now`.
fn locked_until(conn: &Connection, card: &str, now: i64) -> Result<Option<i64>, Error> {
    Ok(conn
        .query_row(
            "SELECT locked_until FROM card_locks WHERE card_number = ?1 AND locked_until > ?2",
            params![card, now],
            |r| r.get(0),
        )
        .optional()?)
}

fn card_locked(until: i64, now: i64) -> AppError {
    AppError::CardLocked {
        locked_until: until,
        retry_after: until - now,
    }
}

/// Counts a failed sign-in of `card` and answers what it leads to.
fn record_failure(
    conn: &Connection,
    card: &str,
    now: i64,
    rules: &Rules,
) -> Result<AppError, Error> {
    let window_start = now - rules.lockout_seconds();
    conn.execute(
        "DELETE FROM sign_in_failures WHERE failed_at <= ?1",
        [window_start],
    )?;
    conn.execute("DELETE FROM card_locks WHERE locked_until <= ?1", [now])?;
    conn.execute(
        "INSERT INTO sign_in_failures (card_number, failed_at) VALUES (?1, ?2)",
        params![card, now],
    )?;
    let failures: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sign_in_failures WHERE card_number = ?1 AND failed_at > ?2",
        params![card, window_start],
        |r| r.get(0),
    )?;
    Ok(
        match rules::failure_outcome(u32::try_from(failures).unwrap_or(u32::MAX), rules) {
            FailureOutcome::TriesLeft(n) => AppError::InvalidCredentials { tries_left: n },
            FailureOutcome::Lock => {
                let until = now + rules.lockout_seconds();
                conn.execute(
                    "INSERT OR REPLACE INTO card_locks (card_number, locked_until) VALUES (?1, ?2)",
                    params![card, until],
                )?;
                // The count starts afresh once the lock ends.
                conn.execute(
                    "DELETE FROM sign_in_failures WHERE card_number = ?1",
                    [card],
                )?;
                card_locked(until, now)
            }
        },
    )
}

/// A new session.
pub struct NewSession {
    pub token: String,
    pub patron: Patron,
    pub expires_at: i64,
    pub rules: Rules,
}

/// Signs in with a card number (already normalised) and a PIN (already
/// checked for form).
pub fn sign_in(db: &Db, card: &str, pin: &str, now: i64) -> Result<NewSession, AppError> {
    let phc = db.with_conn(|conn| {
        if let Some(until) = locked_until(conn, card, now)? {
            return Ok(Err(card_locked(until, now)));
        }
        Ok(Ok(patrons::pin_phc(conn, card)?))
    })??;
    // The one Argon2 computation, outside any transaction.
    let right = patrons::pin_matches(pin, phc.as_deref());
    let token = random_token(TOKEN_BYTES)?;
    db.write(|tx| -> Result<Result<NewSession, AppError>, Error> {
        let rules = Rules::load(tx)?;
        // A failure that finished meanwhile may have locked the card.
        if let Some(until) = locked_until(tx, card, now)? {
            return Ok(Err(card_locked(until, now)));
        }
        let patron = if right {
            patrons::patron(tx, card)?
        } else {
            None
        };
        let Some(patron) = patron else {
            return Ok(Err(record_failure(tx, card, now, &rules)?));
        };
        tx.execute("DELETE FROM sign_in_failures WHERE card_number = ?1", [card])?;
        tx.execute(
            "DELETE FROM sessions WHERE last_seen <= ?1 OR created_at <= ?2",
            params![now - rules.idle_seconds(), now - rules.max_session_seconds()],
        )?;
        tx.execute(
            "INSERT INTO sessions (token_hash, card_number, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
            params![token_hash(&token), card, now],
        )?;
        Ok(Ok(NewSession {
            token: token.clone(),
            patron,
            expires_at: rules.session_end(now, now),
            rules,
        }))
    })?
}

/// Signs in and starts a session.
///
/// `mode: cookie` (the default) sets the session as an HttpOnly cookie
/// (`Secure` behind TLS) and leaves `token` out of the answer; `mode:
/// bearer` answers the token, to send back as `Authorization: Bearer`.
/// Malformed input answers 422 and does not count as a failed try.
#[utoipa::path(
    post, path = "/api/session", tag = "account",
    params(super::CsrfHeader),
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in. Cookie mode: `Set-Cookie: yuelan_session=...; HttpOnly; SameSite=Lax; Path=/api; Max-Age=<session_max_hours>` (plus `Secure` behind TLS), no `token`. Bearer mode: `token`, no cookie.", body = SessionInfo),
        (status = 400, description = "The body is not JSON (`bad_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The card number and PIN do not match (`invalid_credentials`, with `tries_left`); an unknown card gets exactly the same answer.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF header is missing (`csrf_check_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`card_number` is not 8 to 20 digits (spaces are ignored), `pin` is empty (`required`) or not 4 to 12 digits (`format`), or `mode` is unknown (`validation_failed`). Not counted as a failed try.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed tries: the card is locked (`card_locked`, with `locked_until`, and `Retry-After` in seconds), even for the right PIN.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_in_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<SignInRequest>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let card = rules::normalise_card(&req.card_number).map_err(|e| errors.push(e));
    if let Err(e) = rules::check_pin(&req.pin) {
        errors.push(e);
    }
    if req.mode == SessionMode::Unknown {
        errors.push(rules::field_error(
            "mode",
            "unknown_value",
            "`mode` is `cookie` or `bearer`.",
        ));
    }
    let card = match card {
        Ok(card) if errors.is_empty() => card,
        _ => return Err(AppError::Validation(errors)),
    };
    let now = state.now();
    let db_state = state.clone();
    let pin = req.pin;
    let session = blocking(move || sign_in(db_state.db(), &card, &pin, now)).await?;
    let bearer = req.mode == SessionMode::Bearer;
    let info = SessionInfo {
        patron: session.patron,
        token: bearer.then(|| session.token.clone()),
        expires_at: clock::rfc3339(session.expires_at),
    };
    let mut res = private_json(StatusCode::OK, &info);
    if !bearer {
        let cookie = session_cookie(
            &session.token,
            session.rules.max_session_seconds(),
            secure_request(&state, &headers),
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// The current session: who is signed in and when the session ends if it
/// stays idle. The token is never in this answer.
#[utoipa::path(
    get, path = "/api/session", tag = "account",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The session (without `token`).", body = SessionInfo),
        (status = 401, description = "No credentials (`unauthenticated`), or the session is unknown or has ended (`session_expired`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn session_handler(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let card = who.card_number.clone();
    let patron = blocking(move || Ok(state.db().with_conn(|c| patrons::patron(c, &card))?))
        .await?
        .ok_or(AppError::SessionExpired)?;
    let info = SessionInfo {
        patron,
        token: None,
        expires_at: clock::rfc3339(who.rules.session_end(who.created_at, who.last_seen)),
    };
    Ok(private_json(StatusCode::OK, &info))
}

/// Signs out: ends the session on the server and clears the cookie.
/// Answers 204 even without a session.
#[utoipa::path(
    delete, path = "/api/session", tag = "account",
    params(super::CsrfHeader),
    responses(
        (status = 204, description = "Signed out; `Set-Cookie` clears the session cookie (`Max-Age=0`)."),
        (status = 403, description = "The CSRF header is missing (`csrf_check_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_out_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = super::credential(&headers) {
        let db_state = state.clone();
        blocking(move || Ok(end(db_state.db(), &token)?)).await?;
    }
    let mut res = super::no_content();
    let cookie = session_cookie("", 0, secure_request(&state, &headers));
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_base64url_characters_and_differ() {
        let a = random_token(TOKEN_BYTES).unwrap();
        let b = random_token(TOKEN_BYTES).unwrap();
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 32);
        assert_ne!(token_hash(&a), a.as_bytes());
    }
}
