//! The sign-in sheet: card number and PIN, over the page that asked for it.
//!
//! It opens when an action needs an account (see `crate::session`), says
//! why, and closes once the patron has signed in (the action then
//! finishes) or cancelled. While it is open the page beneath is `inert`, so
//! focus stays in the sheet; Escape cancels; focus returns where it was.
//! The card number may be remembered on the device (the patron chooses);
//! the PIN never is: it lives in the field until the request is sent.

use leptos::prelude::*;

use crate::account::errors::error_text;
use crate::api::use_api;
use crate::i18n::account::AccountText as T;
use crate::i18n::{I18n, use_i18n};
use crate::session::{SignInReason, use_session};
use crate::storage;

/// Where a remembered card number is kept on the device.
pub const CARD_KEY: &str = "yuelan.card_number";

/// A field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Card,
    Pin,
}

/// Checks the form before sending it: the card number's digits (spaces
/// and dashes, as printed on cards, are dropped) and the PIN. Returns the
/// card number to send, or the first field in error with its message.
pub fn validate(card: &str, pin: &str) -> Result<String, (Field, T)> {
    let digits: String = card
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| match c {
            // Full-width digits from a Chinese input method.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if digits.is_empty() {
        return Err((Field::Card, T::CardRequired));
    }
    if !(8..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err((Field::Card, T::CardFormat));
    }
    if pin.is_empty() {
        return Err((Field::Pin, T::PinRequired));
    }
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err((Field::Pin, T::PinFormat));
    }
    Ok(digits)
}

fn reason_text(reason: SignInReason) -> T {
    match reason {
        SignInReason::Account => T::ReasonAccount,
        SignInReason::Expired => T::ReasonExpired,
        SignInReason::PlaceHold => T::ReasonPlaceHold,
        SignInReason::Renew => T::ReasonRenew,
        SignInReason::Favourite => T::ReasonFavourite,
        SignInReason::Other => T::ReasonOther,
    }
}

/// What went wrong with the last try.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    /// A field is invalid (checked here, or by the server).
    Field(Field, T),
    /// The server's answer, as a message for the patron.
    Answer(String),
}

/// Marks the page beneath the sheet inert (or lively again).
fn set_page_inert(inert: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for selector in ["#main", ".app-header"] {
        if let Ok(Some(el)) = document.query_selector(selector) {
            let _ = if inert {
                el.set_attribute("inert", "")
            } else {
                el.remove_attribute("inert")
            };
        }
    }
}

