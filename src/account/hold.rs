//! "Place hold" on a record page: the pickup library (the patron's home
//! library by default; every pickup point to choose from, each with a
//! link to its page), a warning before placing when a copy is already on
//! the shelf there, and the result: the place in the queue, or the
//! server's reason in the patron's language (for `on_shelf_at_pickup`,
//! with where the copy stands).
//!
//! The request goes through `Session::with_sign_in`: a patron who is not
//! signed in (or whose session expired) signs in on the sheet, and the
//! hold is then placed once, at the library chosen before.

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::account::Hold;
use yuelan_api::{ErrorCode, Holding, ItemStatus, RecordDetail};

use crate::account::errors::error_text;
use crate::account::holds::pickup_points;
use crate::account::load_libraries;
use crate::api::{ApiError, use_api};
use crate::components::icons::{Icon, IconName};
use crate::i18n::account::{AccountText as T, queue};
use crate::i18n::{I18n, use_i18n};
use crate::routes::AppRoute;
use crate::session::{SignInReason, use_session};

/// The copies of `holdings` on the shelf at `library_id`.
pub fn on_shelf_at<'a>(holdings: &'a [Holding], library_id: &str) -> Vec<&'a Holding> {
    holdings
        .iter()
        .filter(|h| h.library_id == library_id && h.status == ItemStatus::OnShelf)
        .collect()
}

/// Place hold, on a record page.
#[component]
pub fn RecordHold(record: Arc<RecordDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<Hold, ApiError>>);
    // The choice, once the patron makes one; until then the home library.
    let chosen = RwSignal::new(None::<String>);

    let toggle = move |_| {
        open.update(|o| *o = !*o);
        result.set(None);
    };
    view! {
        <div class="record-hold">
            <button
                type="button"
                class="button place-hold"
                aria-expanded=move || open.get().to_string()
                aria-controls="hold-panel"
                on:click=toggle
            >
                <Icon name=IconName::Hold />
                {i18n.tr(T::PlaceHold)}
            </button>
            <Show when=move || open.get()>
                {
                    let record = Arc::clone(&record);
                    move || hold_panel(i18n, Arc::clone(&record), chosen, busy, result)
                }
            </Show>
        </div>
    }
}

