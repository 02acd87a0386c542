//! Pieces the favourites' views share: messages for errors, the line
//! under an entry, the new-list field, copying a link.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use yuelan_api::ErrorCode;
use yuelan_api::account::ListEntry;

use super::model::{self, NameError};
use crate::api::ApiError;
use crate::i18n::favourites::FavText;
use crate::i18n::{self, I18n};

/// The message for an error of a favourites request, in the patron's
/// language: the account's codes here, the rest as everywhere else.
pub fn error_text(i18n: I18n, error: &ApiError) -> &'static str {
    if error.needs_sign_in() {
        return i18n.tr(FavText::ErrSignInNeeded);
    }
    if model::is_name_error(error) {
        return i18n.tr(FavText::ErrName);
    }
    match error.code() {
        Some(ErrorCode::ListLimitReached) => i18n.tr(FavText::ErrListLimit),
        _ if error.is_not_found() => i18n.tr(FavText::ErrListNotFound),
        _ => i18n.t(error.message_key()),
    }
}

/// The message for a name the app refuses before sending it.
pub fn name_error_text(i18n: I18n, error: NameError) -> &'static str {
    i18n.tr(match error {
        NameError::Empty => FavText::ErrNameEmpty,
        NameError::TooLong => FavText::ErrNameTooLong,
    })
}

/// "余华 · 2012 · 图书": authors, year and format of an entry.
pub fn entry_meta(i18n: I18n, entry: &ListEntry) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(3);
    if !entry.authors.is_empty() {
        parts.push(entry.authors.join(" / "));
    }
    if let Some(year) = entry.year {
        parts.push(year.to_string());
    }
    parts.push(i18n.t(i18n::format_key(entry.format)).to_owned());
    parts.join(" · ")
}

/// Copies `text` to the clipboard: the Clipboard API where the browser
/// allows it, else by selecting `field` (which shows the text) and the
/// older copy command. `false` when neither worked: the patron copies the
/// selected text by hand.
pub async fn copy_text(text: &str, field: Option<web_sys::HtmlInputElement>) -> bool {
    // Looked up by name: the Clipboard API is missing in older webviews
    // (and its `web-sys` binding is not among the crate's features).
    let clipboard = js_sys::Reflect::get(&window().navigator(), &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| c.is_object());
    if let Some(clipboard) = clipboard {
        let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(write) = write
            && let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text))
            && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
            && wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
        {
            return true;
        }
    }
    let Some(field) = field else {
        return false;
    };
    field.select();
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false)
}

/// Moves the focus to the element `id`, once the views have updated.
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
