//! The in-memory index: term dictionaries, postings and per-record arrays.
//!
//! Layout, chosen so that a request does integer work only:
//! - CJK unigrams and bigrams live in a hash map keyed by the code points
//!   (`first << 32 | second`, `second = 0` for a unigram).
//! - Latin words, full pinyin and pinyin initials live in three sorted
//!   dictionaries (one string arena each), so a prefix is a binary-searched
//!   range.
//! - Postings of every term are slices of two flat arrays: sorted record
//!   numbers ("docs", dense `u32`) and a parallel byte of field bits saying in
//!   which fields the term occurs. A posting's weight is the weight of its
//!   best field.
//! - Per doc, packed in one 32-byte [`DocMeta`] so that the pass over the
//!   matches reads one cache line per two docs: year, format, language,
//!   decade, title rank (for the title sort), where its subject ids start,
//!   and the library bitsets of holdings and of copies on the shelf. The
//!   bitsets are atomics, so availability changes without a rebuild.
//! - Beside them: subject ids (one flat array), publisher ids, and a sorted
//!   table of title hashes that finds the records whose whole title is the
//!   query without touching the others.
//! - Per doc, the folded title, subtitle, series and authors, used only to
//!   verify CJK queries of three characters or more.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use yuelan_api::{Format, ItemStatus, LocalizedText};

use super::pinyin;
use super::text::{self, Token};

/// Field bit: the title.
pub const F_TITLE: u8 = 1;
/// Field bit: the subtitle.
pub const F_SUBTITLE: u8 = 1 << 1;
/// Field bit: the series.
pub const F_SERIES: u8 = 1 << 2;
/// Field bit: an author.
pub const F_AUTHOR: u8 = 1 << 3;
/// Field bit: a subject.
pub const F_SUBJECT: u8 = 1 << 4;
/// Field bit: the publisher.
pub const F_PUBLISHER: u8 = 1 << 5;
/// Every field.
pub const F_ALL: u8 = 0x3F;

/// Weights of the fields, in bit order.
const FIELD_WEIGHTS: [u16; 6] = [10, 7, 6, 5, 3, 1];

const fn weight_table() -> [u16; 64] {
    let mut table = [0u16; 64];
    let mut mask = 0;
    while mask < 64 {
        let mut best = 0;
        let mut bit = 0;
        while bit < 6 {
            if mask & (1 << bit) != 0 && FIELD_WEIGHTS[bit] > best {
                best = FIELD_WEIGHTS[bit];
            }
            bit += 1;
        }
        table[mask] = best;
        mask += 1;
    }
    table
}

/// The weight of a posting: the weight of its best field.
pub static WEIGHT: [u16; 64] = weight_table();

/// "No value" in the per-doc `u16`/`u32` arrays.
pub const NONE16: u16 = u16::MAX;
pub const NONE32: u32 = u32::MAX;

/// Separates the sections of a doc's stored text.
const SECTION: char = '\u{1}';
/// Separates the authors inside their section.
const AUTHOR_SEP: char = '\u{2}';

/// A fast, non-cryptographic hasher (the Fx hash of rustc) for keys that
/// no outsider chooses adversarially at scale: index terms.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(buf));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Hash maps keyed by index terms.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The key of a CJK unigram or bigram.
#[inline]
pub fn cjk_key(first: char, second: Option<char>) -> u64 {
    (u64::from(first as u32) << 32) | u64::from(second.map_or(0, |c| c as u32))
}

/// A library as the index knows it: its bit is its position in the list.
#[derive(Clone, Debug)]
pub struct IndexLibrary {
    pub id: String,
    pub name: LocalizedText,
}

/// One record, as given to the index.
pub struct DocInput<'a> {
    pub record_id: i64,
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub series: Option<&'a str>,
    pub authors: &'a [String],
    pub subjects: &'a [String],
    pub publisher: Option<&'a str>,
    pub year: Option<i32>,
    pub isbn: Option<&'a str>,
    pub format: Format,
    pub language: &'a str,
}

