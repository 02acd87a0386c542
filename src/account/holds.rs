//! `/me/holds`: the patron's holds — ready ones first, with where and
//! until when to collect them; place in the queue; change of pickup
//! library; pause until a date and resume; cancel (after a confirmation).

use leptos::prelude::*;
use yuelan_api::LibraryList;
use yuelan_api::account::{Account, Hold, HoldStatus};

use crate::account::errors::error_text;
use crate::account::timeline::pickup_by;
use crate::account::{
    account_view, back_to_me, library_name, load_account, load_libraries, this_year,
};
use crate::api::{Request, Slot, use_api};
use crate::components::icons::{Icon, IconName};
use crate::components::title::page_title;
use crate::i18n::account::{AccountText as T, date, hold_status_text, queue};
use crate::i18n::{I18n, use_i18n};
use crate::routes::AppRoute;
use crate::session::{SignInReason, use_session};

/// Which form of a hold is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    None,
    Pickup,
    Suspend,
    Cancel,
}

/// One hold on the page, with its own state.
#[derive(Clone, Copy)]
struct HoldRow {
    hold: RwSignal<Hold>,
    panel: RwSignal<Panel>,
    busy: RwSignal<bool>,
    /// The last action's result: success, and the message.
    message: RwSignal<Option<(bool, String)>>,
    cancelled: RwSignal<bool>,
}

/// The page at `/me/holds`.
#[component]
pub fn HoldsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(T::HoldsTitle).to_owned());
    let retry = RwSignal::new(0u32);
    let account = load_account(retry);
    let libraries = load_libraries();
    view! {
        <div class="page holds-page">
            {back_to_me(i18n.locale())}
            <h1>{i18n.tr(T::HoldsTitle)}</h1>
            {move || {
                // Library names are shown with the holds, not after them.
                if libraries.with(Option::is_none) {
                    return account_view(i18n, None, retry, |_| ().into_any());
                }
                account_view(i18n, account.get(), retry, move |a| holds_view(i18n, a, libraries))
            }}
        </div>
    }
}

/// The libraries where holds can be collected: those marked as pickup
/// points (every library when a backend marks none).
pub fn pickup_points(libraries: &LibraryList) -> Vec<(String, yuelan_api::LocalizedText)> {
    let marked = libraries.libraries.iter().any(|l| l.pickup_point);
    libraries
        .libraries
        .iter()
        .filter(|l| l.pickup_point || !marked)
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect()
}

fn holds_view(i18n: I18n, account: Account, libraries: Slot<LibraryList>) -> AnyView {
    if account.holds.is_empty() {
        return view! { <p class="empty-note">{i18n.tr(T::NoHolds)}</p> }.into_any();
    }
    let items = account
        .holds
        .into_iter()
        .map(|hold| {
            hold_item(
                i18n,
                HoldRow {
                    hold: RwSignal::new(hold),
                    panel: RwSignal::new(Panel::None),
                    busy: RwSignal::new(false),
                    message: RwSignal::new(None),
                    cancelled: RwSignal::new(false),
                },
                libraries,
            )
        })
        .collect_view();
    view! { <ul class="holds">{items}</ul> }.into_any()
}

/// Runs a change of a hold and shows its result on the hold.
fn act(i18n: I18n, row: HoldRow, done: T, make: impl Fn() -> Request<Option<Hold>> + 'static) {
    if row.busy.get_untracked() {
        return;
    }
    row.busy.set(true);
    row.message.set(None);
    let session = use_session();
    leptos::task::spawn_local(async move {
        let out = session.with_sign_in(SignInReason::Other, make).await;
        row.busy.try_set(false);
        match out {
            Ok(Some(hold)) => {
                row.hold.try_set(hold);
                row.panel.try_set(Panel::None);
                row.message.try_set(Some((true, i18n.tr(done).to_owned())));
            }
            Ok(None) => {
                row.cancelled.try_set(true);
                row.message.try_set(Some((true, i18n.tr(done).to_owned())));
            }
            Err(e) => {
                row.message.try_set(Some((false, error_text(i18n, &e))));
            }
        }
    });
}

