//! Opening hours: whether a library is open now, and its hours this week.
//!
//! Plain Rust with native tests. Times are minutes since local midnight in
//! the library's own time zone: the network is in China, UTC+8 all year
//! (no daylight saving), so the local time comes from the UTC clock plus
//! eight hours, never from the device's time zone (a patron's phone may be
//! set to another one).

use yuelan_api::OpeningHours;

/// Minutes in a day.
pub const DAY: u16 = 24 * 60;
/// An open library "closes soon" when it closes within this many minutes.
pub const CLOSING_SOON: u16 = 30;
/// The network's offset from UTC, in milliseconds (UTC+8, no DST).
const UTC_OFFSET_MS: f64 = 8.0 * 3600.0 * 1000.0;
const DAY_MS: f64 = 86_400_000.0;

/// One opening period of a day, in minutes since that day's midnight.
/// `closes` is after `opens`; it is past [`DAY`] when the period ends
/// after midnight (19:00–01:00 is 1140..1500).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    pub opens: u16,
    pub closes: u16,
}

/// The weekly hours of a library: the sessions of each weekday, Monday
/// first, sorted, overlapping ones merged. A day without sessions is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Week {
    days: [Vec<Session>; 7],
}

/// A moment in the network's local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    pub weekday: u8,
    /// Minutes since local midnight, below [`DAY`].
    pub minute: u16,
}

impl LocalTime {
    /// The local time at `ms` milliseconds since the Unix epoch (UTC), as
    /// `Date.now()` gives it. A value that is not a number counts as the
    /// epoch (a Thursday), so this never fails.
    pub fn from_utc_ms(ms: f64) -> LocalTime {
        let local = if ms.is_finite() {
            ms + UTC_OFFSET_MS
        } else {
            0.0
        };
        let days = (local / DAY_MS).floor();
        let minute = ((local - days * DAY_MS) / 60_000.0).floor();
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let weekday = (days as i64 + 3).rem_euclid(7) + 1;
        LocalTime {
            weekday: weekday as u8,
            minute: (minute as u16).min(DAY - 1),
        }
    }
}

/// Whether a library is open, as the patron needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenState {
    /// The library publishes no hours.
    NoHours,
    /// Open now; closes at `closes` (past [`DAY`]: after midnight).
    /// `soon` when that is within [`CLOSING_SOON`] minutes.
    Open { closes: u16, soon: bool },
    /// Closed now, and opens again later today.
    OpensToday { opens: u16 },
    /// Closed for the rest of today: opens `days_ahead` days from now
    /// (1 is tomorrow) on `weekday`. `closed_today` when it does not open
    /// at all today (rather than having closed already).
    OpensLater {
        closed_today: bool,
        days_ahead: u8,
        weekday: u8,
        opens: u16,
    },
}

/// One row of the hours table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayRow {
    /// ISO weekday: 1 is Monday.
    pub weekday: u8,
    /// Empty when closed.
    pub sessions: Vec<Session>,
    pub today: bool,
}

