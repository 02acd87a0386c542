//! Wire types of the cultural cloud (文化云): programmes on demand with
//! their series, episodes, credits, subtitles and chapters; events with a
//! schedule and a place (upcoming, live now, replay), registrations for
//! events with limited places, with a waitlist; the patron's progress
//! (resume anywhere), ratings, views, and requests (点单) from the public.
//!
//! Instants are RFC 3339 with the library's offset
//! (`2026-12-01T19:30:00+08:00`), dates `YYYY-MM-DD` in local time (UTC+8).
//! Media URLs are paths on the API's origin (`/api/culture/media/...`): HLS
//! playlists (`application/vnd.apple.mpegurl`), segments (`video/mp2t`),
//! WebVTT subtitles and chapters (`text/vtt`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::LocalizedText;

/// The header that makes `POST /api/me/culture/registrations` safe to
/// repeat (the same as booking's).
pub const IDEMPOTENCY_KEY_HEADER: &str = crate::booking::IDEMPOTENCY_KEY_HEADER;

/// Longest text of a patron's request (点单), in characters.
pub const MAX_REQUEST_CHARS: usize = 100;

crate::wire_enum! {
    /// What a programme or event is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum Category {
        /// Lectures and talks (讲座).
        Lecture = "lecture",
        /// Cantonese opera (粤剧).
        CantoneseOpera = "cantonese_opera",
        /// Concerts (音乐会).
        Concert = "concert",
        /// Children's programmes (少儿).
        Children = "children",
        /// Exhibitions (展览).
        Exhibition = "exhibition",
        /// Local history (地方史).
        LocalHistory = "local_history",
        /// Skills training (技能培训).
        SkillsTraining = "skills_training",
    }
    else Unknown
}

impl Category {
    /// Every category, in the order the culture home shows its rows.
    pub const ALL: [Category; 7] = [
        Category::Lecture,
        Category::CantoneseOpera,
        Category::Concert,
        Category::Children,
        Category::Exhibition,
        Category::LocalHistory,
        Category::SkillsTraining,
    ];
}

crate::wire_enum! {
    /// Whether a programme has pictures.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum MediaKind {
        Video = "video",
        /// Sound only: an audio-only HLS rendition (and a whole `.m4a` file).
        Audio = "audio",
    }
    else Unknown
}

crate::wire_enum! {
    /// What a person did in a programme or event.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum CreditRole {
        /// Gave the lecture or talk (主讲).
        Speaker = "speaker",
        /// Performed (表演).
        Performer = "performer",
        /// Hosted (主持).
        Host = "host",
    }
    else Unknown
}

crate::wire_struct! {
    /// A speaker, performer or host of a programme or event.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Credit {
        pub person_id: String,
        pub name: LocalizedText,
        pub role: CreditRole,
        /// Who they are, in a line (粤剧表演艺术家).
        #[serde(default)]
        pub title: LocalizedText,
    }
}

crate::wire_struct! {
    /// Patrons' ratings of a programme.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RatingSummary {
        /// The mean of the ratings, 1 to 5 (0 when there are none), to one
        /// decimal.
        pub average: f64,
        pub count: u32,
        /// The signed-in patron's own rating, 1 to 5.
        #[serde(default)]
        pub mine: Option<u8>,
    }
}

