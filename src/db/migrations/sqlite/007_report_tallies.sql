-- 007_report_tallies.sql — what the daily report reads at county scale
-- (docs/report.md, "How it is computed"): tallies kept by triggers in the
-- same transaction as the records, so every write path keeps them right,
-- and covering indexes for the figures read from the day's own records.
-- Nothing here is typed in; a tally can always be made again from the
-- records (the backfill below does exactly that).
--
-- tally_returnees: a person's first dated return (of any returned travel,
--   from Wuhan, from Hubei, from a high-risk origin) and screening, for
--   people not merged away with a returned travel that has a return date.
-- tally_totals: per village and day, what has accumulated by the end of
--   that day (returnees by their first dated return and those screened,
--   from Wuhan/Hubei/high-risk, released measures, m² disinfected in
--   tenths); a row is written only for a day with a change, so the total
--   of day D is the village's latest row on or before D.  Village 0: the
--   records with no village.
-- tally_days: per day and village, the figures of that day alone
--   (released, passes, their people, their vehicles, turned back, new
--   returnees, fevers, m² disinfected in tenths).
-- tally_supplies: per item and day, the town store's running totals by
--   the end of that day (received, issued, stock, in thousandths, and the
--   number of movements); like tally_totals, a row for a day with a
--   change.
-- Changes go through the views tally_totals_add, tally_days_add and
-- tally_supplies_add (add a row of deltas) and tally_returnee_refresh
-- (compute a person again), whose INSTEAD OF triggers do the work.

CREATE TABLE tally_returnees (
    person_id INTEGER PRIMARY KEY,
    village_id INTEGER NOT NULL,
    returned TEXT NOT NULL,
    wuhan TEXT,
    hubei TEXT,
    high TEXT,
    screened INTEGER NOT NULL
);

CREATE TABLE tally_totals (
    village_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    returnees INTEGER NOT NULL DEFAULT 0,
    screened INTEGER NOT NULL DEFAULT 0,
    from_wuhan INTEGER NOT NULL DEFAULT 0,
    from_hubei INTEGER NOT NULL DEFAULT 0,
    from_high_risk INTEGER NOT NULL DEFAULT 0,
    released INTEGER NOT NULL DEFAULT 0,
    area_dm INTEGER NOT NULL DEFAULT 0,       -- tenths of m²
    PRIMARY KEY (village_id, day)
) WITHOUT ROWID;

CREATE TABLE tally_days (
    day TEXT NOT NULL,
    village_id INTEGER NOT NULL,
    released INTEGER NOT NULL DEFAULT 0,
    passes INTEGER NOT NULL DEFAULT 0,
    persons INTEGER NOT NULL DEFAULT 0,
    vehicles INTEGER NOT NULL DEFAULT 0,
    turned_back INTEGER NOT NULL DEFAULT 0,
    new_returnees INTEGER NOT NULL DEFAULT 0,
    pass_fever INTEGER NOT NULL DEFAULT 0,
    area_dm INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, village_id)
) WITHOUT ROWID;

CREATE TABLE tally_supplies (
    item_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,      -- thousandths of the unit
    issued INTEGER NOT NULL DEFAULT 0,
    stock INTEGER NOT NULL DEFAULT 0,
    moves INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, day)
) WITHOUT ROWID;

-- ---- the backfill: the tallies of the records already there -------------

INSERT INTO tally_returnees (person_id, village_id, returned, wuhan, hubei,
                             high, screened)
SELECT p.id, p.village_id, min(t.return_date),
       min(CASE WHEN substr(t.origin_code, 1, 4) = '4201'
           THEN t.return_date END),
       min(CASE WHEN substr(t.origin_code, 1, 2) = '42'
           THEN t.return_date END),
       min(CASE WHEN t.risk_level = 'high' THEN t.return_date END),
       p.screening = 'confirmed'
FROM people p JOIN travels t ON t.person_id = p.id
WHERE p.merged_into IS NULL AND t.status = 'returned'
  AND t.return_date IS NOT NULL
GROUP BY p.id;

