//! The demo circulation of the seed: loans, holds and favourite lists of
//! the seeded patrons, dated relative to the time of seeding and kept
//! consistent with the copies (a loaned copy is `on_loan` with the loan's
//! due date; the copy of a ready hold is `on_hold_shelf` at the pickup
//! library, that of an in-transit hold `in_transit`).
//!
//! What the demo patrons find (see the README's table):
//! - 陈晓明 (…0001): five loans — 白夜行 overdue by 5 days, 三体 due in 2
//!   days, 万历十五年 due in 16 days and renewed twice, 平凡的世界 due in 9
//!   days with two other patrons waiting for it, the DVD 舌尖上的中国 due
//!   in 23 days; holds — 小王子 ready at 显岗村 (`vc-xiangang`) until 5
//!   days from now, 解忧杂货店 in transit to the county library, 人类简史
//!   waiting second in the queue, 繁花 suspended for 20 days; lists — 想读
//!   (shared, 3 records) and 给孩子的书 (private, 2 records).
//! - 李秀英 (…0002): 唐诗三百首 due in 2 days; 张悦楷's Cantonese
//!   audiobook of 三国演义 ready at the Shiwan branch.
//! - Emily Zhang (…0003): The Three-Body Problem and Wild Swans on loan;
//!   Educated waiting, first in the queue.
//! - 王建国 (…0004, blocked for fines): 鹿鼎记 overdue by 40 days.
//!
//! 活着 (ISBN 9787506365437) is never lent to a demo patron and has no copy
//! on the shelf at 铁场村 (`vc-tiechang`), so a hold on it for pickup there
//! is accepted, while one for pickup at the county library (whose copy is
//! on the shelf) is refused with `on_shelf_at_pickup`.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::Format;

use super::rules::Rules;
use super::session::random_token;
use crate::clock::{DAY, format_date, local_day};
use crate::error::Error;

