//! Builds the app into `dist/`: trunk in release, then the post-processing
//! that makes the output safe and fast to serve:
//!
//! - trunk's inline loader script is replaced by an external, hashed boot
//!   script with SRI (the CSP allows no inline script). The boot script checks
//!   that this browser's WebAssembly has the features the build uses and shows
//!   the static fallback text otherwise, and compiles the module from an
//!   ArrayBuffer where streaming compilation fails (some Android webviews).
//! - every text asset and the WASM get `.br` and `.gz` siblings, which the
//!   server sends to clients that accept them.
//!
//! A stamp of the inputs makes a second build with unchanged sources a no-op.

use std::path::{Path, PathBuf};

use crate::util::{Cmd, Env, Result, brotli, files_below, gzip, root, short_hash, sri, step};

/// Bumped when the post-processing changes, so old `dist/`s are rebuilt.
const POSTPROCESS_VERSION: &str = "8";

/// Builds the app if its inputs changed; returns the `dist/` directory.
pub fn app(env: &Env) -> Result<PathBuf> {
    let dist = root().join("dist");
    let stamp_path = dist.join(".build-stamp");
    let stamp = inputs_stamp();
    if std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)
        && dist.join("index.html").exists()
    {
        println!("app is up to date in {}", dist.display());
        return Ok(dist);
    }
    step("building the app (trunk, release)");
    Cmd::new("trunk")
        .args(["build", "index.html", "--release"])
        .envs(env)
        .env(
            "CARGO_TARGET_DIR",
            &crate::split::app_target_dir().to_string_lossy(),
        )
        .run()?;
    postprocess(&dist, env)?;
    std::fs::write(&stamp_path, stamp).map_err(|e| format!("cannot write the build stamp: {e}"))?;
    Ok(dist)
}

/// Builds the reference server with the fast `server` profile; returns the binary.
pub fn server(env: &Env) -> Result<PathBuf> {
    Cmd::new("cargo")
        .args([
            "build",
            "--quiet",
            "-p",
            "yuelan-server",
            "--profile",
            "server",
        ])
        .envs(env)
        .run()?;
    Ok(root().join("target/server/yuelan-server"))
}

/// A hash of every input of the app build.
fn inputs_stamp() -> String {
    let r = root();
    let mut all = Vec::new();
    for dir in ["src", "style", "public", "api/src"] {
        all.extend(files_below(&r.join(dir)));
    }
    for f in [
        ".cargo/config.toml",
        "build.rs",
        "xtask/src/build.rs",
        "xtask/src/split.rs",
        "xtask/src/tools.rs",
        "index.html",
        "Trunk.toml",
        "Cargo.toml",
        "Cargo.lock",
        "api/Cargo.toml",
    ] {
        all.push(r.join(f));
    }
    let mut bytes = POSTPROCESS_VERSION.as_bytes().to_vec();
    bytes.extend_from_slice(BOOT_JS.as_bytes());
    for f in all {
        bytes.extend_from_slice(f.to_string_lossy().as_bytes());
        bytes.extend(std::fs::read(&f).unwrap_or_default());
    }
    short_hash(&bytes)
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

fn write(p: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(p, data).map_err(|e| format!("cannot write {}: {e}", p.display()))
}

/// The one file in `dist` whose name starts with `prefix` and ends with `suffix`.
fn find(dist: &Path, prefix: &str, suffix: &str) -> Result<String> {
    let names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one {prefix}*{suffix} in dist/, found {names:?}"
        )),
    }
}

