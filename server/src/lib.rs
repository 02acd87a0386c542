//! The reference REST server of Yuelan (阅览): the catalog contract over
//! SQLite, with an in-memory search index beside the database.
//!
//! Endpoints (all JSON; errors are `application/problem+json`):
//! - `GET /api/health` — [`yuelan_api::Health`].
//! - `GET /api/libraries` — [`yuelan_api::LibraryList`], county library first.
//! - `GET /api/search?q=&format=&language=&branch=&subject=&decade=&available=&sort=&page=&page_size=`
//!   — [`yuelan_api::SearchResponse`]; filters repeat (ORed within a field,
//!   ANDed across fields); unknown parameters are ignored; invalid values
//!   answer 422 `validation_failed` naming the field.
//! - `GET /api/records/{id}` — [`yuelan_api::RecordDetail`] with holdings;
//!   404 `not_found`, 422 for a non-integer id.
//! - `GET /api/rules` — [`yuelan_api::account::CirculationRules`], from the
//!   rules table.
//! - `POST /api/session` — sign in ([`yuelan_api::account::SignInRequest`]
//!   → [`yuelan_api::account::SessionInfo`]); cookie or bearer mode; 401
//!   `invalid_credentials` with `tries_left`, 429 `card_locked`.
//! - `GET /api/session` — the current session; `DELETE /api/session` —
//!   sign out (204, idempotent).
//! - `GET /api/me` — [`yuelan_api::account::Account`]: patron, loans, holds.
//! - `POST /api/me/holds` — place a hold (201); `PATCH /api/me/holds/{id}` —
//!   change its pickup library; `POST /api/me/holds/{id}/suspend` and
//!   `/resume`; `DELETE /api/me/holds/{id}` — cancel (204).
//! - `POST /api/me/loans/{id}/renew` — renew one loan;
//!   `POST /api/me/loans/renew` — renew several
//!   ([`yuelan_api::account::RenewResults`]).
//! - `GET /api/me/lists`, `POST /api/me/lists` (201),
//!   `PATCH|DELETE /api/me/lists/{id}`,
//!   `PUT|DELETE /api/me/lists/{id}/entries/{record_id}` — favourite lists.
//! - `GET /api/lists/{share_token}` — a shared list, read-only, no sign-in.
//! - `GET /api/rooms?library=` — [`yuelan_api::booking::RoomList`];
//!   `GET /api/rooms/{id}` — [`yuelan_api::booking::RoomDetail`] (seat map,
//!   hours, rules); `GET /api/rooms/{id}/availability?date=&start=&end=` —
//!   [`yuelan_api::booking::Availability`] with `ETag` (304 on
//!   `If-None-Match`); `GET /api/rooms/{id}/events` — server-sent events
//!   of [`yuelan_api::booking::SeatChange`]s.
//! - `GET /api/me/bookings` — [`yuelan_api::booking::MyBookings`];
//!   `POST /api/me/bookings` (`Idempotency-Key`) —
//!   [`yuelan_api::booking::CreateBooking`] → 201
//!   [`yuelan_api::booking::BookingConfirmation`];
//!   `GET /api/me/bookings/{id}` (`ETag`) and `/api/me/bookings/{id}.ics`;
//!   `POST /api/me/bookings/{id}/{cancel|checkin|leave|return|end|extend|accept|decline}`
//!   (`If-Match`; 412 when stale); `POST /api/me/checkin` (by seat code);
//!   `POST /api/me/waitlist`, `DELETE /api/me/waitlist/{id}`.
//! - `GET /api/staff/seat-codes?library=&room=` — the printable HTML page
//!   of every seat's check-in QR code. See [`booking`].
//! - `GET /api/culture/home` — [`yuelan_api::culture::CultureHome`];
//!   `GET /api/culture/programmes?q=&category=&library=&kind=&series=&page=&page_size=`
//!   — [`yuelan_api::culture::ProgrammeList`]; `GET /api/culture/programmes/{id}`
//!   — [`yuelan_api::culture::ProgrammeDetail`] and `/chapters.vtt`;
//!   `POST /api/culture/programmes/{id}/views`; `GET /api/culture/events?from=&to=&library=&category=`
//!   — [`yuelan_api::culture::EventList`]; `GET /api/culture/events/{id}` (and `{id}.ics`);
//!   `GET /api/culture/events/{id}/live/{master|rendition}.m3u8` (sliding window) and
//!   `/replay/...`; `GET /api/culture/media/{asset}/master.m3u8`,
//!   `/subs/{lang}.{vtt|m3u8}`, `/{rendition}/{index.m3u8|seg_NNN.ts}` and
//!   `/{poster.jpg|full.m4a}` (byte ranges); `GET /api/culture/requests`.
//! - `GET /api/me/culture/progress`, `PUT /api/me/culture/progress/{id}`;
//!   `PUT|DELETE /api/me/culture/ratings/{id}`; `POST /api/me/culture/requests`,
//!   `PUT|DELETE /api/me/culture/requests/{id}/backing`;
//!   `GET|POST /api/me/culture/registrations` (`Idempotency-Key`),
//!   `DELETE /api/me/culture/registrations/{id}`. See [`culture`].
//! - `GET /api/openapi.json` — the OpenAPI 3.1 document.
//! - Any other `/api/...` path — 404 `not_found`; a wrong method — 405.
//! - Everything else — the built app from the static directory, if one is
//!   configured (see [`static_files`]), else 404.
//!
//! Everything under `/api/me` needs a session (`Authorization: Bearer` or
//! the `yuelan_session` cookie): 401 `unauthenticated` without one, 401
//! `session_expired` when it is unknown or has ended, both with
//! `WWW-Authenticate: Bearer`. Every `POST`, `PUT`, `PATCH` and `DELETE`
//! needs `X-Requested-With: yuelan` (403 `csrf_check_failed`). See
//! [`account`].
//!
//! Every response carries a Content-Security-Policy, `nosniff` and a
//! referrer policy. API answers are brotli- or gzip-compressed when the
//! client accepts it. Origins given with `--allow-origin` get CORS answers
//! (preflights, `Access-Control-Allow-Origin`; no credentials: such
//! deployments use bearer tokens); other origins get no CORS headers.

