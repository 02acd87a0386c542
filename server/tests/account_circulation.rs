//! Holds, loans and renewals, favourite lists, rules and library services,
//! through `oneshot` with a manual clock, on the demo circulation of the
//! seed.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use yuelan_api::account::{
    Account, CirculationRules, FavouriteList, FavouriteLists, Hold, HoldStatus, Loan, RenewResults,
    SharedList,
};
use yuelan_api::{ErrorCode, ItemStatus, LibraryList, RecordDetail, Service};

async fn account(t: &TestApp, who: &Auth) -> Account {
    let reply = call(&t.app, "GET", "/api/me", None, who).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

async fn record(t: &TestApp, id: i64) -> RecordDetail {
    get(&t.app, &format!("/api/records/{id}")).await.json()
}

fn loan<'a>(a: &'a Account, title: &str) -> &'a Loan {
    a.loans
        .iter()
        .find(|l| l.title == title)
        .unwrap_or_else(|| panic!("no loan {title}"))
}

fn hold<'a>(a: &'a Account, title: &str) -> &'a Hold {
    a.holds
        .iter()
        .find(|h| h.title == title)
        .unwrap_or_else(|| panic!("no hold {title}"))
}

async fn place(t: &TestApp, who: &Auth, record_id: i64, pickup: &str) -> common::Reply {
    call(
        &t.app,
        "POST",
        "/api/me/holds",
        Some(json!({"record_id": record_id, "pickup_library_id": pickup})),
        who,
    )
    .await
}

async fn renew(t: &TestApp, who: &Auth, l: &Loan) -> common::Reply {
    call(
        &t.app,
        "POST",
        &format!("/api/me/loans/{}/renew", l.id),
        Some(json!({"due_date": l.due_date})),
        who,
    )
    .await
}

