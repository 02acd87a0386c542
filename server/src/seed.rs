//! Seed data: the real libraries and records embedded in the binary, and the
//! deterministic planning of their copies, then the patrons and their demo
//! circulation (`patrons`, `account::demo`).
//!
//! Copies are spread by a seeded PRNG (splitmix64), so every fresh database
//! holds the same barcodes, libraries and statuses; only due dates move with
//! the date of seeding. The county library holds most titles, branches a
//! share, village centres mostly children's books and magazines. Statuses are
//! about 60% on the shelf, 30% on loan (due within 30 days), 5% in transit
//! and 5% on the hold shelf. Dates are the library's local dates (UTC+8) of
//! the clock given to [`seed_if_empty_at`].

use std::collections::HashSet;

use rusqlite::Connection;
use serde::Deserialize;
use yuelan_api::{Format, ItemStatus, Library, LibraryKind};

use crate::clock::{Clock, SystemClock, local_day};
use crate::db::{self, BulkInserter, Db, NewItem, NewRecord};
use crate::error::Error;
use crate::search::pinyin;

pub use crate::clock::{civil_from_days, format_date};

/// The seed libraries (JSON array of `Library`).
pub const LIBRARIES_JSON: &str = include_str!("../seed/libraries.json");
/// The seed records (JSON array of seed records).
pub const RECORDS_JSON: &str = include_str!("../seed/records.json");

/// The ISBN of 活着 (余华), which must be on the shelf in several libraries.
const HUOZHE_ISBN: &str = "9787506365437";

/// A record as written in `seed/records.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct SeedRecord {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub publication_place: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub isbn: Option<String>,
    pub format: Format,
    pub language: String,
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub extent: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
}

/// A small, fast, seeded PRNG (splitmix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Days since 1970-01-01 of the library's local date today (system clock).
pub fn today_days() -> i64 {
    SystemClock.today()
}

/// The seed libraries, county first, then branches, then village centres.
pub fn libraries() -> Result<Vec<Library>, Error> {
    let mut libs: Vec<Library> = serde_json::from_str(LIBRARIES_JSON)?;
    let rank = |k: LibraryKind| match k {
        LibraryKind::County => 0,
        LibraryKind::Branch => 1,
        LibraryKind::Village => 2,
        LibraryKind::Unknown => 3,
    };
    libs.sort_by_key(|l| rank(l.kind));
    let mut ids = HashSet::new();
    for l in &libs {
        if l.kind == LibraryKind::Unknown {
            return Err(Error::Seed(format!("library {} has an unknown kind", l.id)));
        }
        if !ids.insert(l.id.clone()) {
            return Err(Error::Seed(format!("library {} appears twice", l.id)));
        }
    }
    for l in &libs {
        if let Some(p) = &l.parent_id
            && !ids.contains(p)
        {
            return Err(Error::Seed(format!(
                "library {} has an unknown parent {p}",
                l.id
            )));
        }
    }
    if libs.len() > 64 {
        return Err(Error::Seed("at most 64 libraries are supported".into()));
    }
    Ok(libs)
}

/// The seed records, with ISBNs normalised to ISBN-13.
pub fn records() -> Result<Vec<NewRecord>, Error> {
    let seed: Vec<SeedRecord> = serde_json::from_str(RECORDS_JSON)?;
    seed.into_iter()
        .map(|r| {
            if r.format == Format::Unknown {
                return Err(Error::Seed(format!(
                    "record {:?} has an unknown format",
                    r.title
                )));
            }
            let isbn = match r.isbn.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(raw) => match yuelan_api::normalize_isbn(raw) {
                    Some(isbn) => Some(isbn),
                    None => {
                        eprintln!(
                            "seed: record {:?} has an invalid ISBN {raw:?}; dropped",
                            r.title
                        );
                        None
                    }
                },
                None => None,
            };
            Ok(NewRecord {
                title: r.title,
                subtitle: r.subtitle.filter(|s| !s.is_empty()),
                authors: r.authors,
                publisher: r.publisher,
                publication_place: r.publication_place,
                year: r.year,
                isbn,
                format: Some(r.format),
                language: r.language,
                subjects: r.subjects,
                series: r.series.filter(|s| !s.is_empty()),
                extent: r.extent,
                summary: r.summary,
                classification: r.classification,
            })
        })
        .collect()
}

