//! The seed's cultural cloud (`seed/culture.json`): people, series,
//! programmes recorded in the network's libraries and village centres,
//! events dated from the day of seeding (one streamed live from ten
//! minutes before seeding, one whose replay is there), and patrons'
//! requests; plus deterministic views and ratings, and the demo patron's
//! progress and registration.

use rusqlite::{Connection, params};
use serde::Deserialize;
use yuelan_api::LocalizedText;
use yuelan_api::culture::Category;

use super::media;
use crate::clock::{DAY, local_day};
use crate::error::Error;

#[derive(Deserialize)]
struct Person {
    id: String,
    name: LocalizedText,
    title: LocalizedText,
}

#[derive(Deserialize)]
struct Series {
    id: String,
    category: String,
    title: LocalizedText,
    description: LocalizedText,
}

#[derive(Deserialize)]
struct Programme {
    id: String,
    category: String,
    series: Option<String>,
    episode: Option<u32>,
    title: LocalizedText,
    summary: LocalizedText,
    library: String,
    recorded_on: String,
    language: String,
    media: String,
    tags: Vec<LocalizedText>,
    credits: Vec<(String, String)>,
    #[serde(default)]
    chapters: Vec<(u32, String, String)>,
}

#[derive(Deserialize)]
struct Event {
    id: String,
    category: String,
    title: LocalizedText,
    summary: LocalizedText,
    library: String,
    place: LocalizedText,
    /// Days from the day of seeding, with `start` (`HH:MM`)...
    day: Option<i64>,
    start: Option<String>,
    /// ...or minutes from the instant of seeding.
    starts_in_minutes: Option<i64>,
    minutes: i64,
    capacity: Option<u32>,
    live: Option<String>,
    programme: Option<String>,
    credits: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct Request {
    library: String,
    category: String,
    text: String,
    backers: Vec<String>,
}

#[derive(Deserialize)]
struct SeedFile {
    people: Vec<Person>,
    series: Vec<Series>,
    programmes: Vec<Programme>,
    events: Vec<Event>,
    requests: Vec<Request>,
}

fn seed_file() -> Result<SeedFile, Error> {
    serde_json::from_str(include_str!("../../seed/culture.json"))
        .map_err(|e| Error::Seed(format!("culture.json: {e}")))
}

fn check_category(c: &str) -> Result<(), Error> {
    if Category::parse(c).is_some_and(|c| c != Category::Unknown) {
        Ok(())
    } else {
        Err(Error::Seed(format!("culture.json: unknown category {c:?}")))
    }
}

/// The instant of a local day and `HH:MM`.
fn at(day: i64, hhmm: &str) -> Result<i64, Error> {
    let (h, m) = hhmm
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i64>().ok()?, m.parse::<i64>().ok()?)))
        .ok_or_else(|| Error::Seed(format!("culture.json: bad time {hhmm:?}")))?;
    Ok(day * DAY + h * 3600 + m * 60 - crate::clock::LOCAL_OFFSET_SECONDS)
}

/// Seeds the cultural cloud into a database that has none, dated from
/// `now`; returns whether it did.
pub fn seed_culture(conn: &Connection, now: i64) -> Result<bool, Error> {
    let have: i64 = conn.query_row("SELECT COUNT(*) FROM culture_programmes", [], |r| r.get(0))?;
    if have > 0 {
        return Ok(false);
    }
    let file = seed_file()?;
    let today = local_day(now);
    for p in &file.people {
        conn.execute(
            "INSERT INTO culture_people (id, name_zh, name_en, title_zh, title_en) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![p.id, p.name.zh, p.name.en, p.title.zh, p.title.en],
        )?;
    }
    for s in &file.series {
        check_category(&s.category)?;
        conn.execute(
            "INSERT INTO culture_series (id, category, title_zh, title_en, description_zh, description_en)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.id, s.category, s.title.zh, s.title.en, s.description.zh, s.description.en],
        )?;
    }
    for (position, p) in file.programmes.iter().enumerate() {
        check_category(&p.category)?;
        if media::asset(&p.media).is_none() {
            return Err(Error::Seed(format!(
                "culture.json: {} plays an unknown asset {:?}",
                p.id, p.media
            )));
        }
        conn.execute(
            "INSERT INTO culture_programmes (id, position, category, series_id, episode, title_zh, title_en,
                                             summary_zh, summary_en, library_id, recorded_on, language, media_id, tags)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                p.id,
                position as i64,
                p.category,
                p.series,
                p.episode,
                p.title.zh,
                p.title.en,
                p.summary.zh,
                p.summary.en,
                p.library,
                p.recorded_on,
                p.language,
                p.media,
                serde_json::to_string(&p.tags)?
            ],
        )?;
        for (i, (person, role)) in p.credits.iter().enumerate() {
            conn.execute(
                "INSERT INTO culture_credits (programme_id, person_id, role, position) VALUES (?1, ?2, ?3, ?4)",
                params![p.id, person, role, i as i64],
            )?;
        }
        for (start, zh, en) in &p.chapters {
            conn.execute(
                "INSERT INTO culture_chapters (programme_id, start_seconds, title_zh, title_en) VALUES (?1, ?2, ?3, ?4)",
                params![p.id, start, zh, en],
            )?;
        }
    }
    for e in &file.events {
        check_category(&e.category)?;
        let starts_at = match (e.starts_in_minutes, e.day, &e.start) {
            (Some(m), _, _) => (now / 60 + m) * 60,
            (None, Some(d), Some(s)) => at(today + d, s)?,
            _ => return Err(Error::Seed(format!("culture.json: {} has no start", e.id))),
        };
        if let Some(live) = &e.live
            && media::asset(live).is_none()
        {
            return Err(Error::Seed(format!(
                "culture.json: {} streams an unknown asset",
                e.id
            )));
        }
        conn.execute(
            "INSERT INTO culture_events (id, category, title_zh, title_en, summary_zh, summary_en, library_id,
                                         place_zh, place_en, starts_at, ends_at, capacity, live_media_id, programme_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                e.id,
                e.category,
                e.title.zh,
                e.title.en,
                e.summary.zh,
                e.summary.en,
                e.library,
                e.place.zh,
                e.place.en,
                starts_at,
                starts_at + e.minutes * 60,
                e.capacity,
                e.live,
                e.programme
            ],
        )?;
        for (i, (person, role)) in e.credits.iter().enumerate() {
            conn.execute(
                "INSERT INTO culture_credits (event_id, person_id, role, position) VALUES (?1, ?2, ?3, ?4)",
                params![e.id, person, role, i as i64],
            )?;
        }
    }
    for (i, r) in file.requests.iter().enumerate() {
        check_category(&r.category)?;
        let Some(first) = r.backers.first() else {
            continue;
        };
        let created = now - (i as i64 + 1) * 3 * DAY;
        conn.execute(
            "INSERT INTO culture_requests (library_id, category, text, card_number, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![r.library, r.category, r.text, first, created],
        )?;
        let id = conn.last_insert_rowid();
        for (j, card) in r.backers.iter().enumerate() {
            conn.execute(
                "INSERT INTO culture_request_backers (request_id, card_number, backed_at) VALUES (?1, ?2, ?3)",
                params![id, card, created + j as i64 * 3600],
            )?;
        }
    }
    seed_activity(conn, now, &file)?;
    Ok(true)
}

