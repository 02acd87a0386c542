//! Holds: placing one, changing its pickup library, suspending, resuming
//! and cancelling it, and reading a patron's holds with their place in
//! the queue.
//!
//! A hold waits in the title's queue (ordered by when holds were placed),
//! until a copy is trapped for it: then it is in transit to the pickup
//! library, then ready on its hold shelf until `pickup_by`. A suspended
//! hold keeps its place but is passed over until its end date; from the
//! day after, it counts as waiting again. The queue position of a hold is
//! 1 + the waiting or suspended holds of other patrons on the same title
//! placed before it; in-transit and ready holds have position 0.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::account::{ChangePickup, Hold, HoldStatus, PlaceHold, SuspendHold};
use yuelan_api::{ErrorCode, Format, ItemStatus, Problem};

use super::rules::{self, Rules};
use super::{CsrfChecked, SignedIn, created, no_content, one_param, path_id, private_json};
use crate::clock::{format_date, local_day, parse_date};
use crate::error::{AppError, Error};
use crate::routes::{JsonBody, blocking};
use crate::{AppState, db, patrons};

/// A hold as stored, with its queue figures.
#[derive(Clone, Debug)]
struct HoldRow {
    id: i64,
    record_id: i64,
    title: String,
    authors: String,
    format: String,
    pickup_library_id: String,
    status: String,
    placed_at: i64,
    suspended_until: Option<String>,
    pickup_by: Option<String>,
    barcode: Option<String>,
    /// Waiting or suspended holds of others on the title, placed before.
    ahead: i64,
    /// Waiting or suspended holds on the title.
    queue: i64,
}

const HOLD_SELECT: &str = "
    SELECT h.id, h.record_id, r.title, r.authors, r.format, h.pickup_library_id, h.status, h.placed_at,
           h.suspended_until, h.pickup_by, h.barcode,
           (SELECT COUNT(*) FROM holds o
             WHERE o.record_id = h.record_id AND o.id <> h.id AND o.card_number <> h.card_number
               AND o.status IN ('waiting', 'suspended')
               AND (o.placed_at < h.placed_at OR (o.placed_at = h.placed_at AND o.id < h.id))),
           (SELECT COUNT(*) FROM holds o
             WHERE o.record_id = h.record_id AND o.status IN ('waiting', 'suspended'))
    FROM holds h JOIN records r ON r.id = h.record_id";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HoldRow> {
    Ok(HoldRow {
        id: r.get(0)?,
        record_id: r.get(1)?,
        title: r.get(2)?,
        authors: r.get(3)?,
        format: r.get(4)?,
        pickup_library_id: r.get(5)?,
        status: r.get(6)?,
        placed_at: r.get(7)?,
        suspended_until: r.get(8)?,
        pickup_by: r.get(9)?,
        barcode: r.get(10)?,
        ahead: r.get(11)?,
        queue: r.get(12)?,
    })
}

/// The status of a stored hold today: a suspension whose end has passed
/// counts as waiting.
fn effective_status(stored: &str, suspended_until: Option<&str>, today: i64) -> HoldStatus {
    match stored {
        "waiting" => HoldStatus::Waiting,
        "in_transit" => HoldStatus::InTransit,
        "ready" => HoldStatus::Ready,
        "suspended" => match suspended_until.and_then(parse_date) {
            Some(until) if rules::suspension_in_force(until, today) => HoldStatus::Suspended,
            _ => HoldStatus::Waiting,
        },
        _ => HoldStatus::Unknown,
    }
}

impl HoldRow {
    fn status(&self, today: i64) -> HoldStatus {
        effective_status(&self.status, self.suspended_until.as_deref(), today)
    }

    fn changeable(&self, today: i64) -> bool {
        !matches!(
            self.status(today),
            HoldStatus::Ready | HoldStatus::InTransit
        )
    }

    fn to_wire(&self, today: i64) -> Hold {
        let status = self.status(today);
        let queued = matches!(status, HoldStatus::Waiting | HoldStatus::Suspended);
        Hold {
            id: self.id,
            record_id: self.record_id,
            title: self.title.clone(),
            authors: serde_json::from_str(&self.authors).unwrap_or_default(),
            format: Format::parse(&self.format).unwrap_or(Format::Unknown),
            pickup_library_id: self.pickup_library_id.clone(),
            status,
            placed_on: format_date(local_day(self.placed_at)),
            queue_position: if queued {
                u32::try_from(self.ahead + 1).unwrap_or(u32::MAX)
            } else {
                0
            },
            queue_length: u32::try_from(self.queue).unwrap_or(u32::MAX),
            suspended_until: if status == HoldStatus::Suspended {
                self.suspended_until.clone()
            } else {
                None
            },
            pickup_by: if status == HoldStatus::Ready {
                self.pickup_by.clone()
            } else {
                None
            },
        }
    }
}

