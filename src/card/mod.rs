//! The digital library card: the card number as a Code 128 barcode and a
//! QR code, viewable offline once shown.
//!
//! The signed-in patron's card is kept on this device (see [`stored`]), so
//! that it shows when the session cannot be checked (no network) or has
//! ended; the service worker (`public/sw.js`) keeps the app's files for the
//! same reason. Signing out removes it: [`forget_card_on_device`].

pub mod stored;
mod wake_lock;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::api::{ApiError, use_api};
use crate::components::barcode::Barcode;
use crate::components::error_view::ErrorView;
use crate::components::qr::QrCode;
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::config::use_config;
use crate::i18n::card::CardText;
use crate::i18n::{I18n, use_i18n};
use crate::session::{Auth, Session, SignInReason, use_session};
use crate::storage;
use stored::{CardData, STORAGE_KEY, Shown, grouped, shown};

/// Removes the card kept on this device (for sign-out: devices are
/// shared). Does nothing where storage does not work.
pub fn forget_card_on_device() {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// The card kept on this device, if any.
fn kept_card() -> Option<CardData> {
    storage::load(STORAGE_KEY).and_then(|s| CardData::decode(&s))
}

/// The page at `/me/card`.
#[component]
pub fn CardPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let api = StoredValue::new(use_api());
    page_title(move || i18n.tr(CardText::CardTitle).to_owned());

    let kept = RwSignal::new(kept_card());
    // The page's own check of the session, when it has nothing to show
    // meanwhile: the app's check at start leaves the session unknown when
    // it fails (offline), and the page must not wait for ever.
    let check_error = RwSignal::new(None::<ApiError>);
    let check = move || {
        check_error.set(None);
        let request = api.with_value(|api| api.current_session());
        untrack(|| {
            leptos::task::spawn_local_scoped(async move {
                match request.await {
                    Ok(info) => session.signed_in(info),
                    Err(e) if e.needs_sign_in() => session.signed_out(),
                    Err(ApiError::Aborted) => {}
                    Err(e) => {
                        check_error.try_set(Some(e));
                    }
                }
            });
        });
    };
    if session_unknown(session) && kept.with_untracked(Option::is_none) {
        check();
    }

    // The signed-in patron's card is kept for offline use; after a
    // sign-out (which removes it) the page reads storage again.
    Effect::new(move |_| match session.auth() {
        Auth::SignedIn(patron) => {
            let card = CardData::new(&patron.card_number, &patron.name);
            if kept.with_untracked(|k| k.as_ref() != Some(&card)) {
                storage::save(STORAGE_KEY, &card.encode());
                kept.set(Some(card));
            }
        }
        Auth::SignedOut => kept.set(kept_card()),
        Auth::Unknown => {}
    });

    let forget = move || {
        forget_card_on_device();
        kept.set(None);
        if session_unknown(session) {
            check();
        }
    };
    let state = Memo::new(move |_| {
        shown(
            &session.auth(),
            kept.get().as_ref(),
            check_error.with(Option::is_some),
        )
    });
    let body = move || {
        let state = state.get();
        untrack(|| match state {
            Shown::Live(card) => card_view(i18n, card, None),
            Shown::FromDevice(card) => {
                card_view(i18n, card, Some(Callback::new(move |()| forget())))
            }
            Shown::Checking => view! { <PageSkeleton /> }.into_any(),
            Shown::CheckFailed => {
                let error = check_error.get_untracked().unwrap_or(ApiError::Network);
                view! {
                    <p>{i18n.tr(CardText::CannotCheck)}</p>
                    <ErrorView error on_retry=move |()| check() />
                }
                .into_any()
            }
            Shown::SignedOut => sign_in_view(i18n, session),
        })
    };
    view! {
        <div class="page card-page">
            <h1>{i18n.tr(CardText::CardTitle)}</h1>
            {body}
        </div>
    }
}

fn session_unknown(session: Session) -> bool {
    untrack(|| session.auth() == Auth::Unknown)
}

/// The card itself, and the hints for showing it. `forget` is given for a
/// card shown from this device: the button removing it from the device.
fn card_view(i18n: I18n, card: CardData, forget: Option<Callback<()>>) -> AnyView {
    let library = use_config()
        .library_name
        .get(i18n.locale().is_english())
        .to_owned();
    // The screen stays on while the card shows, where the browser can.
    let screen_on = RwSignal::new(false);
    let lock = SendWrapper::new(wake_lock::keep_screen_on(screen_on));
    on_cleanup(move || drop(lock));

    let code = card.code_text();
    let from_device = forget.map(|forget| {
        view! {
            <p class="card-note">
                {crate::components::icons::path_icon(DEVICE_ICON)}
                <span>{i18n.tr(CardText::ShownFromDevice)}</span>
            </p>
            <p>
                <button type="button" class="link-button card-forget" on:click=move |_| forget.run(())>
                    {i18n.tr(CardText::ForgetOnDevice)}
                </button>
            </p>
        }
    });
    view! {
        <section class="library-card" aria-labelledby="card-library">
            <p class="card-library" id="card-library">{library}</p>
            <dl class="card-fields">
                <div>
                    <dt>{i18n.tr(CardText::Holder)}</dt>
                    <dd class="card-holder">{card.name.clone()}</dd>
                </div>
                <div>
                    <dt>{i18n.tr(CardText::CardNumber)}</dt>
                    <dd class="card-number">{grouped(&card.card_number)}</dd>
                </div>
            </dl>
            <div class="card-codes">
                <Barcode text=code.clone() label=i18n.tr(CardText::BarcodeLabel) />
                <QrCode text=code label=i18n.tr(CardText::QrLabel) />
            </div>
        </section>
        <p class="card-note">
            {crate::components::icons::path_icon(SUN_ICON)}
            <span>{i18n.tr(CardText::BrightnessHint)}</span>
        </p>
        <p class="card-note" role="status">
            <Show when=move || screen_on.get()>
                {crate::components::icons::path_icon(SCREEN_ICON)}
                <span>{i18n.tr(CardText::ScreenStaysOn)}</span>
            </Show>
        </p>
        {from_device}
    }
    .into_any()
}

/// Signed out, with no card on this device: why to sign in, and the button.
fn sign_in_view(i18n: I18n, session: Session) -> AnyView {
    view! {
        <div class="card-signin">
            <p>{i18n.tr(CardText::SignInToShow)}</p>
            <button
                type="button"
                class="button"
                on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        // Signed in or not, the session says so and the
                        // page follows it.
                        let _ = session.ask(SignInReason::Account).await;
                    });
                }
            >
                {i18n.tr(CardText::SignIn)}
            </button>
        </div>
    }
    .into_any()
}

/// A sun: turn the brightness up.
const SUN_ICON: &str = "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4";
/// A phone: kept on this device.
const DEVICE_ICON: &str = "M7 2h10v20H7zM11 18h2";
/// A screen: it stays on.
const SCREEN_ICON: &str = "M3 4h18v12H3zM8 20h8M12 16v4";
