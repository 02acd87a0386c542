//! Search semantics against the real seed catalog.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use yuelan_api::{FacetField, RecordDetail};
use yuelan_server::search::{pinyin, text};

fn titles(res: &yuelan_api::SearchResponse) -> Vec<&str> {
    res.hits.iter().map(|h| h.title.as_str()).collect()
}

/// Asserts that searching `q` finds a record titled `title`.
async fn assert_finds(app: &axum::Router, q: &str, title: &str) {
    let res = search(app, q).await;
    assert!(titles(&res).contains(&title), "{q}: {:?}", titles(&res));
}

#[tokio::test]
async fn huozhe_finds_yu_huas_book_first() {
    let app = seeded_app();
    let res = search(&app, "活着").await;
    let first = &res.hits[0];
    assert_eq!(first.title, "活着");
    assert_eq!(first.authors, ["余华"]);
    assert_eq!(res.query, "活着");
    // It is on the shelf somewhere, and that library comes first.
    assert!(first.availability.len() >= 3);
    assert!(first.availability[0].available > 0);
}

#[tokio::test]
async fn short_cjk_queries_equal_a_substring_scan() {
    let app = seeded_app();
    let records = all_records(&app).await;
    let is_han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut queries: BTreeSet<String> = ["梦", "城", "红楼", "三国", "岭南", "的", "小说", "出版"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut unigrams = BTreeSet::new();
    let mut bigrams = BTreeSet::new();
    for r in &records {
        let fields = [r.title.as_str(), r.publisher.as_deref().unwrap_or("")];
        for field in fields.iter().chain(
            r.authors
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .iter(),
        ) {
            let chars: Vec<char> = field.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                if is_han(c) {
                    unigrams.insert(c.to_string());
                    if let Some(&d) = chars.get(i + 1)
                        && is_han(d)
                    {
                        bigrams.insert(format!("{c}{d}"));
                    }
                }
            }
        }
    }
    // A spread of them: every 5th unigram and every 9th bigram.
    queries.extend(unigrams.iter().step_by(5).cloned());
    queries.extend(bigrams.iter().step_by(9).cloned());
    assert!(queries.len() > 150, "{} queries", queries.len());
    for q in &queries {
        let expected: BTreeSet<i64> = records
            .iter()
            .filter(|r| fields_contain(r, q))
            .map(|r| r.id)
            .collect();
        let got: Vec<i64> = all_ids(&app, &format!("q={}", enc(q))).await;
        let got_set: BTreeSet<i64> = got.iter().copied().collect();
        assert_eq!(got.len(), got_set.len(), "{q}: duplicates");
        assert_eq!(
            got_set, expected,
            "{q}: index differs from a substring scan"
        );
    }
}

#[tokio::test]
async fn longer_cjk_queries_are_verified_substrings() {
    let app = seeded_app();
    let records = all_records(&app).await;
    for q in ["红楼梦", "三国演义", "刘慈欣", "人民文学出版社", "哈利波特"] {
        let expected: BTreeSet<i64> = records
            .iter()
            .filter(|r| fields_contain(r, q))
            .map(|r| r.id)
            .collect();
        let got: BTreeSet<i64> = all_ids(&app, &format!("q={}", enc(q)))
            .await
            .into_iter()
            .collect();
        assert_eq!(got, expected, "{q}");
    }
    // 哈利·波特 has punctuation inside; the query without it is another run.
    assert!(search(&app, "哈利·波特").await.total >= 2);
}

#[tokio::test]
async fn pinyin_and_initials_find_chinese_titles_and_authors() {
    let app = seeded_app();
    for q in ["hongloumeng", "hlm", "honglou", "HongLouMeng"] {
        assert_finds(&app, q, "红楼梦").await;
    }
    let res = search(&app, "yuhua").await;
    assert!(titles(&res).contains(&"活着"), "yuhua: {:?}", titles(&res));
    assert!(
        res.hits
            .iter()
            .all(|h| h.authors.iter().any(|a| a.contains("余华")))
    );
    let res = search(&app, "santi").await;
    assert_eq!(res.hits[0].title, "三体");
}

