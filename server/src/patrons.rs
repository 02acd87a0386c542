//! Patrons and their PINs.
//!
//! A PIN is never stored: only a salted PBKDF2-HMAC-SHA256 hash with its
//! round count, so the count can grow later without breaking old rows. The
//! demo patrons listed in the README are seeded with the catalog.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// PBKDF2 rounds for new hashes.
pub const PIN_ROUNDS: u32 = 20_000;

/// A demo patron of the seed data: (card number, PIN, name, home library, locale, elder mode).
pub const DEMO_PATRONS: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "44132200000001",
        "246810",
        "陈晓明",
        "county",
        "zh-CN",
        false,
    ),
    (
        "44132200000002",
        "135790",
        "李秀英",
        "br-shiwan",
        "zh-CN",
        true,
    ),
    (
        "44132200000003",
        "112233",
        "Emily Zhang",
        "county",
        "en",
        false,
    ),
];

/// Hashes a PIN with a salt.
pub fn hash_pin(pin: &str, salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, rounds, &mut out);
    out
}

/// A salt derived from the card number and the system clock; unique per
/// patron, which is what a salt must be.
fn salt_for(card: &str) -> Vec<u8> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut h = Sha256::new();
    h.update(card.as_bytes());
    h.update(nanos.to_le_bytes());
    h.finalize()[..16].to_vec()
}

/// Inserts the demo patrons where absent.
pub fn seed_demo_patrons(conn: &Connection) -> Result<(), Error> {
    for (card, pin, name, home, locale, elder) in DEMO_PATRONS {
        let salt = salt_for(card);
        let hash = hash_pin(pin, &salt, PIN_ROUNDS);
        conn.execute(
            "INSERT OR IGNORE INTO patrons
               (card_number, name, home_library_id, preferred_locale, elder_mode, pin_salt, pin_hash, pin_rounds)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![card, name, home, locale, *elder as i64, salt, hash.to_vec(), PIN_ROUNDS],
        )?;
    }
    Ok(())
}

/// Whether `pin` is the PIN of the patron with `card`; `false` for an unknown card.
pub fn verify_pin(conn: &Connection, card: &str, pin: &str) -> Result<bool, Error> {
    let row: Option<(Vec<u8>, Vec<u8>, u32)> = conn
        .query_row(
            "SELECT pin_salt, pin_hash, pin_rounds FROM patrons WHERE card_number = ?1",
            [card],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((salt, stored, rounds)) = row else {
        return Ok(false);
    };
    let computed = hash_pin(pin, &salt, rounds);
    // Compare without an early exit, so timing says nothing about the hash.
    let diff = stored
        .iter()
        .zip(computed.iter())
        .fold(stored.len() ^ computed.len(), |acc, (a, b)| {
            acc | usize::from(a ^ b)
        });
    Ok(diff == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, "passwd" / "salt", 1 round.
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(out[..8], [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f]);
    }
}

#[cfg(test)]
mod seeded_tests {
    use super::*;
    use crate::{Db, seed};

    #[test]
    fn demo_patrons_are_seeded_with_hashed_pins_that_verify() {
        let db = Db::open_in_memory().expect("database");
        assert!(seed::seed_if_empty(&db).expect("seeding"));
        db.with_conn(|conn| {
            for (card, pin, ..) in DEMO_PATRONS {
                assert!(
                    verify_pin(conn, card, pin)?,
                    "the README's PIN of {card} verifies"
                );
                assert!(
                    !verify_pin(conn, card, "000000")?,
                    "a wrong PIN fails for {card}"
                );
                let stored: Vec<u8> = conn.query_row(
                    "SELECT pin_hash FROM patrons WHERE card_number = ?1",
                    [card],
                    |r| r.get(0),
                )?;
                assert_ne!(stored, pin.as_bytes(), "the PIN itself is not stored");
            }
            assert!(
                !verify_pin(conn, "44132299999999", "246810")?,
                "unknown cards fail"
            );
            Ok::<_, Error>(())
        })
        .expect("queries");
    }
}
