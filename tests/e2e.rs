//! End-to-end tests: real headless Chromium, driven over WebDriver, against
//! the real reference server on a freshly seeded database, serving the
//! release build of the app.
//!
//! `cargo xtask test` builds the app and the server and runs these with
//! `YUELAN_SERVER_BIN`, `YUELAN_DIST`, `CHROMEDRIVER` and `CHROMIUM` set.
//! Nothing here sleeps for a fixed time: every wait polls a condition with
//! a deadline and fails with what it saw.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// The WebDriver code of the Enter key.
const ENTER: &str = "\u{E007}";
const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 900);
const WAIT: Duration = Duration::from_secs(20);

/// Every route, with an element that shows the page has rendered.
const ROUTES: [(&str, &str); 9] = [
    ("/", "main h1"),
    ("/search?q=%E7%BA%A2%E6%A5%BC", "ol.results > li.result"),
    ("/search?q=zzzzqqq", ".empty-state"),
    ("/record/1", "table.holdings tbody tr"),
    ("/me", "main h1"),
    ("/booking", "main h1"),
    ("/no-such-page", "main h1"),
    ("/libraries", ".library-entry .open-state"),
    ("/libraries/vc-tiechang", "table.hours-table tbody tr"),
];

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The built app (`dist/`).
fn built_app() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    env_path("YUELAN_DIST", &root.join("dist").to_string_lossy())
}

/// A reference server on a fresh data directory, a ChromeDriver and a
/// browser session; all of it ends when the harness is dropped.
struct Harness {
    server: Child,
    driver: Child,
    data: PathBuf,
    base: String,
    client: Option<Client>,
    /// ChromeDriver's port and the session's id, to end the browser even
    /// when a test panics before `close` (killing ChromeDriver alone would
    /// leave Chromium running).
    driver_port: u16,
    session: String,
}

impl Harness {
    async fn start(size: (u32, u32)) -> Harness {
        Self::start_serving(size, built_app()).await
    }

