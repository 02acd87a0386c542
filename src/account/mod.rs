//! The patron's account: the sign-in sheet, loans and renewals, holds
//! (placing one from a record page, and managing them), and the entries
//! of the Me timeline that the account contributes.
//!
//! `signin::validate`, `timeline` and the texts in `i18n::account` are
//! plain Rust with native tests; the views stay thin over the API client
//! and the session.

pub mod errors;
pub mod hold;
pub mod holds;
pub mod loans;
pub mod signin;
pub mod timeline;

use leptos::prelude::*;
use yuelan_api::LibraryList;
use yuelan_api::account::Account;

use crate::api::{ApiError, Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::skeleton::PageSkeleton;
use crate::i18n::account::AccountText as T;
use crate::i18n::{I18n, Locale};
use crate::routes::AppRoute;
use crate::session::{SignInReason, use_session};

pub use hold::RecordHold;
pub use holds::HoldsPage;
pub use loans::LoansPage;
pub use signin::SignInSheet;

/// The patron's account for a page: loaded now, again after each sign-in
/// or sign-out, and on `retry`.
pub fn load_account(retry: RwSignal<u32>) -> Slot<Account> {
    let api = use_api();
    let session = use_session();
    let account: Slot<Account> = RwSignal::new(None);
    load_into(account, None, move || {
        retry.track();
        session.generation();
        let request = api.account();
        Box::pin(async move {
            let out = request.await;
            match &out {
                Ok(a) => session.confirm(&a.patron),
                Err(e) if e.needs_sign_in() => session.signed_out(),
                Err(_) => {}
            }
            out
        })
    });
    account
}

/// The libraries, for names and the pickup choice.
pub fn load_libraries() -> Slot<LibraryList> {
    let api = use_api();
    let libraries: Slot<LibraryList> = RwSignal::new(None);
    load_into(libraries, None, move || api.libraries());
    libraries
}

/// The name of library `id` from `libraries`, or the id while they load.
pub fn library_name(libraries: Slot<LibraryList>, id: &str, english: bool) -> String {
    libraries.with_untracked(|l| {
        l.as_ref()
            .and_then(|l| l.as_ref().ok())
            .and_then(|l| l.libraries.iter().find(|lib| lib.id == id))
            .map(|lib| lib.name.get(english).to_owned())
            .unwrap_or_else(|| id.to_owned())
    })
}

/// This year, for shortening dates.
pub fn this_year() -> i32 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::new_0().get_full_year() as i32
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        2026
    }
}

/// Shown instead of account data when nobody is signed in: why, and a
/// button that opens the sign-in sheet (the page reloads after).
pub fn signed_out_panel(i18n: I18n) -> AnyView {
    let session = use_session();
    view! {
        <section class="signed-out">
            <p>{i18n.tr(T::MeSignedOut)}</p>
            <button
                type="button"
                class="button signin-button"
                on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        session.ask(SignInReason::Account).await;
                    });
                }
            >
                {i18n.tr(T::SignIn)}
            </button>
        </section>
    }
    .into_any()
}

/// The account page's body for the state of `account`: a skeleton, the
/// sign-in panel, the error with Retry, or `body` for the loaded account.
pub fn account_view(
    i18n: I18n,
    account: Option<Result<Account, ApiError>>,
    retry: RwSignal<u32>,
    body: impl FnOnce(Account) -> AnyView,
) -> AnyView {
    match account {
        None => view! { <PageSkeleton /> }.into_any(),
        Some(Err(e)) if e.needs_sign_in() => signed_out_panel(i18n),
        Some(Err(error)) => view! {
            <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
        }
        .into_any(),
        Some(Ok(account)) => body(account),
    }
}

/// The "back to Me" link of the account's pages.
pub fn back_to_me(locale: Locale) -> impl IntoView {
    use crate::components::icons::{Icon, IconName};
    use crate::i18n::{Key, text};
    view! {
        <p class="back">
            <a class="back-link" href=AppRoute::Me.to_href()>
                <Icon name=IconName::Back />
                <span>{text(locale, Key::MeTitle)}</span>
            </a>
        </p>
    }
}
