//! Bookings: creating one, the patron's bookings and their changes
//! (cancel, check in, leave, return, end, extend, accept or decline an
//! offer), the sweeps that release no-shows, overrun leaves and lapsed
//! offers, violations and suspensions, and the waitlist.
//!
//! A booking that holds its seat (`offered`, `booked`, `checked_in`,
//! `on_leave`) has one `booking_slots` row per 30-minute quantum of its
//! span, unique per seat and per patron: the database refuses a double
//! booking whatever the code above it does. Every function here runs
//! inside one [`crate::Db::write`] transaction and answers the seat
//! changes to publish once it commits.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use yuelan_api::booking::{
    Booking, BookingAction, BookingRules, BookingStatus, CHECKIN_ROUTE, CreateBooking,
    JoinWaitlist, MyBookings, SeatChange, SeatStatus, WaitlistEntry, WaitlistStatus,
};
use yuelan_api::{ErrorCode, FieldError, LocalizedText};

use super::rules::{
    self, GlobalRules, Span, check_span, hhmm, if_match_allows, instant_of, minute_of_day,
    parse_hhmm, quantum_start,
};
use super::store::{self, LoadedRoom};
use crate::AppState;
use crate::clock::{DAY, format_date, local_day, parse_date, rfc3339};
use crate::error::{AppError, Error};

/// Statuses of a booking that holds its seat.
const ACTIVE: &str = "('offered', 'booked', 'checked_in', 'on_leave')";

/// A booking as stored, with its room, seat and check-in rules.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: i64,
    pub version: u64,
    pub status: BookingStatus,
    pub card: String,
    pub seat_id: i64,
    pub seat_label: String,
    pub seat_code: String,
    pub room_id: String,
    pub room_name: LocalizedText,
    pub floor: LocalizedText,
    pub library_id: String,
    pub library_name: LocalizedText,
    pub starts_at: i64,
    pub ends_at: i64,
    pub checked_in_at: Option<i64>,
    pub leave_until: Option<i64>,
    pub ended_at: Option<i64>,
    pub offer_expires_at: Option<i64>,
    pub checkin_before: i64,
    pub checkin_after: i64,
}

const ROW_SELECT: &str = "
    SELECT b.id, b.version, b.status, b.card_number, b.seat_id, s.label, s.code, b.room_id, r.name_zh, r.name_en,
           r.floor_zh, r.floor_en, r.library_id, l.name_zh, l.name_en, b.starts_at, b.ends_at, b.checked_in_at,
           b.leave_until, b.ended_at, b.offer_expires_at, u.checkin_before_minutes, u.checkin_after_minutes
    FROM bookings b JOIN seats s ON s.id = b.seat_id JOIN reading_rooms r ON r.id = b.room_id
    JOIN libraries l ON l.id = r.library_id JOIN room_rules u ON u.room_id = b.room_id";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let status: String = r.get(2)?;
    let text = |a: usize, b: usize| -> rusqlite::Result<LocalizedText> {
        Ok(LocalizedText::new(
            r.get::<_, String>(a)?,
            r.get::<_, String>(b)?,
        ))
    };
    Ok(Row {
        id: r.get(0)?,
        version: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
        status: BookingStatus::parse(&status).unwrap_or(BookingStatus::Unknown),
        card: r.get(3)?,
        seat_id: r.get(4)?,
        seat_label: r.get(5)?,
        seat_code: r.get(6)?,
        room_id: r.get(7)?,
        room_name: text(8, 9)?,
        floor: text(10, 11)?,
        library_id: r.get(12)?,
        library_name: text(13, 14)?,
        starts_at: r.get(15)?,
        ends_at: r.get(16)?,
        checked_in_at: r.get(17)?,
        leave_until: r.get(18)?,
        ended_at: r.get(19)?,
        offer_expires_at: r.get(20)?,
        checkin_before: r.get::<_, i64>(21)? * 60,
        checkin_after: r.get::<_, i64>(22)? * 60,
    })
}

impl Row {
    /// The check-in window.
    pub fn checkin_window(&self) -> (i64, i64) {
        (
            self.starts_at - self.checkin_before,
            self.starts_at + self.checkin_after,
        )
    }

