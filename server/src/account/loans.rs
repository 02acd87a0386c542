//! Loans and renewals.
//!
//! A renewal is refused, in this order, when the patron is blocked (403
//! `patron_blocked`), when the request's `due_date` is not the loan's
//! current one (409 `already_renewed`: it was renewed meanwhile), when the
//! loan is overdue by more than `max_overdue_days_to_renew` (409
//! `too_overdue`), when it has been renewed `max_renewals` times (409
//! `renewal_limit_reached`), and when another patron waits for the title
//! (409 `held_for_another`). A renewal sets the due date to the later of
//! today and the current due date plus `renewal_days`, on the loan and on
//! the copy. The check and the change run in one write transaction, so of
//! two renewals sent at once with the same `due_date`, exactly one renews.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, named_params};
use yuelan_api::account::{Loan, RenewLoan, RenewMany, RenewOutcome, RenewResults};
use yuelan_api::{ErrorCode, FieldError, Format, Problem};

use super::rules::{self, RenewalFacts, Rules};
use super::{CsrfChecked, SignedIn, one_param, path_id, private_json};
use crate::clock::{format_date, parse_date};
use crate::error::{AppError, Error};
use crate::routes::{JsonBody, blocking};
use crate::{AppState, patrons};

/// Most loans one `POST /api/me/loans/renew` may name.
pub const MAX_RENEW_MANY: usize = 100;

/// A loan as stored.
#[derive(Clone, Debug)]
struct LoanRow {
    id: i64,
    record_id: i64,
    title: String,
    authors: String,
    format: String,
    barcode: String,
    library_id: String,
    borrowed_on: String,
    due_date: String,
    renewals: u32,
    held_for_another: bool,
}

/// Another patron's hold waits for the title: a waiting hold, or a
/// suspension whose end has passed.
const LOAN_SELECT: &str = "
    SELECT l.id, i.record_id, r.title, r.authors, r.format, l.barcode, i.library_id, l.borrowed_on,
           l.due_date, l.renewals,
           EXISTS (SELECT 1 FROM holds h
                    WHERE h.record_id = i.record_id AND h.card_number <> l.card_number
                      AND (h.status = 'waiting' OR (h.status = 'suspended' AND h.suspended_until < :today)))
    FROM loans l JOIN items i ON i.barcode = l.barcode JOIN records r ON r.id = i.record_id";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LoanRow> {
    Ok(LoanRow {
        id: r.get(0)?,
        record_id: r.get(1)?,
        title: r.get(2)?,
        authors: r.get(3)?,
        format: r.get(4)?,
        barcode: r.get(5)?,
        library_id: r.get(6)?,
        borrowed_on: r.get(7)?,
        due_date: r.get(8)?,
        renewals: u32::try_from(r.get::<_, i64>(9)?).unwrap_or(u32::MAX),
        held_for_another: r.get(10)?,
    })
}

impl LoanRow {
    fn due_day(&self, today: i64) -> i64 {
        // A stored date is always valid; today keeps the loan sane if not.
        parse_date(&self.due_date).unwrap_or(today)
    }

    fn facts(&self, today: i64, blocked: bool) -> RenewalFacts {
        RenewalFacts {
            due_day: self.due_day(today),
            renewals: self.renewals,
            blocked,
            held_for_another: self.held_for_another,
        }
    }

    fn to_wire(&self, today: i64, blocked: bool, rules: &Rules) -> Loan {
        Loan {
            id: self.id,
            record_id: self.record_id,
            title: self.title.clone(),
            authors: serde_json::from_str(&self.authors).unwrap_or_default(),
            format: Format::parse(&self.format).unwrap_or(Format::Unknown),
            barcode: self.barcode.clone(),
            library_id: self.library_id.clone(),
            borrowed_on: self.borrowed_on.clone(),
            due_date: self.due_date.clone(),
            days_left: rules::days_left(self.due_day(today), today),
            renewals: self.renewals,
            renewals_left: rules.max_renewals.saturating_sub(self.renewals),
            renew_block: rules::renewal_refusal(&self.facts(today, blocked), today, rules),
        }
    }
}

fn blocked(conn: &Connection, card: &str) -> Result<bool, Error> {
    Ok(patrons::patron(conn, card)?.is_some_and(|p| p.blocked.is_some()))
}

/// A patron's loans, soonest due first.
pub fn loans_of(
    conn: &Connection,
    card: &str,
    today: i64,
    rules: &Rules,
) -> Result<Vec<Loan>, Error> {
    let is_blocked = blocked(conn, card)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{LOAN_SELECT} WHERE l.card_number = :card ORDER BY l.due_date, l.id"
    ))?;
    let rows = stmt.query_map(
        named_params! {":card": card, ":today": format_date(today)},
        read_row,
    )?;
    let mut loans = Vec::new();
    for row in rows {
        loans.push(row?.to_wire(today, is_blocked, rules));
    }
    Ok(loans)
}

fn row_of(conn: &Connection, card: &str, id: i64, today: i64) -> Result<Option<LoanRow>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "{LOAN_SELECT} WHERE l.id = :id AND l.card_number = :card"
    ))?;
    Ok(stmt
        .query_row(
            named_params! {":id": id, ":card": card, ":today": format_date(today)},
            read_row,
        )
        .optional()?)
}

/// One loan, as its owner sees it; `None` when it is not theirs.
pub fn loan(
    conn: &Connection,
    card: &str,
    id: i64,
    today: i64,
    rules: &Rules,
) -> Result<Option<Loan>, Error> {
    let is_blocked = blocked(conn, card)?;
    Ok(row_of(conn, card, id, today)?.map(|row| row.to_wire(today, is_blocked, rules)))
}

