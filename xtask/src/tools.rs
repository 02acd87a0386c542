//! Installs the tools the tasks need, idempotently and quickly when present.
//!
//! Nothing here downloads a prebuilt binary from outside the package
//! registries (they are the only network these machines have): trunk and
//! wasm-bindgen-cli come from crates.io, wasm-opt from npm's `binaryen`,
//! Chromium, ChromeDriver and zbarimg from Debian's packages.

use std::path::PathBuf;

use crate::util::{Cmd, Env, Result, root, step};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const AXE_VERSION: &str = "4.11.0";
/// Minifies the JS the build writes (trunk's own minifier fails on it).
pub const TERSER_VERSION: &str = "5.51.4";
/// The player's HLS library (npm), copied into `dist/` by the build; its
/// light build (see `hls_js`).
pub const HLS_VERSION: &str = "1.7.4";
/// Lighthouse 13 wants Node 22; these machines have Node 20.
pub const LIGHTHOUSE_VERSION: &str = "12.2.3";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Decodes barcodes and QR codes from screenshots in the end-to-end tests:
/// a decoder independent of the app's drawing code.
pub const ZBARIMG: &str = "/usr/bin/zbarimg";

/// What a task needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Building the app: wasm target, trunk, wasm-bindgen, wasm-opt.
    Build,
    /// Building and testing: also wasm-bindgen-test-runner, Chromium,
    /// ChromeDriver, zbarimg.
    All,
}

/// Where tools that are not cargo binaries live between runs.
fn cache_dir() -> PathBuf {
    std::env::var_os("YUELAN_TOOLS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/yuelan-tools")))
        .unwrap_or_else(|| root().join("target/tools"))
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// Installs whatever is missing and returns the environment (PATH) to run
/// the tools with.
pub fn ensure(need: Need) -> Result<Env> {
    let binaryen_bin = cache_dir().join("binaryen/node_modules/.bin");
    let mut path = vec![binaryen_bin.clone(), cargo_bin()];
    if let Some(p) = std::env::var_os("PATH") {
        path.extend(std::env::split_paths(&p));
    }
    let joined = std::env::join_paths(path).map_err(|e| format!("bad PATH: {e}"))?;
    let mut env = Env::new();
    env.insert("PATH".into(), joined.clone());
    let with_path = |cmd: Cmd| cmd.env("PATH", &joined.to_string_lossy());

    // The wasm32 target.
    let installed = with_path(Cmd::new("rustup").args(["target", "list", "--installed"])).probe();
    if !installed.is_some_and(|s| s.lines().any(|l| l.trim() == "wasm32-unknown-unknown")) {
        step("installing the wasm32-unknown-unknown target");
        with_path(Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])).run()?;
    }

    // trunk, at the version whose offline build we know works.
    let trunk = with_path(Cmd::new("trunk").arg("--version")).probe();
    if !trunk.is_some_and(|v| v.contains(TRUNK_VERSION)) {
        step("installing trunk (a few minutes, once)");
        with_path(Cmd::new("cargo").args([
            "install",
            &format!("trunk@{TRUNK_VERSION}"),
            "--locked",
        ]))
        .run()?;
    }

    // wasm-bindgen-cli, exactly the lock file's wasm-bindgen.
    let wbg = wasm_bindgen_version()?;
    check_trunk_toml(&wbg)?;
    let have = with_path(Cmd::new("wasm-bindgen").arg("--version")).probe();
    let runner = with_path(Cmd::new("wasm-bindgen-test-runner").arg("--version")).probe();
    if !have.is_some_and(|v| v.split_whitespace().any(|w| w == wbg))
        || (need == Need::All && runner.is_none())
    {
        step(&format!(
            "installing wasm-bindgen-cli {wbg} (a few minutes, once)"
        ));
        // No --locked: one locked dependency is missing from the registry mirror.
        with_path(Cmd::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={wbg}"),
        ]))
        .run()?;
    }

    // wasm-opt from npm's binaryen (Debian's binaryen 108 writes broken modules).
    let wasm_opt = binaryen_bin.join("wasm-opt");
    let ok = Cmd::new(&wasm_opt.to_string_lossy())
        .arg("--version")
        .probe();
    if !ok.is_some_and(|v| v.contains(&format!("version {}", major(BINARYEN_VERSION)))) {
        if Cmd::new("npm").arg("--version").probe().is_none() {
            apt_install(&["nodejs", "npm"])?;
        }
        step(&format!(
            "installing wasm-opt (npm binaryen@{BINARYEN_VERSION})"
        ));
        let dir = cache_dir().join("binaryen");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Cmd::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir.to_string_lossy())
            .arg(&format!("binaryen@{BINARYEN_VERSION}"))
            .run()?;
    }

    // terser, for the build's JS (pure JS from npm).
    npm_package("terser", "terser", TERSER_VERSION, &terser())?;

    // hls.js, which the build copies into `dist/` for the player.
    npm_package("hls", "hls.js", HLS_VERSION, &hls_js())?;

    if need == Need::All {
        // axe-core, for the accessibility end-to-end test.
        npm_package("axe", "axe-core", AXE_VERSION, &axe_js())?;
        let have_browser =
            std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
        if !have_browser {
            apt_install(&["chromium", "chromium-driver"])?;
        }
        if !std::path::Path::new(ZBARIMG).exists() {
            apt_install(&["zbar-tools"])?;
        }
    }
    Ok(env)
}

