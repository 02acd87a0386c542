//! The media player of the cultural cloud: HLS through hls.js over MSE, or
//! natively where the browser has no MSE (iOS Safari, WeChat on iOS).
//!
//! The culture pages mount `<Player>` with a [`PlayerSource`] and receive
//! [`PlaybackProgress`] for resume. All JavaScript interop is in
//! `media_js.rs`, the pure logic (time labels, retries, shortcuts, the
//! data saver) in `logic.rs`; texts in `i18n/player.rs`, styles in
//! `style/features/player.css` (linked when a player opens).
//!
//! hls.js is loaded when a player opens, never in the first load: `cargo
//! xtask build` writes it into `dist/` under a hashed name, with its SRI
//! hash in the boot script's table (`window.__yuelanScripts`).

pub mod logic;
mod media_js;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlVideoElement;
use yuelan_api::culture::{Chapter, MediaKind, SubtitleTrack};

use self::logic::{
    Engine, ProgressThrottle, SKIP_SECONDS, SPEEDS, Shortcut, backoff_ms, behind_live, chapter_at,
    choose_engine, clamp_seek, format_time, is_finished, lowest_level, next_subtitle,
    saver_by_default, shortcut, speed_label, time_at,
};
use self::media_js::{Hls, HlsError, Level, MediaSession, SessionAction};
use crate::i18n::player::PlayerText;
use crate::i18n::{I18n, use_i18n};

/// How far playback got, for resume.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaybackProgress {
    pub position_seconds: f64,
    pub duration_seconds: f64,
    pub finished: bool,
}

/// What to play.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerSource {
    /// The master playlist, its renditions, the audio file and the kind.
    pub stream: yuelan_api::culture::Stream,
    pub subtitles: Vec<yuelan_api::culture::SubtitleTrack>,
    pub chapters: Vec<yuelan_api::culture::Chapter>,
    /// In the patron's language, for labels and Media Session.
    pub title: String,
    /// Series, performer or library; may be empty.
    pub artist: String,
    pub poster: Option<String>,
    /// A sliding-window live playlist.
    pub live: bool,
    /// Seconds; 0.0 plays from the start (ignored when live).
    pub start_at: f64,
}

/// Where the patron's subtitle choice is kept on this device.
const SUBTITLES_KEY: &str = "yuelan.subtitles";

/// What keeps the player from playing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    /// The stream is not on the server now (`available: false`).
    Unavailable,
    /// The playlist answered 404.
    Missing,
    /// The network failed and the retries ran out.
    Network,
    /// Retrying after a network failure.
    Reconnecting,
    /// hls.js could not be loaded.
    NoPlayer,
    /// This browser cannot play the format.
    Unsupported,
}

/// The open menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Menu {
    Speed,
    Quality,
    Subtitles,
    Chapters,
}

/// The player's state: signals for what shows, stored values for what
/// only the code needs. Copy, so every handler takes it whole.
#[derive(Clone, Copy)]
struct Ctl {
    video: NodeRef<html::Video>,
    boxed: NodeRef<html::Div>,
    source: StoredValue<PlayerSource>,
    on_progress: Callback<PlaybackProgress>,
    engine: RwSignal<Option<Engine>>,
    playing: RwSignal<bool>,
    /// Playback has started since the last (re)load: only then is the
    /// position worth reporting.
    started: RwSignal<bool>,
    buffering: RwSignal<bool>,
    current: RwSignal<f64>,
    /// The seekable window (start, end); for on-demand media, 0 and the
    /// duration.
    window: RwSignal<(f64, f64)>,
    rate: RwSignal<f64>,
    muted: RwSignal<bool>,
    levels: RwSignal<Vec<Level>>,
    /// The quality the patron chose (`-1`: auto).
    level_choice: RwSignal<i32>,
    /// The height of the level playing now, from hls.js.
    level_height: RwSignal<Option<u32>>,
    subtitle: RwSignal<Option<String>>,
    saver: RwSignal<bool>,
    /// Playing the programme's audio file instead of HLS.
    audio_file: RwSignal<bool>,
    menu: RwSignal<Option<Menu>>,
    problem: RwSignal<Option<Problem>>,
    /// The time under the pointer on the seek bar, and where (0..1).
    preview: RwSignal<Option<(f64, f64)>>,
    hls: StoredValue<Option<Hls>, LocalStorage>,
    hls_class: StoredValue<Option<wasm_bindgen::JsValue>, LocalStorage>,
    session: StoredValue<Option<MediaSession>, LocalStorage>,
    throttle: StoredValue<ProgressThrottle>,
    attempts: StoredValue<u32>,
    media_errors: StoredValue<u32>,
    /// Where a (re)load starts.
    resume_at: StoredValue<f64>,
    /// Play again after a reload.
    resume_playing: StoredValue<bool>,
    /// A native or file (re)load still has to seek to `resume_at`.
    seek_pending: StoredValue<bool>,
    /// The pending retry's timer.
    retry_timer: StoredValue<Option<TimeoutHandle>>,
}

