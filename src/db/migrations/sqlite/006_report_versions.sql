-- 006_report_versions.sql — signed-off versions of the daily report.
-- When the town command signs off a day, the town-wide report of that
-- day is frozen here exactly as report_write wrote it; a later sign-off
-- of the same day (after corrections to the records) adds version n+1
-- with its differences from version n.  Rows are never changed.
CREATE TABLE report_versions (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    signed_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- the town-wide report JSON, byte for byte
    report TEXT NOT NULL,
    -- [{"key", "before", "after"}] against version - 1 ([] for version 1)
    differences TEXT NOT NULL DEFAULT '[]',
    UNIQUE (day, version)
);
-- the versions of a day (in order) and its latest are read through the
-- UNIQUE (day, version) index; no other list is shown.
