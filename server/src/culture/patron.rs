//! The patron's side of the cultural cloud: progress (resume anywhere,
//! the latest save by the client's clock wins), ratings (1 to 5 per
//! patron and programme), views (once per patron or device per programme
//! per day, a unique constraint), and requests (点单) with their backers.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::culture::{
    Category, ContinueItem, ContinueWatching, CreateRequest, CultureRequest, LibraryRequests,
    MAX_REQUEST_CHARS, Progress, RateProgramme, RatingSummary, RecordView, RequestList,
    SaveProgress, ViewCount,
};
use yuelan_api::{LocalizedText, Problem};

use super::{MaybeSignedIn, personal_json, store};
use crate::AppState;
use crate::account::{CsrfChecked, SignedIn, created, one_param, path_id, private_json};
use crate::clock::{local_day, rfc3339};
use crate::error::{AppError, Error};
use crate::routes::{JsonBody, blocking, query_pairs};

fn no_programme(id: &str) -> AppError {
    AppError::NotFound(format!("There is no programme {id:?}."))
}

/// Longest programme a progress may describe (a day).
const MAX_DURATION: u32 = 24 * 3600;

/// Checks a progress save: the position within the length, both sane.
pub fn check_progress(p: &SaveProgress) -> Result<(), AppError> {
    if p.duration_seconds == 0 || p.duration_seconds > MAX_DURATION {
        return Err(AppError::field(
            "duration_seconds",
            "out_of_range",
            "`duration_seconds` is from 1 to 86400.",
        ));
    }
    if p.position_seconds > p.duration_seconds {
        return Err(AppError::field(
            "position_seconds",
            "out_of_range",
            "`position_seconds` is at most `duration_seconds`.",
        ));
    }
    if p.client_time_ms <= 0 {
        return Err(AppError::field(
            "client_time_ms",
            "out_of_range",
            "`client_time_ms` is milliseconds since the Unix epoch.",
        ));
    }
    Ok(())
}

/// Saves where the patron stopped; an older save than the stored one
/// changes nothing. Answers the progress as stored.
pub fn save_progress(
    conn: &Connection,
    card: &str,
    id: &str,
    p: &SaveProgress,
    now: i64,
) -> Result<Progress, AppError> {
    if !store::programme_exists(conn, id)? {
        return Err(no_programme(id));
    }
    conn.prepare_cached(
        "INSERT INTO culture_progress (card_number, programme_id, position_seconds, duration_seconds,
                                       client_time_ms, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (card_number, programme_id) DO UPDATE SET
             position_seconds = excluded.position_seconds, duration_seconds = excluded.duration_seconds,
             client_time_ms = excluded.client_time_ms, saved_at = excluded.saved_at
         WHERE excluded.client_time_ms >= culture_progress.client_time_ms",
    )?
    .execute(params![
        card,
        id,
        p.position_seconds,
        p.duration_seconds,
        p.client_time_ms,
        now
    ])?;
    store::progress(conn, card, id)?.ok_or_else(|| no_programme(id))
}

/// Saves where the patron stopped in a programme (idempotent: the same
/// save twice is one; the latest `client_time_ms` wins).
#[utoipa::path(
    put, path = "/api/me/culture/progress/{id}", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = String, Path, description = "The programme's id.")),
    security(("bearer" = []), ("cookie" = [])),
    request_body = SaveProgress,
    responses(
        (status = 200, description = "The progress as stored (an older save leaves the newer one).", body = Progress),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is out of range (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_progress_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<SaveProgress>,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    check_progress(&req)?;
    let now = state.now();
    let p = blocking(move || {
        state
            .db()
            .write(|tx| save_progress(tx, &who.card_number, &id, &req, now))
    })
    .await?;
    Ok(private_json(StatusCode::OK, &p))
}

/// The patron's unfinished programmes, latest first ("continue watching").
#[utoipa::path(
    get, path = "/api/me/culture/progress", tag = "culture",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Unfinished programmes with their progress, latest save first.", body = ContinueWatching),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn continue_handler(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let items = blocking(move || {
        Ok(state.db().with_conn(|c| {
            let all = store::programmes(c, Some(&who.card_number), state.media_dir())?;
            let mut items = Vec::new();
            for p in store::continue_watching(c, &who.card_number)? {
                if let Some(row) = all.iter().find(|r| r.summary.id == p.programme_id) {
                    items.push(ContinueItem {
                        programme: row.summary.clone(),
                        progress: p,
                    });
                }
            }
            Ok(items)
        })?)
    })
    .await?;
    Ok(private_json(StatusCode::OK, &ContinueWatching { items }))
}

