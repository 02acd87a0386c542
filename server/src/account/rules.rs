//! The circulation rules: read from the `circulation_rules` table, and the
//! plain functions that apply them (renewals, holds, lockout, sessions,
//! list names). Handlers and SQL call these; nothing here touches HTTP.

use rusqlite::Connection;
use yuelan_api::account::CirculationRules;
use yuelan_api::{ErrorCode, FieldError};

use crate::error::Error;

/// Every rule the server enforces. The defaults are the values migration 5
/// seeds; a rule missing from the table takes its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub loan_days: u32,
    pub renewal_days: u32,
    pub max_renewals: u32,
    pub max_overdue_days_to_renew: u32,
    pub max_active_holds: u32,
    pub hold_pickup_days: u32,
    pub max_suspend_days: u32,
    pub lockout_failures: u32,
    pub lockout_minutes: u32,
    pub session_idle_minutes: u32,
    pub session_max_hours: u32,
    /// Favourite lists per patron.
    pub max_lists: u32,
    /// Records per favourite list.
    pub max_list_entries: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            loan_days: 30,
            renewal_days: 30,
            max_renewals: 2,
            max_overdue_days_to_renew: 30,
            max_active_holds: 10,
            hold_pickup_days: 7,
            max_suspend_days: 180,
            lockout_failures: 5,
            lockout_minutes: 15,
            session_idle_minutes: 30,
            session_max_hours: 12,
            max_lists: 20,
            max_list_entries: 500,
        }
    }
}

/// Longest name of a favourite list, in characters after trimming.
pub const MAX_LIST_NAME_CHARS: usize = 40;

impl Rules {
    /// Reads the rules table.
    pub fn load(conn: &Connection) -> Result<Rules, Error> {
        let mut rules = Rules::default();
        let mut stmt = conn.prepare_cached("SELECT name, value FROM circulation_rules")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(0)?;
            let value = u32::try_from(row.get::<_, i64>(1)?).unwrap_or(u32::MAX);
            let slot = match name.as_str() {
                "loan_days" => &mut rules.loan_days,
                "renewal_days" => &mut rules.renewal_days,
                "max_renewals" => &mut rules.max_renewals,
                "max_overdue_days_to_renew" => &mut rules.max_overdue_days_to_renew,
                "max_active_holds" => &mut rules.max_active_holds,
                "hold_pickup_days" => &mut rules.hold_pickup_days,
                "max_suspend_days" => &mut rules.max_suspend_days,
                "lockout_failures" => &mut rules.lockout_failures,
                "lockout_minutes" => &mut rules.lockout_minutes,
                "session_idle_minutes" => &mut rules.session_idle_minutes,
                "session_max_hours" => &mut rules.session_max_hours,
                "max_lists" => &mut rules.max_lists,
                "max_list_entries" => &mut rules.max_list_entries,
                // A rule this server does not know applies to nothing.
                _ => continue,
            };
            *slot = value;
        }
        Ok(rules)
    }

    /// The rules as the API serves them.
    pub fn to_wire(&self) -> CirculationRules {
        CirculationRules {
            loan_days: self.loan_days,
            renewal_days: self.renewal_days,
            max_renewals: self.max_renewals,
            max_overdue_days_to_renew: self.max_overdue_days_to_renew,
            max_active_holds: self.max_active_holds,
            hold_pickup_days: self.hold_pickup_days,
            max_suspend_days: self.max_suspend_days,
            lockout_failures: self.lockout_failures,
            lockout_minutes: self.lockout_minutes,
            session_idle_minutes: self.session_idle_minutes,
            session_max_hours: self.session_max_hours,
            max_lists: self.max_lists,
            max_list_entries: self.max_list_entries,
        }
    }

    /// Seconds a session may stay idle.
    pub fn idle_seconds(&self) -> i64 {
        i64::from(self.session_idle_minutes) * 60
    }

    /// Seconds a session lasts at most.
    pub fn max_session_seconds(&self) -> i64 {
        i64::from(self.session_max_hours) * 3600
    }

    /// Seconds of the lockout window, and of a lock.
    pub fn lockout_seconds(&self) -> i64 {
        i64::from(self.lockout_minutes) * 60
    }

    /// When a session ends: idle timeout from its last request, capped by
    /// the absolute limit from its start. It is alive while `now` is before
    /// this instant.
    pub fn session_end(&self, created_at: i64, last_seen: i64) -> i64 {
        (last_seen + self.idle_seconds()).min(created_at + self.max_session_seconds())
    }
}

