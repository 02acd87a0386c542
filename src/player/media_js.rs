//! All of the player's JavaScript interop: loading hls.js (a script of
//! the app's own origin with its SRI hash, added only when a player
//! opens), driving an hls.js instance, the browser's HLS and MSE probes,
//! `navigator.connection`, text tracks, picture-in-picture, fullscreen and
//! the Media Session. Nothing here panics: a missing API is `None`/`false`.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlVideoElement};

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Calls `target[method](...args)`; `None` when there is no such method
/// or it throws.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = get(target, method)?.dyn_into::<Function>().ok()?;
    f.apply(target, &args.iter().collect::<Array>()).ok()
}

fn window() -> Option<JsValue> {
    web_sys::window().map(JsValue::from)
}

fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in entries {
        set(&o, k, v);
    }
    o.into()
}

/// Whether Media Source Extensions exist. iPhones' `ManagedMediaSource`
/// does not count: there Safari's own HLS player plays (and saves power).
pub fn has_mse() -> bool {
    window().is_some_and(|w| get(&w, "MediaSource").is_some())
}

/// Whether the video element plays HLS by itself.
pub fn native_hls(video: &HtmlVideoElement) -> bool {
    !video
        .can_play_type("application/vnd.apple.mpegurl")
        .is_empty()
}

/// `navigator.connection`'s `saveData` and `effectiveType`, where it
/// exists (Chromium, Android webviews).
pub fn connection_hint() -> (bool, Option<String>) {
    let connection = window()
        .and_then(|w| get(&w, "navigator"))
        .and_then(|n| get(&n, "connection"));
    let Some(c) = connection else {
        return (false, None);
    };
    let save = get(&c, "saveData")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    (save, get(&c, "effectiveType").and_then(|v| v.as_string()))
}

thread_local! {
    /// hls.js's script on its way, shared by every player of the page.
    static HLS_SCRIPT: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Why hls.js is not there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The build wrote no hls.js (a development build without it).
    NotInBuild,
    /// The script could not be fetched, or its hash did not match.
    Failed,
}

/// The `Hls` class, loading hls.js first if this page has not. The
/// script's URL and SRI hash come from the boot script's table
/// (`window.__yuelanScripts.hls`, written by `cargo xtask build`).
pub async fn load_hls() -> Result<JsValue, LoadError> {
    let w = window().ok_or(LoadError::Failed)?;
    if let Some(class) = get(&w, "Hls") {
        return Ok(class);
    }
    let promise = match HLS_SCRIPT.with(|s| s.borrow().clone()) {
        Some(p) => p,
        None => {
            let p = add_script(&w)?;
            HLS_SCRIPT.with(|s| *s.borrow_mut() = Some(p.clone()));
            p
        }
    };
    let loaded = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
    match get(&w, "Hls") {
        Some(class) if loaded => Ok(class),
        _ => {
            // Another attempt adds the script again, in a tag of its own.
            HLS_SCRIPT.with(|s| *s.borrow_mut() = None);
            if let Some(failed) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                d.query_selector("script[data-script=\"hls\"]")
                    .ok()
                    .flatten()
            }) {
                failed.remove();
            }
            Err(LoadError::Failed)
        }
    }
}

fn add_script(w: &JsValue) -> Result<Promise, LoadError> {
    let entry = get(w, "__yuelanScripts")
        .and_then(|t| get(&t, "hls"))
        .and_then(|e| e.dyn_into::<Array>().ok())
        .ok_or(LoadError::NotInBuild)?;
    let (src, sri) = (
        entry.get(0).as_string().ok_or(LoadError::NotInBuild)?,
        entry.get(1).as_string().ok_or(LoadError::NotInBuild)?,
    );
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(LoadError::Failed)?;
    let script = document
        .create_element("script")
        .map_err(|_| LoadError::Failed)?;
    for (k, v) in [
        ("src", src.as_str()),
        ("integrity", sri.as_str()),
        ("crossorigin", "anonymous"),
        ("data-script", "hls"),
    ] {
        script.set_attribute(k, v).map_err(|_| LoadError::Failed)?;
    }
    let promise = Promise::new(&mut |resolve, reject| {
        set(&script, "onload", &resolve);
        set(&script, "onerror", &reject);
    });
    document
        .head()
        .ok_or(LoadError::Failed)?
        .append_child(&script)
        .map_err(|_| LoadError::Failed)?;
    Ok(promise)
}

