//! The app's decoder and the server's encoder cannot drift: every kind of
//! answer the reference server gives is decoded with the app's decoder
//! (`yuelan_api::wire`, miniserde) and with serde, and the two readings
//! must be the same value.

mod common;

use std::fmt::Debug;

use axum::Router;
use serde::de::DeserializeOwned;
use yuelan_api::wire;
use yuelan_api::{Health, LibraryList, Problem, RecordDetail, SearchResponse};

use common::{enc, get, seeded_app};

/// Decodes `body` both ways and asserts the readings are equal.
fn both<T>(what: &str, body: &[u8]) -> T
where
    T: wire::Deserialize + DeserializeOwned + PartialEq + Debug,
{
    let text = std::str::from_utf8(body).unwrap_or_else(|_| panic!("{what}: not UTF-8"));
    let theirs: T = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{what}: serde cannot read it ({e}): {text}"));
    let ours: T = wire::from_json(text)
        .unwrap_or_else(|_| panic!("{what}: the app's decoder cannot read it: {text}"));
    assert_eq!(ours, theirs, "{what}");
    ours
}

/// GETs `uri` and decodes the answer both ways as a `T`.
async fn get_both<T>(app: &Router, uri: &str) -> T
where
    T: wire::Deserialize + DeserializeOwned + PartialEq + Debug,
{
    let reply = get(app, uri).await;
    both(uri, &reply.body)
}

#[tokio::test]
async fn catalog_answers_decode_alike() {
    let app = seeded_app();
    let health: Health = get_both(&app, "/api/health").await;
    assert!(health.records > 300);
    let libraries: LibraryList = get_both(&app, "/api/libraries").await;
    assert!(libraries.libraries.len() > 10);

    // Searches of every shape: plain, filtered, faceted, sorted, paged,
    // empty, with suggestions, by ISBN and by pinyin.
    let mut record_ids = Vec::new();
    for query in [
        "q=".to_owned(),
        format!("q={}", enc("活着")),
        format!("q={}&format=book&format=dvd&available=true", enc("红楼")),
        format!("q={}&sort=newest&page=2&page_size=50", enc("中国")),
        "q=hlm&sort=title".to_owned(),
        format!("q={}", enc("zzzz 不存在的书名 qqq")),
        format!("q={}", enc("978-7-5063-6543-7")),
        "q=hong%20lou%20meng&branch=county&decade=1980&language=zh".to_owned(),
        format!("q={}", enc("<script>\"'&")),
    ] {
        let res: SearchResponse = get_both(&app, &format!("/api/search?{query}")).await;
        record_ids.extend(res.hits.iter().take(3).map(|h| h.id));
    }
    assert!(record_ids.len() > 10);
    for id in record_ids {
        let record: RecordDetail = get_both(&app, &format!("/api/records/{id}")).await;
        assert_eq!(record.id, id);
    }

    // Problems: not found, validation with field errors, wrong method.
    for uri in [
        "/api/records/999999999",
        "/api/records/abc",
        "/api/search?page=0&page_size=900&sort=random&format=vinyl",
        "/api/nothing-here",
    ] {
        let problem: Problem = get_both(&app, uri).await;
        assert!(problem.status >= 400, "{uri}");
    }
}

/// Decodes a reply both ways as a `T`.
fn reply_both<T>(what: &str, reply: &common::Reply) -> T
where
    T: wire::Deserialize + DeserializeOwned + PartialEq + Debug,
{
    both(what, &reply.body)
}

