//! Booking figures of `cargo xtask bench`, on the release server over
//! loopback with a fresh seeded database and 200 synthetic patrons
//! (`yuelan-server bench-patrons`), each on a keep-alive connection of its
//! own:
//!
//! 1. **A day opens**: all 200 patrons ask for a seat in the county study
//!    room at once, for the same slot, spread over its free seats. Every
//!    answer is counted by status (201, or 409 when another patron was
//!    faster); the latency p50/p95/max and the burst's wall time.
//! 2. **200 patrons browsing and booking for 8 s**: each loops over the
//!    room's availability on another day, its own bookings, and now and
//!    then a booking (three at most, within the per-patron rate limit):
//!    requests per second and p50/p95 per kind of request.
//! 3. **A booking reaching another open seat map**: a listener holds the
//!    room's server-sent event stream while patrons book one seat after
//!    another; the time from sending the booking to the listener reading
//!    its `seat` event, p50/p95/max over 20 bookings (budget ≤ 1 s).
//!
//! The load runs on the same 2 cores as the server, so the figures are a
//! floor.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use yuelan_api::calendar;

use crate::bench::{Conn, Server, percentiles};
use crate::util::{Cmd, Result, root, step};

const PATRONS: usize = 200;
const ROOM: &str = "county-study";

pub fn figures(server: &Path) -> Result<()> {
    step("booking: 200 concurrent patrons over loopback");
    let data = root().join(format!("target/bench-data/booking-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let tokens = Cmd::new(&server.to_string_lossy())
        .args(["bench-patrons", "--count", &PATRONS.to_string(), "--data"])
        .arg(&data.to_string_lossy())
        .output()?;
    let tokens: Vec<String> = String::from_utf8_lossy(&tokens)
        .lines()
        .map(str::to_owned)
        .collect();
    if tokens.len() != PATRONS {
        return Err(format!("bench-patrons printed {} tokens", tokens.len()));
    }
    let mut child = Server::start(server, &data)?;
    let result = run(child.port, &tokens);
    child.stop();
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// A bookable span of the room: a date, a start and an end, and the
/// room's seats that are free for it.
struct Span {
    date: String,
    start: String,
    end: String,
    free_seats: Vec<i64>,
}

fn run(port: u16, tokens: &[String]) -> Result<()> {
    let mut conn = Conn::open(port)?;
    let room = get_json(&mut conn, &format!("/api/rooms/{ROOM}"), None)?;
    let min_minutes = room["rules"]["min_minutes"].as_u64().unwrap_or(60) as u32;
    let spans = bookable_spans(&mut conn, min_minutes)?;
    let [opening, browsing, live] = match <[Span; 3]>::try_from(spans) {
        Ok(s) => s,
        Err(_) => return Err(format!("{ROOM} has fewer than 3 bookable days ahead")),
    };
    burst(port, tokens, &opening)?;
    browse(port, tokens, &browsing)?;
    live_latency(port, tokens, &live)
}

/// The first bookable span of `min_minutes` on each of the next days on
/// which the room is open, for the three phases (each its own day, so that
/// one phase's bookings do not collide with the next's).
fn bookable_spans(conn: &mut Conn, min_minutes: u32) -> Result<Vec<Span>> {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as f64;
    let today = calendar::library_day(now_ms);
    let mut spans = Vec::new();
    for ahead in 1..=6 {
        if spans.len() == 3 {
            break;
        }
        let date = calendar::format_date(today + ahead);
        let day = get_json(
            conn,
            &format!("/api/rooms/{ROOM}/availability?date={date}"),
            None,
        )?;
        let Some(slot) = day["slots"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["bookable"] == true))
        else {
            continue;
        };
        let start = slot["start"].as_str().unwrap_or_default().to_owned();
        let Some(end) = add_minutes(&start, min_minutes) else {
            continue;
        };
        let span = get_json(
            conn,
            &format!("/api/rooms/{ROOM}/availability?date={date}&start={start}&end={end}"),
            None,
        )?;
        let free_seats: Vec<i64> = span["seats"]
            .as_array()
            .map(|seats| {
                seats
                    .iter()
                    .filter(|s| s["status"] == "free")
                    .filter_map(|s| s["seat_id"].as_i64())
                    .collect()
            })
            .unwrap_or_default();
        if !free_seats.is_empty() {
            spans.push(Span {
                date,
                start,
                end,
                free_seats,
            });
        }
    }
    Ok(spans)
}

/// Phase 1: every patron asks at the same moment.
fn burst(port: u16, tokens: &[String], span: &Span) -> Result<()> {
    let barrier = Arc::new(Barrier::new(tokens.len() + 1));
    let handles: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let token = token.clone();
            let barrier = barrier.clone();
            let body = booking_body(span.free_seats[i % span.free_seats.len()], span);
            std::thread::spawn(move || -> Result<(u16, Duration)> {
                let mut conn = Conn::open(port)?;
                barrier.wait();
                let t = Instant::now();
                let (status, _) = book(&mut conn, &token, &body, &format!("burst-{i}"))?;
                Ok((status, t.elapsed()))
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for h in handles {
        let (status, took) = h.join().map_err(|_| "a patron thread panicked")??;
        *statuses.entry(status).or_default() += 1;
        latencies.push(took);
    }
    let wall = started.elapsed();
    let (p50, p95, _) = percentiles(&mut latencies);
    let max = latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let counts: Vec<String> = statuses.iter().map(|(s, n)| format!("{n} × {s}")).collect();
    println!(
        "a day opens: {} patrons at once for {} free seats ({} {}–{}): {}",
        tokens.len(),
        span.free_seats.len(),
        span.date,
        span.start,
        span.end,
        counts.join(", ")
    );
    println!(
        "  every answer in {:.0} ms; per request p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms",
        wall.as_secs_f64() * 1000.0
    );
    let booked = statuses.get(&201).copied().unwrap_or(0);
    if booked != span.free_seats.len().min(tokens.len()) {
        return Err(format!(
            "{booked} bookings for {} free seats",
            span.free_seats.len()
        ));
    }
    Ok(())
}

/// Phase 2: a steady mix for a fixed time.
fn browse(port: u16, tokens: &[String], span: &Span) -> Result<()> {
    let secs = 8;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let handles: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let token = token.clone();
            let availability = format!(
                "/api/rooms/{ROOM}/availability?date={}&start={}&end={}",
                span.date, span.start, span.end
            );
            let seats = span.free_seats.clone();
            let (date, start, end) = (span.date.clone(), span.start.clone(), span.end.clone());
            std::thread::spawn(move || -> Result<[Vec<Duration>; 3]> {
                let mut conn = Conn::open(port)?;
                let auth = format!("Authorization: Bearer {token}\r\n");
                let mut lat: [Vec<Duration>; 3] = Default::default();
                let mut round = 0usize;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    conn.call("GET", &availability, "", None)?;
                    lat[0].push(t.elapsed());
                    let t = Instant::now();
                    conn.call("GET", "/api/me/bookings", &auth, None)?;
                    lat[1].push(t.elapsed());
                    if round.is_multiple_of(10) && round < 30 {
                        let seat = seats[(i + round) % seats.len()];
                        let body = format!(
                            r#"{{"seat_id":{seat},"date":"{date}","start":"{start}","end":"{end}"}}"#
                        );
                        let t = Instant::now();
                        book(&mut conn, &token, &body, &format!("browse-{i}-{round}"))?;
                        lat[2].push(t.elapsed());
                    }
                    round += 1;
                }
                Ok(lat)
            })
        })
        .collect();
    let mut all: [Vec<Duration>; 3] = Default::default();
    for h in handles {
        let lat = h.join().map_err(|_| "a patron thread panicked")??;
        for (into, from) in all.iter_mut().zip(lat) {
            into.extend(from);
        }
    }
    let total: usize = all.iter().map(Vec::len).sum();
    println!(
        "200 patrons browsing and booking for {secs} s: {:.0} requests/s",
        total as f64 / secs as f64
    );
    println!(
        "  {:<24} {:>8} {:>9} {:>9}",
        "request", "count", "p50 ms", "p95 ms"
    );
    for (name, mut samples) in ["availability", "my bookings", "book a seat"]
        .into_iter()
        .zip(all)
    {
        let (p50, p95, _) = percentiles(&mut samples);
        println!("  {name:<24} {:>8} {p50:>9.1} {p95:>9.1}", samples.len());
    }
    Ok(())
}

/// Phase 3: from a booking to the change on another open seat map.
fn live_latency(port: u16, tokens: &[String], span: &Span) -> Result<()> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream
        .write_all(
            format!(
                "GET /api/rooms/{ROOM}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            )
            .as_bytes(),
        )
        .map_err(|e| format!("send: {e}"))?;
    // The listener reads the stream on its own thread and reports the time
    // each seat event arrived.
    let (tx, rx) = mpsc::channel::<Instant>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        let mut text = String::new();
        let mut seen = 0;
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            let at = Instant::now();
            text.push_str(&String::from_utf8_lossy(&buf[..n]));
            let count = text.matches("event: seat").count();
            for _ in seen..count {
                if tx.send(at).is_err() {
                    return;
                }
            }
            seen = count;
        }
    });
    // Let the stream open before the first booking.
    std::thread::sleep(Duration::from_millis(300));
    let mut samples = Vec::new();
    let rounds = 20.min(span.free_seats.len()).min(tokens.len());
    for (i, token) in tokens.iter().take(rounds).enumerate() {
        while rx.try_recv().is_ok() {}
        let mut conn = Conn::open(port)?;
        let body = booking_body(span.free_seats[i], span);
        let sent = Instant::now();
        let (status, _) = book(&mut conn, token, &body, &format!("live-{i}"))?;
        if status != 201 {
            return Err(format!("a booking for the live figure answered {status}"));
        }
        let arrived = rx
            .recv_timeout(Duration::from_secs(5))
            .map_err(|_| "no seat event within 5 s of a booking")?;
        samples.push(arrived.saturating_duration_since(sent));
    }
    let (p50, p95, _) = percentiles(&mut samples);
    let max = samples.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    println!(
        "a booking reaching another open seat map (server-sent events), {rounds} bookings: p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms (budget ≤ 1000 ms)"
    );
    Ok(())
}

