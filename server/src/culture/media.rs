//! The cultural cloud's media: the assets programmes and live events play
//! ([`ASSETS`]), the HLS playlists the server writes from their metadata
//! (master playlists with subtitle renditions, the simulated live stream's
//! sliding window, replays, subtitle playlists), WebVTT subtitles and
//! chapters, and byte ranges of the files `make-media` generates.
//!
//! The media directory (`serve --media DIR`, or `YUELAN_MEDIA_DIR`) holds
//! one folder per asset: `{asset}/{rendition}/index.m3u8` with its
//! segments `seg_000.ts`..., `{asset}/poster.jpg`, and for audio assets
//! `{asset}/full.m4a`. Every segment lasts exactly
//! [`Asset::segment_seconds`] (keyframes are forced on the boundaries), so
//! the live and replay playlists are written from the metadata alone and
//! tests need no media.

use yuelan_api::culture::{MediaKind, Rendition};

/// A quality of an asset.
#[derive(Clone, Copy, Debug)]
pub struct RenditionSpec {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    /// Video bits per second (0 for audio-only).
    pub video_bps: u32,
    pub audio_bps: u32,
    pub codecs: &'static str,
}

impl RenditionSpec {
    /// The peak bandwidth the master playlist announces: the encoder's
    /// rate ceiling plus audio and the transport stream's overhead.
    pub fn bandwidth(&self) -> u32 {
        (self.video_bps + self.video_bps / 10 + self.audio_bps) / 100 * 115
    }

    pub fn to_wire(&self) -> Rendition {
        Rendition {
            name: self.name.to_owned(),
            width: self.width,
            height: self.height,
            bandwidth: self.bandwidth(),
            codecs: self.codecs.to_owned(),
        }
    }
}

/// What `make-media` draws and sounds for an asset (ffmpeg's lavfi
/// sources).
#[derive(Clone, Copy, Debug)]
pub struct Source {
    /// A lavfi video source without size, rate and duration (`testsrc2`).
    pub video: &'static str,
    /// A lavfi audio source without duration, used when there is no
    /// narration.
    pub audio: &'static str,
    /// Narration spoken by espeak-ng (voice, text), when it is installed.
    pub narration: Option<(&'static str, &'static str)>,
}

/// One cue of an asset's subtitles.
#[derive(Clone, Copy, Debug)]
pub struct Cue {
    pub start: u32,
    pub end: u32,
    pub zh: &'static str,
    pub en: &'static str,
}

/// A media asset.
#[derive(Clone, Copy, Debug)]
pub struct Asset {
    pub id: &'static str,
    pub kind: MediaKind,
    /// Length; a whole number of segments.
    pub seconds: u32,
    pub segment_seconds: u32,
    pub renditions: &'static [RenditionSpec],
    /// Subtitles in Chinese and English (empty: none).
    pub cues: &'static [Cue],
    pub source: Source,
}

impl Asset {
    /// Segments of each rendition.
    pub fn segments(&self) -> u32 {
        self.seconds.div_ceil(self.segment_seconds)
    }

    /// The subtitle languages.
    pub fn subtitle_languages(&self) -> Vec<String> {
        if self.cues.is_empty() {
            Vec::new()
        } else {
            vec!["zh".to_owned(), "en".to_owned()]
        }
    }
}

const H264_AAC: &str = "avc1.42c01e,mp4a.40.2";

const VIDEO: &[RenditionSpec] = &[
    RenditionSpec {
        name: "240p",
        width: 426,
        height: 240,
        video_bps: 300_000,
        audio_bps: 64_000,
        codecs: H264_AAC,
    },
    RenditionSpec {
        name: "144p",
        width: 256,
        height: 144,
        video_bps: 120_000,
        audio_bps: 48_000,
        codecs: H264_AAC,
    },
];

const AUDIO: &[RenditionSpec] = &[RenditionSpec {
    name: "audio",
    width: 0,
    height: 0,
    video_bps: 0,
    audio_bps: 64_000,
    codecs: "mp4a.40.2",
}];