fn postprocess(dist: &Path, env: &Env) -> Result<()> {
    let index_path = dist.join("index.html");
    // Code splitting first: it replaces trunk's JS/WASM and their preloads.
    let js = find(dist, "yuelan-", ".js")?;
    let wasm = find(dist, "yuelan-", "_bg.wasm")?;
    let (js, wasm, table, table_sri) = match crate::split::split(dist, env, &js, &wasm)? {
        Some(s) => (s.js, s.wasm, s.table, s.table_sri),
        None => (js, wasm, String::new(), String::new()),
    };
    let mut html = read(&index_path)?;

    // Remove trunk's inline loader.
    let Some(import_at) = html.find("import init") else {
        return Err("dist/index.html has no trunk loader script to replace".into());
    };
    let start = html[..import_at]
        .rfind("<script")
        .ok_or("no <script before the loader")?;
    let end = html[import_at..]
        .find("</script>")
        .ok_or("no </script> after the loader")?
        + import_at
        + 9;
    html.replace_range(start..end, "");

    let wasm_sri =
        sri(&std::fs::read(dist.join(&wasm)).map_err(|e| format!("cannot read wasm: {e}"))?);
    let styles = feature_styles(dist)?;
    let scripts = vendor_scripts(dist)?;
    let boot = BOOT_JS
        .replace("__JS__", &js)
        .replace("__WASM__", &wasm)
        .replace("__WASM_SRI__", &wasm_sri)
        .replace("__CHUNKS_SRI__", &table_sri)
        .replace("__CHUNKS__", &table)
        .replace("__STYLES__", &styles)
        .replace("__SCRIPTS__", &scripts);
    let boot = crate::util::minify_js(&boot)?;
    let boot_name = format!("boot-{}.js", short_hash(boot.as_bytes()));
    write(&dist.join(&boot_name), boot.as_bytes())?;
    let nomodule = NOMODULE_JS;
    let nomodule_name = format!("nomodule-{}.js", short_hash(nomodule.as_bytes()));
    write(&dist.join(&nomodule_name), nomodule.as_bytes())?;

    let tags = format!(
        "<script type=\"module\" src=\"/{boot_name}\" integrity=\"{}\" crossorigin=\"anonymous\"></script>\
         <script nomodule src=\"/{nomodule_name}\" integrity=\"{}\" crossorigin=\"anonymous\"></script>",
        sri(boot.as_bytes()),
        sri(nomodule.as_bytes()),
    );
    let head_end = html
        .find("</head>")
        .ok_or("dist/index.html has no </head>")?;
    html.insert_str(head_end, &tags);
    if html.contains("<script>")
        || html.contains("<script type=\"module\">")
        || html.contains("<script type=module>")
    {
        return Err("dist/index.html still has an inline script".into());
    }
    write(&index_path, html.as_bytes())?;

    // Precompress.
    for f in files_below(dist) {
        let name = f.to_string_lossy();
        let compressible = [
            ".html",
            ".js",
            ".css",
            ".wasm",
            ".json",
            ".svg",
            ".webmanifest",
        ]
        .iter()
        .any(|ext| name.ends_with(ext));
        if !compressible {
            continue;
        }
        let data = std::fs::read(&f).map_err(|e| format!("cannot read {name}: {e}"))?;
        write(&PathBuf::from(format!("{name}.br")), &brotli(&data))?;
        write(&PathBuf::from(format!("{name}.gz")), &gzip(&data))?;
    }
    Ok(())
}

/// Writes each feature's stylesheet (`style/features/<name>.css`) into
/// `dist` under a content-hashed name, lightly minified, and returns the
/// JS table `{name: [path, SRI], …}` for the boot script. A feature's CSS
/// is fetched with its chunk (see `src/components/style.rs`), not in the
/// first load: the account's alone measured 0.9 KB brotli of main.css.
fn feature_styles(dist: &Path) -> Result<String> {
    let dir = root().join("style/features");
    let mut files: Vec<PathBuf> = files_below(&dir)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "css"))
        .collect();
    files.sort();
    let mut entries = Vec::new();
    for f in files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .ok_or("a feature stylesheet without a name")?;
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return Err(format!(
                "feature stylesheet {name}: use lowercase letters and dashes"
            ));
        }
        let css = minify_css(&read(&f)?);
        let file = format!("{name}-{}.css", short_hash(css.as_bytes()));
        write(&dist.join(&file), css.as_bytes())?;
        entries.push(format!(
            "\"{name}\":[\"/{file}\",\"{}\"]",
            sri(css.as_bytes())
        ));
    }
    Ok(format!("{{{}}}", entries.join(",")))
}

/// Copies the scripts the app loads on demand (hls.js, for the player)
/// into `dist` under content-hashed names and returns the JS table
/// `{name: [path, SRI], …}` for the boot script (`window.__yuelanScripts`).
/// The SRI hash is SHA-384, as browsers prefer. hls.js's trailing source
/// map comment goes: the map is not served.
fn vendor_scripts(dist: &Path) -> Result<String> {
    let source = crate::tools::hls_js();
    let js = read(&source)?;
    let js = match js.rfind("//# sourceMappingURL=") {
        Some(at) => js[..at].trim_end().to_owned(),
        None => js,
    };
    let file = format!("hls-{}.js", short_hash(js.as_bytes()));
    write(&dist.join(&file), js.as_bytes())?;
    Ok(format!(
        "{{\"hls\":[\"/{file}\",\"{}\"]}}",
        sri384(js.as_bytes())
    ))
}

/// A `sha384-…` Subresource Integrity value.
fn sri384(data: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(data))
    )
}

/// Drops comments and runs of white space from CSS. Plain: the files are
/// ours, with no strings or URLs that hold `/*` or significant spaces.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    let mut compact = String::with_capacity(out.len());
    let mut space = false;
    for c in out.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        // A space before `:` can be a descendant combinator (`.a :focus`),
        // so only the space after one goes.
        if space
            && !compact.is_empty()
            && !matches!(c, '{' | '}' | ';' | ',' | '>')
            && !compact.ends_with(['{', '}', ';', ',', ':', '>'])
        {
            compact.push(' ');
        }
        space = false;
        compact.push(c);
    }
    compact
}