/// A fatal hls.js error, as the player needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HlsError {
    pub fatal: bool,
    /// `networkError`, `mediaError`, `muxError`, `otherError`...
    pub kind: String,
    /// hls.js's `details`, e.g. `manifestLoadError`, `fragLoadError`.
    pub details: String,
    /// The HTTP status of a failed load, when the server answered.
    pub status: Option<u16>,
}

impl HlsError {
    fn of(data: &JsValue) -> HlsError {
        let text = |k: &str| get(data, k).and_then(|v| v.as_string()).unwrap_or_default();
        HlsError {
            fatal: get(data, "fatal")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            kind: text("type"),
            details: text("details"),
            status: get(data, "response")
                .and_then(|r| get(&r, "code"))
                .and_then(|c| c.as_f64())
                .filter(|c| (100.0..600.0).contains(c))
                .map(|c| c as u16),
        }
    }
}

/// One quality of hls.js's levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    pub height: u32,
    pub bitrate: u32,
}

type Listener = Closure<dyn FnMut(JsValue, JsValue)>;

/// An hls.js instance and the listeners it calls; destroyed when dropped.
pub struct Hls {
    instance: JsValue,
    listeners: Vec<(&'static str, Listener)>,
}

impl Hls {
    /// A new instance of `class`, starting at `start` seconds (`-1`: the
    /// default, the live edge for live streams). The transmuxer runs on
    /// the page, not a worker: the CSP allows no `blob:` workers, and the
    /// segments are small.
    pub fn new(class: &JsValue, start: f64) -> Option<Hls> {
        let class = class.dyn_ref::<Function>()?;
        if !call(class, "isSupported", &[])
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
        {
            return None;
        }
        let config = object(&[
            ("enableWorker", JsValue::FALSE),
            ("startPosition", JsValue::from_f64(start)),
            ("backBufferLength", JsValue::from_f64(60.0)),
            ("capLevelToPlayerSize", JsValue::FALSE),
        ]);
        let instance = Reflect::construct(class, &Array::of1(&config)).ok()?;
        Some(Hls {
            instance,
            listeners: Vec::new(),
        })
    }

    fn on(&mut self, event: &'static str, f: impl FnMut(JsValue, JsValue) + 'static) {
        let listener: Listener = Closure::new(f);
        call(
            &self.instance,
            "on",
            &[JsValue::from_str(event), listener.as_ref().clone()],
        );
        self.listeners.push((event, listener));
    }

    /// Calls `f` with the levels once the master playlist is parsed.
    pub fn on_levels(&mut self, mut f: impl FnMut(Vec<Level>) + 'static) {
        let me = self.instance.clone();
        self.on("hlsManifestParsed", move |_, _| f(levels_of(&me)));
    }

    /// Calls `f` with the height of the level now playing.
    pub fn on_level_switched(&mut self, mut f: impl FnMut(u32) + 'static) {
        let me = self.instance.clone();
        self.on("hlsLevelSwitched", move |_, data| {
            let i = get(&data, "level").and_then(|v| v.as_f64()).unwrap_or(-1.0);
            if let Some(level) = levels_of(&me).get(i as usize).filter(|_| i >= 0.0) {
                f(level.height);
            }
        });
    }

    /// Calls `f` on every error hls.js reports.
    pub fn on_error(&mut self, mut f: impl FnMut(HlsError) + 'static) {
        self.on("hlsError", move |_, data| f(HlsError::of(&data)));
    }

    /// Calls `f` whenever a segment has loaded (the network is back).
    pub fn on_fragment_loaded(&mut self, mut f: impl FnMut() + 'static) {
        self.on("hlsFragLoaded", move |_, _| f());
    }

    /// Loads `url` into `video`.
    pub fn attach(&self, video: &HtmlVideoElement, url: &str) {
        call(&self.instance, "loadSource", &[JsValue::from_str(url)]);
        call(&self.instance, "attachMedia", &[video.into()]);
    }

