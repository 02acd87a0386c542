//! The patron's account: the sign-in sheet, loans and renewals, holds
//! (placing one from a record page, and managing them), and the items of
//! the Me timeline that the account contributes.

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::RecordDetail;

use crate::components::title::page_title;
use crate::i18n::account::AccountText;
use crate::i18n::use_i18n;

/// The sign-in sheet, over the page that asked for it.
#[component]
pub fn SignInSheet() -> impl IntoView {}

/// The page at `/me/loans`.
#[component]
pub fn LoansPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(AccountText::SignInTitle).to_owned());
}

/// The page at `/me/holds`.
#[component]
pub fn HoldsPage() -> impl IntoView {}

/// The account's actions on a record page: place a hold.
#[component]
pub fn RecordHold(record: Arc<RecordDetail>) -> impl IntoView {
    let _ = record;
}