    /// What the patron may do with it at `now`.
    fn actions(&self, now: i64) -> Vec<BookingAction> {
        let (_, closes) = self.checkin_window();
        match self.status {
            BookingStatus::Offered => vec![BookingAction::Accept, BookingAction::Decline],
            BookingStatus::Booked => {
                let mut a = vec![BookingAction::Cancel];
                if now < closes {
                    a.push(BookingAction::CheckIn);
                }
                a.push(BookingAction::Extend);
                a
            }
            BookingStatus::CheckedIn => vec![
                BookingAction::Leave,
                BookingAction::End,
                BookingAction::Extend,
            ],
            BookingStatus::OnLeave => vec![BookingAction::Return, BookingAction::End],
            _ => Vec::new(),
        }
    }

    /// The booking as its patron sees it at `now`.
    pub fn to_wire(&self, now: i64) -> Booking {
        let (opens, closes) = self.checkin_window();
        Booking {
            id: self.id,
            version: self.version,
            status: self.status,
            library_id: self.library_id.clone(),
            library_name: self.library_name.clone(),
            room_id: self.room_id.clone(),
            room_name: self.room_name.clone(),
            floor: self.floor.clone(),
            seat_id: self.seat_id,
            seat_label: self.seat_label.clone(),
            seat_code: self.seat_code.clone(),
            checkin_path: format!("{CHECKIN_ROUTE}{}", self.seat_code),
            date: format_date(local_day(self.starts_at)),
            starts_at: rfc3339(self.starts_at),
            ends_at: rfc3339(self.ends_at),
            checkin_opens_at: rfc3339(opens),
            checkin_closes_at: rfc3339(closes),
            checked_in_at: self.checked_in_at.map(rfc3339),
            leave_until: self.leave_until.map(rfc3339),
            ended_at: self.ended_at.map(rfc3339),
            offer_expires_at: (self.status == BookingStatus::Offered)
                .then_some(self.offer_expires_at)
                .flatten()
                .map(rfc3339),
            actions: self.actions(now),
        }
    }
}

fn row_by_id(conn: &Connection, id: i64) -> Result<Option<Row>, Error> {
    let mut stmt = conn.prepare_cached(&format!("{ROW_SELECT} WHERE b.id = ?1"))?;
    Ok(stmt.query_row([id], read_row).optional()?)
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(format!("You have no booking {id}."))
}

/// The booking `id` of `card`; 404 when there is none (or it is someone
/// else's).
pub fn mine(conn: &Connection, card: &str, id: i64) -> Result<Row, AppError> {
    match row_by_id(conn, id)? {
        Some(row) if row.card == card => Ok(row),
        _ => Err(not_found(id)),
    }
}

/// One change of a seat, for the live channel.
fn change(
    conn: &Connection,
    row: &Row,
    status: SeatStatus,
    from: i64,
) -> Result<SeatChange, Error> {
    let version = store::bump_version(conn, &row.room_id)?;
    Ok(SeatChange {
        room_id: row.room_id.clone(),
        seat_id: row.seat_id,
        status,
        starts_at: rfc3339(from.max(row.starts_at)),
        ends_at: rfc3339(row.ends_at),
        version,
    })
}

/// Sets a booking's status (and clears its leave), bumping its version.
fn set_status(
    conn: &Connection,
    id: i64,
    status: BookingStatus,
    ended_at: Option<i64>,
) -> Result<(), Error> {
    conn.prepare_cached(
        "UPDATE bookings SET status = ?2, leave_until = NULL, ended_at = COALESCE(?3, ended_at),
                             version = version + 1
         WHERE id = ?1",
    )?
    .execute(params![id, status.as_str(), ended_at])?;
    Ok(())
}

/// Ends a booking that holds its seat: sets its status and lets go of its
/// quanta from `from` on.
fn release(
    conn: &Connection,
    row: &Row,
    status: BookingStatus,
    ended_at: i64,
    from: i64,
) -> Result<SeatChange, Error> {
    set_status(conn, row.id, status, Some(ended_at))?;
    store::release_slots(conn, row.id, from)?;
    conn.prepare_cached("DELETE FROM waitlist WHERE booking_id = ?1")?
        .execute([row.id])?;
    change(conn, row, SeatStatus::Free, quantum_start(from))
}

/// The last day of the patron's suspension, if one is in force on `today`.
pub fn suspended_until(conn: &Connection, card: &str, today: i64) -> Result<Option<i64>, Error> {
    let until: Option<String> = conn
        .prepare_cached("SELECT until_date FROM booking_suspensions WHERE card_number = ?1")?
        .query_row([card], |r| r.get(0))
        .optional()?;
    let until = until.as_deref().and_then(parse_date);
    Ok(until.filter(|&u| rules::suspended(Some(u), today)))
}

