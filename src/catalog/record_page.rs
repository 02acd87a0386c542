//! The page of one record, `/record/:id`: what it is, and where its copies
//! are (on-shelf copies first).

use std::sync::Arc;

use crate::components::title::page_title;
use leptos::prelude::*;
use yuelan_api::{Holding, RecordDetail};

use crate::api::{ApiError, Slot, load_into, use_api};
use crate::catalog::availability::{branches_from_holdings, sort_holdings};
use crate::catalog::labels::language_name;
use crate::catalog::query::SearchState;
use crate::catalog::result_item::{AvailabilityLine, StatusText};
use crate::catalog::use_catalog;
use crate::components::cover::CoverPlaceholder;
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::share::ShareRecord;
use crate::components::skeleton::PageSkeleton;
use crate::components::slots::use_slots;
use crate::i18n::record::RecordText;
use crate::i18n::{self, I18n, Key, use_i18n};
use crate::router::use_router;
use crate::routes::{AppRoute, Page};

/// The page at `/record/:id`.
#[component]
pub fn RecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = use_api();
    let catalog = use_catalog();
    let router = use_router();
    // The id in the URL; while the router is already elsewhere (this page
    // is being replaced), the last one.
    let id = Memo::new(
        move |prev: Option<&Option<i64>>| match Page::of_path(&router.path()) {
            Page::Record(id) => id,
            _ => prev.copied().flatten(),
        },
    );

    let record: Slot<Arc<RecordDetail>> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(record, None, move || {
        retry.track();
        match id.get() {
            Some(id) => {
                let fut = client.record(id);
                Box::pin(async move { fut.await.map(Arc::new) })
            }
            // An id that is not a number names no record.
            None => Box::pin(async { Err(ApiError::status(404)) }),
        }
    });
    let refetch = move || retry.update(|n| *n = n.wrapping_add(1));

    page_title(move || {
        record.with(|r| match r {
            Some(Ok(r)) => r.title.clone(),
            _ => i18n.tr(RecordText::Details).to_owned(),
        })
    });

    // Back to the results: the search the patron came from, by going back
    // in history when they came straight from the list (keeps the scroll
    // position; the router does it for `data-history-back`), else by a link
    // to that search.
    let back_href = move || {
        let last = catalog
            .and_then(|c| c.last_search.get())
            .unwrap_or_default();
        AppRoute::Search(last).to_href()
    };
    let history_back = move || catalog.is_some_and(|c| c.from_results.get()).then_some("");
    on_cleanup(move || {
        if let Some(c) = catalog {
            c.from_results.try_set(false);
        }
    });

    view! {
        <div class="page record-page">
            <p class="back">
                <a class="back-link" href=back_href data-history-back=history_back>
                    <Icon name=IconName::Back />
                    <span>{i18n.tr(RecordText::BackToResults)}</span>
                </a>
            </p>
            {move || match record.get() {
                None => view! { <PageSkeleton /> }.into_any(),
                // Shown with the library names at once (see
                // `CatalogContext::libraries_settled`).
                Some(Ok(_)) if !catalog.is_none_or(|c| c.libraries_settled()) => {
                    view! { <PageSkeleton /> }.into_any()
                }
                Some(Err(error)) => view! {
                    <ErrorView error not_found=Key::ErrRecordNotFound on_retry=move |_| refetch() />
                }
                .into_any(),
                Some(Ok(r)) => untrack(|| record_view(r, i18n)).into_any(),
            }}
        </div>
    }
}

/// A `dt`/`dd` pair, when there is a value.
fn field(i18n: I18n, key: RecordText, value: Option<String>) -> Option<impl IntoView> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    Some(view! {
        <div class="field">
            <dt>{i18n.tr(key)}</dt>
            <dd>{value}</dd>
        </div>
    })
}

