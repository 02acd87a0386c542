//! Pinyin of Chinese text, for pinyin search and for sorting titles.
//!
//! Heteronyms take their first reading in the `pinyin` crate's table, which is
//! the most common one; a title whose character is read otherwise is only
//! found by its Han characters or initials. `ü` is written `v`, as pinyin
//! input methods do.

use pinyin::ToPinyin;

use super::text::is_han;

/// The toneless pinyin of one Han character, with `ü` written as `v`.
pub fn syllable(c: char) -> Option<&'static str> {
    if !is_han(c) {
        return None;
    }
    c.to_pinyin().map(|p| p.plain())
}

fn push_syllable(out: &mut String, s: &str) {
    for ch in s.chars() {
        out.push(if ch == 'ü' { 'v' } else { ch });
    }
}

/// The pinyin terms of a CJK run: for every stretch of characters that have
/// pinyin, its full toneless pinyin (`hongloumeng`) and, for stretches of two
/// characters or more, its initials (`hlm`).
pub fn run_terms(run: &str, mut emit: impl FnMut(&str, bool)) {
    let mut full = String::new();
    let mut initials = String::new();
    let mut count = 0usize;
    let mut flush = |full: &mut String, initials: &mut String, count: &mut usize| {
        if !full.is_empty() {
            emit(full, false);
            if *count >= 2 {
                emit(initials, true);
            }
        }
        full.clear();
        initials.clear();
        *count = 0;
    };
    for c in run.chars() {
        match syllable(c) {
            Some(s) => {
                push_syllable(&mut full, s);
                if let Some(first) = s.chars().next() {
                    initials.push(if first == 'ü' { 'v' } else { first });
                }
                count += 1;
            }
            None => flush(&mut full, &mut initials, &mut count),
        }
    }
    flush(&mut full, &mut initials, &mut count);
}

/// A key that sorts titles by pinyin, with Latin titles among them: Han
/// characters become their pinyin, letters stay (lowercase), separators
/// become one space.
pub fn sort_key(folded_title: &str) -> String {
    let mut key = String::with_capacity(folded_title.len() * 2);
    for c in folded_title.chars() {
        match syllable(c) {
            Some(s) => push_syllable(&mut key, s),
            None => key.push(c),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(run: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        run_terms(run, |t, initials| out.push((t.to_owned(), initials)));
        out
    }

    #[test]
    fn full_pinyin_and_initials() {
        assert_eq!(
            terms("红楼梦"),
            [("hongloumeng".to_owned(), false), ("hlm".to_owned(), true)]
        );
        assert_eq!(
            terms("余华"),
            [("yuhua".to_owned(), false), ("yh".to_owned(), true)]
        );
        assert_eq!(terms("三体")[0].0, "santi");
    }

    #[test]
    fn single_characters_have_no_initials_term() {
        assert_eq!(terms("梦"), [("meng".to_owned(), false)]);
    }

    #[test]
    fn u_umlaut_is_v() {
        assert_eq!(terms("绿")[0].0, "lv");
    }

    #[test]
    fn kana_breaks_a_pinyin_stretch() {
        assert_eq!(
            terms("山のかなた"),
            [("shan".to_owned(), false)],
            "kana has no pinyin"
        );
    }

    #[test]
    fn titles_sort_by_pinyin_among_latin_ones() {
        let mut titles = vec!["红楼梦", "hamlet", "三体", "animal farm", "活着"];
        titles.sort_by_key(|t| sort_key(t));
        assert_eq!(titles, ["animal farm", "hamlet", "红楼梦", "活着", "三体"]);
    }
}