#[tokio::test]
async fn pinyin_finds_titles_in_every_reading_of_their_heteronyms() {
    let app = seeded_app();
    // 传 zhuan, 长 chang, 朝 zhao, 都 du, 行 xing/hang: the readings patrons
    // type, whatever the pinyin table lists first.
    for (q, title) in [
        ("shuihuzhuan", "水浒传"),
        ("shz", "水浒传"),
        ("changhenge", "长恨歌"),
        ("changhen", "长恨歌"),
        ("zhaohuaxishi", "朝花夕拾"),
        ("zhxs", "朝花夕拾"),
        ("feidu", "废都"),
        ("hulanhezhuan", "呼兰河传"),
        ("shediaoyingxiongzhuan", "射雕英雄传"),
        ("baiyexing", "白夜行"),
    ] {
        assert_finds(&app, q, title).await;
    }
}

#[tokio::test]
async fn pinyin_typed_a_syllable_at_a_time_finds_the_title() {
    let app = seeded_app();
    for (q, title) in [
        ("hong lou meng", "红楼梦"),
        ("Hong Lou Meng", "红楼梦"),
        ("hong lou", "红楼梦"),
        ("shui hu zhuan", "水浒传"),
        ("jin yong", "射雕英雄传"),
    ] {
        assert_finds(&app, q, title).await;
    }
    // English words are still all required: "to live" is not "tolive".
    let res = search(&app, "to live").await;
    assert_eq!(titles(&res), ["To Live"]);
}

#[tokio::test]
async fn traditional_chinese_finds_simplified_records() {
    let app = seeded_app();
    for (traditional, simplified, title) in [
        ("紅樓夢", "红楼梦", "红楼梦"),
        ("三國演義", "三国演义", "三国演义"),
        ("水滸傳", "水浒传", "水浒传"),
        ("魯迅", "鲁迅", "呐喊"),
        ("嶺南", "岭南", ""),
        ("廣東", "广东", ""),
    ] {
        let res = search(&app, traditional).await;
        let want = search(&app, simplified).await;
        assert!(want.total > 0, "{simplified} finds something");
        assert_eq!(
            res.total, want.total,
            "{traditional} finds what {simplified} finds"
        );
        assert!(
            title.is_empty() || titles(&res).contains(&title),
            "{traditional}: {:?}",
            titles(&res)
        );
    }
}

#[tokio::test]
async fn isbn_forms_find_huozhe() {
    let app = seeded_app();
    for q in [
        "978-7-5063-6543-7",
        "9787506365437",
        "7-5063-6543-X",
        "7-5063-6543-x",
    ] {
        let res = search(&app, q).await;
        assert_eq!(res.total, 1, "{q}");
        assert_eq!(res.hits[0].title, "活着", "{q}");
    }
}

#[tokio::test]
async fn mixed_queries_and_every_term() {
    let app = seeded_app();
    for q in ["三体 liu", "liu 三体", "三体 刘慈欣"] {
        let res = search(&app, q).await;
        assert!(res.total >= 3, "{q}: {}", res.total);
        for h in &res.hits {
            assert!(h.title.contains("三体"), "{q}: {}", h.title);
            assert!(
                h.authors.iter().any(|a| a == "刘慈欣"),
                "{q}: {:?}",
                h.authors
            );
        }
    }
    let res = search(&app, "harry 1997").await;
    assert!(titles(&res).iter().all(|t| t.starts_with("Harry Potter")));
}

#[tokio::test]
async fn author_prefix_restricts_to_authors() {
    let app = seeded_app();
    let by_author = search(&app, "author:余华").await;
    assert!(by_author.total >= 3);
    assert!(
        by_author
            .hits
            .iter()
            .all(|h| h.authors.iter().any(|a| a.contains("余华")))
    );
    assert_eq!(search(&app, "au:yuhua").await.total, by_author.total);
    assert_eq!(search(&app, "author: 余华").await.total, by_author.total);
    // 活着 is a title, not an author.
    assert_eq!(search(&app, "author:活着").await.total, 0);
    assert!(search(&app, "活着").await.total > 0);
}

