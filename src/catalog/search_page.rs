//! The search page: search box, sort, facets, chips, result list with
//! "load more", empty and error states. All of it follows the URL: the
//! page reads a [`SearchState`] from the query string and every control
//! navigates to a new one.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use crate::components::title::page_title;
use yuelan_api::{Facet, FacetField, SortOrder};

use crate::api::{Slot, load_into, use_api};
use crate::catalog::facets::{FacetPanelArgs, FilterChips, lazy_facet_panel};
use crate::catalog::query::SearchState;
use crate::catalog::result_item::ResultItem;
use crate::catalog::results::{self, Results};
use crate::catalog::search_form::SearchForm;
use crate::catalog::{CatalogContext, provide_catalog, use_catalog};
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::ResultsSkeleton;
use crate::i18n::{self, I18n, Key, use_i18n};
use crate::router::use_router;
use crate::routes::{AppRoute, Navigator, is_search_path, use_navigator};

fn sort_key(sort: SortOrder) -> Key {
    match sort {
        SortOrder::Relevance => Key::SortRelevance,
        SortOrder::Newest => Key::SortNewest,
        SortOrder::Title => Key::SortTitle,
    }
}

/// The page at `/search`.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = use_api();
    let catalog = use_catalog().unwrap_or_else(|| provide_catalog(client.clone()));
    let nav = use_navigator();
    let router = use_router();

    // The search in the URL. While the router is already elsewhere (this
    // page is being replaced), keep the last one rather than "no search".
    let state = Memo::new(move |prev: Option<&SearchState>| {
        let location = router.location();
        match prev {
            Some(prev) if !is_search_path(&location.path) => prev.clone(),
            _ => SearchState::from_query_string(&location.query),
        }
    });
    let state_signal: Signal<SearchState> = state.into();

    // The results of the search in the URL. Coming back to the last search
    // shows its results at once (no skeleton, no request).
    let cached = catalog
        .results
        .get_value()
        .filter(|(s, _)| state.with_untracked(|now| s == now))
        .map(|(_, r)| Ok(Some(r)));
    let results: Slot<Option<Results>> = RwSignal::new(cached);
    let pending = RwSignal::new(false);
    let retry = RwSignal::new(0u32);
    load_into(results, Some(pending), move || {
        retry.track();
        let state = state.get();
        let cached = catalog.results.get_value();
        let client = client.clone();
        Box::pin(async move {
            let out = results::load(client, state.clone(), cached).await;
            if let Ok(Some(r)) = &out {
                catalog.results.set_value(Some((state, r.clone())));
            }
            out
        })
    });
    let refetch = move || retry.update(|n| *n = n.wrapping_add(1));
    // The facet panel's code is fetched once the first answer has been
    // painted (after the next frame), so neither its download nor its
    // start-up delays the results on a weak link.
    let facets_wanted = RwSignal::new(false);
    Effect::new(move |_| {
        if results.with(Option::is_some) && !facets_wanted.get_untracked() {
            request_animation_frame(move || {
                set_timeout(move || facets_wanted.set(true), Duration::ZERO);
            });
        }
    });
    let latest = Signal::derive(move || results.get().and_then(Result::ok).flatten());
    let facets: Signal<Arc<Vec<Facet>>> =
        Signal::derive(move || latest.get().map(|r| r.facets).unwrap_or_default());
    let total = Signal::derive(move || latest.get().map(|r| r.total));

    // Remember the scroll position when leaving for a record, to restore it
    // when the patron comes back.
    on_cleanup(move || {
        if let Some(y) = web_sys::window().and_then(|w| w.scroll_y().ok()) {
            catalog
                .scroll
                .try_set_value(Some((state.get_untracked(), y)));
        }
    });

    let go = move |s: SearchState| nav.go_in_place(&AppRoute::Search(s));
    let on_search = Callback::new(move |q: String| {
        let mut s = state.get_untracked();
        s.set_query(&q);
        nav.go(&AppRoute::Search(s));
    });
    let on_toggle = Callback::new(move |(field, value): (FacetField, String)| {
        let mut s = state.get_untracked();
        s.toggle_filter(field, &value);
        go(s);
    });
    let on_clear = Callback::new(move |_: ()| {
        let mut s = state.get_untracked();
        s.clear_filters();
        go(s);
    });
    let on_sort = move |value: String| {
        if let Some(sort) = SortOrder::parse(&value) {
            let mut s = state.get_untracked();
            s.set_sort(sort);
            go(s);
        }
    };

    let sheet_open = RwSignal::new(false);
    let filter_button = NodeRef::<leptos::html::Button>::new();

    let count_text = move || {
        let locale = i18n.locale();
        match results.get() {
            _ if pending.get() => i18n::text(locale, Key::Searching).to_owned(),
            Some(Ok(Some(r))) => i18n::result_count(locale, r.total),
            None if !state.with(SearchState::is_blank) => {
                i18n::text(locale, Key::Searching).to_owned()
            }
            _ => String::new(),
        }
    };
    page_title(move || {
        let q = state.with(|s| s.q.clone());
        let page = i18n.t(Key::SearchTitle);
        if q.is_empty() {
            page.to_owned()
        } else {
            [q.as_str(), " - ", page].concat()
        }
    });

    let sort_options = SortOrder::ALL
        .into_iter()
        .map(|o| {
            view! {
                <option value=o.as_str() prop:selected=move || state.with(|s| s.sort == o)>
                    {i18n.t(sort_key(o))}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="page search-page">
            <h1 class="page-title">{i18n.t(Key::SearchTitle)}</h1>
            <SearchForm value=Signal::derive(move || state.with(|s| s.q.clone())) on_search />
            <div class="search-toolbar">
                <p class="result-count" role="status" aria-live="polite">{count_text}</p>
                <div class="toolbar-controls">
                    <button
                        type="button"
                        class="button secondary filter-button"
                        node_ref=filter_button
                        aria-controls="facets"
                        aria-expanded=move || sheet_open.get().to_string()
                        on:click=move |_| sheet_open.set(true)
                    >
                        <Icon name=IconName::Filter />
                        <span>
                            {move || i18n::filters_with_count(i18n.locale(), state.with(SearchState::filter_count))}
                        </span>
                    </button>
                    <label class="sort">
                        <span class="sort-label">{i18n.t(Key::SortLabel)}</span>
                        <select name="sort" on:change:target=move |ev| on_sort(ev.target().value())>
                            {sort_options}
                        </select>
                    </label>
                </div>
            </div>
            <FilterChips state=state_signal facets on_remove=on_toggle on_clear />
            <div class="search-layout">
                {lazy_facet_panel(
                    FacetPanelArgs {
                        facets,
                        state: state_signal,
                        total,
                        open: sheet_open,
                        return_focus: filter_button,
                        on_toggle,
                        on_clear,
                    },
                    facets_wanted.into(),
                )}
                <section class="results-area" aria-label=i18n.t(Key::ResultList) aria-busy=move || pending.get().to_string()>
                    {move || match results.get() {
                        None => view! { <ResultsSkeleton /> }.into_any(),
                        Some(Err(error)) => {
                            view! { <ErrorView error on_retry=move |_| refetch() /> }.into_any()
                        }
                        Some(Ok(r)) => untrack(|| results_view(r, state, retry, catalog, nav, i18n, pending)),
                    }}
                </section>
            </div>
        </div>
    }
}

/// The result area for loaded results (or no search yet).
fn results_view(
    results: Option<Results>,
    state: Memo<SearchState>,
    retry: RwSignal<u32>,
    catalog: CatalogContext,
    nav: Navigator,
    i18n: I18n,
    pending: RwSignal<bool>,
) -> AnyView {
    let Some(r) = results else {
        return view! { <p class="search-prompt">{i18n.t(Key::SearchPrompt)}</p> }.into_any();
    };
    if r.hits.is_empty() {
        return no_results(r, state, i18n).into_any();
    }

    restore_scroll(catalog, &state.get_untracked());
    focus_new_results(catalog);

    let on_open = Callback::new(move |_: ()| {
        catalog.last_search.set(Some(state.get_untracked()));
        catalog.from_results.set(true);
    });
    let items = r
        .hits
        .iter()
        .cloned()
        .map(|hit| view! { <ResultItem hit on_open /> })
        .collect_view();
    let shown = r.hits.len();
    let total = r.total;
    let next_page = r.pages + 1;
    let more = r.has_more().then(|| {
        view! {
            <div class="load-more-row">
                <button
                    type="button"
                    class="button secondary load-more"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        catalog.focus_from.set_value(Some(shown));
                        nav.replace(&AppRoute::Search(state.get_untracked().with_page(next_page)));
                    }
                >
                    {move || if pending.get() { i18n.t(Key::LoadingMore) } else { i18n.t(Key::LoadMore) }}
                </button>
                <p class="shown-of">{i18n::shown_of(i18n.locale(), shown, total)}</p>
            </div>
        }
    });
    let more_error = r.more_error.clone().map(|error| {
        view! { <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) /> }
    });
    view! {
        <ol class="results">{items}</ol>
        {more}
        {more_error}
    }
    .into_any()
}

