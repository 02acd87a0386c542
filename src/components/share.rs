//! Sharing a page: the Web Share API where the browser has it, copying the
//! link otherwise; and the page's link as a QR code, to open it on another
//! phone.
//!
//! Only the record page (a chunk) uses this, so its code stays out of the
//! main module.

use leptos::prelude::*;

use crate::components::qr::lazy_qr_code;
use crate::i18n::card::ShareText;
use crate::i18n::use_i18n;
use crate::routes::AppRoute;

/// The full link of a page of this app: the app's origin (`https://…`,
/// without a trailing slash) and the route's path.
pub fn page_link(origin: &str, route: &AppRoute) -> String {
    [origin.trim_end_matches('/'), &route.to_href()].concat()
}

/// What the share button last did, for the status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Idle,
    Copied,
    /// Neither sharing nor copying worked: the link is shown to copy.
    CopyBelow,
}

/// Share and QR code for the record page of `record_id`.
#[component]
pub fn ShareRecord(record_id: i64, title: String) -> impl IntoView {
    // Its stylesheet (the boot script has linked it already when the app
    // opened on a record page); the block sits below the holdings, so it
    // is not waited for.
    let _ = crate::components::style::load_style("record");
    let i18n = use_i18n();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let link = page_link(&origin, &AppRoute::Record(record_id));
    let status = RwSignal::new(Status::Idle);
    // The QR code's code is fetched the first time the patron opens it,
    // and the code stays once drawn.
    let qr_wanted = RwSignal::new(false);
    let qr_label = i18n.tr(ShareText::LinkQrLabel);
    let field = NodeRef::<leptos::html::Input>::new();
    let field_link = link.clone();

    let on_share = {
        let link = link.clone();
        move |_| {
            let (title, link) = (title.clone(), link.clone());
            status.set(Status::Idle);
            leptos::task::spawn_local(async move {
                match web::share(&title, &link).await {
                    web::Shared::Done | web::Shared::Cancelled => {}
                    web::Shared::Unavailable => {
                        let copied = web::copy(&link).await;
                        status.try_set(if copied {
                            Status::Copied
                        } else {
                            Status::CopyBelow
                        });
                    }
                }
            });
        }
    };
    // The link field, once shown, gets the focus with its text selected,
    // ready for the phone's own copy menu.
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            let _ = input.focus();
            input.select();
        }
    });
    let message = move || match status.get() {
        Status::Idle => "",
        Status::Copied => i18n.tr(ShareText::LinkCopied),
        Status::CopyBelow => i18n.tr(ShareText::CopyBelow),
    };
    view! {
        <div class="share-record">
            <button type="button" class="button secondary share-button" on:click=on_share>
                {crate::components::icons::path_icon("M12 3v12M7 8l5-5 5 5M5 13v8h14v-8")}
                <span>{i18n.tr(ShareText::Share)}</span>
            </button>
            <p class="share-status" role="status">{message}</p>
            <Show when=move || status.get() == Status::CopyBelow>
                <label class="share-link">
                    <span>{i18n.tr(ShareText::LinkLabel)}</span>
                    <input type="text" readonly value=field_link.clone() node_ref=field />
                </label>
            </Show>
            <details class="share-qr" on:toggle=move |_| qr_wanted.set(true)>
                <summary>{i18n.tr(ShareText::ScanToOpen)}</summary>
                {move || {
                    qr_wanted
                        .get()
                        .then(|| untrack(|| lazy_qr_code(link.clone(), qr_label.to_owned())))
                }}
            </details>
        </div>
    }
}

/// The browser's share sheet and clipboard, looked up at run time: either
/// can be missing (desktop Linux has no share sheet; WeChat and plain
/// HTTP have no clipboard API), and every failure is an answer, not a
/// panic.
mod web {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// How a share ended.
    pub enum Shared {
        Done,
        /// The patron closed the share sheet.
        Cancelled,
        /// No share sheet, or it failed: copy the link instead.
        Unavailable,
    }

    /// `object[name]`, when it is neither undefined nor null.
    fn get(object: &JsValue, name: &str) -> Option<JsValue> {
        js_sys::Reflect::get(object, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// Calls `object.name(arg)` and waits for the promise it returns.
    async fn call(object: &JsValue, name: &str, arg: &JsValue) -> Option<Result<JsValue, JsValue>> {
        let method = get(object, name)?.dyn_into::<js_sys::Function>().ok()?;
        let promise = method
            .call1(object, arg)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()?;
        Some(JsFuture::from(promise).await)
    }

    fn navigator() -> Option<JsValue> {
        web_sys::window().map(|w| w.navigator().into())
    }

    /// `navigator.share({title, url})`.
    pub async fn share(title: &str, url: &str) -> Shared {
        let Some(navigator) = navigator() else {
            return Shared::Unavailable;
        };
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
        let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
        match call(&navigator, "share", &data).await {
            Some(Ok(_)) => Shared::Done,
            Some(Err(e))
                if get(&e, "name").and_then(|n| n.as_string()).as_deref() == Some("AbortError") =>
            {
                Shared::Cancelled
            }
            _ => Shared::Unavailable,
        }
    }

    /// `navigator.clipboard.writeText(text)`; whether it worked.
    pub async fn copy(text: &str) -> bool {
        let Some(clipboard) = navigator().and_then(|n| get(&n, "clipboard")) else {
            return false;
        };
        matches!(
            call(&clipboard, "writeText", &text.into()).await,
            Some(Ok(_))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_the_origin_and_the_route() {
        assert_eq!(
            page_link("https://opac.example.cn", &AppRoute::Record(42)),
            "https://opac.example.cn/record/42"
        );
        assert_eq!(
            page_link("http://127.0.0.1:8080/", &AppRoute::Record(7)),
            "http://127.0.0.1:8080/record/7"
        );
    }
}