pub mod account;
pub mod booking;
pub mod clock;
pub mod culture;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod openapi;
pub mod patrons;
pub mod routes;
pub mod search;
pub mod seed;
pub mod static_files;
pub mod synthetic;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::services::ServeDir;
use yuelan_api::SearchResponse;

pub use clock::{Clock, ManualClock, SystemClock};
pub use db::Db;
pub use error::{AppError, Error};
use search::{DocInput, IndexBuilder, IndexLibrary, IndexStats, SearchIndex, SearchRequest};

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'none'; frame-ancestors 'self'; form-action 'self'";

/// Cached search answers per generation; two generations are kept, so the
/// cache holds at most twice this many.
const CACHE_GENERATION: usize = 512;

/// Serialised search answers keyed by the canonical request: an
/// approximately-LRU cache of two generations.
#[derive(Default)]
struct SearchCache {
    maps: Mutex<(HashMap<String, Bytes>, HashMap<String, Bytes>)>,
    /// Bumped when the index changes, so answers computed before are not
    /// stored after.
    epoch: AtomicU64,
}

impl SearchCache {
    fn get(&self, key: &str) -> Option<Bytes> {
        let mut maps = self.maps.lock().ok()?;
        if let Some(b) = maps.0.get(key) {
            return Some(b.clone());
        }
        let (k, b) = maps.1.remove_entry(key)?;
        Self::insert(&mut maps, k, b.clone());
        Some(b)
    }

    fn insert(
        maps: &mut (HashMap<String, Bytes>, HashMap<String, Bytes>),
        key: String,
        body: Bytes,
    ) {
        maps.0.insert(key, body);
        if maps.0.len() >= CACHE_GENERATION {
            maps.1 = std::mem::take(&mut maps.0);
        }
    }

    fn put(&self, key: String, body: Bytes, epoch: u64) {
        if let Ok(mut maps) = self.maps.lock()
            && self.epoch.load(Ordering::Acquire) == epoch
        {
            Self::insert(&mut maps, key, body);
        }
    }

    fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut maps) = self.maps.lock() {
            maps.0.clear();
            maps.1.clear();
        }
    }
}