/// The boot script. It runs as an ES module; browsers without modules run
/// the `nomodule` script instead, which shows the fallback text.
const BOOT_JS: &str = r#"// Yuelan boot loader, written by `cargo xtask build`.
// A module whose validation needs multi-value returns and reference types,
// which the release build uses: where it fails, this WebAssembly is too old.
var probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 0, 2, 127, 127, 4, 4, 1, 111, 0, 1]);

function show(id) {
  var loading = document.getElementById("boot-loading");
  var el = document.getElementById(id);
  if (loading) loading.hidden = true;
  if (el) el.hidden = false;
}

async function compile(url) {
  if (WebAssembly.compileStreaming) {
    try {
      return await WebAssembly.compileStreaming(fetch(url, { integrity: "__WASM_SRI__" }));
    } catch (e) {
      // Some Android webviews fail here; compile from bytes instead.
    }
  }
  var response = await fetch(url, { integrity: "__WASM_SRI__" });
  if (!response.ok) throw new Error("HTTP " + response.status);
  return WebAssembly.compile(await response.arrayBuffer());
}

// The first page's API requests, started here so that they travel while
// the WASM downloads. The app takes each over by its exact URL (see
// `src/api/http.rs`); a URL it does not ask for is only a wasted request,
// so only plain cases are prefetched: a record, or a search of `q` (and
// `sort`, `page`) alone. The URLs are built as `ApiClient` builds them.
var PAGE_SIZE = 20;
var SORTS = ["relevance", "newest", "title"];

function encode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, function (c) {
    return "%" + c.charCodeAt(0).toString(16).toUpperCase();
  });
}

function firstUrls(config) {
  var base = String(config.api_base || "").trim().replace(/\/+$/, "") || "/api";
  var path = location.pathname;
  var urls = [base + "/libraries"];
  if (config.pillars && config.pillars.catalog === false) return urls;
  var record = /^\/record\/([1-9][0-9]{0,14})$/.exec(path);
  if (record) {
    urls.push(base + "/records/" + record[1]);
  } else if (path === "/search") {
    var params = new URLSearchParams(location.search);
    var plain = true;
    params.forEach(function (value, key) {
      if (key !== "q" && key !== "sort" && key !== "page") plain = false;
    });
    var qs = params.getAll("q");
    var sorts = params.getAll("sort");
    var sort = sorts.length ? sorts[0] : "relevance";
    if (plain && qs.length === 1 && qs[0].trim() && Array.from(qs[0]).length <= 200
        && sorts.length <= 1 && SORTS.indexOf(sort) >= 0 && params.getAll("page").length <= 1) {
      urls.push(base + "/search?q=" + encode(qs[0]) + "&sort=" + sort + "&page=1&page_size=" + PAGE_SIZE);
    }
  }
  return urls;
}

function keep(started, url, request) {
  // Handled here, so that a failure the app never takes is not reported as
  // unhandled; the app sees it when it takes the request.
  request.catch(function () {});
  started.set(url, request);
}

// The chunk table (every WASM chunk's path and SRI, and the chunks of each
// page, written by `cargo xtask build`); empty when the build has no split
// points. The search page is in the main module, and its facet panel is
// fetched after the results on purpose.
var CHUNKS = "__CHUNKS__";
var CHUNKS_SRI = "__CHUNKS_SRI__";

function pageChunks(path) {
  if (path === "/") return ["home_page"];
  // The record page and its actions (place hold, lists).
  if (/^\/record\/[^/]+$/.test(path)) return ["record_page", "account_page"];
  if (path === "/me" || path === "/me/loans" || path === "/me/holds") return ["account_page"];
  if (path === "/me/card") return ["card_page"];
  if (/^\/me\/lists(\/[^/]+)?$/.test(path) || /^\/lists\/[^/]+$/.test(path)) return ["lists_page"];
  if (/^\/libraries(\/[^/]+)?$/.test(path)) return ["libraries_page"];
  if (path === "/booking" || path.indexOf("/booking/") === 0) return ["booking_page"];
  if (/^\/culture(\/|$)/.test(path)) return ["culture_page"];
  return [];
}

// Each feature's stylesheet, fetched with its chunk (see
// `src/components/style.rs`); the page opened here gets its own at once.
var STYLES = __STYLES__;

// Scripts loaded on demand, with their SRI hashes: hls.js, which the
// player adds when it opens (see `src/player/media_js.rs`).
var SCRIPTS = __SCRIPTS__;

function loadStyle(name) {
  var entry = STYLES[name];
  if (!entry || document.querySelector('link[data-style="' + name + '"]')) return;
  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = entry[0];
  link.integrity = entry[1];
  link.crossOrigin = "anonymous";
  link.setAttribute("data-style", name);
  link.onload = link.onerror = function () { link.setAttribute("data-loaded", ""); };
  document.head.appendChild(link);
}

