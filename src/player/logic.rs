//! The player's pure logic: time labels, the retry schedule, the
//! keyboard's shortcuts, the data saver's choices and when to report
//! progress. Plain Rust with native tests; no browser here.

/// The speeds the speed menu offers.
pub const SPEEDS: [f64; 5] = [0.75, 1.0, 1.25, 1.5, 2.0];

/// How far ±10 s moves.
pub const SKIP_SECONDS: f64 = 10.0;

/// How often progress is reported while playing, in milliseconds.
pub const PROGRESS_EVERY_MS: f64 = 5_000.0;

/// Seconds behind the live edge at which the player counts as behind (and
/// offers to jump to it).
pub const LIVE_BEHIND_SECONDS: f64 = 12.0;

/// `m:ss`, or `h:mm:ss` from an hour; anything not a finite positive
/// number is `0:00`.
pub fn format_time(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.floor() as u64
    } else {
        0
    };
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A speed as the menu shows it: `1×`, `1.25×`, `0.75×`.
pub fn speed_label(speed: f64) -> String {
    let text = format!("{speed:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}×")
}

/// The wait before retry `attempt` (0-based) after a network failure, or
/// `None` once the player should stop retrying by itself and offer Retry:
/// 1, 2, 4, 8, 15, 15 s.
pub fn backoff_ms(attempt: u32) -> Option<u32> {
    const MAX_ATTEMPTS: u32 = 6;
    (attempt < MAX_ATTEMPTS).then(|| (1_000u32 << attempt.min(4)).min(15_000))
}

/// What a key does in the player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    TogglePlay,
    Back,
    Forward,
    Fullscreen,
    Mute,
    /// Next subtitle language (off, then each track).
    Subtitles,
}

/// The shortcut of `key` (a `KeyboardEvent.key`), if any. `on_control`:
/// the key was pressed on a button or the seek bar, which handle space and
/// the arrow keys themselves.
pub fn shortcut(key: &str, on_control: bool) -> Option<Shortcut> {
    match key {
        " " | "Spacebar" if !on_control => Some(Shortcut::TogglePlay),
        "ArrowLeft" if !on_control => Some(Shortcut::Back),
        "ArrowRight" if !on_control => Some(Shortcut::Forward),
        "k" | "K" => Some(Shortcut::TogglePlay),
        "j" | "J" => Some(Shortcut::Back),
        "l" | "L" => Some(Shortcut::Forward),
        "f" | "F" => Some(Shortcut::Fullscreen),
        "m" | "M" => Some(Shortcut::Mute),
        "c" | "C" => Some(Shortcut::Subtitles),
        _ => None,
    }
}

/// The subtitle language after `current` when cycling with `c`: off, then
/// each language in order, then off again.
pub fn next_subtitle(languages: &[String], current: Option<&str>) -> Option<String> {
    let next = match current.and_then(|c| languages.iter().position(|l| l == c)) {
        None => 0,
        Some(i) => i + 1,
    };
    languages.get(next).cloned()
}

/// Whether the data saver starts on: the browser reports that the patron
/// asked to save data, or a slow connection (`navigator.connection`).
pub fn saver_by_default(save_data: bool, effective_type: Option<&str>) -> bool {
    save_data || matches!(effective_type, Some("slow-2g" | "2g" | "3g"))
}

/// The index of the lowest-bandwidth level among `bitrates` (hls.js's
/// levels): what the data saver plays.
pub fn lowest_level(bitrates: &[u32]) -> Option<usize> {
    bitrates
        .iter()
        .enumerate()
        .min_by_key(|(i, b)| (**b, *i))
        .map(|(i, _)| i)
}

/// Where playback stands, for resume. Finished at the end or from 95% on,
/// as the server counts it.
pub fn is_finished(position: f64, duration: f64, ended: bool) -> bool {
    ended || (duration.is_finite() && duration > 0.0 && position >= duration * 0.95)
}

/// Reports progress at most every [`PROGRESS_EVERY_MS`] while playing.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgressThrottle {
    last_ms: Option<f64>,
}

