//! An empty state: a heading and what to do next.

use leptos::prelude::*;

/// Shown where a list has nothing to show.
#[component]
pub fn EmptyState(
    /// The heading, already in the patron's language.
    title: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="empty-state">
            <h2 class="empty-title">{title}</h2>
            {children()}
        </section>
    }
}
