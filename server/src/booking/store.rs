//! The SQL of reading rooms: rooms with their rules and hours, seats, the
//! slots bookings hold, and the read-only answers (room list, room detail,
//! availability).

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::booking::{
    Availability, ClosedDay, RoomDetail, RoomKind, RoomLayout, RoomSummary, Seat, SeatAvailability,
    SeatStatus, Shape, SlotAvailability, TimeSpan,
};
use yuelan_api::{LocalizedText, OpeningHours};

use super::rules::{
    self, DayHours, GlobalRules, RoomRules, Span, check_span, hhmm, hours_on, instant_of,
    minute_of_day, parse_hhmm, quanta, quantum_start, weekday,
};
use crate::clock::{format_date, local_day};
use crate::error::Error;

/// A room as stored, with its rules.
#[derive(Clone, Debug)]
pub struct LoadedRoom {
    pub id: String,
    pub library_id: String,
    pub name: LocalizedText,
    pub kind: RoomKind,
    pub floor: LocalizedText,
    pub description: LocalizedText,
    pub hours: Vec<OpeningHours>,
    pub width: i32,
    pub height: i32,
    pub seat_size: i32,
    pub shapes: String,
    pub version: u64,
    pub rules: RoomRules,
}

const ROOM_SELECT: &str = "
    SELECT r.id, r.library_id, r.name_zh, r.name_en, r.kind, r.floor_zh, r.floor_en, r.description_zh,
           r.description_en, r.hours, r.width, r.height, r.seat_size, r.shapes, r.version,
           u.slot_minutes, u.min_minutes, u.max_minutes, u.days_ahead, u.window_opens_at,
           u.max_bookings_per_day, u.checkin_before_minutes, u.checkin_after_minutes, u.leave_minutes,
           u.meal_leave_minutes, u.meal_times
    FROM reading_rooms r JOIN room_rules u ON u.room_id = r.id JOIN libraries l ON l.id = r.library_id";

fn u32_of(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn read_room(r: &rusqlite::Row<'_>) -> rusqlite::Result<LoadedRoom> {
    let kind: String = r.get(4)?;
    let hours: String = r.get(9)?;
    let opens: String = r.get(19)?;
    let meals: String = r.get(25)?;
    let meals: Vec<TimeSpan> = serde_json::from_str(&meals).unwrap_or_default();
    Ok(LoadedRoom {
        id: r.get(0)?,
        library_id: r.get(1)?,
        name: LocalizedText::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
        kind: RoomKind::parse(&kind).unwrap_or(RoomKind::Unknown),
        floor: LocalizedText::new(r.get::<_, String>(5)?, r.get::<_, String>(6)?),
        description: LocalizedText::new(r.get::<_, String>(7)?, r.get::<_, String>(8)?),
        hours: serde_json::from_str(&hours).unwrap_or_default(),
        width: r.get(10)?,
        height: r.get(11)?,
        seat_size: r.get(12)?,
        shapes: r.get(13)?,
        version: u64::try_from(r.get::<_, i64>(14)?).unwrap_or(0),
        rules: RoomRules {
            slot_minutes: u32_of(r.get(15)?),
            min_minutes: u32_of(r.get(16)?),
            max_minutes: u32_of(r.get(17)?),
            days_ahead: u32_of(r.get(18)?),
            window_opens_at: parse_hhmm(&opens).unwrap_or(0),
            max_bookings_per_day: u32_of(r.get(20)?),
            checkin_before_minutes: u32_of(r.get(21)?),
            checkin_after_minutes: u32_of(r.get(22)?),
            leave_minutes: u32_of(r.get(23)?),
            meal_leave_minutes: u32_of(r.get(24)?),
            meal_times: meals
                .iter()
                .filter_map(|m| Some((parse_hhmm(&m.start)?, parse_hhmm(&m.end)?)))
                .collect(),
        },
    })
}

/// One room; `None` when there is none.
pub fn load_room(conn: &Connection, id: &str) -> Result<Option<LoadedRoom>, Error> {
    let mut stmt = conn.prepare_cached(&format!("{ROOM_SELECT} WHERE r.id = ?1"))?;
    Ok(stmt.query_row([id], read_room).optional()?)
}

/// The rooms of one library, or of every library, in network order.
pub fn load_rooms(conn: &Connection, library: Option<&str>) -> Result<Vec<LoadedRoom>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ROOM_SELECT} WHERE (?1 IS NULL OR r.library_id = ?1) ORDER BY l.position, r.position"
    ))?;
    let rows = stmt.query_map([library], read_room)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The rules of every room.
