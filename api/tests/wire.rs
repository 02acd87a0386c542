//! The app's decoder ([`yuelan_api::wire`], miniserde) against serde, on
//! every wire type: values survive serde's encoding, garbled documents
//! never panic and decode to serde's value whenever both accept them, and
//! hostile text (deep nesting, huge numbers, bad UTF-16) is an error, not
//! a panic.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use yuelan_api::account::*;
use yuelan_api::wire::{self, from_json, to_json};
use yuelan_api::*;

/// Both decoders' readings of `text`; when both accept it, they agree.
fn agree<T>(text: &str) -> Option<T>
where
    T: wire::Deserialize + DeserializeOwned + PartialEq + Debug,
{
    let theirs = serde_json::from_str::<T>(text).ok();
    let ours = from_json::<T>(text).ok();
    if let (Some(a), Some(b)) = (&theirs, &ours) {
        assert_eq!(a, b, "{text}");
    }
    ours.filter(|_| theirs.is_some())
}

/// Encodes with serde (compact and pretty) and with miniserde, and decodes
/// each with both: the value must survive every way.
fn round_trip<T>(value: &T)
where
    T: wire::Deserialize + wire::Serialize + Serialize + DeserializeOwned + PartialEq + Debug,
{
    for text in [
        serde_json::to_string(value).unwrap(),
        serde_json::to_string_pretty(value).unwrap(),
        to_json(value),
    ] {
        assert_eq!(agree::<T>(&text).as_ref(), Some(value), "{text}");
    }
}

const NASTY: &str =
    "引号\"反斜杠\\ 换行\n制表\t</script><script>alert('x')</script> \u{0}\u{1f}\u{7f}\u{2028}😀";

fn text(zh: &str, en: &str) -> LocalizedText {
    LocalizedText::new(zh, en)
}

fn libraries() -> LibraryList {
    LibraryList {
        libraries: vec![
            Library {
                id: "county".into(),
                name: text("县图书馆", "County Library"),
                kind: LibraryKind::County,
                parent_id: None,
                address: text("人民路 1 号", ""),
                phone: Some("0571-1234 5678".into()),
                latitude: 30.274_084_123_456_79,
                longitude: 120.155_070_987_654_32,
                hours: vec![
                    OpeningHours {
                        weekday: 1,
                        opens: "08:30".into(),
                        closes: "17:00".into(),
                    },
                    OpeningHours {
                        weekday: 7,
                        opens: "09:00".into(),
                        closes: "12:00".into(),
                    },
                ],
                services: vec![Service::Lending, Service::HoldPickup, Service::Wifi],
                pickup_point: true,
            },
            Library {
                id: "br-xinqiao".into(),
                name: text(NASTY, NASTY),
                kind: LibraryKind::Village,
                parent_id: Some("county".into()),
                address: text("", ""),
                phone: None,
                latitude: -0.0,
                longitude: 1e-7,
                hours: vec![],
                services: vec![],
                pickup_point: false,
            },
            Library {
                id: "x".into(),
                name: text("分馆", "Branch"),
                kind: LibraryKind::Branch,
                parent_id: Some(String::new()),
                address: text("镇", "Town"),
                phone: None,
                latitude: 90.0,
                longitude: -180.0,
                hours: vec![],
                services: vec![],
                pickup_point: false,
            },
        ],
    }
}

