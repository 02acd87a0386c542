//! Texts of the library directory (branches and village centres), in Simplified Chinese and English.

use super::Texts;

/// A text of the library directory (branches and village centres).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LibText {
    LibrariesTitle,
    LibrariesBlurb,
}

impl Texts for LibText {
    fn zh(self) -> &'static str {
        use LibText::*;
        match self {
            LibrariesTitle => "各馆信息",
            LibrariesBlurb => "开放时间、服务与到馆路线",
        }
    }

    fn en(self) -> &'static str {
        use LibText::*;
        match self {
            LibrariesTitle => "Libraries",
            LibrariesBlurb => "Opening hours, services and directions",
        }
    }
}
