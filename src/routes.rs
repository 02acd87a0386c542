//! Typed routes: every in-app link is built from an [`AppRoute`], so views
//! hold no literal paths. The route table in `lib.rs` is the only other
//! place that names paths, and a test below keeps the two in step.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::catalog::query::SearchState;

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppRoute {
    Home,
    /// The search page showing this search.
    Search(SearchState),
    /// The page of one record.
    Record(i64),
    Booking,
    Culture,
    Me,
    /// A path no page answers to.
    NotFound,
}

impl AppRoute {
    /// The path (and query) of the page.
    pub fn to_href(&self) -> String {
        match self {
            AppRoute::Home => "/".to_owned(),
            AppRoute::Search(state) => {
                let qs = state.to_query_string();
                if qs.is_empty() {
                    "/search".to_owned()
                } else {
                    ["/search?", &qs].concat()
                }
            }
            AppRoute::Record(id) => ["/record/", &id.to_string()].concat(),
            AppRoute::Booking => "/booking".to_owned(),
            AppRoute::Culture => "/culture".to_owned(),
            AppRoute::Me => "/me".to_owned(),
            AppRoute::NotFound => "/not-found".to_owned(),
        }
    }

    /// The tab a path belongs to, for highlighting the tab bar; `None` for
    /// paths outside every tab.
    pub fn tab_of_path(path: &str) -> Option<Tab> {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        Some(match first {
            "" => Tab::Home,
            "search" | "record" => Tab::Search,
            "booking" => Tab::Booking,
            "culture" => Tab::Culture,
            "me" => Tab::Me,
            _ => return None,
        })
    }
}

/// Whether `path` is the search page's path.
pub fn is_search_path(path: &str) -> bool {
    path.trim_end_matches('/') == "/search"
}

/// A tab of the bottom tab bar (the header nav on wide screens).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Home,
    Search,
    Booking,
    Culture,
    Me,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Home, Tab::Search, Tab::Booking, Tab::Culture, Tab::Me];

    /// Where the tab leads.
    pub fn route(self) -> AppRoute {
        match self {
            Tab::Home => AppRoute::Home,
            Tab::Search => AppRoute::Search(SearchState::default()),
            Tab::Booking => AppRoute::Booking,
            Tab::Culture => AppRoute::Culture,
            Tab::Me => AppRoute::Me,
        }
    }
}

/// Client-side navigation to typed routes; `Copy`, so handlers can share it.
#[derive(Clone, Copy)]
pub struct Navigator(StoredValue<NavigateFn, LocalStorage>);

/// The router's navigate function, boxed.
type NavigateFn = Box<dyn Fn(&str, NavigateOptions)>;

impl Navigator {
    /// Goes to `route`, adding a history entry.
    pub fn go(&self, route: &AppRoute) {
        let href = route.to_href();
        self.0
            .try_with_value(|nav| nav(&href, NavigateOptions::default()));
    }

    /// Shows `route` in place of the current entry, keeping the scroll
    /// position (for changes within one page, such as "load more").
    pub fn replace(&self, route: &AppRoute) {
        let href = route.to_href();
        let opts = NavigateOptions {
            replace: true,
            scroll: false,
            ..NavigateOptions::default()
        };
        self.0.try_with_value(|nav| nav(&href, opts));
    }

    /// Goes to `route` without scrolling to the top (filters, sort).
    pub fn go_in_place(&self, route: &AppRoute) {
        let href = route.to_href();
        let opts = NavigateOptions {
            scroll: false,
            ..NavigateOptions::default()
        };
        self.0.try_with_value(|nav| nav(&href, opts));
    }
}

/// The navigator of the surrounding `<Router>`.
pub fn use_navigator() -> Navigator {
    let nav = use_navigate();
    Navigator(StoredValue::new_local(Box::new(move |href: &str, opts| {
        nav(href, opts)
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs() {
        assert_eq!(AppRoute::Home.to_href(), "/");
        assert_eq!(
            AppRoute::Search(SearchState::default()).to_href(),
            "/search"
        );
        assert_eq!(
            AppRoute::Search(SearchState::with_query("活着")).to_href(),
            "/search?q=%E6%B4%BB%E7%9D%80"
        );
        assert_eq!(AppRoute::Record(42).to_href(), "/record/42");
        assert_eq!(AppRoute::Record(-1).to_href(), "/record/-1");
        assert_eq!(AppRoute::Me.to_href(), "/me");
    }

    #[test]
    fn every_tab_route_maps_back_to_its_tab() {
        for tab in Tab::ALL {
            let href = tab.route().to_href();
            assert_eq!(AppRoute::tab_of_path(&href), Some(tab), "{href}");
        }
        assert_eq!(AppRoute::tab_of_path("/record/7"), Some(Tab::Search));
        assert_eq!(AppRoute::tab_of_path(&AppRoute::NotFound.to_href()), None);
    }
}
