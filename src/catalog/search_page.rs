//! The search page: search box, sort, facets, chips, result list with
//! "load more", empty and error states. All of it follows the URL: the
//! page reads a [`SearchState`] from the query string and every control
//! navigates to a new one.

use std::sync::Arc;
use std::time::Duration;

use crate::components::title::page_title;
use leptos::prelude::*;
use yuelan_api::{Facet, FacetField, SortOrder};

use crate::api::{ApiError, Slot, load_into, use_api};
use crate::catalog::facets::{FacetPanelArgs, FilterChips, lazy_facet_panel};
use crate::catalog::query::SearchState;
use crate::catalog::result_item::ResultItem;
use crate::catalog::results::{self, Results, Reveal};
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
    let catalog = use_catalog().unwrap_or_else(|| provide_catalog(client));
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
        Box::pin(async move {
            let out = results::load(client, state.clone(), cached).await;
            if let Ok(Some(r)) = &out {
                catalog.results.set_value(Some((state, r.clone())));
            }
            out
        })
    });
    let refetch = move || retry.update(|n| *n = n.wrapping_add(1));
    let latest = Signal::derive(move || results.get().and_then(Result::ok).flatten());
    let area = Memo::new(move |_| {
        let names = catalog.libraries_settled();
        results.with(|r| Area::of(r.as_ref(), names))
    });
    // The facet panel's code is fetched once the first answer is on screen
    // (its area no longer loading, and after the next frame), so neither
    // its download nor its start-up delays the results on a weak link; or
    // at once when the patron asks for the filters.
    let facets_wanted = RwSignal::new(false);
    Effect::new(move |_| {
        if !area.with(|a| *a == Area::Loading) && !facets_wanted.get_untracked() {
            request_animation_frame(move || {
                set_timeout(move || facets_wanted.set(true), Duration::ZERO);
            });
        }
    });
    // The facet counts follow an answer a task later than its results, so
    // that the list and the panel are not built in one long task.
    let facet_counts = RwSignal::new(Arc::<Vec<Facet>>::default());
    Effect::new(move |_| {
        let next = latest.with(|r| r.as_ref().map(|r| r.facets.clone()));
        set_timeout(
            move || {
                facet_counts.try_set(next.unwrap_or_default());
            },
            Duration::ZERO,
        );
    });
    let facets: Signal<Arc<Vec<Facet>>> = facet_counts.into();
    let total = Signal::derive(move || latest.get().map(|r| r.total));

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
                        on:click=move |_| {
                            if !facets_wanted.get_untracked() {
                                facets_wanted.set(true);
                            }
                            sheet_open.set(true);
                        }
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
                    {move || match area.get() {
                        Area::Loading => view! { <ResultsSkeleton /> }.into_any(),
                        Area::Failed(error) => {
                            view! { <ErrorView error on_retry=move |_| refetch() /> }.into_any()
                        }
                        Area::Prompt => {
                            view! { <p class="search-prompt">{i18n.t(Key::SearchPrompt)}</p> }.into_any()
                        }
                        Area::Empty(r) => untrack(|| no_results(r, state, i18n).into_any()),
                        Area::List => untrack(|| result_list(latest, state, retry, catalog, nav, i18n, pending)),
                    }}
                </section>
            </div>
        </div>
    }
}

/// What the result area shows. While there are results it stays
/// [`Area::List`], so the list is one view that "load more" adds to.
#[derive(Clone, Debug)]
enum Area {
    /// No answer yet: skeletons.
    Loading,
    /// The first page failed.
    Failed(ApiError),
    /// No search yet.
    Prompt,
    /// A search without hits: suggestions and tips.
    Empty(Results),
    /// Results.
    List,
}

/// Two empty answers are the same when they are the same answer (its id):
/// comparing their records and facets field by field cost 1.2 KB of code
/// in the main module for nothing.
impl PartialEq for Area {
    fn eq(&self, other: &Area) -> bool {
        match (self, other) {
            (Area::Loading, Area::Loading)
            | (Area::Prompt, Area::Prompt)
            | (Area::List, Area::List) => true,
            (Area::Failed(a), Area::Failed(b)) => a == b,
            (Area::Empty(a), Area::Empty(b)) => a.answer == b.answer,
            _ => false,
        }
    }
}

