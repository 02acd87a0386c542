//! The cultural cloud (文化云): programmes on demand ([`store`], searched
//! with the catalog's Chinese rules by [`search`]), events with their
//! schedule, simulated live streams and replays, the media the programmes
//! play ([`media`]: assets, playlists, ranges; [`serve`]: the media
//! endpoints; [`generate`]: `make-media`, which makes the files with
//! ffmpeg), the patron's progress, ratings, views and requests
//! ([`patron`]), and registrations for events with limited places
//! ([`registrations`]). The seed is [`seed`].
//!
//! Browsing needs no sign-in; a signed-in patron's requests also carry
//! their progress, rating and registrations ([`MaybeSignedIn`]).

pub mod generate;
pub mod media;
pub mod patron;
pub mod registrations;
pub mod search;
pub mod seed;
pub mod serve;
pub mod store;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yuelan_api::culture::{
    Category, CategoryRow, ContinueItem, CultureHome, EventList, EventStatus, MediaKind,
    ProgrammeDetail, ProgrammeList,
};
use yuelan_api::{FieldError, Problem};

use crate::AppState;
use crate::account::{SignedIn, credential, one_param, session};
use crate::clock::{DAY, format_date, parse_date, rfc3339};
use crate::error::AppError;
use crate::routes::{blocking, query_pairs};

/// The patron, when the request carries a live session; anonymous
/// otherwise (an unknown or ended session browses as anonymous too).
#[derive(Clone, Debug)]
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl MaybeSignedIn {
    pub fn card(&self) -> Option<String> {
        self.0.as_ref().map(|w| w.card_number.clone())
    }
}

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = credential(&parts.headers) else {
            return Ok(MaybeSignedIn(None));
        };
        let state = state.clone();
        let now = state.now();
        blocking(move || Ok(MaybeSignedIn(session::touch(state.db(), &token, now)?))).await
    }
}

/// An answer that depends on who asks: never stored by shared caches.
pub fn personal_json<T: serde::Serialize>(body: &T) -> Response {
    let mut res = (StatusCode::OK, Json(body)).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    res
}

fn invalid(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: "invalid".into(),
        message: message.into(),
    }
}

/// Programmes a home row shows.
const ROW_LENGTH: usize = 10;

/// The culture home: what is live now, the next events, a row per
/// category, and the signed-in patron's unfinished programmes.
#[utoipa::path(
    get, path = "/api/culture/home", tag = "culture",
    responses((status = 200, description = "The home's rows. With a session, `continue_watching` and each programme's `rating.mine` are the patron's.", body = CultureHome))
)]
pub async fn home_handler(
    State(state): State<AppState>,
    who: MaybeSignedIn,
) -> Result<Response, AppError> {
    let now = state.now();
    let card = who.card();
    let home = blocking(move || {
        Ok(state.db().with_conn(|c| {
            let all = store::programmes(c, card.as_deref(), state.media_dir())?;
            let rows = Category::ALL
                .iter()
                .filter_map(|&category| {
                    let in_category: Vec<_> = all
                        .iter()
                        .filter(|r| r.summary.category == category)
                        .collect();
                    (!in_category.is_empty()).then(|| CategoryRow {
                        category,
                        total: u32::try_from(in_category.len()).unwrap_or(0),
                        programmes: in_category
                            .iter()
                            .take(ROW_LENGTH)
                            .map(|r| r.summary.clone())
                            .collect(),
                    })
                })
                .collect();
            let events = store::event_rows(c, now, now + 30 * DAY)?;
            let events = store::events_to_wire(c, events, card.as_deref(), now)?;
            let (live_now, upcoming): (Vec<_>, Vec<_>) = events
                .into_iter()
                .partition(|e| e.status == EventStatus::Live);
            let mut continue_watching = Vec::new();
            if let Some(card) = &card {
                for p in store::continue_watching(c, card)? {
                    if let Some(row) = all.iter().find(|r| r.summary.id == p.programme_id) {
                        continue_watching.push(ContinueItem {
                            programme: row.summary.clone(),
                            progress: p,
                        });
                    }
                }
            }
            Ok(CultureHome {
                live_now,
                upcoming: upcoming.into_iter().take(6).collect(),
                rows,
                continue_watching,
            })
        })?)
    })
    .await?;
    Ok(personal_json(&home))
}

