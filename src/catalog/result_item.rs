//! One record in the result list, and the availability line it shares
//! with the record page.

use leptos::prelude::*;
use yuelan_api::{BranchAvailability, ItemStatus, SearchHit};

use crate::catalog::availability::{AvailabilityStatus, AvailabilitySummary, on_shelf_library_ids};
use crate::catalog::labels::language_name;
use crate::catalog::{library_label, use_catalog};
use crate::components::cover::CoverPlaceholder;
use crate::components::icons::{Icon, IconName};
use crate::i18n::{self, use_i18n};
use crate::routes::AppRoute;

/// How many libraries with a copy on the shelf are named in a result.
const NAMED_LIBRARIES: usize = 3;

/// The icon next to an availability text (never the only signal: the text
/// says the same).
pub fn availability_icon(status: AvailabilityStatus) -> IconName {
    match status {
        AvailabilityStatus::OnShelf => IconName::Check,
        AvailabilityStatus::AllOnLoan => IconName::Clock,
        AvailabilityStatus::NoCopies => IconName::Minus,
    }
}

/// The icon of a copy's status.
pub fn status_icon(status: ItemStatus) -> IconName {
    match status {
        ItemStatus::OnShelf => IconName::Check,
        ItemStatus::OnLoan => IconName::Clock,
        ItemStatus::InTransit => IconName::Transit,
        ItemStatus::OnHoldShelf => IconName::Hold,
        ItemStatus::Unknown => IconName::Question,
    }
}

/// "2 of 5 on shelf · 3 branches", then the first libraries with a copy on
/// the shelf.
#[component]
pub fn AvailabilityLine(
    /// Copies per library, libraries with copies on the shelf first.
    branches: Vec<BranchAvailability>,
) -> impl IntoView {
    let i18n = use_i18n();
    let catalog = use_catalog();
    let summary = AvailabilitySummary::from_branches(&branches);
    let status = summary.status();
    let ids: Vec<String> = on_shelf_library_ids(&branches, NAMED_LIBRARIES)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let more = summary.libraries_on_shelf.saturating_sub(ids.len() as u32);
    let at = (!ids.is_empty()).then(|| {
        let text = move || {
            let locale = i18n.locale();
            let names: Vec<String> = ids
                .iter()
                .map(|id| library_label(catalog, id, locale.is_english()))
                .collect();
            i18n::on_shelf_at(locale, &names, more)
        };
        view! { <p class="on-shelf-at">{text}</p> }
    });
    view! {
        <div class="availability" data-status=status.as_str()>
            <p class="availability-summary">
                <Icon name=availability_icon(status) />
                <span>{i18n::availability_line(i18n.locale(), &summary)}</span>
            </p>
            {at}
        </div>
    }
}

/// A record in the result list. `on_open` runs when its title link is
/// followed (before navigation).
#[component]
pub fn ResultItem(hit: SearchHit, #[prop(into)] on_open: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let SearchHit {
        id,
        title,
        subtitle,
        authors,
        year,
        format,
        language,
        availability,
        ..
    } = hit;
    let href = AppRoute::Record(id).to_href();
    // What other features offer beside a result (a favourite toggle).
    let actions =
        crate::components::slots::use_slots().map(|slots| (slots.result_actions)(id, &title));
    let authors = authors.join(" / ");
    let meta = {
        let locale = i18n.locale();
        let mut parts: Vec<String> = Vec::with_capacity(4);
        if !authors.is_empty() {
            parts.push(authors);
        }
        if let Some(y) = year {
            parts.push(y.to_string());
        }
        parts.push(i18n::text(locale, i18n::format_key(format)).to_owned());
        if !language.is_empty() {
            parts.push(language_name(locale, &language));
        }
        parts.join(" · ")
    };
    view! {
        <li class="result">
            <CoverPlaceholder title=title.clone() />
            <div class="result-body">
                <h2 class="result-heading">
                    <a class="result-title" href=href on:click=move |_| on_open.run(())>
                        {title}
                    </a>
                </h2>
                {subtitle.filter(|s| !s.is_empty()).map(|s| view! { <p class="result-subtitle">{s}</p> })}
                <p class="result-meta">{meta}</p>
                <AvailabilityLine branches=availability />
            </div>
            {actions}
        </li>
    }
}

/// The status of one copy: icon and text.
#[component]
pub fn StatusText(status: ItemStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="status" data-status=status.as_str()>
            <Icon name=status_icon(status) />
            <span>{i18n.t(i18n::status_key(status))}</span>
        </span>
    }
}