fn hold_panel(
    i18n: I18n,
    record: Arc<RecordDetail>,
    chosen: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    result: RwSignal<Option<Result<Hold, ApiError>>>,
) -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let libraries = load_libraries();
    let english = i18n.locale().is_english();
    let record_id = record.id;

    // The pickup library: the patron's choice, else their home library,
    // else the first pickup point.
    let pickup = Memo::new(move |_| {
        if let Some(c) = chosen.get() {
            return c;
        }
        let home = session.patron().map(|p| p.home_library_id.clone());
        libraries.with(|l| {
            let points = l
                .as_ref()
                .and_then(|l| l.as_ref().ok())
                .map(pickup_points)
                .unwrap_or_default();
            home.filter(|h| points.iter().any(|(id, _)| id == h))
                .or_else(|| points.first().map(|(id, _)| id.clone()))
                .unwrap_or_default()
        })
    });
    let name_of = move |id: &str| crate::account::library_name(libraries, id, english);

    let place = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let at = pickup.get_untracked();
        // Keep the choice through a sign-in (the patron's home library
        // would otherwise replace it once known).
        chosen.set(Some(at.clone()));
        busy.set(true);
        result.set(None);
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::PlaceHold, || api.place_hold(record_id, &at))
                .await;
            busy.try_set(false);
            result.try_set(Some(out));
        });
    };

    let options = move || {
        libraries.with(|l| {
            let Some(Ok(list)) = l else {
                return Vec::new();
            };
            let current = pickup.get();
            pickup_points(list)
                .into_iter()
                .map(|(id, name)| {
                    let selected = id == current;
                    view! { <option value=id selected=selected>{name.get(english).to_owned()}</option> }
                })
                .collect::<Vec<_>>()
        })
    };
    let warn_record = Arc::clone(&record);
    let on_shelf_warning = move || {
        let at = pickup.get();
        let copies: Vec<Holding> = on_shelf_at(&warn_record.holdings, &at)
            .into_iter()
            .cloned()
            .collect();
        (!copies.is_empty()).then(|| {
            view! {
                <div class="hold-warning" role="note">
                    <p>
                        <Icon name=IconName::Check />
                        {i18n.tr(T::OnShelfHere)}
                    </p>
                    {copies_list(english, copies)}
                </div>
            }
        })
    };
    let outcome = move || {
        result.get().map(|r| match r {
            Ok(hold) => {
                let line = [
                    i18n.tr(T::HoldPlaced).to_owned(),
                    queue(i18n.locale(), hold.queue_position, hold.queue_length),
                    [i18n.tr(T::PickupAt), &name_of(&hold.pickup_library_id)].concat(),
                ]
                .join(" ");
                view! {
                    <div class="hold-outcome ok">
                        <p><Icon name=IconName::Check />{line}</p>
                        <p><a href=AppRoute::MeHolds.to_href()>{i18n.tr(T::SeeHolds)}</a></p>
                    </div>
                }
                .into_any()
            }
            Err(error) => {
                let message = error_text(i18n, &error);
                let shelf = match &error {
                    ApiError::Http {
                        problem: Some(p), ..
                    } if p.code == ErrorCode::OnShelfAtPickup => {
                        Some(copies_list(english, p.on_shelf.clone()))
                    }
                    _ => None,
                };
                let to_holds = (error.code() == Some(ErrorCode::DuplicateHold)).then(|| {
                    view! { <p><a href=AppRoute::MeHolds.to_href()>{i18n.tr(T::SeeHolds)}</a></p> }
                });
                view! {
                    <div class="hold-outcome refused">
                        <p><Icon name=IconName::Alert />{message}</p>
                        {shelf}
                        {to_holds}
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <form id="hold-panel" class="hold-panel" on:submit=place>
            <label for="hold-pickup">{i18n.tr(T::PickupLibrary)}</label>
            <div class="hold-pickup-row">
                <select
                    id="hold-pickup"
                    on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                >
                    {options}
                </select>
                <a class="about-library" href=move || AppRoute::Library(pickup.get()).to_href()>
                    {i18n.tr(T::AboutLibrary)}
                </a>
            </div>
            {on_shelf_warning}
            <button type="submit" class="button confirm-hold" disabled=move || busy.get()>
                {move || i18n.tr(if busy.get() { T::PlacingHold } else { T::ConfirmHold })}
            </button>
            <div class="hold-result" aria-live="polite">{outcome}</div>
        </form>
    }
}

/// Where copies stand: library, call number and shelf.
fn copies_list(english: bool, copies: Vec<Holding>) -> impl IntoView {
    let items = copies
        .into_iter()
        .map(|h| {
            let text = [
                h.library_name.get(english),
                h.call_number.as_str(),
                h.shelf_location.get(english),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! { <ul class="shelf-copies">{items}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::LocalizedText;

    fn holding(library: &str, status: ItemStatus) -> Holding {
        Holding {
            barcode: "b".into(),
            library_id: library.into(),
            library_name: LocalizedText::new("馆", "Library"),
            call_number: "I247".into(),
            shelf_location: LocalizedText::new("二楼", "2F"),
            status,
            due_date: None,
        }
    }

    #[test]
    fn only_copies_on_the_shelf_at_the_pickup_library_count() {
        let holdings = [
            holding("county", ItemStatus::OnShelf),
            holding("county", ItemStatus::OnLoan),
            holding("vc-tiechang", ItemStatus::OnHoldShelf),
            holding("br-shiwan", ItemStatus::OnShelf),
        ];
        assert_eq!(on_shelf_at(&holdings, "county").len(), 1);
        assert_eq!(on_shelf_at(&holdings, "vc-tiechang").len(), 0);
        assert_eq!(on_shelf_at(&holdings, "nowhere").len(), 0);
    }
}
