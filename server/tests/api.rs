//! The API outside search semantics: validation, problems, records,
//! libraries, headers and the OpenAPI document.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use yuelan_api::{
    ErrorCode, Health, ItemStatus, LibraryKind, LibraryList, Problem, RecordDetail, SearchResponse,
};
use yuelan_server::{AppState, Db, app, openapi, seed};

/// Asserts a problem+json answer and returns the problem.
fn problem(reply: &Reply, status: u16) -> Problem {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let p: Problem = reply.json();
    assert_eq!(p.status, status);
    p
}

#[tokio::test]
async fn invalid_search_parameters_are_named() {
    let app = seeded_app();
    let long_q = format!("q={}", "字".repeat(201));
    let cases = [
        ("page_size=0", "page_size"),
        ("page_size=51", "page_size"),
        ("page_size=ten", "page_size"),
        ("page=0", "page"),
        ("page=501", "page"),
        ("page=-1", "page"),
        ("sort=bogus", "sort"),
        ("format=vinyl", "format"),
        ("format=", "format"),
        ("decade=1995", "decade"),
        ("decade=abc", "decade"),
        ("available=yes", "available"),
        ("language=Chinese", "language"),
        ("q=a&q=b", "q"),
        (long_q.as_str(), "q"),
    ];
    for (qs, field) in cases {
        let reply = get(&app, &format!("/api/search?{qs}")).await;
        let p = problem(&reply, 422);
        assert_eq!(p.code, ErrorCode::ValidationFailed, "{qs}");
        assert!(
            p.errors.iter().any(|e| e.field == field),
            "{qs}: {:?}",
            p.errors
        );
    }
    // Several invalid fields are all named.
    let p = problem(
        &get(&app, "/api/search?page=0&page_size=0&sort=x").await,
        422,
    );
    assert_eq!(p.errors.len(), 3);
    // 200 characters are fine; unknown parameters are ignored.
    let ok = get(
        &app,
        &format!("/api/search?q={}&utm_source=x", "字".repeat(200)),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn valid_edges_are_accepted() {
    let app = seeded_app();
    for qs in [
        "page=500",
        "page_size=1",
        "page_size=50",
        "decade=0",
        "decade=1990&decade=2000",
        "available=false",
        "branch=nowhere",
        "language=xx",
        "subject=%E4%B8%8D%E5%AD%98%E5%9C%A8",
    ] {
        let reply = get(&app, &format!("/api/search?{qs}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{qs}");
    }
    // Unknown values that are well-formed match nothing.
    let res: SearchResponse = get(&app, "/api/search?branch=nowhere").await.json();
    assert_eq!(res.total, 0);
}

#[tokio::test]
async fn records_have_holdings_in_network_order() {
    let app = seeded_app();
    let res = search(&app, "9787506365437").await;
    let id = res.hits[0].id;
    let reply = get(&app, &format!("/api/records/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/json");
    let r: RecordDetail = reply.json();
    assert_eq!(r.title, "活着");
    assert_eq!(r.isbn.as_deref(), Some("9787506365437"));
    let libraries: LibraryList = get(&app, "/api/libraries").await.json();
    let order: Vec<&str> = libraries.libraries.iter().map(|l| l.id.as_str()).collect();
    let positions: Vec<usize> = r
        .holdings
        .iter()
        .map(|h| order.iter().position(|&o| o == h.library_id).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
    assert_eq!(r.holdings[0].library_id, "county");
    let mut libs: Vec<&str> = r.holdings.iter().map(|h| h.library_id.as_str()).collect();
    libs.dedup();
    assert!(libs.len() >= 3);
    assert!(r.holdings.iter().any(|h| h.status == ItemStatus::OnShelf));
    for h in &r.holdings {
        assert!(!h.library_name.zh.is_empty());
        assert!(h.call_number.starts_with("I247.57/Y"), "{}", h.call_number);
        assert!(
            h.barcode.starts_with('Y') && h.barcode.len() == 8,
            "{}",
            h.barcode
        );
        assert!(!h.shelf_location.zh.is_empty() && !h.shelf_location.en.is_empty());
        assert_eq!(h.status == ItemStatus::OnLoan, h.due_date.is_some());
        if let Some(d) = &h.due_date {
            assert_eq!(d.len(), 10);
            assert_eq!(&d[4..5], "-");
        }
    }
}

#[tokio::test]
async fn copies_are_spread_realistically() {
    let app = seeded_app();
    let records = all_records(&app).await;
    let items: Vec<_> = records.iter().flat_map(|r| &r.holdings).collect();
    let share =
        |s: ItemStatus| items.iter().filter(|h| h.status == s).count() as f64 / items.len() as f64;
    assert!(
        (0.5..0.7).contains(&share(ItemStatus::OnShelf)),
        "{}",
        share(ItemStatus::OnShelf)
    );
    assert!((0.22..0.38).contains(&share(ItemStatus::OnLoan)));
    assert!(records.iter().all(|r| (1..=8).contains(&r.holdings.len())));
    let county = records
        .iter()
        .filter(|r| r.holdings.iter().any(|h| h.library_id == "county"))
        .count();
    assert!(
        county * 10 > records.len() * 8,
        "the county library holds most titles"
    );
}

#[tokio::test]
async fn missing_and_malformed_records_are_problems() {
    let app = seeded_app();
    let p = problem(&get(&app, "/api/records/999999").await, 404);
    assert_eq!(p.code, ErrorCode::NotFound);
    let p = problem(&get(&app, "/api/records/abc").await, 422);
    assert_eq!(p.code, ErrorCode::ValidationFailed);
    assert_eq!(p.errors[0].field, "id");
    problem(
        &get(&app, "/api/records/99999999999999999999999").await,
        422,
    );
    problem(&get(&app, "/api/records/%FF").await, 400);
    problem(&get(&app, "/api/records/").await, 404);
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems() {
    let app = seeded_app();
    for uri in [
        "/api/nope",
        "/api",
        "/api/",
        "/api/records/1/extra",
        "/elsewhere",
        "/",
    ] {
        let p = problem(&get(&app, uri).await, 404);
        assert_eq!(p.code, ErrorCode::NotFound, "{uri}");
    }
    let post = Request::post("/api/search").body(Body::empty()).unwrap();
    let p = problem(&send(&app, post).await, 405);
    assert_eq!(p.code, ErrorCode::MethodNotAllowed);
    let delete = Request::delete("/api/records/1")
        .body(Body::empty())
        .unwrap();
    problem(&send(&app, delete).await, 405);
}

#[tokio::test]
async fn libraries_and_health() {
    let app = seeded_app();
    let list: LibraryList = get(&app, "/api/libraries").await.json();
    assert!(list.libraries.len() >= 10);
    assert_eq!(list.libraries[0].kind, LibraryKind::County);
    assert!(
        list.libraries
            .iter()
            .any(|l| l.kind == LibraryKind::Village)
    );
    assert!(list.libraries.iter().skip(1).all(|l| l.parent_id.is_some()));
    let health: Health = get(&app, "/api/health").await.json();
    assert_eq!(health.status, "ok");
    assert!(health.records >= 300);
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = seeded_app();
    for uri in [
        "/api/health",
        "/api/search?q=x",
        "/api/nope",
        "/api/records/abc",
        "/x",
    ] {
        let reply = get(&app, uri).await;
        let csp = reply.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{uri}"
        );
        assert!(
            csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"),
            "{uri}"
        );
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(
            reply.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn availability_changes_reach_the_index() {
    let db = Db::open_in_memory().unwrap();
    seed::seed_if_empty(&db).unwrap();
    let state = AppState::new(db, None).unwrap();
    let app = app(state.clone());
    let available = |res: &SearchResponse| res.total;
    let before = available(&search_raw(&app, "q=9787506365437&available=true").await);
    assert_eq!(before, 1);
    let id = search(&app, "9787506365437").await.hits[0].id;
    state
        .db()
        .with_conn(|c| {
            c.execute(
                "UPDATE items SET status = 'in_transit', due_date = NULL WHERE record_id = ?1",
                [id],
            )?;
            Ok(())
        })
        .unwrap();
    assert!(state.refresh_availability(id).unwrap());
    let after = search_raw(&app, "q=9787506365437&available=true").await;
    assert_eq!(
        after.total, 0,
        "the cache was cleared and the index updated"
    );
    let hit = &search(&app, "9787506365437").await.hits[0];
    assert!(hit.availability.iter().all(|a| a.available == 0));
}

#[tokio::test]
async fn openapi_document_matches_the_committed_one() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api/openapi.json"))
            .unwrap_or_default();
    assert!(
        committed == openapi::json_pretty(),
        "api/openapi.json is out of date; regenerate it with: \
         cargo run -p yuelan-server -- openapi > api/openapi.json"
    );
    let app = seeded_app();
    let reply = get(&app, "/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc: serde_json::Value = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/health",
        "/api/libraries",
        "/api/search",
        "/api/records/{id}",
        "/api/openapi.json",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
}

#[tokio::test]
async fn api_answers_are_compressed_when_accepted() {
    use std::io::Read;

    let app = seeded_app();
    let uri = format!("/api/search?q={}&page_size=50", enc("文学"));
    let plain = get(&app, &uri).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(
        plain.header("content-encoding"),
        "",
        "identity without Accept-Encoding"
    );
    let expected: SearchResponse = plain.json();
    assert!(expected.hits.len() > 20, "a big enough answer to compress");

    for accept in ["gzip", "br", "gzip, deflate, br"] {
        let req = Request::get(&uri)
            .header("accept-encoding", accept)
            .body(Body::empty())
            .unwrap();
        let reply = send(&app, req).await;
        assert_eq!(reply.status, StatusCode::OK);
        let encoding = reply.header("content-encoding").to_owned();
        assert!(
            accept.contains(encoding.as_str()) && !encoding.is_empty(),
            "{accept} gave {encoding:?}"
        );
        assert!(
            reply
                .header("vary")
                .to_lowercase()
                .contains("accept-encoding")
        );
        assert!(
            reply.body.len() * 3 < plain.body.len(),
            "{encoding}: {} bytes of {}",
            reply.body.len(),
            plain.body.len()
        );
        let mut body = Vec::new();
        if encoding == "gzip" {
            flate2::read::GzDecoder::new(&reply.body[..])
                .read_to_end(&mut body)
                .unwrap();
        } else {
            brotli::Decompressor::new(&reply.body[..], 4096)
                .read_to_end(&mut body)
                .unwrap();
        }
        let got: SearchResponse = serde_json::from_slice(&body).unwrap();
        assert_eq!(got, expected, "{encoding} decodes to the same answer");
    }
}
