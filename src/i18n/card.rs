//! Texts of the digital library card, in Simplified Chinese and English.

use super::Texts;

/// A text of the digital library card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardText {
    CardTitle,
}

impl Texts for CardText {
    fn zh(self) -> &'static str {
        use CardText::*;
        match self {
            CardTitle => "电子读者证",
        }
    }

    fn en(self) -> &'static str {
        use CardText::*;
        match self {
            CardTitle => "Library card",
        }
    }
}