fn record_view(r: Arc<RecordDetail>, i18n: I18n) -> impl IntoView {
    let branches = branches_from_holdings(&r.holdings);
    let authors = (!r.authors.is_empty()).then(|| r.authors.join("; "));
    let format = r.format;
    let language = r.language.clone();
    let format_field = view! {
        <div class="field">
            <dt>{i18n.tr(RecordText::Format)}</dt>
            <dd>{i18n.t(i18n::format_key(format))}</dd>
        </div>
    };
    let language_field = (!language.is_empty()).then(|| {
        view! {
            <div class="field">
                <dt>{i18n.tr(RecordText::Language)}</dt>
                <dd>{language_name(i18n.locale(), &language)}</dd>
            </div>
        }
    });
    let subjects = (!r.subjects.is_empty()).then(|| {
        let links = r
            .subjects
            .iter()
            .map(|s| {
                let href = AppRoute::Search(SearchState::with_subject(s)).to_href();
                view! { <li><a class="subject-link" href=href>{s.clone()}</a></li> }
            })
            .collect_view();
        view! {
            <section class="record-section" aria-labelledby="subjects-h">
                <h2 id="subjects-h">{i18n.tr(RecordText::Subjects)}</h2>
                <ul class="subject-links">{links}</ul>
            </section>
        }
    });
    let summary = r.summary.clone().filter(|s| !s.trim().is_empty()).map(|s| {
        view! {
            <section class="record-section" aria-labelledby="summary-h">
                <h2 id="summary-h">{i18n.tr(RecordText::Summary)}</h2>
                <p class="record-summary">{s}</p>
            </section>
        }
    });
    let holdings = r.holdings.clone();
    // What other features offer here (a hold, a list), filled at app level.
    let actions = use_slots().map(|slots| (slots.record_actions)(Arc::clone(&r)));
    let share = view! { <ShareRecord record_id=r.id title=r.title.clone() /> };

    view! {
        <article class="record">
            <div class="record-head">
                <CoverPlaceholder title=r.title.clone() large=true />
                <div class="record-heading">
                    <h1 class="record-title">{r.title.clone()}</h1>
                    {r.subtitle.clone().filter(|s| !s.is_empty()).map(|s| view! { <p class="record-subtitle">{s}</p> })}
                    {authors.clone().map(|a| view! { <p class="record-authors">{a}</p> })}
                    <AvailabilityLine branches />
                </div>
            </div>
            <div class="record-actions">{actions}</div>
            <section class="record-section" aria-labelledby="holdings-h">
                <h2 id="holdings-h">{i18n.tr(RecordText::Holdings)}</h2>
                {holdings_table(holdings, i18n)}
            </section>
            <section class="record-section" aria-labelledby="details-h">
                <h2 id="details-h">{i18n.tr(RecordText::Details)}</h2>
                <dl class="record-fields">
                    {field(i18n, RecordText::Authors, authors)}
                    {field(i18n, RecordText::Publisher, r.publisher.clone())}
                    {field(i18n, RecordText::Place, r.publication_place.clone())}
                    {field(i18n, RecordText::Year, r.year.map(|y| y.to_string()))}
                    {field(i18n, RecordText::Isbn, r.isbn.clone())}
                    {format_field}
                    {language_field}
                    {field(i18n, RecordText::Extent, r.extent.clone())}
                    {field(i18n, RecordText::Series, r.series.clone())}
                    {field(i18n, RecordText::Classification, r.classification.clone())}
                </dl>
            </section>
            {summary}
            {subjects}
            {share}
        </article>
    }
}

/// The copies, on-shelf first, then by library name in the patron's
/// language.
fn holdings_table(holdings: Vec<Holding>, i18n: I18n) -> impl IntoView {
    if holdings.is_empty() {
        return leptos::either::Either::Left(view! {
            <p class="no-holdings">{i18n.tr(RecordText::NoHoldings)}</p>
        });
    }
    let english = i18n.locale().is_english();
    let mut sorted = holdings;
    sort_holdings(&mut sorted, english);
    let rows = sorted
        .into_iter()
        .map(|h| {
            let status = h.status;
            view! {
                <tr>
                    <td class="holding-branch" data-label=i18n.tr(RecordText::Branch)>
                        <a href=AppRoute::Library(h.library_id).to_href()>
                            {h.library_name.get(english).to_owned()}
                        </a>
                    </td>
                    <td class="holding-call" data-label=i18n.tr(RecordText::CallNumber)>
                        {h.call_number}
                    </td>
                    <td class="holding-shelf" data-label=i18n.tr(RecordText::ShelfLocation)>
                        {h.shelf_location.get(english).to_owned()}
                    </td>
                    <td class="holding-status" data-label=i18n.tr(RecordText::Status)>
                        <StatusText status />
                    </td>
                    <td class="holding-due" data-label=i18n.tr(RecordText::DueDate)>
                        {h.due_date.unwrap_or_default()}
                    </td>
                </tr>
            }
        })
        .collect_view();
    leptos::either::Either::Right(view! {
        <table class="holdings" aria-labelledby="holdings-h">
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(RecordText::Branch)}</th>
                    <th scope="col">{i18n.tr(RecordText::CallNumber)}</th>
                    <th scope="col">{i18n.tr(RecordText::ShelfLocation)}</th>
                    <th scope="col">{i18n.tr(RecordText::Status)}</th>
                    <th scope="col">{i18n.tr(RecordText::DueDate)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}
