//! Query parsing and term evaluation.
//!
//! A query is cut at whitespace; each piece may start with `author:` (or
//! `au:`, `作者:`), which restricts it to authors; `author: 余华` (prefix
//! alone) restricts the next piece. Each piece is folded and tokenised into
//! terms; all terms must match (AND).
//!
//! - A CJK term of one character reads the unigram postings, of two the
//!   bigram postings; a longer one intersects its bigrams and verifies the
//!   exact run in the candidate's fields, so results equal a substring scan.
//! - A word matches indexed words exactly (or by prefix when it is the last
//!   term), full pinyin exactly or by prefix (three letters or more), and
//!   pinyin initials exactly.
//! - A query that is a valid ISBN (10 or 13, hyphens allowed) looks it up.

use super::index::{
    F_ALL, F_AUTHOR, F_PUBLISHER, F_SUBJECT, Postings, SearchIndex, WEIGHT, cjk_key,
};
use super::text::{self, Token};

/// Score factor of an exact term match; prefix matches score 1.
const EXACT: u32 = 2;
/// Bonus of a record whose whole title is the query.
pub const TITLE_BONUS: u32 = 200;

/// One term of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTerm {
    pub token: Token,
    /// Field bits the term may match in.
    pub fields: u8,
    /// Whether a word may match as a prefix of indexed words.
    pub prefix: bool,
}

impl QueryTerm {
    /// The term as written back into a suggested query.
    pub fn display(&self) -> String {
        if self.fields == F_AUTHOR {
            format!("author:{}", self.token.as_str())
        } else {
            self.token.as_str().to_owned()
        }
    }
}

/// A parsed query.
#[derive(Clone, Debug, Default)]
pub struct ParsedQuery {
    /// The query trimmed, with whitespace folded.
    pub display: String,
    pub terms: Vec<QueryTerm>,
    /// The ISBN-13 the query is, if it is one.
    pub isbn: Option<u64>,
    /// Hash of the folded query, to spot records whose title it is.
    pub title_hash: Option<u64>,
}

impl ParsedQuery {
    /// Whether the query asks for everything (no text at all).
    pub fn is_browse(&self) -> bool {
        self.display.is_empty()
    }
}

/// Strips an author prefix from a whitespace-separated piece.
fn author_prefix(piece: &str) -> Option<&str> {
    for prefix in ["author:", "au:", "作者:", "author：", "au：", "作者："] {
        if piece.len() >= prefix.len()
            && piece.is_char_boundary(prefix.len())
            && piece[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return Some(&piece[prefix.len()..]);
        }
    }
    None
}

/// Parses a raw query.
pub fn parse(q: &str) -> ParsedQuery {
    let display = text::collapse_whitespace(q);
    if display.is_empty() {
        return ParsedQuery::default();
    }
    if let Some(isbn) = yuelan_api::normalize_isbn(&display).and_then(|s| s.parse::<u64>().ok()) {
        return ParsedQuery {
            display,
            terms: Vec::new(),
            isbn: Some(isbn),
            title_hash: None,
        };
    }
    let mut terms = Vec::new();
    let mut pending_author = false;
    let mut any_author = false;
    for piece in display.split(' ') {
        let (rest, author) = match author_prefix(piece) {
            Some(rest) => (rest, true),
            None => (piece, pending_author),
        };
        if author && rest.is_empty() {
            pending_author = true;
            continue;
        }
        pending_author = false;
        any_author |= author;
        for token in text::tokenize(rest) {
            terms.push(QueryTerm {
                token,
                fields: if author { F_AUTHOR } else { F_ALL },
                prefix: false,
            });
        }
    }
    if let Some(last) = terms.last_mut()
        && matches!(last.token, Token::Word(_))
    {
        last.prefix = true;
    }
    let title_hash = (!any_author && !terms.is_empty()).then(|| {
        let folded: Vec<&str> = terms.iter().map(|t| t.token.as_str()).collect();
        text::text_hash(&folded.join(" "))
    });
    ParsedQuery {
        display,
        terms,
        isbn: None,
        title_hash,
    }
}

/// Docs matching something, sorted, with a score each.
#[derive(Clone, Debug, Default)]
pub struct Hits {
    pub docs: Vec<u32>,
    pub scores: Vec<u32>,
}

