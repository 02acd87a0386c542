//! The only place that talks HTTP.
//!
//! [`ApiClient`] is built once from the config and provided as a context;
//! its typed methods build the URLs of the REST contract, so views never do.
//! Every method returns `Result<_, ApiError>`.

mod account;
pub mod auth;
mod booking;
mod culture;
mod error;
mod http;
pub mod load;

use leptos::prelude::*;
use yuelan_api::account::SessionMode;
use yuelan_api::{FacetField, LibraryList, LibraryNames, RecordDetail, SearchResponse, SortOrder};

pub use booking::{Polled, idempotency_key};
pub use error::ApiError;
pub use http::TIMEOUT_MS;
pub use load::{Request, Slot, load_into};

use crate::config::{AppConfig, CONFIG_URL};
use crate::urlenc;

/// The parameters of `GET /search`.
#[derive(Clone, Copy, Debug)]
pub struct SearchQuery<'a> {
    pub q: &'a str,
    /// Selected `(field, value)` pairs, in the order they go in the URL.
    pub filters: &'a [(FacetField, String)],
    pub sort: SortOrder,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

/// A client of one library's REST API. `Copy`, so that handlers and
/// loaders can share it without clones: its base URL is leaked once, as
/// an app builds one client for its whole life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiClient {
    base: &'static str,
    /// How this client holds its session (see [`auth`]).
    mode: SessionMode,
}

impl ApiClient {
    /// A client of the API at `base` (e.g. `/api`), without trailing slash,
    /// for an app served from `app_origin` (e.g. `https://opac.example.cn`).
    pub fn new(base: &str, app_origin: &str) -> Self {
        Self {
            base: Box::leak(Box::from(base.trim_end_matches('/'))),
            mode: auth::mode_for(base, app_origin),
        }
    }

    /// How this client holds its session.
    pub fn session_mode(&self) -> SessionMode {
        self.mode
    }

    /// `GET {api}/search?…`
    pub fn search(&self, query: &SearchQuery<'_>) -> Request<SearchResponse> {
        http::get_json(self.search_url(query))
    }

    /// `GET {api}/records/{id}`
    pub fn record(&self, id: i64) -> Request<RecordDetail> {
        http::get_json(self.record_url(id))
    }

    /// `GET {api}/libraries`
    pub fn libraries(&self) -> Request<LibraryList> {
        http::get_json([self.base, "/libraries"].concat())
    }

    /// `GET {api}/libraries`, read for ids and names only (the catalog's
    /// reading, in the first load).
    pub fn library_names(&self) -> Request<LibraryNames> {
        http::get_json([self.base, "/libraries"].concat())
    }

    /// The URL of a search.
    pub fn search_url(&self, query: &SearchQuery<'_>) -> String {
        let mut url = String::with_capacity(self.base.len() + 64);
        url.push_str(self.base);
        url.push_str("/search?q=");
        urlenc::encode_into(&mut url, query.q);
        for (field, value) in query.filters {
            if *field == FacetField::Unknown {
                continue;
            }
            url.push('&');
            url.push_str(field.as_str());
            url.push('=');
            urlenc::encode_into(&mut url, value);
        }
        url.push_str("&sort=");
        url.push_str(query.sort.as_str());
        url.push_str("&page=");
        url.push_str(&query.page.max(1).to_string());
        url.push_str("&page_size=");
        url.push_str(
            &query
                .page_size
                .clamp(1, yuelan_api::MAX_PAGE_SIZE)
                .to_string(),
        );
        url
    }

    /// The URL of a record.
    pub fn record_url(&self, id: i64) -> String {
        [self.base, "/records/", &id.to_string()].concat()
    }
}

/// Loads `/config.json`.
pub fn fetch_config() -> Request<AppConfig> {
    let body = http::get_body(CONFIG_URL.to_owned());
    Box::pin(async move { AppConfig::parse(&body.await?).map_err(|_| ApiError::Decode) })
}

/// Provides the API client for `config`.
pub fn provide_api(config: &AppConfig) -> ApiClient {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let client = ApiClient::new(config.api_base(), &origin);
    provide_context(client);
    client
}

/// The API client; one for `/api` when none was provided (as in tests).
pub fn use_api() -> ApiClient {
    use_context::<ApiClient>().unwrap_or_else(|| ApiClient::new(yuelan_api::API_PREFIX, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_urls_encode_everything() {
        let client = ApiClient::new("/api/", "https://opac.example.cn");
        let filters = [
            (FacetField::Format, "book".to_owned()),
            (FacetField::Format, "dvd".to_owned()),
            (FacetField::Branch, "br x&y".to_owned()),
            (FacetField::Unknown, "zzz".to_owned()),
        ];
        let q = SearchQuery {
            q: "红楼梦 & co",
            filters: &filters,
            sort: SortOrder::Newest,
            page: 2,
            page_size: 500,
        };
        assert_eq!(
            client.search_url(&q),
            "/api/search?q=%E7%BA%A2%E6%A5%BC%E6%A2%A6%20%26%20co&format=book&format=dvd&branch=br%20x%26y&sort=newest&page=2&page_size=50"
        );
        assert_eq!(client.record_url(7), "/api/records/7");
    }
}
