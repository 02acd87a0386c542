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

/// [`send_json`] with `extra` request headers (such as `Idempotency-Key`).
pub fn send_json_with<T: wire::Deserialize + 'static>(
    method: Method,
    url: String,
    body: Option<String>,
    extra: Vec<(&'static str, String)>,
) -> Request<T> {
    let answer = fetch(method, url, body, extra);
    Box::pin(async move { from_json::<T>(&answer.await?.body).map_err(|_| ApiError::Decode) })
}

/// Sends a request and returns the answer's body when the status is a
/// success (empty for `204 No Content`).
pub fn send(method: Method, url: String, body: Option<String>) -> Request<String> {
    let answer = fetch(method, url, body, Vec::new());
    Box::pin(async move { answer.await.map(|a| a.body) })
}

/// What a request answered: a success, or `304 Not Modified` to a request
/// that sent `If-None-Match` (with an empty body).
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// The answer's `ETag`, for the next `If-None-Match` or `If-Match`.
    pub etag: Option<String>,
}

/// Sends a request with the contract's headers and `extra` ones (such as
/// `Idempotency-Key` or `If-Match`), and answers its status, body and
/// `ETag`; any other status is an [`ApiError`].
///
/// The request is aborted when the reactive owner polling it is cleaned up
/// (the page went away, or the loader re-ran), and after [`TIMEOUT_MS`].
/// Boxed: this is the one copy of the fetch code in the app.
pub fn fetch(
    method: Method,
    url: String,
    body: Option<String>,
    extra: Vec<(&'static str, String)>,
) -> Request<Answer> {
    Box::pin(fetch_answer(method, url, body, extra))
}

async fn fetch_answer(
    method: Method,
    url: String,
    body: Option<String>,
    extra: Vec<(&'static str, String)>,
) -> Result<Answer, ApiError> {
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
        for (name, value) in &extra {
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
    let etag = etag(&response);
    let text = response.text().map_err(|_| failed(&signal))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| failed(&signal))?
        .as_string()
        .ok_or(ApiError::Decode)?;
    if !response.ok() && status != 304 {
        return Err(ApiError::http(status, body));
    }
    Ok(Answer { status, body, etag })
}

/// `response.headers.get("ETag")`, through `Reflect`, whose imports the
/// main module has anyway: two typed calls would be two more JavaScript
/// imports, and each import is main-module bytes.
fn etag(response: &Response) -> Option<String> {
    let headers = js_sys::Reflect::get(response, &JsValue::from_str("headers")).ok()?;
    let get = js_sys::Reflect::get(&headers, &JsValue::from_str("get")).ok()?;
    get.dyn_ref::<js_sys::Function>()?
        .call1(&headers, &JsValue::from_str("ETag"))
        .ok()?
        .as_string()
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