/// A sorted dictionary of string terms in one arena.
#[derive(Default)]
pub struct TermDict {
    arena: String,
    /// Start of term `i` in the arena; one more entry than terms.
    starts: Vec<u32>,
    /// Term id of the first entry; entries have consecutive ids.
    first_term: u32,
}

impl TermDict {
    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The text of entry `i`.
    pub fn get(&self, i: usize) -> &str {
        &self.arena[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The term id of entry `i`.
    pub fn term_id(&self, i: usize) -> u32 {
        self.first_term + i as u32
    }

    fn lower_bound(&self, key: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The entry equal to `key`.
    pub fn find(&self, key: &str) -> Option<usize> {
        let i = self.lower_bound(key);
        (i < self.len() && self.get(i) == key).then_some(i)
    }

    /// The range of entries starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let lo = self.lower_bound(prefix);
        let (mut a, mut b) = (lo, self.len());
        while a < b {
            let mid = (a + b) / 2;
            if self.get(mid).starts_with(prefix) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        lo..a
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        (0..self.len()).map(move |i| (i, self.get(i)))
    }
}

/// The values of one doc that a search reads for every match.
#[repr(C)]
pub struct DocMeta {
    /// Bit `i`: library `i` holds a copy.
    pub hold: AtomicU64,
    /// Bit `i`: library `i` has a copy on the shelf.
    pub avail: AtomicU64,
    /// Start of the doc's subject ids in the flat array.
    pub subj_start: u32,
    /// Position in the title order.
    pub title_rank: u32,
    /// Publication year; 0 when unknown.
    pub year: u16,
    /// Decade id; [`NONE16`] when the year is unknown.
    pub decade: u16,
    /// Number of subject ids.
    pub subj_len: u16,
    /// Format code (see [`format_code`]).
    pub format: u8,
    /// Language id.
    pub language: u8,
}

/// The index. Immutable after building, except the availability bitsets.
pub struct SearchIndex {
    pub(crate) cjk: FxMap<u64, u32>,
    pub(crate) words: TermDict,
    pub(crate) pinyin: TermDict,
    pub(crate) initials: TermDict,
    post_starts: Vec<usize>,
    post_docs: Vec<u32>,
    post_masks: Vec<u8>,

    pub(crate) record_ids: Vec<i64>,
    pub(crate) meta: Vec<DocMeta>,
    /// `(title hash, doc)`, sorted.
    title_hashes: Vec<(u64, u32)>,
    pub(crate) subj_ids: Vec<u32>,
    pub(crate) publisher: Vec<u32>,
    text_starts: Vec<u32>,
    text: String,
    isbn: Vec<(u64, u32)>,

    /// Subject values as catalogued, by subject id.
    pub(crate) subjects: Vec<String>,
    pub(crate) subjects_folded: Vec<String>,
    pub(crate) subject_lookup: HashMap<String, u32>,
    pub(crate) publishers_folded: Vec<String>,
    pub(crate) languages: Vec<String>,
    /// First year of each decade, by decade id, newest first.
    pub(crate) decades: Vec<u16>,
    pub(crate) libraries: Vec<IndexLibrary>,
}

/// Figures about an index, for logs and measurements.
#[derive(Clone, Copy, Debug)]
pub struct IndexStats {
    pub docs: usize,
    pub terms: usize,
    pub postings: usize,
    /// Approximate heap bytes held by the index.
    pub bytes: usize,
}

/// A posting list: docs and their field bits.
pub struct Postings<'a> {
    pub docs: &'a [u32],
    pub masks: &'a [u8],
}

impl SearchIndex {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.record_ids.len()
    }

    /// Whether the index holds no record.
    pub fn is_empty(&self) -> bool {
        self.record_ids.is_empty()
    }

    /// The postings of a term id.
    pub fn postings(&self, term: u32) -> Postings<'_> {
        let t = term as usize;
        let (a, b) = (self.post_starts[t], self.post_starts[t + 1]);
        Postings {
            docs: &self.post_docs[a..b],
            masks: &self.post_masks[a..b],
        }
    }

