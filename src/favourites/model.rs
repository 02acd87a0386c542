//! The rules of favourite lists, as plain Rust: name validation, which
//! records are saved, what a tap on a favourite toggle does, and keeping
//! the app's copy of the lists in step with the server's answers.

use yuelan_api::ErrorCode;
use yuelan_api::account::FavouriteList;

use crate::api::ApiError;

/// The longest list name the server accepts, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// Why a list name cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    /// Nothing but spaces.
    Empty,
    /// Over [`MAX_NAME_CHARS`] characters.
    TooLong,
}

/// The name to send for what the patron typed: trimmed, 1 to 40
/// characters (Chinese characters count one each, as on the server).
pub fn validate_name(raw: &str) -> Result<String, NameError> {
    let name = raw.trim();
    match name.chars().count() {
        0 => Err(NameError::Empty),
        n if n > MAX_NAME_CHARS => Err(NameError::TooLong),
        _ => Ok(name.to_owned()),
    }
}

/// Whether the server refused a request because of the list's name (422
/// `validation_failed` naming the field `name`, or without field details).
pub fn is_name_error(error: &ApiError) -> bool {
    match error.problem() {
        Some(p) if p.code == ErrorCode::ValidationFailed => {
            p.errors.is_empty() || p.errors.iter().any(|e| e.field == "name")
        }
        Some(_) => false,
        None => matches!(error, ApiError::Http { status: 422, .. }),
    }
}