/// The player. `on_progress` is called every few seconds while playing, on
/// pause, after a seek, at the end (`finished`), and when the player is
/// torn down or the page is hidden; never for live streams, whose window
/// moves, and never before playback has started.
#[component]
pub fn Player(
    source: PlayerSource,
    #[prop(into)] on_progress: Callback<PlaybackProgress>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (save_data, effective_type) = media_js::connection_hint();
    let subtitle = initial_subtitle(&source.subtitles);
    let start_at = if source.live {
        0.0
    } else {
        source.start_at.max(0.0)
    };
    let ctl = Ctl {
        video: NodeRef::new(),
        boxed: NodeRef::new(),
        on_progress,
        engine: RwSignal::new(None),
        playing: RwSignal::new(false),
        started: RwSignal::new(false),
        buffering: RwSignal::new(false),
        current: RwSignal::new(start_at),
        window: RwSignal::new((0.0, 0.0)),
        rate: RwSignal::new(1.0),
        muted: RwSignal::new(false),
        levels: RwSignal::new(Vec::new()),
        level_choice: RwSignal::new(-1),
        level_height: RwSignal::new(None),
        subtitle: RwSignal::new(subtitle),
        saver: RwSignal::new(saver_by_default(save_data, effective_type.as_deref())),
        audio_file: RwSignal::new(false),
        menu: RwSignal::new(None),
        problem: RwSignal::new(None),
        preview: RwSignal::new(None),
        hls: StoredValue::new_local(None),
        hls_class: StoredValue::new_local(None),
        session: StoredValue::new_local(None),
        throttle: StoredValue::new(ProgressThrottle::default()),
        attempts: StoredValue::new(0),
        media_errors: StoredValue::new(0),
        resume_at: StoredValue::new(start_at),
        resume_playing: StoredValue::new(false),
        seek_pending: StoredValue::new(false),
        retry_timer: StoredValue::new(None),
        source: StoredValue::new(source),
    };

    // Starts once the video element exists.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        match ctl.video.get() {
            Some(video) => {
                ctl.start(&video);
                true
            }
            None => false,
        }
    });
    // The chosen subtitle track shows; the others are disabled.
    Effect::new(move |_| {
        let language = ctl.subtitle.get();
        if let Some(video) = ctl.video.get() {
            media_js::show_subtitles(&video, language.as_deref());
        }
    });

    // Reports when the page is hidden or left (a phone locked, an app
    // switched, a tab closed): the last chance on a phone.
    let hidden = window_event_listener(ev::visibilitychange, move |_| {
        if !ctl.gone() && media_js::page_hidden() {
            ctl.report(false);
        }
    });
    let left = window_event_listener(ev::pagehide, move |_| ctl.report(false));
    // Torn down: report once more, then stop listening, retrying and
    // loading (hls.js detaches from the video element).
    // The network is back: retry now rather than at the end of the wait.
    let online = window_event_listener(ev::online, move |_| {
        if !ctl.gone()
            && matches!(
                ctl.problem.get_untracked(),
                Some(Problem::Reconnecting | Problem::Network)
            )
            && (ctl.retry_timer.with_value(Option::is_some)
                || ctl.problem.get_untracked() == Some(Problem::Network))
        {
            ctl.remember_position();
            ctl.retry_now();
        }
    });
    let handles = StoredValue::new_local(Some((hidden, left, online)));
    on_cleanup(move || {
        ctl.report(false);
        if let Some((hidden, left, online)) = handles.try_update_value(Option::take).flatten() {
            hidden.remove();
            left.remove();
            online.remove();
        }
        ctl.clear_retry();
        ctl.hls.try_update_value(Option::take);
        ctl.session.try_update_value(Option::take);
    });

    crate::components::style::styled(
        "player",
        |_| view! { <div class="player player-placeholder"></div> }.into_any(),
        0,
        move || player_view(ctl, i18n),
    )
}

/// The subtitle language to start with: the patron's last choice on this
/// device if this programme has it, else the track marked default.
fn initial_subtitle(tracks: &[SubtitleTrack]) -> Option<String> {
    match crate::storage::load(SUBTITLES_KEY) {
        Some(off) if off == "off" => None,
        Some(lang) if tracks.iter().any(|t| t.language == lang) => Some(lang),
        _ => tracks
            .iter()
            .find(|t| t.default)
            .map(|t| t.language.clone()),
    }
}

/// The video element's events the player follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaEvent {
    Play,
    Pause,
    Playing,
    Waiting,
    Time,
    Metadata,
    Duration,
    Seeked,
    Ended,
    Rate,
    Volume,
    Error,
}

/// The video element an event came from.
fn video_of(ev: &web_sys::Event) -> Option<HtmlVideoElement> {
    ev.target().map(JsCast::unchecked_into)
}

impl Ctl {
    /// Whether the player has been torn down. A removed video element
    /// still fires events (`pause` when it leaves the page), and its
    /// handlers must then do nothing: the state is gone.
    fn gone(&self) -> bool {
        self.source.is_disposed()
    }

    fn on_event(&self, event: MediaEvent, video: &Option<HtmlVideoElement>) {
        if self.gone() {
            return;
        }
        match (event, video) {
            (MediaEvent::Play, _) => {
                self.playing.set(true);
                self.session.with_value(|s| {
                    if let Some(s) = s {
                        s.playing(true)
                    }
                });
            }
            (MediaEvent::Pause, _) => {
                self.playing.set(false);
                self.session.with_value(|s| {
                    if let Some(s) = s {
                        s.playing(false)
                    }
                });
                self.report(false);
            }
            (MediaEvent::Playing, _) => {
                self.started.set(true);
                self.buffering.set(false);
                self.recovered();
            }
            (MediaEvent::Waiting, _) => self.buffering.set(true),
            (MediaEvent::Time, Some(video)) => self.on_time(video),
            (MediaEvent::Metadata, Some(video)) => self.on_metadata(video),
            (MediaEvent::Duration, Some(video)) => self.update_window(video),
            (MediaEvent::Seeked, _) => self.report(false),
            (MediaEvent::Ended, _) => {
                self.playing.set(false);
                self.report(true);
            }
            (MediaEvent::Rate, Some(video)) => {
                self.rate.set(media_js::number(video, "playbackRate"))
            }
            (MediaEvent::Volume, Some(video)) => self.muted.set(media_js::flag(video, "muted")),
            (MediaEvent::Error, _) => self.on_media_error(),
            _ => {}
        }
    }