    /// Plays level `index` from now on (`-1`: choose by bandwidth).
    pub fn set_level(&self, index: i32) {
        set(&self.instance, "currentLevel", &JsValue::from(index));
    }

    pub fn recover_media_error(&self) {
        call(&self.instance, "recoverMediaError", &[]);
    }

    /// Where a live stream should play now, if hls.js knows.
    pub fn live_sync_position(&self) -> Option<f64> {
        get(&self.instance, "liveSyncPosition").and_then(|v| v.as_f64())
    }
}

impl Drop for Hls {
    fn drop(&mut self) {
        for (event, listener) in &self.listeners {
            call(
                &self.instance,
                "off",
                &[JsValue::from_str(event), listener.as_ref().clone()],
            );
        }
        call(&self.instance, "destroy", &[]);
    }
}

fn levels_of(hls: &JsValue) -> Vec<Level> {
    let Some(levels) = get(hls, "levels").and_then(|l| l.dyn_into::<Array>().ok()) else {
        return Vec::new();
    };
    levels
        .iter()
        .map(|l| {
            let n = |k: &str| get(&l, k).and_then(|v| v.as_f64()).unwrap_or(0.0).max(0.0) as u32;
            Level {
                height: n("height"),
                bitrate: n("bitrate"),
            }
        })
        .collect()
}

/// Shows the text track of `language` (`None`: none) and disables the
/// others.
pub fn show_subtitles(video: &HtmlVideoElement, language: Option<&str>) {
    let tracks = video.text_tracks();
    let Some(tracks) = tracks else { return };
    for i in 0..tracks.length() {
        if let Some(track) = tracks.get(i) {
            if !matches!(
                track.kind(),
                web_sys::TextTrackKind::Subtitles | web_sys::TextTrackKind::Captions
            ) {
                continue;
            }
            let on = language.is_some_and(|l| track.language() == l);
            track.set_mode(if on {
                web_sys::TextTrackMode::Showing
            } else {
                web_sys::TextTrackMode::Disabled
            });
        }
    }
}

/// The seekable window `[start, end]`, if any.
pub fn seekable(video: &HtmlVideoElement) -> Option<(f64, f64)> {
    let ranges = video.seekable();
    let n = ranges.length();
    if n == 0 {
        return None;
    }
    let (start, end) = (ranges.start(0).ok()?, ranges.end(n - 1).ok()?);
    (start.is_finite() && end.is_finite() && end >= start).then_some((start, end))
}

/// Starts playback; a refusal (autoplay rules, no source) is ignored, the
/// play button stays a play button.
pub fn play(video: &HtmlVideoElement) {
    if let Ok(p) = video.play() {
        ignore_rejection(p.into());
    }
}

/// Whether picture-in-picture can be offered.
pub fn pip_available(video: &HtmlVideoElement) -> bool {
    let enabled = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| get(&d, "pictureInPictureEnabled"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    (enabled && get(video, "requestPictureInPicture").is_some())
        || get(video, "webkitSetPresentationMode").is_some()
}

/// Enters picture-in-picture, or leaves it.
pub fn toggle_pip(video: &HtmlVideoElement) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if get(&document, "pictureInPictureElement").is_some() {
        let _ = call(&document, "exitPictureInPicture", &[]).map(ignore_rejection);
    } else if let Some(p) = call(video, "requestPictureInPicture", &[]) {
        ignore_rejection(p);
    } else {
        // Safari's older API.
        let mode = get(video, "webkitPresentationMode").and_then(|m| m.as_string());
        let next = if mode.as_deref() == Some("picture-in-picture") {
            "inline"
        } else {
            "picture-in-picture"
        };
        call(
            video,
            "webkitSetPresentationMode",
            &[JsValue::from_str(next)],
        );
    }
}

fn ignore_rejection(p: JsValue) {
    if p.is_instance_of::<Promise>() {
        call(&p, "catch", &[Closure::once_into_js(|_: JsValue| {})]);
    }
}

/// Whether `element` is the fullscreen element now.
pub fn is_fullscreen(element: &HtmlElement) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| get(&d, "fullscreenElement").or_else(|| get(&d, "webkitFullscreenElement")))
        .is_some_and(|e| e == JsValue::from(element))
}

