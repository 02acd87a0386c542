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

/// Sets `target[key]`. Media elements are driven through properties and
/// calls by name, not web-sys's typed bindings: each typed binding is an
/// import of the main module (imports stay there when the WASM is split),
/// and these reuse the few it has.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `target[key]` as a number (NaN when it is not one).
pub fn number(target: &JsValue, key: &str) -> f64 {
    get(target, key)
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

/// `target[key]` as a boolean (false when it is not one).
pub fn flag(target: &JsValue, key: &str) -> bool {
    get(target, key).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// `target[key]` as a string.
pub fn text(target: &JsValue, key: &str) -> Option<String> {
    get(target, key).and_then(|v| v.as_string())
}

/// Calls `target[method](...args)` (up to two arguments); `None` when
/// there is no such method or it throws.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = function(get(target, method)?)?;
    match args {
        [] => f.call0(target),
        [a] => f.call1(target, a),
        [a, b, ..] => f.call2(target, a, b),
    }
    .ok()
}

/// `value` if it is a function (a `typeof` check: no import of its own).
fn function(value: JsValue) -> Option<Function> {
    value.is_function().then(|| value.unchecked_into())
}

/// The element at `i` of an array-like (`TimeRanges` excepted).
fn item(list: &JsValue, i: u32) -> Option<JsValue> {
    Reflect::get(list, &JsValue::from(i))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// The speed, also as the default (a reload keeps it).
pub fn set_rate(video: &JsValue, rate: f64) {
    set(video, "defaultPlaybackRate", &rate.into());
    set(video, "playbackRate", &rate.into());
}

pub fn pause(video: &JsValue) {
    call(video, "pause", &[]);
}

/// `video.error.code`, if there is an error.
pub fn error_code(video: &JsValue) -> Option<u16> {
    get(video, "error")
        .and_then(|e| get(&e, "code"))
        .and_then(|c| c.as_f64())
        .map(|c| c as u16)
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
    call(
        video,
        "canPlayType",
        &[JsValue::from_str("application/vnd.apple.mpegurl")],
    )
    .and_then(|v| v.as_string())
    .is_some_and(|v| !v.is_empty())
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
        .ok_or(LoadError::NotInBuild)?;
    let (src, sri) = (
        item(&entry, 0)
            .and_then(|v| v.as_string())
            .ok_or(LoadError::NotInBuild)?,
        item(&entry, 1)
            .and_then(|v| v.as_string())
            .ok_or(LoadError::NotInBuild)?,
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
        let class = function(class.clone())?;
        if !call(&class, "isSupported", &[])
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
        let instance = Reflect::construct(&class, &Array::of1(&config)).ok()?;
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
    let Some(levels) = get(hls, "levels") else {
        return Vec::new();
    };
    let n = number(&levels, "length");
    let n = if n.is_finite() && n > 0.0 {
        n as u32
    } else {
        0
    };
    (0..n)
        .filter_map(|i| item(&levels, i))
        .map(|l| {
            let n = |k: &str| {
                let v = number(&l, k);
                if v.is_finite() && v > 0.0 {
                    v as u32
                } else {
                    0
                }
            };
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
    let Some(tracks) = get(video, "textTracks") else {
        return;
    };
    let n = number(&tracks, "length");
    let n = if n.is_finite() && n > 0.0 {
        n as u32
    } else {
        0
    };
    for track in (0..n).filter_map(|i| item(&tracks, i)) {
        let kind = text(&track, "kind").unwrap_or_default();
        if kind != "subtitles" && kind != "captions" {
            continue;
        }
        let on = language.is_some_and(|l| text(&track, "language").as_deref() == Some(l));
        set(
            &track,
            "mode",
            &JsValue::from_str(if on { "showing" } else { "disabled" }),
        );
    }
}

/// The seekable window `[start, end]`, if any.
pub fn seekable(video: &HtmlVideoElement) -> Option<(f64, f64)> {
    let ranges = get(video, "seekable")?;
    let n = number(&ranges, "length");
    if n.is_nan() || n < 1.0 {
        return None;
    }
    let at = |method: &str, i: f64| {
        call(&ranges, method, &[JsValue::from_f64(i)])
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN)
    };
    let (start, end) = (at("start", 0.0), at("end", n - 1.0));
    (start.is_finite() && end.is_finite() && end >= start).then_some((start, end))
}

/// Starts playback; a refusal (autoplay rules, no source) is ignored, the
/// play button stays a play button.
pub fn play(video: &HtmlVideoElement) {
    if let Some(p) = call(video, "play", &[]) {
        ignore_rejection(p);
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
        if let Some(class) = get(&w, "MediaMetadata").and_then(function) {
            let art = match artwork {
                Some(src) => Array::of1(&object(&[("src", JsValue::from_str(src))])),
                None => Array::new(),
            };
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

/// Whether the page is hidden now (a switched app, a locked phone).
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}