#[tokio::test]
async fn account_answers_decode_alike() {
    use common::{Auth, CHEN, EMILY, LI, TestApp, WANG, call, record_by_isbn, sign_in};
    use serde_json::json;
    use yuelan_api::account::{
        Account, CirculationRules, FavouriteList, FavouriteLists, Hold, Loan, RenewResults,
        SessionInfo, SharedList,
    };

    let t = TestApp::new();
    let app = &t.app;
    let rules: CirculationRules = get_both(app, "/api/rules").await;
    assert_eq!(rules.max_renewals, 2);

    // Sessions in both modes, and every demo patron's account.
    let reply = call(
        app,
        "POST",
        "/api/session",
        Some(json!({"card_number": CHEN.0, "pin": CHEN.1})),
        &Auth::None,
    )
    .await;
    let cookie_session: SessionInfo = reply_both("cookie sign-in", &reply);
    assert!(cookie_session.token.is_none());
    let reply = call(
        app,
        "POST",
        "/api/session",
        Some(json!({"card_number": CHEN.0, "pin": CHEN.1, "mode": "bearer"})),
        &Auth::None,
    )
    .await;
    let bearer_session: SessionInfo = reply_both("bearer sign-in", &reply);
    let chen = Auth::Bearer(bearer_session.token.clone().unwrap());
    let _: SessionInfo = reply_both(
        "session",
        &call(app, "GET", "/api/session", None, &chen).await,
    );
    for (card, pin) in [CHEN, LI, EMILY, WANG] {
        let who = sign_in(app, card, pin).await;
        let account: Account = reply_both(card, &call(app, "GET", "/api/me", None, &who).await);
        assert!(!account.loans.is_empty(), "{card}");
    }

    // Holds: placed, suspended, a refusal that lists copies.
    let huozhe = record_by_isbn(app, "9787506365437").await;
    let reply = call(
        app,
        "POST",
        "/api/me/holds",
        Some(json!({"record_id": huozhe, "pickup_library_id": "vc-tiechang"})),
        &chen,
    )
    .await;
    let hold: Hold = reply_both("placed hold", &reply);
    let reply = call(
        app,
        "POST",
        &format!("/api/me/holds/{}/suspend", hold.id),
        Some(json!({"until": t.date(3)})),
        &chen,
    )
    .await;
    let _: Hold = reply_both("suspended hold", &reply);
    let reply = call(
        app,
        "POST",
        "/api/me/holds",
        Some(json!({"record_id": huozhe, "pickup_library_id": "county"})),
        &chen,
    )
    .await;
    let problem: Problem = reply_both("on_shelf_at_pickup", &reply);
    assert!(!problem.on_shelf.is_empty());

    // Renewals, one and several.
    let account: Account = call(app, "GET", "/api/me", None, &chen).await.json();
    let santi = account.loans.iter().find(|l| l.title == "三体").unwrap();
    let reply = call(
        app,
        "POST",
        &format!("/api/me/loans/{}/renew", santi.id),
        Some(json!({"due_date": santi.due_date})),
        &chen,
    )
    .await;
    let _: Loan = reply_both("renewed loan", &reply);
    let items: Vec<_> = account
        .loans
        .iter()
        .map(|l| json!({"id": l.id, "due_date": l.due_date}))
        .collect();
    let reply = call(
        app,
        "POST",
        "/api/me/loans/renew",
        Some(json!({"loans": items})),
        &chen,
    )
    .await;
    let results: RenewResults = reply_both("renew many", &reply);
    assert!(results.results.iter().any(|r| r.refused.is_some()));

    // Lists, a shared one read by anyone.
    let lists: FavouriteLists = reply_both(
        "lists",
        &call(app, "GET", "/api/me/lists", None, &chen).await,
    );
    let reply = call(
        app,
        "PUT",
        &format!("/api/me/lists/{}/entries/{huozhe}", lists.lists[1].id),
        None,
        &chen,
    )
    .await;
    let _: FavouriteList = reply_both("list entry", &reply);
    let _: SharedList = get_both(app, &format!("/api/lists/{}", lists.lists[0].share_token)).await;

    // The account's problems: with tries left, locked, CSRF, no session.
    for _ in 0..5 {
        let reply = call(
            app,
            "POST",
            "/api/session",
            Some(json!({"card_number": LI.0, "pin": "0000"})),
            &Auth::None,
        )
        .await;
        let problem: Problem = reply_both("failed sign-in", &reply);
        assert!(problem.tries_left.is_some() || problem.locked_until.is_some());
    }
    let reply = common::send(
        app,
        common::request("DELETE", "/api/session", None, &chen, false),
    )
    .await;
    let _: Problem = reply_both("csrf", &reply);
    let _: Problem = reply_both(
        "unauthenticated",
        &call(app, "GET", "/api/me", None, &Auth::None).await,
    );
}

#[tokio::test]
async fn booking_answers_decode_alike() {
    use common::TestApp;
    use yuelan_api::booking::{Availability, RoomDetail, RoomList};

    let t = TestApp::new();
    let app = &t.app;
    let rooms: RoomList = get_both(app, "/api/rooms").await;
    assert!(rooms.rooms.len() >= 7);
    for room in &rooms.rooms {
        let detail: RoomDetail = get_both(app, &format!("/api/rooms/{}", room.id)).await;
        assert!(!detail.layout.seats.is_empty());
        let _: Availability = get_both(app, &format!("/api/rooms/{}/availability", room.id)).await;
    }
    let a: Availability = get_both(
        app,
        &format!(
            "/api/rooms/county-study/availability?date={}&start=10:00&end=12:00",
            t.date(1)
        ),
    )
    .await;
    assert!(a.refusal.is_none());
    let a: Availability = get_both(
        app,
        &format!(
            "/api/rooms/county-study/availability?date={}&start=10:30&end=12:00",
            t.date(1)
        ),
    )
    .await;
    assert!(a.refusal.is_some());
}

