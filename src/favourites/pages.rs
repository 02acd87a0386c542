//! The pages of favourite lists: the patron's lists (`/me/lists`), one of
//! them (`/me/lists/{id}`), and a list shared by link (`/lists/{token}`),
//! which anyone can read without signing in.

use leptos::prelude::*;
use yuelan_api::account::{FavouriteList, ListChange, ListEntry, SharedList};

use super::model;
use super::store::Store;
use super::ui::{self, entry_meta, error_text, name_error_text};
use crate::api::{ApiError, Slot, load_into, use_api};
use crate::components::cover::CoverPlaceholder;
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::favourites::{self as texts, FavText};
use crate::i18n::{I18n, use_i18n};
use crate::router::use_router;
use crate::routes::{AppRoute, Page};
use crate::session::{Auth, Session, SignInReason};

/// The id of the lists pages' live status line.
const STATUS_ID: &str = "fav-page-status";

/// Loads the patron's lists for a page: when it opens, at each sign-in or
/// sign-out, and on Retry. Returns the last error (not "signed out",
/// which the page shows as a sign-in button) and the Retry action.
fn load_lists(store: &Store) -> (RwSignal<Option<ApiError>>, Callback<()>) {
    let error = RwSignal::new(None::<ApiError>);
    let retry = RwSignal::new(0u32);
    let session = store.session();
    let store = store.clone();
    Effect::new(move |_| {
        retry.track();
        let _ = session.generation();
        if session.auth() == Auth::SignedOut {
            return;
        }
        error.set(None);
        let load = store.clone().load();
        store.spawn(async move {
            if let Err(e) = load.await
                && !e.needs_sign_in()
            {
                error.try_set(Some(e));
            }
        });
    });
    let on_retry = Callback::new(move |()| retry.update(|n| *n = n.wrapping_add(1)));
    (error, on_retry)
}

/// Where a lists page stands before it can show the lists.
#[derive(Clone, Debug, PartialEq)]
enum Wait {
    /// Nobody is signed in: the page offers sign-in.
    SignedOut,
    /// The last load failed (and the lists are not here).
    Failed(ApiError),
    Loading,
    /// The lists are here.
    Ready,
}

/// The page's [`Wait`], memoised: the page is rebuilt only when it
/// changes, not at every change of the lists (which would lose the focus
/// and what the patron is typing).
fn wait_state(session: Session, store: &Store, error: RwSignal<Option<ApiError>>) -> Memo<Wait> {
    let store = store.clone();
    Memo::new(move |_| {
        if session.auth() == Auth::SignedOut {
            Wait::SignedOut
        } else if store.with(|_| ()).is_some() {
            Wait::Ready
        } else if let Some(e) = error.get() {
            Wait::Failed(e)
        } else {
            Wait::Loading
        }
    })
}

/// What a lists page shows while it cannot show the lists.
fn waiting_view(i18n: I18n, session: Session, wait: Wait, on_retry: Callback<()>) -> AnyView {
    match wait {
        Wait::SignedOut => {
            let sign_in = move |_| {
                leptos::task::spawn_local_scoped(async move {
                    session.ask(SignInReason::Favourite).await;
                });
            };
            view! {
                <section class="fav-signin">
                    <p>{i18n.tr(FavText::SignInPrompt)}</p>
                    <button type="button" class="button" on:click=sign_in>
                        {i18n.tr(FavText::SignIn)}
                    </button>
                </section>
            }
            .into_any()
        }
        Wait::Failed(error) => view! { <ErrorView error on_retry /> }.into_any(),
        Wait::Loading | Wait::Ready => view! { <PageSkeleton /> }.into_any(),
    }
}

