//! Search within programmes, with the catalog's Chinese rules: the query
//! is folded and cut into tokens by [`crate::search::text`] (case, width,
//! traditional to simplified); a CJK token of any length (one or two
//! characters too) matches where it is a substring of a field's folded
//! text; a Latin word matches a word of the fields exactly (by prefix when
//! it is the query's last word), the full toneless pinyin of a run of Han
//! characters exactly or by prefix (three letters or more), or its
//! initials (`lfs` for 罗浮山) exactly, in every reading of its heteronyms
//! ([`crate::search::pinyin`]). Every token must match.
//!
//! There are tens of programmes, not a million records, so a search scans
//! them all; each programme's folded text and pinyin are computed once per
//! request.

use crate::search::pinyin;
use crate::search::text::{self, Token};

/// The searchable text of one part of a programme (its title, or the rest).
#[derive(Clone, Debug, Default)]
pub struct Doc {
    /// The folded text, tokens joined by spaces.
    folded: String,
    /// Latin words.
    words: Vec<String>,
    /// Full pinyin of every Han run, every spelling.
    full: Vec<String>,
    /// Initials of every Han run of two or more characters.
    initials: Vec<String>,
}

impl Doc {
    /// The searchable text of some texts.
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Doc {
        let mut doc = Doc::default();
        for t in texts {
            for token in text::tokenize(t) {
                if !doc.folded.is_empty() {
                    doc.folded.push(' ');
                }
                doc.folded.push_str(token.as_str());
                match token {
                    Token::Word(w) => doc.words.push(w),
                    Token::Cjk(run) => pinyin::run_terms(&run, |term, initials| {
                        if initials {
                            doc.initials.push(term.to_owned());
                        } else {
                            doc.full.push(term.to_owned());
                        }
                    }),
                }
            }
        }
        doc
    }

    /// Whether one query token matches.
    fn matches(&self, token: &Token, last: bool) -> bool {
        match token {
            Token::Cjk(run) => self.folded.contains(run.as_str()),
            Token::Word(w) => {
                let prefix = |s: &String| s.starts_with(w.as_str());
                self.words.iter().any(|x| x == w || (last && prefix(x)))
                    || self
                        .full
                        .iter()
                        .any(|x| x == w || (w.len() >= 3 && prefix(x)))
                    || self.initials.iter().any(|x| x == w)
            }
        }
    }
}

/// A parsed query: its folded tokens.
#[derive(Clone, Debug, Default)]
pub struct Query {
    tokens: Vec<Token>,
}

impl Query {
    pub fn parse(q: &str) -> Query {
        Query {
            tokens: text::tokenize(q),
        }
    }

    /// Whether the query has no text (everything matches).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The score of a programme (its title's text and the rest's), `None`
    /// when some token matches neither: a token matching the title counts
    /// 2, the rest 1.
    pub fn score(&self, title: &Doc, rest: &Doc) -> Option<u32> {
        let mut score = 0;
        let n = self.tokens.len();
        for (i, token) in self.tokens.iter().enumerate() {
            let last = i + 1 == n;
            if title.matches(token, last) {
                score += 2;
            } else if rest.matches(token, last) {
                score += 1;
            } else {
                return None;
            }
        }
        Some(score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(q: &str, title: &str, rest: &str) -> Option<u32> {
        Query::parse(q).score(&Doc::new([title]), &Doc::new([rest]))
    }

    #[test]
    fn short_chinese_queries_are_substrings() {
        assert_eq!(hit("粤", "《帝女花·香夭》", "粤剧"), Some(1));
        assert_eq!(hit("粤剧", "粤剧入门：唱念做打", ""), Some(2));
        assert_eq!(hit("帝女", "《帝女花·香夭》", ""), Some(2));
        assert_eq!(hit("女帝", "《帝女花·香夭》", ""), None);
        // Traditional characters fold to simplified ones.
        assert_eq!(hit("羅浮", "罗浮山：岭南第一山", ""), Some(2));
    }

    #[test]
    fn pinyin_and_initials_match() {
        assert_eq!(hit("luofushan", "罗浮山：岭南第一山", ""), Some(2));
        assert_eq!(hit("lfs", "罗浮山", ""), Some(2));
        assert_eq!(
            hit("luofu", "罗浮山讲堂", ""),
            Some(2),
            "a prefix of three letters or more"
        );
        assert_eq!(hit("yueju", "", "粤剧 Cantonese opera"), Some(1));
        assert_eq!(hit("yj", "", "粤剧"), Some(1));
        assert_eq!(hit("zz", "罗浮山", ""), None);
    }

    #[test]
    fn latin_words_match_whole_or_as_the_last_prefix() {
        assert_eq!(hit("cantonese op", "", "Cantonese opera"), Some(2));
        assert_eq!(hit("canto opera", "", "Cantonese opera"), None);
        assert_eq!(hit("OPERA", "Cantonese Opera 101", ""), Some(2));
    }

    #[test]
    fn every_token_must_match() {
        assert_eq!(hit("粤剧 罗浮", "粤剧入门", "罗浮山"), Some(3));
        assert_eq!(hit("粤剧 钢琴", "粤剧入门", "罗浮山"), None);
        assert!(Query::parse("  ").is_empty());
    }
}