impl Area {
    /// What to show for the latest answer; `names` says whether the
    /// library list has been answered (results wait for it, so that their
    /// availability lines show names from the first paint).
    fn of(answer: Option<&Result<Option<Results>, ApiError>>, names: bool) -> Area {
        match answer {
            None => Area::Loading,
            Some(Err(error)) => Area::Failed(error.clone()),
            Some(Ok(None)) => Area::Prompt,
            Some(Ok(Some(r))) if r.hits.is_empty() => Area::Empty(r.clone()),
            Some(Ok(Some(_))) if !names => Area::Loading,
            Some(Ok(Some(_))) => Area::List,
        }
    }
}

/// The items of the result list mounted so far, and the answer they show.
#[derive(Default)]
struct Built {
    answer: Option<u32>,
    items: Vec<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

/// The result list, "load more" and the error of a further page.
///
/// Items are built a batch a task ([`Reveal`]), so that no task of the list
/// is long on a slow phone, and "load more" builds only the new ones: each
/// item is mounted into the list on its own (under this view's owner, so it
/// reads the page's contexts and goes away with it), and a new answer
/// replaces them all. leptos's keyed `<For>` would do the same, at about
/// 7 KB more of the first load.
fn result_list(
    latest: Signal<Option<Results>>,
    state: Memo<SearchState>,
    retry: RwSignal<u32>,
    catalog: CatalogContext,
    nav: Navigator,
    i18n: I18n,
    pending: RwSignal<bool>,
) -> AnyView {
    // Back from a record, the items are built a batch a task as on any
    // answer; the router scrolls back once the list is tall enough.
    let reveal = RwSignal::new(Reveal::default());
    let on_open = Callback::new(move |_: ()| {
        catalog.last_search.set(Some(state.get_untracked()));
        catalog.from_results.set(true);
    });
    let list = NodeRef::<leptos::html::Ol>::new();
    let owner = Owner::current();
    let built = StoredValue::new_local(Built::default());
    Effect::new(move |_| {
        let (Some(ol), Some(owner)) = (list.get(), owner.as_ref()) else {
            return;
        };
        let Some(r) = latest.get() else {
            return;
        };
        let step = reveal.get();
        let target = step.shown_of(r.answer, r.hits.len());
        built.update_value(|b| {
            if b.answer != Some(r.answer) {
                b.items.clear();
                b.answer = Some(r.answer);
            }
            b.items.truncate(target);
            for (index, hit) in r.hits.iter().enumerate().take(target).skip(b.items.len()) {
                let hit = hit.clone();
                let parent: web_sys::HtmlElement = ol.clone().into();
                b.items.push(owner.with(|| {
                    leptos::mount::mount_to(parent, move || {
                        focus_if_first_new(catalog, index);
                        view! { <ResultItem hit on_open /> }.into_any()
                    })
                }));
            }
        });
        if let Some(next) = step.next(r.answer, r.hits.len()) {
            set_timeout(
                move || {
                    reveal.try_set(next);
                },
                Duration::ZERO,
            );
        }
    });

    let more = move || {
        let (shown, total, next_page) = latest.with(|r| {
            r.as_ref()
                .filter(|r| r.has_more())
                .map(|r| (r.hits.len(), r.total, r.pages + 1))
        })?;
        Some(view! {
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
        })
    };
    let more_error = move || {
        latest.with(|r| r.as_ref().and_then(|r| r.more_error.clone())).map(|error| {
            view! { <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) /> }
        })
    };
    view! {
        <ol class="results" node_ref=list></ol>
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

/// After "load more", moves focus to the first new result (the one at
/// `index`, as it is built), so keyboard and screen-reader users continue
/// where the list grew.
fn focus_if_first_new(catalog: CatalogContext, index: usize) {
    if catalog.focus_from.get_value() != Some(index) {
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::results::test_hit;
    use yuelan_api::SearchResponse;

    fn answer(hits: i64) -> Results {
        Results::first(SearchResponse {
            query: "活着".into(),
            total: hits as u64,
            page: 1,
            page_size: 20,
            hits: (1..=hits).map(test_hit).collect(),
            facets: vec![],
            suggestions: vec![],
        })
    }

    #[test]
    fn results_wait_for_the_library_names() {
        let found = Ok(Some(answer(2)));
        assert_eq!(Area::of(Some(&found), false), Area::Loading);
        assert_eq!(Area::of(Some(&found), true), Area::List);
        // Nothing else waits for them.
        assert_eq!(Area::of(None, true), Area::Loading);
        assert_eq!(Area::of(Some(&Ok(None)), false), Area::Prompt);
        let none = answer(0);
        assert_eq!(
            Area::of(Some(&Ok(Some(none.clone()))), false),
            Area::Empty(none)
        );
        assert_eq!(
            Area::of(Some(&Err(ApiError::Network)), false),
            Area::Failed(ApiError::Network)
        );
    }
}
