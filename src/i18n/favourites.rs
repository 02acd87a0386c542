//! Texts of favourite lists, in Simplified Chinese and English.

use super::Texts;

/// A text of favourite lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FavText {
    ListsTitle,
}

impl Texts for FavText {
    fn zh(self) -> &'static str {
        use FavText::*;
        match self {
            ListsTitle => "我的收藏",
        }
    }

    fn en(self) -> &'static str {
        use FavText::*;
        match self {
            ListsTitle => "My lists",
        }
    }
}
