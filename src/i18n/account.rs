//! Texts of the patron's account (sign-in, Me, loans, holds), in Simplified Chinese and English.

use super::Texts;

/// A text of the patron's account (sign-in, Me, loans, holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountText {
    SignInTitle,
}

impl Texts for AccountText {
    fn zh(self) -> &'static str {
        use AccountText::*;
        match self {
            SignInTitle => "登录",
        }
    }

    fn en(self) -> &'static str {
        use AccountText::*;
        match self {
            SignInTitle => "Sign in",
        }
    }
}