#[tokio::test]
async fn english_words_and_prefixes() {
    let app = seeded_app();
    let res = search(&app, "pride").await;
    assert!(titles(&res).contains(&"Pride and Prejudice"));
    let res = search(&app, "harr").await;
    assert!(res.total >= 4);
    assert!(
        res.hits
            .iter()
            .all(|h| h.title.contains("Harry") || h.authors.iter().any(|a| a.starts_with("Harr")))
    );
    // Only the last word is a prefix.
    assert_eq!(search(&app, "harr potter").await.total, 0);
    let res = search(&app, "PRIDE prejudice").await;
    assert!(
        res.hits
            .iter()
            .all(|h| h.title.to_lowercase().contains("prejudice"))
    );
}

/// Records whose only searched field containing `t` is a subject.
fn subject_only(r: &RecordDetail, t: &str) -> bool {
    r.subjects.iter().any(|s| s.contains(t))
        && !r.title.contains(t)
        && !r.subtitle.as_deref().is_some_and(|s| s.contains(t))
        && !r.series.as_deref().is_some_and(|s| s.contains(t))
        && !r.authors.iter().any(|a| a.contains(t))
}

#[tokio::test]
async fn title_matches_rank_before_subject_matches() {
    let app = seeded_app();
    let records = all_records(&app).await;
    let mut checked = 0;
    for t in ["小说", "历史", "文学", "儿童", "科幻", "中国", "故事"] {
        let in_title: BTreeSet<i64> = records
            .iter()
            .filter(|r| r.title.contains(t))
            .map(|r| r.id)
            .collect();
        let in_subject: BTreeSet<i64> = records
            .iter()
            .filter(|r| subject_only(r, t))
            .map(|r| r.id)
            .collect();
        if in_title.is_empty() || in_subject.is_empty() {
            continue;
        }
        checked += 1;
        let ids = all_ids(&app, &format!("q={}", enc(t))).await;
        let last_title = ids
            .iter()
            .rposition(|id| in_title.contains(id))
            .expect("title records found");
        let first_subject = ids
            .iter()
            .position(|id| in_subject.contains(id))
            .expect("subject records found");
        assert!(
            last_title < first_subject,
            "{t}: a subject-only match ranks above a title match"
        );
    }
    assert!(
        checked >= 2,
        "the seed data should have terms in both titles and subjects"
    );
}

async fn check_facets(app: &axum::Router, records: &[RecordDetail], q: &str, f: &Filters) {
    let matching: Vec<&RecordDetail> = if q.is_empty() {
        records.iter().collect()
    } else {
        records.iter().filter(|r| fields_contain(r, q)).collect()
    };
    let (total, expected) = brute_facets(&matching, f);
    let qs = format!("q={}&page_size=1&{}", enc(q), f.query_string());
    let res = search_raw(app, &qs).await;
    assert_eq!(res.total, total, "{qs}: total");
    let mut got: BTreeMap<(String, String), u64> = BTreeMap::new();
    for facet in &res.facets {
        let field = serde_json::to_value(facet.field)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        for v in &facet.values {
            if v.count > 0 {
                got.insert((field.clone(), v.value.clone()), v.count);
            }
            let selected = match facet.field {
                FacetField::Format => f.formats.contains(&v.value.as_str()),
                FacetField::Language => f.languages.contains(&v.value.as_str()),
                FacetField::Branch => f.branches.contains(&v.value.as_str()),
                FacetField::Subject => f.subjects.contains(&v.value),
                FacetField::Decade => f.decades.iter().any(|d| d.to_string() == v.value),
                FacetField::Available => f.available,
                FacetField::Unknown => false,
            };
            assert_eq!(
                v.selected, selected,
                "{qs}: selected flag of {field}={}",
                v.value
            );
        }
    }
    // Every non-subject count matches; subjects are the top 20.
    let (subjects_got, rest_got): (BTreeMap<_, _>, BTreeMap<_, _>) = got
        .into_iter()
        .partition(|((field, _), _)| field == "subject");
    let (subjects_exp, rest_exp): (BTreeMap<_, _>, BTreeMap<_, _>) = expected
        .into_iter()
        .partition(|((field, _), _)| field == "subject");
    assert_eq!(rest_got, rest_exp, "{qs}: facet counts");
    for (k, v) in &subjects_got {
        assert_eq!(subjects_exp.get(k), Some(v), "{qs}: subject count {k:?}");
    }
    assert_eq!(
        subjects_got.len(),
        subjects_exp.len().min(20),
        "{qs}: subject facet size"
    );
    let min_listed = subjects_got.values().min().copied().unwrap_or(0);
    let max_unlisted = subjects_exp
        .iter()
        .filter(|(k, _)| !subjects_got.contains_key(*k))
        .map(|(_, v)| *v)
        .max();
    assert!(
        max_unlisted.is_none_or(|m| m <= min_listed),
        "{qs}: the subject facet lists the most frequent"
    );
}

