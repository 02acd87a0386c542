//! The media endpoints: master playlists with subtitle renditions, the
//! generated files (media playlists, segments, posters, whole audio) with
//! byte ranges, subtitles, and the simulated live stream of an event with
//! its replay.
//!
//! Cache headers: segments, posters and whole files never change under a
//! name (`public, max-age=31536000, immutable`); VOD playlists, subtitles
//! and master playlists for five minutes; live playlists `no-cache` (they
//! move every segment). Without a media directory, or without an asset's
//! files in it, every media URL of the asset answers 404
//! `media_unavailable`, and the server runs on.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yuelan_api::{ErrorCode, Problem};

use super::media::{self, Asset, RangeAnswer};
use super::store;
use crate::AppState;
use crate::error::AppError;
use crate::routes::blocking;

/// Media that never changes under its name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Playlists and texts of on-demand media.
const SHORT: &str = "public, max-age=300";
/// Live playlists.
const LIVE: &str = "no-cache";

/// A text answer with its type and cache policy.
pub fn text(body: String, content_type: &'static str, cache: &'static str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

fn playlist(body: String, cache: &'static str) -> Response {
    text(body, "application/vnd.apple.mpegurl", cache)
}

fn unknown_asset(id: &str) -> AppError {
    AppError::NotFound(format!("There is no media {id:?}."))
}

fn unavailable(id: &str) -> AppError {
    AppError::refused(
        ErrorCode::MediaUnavailable,
        format!(
            "The server has no media files for {id:?}: they are not generated or installed (`yuelan-server make-media`)."
        ),
    )
}

/// The asset `id`, if its files are there.
fn available_asset(state: &AppState, id: &str) -> Result<&'static Asset, AppError> {
    let asset = media::asset(id).ok_or_else(|| unknown_asset(id))?;
    if store::media_available(state.media_dir(), asset) {
        Ok(asset)
    } else {
        Err(unavailable(id))
    }
}

fn two(path: Result<Path<(String, String)>, PathRejection>) -> Result<(String, String), AppError> {
    path.map(|p| p.0)
        .map_err(|e| AppError::BadRequest(e.body_text()))
}

