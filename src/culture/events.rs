//! The events calendar, `/culture/events`, and an event's page,
//! `/culture/events/{id}`: when and where (the place linked to its
//! library's page), "remind me" (the event's `.ics`), the live stream or
//! the replay, and registration (活动报名) for events with places.
//!
//! A registration is sent with an `Idempotency-Key` made for the attempt
//! and kept until the server gives an answer: a retry after a network
//! failure or a timeout sends the same key, so it never registers twice.

use leptos::prelude::*;
use yuelan_api::culture::{
    CultureEvent, EventList, EventStatus, MediaKind, RegistrationStatus, Stream,
};

use super::home::event_line;
use super::programme::player_view;
use super::resume::device_id_of;
use super::route::CultureRoute;
use super::{culture_nav, error_text, not_found};
use crate::api::{ApiError, Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::culture::{self as texts, CultureText as C, category_text};
use crate::i18n::{I18n, use_i18n};
use crate::player::PlayerSource;
use crate::routes::AppRoute;
use crate::session::{SignInReason, use_session};

/// The page at `/culture/events`.
#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(C::EventsTitle).to_owned());
    let api = use_api();
    let list: Slot<EventList> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(list, None, move || {
        retry.track();
        api.culture_events()
    });
    view! {
        <div class="page culture-page events-page">
            {culture_nav(i18n)}
            <h1>{i18n.tr(C::EventsTitle)}</h1>
            {move || match list.get() {
                None => view! { <PageSkeleton /> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
                }
                .into_any(),
                Some(Ok(list)) => untrack(|| calendar(i18n, list)).into_any(),
            }}
        </div>
    }
}

/// Live and upcoming events first, then those with a replay, then the
/// rest, each group by start.
fn calendar(i18n: I18n, list: EventList) -> AnyView {
    if list.events.is_empty() {
        return view! { <p class="empty-state">{i18n.tr(C::NoEvents)}</p> }.into_any();
    }
    let groups = [
        (EventStatus::Live, C::LiveNow),
        (EventStatus::Upcoming, C::Upcoming),
        (EventStatus::Replay, C::Replay),
        (EventStatus::Ended, C::Ended),
    ]
    .into_iter()
    .filter_map(|(status, heading)| {
        let items: Vec<&CultureEvent> = list
            .events
            .iter()
            .filter(|e| {
                e.status == status
                    || (status == EventStatus::Upcoming && e.status == EventStatus::Unknown)
            })
            .collect();
        (!items.is_empty()).then(|| {
            let id = ["events-", status.as_str()].concat();
            let lines = items
                .into_iter()
                .map(|e| event_line(i18n, e))
                .collect_view();
            view! {
                <section class="event-group" aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{i18n.tr(heading)}</h2>
                    <ul class="event-lines">{lines}</ul>
                </section>
            }
        })
    })
    .collect_view();
    groups.into_any()
}

/// The page at `/culture/events/{id}`.
#[component]
pub fn EventPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let event: Slot<CultureEvent> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(event, None, move || {
        retry.track();
        // The patron's registration changes with who is signed in.
        session.generation();
        api.culture_event(&id)
    });
    page_title(move || {
        event.with(|e| match e {
            Some(Ok(e)) => e.title.get(i18n.locale().is_english()).to_owned(),
            _ => i18n.tr(C::EventsTitle).to_owned(),
        })
    });
    let reload = move || retry.update(|n| *n = n.wrapping_add(1));
    // Kept across reloads (after registering or cancelling), so that the
    // outcome stays on screen and a retry reuses its key.
    let reg = RegState {
        busy: RwSignal::new(false),
        message: RwSignal::new(None),
        key: StoredValue::new(None),
    };
    move || match event.get() {
        None => view! { <div class="page culture-page"><PageSkeleton /></div> }.into_any(),
        Some(Err(error)) if error.is_not_found() => not_found(i18n, C::EventNotFound).into_any(),
        Some(Err(error)) => view! {
            <div class="page culture-page">
                <ErrorView error on_retry=move |_| reload() />
            </div>
        }
        .into_any(),
        Some(Ok(e)) => untrack(|| event_view(i18n, e, reg, reload)).into_any(),
    }
}

