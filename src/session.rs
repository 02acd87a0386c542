//! The patron's session in the app: who is signed in, and the sign-in
//! sheet that any action needing an account can ask for.
//!
//! Browsing never needs a session. An action that does (a hold, a
//! renewal, a favourite) runs through [`Session::with_sign_in`]: when the
//! API answers that nobody is signed in or the session has expired, the
//! sign-in sheet opens over the page (whose form and choices stay as they
//! were), and once the patron has signed in the request is sent again,
//! once. The sheet's code is a chunk of its own, loaded when it opens.
//!
//! Nothing asks the server at start: pages that show the patron's data
//! load it (and learn the session from the answer), and pieces that only
//! need to know who is signed in call [`Session::ensure_known`].
//!
//! None of this is in the main module: the session is created the first
//! time a chunk asks for it ([`use_session`]), under the app's root owner
//! (kept by [`set_app_owner`], the one line the main module runs), so it
//! lives as long as the app; and the sign-in sheet is mounted at the end
//! of `<body>` the first time it is asked for.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use yuelan_api::account::{Patron, SessionInfo};

use crate::api::{ApiClient, ApiError, Request, use_api};

/// The `localStorage` key of this browser's note that a patron signed in
/// here. Not a secret (the session is an HttpOnly cookie, or a token kept
/// elsewhere): it only says whether asking the server who is signed in
/// can answer anything but 401, so that a guest's pages make no such
/// request (and log no 401 in the console).
const SIGNED_IN_HINT: &str = "yuelan.signed-in";

/// What the app knows about the session.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// Not asked yet (the cookie, if any, is unreadable by design).
    Unknown,
    SignedOut,
    SignedIn(Arc<Patron>),
}

/// Why the sign-in sheet opened: the sheet says so to the patron.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInReason {
    /// From the Me page's own button.
    Account,
    /// The session ended during an action; it finishes after sign-in.
    Expired,
    PlaceHold,
    Renew,
    Favourite,
    /// Another action (booking, culture) that needs an account.
    Other,
}

/// The session context; `Copy`, so handlers can share it.
#[derive(Clone, Copy)]
pub struct Session {
    auth: RwSignal<Auth>,
    /// The open sign-in sheet's reason; `None` when closed.
    prompt: RwSignal<Option<SignInReason>>,
    /// Resolvers of the actions waiting for the sheet to close.
    waiters: StoredValue<Vec<js_sys::Function>, LocalStorage>,
    /// Bumped at each sign-in and sign-out, so that views showing the
    /// patron's data reload.
    generation: RwSignal<u32>,
}

impl Session {
    fn new() -> Self {
        Self {
            auth: RwSignal::new(Auth::Unknown),
            prompt: RwSignal::new(None),
            waiters: StoredValue::new_local(Vec::new()),
            generation: RwSignal::new(0),
        }
    }

    /// What the app knows about the session (tracked).
    pub fn auth(&self) -> Auth {
        self.auth.get()
    }

    /// The signed-in patron, if any (tracked).
    pub fn patron(&self) -> Option<Arc<Patron>> {
        match self.auth.get() {
            Auth::SignedIn(p) => Some(p),
            _ => None,
        }
    }

    /// Changes at each sign-in and sign-out (tracked).
    pub fn generation(&self) -> u32 {
        self.generation.get()
    }

    /// The open sheet's reason (tracked).
    pub fn prompt(&self) -> Option<SignInReason> {
        self.prompt.get()
    }

    /// Records a successful sign-in.
    pub fn signed_in(&self, info: SessionInfo) {
        crate::storage::save(SIGNED_IN_HINT, "1");
        self.auth.set(Auth::SignedIn(Arc::new(info.patron)));
        self.generation.update(|g| *g = g.wrapping_add(1));
    }

    /// Records the patron an answer showed (when the session was not
    /// known yet, or the patron's details changed), without making views
    /// reload.
    pub fn confirm(&self, patron: &Patron) {
        let same = self
            .auth
            .with_untracked(|a| matches!(a, Auth::SignedIn(p) if **p == *patron));
        if !same {
            crate::storage::save(SIGNED_IN_HINT, "1");
            self.auth.set(Auth::SignedIn(Arc::new(patron.clone())));
        }
    }

    /// Records that nobody is signed in (after sign-out, or an answer
    /// saying so).
    pub fn signed_out(&self) {
        crate::storage::remove(SIGNED_IN_HINT);
        let was_in = matches!(self.auth.get_untracked(), Auth::SignedIn(_));
        self.auth.set(Auth::SignedOut);
        if was_in {
            self.generation.update(|g| *g = g.wrapping_add(1));
        }
    }