/// Views and ratings of the seed's programmes (deterministic), and the
/// first demo patron's progress and registration.
fn seed_activity(conn: &Connection, now: i64, file: &SeedFile) -> Result<(), Error> {
    let today = local_day(now);
    let cards: Vec<String> = conn
        .prepare("SELECT card_number FROM patrons ORDER BY card_number")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut views =
        conn.prepare("INSERT INTO culture_views (programme_id, viewer, day) VALUES (?1, ?2, ?3)")?;
    let mut rate = conn.prepare(
        "INSERT INTO culture_ratings (programme_id, card_number, stars, rated_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, p) in file.programmes.iter().enumerate() {
        let n = (i * 37 % 90 + 5) as i64;
        for v in 0..n {
            views.execute(params![p.id, format!("seed:{v}"), today - 1 - v % 30])?;
        }
        // Demo patrons other than the first rate some programmes.
        for (j, card) in cards.iter().enumerate().skip(1) {
            if (i + j) % 3 == 0 {
                let stars = 3 + ((i * 7 + j) % 3) as i64;
                rate.execute(params![p.id, card, stars, now - DAY])?;
            }
        }
    }
    if let Some(chen) = cards
        .iter()
        .find(|c| c.as_str() == crate::patrons::DEMO_PATRONS[0].card)
    {
        for (programme, position, ago) in [("luofu-1", 8, 3600), ("opera-2", 5, 2 * DAY)] {
            let duration = programme_seconds(conn, programme)?;
            conn.execute(
                "INSERT INTO culture_progress (card_number, programme_id, position_seconds, duration_seconds,
                                               client_time_ms, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![chen, programme, position, duration, (now - ago) * 1000, now - ago],
            )?;
        }
        conn.execute(
            "INSERT INTO culture_registrations (event_id, card_number, status, created_at, queued_at)
             VALUES ('ev-picturebook', ?1, 'registered', ?2, ?2)",
            params![chen, now - DAY],
        )?;
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO culture_places (event_id, place_no, registration_id) VALUES ('ev-picturebook', 0, ?1)",
            [id],
        )?;
    }
    Ok(())
}

/// The length of what a programme plays.
fn programme_seconds(conn: &Connection, id: &str) -> Result<u32, Error> {
    let media: String = conn.query_row(
        "SELECT media_id FROM culture_programmes WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    Ok(media::asset(&media).map_or(0, |a| a.seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_file_is_complete() {
        let f = seed_file().unwrap();
        assert!(f.programmes.len() >= 40, "{}", f.programmes.len());
        for c in Category::ALL {
            assert!(
                f.programmes
                    .iter()
                    .any(|p| Category::parse(&p.category) == Some(c)),
                "no programme in {c:?}"
            );
        }
        for p in &f.programmes {
            assert!(!p.title.zh.is_empty() && !p.title.en.is_empty(), "{}", p.id);
            assert!(p.series.is_some() == p.episode.is_some(), "{}", p.id);
        }
        assert!(f.programmes.iter().any(|p| !p.chapters.is_empty()));
        assert!(
            f.events
                .iter()
                .any(|e| e.starts_in_minutes.is_some() && e.live.is_some())
        );
        assert!(f.events.iter().any(|e| e.capacity.is_some()));
    }
}