/// The order of an account's holds: ready first, then in transit, then by
/// place in the queue.
fn sort_key(h: &Hold) -> (u8, u32, String, i64) {
    let rank = match h.status {
        HoldStatus::Ready => 0,
        HoldStatus::InTransit => 1,
        _ => 2,
    };
    (rank, h.queue_position, h.placed_on.clone(), h.id)
}

/// A patron's holds, in account order.
pub fn holds_of(conn: &Connection, card: &str, today: i64) -> Result<Vec<Hold>, Error> {
    let mut stmt = conn.prepare_cached(&format!("{HOLD_SELECT} WHERE h.card_number = ?1"))?;
    let rows = stmt.query_map([card], read_row)?;
    let mut holds = Vec::new();
    for row in rows {
        holds.push(row?.to_wire(today));
    }
    holds.sort_by_key(sort_key);
    Ok(holds)
}

fn row_of(conn: &Connection, card: &str, id: i64) -> Result<Option<HoldRow>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "{HOLD_SELECT} WHERE h.id = ?1 AND h.card_number = ?2"
    ))?;
    Ok(stmt.query_row(params![id, card], read_row).optional()?)
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(format!("You have no hold {id}."))
}

/// The hold `id` of `card`; 404 when there is none (or it is someone
/// else's).
fn mine(conn: &Connection, card: &str, id: i64) -> Result<HoldRow, AppError> {
    row_of(conn, card, id)?.ok_or_else(|| not_found(id))
}

/// One hold, as its owner sees it.
pub fn hold(conn: &Connection, card: &str, id: i64, today: i64) -> Result<Hold, AppError> {
    Ok(mine(conn, card, id)?.to_wire(today))
}

/// Checks that a library exists and is a pickup point.
fn check_pickup(conn: &Connection, library: &str) -> Result<(), AppError> {
    let pickup: Option<i64> = conn
        .query_row(
            "SELECT pickup_point FROM libraries WHERE id = ?1",
            [library],
            |r| r.get(0),
        )
        .optional()?;
    if pickup == Some(1) {
        Ok(())
    } else {
        Err(AppError::refused(
            ErrorCode::NotPickupPoint,
            format!("{library:?} is not a library where holds can be collected."),
        ))
    }
}

