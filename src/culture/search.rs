//! Search within programmes, `/culture/search?q=`: the server applies the
//! catalog's Chinese rules (one or two characters, pinyin, initials).
//! The query lives in the URL (a reload or a shared link shows the same
//! results); typing updates it after a short pause.

use std::time::Duration;

use leptos::prelude::*;
use yuelan_api::culture::ProgrammeList;

use super::route::CultureRoute;
use super::{culture_nav, programme_card};
use crate::api::{Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::culture::{self as texts, CultureText as C, category_text};
use crate::i18n::use_i18n;
use crate::router::use_router;

/// How long typing must pause before the query is searched.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The page at `/culture/search`.
#[component]
pub fn CultureSearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let api = use_api();
    let q = Memo::new(
        move |_| match CultureRoute::of_path(&router.path(), &router.query()) {
            CultureRoute::Search(q) => q,
            _ => String::new(),
        },
    );
    page_title(move || {
        let q = q.get();
        if q.is_empty() {
            i18n.tr(C::SearchTitle).to_owned()
        } else {
            [q.as_str(), " · ", i18n.tr(C::Title)].concat()
        }
    });
    let results: Slot<ProgrammeList> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let retry = RwSignal::new(0u32);
    load_into(results, Some(pending), move || {
        retry.track();
        let q = q.get();
        if q.trim().is_empty() {
            Box::pin(async {
                Ok(ProgrammeList {
                    total: 0,
                    page: 1,
                    page_size: 0,
                    programmes: Vec::new(),
                })
            })
        } else {
            api.culture_search(q.trim())
        }
    });

    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(t)) = timer.try_update_value(Option::take) {
            t.clear();
        }
    });
    let search_now = move |text: String| {
        if let Some(Some(t)) = timer.try_update_value(Option::take) {
            t.clear();
        }
        let href = CultureRoute::Search(text.trim().to_owned()).to_href();
        router.navigate(&href, true, false);
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(Some(t)) = timer.try_update_value(Option::take) {
            t.clear();
        }
        if let Ok(handle) = set_timeout_with_handle(move || search_now(text), DEBOUNCE) {
            timer.set_value(Some(handle));
        }
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(i) = input.get_untracked() {
            search_now(i.value());
        }
    };

    let body = move || {
        let q = q.get();
        match results.get() {
            None => view! { <PageSkeleton /> }.into_any(),
            Some(Err(error)) => view! {
                <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
            }
            .into_any(),
            Some(Ok(_)) if q.trim().is_empty() => {
                view! { <p class="muted search-hint">{i18n.tr(C::SearchHint)}</p> }.into_any()
            }
            Some(Ok(list)) if list.programmes.is_empty() => view! {
                <section class="empty-state">
                    <h2 class="empty-title">{i18n.tr(C::NoResults)}</h2>
                    <p>{i18n.tr(C::SearchHint)}</p>
                </section>
            }
            .into_any(),
            Some(Ok(list)) => {
                let items = list
                    .programmes
                    .iter()
                    .map(|p| {
                        let extra = i18n.tr(category_text(p.category)).to_owned();
                        view! { <li>{programme_card(i18n, p, Some(extra))}</li> }
                    })
                    .collect_view();
                view! { <ul class="prog-list culture-results">{items}</ul> }.into_any()
            }
        }
    };
    let status = move || match results.get() {
        Some(Ok(list)) if !q.get().trim().is_empty() => texts::found(i18n.locale(), list.total),
        _ => String::new(),
    };

    view! {
        <div class="page culture-page culture-search-page">
            <h1>{i18n.tr(C::SearchTitle)}</h1>
            <form class="culture-search" role="search" on:submit=submit>
                <label class="sr-only" for="culture-q">{i18n.tr(C::SearchLabel)}</label>
                <input
                    id="culture-q"
                    node_ref=input
                    type="search"
                    name="q"
                    autocomplete="off"
                    placeholder=i18n.tr(C::SearchPlaceholder)
                    prop:value=move || q.get()
                    on:input=on_input
                />
                <button type="submit" class="button">{i18n.tr(C::SearchButton)}</button>
            </form>
            {culture_nav(i18n)}
            <p class="culture-count" role="status" aria-busy=move || pending.get().to_string()>
                {status}
            </p>
            {body}
        </div>
    }
}