    /// A harness whose server serves the app in `dist`.
    async fn start_serving((width, height): (u32, u32), dist: PathBuf) -> Harness {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let bin = env_path(
            "YUELAN_SERVER_BIN",
            &root.join("target/debug/yuelan-server").to_string_lossy(),
        );
        assert!(
            dist.join("index.html").exists(),
            "no built app in {}: run `cargo xtask test`",
            dist.display()
        );
        let data =
            std::env::temp_dir().join(format!("yuelan-e2e-{}-{}", std::process::id(), free_port()));
        let _ = std::fs::remove_dir_all(&data);

        let mut server = Command::new(&bin)
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(&data)
            .arg("--static")
            .arg(&dist)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdout = server.stdout.take().expect("server stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let base = loop {
            line.clear();
            let n = reader.read_line(&mut line).expect("server output");
            assert!(n > 0, "the server exited before it listened");
            if let Some(addr) = line.trim().strip_prefix("listening on ") {
                break addr.trim_end_matches('/').to_owned();
            }
        };
        std::thread::spawn(move || for _ in reader.lines() {});

        let port = free_port();
        let driver = Command::new(env_path("CHROMEDRIVER", "/usr/bin/chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start chromedriver");
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let chromium = env_path("CHROMIUM", "/usr/bin/chromium");
        let mut options = json!({
            "binary": chromium.to_string_lossy(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=zh-CN",
                format!("--window-size={width},{height}"),
            ]
        });
        // Headless windows have a minimum width; a phone's exact viewport
        // (and touch) comes from Chromium's device emulation.
        if width < 500 {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true }
            });
        }
        let caps = json!({ "goog:chromeOptions": options });
        let caps = caps
            .as_object()
            .cloned()
            .expect("capabilities are an object");
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        let session = client.session_id().await.ok().flatten().unwrap_or_default();
        Harness {
            server,
            driver,
            data,
            base,
            client: Some(client),
            driver_port: port,
            session,
        }
    }

    fn c(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }

    async fn open(&self, path: &str) {
        self.c()
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    /// Texts of every element matching `css`.
    /// Opens `path` and waits until `ready` (a CSS selector) shows text.
    /// Waits for a record page's actions (place hold, favourite): they
    /// come from the account's chunks after the holdings are shown, and
    /// push them down, so a click or a scroll waits for them.
    async fn wait_record_actions(&self) {
        self.wait_texts(".record-actions button", "the record's actions", |t| {
            t.len() >= 2
        })
        .await;
    }

    async fn open_ready(&self, path: &str, ready: &str) {
        self.open(path).await;
        self.wait_texts(ready, &format!("{path} to render"), |t| !t.is_empty())
            .await;
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(els) = self.c().find_all(Locator::Css(css)).await {
            for e in els {
                out.push(e.text().await.unwrap_or_default());
            }
        }
        out
    }

    /// Waits until `check` holds for the texts of `css`; returns them.
    async fn wait_texts(
        &self,
        css: &str,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let t = self.texts(css).await;
            if check(&t) {
                return t;
            }
            if Instant::now() > deadline {
                let shot = self.screenshot(what).await;
                panic!("timed out waiting for {what} ({css}); saw {t:?}; screenshot {shot}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn js(&self, script: &str) -> serde_json::Value {
        self.c().execute(script, vec![]).await.expect("script runs")
    }

    /// Waits until `script` returns `expected`.
    async fn wait_js(&self, script: &str, expected: serde_json::Value, what: &str) {
        self.wait_js_until(script, what, |got| *got == expected)
            .await;
    }

    /// Waits until what `script` returns passes `check`; returns it.
    async fn wait_js_until(
        &self,
        script: &str,
        what: &str,
        check: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let got = self.js(script).await;
            if check(&got) {
                return got;
            }
            if Instant::now() > deadline {
                let shot = self.screenshot(what).await;
                panic!("timed out waiting for {what}; `{script}` gave {got}; screenshot {shot}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page is scrolled to `y` (within 2 px), as it was
    /// before the patron left it. The failure shows [scrollY, page height,
    /// result items, URL].
    async fn wait_scroll_restored(&self, y: &serde_json::Value, what: &str) {
        let y = y.as_i64();
        self.wait_js_until(
            "return [Math.round(window.scrollY), document.documentElement.scrollHeight, document.querySelectorAll('ol.results > li').length, location.href]",
            what,
            |now| {
                now[0]
                    .as_i64()
                    .zip(y)
                    .is_some_and(|(a, b)| (a - b).abs() <= 2)
            },
        )
        .await;
    }

    async fn screenshot(&self, name: &str) -> String {
        let path = std::env::temp_dir().join(format!("yuelan-e2e-{}.png", name.replace(' ', "-")));
        if let Ok(png) = self.c().screenshot().await {
            let _ = std::fs::write(&path, png);
        }
        path.display().to_string()
    }

    async fn search(&self, query: &str) {
        let input = self
            .c()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("form[role=search] input[type=search][name=q]"))
            .await
            .expect("a search box");
        input.clear().await.expect("clear the search box");
        input
            .send_keys(&format!("{query}{ENTER}"))
            .await
            .expect("type a query");
    }

    async fn click_result(&self, title: &str) {
        self.wait_texts("ol.results > li.result a.result-title", "results", |t| {
            t.iter().any(|x| x == title)
        })
        .await;
        for link in self
            .c()
            .find_all(Locator::Css("ol.results > li.result a.result-title"))
            .await
            .expect("links")
        {
            if link.text().await.unwrap_or_default() == title {
                link.click().await.expect("open the record");
                return;
            }
        }
        panic!("no result titled {title}");
    }

    async fn close(mut self) {
        if let Some(c) = self.client.take() {
            let _ = c.close().await;
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if self.client.is_some() && !self.session.is_empty() {
            // A plain WebDriver "delete session": ChromeDriver quits Chromium.
            use std::io::{Read, Write};
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.driver_port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                let req = format!(
                    "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                    self.session
                );
                let _ = s.write_all(req.as_bytes());
                let _ = s.read(&mut [0u8; 512]);
            }
        }
        let _ = self.server.kill();
        let _ = self.driver.kill();
        let _ = self.server.wait();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test]
async fn phone_searches_huozhe_opens_the_record_and_sees_its_branches_in_chinese() {
    let h = Harness::start(PHONE).await;
    h.open("/").await;
    // The shell renders once the WASM and config.json are in.
    h.wait_texts("nav.tabbar", "the bottom tab bar", |t| t.len() == 1)
        .await;
    assert_eq!(
        h.js("return document.documentElement.lang").await,
        json!("zh-CN")
    );
    assert_eq!(
        h.js("return window.innerWidth").await,
        json!(PHONE.0),
        "a phone-sized viewport"
    );

    h.search("活着").await;
    h.click_result("活着").await;
    h.wait_texts("h1.record-title", "the record title", |t| {
        t.first().is_some_and(|x| x == "活着")
    })
    .await;
    let branches = h
        .wait_texts(
            "table.holdings tbody tr td.holding-branch",
            "holdings",
            |t| !t.is_empty(),
        )
        .await;
    assert!(
        branches.iter().all(|b| has_han(b)),
        "branch names are in Chinese: {branches:?}"
    );
    assert!(
        branches.iter().any(|b| b.contains("图书馆")),
        "the county library holds it: {branches:?}"
    );
    let page = h.texts("main").await.join(" ");
    assert!(page.contains("余华"), "the record names its author");

    // Back returns to the same results, with the query still in the box.
    h.c().back().await.expect("back");
    h.wait_texts(
        "ol.results > li.result a.result-title",
        "results after back",
        |t| t.iter().any(|x| x == "活着"),
    )
    .await;
    let url = h.c().current_url().await.expect("url");
    assert!(
        url.query().is_some_and(|q| q.contains("q=")),
        "the query is in the URL: {url}"
    );

    // A reload restores the same search from the URL.
    h.c().refresh().await.expect("reload");
    h.wait_texts(
        "ol.results > li.result a.result-title",
        "results after reload",
        |t| t.iter().any(|x| x == "活着"),
    )
    .await;
    let value = h
        .js("return document.querySelector('input[type=search][name=q]').value")
        .await;
    assert_eq!(value, json!("活着"));
    h.close().await;
}

#[tokio::test]
async fn phone_does_the_same_in_english_and_remembers_the_language() {
    let h = Harness::start(PHONE).await;
    h.open("/").await;
    let toggle = h
        .c()
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("button.lang-toggle"))
        .await
        .expect("toggle");
    toggle.click().await.expect("switch to English");
    h.wait_texts("html", "lang=en", |_| true).await;
    h.wait_js(
        "return document.documentElement.lang",
        json!("en"),
        "the page to switch to English",
    )
    .await;

    h.search("活着").await;
    let count = h
        .wait_texts(".result-count", "the result count", |t| {
            t.iter().any(|x| !x.is_empty())
        })
        .await;
    assert!(
        count.iter().any(|c| c.to_lowercase().contains("result")),
        "the result count is in English: {count:?}"
    );
    h.click_result("活着").await;
    h.wait_texts("h1.record-title", "the record title", |t| {
        t.first().is_some_and(|x| x == "活着")
    })
    .await;
    let branches = h
        .wait_texts(
            "table.holdings tbody tr td.holding-branch",
            "holdings",
            |t| !t.is_empty(),
        )
        .await;
    assert!(
        branches.iter().all(|b| !has_han(b)),
        "branch names are in English: {branches:?}"
    );
    assert!(
        branches.iter().any(|b| b.contains("Library")),
        "library names in English: {branches:?}"
    );

    // The choice survives a reload.
    h.c().refresh().await.expect("reload");
    h.wait_texts("h1.record-title", "the record title after reload", |t| {
        !t.is_empty()
    })
    .await;
    assert_eq!(
        h.js("return document.documentElement.lang").await,
        json!("en")
    );
    h.close().await;
}

#[tokio::test]
async fn pinyin_initials_find_hongloumeng_and_hostile_queries_render_as_text() {
    let h = Harness::start(DESKTOP).await;
    h.open("/search?q=hlm").await;
    h.wait_texts(
        "ol.results > li.result a.result-title",
        "results for hlm",
        |t| t.iter().any(|x| x.contains("红楼梦")),
    )
    .await;

    let hostile = "<img src=x onerror=alert(1)>";
    h.search(hostile).await;
    h.wait_texts(
        ".result-count, .empty-state, .error-view",
        "an answer to a hostile query",
        |t| !t.is_empty(),
    )
    .await;
    let injected = h
        .js("return document.querySelectorAll('main img[src=x]').length")
        .await;
    assert_eq!(injected, json!(0), "query text is never turned into markup");
    let value = h
        .js("return document.querySelector('input[type=search][name=q]').value")
        .await;
    assert_eq!(value, json!(hostile), "what the patron typed is kept");
    h.close().await;
}

#[tokio::test]
async fn a_missing_record_shows_a_clear_error_not_a_blank_page() {
    let h = Harness::start(PHONE).await;
    h.open("/record/99999999").await;
    let shown = h
        .wait_texts(".error-view", "the error view", |t| {
            t.iter().any(|x| !x.trim().is_empty())
        })
        .await;
    assert!(
        shown.iter().any(|t| has_han(t)),
        "the message is in the patron's language: {shown:?}"
    );
    assert_eq!(
        h.texts("nav.tabbar").await.len(),
        1,
        "the app shell is still there"
    );
    h.close().await;
}

/// The number in the result count text (e.g. "共 12 条结果" or "12 results").
fn count_in(texts: &[String]) -> Option<u64> {
    texts.iter().find_map(|t| {
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[tokio::test]
async fn desktop_facet_panel_filters_by_format_and_the_url_keeps_it() {
    let h = Harness::start(DESKTOP).await;
    h.open("/search?q=%E7%BA%A2%E6%A5%BC").await; // 红楼
    let before = count_in(
        &h.wait_texts(".result-count", "the result count", |t| {
            count_in(t).is_some()
        })
        .await,
    );
    let dvd = h
        .c()
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(
            "#facets fieldset[data-field=format] input[value=dvd]",
        ))
        .await
        .expect("the format facet offers DVDs beside the results on desktop");
    assert!(
        dvd.is_displayed().await.expect("visibility"),
        "the side panel is open on desktop"
    );
    dvd.click().await.expect("select DVD");
    h.wait_js(
        "return location.search.includes('format=dvd')",
        json!(true),
        "the filter to reach the URL",
    )
    .await;
    let after = h
        .wait_texts(".result-count", "a narrower count", |t| {
            count_in(t).is_some() && count_in(t) != before
        })
        .await;
    assert!(
        count_in(&after) < before,
        "DVDs are fewer than all formats: {before:?} → {after:?}"
    );

    // A reload keeps the filter ticked.
    h.c().refresh().await.expect("reload");
    h.wait_texts(".result-count", "the count after reload", |t| {
        count_in(t) == count_in(&after)
    })
    .await;
    // The facet panel's code arrives after the results: wait for it.
    h.wait_js(
        "const i = document.querySelector('#facets input[value=dvd]'); return i ? i.checked : null",
        json!(true),
        "the DVD filter ticked after reload",
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn phone_filter_sheet_opens_as_a_dialog_and_escape_closes_it() {
    let h = Harness::start(PHONE).await;
    h.open("/search?q=%E5%B2%AD%E5%8D%97").await; // 岭南
    h.wait_texts(".result-count", "the result count", |t| {
        count_in(t).is_some()
    })
    .await;
    // The closed sheet holds no checkboxes: its groups are built when it
    // opens, not with every answer.
    const GROUPS: &str = "return document.querySelectorAll('#facets fieldset.facet').length";
    h.wait_js(
        "return document.getElementById('facets') !== null",
        json!(true),
        "the facet panel's code",
    )
    .await;
    assert_eq!(h.js(GROUPS).await, json!(0), "groups in the closed sheet");
    let button = h
        .c()
        .find(Locator::Css("button.filter-button"))
        .await
        .expect("a filter button on phones");
    button.click().await.expect("open the filter sheet");
    const SHEET_OPEN: &str = "return document.querySelector('#facets[role=dialog]') !== null";
    h.wait_js(
        SHEET_OPEN,
        json!(true),
        "the filter sheet to open as a dialog",
    )
    .await;
    h.wait_js_until(GROUPS, "the open sheet to show the facet groups", |n| {
        n.as_u64().is_some_and(|n| n >= 2)
    })
    .await;
    h.wait_js(
        "return document.getElementById('facets').contains(document.activeElement)",
        json!(true),
        "focus to move into the sheet",
    )
    .await;
    h.c()
        .active_element()
        .await
        .expect("focused element")
        .send_keys("\u{E00C}")
        .await
        .expect("press Escape");
    h.wait_js(SHEET_OPEN, json!(false), "Escape to close the sheet")
        .await;
    h.wait_js(
        "return document.activeElement.classList.contains('filter-button')",
        json!(true),
        "focus to return to the filter button",
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn back_and_forward_return_to_where_the_patron_was_on_every_page() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/record/1", "table.holdings tbody tr").await;
    h.wait_record_actions().await;
    // Down to the holdings, then away by the tab bar.
    let y = h
        .js(
            "const max = document.documentElement.scrollHeight - window.innerHeight;
             window.scrollTo(0, Math.min(600, max));
             return Math.round(window.scrollY)",
        )
        .await;
    assert!(
        y.as_i64().is_some_and(|y| y >= 150),
        "the record page scrolls: {y}"
    );
    h.c()
        .find(Locator::Css("a.tab[href='/']"))
        .await
        .expect("the home tab")
        .click()
        .await
        .expect("go home");
    h.wait_js("return location.pathname", json!("/"), "the home page")
        .await;
    assert_eq!(
        h.js("return Math.round(window.scrollY)").await,
        json!(0),
        "a new page starts at the top"
    );
    // Back: the record is built again (its data fetched again), and the
    // page returns to where the patron was on it.
    h.c().back().await.expect("back");
    h.wait_texts("table.holdings tbody tr", "the record again", |t| {
        !t.is_empty()
    })
    .await;
    h.wait_scroll_restored(&y, "the record's scroll position restored")
        .await;
    // Forward to home, which the patron left at the top.
    h.c().forward().await.expect("forward");
    h.wait_js("return location.pathname", json!("/"), "home again")
        .await;
    h.wait_js(
        "return Math.round(window.scrollY)",
        json!(0),
        "home at the top, where it was left",
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn load_more_appends_the_next_page_and_a_reload_restores_it() {
    let h = Harness::start(PHONE).await;
    h.open("/search?q=%E6%96%87%E5%AD%A6").await; // 文学: more than 100 records.
    let first = h
        .wait_texts(
            "ol.results > li.result a.result-title",
            "the first page",
            |t| t.len() == 20,
        )
        .await;
    let more = h
        .c()
        .find(Locator::Css("button.load-more"))
        .await
        .expect("a load-more button");
    // Scroll it to the middle, as a patron would, clear of the fixed tab bar.
    h.js("document.querySelector('button.load-more').scrollIntoView({block: 'center'})")
        .await;
    h.js("document.querySelector('ol.results > li').dataset.probe = 'kept'")
        .await;
    more.click().await.expect("click load more");
    let both = h
        .wait_texts("ol.results > li.result a.result-title", "two pages", |t| {
            t.len() == 40
        })
        .await;
    assert_eq!(both[..20], first[..], "the first page stays in place");
    assert_eq!(
        h.js("return document.querySelector('ol.results > li').dataset.probe || null")
            .await,
        json!("kept"),
        "load more adds to the list and does not build it again"
    );
    h.wait_js(
        "return document.activeElement === document.querySelector('ol.results > li:nth-child(21) a.result-title')",
        json!(true),
        "focus on the first new result",
    )
    .await;

    // Open the 35th record, come back: the list is where it was.
    h.js("document.querySelector('ol.results > li:nth-child(35) a.result-title').scrollIntoView({block: 'center'})")
        .await;
    // Where the list is as the link is followed (content arriving above it
    // may have moved it since, with scroll anchoring).
    let y = h
        .js("const y = Math.round(window.scrollY);
             document.querySelector('ol.results > li:nth-child(35) a.result-title').click();
             return y")
        .await;
    assert!(
        y.as_i64().is_some_and(|y| y > 500),
        "scrolled down the list: {y}"
    );
    h.wait_js(
        "return location.pathname.startsWith('/record/')",
        json!(true),
        "the record page",
    )
    .await;
    h.c().back().await.expect("back");
    h.wait_texts(
        "ol.results > li.result a.result-title",
        "the list again",
        |t| t.len() == 40,
    )
    .await;
    h.wait_scroll_restored(&y, "the scroll position restored")
        .await;
    let url = h.c().current_url().await.expect("url");
    assert!(
        url.query().is_some_and(|q| q.contains("page=2")),
        "the page is in the URL: {url}"
    );
    h.c().refresh().await.expect("reload");
    h.wait_texts(
        "ol.results > li.result a.result-title",
        "two pages after reload",
        |t| t.len() == 40,
    )
    .await;
    h.close().await;
}

/// Runs axe-core (`AXE_JS`, installed by `cargo xtask test`) on the page and
/// returns the violations of the WCAG 2.0/2.1/2.2 A and AA rules.
async fn axe_violations(h: &Harness) -> Vec<String> {
    let path = std::env::var("AXE_JS").expect("AXE_JS names axe.min.js (cargo xtask test sets it)");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    // WebDriver scripts run outside the page's CSP, like a person's extension.
    h.c().execute(&source, vec![]).await.expect("axe loads");
    let result = h
        .c()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    serde_json::from_value(result).expect("a list of violations")
}

#[tokio::test]
async fn every_route_has_no_axe_violations_in_both_languages_and_elder_mode() {
    for size in [PHONE, DESKTOP] {
        let h = Harness::start(size).await;
        h.open("/").await;
        for (locale, elder) in [("zh-CN", "0"), ("en", "0"), ("zh-CN", "1")] {
            h.js(&format!(
                "localStorage.setItem('yuelan.locale', '{locale}'); localStorage.setItem('yuelan.elder', '{elder}'); return true"
            ))
            .await;
            for (path, ready) in ROUTES {
                h.open_ready(path, ready).await;
                if path.starts_with("/search") {
                    // The facet panel's code arrives after the results.
                    h.wait_js(
                        "return document.getElementById('facets') !== null",
                        json!(true),
                        "the facet panel",
                    )
                    .await;
                }
                let lang = h.js("return document.documentElement.lang").await;
                assert_eq!(lang, json!(locale), "{path} is in {locale}");
                let violations = axe_violations(&h).await;
                assert!(
                    violations.is_empty(),
                    "axe violations on {path} ({locale}, elder {elder}, {}×{}): {violations:#?}",
                    size.0,
                    size.1
                );
            }
        }
        // The check itself can fail: an unlabelled field is a violation.
        h.js("const i = document.createElement('input'); document.querySelector('main').appendChild(i); return true")
            .await;
        let planted = axe_violations(&h).await;
        assert!(
            planted.iter().any(|v| v.starts_with("label")),
            "axe reports a planted violation: {planted:?}"
        );
        h.close().await;
    }
}

#[tokio::test]
async fn the_first_api_requests_start_with_the_wasm_and_are_made_once() {
    let h = Harness::start(PHONE).await;
    // How many requests the page made for URLs containing `part`.
    let count = |part: &str| {
        format!(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('{part}')).length"
        )
    };
    for (path, api, ready) in [
        (
            "/search?q=%E6%B4%BB%E7%9D%80",
            "/api/search?q=%E6%B4%BB%E7%9D%80&sort=relevance&page=1&page_size=20",
            "ol.results > li.result",
        ),
        ("/record/1", "/api/records/1", "table.holdings tbody tr"),
        // Pages whose code is a chunk: the boot script fetched it too.
        ("/", "/api/libraries", "main h1"),
        ("/booking", "/api/libraries", "main h1"),
    ] {
        h.open_ready(path, ready).await;
        // The boot script started them, and the app took every one.
        assert_eq!(
            h.js("const m = window.__yuelanPrefetch; return m ? m.size : null")
                .await,
            json!(0),
            "{path}: the app took every request the boot script started"
        );
        for part in [api, "/api/libraries", "/config.json"] {
            assert_eq!(
                h.js(&count(part)).await,
                json!(1),
                "{path}: one request for {part}"
            );
        }
        // The boot script fetched the chunk table, and the split loader
        // took its answer rather than asking again.
        if !path.starts_with("/search") {
            assert_eq!(
                h.js(&count("/yuelan-chunks-")).await,
                json!(1),
                "{path}: one request for the chunk table"
            );
        }
        // No file of code was fetched twice.
        assert_eq!(
            h.js("const names = performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'));
                  return names.length - new Set(names).size")
                .await,
            json!(0),
            "{path}: every WASM file fetched once"
        );
    }
    h.close().await;
}

/// Replaces the answers of `/api/search` with `kind` (see the script) by
/// wrapping the page's `fetch`; `restore` puts the real one back.
const BREAK_SEARCH: &str = r#"
const kind = arguments[0];
if (!window.__realFetch) window.__realFetch = window.fetch;
const real = window.__realFetch;
if (kind === 'restore') { window.fetch = real; return true; }
const json = (status, body, type) => Promise.resolve(new Response(body, { status: status, headers: { 'Content-Type': type || 'application/json' } }));
window.fetch = function (url, init) {
  if (!String(url).includes('/api/search')) return real.apply(this, arguments);
  switch (kind) {
    case 'malformed': return json(200, '{"query": "x", "total": 3, "hits": [');
    case 'wrong-types': return json(200, '{"query": 1, "total": "many", "page": [], "hits": {"a": 1}, "facets": null}');
    case 'html-500': return json(500, '<html><body>Internal <script>alert(1)</script></body></html>', 'text/html');
    case 'problem-503': return json(503, '{"type": "about:blank", "title": "down <b>now</b>", "status": 503, "code": "unavailable"}', 'application/problem+json');
    case 'network': return Promise.reject(new TypeError('Failed to fetch'));
  }
  return real.apply(this, arguments);
};
return true;
"#;

#[tokio::test]
async fn broken_api_answers_show_a_clear_message_keep_the_query_and_retry_works() {
    let h = Harness::start(PHONE).await;
    h.open("/search?q=%E6%B4%BB%E7%9D%80").await;
    h.wait_texts("ol.results > li.result", "the first results", |t| {
        !t.is_empty()
    })
    .await;
    let cases = [
        ("malformed", "收到的数据无法识别。请稍后重试。"),
        ("wrong-types", "收到的数据无法识别。请稍后重试。"),
        ("html-500", "服务器出了问题，请稍后重试。"),
        ("problem-503", "服务暂时不可用，请稍后重试。"),
        ("network", "网络连接失败。请检查网络后重试。"),
    ];
    for (i, (kind, message)) in cases.into_iter().enumerate() {
        h.c()
            .execute(BREAK_SEARCH, vec![json!(kind)])
            .await
            .expect("break the search API");
        // A new query each time, so no answer comes from the page's cache.
        let query = format!("红楼 {i}");
        h.search(&query).await;
        let shown = h
            .wait_texts(".results-area .error-view .error-message", kind, |t| {
                t.len() == 1
            })
            .await;
        assert_eq!(shown, vec![message.to_owned()], "{kind}: the message");
        let body = h.js("return document.body.innerText").await;
        let body = body.as_str().unwrap_or_default();
        assert!(
            !body.contains("alert(1)") && !body.contains("<b>") && !body.contains("down now"),
            "{kind}: nothing of the server's text is shown"
        );
        // What the patron typed is still there.
        assert_eq!(
            h.js("return document.querySelector('form[role=search] input[name=q]').value")
                .await,
            json!(query),
            "{kind}: the query is kept"
        );
        // The app lives on: Retry with a working server shows results.
        h.c()
            .execute(BREAK_SEARCH, vec![json!("restore")])
            .await
            .expect("restore fetch");
        h.c()
            .find(Locator::Css(".results-area .error-view button.retry"))
            .await
            .expect("a Retry button")
            .click()
            .await
            .expect("retry");
        h.wait_texts(
            ".result-count",
            &format!("{kind}: results after retry"),
            |t| count_in(t).is_some(),
        )
        .await;
    }
    h.close().await;
}

/// The touch targets on the page smaller than `min` CSS px either way, and
/// whether the page is wider than the screen, the body text size and line
/// height in px. A checkbox, radio or field inside a label counts as its
/// label (the label is what a finger hits).
const LAYOUT_CHECK: &str = r#"
const min = arguments[0];
const small = [];
const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
for (const el of document.querySelectorAll(sel)) {
  let r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  const label = el.closest('label');
  if (label && (el.tagName === 'INPUT' || el.tagName === 'SELECT')) r = label.getBoundingClientRect();
  if (r.width < min - 0.5 || r.height < min - 0.5) {
    small.push(el.tagName + '.' + el.className + ' "' + (el.textContent || el.value || '').trim().slice(0, 24) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
}
const text = getComputedStyle(document.querySelector('main'));
return {
  small: small,
  overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
  font: parseFloat(text.fontSize),
  line: parseFloat(text.lineHeight) / parseFloat(text.fontSize),
};
"#;

impl Harness {
    /// Asserts that the page shown (`path`, elder mode `elder`) has no
    /// touch target under `min_target` CSS px and is no wider than the
    /// screen; answers the whole check (with the text's size).
    async fn assert_fits(&self, path: &str, min_target: u32, elder: &str) -> serde_json::Value {
        let got = self
            .c()
            .execute(LAYOUT_CHECK, vec![json!(min_target)])
            .await
            .expect("layout check runs");
        assert_eq!(
            got["small"],
            json!([]),
            "targets under {min_target} px on {path} (elder {elder})"
        );
        assert_eq!(
            got["overflow"],
            json!(false),
            "{path} is wider than the screen (elder {elder})"
        );
        got
    }
}

#[tokio::test]
async fn touch_targets_text_size_and_320px_width_hold_in_normal_and_elder_mode() {
    let h = Harness::start((320, 640)).await;
    h.open("/").await;
    // Elder mode: targets of 60 px and body text of at least 18 pt (24 px).
    for (elder, min_target, min_font) in [("0", 44, 16.0), ("1", 60, 24.0)] {
        h.js(&format!(
            "localStorage.setItem('yuelan.elder', '{elder}'); return true"
        ))
        .await;
        for (path, ready) in ROUTES {
            h.open_ready(path, ready).await;
            let got = h.assert_fits(path, min_target, elder).await;
            let font = got["font"].as_f64().unwrap_or(0.0);
            let line = got["line"].as_f64().unwrap_or(0.0);
            assert!(
                font >= min_font,
                "{path}: body text {font} px (elder {elder})"
            );
            assert!(line >= 1.3, "{path}: line height {line} (elder {elder})");
        }
    }
    // The check itself can fail: a small button is reported.
    h.js("const b = document.createElement('button'); b.textContent = 'x'; b.style.cssText = 'all: unset'; document.querySelector('main').appendChild(b); return true")
        .await;
    let got = h
        .c()
        .execute(LAYOUT_CHECK, vec![json!(60)])
        .await
        .expect("layout check runs");
    assert_ne!(
        got["small"],
        json!([]),
        "a planted small target is reported"
    );
    h.close().await;
}

#[tokio::test]
async fn a_page_whose_code_cannot_be_fetched_shows_retry_and_the_app_lives_on() {
    // The built app without the record page's WASM chunk, as when the
    // connection drops after the first load.
    let copy = std::env::temp_dir().join(format!("yuelan-e2e-nochunk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).expect("a temporary directory");
    let mut removed = 0;
    for entry in std::fs::read_dir(built_app())
        .expect("the built app")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("yuelan-split-record-page-") {
            removed += 1;
            continue;
        }
        if entry.path().is_file() {
            std::fs::copy(entry.path(), copy.join(&name)).expect("copy a file of the app");
        }
    }
    assert!(removed > 0, "the build has a record page chunk");

    let h = Harness::start_serving(PHONE, copy.clone()).await;
    h.open("/search?q=%E6%B4%BB%E7%9D%80").await; // 活着
    h.wait_texts("ol.results > li.result a.result-title", "results", |t| {
        !t.is_empty()
    })
    .await;
    h.c()
        .find(Locator::Css("ol.results > li.result a.result-title"))
        .await
        .expect("a result link")
        .click()
        .await
        .expect("open the record");
    h.wait_texts(".error-view button.retry", "the error with Retry", |t| {
        t.len() == 1
    })
    .await;
    // The app still runs (a panic would have killed it): back shows the
    // results again.
    h.c().back().await.expect("go back");
    h.wait_texts(
        "ol.results > li.result a.result-title",
        "results after back",
        |t| !t.is_empty(),
    )
    .await;
    h.close().await;
    let _ = std::fs::remove_dir_all(&copy);
}

// ---------------------------------------------------------------------------
// The patron's account: sign-in, holds, Me, loans, sign-out.

/// The demo patron of the README (陈晓明) and his PIN.
const CARD: &str = "44132200000001";
const PIN: &str = "246810";
/// 活着's record page, reached by searching for it.
const HUOZHE: &str = "活着";
/// A village centre where 活着 is never on the shelf (the seed makes sure),
/// so a hold there is accepted.
const HUOZHE_PICKUP: &str = "vc-tiechang";

impl Harness {
    /// Clicks the first element matching `css`.
    async fn click(&self, css: &str) {
        let element = self
            .c()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"));
        // Centred first, clear of the phone's fixed tab bar.
        let arg = serde_json::to_value(&element).expect("an element reference");
        self.c()
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
            .await
            .unwrap_or_else(|e| panic!("cannot scroll to {css}: {e}"));
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Fills the sign-in sheet (open or about to open) and submits it.
    async fn sign_in_on_sheet(&self, card: &str, pin: &str) {
        let field = |css: &'static str| async move {
            self.c()
                .wait()
                .at_most(WAIT)
                .for_element(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("the sign-in sheet has no {css}: {e}"))
        };
        let card_input = field("#signin-card").await;
        card_input.clear().await.expect("clear the card number");
        card_input
            .send_keys(card)
            .await
            .expect("type the card number");
        let pin_input = field("#signin-pin").await;
        pin_input.clear().await.expect("clear the PIN");
        pin_input
            .send_keys(&format!("{pin}{ENTER}"))
            .await
            .expect("type the PIN and submit");
    }

    /// Waits until the sign-in sheet is gone.
    async fn wait_sheet_closed(&self) {
        self.wait_js(
            "return document.querySelector('.signin-sheet') === null",
            json!(true),
            "the sign-in sheet to close",
        )
        .await;
    }

    /// Ends every session on the server, as staff "sign everyone out"
    /// does: the next request of a signed-in browser meets an expired
    /// session.
    fn expire_sessions(&self) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let bin = env_path(
            "YUELAN_SERVER_BIN",
            &root.join("target/debug/yuelan-server").to_string_lossy(),
        );
        let status = Command::new(&bin)
            .args(["expire-sessions", "--data"])
            .arg(&self.data)
            .status()
            .expect("run expire-sessions");
        assert!(status.success(), "expire-sessions failed");
    }

    /// The patron's holds on the server, by title, fetched in the page
    /// with its session (a `GET /api/me`).
    async fn hold_titles(&self) -> Vec<String> {
        let got = self
            .c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/me', { headers: { Accept: 'application/json' } })
                   .then(r => r.json()).then(a => done((a.holds || []).map(h => h.title)))
                   .catch(e => done(['failed: ' + e]));",
                vec![],
            )
            .await
            .expect("fetch /api/me");
        serde_json::from_value(got).expect("a list of titles")
    }

    /// Opens 活着's record page through the search.
    async fn open_huozhe(&self) {
        self.open(&format!("/search?q={}", "%E6%B4%BB%E7%9D%80"))
            .await;
        self.click_result(HUOZHE).await;
        self.wait_texts("h1.record-title", "the record title", |t| {
            t.first().is_some_and(|x| x == HUOZHE)
        })
        .await;
    }

    /// Opens the hold panel of the record page and picks `library`.
    async fn choose_pickup(&self, library: &str) {
        self.click("button.place-hold").await;
        self.wait_js(
            &format!("return !!document.querySelector('#hold-pickup option[value=\"{library}\"]')"),
            json!(true),
            "the pickup libraries",
        )
        .await;
        self.js(&format!(
            "const s = document.getElementById('hold-pickup'); s.value = '{library}';
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true"
        ))
        .await;
    }
}

#[tokio::test]
async fn phone_patron_signs_in_holds_sees_me_renews_shows_card_and_signs_out() {
    let h = Harness::start(PHONE).await;
    // Browsing needs no sign-in: the record page and its hold panel open.
    h.open_huozhe().await;
    h.choose_pickup(HUOZHE_PICKUP).await;
    h.wait_texts("a.about-library", "the pickup library's link", |t| {
        !t.is_empty()
    })
    .await;
    let about = h
        .js("return document.querySelector('a.about-library').getAttribute('href')")
        .await;
    assert_eq!(about, json!(format!("/libraries/{HUOZHE_PICKUP}")));

    // Confirming asks for sign-in, then places the hold at the chosen
    // library without a second tap.
    h.click("button.confirm-hold").await;
    h.wait_texts(".signin-sheet h2", "the sign-in sheet", |t| !t.is_empty())
        .await;
    let reason = h.texts("#signin-reason").await.join(" ");
    assert!(reason.contains("预约"), "the sheet says why: {reason}");
    h.sign_in_on_sheet(CARD, PIN).await;
    h.wait_sheet_closed().await;
    let outcome = h
        .wait_texts(".hold-outcome", "the hold's outcome", |t| !t.is_empty())
        .await
        .join(" ");
    assert!(
        outcome.contains("预约成功"),
        "the hold is placed: {outcome}"
    );
    assert!(
        outcome.contains("铁场"),
        "at the chosen village centre: {outcome}"
    );
    assert_eq!(
        h.hold_titles()
            .await
            .iter()
            .filter(|t| *t == HUOZHE)
            .count(),
        1,
        "exactly one hold on 活着"
    );

    // Me: what needs the patron, first the overdue loan.
    h.open_ready("/me", ".me-needs .timeline").await;
    let needs = h.texts(".timeline-entry").await;
    assert!(
        needs
            .first()
            .is_some_and(|e| e.contains("白夜行") && e.contains("已逾期 5 天")),
        "the overdue loan comes first: {needs:?}"
    );
    assert!(
        needs
            .iter()
            .any(|e| e.contains("三体") && e.contains("2 天后到期")),
        "the loan due in 2 days: {needs:?}"
    );
    assert!(
        needs
            .iter()
            .any(|e| e.contains("小王子") && e.contains("可以取书") && e.contains("显岗")),
        "the hold ready at the village centre: {needs:?}"
    );
    let violations = axe_violations(&h).await;
    assert!(violations.is_empty(), "axe on Me: {violations:#?}");

    // Renew the loan due in 2 days from the loans page.
    h.open_ready("/me/loans", "ul.loans li.loan").await;
    let renewed = h
        .js(
            "const li = [...document.querySelectorAll('li.loan')].find(l => l.textContent.includes('三体'));
             li.querySelector('button.renew').click(); return true",
        )
        .await;
    assert_eq!(renewed, json!(true));
    let result = h
        .wait_texts("li.loan .loan-outcome", "the renewal's result", |t| {
            !t.is_empty()
        })
        .await
        .join(" ");
    assert!(result.contains("已续借"), "renewed: {result}");
    let violations = axe_violations(&h).await;
    assert!(
        violations.is_empty(),
        "axe on the loans page: {violations:#?}"
    );

    // The holds page lists the new hold, waiting, with its queue place.
    h.open_ready("/me/holds", "ul.holds li.hold").await;
    let holds = h.texts("li.hold").await;
    assert!(
        holds
            .iter()
            .any(|t| t.contains(HUOZHE) && t.contains("铁场")),
        "the new hold is listed: {holds:?}"
    );
    let violations = axe_violations(&h).await;
    assert!(
        violations.is_empty(),
        "axe on the holds page: {violations:#?}"
    );

    // The library card shows the card number.
    h.open_ready("/me/card", "main h1").await;

    // Sign out: the server's session ends, Me asks to sign in again.
    h.open_ready("/me", ".me-needs .timeline").await;
    h.click("button.sign-out").await;
    h.wait_texts(".me-notice", "the signed-out notice", |t| {
        t.iter().any(|x| x.contains("已退出"))
    })
    .await;
    h.wait_texts(
        ".signed-out button.signin-button",
        "the sign-in button",
        |t| !t.is_empty(),
    )
    .await;
    let status = h
        .c()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/me').then(r => done(r.status));",
            vec![],
        )
        .await
        .expect("fetch /api/me");
    assert_eq!(status, json!(401), "the session ended on the server");
    h.close().await;
}

#[tokio::test]
async fn a_wrong_pin_says_how_many_tries_are_left_and_keeps_the_card_number() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/me", ".signed-out button.signin-button")
        .await;
    h.click(".signed-out button.signin-button").await;
    h.sign_in_on_sheet(CARD, "999999").await;
    let answer = h
        .wait_texts(".signin-answer", "the wrong PIN's answer", |t| {
            t.iter().any(|x| !x.is_empty())
        })
        .await
        .join(" ");
    assert!(
        answer.contains("不正确") && answer.contains("还可以再试 4 次"),
        "tries left: {answer}"
    );
    assert_eq!(
        h.js("return document.getElementById('signin-card').value")
            .await,
        json!(CARD),
        "the card number is kept"
    );
    assert_eq!(
        h.js("return document.getElementById('signin-pin').value")
            .await,
        json!(""),
        "the PIN is not kept"
    );
    let violations = axe_violations(&h).await;
    assert!(
        violations.is_empty(),
        "axe with the sheet open: {violations:#?}"
    );
    // A malformed card number is caught before anything is sent.
    h.sign_in_on_sheet("12ab", PIN).await;
    h.wait_texts("#signin-card-error", "the card number's error", |t| {
        t.iter().any(|x| x.contains("8 到 20 位"))
    })
    .await;
    // Escape closes the sheet; the page is usable again.
    h.js("document.querySelector('.signin-sheet').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true").await;
    h.wait_sheet_closed().await;
    assert_eq!(
        h.js("return document.getElementById('main').hasAttribute('inert')")
            .await,
        json!(false)
    );
    h.close().await;
}

#[tokio::test]
async fn a_session_expired_during_a_hold_recovers_after_sign_in_and_holds_once() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/me", ".signed-out button.signin-button")
        .await;
    h.click(".signed-out button.signin-button").await;
    h.sign_in_on_sheet(CARD, PIN).await;
    h.wait_sheet_closed().await;
    h.wait_texts(".me-needs .timeline", "the timeline", |t| !t.is_empty())
        .await;

    h.open_huozhe().await;
    h.choose_pickup(HUOZHE_PICKUP).await;
    // The session ends on the server while the patron is choosing.
    h.expire_sessions();
    h.click("button.confirm-hold").await;
    h.wait_texts("#signin-reason", "the sheet for an expired session", |t| {
        t.iter().any(|x| x.contains("过期"))
    })
    .await;
    // The choice is still there behind the sheet.
    assert_eq!(
        h.js("return document.getElementById('hold-pickup').value")
            .await,
        json!(HUOZHE_PICKUP)
    );
    h.sign_in_on_sheet(CARD, PIN).await;
    h.wait_sheet_closed().await;
    let outcome = h
        .wait_texts(".hold-outcome", "the hold's outcome", |t| !t.is_empty())
        .await
        .join(" ");
    assert!(
        outcome.contains("预约成功") && outcome.contains("铁场"),
        "{outcome}"
    );
    assert_eq!(
        h.hold_titles()
            .await
            .iter()
            .filter(|t| *t == HUOZHE)
            .count(),
        1,
        "the hold is placed exactly once"
    );
    h.close().await;
}

/// The ISO weekday (1 is Monday) it is now in China (UTC+8), where the
/// network's libraries are.
fn weekday_in_china() -> u64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    // 1970-01-01 was a Thursday.
    ((secs + 8 * 3600) / 86_400 + 3) % 7 + 1
}

/// Clicks the link matching `css` whose text is `text`, scrolled to the
/// middle of the screen first.
async fn click_link_with_text(h: &Harness, css: &str, text: &str) {
    h.wait_texts(css, &format!("a link {text}"), |t| {
        t.iter().any(|x| x == text)
    })
    .await;
    for link in h.c().find_all(Locator::Css(css)).await.expect("links") {
        if link.text().await.unwrap_or_default() == text {
            // Clear of the fixed tab bar, which would take the click.
            let arg = serde_json::to_value(&link).expect("an element as a script argument");
            h.c()
                .execute(
                    "arguments[0].scrollIntoView({ block: 'center' }); return true",
                    vec![arg],
                )
                .await
                .expect("scroll the link into view");
            link.click().await.expect("follow the link");
            return;
        }
    }
    panic!("no link {text} ({css})");
}

#[tokio::test]
async fn phone_goes_from_home_to_a_village_centre_sees_its_hours_and_directions_and_comes_back() {
    let h = Harness::start(PHONE).await;
    h.open("/").await;
    click_link_with_text(&h, "a.service-card .service-name", "各馆信息").await;

    // The directory, grouped, each library saying in words whether it is open.
    let groups = h
        .wait_texts(".library-group h2", "the directory's groups", |t| {
            t.len() == 3
        })
        .await;
    assert_eq!(groups, ["总馆", "分馆", "村（社区）文化服务中心"]);
    let names = h.texts(".library-entry h3").await;
    let states = h.texts(".library-entry .open-state .open-head").await;
    assert!(names.len() >= 10, "every library is listed: {names:?}");
    assert_eq!(
        states.len(),
        names.len(),
        "each has an open state: {states:?}"
    );
    assert!(
        states.iter().all(|s| has_han(s)),
        "states in words: {states:?}"
    );
    assert_eq!(
        h.js("return document.querySelectorAll('.library-entry .open-state svg.icon').length")
            .await,
        json!(names.len()),
        "each state has an icon"
    );
    let list_url = h.c().current_url().await.expect("url");
    assert_eq!(list_url.path(), "/libraries");

    // A village centre's page.
    click_link_with_text(&h, ".library-entry h3 a", "铁场村综合性文化服务中心").await;
    h.wait_texts("h1.library-title", "the centre's page", |t| {
        t == ["铁场村综合性文化服务中心"]
    })
    .await;
    assert_eq!(
        h.c().current_url().await.expect("url").path(),
        "/libraries/vc-tiechang"
    );
    let kind = h.texts(".library-kind").await.join(" ");
    assert!(
        kind.contains("博罗县图书馆石湾分馆"),
        "it names its branch: {kind}"
    );
    // Its hours this week: Monday to Sunday, today marked in words.
    let days = h
        .wait_texts("table.hours-table tbody th", "the hours table", |t| {
            t.len() == 7
        })
        .await;
    assert!(
        days[0].starts_with("周一") && days[6].starts_with("周日"),
        "{days:?}"
    );
    let hours = h.texts("table.hours-table tbody td").await;
    assert_eq!(hours[0], "闭馆", "closed on Monday: {hours:?}");
    assert_eq!(hours[1], "14:30–17:30", "Tuesday afternoon: {hours:?}");
    assert_eq!(hours[5], "09:00–17:00", "Saturday: {hours:?}");
    let today = weekday_in_china();
    let marked = h
        .js("return Array.from(document.querySelectorAll('table.hours-table tbody tr')).map(r => r.getAttribute('aria-current'))")
        .await;
    let expected: Vec<serde_json::Value> = (1..=7)
        .map(|d| {
            if d == today {
                json!("date")
            } else {
                json!(null)
            }
        })
        .collect();
    assert_eq!(
        marked,
        json!(expected),
        "today (weekday {today} in China) is marked"
    );
    assert!(
        days[(today - 1) as usize].contains("今天"),
        "today is marked in words: {days:?}"
    );
    // The open state is stated in words, as a status.
    let state = h
        .texts(".library .open-state[role=status] .open-head")
        .await;
    assert_eq!(state.len(), 1, "one open state: {state:?}");
    // Directions: AMap at its WGS-84 position, in a new window.
    let directions = h
        .c()
        .find(Locator::Css("a.directions"))
        .await
        .expect("a directions link");
    let href = directions
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(
        href.starts_with("https://uri.amap.com/marker?position=113.887,23.142&"),
        "{href}"
    );
    assert!(href.contains("&coordinate=wgs84"), "{href}");
    assert!(
        href.contains("&name=%E9%93%81%E5%9C%BA%E6%9D%91"),
        "the name, percent-encoded: {href}"
    );
    assert_eq!(
        directions.attr("target").await.expect("target").as_deref(),
        Some("_blank")
    );
    let rel = directions
        .attr("rel")
        .await
        .expect("rel")
        .unwrap_or_default();
    assert!(rel.split(' ').any(|r| r == "noopener"), "{rel}");
    // Services: a list with icons, or a note when none are listed.
    let services = h.texts(".service-list .service").await;
    let note = h.texts(".no-services").await;
    assert!(
        !services.is_empty() || note.len() == 1,
        "services or a note: {services:?} {note:?}"
    );

    // Back to the directory.
    h.c().back().await.expect("back");
    h.wait_texts(".library-group h2", "the directory after back", |t| {
        t.len() == 3
    })
    .await;
    assert_eq!(h.c().current_url().await.expect("url").path(), "/libraries");
    // An id no library has says so, with a way to the list.
    h.open_ready("/libraries/no-such-library", ".library-not-found h1")
        .await;
    assert_eq!(h.texts(".library-not-found h1").await, ["找不到这个馆"]);
    assert_eq!(
        h.js("return document.querySelector('.library-not-found a.button').getAttribute('href')")
            .await,
        json!("/libraries")
    );
    h.close().await;
}

// ---------------------------------------------------------------------------
// The library card, the record page's link (QR code and share), and the
// app with no network.

/// The name of the demo patron (`CARD`, `PIN` above).
const DEMO_NAME: &str = "陈晓明";

impl Harness {
    /// Stops the reference server: from now on the browser finds nothing
    /// at the app's address, as on a dead connection.
    fn stop_server(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }

    /// Signs the demo patron in through the API, as the sign-in sheet
    /// does (the session cookie is then the browser's).
    async fn sign_in_demo_patron(&self) {
        let status = self
            .c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/session', {
                   method: 'POST',
                   headers: { 'Content-Type': 'application/json', 'x-requested-with': 'yuelan' },
                   body: JSON.stringify({ card_number: arguments[0], pin: arguments[1] }),
                 }).then(r => {
                   // The note the app keeps that a patron signed in here.
                   if (r.ok) localStorage.setItem('yuelan.signed-in', '1');
                   done(r.status);
                 }, e => done(String(e)));",
                vec![json!(CARD), json!(PIN)],
            )
            .await
            .expect("the sign-in request runs");
        assert_eq!(status, json!(200), "the demo patron signs in");
    }

    /// Ends the session on the server, as the session's expiry would: the
    /// card kept on this device stays.
    async fn sign_out_through_api(&self) {
        let status = self
            .c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/session', { method: 'DELETE', headers: { 'x-requested-with': 'yuelan' } })
                   .then(r => done(r.status), e => done(String(e)));",
                vec![],
            )
            .await
            .expect("the sign-out request runs");
        assert!(
            status.as_u64().is_some_and(|s| (200..300).contains(&s)),
            "signed out: {status}"
        );
    }

    /// What `zbarimg` (an independent decoder) reads in a screenshot of the
    /// first element matching `css`: `TYPE:data` lines.
    async fn scan_element(&self, css: &str, name: &str) -> Vec<String> {
        // In the middle of the screen, clear of the fixed tab bar.
        self.c()
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' }); return true",
                vec![json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("no {css} to scroll to: {e}"));
        let png = self
            .c()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .screenshot()
            .await
            .expect("an element screenshot");
        let path =
            std::env::temp_dir().join(format!("yuelan-e2e-scan-{}-{name}.png", std::process::id()));
        std::fs::write(&path, png).expect("write the screenshot");
        let zbarimg = env_path("ZBARIMG", "/usr/bin/zbarimg");
        let out = Command::new(&zbarimg)
            .arg("--quiet")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {} (cargo xtask setup installs it): {e}",
                    zbarimg.display()
                )
            });
        let found: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        if found.is_empty() {
            panic!("zbarimg read nothing in {} ({css})", path.display());
        }
        let _ = std::fs::remove_file(&path);
        found
    }
}

/// The card number as the card page shows it: in groups of four.
fn grouped_demo_card() -> String {
    let digits: Vec<char> = CARD.chars().collect();
    digits
        .chunks(4)
        .map(|g| g.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn phone_shows_the_library_card_and_both_codes_scan_to_the_card_number() {
    let h = Harness::start(PHONE).await;
    // Signed out with nothing on the device: the page asks to sign in, and
    // the sign-in sheet brings the card.
    h.open_ready("/me/card", ".card-signin button").await;
    h.click(".card-signin button").await;
    h.sign_in_on_sheet(CARD, PIN).await;
    h.wait_sheet_closed().await;
    h.wait_texts(".library-card .card-number", "the card number", |t| {
        t == [grouped_demo_card()]
    })
    .await;
    assert_eq!(h.texts(".library-card .card-holder").await, vec![DEMO_NAME]);
    assert_eq!(h.texts("main h1").await, vec!["电子读者证"]);

    let read = h.scan_element(".library-card", "card").await;
    assert!(
        read.contains(&format!("CODE-128:{CARD}")),
        "the barcode scans to the card number: {read:?}"
    );
    assert!(
        read.contains(&format!("QR-Code:{CARD}")),
        "the QR code scans to the card number: {read:?}"
    );
    // The card is kept on the device without the PIN or the session.
    let kept = h.js("return localStorage.getItem('yuelan.card')").await;
    let kept = kept.as_str().unwrap_or_default();
    assert!(
        kept.contains(CARD) && kept.contains(DEMO_NAME),
        "kept: {kept:?}"
    );
    assert!(!kept.contains(PIN), "the PIN is never kept");
    let violations = axe_violations(&h).await;
    assert!(violations.is_empty(), "axe on /me/card: {violations:#?}");
    h.close().await;
}

/// Waits until the service worker controls the page and keeps every
/// content-hashed file the page loaded (trunk's hashes can lose leading
/// zeros), index.html and config.json; returns the names of the kept hashed
/// files.
async fn wait_offline_ready(h: &Harness) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = h
            .c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 (async () => {
                   if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return { missing: ['a controlling worker'] };
                   const hashed = performance.getEntriesByType('resource').map(e => e.name)
                     .filter(n => /-[0-9a-f]{12,16}(_bg)?\\.(js|wasm|css)$/.test(new URL(n).pathname));
                   const missing = [];
                   for (const n of hashed.concat(['/index.html', '/config.json'])) {
                     if (!(await caches.match(n, { ignoreVary: true }))) missing.push(n);
                   }
                   return { missing: missing, hashed: hashed };
                 })().then(done, e => done({ missing: [String(e)] }));",
                vec![],
            )
            .await
            .expect("the cache check runs");
        if got["missing"] == json!([]) {
            return serde_json::from_value(got["hashed"].clone()).unwrap_or_default();
        }
        if Instant::now() > deadline {
            panic!("the service worker did not keep the page's files: {got}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_card_shows_while_the_network_is_off() {
    let mut h = Harness::start(PHONE).await;
    h.open_ready("/", "main h1").await;
    h.sign_in_demo_patron().await;
    h.open("/me/card").await;
    h.wait_texts(".library-card .card-number", "the card, online", |t| {
        t == [grouped_demo_card()]
    })
    .await;
    let kept = wait_offline_ready(&h).await;
    assert!(
        kept.iter().any(|n| n.contains("yuelan-split-card-page-")),
        "the card page's code is kept: {kept:?}"
    );

    h.stop_server();
    h.c().refresh().await.expect("reload with no server");
    h.wait_texts(".library-card .card-number", "the card, offline", |t| {
        t == [grouped_demo_card()]
    })
    .await;
    assert_eq!(h.texts(".library-card .card-holder").await, vec![DEMO_NAME]);
    h.wait_texts(
        ".card-note",
        "the note that the card is from this device",
        |t| t.iter().any(|n| n.contains("保存在本机")),
    )
    .await;
    // The codes are drawn offline too.
    let read = h.scan_element(".library-card", "card-offline").await;
    assert!(read.contains(&format!("CODE-128:{CARD}")), "{read:?}");
    h.close().await;
}

#[tokio::test]
async fn a_record_page_gives_its_link_as_a_qr_code_and_shares_or_copies_it() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/record/1", "table.holdings tbody tr").await;
    let link = format!("{}/record/1", h.base);
    let title = h.texts("h1.record-title").await.concat();

    // The QR code of the link, behind a disclosure (opened from the
    // keyboard), scans to the link.
    h.c()
        .find(Locator::Css(".share-qr summary"))
        .await
        .expect("the QR disclosure")
        .send_keys(ENTER)
        .await
        .expect("open it with Enter");
    // Its code is fetched when the disclosure first opens.
    h.wait_js(
        "return document.querySelector('.share-qr').open && document.querySelector('.share-qr svg.qr') !== null",
        json!(true),
        "the disclosure to open and show the code",
    )
    .await;
    let read = h.scan_element(".share-qr svg.qr", "record-qr").await;
    assert_eq!(read, vec![format!("QR-Code:{link}")]);

    let share = || async {
        // Centred first: at the page's end the fixed tab bar would take
        // WebDriver's click.
        h.js("document.querySelector('button.share-button').scrollIntoView({ block: 'center' }); return true")
            .await;
        h.c()
            .find(Locator::Css("button.share-button"))
            .await
            .expect("the share button")
            .click()
            .await
            .expect("share");
    };
    // Without a share sheet (as in desktop Chromium on Linux), the link is
    // copied and the copy announced.
    h.js("navigator.share = undefined; navigator.clipboard.writeText = t => { window.__copied = t; return Promise.resolve(); }; return true")
        .await;
    share().await;
    h.wait_texts(".share-status", "the copied link announced", |t| {
        t == ["链接已复制。"]
    })
    .await;
    assert_eq!(h.js("return window.__copied").await, json!(link));
    // Where the browser has a share sheet, it gets the title and the link.
    h.js("navigator.share = d => { window.__shared = d; return Promise.resolve(); }; return true")
        .await;
    share().await;
    h.wait_js(
        "return window.__shared ? [window.__shared.title, window.__shared.url] : null",
        json!([title, link]),
        "the share sheet gets the title and the link",
    )
    .await;
    // Neither a share sheet nor a clipboard: the link is shown, selected.
    h.js("navigator.share = undefined; navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError')); return true")
        .await;
    share().await;
    h.wait_texts(".share-status", "the copy-it-yourself hint", |t| {
        t == ["请复制下面的链接。"]
    })
    .await;
    h.wait_js(
        "const i = document.querySelector('.share-link input'); return i && document.activeElement === i ? [i.value, i.selectionStart, i.selectionEnd] : null",
        json!([link, 0, link.len()]),
        "the link field, focused with its text selected",
    )
    .await;
    let violations = axe_violations(&h).await;
    assert!(
        violations.is_empty(),
        "axe on the record page: {violations:#?}"
    );
    h.close().await;
}

#[tokio::test]
async fn the_card_and_the_share_controls_pass_axe_and_touch_targets_in_every_mode() {
    let h = Harness::start((320, 640)).await;
    h.open_ready("/", "main h1").await;
    for (locale, elder, min_target) in [("zh-CN", "0", 44), ("en", "0", 44), ("zh-CN", "1", 60)] {
        h.js(&format!(
            "localStorage.setItem('yuelan.locale', '{locale}'); localStorage.setItem('yuelan.elder', '{elder}'); return true"
        ))
        .await;
        h.sign_in_demo_patron().await;
        // The signed-in patron's card; then, once the session has ended
        // elsewhere, the card kept on this device (with its own button).
        for (path, ready, state) in [
            ("/me/card", ".library-card .card-number", "signed in"),
            (
                "/me/card",
                ".card-page button.card-forget",
                "from this device",
            ),
            ("/record/1", "table.holdings tbody tr", ""),
        ] {
            if state == "from this device" {
                h.sign_out_through_api().await;
            }
            h.open_ready(path, ready).await;
            if path.starts_with("/record") {
                h.js("document.querySelector('.share-qr').open = true; return true")
                    .await;
                h.wait_js(
                    "return document.querySelector('.share-qr svg.qr') !== null",
                    json!(true),
                    "the link's QR code",
                )
                .await;
            }
            let what = format!("{path} {state} ({locale}, elder {elder})");
            let violations = axe_violations(&h).await;
            assert!(violations.is_empty(), "axe on {what}: {violations:#?}");
            let got = h
                .c()
                .execute(LAYOUT_CHECK, vec![json!(min_target)])
                .await
                .expect("layout check runs");
            assert_eq!(got["overflow"], json!(false), "{what} is wider than 320 px");
            // The targets of the card page and of the share controls (the
            // rest of the record page is the general layout test's).
            let small = h
                .c()
                .execute(
                    "const min = arguments[0];
                     return [...document.querySelectorAll('.card-page, .share-record')]
                       .flatMap(r => [...r.querySelectorAll('a[href], button, input, summary')])
                       .map(el => [el.tagName + '.' + el.className, el.getBoundingClientRect()])
                       .filter(([, r]) => r.width > 0 && (r.width < min - 0.5 || r.height < min - 0.5))
                       .map(([name, r]) => name + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));",
                    vec![json!(min_target)],
                )
                .await
                .expect("the target check runs");
            assert_eq!(small, json!([]), "targets under {min_target} px on {what}");
            let found = h
                .js("return document.querySelectorAll('.card-page button, .card-page a, .share-record button, .share-record summary').length")
                .await;
            if state != "signed in" {
                assert_ne!(found, json!(0), "{what} has targets to check");
            }
        }
    }
    h.close().await;
}

#[tokio::test]
async fn a_record_pages_holdings_lead_to_each_librarys_page_and_its_books() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/record/1", "table.holdings tbody td.holding-branch a")
        .await;
    h.wait_record_actions().await;
    let link = h
        .c()
        .find(Locator::Css("table.holdings tbody td.holding-branch a"))
        .await
        .expect("a library link");
    let name = link.text().await.expect("its name");
    let href = link.attr("href").await.expect("href").unwrap_or_default();
    assert!(href.starts_with("/libraries/"), "{href}");
    link.click().await.expect("open the library");
    h.wait_texts("h1.library-title", "the library's page", |t| {
        t == [name.clone()]
    })
    .await;
    assert_eq!(h.c().current_url().await.expect("url").path(), href);
    h.wait_texts("table.hours-table tbody tr", "its hours", |t| t.len() == 7)
        .await;

    // "Search this library's books": the search, filtered by the library.
    let id = href.trim_start_matches("/libraries/");
    let search = h
        .c()
        .find(Locator::Css("a.collection-link"))
        .await
        .expect("a link to the library's books");
    assert_eq!(
        search.attr("href").await.expect("href"),
        Some(format!("/search?branch={id}"))
    );
    search.click().await.expect("search the library's books");
    h.wait_texts(".result-count", "results at that library", |t| {
        count_in(t).is_some_and(|n| n > 0)
    })
    .await;
    assert_eq!(
        h.c().current_url().await.expect("url").query(),
        Some(format!("branch={id}").as_str())
    );
    h.close().await;
}

#[tokio::test]
async fn a_new_build_drops_the_files_the_service_worker_kept_of_the_old_one() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/", "main h1").await;
    // A second page load, so that the worker serves it from the start.
    h.open_ready("/search?q=%E6%B4%BB%E7%9D%80", "ol.results > li.result")
        .await;
    wait_offline_ready(&h).await;
    let page = &h;
    let cached = move |script: &'static str| async move {
        page.c()
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     (async () => {{ {script} }})().then(done, e => done(String(e)));"
                ),
                vec![],
            )
            .await
            .expect("a cache script runs")
    };
    // The API is never kept.
    let api = cached(
        "const found = [];
         for (const name of await caches.keys()) {
           for (const r of await (await caches.open(name)).keys()) if (r.url.includes('/api/')) found.push(r.url);
         }
         return found;",
    )
    .await;
    assert_eq!(api, json!([]), "no API answer is kept");

    // As if the kept files came from an older build: one more old file,
    // and a kept index.html naming another boot script.
    let planted = cached(
        "let planted = 0;
         for (const name of await caches.keys()) {
           const cache = await caches.open(name);
           const index = await cache.match('/index.html', { ignoreVary: true });
           if (index) {
             const html = (await index.text()).replace(/boot-[0-9a-f]{16}\\.js/, 'boot-0123456789abcdef.js');
             await cache.put('/index.html', new Response(html, { headers: { 'Content-Type': 'text/html' } }));
             planted += 1;
           } else {
             await cache.put('/yuelan-old-0123456789abcdef.wasm', new Response('old'));
             planted += 10;
           }
         }
         return planted;",
    )
    .await;
    assert_eq!(planted, json!(11), "one page cache and one file cache");

    // The next page load brings this build's index.html: the old build's
    // files go, and this build's are kept again.
    h.open_ready("/search?q=%E6%B4%BB%E7%9D%80", "ol.results > li.result")
        .await;
    let deadline = Instant::now() + WAIT;
    loop {
        let old = cached(
            "return !!(await caches.match('/yuelan-old-0123456789abcdef.wasm', { ignoreVary: true }));",
        )
        .await;
        if old == json!(false) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the old build's file is still kept"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let boot = h
        .js("return [...document.scripts].map(s => s.src).find(s => /boot-[0-9a-f]{16}\\.js/.test(s)).split('/').pop()")
        .await;
    let index = cached(
        "const index = await caches.match('/index.html', { ignoreVary: true }); return index ? await index.text() : '';",
    )
    .await;
    let boot = boot.as_str().unwrap_or("no boot script");
    assert!(
        index.as_str().is_some_and(|html| html.contains(boot)),
        "the kept index.html is this build's ({boot})"
    );
    wait_offline_ready(&h).await;
    h.close().await;
}

