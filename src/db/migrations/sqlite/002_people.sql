-- 002_people.sql — the people register: persons, travels, close contacts,
-- regions (GB/T 2260), risk areas and the classification policy.

-- Provinces, cities and counties; loaded from the embedded region table
-- (data/regions.csv) by regions_ensure().
CREATE TABLE regions (
    code TEXT PRIMARY KEY,           -- 6 digits: 420100
    name TEXT NOT NULL,              -- 武汉市
    level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    parent TEXT,                     -- 420000
    full_name TEXT NOT NULL          -- 湖北省武汉市
);
CREATE INDEX regions_by_name ON regions (name);
CREATE INDEX regions_by_full_name ON regions (full_name);

-- A region's risk level over a span of days; the level of a travel is
-- the highest level of its origin or any region containing it on the day
-- the person left.
CREATE TABLE risk_areas (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    level TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
    start_date TEXT NOT NULL,
    end_date TEXT,                   -- NULL: still in force
    created_at TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX risk_areas_by_region ON risk_areas (region_code, start_date);

-- What kind of person gets which measure for how long (editable).
CREATE TABLE policies (
    kind TEXT PRIMARY KEY CHECK (kind IN ('returnee_high', 'returnee_medium',
        'returnee_low', 'close_contact', 'contact_of_contact')),
    measure TEXT NOT NULL CHECK (measure IN ('home_isolation',
        'home_monitoring', 'central_isolation', 'none')),
    period_days INTEGER NOT NULL CHECK (period_days BETWEEN 0 AND 60)
);
INSERT INTO policies (kind, measure, period_days) VALUES
    ('returnee_high', 'home_isolation', 14),
    ('returnee_medium', 'home_monitoring', 14),
    ('returnee_low', 'home_monitoring', 7),
    ('close_contact', 'home_isolation', 14),
    ('contact_of_contact', 'home_monitoring', 14);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    id_number TEXT UNIQUE,           -- 18 characters, X upper case; NULL: none
    id_flag TEXT CHECK (id_flag IS NULL OR id_flag IN
        ('missing', 'legacy15', 'region_unknown')),
    sex TEXT CHECK (sex IS NULL OR sex IN ('M', 'F')),
    birth_date TEXT,                 -- YYYY-MM-DD
    phone TEXT,                      -- 11 digits
    village_id INTEGER NOT NULL REFERENCES places(id),
    grid_id INTEGER REFERENCES places(id),
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_case INTEGER NOT NULL DEFAULT 0,  -- a confirmed or suspected case
    kind TEXT,                       -- the policy kind that applies, or NULL
    measure TEXT NOT NULL DEFAULT 'none',
    period_days INTEGER NOT NULL DEFAULT 0,
    screening TEXT NOT NULL DEFAULT 'confirmed'
        CHECK (screening IN ('confirmed', 'pending')),
    merged_into INTEGER REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_by_village ON people (village_id, id);
CREATE INDEX people_by_grid ON people (grid_id, id);
CREATE INDEX people_by_name ON people (name, id);
CREATE INDEX people_by_phone ON people (phone);
CREATE INDEX people_by_kind ON people (kind, id);
CREATE INDEX people_by_birth ON people (name, birth_date);

CREATE TABLE travels (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    origin_code TEXT REFERENCES regions(code),
    origin_text TEXT NOT NULL,
    via TEXT NOT NULL DEFAULT '',
    left_date TEXT,
    return_date TEXT,
    transport TEXT CHECK (transport IS NULL OR transport IN
        ('rail', 'air', 'coach', 'self_drive', 'other')),
    transport_no TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    contact_with_case INTEGER NOT NULL DEFAULT 0,
    symptoms INTEGER NOT NULL DEFAULT 0,
    companions_symptoms INTEGER NOT NULL DEFAULT 0,
    symptoms_on_arrival TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('door_to_door', 'checkpoint',
        'self_registration', 'higher_level')),
    status TEXT NOT NULL CHECK (status IN ('returned', 'expected')),
    risk_level TEXT NOT NULL DEFAULT 'none'
        CHECK (risk_level IN ('none', 'low', 'medium', 'high')),
    created_at TEXT NOT NULL
);
CREATE INDEX travels_by_person ON travels (person_id, id);
CREATE INDEX travels_by_return ON travels (return_date);
CREATE INDEX travels_by_origin ON travels (origin_code);

-- person_id was exposed to source_id (a case or another person).
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    source_id INTEGER NOT NULL REFERENCES people(id),
    last_exposure TEXT NOT NULL,
    relationship TEXT NOT NULL CHECK (relationship IN ('family', 'colleague',
        'co_passenger', 'other')),
    setting TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (person_id, source_id),
    CHECK (person_id <> source_id)
);
CREATE INDEX contacts_by_source ON contacts (source_id);
