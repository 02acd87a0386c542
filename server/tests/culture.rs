//! The cultural cloud through `oneshot` on a manual clock standing at
//! Monday 2026-11-30 10:00: search and programmes, media with byte ranges
//! and content types (from a tiny media directory the tests write), the
//! live window moving with the clock and the replay after the end,
//! progress, ratings, views, requests, and registrations under
//! concurrency with their idempotency.

mod common;

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use common::*;
use serde_json::json;
use tower::ServiceExt;
use yuelan_api::ErrorCode;
use yuelan_api::culture::{
    ContinueWatching, CultureEvent, MyRegistrations, ProgrammeDetail, ProgrammeList, Progress,
    RatingSummary, Registration, RegistrationStatus, RequestList, ViewCount,
};

/// A tiny media directory: the `opera` and `live` assets' first
/// renditions with a playlist and two 1000-byte "segments" each.
fn fake_media() -> TempDir {
    let dir = TempDir::new("media");
    for asset in ["opera", "live"] {
        let r = dir.0.join(asset).join("240p");
        std::fs::create_dir_all(&r).unwrap();
        std::fs::write(
            r.join("index.m3u8"),
            "#EXTM3U\n#EXTINF:2.000000,\nseg_000.ts\n",
        )
        .unwrap();
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(r.join("seg_000.ts"), &bytes).unwrap();
        std::fs::write(r.join("seg_001.ts"), &bytes).unwrap();
    }
    dir
}

fn with_header(mut req: Request<Body>, name: &'static str, value: &str) -> Request<Body> {
    req.headers_mut()
        .insert(name, HeaderValue::from_str(value).unwrap());
    req
}

#[tokio::test]
async fn programmes_are_searched_with_the_catalogs_chinese_rules() {
    let t = TestApp::new();
    let app = &t.app;
    let all: ProgrammeList = get(app, "/api/culture/programmes?page_size=50")
        .await
        .json();
    assert!(all.total >= 40);
    // One character: every hit has it somewhere it is searched, and the
    // opera programmes whose titles do not have it are found by their tags.
    let one: ProgrammeList = get(
        app,
        &format!("/api/culture/programmes?q={}&page_size=50", enc("粤")),
    )
    .await
    .json();
    assert!(one.total >= 5);
    for p in &one.programmes {
        let text = format!(
            "{} {:?} {:?} {}",
            p.title.zh, p.tags, p.series_title, p.library_name.zh
        );
        assert!(text.contains('粤'), "{text}");
    }
    assert!(one.programmes.iter().any(|p| p.id == "opera-1"));
    // Pinyin initials and full pinyin, and two characters.
    for q in ["lfs", "luofushan", "罗浮"] {
        let r: ProgrammeList = get(app, &format!("/api/culture/programmes?q={}", enc(q)))
            .await
            .json();
        assert!(r.programmes.iter().any(|p| p.id == "luofu-1"), "{q}");
        assert!(!r.programmes.iter().any(|p| p.id == "concert-choir"), "{q}");
    }
    // A title match ranks before a tag match.
    let r: ProgrammeList = get(app, &format!("/api/culture/programmes?q={}", enc("荔枝")))
        .await
        .json();
    assert!(
        r.programmes[0].title.zh.contains("荔枝"),
        "{:?}",
        r.programmes[0].title
    );
    let audio: ProgrammeList = get(app, "/api/culture/programmes?kind=audio").await.json();
    assert!(audio.total >= 3);
    let p = expect_problem(
        &get(app, "/api/culture/programmes?category=jazz").await,
        422,
        ErrorCode::ValidationFailed,
    );
    assert_eq!(p.errors[0].field, "category");

    let d: ProgrammeDetail = get(app, "/api/culture/programmes/luofu-2").await.json();
    let series = d.series.expect("a series");
    assert_eq!(series.episodes, 4);
    let eps: Vec<u32> = d.episodes.iter().filter_map(|e| e.episode).collect();
    assert_eq!(eps, [1, 2, 3, 4]);
    assert!(!d.stream.available, "no media directory");
    assert_eq!(d.subtitles.len(), 2);
    let d: ProgrammeDetail = get(app, "/api/culture/programmes/luofu-1").await.json();
    assert_eq!(d.chapters.len(), 4);
    let vtt = get(app, "/api/culture/programmes/luofu-1/chapters.vtt").await;
    assert_eq!(vtt.header("content-type"), "text/vtt; charset=utf-8");
    assert!(String::from_utf8_lossy(&vtt.body).contains("00:00:06.000 --> 00:00:12.000"));
    expect_problem(
        &get(app, "/api/culture/programmes/nothing").await,
        404,
        ErrorCode::NotFound,
    );
    let ics = get(app, "/api/culture/events/ev-picturebook.ics").await;
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert!(String::from_utf8_lossy(&ics.body).contains("UID:culture-event-ev-picturebook@yuelan"));
}