/// A title of the seed records.
#[derive(Clone, Copy, Debug)]
pub enum Title {
    /// By ISBN-13.
    Isbn(&'static str),
    /// By title, format and one of its authors (records without an ISBN).
    Work(&'static str, Format, &'static str),
}

/// 活着 (余华), the title the end-to-end tests hold.
pub const HUOZHE: Title = Title::Isbn("9787506365437");
/// The village centre where 活着 is never on the shelf.
pub const HUOZHE_FREE_PICKUP: &str = "vc-tiechang";

const P1: &str = "44132200000001";
const P2: &str = "44132200000002";
const P3: &str = "44132200000003";
const P4: &str = "44132200000004";

/// A loan: the patron, the title, the library to borrow from (if it has a
/// copy), days from today to the due date, and renewals made.
struct SeedLoan(&'static str, Title, Option<&'static str>, i64, u32);

/// Where a seeded hold stands.
#[derive(Clone, Copy)]
enum State {
    Waiting,
    /// Suspended until this many days from today.
    Suspended(i64),
    InTransit,
    /// Ready, to collect within this many days from today.
    Ready(i64),
}

/// A hold: the patron, the title, the pickup library, days since it was
/// placed, and its state.
struct SeedHold(&'static str, Title, &'static str, i64, State);

const LOANS: &[SeedLoan] = &[
    SeedLoan(P1, Title::Isbn("9787544242516"), Some("county"), -5, 0), // 白夜行
    SeedLoan(P1, Title::Isbn("9787536692930"), Some("county"), 2, 0),  // 三体
    SeedLoan(P1, Title::Isbn("9787101052039"), Some("county"), 16, 2), // 万历十五年
    SeedLoan(P1, Title::Isbn("9787530212004"), Some("county"), 9, 0),  // 平凡的世界
    SeedLoan(
        P1,
        Title::Work("舌尖上的中国", Format::Dvd, "陈晓卿"),
        None,
        23,
        1,
    ),
    SeedLoan(P2, Title::Isbn("9787101001105"), Some("br-shiwan"), 2, 0), // 唐诗三百首
    SeedLoan(P3, Title::Isbn("9780765377067"), Some("county"), 11, 0),   // The Three-Body Problem
    SeedLoan(P3, Title::Isbn("9780743246989"), Some("county"), 20, 0),   // Wild Swans
    SeedLoan(
        P4,
        Title::Work("鹿鼎记", Format::Book, "金庸"),
        Some("county"),
        -40,
        0,
    ),
    SeedLoan(
        "44132200000013",
        Title::Work("岭南文化", Format::Book, "李权时"),
        None,
        6,
        0,
    ),
    SeedLoan("44132200000015", Title::Isbn("9787020090297"), None, 14, 1), // 白鹿原
    SeedLoan("44132200000019", Title::Isbn("9787108032911"), None, -2, 0), // 目送
    SeedLoan("44132200000008", Title::Isbn("9787534618727"), None, 19, 0), // 草房子
];

const HOLDS: &[SeedHold] = &[
    SeedHold(
        P1,
        Title::Isbn("9787020042494"),
        "vc-xiangang",
        9,
        State::Ready(5),
    ), // 小王子
    SeedHold(
        P1,
        Title::Isbn("9787544270878"),
        "county",
        6,
        State::InTransit,
    ), // 解忧杂货店
    SeedHold(
        P1,
        Title::Isbn("9787508647357"),
        "county",
        4,
        State::Waiting,
    ), // 人类简史
    SeedHold(
        P1,
        Title::Work("繁花", Format::Book, "金宇澄"),
        "county",
        15,
        State::Suspended(20),
    ),
    SeedHold(
        P2,
        Title::Work("三国演义", Format::Audiobook, "张悦楷"),
        "br-shiwan",
        8,
        State::Ready(6),
    ),
    SeedHold(
        P3,
        Title::Isbn("9780399590504"),
        "county",
        3,
        State::Waiting,
    ), // Educated
    // Others in the queues of the demo patrons' titles.
    SeedHold(
        "44132200000006",
        Title::Isbn("9787530212004"),
        "br-yuanzhou",
        12,
        State::Waiting,
    ),
    SeedHold(
        "44132200000011",
        Title::Isbn("9787530212004"),
        "br-shiwan",
        3,
        State::Waiting,
    ),
    SeedHold(
        "44132200000005",
        Title::Isbn("9787508647357"),
        "county",
        10,
        State::Waiting,
    ),
    SeedHold(
        "44132200000017",
        Title::Isbn("9787508647357"),
        "county",
        1,
        State::Waiting,
    ),
    SeedHold(
        "44132200000009",
        Title::Work("繁花", Format::Book, "金宇澄"),
        "county",
        5,
        State::Waiting,
    ),
    SeedHold(
        "44132200000014",
        Title::Isbn("9780399590504"),
        "county",
        1,
        State::Waiting,
    ),
    SeedHold(
        "44132200000018",
        Title::Isbn("9787536693968"),
        "br-shiwan",
        7,
        State::Ready(3),
    ), // 三体Ⅱ
    SeedHold(
        "44132200000010",
        Title::Isbn("9787020033430"),
        "br-yangcun",
        6,
        State::Waiting,
    ), // 哈利·波特与魔法石
    SeedHold(
        "44132200000016",
        Title::Isbn("9787020033430"),
        "br-yuanzhou",
        2,
        State::Waiting,
    ),
];

/// Titles with a queue: every copy not taken above is lent to ordinary
/// patrons, so that the holds wait for returns.
const LENT_OUT: &[Title] = &[
    Title::Isbn("9787530212004"),
    Title::Isbn("9787508647357"),
    Title::Work("繁花", Format::Book, "金宇澄"),
    Title::Isbn("9780399590504"),
    Title::Isbn("9787020033430"),
];

/// Ordinary patrons who borrow the copies of [`LENT_OUT`], in turn.
const BORROWERS: &[&str] = &[
    "44132200000007",
    "44132200000012",
    "44132200000013",
    "44132200000015",
    "44132200000019",
    "44132200000008",
    "44132200000005",
    "44132200000009",
    "44132200000010",
    "44132200000016",
    "44132200000017",
    "44132200000018",
    "44132200000006",
    "44132200000011",
    "44132200000014",
];

/// A favourite list: the patron, the name, whether shared, and the titles
/// with the days since each was added.
type SeedList = (&'static str, &'static str, bool, &'static [(Title, i64)]);

const LISTS: &[SeedList] = &[
    (
        P1,
        "想读",
        true,
        &[
            (Title::Isbn("9787544253994"), 20), // 百年孤独
            (Title::Isbn("9787020024759"), 12), // 围城
            (Title::Isbn("9787544708999"), 3),  // 边城
        ],
    ),
    (
        P1,
        "给孩子的书",
        false,
        &[
            (Title::Isbn("9787534618727"), 30), // 草房子
            (Title::Work("夏洛的网", Format::Book, "E.B.怀特"), 30),
        ],
    ),
];

/// The id of a seed title.
pub fn record_id(conn: &Connection, title: Title) -> Result<i64, Error> {
    let found = match title {
        Title::Isbn(isbn) => conn
            .query_row("SELECT id FROM records WHERE isbn = ?1", [isbn], |r| {
                r.get(0)
            })
            .optional()?,
        Title::Work(name, format, author) => {
            let mut stmt = conn.prepare_cached(
                "SELECT id, authors FROM records WHERE title = ?1 AND format = ?2 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![name, format.as_str()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut found = None;
            for row in rows {
                let (id, authors) = row?;
                let authors: Vec<String> = serde_json::from_str(&authors).unwrap_or_default();
                if authors.iter().any(|a| a == author) {
                    found = Some(id);
                    break;
                }
            }
            found
        }
    };
    found.ok_or_else(|| {
        Error::Seed(format!(
            "the demo circulation names {title:?}, which no seed record is"
        ))
    })
}

/// The copies of the seed the demo circulation has taken.
struct Copies<'a> {
    conn: &'a Connection,
    taken: HashSet<String>,
}

impl Copies<'_> {
    /// Takes a copy of `record`: one at `at` if there is one, else one
    /// away from `away_from`; anonymous loans first, shelf copies last (so
    /// the shelves stay as full as the planner made them). `None` when
    /// every copy is taken.
    fn take(
        &mut self,
        record: i64,
        at: Option<&str>,
        away_from: Option<&str>,
    ) -> Result<Option<(String, String)>, Error> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT barcode, library_id, status FROM items WHERE record_id = ?1 ORDER BY barcode",
        )?;
        let rows = stmt.query_map([record], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut best: Option<((bool, bool, u8), String, String)> = None;
        for row in rows {
            let (barcode, library, status) = row?;
            if self.taken.contains(&barcode) {
                continue;
            }
            let status_rank = match status.as_str() {
                "on_loan" => 0,
                "on_hold_shelf" => 1,
                "in_transit" => 2,
                _ => 3,
            };
            let key = (
                at.is_some_and(|a| a != library),
                away_from.is_some_and(|a| a == library),
                status_rank,
            );
            if best.as_ref().is_none_or(|(k, ..)| key < *k) {
                best = Some((key, barcode, library));
            }
        }
        Ok(best.map(|(_, barcode, library)| {
            self.taken.insert(barcode.clone());
            (barcode, library)
        }))
    }

