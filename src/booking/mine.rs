//! `/booking/mine`: the patron's reservations, upcoming (offers first) and
//! past, the waitlist, and any suspension with the day it ends. Each
//! booking offers the changes the server says it allows now (cancel,
//! check in inside its window, leave and return, end early, extend,
//! accept or decline an offer), each sent with `If-Match` for the version
//! shown; a stale one (412) shows the booking as it is now.

use leptos::prelude::*;
use yuelan_api::booking::{Booking, BookingAction, BookingStatus, MyBookings, WaitlistEntry};

use crate::api::{ApiError, Slot, load_into, use_api};
use crate::booking::booking_nav;
use crate::booking::errors::{current_booking, error_text};
use crate::booking::model::{
    CheckinState, LocalTime, checkin_state, end_choices, hhmm, hours_on, instant_hhmm, parse_date,
    parse_hhmm, parse_instant,
};
use crate::booking::route::{BookingRoute, RoomChoice};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::booking::{
    BookText as T, action_text, back_by, checkin_in, checkin_window, day_label, offer_until,
    seat_name, span_text, status_text, suspended_until, violations, waitlist_position,
};
use crate::i18n::{I18n, use_i18n};
use crate::session::{SignInReason, use_session};

/// The page at `/booking/mine`.
#[component]
pub fn MinePage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(T::MyBookings).to_owned());
    let api = use_api();
    let session = use_session();
    let retry = RwSignal::new(0u32);
    let mine: Slot<MyBookings> = RwSignal::new(None);
    load_into(mine, None, move || {
        retry.track();
        let _ = session.generation();
        api.my_bookings()
    });
    let body = move || match mine.get() {
        None => view! { <PageSkeleton /> }.into_any(),
        Some(Err(e)) if e.needs_sign_in() => {
            session.signed_out();
            view! {
                <section class="signed-out">
                    <p>{i18n.tr(T::SignInToSee)}</p>
                    <button
                        type="button"
                        class="button signin-button"
                        on:click=move |_| {
                            leptos::task::spawn_local(async move {
                                if session.ask(SignInReason::Other).await {
                                    retry.update(|n| *n = n.wrapping_add(1));
                                }
                            });
                        }
                    >
                        {i18n.tr(T::SignIn)}
                    </button>
                </section>
            }
            .into_any()
        }
        Some(Err(error)) => view! {
            <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
        }
        .into_any(),
        Some(Ok(m)) => untrack(|| mine_view(i18n, m, retry)),
    };
    view! {
        <div class="page booking-page mine-page">
            <h1>{i18n.tr(T::MyBookings)}</h1>
            {booking_nav(i18n)}
            {body}
        </div>
    }
}

fn mine_view(i18n: I18n, m: MyBookings, retry: RwSignal<u32>) -> AnyView {
    let locale = i18n.locale();
    let today = LocalTime::now().day;
    let suspended = m.suspended_until.as_deref().map(|until| {
        let day =
            parse_date(until).map_or_else(|| until.to_owned(), |d| day_label(locale, d, today));
        view! {
            <p class="booking-suspended" role="note">
                <Icon name=IconName::Alert />
                {suspended_until(locale, &day)}
            </p>
        }
    });
    let strikes = (m.violations > 0).then(|| {
        view! { <p class="muted violations">{violations(locale, m.violations)}</p> }
    });
    let upcoming = if m.upcoming.is_empty() {
        view! { <p class="empty-note">{i18n.tr(T::NoUpcoming)}</p> }.into_any()
    } else {
        let items = m
            .upcoming
            .into_iter()
            .map(|b| booking_card(i18n, b, retry))
            .collect_view();
        view! { <ul class="bookings">{items}</ul> }.into_any()
    };
    let waitlist = (!m.waitlist.is_empty()).then(|| {
        let items = m
            .waitlist
            .into_iter()
            .map(|w| waitlist_item(i18n, w))
            .collect_view();
        view! {
            <section aria-labelledby="waitlist-h">
                <h2 id="waitlist-h">{i18n.tr(T::Waitlist)}</h2>
                <ul class="bookings">{items}</ul>
            </section>
        }
    });
    let past = if m.past.is_empty() {
        view! { <p class="empty-note">{i18n.tr(T::NoPast)}</p> }.into_any()
    } else {
        let items = m
            .past
            .into_iter()
            .map(|b| booking_card(i18n, b, retry))
            .collect_view();
        view! { <ul class="bookings past">{items}</ul> }.into_any()
    };
    view! {
        {suspended}
        {strikes}
        <section aria-labelledby="upcoming-h">
            <h2 id="upcoming-h">{i18n.tr(T::Upcoming)}</h2>
            {upcoming}
        </section>
        {waitlist}
        <section aria-labelledby="past-h">
            <h2 id="past-h">{i18n.tr(T::Past)}</h2>
            {past}
        </section>
    }
    .into_any()
}

