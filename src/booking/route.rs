//! The booking pages' own routes. The main module knows one page,
//! `Page::Booking`, for every path under `/booking`; the booking chunk
//! reads the rest of the path and the query here, so links between its
//! pages are typed and the main module carries none of this.

use yuelan_api::booking::CHECKIN_ROUTE;

use crate::urlenc;

/// What a room page shows: the day and span chosen, and the seat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoomChoice {
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `HH:MM`.
    pub start: Option<String>,
    pub end: Option<String>,
    /// The seat chosen (its id), so that sign-in and reload come back to it.
    pub seat: Option<i64>,
}

/// A booking page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingRoute {
    /// `/booking`: the rooms, by library.
    Rooms,
    /// `/booking/rooms/{id}?date=&start=&end=&seat=`.
    Room(String, RoomChoice),
    /// `/booking/mine`: the patron's reservations.
    Mine,
    /// `/booking/checkin/{code}` (the seat's QR code), or `/booking/checkin`
    /// to type or scan a code.
    CheckIn(Option<String>),
    NotFound,
}

impl BookingRoute {
    /// The route of a path and query string (percent-encoded, as in the URL).
    pub fn of_location(path: &str, query: &str) -> BookingRoute {
        let Some(segments) = urlenc::under(path, "booking") else {
            return BookingRoute::NotFound;
        };
        match segments {
            (None, None) => BookingRoute::Rooms,
            (Some("mine"), None) => BookingRoute::Mine,
            (Some("checkin"), code) => BookingRoute::CheckIn(code.map(urlenc::decode)),
            (Some("rooms"), Some(id)) => {
                let mut choice = RoomChoice::default();
                for (k, v) in urlenc::pairs(query) {
                    match k.as_str() {
                        "date" => choice.date = Some(v),
                        "start" => choice.start = Some(v),
                        "end" => choice.end = Some(v),
                        "seat" => choice.seat = v.parse().ok(),
                        _ => {}
                    }
                }
                BookingRoute::Room(urlenc::decode(id), choice)
            }
            _ => BookingRoute::NotFound,
        }
    }

    /// The path and query of the page.
    pub fn to_href(&self) -> String {
        match self {
            BookingRoute::Rooms => "/booking".to_owned(),
            BookingRoute::Mine => "/booking/mine".to_owned(),
            BookingRoute::CheckIn(None) => "/booking/checkin".to_owned(),
            BookingRoute::CheckIn(Some(code)) => {
                let mut href = CHECKIN_ROUTE.to_owned();
                urlenc::encode_into(&mut href, code);
                href
            }
            BookingRoute::Room(id, choice) => {
                let mut href = "/booking/rooms/".to_owned();
                urlenc::encode_into(&mut href, id);
                let mut sep = '?';
                let mut add = |name: &str, value: &str| {
                    href.push(sep);
                    sep = '&';
                    href.push_str(name);
                    href.push('=');
                    urlenc::encode_into(&mut href, value);
                };
                if let Some(d) = &choice.date {
                    add("date", d);
                }
                if let Some(s) = &choice.start {
                    add("start", s);
                }
                if let Some(e) = &choice.end {
                    add("end", e);
                }
                if let Some(seat) = choice.seat {
                    add("seat", &seat.to_string());
                }
                href
            }
            BookingRoute::NotFound => "/booking/not-found".to_owned(),
        }
    }
}

/// The seat code in a scanned text: the check-in link of a seat's QR code
/// (`https://…/booking/checkin/K7Q2M9XA`), or a code typed as it is
/// printed (spaces and case ignored).
pub fn seat_code_of(text: &str) -> Option<String> {
    let text = text.trim();
    let raw = match text.find(CHECKIN_ROUTE) {
        Some(at) => &text[at + CHECKIN_ROUTE.len()..],
        None => text,
    };
    let raw = raw.split(['?', '#', '/']).next().unwrap_or_default();
    let code: String = urlenc::decode(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!code.is_empty() && code.len() <= 32 && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::Page;

    fn back(route: &BookingRoute) -> BookingRoute {
        let loc = crate::router::Location::from_href(&route.to_href());
        BookingRoute::of_location(&loc.path, &loc.query)
    }

    #[test]
    fn every_route_maps_back_and_is_the_booking_page() {
        let routes = [
            BookingRoute::Rooms,
            BookingRoute::Mine,
            BookingRoute::CheckIn(None),
            BookingRoute::CheckIn(Some("K7Q2M9XA".into())),
            BookingRoute::Room("county-study".into(), RoomChoice::default()),
            BookingRoute::Room(
                "a b/c".into(),
                RoomChoice {
                    date: Some("2026-12-08".into()),
                    start: Some("09:00".into()),
                    end: Some("10:30".into()),
                    seat: Some(42),
                },
            ),
        ];
        for route in routes {
            assert_eq!(back(&route), route, "{}", route.to_href());
            let path = crate::router::Location::from_href(&route.to_href()).path;
            assert_eq!(Page::of_path(&path), Page::Booking, "{path}");
        }
        assert_eq!(
            BookingRoute::Room(
                "x".into(),
                RoomChoice {
                    start: Some("09:00".into()),
                    ..RoomChoice::default()
                }
            )
            .to_href(),
            "/booking/rooms/x?start=09%3A00"
        );
    }

    #[test]
    fn odd_paths() {
        assert_eq!(
            BookingRoute::of_location("/booking/", ""),
            BookingRoute::Rooms
        );
        assert_eq!(
            BookingRoute::of_location("/booking/rooms", ""),
            BookingRoute::NotFound
        );
        assert_eq!(
            BookingRoute::of_location("/booking/x", ""),
            BookingRoute::NotFound
        );
        assert_eq!(
            BookingRoute::of_location("/booking/rooms/a/b", ""),
            BookingRoute::NotFound
        );
        let r = BookingRoute::of_location("/booking/rooms/r1", "seat=x&date=2026-12-08&zzz");
        assert_eq!(
            r,
            BookingRoute::Room(
                "r1".into(),
                RoomChoice {
                    date: Some("2026-12-08".into()),
                    ..RoomChoice::default()
                }
            )
        );
    }

    #[test]
    fn seat_codes_from_links_and_typing() {
        assert_eq!(
            seat_code_of("https://lib.example.cn/booking/checkin/K7Q2M9XA?x=1").as_deref(),
            Some("K7Q2M9XA")
        );
        assert_eq!(seat_code_of(" k7q2 m9xa ").as_deref(), Some("K7Q2M9XA"));
        assert_eq!(seat_code_of(""), None);
        assert_eq!(seat_code_of("<script>"), None);
    }
}