    fn lend(
        &mut self,
        card: &str,
        record: i64,
        at: Option<&str>,
        due: i64,
        renewals: u32,
        rules: &Rules,
    ) -> Result<bool, Error> {
        let Some((barcode, _)) = self.take(record, at, None)? else {
            return Ok(false);
        };
        let due_date = format_date(due);
        let borrowed =
            due - i64::from(rules.loan_days) - i64::from(renewals) * i64::from(rules.renewal_days);
        self.conn.execute(
            "UPDATE items SET status = 'on_loan', due_date = ?2 WHERE barcode = ?1",
            params![barcode, due_date],
        )?;
        self.conn.execute(
            "INSERT INTO loans (card_number, barcode, borrowed_on, due_date, renewals) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![card, barcode, format_date(borrowed), due_date, renewals],
        )?;
        Ok(true)
    }
}

/// Seeds the demo circulation at `now`, after the catalog and the patrons.
pub fn seed_circulation(conn: &Connection, now: i64) -> Result<(), Error> {
    let rules = Rules::load(conn)?;
    let today = local_day(now);
    let mut copies = Copies {
        conn,
        taken: HashSet::new(),
    };
    for SeedLoan(card, title, at, due_in, renewals) in LOANS {
        let record = record_id(conn, *title)?;
        if !copies.lend(card, record, *at, today + due_in, *renewals, &rules)? {
            return Err(Error::Seed(format!("no copy of {title:?} to lend")));
        }
    }
    for (i, SeedHold(card, title, pickup, days_ago, state)) in HOLDS.iter().enumerate() {
        let record = record_id(conn, *title)?;
        // Seconds apart, so that holds placed the same day keep their order.
        let placed_at = now - days_ago * DAY - 3600 + i as i64;
        let (status, until, barcode, pickup_by) = match state {
            State::Waiting => ("waiting", None, None, None),
            State::Suspended(days) => ("suspended", Some(format_date(today + days)), None, None),
            State::InTransit | State::Ready(_) => {
                let ready = matches!(state, State::Ready(_));
                let taken = if ready {
                    copies.take(record, Some(pickup), None)?
                } else {
                    copies.take(record, None, Some(pickup))?
                };
                let Some((barcode, _)) = taken else {
                    return Err(Error::Seed(format!("no copy of {title:?} for a hold")));
                };
                if ready {
                    // The copy waits on the pickup library's hold shelf.
                    conn.execute(
                        "UPDATE items SET status = 'on_hold_shelf', due_date = NULL, library_id = ?2 WHERE barcode = ?1",
                        params![barcode, pickup],
                    )?;
                } else {
                    conn.execute(
                        "UPDATE items SET status = 'in_transit', due_date = NULL WHERE barcode = ?1",
                        [&barcode],
                    )?;
                }
                let pickup_by = match state {
                    State::Ready(days) => Some(format_date(today + days)),
                    _ => None,
                };
                (
                    if ready { "ready" } else { "in_transit" },
                    None,
                    Some(barcode),
                    pickup_by,
                )
            }
        };
        conn.execute(
            "INSERT INTO holds (card_number, record_id, pickup_library_id, status, placed_at, suspended_until, barcode, pickup_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![card, record, pickup, status, placed_at, until, barcode, pickup_by],
        )?;
    }
    let mut turn = 0usize;
    for title in LENT_OUT {
        let record = record_id(conn, *title)?;
        loop {
            // The next borrower who is not waiting for this title.
            let mut card = None;
            for _ in 0..BORROWERS.len() {
                let candidate = BORROWERS[turn % BORROWERS.len()];
                turn += 1;
                let holds_it = conn
                    .query_row(
                        "SELECT 1 FROM holds WHERE card_number = ?1 AND record_id = ?2",
                        params![candidate, record],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                if !holds_it {
                    card = Some(candidate);
                    break;
                }
            }
            let Some(card) = card else { break };
            let due = today + 3 + (turn as i64 * 7) % 26;
            if !copies.lend(card, record, None, due, 0, &rules)? {
                break;
            }
        }
    }
    keep_huozhe_off_the_shelf_at(&mut copies, HUOZHE_FREE_PICKUP, today, &rules)?;
    for (card, name, shared, entries) in LISTS {
        conn.execute(
            "INSERT INTO favourite_lists (card_number, name, shared, share_token, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![card, name, shared, random_token(16)?, now - 40 * DAY],
        )?;
        let list = conn.last_insert_rowid();
        for (title, days_ago) in entries.iter() {
            conn.execute(
                "INSERT INTO list_entries (list_id, record_id, added_at) VALUES (?1, ?2, ?3)",
                params![list, record_id(conn, *title)?, now - days_ago * DAY],
            )?;
        }
    }
    Ok(())
}

/// Lends out any copy of 活着 on the shelf at `library`, so that a hold for
/// pickup there is accepted.
fn keep_huozhe_off_the_shelf_at(
    copies: &mut Copies<'_>,
    library: &str,
    today: i64,
    rules: &Rules,
) -> Result<(), Error> {
    let conn = copies.conn;
    let record = record_id(conn, HUOZHE)?;
    let on_shelf: Vec<String> = conn
        .prepare("SELECT barcode FROM items WHERE record_id = ?1 AND library_id = ?2 AND status = 'on_shelf'")?
        .query_map(params![record, library], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for (i, barcode) in on_shelf.iter().enumerate() {
        let due = format_date(today + 10 + i as i64);
        let card = BORROWERS[i % BORROWERS.len()];
        conn.execute(
            "UPDATE items SET status = 'on_loan', due_date = ?2 WHERE barcode = ?1",
            params![barcode, due],
        )?;
        conn.execute(
            "INSERT INTO loans (card_number, barcode, borrowed_on, due_date, renewals) VALUES (?1, ?2, ?3, ?4, 0)",
            params![card, barcode, format_date(today + 10 + i as i64 - i64::from(rules.loan_days)), due],
        )?;
        copies.taken.insert(barcode.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Db, seed};

    #[test]
    fn the_demo_circulation_agrees_with_the_copies() {
        let db = Db::open_in_memory().unwrap();
        assert!(seed::seed_if_empty_at(&db, 1_800_000_000).unwrap());
        db.with_conn(|c| {
            let bad_loans: i64 = c.query_row(
                "SELECT COUNT(*) FROM loans l JOIN items i ON i.barcode = l.barcode
                 WHERE i.status <> 'on_loan' OR i.due_date IS NOT l.due_date",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(bad_loans, 0, "a loaned copy is on loan with the loan's due date");
            let bad_holds: i64 = c.query_row(
                "SELECT COUNT(*) FROM holds h JOIN items i ON i.barcode = h.barcode
                 WHERE NOT ((h.status = 'ready' AND i.status = 'on_hold_shelf' AND i.library_id = h.pickup_library_id)
                         OR (h.status = 'in_transit' AND i.status = 'in_transit'))",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(bad_holds, 0, "a trapped copy waits or travels for its hold");
            let counts: (i64, i64, i64) = c.query_row(
                "SELECT (SELECT COUNT(*) FROM loans), (SELECT COUNT(*) FROM holds),
                        (SELECT COUNT(*) FROM favourite_lists)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            assert!(counts.0 > LOANS.len() as i64, "ordinary patrons borrow the held titles");
            assert_eq!(counts.1, HOLDS.len() as i64);
            assert_eq!(counts.2, LISTS.len() as i64);

            let huozhe = record_id(c, HUOZHE)?;
            let shelf: Vec<String> = c
                .prepare("SELECT library_id FROM items WHERE record_id = ?1 AND status = 'on_shelf'")?
                .query_map([huozhe], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            assert!(shelf.iter().any(|l| l == "county"), "{shelf:?}");
            assert!(!shelf.iter().any(|l| l == HUOZHE_FREE_PICKUP), "{shelf:?}");
            let huozhe_loans: i64 = c.query_row(
                "SELECT COUNT(*) FROM loans l JOIN items i ON i.barcode = l.barcode
                 WHERE i.record_id = ?1 AND l.card_number IN (?2, ?3, ?4, ?5)",
                params![huozhe, P1, P2, P3, P4],
                |r| r.get(0),
            )?;
            assert_eq!(huozhe_loans, 0);
            Ok(())
        })
        .unwrap();
    }
}
