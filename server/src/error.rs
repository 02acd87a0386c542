//! Errors: [`Error`] for the server's own failures (database, seed data),
//! [`AppError`] for what a request gets back, always as an RFC 9457
//! `application/problem+json` document with a stable `code`. Internal
//! details are logged to stderr and never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yuelan_api::{ErrorCode, FieldError, PROBLEM_JSON, Problem};

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
    /// The server failed; the detail is logged, not sent.
    Internal(Error),
}

impl AppError {
    /// A validation failure of one field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    /// The problem document of this error.
    pub fn problem(&self) -> Problem {
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
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Internal(e)
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
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::METHOD_NOT_ALLOWED {
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        res
    }
}