    /// Asks the server who is signed in, once the app has started.
    pub fn refresh(&self, api: &ApiClient) {
        let session = *self;
        let request = api.current_session();
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(info) => session.signed_in(info),
                Err(e) if e.needs_sign_in() => session.signed_out(),
                // Offline or a server fault: still unknown.
                Err(_) => {}
            }
        });
    }

    /// Asks the server who is signed in, unless the app knows already or
    /// nobody has signed in on this browser (no [`SIGNED_IN_HINT`]; every
    /// sign-in, with a cookie or a token, leaves it): then it stays
    /// unknown, which pages treat as a guest, and an action that needs an
    /// account still tries first and asks for sign-in on a 401. The app
    /// does not ask at start (that would put the session's code in the
    /// first load); the pieces that need to know ask here.
    pub fn ensure_known(&self, api: &ApiClient) {
        if self.auth.get_untracked() == Auth::Unknown
            && crate::storage::load(SIGNED_IN_HINT).is_some()
        {
            self.refresh(api);
        }
    }

    /// Opens the sign-in sheet and resolves once it closes: `true` when
    /// the patron signed in.
    pub async fn ask(&self, reason: SignInReason) -> bool {
        let waiters = self.waiters;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            waiters.update_value(|w| w.push(resolve));
        });
        ensure_host();
        self.prompt.set(Some(reason));
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .is_ok_and(|v| v.as_bool() == Some(true))
    }

    /// Closes the sheet, telling every waiting action whether the patron
    /// signed in.
    pub fn close_prompt(&self, signed_in: bool) {
        self.prompt.set(None);
        let waiters = self
            .waiters
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for resolve in waiters {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(signed_in));
        }
    }

    /// Runs the request `make` builds; if it meets a missing or expired
    /// session, asks the patron to sign in and then sends it again, once.
    /// Nothing the patron typed or chose is lost meanwhile: the sheet
    /// opens over the page. Dismissing the sheet returns the first error.
    pub async fn with_sign_in<T: 'static>(
        &self,
        reason: SignInReason,
        make: impl Fn() -> Request<T>,
    ) -> Result<T, ApiError> {
        if self.auth.get_untracked() == Auth::SignedOut && !self.ask(reason).await {
            return Err(ApiError::status(401));
        }
        match make().await {
            Err(e) if e.needs_sign_in() => {
                let expired = matches!(self.auth.get_untracked(), Auth::SignedIn(_));
                self.signed_out();
                let reason = if expired {
                    SignInReason::Expired
                } else {
                    reason
                };
                if self.ask(reason).await {
                    make().await
                } else {
                    Err(e)
                }
            }
            other => other,
        }
    }
}

/// The app's session, created under the app's root owner the first time
/// it is asked for.
pub fn use_session() -> Session {
    if let Some(session) = SESSION.with(Cell::get) {
        return session;
    }
    let session = under_app_owner(Session::new);
    SESSION.with(|s| s.set(Some(session)));
    session
}

/// Mounts the sign-in sheet's host at the end of `<body>`, under the app's
/// root owner (so it has the app's contexts), the first time it is needed.
fn ensure_host() {
    if HOST.with(|h| h.replace(true)) {
        return;
    }
    under_app_owner(|| leptos::mount::mount_to_body(crate::SignInHost));
}

/// Asks the server who is signed in, unless the app knows already, using
/// the app's API client.
pub fn ensure_session_known() {
    use_session().ensure_known(&use_api());
}

thread_local! {
    /// The app's root owner (that of `ConfiguredApp`): the session and the
    /// sign-in sheet's host live under it.
    static APP_OWNER: RefCell<Option<Owner>> = const { RefCell::new(None) };
    /// The session, once a chunk has asked for it.
    static SESSION: Cell<Option<Session>> = const { Cell::new(None) };
    /// Whether the sign-in sheet's host is mounted.
    static HOST: Cell<bool> = const { Cell::new(false) };
}

/// Keeps the current owner as the app's root owner. Called once by the
/// app, with its contexts (language, API client) provided.
pub fn set_app_owner() {
    APP_OWNER.with(|o| *o.borrow_mut() = Owner::current());
}

/// Runs `f` under the app's root owner (or the current one, in tests).
pub fn under_app_owner<T>(f: impl FnOnce() -> T) -> T {
    match APP_OWNER.with(|o| o.borrow().clone()) {
        Some(owner) => owner.with(f),
        None => f(),
    }
}
