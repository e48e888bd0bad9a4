-- The place-months whose roll-ups are stale, found without reading the fresh ones: a page
-- asks for them before every dashboard, and a year has thousands of fresh place-months to
-- a handful of stale ones (1.9 ms reading the fresh ones, 0.1 ms through this index).
-- PostgreSQL only: SQLite's scan of the same rows is 1–2 ms, and every counted change there
-- (each booking, on the path that must reach 5,000 a second) would pay to keep this index.
CREATE INDEX stats_stale_pending ON stats_stale (month, location_id) WHERE gen > done_gen;
