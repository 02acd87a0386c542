//! The single fetch helper: send a request, decode JSON, map every failure
//! to an [`ApiError`]. Browser-only at run time; compiles everywhere.
//!
//! Every request carries the session's bearer token when there is one
//! (see [`super::auth`]); same-origin deployments use the session cookie,
//! which the browser sends by itself. State-changing requests carry the
//! CSRF header the contract requires.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};
use yuelan_api::account::{CSRF_HEADER, CSRF_HEADER_VALUE};
use yuelan_api::wire::{self, from_json};

use super::{ApiError, Request};

/// How long a request may take before it is aborted.
pub const TIMEOUT_MS: i32 = 15_000;

/// An HTTP method of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// GETs `url` and decodes its JSON body.
pub fn get_json<T: wire::Deserialize + 'static>(url: String) -> Request<T> {
    send_json(Method::Get, url, None)
}

/// Sends a request with an optional JSON `body` and decodes the JSON answer.
pub fn send_json<T: wire::Deserialize + 'static>(
    method: Method,
    url: String,
    body: Option<String>,
) -> Request<T> {
    let text = send(method, url, body);
    Box::pin(async move { from_json::<T>(&text.await?).map_err(|_| ApiError::Decode) })
}

/// GETs `url` and returns its body when the status is a success.
pub fn get_body(url: String) -> Request<String> {
    send(Method::Get, url, None)
}

/// Sends a request and returns the answer's body when the status is a
/// success (empty for `204 No Content`).
///
/// The request is aborted when the reactive owner polling it is cleaned up
/// (the page went away, or the loader re-ran), and after [`TIMEOUT_MS`].
/// Boxed: this is the one copy of the fetch code in the app.
pub fn send(method: Method, url: String, body: Option<String>) -> Request<String> {
    Box::pin(fetch_body(method, url, body, None))
}

/// [`send_json`] with one more request header (such as `Idempotency-Key`),
/// for the few requests of the contract that take one. Called only from
/// chunks, so that the main module's requests stay as they are.
pub fn send_json_with_header<T: wire::Deserialize + 'static>(
    method: Method,
    url: String,
    body: Option<String>,
    header: (&'static str, String),
) -> Request<T> {
    let text = fetch_body(method, url, body, Some(header));
    Box::pin(async move { from_json::<T>(&text.await?).map_err(|_| ApiError::Decode) })
}

async fn fetch_body(
    method: Method,
    url: String,
    body: Option<String>,
    extra: Option<(&'static str, String)>,
) -> Result<String, ApiError> {
    let controller = AbortController::new().map_err(|_| ApiError::Network)?;
    let signal = controller.signal();

    let on_drop = SendWrapper::new(controller.clone());
    on_cleanup(move || on_drop.abort());

    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        Timer::start(TIMEOUT_MS, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let failed = |signal: &AbortSignal| {
        if timed_out.get() {
            ApiError::Timeout
        } else if signal.aborted() {
            ApiError::Aborted
        } else {
            ApiError::Network
        }
    };

    let window = web_sys::window().ok_or(ApiError::Network)?;
    let init = RequestInit::new();
    init.set_method(method.as_str());
    init.set_signal(Some(&signal));
    if let Ok(headers) = Headers::new() {
        let _ = headers.append("Accept", "application/json");
        if method != Method::Get {
            let _ = headers.append(CSRF_HEADER, CSRF_HEADER_VALUE);
        }
        if let Some(body) = &body {
            let _ = headers.append("Content-Type", "application/json");
            init.set_body(&JsValue::from_str(body));
        }
        if let Some((name, value)) = &extra {
            let _ = headers.append(name, value);
        }
        if let Some(token) = super::auth::token() {
            let _ = headers.append("Authorization", &["Bearer ", &token].concat());
        }
        init.set_headers(&headers);
    }
    let prefetched = match method {
        Method::Get => take_prefetched(&window, &url),
        _ => None,
    };
    let request = match prefetched {
        Some(request) => request,
        None => window.fetch_with_str_and_init(&url, &init),
    };
    let response: Response = JsFuture::from(request)
        .await
        .and_then(|r| r.dyn_into::<Response>())
        .map_err(|_| failed(&signal))?;
    let status = response.status();
    let text = response.text().map_err(|_| failed(&signal))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| failed(&signal))?
        .as_string()
        .ok_or(ApiError::Decode)?;
    if !response.ok() {
        return Err(ApiError::http(status, body));
    }
    Ok(body)
}

/// The request for `url` that the boot script started while the WASM
/// downloaded (`window.__yuelanPrefetch`, a `Map` of URL to the promise of
/// its `Response`; see `xtask/src/build.rs`), taken out so that it serves
/// once. The boot script aborts it after [`TIMEOUT_MS`], as this module
/// cannot.
fn take_prefetched(window: &web_sys::Window, url: &str) -> Option<js_sys::Promise> {
    let started = js_sys::Reflect::get(window, &JsValue::from_str("__yuelanPrefetch"))
        .ok()?
        .dyn_into::<js_sys::Map>()
        .ok()?;
    let key = JsValue::from_str(url);
    let request = started.get(&key).dyn_into::<js_sys::Promise>().ok()?;
    started.delete(&key);
    Some(request)
}

/// A `setTimeout` that is cleared when dropped.
pub(super) struct Timer {
    handle: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    pub(super) fn start(ms: i32, f: impl FnMut() + 'static) -> Option<Timer> {
        let window = web_sys::window()?;
        let callback = Closure::<dyn FnMut()>::new(f);
        let handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms,
            )
            .ok()?;
        Some(Timer {
            handle,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(self.handle);
        }
    }
}
