//! Pinyin of Chinese text, for pinyin search and for sorting titles.
//!
//! Search indexes every reading of a heteronym (长 is `chang` and `zhang`,
//! 传 `chuan` and `zhuan`), so that `changhenge`, `shuihuzhuan` and `shz`
//! find 长恨歌 and 水浒传 whichever reading the `pinyin` crate lists first;
//! a run with many heteronyms is capped at [`MAX_VARIANTS`] spellings.
//! Sorting uses the first reading. `ü` is written `v`, as pinyin input
//! methods do.

use pinyin::{ToPinyin, ToPinyinMulti};

use super::text::is_han;

/// The most spellings (full pinyin, and initials) indexed for one run of
/// Han characters; past it, further heteronyms add their first reading only.
pub const MAX_VARIANTS: usize = 16;

/// The toneless pinyin of one Han character (its first reading), with `ü`
/// written as `v`.
pub fn syllable(c: char) -> Option<&'static str> {
    if !is_han(c) {
        return None;
    }
    c.to_pinyin().map(|p| p.plain())
}

/// Every toneless reading of one Han character, the first reading first,
/// without repeats (readings that differ only in tone are one).
pub fn readings(c: char) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if !is_han(c) {
        return out;
    }
    if let Some(first) = syllable(c) {
        out.push(first);
    }
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let plain = p.plain();
            if !out.contains(&plain) {
                out.push(plain);
            }
        }
    }
    out
}

fn push_syllable(out: &mut String, s: &str) {
    for ch in s.chars() {
        out.push(if ch == 'ü' { 'v' } else { ch });
    }
}

/// The pinyin terms of a CJK run: for every stretch of characters that have
/// pinyin, its full toneless pinyin (`hongloumeng`) and, for stretches of two
/// characters or more, its initials (`hlm`), in every spelling its
/// heteronyms allow (up to [`MAX_VARIANTS`]), each once.
pub fn run_terms(run: &str, mut emit: impl FnMut(&str, bool)) {
    // Each spelling of the stretch so far: (full pinyin, initials).
    let mut variants: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut count = 0usize;
    let mut flush = |variants: &mut Vec<(String, String)>, count: &mut usize| {
        if *count > 0 {
            let mut seen_full: Vec<&str> = Vec::new();
            let mut seen_initials: Vec<&str> = Vec::new();
            for (full, initials) in variants.iter() {
                if !seen_full.contains(&full.as_str()) {
                    seen_full.push(full);
                    emit(full, false);
                }
                if *count >= 2 && !seen_initials.contains(&initials.as_str()) {
                    seen_initials.push(initials);
                    emit(initials, true);
                }
            }
        }
        variants.clear();
        variants.push((String::new(), String::new()));
        *count = 0;
    };
    for c in run.chars() {
        let all = readings(c);
        if all.is_empty() {
            flush(&mut variants, &mut count);
            continue;
        }
        let used = if variants.len() * all.len() <= MAX_VARIANTS {
            &all[..]
        } else {
            &all[..1]
        };
        let mut next = Vec::with_capacity(variants.len() * used.len());
        for (full, initials) in &variants {
            for reading in used {
                let mut full = full.clone();
                let mut initials = initials.clone();
                push_syllable(&mut full, reading);
                if let Some(first) = reading.chars().next() {
                    initials.push(if first == 'ü' { 'v' } else { first });
                }
                next.push((full, initials));
            }
        }
        variants = next;
        count += 1;
    }
    flush(&mut variants, &mut count);
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
        // The first readings come first (红 is also `gong`, as in 女红).
        assert_eq!(
            terms("红楼梦")[..2],
            [("hongloumeng".to_owned(), false), ("hlm".to_owned(), true)]
        );
        assert_eq!(
            terms("余华")[..2],
            [("yuhua".to_owned(), false), ("yh".to_owned(), true)]
        );
        assert_eq!(terms("三体")[0].0, "santi");
    }

    #[test]
    fn heteronyms_are_indexed_in_every_reading() {
        let t = terms("长恨歌");
        assert!(t.contains(&("changhenge".to_owned(), false)), "{t:?}");
        assert!(t.contains(&("zhanghenge".to_owned(), false)), "{t:?}");
        assert!(t.contains(&("chg".to_owned(), true)), "{t:?}");
        let t = terms("水浒传");
        assert!(t.contains(&("shuihuzhuan".to_owned(), false)), "{t:?}");
        assert!(t.contains(&("shz".to_owned(), true)), "{t:?}");
        assert!(terms("朝花夕拾").contains(&("zhaohuaxishi".to_owned(), false)));
        assert!(terms("废都").contains(&("feidu".to_owned(), false)));
        // Each term once, though readings differing in tone are several.
        let t = terms("和");
        let mut unique = t.clone();
        unique.dedup();
        assert_eq!(t.len(), unique.len(), "{t:?}");
    }

    #[test]
    fn a_run_of_many_heteronyms_is_capped() {
        let t = terms("长长长长长长长长长长");
        assert!(t.len() <= 2 * MAX_VARIANTS, "{}", t.len());
        // The first reading is always there.
        let first: String = std::iter::repeat_n(syllable('长').unwrap_or_default(), 10).collect();
        assert!(t.iter().any(|(term, _)| *term == first));
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
