-- Ratings (好差评) of finished services and the follow-up (回访/整改) of every poor one
-- (issue 20; the rules: domain::rating). A service is rated once: one of booking_id,
-- queue_entry_id (a walk-in) or case_id is set, matching `kind`, and each is UNIQUE, so the
-- database refuses a second rating of one service even when two arrive at once. No phone or
-- name is kept: the only free text is the resident's optional comment, which the retention
-- job clears (with the follow-up's notes) once the rating is older than the retention period
-- and its follow-up, if any, is closed; it marks the row (anonymised_at).
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    -- domain::rating::RatedKind codes
    kind TEXT NOT NULL,
    booking_id BIGINT UNIQUE REFERENCES bookings (id),
    queue_entry_id BIGINT UNIQUE REFERENCES queue_entries (id),
    case_id BIGINT UNIQUE REFERENCES mediation_cases (id),
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service TEXT NOT NULL,
    -- domain::rating::Level codes
    level TEXT NOT NULL,
    -- domain::rating::Reason codes, comma-separated in the order given ('' for none)
    reasons TEXT NOT NULL,
    comment TEXT,
    rated_at TEXT NOT NULL,
    anonymised_at TEXT,
    CHECK (
        (kind = 'booking' AND booking_id IS NOT NULL AND queue_entry_id IS NULL
            AND case_id IS NULL)
        OR (kind = 'walk_in' AND booking_id IS NULL AND queue_entry_id IS NOT NULL
            AND case_id IS NULL)
        OR (kind = 'case' AND booking_id IS NULL AND queue_entry_id IS NULL
            AND case_id IS NOT NULL)
    )
);
-- the statistics: a place's ratings of a service by when they were given
CREATE INDEX ratings_stats ON ratings (location_id, service, rated_at);
CREATE INDEX ratings_rated ON ratings (rated_at);
-- retention: ratings not yet anonymised
CREATE INDEX ratings_retention ON ratings (rated_at) WHERE anonymised_at IS NULL;

-- The follow-up of a poor rating, opened in the rating's transaction: due by the end of its
-- due day (Shanghai), called back (said), then closed (changed). States change only by
-- conditional writes (`WHERE state = …`). location_id and service repeat the rating's, for
-- the staff page's index.
CREATE TABLE rating_follow_ups (
    id INTEGER PRIMARY KEY,
    rating_id BIGINT NOT NULL UNIQUE REFERENCES ratings (id),
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    -- the local date (YYYY-MM-DD) by whose end it must be closed (domain::rating::follow_up_due)
    due_date TEXT NOT NULL,
    -- domain::rating::FollowUpState codes
    state TEXT NOT NULL,
    called_at TEXT,
    said TEXT,
    called_by BIGINT REFERENCES staff_users (id),
    closed_at TEXT,
    changed TEXT,
    closed_by BIGINT REFERENCES staff_users (id),
    updated_at TEXT NOT NULL
);
-- a place's open follow-ups by due date (the staff page, overdue first)
CREATE INDEX rating_follow_ups_open ON rating_follow_ups (location_id, due_date, id)
    WHERE state <> 'closed';
-- the district's open items
CREATE INDEX rating_follow_ups_district ON rating_follow_ups (due_date, id)
    WHERE state <> 'closed';