// ---------------------------------------------------------------------------
// Favourite lists: the heart beside results, the lists pages, a list
// shared by link.

/// The heart of the result titled 活着.
const HUOZHE_HEART: &str = "//ol[contains(@class,'results')]/li[.//a[contains(@class,'result-title') and normalize-space()='活着']]//button[contains(@class,'fav-toggle')]";

impl Harness {
    /// A second browser on the same server with a profile of its own (no
    /// cookies, no session): someone the patron sent a link to.
    async fn other_browser(&self) -> Client {
        let chromium = env_path("CHROMIUM", "/usr/bin/chromium");
        let caps = json!({ "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=zh-CN", "--window-size=390,844",
            ],
            "mobileEmulation": { "deviceMetrics": { "width": PHONE.0, "height": PHONE.1, "pixelRatio": 3.0, "touch": true } }
        }});
        ClientBuilder::native()
            .capabilities(
                caps.as_object()
                    .cloned()
                    .expect("capabilities are an object"),
            )
            .connect(&format!("http://127.0.0.1:{}", self.driver_port))
            .await
            .expect("a second WebDriver session")
    }

    /// `[aria-pressed, name]` of 活着's heart on the search page: the name
    /// is its text that is not `display: none`.
    async fn huozhe_heart(&self) -> serde_json::Value {
        self.js(&format!(
            "const b = document.evaluate(\"{HUOZHE_HEART}\", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
             const name = b && [...b.querySelectorAll('span')].filter(s => getComputedStyle(s).display !== 'none').map(s => s.textContent).join('');
             return b ? [b.getAttribute('aria-pressed'), name] : null"
        ))
        .await
    }

    /// The address in the share link field of the list card named `name`.
    async fn share_link_of(&self, name: &str) -> serde_json::Value {
        self.js(&format!(
            "const card = [...document.querySelectorAll('li.fav-card')].find(c => c.querySelector('.fav-card-title').textContent.trim() === '{name}');
             const input = card && card.querySelector('.fav-link input');
             return input ? input.value : null"
        ))
        .await
    }

    /// Clicks the share switch of the list card named `name`.
    async fn click_share_switch(&self, name: &str) {
        let clicked = self
            .js(&format!(
                "const card = [...document.querySelectorAll('li.fav-card')].find(c => c.querySelector('.fav-card-title').textContent.trim() === '{name}');
                 if (!card) return false; card.querySelector('button.fav-share-switch').click(); return true"
            ))
            .await;
        assert_eq!(clicked, json!(true), "a share switch on the card of {name}");
    }
}

