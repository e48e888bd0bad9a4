-- Places, the services they offer and their weekly schedules, as loaded from the
-- district data file. Written in SQL that PostgreSQL also accepts (see store/mod.rs).

CREATE TABLE district (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    bureau      TEXT NOT NULL,
    loaded_at   TEXT NOT NULL
);

CREATE TABLE locations (
    id            BIGINT PRIMARY KEY,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('office', 'workroom')),
    office_id     BIGINT REFERENCES locations (id),
    name          TEXT NOT NULL UNIQUE,
    area          TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    address       TEXT NOT NULL,
    phone         TEXT,
    CHECK ((kind = 'office') = (office_id IS NULL))
);
CREATE INDEX locations_office_id ON locations (office_id);

CREATE TABLE location_services (
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service     TEXT NOT NULL,
    PRIMARY KEY (location_id, service)
);

-- One row per weekly session rule; weekdays is a bit set, Monday = bit 0.
CREATE TABLE weekly_sessions (
    location_id  BIGINT NOT NULL,
    service      TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    weekdays     INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    youth_only   BOOLEAN NOT NULL,
    PRIMARY KEY (location_id, service, seq),
    FOREIGN KEY (location_id, service) REFERENCES location_services (location_id, service)
);
