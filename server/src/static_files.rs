//! The built app: static files with precompressed siblings, cache headers
//! and the History-API fallback.
//!
//! - `.br` / `.gz` siblings written by the build are served when the client
//!   accepts them (`Content-Encoding` set; every file gets
//!   `Vary: accept-encoding`).
//! - `index.html`, `config.json` and the service worker `sw.js`:
//!   `Cache-Control: no-cache`, so a deploy is seen at once (WeChat caches
//!   `index.html` otherwise).
//! - Names with a trunk hash (`-` and 16 hex digits before the extension,
//!   e.g. `yuelan-2f1c0e0a9b8c7d6e_bg.wasm`): `immutable` for a year.
//! - Anything else: an hour.
//! - A GET for a path without an extension (an app route such as `/search`)
//!   answers `index.html`.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::AppState;
use crate::error::AppError;

/// Builds the file service of a directory.
pub fn serve_dir(dir: PathBuf) -> ServeDir {
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
}

/// Whether a file name carries a trunk content hash.
pub fn is_hashed(name: &str) -> bool {
    let b = name.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'-'
            && b.len() > i + 17
            && b[i + 1..i + 17]
                .iter()
                .all(|x| x.is_ascii_digit() || (b'a'..=b'f').contains(x))
            && matches!(b[i + 17], b'.' | b'_')
    })
}

/// The `Cache-Control` value for a served file name.
pub fn cache_control(name: &str) -> &'static str {
    if name == "index.html" || name == "config.json" || name == "sw.js" {
        "no-cache"
    } else if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    }
}

/// Serves a non-API request from the static directory.
pub async fn serve(State(state): State<AppState>, mut req: Request) -> Response {
    let Some(dir) = state.static_dir() else {
        return AppError::NotFound("Nothing is served at this path.".into()).into_response();
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return AppError::MethodNotAllowed.into_response();
    }
    let path = req.uri().path().to_owned();
    let last = path.rsplit('/').next().unwrap_or("");
    let name = if last.is_empty() {
        "index.html".to_owned()
    } else if !last.contains('.') {
        // An app route: the app's shell answers it.
        *req.uri_mut() = Uri::from_static("/index.html");
        "index.html".to_owned()
    } else {
        last.to_owned()
    };
    let res = match dir.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    if res.status() == StatusCode::NOT_FOUND {
        return AppError::NotFound(format!("There is no file at {path}.")).into_response();
    }
    let mut res = res;
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control(&name)),
        );
        // The body depends on Accept-Encoding wherever a sibling exists.
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spots_trunk_hashes() {
        assert!(is_hashed("yuelan-2f1c0e0a9b8c7d6e_bg.wasm"));
        assert!(is_hashed("main-0123456789abcdef.css"));
        assert!(!is_hashed("main-0123456789abcde.css"));
        assert!(!is_hashed("main-0123456789ABCDEF.css"));
        assert!(!is_hashed("favicon.ico"));
        assert!(!is_hashed("a-0123456789abcdef"));
    }

    #[test]
    fn cache_headers_by_name() {
        assert_eq!(cache_control("index.html"), "no-cache");
        assert_eq!(cache_control("config.json"), "no-cache");
        assert_eq!(cache_control("sw.js"), "no-cache");
        assert_eq!(
            cache_control("yuelan-2f1c0e0a9b8c7d6e.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("favicon.ico"), "public, max-age=3600");
    }
}
