//! Errors: [`Error`] for the server's own failures (database, seed data),
//! [`AppError`] for what a request gets back, always as an RFC 9457
//! `application/problem+json` document with a stable `code`. Internal
//! details are logged to stderr and never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yuelan_api::booking::{Booking, BookingProblem};
use yuelan_api::{ErrorCode, FieldError, Holding, PROBLEM_JSON, Problem};

use crate::clock;

/// A failure inside the server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: {0}")]
    Index(#[from] crate::search::index::BuildError),
    #[error("seed data: {0}")]
    Seed(String),
    #[error("schema: {0}")]
    Schema(String),
    #[error("a lock was poisoned by a panic")]
    Poisoned,
    #[error("a background task failed: {0}")]
    Task(String),
    #[error("randomness: {0}")]
    Random(String),
    #[error("PIN hash: {0}")]
    PinHash(String),
}

/// What a request gets back when it fails.
#[derive(Debug)]
pub enum AppError {
    /// The request is malformed.
    BadRequest(String),
    /// Some fields are invalid.
    Validation(Vec<FieldError>),
    /// No such resource.
    NotFound(String),
    /// The method is not allowed here.
    MethodNotAllowed,
    /// The request needs a signed-in patron and carries no credentials (401).
    Unauthenticated,
    /// The request's session is unknown or has ended (401).
    SessionExpired,
    /// The card number and PIN do not match (401).
    InvalidCredentials {
        /// Failed tries left before the card locks.
        tries_left: u32,
    },
    /// Too many failed sign-ins lock the card (429).
    CardLocked {
        /// When the lock ends (Unix seconds).
        locked_until: i64,
        /// Seconds from now to then, for `Retry-After`.
        retry_after: i64,
    },
    /// A state-changing request without the CSRF header (403).
    CsrfCheckFailed,
    /// A circulation rule refuses the request; the status follows the code
    /// (see [`refusal_status`]).
    Refused { code: ErrorCode, detail: String },
    /// A copy is on the shelf at the chosen pickup library (409).
    OnShelfAtPickup(Vec<Holding>),
    /// A refusal of the booking rules, sent as a
    /// [`BookingProblem`] with its extension members; the status follows
    /// the code (see [`booking_status`]).
    Booking(Box<BookingProblem>),
    /// Too many booking requests (429 `rate_limited`, `Retry-After`).
    RateLimited {
        /// Seconds until the next request is allowed.
        retry_after: i64,
    },
    /// The server failed; the detail is logged, not sent.
    Internal(Error),
}

/// The status of a refusal by a circulation rule or of the cultural
/// cloud: 403 for a blocked patron, 422 for a library that is not a pickup
/// point or a reused idempotency key, 400 without an idempotency key, 404
/// for missing media, 416 for a range outside a file, 409 (the resource's
/// state does not allow it) for the others.
pub fn refusal_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::PatronBlocked => StatusCode::FORBIDDEN,
        ErrorCode::NotPickupPoint | ErrorCode::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NotFound | ErrorCode::MediaUnavailable => StatusCode::NOT_FOUND,
        ErrorCode::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
        ErrorCode::IdempotencyKeyRequired | ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::CONFLICT,
    }
}

/// The status of a refusal by a booking rule: 403 for a suspension, 422
/// for a span that breaks the room's slot rules or a reused idempotency
/// key, 400 without an idempotency key, 412 for a stale `If-Match`, 404
/// for what does not exist, 409 (the state does not allow it) for the
/// others.
pub fn booking_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BookingSuspended => StatusCode::FORBIDDEN,
        ErrorCode::NotOnSlots
        | ErrorCode::BookingTooShort
        | ErrorCode::BookingTooLong
        | ErrorCode::IdempotencyKeyReused
        | ErrorCode::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::IdempotencyKeyRequired | ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::CONFLICT,
    }
}

impl AppError {
    /// A refusal of a booking rule.
    pub fn booking(code: ErrorCode, detail: impl Into<String>) -> Self {
        AppError::Booking(Box::new(BookingProblem {
            type_uri: "about:blank".to_owned(),
            title: "Refused".to_owned(),
            status: booking_status(code).as_u16(),
            detail: Some(detail.into()),
            code,
            suspended_until: None,
            opens_at: None,
            booking: None,
        }))
    }

    /// A refusal of a booking rule with when it opens (RFC 3339).
    pub fn booking_opens(code: ErrorCode, detail: impl Into<String>, opens_at: i64) -> Self {
        let mut e = AppError::booking(code, detail);
        if let AppError::Booking(p) = &mut e {
            p.opens_at = Some(clock::rfc3339(opens_at));
        }
        e
    }

