//! Percent-encoding of URL query components, in plain Rust so that it is
//! tested natively and costs no JS round trip.
//!
//! Encoding keeps only the RFC 3986 unreserved characters and escapes every
//! other byte of the UTF-8 text, so any string (Chinese, spaces, `&`, `#`,
//! `%`, quotes, angle brackets) survives a round trip through a URL.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` to `out`, percent-encoded as one query component.
pub fn encode_into(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0x0f)] as char);
        }
    }
}

/// `text`, percent-encoded as one query component.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text);
    out
}

/// Decodes one query component: `+` is a space, `%XX` a byte; a `%` not
/// followed by two hex digits stays as it is, and bytes that are not UTF-8
/// become U+FFFD. Never fails.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (hex_val(bytes.get(i + 1)), hex_val(bytes.get(i + 2))) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn hex_val(b: Option<&u8>) -> Option<u8> {
    match *b? {
        c @ b'0'..=b'9' => Some(c - b'0'),
        c @ b'a'..=b'f' => Some(c - b'a' + 10),
        c @ b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Splits a raw query string (with or without its leading `?`) into decoded
/// `(key, value)` pairs, skipping empty segments.
pub fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|seg| !seg.is_empty())
        .map(|seg| match seg.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(seg), String::new()),
        })
}

/// The (at most two, still percent-encoded) segments of `path` after its
/// first segment `section`, as a feature's route parser reads them:
/// `/booking/rooms/x` under `booking` is `(Some("rooms"), Some("x"))`.
/// `None` when the path is not under `section` or goes deeper. Empty
/// segments (a trailing slash) count as absent.
pub fn under<'a>(path: &'a str, section: &str) -> Option<(Option<&'a str>, Option<&'a str>)> {
    let mut parts = path.trim_matches('/').split('/');
    if parts.next() != Some(section) {
        return None;
    }
    let mut next = || parts.next().filter(|s| !s.is_empty());
    let (second, third) = (next(), next());
    if parts.next().is_some() {
        return None;
    }
    Some((second, third))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_under_a_section() {
        assert_eq!(under("/booking", "booking"), Some((None, None)));
        assert_eq!(under("/booking/", "booking"), Some((None, None)));
        assert_eq!(
            under("/booking/mine", "booking"),
            Some((Some("mine"), None))
        );
        assert_eq!(
            under("/booking/rooms/a%20b", "booking"),
            Some((Some("rooms"), Some("a%20b")))
        );
        assert_eq!(under("/booking/rooms/a/b", "booking"), None);
        assert_eq!(under("/bookings", "booking"), None);
        assert_eq!(under("/culture/x", "booking"), None);
    }

    #[test]
    fn round_trips_any_text() {
        for s in [
            "",
            "活着",
            "红楼梦 脂评本",
            "a&b=c#d?e",
            "100% <script>alert(1)</script>",
            "\"'`\\/",
            "emoji 📚",
            "+plus+",
        ] {
            assert_eq!(decode(&encode(s)), s, "{s}");
        }
    }

    #[test]
    fn encodes_chinese_as_utf8_bytes() {
        assert_eq!(encode("活着"), "%E6%B4%BB%E7%9D%80");
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(encode("A-z_0.~"), "A-z_0.~");
    }

    #[test]
    fn decoding_garbage_never_fails() {
        assert_eq!(decode("a+b"), "a b");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%E6%B4"), "\u{FFFD}");
        assert_eq!(decode("%41%62"), "Ab");
    }

    #[test]
    fn splits_pairs() {
        let p: Vec<_> = pairs("?q=%E6%B4%BB%E7%9D%80&&flag&x=1=2").collect();
        assert_eq!(
            p,
            vec![
                ("q".into(), "活着".into()),
                ("flag".into(), String::new()),
                ("x".into(), "1=2".into())
            ]
        );
    }
}
