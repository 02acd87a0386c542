//! The booking rules as plain functions: times of day, slots, the booking
//! window, spans, the check-in window, leave allowances, suspensions, the
//! rate limit and `If-Match`. The values come from the `room_rules` and
//! `booking_rules` tables ([`RoomRules`], [`GlobalRules`]); nothing here
//! touches HTTP or SQL.

use yuelan_api::booking::{BookingRules, TimeSpan};
use yuelan_api::{ErrorCode, OpeningHours};

use crate::clock::{DAY, LOCAL_OFFSET_SECONDS};

/// The quantum of the booking constraint: every room's slots are whole
/// multiples of it and start on it, and `booking_slots` holds one row per
/// quantum of a booking.
pub const QUANTUM: i64 = 30 * 60;

/// The rules of one room (a row of `room_rules`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomRules {
    pub slot_minutes: u32,
    pub min_minutes: u32,
    pub max_minutes: u32,
    pub days_ahead: u32,
    /// Minutes after midnight.
    pub window_opens_at: u32,
    pub max_bookings_per_day: u32,
    pub checkin_before_minutes: u32,
    pub checkin_after_minutes: u32,
    pub leave_minutes: u32,
    pub meal_leave_minutes: u32,
    /// Minutes after midnight, start and end.
    pub meal_times: Vec<(u32, u32)>,
}

/// The rules of every room (rows of `booking_rules`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalRules {
    pub violation_limit: u32,
    pub violation_window_days: u32,
    pub suspension_days: u32,
    pub offer_minutes: u32,
    pub rate_burst: u32,
    pub rate_per_minute: u32,
}

impl Default for GlobalRules {
    fn default() -> Self {
        GlobalRules {
            violation_limit: 3,
            violation_window_days: 7,
            suspension_days: 7,
            offer_minutes: 10,
            rate_burst: 5,
            rate_per_minute: 6,
        }
    }
}

/// A time of day as `HH:MM`.
pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Reads `HH:MM` (00:00 to 24:00) as minutes after midnight.
pub fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= 24 * 60).then_some(minutes)
}

impl RoomRules {
    /// The rules as the API serves them, with the global ones.
    pub fn to_wire(&self, global: &GlobalRules) -> BookingRules {
        BookingRules {
            slot_minutes: self.slot_minutes,
            min_minutes: self.min_minutes,
            max_minutes: self.max_minutes,
            days_ahead: self.days_ahead,
            window_opens_at: hhmm(self.window_opens_at),
            max_bookings_per_day: self.max_bookings_per_day,
            checkin_before_minutes: self.checkin_before_minutes,
            checkin_after_minutes: self.checkin_after_minutes,
            leave_minutes: self.leave_minutes,
            meal_leave_minutes: self.meal_leave_minutes,
            meal_times: self
                .meal_times
                .iter()
                .map(|&(s, e)| TimeSpan {
                    start: hhmm(s),
                    end: hhmm(e),
                })
                .collect(),
            violation_limit: global.violation_limit,
            violation_window_days: global.violation_window_days,
            suspension_days: global.suspension_days,
            offer_minutes: global.offer_minutes,
            rate_burst: global.rate_burst,
            rate_per_minute: global.rate_per_minute,
        }
    }

    /// Seconds of a slot.
    pub fn slot_seconds(&self) -> i64 {
        i64::from(self.slot_minutes) * 60
    }

    /// The check-in window of a booking starting at `starts_at`: from
    /// `checkin_before_minutes` before to `checkin_after_minutes` after.
    pub fn checkin_window(&self, starts_at: i64) -> (i64, i64) {
        (
            starts_at - i64::from(self.checkin_before_minutes) * 60,
            starts_at + i64::from(self.checkin_after_minutes) * 60,
        )
    }