#[tokio::test]
async fn media_answers_ranges_types_and_cache_headers() {
    let media = fake_media();
    let t = TestApp::with_media(&media.0);
    let app = &t.app;
    let master = get(app, "/api/culture/media/opera/master.m3u8").await;
    assert_eq!(master.status, StatusCode::OK);
    assert_eq!(
        master.header("content-type"),
        "application/vnd.apple.mpegurl"
    );
    let text = String::from_utf8_lossy(&master.body);
    assert!(text.contains("BANDWIDTH=") && text.contains("RESOLUTION=426x240"));
    assert!(text.contains("TYPE=SUBTITLES") && text.contains("subs/zh.m3u8"));
    let d: ProgrammeDetail = get(app, "/api/culture/programmes/opera-1").await.json();
    assert!(d.stream.available);
    assert!(d.programme.poster_url.is_some());

    let seg = "/api/culture/media/opera/240p/seg_001.ts";
    let whole = get(app, seg).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.body.len(), 1000);
    assert_eq!(whole.header("content-type"), "video/mp2t");
    assert_eq!(whole.header("accept-ranges"), "bytes");
    assert!(whole.header("cache-control").contains("immutable"));
    let part = send(
        app,
        with_header(
            Request::get(seg).body(Body::empty()).unwrap(),
            "range",
            "bytes=10-19",
        ),
    )
    .await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.header("content-range"), "bytes 10-19/1000");
    assert_eq!(part.body, whole.body[10..20]);
    let tail = send(
        app,
        with_header(
            Request::get(seg).body(Body::empty()).unwrap(),
            "range",
            "bytes=-5",
        ),
    )
    .await;
    assert_eq!(tail.body, whole.body[995..]);
    let out = send(
        app,
        with_header(
            Request::get(seg).body(Body::empty()).unwrap(),
            "range",
            "bytes=1000-",
        ),
    )
    .await;
    expect_problem(&out, 416, ErrorCode::RangeNotSatisfiable);
    assert_eq!(out.header("content-range"), "bytes */1000");

    let vtt = get(app, "/api/culture/media/opera/subs/en.vtt").await;
    assert_eq!(vtt.header("content-type"), "text/vtt; charset=utf-8");
    assert!(String::from_utf8_lossy(&vtt.body).starts_with("WEBVTT"));
    let playlist = get(app, "/api/culture/media/opera/240p/index.m3u8").await;
    assert_eq!(
        playlist.header("content-type"),
        "application/vnd.apple.mpegurl"
    );

    // Assets without files, and a server without a media directory.
    expect_problem(
        &get(app, "/api/culture/media/concert/master.m3u8").await,
        404,
        ErrorCode::MediaUnavailable,
    );
    expect_problem(
        &get(app, "/api/culture/media/opera/240p/seg_099.ts").await,
        404,
        ErrorCode::NotFound,
    );
    expect_problem(
        &get(app, "/api/culture/media/opera/240p/..%2F..%2Fx").await,
        404,
        ErrorCode::NotFound,
    );
    expect_problem(
        &get(app, "/api/culture/media/nothing/master.m3u8").await,
        404,
        ErrorCode::NotFound,
    );
    let bare = TestApp::new();
    expect_problem(&get(&bare.app, seg).await, 404, ErrorCode::MediaUnavailable);
}