#[tokio::test]
async fn phone_patron_keeps_huozhe_in_a_list_shares_the_list_and_removes_it() {
    let h = Harness::start(PHONE).await;
    // A first visit to the search page asks for no lists: nobody is signed
    // in, and the hearts cost no request.
    h.open("/search?q=%E6%B4%BB%E7%9D%80").await; // 活着
    h.wait_js_until(&"return document.evaluate(\"HEART\", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue !== null".replace("HEART", HUOZHE_HEART), "the heart beside 活着", |v| *v == json!(true))
        .await;
    assert_eq!(
        h.huozhe_heart().await,
        json!(["false", "把《活着》加入收藏"]),
        "the heart is off and named by the title"
    );
    let list_requests = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/me/lists')).length";
    assert_eq!(h.js(list_requests).await, json!(0), "no lists requested");

    // The heart asks for sign-in first, then offers the patron's two lists.
    h.c()
        .find(Locator::XPath(HUOZHE_HEART))
        .await
        .expect("the heart")
        .click()
        .await
        .expect("tap the heart");
    h.wait_texts(".signin-sheet h2", "the sign-in sheet", |t| !t.is_empty())
        .await;
    h.sign_in_on_sheet(CARD, PIN).await;
    h.wait_sheet_closed().await;
    let choices = h
        .wait_texts(".fav-chooser .fav-choice-name", "the list chooser", |t| {
            t.len() == 2
        })
        .await;
    assert_eq!(
        choices,
        vec!["想读", "给孩子的书"],
        "the patron's lists, oldest first"
    );
    h.wait_js(
        "return document.activeElement && document.activeElement.classList.contains('fav-chooser')",
        json!(true),
        "the focus in the chooser",
    )
    .await;
    let violations = axe_violations(&h).await;
    assert!(
        violations.is_empty(),
        "axe with the chooser open: {violations:#?}"
    );
    let small = h
        .c()
        .execute(LAYOUT_CHECK, vec![json!(44)])
        .await
        .expect("layout check runs");
    assert_eq!(
        small["small"],
        json!([]),
        "targets under 44 px with the chooser open"
    );
    h.click(".fav-chooser li:first-child input[type=checkbox]")
        .await;
    h.wait_texts(".fav-panel .fav-status", "the outcome", |t| {
        t.iter().any(|x| x == "已加入“想读”")
    })
    .await;
    assert_eq!(
        h.huozhe_heart().await,
        json!(["true", "《活着》已收藏"]),
        "the heart is on"
    );
    // Done closes the chooser, says where the title is, and gives the
    // focus back to the heart.
    h.click(".fav-chooser button.fav-done").await;
    h.wait_texts(".fav-panel .fav-status", "where 活着 is now", |t| {
        t.iter().any(|x| x == "收藏于：想读")
    })
    .await;
    assert_eq!(
        h.js("return document.activeElement.classList.contains('fav-toggle')")
            .await,
        json!(true),
        "the focus is back on the heart"
    );
    // After a reload, the saved titles are loaded again (the lists, once).
    h.c().refresh().await.expect("reload");
    h.wait_js_until(
        &format!("const b = document.evaluate(\"{HUOZHE_HEART}\", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue; return b && b.getAttribute('aria-pressed')"),
        "the heart on after a reload",
        |v| *v == json!("true"),
    )
    .await;
    assert_eq!(
        h.js(list_requests).await,
        json!(1),
        "the lists, requested once"
    );

    // My lists: 想读 now holds 4 titles, 活着 first.
    h.open_ready("/me/lists", "li.fav-card .fav-card-title")
        .await;
    let cards = h.texts("li.fav-card").await;
    assert!(
        cards
            .iter()
            .any(|c| c.contains("想读") && c.contains("4 项") && c.contains("已分享")),
        "想读 with 4 titles, shared: {cards:?}"
    );
    assert!(
        cards
            .iter()
            .any(|c| c.contains("给孩子的书") && c.contains("2 项") && c.contains("未分享")),
        "the private list: {cards:?}"
    );
    let violations = axe_violations(&h).await;
    assert!(violations.is_empty(), "axe on my lists: {violations:#?}");
    let link = h.share_link_of("想读").await;
    let link = link.as_str().expect("the shared list's link").to_owned();
    assert!(
        link.starts_with(&format!("{}/lists/", h.base)),
        "an absolute link: {link}"
    );

    // Sharing off: the link no longer opens the list for anyone.
    h.click_share_switch("想读").await;
    h.wait_js_until(
        "const c = [...document.querySelectorAll('li.fav-card')].find(c => c.textContent.includes('想读')); return c && c.querySelector('.fav-share-switch').getAttribute('aria-checked')",
        "sharing off",
        |v| *v == json!("false"),
    )
    .await;
    assert_eq!(
        h.share_link_of("想读").await,
        json!(null),
        "no link while not shared"
    );
    let other = h.other_browser().await;
    other.goto(&link).await.expect("open the link");
    let deadline = Instant::now() + WAIT;
    loop {
        let h1 = match other.find(Locator::Css("main h1")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if h1.contains("停止分享") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the unshared link says so; saw {h1:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Sharing on again: anyone with the link reads the list, without
    // signing in and without a way to change it.
    h.click_share_switch("想读").await;
    let link = h
        .wait_js_until(
            "const c = [...document.querySelectorAll('li.fav-card')].find(c => c.textContent.includes('想读')); const i = c && c.querySelector('.fav-link input'); return i ? i.value : null",
            "the link again",
            |v| v.is_string(),
        )
        .await;
    other
        .goto(link.as_str().expect("a link"))
        .await
        .expect("open the link again");
    let deadline = Instant::now() + WAIT;
    let page = loop {
        let text = other
            .execute(
                "const main = document.querySelector('main'); return main ? main.innerText : ''",
                vec![],
            )
            .await
            .expect("read the page");
        let text = text.as_str().unwrap_or_default().to_owned();
        if text.contains("活着") {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the shared list shows 活着; saw {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        page.contains("想读") && page.contains("陈 分享的收藏夹"),
        "{page}"
    );
    assert!(page.contains("百年孤独"), "every entry: {page}");
    let controls = other
        .execute(
            "return document.querySelectorAll('main button, main input, .signin-sheet').length",
            vec![],
        )
        .await
        .expect("count controls");
    assert_eq!(controls, json!(0), "read-only, and no sign-in asked");
    let _ = other.close().await;

    // The list's page: remove 活着, by its button named with the title.
    h.click("li.fav-card .fav-card-title a").await;
    h.wait_texts("li.fav-entry .fav-entry-title", "the entries", |t| {
        t.first().is_some_and(|x| x == "活着")
    })
    .await;
    let violations = axe_violations(&h).await;
    assert!(
        violations.is_empty(),
        "axe on the list page: {violations:#?}"
    );
    let remove = h
        .js("const b = document.querySelector('li.fav-entry button.fav-remove'); return b.textContent.trim()")
        .await;
    assert_eq!(remove, json!("移除《活着》"), "the button names the title");
    h.click("li.fav-entry button.fav-remove").await;
    h.wait_texts("#fav-page-status", "the removal's status", |t| {
        t.iter().any(|x| x == "已移除《活着》")
    })
    .await;
    let titles = h
        .wait_texts("li.fav-entry .fav-entry-title", "活着 gone", |t| {
            !t.iter().any(|x| x == "活着")
        })
        .await;
    assert_eq!(titles.len(), 3, "the other entries stay: {titles:?}");
    assert_eq!(h.texts("button.fav-undo").await.len(), 1, "an Undo button");

    // Back on the search page (in the same app: the heart was on there
    // before the removal), the heart is off again.
    h.click("a.tab[href='/search']").await;
    h.search(HUOZHE).await;
    h.wait_js_until(
        &format!("const b = document.evaluate(\"{HUOZHE_HEART}\", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue; return b && b.getAttribute('aria-pressed')"),
        "the heart off after the removal",
        |v| *v == json!("false"),
    )
    .await;
    h.close().await;
}

// ---------------------------------------------------------------------------
// Booking: rooms, the seat map with live availability, booking with sign-in
// from the confirm step, check-in, leave and return, cancel. They use the
// Changning branch's 24-hour room (30-minute slots, open at every hour):
// the room page offers the earliest slot a booking may start in now, whose
// check-in window is open (it began at most 15 minutes ago, or begins
// within 15), whatever the time of day the tests run.

/// The seed's room open at every hour.
const ROOM_24H: &str = "changning-24h";
/// Emily Zhang: no bookings in the seed, so none overlaps the test's.
const EMILY_CARD: &str = "44132200000003";
const EMILY_PIN: &str = "112233";

impl Harness {
    /// Opens a room's page and waits for its seat map with availability.
    async fn open_room(&self, room: &str) {
        self.open(&format!("/booking/rooms/{room}")).await;
        self.wait_js(
            "return document.querySelectorAll('g.seat[data-status=free]').length > 0",
            json!(true),
            "the seat map with free seats",
        )
        .await;
    }

    /// `[date, start, end]` the room page chose (it writes them into the URL).
    async fn room_choice(&self) -> serde_json::Value {
        self.wait_js_until(
            "const p = new URLSearchParams(location.search); return [p.get('date'), p.get('start'), p.get('end'), p.get('seat')]",
            "the choice in the URL",
            |v| v[0].is_string() && v[1].is_string() && v[2].is_string(),
        )
        .await
    }

    /// A request in the page with its session: `[status, JSON body]`.
    async fn api(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const [method, path, body] = [arguments[0], arguments[1], arguments[2]];
                 const headers = { 'Content-Type': 'application/json', 'x-requested-with': 'yuelan', 'Idempotency-Key': 'e2e-' + Math.random() };
                 fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body) })
                   .then(r => r.text().then(t => done([r.status, t ? JSON.parse(t) : null])), e => done([0, String(e)]));",
                vec![json!(method), json!(path), body],
            )
            .await
            .expect("the request runs")
    }
}

#[tokio::test]
async fn booking_patron_books_from_the_seat_map_checks_in_leaves_returns_and_cancels() {
    let h = Harness::start(PHONE).await;
    h.open("/").await;
    h.js("localStorage.setItem('yuelan.locale', 'en'); return true")
        .await;
    // Rooms by library, with seats free now and today's hours.
    h.open_ready("/booking", "a.room-card .room-name").await;
    let cards = h.texts("a.room-card .room-hours").await;
    assert!(cards.len() >= 8, "every room listed: {cards:?}");
    h.click(&format!("a.room-card[href='/booking/rooms/{ROOM_24H}']"))
        .await;
    h.wait_js(
        "return document.querySelectorAll('g.seat[data-status=free]').length > 0",
        json!(true),
        "the seat map",
    )
    .await;
    let choice = h.room_choice().await;

    // Seats are buttons named for screen readers.
    let seat_id = h
        .js("return document.querySelector('g.seat[data-status=free]').id")
        .await;
    let seat_id = seat_id.as_str().expect("a seat id").to_owned();
    let name = h
        .js(&format!(
            "return document.getElementById('{seat_id}').getAttribute('aria-label')"
        ))
        .await;
    let name = name.as_str().unwrap_or_default().to_owned();
    assert!(
        name.starts_with("seat ") && name.ends_with("free"),
        "{name}"
    );
    h.click(&format!("#{seat_id}")).await;
    h.wait_js(
        &format!("return document.getElementById('{seat_id}').getAttribute('aria-pressed')"),
        json!("true"),
        "the seat chosen",
    )
    .await;
    let label = name
        .trim_start_matches("seat ")
        .split(',')
        .next()
        .unwrap_or_default()
        .to_owned();

    // Confirming signs in first, then books the same seat and time.
    h.click("button.book-seat").await;
    h.sign_in_on_sheet(EMILY_CARD, EMILY_PIN).await;
    h.wait_sheet_closed().await;
    let seat = h
        .wait_texts(
            ".booking-confirmed .confirmed-seat",
            "the confirmation",
            |t| !t.is_empty(),
        )
        .await;
    assert_eq!(seat, vec![format!("Seat {label}")]);
    let when = h.texts(".booking-confirmed .confirmed-when").await;
    let start = choice[1].as_str().unwrap_or_default();
    assert!(when[0].contains(start), "{when:?} starts at {start}");
    let after = h.room_choice().await;
    assert_eq!(
        (&after[0], &after[1], &after[2]),
        (&choice[0], &choice[1], &choice[2]),
        "the same day and time after sign-in"
    );
    assert_eq!(
        after[3],
        json!(seat_id.trim_start_matches("seat-")),
        "the same seat"
    );
    // The check-in QR code and window, and the calendar file.
    h.wait_js(
        "const p = document.querySelector('.confirmed-qr svg.qr path'); return !!p && p.getAttribute('d').length > 100",
        json!(true),
        "the QR code",
    )
    .await;
    let window = h.texts(".booking-confirmed .checkin-window").await;
    assert!(window[0].starts_with("Check in from "), "{window:?}");
    let ics = h
        .js("return document.querySelector('.confirmed-links a[download]').getAttribute('href')")
        .await;
    assert!(ics.as_str().is_some_and(|s| s.ends_with(".ics")), "{ics}");

    // Check in by typing the seat code (printed under the seat's QR code).
    let mine = h.api("GET", "/api/me/bookings", json!(null)).await;
    let booking = &mine[1]["upcoming"][0];
    let code = booking["seat_code"]
        .as_str()
        .expect("a seat code")
        .to_owned();
    h.open_ready("/booking/checkin", "main h1").await;
    let input = h
        .c()
        .find(Locator::Css("#seat-code"))
        .await
        .expect("the seat code field");
    input
        .send_keys(&format!("{}{ENTER}", code.to_lowercase()))
        .await
        .expect("type the code");
    h.wait_texts(".checkin-done h2", "checked in", |t| {
        t.iter().any(|x| x.contains("Checked in"))
    })
    .await;

    // Leave and return, from My reservations.
    h.open_ready("/booking/mine", ".booking-card .booking-status")
        .await;
    h.click("button[data-action=leave]").await;
    h.wait_js(
        "return document.querySelector('.booking-card .booking-status').dataset.status",
        json!("on_leave"),
        "on leave",
    )
    .await;
    let due = h.texts(".booking-card .booking-due").await;
    assert!(due[0].starts_with("Back by "), "{due:?}");
    h.click("button[data-action=return]").await;
    h.wait_js(
        "return document.querySelector('.booking-card .booking-status').dataset.status",
        json!("checked_in"),
        "back at the seat",
    )
    .await;

    // A second booking (tomorrow, same time), cancelled from the page.
    let second = h
        .api(
            "POST",
            "/api/me/bookings",
            json!({
                "seat_id": booking["seat_id"],
                "date": "",
                "start": choice[1],
                "end": choice[2],
            }),
        )
        .await;
    assert_eq!(
        second[0],
        json!(422),
        "a malformed date is refused: {second}"
    );
    let tomorrow = h
        .c()
        .execute(
            "return new Date(Date.parse(arguments[0] + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10)",
            vec![choice[0].clone()],
        )
        .await
        .expect("the next day");
    let second = h
        .api(
            "POST",
            "/api/me/bookings",
            json!({
                "seat_id": booking["seat_id"],
                "date": tomorrow,
                "start": choice[1],
                "end": choice[2],
            }),
        )
        .await;
    assert_eq!(second[0], json!(201), "a second booking: {second}");
    let second_id = second[1]["booking"]["id"].clone();
    h.open_ready("/booking/mine", ".booking-card .booking-status")
        .await;
    h.click(&format!(
        "li.booking-card[data-booking='{second_id}'] button[data-action=cancel]"
    ))
    .await;
    h.click(&format!(
        "li.booking-card[data-booking='{second_id}'] button.confirm-cancel"
    ))
    .await;
    h.wait_js(
        &format!("return document.querySelector(\"li.booking-card[data-booking='{second_id}'] .booking-status\").dataset.status"),
        json!("cancelled"),
        "the second booking cancelled",
    )
    .await;
    let after = h
        .api("GET", &format!("/api/me/bookings/{second_id}"), json!(null))
        .await;
    assert_eq!(after[1]["status"], json!("cancelled"));
    let first = h
        .api(
            "GET",
            &format!("/api/me/bookings/{}", booking["id"]),
            json!(null),
        )
        .await;
    assert_eq!(
        first[1]["status"],
        json!("checked_in"),
        "the first one stays"
    );
    h.close().await;
}

#[tokio::test]
async fn booking_a_seat_taken_in_another_browser_shows_taken_without_a_reload() {
    let h = Harness::start(PHONE).await;
    h.open_room(ROOM_24H).await;
    let choice = h.room_choice().await;
    h.js("window.__sameDocument = true; return true").await;
    let seat = h
        .js("return document.querySelector('g.seat[data-status=free]').id")
        .await;
    let seat = seat.as_str().expect("a free seat").to_owned();
    let seat_id: i64 = seat
        .trim_start_matches("seat-")
        .parse()
        .expect("a numeric seat id");

    // Someone else books that seat for the same time.
    let other = h.other_browser().await;
    other.goto(&h.base).await.expect("open the app");
    let made = other
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const h = { 'Content-Type': 'application/json', 'x-requested-with': 'yuelan' };
             fetch('/api/session', { method: 'POST', headers: h, body: JSON.stringify({ card_number: arguments[0], pin: arguments[1] }) })
               .then(() => fetch('/api/me/bookings', { method: 'POST', headers: Object.assign({ 'Idempotency-Key': 'other-1' }, h),
                   body: JSON.stringify({ seat_id: arguments[2], date: arguments[3], start: arguments[4], end: arguments[5] }) }))
               .then(r => done(r.status), e => done(String(e)));",
            vec![
                json!(CARD),
                json!(PIN),
                json!(seat_id),
                choice[0].clone(),
                choice[1].clone(),
                choice[2].clone(),
            ],
        )
        .await
        .expect("the other booking runs");
    assert_eq!(made, json!(201), "the other browser books the seat");
    let booked_at = Instant::now();
    h.wait_js(
        &format!("return document.getElementById('{seat}').dataset.status"),
        json!("taken"),
        "the seat shown taken",
    )
    .await;
    let waited = booked_at.elapsed();
    assert_eq!(
        h.js("return window.__sameDocument === true").await,
        json!(true),
        "no reload"
    );
    let name = h
        .js(&format!(
            "return document.getElementById('{seat}').getAttribute('aria-label')"
        ))
        .await;
    assert!(name.as_str().is_some_and(|n| n.ends_with("已约")), "{name}");
    eprintln!(
        "seat shown taken {} ms after the booking",
        waited.as_millis()
    );
    let _ = other.close().await;
    h.close().await;
}