#[tokio::test]
async fn booking_changes_decode_alike() {
    use axum::http::HeaderValue;
    use common::{CHEN, TestApp, call, request, send, sign_in};
    use serde_json::json;
    use yuelan_api::booking::{
        Booking, BookingConfirmation, BookingProblem, MyBookings, RoomDetail, WaitlistEntry,
    };

    let t = TestApp::new();
    let app = &t.app;
    let chen = sign_in(app, CHEN.0, CHEN.1).await;
    let mine: MyBookings = reply_both(
        "my bookings",
        &call(app, "GET", "/api/me/bookings", None, &chen).await,
    );
    let demo = &mine.upcoming[0];
    let _: Booking = reply_both(
        "one booking",
        &call(
            app,
            "GET",
            &format!("/api/me/bookings/{}", demo.id),
            None,
            &chen,
        )
        .await,
    );
    let room: RoomDetail = get_both(app, "/api/rooms/county-study").await;
    let seat = room
        .layout
        .seats
        .iter()
        .find(|s| s.label == "B03")
        .unwrap()
        .id;
    let book = |key: &'static str, start: &'static str, end: &'static str| {
        let mut req = request(
            "POST",
            "/api/me/bookings",
            Some(json!({"seat_id": seat, "date": t.date(2), "start": start, "end": end})),
            &chen,
            true,
        );
        req.headers_mut()
            .insert("idempotency-key", HeaderValue::from_static(key));
        send(app, req)
    };
    let made: BookingConfirmation = reply_both("created", &book("d1", "10:00", "12:00").await);
    let replay: BookingConfirmation = reply_both("replayed", &book("d1", "10:00", "12:00").await);
    assert_eq!(made, replay);
    let p: BookingProblem = reply_both("not on slots", &book("d2", "10:30", "11:30").await);
    assert_eq!(p.status, 422);
    let p: BookingProblem = reply_both("reused key", &book("d1", "13:00", "14:00").await);
    assert_eq!(p.status, 422);
    let mut req = request(
        "POST",
        &format!("/api/me/bookings/{}/cancel", made.booking.id),
        None,
        &chen,
        true,
    );
    req.headers_mut()
        .insert("if-match", HeaderValue::from_static("\"999\""));
    let stale: BookingProblem = reply_both("stale", &send(app, req).await);
    assert!(stale.booking.is_some());
    let cancelled: Booking = reply_both(
        "cancelled",
        &call(
            app,
            "POST",
            &format!("/api/me/bookings/{}/cancel", made.booking.id),
            None,
            &chen,
        )
        .await,
    );
    assert_eq!(
        cancelled.status,
        yuelan_api::booking::BookingStatus::Cancelled
    );
    let p: BookingProblem = reply_both(
        "not changeable",
        &call(
            app,
            "POST",
            &format!("/api/me/bookings/{}/leave", demo.id),
            None,
            &chen,
        )
        .await,
    );
    assert_eq!(p.status, 409);
    // A waitlist entry: fill the group room's six seats for one hour.
    let group: RoomDetail = get_both(app, "/api/rooms/yuanzhou-group").await;
    t.state
        .db()
        .with_conn(|c| {
            for (i, s) in group.layout.seats.iter().enumerate() {
                let card = format!("4413228{i:07}");
                c.execute(
                    "INSERT INTO patrons (card_number, name, home_library_id) VALUES (?1, 'x', 'county')",
                    [&card],
                )?;
                let start = yuelan_server::clock::local_instant(2026, 12, 2, 14, 0);
                c.execute(
                    "INSERT INTO bookings (card_number, seat_id, room_id, starts_at, ends_at, status, created_at)
                     VALUES (?1, ?2, 'yuanzhou-group', ?3, ?4, 'booked', ?3)",
                    rusqlite::params![card, s.id, start, start + 3600],
                )?;
                let id = c.last_insert_rowid();
                yuelan_server::booking::store::insert_slots(c, id, s.id, &card, start, start + 3600)?;
            }
            Ok(())
        })
        .unwrap();
    let entry: WaitlistEntry = reply_both(
        "waitlist",
        &call(
            app,
            "POST",
            "/api/me/waitlist",
            Some(json!({"room_id": "yuanzhou-group", "date": "2026-12-02", "start": "14:00", "end": "15:00"})),
            &chen,
        )
        .await,
    );
    assert_eq!(entry.position, 1);
    let mine: MyBookings = reply_both(
        "with waitlist",
        &call(app, "GET", "/api/me/bookings", None, &chen).await,
    );
    assert_eq!(mine.waitlist.len(), 1);
}

