-- 009_audit_clear.sql — audit entries whose text fangyi purge can clear
-- (docs/purge.md, src/domain/audit.h).  An entry written from now on
-- (format 2) is hashed over summary_sha256, the SHA-256 of a random
-- salt and its summary, not over the text; entries written before keep
-- NULL (format 1: their hash covers the text, which therefore stays).
-- A cleared entry's summary is the marker （已清除）, its salt is gone (so
-- summary_sha256 no longer confirms a guessed name), redacted_at is the
-- time and redacted_by the id of the entry that cleared it; that entry
-- lists the ids it cleared in cleared_ids (a JSON array), which its
-- digest covers.
-- The PostgreSQL dialect of sqlite/009_audit_clear.sql; keep the two in
-- step (redacted_by is an entry's id: a bigint).
ALTER TABLE audit_log ADD COLUMN summary_sha256 TEXT;
ALTER TABLE audit_log ADD COLUMN summary_salt TEXT;
ALTER TABLE audit_log ADD COLUMN redacted_at TEXT;
ALTER TABLE audit_log ADD COLUMN redacted_by BIGINT;
ALTER TABLE audit_log ADD COLUMN cleared_ids TEXT;
CREATE INDEX audit_by_clearer ON audit_log (redacted_by)
    WHERE redacted_by IS NOT NULL;