#[tokio::test]
async fn booking_pages_have_no_axe_violations() {
    let h = Harness::start(PHONE).await;
    h.open("/").await;
    for (locale, elder) in [("zh-CN", "0"), ("en", "0"), ("zh-CN", "1")] {
        h.js(&format!(
            "localStorage.setItem('yuelan.locale', '{locale}'); localStorage.setItem('yuelan.elder', '{elder}'); return true"
        ))
        .await;
        h.open_ready("/booking", "a.room-card .room-name").await;
        let rooms = axe_violations(&h).await;
        assert!(
            rooms.is_empty(),
            "rooms ({locale}, elder {elder}): {rooms:#?}"
        );
        h.open_room("county-study").await;
        // A seat chosen and a filter on: every state of the map is checked.
        h.click("g.seat[data-status=free]").await;
        h.click(".filter-chip input").await;
        let map = axe_violations(&h).await;
        assert!(
            map.is_empty(),
            "seat map ({locale}, elder {elder}): {map:#?}"
        );
        h.open_ready("/booking/checkin", "main h1").await;
        let checkin = axe_violations(&h).await;
        assert!(
            checkin.is_empty(),
            "check-in ({locale}, elder {elder}): {checkin:#?}"
        );
    }
    h.close().await;
}

#[tokio::test]
async fn booking_pages_fit_320_px_and_elder_mode_targets() {
    let h = Harness::start((320, 640)).await;
    h.open("/").await;
    for (elder, min_target) in [("0", 44), ("1", 60)] {
        h.js(&format!(
            "localStorage.setItem('yuelan.elder', '{elder}'); return true"
        ))
        .await;
        for path in [
            "/booking",
            "/booking/rooms/county-study",
            "/booking/checkin",
        ] {
            if path.starts_with("/booking/rooms/") {
                h.open_room("county-study").await;
            } else {
                h.open_ready(path, "main h1").await;
            }
            h.assert_fits(path, min_target, elder).await;
        }
    }
    h.close().await;
}

