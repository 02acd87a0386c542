//! The SQLite database: opening, migrations, queries and inserts.
//!
//! SQLite is the source of truth; the search index is built from it. Tables:
//! `libraries` (with their services as a JSON array), `records` (authors and
//! subjects as JSON arrays), `shelves` (shelf locations, shared by many
//! copies) and `items` (copies); for the patron's account `patrons`,
//! `sessions`, `sign_in_failures`, `card_locks`, `loans`, `holds`,
//! `favourite_lists`, `list_entries` and `circulation_rules`. The schema
//! version is `PRAGMA user_version`; migrations are numbered and run in
//! order, each in its own transaction.
//!
//! Connections live in a small pool; a connection is taken for one unit of
//! work and given back. A file database runs in WAL mode so that readers
//! never wait for a writer. Writes that must check and change together go
//! through [`Db::write`]: one `BEGIN IMMEDIATE` transaction at a time.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use yuelan_api::{
    BranchAvailability, Format, Holding, ItemStatus, Library, LibraryKind, LocalizedText,
    OpeningHours, RecordDetail, SearchHit, Service,
};

use crate::error::Error;

/// The migrations, in order; `user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: the catalog.
    r#"
    CREATE TABLE libraries (
        id          TEXT PRIMARY KEY NOT NULL,
        position    INTEGER NOT NULL,
        name_zh     TEXT NOT NULL,
        name_en     TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL CHECK (kind IN ('county', 'branch', 'village')),
        parent_id   TEXT REFERENCES libraries(id),
        address_zh  TEXT NOT NULL,
        address_en  TEXT NOT NULL DEFAULT '',
        phone       TEXT,
        latitude    REAL NOT NULL,
        longitude   REAL NOT NULL,
        hours       TEXT NOT NULL DEFAULT '[]'
    ) STRICT;

    CREATE TABLE records (
        id                INTEGER PRIMARY KEY,
        title             TEXT NOT NULL,
        subtitle          TEXT,
        authors           TEXT NOT NULL DEFAULT '[]',
        publisher         TEXT,
        publication_place TEXT,
        year              INTEGER,
        isbn              TEXT,
        format            TEXT NOT NULL CHECK (format IN ('book', 'audiobook', 'dvd', 'magazine')),
        language          TEXT NOT NULL,
        subjects          TEXT NOT NULL DEFAULT '[]',
        series            TEXT,
        extent            TEXT,
        summary           TEXT,
        classification    TEXT,
        cover_url         TEXT
    ) STRICT;
    CREATE INDEX records_isbn ON records(isbn) WHERE isbn IS NOT NULL;

    CREATE TABLE shelves (
        id  INTEGER PRIMARY KEY,
        zh  TEXT NOT NULL,
        en  TEXT NOT NULL,
        UNIQUE (zh, en)
    ) STRICT;

    CREATE TABLE items (
        barcode      TEXT PRIMARY KEY NOT NULL,
        record_id    INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        library_id   TEXT NOT NULL REFERENCES libraries(id),
        call_number  TEXT NOT NULL,
        shelf_id     INTEGER NOT NULL REFERENCES shelves(id),
        status       TEXT NOT NULL CHECK (status IN ('on_shelf', 'on_loan', 'in_transit', 'on_hold_shelf')),
        due_date     TEXT,
        CHECK ((status = 'on_loan') = (due_date IS NOT NULL))
    ) STRICT, WITHOUT ROWID;
    -- Covering, so that result lists count copies without touching the table.
    CREATE INDEX items_record ON items(record_id, library_id, status);
    "#,
    // 2: patrons. The PIN is stored only as a salted PBKDF2-HMAC-SHA256 hash.
    r#"
    CREATE TABLE patrons (
        card_number      TEXT PRIMARY KEY NOT NULL CHECK (length(card_number) BETWEEN 8 AND 20),
        name             TEXT NOT NULL,
        home_library_id  TEXT NOT NULL REFERENCES libraries(id),
        preferred_locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (preferred_locale IN ('zh-CN', 'en')),
        elder_mode       INTEGER NOT NULL DEFAULT 0 CHECK (elder_mode IN (0, 1)),
        pin_salt         BLOB NOT NULL,
        pin_hash         BLOB NOT NULL,
        pin_rounds       INTEGER NOT NULL
    ) STRICT;
    "#,
    // 3: what each library offers, and whether holds can be collected there.
    r#"
    ALTER TABLE libraries ADD COLUMN services TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE libraries ADD COLUMN pickup_point INTEGER NOT NULL DEFAULT 0 CHECK (pickup_point IN (0, 1));
    "#,
    // 4: PINs as Argon2id PHC strings, and blocks. The PBKDF2 hashes of
    // migration 2 are dropped, not carried as a legacy scheme: the only
    // patrons any database holds are the demo patrons, whose PINs are
    // published, and the seed step re-hashes them with Argon2id at the next
    // start (see `seed::seed_if_empty`). A row with no `pin_phc` cannot sign
    // in until a PIN is set for it.
    r#"
    CREATE TABLE patrons_v4 (
        card_number      TEXT PRIMARY KEY NOT NULL CHECK (length(card_number) BETWEEN 8 AND 20),
        name             TEXT NOT NULL,
        home_library_id  TEXT NOT NULL REFERENCES libraries(id),
        preferred_locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (preferred_locale IN ('zh-CN', 'en')),
        elder_mode       INTEGER NOT NULL DEFAULT 0 CHECK (elder_mode IN (0, 1)),
        pin_phc          TEXT CHECK (pin_phc IS NULL OR pin_phc LIKE '$argon2id$%'),
        blocked          TEXT CHECK (blocked IS NULL OR blocked IN ('fines', 'lost_item', 'card_expired', 'staff'))
    ) STRICT;
    INSERT INTO patrons_v4 (card_number, name, home_library_id, preferred_locale, elder_mode)
        SELECT card_number, name, home_library_id, preferred_locale, elder_mode FROM patrons;
    DROP TABLE patrons;
    ALTER TABLE patrons_v4 RENAME TO patrons;
    "#,
    // 5: the patron's account. Instants are Unix seconds, dates are local
    // `YYYY-MM-DD` (see `clock`).
    r#"
    -- The circulation rules, one row per rule; `account::rules` reads them
    -- on every request, so staff edits apply at once.
    CREATE TABLE circulation_rules (
        name        TEXT PRIMARY KEY NOT NULL,
        value       INTEGER NOT NULL CHECK (value >= 0),
        description TEXT NOT NULL
    ) STRICT;
    INSERT INTO circulation_rules (name, value, description) VALUES
        ('loan_days', 30, 'Days a loan lasts.'),
        ('renewal_days', 30, 'Days a renewal adds, counted from the later of today and the due date.'),
        ('max_renewals', 2, 'Renewals per loan.'),
        ('max_overdue_days_to_renew', 30, 'No renewal once a loan is overdue by more than this many days.'),
        ('max_active_holds', 10, 'Holds a patron may have that are not yet collected.'),
        ('hold_pickup_days', 7, 'Days a ready hold waits on the hold shelf.'),
        ('max_suspend_days', 180, 'Longest suspension of a hold, in days.'),
        ('lockout_failures', 5, 'Failed sign-ins within lockout_minutes that lock a card.'),
        ('lockout_minutes', 15, 'The window for counting failed sign-ins, and how long a lock lasts.'),
        ('session_idle_minutes', 30, 'A session ends after this many idle minutes.'),
        ('session_max_hours', 12, 'A session ends this many hours after sign-in in any case.'),
        ('max_lists', 20, 'Favourite lists per patron.'),
        ('max_list_entries', 500, 'Records per favourite list.');

    -- Sessions: only the SHA-256 of the token is stored.
    CREATE TABLE sessions (
        token_hash  BLOB PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),
        card_number TEXT NOT NULL REFERENCES patrons(card_number) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sessions_patron ON sessions(card_number);

    -- Failed sign-ins per card number as typed (digits only), whether or
    -- not a patron has it, and the cards they locked.
    CREATE TABLE sign_in_failures (
        card_number TEXT NOT NULL,
        failed_at   INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sign_in_failures_card ON sign_in_failures(card_number, failed_at);
    CREATE TABLE card_locks (
        card_number  TEXT PRIMARY KEY NOT NULL,
        locked_until INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    -- Loans: one per copy at most. The copy's `items.status` is `on_loan`
    -- with the same due date.
    CREATE TABLE loans (
        id          INTEGER PRIMARY KEY,
        card_number TEXT NOT NULL REFERENCES patrons(card_number),
        barcode     TEXT NOT NULL UNIQUE REFERENCES items(barcode),
        borrowed_on TEXT NOT NULL,
        due_date    TEXT NOT NULL,
        renewals    INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0)
    ) STRICT;
    CREATE INDEX loans_patron ON loans(card_number);

    -- Holds: one per patron and title. An in-transit or ready hold has the
    -- copy trapped for it (`in_transit` or `on_hold_shelf` in `items`); a
    -- suspended one its end date. Cancelled holds are deleted.
    CREATE TABLE holds (
        id                INTEGER PRIMARY KEY,
        card_number       TEXT NOT NULL REFERENCES patrons(card_number),
        record_id         INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        pickup_library_id TEXT NOT NULL REFERENCES libraries(id),
        status            TEXT NOT NULL CHECK (status IN ('waiting', 'in_transit', 'ready', 'suspended')),
        placed_at         INTEGER NOT NULL,
        suspended_until   TEXT,
        barcode           TEXT REFERENCES items(barcode),
        pickup_by         TEXT,
        UNIQUE (card_number, record_id),
        CHECK ((status = 'suspended') = (suspended_until IS NOT NULL)),
        CHECK ((status IN ('in_transit', 'ready')) = (barcode IS NOT NULL)),
        CHECK ((status = 'ready') = (pickup_by IS NOT NULL))
    ) STRICT;
    CREATE INDEX holds_record ON holds(record_id, placed_at);
    CREATE UNIQUE INDEX holds_copy ON holds(barcode) WHERE barcode IS NOT NULL;

    -- Favourite lists and their records.
    CREATE TABLE favourite_lists (
        id          INTEGER PRIMARY KEY,
        card_number TEXT NOT NULL REFERENCES patrons(card_number) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        shared      INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
        share_token TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX favourite_lists_patron ON favourite_lists(card_number);
    CREATE TABLE list_entries (
        id        INTEGER PRIMARY KEY,
        list_id   INTEGER NOT NULL REFERENCES favourite_lists(id) ON DELETE CASCADE,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        added_at  INTEGER NOT NULL,
        UNIQUE (list_id, record_id)
    ) STRICT;
    "#,
    // 6: reading-room booking. Instants are Unix seconds; times of day are
    // local `HH:MM`; see `booking`.
    r#"
    CREATE TABLE reading_rooms (
        id             TEXT PRIMARY KEY NOT NULL,
        library_id     TEXT NOT NULL REFERENCES libraries(id),
        position       INTEGER NOT NULL,
        name_zh        TEXT NOT NULL,
        name_en        TEXT NOT NULL DEFAULT '',
        kind           TEXT NOT NULL CHECK (kind IN ('quiet_study', 'children', 'e_reading', 'group')),
        floor_zh       TEXT NOT NULL,
        floor_en       TEXT NOT NULL DEFAULT '',
        description_zh TEXT NOT NULL DEFAULT '',
        description_en TEXT NOT NULL DEFAULT '',
        -- Opening hours per weekday, as `OpeningHours` JSON; on the quantum.
        hours          TEXT NOT NULL DEFAULT '[]',
        -- The seat map: size, seat size, and shapes as `Shape` JSON.
        width          INTEGER NOT NULL CHECK (width > 0),
        height         INTEGER NOT NULL CHECK (height > 0),
        seat_size      INTEGER NOT NULL CHECK (seat_size > 0),
        shapes         TEXT NOT NULL DEFAULT '[]',
        -- Bumped by every change of the room's bookings or seats (ETags,
        -- live events).
        version        INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE INDEX reading_rooms_library ON reading_rooms(library_id, position);

    -- The booking rules of each room: data, read on every request.
    CREATE TABLE room_rules (
        room_id                TEXT PRIMARY KEY NOT NULL REFERENCES reading_rooms(id) ON DELETE CASCADE,
        slot_minutes           INTEGER NOT NULL CHECK (slot_minutes > 0 AND slot_minutes % 30 = 0),
        min_minutes            INTEGER NOT NULL CHECK (min_minutes > 0),
        max_minutes            INTEGER NOT NULL CHECK (max_minutes >= min_minutes),
        days_ahead             INTEGER NOT NULL CHECK (days_ahead >= 0),
        window_opens_at        TEXT NOT NULL DEFAULT '00:00',
        max_bookings_per_day   INTEGER NOT NULL CHECK (max_bookings_per_day >= 0),
        checkin_before_minutes INTEGER NOT NULL CHECK (checkin_before_minutes >= 0),
        checkin_after_minutes  INTEGER NOT NULL CHECK (checkin_after_minutes >= 0),
        leave_minutes          INTEGER NOT NULL CHECK (leave_minutes >= 0),
        meal_leave_minutes     INTEGER NOT NULL CHECK (meal_leave_minutes >= 0),
        -- `[{"start": "11:30", "end": "13:30"}, ...]`
        meal_times             TEXT NOT NULL DEFAULT '[]'
    ) STRICT;

    -- The rules of every room.
    CREATE TABLE booking_rules (
        name        TEXT PRIMARY KEY NOT NULL,
        value       INTEGER NOT NULL CHECK (value >= 0),
        description TEXT NOT NULL
    ) STRICT;
    INSERT INTO booking_rules (name, value, description) VALUES
        ('violation_limit', 3, 'No-shows and late returns within violation_window_days that suspend booking.'),
        ('violation_window_days', 7, 'The window for counting violations.'),
        ('suspension_days', 7, 'Days a suspension lasts, the day it starts included.'),
        ('offer_minutes', 10, 'Minutes a waitlist offer is held.'),
        ('rate_burst', 5, 'Booking requests a patron may send at once.'),
        ('rate_per_minute', 6, 'Booking requests a patron may send per minute after the burst.');

    CREATE TABLE room_closed_days (
        room_id   TEXT NOT NULL REFERENCES reading_rooms(id) ON DELETE CASCADE,
        date      TEXT NOT NULL,
        reason_zh TEXT NOT NULL,
        reason_en TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (room_id, date)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE seats (
        id         INTEGER PRIMARY KEY,
        room_id    TEXT NOT NULL REFERENCES reading_rooms(id) ON DELETE CASCADE,
        label      TEXT NOT NULL,
        code       TEXT NOT NULL UNIQUE,
        x          INTEGER NOT NULL,
        y          INTEGER NOT NULL,
        power      INTEGER NOT NULL DEFAULT 0 CHECK (power IN (0, 1)),
        by_window  INTEGER NOT NULL DEFAULT 0 CHECK (by_window IN (0, 1)),
        quiet      INTEGER NOT NULL DEFAULT 0 CHECK (quiet IN (0, 1)),
        accessible INTEGER NOT NULL DEFAULT 0 CHECK (accessible IN (0, 1)),
        -- Closed by staff.
        closed     INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
        UNIQUE (room_id, label)
    ) STRICT;

    CREATE TABLE bookings (
        id               INTEGER PRIMARY KEY,
        card_number      TEXT NOT NULL REFERENCES patrons(card_number),
        seat_id          INTEGER NOT NULL REFERENCES seats(id),
        room_id          TEXT NOT NULL REFERENCES reading_rooms(id),
        starts_at        INTEGER NOT NULL,
        ends_at          INTEGER NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('offered', 'booked', 'checked_in', 'on_leave', 'completed',
                                                         'cancelled', 'no_show', 'leave_overrun', 'declined', 'expired')),
        version          INTEGER NOT NULL DEFAULT 1,
        created_at       INTEGER NOT NULL,
        checked_in_at    INTEGER,
        leave_until      INTEGER,
        ended_at         INTEGER,
        offer_expires_at INTEGER,
        CHECK (ends_at > starts_at),
        CHECK ((status = 'on_leave') = (leave_until IS NOT NULL)),
        CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL),
        CHECK (status NOT IN ('checked_in', 'on_leave') OR checked_in_at IS NOT NULL)
    ) STRICT;
    CREATE INDEX bookings_patron ON bookings(card_number, starts_at);
    CREATE INDEX bookings_status ON bookings(status, starts_at);

    -- The constraint that makes double bookings impossible: one row per
    -- 30-minute quantum of every booking that holds its seat (offered,
    -- booked, checked in, on leave), inserted in the booking's transaction
    -- and deleted when it lets the seat go. A seat has one booking per
    -- quantum, and so does a patron.
    CREATE TABLE booking_slots (
        booking_id  INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        seat_id     INTEGER NOT NULL REFERENCES seats(id),
        card_number TEXT NOT NULL,
        slot_start  INTEGER NOT NULL CHECK (slot_start % 1800 = 0),
        UNIQUE (seat_id, slot_start),
        UNIQUE (card_number, slot_start)
    ) STRICT;
    CREATE INDEX booking_slots_booking ON booking_slots(booking_id);

    CREATE TABLE booking_violations (
        id          INTEGER PRIMARY KEY,
        card_number TEXT NOT NULL REFERENCES patrons(card_number),
        booking_id  INTEGER NOT NULL REFERENCES bookings(id),
        kind        TEXT NOT NULL CHECK (kind IN ('no_show', 'late_return')),
        at          INTEGER NOT NULL,
        UNIQUE (booking_id)
    ) STRICT;
    CREATE INDEX booking_violations_patron ON booking_violations(card_number, at);

    -- A patron's latest suspension: from `since` to the end of the local
    -- day `until_date`. Violations before `since` no longer count.
    CREATE TABLE booking_suspensions (
        card_number TEXT PRIMARY KEY NOT NULL REFERENCES patrons(card_number),
        since       INTEGER NOT NULL,
        until_date  TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    -- Patrons waiting for a seat in a room for a span. An entry is deleted
    -- once its offer is accepted, declined or expired, or its span starts.
    CREATE TABLE waitlist (
        id          INTEGER PRIMARY KEY,
        room_id     TEXT NOT NULL REFERENCES reading_rooms(id) ON DELETE CASCADE,
        card_number TEXT NOT NULL REFERENCES patrons(card_number),
        starts_at   INTEGER NOT NULL,
        ends_at     INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        booking_id  INTEGER REFERENCES bookings(id),
        UNIQUE (card_number, room_id, starts_at, ends_at)
    ) STRICT;
    CREATE INDEX waitlist_room ON waitlist(room_id, created_at);

    -- The first answer to each `Idempotency-Key` of a patron's booking
    -- requests; `status` is NULL while it is being answered.
    CREATE TABLE idempotency_keys (
        card_number  TEXT NOT NULL,
        key          TEXT NOT NULL,
        request_hash BLOB NOT NULL,
        created_at   INTEGER NOT NULL,
        status       INTEGER,
        body         BLOB,
        location     TEXT,
        etag         TEXT,
        PRIMARY KEY (card_number, key)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 7: the cultural cloud. Instants are Unix seconds; what a programme
    // plays is one of the media assets of `culture::media::ASSETS`.
    r#"
    CREATE TABLE culture_people (
        id        TEXT PRIMARY KEY NOT NULL,
        name_zh   TEXT NOT NULL,
        name_en   TEXT NOT NULL DEFAULT '',
        title_zh  TEXT NOT NULL DEFAULT '',
        title_en  TEXT NOT NULL DEFAULT ''
    ) STRICT;

    CREATE TABLE culture_series (
        id             TEXT PRIMARY KEY NOT NULL,
        category       TEXT NOT NULL,
        title_zh       TEXT NOT NULL,
        title_en       TEXT NOT NULL DEFAULT '',
        description_zh TEXT NOT NULL DEFAULT '',
        description_en TEXT NOT NULL DEFAULT ''
    ) STRICT;

    CREATE TABLE culture_programmes (
        id          TEXT PRIMARY KEY NOT NULL,
        position    INTEGER NOT NULL,
        category    TEXT NOT NULL CHECK (category IN ('lecture', 'cantonese_opera', 'concert', 'children',
                                                      'exhibition', 'local_history', 'skills_training')),
        series_id   TEXT REFERENCES culture_series(id),
        episode     INTEGER CHECK (episode IS NULL OR episode >= 1),
        title_zh    TEXT NOT NULL,
        title_en    TEXT NOT NULL DEFAULT '',
        summary_zh  TEXT NOT NULL DEFAULT '',
        summary_en  TEXT NOT NULL DEFAULT '',
        library_id  TEXT NOT NULL REFERENCES libraries(id),
        recorded_on TEXT NOT NULL,
        language    TEXT NOT NULL,
        media_id    TEXT NOT NULL,
        tags        TEXT NOT NULL DEFAULT '[]',
        CHECK ((series_id IS NULL) = (episode IS NULL)),
        UNIQUE (series_id, episode)
    ) STRICT;
    CREATE INDEX culture_programmes_category ON culture_programmes(category, position);

    CREATE TABLE culture_credits (
        programme_id TEXT REFERENCES culture_programmes(id) ON DELETE CASCADE,
        event_id     TEXT REFERENCES culture_events(id) ON DELETE CASCADE,
        person_id    TEXT NOT NULL REFERENCES culture_people(id),
        role         TEXT NOT NULL CHECK (role IN ('speaker', 'performer', 'host')),
        position     INTEGER NOT NULL,
        CHECK ((programme_id IS NULL) <> (event_id IS NULL))
    ) STRICT;
    CREATE INDEX culture_credits_programme ON culture_credits(programme_id);
    CREATE INDEX culture_credits_event ON culture_credits(event_id);

    CREATE TABLE culture_chapters (
        programme_id  TEXT NOT NULL REFERENCES culture_programmes(id) ON DELETE CASCADE,
        start_seconds INTEGER NOT NULL CHECK (start_seconds >= 0),
        title_zh      TEXT NOT NULL,
        title_en      TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (programme_id, start_seconds)
    ) STRICT, WITHOUT ROWID;

    -- Events of the calendar. `capacity` is set when the event takes
    -- registrations; `live_media_id` when it is streamed (a simulated live
    -- stream looping that asset's segments), which also gives it a replay.
    CREATE TABLE culture_events (
        id             TEXT PRIMARY KEY NOT NULL,
        category       TEXT NOT NULL,
        title_zh       TEXT NOT NULL,
        title_en       TEXT NOT NULL DEFAULT '',
        summary_zh     TEXT NOT NULL DEFAULT '',
        summary_en     TEXT NOT NULL DEFAULT '',
        library_id     TEXT NOT NULL REFERENCES libraries(id),
        place_zh       TEXT NOT NULL,
        place_en       TEXT NOT NULL DEFAULT '',
        starts_at      INTEGER NOT NULL,
        ends_at        INTEGER NOT NULL,
        capacity       INTEGER CHECK (capacity IS NULL OR capacity > 0),
        live_media_id  TEXT,
        programme_id   TEXT REFERENCES culture_programmes(id),
        CHECK (ends_at > starts_at)
    ) STRICT;
    CREATE INDEX culture_events_start ON culture_events(starts_at);

    -- Registrations: one live (registered or waiting) registration per
    -- patron and event.
    CREATE TABLE culture_registrations (
        id           INTEGER PRIMARY KEY,
        event_id     TEXT NOT NULL REFERENCES culture_events(id) ON DELETE CASCADE,
        card_number  TEXT NOT NULL REFERENCES patrons(card_number),
        status       TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
        created_at   INTEGER NOT NULL,
        -- The waitlist's order: when it started waiting (or registered).
        queued_at    INTEGER NOT NULL,
        cancelled_at INTEGER,
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
    ) STRICT;
    CREATE UNIQUE INDEX culture_registrations_live ON culture_registrations(event_id, card_number)
        WHERE status <> 'cancelled';
    CREATE INDEX culture_registrations_patron ON culture_registrations(card_number);

    -- The constraint that makes overbooking impossible: a registered
    -- registration holds one numbered place of its event, place numbers
    -- are unique per event, and the trigger refuses a number at or past
    -- the event's capacity. So an event never has more registrations than
    -- places, whatever the code above does.
    CREATE TABLE culture_places (
        event_id        TEXT NOT NULL REFERENCES culture_events(id) ON DELETE CASCADE,
        place_no        INTEGER NOT NULL CHECK (place_no >= 0),
        registration_id INTEGER NOT NULL UNIQUE REFERENCES culture_registrations(id) ON DELETE CASCADE,
        PRIMARY KEY (event_id, place_no)
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER culture_places_capacity BEFORE INSERT ON culture_places
    WHEN NEW.place_no >= COALESCE((SELECT capacity FROM culture_events WHERE id = NEW.event_id), 0)
    BEGIN
        SELECT RAISE(ABORT, 'culture_places: place_no is not below the event''s capacity');
    END;
    CREATE TRIGGER culture_places_capacity_update BEFORE UPDATE ON culture_places
    WHEN NEW.place_no >= COALESCE((SELECT capacity FROM culture_events WHERE id = NEW.event_id), 0)
    BEGIN
        SELECT RAISE(ABORT, 'culture_places: place_no is not below the event''s capacity');
    END;

    -- Where each patron stopped: the latest save by the client's clock wins.
    CREATE TABLE culture_progress (
        card_number      TEXT NOT NULL REFERENCES patrons(card_number),
        programme_id     TEXT NOT NULL REFERENCES culture_programmes(id) ON DELETE CASCADE,
        position_seconds INTEGER NOT NULL CHECK (position_seconds >= 0),
        duration_seconds INTEGER NOT NULL CHECK (duration_seconds >= 0),
        client_time_ms   INTEGER NOT NULL,
        saved_at         INTEGER NOT NULL,
        PRIMARY KEY (card_number, programme_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE culture_ratings (
        programme_id TEXT NOT NULL REFERENCES culture_programmes(id) ON DELETE CASCADE,
        card_number  TEXT NOT NULL REFERENCES patrons(card_number),
        stars        INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
        rated_at     INTEGER NOT NULL,
        PRIMARY KEY (programme_id, card_number)
    ) STRICT, WITHOUT ROWID;

    -- A view counts once per viewer (`card:<number>` or `device:<id>`) per
    -- programme per local day.
    CREATE TABLE culture_views (
        programme_id TEXT NOT NULL REFERENCES culture_programmes(id) ON DELETE CASCADE,
        viewer       TEXT NOT NULL,
        day          INTEGER NOT NULL,
        UNIQUE (programme_id, viewer, day)
    ) STRICT;
    CREATE INDEX culture_views_programme ON culture_views(programme_id);

    -- Patrons' requests (点单) and who backs them (the requester too).
    CREATE TABLE culture_requests (
        id          INTEGER PRIMARY KEY,
        library_id  TEXT NOT NULL REFERENCES libraries(id),
        category    TEXT NOT NULL,
        text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 100),
        card_number TEXT NOT NULL REFERENCES patrons(card_number),
        created_at  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE culture_request_backers (
        request_id  INTEGER NOT NULL REFERENCES culture_requests(id) ON DELETE CASCADE,
        card_number TEXT NOT NULL REFERENCES patrons(card_number),
        backed_at   INTEGER NOT NULL,
        PRIMARY KEY (request_id, card_number)
    ) STRICT, WITHOUT ROWID;
    "#,
];

/// The schema version this build expects.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Connections kept idle in the pool at most.
const POOL_IDLE: usize = 32;

static MEMORY_DBS: AtomicU64 = AtomicU64::new(0);

/// A database and its connection pool.
pub struct Db {
    /// A path, or a `file:` URI of a shared in-memory database.
    target: PathBuf,
    flags: OpenFlags,
    pool: Mutex<Vec<Connection>>,
    /// Held by [`Db::write`]: one write transaction of this process at a time.
    writer: Mutex<()>,
    /// Keeps an in-memory database alive.
    _keeper: Option<Mutex<Connection>>,
}

fn configure(conn: &Connection, file: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    if file {
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    } else {
        // The connections of an in-memory database share one cache, where
        // a reader of a table being written fails at once (SQLITE_LOCKED,
        // which the busy timeout does not cover) unless it reads
        // uncommitted rows. Writers are serialised by `Db::write`, so a
        // check and its change still happen together.
        conn.execute_batch("PRAGMA read_uncommitted = ON;")?;
    }
    Ok(())
}

impl Db {
    /// Opens (creating if needed) the database file at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Db, Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let db = Db {
            target: path.to_owned(),
            flags,
            pool: Mutex::new(Vec::new()),
            writer: Mutex::new(()),
            _keeper: None,
        };
        db.with_conn(migrate)?;
        Ok(db)
    }

    /// Creates a fresh in-memory database (shared between the pool's
    /// connections) and migrates it.
    pub fn open_in_memory() -> Result<Db, Error> {
        let n = MEMORY_DBS.fetch_add(1, Ordering::Relaxed);
        let uri = format!(
            "file:yuelan-mem-{}-{n}?mode=memory&cache=shared",
            std::process::id()
        );
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let keeper = Connection::open_with_flags(&uri, flags)?;
        configure(&keeper, false)?;
        let db = Db {
            target: PathBuf::from(uri),
            flags,
            pool: Mutex::new(Vec::new()),
            writer: Mutex::new(()),
            _keeper: Some(Mutex::new(keeper)),
        };
        db.with_conn(migrate)?;
        Ok(db)
    }

    fn connect(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(&self.target, self.flags)?;
        configure(&conn, self._keeper.is_none())?;
        Ok(conn)
    }

    /// Runs `f` with a pooled connection.
    pub fn with_conn<R>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let taken = self.pool.lock().map_err(|_| Error::Poisoned)?.pop();
        let mut conn = match taken {
            Some(c) => c,
            None => self.connect()?,
        };
        let result = f(&mut conn);
        if let Ok(mut pool) = self.pool.lock()
            && pool.len() < POOL_IDLE
        {
            pool.push(conn);
        }
        result
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, committed when `f`
    /// succeeds and rolled back when it fails. Write transactions of this
    /// process run one at a time, so what `f` reads stays true until it
    /// commits.
    pub fn write<R, E: From<Error>>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        // A panic inside another write cannot leave the unit value broken.
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            Ok(match f(&tx) {
                Ok(result) => {
                    tx.commit()?;
                    Ok(result)
                }
                // Dropping the transaction rolls it back.
                Err(e) => Err(e),
            })
        })
        .map_err(E::from)?
    }
}

fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::Schema(format!(
            "the database has schema version {version}, newer than this server's {SCHEMA_VERSION}"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

fn kind_str(kind: LibraryKind) -> &'static str {
    match kind {
        LibraryKind::County => "county",
        LibraryKind::Branch => "branch",
        LibraryKind::Village | LibraryKind::Unknown => "village",
    }
}

fn kind_of(s: &str) -> LibraryKind {
    match s {
        "county" => LibraryKind::County,
        "branch" => LibraryKind::Branch,
        "village" => LibraryKind::Village,
        _ => LibraryKind::Unknown,
    }
}

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Number of records.
pub fn count_records(conn: &Connection) -> Result<u64, Error> {
    Ok(conn.query_row("SELECT COUNT(*) FROM records", [], |r| r.get::<_, i64>(0))? as u64)
}

/// Every library, in network order (county first).
pub fn libraries(conn: &Connection) -> Result<Vec<Library>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name_zh, name_en, kind, parent_id, address_zh, address_en, phone, latitude, longitude, hours,
                services, pickup_point
         FROM libraries ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], |r| {
        let hours: String = r.get(10)?;
        let services: String = r.get(11)?;
        Ok(Library {
            id: r.get(0)?,
            name: LocalizedText::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            kind: kind_of(&r.get::<_, String>(3)?),
            parent_id: r.get(4)?,
            address: LocalizedText::new(r.get::<_, String>(5)?, r.get::<_, String>(6)?),
            phone: r.get(7)?,
            latitude: r.get(8)?,
            longitude: r.get(9)?,
            hours: serde_json::from_str::<Vec<OpeningHours>>(&hours).unwrap_or_default(),
            services: serde_json::from_str::<Vec<Service>>(&services).unwrap_or_default(),
            pickup_point: r.get::<_, i64>(12)? != 0,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Inserts a library at a position of the network order.
pub fn insert_library(tx: &Transaction<'_>, position: usize, lib: &Library) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO libraries (id, position, name_zh, name_en, kind, parent_id, address_zh, address_en, phone, latitude, longitude,
                                hours, services, pickup_point)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            lib.id,
            position as i64,
            lib.name.zh,
            lib.name.en,
            kind_str(lib.kind),
            lib.parent_id,
            lib.address.zh,
            lib.address.en,
            lib.phone,
            lib.latitude,
            lib.longitude,
            serde_json::to_string(&lib.hours)?,
            serde_json::to_string(&lib.services)?,
            i64::from(lib.pickup_point),
        ],
    )?;
    Ok(())
}

/// A record to insert.
#[derive(Clone, Debug, Default)]
pub struct NewRecord {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    pub publication_place: Option<String>,
    pub year: Option<i32>,
    pub isbn: Option<String>,
    pub format: Option<Format>,
    pub language: String,
    pub subjects: Vec<String>,
    pub series: Option<String>,
    pub extent: Option<String>,
    pub summary: Option<String>,
    pub classification: Option<String>,
}

/// A copy to insert.
#[derive(Clone, Debug)]
pub struct NewItem {
    pub barcode: String,
    pub library_id: String,
    pub call_number: String,
    pub shelf: (String, String),
    pub status: ItemStatus,
    pub due_date: Option<String>,
}

/// Inserts records and copies in bulk inside one transaction, reusing
/// prepared statements and caching shelf ids.
pub struct BulkInserter<'a> {
    tx: &'a Transaction<'a>,
    shelves: std::collections::HashMap<(String, String), i64>,
}

