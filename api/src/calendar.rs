//! The library's calendar, shared by the app and the reference server:
//! days counted from 1970-01-01, `YYYY-MM-DD` dates and the library's
//! day at an instant (China: UTC+8, no daylight saving), whatever the
//! device's or the server's time zone is. The civil-date conversions are
//! H. Hinnant's algorithms.

/// The library's offset from UTC, in seconds.
pub const LIBRARY_OFFSET_SECONDS: i64 = 8 * 3600;

/// Days since 1970-01-01 of a civil date (the inverse of
/// [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` of a day count since 1970-01-01. Written out by hand
/// rather than with `format!`, which the app's WASM would otherwise carry
/// for this alone.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(10);
    if (0..1000).contains(&y) {
        out.push_str(&"000"[..4 - digits(y)]);
    }
    out.push_str(&y.to_string());
    for n in [m, d] {
        out.push('-');
        if n < 10 {
            out.push('0');
        }
        out.push_str(&n.to_string());
    }
    out
}

/// How many decimal digits a year in `0..1000` has (at least one).
fn digits(y: i64) -> usize {
    match y {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

/// Reads a `YYYY-MM-DD` date that exists in the calendar; `None` otherwise.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    // A day past the end of its month lands in the next month.
    (civil_from_days(days) == (i64::from(year), month, day)).then_some(days)
}

/// The ISO weekday of a day count: 1 is Monday, 7 is Sunday.
pub fn weekday(days: i64) -> u8 {
    // 1970-01-01 was a Thursday.
    ((days + 3).rem_euclid(7) + 1) as u8
}

/// The library's day (days since 1970-01-01) at `unix_ms` milliseconds
/// since the epoch, as the browser's `Date.now()` gives it.
pub fn library_day(unix_ms: f64) -> i64 {
    ((unix_ms / 1000.0 + LIBRARY_OFFSET_SECONDS as f64) / 86_400.0).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for days in [-800_000, -1, 0, 1, 11_016, 20_786, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        // Dates are written and read with four-digit years.
        let first = days_from_civil(0, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        for days in [first, -1, 0, 1, 11_016, 20_786, last] {
            assert_eq!(parse_date(&format_date(days)), Some(days), "{days}");
        }
        assert_eq!(format_date(first), "0000-01-01");
        assert_eq!(format_date(last), "9999-12-31");
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(20_786), "2026-11-29");
        assert_eq!(format_date(11_016), "2000-02-29");
        assert_eq!(format_date(days_from_civil(7, 3, 9)), "0007-03-09");
        assert_eq!(format_date(days_from_civil(987, 12, 31)), "0987-12-31");
    }

    #[test]
    fn only_real_dates_parse() {
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        for bad in [
            "2023-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-10",
            "+202-01-10",
            "2026-01-1x",
            "2026/01/10",
            "2026-01-10T",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(0), 4, "1970-01-01 was a Thursday");
        assert_eq!(weekday(days_from_civil(2026, 11, 30)), 1, "a Monday");
        assert_eq!(weekday(days_from_civil(2026, 12, 6)), 7, "a Sunday");
        assert_eq!(weekday(-1), 3);
    }

    #[test]
    fn library_days_follow_china_time() {
        // 2026-11-29 16:30 UTC is 2026-11-30 00:30 in Boluo.
        let ms = 1_795_969_800_000.0;
        assert_eq!(format_date(library_day(ms)), "2026-11-30");
        // 15:59 UTC is still the 29th there.
        assert_eq!(format_date(library_day(ms - 31.0 * 60_000.0)), "2026-11-29");
    }
}
