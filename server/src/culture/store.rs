//! The SQL of the cultural cloud's reading side: programmes with their
//! credits, ratings and views; a programme's detail with its series,
//! episodes, stream, subtitles, chapters and the patron's progress; events
//! with their status, streams and places.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::LocalizedText;
use yuelan_api::culture::{
    Category, Chapter, Credit, CreditRole, CultureEvent, EventStatus, MediaKind, MyPlace, Places,
    ProgrammeDetail, ProgrammeSummary, Progress, RatingSummary, RegistrationStatus, SeriesInfo,
    Stream, SubtitleTrack,
};

use super::media::{self, Asset};
use super::search::Doc;
use crate::clock::rfc3339;
use crate::error::Error;

/// A programme as stored, with what search reads.
#[derive(Clone, Debug)]
pub struct Row {
    pub summary: ProgrammeSummary,
    pub position: i64,
    pub media_id: String,
    pub title_doc: Doc,
    pub rest_doc: Doc,
}

fn text(r: &rusqlite::Row<'_>, a: usize) -> rusqlite::Result<LocalizedText> {
    Ok(LocalizedText::new(
        r.get::<_, String>(a)?,
        r.get::<_, String>(a + 1)?,
    ))
}

/// Whether the media directory has an asset's files.
pub fn media_available(dir: Option<&Path>, asset: &Asset) -> bool {
    let Some(dir) = dir else { return false };
    asset
        .renditions
        .first()
        .is_some_and(|r| dir.join(asset.id).join(r.name).join("index.m3u8").is_file())
}

/// Credits of programmes (`event` false) or events, by owner id.
fn credits(conn: &Connection, event: bool) -> Result<HashMap<String, Vec<Credit>>, Error> {
    let owner = if event {
        "c.event_id"
    } else {
        "c.programme_id"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {owner}, c.role, p.id, p.name_zh, p.name_en, p.title_zh, p.title_en
         FROM culture_credits c JOIN culture_people p ON p.id = c.person_id
         WHERE {owner} IS NOT NULL ORDER BY {owner}, c.position"
    ))?;
    let rows = stmt.query_map([], |r| {
        let role: String = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            Credit {
                person_id: r.get(2)?,
                name: text(r, 3)?,
                role: CreditRole::parse(&role).unwrap_or(CreditRole::Unknown),
                title: text(r, 5)?,
            },
        ))
    })?;
    let mut out: HashMap<String, Vec<Credit>> = HashMap::new();
    for row in rows {
        let (id, credit) = row?;
        out.entry(id).or_default().push(credit);
    }
    Ok(out)
}

/// The mean of ratings to one decimal.
pub fn average(sum: i64, count: i64) -> f64 {
    if count <= 0 {
        0.0
    } else {
        (sum as f64 / count as f64 * 10.0).round() / 10.0
    }
}

