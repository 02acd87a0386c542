//! Small helpers: running commands with clear errors, paths, hashing.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T> = std::result::Result<T, String>;

/// Extra environment for child processes (a PATH with the installed tools first).
pub type Env = BTreeMap<String, OsString>;

/// The workspace root: the nearest directory, from the current one up,
/// that holds `xtask/Cargo.toml`. It is found at run time, not compiled in,
/// so that a `target/` shared by two checkouts (`CARGO_TARGET_DIR`) still
/// works on the checkout it is run in. Outside any checkout, the one this
/// xtask was built from.
pub fn root() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        std::env::current_dir()
            .ok()
            .and_then(|dir| {
                dir.ancestors()
                    .find(|d| {
                        d.join("xtask/Cargo.toml").is_file() && d.join("Cargo.toml").is_file()
                    })
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| {
                let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
                here.parent().map(Path::to_path_buf).unwrap_or(here)
            })
    })
    .clone()
}

/// Prints a visible step header.
pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// A command with readable failures.
pub struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: &str) -> Self {
        let mut inner = Command::new(program);
        inner.current_dir(root());
        Self {
            inner,
            shown: program.to_owned(),
        }
    }

    pub fn arg(mut self, a: &str) -> Self {
        self.shown.push(' ');
        self.shown.push_str(a);
        self.inner.arg(a);
        self
    }

    pub fn args<'a>(mut self, args: impl IntoIterator<Item = &'a str>) -> Self {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.inner.env(k, v);
        self
    }

    pub fn envs(mut self, env: &Env) -> Self {
        for (k, v) in env {
            self.inner.env(k, v);
        }
        self
    }

    /// Runs with inherited output; an error names the command when it fails.
    pub fn run(mut self) -> Result<()> {
        let status = self
            .inner
            .status()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Runs and returns stdout; stderr is passed through.
    pub fn output(mut self) -> Result<Vec<u8>> {
        let out = self
            .inner
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!("`{}` failed ({})", self.shown, out.status))
        }
    }

    /// Runs quietly and returns stdout when it succeeds, `None` otherwise.
    pub fn probe(mut self) -> Option<String> {
        let out = self.inner.stderr(Stdio::null()).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// Every file below `dir`, recursively, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Brotli at quality 11, as the server's precompressed files and the budgets use.
pub fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        // Writing into a Vec cannot fail.
        let _ = std::io::Write::write_all(&mut w, data);
    }
    out
}

/// Gzip at the best level.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// A subresource-integrity value (`sha256-…`). SHA-256, not SHA-384:
/// the split loader names every chunk with its hash, and each hash is
/// incompressible; with 60-odd chunks SHA-384 cost about 1 KB brotli more
/// of the first load (measured), for no security a file hash needs here.
pub fn sri(data: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data);
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// A short hex content hash for file names.
pub fn short_hash(data: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// `js`, an ES module, minified by terser (compressed and mangled; import
/// paths, exports and property names stay as they are).
pub fn minify_js(js: &str) -> Result<String> {
    let dir = root().join("target/minify");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let input = dir.join(format!("{}.js", short_hash(js.as_bytes())));
    std::fs::write(&input, js).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    let out = Cmd::new(&crate::tools::terser().to_string_lossy())
        .arg(&input.to_string_lossy())
        .args(["--module", "--compress", "--mangle", "--ecma", "2020"])
        .output()?;
    let _ = std::fs::remove_file(&input);
    String::from_utf8(out).map_err(|_| "terser wrote something that is not UTF-8".to_owned())
}
