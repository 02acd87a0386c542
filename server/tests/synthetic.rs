//! The synthetic catalog generator.

mod common;

use common::*;
use yuelan_server::{AppState, Db, app, synthetic};

#[tokio::test]
async fn a_generated_catalog_is_searchable() {
    let dir = TempDir::new("synthetic");
    let db = Db::open(&dir.0.join("yuelan.sqlite")).unwrap();
    let stats = synthetic::generate(&db, 2000).unwrap();
    assert_eq!(stats.synthetic_records, 2000);
    assert!(stats.items >= 2000 + stats.seed_records);
    // Generating twice into one catalog is refused.
    assert!(synthetic::generate(&db, 10).is_err());
    let app = app(AppState::new(db, None).unwrap());

    let all = search_raw(&app, "q=&page_size=1").await;
    assert_eq!(all.total as usize, 2000 + stats.seed_records);
    // The broad subject: about half of the synthetic records.
    let broad = search_raw(&app, "q=%E6%96%87%E5%AD%A6&page_size=5").await;
    assert!((800..1400).contains(&broad.total), "文学: {}", broad.total);
    // The real records are there too.
    assert_eq!(search(&app, "活着").await.hits[0].authors, ["余华"]);
    assert!(search(&app, "hlm").await.total > 0);
    // Synthetic words, authors (pinyin) and English titles are found.
    assert!(search(&app, "岭南").await.total > 0);
    assert!(search(&app, "wang").await.total > 0);
    assert!(search(&app, "the river").await.total > 0);
    let res = search_raw(&app, "q=%E7%9A%84&format=book&available=true&sort=newest").await;
    assert!(res.total > 0);
    let years: Vec<i32> = res.hits.iter().map(|h| h.year.unwrap_or(0)).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn generation_is_deterministic() {
    let titles = |seed_dir: &TempDir| {
        let db = Db::open(&seed_dir.0.join("yuelan.sqlite")).unwrap();
        synthetic::generate(&db, 300).unwrap();
        db.with_conn(|c| {
            let mut stmt =
                c.prepare("SELECT title || '|' || COALESCE(isbn, '') FROM records ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .unwrap()
    };
    let (a, b) = (TempDir::new("gen-a"), TempDir::new("gen-b"));
    assert_eq!(titles(&a), titles(&b));
}