/// The media sequence number and the segments of a live playlist.
fn sequence(body: &[u8]) -> (u64, usize, bool) {
    let text = String::from_utf8_lossy(body);
    let seq = text
        .lines()
        .find_map(|l| l.strip_prefix("#EXT-X-MEDIA-SEQUENCE:"))
        .and_then(|n| n.parse().ok())
        .expect("a media sequence");
    (
        seq,
        text.matches("#EXTINF").count(),
        text.contains("#EXT-X-ENDLIST"),
    )
}

#[tokio::test]
async fn the_live_window_moves_with_the_clock_and_the_replay_follows() {
    let media = fake_media();
    let t = TestApp::with_media(&media.0);
    let app = &t.app;
    let e: CultureEvent = get(app, "/api/culture/events/ev-live-opera").await.json();
    assert_eq!(e.status, yuelan_api::culture::EventStatus::Live);
    let live = e.live_url.expect("a live URL");
    let master = get(app, &live).await;
    assert!(String::from_utf8_lossy(&master.body).contains("240p.m3u8"));
    let uri = "/api/culture/events/ev-live-opera/live/240p.m3u8";
    let first = get(app, uri).await;
    assert_eq!(first.header("cache-control"), "no-cache");
    // Ten minutes in, with 2-second segments: segment 300 is the newest.
    let (seq, n, ended) = sequence(&first.body);
    assert_eq!((seq, n, ended), (296, 5, false));
    t.clock.advance_seconds(4);
    let (seq2, n2, _) = sequence(&get(app, uri).await.body);
    assert_eq!((seq2, n2), (seq + 2, 5), "the window slides two segments");
    // The segments it lists are the asset's, in a loop.
    let text = String::from_utf8_lossy(&get(app, uri).await.body).into_owned();
    assert!(text.contains("/api/culture/media/live/240p/seg_"));
    expect_problem(
        &get(app, "/api/culture/events/ev-live-opera/replay/240p.m3u8").await,
        409,
        ErrorCode::ReplayNotReady,
    );
    expect_problem(
        &get(app, "/api/culture/events/ev-luofu-5/live/240p.m3u8").await,
        409,
        ErrorCode::EventNotLive,
    );
    // After the end: the live playlist ends and the replay is there.
    t.clock.advance_minutes(120);
    let (_, _, ended) = sequence(&get(app, uri).await.body);
    assert!(ended);
    let e: CultureEvent = get(app, "/api/culture/events/ev-live-opera").await.json();
    assert_eq!(e.status, yuelan_api::culture::EventStatus::Replay);
    assert!(e.live_url.is_none());
    let replay = get(app, "/api/culture/events/ev-live-opera/replay/240p.m3u8").await;
    let text = String::from_utf8_lossy(&replay.body);
    assert!(text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && text.ends_with("#EXT-X-ENDLIST\n"));
    assert_eq!(text.matches("#EXTINF").count(), 120 * 60 / 2);
}

