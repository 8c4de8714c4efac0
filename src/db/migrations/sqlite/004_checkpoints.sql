-- 004_checkpoints.sql — checkpoints (卡口登记): duty roster, passes of
-- vehicles and people, self-registrations from the QR poster waiting for
-- a checker, and the per-address counters that rate-limit the public form.

-- A shift at a point: who is on duty from starts_at to ends_at (UTC).
CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES places(id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    staff TEXT NOT NULL,               -- the names on duty, as written
    account_id INTEGER REFERENCES accounts(id),  -- a checker's account
    created_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_by_point ON shifts (point_id, starts_at);
CREATE INDEX shifts_by_end ON shifts (ends_at, starts_at);

-- A vehicle (or people on foot) through a point.  village_id is the
-- point's village (the scope of the record); day and hour are the town's
-- calendar day and hour, for the figures.  client_id is the id the phone
-- gave the registration: the same id again is the same pass.
CREATE TABLE passes (
    id INTEGER PRIMARY KEY,
    client_id TEXT UNIQUE,
    point_id INTEGER NOT NULL REFERENCES places(id),
    village_id INTEGER NOT NULL REFERENCES places(id),
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    plate TEXT,
    vehicle TEXT NOT NULL CHECK (vehicle IN ('car', 'bus', 'truck',
        'motorbike', 'on_foot', 'other')),
    checker_id INTEGER REFERENCES accounts(id),
    checker TEXT NOT NULL,
    shift_id INTEGER REFERENCES shifts(id),
    checkin_id INTEGER,
    persons INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX passes_by_point ON passes (point_id, id);
CREATE INDEX passes_by_village ON passes (village_id, id);
CREATE INDEX passes_by_plate ON passes (plate, id);
CREATE INDEX passes_by_day ON passes (day, point_id, hour);
-- for removing a shift (its passes are unlinked) without a scan
CREATE INDEX passes_by_shift ON passes (shift_id);

-- Each person of a pass, with the outcome at the barrier; person_id links
-- the register (a new returnee handed over, or a known ID number),
-- alert_id the fever alert a temperature of 37.3 or more opened.
CREATE TABLE pass_people (
    id INTEGER PRIMARY KEY,
    pass_id INTEGER NOT NULL REFERENCES passes(id),
    name TEXT NOT NULL,
    id_number TEXT,
    phone TEXT,
    from_text TEXT NOT NULL DEFAULT '',
    to_village_id INTEGER REFERENCES places(id),
    address TEXT NOT NULL DEFAULT '',
    temperature REAL NOT NULL,
    fever INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL CHECK (outcome IN ('admitted', 'turned_back',
        'new_returnee', 'fever_clinic')),
    person_id INTEGER REFERENCES people(id),
    alert_id INTEGER REFERENCES alerts(id)
);
CREATE INDEX pass_people_by_pass ON pass_people (pass_id, id);
CREATE INDEX pass_people_by_id_number ON pass_people (id_number, id);
CREATE INDEX pass_people_by_person ON pass_people (person_id);
CREATE INDEX pass_people_by_alert ON pass_people (alert_id);

-- The public link of a point's QR poster: an unguessable token, so the
-- public form cannot be pointed at points by counting.
CREATE TABLE checkin_links (
    point_id INTEGER PRIMARY KEY REFERENCES places(id),
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- What a traveller typed into the public form.  It waits until a checker
-- confirms it (into a pass) or rejects it; nothing of it reaches the
-- register before that.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES places(id),
    code TEXT NOT NULL,                -- 6 digits shown to the traveller
    at TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    plate TEXT,
    vehicle TEXT NOT NULL,
    name TEXT NOT NULL,
    id_number TEXT,
    phone TEXT,
    from_text TEXT NOT NULL DEFAULT '',
    to_village_id INTEGER REFERENCES places(id),
    address TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'confirmed', 'rejected')),
    pass_id INTEGER REFERENCES passes(id),
    handled_by TEXT,
    handled_at TEXT
);
CREATE INDEX checkins_by_point ON checkins (point_id, status, id);
CREATE INDEX checkins_by_pass ON checkins (pass_id);

-- Requests per client address and time bucket, for the public form's
-- rate limit; in the database so that several app servers agree.
CREATE TABLE rate_hits (
    client TEXT NOT NULL,
    bucket TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (client, bucket)
);
CREATE INDEX rate_hits_by_bucket ON rate_hits (bucket);