    fn live(&self) -> bool {
        self.source.with_value(|s| s.live)
    }

    fn with_video(&self, f: impl FnOnce(&HtmlVideoElement)) {
        if let Some(video) = self.video.get_untracked() {
            f(&video);
        }
    }

    /// Chooses how to play and starts loading.
    fn start(&self, video: &HtmlVideoElement) {
        let (available, kind) = self
            .source
            .with_value(|s| (s.stream.available, s.stream.kind));
        if !available {
            self.problem.set(Some(Problem::Unavailable));
            return;
        }
        let engine = choose_engine(media_js::has_mse(), media_js::native_hls(video));
        self.engine.set(Some(engine));
        self.start_session(video);
        match engine {
            Engine::HlsJs => {
                let ctl = *self;
                leptos::task::spawn_local(async move {
                    let loaded = media_js::load_hls().await;
                    if ctl.gone() {
                        return;
                    }
                    match loaded {
                        Ok(class) => {
                            ctl.hls_class.set_value(Some(class));
                            ctl.load();
                        }
                        Err(_) => {
                            ctl.with_video(|video| {
                                if media_js::native_hls(video) {
                                    ctl.engine.set(Some(Engine::Native));
                                    ctl.load();
                                } else {
                                    ctl.problem.set(Some(Problem::NoPlayer));
                                }
                            });
                        }
                    }
                });
            }
            Engine::Native => self.load(),
            Engine::Unsupported => {
                // An audio programme still plays from its whole file.
                if kind == MediaKind::Audio && self.has_audio_file() {
                    self.audio_file.set(true);
                    self.load();
                } else {
                    self.problem.set(Some(Problem::Unsupported));
                }
            }
        }
    }

    fn has_audio_file(&self) -> bool {
        self.source.with_value(|s| s.stream.audio_url.is_some())
    }

    /// (Re)loads the media from `resume_at`, by the engine chosen.
    fn load(&self) {
        let Some(video) = self.video.get_untracked() else {
            return;
        };
        self.started.set(false);
        let live = self.live();
        let start = self.resume_at.get_value();
        let (master, audio_url) = self
            .source
            .with_value(|s| (s.stream.master_url.clone(), s.stream.audio_url.clone()));
        self.hls.set_value(None);
        if self.audio_file.get_untracked() {
            if let Some(url) = audio_url {
                self.seek_pending.set_value(start > 0.0);
                media_js::set(&video, "src", &url.into());
            }
        } else if self.engine.get_untracked() == Some(Engine::HlsJs) {
            let Some(class) = self.hls_class.get_value() else {
                return;
            };
            let Some(mut hls) = Hls::new(&class, if live || start <= 0.0 { -1.0 } else { start })
            else {
                // hls.js finds this browser's MSE unusable.
                if media_js::native_hls(&video) {
                    self.engine.set(Some(Engine::Native));
                    self.load();
                } else {
                    self.unsupported();
                }
                return;
            };
            let ctl = *self;
            hls.on_levels(move |levels| {
                if ctl.gone() {
                    return;
                }
                ctl.levels.set(levels);
                ctl.apply_level();
            });
            hls.on_level_switched(move |height| {
                ctl.level_height.try_set(Some(height));
            });
            hls.on_error(move |error| {
                if !ctl.gone() {
                    ctl.on_hls_error(error);
                }
            });
            hls.on_fragment_loaded(move || {
                if !ctl.gone() {
                    ctl.recovered();
                }
            });
            hls.attach(&video, &master);
            self.hls.set_value(Some(hls));
        } else {
            self.seek_pending.set_value(!live && start > 0.0);
            media_js::set(&video, "src", &master.into());
        }
        let rate = self.rate.get_untracked();
        media_js::set_rate(&video, rate);
        if self.resume_playing.get_value() {
            media_js::play(&video);
        }
    }

    /// The level hls.js should play: the lowest with the data saver on,
    /// else the patron's choice.
    fn apply_level(&self) {
        let level = if self.saver.get_untracked() {
            let bitrates: Vec<u32> = self
                .levels
                .with_untracked(|l| l.iter().map(|l| l.bitrate).collect());
            lowest_level(&bitrates).map_or(-1, |i| i as i32)
        } else {
            self.level_choice.get_untracked()
        };
        self.hls.with_value(|hls| {
            if let Some(hls) = hls {
                hls.set_level(level);
            }
        });
    }

    fn on_hls_error(&self, error: HlsError) {
        if !error.fatal {
            // hls.js retries a failed segment or playlist by itself first:
            // say so while it does.
            if error.kind == "networkError" && self.started.get_untracked() {
                self.problem.set(Some(Problem::Reconnecting));
            }
            return;
        }
        match error.kind.as_str() {
            "networkError" => {
                if matches!(error.status, Some(404 | 410)) {
                    self.hls.set_value(None);
                    self.problem.set(Some(Problem::Missing));
                } else {
                    self.retry_later();
                }
            }
            "mediaError" if self.media_errors.get_value() == 0 => {
                self.media_errors.set_value(1);
                self.hls.with_value(|hls| {
                    if let Some(hls) = hls {
                        hls.recover_media_error();
                    }
                });
            }
            _ => self.unsupported(),
        }
    }

