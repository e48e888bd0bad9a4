-- The waiting list (issue 19; the rules: domain::waitlist). A resident who found no free seat
-- waits for a place and service on a range of dates and a part of day. When a seat frees, the
-- store offers it to the first matching waiting entry in the same transaction: the seat stays
-- counted in slot_seats.taken (a hold counts as a taken seat) until the offer is confirmed
-- (the booking takes the seat over), declined or expired (the seat passes to the next entry,
-- or is freed). Names and phones are personal data: the retention job anonymises ended
-- entries like bookings.
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY,
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service TEXT NOT NULL,
    -- the booking details the confirmed offer is booked with
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    topic TEXT NOT NULL,
    account TEXT,
    youth BOOLEAN NOT NULL,
    -- the local dates waited for (YYYY-MM-DD, inclusive) and the part of day
    -- (domain::waitlist::PartOfDay codes)
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    part_of_day TEXT NOT NULL,
    -- domain::waitlist::EntryState codes
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- the held seat while `offered` (and the last one offered after): its slot, UTC text like
    -- bookings, and when the hold ends
    offer_start TEXT,
    offer_end TEXT,
    offer_capacity INTEGER,
    offer_youth_only BOOLEAN,
    hold_until TEXT,
    -- when the (last) offer was made, and when the entry ended: what the statistics count
    offered_at TEXT,
    ended_at TEXT,
    -- the booking a confirmed offer became
    booking_id BIGINT REFERENCES bookings (id),
    -- random, in the SMS link to the confirm page (with the phone, it finds the entry)
    link_code TEXT NOT NULL UNIQUE,
    updated_at TEXT NOT NULL,
    anonymised_at TEXT
);
-- the first waiting entry for a freed seat of a place and service, in join order
CREATE INDEX waitlist_entries_line ON waitlist_entries (location_id, service, state, created_at, id);
-- a resident's entries ("my bookings") and the duplicate check
CREATE INDEX waitlist_entries_phone ON waitlist_entries (phone, state);
-- the sweep: held seats by hold end
CREATE INDEX waitlist_entries_holds ON waitlist_entries (hold_until) WHERE state = 'offered';
-- the statistics, by the instants things happened
CREATE INDEX waitlist_entries_created ON waitlist_entries (created_at);
CREATE INDEX waitlist_entries_ended ON waitlist_entries (ended_at) WHERE ended_at IS NOT NULL;
-- retention: ended entries not yet anonymised
CREATE INDEX waitlist_entries_retention ON waitlist_entries (ended_at)
    WHERE anonymised_at IS NULL AND ended_at IS NOT NULL;