/// What a failed sign-in leads to, given the failures of the card within
/// the window, this one included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Tries left before the card locks.
    TriesLeft(u32),
    /// The card locks now.
    Lock,
}

/// The outcome of the `failures`-th failure within the window.
pub fn failure_outcome(failures: u32, rules: &Rules) -> FailureOutcome {
    if failures >= rules.lockout_failures.max(1) {
        FailureOutcome::Lock
    } else {
        FailureOutcome::TriesLeft(rules.lockout_failures - failures)
    }
}

/// The card number without spaces, if it is 8 to 20 digits.
pub fn normalise_card(input: &str) -> Result<String, FieldError> {
    let card: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if (8..=20).contains(&card.len()) && card.bytes().all(|b| b.is_ascii_digit()) {
        Ok(card)
    } else {
        Err(field_error(
            "card_number",
            "format",
            "A card number is 8 to 20 digits.",
        ))
    }
}

/// Checks the form of a PIN: 4 to 12 digits.
pub fn check_pin(pin: &str) -> Result<(), FieldError> {
    if pin.is_empty() {
        Err(field_error("pin", "required", "The PIN is required."))
    } else if (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(field_error("pin", "format", "A PIN is 4 to 12 digits."))
    }
}

/// A list name, trimmed: 1 to [`MAX_LIST_NAME_CHARS`] characters.
pub fn list_name(input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    if name.is_empty() {
        Err(field_error("name", "required", "A list needs a name."))
    } else if name.chars().count() > MAX_LIST_NAME_CHARS {
        Err(field_error(
            "name",
            "too_long",
            format!("A list name is at most {MAX_LIST_NAME_CHARS} characters."),
        ))
    } else {
        Ok(name.to_owned())
    }
}

/// A field error.
pub fn field_error(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message: message.into(),
    }
}

/// What a renewal depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenewalFacts {
    /// The local day the loan is due (days since 1970-01-01).
    pub due_day: i64,
    /// Renewals made so far.
    pub renewals: u32,
    /// Whether the patron is blocked.
    pub blocked: bool,
    /// Whether another patron waits for the title.
    pub held_for_another: bool,
}

/// The first rule that refuses a renewal today, in the order the server
/// checks them: blocked patron, too overdue, renewal limit, held for
/// another patron. (`already_renewed` is checked before the rules, as it
/// is about the request, not the loan.)
pub fn renewal_refusal(facts: &RenewalFacts, today: i64, rules: &Rules) -> Option<ErrorCode> {
    if facts.blocked {
        Some(ErrorCode::PatronBlocked)
    } else if today - facts.due_day > i64::from(rules.max_overdue_days_to_renew) {
        Some(ErrorCode::TooOverdue)
    } else if facts.renewals >= rules.max_renewals {
        Some(ErrorCode::RenewalLimitReached)
    } else if facts.held_for_another {
        Some(ErrorCode::HeldForAnother)
    } else {
        None
    }
}

/// The due day after a renewal: the renewal period counted from the later
/// of today and the current due day.
pub fn renewed_due_day(due_day: i64, today: i64, rules: &Rules) -> i64 {
    due_day.max(today) + i64::from(rules.renewal_days)
}

