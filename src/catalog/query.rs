//! The state of a catalog search, as it lives in the URL.
//!
//! Query, filters, sort and page are all in the query string of `/search`,
//! so a reload, the back button and a shared link restore the same search.
//! Parsing never fails: unknown parameters, bad values and oversized input
//! are dropped or clamped.

use yuelan_api::{FacetField, MAX_QUERY_CHARS, SortOrder};

use crate::urlenc;

/// The most pages a URL may ask for at once (the "load more" depth).
pub const MAX_PAGE: u32 = 20;
/// The most values of one facet a URL may select.
pub const MAX_VALUES_PER_FIELD: usize = 20;
/// The longest facet value, in characters, a URL may carry.
pub const MAX_VALUE_CHARS: usize = 100;

/// Selected facet values: `(field, value)` pairs, each once, sorted by
/// field and then by value (the order of the URL and of the chips). OR
/// within a field, AND across fields. A sorted `Vec`, not a `BTreeMap` of
/// `BTreeSet`s: a search selects a handful of values, and the B-tree code
/// cost several KB of the first load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters(Vec<(FacetField, String)>);

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of selected values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn position(&self, field: FacetField, value: &str) -> Result<usize, usize> {
        self.0
            .binary_search_by(|(f, v)| f.cmp(&field).then_with(|| v.as_str().cmp(value)))
    }

    /// Whether `value` of `field` is selected.
    pub fn contains(&self, field: FacetField, value: &str) -> bool {
        self.position(field, value).is_ok()
    }

    /// Number of selected values of `field`.
    pub fn count(&self, field: FacetField) -> usize {
        self.0.iter().filter(|(f, _)| *f == field).count()
    }

    /// Selects `value` of `field`, unless it is selected already or the
    /// field has [`MAX_VALUES_PER_FIELD`] values.
    pub fn insert(&mut self, field: FacetField, value: &str) {
        if let Err(at) = self.position(field, value)
            && self.count(field) < MAX_VALUES_PER_FIELD
        {
            self.0.insert(at, (field, value.to_owned()));
        }
    }

    /// Unselects `value` of `field`.
    pub fn remove(&mut self, field: FacetField, value: &str) {
        if let Ok(at) = self.position(field, value) {
            self.0.remove(at);
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Every selected `(field, value)`, in order.
    pub fn as_slice(&self) -> &[(FacetField, String)] {
        &self.0
    }
}

/// Query, filters, sort and page of a catalog search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchState {
    /// The words the patron typed, as typed (the server folds whitespace).
    pub q: String,
    /// Selected facet values: OR within a field, AND across fields.
    pub filters: Filters,
    pub sort: SortOrder,
    /// How many pages of results are shown (1-based); "load more" raises it.
    pub page: u32,
}

impl Default for SearchState {
    fn default() -> Self {
        Self {
            q: String::new(),
            filters: Filters::default(),
            sort: SortOrder::Relevance,
            page: 1,
        }
    }
}

impl SearchState {
    /// A search for `q` with no filters.
    pub fn with_query(q: &str) -> Self {
        let mut s = Self::default();
        s.set_query(q);
        s
    }

    /// A search for everything filed under `subject`.
    pub fn with_subject(subject: &str) -> Self {
        let mut s = Self::default();
        s.toggle_filter(FacetField::Subject, subject);
        s
    }

    /// True when there is nothing to search for: no words and no filters.
    pub fn is_blank(&self) -> bool {
        self.q.trim().is_empty() && self.filters.is_empty()
    }

    /// Whether `value` of `field` is selected.
    pub fn is_selected(&self, field: FacetField, value: &str) -> bool {
        self.filters.contains(field, value)
    }

    /// Selects `value` of `field`, or unselects it when it is selected.
    /// Goes back to the first page. Invalid values are ignored.
    pub fn toggle_filter(&mut self, field: FacetField, value: &str) {
        if self.is_selected(field, value) {
            self.remove_filter(field, value);
        } else if valid_value(field, value) {
            self.filters.insert(field, value);
            self.page = 1;
        }
    }

    /// Unselects `value` of `field`; goes back to the first page.
    pub fn remove_filter(&mut self, field: FacetField, value: &str) {
        self.filters.remove(field, value);
        self.page = 1;
    }

