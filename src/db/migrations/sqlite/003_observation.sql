-- 003_observation.sql — home observation: measures and their history, the
-- responsibility chain, twice-daily checks, fever and missed-check alerts.

-- How many checks a day each kind's measure asks for (morning and evening
-- by default; some places checked once a day for lower risks).
ALTER TABLE policies ADD COLUMN slots_per_day INTEGER NOT NULL DEFAULT 2
    CHECK (slots_per_day IN (1, 2));

-- The roles of a responsibility chain ("三包一挂"); configuration, not
-- code: a town may rename, add or retire roles.
CREATE TABLE chain_roles (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO chain_roles (code, name_zh, name_en, position) VALUES
    ('town_leader', '包村领导', 'Town leader for the village', 1),
    ('assigned_cadre', '包村干部', 'Village-assigned cadre', 2),
    ('village_cadre', '村干部', 'Village cadre', 3),
    ('volunteer', '党员志愿者', 'Party volunteer', 4),
    ('medical', '医护人员', 'Medical worker', 5);

-- One measure of a person.  Day 1 is basis_date; the last day is day
-- period_days; release is due on day period_days + 1.
CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    type TEXT NOT NULL CHECK (type IN ('home_isolation', 'home_monitoring',
        'central_isolation')),
    basis TEXT NOT NULL CHECK (basis IN ('last_exposure', 'departure',
        'start')),
    basis_date TEXT NOT NULL,
    period_days INTEGER NOT NULL CHECK (period_days BETWEEN 1 AND 60),
    slots_per_day INTEGER NOT NULL DEFAULT 2 CHECK (slots_per_day IN (1, 2)),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',
        'released', 'ended', 'transferred')),
    door_notice INTEGER NOT NULL DEFAULT 0,
    door_notice_date TEXT,
    end_date TEXT,                  -- the day it stopped (released, ...)
    end_reason TEXT,
    created_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX measures_by_person ON measures (person_id, id);
CREATE INDEX measures_by_status ON measures (status, id);
-- at most one active measure per person, whatever several servers do
CREATE UNIQUE INDEX measures_one_active ON measures (person_id)
    WHERE status = 'active';

-- Every change of a measure, with who and why.
CREATE TABLE measure_events (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,           -- start, restart, extend, shorten, ...
    detail TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX measure_events_by_measure ON measure_events (measure_id, id);

-- Who answers for a person, role by role.
CREATE TABLE assignments (
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL REFERENCES chain_roles(code),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (person_id, role)
);
CREATE INDEX assignments_by_account ON assignments (account_id, person_id);

-- A check fills one slot of one day (1 = morning, 2 = evening).
CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    day TEXT NOT NULL,
    slot INTEGER NOT NULL CHECK (slot IN (1, 2)),
    at TEXT NOT NULL,
    temperature REAL NOT NULL CHECK (temperature BETWEEN 35.0 AND 42.5),
    symptoms TEXT NOT NULL DEFAULT '',   -- comma-separated codes
    method TEXT NOT NULL CHECK (method IN ('visit', 'phone', 'video')),
    checker_id INTEGER NOT NULL,
    checker TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (measure_id, day, slot)
);
CREATE INDEX checks_by_day ON checks (day, person_id);

-- Fever alerts (opened by a check, at a checkpoint or at a gate) and
-- missed-check alerts (by the sweeper).  A fever alert walks reported ->
-- referred -> outcome.  Every alert belongs to a village (the person's,
-- or the checkpoint's or venue's); someone not in the register is named
-- in subject.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('fever', 'missed')),
    source TEXT NOT NULL DEFAULT 'observation'
        CHECK (source IN ('observation', 'checkpoint', 'gate')),
    village_id INTEGER NOT NULL REFERENCES places(id),
    place_id INTEGER REFERENCES places(id),
    subject TEXT NOT NULL DEFAULT '',
    person_id INTEGER REFERENCES people(id),
    measure_id INTEGER REFERENCES measures(id),
    check_id INTEGER REFERENCES checks(id),
    day TEXT,
    slot INTEGER,
    temperature REAL,
    symptoms TEXT NOT NULL DEFAULT '',
    opened_at TEXT NOT NULL,
    reported_at TEXT,
    reported_by TEXT,
    referred_at TEXT,
    referred_to TEXT,
    outcome TEXT,
    outcome_at TEXT,
    closed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, measure_id, day, slot)
);
CREATE INDEX alerts_open ON alerts (closed, kind, opened_at);
CREATE INDEX alerts_by_village ON alerts (village_id, id);
CREATE INDEX alerts_by_person ON alerts (person_id, id);
