//! The seed's reading rooms: eight rooms in the county library, four
//! branches (one a 24-hour study room) and one village centre, each with a seat map drawn from tables
//! of 4 and 6, window rows and carrels, its hours, rules, closed days and
//! some seats closed by staff; and the demo bookings of the demo patrons.
//!
//! Everything is deterministic: seat codes are derived from the room and
//! the seat's label, so a fresh database prints the same QR codes. Closed
//! days and the demo bookings are dated from the day of seeding.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use yuelan_api::booking::{Shape, ShapeKind, TimeSpan};
use yuelan_api::{LocalizedText, OpeningHours};

use super::rules::{self, DayHours};
use crate::clock::{format_date, local_day};
use crate::error::Error;

/// The alphabet of seat codes: no 0/O, 1/I/L, so that staff can read them
/// out.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The stable code of a seat: 8 characters from the SHA-256 of its room
/// and label.
pub fn seat_code(room_id: &str, label: &str) -> String {
    let digest = Sha256::digest(format!("yuelan-seat/{room_id}/{label}").as_bytes());
    digest
        .iter()
        .take(8)
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A seat as the layout builder places it.
#[derive(Clone, Debug, Default)]
struct SeatSpec {
    label: String,
    x: i32,
    y: i32,
    power: bool,
    window: bool,
    quiet: bool,
    accessible: bool,
    closed: bool,
}

/// Seat features a group of seats shares.
#[derive(Clone, Copy, Debug, Default)]
struct Features {
    power: bool,
    window: bool,
    quiet: bool,
    accessible: bool,
}

const PLAIN: Features = Features {
    power: false,
    window: false,
    quiet: false,
    accessible: false,
};

/// Builds a seat map: shapes and seats, labelled by row letter.
#[derive(Default)]
struct Layout {
    shapes: Vec<Shape>,
    seats: Vec<SeatSpec>,
}

fn text(zh: &str, en: &str) -> Option<LocalizedText> {
    Some(LocalizedText::new(zh, en))
}

impl Layout {
    fn shape(&mut self, kind: ShapeKind, x: i32, y: i32, w: i32, h: i32) -> &mut Shape {
        self.shapes.push(Shape {
            kind,
            x,
            y,
            width: w,
            height: h,
            label: None,
        });
        let last = self.shapes.len() - 1;
        &mut self.shapes[last]
    }

    fn seat(&mut self, letter: char, x: i32, y: i32, f: Features) {
        let n = self
            .seats
            .iter()
            .filter(|s| s.label.starts_with(letter))
            .count()
            + 1;
        self.seats.push(SeatSpec {
            label: format!("{letter}{n:02}"),
            x,
            y,
            power: f.power,
            window: f.window,
            quiet: f.quiet,
            accessible: f.accessible,
            closed: false,
        });
    }

    /// A table of `n` seats (4 or 6), half on each long side; the table's
    /// top left at (x, y).
    fn table(&mut self, letter: char, x: i32, y: i32, n: i32, f: Features) {
        let per_side = n / 2;
        let (w, h) = (per_side * 60, 60);
        self.shape(ShapeKind::Table, x, y, w, h);
        for i in 0..per_side {
            self.seat(letter, x + 30 + i * 60, y - 30, f);
        }
        for i in 0..per_side {
            self.seat(letter, x + 30 + i * 60, y + h + 30, f);
        }
    }

    /// A window on the top wall with a counter of `n` seats facing it.
    fn window_row(&mut self, letter: char, x: i32, n: i32, f: Features) {
        let w = n * 60;
        self.shape(ShapeKind::Window, x, 0, w, 10);
        self.shape(ShapeKind::Desk, x, 20, w, 40);
        let f = Features { window: true, ..f };
        for i in 0..n {
            self.seat(letter, x + 30 + i * 60, 90, f);
        }
    }

    /// A row of `n` carrels (single desks with dividers, each with power)
    /// along a wall at y, seats below it.
    fn carrels(&mut self, letter: char, x: i32, y: i32, n: i32, f: Features) {
        self.shape(ShapeKind::Carrel, x, y, n * 60, 40);
        let f = Features { power: true, ..f };
        for i in 0..n {
            self.seat(letter, x + 30 + i * 60, y + 70, f);
        }
    }

    fn close(&mut self, labels: &[&str]) {
        for s in &mut self.seats {
            if labels.contains(&s.label.as_str()) {
                s.closed = true;
            }
        }
    }
}

/// A room of the seed.
struct RoomSpec {
    id: &'static str,
    library_id: &'static str,
    name: (&'static str, &'static str),
    kind: &'static str,
    floor: (&'static str, &'static str),
    description: (&'static str, &'static str),
    /// (weekday, opens, closes)
    hours: Vec<(u8, &'static str, &'static str)>,
    size: (i32, i32),
    layout: Layout,
    rules: rules::RoomRules,
    /// Days from seeding, and the reason.
    closed_days: Vec<(i64, &'static str, &'static str)>,
}

fn meals() -> Vec<(u32, u32)> {
    vec![(11 * 60 + 30, 13 * 60 + 30), (17 * 60, 19 * 60)]
}

fn study_rules(slot: u32, max: u32, days_ahead: u32, per_day: u32) -> rules::RoomRules {
    rules::RoomRules {
        slot_minutes: slot,
        min_minutes: slot,
        max_minutes: max,
        days_ahead,
        window_opens_at: 7 * 60,
        max_bookings_per_day: per_day,
        checkin_before_minutes: 15,
        checkin_after_minutes: 15,
        leave_minutes: 30,
        meal_leave_minutes: 60,
        meal_times: meals(),
    }
}

fn every_day(opens: &'static str, closes: &'static str) -> Vec<(u8, &'static str, &'static str)> {
    (1..=7).map(|d| (d, opens, closes)).collect()
}

fn rooms() -> Vec<RoomSpec> {
    let quiet = Features {
        quiet: true,
        ..PLAIN
    };
    let power = Features {
        power: true,
        ..PLAIN
    };

    // County: the quiet study room on the third floor. A window row, two
    // tables of 6 and two of 4, carrels with power in the quiet zone.
    let mut county_quiet = Layout::default();
    county_quiet.window_row('A', 60, 12, PLAIN);
    county_quiet.table('B', 80, 220, 6, power);
    county_quiet.table('B', 380, 220, 6, power);
    county_quiet.table('C', 80, 420, 4, PLAIN);
    county_quiet.table('C', 380, 420, 4, PLAIN);
    county_quiet
        .shape(ShapeKind::Zone, 640, 180, 160, 420)
        .label = text("静音区", "Quiet zone");
    county_quiet.carrels('D', 660, 200, 2, quiet);
    county_quiet.carrels('D', 660, 330, 2, quiet);
    county_quiet.carrels('D', 660, 460, 2, quiet);
    county_quiet.shape(ShapeKind::Door, 20, 580, 80, 20).label = text("入口", "Entrance");
    county_quiet.shape(ShapeKind::Desk, 400, 560, 160, 40).label = text("服务台", "Service desk");
    // The seats at the door are the accessible ones.
    for s in &mut county_quiet.seats {
        if ["C03", "C04"].contains(&s.label.as_str()) {
            s.accessible = true;
        }
    }
    county_quiet.close(&["A07", "B12"]);

    // County: the children's reading area, low tables of 4 and 6.
    let mut county_children = Layout::default();
    county_children.window_row('A', 40, 8, PLAIN);
    county_children.table('B', 60, 220, 4, PLAIN);
    county_children.table('B', 260, 220, 4, PLAIN);
    county_children.table('C', 60, 400, 6, PLAIN);
    county_children
        .shape(ShapeKind::Shelf, 480, 160, 40, 360)
        .label = text("绘本架", "Picture books");
    county_children
        .shape(ShapeKind::Door, 20, 560, 80, 20)
        .label = text("入口", "Entrance");
    for s in &mut county_children.seats {
        if s.label == "C04" || s.label == "C05" {
            s.accessible = true;
        }
    }

    // County: the e-reading room, computer carrels, all with power.
    let mut county_e = Layout::default();
    county_e.carrels('A', 40, 40, 8, PLAIN);
    county_e.carrels('B', 40, 220, 8, PLAIN);
    county_e.carrels('C', 40, 400, 6, quiet);
    county_e.shape(ShapeKind::Door, 440, 540, 80, 20).label = text("入口", "Entrance");
    county_e.close(&["B05"]);
    for s in &mut county_e.seats {
        if s.label == "C01" {
            s.accessible = true;
        }
    }

    // Shiwan branch: the study room on the second floor.
    let mut shiwan = Layout::default();
    shiwan.window_row('A', 40, 8, power);
    shiwan.table('B', 60, 220, 6, PLAIN);
    shiwan.table('B', 320, 220, 6, PLAIN);
    shiwan.table('C', 60, 420, 4, PLAIN);
    shiwan.carrels('D', 320, 400, 3, quiet);
    shiwan.shape(ShapeKind::Door, 500, 560, 80, 20).label = text("入口", "Entrance");
    for s in &mut shiwan.seats {
        if s.label == "C03" {
            s.accessible = true;
        }
    }
    shiwan.close(&["B03"]);

    // Yuanzhou branch: a small group room, one table of 6.
    let mut yuanzhou = Layout::default();
    yuanzhou.table('A', 60, 120, 6, power);
    yuanzhou.shape(ShapeKind::Desk, 60, 300, 180, 30).label = text("白板", "Whiteboard");
    yuanzhou.shape(ShapeKind::Door, 260, 340, 60, 20).label = text("入口", "Entrance");
    for s in &mut yuanzhou.seats {
        if s.label == "A04" {
            s.accessible = true;
        }
    }

    // Huzhen branch: the reading room, tables of 4 by the windows.
    let mut huzhen = Layout::default();
    huzhen.window_row('A', 40, 6, PLAIN);
    huzhen.table('B', 60, 220, 4, PLAIN);
    huzhen.table('B', 260, 220, 4, power);
    huzhen.shape(ShapeKind::Door, 360, 400, 60, 20).label = text("入口", "Entrance");
    for s in &mut huzhen.seats {
        if s.label == "B01" {
            s.accessible = true;
        }
    }
    huzhen.close(&["A06"]);

    // Tangxia village centre: a reading corner with one table of 6 and two
    // window seats.
    let mut tangxia = Layout::default();
    tangxia.window_row('A', 40, 2, PLAIN);
    tangxia.table('B', 40, 200, 6, PLAIN);
    tangxia.shape(ShapeKind::Door, 220, 340, 60, 20).label = text("入口", "Entrance");
    for s in &mut tangxia.seats {
        if s.label == "B04" {
            s.accessible = true;
        }
    }

    // Changning branch: a 24-hour self-service study room (24小时自助自习室,
    // entered with the library card), a window row and a table of 4, on
    // 30-minute slots. Open at every hour, it is also the room whose seats
    // the app's end-to-end tests book and check in to whatever the time.
    let mut changning = Layout::default();
    changning.window_row('A', 40, 4, power);
    changning.table('B', 60, 200, 4, PLAIN);
    changning.shape(ShapeKind::Door, 220, 320, 60, 20).label = text("入口", "Entrance");
    for s in &mut changning.seats {
        if s.label == "B03" {
            s.accessible = true;
        }
    }

    let mut county_hours = every_day("09:00", "21:00");
    county_hours[0] = (1, "14:30", "17:30");

    vec![
        RoomSpec {
            id: "county-study",
            library_id: "county",
            name: ("自习室", "Quiet study room"),
            kind: "quiet_study",
            floor: ("3楼", "3rd floor"),
            description: (
                "安静自习，请勿交谈；靠窗座位和静音区隔间可预约。",
                "Quiet study: no talking. Window seats and the carrels of the quiet zone can be booked.",
            ),
            hours: county_hours.clone(),
            size: (840, 620),
            layout: county_quiet,
            rules: study_rules(60, 240, 7, 2),
            closed_days: vec![(12, "设备检修", "Maintenance")],
        },
        RoomSpec {
            id: "county-children",
            library_id: "county",
            name: ("少儿阅读区", "Children's reading area"),
            kind: "children",
            floor: ("2楼", "2nd floor"),
            description: (
                "12岁以下儿童可由家长陪同使用。",
                "For children under 12 with a parent.",
            ),
            hours: county_hours.clone(),
            size: (560, 600),
            layout: county_children,
            rules: rules::RoomRules {
                min_minutes: 30,
                ..study_rules(30, 120, 3, 2)
            },
            closed_days: vec![(5, "少儿故事会", "Children's story hour")],
        },
        RoomSpec {
            id: "county-e-reading",
            library_id: "county",
            name: ("电子阅览室", "E-reading room"),
            kind: "e_reading",
            floor: ("4楼", "4th floor"),
            description: (
                "每个座位配有电脑和电源，可使用数字资源。",
                "Every seat has a computer and power, with the library's digital resources.",
            ),
            hours: county_hours,
            size: (560, 560),
            layout: county_e,
            rules: study_rules(60, 120, 3, 1),
            closed_days: vec![],
        },
        RoomSpec {
            id: "shiwan-study",
            library_id: "br-shiwan",
            name: ("自习室", "Study room"),
            kind: "quiet_study",
            floor: ("2楼", "2nd floor"),
            description: ("靠窗座位配有电源。", "The window seats have power sockets."),
            hours: vec![
                (2, "09:00", "17:30"),
                (3, "09:00", "17:30"),
                (4, "09:00", "17:30"),
                (5, "09:00", "17:30"),
                (6, "09:00", "20:00"),
                (7, "09:00", "20:00"),
            ],
            size: (600, 580),
            layout: shiwan,
            rules: study_rules(60, 180, 7, 2),
            closed_days: vec![],
        },
        RoomSpec {
            id: "yuanzhou-group",
            library_id: "br-yuanzhou",
            name: ("小组研讨室", "Small group room"),
            kind: "group",
            floor: ("1楼", "Ground floor"),
            description: (
                "可讨论的小组学习室，配有白板。",
                "A room for group work where talking is fine, with a whiteboard.",
            ),
            hours: (2..=7).map(|d| (d, "09:00", "18:00")).collect(),
            size: (340, 360),
            layout: yuanzhou,
            rules: study_rules(60, 120, 7, 1),
            closed_days: vec![],
        },
        RoomSpec {
            id: "huzhen-reading",
            library_id: "br-huzhen",
            name: ("阅览室", "Reading room"),
            kind: "quiet_study",
            floor: ("1楼", "Ground floor"),
            description: ("报刊和自习座位。", "Newspapers, magazines and study seats."),
            hours: (2..=6).map(|d| (d, "09:00", "17:00")).collect(),
            size: (440, 420),
            layout: huzhen,
            rules: study_rules(60, 240, 7, 2),
            closed_days: vec![],
        },
        RoomSpec {
            id: "tangxia-reading",
            library_id: "vc-tangxia",
            name: ("阅读角", "Reading corner"),
            kind: "quiet_study",
            floor: ("文化室", "Culture room"),
            description: (
                "村文化室的阅读角。",
                "The reading corner of the village culture room.",
            ),
            hours: vec![
                (4, "14:30", "17:30"),
                (6, "09:00", "11:30"),
                (7, "14:30", "17:30"),
            ],
            size: (300, 360),
            layout: tangxia,
            rules: study_rules(30, 180, 3, 1),
            closed_days: vec![],
        },
        RoomSpec {
            id: "changning-24h",
            library_id: "br-changning",
            name: ("24小时自助自习室", "24-hour study room"),
            kind: "quiet_study",
            floor: ("1楼", "Ground floor"),
            description: (
                "刷读者证进入，全天开放。",
                "Open day and night; enter with your library card.",
            ),
            hours: every_day("00:00", "24:00"),
            size: (320, 360),
            layout: changning,
            rules: study_rules(30, 240, 3, 4),
            closed_days: vec![],
        },
    ]
}

/// Inserts the seed's rooms unless the database has rooms already (an
/// older catalog gets them at the next start). Answers whether it did.
pub fn seed_rooms(conn: &Connection, now: i64) -> Result<bool, Error> {
    let have: i64 = conn.query_row("SELECT COUNT(*) FROM reading_rooms", [], |r| r.get(0))?;
    if have > 0 {
        return Ok(false);
    }
    let today = local_day(now);
    for (position, room) in rooms().into_iter().enumerate() {
        let exists: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM libraries WHERE id = ?1",
                [room.library_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            continue;
        }
        let hours: Vec<OpeningHours> = room
            .hours
            .iter()
            .map(|&(weekday, opens, closes)| OpeningHours {
                weekday,
                opens: opens.into(),
                closes: closes.into(),
            })
            .collect();
        conn.execute(
            "INSERT INTO reading_rooms (id, library_id, position, name_zh, name_en, kind, floor_zh, floor_en,
                                        description_zh, description_en, hours, width, height, seat_size, shapes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 40, ?14)",
            params![
                room.id,
                room.library_id,
                position as i64,
                room.name.0,
                room.name.1,
                room.kind,
                room.floor.0,
                room.floor.1,
                room.description.0,
                room.description.1,
                serde_json::to_string(&hours)?,
                room.size.0,
                room.size.1,
                serde_json::to_string(&room.layout.shapes)?,
            ],
        )?;
        let r = &room.rules;
        let meals: Vec<TimeSpan> = r
            .meal_times
            .iter()
            .map(|&(s, e)| TimeSpan {
                start: rules::hhmm(s),
                end: rules::hhmm(e),
            })
            .collect();
        conn.execute(
            "INSERT INTO room_rules (room_id, slot_minutes, min_minutes, max_minutes, days_ahead, window_opens_at,
                                     max_bookings_per_day, checkin_before_minutes, checkin_after_minutes,
                                     leave_minutes, meal_leave_minutes, meal_times)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                room.id,
                r.slot_minutes,
                r.min_minutes,
                r.max_minutes,
                r.days_ahead,
                rules::hhmm(r.window_opens_at),
                r.max_bookings_per_day,
                r.checkin_before_minutes,
                r.checkin_after_minutes,
                r.leave_minutes,
                r.meal_leave_minutes,
                serde_json::to_string(&meals)?,
            ],
        )?;
        for (days, zh, en) in &room.closed_days {
            conn.execute(
                "INSERT INTO room_closed_days (room_id, date, reason_zh, reason_en) VALUES (?1, ?2, ?3, ?4)",
                params![room.id, format_date(today + days), zh, en],
            )?;
        }
        for s in &room.layout.seats {
            conn.execute(
                "INSERT INTO seats (room_id, label, code, x, y, power, by_window, quiet, accessible, closed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    room.id,
                    s.label,
                    seat_code(room.id, &s.label),
                    s.x,
                    s.y,
                    s.power,
                    s.window,
                    s.quiet,
                    s.accessible,
                    s.closed
                ],
            )?;
        }
    }
    Ok(true)
}

