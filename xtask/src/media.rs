//! The cultural cloud's media: generated (never committed) into
//! `target/media` by the server's `make-media` command, which runs
//! Debian's ffmpeg (and espeak-ng for narration), installed here when
//! missing. `dev`, `test` and `bench` make it when it is missing and pass
//! it to the server (`--media`, or `YUELAN_MEDIA_DIR` for the tests).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::tools;
use crate::util::{Cmd, Result, root, step};

/// Where the media is made.
pub fn dir() -> PathBuf {
    root().join("target/media")
}

/// Installs ffmpeg and espeak-ng from Debian's packages if missing.
pub fn install_tools() -> Result<()> {
    // ffmpeg spells it `-version` (`--version` fails), espeak-ng `--version`.
    let have = |bin: &str, flag: &str| Cmd::new(bin).arg(flag).probe().is_some();
    let mut missing = Vec::new();
    if !have("ffmpeg", "-version") {
        missing.push("ffmpeg");
    }
    if !have("espeak-ng", "--version") {
        missing.push("espeak-ng");
    }
    if !missing.is_empty() {
        tools::apt_install(&missing)?;
    }
    Ok(())
}

/// Installs the tools if missing, then makes the media with `server` (the
/// `yuelan-server` binary) unless it is complete; returns the directory.
pub fn ensure(server: &Path) -> Result<PathBuf> {
    install_tools()?;
    let dir = dir();
    let t = Instant::now();
    step("the cultural cloud's media (made once, into target/media)");
    Cmd::new(&server.to_string_lossy())
        .args(["make-media", "--media"])
        .arg(&dir.to_string_lossy())
        .run()?;
    println!("media ready in {:.1} s", t.elapsed().as_secs_f64());
    Ok(dir)
}