#[tokio::test]
async fn progress_ratings_and_views() {
    let t = TestApp::new();
    let app = &t.app;
    let chen = sign_in(app, CHEN.0, CHEN.1).await;
    let base = t.state.now() * 1000;
    let save = |pos: u32, at: i64| json!({"position_seconds": pos, "duration_seconds": 20, "client_time_ms": base + at});
    let uri = "/api/me/culture/progress/concert-guzheng";
    let p: Progress = call(app, "PUT", uri, Some(save(7, 2_000)), &chen)
        .await
        .json();
    assert_eq!(p.position_seconds, 7);
    // An older save (a late retry from another device) changes nothing.
    let p: Progress = call(app, "PUT", uri, Some(save(3, 1_000)), &chen)
        .await
        .json();
    assert_eq!((p.position_seconds, p.client_time_ms), (7, base + 2_000));
    let p: Progress = call(app, "PUT", uri, Some(save(12, 3_000)), &chen)
        .await
        .json();
    assert_eq!(p.position_seconds, 12);
    let d: ProgrammeDetail = call(
        app,
        "GET",
        "/api/culture/programmes/concert-guzheng",
        None,
        &chen,
    )
    .await
    .json();
    assert_eq!(d.progress.map(|p| p.position_seconds), Some(12));
    let c: ContinueWatching = call(app, "GET", "/api/me/culture/progress", None, &chen)
        .await
        .json();
    assert_eq!(c.items[0].programme.id, "concert-guzheng", "latest first");
    call(app, "PUT", uri, Some(save(20, 4_000)), &chen).await;
    let c: ContinueWatching = call(app, "GET", "/api/me/culture/progress", None, &chen)
        .await
        .json();
    assert!(
        !c.items.iter().any(|i| i.programme.id == "concert-guzheng"),
        "finished"
    );
    expect_problem(
        &call(app, "PUT", uri, Some(save(21, 5_000)), &chen).await,
        422,
        ErrorCode::ValidationFailed,
    );
    expect_problem(
        &call(app, "PUT", uri, Some(save(1, 5_000)), &Auth::None).await,
        401,
        ErrorCode::Unauthenticated,
    );

    // Ratings: one per patron, replaced by the next.
    let before: ProgrammeDetail = get(app, "/api/culture/programmes/dj-1").await.json();
    let r: RatingSummary = call(
        app,
        "PUT",
        "/api/me/culture/ratings/dj-1",
        Some(json!({"stars": 5})),
        &chen,
    )
    .await
    .json();
    assert_eq!(
        (r.count, r.mine),
        (before.programme.rating.count + 1, Some(5))
    );
    let r: RatingSummary = call(
        app,
        "PUT",
        "/api/me/culture/ratings/dj-1",
        Some(json!({"stars": 1})),
        &chen,
    )
    .await
    .json();
    assert_eq!(
        (r.count, r.mine),
        (before.programme.rating.count + 1, Some(1))
    );
    assert!(r.average < 5.0);
    expect_problem(
        &call(
            app,
            "PUT",
            "/api/me/culture/ratings/dj-1",
            Some(json!({"stars": 6})),
            &chen,
        )
        .await,
        422,
        ErrorCode::ValidationFailed,
    );
    let r: RatingSummary = call(app, "DELETE", "/api/me/culture/ratings/dj-1", None, &chen)
        .await
        .json();
    assert_eq!((r.count, r.mine), (before.programme.rating.count, None));

    // Views: once per device or patron per day.
    let view = |who: Auth, device: Option<&'static str>| {
        let app = t.app.clone();
        async move {
            call(
                &app,
                "POST",
                "/api/culture/programmes/dj-1/views",
                Some(json!({"device_id": device})),
                &who,
            )
            .await
        }
    };
    let v: ViewCount = view(Auth::None, Some("device-0001")).await.json();
    assert!(v.counted);
    assert_eq!(v.views, before.programme.views + 1);
    let v: ViewCount = view(Auth::None, Some("device-0001")).await.json();
    assert!(!v.counted);
    assert_eq!(v.views, before.programme.views + 1);
    let v: ViewCount = view(chen.clone(), None).await.json();
    assert!(v.counted);
    let v: ViewCount = view(chen.clone(), Some("device-0002")).await.json();
    assert!(!v.counted, "a patron counts by card, whatever the device");
    expect_problem(
        &view(Auth::None, None).await,
        422,
        ErrorCode::ValidationFailed,
    );
    t.clock.advance_days(1);
    let v: ViewCount = view(Auth::None, Some("device-0001")).await.json();
    assert!(v.counted, "a new day counts again");
    assert_eq!(v.views, before.programme.views + 3);
}

