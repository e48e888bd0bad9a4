-- Statistics: what the figures need beyond the working tables, and monthly roll-ups.

-- The moment a case was accepted (受理): cases count in the month they were accepted.
ALTER TABLE mediation_cases ADD COLUMN accepted_at TEXT;
UPDATE mediation_cases SET accepted_at = (
    SELECT MIN(e.at) FROM mediation_events e
    WHERE e.case_id = mediation_cases.id AND e.to_state NOT IN ('submitted', 'refused')
);
CREATE INDEX mediation_cases_accepted ON mediation_cases (accepted_at);
CREATE INDEX mediation_cases_submitted ON mediation_cases (submitted_at);

-- A person handed over from another desk is not a walk-in.
ALTER TABLE queue_entries ADD COLUMN transferred_from INTEGER REFERENCES queue_entries(id);
CREATE INDEX queue_entries_day ON queue_entries (day);

-- Covering index for counting a period's bookings without touching the table.
CREATE INDEX bookings_start_stats ON bookings (start_at, location_id, service, state, youth);
CREATE INDEX booking_events_rescheduled ON booking_events (booking_id) WHERE kind = 'rescheduled';

-- One place's counts of one month (domain::stats::Tally as JSON), recomputed from the rows
-- above whenever they change.
CREATE TABLE stats_rollups (
    month TEXT NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    tally TEXT NOT NULL,
    PRIMARY KEY (month, location_id)
);

-- Which roll-ups are out of date. Every change to a counted row bumps `gen` (triggers below,
-- so no code path can forget); a recomputation records the `gen` it read as `done_gen`, and
-- only a newer computation may replace a roll-up. gen > done_gen means stale.
CREATE TABLE stats_stale (
    month TEXT NOT NULL,
    location_id INTEGER NOT NULL,
    gen INTEGER NOT NULL,
    done_gen INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, location_id)
);

CREATE TRIGGER bookings_stats_insert AFTER INSERT ON bookings BEGIN
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (strftime('%Y-%m', NEW.start_at, '+8 hours'), NEW.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER bookings_stats_update AFTER UPDATE ON bookings BEGIN
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (strftime('%Y-%m', OLD.start_at, '+8 hours'), OLD.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (strftime('%Y-%m', NEW.start_at, '+8 hours'), NEW.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER queue_entries_stats_insert AFTER INSERT ON queue_entries BEGIN
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (substr(NEW.day, 1, 7), NEW.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER queue_entries_stats_update AFTER UPDATE ON queue_entries BEGIN
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (substr(NEW.day, 1, 7), NEW.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER mediation_cases_stats_insert AFTER INSERT ON mediation_cases BEGIN
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (strftime('%Y-%m', NEW.submitted_at, '+8 hours'), NEW.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
    INSERT INTO stats_stale (month, location_id, gen)
    SELECT strftime('%Y-%m', NEW.accepted_at, '+8 hours'), NEW.location_id, 1
    WHERE NEW.accepted_at IS NOT NULL
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER mediation_cases_stats_update AFTER UPDATE ON mediation_cases BEGIN
    INSERT INTO stats_stale (month, location_id, gen)
    VALUES (strftime('%Y-%m', NEW.submitted_at, '+8 hours'), NEW.location_id, 1)
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
    INSERT INTO stats_stale (month, location_id, gen)
    SELECT strftime('%Y-%m', NEW.accepted_at, '+8 hours'), NEW.location_id, 1
    WHERE NEW.accepted_at IS NOT NULL
    ON CONFLICT (month, location_id) DO UPDATE SET gen = gen + 1;
END;

-- Everything recorded before this migration is stale until first computed.
INSERT OR IGNORE INTO stats_stale (month, location_id, gen)
    SELECT DISTINCT strftime('%Y-%m', start_at, '+8 hours'), location_id, 1 FROM bookings;
INSERT OR IGNORE INTO stats_stale (month, location_id, gen)
    SELECT DISTINCT substr(day, 1, 7), location_id, 1 FROM queue_entries;
INSERT OR IGNORE INTO stats_stale (month, location_id, gen)
    SELECT DISTINCT strftime('%Y-%m', submitted_at, '+8 hours'), location_id, 1 FROM mediation_cases;
INSERT OR IGNORE INTO stats_stale (month, location_id, gen)
    SELECT DISTINCT strftime('%Y-%m', accepted_at, '+8 hours'), location_id, 1 FROM mediation_cases
    WHERE accepted_at IS NOT NULL;
