-- report-raw.sql — the daily report's queries as report_daily.c and
-- report_obs.c run them, for the sqlite3 shell: the "raw SQL" baseline of
-- bench/report.sh.  @D@ is the day, @FROM@ and @TO@ its UTC bounds in the
-- town's zone, @LAST@ the day + 59.  The two queries that return a row per
-- measure or check slot are consumed by an aggregate over every column,
-- so that the shell does the same reading without printing 200,000 rows.
SELECT name FROM town WHERE id = 1;
SELECT id, name, active FROM places WHERE type = 'village' AND (1 = 1 OR id IN (SELECT village_id FROM account_villages WHERE account_id = 1)) ORDER BY id;
SELECT village_id, count(*) FROM places WHERE type = 'point' AND active = 1 GROUP BY village_id;
SELECT v.id, t.returnees, t.screened, t.from_wuhan, t.from_hubei, t.from_high_risk, t.released, t.area_dm FROM (SELECT id FROM places WHERE type = 'village' UNION ALL SELECT 0) v JOIN tally_totals t ON t.village_id = v.id AND t.day = (SELECT max(x.day) FROM tally_totals x WHERE x.village_id = v.id AND x.day <= '@D@');
SELECT village_id, released, passes, persons, vehicles, turned_back, new_returnees, pass_fever, area_dm FROM tally_days WHERE day = '@D@';
SELECT p.village_id, sum(f.returned IS NULL OR f.returned > '@D@'), sum(u.wuhan AND (f.wuhan IS NULL OR f.wuhan > '@D@')), sum(u.hubei AND (f.hubei IS NULL OR f.hubei > '@D@')), sum(u.high AND (f.high IS NULL OR f.high > '@D@')), sum((f.returned IS NULL OR f.returned > '@D@') AND p.screening = 'confirmed') FROM (SELECT person_id, max(CASE WHEN substr(origin_code, 1, 4) = '4201' THEN 1 ELSE 0 END) AS wuhan, max(CASE WHEN substr(origin_code, 1, 2) = '42' THEN 1 ELSE 0 END) AS hubei, max(CASE WHEN risk_level = 'high' THEN 1 ELSE 0 END) AS high FROM travels WHERE status = 'returned' AND return_date IS NULL AND created_at < '@TO@' GROUP BY person_id) u JOIN people p ON p.id = u.person_id LEFT JOIN tally_returnees f ON f.person_id = u.person_id WHERE p.merged_into IS NULL GROUP BY p.village_id;
SELECT p.village_id, count(*) FROM people p WHERE p.created_at >= '@FROM@' AND p.created_at < '@TO@' AND p.merged_into IS NULL AND (EXISTS (SELECT 1 FROM tally_returnees f WHERE f.person_id = p.id AND f.returned <= '@D@') OR EXISTS (SELECT 1 FROM travels t WHERE t.person_id = p.id AND t.status = 'returned' AND t.return_date IS NULL AND t.created_at < '@TO@')) GROUP BY p.village_id;
SELECT p.village_id, count(*) FROM measures m JOIN people p ON p.id = m.person_id WHERE m.created_at >= '@FROM@' AND m.created_at < '@TO@' GROUP BY p.village_id;
SELECT p.id, p.village_id, p.merged_into IS NULL FROM people p WHERE p.id IN (SELECT person_id FROM contacts WHERE last_exposure <= '@D@' UNION SELECT id FROM people INDEXED BY people_close_contacts WHERE kind = 'close_contact' AND created_at < '@TO@') ORDER BY p.id;
SELECT count(*), sum(measure_id), sum(slot) FROM (SELECT measure_id, slot FROM checks WHERE day = '@D@' ORDER BY measure_id);
SELECT count(*), sum(village_id), sum(person_id), sum(id), sum(slots_per_day), sum(ends) FROM (SELECT p.village_id, m.person_id, m.id, m.slots_per_day, m.end_date IS NOT NULL AND m.end_date <= '@D@' AS ends FROM measures m JOIN people p ON p.id = m.person_id WHERE date(m.basis_date, '+' || (m.period_days - 1) || ' days') BETWEEN '@D@' AND '@LAST@' AND m.basis_date <= '@D@' AND (m.end_date IS NULL OR m.end_date >= '@D@'));
SELECT village_id, count(*) FROM alerts WHERE kind = 'fever' AND opened_at >= '@FROM@' AND opened_at < '@TO@' GROUP BY village_id;
SELECT village_id, count(*) FROM inspection_visits WHERE day = '@D@' GROUP BY village_id;
SELECT village_id, count(*) FROM inspection_visits WHERE status IS NOT NULL AND day <= '@D@' AND (fixed_at IS NULL OR fixed_at >= '@TO@') AND (verified_at IS NULL OR verified_at >= '@TO@') GROUP BY village_id;
SELECT count(*), COALESCE(sum(CASE WHEN full_coverage <> 0 THEN 1 ELSE 0 END), 0) FROM inspection_rounds WHERE day <= '@D@';
SELECT i.name, i.unit, COALESCE(t.received, 0), COALESCE(t.issued, 0), COALESCE(t.stock, 0), COALESCE(t.moves, 0), i.active FROM supply_items i LEFT JOIN tally_supplies t ON t.item_id = i.id AND t.day = (SELECT max(x.day) FROM tally_supplies x WHERE x.item_id = i.id AND x.day <= '@D@') ORDER BY i.id;