    /// The format cannot be played here: say so, and offer the audio file.
    fn unsupported(&self) {
        self.hls.set_value(None);
        self.problem.set(Some(Problem::Unsupported));
    }

    /// After a network failure: remembers where playback was and loads
    /// again after the next wait of the backoff, or gives up and offers
    /// Retry.
    fn retry_later(&self) {
        self.remember_position();
        let attempt = self.attempts.get_value();
        self.clear_retry();
        match backoff_ms(attempt) {
            Some(ms) => {
                self.attempts.set_value(attempt + 1);
                self.problem.set(Some(Problem::Reconnecting));
                let ctl = *self;
                let handle = set_timeout_with_handle(
                    move || {
                        if !ctl.gone() {
                            ctl.retry_timer.set_value(None);
                            ctl.load();
                        }
                    },
                    std::time::Duration::from_millis(u64::from(ms)),
                )
                .ok();
                self.retry_timer.set_value(handle);
            }
            None => {
                self.hls.set_value(None);
                self.problem.set(Some(Problem::Network));
            }
        }
    }

    fn clear_retry(&self) {
        if let Some(handle) = self.retry_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// Where to pick up after a reload: the position now (if playback got
    /// anywhere) and whether it was playing.
    fn remember_position(&self) {
        if self.started.get_untracked() {
            let position = self.current.get_untracked();
            if position.is_finite() && position > 0.0 {
                self.resume_at.set_value(position);
            }
        }
        self.resume_playing
            .set_value(self.resume_playing.get_value() || self.playing.get_untracked());
    }

    /// Media arrived again: the retries start over.
    fn recovered(&self) {
        self.attempts.set_value(0);
        if self.problem.get_untracked() == Some(Problem::Reconnecting) {
            self.problem.set(None);
        }
    }

    /// Retry pressed: load again from where playback was.
    fn retry_now(&self) {
        self.clear_retry();
        self.attempts.set_value(0);
        self.media_errors.set_value(0);
        self.problem.set(None);
        if self.hls_class.with_value(Option::is_none)
            && self.engine.get_untracked() == Some(Engine::HlsJs)
        {
            // hls.js itself failed to load: start over.
            self.with_video(|video| self.start(video));
        } else {
            self.load();
        }
    }

    /// The audio fallback: the programme's whole audio file.
    fn listen_instead(&self) {
        self.remember_position();
        self.problem.set(None);
        self.audio_file.set(true);
        self.load();
    }

    /// A native or file error (hls.js reports its own).
    fn on_media_error(&self) {
        let Some(video) = self.video.get_untracked() else {
            return;
        };
        if self.engine.get_untracked() == Some(Engine::HlsJs) && !self.audio_file.get_untracked() {
            return;
        }
        match media_js::error_code(&video) {
            // MEDIA_ERR_NETWORK.
            Some(2) => self.retry_later(),
            // MEDIA_ERR_DECODE, MEDIA_ERR_SRC_NOT_SUPPORTED (also a missing
            // playlist in Safari).
            Some(3 | 4) => self.problem.set(Some(Problem::Unsupported)),
            _ => {}
        }
    }

    /// Reports the position to the page, when playback has started.
    fn report(&self, ended: bool) {
        if self.gone() || self.live() || !self.started.get_untracked() {
            return;
        }
        let Some(video) = self.video.get_untracked() else {
            return;
        };
        let position = media_js::number(&video, "currentTime");
        if !position.is_finite() {
            return;
        }
        let duration = match media_js::number(&video, "duration") {
            d if d.is_finite() && d > 0.0 => d,
            _ => self.window.get_untracked().1,
        };
        self.throttle.update_value(|t| t.sent(js_sys::Date::now()));
        self.on_progress.try_run(PlaybackProgress {
            position_seconds: position,
            duration_seconds: duration,
            finished: is_finished(position, duration, ended),
        });
    }

    fn on_time(&self, video: &HtmlVideoElement) {
        let position = media_js::number(video, "currentTime");
        if self.started.get_untracked() || position > 0.0 {
            self.current.set(position);
        }
        self.update_window(video);
        if self.playing.get_untracked()
            && self.started.get_untracked()
            && self
                .throttle
                .try_update_value(|t| t.due(js_sys::Date::now()))
                .unwrap_or(false)
        {
            self.report(false);
        }
    }

    fn update_window(&self, video: &HtmlVideoElement) {
        let duration = media_js::number(video, "duration");
        let window = if !self.live() && duration.is_finite() && duration > 0.0 {
            Some((0.0, duration))
        } else {
            media_js::seekable(video)
        };
        if let Some(w) = window
            && self.window.get_untracked() != w
        {
            self.window.set(w);
        }
    }

    fn on_metadata(&self, video: &HtmlVideoElement) {
        self.update_window(video);
        if self.seek_pending.get_value() {
            self.seek_pending.set_value(false);
            let (start, end) = self.window.get_untracked();
            media_js::set(
                video,
                "currentTime",
                &clamp_seek(self.resume_at.get_value(), start, end).into(),
            );
        }
    }

    fn toggle_play(&self) {
        self.with_video(|video| {
            if media_js::flag(video, "paused") {
                self.resume_playing.set_value(true);
                media_js::play(video);
            } else {
                self.resume_playing.set_value(false);
                media_js::pause(video);
            }
        });
    }

    fn seek_to(&self, target: f64) {
        self.with_video(|video| {
            let (start, end) = self.window.get_untracked();
            let to = clamp_seek(target, start, end);
            media_js::set(video, "currentTime", &to.into());
            self.current.set(to);
        });
    }

    fn skip(&self, by: f64) {
        self.seek_to(self.current.get_untracked() + by);
    }

    fn go_live(&self) {
        let edge = self
            .hls
            .with_value(|h| h.as_ref().and_then(Hls::live_sync_position))
            .unwrap_or_else(|| (self.window.get_untracked().1 - 6.0).max(0.0));
        self.seek_to(edge);
        self.with_video(media_js::play);
    }

    fn set_speed(&self, speed: f64) {
        self.with_video(|video| {
            media_js::set_rate(video, speed);
        });
        self.rate.set(speed);
    }

    fn set_level(&self, index: i32) {
        self.level_choice.set(index);
        self.saver.set(false);
        self.apply_level();
    }

    fn set_subtitle(&self, language: Option<String>) {
        crate::storage::save(SUBTITLES_KEY, language.as_deref().unwrap_or("off"));
        self.subtitle.set(language);
    }

    fn toggle_saver(&self) {
        self.saver.update(|s| *s = !*s);
        self.apply_level();
    }

    fn toggle_mute(&self) {
        self.with_video(|video| {
            media_js::set(video, "muted", &(!media_js::flag(video, "muted")).into())
        });
    }

    fn toggle_fullscreen(&self) {
        if let (Some(boxed), Some(video)) = (self.boxed.get_untracked(), self.video.get_untracked())
        {
            media_js::toggle_fullscreen(&boxed, &video);
        }
    }

    /// The lock screen's title and buttons.
    fn start_session(&self, video: &HtmlVideoElement) {
        let ctl = *self;
        let video = video.clone();
        let session = self.source.with_value(|s| {
            MediaSession::start(
                &s.title,
                &s.artist,
                s.poster.as_deref(),
                move |action, time| match action {
                    _ if ctl.gone() => {}
                    SessionAction::Play => {
                        ctl.resume_playing.set_value(true);
                        media_js::play(&video);
                    }
                    SessionAction::Pause => {
                        media_js::pause(&video);
                    }
                    SessionAction::SeekBackward => ctl.skip(-SKIP_SECONDS),
                    SessionAction::SeekForward => ctl.skip(SKIP_SECONDS),
                    SessionAction::SeekTo => {
                        if let Some(t) = time {
                            ctl.seek_to(t);
                        }
                    }
                },
            )
        });
        self.session.set_value(session);
    }

    fn on_key(&self, ev: &web_sys::KeyboardEvent) {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let on_control = ev
            .target()
            .and_then(|t| media_js::text(&t, "tagName"))
            .is_some_and(|tag| matches!(tag.as_str(), "BUTTON" | "INPUT" | "A"));
        let Some(action) = shortcut(&ev.key(), on_control) else {
            return;
        };
        ev.prevent_default();
        match action {
            Shortcut::TogglePlay => self.toggle_play(),
            Shortcut::Back => self.skip(-SKIP_SECONDS),
            Shortcut::Forward => self.skip(SKIP_SECONDS),
            Shortcut::Fullscreen => self.toggle_fullscreen(),
            Shortcut::Mute => self.toggle_mute(),
            Shortcut::Subtitles => {
                let languages: Vec<String> = self
                    .source
                    .with_value(|s| s.subtitles.iter().map(|t| t.language.clone()).collect());
                let next = next_subtitle(&languages, self.subtitle.get_untracked().as_deref());
                self.set_subtitle(next);
            }
        }
    }
}

/// A small stroked or filled icon of the player's own (the app's icon set
/// is in the main module).
fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="player-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path></path>
        </svg>
    }
}