fn hold_item(i18n: I18n, row: HoldRow, libraries: Slot<LibraryList>) -> impl IntoView {
    let api = use_api();
    let locale = i18n.locale();
    let english = locale.is_english();
    let year = this_year();
    let (id, record_id, title, authors) = row
        .hold
        .with_untracked(|h| (h.id, h.record_id, h.title.clone(), h.authors.join(" / ")));
    let title_id = ["hold-title-", &id.to_string()].concat();
    let status = move || {
        row.hold.with(|h| {
            let where_ = library_name(libraries, &h.pickup_library_id, english);
            let mut line = [i18n.tr(T::PickupAt), &where_].concat();
            match h.status {
                HoldStatus::Ready => {
                    if let Some(by) = &h.pickup_by {
                        line.push_str(&pickup_by(locale, &date(locale, by, year)));
                    }
                }
                HoldStatus::Waiting => {
                    line = [line, queue(locale, h.queue_position, h.queue_length)].join(" · ");
                }
                HoldStatus::Suspended => {
                    if let Some(until) = &h.suspended_until {
                        line = [
                            &line,
                            " · ",
                            &suspended_until(i18n, &date(locale, until, year)),
                        ]
                        .concat();
                    }
                }
                HoldStatus::InTransit | HoldStatus::Unknown => {}
            }
            let icon = match h.status {
                HoldStatus::Ready => IconName::Check,
                HoldStatus::InTransit => IconName::Transit,
                HoldStatus::Suspended => IconName::Minus,
                HoldStatus::Waiting | HoldStatus::Unknown => IconName::Clock,
            };
            view! {
                <p class="hold-status" data-status=status_attr(h.status)>
                    <Icon name=icon />
                    <strong>{i18n.tr(hold_status_text(h.status))}</strong>
                </p>
                <p class="hold-where">{line}</p>
            }
        })
    };
    let changeable = move || {
        row.hold
            .with(|h| matches!(h.status, HoldStatus::Waiting | HoldStatus::Suspended))
    };
    let suspended = move || row.hold.with(|h| h.status == HoldStatus::Suspended);

    // The forms of the hold, one open at a time.
    let pickup_choice = RwSignal::new(row.hold.with_untracked(|h| h.pickup_library_id.clone()));
    let save_pickup = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pickup = pickup_choice.get_untracked();
        act(i18n, row, T::Saved, move || {
            let r = api.change_pickup(id, &pickup);
            Box::pin(async move { r.await.map(Some) })
        });
    };
    let (min_day, max_day) = suspend_range();
    let until = RwSignal::new(min_day.clone());
    let save_suspend = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = until.get_untracked();
        act(i18n, row, T::Saved, move || {
            let r = api.suspend_hold(id, &day);
            Box::pin(async move { r.await.map(Some) })
        });
    };
    let resume = move |_| {
        act(i18n, row, T::Saved, move || {
            let r = api.resume_hold(id);
            Box::pin(async move { r.await.map(Some) })
        });
    };
    let cancel = move |_| {
        act(i18n, row, T::HoldCancelled, move || {
            let r = api.cancel_hold(id);
            Box::pin(async move { r.await.map(|()| None) })
        });
    };
    let toggle = move |panel: Panel| {
        row.panel
            .update(|p| *p = if *p == panel { Panel::None } else { panel });
        row.message.set(None);
    };
    let pickup_options = move || {
        libraries.with(|l| {
            let Some(Ok(list)) = l else {
                return Vec::new();
            };
            let current = pickup_choice.get_untracked();
            pickup_points(list)
                .into_iter()
                .map(|(lib_id, name)| {
                    let selected = lib_id == current;
                    view! { <option value=lib_id selected=selected>{name.get(english).to_owned()}</option> }
                })
                .collect::<Vec<_>>()
        })
    };
    let pickup_select_id = ["pickup-", &id.to_string()].concat();
    let until_id = ["until-", &id.to_string()].concat();
    let panel = move || match row.panel.get() {
        Panel::None => ().into_any(),
        Panel::Pickup => view! {
            <form class="hold-form" on:submit=save_pickup>
                <label for=pickup_select_id.clone()>{i18n.tr(T::PickupLibrary)}</label>
                <select
                    id=pickup_select_id.clone()
                    on:change=move |ev| pickup_choice.set(event_target_value(&ev))
                >
                    {pickup_options}
                </select>
                <button type="submit" class="button" disabled=move || row.busy.get()>
                    {i18n.tr(T::SavePickup)}
                </button>
            </form>
        }
        .into_any(),
        Panel::Suspend => view! {
            <form class="hold-form" on:submit=save_suspend>
                <label for=until_id.clone()>{i18n.tr(T::SuspendUntil)}</label>
                <input
                    id=until_id.clone()
                    type="date"
                    required
                    min=min_day.clone()
                    max=max_day.clone()
                    prop:value=move || until.get()
                    on:input=move |ev| until.set(event_target_value(&ev))
                />
                <button type="submit" class="button" disabled=move || row.busy.get()>
                    {i18n.tr(T::SaveSuspend)}
                </button>
            </form>
        }
        .into_any(),
        Panel::Cancel => view! {
            <div class="hold-form confirm" role="group" aria-label=i18n.tr(T::CancelHold)>
                <p>{i18n.tr(T::ConfirmCancel)}</p>
                <button type="button" class="button danger confirm-cancel" on:click=cancel>
                    {i18n.tr(T::CancelHold)}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| row.panel.set(Panel::None)
                >
                    {i18n.tr(T::KeepHold)}
                </button>
            </div>
        }
        .into_any(),
    };
    let message = move || {
        row.message.get().map(|(ok, text)| {
            view! {
                <p class="hold-message" class:ok=ok class:refused=!ok>
                    <Icon name=if ok { IconName::Check } else { IconName::Alert } />
                    {text}
                </p>
            }
        })
    };
    let title_ref = title_id.clone();
    view! {
        <li class="hold" class:cancelled=move || row.cancelled.get()>
            <h2 class="hold-title" id=title_id>
                <a href=AppRoute::Record(record_id).to_href()>{title}</a>
            </h2>
            {(!authors.is_empty()).then(|| view! { <p class="hold-authors">{authors}</p> })}
            {move || (!row.cancelled.get()).then(&status)}
            <Show when=move || !row.cancelled.get()>
                <div class="hold-actions" role="group" aria-labelledby=title_ref.clone()>
                    <Show when=changeable>
                        <button
                            type="button"
                            class="link-button"
                            aria-expanded=move || (row.panel.get() == Panel::Pickup).to_string()
                            on:click=move |_| toggle(Panel::Pickup)
                        >
                            {i18n.tr(T::ChangePickup)}
                        </button>
                    </Show>
                    <Show
                        when=suspended
                        fallback=move || {
                            view! {
                                <Show when=changeable>
                                    <button
                                        type="button"
                                        class="link-button"
                                        aria-expanded=move || {
                                            (row.panel.get() == Panel::Suspend).to_string()
                                        }
                                        on:click=move |_| toggle(Panel::Suspend)
                                    >
                                        {i18n.tr(T::Suspend)}
                                    </button>
                                </Show>
                            }
                        }
                    >
                        <button type="button" class="link-button" on:click=resume>
                            {i18n.tr(T::Resume)}
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="link-button danger-link"
                        aria-expanded=move || (row.panel.get() == Panel::Cancel).to_string()
                        on:click=move |_| toggle(Panel::Cancel)
                    >
                        {i18n.tr(T::CancelHold)}
                    </button>
                </div>
                {panel.clone()}
            </Show>
            <div class="hold-result" aria-live="polite">{message}</div>
        </li>
    }
}

fn status_attr(status: HoldStatus) -> &'static str {
    status.as_str()
}

/// "暂停到 12月24日" / "paused until 24 Dec".
fn suspended_until(i18n: I18n, when: &str) -> String {
    match i18n.locale() {
        crate::i18n::Locale::Zh => ["暂停到 ", when].concat(),
        crate::i18n::Locale::English => ["paused until ", when].concat(),
    }
}

/// The days a hold may be paused until: tomorrow to 180 days ahead, in
/// the library's local date (UTC+8), as `YYYY-MM-DD`.
fn suspend_range() -> (String, String) {
    #[cfg(target_arch = "wasm32")]
    let now_ms = js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    let now_ms = 0.0;
    use yuelan_api::calendar::{format_date, library_day};
    let today = library_day(now_ms);
    (format_date(today + 1), format_date(today + 180))
}