pub fn global_rules(conn: &Connection) -> Result<GlobalRules, Error> {
    let mut g = GlobalRules::default();
    let mut stmt = conn.prepare_cached("SELECT name, value FROM booking_rules")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(0)?;
        let value = u32_of(row.get(1)?);
        let slot = match name.as_str() {
            "violation_limit" => &mut g.violation_limit,
            "violation_window_days" => &mut g.violation_window_days,
            "suspension_days" => &mut g.suspension_days,
            "offer_minutes" => &mut g.offer_minutes,
            "rate_burst" => &mut g.rate_burst,
            "rate_per_minute" => &mut g.rate_per_minute,
            _ => continue,
        };
        *slot = value;
    }
    Ok(g)
}

/// A room's hours on a local day: closed on its closed days and the
/// weekdays its hours leave out.
pub fn day_hours(conn: &Connection, room: &LoadedRoom, day: i64) -> Result<DayHours, Error> {
    let closed: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM room_closed_days WHERE room_id = ?1 AND date = ?2")?
        .query_row(params![room.id, format_date(day)], |r| r.get(0))
        .optional()?;
    if closed.is_some() {
        return Ok(DayHours::Closed);
    }
    Ok(match hours_on(&room.hours, weekday(day)) {
        Some((o, c)) => DayHours::Open(o, c),
        None => DayHours::Closed,
    })
}