    /// The postings of a CJK unigram or bigram.
    pub fn cjk_postings(&self, key: u64) -> Option<Postings<'_>> {
        self.cjk.get(&key).map(|&t| self.postings(t))
    }

    /// Number of docs a term occurs in.
    pub fn doc_freq(&self, term: u32) -> usize {
        let t = term as usize;
        self.post_starts[t + 1] - self.post_starts[t]
    }

    /// Subject ids of a doc.
    pub fn doc_subjects(&self, doc: u32) -> &[u32] {
        self.subjects_of(&self.meta[doc as usize])
    }

    /// Subject ids of a doc, from its meta.
    #[inline]
    pub fn subjects_of(&self, m: &DocMeta) -> &[u32] {
        let start = m.subj_start as usize;
        &self.subj_ids[start..start + m.subj_len as usize]
    }

    /// Docs whose folded title hashes to `hash`, sorted.
    pub fn docs_titled(&self, hash: u64) -> &[(u64, u32)] {
        let start = self.title_hashes.partition_point(|&(h, _)| h < hash);
        let len = self.title_hashes[start..].partition_point(|&(h, _)| h == hash);
        &self.title_hashes[start..start + len]
    }

    /// The folded title, subtitle, series and authors of a doc.
    fn doc_text(&self, doc: u32) -> &str {
        let d = doc as usize;
        &self.text[self.text_starts[d] as usize..self.text_starts[d + 1] as usize]
    }

    /// In which of title, subtitle, series and authors a folded CJK run or
    /// word occurs, as field bits.
    pub fn text_fields_containing(&self, doc: u32, needle: &str) -> u8 {
        let mut mask = 0;
        for (i, section) in self.doc_text(doc).split(SECTION).enumerate() {
            if section.contains(needle) {
                mask |= match i {
                    0 => F_TITLE,
                    1 => F_SUBTITLE,
                    2 => F_SERIES,
                    _ => F_AUTHOR,
                };
            }
        }
        mask
    }

    /// Docs whose ISBN-13 is `isbn`.
    pub fn isbn_docs(&self, isbn: u64) -> Vec<u32> {
        let start = self.isbn.partition_point(|&(k, _)| k < isbn);
        self.isbn[start..]
            .iter()
            .take_while(|&&(k, _)| k == isbn)
            .map(|&(_, d)| d)
            .collect()
    }

    /// The doc of a record id.
    pub fn doc_of(&self, record_id: i64) -> Option<u32> {
        self.record_ids
            .binary_search(&record_id)
            .ok()
            .map(|d| d as u32)
    }

    /// The bit of a library id.
    pub fn library_bit(&self, id: &str) -> Option<u32> {
        self.libraries
            .iter()
            .position(|l| l.id == id)
            .map(|p| p as u32)
    }

    /// Replaces the holding and on-shelf library sets of one record; used
    /// after loans, returns and holds change its copies.
    pub fn set_availability(&self, record_id: i64, items: &[(String, ItemStatus)]) -> bool {
        let Some(doc) = self.doc_of(record_id) else {
            return false;
        };
        let (hold, avail) =
            library_bits(&self.libraries, items.iter().map(|(l, s)| (l.as_str(), *s)));
        let m = &self.meta[doc as usize];
        m.hold.store(hold, Ordering::Relaxed);
        m.avail.store(avail, Ordering::Relaxed);
        true
    }

    /// Figures about this index.
    pub fn stats(&self) -> IndexStats {
        let dict = |d: &TermDict| d.arena.capacity() + d.starts.capacity() * 4;
        let n = self.len();
        let bytes = self.cjk.capacity() * 16
            + dict(&self.words)
            + dict(&self.pinyin)
            + dict(&self.initials)
            + self.post_starts.capacity() * 8
            + self.post_docs.capacity() * 4
            + self.post_masks.capacity()
            + n * (std::mem::size_of::<DocMeta>() + 8 + 12 + 4 + 4)
            + self.subj_ids.capacity() * 4
            + self.text.capacity()
            + self.isbn.capacity() * 16;
        IndexStats {
            docs: n,
            terms: self.post_starts.len().saturating_sub(1),
            postings: self.post_docs.len(),
            bytes,
        }
    }
}

