//! Time: the clock every time-based rule reads, and the library's calendar.
//!
//! Instants are whole seconds since the Unix epoch (`i64`). The library's
//! local time is China Standard Time, UTC+8 all year round (China has no
//! daylight saving time), so a local date is a plain shift of the instant:
//! dates (`YYYY-MM-DD`: due dates, `pickup_by`, suspensions) are days of
//! that local calendar, and instants go out as RFC 3339 with `+08:00`.
//!
//! The server reads the time only through a [`Clock`]: [`SystemClock`] in
//! production, [`ManualClock`] in tests, which move it forward by hand to
//! reach idle timeouts, lock expiries and due dates.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The offset of the library's local time from UTC, in seconds (UTC+8).
pub const LOCAL_OFFSET_SECONDS: i64 = 8 * 3600;
/// The same offset as RFC 3339 writes it.
pub const LOCAL_OFFSET: &str = "+08:00";

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;

    /// The library's local date today, as days since 1970-01-01.
    fn today(&self) -> i64 {
        local_day(self.now())
    }
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

/// A clock that moves only when told to (tests).
#[derive(Debug)]
pub struct ManualClock {
    now: AtomicI64,
}

impl ManualClock {
    /// A clock standing at `now` (seconds since the Unix epoch).
    pub fn new(now: i64) -> Self {
        Self {
            now: AtomicI64::new(now),
        }
    }

    /// Sets the time.
    pub fn set(&self, now: i64) {
        self.now.store(now, Ordering::SeqCst);
    }

    /// Moves the time forward by `seconds`.
    pub fn advance_seconds(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Moves the time forward by `minutes`.
    pub fn advance_minutes(&self, minutes: i64) {
        self.advance_seconds(minutes * 60);
    }

    /// Moves the time forward by `days`.
    pub fn advance_days(&self, days: i64) {
        self.advance_seconds(days * DAY);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
}

/// The local date of an instant, as days since 1970-01-01.
pub fn local_day(instant: i64) -> i64 {
    (instant + LOCAL_OFFSET_SECONDS).div_euclid(DAY)
}

/// The instant of a local date and time of day.
pub fn local_instant(year: i64, month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    days_from_civil(year, month, day) * DAY + i64::from(hour) * 3600 + i64::from(minute) * 60
        - LOCAL_OFFSET_SECONDS
}

/// An instant as RFC 3339 in the library's local time, e.g.
/// `2026-11-29T21:30:00+08:00`.
pub fn rfc3339(instant: i64) -> String {
    let local = instant + LOCAL_OFFSET_SECONDS;
    let secs = local.rem_euclid(DAY);
    format!(
        "{}T{:02}:{:02}:{:02}{LOCAL_OFFSET}",
        format_date(local.div_euclid(DAY)),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

// The library's calendar: one copy, shared with the app.
pub use yuelan_api::calendar::{civil_from_days, days_from_civil, format_date, parse_date};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(19_723), "2024-01-01");
        assert_eq!(format_date(19_782), "2024-02-29");
        assert_eq!(format_date(-1), "1969-12-31");
        for days in -1000..30_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2024-04-31"), None);
        assert_eq!(parse_date("2024-4-01"), None);
        assert_eq!(parse_date("2024-04-0a"), None);
        assert_eq!(parse_date("+024-04-01"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn local_time_is_utc_plus_eight() {
        // 2026-11-29 16:00 UTC is 2026-11-30 00:00 in Boluo.
        let instant = days_from_civil(2026, 11, 29) * DAY + 16 * 3600;
        assert_eq!(rfc3339(instant), "2026-11-30T00:00:00+08:00");
        assert_eq!(format_date(local_day(instant)), "2026-11-30");
        assert_eq!(format_date(local_day(instant - 1)), "2026-11-29");
        assert_eq!(local_instant(2026, 11, 30, 0, 0), instant);
        assert_eq!(
            rfc3339(local_instant(2026, 11, 30, 9, 5) + 7),
            "2026-11-30T09:05:07+08:00"
        );
    }

    #[test]
    fn the_manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(1000);
        assert_eq!(clock.now(), 1000);
        clock.advance_minutes(2);
        assert_eq!(clock.now(), 1120);
        clock.advance_days(1);
        assert_eq!(clock.now(), 1120 + DAY);
        clock.set(5);
        assert_eq!(clock.now(), 5);
    }
}
