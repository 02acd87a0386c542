//! The staff's printable page of seat QR codes, and calendar files of
//! bookings.
//!
//! Each seat's QR code is the absolute URL of the app's check-in route for
//! it (`https://<host>/booking/checkin/<seat code>`), drawn as one SVG
//! path from the `qrcode` crate's module matrix (error correction M). The
//! host is the one the page was asked from (`X-Forwarded-Proto` says
//! whether it is `https`), so the page printed from the library's own
//! address points at it. The page has no script and no inline style (the
//! CSP allows neither): its stylesheet is `/api/staff/seat-codes.css`.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qrcode::{Color, EcLevel, QrCode};
use yuelan_api::booking::CHECKIN_ROUTE;

use super::{bookings, store};
use crate::AppState;
use crate::account::SignedIn;
use crate::clock::{DAY, civil_from_days, rfc3339};
use crate::error::{AppError, Error};
use crate::routes::{blocking, query_pairs};

/// Escapes text for HTML.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A QR code of `data` as an SVG with one path, 4 modules of quiet zone.
pub fn qr_svg(data: &str, label: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(Error::Task(format!("QR code: {e}"))))?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let size = width + 8;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" \
         aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>",
        html_escape(label)
    ))
}

/// The origin the request was made to, for absolute check-in links.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

const STAFF_CSS: &str = "body{font-family:sans-serif;margin:1rem;color:#000;background:#fff}\
h1{font-size:1.4rem}h2{font-size:1.2rem;break-before:page;margin-top:2rem}h2:first-of-type{break-before:auto}\
.seats{display:grid;grid-template-columns:repeat(auto-fill,minmax(7cm,1fr));gap:.5cm}\
figure{margin:0;padding:.4cm;border:1px dashed #888;break-inside:avoid;text-align:center}\
figure svg{width:4.5cm;height:4.5cm}figcaption{font-size:1rem}.label{font-size:1.6rem;font-weight:bold}\
.code{font-family:monospace;letter-spacing:.1em}.closed{color:#a00}\
@media print{body{margin:0}.hint{display:none}}";

/// The stylesheet of the staff's page.
#[utoipa::path(
    get, path = "/api/staff/seat-codes.css", tag = "booking",
    responses((status = 200, description = "The stylesheet.", content_type = "text/css", body = String))
)]
pub async fn seat_codes_css() -> Response {
    let mut res = (StatusCode::OK, STAFF_CSS).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    res
}

/// Query parameters of `GET /api/staff/seat-codes`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SeatCodesParams {
    /// Only this library's rooms.
    library: Option<String>,
    /// Only this room.
    room: Option<String>,
}