/// The holding and on-shelf bitsets of a record's copies.
fn library_bits<'a>(
    libraries: &[IndexLibrary],
    items: impl Iterator<Item = (&'a str, ItemStatus)>,
) -> (u64, u64) {
    let (mut hold, mut avail) = (0u64, 0u64);
    for (lib, status) in items {
        if let Some(bit) = libraries.iter().position(|l| l.id == lib) {
            hold |= 1 << bit;
            if status == ItemStatus::OnShelf {
                avail |= 1 << bit;
            }
        }
    }
    (hold, avail)
}

/// The code of a format in the per-doc array.
pub fn format_code(f: Format) -> u8 {
    match f {
        Format::Book => 0,
        Format::Audiobook => 1,
        Format::Dvd => 2,
        Format::Magazine => 3,
        Format::Unknown => 4,
    }
}

/// The format of a code.
pub fn format_of_code(code: u8) -> Format {
    match code {
        0 => Format::Book,
        1 => Format::Audiobook,
        2 => Format::Dvd,
        3 => Format::Magazine,
        _ => Format::Unknown,
    }
}

/// Errors of building an index.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the index supports at most 64 libraries, got {0}")]
    TooManyLibraries(usize),
    #[error("records must be added in increasing id order ({0} after {1})")]
    OutOfOrder(i64, i64),
}

/// Builds a [`SearchIndex`] from records given in increasing id order.
pub struct IndexBuilder {
    libraries: Vec<IndexLibrary>,
    library_lookup: HashMap<String, u32>,
    cjk: FxMap<u64, u32>,
    words: FxMap<Box<str>, u32>,
    pinyin: FxMap<Box<str>, u32>,
    initials: FxMap<Box<str>, u32>,
    postings: Vec<(Vec<u32>, Vec<u8>)>,
    scratch: Vec<(u32, u8)>,

    record_ids: Vec<i64>,
    year: Vec<u16>,
    format: Vec<u8>,
    language: Vec<u8>,
    decade_year: Vec<u16>,
    title_keys: Vec<(Box<str>, Box<str>)>,
    title_hash: Vec<u64>,
    hold: Vec<u64>,
    avail: Vec<u64>,
    subj_starts: Vec<u32>,
    pub(crate) subj_ids: Vec<u32>,
    publisher: Vec<u32>,
    text_starts: Vec<u32>,
    text: String,
    isbn: Vec<(u64, u32)>,

    subjects: Vec<String>,
    subject_lookup: HashMap<String, u32>,
    publishers_folded: Vec<String>,
    publisher_lookup: HashMap<String, u32>,
    languages: Vec<String>,
}

fn intern(
    map: &mut FxMap<Box<str>, u32>,
    postings: &mut Vec<(Vec<u32>, Vec<u8>)>,
    key: &str,
) -> u32 {
    if let Some(&id) = map.get(key) {
        return id;
    }
    let id = postings.len() as u32;
    postings.push((Vec::new(), Vec::new()));
    map.insert(key.into(), id);
    id
}

