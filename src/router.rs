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
//!
//! Scroll positions are the app's to place (`history.scrollRestoration` is
//! `manual`): a new page starts at the top, and back or forward returns to
//! where the patron was on that history entry ([`ScrollMemory`]), once the
//! page has grown tall enough to show it.

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

/// The scroll positions of the history entries the patron has left, by
/// entry id (each entry the app adds carries an id in `history.state`).
/// Plain data, so that its rules have native tests.
#[derive(Debug, Default)]
pub struct ScrollMemory {
    /// The entry on screen.
    current: u64,
    /// The next id to give an entry.
    next: u64,
    /// (entry, position), oldest first; at most [`ScrollMemory::KEPT`].
    left: Vec<(u64, f64)>,
    /// Counts the pages left, so that a restore still waiting for its page
    /// gives up once the patron has moved on.
    moves: u32,
}

impl ScrollMemory {
    /// Positions remembered: enough for any back-and-forth a patron does,
    /// small enough to never matter.
    const KEPT: usize = 50;

    /// Starts on entry `current` (from `history.state`, else a new one);
    /// new ids start above `first_new`, which should differ between page
    /// loads (entries of an earlier load must not share ids with this one).
    pub fn new(current: Option<u64>, first_new: u64) -> Self {
        let next = first_new.max(current.map_or(0, |c| c.saturating_add(1)));
        let (current, next) = match current {
            Some(current) => (current, next),
            None => (next, next.saturating_add(1)),
        };
        ScrollMemory {
            current,
            next,
            ..ScrollMemory::default()
        }
    }

    /// The entry on screen.
    pub fn current(&self) -> u64 {
        self.current
    }

    /// Notes that the patron leaves the current entry at `y`.
    pub fn leave(&mut self, y: f64) {
        self.moves = self.moves.wrapping_add(1);
        let entry = self.current;
        self.left.retain(|(e, _)| *e != entry);
        self.left.push((entry, y.max(0.0)));
        if self.left.len() > Self::KEPT {
            self.left.remove(0);
        }
    }

    /// A new entry is pushed: it gets a new id, which is returned.
    pub fn push(&mut self) -> u64 {
        self.current = self.next;
        self.next = self.next.saturating_add(1);
        self.current
    }

    /// Back or forward to `entry` (`None`: an entry without an id, which
    /// gets one, returned second). Returns where the patron was on it, if
    /// they had scrolled.
    pub fn arrive(&mut self, entry: Option<u64>) -> (Option<f64>, Option<u64>) {
        match entry {
            Some(e) => {
                self.current = e;
                let y = self
                    .left
                    .iter()
                    .find(|(x, _)| *x == e)
                    .map(|(_, y)| *y)
                    .filter(|y| *y > 0.0);
                (y, None)
            }
            None => (None, Some(self.push())),
        }
    }
}

/// What to do on a frame while restoring position `y`: scroll there once
/// the page is tall enough, or wait for it to grow; after `frames_left`
/// runs out, go as far as the page allows.
pub fn restore_step(y: f64, scrollable: f64, frames_left: u32) -> Option<f64> {
    if scrollable + 1.0 >= y {
        Some(y)
    } else if frames_left == 0 {
        Some(scrollable.max(0.0))
    } else {
        None
    }
}

/// The router: `Copy`, provided as a context by [`provide_router`].
#[derive(Clone, Copy)]
pub struct Router {
    location: RwSignal<Location>,
    /// Scroll positions by history entry.
    memory: StoredValue<ScrollMemory>,
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

    /// Back or forward: shows the entry the browser moved to, at the top,
    /// then where the patron was on it once the page is tall enough.
    fn arrive(&self, state: &JsValue) {
        let y = scroll_y();
        let entry = state
            .as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f as u64);
        let Some((target, new_id, moves)) = self.memory.try_update_value(|m| {
            m.leave(y);
            let (target, new_id) = m.arrive(entry);
            (target, new_id, m.moves)
        }) else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        if let (Some(id), Ok(history)) = (new_id, window.history()) {
            let _ = history.replace_state(&JsValue::from_f64(id as f64), "");
        }
        self.location.set(browser_location());
        window.scroll_to_with_x_and_y(0.0, 0.0);
        if let Some(target) = target {
            self.restore(target, moves, RESTORE_FRAMES);
        }
    }

    /// Scrolls to `y` on a coming frame, once the page can show it, unless
    /// the patron has moved on (`moves` has changed).
    fn restore(self, y: f64, moves: u32, frames_left: u32) {
        request_animation_frame(move || {
            if self.memory.try_with_value(|m| m.moves) != Some(moves) {
                return;
            }
            let Some(window) = web_sys::window() else {
                return;
            };
            let scrollable = window
                .document()
                .and_then(|d| d.document_element())
                .map(|e| f64::from(e.scroll_height()))
                .unwrap_or(0.0)
                - window
                    .inner_height()
                    .ok()
                    .and_then(|h| h.as_f64())
                    .unwrap_or(0.0);
            match restore_step(y, scrollable, frames_left) {
                Some(to) => window.scroll_to_with_x_and_y(0.0, to),
                None => self.restore(y, moves, frames_left - 1),
            }
        });
    }

    /// Shows `href` (an in-app path and query). `replace` replaces the
    /// current history entry instead of adding one; `scroll` scrolls to the
    /// top. Where the History API fails (some webviews limit it), the
    /// browser loads the page instead, so the patron still gets there.
    pub fn navigate(&self, href: &str, replace: bool, scroll: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        // A replaced entry keeps its id; a new one gets the next.
        let y = scroll_y();
        let id = self
            .memory
            .try_update_value(|m| {
                m.leave(y);
                if replace { m.current() } else { m.push() }
            })
            .unwrap_or_default();
        let state = JsValue::from_f64(id as f64);
        let pushed = window.history().and_then(|h| {
            if replace {
                h.replace_state_with_url(&state, "", Some(href))
            } else {
                h.push_state_with_url(&state, "", Some(href))
            }
        });
        if pushed.is_err() {
            let _ = window.location().set_href(href);
            return;
        }
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
        memory: StoredValue::new(entry_memory()),
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
    let popstate = window_event_listener(ev::popstate, move |ev| router.arrive(&ev.state()));
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
        memory: StoredValue::new(ScrollMemory::default()),
    })
}