/// Whether a record is for children.
fn is_children(r: &NewRecord) -> bool {
    const MARKS: [&str; 7] = [
        "儿童",
        "少儿",
        "童话",
        "绘本",
        "青少年",
        "children",
        "picture book",
    ];
    r.subjects.iter().any(|s| {
        let s = s.to_lowercase();
        MARKS.iter().any(|m| s.contains(m))
    }) || r
        .classification
        .as_deref()
        .is_some_and(|c| c.starts_with("I287"))
}

/// The shelf section of a record: (zh, en) and the floor of the county library.
fn section(
    r: &NewRecord,
    children: bool,
) -> (&'static str, &'static str, &'static str, &'static str) {
    if children {
        return ("少儿区", "Children's", "一楼", "1F");
    }
    match r.format.unwrap_or(Format::Book) {
        Format::Magazine => return ("期刊区", "Periodicals", "一楼", "1F"),
        Format::Dvd | Format::Audiobook => return ("视听区", "Audiovisual", "一楼", "1F"),
        _ => {}
    }
    let letter = r
        .classification
        .as_deref()
        .and_then(|c| c.chars().next())
        .unwrap_or('Z');
    match letter.to_ascii_uppercase() {
        'A' | 'B' => ("哲学区", "Philosophy", "三楼", "3F"),
        'C' | 'D' | 'E' | 'F' | 'G' => ("社科区", "Social Sciences", "三楼", "3F"),
        'H' => ("语言区", "Languages", "三楼", "3F"),
        'I' => ("文学区", "Literature", "二楼", "2F"),
        'J' => ("艺术区", "Arts", "二楼", "2F"),
        'K' => ("历史地理区", "History & Geography", "三楼", "3F"),
        'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'X' => {
            ("科技区", "Science & Technology", "四楼", "4F")
        }
        _ => ("综合区", "General", "一楼", "1F"),
    }
}

/// The author mark of a call number: the initial of the first author (or
/// title) and two digits derived from it, e.g. `Y77`.
fn author_mark(r: &NewRecord) -> String {
    let basis = r.authors.first().map_or(r.title.as_str(), String::as_str);
    let initial = basis
        .chars()
        .find_map(|c| match pinyin::syllable(c) {
            Some(s) => s.chars().next(),
            None if c.is_ascii_alphabetic() => Some(c),
            None => None,
        })
        .unwrap_or('X')
        .to_ascii_uppercase();
    let digits = crate::search::text::text_hash(basis) % 90 + 10;
    format!("{initial}{digits}")
}

/// Spreads copies of records over the libraries.
pub struct CopyPlanner {
    libraries: Vec<(String, LibraryKind)>,
    today: i64,
    next_barcode: u64,
    /// Most copies of one record.
    pub max_copies: usize,
}

impl CopyPlanner {
    pub fn new(libraries: &[Library], today: i64, max_copies: usize) -> Self {
        Self {
            libraries: libraries.iter().map(|l| (l.id.clone(), l.kind)).collect(),
            today,
            next_barcode: 1,
            max_copies: max_copies.max(1),
        }
    }

    fn status(&self, rng: &mut Rng) -> (ItemStatus, Option<String>) {
        match rng.below(100) {
            0..60 => (ItemStatus::OnShelf, None),
            60..90 => (
                ItemStatus::OnLoan,
                Some(format_date(self.today + rng.range(1, 30))),
            ),
            90..95 => (ItemStatus::InTransit, None),
            _ => (ItemStatus::OnHoldShelf, None),
        }
    }