struct Inner {
    db: Db,
    index: RwLock<Arc<SearchIndex>>,
    cache: SearchCache,
    static_dir: Option<ServeDir>,
    openapi: Bytes,
    settings: Settings,
    booking: booking::Hub,
}

/// How the server runs: its clock and the security options of `serve`.
#[derive(Clone)]
pub struct Settings {
    /// The clock every time-based rule reads.
    pub clock: Arc<dyn Clock>,
    /// Session cookies are always `Secure` (`--secure-cookies`: the server
    /// is reached over TLS through a proxy that does not say so).
    pub secure_cookies: bool,
    /// Origins allowed to call the API from a browser (`--allow-origin`),
    /// e.g. `https://app.example.cn`.
    pub allowed_origins: Vec<String>,
    /// The cultural cloud's generated media (`--media`), if any.
    pub media_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            clock: Arc::new(SystemClock),
            secure_cookies: false,
            allowed_origins: Vec::new(),
            media_dir: None,
        }
    }
}

/// The state shared by every request: the database, the search index and
/// its cache, and the static directory.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

/// Reads every record and copy of the database into a new index.
pub fn build_index(db: &Db) -> Result<SearchIndex, Error> {
    db.with_conn(|conn| {
        let libraries: Vec<IndexLibrary> = db::libraries(conn)?
            .into_iter()
            .map(|l| IndexLibrary {
                id: l.id,
                name: l.name,
            })
            .collect();
        let mut builder = IndexBuilder::new(libraries)?;
        let n: i64 =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM records", [], |r| r.get(0))?;
        builder.reserve(n.max(0) as usize);
        db::scan_records(conn, |row| {
            builder.add(&DocInput {
                record_id: row.id,
                title: &row.title,
                subtitle: row.subtitle.as_deref(),
                series: row.series.as_deref(),
                authors: &row.authors,
                subjects: &row.subjects,
                publisher: row.publisher.as_deref(),
                year: row.year,
                isbn: row.isbn.as_deref(),
                format: row.format,
                language: &row.language,
            })?;
            Ok(())
        })?;
        db::scan_items(conn, |record, library, status| {
            builder.add_item(record, library, status)
        })?;
        Ok(builder.finish())
    })
}

impl AppState {
    /// Builds the state over a migrated database: reads the index from it.
    /// `static_dir` is the built app to serve, if any. Time is the system
    /// clock's.
    pub fn new(db: Db, static_dir: Option<PathBuf>) -> Result<AppState, Error> {
        AppState::with_settings(db, static_dir, Settings::default())
    }

    /// As [`AppState::new`], with another clock (tests move a
    /// [`ManualClock`]).
    pub fn with_clock(
        db: Db,
        static_dir: Option<PathBuf>,
        clock: Arc<dyn Clock>,
    ) -> Result<AppState, Error> {
        AppState::with_settings(
            db,
            static_dir,
            Settings {
                clock,
                ..Settings::default()
            },
        )
    }

