//! The result list of a search as the page shows it: every page loaded so
//! far, merged. "Load more" raises the page in the URL; [`load`] then
//! fetches only the pages not yet held, and a reload fetches them all.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use yuelan_api::{Facet, SearchHit, SearchResponse};

use crate::api::{ApiClient, ApiError, SearchQuery};
use crate::catalog::query::{MAX_PAGE, SearchState};

/// Records asked for per page.
pub const PAGE_SIZE: u32 = yuelan_api::DEFAULT_PAGE_SIZE;

/// The pages of one search loaded so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// Which answer this is: new for every first page, kept by the pages
    /// appended to it. The result list keys its items by it, so "load
    /// more" adds items and a new answer replaces them all.
    pub answer: u32,
    /// Records matching, as the server counts them.
    pub total: u64,
    /// Every record loaded, in order, without repeats.
    pub hits: Arc<Vec<SearchHit>>,
    /// Facet counts of the latest page.
    pub facets: Arc<Vec<Facet>>,
    /// The server's other queries to try.
    pub suggestions: Arc<Vec<String>>,
    /// Pages loaded.
    pub pages: u32,
    /// Records per page, as the server says.
    pub page_size: u32,
    /// The server has no more records (a short or empty page came back).
    pub exhausted: bool,
    /// Loading a further page failed; the pages before are still shown.
    pub more_error: Option<ApiError>,
}

impl Results {
    /// The first page.
    pub fn first(resp: SearchResponse) -> Self {
        let page_size = if resp.page_size == 0 {
            PAGE_SIZE
        } else {
            resp.page_size
        };
        let exhausted = (resp.hits.len() as u64) < u64::from(page_size);
        let mut hits: Vec<SearchHit> = Vec::with_capacity(resp.hits.len());
        push_new(&mut hits, resp.hits);
        static ANSWERS: AtomicU32 = AtomicU32::new(0);
        Self {
            answer: ANSWERS.fetch_add(1, Ordering::Relaxed).wrapping_add(1),
            total: resp.total,
            hits: Arc::new(hits),
            facets: Arc::new(resp.facets),
            suggestions: Arc::new(resp.suggestions),
            pages: 1,
            page_size,
            exhausted,
            more_error: None,
        }
    }

    /// Adds the next page.
    pub fn append(&mut self, resp: SearchResponse) {
        self.exhausted = (resp.hits.len() as u64) < u64::from(self.page_size);
        self.total = resp.total;
        self.facets = Arc::new(resp.facets);
        if !resp.suggestions.is_empty() {
            self.suggestions = Arc::new(resp.suggestions);
        }
        push_new(Arc::make_mut(&mut self.hits), resp.hits);
        self.pages += 1;
    }

    /// Keeps only the first `pages` pages (the URL asks for fewer).
    pub fn truncate_to(&mut self, pages: u32) {
        if pages >= self.pages {
            return;
        }
        let keep = (pages as usize).saturating_mul(self.page_size as usize);
        Arc::make_mut(&mut self.hits).truncate(keep);
        self.pages = pages;
        self.exhausted = false;
    }

    /// Whether the server has more records than are shown.
    pub fn has_more(&self) -> bool {
        !self.exhausted && (self.hits.len() as u64) < self.total && self.pages < MAX_PAGE
    }
}

/// Results are added to the list this many at a time, one batch a task,
/// so that no task that builds results is long on a slow phone.
pub const REVEAL_BATCH: usize = 8;

/// How far the result list has built an answer: the first `shown` hits of
/// answer `answer`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reveal {
    pub answer: u32,
    pub shown: usize,
}

impl Reveal {
    /// How many of the `len` hits of `answer` to show now: what was shown
    /// of the same answer, or a first batch of a new one.
    pub fn shown_of(self, answer: u32, len: usize) -> usize {
        if self.answer == answer {
            self.shown.min(len)
        } else {
            REVEAL_BATCH.min(len)
        }
    }

    /// The next step after showing [`Self::shown_of`]: one more batch, or
    /// `None` when every hit is shown.
    pub fn next(self, answer: u32, len: usize) -> Option<Reveal> {
        let now = self.shown_of(answer, len);
        (now < len).then(|| Reveal {
            answer,
            shown: (now + REVEAL_BATCH).min(len),
        })
    }
}

/// Appends the hits not already in `hits` (pages can shift while loading).
fn push_new(hits: &mut Vec<SearchHit>, new: Vec<SearchHit>) {
    for hit in new {
        if !hits.iter().any(|h| h.id == hit.id) {
            hits.push(hit);
        }
    }
}