/// An asset's master playlist: its renditions (`BANDWIDTH`, `RESOLUTION`,
/// `CODECS`) and its Chinese and English subtitle renditions.
#[utoipa::path(
    get, path = "/api/culture/media/{asset}/master.m3u8", tag = "culture",
    params(("asset" = String, Path, description = "The asset's id, from a programme's `stream.master_url`.")),
    responses(
        (status = 200, description = "The HLS master playlist.", content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 404, description = "No such asset (`not_found`), or the server has no files for it (`media_unavailable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn master_handler(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = crate::account::one_param(path)?;
    let asset = available_asset(&state, &id)?;
    Ok(playlist(
        media::master_playlist(asset, true, |r| format!("{r}/index.m3u8")),
        SHORT,
    ))
}

/// An asset's subtitles: `{lang}.vtt` (WebVTT) or `{lang}.m3u8` (the
/// subtitle rendition's playlist).
#[utoipa::path(
    get, path = "/api/culture/media/{asset}/subs/{name}", tag = "culture",
    params(
        ("asset" = String, Path, description = "The asset's id."),
        ("name" = String, Path, description = "`zh.vtt`, `en.vtt`, `zh.m3u8` or `en.m3u8`."),
    ),
    responses(
        (status = 200, description = "WebVTT (`text/vtt`) or a playlist.", content_type = "text/vtt", body = String),
        (status = 404, description = "No such asset or subtitles (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn subs_handler(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, AppError> {
    let (id, name) = two(path)?;
    let asset = media::asset(&id).ok_or_else(|| unknown_asset(&id))?;
    let missing = || AppError::NotFound(format!("The media {id:?} has no subtitles {name:?}."));
    if let Some(lang) = name.strip_suffix(".vtt") {
        let vtt = media::subtitles_vtt(asset, lang).ok_or_else(missing)?;
        return Ok(text(vtt, "text/vtt; charset=utf-8", SHORT));
    }
    match name.strip_suffix(".m3u8") {
        Some(lang) if media::subtitles_vtt(asset, lang).is_some() => {
            Ok(playlist(media::subtitle_playlist(asset, lang), SHORT))
        }
        _ => Err(missing()),
    }
}

/// A rendition's media playlist or segment, as `make-media` wrote it.
#[utoipa::path(
    get, path = "/api/culture/media/{asset}/{rendition}/{name}", tag = "culture",
    params(
        ("asset" = String, Path, description = "The asset's id."),
        ("rendition" = String, Path, description = "The rendition's name, e.g. `240p`."),
        ("name" = String, Path, description = "`index.m3u8` or a segment, e.g. `seg_000.ts`."),
        ("Range" = Option<String>, Header, description = "`bytes=a-b`, `bytes=a-` or `bytes=-n`."),
    ),
    responses(
        (status = 200, description = "The whole file (`video/mp2t` segments, playlists).", content_type = "video/mp2t", body = Vec<u8>),
        (status = 206, description = "The range asked for, with `Content-Range`.", content_type = "video/mp2t", body = Vec<u8>),
        (status = 404, description = "No such file (`not_found`), or the server has no files for the asset (`media_unavailable`).", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range is outside the file (`range_not_satisfiable`, `Content-Range: bytes */<length>`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rendition_file_handler(
    State(state): State<AppState>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (id, rendition, name) = path
        .map(|p| p.0)
        .map_err(|e| AppError::BadRequest(e.body_text()))?;
    file(&state, &format!("{id}/{rendition}/{name}"), &headers).await
}

/// A file of an asset: `poster.jpg`, or for audio `full.m4a`.
#[utoipa::path(
    get, path = "/api/culture/media/{asset}/{name}", tag = "culture",
    params(
        ("asset" = String, Path, description = "The asset's id."),
        ("name" = String, Path, description = "`poster.jpg` or `full.m4a`."),
        ("Range" = Option<String>, Header, description = "`bytes=a-b`, `bytes=a-` or `bytes=-n`."),
    ),
    responses(
        (status = 200, description = "The whole file (`image/jpeg`, `audio/mp4`).", content_type = "audio/mp4", body = Vec<u8>),
        (status = 206, description = "The range asked for, with `Content-Range`.", content_type = "audio/mp4", body = Vec<u8>),
        (status = 404, description = "No such file (`not_found`), or the server has no files for the asset (`media_unavailable`).", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range is outside the file (`range_not_satisfiable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn asset_file_handler(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (id, name) = two(path)?;
    file(&state, &format!("{id}/{name}"), &headers).await
}

/// A file of the media directory, with byte ranges.
async fn file(state: &AppState, rel: &str, headers: &HeaderMap) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound(format!("There is no media file {rel:?}."));
    if !media::safe_media_path(rel) {
        return Err(not_found());
    }
    let id = rel.split('/').next().unwrap_or("");
    available_asset(state, id)?;
    let Some(dir) = state.media_dir() else {
        return Err(unavailable(id));
    };
    let bytes = match tokio::fs::read(dir.join(rel)).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let playlist = name.ends_with(".m3u8");
    let len = bytes.len() as u64;
    // Playlists are small and compressed on the way: always whole.
    let range = if playlist {
        RangeAnswer::Whole
    } else {
        media::parse_range(
            headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
            len,
        )
    };
    let mut res = match range {
        RangeAnswer::Whole => (StatusCode::OK, bytes).into_response(),
        RangeAnswer::Part { start, end } => {
            let part = bytes
                .get(start as usize..=end as usize)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            let mut res = (StatusCode::PARTIAL_CONTENT, part).into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            res
        }
        RangeAnswer::Unsatisfiable => {
            let mut res = AppError::refused(
                ErrorCode::RangeNotSatisfiable,
                format!("The file has {len} bytes."),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(res);
        }
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media::content_type(name)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if playlist { SHORT } else { IMMUTABLE }),
    );
    if !playlist {
        h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    Ok(res)
}

fn no_event(id: &str) -> AppError {
    AppError::NotFound(format!("There is no event {id:?}."))
}

/// The event and its streamed asset.
async fn streamed(
    state: &AppState,
    id: String,
) -> Result<(store::EventRow, &'static Asset), AppError> {
    let s = state.clone();
    let row = blocking(move || {
        s.db()
            .with_conn(|c| store::event_row(c, &id))?
            .ok_or_else(|| no_event(&id))
    })
    .await?;
    let Some(media_id) = row.live_media_id.clone() else {
        return Err(AppError::refused(
            ErrorCode::EventNotLive,
            "The event is not streamed.",
        ));
    };
    let asset = available_asset(state, &media_id)?;
    Ok((row, asset))
}

/// The rendition a playlist name (`240p.m3u8`) names.
fn rendition<'a>(asset: &'a Asset, file: &str) -> Option<&'a media::RenditionSpec> {
    let name = file.strip_suffix(".m3u8")?;
    asset.renditions.iter().find(|r| r.name == name)
}

/// The simulated live stream of an event: `master.m3u8`, then a sliding
/// window of five segments per rendition (`240p.m3u8`) that the server
/// moves with its clock, `#EXT-X-MEDIA-SEQUENCE` going up by one a
/// segment; once the event is over the window ends with
/// `#EXT-X-ENDLIST`.
#[utoipa::path(
    get, path = "/api/culture/events/{id}/live/{file}", tag = "culture",
    params(
        ("id" = String, Path, description = "The event's id."),
        ("file" = String, Path, description = "`master.m3u8`, or a rendition's playlist such as `240p.m3u8`."),
    ),
    responses(
        (status = 200, description = "The playlist (`Cache-Control: no-cache`).", content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 404, description = "No such event or rendition (`not_found`), or no media files (`media_unavailable`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The event has not started, or is not streamed (`event_not_live`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn live_handler(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, AppError> {
    let (id, file) = two(path)?;
    let (row, asset) = streamed(&state, id).await?;
    let now = state.now();
    let Some(window) = media::live_window(asset, row.starts_at, row.ends_at, now) else {
        return Err(AppError::refused(
            ErrorCode::EventNotLive,
            format!(
                "The event starts at {}.",
                crate::clock::rfc3339(row.starts_at)
            ),
        ));
    };
    if file == "master.m3u8" {
        return Ok(playlist(
            media::master_playlist(asset, false, |r| format!("{r}.m3u8")),
            LIVE,
        ));
    }
    let r = rendition(asset, &file)
        .ok_or_else(|| AppError::NotFound(format!("The stream has no playlist {file:?}.")))?;
    let base = format!("{}/{}", media::asset_base(asset.id), r.name);
    Ok(playlist(
        media::looped_playlist(asset, window, false, |i| {
            format!("{base}/{}", media::segment_name(i))
        }),
        LIVE,
    ))
}

/// The replay of a streamed event once it is over: `master.m3u8` and one
/// VOD playlist per rendition covering the whole event.
#[utoipa::path(
    get, path = "/api/culture/events/{id}/replay/{file}", tag = "culture",
    params(
        ("id" = String, Path, description = "The event's id."),
        ("file" = String, Path, description = "`master.m3u8`, or a rendition's playlist such as `240p.m3u8`."),
    ),
    responses(
        (status = 200, description = "The playlist.", content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 404, description = "No such event or rendition (`not_found`), or no media files (`media_unavailable`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The event is not over (`replay_not_ready`), or was not streamed (`event_not_live`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn replay_handler(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, AppError> {
    let (id, file) = two(path)?;
    let (row, asset) = streamed(&state, id).await?;
    let now = state.now();
    if now < row.ends_at {
        return Err(AppError::refused(
            ErrorCode::ReplayNotReady,
            format!(
                "The replay is there once the event ends, at {}.",
                crate::clock::rfc3339(row.ends_at)
            ),
        ));
    }
    if file == "master.m3u8" {
        return Ok(playlist(
            media::master_playlist(asset, false, |r| format!("{r}.m3u8")),
            SHORT,
        ));
    }
    let r = rendition(asset, &file)
        .ok_or_else(|| AppError::NotFound(format!("The replay has no playlist {file:?}.")))?;
    let d = i64::from(asset.segment_seconds.max(1));
    let total = u64::try_from((row.ends_at - row.starts_at + d - 1) / d).unwrap_or(0);
    let base = format!("{}/{}", media::asset_base(asset.id), r.name);
    let window = media::LiveWindow {
        first: 0,
        count: total,
        ended: true,
    };
    Ok(playlist(
        media::looped_playlist(asset, window, true, |i| {
            format!("{base}/{}", media::segment_name(i))
        }),
        SHORT,
    ))
}
