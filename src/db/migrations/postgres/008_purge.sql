-- 008_purge.sql — the end of the epidemic (fangyi purge, docs/purge.md):
-- when a person's personal data was anonymised (NULL: never).
-- The PostgreSQL dialect of sqlite/008_purge.sql; keep the two in step.
ALTER TABLE people ADD COLUMN anonymised_at TEXT;