#[tokio::test]
async fn facet_counts_equal_a_brute_force_with_multi_select_semantics() {
    let app = seeded_app();
    let records = all_records(&app).await;
    let some_subject = records
        .iter()
        .find_map(|r| r.subjects.first().cloned())
        .unwrap();
    let cases: Vec<(&str, Filters)> = vec![
        ("", Filters::default()),
        ("小说", Filters::default()),
        (
            "小说",
            Filters {
                formats: vec!["book", "audiobook"],
                ..Filters::default()
            },
        ),
        (
            "",
            Filters {
                branches: vec!["county", "br-shiwan"],
                available: true,
                languages: vec!["zh"],
                ..Filters::default()
            },
        ),
        (
            "",
            Filters {
                branches: vec!["br-yuanzhou"],
                ..Filters::default()
            },
        ),
        (
            "",
            Filters {
                available: true,
                ..Filters::default()
            },
        ),
        (
            "",
            Filters {
                decades: vec![2000, 2010],
                formats: vec!["book"],
                ..Filters::default()
            },
        ),
        (
            "",
            Filters {
                subjects: vec![some_subject.clone()],
                ..Filters::default()
            },
        ),
        (
            "中国",
            Filters {
                languages: vec!["zh", "en"],
                decades: vec![1990],
                available: true,
                ..Filters::default()
            },
        ),
    ];
    for (q, f) in &cases {
        check_facets(&app, &records, q, f).await;
    }
}

#[tokio::test]
async fn facets_are_multi_select() {
    let app = seeded_app();
    let all = search_raw(&app, "q=").await;
    let books = search_raw(&app, "format=book").await;
    let both = search_raw(&app, "format=book&format=dvd").await;
    let format_count = |res: &yuelan_api::SearchResponse, v: &str| {
        res.facets
            .iter()
            .find(|f| f.field == FacetField::Format)
            .unwrap()
            .values
            .iter()
            .find(|x| x.value == v)
            .map(|x| x.count)
    };
    // Selecting a format keeps the other formats' counts (OR within a field).
    assert_eq!(format_count(&books, "dvd"), format_count(&all, "dvd"));
    assert_eq!(
        both.total,
        format_count(&all, "book").unwrap() + format_count(&all, "dvd").unwrap()
    );
    // Fields AND.
    let en_books = search_raw(&app, "format=book&language=en").await;
    assert!(en_books.total < books.total);
    assert!(en_books.total > 0);
}

#[tokio::test]
async fn sorting_by_newest_and_by_title() {
    let app = seeded_app();
    let res = search_raw(&app, "q=&sort=newest&page_size=50").await;
    let years: Vec<i32> = res.hits.iter().map(|h| h.year.unwrap_or(0)).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");

    let res = search_raw(&app, "q=%E5%B0%8F%E8%AF%B4&sort=newest&page_size=50").await;
    let years: Vec<i32> = res.hits.iter().map(|h| h.year.unwrap_or(0)).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");

    let ids = all_ids(&app, "q=&sort=title").await;
    let records = all_records(&app).await;
    let title_of = |id: i64| records.iter().find(|r| r.id == id).unwrap().title.clone();
    let keys: Vec<String> = ids
        .iter()
        .map(|&id| pinyin::sort_key(&text::fold(&title_of(id))))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "title order follows the pinyin key"
    );
    // Chinese titles sort among Latin ones by pinyin.
    let pos = |t: &str| ids.iter().position(|&id| title_of(id) == t).unwrap();
    // hongloumeng < huozhe < jane eyre < pride ... < santi
    assert!(pos("红楼梦") < pos("活着"));
    assert!(pos("活着") < pos("Jane Eyre"));
    assert!(pos("Jane Eyre") < pos("Pride and Prejudice"));
    assert!(pos("Pride and Prejudice") < pos("三体"));
}