/// The sign-in sheet.
#[component]
pub fn SignInSheet() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let api = use_api();
    let reason = session.prompt().unwrap_or(SignInReason::Account);

    let remembered = storage::load(CARD_KEY).unwrap_or_default();
    // Remembering the card number is on unless the patron turns it off:
    // most phones are their owner's own, and older patrons are spared
    // typing 14 digits each time.
    let remember = RwSignal::new(true);
    let card = RwSignal::new(remembered.clone());
    let pin = RwSignal::new(String::new());
    let show_pin = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);

    // Focus: remember where it was, move it into the sheet, give it back.
    let before = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let before = send_wrapper::SendWrapper::new(before);
    set_page_inert(true);
    let first = if remembered.is_empty() {
        "signin-card"
    } else {
        "signin-pin"
    };
    request_animation_frame(move || crate::prefs::focus_by_id(first));
    on_cleanup(move || {
        set_page_inert(false);
        if let Some(el) = before.take()
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
            && el.is_connected()
        {
            let _ = el.focus();
        }
    });

    let cancel = move || {
        if !busy.get_untracked() {
            session.close_prompt(false);
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let number = match validate(&card.get_untracked(), &pin.get_untracked()) {
            Ok(number) => number,
            Err((field, text)) => {
                problem.set(Some(Problem::Field(field, text)));
                crate::prefs::focus_by_id(field_id(field));
                return;
            }
        };
        problem.set(None);
        busy.set(true);
        let request = api.sign_in(&number, &pin.get_untracked());
        leptos::task::spawn_local(async move {
            let out = request.await;
            // The PIN leaves the page whatever the answer.
            pin.try_set(String::new());
            busy.try_set(false);
            match out {
                Ok(info) => {
                    if remember.get_untracked() {
                        storage::save(CARD_KEY, &number);
                    } else {
                        storage::remove(CARD_KEY);
                    }
                    session.signed_in(info);
                    session.close_prompt(true);
                }
                Err(error) => {
                    let field = server_field(&error);
                    let message = error_text(i18n, &error);
                    problem.try_set(Some(match field {
                        Some((field, text)) => Problem::Field(field, text),
                        None => Problem::Answer(message),
                    }));
                    crate::prefs::focus_by_id(match field {
                        Some((field, _)) => field_id(field),
                        None => "signin-pin",
                    });
                }
            }
        });
    };

    let field_error = move |field: Field| {
        problem.with(|p| match p {
            Some(Problem::Field(f, text)) if *f == field => Some(i18n.tr(*text)),
            _ => None,
        })
    };
    let card_error = move || field_error(Field::Card);
    let pin_error = move || field_error(Field::Pin);
    let answer = move || {
        problem.with(|p| match p {
            Some(Problem::Answer(message)) => Some(message.clone()),
            _ => None,
        })
    };

    view! {
        <div class="sheet-backdrop signin-backdrop" on:click=move |_| cancel()></div>
        <div
            class="signin-sheet"
            role="dialog"
            aria-modal="true"
            aria-labelledby="signin-title"
            aria-describedby="signin-reason"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    cancel();
                }
            }
        >
            <h2 id="signin-title">{i18n.tr(T::SignInTitle)}</h2>
            <p id="signin-reason" class="signin-reason">{i18n.tr(reason_text(reason))}</p>
            <form class="signin-form" on:submit=submit novalidate>
                <div class="form-field">
                    <label for="signin-card">{i18n.tr(T::CardNumber)}</label>
                    <input
                        id="signin-card"
                        name="card_number"
                        type="text"
                        inputmode="numeric"
                        autocomplete="username"
                        maxlength="32"
                        aria-describedby="signin-card-help signin-card-error"
                        aria-invalid=move || card_error().is_some().to_string()
                        prop:value=move || card.get()
                        on:input=move |ev| card.set(event_target_value(&ev))
                    />
                    <p id="signin-card-help" class="field-help">{i18n.tr(T::CardNumberHelp)}</p>
                    <p id="signin-card-error" class="field-error">{card_error}</p>
                </div>
                <div class="form-field">
                    <label for="signin-pin">{i18n.tr(T::Pin)}</label>
                    <input
                        id="signin-pin"
                        name="pin"
                        type=move || if show_pin.get() { "text" } else { "password" }
                        inputmode="numeric"
                        autocomplete="current-password"
                        maxlength="12"
                        aria-describedby="signin-pin-help signin-pin-error"
                        aria-invalid=move || pin_error().is_some().to_string()
                        prop:value=move || pin.get()
                        on:input=move |ev| pin.set(event_target_value(&ev))
                    />
                    <p id="signin-pin-help" class="field-help">{i18n.tr(T::PinHelp)}</p>
                    <p id="signin-pin-error" class="field-error">{pin_error}</p>
                </div>
                <label class="choice">
                    <input
                        type="checkbox"
                        prop:checked=move || show_pin.get()
                        on:change=move |ev| show_pin.set(event_target_checked(&ev))
                    />
                    <span>{i18n.tr(T::ShowPin)}</span>
                </label>
                <label class="choice">
                    <input
                        type="checkbox"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    <span>{i18n.tr(T::RememberCard)}</span>
                </label>
                <p class="signin-answer" role="alert">{answer}</p>
                <div class="sheet-actions">
                    <button type="submit" class="button" disabled=move || busy.get()>
                        {move || i18n.tr(if busy.get() { T::SigningIn } else { T::SignIn })}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| cancel()>
                        {i18n.tr(T::Cancel)}
                    </button>
                </div>
                <p class="muted forgot-pin">{i18n.tr(T::ForgotPin)}</p>
            </form>
        </div>
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::Card => "signin-card",
        Field::Pin => "signin-pin",
    }
}

/// The field a server's validation answer names, with its message.
fn server_field(error: &crate::api::ApiError) -> Option<(Field, T)> {
    let p = error.problem()?;
    let e = p.errors.first()?;
    match (e.field.as_str(), e.code.as_str()) {
        ("card_number", _) => Some((Field::Card, T::CardFormat)),
        ("pin", "required") => Some((Field::Pin, T::PinRequired)),
        ("pin", _) => Some((Field::Pin, T::PinFormat)),
        _ => None,
    }
}

/// Shown on the Me page for who is signed in (kept here with the sheet's
/// other texts).
pub fn signed_in_as(i18n: I18n, name: &str) -> String {
    [i18n.tr(T::SignedInAs), name].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_read_as_printed() {
        assert_eq!(
            validate("4413 2200 0000 01", "246810"),
            Ok("44132200000001".into())
        );
        assert_eq!(
            validate("4413-2200-0000-01", "2468"),
            Ok("44132200000001".into())
        );
        assert_eq!(
            validate("４４１３２２００００００１", "2468"),
            Ok("4413220000001".into())
        );
        assert_eq!(validate("", "1234"), Err((Field::Card, T::CardRequired)));
        assert_eq!(validate("   ", "1234"), Err((Field::Card, T::CardRequired)));
        assert_eq!(
            validate("1234567", "1234"),
            Err((Field::Card, T::CardFormat))
        );
        assert_eq!(
            validate("4413220000000x", "1234"),
            Err((Field::Card, T::CardFormat))
        );
        assert_eq!(
            validate("123456789012345678901", "1234"),
            Err((Field::Card, T::CardFormat))
        );
    }

    #[test]
    fn pins_are_digits() {
        assert_eq!(
            validate("44132200000001", ""),
            Err((Field::Pin, T::PinRequired))
        );
        assert_eq!(
            validate("44132200000001", "123"),
            Err((Field::Pin, T::PinFormat))
        );
        assert_eq!(
            validate("44132200000001", "12a456"),
            Err((Field::Pin, T::PinFormat))
        );
        assert_eq!(
            validate("44132200000001", "1234567890123"),
            Err((Field::Pin, T::PinFormat))
        );
        assert!(validate("44132200000001", "123456789012").is_ok());
    }
}