#[tokio::test]
async fn culture_answers_decode_alike() {
    use common::{CHEN, TestApp, call, sign_in};
    use yuelan_api::culture::{
        CultureEvent, CultureHome, EventList, ProgrammeDetail, ProgrammeList,
    };

    let t = TestApp::new();
    let app = &t.app;
    let home: CultureHome = get_both(app, "/api/culture/home").await;
    assert!(home.rows.len() >= 7);
    assert!(!home.live_now.is_empty());
    let chen = sign_in(app, CHEN.0, CHEN.1).await;
    let mine: CultureHome = reply_both(
        "home signed in",
        &call(app, "GET", "/api/culture/home", None, &chen).await,
    );
    assert!(!mine.continue_watching.is_empty());
    let mut ids = Vec::new();
    for query in [
        String::new(),
        format!("q={}", enc("粤剧")),
        "q=lfs".to_owned(),
        "category=children&kind=audio".to_owned(),
        "page=2&page_size=10".to_owned(),
    ] {
        let list: ProgrammeList = get_both(app, &format!("/api/culture/programmes?{query}")).await;
        ids.extend(list.programmes.iter().map(|p| p.id.clone()));
    }
    ids.sort();
    ids.dedup();
    assert!(ids.len() >= 20);
    for id in &ids {
        let d: ProgrammeDetail = get_both(app, &format!("/api/culture/programmes/{id}")).await;
        assert_eq!(&d.programme.id, id);
        let _: ProgrammeDetail = reply_both(
            "programme signed in",
            &call(
                app,
                "GET",
                &format!("/api/culture/programmes/{id}"),
                None,
                &chen,
            )
            .await,
        );
    }
    let events: EventList = get_both(app, "/api/culture/events").await;
    assert!(events.events.len() >= 8);
    for e in &events.events {
        let _: CultureEvent = reply_both(
            "event",
            &call(
                app,
                "GET",
                &format!("/api/culture/events/{}", e.id),
                None,
                &chen,
            )
            .await,
        );
    }
    for uri in [
        "/api/culture/programmes/nothing",
        "/api/culture/programmes?category=jazz",
        "/api/culture/events?from=2026-13-01",
        "/api/culture/media/opera/master.m3u8",
        "/api/culture/events/ev-live-opera/live/master.m3u8",
    ] {
        let problem: Problem = get_both(app, uri).await;
        assert!(problem.status >= 400, "{uri}");
    }
}

#[tokio::test]
async fn culture_changes_decode_alike() {
    use axum::http::HeaderValue;
    use common::{CHEN, TestApp, call, request, send, sign_in};
    use serde_json::json;
    use yuelan_api::culture::{
        ContinueWatching, CultureRequest, MyRegistrations, Progress, RatingSummary, Registration,
        RequestList, ViewCount,
    };

    let t = TestApp::new();
    let app = &t.app;
    let chen = sign_in(app, CHEN.0, CHEN.1).await;
    let at = t.state.now() * 1000;
    let _: Progress = reply_both(
        "progress",
        &call(
            app,
            "PUT",
            "/api/me/culture/progress/opera-3",
            Some(json!({"position_seconds": 4, "duration_seconds": 20, "client_time_ms": at})),
            &chen,
        )
        .await,
    );
    let c: ContinueWatching = reply_both(
        "continue",
        &call(app, "GET", "/api/me/culture/progress", None, &chen).await,
    );
    assert!(!c.items.is_empty());
    let _: RatingSummary = reply_both(
        "rating",
        &call(
            app,
            "PUT",
            "/api/me/culture/ratings/opera-3",
            Some(json!({"stars": 4})),
            &chen,
        )
        .await,
    );
    let _: ViewCount = reply_both(
        "view",
        &call(
            app,
            "POST",
            "/api/culture/programmes/opera-3/views",
            Some(json!({"device_id": "device-drift"})),
            &common::Auth::None,
        )
        .await,
    );
    let mut req = request(
        "POST",
        "/api/me/culture/registrations",
        Some(json!({"event_id": "ev-bamboo-workshop"})),
        &chen,
        true,
    );
    req.headers_mut()
        .insert("idempotency-key", HeaderValue::from_static("drift-1"));
    let _: Registration = reply_both("registration", &send(app, req).await);
    let mine: MyRegistrations = reply_both(
        "registrations",
        &call(app, "GET", "/api/me/culture/registrations", None, &chen).await,
    );
    assert!(mine.registrations.len() >= 2);
    let made: CultureRequest = reply_both(
        "request",
        &call(
            app,
            "POST",
            "/api/me/culture/requests",
            Some(json!({"library_id": "county", "category": "concert", "text": "新年音乐会"})),
            &chen,
        )
        .await,
    );
    let _: CultureRequest = reply_both(
        "backing",
        &call(
            app,
            "PUT",
            &format!("/api/me/culture/requests/{}/backing", made.id),
            None,
            &chen,
        )
        .await,
    );
    let _: RequestList = reply_both(
        "requests",
        &call(app, "GET", "/api/culture/requests", None, &chen).await,
    );
    let _: Problem = reply_both(
        "already registered",
        &call(
            app,
            "POST",
            "/api/me/culture/registrations",
            Some(json!({"event_id": "ev-picturebook"})),
            &chen,
        )
        .await,
    );
}
