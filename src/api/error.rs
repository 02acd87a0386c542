//! The one error type of every API call.

use std::sync::Arc;

use yuelan_api::{ErrorCode, Problem};

use crate::i18n::Key;

yuelan_api::wire_struct! {
    @decode_only
    /// What the main module reads of a problem document: its stable code.
    /// The whole document (with extension members such as `tries_left` or
    /// `on_shelf`) is decoded on demand by the chunk that shows it, see
    /// [`ApiError::problem`], so its decoding code stays out of the first
    /// load.
    pub struct ProblemCode {
        /// Kept as text: the main module maps the few general codes it
        /// shows itself, and chunks parse the rest ([`ApiError::code`]).
        pub code: String,
    }
}

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
    /// The server answered with an error status: the code of its problem
    /// document when it sent a readable one, and the document's text.
    #[error("HTTP status {status}")]
    Http {
        status: u16,
        /// The problem's `code`, as sent.
        code: Option<Arc<str>>,
        /// The problem document, when the answer was one.
        body: Option<Arc<str>>,
    },
    /// The answer was not the JSON the contract promises.
    #[error("malformed response")]
    Decode,
    /// The request was cancelled because its page went away.
    #[error("request aborted")]
    Aborted,
}

impl ApiError {
    /// An error answer with `status` and body `text`: a problem document
    /// when `text` is one.
    pub fn http(status: u16, text: String) -> ApiError {
        match yuelan_api::wire::from_json::<ProblemCode>(&text) {
            Ok(p) => ApiError::Http {
                status,
                code: Some(Arc::from(p.code)),
                body: Some(Arc::from(text)),
            },
            Err(_) => ApiError::Http {
                status,
                code: None,
                body: None,
            },
        }
    }

    /// An error answer with `status` and no problem document.
    pub fn status(status: u16) -> ApiError {
        ApiError::Http {
            status,
            code: None,
            body: None,
        }
    }

    /// The error code of the problem document, if the server sent one
    /// (`Unknown` for a code this version does not know).
    pub fn code(&self) -> Option<ErrorCode> {
        self.code_text()
            .map(|c| ErrorCode::parse(c).unwrap_or(ErrorCode::Unknown))
    }

    /// The message of a general code (by its wire name, see `ErrorCode`,
    /// so that the main module carries no table of every code); `None`
    /// for other codes, whose messages live in their features' chunks
    /// (see `i18n::account`), and for answers without one.
    fn message_by_code(&self) -> Option<Key> {
        Some(match self.code_text()? {
            "bad_request" | "validation_failed" => Key::ErrBadRequest,
            "not_found" => Key::ErrNotFound,
            "rate_limited" => Key::ErrRateLimited,
            "unavailable" => Key::ErrUnavailable,
            "internal" | "conflict" | "method_not_allowed" => Key::ErrServer,
            _ => return None,
        })
    }

    /// The problem's code as sent.
    fn code_text(&self) -> Option<&str> {
        match self {
            ApiError::Http { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The whole problem document, decoded now (for its extension
    /// members); `None` when the answer was not one.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            ApiError::Http {
                body: Some(body), ..
            } => yuelan_api::wire::from_json(body).ok(),
            _ => None,
        }
    }

    /// Whether the server says the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        match self {
            ApiError::Http { status, .. } => match self.message_by_code() {
                Some(key) => key == Key::ErrNotFound,
                None => *status == 404,
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
            ApiError::Http { status, .. } => self.message_by_code().unwrap_or(match status {
                400 | 422 => Key::ErrBadRequest,
                404 | 410 => Key::ErrNotFound,
                429 => Key::ErrRateLimited,
                502..=504 => Key::ErrUnavailable,
                _ => Key::ErrServer,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: ErrorCode, status: u16) -> ApiError {
        let body = [
            r#"{"type":"about:blank","title":"<b>raw server text</b>","status":"#,
            &status.to_string(),
            r#","code":""#,
            code.as_str(),
            r#"","tries_left":2}"#,
        ]
        .concat();
        ApiError::http(status, body)
    }

    #[test]
    fn problem_documents_are_read_for_their_code_and_on_demand_whole() {
        let e = problem(ErrorCode::InvalidCredentials, 401);
        assert_eq!(e.code(), Some(ErrorCode::InvalidCredentials));
        let p = e.problem().expect("the whole document");
        assert_eq!(p.tries_left, Some(2));
        assert_eq!(p.title, "<b>raw server text</b>");
        let html = ApiError::http(502, "<html>Bad gateway</html>".into());
        assert_eq!(html, ApiError::status(502));
        assert_eq!(html.problem(), None);
        assert_eq!(html.message_key(), Key::ErrUnavailable);
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
        assert_eq!(ApiError::status(404).message_key(), Key::ErrNotFound);
        assert_eq!(ApiError::status(502).message_key(), Key::ErrUnavailable);
        assert_eq!(ApiError::status(418).message_key(), Key::ErrServer);
        assert_eq!(ApiError::Timeout.message_key(), Key::ErrTimeout);
        assert_eq!(ApiError::Network.message_key(), Key::ErrNetwork);
        assert_eq!(ApiError::Decode.message_key(), Key::ErrDecode);
    }

    #[test]
    fn not_found_detection() {
        assert!(problem(ErrorCode::NotFound, 404).is_not_found());
        assert!(ApiError::status(404).is_not_found());
        assert!(!problem(ErrorCode::Internal, 404).is_not_found());
        assert!(!ApiError::Network.is_not_found());
        assert_eq!(
            problem(ErrorCode::NotFound, 404).code(),
            Some(ErrorCode::NotFound)
        );
    }
}
