//! How the app holds its session with the API.
//!
//! Where the app and the API share an origin, the session is an HttpOnly
//! cookie that no script can read, and this module holds nothing. Where the
//! config puts the API on another origin, the server hands out a bearer
//! token instead: it is kept in memory and in session storage (so that a
//! reload of the tab keeps the patron signed in), never in local storage,
//! and it is gone when the tab closes. The PIN is never kept anywhere.

use std::cell::RefCell;

use yuelan_api::account::SessionMode;

/// The session-storage key of the bearer token.
const TOKEN_KEY: &str = "yuelan.session";

thread_local! {
    /// The bearer token: `None` until read from session storage, then
    /// `Some(None)` when there is none.
    static TOKEN: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// The session mode for an API at `base`: a cookie when it is on the
/// app's own origin (a path, or a URL of this origin), a bearer token
/// otherwise.
pub fn mode_for(base: &str, app_origin: &str) -> SessionMode {
    let lower = base.trim().to_ascii_lowercase();
    let absolute =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//");
    if !absolute {
        return SessionMode::Cookie;
    }
    let origin = app_origin.to_ascii_lowercase();
    let rest = lower.strip_prefix(&origin);
    match rest {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => SessionMode::Cookie,
        _ => SessionMode::Bearer,
    }
}

/// The bearer token, if the app holds one.
pub fn token() -> Option<String> {
    TOKEN.with(|t| {
        t.borrow_mut()
            .get_or_insert_with(|| session_storage()?.get_item(TOKEN_KEY).ok().flatten())
            .clone()
    })
}

/// Keeps (or, with `None`, forgets) the bearer token.
pub fn set_token(token: Option<String>) {
    if let Some(storage) = session_storage() {
        let _ = match &token {
            Some(t) => storage.set_item(TOKEN_KEY, t),
            None => storage.remove_item(TOKEN_KEY),
        };
    }
    TOKEN.with(|t| *t.borrow_mut() = Some(token));
}

fn session_storage() -> Option<web_sys::Storage> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()?.session_storage().ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_apis_use_the_cookie() {
        let app = "https://opac.example.cn";
        assert_eq!(mode_for("/api", app), SessionMode::Cookie);
        assert_eq!(mode_for("api", app), SessionMode::Cookie);
        assert_eq!(
            mode_for("https://opac.example.cn/api", app),
            SessionMode::Cookie
        );
        assert_eq!(
            mode_for("HTTPS://OPAC.example.cn", app),
            SessionMode::Cookie
        );
        assert_eq!(
            mode_for("https://api.example.cn/api", app),
            SessionMode::Bearer
        );
        assert_eq!(
            mode_for("https://opac.example.cn.evil.cn/api", app),
            SessionMode::Bearer
        );
        assert_eq!(
            mode_for("http://opac.example.cn/api", app),
            SessionMode::Bearer
        );
        assert_eq!(mode_for("//cdn.example.cn/api", app), SessionMode::Bearer);
    }

    #[test]
    fn the_token_is_kept_and_forgotten() {
        set_token(Some("t".into()));
        assert_eq!(token().as_deref(), Some("t"));
        set_token(None);
        assert_eq!(token(), None);
    }
}