fn search() -> SearchResponse {
    SearchResponse {
        query: "红楼梦 \"脂评\"".into(),
        total: u64::MAX,
        page: 3,
        page_size: yuelan_api::MAX_PAGE_SIZE,
        hits: vec![
            SearchHit {
                id: 42,
                title: "红楼梦".into(),
                subtitle: Some("脂砚斋评本\\校注".into()),
                authors: vec!["曹雪芹".into(), "高鹗".into()],
                year: Some(1982),
                format: Format::Book,
                language: "zh".into(),
                cover_url: Some("/covers/42.jpg?a=1&b=<2>".into()),
                availability: vec![
                    BranchAvailability {
                        library_id: "county".into(),
                        available: 2,
                        total: 3,
                    },
                    BranchAvailability {
                        library_id: "br-xinqiao".into(),
                        available: 0,
                        total: u32::MAX,
                    },
                ],
            },
            SearchHit {
                id: i64::MIN,
                title: NASTY.into(),
                subtitle: None,
                authors: vec![],
                year: Some(-500),
                format: Format::Audiobook,
                language: "en".into(),
                cover_url: None,
                availability: vec![],
            },
            SearchHit {
                id: i64::MAX,
                title: String::new(),
                subtitle: None,
                authors: vec![String::new()],
                year: None,
                format: Format::Dvd,
                language: String::new(),
                cover_url: None,
                availability: vec![],
            },
        ],
        facets: vec![
            Facet {
                field: FacetField::Branch,
                values: vec![
                    FacetValue {
                        value: "county".into(),
                        label: Some(text("县图书馆", "County Library")),
                        count: 7,
                        selected: true,
                    },
                    FacetValue {
                        value: "br-xinqiao".into(),
                        label: Some(text("新桥分馆", "")),
                        count: 0,
                        selected: false,
                    },
                ],
            },
            Facet {
                field: FacetField::Decade,
                values: vec![FacetValue {
                    value: "1980".into(),
                    label: None,
                    count: u64::MAX,
                    selected: false,
                }],
            },
            Facet {
                field: FacetField::Available,
                values: vec![],
            },
        ],
        suggestions: vec!["红楼".into(), NASTY.into()],
    }
}

fn record() -> RecordDetail {
    RecordDetail {
        id: 7,
        title: "活着".into(),
        subtitle: None,
        authors: vec!["余华".into()],
        publisher: Some("作家出版社".into()),
        publication_place: Some("北京".into()),
        year: Some(2012),
        isbn: Some("9787506365437".into()),
        format: Format::Book,
        language: "zh".into(),
        subjects: vec!["长篇小说".into(), "中国-当代".into()],
        series: None,
        extent: Some("191 页".into()),
        summary: Some(NASTY.into()),
        classification: Some("I247.57".into()),
        cover_url: None,
        holdings: vec![
            Holding {
                barcode: "C0001".into(),
                library_id: "county".into(),
                library_name: text("县图书馆", "County Library"),
                call_number: "I247.57/Y85".into(),
                shelf_location: text("二楼 文学区 I247", "2F Literature"),
                status: ItemStatus::OnLoan,
                due_date: Some("2025-03-01".into()),
            },
            Holding {
                barcode: "C0002".into(),
                library_id: "br-xinqiao".into(),
                library_name: text("新桥分馆", ""),
                call_number: String::new(),
                shelf_location: text("", ""),
                status: ItemStatus::OnHoldShelf,
                due_date: None,
            },
        ],
    }
}