/// Days from today to the due day (negative once overdue).
pub fn days_left(due_day: i64, today: i64) -> i32 {
    (due_day - today).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Checks the end of a suspension: after today, and at most
/// `max_suspend_days` ahead.
pub fn check_suspension(until_day: i64, today: i64, rules: &Rules) -> Result<(), FieldError> {
    if until_day <= today {
        Err(field_error(
            "until",
            "out_of_range",
            "A suspension ends after today.",
        ))
    } else if until_day - today > i64::from(rules.max_suspend_days) {
        Err(field_error(
            "until",
            "out_of_range",
            format!(
                "A suspension lasts at most {} days.",
                rules.max_suspend_days
            ),
        ))
    } else {
        Ok(())
    }
}

/// Whether a stored suspension is still in force today: it lasts through
/// its end day, and the hold waits again from the day after.
pub fn suspension_in_force(until_day: i64, today: i64) -> bool {
    until_day >= today
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i64 = 20_000;

    fn facts(due_in: i64, renewals: u32) -> RenewalFacts {
        RenewalFacts {
            due_day: TODAY + due_in,
            renewals,
            blocked: false,
            held_for_another: false,
        }
    }

    #[test]
    fn renewals_are_refused_in_order() {
        let r = Rules::default();
        assert_eq!(renewal_refusal(&facts(2, 0), TODAY, &r), None);
        assert_eq!(
            renewal_refusal(&facts(-30, 1), TODAY, &r),
            None,
            "30 days overdue is still fine"
        );
        assert_eq!(
            renewal_refusal(&facts(-31, 0), TODAY, &r),
            Some(ErrorCode::TooOverdue)
        );
        assert_eq!(
            renewal_refusal(&facts(5, 2), TODAY, &r),
            Some(ErrorCode::RenewalLimitReached)
        );
        let held = RenewalFacts {
            held_for_another: true,
            ..facts(5, 0)
        };
        assert_eq!(
            renewal_refusal(&held, TODAY, &r),
            Some(ErrorCode::HeldForAnother)
        );
        // The first rule that applies wins.
        let everything = RenewalFacts {
            blocked: true,
            held_for_another: true,
            ..facts(-40, 2)
        };
        assert_eq!(
            renewal_refusal(&everything, TODAY, &r),
            Some(ErrorCode::PatronBlocked)
        );
        let not_blocked = RenewalFacts {
            blocked: false,
            ..everything
        };
        assert_eq!(
            renewal_refusal(&not_blocked, TODAY, &r),
            Some(ErrorCode::TooOverdue)
        );
        let recent = RenewalFacts {
            due_day: TODAY,
            ..not_blocked
        };
        assert_eq!(
            renewal_refusal(&recent, TODAY, &r),
            Some(ErrorCode::RenewalLimitReached)
        );
    }

    #[test]
    fn a_renewal_counts_from_the_later_of_today_and_the_due_date() {
        let r = Rules::default();
        assert_eq!(renewed_due_day(TODAY + 2, TODAY, &r), TODAY + 32);
        assert_eq!(renewed_due_day(TODAY - 5, TODAY, &r), TODAY + 30);
        assert_eq!(days_left(TODAY - 5, TODAY), -5);
        assert_eq!(days_left(TODAY, TODAY), 0);
    }

    #[test]
    fn lockout_counts_down_then_locks() {
        let r = Rules::default();
        let outcomes: Vec<FailureOutcome> = (1..=6).map(|n| failure_outcome(n, &r)).collect();
        assert_eq!(
            outcomes,
            [
                FailureOutcome::TriesLeft(4),
                FailureOutcome::TriesLeft(3),
                FailureOutcome::TriesLeft(2),
                FailureOutcome::TriesLeft(1),
                FailureOutcome::Lock,
                FailureOutcome::Lock,
            ]
        );
    }

    #[test]
    fn sessions_end_idle_or_at_the_absolute_limit() {
        let r = Rules::default();
        assert_eq!(r.session_end(0, 0), 30 * 60);
        assert_eq!(r.session_end(0, 3600), 3600 + 30 * 60);
        assert_eq!(r.session_end(0, 12 * 3600 - 60), 12 * 3600);
    }

    #[test]
    fn sign_in_input_is_checked_for_form() {
        assert_eq!(
            normalise_card("4413 2200 0000 01").unwrap(),
            "44132200000001"
        );
        assert_eq!(normalise_card("1234567").unwrap_err().code, "format");
        assert_eq!(
            normalise_card("123456789012345678901").unwrap_err().field,
            "card_number"
        );
        assert!(normalise_card("4413220000000a").is_err());
        assert!(
            normalise_card("４４１３２２００００００01").is_err(),
            "full-width digits are not digits"
        );
        assert!(check_pin("1234").is_ok());
        assert!(check_pin("123456789012").is_ok());
        assert_eq!(check_pin("").unwrap_err().code, "required");
        assert_eq!(check_pin("123").unwrap_err().code, "format");
        assert_eq!(check_pin("1234567890123").unwrap_err().code, "format");
        assert_eq!(check_pin("12a4").unwrap_err().code, "format");
    }

    #[test]
    fn list_names_are_trimmed_and_bounded() {
        assert_eq!(list_name("  想读 ").unwrap(), "想读");
        assert_eq!(list_name("   ").unwrap_err().code, "required");
        assert!(list_name(&"字".repeat(40)).is_ok());
        assert_eq!(list_name(&"字".repeat(41)).unwrap_err().code, "too_long");
    }

    #[test]
    fn suspensions_end_after_today_and_within_the_limit() {
        let r = Rules::default();
        assert!(check_suspension(TODAY, TODAY, &r).is_err());
        assert!(check_suspension(TODAY + 1, TODAY, &r).is_ok());
        assert!(check_suspension(TODAY + 180, TODAY, &r).is_ok());
        assert!(check_suspension(TODAY + 181, TODAY, &r).is_err());
        assert!(suspension_in_force(TODAY, TODAY));
        assert!(!suspension_in_force(TODAY - 1, TODAY));
    }
}