INSERT INTO tally_days (day, village_id, released, passes, persons,
                        vehicles, turned_back, new_returnees, pass_fever,
                        area_dm)
SELECT day, village_id, sum(released), sum(passes), sum(persons),
       sum(vehicles), sum(turned_back), sum(new_returnees), sum(pass_fever),
       sum(area_dm)
FROM (SELECT m.end_date AS day, p.village_id AS village_id, 1 AS released,
             0 AS passes, 0 AS persons, 0 AS vehicles, 0 AS turned_back,
             0 AS new_returnees, 0 AS pass_fever, 0 AS area_dm
      FROM measures m JOIN people p ON p.id = m.person_id
      WHERE m.status = 'released' AND m.end_date IS NOT NULL
      UNION ALL
      SELECT day, village_id, 0, count(*), sum(persons),
             sum(vehicle <> 'on_foot'), 0, 0, 0, 0
      FROM passes GROUP BY day, village_id
      UNION ALL
      SELECT s.day, s.village_id, 0, 0, 0, 0,
             sum(x.outcome = 'turned_back'), sum(x.outcome = 'new_returnee'),
             sum(x.fever <> 0), 0
      FROM passes s JOIN pass_people x ON x.pass_id = s.id
      GROUP BY s.day, s.village_id
      UNION ALL
      SELECT day, COALESCE(village_id, 0), 0, 0, 0, 0, 0, 0, 0,
             CAST(round(area * 10) AS INTEGER)
      FROM disinfections)
GROUP BY day, village_id;

INSERT INTO tally_totals (village_id, day, returnees, screened, from_wuhan,
                          from_hubei, from_high_risk, released, area_dm)
SELECT village_id, day,
       sum(returnees) OVER w, sum(screened) OVER w, sum(from_wuhan) OVER w,
       sum(from_hubei) OVER w, sum(from_high_risk) OVER w,
       sum(released) OVER w, sum(area_dm) OVER w
FROM (SELECT village_id, day, sum(returnees) AS returnees,
             sum(screened) AS screened, sum(from_wuhan) AS from_wuhan,
             sum(from_hubei) AS from_hubei,
             sum(from_high_risk) AS from_high_risk,
             sum(released) AS released, sum(area_dm) AS area_dm
      FROM (SELECT village_id, returned AS day, 1 AS returnees,
                   screened, 0 AS from_wuhan, 0 AS from_hubei,
                   0 AS from_high_risk, 0 AS released, 0 AS area_dm
            FROM tally_returnees
            UNION ALL
            SELECT village_id, wuhan, 0, 0, 1, 0, 0, 0, 0
            FROM tally_returnees WHERE wuhan IS NOT NULL
            UNION ALL
            SELECT village_id, hubei, 0, 0, 0, 1, 0, 0, 0
            FROM tally_returnees WHERE hubei IS NOT NULL
            UNION ALL
            SELECT village_id, high, 0, 0, 0, 0, 1, 0, 0
            FROM tally_returnees WHERE high IS NOT NULL
            UNION ALL
            SELECT village_id, day, 0, 0, 0, 0, 0, released, area_dm
            FROM tally_days WHERE released <> 0 OR area_dm <> 0)
      GROUP BY village_id, day)
