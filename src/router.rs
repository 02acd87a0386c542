//! The app's router: the current location as a signal, kept in step with
//! the History API.
//!
//! Links are plain `<a href>`s built from [`crate::routes::AppRoute`]s; a
//! click on one that stays in the app is handled here (history entry, no
//! page load), and so are back and forward. The page for a location is
//! chosen by [`crate::routes::Page::of_path`] in `lib.rs`: one flat table
//! of six pages needs no nested routes. This replaces leptos_router, whose
//! generic route matching and async route views made up about a fifth of
//! the first load.
//!
//! A link with a `data-history-back` attribute goes back in history instead
//! (when there is history to go back to): the record page's "back to
//! results" keeps the list's scroll position that way.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, MouseEvent};

/// Where the app is: the path and query of the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The path, percent-encoded as in the URL (`/record/7`).
    pub path: String,
    /// The query string without its `?` (empty when there is none).
    pub query: String,
}

impl Location {
    /// The location of an in-app href (`/search?q=x#top` → `/search`,
    /// `q=x`). The fragment is dropped.
    pub fn from_href(href: &str) -> Location {
        let href = href.split('#').next().unwrap_or_default();
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        Location {
            path: if path.is_empty() {
                "/".to_owned()
            } else {
                path.to_owned()
            },
            query: query.to_owned(),
        }
    }
}

/// The router: `Copy`, provided as a context by [`provide_router`].
#[derive(Clone, Copy)]
pub struct Router {
    location: RwSignal<Location>,
    /// How far down the page the patron had scrolled when the app last
    /// left it (read before the new page scrolls to the top).
    left_at: StoredValue<f64>,
}

impl Router {
    /// The current location (tracked).
    pub fn location(&self) -> Location {
        self.location.get()
    }

    /// The current path (tracked).
    pub fn path(&self) -> String {
        self.location.with(|l| l.path.clone())
    }

    /// The current query string (tracked).
    pub fn query(&self) -> String {
        self.location.with(|l| l.query.clone())
    }

    /// How far down the last page the patron left had been scrolled, so
    /// that a page can restore it when the patron comes back.
    pub fn scroll_when_left(&self) -> f64 {
        self.left_at.try_get_value().unwrap_or(0.0)
    }

    /// Notes the scroll position of the page being left.
    fn leave(&self) {
        let y = web_sys::window().and_then(|w| w.scroll_y().ok());
        self.left_at.try_set_value(y.unwrap_or(0.0));
    }

    /// Shows `href` (an in-app path and query). `replace` replaces the
    /// current history entry instead of adding one; `scroll` scrolls to the
    /// top. Where the History API fails (some webviews limit it), the
    /// browser loads the page instead, so the patron still gets there.
    pub fn navigate(&self, href: &str, replace: bool, scroll: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let pushed = window.history().and_then(|h| {
            if replace {
                h.replace_state_with_url(&JsValue::NULL, "", Some(href))
            } else {
                h.push_state_with_url(&JsValue::NULL, "", Some(href))
            }
        });
        if pushed.is_err() {
            let _ = window.location().set_href(href);
            return;
        }
        self.leave();
        self.location.set(Location::from_href(href));
        if scroll {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// The location the browser shows now.
fn browser_location() -> Location {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return Location::default();
    };
    Location {
        path: location.pathname().unwrap_or_else(|_| "/".to_owned()),
        query: location
            .search()
            .unwrap_or_default()
            .trim_start_matches('?')
            .to_owned(),
    }
}

/// Creates the router for the current URL, listens to back/forward and to
/// link clicks, and provides it as a context.
pub fn provide_router() -> Router {
    let router = Router {
        location: RwSignal::new(browser_location()),
        left_at: StoredValue::new(0.0),
    };
    // The app places the scroll itself: the top of a new page, and the
    // search page where the patron left it. The browser's own restoring
    // would race it, against a page that is still being built.
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = js_sys::Reflect::set(
            &history,
            &JsValue::from_str("scrollRestoration"),
            &JsValue::from_str("manual"),
        );
    }
    let popstate = window_event_listener(ev::popstate, move |_| {
        router.leave();
        router.location.set(browser_location());
        // Pages start at the top; the search page then scrolls back to
        // where the patron was (on a later frame).
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let click = window_event_listener(ev::click, move |ev| on_click(&ev, router));
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    provide_context(router);
    router
}

/// The router provided by [`provide_router`]; outside one (as in component
/// tests) a router for the current URL that nothing else listens to.
pub fn use_router() -> Router {
    use_context::<Router>().unwrap_or_else(|| Router {
        location: RwSignal::new(browser_location()),
        left_at: StoredValue::new(0.0),
    })
}

/// Handles a click on an in-app link without a page load. Clicks the
/// browser should handle itself are left alone: other buttons or modifier
/// keys (new tab), `target`, `download`, `rel=external`, other origins, and
/// links to a fragment of the page on screen.
fn on_click(ev: &MouseEvent, router: Router) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return;
    }
    let Some(anchor) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .and_then(|el| el.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return;
    };
    let rel = anchor.rel();
    if !anchor.target().is_empty()
        || anchor.has_attribute("download")
        || rel.split_ascii_whitespace().any(|r| r == "external")
    {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let origin = window.location().origin().unwrap_or_default();
    if anchor.origin() != origin {
        return;
    }
    let (path, search) = (anchor.pathname(), anchor.search());
    let here = router
        .location
        .with_untracked(|l| l.path == path && l.query == search.trim_start_matches('?'));
    if here && !anchor.hash().is_empty() {
        return;
    }
    ev.prevent_default();
    if anchor.has_attribute("data-history-back")
        && let Ok(history) = window.history()
        && history.length().unwrap_or(0) > 1
        && history.back().is_ok()
    {
        return;
    }
    router.navigate(&[path, search].concat(), false, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_split_into_path_and_query() {
        assert_eq!(
            Location::from_href("/search?q=%E6%B4%BB&format=book#top"),
            Location {
                path: "/search".into(),
                query: "q=%E6%B4%BB&format=book".into()
            }
        );
        assert_eq!(
            Location::from_href("/record/7"),
            Location {
                path: "/record/7".into(),
                query: String::new()
            }
        );
        assert_eq!(Location::from_href("").path, "/");
        assert_eq!(Location::from_href("?q=a").path, "/");
        assert_eq!(Location::from_href("?q=a").query, "q=a");
    }
}
