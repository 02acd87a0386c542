//! Catalog search: an in-memory index beside the database.
//!
//! SQLite is the source of truth; at startup the server reads every record
//! and copy into a [`SearchIndex`] (see `index.rs` for its layout). A request
//! turns into integer work only: posting lookups and intersections, one pass
//! over the matches that filters, counts facets and keeps a bounded top-k
//! heap, then the page's records are read from SQLite by id. Broad terms
//! therefore cost one linear pass over their postings, never string work or a
//! full sort, and a small cache in front makes repeated requests O(1).
//!
//! Facets are multi-select: values of one field are ORed, fields are ANDed,
//! and each field's counts are computed under every *other* field's filters.
//! `available=true` means "on the shelf at one of the chosen branches" (any
//! library when no branch is chosen); with it, branch counts count libraries
//! with a copy on the shelf.

pub mod index;
pub mod pinyin;
pub mod query;
pub mod suggest;
pub mod text;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::Ordering;

use yuelan_api::{Facet, FacetField, FacetValue, Format, SortOrder};

pub use index::{DocInput, IndexBuilder, IndexLibrary, IndexStats, SearchIndex};
use index::{NONE16, format_code, format_of_code};
use query::Hits;

/// Most subject values listed in the subject facet (selected ones are added).
const SUBJECT_FACET_SIZE: usize = 20;

/// A validated search request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchRequest {
    pub q: String,
    pub formats: Vec<Format>,
    pub languages: Vec<String>,
    pub branches: Vec<String>,
    pub subjects: Vec<String>,
    pub decades: Vec<u16>,
    pub available: bool,
    pub sort: SortOrder,
    pub page: u32,
    pub page_size: u32,
}

impl SearchRequest {
    /// A request for the first page of `q`, default size and order.
    pub fn new(q: impl Into<String>) -> Self {
        Self {
            q: q.into(),
            page: 1,
            page_size: yuelan_api::DEFAULT_PAGE_SIZE,
            ..Self::default()
        }
    }

    /// A canonical text of the request, as the key of the result cache:
    /// equal for requests that must answer the same.
    pub fn cache_key(&self) -> String {
        fn list<T: ToString>(items: &[T]) -> String {
            let mut v: Vec<String> = items.iter().map(ToString::to_string).collect();
            v.sort();
            v.dedup();
            v.join("\u{2}")
        }
        let formats: Vec<&str> = self.formats.iter().map(|f| f.as_str()).collect();
        format!(
            "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
            text::collapse_whitespace(&self.q),
            list(&formats),
            list(&self.languages),
            list(&self.branches),
            list(&self.subjects),
            list(&self.decades),
            self.available,
            self.sort.as_str(),
            self.page,
            self.page_size
        )
    }
}

/// What the index answers; the page's records are then read from the
/// database.
#[derive(Clone, Debug)]
pub struct SearchOutcome {
    pub query: String,
    pub total: u64,
    /// Record ids of the requested page, in order.
    pub record_ids: Vec<i64>,
    pub facets: Vec<Facet>,
    pub suggestions: Vec<String>,
}

/// The filters of a request, resolved to index ids.
struct Filters {
    formats: Option<[bool; 5]>,
    languages: Option<Vec<bool>>,
    subjects: Option<Vec<bool>>,
    decades: Option<Vec<bool>>,
    branches: Option<u64>,
    available: bool,
}

fn selection<T: PartialEq>(values: &[T], wanted: &[T]) -> Option<Vec<bool>> {
    (!wanted.is_empty()).then(|| values.iter().map(|v| wanted.contains(v)).collect())
}

impl Filters {
    fn new(ix: &SearchIndex, req: &SearchRequest) -> Self {
        let formats = (!req.formats.is_empty()).then(|| {
            let mut sel = [false; 5];
            for f in &req.formats {
                sel[format_code(*f) as usize] = true;
            }
            sel
        });
        let subjects = (!req.subjects.is_empty()).then(|| {
            let mut sel = vec![false; ix.subjects.len()];
            for s in &req.subjects {
                if let Some(&id) = ix.subject_lookup.get(s) {
                    sel[id as usize] = true;
                }
            }
            sel
        });
        let branches = (!req.branches.is_empty()).then(|| {
            req.branches
                .iter()
                .filter_map(|b| ix.library_bit(b))
                .fold(0u64, |acc, bit| acc | (1 << bit))
        });
        Self {
            formats,
            languages: selection(&ix.languages, &req.languages),
            subjects,
            decades: selection(&ix.decades, &req.decades),
            branches,
            available: req.available,
        }
    }
}

