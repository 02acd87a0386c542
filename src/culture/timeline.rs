//! The cultural cloud's entries on the Me timeline: the patron's
//! registrations (活动报名) and the programmes they have started. The Me
//! page (app level) loads them with [`load`] and merges them with the
//! other features' entries.

use leptos::prelude::*;
use yuelan_api::culture::{ContinueWatching, MyRegistrations, RegistrationStatus};

use super::route::CultureRoute;
use crate::api::{Slot, load_into, use_api};
use crate::components::icons::IconName;
use crate::components::timeline::{TimelineEntry, Urgency};
use crate::i18n::Locale;
use crate::i18n::Texts;
use crate::i18n::culture::{self as texts, CultureText as C};

/// What the Me page shows of the cultural cloud, loading.
#[derive(Clone, Copy)]
pub struct CultureTimeline {
    registrations: Slot<MyRegistrations>,
    progress: Slot<ContinueWatching>,
}

/// Loads the patron's registrations and unfinished programmes (again at
/// each sign-in and sign-out).
pub fn load() -> CultureTimeline {
    let api = use_api();
    let session = crate::session::use_session();
    let registrations: Slot<MyRegistrations> = RwSignal::new(None);
    let progress: Slot<ContinueWatching> = RwSignal::new(None);
    load_into(registrations, None, move || {
        session.generation();
        api.my_registrations()
    });
    load_into(progress, None, move || {
        session.generation();
        api.continue_watching()
    });
    CultureTimeline {
        registrations,
        progress,
    }
}

impl CultureTimeline {
    /// The entries (tracked); none of what failed to load.
    pub fn entries(&self, locale: Locale) -> Vec<TimelineEntry> {
        let today = today_number();
        let mut out = self.registrations.with(|r| match r {
            Some(Ok(r)) => registration_entries(r, locale, today),
            _ => Vec::new(),
        });
        out.extend(self.progress.with(|p| match p {
            Some(Ok(p)) => progress_entries(p, locale),
            _ => Vec::new(),
        }));
        out
    }
}

/// The day number (days since 1970-01-01) of a `YYYY-MM-DD…` text (a
/// date, or a time that starts with one).
pub fn day_number(ymd: &str) -> Option<i32> {
    let day = yuelan_api::calendar::parse_date(ymd.get(0..10)?)?;
    i32::try_from(day).ok()
}

/// Today's day number in the library's time (UTC+8).
fn today_number() -> i32 {
    yuelan_api::calendar::library_day(js_sys::Date::now()) as i32
}

/// Registered and waiting places, by the event's day.
pub fn registration_entries(r: &MyRegistrations, locale: Locale, today: i32) -> Vec<TimelineEntry> {
    let english = locale.is_english();
    r.registrations
        .iter()
        .filter(|reg| reg.status != RegistrationStatus::Cancelled)
        .map(|reg| {
            let days = day_number(&reg.starts_at).map_or(0, |d| d - today);
            let state = if reg.status == RegistrationStatus::Waiting {
                texts::waitlist(locale, reg.waitlist_position)
            } else {
                C::Registered.text(locale).to_owned()
            };
            let detail = [
                state,
                texts::when(locale, &reg.starts_at),
                [reg.library_name.get(english), " ", reg.place.get(english)].concat(),
            ]
            .join(" · ");
            TimelineEntry {
                urgency: if days <= 1 {
                    Urgency::Soon
                } else {
                    Urgency::Later
                },
                days,
                icon: IconName::Culture,
                title: reg.event_title.get(english).to_owned(),
                detail,
                action: Some((
                    C::Title.text(locale).to_owned(),
                    CultureRoute::Event(reg.event_id.clone()).to_href(),
                )),
            }
        })
        .collect()
}

/// Programmes started and not finished, to go on with.
pub fn progress_entries(p: &ContinueWatching, locale: Locale) -> Vec<TimelineEntry> {
    let english = locale.is_english();
    p.items
        .iter()
        .filter(|i| !i.progress.finished)
        .map(|i| TimelineEntry {
            urgency: Urgency::Later,
            days: 0,
            icon: IconName::Culture,
            title: i.programme.title.get(english).to_owned(),
            detail: texts::stopped_at(
                locale,
                i.progress.position_seconds,
                i.progress.duration_seconds,
            ),
            action: Some((
                C::ContinueWatching.text(locale).to_owned(),
                CultureRoute::Programme(i.programme.id.clone()).to_href(),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::LocalizedText;
    use yuelan_api::culture::Registration;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-12-09T10:00:00+08:00"), Some(20_796));
        assert_eq!(day_number("2024-03-01"), Some(19_783));
        assert_eq!(day_number("soon"), None);
    }

    #[test]
    fn registrations_become_entries_by_day() {
        let reg = |id: i64, status, day: &str| Registration {
            id,
            status,
            event_id: ["ev-", &id.to_string()].concat(),
            event_title: LocalizedText::new("绘本故事会", "Storytime"),
            library_id: "county".into(),
            library_name: LocalizedText::new("县图书馆", "County Library"),
            place: LocalizedText::new("少儿区", "Children's area"),
            starts_at: [day, "T10:00:00+08:00"].concat(),
            ends_at: String::new(),
            waitlist_position: (status == RegistrationStatus::Waiting).then_some(2),
            created_at: String::new(),
        };
        let today = day_number("2026-12-07").unwrap_or_default();
        let list = MyRegistrations {
            registrations: vec![
                reg(1, RegistrationStatus::Registered, "2026-12-08"),
                reg(2, RegistrationStatus::Waiting, "2026-12-12"),
                reg(3, RegistrationStatus::Cancelled, "2026-12-09"),
            ],
        };
        let entries = registration_entries(&list, Locale::English, today);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].urgency, Urgency::Soon);
        assert_eq!(entries[0].days, 1);
        assert!(
            entries[0]
                .detail
                .starts_with("You are registered · 8 Dec 10:00")
        );
        assert_eq!(entries[1].urgency, Urgency::Later);
        assert!(entries[1].detail.contains("number 2 on the waitlist"));
        assert_eq!(
            entries[1].action.as_ref().map(|a| a.1.as_str()),
            Some("/culture/events/ev-2")
        );
    }
}
