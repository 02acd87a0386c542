//! The app's copy of the patron's lists, shared by the toggles and the
//! pages, and every request that changes them.
//!
//! One store per app (on the app's owner, like [`Saved`]). Each answer of
//! the server replaces the copy of its list, and every change refreshes
//! [`Saved`], so a toggle on the search page and the lists page always
//! agree. The copy belongs to one session generation: after a sign-in or
//! sign-out it no longer counts, and is loaded again.
//!
//! Requests run under the app's owner, not the view's: a patron who taps
//! the heart and opens the record at once still gets the title saved.

use std::future::Future;

use leptos::prelude::*;
use yuelan_api::account::{FavouriteList, ListChange};

use super::model;
use super::{Saved, app_context, use_saved};
use crate::api::{ApiClient, ApiError, use_api};
use crate::session::{Auth, Session, SignInReason, use_session};

/// The lists as loaded, and the session generation they belong to.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    generation: u32,
    lists: Vec<FavouriteList>,
}

/// The store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    loaded: RwSignal<Option<Loaded>>,
    /// The generation whose lists are on their way, if any.
    loading: RwSignal<Option<u32>>,
    saved: Saved,
    session: Session,
    api: ApiClient,
    owner: Owner,
}

/// Keeps [`Saved`] in step with the session, for as long as the app
/// runs: asks the server who is signed in when nobody knows yet, loads the
/// lists while a patron is signed in (again at each sign-in) and clears
/// the saved ids at sign-out.
pub fn follow_session() {
    crate::session::under_app_owner(|| {
        let store = Store::get();
        let session = store.session;
        session.ensure_known(&store.api);
        let saved = store.saved;
        Effect::new(move |_| {
            let _ = session.generation();
            if session.patron().is_some() {
                store.sync();
            } else {
                saved.set(Vec::new());
            }
        });
    });
}

impl Store {
    /// The app's store.
    pub fn get() -> Store {
        let saved = use_saved();
        app_context(|| Store {
            loaded: RwSignal::new(None),
            loading: RwSignal::new(None),
            saved,
            session: use_session(),
            api: use_api(),
            owner: Owner::current().unwrap_or_default(),
        })
    }

    /// The session this store follows.
    pub fn session(&self) -> Session {
        self.session
    }

    fn generation(&self) -> u32 {
        untrack(|| self.session.generation())
    }

    /// Calls `f` with the lists of the current session, if they are loaded
    /// (tracked).
    pub fn with<R>(&self, f: impl FnOnce(&[FavouriteList]) -> R) -> Option<R> {
        let generation = self.session.generation();
        self.loaded.with(|l| match l {
            Some(l) if l.generation == generation => Some(f(&l.lists)),
            _ => None,
        })
    }

    /// Whether the lists of the current session are loaded (not tracked).
    fn is_fresh(&self) -> bool {
        let generation = self.generation();
        self.loaded
            .with_untracked(|l| l.as_ref().is_some_and(|l| l.generation == generation))
    }

    /// Runs `work` under the app's owner, whatever becomes of the view
    /// that started it.
    pub fn spawn(&self, work: impl Future<Output = ()> + 'static) {
        self.owner.with(|| leptos::task::spawn_local_scoped(work));
    }

    fn update(&self, change: impl FnOnce(&mut Vec<FavouriteList>)) {
        let generation = self.generation();
        let mut lists = self
            .loaded
            .try_update(|l| match l.take() {
                Some(l) if l.generation == generation => l.lists,
                _ => Vec::new(),
            })
            .unwrap_or_default();
        change(&mut lists);
        self.saved.set(model::saved_ids(&lists));
        self.loaded.set(Some(Loaded { generation, lists }));
    }

    /// Keeps the lists of an answer as the current session's.
    fn keep_all(&self, lists: Vec<FavouriteList>) {
        self.update(move |l| *l = lists);
    }