/// Every programme in the seed's order, as `card` (if signed in) sees it.
pub fn programmes(
    conn: &Connection,
    card: Option<&str>,
    media_dir: Option<&Path>,
) -> Result<Vec<Row>, Error> {
    let credits = credits(conn, false)?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.position, p.category, p.series_id, p.episode, p.title_zh, p.title_en,
                s.title_zh, s.title_en, p.library_id, l.name_zh, l.name_en, p.recorded_on, p.language,
                p.media_id, p.tags,
                (SELECT COALESCE(SUM(stars), 0) FROM culture_ratings r WHERE r.programme_id = p.id),
                (SELECT COUNT(*) FROM culture_ratings r WHERE r.programme_id = p.id),
                (SELECT stars FROM culture_ratings r WHERE r.programme_id = p.id AND r.card_number = ?1),
                (SELECT COUNT(*) FROM culture_views v WHERE v.programme_id = p.id)
         FROM culture_programmes p JOIN libraries l ON l.id = p.library_id
         LEFT JOIN culture_series s ON s.id = p.series_id
         ORDER BY p.position",
    )?;
    let rows = stmt.query_map([card], |r| {
        let category: String = r.get(2)?;
        let series_title = match r.get::<_, Option<String>>(7)? {
            Some(zh) => Some(LocalizedText::new(zh, r.get::<_, String>(8)?)),
            None => None,
        };
        let tags: String = r.get(15)?;
        let stars: Option<i64> = r.get(18)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            category,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<u32>>(4)?,
            text(r, 5)?,
            series_title,
            r.get::<_, String>(9)?,
            text(r, 10)?,
            r.get::<_, String>(12)?,
            r.get::<_, String>(13)?,
            r.get::<_, String>(14)?,
            tags,
            (r.get::<_, i64>(16)?, r.get::<_, i64>(17)?, stars),
            r.get::<_, i64>(19)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            position,
            category,
            series_id,
            episode,
            title,
            series_title,
            library_id,
            library_name,
            recorded_on,
            language,
            media_id,
            tags,
            (sum, count, mine),
            views,
        ) = row?;
        let tags: Vec<LocalizedText> = serde_json::from_str(&tags).unwrap_or_default();
        let asset = media::asset(&media_id);
        let available = asset.is_some_and(|a| media_available(media_dir, a));
        let credits = credits.get(&id).cloned().unwrap_or_default();
        let title_doc = Doc::new([title.zh.as_str(), title.en.as_str()]);
        let mut rest: Vec<&str> = Vec::new();
        if let Some(s) = &series_title {
            rest.extend([s.zh.as_str(), s.en.as_str()]);
        }
        for t in &tags {
            rest.extend([t.zh.as_str(), t.en.as_str()]);
        }
        for c in &credits {
            rest.extend([c.name.zh.as_str(), c.name.en.as_str()]);
        }
        rest.extend([library_name.zh.as_str(), library_name.en.as_str()]);
        let rest_doc = Doc::new(rest);
        out.push(Row {
            summary: ProgrammeSummary {
                poster_url: available
                    .then(|| format!("{}/poster.jpg", media::asset_base(&media_id))),
                id,
                title,
                category: Category::parse(&category).unwrap_or(Category::Unknown),
                kind: asset.map_or(MediaKind::Unknown, |a| a.kind),
                series_id,
                series_title,
                episode,
                duration_seconds: asset.map_or(0, |a| a.seconds),
                language,
                subtitles: asset.map(|a| a.subtitle_languages()).unwrap_or_default(),
                library_id,
                library_name,
                recorded_on,
                tags,
                credits,
                rating: RatingSummary {
                    average: average(sum, count),
                    count: u32::try_from(count).unwrap_or(0),
                    mine: mine.and_then(|s| u8::try_from(s).ok()),
                },
                views: u32::try_from(views).unwrap_or(0),
            },
            position,
            media_id,
            title_doc,
            rest_doc,
        });
    }
    Ok(out)
}

/// One programme's summary, as `card` sees it.
pub fn programme(
    conn: &Connection,
    id: &str,
    card: Option<&str>,
    media_dir: Option<&Path>,
) -> Result<Option<Row>, Error> {
    Ok(programmes(conn, card, media_dir)?
        .into_iter()
        .find(|r| r.summary.id == id))
}

/// Whether a programme exists.
pub fn programme_exists(conn: &Connection, id: &str) -> Result<bool, Error> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM culture_programmes WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Finished: at 95% of the length or past it.
pub fn finished(position: u32, duration: u32) -> bool {
    duration > 0 && u64::from(position) * 20 >= u64::from(duration) * 19
}

/// A patron's progress in a programme.
pub fn progress(conn: &Connection, card: &str, id: &str) -> Result<Option<Progress>, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT position_seconds, duration_seconds, client_time_ms FROM culture_progress
             WHERE card_number = ?1 AND programme_id = ?2",
        )?
        .query_row(params![card, id], |r| {
            let (position, duration): (u32, u32) = (r.get(0)?, r.get(1)?);
            Ok(Progress {
                programme_id: id.to_owned(),
                position_seconds: position,
                duration_seconds: duration,
                client_time_ms: r.get(2)?,
                finished: finished(position, duration),
            })
        })
        .optional()?)
}

/// A patron's unfinished programmes, latest save first.
pub fn continue_watching(conn: &Connection, card: &str) -> Result<Vec<Progress>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT programme_id, position_seconds, duration_seconds, client_time_ms FROM culture_progress
         WHERE card_number = ?1 AND position_seconds > 0 ORDER BY client_time_ms DESC LIMIT 50",
    )?;
    let rows = stmt.query_map([card], |r| {
        let (position, duration): (u32, u32) = (r.get(1)?, r.get(2)?);
        Ok(Progress {
            programme_id: r.get(0)?,
            position_seconds: position,
            duration_seconds: duration,
            client_time_ms: r.get(3)?,
            finished: finished(position, duration),
        })
    })?;
    let all: Vec<Progress> = rows.collect::<Result<_, _>>()?;
    Ok(all.into_iter().filter(|p| !p.finished).take(20).collect())
}