/// Every asset. `make-media` generates exactly these; the seed's
/// programmes and streamed events name them.
pub const ASSETS: &[Asset] = &[
    Asset {
        id: "opera",
        kind: MediaKind::Video,
        seconds: 20,
        segment_seconds: 2,
        renditions: VIDEO,
        cues: &[
            Cue {
                start: 0,
                end: 4,
                zh: "（锣鼓声起）",
                en: "(Gongs and drums)",
            },
            Cue {
                start: 4,
                end: 9,
                zh: "罗浮山下，东江水长。",
                en: "Below Mount Luofu, the East River flows long.",
            },
            Cue {
                start: 9,
                end: 14,
                zh: "一曲粤韵，唱尽故乡情。",
                en: "One Cantonese air sings all our love for home.",
            },
            Cue {
                start: 14,
                end: 20,
                zh: "（掌声）",
                en: "(Applause)",
            },
        ],
        source: Source {
            video: "testsrc2",
            audio: "sine=frequency=330:beep_factor=4",
            narration: None,
        },
    },
    Asset {
        id: "lecture",
        kind: MediaKind::Video,
        seconds: 20,
        segment_seconds: 2,
        renditions: VIDEO,
        cues: &[
            Cue {
                start: 0,
                end: 5,
                zh: "欢迎来到博罗县图书馆文化讲堂。",
                en: "Welcome to the Boluo County Library lecture hall.",
            },
            Cue {
                start: 5,
                end: 10,
                zh: "今天我们讲罗浮山的历史。",
                en: "Today we talk about the history of Mount Luofu.",
            },
            Cue {
                start: 10,
                end: 15,
                zh: "葛洪在这里炼丹著书。",
                en: "Ge Hong made elixirs and wrote books here.",
            },
            Cue {
                start: 15,
                end: 20,
                zh: "谢谢大家。",
                en: "Thank you all.",
            },
        ],
        source: Source {
            video: "smptehdbars",
            audio: "sine=frequency=220",
            narration: Some((
                "cmn",
                "欢迎来到博罗县图书馆文化讲堂。今天我们讲罗浮山的历史。葛洪在这里炼丹著书。谢谢大家。",
            )),
        },
    },
    Asset {
        id: "concert",
        kind: MediaKind::Video,
        seconds: 16,
        segment_seconds: 2,
        renditions: VIDEO,
        cues: &[
            Cue {
                start: 0,
                end: 8,
                zh: "（古筝与二胡合奏）",
                en: "(Guzheng and erhu play together)",
            },
            Cue {
                start: 8,
                end: 16,
                zh: "（乐曲：《彩云追月》）",
                en: "(Music: Colourful Clouds Chasing the Moon)",
            },
        ],
        source: Source {
            video: "mandelbrot",
            audio: "aevalsrc=0.2*sin(2*PI*262*t)+0.15*sin(2*PI*330*t)+0.1*sin(2*PI*392*t):s=44100",
            narration: None,
        },
    },
    Asset {
        id: "children",
        kind: MediaKind::Video,
        seconds: 16,
        segment_seconds: 2,
        renditions: VIDEO,
        cues: &[
            Cue {
                start: 0,
                end: 6,
                zh: "小朋友们好！",
                en: "Hello, children!",
            },
            Cue {
                start: 6,
                end: 12,
                zh: "我们一起来读绘本。",
                en: "Let's read a picture book together.",
            },
            Cue {
                start: 12,
                end: 16,
                zh: "下次见！",
                en: "See you next time!",
            },
        ],
        source: Source {
            video: "life=mold=10:ratio=0.2:life_color=#00ff80:death_color=#203040",
            audio: "aevalsrc=0.25*sin(2*PI*(440+110*floor(2*t))*t):s=44100",
            narration: Some(("cmn", "小朋友们好！我们一起来读绘本。下次见！")),
        },
    },
    Asset {
        id: "story",
        kind: MediaKind::Audio,
        seconds: 16,
        segment_seconds: 2,
        renditions: AUDIO,
        cues: &[],
        source: Source {
            video: "",
            audio: "aevalsrc=0.2*sin(2*PI*196*t)*(1+0.5*sin(2*PI*0.5*t)):s=44100",
            narration: Some((
                "cmn",
                "博罗故事。很久以前，东江边上有一个小村庄，村里的人靠打鱼为生。",
            )),
        },
    },
    Asset {
        id: "live",
        kind: MediaKind::Video,
        seconds: 12,
        segment_seconds: 2,
        renditions: VIDEO,
        cues: &[],
        source: Source {
            video: "testsrc",
            audio: "sine=frequency=440:beep_factor=2",
            narration: None,
        },
    },
];