/// A room's seats, in label order.
pub fn seats(conn: &Connection, room_id: &str) -> Result<Vec<Seat>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, label, code, x, y, power, by_window, quiet, accessible, closed
         FROM seats WHERE room_id = ?1 ORDER BY label",
    )?;
    let rows = stmt.query_map([room_id], |r| {
        Ok(Seat {
            id: r.get(0)?,
            label: r.get(1)?,
            code: r.get(2)?,
            x: r.get(3)?,
            y: r.get(4)?,
            power: r.get(5)?,
            window: r.get(6)?,
            quiet: r.get(7)?,
            accessible: r.get(8)?,
            closed: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The seats of a room held by a booking for some of a span.
pub fn taken_seats(
    conn: &Connection,
    room_id: &str,
    starts_at: i64,
    ends_at: i64,
) -> Result<HashSet<i64>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT b.seat_id FROM booking_slots b JOIN seats s ON s.id = b.seat_id
         WHERE s.room_id = ?1 AND b.slot_start >= ?2 AND b.slot_start < ?3",
    )?;
    let rows = stmt.query_map(params![room_id, quantum_start(starts_at), ends_at], |r| {
        r.get(0)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Holds a seat for a booking's span: one row per quantum. Fails on the
/// table's unique constraints when the seat, or the patron, is already
/// held for one of them.
pub fn insert_slots(
    conn: &Connection,
    booking_id: i64,
    seat_id: i64,
    card: &str,
    starts_at: i64,
    ends_at: i64,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO booking_slots (booking_id, seat_id, card_number, slot_start) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for q in quanta(starts_at, ends_at) {
        stmt.execute(params![booking_id, seat_id, card, q])?;
    }
    Ok(())
}

/// Lets go of a booking's quanta from `from` on (the quantum under way
/// included).
pub fn release_slots(conn: &Connection, booking_id: i64, from: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM booking_slots WHERE booking_id = ?1 AND slot_start >= ?2")?
        .execute(params![booking_id, quantum_start(from)])?;
    Ok(())
}

/// Bumps a room's version and answers the new one.
pub fn bump_version(conn: &Connection, room_id: &str) -> Result<u64, Error> {
    let v: i64 = conn
        .prepare_cached(
            "UPDATE reading_rooms SET version = version + 1 WHERE id = ?1 RETURNING version",
        )?
        .query_row([room_id], |r| r.get(0))?;
    Ok(u64::try_from(v).unwrap_or(0))
}

/// A room's version.
pub fn room_version(conn: &Connection, room_id: &str) -> Result<Option<u64>, Error> {
    let v: Option<i64> = conn
        .prepare_cached("SELECT version FROM reading_rooms WHERE id = ?1")?
        .query_row([room_id], |r| r.get(0))
        .optional()?;
    Ok(v.map(|v| u64::try_from(v).unwrap_or(0)))
}

/// The slot under way at `now` (or `None` while the room is closed).
fn slot_now(conn: &Connection, room: &LoadedRoom, now: i64) -> Result<Option<Span>, Error> {
    let day = local_day(now);
    let DayHours::Open(open, close) = day_hours(conn, room, day)? else {
        return Ok(None);
    };
    let minute = minute_of_day(now);
    Ok(rules::slots(open, close, room.rules.slot_minutes)
        .into_iter()
        .find(|&(s, e)| (s..e).contains(&minute))
        .map(|(start, end)| Span { day, start, end }))
}

/// A library's name.
fn library_name(conn: &Connection, library_id: &str) -> Result<LocalizedText, Error> {
    Ok(conn
        .prepare_cached("SELECT name_zh, name_en FROM libraries WHERE id = ?1")?
        .query_row([library_id], |r| {
            Ok(LocalizedText::new(
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
            ))
        })?)
}

/// A room in a list, at `now`.
pub fn summary(conn: &Connection, room: &LoadedRoom, now: i64) -> Result<RoomSummary, Error> {
    let day = local_day(now);
    let hours = day_hours(conn, room, day)?;
    let all = seats(conn, &room.id)?;
    let minute = minute_of_day(now);
    let open_now = matches!(hours, DayHours::Open(o, c) if (o..c).contains(&minute));
    let free = match slot_now(conn, room, now)? {
        Some(span) if open_now => {
            let taken = taken_seats(conn, &room.id, span.starts_at(), span.ends_at())?;
            all.iter()
                .filter(|s| !s.closed && !taken.contains(&s.id))
                .count()
        }
        _ => 0,
    };
    Ok(RoomSummary {
        id: room.id.clone(),
        library_id: room.library_id.clone(),
        library_name: library_name(conn, &room.library_id)?,
        name: room.name.clone(),
        kind: room.kind,
        floor: room.floor.clone(),
        seats_total: u32::try_from(all.len()).unwrap_or(u32::MAX),
        seats_free_now: u32::try_from(free).unwrap_or(u32::MAX),
        open_now,
        hours_today: match hours {
            DayHours::Open(o, c) => Some(TimeSpan {
                start: hhmm(o),
                end: hhmm(c),
            }),
            DayHours::Closed => None,
        },
    })
}

/// A room with its layout, hours and rules, at `now`.
pub fn detail(
    conn: &Connection,
    room: &LoadedRoom,
    global: &GlobalRules,
    now: i64,
) -> Result<RoomDetail, Error> {
    let library_name = library_name(conn, &room.library_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT date, reason_zh, reason_en FROM room_closed_days WHERE room_id = ?1 AND date >= ?2 ORDER BY date",
    )?;
    let closed_days = stmt
        .query_map(params![room.id, format_date(local_day(now))], |r| {
            Ok(ClosedDay {
                date: r.get(0)?,
                reason: LocalizedText::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    let shapes: Vec<Shape> = serde_json::from_str(&room.shapes).unwrap_or_default();
    Ok(RoomDetail {
        room: summary(conn, room, now)?,
        library_name,
        description: room.description.clone(),
        hours: room.hours.clone(),
        closed_days,
        rules: room.rules.to_wire(global),
        layout: RoomLayout {
            width: room.width,
            height: room.height,
            seat_size: room.seat_size,
            shapes,
            seats: seats(conn, &room.id)?,
        },
        version: room.version,
    })
}

/// The seats of a room for a span of a day (`None`: the slot under way
/// now, else the day's first slot), and the day's slots, at `now`.
pub fn availability(
    conn: &Connection,
    room: &LoadedRoom,
    day: i64,
    span: Option<(u32, u32)>,
    now: i64,
) -> Result<Availability, Error> {
    let hours = day_hours(conn, room, day)?;
    let day_slots = match hours {
        DayHours::Open(o, c) => rules::slots(o, c, room.rules.slot_minutes),
        DayHours::Closed => Vec::new(),
    };
    let (start, end) = match span {
        Some(s) => s,
        None => {
            let minute = minute_of_day(now);
            let current = (day == local_day(now))
                .then(|| day_slots.iter().find(|&&(_, e)| e > minute))
                .flatten();
            match current.or(day_slots.first()) {
                Some(&s) => s,
                None => (0, room.rules.slot_minutes),
            }
        }
    };
    let span = Span { day, start, end };
    let refusal = check_span(&room.rules, hours, span, now)
        .err()
        .map(|r| r.code);
    let all = seats(conn, &room.id)?;
    let taken = if end > start {
        taken_seats(conn, &room.id, span.starts_at(), span.ends_at())?
    } else {
        HashSet::new()
    };
    let seat_list: Vec<SeatAvailability> = all
        .iter()
        .map(|s| SeatAvailability {
            seat_id: s.id,
            status: if s.closed {
                SeatStatus::Closed
            } else if taken.contains(&s.id) {
                SeatStatus::Taken
            } else {
                SeatStatus::Free
            },
        })
        .collect();
    let free = seat_list
        .iter()
        .filter(|s| s.status == SeatStatus::Free)
        .count();
    // One query for the day: which seat holds which quantum.
    let mut held: Vec<(i64, i64)> = Vec::new();
    if let (Some(first), Some(last)) = (day_slots.first(), day_slots.last()) {
        let mut stmt = conn.prepare_cached(
            "SELECT b.seat_id, b.slot_start FROM booking_slots b JOIN seats s ON s.id = b.seat_id
             WHERE s.room_id = ?1 AND b.slot_start >= ?2 AND b.slot_start < ?3",
        )?;
        held = stmt
            .query_map(
                params![room.id, instant_of(day, first.0), instant_of(day, last.1)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<Result<_, _>>()?;
    }
    let open_seats: Vec<i64> = all.iter().filter(|s| !s.closed).map(|s| s.id).collect();
    let slots = day_slots
        .iter()
        .map(|&(s, e)| {
            let (a, b) = (instant_of(day, s), instant_of(day, e));
            let busy: HashSet<i64> = held
                .iter()
                .filter(|&&(_, q)| q >= a && q < b)
                .map(|&(seat, _)| seat)
                .collect();
            let slot_span = Span {
                day,
                start: s,
                end: e,
            };
            // A slot is bookable when a booking of the minimum length can
            // start in it; the length check itself is left out here.
            let relaxed = RoomRules {
                min_minutes: 0,
                ..room.rules.clone()
            };
            SlotAvailability {
                start: hhmm(s),
                end: hhmm(e),
                free: u32::try_from(open_seats.iter().filter(|id| !busy.contains(id)).count())
                    .unwrap_or(u32::MAX),
                bookable: check_span(&relaxed, hours, slot_span, now).is_ok(),
            }
        })
        .collect();
    Ok(Availability {
        room_id: room.id.clone(),
        date: format_date(day),
        start: hhmm(start),
        end: hhmm(end),
        version: room.version,
        free: u32::try_from(free).unwrap_or(u32::MAX),
        refusal,
        seats: seat_list,
        slots,
    })
}
