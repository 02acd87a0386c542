//! The card as this device keeps it, and what the card page shows: plain
//! logic, tested natively.
//!
//! Once the card has been shown to a signed-in patron, its number and the
//! patron's name are kept in `localStorage` under one key, so that the
//! card shows with no network and no session (at a village library's desk,
//! on a weak link). Nothing else is kept: never the PIN, never a token.
//! Signing out removes it, for shared devices.

use crate::session::Auth;

/// The `localStorage` key of the kept card.
pub const STORAGE_KEY: &str = "yuelan.card";

/// The first line of the stored text: the format's version.
const FORMAT: &str = "card1";

/// What the card shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardData {
    pub card_number: String,
    pub name: String,
}

impl CardData {
    /// A card for this number and name. Whitespace around either is
    /// trimmed, and a line break inside the name (which the stored format
    /// cannot hold) becomes a space.
    pub fn new(card_number: &str, name: &str) -> Self {
        Self {
            card_number: card_number.trim().to_owned(),
            name: name.trim().replace(['\n', '\r'], " "),
        }
    }

    /// The stored text: the format, the number and the name, a line each.
    pub fn encode(&self) -> String {
        [FORMAT, "\n", &self.card_number, "\n", &self.name].concat()
    }

    /// The card in a stored text; `None` for anything else (another
    /// format, a damaged value, an empty number).
    pub fn decode(stored: &str) -> Option<CardData> {
        let mut lines = stored.split('\n');
        let (format, number, name) = (lines.next()?, lines.next()?, lines.next()?);
        let valid = format == FORMAT
            && lines.next().is_none()
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
        valid.then(|| CardData {
            card_number: number.to_owned(),
            name: name.to_owned(),
        })
    }

    /// What the barcode and the QR code hold: the number without spaces.
    pub fn code_text(&self) -> String {
        self.card_number.split_whitespace().collect()
    }
}

/// The card number in groups of four, for reading aloud at a desk:
/// `44132200000001` → `4413 2200 0000 01`.
pub fn grouped(card_number: &str) -> String {
    let digits: Vec<char> = card_number.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(digits.len() + digits.len() / 4);
    for (i, group) in digits.chunks(4).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(group);
    }
    out
}

/// What the card page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The signed-in patron's card.
    Live(CardData),
    /// The card kept on this device: the session is not known (offline,
    /// or still being asked) or has ended.
    FromDevice(CardData),
    /// Nothing to show yet: the session is being checked.
    Checking,
    /// The session could not be checked and no card is kept here.
    CheckFailed,
    /// Nobody is signed in and no card is kept here.
    SignedOut,
}

/// What to show for the session `auth`, the card kept on this device, and
/// whether the page's own check of the session failed.
pub fn shown(auth: &Auth, kept: Option<&CardData>, check_failed: bool) -> Shown {
    match (auth, kept) {
        (Auth::SignedIn(patron), _) => {
            Shown::Live(CardData::new(&patron.card_number, &patron.name))
        }
        (_, Some(card)) => Shown::FromDevice(card.clone()),
        (Auth::SignedOut, None) => Shown::SignedOut,
        (Auth::Unknown, None) if check_failed => Shown::CheckFailed,
        (Auth::Unknown, None) => Shown::Checking,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use yuelan_api::account::Patron;

    use super::*;

    fn patron(card_number: &str, name: &str) -> Auth {
        Auth::SignedIn(Arc::new(Patron {
            card_number: card_number.into(),
            name: name.into(),
            home_library_id: "county".into(),
            preferred_locale: "zh-CN".into(),
            elder_mode: false,
            blocked: None,
        }))
    }

    #[test]
    fn a_card_survives_storage() {
        let card = CardData::new("44132200000001", "陈晓明");
        assert_eq!(card.encode(), "card1\n44132200000001\n陈晓明");
        assert_eq!(CardData::decode(&card.encode()), Some(card));
        let odd = CardData::new(" 4413 2200 ", "Emily\nBrontë ");
        assert_eq!(odd.name, "Emily Brontë");
        assert_eq!(CardData::decode(&odd.encode()), Some(odd.clone()));
        assert_eq!(odd.code_text(), "44132200");
    }

    #[test]
    fn damaged_or_foreign_values_are_no_card() {
        for stored in [
            "",
            "44132200000001",
            "card1\n44132200000001",
            "card2\n44132200000001\n陈晓明",
            "card1\n\n陈晓明",
            "card1\n4413\u{7}\n陈晓明",
            "card1\n1\nname\nextra",
            "{\"card_number\":\"1\"}",
        ] {
            assert_eq!(CardData::decode(stored), None, "{stored:?}");
        }
    }

    #[test]
    fn numbers_are_grouped_by_four() {
        assert_eq!(grouped("44132200000001"), "4413 2200 0000 01");
        assert_eq!(grouped("4413 2200 0000 01"), "4413 2200 0000 01");
        assert_eq!(grouped("12345678"), "1234 5678");
        assert_eq!(grouped("123"), "123");
        assert_eq!(grouped(""), "");
    }

    #[test]
    fn the_live_card_wins_and_the_kept_one_covers_the_rest() {
        let kept = CardData::new("44132200000002", "李华");
        let live = patron("44132200000001", "陈晓明");
        assert_eq!(
            shown(&live, Some(&kept), false),
            Shown::Live(CardData::new("44132200000001", "陈晓明"))
        );
        for auth in [Auth::Unknown, Auth::SignedOut] {
            for failed in [false, true] {
                assert_eq!(
                    shown(&auth, Some(&kept), failed),
                    Shown::FromDevice(kept.clone())
                );
            }
        }
        assert_eq!(shown(&Auth::Unknown, None, false), Shown::Checking);
        assert_eq!(shown(&Auth::Unknown, None, true), Shown::CheckFailed);
        assert_eq!(shown(&Auth::SignedOut, None, true), Shown::SignedOut);
    }
}