/// Query parameters of `GET /api/culture/programmes`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ProgrammesParams {
    /// Words to find in titles, series, tags, speakers and performers, and
    /// the library's name: Chinese of any length (one or two characters
    /// too), pinyin (`luofushan`) or its initials (`lfs`), English words.
    #[param(max_length = 200)]
    q: Option<String>,
    category: Option<Category>,
    /// The library or village centre where it was recorded.
    library: Option<String>,
    kind: Option<MediaKind>,
    series: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 50)]
    page_size: Option<u32>,
}

/// The parsed filters of a programme search.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub q: String,
    pub category: Option<Category>,
    pub library: Option<String>,
    pub kind: Option<MediaKind>,
    pub series: Option<String>,
    pub page: u32,
    pub page_size: u32,
}

/// Reads the query string of a programme search; every invalid field is
/// named.
pub fn filters(pairs: &[(String, String)]) -> Result<Filters, AppError> {
    let mut f = Filters {
        page: 1,
        page_size: 20,
        ..Filters::default()
    };
    let mut errors = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "q" if v.chars().count() > 200 => {
                errors.push(invalid("q", "`q` is at most 200 characters."))
            }
            "q" => f.q = v.clone(),
            "category" => match Category::parse(v) {
                Some(c) => f.category = Some(c),
                None => errors.push(invalid("category", format!("Unknown category {v:?}."))),
            },
            "kind" => match MediaKind::parse(v) {
                Some(k) => f.kind = Some(k),
                None => errors.push(invalid("kind", "`kind` is `video` or `audio`.")),
            },
            "library" => f.library = Some(v.clone()),
            "series" => f.series = Some(v.clone()),
            "page" => match v.parse::<u32>() {
                Ok(n) if (1..=500).contains(&n) => f.page = n,
                _ => errors.push(invalid("page", "`page` is an integer from 1 to 500.")),
            },
            "page_size" => match v.parse::<u32>() {
                Ok(n) if (1..=50).contains(&n) => f.page_size = n,
                _ => errors.push(invalid(
                    "page_size",
                    "`page_size` is an integer from 1 to 50.",
                )),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(f)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Programmes, searched and filtered: the best matches first (a query
/// word in the title counts more), then in the seed's order.
#[utoipa::path(
    get, path = "/api/culture/programmes", tag = "culture",
    params(ProgrammesParams),
    responses(
        (status = 200, description = "A page of programmes.", body = ProgrammeList),
        (status = 422, description = "A parameter is invalid (`validation_failed`, naming it).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn programmes_handler(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let f = filters(&query_pairs(raw.as_deref().unwrap_or(""))?)?;
    let card = who.card();
    let list = blocking(move || {
        Ok(state.db().with_conn(|c| {
            let query = search::Query::parse(&f.q);
            let mut hits: Vec<(u32, store::Row)> =
                store::programmes(c, card.as_deref(), state.media_dir())?
                    .into_iter()
                    .filter(|r| f.category.is_none_or(|x| r.summary.category == x))
                    .filter(|r| f.kind.is_none_or(|x| r.summary.kind == x))
                    .filter(|r| {
                        f.library
                            .as_ref()
                            .is_none_or(|x| &r.summary.library_id == x)
                    })
                    .filter(|r| f.series.is_none() || r.summary.series_id == f.series)
                    .filter_map(|r| query.score(&r.title_doc, &r.rest_doc).map(|s| (s, r)))
                    .collect();
            hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.position.cmp(&b.1.position)));
            let total = u32::try_from(hits.len()).unwrap_or(0);
            let skip = ((f.page - 1) * f.page_size) as usize;
            Ok(ProgrammeList {
                total,
                page: f.page,
                page_size: f.page_size,
                programmes: hits
                    .into_iter()
                    .skip(skip)
                    .take(f.page_size as usize)
                    .map(|(_, r)| r.summary)
                    .collect(),
            })
        })?)
    })
    .await?;
    Ok(personal_json(&list))
}

fn no_programme(id: &str) -> AppError {
    AppError::NotFound(format!("There is no programme {id:?}."))
}

/// A programme with its series' episodes, stream, subtitles, chapters and
/// (signed in) the patron's progress and rating.
#[utoipa::path(
    get, path = "/api/culture/programmes/{id}", tag = "culture",
    params(("id" = String, Path, description = "The programme's id, e.g. `luofu-1`.")),
    responses(
        (status = 200, description = "The programme.", body = ProgrammeDetail),
        (status = 404, description = "No such programme (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn programme_handler(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    let card = who.card();
    let detail: ProgrammeDetail = blocking(move || {
        state
            .db()
            .with_conn(|c| store::detail(c, &id, card.as_deref(), state.media_dir()))?
            .ok_or_else(|| no_programme(&id))
    })
    .await?;
    Ok(personal_json(&detail))
}

/// A programme's chapters as a WebVTT chapters track.
#[utoipa::path(
    get, path = "/api/culture/programmes/{id}/chapters.vtt", tag = "culture",
    params(("id" = String, Path, description = "The programme's id.")),
    responses(
        (status = 200, description = "WebVTT, one cue per chapter.", content_type = "text/vtt", body = String),
        (status = 404, description = "No such programme, or it has no chapters (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn chapters_handler(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    let vtt = blocking(move || {
        state.db().with_conn(|c| {
            let Some(row) = store::programme(c, &id, None, None)? else {
                return Ok(Err(no_programme(&id)));
            };
            let chapters: Vec<(u32, String)> = store::chapters(c, &id)?
                .into_iter()
                .map(|ch| {
                    (
                        ch.start_seconds,
                        format!("{} / {}", ch.title.zh, ch.title.en),
                    )
                })
                .collect();
            if chapters.is_empty() {
                return Ok(Err(AppError::NotFound(format!(
                    "The programme {id:?} has no chapters."
                ))));
            }
            Ok(Ok(media::chapters_vtt(
                &chapters,
                row.summary.duration_seconds,
            )))
        })?
    })
    .await?;
    Ok(serve::text(
        vtt,
        "text/vtt; charset=utf-8",
        "public, max-age=300",
    ))
}

/// Query parameters of `GET /api/culture/events`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct EventsParams {
    /// `YYYY-MM-DD`, first day; default a week ago.
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    from: Option<String>,
    /// `YYYY-MM-DD`, last day; default 60 days on. At most 366 days after `from`.
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    to: Option<String>,
    /// Only the events of this library or village centre.
    library: Option<String>,
    category: Option<Category>,
}

/// The events calendar: events overlapping the days asked for, by start,
/// each with its place, status, streams and places.
#[utoipa::path(
    get, path = "/api/culture/events", tag = "culture",
    params(EventsParams),
    responses(
        (status = 200, description = "The events. With a session, `mine` is the patron's registration.", body = EventList),
        (status = 422, description = "`from`, `to` or `category` is invalid (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn events_handler(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let pairs = query_pairs(raw.as_deref().unwrap_or(""))?;
    let today = state.today();
    let now = state.now();
    let mut errors = Vec::new();
    let mut day = |name: &str, default: i64| match pairs.iter().find(|(k, _)| k == name) {
        None => default,
        Some((_, v)) => parse_date(v).unwrap_or_else(|| {
            errors.push(invalid(name, format!("`{name}` is a date, YYYY-MM-DD.")));
            default
        }),
    };
    let (from, to) = (day("from", today - 7), day("to", today + 60));
    if to < from || to - from > 366 {
        errors.push(invalid(
            "to",
            "`to` is on or after `from`, at most 366 days on.",
        ));
    }
    let mut category = None;
    if let Some((_, v)) = pairs.iter().find(|(k, _)| k == "category") {
        match Category::parse(v) {
            Some(c) => category = Some(c),
            None => errors.push(invalid("category", format!("Unknown category {v:?}."))),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let library = pairs
        .iter()
        .find(|(k, _)| k == "library")
        .map(|(_, v)| v.clone());
    let card = who.card();
    let start = crate::booking::rules::instant_of(from, 0);
    let end = crate::booking::rules::instant_of(to + 1, 0);
    let list = blocking(move || {
        Ok(state.db().with_conn(|c| {
            let rows = store::event_rows(c, start, end)?
                .into_iter()
                .filter(|e| library.as_ref().is_none_or(|l| &e.library_id == l))
                .filter(|e| category.is_none_or(|x| e.category == x))
                .collect();
            Ok(EventList {
                events: store::events_to_wire(c, rows, card.as_deref(), now)?,
            })
        })?)
    })
    .await?;
    Ok(personal_json(&list))
}

fn no_event(id: &str) -> AppError {
    AppError::NotFound(format!("There is no event {id:?}."))
}

/// One event; `{id}.ics` answers it as an iCalendar file.
#[utoipa::path(
    get, path = "/api/culture/events/{id}", tag = "culture",
    params(("id" = String, Path, description = "The event's id, e.g. `ev-picturebook`; with `.ics` appended, the event as an iCalendar file.")),
    responses(
        (status = 200, description = "The event (or, for `{id}.ics`, one `VEVENT` as `text/calendar`).", body = yuelan_api::culture::CultureEvent),
        (status = 404, description = "No such event (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn event_handler(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let raw = one_param(path)?;
    let now = state.now();
    if let Some(id) = raw.strip_suffix(".ics") {
        let id = id.to_owned();
        let row = blocking(move || {
            state
                .db()
                .with_conn(|c| store::event_row(c, &id))?
                .ok_or_else(|| no_event(&id))
        })
        .await?;
        let mut res = (StatusCode::OK, ics(&row, now)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/calendar; charset=utf-8"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}.ics\"", row.id)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        return Ok(res);
    }
    let card = who.card();
    let event = blocking(move || {
        state.db().with_conn(|c| {
            let Some(row) = store::event_row(c, &raw)? else {
                return Ok(Err(no_event(&raw)));
            };
            let mut events = store::events_to_wire(c, vec![row], card.as_deref(), now)?;
            Ok(events.pop().ok_or_else(|| no_event(&raw)))
        })?
    })
    .await?;
    Ok(personal_json(&event))
}

/// An event as an iCalendar file.
pub fn ics(e: &store::EventRow, now: i64) -> String {
    use crate::booking::staff::{ics_text, ics_utc};
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Yuelan//Cultural cloud//EN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:culture-event-{}@yuelan", e.id),
        format!("DTSTAMP:{}", ics_utc(now)),
        format!("DTSTART:{}", ics_utc(e.starts_at)),
        format!("DTEND:{}", ics_utc(e.ends_at)),
        format!(
            "SUMMARY:{}",
            ics_text(&format!("{} / {}", e.title.zh, e.title.en))
        ),
        format!(
            "LOCATION:{}",
            ics_text(&format!("{} {}", e.library_name.zh, e.place.zh))
        ),
        format!(
            "DESCRIPTION:{}",
            ics_text(&format!(
                "{}\n{}\n{} – {}",
                e.summary.zh,
                e.summary.en,
                rfc3339(e.starts_at),
                format_date(crate::clock::local_day(e.ends_at))
            ))
        ),
        "STATUS:CONFIRMED".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        query_pairs(q).unwrap()
    }

    #[test]
    fn filters_name_every_invalid_field() {
        let f = filters(&pairs("q=%E7%B2%A4&category=concert&page=2&page_size=5")).unwrap();
        assert_eq!(f.q, "粤");
        assert_eq!(f.category, Some(Category::Concert));
        assert_eq!((f.page, f.page_size), (2, 5));
        match filters(&pairs("category=jazz&page=0&page_size=99&kind=film")) {
            Err(AppError::Validation(errors)) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["category", "page", "page_size", "kind"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