/// Places a hold, checking in order: the record exists, the pickup library
/// is a pickup point, the patron is not blocked, no copy is on the shelf
/// at the pickup library, the patron does not already hold the title, the
/// patron is under the hold limit, and the title has copies. Returns the
/// new hold's id.
pub fn place(
    conn: &Connection,
    card: &str,
    req: &PlaceHold,
    now: i64,
    rules: &Rules,
) -> Result<i64, AppError> {
    let record_exists = conn
        .query_row(
            "SELECT 1 FROM records WHERE id = ?1",
            [req.record_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !record_exists {
        return Err(AppError::NotFound(format!(
            "There is no record {}.",
            req.record_id
        )));
    }
    check_pickup(conn, &req.pickup_library_id)?;
    if patrons::patron(conn, card)?.is_some_and(|p| p.blocked.is_some()) {
        return Err(AppError::refused(
            ErrorCode::PatronBlocked,
            "Your card is blocked; please ask at a library desk.",
        ));
    }
    let on_shelf: Vec<_> = db::holdings(conn, req.record_id)?
        .into_iter()
        .filter(|h| h.library_id == req.pickup_library_id && h.status == ItemStatus::OnShelf)
        .collect();
    if !on_shelf.is_empty() {
        return Err(AppError::OnShelfAtPickup(on_shelf));
    }
    let duplicate = conn
        .query_row(
            "SELECT 1 FROM holds WHERE card_number = ?1 AND record_id = ?2",
            params![card, req.record_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if duplicate {
        return Err(AppError::refused(
            ErrorCode::DuplicateHold,
            "You already hold this title.",
        ));
    }
    let active: i64 = conn.query_row(
        "SELECT COUNT(*) FROM holds WHERE card_number = ?1",
        [card],
        |r| r.get(0),
    )?;
    if active >= i64::from(rules.max_active_holds) {
        return Err(AppError::refused(
            ErrorCode::HoldLimitReached,
            format!(
                "You have {active} holds, the most the rules allow ({}).",
                rules.max_active_holds
            ),
        ));
    }
    let copies: i64 = conn.query_row(
        "SELECT COUNT(*) FROM items WHERE record_id = ?1",
        [req.record_id],
        |r| r.get(0),
    )?;
    if copies == 0 {
        return Err(AppError::refused(
            ErrorCode::NotHoldable,
            "The library has no copy of this title to hold.",
        ));
    }
    conn.execute(
        "INSERT INTO holds (card_number, record_id, pickup_library_id, status, placed_at)
         VALUES (?1, ?2, ?3, 'waiting', ?4)",
        params![card, req.record_id, req.pickup_library_id, now],
    )?;
    Ok(conn.last_insert_rowid())
}

fn not_changeable() -> AppError {
    AppError::refused(
        ErrorCode::HoldNotChangeable,
        "A copy is already on its way or waiting for you; the hold cannot change now.",
    )
}

/// Moves a waiting or suspended hold to another pickup library.
pub fn change_pickup(
    conn: &Connection,
    card: &str,
    id: i64,
    library: &str,
    today: i64,
) -> Result<(), AppError> {
    let row = mine(conn, card, id)?;
    check_pickup(conn, library)?;
    if !row.changeable(today) {
        return Err(not_changeable());
    }
    conn.execute(
        "UPDATE holds SET pickup_library_id = ?2 WHERE id = ?1",
        params![id, library],
    )?;
    Ok(())
}

/// Suspends a waiting or suspended hold until a day (inclusive).
pub fn suspend(
    conn: &Connection,
    card: &str,
    id: i64,
    until: &str,
    today: i64,
    rules: &Rules,
) -> Result<(), AppError> {
    let row = mine(conn, card, id)?;
    let until_day = parse_date(until)
        .ok_or_else(|| AppError::field("until", "format", "`until` is a date, `YYYY-MM-DD`."))?;
    rules::check_suspension(until_day, today, rules).map_err(|e| AppError::Validation(vec![e]))?;
    if !row.changeable(today) {
        return Err(not_changeable());
    }
    conn.execute(
        "UPDATE holds SET status = 'suspended', suspended_until = ?2 WHERE id = ?1",
        params![id, format_date(until_day)],
    )?;
    Ok(())
}

/// Resumes a suspended hold (a waiting one stays as it is).
pub fn resume(conn: &Connection, card: &str, id: i64, today: i64) -> Result<(), AppError> {
    let row = mine(conn, card, id)?;
    if !row.changeable(today) {
        return Err(not_changeable());
    }
    conn.execute(
        "UPDATE holds SET status = 'waiting', suspended_until = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Cancels a hold. A copy trapped for it goes back on the shelf; returns
/// the record whose availability changed, if one did.
pub fn cancel(conn: &Connection, card: &str, id: i64) -> Result<Option<i64>, AppError> {
    let row = mine(conn, card, id)?;
    conn.execute("DELETE FROM holds WHERE id = ?1", [id])?;
    if let Some(barcode) = &row.barcode {
        conn.execute(
            "UPDATE items SET status = 'on_shelf', due_date = NULL
             WHERE barcode = ?1 AND status IN ('on_hold_shelf', 'in_transit')",
            [barcode],
        )?;
        return Ok(Some(row.record_id));
    }
    Ok(None)
}

/// Runs `f` in a write transaction with the patron's rules and today's
/// date, then reads the hold back.
async fn change(
    state: AppState,
    who: SignedIn,
    id: i64,
    f: impl FnOnce(&Connection, &str, i64, &Rules) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, AppError> {
    let today = state.today();
    let hold = blocking(move || {
        state.db().write(|tx| {
            f(tx, &who.card_number, today, &who.rules)?;
            hold(tx, &who.card_number, id, today)
        })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &hold))
}

/// Places a hold on a title, for pickup at a library.
///
/// Refusals, checked in this order: 404 `not_found` (no such record), 422
/// `not_pickup_point`, 403 `patron_blocked`, 409 `on_shelf_at_pickup` (a
/// copy is on the shelf at the pickup library: `on_shelf` lists those
/// copies, and no hold is made), 409 `duplicate_hold`, 409
/// `hold_limit_reached` (`max_active_holds` of the rules), 409
/// `not_holdable` (the title has no copies).
#[utoipa::path(
    post, path = "/api/me/holds", tag = "account",
    params(super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = PlaceHold,
    responses(
        (status = 201, description = "The hold, waiting in the queue; `Location` is its URL.", body = Hold),
        (status = 400, description = "The body is not JSON (`bad_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthenticated`, `session_expired`).", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing (`csrf_check_failed`) or the patron is blocked (`patron_blocked`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`on_shelf_at_pickup` (with `on_shelf`), `duplicate_hold`, `hold_limit_reached` or `not_holdable`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The library is unknown or not a pickup point (`not_pickup_point`), or a field has the wrong type (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn place_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    JsonBody(req): JsonBody<PlaceHold>,
) -> Result<Response, AppError> {
    let now = state.now();
    let today = local_day(now);
    let hold = blocking(move || {
        state.db().write(|tx| {
            let id = place(tx, &who.card_number, &req, now, &who.rules)?;
            hold(tx, &who.card_number, id, today)
        })
    })
    .await?;
    Ok(created(&format!("/api/me/holds/{}", hold.id), &hold))
}

/// Changes the pickup library of a waiting or suspended hold.
#[utoipa::path(
    patch, path = "/api/me/holds/{id}", tag = "account",
    params(("id" = i64, Path, description = "The hold id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = ChangePickup,
    responses(
        (status = 200, description = "The hold.", body = Hold),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such hold (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The hold is in transit or ready (`hold_not_changeable`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_pickup_point`, or a malformed id (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_pickup_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<ChangePickup>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    change(state, who, id, move |tx, card, today, _| {
        change_pickup(tx, card, id, &req.pickup_library_id, today)
    })
    .await
}

/// Suspends a waiting hold until a day: it keeps its place in the queue
/// but is passed over, and waits again from the day after `until`.
#[utoipa::path(
    post, path = "/api/me/holds/{id}/suspend", tag = "account",
    params(("id" = i64, Path, description = "The hold id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = SuspendHold,
    responses(
        (status = 200, description = "The hold, suspended.", body = Hold),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such hold.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The hold is in transit or ready (`hold_not_changeable`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`until` is not a date after today and at most `max_suspend_days` ahead (`validation_failed`, field `until`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn suspend_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<SuspendHold>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    change(state, who, id, move |tx, card, today, rules| {
        suspend(tx, card, id, &req.until, today, rules)
    })
    .await
}

/// Resumes a suspended hold now.
#[utoipa::path(
    post, path = "/api/me/holds/{id}/resume", tag = "account",
    params(("id" = i64, Path, description = "The hold id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The hold, waiting.", body = Hold),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such hold.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The hold is in transit or ready (`hold_not_changeable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn resume_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    change(state, who, id, move |tx, card, today, _| {
        resume(tx, card, id, today)
    })
    .await
}

/// Cancels a hold. A copy waiting for it on the hold shelf (or on its way)
/// goes back on the shelf.
#[utoipa::path(
    delete, path = "/api/me/holds/{id}", tag = "account",
    params(("id" = i64, Path, description = "The hold id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Cancelled."),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such hold.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    blocking(move || {
        let freed = state.db().write(|tx| cancel(tx, &who.card_number, id))?;
        if let Some(record) = freed {
            state.refresh_availability(record)?;
        }
        Ok(())
    })
    .await?;
    Ok(no_content())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_suspension_counts_as_waiting() {
        let today = 20_000;
        let until = format_date(today);
        assert_eq!(
            effective_status("suspended", Some(&until), today),
            HoldStatus::Suspended
        );
        assert_eq!(
            effective_status("suspended", Some(&until), today + 1),
            HoldStatus::Waiting
        );
        assert_eq!(effective_status("ready", None, today), HoldStatus::Ready);
        assert_eq!(effective_status("bogus", None, today), HoldStatus::Unknown);
    }

    #[test]
    fn ready_holds_come_first_then_in_transit_then_the_queue() {
        let hold = |id, status, queue_position| Hold {
            id,
            record_id: id,
            title: String::new(),
            authors: Vec::new(),
            format: Format::Book,
            pickup_library_id: "county".into(),
            status,
            placed_on: "2026-11-01".into(),
            queue_position,
            queue_length: 3,
            suspended_until: None,
            pickup_by: None,
        };
        let mut holds = [
            hold(1, HoldStatus::Waiting, 3),
            hold(2, HoldStatus::Suspended, 1),
            hold(3, HoldStatus::InTransit, 0),
            hold(4, HoldStatus::Ready, 0),
            hold(5, HoldStatus::Waiting, 2),
        ];
        holds.sort_by_key(sort_key);
        let ids: Vec<i64> = holds.iter().map(|h| h.id).collect();
        assert_eq!(ids, [4, 3, 2, 5, 1]);
    }
}
