//! What code loaded on demand needs: the error of a chunk that could not be
//! fetched, and the view shown instead of the code it held.
//!
//! Split points use `wasm_split(..., fallible)` (see `lazy_page!` in
//! `lib.rs`), never leptos's `#[lazy]`/`#[lazy_route]`: those panic when a
//! chunk cannot be fetched, and a panic kills the app.

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