/// Parses `HH:MM` (also `H:MM`) from `00:00` to `24:00` into minutes.
pub fn parse_hhmm(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    // One or two ASCII digits (`parse` alone would take a sign).
    let digits = |s: &str| {
        let ok = (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| s.parse::<u16>().ok()).flatten()
    };
    let (h, m) = (digits(h)?, digits(m)?);
    (m <= 59 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// `HH:MM` of a minute of the day; a closing time past midnight shows the
/// next day's clock time, and midnight as a closing time is `24:00`.
pub fn hhmm(minute: u16) -> String {
    let m = if minute == DAY { DAY } else { minute % DAY };
    let (h, m) = (m / 60, m % 60);
    let mut out = String::with_capacity(5);
    for n in [h, m] {
        if !out.is_empty() {
            out.push(':');
        }
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    out
}

impl Week {
    /// The weekly hours from the contract's rows. Rows with a weekday
    /// outside 1–7 or an unreadable time are left out; a closing time at
    /// or before the opening time means the session ends after midnight
    /// (an equal one is left out: no one can tell what it means).
    pub fn from_hours(rows: &[OpeningHours]) -> Week {
        let mut week = Week::default();
        for row in rows {
            let (Some(opens), Some(closes)) = (parse_hhmm(&row.opens), parse_hhmm(&row.closes))
            else {
                continue;
            };
            if !(1..=7).contains(&row.weekday) || opens >= DAY || opens == closes {
                continue;
            }
            let closes = if closes < opens { closes + DAY } else { closes };
            week.days[usize::from(row.weekday - 1)].push(Session { opens, closes });
        }
        for day in &mut week.days {
            // An insertion sort: a day has a session or two, and the
            // standard library's sort is KBs of code (the record page's
            // chunk lost 3 KB brotli the same way).
            for i in 1..day.len() {
                let mut j = i;
                while j > 0 && day[j - 1].opens > day[j].opens {
                    day.swap(j - 1, j);
                    j -= 1;
                }
            }
            // Merge sessions that overlap or touch (09:00–12:00, 12:00–17:00).
            let mut merged: Vec<Session> = Vec::with_capacity(day.len());
            for s in day.drain(..) {
                match merged.last_mut() {
                    Some(last) if s.opens <= last.closes => last.closes = last.closes.max(s.closes),
                    _ => merged.push(s),
                }
            }
            *day = merged;
        }
        week
    }

    /// Whether no day has hours.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The sessions of ISO `weekday` (1 is Monday); none for other numbers.
    pub fn day(&self, weekday: u8) -> &[Session] {
        usize::from(weekday)
            .checked_sub(1)
            .and_then(|i| self.days.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the library is open at `now`, and if not, when it opens.
    pub fn state_at(&self, now: LocalTime) -> OpenState {
        if self.is_empty() {
            return OpenState::NoHours;
        }
        let m = now.minute;
        let open_until = |closes: u16| OpenState::Open {
            closes,
            soon: closes - m <= CLOSING_SOON,
        };
        // A session of yesterday that runs past midnight.
        let yesterday = if now.weekday <= 1 { 7 } else { now.weekday - 1 };
        if let Some(s) = self.day(yesterday).iter().find(|s| m + DAY < s.closes) {
            return open_until(s.closes - DAY);
        }
        let today = self.day(now.weekday);
        if let Some(s) = today.iter().find(|s| s.opens <= m && m < s.closes) {
            return open_until(s.closes);
        }
        if let Some(s) = today.iter().find(|s| s.opens > m) {
            return OpenState::OpensToday { opens: s.opens };
        }
        for days_ahead in 1..=7u8 {
            let weekday = (now.weekday.clamp(1, 7) - 1 + days_ahead) % 7 + 1;
            if let Some(s) = self.day(weekday).first() {
                return OpenState::OpensLater {
                    closed_today: today.is_empty(),
                    days_ahead,
                    weekday,
                    opens: s.opens,
                };
            }
        }
        // Unreachable: a week that is not empty has a first session.
        OpenState::NoHours
    }

    /// The rows of the hours table, Monday to Sunday, with `today` marked.
    pub fn rows(&self, today: u8) -> Vec<DayRow> {
        (1..=7u8)
            .map(|weekday| DayRow {
                weekday,
                sessions: self.day(weekday).to_vec(),
                today: weekday == today,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(weekday: u8, opens: &str, closes: &str) -> OpeningHours {
        OpeningHours {
            weekday,
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    fn at(weekday: u8, time: &str) -> LocalTime {
        LocalTime {
            weekday,
            minute: parse_hhmm(time).expect("a test time"),
        }
    }

    fn m(time: &str) -> u16 {
        parse_hhmm(time).expect("a test time")
    }

    /// The county library of the seed: Monday afternoon only, Tuesday to
    /// Sunday 09:00–21:00, plus a second Monday session for the tests.
    fn county() -> Week {
        let mut rows = vec![row(1, "14:30", "17:30"), row(1, "09:00", "11:30")];
        rows.extend((2..=7).map(|d| row(d, "09:00", "21:00")));
        Week::from_hours(&rows)
    }

    /// A village centre: Tuesday and Thursday afternoons, Saturday.
    fn village() -> Week {
        Week::from_hours(&[
            row(2, "14:30", "17:30"),
            row(4, "14:30", "17:30"),
            row(6, "09:00", "17:00"),
        ])
    }

    #[test]
    fn times_parse_and_print() {
        assert_eq!(parse_hhmm("09:00"), Some(540));
        assert_eq!(parse_hhmm("9:05"), Some(545));
        assert_eq!(parse_hhmm(" 21:30 "), Some(1290));
        assert_eq!(parse_hhmm("00:00"), Some(0));
        assert_eq!(parse_hhmm("24:00"), Some(DAY));
        for bad in [
            "24:01", "25:00", "12:60", "12", "", ":", "1:2:3", "ab:cd", "-1:00", "123:00", "12:5x",
            "+9:00",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(hhmm(540), "09:00");
        assert_eq!(hhmm(0), "00:00");
        assert_eq!(hhmm(1439), "23:59");
        assert_eq!(hhmm(DAY), "24:00");
        assert_eq!(hhmm(DAY + 60), "01:00");
    }

    #[test]
    fn local_time_is_utc_plus_8_whatever_the_device_says() {
        // 2024-01-01T00:00:00Z, a Monday: 08:00 in China.
        let monday = 1_704_067_200_000.0;
        assert_eq!(LocalTime::from_utc_ms(monday), at(1, "08:00"));
        // 15:59:59.999 UTC on Monday is 23:59 in China, still Monday;
        // one millisecond later it is Tuesday 00:00.
        let before_midnight = monday + 16.0 * 3600.0 * 1000.0 - 1.0;
        assert_eq!(LocalTime::from_utc_ms(before_midnight), at(1, "23:59"));
        assert_eq!(
            LocalTime::from_utc_ms(before_midnight + 1.0),
            at(2, "00:00")
        );
        // Sunday 2023-12-31T20:00Z is Monday 04:00 in China.
        assert_eq!(
            LocalTime::from_utc_ms(monday - 4.0 * 3600.0 * 1000.0),
            at(1, "04:00")
        );
        // Sunday evening in China.
        assert_eq!(
            LocalTime::from_utc_ms(monday - 10.0 * 3600.0 * 1000.0),
            at(7, "22:00")
        );
        // Before the epoch, and values that are not times.
        assert_eq!(LocalTime::from_utc_ms(-DAY_MS), at(3, "08:00"));
        assert_eq!(LocalTime::from_utc_ms(f64::NAN), at(4, "00:00"));
        assert_eq!(LocalTime::from_utc_ms(f64::INFINITY), at(4, "00:00"));
    }

    #[test]
    fn rows_are_read_defensively() {
        let week = Week::from_hours(&[
            row(0, "09:00", "17:00"),
            row(8, "09:00", "17:00"),
            row(2, "nine", "17:00"),
            row(2, "09:00", "09:00"),
            row(2, "24:00", "02:00"),
            row(3, "14:00", "17:00"),
            row(3, "09:00", "12:00"),
            row(3, "11:00", "12:30"),
            row(4, "09:00", "12:00"),
            row(4, "12:00", "17:00"),
        ]);
        assert_eq!(week.day(1), &[]);
        assert_eq!(week.day(2), &[], "bad times and equal times are left out");
        assert_eq!(
            week.day(3),
            &[
                Session {
                    opens: m("09:00"),
                    closes: m("12:30")
                },
                Session {
                    opens: m("14:00"),
                    closes: m("17:00")
                },
            ],
            "sorted, overlapping sessions merged"
        );
        assert_eq!(
            week.day(4),
            &[Session {
                opens: m("09:00"),
                closes: m("17:00")
            }],
            "touching sessions merged"
        );
        assert_eq!(week.day(0), &[]);
        assert_eq!(week.day(8), &[]);
        assert!(Week::from_hours(&[]).is_empty());
        assert!(Week::from_hours(&[row(9, "09:00", "10:00")]).is_empty());
    }

    #[test]
    fn open_now_until_closing_and_closing_soon() {
        let week = county();
        assert_eq!(
            week.state_at(at(3, "10:00")),
            OpenState::Open {
                closes: m("21:00"),
                soon: false
            }
        );
        // Exactly at the opening minute: open.
        assert_eq!(
            week.state_at(at(3, "09:00")),
            OpenState::Open {
                closes: m("21:00"),
                soon: false
            }
        );
        // 31 minutes before closing: not yet "soon"; 30 and 1: soon.
        assert_eq!(
            week.state_at(at(3, "20:29")),
            OpenState::Open {
                closes: m("21:00"),
                soon: false
            }
        );
        assert_eq!(
            week.state_at(at(3, "20:30")),
            OpenState::Open {
                closes: m("21:00"),
                soon: true
            }
        );
        assert_eq!(
            week.state_at(at(3, "20:59")),
            OpenState::Open {
                closes: m("21:00"),
                soon: true
            }
        );
    }

    #[test]
    fn closed_now_opens_later_today() {
        let week = county();
        // Exactly at the closing minute of the morning session: closed,
        // and it opens again this afternoon.
        assert_eq!(
            week.state_at(at(1, "11:30")),
            OpenState::OpensToday { opens: m("14:30") }
        );
        assert_eq!(
            week.state_at(at(1, "14:29")),
            OpenState::OpensToday { opens: m("14:30") }
        );
        assert_eq!(
            week.state_at(at(1, "14:30")),
            OpenState::Open {
                closes: m("17:30"),
                soon: false
            }
        );
        assert_eq!(
            week.state_at(at(1, "00:00")),
            OpenState::OpensToday { opens: m("09:00") }
        );
    }

    #[test]
    fn closed_for_the_day_opens_next_on_a_later_day() {
        let week = county();
        // Sunday at closing time: tomorrow (Monday) at 09:00.
        assert_eq!(
            week.state_at(at(7, "21:00")),
            OpenState::OpensLater {
                closed_today: false,
                days_ahead: 1,
                weekday: 1,
                opens: m("09:00"),
            }
        );
        let week = village();
        // Wednesday, closed all day: Thursday afternoon.
        assert_eq!(
            week.state_at(at(3, "10:00")),
            OpenState::OpensLater {
                closed_today: true,
                days_ahead: 1,
                weekday: 4,
                opens: m("14:30"),
            }
        );
        // Saturday after closing: next Tuesday, three days on.
        assert_eq!(
            week.state_at(at(6, "17:00")),
            OpenState::OpensLater {
                closed_today: false,
                days_ahead: 3,
                weekday: 2,
                opens: m("14:30"),
            }
        );
        // Sunday: Tuesday, across the end of the week.
        assert_eq!(
            week.state_at(at(7, "12:00")),
            OpenState::OpensLater {
                closed_today: true,
                days_ahead: 2,
                weekday: 2,
                opens: m("14:30"),
            }
        );
        // Open one day a week, after that day's session: the same weekday
        // a week on.
        let once = Week::from_hours(&[row(5, "19:00", "21:00")]);
        assert_eq!(
            once.state_at(at(5, "21:30")),
            OpenState::OpensLater {
                closed_today: false,
                days_ahead: 7,
                weekday: 5,
                opens: m("19:00"),
            }
        );
    }

    #[test]
    fn no_hours_published() {
        assert_eq!(Week::default().state_at(at(3, "10:00")), OpenState::NoHours);
        let unreadable = Week::from_hours(&[row(3, "?", "?")]);
        assert_eq!(unreadable.state_at(at(3, "10:00")), OpenState::NoHours);
    }

    #[test]
    fn sessions_past_midnight() {
        // Friday 19:00 to Saturday 01:00, and a Saturday afternoon.
        let week = Week::from_hours(&[row(5, "19:00", "01:00"), row(6, "14:00", "18:00")]);
        assert_eq!(
            week.day(5),
            &[Session {
                opens: m("19:00"),
                closes: DAY + 60
            }]
        );
        assert_eq!(
            week.state_at(at(5, "23:00")),
            OpenState::Open {
                closes: DAY + 60,
                soon: false
            }
        );
        assert_eq!(
            week.state_at(at(5, "23:45")),
            OpenState::Open {
                closes: DAY + 60,
                soon: false
            }
        );
        // Saturday after midnight: still Friday's session.
        assert_eq!(
            week.state_at(at(6, "00:30")),
            OpenState::Open {
                closes: m("01:00"),
                soon: true
            }
        );
        assert_eq!(
            week.state_at(at(6, "00:00")),
            OpenState::Open {
                closes: m("01:00"),
                soon: false
            }
        );
        // At its closing minute: closed, the afternoon is next.
        assert_eq!(
            week.state_at(at(6, "01:00")),
            OpenState::OpensToday { opens: m("14:00") }
        );
        // A Sunday session past midnight is seen on Monday.
        let sunday = Week::from_hours(&[row(7, "20:00", "00:30")]);
        assert_eq!(
            sunday.state_at(at(1, "00:10")),
            OpenState::Open {
                closes: m("00:30"),
                soon: true
            }
        );
        // Closing at midnight ("24:00" or "00:00").
        for closes in ["24:00", "00:00"] {
            let late = Week::from_hours(&[row(2, "18:00", closes)]);
            assert_eq!(
                late.day(2),
                &[Session {
                    opens: m("18:00"),
                    closes: DAY
                }]
            );
            assert_eq!(
                late.state_at(at(2, "23:59")),
                OpenState::Open {
                    closes: DAY,
                    soon: true
                }
            );
            assert_eq!(
                late.state_at(at(3, "00:00")),
                OpenState::OpensLater {
                    closed_today: true,
                    days_ahead: 6,
                    weekday: 2,
                    opens: m("18:00"),
                }
            );
        }
    }

    #[test]
    fn week_rows_run_monday_to_sunday_with_today_marked() {
        let rows = village().rows(4);
        assert_eq!(rows.len(), 7);
        assert_eq!(
            rows.iter().map(|r| r.weekday).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
        assert_eq!(
            rows.iter()
                .filter(|r| r.today)
                .map(|r| r.weekday)
                .collect::<Vec<_>>(),
            [4]
        );
        assert!(rows[0].sessions.is_empty(), "Monday is closed");
        assert_eq!(
            rows[5].sessions,
            [Session {
                opens: m("09:00"),
                closes: m("17:00")
            }]
        );
        assert_eq!(
            county().rows(1)[0].sessions.len(),
            2,
            "two sessions on Monday"
        );
        assert!(village().rows(9).iter().all(|r| !r.today));
    }
}
