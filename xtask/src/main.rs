//! Developer tasks for Yuelan, run as `cargo xtask <task>`.
//!
//! - `dev [--port N] [--data DIR]`: install what is missing, build the app in
//!   release, start the reference server with the app on 127.0.0.1.
//! - `test`: install what is missing and run every test: server, native,
//!   WASM components in headless Chromium, and end-to-end in Chromium.
//! - `bench [--records N]`: print first-load sizes and search latency and
//!   throughput figures.
//! - `build`: build the app into `dist/` (release, post-processed, precompressed).
//! - `setup`: only install the tools.
//! - `openapi`: rewrite `api/openapi.json` from the server's code.
//!
//! Every task installs its tools idempotently first (see `tools.rs`), so a
//! newcomer needs nothing but Rust and this repository.

mod bench;
mod bench_booking;
mod build;
mod media;
mod split;
mod tools;
mod util;

use std::path::PathBuf;
use std::process::ExitCode;

use util::{Cmd, Result, root};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("build") => {
            tools::ensure(tools::Need::Build).and_then(|env| build::app(&env).map(drop))
        }
        Some("setup") => tools::ensure(tools::Need::All).and_then(|_| media::install_tools()),
        Some("openapi") => openapi(),
        _ => {
            eprintln!(
                "usage: cargo xtask <dev [--port N] [--data DIR] | test | bench [--records N] [--no-lighthouse] [--lighthouse-only] [--booking-only] | build | setup | openapi>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Value of `--name VALUE` in `args`, if given.
pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn dev(args: &[String]) -> Result<()> {
    let port: u16 = match flag(args, "--port") {
        Some(p) => p
            .parse()
            .map_err(|_| format!("--port wants a number, got {p:?}"))?,
        None => 8080,
    };
    // A relative --data is relative to where the command was typed.
    let data = match flag(args, "--data") {
        Some(d) => std::env::current_dir()
            .map(|cwd| cwd.join(&d))
            .unwrap_or_else(|_| PathBuf::from(d)),
        None => root().join(".data"),
    };
    let env = tools::ensure(tools::Need::Build)?;
    let dist = build::app(&env)?;
    let server = build::server(&env)?;
    let media = media::ensure(&server)?;
    println!(
        "Yuelan: starting the reference server; open http://127.0.0.1:{port}/ (Ctrl-C stops it)"
    );
    Cmd::new(server.to_string_lossy().as_ref())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data")
        .arg(data.to_string_lossy().as_ref())
        .arg("--static")
        .arg(dist.to_string_lossy().as_ref())
        .arg("--media")
        .arg(media.to_string_lossy().as_ref())
        .run()
}

fn test(_args: &[String]) -> Result<()> {
    let env = tools::ensure(tools::Need::All)?;
    // The release build of the app (for the end-to-end tests) runs beside
    // the other suites, in its own target directory: its LTO and wasm-opt
    // steps use one core, and the test builds use the other.
    let app_build = {
        let env = env.clone();
        std::thread::spawn(move || build::app(&env))
    };
    Cmd::new("cargo")
        .args(["build", "-p", "yuelan-server"])
        .envs(&env)
        .run()?;
    let server = root().join("target/debug/yuelan-server");
    let media = media::ensure(&server)?;
    let media = media.to_string_lossy();
    util::step("server, contract and xtask tests");
    Cmd::new("cargo")
        .args(["test", "--workspace", "--exclude", "yuelan"])
        .envs(&env)
        .env("YUELAN_MEDIA_DIR", &media)
        .run()?;

    util::step("native tests of the app's pure logic");
    Cmd::new("cargo")
        .args(["test", "-p", "yuelan", "--lib"])
        .envs(&env)
        .run()?;

    util::step("component tests in headless Chromium (wasm-bindgen-test)");
    Cmd::new("cargo")
        .args([
            "test",
            "-p",
            "yuelan",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "components",
            "--features",
            "unsplit",
        ])
        .envs(&env)
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .run()?;

    let dist = app_build
        .join()
        .map_err(|_| "the app build panicked".to_owned())??;
    util::step("end-to-end tests in headless Chromium against a fresh reference server");
    Cmd::new("cargo")
        .args([
            "test",
            "-p",
            "yuelan",
            "--test",
            "e2e",
            "--",
            "--test-threads=1",
        ])
        .envs(&env)
        .env("YUELAN_SERVER_BIN", server.to_string_lossy().as_ref())
        .env("YUELAN_DIST", dist.to_string_lossy().as_ref())
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("CHROMIUM", tools::CHROMIUM)
        .env("AXE_JS", &tools::axe_js().to_string_lossy())
        .env("YUELAN_MEDIA_DIR", &media)
        .run()?;
    println!("xtask test: every suite passed");
    Ok(())
}

fn openapi() -> Result<()> {
    let out = Cmd::new("cargo")
        .args(["run", "--quiet", "-p", "yuelan-server", "--", "openapi"])
        .output()?;
    let path = root().join("api/openapi.json");
    std::fs::write(&path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
