//! Reading rooms without sign-in: the room list, a room's seat map and
//! rules, and availability with its ETag, on a manual clock standing at
//! Monday 2026-11-30 10:00 (the county library opens at 14:30 on Mondays).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use yuelan_api::ErrorCode;
use yuelan_api::booking::{Availability, RoomDetail, RoomKind, RoomList, SeatStatus, ShapeKind};

#[tokio::test]
async fn rooms_are_listed_per_library_with_hours_today() {
    let t = TestApp::new();
    let all: RoomList = get(&t.app, "/api/rooms").await.json();
    let libraries: Vec<&str> = all.rooms.iter().map(|r| r.library_id.as_str()).collect();
    for lib in [
        "county",
        "br-shiwan",
        "br-yuanzhou",
        "br-huzhen",
        "vc-tangxia",
    ] {
        assert!(libraries.contains(&lib), "{lib}");
    }
    let kinds: Vec<RoomKind> = all.rooms.iter().map(|r| r.kind).collect();
    for kind in [
        RoomKind::QuietStudy,
        RoomKind::Children,
        RoomKind::EReading,
        RoomKind::Group,
    ] {
        assert!(kinds.contains(&kind), "{kind:?}");
    }
    let county: RoomList = get(&t.app, "/api/rooms?library=county").await.json();
    assert_eq!(county.rooms.len(), 3);
    let study = &county.rooms[0];
    assert_eq!(study.id, "county-study");
    // Monday 10:00: the county opens at 14:30.
    assert!(!study.open_now);
    assert_eq!(study.seats_free_now, 0);
    let hours = study.hours_today.as_ref().expect("open on Mondays");
    assert_eq!(
        (hours.start.as_str(), hours.end.as_str()),
        ("14:30", "17:30")
    );
    // Huzhen is closed on Mondays.
    let huzhen: RoomList = get(&t.app, "/api/rooms?library=br-huzhen").await.json();
    assert_eq!(huzhen.rooms[0].hours_today, None);
    // Tuesday 10:00: open, two seats closed by staff and 陈晓明's demo
    // booking under way.
    t.clock.advance_days(1);
    let county: RoomList = get(&t.app, "/api/rooms?library=county").await.json();
    let study = &county.rooms[0];
    assert!(study.open_now);
    assert_eq!(study.seats_free_now, study.seats_total - 3);
    let none: RoomList = get(&t.app, "/api/rooms?library=nowhere").await.json();
    assert!(none.rooms.is_empty());
}

#[tokio::test]
async fn a_room_has_a_seat_map_rules_and_closed_days() {
    let t = TestApp::new();
    let d: RoomDetail = get(&t.app, "/api/rooms/county-study").await.json();
    assert_eq!(d.library_name.zh, "博罗县图书馆");
    assert_eq!(d.rules.slot_minutes, 60);
    assert_eq!(d.rules.days_ahead, 7);
    assert_eq!(d.rules.checkin_before_minutes, 15);
    assert_eq!(d.rules.checkin_after_minutes, 15);
    assert_eq!(d.rules.leave_minutes, 30);
    assert_eq!(d.rules.meal_leave_minutes, 60);
    assert_eq!(d.rules.meal_times.len(), 2);
    assert_eq!(d.rules.violation_limit, 3);
    assert_eq!(d.closed_days.len(), 1);
    assert_eq!(d.closed_days[0].date, t.date(12));
    let seats = &d.layout.seats;
    assert!(seats.len() > 30);
    assert!(seats.iter().any(|s| s.window));
    assert!(seats.iter().any(|s| s.power));
    assert!(seats.iter().any(|s| s.quiet));
    assert!(seats.iter().any(|s| s.accessible));
    assert_eq!(seats.iter().filter(|s| s.closed).count(), 2);
    for kind in [ShapeKind::Table, ShapeKind::Window, ShapeKind::Carrel] {
        assert!(d.layout.shapes.iter().any(|s| s.kind == kind), "{kind:?}");
    }
    for s in seats {
        assert!(s.x > 0 && s.x < d.layout.width && s.y > 0 && s.y < d.layout.height);
    }
    let reply = get(&t.app, "/api/rooms/nowhere").await;
    expect_problem(&reply, 404, ErrorCode::NotFound);
}

#[tokio::test]
async fn availability_shows_every_seat_and_the_days_slots() {
    let t = TestApp::new();
    let tomorrow = t.date(1);
    let a: Availability = get(
        &t.app,
        &format!("/api/rooms/county-study/availability?date={tomorrow}&start=10:00&end=12:00"),
    )
    .await
    .json();
    assert_eq!(a.refusal, None);
    assert_eq!(a.slots.len(), 12, "09:00 to 21:00 in hours");
    assert!(a.slots.iter().all(|s| s.bookable));
    let closed = a
        .seats
        .iter()
        .filter(|s| s.status == SeatStatus::Closed)
        .count();
    let taken = a
        .seats
        .iter()
        .filter(|s| s.status == SeatStatus::Taken)
        .count();
    assert_eq!(closed, 2);
    // 陈晓明's demo booking tomorrow is 10:00 to 12:00.
    assert_eq!(taken, 1);
    assert_eq!(a.free as usize, a.seats.len() - 3);
    let ten = a.slots.iter().find(|s| s.start == "10:00").unwrap();
    assert_eq!(ten.free, a.free);

    // Refusals are told, not failed.
    for (query, code) in [
        (
            format!("date={tomorrow}&start=10:30&end=11:30"),
            ErrorCode::NotOnSlots,
        ),
        (
            format!("date={tomorrow}&start=08:00&end=10:00"),
            ErrorCode::RoomClosed,
        ),
        (
            format!("date={}&start=10:00&end=11:00", t.date(9)),
            ErrorCode::BookingNotOpen,
        ),
        (
            format!("date={}&start=10:00&end=11:00", t.date(12)),
            ErrorCode::RoomClosed,
        ),
        (
            format!("date={}&start=09:00&end=10:00", t.date(-1)),
            ErrorCode::BookingInPast,
        ),
        (
            format!("date={tomorrow}&start=09:00&end=14:00"),
            ErrorCode::BookingTooLong,
        ),
    ] {
        let a: Availability = get(
            &t.app,
            &format!("/api/rooms/county-study/availability?{query}"),
        )
        .await
        .json();
        assert_eq!(a.refusal, Some(code), "{query}");
    }
    for query in [
        "date=2026-13-01",
        "start=10:00",
        "start=10:00&end=09:00",
        "start=1000&end=1100",
    ] {
        let reply = get(
            &t.app,
            &format!("/api/rooms/county-study/availability?{query}"),
        )
        .await;
        expect_problem(&reply, 422, ErrorCode::ValidationFailed);
    }
}

#[tokio::test]
async fn a_poll_with_the_etag_is_304_until_something_changes() {
    let t = TestApp::new();
    let uri = format!(
        "/api/rooms/county-study/availability?date={}&start=10:00&end=11:00",
        t.date(1)
    );
    let first = get(&t.app, &uri).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with('"'));
    let poll = |tag: String| {
        Request::get(uri.as_str())
            .header("if-none-match", tag)
            .body(Body::empty())
            .unwrap()
    };
    let again = send(&t.app, poll(etag.clone())).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // A change of the room (staff closes a seat) changes the tag.
    t.state
        .db()
        .with_conn(|c| {
            c.execute(
                "UPDATE reading_rooms SET version = version + 1 WHERE id = 'county-study'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let changed = send(&t.app, poll(etag.clone())).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.header("etag"), etag);
}