    /// The copies of one record.
    pub fn plan(&mut self, r: &NewRecord, rng: &mut Rng) -> Vec<NewItem> {
        let children = is_children(r);
        let magazine = r.format == Some(Format::Magazine);
        let mut places: Vec<usize> = Vec::new();
        for (i, (_, kind)) in self.libraries.iter().enumerate() {
            let (p, max) = match kind {
                LibraryKind::County => (0.92, 2),
                LibraryKind::Branch => (if children { 0.45 } else { 0.3 }, 2),
                _ => (if children || magazine { 0.3 } else { 0.02 }, 1),
            };
            if rng.chance(p) {
                let n = if max > 1 && rng.chance(0.25) { 2 } else { 1 };
                places.extend(std::iter::repeat_n(i, n));
            }
        }
        if places.is_empty() {
            places.push(0);
        }
        if places.len() > self.max_copies {
            // Keep the county library's copies first, then a fair sample.
            let mut rest = places.split_off(
                places
                    .iter()
                    .take_while(|&&i| i == 0)
                    .count()
                    .min(self.max_copies),
            );
            while places.len() < self.max_copies && !rest.is_empty() {
                let k = rng.below(rest.len() as u64) as usize;
                places.push(rest.swap_remove(k));
            }
            places.sort_unstable();
        }
        let is_huozhe = r.isbn.as_deref() == Some(HUOZHE_ISBN);
        if is_huozhe {
            for i in 0..self.libraries.len().min(3) {
                if !places.contains(&i) {
                    places.push(i);
                }
            }
            places.sort_unstable();
        }

        let (sec_zh, sec_en, floor_zh, floor_en) = section(r, children);
        let call_number = format!(
            "{}/{}",
            r.classification.as_deref().unwrap_or("Z"),
            author_mark(r)
        );
        let mut items: Vec<NewItem> = places
            .into_iter()
            .map(|i| {
                let (lib, kind) = &self.libraries[i];
                let shelf = match kind {
                    LibraryKind::County => (
                        format!("{floor_zh} {sec_zh}"),
                        format!("{floor_en} {sec_en}"),
                    ),
                    LibraryKind::Branch => (sec_zh.to_owned(), sec_en.to_owned()),
                    _ if children => ("儿童角".to_owned(), "Children's corner".to_owned()),
                    _ => ("阅览室".to_owned(), "Reading room".to_owned()),
                };
                let (status, due_date) = self.status(rng);
                let barcode = format!("Y{:07}", self.next_barcode);
                self.next_barcode += 1;
                NewItem {
                    barcode,
                    library_id: lib.clone(),
                    call_number: call_number.clone(),
                    shelf,
                    status,
                    due_date,
                }
            })
            .collect();
        if is_huozhe && let Some(first) = items.first_mut() {
            first.status = ItemStatus::OnShelf;
            first.due_date = None;
        }
        items
    }
}

/// Inserts libraries into an empty database.
pub fn insert_libraries(conn: &mut Connection, libs: &[Library]) -> Result<(), Error> {
    let tx = conn.transaction()?;
    for (i, lib) in libs.iter().enumerate() {
        db::insert_library(&tx, i, lib)?;
    }
    tx.commit()?;
    Ok(())
}

/// Inserts the seed records with their copies through `ins`.
pub fn insert_seed_records(
    ins: &mut BulkInserter<'_>,
    records: &[NewRecord],
    planner: &mut CopyPlanner,
) -> Result<usize, Error> {
    let mut rng = Rng::new(0x5EED_0001);
    for r in records {
        let id = ins.record(r)?;
        for item in planner.plan(r, &mut rng) {
            ins.item(id, &item)?;
        }
    }
    Ok(records.len())
}

/// Gives the seed libraries of a database seeded before migration 3 their
/// services and pickup points, where they have none.
fn fill_library_services(conn: &Connection) -> Result<(), Error> {
    for lib in libraries()? {
        conn.execute(
            "UPDATE libraries SET services = ?2, pickup_point = ?3 WHERE id = ?1 AND services = '[]'",
            rusqlite::params![
                lib.id,
                serde_json::to_string(&lib.services)?,
                i64::from(lib.pickup_point)
            ],
        )?;
    }
    Ok(())
}

/// Seeds an empty catalog from the embedded files, dated by the system
/// clock; returns whether it did.
pub fn seed_if_empty(db: &Db) -> Result<bool, Error> {
    seed_if_empty_at(db, SystemClock.now())
}

