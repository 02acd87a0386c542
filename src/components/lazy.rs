//! What code loaded on demand needs: the error of a chunk that could not be
//! fetched, and the view shown instead of the code it held.
//!
//! Split points use `wasm_split(..., fallible)` (see `lazy_page!` in
//! `lib.rs`), never leptos's `#[lazy]`/`#[lazy_route]`: those panic when a
//! chunk cannot be fetched, and a panic kills the app.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_view::ErrorView;

/// A chunk of the app's code could not be fetched.
pub struct ChunkLoadFailed;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkLoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkLoadFailed
    }
}

/// Shown where code that could not be fetched would be: the network error
/// with Retry. Retry reloads the same URL (which holds the whole search
/// state), and a failed fetch is not cached, so the chunk is fetched again.
pub fn chunk_failed() -> AnyView {
    view! {
        <section class="page">
            <ErrorView
                error=ApiError::Network
                on_retry=move |_| {
                    let _ = window().location().reload();
                }
            />
        </section>
    }
    .into_any()
}

/// A split point's view, on its way: the chunk is fetched and the view built.
pub type ChunkView = Pin<Box<dyn Future<Output = Result<AnyView, ChunkLoadFailed>>>>;

/// Shows the view `load` builds once its chunk is here, `placeholder`
/// until then, and [`chunk_failed`] if the chunk cannot be fetched.
///
/// The view is built under the caller's owner (so it reads the caller's
/// contexts and is disposed with it) but untracked, so building it
/// subscribes no surrounding view to the signals it reads.
pub fn lazy_view(load: ChunkView, placeholder: fn() -> AnyView) -> AnyView {
    let ready = RwSignal::new(false);
    let slot = StoredValue::new_local(None::<AnyView>);
    untrack(|| {
        leptos::task::spawn_local_scoped(async move {
            let view = load.await.unwrap_or_else(|ChunkLoadFailed| chunk_failed());
            slot.try_set_value(Some(view));
            ready.try_set(true);
        });
    });
    (move || {
        if ready.get() {
            slot.try_update_value(Option::take)
                .flatten()
                .unwrap_or_else(placeholder)
        } else {
            placeholder()
        }
    })
    .into_any()
}