// ---------------------------------------------------------------------------
// Culture (the cultural cloud's pages). Phone-sized; the media comes from
// `YUELAN_MEDIA_DIR` (`yuelan-server make-media`).

/// The second and third demo patrons (README.md).
const CULTURE_CARD_2: (&str, &str) = ("44132200000002", "135790");
const CULTURE_CARD_3: (&str, &str) = ("44132200000003", "112233");

/// The position of the page's player, in seconds (-1 without one).
const MEDIA_TIME: &str =
    "const m = document.querySelector('video, audio'); return m ? m.currentTime : -1";

/// Starts the page's player, muted (as a tap on Play would).
const MEDIA_PLAY: &str = "const m = document.querySelector('video, audio');
     if (!m) return false; m.muted = true; m.play().catch(() => {}); return true";

/// Signs `card` in through the API in `client`'s browser, which shows a
/// page of the app (the session cookie is then the browser's).
async fn culture_sign_in(client: &Client, (card, pin): (&str, &str)) {
    let status = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/session', {
               method: 'POST',
               headers: { 'Content-Type': 'application/json', 'x-requested-with': 'yuelan' },
               body: JSON.stringify({ card_number: arguments[0], pin: arguments[1] }),
             }).then(r => {
               // The note the app keeps that a patron signed in here.
               if (r.ok) localStorage.setItem('yuelan.signed-in', '1');
               done(r.status);
             }, e => done(String(e)));",
            vec![json!(card), json!(pin)],
        )
        .await
        .expect("the sign-in request runs");
    assert_eq!(status, json!(200), "{card} signs in");
}