fn set_rule(t: &TestApp, name: &str, value: i64) {
    t.state
        .db()
        .with_conn(|c| {
            let n = c.execute(
                "UPDATE circulation_rules SET value = ?2 WHERE name = ?1",
                rusqlite::params![name, value],
            )?;
            assert_eq!(n, 1, "{name}");
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn the_demo_accounts_are_as_the_readme_says() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    let loans: Vec<(&str, i32, u32, Option<ErrorCode>)> = a
        .loans
        .iter()
        .map(|l| (l.title.as_str(), l.days_left, l.renewals, l.renew_block))
        .collect();
    assert_eq!(
        loans,
        [
            ("白夜行", -5, 0, None),
            ("三体", 2, 0, None),
            ("平凡的世界", 9, 0, Some(ErrorCode::HeldForAnother)),
            ("万历十五年", 16, 2, Some(ErrorCode::RenewalLimitReached)),
            ("舌尖上的中国", 23, 1, None),
        ],
        "soonest due first"
    );
    assert_eq!(loan(&a, "三体").due_date, t.date(2));
    assert_eq!(loan(&a, "三体").renewals_left, 2);
    assert_eq!(loan(&a, "万历十五年").renewals_left, 0);
    let holds: Vec<(&str, HoldStatus, u32, &str)> = a
        .holds
        .iter()
        .map(|h| {
            (
                h.title.as_str(),
                h.status,
                h.queue_position,
                h.pickup_library_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        holds,
        [
            ("小王子", HoldStatus::Ready, 0, "vc-xiangang"),
            ("解忧杂货店", HoldStatus::InTransit, 0, "county"),
            ("繁花", HoldStatus::Suspended, 1, "county"),
            ("人类简史", HoldStatus::Waiting, 2, "county"),
        ],
        "ready, then in transit, then by queue position"
    );
    assert_eq!(hold(&a, "小王子").pickup_by, Some(t.date(5)));
    assert_eq!(hold(&a, "繁花").suspended_until, Some(t.date(20)));
    assert_eq!(hold(&a, "人类简史").queue_length, 3);

    // The copies agree: loans on loan with the same due date, the ready
    // hold's copy on the pickup library's hold shelf.
    for l in &a.loans {
        let r = record(&t, l.record_id).await;
        let copy = r.holdings.iter().find(|h| h.barcode == l.barcode).unwrap();
        assert_eq!(copy.status, ItemStatus::OnLoan, "{}", l.title);
        assert_eq!(copy.due_date.as_deref(), Some(l.due_date.as_str()));
        assert_eq!(copy.library_id, l.library_id);
    }
    let ready = hold(&a, "小王子");
    let r = record(&t, ready.record_id).await;
    assert!(
        r.holdings
            .iter()
            .any(|h| h.library_id == "vc-xiangang" && h.status == ItemStatus::OnHoldShelf)
    );
    let transit = hold(&a, "解忧杂货店");
    assert!(
        record(&t, transit.record_id)
            .await
            .holdings
            .iter()
            .any(|h| h.status == ItemStatus::InTransit)
    );

    let li = sign_in(&t.app, LI.0, LI.1).await;
    let a = account(&t, &li).await;
    assert_eq!(a.loans.len(), 1);
    assert_eq!(
        (a.loans[0].title.as_str(), a.loans[0].days_left),
        ("唐诗三百首", 2)
    );
    assert_eq!(a.holds.len(), 1);
    assert_eq!(
        (a.holds[0].status, a.holds[0].pickup_library_id.as_str()),
        (HoldStatus::Ready, "br-shiwan")
    );
    assert!(a.patron.elder_mode);

    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let a = account(&t, &emily).await;
    let titles: Vec<&str> = a.loans.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, ["The Three-Body Problem", "Wild Swans"]);
    assert_eq!(a.holds.len(), 1);
    assert_eq!(
        (
            a.holds[0].title.as_str(),
            a.holds[0].status,
            a.holds[0].queue_position
        ),
        ("Educated", HoldStatus::Waiting, 1)
    );

    let wang = sign_in(&t.app, WANG.0, WANG.1).await;
    let a = account(&t, &wang).await;
    assert_eq!(a.loans.len(), 1);
    assert_eq!(a.loans[0].days_left, -40);
    assert_eq!(a.loans[0].renew_block, Some(ErrorCode::PatronBlocked));
}

#[tokio::test]
async fn holds_are_refused_in_order_each_with_its_code() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let huozhe = record_by_isbn(&t.app, "9787506365437").await;

    expect_problem(
        &place(&t, &chen, 999_999, "county").await,
        404,
        ErrorCode::NotFound,
    );
    // The record is checked before the library.
    expect_problem(
        &place(&t, &chen, 999_999, "nowhere").await,
        404,
        ErrorCode::NotFound,
    );
    expect_problem(
        &place(&t, &chen, huozhe, "nowhere").await,
        422,
        ErrorCode::NotPickupPoint,
    );
    expect_problem(
        &place(&t, &chen, huozhe, "vc-jingshuilong").await,
        422,
        ErrorCode::NotPickupPoint,
    );

    // Blocked comes before the shelf check.
    let wang = sign_in(&t.app, WANG.0, WANG.1).await;
    expect_problem(
        &place(&t, &wang, huozhe, "county").await,
        403,
        ErrorCode::PatronBlocked,
    );
    expect_problem(
        &place(&t, &wang, huozhe, "vc-tiechang").await,
        403,
        ErrorCode::PatronBlocked,
    );

    // On the shelf at the pickup library: those copies, and no hold.
    let reply = place(&t, &chen, huozhe, "county").await;
    let p = expect_problem(&reply, 409, ErrorCode::OnShelfAtPickup);
    let expected: Vec<_> = record(&t, huozhe)
        .await
        .holdings
        .into_iter()
        .filter(|h| h.library_id == "county" && h.status == ItemStatus::OnShelf)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(p.on_shelf, expected);
    assert_eq!(account(&t, &chen).await.holds.len(), 4);

    // Already held (人类简史 has no copy on the shelf anywhere).
    let a = account(&t, &chen).await;
    let held = hold(&a, "人类简史").record_id;
    expect_problem(
        &place(&t, &chen, held, "br-shiwan").await,
        409,
        ErrorCode::DuplicateHold,
    );

    // Up to the limit of 10 active holds: titles with no copy on the
    // shelf at 铁场村.
    let mut placed = 0;
    let mut id = 1;
    while placed < 6 {
        let r = record(&t, id).await;
        let free = !r
            .holdings
            .iter()
            .any(|h| h.library_id == "vc-tiechang" && h.status == ItemStatus::OnShelf);
        if free && !a.holds.iter().any(|h| h.record_id == id) {
            let reply = place(&t, &chen, id, "vc-tiechang").await;
            assert_eq!(
                reply.status,
                StatusCode::CREATED,
                "{}",
                String::from_utf8_lossy(&reply.body)
            );
            placed += 1;
        }
        id += 1;
    }
    assert_eq!(account(&t, &chen).await.holds.len(), 10);
    expect_problem(
        &place(&t, &chen, huozhe, "vc-tiechang").await,
        409,
        ErrorCode::HoldLimitReached,
    );
    // A duplicate is named as such even at the limit.
    expect_problem(
        &place(&t, &chen, held, "vc-tiechang").await,
        409,
        ErrorCode::DuplicateHold,
    );

    // A title without copies cannot be held.
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    t.state
        .db()
        .with_conn(|c| Ok(c.execute("DELETE FROM items WHERE record_id = 1", [])?))
        .unwrap();
    expect_problem(
        &place(&t, &emily, 1, "vc-tiechang").await,
        409,
        ErrorCode::NotHoldable,
    );
    // Malformed bodies.
    let reply = call(
        &t.app,
        "POST",
        "/api/me/holds",
        Some(json!({"record_id": "52", "pickup_library_id": "county"})),
        &emily,
    )
    .await;
    let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
    assert_eq!(p.errors[0].field, "record_id");
    let reply = call(
        &t.app,
        "POST",
        "/api/me/holds",
        Some(json!({"record_id": 52})),
        &emily,
    )
    .await;
    let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("pickup_library_id", "required")
    );
}

#[tokio::test]
async fn new_holds_queue_behind_earlier_ones() {
    let t = TestApp::new();
    let huozhe = record_by_isbn(&t.app, "9787506365437").await;
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let li = sign_in(&t.app, LI.0, LI.1).await;

    let reply = place(&t, &chen, huozhe, "vc-tiechang").await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let h: Hold = reply.json();
    assert_eq!(reply.header("location"), format!("/api/me/holds/{}", h.id));
    assert_eq!(
        (h.status, h.queue_position, h.queue_length),
        (HoldStatus::Waiting, 1, 1)
    );
    assert_eq!(h.placed_on, t.date(0));
    assert_eq!(h.title, "活着");

    t.clock.advance_minutes(1);
    let e: Hold = place(&t, &emily, huozhe, "vc-tiechang").await.json();
    assert_eq!((e.queue_position, e.queue_length), (2, 2));
    t.clock.advance_minutes(1);
    let l: Hold = place(&t, &li, huozhe, "br-huzhen").await.json();
    assert_eq!((l.queue_position, l.queue_length), (3, 3));
    assert_eq!(hold(&account(&t, &chen).await, "活着").queue_length, 3);

    // A suspended hold keeps its place.
    let reply = call(
        &t.app,
        "POST",
        &format!("/api/me/holds/{}/suspend", e.id),
        Some(json!({"until": t.date(10)})),
        &emily,
    )
    .await;
    assert_eq!(reply.json::<Hold>().queue_position, 2);
    // The first one leaves: the others move up.
    assert_eq!(
        call(
            &t.app,
            "DELETE",
            &format!("/api/me/holds/{}", h.id),
            None,
            &chen
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(hold(&account(&t, &emily).await, "活着").queue_position, 1);
    assert_eq!(hold(&account(&t, &li).await, "活着").queue_position, 2);
    // The placed hold blocks a renewal by someone who has the title: the
    // seed's 平凡的世界 queue does the same for 陈晓明 (see the demo test).
}

#[tokio::test]
async fn pickup_changes_while_the_hold_waits_only() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    let waiting = hold(&a, "人类简史");
    let uri = format!("/api/me/holds/{}", waiting.id);
    let reply = call(
        &t.app,
        "PATCH",
        &uri,
        Some(json!({"pickup_library_id": "vc-tangxia"})),
        &chen,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let h: Hold = reply.json();
    assert_eq!(h.pickup_library_id, "vc-tangxia");
    assert_eq!(h.queue_position, 2, "the place in the queue stays");
    let reply = call(
        &t.app,
        "PATCH",
        &uri,
        Some(json!({"pickup_library_id": "vc-jingshuilong"})),
        &chen,
    )
    .await;
    expect_problem(&reply, 422, ErrorCode::NotPickupPoint);
    // The suspended one can move too.
    let suspended = hold(&a, "繁花");
    let reply = call(
        &t.app,
        "PATCH",
        &format!("/api/me/holds/{}", suspended.id),
        Some(json!({"pickup_library_id": "br-shiwan"})),
        &chen,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    for title in ["小王子", "解忧杂货店"] {
        let h = hold(&a, title);
        let reply = call(
            &t.app,
            "PATCH",
            &format!("/api/me/holds/{}", h.id),
            Some(json!({"pickup_library_id": "br-shiwan"})),
            &chen,
        )
        .await;
        expect_problem(&reply, 409, ErrorCode::HoldNotChangeable);
    }
    assert_eq!(
        hold(&account(&t, &chen).await, "小王子").pickup_library_id,
        "vc-xiangang"
    );
}

#[tokio::test]
async fn holds_suspend_and_resume_by_hand_or_when_the_date_passes() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    let waiting = hold(&a, "人类简史");
    let suspend_uri = format!("/api/me/holds/{}/suspend", waiting.id);
    let resume_uri = format!("/api/me/holds/{}/resume", waiting.id);

    for (until, code) in [
        (t.date(0), "out_of_range"),
        (t.date(-3), "out_of_range"),
        (t.date(181), "out_of_range"),
        ("2026-02-30".to_owned(), "format"),
        ("next week".to_owned(), "format"),
    ] {
        let reply = call(
            &t.app,
            "POST",
            &suspend_uri,
            Some(json!({"until": until})),
            &chen,
        )
        .await;
        let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            ("until", code),
            "{until}"
        );
    }
    let reply = call(
        &t.app,
        "POST",
        &suspend_uri,
        Some(json!({"until": t.date(180)})),
        &chen,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let reply = call(
        &t.app,
        "POST",
        &suspend_uri,
        Some(json!({"until": t.date(2)})),
        &chen,
    )
    .await;
    let h: Hold = reply.json();
    assert_eq!(
        (h.status, h.suspended_until.clone()),
        (HoldStatus::Suspended, Some(t.date(2)))
    );

    // Still suspended on its last day, waiting again the day after (each
    // day in a new session).
    t.clock.advance_days(2);
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    assert_eq!(
        hold(&account(&t, &chen).await, "人类简史").status,
        HoldStatus::Suspended
    );
    t.clock.advance_days(1);
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let h = hold(&account(&t, &chen).await, "人类简史").clone();
    assert_eq!((h.status, h.suspended_until), (HoldStatus::Waiting, None));
    assert_eq!(h.queue_position, 2);

    // Suspend again, resume by hand.
    let until = t.date(10);
    call(
        &t.app,
        "POST",
        &suspend_uri,
        Some(json!({"until": until})),
        &chen,
    )
    .await;
    let reply = call(&t.app, "POST", &resume_uri, None, &chen).await;
    let h: Hold = reply.json();
    assert_eq!((h.status, h.suspended_until), (HoldStatus::Waiting, None));

    // A ready or in-transit hold cannot be suspended or resumed.
    for title in ["小王子", "解忧杂货店"] {
        let id = hold(&a, title).id;
        let reply = call(
            &t.app,
            "POST",
            &format!("/api/me/holds/{id}/suspend"),
            Some(json!({"until": t.date(5)})),
            &chen,
        )
        .await;
        expect_problem(&reply, 409, ErrorCode::HoldNotChangeable);
        let reply = call(
            &t.app,
            "POST",
            &format!("/api/me/holds/{id}/resume"),
            None,
            &chen,
        )
        .await;
        expect_problem(&reply, 409, ErrorCode::HoldNotChangeable);
    }
}

#[tokio::test]
async fn cancelling_a_ready_hold_puts_its_copy_back_on_the_shelf() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let ready = hold(&account(&t, &chen).await, "小王子").clone();
    let query = format!("q={}&branch=vc-xiangang&available=true", enc("小王子"));
    assert_eq!(search_raw(&t.app, &query).await.total, 0);

    let uri = format!("/api/me/holds/{}", ready.id);
    assert_eq!(
        call(&t.app, "DELETE", &uri, None, &chen).await.status,
        StatusCode::NO_CONTENT
    );
    let r = record(&t, ready.record_id).await;
    assert!(
        r.holdings
            .iter()
            .any(|h| h.library_id == "vc-xiangang" && h.status == ItemStatus::OnShelf)
    );
    assert!(
        !r.holdings
            .iter()
            .any(|h| h.status == ItemStatus::OnHoldShelf && h.library_id == "vc-xiangang")
    );
    assert_eq!(
        search_raw(&t.app, &query).await.total,
        1,
        "the index was refreshed"
    );
    assert!(
        account(&t, &chen)
            .await
            .holds
            .iter()
            .all(|h| h.id != ready.id)
    );
    expect_problem(
        &call(&t.app, "DELETE", &uri, None, &chen).await,
        404,
        ErrorCode::NotFound,
    );

    // A waiting hold is simply gone.
    let waiting = hold(&account(&t, &chen).await, "人类简史").id;
    assert_eq!(
        call(
            &t.app,
            "DELETE",
            &format!("/api/me/holds/{waiting}"),
            None,
            &chen
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(account(&t, &chen).await.holds.len(), 2);
}

#[tokio::test]
async fn other_patrons_holds_loans_and_lists_are_not_found() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let hers = account(&t, &emily).await;
    let her_hold = hers.holds[0].id;
    let her_loan = &hers.loans[0];
    let his_lists: FavouriteLists = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    let his_list = his_lists.lists[0].id;

    let cases = [
        (
            "PATCH",
            format!("/api/me/holds/{her_hold}"),
            Some(json!({"pickup_library_id": "county"})),
        ),
        (
            "POST",
            format!("/api/me/holds/{her_hold}/suspend"),
            Some(json!({"until": t.date(3)})),
        ),
        ("POST", format!("/api/me/holds/{her_hold}/resume"), None),
        ("DELETE", format!("/api/me/holds/{her_hold}"), None),
        (
            "POST",
            format!("/api/me/loans/{}/renew", her_loan.id),
            Some(json!({"due_date": her_loan.due_date})),
        ),
    ];
    for (method, uri, body) in cases {
        let reply = call(&t.app, method, &uri, body, &chen).await;
        let p = expect_problem(&reply, 404, ErrorCode::NotFound);
        assert!(!p.detail.unwrap_or_default().contains("Emily"));
    }
    let list_cases = [
        (
            "PATCH",
            format!("/api/me/lists/{his_list}"),
            Some(json!({"name": "mine"})),
        ),
        ("DELETE", format!("/api/me/lists/{his_list}"), None),
        ("PUT", format!("/api/me/lists/{his_list}/entries/52"), None),
        (
            "DELETE",
            format!("/api/me/lists/{his_list}/entries/52"),
            None,
        ),
    ];
    for (method, uri, body) in list_cases {
        expect_problem(
            &call(&t.app, method, &uri, body, &emily).await,
            404,
            ErrorCode::NotFound,
        );
    }
    // Nothing changed.
    assert_eq!(account(&t, &emily).await, hers);
    let after: FavouriteLists = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    assert_eq!(after, his_lists);
}

#[tokio::test]
async fn malformed_ids_are_422_and_unknown_ones_404() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let cases = [
        (
            "PATCH",
            "/api/me/holds/abc",
            Some(json!({"pickup_library_id": "county"})),
            "id",
        ),
        ("DELETE", "/api/me/holds/1.5", None, "id"),
        ("POST", "/api/me/holds/x/resume", None, "id"),
        (
            "POST",
            "/api/me/loans/99999999999999999999/renew",
            Some(json!({"due_date": "2026-12-01"})),
            "id",
        ),
        (
            "PATCH",
            "/api/me/lists/one",
            Some(json!({"name": "x"})),
            "id",
        ),
        ("PUT", "/api/me/lists/1/entries/abc", None, "record_id"),
        ("DELETE", "/api/me/lists/x/entries/1", None, "id"),
    ];
    for (method, uri, body, field) in cases {
        let reply = call(&t.app, method, uri, body, &chen).await;
        let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
        assert_eq!(p.errors[0].field, field, "{method} {uri}");
    }
    expect_problem(
        &call(&t.app, "DELETE", "/api/me/holds/999999", None, &chen).await,
        404,
        ErrorCode::NotFound,
    );
    expect_problem(
        &get(&t.app, "/api/lists/%FF").await,
        400,
        ErrorCode::BadRequest,
    );
}

#[tokio::test]
async fn renewals_extend_the_loan_and_its_copy() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;

    let santi = loan(&a, "三体").clone();
    let reply = renew(&t, &chen, &santi).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let renewed: Loan = reply.json();
    assert_eq!(renewed.due_date, t.date(32), "30 days from the due date");
    assert_eq!(
        (renewed.renewals, renewed.renewals_left, renewed.days_left),
        (1, 1, 32)
    );
    let copy = record(&t, santi.record_id)
        .await
        .holdings
        .into_iter()
        .find(|h| h.barcode == santi.barcode)
        .unwrap();
    assert_eq!(copy.due_date, Some(t.date(32)));
    // The same request again: the loan moved on meanwhile.
    expect_problem(
        &renew(&t, &chen, &santi).await,
        409,
        ErrorCode::AlreadyRenewed,
    );
    // With the new due date, the second renewal is fine, then the limit.
    let second: Loan = renew(&t, &chen, &renewed).await.json();
    assert_eq!(
        (second.due_date.clone(), second.renewals_left),
        (t.date(62), 0)
    );
    assert_eq!(second.renew_block, Some(ErrorCode::RenewalLimitReached));
    expect_problem(
        &renew(&t, &chen, &second).await,
        409,
        ErrorCode::RenewalLimitReached,
    );

    // An overdue loan renews from today.
    let overdue = loan(&a, "白夜行").clone();
    let renewed: Loan = renew(&t, &chen, &overdue).await.json();
    assert_eq!(renewed.due_date, t.date(30));

    expect_problem(
        &renew(&t, &chen, loan(&a, "万历十五年")).await,
        409,
        ErrorCode::RenewalLimitReached,
    );
    expect_problem(
        &renew(&t, &chen, loan(&a, "平凡的世界")).await,
        409,
        ErrorCode::HeldForAnother,
    );

    // A blocked patron renews nothing.
    let wang = sign_in(&t.app, WANG.0, WANG.1).await;
    let his = account(&t, &wang).await;
    expect_problem(
        &renew(&t, &wang, &his.loans[0]).await,
        403,
        ErrorCode::PatronBlocked,
    );

    // A malformed date.
    let reply = call(
        &t.app,
        "POST",
        &format!("/api/me/loans/{}/renew", overdue.id),
        Some(json!({"due_date": "soon"})),
        &chen,
    )
    .await;
    let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
    assert_eq!(p.errors[0].field, "due_date");
}

#[tokio::test]
async fn loans_overdue_by_more_than_30_days_cannot_be_renewed() {
    let t = TestApp::new();
    // 白夜行 was 5 days overdue: 25 days later it is 30 days overdue.
    t.clock.advance_days(25);
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    assert_eq!(loan(&a, "白夜行").days_left, -30);
    assert_eq!(loan(&a, "白夜行").renew_block, None);
    t.clock.advance_days(1);
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    let late = loan(&a, "白夜行");
    assert_eq!(
        (late.days_left, late.renew_block),
        (-31, Some(ErrorCode::TooOverdue))
    );
    expect_problem(&renew(&t, &chen, late).await, 409, ErrorCode::TooOverdue);
}

#[tokio::test]
async fn the_rules_table_drives_the_rules() {
    let t = TestApp::new();
    let rules: CirculationRules = get(&t.app, "/api/rules").await.json();
    assert_eq!(
        rules,
        CirculationRules {
            loan_days: 30,
            renewal_days: 30,
            max_renewals: 2,
            max_overdue_days_to_renew: 30,
            max_active_holds: 10,
            hold_pickup_days: 7,
            max_suspend_days: 180,
            lockout_failures: 5,
            lockout_minutes: 15,
            session_idle_minutes: 30,
            session_max_hours: 12,
            max_lists: 20,
            max_list_entries: 500,
        }
    );
    set_rule(&t, "max_renewals", 3);
    set_rule(&t, "renewal_days", 14);
    let rules: CirculationRules = get(&t.app, "/api/rules").await.json();
    assert_eq!((rules.max_renewals, rules.renewal_days), (3, 14));
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    let wanli = loan(&a, "万历十五年");
    assert_eq!((wanli.renewals_left, wanli.renew_block), (1, None));
    let renewed: Loan = renew(&t, &chen, wanli).await.json();
    assert_eq!(renewed.due_date, t.date(16 + 14));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_renewals_at_once_renew_exactly_once() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let a = account(&t, &chen).await;
    for title in ["三体", "白夜行", "舌尖上的中国"] {
        let l = loan(&a, title).clone();
        let spawn = |l: Loan| {
            let app = t.app.clone();
            let chen = chen.clone();
            tokio::spawn(async move {
                let uri = format!("/api/me/loans/{}/renew", l.id);
                call(
                    &app,
                    "POST",
                    &uri,
                    Some(json!({"due_date": l.due_date})),
                    &chen,
                )
                .await
            })
        };
        let (first, second) = tokio::join!(spawn(l.clone()), spawn(l.clone()));
        let mut statuses = [first.unwrap(), second.unwrap()];
        statuses.sort_by_key(|r| r.status);
        assert_eq!(statuses[0].status, StatusCode::OK, "{title}");
        expect_problem(&statuses[1], 409, ErrorCode::AlreadyRenewed);
        let after = loan(&account(&t, &chen).await, title).clone();
        assert_eq!(after.renewals, l.renewals + 1, "{title}");
    }
}

#[tokio::test]
async fn renewing_several_loans_answers_each_in_order() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let a = account(&t, &chen).await;
    let hers = &account(&t, &emily).await.loans[0];
    let item = |l: &Loan| json!({"id": l.id, "due_date": l.due_date});
    let body = json!({"loans": [
        item(loan(&a, "三体")),
        item(loan(&a, "万历十五年")),
        item(hers),
        item(loan(&a, "平凡的世界")),
        {"id": 999_999, "due_date": "2026-12-01"},
        item(loan(&a, "三体")),
    ]});
    let reply = call(&t.app, "POST", "/api/me/loans/renew", Some(body), &chen).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let res: RenewResults = reply.json();
    let outcomes: Vec<(i64, Option<ErrorCode>, bool)> = res
        .results
        .iter()
        .map(|o| (o.loan_id, o.refused, o.loan.is_some()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (loan(&a, "三体").id, None, true),
            (
                loan(&a, "万历十五年").id,
                Some(ErrorCode::RenewalLimitReached),
                true
            ),
            (hers.id, Some(ErrorCode::NotFound), false),
            (
                loan(&a, "平凡的世界").id,
                Some(ErrorCode::HeldForAnother),
                true
            ),
            (999_999, Some(ErrorCode::NotFound), false),
            (loan(&a, "三体").id, Some(ErrorCode::AlreadyRenewed), true),
        ]
    );
    assert_eq!(res.results[0].loan.as_ref().unwrap().due_date, t.date(32));
    assert_eq!(res.results[5].loan.as_ref().unwrap().due_date, t.date(32));
    // A blocked patron gets a refusal per loan.
    let wang = sign_in(&t.app, WANG.0, WANG.1).await;
    let his = account(&t, &wang).await;
    let res: RenewResults = call(
        &t.app,
        "POST",
        "/api/me/loans/renew",
        Some(json!({"loans": [item(&his.loans[0])]})),
        &wang,
    )
    .await
    .json();
    assert_eq!(res.results[0].refused, Some(ErrorCode::PatronBlocked));
    // Malformed dates are named by position.
    let reply = call(
        &t.app,
        "POST",
        "/api/me/loans/renew",
        Some(json!({"loans": [item(&a.loans[0]), {"id": 1, "due_date": "x"}]})),
        &chen,
    )
    .await;
    let p = expect_problem(&reply, 422, ErrorCode::ValidationFailed);
    assert_eq!(p.errors[0].field, "loans[1].due_date");
}

