//! Placeholders shown while data loads, shaped like what will come, so the
//! page does not jump (CLS). They are hidden from assistive technology; a
//! nearby live region or the `sr-only` text says "loading".

use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

/// The result list while the first page loads.
#[component]
pub fn ResultsSkeleton() -> impl IntoView {
    view! {
        <ul class="skeleton-list" aria-hidden="true">
            {(0..4).map(|_| view! {
                <li class="skeleton-result">
                    <div class="skeleton skeleton-cover"></div>
                    <div class="skeleton-lines">
                        <div class="skeleton skeleton-line wide"></div>
                        <div class="skeleton skeleton-line"></div>
                        <div class="skeleton skeleton-line short"></div>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// A page (record, config) while it loads.
#[component]
pub fn PageSkeleton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page-skeleton">
            <p class="sr-only" role="status">{i18n.t(Key::Loading)}</p>
            <div class="skeleton skeleton-title" aria-hidden="true"></div>
            <div class="skeleton skeleton-line wide" aria-hidden="true"></div>
            <div class="skeleton skeleton-line" aria-hidden="true"></div>
            <div class="skeleton skeleton-block" aria-hidden="true"></div>
        </div>
    }
}
