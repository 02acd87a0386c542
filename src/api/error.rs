//! The one error type of every API call.

use yuelan_api::{ErrorCode, Problem};

use crate::i18n::Key;

/// Why an API call failed. The `Display` texts are for developers; patrons
/// see [`ApiError::message_key`] in their language.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request did not reach the server (offline, DNS, CORS, reset).
    #[error("network error")]
    Network,
    /// No answer within the time limit; the request was aborted.
    #[error("request timed out")]
    Timeout,
    /// The server answered with an error status, with its problem document
    /// when it sent a readable one (boxed: errors travel in every `Result`
    /// of the app, and most carry none).
    #[error("HTTP status {status}")]
    Http {
        status: u16,
        problem: Option<Box<Problem>>,
    },
    /// The answer was not the JSON the contract promises.
    #[error("malformed response")]
    Decode,
    /// The request was cancelled because its page went away.
    #[error("request aborted")]
    Aborted,
}

impl ApiError {
    /// The error code of the problem document, if the server sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Http {
                problem: Some(p), ..
            } => Some(p.code),
            _ => None,
        }
    }

    /// Whether the server says the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        match self {
            ApiError::Http { status, problem } => match problem {
                Some(p) if p.code != ErrorCode::Unknown => p.code == ErrorCode::NotFound,
                _ => *status == 404,
            },
            _ => false,
        }
    }

    /// The message to show the patron.
    pub fn message_key(&self) -> Key {
        match self {
            ApiError::Network => Key::ErrNetwork,
            ApiError::Timeout => Key::ErrTimeout,
            ApiError::Decode => Key::ErrDecode,
            ApiError::Aborted => Key::ErrAborted,
            ApiError::Http { status, problem } => {
                let by_code = problem.as_ref().and_then(|p| match p.code {
                    ErrorCode::BadRequest | ErrorCode::ValidationFailed => Some(Key::ErrBadRequest),
                    ErrorCode::NotFound => Some(Key::ErrNotFound),
                    ErrorCode::RateLimited => Some(Key::ErrRateLimited),
                    ErrorCode::Unavailable => Some(Key::ErrUnavailable),
                    ErrorCode::Internal | ErrorCode::Conflict | ErrorCode::MethodNotAllowed => {
                        Some(Key::ErrServer)
                    }
                    // Account and pillar codes have their messages in
                    // their own chunks (see `i18n::account`); here they
                    // fall back to the status.
                    _ => None,
                });
                by_code.unwrap_or(match status {
                    400 | 422 => Key::ErrBadRequest,
                    404 | 410 => Key::ErrNotFound,
                    429 => Key::ErrRateLimited,
                    502..=504 => Key::ErrUnavailable,
                    _ => Key::ErrServer,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: ErrorCode, status: u16) -> ApiError {
        ApiError::Http {
            status,
            problem: Some(Box::new(Problem {
                type_uri: "about:blank".into(),
                title: "<b>raw server text</b>".into(),
                status,
                detail: None,
                instance: None,
                code,
                errors: vec![],
                tries_left: None,
                locked_until: None,
                on_shelf: vec![],
            })),
        }
    }

    #[test]
    fn codes_map_to_messages() {
        assert_eq!(
            problem(ErrorCode::ValidationFailed, 422).message_key(),
            Key::ErrBadRequest
        );
        assert_eq!(
            problem(ErrorCode::NotFound, 404).message_key(),
            Key::ErrNotFound
        );
        assert_eq!(
            problem(ErrorCode::RateLimited, 429).message_key(),
            Key::ErrRateLimited
        );
        assert_eq!(
            problem(ErrorCode::Internal, 500).message_key(),
            Key::ErrServer
        );
        assert_eq!(
            problem(ErrorCode::Unavailable, 503).message_key(),
            Key::ErrUnavailable
        );
        // An unknown code falls back to the status.
        assert_eq!(
            problem(ErrorCode::Unknown, 429).message_key(),
            Key::ErrRateLimited
        );
        assert_eq!(
            ApiError::Http {
                status: 404,
                problem: None
            }
            .message_key(),
            Key::ErrNotFound
        );
        assert_eq!(
            ApiError::Http {
                status: 502,
                problem: None
            }
            .message_key(),
            Key::ErrUnavailable
        );
        assert_eq!(
            ApiError::Http {
                status: 418,
                problem: None
            }
            .message_key(),
            Key::ErrServer
        );
        assert_eq!(ApiError::Timeout.message_key(), Key::ErrTimeout);
        assert_eq!(ApiError::Network.message_key(), Key::ErrNetwork);
        assert_eq!(ApiError::Decode.message_key(), Key::ErrDecode);
    }

    #[test]
    fn not_found_detection() {
        assert!(problem(ErrorCode::NotFound, 404).is_not_found());
        assert!(
            ApiError::Http {
                status: 404,
                problem: None
            }
            .is_not_found()
        );
        assert!(!problem(ErrorCode::Internal, 404).is_not_found());
        assert!(!ApiError::Network.is_not_found());
        assert_eq!(
            problem(ErrorCode::NotFound, 404).code(),
            Some(ErrorCode::NotFound)
        );
    }
}