/// Renews a loan if the rules allow; returns the loan after it.
pub fn renew(
    conn: &Connection,
    card: &str,
    id: i64,
    seen_due: &str,
    today: i64,
    rules: &Rules,
) -> Result<Loan, AppError> {
    let row = row_of(conn, card, id, today)?
        .ok_or_else(|| AppError::NotFound(format!("You have no loan {id}.")))?;
    let is_blocked = blocked(conn, card)?;
    if is_blocked {
        return Err(AppError::refused(
            ErrorCode::PatronBlocked,
            "Your card is blocked; please ask at a library desk.",
        ));
    }
    if row.due_date != seen_due {
        return Err(AppError::refused(
            ErrorCode::AlreadyRenewed,
            format!("The loan is now due on {}.", row.due_date),
        ));
    }
    if let Some(code) = rules::renewal_refusal(&row.facts(today, false), today, rules) {
        return Err(AppError::refused(code, refusal_detail(code)));
    }
    let new_due = format_date(rules::renewed_due_day(row.due_day(today), today, rules));
    let changed = conn.execute(
        "UPDATE loans SET due_date = :new, renewals = renewals + 1
         WHERE id = :id AND due_date = :old AND renewals = :renewals",
        named_params! {":new": new_due, ":id": id, ":old": row.due_date, ":renewals": row.renewals},
    )?;
    if changed != 1 {
        return Err(AppError::refused(
            ErrorCode::AlreadyRenewed,
            "The loan was renewed meanwhile.",
        ));
    }
    conn.execute(
        "UPDATE items SET due_date = :new WHERE barcode = :barcode AND status = 'on_loan'",
        named_params! {":new": new_due, ":barcode": row.barcode},
    )?;
    loan(conn, card, id, today, rules)?
        .ok_or_else(|| AppError::NotFound(format!("You have no loan {id}.")))
}

fn refusal_detail(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::TooOverdue => "The loan is too far overdue to renew; please return it.",
        ErrorCode::RenewalLimitReached => "The loan has been renewed as often as the rules allow.",
        ErrorCode::HeldForAnother => "Another patron is waiting for this title.",
        _ => "The loan cannot be renewed.",
    }
}

fn check_due_date(field: &str, value: &str) -> Option<FieldError> {
    parse_date(value).is_none().then(|| {
        rules::field_error(
            field,
            "format",
            format!("`{field}` is a date, `YYYY-MM-DD`."),
        )
    })
}

/// Renews one loan.
#[utoipa::path(
    post, path = "/api/me/loans/{id}/renew", tag = "account",
    params(("id" = i64, Path, description = "The loan id."), super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = RenewLoan,
    responses(
        (status = 200, description = "Renewed: the loan with its new due date.", body = Loan),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing, or the patron is blocked (`patron_blocked`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The patron has no such loan (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_renewed`, `too_overdue`, `renewal_limit_reached` or `held_for_another`, checked in that order.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed id or `due_date` (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn renew_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    path: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<RenewLoan>,
) -> Result<Response, AppError> {
    let id = path_id(&one_param(path)?, "id")?;
    if let Some(e) = check_due_date("due_date", &req.due_date) {
        return Err(AppError::Validation(vec![e]));
    }
    let today = state.today();
    let loan = blocking(move || {
        state
            .db()
            .write(|tx| renew(tx, &who.card_number, id, &req.due_date, today, &who.rules))
    })
    .await?;
    Ok(private_json(StatusCode::OK, &loan))
}

/// Renews several loans: one outcome per loan asked for, in order. Each
/// loan is renewed or refused on its own, as by `POST
/// /api/me/loans/{id}/renew`; a loan that is not the patron's gets `loan:
/// null, refused: not_found`.
#[utoipa::path(
    post, path = "/api/me/loans/renew", tag = "account",
    params(super::CsrfHeader),
    security(("bearer" = []), ("cookie" = [])),
    request_body = RenewMany,
    responses(
        (status = 200, description = "One outcome per loan, in the order asked.", body = RenewResults),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "CSRF header missing.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than 100 loans, or a malformed `due_date` (`validation_failed`, e.g. field `loans[2].due_date`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn renew_many_handler(
    _: CsrfChecked,
    State(state): State<AppState>,
    who: SignedIn,
    JsonBody(req): JsonBody<RenewMany>,
) -> Result<Response, AppError> {
    if req.loans.len() > MAX_RENEW_MANY {
        return Err(AppError::field(
            "loans",
            "too_long",
            format!("At most {MAX_RENEW_MANY} loans at once."),
        ));
    }
    let errors: Vec<FieldError> = req
        .loans
        .iter()
        .enumerate()
        .filter_map(|(i, l)| check_due_date(&format!("loans[{i}].due_date"), &l.due_date))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let today = state.today();
    let results = blocking(move || {
        let mut results = Vec::with_capacity(req.loans.len());
        for item in &req.loans {
            let card = &who.card_number;
            let outcome = state
                .db()
                .write(|tx| renew(tx, card, item.id, &item.due_date, today, &who.rules));
            results.push(match outcome {
                Ok(loan) => RenewOutcome {
                    loan_id: item.id,
                    loan: Some(loan),
                    refused: None,
                },
                Err(AppError::NotFound(_)) => RenewOutcome {
                    loan_id: item.id,
                    loan: None,
                    refused: Some(ErrorCode::NotFound),
                },
                Err(AppError::Refused { code, .. }) => RenewOutcome {
                    loan_id: item.id,
                    loan: state
                        .db()
                        .with_conn(|c| loan(c, card, item.id, today, &who.rules))?,
                    refused: Some(code),
                },
                Err(other) => return Err(other),
            });
        }
        Ok(RenewResults { results })
    })
    .await?;
    Ok(private_json(StatusCode::OK, &results))
}
