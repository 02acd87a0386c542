//! Sign-in, sessions, lockout, CSRF, CORS and the PIN hashes, through
//! `oneshot` with a manual clock.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::json;
use yuelan_api::ErrorCode;
use yuelan_api::account::{Account, SessionInfo};
use yuelan_server::{AppState, Db, ManualClock, Settings, app, seed};

fn sign_in_body(card: &str, pin: &str) -> Option<serde_json::Value> {
    Some(json!({"card_number": card, "pin": pin}))
}

async fn try_sign_in(t: &TestApp, card: &str, pin: &str) -> Reply {
    call(
        &t.app,
        "POST",
        "/api/session",
        sign_in_body(card, pin),
        &Auth::None,
    )
    .await
}

fn session_count(t: &TestApp) -> i64 {
    t.state
        .db()
        .with_conn(|c| Ok(c.query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test]
async fn cookie_sign_in_sets_an_http_only_cookie_and_answers_no_token() {
    let t = TestApp::new();
    let reply = try_sign_in(&t, CHEN.0, CHEN.1).await;
    assert_eq!(reply.status, StatusCode::OK);
    let raw: serde_json::Value = reply.json();
    assert!(raw.get("token").is_none(), "{raw}");
    let info: SessionInfo = reply.json();
    assert_eq!(info.patron.name, "陈晓明");
    assert_eq!(info.patron.home_library_id, "county");
    assert_eq!(info.expires_at, "2026-11-30T10:30:00+08:00");
    assert_eq!(reply.header("cache-control"), "no-store");
    let cookie = reply.header("set-cookie").to_owned();
    let token = cookie
        .strip_prefix("yuelan_session=")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 43, "{cookie}");
    assert_eq!(
        cookie,
        format!("yuelan_session={token}; HttpOnly; SameSite=Lax; Path=/api; Max-Age=43200")
    );
    let me = call(&t.app, "GET", "/api/me", None, &Auth::Cookie(token.clone())).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json::<Account>().patron.card_number, CHEN.0);

    // Behind a TLS proxy the cookie is Secure.
    let req = Request::post("/api/session")
        .header("x-requested-with", "yuelan")
        .header("content-type", "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(sign_in_body(LI.0, LI.1).unwrap().to_string()))
        .unwrap();
    let reply = send(&t.app, req).await;
    assert!(
        reply.header("set-cookie").ends_with("; Secure"),
        "{}",
        reply.header("set-cookie")
    );

    // And always with --secure-cookies.
    let secure = TestApp::with_settings(true, &[]);
    let reply = try_sign_in(&secure, EMILY.0, EMILY.1).await;
    assert!(
        reply
            .header("set-cookie")
            .ends_with("Max-Age=43200; Secure")
    );
}

#[tokio::test]
async fn bearer_sign_in_answers_a_token_that_works_and_sets_no_cookie() {
    let t = TestApp::new();
    let reply = call(
        &t.app,
        "POST",
        "/api/session",
        Some(json!({"card_number": "4413 2200 0000 03", "pin": EMILY.1, "mode": "bearer"})),
        &Auth::None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "card numbers may have spaces");
    assert_eq!(reply.header("set-cookie"), "");
    let info: SessionInfo = reply.json();
    let token = info.token.unwrap();
    assert_eq!(info.patron.preferred_locale, "en");
    let auth = Auth::Bearer(token.clone());
    let session = call(&t.app, "GET", "/api/session", None, &auth).await;
    assert_eq!(session.status, StatusCode::OK);
    let raw: serde_json::Value = session.json();
    assert!(raw.get("token").is_none(), "the token is never read back");
    assert!(!String::from_utf8_lossy(&session.body).contains(&token));
    assert_eq!(session.json::<SessionInfo>().patron.name, "Emily Zhang");
    // A token is stored only as its hash.
    let stored: Vec<u8> = t
        .state
        .db()
        .with_conn(|c| Ok(c.query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert_ne!(stored, token.as_bytes());
}

#[tokio::test]
async fn wrong_pins_count_down_then_lock_the_card_from_the_fifth_failure() {
    let t = TestApp::new();
    for left in [4, 3, 2, 1] {
        let reply = try_sign_in(&t, CHEN.0, "000000").await;
        let p = expect_problem(&reply, 401, ErrorCode::InvalidCredentials);
        assert_eq!(p.tries_left, Some(left));
        assert_eq!(reply.header("www-authenticate"), "Bearer");
        t.clock.advance_minutes(1);
    }
    // The fifth failure, four minutes after the first, locks the card for
    // 15 minutes from now.
    let reply = try_sign_in(&t, CHEN.0, "000000").await;
    let p = expect_problem(&reply, 429, ErrorCode::CardLocked);
    assert_eq!(p.locked_until.as_deref(), Some("2026-11-30T10:19:00+08:00"));
    assert_eq!(p.tries_left, None);
    assert_eq!(reply.header("retry-after"), "900");
    // Even the right PIN is refused while locked.
    t.clock.advance_minutes(14);
    let reply = try_sign_in(&t, CHEN.0, CHEN.1).await;
    let p = expect_problem(&reply, 429, ErrorCode::CardLocked);
    assert_eq!(p.locked_until.as_deref(), Some("2026-11-30T10:19:00+08:00"));
    assert_eq!(reply.header("retry-after"), "60");
    assert_eq!(session_count(&t), 0);
    // The lock ends 15 minutes after the fifth failure, and the count
    // starts afresh.
    t.clock.advance_minutes(1);
    let reply = try_sign_in(&t, CHEN.0, "000000").await;
    assert_eq!(
        expect_problem(&reply, 401, ErrorCode::InvalidCredentials).tries_left,
        Some(4)
    );
    let reply = try_sign_in(&t, CHEN.0, CHEN.1).await;
    assert_eq!(reply.status, StatusCode::OK);
    // Other cards were never locked.
    assert_eq!(try_sign_in(&t, LI.0, LI.1).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_cards_get_exactly_the_answers_of_wrong_pins() {
    let t = TestApp::new();
    for _ in 0..6 {
        let known = try_sign_in(&t, CHEN.0, "999999").await;
        let unknown = try_sign_in(&t, "44132299999999", "999999").await;
        assert_eq!(known.status, unknown.status);
        assert_eq!(known.body, unknown.body, "byte for byte");
        for h in [
            "content-type",
            "www-authenticate",
            "retry-after",
            "set-cookie",
        ] {
            assert_eq!(known.header(h), unknown.header(h), "{h}");
        }
    }
    let last = try_sign_in(&t, "44132299999999", "999999").await;
    expect_problem(&last, 429, ErrorCode::CardLocked);
}

#[tokio::test]
async fn a_success_clears_the_failures_and_old_failures_expire() {
    let t = TestApp::new();
    for _ in 0..3 {
        try_sign_in(&t, LI.0, "111111").await;
    }
    assert_eq!(try_sign_in(&t, LI.0, LI.1).await.status, StatusCode::OK);
    let reply = try_sign_in(&t, LI.0, "111111").await;
    assert_eq!(
        expect_problem(&reply, 401, ErrorCode::InvalidCredentials).tries_left,
        Some(4)
    );
    // Failures older than the 15-minute window do not count.
    for _ in 0..3 {
        try_sign_in(&t, LI.0, "111111").await;
    }
    t.clock.advance_minutes(15);
    let reply = try_sign_in(&t, LI.0, "111111").await;
    assert_eq!(
        expect_problem(&reply, 401, ErrorCode::InvalidCredentials).tries_left,
        Some(4)
    );
}

#[tokio::test]
async fn malformed_sign_ins_are_422_and_do_not_count() {
    let t = TestApp::new();
    let cases = [
        (
            json!({"card_number": "1234567", "pin": "246810"}),
            "card_number",
            "format",
        ),
        (
            json!({"card_number": "4413220000000x", "pin": "246810"}),
            "card_number",
            "format",
        ),
        (
            json!({"card_number": "441322000000011234567", "pin": "246810"}),
            "card_number",
            "format",
        ),
        (json!({"card_number": CHEN.0, "pin": ""}), "pin", "required"),
        (
            json!({"card_number": CHEN.0, "pin": "123"}),
            "pin",
            "format",
        ),
        (
            json!({"card_number": CHEN.0, "pin": "12345a"}),
            "pin",
            "format",
        ),
        (
            json!({"card_number": CHEN.0, "pin": "1234567890123"}),
            "pin",
            "format",
        ),
        (
            json!({"card_number": CHEN.0, "pin": CHEN.1, "mode": "telepathy"}),
            "mode",
            "unknown_value",
        ),
        (json!({"card_number": CHEN.0}), "pin", "required"),
        (
            json!({"card_number": 44132200000001u64, "pin": CHEN.1}),
            "card_number",
            "invalid",
        ),
    ];
    for (body, field, code) in cases {
        let reply = call(
            &t.app,
            "POST",
            "/api/session",
            Some(body.clone()),
            &Auth::None,
        )
        .await;
        let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
        assert_eq!(p.errors.len(), 1, "{body}");
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            (field, code),
            "{body}"
        );
    }
    // Both fields wrong: both named.
    let reply = call(
        &t.app,
        "POST",
        "/api/session",
        Some(json!({"card_number": "12", "pin": ""})),
        &Auth::None,
    )
    .await;
    assert_eq!(
        expect_problem(&reply, 422, ErrorCode::ValidationFailed)
            .errors
            .len(),
        2
    );
    // None of them counted as a failure.
    let reply = try_sign_in(&t, CHEN.0, "000000").await;
    assert_eq!(
        expect_problem(&reply, 401, ErrorCode::InvalidCredentials).tries_left,
        Some(4)
    );
}

#[tokio::test]
async fn bodies_that_are_not_json_are_problems() {
    let t = TestApp::new();
    let raw = |body: &'static str, content_type: &'static str| {
        Request::post("/api/session")
            .header("x-requested-with", "yuelan")
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap()
    };
    for (body, ct) in [
        ("{\"card_number\": ", "application/json"),
        ("card_number=1&pin=2", "application/json"),
        ("", "application/json"),
        (
            "{\"card_number\":\"44132200000001\",\"pin\":\"246810\"} x",
            "application/json",
        ),
        (
            "{\"card_number\":\"44132200000001\",\"pin\":\"246810\"}",
            "text/plain",
        ),
    ] {
        let reply = send(&t.app, raw(body, ct)).await;
        expect_problem(&reply, 400, ErrorCode::BadRequest);
    }
    // A charset parameter is fine.
    let reply = send(
        &t.app,
        raw(
            "{\"card_number\":\"44132200000001\",\"pin\":\"246810\"}",
            "application/json; charset=utf-8",
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn state_changing_requests_without_the_csrf_header_are_refused_first() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let before: Account = call(&t.app, "GET", "/api/me", None, &chen).await.json();
    let hold_id = before.holds[2].id;
    let loan = &before.loans[1];
    let cases: Vec<(&str, String, Option<serde_json::Value>)> = vec![
        ("POST", "/api/session".into(), sign_in_body(LI.0, LI.1)),
        ("DELETE", "/api/session".into(), None),
        (
            "POST",
            "/api/me/holds".into(),
            Some(json!({"record_id": 52, "pickup_library_id": "vc-tiechang"})),
        ),
        (
            "PATCH",
            format!("/api/me/holds/{hold_id}"),
            Some(json!({"pickup_library_id": "br-shiwan"})),
        ),
        (
            "POST",
            format!("/api/me/holds/{hold_id}/suspend"),
            Some(json!({"until": t.date(5)})),
        ),
        ("POST", format!("/api/me/holds/{hold_id}/resume"), None),
        ("DELETE", format!("/api/me/holds/{hold_id}"), None),
        (
            "POST",
            format!("/api/me/loans/{}/renew", loan.id),
            Some(json!({"due_date": loan.due_date})),
        ),
        (
            "POST",
            "/api/me/loans/renew".into(),
            Some(json!({"loans": [{"id": loan.id, "due_date": loan.due_date}]})),
        ),
        ("POST", "/api/me/lists".into(), Some(json!({"name": "x"}))),
        (
            "PATCH",
            "/api/me/lists/1".into(),
            Some(json!({"name": "y"})),
        ),
        ("DELETE", "/api/me/lists/1".into(), None),
        ("PUT", "/api/me/lists/1/entries/52".into(), None),
        ("DELETE", "/api/me/lists/1/entries/52".into(), None),
    ];
    for (method, uri, body) in &cases {
        for auth in [&chen, &Auth::None] {
            let reply = send(&t.app, request(method, uri, body.clone(), auth, false)).await;
            expect_problem(&reply, 403, ErrorCode::CsrfCheckFailed);
        }
        // A header with another value is no better.
        let mut req = request(method, uri, body.clone(), &chen, false);
        req.headers_mut()
            .insert("x-requested-with", "XMLHttpRequest".parse().unwrap());
        expect_problem(&send(&t.app, req).await, 403, ErrorCode::CsrfCheckFailed);
    }
    // Nothing changed: the one session, the same account.
    assert_eq!(session_count(&t), 1);
    let after: Account = call(&t.app, "GET", "/api/me", None, &chen).await.json();
    assert_eq!(after, before);
    let lists: serde_json::Value = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    assert_eq!(lists["lists"].as_array().unwrap().len(), 2);
    assert_eq!(lists["lists"][0]["name"], "想读");
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_and_each_request_moves_that_on() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    t.clock.advance_minutes(29);
    assert_eq!(
        call(&t.app, "GET", "/api/me", None, &chen).await.status,
        StatusCode::OK
    );
    t.clock.advance_minutes(29);
    let session = call(&t.app, "GET", "/api/session", None, &chen).await;
    assert_eq!(
        session.status,
        StatusCode::OK,
        "58 minutes after sign-in, 29 idle"
    );
    assert_eq!(
        session.json::<SessionInfo>().expires_at,
        "2026-11-30T11:28:00+08:00"
    );
    t.clock.advance_minutes(30);
    let reply = call(&t.app, "GET", "/api/me", None, &chen).await;
    expect_problem(&reply, 401, ErrorCode::SessionExpired);
    assert_eq!(
        reply.header("www-authenticate"),
        "Bearer error=\"invalid_token\""
    );
    assert_eq!(session_count(&t), 0, "the ended session is deleted");
}

#[tokio::test]
async fn sessions_end_12_hours_after_sign_in_even_when_active() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    for _ in 0..28 {
        t.clock.advance_minutes(25);
        assert_eq!(
            call(&t.app, "GET", "/api/me", None, &chen).await.status,
            StatusCode::OK
        );
    }
    // 11 h 40 min after sign-in: the idle end is capped by the absolute one.
    let info: SessionInfo = call(&t.app, "GET", "/api/session", None, &chen)
        .await
        .json();
    assert_eq!(info.expires_at, "2026-11-30T22:00:00+08:00");
    t.clock.advance_minutes(19);
    assert_eq!(
        call(&t.app, "GET", "/api/me", None, &chen).await.status,
        StatusCode::OK
    );
    t.clock.advance_minutes(1);
    let reply = call(&t.app, "GET", "/api/me", None, &chen).await;
    expect_problem(&reply, 401, ErrorCode::SessionExpired);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let reply = call(&t.app, "DELETE", "/api/session", None, &chen).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        reply.header("set-cookie"),
        "yuelan_session=; HttpOnly; SameSite=Lax; Path=/api; Max-Age=0"
    );
    expect_problem(
        &call(&t.app, "GET", "/api/me", None, &chen).await,
        401,
        ErrorCode::SessionExpired,
    );
    assert_eq!(session_count(&t), 1, "only Emily's session is left");
    assert_eq!(
        call(&t.app, "GET", "/api/me", None, &emily).await.status,
        StatusCode::OK
    );
    // Signing out again, or without a session, is fine.
    assert_eq!(
        call(&t.app, "DELETE", "/api/session", None, &chen)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&t.app, "DELETE", "/api/session", None, &Auth::None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );

    // A cookie session ends the same way.
    let reply = try_sign_in(&t, LI.0, LI.1).await;
    let token = reply.header("set-cookie")["yuelan_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let li = Auth::Cookie(token);
    assert_eq!(
        call(&t.app, "GET", "/api/me", None, &li).await.status,
        StatusCode::OK
    );
    assert_eq!(
        call(&t.app, "DELETE", "/api/session", None, &li)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    expect_problem(
        &call(&t.app, "GET", "/api/me", None, &li).await,
        401,
        ErrorCode::SessionExpired,
    );
}

#[tokio::test]
async fn the_account_needs_a_session() {
    let t = TestApp::new();
    let routes = [
        ("GET", "/api/session"),
        ("GET", "/api/me"),
        ("GET", "/api/me/lists"),
        ("POST", "/api/me/lists"),
        ("POST", "/api/me/holds"),
        ("PATCH", "/api/me/holds/1"),
        ("DELETE", "/api/me/holds/1"),
        ("POST", "/api/me/holds/1/suspend"),
        ("POST", "/api/me/holds/1/resume"),
        ("POST", "/api/me/loans/1/renew"),
        ("POST", "/api/me/loans/renew"),
        ("PATCH", "/api/me/lists/1"),
        ("DELETE", "/api/me/lists/1"),
        ("PUT", "/api/me/lists/1/entries/1"),
        ("DELETE", "/api/me/lists/1/entries/1"),
    ];
    let unknown = Auth::Bearer("x".repeat(43));
    for (method, uri) in routes {
        let reply = call(&t.app, method, uri, None, &Auth::None).await;
        expect_problem(&reply, 401, ErrorCode::Unauthenticated);
        assert_eq!(reply.header("www-authenticate"), "Bearer", "{method} {uri}");
        let reply = call(&t.app, method, uri, None, &unknown).await;
        expect_problem(&reply, 401, ErrorCode::SessionExpired);
        let reply = call(&t.app, method, uri, None, &Auth::Cookie("nope".into())).await;
        expect_problem(&reply, 401, ErrorCode::SessionExpired);
    }
    // A wrong method still gets the path's methods.
    let reply = call(&t.app, "GET", "/api/me/holds/1", None, &Auth::None).await;
    expect_problem(&reply, 405, ErrorCode::MethodNotAllowed);
    let allow = reply.header("allow");
    assert!(
        allow.contains("PATCH") && allow.contains("DELETE"),
        "{allow}"
    );
}

#[tokio::test]
async fn expire_sessions_signs_everyone_out() {
    let dir = TempDir::new("expire");
    let db = Db::open(&dir.0.join("yuelan.sqlite")).unwrap();
    assert!(seed::seed_if_empty_at(&db, t0()).unwrap());
    let clock = std::sync::Arc::new(ManualClock::new(t0()));
    let state = AppState::with_clock(db, None, clock).unwrap();
    let app = app(state);
    let chen = sign_in(&app, CHEN.0, CHEN.1).await;
    let li = sign_in(&app, LI.0, LI.1).await;
    assert_eq!(
        call(&app, "GET", "/api/me", None, &chen).await.status,
        StatusCode::OK
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yuelan-server"))
        .args(["expire-sessions", "--data"])
        .arg(&dir.0)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ended 2 sessions"
    );
    for who in [&chen, &li] {
        expect_problem(
            &call(&app, "GET", "/api/me", None, who).await,
            401,
            ErrorCode::SessionExpired,
        );
    }
    // Signing in again works.
    let again = sign_in(&app, CHEN.0, CHEN.1).await;
    assert_eq!(
        call(&app, "GET", "/api/me", None, &again).await.status,
        StatusCode::OK
    );
    // A directory without a database is an error, not a new database.
    let empty = TempDir::new("expire-empty");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yuelan-server"))
        .args(["expire-sessions", "--data"])
        .arg(&empty.0)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!empty.0.join("yuelan.sqlite").exists());
}

#[tokio::test]
async fn cors_answers_only_the_allowed_origins() {
    let t = TestApp::with_settings(false, &["https://app.example.cn"]);
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/me/holds")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, x-requested-with",
            )
            .body(Body::empty())
            .unwrap()
    };
    let reply = send(&t.app, preflight("https://app.example.cn")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        "https://app.example.cn"
    );
    let headers = reply.header("access-control-allow-headers");
    for h in ["authorization", "content-type", "x-requested-with"] {
        assert!(headers.contains(h), "{headers}");
    }
    let methods = reply.header("access-control-allow-methods");
    for m in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        assert!(methods.contains(m), "{methods}");
    }
    assert_eq!(reply.header("access-control-allow-credentials"), "");

    let reply = send(&t.app, preflight("https://evil.example")).await;
    assert_eq!(reply.header("access-control-allow-origin"), "");
    assert_ne!(reply.status, StatusCode::NO_CONTENT);

    // Simple requests: the header for the allowed origin only.
    let get = |origin: &str| {
        Request::get("/api/rules")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap()
    };
    let reply = send(&t.app, get("https://app.example.cn")).await;
    assert_eq!(
        reply.header("access-control-allow-origin"),
        "https://app.example.cn"
    );
    assert!(
        reply
            .header("access-control-expose-headers")
            .contains("retry-after")
    );
    let reply = send(&t.app, get("https://evil.example")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), "");
    // Without --allow-origin, no origin gets CORS headers.
    let plain = TestApp::new();
    let reply = send(&plain.app, get("https://app.example.cn")).await;
    assert_eq!(reply.header("access-control-allow-origin"), "");
}

#[tokio::test]
async fn pins_are_stored_only_as_argon2id_hashes() {
    let t = TestApp::new();
    let pins = [CHEN.1, LI.1, EMILY.1, WANG.1];
    t.state
        .db()
        .with_conn(|c| {
            let mut stmt = c.prepare("SELECT card_number, pin_phc FROM patrons")?;
            let rows: Vec<(String, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            assert!(rows.len() >= 19, "demo and ordinary patrons");
            for (card, phc) in &rows {
                assert!(
                    phc.starts_with("$argon2id$v=19$m=19456,t=4,p=1$"),
                    "{card}: {phc}"
                );
                assert_eq!(phc.split('$').count(), 6, "{phc}");
            }
            // Every text value of every table, apart from the random base64
            // of hashes and share tokens, is searched for the PINs.
            let tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut values = 0;
            for table in &tables {
                let columns: Vec<String> = c
                    .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                for column in columns {
                    if column == "pin_phc" || column == "share_token" {
                        continue;
                    }
                    let mut stmt = c.prepare(&format!(
                        "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\""
                    ))?;
                    let texts: Vec<Option<String>> = stmt
                        .query_map([], |r| r.get(0))?
                        .collect::<Result<_, _>>()?;
                    for text in texts.into_iter().flatten() {
                        values += 1;
                        for pin in pins {
                            assert!(!text.contains(pin), "{table}.{column}: {text}");
                        }
                    }
                }
            }
            assert!(values > 1000, "the scan read the catalog too");
            Ok(())
        })
        .unwrap();
    // And the hashes verify: the demo PINs sign in.
    for (card, pin) in [CHEN, LI, EMILY, WANG] {
        assert_eq!(
            try_sign_in(&t, card, pin).await.status,
            StatusCode::OK,
            "{card}"
        );
    }
}

#[tokio::test]
async fn the_blocked_demo_patron_signs_in_and_is_shown_blocked() {
    let t = TestApp::new();
    let reply = try_sign_in(&t, WANG.0, WANG.1).await;
    let info: SessionInfo = reply.json();
    assert_eq!(info.patron.name, "王建国");
    assert_eq!(
        info.patron.blocked,
        Some(yuelan_api::account::BlockReason::Fines)
    );
}

#[test]
fn settings_default_to_the_system_clock() {
    let s = Settings::default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((s.clock.now() - now).abs() < 5);
    assert!(!s.secure_cookies && s.allowed_origins.is_empty());
}