impl<'a> BulkInserter<'a> {
    pub fn new(tx: &'a Transaction<'a>) -> Self {
        Self {
            tx,
            shelves: std::collections::HashMap::new(),
        }
    }

    /// Inserts a record and returns its id.
    pub fn record(&mut self, r: &NewRecord) -> Result<i64, Error> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO records (title, subtitle, authors, publisher, publication_place, year, isbn, format, language,
                                  subjects, series, extent, summary, classification)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        stmt.execute(params![
            r.title,
            r.subtitle,
            serde_json::to_string(&r.authors)?,
            r.publisher,
            r.publication_place,
            r.year,
            r.isbn,
            r.format.unwrap_or(Format::Book).as_str(),
            r.language,
            serde_json::to_string(&r.subjects)?,
            r.series,
            r.extent,
            r.summary,
            r.classification,
        ])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn shelf_id(&mut self, shelf: &(String, String)) -> Result<i64, Error> {
        if let Some(&id) = self.shelves.get(shelf) {
            return Ok(id);
        }
        self.tx.execute(
            "INSERT OR IGNORE INTO shelves (zh, en) VALUES (?1, ?2)",
            params![shelf.0, shelf.1],
        )?;
        let id: i64 = self.tx.query_row(
            "SELECT id FROM shelves WHERE zh = ?1 AND en = ?2",
            params![shelf.0, shelf.1],
            |r| r.get(0),
        )?;
        self.shelves.insert(shelf.clone(), id);
        Ok(id)
    }

