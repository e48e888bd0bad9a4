-- Bookings and what booking needs: loaded holiday years, per-date schedule exceptions and
-- per-slot seat counters. Instants are stored in UTC (RFC 3339 text in SQLite), so that
-- text order is time order.

CREATE TABLE holiday_years (
    year      INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    body      TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

-- A closure (session IS NULL) or an extra session ("09:00-11:30 30min x2") on one date.
CREATE TABLE schedule_exceptions (
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service     TEXT NOT NULL,
    date        TEXT NOT NULL,
    session     TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX schedule_exceptions_place ON schedule_exceptions (location_id, service, date);

-- One row per slot that has ever been booked. `taken` counts active bookings; the
-- conditional UPDATE on it is what makes overbooking impossible under concurrency.
CREATE TABLE slot_seats (
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service     TEXT NOT NULL,
    start_at    TEXT NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity >= 0),
    taken       INTEGER NOT NULL CHECK (taken >= 0),
    PRIMARY KEY (location_id, service, start_at),
    CHECK (taken <= capacity)
);

CREATE TABLE bookings (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service     TEXT NOT NULL,
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    state       TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    topic       TEXT NOT NULL,
    account     TEXT,
    youth       BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX bookings_phone_state ON bookings (phone, state);
CREATE INDEX bookings_place_start ON bookings (location_id, service, start_at);

-- History of each booking; rows are only ever added.
CREATE TABLE booking_events (
    id         INTEGER PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings (id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    from_start TEXT,
    to_start   TEXT
);
CREATE INDEX booking_events_booking ON booking_events (booking_id);
