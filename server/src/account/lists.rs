//! Favourite lists: named lists of records a patron keeps, each with a
//! read-only link (`/api/lists/{share_token}`) that works while the list
//! is shared. A patron has at most `max_lists` lists of at most
//! `max_list_entries` records each (rules table); a name is 1 to 40
//! characters after trimming.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::account::{
    FavouriteList, FavouriteLists, ListChange, ListEntry, NewList, SharedList,
};
use yuelan_api::{ErrorCode, Format, Problem};

use super::rules::{self, Rules};
use super::session::random_token;
use super::{CsrfChecked, SignedIn, created, no_content, one_param, path_id, private_json};
use crate::AppState;
use crate::clock::{format_date, local_day};
use crate::error::{AppError, Error};
use crate::routes::{JsonBody, blocking};

/// Random bytes in a share token.
const SHARE_TOKEN_BYTES: usize = 16;

/// The records of a list, latest added first.
fn entries(conn: &Connection, list_id: i64) -> Result<Vec<ListEntry>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.record_id, r.title, r.authors, r.format, r.year, e.added_at
         FROM list_entries e JOIN records r ON r.id = e.record_id
         WHERE e.list_id = ?1 ORDER BY e.added_at DESC, e.id DESC",
    )?;
    let rows = stmt.query_map([list_id], |r| {
        let authors: String = r.get(2)?;
        let format: String = r.get(3)?;
        Ok(ListEntry {
            record_id: r.get(0)?,
            title: r.get(1)?,
            authors: serde_json::from_str(&authors).unwrap_or_default(),
            format: Format::parse(&format).unwrap_or(Format::Unknown),
            year: r.get(4)?,
            added_on: format_date(local_day(r.get(5)?)),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn read_list(conn: &Connection, row: (i64, String, bool, String)) -> Result<FavouriteList, Error> {
    let (id, name, shared, share_token) = row;
    Ok(FavouriteList {
        id,
        entries: entries(conn, id)?,
        name,
        shared,
        share_token,
    })
}

/// A patron's lists, oldest first.
pub fn lists_of(conn: &Connection, card: &str) -> Result<Vec<FavouriteList>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, shared, share_token FROM favourite_lists
         WHERE card_number = ?1 ORDER BY created_at, id",
    )?;
    let rows: Vec<(i64, String, bool, String)> = stmt
        .query_map([card], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter().map(|row| read_list(conn, row)).collect()
}

/// The list `id` of `card`; 404 when there is none (or it is someone
/// else's).
pub fn list(conn: &Connection, card: &str, id: i64) -> Result<FavouriteList, AppError> {
    let row: Option<(i64, String, bool, String)> = conn
        .query_row(
            "SELECT id, name, shared, share_token FROM favourite_lists WHERE id = ?1 AND card_number = ?2",
            params![id, card],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let row = row.ok_or_else(|| AppError::NotFound(format!("You have no list {id}.")))?;
    Ok(read_list(conn, row)?)
}

/// Creates a list (not shared); returns its id.
pub fn create(
    conn: &Connection,
    card: &str,
    name: &str,
    now: i64,
    rules: &Rules,
) -> Result<i64, AppError> {
    let count: i64 = conn.query_row(
        "SELECT COUNT(*) FROM favourite_lists WHERE card_number = ?1",
        [card],
        |r| r.get(0),
    )?;
    if count >= i64::from(rules.max_lists) {
        return Err(AppError::refused(
            ErrorCode::ListLimitReached,
            format!("You have {count} lists, the most allowed."),
        ));
    }
    conn.execute(
        "INSERT INTO favourite_lists (card_number, name, shared, share_token, created_at)
         VALUES (?1, ?2, 0, ?3, ?4)",
        params![card, name, random_token(SHARE_TOKEN_BYTES)?, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Renames a list or shares it (or stops sharing it).
pub fn update(
    conn: &Connection,
    card: &str,
    id: i64,
    name: Option<&str>,
    shared: Option<bool>,
) -> Result<(), AppError> {
    list(conn, card, id)?;
    if let Some(name) = name {
        conn.execute(
            "UPDATE favourite_lists SET name = ?2 WHERE id = ?1",
            params![id, name],
        )?;
    }
    if let Some(shared) = shared {
        conn.execute(
            "UPDATE favourite_lists SET shared = ?2 WHERE id = ?1",
            params![id, shared],
        )?;
    }
    Ok(())
}

/// Deletes a list and its entries.
pub fn delete(conn: &Connection, card: &str, id: i64) -> Result<(), AppError> {
    list(conn, card, id)?;
    conn.execute("DELETE FROM favourite_lists WHERE id = ?1", [id])?;
    Ok(())
}

/// Adds a record to a list; a record already there stays as it was.
pub fn add(
    conn: &Connection,
    card: &str,
    id: i64,
    record_id: i64,
    now: i64,
    rules: &Rules,
) -> Result<(), AppError> {
    let current = list(conn, card, id)?;
    if current.entries.iter().any(|e| e.record_id == record_id) {
        return Ok(());
    }
    let record_exists = conn
        .query_row("SELECT 1 FROM records WHERE id = ?1", [record_id], |_| {
            Ok(())
        })
        .optional()?
        .is_some();
    if !record_exists {
        return Err(AppError::NotFound(format!(
            "There is no record {record_id}."
        )));
    }
    if current.entries.len() >= rules.max_list_entries as usize {
        return Err(AppError::refused(
            ErrorCode::ListLimitReached,
            format!("A list holds at most {} records.", rules.max_list_entries),
        ));
    }
    conn.execute(
        "INSERT INTO list_entries (list_id, record_id, added_at) VALUES (?1, ?2, ?3)",
        params![id, record_id, now],
    )?;
    Ok(())
}

/// Removes a record from a list (nothing happens if it is not there).
pub fn remove(conn: &Connection, card: &str, id: i64, record_id: i64) -> Result<(), AppError> {
    list(conn, card, id)?;
    conn.execute(
        "DELETE FROM list_entries WHERE list_id = ?1 AND record_id = ?2",
        params![id, record_id],
    )?;
    Ok(())
}

/// The owner as a shared list shows them: the family name of a Chinese
/// name (`陈` of 陈晓明), the first word of another (`Emily` of Emily
/// Zhang). Never the card number.
pub fn owner_label(name: &str) -> String {
    let name = name.trim();
    match name.chars().next() {
        Some(c) if is_cjk(c) => c.to_string(),
        Some(_) => name.split_whitespace().next().unwrap_or("").to_owned(),
        None => String::new(),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A shared list by its token; `None` when unknown or not shared.
pub fn shared(conn: &Connection, token: &str) -> Result<Option<SharedList>, Error> {
    let row: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT l.id, l.name, p.name FROM favourite_lists l JOIN patrons p ON p.card_number = l.card_number
             WHERE l.share_token = ?1 AND l.shared = 1",
            [token],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, name, owner)) = row else {
        return Ok(None);
    };
    Ok(Some(SharedList {
        name,
        owner: owner_label(&owner),
        entries: entries(conn, id)?,
    }))
}

/// The two ids of an entry's path.
fn entry_path(path: Result<Path<(String, String)>, PathRejection>) -> Result<(i64, i64), AppError> {
    let Path((list, record)) = path.map_err(|e| AppError::BadRequest(e.body_text()))?;
    Ok((path_id(&list, "id")?, path_id(&record, "record_id")?))
}

/// Runs `f` in a write transaction, then reads the list back.
async fn change(
    state: AppState,
    who: SignedIn,
    id: i64,
    f: impl FnOnce(&Connection, &str, i64, &Rules) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, AppError> {
    let now = state.now();
    let list = blocking(move || {
        state.db().write(|tx| {
            f(tx, &who.card_number, now, &who.rules)?;
            list(tx, &who.card_number, id)
        })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &list))
}

/// The patron's favourite lists, oldest first, each with its records
/// (latest added first).
#[utoipa::path(
    get, path = "/api/me/lists", tag = "lists",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The lists.", body = FavouriteLists),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lists_handler(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let lists =
        blocking(move || Ok(state.db().with_conn(|c| lists_of(c, &who.card_number))?)).await?;
    Ok(private_json(StatusCode::OK, &FavouriteLists { lists }))
}

/// Creates a list, not shared. At most `max_lists` (20) per patron.
#[utoipa::path(
    post, path = "/api/me/lists", tag = "lists",
    params(super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = NewList,
    responses(
        (status = 201, description = "The new list; `Location` is its URL.", body = FavouriteList),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The patron has `max_lists` lists (`list_limit_reached`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name is empty or longer than 40 characters after trimming (`validation_failed`, field `name`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    JsonBody(req): JsonBody<NewList>,
) -> Result<Response, AppError> {
    let name = rules::list_name(&req.name).map_err(|e| AppError::Validation(vec![e]))?;
    let now = state.now();
    let list = blocking(move || {
        state.db().write(|tx| {
            let id = create(tx, &who.card_number, &name, now, &who.rules)?;
            list(tx, &who.card_number, id)
        })
    })
    .await?;
    Ok(created(&format!("/api/me/lists/{}", list.id), &list))
}

/// Renames a list, or shares it or stops sharing it. Absent fields stay.
#[utoipa::path(
    patch, path = "/api/me/lists/{id}", tag = "lists",
    params(("id" = i64, Path, description = "The list id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = ListChange,
    responses(
        (status = 200, description = "The list.", body = FavouriteList),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such list.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad name or id (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<ListChange>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    let name = req
        .name
        .as_deref()
        .map(rules::list_name)
        .transpose()
        .map_err(|e| AppError::Validation(vec![e]))?;
    change(state, who, id, move |tx, card, _, _| {
        update(tx, card, id, name.as_deref(), req.shared)
    })
    .await
}

/// Deletes a list.
#[utoipa::path(
    delete, path = "/api/me/lists/{id}", tag = "lists",
    params(("id" = i64, Path, description = "The list id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such list.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    blocking(move || state.db().write(|tx| delete(tx, &who.card_number, id))).await?;
    Ok(no_content())
}

/// Adds a record to a list; adding one already there changes nothing.
/// At most `max_list_entries` (500) records per list.
#[utoipa::path(
    put, path = "/api/me/lists/{id}/entries/{record_id}", tag = "lists",
    params(
        ("id" = i64, Path, description = "The list id."),
        ("record_id" = i64, Path, description = "The record id."),
        super::CsrfHeader,
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The list.", body = FavouriteList),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such list, or there is no such record.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The list is full (`list_limit_reached`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed id.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, AppError> {
    let (id, record_id) = entry_path(path)?;
    change(state, who, id, move |tx, card, now, rules| {
        add(tx, card, id, record_id, now, rules)
    })
    .await
}

/// Removes a record from a list (a record not there changes nothing).
#[utoipa::path(
    delete, path = "/api/me/lists/{id}/entries/{record_id}", tag = "lists",
    params(
        ("id" = i64, Path, description = "The list id."),
        ("record_id" = i64, Path, description = "The record id."),
        super::CsrfHeader,
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The list.", body = FavouriteList),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such list.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed id.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, AppError> {
    let (id, record_id) = entry_path(path)?;
    change(state, who, id, move |tx, card, _, _| {
        remove(tx, card, id, record_id)
    })
    .await
}

/// A shared list, read-only, for anyone with its link; no sign-in needed.
#[utoipa::path(
    get, path = "/api/lists/{share_token}", tag = "lists",
    params(("share_token" = String, Path, description = "The list's share token.")),
    responses(
        (status = 200, description = "The list, with the owner's name shortened.", body = SharedList),
        (status = 404, description = "No list has this token, or it is not shared (`not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn shared_handler(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let token = one_param(path)?;
    let list = blocking(move || Ok(state.db().with_conn(|c| shared(c, &token))?))
        .await?
        .ok_or_else(|| AppError::NotFound("There is no shared list at this link.".into()))?;
    Ok(private_json(StatusCode::OK, &list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_shown_by_a_short_name() {
        assert_eq!(owner_label("陈晓明"), "陈");
        assert_eq!(owner_label("Emily Zhang"), "Emily");
        assert_eq!(owner_label("  李秀英 "), "李");
        assert_eq!(owner_label(""), "");
    }
}
