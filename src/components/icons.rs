//! Inline SVG icons: one component, one path per icon, drawn with the
//! current text colour. Icons are decorative (`aria-hidden`); the text next
//! to them carries the meaning.

use leptos::prelude::*;

/// The icons the app draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconName {
    Home,
    Search,
    Booking,
    Culture,
    Me,
    Book,
    Check,
    Clock,
    Transit,
    Hold,
    Minus,
    Question,
    Close,
    Filter,
    Back,
    Alert,
    /// Favourites: outlined, and filled (by CSS) when the record is saved.
    Heart,
}

impl IconName {
    /// The SVG path, on a 24×24 grid, stroked.
    fn path(self) -> &'static str {
        match self {
            IconName::Home => "M3 11l9-8 9 8M5 9.5V20h5v-6h4v6h5V9.5",
            IconName::Search => "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13zM15.3 15.3L21 21",
            IconName::Booking => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
            IconName::Culture => "M3 5h18v12H3zM10 8.5v5l4.5-2.5zM8 21h8",
            IconName::Me => "M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM4 21c1-4.5 4.5-6.5 8-6.5s7 2 8 6.5",
            IconName::Book => "M5 4h10a3 3 0 0 1 3 3v13H8a3 3 0 0 1-3-3zM5 17a3 3 0 0 1 3-3h10",
            IconName::Check => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM8 12.5l3 3 5-6",
            IconName::Clock => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3.5 2",
            IconName::Transit => "M4 8h14l-3.5-3.5M20 16H6l3.5 3.5",
            IconName::Hold => "M7 3h10v18l-5-4-5 4z",
            IconName::Minus => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM8 12h8",
            IconName::Question => {
                "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5v.7M12 17v.5"
            }
            IconName::Close => "M6 6l12 12M18 6L6 18",
            IconName::Filter => "M4 5h16l-6 8v6l-4-2v-4z",
            IconName::Back => "M15 5l-7 7 7 7",
            IconName::Alert => "M12 3L2 20h20zM12 10v4M12 17v.5",
            IconName::Heart => {
                "M12 20.5C7 17 3 13.5 3 9.3 3 6.4 5.2 4.5 7.7 4.5c1.8 0 3.3 1 4.3 2.5 1-1.5 2.5-2.5 4.3-2.5 2.5 0 4.7 1.9 4.7 4.8 0 4.2-4 7.7-9 11.2z"
            }
        }
    }
}

/// A decorative icon.
#[component]
pub fn Icon(name: IconName) -> impl IntoView {
    path_icon(name.path())
}

/// A decorative icon drawn from `path`, on the same 24×24 stroked grid as
/// [`IconName`]'s: for a feature's own icons, so that their paths travel
/// with the feature's chunk instead of growing the main module.
pub fn path_icon(path: &'static str) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=path />
        </svg>
    }
}