/// The ratings of a programme as `card` sees them.
pub fn rating(conn: &Connection, id: &str, card: &str) -> Result<RatingSummary, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(stars), 0), COUNT(*),
                    (SELECT stars FROM culture_ratings WHERE programme_id = ?1 AND card_number = ?2)
             FROM culture_ratings WHERE programme_id = ?1",
        )?
        .query_row(params![id, card], |r| {
            let (sum, count, mine): (i64, i64, Option<i64>) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(RatingSummary {
                average: store::average(sum, count),
                count: u32::try_from(count).unwrap_or(0),
                mine: mine.and_then(|s| u8::try_from(s).ok()),
            })
        })?)
}

/// Rates a programme 1 to 5 (again: the new rating replaces the old).
#[utoipa::path(
    put, path = "/api/me/culture/ratings/{id}", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = String, Path, description = "The programme's id.")),
    security(("bearer" = []), ("cookie" = [])),
    request_body = RateProgramme,
    responses(
        (status = 200, description = "The programme's ratings with the patron's.", body = RatingSummary),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`stars` is not 1 to 5 (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rate_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<RateProgramme>,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    if !(1..=5).contains(&req.stars) {
        return Err(AppError::field(
            "stars",
            "out_of_range",
            "`stars` is from 1 to 5.",
        ));
    }
    let now = state.now();
    let r = blocking(move || {
        state.db().write(|tx| {
            if !store::programme_exists(tx, &id)? {
                return Err(no_programme(&id));
            }
            tx.execute(
                "INSERT INTO culture_ratings (programme_id, card_number, stars, rated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (programme_id, card_number) DO UPDATE SET stars = excluded.stars, rated_at = excluded.rated_at",
                params![id, who.card_number, req.stars, now],
            )?;
            Ok(rating(tx, &id, &who.card_number)?)
        })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &r))
}

/// Takes the patron's rating back.
#[utoipa::path(
    delete, path = "/api/me/culture/ratings/{id}", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = String, Path, description = "The programme's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The programme's ratings without the patron's.", body = RatingSummary),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unrate_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    let r = blocking(move || {
        state.db().write(|tx| {
            if !store::programme_exists(tx, &id)? {
                return Err(no_programme(&id));
            }
            tx.execute(
                "DELETE FROM culture_ratings WHERE programme_id = ?1 AND card_number = ?2",
                params![id, who.card_number],
            )?;
            Ok(rating(tx, &id, &who.card_number)?)
        })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &r))
}