fn problem() -> Problem {
    Problem {
        type_uri: "https://yuelan.example/problems/validation".into(),
        title: "Validation failed".into(),
        status: 422,
        detail: Some(NASTY.into()),
        instance: Some("/api/search?q=%3Cscript%3E".into()),
        code: ErrorCode::ValidationFailed,
        errors: vec![
            FieldError {
                field: "page_size".into(),
                code: "out_of_range".into(),
                message: "page_size must be at most 50".into(),
            },
            FieldError {
                field: "q".into(),
                code: "too_long".into(),
                message: NASTY.into(),
            },
        ],
        tries_left: Some(3),
        locked_until: Some("2026-11-29T21:30:00+08:00".into()),
        on_shelf: vec![],
    }
}
fn account() -> Account {
    Account {
        patron: Patron {
            card_number: "44132200000001".into(),
            name: NASTY.into(),
            home_library_id: "county".into(),
            preferred_locale: "zh-CN".into(),
            elder_mode: true,
            blocked: Some(BlockReason::Fines),
        },
        loans: vec![Loan {
            id: 1,
            record_id: 7,
            title: "活着".into(),
            authors: vec!["余华".into()],
            format: Format::Book,
            barcode: "C0001".into(),
            library_id: "county".into(),
            borrowed_on: "2026-11-01".into(),
            due_date: "2026-12-01".into(),
            days_left: -3,
            renewals: 2,
            renewals_left: 0,
            renew_block: Some(ErrorCode::RenewalLimitReached),
        }],
        holds: vec![Hold {
            id: 9,
            record_id: 8,
            title: "Ways of Seeing".into(),
            authors: vec![],
            format: Format::Audiobook,
            pickup_library_id: "vc-tiechang".into(),
            status: HoldStatus::Suspended,
            placed_on: "2026-11-02".into(),
            queue_position: 2,
            queue_length: 3,
            suspended_until: Some("2026-12-24".into()),
            pickup_by: None,
        }],
    }
}

fn lists() -> FavouriteLists {
    FavouriteLists {
        lists: vec![FavouriteList {
            id: 3,
            name: "想读 <b>".into(),
            shared: true,
            share_token: "AbC-_9".into(),
            entries: vec![ListEntry {
                record_id: 7,
                title: "活着".into(),
                authors: vec!["余华".into()],
                format: Format::Book,
                year: Some(2012),
                added_on: "2026-11-29".into(),
            }],
        }],
    }
}

#[test]
fn catalog_types_round_trip() {
    round_trip(&libraries());
    round_trip(&LibraryList { libraries: vec![] });
    round_trip(&search());
    round_trip(&record());
    round_trip(&problem());
    round_trip(&Problem {
        type_uri: "about:blank".into(),
        title: "Not Found".into(),
        status: 404,
        detail: None,
        instance: None,
        code: ErrorCode::OnShelfAtPickup,
        errors: vec![],
        tries_left: None,
        locked_until: None,
        on_shelf: record().holdings,
    });
    round_trip(&Health {
        status: "ok".into(),
        records: u64::MAX,
    });
}

#[test]
fn account_types_round_trip() {
    round_trip(&account());
    let mut bare = account();
    bare.patron.blocked = None;
    bare.loans[0].renew_block = None;
    bare.holds[0].suspended_until = None;
    bare.holds[0].pickup_by = Some("2026-12-03".into());
    round_trip(&bare);
    round_trip(&lists());
    round_trip(&SessionInfo {
        patron: account().patron,
        token: Some("t0k3n".into()),
        expires_at: "2026-11-29T21:30:00+08:00".into(),
    });
    round_trip(&SignInRequest {
        card_number: "4413 2200 0000 01".into(),
        pin: "246810".into(),
        mode: SessionMode::Bearer,
    });
    round_trip(&RenewMany {
        loans: vec![RenewItem {
            id: 1,
            due_date: "2026-12-01".into(),
        }],
    });
    round_trip(&RenewResults {
        results: vec![
            RenewOutcome {
                loan_id: 1,
                loan: Some(account().loans[0].clone()),
                refused: None,
            },
            RenewOutcome {
                loan_id: 2,
                loan: None,
                refused: Some(ErrorCode::NotFound),
            },
        ],
    });
    round_trip(&ListChange {
        name: None,
        shared: Some(false),
    });
    round_trip(&SharedList {
        name: "想读".into(),
        owner: "陈".into(),
        entries: lists().lists[0].entries.clone(),
    });
}

