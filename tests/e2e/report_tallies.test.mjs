// report_tallies.test.mjs — the daily report's tallies (migration 007)
// stay right through every kind of write: the report of each day of a
// live database, whose tallies the triggers kept, equals the report of a
// copy whose tallies were dropped and made again from the records by the
// migration (as on an existing database).  The writes: returnees with and
// without return dates, from Wuhan, Hubei and elsewhere; a second travel;
// a travel edited (date, origin, expected → returned); a person moved to
// another village before and after a released measure; screening changed;
// two records merged; measures released, ended and extended; passes with
// a hand-over, a fever and a turned-back person; disinfection of a village
// and of a place with no village; supplies received, issued and reversed,
// with decimals, and an item retired.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dropDb, runCli } from './harness.mjs';
import {
  assertStatus, copyDb, createPlace, idNumber, startObservationServer, shanghai, sqlite,
} from './lib.mjs';

const D = '2020-02-10';
let s;
let seq = 601;
const freshId = () => idNumber('370724', '19850505', seq++);

before(async () => {
  s = await startObservationServer({ clock: shanghai(`${D} 21:00`), sweepSeconds: 3600 });
});
const cleanups = [];
after(async () => { for (const f of cleanups) f(); await s?.stop(); });

async function register(body) {
  const r = await s.admin.post('/people', { id_number: freshId(), ...body });
  assertStatus(r, 201, `POST /people ${body.name}`);
  return r.body.person.id;
}

async function person(id) {
  const r = await s.admin.get(`/people/${id}`);
  assertStatus(r, 200, `GET /people/${id}`);
  return r.body.person ?? r.body;
}

async function activeMeasure(id) {
  const r = await s.admin.get(`/people/${id}/measures`);
  assertStatus(r, 200);
  return r.body.items.find((m) => m.status === 'active');
}

async function change(measure, body, what) {
  assertStatus(await s.admin.post(`/measures/${measure}/changes`, body), 200, what);
}