/// The asset `id`.
pub fn asset(id: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.id == id)
}

/// The path prefix of an asset's media.
pub fn asset_base(id: &str) -> String {
    format!("/api/culture/media/{id}")
}

/// The subtitle label of a language.
fn language_name(lang: &str) -> (&'static str, &'static str) {
    match lang {
        "zh" => ("中文", "Chinese"),
        _ => ("English", "English"),
    }
}

/// The label of a subtitle language.
pub fn subtitle_label(lang: &str) -> yuelan_api::LocalizedText {
    let (zh, en) = match lang {
        "zh" => ("中文字幕", "Chinese"),
        _ => ("英文字幕", "English"),
    };
    yuelan_api::LocalizedText::new(zh, en)
}

/// A master playlist: each rendition with `BANDWIDTH`, `RESOLUTION` and
/// `CODECS`, and the subtitle renditions (group `subs`). `media` makes a
/// rendition's media playlist URI from its name (relative URIs resolve
/// against the master's URL).
pub fn master_playlist(asset: &Asset, subtitles: bool, media: impl Fn(&str) -> String) -> String {
    let mut out = String::from("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    let subs = subtitles && !asset.cues.is_empty();
    if subs {
        for (i, lang) in ["zh", "en"].iter().enumerate() {
            let (name, _) = language_name(lang);
            out.push_str(&format!(
                "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"{name}\",LANGUAGE=\"{lang}\",DEFAULT={},AUTOSELECT=YES,URI=\"subs/{lang}.m3u8\"\n",
                if i == 0 { "YES" } else { "NO" }
            ));
        }
    }
    for r in asset.renditions {
        out.push_str(&format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={},CODECS=\"{}\"",
            r.bandwidth(),
            r.codecs
        ));
        if r.width > 0 {
            out.push_str(&format!(",RESOLUTION={}x{}", r.width, r.height));
        }
        if subs {
            out.push_str(",SUBTITLES=\"subs\"");
        }
        out.push('\n');
        out.push_str(&media(r.name));
        out.push('\n');
    }
    out
}

/// A subtitle media playlist: the whole WebVTT file as one segment.
pub fn subtitle_playlist(asset: &Asset, lang: &str) -> String {
    format!(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{s}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:{s}.000,\n{lang}.vtt\n#EXT-X-ENDLIST\n",
        s = asset.seconds
    )
}

/// `HH:MM:SS.mmm` of WebVTT.
pub fn vtt_time(seconds: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}.000",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// An asset's subtitles in `lang` (`zh` or `en`) as WebVTT, with the
/// timestamp map HLS players need for MPEG-TS segments (they start at 0).
pub fn subtitles_vtt(asset: &Asset, lang: &str) -> Option<String> {
    if asset.cues.is_empty() || !matches!(lang, "zh" | "en") {
        return None;
    }
    let mut out = String::from("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n");
    for (i, c) in asset.cues.iter().enumerate() {
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            vtt_time(c.start),
            vtt_time(c.end),
            if lang == "zh" { c.zh } else { c.en }
        ));
    }
    Some(out)
}