    /// As [`AppState::new`], with every setting.
    pub fn with_settings(
        db: Db,
        static_dir: Option<PathBuf>,
        settings: Settings,
    ) -> Result<AppState, Error> {
        let started = Instant::now();
        let index = build_index(&db)?;
        let stats = index.stats();
        eprintln!(
            "search index: {} records, {} terms, {} postings, ~{} MiB, built in {} ms",
            stats.docs,
            stats.terms,
            stats.postings,
            stats.bytes >> 20,
            started.elapsed().as_millis()
        );
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                index: RwLock::new(Arc::new(index)),
                cache: SearchCache::default(),
                static_dir: static_dir.map(static_files::serve_dir),
                openapi: Bytes::from(openapi::json_pretty()),
                settings,
                booking: booking::Hub::default(),
            }),
        })
    }

    /// The current time (Unix seconds), from the state's clock.
    pub fn now(&self) -> i64 {
        self.inner.settings.clock.now()
    }

    /// The library's local date today (days since 1970-01-01).
    pub fn today(&self) -> i64 {
        clock::local_day(self.now())
    }

    /// Whether session cookies are always `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.inner.settings.secure_cookies
    }

    /// Whether a browser origin may call the API.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.inner
            .settings
            .allowed_origins
            .iter()
            .any(|o| o == origin)
    }

    /// The booking's channel of seat changes and rate limit.
    pub fn booking_hub(&self) -> &booking::Hub {
        &self.inner.booking
    }

    /// The cultural cloud's media directory, if one is configured.
    pub fn media_dir(&self) -> Option<&std::path::Path> {
        self.inner.settings.media_dir.as_deref()
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The current index.
    pub fn index(&self) -> Arc<SearchIndex> {
        match self.inner.index.read() {
            Ok(ix) => ix.clone(),
            // A panic while swapping cannot leave a half-written Arc.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn static_dir(&self) -> Option<ServeDir> {
        self.inner.static_dir.clone()
    }

    fn openapi_json(&self) -> Bytes {
        self.inner.openapi.clone()
    }

    /// Ids of the libraries, in network order.
    pub fn library_ids(&self) -> Vec<String> {
        self.index()
            .libraries
            .iter()
            .map(|l| l.id.clone())
            .collect()
    }

    /// Rebuilds the whole index from the database and swaps it in.
    pub fn rebuild_index(&self) -> Result<IndexStats, Error> {
        let index = Arc::new(build_index(self.db())?);
        let stats = index.stats();
        match self.inner.index.write() {
            Ok(mut ix) => *ix = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
        self.inner.cache.clear();
        Ok(stats)
    }

    /// Re-reads the copies of one record and updates its availability in
    /// the index (after a loan, return or hold changed them).
    pub fn refresh_availability(&self, record_id: i64) -> Result<bool, Error> {
        let items = self.db().with_conn(|c| db::record_items(c, record_id))?;
        let changed = self.index().set_availability(record_id, &items);
        self.inner.cache.clear();
        Ok(changed)
    }

    /// Answers a search (blocking: index work and SQLite reads).
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, Error> {
        let index = self.index();
        let outcome = index.search(req);
        let library_ids: Vec<String> = index.libraries.iter().map(|l| l.id.clone()).collect();
        let hits = self
            .db()
            .with_conn(|c| db::hits(c, &outcome.record_ids, &library_ids))?;
        Ok(SearchResponse {
            query: outcome.query,
            total: outcome.total,
            page: req.page,
            page_size: req.page_size,
            hits,
            facets: outcome.facets,
            suggestions: outcome.suggestions,
        })
    }

    /// Answers a search as JSON bytes, through the cache.
    async fn search_json(&self, req: SearchRequest) -> Result<Bytes, AppError> {
        let key = req.cache_key();
        if let Some(body) = self.inner.cache.get(&key) {
            return Ok(body);
        }
        let epoch = self.inner.cache.epoch.load(Ordering::Acquire);
        let state = self.clone();
        let body = routes::blocking(move || {
            let res = state.search(&req)?;
            Ok(Bytes::from(serde_json::to_vec(&res).map_err(Error::from)?))
        })
        .await?;
        self.inner.cache.put(key, body.clone(), epoch);
        Ok(body)
    }
}

/// Adds the security headers to every response.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CSP),
    );
    h.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    res
}

/// Methods a cross-origin caller may use.
const CORS_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";
/// Request headers a cross-origin caller may send.
const CORS_HEADERS: &str =
    "authorization, content-type, x-requested-with, idempotency-key, if-match, if-none-match";
/// Response headers a cross-origin caller may read.
const CORS_EXPOSE: &str = "etag, location, retry-after, www-authenticate";

/// CORS for the origins of `--allow-origin`, on `/api` only: preflights
/// get 204 with the allowed methods and headers, other requests
/// `Access-Control-Allow-Origin`. Credentials (cookies) are not allowed
/// across origins: such apps sign in in bearer mode. Other origins get no
/// CORS headers, so browsers keep their scripts out.
async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| state.origin_allowed(o))
        .and_then(|o| HeaderValue::from_str(o).ok());
    let api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let Some(origin) = origin.filter(|_| api) else {
        let mut res = next.run(req).await;
        if api && !state.inner.settings.allowed_origins.is_empty() {
            // The answer differs by origin: shared caches must know.
            res.headers_mut()
                .append(header::VARY, HeaderValue::from_static("origin"));
        }
        return res;
    };
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut res = if preflight {
        let mut res = StatusCode::NO_CONTENT.into_response();
        let h = res.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(CORS_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(CORS_HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        res
    } else {
        let mut res = next.run(req).await;
        res.headers_mut().insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(CORS_EXPOSE),
        );
        res
    };
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.append(header::VARY, HeaderValue::from_static("origin"));
    res
}