/// A printable HTML page for staff: every room's seats, each with its QR
/// code (a link to the app's check-in route for the seat), its label and
/// its code, one room a page. The codes are what is stuck on the seats, so
/// the page holds nothing secret.
#[utoipa::path(
    get, path = "/api/staff/seat-codes", tag = "booking",
    params(SeatCodesParams),
    responses((status = 200, description = "The page.", content_type = "text/html", body = String))
)]
pub async fn seat_codes_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let pairs = query_pairs(raw.as_deref().unwrap_or(""))?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (library, only_room) = (get("library"), get("room"));
    let base = origin(&headers);
    let rooms = blocking(move || {
        Ok(state.db().with_conn(|c| {
            let mut out = Vec::new();
            for room in store::load_rooms(c, library.as_deref())? {
                if only_room.as_ref().is_some_and(|r| *r != room.id) {
                    continue;
                }
                let library: (String, String) = c.query_row(
                    "SELECT name_zh, name_en FROM libraries WHERE id = ?1",
                    [&room.library_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let seats = store::seats(c, &room.id)?;
                out.push((room, library, seats));
            }
            Ok(out)
        })?)
    })
    .await?;
    let mut html = String::from(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>座位签到二维码 Seat check-in codes</title>\
         <link rel=\"stylesheet\" href=\"/api/staff/seat-codes.css\"></head><body>\
         <h1>座位签到二维码 · Seat check-in codes</h1>\
         <p class=\"hint\">打印后贴在对应座位上；读者扫码即可签到。Print and stick each code on its seat; \
         patrons scan it to check in.</p>",
    );
    for (room, (lib_zh, lib_en), seats) in rooms {
        html.push_str(&format!(
            "<h2>{} · {} — {} ({} / {})</h2><div class=\"seats\">",
            html_escape(&lib_zh),
            html_escape(&room.name.zh),
            html_escape(&room.floor.zh),
            html_escape(&lib_en),
            html_escape(&room.name.en),
        ));
        for seat in seats {
            let url = format!("{base}{CHECKIN_ROUTE}{}", seat.code);
            let svg = qr_svg(&url, &format!("{} {}", room.name.zh, seat.label))?;
            html.push_str(&format!(
                "<figure>{svg}<figcaption><div class=\"label\">{}</div><div class=\"code\">{}</div>{}</figcaption></figure>",
                html_escape(&seat.label),
                html_escape(&seat.code),
                if seat.closed {
                    "<div class=\"closed\">暂停使用 Closed</div>"
                } else {
                    ""
                }
            ));
        }
        html.push_str("</div>");
    }
    html.push_str("</body></html>");
    let mut res = (StatusCode::OK, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(res)
}

/// An instant as an iCalendar UTC date-time, `20261201T010000Z`.
pub fn ics_utc(instant: i64) -> String {
    let (y, m, d) = civil_from_days(instant.div_euclid(DAY));
    let s = instant.rem_euclid(DAY);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// Escapes iCalendar text.
pub fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// A booking as an iCalendar file.
pub fn ics(row: &bookings::Row, now: i64) -> String {
    let (opens, closes) = row.checkin_window();
    let status = match row.status.as_str() {
        "cancelled" | "declined" | "expired" | "no_show" => "CANCELLED",
        "offered" => "TENTATIVE",
        _ => "CONFIRMED",
    };
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Yuelan//Reading-room booking//EN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:booking-{}@yuelan", row.id),
        format!("SEQUENCE:{}", row.version),
        format!("DTSTAMP:{}", ics_utc(now)),
        format!("DTSTART:{}", ics_utc(row.starts_at)),
        format!("DTEND:{}", ics_utc(row.ends_at)),
        format!(
            "SUMMARY:{}",
            ics_text(&format!(
                "{} {} 座位 {} / Seat {}",
                row.library_name.zh, row.room_name.zh, row.seat_label, row.seat_label
            ))
        ),
        format!(
            "LOCATION:{}",
            ics_text(&format!("{} {}", row.library_name.zh, row.floor.zh))
        ),
        format!(
            "DESCRIPTION:{}",
            ics_text(&format!(
                "签到时间 Check in: {} – {}\n座位码 Seat code: {}",
                rfc3339(opens),
                rfc3339(closes),
                row.seat_code
            ))
        ),
        format!("STATUS:{status}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

/// A booking as an iCalendar file, to add to a calendar.
#[utoipa::path(
    get, path = "/api/me/bookings/{id}.ics", tag = "booking",
    params(("id" = i64, Path, description = "The booking's id.")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking as one `VEVENT`.", content_type = "text/calendar", body = String),
        (status = 404, description = "No such booking of the patron (`not_found`).", body = yuelan_api::booking::BookingProblem, content_type = "application/problem+json"),
    )
)]
pub async fn ics_handler(state: AppState, who: SignedIn, id: i64) -> Result<Response, AppError> {
    let now = state.now();
    let text = blocking(move || {
        state
            .db()
            .with_conn(|c| Ok(bookings::mine(c, &who.card_number, id).map(|row| ics(&row, now))))?
    })
    .await?;
    let mut res = (StatusCode::OK, text).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"booking-{id}.ics\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_instants_are_utc() {
        let nine = crate::clock::local_instant(2026, 12, 1, 9, 0);
        assert_eq!(ics_utc(nine), "20261201T010000Z");
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn qr_codes_are_one_path() {
        let svg = qr_svg("http://localhost/booking/checkin/ABCDEFGH", "A01").unwrap();
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