impl Hits {
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

fn from_postings(p: &Postings<'_>, fields: u8, factor: u32) -> Hits {
    let mut hits = Hits {
        docs: Vec::with_capacity(p.docs.len()),
        scores: Vec::with_capacity(p.docs.len()),
    };
    for (&doc, &mask) in p.docs.iter().zip(p.masks) {
        let w = u32::from(WEIGHT[(mask & fields) as usize]);
        if w > 0 {
            hits.docs.push(doc);
            hits.scores.push(w * factor);
        }
    }
    hits
}

/// The first index in `docs[from..]` whose value is at least `target`
/// (galloping search).
fn gallop(docs: &[u32], from: usize, target: u32) -> usize {
    let mut step = 1;
    let mut lo = from;
    let mut hi = from;
    while hi < docs.len() && docs[hi] < target {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    let hi = hi.min(docs.len());
    lo + docs[lo..hi].partition_point(|&d| d < target)
}

/// Intersects sorted doc lists, shortest first.
fn intersect_docs(mut lists: Vec<&[u32]>) -> Vec<u32> {
    lists.sort_by_key(|l| l.len());
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    let mut out = first.to_vec();
    for other in rest {
        let mut pos = 0;
        out.retain(|&d| {
            pos = gallop(other, pos, d);
            pos < other.len() && other[pos] == d
        });
        if out.is_empty() {
            break;
        }
    }
    out
}

/// Intersects scored hit lists, adding scores; shortest first.
pub fn intersect_hits(mut lists: Vec<Hits>) -> Hits {
    lists.sort_by_key(|h| h.len());
    let mut iter = lists.into_iter();
    let Some(mut acc) = iter.next() else {
        return Hits::default();
    };
    for other in iter {
        let mut pos = 0;
        let mut out = Hits::default();
        for (&doc, &score) in acc.docs.iter().zip(&acc.scores) {
            pos = gallop(&other.docs, pos, doc);
            if pos < other.docs.len() && other.docs[pos] == doc {
                out.docs.push(doc);
                out.scores.push(score + other.scores[pos]);
            }
        }
        acc = out;
        if acc.is_empty() {
            break;
        }
    }
    acc
}

/// Unions postings of several terms, keeping each doc's best score.
fn union(index: &SearchIndex, terms: &[(u32, u32)], fields: u8) -> Hits {
    match terms {
        [] => Hits::default(),
        [(term, factor)] => from_postings(&index.postings(*term), fields, *factor),
        _ => {
            let total: usize = terms.iter().map(|&(t, _)| index.doc_freq(t)).sum();
            if total > index.len() / 8 {
                // Dense: scatter into one score per doc.
                let mut dense = vec![0u32; index.len()];
                for &(term, factor) in terms {
                    let p = index.postings(term);
                    for (&doc, &mask) in p.docs.iter().zip(p.masks) {
                        let s = u32::from(WEIGHT[(mask & fields) as usize]) * factor;
                        let slot = &mut dense[doc as usize];
                        *slot = (*slot).max(s);
                    }
                }
                let mut hits = Hits::default();
                for (doc, &s) in dense.iter().enumerate() {
                    if s > 0 {
                        hits.docs.push(doc as u32);
                        hits.scores.push(s);
                    }
                }
                hits
            } else {
                let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(total);
                for &(term, factor) in terms {
                    let p = index.postings(term);
                    for (&doc, &mask) in p.docs.iter().zip(p.masks) {
                        let s = u32::from(WEIGHT[(mask & fields) as usize]) * factor;
                        if s > 0 {
                            pairs.push((doc, s));
                        }
                    }
                }
                pairs.sort_unstable();
                let mut hits = Hits::default();
                for (doc, s) in pairs {
                    if hits.docs.last() == Some(&doc) {
                        // Sorted by score too: the later one is the best.
                        if let Some(last) = hits.scores.last_mut() {
                            *last = s;
                        }
                    } else {
                        hits.docs.push(doc);
                        hits.scores.push(s);
                    }
                }
                hits
            }
        }
    }
}

/// The term ids a word matches, with their score factors.
pub fn word_terms(index: &SearchIndex, word: &str, prefix: bool) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut push_range = |dict: &super::index::TermDict, range: std::ops::Range<usize>| {
        for i in range {
            let factor = if dict.get(i) == word { EXACT } else { 1 };
            out.push((dict.term_id(i), factor));
        }
    };
    if prefix {
        push_range(&index.words, index.words.prefix_range(word));
    } else if let Some(i) = index.words.find(word) {
        push_range(&index.words, i..i + 1);
    }
    if word.chars().count() >= 3 {
        push_range(&index.pinyin, index.pinyin.prefix_range(word));
    } else if let Some(i) = index.pinyin.find(word) {
        push_range(&index.pinyin, i..i + 1);
    }
    if let Some(i) = index.initials.find(word) {
        push_range(&index.initials, i..i + 1);
    }
    out
}

/// The query's words run together, when it is two or more words of plain
/// letters (`hong lou meng`, `lu xun`): patrons often type pinyin a syllable
/// at a time, and the index holds the pinyin of a run as one term.
pub fn joined_pinyin(parsed: &ParsedQuery) -> Option<String> {
    if parsed.terms.len() < 2 {
        return None;
    }
    let mut joined = String::new();
    for term in &parsed.terms {
        match &term.token {
            Token::Word(w) if term.fields == F_ALL && w.bytes().all(|b| b.is_ascii_lowercase()) => {
                joined.push_str(w)
            }
            _ => return None,
        }
    }
    Some(joined)
}

/// The docs whose pinyin (full, by prefix, or initials exactly) is
/// `joined`; see [`joined_pinyin`].
pub fn eval_joined_pinyin(index: &SearchIndex, joined: &str) -> Hits {
    let mut terms = Vec::new();
    for i in index.pinyin.prefix_range(joined) {
        let factor = if index.pinyin.get(i) == joined {
            EXACT
        } else {
            1
        };
        terms.push((index.pinyin.term_id(i), factor));
    }
    if let Some(i) = index.initials.find(joined) {
        terms.push((index.initials.term_id(i), EXACT));
    }
    union(index, &terms, F_ALL)
}

/// The docs in either list, each with its better score.
pub fn union_hits(a: Hits, b: Hits) -> Hits {
    if b.is_empty() {
        return a;
    }
    if a.is_empty() {
        return b;
    }
    let mut out = Hits {
        docs: Vec::with_capacity(a.len() + b.len()),
        scores: Vec::with_capacity(a.len() + b.len()),
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (doc, score) = match (a.docs.get(i), b.docs.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                (x, a.scores[i - 1].max(b.scores[j - 1]))
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                (x, a.scores[i - 1])
            }
            (Some(&x), None) => {
                i += 1;
                (x, a.scores[i - 1])
            }
            (_, Some(&y)) => {
                j += 1;
                (y, b.scores[j - 1])
            }
            (None, None) => break,
        };
        out.docs.push(doc);
        out.scores.push(score);
    }
    out
}

