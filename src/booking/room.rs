//! `/booking/rooms/{id}`: a room's day (inside the booking window), start
//! and end (on its slots, within its lengths), the seat map with live
//! availability, and the confirmation. The choices live in the URL, so a
//! reload, or signing in from the confirm step, comes back to the same
//! seat and time. Booking sends an `Idempotency-Key` made once per attempt
//! and sent again with its retries.

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::ErrorCode;
use yuelan_api::booking::{
    Availability, BookingConfirmation, CreateBooking, JoinWaitlist, RoomDetail, SeatStatus,
};

use crate::api::{ApiError, Polled, Slot, idempotency_key, load_into, use_api};
use crate::booking::booking_nav;
use crate::booking::errors::error_text;
use crate::booking::live::{LiveMode, follow_room};
use crate::booking::model::{
    DayState, LocalTime, default_span, end_choices, hhmm, hours_on, instant_hhmm, parse_date,
    parse_hhmm, slots, start_allowed, window_days, ymd,
};
use crate::booking::route::{BookingRoute, RoomChoice};
use crate::booking::seatmap::{SeatMap, Statuses};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::qr::lazy_qr_code;
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::booking::{
    BookText as T, booking_error, checkin_window, day_label, rules_lines, seat_name, span_text,
};
use crate::i18n::{I18n, Key, use_i18n};
use crate::router::use_router;
use crate::session::{SignInReason, use_session};

/// The page of room `id`, opened with `choice`.
#[component]
pub fn RoomPage(id: String, choice: RoomChoice) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let retry = RwSignal::new(0u32);
    let detail: Slot<RoomDetail> = RwSignal::new(None);
    {
        let id = id.clone();
        load_into(detail, None, move || {
            retry.track();
            api.room(&id)
        });
    }
    let english = i18n.locale().is_english();
    page_title(move || {
        detail.with(|d| match d {
            Some(Ok(d)) => d.room.name.get(english).to_owned(),
            _ => i18n.tr(T::RoomsTitle).to_owned(),
        })
    });
    let choice = StoredValue::new(choice);
    let body = move || match detail.get() {
        None => view! { <PageSkeleton /> }.into_any(),
        Some(Err(error)) => view! {
            <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
        }
        .into_any(),
        // Built once: a later answer (none comes) would not reset choices.
        Some(Ok(d)) => untrack(|| room_body(i18n, Arc::new(d), choice.get_value())),
    };
    view! {
        <div class="page booking-page room-page">
            {booking_nav(i18n)}
            {body}
        </div>
    }
}

/// The confirmation once booked, or the form.
fn room_body(i18n: I18n, detail: Arc<RoomDetail>, choice: RoomChoice) -> AnyView {
    let confirmed = RwSignal::new(None::<BookingConfirmation>);
    let form = booking_form(i18n, Arc::clone(&detail), choice, confirmed);
    let english = i18n.locale().is_english();
    let room = &detail.room;
    let title = room.name.get(english).to_owned();
    let place = [
        detail.library_name.get(english),
        " · ",
        room.floor.get(english),
    ]
    .concat();
    let description = detail.description.get(english).to_owned();
    view! {
        <h1>{title}</h1>
        <p class="room-place muted">{place}</p>
        <p class="room-description">{description}</p>
        {move || match confirmed.get() {
            Some(c) => confirmation(i18n, c).into_any(),
            None => ().into_any(),
        }}
        <div class="booking-form" hidden=move || confirmed.with(Option::is_some)>{form}</div>
    }
    .into_any()
}