/// The page at `/me/lists`.
#[component]
pub fn ListsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(FavText::ListsTitle).to_owned());
    let store = Store::get();
    let session = store.session();
    let (error, on_retry) = load_lists(&store);
    // What the last action on the page did (a list deleted, created).
    let status = RwSignal::new(String::new());

    let ids = {
        let store = store.clone();
        move || {
            store
                .with(|lists| lists.iter().map(|l| l.id).collect::<Vec<_>>())
                .unwrap_or_default()
        }
    };
    let card = {
        let store = store.clone();
        move |id: i64| list_card(i18n, store.clone(), id, status)
    };
    let is_empty = {
        let store = store.clone();
        move || store.with(<[FavouriteList]>::is_empty).unwrap_or(false)
    };
    let wait = wait_state(session, &store, error);
    let body = {
        let store = store.clone();
        move || {
            let state = wait.get();
            if state != Wait::Ready {
                return waiting_view(i18n, session, state, on_retry);
            }
            let store = store.clone();
            let card = card.clone();
            let ids = ids.clone();
            let is_empty = is_empty.clone();
            untrack(move || {
                view! {
                    <p class="muted">{i18n.tr(FavText::ListsIntro)}</p>
                    {move || {
                        is_empty()
                            .then(|| {
                                view! {
                                    <EmptyState title=i18n.tr(FavText::NoLists)>
                                        <p>{i18n.tr(FavText::NoListsHelp)}</p>
                                    </EmptyState>
                                }
                            })
                    }}
                    <ul class="fav-lists">
                        <For each=ids key=|id| *id children=card />
                    </ul>
                    {create_form(i18n, store, status)}
                }
                .into_any()
            })
        }
    };
    view! {
        <div class="page lists-page">
            <h1>{i18n.tr(FavText::ListsTitle)}</h1>
            <p class="fav-page-status" id=STATUS_ID role="status" tabindex="-1">
                {move || status.get()}
            </p>
            {body}
        </div>
    }
}