#[tokio::test]
async fn favourite_lists_can_be_made_changed_and_deleted() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let lists: FavouriteLists = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    let names: Vec<(&str, bool, usize)> = lists
        .lists
        .iter()
        .map(|l| (l.name.as_str(), l.shared, l.entries.len()))
        .collect();
    assert_eq!(names, [("想读", true, 3), ("给孩子的书", false, 2)]);
    let titles: Vec<&str> = lists.lists[0]
        .entries
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(titles, ["边城", "围城", "百年孤独"], "latest added first");
    assert_eq!(lists.lists[0].entries[0].added_on, t.date(-3));

    let reply = call(
        &t.app,
        "POST",
        "/api/me/lists",
        Some(json!({"name": "  周末读  "})),
        &chen,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let list: FavouriteList = reply.json();
    assert_eq!(
        reply.header("location"),
        format!("/api/me/lists/{}", list.id)
    );
    assert_eq!(
        (list.name.as_str(), list.shared, list.entries.len()),
        ("周末读", false, 0)
    );
    assert_ne!(list.share_token, lists.lists[0].share_token);
    for (name, code) in [("", "required"), ("   ", "required")] {
        let p = expect_problem(
            &call(
                &t.app,
                "POST",
                "/api/me/lists",
                Some(json!({"name": name})),
                &chen,
            )
            .await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            ("name", code)
        );
    }
    let long = "书".repeat(41);
    let p = expect_problem(
        &call(
            &t.app,
            "POST",
            "/api/me/lists",
            Some(json!({"name": long})),
            &chen,
        )
        .await,
        422,
        ErrorCode::ValidationFailed,
    );
    assert_eq!(p.errors[0].code, "too_long");

    let entry = |record: i64| format!("/api/me/lists/{}/entries/{record}", list.id);
    let first: FavouriteList = call(&t.app, "PUT", &entry(52), None, &chen).await.json();
    assert_eq!(first.entries.len(), 1);
    assert_eq!(first.entries[0].title, "活着");
    assert_eq!(first.entries[0].added_on, t.date(0));
    // A day later (and so in a new session).
    t.clock.advance_days(1);
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let again: FavouriteList = call(&t.app, "PUT", &entry(52), None, &chen).await.json();
    assert_eq!(again, first, "adding twice changes nothing");
    let two: FavouriteList = call(&t.app, "PUT", &entry(75), None, &chen).await.json();
    assert_eq!(
        two.entries.iter().map(|e| e.record_id).collect::<Vec<_>>(),
        [75, 52]
    );
    expect_problem(
        &call(&t.app, "PUT", &entry(999_999), None, &chen).await,
        404,
        ErrorCode::NotFound,
    );
    let one: FavouriteList = call(&t.app, "DELETE", &entry(52), None, &chen).await.json();
    assert_eq!(one.entries.len(), 1);
    let same: FavouriteList = call(&t.app, "DELETE", &entry(52), None, &chen).await.json();
    assert_eq!(same, one);

    let uri = format!("/api/me/lists/{}", list.id);
    let changed: FavouriteList = call(
        &t.app,
        "PATCH",
        &uri,
        Some(json!({"name": "假期读", "shared": true})),
        &chen,
    )
    .await
    .json();
    assert_eq!((changed.name.as_str(), changed.shared), ("假期读", true));
    let renamed: FavouriteList = call(&t.app, "PATCH", &uri, Some(json!({"name": "假期"})), &chen)
        .await
        .json();
    assert!(renamed.shared, "absent fields stay");
    let p = expect_problem(
        &call(&t.app, "PATCH", &uri, Some(json!({"name": ""})), &chen).await,
        422,
        ErrorCode::ValidationFailed,
    );
    assert_eq!(p.errors[0].field, "name");
    let p = expect_problem(
        &call(&t.app, "PATCH", &uri, Some(json!({"shared": "yes"})), &chen).await,
        422,
        ErrorCode::ValidationFailed,
    );
    assert_eq!(p.errors[0].field, "shared");

    assert_eq!(
        call(&t.app, "DELETE", &uri, None, &chen).await.status,
        StatusCode::NO_CONTENT
    );
    let lists: FavouriteLists = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    assert_eq!(lists.lists.len(), 2);
    expect_problem(
        &call(&t.app, "DELETE", &uri, None, &chen).await,
        404,
        ErrorCode::NotFound,
    );
}