/// Loads the results `state` shows, reusing `cached` when it holds pages of
/// the same search. `Ok(None)` for a blank search (nothing is fetched).
/// A failure on the first page is an error; on a later page it is kept in
/// [`Results::more_error`] with the pages before.
pub async fn load(
    client: ApiClient,
    state: SearchState,
    cached: Option<(SearchState, Results)>,
) -> Result<Option<Results>, ApiError> {
    if state.is_blank() {
        return Ok(None);
    }
    let want = state.page.clamp(1, MAX_PAGE);
    let mut acc = cached
        .filter(|(s, _)| s.same_search(&state))
        .map(|(_, r)| r);
    if let Some(r) = acc.as_mut() {
        r.more_error = None;
        r.truncate_to(want);
    }
    loop {
        let page = match &acc {
            None => 1,
            Some(r) if r.pages < want && r.has_more() => r.pages + 1,
            Some(_) => break,
        };
        let query = SearchQuery {
            q: &state.q,
            filters: state.filters.as_slice(),
            sort: state.sort,
            page,
            page_size: PAGE_SIZE,
        };
        match (client.search(&query).await, acc.as_mut()) {
            (Ok(resp), Some(r)) => r.append(resp),
            (Ok(resp), None) => acc = Some(Results::first(resp)),
            (Err(e), Some(r)) => {
                r.more_error = Some(e);
                break;
            }
            (Err(e), None) => return Err(e),
        }
    }
    Ok(acc)
}

/// A plain book hit with id `id`, for tests.
#[cfg(test)]
pub(crate) fn test_hit(id: i64) -> SearchHit {
    SearchHit {
        id,
        title: format!("t{id}"),
        subtitle: None,
        authors: vec![],
        year: None,
        format: yuelan_api::Format::Book,
        language: "zh".into(),
        cover_url: None,
        availability: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_hit as hit;

    fn resp(ids: std::ops::Range<i64>, total: u64, page: u32) -> SearchResponse {
        SearchResponse {
            query: "q".into(),
            total,
            page,
            page_size: 20,
            hits: ids.map(hit).collect(),
            facets: vec![],
            suggestions: vec![],
        }
    }

    #[test]
    fn pages_accumulate_without_repeats() {
        let mut r = Results::first(resp(0..20, 45, 1));
        assert!(r.has_more());
        r.append(resp(18..38, 45, 2));
        assert_eq!(r.hits.len(), 38, "the two repeated hits are dropped");
        assert_eq!(r.pages, 2);
        r.append(resp(40..45, 45, 3));
        assert!(r.exhausted);
        assert!(!r.has_more());
    }

    #[test]
    fn short_first_page_has_no_more() {
        let r = Results::first(resp(0..3, 3, 1));
        assert!(!r.has_more());
        let r = Results::first(resp(0..0, 0, 1));
        assert!(!r.has_more());
        // A server claiming more than it gives does not make "load more" loop.
        let r = Results::first(resp(0..5, 1000, 1));
        assert!(!r.has_more());
    }

    #[test]
    fn every_first_page_is_a_new_answer_and_later_pages_keep_it() {
        let mut a = Results::first(resp(0..20, 45, 1));
        let b = Results::first(resp(0..20, 45, 1));
        assert_ne!(a.answer, b.answer);
        let before = a.answer;
        a.append(resp(20..40, 45, 2));
        assert_eq!(a.answer, before);
    }

    #[test]
    fn reveal_builds_a_new_answer_in_batches_and_keeps_what_is_shown() {
        let start = Reveal::default();
        // A new answer of 20 starts with one batch, then grows to 20.
        assert_eq!(start.shown_of(7, 20), REVEAL_BATCH);
        let mut r = start;
        let mut steps = 0;
        while let Some(next) = r.next(7, 20) {
            assert!(next.shown > r.shown_of(7, 20));
            assert!(next.shown - r.shown_of(7, 20) <= REVEAL_BATCH);
            r = next;
            steps += 1;
        }
        assert_eq!(r.shown_of(7, 20), 20);
        assert_eq!(steps, 2, "8, then 16, then 20");
        // "Load more": the same answer with 40 keeps the 20 and grows.
        assert_eq!(r.shown_of(7, 40), 20);
        assert_eq!(
            r.next(7, 40),
            Some(Reveal {
                answer: 7,
                shown: 28
            })
        );
        // Fewer hits than shown (a truncated answer) shows them all.
        assert_eq!(r.shown_of(7, 5), 5);
        assert_eq!(r.next(7, 5), None);
        // A new answer starts over, however much the old one showed.
        assert_eq!(r.shown_of(8, 40), REVEAL_BATCH);
        // An empty answer needs no step.
        assert_eq!(start.shown_of(3, 0), 0);
        assert_eq!(start.next(3, 0), None);
    }

    #[test]
    fn truncating_goes_back_to_fewer_pages() {
        let mut r = Results::first(resp(0..20, 100, 1));
        r.append(resp(20..40, 100, 2));
        r.append(resp(40..60, 100, 3));
        r.truncate_to(1);
        assert_eq!(r.hits.len(), 20);
        assert_eq!(r.pages, 1);
        assert!(r.has_more());
        r.truncate_to(5);
        assert_eq!(r.pages, 1);
    }
}