crate::wire_struct! {
    /// A programme in a list.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ProgrammeSummary {
        pub id: String,
        pub title: LocalizedText,
        pub category: Category,
        pub kind: MediaKind,
        /// The series it is an episode of, if any.
        #[serde(default)]
        pub series_id: Option<String>,
        #[serde(default)]
        pub series_title: Option<LocalizedText>,
        /// 1-based episode number in its series.
        #[serde(default)]
        pub episode: Option<u32>,
        /// The length of what plays.
        pub duration_seconds: u32,
        /// The spoken language: `zh` (Mandarin), `yue` (Cantonese), `en`,
        /// `hak` (Hakka), or `none` (music without words).
        pub language: String,
        /// Languages of its subtitles (`zh`, `en`).
        #[serde(default)]
        pub subtitles: Vec<String>,
        /// The library or village centre where it was recorded.
        pub library_id: String,
        pub library_name: LocalizedText,
        /// `YYYY-MM-DD`.
        pub recorded_on: String,
        #[serde(default)]
        pub tags: Vec<LocalizedText>,
        #[serde(default)]
        pub credits: Vec<Credit>,
        /// A still (JPEG), when the server has the media.
        #[serde(default)]
        pub poster_url: Option<String>,
        pub rating: RatingSummary,
        /// Views counted (once per patron or device per day).
        pub views: u32,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/culture/programmes`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ProgrammeList {
        /// Programmes matching, over all pages.
        pub total: u32,
        pub page: u32,
        pub page_size: u32,
        pub programmes: Vec<ProgrammeSummary>,
    }
}

crate::wire_struct! {
    /// A series of programmes.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SeriesInfo {
        pub id: String,
        pub title: LocalizedText,
        pub description: LocalizedText,
        pub category: Category,
        /// Episodes published.
        pub episodes: u32,
    }
}

crate::wire_struct! {
    /// One quality of a stream.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Rendition {
        /// `360p`, `180p`, `audio`.
        pub name: String,
        /// 0 for audio.
        pub width: u32,
        pub height: u32,
        /// Peak bits per second, as in the master playlist.
        pub bandwidth: u32,
        /// RFC 6381 codecs, as in the master playlist.
        pub codecs: String,
    }
}

crate::wire_struct! {
    /// How to play a programme.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Stream {
        pub kind: MediaKind,
        /// The HLS master playlist (renditions and subtitle renditions).
        pub master_url: String,
        pub renditions: Vec<Rendition>,
        /// For audio: the whole programme as one AAC file (`audio/mp4`), for
        /// players without HLS.
        #[serde(default)]
        pub audio_url: Option<String>,
        /// Whether the server has the media files now; when false, the URLs
        /// answer 404 `media_unavailable`.
        pub available: bool,
    }
}

crate::wire_struct! {
    /// A subtitle track (WebVTT), also a subtitle rendition of the master
    /// playlist.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SubtitleTrack {
        /// BCP 47: `zh`, `en`.
        pub language: String,
        pub label: LocalizedText,
        /// The `.vtt` file.
        pub url: String,
        /// Shown when the viewer has chosen no language.
        #[serde(default)]
        pub default: bool,
    }
}

crate::wire_struct! {
    /// A chapter of a programme.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Chapter {
        pub start_seconds: u32,
        pub title: LocalizedText,
    }
}

crate::wire_struct! {
    /// Where a patron stopped watching or listening.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Progress {
        pub programme_id: String,
        pub position_seconds: u32,
        pub duration_seconds: u32,
        /// The client's clock when it was saved (milliseconds since the Unix
        /// epoch): the latest save wins, whichever device sends it last.
        pub client_time_ms: i64,
        /// Watched to the end (95% of it or more).
        pub finished: bool,
    }
}

crate::wire_struct! {
    /// The body of `PUT /api/me/culture/progress/{programme_id}`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SaveProgress {
        pub position_seconds: u32,
        pub duration_seconds: u32,
        /// The device's clock now, in milliseconds since the Unix epoch. A
        /// save older than the one stored changes nothing, so a late retry
        /// from one device cannot undo a newer save from another.
        pub client_time_ms: i64,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/culture/programmes/{id}`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ProgrammeDetail {
        pub programme: ProgrammeSummary,
        pub summary: LocalizedText,
        #[serde(default)]
        pub series: Option<SeriesInfo>,
        /// Every episode of its series in order, this one included (empty
        /// for a programme outside a series).
        #[serde(default)]
        pub episodes: Vec<ProgrammeSummary>,
        pub stream: Stream,
        #[serde(default)]
        pub subtitles: Vec<SubtitleTrack>,
        #[serde(default)]
        pub chapters: Vec<Chapter>,
        /// The chapters as a WebVTT chapters track, when there are any.
        #[serde(default)]
        pub chapters_url: Option<String>,
        /// The signed-in patron's progress.
        #[serde(default)]
        pub progress: Option<Progress>,
    }
}

crate::wire_enum! {
    /// Where an event stands in its schedule.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum EventStatus {
        /// It has not started.
        Upcoming = "upcoming",
        /// Under way; with a `live_url` when it is streamed.
        Live = "live",
        /// Over, with a replay at `replay_url`.
        Replay = "replay",
        /// Over, with nothing to replay.
        Ended = "ended",
    }
    else Unknown
}

crate::wire_enum! {
    /// Where a registration stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum RegistrationStatus {
        /// Holds a place.
        Registered = "registered",
        /// On the waitlist: moves up, and takes a place, when someone
        /// cancels.
        Waiting = "waiting",
        Cancelled = "cancelled",
    }
    else Unknown
}

crate::wire_struct! {
    /// The places of an event that takes registrations.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Places {
        pub capacity: u32,
        pub registered: u32,
        pub waiting: u32,
        /// Registrations are taken until the event starts.
        pub open: bool,
    }
}

crate::wire_struct! {
    /// The signed-in patron's registration for an event.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct MyPlace {
        pub registration_id: i64,
        pub status: RegistrationStatus,
        /// 1-based place on the waitlist, while waiting.
        #[serde(default)]
        pub waitlist_position: Option<u32>,
    }
}

