-- 001_foundation.sql — the town, places, accounts, sessions, tokens, audit.
CREATE TABLE town (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    tz TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Villages, grids, prevention points and venues share one table: they are
-- listed, renamed, deactivated and scoped the same way.  A place other than
-- a village belongs to a village; RESTRICT keeps a place that anything
-- refers to from being deleted.
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('village', 'grid', 'point', 'venue')),
    name TEXT NOT NULL,
    village_id INTEGER REFERENCES places(id) ON DELETE RESTRICT,
    venue_kind TEXT CHECK (venue_kind IS NULL OR venue_kind IN
        ('supermarket', 'factory', 'pharmacy', 'office', 'other')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    CHECK ((type = 'village') = (village_id IS NULL))
);
CREATE UNIQUE INDEX places_unique_name
    ON places (type, COALESCE(village_id, 0), name);
CREATE INDEX places_by_village ON places (village_id, type, id);
CREATE INDEX places_by_type ON places (type, id);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    last_login_at TEXT
);

-- An account with no rows here works for the whole town.
CREATE TABLE account_villages (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    village_id INTEGER NOT NULL REFERENCES places(id) ON DELETE RESTRICT,
    PRIMARY KEY (account_id, village_id)
);
CREATE INDEX account_villages_by_village ON account_villages (village_id);

-- Only digests of tokens are stored: a copy of the database opens nothing.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_by_account ON api_tokens (account_id, id);

-- Every write, chained: hash = sha256(prev_hash | fields of this entry).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    summary TEXT NOT NULL,
    digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_by_actor ON audit_log (actor, id);
