//! Loading data for a view without async views: a signal holds the last
//! answer (`None` until the first one), an effect starts a request whenever
//! what it depends on changes, and the view renders from the signal.
//!
//! This replaces leptos's `LocalResource` + `<Transition>` +
//! `<ErrorBoundary>` + `Suspend`, whose generic async machinery was a large
//! part of the first load. The behaviour is the same: the previous answer
//! stays on screen while the next one loads (`pending`), a newer request
//! aborts the older one (the fetch helper aborts on owner cleanup), and a
//! page that goes away aborts its request. Answers are shown in a task of
//! their own (see [`next_task`]).

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use super::ApiError;

/// The last answer of a loader: `None` before the first one.
pub type Slot<T> = RwSignal<Option<Result<T, ApiError>>>;

/// A boxed request, so the fetch code is compiled once, not per caller.
pub type Request<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// Runs `request` now and again whenever a signal it reads changes, writing
/// each answer into `slot`; `pending` is true while a request runs. An
/// aborted request (replaced by a newer one, or its page went away) writes
/// nothing, and neither does one that a newer request overtook.
///
/// The first request starts at once, before the calling view renders, so
/// the network works while the page is built; an effect (whose first run
/// comes after the render) starts the later ones.
pub fn load_into<T: Send + Sync + 'static>(
    slot: Slot<T>,
    pending: Option<RwSignal<bool>>,
    request: impl Fn() -> Request<T> + 'static,
) {
    let latest = StoredValue::new(0u64);
    let start = move |fut: Request<T>| {
        let generation = latest.get_value().wrapping_add(1);
        latest.set_value(generation);
        if let Some(p) = pending {
            p.set(true);
        }
        // Under the current owner, whose cleanup aborts the request, but
        // not as an observer: nothing tracks what the request reads.
        untrack(|| {
            leptos::task::spawn_local_scoped(async move {
                let out = fut.await;
                // What the answer shows is built in a task of its own: an
                // answer that is already here (the boot script fetched it)
                // would otherwise be built in the same task as the page,
                // one long task on a slow phone.
                next_task().await;
                if matches!(out, Err(ApiError::Aborted))
                    || latest.try_get_value() != Some(generation)
                {
                    return;
                }
                slot.try_set(Some(out));
                if let Some(p) = pending {
                    p.try_set(false);
                }
            });
        });
    };
    start(untrack(&request));
    Effect::new(move |first_done: Option<()>| {
        // Always call `request`, so the effect tracks what it reads; its
        // first future is dropped unpolled (futures do nothing until then),
        // as the first request already runs.
        let fut = request();
        if first_done.is_some() {
            start(fut);
        }
    });
}

/// Resolves in a later task of the event loop (a zero `setTimeout`), so that
/// the browser can paint and handle input in between. Resolves at once
/// where there is no window.
pub async fn next_task() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