#[tokio::test]
async fn favourite_lists_have_limits() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    for i in 2..20 {
        let reply = call(
            &t.app,
            "POST",
            "/api/me/lists",
            Some(json!({"name": format!("书单 {i}")})),
            &chen,
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let reply = call(
        &t.app,
        "POST",
        "/api/me/lists",
        Some(json!({"name": "one too many"})),
        &chen,
    )
    .await;
    expect_problem(&reply, 409, ErrorCode::ListLimitReached);
    let lists: FavouriteLists = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    assert_eq!(lists.lists.len(), 20);
    // Another patron is not affected.
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    assert_eq!(
        call(
            &t.app,
            "POST",
            "/api/me/lists",
            Some(json!({"name": "Mine"})),
            &emily
        )
        .await
        .status,
        StatusCode::CREATED
    );

    // Entries: the limit is the rules table's (500 in the seed; the
    // catalog has fewer records, so the test lowers it).
    set_rule(&t, "max_list_entries", 4);
    let full = lists.lists[0].id; // 想读, 3 entries
    let put = |record: i64| format!("/api/me/lists/{full}/entries/{record}");
    assert_eq!(
        call(&t.app, "PUT", &put(1), None, &chen).await.status,
        StatusCode::OK
    );
    expect_problem(
        &call(&t.app, "PUT", &put(2), None, &chen).await,
        409,
        ErrorCode::ListLimitReached,
    );
    assert_eq!(
        call(&t.app, "PUT", &put(1), None, &chen).await.status,
        StatusCode::OK,
        "already there is fine"
    );
}

#[tokio::test]
async fn shared_lists_are_read_only_and_only_while_shared() {
    let t = TestApp::new();
    let chen = sign_in(&t.app, CHEN.0, CHEN.1).await;
    let lists: FavouriteLists = call(&t.app, "GET", "/api/me/lists", None, &chen)
        .await
        .json();
    let (shared, private) = (&lists.lists[0], &lists.lists[1]);
    let uri = format!("/api/lists/{}", shared.share_token);
    let reply = get(&t.app, &uri).await;
    assert_eq!(reply.status, StatusCode::OK);
    let list: SharedList = reply.json();
    assert_eq!((list.name.as_str(), list.owner.as_str()), ("想读", "陈"));
    assert_eq!(list.entries, shared.entries);
    let text = String::from_utf8_lossy(&reply.body);
    assert!(!text.contains(CHEN.0) && !text.contains("晓明"), "{text}");
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        expect_problem(
            &call(&t.app, method, &uri, None, &chen).await,
            405,
            ErrorCode::MethodNotAllowed,
        );
    }
    expect_problem(
        &get(&t.app, &format!("/api/lists/{}", private.share_token)).await,
        404,
        ErrorCode::NotFound,
    );
    expect_problem(
        &get(&t.app, "/api/lists/unknown-token").await,
        404,
        ErrorCode::NotFound,
    );
    // Unshared, the link stops working; shared again, it works again.
    let patch = format!("/api/me/lists/{}", shared.id);
    call(
        &t.app,
        "PATCH",
        &patch,
        Some(json!({"shared": false})),
        &chen,
    )
    .await;
    expect_problem(&get(&t.app, &uri).await, 404, ErrorCode::NotFound);
    call(
        &t.app,
        "PATCH",
        &patch,
        Some(json!({"shared": true})),
        &chen,
    )
    .await;
    assert_eq!(get(&t.app, &uri).await.status, StatusCode::OK);
    // Emily's name is shortened to her first name.
    let emily = sign_in(&t.app, EMILY.0, EMILY.1).await;
    let hers: FavouriteList = call(
        &t.app,
        "POST",
        "/api/me/lists",
        Some(json!({"name": "Classics"})),
        &emily,
    )
    .await
    .json();
    call(
        &t.app,
        "PATCH",
        &format!("/api/me/lists/{}", hers.id),
        Some(json!({"shared": true})),
        &emily,
    )
    .await;
    let list: SharedList = get(&t.app, &format!("/api/lists/{}", hers.share_token))
        .await
        .json();
    assert_eq!(list.owner, "Emily");
}

#[tokio::test]
async fn libraries_say_what_they_offer_and_where_holds_are_collected() {
    let t = TestApp::new();
    let list: LibraryList = get(&t.app, "/api/libraries").await.json();
    let county = &list.libraries[0];
    assert_eq!(county.id, "county");
    for s in [
        Service::Lending,
        Service::HoldPickup,
        Service::EResources,
        Service::Activities,
        Service::Accessible,
    ] {
        assert!(county.services.contains(&s), "{s:?}");
    }
    for l in &list.libraries {
        assert!(l.services.contains(&Service::Lending), "{}", l.id);
        assert_eq!(
            l.pickup_point,
            l.services.contains(&Service::HoldPickup),
            "{}",
            l.id
        );
        assert!(!l.services.contains(&Service::Unknown));
    }
    let not_pickup: Vec<&str> = list
        .libraries
        .iter()
        .filter(|l| !l.pickup_point)
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(not_pickup, ["vc-jingshuilong"]);
    let raw: serde_json::Value = get(&t.app, "/api/libraries").await.json();
    assert_eq!(raw["libraries"][0]["services"][0], "lending");
    assert_eq!(raw["libraries"][0]["pickup_point"], true);
}
