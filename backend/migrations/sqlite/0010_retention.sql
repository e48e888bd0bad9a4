-- PIPL retention (backend/src/retention.rs): residents' names, phone numbers and what they
-- wrote are anonymised a set time after the visit, after the case closed or after the message
-- went out. `anonymised_at` marks the rows done, so each run reads only what is left; the
-- partial indexes hold just those rows. No counted column changes (see domain::retention).
ALTER TABLE bookings ADD COLUMN anonymised_at TEXT;
ALTER TABLE mediation_cases ADD COLUMN anonymised_at TEXT;
ALTER TABLE notifications ADD COLUMN anonymised_at TEXT;

CREATE INDEX bookings_retention ON bookings (end_at) WHERE anonymised_at IS NULL;
CREATE INDEX mediation_cases_retention ON mediation_cases (closed_at)
    WHERE anonymised_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX notifications_retention ON notifications (sent_at)
    WHERE anonymised_at IS NULL AND sent_at IS NOT NULL;
-- staff notes on a day's queue are emptied the same way (no marker: NULL is done)
CREATE INDEX queue_entries_notes ON queue_entries (day) WHERE note IS NOT NULL;