/// Violations of a patron within the rules' window; with
/// `since_suspension`, only those after the start of their last
/// suspension (which a new suspension counts, so that one suspension's
/// violations do not suspend again once it ends).
pub fn violations(
    conn: &Connection,
    card: &str,
    now: i64,
    global: &GlobalRules,
    since_suspension: bool,
) -> Result<u32, Error> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM booking_violations v
             WHERE v.card_number = ?1 AND v.at > ?2
               AND (?3 = 0 OR v.at >= COALESCE((SELECT since FROM booking_suspensions s WHERE s.card_number = ?1), 0))",
        )?
        .query_row(
            params![
                card,
                now - i64::from(global.violation_window_days) * DAY,
                since_suspension
            ],
            |r| r.get(0),
        )?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Counts a violation and suspends the patron when it makes too many.
fn violation(
    conn: &Connection,
    row: &Row,
    kind: &str,
    at: i64,
    now: i64,
    global: &GlobalRules,
) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO booking_violations (card_number, booking_id, kind, at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![row.card, row.id, kind, at])?;
    let count = violations(conn, &row.card, now, global, true)?;
    if let Some(until) = rules::suspension_after(count, local_day(now), global) {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO booking_suspensions (card_number, since, until_date) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![row.card, now, format_date(until)])?;
    }
    Ok(())
}

fn rows_where(conn: &Connection, filter: &str, now: i64) -> Result<Vec<Row>, Error> {
    let mut stmt = conn.prepare_cached(&format!("{ROW_SELECT} WHERE {filter}"))?;
    let rows = stmt.query_map([now], read_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const DUE_NO_SHOW: &str =
    "b.status = 'booked' AND b.starts_at + u.checkin_after_minutes * 60 <= ?1";
const DUE_LEAVE: &str = "b.status = 'on_leave' AND b.leave_until <= ?1";
const DUE_OVER: &str = "b.status = 'checked_in' AND b.ends_at <= ?1";
const DUE_OFFER: &str = "b.status = 'offered' AND b.offer_expires_at <= ?1";

/// Whether anything is due at `now` (a cheap read, so that most requests
/// need no write transaction).
pub fn due(conn: &Connection, now: i64) -> Result<bool, Error> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM bookings b JOIN room_rules u ON u.room_id = b.room_id
                        WHERE ({DUE_NO_SHOW}) OR ({DUE_LEAVE}) OR ({DUE_OVER}) OR ({DUE_OFFER}))
             OR EXISTS (SELECT 1 FROM waitlist WHERE booking_id IS NULL AND starts_at <= ?1)"
    );
    Ok(conn.prepare_cached(&sql)?.query_row([now], |r| r.get(0))?)
}

/// Releases what is due at `now`: no-shows at the end of their check-in
/// window and overrun leaves (each a violation), bookings whose end has
/// come, lapsed offers (offered to the next patron), and waitlist entries
/// whose span has started. Freed seats are offered to the waitlist.
pub fn sweep(conn: &Connection, now: i64) -> Result<Vec<SeatChange>, Error> {
    let global = store::global_rules(conn)?;
    let mut changes = Vec::new();
    let mut freed_rooms: Vec<String> = Vec::new();
    for row in rows_where(conn, DUE_NO_SHOW, now)? {
        let at = row.checkin_window().1;
        changes.push(release(
            conn,
            &row,
            BookingStatus::NoShow,
            at,
            row.starts_at,
        )?);
        violation(conn, &row, "no_show", at, now, &global)?;
        freed_rooms.push(row.room_id.clone());
    }
    for row in rows_where(conn, DUE_LEAVE, now)? {
        let until = row.leave_until.unwrap_or(now);
        if until >= row.ends_at {
            // Leave that ran to the end of the booking is no violation.
            set_status(conn, row.id, BookingStatus::Completed, Some(row.ends_at))?;
            continue;
        }
        changes.push(release(
            conn,
            &row,
            BookingStatus::LeaveOverrun,
            until,
            until,
        )?);
        violation(conn, &row, "late_return", until, now, &global)?;
        freed_rooms.push(row.room_id.clone());
    }
    for row in rows_where(conn, DUE_OVER, now)? {
        set_status(conn, row.id, BookingStatus::Completed, Some(row.ends_at))?;
    }
    for row in rows_where(conn, DUE_OFFER, now)? {
        let at = row.offer_expires_at.unwrap_or(now);
        changes.push(release(
            conn,
            &row,
            BookingStatus::Expired,
            at,
            row.starts_at,
        )?);
        freed_rooms.push(row.room_id.clone());
    }
    conn.prepare_cached("DELETE FROM waitlist WHERE booking_id IS NULL AND starts_at <= ?1")?
        .execute([now])?;
    freed_rooms.sort();
    freed_rooms.dedup();
    for room in freed_rooms {
        changes.extend(offer_free_seats(conn, &room, now, &global)?);
    }
    Ok(changes)
}

