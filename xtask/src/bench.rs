//! `cargo xtask bench`: prints the figures the budgets are judged by.
//!
//! 1. First load of the search page: the brotli-11 bytes of everything the
//!    page requests before it is interactive (HTML, CSS, boot and bindings
//!    JS, WASM, config.json), file by file and in total.
//! 2. Search on a synthetic catalog (100k records by default, `--records N`
//!    for another size) served by the release server over loopback: latency
//!    p50/p95/p99 per kind of query from one connection, then requests per
//!    second from 8 connections (`YUELAN_BENCH_CONNECTIONS` changes it) with
//!    the mixed query set; enough connections to keep both cores busy.
//!
//! 3. Lighthouse 12 (mobile default profile: Slow 4G, 4× CPU) on the home,
//!    search, record, booking, culture and player pages, served with the app by the
//!    release server on the real seed: the category scores and LCP/TBT/CLS.
//!    A CJK font is installed first, as every patron's phone has one.
//! 4. Long tasks while the result list renders (first load, a new search,
//!    "load more") and the ready JS heap with 100 results, in headless
//!    Chromium at a phone viewport with the CPU slowed 4x
//!    (`page_figures.mjs`). `--no-lighthouse` skips 3 and 4;
//!    `--lighthouse-only` runs 1 and 3 alone.
//! 5. Booking under 200 concurrent patrons: a day opening, a steady mix,
//!    and a booking reaching another open seat map (`bench_booking.rs`).
//!    `--booking-only` runs only these.
//! 6. The player: hls.js's bytes (brotli-11) when a player opens, and the
//!    time to the first frame of a sample programme over loopback (budget
//!    1 s) and with DevTools' Slow 4G profile (budget 2 s), in headless
//!    Chromium (`player_figures.mjs`).
//!
//! The load generator is a plain HTTP/1.1 keep-alive client on std sockets,
//! so the figures include the server's JSON encoding and HTTP handling. It
//! runs on the same 2 cores as the server, so throughput is a floor.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Cmd, Result, brotli, root, step};
use crate::{build, flag, tools};

