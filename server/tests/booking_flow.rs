//! Bookings through `oneshot` on a manual clock standing at Monday
//! 2026-11-30 10:00: creation with its idempotency key and the database
//! constraint, the patron's bookings, changes with `If-Match`, check-in,
//! leave, sweeps, violations and suspension, extension, the waitlist, the
//! rate limit, live events, the staff's page and calendar files.

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use yuelan_api::ErrorCode;
use yuelan_api::booking::{
    Availability, Booking, BookingAction, BookingConfirmation, BookingProblem, BookingStatus,
    MyBookings, RoomDetail, SeatChange, SeatStatus, WaitlistEntry, WaitlistStatus,
};

/// Sets rules for tests that move the clock by days or send many
/// requests: sessions that last, and a generous rate limit.
fn relax(t: &TestApp) {
    t.state
        .db()
        .with_conn(|c| {
            c.execute_batch(
                "UPDATE circulation_rules SET value = 100000 WHERE name IN ('session_idle_minutes', 'session_max_hours');
                 UPDATE booking_rules SET value = 1000 WHERE name = 'rate_burst';",
            )?;
            Ok(())
        })
        .unwrap();
}

/// The id of a seat of a room, by label.
async fn seat(app: &Router, room: &str, label: &str) -> i64 {
    let d: RoomDetail = get(app, &format!("/api/rooms/{room}")).await.json();
    d.layout
        .seats
        .iter()
        .find(|s| s.label == label)
        .unwrap_or_else(|| panic!("no seat {label}"))
        .id
}