impl ProgressThrottle {
    /// Whether a report is due at `now_ms` during playback; when it is,
    /// the clock starts again from `now_ms`.
    pub fn due(&mut self, now_ms: f64) -> bool {
        match self.last_ms {
            Some(last) if now_ms - last < PROGRESS_EVERY_MS && now_ms >= last => false,
            _ => {
                self.last_ms = Some(now_ms);
                true
            }
        }
    }

    /// A report was sent for another reason (pause, seek): the next timed
    /// one is a full period later.
    pub fn sent(&mut self, now_ms: f64) {
        self.last_ms = Some(now_ms);
    }
}

/// Where a seek lands: inside `[start, end]` (the seekable window), a
/// little before the end so that the player does not end at once.
pub fn clamp_seek(target: f64, start: f64, end: f64) -> f64 {
    if !target.is_finite() {
        return start;
    }
    let end = (end - 0.5).max(start);
    target.clamp(start, end)
}

/// The index of the chapter playing at `position` (chapters sorted by
/// start), if any.
pub fn chapter_at(starts: &[u32], position: f64) -> Option<usize> {
    starts.iter().rposition(|s| f64::from(*s) <= position)
}

/// Whether a live player is behind the edge enough to offer a jump.
pub fn behind_live(position: f64, edge: f64) -> bool {
    edge - position > LIVE_BEHIND_SECONDS
}

/// The time under the pointer on the seek bar: `x` from the bar's left
/// edge, in a bar `width` wide over `[start, end]`.
pub fn time_at(x: f64, width: f64, start: f64, end: f64) -> f64 {
    use std::cmp::Ordering::Greater;
    if width.partial_cmp(&0.0) != Some(Greater) || end.partial_cmp(&start) != Some(Greater) {
        return start;
    }
    start + (x / width).clamp(0.0, 1.0) * (end - start)
}

/// How the player plays HLS here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// hls.js over Media Source Extensions (quality choice works).
    HlsJs,
    /// The browser's own HLS (iOS Safari, WeChat on iOS).
    Native,
    /// Neither: only an audio file, if there is one.
    Unsupported,
}