/// The ordering key of a doc: larger first, then smaller doc.
#[derive(Clone, Copy)]
enum KeyKind {
    Score,
    BrowseNewest,
    Newest,
    Title,
}

/// Asks the CPU to start loading a doc's meta (a hint; no effect on
/// results).
#[inline(always)]
fn prefetch<T>(m: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint and never faults; the pointer comes
    // from a live reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (m as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = m;
}

/// Facet counts gathered in the pass over the matches.
struct Counts {
    format: [u64; 5],
    language: Vec<u64>,
    subject: Vec<u64>,
    decade: Vec<u64>,
    branch: [u64; 64],
    available: u64,
}

impl SearchIndex {
    /// Answers a request: total, the page's record ids, facets, suggestions.
    pub fn search(&self, req: &SearchRequest) -> SearchOutcome {
        let parsed = query::parse(&req.q);
        let mut per_term = Vec::new();
        let hits: Option<Hits> = if parsed.is_browse() {
            None
        } else if let Some(isbn) = parsed.isbn {
            let docs = self.isbn_docs(isbn);
            let scores = vec![query::TITLE_BONUS; docs.len()];
            Some(Hits { docs, scores })
        } else if parsed.terms.is_empty() {
            Some(Hits::default())
        } else {
            let lists: Vec<Hits> = parsed
                .terms
                .iter()
                .map(|t| query::eval_term(self, t))
                .collect();
            per_term = lists.iter().map(Hits::len).collect();
            let mut hits = query::intersect_hits(lists);
            // `hong lou meng`: the syllables run together as well.
            if let Some(joined) = query::joined_pinyin(&parsed) {
                hits = query::union_hits(hits, query::eval_joined_pinyin(self, &joined));
            }
            if let Some(h) = parsed.title_hash {
                for &(_, doc) in self.docs_titled(h) {
                    if let Ok(i) = hits.docs.binary_search(&doc) {
                        hits.scores[i] += query::TITLE_BONUS;
                    }
                }
            }
            Some(hits)
        };
        let filters = Filters::new(self, req);
        let key_kind = match (req.sort, hits.is_none()) {
            (SortOrder::Relevance, false) => KeyKind::Score,
            (SortOrder::Relevance | SortOrder::Newest, true) => KeyKind::BrowseNewest,
            (SortOrder::Newest, false) => KeyKind::Newest,
            (SortOrder::Title, _) => KeyKind::Title,
        };
        let k = (req.page.max(1) as usize) * (req.page_size.max(1) as usize);
        let (total, top, counts) = match &hits {
            None => self.collect(None, &[], &filters, key_kind, k),
            Some(h) => self.collect(Some(&h.docs), &h.scores, &filters, key_kind, k),
        };
        let skip = (req.page.max(1) as usize - 1) * req.page_size as usize;
        let record_ids = top
            .into_iter()
            .skip(skip)
            .map(|d| self.record_ids[d as usize])
            .collect();
        let suggestions = if hits.is_some() && total < 3 {
            suggest::suggest(self, &parsed, &per_term, total)
        } else {
            Vec::new()
        };
        SearchOutcome {
            query: parsed.display.clone(),
            total,
            record_ids,
            facets: self.facets(&counts, req, &filters),
            suggestions,
        }
    }

    #[inline]
    fn key(kind: KeyKind, m: &index::DocMeta, score: u32) -> u64 {
        let year = u64::from(m.year);
        let title = u64::from(u32::MAX - m.title_rank);
        match kind {
            KeyKind::Score => (u64::from(score) << 16) | year,
            KeyKind::BrowseNewest => (year << 32) | title,
            KeyKind::Newest => (year << 32) | u64::from(score),
            KeyKind::Title => title,
        }
    }