/// Chapters as a WebVTT chapters track: each chapter runs to the next one's
/// start, the last to the end.
pub fn chapters_vtt(chapters: &[(u32, String)], duration: u32) -> String {
    let mut out = String::from("WEBVTT\n");
    for (i, (start, title)) in chapters.iter().enumerate() {
        let end = chapters.get(i + 1).map_or(duration, |c| c.0).max(*start);
        out.push_str(&format!(
            "\nchapter-{}\n{} --> {}\n{}\n",
            i + 1,
            vtt_time(*start),
            vtt_time(end),
            title.replace("-->", "→")
        ));
    }
    out
}

/// Segments a live playlist lists at most.
pub const LIVE_WINDOW: u64 = 5;

/// The segments of a simulated live stream at an instant: segment `n` of
/// the event (its media sequence number) covers `[start + n·d, start +
/// (n+1)·d)` and is listed from its start on (the encoder publishes it
/// then); it plays the asset's segment `n mod segments`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveWindow {
    /// The media sequence number of the first segment listed.
    pub first: u64,
    /// Segments listed.
    pub count: u64,
    /// The event is over: the playlist ends (`#EXT-X-ENDLIST`).
    pub ended: bool,
}

/// The live window of an event `[starts_at, ends_at)` at `now`; `None`
/// before it starts.
pub fn live_window(asset: &Asset, starts_at: i64, ends_at: i64, now: i64) -> Option<LiveWindow> {
    if now < starts_at {
        return None;
    }
    let d = i64::from(asset.segment_seconds.max(1));
    let total = u64::try_from((ends_at - starts_at + d - 1) / d).unwrap_or(0);
    let ended = now >= ends_at;
    let published = if ended {
        total
    } else {
        u64::try_from((now - starts_at) / d + 1)
            .unwrap_or(0)
            .min(total)
    };
    let first = published.saturating_sub(LIVE_WINDOW);
    Some(LiveWindow {
        first,
        count: published - first,
        ended,
    })
}

/// The media playlist of segments `first..first + count` of an event
/// playing `asset` in a loop; `segment` makes the URI of the asset's
/// segment `i`. A discontinuity starts each new turn of the loop; with
/// `vod`, the playlist is a whole replay.
pub fn looped_playlist(
    asset: &Asset,
    window: LiveWindow,
    vod: bool,
    segment: impl Fn(u32) -> String,
) -> String {
    let n = u64::from(asset.segments().max(1));
    let mut out = format!(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{}\n#EXT-X-MEDIA-SEQUENCE:{}\n#EXT-X-DISCONTINUITY-SEQUENCE:{}\n",
        asset.segment_seconds,
        window.first,
        window.first / n
    );
    if vod {
        out.push_str("#EXT-X-PLAYLIST-TYPE:VOD\n");
    }
    for seq in window.first..window.first + window.count {
        if seq % n == 0 && seq > window.first {
            out.push_str("#EXT-X-DISCONTINUITY\n");
        }
        let i = u32::try_from(seq % n).unwrap_or(0);
        out.push_str(&format!(
            "#EXTINF:{}.000,\n{}\n",
            asset.segment_seconds,
            segment(i)
        ));
    }
    if window.ended || vod {
        out.push_str("#EXT-X-ENDLIST\n");
    }
    out
}

/// The segment file name of index `i`, as `make-media` writes it.
pub fn segment_name(i: u32) -> String {
    format!("seg_{i:03}.ts")
}

/// A byte range of a file of `len` bytes, from a `Range` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No range (or one the server ignores, such as several ranges): 200
    /// with the whole file.
    Whole,
    /// 206 with bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// 416: the range is outside the file.
    Unsatisfiable,
}