#[tokio::test]
async fn requests_are_backed_and_counted_per_library() {
    let t = TestApp::new();
    let app = &t.app;
    let chen = sign_in(app, CHEN.0, CHEN.1).await;
    let li = sign_in(app, LI.0, LI.1).await;
    let before: RequestList = get(app, "/api/culture/requests").await.json();
    let made = call(
        app,
        "POST",
        "/api/me/culture/requests",
        Some(json!({"library_id": "vc-tangxia", "category": "cantonese_opera", "text": "请来村里演一场粤剧"})),
        &chen,
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let made: yuelan_api::culture::CultureRequest = made.json();
    assert_eq!((made.backers, made.mine, made.backed), (1, true, true));
    let uri = format!("/api/me/culture/requests/{}/backing", made.id);
    for _ in 0..2 {
        let r: yuelan_api::culture::CultureRequest = call(app, "PUT", &uri, None, &li).await.json();
        assert_eq!((r.backers, r.mine, r.backed), (2, false, true));
    }
    let list: RequestList = get(app, "/api/culture/requests?library=vc-tangxia")
        .await
        .json();
    assert_eq!(list.requests.len(), 1);
    let counts = list
        .by_library
        .iter()
        .find(|l| l.library_id == "vc-tangxia")
        .unwrap();
    assert_eq!((counts.requests, counts.backers), (1, 2));
    assert_eq!(list.by_library.len(), before.by_library.len() + 1);
    let r: yuelan_api::culture::CultureRequest = call(app, "DELETE", &uri, None, &li).await.json();
    assert_eq!(r.backers, 1);
    expect_problem(
        &call(
            app,
            "POST",
            "/api/me/culture/requests",
            Some(json!({"library_id": "nowhere", "category": "concert", "text": "x"})),
            &chen,
        )
        .await,
        422,
        ErrorCode::ValidationFailed,
    );
}

/// Adds `n` patrons with sessions straight into the database; returns
/// their credentials.
fn many_patrons(t: &TestApp, n: usize) -> Vec<Auth> {
    t.state
        .db()
        .with_conn(|c| {
            let mut out = Vec::new();
            for i in 0..n {
                let card = format!("4413229{i:07}");
                let token = format!("culture-test-token-{i}");
                c.execute(
                    "INSERT INTO patrons (card_number, name, home_library_id) VALUES (?1, ?2, 'county')",
                    rusqlite::params![card, format!("读者{i}")],
                )?;
                c.execute(
                    "INSERT INTO sessions (token_hash, card_number, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                    rusqlite::params![yuelan_server::account::session::token_hash(&token), card, t.state.now()],
                )?;
                out.push(Auth::Bearer(token));
            }
            Ok(out)
        })
        .unwrap()
}

fn register(who: &Auth, event: &str, key: &str) -> Request<Body> {
    with_header(
        request(
            "POST",
            "/api/me/culture/registrations",
            Some(json!({"event_id": event})),
            who,
            true,
        ),
        "idempotency-key",
        key,
    )
}

#[tokio::test]
async fn fifty_patrons_racing_for_ten_places_get_ten() {
    let t = TestApp::new();
    let patrons = many_patrons(&t, 50);
    let mut tasks = Vec::new();
    for (i, who) in patrons.iter().enumerate() {
        let (app, req) = (
            t.app.clone(),
            register(who, "ev-phone-class", &format!("k{i}")),
        );
        tasks.push(tokio::spawn(async move { app.oneshot(req).await }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        let res = task.await.unwrap().unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let body = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        let reg: Registration = serde_json::from_slice(&body).unwrap();
        statuses.push(reg.status);
    }
    let registered = statuses
        .iter()
        .filter(|s| **s == RegistrationStatus::Registered)
        .count();
    let waiting = statuses
        .iter()
        .filter(|s| **s == RegistrationStatus::Waiting)
        .count();
    assert_eq!((registered, waiting), (10, 40));
    let places: i64 = t
        .state
        .db()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM culture_places WHERE event_id = 'ev-phone-class'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(places, 10);
    // The database itself refuses an eleventh place.
    let refused: Result<usize, yuelan_server::Error> = t.state.db().write(|c| {
        c.execute(
            "INSERT INTO culture_registrations (event_id, card_number, status, created_at, queued_at)
             VALUES ('ev-phone-class', '44132200000001', 'registered', 0, 0)",
            [],
        )?;
        let id = c.last_insert_rowid();
        Ok(c.execute(
            "INSERT INTO culture_places (event_id, place_no, registration_id) VALUES ('ev-phone-class', 10, ?1)",
            [id],
        )?)
    });
    assert!(refused.is_err());
    let e: CultureEvent = get(&t.app, "/api/culture/events/ev-phone-class")
        .await
        .json();
    let p = e.places.unwrap();
    assert_eq!((p.capacity, p.registered, p.waiting), (10, 10, 40));
}

#[tokio::test]
async fn registrations_are_idempotent_and_the_waitlist_moves_up() {
    let t = TestApp::new();
    let app = &t.app;
    let patrons = many_patrons(&t, 4);
    // Two places: two register, two wait.
    let mut regs = Vec::new();
    for (i, who) in patrons.iter().enumerate() {
        let reply = send(
            app,
            register(who, "ev-bamboo-workshop", &format!("key-{i}")),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        regs.push(reply.json::<Registration>());
    }
    assert_eq!(regs[1].status, RegistrationStatus::Registered);
    assert_eq!(
        (
            regs[2].status,
            regs[2].waitlist_position,
            regs[3].waitlist_position
        ),
        (RegistrationStatus::Waiting, Some(1), Some(2))
    );
    // A replay answers the first answer; the key with another body is refused.
    let again = send(app, register(&patrons[0], "ev-bamboo-workshop", "key-0")).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json::<Registration>().id, regs[0].id);
    expect_problem(
        &send(app, register(&patrons[0], "ev-picturebook", "key-0")).await,
        422,
        ErrorCode::IdempotencyKeyReused,
    );
    expect_problem(
        &send(app, register(&patrons[0], "ev-bamboo-workshop", "key-new")).await,
        409,
        ErrorCode::AlreadyRegistered,
    );
    expect_problem(
        &call(
            app,
            "POST",
            "/api/me/culture/registrations",
            Some(json!({"event_id": "ev-bamboo-workshop"})),
            &patrons[0],
        )
        .await,
        400,
        ErrorCode::IdempotencyKeyRequired,
    );
    expect_problem(
        &send(app, register(&patrons[0], "ev-guzheng", "key-x")).await,
        409,
        ErrorCode::RegistrationClosed,
    );

    // The first cancels: the first waiting takes the place, the next moves up.
    let del = call(
        app,
        "DELETE",
        &format!("/api/me/culture/registrations/{}", regs[0].id),
        None,
        &patrons[0],
    )
    .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let mine = |who: Auth| {
        let app = t.app.clone();
        async move {
            call(&app, "GET", "/api/me/culture/registrations", None, &who)
                .await
                .json::<MyRegistrations>()
        }
    };
    let third = mine(patrons[2].clone()).await;
    assert_eq!(
        third.registrations[0].status,
        RegistrationStatus::Registered
    );
    let fourth = mine(patrons[3].clone()).await;
    assert_eq!(fourth.registrations[0].waitlist_position, Some(1));
    assert!(mine(patrons[0].clone()).await.registrations.is_empty());
    // Someone else's registration is not found.
    expect_problem(
        &call(
            app,
            "DELETE",
            &format!("/api/me/culture/registrations/{}", regs[1].id),
            None,
            &patrons[0],
        )
        .await,
        404,
        ErrorCode::NotFound,
    );
    // Once the event starts, registrations close (sessions that last).
    t.state
        .db()
        .with_conn(|c| {
            c.execute_batch(
                "UPDATE circulation_rules SET value = 100000 WHERE name IN ('session_idle_minutes', 'session_max_hours')",
            )?;
            Ok(())
        })
        .unwrap();
    t.clock.advance_days(6);
    expect_problem(
        &send(app, register(&patrons[0], "ev-bamboo-workshop", "late")).await,
        409,
        ErrorCode::RegistrationClosed,
    );
}
