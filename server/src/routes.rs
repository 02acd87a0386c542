//! The API handlers and the parsing of their parameters.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use yuelan_api::{
    FieldError, Format, Health, LibraryList, MAX_PAGE_SIZE, MAX_QUERY_CHARS, Problem, RecordDetail,
    SearchResponse, SortOrder,
};

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::AppState;
use crate::error::{AppError, Error};
use crate::search::SearchRequest;

/// Highest page number the search accepts.
pub const MAX_PAGE: u32 = 500;

/// Runs blocking work (SQLite, index) off the async threads.
pub(crate) async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, AppError> + Send + 'static,
) -> Result<R, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(Error::Task(e.to_string())))?
}

/// Largest JSON body the API reads.
pub const MAX_JSON_BODY: usize = 64 * 1024;

/// A JSON request body. Unlike axum's `Json`, every failure is a problem
/// document: 400 `bad_request` when the body is not JSON (or not sent as
/// JSON), 422 `validation_failed` naming the field when a value has the
/// wrong type or a required field is missing.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, AppError> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            let essence = ct
                .to_str()
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(AppError::BadRequest(
                    "The body must be JSON (`Content-Type: application/json`).".into(),
                ));
            }
        }
        let bytes = axum::body::to_bytes(req.into_body(), MAX_JSON_BODY)
            .await
            .map_err(|_| {
                AppError::BadRequest(format!(
                    "The body could not be read, or is larger than {MAX_JSON_BODY} bytes."
                ))
            })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Reads a JSON document as a `T` (see [`JsonBody`]).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(&path, e.into_inner())
    })?;
    de.end()
        .map_err(|_| AppError::BadRequest("There is text after the JSON body.".into()))?;
    Ok(value)
}

fn json_error(path: &str, e: serde_json::Error) -> AppError {
    if e.classify() != serde_json::error::Category::Data {
        return AppError::BadRequest(format!("The body is not valid JSON: {e}."));
    }
    let message = e.to_string();
    let prefix = if path == "." { "" } else { path };
    // serde names a missing field in its message only.
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(name) = rest.split('`').next()
    {
        let field = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
        return AppError::field(&field, "required", format!("`{field}` is required."));
    }
    let field = if prefix.is_empty() { "body" } else { prefix };
    AppError::field(field, "invalid", message)
}

/// Decodes one component of a query string (`+` is a space); `None` when
/// the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Splits a raw query string into decoded key/value pairs, keeping repeats.
pub fn query_pairs(raw: &str) -> Result<Vec<(String, String)>, AppError> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match (percent_decode(k), percent_decode(v)) {
                (Some(k), Some(v)) => Ok((k, v)),
                _ => Err(AppError::BadRequest(
                    "The query string is not valid UTF-8 once percent-decoded.".into(),
                )),
            }
        })
        .collect()
}