/// The time line of a booking: its status and what the patron must do
/// when ("check in from 08:45 to 09:15", "back by 12:30").
fn booking_when(i18n: I18n, b: &Booking) -> String {
    let locale = i18n.locale();
    let now = LocalTime::now();
    match b.status {
        BookingStatus::Offered => b
            .offer_expires_at
            .as_deref()
            .map(|t| offer_until(locale, &instant_hhmm(t)))
            .unwrap_or_default(),
        BookingStatus::Booked => {
            match (
                parse_instant(&b.checkin_opens_at),
                parse_instant(&b.checkin_closes_at),
            ) {
                (Some(o), Some(c)) => match checkin_state(o, c, now) {
                    CheckinState::Open(left) => checkin_in(locale, false, left),
                    CheckinState::OpensIn(m) if m <= 60 => checkin_in(locale, true, m),
                    _ => checkin_window(
                        locale,
                        &instant_hhmm(&b.checkin_opens_at),
                        &instant_hhmm(&b.checkin_closes_at),
                    ),
                },
                _ => String::new(),
            }
        }
        BookingStatus::OnLeave => b
            .leave_until
            .as_deref()
            .map(|t| back_by(locale, &instant_hhmm(t)))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn status_icon(status: BookingStatus) -> IconName {
    match status {
        BookingStatus::Offered => IconName::Hold,
        BookingStatus::Booked => IconName::Clock,
        BookingStatus::CheckedIn | BookingStatus::Completed => IconName::Check,
        BookingStatus::OnLeave => IconName::Transit,
        _ => IconName::Minus,
    }
}

fn booking_card(i18n: I18n, booking: Booking, retry: RwSignal<u32>) -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let locale = i18n.locale();
    let english = locale.is_english();
    let today = LocalTime::now().day;
    let row = RwSignal::new(booking);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let confirming_cancel = RwSignal::new(false);
    let extend_ends = RwSignal::new(None::<Vec<String>>);
    let id = row.with_untracked(|b| b.id);
    let title_id = ["booking-", &id.to_string()].concat();

    let act = move |action: BookingAction, extend_to: Option<String>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let seen = row.get_untracked();
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, move || {
                    api.change_booking(&seen, action, extend_to.as_deref())
                })
                .await;
            busy.try_set(false);
            confirming_cancel.try_set(false);
            extend_ends.try_set(None);
            match out {
                Ok(b) => {
                    let accepted_or_declined =
                        matches!(action, BookingAction::Accept | BookingAction::Decline);
                    row.try_set(b);
                    message.try_set(Some((true, i18n.tr(T::Done).to_owned())));
                    if accepted_or_declined {
                        retry.try_update(|n| *n = n.wrapping_add(1));
                    }
                }
                Err(e) => {
                    if let Some(current) = current_booking(&e) {
                        row.try_set(current);
                        message.try_set(Some((false, i18n.tr(T::ChangedElsewhere).to_owned())));
                    } else {
                        message.try_set(Some((false, error_text(i18n, &e))));
                    }
                }
            }
        });
    };

    // Extending: the ends the room's rules allow after this one.
    let open_extend = move || {
        let b = row.get_untracked();
        let request = api.room(&b.room_id);
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(room) => {
                    let (day, start, end) = (
                        parse_date(&b.date),
                        parse_instant(&b.starts_at),
                        parse_instant(&b.ends_at),
                    );
                    let ends = match (day, start, end) {
                        (Some(day), Some(start), Some(end)) if start.day == day => {
                            let close =
                                hours_on(&room.hours, &room.closed_days, day).map_or(0, |h| h.1);
                            end_choices(&room.rules, start.minute, close)
                                .into_iter()
                                .filter(|e| *e > end.minute || end.day > day)
                                .map(hhmm)
                                .collect()
                        }
                        _ => Vec::new(),
                    };
                    if ends.is_empty() {
                        message.try_set(Some((false, i18n.tr(T::ErrTooLong).to_owned())));
                    }
                    extend_ends.try_set(Some(ends));
                }
                Err(e) => {
                    message.try_set(Some((false, error_text(i18n, &e))));
                }
            }
        });
    };

    let actions = move || {
        let b = row.get();
        let buttons = b
            .actions
            .iter()
            .copied()
            .filter(|a| *a != BookingAction::Unknown)
            .map(|action| {
                let class = match action {
                    BookingAction::Cancel | BookingAction::Decline => "button secondary",
                    _ => "button",
                };
                let data = match action {
                    BookingAction::Cancel => "cancel",
                    BookingAction::CheckIn => "check_in",
                    BookingAction::Leave => "leave",
                    BookingAction::Return => "return",
                    BookingAction::End => "end",
                    BookingAction::Extend => "extend",
                    BookingAction::Accept => "accept",
                    _ => "decline",
                };
                view! {
                    <button
                        type="button"
                        class=class
                        data-action=data
                        disabled=move || busy.get()
                        on:click=move |_| match action {
                            BookingAction::Cancel => confirming_cancel.set(true),
                            BookingAction::Extend => open_extend(),
                            other => act(other, None),
                        }
                    >
                        {action_text(locale, action)}
                    </button>
                }
            })
            .collect_view();
        let ics = matches!(b.status, BookingStatus::Booked | BookingStatus::CheckedIn).then(|| {
            view! {
                <a class="button secondary" href=api.booking_ics_url(b.id) download="">
                    {i18n.tr(T::AddToCalendar)}
                </a>
            }
        });
        view! { <div class="booking-actions">{buttons}{ics}</div> }
    };

    let cancel_panel = move || {
        confirming_cancel.get().then(|| {
            view! {
                <div class="cancel-confirm" role="group" aria-label=i18n.tr(T::ConfirmCancel)>
                    <p>{i18n.tr(T::ConfirmCancel)}</p>
                    <button type="button" class="button danger confirm-cancel" on:click=move |_| act(BookingAction::Cancel, None)>
                        {action_text(locale, BookingAction::Cancel)}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| confirming_cancel.set(false)>
                        {i18n.tr(T::KeepBooking)}
                    </button>
                </div>
            }
        })
    };
    let extend_panel = move || {
        extend_ends.get().filter(|e| !e.is_empty()).map(|ends| {
            let choice = RwSignal::new(ends.first().cloned().unwrap_or_default());
            let options = ends
                .into_iter()
                .map(|e| view! { <option value=e.clone()>{e.clone()}</option> })
                .collect_view();
            view! {
                <div class="extend-panel">
                    <label class="booking-field">
                        <span>{i18n.tr(T::ExtendTo)}</span>
                        <select on:change=move |ev| choice.set(event_target_value(&ev))>{options}</select>
                    </label>
                    <button
                        type="button"
                        class="button confirm-extend"
                        on:click=move |_| {
                            let end = choice.get_untracked();
                            if parse_hhmm(&end).is_some() {
                                act(BookingAction::Extend, Some(end));
                            }
                        }
                    >
                        {action_text(locale, BookingAction::Extend)}
                    </button>
                </div>
            }
        })
    };

    let header = move || {
        row.with(|b| {
            let day =
                parse_date(&b.date).map_or_else(|| b.date.clone(), |d| day_label(locale, d, today));
            let when = [
                day,
                " ".into(),
                span_text(&instant_hhmm(&b.starts_at), &instant_hhmm(&b.ends_at)),
            ]
            .concat();
            let place = [
                b.room_name.get(english),
                " · ",
                b.library_name.get(english),
                " · ",
                b.floor.get(english),
            ]
            .concat();
            let room_href = BookingRoute::Room(b.room_id.clone(), RoomChoice::default()).to_href();
            view! {
                <p class="booking-status" data-status=status_key(b.status)>
                    <Icon name=status_icon(b.status) />
                    <strong>{status_text(locale, b.status)}</strong>
                </p>
                <p class="booking-when">{when}</p>
                <p class="muted"><a href=room_href>{place}</a></p>
                <p class="booking-due">{booking_when(i18n, b)}</p>
            }
        })
    };
    let seat = row.with_untracked(|b| seat_name(locale, &b.seat_label));
    view! {
        <li class="booking-card" aria-labelledby=title_id.clone() data-booking=id.to_string()>
            <h3 id=title_id.clone()>{seat}</h3>
            {header}
            {actions}
            {cancel_panel}
            {extend_panel}
            <p class="booking-message" role="status" data-ok=move || message.with(|m| m.as_ref().is_some_and(|m| m.0)).to_string()>
                {move || message.get().map(|m| m.1)}
            </p>
        </li>
    }
}

