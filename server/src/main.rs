//! The `yuelan-server` command line.
//!
//! ```text
//! yuelan-server serve [--addr 127.0.0.1:8080] [--data DIR] [--static DIR]
//!                     [--allow-origin ORIGIN]... [--secure-cookies] [--media DIR]
//! yuelan-server make-media --media DIR
//! yuelan-server generate --records N --data DIR
//! yuelan-server expire-sessions [--data DIR]
//! yuelan-server bench-patrons --count N [--data DIR]
//! yuelan-server openapi
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use yuelan_server::{AppState, Db, Settings, account, app, openapi, seed, synthetic};

const USAGE: &str = "usage:
  yuelan-server serve [--addr 127.0.0.1:8080] [--data DIR] [--static DIR]
                      [--allow-origin ORIGIN]... [--secure-cookies]
      Opens (or creates) DIR/yuelan.sqlite (default DIR: .data), seeds an
      empty catalog, builds the search index and serves the API and the app.
      --allow-origin (repeatable) lets a browser app on ORIGIN (such as
      https://app.example.cn) call the API with bearer tokens (CORS).
      --secure-cookies marks session cookies Secure (behind a TLS proxy
      that sends no X-Forwarded-Proto).
      --media DIR (or YUELAN_MEDIA_DIR) serves the cultural cloud's media
      from DIR; without it, media URLs answer 404 media_unavailable.
  yuelan-server make-media --media DIR
      Generates the cultural cloud's media into DIR with ffmpeg (and
      espeak-ng, if installed), unless DIR is complete already.
  yuelan-server generate --records N --data DIR
      Creates a fresh DIR/yuelan.sqlite with the seed libraries and records
      plus N synthetic records.
  yuelan-server expire-sessions [--data DIR]
      Ends every session of DIR/yuelan.sqlite: everyone is signed out.
  yuelan-server bench-patrons --count N [--data DIR]
      For `cargo xtask bench`: adds N synthetic patrons (cards 44132290000000
      and up, home library county) to DIR/yuelan.sqlite, seeding it first
      when empty, opens a session for each and prints their bearer tokens,
      one a line. It needs the database file, as every command here does.
  yuelan-server openapi
      Prints the OpenAPI document.";

/// The database file inside a data directory.
const DB_FILE: &str = "yuelan.sqlite";

