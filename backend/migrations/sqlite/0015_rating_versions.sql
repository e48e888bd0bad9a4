-- Each month's ratings version (by the month a rating was given), raised by every change to a
-- rating or its follow-up: servers keep a month's rating figures in memory (for the day:
-- whether a follow-up is overdue changes at midnight) and count them again only when the
-- version moved. Ratings are too many (a third of the visits) to count on every request.
CREATE TABLE rating_versions (
    month TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

CREATE TRIGGER ratings_version_insert AFTER INSERT ON ratings BEGIN
    INSERT INTO rating_versions (month, version)
    VALUES (strftime('%Y-%m', NEW.rated_at, '+8 hours'), 1)
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ratings_version_update AFTER UPDATE ON ratings BEGIN
    INSERT INTO rating_versions (month, version)
    VALUES (strftime('%Y-%m', OLD.rated_at, '+8 hours'), 1)
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
    INSERT INTO rating_versions (month, version)
    VALUES (strftime('%Y-%m', NEW.rated_at, '+8 hours'), 1)
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ratings_version_delete AFTER DELETE ON ratings BEGIN
    INSERT INTO rating_versions (month, version)
    VALUES (strftime('%Y-%m', OLD.rated_at, '+8 hours'), 1)
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER rating_follow_ups_version_insert AFTER INSERT ON rating_follow_ups BEGIN
    INSERT INTO rating_versions (month, version)
    SELECT strftime('%Y-%m', rated_at, '+8 hours'), 1 FROM ratings WHERE id = NEW.rating_id
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER rating_follow_ups_version_update AFTER UPDATE ON rating_follow_ups BEGIN
    INSERT INTO rating_versions (month, version)
    SELECT strftime('%Y-%m', rated_at, '+8 hours'), 1 FROM ratings WHERE id = NEW.rating_id
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER rating_follow_ups_version_delete AFTER DELETE ON rating_follow_ups BEGIN
    INSERT INTO rating_versions (month, version)
    SELECT strftime('%Y-%m', rated_at, '+8 hours'), 1 FROM ratings WHERE id = OLD.rating_id
    ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
