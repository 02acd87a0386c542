//! The generated cover drawn for records without a cover image: a block in
//! a colour picked from the title, with the title's first characters.

use leptos::prelude::*;

/// Number of cover colours; `style/main.css` defines `.cover.c0` … `.c7`,
/// each dark enough for white text (contrast ≥ 4.5:1).
pub const COVER_COLOURS: u32 = 8;

/// The colour class of a title's cover: the same title always gets the same.
pub fn cover_colour_index(title: &str) -> u32 {
    // FNV-1a, 32 bit: tiny and stable across builds and platforms.
    let mut hash: u32 = 0x811c_9dc5;
    for b in title.as_bytes() {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % COVER_COLOURS
}

/// The CSS class of the colour, e.g. `c3`.
pub fn cover_colour_class(title: &str) -> &'static str {
    const CLASSES: [&str; COVER_COLOURS as usize] =
        ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];
    CLASSES
        .get(cover_colour_index(title) as usize)
        .copied()
        .unwrap_or("c0")
}

/// The text on a cover: the first two letters or characters of the title,
/// skipping punctuation such as `《`; Latin text gives the initials of its
/// first two words, upper-cased.
pub fn cover_initials(title: &str) -> String {
    let mut chars = title.chars().filter(|c| c.is_alphanumeric());
    let Some(first) = chars.next() else {
        return String::new();
    };
    if first.is_ascii() {
        let mut out: String = first.to_uppercase().collect();
        let second_word = title
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
            .nth(1);
        if let Some(c) = second_word {
            out.extend(c.to_uppercase());
        }
        out
    } else {
        let mut out = String::new();
        out.push(first);
        if let Some(second) = chars.next().filter(|c| !c.is_ascii()) {
            out.push(second);
        }
        out
    }
}

/// A generated cover for `title`. Decorative: the title is shown as text
/// next to it.
#[component]
pub fn CoverPlaceholder(
    /// The record's title.
    #[prop(into)]
    title: String,
    /// Draws the large variant, for the record page.
    #[prop(optional)]
    large: bool,
) -> impl IntoView {
    let class = [
        "cover ",
        cover_colour_class(&title),
        if large { " cover-large" } else { "" },
    ]
    .concat();
    view! {
        <div class=class aria-hidden="true">
            <span class="cover-text">{cover_initials(&title)}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_is_deterministic_and_in_range() {
        for t in [
            "活着",
            "红楼梦",
            "",
            "A Dream of Red Mansions",
            "<img src=x>",
        ] {
            let i = cover_colour_index(t);
            assert!(i < COVER_COLOURS);
            assert_eq!(i, cover_colour_index(t));
            assert_eq!(cover_colour_class(t), format!("c{i}"));
        }
        // Known values pin the hash, so covers do not change between releases.
        assert_eq!(cover_colour_index(""), 0x811c_9dc5 % COVER_COLOURS);
        let spread: std::collections::BTreeSet<u32> = [
            "活着",
            "红楼梦",
            "岭南",
            "粤剧",
            "三体",
            "围城",
            "边城",
            "家",
        ]
        .iter()
        .map(|t| cover_colour_index(t))
        .collect();
        assert!(spread.len() >= 3, "titles spread over several colours");
    }

    #[test]
    fn initials() {
        assert_eq!(cover_initials("活着"), "活着");
        assert_eq!(cover_initials("红楼梦"), "红楼");
        assert_eq!(cover_initials("《岭南文化》"), "岭南");
        assert_eq!(cover_initials("a dream of red mansions"), "AD");
        assert_eq!(cover_initials("Wolf"), "W");
        assert_eq!(cover_initials("三体 III"), "三体");
        assert_eq!(cover_initials("家"), "家");
        assert_eq!(cover_initials("  ...  "), "");
        assert_eq!(cover_initials(""), "");
    }
}
