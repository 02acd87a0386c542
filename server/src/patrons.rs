//! Patrons and their PINs.
//!
//! A PIN is never stored: only its Argon2id hash as a PHC string
//! (`$argon2id$v=19$m=19456,t=4,p=1$<salt>$<hash>`): OWASP's memory and
//! lanes (19 MiB, 1 lane) with 4 passes instead of OWASP's minimum of 2,
//! so that a sign-in costs at least 50 ms by design (measured on the 2-core
//! reference machine, idle: 2 passes 41 ms median, 3 passes 52 ms median
//! but 43 ms at best; `cargo xtask bench` prints it), and a random salt
//! from the operating system. The PHC string carries its parameters, so they
//! can grow later without breaking stored rows. Verification recomputes
//! the hash with the stored parameters and compares in constant time; an
//! unknown card is verified against [`DUMMY_PHC`], so that the time an
//! answer takes does not tell unknown cards from wrong PINs.
//!
//! The demo patrons listed in the README, and ordinary patrons whose PINs
//! nobody knows, are seeded with the catalog.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use rusqlite::{Connection, OptionalExtension, params};
use yuelan_api::account::{BlockReason, Patron};

use crate::error::Error;

/// Argon2id memory cost in KiB (OWASP: 19 MiB).
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
/// Argon2id passes (OWASP's minimum is 2; 4 keeps a sign-in at 50 ms or
/// more, see the module's comment).
pub const ARGON2_PASSES: u32 = 4;
/// Argon2id lanes (OWASP: 1).
pub const ARGON2_LANES: u32 = 1;

/// The hash an unknown card (or a patron without a PIN) is verified
/// against: the same parameters as every stored hash, of a random PIN that
/// was thrown away, so no PIN matches it.
pub const DUMMY_PHC: &str = "$argon2id$v=19$m=19456,t=4,p=1$fAy0oFbZsSoKnOsvNirfBw$w2OYPY4dvPbjq5v3ii2/H7EJvOwd36UvAA/8Cfa+0g8";

fn hasher() -> Result<Argon2<'static>, Error> {
    let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None)
        .map_err(|e| Error::PinHash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a PIN with a fresh random salt; returns the PHC string.
pub fn hash_pin(pin: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = hasher()?
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| Error::PinHash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `pin` matches the PHC string `phc`. Always runs exactly one
/// Argon2 computation: against [`DUMMY_PHC`] when `phc` is absent or
/// unreadable.
pub fn pin_matches(pin: &str, phc: Option<&str>) -> bool {
    let (parsed, real) = match phc.map(PasswordHash::new) {
        Some(Ok(h)) => (h, true),
        _ => match PasswordHash::new(DUMMY_PHC) {
            Ok(h) => (h, false),
            Err(_) => return false,
        },
    };
    let Ok(argon2) = hasher() else {
        return false;
    };
    argon2.verify_password(pin.as_bytes(), &parsed).is_ok() && real
}

/// The stored PHC string of a card; `None` for an unknown card or a
/// patron without a PIN.
pub fn pin_phc(conn: &Connection, card: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT pin_phc FROM patrons WHERE card_number = ?1",
            [card],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// Whether `pin` is the PIN of the patron with `card`; `false` for an
/// unknown card, after the same work as for a known one.
pub fn verify_pin(conn: &Connection, card: &str, pin: &str) -> Result<bool, Error> {
    let phc = pin_phc(conn, card)?;
    Ok(pin_matches(pin, phc.as_deref()))
}

/// The database value of a block reason.
pub fn block_str(reason: BlockReason) -> &'static str {
    match reason {
        BlockReason::Fines => "fines",
        BlockReason::LostItem => "lost_item",
        BlockReason::CardExpired => "card_expired",
        BlockReason::Staff | BlockReason::Unknown => "staff",
    }
}

fn block_of(s: &str) -> BlockReason {
    match s {
        "fines" => BlockReason::Fines,
        "lost_item" => BlockReason::LostItem,
        "card_expired" => BlockReason::CardExpired,
        "staff" => BlockReason::Staff,
        _ => BlockReason::Unknown,
    }
}

/// A patron by card number.
pub fn patron(conn: &Connection, card: &str) -> Result<Option<Patron>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT card_number, name, home_library_id, preferred_locale, elder_mode, blocked
         FROM patrons WHERE card_number = ?1",
    )?;
    Ok(stmt
        .query_row([card], |r| {
            Ok(Patron {
                card_number: r.get(0)?,
                name: r.get(1)?,
                home_library_id: r.get(2)?,
                preferred_locale: r.get(3)?,
                elder_mode: r.get::<_, i64>(4)? != 0,
                blocked: r.get::<_, Option<String>>(5)?.as_deref().map(block_of),
            })
        })
        .optional()?)
}