WINDOW w AS (PARTITION BY village_id ORDER BY day
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- a movement counts as received (issued) when it is a receipt (an issue)
-- or the reversal of one
INSERT INTO tally_supplies (item_id, day, received, issued, stock, moves)
SELECT item_id, day, sum(received) OVER w, sum(issued) OVER w,
       sum(stock) OVER w, sum(moves) OVER w
FROM (SELECT m.item_id, m.day,
             sum(CASE WHEN m.kind = 'receipt' OR o.kind = 'receipt'
                 THEN CAST(round(m.delta * 1000) AS INTEGER) ELSE 0 END)
                 AS received,
             -sum(CASE WHEN m.kind = 'issue' OR o.kind = 'issue'
                  THEN CAST(round(m.delta * 1000) AS INTEGER) ELSE 0 END)
                 AS issued,
             sum(CAST(round(m.delta * 1000) AS INTEGER)) AS stock,
             count(*) AS moves
      FROM supply_moves m LEFT JOIN supply_moves o ON o.id = m.reverses
      GROUP BY m.item_id, m.day)
WINDOW w AS (PARTITION BY item_id ORDER BY day
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- ---- adding deltas -------------------------------------------------------

CREATE VIEW tally_totals_add AS
SELECT village_id, day, returnees, screened, from_wuhan, from_hubei,
       from_high_risk, released, area_dm FROM tally_totals WHERE 0;

-- the day's row starts from the village's latest total before it; the
-- delta then goes into that row and every later one
CREATE TRIGGER tally_totals_add_do INSTEAD OF INSERT ON tally_totals_add
BEGIN
    INSERT INTO tally_totals (village_id, day, returnees, screened,
                              from_wuhan, from_hubei, from_high_risk,
                              released, area_dm)
    SELECT NEW.village_id, NEW.day, COALESCE(b.returnees, 0),
           COALESCE(b.screened, 0), COALESCE(b.from_wuhan, 0),
           COALESCE(b.from_hubei, 0), COALESCE(b.from_high_risk, 0),
           COALESCE(b.released, 0), COALESCE(b.area_dm, 0)
    FROM (SELECT 1) LEFT JOIN tally_totals b
      ON b.village_id = NEW.village_id
     AND b.day = (SELECT max(day) FROM tally_totals
                  WHERE village_id = NEW.village_id AND day < NEW.day)
    WHERE NOT EXISTS (SELECT 1 FROM tally_totals
                      WHERE village_id = NEW.village_id AND day = NEW.day);
    UPDATE tally_totals SET
        returnees = returnees + COALESCE(NEW.returnees, 0),
        screened = screened + COALESCE(NEW.screened, 0),
        from_wuhan = from_wuhan + COALESCE(NEW.from_wuhan, 0),
        from_hubei = from_hubei + COALESCE(NEW.from_hubei, 0),
        from_high_risk = from_high_risk + COALESCE(NEW.from_high_risk, 0),
        released = released + COALESCE(NEW.released, 0),
        area_dm = area_dm + COALESCE(NEW.area_dm, 0)
    WHERE village_id = NEW.village_id AND day >= NEW.day;
END;

CREATE VIEW tally_days_add AS
SELECT day, village_id, released, passes, persons, vehicles, turned_back,
       new_returnees, pass_fever, area_dm FROM tally_days WHERE 0;

CREATE TRIGGER tally_days_add_do INSTEAD OF INSERT ON tally_days_add
BEGIN
    INSERT INTO tally_days (day, village_id, released, passes, persons,
                            vehicles, turned_back, new_returnees, pass_fever,
                            area_dm)
    VALUES (NEW.day, NEW.village_id, COALESCE(NEW.released, 0),
            COALESCE(NEW.passes, 0), COALESCE(NEW.persons, 0),
            COALESCE(NEW.vehicles, 0), COALESCE(NEW.turned_back, 0),
            COALESCE(NEW.new_returnees, 0), COALESCE(NEW.pass_fever, 0),
            COALESCE(NEW.area_dm, 0))
    ON CONFLICT (day, village_id) DO UPDATE SET
        released = released + excluded.released,
        passes = passes + excluded.passes,
        persons = persons + excluded.persons,
        vehicles = vehicles + excluded.vehicles,
        turned_back = turned_back + excluded.turned_back,
        new_returnees = new_returnees + excluded.new_returnees,
        pass_fever = pass_fever + excluded.pass_fever,
        area_dm = area_dm + excluded.area_dm;
END;

CREATE VIEW tally_supplies_add AS
SELECT item_id, day, received, issued, stock, moves FROM tally_supplies
WHERE 0;

CREATE TRIGGER tally_supplies_add_do INSTEAD OF INSERT ON tally_supplies_add
BEGIN
    INSERT INTO tally_supplies (item_id, day, received, issued, stock, moves)
    SELECT NEW.item_id, NEW.day, COALESCE(b.received, 0),
           COALESCE(b.issued, 0), COALESCE(b.stock, 0), COALESCE(b.moves, 0)
    FROM (SELECT 1) LEFT JOIN tally_supplies b
      ON b.item_id = NEW.item_id
     AND b.day = (SELECT max(day) FROM tally_supplies
                  WHERE item_id = NEW.item_id AND day < NEW.day)
    WHERE NOT EXISTS (SELECT 1 FROM tally_supplies
                      WHERE item_id = NEW.item_id AND day = NEW.day);
    UPDATE tally_supplies SET
        received = received + COALESCE(NEW.received, 0),
        issued = issued + COALESCE(NEW.issued, 0),
        stock = stock + COALESCE(NEW.stock, 0),
        moves = moves + COALESCE(NEW.moves, 0)
    WHERE item_id = NEW.item_id AND day >= NEW.day;
END;

-- ---- returnees -------------------------------------------------------------

CREATE TRIGGER tally_returnees_in AFTER INSERT ON tally_returnees
BEGIN
    INSERT INTO tally_totals_add (village_id, day, returnees, screened)
    VALUES (NEW.village_id, NEW.returned, 1, NEW.screened);
    INSERT INTO tally_totals_add (village_id, day, from_wuhan)
    SELECT NEW.village_id, NEW.wuhan, 1 WHERE NEW.wuhan IS NOT NULL;
    INSERT INTO tally_totals_add (village_id, day, from_hubei)
    SELECT NEW.village_id, NEW.hubei, 1 WHERE NEW.hubei IS NOT NULL;
    INSERT INTO tally_totals_add (village_id, day, from_high_risk)
    SELECT NEW.village_id, NEW.high, 1 WHERE NEW.high IS NOT NULL;
END;

CREATE TRIGGER tally_returnees_out AFTER DELETE ON tally_returnees
BEGIN
    INSERT INTO tally_totals_add (village_id, day, returnees, screened)
    VALUES (OLD.village_id, OLD.returned, -1, -OLD.screened);
    INSERT INTO tally_totals_add (village_id, day, from_wuhan)
    SELECT OLD.village_id, OLD.wuhan, -1 WHERE OLD.wuhan IS NOT NULL;
    INSERT INTO tally_totals_add (village_id, day, from_hubei)
    SELECT OLD.village_id, OLD.hubei, -1 WHERE OLD.hubei IS NOT NULL;
    INSERT INTO tally_totals_add (village_id, day, from_high_risk)
    SELECT OLD.village_id, OLD.high, -1 WHERE OLD.high IS NOT NULL;
END;

CREATE VIEW tally_returnee_refresh AS
SELECT person_id FROM tally_returnees WHERE 0;

CREATE TRIGGER tally_returnee_refresh_do INSTEAD OF INSERT
ON tally_returnee_refresh
BEGIN
    DELETE FROM tally_returnees WHERE person_id = NEW.person_id;
    INSERT INTO tally_returnees (person_id, village_id, returned, wuhan,
                                 hubei, high, screened)
    SELECT p.id, p.village_id, min(t.return_date),
           min(CASE WHEN substr(t.origin_code, 1, 4) = '4201'
               THEN t.return_date END),
           min(CASE WHEN substr(t.origin_code, 1, 2) = '42'
               THEN t.return_date END),
           min(CASE WHEN t.risk_level = 'high' THEN t.return_date END),
           p.screening = 'confirmed'
    FROM people p JOIN travels t ON t.person_id = p.id
    WHERE p.id = NEW.person_id AND p.merged_into IS NULL
      AND t.status = 'returned' AND t.return_date IS NOT NULL
    GROUP BY p.id;
END;

CREATE TRIGGER tally_travels_in AFTER INSERT ON travels
WHEN NEW.status = 'returned' AND NEW.return_date IS NOT NULL
BEGIN
    INSERT INTO tally_returnee_refresh VALUES (NEW.person_id);
END;

CREATE TRIGGER tally_travels_change AFTER UPDATE ON travels
WHEN OLD.person_id IS NOT NEW.person_id OR OLD.status IS NOT NEW.status
  OR OLD.return_date IS NOT NEW.return_date
  OR OLD.origin_code IS NOT NEW.origin_code
  OR OLD.risk_level IS NOT NEW.risk_level
BEGIN
    INSERT INTO tally_returnee_refresh VALUES (OLD.person_id);
    INSERT INTO tally_returnee_refresh SELECT NEW.person_id
    WHERE NEW.person_id IS NOT OLD.person_id;
END;

CREATE TRIGGER tally_travels_out AFTER DELETE ON travels
WHEN OLD.status = 'returned' AND OLD.return_date IS NOT NULL
BEGIN
    INSERT INTO tally_returnee_refresh VALUES (OLD.person_id);
END;

-- a person who moves village takes their returns and released measures
-- along; a merge or a change of screening counts them again
CREATE TRIGGER tally_people_change
AFTER UPDATE OF village_id, screening, merged_into ON people
WHEN OLD.village_id IS NOT NEW.village_id
  OR OLD.screening IS NOT NEW.screening
  OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO tally_returnee_refresh SELECT NEW.id
    WHERE EXISTS (SELECT 1 FROM tally_returnees WHERE person_id = NEW.id)
       OR EXISTS (SELECT 1 FROM travels WHERE person_id = NEW.id);
    INSERT INTO tally_totals_add (village_id, day, released)
    SELECT OLD.village_id, end_date, -count(*) FROM measures
    WHERE person_id = NEW.id AND status = 'released'
      AND end_date IS NOT NULL AND OLD.village_id IS NOT NEW.village_id
    GROUP BY end_date;
    INSERT INTO tally_totals_add (village_id, day, released)
    SELECT NEW.village_id, end_date, count(*) FROM measures
    WHERE person_id = NEW.id AND status = 'released'
      AND end_date IS NOT NULL AND OLD.village_id IS NOT NEW.village_id
    GROUP BY end_date;
    INSERT INTO tally_days_add (day, village_id, released)
    SELECT end_date, OLD.village_id, -count(*) FROM measures
    WHERE person_id = NEW.id AND status = 'released'
      AND end_date IS NOT NULL AND OLD.village_id IS NOT NEW.village_id
    GROUP BY end_date;
    INSERT INTO tally_days_add (day, village_id, released)
    SELECT end_date, NEW.village_id, count(*) FROM measures
    WHERE person_id = NEW.id AND status = 'released'
      AND end_date IS NOT NULL AND OLD.village_id IS NOT NEW.village_id
    GROUP BY end_date;
END;

CREATE TRIGGER tally_people_out AFTER DELETE ON people
BEGIN
    DELETE FROM tally_returnees WHERE person_id = OLD.id;
END;

-- ---- released measures -----------------------------------------------------

CREATE TRIGGER tally_measures_in AFTER INSERT ON measures
WHEN NEW.status = 'released' AND NEW.end_date IS NOT NULL
BEGIN
    INSERT INTO tally_totals_add (village_id, day, released)
    SELECT village_id, NEW.end_date, 1 FROM people WHERE id = NEW.person_id;
    INSERT INTO tally_days_add (day, village_id, released)
    SELECT NEW.end_date, village_id, 1 FROM people WHERE id = NEW.person_id;
END;

CREATE TRIGGER tally_measures_change
AFTER UPDATE OF status, end_date, person_id ON measures
WHEN (OLD.status = 'released' OR NEW.status = 'released')
 AND (OLD.status IS NOT NEW.status OR OLD.end_date IS NOT NEW.end_date
      OR OLD.person_id IS NOT NEW.person_id)
BEGIN
    INSERT INTO tally_totals_add (village_id, day, released)
    SELECT village_id, OLD.end_date, -1 FROM people
    WHERE id = OLD.person_id AND OLD.status = 'released'
      AND OLD.end_date IS NOT NULL;
    INSERT INTO tally_days_add (day, village_id, released)
    SELECT OLD.end_date, village_id, -1 FROM people
    WHERE id = OLD.person_id AND OLD.status = 'released'
      AND OLD.end_date IS NOT NULL;
    INSERT INTO tally_totals_add (village_id, day, released)
    SELECT village_id, NEW.end_date, 1 FROM people
    WHERE id = NEW.person_id AND NEW.status = 'released'
      AND NEW.end_date IS NOT NULL;
    INSERT INTO tally_days_add (day, village_id, released)
    SELECT NEW.end_date, village_id, 1 FROM people
    WHERE id = NEW.person_id AND NEW.status = 'released'
      AND NEW.end_date IS NOT NULL;
END;

CREATE TRIGGER tally_measures_out AFTER DELETE ON measures
WHEN OLD.status = 'released' AND OLD.end_date IS NOT NULL
BEGIN
    INSERT INTO tally_totals_add (village_id, day, released)
    SELECT village_id, OLD.end_date, -1 FROM people WHERE id = OLD.person_id;
    INSERT INTO tally_days_add (day, village_id, released)
    SELECT OLD.end_date, village_id, -1 FROM people WHERE id = OLD.person_id;
END;

-- ---- checkpoints -----------------------------------------------------------

CREATE TRIGGER tally_passes_in AFTER INSERT ON passes
BEGIN
    INSERT INTO tally_days_add (day, village_id, passes, persons, vehicles)
    VALUES (NEW.day, NEW.village_id, 1, NEW.persons,
            NEW.vehicle <> 'on_foot');
END;

-- a pass moved to another day or village takes its people along
CREATE TRIGGER tally_passes_change
AFTER UPDATE OF day, village_id, persons, vehicle ON passes
WHEN OLD.day IS NOT NEW.day OR OLD.village_id IS NOT NEW.village_id
  OR OLD.persons IS NOT NEW.persons OR OLD.vehicle IS NOT NEW.vehicle
BEGIN
    INSERT INTO tally_days_add (day, village_id, passes, persons, vehicles,
                                turned_back, new_returnees, pass_fever)
    SELECT OLD.day, OLD.village_id, -1, -OLD.persons,
           -(OLD.vehicle <> 'on_foot'),
           -COALESCE(sum(outcome = 'turned_back'), 0),
           -COALESCE(sum(outcome = 'new_returnee'), 0),
           -COALESCE(sum(fever <> 0), 0)
    FROM pass_people WHERE pass_id = OLD.id;
    INSERT INTO tally_days_add (day, village_id, passes, persons, vehicles,
                                turned_back, new_returnees, pass_fever)
    SELECT NEW.day, NEW.village_id, 1, NEW.persons,
           NEW.vehicle <> 'on_foot',
           COALESCE(sum(outcome = 'turned_back'), 0),
           COALESCE(sum(outcome = 'new_returnee'), 0),
           COALESCE(sum(fever <> 0), 0)
    FROM pass_people WHERE pass_id = NEW.id;
END;

CREATE TRIGGER tally_passes_out AFTER DELETE ON passes
BEGIN
    INSERT INTO tally_days_add (day, village_id, passes, persons, vehicles)
    VALUES (OLD.day, OLD.village_id, -1, -OLD.persons,
            -(OLD.vehicle <> 'on_foot'));
END;

CREATE TRIGGER tally_pass_people_in AFTER INSERT ON pass_people
BEGIN
    INSERT INTO tally_days_add (day, village_id, turned_back, new_returnees,
                                pass_fever)
    SELECT day, village_id, NEW.outcome = 'turned_back',
           NEW.outcome = 'new_returnee', NEW.fever <> 0
    FROM passes WHERE id = NEW.pass_id;
END;

CREATE TRIGGER tally_pass_people_change
AFTER UPDATE OF pass_id, outcome, fever ON pass_people
WHEN OLD.pass_id IS NOT NEW.pass_id OR OLD.outcome IS NOT NEW.outcome
  OR OLD.fever IS NOT NEW.fever
BEGIN
    INSERT INTO tally_days_add (day, village_id, turned_back, new_returnees,
                                pass_fever)
    SELECT day, village_id, -(OLD.outcome = 'turned_back'),
           -(OLD.outcome = 'new_returnee'), -(OLD.fever <> 0)
    FROM passes WHERE id = OLD.pass_id;
    INSERT INTO tally_days_add (day, village_id, turned_back, new_returnees,
                                pass_fever)
    SELECT day, village_id, NEW.outcome = 'turned_back',
           NEW.outcome = 'new_returnee', NEW.fever <> 0
    FROM passes WHERE id = NEW.pass_id;
END;

CREATE TRIGGER tally_pass_people_out AFTER DELETE ON pass_people
BEGIN
    INSERT INTO tally_days_add (day, village_id, turned_back, new_returnees,
                                pass_fever)
    SELECT day, village_id, -(OLD.outcome = 'turned_back'),
           -(OLD.outcome = 'new_returnee'), -(OLD.fever <> 0)
    FROM passes WHERE id = OLD.pass_id;
END;

-- ---- disinfection ----------------------------------------------------------

CREATE TRIGGER tally_disinfections_in AFTER INSERT ON disinfections
BEGIN
    INSERT INTO tally_totals_add (village_id, day, area_dm)
    VALUES (COALESCE(NEW.village_id, 0), NEW.day,
            CAST(round(NEW.area * 10) AS INTEGER));
    INSERT INTO tally_days_add (day, village_id, area_dm)
    VALUES (NEW.day, COALESCE(NEW.village_id, 0),
            CAST(round(NEW.area * 10) AS INTEGER));
END;

CREATE TRIGGER tally_disinfections_change
AFTER UPDATE OF day, village_id, area ON disinfections
WHEN OLD.day IS NOT NEW.day OR OLD.village_id IS NOT NEW.village_id
  OR OLD.area IS NOT NEW.area
BEGIN
    INSERT INTO tally_totals_add (village_id, day, area_dm)
    VALUES (COALESCE(OLD.village_id, 0), OLD.day,
            -CAST(round(OLD.area * 10) AS INTEGER));
    INSERT INTO tally_days_add (day, village_id, area_dm)
    VALUES (OLD.day, COALESCE(OLD.village_id, 0),
            -CAST(round(OLD.area * 10) AS INTEGER));
    INSERT INTO tally_totals_add (village_id, day, area_dm)
    VALUES (COALESCE(NEW.village_id, 0), NEW.day,
            CAST(round(NEW.area * 10) AS INTEGER));
    INSERT INTO tally_days_add (day, village_id, area_dm)
    VALUES (NEW.day, COALESCE(NEW.village_id, 0),
            CAST(round(NEW.area * 10) AS INTEGER));
END;

CREATE TRIGGER tally_disinfections_out AFTER DELETE ON disinfections
BEGIN
    INSERT INTO tally_totals_add (village_id, day, area_dm)
    VALUES (COALESCE(OLD.village_id, 0), OLD.day,
            -CAST(round(OLD.area * 10) AS INTEGER));
    INSERT INTO tally_days_add (day, village_id, area_dm)
    VALUES (OLD.day, COALESCE(OLD.village_id, 0),
            -CAST(round(OLD.area * 10) AS INTEGER));
END;

-- ---- supplies --------------------------------------------------------------

-- a movement's share: sign 1 to add it, -1 to take it away
CREATE VIEW tally_supplies_move AS
SELECT id, 0 AS sign FROM supply_moves WHERE 0;

CREATE TRIGGER tally_supplies_move_do INSTEAD OF INSERT
ON tally_supplies_move
BEGIN
    INSERT INTO tally_supplies_add (item_id, day, received, issued, stock,
                                    moves)
    SELECT m.item_id, m.day,
           NEW.sign * (CASE WHEN m.kind = 'receipt' OR o.kind = 'receipt'
               THEN CAST(round(m.delta * 1000) AS INTEGER) ELSE 0 END),
           -NEW.sign * (CASE WHEN m.kind = 'issue' OR o.kind = 'issue'
               THEN CAST(round(m.delta * 1000) AS INTEGER) ELSE 0 END),
           NEW.sign * CAST(round(m.delta * 1000) AS INTEGER), NEW.sign
    FROM supply_moves m LEFT JOIN supply_moves o ON o.id = m.reverses
    WHERE m.id = NEW.id;
END;

CREATE TRIGGER tally_supply_moves_in AFTER INSERT ON supply_moves
BEGIN
    INSERT INTO tally_supplies_move VALUES (NEW.id, 1);
END;

-- a movement changed: its old share out (computed from OLD, as it is no
-- longer in the table), its new share in
CREATE TRIGGER tally_supply_moves_change
AFTER UPDATE OF item_id, kind, day, delta, reverses ON supply_moves
WHEN OLD.item_id IS NOT NEW.item_id OR OLD.kind IS NOT NEW.kind
  OR OLD.day IS NOT NEW.day OR OLD.delta IS NOT NEW.delta
  OR OLD.reverses IS NOT NEW.reverses
BEGIN
    INSERT INTO tally_supplies_add (item_id, day, received, issued, stock,
                                    moves)
    SELECT OLD.item_id, OLD.day,
           -(CASE WHEN OLD.kind = 'receipt' OR o.kind = 'receipt'
             THEN CAST(round(OLD.delta * 1000) AS INTEGER) ELSE 0 END),
           (CASE WHEN OLD.kind = 'issue' OR o.kind = 'issue'
            THEN CAST(round(OLD.delta * 1000) AS INTEGER) ELSE 0 END),
           -CAST(round(OLD.delta * 1000) AS INTEGER), -1
    FROM (SELECT 1) LEFT JOIN supply_moves o ON o.id = OLD.reverses;
    INSERT INTO tally_supplies_move VALUES (NEW.id, 1);
END;

CREATE TRIGGER tally_supply_moves_out AFTER DELETE ON supply_moves
BEGIN
    INSERT INTO tally_supplies_add (item_id, day, received, issued, stock,
                                    moves)
    SELECT OLD.item_id, OLD.day,
           -(CASE WHEN OLD.kind = 'receipt' OR o.kind = 'receipt'
             THEN CAST(round(OLD.delta * 1000) AS INTEGER) ELSE 0 END),
           (CASE WHEN OLD.kind = 'issue' OR o.kind = 'issue'
            THEN CAST(round(OLD.delta * 1000) AS INTEGER) ELSE 0 END),
           -CAST(round(OLD.delta * 1000) AS INTEGER), -1
    FROM (SELECT 1) LEFT JOIN supply_moves o ON o.id = OLD.reverses;
END;

-- ---- indexes for the figures read from the day's records -----------------
-- (IF NOT EXISTS: bench-gen fills a database without the tallies and this
-- migration is applied again afterwards, its indexes already made)

-- the measures that may cover day D: day 1 from D - 59 (the longest
-- period) to D; covering, so the pass reads no table
CREATE INDEX IF NOT EXISTS measures_by_basis ON measures (
    basis_date, end_date, person_id, period_days, slots_per_day);
CREATE INDEX IF NOT EXISTS measures_by_created
    ON measures (created_at);
-- the slots filled on D, by measure
CREATE INDEX IF NOT EXISTS checks_by_day_measure
    ON checks (day, measure_id, slot);
CREATE INDEX IF NOT EXISTS people_by_created ON people (created_at);
CREATE INDEX IF NOT EXISTS contacts_by_exposure
    ON contacts (last_exposure, person_id);
CREATE INDEX IF NOT EXISTS alerts_by_opened
    ON alerts (kind, opened_at, village_id);
CREATE INDEX IF NOT EXISTS inspection_visits_by_day
    ON inspection_visits (day, village_id);
-- the visits that found a problem, by village (a few)
CREATE INDEX IF NOT EXISTS inspection_visits_problems ON inspection_visits (
    village_id, day, fixed_at, verified_at) WHERE status IS NOT NULL;