/// The docs one term matches, with scores.
pub fn eval_term(index: &SearchIndex, term: &QueryTerm) -> Hits {
    match &term.token {
        Token::Word(word) => union(index, &word_terms(index, word, term.prefix), term.fields),
        Token::Cjk(run) => {
            let chars: Vec<char> = run.chars().collect();
            match chars.as_slice() {
                [] => Hits::default(),
                [c] => index
                    .cjk_postings(cjk_key(*c, None))
                    .map(|p| from_postings(&p, term.fields, EXACT))
                    .unwrap_or_default(),
                [a, b] => index
                    .cjk_postings(cjk_key(*a, Some(*b)))
                    .map(|p| from_postings(&p, term.fields, EXACT))
                    .unwrap_or_default(),
                _ => eval_long_run(index, run, &chars, term.fields),
            }
        }
    }
}

/// A CJK run of three characters or more: bigram intersection, then an
/// exact check of the run in each candidate's fields.
fn eval_long_run(index: &SearchIndex, run: &str, chars: &[char], fields: u8) -> Hits {
    let mut lists = Vec::with_capacity(chars.len() - 1);
    for pair in chars.windows(2) {
        match index.cjk_postings(cjk_key(pair[0], Some(pair[1]))) {
            Some(p) => lists.push(p.docs),
            None => return Hits::default(),
        }
    }
    let candidates = intersect_docs(lists);
    if candidates.is_empty() {
        return Hits::default();
    }
    let subject_hit: Vec<bool> = if fields & F_SUBJECT != 0 {
        index
            .subjects_folded
            .iter()
            .map(|s| s.contains(run))
            .collect()
    } else {
        Vec::new()
    };
    let publisher_hit: Vec<bool> = if fields & F_PUBLISHER != 0 {
        index
            .publishers_folded
            .iter()
            .map(|s| s.contains(run))
            .collect()
    } else {
        Vec::new()
    };
    let any_subject = subject_hit.iter().any(|&b| b);
    let mut hits = Hits::default();
    for doc in candidates {
        let mut mask = index.text_fields_containing(doc, run);
        if any_subject
            && index
                .doc_subjects(doc)
                .iter()
                .any(|&s| subject_hit[s as usize])
        {
            mask |= F_SUBJECT;
        }
        let publisher = index.publisher[doc as usize];
        if publisher_hit
            .get(publisher as usize)
            .copied()
            .unwrap_or(false)
        {
            mask |= F_PUBLISHER;
        }
        let w = u32::from(WEIGHT[(mask & fields) as usize]);
        if w > 0 {
            hits.docs.push(doc);
            hits.scores.push(w * EXACT);
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_keeps_every_doc_once_with_its_better_score() {
        let a = Hits {
            docs: vec![1, 3, 5],
            scores: vec![10, 30, 50],
        };
        let b = Hits {
            docs: vec![2, 3, 6],
            scores: vec![20, 99, 60],
        };
        let u = union_hits(a, b);
        assert_eq!(u.docs, [1, 2, 3, 5, 6]);
        assert_eq!(u.scores, [10, 20, 99, 50, 60]);
        assert_eq!(union_hits(Hits::default(), Hits::default()).len(), 0);
    }

    #[test]
    fn only_plain_words_are_joined_as_pinyin() {
        assert_eq!(
            joined_pinyin(&parse("Hong Lou Meng")).as_deref(),
            Some("hongloumeng")
        );
        assert_eq!(joined_pinyin(&parse("hongloumeng")), None, "one word");
        assert_eq!(joined_pinyin(&parse("hong 楼")), None, "not only letters");
        assert_eq!(
            joined_pinyin(&parse("author:lu xun")),
            None,
            "author-restricted"
        );
        assert_eq!(joined_pinyin(&parse("mp3 player")), None, "digits");
    }

    #[test]
    fn parses_terms_prefixes_and_author_restriction() {
        let q = parse("  三体   Liu ");
        assert_eq!(q.display, "三体 Liu");
        assert_eq!(q.terms.len(), 2);
        assert_eq!(q.terms[0].token, Token::Cjk("三体".into()));
        assert!(!q.terms[0].prefix);
        assert_eq!(q.terms[1].token, Token::Word("liu".into()));
        assert!(q.terms[1].prefix);

        let q = parse("author:余华 活着");
        assert_eq!(q.terms[0].fields, F_AUTHOR);
        assert_eq!(q.terms[1].fields, F_ALL);
        assert_eq!(q.title_hash, None);

        let q = parse("AU: yuhua");
        assert_eq!(q.terms.len(), 1);
        assert_eq!(q.terms[0].fields, F_AUTHOR);
        assert_eq!(q.terms[0].display(), "author:yuhua");
    }

    #[test]
    fn isbn_queries_are_recognised() {
        assert_eq!(parse("978-7-5063-6543-7").isbn, Some(9787506365437));
        assert_eq!(parse("7-5063-6543-x").isbn, Some(9787506365437));
        assert_eq!(parse("9787506365438").isbn, None);
    }

    #[test]
    fn hostile_strings_parse_to_plain_terms() {
        let q = parse("<script>alert(1)</script>");
        let words: Vec<&str> = q.terms.iter().map(|t| t.token.as_str()).collect();
        assert_eq!(words, ["script", "alert", "1", "script"]);
        assert!(parse("😀😀😀").terms.is_empty());
        assert!(!parse("😀😀😀").is_browse());
        assert!(parse(" \t ").is_browse());
    }

    #[test]
    fn gallop_finds_lower_bounds() {
        let d = [1, 3, 5, 7, 9, 11, 13];
        assert_eq!(gallop(&d, 0, 0), 0);
        assert_eq!(gallop(&d, 0, 6), 3);
        assert_eq!(gallop(&d, 2, 13), 6);
        assert_eq!(gallop(&d, 0, 14), 7);
        assert_eq!(intersect_docs(vec![&d, &[3, 4, 13]]), [3, 13]);
    }
}