/// Validates the parameters of a search; unknown parameters are ignored.
pub fn search_request(pairs: &[(String, String)]) -> Result<SearchRequest, AppError> {
    let mut req = SearchRequest::new("");
    let mut errors: Vec<FieldError> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut err = |field: &str, code: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message,
        });
    };
    for (key, value) in pairs {
        let key = key.as_str();
        if matches!(key, "q" | "sort" | "page" | "page_size" | "available") {
            if seen.contains(&key) {
                err(key, "repeated", format!("`{key}` may be given once."));
                continue;
            }
            seen.push(key);
        }
        match key {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    err(
                        "q",
                        "too_long",
                        format!("The query is longer than {MAX_QUERY_CHARS} characters."),
                    );
                } else {
                    req.q = value.clone();
                }
            }
            "format" => match Format::parse(value) {
                Some(f) => req.formats.push(f),
                None => err(
                    "format",
                    "unknown_value",
                    format!("Unknown format {value:?}."),
                ),
            },
            "language" => {
                if (2..=3).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_lowercase()) {
                    req.languages.push(value.clone());
                } else {
                    err(
                        "language",
                        "invalid",
                        "A language is an ISO 639 code such as `zh`.".into(),
                    );
                }
            }
            "branch" => {
                // An id no library has is valid and matches nothing, like a
                // subject no record has.
                if value.is_empty() || value.chars().count() > MAX_QUERY_CHARS {
                    err(
                        "branch",
                        "invalid",
                        "A library id is 1 to 200 characters.".into(),
                    );
                } else {
                    req.branches.push(value.clone());
                }
            }
            "subject" => {
                if value.is_empty() || value.chars().count() > MAX_QUERY_CHARS {
                    err(
                        "subject",
                        "invalid",
                        "A subject is 1 to 200 characters.".into(),
                    );
                } else {
                    req.subjects.push(value.clone());
                }
            }
            "decade" => match value.parse::<u16>() {
                Ok(d) if d % 10 == 0 && d <= 9990 => req.decades.push(d),
                _ => err(
                    "decade",
                    "invalid",
                    "A decade is its first year, a multiple of 10 such as 1990.".into(),
                ),
            },
            "available" => match value.as_str() {
                "true" => req.available = true,
                "false" => req.available = false,
                _ => err(
                    "available",
                    "invalid",
                    "`available` is `true` or `false`.".into(),
                ),
            },
            "sort" => match SortOrder::parse(value) {
                Some(s) => req.sort = s,
                None => err(
                    "sort",
                    "unknown_value",
                    "`sort` is `relevance`, `newest` or `title`.".into(),
                ),
            },
            "page" => match value.parse::<u32>() {
                Ok(p) if (1..=MAX_PAGE).contains(&p) => req.page = p,
                _ => err(
                    "page",
                    "out_of_range",
                    format!("`page` is an integer from 1 to {MAX_PAGE}."),
                ),
            },
            "page_size" => match value.parse::<u32>() {
                Ok(p) if (1..=MAX_PAGE_SIZE).contains(&p) => req.page_size = p,
                _ => err(
                    "page_size",
                    "out_of_range",
                    format!("`page_size` is an integer from 1 to {MAX_PAGE_SIZE}."),
                ),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(req)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Query parameters of `GET /api/search`. The handler reads the raw query
/// string so that filters can repeat; this type only documents them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Free text, at most 200 characters: words (the last one also matches as
    /// a prefix), Chinese characters, full pinyin (`hongloumeng`, or a prefix
    /// of three letters or more), pinyin initials (`hlm`), or an ISBN-10/13.
    /// `author:` (or `au:`) before a term restricts it to authors. All terms
    /// must match. Empty: every record.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Keep these formats (repeatable; values are ORed).
    #[param(inline)]
    format: Option<Vec<FormatParam>>,
    /// Keep these languages, ISO 639-1 codes such as `zh` (repeatable).
    #[param(pattern = "^[a-z]{2,3}$")]
    language: Option<Vec<String>>,
    /// Keep records held by these libraries, by id (repeatable). With
    /// `available=true`: on the shelf at one of them. An unknown id matches
    /// nothing.
    #[param(inline)]
    branch: Option<Vec<TextParam>>,
    /// Keep records with one of these subjects, as catalogued (repeatable).
    #[param(inline)]
    subject: Option<Vec<TextParam>>,
    /// Keep records published in these decades, given by their first year,
    /// a multiple of 10 (repeatable).
    #[param(inline)]
    decade: Option<Vec<DecadeParam>>,
    /// `true`: keep records with a copy on the shelf (at the chosen branches,
    /// if any). `false` is the same as leaving it out.
    available: Option<bool>,
    /// Order of the results. Default `relevance`; with an empty query,
    /// relevance is newest first, then title.
    #[param(inline)]
    sort: Option<SortOrder>,
    /// 1-based page number, 1 to 500.
    #[param(minimum = 1, maximum = 500)]
    page: Option<u32>,
    /// Results per page, 1 to 50; default 20.
    #[param(minimum = 1, maximum = 50)]
    page_size: Option<u32>,
}

/// A text filter value: 1 to 200 characters.
pub struct TextParam;

impl utoipa::PartialSchema for TextParam {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_QUERY_CHARS))
            .into()
    }
}

impl utoipa::ToSchema for TextParam {}

/// A decade filter value: its first year, a multiple of 10.
pub struct DecadeParam;

impl utoipa::PartialSchema for DecadeParam {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(9990))
            .multiple_of(Some(10))
            .into()
    }
}

impl utoipa::ToSchema for DecadeParam {}

/// A format filter value.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum FormatParam {
    Book,
    Audiobook,
    Dvd,
    Magazine,
}

/// Whether the server and its database answer.
#[utoipa::path(
    get, path = "/api/health", tag = "meta",
    responses((status = 200, description = "The server is up.", body = Health))
)]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let records = state.index().len() as u64;
    let db_state = state.clone();
    blocking(move || {
        db_state
            .db()
            .with_conn(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))?;
        Ok(())
    })
    .await?;
    Ok(Json(Health {
        status: "ok".into(),
        records,
    }))
}

/// Every library of the network, county library first.
#[utoipa::path(
    get, path = "/api/libraries", tag = "catalog",
    responses((status = 200, description = "The libraries, in network order.", body = LibraryList))
)]
pub async fn libraries(State(state): State<AppState>) -> Result<Json<LibraryList>, AppError> {
    let libraries =
        blocking(move || Ok(state.db().with_conn(|c| crate::db::libraries(c))?)).await?;
    Ok(Json(LibraryList { libraries }))
}