/// Seeds an empty catalog from the embedded files, with the patrons and
/// their demo circulation dated relative to `now` (Unix seconds); returns
/// whether it did. A catalog seeded by an older version gets what it
/// lacks: library services, and PIN hashes for the demo patrons.
pub fn seed_if_empty_at(db: &Db, now: i64) -> Result<bool, Error> {
    db.with_conn(|conn| {
        if db::count_records(conn)? > 0 {
            let tx = conn.transaction()?;
            fill_library_services(&tx)?;
            crate::patrons::seed_patrons(&tx)?;
            crate::booking::seed::seed_rooms(&tx, now)?;
            crate::culture::seed::seed_culture(&tx, now)?;
            tx.commit()?;
            return Ok(false);
        }
        let libs = libraries()?;
        let records = records()?;
        let have_libraries: i64 =
            conn.query_row("SELECT COUNT(*) FROM libraries", [], |r| r.get(0))?;
        if have_libraries == 0 {
            insert_libraries(conn, &libs)?;
        }
        let libs = db::libraries(conn)?;
        let mut planner = CopyPlanner::new(&libs, local_day(now), 8);
        let tx = conn.transaction()?;
        {
            let mut ins = BulkInserter::new(&tx);
            insert_seed_records(&mut ins, &records, &mut planner)?;
        }
        crate::patrons::seed_patrons(&tx)?;
        crate::account::demo::seed_circulation(&tx, now)?;
        if crate::booking::seed::seed_rooms(&tx, now)? {
            crate::booking::seed::seed_demo_bookings(&tx, now)?;
        }
        crate::culture::seed::seed_culture(&tx, now)?;
        tx.commit()?;
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            let x = a.range(1, 30);
            assert_eq!(x, b.range(1, 30));
            assert!((1..=30).contains(&x));
        }
    }

    #[test]
    fn seed_files_parse_and_are_valid() {
        let libs = libraries().unwrap();
        assert_eq!(libs[0].kind, LibraryKind::County);
        let records = records().unwrap();
        assert!(records.len() >= 300, "only {} seed records", records.len());
        assert!(
            records
                .iter()
                .any(|r| r.isbn.as_deref() == Some(HUOZHE_ISBN))
        );
    }

    /// Every seed ISBN has a line in `seed/isbn-sources.tsv` (ISBN, title,
    /// publisher, year, where it was confirmed), for the same title.
    #[test]
    fn every_seed_isbn_says_where_it_was_confirmed() {
        let sources: Vec<Vec<&str>> = include_str!("../seed/isbn-sources.tsv")
            .lines()
            .skip(1)
            .map(|l| l.split('\t').collect())
            .collect();
        let records = records().unwrap();
        let mut with_isbn = 0;
        for r in &records {
            let Some(isbn) = r.isbn.as_deref() else {
                continue;
            };
            with_isbn += 1;
            let line = sources.iter().find(|f| f[0] == isbn);
            assert!(
                line.is_some_and(|f| f.len() == 5 && f[1] == r.title && !f[4].trim().is_empty()),
                "{isbn} ({}) has no source line for its title",
                r.title
            );
        }
        assert_eq!(
            with_isbn,
            sources.len(),
            "a source line for an ISBN no record has"
        );
    }

    #[test]
    fn an_older_catalog_gets_library_services_and_demo_pin_hashes() {
        let db = Db::open_in_memory().unwrap();
        assert!(seed_if_empty_at(&db, 1_800_000_000).unwrap());
        // As a database seeded before migrations 3 and 4 would be.
        db.with_conn(|c| {
            c.execute_batch(
                "UPDATE libraries SET services = '[]', pickup_point = 0;
                 UPDATE patrons SET pin_phc = NULL;",
            )?;
            Ok(())
        })
        .unwrap();
        assert!(!seed_if_empty_at(&db, 1_800_000_000).unwrap());
        db.with_conn(|c| {
            let libs = db::libraries(c)?;
            assert!(libs.iter().all(|l| !l.services.is_empty()));
            assert!(libs.iter().filter(|l| l.pickup_point).count() >= 10);
            assert!(crate::patrons::verify_pin(c, "44132200000001", "246810")?);
            let without: i64 = c.query_row(
                "SELECT COUNT(*) FROM patrons WHERE pin_phc IS NULL",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(
                without as usize,
                crate::patrons::ORDINARY_PATRONS.len(),
                "only the published demo PINs can be hashed again"
            );
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn huozhe_is_on_the_shelf_in_three_libraries() {
        let libs = libraries().unwrap();
        let mut planner = CopyPlanner::new(&libs, 20_000, 8);
        let r = NewRecord {
            title: "活着".into(),
            authors: vec!["余华".into()],
            isbn: Some(HUOZHE_ISBN.into()),
            classification: Some("I247.57".into()),
            format: Some(Format::Book),
            ..NewRecord::default()
        };
        for seed in 0..50 {
            let items = planner.plan(&r, &mut Rng::new(seed));
            let mut places: Vec<&str> = items.iter().map(|i| i.library_id.as_str()).collect();
            places.dedup();
            assert!(places.len() >= 3);
            assert!(items.iter().any(|i| i.status == ItemStatus::OnShelf));
            assert!(items[0].call_number.starts_with("I247.57/Y"));
            assert_eq!(items[0].shelf.0, "二楼 文学区");
        }
    }
}