pub fn run(args: &[String]) -> Result<()> {
    let records: u64 = match flag(args, "--records") {
        Some(n) => n
            .parse()
            .map_err(|_| format!("--records wants a number, got {n:?}"))?,
        None => 100_000,
    };
    let env = tools::ensure(tools::Need::Build)?;
    if args.iter().any(|a| a == "--booking-only") {
        return crate::bench_booking::figures(&build::server(&env)?);
    }
    let dist = build::app(&env)?;
    first_load(&dist)?;

    let server = build::server(&env)?;
    crate::media::ensure(&server)?;
    if args.iter().any(|a| a == "--lighthouse-only") {
        return lighthouse(&server, &dist);
    }
    if !args.iter().any(|a| a == "--no-lighthouse") {
        lighthouse(&server, &dist)?;
    }
    player_figures(&server, &dist)?;
    let data = root().join(format!("target/bench-data/{records}"));
    if !data.join("yuelan.sqlite").exists() {
        step(&format!(
            "generating a synthetic catalog of {records} records"
        ));
        let t = Instant::now();
        Cmd::new(&server.to_string_lossy())
            .args(["generate", "--records", &records.to_string(), "--data"])
            .arg(&data.to_string_lossy())
            .run()?;
        println!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    sign_in_figures(&server)?;
    crate::bench_booking::figures(&server)?;
    step(&format!("search on {records} records over loopback"));
    let started = Instant::now();
    let mut child = Server::start(&server, &data)?;
    println!(
        "server ready in {:.2} s (index built from SQLite)",
        started.elapsed().as_secs_f64()
    );
    let result = search_figures(child.port);
    child.stop();
    result
}

fn first_load(dist: &Path) -> Result<()> {
    step("first load of the search page (brotli-11 bytes)");
    let html = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("no dist/index.html: {e}"))?;
    let mut names = vec!["index.html".to_owned()];
    // Every local file the HTML links to as a stylesheet, script or preload
    // (minified HTML may leave attribute values unquoted).
    for attr in ["href=", "src="] {
        let mut rest = html.as_str();
        while let Some(i) = rest.find(attr) {
            rest = rest[i + attr.len()..].trim_start_matches(['"', '\'']);
            let end = rest.find(['"', '\'', ' ', '>']).unwrap_or(rest.len());
            let name = rest[..end].trim_start_matches('/');
            let needed = [".css", ".js", ".wasm"].iter().any(|e| name.ends_with(e))
                && !name.starts_with("nomodule")
                && !name.contains("://");
            if needed && !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
    names.push("config.json".to_owned());
    let mut total_raw = 0;
    let mut total_br = 0;
    println!("{:<44} {:>10} {:>10}", "file", "raw", "brotli");
    for name in &names {
        let data =
            std::fs::read(dist.join(name)).map_err(|e| format!("cannot read dist/{name}: {e}"))?;
        let br = brotli(&data).len();
        total_raw += data.len();
        total_br += br;
        println!("{name:<44} {:>10} {:>10}", data.len(), br);
    }
    println!(
        "{:<44} {:>10} {:>10}",
        "TOTAL first load", total_raw, total_br
    );
    println!("first-load brotli bytes: {total_br} (budget 153600, aim 122880)");
    route_chunks(dist)
}

/// The code each split point (a page, or a piece such as the sign-in
/// sheet) fetches when it first opens: its WASM chunks, raw and brotli.
/// Chunks shared by several split points are counted in each.
fn route_chunks(dist: &Path) -> Result<()> {
    let splits = crate::split::split_list();
    if splits.is_empty() {
        println!("(no split list: build the app first)");
        return Ok(());
    }
    step("code fetched when each page or piece opens (WASM chunks, brotli-11 bytes)");
    println!(
        "{:<28} {:>6} {:>10} {:>10}",
        "split point", "chunks", "raw", "brotli"
    );
    for (split, files) in splits {
        let mut raw = 0;
        let mut br = 0;
        for f in &files {
            let data =
                std::fs::read(dist.join(f)).map_err(|e| format!("cannot read dist/{f}: {e}"))?;
            raw += data.len();
            br += brotli(&data).len();
        }
        println!("{split:<28} {:>6} {raw:>10} {br:>10}", files.len());
    }
    // The chunk table, which the first chunk of a visit waits for (and the
    // boot script fetches at once on a page that opens on a chunk).
    let table = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read dist: {e}"))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("yuelan-chunks-") && n.ends_with(".json"));
    if let Some(name) = table {
        let data =
            std::fs::read(dist.join(&name)).map_err(|e| format!("cannot read {name}: {e}"))?;
        println!(
            "{:<28} {:>6} {:>10} {:>10}",
            "chunk table (once a visit)",
            1,
            data.len(),
            brotli(&data).len()
        );
    }
    Ok(())
}

pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Server {
    pub(crate) fn start(bin: &Path, data: &Path) -> Result<Server> {
        Self::start_with(bin, data, None)
    }

    fn start_with(bin: &Path, data: &Path, dist: Option<&Path>) -> Result<Server> {
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data);
        if let Some(d) = dist {
            cmd.arg("--static").arg(d);
        }
        cmd.arg("--media").arg(crate::media::dir());
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().ok_or("no server stdout")?;
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        loop {
            line.clear();
            if reader
                .read_line(&mut line)
                .map_err(|e| format!("server output: {e}"))?
                == 0
            {
                let _ = child.kill();
                return Err("the server exited before it listened".into());
            }
            if let Some(addr) = line.trim().strip_prefix("listening on http://") {
                let port = addr
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("bad listen line")?;
                // Keep draining the server's stdout so it never blocks on a full pipe.
                std::thread::spawn(move || for _ in reader.lines() {});
                return Ok(Server { child, port });
            }
        }
    }

    pub(crate) fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sign-in latency on the reference server over loopback: the Argon2id
/// verification (OWASP parameters: 19 MiB, 2 passes) is slow on purpose,
/// at least 50 ms, so that guessing PINs costs. Measured on a fresh demo
/// database, for a right PIN and for an unknown card (which the server
/// answers after the same work, so that timing tells nothing).
fn sign_in_figures(server: &Path) -> Result<()> {
    step("sign-in latency (Argon2id) over loopback");
    let data = root().join(format!("target/bench-data/sign-in-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut child = Server::start(server, &data)?;
    let result = (|| -> Result<()> {
        let mut conn = Conn::open(child.port)?;
        let mut right = Vec::new();
        for _ in 0..21 {
            let t = Instant::now();
            let status = conn.post_json(
                "/api/session",
                r#"{"card_number":"44132200000003","pin":"112233","mode":"bearer"}"#,
            )?;
            right.push(t.elapsed());
            if status != 200 {
                return Err(format!("sign-in with the demo PIN answered {status}"));
            }
        }
        let mut unknown = Vec::new();
        for i in 0..11 {
            let body = format!(r#"{{"card_number":"9900000000{i:04}","pin":"123456"}}"#);
            let t = Instant::now();
            let status = conn.post_json("/api/session", &body)?;
            unknown.push(t.elapsed());
            if status != 401 {
                return Err(format!("sign-in with an unknown card answered {status}"));
            }
        }
        println!(
            "{:<22} {:>9} {:>9} {:>9}",
            "sign-in", "min ms", "p50 ms", "max ms"
        );
        for (name, samples) in [
            ("right PIN (21)", &mut right),
            ("unknown card (11)", &mut unknown),
        ] {
            samples.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{name:<22} {:>9.1} {:>9.1} {:>9.1}",
                ms(samples[0]),
                ms(samples[samples.len() / 2]),
                ms(samples[samples.len() - 1])
            );
        }
        Ok(())
    })();
    child.stop();
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// The query mix: (kind, query string). Kinds group the latency figures.
const QUERIES: &[(&str, &str)] = &[
    ("1-char Chinese", "q=梦"),
    ("1-char Chinese", "q=城"),
    ("2-char Chinese", "q=红楼"),
    ("2-char Chinese", "q=岭南"),
    ("2-char Chinese", "q=故事"),
    ("2-char Chinese", "q=春天"),
    ("longer Chinese", "q=平凡的世界"),
    ("longer Chinese", "q=三国演义"),
    ("pinyin", "q=hongloumeng"),
    ("pinyin", "q=santi"),
    ("initials", "q=hlm"),
    ("initials", "q=pfdsj"),
    ("English", "q=pride"),
    ("English prefix", "q=harr"),
    ("mixed", "q=三体 liu"),
    ("ISBN", "q=978-7-5063-6543-7"),
    ("broad", "q=文学"),
    ("broad", "q=的"),
    ("broad + facets", "q=文学&format=book&available=true"),
    ("broad sorted", "q=文学&sort=newest"),
    ("filters", "q=故事&language=zh&sort=title"),
    ("browse", ""),
];

fn search_figures(port: u16) -> Result<()> {
    let urls: Vec<(&str, String)> = QUERIES
        .iter()
        .map(|(k, q)| (*k, format!("/api/search?{}", encode_query(q))))
        .collect();
    let mut conn = Conn::open(port)?;
    // Warm up.
    for (_, u) in &urls {
        conn.get(u)?;
    }
    // Latency per kind, one connection, first and repeated requests.
    let mut kinds: Vec<&str> = urls.iter().map(|(k, _)| *k).collect();
    kinds.dedup();
    println!(
        "{:<18} {:>9} {:>9} {:>9}",
        "query kind", "p50 ms", "p95 ms", "p99 ms"
    );
    let mut all = Vec::new();
    for kind in kinds {
        let mut samples = Vec::new();
        for round in 0..60 {
            for (_, u) in urls.iter().filter(|(k, _)| *k == kind) {
                // Every request differs (page size and page), so the
                // server's result cache cannot answer it: these are cold
                // figures.
                let u = vary(u, round);
                let t = Instant::now();
                conn.get(&u)?;
                samples.push(t.elapsed());
            }
        }
        all.extend_from_slice(&samples);
        let (p50, p95, p99) = percentiles(&mut samples);
        println!("{kind:<18} {p50:>9.2} {p95:>9.2} {p99:>9.2}");
    }
    let (p50, p95, p99) = percentiles(&mut all);
    println!("{:<18} {p50:>9.2} {p95:>9.2} {p99:>9.2}", "ALL (1 conn)");
    println!(
        "search latency (cold, every request distinct) p50 {p50:.2} ms, p95 {p95:.2} ms (budget p95 ≤ 30 ms at 100k records, ≤ 50 ms at 1M)"
    );

    // Throughput: several connections for a fixed time.
    let threads = std::env::var("YUELAN_BENCH_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8usize);
    let secs = 8;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let urls = urls.clone();
            std::thread::spawn(move || -> Result<(u64, Vec<Duration>)> {
                let mut conn = Conn::open(port)?;
                let mut n = 0u64;
                let mut lat = Vec::new();
                let mut i = t;
                while Instant::now() < deadline {
                    let (_, u) = &urls[i % urls.len()];
                    let u = vary(u, i / urls.len() + t * 100_000);
                    let s = Instant::now();
                    conn.get(&u)?;
                    lat.push(s.elapsed());
                    n += 1;
                    i += 1;
                }
                Ok((n, lat))
            })
        })
        .collect();
    let mut total = 0;
    let mut lat = Vec::new();
    for h in handles {
        let (n, l) = h.join().map_err(|_| "a load thread panicked")??;
        total += n;
        lat.extend(l);
    }
    let (p50, p95, _) = percentiles(&mut lat);
    println!(
        "throughput (mostly cold): {:.0} requests/s over {threads} connections for {secs} s (p50 {p50:.2} ms, p95 {p95:.2} ms under load; budget ≥ 2000/s)",
        total as f64 / secs as f64
    );
    Ok(())
}

/// A variant of a search URL that no earlier request of this run asked for
/// (up to 41 × 20 variants per query), so that cached answers do not flatter
/// the figures.
fn vary(url: &str, n: usize) -> String {
    let size = 10 + n % 41;
    let page = 1 + (n / 41) % 20;
    format!("{url}&page_size={size}&page={page}")
}

/// Runs Lighthouse on the main pages and prints its figures.
fn lighthouse(server: &Path, dist: &Path) -> Result<()> {
    step("Lighthouse 12, mobile default profile (Slow 4G, 4x CPU), seed catalog");
    let bin = tools::lighthouse()?;
    tools::cjk_fonts()?;
    let data = root().join("target/bench-data/seed");
    let mut srv = Server::start_with(server, &data, Some(dist))?;
    let pages = [
        ("home", "/"),
        ("search", "/search?q=%E6%B4%BB%E7%9D%80"),
        ("record", "/record/1"),
        ("booking", "/booking"),
        ("culture", "/culture"),
        ("player", "/culture/programme/luofu-1"),
    ];
    println!(
        "{:<9} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>6}",
        "page", "perf", "a11y", "bp", "FCP s", "LCP s", "TBT ms", "CLS"
    );
    let out = std::env::temp_dir().join("yuelan-lighthouse.json");
    // Lighthouse's figures vary from run to run: each page is measured
    // `runs` times and the median of each figure is printed.
    let runs: usize = std::env::var("YUELAN_LIGHTHOUSE_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
        .max(1);
    println!("(median of {runs} runs per page; YUELAN_LIGHTHOUSE_RUNS changes it)");
    // The last run of each page keeps its artifacts, for the LCP breakdown.
    let mut artifacts = Vec::new();
    for (name, path) in pages {
        let url = format!("http://127.0.0.1:{}{path}", srv.port);
        let saved = std::env::temp_dir().join(format!("yuelan-lighthouse-{name}"));
        let _ = std::fs::remove_dir_all(&saved);
        // performance, a11y, best practices, FCP, LCP, TBT, CLS per run.
        let mut figures: Vec<[Option<f64>; 7]> = Vec::new();
        for run in 0..runs {
            let mut cmd = Cmd::new(&bin.to_string_lossy());
            if run + 1 == runs {
                cmd = cmd.arg(&format!("-GA={}", saved.display()));
            }
            let ran = cmd
                .arg(&url)
                .args([
                    "--quiet",
                    "--output=json",
                    "--only-categories=performance,accessibility,best-practices",
                ])
                .arg(&format!("--output-path={}", out.display()))
                .arg(
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
                     --disable-background-networking --disable-component-update --disable-sync --no-first-run",
                )
                .env("CHROME_PATH", tools::CHROMIUM)
                .run();
            if let Err(e) = ran {
                println!("{name:<9} lighthouse failed: {e}");
                continue;
            }
            let report = std::fs::read_to_string(&out).unwrap_or_default();
            let score = |cat: &str| {
                // A category's `"id"` stands right before its `"score"`.
                json_number(&report, &format!("\"id\": \"{cat}\""), "\"score\":").map(|s| s * 100.0)
            };
            let audit =
                |id: &str| json_number(&report, &format!("\"id\": \"{id}\""), "\"numericValue\":");
            figures.push([
                score("performance"),
                score("accessibility"),
                score("best-practices"),
                audit("first-contentful-paint"),
                audit("largest-contentful-paint"),
                audit("total-blocking-time"),
                audit("cumulative-layout-shift"),
            ]);
        }
        let median = |i: usize| {
            let mut v: Vec<f64> = figures.iter().filter_map(|f| f[i]).collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied()
        };
        if saved.join("artifacts.json").exists() {
            artifacts.push((name, saved));
        }
        let show = |v: Option<f64>, scale: f64, digits: usize| {
            v.map_or("?".to_owned(), |x| format!("{:.*}", digits, x * scale))
        };
        println!(
            "{name:<9} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>6}",
            show(median(0), 1.0, 0),
            show(median(1), 1.0, 0),
            show(median(2), 1.0, 0),
            show(median(3), 0.001, 2),
            show(median(4), 0.001, 2),
            show(median(5), 1.0, 0),
            show(median(6), 1.0, 3),
        );
    }
    println!(
        "budgets: perf >= 95, a11y 100, best practices 100; LCP <= 1.5 s, TBT <= 100 ms, CLS <= 0.01"
    );
    if let Err(e) = lcp_breakdown(&bin, &artifacts) {
        println!("LCP breakdown failed: {e}");
    }
    let pages = page_figures(srv.port);
    srv.stop();
    pages
}

/// What each page's simulated LCP waits for: Lighthouse's simulation
/// replayed on the artifacts of its last run (`LANTERN_LCP_JS`).
fn lcp_breakdown(lighthouse: &Path, artifacts: &[(&str, PathBuf)]) -> Result<()> {
    step("what the lab LCP waits for (Lighthouse's simulation, last run of each page)");
    let modules = lighthouse
        .parent()
        .and_then(|b| b.parent())
        .ok_or("no node_modules above the lighthouse command")?;
    let script = std::env::temp_dir().join("yuelan-lantern-lcp.mjs");
    let source = LANTERN_LCP_JS.replace("__NODE_MODULES__", &modules.to_string_lossy());
    std::fs::write(&script, source)
        .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    let mut cmd = Cmd::new("node").arg(&script.to_string_lossy());
    for (name, dir) in artifacts {
        cmd = cmd.arg(&format!("{name}={}", dir.display()));
    }
    cmd.run()
}

/// The browser-free side of [`lcp_breakdown`]: it prints its own table.
const LANTERN_LCP_JS: &str = include_str!("lantern_lcp.mjs");

/// Long tasks while results render, and the JS heap with 100 results, in
/// headless Chromium (phone viewport, CPU 4x slower), driven by
/// `PAGE_FIGURES_JS` with the puppeteer-core that Lighthouse brings.
fn page_figures(port: u16) -> Result<()> {
    step("result rendering and memory (headless Chromium, phone, CPU 4x slower)");
    let puppeteer = tools::puppeteer_core()?;
    let script = std::env::temp_dir().join("yuelan-page-figures.mjs");
    let source = PAGE_FIGURES_JS.replace("__PUPPETEER__", &puppeteer.to_string_lossy());
    std::fs::write(&script, source)
        .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    Cmd::new("node")
        .arg(&script.to_string_lossy())
        .arg(&format!("http://127.0.0.1:{port}"))
        .env("CHROME_PATH", tools::CHROMIUM)
        .run()
}

/// The browser side of [`page_figures`]: it prints its own table.
const PAGE_FIGURES_JS: &str = include_str!("page_figures.mjs");

/// The programme the player figures play: the lecture with chapters and
/// subtitles (20 s of 240p and 144p H.264/AAC).
const PLAYER_PROGRAMME: &str = "/culture/programme/luofu-1";

/// hls.js's bytes, and the time to the first frame of a sample programme
/// over loopback and with a Slow 4G throttle (`PLAYER_FIGURES_JS`).
fn player_figures(server: &Path, dist: &Path) -> Result<()> {
    step("the player: hls.js's bytes and time to first frame");
    let hls = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("hls-") && n.ends_with(".js"))
        .ok_or("no hls-*.js in dist/")?;
    let data = std::fs::read(dist.join(&hls)).map_err(|e| format!("cannot read {hls}: {e}"))?;
    println!(
        "hls.js {} ({hls}) fetched when a player opens: {} B raw, {} B brotli-11",
        tools::HLS_VERSION,
        data.len(),
        brotli(&data).len()
    );
    let puppeteer = tools::puppeteer_core()?;
    let script = std::env::temp_dir().join("yuelan-player-figures.mjs");
    let source = PLAYER_FIGURES_JS.replace("__PUPPETEER__", &puppeteer.to_string_lossy());
    std::fs::write(&script, source)
        .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    let data_dir = root().join("target/bench-data/seed");
    let mut srv = Server::start_with(server, &data_dir, Some(dist))?;
    let ran = Cmd::new("node")
        .arg(&script.to_string_lossy())
        .arg(&format!("http://127.0.0.1:{}", srv.port))
        .arg(PLAYER_PROGRAMME)
        .env("CHROME_PATH", tools::CHROMIUM)
        .run();
    srv.stop();
    ran
}

/// The browser side of [`player_figures`]: it prints its own table.
const PLAYER_FIGURES_JS: &str = include_str!("player_figures.mjs");

/// The first number after `field` that follows the first `anchor` in a
/// JSON text: enough to read Lighthouse's report without a JSON parser here.
fn json_number(text: &str, anchor: &str, field: &str) -> Option<f64> {
    let from = text.find(anchor)?;
    let rest = &text[from..];
    let at = rest.find(field)? + field.len();
    let num: String = rest[at..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'))
        .collect();
    num.parse().ok()
}

pub(crate) fn percentiles(samples: &mut [Duration]) -> (f64, f64, f64) {
    samples.sort();
    let at = |q: f64| {
        if samples.is_empty() {
            return 0.0;
        }
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1000.0
    };
    (at(0.5), at(0.95), at(0.99))
}

/// Percent-encodes the values of a `k=v&k=v` string.
fn encode_query(q: &str) -> String {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => format!("{k}={}", encode(v)),
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One keep-alive HTTP/1.1 connection.
pub(crate) struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub(crate) fn open(port: u16) -> Result<Conn> {
        let s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
        let _ = s.set_nodelay(true);
        let writer = s.try_clone().map_err(|e| format!("socket: {e}"))?;
        Ok(Conn {
            reader: BufReader::new(s),
            writer,
        })
    }

    /// Sends a request with `headers` (complete lines, each ending in
    /// CRLF) and an optional JSON body (with the CSRF header the server
    /// asks of every state-changing request); returns the status and the
    /// body, uncompressed (it does not ask for compression).
    pub(crate) fn call(
        &mut self,
        method: &str,
        path: &str,
        headers: &str,
        body: Option<&str>,
    ) -> Result<(u16, Vec<u8>)> {
        let body_headers = match body {
            Some(b) => format!(
                "Content-Type: application/json\r\nX-Requested-With: yuelan\r\nContent-Length: {}\r\n",
                b.len()
            ),
            None if method != "GET" => {
                "X-Requested-With: yuelan\r\nContent-Length: 0\r\n".to_owned()
            }
            None => String::new(),
        };
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{headers}{body_headers}\r\n{}",
            body.unwrap_or_default()
        );
        self.writer
            .write_all(req.as_bytes())
            .map_err(|e| format!("send: {e}"))?;
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .map_err(|e| format!("read: {e}"))?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("{method} {path}: {}", line.trim()))?;
        let mut length = 0;
        loop {
            line.clear();
            self.reader
                .read_line(&mut line)
                .map_err(|e| format!("read: {e}"))?;
            let l = line.trim().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().map_err(|_| "bad length")?;
            }
        }
        let mut rest = vec![0; length];
        self.reader
            .read_exact(&mut rest)
            .map_err(|e| format!("read body: {e}"))?;
        Ok((status, rest))
    }

    /// Sends a POST with a JSON body (and the CSRF header the server asks
    /// of every state-changing request); returns the answer's status once
    /// it is read whole.
    fn post_json(&mut self, path: &str, body: &str) -> Result<u16> {
        self.call("POST", path, "", Some(body))
            .map(|(status, _)| status)
    }

    /// Sends a GET and reads the whole answer; a non-200 status is an error.
    fn get(&mut self, path: &str) -> Result<usize> {
        // As a browser does, it accepts compressed answers, so the figures
        // include the server's cost of compressing them.
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nAccept-Encoding: br, gzip\r\n\r\n"
        );
        self.writer
            .write_all(req.as_bytes())
            .map_err(|e| format!("send: {e}"))?;
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .map_err(|e| format!("read: {e}"))?;
        if !line.starts_with("HTTP/1.1 200") {
            return Err(format!("GET {path}: {}", line.trim()));
        }
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader
                .read_line(&mut line)
                .map_err(|e| format!("read: {e}"))?;
            let l = line.trim();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if let Some(n) = length {
            let mut body = vec![0; n];
            self.reader
                .read_exact(&mut body)
                .map_err(|e| format!("read body: {e}"))?;
            return Ok(n);
        }
        if !chunked {
            return Err("answer without length".into());
        }
        let mut total = 0;
        loop {
            line.clear();
            self.reader
                .read_line(&mut line)
                .map_err(|e| format!("read: {e}"))?;
            let size = usize::from_str_radix(line.trim(), 16).map_err(|_| "bad chunk size")?;
            let mut chunk = vec![0; size + 2];
            self.reader
                .read_exact(&mut chunk)
                .map_err(|e| format!("read chunk: {e}"))?;
            total += size;
            if size == 0 {
                return Ok(total);
            }
        }
    }
}