/// Sweeps what is due at `now`, if anything is, and publishes the changes.
pub fn sweep_if_due(state: &AppState, now: i64) -> Result<(), AppError> {
    if !state.db().with_conn(|c| due(c, now))? {
        return Ok(());
    }
    let changes = state.db().write(|tx| sweep(tx, now))?;
    state.booking_hub().publish(changes);
    Ok(())
}

/// Sweeps once a second in the background (`serve`); failures are logged
/// and the next tick tries again.
pub fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            let s = state.clone();
            let now = s.now();
            let done = tokio::task::spawn_blocking(move || sweep_if_due(&s, now)).await;
            if let Ok(Err(e)) = done {
                eprintln!("booking sweep: {e:?}");
            }
        }
    });
}

/// Offers the free seats of a room to its waitlist, first come first
/// served: each waiting patron whose span has a free seat gets it held as
/// an `offered` booking for `offer_minutes`. A patron who meanwhile holds
/// another booking at that time is passed over.
pub fn offer_free_seats(
    conn: &Connection,
    room_id: &str,
    now: i64,
    global: &GlobalRules,
) -> Result<Vec<SeatChange>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, card_number, starts_at, ends_at FROM waitlist
         WHERE room_id = ?1 AND booking_id IS NULL AND starts_at > ?2 ORDER BY created_at, id",
    )?;
    let waiting: Vec<(i64, String, i64, i64)> = stmt
        .query_map(params![room_id, now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut changes = Vec::new();
    for (entry, card, starts_at, ends_at) in waiting {
        let taken = store::taken_seats(conn, room_id, starts_at, ends_at)?;
        let free = store::seats(conn, room_id)?
            .into_iter()
            .find(|s| !s.closed && !taken.contains(&s.id));
        let Some(seat) = free else { continue };
        conn.execute_batch("SAVEPOINT offer")?;
        conn.prepare_cached(
            "INSERT INTO bookings (card_number, seat_id, room_id, starts_at, ends_at, status, created_at,
                                   offer_expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'offered', ?6, ?7)",
        )?
        .execute(params![
            card,
            seat.id,
            room_id,
            starts_at,
            ends_at,
            now,
            now + i64::from(global.offer_minutes) * 60
        ])?;
        let id = conn.last_insert_rowid();
        if store::insert_slots(conn, id, seat.id, &card, starts_at, ends_at).is_err() {
            // The patron holds another booking at that time.
            conn.execute_batch("ROLLBACK TO offer; RELEASE offer")?;
            continue;
        }
        conn.execute_batch("RELEASE offer")?;
        conn.prepare_cached("UPDATE waitlist SET booking_id = ?2 WHERE id = ?1")?
            .execute(params![entry, id])?;
        if let Some(row) = row_by_id(conn, id)? {
            changes.push(change(conn, &row, SeatStatus::Taken, starts_at)?);
        }
    }
    Ok(changes)
}

fn field(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: "invalid".into(),
        message: message.into(),
    }
}

