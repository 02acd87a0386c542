//! The message for an account request that failed: the account's own
//! codes in the patron's language, with what the problem document adds
//! (tries left, when a lock ends), and the app's general messages for the
//! rest.

use yuelan_api::ErrorCode;

use crate::api::ApiError;
use crate::i18n::I18n;
use crate::i18n::account::{code_text, locked_until, tries_left};

/// The message to show for `error`.
pub fn error_text(i18n: I18n, error: &ApiError) -> String {
    let locale = i18n.locale();
    let problem = error.problem();
    let Some(text) = error.code().and_then(code_text) else {
        return i18n.t(error.message_key()).to_owned();
    };
    let base = i18n.tr(text);
    match (error.code(), problem) {
        (Some(ErrorCode::InvalidCredentials), Some(p)) => match p.tries_left {
            Some(n) => [base, " ", &tries_left(locale, n)].concat(),
            None => base.to_owned(),
        },
        (Some(ErrorCode::CardLocked), Some(p)) => {
            let until = p.locked_until.as_deref().unwrap_or_default();
            [base, " ", &locked_until(locale, until)].concat()
        }
        _ => base.to_owned(),
    }
}
