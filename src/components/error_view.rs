//! The view of a failed load: the reason in the patron's language and a
//! Retry button. Never the server's raw text.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::icons::{Icon, IconName};
use crate::i18n::{Key, use_i18n};

/// Shows why loading failed, with a Retry button calling `on_retry`.
#[component]
pub fn ErrorView(
    /// What went wrong.
    error: ApiError,
    /// Called when the patron presses Retry.
    #[prop(into)]
    on_retry: Callback<()>,
    /// The message for "not found", when the page knows a better one than
    /// the generic text (e.g. "this title could not be found").
    #[prop(optional)]
    not_found: Option<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = match not_found {
        Some(k) if error.is_not_found() => k,
        _ => error.message_key(),
    };
    view! {
        <div class="error-view" role="alert">
            <Icon name=IconName::Alert />
            <div class="error-body">
                <p class="error-title">{i18n.t(Key::ErrorTitle)}</p>
                <p class="error-message">{i18n.t(key)}</p>
                <button type="button" class="button retry" on:click=move |_| on_retry.run(())>
                    {i18n.t(Key::Retry)}
                </button>
            </div>
        </div>
    }
}