impl Harness {
    /// Waits for the page's player, starts it and waits until it has
    /// played past `seconds`.
    async fn culture_play_past(&self, seconds: f64) {
        self.wait_js(
            "return document.querySelector('video, audio') !== null",
            json!(true),
            "a player",
        )
        .await;
        self.wait_js(MEDIA_PLAY, json!(true), "the player to start")
            .await;
        self.wait_js_until(MEDIA_TIME, "playback to advance", |t| {
            t.as_f64().is_some_and(|t| t > seconds)
        })
        .await;
    }
}

#[tokio::test]
async fn culture_home_shows_a_row_per_category_and_what_is_live_now() {
    let h = Harness::start(PHONE).await;
    h.open("/culture").await;
    let rows = h
        .wait_texts(".culture-row.category h2", "the category rows", |t| {
            t.len() >= 7
        })
        .await;
    for category in [
        "讲座",
        "粤剧",
        "音乐会",
        "少儿",
        "展览",
        "地方史",
        "技能培训",
    ] {
        assert!(
            rows.iter().any(|r| r == category),
            "a row of {category}: {rows:?}"
        );
    }
    let cards = h
        .texts(".culture-row.category .prog-card .prog-title")
        .await;
    assert!(cards.iter().any(|c| c == "罗浮山：岭南第一山"), "{cards:?}");
    let live = h.texts(".live-now .event-title").await;
    assert_eq!(live, ["直播：周末粤剧折子戏专场"], "what is live now");
    assert_eq!(h.texts(".live-now .live-badge").await, ["直播"]);
    // The live event's page plays its stream.
    h.click(".live-now .event-title").await;
    h.wait_texts(".event-page h1", "the live event's page", |t| {
        t.iter().any(|x| x == "直播：周末粤剧折子戏专场")
    })
    .await;
    h.wait_js(
        "return document.querySelector('video, audio') !== null",
        json!(true),
        "the live player",
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn culture_search_finds_programmes_by_two_characters_and_by_pinyin_initials() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/culture/search", ".search-hint").await;
    for (query, encoded) in [("罗浮", "%E7%BD%97%E6%B5%AE"), ("lfs", "lfs")] {
        let input = h
            .c()
            .find(Locator::Css("#culture-q"))
            .await
            .expect("the search box");
        input.clear().await.expect("clear");
        // No Enter: the query is searched once typing pauses.
        input.send_keys(query).await.expect("type");
        let titles = h
            .wait_texts(
                ".culture-results .prog-title",
                &format!("results of {query}"),
                |t| t.iter().any(|x| x == "罗浮山：岭南第一山"),
            )
            .await;
        assert!(
            titles.iter().all(|t| !t.is_empty()),
            "every result has a title: {titles:?}"
        );
        h.wait_js(
            "return location.search",
            json!(format!("?q={encoded}")),
            "the query in the URL",
        )
        .await;
        let status = h.texts(".culture-count").await.concat();
        assert!(status.starts_with("找到 "), "the count: {status}");
    }
    // A reload shows the same results.
    h.open_ready("/culture/search?q=lfs", ".culture-results .prog-title")
        .await;
    let value = h
        .js("return document.getElementById('culture-q').value")
        .await;
    assert_eq!(value, json!("lfs"));
    h.close().await;
}

#[tokio::test]
async fn culture_a_guest_leaves_a_programme_and_comes_back_where_it_stopped() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/culture/programme/luofu-2", ".programme-page h1")
        .await;
    assert!(
        h.texts(".resume-note").await.is_empty(),
        "nothing to resume at first"
    );
    h.culture_play_past(7.0).await;
    // Leaving the page (here within the app) reports the position, which
    // is kept on the device.
    h.click(".culture-nav a[href='/culture']").await;
    h.wait_texts(".culture-row.category h2", "the culture home", |t| {
        !t.is_empty()
    })
    .await;
    let kept = h
        .js("return localStorage.getItem('yuelan.culture.pos.luofu-2')")
        .await;
    let tenths: u64 = kept
        .as_str()
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a position kept on the device: {kept}"));
    assert!(tenths >= 70, "the position kept: {kept}");
    h.open_ready("/culture/programme/luofu-2", ".resume-note")
        .await;
    let note = h.texts(".resume-note").await.concat();
    assert!(note.starts_with("从 0:0"), "the resume note: {note}");
    let at = h
        .wait_js_until(MEDIA_TIME, "the player at the saved position", |t| {
            t.as_f64().is_some_and(|t| t >= 6.0)
        })
        .await;
    assert!(
        at.as_f64().is_some_and(|t| t < 15.0),
        "resumed, not played through: {at}"
    );
    // Nobody has signed in on this browser: the page did not ask the
    // server who is (an answer that could only be 401).
    assert_eq!(
        h.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/session')).length")
            .await,
        json!(0),
        "no session request for a guest"
    );
    h.close().await;
}

