//! Text normalisation and tokenising, shared by indexing and querying.
//!
//! The folding is a hand-made subset of NFKC plus case folding: full-width
//! ASCII becomes ASCII, letters are lowercased, and punctuation (Latin and
//! Chinese alike), symbols and emoji become separators. Apostrophes vanish so
//! that `O'Brien` and `obrien` meet. Traditional characters are not mapped to
//! simplified ones.
//!
//! A folded text is a sequence of tokens: runs of CJK characters (Han, kana,
//! hangul), which the index cuts into unigrams and bigrams, and Latin-like
//! words (letters and digits of every other script), which it keeps whole.

/// One token of a folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// A run of CJK characters with no separator inside.
    Cjk(String),
    /// A lowercase word of letters and digits.
    Word(String),
}

impl Token {
    /// The token's text.
    pub fn as_str(&self) -> &str {
        match self {
            Token::Cjk(s) | Token::Word(s) => s,
        }
    }
}

/// What a character becomes after folding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    /// Removed without splitting the word around it (apostrophes).
    Skip,
    Separator,
}

/// Whether `c` is a Han ideograph (the characters that have pinyin).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF
        | 0x30000..=0x3134F
        | 0xF900..=0xFAFF
        | 0x3007)
}

/// Whether `c` is indexed by n-grams rather than as part of a word.
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC | 0xAC00..=0xD7A3)
}

/// Maps full-width ASCII and the ideographic space to their ASCII forms.
fn narrow(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else if matches!(c, '\'' | '\u{2019}' | '\u{02BC}') {
        Class::Skip
    } else {
        Class::Separator
    }
}

/// Calls `push` with each folded character and its class, in order.
/// Traditional Chinese is folded to simplified (紅樓夢 is 红楼梦), as in the
/// index, so that either script finds the other.
fn fold_chars(text: &str, mut push: impl FnMut(char, Class)) {
    let simplified;
    let text = if text.chars().any(|c| c as u32 >= 0x3400) {
        simplified = fast2s::convert(text);
        simplified.as_str()
    } else {
        text
    };
    for c in text.chars() {
        let c = narrow(c);
        let cl = class(c);
        if cl == Class::Word && !c.is_ascii() {
            for lower in c.to_lowercase() {
                push(lower, cl);
            }
        } else {
            push(c.to_ascii_lowercase(), cl);
        }
    }
}

/// Cuts a text into folded tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut current_class = Class::Separator;
    let flush = |current: &mut String, cl: Class, tokens: &mut Vec<Token>| {
        if current.is_empty() {
            return;
        }
        let s = std::mem::take(current);
        tokens.push(if cl == Class::Cjk {
            Token::Cjk(s)
        } else {
            Token::Word(s)
        });
    };
    fold_chars(text, |c, cl| match cl {
        Class::Skip => {}
        Class::Separator => flush(&mut current, current_class, &mut tokens),
        Class::Cjk | Class::Word => {
            if cl != current_class {
                flush(&mut current, current_class, &mut tokens);
                current_class = cl;
            }
            current.push(c);
        }
    });
    flush(&mut current, current_class, &mut tokens);
    tokens
}

/// The folded form of a text: its tokens joined by single spaces. Searching
/// a folded CJK run or word inside it is the same as searching the tokens.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for token in tokenize(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token.as_str());
    }
    out
}

/// Trims a query and folds every run of whitespace into one space.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A stable 64-bit hash of a folded text (FNV-1a), used to spot exact title
/// matches with integer comparisons only.
pub fn text_hash(folded: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in folded.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        tokenize(t).iter().map(|t| t.as_str().to_owned()).collect()
    }

    #[test]
    fn chinese_punctuation_separates_runs() {
        assert_eq!(words("《红楼梦》：脂评本"), ["红楼梦", "脂评本"]);
        assert_eq!(words("哈利·波特与魔法石"), ["哈利", "波特与魔法石"]);
        assert_eq!(
            words("你好，世界、再见「朋友」"),
            ["你好", "世界", "再见", "朋友"]
        );
    }

    #[test]
    fn full_width_ascii_is_narrowed_and_lowercased() {
        assert_eq!(words("ＨＡＲＲＹ　Ｐｏｔｔｅｒ１２"), ["harry", "potter12"]);
        assert_eq!(fold("Pride and Prejudice!"), "pride and prejudice");
    }

    #[test]
    fn scripts_split_into_tokens() {
        assert_eq!(
            tokenize("三体2 Liu"),
            [
                Token::Cjk("三体".into()),
                Token::Word("2".into()),
                Token::Word("liu".into())
            ]
        );
        assert_eq!(words("harry哈利"), ["harry", "哈利"]);
    }

    #[test]
    fn apostrophes_join_and_symbols_vanish() {
        assert_eq!(words("O'Brien’s"), ["obriens"]);
        assert_eq!(words("' OR 1=1 --"), ["or", "1", "1"]);
        assert_eq!(
            words("<script>alert(1)</script>"),
            ["script", "alert", "1", "script"]
        );
        assert!(words("😀😀 🎉").is_empty());
    }

    #[test]
    fn non_ascii_letters_lowercase() {
        assert_eq!(words("ÉMILE Zola café"), ["émile", "zola", "café"]);
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_whitespace("  三体 \t  liu  "), "三体 liu");
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(text_hash("活着"), text_hash(&fold("《活着》")));
        assert_ne!(text_hash("活着"), text_hash("活"));
    }
}
