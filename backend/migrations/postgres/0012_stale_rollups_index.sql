-- The place-months whose roll-ups are stale, found without reading the fresh ones: a page
-- asks for them before every dashboard, and a year has thousands of fresh place-months to
-- a handful of stale ones (1.9 ms read one by one, a few µs through this index).
-- PostgreSQL only: SQLite reads the same rows in a fraction of that, and every counted
-- change there (the booking path) would pay for keeping this index too.
CREATE INDEX stats_stale_pending ON stats_stale (month, location_id) WHERE gen > done_gen;
