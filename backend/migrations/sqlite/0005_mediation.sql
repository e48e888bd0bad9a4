-- People's mediation cases: the resident's request, where the case stands, and how it ended.
-- Nothing is deleted; every step is a row in mediation_events.
CREATE TABLE mediation_cases (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    -- bumped by every step: a step is saved only against the version the staff member saw
    version INTEGER NOT NULL DEFAULT 0,
    applicant_name TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    other_party_name TEXT NOT NULL,
    other_party_phone TEXT,
    relation TEXT,
    dispute_type TEXT NOT NULL,
    account TEXT NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    -- the consultation (queue entry) this case grew out of, if any
    queue_entry_id INTEGER REFERENCES queue_entries(id),
    mediator_id INTEGER REFERENCES staff_users(id),
    submitted_at TEXT NOT NULL,
    closed_at TEXT,
    -- the outcome: written_agreement, oral_agreement, failed, referred (or refused / not_mediated)
    outcome TEXT,
    referral TEXT,
    amount_fen INTEGER,
    terms TEXT,
    reason TEXT,
    agreement_no TEXT UNIQUE,
    next_session_at TEXT,
    next_session_location_id INTEGER REFERENCES locations(id)
);
CREATE INDEX mediation_cases_place ON mediation_cases (location_id, state);

CREATE TABLE mediation_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES mediation_cases(id),
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff_users(id),
    -- the step's own fields as JSON (staff only: reasons, terms, notes)
    detail TEXT
);
CREATE INDEX mediation_events_case ON mediation_events (case_id, id);

-- Written agreements are numbered per committee (place) and year.
CREATE TABLE agreement_counters (
    location_id INTEGER NOT NULL REFERENCES locations(id),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (location_id, year)
);