/// hls.js wherever MSE exists (recent Chromium also claims native HLS,
/// but only hls.js lets the patron choose the quality); the browser's own
/// HLS where there is no MSE.
pub fn choose_engine(has_mse: bool, native_hls: bool) -> Engine {
    if has_mse {
        Engine::HlsJs
    } else if native_hls {
        Engine::Native
    } else {
        Engine::Unsupported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_clocks() {
        assert_eq!(format_time(0.0), "0:00");
        assert_eq!(format_time(9.99), "0:09");
        assert_eq!(format_time(75.0), "1:15");
        assert_eq!(format_time(3599.0), "59:59");
        assert_eq!(format_time(3661.0), "1:01:01");
        assert_eq!(format_time(f64::NAN), "0:00");
        assert_eq!(format_time(f64::INFINITY), "0:00");
        assert_eq!(format_time(-5.0), "0:00");
    }

    #[test]
    fn speeds_read_without_trailing_zeros() {
        let labels: Vec<String> = SPEEDS.iter().map(|s| speed_label(*s)).collect();
        assert_eq!(labels, ["0.75×", "1×", "1.25×", "1.5×", "2×"]);
    }

    #[test]
    fn retries_back_off_then_stop() {
        let waits: Vec<Option<u32>> = (0..8).map(backoff_ms).collect();
        assert_eq!(
            waits,
            [
                Some(1_000),
                Some(2_000),
                Some(4_000),
                Some(8_000),
                Some(15_000),
                Some(15_000),
                None,
                None
            ]
        );
        assert_eq!(backoff_ms(u32::MAX), None);
    }

    #[test]
    fn keys_map_to_actions_and_controls_keep_theirs() {
        assert_eq!(shortcut(" ", false), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut(" ", true), None);
        assert_eq!(shortcut("k", true), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut("J", false), Some(Shortcut::Back));
        assert_eq!(shortcut("ArrowLeft", false), Some(Shortcut::Back));
        assert_eq!(shortcut("ArrowRight", true), None);
        assert_eq!(shortcut("l", false), Some(Shortcut::Forward));
        assert_eq!(shortcut("f", false), Some(Shortcut::Fullscreen));
        assert_eq!(shortcut("m", false), Some(Shortcut::Mute));
        assert_eq!(shortcut("c", false), Some(Shortcut::Subtitles));
        assert_eq!(shortcut("x", false), None);
        assert_eq!(shortcut("Enter", false), None);
    }

    #[test]
    fn subtitles_cycle_through_off() {
        let langs = vec!["zh".to_owned(), "en".to_owned()];
        assert_eq!(next_subtitle(&langs, None).as_deref(), Some("zh"));
        assert_eq!(next_subtitle(&langs, Some("zh")).as_deref(), Some("en"));
        assert_eq!(next_subtitle(&langs, Some("en")), None);
        assert_eq!(next_subtitle(&langs, Some("fr")).as_deref(), Some("zh"));
        assert_eq!(next_subtitle(&[], None), None);
    }

    #[test]
    fn the_saver_starts_on_slow_or_metered_connections() {
        assert!(saver_by_default(true, Some("4g")));
        assert!(saver_by_default(false, Some("2g")));
        assert!(saver_by_default(false, Some("slow-2g")));
        assert!(saver_by_default(false, Some("3g")));
        assert!(!saver_by_default(false, Some("4g")));
        assert!(!saver_by_default(false, None));
    }

    #[test]
    fn the_saver_picks_the_lowest_bandwidth() {
        assert_eq!(lowest_level(&[500_000, 200_000, 900_000]), Some(1));
        assert_eq!(lowest_level(&[200_000, 200_000]), Some(0));
        assert_eq!(lowest_level(&[]), None);
    }

    #[test]
    fn finished_means_the_end_or_95_percent() {
        assert!(is_finished(10.0, 100.0, true));
        assert!(is_finished(95.0, 100.0, false));
        assert!(!is_finished(94.0, 100.0, false));
        assert!(!is_finished(5.0, f64::NAN, false));
        assert!(!is_finished(5.0, 0.0, false));
    }

    #[test]
    fn progress_is_reported_every_five_seconds() {
        let mut t = ProgressThrottle::default();
        assert!(t.due(0.0));
        assert!(!t.due(4_999.0));
        assert!(t.due(5_000.0));
        t.sent(6_000.0);
        assert!(!t.due(10_000.0));
        assert!(t.due(11_000.0));
        // A clock that went back does not silence reports.
        assert!(t.due(1_000.0));
    }

    #[test]
    fn seeks_stay_inside_the_window() {
        assert_eq!(clamp_seek(-3.0, 0.0, 60.0), 0.0);
        assert_eq!(clamp_seek(30.0, 0.0, 60.0), 30.0);
        assert_eq!(clamp_seek(90.0, 0.0, 60.0), 59.5);
        assert_eq!(clamp_seek(5.0, 20.0, 50.0), 20.0);
        assert_eq!(clamp_seek(f64::NAN, 20.0, 50.0), 20.0);
        assert_eq!(clamp_seek(10.0, 20.0, 20.0), 20.0);
    }

    #[test]
    fn chapters_and_live_edges() {
        assert_eq!(chapter_at(&[0, 30, 60], 45.0), Some(1));
        assert_eq!(chapter_at(&[0, 30, 60], 60.0), Some(2));
        assert_eq!(chapter_at(&[10, 30], 5.0), None);
        assert!(behind_live(10.0, 30.0));
        assert!(!behind_live(25.0, 30.0));
    }

    #[test]
    fn the_preview_time_follows_the_pointer() {
        assert_eq!(time_at(50.0, 200.0, 0.0, 120.0), 30.0);
        assert_eq!(time_at(-10.0, 200.0, 10.0, 120.0), 10.0);
        assert_eq!(time_at(500.0, 200.0, 0.0, 120.0), 120.0);
        assert_eq!(time_at(50.0, 0.0, 0.0, 120.0), 0.0);
        assert_eq!(time_at(50.0, 100.0, 0.0, f64::NAN), 0.0);
    }

    #[test]
    fn hls_js_wherever_mse_exists() {
        assert_eq!(choose_engine(true, true), Engine::HlsJs);
        assert_eq!(choose_engine(true, false), Engine::HlsJs);
        assert_eq!(choose_engine(false, true), Engine::Native);
        assert_eq!(choose_engine(false, false), Engine::Unsupported);
    }
}