/// A programme's detail.
pub fn detail(
    conn: &Connection,
    id: &str,
    card: Option<&str>,
    media_dir: Option<&Path>,
) -> Result<Option<ProgrammeDetail>, Error> {
    let all = programmes(conn, card, media_dir)?;
    let Some(row) = all.iter().find(|r| r.summary.id == id) else {
        return Ok(None);
    };
    let (summary_zh, summary_en): (String, String) = conn.query_row(
        "SELECT summary_zh, summary_en FROM culture_programmes WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut series = None;
    let mut episodes = Vec::new();
    if let Some(sid) = &row.summary.series_id {
        episodes = all
            .iter()
            .filter(|r| r.summary.series_id.as_ref() == Some(sid))
            .map(|r| r.summary.clone())
            .collect();
        episodes.sort_by_key(|e| e.episode);
        series = conn
            .prepare_cached(
                "SELECT title_zh, title_en, description_zh, description_en, category FROM culture_series WHERE id = ?1",
            )?
            .query_row([sid], |r| {
                let category: String = r.get(4)?;
                Ok(SeriesInfo {
                    id: sid.clone(),
                    title: text(r, 0)?,
                    description: text(r, 2)?,
                    category: Category::parse(&category).unwrap_or(Category::Unknown),
                    episodes: u32::try_from(episodes.len()).unwrap_or(0),
                })
            })
            .optional()?;
    }
    let asset = media::asset(&row.media_id);
    let base = media::asset_base(&row.media_id);
    let available = asset.is_some_and(|a| media_available(media_dir, a));
    let stream = Stream {
        kind: row.summary.kind,
        master_url: format!("{base}/master.m3u8"),
        renditions: asset
            .map(|a| a.renditions.iter().map(|r| r.to_wire()).collect())
            .unwrap_or_default(),
        audio_url: asset
            .filter(|a| a.kind == MediaKind::Audio)
            .map(|_| format!("{base}/full.m4a")),
        available,
    };
    let subtitles = row
        .summary
        .subtitles
        .iter()
        .enumerate()
        .map(|(i, lang)| SubtitleTrack {
            language: lang.clone(),
            label: media::subtitle_label(lang),
            url: format!("{base}/subs/{lang}.vtt"),
            default: i == 0,
        })
        .collect();
    let chapters = chapters(conn, id)?;
    Ok(Some(ProgrammeDetail {
        programme: row.summary.clone(),
        summary: LocalizedText::new(summary_zh, summary_en),
        series,
        episodes,
        stream,
        subtitles,
        chapters_url: (!chapters.is_empty())
            .then(|| format!("/api/culture/programmes/{id}/chapters.vtt")),
        chapters,
        progress: match card {
            Some(card) => progress(conn, card, id)?,
            None => None,
        },
    }))
}

/// A programme's chapters in order.
pub fn chapters(conn: &Connection, id: &str) -> Result<Vec<Chapter>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT start_seconds, title_zh, title_en FROM culture_chapters WHERE programme_id = ?1 ORDER BY start_seconds",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Chapter {
            start_seconds: r.get(0)?,
            title: text(r, 1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An event as stored.
#[derive(Clone, Debug)]
pub struct EventRow {
    pub id: String,
    pub category: Category,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub library_id: String,
    pub library_name: LocalizedText,
    pub place: LocalizedText,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: Option<u32>,
    pub live_media_id: Option<String>,
    pub programme_id: Option<String>,
}

const EVENT_SELECT: &str = "
    SELECT e.id, e.category, e.title_zh, e.title_en, e.summary_zh, e.summary_en, e.library_id, l.name_zh,
           l.name_en, e.place_zh, e.place_en, e.starts_at, e.ends_at, e.capacity, e.live_media_id, e.programme_id
    FROM culture_events e JOIN libraries l ON l.id = e.library_id";

fn read_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    let category: String = r.get(1)?;
    Ok(EventRow {
        id: r.get(0)?,
        category: Category::parse(&category).unwrap_or(Category::Unknown),
        title: text(r, 2)?,
        summary: text(r, 4)?,
        library_id: r.get(6)?,
        library_name: text(r, 7)?,
        place: text(r, 9)?,
        starts_at: r.get(11)?,
        ends_at: r.get(12)?,
        capacity: r.get(13)?,
        live_media_id: r.get(14)?,
        programme_id: r.get(15)?,
    })
}

/// One event.
pub fn event_row(conn: &Connection, id: &str) -> Result<Option<EventRow>, Error> {
    Ok(conn
        .prepare_cached(&format!("{EVENT_SELECT} WHERE e.id = ?1"))?
        .query_row([id], read_event)
        .optional()?)
}

/// Events overlapping `[from, to)`, by start.
pub fn event_rows(conn: &Connection, from: i64, to: i64) -> Result<Vec<EventRow>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "{EVENT_SELECT} WHERE e.ends_at > ?1 AND e.starts_at < ?2 ORDER BY e.starts_at, e.id"
    ))?;
    let rows = stmt.query_map(params![from, to], read_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl EventRow {
    /// Where the event stands at `now`.
    pub fn status(&self, now: i64) -> EventStatus {
        if now < self.starts_at {
            EventStatus::Upcoming
        } else if now < self.ends_at {
            EventStatus::Live
        } else if self.live_media_id.is_some() {
            EventStatus::Replay
        } else {
            EventStatus::Ended
        }
    }
}

/// Registered and waiting counts of an event.
pub fn place_counts(conn: &Connection, event: &str) -> Result<(u32, u32), Error> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(status = 'registered'), 0), COALESCE(SUM(status = 'waiting'), 0)
             FROM culture_registrations WHERE event_id = ?1",
        )?
        .query_row([event], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// 1-based place of a waiting registration on its event's waitlist.
pub fn waitlist_position(conn: &Connection, event: &str, id: i64) -> Result<Option<u32>, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM culture_registrations w JOIN culture_registrations me ON me.id = ?2
             WHERE w.event_id = ?1 AND w.status = 'waiting' AND me.status = 'waiting'
               AND (w.queued_at < me.queued_at OR (w.queued_at = me.queued_at AND w.id <= me.id))",
        )?
        .query_row(params![event, id], |r| r.get::<_, u32>(0))
        .map(|n| (n > 0).then_some(n))?)
}

