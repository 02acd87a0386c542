//! Helpers shared by the integration tests: a freshly seeded app, requests
//! through `oneshot`, and a brute-force model of the catalog.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use tower::ServiceExt;
use yuelan_api::{Health, ItemStatus, RecordDetail, SearchResponse};
use yuelan_server::{AppState, Db, app, seed};

/// The app over a fresh in-memory database seeded from the real seed files.
pub fn seeded_app() -> Router {
    let db = Db::open_in_memory().expect("in-memory database");
    assert!(seed::seed_if_empty(&db).expect("seeding"));
    app(AppState::new(db, None).expect("state"))
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Sends a request through the app.
pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// GETs a URI.
pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// Percent-encodes a query-string component.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs a search given a raw query string (without `?`); asserts 200.
pub async fn search_raw(app: &Router, query: &str) -> SearchResponse {
    let reply = get(app, &format!("/api/search?{query}")).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{query}: {}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

/// Searches for `q` (first page, 50 results).
pub async fn search(app: &Router, q: &str) -> SearchResponse {
    search_raw(app, &format!("q={}&page_size=50", enc(q))).await
}

/// Every matching record id, in result order, over all pages.
pub async fn all_ids(app: &Router, query: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for page in 1.. {
        let res = search_raw(app, &format!("{query}&page_size=50&page={page}")).await;
        let n = res.hits.len();
        ids.extend(res.hits.iter().map(|h| h.id));
        if n < 50 {
            assert_eq!(
                ids.len() as u64,
                res.total,
                "{query}: pages add up to the total"
            );
            break;
        }
    }
    ids
}

/// Every record of the catalog, with holdings.
pub async fn all_records(app: &Router) -> Vec<RecordDetail> {
    let health: Health = get(app, "/api/health").await.json();
    let mut out = Vec::new();
    for id in 1..=health.records as i64 {
        let reply = get(app, &format!("/api/records/{id}")).await;
        assert_eq!(reply.status, StatusCode::OK);
        out.push(reply.json());
    }
    out
}

/// Whether a record's searched fields contain `needle` (the brute-force
/// substring scan the index must equal for short CJK queries).
pub fn fields_contain(r: &RecordDetail, needle: &str) -> bool {
    r.title.contains(needle)
        || r.subtitle.as_deref().is_some_and(|s| s.contains(needle))
        || r.series.as_deref().is_some_and(|s| s.contains(needle))
        || r.publisher.as_deref().is_some_and(|s| s.contains(needle))
        || r.authors.iter().any(|a| a.contains(needle))
        || r.subjects.iter().any(|s| s.contains(needle))
}

/// The filters of a facet brute force.
#[derive(Default, Clone)]
pub struct Filters {
    pub formats: Vec<&'static str>,
    pub languages: Vec<&'static str>,
    pub branches: Vec<&'static str>,
    pub subjects: Vec<String>,
    pub decades: Vec<i32>,
    pub available: bool,
}

impl Filters {
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        for f in &self.formats {
            parts.push(format!("format={f}"));
        }
        for l in &self.languages {
            parts.push(format!("language={l}"));
        }
        for b in &self.branches {
            parts.push(format!("branch={b}"));
        }
        for s in &self.subjects {
            parts.push(format!("subject={}", enc(s)));
        }
        for d in &self.decades {
            parts.push(format!("decade={d}"));
        }
        if self.available {
            parts.push("available=true".into());
        }
        parts.join("&")
    }
}

/// Facet counts and the total computed by brute force over the records
/// matching the query, with the documented multi-select semantics.
pub fn brute_facets(
    records: &[&RecordDetail],
    f: &Filters,
) -> (u64, BTreeMap<(String, String), u64>) {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut add = |field: &str, value: String| {
        *counts.entry((field.to_owned(), value)).or_default() += 1;
    };
    let mut total = 0;
    for r in records {
        let format = r.format.as_str();
        let decade = r.year.map(|y| y - y.rem_euclid(10));
        let hold: BTreeSet<&str> = r.holdings.iter().map(|h| h.library_id.as_str()).collect();
        let avail: BTreeSet<&str> = r
            .holdings
            .iter()
            .filter(|h| h.status == ItemStatus::OnShelf)
            .map(|h| h.library_id.as_str())
            .collect();
        let fmt_ok = f.formats.is_empty() || f.formats.contains(&format);
        let lang_ok = f.languages.is_empty() || f.languages.contains(&r.language.as_str());
        let subj_ok = f.subjects.is_empty() || r.subjects.iter().any(|s| f.subjects.contains(s));
        let dec_ok = f.decades.is_empty() || decade.is_some_and(|d| f.decades.contains(&d));
        let in_branches = |set: &BTreeSet<&str>| f.branches.iter().any(|b| set.contains(b));
        let branch_ok =
            f.branches.is_empty() || in_branches(if f.available { &avail } else { &hold });
        let avail_ok = !f.available
            || if f.branches.is_empty() {
                !avail.is_empty()
            } else {
                in_branches(&avail)
            };
        let all_indep = fmt_ok && lang_ok && subj_ok && dec_ok;
        if all_indep && branch_ok && avail_ok {
            total += 1;
        }
        if lang_ok && subj_ok && dec_ok && branch_ok && avail_ok {
            add("format", format.to_owned());
        }
        if fmt_ok && subj_ok && dec_ok && branch_ok && avail_ok {
            add("language", r.language.clone());
        }
        if fmt_ok && lang_ok && dec_ok && branch_ok && avail_ok {
            let unique: BTreeSet<&String> = r.subjects.iter().collect();
            for s in unique {
                add("subject", s.clone());
            }
        }
        if fmt_ok
            && lang_ok
            && subj_ok
            && branch_ok
            && avail_ok
            && let Some(d) = decade
        {
            add("decade", d.to_string());
        }
        if all_indep && (!f.available || !avail.is_empty()) {
            for lib in if f.available { &avail } else { &hold } {
                add("branch", (*lib).to_owned());
            }
        }
        if all_indep && (f.branches.is_empty() || in_branches(&hold)) {
            let on_shelf = if f.branches.is_empty() {
                !avail.is_empty()
            } else {
                in_branches(&avail)
            };
            if on_shelf {
                add("available", "true".into());
            }
        }
    }
    (total, counts)
}

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("yuelan-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The instant the account tests start at: Monday 2026-11-30, 10:00 in
/// Boluo (UTC+8).
pub fn t0() -> i64 {
    yuelan_server::clock::local_instant(2026, 11, 30, 10, 0)
}

/// A seeded app whose clock the test moves.
pub struct TestApp {
    pub app: Router,
    pub state: AppState,
    pub clock: std::sync::Arc<yuelan_server::ManualClock>,
}

impl TestApp {
    /// The app over a fresh in-memory database seeded at [`t0`], with a
    /// manual clock standing there.
    pub fn new() -> TestApp {
        TestApp::with_settings(false, &[])
    }

    /// As [`TestApp::new`], serving the cultural cloud's media from `dir`.
    pub fn with_media(dir: &std::path::Path) -> TestApp {
        TestApp::build(false, &[], Some(dir.to_owned()))
    }

    /// As [`TestApp::new`], with `--secure-cookies` and `--allow-origin`.
    pub fn with_settings(secure_cookies: bool, allowed_origins: &[&str]) -> TestApp {
        TestApp::build(secure_cookies, allowed_origins, None)
    }

    fn build(
        secure_cookies: bool,
        allowed_origins: &[&str],
        media_dir: Option<std::path::PathBuf>,
    ) -> TestApp {
        let clock = std::sync::Arc::new(yuelan_server::ManualClock::new(t0()));
        let db = Db::open_in_memory().expect("in-memory database");
        assert!(seed::seed_if_empty_at(&db, t0()).expect("seeding"));
        let settings = yuelan_server::Settings {
            clock: clock.clone(),
            secure_cookies,
            allowed_origins: allowed_origins.iter().map(|o| o.to_string()).collect(),
            media_dir,
        };
        let state = AppState::with_settings(db, None, settings).expect("state");
        TestApp {
            app: app(state.clone()),
            state,
            clock,
        }
    }

    /// The local date of the clock, `YYYY-MM-DD`, `days` from today.
    pub fn date(&self, days: i64) -> String {
        yuelan_server::clock::format_date(self.state.today() + days)
    }
}

/// How a request proves who sends it.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Bearer(String),
    Cookie(String),
}

/// A request with a JSON body (or none), credentials, and the CSRF header
/// unless `csrf` is false.
pub fn request(
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
    auth: &Auth,
    csrf: bool,
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    match auth {
        Auth::None => {}
        Auth::Bearer(t) => b = b.header("authorization", format!("Bearer {t}")),
        Auth::Cookie(t) => b = b.header("cookie", format!("yuelan_session={t}")),
    }
    if csrf {
        b = b.header("x-requested-with", "yuelan");
    }
    match body {
        Some(v) => b
            .header("content-type", "application/json")
            .body(Body::from(v.to_string()))
            .expect("request"),
        None => b.body(Body::empty()).expect("request"),
    }
}

/// Sends a request with the CSRF header.
pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
    auth: &Auth,
) -> Reply {
    send(app, request(method, uri, body, auth, true)).await
}