/// A request with extra headers.
fn with_headers(
    method: &str,
    uri: &str,
    body: Option<Value>,
    who: &Auth,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut req = request(method, uri, body, who, true);
    for (k, v) in headers {
        req.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    req
}

/// Books with an idempotency key.
async fn book(
    app: &Router,
    who: &Auth,
    seat: i64,
    date: &str,
    start: &str,
    end: &str,
    key: &str,
) -> Reply {
    let body = json!({"seat_id": seat, "date": date, "start": start, "end": end});
    send(
        app,
        with_headers(
            "POST",
            "/api/me/bookings",
            Some(body),
            who,
            &[("idempotency-key", key)],
        ),
    )
    .await
}

fn created(reply: &Reply) -> Booking {
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json::<BookingConfirmation>().booking
}

fn refused(reply: &Reply, status: u16, code: ErrorCode) -> BookingProblem {
    expect_problem(reply, status, code);
    reply.json()
}

async fn mine(app: &Router, who: &Auth) -> MyBookings {
    let reply = call(app, "GET", "/api/me/bookings", None, who).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

async fn act(app: &Router, who: &Auth, id: i64, action: &str, if_match: Option<&str>) -> Reply {
    let uri = format!("/api/me/bookings/{id}/{action}");
    let headers: Vec<(&str, &str)> = if_match.map(|m| ("if-match", m)).into_iter().collect();
    send(app, with_headers("POST", &uri, None, who, &headers)).await
}

fn ok_booking(reply: &Reply) -> Booking {
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let b: Booking = reply.json();
    assert_eq!(reply.header("etag"), format!("\"{}\"", b.version));
    b
}

#[tokio::test]
async fn a_booking_is_confirmed_with_its_checkin_code_and_replays_alike() {
    let t = TestApp::new();
    relax(&t);
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let a03 = seat(&t.app, "county-study", "A03").await;
    let tomorrow = t.date(1);

    // No key: 400.
    let reply = call(
        &t.app,
        "POST",
        "/api/me/bookings",
        Some(json!({"seat_id": a03, "date": tomorrow, "start": "14:00", "end": "16:00"})),
        &li,
    )
    .await;
    refused(&reply, 400, ErrorCode::IdempotencyKeyRequired);

    let first = book(&t.app, &li, a03, &tomorrow, "14:00", "16:00", "k-1").await;
    let b = created(&first);
    let confirmation: BookingConfirmation = first.json();
    assert_eq!(confirmation.rules.checkin_after_minutes, 15);
    assert_eq!(b.status, BookingStatus::Booked);
    assert_eq!(b.seat_label, "A03");
    assert_eq!(b.checkin_path, format!("/booking/checkin/{}", b.seat_code));
    assert_eq!(b.starts_at, format!("{tomorrow}T14:00:00+08:00"));
    assert_eq!(b.checkin_opens_at, format!("{tomorrow}T13:45:00+08:00"));
    assert_eq!(b.checkin_closes_at, format!("{tomorrow}T14:15:00+08:00"));
    assert_eq!(
        first.header("location"),
        format!("/api/me/bookings/{}", b.id)
    );

    // A replay answers the same, and books nothing more.
    let again = book(&t.app, &li, a03, &tomorrow, "14:00", "16:00", "k-1").await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(mine(&t.app, &li).await.upcoming.len(), 1);
    // The same key with another body: 422.
    let other = book(&t.app, &li, a03, &tomorrow, "16:00", "17:00", "k-1").await;
    refused(&other, 422, ErrorCode::IdempotencyKeyReused);
    // A refusal is replayed too.
    let taken = book(&t.app, &li, a03, &tomorrow, "15:00", "16:00", "k-2").await;
    refused(&taken, 409, ErrorCode::BookingOverlap);
    let again = book(&t.app, &li, a03, &tomorrow, "15:00", "16:00", "k-2").await;
    assert_eq!((again.status, &again.body), (taken.status, &taken.body));

    // Someone else cannot take the seat; a seat closed by staff is refused.
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let reply = book(&t.app, &emily, a03, &tomorrow, "15:00", "17:00", "e-1").await;
    refused(&reply, 409, ErrorCode::SeatTaken);
    let a07 = seat(&t.app, "county-study", "A07").await;
    let reply = book(&t.app, &emily, a07, &tomorrow, "15:00", "17:00", "e-2").await;
    refused(&reply, 409, ErrorCode::SeatClosed);
    // The span's rules.
    for (date, start, end, status, code) in [
        (
            tomorrow.clone(),
            "14:30",
            "15:30",
            422,
            ErrorCode::NotOnSlots,
        ),
        (
            tomorrow.clone(),
            "09:00",
            "14:00",
            422,
            ErrorCode::BookingTooLong,
        ),
        (
            tomorrow.clone(),
            "20:00",
            "22:00",
            409,
            ErrorCode::RoomClosed,
        ),
        (t.date(12), "10:00", "11:00", 409, ErrorCode::RoomClosed),
        (t.date(8), "10:00", "11:00", 409, ErrorCode::BookingNotOpen),
        (t.date(0), "14:30", "15:30", 201, ErrorCode::Unknown),
    ] {
        let reply = book(
            &t.app,
            &emily,
            a03,
            &date,
            start,
            end,
            &format!("{date}{start}{end}"),
        )
        .await;
        if status == 201 {
            created(&reply);
        } else {
            let p = refused(&reply, status, code);
            if code == ErrorCode::BookingNotOpen {
                assert_eq!(p.opens_at, Some(format!("{}T07:00:00+08:00", t.date(1))));
            }
        }
    }
    // The daily limit (2 in this library): 陈晓明 has one tomorrow already.
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let b01 = seat(&t.app, "county-study", "B01").await;
    created(&book(&t.app, &chen, b01, &tomorrow, "16:00", "17:00", "c-1").await);
    let reply = book(&t.app, &chen, b01, &tomorrow, "18:00", "19:00", "c-2").await;
    refused(&reply, 409, ErrorCode::DailyBookingLimit);

    // The booking as a calendar file.
    let reply = call(
        &t.app,
        "GET",
        &format!("/api/me/bookings/{}.ics", b.id),
        None,
        &li,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/calendar"));
    let text = String::from_utf8(reply.body.clone()).unwrap();
    assert!(text.contains("DTSTART:20261201T060000Z\r\n"), "{text}");
    assert!(text.contains("DTEND:20261201T080000Z\r\n"));
    let reply = call(
        &t.app,
        "GET",
        &format!("/api/me/bookings/{}.ics", b.id),
        None,
        &emily,
    )
    .await;
    expect_problem(&reply, 404, ErrorCode::NotFound);
}

/// Patrons made for the concurrency test, signed in without Argon2 (a
/// session row per patron).
fn many_patrons(t: &TestApp, n: usize) -> Vec<Auth> {
    use yuelan_server::account::session::token_hash;
    t.state
        .db()
        .write(|tx| {
            let mut out = Vec::new();
            for i in 0..n {
                let card = format!("4413229{i:07}");
                let token = format!("token-{i}");
                tx.execute(
                    "INSERT INTO patrons (card_number, name, home_library_id) VALUES (?1, ?2, 'county')",
                    rusqlite::params![card, format!("读者{i}")],
                )?;
                tx.execute(
                    "INSERT INTO sessions (token_hash, card_number, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                    rusqlite::params![token_hash(&token), card, t.state.now()],
                )?;
                out.push(Auth::Bearer(token));
            }
            Ok::<_, yuelan_server::Error>(out)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_patrons_racing_for_one_seat_get_one_booking() {
    let t = TestApp::new();
    let who = many_patrons(&t, 200);
    let b02 = seat(&t.app, "county-study", "B02").await;
    let date = t.date(2);
    let mut tasks = Vec::new();
    for (i, auth) in who.into_iter().enumerate() {
        let app = t.app.clone();
        let date = date.clone();
        tasks.push(tokio::spawn(async move {
            book(
                &app,
                &auth,
                b02,
                &date,
                "10:00",
                "12:00",
                &format!("race-{i}"),
            )
            .await
            .status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, lost), (1, 199), "{statuses:?}");
    let rows: i64 = t
        .state
        .db()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM bookings WHERE seat_id = ?1",
                [b02],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_replays_of_one_key_book_once_and_answer_alike() {
    let t = TestApp::new();
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let c01 = seat(&t.app, "county-study", "C01").await;
    let date = t.date(2);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, li, date) = (t.app.clone(), li.clone(), date.clone());
        tasks.push(tokio::spawn(async move {
            book(&app, &li, c01, &date, "10:00", "11:00", "same-key").await
        }));
    }
    let mut bodies = Vec::new();
    for task in tasks {
        let reply = task.await.unwrap();
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        bodies.push(reply.body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(mine(&t.app, &li).await.upcoming.len(), 1);
}

#[tokio::test]
async fn the_database_refuses_overlapping_slots_whatever_the_code_does() {
    let t = TestApp::new();
    let err = t.state.db().with_conn(|c| {
        // 陈晓明's demo booking holds A02 tomorrow 10:00 to 12:00.
        let (booking, seat, slot): (i64, i64, i64) = c.query_row(
            "SELECT booking_id, seat_id, MIN(slot_start) FROM booking_slots",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        c.execute(
            "INSERT INTO booking_slots (booking_id, seat_id, card_number, slot_start) VALUES (?1, ?2, '44132200000002', ?3)",
            rusqlite::params![booking, seat, slot],
        )?;
        Ok(())
    });
    assert!(err.is_err(), "a second hold of one seat's quantum");
    let err = t.state.db().with_conn(|c| {
        c.execute(
            "INSERT INTO booking_slots (booking_id, seat_id, card_number, slot_start)
             SELECT booking_id, seat_id + 1, card_number, slot_start FROM booking_slots LIMIT 1",
            [],
        )?;
        Ok(())
    });
    assert!(err.is_err(), "one patron in two seats at once");
}

#[tokio::test]
async fn an_in_flight_key_answers_409_and_the_rate_limit_429() {
    let t = TestApp::new();
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let c02 = seat(&t.app, "county-study", "C02").await;
    let date = t.date(2);
    // A claim left by a request that is still running.
    let body = json!({"seat_id": c02, "date": date, "start": "10:00", "end": "11:00"});
    let hash = {
        use sha2::Digest;
        let req: yuelan_api::booking::CreateBooking = serde_json::from_value(body).unwrap();
        sha2::Sha256::digest(serde_json::to_vec(&req).unwrap()).to_vec()
    };
    t.state
        .db()
        .with_conn(|c| {
            c.execute(
                "INSERT INTO idempotency_keys (card_number, key, request_hash, created_at) VALUES (?1, 'busy', ?2, ?3)",
                rusqlite::params![LI.0, hash, t.state.now()],
            )?;
            Ok(())
        })
        .unwrap();
    let reply = book(&t.app, &li, c02, &date, "10:00", "11:00", "busy").await;
    refused(&reply, 409, ErrorCode::RequestInFlight);
    assert_eq!(reply.header("retry-after"), "1");
    // A minute later the claim is taken to be abandoned.
    t.clock.advance_minutes(2);
    created(&book(&t.app, &li, c02, &date, "10:00", "11:00", "busy").await);

    // Five requests at once, then one every ten seconds.
    for i in 0..4 {
        let reply = book(&t.app, &li, c02, &date, "12:00", "13:00", &format!("r{i}")).await;
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let reply = book(&t.app, &li, c02, &date, "12:00", "13:00", "r-over").await;
    refused(&reply, 429, ErrorCode::RateLimited);
    assert_eq!(reply.header("retry-after"), "10");
    // A replay of an answered key is not a new request.
    let replay = book(&t.app, &li, c02, &date, "12:00", "13:00", "r0").await;
    assert_ne!(replay.status, StatusCode::TOO_MANY_REQUESTS);
    t.clock.advance_seconds(10);
    let reply = book(&t.app, &li, c02, &date, "12:00", "13:00", "r-over").await;
    assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn check_in_leave_return_end_with_etags() {
    let t = TestApp::new();
    relax(&t);
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let m = mine(&t.app, &chen).await;
    // The demo: a booking tomorrow 10:00 to 12:00, and a past one.
    assert_eq!(m.upcoming.len(), 1);
    assert_eq!(m.past.len(), 1);
    assert_eq!(m.past[0].status, BookingStatus::Completed);
    let b = m.upcoming[0].clone();
    assert_eq!(b.date, t.date(1));
    assert_eq!(
        b.actions,
        [
            BookingAction::Cancel,
            BookingAction::CheckIn,
            BookingAction::Extend
        ]
    );

    // Tomorrow 09:40: too early, with when it opens.
    t.clock.advance_minutes(24 * 60 - 20);
    let reply = act(&t.app, &chen, b.id, "checkin", None).await;
    let p = refused(&reply, 409, ErrorCode::CheckinTooEarly);
    assert_eq!(p.opens_at.as_deref(), Some(b.checkin_opens_at.as_str()));
    // 09:50: by the seat's code.
    t.clock.advance_minutes(10);
    let reply = call(
        &t.app,
        "POST",
        "/api/me/checkin",
        Some(json!({"seat_code": b.seat_code})),
        &chen,
    )
    .await;
    let checked = ok_booking(&reply);
    assert_eq!(checked.status, BookingStatus::CheckedIn);
    // A stale If-Match is refused with the booking as it is.
    let tag = format!("\"{}\"", b.version);
    let reply = act(&t.app, &chen, b.id, "leave", Some(&tag)).await;
    let p = refused(&reply, 412, ErrorCode::PreconditionFailed);
    assert_eq!(
        p.booking.as_ref().map(|b| b.status),
        Some(BookingStatus::CheckedIn)
    );
    // 10:30: leave for 30 minutes, back at 10:50.
    t.clock.advance_minutes(40);
    let tag = format!("\"{}\"", checked.version);
    let left = ok_booking(&act(&t.app, &chen, b.id, "leave", Some(&tag)).await);
    assert_eq!(left.status, BookingStatus::OnLeave);
    assert_eq!(
        left.leave_until,
        Some(format!("{}T11:00:00+08:00", t.date(0)))
    );
    t.clock.advance_minutes(20);
    let back = ok_booking(&act(&t.app, &chen, b.id, "return", None).await);
    assert_eq!(back.status, BookingStatus::CheckedIn);
    // 11:40, over lunch: leave runs to the end (60 minutes, capped at 12:00).
    t.clock.advance_minutes(50);
    let left = ok_booking(&act(&t.app, &chen, b.id, "leave", None).await);
    assert_eq!(
        left.leave_until,
        Some(format!("{}T12:00:00+08:00", t.date(0)))
    );
    let back = ok_booking(&act(&t.app, &chen, b.id, "return", None).await);
    // End early: the rest of the seat's time is free.
    let ended = ok_booking(&act(&t.app, &chen, b.id, "end", None).await);
    assert_eq!(ended.status, BookingStatus::Completed);
    assert!(ended.version > back.version);
    let reply = act(&t.app, &chen, b.id, "cancel", None).await;
    refused(&reply, 409, ErrorCode::BookingNotChangeable);
    let m = mine(&t.app, &chen).await;
    assert!(m.upcoming.is_empty());
    assert_eq!(m.violations, 0);
}

#[tokio::test]
async fn no_shows_and_late_returns_are_released_and_three_suspend() {
    let t = TestApp::new();
    relax(&t);
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let today = t.date(0);
    let seats = [
        seat(&t.app, "shiwan-study", "B01").await,
        seat(&t.app, "huzhen-reading", "B01").await,
        seat(&t.app, "yuanzhou-group", "A01").await,
    ];
    // Tuesday: three no-shows in three rooms, the check-in window passes.
    t.clock.advance_days(1);
    let tuesday = t.date(0);
    assert_ne!(today, tuesday);
    let mut ids = Vec::new();
    for (i, s) in seats.iter().enumerate() {
        let start = format!("{}:00", 10 + 2 * i);
        let end = format!("{}:00", 12 + 2 * i);
        ids.push(
            created(&book(&t.app, &li, *s, &tuesday, &start, &end, &format!("n{i}")).await).id,
        );
    }
    // 10:14: still in the window; 10:15 released without a request of 李秀英.
    t.clock.advance_minutes(14);
    let a: Availability = get(
        &t.app,
        &format!("/api/rooms/shiwan-study/availability?date={tuesday}&start=10:00&end=11:00"),
    )
    .await
    .json();
    assert_eq!(
        a.seats
            .iter()
            .find(|s| s.seat_id == seats[0])
            .unwrap()
            .status,
        SeatStatus::Taken
    );
    t.clock.advance_minutes(1);
    let a: Availability = get(
        &t.app,
        &format!("/api/rooms/shiwan-study/availability?date={tuesday}&start=10:00&end=11:00"),
    )
    .await
    .json();
    assert_eq!(
        a.seats
            .iter()
            .find(|s| s.seat_id == seats[0])
            .unwrap()
            .status,
        SeatStatus::Free
    );
    // Another patron takes the released seat's next hour at once.
    created(&book(&t.app, &emily, seats[0], &tuesday, "11:00", "12:00", "e").await);
    t.clock.advance_minutes(4 * 60);
    let m = mine(&t.app, &li).await;
    assert_eq!(m.violations, 3);
    let until = t.date(6);
    assert_eq!(m.suspended_until.as_deref(), Some(until.as_str()));
    assert!(m.past.iter().all(|b| b.status == BookingStatus::NoShow));
    let reply = book(&t.app, &li, seats[1], &t.date(1), "10:00", "11:00", "after").await;
    let p = refused(&reply, 403, ErrorCode::BookingSuspended);
    assert_eq!(p.suspended_until.as_deref(), Some(until.as_str()));
    // The suspension ends after its last day.
    t.clock.advance_days(7);
    let m = mine(&t.app, &li).await;
    assert_eq!((m.suspended_until, m.violations), (None, 0));

    // A late return from leave is released and counted.
    let day = t.date(0);
    let b = created(&book(&t.app, &emily, seats[1], &day, "15:00", "17:00", "late").await);
    t.clock
        .set(yuelan_server::clock::local_instant(2026, 12, 8, 15, 0));
    assert_eq!(t.date(0), day);
    ok_booking(&act(&t.app, &emily, b.id, "checkin", None).await);
    ok_booking(&act(&t.app, &emily, b.id, "leave", None).await);
    t.clock.advance_minutes(31);
    let now: Booking = call(
        &t.app,
        "GET",
        &format!("/api/me/bookings/{}", b.id),
        None,
        &emily,
    )
    .await
    .json();
    assert_eq!(now.status, BookingStatus::LeaveOverrun);
    assert_eq!(mine(&t.app, &emily).await.violations, 1);
}

#[tokio::test]
async fn an_extension_needs_the_next_slot_free() {
    let t = TestApp::new();
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let s = seat(&t.app, "county-study", "C03").await;
    let date = t.date(1);
    let b = created(&book(&t.app, &li, s, &date, "10:00", "11:00", "x1").await);
    created(&book(&t.app, &emily, s, &date, "12:00", "13:00", "x2").await);
    let extend = |end: &str| {
        with_headers(
            "POST",
            &format!("/api/me/bookings/{}/extend", b.id),
            Some(json!({"end": end})),
            &li,
            &[],
        )
    };
    let longer = ok_booking(&send(&t.app, extend("12:00")).await);
    assert_eq!(longer.ends_at, format!("{date}T12:00:00+08:00"));
    refused(
        &send(&t.app, extend("13:00")).await,
        409,
        ErrorCode::SeatTaken,
    );
    refused(
        &send(&t.app, extend("12:30")).await,
        422,
        ErrorCode::NotOnSlots,
    );
    refused(
        &send(&t.app, extend("15:00")).await,
        422,
        ErrorCode::BookingTooLong,
    );
}

async fn join(t: &TestApp, date: &str, who: &Auth) -> Reply {
    call(
        &t.app,
        "POST",
        "/api/me/waitlist",
        Some(json!({"room_id": "yuanzhou-group", "date": date, "start": "14:00", "end": "15:00"})),
        who,
    )
    .await
}

#[tokio::test]
async fn a_freed_seat_is_offered_to_the_waitlist_in_order() {
    let t = TestApp::new();
    relax(&t);
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let date = t.date(1);
    // Fill the group room from 14:00 to 15:00 (its six seats): 李秀英 one,
    // five more patrons the rest.
    let d: RoomDetail = get(&t.app, "/api/rooms/yuanzhou-group").await.json();
    let others = many_patrons(&t, 5);
    let mut li_booking = None;
    for (i, s) in d.layout.seats.iter().enumerate() {
        let who = if i == 0 { &li } else { &others[i - 1] };
        let b = created(&book(&t.app, who, s.id, &date, "14:00", "15:00", &format!("g{i}")).await);
        if i == 0 {
            li_booking = Some(b);
        }
    }
    let first = join(&t, &date, &emily).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let first: WaitlistEntry = first.json();
    assert_eq!((first.status, first.position), (WaitlistStatus::Waiting, 1));
    refused(
        &join(&t, &date, &emily).await,
        409,
        ErrorCode::AlreadyWaiting,
    );
    let second: WaitlistEntry = join(&t, &date, &chen).await.json();
    assert_eq!(second.position, 2);
    // 李秀英 cancels: 陈晓明 waits, Emily gets the seat for ten minutes.
    let li_booking = li_booking.unwrap();
    ok_booking(&act(&t.app, &li, li_booking.id, "cancel", None).await);
    let m = mine(&t.app, &emily).await;
    let offer = m
        .upcoming
        .iter()
        .find(|b| b.status == BookingStatus::Offered)
        .expect("an offer");
    assert_eq!(
        offer.actions,
        [BookingAction::Accept, BookingAction::Decline]
    );
    assert_eq!(m.waitlist[0].status, WaitlistStatus::Offered);
    assert_eq!(m.waitlist[0].booking_id, Some(offer.id));
    // The seat is held meanwhile.
    let reply = book(&t.app, &li, offer.seat_id, &date, "14:00", "15:00", "back").await;
    refused(&reply, 409, ErrorCode::SeatTaken);
    // Ten minutes pass: the offer lapses and goes to 陈晓明, who accepts.
    t.clock.advance_minutes(10);
    let m = mine(&t.app, &emily).await;
    assert!(m.upcoming.iter().all(|b| b.id != offer.id));
    assert_eq!(
        m.past.iter().find(|b| b.id == offer.id).map(|b| b.status),
        Some(BookingStatus::Expired)
    );
    assert!(m.waitlist.is_empty());
    let m = mine(&t.app, &chen).await;
    let offer = m
        .upcoming
        .iter()
        .find(|b| b.status == BookingStatus::Offered)
        .expect("the next offer");
    let accepted = ok_booking(&act(&t.app, &chen, offer.id, "accept", None).await);
    assert_eq!(accepted.status, BookingStatus::Booked);
    assert!(mine(&t.app, &chen).await.waitlist.is_empty());
    // A room with free seats has no waitlist.
    let reply = call(
        &t.app,
        "POST",
        "/api/me/waitlist",
        Some(json!({"room_id": "yuanzhou-group", "date": date, "start": "16:00", "end": "17:00"})),
        &emily,
    )
    .await;
    refused(&reply, 409, ErrorCode::SeatsAvailable);
}

#[tokio::test]
async fn seat_changes_are_pushed_live() {
    let t = TestApp::new();
    let li = sign_in(&t.app, LI.0, LI.1).await;
    let s = seat(&t.app, "county-study", "C04").await;
    let res = t
        .app
        .clone()
        .oneshot(
            Request::get("/api/rooms/county-study/events")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = res.into_body();
    let date = t.date(1);
    let b = created(&book(&t.app, &li, s, &date, "10:00", "11:00", "live").await);
    let frame = tokio::time::timeout(Duration::from_secs(1), body.frame())
        .await
        .expect("an event within a second")
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.starts_with("event: seat\n"), "{text}");
    let data = text.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let change: SeatChange = serde_json::from_str(data).unwrap();
    assert_eq!((change.seat_id, change.status), (s, SeatStatus::Taken));
    assert_eq!(change.starts_at, b.starts_at);
    ok_booking(&act(&t.app, &li, b.id, "cancel", None).await);
    let frame = tokio::time::timeout(Duration::from_secs(1), body.frame())
        .await
        .expect("an event within a second")
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("\"status\":\"free\""), "{text}");
    let reply = get(&t.app, "/api/rooms/nowhere/events").await;
    expect_problem(&reply, 404, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_staff_page_prints_every_seats_check_in_link() {
    let t = TestApp::new();
    let req = Request::get("/api/staff/seat-codes?room=county-study")
        .header("host", "lib.example.cn")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let reply = send(&t.app, req).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/html"));
    let html = String::from_utf8(reply.body.clone()).unwrap();
    let d: RoomDetail = get(&t.app, "/api/rooms/county-study").await.json();
    assert_eq!(html.matches("<svg").count(), d.layout.seats.len());
    for s in &d.layout.seats {
        assert!(html.contains(&format!(">{}</div>", s.code)), "{}", s.label);
    }
    assert!(!html.contains("<script") && !html.contains("style="));
    assert!(html.contains("/api/staff/seat-codes.css"));
    // The QR code says the seat's link: decode the first one.
    let svg_start = html.find("<svg").unwrap();
    let path = &html[svg_start..];
    let d_attr = path
        .split("<path d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let size: usize = path
        .split("viewBox=\"0 0 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut dark = vec![false; size * size];
    for cell in d_attr.split('M').filter(|c| !c.is_empty()) {
        let xy: Vec<usize> = cell
            .split('h')
            .next()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        dark[xy[1] * size + xy[0]] = true;
    }
    let first_code = &d.layout.seats[0].code;
    assert_eq!(
        decode_qr(&dark, size),
        format!("https://lib.example.cn/booking/checkin/{first_code}")
    );
    let css = get(&t.app, "/api/staff/seat-codes.css").await;
    assert!(css.header("content-type").starts_with("text/css"));
}

/// Decodes a QR code from its module matrix (scaled up for the decoder).
fn decode_qr(dark: &[bool], size: usize) -> String {
    let scale = 4;
    let img = rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
        if dark[(y / scale) * size + x / scale] {
            0
        } else {
            255
        }
    });
    let mut grids = img;
    let grids = grids.detect_grids();
    let (_, content) = grids[0].decode().unwrap();
    content
}