fn event_view(
    i18n: I18n,
    e: CultureEvent,
    reg: RegState,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let locale = i18n.locale();
    let english = locale.is_english();
    let when = [
        texts::when(locale, &e.starts_at),
        " – ".to_owned(),
        e.ends_at.get(11..16).unwrap_or_default().to_owned(),
    ]
    .concat();
    let live = e.status == EventStatus::Live;
    let url = match e.status {
        EventStatus::Live => e.live_url.clone(),
        EventStatus::Replay => e.replay_url.clone(),
        _ => None,
    };
    let player = url.map(|master_url| {
        let source = PlayerSource {
            stream: Stream {
                kind: MediaKind::Video,
                master_url,
                renditions: Vec::new(),
                audio_url: None,
                available: true,
            },
            subtitles: Vec::new(),
            chapters: Vec::new(),
            title: e.title.get(english).to_owned(),
            artist: e.library_name.get(english).to_owned(),
            poster: None,
            live,
            start_at: 0.0,
        };
        let heading = i18n.tr(if live { C::WatchLive } else { C::WatchReplay });
        view! {
            <h2 class="sr-only">{heading}</h2>
            {player_view(source, Callback::new(|_| {}))}
        }
    });
    let programme = e.programme_id.clone().map(|id| {
        view! {
            <p>
                <a class="button secondary" href=CultureRoute::Programme(id).to_href()>
                    {i18n.tr(C::SeeProgramme)}
                </a>
            </p>
        }
    });
    let registration = e
        .places
        .is_some()
        .then(|| registration_block(i18n, &e, reg, reload));
    view! {
        <div class="page culture-page event-page">
            {culture_nav(i18n)}
            <p class="event-status-line" data-status=e.status.as_str()>
                {live.then(|| view! { <span class="live-badge">{i18n.tr(C::LiveBadge)}</span> })}
                {i18n.tr(texts::status_text(e.status))}
                " · "
                {i18n.tr(category_text(e.category))}
            </p>
            <h1>{e.title.get(english).to_owned()}</h1>
            <dl class="event-facts">
                <dt><Icon name=IconName::Clock />{i18n.tr(C::Duration)}</dt>
                <dd>{when}</dd>
                <dt><Icon name=IconName::Home />{i18n.tr(C::Place)}</dt>
                <dd>
                    <a class="event-library" href=AppRoute::Library(e.library_id.clone()).to_href()>
                        {e.library_name.get(english).to_owned()}
                    </a>
                    " · "
                    {e.place.get(english).to_owned()}
                </dd>
            </dl>
            {player}
            {programme}
            <p class="event-summary">{e.summary.get(english).to_owned()}</p>
            {registration}
            {(e.status == EventStatus::Upcoming).then(|| view! {
                <p>
                    <a class="button secondary remind-me" href=e.ics_url.clone() download="">
                        <Icon name=IconName::Clock />
                        {i18n.tr(C::RemindMe)}
                    </a>
                </p>
            })}
        </div>
    }
}

/// What the registration block shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceState {
    /// Registered or waiting: Cancel.
    Mine,
    /// Places free: Register.
    Open,
    /// Every place taken: join the waitlist.
    Full,
    /// No more registrations (started, or closed).
    Closed,
}

/// The block's state from the event's places and the patron's registration.
pub fn place_state(e: &CultureEvent) -> PlaceState {
    let mine = e
        .mine
        .as_ref()
        .is_some_and(|m| m.status != RegistrationStatus::Cancelled);
    match &e.places {
        _ if mine => PlaceState::Mine,
        Some(p) if p.open && p.registered < p.capacity => PlaceState::Open,
        Some(p) if p.open => PlaceState::Full,
        _ => PlaceState::Closed,
    }
}

/// A fresh `Idempotency-Key`.
fn new_key() -> String {
    device_id_of(&super::resume::unique_bytes())
}

/// The registration block's state, kept across the event's reloads.
#[derive(Clone, Copy)]
struct RegState {
    busy: RwSignal<bool>,
    /// The last outcome: whether it went through, and what to say.
    message: RwSignal<Option<(bool, String)>>,
    /// The key of the attempt in progress: kept across retries until the
    /// server answers.
    key: StoredValue<Option<String>>,
}