fn booking_body(seat: i64, span: &Span) -> String {
    format!(
        r#"{{"seat_id":{seat},"date":"{}","start":"{}","end":"{}"}}"#,
        span.date, span.start, span.end
    )
}

/// `POST /api/me/bookings` as `token`, with an `Idempotency-Key`.
fn book(conn: &mut Conn, token: &str, body: &str, key: &str) -> Result<(u16, Vec<u8>)> {
    let headers = format!("Authorization: Bearer {token}\r\nIdempotency-Key: bench-{key}\r\n");
    conn.call("POST", "/api/me/bookings", &headers, Some(body))
}

fn get_json(conn: &mut Conn, path: &str, token: Option<&str>) -> Result<Value> {
    let headers = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let (status, body) = conn.call("GET", path, &headers, None)?;
    if status != 200 {
        return Err(format!("GET {path} answered {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| format!("GET {path}: {e}"))
}

/// `HH:MM` plus `minutes`, if still on the same day.
fn add_minutes(hhmm: &str, minutes: u32) -> Option<String> {
    let (h, m) = hhmm.split_once(':')?;
    let total = h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()? + minutes;
    (total < 24 * 60).then(|| format!("{:02}:{:02}", total / 60, total % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_added_within_the_day() {
        assert_eq!(add_minutes("08:30", 90).as_deref(), Some("10:00"));
        assert_eq!(add_minutes("23:30", 30), None);
        assert_eq!(add_minutes("8h", 30), None);
    }
}