struct Options {
    addr: String,
    data: PathBuf,
    static_dir: Option<PathBuf>,
    records: Option<usize>,
    allowed_origins: Vec<String>,
    secure_cookies: bool,
    media: Option<PathBuf>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        addr: "127.0.0.1:8080".into(),
        data: PathBuf::from(".data"),
        static_dir: None,
        records: None,
        allowed_origins: Vec::new(),
        secure_cookies: false,
        media: std::env::var_os("YUELAN_MEDIA_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--secure-cookies" {
            opts.secure_cookies = true;
            continue;
        }
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--addr" => opts.addr = value()?,
            "--data" => opts.data = PathBuf::from(value()?),
            "--static" => opts.static_dir = Some(PathBuf::from(value()?)),
            "--media" => opts.media = Some(PathBuf::from(value()?)),
            "--allow-origin" => {
                let origin = value()?;
                let valid = (origin.starts_with("https://") || origin.starts_with("http://"))
                    && !origin.ends_with('/')
                    && origin.bytes().all(|b| b.is_ascii_graphic());
                if !valid {
                    return Err(format!(
                        "--allow-origin needs an origin such as https://app.example.cn, got {origin:?}"
                    ));
                }
                opts.allowed_origins.push(origin);
            }
            "--records" | "--count" => {
                let v = value()?;
                opts.records = Some(
                    v.parse()
                        .map_err(|_| format!("{flag} needs a number, got {v:?}"))?,
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => parse_options(&args[1..]).and_then(serve),
        Some("generate") => parse_options(&args[1..]).and_then(generate),
        Some("make-media") => parse_options(&args[1..]).and_then(make_media),
        Some("expire-sessions") => parse_options(&args[1..]).and_then(expire_sessions),
        Some("bench-patrons") => parse_options(&args[1..]).and_then(bench_patrons),
        Some("openapi") if args.len() == 1 => {
            print!("{}", openapi::json_pretty());
            std::io::stdout().flush().map_err(|e| e.to_string())
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err("expected a command".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("yuelan-server: {e}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn open_db(dir: &Path) -> Result<Db, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Db::open(&dir.join(DB_FILE)).map_err(|e| format!("cannot open the database: {e}"))
}

fn serve(opts: Options) -> Result<(), String> {
    if let Some(dir) = &opts.static_dir
        && !dir.is_dir()
    {
        return Err(format!(
            "the static directory {} does not exist",
            dir.display()
        ));
    }
    let db = open_db(&opts.data)?;
    if seed::seed_if_empty(&db).map_err(|e| format!("cannot seed the database: {e}"))? {
        eprintln!("seeded the empty catalog from the embedded seed files");
    }
    match &opts.media {
        Some(dir) if yuelan_server::culture::generate::complete(dir) => {
            eprintln!("serving the cultural cloud's media from {}", dir.display())
        }
        Some(dir) => eprintln!(
            "the media directory {} is incomplete: missing streams answer 404 media_unavailable",
            dir.display()
        ),
        None => eprintln!("no media directory (--media): streams answer 404 media_unavailable"),
    }
    let settings = Settings {
        secure_cookies: opts.secure_cookies,
        allowed_origins: opts.allowed_origins,
        media_dir: opts.media,
        ..Settings::default()
    };
    let state = AppState::with_settings(db, opts.static_dir, settings)
        .map_err(|e| format!("cannot build the search index: {e}"))?;
    // Search work runs on the blocking pool; more threads than a few per
    // core only add memory (each thread's allocator arena), not speed.
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads((cores * 2).max(4))
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&opts.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.addr))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        let mut out = std::io::stdout();
        writeln!(out, "listening on http://{local}")
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())?;
        // Releases no-shows, overrun leaves and lapsed offers once a second,
        // so that live listeners see them without any request.
        yuelan_server::booking::bookings::spawn_sweeper(state.clone());
        axum::serve(listener, app(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("shutting down");
}

fn make_media(opts: Options) -> Result<(), String> {
    let dir = opts.media.ok_or("make-media needs --media DIR")?;
    if !yuelan_server::culture::generate::make_media(&dir)? {
        eprintln!("the media in {} is complete", dir.display());
    }
    Ok(())
}

fn expire_sessions(opts: Options) -> Result<(), String> {
    let file = opts.data.join(DB_FILE);
    if !file.is_file() {
        return Err(format!("there is no database at {}", file.display()));
    }
    let db = open_db(&opts.data)?;
    let n =
        account::expire_all_sessions(&db).map_err(|e| format!("cannot end the sessions: {e}"))?;
    println!("ended {n} sessions");
    Ok(())
}

/// Adds `--count` synthetic patrons with one session each and prints their
/// tokens: the benchmark's 200 concurrent patrons, who cannot all sign in
/// with a PIN (the seed's PINs are few, and Argon2id costs 50 ms each).
fn bench_patrons(opts: Options) -> Result<(), String> {
    let n = opts.records.ok_or("bench-patrons needs --count N")?;
    let db = open_db(&opts.data)?;
    seed::seed_if_empty(&db).map_err(|e| format!("cannot seed the database: {e}"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let tokens = db
        .write(|tx| {
            let mut tokens = Vec::with_capacity(n);
            for i in 0..n {
                let card = format!("4413229{i:07}");
                tx.execute(
                    "INSERT OR IGNORE INTO patrons (card_number, name, home_library_id) VALUES (?1, ?2, 'county')",
                    rusqlite::params![card, format!("测试读者{i}")],
                )?;
                let token = account::session::random_token(account::session::TOKEN_BYTES)?;
                tx.execute(
                    "INSERT INTO sessions (token_hash, card_number, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                    rusqlite::params![account::session::token_hash(&token), card, now],
                )?;
                tokens.push(token);
            }
            Ok::<_, yuelan_server::Error>(tokens)
        })
        .map_err(|e| format!("cannot add patrons: {e}"))?;
    let mut out = std::io::stdout().lock();
    for token in tokens {
        writeln!(out, "{token}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn generate(opts: Options) -> Result<(), String> {
    let n = opts.records.ok_or("generate needs --records N")?;
    std::fs::create_dir_all(&opts.data)
        .map_err(|e| format!("cannot create {}: {e}", opts.data.display()))?;
    let file = opts.data.join(DB_FILE);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", file.display()));
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
        }
    }
    let started = Instant::now();
    let db = open_db(&opts.data)?;
    let stats = synthetic::generate(&db, n).map_err(|e| format!("cannot generate: {e}"))?;
    eprintln!(
        "generated {} synthetic + {} seed records with {} copies into {} in {:.1} s",
        stats.synthetic_records,
        stats.seed_records,
        stats.items,
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