/// Fullscreen for the player's box (its controls stay), or the video's own
/// fullscreen where only that exists (iPhone).
pub fn toggle_fullscreen(container: &HtmlElement, video: &HtmlVideoElement) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if is_fullscreen(container) {
        let _ = call(&document, "exitFullscreen", &[])
            .or_else(|| call(&document, "webkitExitFullscreen", &[]))
            .map(ignore_rejection);
    } else if let Some(p) = call(container, "requestFullscreen", &[]) {
        ignore_rejection(p);
    } else if call(container, "webkitRequestFullscreen", &[]).is_none() {
        call(video, "webkitEnterFullscreen", &[]);
    }
}

/// Whether the player's box can go fullscreen, or at least the video.
pub fn fullscreen_available(video: &HtmlVideoElement) -> bool {
    let document = web_sys::window().and_then(|w| w.document());
    document
        .and_then(|d| get(&d, "fullscreenEnabled").or_else(|| get(&d, "webkitFullscreenEnabled")))
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
        || get(video, "webkitEnterFullscreen").is_some()
}

/// What the lock screen's controls do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionAction {
    Play,
    Pause,
    SeekBackward,
    SeekForward,
    /// Seek to the time in the action's details.
    SeekTo,
}

impl SessionAction {
    const ALL: [(SessionAction, &'static str); 5] = [
        (SessionAction::Play, "play"),
        (SessionAction::Pause, "pause"),
        (SessionAction::SeekBackward, "seekbackward"),
        (SessionAction::SeekForward, "seekforward"),
        (SessionAction::SeekTo, "seekto"),
    ];
}

/// The Media Session's metadata and action handlers while a player lives;
/// the handlers are removed when it is dropped.
pub struct MediaSession {
    session: JsValue,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl MediaSession {
    /// Shows `title` by `artist` (with `artwork`) on the lock screen and
    /// routes its buttons to `f` (with the `seekto` time); `None` where
    /// the browser has no Media Session.
    pub fn start(
        title: &str,
        artist: &str,
        artwork: Option<&str>,
        f: impl Fn(SessionAction, Option<f64>) + Clone + 'static,
    ) -> Option<MediaSession> {
        let w = window()?;
        let session = get(&w, "navigator").and_then(|n| get(&n, "mediaSession"))?;
        if let Some(class) = get(&w, "MediaMetadata").and_then(|c| c.dyn_into::<Function>().ok()) {
            let art = Array::new();
            if let Some(src) = artwork {
                art.push(&object(&[("src", JsValue::from_str(src))]));
            }
            let init = object(&[
                ("title", JsValue::from_str(title)),
                ("artist", JsValue::from_str(artist)),
                ("artwork", art.into()),
            ]);
            if let Ok(metadata) = Reflect::construct(&class, &Array::of1(&init)) {
                set(&session, "metadata", &metadata);
            }
        }
        let mut handlers = Vec::new();
        for (action, name) in SessionAction::ALL {
            let f = f.clone();
            let handler: Closure<dyn FnMut(JsValue)> = Closure::new(move |details: JsValue| {
                f(action, get(&details, "seekTime").and_then(|t| t.as_f64()));
            });
            // Browsers throw for actions they do not know.
            let _ = call(
                &session,
                "setActionHandler",
                &[JsValue::from_str(name), handler.as_ref().clone()],
            );
            handlers.push(handler);
        }
        Some(MediaSession { session, handlers })
    }

    /// Tells the lock screen whether it is playing.
    pub fn playing(&self, playing: bool) {
        set(
            &self.session,
            "playbackState",
            &JsValue::from_str(if playing { "playing" } else { "paused" }),
        );
    }
}

impl Drop for MediaSession {
    fn drop(&mut self) {
        for (_, name) in SessionAction::ALL {
            let _ = call(
                &self.session,
                "setActionHandler",
                &[JsValue::from_str(name), JsValue::NULL],
            );
        }
        set(&self.session, "metadata", &JsValue::NULL);
        self.handlers.clear();
    }
}

/// Milliseconds on the page's monotonic clock.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Whether the page is hidden now (a switched app, a locked phone).
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}
