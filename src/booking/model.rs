//! The booking rules the app shows before the patron runs into them, as
//! plain functions of the room's rules (served by `GET /api/rooms/{id}`)
//! and the time: the booking window's days, a day's slots, the ends a
//! start allows, the check-in window, leave limits, and the seat map's
//! filters and keyboard moves. The server enforces every rule; these only
//! keep the patron from choosing what it would refuse.
//!
//! Times are the library's (UTC+8): days count from 1970-01-01, minutes
//! from midnight.

use yuelan_api::OpeningHours;
use yuelan_api::booking::{BookingRules, ClosedDay, Seat, SeatStatus};

/// The library's offset from UTC, in seconds.
const OFFSET_S: i64 = 8 * 3600;

/// `HH:MM` → minutes from midnight (24:00 allowed, as a closing time).
pub fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

/// Minutes from midnight → `HH:MM`.
pub fn hhmm(minute: u32) -> String {
    let (h, m) = (minute / 60, minute % 60);
    [two(h.into()), ":".into(), two(m.into())].concat()
}

fn two(n: i64) -> String {
    if (0..10).contains(&n) {
        ["0", &n.to_string()].concat()
    } else {
        n.to_string()
    }
}

// The library's calendar (shared with the server): `parse_date` reads a
// `YYYY-MM-DD` date that exists, `ymd` writes one, `civil` gives the
// (year, month, day) of a day count, `weekday` its ISO weekday.
pub use yuelan_api::calendar::{civil_from_days as civil, format_date as ymd, parse_date, weekday};

/// A moment in the library's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub day: i64,
    pub minute: u32,
}

impl LocalTime {
    /// The library's time at `unix_ms`.
    pub fn from_unix_ms(unix_ms: f64) -> LocalTime {
        Self::from_unix_s((unix_ms / 1000.0).floor() as i64)
    }

    pub fn from_unix_s(unix_s: i64) -> LocalTime {
        let local = unix_s + OFFSET_S;
        LocalTime {
            day: local.div_euclid(86_400),
            minute: (local.rem_euclid(86_400) / 60) as u32,
        }
    }

    /// Minutes since 1970-01-01 00:00 in the library's time.
    pub fn stamp(self) -> i64 {
        self.day * 1440 + i64::from(self.minute)
    }

    /// The device's clock now.
    pub fn now() -> LocalTime {
        Self::from_unix_ms(js_sys::Date::now())
    }
}

/// An RFC 3339 instant (`2026-12-01T09:00:00+08:00`, or `Z`) in the
/// library's time.
pub fn parse_instant(text: &str) -> Option<LocalTime> {
    let (date, rest) = text.split_once('T')?;
    let day = parse_date(date)?;
    let time = rest.get(..5)?;
    let minute = i64::from(parse_hhmm(time)?);
    let zone = rest
        .get(8..)?
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = if zone == "Z" {
        0
    } else {
        let sign = match zone.get(..1)? {
            "+" => 1,
            "-" => -1,
            _ => return None,
        };
        sign * i64::from(parse_hhmm(zone.get(1..)?)?)
    };
    let utc_minutes = day * 1440 + minute - offset;
    Some(LocalTime::from_unix_s(utc_minutes * 60))
}

/// The `HH:MM` of an instant in the library's time ("" when malformed).
pub fn instant_hhmm(text: &str) -> String {
    parse_instant(text)
        .map(|t| hhmm(t.minute))
        .unwrap_or_default()
}

/// A room's hours on `day`: `None` when it is closed (no hours that
/// weekday, or a closed day).
pub fn hours_on(hours: &[OpeningHours], closed: &[ClosedDay], day: i64) -> Option<(u32, u32)> {
    let date = ymd(day);
    if closed.iter().any(|c| c.date == date) {
        return None;
    }
    let wd = weekday(day);
    let h = hours.iter().find(|h| h.weekday == wd)?;
    let (o, c) = (parse_hhmm(&h.opens)?, parse_hhmm(&h.closes)?);
    (c > o).then_some((o, c))
}

/// One day of the booking window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayChoice {
    pub day: i64,
    /// Why it cannot be chosen, if it cannot.
    pub state: DayState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayState {
    Open,
    /// The room is closed that day.
    Closed,
    /// The last day of the window, bookable from `window_opens_at` today.
    OpensLater,
}

