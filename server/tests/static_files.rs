//! Serving the built app: precompressed files, cache headers, History-API
//! fallback and security headers.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use yuelan_server::{AppState, Db, app, seed};

const WASM: &str = "yuelan-2f1c0e0a9b8c7d6e_bg.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn static_app() -> (axum::Router, TempDir) {
    let dir = TempDir::new("static");
    let write = |name: &str, body: &[u8]| std::fs::write(dir.0.join(name), body).unwrap();
    write("index.html", b"<!doctype html><title>Yuelan</title>");
    write("config.json", br#"{"api":"/api"}"#);
    write(WASM, b"\0asm\x01\0\0\0plain");
    write(&format!("{WASM}.br"), b"BROTLI-BYTES");
    write(&format!("{WASM}.gz"), b"GZIP-BYTES");
    write("main-0123456789abcdef.css", b"body{}");
    write("favicon.ico", b"ico");
    let db = Db::open_in_memory().unwrap();
    seed::seed_if_empty(&db).unwrap();
    (app(AppState::new(db, Some(dir.0.clone())).unwrap()), dir)
}

async fn get_with(app: &axum::Router, uri: &str, accept_encoding: &str) -> Reply {
    let req = Request::get(uri)
        .header("accept-encoding", accept_encoding)
        .body(Body::empty())
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn precompressed_brotli_is_served_when_accepted() {
    let (app, _dir) = static_app();
    let reply = get_with(&app, &format!("/{WASM}"), "gzip, deflate, br").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), "br");
    assert_eq!(reply.body, b"BROTLI-BYTES");
    assert_eq!(reply.header("content-type"), "application/wasm");
    assert_eq!(reply.header("cache-control"), IMMUTABLE);
    assert!(
        reply
            .header("vary")
            .to_lowercase()
            .contains("accept-encoding")
    );

    let reply = get_with(&app, &format!("/{WASM}"), "gzip").await;
    assert_eq!(reply.header("content-encoding"), "gzip");
    assert_eq!(reply.body, b"GZIP-BYTES");

    let reply = get(&app, &format!("/{WASM}")).await;
    assert_eq!(reply.header("content-encoding"), "");
    assert_eq!(reply.body, b"\0asm\x01\0\0\0plain");
}

#[tokio::test]
async fn cache_headers_follow_the_file_kind() {
    let (app, _dir) = static_app();
    for (uri, cache) in [
        ("/", "no-cache"),
        ("/index.html", "no-cache"),
        ("/config.json", "no-cache"),
        ("/main-0123456789abcdef.css", IMMUTABLE),
        ("/favicon.ico", "public, max-age=3600"),
    ] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(reply.header("cache-control"), cache, "{uri}");
    }
    assert_eq!(
        get(&app, "/main-0123456789abcdef.css")
            .await
            .header("content-type"),
        "text/css"
    );
}

#[tokio::test]
async fn app_routes_fall_back_to_index_html() {
    let (app, _dir) = static_app();
    for uri in ["/search?q=x", "/records/52", "/account/loans"] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert!(reply.body.starts_with(b"<!doctype html>"), "{uri}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{uri}");
        assert!(
            reply.header("content-type").starts_with("text/html"),
            "{uri}"
        );
    }
    // Missing assets are not papered over with the app shell.
    let reply = get(&app, "/missing-0123456789abcdef.js").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    // The API keeps its own 404s.
    let reply = get(&app, "/api/nope").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let post = Request::post("/search").body(Body::empty()).unwrap();
    assert_eq!(
        send(&app, post).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn static_responses_carry_the_csp() {
    let (app, _dir) = static_app();
    for uri in ["/", "/search", &format!("/{WASM}")] {
        let reply = get(&app, uri).await;
        let csp = reply.header("content-security-policy");
        assert!(
            csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"),
            "{uri}"
        );
        assert!(csp.contains("frame-ancestors 'self'"), "{uri}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
    }
}
