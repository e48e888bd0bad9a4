-- Each month's ratings version (by the month a rating was given), raised by every change to a
-- rating or its follow-up; see the SQLite migration 0015. Deferred to the commit, like the
-- statistics' staleness marks (0002), so that the month's row is locked only briefly.
CREATE TABLE rating_versions (
    month TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE FUNCTION portal_rating_changed(the_month TEXT) RETURNS VOID
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- a follow-up whose rating is gone has nothing left to count
    IF the_month IS NOT NULL THEN
        INSERT INTO rating_versions (month, version) VALUES (the_month, 1)
        ON CONFLICT (month) DO UPDATE SET version = rating_versions.version + 1;
    END IF;
END $$;

CREATE FUNCTION ratings_version() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM portal_rating_changed(portal_local_month(OLD.rated_at));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM portal_rating_changed(portal_local_month(NEW.rated_at));
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ratings_version AFTER INSERT OR UPDATE OR DELETE ON ratings
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ratings_version();

CREATE FUNCTION rating_follow_ups_version() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM portal_rating_changed(portal_local_month(
            (SELECT rated_at FROM ratings WHERE id = OLD.rating_id)));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM portal_rating_changed(portal_local_month(
            (SELECT rated_at FROM ratings WHERE id = NEW.rating_id)));
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER rating_follow_ups_version
    AFTER INSERT OR UPDATE OR DELETE ON rating_follow_ups
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION rating_follow_ups_version();