/// How far down the page is scrolled now.
fn scroll_y() -> f64 {
    web_sys::window()
        .and_then(|w| w.scroll_y().ok())
        .unwrap_or(0.0)
}

/// Frames a restore waits for its page to grow tall enough (about two
/// seconds), before it goes as far down as the page allows.
const RESTORE_FRAMES: u32 = 120;

/// The scroll memory for this page load: the entry on screen keeps the id
/// it has in `history.state` (a reload keeps it), or gets a new one.
fn entry_memory() -> ScrollMemory {
    let history = web_sys::window().and_then(|w| w.history().ok());
    let state = history.as_ref().and_then(|h| h.state().ok());
    let entry = state
        .and_then(|s| s.as_f64())
        .filter(|f| f.is_finite() && *f >= 0.0)
        .map(|f| f as u64);
    // Ids of this load start at the clock's milliseconds: above those of
    // any earlier load in this tab.
    let memory = ScrollMemory::new(entry, js_sys::Date::now() as u64);
    if entry.is_none()
        && let Some(h) = history
    {
        let _ = h.replace_state(&JsValue::from_f64(memory.current() as f64), "");
    }
    memory
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
    fn back_returns_to_where_the_patron_left_each_entry() {
        let mut m = ScrollMemory::new(None, 1000);
        let home = m.current();
        m.leave(320.0);
        let record = m.push();
        assert_ne!(home, record);
        m.leave(0.0);
        let search = m.push();
        m.leave(900.0);
        // Back to the record (left at the top: nothing to restore), back to
        // home (320), forward to the record and the search (900).
        assert_eq!(m.arrive(Some(record)), (None, None));
        m.leave(40.0);
        assert_eq!(m.arrive(Some(home)), (Some(320.0), None));
        m.leave(320.0);
        assert_eq!(m.arrive(Some(record)), (Some(40.0), None));
        assert_eq!(m.arrive(Some(search)), (Some(900.0), None));
    }

    #[test]
    fn entries_of_an_earlier_load_keep_their_ids_and_new_ones_do_not_clash() {
        // A reload on entry 7: it stays 7, new entries start at the clock.
        let mut m = ScrollMemory::new(Some(7), 5000);
        assert_eq!(m.current(), 7);
        assert_eq!(m.push(), 5000);
        // The clock behind an earlier id: new ids still go above it.
        let mut m = ScrollMemory::new(Some(9000), 5000);
        assert_eq!(m.push(), 9001);
        // An entry without an id gets a new one, with nothing to restore.
        let mut m = ScrollMemory::new(None, 10);
        assert_eq!(m.current(), 10);
        assert_eq!(m.arrive(None), (None, Some(11)));
    }

    #[test]
    fn memory_is_bounded_and_keeps_the_latest() {
        let mut m = ScrollMemory::new(None, 0);
        let first = m.current();
        m.leave(100.0);
        for _ in 0..ScrollMemory::KEPT {
            m.push();
            m.leave(5.0);
        }
        assert_eq!(
            m.arrive(Some(first)),
            (None, None),
            "the oldest is forgotten"
        );
        let mut m = ScrollMemory::new(None, 0);
        let e = m.current();
        m.leave(10.0);
        m.leave(20.0);
        assert_eq!(m.arrive(Some(e)), (Some(20.0), None));
    }

    #[test]
    fn a_restore_waits_for_the_page_then_gives_up_gracefully() {
        assert_eq!(restore_step(800.0, 1200.0, 5), Some(800.0));
        assert_eq!(restore_step(800.0, 300.0, 5), None, "wait for the page");
        assert_eq!(
            restore_step(800.0, 300.0, 0),
            Some(300.0),
            "as far as it goes"
        );
        assert_eq!(restore_step(800.0, -10.0, 0), Some(0.0));
    }

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
