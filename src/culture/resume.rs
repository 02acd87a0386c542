//! Resume anywhere: where a programme reopens, and the copy of the
//! position kept on the device.
//!
//! A signed-in patron's position is saved on the server (the newest save
//! wins, by the client's clock); every viewer's is also kept on the
//! device, so that a guest resumes too and a signed-in patron resumes
//! offline. A programme reopens at whichever copy is newer, from the
//! start when it was watched to the end. Plain Rust with native tests;
//! the storage is `crate::storage` (guarded localStorage).

use yuelan_api::culture::Progress;

use crate::storage;

/// A position watched to within this share of the end counts as finished
/// (the server's rule too).
const FINISHED_SHARE: f64 = 0.95;

/// Positions closer than this to the start are not worth resuming.
const MIN_RESUME_SECONDS: f64 = 5.0;

/// Where a viewer stopped in a programme, as kept on the device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Saved {
    pub position_seconds: f64,
    pub duration_seconds: f64,
    /// The device's clock when it was saved, in milliseconds since the
    /// Unix epoch.
    pub client_time_ms: i64,
    pub finished: bool,
}

impl Saved {
    /// Reads the stored form: `position duration time finished`, the
    /// first two in tenths of a second.
    pub fn parse(text: &str) -> Option<Saved> {
        let mut parts = text.split(' ');
        let position_seconds = parts.next()?.parse::<u32>().ok()? as f64 / 10.0;
        let duration_seconds = parts.next()?.parse::<u32>().ok()? as f64 / 10.0;
        let client_time_ms: i64 = parts.next()?.parse().ok()?;
        let finished = parts.next()? == "1";
        parts.next().is_none().then_some(Saved {
            position_seconds,
            duration_seconds,
            client_time_ms,
            finished,
        })
    }

    /// The stored form.
    pub fn to_text(self) -> String {
        let tenths = |s: f64| ((s * 10.0).round().max(0.0) as u32).to_string();
        [
            tenths(self.position_seconds),
            tenths(self.duration_seconds),
            self.client_time_ms.to_string(),
            (if self.finished { "1" } else { "0" }).to_owned(),
        ]
        .join(" ")
    }

    /// The server's copy, in the device's terms.
    pub fn of_server(p: &Progress) -> Saved {
        Saved {
            position_seconds: f64::from(p.position_seconds),
            duration_seconds: f64::from(p.duration_seconds),
            client_time_ms: p.client_time_ms,
            finished: p.finished,
        }
    }

    /// Whether this position is (near) the end.
    pub fn is_finished(self) -> bool {
        self.finished
            || (self.duration_seconds > 0.0
                && self.position_seconds >= self.duration_seconds * FINISHED_SHARE)
    }
}

/// The position a programme opens at: the newer of the server's and the
/// device's copies; the start when there is none, when it was finished,
/// or when it stopped in the first seconds.
pub fn start_at(server: Option<Saved>, device: Option<Saved>) -> f64 {
    let newer = match (server, device) {
        (Some(s), Some(d)) => Some(if d.client_time_ms > s.client_time_ms {
            d
        } else {
            s
        }),
        (s, d) => s.or(d),
    };
    match newer {
        Some(s) if !s.is_finished() && s.position_seconds >= MIN_RESUME_SECONDS => {
            s.position_seconds
        }
        _ => 0.0,
    }
}

/// The storage key of a programme's position on this device.
fn key(programme_id: &str) -> String {
    ["yuelan.culture.pos.", programme_id].concat()
}

/// The device's copy of the position in `programme_id`.
pub fn load(programme_id: &str) -> Option<Saved> {
    storage::load(&key(programme_id)).and_then(|t| Saved::parse(&t))
}

/// Keeps `saved` as the device's copy of the position in `programme_id`.
pub fn store(programme_id: &str, saved: Saved) {
    storage::save(&key(programme_id), &saved.to_text());
}

/// Whether `id` is a device id the server takes (8 to 64 letters, digits,
/// `-` or `_`).
pub fn valid_device_id(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A device id from random bytes: hexadecimal.
pub fn device_id_of(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// Where the device id is kept.
const DEVICE_KEY: &str = "yuelan.culture.device";

/// This device's id for counting a guest's views, made and kept the first
/// time it is asked for (a view counted twice a day is the worst that a
/// lost or weak id can do).
pub fn device_id() -> String {
    if let Some(id) = storage::load(DEVICE_KEY).filter(|id| valid_device_id(id)) {
        return id;
    }
    let id = device_id_of(&unique_bytes());
    storage::save(DEVICE_KEY, &id);
    id
}

thread_local! {
    static DRAWN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Sixteen bytes that differ at every call and between devices: the
/// clock and a call counter, mixed (splitmix64). Not for secrets: an id
/// of a guest's device, or a request's `Idempotency-Key`, which the
/// server scopes to the patron. (No `Math.random`: one more import of the
/// main module for nothing.)
pub fn unique_bytes() -> [u8; 16] {
    let n = DRAWN.with(|d| {
        let n = d.get().wrapping_add(1);
        d.set(n);
        n
    });
    let seed = js_sys::Date::now().to_bits() ^ n.rotate_left(48);
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let a = mix(seed.wrapping_add(0x9e37_79b9_7f4a_7c15));
    let b = mix(a ^ seed);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a.to_le_bytes());
    out[8..].copy_from_slice(&b.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(position: f64, time: i64) -> Saved {
        Saved {
            position_seconds: position,
            duration_seconds: 600.0,
            client_time_ms: time,
            finished: false,
        }
    }

    #[test]
    fn the_newer_copy_wins() {
        assert_eq!(start_at(None, None), 0.0);
        assert_eq!(start_at(Some(at(100.0, 10)), None), 100.0);
        assert_eq!(start_at(None, Some(at(120.0, 10))), 120.0);
        assert_eq!(start_at(Some(at(100.0, 20)), Some(at(120.0, 10))), 100.0);
        assert_eq!(start_at(Some(at(100.0, 10)), Some(at(120.0, 20))), 120.0);
        // A tie goes to the server's copy.
        assert_eq!(start_at(Some(at(100.0, 10)), Some(at(120.0, 10))), 100.0);
    }

    #[test]
    fn finished_or_barely_started_opens_at_the_start() {
        assert_eq!(start_at(Some(at(590.0, 10)), None), 0.0);
        assert_eq!(start_at(Some(at(3.0, 10)), None), 0.0);
        let mut done = at(100.0, 10);
        done.finished = true;
        assert_eq!(start_at(None, Some(done)), 0.0);
    }

    #[test]
    fn the_stored_form_reads_back_and_garbage_is_ignored() {
        let s = Saved {
            position_seconds: 12.3,
            duration_seconds: 60.0,
            client_time_ms: 1_765_000_000_000,
            finished: true,
        };
        assert_eq!(Saved::parse(&s.to_text()), Some(s));
        for bad in [
            "",
            "1 2 3",
            "x 2 3 0",
            "1 2 3 0 9",
            "-1 2 3 0",
            "NaN 2 3 0",
            "inf 1 2 0",
        ] {
            assert_eq!(Saved::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn device_ids_are_what_the_server_takes() {
        let id = device_id_of(&[0, 255, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(id, "00ff10010203040506070809");
        assert!(valid_device_id(&id));
        assert!(!valid_device_id("short"));
        assert!(!valid_device_id("has space in it"));
    }
}