crate::wire_struct! {
    /// An event of the calendar (讲座, 演出, 展览, 培训...).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CultureEvent {
        pub id: String,
        pub title: LocalizedText,
        pub summary: LocalizedText,
        pub category: Category,
        /// The library or village centre where it takes place.
        pub library_id: String,
        pub library_name: LocalizedText,
        /// The room or hall there (报告厅).
        pub place: LocalizedText,
        /// RFC 3339.
        pub starts_at: String,
        pub ends_at: String,
        pub status: EventStatus,
        #[serde(default)]
        pub credits: Vec<Credit>,
        /// The live HLS master playlist, while `live` (and streamed).
        #[serde(default)]
        pub live_url: Option<String>,
        /// The replay's HLS master playlist, once it is over.
        #[serde(default)]
        pub replay_url: Option<String>,
        /// The event as an iCalendar file.
        pub ics_url: String,
        /// A programme of the same recording, if one is published.
        #[serde(default)]
        pub programme_id: Option<String>,
        /// Present when the event takes registrations (活动报名).
        #[serde(default)]
        pub places: Option<Places>,
        /// The signed-in patron's registration, if any.
        #[serde(default)]
        pub mine: Option<MyPlace>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/culture/events`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct EventList {
        /// By start, earliest first.
        pub events: Vec<CultureEvent>,
    }
}

crate::wire_struct! {
    /// A programme the patron has started and not finished.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ContinueItem {
        pub programme: ProgrammeSummary,
        pub progress: Progress,
    }
}

crate::wire_struct! {
    /// One row of the culture home: a category's newest programmes.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CategoryRow {
        pub category: Category,
        /// Programmes in the category, over all pages.
        pub total: u32,
        pub programmes: Vec<ProgrammeSummary>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/culture/home`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CultureHome {
        /// Events under way now.
        #[serde(default)]
        pub live_now: Vec<CultureEvent>,
        /// The next events, soonest first.
        #[serde(default)]
        pub upcoming: Vec<CultureEvent>,
        /// One row per category that has programmes.
        pub rows: Vec<CategoryRow>,
        /// The signed-in patron's unfinished programmes, latest first
        /// (empty when signed out).
        #[serde(default)]
        pub continue_watching: Vec<ContinueItem>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/me/culture/progress`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ContinueWatching {
        pub items: Vec<ContinueItem>,
    }
}

crate::wire_struct! {
    /// The body of `PUT /api/me/culture/ratings/{programme_id}`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RateProgramme {
        /// 1 to 5.
        pub stars: u8,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/culture/programmes/{id}/views`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RecordView {
        /// A random id the app keeps on the device (8 to 64 letters, digits,
        /// `-` or `_`), for views of patrons who are not signed in; a
        /// signed-in patron's view counts by their card.
        #[serde(default)]
        pub device_id: Option<String>,
    }
}

crate::wire_struct! {
    /// The answer of `POST /api/culture/programmes/{id}/views`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ViewCount {
        pub programme_id: String,
        pub views: u32,
        /// Whether this view was counted (false: this viewer was counted
        /// today already).
        pub counted: bool,
    }
}

crate::wire_struct! {
    /// A registration for an event, as its patron sees it.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Registration {
        pub id: i64,
        pub status: RegistrationStatus,
        pub event_id: String,
        pub event_title: LocalizedText,
        pub library_id: String,
        pub library_name: LocalizedText,
        pub place: LocalizedText,
        /// RFC 3339.
        pub starts_at: String,
        pub ends_at: String,
        /// 1-based place on the waitlist, while waiting.
        #[serde(default)]
        pub waitlist_position: Option<u32>,
        /// When the patron registered (RFC 3339).
        pub created_at: String,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/me/culture/registrations`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct MyRegistrations {
        /// Registered and waiting ones, by the event's start; cancelled ones
        /// and those of past events are left out.
        pub registrations: Vec<Registration>,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/culture/registrations`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CreateRegistration {
        pub event_id: String,
    }
}

crate::wire_struct! {
    /// A patron's request (点单): a programme or activity they would like at
    /// their library or village centre, which others can back.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CultureRequest {
        pub id: i64,
        pub library_id: String,
        pub library_name: LocalizedText,
        pub category: Category,
        /// What they ask for, as written.
        pub text: String,
        /// Patrons backing it, the requester included.
        pub backers: u32,
        /// RFC 3339.
        pub created_at: String,
        /// The signed-in patron made it.
        #[serde(default)]
        pub mine: bool,
        /// The signed-in patron backs it.
        #[serde(default)]
        pub backed: bool,
    }
}

crate::wire_struct! {
    /// Requests at one library.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct LibraryRequests {
        pub library_id: String,
        pub library_name: LocalizedText,
        pub requests: u32,
        /// Backers of its requests, summed.
        pub backers: u32,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/culture/requests`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RequestList {
        /// Most backed first.
        pub requests: Vec<CultureRequest>,
        /// Counts per library, in network order (libraries with requests).
        pub by_library: Vec<LibraryRequests>,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/culture/requests`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CreateRequest {
        pub library_id: String,
        pub category: Category,
        /// 1 to 100 characters.
        pub text: String,
    }
}