const PLAY: &str = "M8 5v14l11-7z";
const PAUSE: &str = "M7 5h3v14H7zM14 5h3v14h-3z";
const SOUND: &str = "M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6";
const SOUND_OFF: &str = "M4 9h4l5-4v14l-5-4H4zM16 9l5 6M21 9l-5 6";
const FULLSCREEN: &str = "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5";
const PIP: &str = "M3 5h18v14H3zM12 12h7v5h-7z";

fn player_view(ctl: Ctl, i18n: I18n) -> AnyView {
    let t = move |key: PlayerText| i18n.tr(key);
    let (title, poster, subtitles, chapters, live) = ctl.source.with_value(|s| {
        (
            s.title.clone(),
            s.poster.clone(),
            s.subtitles.clone(),
            s.chapters.clone(),
            s.live,
        )
    });
    let is_audio = ctl.source.with_value(|s| s.stream.kind == MediaKind::Audio);
    let region_label = [t(PlayerText::Player), "：", &title].concat();
    let tracks = subtitles
        .iter()
        .map(|track| {
            let label = track.label.get(i18n.locale().is_english()).to_owned();
            view! {
                <track kind="subtitles" src=track.url.clone() srclang=track.language.clone() label=label />
            }
        })
        .collect_view();
    let shortcuts_id = "player-shortcuts";
    let pip = RwSignal::new(false);
    let fullscreen = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(video) = ctl.video.get() {
            pip.set(!is_audio && media_js::pip_available(&video));
            fullscreen.set(!is_audio && media_js::fullscreen_available(&video));
        }
    });

    view! {
        <div
            class="player"
            class:player-audio=is_audio
            class:playing=move || ctl.playing.get()
            role="region"
            aria-label=region_label
            aria-describedby=shortcuts_id
            tabindex="-1"
            node_ref=ctl.boxed
            data-level=move || ctl.level_height.get().map(|h| h.to_string())
            data-engine=move || ctl.engine.get().map(|e| match e {
                Engine::HlsJs => "hls.js",
                Engine::Native => "native",
                Engine::Unsupported => "none",
            })
            on:keydown=move |ev| if !ctl.gone() { ctl.on_key(&ev) }
        >
            <p id=shortcuts_id class="sr-only">{t(PlayerText::Shortcuts)}</p>
            <div class="player-screen">
                <video
                    node_ref=ctl.video
                    playsinline
                    attr:webkit-playsinline=""
                    attr:x5-playsinline=""
                    attr:x5-video-player-type="h5-page"
                    preload="metadata"
                    poster=poster
                    on:click=move |_| {
                        if ctl.gone() {
                            return;
                        }
                        ctl.toggle_play();
                        if let Some(b) = ctl.boxed.get_untracked() {
                            let _ = b.focus();
                        }
                    }
                    on:play=move |_| ctl.on_event(MediaEvent::Play, &None)
                    on:pause=move |_| ctl.on_event(MediaEvent::Pause, &None)
                    on:playing=move |_| ctl.on_event(MediaEvent::Playing, &None)
                    on:waiting=move |_| ctl.on_event(MediaEvent::Waiting, &None)
                    on:timeupdate=move |ev| ctl.on_event(MediaEvent::Time, &video_of(&ev))
                    on:loadedmetadata=move |ev| ctl.on_event(MediaEvent::Metadata, &video_of(&ev))
                    on:durationchange=move |ev| ctl.on_event(MediaEvent::Duration, &video_of(&ev))
                    on:seeked=move |_| ctl.on_event(MediaEvent::Seeked, &None)
                    on:ended=move |_| ctl.on_event(MediaEvent::Ended, &None)
                    on:ratechange=move |ev| ctl.on_event(MediaEvent::Rate, &video_of(&ev))
                    on:volumechange=move |ev| ctl.on_event(MediaEvent::Volume, &video_of(&ev))
                    on:error=move |_| ctl.on_event(MediaEvent::Error, &None)
                >
                    {tracks}
                </video>
                {live.then(|| view! { <span class="player-live-badge">{t(PlayerText::Live)}</span> })}
                <Status ctl i18n />
            </div>
            <ProblemView ctl i18n />
            <SeekBar ctl i18n chapters=chapters.clone() />
            <div class="player-controls">
                <button
                    type="button"
                    class="player-button player-play"
                    aria-label=move || t(if ctl.playing.get() { PlayerText::Pause } else { PlayerText::Play })
                    on:click=move |_| ctl.toggle_play()
                >
                    {move || icon(if ctl.playing.get() { PAUSE } else { PLAY })}
                </button>
                <button
                    type="button"
                    class="player-button player-back"
                    aria-label=t(PlayerText::Back10)
                    on:click=move |_| ctl.skip(-SKIP_SECONDS)
                >
                    <span aria-hidden="true">"−10"</span>
                </button>
                <button
                    type="button"
                    class="player-button player-forward"
                    aria-label=t(PlayerText::Forward10)
                    on:click=move |_| ctl.skip(SKIP_SECONDS)
                >
                    <span aria-hidden="true">"+10"</span>
                </button>
                <button
                    type="button"
                    class="player-button player-mute"
                    aria-label=t(PlayerText::Mute)
                    aria-pressed=move || if ctl.muted.get() { "true" } else { "false" }
                    on:click=move |_| ctl.toggle_mute()
                >
                    {move || icon(if ctl.muted.get() { SOUND_OFF } else { SOUND })}
                </button>
                {live.then(|| view! {
                    <button
                        type="button"
                        class="player-button player-go-live"
                        hidden=move || !behind_live(ctl.current.get(), ctl.window.get().1)
                        on:click=move |_| ctl.go_live()
                    >
                        {t(PlayerText::GoLive)}
                    </button>
                })}
                <span class="player-spacer"></span>
                <MenuButton ctl menu=Menu::Speed label=t(PlayerText::Speed)
                    value=Signal::derive(move || speed_label(ctl.rate.get())) />
                {move || (ctl.levels.with(|l| l.len() > 1)).then(|| view! {
                    <MenuButton ctl menu=Menu::Quality label=t(PlayerText::Quality)
                        value=Signal::derive(move || match ctl.level_choice.get() {
                            -1 => t(PlayerText::Auto).to_owned(),
                            i => ctl.levels.with(|l| l.get(i as usize).map(level_label).unwrap_or_default()),
                        }) />
                    <button
                        type="button"
                        class="player-button player-saver"
                        aria-pressed=move || if ctl.saver.get() { "true" } else { "false" }
                        on:click=move |_| ctl.toggle_saver()
                    >
                        {t(PlayerText::DataSaver)}
                    </button>
                })}
                {(!subtitles.is_empty()).then(|| view! {
                    <MenuButton ctl menu=Menu::Subtitles label=t(PlayerText::Subtitles)
                        value=Signal::derive({
                            let subtitles = subtitles.clone();
                            move || ctl.subtitle.with(|s| match s {
                                None => t(PlayerText::SubtitlesOff).to_owned(),
                                Some(lang) => subtitles.iter().find(|x| &x.language == lang)
                                    .map(|x| x.label.get(i18n.locale().is_english()).to_owned())
                                    .unwrap_or_default(),
                            })
                        }) />
                })}
                {(!chapters.is_empty()).then(|| view! {
                    <MenuButton ctl menu=Menu::Chapters label=t(PlayerText::Chapters)
                        value=Signal::derive(String::new) />
                })}
                <button
                    type="button"
                    class="player-button player-pip"
                    aria-label=t(PlayerText::PictureInPicture)
                    hidden=move || !pip.get()
                    on:click=move |_| ctl.with_video(media_js::toggle_pip)
                >
                    {icon(PIP)}
                </button>
                <button
                    type="button"
                    class="player-button player-fullscreen"
                    aria-label=t(PlayerText::Fullscreen)
                    hidden=move || !fullscreen.get()
                    on:click=move |_| ctl.toggle_fullscreen()
                >
                    {icon(FULLSCREEN)}
                </button>
            </div>
            <MenuPanel ctl i18n subtitles chapters />
        </div>
    }
    .into_any()
}