    /// Removes every filter; keeps the words and the sort.
    pub fn clear_filters(&mut self) {
        self.filters.clear();
        self.page = 1;
    }

    /// Back to an empty search.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Sets the words (cut to the longest query the server takes); first page.
    pub fn set_query(&mut self, q: &str) {
        self.q = truncate_chars(q, MAX_QUERY_CHARS);
        self.page = 1;
    }

    /// Sets the order; first page.
    pub fn set_sort(&mut self, sort: SortOrder) {
        self.sort = sort;
        self.page = 1;
    }

    /// The same search showing `page` pages.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.clamp(1, MAX_PAGE),
            ..self.clone()
        }
    }

    /// Number of selected filter values.
    pub fn filter_count(&self) -> usize {
        self.filters.len()
    }

    /// Every selected `(field, value)`, in display order.
    pub fn selected(&self) -> impl Iterator<Item = (FacetField, &str)> {
        self.filters
            .as_slice()
            .iter()
            .map(|(f, v)| (*f, v.as_str()))
    }

    /// Whether two states ask for the same records in the same order
    /// (they may differ in how many pages are shown).
    pub fn same_search(&self, other: &Self) -> bool {
        self.q == other.q && self.sort == other.sort && self.filters == other.filters
    }

    /// The query string (without `?`); defaults are left out, so a fresh
    /// search is just `q=…`.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        let mut push = |key: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            urlenc::encode_into(&mut out, value);
        };
        if !self.q.is_empty() {
            push("q", &self.q);
        }
        for (field, value) in self.selected() {
            push(field.as_str(), value);
        }
        if self.sort != SortOrder::Relevance {
            push("sort", self.sort.as_str());
        }
        if self.page > 1 {
            push("page", &self.page.to_string());
        }
        out
    }

    /// Parses a query string (with or without `?`). Unknown parameters and
    /// invalid values are ignored; the last `q`, `sort` and `page` win.
    pub fn from_query_string(query: &str) -> Self {
        let mut s = Self::default();
        for (key, value) in urlenc::pairs(query) {
            match key.as_str() {
                "q" => s.q = truncate_chars(&value, MAX_QUERY_CHARS),
                "sort" => s.sort = SortOrder::parse(&value).unwrap_or_default(),
                "page" => s.page = value.trim().parse::<u32>().unwrap_or(1).clamp(1, MAX_PAGE),
                other => {
                    if let Some(field) = FacetField::parse(other)
                        && valid_value(field, &value)
                    {
                        s.filters.insert(field, &value);
                    }
                }
            }
        }
        s
    }
}

