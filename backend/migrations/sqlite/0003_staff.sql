-- Staff accounts, the day's queues and the audit log.

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id, PHC string format
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    location_id INTEGER REFERENCES locations(id),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- Everyone who arrived at a place on a day: booked residents once checked in, and walk-ins.
CREATE TABLE queue_entries (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    service TEXT NOT NULL,
    -- local date (Asia/Shanghai), YYYY-MM-DD
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    ticket TEXT NOT NULL,
    booking_id INTEGER UNIQUE REFERENCES bookings(id),
    state TEXT NOT NULL,
    -- the state before the last action, so that action can be undone
    previous_state TEXT,
    desk TEXT,
    arrived_at TEXT NOT NULL,
    called_at TEXT,
    serving_at TEXT,
    finished_at TEXT,
    outcome TEXT,
    note TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (location_id, day, service, number)
);
CREATE INDEX queue_entries_place_day ON queue_entries (location_id, day);

-- Every staff action: who, when, what, before and after.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff_users(id),
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    location_id INTEGER,
    subject TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