/// The card of one list on `/me/lists`: name (a link), count, whether it
/// is shared; rename, delete (after a warning), and the share switch with
/// the link and a copy button.
fn list_card(i18n: I18n, store: Store, id: i64, page_status: RwSignal<String>) -> impl IntoView {
    let locale = i18n.locale();
    let list = {
        let store = store.clone();
        Memo::new(move |_| {
            store
                .with(|lists| lists.iter().find(|l| l.id == id).cloned())
                .flatten()
        })
    };
    let field = |what: fn(&FavouriteList) -> String| {
        move || list.with(|l| l.as_ref().map(what).unwrap_or_default())
    };
    let name = field(|l| l.name.clone());
    let shared = move || list.with(|l| l.as_ref().is_some_and(|l| l.shared));
    let count = move || {
        list.with(|l| texts::titles_count(locale, l.as_ref().map_or(0, |l| l.entries.len())))
    };
    let status = RwSignal::new(String::new());
    let base = ["fav-list-", &id.to_string()].concat();
    let title_id = [&base, "-name"].concat();
    let share_label_id = [&base, "-share"].concat();
    let share_help_id = [&base, "-share-help"].concat();
    let link_id = [&base, "-link"].concat();

    // What the card is doing: showing, renaming, or asking before delete.
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Show,
        Rename,
        ConfirmDelete,
    }
    let mode = RwSignal::new(Mode::Show);
    let busy = RwSignal::new(false);

    let rename_form = {
        let store = store.clone();
        let base = base.clone();
        move || {
            let store = store.clone();
            let input_id = [&base, "-rename"].concat();
            let error_id = [&base, "-rename-err"].concat();
            let typed = RwSignal::new(
                list.with_untracked(|l| l.as_ref().map(|l| l.name.clone()).unwrap_or_default()),
            );
            let error = RwSignal::new(None::<&'static str>);
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if busy.get_untracked() {
                    return;
                }
                let valid = match model::validate_name(&typed.get_untracked()) {
                    Ok(v) => v,
                    Err(e) => {
                        error.set(Some(name_error_text(i18n, e)));
                        return;
                    }
                };
                error.set(None);
                busy.set(true);
                let change = ListChange {
                    name: Some(valid),
                    shared: None,
                };
                let request = store.clone().change(id, change);
                store.spawn(async move {
                    let answer = request.await;
                    busy.try_set(false);
                    match answer {
                        Ok(list) => {
                            mode.try_set(Mode::Show);
                            status.try_set(texts::renamed(i18n.locale(), &list.name));
                        }
                        Err(e) => {
                            error.try_set(Some(error_text(i18n, &e)));
                        }
                    }
                });
            };
            ui::focus_later(input_id.clone());
            view! {
                <form class="fav-rename" on:submit=submit novalidate>
                    <label for=input_id.clone()>{i18n.tr(FavText::RenameLabel)}</label>
                    <input
                        type="text"
                        id=input_id
                        autocomplete="off"
                        aria-describedby=error_id.clone()
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <p class="field-error" id=error_id>{move || error.get()}</p>
                    <div class="fav-actions">
                        <button type="submit" class="button">{i18n.tr(FavText::Save)}</button>
                        <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Show)>
                            {i18n.tr(FavText::Cancel)}
                        </button>
                    </div>
                </form>
            }
        }
    };

    let confirm_delete = {
        let store = store.clone();
        move || {
            let store = store.clone();
            let (name, n) = list.with_untracked(|l| {
                l.as_ref()
                    .map(|l| (l.name.clone(), l.entries.len()))
                    .unwrap_or_default()
            });
            let warning = texts::delete_warning(locale, &name, n);
            let delete = move |_| {
                if busy.get_untracked() {
                    return;
                }
                busy.set(true);
                let request = store.clone().delete(id);
                let name = name.clone();
                store.spawn(async move {
                    let answer = request.await;
                    busy.try_set(false);
                    match answer {
                        Ok(()) => {
                            // The card is gone: the page's status says so,
                            // and takes the focus.
                            page_status.try_set(texts::deleted(locale, &name));
                            ui::focus_later(STATUS_ID.to_owned());
                        }
                        Err(e) => {
                            status.try_set(error_text(i18n, &e).to_owned());
                        }
                    }
                });
            };
            let warning_id = [&base, "-warn"].concat();
            let focus_id = [&base, "-confirm"].concat();
            ui::focus_later(focus_id.clone());
            let labelled_by = warning_id.clone();
            view! {
                <div class="fav-confirm" role="group" aria-labelledby=labelled_by>
                    <p class="fav-warning" id=warning_id>
                        <Icon name=IconName::Alert />
                        <span>{warning}</span>
                    </p>
                    <div class="fav-actions">
                        <button type="button" class="button danger" id=focus_id on:click=delete>
                            {i18n.tr(FavText::ConfirmDelete)}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Show)>
                            {i18n.tr(FavText::Cancel)}
                        </button>
                    </div>
                </div>
            }
        }
    };

    let toggle_share = {
        let store = store.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let change = ListChange {
                name: None,
                shared: Some(!shared()),
            };
            let request = store.clone().change(id, change);
            store.spawn(async move {
                let answer = request.await;
                busy.try_set(false);
                match answer {
                    Ok(list) => status.try_set(
                        i18n.tr(if list.shared {
                            FavText::Shared
                        } else {
                            FavText::NotShared
                        })
                        .to_owned(),
                    ),
                    Err(e) => status.try_set(error_text(i18n, &e).to_owned()),
                };
            });
        }
    };

    // The link's token while the list is shared.
    let token = Memo::new(move |_| {
        list.with(|l| {
            l.as_ref()
                .filter(|l| l.shared)
                .map(|l| l.share_token.clone())
        })
    });
    let share_link = {
        let link_id = link_id.clone();
        move || {
            let token = token.get()?;
            let origin = window().location().origin().unwrap_or_default();
            let url = model::share_url(&origin, &AppRoute::SharedList(token).to_href());
            let link_id = link_id.clone();
            let copy = {
                let url = url.clone();
                let link_id = link_id.clone();
                move |_| {
                    let url = url.clone();
                    let field = document().get_element_by_id(&link_id).and_then(|e| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok()
                    });
                    leptos::task::spawn_local_scoped(async move {
                        let copied = ui::copy_text(&url, field).await;
                        status.try_set(
                            i18n.tr(if copied {
                                FavText::Copied
                            } else {
                                FavText::CopyFailed
                            })
                            .to_owned(),
                        );
                    });
                }
            };
            Some(view! {
                <div class="fav-link">
                    <label for=link_id.clone()>{i18n.tr(FavText::ShareLink)}</label>
                    <div class="fav-link-row">
                        <input type="text" id=link_id readonly prop:value=url.clone() />
                        <button type="button" class="button secondary fav-copy" on:click=copy>
                            {i18n.tr(FavText::CopyLink)}
                        </button>
                    </div>
                </div>
            })
        }
    };

    view! {
        <li class="fav-card">
            <h2 class="fav-card-title" id=title_id.clone()>
                <a href=AppRoute::MeList(id).to_href()>{name}</a>
            </h2>
            <p class="fav-card-meta">
                <span>{count}</span>
                " · "
                <span class="fav-share-state">
                    {move || {
                        let (icon, text) = if shared() {
                            (IconName::Check, FavText::Shared)
                        } else {
                            (IconName::Minus, FavText::NotShared)
                        };
                        view! {
                            <Icon name=icon />
                            <span>{i18n.tr(text)}</span>
                        }
                    }}
                </span>
            </p>
            {move || match mode.get() {
                Mode::Show => {
                    let store_name = name;
                    view! {
                        <div class="fav-actions">
                            <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Rename)>
                                {i18n.tr(FavText::Rename)}
                                <span class="sr-only">{move || texts::list_target(locale, &store_name())}</span>
                            </button>
                            <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::ConfirmDelete)>
                                {i18n.tr(FavText::Delete)}
                                <span class="sr-only">{move || texts::list_target(locale, &store_name())}</span>
                            </button>
                        </div>
                    }
                    .into_any()
                }
                Mode::Rename => untrack(&rename_form).into_any(),
                Mode::ConfirmDelete => untrack(&confirm_delete).into_any(),
            }}
            <div class="fav-share switch-row">
                <div>
                    <p class="setting-name" id=share_label_id.clone()>{i18n.tr(FavText::Share)}</p>
                    <p class="muted" id=share_help_id.clone()>{i18n.tr(FavText::ShareHelp)}</p>
                </div>
                <button
                    type="button"
                    class="switch fav-share-switch"
                    role="switch"
                    aria-checked=move || shared().to_string()
                    aria-labelledby=[share_label_id.as_str(), " ", &title_id].concat()
                    aria-describedby=share_help_id
                    aria-busy=move || busy.get().then_some("true")
                    on:click=toggle_share
                >
                    <span class="switch-knob"></span>
                </button>
            </div>
            {share_link}
            <p class="fav-card-status" role="status">{move || status.get()}</p>
        </li>
    }
}

