//! The booking's entries on the Me timeline: offers waiting for an
//! answer, bookings under way and to come. The Me page (app level) merges
//! them with the other features' entries.

use yuelan_api::booking::{BookingStatus, MyBookings};

use crate::booking::model::{LocalTime, instant_hhmm, parse_date};
use crate::booking::route::BookingRoute;
use crate::components::icons::IconName;
use crate::components::timeline::{TimelineEntry, Urgency};
use crate::i18n::Locale;
use crate::i18n::Texts;
use crate::i18n::booking::{
    BookText as T, action_text, back_by, day_label, offer_until, seat_name, span_text, status_text,
};

/// The entries of the patron's bookings at `now`.
pub fn timeline_entries(mine: &MyBookings, locale: Locale, now: LocalTime) -> Vec<TimelineEntry> {
    let english = locale.is_english();
    let href = BookingRoute::Mine.to_href();
    mine.upcoming
        .iter()
        .filter_map(|b| {
            let day = parse_date(&b.date)?;
            let when = [
                day_label(locale, day, now.day),
                " ".into(),
                span_text(&instant_hhmm(&b.starts_at), &instant_hhmm(&b.ends_at)),
            ]
            .concat();
            let title = [
                b.room_name.get(english),
                " · ",
                &seat_name(locale, &b.seat_label),
            ]
            .concat();
            let (urgency, detail, action) = match b.status {
                BookingStatus::Offered => (
                    Urgency::Soon,
                    [
                        T::Offered.text(locale),
                        ": ",
                        &when,
                        " · ",
                        &offer_until(
                            locale,
                            &instant_hhmm(b.offer_expires_at.as_deref().unwrap_or_default()),
                        ),
                    ]
                    .concat(),
                    action_text(locale, yuelan_api::booking::BookingAction::Accept),
                ),
                BookingStatus::OnLeave => (
                    Urgency::Soon,
                    back_by(
                        locale,
                        &instant_hhmm(b.leave_until.as_deref().unwrap_or_default()),
                    ),
                    T::MyBookings.text(locale),
                ),
                BookingStatus::Booked | BookingStatus::CheckedIn => (
                    if day == now.day {
                        Urgency::Soon
                    } else {
                        Urgency::Later
                    },
                    [status_text(locale, b.status), " · ", &when].concat(),
                    T::MyBookings.text(locale),
                ),
                _ => return None,
            };
            Some(TimelineEntry {
                urgency,
                days: i32::try_from(day - now.day).unwrap_or(i32::MAX),
                icon: IconName::Booking,
                title,
                detail,
                action: Some((action.to_owned(), href.clone())),
            })
        })
        .collect()
}