    /// 403 `booking_suspended` until the end of `until` (`YYYY-MM-DD`).
    pub fn booking_suspended(until: String) -> Self {
        let mut e = AppError::booking(
            ErrorCode::BookingSuspended,
            format!(
                "Booking is suspended until the end of {until} after repeated no-shows or late returns."
            ),
        );
        if let AppError::Booking(p) = &mut e {
            p.suspended_until = Some(until);
        }
        e
    }

    /// 412 `precondition_failed` with the booking as it is now.
    pub fn stale_booking(current: Booking) -> Self {
        let mut e = AppError::booking(
            ErrorCode::PreconditionFailed,
            "The booking has changed since the version in `If-Match`; `booking` is the current one.",
        );
        if let AppError::Booking(p) = &mut e {
            p.booking = Some(current);
        }
        e
    }

    /// A validation failure of one field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    /// A refusal by a circulation rule.
    pub fn refused(code: ErrorCode, detail: impl Into<String>) -> Self {
        AppError::Refused {
            code,
            detail: detail.into(),
        }
    }

    /// The problem document of this error.
    pub fn problem(&self) -> Problem {
        let mut tries_left = None;
        let mut locked_until = None;
        let mut on_shelf = Vec::new();
        let (status, code, title, detail, errors) = match self {
            AppError::BadRequest(d) => (
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                "Bad request",
                Some(d.clone()),
                Vec::new(),
            ),
            AppError::Validation(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                "Validation failed",
                Some("One or more parameters are invalid; see `errors`.".to_owned()),
                errors.clone(),
            ),
            AppError::NotFound(d) => (
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                "Not found",
                Some(d.clone()),
                Vec::new(),
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "Method not allowed",
                None,
                Vec::new(),
            ),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
                "Sign-in required",
                Some("Sign in with a card number and PIN first.".to_owned()),
                Vec::new(),
            ),
            AppError::SessionExpired => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::SessionExpired,
                "Session expired",
                Some("The session has ended; sign in again.".to_owned()),
                Vec::new(),
            ),
            AppError::InvalidCredentials { tries_left: n } => {
                tries_left = Some(*n);
                (
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::InvalidCredentials,
                    "Invalid credentials",
                    Some("The card number and PIN do not match.".to_owned()),
                    Vec::new(),
                )
            }
            AppError::CardLocked {
                locked_until: until,
                ..
            } => {
                locked_until = Some(clock::rfc3339(*until));
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::CardLocked,
                    "Card locked",
                    Some(
                        "Too many failed sign-ins: the card is locked until `locked_until`."
                            .to_owned(),
                    ),
                    Vec::new(),
                )
            }
            AppError::CsrfCheckFailed => (
                StatusCode::FORBIDDEN,
                ErrorCode::CsrfCheckFailed,
                "CSRF check failed",
                Some("State-changing requests must carry `X-Requested-With: yuelan`.".to_owned()),
                Vec::new(),
            ),
            AppError::Refused { code, detail } => (
                refusal_status(*code),
                *code,
                "Refused",
                Some(detail.clone()),
                Vec::new(),
            ),
            AppError::OnShelfAtPickup(copies) => {
                on_shelf = copies.clone();
                (
                    StatusCode::CONFLICT,
                    ErrorCode::OnShelfAtPickup,
                    "On the shelf at the pickup library",
                    Some(
                        "A copy is on the shelf at the chosen pickup library; see `on_shelf`."
                            .to_owned(),
                    ),
                    Vec::new(),
                )
            }
            AppError::Booking(p) => (
                booking_status(p.code),
                p.code,
                "Refused",
                p.detail.clone(),
                Vec::new(),
            ),
            AppError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "Too many requests",
                Some(
                    "Too many booking requests; try again after `Retry-After` seconds.".to_owned(),
                ),
                Vec::new(),
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "Internal server error",
                None,
                Vec::new(),
            ),
        };
        Problem {
            type_uri: "about:blank".to_owned(),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            instance: None,
            code,
            errors,
            tries_left,
            locked_until,
            on_shelf,
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::Internal(Error::Sqlite(e))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            eprintln!("internal error: {e}");
        }
        let problem = self.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Serialising a struct of strings and numbers cannot fail.
        let body = match &self {
            AppError::Booking(p) => serde_json::to_vec(p).unwrap_or_default(),
            _ => serde_json::to_vec(&problem).unwrap_or_default(),
        };
        let mut res = (status, body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        // A 405 gets its `Allow` header from the router, which knows the
        // methods of the path.
        match &self {
            AppError::SessionExpired => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
            }
            AppError::Unauthenticated | AppError::InvalidCredentials { .. } => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            AppError::CardLocked { retry_after, .. } | AppError::RateLimited { retry_after } => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from((*retry_after).max(1)),
                );
            }
            _ => {}
        }
        res
    }
}
