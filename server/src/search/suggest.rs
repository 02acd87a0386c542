//! Suggestions for queries with few or no results.
//!
//! (a) When several terms match nothing together, suggest the query without
//! the terms that match nothing on their own. (b) For words, suggest the
//! closest indexed word or pinyin within edit distance 1 (short words) or 2,
//! scanning only dictionary entries with the same first letter and a close
//! length. Both are cheap: (a) reuses per-term results, (b) is bounded by
//! one letter's slice of the dictionaries.

use super::index::{SearchIndex, TermDict};
use super::query::{ParsedQuery, QueryTerm};
use super::text::Token;

/// Most suggestions returned.
const MAX_SUGGESTIONS: usize = 3;

/// Optimal-string-alignment distance (Levenshtein plus adjacent
/// transpositions), or `None` when it exceeds `limit`.
pub fn edit_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

/// The closest indexed word or pinyin to `word`, other than itself.
fn closest(index: &SearchIndex, word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let first = *chars.first()?;
    let limit = if chars.len() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, std::cmp::Reverse<usize>, String)> = None;
    let mut scan = |dict: &TermDict| {
        let mut buf = [0u8; 4];
        let range = dict.prefix_range(first.encode_utf8(&mut buf));
        for i in range {
            let term = dict.get(i);
            if term == word || term.len().abs_diff(word.len()) > limit * 4 {
                continue;
            }
            let cand: Vec<char> = term.chars().collect();
            if let Some(d) = edit_distance(&chars, &cand, limit) {
                let key = (
                    d,
                    std::cmp::Reverse(index.doc_freq(dict.term_id(i))),
                    term.to_owned(),
                );
                if best.as_ref().is_none_or(|b| key < *b) {
                    best = Some(key);
                }
            }
        }
    };
    scan(&index.words);
    scan(&index.pinyin);
    best.map(|b| b.2)
}

/// Whether a word is exactly an indexed word or pinyin term.
fn known_word(index: &SearchIndex, word: &str) -> bool {
    index.words.find(word).is_some()
        || index.pinyin.find(word).is_some()
        || index.initials.find(word).is_some()
}

fn join(terms: &[QueryTerm]) -> String {
    terms
        .iter()
        .map(QueryTerm::display)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Suggestions for a query with `total` results, given how many docs each
/// term matched on its own.
pub fn suggest(
    index: &SearchIndex,
    query: &ParsedQuery,
    per_term: &[usize],
    total: u64,
) -> Vec<String> {
    if total >= 3 || query.terms.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let push = |s: String, out: &mut Vec<String>| {
        if !s.is_empty() && s != query.display && !out.contains(&s) && out.len() < MAX_SUGGESTIONS {
            out.push(s);
        }
    };

    // (b) Spelling: replace words that are not in the dictionaries.
    let mut corrected = query.terms.clone();
    let mut changed = false;
    for (i, term) in query.terms.iter().enumerate() {
        if let Token::Word(word) = &term.token {
            let unmatched = per_term.get(i).copied().unwrap_or(0) == 0;
            if (unmatched || total > 0)
                && !known_word(index, word)
                && let Some(better) = closest(index, word)
            {
                corrected[i].token = Token::Word(better);
                changed = true;
            }
        }
    }
    if changed {
        push(join(&corrected), &mut out);
    }

    // (a) Drop the terms that match nothing.
    if total == 0 && query.terms.len() > 1 {
        let kept: Vec<QueryTerm> = query
            .terms
            .iter()
            .enumerate()
            .filter(|(i, _)| per_term.get(*i).copied().unwrap_or(0) > 0)
            .map(|(_, t)| t.clone())
            .collect();
        if !kept.is_empty() && kept.len() < query.terms.len() {
            push(join(&kept), &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str, limit: usize) -> Option<usize> {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        edit_distance(&a, &b, limit)
    }

    #[test]
    fn distances() {
        assert_eq!(d("pridd", "pride", 2), Some(1));
        assert_eq!(d("pirde", "pride", 2), Some(1));
        assert_eq!(d("hary", "harry", 1), Some(1));
        assert_eq!(d("abc", "xyz", 2), None);
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("hongloumen", "hongloumeng", 1), Some(1));
    }
}