fn registration_block(
    i18n: I18n,
    e: &CultureEvent,
    reg_state: RegState,
    reload: impl Fn() + Copy + 'static,
) -> AnyView {
    let locale = i18n.locale();
    let api = use_api();
    let session = use_session();
    let RegState { busy, message, key } = reg_state;
    let event_id = StoredValue::new(e.id.clone());
    let state = place_state(e);
    let register = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let k = key.get_value().unwrap_or_else(new_key);
        key.set_value(Some(k.clone()));
        let id = event_id.get_value();
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, || api.register(&id, &k))
                .await;
            busy.try_set(false);
            match out {
                Ok(reg) => {
                    key.try_set_value(None);
                    let text = if reg.status == RegistrationStatus::Waiting {
                        texts::waitlist(locale, reg.waitlist_position)
                    } else {
                        i18n.tr(C::Registered).to_owned()
                    };
                    message.try_set(Some((true, text)));
                    reload();
                }
                Err(error) => {
                    // Only a failure with no answer may be retried with the
                    // same key; any answer ends the attempt.
                    if matches!(error, ApiError::Http { .. })
                        && error.code() != Some(yuelan_api::ErrorCode::RequestInFlight)
                    {
                        key.try_set_value(None);
                    }
                    message.try_set(Some((false, error_text(i18n, &error).to_owned())));
                }
            }
        });
    };
    let registration_id = e.mine.as_ref().map(|m| m.registration_id);
    let cancel = move |_| {
        let Some(reg) = registration_id else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, || api.cancel_registration(reg))
                .await;
            busy.try_set(false);
            match out {
                Ok(()) => {
                    message.try_set(Some((true, i18n.tr(C::RegistrationCancelled).to_owned())));
                    reload();
                }
                Err(error) => {
                    message.try_set(Some((false, error_text(i18n, &error).to_owned())));
                }
            }
        });
    };
    let counts = e
        .places
        .as_ref()
        .map(|p| texts::places(locale, p.registered, p.capacity, p.waiting));
    let mine_line = e.mine.as_ref().and_then(|m| match m.status {
        RegistrationStatus::Registered => Some(i18n.tr(C::Registered).to_owned()),
        RegistrationStatus::Waiting => Some(texts::waitlist(locale, m.waitlist_position)),
        _ => None,
    });
    let action = match state {
        PlaceState::Mine => view! {
            <button type="button" class="button secondary cancel-registration" disabled=move || busy.get() on:click=cancel>
                {i18n.tr(C::CancelRegistration)}
            </button>
        }
        .into_any(),
        PlaceState::Open | PlaceState::Full => view! {
            <button type="button" class="button register" disabled=move || busy.get() on:click=register>
                {i18n.tr(if state == PlaceState::Full { C::JoinWaitlist } else { C::Register })}
            </button>
        }
        .into_any(),
        PlaceState::Closed => view! {
            <p class="registration-closed"><Icon name=IconName::Minus />{i18n.tr(C::RegistrationClosed)}</p>
        }
        .into_any(),
    };
    view! {
        <section class="event-registration" aria-labelledby="registration-h">
            <h2 id="registration-h">{i18n.tr(C::Register)}</h2>
            <p class="places">
                {counts}
                {(state == PlaceState::Full).then(|| [" · ", i18n.tr(C::Full)].concat())}
            </p>
            {mine_line.map(|l| view! { <p class="my-place"><Icon name=IconName::Check />{l}</p> })}
            {action}
            <p class="registration-outcome" role="status">
                {move || message.get().map(|(ok, text)| view! {
                    <span class=if ok { "culture-ok" } else { "culture-refused" }>
                        <Icon name=if ok { IconName::Check } else { IconName::Alert } />
                        {text}
                    </span>
                })}
            </p>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::LocalizedText;
    use yuelan_api::culture::{Category, MyPlace, Places};

    fn event(places: Option<Places>, mine: Option<MyPlace>) -> CultureEvent {
        CultureEvent {
            id: "ev".into(),
            title: LocalizedText::new("活动", "Event"),
            summary: LocalizedText::default(),
            category: Category::Lecture,
            library_id: "county".into(),
            library_name: LocalizedText::default(),
            place: LocalizedText::default(),
            starts_at: String::new(),
            ends_at: String::new(),
            status: EventStatus::Upcoming,
            credits: Vec::new(),
            live_url: None,
            replay_url: None,
            ics_url: String::new(),
            programme_id: None,
            places,
            mine,
        }
    }

    fn places(registered: u32, open: bool) -> Option<Places> {
        Some(Places {
            capacity: 2,
            registered,
            waiting: 0,
            open,
        })
    }

    #[test]
    fn the_block_follows_places_and_the_patrons_registration() {
        assert_eq!(place_state(&event(places(0, true), None)), PlaceState::Open);
        assert_eq!(place_state(&event(places(2, true), None)), PlaceState::Full);
        assert_eq!(
            place_state(&event(places(1, false), None)),
            PlaceState::Closed
        );
        assert_eq!(place_state(&event(None, None)), PlaceState::Closed);
        let mine = |status| {
            Some(MyPlace {
                registration_id: 1,
                status,
                waitlist_position: None,
            })
        };
        assert_eq!(
            place_state(&event(places(2, true), mine(RegistrationStatus::Waiting))),
            PlaceState::Mine
        );
        assert_eq!(
            place_state(&event(places(1, true), mine(RegistrationStatus::Cancelled))),
            PlaceState::Open
        );
    }
}
