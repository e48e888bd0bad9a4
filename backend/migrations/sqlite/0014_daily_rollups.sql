-- Daily roll-ups: a place-month's tallies day by day (domain::stats::DailyTallies::to_bytes),
-- computed in the same pass as its monthly roll-up and kept fresh by the same staleness
-- markers (stats_stale), so that a period starting or ending mid-month adds up the days it
-- covers instead of counting the working tables.
CREATE TABLE stats_daily_rollups (
    month TEXT NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    days BLOB NOT NULL,
    PRIMARY KEY (month, location_id)
);

-- A month's roll-up version, raised in the same transaction as every saved recomputation of
-- one of its place-months: servers keep decoded roll-ups in memory and reread a month only
-- when its version moved (whichever instance recomputed it).
CREATE TABLE stats_versions (
    month TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

-- Every place-month is recomputed once on first use, so that its days exist.
UPDATE stats_stale SET gen = gen + 1;