// The report of day from the CLI on db, on the server's clock.
function report(db, day) {
  const r = runCli(['report', db, '--date', day, '--format', 'json',
    '--test-clock', s.clockFile]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// The tally tables, views and triggers of db ("type name" lines).
const tallyObjects = (db) => sqlite(db, db.startsWith('postgres')
  ? `SELECT 'table ' || tablename FROM pg_tables WHERE schemaname = current_schema()
       AND tablename LIKE 'tally\\_%'
     UNION ALL SELECT 'view ' || viewname FROM pg_views WHERE schemaname = current_schema()
       AND viewname LIKE 'tally\\_%'
     UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger JOIN pg_class c ON c.oid = tgrelid
       WHERE NOT tgisinternal AND c.relnamespace = current_schema()::regnamespace
       AND tgname LIKE 'tally\\_%'`
  : "SELECT type || ' ' || name FROM sqlite_master"
    + " WHERE name LIKE 'tally\\_%' ESCAPE '\\'"
    + " AND type IN ('trigger', 'view', 'table')"
    + " ORDER BY type = 'table', type = 'view'").split('\n').filter(Boolean);

// The SQL that drops them (on PostgreSQL the tables with what hangs on
// them, then the other views, the triggers left on the records' tables
// and the functions).
const dropTallies = (db, names) => (db.startsWith('postgres')
  ? `DROP TABLE tally_returnees, tally_totals, tally_days, tally_supplies CASCADE;
     DO $$ DECLARE r record; BEGIN
       FOR r IN SELECT viewname FROM pg_views WHERE schemaname = current_schema()
         AND viewname LIKE 'tally\\_%' LOOP
         EXECUTE format('DROP VIEW %I', r.viewname); END LOOP;
       FOR r IN SELECT tgname, tgrelid::regclass AS rel FROM pg_trigger JOIN pg_class c
         ON c.oid = tgrelid WHERE c.relnamespace = current_schema()::regnamespace
         AND NOT tgisinternal AND tgname LIKE 'tally\\_%' LOOP
         EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel); END LOOP;
       FOR r IN SELECT oid::regprocedure AS f FROM pg_proc
         WHERE pronamespace = current_schema()::regnamespace AND proname LIKE 'tally\\_%' LOOP
         EXECUTE format('DROP FUNCTION %s', r.f); END LOOP;
     END $$;`
  : names.map((n) => { const [type, name] = n.split(' '); return `DROP ${type} ${name};`; }).join(' '));

// A copy of the live database whose tallies are made again from the
// records: the tally objects dropped, migrations 007 and 010 (which binds
// the trigger functions to their schema on PostgreSQL) forgotten, and the
// next command applies them again.
function rebuilt() {
  const copy = copyDb(s.db);
  cleanups.push(() => dropDb(copy));
  const names = tallyObjects(copy);
  assert.ok(names.length >= 26, `the tallies are there: ${names}`);
  sqlite(copy, `${dropTallies(copy, names)} DELETE FROM schema_version WHERE version IN (7, 10);`);
  assert.deepEqual(tallyObjects(copy), []);
  return copy;
}

function days(from, to) {
  const out = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

test('every kind of write keeps the tallies equal to the records', async () => {
  const V1 = await createPlace(s.admin, { type: 'village', name: '一村' });
  const V2 = await createPlace(s.admin, { type: 'village', name: '二村' });
  const V3 = await createPlace(s.admin, { type: 'village', name: '三村' });
  const P1 = await createPlace(s.admin, { type: 'point', name: '一村卡口', village_id: V1.id });
  assertStatus(await s.admin.post('/risk-areas',
    { region_code: '湖北省', level: 'high', start_date: '2020-01-01' }), 201, 'risk area');

  const A = await register({ name: '甲武汉', village_id: V1.id,
    travel: { origin: '武汉', left_date: '2020-02-01', return_date: '2020-02-01', transport: 'rail' } });
  const B = await register({ name: '乙广州', village_id: V2.id,
    travel: { origin: '广州', left_date: '2020-02-03', return_date: '2020-02-03', transport: 'rail' } });
  // no dates: counts from its registration (today)
  const U = await register({ name: '丙无日期', village_id: V2.id,
    travel: { origin: '宜昌', transport: 'coach' } });
  // an undated travel from Wuhan, then a dated one from elsewhere
  const W = await register({ name: '丁两程', village_id: V3.id,
    travel: { origin: '武汉', transport: 'rail' } });
  assertStatus(await s.admin.post(`/people/${W}/travels`, { origin: '济南',
    left_date: '2020-02-04', return_date: '2020-02-05', transport: 'rail' }), 201, 'W second travel');
  // a second, earlier travel of A from Hubei
  assertStatus(await s.admin.post(`/people/${A}/travels`, { origin: '荆州',
    left_date: '2020-01-19', return_date: '2020-01-20', transport: 'coach' }), 201, 'A second travel');
  // B's travel corrected: back earlier, from Wuhan
  const tb = (await person(B)).travels[0];
  assertStatus(await s.admin.patch(`/people/${B}/travels/${tb.id}`,
    { origin: '武汉', return_date: '2020-01-25', left_date: '2020-01-24' }), 200, 'B travel edit');
  // an expected return that happens
  const E = await register({ name: '戊待返', village_id: V1.id,
    travel: { origin: '上海', return_date: '2020-02-09', status: 'expected', transport: 'rail' } });
  const te = (await person(E)).travels[0];
  assertStatus(await s.admin.patch(`/people/${E}/travels/${te.id}`, { status: 'returned' }), 200,
    'E returned');
  // two records of one man, merged
  const M1 = await register({ name: '己重复', village_id: V3.id, phone: '13900002222',
    travel: { origin: '广州', left_date: '2020-02-06', return_date: '2020-02-06', transport: 'rail' } });
  const M2 = await register({ name: '己重复', id_number: undefined, village_id: V3.id,
    phone: '13900002222',
    travel: { origin: '武汉', left_date: '2020-01-27', return_date: '2020-01-28', transport: 'rail' } });
  assertStatus(await s.admin.post(`/people/${M1}/merge`, { from_id: M2 }), 200, 'merge');
  // screening pending for B
  assertStatus(await s.admin.patch(`/people/${B}`, { screening: 'pending' }), 200, 'B screening');

  // measures: A released early the day before, then A moves village;
  // B ends; W is extended
  const mA = await activeMeasure(A);
  const mB = await activeMeasure(B);
  const mW = await activeMeasure(W);
  assert.ok(mA && mB && mW, 'A, B and W are under a measure');
  await change(mA.id, { action: 'release', date: '2020-02-09', reason: '专家组同意提前解除' }, 'release A');
  assertStatus(await s.admin.patch(`/people/${A}`, { village_id: V2.id }), 200, 'A moves');
  await change(mB.id, { action: 'end', date: D, reason: '转入集中隔离' }, 'end B');
  await change(mW.id, { action: 'extend', days: 21, reason: '再次接触' }, 'extend W');
  // U moves after being counted
  assertStatus(await s.admin.patch(`/people/${U}`, { village_id: V1.id }), 200, 'U moves');

  // a car through P1: a hand-over, a fever, one turned back; and one on foot
  const pp = (name, extra) => ({ name, id_number: freshId(), phone: '13900003333',
    from: '湖北省武汉市', to_village_id: V3.id, address: '三村1号', temperature: 36.5,
    reason: '返乡', outcome: 'admitted', ...extra });
  assertStatus(await s.admin.post('/passes', { client_id: 'tally-1', point_id: P1.id,
    direction: 'in', vehicle: 'car', plate: '鲁G23456', persons: [pp('庚交接',
      { outcome: 'new_returnee' }), pp('辛发热', { temperature: 37.9, outcome: 'fever_clinic' }),
    pp('壬劝返', { outcome: 'turned_back' })] }), 201, 'pass 1');
  assertStatus(await s.admin.post('/passes', { client_id: 'tally-2', point_id: P1.id,
    direction: 'out', vehicle: 'on_foot', persons: [pp('癸步行')] }), 201, 'pass 2');

  assertStatus(await s.admin.post('/disinfection', { day: '2020-02-09', place_id: V2.id,
    area: 1234.5, agent: '84消毒液', method: 'spray', operator: '消杀队' }), 201, 'disinfection V2');
  assertStatus(await s.admin.post('/disinfection', { day: D, place_text: '镇集市', area: 800.1,
    agent: '84消毒液', method: 'spray', operator: '消杀队' }), 201, 'disinfection town');

  // supplies with decimals: receipts, an issue, each reversed once; a new
  // item retired after use
  const items = (await s.admin.get('/supply-items')).body.items;
  const liquid = items.find((i) => i.name === '消毒液');
  const move = async (body, what) => {
    const r = await s.admin.post('/supplies', { item_id: liquid.id, ...body });
    assertStatus(r, 201, what);
    return r.body.id;
  };
  const rec = await move({ kind: 'receipt', quantity: 10.1, source: 'allocated',
    day: '2020-02-08' }, 'receipt 1');
  await move({ kind: 'receipt', quantity: 20.2, source: 'allocated', day: '2020-02-09' },
    'receipt 2');
  const iss = await move({ kind: 'issue', quantity: 0.7, place_id: V1.id, recipient: '村长',
    day: D }, 'issue');
  assertStatus(await s.admin.post(`/supplies/${rec}/reverse`, { note: '录错' }), 201,
    'reverse receipt');
  assertStatus(await s.admin.post(`/supplies/${iss}/reverse`, { note: '录错' }), 201,
    'reverse issue');
  const it = await s.admin.post('/supply-items', { name: '酒精', unit: '瓶' });
  assertStatus(it, 201, 'new item');
  assertStatus(await s.admin.post('/supplies', { item_id: it.body.id, kind: 'receipt',
    quantity: 3, source: 'donated', donor: '企业', day: '2020-02-09' }), 201, 'alcohol');
  assertStatus(await s.admin.patch(`/supply-items/${it.body.id}`, { active: false }), 200,
    'retire alcohol');

  // the live report has the figures the writes made
  const live = report(s.db, D);
  assert.ok(live.returnees.total >= 6, `returnees: ${JSON.stringify(live.returnees)}`);
  assert.ok(live.returnees.from_wuhan >= 3, `from Wuhan: ${JSON.stringify(live.returnees)}`);
  assert.equal(live.observation.released_total, 1);
  assert.equal(live.checkpoints.passes, 2);
  assert.equal(live.checkpoints.new_returnees, 1);
  assert.deepEqual(live.disinfection, { area_m2: 800.1, area_m2_total: 2034.6 });
  assert.deepEqual(live.supplies.find((x) => x.item === '消毒液'),
    { item: '消毒液', unit: 'kg', received_total: 20.2, issued_total: 0, stock: 20.2 });
  assert.deepEqual(live.supplies.find((x) => x.item === '酒精'),
    { item: '酒精', unit: '瓶', received_total: 3, issued_total: 0, stock: 3 });
  const v2 = live.by_village.find((v) => v.village === '二村');
  assert.equal(v2.disinfection_area_m2, 0);

  // and every day equals the tallies made again from the records
  const copy = rebuilt();
  for (const day of days('2020-01-18', '2020-02-12')) {
    assert.deepEqual(report(copy, day), report(s.db, day), `report of ${day}`);
  }
  // the migration made the tallies again, with their triggers
  assert.equal(sqlite(copy, 'SELECT count(*) FROM schema_version WHERE version = 7'), '1');
  assert.ok(tallyObjects(copy).filter((n) => n.startsWith('trigger ')).length >= 20);
});