    /// Inserts a copy of a record.
    pub fn item(&mut self, record_id: i64, item: &NewItem) -> Result<(), Error> {
        let shelf = self.shelf_id(&item.shelf)?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO items (barcode, record_id, library_id, call_number, shelf_id, status, due_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        stmt.execute(params![
            item.barcode,
            record_id,
            item.library_id,
            item.call_number,
            shelf,
            item.status.as_str(),
            item.due_date,
        ])?;
        Ok(())
    }
}

/// The fields of a record the index needs.
pub struct IndexRow {
    pub id: i64,
    pub title: String,
    pub subtitle: Option<String>,
    pub series: Option<String>,
    pub authors: Vec<String>,
    pub subjects: Vec<String>,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    pub isbn: Option<String>,
    pub format: Format,
    pub language: String,
}

/// Calls `f` for every record in id order.
pub fn scan_records(
    conn: &Connection,
    mut f: impl FnMut(IndexRow) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut stmt = conn.prepare(
        "SELECT id, title, subtitle, series, authors, subjects, publisher, year, isbn, format, language
         FROM records ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let authors: String = r.get(4)?;
        let subjects: String = r.get(5)?;
        let format: String = r.get(9)?;
        f(IndexRow {
            id: r.get(0)?,
            title: r.get(1)?,
            subtitle: r.get(2)?,
            series: r.get(3)?,
            authors: json_list(&authors),
            subjects: json_list(&subjects),
            publisher: r.get(6)?,
            year: r.get(7)?,
            isbn: r.get(8)?,
            format: Format::parse(&format).unwrap_or(Format::Unknown),
            language: r.get(10)?,
        })?;
    }
    Ok(())
}

/// Calls `f` with the record, library and status of every copy.
pub fn scan_items(
    conn: &Connection,
    mut f: impl FnMut(i64, &str, ItemStatus),
) -> Result<(), Error> {
    let mut stmt = conn.prepare("SELECT record_id, library_id, status FROM items")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> Result<&str, Error> {
            r.get_ref(i)?.as_str().map_err(|e| {
                Error::Sqlite(rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                ))
            })
        };
        let lib = text(1)?;
        let status = ItemStatus::parse(text(2)?).unwrap_or(ItemStatus::Unknown);
        f(r.get(0)?, lib, status);
    }
    Ok(())
}