/// Installs Lighthouse (npm) if missing; returns its command.
pub fn lighthouse() -> Result<PathBuf> {
    let bin = cache_dir().join("lighthouse/node_modules/.bin/lighthouse");
    npm_package("lighthouse", "lighthouse", LIGHTHOUSE_VERSION, &bin)?;
    Ok(bin)
}

/// Installs npm's `package` at exactly `version` into the tools cache's
/// folder `dir`, unless it is there already and `needed` (a file it
/// brings) exists.
fn npm_package(dir: &str, package: &str, version: &str, needed: &std::path::Path) -> Result<()> {
    let dir = cache_dir().join(dir);
    let manifest = dir.join("node_modules").join(package).join("package.json");
    let installed = std::fs::read_to_string(manifest)
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")));
    if installed && needed.exists() {
        return Ok(());
    }
    step(&format!("installing {package} {version} (npm)"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Cmd::new("npm")
        .args(["install", "--no-audit", "--no-fund", "-E", "--prefix"])
        .arg(&dir.to_string_lossy())
        .arg(&format!("{package}@{version}"))
        .run()
}

/// The puppeteer-core module that Lighthouse depends on, for the bench's
/// page figures; installs Lighthouse if missing.
pub fn puppeteer_core() -> Result<PathBuf> {
    let bin = lighthouse()?;
    let module = bin
        .parent()
        .and_then(|b| b.parent())
        .map(|nm| nm.join("puppeteer-core/lib/esm/puppeteer/puppeteer-core.js"))
        .ok_or("no node_modules above the lighthouse command")?;
    if module.exists() {
        Ok(module)
    } else {
        Err(format!(
            "Lighthouse brought no puppeteer-core at {}",
            module.display()
        ))
    }
}

/// Installs a CJK font (Debian's Noto Sans CJK, what Android phones ship)
/// where the machine has none. Pages measured without one are not what any
/// patron sees: every Chinese glyph is a missing glyph, and each run of
/// them sends layout through the system's whole font fallback list, which
/// made layout several times slower in our measurements.
pub fn cjk_fonts() -> Result<()> {
    let have = Cmd::new("fc-list").arg(":lang=zh").probe();
    if have.is_some_and(|list| !list.trim().is_empty()) {
        return Ok(());
    }
    apt_install(&["fonts-noto-cjk", "fontconfig"])
}

/// The terser command (installed by [`ensure`]).
pub fn terser() -> PathBuf {
    cache_dir().join("terser/node_modules/.bin/terser")
}

/// hls.js's light build, which the player loads when it opens. Light, not
/// full: what the light build leaves out (subtitles and alternate audio
/// inside the manifest, DRM, CMCD, content steering, interstitials) the
/// player does not use; its subtitles are WebVTT `<track>`s, which work
/// with either build.
pub fn hls_js() -> PathBuf {
    cache_dir().join("hls/node_modules/hls.js/dist/hls.light.min.js")
}

/// The axe-core script the accessibility test injects.
pub fn axe_js() -> PathBuf {
    cache_dir().join("axe/node_modules/axe-core/axe.min.js")
}

fn major(v: &str) -> &str {
    v.split('.').next().unwrap_or(v)
}

/// Installs Debian packages, with sudo when not root.
pub fn apt_install(packages: &[&str]) -> Result<()> {
    step(&format!(
        "installing {} from Debian's packages",
        packages.join(", ")
    ));
    let is_root = Cmd::new("id")
        .arg("-u")
        .probe()
        .is_some_and(|s| s.trim() == "0");
    let prefix: Vec<&str> = if is_root { vec![] } else { vec!["sudo"] };
    let run = |args: &[&str]| {
        let all: Vec<&str> = prefix.iter().chain(args.iter()).copied().collect();
        Cmd::new(all[0])
            .args(all[1..].iter().copied())
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()
    };
    run(&["apt-get", "update", "-qq"])?;
    let mut args = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    run(&args)
}

/// The version of `wasm-bindgen` that Cargo.lock pins.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock names no wasm-bindgen".into())
}

/// Trunk refuses a wasm-bindgen whose version differs from Trunk.toml's.
fn check_trunk_toml(wbg: &str) -> Result<()> {
    let toml = std::fs::read_to_string(root().join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    if toml.contains(&format!("wasm_bindgen = \"{wbg}\"")) {
        Ok(())
    } else {
        Err(format!(
            "Trunk.toml's [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen {wbg}"
        ))
    }
}