/// The day, times, rules, seat map and confirm step.
fn booking_form(
    i18n: I18n,
    detail: Arc<RoomDetail>,
    choice: RoomChoice,
    confirmed: RwSignal<Option<BookingConfirmation>>,
) -> impl IntoView {
    let api = use_api();
    let router = use_router();
    let session = use_session();
    let locale = i18n.locale();
    let now = LocalTime::now();
    let rules = detail.rules.clone();
    let room_id = detail.room.id.clone();
    let days = window_days(&rules, &detail.hours, &detail.closed_days, now);
    let day_hours = {
        let detail = Arc::clone(&detail);
        move |day: i64| hours_on(&detail.hours, &detail.closed_days, day)
    };

    // The day: the URL's when the window allows it, else the first open one.
    let first_open = days
        .iter()
        .find(|d| {
            d.state == DayState::Open
                && default_span(&rules, day_hours(d.day), d.day, now).is_some()
        })
        .or_else(|| days.iter().find(|d| d.state == DayState::Open))
        .map_or(now.day, |d| d.day);
    let asked_day = choice.date.as_deref().and_then(parse_date).filter(|d| {
        days.iter()
            .any(|c| c.day == *d && c.state == DayState::Open)
    });
    let day = RwSignal::new(asked_day.unwrap_or(first_open));
    let fallback = default_span(
        &rules,
        day_hours(day.get_untracked()),
        day.get_untracked(),
        now,
    );
    let asked_span = match (
        choice.start.as_deref().and_then(parse_hhmm),
        choice.end.as_deref().and_then(parse_hhmm),
    ) {
        (Some(s), Some(e)) if asked_day.is_some() => {
            let close = day_hours(day.get_untracked()).map_or(0, |h| h.1);
            end_choices(&rules, s, close).contains(&e).then_some((s, e))
        }
        _ => None,
    };
    let span = RwSignal::new(asked_span.or(fallback));
    let selected = RwSignal::new(choice.seat);
    let announce = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);

    // The choices go into the URL (in place), so that a reload keeps them.
    {
        let room_id = room_id.clone();
        Effect::new(move |_| {
            let choice = RoomChoice {
                date: Some(ymd(day.get())),
                start: span.get().map(|s| hhmm(s.0)),
                end: span.get().map(|s| hhmm(s.1)),
                seat: selected.get(),
            };
            let href = BookingRoute::Room(room_id.clone(), choice).to_href();
            if untrack(|| router.location()) != crate::router::Location::from_href(&href) {
                router.navigate(&href, true, false);
            }
        });
    }

    // Availability for the day and span, refreshed on every change
    // anywhere (live), with `If-None-Match`.
    let availability = RwSignal::new(None::<Availability>);
    let load_error = RwSignal::new(None::<ApiError>);
    let etag = StoredValue::new(None::<String>);
    let generation = StoredValue::new(0u64);
    let refresh = {
        let room_id = room_id.clone();
        move || {
            // Also called from a stream's or a timer's callback: the page
            // may be gone.
            let (Some(d), Some(s)) = (day.try_get_untracked(), span.try_get_untracked()) else {
                return;
            };
            let date = ymd(d);
            let times = s.map(|(a, b)| (hhmm(a), hhmm(b)));
            let request = api.availability(
                &room_id,
                &date,
                times.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                etag.try_get_value().flatten(),
            );
            let mine = generation
                .try_get_value()
                .unwrap_or_default()
                .wrapping_add(1);
            generation.try_set_value(mine);
            leptos::task::spawn_local(async move {
                let out = request.await;
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                match out {
                    Ok(Polled::Changed(a, tag)) => {
                        etag.set_value(tag);
                        load_error.try_set(None);
                        availability.try_set(Some(a));
                    }
                    Ok(Polled::Unchanged) => {}
                    Err(ApiError::Aborted) => {}
                    Err(e) => {
                        load_error.try_set(Some(e));
                    }
                }
            });
        }
    };
    let refresh = StoredValue::new_local(refresh);
    let run_refresh = move || {
        refresh.try_with_value(|f| f());
    };
    Effect::new(move |_| {
        let _ = (day.get(), span.get());
        etag.set_value(None);
        run_refresh();
    });
    let live = follow_room(api.room_events_url(&room_id), run_refresh);

    // Statuses of the span shown (none while another span's answer is in).
    let statuses = Memo::new(move |_| {
        let want = (ymd(day.get()), span.get().map(|(a, b)| (hhmm(a), hhmm(b))));
        availability.with(|a| match a {
            Some(a)
                if a.date == want.0
                    && want
                        .1
                        .as_ref()
                        .is_none_or(|(s, e)| a.start == *s && a.end == *e) =>
            {
                a.seats
                    .iter()
                    .map(|s| (s.seat_id, s.status))
                    .collect::<Statuses>()
            }
            _ => Statuses::new(),
        })
    });
    // A chosen seat that someone else takes is no longer chosen.
    {
        let detail = Arc::clone(&detail);
        Effect::new(move |_| {
            let st = statuses.get();
            // Once booked, the seat is taken by the patron's own booking:
            // the confirmation keeps it.
            if confirmed.with_untracked(Option::is_some) {
                return;
            }
            if let Some(id) = selected.get_untracked()
                && !st.is_empty()
                && st.get(&id) != Some(&SeatStatus::Free)
            {
                {
                    let label = detail
                        .layout
                        .seats
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| s.label.clone());
                    selected.set(None);
                    if let Some(label) = label {
                        announce.set(
                            [
                                seat_name(locale, &label),
                                " · ".into(),
                                i18n.tr(T::Taken).to_owned(),
                            ]
                            .concat(),
                        );
                    }
                }
            }
        });
    }

    // The day's choices.
    let today = now.day;
    let day_options = days
        .iter()
        .map(|d| {
            let suffix = match d.state {
                DayState::Open => "",
                DayState::Closed => i18n.tr(T::DayClosed),
                DayState::OpensLater => i18n.tr(T::DayOpensLater),
            };
            let value = ymd(d.day);
            let dd = d.day;
            view! {
                <option value=value disabled=d.state != DayState::Open selected=move || day.get() == dd>
                    {[day_label(locale, d.day, today), suffix.to_owned()].concat()}
                </option>
            }
        })
        .collect_view();
    let start_options = {
        let rules = rules.clone();
        let day_hours = day_hours.clone();
        move || {
            let d = day.get();
            let Some((open, close)) = day_hours(d) else {
                return Vec::new();
            };
            slots(open, close, rules.slot_minutes)
                .into_iter()
                .filter(|(s, _)| {
                    start_allowed(&rules, d, *s, now) && !end_choices(&rules, *s, close).is_empty()
                })
                .map(|(s, _)| s)
                .collect::<Vec<u32>>()
        }
    };
    let end_options = {
        let rules = rules.clone();
        let day_hours = day_hours.clone();
        move || {
            let close = day_hours(day.get()).map_or(0, |h| h.1);
            span.get()
                .map(|(s, _)| end_choices(&rules, s, close))
                .unwrap_or_default()
        }
    };
    let on_day = {
        let rules = rules.clone();
        let day_hours = day_hours.clone();
        move |ev: leptos::ev::Event| {
            if let Some(d) = parse_date(&event_target_value(&ev)) {
                day.set(d);
                span.set(default_span(&rules, day_hours(d), d, now));
                selected.set(None);
                message.set(None);
            }
        }
    };
    let on_start = {
        let rules = rules.clone();
        let day_hours = day_hours.clone();
        move |ev: leptos::ev::Event| {
            if let Some(s) = parse_hhmm(&event_target_value(&ev)) {
                let close = day_hours(day.get_untracked()).map_or(0, |h| h.1);
                let keep_length = span
                    .get_untracked()
                    .map(|(a, b)| s + (b - a))
                    .filter(|e| end_choices(&rules, s, close).contains(e));
                let end = keep_length.or_else(|| end_choices(&rules, s, close).first().copied());
                span.set(end.map(|e| (s, e)));
                message.set(None);
            }
        }
    };
    let on_end = move |ev: leptos::ev::Event| {
        if let (Some(e), Some((s, _))) =
            (parse_hhmm(&event_target_value(&ev)), span.get_untracked())
        {
            span.set(Some((s, e)));
            message.set(None);
        }
    };

    // The selects stay built (and focused) while their options follow the
    // day and the start.
    let starts = Memo::new(move |_| start_options());
    let ends = Memo::new(move |_| end_options());
    let times = view! {
        <p class="note" role="note" hidden=move || !starts.with(Vec::is_empty)>
            {i18n.tr(T::NoSlotsLeft)}
        </p>
        <div class="time-fields" hidden=move || starts.with(Vec::is_empty)>
            <label class="booking-field">
                <span>{i18n.tr(T::Start)}</span>
                <select
                    id="booking-start"
                    on:change=on_start
                    prop:value=move || span.get().map(|s| hhmm(s.0)).unwrap_or_default()
                >
                    {move || {
                        let current = span.get().map(|c| c.0);
                        starts
                            .get()
                            .into_iter()
                            .map(|s| view! { <option value=hhmm(s) selected=current == Some(s)>{hhmm(s)}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            <label class="booking-field">
                <span>{i18n.tr(T::End)}</span>
                <select
                    id="booking-end"
                    on:change=on_end
                    prop:value=move || span.get().map(|s| hhmm(s.1)).unwrap_or_default()
                >
                    {move || {
                        let current = span.get().map(|c| c.1);
                        ends.get()
                            .into_iter()
                            .map(|e| view! { <option value=hhmm(e) selected=current == Some(e)>{hhmm(e)}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
        </div>
    };

    let rules_list = rules_lines(locale, &rules)
        .into_iter()
        .map(|l| view! { <li>{l}</li> })
        .collect_view();

    // The refusal of the span, if the server has one.
    let refusal = move || {
        availability.with(|a| {
            a.as_ref().and_then(|a| a.refusal).map(|code| {
                booking_error(code).map_or_else(|| i18n.t(Key::ErrBadRequest), |t| i18n.tr(t))
            })
        })
    };

    // Booking: one key per attempt (the same request again reuses it).
    let attempt = StoredValue::new(None::<(CreateBooking, String)>);
    let busy = RwSignal::new(false);
    let book = {
        let room_id = room_id.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            let (Some(seat_id), Some((s, e))) = (selected.get_untracked(), span.get_untracked())
            else {
                message.set(Some((false, i18n.tr(T::ChooseSeat).to_owned())));
                return;
            };
            let req = CreateBooking {
                seat_id,
                date: ymd(day.get_untracked()),
                start: hhmm(s),
                end: hhmm(e),
            };
            let key = match attempt.get_value() {
                Some((r, k)) if r == req => k,
                _ => {
                    let k = idempotency_key();
                    attempt.set_value(Some((req.clone(), k.clone())));
                    k
                }
            };
            busy.set(true);
            message.set(None);
            let _ = &room_id;
            leptos::task::spawn_local(async move {
                let out = session
                    .with_sign_in(SignInReason::Other, move || api.create_booking(&req, &key))
                    .await;
                busy.try_set(false);
                match out {
                    Ok(c) => {
                        attempt.set_value(None);
                        confirmed.try_set(Some(c));
                        if let Some(w) = web_sys::window() {
                            w.scroll_to_with_x_and_y(0.0, 0.0);
                        }
                    }
                    Err(e) => {
                        // A lost answer is retried with the same key; an
                        // answered refusal ends the attempt.
                        let retryable =
                            matches!(e, ApiError::Network | ApiError::Timeout | ApiError::Decode)
                                || matches!(&e, ApiError::Http { status, .. } if *status >= 500)
                                || e.code() == Some(ErrorCode::RequestInFlight);
                        if !retryable {
                            attempt.set_value(None);
                        }
                        if e.code() == Some(ErrorCode::SeatTaken) {
                            selected.try_set(None);
                            etag.set_value(None);
                            run_refresh();
                            message
                                .try_set(Some((false, i18n.tr(T::SeatTakenRefreshed).to_owned())));
                        } else {
                            message.try_set(Some((false, error_text(i18n, &e))));
                        }
                    }
                }
            });
        }
    };

    let join = {
        let room_id = room_id.clone();
        move |_| {
            let Some((s, e)) = span.get_untracked() else {
                return;
            };
            let req = JoinWaitlist {
                room_id: room_id.clone(),
                date: ymd(day.get_untracked()),
                start: hhmm(s),
                end: hhmm(e),
            };
            leptos::task::spawn_local(async move {
                let out = session
                    .with_sign_in(SignInReason::Other, move || api.join_waitlist(&req))
                    .await;
                message.try_set(Some(match out {
                    Ok(_) => (true, i18n.tr(T::JoinedWaitlist).to_owned()),
                    Err(e) => (false, error_text(i18n, &e)),
                }));
            });
        }
    };
    let full = move || {
        availability.with(|a| {
            a.as_ref()
                .is_some_and(|a| a.free == 0 && a.refusal.is_none() && !a.seats.is_empty())
        })
    };

    let layout = Arc::new(detail.layout.clone());
    let seat_label = {
        let detail = Arc::clone(&detail);
        move |id: i64| {
            detail
                .layout
                .seats
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.label.clone())
                .unwrap_or_default()
        }
    };
    let summary = move || {
        let seat = selected.get().map(&seat_label);
        let when = span.get().map(|(s, e)| {
            [
                day_label(locale, day.get(), today),
                " ".into(),
                span_text(&hhmm(s), &hhmm(e)),
            ]
            .concat()
        });
        match (seat, when) {
            (Some(seat), Some(when)) => [seat_name(locale, &seat), " · ".into(), when].concat(),
            _ => i18n.tr(T::ChooseSeat).to_owned(),
        }
    };
    let has_answer = Memo::new(move |_| availability.with(Option::is_some));
    let map = move || {
        if !has_answer.get() {
            return match load_error.get() {
                Some(error) => view! {
                    <ErrorView error on_retry=move |_| run_refresh() />
                }
                .into_any(),
                None => view! { <PageSkeleton /> }.into_any(),
            };
        }
        view! {
            <SeatMap layout=Arc::clone(&layout) statuses=statuses selected announce />
        }
        .into_any()
    };

    view! {
        <section class="when" aria-labelledby="when-h">
            <h2 id="when-h" class="sr-only">{i18n.tr(T::Date)}</h2>
            <label class="booking-field">
                <span>{i18n.tr(T::Date)}</span>
                <select id="booking-date" on:change=on_day>{day_options}</select>
            </label>
            {times}
        </section>
        <details class="rules">
            <summary>{i18n.tr(T::RulesTitle)}</summary>
            <ul>{rules_list}</ul>
        </details>
        <p class="note refusal" role="note">{refusal}</p>
        <p class="live-state muted">
            {move || i18n.tr(if live.get() == LiveMode::Live { T::LiveOn } else { T::LivePolling })}
        </p>
        {map}
        <p class="sr-only" role="status" aria-live="polite">{move || announce.get()}</p>
        <section class="confirm-bar" aria-labelledby="confirm-h">
            <h2 id="confirm-h" class="sr-only">{i18n.tr(T::BookSeat)}</h2>
            <p class="chosen">{summary}</p>
            <p class="booking-message" role="alert" data-ok=move || message.with(|m| m.as_ref().is_some_and(|m| m.0)).to_string()>
                {move || message.get().map(|m| m.1)}
            </p>
            <button
                type="button"
                class="button book-seat"
                disabled=move || busy.get() || selected.get().is_none() || span.get().is_none()
                on:click=book
            >
                {move || i18n.tr(if busy.get() { T::Booking } else { T::BookSeat })}
            </button>
            {move || full().then(|| view! {
                <p class="note">{i18n.tr(T::RoomFull)}</p>
                <button type="button" class="button secondary join-waitlist" on:click=join.clone()>
                    {i18n.tr(T::JoinWaitlist)}
                </button>
            })}
        </section>
    }
}

/// The booking made: seat and time, the check-in window, the seat's
/// check-in QR code, the calendar file and the way to My reservations.
fn confirmation(i18n: I18n, c: BookingConfirmation) -> impl IntoView {
    let api = use_api();
    let locale = i18n.locale();
    let english = locale.is_english();
    let b = c.booking;
    let today = LocalTime::now().day;
    let day = parse_date(&b.date).map_or_else(|| b.date.clone(), |d| day_label(locale, d, today));
    let when = [
        day,
        " ".into(),
        span_text(&instant_hhmm(&b.starts_at), &instant_hhmm(&b.ends_at)),
    ]
    .concat();
    let place = [
        b.library_name.get(english),
        " · ",
        b.room_name.get(english),
        " · ",
        b.floor.get(english),
    ]
    .concat();
    let window = checkin_window(
        locale,
        &instant_hhmm(&b.checkin_opens_at),
        &instant_hhmm(&b.checkin_closes_at),
    );
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let link = [origin, b.checkin_path.clone()].concat();
    let qr = lazy_qr_code(link, i18n.tr(T::CheckInQr).to_owned());
    view! {
        <section class="booking-confirmed" aria-labelledby="confirmed-h">
            <h2 id="confirmed-h">
                <Icon name=IconName::Check />
                {i18n.tr(T::Booked)}
            </h2>
            <p class="confirmed-seat">{seat_name(locale, &b.seat_label)}</p>
            <p class="confirmed-when">{when}</p>
            <p class="muted">{place}</p>
            <p class="checkin-window" role="note">{window}</p>
            <div class="confirmed-qr">{qr}</div>
            <p class="muted">{i18n.tr(T::CheckInHint)}</p>
            <p class="confirmed-links">
                <a class="button secondary" href=api.booking_ics_url(b.id) download="">
                    {i18n.tr(T::AddToCalendar)}
                </a>
                <a class="button" href=BookingRoute::Mine.to_href()>{i18n.tr(T::SeeMyBookings)}</a>
            </p>
        </section>
    }
}