/// The days of the booking window from `now`: today to `days_ahead` days
/// on; the last one opens at `window_opens_at`.
pub fn window_days(
    rules: &BookingRules,
    hours: &[OpeningHours],
    closed: &[ClosedDay],
    now: LocalTime,
) -> Vec<DayChoice> {
    let opens_at = parse_hhmm(&rules.window_opens_at).unwrap_or(0);
    (0..=i64::from(rules.days_ahead.min(31)))
        .map(|ahead| {
            let day = now.day + ahead;
            let state = if hours_on(hours, closed, day).is_none() {
                DayState::Closed
            } else if ahead == i64::from(rules.days_ahead) && ahead > 0 && now.minute < opens_at {
                DayState::OpensLater
            } else {
                DayState::Open
            };
            DayChoice { day, state }
        })
        .collect()
}

/// The first day of the window a booking can be made on.
pub fn first_open_day(days: &[DayChoice]) -> Option<i64> {
    days.iter()
        .find(|d| d.state == DayState::Open)
        .map(|d| d.day)
}

/// Whether a booking may start at `start` on `day` at `now`: it has not
/// started longer ago than check-in allows (the server's "in the past").
pub fn start_allowed(rules: &BookingRules, day: i64, start: u32, now: LocalTime) -> bool {
    let starts = day * 1440 + i64::from(start);
    now.stamp() < starts + i64::from(rules.checkin_after_minutes)
}

/// The slots of a day open from `open` to `close`.
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

/// The ends a booking starting at `start` may have: on the slots, at least
/// `min_minutes` and at most `max_minutes` long, by closing time.
pub fn end_choices(rules: &BookingRules, start: u32, close: u32) -> Vec<u32> {
    let slot = rules.slot_minutes.max(1);
    let mut out = Vec::new();
    let mut end = start + slot;
    while end <= close && end - start <= rules.max_minutes {
        if end - start >= rules.min_minutes {
            out.push(end);
        }
        end += slot;
    }
    out
}

/// The start and end to offer first on `day`: the earliest start the
/// rules allow now, for the shortest length.
pub fn default_span(
    rules: &BookingRules,
    day_hours: Option<(u32, u32)>,
    day: i64,
    now: LocalTime,
) -> Option<(u32, u32)> {
    let (open, close) = day_hours?;
    let start = slots(open, close, rules.slot_minutes)
        .into_iter()
        .map(|(s, _)| s)
        .find(|s| start_allowed(rules, day, *s, now))?;
    let end = *end_choices(rules, start, close).first()?;
    Some((start, end))
}

/// Where a booking's check-in stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckinState {
    /// Not yet: opens in this many minutes.
    OpensIn(i64),
    /// Open: closes in this many minutes.
    Open(i64),
    Closed,
}

/// The check-in window `[opens, closes)` at `now`.
pub fn checkin_state(opens: LocalTime, closes: LocalTime, now: LocalTime) -> CheckinState {
    if now < opens {
        CheckinState::OpensIn(opens.stamp() - now.stamp())
    } else if now < closes {
        CheckinState::Open(closes.stamp() - now.stamp())
    } else {
        CheckinState::Closed
    }
}

/// The longest leave starting at `minute`: longer at meal times.
pub fn leave_minutes(rules: &BookingRules, minute: u32) -> u32 {
    let meal = rules
        .meal_times
        .iter()
        .any(|m| match (parse_hhmm(&m.start), parse_hhmm(&m.end)) {
            (Some(s), Some(e)) => (s..e).contains(&minute),
            _ => false,
        });
    if meal {
        rules.meal_leave_minutes
    } else {
        rules.leave_minutes
    }
}

/// The seat attributes the map filters by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub power: bool,
    pub window: bool,
    pub accessible: bool,
    pub quiet: bool,
}

impl Filters {
    /// Whether `seat` has every attribute asked for.
    pub fn matches(&self, seat: &Seat) -> bool {
        (!self.power || seat.power)
            && (!self.window || seat.window)
            && (!self.accessible || seat.accessible)
            && (!self.quiet || seat.quiet)
    }

    pub fn any(&self) -> bool {
        self.power || self.window || self.accessible || self.quiet
    }
}