/// Reads a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against a
/// file of `len` bytes.
pub fn parse_range(header: Option<&str>, len: u64) -> RangeAnswer {
    let Some(spec) = header.map(str::trim) else {
        return RangeAnswer::Whole;
    };
    let Some(set) = spec.strip_prefix("bytes=") else {
        return RangeAnswer::Whole;
    };
    if set.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((a, b)) = set.trim().split_once('-') else {
        return RangeAnswer::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    let parse = |s: &str| s.parse::<u64>().ok();
    match (a.is_empty(), b.is_empty()) {
        (true, false) => match parse(b) {
            Some(0) => RangeAnswer::Unsatisfiable,
            Some(n) if len > 0 => RangeAnswer::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            Some(_) => RangeAnswer::Unsatisfiable,
            None => RangeAnswer::Whole,
        },
        (false, _) => {
            let Some(start) = parse(a) else {
                return RangeAnswer::Whole;
            };
            let end = if b.is_empty() {
                Some(u64::MAX)
            } else {
                parse(b)
            };
            match end {
                None => RangeAnswer::Whole,
                Some(end) if end < start => RangeAnswer::Whole,
                Some(_) if start >= len => RangeAnswer::Unsatisfiable,
                Some(end) => RangeAnswer::Part {
                    start,
                    end: end.min(len - 1),
                },
            }
        }
        (true, true) => RangeAnswer::Whole,
    }
}

/// The content type of a media file by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "m3u8" => "application/vnd.apple.mpegurl",
        "ts" => "video/mp2t",
        "m4s" | "mp4" => "video/mp4",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "vtt" => "text/vtt; charset=utf-8",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Whether a relative media path is one the server serves: two or three
/// components of letters, digits, `_`, `-` and one dot, none hidden.
pub fn safe_media_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && p.len() <= 40
                && p.matches('.').count() <= 1
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live() -> &'static Asset {
        asset("live").unwrap()
    }

    #[test]
    fn assets_are_whole_segments_and_unique() {
        for a in ASSETS {
            assert_eq!(a.seconds % a.segment_seconds, 0, "{}", a.id);
            assert!(!a.renditions.is_empty());
            assert_eq!(ASSETS.iter().filter(|b| b.id == a.id).count(), 1);
            for c in a.cues {
                assert!(c.start < c.end && c.end <= a.seconds, "{}", a.id);
            }
        }
        assert!(
            ASSETS
                .iter()
                .filter(|a| a.kind == MediaKind::Video && a.renditions.len() >= 2)
                .count()
                >= 3
        );
        assert!(ASSETS.iter().any(|a| a.kind == MediaKind::Audio));
    }

    #[test]
    fn the_master_playlist_names_renditions_and_subtitles() {
        let m = master_playlist(asset("opera").unwrap(), true, |r| format!("{r}/index.m3u8"));
        assert!(m.starts_with("#EXTM3U\n"));
        assert_eq!(m.matches("#EXT-X-STREAM-INF:").count(), 2);
        assert!(m.contains("RESOLUTION=426x240"));
        assert!(m.contains("CODECS=\"avc1.42c01e,mp4a.40.2\""));
        assert!(m.contains("TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"中文\",LANGUAGE=\"zh\""));
        assert!(m.contains("LANGUAGE=\"en\""));
        assert!(m.contains("SUBTITLES=\"subs\"\n240p/index.m3u8\n"));
        let a = master_playlist(asset("story").unwrap(), true, |r| format!("{r}/index.m3u8"));
        assert!(!a.contains("RESOLUTION") && !a.contains("SUBTITLES"));
        assert!(a.contains("CODECS=\"mp4a.40.2\""));
    }

    #[test]
    fn subtitles_and_chapters_are_webvtt() {
        let zh = subtitles_vtt(asset("opera").unwrap(), "zh").unwrap();
        assert!(zh.starts_with("WEBVTT\n"));
        assert!(zh.contains("00:00:04.000 --> 00:00:09.000\n罗浮山下"));
        assert!(subtitles_vtt(asset("opera").unwrap(), "fr").is_none());
        assert!(subtitles_vtt(asset("story").unwrap(), "zh").is_none());
        let ch = chapters_vtt(&[(0, "开场".into()), (65, "正文 --> 下".into())], 3700);
        assert!(ch.contains("00:00:00.000 --> 00:01:05.000\n开场"));
        assert!(ch.contains("00:01:05.000 --> 01:01:40.000\n正文 → 下"));
    }

    #[test]
    fn the_live_window_slides_and_ends() {
        let a = live();
        let start = 1_000_000;
        let end = start + 60;
        assert_eq!(live_window(a, start, end, start - 1), None);
        assert_eq!(
            live_window(a, start, end, start),
            Some(LiveWindow {
                first: 0,
                count: 1,
                ended: false
            })
        );
        assert_eq!(
            live_window(a, start, end, start + 9),
            Some(LiveWindow {
                first: 0,
                count: 5,
                ended: false
            })
        );
        assert_eq!(
            live_window(a, start, end, start + 20),
            Some(LiveWindow {
                first: 6,
                count: 5,
                ended: false
            })
        );
        assert_eq!(
            live_window(a, start, end, end + 100),
            Some(LiveWindow {
                first: 25,
                count: 5,
                ended: true
            })
        );
    }

    #[test]
    fn looped_playlists_mark_each_turn_and_count_discontinuities() {
        let a = live();
        // Six segments per turn; segments 4..9 cross the turn at 6.
        let p = looped_playlist(
            a,
            LiveWindow {
                first: 4,
                count: 5,
                ended: false,
            },
            false,
            segment_name,
        );
        assert!(p.contains("#EXT-X-MEDIA-SEQUENCE:4\n"));
        assert!(p.contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n"));
        assert_eq!(p.matches("#EXT-X-DISCONTINUITY\n").count(), 1);
        assert!(p.contains("seg_005.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\nseg_000.ts"));
        assert!(!p.contains("ENDLIST"));
        let p = looped_playlist(
            a,
            LiveWindow {
                first: 13,
                count: 5,
                ended: true,
            },
            false,
            segment_name,
        );
        assert!(p.contains("#EXT-X-DISCONTINUITY-SEQUENCE:2\n"));
        assert!(p.ends_with("#EXT-X-ENDLIST\n"));
        let vod = looped_playlist(
            a,
            LiveWindow {
                first: 0,
                count: 30,
                ended: true,
            },
            true,
            segment_name,
        );
        assert!(vod.contains("#EXT-X-PLAYLIST-TYPE:VOD"));
        assert_eq!(vod.matches("#EXTINF").count(), 30);
        assert_eq!(vod.matches("#EXT-X-DISCONTINUITY\n").count(), 4);
    }

    #[test]
    fn ranges_follow_rfc_9110() {
        use RangeAnswer::*;
        assert_eq!(parse_range(None, 100), Whole);
        assert_eq!(
            parse_range(Some("bytes=0-9"), 100),
            Part { start: 0, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=90-"), 100),
            Part { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=90-500"), 100),
            Part { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=-10"), 100),
            Part { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range(Some("bytes=-500"), 100),
            Part { start: 0, end: 99 }
        );
        assert_eq!(parse_range(Some("bytes=100-"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=5-2"), 100), Whole);
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 100), Whole);
        assert_eq!(parse_range(Some("items=0-1"), 100), Whole);
        assert_eq!(parse_range(Some("bytes=x-"), 100), Whole);
    }

    #[test]
    fn media_paths_stay_inside_the_directory() {
        assert!(safe_media_path("opera/240p/seg_000.ts"));
        assert!(safe_media_path("story/full.m4a"));
        for bad in [
            "../etc/passwd",
            "opera/../../x",
            "opera/.hidden",
            "a",
            "a/b/c/d",
            "opera//x.ts",
            "opera/a.b.c",
        ] {
            assert!(!safe_media_path(bad), "{bad}");
        }
        assert_eq!(content_type("seg_000.ts"), "video/mp2t");
        assert_eq!(content_type("index.m3u8"), "application/vnd.apple.mpegurl");
    }
}
