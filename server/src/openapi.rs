//! The OpenAPI 3.1 document, generated from the wire types and the routes.
//! `api/openapi.json` is this document; a test fails when they drift.

use utoipa::OpenApi;
use yuelan_api::{
    BranchAvailability, ErrorCode, Facet, FacetField, FacetValue, FieldError, Format, Health,
    Holding, ItemStatus, Library, LibraryKind, LibraryList, LocalizedText, OpeningHours, Problem,
    RecordDetail, SearchHit, SearchResponse, SortOrder,
};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Yuelan catalog API",
        description = "The REST contract between Yuelan (阅览), the patron app of a county public-library network, \
                       and a library's backend. Errors are RFC 9457 `application/problem+json` documents with a \
                       stable `code`.",
        license(name = "MIT", identifier = "MIT")
    ),
    paths(
        routes::health,
        routes::libraries,
        routes::search,
        routes::record,
        routes::openapi_json,
    ),
    components(schemas(
        BranchAvailability, ErrorCode, Facet, FacetField, FacetValue, FieldError, Format, Health, Holding,
        ItemStatus, Library, LibraryKind, LibraryList, LocalizedText, OpeningHours, Problem, RecordDetail,
        SearchHit, SearchResponse, SortOrder,
    )),
    tags(
        (name = "catalog", description = "Libraries, catalog search and records."),
        (name = "meta", description = "Health and this document."),
    )
)]
struct ApiDoc;

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as pretty JSON with a trailing newline, as committed in
/// `api/openapi.json`.
pub fn json_pretty() -> String {
    // A document of plain maps and strings always serialises.
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}