/// Whether a device id is acceptable: 8 to 64 letters, digits, `-`, `_`.
pub fn valid_device_id(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Counts a view: once per viewer (the signed-in patron's card, else the
/// device id) per programme per day, which the database's unique
/// constraint guarantees.
#[utoipa::path(
    post, path = "/api/culture/programmes/{id}/views", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = String, Path, description = "The programme's id.")),
    request_body = RecordView,
    responses(
        (status = 200, description = "The programme's views, and whether this one counted.", body = ViewCount),
        (status = 403, description = "The CSRF header is missing (`csrf_check_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Signed out without a valid `device_id` (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn view_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: MaybeSignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<RecordView>,
) -> Result<Response, AppError> {
    let id = one_param(path)?;
    let viewer = match (who.card(), req.device_id) {
        (Some(card), _) => format!("card:{card}"),
        (None, Some(d)) if valid_device_id(&d) => format!("device:{d}"),
        _ => {
            return Err(AppError::field(
                "device_id",
                "invalid",
                "Without a session, send `device_id`: 8 to 64 letters, digits, `-` or `_`.",
            ));
        }
    };
    let day = local_day(state.now());
    let count = blocking(move || {
        state.db().write(|tx| {
            if !store::programme_exists(tx, &id)? {
                return Err(no_programme(&id));
            }
            let counted = tx.execute(
                "INSERT OR IGNORE INTO culture_views (programme_id, viewer, day) VALUES (?1, ?2, ?3)",
                params![id, viewer, day],
            )? == 1;
            let views: u32 = tx.query_row(
                "SELECT COUNT(*) FROM culture_views WHERE programme_id = ?1",
                [&id],
                |r| r.get(0),
            )?;
            Ok(ViewCount {
                programme_id: id,
                views,
                counted,
            })
        })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &count))
}

const REQUEST_SELECT: &str = "
    SELECT q.id, q.library_id, l.name_zh, l.name_en, q.category, q.text, q.created_at, q.card_number,
           (SELECT COUNT(*) FROM culture_request_backers b WHERE b.request_id = q.id),
           EXISTS (SELECT 1 FROM culture_request_backers b WHERE b.request_id = q.id AND b.card_number = ?1)
    FROM culture_requests q JOIN libraries l ON l.id = q.library_id";

fn read_request(r: &rusqlite::Row<'_>, card: Option<&str>) -> rusqlite::Result<CultureRequest> {
    let category: String = r.get(4)?;
    let owner: String = r.get(7)?;
    Ok(CultureRequest {
        id: r.get(0)?,
        library_id: r.get(1)?,
        library_name: LocalizedText::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
        category: Category::parse(&category).unwrap_or(Category::Unknown),
        text: r.get(5)?,
        created_at: rfc3339(r.get(6)?),
        mine: card == Some(owner.as_str()),
        backers: r.get(8)?,
        backed: r.get(9)?,
    })
}

fn request_by_id(conn: &Connection, id: i64, card: &str) -> Result<Option<CultureRequest>, Error> {
    Ok(conn
        .prepare_cached(&format!("{REQUEST_SELECT} WHERE q.id = ?2"))?
        .query_row(params![card, id], |r| read_request(r, Some(card)))
        .optional()?)
}

/// Patrons' requests (点单), most backed first, with counts per library.
#[utoipa::path(
    get, path = "/api/culture/requests", tag = "culture",
    params(("library" = Option<String>, Query, description = "Only the requests at this library or village centre.")),
    responses((status = 200, description = "The requests. With a session, `mine` and `backed` are the patron's.", body = RequestList))
)]
pub async fn requests_handler(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let pairs = query_pairs(raw.as_deref().unwrap_or(""))?;
    let library = pairs
        .iter()
        .find(|(k, _)| k == "library")
        .map(|(_, v)| v.clone());
    let card = who.card();
    let list = blocking(move || {
        Ok(state.db().with_conn(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "{REQUEST_SELECT} WHERE (?2 IS NULL OR q.library_id = ?2)
                 ORDER BY 9 DESC, q.created_at DESC, q.id"
            ))?;
            let requests: Vec<CultureRequest> = stmt
                .query_map(params![card, library], |r| read_request(r, card.as_deref()))?
                .collect::<Result<_, _>>()?;
            let mut by_library: Vec<LibraryRequests> = Vec::new();
            let mut stmt = c.prepare_cached(
                "SELECT l.id, l.name_zh, l.name_en, COUNT(DISTINCT q.id), COUNT(b.card_number)
                 FROM culture_requests q JOIN libraries l ON l.id = q.library_id
                 LEFT JOIN culture_request_backers b ON b.request_id = q.id
                 GROUP BY l.id ORDER BY l.position",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(LibraryRequests {
                    library_id: r.get(0)?,
                    library_name: LocalizedText::new(
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ),
                    requests: r.get(3)?,
                    backers: r.get(4)?,
                })
            })?;
            for row in rows {
                by_library.push(row?);
            }
            Ok(RequestList {
                requests,
                by_library,
            })
        })?)
    })
    .await?;
    Ok(personal_json(&list))
}

