//! The messages of booking's refusals: every booking `ErrorCode` in the
//! patron's language, with the problem's extension members (the last day
//! of a suspension, when a window opens); the general codes fall back to
//! the main module's messages. Never the server's own text.

use yuelan_api::booking::{Booking, BookingProblem};

use crate::api::ApiError;
use crate::booking::model::{instant_hhmm, parse_date};
use crate::i18n::I18n;
use crate::i18n::booking::{BookText, booking_error, day_label, suspended_until};

/// The booking problem document of an error answer, decoded on demand.
pub fn booking_problem(error: &ApiError) -> Option<BookingProblem> {
    match error {
        ApiError::Http {
            body: Some(body), ..
        } => yuelan_api::wire::from_json(body).ok(),
        _ => None,
    }
}

/// For a 412: the booking as it is now.
pub fn current_booking(error: &ApiError) -> Option<Booking> {
    booking_problem(error).and_then(|p| p.booking)
}

/// The message for `error`, in the patron's language.
pub fn error_text(i18n: I18n, error: &ApiError) -> String {
    let locale = i18n.locale();
    let Some(text) = error.code().and_then(booking_error) else {
        return i18n.t(error.message_key()).to_owned();
    };
    let mut message = i18n.tr(text).to_owned();
    if let Some(problem) = booking_problem(error) {
        if let Some(until) = problem.suspended_until.as_deref() {
            let day = parse_date(until)
                .map(|d| day_label(locale, d, i64::MIN / 2))
                .unwrap_or_else(|| until.to_owned());
            message.push(' ');
            message.push_str(&suspended_until(locale, &day));
        }
        if let Some(opens) = problem.opens_at.as_deref() {
            let time = instant_hhmm(opens);
            if !time.is_empty() {
                message.push(' ');
                message.push_str(i18n.tr(BookText::OpensAt));
                message.push_str(&time);
            }
        }
    }
    message
}