/// A patron of the seed data.
#[derive(Clone, Copy, Debug)]
pub struct SeedPatron {
    pub card: &'static str,
    /// The published PIN of a demo patron; `None` for a random one that
    /// nobody learns.
    pub pin: Option<&'static str>,
    pub name: &'static str,
    pub home: &'static str,
    pub locale: &'static str,
    pub elder: bool,
    pub blocked: Option<BlockReason>,
}

const fn demo(
    card: &'static str,
    pin: &'static str,
    name: &'static str,
    home: &'static str,
    locale: &'static str,
    elder: bool,
    blocked: Option<BlockReason>,
) -> SeedPatron {
    SeedPatron {
        card,
        pin: Some(pin),
        name,
        home,
        locale,
        elder,
        blocked,
    }
}

const fn ordinary(
    card: &'static str,
    name: &'static str,
    home: &'static str,
    elder: bool,
) -> SeedPatron {
    SeedPatron {
        card,
        pin: None,
        name,
        home,
        locale: "zh-CN",
        elder,
        blocked: None,
    }
}

/// The demo patrons of the README, with their published PINs.
pub const DEMO_PATRONS: &[SeedPatron] = &[
    demo(
        "44132200000001",
        "246810",
        "陈晓明",
        "county",
        "zh-CN",
        false,
        None,
    ),
    demo(
        "44132200000002",
        "135790",
        "李秀英",
        "br-shiwan",
        "zh-CN",
        true,
        None,
    ),
    demo(
        "44132200000003",
        "112233",
        "Emily Zhang",
        "county",
        "en",
        false,
        None,
    ),
    demo(
        "44132200000004",
        "864209",
        "王建国",
        "county",
        "zh-CN",
        false,
        Some(BlockReason::Fines),
    ),
];

/// Ordinary patrons: their PINs are random and never shown; they borrow
/// and hold titles so that queues form around the demo patrons.
pub const ORDINARY_PATRONS: &[SeedPatron] = &[
    ordinary("44132200000005", "黄志强", "county", false),
    ordinary("44132200000006", "刘美玲", "br-yuanzhou", false),
    ordinary("44132200000007", "叶少华", "br-huzhen", false),
    ordinary("44132200000008", "钟丽娟", "br-changning", false),
    ordinary("44132200000009", "罗家豪", "county", false),
    ordinary("44132200000010", "曾雪梅", "br-yangcun", false),
    ordinary("44132200000011", "邓伟东", "br-shiwan", false),
    ordinary("44132200000012", "赖秋菊", "br-guanyinge", true),
    ordinary("44132200000013", "温国平", "br-gongzhuang", true),
    ordinary("44132200000014", "廖晓燕", "county", false),
    ordinary("44132200000015", "古振华", "br-huzhen", false),
    ordinary("44132200000016", "何嘉欣", "br-yuanzhou", false),
    ordinary("44132200000017", "徐建新", "county", false),
    ordinary("44132200000018", "杨子轩", "br-shiwan", false),
    ordinary("44132200000019", "张丽萍", "county", false),
];

/// A random six-digit PIN.
fn random_pin() -> String {
    format!("{:06}", OsRng.next_u32() % 1_000_000)
}

/// Hashes `pins` on every core (each hash takes tens of milliseconds).
fn hash_all(pins: &[String]) -> Result<Vec<String>, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(1, 8);
    let chunk = pins.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = pins
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|p| hash_pin(p)).collect::<Vec<_>>()))
            .collect();
        let mut out = Vec::with_capacity(pins.len());
        for h in handles {
            let hashes = h
                .join()
                .map_err(|_| Error::PinHash("a hashing thread panicked".into()))?;
            for hash in hashes {
                out.push(hash?);
            }
        }
        Ok(out)
    })
}