/// The form creating a list on `/me/lists`. What the patron typed stays
/// when the server refuses it.
fn create_form(i18n: I18n, store: Store, status: RwSignal<String>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let valid = match model::validate_name(&name.get_untracked()) {
            Ok(v) => v,
            Err(e) => {
                error.set(Some(name_error_text(i18n, e)));
                return;
            }
        };
        error.set(None);
        busy.set(true);
        let request = store.clone().create(valid);
        store.spawn(async move {
            let answer = request.await;
            busy.try_set(false);
            match answer {
                Ok(list) => {
                    name.try_set(String::new());
                    status.try_set(texts::created(i18n.locale(), &list.name));
                }
                Err(e) => {
                    error.try_set(Some(error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <form class="fav-create" on:submit=submit novalidate aria-labelledby="fav-create-h">
            <h2 id="fav-create-h">{i18n.tr(FavText::NewList)}</h2>
            <label for="fav-create-name">{i18n.tr(FavText::RenameLabel)}</label>
            <div class="fav-new-row">
                <input
                    type="text"
                    id="fav-create-name"
                    name="name"
                    autocomplete="off"
                    placeholder=i18n.tr(FavText::NewListPlaceholder)
                    aria-describedby="fav-create-help fav-create-err"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <button type="submit" class="button" aria-busy=move || busy.get().then_some("true")>
                    {i18n.tr(FavText::Create)}
                </button>
            </div>
            <p class="muted fav-help" id="fav-create-help">{i18n.tr(FavText::NameHelp)}</p>
            <p class="field-error" id="fav-create-err">{move || error.get()}</p>
        </form>
    }
}

/// One entry of a list: cover, title linking to the record page, authors,
/// year, format, and when it was added.
fn entry_view(i18n: I18n, entry: &ListEntry, action: Option<AnyView>) -> impl IntoView + use<> {
    view! {
        <li class="fav-entry">
            <CoverPlaceholder title=entry.title.clone() />
            <div class="fav-entry-body">
                <h2 class="fav-entry-title">
                    <a href=AppRoute::Record(entry.record_id).to_href()>{entry.title.clone()}</a>
                </h2>
                <p class="fav-entry-meta">{entry_meta(i18n, entry)}</p>
                <p class="fav-entry-added muted">{texts::added_on(i18n.locale(), &entry.added_on)}</p>
            </div>
            {action}
        </li>
    }
}

/// The page at `/me/lists/{id}`: the list's entries, each with Remove
/// (and Undo after it).
#[component]
pub fn ListPage() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let store = Store::get();
    let session = store.session();
    let (error, on_retry) = load_lists(&store);
    let id = Memo::new(
        move |prev: Option<&Option<i64>>| match Page::of_path(&router.path()) {
            Page::MeList(id) => id,
            _ => prev.copied().flatten(),
        },
    );
    let list = {
        let store = store.clone();
        Memo::new(move |_| {
            let id = id.get()?;
            store
                .with(|lists| lists.iter().find(|l| l.id == id).cloned())
                .flatten()
        })
    };
    page_title(move || {
        list.with(|l| l.as_ref().map(|l| l.name.clone()))
            .unwrap_or_else(|| i18n.tr(FavText::ListsTitle).to_owned())
    });
    let status = RwSignal::new(String::new());
    // The entry last removed, for Undo.
    let undo = RwSignal::new(None::<(i64, i64)>);

    let entries = move || {
        list.with(|l| {
            l.as_ref()
                .map(|l| l.entries.iter().map(|e| e.record_id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let row = {
        let store = store.clone();
        move |record_id: i64| {
            let store = store.clone();
            let Some((list_id, entry)) = list.with_untracked(|l| {
                l.as_ref().and_then(|l| {
                    l.entries
                        .iter()
                        .find(|e| e.record_id == record_id)
                        .map(|e| (l.id, e.clone()))
                })
            }) else {
                return ().into_any();
            };
            let title = entry.title.clone();
            let remove = move |_| {
                let request = store.clone().remove(list_id, record_id);
                let title = title.clone();
                store.spawn(async move {
                    match request.await {
                        Ok(_) => {
                            status.try_set(texts::removed_title(i18n.locale(), &title));
                            undo.try_set(Some((list_id, record_id)));
                            ui::focus_later(STATUS_ID.to_owned());
                        }
                        Err(e) => {
                            status.try_set(error_text(i18n, &e).to_owned());
                        }
                    }
                });
            };
            let button = view! {
                <button type="button" class="button secondary fav-remove" on:click=remove>
                    {i18n.tr(FavText::Remove)}
                    <span class="sr-only">{texts::remove_target(i18n.locale(), &entry.title)}</span>
                </button>
            }
            .into_any();
            entry_view(i18n, &entry, Some(button)).into_any()
        }
    };
    let undo_button = {
        let store = store.clone();
        move || {
            let (list_id, record_id) = undo.get()?;
            let store = store.clone();
            let on_undo = move |_| {
                let request = store.clone().add(list_id, record_id);
                store.spawn(async move {
                    match request.await {
                        Ok(list) => {
                            undo.try_set(None);
                            status.try_set(texts::added_to(i18n.locale(), &list.name));
                        }
                        Err(e) => {
                            status.try_set(error_text(i18n, &e).to_owned());
                        }
                    }
                });
            };
            Some(view! {
                <button type="button" class="button secondary fav-undo" on:click=on_undo>
                    {i18n.tr(FavText::Undo)}
                </button>
            })
        }
    };

    let wait = wait_state(session, &store, error);
    let found = Memo::new(move |_| list.with(Option::is_some));
    let body = {
        let row = row.clone();
        move || {
            let state = wait.get();
            if state != Wait::Ready {
                return waiting_view(i18n, session, state, on_retry);
            }
            if !found.get() {
                return view! {
                    <EmptyState title=i18n.tr(FavText::ErrListNotFound)>
                        <p>
                            <a class="button" href=AppRoute::MeLists.to_href()>
                                {i18n.tr(FavText::SeeMyLists)}
                            </a>
                        </p>
                    </EmptyState>
                }
                .into_any();
            }
            let row = row.clone();
            untrack(move || {
                let locale = i18n.locale();
                view! {
                    <p class="fav-card-meta">
                        {move || list.with(|l| texts::titles_count(locale, l.as_ref().map_or(0, |l| l.entries.len())))}
                    </p>
                    {move || {
                        list.with(|l| l.as_ref().is_some_and(|l| l.entries.is_empty()))
                            .then(|| view! { <p class="empty-state">{i18n.tr(FavText::EmptyList)}</p> })
                    }}
                    <ul class="fav-entries" aria-label=i18n.tr(FavText::ListEntries)>
                        <For each=entries key=|id| *id children=row />
                    </ul>
                }
                .into_any()
            })
        }
    };
    view! {
        <div class="page list-page">
            <p class="back">
                <a class="back-link" href=AppRoute::MeLists.to_href()>
                    <Icon name=IconName::Back />
                    <span>{i18n.tr(FavText::BackToLists)}</span>
                </a>
            </p>
            <h1>
                {move || {
                    list.with(|l| l.as_ref().map(|l| l.name.clone()))
                        .unwrap_or_else(|| i18n.tr(FavText::ListsTitle).to_owned())
                }}
            </h1>
            <div class="fav-page-status-row">
                <p class="fav-page-status" id=STATUS_ID role="status" tabindex="-1">
                    {move || status.get()}
                </p>
                {undo_button}
            </div>
            {body}
        </div>
    }
}

/// The page at `/lists/{token}`: a shared list, read-only, for anyone.
#[component]
pub fn SharedListPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let router = use_router();
    let token =
        Memo::new(
            move |prev: Option<&Option<String>>| match Page::of_path(&router.path()) {
                Page::SharedList => Page::text_id(&router.path()),
                _ => prev.cloned().flatten(),
            },
        );
    let list: Slot<SharedList> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(list, None, move || {
        retry.track();
        match token.get() {
            Some(token) => api.shared_list(&token),
            None => Box::pin(async { Err(ApiError::status(404)) }),
        }
    });
    page_title(move || {
        list.with(|l| match l {
            Some(Ok(l)) => l.name.clone(),
            _ => i18n.tr(FavText::ListsTitle).to_owned(),
        })
    });
    let body = move || {
        match list.get() {
        None => view! { <PageSkeleton /> }.into_any(),
        Some(Err(error)) if error.is_not_found() => view! {
            <h1>{i18n.tr(FavText::ErrSharedNotFound)}</h1>
            <p>
                <a class="button" href=AppRoute::Home.to_href()>{i18n.t(crate::i18n::Key::GoHome)}</a>
            </p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
        }
        .into_any(),
        Some(Ok(shared)) => {
            let locale = i18n.locale();
            let rows = shared
                .entries
                .iter()
                .map(|e| entry_view(i18n, e, None))
                .collect_view();
            let empty = shared
                .entries
                .is_empty()
                .then(|| view! { <p class="empty-state">{i18n.tr(FavText::EmptyList)}</p> });
            view! {
                <h1>{shared.name.clone()}</h1>
                <p class="fav-owner">
                    <Icon name=IconName::Me />
                    <span>{texts::shared_by(locale, &shared.owner)}</span>
                </p>
                <p class="muted">
                    {i18n.tr(FavText::SharedReadOnly)}
                    " · "
                    {texts::titles_count(locale, shared.entries.len())}
                </p>
                {empty}
                <ul class="fav-entries" aria-label=i18n.tr(FavText::ListEntries)>{rows}</ul>
            }
            .into_any()
        }
    }
    };
    view! { <div class="page shared-list-page">{body}</div> }
}
