-- Roll-ups are stored in a compact binary encoding (domain::stats::Tally::to_bytes) instead
-- of JSON: reading a year of them is what a district dashboard spends its time on. Every
-- place-month is recomputed from the working tables on first use.
DROP TABLE stats_rollups;
CREATE TABLE stats_rollups (
    month TEXT NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    tally BLOB NOT NULL,
    PRIMARY KEY (month, location_id)
);
UPDATE stats_stale SET gen = gen + 1;
