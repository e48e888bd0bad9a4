-- Keys the server signs its cookies with (flash messages of forms posted without
-- JavaScript), made once at random and shared by every instance through the database.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