#[tokio::test]
async fn pages_continue_without_duplicates() {
    let app = seeded_app();
    for q in [
        "q=",
        "q=%E4%B8%AD%E5%9B%BD",
        "q=&sort=title",
        "q=the&sort=newest",
    ] {
        let p1 = search_raw(&app, &format!("{q}&page_size=10&page=1")).await;
        let p2 = search_raw(&app, &format!("{q}&page_size=10&page=2")).await;
        let both = search_raw(&app, &format!("{q}&page_size=20&page=1")).await;
        let joined: Vec<i64> = p1.hits.iter().chain(&p2.hits).map(|h| h.id).collect();
        let whole: Vec<i64> = both.hits.iter().map(|h| h.id).collect();
        assert_eq!(joined, whole, "{q}");
        let unique: BTreeSet<i64> = joined.iter().copied().collect();
        assert_eq!(unique.len(), joined.len(), "{q}");
        assert_eq!(p2.page, 2);
    }
    // Past the end: an empty page, the same total.
    let far = search_raw(&app, "q=&page=500&page_size=50").await;
    assert!(far.hits.is_empty());
    assert!(far.total > 0);
}

#[tokio::test]
async fn empty_query_browses_everything_newest_first() {
    let app = seeded_app();
    let records = all_records(&app).await;
    let res = search_raw(&app, "q=&page_size=50").await;
    assert_eq!(res.total as usize, records.len());
    let newest = records.iter().filter_map(|r| r.year).max();
    assert_eq!(res.hits[0].year, newest);
    let res = search_raw(&app, "").await;
    assert_eq!(res.total as usize, records.len());
    assert_eq!(res.page_size, 20);
    assert_eq!(res.hits.len(), 20);
}

#[tokio::test]
async fn zero_hits_suggest_spellings_and_shorter_queries() {
    let app = seeded_app();
    let res = search(&app, "pridd").await;
    assert_eq!(res.total, 0);
    assert_eq!(res.suggestions.first().map(String::as_str), Some("pride"));
    let res = search(&app, "hongloumen").await;
    assert!(res.total > 0, "a pinyin prefix still matches");
    let res = search(&app, "yuhau").await;
    assert!(
        res.suggestions.contains(&"yuhua".to_owned()),
        "{:?}",
        res.suggestions
    );
    // A term that matches nothing is dropped.
    let res = search(&app, "三体 qqqzzxx").await;
    assert_eq!(res.total, 0);
    assert!(
        res.suggestions.contains(&"三体".to_owned()),
        "{:?}",
        res.suggestions
    );
    // Plenty of results: no suggestions.
    assert!(search(&app, "中国").await.suggestions.is_empty());
}

#[tokio::test]
async fn hostile_and_odd_strings_never_fail() {
    let app = seeded_app();
    let emoji = "😀".repeat(200);
    let long = "a".repeat(201);
    let cases = [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\"; DROP TABLE records; --",
        emoji.as_str(),
        "\u{0}\u{1}\u{7f}",
        "\u{200b}\u{feff}\u{202e}abc",
        "e\u{301}\u{301}\u{301}",
        "𠀀𪚥𰻞",
        "ｆｕｌｌｗｉｄｔｈ",
        "%%%",
        "author:",
        "au:",
        "::::",
        "ǅ ß İ",
        long.as_str(),
    ];
    for q in cases {
        let reply = get(&app, &format!("/api/search?q={}", enc(q))).await;
        assert!(
            matches!(reply.status.as_u16(), 200 | 422),
            "{q:?}: {}",
            reply.status
        );
    }
    // Raw bytes that are not UTF-8, and broken escapes.
    for raw in ["q=%FF%FE", "q=%", "q=%zz", "q=a&&&", "=x", "q=%E4%B8"] {
        let reply = get(&app, &format!("/api/search?{raw}")).await;
        assert!(
            matches!(reply.status.as_u16(), 200 | 400 | 422),
            "{raw}: {}",
            reply.status
        );
    }
    let res = search(&app, "<script>alert(1)</script>").await;
    assert_eq!(res.total, 0);
}