    /// Minutes of temporary leave allowed when it starts at `now`: the
    /// meal-time allowance inside a meal time, else the plain one.
    pub fn leave_allowance(&self, now: i64) -> u32 {
        let minute = minute_of_day(now);
        if self
            .meal_times
            .iter()
            .any(|&(s, e)| (s..e).contains(&minute))
        {
            self.meal_leave_minutes.max(self.leave_minutes)
        } else {
            self.leave_minutes
        }
    }
}

/// The ISO weekday (1 Monday .. 7 Sunday) of a local day count.
pub use yuelan_api::calendar::weekday;

/// Minutes after local midnight of an instant.
pub fn minute_of_day(instant: i64) -> u32 {
    ((instant + LOCAL_OFFSET_SECONDS).rem_euclid(DAY) / 60) as u32
}

/// The instant of a local day and minute of that day.
pub fn instant_of(day: i64, minute: u32) -> i64 {
    day * DAY + i64::from(minute) * 60 - LOCAL_OFFSET_SECONDS
}

/// A room's hours on a weekday, in minutes after midnight; `None` when it
/// is closed that weekday (or the hours are unreadable).
pub fn hours_on(hours: &[OpeningHours], weekday: u8) -> Option<(u32, u32)> {
    let h = hours.iter().find(|h| h.weekday == weekday)?;
    let (open, close) = (parse_hhmm(&h.opens)?, parse_hhmm(&h.closes)?);
    (open < close).then_some((open, close))
}

/// The slots of a day open from `open` to `close`: whole slots from
/// opening time; a remainder too short for a slot is not bookable.
pub fn slots(open: u32, close: u32, slot_minutes: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    if slot_minutes == 0 {
        return out;
    }
    let mut start = open;
    while start + slot_minutes <= close {
        out.push((start, start + slot_minutes));
        start += slot_minutes;
    }
    out
}

/// A span of one day a patron asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub day: i64,
    /// Minutes after midnight.
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn starts_at(&self) -> i64 {
        instant_of(self.day, self.start)
    }

    pub fn ends_at(&self) -> i64 {
        instant_of(self.day, self.end)
    }
}

/// What the day looks like for a room: its hours, or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayHours {
    Open(u32, u32),
    Closed,
}

/// Why a span cannot be booked, with when it could be (for
/// `booking_not_open`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub detail: String,
    pub opens_at: Option<i64>,
}

fn refuse(code: ErrorCode, detail: impl Into<String>) -> Refusal {
    Refusal {
        code,
        detail: detail.into(),
        opens_at: None,
    }
}

/// When the day `day` becomes bookable: `days_ahead` days before, at
/// `window_opens_at`.
pub fn window_opens(rules: &RoomRules, day: i64) -> i64 {
    instant_of(day - i64::from(rules.days_ahead), rules.window_opens_at)
}

/// Checks a span against the room's hours and rules at `now`, in order:
/// on the slots, the room open, long enough, not too long, not past, inside
/// the booking window.
pub fn check_span(rules: &RoomRules, hours: DayHours, span: Span, now: i64) -> Result<(), Refusal> {
    let (open, close) = match hours {
        DayHours::Open(o, c) => (o, c),
        DayHours::Closed => {
            return Err(refuse(
                ErrorCode::RoomClosed,
                "The room is closed that day.",
            ));
        }
    };
    if span.end <= span.start {
        return Err(refuse(
            ErrorCode::NotOnSlots,
            "The end is before the start.",
        ));
    }
    let on_slots = |m: u32| m >= open && (m - open).is_multiple_of(rules.slot_minutes.max(1));
    if span.start < open || span.end > close {
        return Err(refuse(
            ErrorCode::RoomClosed,
            format!(
                "The room is open from {} to {} that day.",
                hhmm(open),
                hhmm(close)
            ),
        ));
    }
    if !on_slots(span.start) || !on_slots(span.end) {
        return Err(refuse(
            ErrorCode::NotOnSlots,
            format!(
                "Bookings start and end on the room's {}-minute slots from {}.",
                rules.slot_minutes,
                hhmm(open)
            ),
        ));
    }
    let minutes = span.end - span.start;
    if minutes < rules.min_minutes {
        return Err(refuse(
            ErrorCode::BookingTooShort,
            format!("A booking lasts at least {} minutes.", rules.min_minutes),
        ));
    }
    if minutes > rules.max_minutes {
        return Err(refuse(
            ErrorCode::BookingTooLong,
            format!("A booking lasts at most {} minutes.", rules.max_minutes),
        ));
    }
    let (_, checkin_closes) = rules.checkin_window(span.starts_at());
    if now >= checkin_closes || now >= span.ends_at() {
        return Err(refuse(
            ErrorCode::BookingInPast,
            "The span has started too long ago to check in.",
        ));
    }
    let opens = window_opens(rules, span.day);
    if now < opens {
        return Err(Refusal {
            code: ErrorCode::BookingNotOpen,
            detail: format!(
                "Seats can be booked {} days ahead, from {} on.",
                rules.days_ahead,
                hhmm(rules.window_opens_at)
            ),
            opens_at: Some(opens),
        });
    }
    Ok(())
}