/// Signs in in bearer mode; asserts success and returns the token.
pub async fn sign_in(app: &Router, card: &str, pin: &str) -> Auth {
    let reply = call(
        app,
        "POST",
        "/api/session",
        Some(serde_json::json!({"card_number": card, "pin": pin, "mode": "bearer"})),
        &Auth::None,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let info: yuelan_api::account::SessionInfo = reply.json();
    Auth::Bearer(info.token.expect("a bearer token"))
}

/// Card numbers and PINs of the README's demo patrons.
pub const CHEN: (&str, &str) = ("44132200000001", "246810");
pub const LI: (&str, &str) = ("44132200000002", "135790");
pub const EMILY: (&str, &str) = ("44132200000003", "112233");
pub const WANG: (&str, &str) = ("44132200000004", "864209");

/// Asserts a problem+json answer with a status and code; returns it.
pub fn expect_problem(
    reply: &Reply,
    status: u16,
    code: yuelan_api::ErrorCode,
) -> yuelan_api::Problem {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let p: yuelan_api::Problem = reply.json();
    assert_eq!(p.status, status);
    assert_eq!(p.code, code, "{p:?}");
    p
}

/// The record id of an ISBN.
pub async fn record_by_isbn(app: &Router, isbn: &str) -> i64 {
    let res = search(app, isbn).await;
    assert_eq!(res.hits.len(), 1, "{isbn}");
    res.hits[0].id
}