/// The library and status of every copy of one record.
pub fn record_items(conn: &Connection, record_id: i64) -> Result<Vec<(String, ItemStatus)>, Error> {
    let mut stmt =
        conn.prepare_cached("SELECT library_id, status FROM items WHERE record_id = ?1")?;
    let rows = stmt.query_map([record_id], |r| {
        let status: String = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            ItemStatus::parse(&status).unwrap_or(ItemStatus::Unknown),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The result-list entries of records, in the order of `ids`; ids that do
/// not exist are skipped. `library_order` gives each library's position.
pub fn hits(
    conn: &Connection,
    ids: &[i64],
    library_order: &[String],
) -> Result<Vec<SearchHit>, Error> {
    let mut rec = conn.prepare_cached(
        "SELECT id, title, subtitle, authors, year, format, language, cover_url FROM records WHERE id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let hit = rec
            .query_row([id], |r| {
                let authors: String = r.get(3)?;
                let format: String = r.get(5)?;
                Ok(SearchHit {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    subtitle: r.get(2)?,
                    authors: json_list(&authors),
                    year: r.get(4)?,
                    format: Format::parse(&format).unwrap_or(Format::Unknown),
                    language: r.get(6)?,
                    cover_url: r.get(7)?,
                    availability: Vec::new(),
                })
            })
            .optional()?;
        let Some(mut hit) = hit else { continue };
        let mut per_library: Vec<BranchAvailability> = Vec::new();
        for (lib, status) in record_items(conn, id)? {
            let entry = match per_library.iter_mut().position(|b| b.library_id == lib) {
                Some(i) => &mut per_library[i],
                None => {
                    per_library.push(BranchAvailability {
                        library_id: lib,
                        available: 0,
                        total: 0,
                    });
                    let last = per_library.len() - 1;
                    &mut per_library[last]
                }
            };
            entry.total += 1;
            entry.available += u32::from(status == ItemStatus::OnShelf);
        }
        let position = |id: &str| {
            library_order
                .iter()
                .position(|l| l == id)
                .unwrap_or(usize::MAX)
        };
        per_library.sort_by(|a, b| {
            (b.available > 0)
                .cmp(&(a.available > 0))
                .then_with(|| position(&a.library_id).cmp(&position(&b.library_id)))
        });
        hit.availability = per_library;
        out.push(hit);
    }
    Ok(out)
}

/// A record with every copy, libraries in network order; `None` when absent.
pub fn record_detail(conn: &Connection, id: i64) -> Result<Option<RecordDetail>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, subtitle, authors, publisher, publication_place, year, isbn, format, language, subjects,
                series, extent, summary, classification, cover_url
         FROM records WHERE id = ?1",
    )?;
    let detail = stmt
        .query_row([id], |r| {
            let authors: String = r.get(3)?;
            let subjects: String = r.get(10)?;
            let format: String = r.get(8)?;
            Ok(RecordDetail {
                id: r.get(0)?,
                title: r.get(1)?,
                subtitle: r.get(2)?,
                authors: json_list(&authors),
                publisher: r.get(4)?,
                publication_place: r.get(5)?,
                year: r.get(6)?,
                isbn: r.get(7)?,
                format: Format::parse(&format).unwrap_or(Format::Unknown),
                language: r.get(9)?,
                subjects: json_list(&subjects),
                series: r.get(11)?,
                extent: r.get(12)?,
                summary: r.get(13)?,
                classification: r.get(14)?,
                cover_url: r.get(15)?,
                holdings: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut detail) = detail else {
        return Ok(None);
    };
    detail.holdings = holdings(conn, id)?;
    Ok(Some(detail))
}

/// Every copy of a record, libraries in network order.
pub fn holdings(conn: &Connection, id: i64) -> Result<Vec<Holding>, Error> {
    let mut items = conn.prepare_cached(
        "SELECT i.barcode, i.library_id, l.name_zh, l.name_en, i.call_number, s.zh, s.en, i.status, i.due_date
         FROM items i JOIN libraries l ON l.id = i.library_id JOIN shelves s ON s.id = i.shelf_id
         WHERE i.record_id = ?1
         ORDER BY l.position, i.barcode",
    )?;
    let rows = items.query_map([id], |r| {
        let status: String = r.get(7)?;
        Ok(Holding {
            barcode: r.get(0)?,
            library_id: r.get(1)?,
            library_name: LocalizedText::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
            call_number: r.get(4)?,
            shelf_location: LocalizedText::new(r.get::<_, String>(5)?, r.get::<_, String>(6)?),
            status: ItemStatus::parse(&status).unwrap_or(ItemStatus::Unknown),
            due_date: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_set_the_schema_version_and_are_idempotent() {
        let db = Db::open_in_memory().unwrap();
        db.with_conn(|c| {
            let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            assert_eq!(v, SCHEMA_VERSION);
            migrate(c)?;
            assert_eq!(count_records(c)?, 0);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn pooled_connections_share_an_in_memory_database() {
        let db = Db::open_in_memory().unwrap();
        db.with_conn(|c| {
            c.execute(
                "INSERT INTO records (title, format, language) VALUES ('t', 'book', 'zh')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
        // A second connection, opened while the first is taken, sees the row.
        let n = db
            .with_conn(|_| db.with_conn(|c| count_records(c)))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_version_2_database_keeps_its_patrons_without_their_pbkdf2_hashes() {
        let dir = std::env::temp_dir().join(format!("yuelan-v2-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("yuelan.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(MIGRATIONS[0]).unwrap();
            c.execute_batch(MIGRATIONS[1]).unwrap();
            c.execute_batch(
                "PRAGMA user_version = 2;
                 INSERT INTO libraries (id, position, name_zh, kind, address_zh, latitude, longitude)
                     VALUES ('county', 0, '县馆', 'county', '街', 0, 0);
                 INSERT INTO patrons (card_number, name, home_library_id, elder_mode, pin_salt, pin_hash, pin_rounds)
                     VALUES ('44132200000001', '陈晓明', 'county', 0, x'00', x'01', 20000);",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        db.with_conn(|c| {
            let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            assert_eq!(v, SCHEMA_VERSION);
            let (name, phc, blocked): (String, Option<String>, Option<String>) = c.query_row(
                "SELECT name, pin_phc, blocked FROM patrons WHERE card_number = '44132200000001'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            assert_eq!((name.as_str(), phc, blocked), ("陈晓明", None, None));
            let lib = &libraries(c)?[0];
            assert!(lib.services.is_empty() && !lib.pickup_point);
            let rules: i64 =
                c.query_row("SELECT COUNT(*) FROM circulation_rules", [], |r| r.get(0))?;
            assert_eq!(rules, 13);
            Ok(())
        })
        .unwrap();
        drop(db);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn loan_status_and_due_date_go_together() {
        let db = Db::open_in_memory().unwrap();
        let err = db.with_conn(|c| {
            c.execute_batch(
                "INSERT INTO libraries (id, position, name_zh, kind, address_zh, latitude, longitude)
                     VALUES ('county', 0, '县馆', 'county', '街', 0, 0);
                 INSERT INTO records (id, title, format, language) VALUES (1, 't', 'book', 'zh');
                 INSERT INTO shelves (id, zh, en) VALUES (1, 'a', 'b');",
            )?;
            c.execute(
                "INSERT INTO items (barcode, record_id, library_id, call_number, shelf_id, status)
                 VALUES ('Y1', 1, 'county', 'I/Y', 1, 'on_loan')",
                [],
            )?;
            Ok(())
        });
        assert!(err.is_err());
    }
}