/// The starts of the quanta a span covers.
pub fn quanta(starts_at: i64, ends_at: i64) -> impl Iterator<Item = i64> {
    let first = starts_at.div_euclid(QUANTUM) * QUANTUM;
    (0..)
        .map(move |i| first + i * QUANTUM)
        .take_while(move |&q| q < ends_at)
}

/// The start of the quantum under way at `now`.
pub fn quantum_start(now: i64) -> i64 {
    now.div_euclid(QUANTUM) * QUANTUM
}

/// The last day of a suspension that starts on `today` when a violation
/// makes `violations` in the window, if it does.
pub fn suspension_after(violations: u32, today: i64, rules: &GlobalRules) -> Option<i64> {
    (rules.violation_limit > 0 && violations >= rules.violation_limit)
        .then(|| today + i64::from(rules.suspension_days.max(1)) - 1)
}

/// Whether a suspension whose last day is `until` is in force on `today`.
pub fn suspended(until: Option<i64>, today: i64) -> bool {
    until.is_some_and(|u| today <= u)
}

/// A patron's token bucket: `burst` requests at once, then
/// `per_minute` a minute.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TokenBucket {
    /// Tokens, in thousandths.
    pub milli_tokens: i64,
    /// When the bucket was last filled (Unix seconds).
    pub at: i64,
}

impl TokenBucket {
    /// A full bucket.
    pub fn full(rules: &GlobalRules, now: i64) -> Self {
        TokenBucket {
            milli_tokens: i64::from(rules.rate_burst) * 1000,
            at: now,
        }
    }

    /// Takes a token at `now`; otherwise answers the seconds until one is
    /// there (for `Retry-After`).
    pub fn take(&mut self, rules: &GlobalRules, now: i64) -> Result<(), i64> {
        let cap = i64::from(rules.rate_burst.max(1)) * 1000;
        // Tokens per second, in thousandths: per_minute * 1000 / 60.
        let per_second = i64::from(rules.rate_per_minute) * 1000 / 60;
        let elapsed = (now - self.at).max(0);
        self.milli_tokens = (self.milli_tokens + elapsed * per_second).min(cap);
        self.at = now.max(self.at);
        if self.milli_tokens >= 1000 {
            self.milli_tokens -= 1000;
            Ok(())
        } else if per_second == 0 {
            Err(60)
        } else {
            let missing = 1000 - self.milli_tokens;
            Err((missing + per_second - 1) / per_second)
        }
    }
}

