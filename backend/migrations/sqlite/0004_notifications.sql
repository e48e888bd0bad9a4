-- Messages to residents (booking confirmed, changed, cancelled, reminder), sent by a
-- background task through the configured sender. A failed send is retried later; a booking
-- never waits for a message.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    booking_id INTEGER REFERENCES bookings(id),
    kind TEXT NOT NULL,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    -- set for messages that must go once only (a reminder per booking and slot)
    dedupe_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX notifications_due ON notifications (sent_at, next_attempt_at);