    /// One pass over the matches (`None`: every doc): filters, facet counts
    /// and the top `k`. Scattered matches are memory-latency bound, so the
    /// metas of later matches are prefetched while earlier ones are counted.
    fn collect(
        &self,
        docs: Option<&[u32]>,
        scores: &[u32],
        f: &Filters,
        kind: KeyKind,
        k: usize,
    ) -> (u64, Vec<u32>, Counts) {
        let mut c = Counts {
            format: [0; 5],
            language: vec![0; self.languages.len()],
            subject: vec![0; self.subjects.len()],
            decade: vec![0; self.decades.len()],
            branch: [0; 64],
            available: 0,
        };
        let mut total = 0u64;
        // Max-heap whose top is the worst kept entry.
        let mut heap: BinaryHeap<(Reverse<u64>, u32)> = BinaryHeap::with_capacity(k.min(4096) + 1);
        let n = docs.map_or(self.meta.len(), <[u32]>::len);
        for i in 0..n {
            let doc = docs.map_or(i as u32, |d| d[i]);
            let score = scores.get(i).copied().unwrap_or(0);
            // Two-stage prefetch: the meta of a doc 32 matches ahead, the
            // subject ids of one 16 ahead (its meta is cached by now).
            if let Some(d) = docs {
                if let Some(&far) = d.get(i + 32) {
                    prefetch(&self.meta[far as usize]);
                }
                if let Some(&near) = d.get(i + 16)
                    && let Some(id) = self
                        .subj_ids
                        .get(self.meta[near as usize].subj_start as usize)
                {
                    prefetch(id);
                }
            }
            let m = &self.meta[doc as usize];
            {
                let fmt = m.format as usize;
                let lang = m.language as usize;
                let dec = m.decade;
                let start = m.subj_start as usize;
                let subjects = &self.subj_ids[start..start + m.subj_len as usize];
                let fmt_ok = f.formats.as_ref().is_none_or(|s| s[fmt]);
                let lang_ok = f
                    .languages
                    .as_ref()
                    .is_none_or(|s| s.get(lang).copied().unwrap_or(false));
                let subj_ok = f
                    .subjects
                    .as_ref()
                    .is_none_or(|s| subjects.iter().any(|&id| s[id as usize]));
                let dec_ok = f
                    .decades
                    .as_ref()
                    .is_none_or(|s| dec != NONE16 && s[dec as usize]);
                let indep = u8::from(!fmt_ok)
                    | u8::from(!lang_ok) << 1
                    | u8::from(!subj_ok) << 2
                    | u8::from(!dec_ok) << 3;
                if indep.count_ones() > 1 {
                    continue;
                }
                let hold = m.hold.load(Ordering::Relaxed);
                let avail = m.avail.load(Ordering::Relaxed);
                let (branch_ok, avail_ok) = match f.branches {
                    Some(b) => {
                        let branch_ok = (if f.available { avail } else { hold }) & b != 0;
                        (branch_ok, !f.available || avail & b != 0)
                    }
                    None => (true, !f.available || avail != 0),
                };
                if indep == 0 {
                    // Branch facet: the available filter without the branch filter.
                    if !f.available || avail != 0 {
                        let mut bits = if f.available { avail } else { hold };
                        while bits != 0 {
                            c.branch[bits.trailing_zeros() as usize] += 1;
                            bits &= bits - 1;
                        }
                    }
                    // Available facet: the branch filter without the available one.
                    if f.branches.is_none_or(|b| hold & b != 0) {
                        let on_shelf = match f.branches {
                            Some(b) => avail & b != 0,
                            None => avail != 0,
                        };
                        c.available += u64::from(on_shelf);
                    }
                }
                if !(branch_ok && avail_ok) {
                    continue;
                }
                if indep & 1 == indep {
                    c.format[fmt] += 1;
                }
                if indep & 2 == indep
                    && let Some(x) = c.language.get_mut(lang)
                {
                    *x += 1;
                }
                if indep & 4 == indep {
                    for &s in subjects {
                        c.subject[s as usize] += 1;
                    }
                }
                if indep & 8 == indep && dec != NONE16 {
                    c.decade[dec as usize] += 1;
                }
                if indep != 0 {
                    continue;
                }
                total += 1;
                let entry = (Reverse(Self::key(kind, m, score)), doc);
                if heap.len() < k {
                    heap.push(entry);
                } else if let Some(mut top) = heap.peek_mut()
                    && entry < *top
                {
                    *top = entry;
                }
            }
        }
        let top = heap.into_sorted_vec().into_iter().map(|(_, d)| d).collect();
        (total, top, c)
    }