fn level_label(level: &Level) -> String {
    if level.height > 0 {
        format!("{}p", level.height)
    } else {
        format!("{} kbps", level.bitrate / 1000)
    }
}

/// Loading and reconnecting, for eyes and screen readers.
#[component]
fn Status(ctl: Ctl, i18n: I18n) -> impl IntoView {
    let text = move || {
        if ctl.problem.get() == Some(Problem::Reconnecting) {
            i18n.tr(PlayerText::Reconnecting)
        } else if ctl.problem.get().is_none() && ctl.buffering.get() && ctl.playing.get() {
            i18n.tr(PlayerText::Loading)
        } else {
            ""
        }
    };
    view! { <p class="player-status" role="status" class:shown=move || !text().is_empty()>{text}</p> }
}

/// What keeps the player from playing, with what the patron can do.
#[component]
fn ProblemView(ctl: Ctl, i18n: I18n) -> impl IntoView {
    let t = move |key: PlayerText| i18n.tr(key);
    move || {
        let problem = ctl.problem.get()?;
        let message = match problem {
            Problem::Unavailable => PlayerText::Unavailable,
            Problem::Missing => PlayerText::Missing,
            Problem::Network => PlayerText::NetworkFailed,
            Problem::NoPlayer => PlayerText::NoPlayer,
            Problem::Unsupported => PlayerText::Unsupported,
            Problem::Reconnecting => return None,
        };
        let retry = !matches!(problem, Problem::Unsupported | Problem::Unavailable);
        let listen = matches!(problem, Problem::Unsupported | Problem::NoPlayer)
            && ctl.has_audio_file()
            && !ctl.audio_file.get_untracked();
        Some(view! {
            <div class="player-problem" role="alert">
                <p>{t(message)}</p>
                {retry.then(|| view! {
                    <button type="button" class="button player-retry" on:click=move |_| ctl.retry_now()>
                        {t(PlayerText::Retry)}
                    </button>
                })}
                {listen.then(|| view! {
                    <button type="button" class="button secondary player-listen" on:click=move |_| ctl.listen_instead()>
                        {t(PlayerText::ListenInstead)}
                    </button>
                })}
            </div>
        })
    }
}

