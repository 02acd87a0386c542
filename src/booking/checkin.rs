//! `/booking/checkin/{code}`: what a seat's QR code opens (from WeChat's
//! scanner or any camera app). It checks the patron in to their booking at
//! that seat, after signing in if needed. `/booking/checkin` offers the
//! seat code to type, and the camera where the browser can scan
//! ([`super::camera`]).

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use yuelan_api::booking::Booking;

use crate::api::use_api;
use crate::booking::booking_nav;
use crate::booking::camera::{self, Scanner};
use crate::booking::errors::error_text;
use crate::booking::model::instant_hhmm;
use crate::booking::route::{BookingRoute, seat_code_of};
use crate::components::icons::{Icon, IconName};
use crate::components::title::page_title;
use crate::i18n::booking::{BookText as T, back_by, seat_name};
use crate::i18n::{I18n, use_i18n};
use crate::session::{SignInReason, use_session};

/// Where a check-in stands.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Idle,
    Busy,
    Done(Box<Booking>),
    Failed(String),
}

/// The page at `/booking/checkin[/{code}]`.
#[component]
pub fn CheckInPage(code: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(T::CheckInTitle).to_owned());
    let api = use_api();
    let session = use_session();
    let outcome = RwSignal::new(Outcome::Idle);
    let typed = RwSignal::new(code.clone().unwrap_or_default());

    let check_in = move |raw: String| {
        if outcome.get_untracked() == Outcome::Busy {
            return;
        }
        let Some(code) = seat_code_of(&raw) else {
            outcome.set(Outcome::Failed(i18n.tr(T::BadSeatCode).to_owned()));
            return;
        };
        typed.set(code.clone());
        outcome.set(Outcome::Busy);
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, move || api.check_in_at_seat(&code))
                .await;
            outcome.try_set(match out {
                Ok(b) => Outcome::Done(Box::new(b)),
                Err(e) if e.is_not_found() => Outcome::Failed(i18n.tr(T::ErrNoSuchSeat).to_owned()),
                Err(e) => Outcome::Failed(error_text(i18n, &e)),
            });
        });
    };

    // A scanned seat's link checks in at once.
    if let Some(code) = code {
        check_in(code);
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        check_in(typed.get_untracked());
    };

    let result = move || match outcome.get() {
        Outcome::Idle => ().into_any(),
        Outcome::Busy => {
            view! { <p class="checkin-busy" role="status">{i18n.tr(T::CheckingIn)}</p> }.into_any()
        }
        Outcome::Failed(m) => {
            view! { <p class="checkin-failed" role="alert"><Icon name=IconName::Alert />{m}</p> }
                .into_any()
        }
        Outcome::Done(b) => done_view(i18n, *b).into_any(),
    };

    view! {
        <div class="page booking-page checkin-page">
            <h1>{i18n.tr(T::CheckInTitle)}</h1>
            {booking_nav(i18n)}
            <div aria-live="polite">{result}</div>
            <form class="checkin-form" on:submit=submit>
                <label class="booking-field" for="seat-code">
                    <span>{i18n.tr(T::SeatCode)}</span>
                </label>
                <input
                    id="seat-code"
                    name="seat-code"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby="seat-code-help"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <p class="field-help" id="seat-code-help">{i18n.tr(T::SeatCodeHelp)}</p>
                <button type="submit" class="button checkin-submit" disabled=move || outcome.get() == Outcome::Busy>
                    {i18n.tr(T::CheckIn)}
                </button>
            </form>
            {camera_panel(i18n, check_in)}
        </div>
    }
}

fn done_view(i18n: I18n, b: Booking) -> impl IntoView {
    let locale = i18n.locale();
    let english = locale.is_english();
    let until = [
        b.room_name.get(english),
        " · ",
        &seat_name(locale, &b.seat_label),
        " · ",
        &instant_hhmm(&b.starts_at),
        "–",
        &instant_hhmm(&b.ends_at),
    ]
    .concat();
    let leave = b
        .leave_until
        .as_deref()
        .map(|t| back_by(locale, &instant_hhmm(t)));
    view! {
        <section class="checkin-done" role="status">
            <h2><Icon name=IconName::Check />{i18n.tr(T::CheckedIn)}</h2>
            <p>{until}</p>
            {leave.map(|l| view! { <p>{l}</p> })}
            <a class="button secondary" href=BookingRoute::Mine.to_href()>{i18n.tr(T::SeeMyBookings)}</a>
        </section>
    }
}

/// The camera button and view, where the browser can scan; a note where
/// it cannot.
fn camera_panel(i18n: I18n, check_in: impl Fn(String) + Copy + 'static) -> AnyView {
    if !camera::supported() {
        return view! { <p class="muted camera-note">{i18n.tr(T::CameraUnavailable)}</p> }
            .into_any();
    }
    let video = NodeRef::<html::Video>::new();
    let scanner = StoredValue::new_local(None::<Scanner>);
    let on = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let stop = move || {
        scanner.set_value(None);
        on.try_set(false);
    };
    let start = move |_| {
        let Some(el) = video.get_untracked() else {
            return;
        };
        on.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            let found = move |text: String| {
                if seat_code_of(&text).is_some() {
                    scanner.try_set_value(None);
                    on.try_set(false);
                    check_in(text);
                }
            };
            match camera::start(el.into(), found).await {
                Ok(s) => {
                    if on.get_untracked() {
                        scanner.try_set_value(Some(s));
                    }
                }
                Err(()) => {
                    on.try_set(false);
                    failed.try_set(true);
                }
            }
        });
    };
    let held = SendWrapper::new(stop);
    on_cleanup(move || (*held)());
    view! {
        <section class="camera-panel">
            <button type="button" class="button secondary scan" on:click=move |ev| if on.get_untracked() { stop() } else { start(ev) }>
                {move || i18n.tr(if on.get() { T::StopCamera } else { T::ScanCode })}
            </button>
            <p class="muted" hidden=move || !on.get()>{i18n.tr(T::CameraHelp)}</p>
            <video node_ref=video class="camera-view" playsinline=true muted=true hidden=move || !on.get()></video>
            <p class="checkin-failed" role="alert">{move || failed.get().then(|| i18n.tr(T::CameraFailed))}</p>
        </section>
    }
    .into_any()
}