    fn facets(&self, c: &Counts, req: &SearchRequest, f: &Filters) -> Vec<Facet> {
        let value = |v: String, count: u64, selected: bool| FacetValue {
            value: v,
            label: None,
            count,
            selected,
        };
        FacetField::ALL
            .iter()
            .map(|&field| {
                let mut values: Vec<FacetValue> = match field {
                    FacetField::Available => {
                        let selected = f.available;
                        if c.available > 0 || selected {
                            vec![value("true".into(), c.available, selected)]
                        } else {
                            Vec::new()
                        }
                    }
                    FacetField::Format => {
                        let mut v: Vec<FacetValue> = (0..4u8)
                            .map(format_of_code)
                            .filter_map(|fmt| {
                                let count = c.format[format_code(fmt) as usize];
                                let selected = req.formats.contains(&fmt);
                                (count > 0 || selected)
                                    .then(|| value(fmt.as_str().into(), count, selected))
                            })
                            .collect();
                        v.sort_by_key(|x| Reverse(x.count));
                        v
                    }
                    FacetField::Branch => self
                        .libraries
                        .iter()
                        .enumerate()
                        .filter_map(|(i, lib)| {
                            let selected = req.branches.contains(&lib.id);
                            (c.branch[i] > 0 || selected).then(|| FacetValue {
                                value: lib.id.clone(),
                                label: Some(lib.name.clone()),
                                count: c.branch[i],
                                selected,
                            })
                        })
                        .collect(),
                    FacetField::Language => {
                        let mut v: Vec<FacetValue> = self
                            .languages
                            .iter()
                            .zip(&c.language)
                            .filter_map(|(l, &count)| {
                                let selected = req.languages.contains(l);
                                (count > 0 || selected).then(|| value(l.clone(), count, selected))
                            })
                            .collect();
                        for l in &req.languages {
                            if !self.languages.contains(l) && !v.iter().any(|x| &x.value == l) {
                                v.push(value(l.clone(), 0, true));
                            }
                        }
                        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                        v
                    }
                    FacetField::Subject => {
                        let mut ids: Vec<usize> = (0..self.subjects.len())
                            .filter(|&i| c.subject[i] > 0)
                            .collect();
                        ids.sort_by(|&a, &b| {
                            c.subject[b]
                                .cmp(&c.subject[a])
                                .then_with(|| self.subjects[a].cmp(&self.subjects[b]))
                        });
                        ids.truncate(SUBJECT_FACET_SIZE);
                        let mut v: Vec<FacetValue> = ids
                            .into_iter()
                            .map(|i| {
                                let s = &self.subjects[i];
                                value(s.clone(), c.subject[i], req.subjects.contains(s))
                            })
                            .collect();
                        for s in &req.subjects {
                            if !v.iter().any(|x| &x.value == s) {
                                let count = self
                                    .subject_lookup
                                    .get(s)
                                    .map_or(0, |&i| c.subject[i as usize]);
                                v.push(value(s.clone(), count, true));
                            }
                        }
                        v
                    }
                    FacetField::Decade => {
                        let mut v: Vec<FacetValue> = self
                            .decades
                            .iter()
                            .zip(&c.decade)
                            .filter_map(|(&d, &count)| {
                                let selected = req.decades.contains(&d);
                                (count > 0 || selected)
                                    .then(|| value(d.to_string(), count, selected))
                            })
                            .collect();
                        for &d in &req.decades {
                            if !self.decades.contains(&d)
                                && !v.iter().any(|x| x.value == d.to_string())
                            {
                                v.push(value(d.to_string(), 0, true));
                            }
                        }
                        v.sort_by(|a, b| {
                            b.value
                                .parse::<u32>()
                                .unwrap_or(0)
                                .cmp(&a.value.parse::<u32>().unwrap_or(0))
                        });
                        v
                    }
                    FacetField::Unknown => Vec::new(),
                };
                values.shrink_to_fit();
                Facet { field, values }
            })
            .collect()
    }
}