function prefetch() {
  var started = new Map();
  window.__yuelanPrefetch = started;
  window.__yuelanStyles = STYLES;
  window.__yuelanScripts = SCRIPTS;
  // The page's own code, fetched beside the main module: the split
  // loader takes the table (`__yuelanChunks`) and each chunk by its path.
  // The table is small and arrives well before the main module.
  var pages = pageChunks(location.pathname);
  pages.forEach(function (page) { loadStyle(page.replace(/_page$/, "")); });
  // The record page's favourite controls have their lists' stylesheet;
  // the culture pages' player has its own, linked here so that it is in
  // place when a programme page first paints (else the player's
  // placeholder grows when it arrives, and the page below it shifts).
  if (pages[0] === "record_page") loadStyle("lists");
  if (pages[0] === "culture_page") loadStyle("player");
  if (CHUNKS && pages.length) {
    var table = fetch("/" + CHUNKS, { integrity: CHUNKS_SRI }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
    window.__yuelanChunks = table;
    table.then(function (chunks) {
      var wanted = [];
      pages.forEach(function (page) {
        (chunks.pages[page] || []).forEach(function (i) {
          if (wanted.indexOf(i) < 0) wanted.push(i);
        });
      });
      wanted.forEach(function (i) {
        var file = chunks.files[i];
        keep(started, file[0], fetch(file[0], { integrity: file[1] }));
      });
    }).catch(function () {
      // Prefetching is an optimisation only.
    });
  }
  // The same request as the preload in index.html, so it is served from
  // it; the app takes a copy of the answer.
  var config = fetch("/config.json");
  keep(started, "/config.json", config.then(function (r) { return r.clone(); }));
  config.then(function (r) { return r.ok ? r.json() : null; }).then(function (config) {
    if (!config || typeof config !== "object") return;
    firstUrls(config).forEach(function (url) {
      var controller = new AbortController();
      // The app's own limit, so that a taken request cannot hang it.
      var timer = setTimeout(function () { controller.abort(); }, 15000);
      var request = fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal });
      request.then(function () { clearTimeout(timer); }, function () { clearTimeout(timer); });
      keep(started, url, request);
    });
  }).catch(function () {
    // The app loads config.json and reports what is wrong with it.
  });
}

async function boot() {
  if (typeof WebAssembly !== "object" || !WebAssembly.validate(probe)) {
    show("boot-unsupported");
    return;
  }
  try {
    prefetch();
  } catch (e) {
    // Prefetching is an optimisation only.
  }
  try {
    var bindings = await import("/__JS__");
    var module = await compile("/__WASM__");
    await bindings.default({ module_or_path: module });
  } catch (e) {
    console.error("Yuelan failed to start", e);
    show("boot-failed");
    return;
  }
  afterLoad(startWorker);
}

// Runs `f` in a task of its own once the page has loaded.
function afterLoad(f) {
  var later = function () { setTimeout(f, 0); };
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later);
}

// Offline: the service worker (`public/sw.js`) keeps the app's files, so
// that the app, and the library card the card page keeps, open with no
// network. It is registered once the page has loaded and the app has
// started, so that it takes nothing from the first load, and it is never
// required (WeChat on iOS has none).
function startWorker() {
  if (!("serviceWorker" in navigator)) return;
  var workers = navigator.serviceWorker;
  // The files this page loaded before the worker served it: the worker
  // keeps them (it sees later fetches itself).
  var keep = function () {
    workers.ready.then(function (registration) {
      var loaded = performance.getEntriesByType("resource").map(function (e) { return e.name; });
      if (registration.active) registration.active.postMessage({ keep: loaded });
    }).catch(function () {});
  };
  workers.register("/sw.js").then(keep, function () {});
  workers.addEventListener("controllerchange", keep);
}

boot();
"#;

const NOMODULE_JS: &str = r#"// Browsers without ES modules cannot run Yuelan: show the fallback text.
(function () {
  var loading = document.getElementById("boot-loading");
  var el = document.getElementById("boot-unsupported");
  if (loading) loading.hidden = true;
  if (el) el.hidden = false;
})();
"#;

#[cfg(test)]
mod tests {
    use super::minify_css;

    #[test]
    fn css_keeps_what_means_something() {
        assert_eq!(
            minify_css(
                "/* c */ .a  .b > .c , .d { x : 1px  2px ; }\n.e :focus { y: calc(1px + 2px) }"
            ),
            ".a .b>.c,.d{x :1px 2px;}.e :focus{y:calc(1px + 2px)}"
        );
        assert_eq!(
            minify_css("@media (min-width: 600px) { .a { b: c } }"),
            "@media (min-width:600px){.a{b:c}}"
        );
    }
}