fn status_key(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Offered => "offered",
        BookingStatus::Booked => "booked",
        BookingStatus::CheckedIn => "checked_in",
        BookingStatus::OnLeave => "on_leave",
        BookingStatus::Completed => "completed",
        BookingStatus::Cancelled => "cancelled",
        BookingStatus::NoShow => "no_show",
        BookingStatus::LeaveOverrun => "leave_overrun",
        BookingStatus::Declined => "declined",
        BookingStatus::Expired => "expired",
        BookingStatus::Unknown => "unknown",
    }
}

fn waitlist_item(i18n: I18n, entry: WaitlistEntry) -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let locale = i18n.locale();
    let english = locale.is_english();
    let today = LocalTime::now().day;
    let gone = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let id = entry.id;
    let day =
        parse_date(&entry.date).map_or_else(|| entry.date.clone(), |d| day_label(locale, d, today));
    let when = [day, " ".into(), span_text(&entry.start, &entry.end)].concat();
    let leave = move |_| {
        leptos::task::spawn_local(async move {
            let out: Result<(), ApiError> = session
                .with_sign_in(SignInReason::Other, move || api.leave_waitlist(id))
                .await;
            match out {
                Ok(()) => {
                    gone.try_set(true);
                    message.try_set(Some(i18n.tr(T::LeftWaitlist).to_owned()));
                }
                Err(e) => {
                    message.try_set(Some(error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <li class="booking-card waitlist-entry">
            <h3>{entry.room_name.get(english).to_owned()}</h3>
            <p class="booking-when">{when}</p>
            <p>{waitlist_position(locale, entry.position)}</p>
            {move || (!gone.get()).then(|| view! {
                <button type="button" class="button secondary" on:click=leave>
                    {i18n.tr(T::LeaveWaitlist)}
                </button>
            })}
            <p class="booking-message" role="status">{move || message.get()}</p>
        </li>
    }
}
