//! Loading data for a view without async views: a signal holds the last
//! answer (`None` until the first one), an effect starts a request whenever
//! what it depends on changes, and the view renders from the signal.
//!
//! This replaces leptos's `LocalResource` + `<Transition>` +
//! `<ErrorBoundary>` + `Suspend`, whose generic async machinery was a large
//! part of the first load. The behaviour is the same: the previous answer
//! stays on screen while the next one loads (`pending`), a newer request
//! aborts the older one (the fetch helper aborts on owner cleanup), and a
//! page that goes away aborts its request.

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
/// nothing.
pub fn load_into<T: Send + Sync + 'static>(
    slot: Slot<T>,
    pending: Option<RwSignal<bool>>,
    request: impl Fn() -> Request<T> + 'static,
) {
    Effect::new(move |_| {
        let fut = request();
        if let Some(p) = pending {
            p.set(true);
        }
        // Under the effect's owner, whose cleanup aborts the request, but
        // not as its observer: the effect tracks only what `request` read.
        untrack(|| {
            leptos::task::spawn_local_scoped(async move {
                let out = fut.await;
                if matches!(out, Err(ApiError::Aborted)) {
                    return;
                }
                slot.try_set(Some(out));
                if let Some(p) = pending {
                    p.try_set(false);
                }
            });
        });
    });
}