/// Whether `value` can be a filter value of `field`.
fn valid_value(field: FacetField, value: &str) -> bool {
    if value.trim().is_empty() || value.chars().count() > MAX_VALUE_CHARS {
        return false;
    }
    match field {
        FacetField::Available => value == "true",
        FacetField::Decade => value.len() <= 5 && value.bytes().all(|b| b.is_ascii_digit()),
        FacetField::Unknown => false,
        _ => true,
    }
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(q: &str, filters: &[(FacetField, &str)], sort: SortOrder, page: u32) -> SearchState {
        let mut s = SearchState::with_query(q);
        for (f, v) in filters {
            s.toggle_filter(*f, v);
        }
        s.sort = sort;
        s.page = page;
        s
    }

    #[test]
    fn default_state_is_an_empty_query_string() {
        assert_eq!(SearchState::default().to_query_string(), "");
        assert_eq!(SearchState::from_query_string(""), SearchState::default());
        assert!(SearchState::default().is_blank());
    }

    #[test]
    fn round_trips_chinese_and_hostile_text() {
        let cases = [
            state("活着", &[], SortOrder::Relevance, 1),
            state(
                "红楼梦 脂评本",
                &[(FacetField::Format, "book")],
                SortOrder::Newest,
                3,
            ),
            state(
                "a&b=c#d?e%20+",
                &[
                    (FacetField::Branch, "br-xinqiao"),
                    (FacetField::Branch, "county"),
                    (FacetField::Subject, "岭南文化 & 历史"),
                    (FacetField::Decade, "1990"),
                    (FacetField::Available, "true"),
                ],
                SortOrder::Title,
                2,
            ),
            state(
                "<script>alert('x')</script>",
                &[(FacetField::Language, "zh")],
                SortOrder::Relevance,
                1,
            ),
        ];
        for s in cases {
            let qs = s.to_query_string();
            assert_eq!(SearchState::from_query_string(&qs), s, "{qs}");
            assert_eq!(SearchState::from_query_string(&format!("?{qs}")), s);
        }
    }

    #[test]
    fn query_string_is_stable_and_readable() {
        let s = state(
            "活着",
            &[(FacetField::Format, "dvd"), (FacetField::Format, "book")],
            SortOrder::Newest,
            2,
        );
        assert_eq!(
            s.to_query_string(),
            "q=%E6%B4%BB%E7%9D%80&format=book&format=dvd&sort=newest&page=2"
        );
    }

    #[test]
    fn garbage_params_are_ignored() {
        let s = SearchState::from_query_string(
            "q=ok&page=-4&sort=sideways&colour=red&available=yes&decade=19x0&decade=&format=&%ZZ=1&=&&&unknown=unknown",
        );
        assert_eq!(s.q, "ok");
        assert_eq!(s.page, 1);
        assert_eq!(s.sort, SortOrder::Relevance);
        assert!(s.filters.is_empty());

        let s = SearchState::from_query_string("page=99999999999&page=7");
        assert_eq!(s.page, 7);
        let s = SearchState::from_query_string("page=500");
        assert_eq!(s.page, MAX_PAGE);
    }

    #[test]
    fn oversized_input_is_clamped() {
        let long = "字".repeat(MAX_QUERY_CHARS + 50);
        let s = SearchState::from_query_string(&format!("q={}", urlenc::encode(&long)));
        assert_eq!(s.q.chars().count(), MAX_QUERY_CHARS);

        let mut qs = String::new();
        for i in 0..100 {
            qs.push_str(&format!("subject=s{i}&"));
        }
        qs.push_str(&format!("subject={}", "x".repeat(MAX_VALUE_CHARS + 1)));
        let s = SearchState::from_query_string(&qs);
        assert_eq!(s.filter_count(), MAX_VALUES_PER_FIELD);
    }

    #[test]
    fn plus_decodes_as_space_like_a_form() {
        let s = SearchState::from_query_string("q=dream+of+the+red+chamber");
        assert_eq!(s.q, "dream of the red chamber");
    }

    #[test]
    fn toggling_filters() {
        let mut s = SearchState::with_query("岭南");
        s.page = 4;
        s.toggle_filter(FacetField::Format, "book");
        assert!(s.is_selected(FacetField::Format, "book"));
        assert_eq!(s.page, 1, "a new filter starts at the first page");
        s.toggle_filter(FacetField::Format, "dvd");
        assert_eq!(s.filter_count(), 2);
        s.toggle_filter(FacetField::Format, "book");
        assert!(!s.is_selected(FacetField::Format, "book"));
        s.toggle_filter(FacetField::Format, "dvd");
        assert!(s.filters.is_empty(), "an emptied field disappears");

        s.toggle_filter(FacetField::Available, "false");
        s.toggle_filter(FacetField::Unknown, "x");
        assert!(s.filters.is_empty(), "invalid values are refused");

        s.toggle_filter(FacetField::Decade, "1990");
        s.toggle_filter(FacetField::Branch, "county");
        s.clear_filters();
        assert!(s.filters.is_empty());
        assert_eq!(s.q, "岭南");
        s.clear();
        assert_eq!(s, SearchState::default());
    }

    #[test]
    fn same_search_ignores_the_page() {
        let a = state(
            "活着",
            &[(FacetField::Format, "book")],
            SortOrder::Newest,
            1,
        );
        assert!(a.same_search(&a.with_page(3)));
        assert!(!a.same_search(&state("活着", &[], SortOrder::Newest, 1)));
        assert_eq!(a.with_page(0).page, 1);
        assert_eq!(a.with_page(1000).page, MAX_PAGE);
    }

    #[test]
    fn subject_search() {
        let s = SearchState::with_subject("粤剧");
        assert_eq!(s.to_query_string(), "subject=%E7%B2%A4%E5%89%A7");
        assert!(!s.is_blank());
    }
}