impl IndexBuilder {
    /// Starts an index over these libraries (at most 64; their order is
    /// the network order used in facets).
    pub fn new(libraries: Vec<IndexLibrary>) -> Result<Self, BuildError> {
        if libraries.len() > 64 {
            return Err(BuildError::TooManyLibraries(libraries.len()));
        }
        let library_lookup = libraries
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i as u32))
            .collect();
        Ok(Self {
            libraries,
            library_lookup,
            cjk: FxMap::default(),
            words: FxMap::default(),
            pinyin: FxMap::default(),
            initials: FxMap::default(),
            postings: Vec::new(),
            scratch: Vec::new(),
            record_ids: Vec::new(),
            year: Vec::new(),
            format: Vec::new(),
            language: Vec::new(),
            decade_year: Vec::new(),
            title_keys: Vec::new(),
            title_hash: Vec::new(),
            hold: Vec::new(),
            avail: Vec::new(),
            subj_starts: vec![0],
            subj_ids: Vec::new(),
            publisher: Vec::new(),
            text_starts: vec![0],
            text: String::new(),
            isbn: Vec::new(),
            subjects: Vec::new(),
            subject_lookup: HashMap::new(),
            publishers_folded: Vec::new(),
            publisher_lookup: HashMap::new(),
            languages: Vec::new(),
        })
    }

    /// Reserves room for about `n` records.
    pub fn reserve(&mut self, n: usize) {
        self.record_ids.reserve(n);
        self.year.reserve(n);
        self.format.reserve(n);
        self.language.reserve(n);
        self.decade_year.reserve(n);
        self.title_keys.reserve(n);
        self.title_hash.reserve(n);
        self.hold.reserve(n);
        self.avail.reserve(n);
        self.subj_starts.reserve(n);
        self.publisher.reserve(n);
        self.text_starts.reserve(n);
    }

    /// Adds the terms of one field value to the scratch list.
    fn add_field(&mut self, value: &str, mask: u8, with_pinyin: bool, folded: &mut String) {
        let start = folded.len();
        for token in text::tokenize(value) {
            if folded.len() > start {
                folded.push(' ');
            }
            folded.push_str(token.as_str());
            match token {
                Token::Cjk(run) => {
                    let mut prev: Option<char> = None;
                    for c in run.chars() {
                        for key in [Some(cjk_key(c, None)), prev.map(|p| cjk_key(p, Some(c)))]
                            .into_iter()
                            .flatten()
                        {
                            let next = self.postings.len() as u32;
                            let id = *self.cjk.entry(key).or_insert(next);
                            if id == next {
                                self.postings.push((Vec::new(), Vec::new()));
                            }
                            self.scratch.push((id, mask));
                        }
                        prev = Some(c);
                    }
                    if with_pinyin {
                        let (pinyin, initials, postings, scratch) = (
                            &mut self.pinyin,
                            &mut self.initials,
                            &mut self.postings,
                            &mut self.scratch,
                        );
                        pinyin::run_terms(&run, |term, is_initials| {
                            let map = if is_initials {
                                &mut *initials
                            } else {
                                &mut *pinyin
                            };
                            let id = intern(map, postings, term);
                            scratch.push((id, mask));
                        });
                    }
                }
                Token::Word(word) => {
                    let id = intern(&mut self.words, &mut self.postings, &word);
                    self.scratch.push((id, mask));
                }
            }
        }
    }

    /// Adds a record. Records must come in increasing id order.
    pub fn add(&mut self, doc_in: &DocInput<'_>) -> Result<(), BuildError> {
        if let Some(&last) = self.record_ids.last()
            && doc_in.record_id <= last
        {
            return Err(BuildError::OutOfOrder(doc_in.record_id, last));
        }
        let doc = self.record_ids.len() as u32;
        self.scratch.clear();

        // Title, subtitle, series and authors, with their folded text.
        let mut folded = std::mem::take(&mut self.text);
        let text_start = folded.len();
        self.add_field(doc_in.title, F_TITLE, true, &mut folded);
        let folded_title = folded[text_start..].to_owned();
        folded.push(SECTION);
        if let Some(s) = doc_in.subtitle {
            self.add_field(s, F_SUBTITLE, false, &mut folded);
        }
        folded.push(SECTION);
        if let Some(s) = doc_in.series {
            self.add_field(s, F_SERIES, true, &mut folded);
        }
        folded.push(SECTION);
        for (i, author) in doc_in.authors.iter().enumerate() {
            if i > 0 {
                folded.push(AUTHOR_SEP);
            }
            self.add_field(author, F_AUTHOR, true, &mut folded);
        }
        self.text = folded;
        self.text_starts.push(self.text.len() as u32);

        // Subjects and publisher: terms plus dictionary ids.
        let mut scratch_text = String::new();
        for subject in doc_in.subjects {
            let id = match self.subject_lookup.get(subject.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.subjects.len() as u32;
                    self.subjects.push(subject.clone());
                    self.subject_lookup.insert(subject.clone(), id);
                    id
                }
            };
            let own = &self.subj_ids[self.subj_starts[doc as usize] as usize..];
            if own.len() < usize::from(u16::MAX) && !own.contains(&id) {
                self.subj_ids.push(id);
            }
            scratch_text.clear();
            self.add_field(subject, F_SUBJECT, false, &mut scratch_text);
        }
        self.subj_starts.push(self.subj_ids.len() as u32);
        let publisher = match doc_in.publisher.filter(|p| !p.trim().is_empty()) {
            Some(p) => {
                scratch_text.clear();
                self.add_field(p, F_PUBLISHER, false, &mut scratch_text);
                match self.publisher_lookup.get(p) {
                    Some(&id) => id,
                    None => {
                        let id = self.publishers_folded.len() as u32;
                        self.publishers_folded.push(text::fold(p));
                        self.publisher_lookup.insert(p.to_owned(), id);
                        id
                    }
                }
            }
            None => NONE32,
        };
        self.publisher.push(publisher);

        // Merge the scratch terms into postings, one posting per term.
        self.scratch.sort_unstable_by_key(|&(t, _)| t);
        let mut i = 0;
        while i < self.scratch.len() {
            let (term, mut mask) = self.scratch[i];
            let mut j = i + 1;
            while j < self.scratch.len() && self.scratch[j].0 == term {
                mask |= self.scratch[j].1;
                j += 1;
            }
            let (docs, masks) = &mut self.postings[term as usize];
            docs.push(doc);
            masks.push(mask);
            i = j;
        }

        // Per-doc values.
        self.record_ids.push(doc_in.record_id);
        let year = doc_in.year.filter(|y| (0..=9999).contains(y));
        self.year.push(year.map_or(0, |y| y as u16));
        self.decade_year
            .push(year.map_or(NONE16, |y| (y - y % 10) as u16));
        self.format.push(format_code(doc_in.format));
        let lang = match self.languages.iter().position(|l| l == doc_in.language) {
            Some(p) => p,
            None => {
                self.languages.push(doc_in.language.to_owned());
                self.languages.len() - 1
            }
        };
        self.language.push(lang.min(255) as u8);
        self.title_hash.push(text::text_hash(&folded_title));
        self.title_keys
            .push((pinyin::sort_key(&folded_title).into(), folded_title.into()));
        self.hold.push(0);
        self.avail.push(0);
        if let Some(isbn) = doc_in.isbn.and_then(yuelan_api::normalize_isbn)
            && let Ok(n) = isbn.parse::<u64>()
        {
            self.isbn.push((n, doc));
        }
        Ok(())
    }

    /// Records one copy of a record; copies of unknown records or libraries
    /// are ignored.
    pub fn add_item(&mut self, record_id: i64, library_id: &str, status: ItemStatus) {
        let Ok(doc) = self.record_ids.binary_search(&record_id) else {
            return;
        };
        let Some(&bit) = self.library_lookup.get(library_id) else {
            return;
        };
        self.hold[doc] |= 1 << bit;
        if status == ItemStatus::OnShelf {
            self.avail[doc] |= 1 << bit;
        }
    }

    /// Sorts the dictionaries and flattens the postings.
    pub fn finish(self) -> SearchIndex {
        let Self {
            libraries,
            cjk,
            words,
            pinyin,
            initials,
            mut postings,
            record_ids,
            year,
            format,
            language,
            decade_year,
            title_keys,
            title_hash,
            hold,
            avail,
            subj_starts,
            subj_ids,
            publisher,
            text_starts,
            text,
            mut isbn,
            subjects,
            subject_lookup,
            publishers_folded,
            languages,
            ..
        } = self;

        // New term ids: CJK terms first, then each sorted dictionary.
        let mut order: Vec<u32> = Vec::with_capacity(postings.len());
        let mut cjk_final = FxMap::with_capacity_and_hasher(cjk.len(), Default::default());
        for (key, old) in cjk {
            cjk_final.insert(key, order.len() as u32);
            order.push(old);
        }
        let make_dict = |map: FxMap<Box<str>, u32>, order: &mut Vec<u32>| {
            let mut entries: Vec<(Box<str>, u32)> = map.into_iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut dict = TermDict {
                arena: String::with_capacity(entries.iter().map(|e| e.0.len()).sum()),
                starts: Vec::with_capacity(entries.len() + 1),
                first_term: order.len() as u32,
            };
            dict.starts.push(0);
            for (term, old) in entries {
                dict.arena.push_str(&term);
                dict.starts.push(dict.arena.len() as u32);
                order.push(old);
            }
            dict
        };
        let words = make_dict(words, &mut order);
        let pinyin = make_dict(pinyin, &mut order);
        let initials = make_dict(initials, &mut order);

        let total: usize = postings.iter().map(|p| p.0.len()).sum();
        let mut post_starts = Vec::with_capacity(order.len() + 1);
        let mut post_docs = Vec::with_capacity(total);
        let mut post_masks = Vec::with_capacity(total);
        post_starts.push(0);
        for old in order {
            let (docs, masks) = std::mem::take(&mut postings[old as usize]);
            post_docs.extend_from_slice(&docs);
            post_masks.extend_from_slice(&masks);
            post_starts.push(post_docs.len());
        }
        drop(postings);

        // Title ranks: by pinyin key, then folded title, then doc.
        let mut by_title: Vec<u32> = (0..record_ids.len() as u32).collect();
        by_title.sort_unstable_by(|&a, &b| {
            let (ka, kb) = (&title_keys[a as usize], &title_keys[b as usize]);
            ka.0.cmp(&kb.0)
                .then_with(|| ka.1.cmp(&kb.1))
                .then(a.cmp(&b))
        });
        drop(title_keys);
        let mut title_rank = vec![0u32; record_ids.len()];
        for (rank, doc) in by_title.into_iter().enumerate() {
            title_rank[doc as usize] = rank as u32;
        }

        // Decade ids, newest first.
        let mut decades: Vec<u16> = decade_year
            .iter()
            .copied()
            .filter(|&d| d != NONE16)
            .collect();
        decades.sort_unstable_by(|a, b| b.cmp(a));
        decades.dedup();
        let decade: Vec<u16> = decade_year
            .iter()
            .map(|&d| {
                if d == NONE16 {
                    NONE16
                } else {
                    decades
                        .iter()
                        .position(|&x| x == d)
                        .map_or(NONE16, |p| p as u16)
                }
            })
            .collect();

        isbn.sort_unstable();
        let subjects_folded = subjects.iter().map(|s| text::fold(s)).collect();
        let mut title_hashes: Vec<(u64, u32)> = title_hash
            .into_iter()
            .enumerate()
            .map(|(d, h)| (h, d as u32))
            .collect();
        title_hashes.sort_unstable();
        let meta = (0..record_ids.len())
            .map(|d| DocMeta {
                hold: AtomicU64::new(hold[d]),
                avail: AtomicU64::new(avail[d]),
                subj_start: subj_starts[d],
                title_rank: title_rank[d],
                year: year[d],
                decade: decade[d],
                subj_len: (subj_starts[d + 1] - subj_starts[d]) as u16,
                format: format[d],
                language: language[d],
            })
            .collect();

        SearchIndex {
            cjk: cjk_final,
            words,
            pinyin,
            initials,
            post_starts,
            post_docs,
            post_masks,
            record_ids,
            meta,
            title_hashes,
            subj_ids,
            publisher,
            text_starts,
            text,
            isbn,
            subjects,
            subjects_folded,
            subject_lookup,
            publishers_folded,
            languages,
            decades,
            libraries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        let libs = vec![
            IndexLibrary {
                id: "county".into(),
                name: LocalizedText::new("县馆", "County"),
            },
            IndexLibrary {
                id: "br-a".into(),
                name: LocalizedText::new("甲分馆", "Branch A"),
            },
        ];
        let mut b = IndexBuilder::new(libs).unwrap();
        let authors = vec!["曹雪芹".to_owned()];
        let subjects = vec!["古典小说".to_owned()];
        b.add(&DocInput {
            record_id: 7,
            title: "红楼梦",
            subtitle: None,
            series: None,
            authors: &authors,
            subjects: &subjects,
            publisher: Some("人民文学出版社"),
            year: Some(1996),
            isbn: Some("978-7-5063-6543-7"),
            format: Format::Book,
            language: "zh",
        })
        .unwrap();
        b.add_item(7, "br-a", ItemStatus::OnShelf);
        b.add_item(7, "county", ItemStatus::OnLoan);
        b.finish()
    }

    #[test]
    fn weights_take_the_best_field() {
        assert_eq!(WEIGHT[(F_TITLE | F_SUBJECT) as usize], 10);
        assert_eq!(WEIGHT[F_SUBJECT as usize], 3);
        assert_eq!(WEIGHT[0], 0);
    }

    #[test]
    fn builds_cjk_pinyin_and_per_doc_values() {
        let ix = index();
        let p = ix.cjk_postings(cjk_key('红', Some('楼'))).unwrap();
        assert_eq!(p.docs, [0]);
        assert_eq!(p.masks, [F_TITLE]);
        let p = ix.cjk_postings(cjk_key('学', None)).unwrap();
        assert_eq!(p.masks, [F_PUBLISHER]);
        assert!(ix.pinyin.find("hongloumeng").is_some());
        assert!(ix.pinyin.find("caoxueqin").is_some());
        assert!(ix.initials.find("hlm").is_some());
        assert_eq!(ix.text_fields_containing(0, "雪芹"), F_AUTHOR);
        assert_eq!(ix.isbn_docs(9787506365437), [0]);
        assert_eq!(ix.meta[0].hold.load(Ordering::Relaxed), 0b11);
        assert_eq!(ix.meta[0].avail.load(Ordering::Relaxed), 0b10);
        assert_eq!(
            ix.docs_titled(text::text_hash("红楼梦")),
            [(text::text_hash("红楼梦"), 0)]
        );
        assert_eq!(std::mem::size_of::<DocMeta>(), 32);
        assert_eq!(ix.decades, [1990]);
    }

    #[test]
    fn prefix_ranges_cover_exactly_the_prefixed_terms() {
        let mut d = TermDict::default();
        d.starts.push(0);
        for t in ["harp", "harriet", "harry", "hat"] {
            d.arena.push_str(t);
            d.starts.push(d.arena.len() as u32);
        }
        assert_eq!(d.prefix_range("harr"), 1..3);
        assert_eq!(d.prefix_range("z"), 4..4);
        assert_eq!(d.find("harry"), Some(2));
        assert_eq!(d.find("har"), None);
    }

    #[test]
    fn availability_updates_in_place() {
        let ix = index();
        assert!(ix.set_availability(7, &[("county".into(), ItemStatus::OnShelf)]));
        assert_eq!(ix.meta[0].avail.load(Ordering::Relaxed), 0b01);
        assert_eq!(ix.meta[0].hold.load(Ordering::Relaxed), 0b01);
        assert!(!ix.set_availability(8, &[]));
    }
}
