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