#[tokio::test]
async fn culture_a_patron_resumes_in_a_second_browser_where_the_first_stopped() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/culture", ".culture-row.category h2").await;
    culture_sign_in(h.c(), CULTURE_CARD_3).await;
    h.open_ready("/culture/programme/luofu-3", ".programme-page h1")
        .await;
    h.culture_play_past(7.0).await;
    h.js("document.querySelector('video, audio').pause(); return true")
        .await;
    // The pause's report reaches the server.
    let deadline = Instant::now() + WAIT;
    let position = loop {
        let got = h
            .c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/me/culture/progress').then(r => r.json()).then(b => {
                   const i = b.items.find(i => i.programme.id === 'luofu-3');
                   done(i ? i.progress.position_seconds : -1);
                 }, e => done(String(e)));",
                vec![],
            )
            .await
            .expect("progress fetch");
        if got.as_i64().is_some_and(|p| p >= 6) {
            break got;
        }
        assert!(
            Instant::now() < deadline,
            "the server never got the position: {got}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let other = h.other_browser().await;
    other
        .goto(&format!("{}/culture", h.base))
        .await
        .expect("open the app");
    culture_sign_in(&other, CULTURE_CARD_3).await;
    other
        .goto(&format!("{}/culture/programme/luofu-3", h.base))
        .await
        .expect("open the programme");
    let deadline = Instant::now() + WAIT;
    loop {
        let kept = other
            .execute(
                "return localStorage.getItem('yuelan.culture.pos.luofu-3')",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(
            kept,
            json!(null),
            "the second browser has no copy of its own"
        );
        let at = other.execute(MEDIA_TIME, vec![]).await.expect("script");
        let note = other
            .execute(
                "const n = document.querySelector('.resume-note'); return n ? n.textContent : ''",
                vec![],
            )
            .await
            .expect("script");
        let near = at
            .as_f64()
            .zip(position.as_f64())
            .is_some_and(|(a, p)| a >= p - 1.0 && a < p + 5.0);
        if near && note.as_str().is_some_and(|n| n.contains("继续播放")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the second browser resumes near {position}: at {at}, note {note}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = other.close().await;
    h.close().await;
}

#[tokio::test]
async fn culture_a_patron_registers_for_an_event_sees_it_on_me_and_cancels() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/culture/events", ".event-group h2").await;
    let titles = h.texts(".event-title").await;
    assert!(titles.iter().any(|t| t == "竹编体验工作坊"), "{titles:?}");
    h.open_ready(
        "/culture/events/ev-bamboo-workshop",
        ".event-registration .places",
    )
    .await;
    let places = h.texts(".event-registration .places").await.concat();
    assert_eq!(places, "已报名 0 人，共 2 个名额");
    // The place's library links to its page; "remind me" is the .ics.
    let library = h
        .js("return document.querySelector('a.event-library').getAttribute('href')")
        .await;
    assert_eq!(library, json!("/libraries/br-changning"));
    let ics = h
        .js("return document.querySelector('a.remind-me').getAttribute('href')")
        .await;
    assert!(ics.as_str().is_some_and(|s| s.ends_with(".ics")), "{ics}");

    // Signed out: Register asks for the card first, then registers.
    h.click("button.register").await;
    h.sign_in_on_sheet(CULTURE_CARD_2.0, CULTURE_CARD_2.1).await;
    h.wait_sheet_closed().await;
    h.wait_texts(".registration-outcome", "registered", |t| {
        t.concat().contains("你已报名")
    })
    .await;
    h.wait_texts(".event-registration .places", "the count", |t| {
        t.concat() == "已报名 1 人，共 2 个名额"
    })
    .await;
    assert_eq!(h.texts("button.cancel-registration").await.len(), 1);

    // On the Me timeline.
    h.click("a.tab[href='/me']").await;
    h.wait_texts(".timeline-title", "the registration on Me", |t| {
        t.iter().any(|x| x == "竹编体验工作坊")
    })
    .await;

    // Cancel: the place is free again.
    h.open_ready(
        "/culture/events/ev-bamboo-workshop",
        "button.cancel-registration",
    )
    .await;
    h.click("button.cancel-registration").await;
    h.wait_texts(".registration-outcome", "cancelled", |t| {
        t.concat().contains("已取消报名")
    })
    .await;
    h.wait_texts(
        ".event-registration .places",
        "the count after cancelling",
        |t| t.concat() == "已报名 0 人，共 2 个名额",
    )
    .await;
    assert_eq!(h.texts("button.register").await.len(), 1);
    h.close().await;
}

#[tokio::test]
async fn culture_rating_a_programme_signs_in_and_shows_the_new_average() {
    const RATING: &str = "const done = arguments[arguments.length - 1];
         fetch('/api/culture/programmes/opera-3').then(r => r.json())
           .then(d => done(d.programme.rating), e => done(String(e)));";
    let h = Harness::start(PHONE).await;
    h.open_ready("/culture/programme/opera-3", ".rating-average")
        .await;
    let before = h
        .c()
        .execute_async(RATING, vec![])
        .await
        .expect("the rating before");
    let count = before["count"].as_u64().expect("a count");
    h.click(".stars button.star:nth-child(5)").await;
    // Signed out: the sheet asks for the card, then the rating is sent.
    h.sign_in_on_sheet(CARD, PIN).await;
    h.wait_sheet_closed().await;
    h.wait_texts(".rating-outcome", "the rating saved", |t| {
        t.concat() == "评分已保存"
    })
    .await;
    let after = h
        .c()
        .execute_async(RATING, vec![])
        .await
        .expect("the rating after");
    assert_eq!(
        after["count"].as_u64(),
        Some(count + 1),
        "one more rating: {after}"
    );
    assert_eq!(after["mine"], json!(5));
    let average = after["average"].as_f64().expect("an average");
    let expected = format!("平均 {average:.1} 分，{} 人评分", count + 1);
    h.wait_texts(".rating-average", "the new average", |t| {
        t.concat() == expected
    })
    .await;
    let pressed = h
        .js("return [...document.querySelectorAll('.stars button.star')].map(b => b.getAttribute('aria-pressed'))")
        .await;
    assert_eq!(pressed, json!(["true", "true", "true", "true", "true"]));
    h.close().await;
}

#[tokio::test]
async fn culture_a_missing_programme_says_so_clearly() {
    let h = Harness::start(PHONE).await;
    h.open_ready(
        "/culture/programme/no-such-programme",
        ".culture-missing .error-message",
    )
    .await;
    let message = h.texts(".culture-missing .error-message").await.concat();
    assert!(message.contains("找不到这个节目"), "{message}");
    assert_eq!(
        h.texts(".culture-missing h1").await,
        ["找不到这个页面"],
        "a heading that says it"
    );
    h.click(".culture-missing a.button").await;
    h.wait_texts(
        ".culture-row.category h2",
        "back on the culture home",
        |t| !t.is_empty(),
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn culture_home_a_programme_and_the_events_have_no_axe_violations() {
    let h = Harness::start(PHONE).await;
    for (path, ready) in [
        ("/culture", ".culture-row.category h2"),
        (
            "/culture/programme/luofu-1",
            ".programme-rating .rating-average",
        ),
        (
            "/culture/events/ev-bamboo-workshop",
            ".event-registration .places",
        ),
        ("/culture/requests", ".requests .request-text"),
    ] {
        h.open_ready(path, ready).await;
        let violations = axe_violations(&h).await;
        assert!(
            violations.is_empty(),
            "axe violations on {path}: {violations:#?}"
        );
    }
    h.close().await;
}
// Player (the cultural cloud's media player, src/player/). These open the
// culture pages' programme page, which mounts `<Player>`; they need the
// generated media (`YUELAN_MEDIA_DIR`).

/// The programme with chapters and subtitles, on the generated lecture.
const PLAYER_PROGRAMME: &str = "/culture/programme/luofu-1";

impl Harness {
    /// Opens a choice of one of the player's menus: the menu's button,
    /// then the choice whose text is `label`.
    async fn player_choose(&self, menu: &str, label: &str) {
        self.click(&format!(
            ".player button[aria-controls='player-menu-{menu}']"
        ))
        .await;
        self.wait_texts(
            &format!("#player-menu-{menu} .player-choice"),
            &format!("the {menu} menu"),
            |t| t.iter().any(|x| x.trim_start_matches('✓').trim() == label),
        )
        .await;
        let choices = self
            .c()
            .find_all(Locator::Css(&format!("#player-menu-{menu} .player-choice")))
            .await
            .expect("the menu's choices");
        for choice in choices {
            let text = choice.text().await.unwrap_or_default();
            if text.trim_start_matches('✓').trim() == label {
                choice.click().await.expect("click the choice");
                return;
            }
        }
        panic!("no {label} in the {menu} menu");
    }
}

#[tokio::test]
async fn player_plays_and_switches_quality_subtitles_and_speed() {
    let h = Harness::start(DESKTOP).await;
    h.open(PLAYER_PROGRAMME).await;
    // hls.js arrives from the app's origin with its SHA-384 hash, only now.
    h.wait_js(
        "return document.querySelector('.player') ? document.querySelector('.player').getAttribute('data-engine') : null",
        json!("hls.js"),
        "the player on hls.js",
    )
    .await;
    let script = h
        .wait_js_until(
            "const s = document.querySelector('script[data-script=hls]'); return s && window.Hls ? [s.getAttribute('src'), s.integrity, s.crossOrigin] : null",
            "hls.js loaded",
            |v| !v.is_null(),
        )
        .await;
    let src = script[0].as_str().unwrap_or_default();
    assert!(
        src.starts_with("/hls-") && src.ends_with(".js"),
        "hls.js under a hashed name of the app's origin: {script}"
    );
    assert!(
        script[1].as_str().is_some_and(|i| i.starts_with("sha384-")),
        "with its SRI hash: {script}"
    );
    assert_eq!(script[2], json!("anonymous"));

    // Play: time advances.
    h.click(".player button.player-play").await;
    h.wait_js_until(
        "return document.querySelector('.player video').currentTime",
        "currentTime to advance",
        |t| t.as_f64().is_some_and(|t| t > 1.0),
    )
    .await;

    // Quality: hls.js switches to the level chosen, and back.
    for (label, height) in [("144p", "144"), ("240p", "240")] {
        h.player_choose("quality", label).await;
        h.wait_js(
            "return document.querySelector('.player').getAttribute('data-level')",
            json!(height),
            &format!("hls.js playing {label}"),
        )
        .await;
    }

    // Subtitles: English shows, Chinese is off; then off altogether.
    let modes = "return Array.from(document.querySelector('.player video').textTracks).map(t => t.language + ':' + t.mode).sort().join(',')";
    h.player_choose("subtitles", "英文字幕").await;
    h.wait_js(
        modes,
        json!("en:showing,zh:disabled"),
        "English subtitles showing",
    )
    .await;
    h.player_choose("subtitles", "关闭字幕").await;
    h.wait_js(modes, json!("en:disabled,zh:disabled"), "no subtitles")
        .await;

    // Speed.
    h.player_choose("speed", "1.5×").await;
    h.wait_js(
        "return document.querySelector('.player video').playbackRate",
        json!(1.5),
        "playing at 1.5×",
    )
    .await;

    // The keyboard: k plays or pauses, whichever it was not doing.
    let paused = h
        .js("return document.querySelector('.player video').paused")
        .await;
    let play = h
        .c()
        .find(Locator::Css(".player button.player-play"))
        .await
        .expect("the play button");
    play.send_keys("k").await.expect("press k");
    h.wait_js_until(
        "return document.querySelector('.player video').paused",
        "k to toggle playback",
        |now| paused.as_bool().is_some_and(|was| *now == json!(!was)),
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn player_a_missing_stream_says_so_and_the_page_lives_on() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/culture", ".culture-row.category .prog-card")
        .await;
    // From now on every playlist answers 404, as when a backend has lost
    // the programme's media: the page's code stays (no reload follows).
    h.js("const gone = u => String(u).includes('.m3u8') ? '/api/no-such-media.m3u8' : u;
          const open = XMLHttpRequest.prototype.open;
          XMLHttpRequest.prototype.open = function (m, u, ...rest) { return open.call(this, m, gone(u), ...rest); };
          const fetch0 = window.fetch;
          window.fetch = function (u, init) { return fetch0.call(this, typeof u === 'string' ? gone(u) : u, init); };
          return true")
        .await;
    h.click(&format!(".prog-card[href='{PLAYER_PROGRAMME}']"))
        .await;
    let shown = h
        .wait_texts(
            ".player .player-problem",
            "the missing stream's message",
            |t| !t.is_empty(),
        )
        .await;
    assert!(
        shown.concat().contains("找不到这个节目的音视频文件"),
        "the message says the media is missing: {shown:?}"
    );
    // The rest of the programme page is there and works: the app did not
    // panic (a panic stops every handler).
    assert_eq!(
        h.texts(".programme-page h1").await,
        ["罗浮山：岭南第一山"],
        "the programme's page"
    );
    h.c().back().await.expect("go back");
    h.wait_texts(
        ".culture-row.category h2",
        "back on the culture home",
        |t| !t.is_empty(),
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn culture_pages_and_the_player_fit_320_px_and_elder_mode_targets() {
    let h = Harness::start((320, 640)).await;
    h.open("/").await;
    for (elder, min_target) in [("0", 44), ("1", 60)] {
        h.js(&format!(
            "localStorage.setItem('yuelan.elder', '{elder}'); return true"
        ))
        .await;
        for (path, ready) in [
            ("/culture", ".culture-row.category h2"),
            (PLAYER_PROGRAMME, ".player button.player-play"),
            ("/culture/events", ".event-group h2"),
            ("/culture/events/ev-bamboo-workshop", "main h1"),
            ("/culture/requests", "main h1"),
        ] {
            h.open_ready(path, ready).await;
            h.assert_fits(path, min_target, elder).await;
        }
    }
    h.close().await;
}

#[tokio::test]
async fn player_code_is_not_in_the_search_pages_first_load() {
    let h = Harness::start(PHONE).await;
    h.open_ready("/search?q=%E7%BA%A2%E6%A5%BC", "ol.results > li.result")
        .await;
    // The culture pages' own code (the split point's file, which holds
    // what only they reach: the player among it).
    let files = h
        .c()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const loader = performance.getEntriesByType('resource').map(e => e.name).find(n => n.includes('/yuelan-split-'));
             import(loader).then(m => m.chunks()).then(t => {
               done((t.pages.culture_page || []).map(i => t.files[i][0]).filter(f => f.includes('/yuelan-split-culture-page-')));
             }, e => done(String(e)));",
            vec![],
        )
        .await
        .expect("the split loader's table");
    let files: Vec<String> = serde_json::from_value(files.clone())
        .unwrap_or_else(|_| panic!("a list of files, not {files}"));
    assert!(
        !files.is_empty(),
        "the culture pages have a chunk of their own"
    );
    let loaded = h
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
        .await;
    let loaded: Vec<String> = serde_json::from_value(loaded).unwrap_or_default();
    assert!(
        !loaded.iter().any(|n| n.starts_with("/hls-")),
        "no hls.js in the first load: {loaded:?}"
    );
    for file in &files {
        assert!(
            !loaded.iter().any(|n| n == file),
            "the culture chunk {file} is not in the first load: {loaded:?}"
        );
    }
    assert_eq!(
        h.js(
            "return document.querySelectorAll('script[data-script]').length + (window.Hls ? 1 : 0)"
        )
        .await,
        json!(0),
        "no hls.js script"
    );
    h.close().await;
}