/// 陈晓明 (…0001), who has a booking tomorrow and one last week.
const CHEN: &str = "44132200000001";

/// Seeds the demo bookings: 陈晓明 has seat A02 of the county's quiet
/// study room booked tomorrow for two slots from the second slot of the
/// day, and a completed booking of B01 four days ago.
pub fn seed_demo_bookings(conn: &Connection, now: i64) -> Result<(), Error> {
    let today = local_day(now);
    let room = "county-study";
    let Some(loaded) = super::store::load_room(conn, room)? else {
        return Ok(());
    };
    for (days, label, status) in [(1, "A02", "booked"), (-4, "B01", "completed")] {
        let day = today + days;
        let DayHours::Open(open, close) = super::store::day_hours(conn, &loaded, day)? else {
            continue;
        };
        let slot = loaded.rules.slot_minutes;
        let slots = rules::slots(open, close, slot);
        let Some(&(start, _)) = slots.get(1).or(slots.first()) else {
            continue;
        };
        let end = (start + 2 * slot).min(close);
        let starts_at = rules::instant_of(day, start);
        let ends_at = rules::instant_of(day, end);
        let seat: i64 = conn.query_row(
            "SELECT id FROM seats WHERE room_id = ?1 AND label = ?2",
            params![room, label],
            |r| r.get(0),
        )?;
        let checked_in = (status == "completed").then_some(starts_at - 300);
        let ended = (status == "completed").then_some(ends_at);
        conn.execute(
            "INSERT INTO bookings (card_number, seat_id, room_id, starts_at, ends_at, status, created_at,
                                   checked_in_at, ended_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                CHEN,
                seat,
                room,
                starts_at,
                ends_at,
                status,
                now - 3600,
                checked_in,
                ended
            ],
        )?;
        if status == "booked" {
            let id = conn.last_insert_rowid();
            super::store::insert_slots(conn, id, seat, CHEN, starts_at, ends_at)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seat_codes_are_stable_readable_and_distinct() {
        assert_eq!(
            seat_code("county-study", "A01"),
            seat_code("county-study", "A01")
        );
        let mut all = std::collections::HashSet::new();
        for room in rooms() {
            for s in &room.layout.seats {
                let code = seat_code(room.id, &s.label);
                assert_eq!(code.len(), 8);
                assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
                assert!(all.insert(code), "{} {}", room.id, s.label);
            }
        }
        assert!(all.len() > 100, "{} seats", all.len());
    }

    #[test]
    fn every_room_is_realistic() {
        for room in rooms() {
            let seats = &room.layout.seats;
            assert!(seats.len() >= 6, "{}", room.id);
            assert!(seats.iter().any(|s| s.accessible), "{}", room.id);
            for s in seats {
                assert!(
                    s.x > 0 && s.y > 0 && s.x < room.size.0 && s.y < room.size.1,
                    "{} {} is inside the room",
                    room.id,
                    s.label
                );
            }
            for (_, opens, closes) in &room.hours {
                let (o, c) = (
                    rules::parse_hhmm(opens).unwrap(),
                    rules::parse_hhmm(closes).unwrap(),
                );
                assert!(o % 30 == 0 && c % 30 == 0 && o < c, "{}", room.id);
            }
        }
    }
}