/// The empty result: what the server suggests, and tips.
fn no_results(r: Results, state: Memo<SearchState>, i18n: I18n) -> impl IntoView {
    let has_filters = state.with_untracked(|s| !s.filters.is_empty());
    let suggestions = (!r.suggestions.is_empty()).then(|| {
        let links = r
            .suggestions
            .iter()
            .map(|s| {
                let mut target = state.get_untracked();
                target.set_query(s);
                target.clear_filters();
                view! {
                    <li>
                        <a href=AppRoute::Search(target).to_href()>{s.clone()}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p class="did-you-mean">{i18n.t(Key::DidYouMean)}</p>
            <ul class="suggestions">{links}</ul>
        }
    });
    view! {
        <EmptyState title=i18n.t(Key::NoResults)>
            {suggestions}
            <h3 class="tips-title">{i18n.t(Key::TipsTitle)}</h3>
            <ul class="tips">
                <li>{i18n.t(Key::TipSpelling)}</li>
                <li>{i18n.t(Key::TipFewerWords)}</li>
                <li>{i18n.t(Key::TipPinyin)}</li>
                {has_filters.then(|| view! { <li>{i18n.t(Key::TipFilters)}</li> })}
            </ul>
        </EmptyState>
    }
}

/// Scrolls back to where the list was when the patron left it for a
/// record, once the same search shows again.
fn restore_scroll(catalog: CatalogContext, state: &SearchState) {
    let Some((saved, y)) = catalog.scroll.get_value() else {
        return;
    };
    catalog.scroll.set_value(None);
    if saved == *state && y > 0.0 {
        request_animation_frame(move || {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, y);
            }
        });
    }
}

/// After "load more", moves focus to the first new result, so keyboard and
/// screen-reader users continue where the list grew.
fn focus_new_results(catalog: CatalogContext) {
    let Some(index) = catalog.focus_from.get_value() else {
        return;
    };
    catalog.focus_from.set_value(None);
    request_animation_frame(move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let selector = [
            "ol.results > li:nth-child(",
            &(index + 1).to_string(),
            ") a.result-title",
        ]
        .concat();
        if let Ok(Some(el)) = doc.query_selector(&selector)
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    });
}