/// The `ETag` of a version.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// Whether an `If-Match` header allows a change of a resource at
/// `version`: absent, `*`, or a list naming its current tag (weak or
/// strong).
pub fn if_match_allows(header: Option<&str>, version: u64) -> bool {
    let Some(header) = header else { return true };
    let current = etag(version);
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current || tag.strip_prefix("W/") == Some(current.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::days_from_civil;

    fn rules() -> RoomRules {
        RoomRules {
            slot_minutes: 60,
            min_minutes: 60,
            max_minutes: 240,
            days_ahead: 7,
            window_opens_at: 7 * 60,
            max_bookings_per_day: 2,
            checkin_before_minutes: 15,
            checkin_after_minutes: 15,
            leave_minutes: 30,
            meal_leave_minutes: 60,
            meal_times: vec![(11 * 60 + 30, 13 * 60 + 30), (17 * 60, 19 * 60)],
        }
    }

    /// Tuesday 2026-12-01.
    fn tuesday() -> i64 {
        days_from_civil(2026, 12, 1)
    }

    #[test]
    fn times_of_day_parse_strictly() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:01"), None);
        assert_eq!(parse_hhmm("9:30"), None);
        assert_eq!(parse_hhmm("09:60"), None);
        assert_eq!(parse_hhmm("0a:00"), None);
        assert_eq!(parse_hhmm("+9:00"), None);
        assert_eq!(hhmm(570), "09:30");
    }

    #[test]
    fn weekdays_and_local_instants() {
        assert_eq!(weekday(days_from_civil(2026, 11, 30)), 1, "a Monday");
        assert_eq!(weekday(tuesday()), 2);
        assert_eq!(weekday(days_from_civil(2026, 12, 6)), 7, "a Sunday");
        let nine = instant_of(tuesday(), 9 * 60);
        assert_eq!(crate::clock::rfc3339(nine), "2026-12-01T09:00:00+08:00");
        assert_eq!(minute_of_day(nine), 540);
    }

    #[test]
    fn slots_are_whole_from_opening_time() {
        assert_eq!(
            slots(540, 720, 60),
            vec![(540, 600), (600, 660), (660, 720)]
        );
        // 14:30 to 17:30 in hours leaves no remainder; 09:00 to 11:30 does.
        assert_eq!(slots(870, 1050, 60).len(), 3);
        assert_eq!(slots(540, 690, 60), vec![(540, 600), (600, 660)]);
        assert!(slots(540, 570, 60).is_empty());
        assert!(slots(540, 600, 0).is_empty());
    }

    #[test]
    fn spans_are_checked_in_order() {
        let r = rules();
        let day = tuesday();
        let hours = DayHours::Open(540, 1260);
        let span = |s, e| Span {
            day,
            start: s,
            end: e,
        };
        let monday_ten = instant_of(day - 1, 600);
        let code = |s: Span, now| check_span(&r, hours, s, now).err().map(|e| e.code);
        assert_eq!(code(span(600, 720), monday_ten), None);
        assert_eq!(
            check_span(&r, DayHours::Closed, span(600, 720), monday_ten)
                .unwrap_err()
                .code,
            ErrorCode::RoomClosed
        );
        assert_eq!(
            code(span(480, 600), monday_ten),
            Some(ErrorCode::RoomClosed)
        );
        assert_eq!(
            code(span(1200, 1320), monday_ten),
            Some(ErrorCode::RoomClosed)
        );
        assert_eq!(
            code(span(630, 750), monday_ten),
            Some(ErrorCode::NotOnSlots)
        );
        assert_eq!(
            code(span(720, 600), monday_ten),
            Some(ErrorCode::NotOnSlots)
        );
        assert_eq!(
            code(span(600, 600), monday_ten),
            Some(ErrorCode::NotOnSlots)
        );
        assert_eq!(
            code(span(600, 900), monday_ten),
            Some(ErrorCode::BookingTooLong)
        );
        let short = RoomRules {
            min_minutes: 120,
            ..rules()
        };
        assert_eq!(
            check_span(&short, hours, span(600, 660), monday_ten)
                .unwrap_err()
                .code,
            ErrorCode::BookingTooShort
        );
        // A span under way can be booked while its check-in window is open.
        let ten_ten = instant_of(day, 610);
        assert_eq!(code(span(600, 720), ten_ten), None);
        let ten_fifteen = instant_of(day, 615);
        assert_eq!(
            code(span(600, 720), ten_fifteen),
            Some(ErrorCode::BookingInPast)
        );
    }

    #[test]
    fn the_booking_window_opens_days_ahead_at_its_time() {
        let r = rules();
        let day = tuesday();
        let span = Span {
            day,
            start: 600,
            end: 660,
        };
        let hours = DayHours::Open(540, 1260);
        // Seven days before, at 06:59, it is not open; at 07:00 it is.
        let before = instant_of(day - 7, 7 * 60 - 1);
        let refusal = check_span(&r, hours, span, before).unwrap_err();
        assert_eq!(refusal.code, ErrorCode::BookingNotOpen);
        assert_eq!(refusal.opens_at, Some(instant_of(day - 7, 420)));
        assert!(check_span(&r, hours, span, before + 60).is_ok());
        assert_eq!(
            check_span(&r, hours, span, instant_of(day - 8, 1000))
                .unwrap_err()
                .code,
            ErrorCode::BookingNotOpen
        );
    }

    #[test]
    fn the_checkin_window_is_fifteen_minutes_either_side() {
        let r = rules();
        let start = instant_of(tuesday(), 600);
        assert_eq!(r.checkin_window(start), (start - 900, start + 900));
    }

    #[test]
    fn leave_is_longer_at_meal_times() {
        let r = rules();
        let at = |m| instant_of(tuesday(), m);
        assert_eq!(r.leave_allowance(at(11 * 60 + 29)), 30);
        assert_eq!(r.leave_allowance(at(11 * 60 + 30)), 60);
        assert_eq!(r.leave_allowance(at(13 * 60 + 29)), 60);
        assert_eq!(r.leave_allowance(at(13 * 60 + 30)), 30);
        assert_eq!(r.leave_allowance(at(18 * 60)), 60);
        assert_eq!(r.leave_allowance(at(19 * 60)), 30);
    }

    #[test]
    fn quanta_cover_a_span() {
        let s = instant_of(tuesday(), 600);
        let q: Vec<i64> = quanta(s, s + 5400).collect();
        assert_eq!(q, vec![s, s + 1800, s + 3600]);
        assert_eq!(quantum_start(s + 1799), s);
        assert_eq!(quanta(s, s).count(), 0);
    }

    #[test]
    fn three_violations_suspend_for_seven_days() {
        let g = GlobalRules::default();
        let today = tuesday();
        assert_eq!(suspension_after(2, today, &g), None);
        let until = suspension_after(3, today, &g);
        assert_eq!(until, Some(today + 6), "seven days, today included");
        assert!(suspended(until, today + 6));
        assert!(!suspended(until, today + 7));
        assert!(!suspended(None, today));
    }

    #[test]
    fn the_token_bucket_allows_a_burst_then_a_steady_rate() {
        let g = GlobalRules::default();
        let mut b = TokenBucket::full(&g, 1000);
        for _ in 0..5 {
            assert_eq!(b.take(&g, 1000), Ok(()));
        }
        assert_eq!(b.take(&g, 1000), Err(10), "6 a minute: one every 10 s");
        assert_eq!(b.take(&g, 1009), Err(1));
        assert_eq!(b.take(&g, 1010), Ok(()));
        assert!(b.take(&g, 1010).is_err());
        // A long pause fills it to the burst, no more.
        for _ in 0..5 {
            assert_eq!(b.take(&g, 5000), Ok(()));
        }
        assert!(b.take(&g, 5000).is_err());
    }

    #[test]
    fn if_match_names_the_current_version() {
        assert!(if_match_allows(None, 3));
        assert!(if_match_allows(Some("\"3\""), 3));
        assert!(if_match_allows(Some("W/\"3\""), 3));
        assert!(if_match_allows(Some("\"1\", \"3\""), 3));
        assert!(if_match_allows(Some("*"), 3));
        assert!(!if_match_allows(Some("\"2\""), 3));
        assert!(!if_match_allows(Some("3"), 3));
    }
}
