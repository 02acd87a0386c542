//! Typed routes: every in-app link is built from an [`AppRoute`], so views
//! hold no literal paths, and every path is read back by [`Page::of_path`];
//! tests below keep the two in step.

use crate::catalog::query::SearchState;
use crate::router::{Router, use_router};

/// The page a path shows: the app's route table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Search,
    /// A record page; `None` when the id is not a number (no record has it).
    Record(Option<i64>),
    /// Every path under `/booking`.
    Booking,
    Culture,
    Me,
    /// `/me/loans`: the patron's loans and renewals.
    MeLoans,
    /// `/me/holds`: the patron's holds.
    MeHolds,
    /// `/me/card`: the digital library card.
    MeCard,
    /// `/me/lists`: the patron's favourite lists.
    MeLists,
    /// `/me/lists/{id}`: one of them; `None` when the id is not a number.
    MeList(Option<i64>),
    /// `/lists/{token}`: a list shared by link (the page reads the token
    /// from the path).
    SharedList,
    /// `/libraries`: every library and village centre.
    Libraries,
    /// `/libraries/{id}`: one of them (the page reads the id from the path).
    Library,
    NotFound,
}

impl Page {
    /// The page at `path` (percent-encoded, as in the URL). A trailing
    /// slash is ignored.
    pub fn of_path(path: &str) -> Page {
        let trimmed = path.trim_matches('/');
        let mut parts = trimmed.split('/');
        let first = parts.next().unwrap_or_default();
        let second = parts.next().filter(|s| !s.is_empty());
        let third = parts.next();
        // A pillar's chunk reads the rest of its paths (`booking/route.rs`,
        // `culture/route.rs`).
        match first {
            "booking" => return Page::Booking,
            "culture" => return Page::Culture,
            _ => {}
        }
        if parts.next().is_some() {
            return Page::NotFound;
        }
        match (first, second, third) {
            ("", None, None) => Page::Home,
            ("search", None, None) => Page::Search,
            ("record", Some(id), None) => Page::Record(id.parse().ok()),
            ("me", None, None) => Page::Me,
            ("me", Some("loans"), None) => Page::MeLoans,
            ("me", Some("holds"), None) => Page::MeHolds,
            ("me", Some("card"), None) => Page::MeCard,
            ("me", Some("lists"), None) => Page::MeLists,
            ("me", Some("lists"), Some(id)) => Page::MeList(id.parse().ok()),
            ("lists", Some(_), None) => Page::SharedList,
            ("libraries", None, None) => Page::Libraries,
            ("libraries", Some(_), None) => Page::Library,
            _ => Page::NotFound,
        }
    }

    /// The second segment of `path` (`/libraries/county` → `county`),
    /// percent-decoded: the id of pages that take a text id.
    pub fn text_id(path: &str) -> Option<String> {
        let second = path.trim_matches('/').split('/').nth(1)?;
        Some(crate::urlenc::decode(second)).filter(|s| !s.is_empty())
    }
}

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
    MeLoans,
    MeHolds,
    MeCard,
    MeLists,
    MeList(i64),
    /// A shared list, by its share token.
    SharedList(String),
    Libraries,
    /// A library's page, by its id.
    Library(String),
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
            AppRoute::MeLoans => "/me/loans".to_owned(),
            AppRoute::MeHolds => "/me/holds".to_owned(),
            AppRoute::MeCard => "/me/card".to_owned(),
            AppRoute::MeLists => "/me/lists".to_owned(),
            AppRoute::MeList(id) => ["/me/lists/", &id.to_string()].concat(),
            AppRoute::SharedList(token) => {
                let mut href = "/lists/".to_owned();
                crate::urlenc::encode_into(&mut href, token);
                href
            }
            AppRoute::Libraries => "/libraries".to_owned(),
            AppRoute::Library(id) => {
                let mut href = "/libraries/".to_owned();
                crate::urlenc::encode_into(&mut href, id);
                href
            }
            AppRoute::NotFound => "/not-found".to_owned(),
        }
    }

    /// The tab a path belongs to, for highlighting the tab bar; `None` for
    /// paths outside every tab.
    pub fn tab_of_path(path: &str) -> Option<Tab> {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        Some(match first {
            "" | "libraries" => Tab::Home,
            "search" | "record" => Tab::Search,
            "booking" => Tab::Booking,
            "culture" => Tab::Culture,
            "me" | "lists" => Tab::Me,
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
pub struct Navigator(Router);

impl Navigator {
    /// Goes to `route`, adding a history entry.
    pub fn go(&self, route: &AppRoute) {
        self.0.navigate(&route.to_href(), false, true);
    }

    /// Shows `route` in place of the current entry, keeping the scroll
    /// position (for changes within one page, such as "load more").
    pub fn replace(&self, route: &AppRoute) {
        self.0.navigate(&route.to_href(), true, false);
    }

    /// Goes to `route` without scrolling to the top (filters, sort).
    pub fn go_in_place(&self, route: &AppRoute) {
        self.0.navigate(&route.to_href(), false, false);
    }
}

/// The navigator of the app's router.
pub fn use_navigator() -> Navigator {
    Navigator(use_router())
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

    #[test]
    fn every_route_maps_back_to_its_page() {
        let pairs = [
            (AppRoute::Home, Page::Home),
            (
                AppRoute::Search(SearchState::with_query("活着")),
                Page::Search,
            ),
            (AppRoute::Search(SearchState::default()), Page::Search),
            (AppRoute::Record(42), Page::Record(Some(42))),
            (AppRoute::Record(-1), Page::Record(Some(-1))),
            (AppRoute::Booking, Page::Booking),
            (AppRoute::Culture, Page::Culture),
            (AppRoute::Me, Page::Me),
            (AppRoute::MeLoans, Page::MeLoans),
            (AppRoute::MeHolds, Page::MeHolds),
            (AppRoute::MeCard, Page::MeCard),
            (AppRoute::MeLists, Page::MeLists),
            (AppRoute::MeList(3), Page::MeList(Some(3))),
            (AppRoute::SharedList("a b/c".into()), Page::SharedList),
            (AppRoute::Libraries, Page::Libraries),
            (AppRoute::Library("vc-tiechang".into()), Page::Library),
            (AppRoute::NotFound, Page::NotFound),
        ];
        for (route, page) in pairs {
            let href = route.to_href();
            let path = crate::router::Location::from_href(&href).path;
            assert_eq!(Page::of_path(&path), page, "{href}");
        }
    }

    #[test]
    fn paths_outside_the_table_are_not_found() {
        assert_eq!(Page::of_path("/search/"), Page::Search);
        assert_eq!(Page::of_path("/record/abc"), Page::Record(None));
        assert_eq!(Page::of_path("/record"), Page::NotFound);
        assert_eq!(Page::of_path("/record/1/2"), Page::NotFound);
        assert_eq!(Page::of_path("/searchx"), Page::NotFound);
        assert_eq!(Page::of_path("/me/x"), Page::NotFound);
        assert_eq!(Page::of_path("/me/lists/x"), Page::MeList(None));
        assert_eq!(Page::of_path("/me/lists/1/2"), Page::NotFound);
        assert_eq!(Page::of_path("/libraries/"), Page::Libraries);
        assert_eq!(Page::of_path("/lists"), Page::NotFound);
        assert_eq!(
            Page::text_id(&AppRoute::Library("br x/y".into()).to_href()).as_deref(),
            Some("br x/y")
        );
        assert_eq!(Page::text_id("/libraries"), None);
        assert_eq!(Page::of_path("/%E6%B4%BB"), Page::NotFound);
    }
}