/// A patron's live registration for an event.
pub fn my_place(conn: &Connection, event: &str, card: &str) -> Result<Option<MyPlace>, Error> {
    let found: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, status FROM culture_registrations
             WHERE event_id = ?1 AND card_number = ?2 AND status <> 'cancelled'",
        )?
        .query_row(params![event, card], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, status)) = found else {
        return Ok(None);
    };
    let status = RegistrationStatus::parse(&status).unwrap_or(RegistrationStatus::Unknown);
    Ok(Some(MyPlace {
        registration_id: id,
        status,
        waitlist_position: if status == RegistrationStatus::Waiting {
            waitlist_position(conn, event, id)?
        } else {
            None
        },
    }))
}

/// Events as `card` sees them at `now`.
pub fn events_to_wire(
    conn: &Connection,
    rows: Vec<EventRow>,
    card: Option<&str>,
    now: i64,
) -> Result<Vec<CultureEvent>, Error> {
    let credits = credits(conn, true)?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        let status = e.status(now);
        let places = match e.capacity {
            Some(capacity) => {
                let (registered, waiting) = place_counts(conn, &e.id)?;
                Some(Places {
                    capacity,
                    registered,
                    waiting,
                    open: now < e.starts_at,
                })
            }
            None => None,
        };
        let mine = match card {
            Some(card) if e.capacity.is_some() => my_place(conn, &e.id, card)?,
            _ => None,
        };
        let base = format!("/api/culture/events/{}", e.id);
        out.push(CultureEvent {
            live_url: (status == EventStatus::Live && e.live_media_id.is_some())
                .then(|| format!("{base}/live/master.m3u8")),
            replay_url: (status == EventStatus::Replay)
                .then(|| format!("{base}/replay/master.m3u8")),
            ics_url: format!("{base}.ics"),
            credits: credits.get(&e.id).cloned().unwrap_or_default(),
            id: e.id,
            title: e.title,
            summary: e.summary,
            category: e.category,
            library_id: e.library_id,
            library_name: e.library_name,
            place: e.place,
            starts_at: rfc3339(e.starts_at),
            ends_at: rfc3339(e.ends_at),
            status,
            programme_id: e.programme_id,
            places,
            mine,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_is_near_the_end() {
        assert!(!finished(0, 0));
        assert!(!finished(100, 200));
        assert!(finished(190, 200));
        assert!(finished(950, 1000));
        assert!(!finished(940, 1000));
        assert!(!finished(10, 16));
        assert!(finished(16, 16));
    }

    #[test]
    fn averages_have_one_decimal() {
        assert_eq!(average(0, 0), 0.0);
        assert_eq!(average(14, 3), 4.7);
        assert_eq!(average(5, 1), 5.0);
    }
}