/// Searches the catalog, with facets and per-library availability.
///
/// Filters of one field are ORed, fields are ANDed; each facet's counts
/// apply every other field's filters. Unknown parameters are ignored.
#[utoipa::path(
    get, path = "/api/search", tag = "catalog",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of results.", body = SearchResponse),
        (status = 400, description = "The query string cannot be decoded.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is invalid (`validation_failed`; `errors` names it).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let pairs = query_pairs(raw.as_deref().unwrap_or(""))?;
    let req = search_request(&pairs)?;
    let body = state.search_json(req).await?;
    let mut res = Body::from(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(res)
}

/// A record with every copy, libraries in network order.
#[utoipa::path(
    get, path = "/api/records/{id}", tag = "catalog",
    params(("id" = i64, Path, description = "The record id.")),
    responses(
        (status = 200, description = "The record.", body = RecordDetail),
        (status = 400, description = "The path cannot be decoded.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The id is not an integer (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<RecordDetail>, AppError> {
    let Path(raw) = path.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let id: i64 = raw
        .parse()
        .map_err(|_| AppError::field("id", "invalid", "The record id is an integer."))?;
    let detail =
        blocking(move || Ok(state.db().with_conn(|c| crate::db::record_detail(c, id))?)).await?;
    detail
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("There is no record {id}.")))
}

/// This document.
#[utoipa::path(
    get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", content_type = "application/json", body = Object))
)]
pub async fn openapi_json(State(state): State<AppState>) -> Response {
    let mut res = Body::from(state.openapi_json()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// Any other path under `/api`.
pub async fn api_not_found(uri: Uri) -> AppError {
    AppError::NotFound(format!("There is no API resource at {}.", uri.path()))
}

/// A method a route does not take.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query_strings_with_repeats() {
        let pairs = query_pairs("q=%E7%BA%A2%E6%A5%BC+%E6%A2%A6&format=book&format=dvd&x").unwrap();
        assert_eq!(pairs[0], ("q".to_owned(), "红楼 梦".to_owned()));
        assert_eq!(pairs[1].1, "book");
        assert_eq!(pairs[2].1, "dvd");
        assert_eq!(pairs[3], ("x".to_owned(), String::new()));
        assert!(query_pairs("q=%FF").is_err());
        assert_eq!(query_pairs("q=100%").unwrap()[0].1, "100%");
        assert_eq!(query_pairs("q=%4").unwrap()[0].1, "%4");
    }

    #[test]
    fn json_bodies_name_the_field_that_is_wrong() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            day: String,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            id: i64,
            items: Vec<Inner>,
        }
        let field = |text: &str| match parse_json::<Body>(text.as_bytes()) {
            Err(AppError::Validation(e)) => (e[0].field.clone(), e[0].code.clone()),
            other => panic!("{text}: {other:?}"),
        };
        assert!(parse_json::<Body>(br#"{"id": 1, "items": []}"#).is_ok());
        assert_eq!(
            field(r#"{"id": "1", "items": []}"#),
            ("id".into(), "invalid".into())
        );
        assert_eq!(field(r#"{"items": []}"#), ("id".into(), "required".into()));
        assert_eq!(
            field(r#"{"id": 1, "items": [{"day": "x"}, {"day": 2}]}"#),
            ("items[1].day".into(), "invalid".into())
        );
        assert_eq!(
            field(r#"{"id": 1, "items": [{}]}"#),
            ("items[0].day".into(), "required".into())
        );
        assert_eq!(field("5"), ("body".into(), "invalid".into()));
        for bad in ["", "{", "{\"id\": 1, \"items\": []} tail", "nope"] {
            assert!(
                matches!(
                    parse_json::<Body>(bad.as_bytes()),
                    Err(AppError::BadRequest(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn validates_fields() {
        let pairs = |s: &str| query_pairs(s).unwrap();
        let r = search_request(&pairs(
            "q=x&format=book&format=dvd&decade=1990&page=2&sort=title&zzz=1",
        ))
        .unwrap();
        assert_eq!(r.formats, [Format::Book, Format::Dvd]);
        assert_eq!(r.decades, [1990]);
        assert_eq!(r.page, 2);
        assert_eq!(r.sort, SortOrder::Title);
        for (q, field) in [
            ("page_size=0", "page_size"),
            ("page_size=51", "page_size"),
            ("page=0", "page"),
            ("page=501", "page"),
            ("sort=bogus", "sort"),
            ("format=vinyl", "format"),
            ("decade=1995", "decade"),
            ("available=yes", "available"),
            ("branch=", "branch"),
            ("subject=", "subject"),
            ("language=ZH", "language"),
            ("q=a&q=b", "q"),
        ] {
            match search_request(&pairs(q)) {
                Err(AppError::Validation(errors)) => assert_eq!(errors[0].field, field, "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }
}