/// Reads the day and times of a request.
fn read_span(date: &str, start: &str, end: &str) -> Result<Span, AppError> {
    let mut errors = Vec::new();
    let day = parse_date(date);
    if day.is_none() {
        errors.push(field("date", "`date` is a date, YYYY-MM-DD."));
    }
    let (s, e) = (parse_hhmm(start), parse_hhmm(end));
    if s.is_none() {
        errors.push(field("start", "`start` is a time of day, HH:MM."));
    }
    if e.is_none() {
        errors.push(field("end", "`end` is a time of day, HH:MM."));
    }
    match (day, s, e) {
        (Some(day), Some(start), Some(end)) if errors.is_empty() => Ok(Span { day, start, end }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Checks a span of a room at `now`: hours, slots, length, window.
fn check_room_span(
    conn: &Connection,
    room: &LoadedRoom,
    span: Span,
    now: i64,
) -> Result<(), AppError> {
    let hours = store::day_hours(conn, room, span.day)?;
    check_span(&room.rules, hours, span, now).map_err(|r| match r.opens_at {
        Some(at) => AppError::booking_opens(r.code, r.detail, at),
        None => AppError::booking(r.code, r.detail),
    })
}

fn check_not_suspended(conn: &Connection, card: &str, now: i64) -> Result<(), AppError> {
    match suspended_until(conn, card, local_day(now))? {
        Some(until) => Err(AppError::booking_suspended(format_date(until))),
        None => Ok(()),
    }
}

/// Checks the patron's bookings that day in the room's library against
/// the room's daily limit (`except` is not counted).
fn check_daily_limit(
    conn: &Connection,
    card: &str,
    room: &LoadedRoom,
    day: i64,
    except: Option<i64>,
) -> Result<(), AppError> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM bookings b JOIN reading_rooms r ON r.id = b.room_id
             WHERE b.card_number = ?1 AND r.library_id = ?2 AND b.starts_at >= ?3 AND b.starts_at < ?4
               AND b.status NOT IN ('cancelled', 'declined', 'expired') AND b.id <> ?5",
        )?
        .query_row(
            params![
                card,
                room.library_id,
                instant_of(day, 0),
                instant_of(day + 1, 0),
                except.unwrap_or(-1)
            ],
            |r| r.get(0),
        )?;
    if n >= i64::from(room.rules.max_bookings_per_day) {
        return Err(AppError::booking(
            ErrorCode::DailyBookingLimit,
            format!(
                "You may book {} times a day in this library.",
                room.rules.max_bookings_per_day
            ),
        ));
    }
    Ok(())
}

/// Maps a unique-constraint failure of `booking_slots` to its refusal.
fn slot_conflict(e: rusqlite::Error) -> AppError {
    let text = e.to_string();
    if text.contains("booking_slots.card_number") {
        AppError::booking(
            ErrorCode::BookingOverlap,
            "You have another booking at that time.",
        )
    } else if text.contains("booking_slots.seat_id") {
        AppError::booking(
            ErrorCode::SeatTaken,
            "The seat is booked for some of that time.",
        )
    } else {
        AppError::from(e)
    }
}

/// Creates a booking, checking in order: the seat exists, the span is
/// well-formed and allowed by the room's hours and rules, the seat is
/// open, the patron is not suspended, the daily limit, no overlap with
/// the patron's own bookings; then the seat's slots, which the database
/// refuses when taken (409 `seat_taken`).
pub fn create(
    conn: &Transaction<'_>,
    card: &str,
    req: &CreateBooking,
    now: i64,
) -> Result<(Booking, BookingRules, Vec<SeatChange>), AppError> {
    let mut changes = sweep(conn, now)?;
    let seat: Option<(String, bool)> = conn
        .prepare_cached("SELECT room_id, closed FROM seats WHERE id = ?1")?
        .query_row([req.seat_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((room_id, closed)) = seat else {
        return Err(AppError::NotFound(format!(
            "There is no seat {}.",
            req.seat_id
        )));
    };
    let span = read_span(&req.date, &req.start, &req.end)?;
    let Some(room) = store::load_room(conn, &room_id)? else {
        return Err(AppError::NotFound(format!("There is no room {room_id:?}.")));
    };
    check_room_span(conn, &room, span, now)?;
    if closed {
        return Err(AppError::booking(
            ErrorCode::SeatClosed,
            "The seat is closed by staff.",
        ));
    }
    check_not_suspended(conn, card, now)?;
    check_daily_limit(conn, card, &room, span.day, None)?;
    let (starts_at, ends_at) = (span.starts_at(), span.ends_at());
    let own: Option<i64> = conn
        .prepare_cached(
            "SELECT 1 FROM booking_slots WHERE card_number = ?1 AND slot_start >= ?2 AND slot_start < ?3",
        )?
        .query_row(params![card, quantum_start(starts_at), ends_at], |r| r.get(0))
        .optional()?;
    if own.is_some() {
        return Err(AppError::booking(
            ErrorCode::BookingOverlap,
            "You have another booking at that time.",
        ));
    }
    conn.prepare_cached(
        "INSERT INTO bookings (card_number, seat_id, room_id, starts_at, ends_at, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'booked', ?6)",
    )?
    .execute(params![card, req.seat_id, room_id, starts_at, ends_at, now])?;
    let id = conn.last_insert_rowid();
    store::insert_slots(conn, id, req.seat_id, card, starts_at, ends_at).map_err(slot_conflict)?;
    let row = row_by_id(conn, id)?.ok_or_else(|| not_found(id))?;
    changes.push(change(conn, &row, SeatStatus::Taken, starts_at)?);
    let global = store::global_rules(conn)?;
    Ok((row.to_wire(now), room.rules.to_wire(&global), changes))
}

/// A change of one booking.
#[derive(Clone, Debug)]
pub enum Change {
    Cancel,
    CheckIn,
    Leave,
    Return,
    End,
    /// The new end, `HH:MM`.
    Extend(String),
    Accept,
    Decline,
}

fn not_changeable(row: &Row, what: &str) -> AppError {
    AppError::booking(
        ErrorCode::BookingNotChangeable,
        format!(
            "A booking that is {} cannot be {what}.",
            row.status.as_str()
        ),
    )
}

/// Checks a booking in at `now`, inside its check-in window.
fn check_in(conn: &Connection, row: &Row, now: i64) -> Result<(), AppError> {
    if row.status != BookingStatus::Booked {
        return Err(not_changeable(row, "checked in"));
    }
    let (opens, closes) = row.checkin_window();
    if now < opens {
        return Err(AppError::booking_opens(
            ErrorCode::CheckinTooEarly,
            "Check-in opens 15 minutes before the start.",
            opens,
        ));
    }
    if now >= closes {
        return Err(AppError::booking(
            ErrorCode::CheckinTooLate,
            "The check-in window has closed.",
        ));
    }
    conn.prepare_cached(
        "UPDATE bookings SET status = 'checked_in', checked_in_at = ?2, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![row.id, now])?;
    Ok(())
}

/// Applies a change to the patron's booking `id`, after the sweep; a
/// stale `If-Match` answers 412 with the booking as it is.
pub fn apply(
    conn: &Transaction<'_>,
    card: &str,
    id: i64,
    if_match: Option<&str>,
    what: Change,
    now: i64,
) -> Result<(Booking, Vec<SeatChange>), AppError> {
    let mut changes = sweep(conn, now)?;
    let row = mine(conn, card, id)?;
    if !if_match_allows(if_match, row.version) {
        return Err(AppError::stale_booking(row.to_wire(now)));
    }
    let global = store::global_rules(conn)?;
    let room = store::load_room(conn, &row.room_id)?
        .ok_or_else(|| AppError::NotFound(format!("There is no room {:?}.", row.room_id)))?;
    match what {
        Change::Cancel => {
            if row.status != BookingStatus::Booked {
                return Err(not_changeable(&row, "cancelled"));
            }
            changes.push(release(
                conn,
                &row,
                BookingStatus::Cancelled,
                now,
                row.starts_at,
            )?);
            changes.extend(offer_free_seats(conn, &row.room_id, now, &global)?);
        }
        Change::CheckIn => check_in(conn, &row, now)?,
        Change::Leave => {
            if row.status != BookingStatus::CheckedIn {
                return Err(not_changeable(&row, "left"));
            }
            let minutes = room.rules.leave_allowance(now);
            let until = (now + i64::from(minutes) * 60).min(row.ends_at);
            conn.prepare_cached(
                "UPDATE bookings SET status = 'on_leave', leave_until = ?2, version = version + 1 WHERE id = ?1",
            )?
            .execute(params![row.id, until])?;
        }
        Change::Return => {
            if row.status != BookingStatus::OnLeave {
                return Err(not_changeable(&row, "returned to"));
            }
            conn.prepare_cached(
                "UPDATE bookings SET status = 'checked_in', leave_until = NULL, version = version + 1 WHERE id = ?1",
            )?
            .execute([row.id])?;
        }
        Change::End => {
            if !matches!(
                row.status,
                BookingStatus::CheckedIn | BookingStatus::OnLeave
            ) {
                return Err(not_changeable(&row, "ended"));
            }
            changes.push(release(conn, &row, BookingStatus::Completed, now, now)?);
            changes.extend(offer_free_seats(conn, &row.room_id, now, &global)?);
        }
        Change::Extend(end) => {
            if !matches!(row.status, BookingStatus::Booked | BookingStatus::CheckedIn) {
                return Err(not_changeable(&row, "extended"));
            }
            let Some(end) = parse_hhmm(&end) else {
                return Err(AppError::Validation(vec![field(
                    "end",
                    "`end` is a time of day, HH:MM.",
                )]));
            };
            let day = local_day(row.starts_at);
            let new_end = instant_of(day, end);
            if new_end <= row.ends_at {
                return Err(AppError::booking(
                    ErrorCode::NotOnSlots,
                    "The new end is not after the current one.",
                ));
            }
            let span = Span {
                day,
                start: minute_of_day(row.starts_at),
                end,
            };
            // The span's own checks, but as of its creation: an extension
            // is not refused because the booking has started.
            let hours = store::day_hours(conn, &room, day)?;
            check_span(&room.rules, hours, span, row.starts_at - 1)
                .or_else(|r| {
                    if r.code == ErrorCode::BookingNotOpen {
                        Ok(())
                    } else {
                        Err(r)
                    }
                })
                .map_err(|r| AppError::booking(r.code, r.detail))?;
            store::insert_slots(conn, row.id, row.seat_id, card, row.ends_at, new_end)
                .map_err(slot_conflict)?;
            conn.prepare_cached(
                "UPDATE bookings SET ends_at = ?2, version = version + 1 WHERE id = ?1",
            )?
            .execute(params![row.id, new_end])?;
            let mut extended = row.clone();
            extended.ends_at = new_end;
            changes.push(change(conn, &extended, SeatStatus::Taken, row.ends_at)?);
        }
        Change::Accept => {
            if row.status != BookingStatus::Offered {
                return Err(not_changeable(&row, "accepted"));
            }
            check_not_suspended(conn, card, now)?;
            check_daily_limit(conn, card, &room, local_day(row.starts_at), Some(row.id))?;
            set_status(conn, row.id, BookingStatus::Booked, None)?;
            conn.prepare_cached("DELETE FROM waitlist WHERE booking_id = ?1")?
                .execute([row.id])?;
        }
        Change::Decline => {
            if row.status != BookingStatus::Offered {
                return Err(not_changeable(&row, "declined"));
            }
            changes.push(release(
                conn,
                &row,
                BookingStatus::Declined,
                now,
                row.starts_at,
            )?);
            changes.extend(offer_free_seats(conn, &row.room_id, now, &global)?);
        }
    }
    let row = mine(conn, card, id)?;
    Ok((row.to_wire(now), changes))
}

/// Checks in at a seat by its code: the patron's booking of that seat
/// whose check-in window is open (a patron on leave returns instead).
pub fn check_in_at_seat(
    conn: &Transaction<'_>,
    card: &str,
    code: &str,
    now: i64,
) -> Result<(Booking, Vec<SeatChange>), AppError> {
    let changes = sweep(conn, now)?;
    let seat: Option<i64> = conn
        .prepare_cached("SELECT id FROM seats WHERE code = ?1")?
        .query_row([code.trim().to_ascii_uppercase()], |r| r.get(0))
        .optional()?;
    let Some(seat) = seat else {
        return Err(AppError::NotFound(format!("There is no seat {code:?}.")));
    };
    let id: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM bookings WHERE card_number = ?1 AND seat_id = ?2
               AND status IN ('booked', 'checked_in', 'on_leave') AND ends_at > ?3
             ORDER BY starts_at LIMIT 1",
        )?
        .query_row(params![card, seat, now], |r| r.get(0))
        .optional()?;
    let Some(id) = id else {
        return Err(AppError::booking(
            ErrorCode::NoBookingAtSeat,
            "You have no booking at this seat now.",
        ));
    };
    let row = mine(conn, card, id)?;
    match row.status {
        BookingStatus::OnLeave => {
            conn.prepare_cached(
                "UPDATE bookings SET status = 'checked_in', leave_until = NULL, version = version + 1 WHERE id = ?1",
            )?
            .execute([row.id])?;
        }
        BookingStatus::CheckedIn => {}
        _ => check_in(conn, &row, now)?,
    }
    let row = mine(conn, card, id)?;
    Ok((row.to_wire(now), changes))
}

fn waitlist_of(conn: &Connection, card: &str) -> Result<Vec<WaitlistEntry>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.room_id, r.name_zh, r.name_en, r.library_id, w.starts_at, w.ends_at, w.booking_id,
                (SELECT COUNT(*) FROM waitlist o WHERE o.room_id = w.room_id AND o.starts_at = w.starts_at
                   AND o.ends_at = w.ends_at AND o.booking_id IS NULL
                   AND (o.created_at < w.created_at OR (o.created_at = w.created_at AND o.id < w.id)))
         FROM waitlist w JOIN reading_rooms r ON r.id = w.room_id
         WHERE w.card_number = ?1 ORDER BY w.created_at, w.id",
    )?;
    let rows = stmt.query_map([card], |r| {
        let (starts_at, ends_at): (i64, i64) = (r.get(5)?, r.get(6)?);
        let booking: Option<i64> = r.get(7)?;
        Ok(WaitlistEntry {
            id: r.get(0)?,
            room_id: r.get(1)?,
            room_name: LocalizedText::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
            library_id: r.get(4)?,
            date: format_date(local_day(starts_at)),
            start: hhmm(minute_of_day(starts_at)),
            end: hhmm(minute_of_day(ends_at)),
            status: if booking.is_some() {
                WaitlistStatus::Offered
            } else {
                WaitlistStatus::Waiting
            },
            position: if booking.is_some() {
                0
            } else {
                u32::try_from(r.get::<_, i64>(8)? + 1).unwrap_or(u32::MAX)
            },
            booking_id: booking,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The patron's bookings: those holding a seat soonest first, the past
/// 30 days' latest first, the waitlist, violations and suspension.
pub fn my_bookings(conn: &Connection, card: &str, now: i64) -> Result<MyBookings, Error> {
    let global = store::global_rules(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{ROW_SELECT} WHERE b.card_number = ?1 AND b.status IN {ACTIVE} ORDER BY b.starts_at, b.id"
    ))?;
    let upcoming = stmt
        .query_map([card], read_row)?
        .map(|r| r.map(|r| r.to_wire(now)))
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "{ROW_SELECT} WHERE b.card_number = ?1 AND b.status NOT IN {ACTIVE} AND b.starts_at > ?2
         ORDER BY b.starts_at DESC, b.id DESC LIMIT 100"
    ))?;
    let past = stmt
        .query_map(params![card, now - 30 * DAY], read_row)?
        .map(|r| r.map(|r| r.to_wire(now)))
        .collect::<Result<_, _>>()?;
    Ok(MyBookings {
        upcoming,
        past,
        waitlist: waitlist_of(conn, card)?,
        violations: violations(conn, card, now, &global, false)?,
        suspended_until: suspended_until(conn, card, local_day(now))?.map(format_date),
    })
}

/// Joins a room's waitlist for a span that has no free seat.
pub fn join_waitlist(
    conn: &Transaction<'_>,
    card: &str,
    req: &JoinWaitlist,
    now: i64,
) -> Result<(WaitlistEntry, Vec<SeatChange>), AppError> {
    let changes = sweep(conn, now)?;
    let Some(room) = store::load_room(conn, &req.room_id)? else {
        return Err(AppError::NotFound(format!(
            "There is no reading room {:?}.",
            req.room_id
        )));
    };
    let span = read_span(&req.date, &req.start, &req.end)?;
    check_room_span(conn, &room, span, now)?;
    check_not_suspended(conn, card, now)?;
    let (starts_at, ends_at) = (span.starts_at(), span.ends_at());
    let taken = store::taken_seats(conn, &room.id, starts_at, ends_at)?;
    if store::seats(conn, &room.id)?
        .iter()
        .any(|s| !s.closed && !taken.contains(&s.id))
    {
        return Err(AppError::booking(
            ErrorCode::SeatsAvailable,
            "A seat is free for that time: book it.",
        ));
    }
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO waitlist (room_id, card_number, starts_at, ends_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![room.id, card, starts_at, ends_at, now])?;
    if inserted == 0 {
        return Err(AppError::booking(
            ErrorCode::AlreadyWaiting,
            "You are already on the waitlist for that time.",
        ));
    }
    let id = conn.last_insert_rowid();
    let entry = waitlist_of(conn, card)?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| AppError::NotFound(format!("No waitlist entry {id}.")))?;
    Ok((entry, changes))
}

/// Leaves the waitlist (declining an offer made for the entry).
pub fn leave_waitlist(
    conn: &Transaction<'_>,
    card: &str,
    id: i64,
    now: i64,
) -> Result<Vec<SeatChange>, AppError> {
    let mut changes = sweep(conn, now)?;
    let booking: Option<Option<i64>> = conn
        .prepare_cached("SELECT booking_id FROM waitlist WHERE id = ?1 AND card_number = ?2")?
        .query_row(params![id, card], |r| r.get(0))
        .optional()?;
    let Some(booking) = booking else {
        return Err(AppError::NotFound(format!(
            "You have no waitlist entry {id}."
        )));
    };
    if let Some(booking) = booking {
        let (_, more) = apply(conn, card, booking, None, Change::Decline, now)?;
        changes.extend(more);
    }
    conn.prepare_cached("DELETE FROM waitlist WHERE id = ?1")?
        .execute([id])?;
    Ok(changes)
}