/// Every variant's name, both ways, and unknown names to `Unknown`.
#[test]
fn enums_decode_their_names_and_unknown_ones() {
    fn names<T>(all: &[T])
    where
        T: wire::Deserialize + wire::Serialize + Serialize + DeserializeOwned + PartialEq + Debug,
    {
        for v in all {
            round_trip(v);
        }
    }
    names(&[
        LibraryKind::County,
        LibraryKind::Branch,
        LibraryKind::Village,
        LibraryKind::Unknown,
    ]);
    names(&Format::ALL);
    names(&SortOrder::ALL);
    names(&FacetField::ALL);
    names(&[
        HoldStatus::Waiting,
        HoldStatus::InTransit,
        HoldStatus::Ready,
        HoldStatus::Suspended,
    ]);
    names(&[
        Service::ChildrensCorner,
        Service::EResources,
        Service::HoldPickup,
    ]);
    names(&[
        ErrorCode::SessionExpired,
        ErrorCode::OnShelfAtPickup,
        ErrorCode::CsrfCheckFailed,
    ]);
    assert_eq!(agree::<Format>(r#""vinyl""#), Some(Format::Unknown));
    assert_eq!(agree::<Format>(r#""Book""#), Some(Format::Unknown));
    assert_eq!(agree::<Format>(r#""bo\u006fk""#), Some(Format::Book));
    assert_eq!(agree::<ErrorCode>(r#""teapot""#), Some(ErrorCode::Unknown));
    assert_eq!(agree::<ErrorCode>(r#""""#), Some(ErrorCode::Unknown));
    assert_eq!(agree::<Service>(r#""sauna""#), Some(Service::Unknown));
    assert_eq!(
        agree::<SessionMode>(r#""magic""#),
        Some(SessionMode::Unknown)
    );
    assert!(
        from_json::<SortOrder>(r#""random""#).is_err(),
        "no catch-all"
    );
    for bad in ["1", "null", "true", "[]", "{}", r#"["book"]"#] {
        assert!(from_json::<Format>(bad).is_err(), "{bad}");
        assert!(from_json::<ErrorCode>(bad).is_err(), "{bad}");
    }
    let hit =
        agree::<SearchHit>(r#"{"id":1,"title":"t","format":"vinyl","language":"zh","extra":true}"#)
            .unwrap();
    assert_eq!(hit.format, Format::Unknown);
    let facet = agree::<Facet>(r#"{"field":"colour","values":[]}"#).unwrap();
    assert_eq!(facet.field, FacetField::Unknown);
}

#[test]
fn missing_fields_default_only_where_declared() {
    let t = agree::<LocalizedText>(r#"{"zh":"馆"}"#).unwrap();
    assert_eq!(t.en, "");
    assert!(from_json::<LocalizedText>(r#"{"en":"x"}"#).is_err());
    assert!(from_json::<LocalizedText>(r#"{"zh":"馆","en":null}"#).is_err());
    let lib = agree::<Library>(
        r#"{"id":"x","name":{"zh":"馆"},"kind":"branch","address":{"zh":"路"},"latitude":1,"longitude":2.5}"#,
    )
    .unwrap();
    assert_eq!((lib.parent_id, lib.phone, lib.hours.len()), (None, None, 0));
    assert!(lib.services.is_empty() && !lib.pickup_point);
    assert!(
        from_json::<Library>(
            r#"{"id":"x","name":{"zh":"馆"},"kind":"branch","address":{"zh":"路"},"latitude":1}"#
        )
        .is_err()
    );
    assert!(from_json::<Library>(r#"{"id":"x","name":{"zh":"馆"},"kind":"branch","address":{"zh":"路"},"latitude":1,"longitude":2,"hours":null}"#).is_err());
    let p = agree::<Problem>(
        r#"{"title":"x","status":401,"code":"invalid_credentials","tries_left":2}"#,
    )
    .unwrap();
    assert_eq!((p.type_uri.as_str(), p.tries_left), ("", Some(2)));
    assert!(from_json::<Health>(r#"{"status":"ok"}"#).is_err());
    assert!(from_json::<Health>(r#"{"status":"ok","records":-1}"#).is_err());
    assert!(from_json::<Loan>(r#"{"id":1}"#).is_err());
}

#[test]
fn hostile_text_is_an_error_not_a_panic() {
    let deep = "[".repeat(1_000_000);
    assert!(from_json::<SearchResponse>(&deep).is_err());
    let deep_inside = format!(r#"{{"hits":[],"x":{}"#, "[".repeat(1_000_000));
    assert!(from_json::<SearchResponse>(&deep_inside).is_err());
    let closed = format!(
        r#"{{"query":"","total":0,"page":1,"page_size":1,"hits":[],"x":{}{}}}"#,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    assert!(
        from_json::<SearchResponse>(&closed).is_ok(),
        "deep unknown members are skipped"
    );
    for bad in [
        r#"{"status":"ok","records":1e999999999}"#,
        r#"{"status":"ok","records":123456789012345678901234567890}"#,
        r#"{"status":"ok","records":-99999999999999999999}"#,
        r#"{"status":"\ud800","records":1}"#,
        r#"{"status":"\udc00\ud800","records":1}"#,
        r#"{"status":"\ud800\u0041","records":1}"#,
        r#"{"status":"\x","records":1}"#,
        "{\"status\":\"tab\tinside\",\"records\":1}",
        r#"{"status":"ok","records":1"#,
        r#"{"status":"ok","records":01}"#,
        "",
        "\u{feff}{}",
    ] {
        assert!(from_json::<Health>(bad).is_err(), "{bad}");
    }
    let emoji = from_json::<Health>(r#"{"status":"\ud83d\ude00","records":1}"#).unwrap();
    assert_eq!(emoji.status, "😀");
    let lat = from_json::<OpeningHours>(r#"{"weekday":1e2,"opens":"","closes":""}"#);
    assert!(lat.is_err(), "a float is not a u8");
}

/// A deterministic xorshift generator, so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const PIECES: [&str; 24] = [
    "null",
    "1",
    "-1",
    "1.0",
    "\"x\"",
    "[]",
    "{}",
    "true",
    "\"unknown\"",
    ",",
    "]",
    "}",
    "\"",
    ":",
    " ",
    "0",
    "4294967296",
    "\"zh\":",
    "\"type\":",
    "\"hits\":",
    "\"label\":",
    "{\"a\":null}",
    "\"book\"",
    "\"\\ud800\"",
];

/// Mutates real documents: the decoder never panics, agrees with serde
/// whenever both accept, and the mutations exercise both outcomes.
#[test]
fn garbled_documents_decode_like_serde() {
    let docs = [
        serde_json::to_string(&search()).unwrap(),
        serde_json::to_string(&record()).unwrap(),
        serde_json::to_string(&libraries()).unwrap(),
        serde_json::to_string(&problem()).unwrap(),
        serde_json::to_string(&account()).unwrap(),
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut accepted = 0;
    for round in 0..5000 {
        let mut chars: Vec<char> = docs[round % docs.len()].chars().collect();
        for _ in 0..=rng.below(2) {
            let at = rng.below(chars.len());
            match rng.below(3) {
                0 => {
                    let end = (at + rng.below(12)).min(chars.len());
                    chars.drain(at..end);
                }
                1 => chars[at] = char::from(b' ' + rng.below(95) as u8),
                _ => {
                    for (i, c) in PIECES[rng.below(PIECES.len())].chars().enumerate() {
                        chars.insert(at + i, c);
                    }
                }
            }
        }
        let text: String = chars.into_iter().collect();
        let ok = match round % 5 {
            0 => agree::<SearchResponse>(&text).is_some(),
            1 => agree::<RecordDetail>(&text).is_some(),
            2 => agree::<LibraryList>(&text).is_some(),
            3 => agree::<Problem>(&text).is_some(),
            _ => agree::<Account>(&text).is_some(),
        };
        accepted += usize::from(ok);
    }
    assert!(accepted > 100 && accepted < 4900, "{accepted}");
}