    /// Keeps the server's answer for one list.
    fn keep(&self, list: FavouriteList) {
        self.update(move |l| model::replace_list(l, list));
    }

    /// Loads the lists of a signed-in patron unless they are loaded or on
    /// their way (for the toggles: no sign-in sheet here).
    pub fn sync(&self) {
        let generation = self.generation();
        let signed_in = matches!(untrack(|| self.session.auth()), Auth::SignedIn(_));
        if !signed_in || self.is_fresh() || self.loading.get_untracked() == Some(generation) {
            return;
        }
        // Marked now, not when the request starts: the session's sign-in
        // can ask twice in one task, and one request is enough.
        self.loading.set(Some(generation));
        let store = self.clone();
        self.spawn(async move {
            let _ = store.load().await;
        });
    }

    /// Loads the lists (for a page): without a session, the session is
    /// marked signed out and the error returned; the page offers sign-in.
    pub async fn load(self) -> Result<(), ApiError> {
        let generation = self.generation();
        self.loading.set(Some(generation));
        let answer = self.api.lists().await;
        if self.loading.get_untracked() == Some(generation) {
            self.loading.set(None);
        }
        match answer {
            Ok(answer) => {
                if self.generation() == generation {
                    self.keep_all(answer.lists);
                }
                Ok(())
            }
            Err(e) => {
                if e.needs_sign_in() {
                    self.session.signed_out();
                }
                Err(e)
            }
        }
    }

    /// The lists for an action: the loaded ones, or else loaded now,
    /// asking the patron to sign in first if needed.
    pub async fn lists_for_action(self) -> Result<Vec<FavouriteList>, ApiError> {
        if let Some(lists) = untrack(|| self.with(<[FavouriteList]>::to_vec)) {
            return Ok(lists);
        }
        let api = self.api;
        let answer = self
            .session
            .with_sign_in(SignInReason::Favourite, move || api.lists())
            .await?;
        self.keep_all(answer.lists.clone());
        Ok(answer.lists)
    }

    /// Adds `record_id` to the list `list_id`; the list as it is now.
    pub async fn add(self, list_id: i64, record_id: i64) -> Result<FavouriteList, ApiError> {
        let api = self.api;
        let list = self
            .session
            .with_sign_in(SignInReason::Favourite, move || {
                api.add_to_list(list_id, record_id)
            })
            .await?;
        self.keep(list.clone());
        Ok(list)
    }

    /// Takes `record_id` out of the list `list_id`.
    pub async fn remove(self, list_id: i64, record_id: i64) -> Result<FavouriteList, ApiError> {
        let api = self.api;
        let list = self
            .session
            .with_sign_in(SignInReason::Favourite, move || {
                api.remove_from_list(list_id, record_id)
            })
            .await?;
        self.keep(list.clone());
        Ok(list)
    }

    /// Creates a list named `name` (already validated).
    pub async fn create(self, name: String) -> Result<FavouriteList, ApiError> {
        let api = self.api;
        let list = self
            .session
            .with_sign_in(SignInReason::Favourite, move || api.create_list(&name))
            .await?;
        self.keep(list.clone());
        Ok(list)
    }

    /// Renames a list or turns its link on or off.
    pub async fn change(self, list_id: i64, change: ListChange) -> Result<FavouriteList, ApiError> {
        let api = self.api;
        let list = self
            .session
            .with_sign_in(SignInReason::Favourite, move || {
                api.change_list(list_id, &change)
            })
            .await?;
        self.keep(list.clone());
        Ok(list)
    }

    /// Deletes a list.
    pub async fn delete(self, list_id: i64) -> Result<(), ApiError> {
        let api = self.api;
        let answer = self
            .session
            .with_sign_in(SignInReason::Favourite, move || api.delete_list(list_id))
            .await;
        match answer {
            // Already gone: the copy goes too.
            Err(e) if !e.is_not_found() => Err(e),
            _ => {
                self.update(|l| model::remove_list(l, list_id));
                Ok(())
            }
        }
    }
}
