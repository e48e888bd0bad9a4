-- One-time codes sent by text message to prove a phone is the resident's (issue 19; the rules:
-- domain::verify). `secret` is what the use case keeps of the code (a keyed hash), never shown
-- back; the latest code of a phone is its live challenge until used, and the issue times are
-- what the hourly and daily caps count. Phone numbers are personal data: rows are deleted
-- once no cap needs them, and at the latest by the retention job.
CREATE TABLE phone_codes (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    secret BLOB NOT NULL,
    issued_at TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    used_at TEXT
);
CREATE INDEX phone_codes_phone ON phone_codes (phone, issued_at);
-- the purge reads by age alone
CREATE INDEX phone_codes_issued ON phone_codes (issued_at);