/// The application: API routes, static files and headers.
pub fn app(state: AppState) -> Router {
    use account::{holds, lists, loans, session};
    Router::new()
        .route("/api/health", get(routes::health))
        .route("/api/libraries", get(routes::libraries))
        .route("/api/search", get(routes::search))
        .route("/api/records/{id}", get(routes::record))
        .route("/api/rules", get(account::rules_handler))
        .route(
            "/api/session",
            post(session::sign_in_handler)
                .get(session::session_handler)
                .delete(session::sign_out_handler),
        )
        .route("/api/me", get(account::account_handler))
        .route("/api/me/holds", post(holds::place_handler))
        .route(
            "/api/me/holds/{id}",
            axum::routing::patch(holds::change_pickup_handler).delete(holds::cancel_handler),
        )
        .route("/api/me/holds/{id}/suspend", post(holds::suspend_handler))
        .route("/api/me/holds/{id}/resume", post(holds::resume_handler))
        .route("/api/me/loans/renew", post(loans::renew_many_handler))
        .route("/api/me/loans/{id}/renew", post(loans::renew_handler))
        .route(
            "/api/me/lists",
            get(lists::lists_handler).post(lists::create_handler),
        )
        .route(
            "/api/me/lists/{id}",
            axum::routing::patch(lists::update_handler).delete(lists::delete_handler),
        )
        .route(
            "/api/me/lists/{id}/entries/{record_id}",
            axum::routing::put(lists::add_handler).delete(lists::remove_handler),
        )
        .route("/api/lists/{share_token}", get(lists::shared_handler))
        .route("/api/rooms", get(booking::rooms_handler))
        .route("/api/rooms/{id}", get(booking::room_handler))
        .route(
            "/api/rooms/{id}/availability",
            get(booking::availability_handler),
        )
        .route("/api/rooms/{id}/events", get(booking::live::events_handler))
        .route(
            "/api/me/bookings",
            get(booking::me::list_handler).post(booking::me::create_handler),
        )
        .route("/api/me/bookings/{id}", get(booking::me::get_handler))
        .route(
            "/api/me/bookings/{id}/cancel",
            post(booking::me::cancel_handler),
        )
        .route(
            "/api/me/bookings/{id}/checkin",
            post(booking::me::checkin_handler),
        )
        .route(
            "/api/me/bookings/{id}/leave",
            post(booking::me::leave_handler),
        )
        .route(
            "/api/me/bookings/{id}/return",
            post(booking::me::return_handler),
        )
        .route("/api/me/bookings/{id}/end", post(booking::me::end_handler))
        .route(
            "/api/me/bookings/{id}/extend",
            post(booking::me::extend_handler),
        )
        .route(
            "/api/me/bookings/{id}/accept",
            post(booking::me::accept_handler),
        )
        .route(
            "/api/me/bookings/{id}/decline",
            post(booking::me::decline_handler),
        )
        .route(
            "/api/me/checkin",
            post(booking::me::checkin_at_seat_handler),
        )
        .route("/api/me/waitlist", post(booking::me::join_waitlist_handler))
        .route(
            "/api/me/waitlist/{id}",
            axum::routing::delete(booking::me::leave_waitlist_handler),
        )
        .route(
            "/api/staff/seat-codes",
            get(booking::staff::seat_codes_handler),
        )
        .route(
            "/api/staff/seat-codes.css",
            get(booking::staff::seat_codes_css),
        )
        .route("/api/culture/home", get(culture::home_handler))
        .route("/api/culture/programmes", get(culture::programmes_handler))
        .route(
            "/api/culture/programmes/{id}",
            get(culture::programme_handler),
        )
        .route(
            "/api/culture/programmes/{id}/chapters.vtt",
            get(culture::chapters_handler),
        )
        .route(
            "/api/culture/programmes/{id}/views",
            post(culture::patron::view_handler),
        )
        .route(
            "/api/culture/requests",
            get(culture::patron::requests_handler),
        )
        .route(
            "/api/me/culture/progress",
            get(culture::patron::continue_handler),
        )
        .route(
            "/api/me/culture/progress/{id}",
            axum::routing::put(culture::patron::save_progress_handler),
        )
        .route(
            "/api/me/culture/ratings/{id}",
            axum::routing::put(culture::patron::rate_handler)
                .delete(culture::patron::unrate_handler),
        )
        .route(
            "/api/me/culture/requests",
            post(culture::patron::create_request_handler),
        )
        .route(
            "/api/me/culture/requests/{id}/backing",
            axum::routing::put(culture::patron::back_handler)
                .delete(culture::patron::unback_handler),
        )
        .route(
            "/api/me/culture/registrations",
            get(culture::registrations::list_handler).post(culture::registrations::create_handler),
        )
        .route(
            "/api/me/culture/registrations/{id}",
            axum::routing::delete(culture::registrations::cancel_handler),
        )
        .route("/api/culture/events", get(culture::events_handler))
        .route("/api/culture/events/{id}", get(culture::event_handler))
        .route(
            "/api/culture/events/{id}/live/{file}",
            get(culture::serve::live_handler),
        )
        .route(
            "/api/culture/events/{id}/replay/{file}",
            get(culture::serve::replay_handler),
        )
        .route(
            "/api/culture/media/{asset}/master.m3u8",
            get(culture::serve::master_handler),
        )
        .route(
            "/api/culture/media/{asset}/subs/{name}",
            get(culture::serve::subs_handler),
        )
        .route(
            "/api/culture/media/{asset}/{rendition}/{name}",
            get(culture::serve::rendition_file_handler),
        )
        .route(
            "/api/culture/media/{asset}/{name}",
            get(culture::serve::asset_file_handler),
        )
        .route("/api/openapi.json", get(routes::openapi_json))
        .route("/api", any(routes::api_not_found))
        .route("/api/", any(routes::api_not_found))
        .route("/api/{*rest}", any(routes::api_not_found))
        .method_not_allowed_fallback(routes::method_not_allowed)
        .fallback(static_files::serve)
        .layer(axum::middleware::map_response(security_headers))
        // API answers are compressed for clients that accept it (a page of
        // results shrinks about five-fold, which matters on village links).
        // Quality 4 keeps the CPU cost per answer small; the built app's
        // files are precompressed and carry their own Content-Encoding,
        // which this layer leaves alone.
        // Media segments are compressed already, and their ranges must
        // count the bytes as stored: never compressed on the way.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                .compress_when(
                    DefaultPredicate::new()
                        .and(NotForContentType::const_new("video/"))
                        .and(NotForContentType::const_new("audio/")),
                ),
        )
        // Outermost, so that preflights are answered before routing.
        .layer(axum::middleware::from_fn_with_state(state.clone(), cors))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_two_generations_and_forgets_the_oldest() {
        let cache = SearchCache::default();
        let epoch = cache.epoch.load(Ordering::Acquire);
        for i in 0..CACHE_GENERATION {
            cache.put(format!("k{i}"), Bytes::from(vec![1]), epoch);
        }
        // The first generation is full and became the previous one.
        assert!(
            cache.get("k0").is_some(),
            "a hit moves the entry to the current generation"
        );
        for i in 0..CACHE_GENERATION {
            cache.put(format!("n{i}"), Bytes::from(vec![2]), epoch);
        }
        assert!(cache.get("k0").is_some(), "recently used entries survive");
        assert!(
            cache.get("k1").is_none(),
            "entries not used for two generations are gone"
        );
    }

    #[test]
    fn answers_computed_before_a_change_are_not_stored_after_it() {
        let cache = SearchCache::default();
        let epoch = cache.epoch.load(Ordering::Acquire);
        cache.clear();
        cache.put("k".into(), Bytes::from_static(b"stale"), epoch);
        assert!(cache.get("k").is_none());
    }
}