/// The seek bar: a range over the seekable window, with the time (and the
/// chapter) under the pointer.
#[component]
fn SeekBar(ctl: Ctl, i18n: I18n, chapters: Vec<Chapter>) -> impl IntoView {
    let live = ctl.live();
    let starts: Vec<u32> = chapters.iter().map(|c| c.start_seconds).collect();
    let titles: Vec<String> = chapters
        .iter()
        .map(|c| c.title.get(i18n.locale().is_english()).to_owned())
        .collect();
    let time_text = move || {
        let (start, end) = ctl.window.get();
        let now = ctl.current.get();
        if live {
            if behind_live(now, end) {
                ["−", &format_time(end - now)].concat()
            } else {
                String::new()
            }
        } else {
            [
                format_time(now - start),
                " / ".into(),
                format_time(end - start),
            ]
            .concat()
        }
    };
    let preview_text = move || {
        ctl.preview.get().map(|(time, _)| {
            let chapter = chapter_at(&starts, time).and_then(|i| titles.get(i).cloned());
            match chapter {
                Some(c) => [format_time(time), " · ".into(), c].concat(),
                None => format_time(time),
            }
        })
    };
    let on_pointer = move |ev: ev::PointerEvent| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let width = media_js::number(&input, "offsetWidth");
        let x = media_js::number(&ev, "offsetX");
        let (start, end) = ctl.window.get_untracked();
        let time = time_at(x, width, start, end);
        let fraction = if width > 0.0 {
            (x / width).clamp(0.0, 1.0)
        } else {
            0.0
        };
        ctl.preview.set(Some((time, fraction)));
    };
    view! {
        <div class="player-seek">
            <div class="player-seek-track">
                <input
                    type="range"
                    class="player-range"
                    aria-label=i18n.tr(PlayerText::Position)
                    min=move || ctl.window.get().0.floor().to_string()
                    max=move || ctl.window.get().1.floor().to_string()
                    step="1"
                    prop:value=move || ctl.current.get().floor().to_string()
                    aria-valuetext=time_text
                    on:input=move |ev| {
                        if let Ok(t) = event_target_value(&ev).parse::<f64>() {
                            ctl.seek_to(t);
                        }
                    }
                    on:pointermove=on_pointer
                    on:pointerdown=on_pointer
                    on:pointerleave=move |_| ctl.preview.set(None)
                />
                <span
                    class="player-preview"
                    aria-hidden="true"
                    hidden=move || ctl.preview.get().is_none()
                    style:left=move || ctl.preview.get().map(|(_, f)| format!("{:.1}%", f * 100.0))
                >
                    {preview_text}
                </span>
            </div>
            <span class="player-time" aria-hidden="true">{time_text}</span>
        </div>
    }
}

