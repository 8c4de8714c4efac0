-- 005_ledgers.sql — the ledgers (台账): supplies, disinfection,
-- inspections, the gate visitor log, enterprises returning to work.
-- Every entry that belongs to a village carries village_id, so a scoped
-- account's lists are one indexed range.

-- Supplies: items with a unit; the admin adds more.  low_stock is the
-- threshold under which the board marks the item.
CREATE TABLE supply_items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    unit TEXT NOT NULL,
    low_stock REAL NOT NULL DEFAULT 0 CHECK (low_stock >= 0),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
INSERT INTO supply_items (name, unit, low_stock, created_at) VALUES
    ('医用口罩', '个', 500, '2020-01-01T00:00:00Z'),
    ('消毒液', 'kg', 50, '2020-01-01T00:00:00Z'),
    ('体温计', '支', 20, '2020-01-01T00:00:00Z'),
    ('防护服', '套', 5, '2020-01-01T00:00:00Z');

-- Movements, never edited: a receipt into the town's store, an issue
-- from it to a village or point, or a reversal of one of those.
-- delta is the change of the town's store (receipt +q, issue -q, their
-- reversals the opposite), place_delta that of the place's holding
-- (issue +q); stock is a sum.  A movement is reversed at most once.
CREATE TABLE supply_moves (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES supply_items(id),
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'reversal')),
    day TEXT NOT NULL,
    quantity REAL NOT NULL CHECK (quantity > 0),
    delta REAL NOT NULL,
    place_delta REAL NOT NULL DEFAULT 0,
    source TEXT CHECK (source IS NULL OR source IN
        ('allocated', 'donated', 'purchased')),
    donor TEXT NOT NULL DEFAULT '',
    supplier TEXT NOT NULL DEFAULT '',
    cost REAL,
    place_id INTEGER REFERENCES places(id),
    village_id INTEGER REFERENCES places(id),
    recipient TEXT NOT NULL DEFAULT '',
    reverses INTEGER UNIQUE REFERENCES supply_moves(id),
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX supply_moves_by_item ON supply_moves (item_id, id);
-- the stock of an item is a sum over its moves: covered by the index
CREATE INDEX supply_moves_stock ON supply_moves (item_id, delta);
CREATE INDEX supply_moves_by_village ON supply_moves (village_id, id);
CREATE INDEX supply_moves_by_place ON supply_moves (place_id, item_id);
CREATE INDEX supply_moves_by_day ON supply_moves (day, id);

-- Disinfection: the place is a village, point or venue (place_id), or
-- free text (place_text) with an optional village.
CREATE TABLE disinfections (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    place_id INTEGER REFERENCES places(id),
    village_id INTEGER REFERENCES places(id),
    place_text TEXT NOT NULL DEFAULT '',
    area REAL NOT NULL CHECK (area > 0),
    agent TEXT NOT NULL,
    concentration TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL CHECK (method IN ('spray', 'wipe', 'fumigate',
        'other')),
    operator TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX disinfections_by_day ON disinfections (day, village_id);
CREATE INDEX disinfections_by_village ON disinfections (village_id, day, id);

-- The gate visitor log of a venue or office (a place of type venue or
-- point); a fever opens an alert (alert_id).
CREATE TABLE gate_visits (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    place_id INTEGER NOT NULL REFERENCES places(id),
    village_id INTEGER NOT NULL REFERENCES places(id),
    name TEXT NOT NULL,
    phone TEXT,
    temperature REAL NOT NULL CHECK (temperature BETWEEN 35.0 AND 42.5),
    reason TEXT NOT NULL DEFAULT '',
    came_from TEXT NOT NULL DEFAULT '',
    alert_id INTEGER REFERENCES alerts(id),
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX gate_visits_by_village ON gate_visits (village_id, day, id);
CREATE INDEX gate_visits_by_place ON gate_visits (place_id, day, id);
CREATE INDEX gate_visits_by_day ON gate_visits (day, id);

-- Inspection rounds: the sites (points and venues) a round covers are
-- fixed when it is created (a full-coverage round: every active one).
CREATE TABLE inspection_rounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    team TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL,
    full_coverage INTEGER NOT NULL DEFAULT 0,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX inspection_rounds_by_day ON inspection_rounds (day, id);
-- a round is named once: an imported visit finds its round by name
CREATE UNIQUE INDEX inspection_rounds_by_name ON inspection_rounds (name);
CREATE TABLE inspection_round_sites (
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    place_id INTEGER NOT NULL REFERENCES places(id),
    PRIMARY KEY (round_id, place_id)
);
CREATE INDEX inspection_round_sites_by_place
    ON inspection_round_sites (place_id);

-- A visit of a site: the checklist of DOMAIN.md (1 yes, 0 no, NULL not
-- checked), the problems found and their fix.  status is NULL when no
-- problem was found, else open -> fixed -> verified.
CREATE TABLE inspection_visits (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    place_id INTEGER NOT NULL REFERENCES places(id),
    village_id INTEGER NOT NULL REFERENCES places(id),
    day TEXT NOT NULL,
    inspector TEXT NOT NULL DEFAULT '',
    staff_on_duty INTEGER,
    cover_24h INTEGER,
    plates_phones INTEGER,
    temps_taken INTEGER,
    thermometer_ok INTEGER,
    no_gathering INTEGER,
    problems TEXT NOT NULL DEFAULT '',
    required_fix TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    status TEXT CHECK (status IS NULL OR status IN ('open', 'fixed',
        'verified')),
    accountability TEXT NOT NULL DEFAULT '',
    fixed_at TEXT,
    verified_at TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX inspection_visits_by_round ON inspection_visits (round_id,
    place_id);
CREATE INDEX inspection_visits_by_village ON inspection_visits (village_id,
    id);
CREATE INDEX inspection_visits_open ON inspection_visits (status, deadline);

-- Enterprises returning to work, and their workers from the register.
CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    village_id INTEGER NOT NULL REFERENCES places(id),
    liaison_id INTEGER REFERENCES accounts(id),
    approval TEXT NOT NULL DEFAULT 'pending' CHECK (approval IN
        ('pending', 'approved', 'refused')),
    approval_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (village_id, name)
);
CREATE INDEX enterprises_by_liaison ON enterprises (liaison_id);
CREATE TABLE enterprise_workers (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    since TEXT NOT NULL,
    left_on TEXT
);
-- a person works once at a time for an enterprise; one who left may come
-- back (a new row, the old one kept)
CREATE UNIQUE INDEX enterprise_workers_current
    ON enterprise_workers (enterprise_id, person_id) WHERE left_on IS NULL;
CREATE INDEX enterprise_workers_by_person ON enterprise_workers (person_id);
CREATE INDEX measures_by_person_status ON measures (person_id, status);
CREATE INDEX checks_by_person_day ON checks (person_id, day);
