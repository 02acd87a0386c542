//! The cultural cloud's own routes. The main module knows one page,
//! `Page::Culture`, for every path under `/culture`; the culture chunk
//! reads the rest of the path (and the query) here, so that its routes
//! add nothing to the main module.

use crate::urlenc;

/// A page of the cultural cloud.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CultureRoute {
    /// `/culture`: live now, continue watching, a row per category.
    Home,
    /// `/culture/search?q=`: programmes matching `q` (empty: none yet).
    Search(String),
    /// `/culture/programme/{id}`.
    Programme(String),
    /// `/culture/events`: the calendar.
    Events,
    /// `/culture/events/{id}`: one event, with its registration.
    Event(String),
    /// `/culture/requests`: patrons' requests (点单).
    Requests,
    /// Any other path under `/culture`.
    NotFound,
}

impl CultureRoute {
    /// The route of `path` (percent-encoded, as in the URL) and `query`
    /// (without `?`). A trailing slash is ignored.
    pub fn of_path(path: &str, query: &str) -> CultureRoute {
        let Some((second, third)) = urlenc::under(path, "culture") else {
            return CultureRoute::NotFound;
        };
        match (second, third.map(urlenc::decode)) {
            (None, None) => CultureRoute::Home,
            (Some("search"), None) => CultureRoute::Search(
                urlenc::pairs(query)
                    .find(|(k, _)| k == "q")
                    .map(|(_, v)| v)
                    .unwrap_or_default(),
            ),
            (Some("programme"), Some(id)) if !id.is_empty() => CultureRoute::Programme(id),
            (Some("events"), None) => CultureRoute::Events,
            (Some("events"), Some(id)) if !id.is_empty() => CultureRoute::Event(id),
            (Some("requests"), None) => CultureRoute::Requests,
            _ => CultureRoute::NotFound,
        }
    }

    /// The path (and query) of the page.
    pub fn to_href(&self) -> String {
        let with_id = |prefix: &str, id: &str| {
            let mut href = prefix.to_owned();
            urlenc::encode_into(&mut href, id);
            href
        };
        match self {
            CultureRoute::Home => "/culture".to_owned(),
            CultureRoute::Search(q) if q.is_empty() => "/culture/search".to_owned(),
            CultureRoute::Search(q) => with_id("/culture/search?q=", q),
            CultureRoute::Programme(id) => with_id("/culture/programme/", id),
            CultureRoute::Events => "/culture/events".to_owned(),
            CultureRoute::Event(id) => with_id("/culture/events/", id),
            CultureRoute::Requests => "/culture/requests".to_owned(),
            CultureRoute::NotFound => "/culture/not-found".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_reads_back_from_its_href() {
        let routes = [
            CultureRoute::Home,
            CultureRoute::Search(String::new()),
            CultureRoute::Search("罗浮 & co".into()),
            CultureRoute::Search("lfs".into()),
            CultureRoute::Programme("luofu-1".into()),
            CultureRoute::Programme("a/b c".into()),
            CultureRoute::Events,
            CultureRoute::Event("ev-picturebook".into()),
            CultureRoute::Requests,
            CultureRoute::NotFound,
        ];
        for route in routes {
            let href = route.to_href();
            let (path, query) = href.split_once('?').unwrap_or((&href, ""));
            assert_eq!(CultureRoute::of_path(path, query), route, "{href}");
            // The main module's table sends every one to the culture chunk.
            assert_eq!(
                crate::routes::Page::of_path(path),
                crate::routes::Page::Culture
            );
        }
        assert_eq!(
            crate::routes::Page::of_path("/culturex"),
            crate::routes::Page::NotFound
        );
    }

    #[test]
    fn paths_as_typed() {
        assert_eq!(CultureRoute::of_path("/culture/", ""), CultureRoute::Home);
        assert_eq!(
            CultureRoute::of_path("/culture/search", "page=2&q=%E7%BD%97%E6%B5%AE"),
            CultureRoute::Search("罗浮".into())
        );
        assert_eq!(
            CultureRoute::of_path("/culture/programme/luofu-1/", ""),
            CultureRoute::Programme("luofu-1".into())
        );
        assert_eq!(
            CultureRoute::of_path("/culture/programme", ""),
            CultureRoute::NotFound
        );
        assert_eq!(
            CultureRoute::of_path("/culture/programme/", ""),
            CultureRoute::NotFound
        );
        assert_eq!(
            CultureRoute::of_path("/culture/programme/a/b", ""),
            CultureRoute::NotFound
        );
        assert_eq!(
            CultureRoute::of_path("/culture/nothing", ""),
            CultureRoute::NotFound
        );
        assert_eq!(
            CultureRoute::of_path("/booking", ""),
            CultureRoute::NotFound
        );
    }
}
