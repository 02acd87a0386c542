//! The patron's account: sign-in and sessions ([`session`]), loans and
//! renewals ([`loans`]), holds ([`holds`]), favourite lists ([`lists`]),
//! the circulation rules ([`rules`]) and the demo circulation of the seed
//! ([`demo`]).
//!
//! Requests carry their credentials as `Authorization: Bearer <token>` or
//! as the `yuelan_session` cookie ([`SignedIn`]); every state-changing
//! request carries `X-Requested-With: yuelan` ([`CsrfChecked`], the first
//! extractor of each such handler, so it is checked before anything else).
//! Someone else's hold, loan or list answers 404, as if it did not exist.

pub mod demo;
pub mod holds;
pub mod lists;
pub mod loans;
pub mod rules;
pub mod session;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::extract::rejection::PathRejection;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use yuelan_api::Problem;
use yuelan_api::account::{
    Account, CSRF_HEADER, CSRF_HEADER_VALUE, CirculationRules, SESSION_COOKIE,
};

use crate::AppState;
use crate::error::AppError;
use crate::routes::blocking;
pub use rules::Rules;
pub use session::expire_all_sessions;

/// Proof that a request carries the CSRF header; 403 `csrf_check_failed`
/// otherwise.
pub struct CsrfChecked;

impl<S: Send + Sync> FromRequestParts<S> for CsrfChecked {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match parts.headers.get(CSRF_HEADER) {
            Some(v) if v.as_bytes() == CSRF_HEADER_VALUE.as_bytes() => Ok(CsrfChecked),
            _ => Err(AppError::CsrfCheckFailed),
        }
    }
}

/// The session token a request carries: the bearer token, else the
/// session cookie.
pub fn credential(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(header::AUTHORIZATION) {
        let Ok(text) = value.to_str() else { continue };
        let mut parts = text.trim().splitn(2, ' ');
        let scheme = parts.next().unwrap_or("");
        let token = parts.next().unwrap_or("").trim();
        if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() {
            return Some(token.to_owned());
        }
    }
    for value in headers.get_all(header::COOKIE) {
        let Ok(text) = value.to_str() else { continue };
        for pair in text.split(';') {
            if let Some((name, token)) = pair.trim().split_once('=')
                && name == SESSION_COOKIE
                && !token.is_empty()
            {
                return Some(token.to_owned());
            }
        }
    }
    None
}

/// A signed-in patron: the request's session is alive, and has just been
/// moved on (its idle timeout counts from now).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub card_number: String,
    /// The session's start and last request (Unix seconds).
    pub created_at: i64,
    pub last_seen: i64,
    /// The rules, read with the session.
    pub rules: Rules,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = credential(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let state = state.clone();
        let now = state.now();
        blocking(move || session::touch(state.db(), &token, now)?.ok_or(AppError::SessionExpired))
            .await
    }
}

/// Whether cookies must be `Secure`: the server was told so, or a proxy in
/// front of it says the request came over TLS.
pub fn secure_request(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies()
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value of a session cookie (`max_age` 0 clears it).
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    let mut cookie =
        format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/api; Max-Age={max_age}");
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// Reads an integer id from a path segment: 400 when the path cannot be
/// decoded, 422 naming `field` when it is not an integer.
pub fn path_id(raw: &str, field: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::field(field, "invalid", format!("`{field}` is an integer.")))
}

/// The one path parameter of a route, as text.
pub fn one_param(
    path: Result<axum::extract::Path<String>, PathRejection>,
) -> Result<String, AppError> {
    path.map(|p| p.0)
        .map_err(|e| AppError::BadRequest(e.body_text()))
}

/// A JSON answer that must not be cached (personal data).
pub fn private_json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A 201 answer with its `Location`.
pub fn created<T: Serialize>(location: &str, body: &T) -> Response {
    let mut res = private_json(StatusCode::CREATED, body);
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A 204 answer.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The signed-in patron with their loans (soonest due first) and holds
/// (ready first, then in transit, then by place in the queue).
#[utoipa::path(
    get, path = "/api/me", tag = "account",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The account.", body = Account),
        (status = 401, description = "No credentials (`unauthenticated`), or the session is unknown or has ended (`session_expired`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn account_handler(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let today = state.today();
    let account = blocking(move || {
        state.db().with_conn(|c| {
            let Some(patron) = crate::patrons::patron(c, &who.card_number)? else {
                return Ok(Err(AppError::SessionExpired));
            };
            Ok(Ok(Account {
                patron,
                loans: loans::loans_of(c, &who.card_number, today, &who.rules)?,
                holds: holds::holds_of(c, &who.card_number, today)?,
            }))
        })?
    })
    .await?;
    Ok(private_json(StatusCode::OK, &account))
}

/// The circulation rules the server enforces, from its rules table.
#[utoipa::path(
    get, path = "/api/rules", tag = "account",
    responses((status = 200, description = "The rules.", body = CirculationRules))
)]
pub async fn rules_handler(
    State(state): State<AppState>,
) -> Result<Json<CirculationRules>, AppError> {
    let rules = blocking(move || Ok(state.db().with_conn(|c| Rules::load(c))?)).await?;
    Ok(Json(rules.to_wire()))
}

/// Documents the CSRF header of state-changing operations.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct CsrfHeader {
    /// Must be `yuelan`; without it the answer is 403 `csrf_check_failed`
    /// and nothing happens. A cross-site form cannot send it, and a
    /// cross-origin script cannot without a CORS preflight that only
    /// `--allow-origin` origins pass.
    #[param(rename = "X-Requested-With", pattern = "^yuelan$")]
    x_requested_with: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_come_from_bearer_or_cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(credential(&h), None);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; yuelan_session=tok1; c=d"),
        );
        assert_eq!(credential(&h).as_deref(), Some("tok1"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer tok2"),
        );
        assert_eq!(
            credential(&h).as_deref(),
            Some("tok2"),
            "the bearer token wins"
        );
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(credential(&h).as_deref(), Some("tok1"));
        let mut only_other = HeaderMap::new();
        only_other.insert(
            header::COOKIE,
            HeaderValue::from_static("yuelan_session_x=1; other=2"),
        );
        assert_eq!(credential(&only_other), None);
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_scoped_to_the_api() {
        assert_eq!(
            session_cookie("t", 43_200, false),
            "yuelan_session=t; HttpOnly; SameSite=Lax; Path=/api; Max-Age=43200"
        );
        assert!(session_cookie("", 0, true).ends_with("Max-Age=0; Secure"));
    }
}