/// The ids of the records in at least one list, sorted, each once.
pub fn saved_ids(lists: &[FavouriteList]) -> Vec<i64> {
    let mut ids: Vec<i64> = lists
        .iter()
        .flat_map(|l| l.entries.iter().map(|e| e.record_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether `list` holds `record_id`.
pub fn holds(list: &FavouriteList, record_id: i64) -> bool {
    list.entries.iter().any(|e| e.record_id == record_id)
}

/// What a tap on a record's favourite toggle does, given the patron's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The patron has no list yet: create the default one, then add.
    CreateDefault,
    /// Not in any list, and there is one list: add it there.
    Add(i64),
    /// In exactly one list: take it out of that list.
    Remove(i64),
    /// Several lists are possible: the patron chooses.
    Choose,
}

/// The plan for a tap on the toggle of `record_id`.
pub fn plan(lists: &[FavouriteList], record_id: i64) -> Plan {
    let mut holding = lists.iter().filter(|l| holds(l, record_id));
    match (holding.next(), holding.next()) {
        (Some(only), None) => Plan::Remove(only.id),
        (Some(_), Some(_)) => Plan::Choose,
        (None, _) => match lists {
            [] => Plan::CreateDefault,
            [only] => Plan::Add(only.id),
            _ => Plan::Choose,
        },
    }
}

/// Puts the server's answer for one list in place of the app's copy (or
/// after the others, for a new list: the server orders lists oldest first).
pub fn replace_list(lists: &mut Vec<FavouriteList>, list: FavouriteList) {
    match lists.iter_mut().find(|l| l.id == list.id) {
        Some(slot) => *slot = list,
        None => lists.push(list),
    }
}

/// Forgets the list `id` (after it was deleted).
pub fn remove_list(lists: &mut Vec<FavouriteList>, id: i64) {
    lists.retain(|l| l.id != id);
}

/// The absolute address of a shared list's page, for the patron to send:
/// the app's origin (`location.origin`) followed by the page's path.
pub fn share_url(origin: &str, path: &str) -> String {
    [origin.trim_end_matches('/'), path].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::account::ListEntry;
    use yuelan_api::{FieldError, Format, Problem};

    fn entry(record_id: i64) -> ListEntry {
        ListEntry {
            record_id,
            title: format!("record {record_id}"),
            authors: vec![],
            format: Format::Book,
            year: None,
            added_on: "2026-11-29".into(),
        }
    }

    fn list(id: i64, records: &[i64]) -> FavouriteList {
        FavouriteList {
            id,
            name: format!("list {id}"),
            shared: false,
            share_token: format!("t{id}"),
            entries: records.iter().copied().map(entry).collect(),
        }
    }

    #[test]
    fn names_are_trimmed_and_counted_in_characters() {
        assert_eq!(validate_name("  想读 "), Ok("想读".to_owned()));
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name(" \t "), Err(NameError::Empty));
        // 40 Chinese characters are 120 bytes, and still allowed.
        let forty = "书".repeat(40);
        assert_eq!(validate_name(&forty), Ok(forty.clone()));
        assert_eq!(validate_name(&"书".repeat(41)), Err(NameError::TooLong));
        assert_eq!(validate_name(&format!("  {forty}  ")), Ok(forty));
    }

    fn problem(status: u16, code: ErrorCode, fields: &[&str]) -> ApiError {
        let problem = Problem {
            type_uri: "about:blank".into(),
            title: "x".into(),
            status,
            detail: None,
            instance: None,
            code,
            errors: fields
                .iter()
                .map(|f| FieldError {
                    field: (*f).into(),
                    code: "too_long".into(),
                    message: "bad".into(),
                })
                .collect(),
            tries_left: None,
            locked_until: None,
            on_shelf: vec![],
        };
        ApiError::http(status, yuelan_api::wire::to_json(&problem))
    }

    #[test]
    fn name_errors_from_the_server() {
        assert!(is_name_error(&problem(
            422,
            ErrorCode::ValidationFailed,
            &["name"]
        )));
        assert!(is_name_error(&problem(
            422,
            ErrorCode::ValidationFailed,
            &[]
        )));
        assert!(!is_name_error(&problem(
            422,
            ErrorCode::ValidationFailed,
            &["shared"]
        )));
        assert!(!is_name_error(&problem(
            409,
            ErrorCode::ListLimitReached,
            &[]
        )));
        assert!(is_name_error(&ApiError::status(422)));
        assert!(!is_name_error(&ApiError::Network));
    }

    #[test]
    fn saved_ids_are_every_record_once() {
        assert_eq!(saved_ids(&[]), Vec::<i64>::new());
        let lists = [list(1, &[5, 3]), list(2, &[3, 9]), list(3, &[])];
        assert_eq!(saved_ids(&lists), vec![3, 5, 9]);
    }

    #[test]
    fn the_plan_follows_the_lists() {
        // No list: the default one is created.
        assert_eq!(plan(&[], 7), Plan::CreateDefault);
        // One list: add there, or take out of it.
        assert_eq!(plan(&[list(1, &[])], 7), Plan::Add(1));
        assert_eq!(plan(&[list(1, &[7])], 7), Plan::Remove(1));
        // Several lists: choose, unless the record is in exactly one.
        assert_eq!(plan(&[list(1, &[]), list(2, &[3])], 7), Plan::Choose);
        assert_eq!(plan(&[list(1, &[]), list(2, &[7])], 7), Plan::Remove(2));
        assert_eq!(plan(&[list(1, &[7]), list(2, &[7])], 7), Plan::Choose);
    }

    #[test]
    fn answers_replace_the_copy_of_their_list() {
        let mut lists = vec![list(1, &[]), list(2, &[3])];
        replace_list(&mut lists, list(2, &[3, 4]));
        assert_eq!(saved_ids(&lists), vec![3, 4]);
        assert_eq!(lists.len(), 2);
        replace_list(&mut lists, list(5, &[8]));
        assert_eq!(
            lists.iter().map(|l| l.id).collect::<Vec<_>>(),
            vec![1, 2, 5]
        );
        remove_list(&mut lists, 2);
        assert_eq!(lists.iter().map(|l| l.id).collect::<Vec<_>>(), vec![1, 5]);
        assert_eq!(saved_ids(&lists), vec![8]);
    }

    #[test]
    fn share_urls_are_absolute() {
        assert_eq!(
            share_url("https://opac.example.cn", "/lists/abc"),
            "https://opac.example.cn/lists/abc"
        );
        assert_eq!(
            share_url("http://127.0.0.1:8080/", "/lists/a%20b"),
            "http://127.0.0.1:8080/lists/a%20b"
        );
    }
}