/// Asks for a programme or activity at a library or village centre; the
/// patron backs their own request.
#[utoipa::path(
    post, path = "/api/me/culture/requests", tag = "culture",
    params(crate::account::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreateRequest,
    responses(
        (status = 201, description = "The request; `Location` is set.", body = CultureRequest),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown library, a category this server does not know, or a text that is empty or longer than 100 characters (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_request_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    JsonBody(req): JsonBody<CreateRequest>,
) -> Result<Response, AppError> {
    let text = crate::search::text::collapse_whitespace(&req.text);
    if text.is_empty() || text.chars().count() > MAX_REQUEST_CHARS {
        return Err(AppError::field(
            "text",
            "invalid",
            "`text` is 1 to 100 characters.",
        ));
    }
    if req.category == Category::Unknown {
        return Err(AppError::field(
            "category",
            "unknown_value",
            "Unknown category.",
        ));
    }
    let now = state.now();
    let made = blocking(move || {
        state.db().write(|tx| {
            let known: Option<i64> = tx
                .query_row("SELECT 1 FROM libraries WHERE id = ?1", [&req.library_id], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                return Err(AppError::field(
                    "library_id",
                    "unknown_value",
                    "There is no such library.",
                ));
            }
            tx.execute(
                "INSERT INTO culture_requests (library_id, category, text, card_number, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![req.library_id, req.category.as_str(), text, who.card_number, now],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO culture_request_backers (request_id, card_number, backed_at) VALUES (?1, ?2, ?3)",
                params![id, who.card_number, now],
            )?;
            request_by_id(tx, id, &who.card_number)?
                .ok_or_else(|| AppError::NotFound(format!("There is no request {id}.")))
        })
    })
    .await?;
    Ok(created(
        &format!("/api/culture/requests/{}", made.id),
        &made,
    ))
}

async fn backing(
    state: AppState,
    who: SignedIn,
    raw: String,
    back: bool,
) -> Result<Response, AppError> {
    let id = path_id(&raw, "id")?;
    let now = state.now();
    let r = blocking(move || {
        state.db().write(|tx| {
            if request_by_id(tx, id, &who.card_number)?.is_none() {
                return Err(AppError::NotFound(format!("There is no request {id}.")));
            }
            if back {
                tx.execute(
                    "INSERT OR IGNORE INTO culture_request_backers (request_id, card_number, backed_at) VALUES (?1, ?2, ?3)",
                    params![id, who.card_number, now],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM culture_request_backers WHERE request_id = ?1 AND card_number = ?2",
                    params![id, who.card_number],
                )?;
            }
            request_by_id(tx, id, &who.card_number)?
                .ok_or_else(|| AppError::NotFound(format!("There is no request {id}.")))
        })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &r))
}

/// Backs another patron's request (idempotent).
#[utoipa::path(
    put, path = "/api/me/culture/requests/{id}/backing", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = i64, Path, description = "The request's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The request, backed.", body = CultureRequest),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn back_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    backing(state, who, one_param(path)?, true).await
}

/// Stops backing a request (idempotent).
#[utoipa::path(
    delete, path = "/api/me/culture/requests/{id}/backing", tag = "culture",
    params(crate::account::CsrfHeader, ("id" = i64, Path, description = "The request's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The request, not backed by the patron.", body = CultureRequest),
        (status = 401, description = "No session (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unback_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    backing(state, who, one_param(path)?, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_saves_are_checked() {
        let ok = SaveProgress {
            position_seconds: 5,
            duration_seconds: 20,
            client_time_ms: 1,
        };
        assert!(check_progress(&ok).is_ok());
        for bad in [
            SaveProgress {
                position_seconds: 21,
                ..ok.clone()
            },
            SaveProgress {
                duration_seconds: 0,
                position_seconds: 0,
                ..ok.clone()
            },
            SaveProgress {
                client_time_ms: 0,
                ..ok.clone()
            },
        ] {
            assert!(check_progress(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn device_ids_are_plain() {
        assert!(valid_device_id("a1b2c3d4"));
        assert!(valid_device_id("0f8e-4c2a_9b71"));
        assert!(!valid_device_id("short"));
        assert!(!valid_device_id("has space in it"));
        assert!(!valid_device_id(&"x".repeat(65)));
    }
}
