//! Calendar days in the library's time zone (China: UTC+8, no daylight
//! saving), whatever the device's zone is.

/// The library's offset from UTC, in milliseconds.
const LIBRARY_OFFSET_MS: f64 = 8.0 * 3_600_000.0;

/// Days since 1970-01-01 of the library's date at `unix_ms`.
pub fn library_day(unix_ms: f64) -> i64 {
    ((unix_ms + LIBRARY_OFFSET_MS) / 86_400_000.0).floor() as i64
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (H. Hinnant's algorithm).
pub fn ymd(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let two = |n: i64| {
        if n < 10 {
            ["0", &n.to_string()].concat()
        } else {
            n.to_string()
        }
    };
    [y.to_string(), two(m), two(d)].join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_days_follow_china_time() {
        assert_eq!(ymd(0), "1970-01-01");
        assert_eq!(ymd(20_786), "2026-11-29");
        assert_eq!(ymd(20_789), "2026-12-02");
        assert_eq!(ymd(11_016), "2000-02-29");
        // 2026-11-29 16:30 UTC is 2026-11-30 00:30 in Boluo.
        let ms = 1_795_969_800_000.0;
        assert_eq!(ymd(library_day(ms)), "2026-11-30");
        // 15:59 UTC is still the 29th there.
        assert_eq!(ymd(library_day(ms - 31.0 * 60_000.0)), "2026-11-29");
    }
}