/// "Any free seat": the first free seat (in label order) that matches the
/// filters, `None` when there is none.
pub fn any_free_seat<'a>(
    seats: &'a [Seat],
    status: impl Fn(i64) -> SeatStatus,
    filters: &Filters,
) -> Option<&'a Seat> {
    let mut free: Vec<&Seat> = seats
        .iter()
        .filter(|s| !s.closed && status(s.id) == SeatStatus::Free && filters.matches(s))
        .collect();
    free.sort_by(|a, b| a.label.cmp(&b.label));
    free.first().copied()
}

/// An arrow key on the seat map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

impl Direction {
    pub fn of_key(key: &str) -> Option<Direction> {
        Some(match key {
            "ArrowLeft" => Direction::Left,
            "ArrowRight" => Direction::Right,
            "ArrowUp" => Direction::Up,
            "ArrowDown" => Direction::Down,
            _ => return None,
        })
    }
}

/// The seat an arrow key moves to from `from`: the nearest seat in that
/// direction (within a 45° cone first, then anywhere on that side), or
/// `from` itself at the edge.
pub fn neighbour(seats: &[Seat], from: i64, dir: Direction) -> i64 {
    let Some(here) = seats.iter().find(|s| s.id == from) else {
        return seats.first().map_or(from, |s| s.id);
    };
    let ahead = |s: &Seat| -> Option<(i64, i64)> {
        let (dx, dy) = (i64::from(s.x - here.x), i64::from(s.y - here.y));
        let (along, across) = match dir {
            Direction::Right => (dx, dy),
            Direction::Left => (-dx, dy),
            Direction::Down => (dy, dx),
            Direction::Up => (-dy, dx),
        };
        (along > 0).then_some((along, across.abs()))
    };
    let best = |cone: bool| {
        seats
            .iter()
            .filter(|s| s.id != from)
            .filter_map(|s| ahead(s).map(|(along, across)| (s, along, across)))
            .filter(|(_, along, across)| !cone || across <= along)
            .min_by_key(|(s, along, across)| (along * along + 4 * across * across, s.id))
            .map(|(s, _, _)| s.id)
    };
    best(true).or_else(|| best(false)).unwrap_or(from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::booking::TimeSpan;

    fn rules() -> BookingRules {
        BookingRules {
            slot_minutes: 60,
            min_minutes: 60,
            max_minutes: 240,
            days_ahead: 7,
            window_opens_at: "07:00".into(),
            max_bookings_per_day: 2,
            checkin_before_minutes: 15,
            checkin_after_minutes: 15,
            leave_minutes: 30,
            meal_leave_minutes: 60,
            meal_times: vec![TimeSpan {
                start: "11:30".into(),
                end: "13:30".into(),
            }],
            violation_limit: 3,
            violation_window_days: 7,
            suspension_days: 7,
            offer_minutes: 10,
            rate_burst: 5,
            rate_per_minute: 6,
        }
    }

    fn hours() -> Vec<OpeningHours> {
        (2..=7)
            .map(|weekday| OpeningHours {
                weekday,
                opens: "09:00".into(),
                closes: "21:00".into(),
            })
            .collect()
    }

    fn seat(id: i64, label: &str, x: i32, y: i32) -> Seat {
        Seat {
            id,
            label: label.into(),
            code: String::new(),
            x,
            y,
            power: false,
            window: false,
            quiet: false,
            accessible: false,
            closed: false,
        }
    }

    #[test]
    fn dates_and_times_round_trip() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("9:30"), None);
        assert_eq!(parse_hhmm("09:60"), None);
        assert_eq!(hhmm(570), "09:30");
        let day = parse_date("2026-12-08").expect("a date");
        assert_eq!(ymd(day), "2026-12-08");
        assert_eq!(weekday(day), 2, "a Tuesday");
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-1-01"), None);
        let t = parse_instant("2026-12-08T09:15:00+08:00").expect("an instant");
        assert_eq!((t.day, t.minute), (day, 555));
        let z = parse_instant("2026-12-08T01:15:00Z").expect("an instant");
        assert_eq!(z, t);
        let late = parse_instant("2026-12-07T16:30:00.000Z").expect("an instant");
        assert_eq!(
            (late.day, late.minute),
            (day, 30),
            "UTC evening is the next day"
        );
        assert_eq!(parse_instant("yesterday"), None);
        assert_eq!(instant_hhmm("2026-12-08T21:00:00+08:00"), "21:00");
    }

    #[test]
    fn the_window_shows_closed_days_and_the_day_that_opens_later() {
        let sunday = parse_date("2026-12-06").unwrap_or_default();
        let closed = vec![ClosedDay {
            date: "2026-12-09".into(),
            reason: yuelan_api::LocalizedText::default(),
        }];
        let early = LocalTime {
            day: sunday,
            minute: 6 * 60,
        };
        let days = window_days(&rules(), &hours(), &closed, early);
        assert_eq!(days.len(), 8);
        assert_eq!(days[0].state, DayState::Open);
        assert_eq!(days[1].state, DayState::Closed, "no hours on Monday");
        assert_eq!(days[3].state, DayState::Closed, "a closed day");
        assert_eq!(days[7].state, DayState::OpensLater, "before 07:00");
        assert_eq!(first_open_day(&days), Some(sunday));
        let later = LocalTime {
            minute: 7 * 60,
            ..early
        };
        assert_eq!(
            window_days(&rules(), &hours(), &closed, later)[7].state,
            DayState::Open
        );
    }

    #[test]
    fn spans_follow_slots_lengths_and_the_check_in_window() {
        let r = rules();
        assert_eq!(slots(540, 600, 30), vec![(540, 570), (570, 600)]);
        assert_eq!(slots(540, 590, 60), vec![]);
        assert_eq!(end_choices(&r, 540, 1260), vec![600, 660, 720, 780]);
        assert_eq!(end_choices(&r, 1200, 1260), vec![1260]);
        assert_eq!(end_choices(&r, 1230, 1260), Vec::<u32>::new());
        let day = 20_000;
        let at = |minute| LocalTime { day, minute };
        assert!(start_allowed(&r, day, 600, at(614)));
        assert!(!start_allowed(&r, day, 600, at(615)));
        assert!(start_allowed(&r, day + 1, 0, at(1439)));
        assert_eq!(
            default_span(&r, Some((540, 1260)), day, at(620)),
            Some((660, 720))
        );
        assert_eq!(default_span(&r, Some((540, 1260)), day, at(1250)), None);
        assert_eq!(default_span(&r, None, day, at(0)), None);
    }

    #[test]
    fn check_in_and_leave() {
        let t = |minute| LocalTime { day: 1, minute };
        assert_eq!(
            checkin_state(t(585), t(615), t(580)),
            CheckinState::OpensIn(5)
        );
        assert_eq!(
            checkin_state(t(585), t(615), t(585)),
            CheckinState::Open(30)
        );
        assert_eq!(checkin_state(t(585), t(615), t(615)), CheckinState::Closed);
        assert_eq!(leave_minutes(&rules(), 700), 60);
        assert_eq!(leave_minutes(&rules(), 810), 30);
    }

    #[test]
    fn filters_and_any_free_seat() {
        let mut seats = vec![
            seat(1, "B01", 0, 0),
            seat(2, "A02", 10, 0),
            seat(3, "A01", 20, 0),
        ];
        seats[0].power = true;
        seats[2].closed = true;
        let free = |_| SeatStatus::Free;
        assert_eq!(
            any_free_seat(&seats, free, &Filters::default()).map(|s| s.id),
            Some(2)
        );
        let power = Filters {
            power: true,
            ..Filters::default()
        };
        assert_eq!(any_free_seat(&seats, free, &power).map(|s| s.id), Some(1));
        let taken = |id| {
            if id == 1 {
                SeatStatus::Taken
            } else {
                SeatStatus::Free
            }
        };
        assert_eq!(any_free_seat(&seats, taken, &power), None);
        assert!(power.any() && !Filters::default().any());
    }

    #[test]
    fn arrow_keys_move_to_the_nearest_seat_that_way() {
        let seats = vec![
            seat(1, "A01", 30, 90),
            seat(2, "A02", 90, 90),
            seat(3, "B01", 30, 190),
            seat(4, "B02", 90, 200),
        ];
        assert_eq!(neighbour(&seats, 1, Direction::Right), 2);
        assert_eq!(neighbour(&seats, 2, Direction::Right), 2, "the edge");
        assert_eq!(neighbour(&seats, 1, Direction::Down), 3);
        assert_eq!(neighbour(&seats, 4, Direction::Up), 2);
        assert_eq!(neighbour(&seats, 4, Direction::Left), 3);
        assert_eq!(neighbour(&seats, 99, Direction::Left), 1);
        assert_eq!(Direction::of_key("ArrowUp"), Some(Direction::Up));
        assert_eq!(Direction::of_key("a"), None);
    }
}
