//! Components mounted in a real browser (headless Chromium through
//! `wasm-bindgen-test`), asserting the DOM they produce.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test -p yuelan --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yuelan::api::ApiError;
use yuelan::catalog::facets::FacetGroup;
use yuelan::catalog::query::SearchState;
use yuelan::catalog::result_item::{AvailabilityLine, ResultItem};
use yuelan::components::cover::{CoverPlaceholder, cover_colour_class};
use yuelan::components::error_view::ErrorView;
use yuelan::components::lang_toggle::LangToggle;
use yuelan::i18n::{Key, Locale, provide_i18n, text};
use yuelan_api::{BranchAvailability, FacetField, FacetValue, Format, SearchHit};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document to mount into.
fn container() -> HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.dyn_into().unwrap()
}

/// Lets effects and scheduled renders run.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn find(root: &HtmlElement, css: &str) -> Element {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css} in {}", root.inner_html()))
}

fn texts(root: &HtmlElement, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

fn click(el: &Element) {
    el.clone().dyn_into::<HtmlElement>().unwrap().click();
}

fn branch(id: &str, available: u32, total: u32) -> BranchAvailability {
    BranchAvailability {
        library_id: id.into(),
        available,
        total,
    }
}

#[wasm_bindgen_test]
async fn availability_line_summarises_copies_in_chinese() {
    let root = container();
    let _view = mount_to(root.clone(), || {
        view! {
            <AvailabilityLine branches=vec![branch("county", 2, 3), branch("br-a", 0, 1), branch("br-b", 0, 1)] />
        }
    });
    tick().await;
    assert_eq!(
        find(&root, ".availability")
            .get_attribute("data-status")
            .as_deref(),
        Some("on-shelf")
    );
    assert_eq!(
        texts(&root, ".availability-summary"),
        vec!["5 册中 2 册在架 · 3 个馆"]
    );
    // Without the library list, the library is named by its id.
    assert_eq!(texts(&root, ".on-shelf-at"), vec!["在架：county"]);
    // The status has an icon besides the text, not colour alone.
    assert!(
        root.query_selector(".availability-summary svg.icon")
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn availability_line_in_english_when_nothing_is_on_the_shelf() {
    let root = container();
    let _view = mount_to(root.clone(), || {
        provide_i18n(Locale::English);
        view! { <AvailabilityLine branches=vec![branch("county", 0, 4), branch("br-a", 0, 1)] /> }
    });
    tick().await;
    assert_eq!(
        find(&root, ".availability")
            .get_attribute("data-status")
            .as_deref(),
        Some("all-on-loan")
    );
    assert_eq!(
        texts(&root, ".availability-summary"),
        vec!["All 5 on loan · 2 branches"]
    );
    assert!(texts(&root, ".on-shelf-at").is_empty());
}

#[wasm_bindgen_test]
async fn cover_placeholder_draws_initials_in_a_stable_colour() {
    let root = container();
    let _view = mount_to(
        root.clone(),
        || view! { <CoverPlaceholder title="红楼梦" /> },
    );
    tick().await;
    let cover = find(&root, ".cover");
    assert!(cover.class_list().contains(cover_colour_class("红楼梦")));
    assert_eq!(cover.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(texts(&root, ".cover-text"), vec!["红楼"]);
}

#[wasm_bindgen_test]
async fn error_view_shows_the_localized_message_and_retries() {
    let root = container();
    let retries = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&retries);
    let _view = mount_to(root.clone(), move || {
        let on_retry = Callback::new(move |_: ()| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        view! { <ErrorView error=ApiError::Timeout on_retry /> }
    });
    tick().await;
    assert_eq!(
        texts(&root, ".error-view .error-message"),
        vec![text(Locale::Zh, Key::ErrTimeout)]
    );
    let retry = find(&root, ".error-view button.retry");
    assert_eq!(
        retry.text_content().as_deref(),
        Some(text(Locale::Zh, Key::Retry))
    );
    click(&retry);
    click(&retry);
    assert_eq!(retries.load(Ordering::SeqCst), 2);
}

#[wasm_bindgen_test]
async fn error_view_never_shows_server_text() {
    let root = container();
    let _view = mount_to(root.clone(), || {
        provide_i18n(Locale::English);
        let error = ApiError::http(
            404,
            r#"{"type":"about:blank","title":"<b>raw title</b>","status":404,"detail":"raw detail","code":"not_found"}"#
                .into(),
        );
        view! { <ErrorView error not_found=Key::ErrRecordNotFound on_retry=|_| () /> }
    });
    tick().await;
    let shown = root.text_content().unwrap_or_default();
    assert!(
        shown.contains(text(Locale::English, Key::ErrRecordNotFound)),
        "{shown}"
    );
    assert!(!shown.contains("raw"), "{shown}");
}

#[wasm_bindgen_test]
async fn facet_group_renders_counts_and_toggles() {
    let root = container();
    let state = RwSignal::new(SearchState::with_query("岭南"));
    let values = vec![
        FacetValue {
            value: "book".into(),
            label: None,
            count: 12,
            selected: false,
        },
        FacetValue {
            value: "dvd".into(),
            label: None,
            count: 3,
            selected: false,
        },
    ];
    let _view = mount_to(root.clone(), move || {
        let on_toggle = Callback::new(move |(field, value): (FacetField, String)| {
            state.update(|s| s.toggle_filter(field, &value));
        });
        view! { <FacetGroup field=FacetField::Format values=Signal::stored(values) state on_toggle /> }
    });
    tick().await;
    assert_eq!(texts(&root, "fieldset.facet legend"), vec!["文献类型"]);
    assert_eq!(texts(&root, ".facet-label"), vec!["图书", "光盘"]);
    assert_eq!(texts(&root, ".facet-count"), vec!["12", "3"]);

    let first = find(&root, "input[type=checkbox][value=book]");
    click(&first);
    tick().await;
    assert!(
        state
            .get_untracked()
            .is_selected(FacetField::Format, "book")
    );
    let first: HtmlInputElement = find(&root, "input[type=checkbox][value=book]")
        .dyn_into()
        .unwrap();
    assert!(first.checked(), "the checkbox follows the state");

    // Unselecting from outside (a chip) unchecks it.
    state.update(|s| s.remove_filter(FacetField::Format, "book"));
    tick().await;
    assert!(!first.checked());
}

#[wasm_bindgen_test]
async fn language_switch_names_the_other_language() {
    let root = container();
    let _view = mount_to(root.clone(), || {
        provide_i18n(Locale::Zh);
        view! { <LangToggle /> }
    });
    tick().await;
    let button = find(&root, "button.lang-toggle");
    assert_eq!(button.text_content().as_deref(), Some("English"));
    assert_eq!(button.get_attribute("lang").as_deref(), Some("en"));
    click(&button);
    tick().await;
    assert_eq!(button.text_content().as_deref(), Some("中文"));
    assert_eq!(button.get_attribute("lang").as_deref(), Some("zh-CN"));
}

#[wasm_bindgen_test]
async fn hostile_titles_render_as_text() {
    let root = container();
    let hit = SearchHit {
        id: 7,
        title: "<img src=x onerror=alert(1)>".into(),
        subtitle: Some("<script>alert(2)</script>".into()),
        authors: vec!["<b>余华</b>".into()],
        year: Some(2012),
        format: Format::Book,
        language: "zh".into(),
        cover_url: None,
        availability: vec![branch("county", 1, 1)],
    };
    let _view = mount_to(
        root.clone(),
        move || view! { <ol class="results"><ResultItem hit on_open=|_| () /></ol> },
    );
    tick().await;
    assert!(
        root.query_selector("img, script, b").unwrap().is_none(),
        "{}",
        root.inner_html()
    );
    let link = find(&root, "li.result a.result-title");
    assert_eq!(
        link.text_content().as_deref(),
        Some("<img src=x onerror=alert(1)>")
    );
    assert_eq!(link.get_attribute("href").as_deref(), Some("/record/7"));
}

/// Monday 2024-01-01, 10:00 in China (02:00 UTC), in milliseconds.
const MONDAY_10AM_CHINA: f64 = 1_704_074_400_000.0;

#[wasm_bindgen_test]
async fn open_state_line_says_open_until_and_follows_the_clock() {
    use yuelan::libraries::OpenStateLine;
    use yuelan::libraries::hours::Week;
    use yuelan_api::OpeningHours;

    let root = container();
    let now = RwSignal::new(MONDAY_10AM_CHINA);
    let week = Week::from_hours(
        &(1..=7)
            .map(|weekday| OpeningHours {
                weekday,
                opens: "09:00".into(),
                closes: "21:00".into(),
            })
            .collect::<Vec<_>>(),
    );
    let _view = mount_to(root.clone(), move || {
        view! { <OpenStateLine week now live=true /> }
    });
    tick().await;
    let line = find(&root, "p.open-state");
    assert_eq!(line.get_attribute("data-state").as_deref(), Some("open"));
    assert_eq!(line.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(texts(&root, ".open-head"), vec!["正在开放"]);
    assert_eq!(texts(&root, ".open-detail"), vec!["21:00 闭馆"]);
    // An icon besides the words, not colour alone.
    assert!(
        root.query_selector("p.open-state svg.icon")
            .unwrap()
            .is_some()
    );

    // 20:45 in China: closing soon.
    now.set(MONDAY_10AM_CHINA + (10.0 * 60.0 + 45.0) * 60_000.0);
    tick().await;
    assert_eq!(line.get_attribute("data-state").as_deref(), Some("closing"));
    assert_eq!(texts(&root, ".open-head"), vec!["即将闭馆"]);
    // 21:00: closed, open again tomorrow morning.
    now.set(MONDAY_10AM_CHINA + 11.0 * 3_600_000.0);
    tick().await;
    assert_eq!(line.get_attribute("data-state").as_deref(), Some("closed"));
    assert_eq!(texts(&root, ".open-detail"), vec!["明天 09:00 开馆"]);
}

/// A card kept on this device shows without a session (as when the
/// network is gone), with the note saying where it comes from; removing it
/// from the device clears the stored copy.
#[wasm_bindgen_test]
async fn a_card_kept_on_the_device_shows_and_can_be_removed() {
    use yuelan::card::CardPage;
    use yuelan::card::stored::{CardData, STORAGE_KEY};

    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item(
            STORAGE_KEY,
            &CardData::new("44132200000001", "陈晓明").encode(),
        )
        .unwrap();
    let root = container();
    let _view = mount_to(root.clone(), || view! { <CardPage /> });
    tick().await;
    assert_eq!(texts(&root, ".card-number"), vec!["4413 2200 0000 01"]);
    assert_eq!(texts(&root, ".card-holder"), vec!["陈晓明"]);
    // One path each: the barcode's bars and the QR code's dark modules.
    assert_eq!(
        root.query_selector_all("svg.barcode[role=img] path")
            .unwrap()
            .length(),
        1
    );
    assert_eq!(
        root.query_selector_all("svg.qr[role=img] path")
            .unwrap()
            .length(),
        1
    );
    assert_eq!(
        find(&root, "svg.qr")
            .get_attribute("shape-rendering")
            .as_deref(),
        Some("crispEdges")
    );
    assert!(
        texts(&root, ".card-note")
            .iter()
            .any(|t| t.contains("保存在本机")),
        "{}",
        root.inner_html()
    );

    click(&find(&root, "button.card-forget"));
    tick().await;
    assert_eq!(storage.get_item(STORAGE_KEY).unwrap(), None);
    assert!(root.query_selector(".library-card").unwrap().is_none());
}