/// A button that opens one of the menus, showing its current value.
#[component]
fn MenuButton(ctl: Ctl, menu: Menu, label: &'static str, value: Signal<String>) -> impl IntoView {
    let id = menu_id(menu);
    view! {
        <button
            type="button"
            class="player-button player-menu-button"
            aria-expanded=move || if ctl.menu.get() == Some(menu) { "true" } else { "false" }
            aria-controls=id
            on:click=move |_| ctl.menu.update(|m| *m = if *m == Some(menu) { None } else { Some(menu) })
        >
            {label}
            {move || {
                let v = value.get();
                (!v.is_empty()).then(|| view! { <span class="player-menu-value">{v}</span> })
            }}
        </button>
    }
}

fn menu_id(menu: Menu) -> &'static str {
    match menu {
        Menu::Speed => "player-menu-speed",
        Menu::Quality => "player-menu-quality",
        Menu::Subtitles => "player-menu-subtitles",
        Menu::Chapters => "player-menu-chapters",
    }
}

/// One choice of a menu; pressed when it is the current one. Choosing
/// closes the menu and gives the focus back to its button.
fn choice(
    ctl: Ctl,
    label: String,
    pressed: impl Fn() -> bool + Send + Sync + 'static,
    pick: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <li>
            <button
                type="button"
                class="player-choice"
                aria-pressed=move || if pressed() { "true" } else { "false" }
                on:click=move |_| {
                    pick();
                    let open = ctl.menu.get_untracked();
                    ctl.menu.set(None);
                    if let (Some(menu), Some(boxed)) = (open, ctl.boxed.get_untracked()) {
                        let selector = ["button[aria-controls=\"", menu_id(menu), "\"]"].concat();
                        if let Ok(Some(button)) = boxed.query_selector(&selector) {
                            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
                        }
                    }
                }
            >
                {label}
            </button>
        </li>
    }
}

/// The open menu's choices.
#[component]
fn MenuPanel(
    ctl: Ctl,
    i18n: I18n,
    subtitles: Vec<SubtitleTrack>,
    chapters: Vec<Chapter>,
) -> impl IntoView {
    let t = move |key: PlayerText| i18n.tr(key);
    let starts: Vec<u32> = chapters.iter().map(|c| c.start_seconds).collect();
    move || {
        let menu = ctl.menu.get()?;
        let items = match menu {
            Menu::Speed => SPEEDS
                .iter()
                .map(|&s| {
                    choice(
                        ctl,
                        speed_label(s),
                        move || ctl.rate.get() == s,
                        move || ctl.set_speed(s),
                    )
                    .into_any()
                })
                .collect::<Vec<_>>(),
            Menu::Quality => {
                let mut items = vec![
                    choice(
                        ctl,
                        t(PlayerText::Auto).to_owned(),
                        move || ctl.level_choice.get() == -1 && !ctl.saver.get(),
                        move || ctl.set_level(-1),
                    )
                    .into_any(),
                ];
                let levels = ctl.levels.get_untracked();
                items.extend(levels.iter().enumerate().map(|(i, level)| {
                    let i = i as i32;
                    choice(
                        ctl,
                        level_label(level),
                        move || ctl.level_choice.get() == i && !ctl.saver.get(),
                        move || ctl.set_level(i),
                    )
                    .into_any()
                }));
                items
            }
            Menu::Subtitles => {
                let mut items = vec![
                    choice(
                        ctl,
                        t(PlayerText::SubtitlesOff).to_owned(),
                        move || ctl.subtitle.with(Option::is_none),
                        move || ctl.set_subtitle(None),
                    )
                    .into_any(),
                ];
                items.extend(subtitles.iter().map(|track| {
                    let lang = track.language.clone();
                    let pick = lang.clone();
                    choice(
                        ctl,
                        track.label.get(i18n.locale().is_english()).to_owned(),
                        move || ctl.subtitle.with(|s| s.as_deref() == Some(lang.as_str())),
                        move || ctl.set_subtitle(Some(pick.clone())),
                    )
                    .into_any()
                }));
                items
            }
            Menu::Chapters => chapters
                .iter()
                .enumerate()
                .map(|(i, chapter)| {
                    let at = f64::from(chapter.start_seconds);
                    let starts = starts.clone();
                    let label = [
                        format_time(at),
                        "  ".into(),
                        chapter.title.get(i18n.locale().is_english()).to_owned(),
                    ]
                    .concat();
                    choice(
                        ctl,
                        label,
                        move || chapter_at(&starts, ctl.current.get()) == Some(i),
                        move || ctl.seek_to(at),
                    )
                    .into_any()
                })
                .collect(),
        };
        Some(view! {
            <ul class="player-menu" id=menu_id(menu) aria-label=t(match menu {
                Menu::Speed => PlayerText::Speed,
                Menu::Quality => PlayerText::Quality,
                Menu::Subtitles => PlayerText::Subtitles,
                Menu::Chapters => PlayerText::Chapters,
            })>
                {items}
            </ul>
        })
    }
}