/// The PIN hashes of the seed patrons, in the order of [`DEMO_PATRONS`]
/// then [`ORDINARY_PATRONS`]: each patron's own PIN (the published one, or
/// a random one that is thrown away) with its own random salt.
///
/// They are computed once per process, on every core: a process that
/// seeds many databases (the tests seed one per test) would otherwise
/// spend most of each seed hashing. The databases of one process share
/// the hashes; nothing else does.
fn seed_hashes() -> Result<&'static [String], Error> {
    static HASHES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    if let Some(h) = HASHES.get() {
        return Ok(h);
    }
    let pins: Vec<String> = DEMO_PATRONS
        .iter()
        .chain(ORDINARY_PATRONS)
        .map(|p| p.pin.map_or_else(random_pin, str::to_owned))
        .collect();
    let hashes = hash_all(&pins)?;
    // Two threads may both compute them; the first to finish is kept.
    Ok(HASHES.get_or_init(|| hashes))
}

/// Inserts the demo and ordinary patrons where absent, and gives a PIN hash
/// to demo patrons that have none (rows from before migration 4).
pub fn seed_patrons(conn: &Connection) -> Result<(), Error> {
    let all: Vec<&SeedPatron> = DEMO_PATRONS.iter().chain(ORDINARY_PATRONS).collect();
    let mut wanted = Vec::new();
    for (i, p) in all.iter().enumerate() {
        let row: Option<Option<String>> = conn
            .query_row(
                "SELECT pin_phc FROM patrons WHERE card_number = ?1",
                [p.card],
                |r| r.get(0),
            )
            .optional()?;
        let missing = match row {
            None => true,
            Some(phc) => phc.is_none() && p.pin.is_some(),
        };
        if missing {
            wanted.push(i);
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let hashes = seed_hashes()?;
    for i in wanted {
        let (p, phc) = (all[i], &hashes[i]);
        conn.execute(
            "INSERT INTO patrons
               (card_number, name, home_library_id, preferred_locale, elder_mode, pin_phc, blocked)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (card_number) DO UPDATE SET pin_phc = excluded.pin_phc
             WHERE patrons.pin_phc IS NULL",
            params![
                p.card,
                p.name,
                p.home,
                p.locale,
                i64::from(p.elder),
                phc,
                p.blocked.map(block_str),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_with_owasp_parameters() {
        let phc = hash_pin("246810").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=4,p=1$"), "{phc}");
        assert!(!phc.contains("246810"));
        assert!(pin_matches("246810", Some(&phc)));
        assert!(!pin_matches("246811", Some(&phc)));
        // A fresh salt each time.
        assert_ne!(phc, hash_pin("246810").unwrap());
    }

    #[test]
    fn the_dummy_hash_has_the_same_cost_and_matches_nothing() {
        assert!(DUMMY_PHC.starts_with("$argon2id$v=19$m=19456,t=4,p=1$"));
        let parsed = PasswordHash::new(DUMMY_PHC).unwrap();
        assert!(parsed.hash.is_some() && parsed.salt.is_some());
        for pin in ["0000", "246810", "123456"] {
            assert!(!pin_matches(pin, None));
            assert!(!pin_matches(pin, Some(DUMMY_PHC)));
            assert!(!pin_matches(pin, Some("not a hash")));
        }
    }
}

#[cfg(test)]
mod seeded_tests {
    use super::*;
    use crate::{Db, seed};

    #[test]
    fn seed_patrons_have_hashed_pins_that_verify() {
        let db = Db::open_in_memory().expect("database");
        assert!(seed::seed_if_empty(&db).expect("seeding"));
        db.with_conn(|conn| {
            for p in DEMO_PATRONS {
                let pin = p.pin.unwrap();
                assert!(
                    verify_pin(conn, p.card, pin)?,
                    "the README's PIN of {} verifies",
                    p.card
                );
                assert!(
                    !verify_pin(conn, p.card, "000000")?,
                    "a wrong PIN fails for {}",
                    p.card
                );
            }
            let n: i64 = conn.query_row(
                "SELECT COUNT(*) FROM patrons WHERE pin_phc LIKE '$argon2id$v=19$m=19456,t=4,p=1$%'",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(n as usize, DEMO_PATRONS.len() + ORDINARY_PATRONS.len());
            assert!(
                !verify_pin(conn, "44132299999999", "246810")?,
                "unknown cards fail"
            );
            let blocked = patron(conn, "44132200000004")?.unwrap();
            assert_eq!(blocked.blocked, Some(BlockReason::Fines));
            assert_eq!(patron(conn, "44132200000001")?.unwrap().blocked, None);
            Ok::<_, Error>(())
        })
        .expect("queries");
    }
}
