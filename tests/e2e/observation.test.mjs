// observation.test.mjs — home observation (居家隔离医学观察) over the API:
// measures and their days in the town's zone, twice-daily checks, fever at
// 37.3 °C inclusive, missed checks found by the sweep, the 2-hour report
// rule, a medical worker's round and the board (docs/api.md "Home
// observation", shared/DOMAIN.md).
//
// One server whose clock is a file (--test-clock) moved only forward, the
// missed-check sweep every second.  Every refused input also checks that
// nothing was stored (the measure with its checks, and the alerts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  finish, idNumber, sleep, auditWrites, startObservationServer, shanghai, shanghaiDay,
  alertsSnapshot, settleAlerts, measureSnapshot, waitFor,
} from './lib.mjs';

// 2020-01-31 23:59 in Shanghai: one minute before the month ends there
const CLOCK0 = '2020-01-31T15:59:00Z';

let s;
let A; let B; let C;        // villages 东旺村, 西旺村, 南旺村
let GA; let GB; let GC;     // a grid of each
let medA;                   // medical worker of A (client)
let medR;                   // medical worker of A whose round is checked
let viewer;
const U = {};               // accounts by username

before(async () => {
  s = await startObservationServer({ clock: CLOCK0, sweepSeconds: 1 });
  A = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  B = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  C = await createPlace(s.admin, { type: 'village', name: '南旺村' });
  GA = await createPlace(s.admin, { type: 'grid', name: '东旺村第1网格', village_id: A.id });
  GB = await createPlace(s.admin, { type: 'grid', name: '西旺村第1网格', village_id: B.id });
  GC = await createPlace(s.admin, { type: 'grid', name: '南旺村第1网格', village_id: C.id });
  for (const [username, role, villages] of [
    ['medA', 'medical', [A.id]], ['medA2', 'medical', [A.id]],
    ['medR', 'medical', [A.id]], ['cadreB', 'village_cadre', [B.id]],
    ['view', 'viewer', []]]) {
    U[username] = await newUser(s.admin, { username, role, villages });
  }
  medA = await loginAs(s.url, 'medA', 'user-pass-123');
  medR = await loginAs(s.url, 'medR', 'user-pass-123');
  viewer = await loginAs(s.url, 'view', 'user-pass-123');
});
after(async () => { await finish(s); });

// ---- helpers ---------------------------------------------------------------

let seq = 201;
const villageOf = {};       // person id -> village id

// person registers someone with no travel (no measure from the policy).
async function person(village, grid, name, address = '') {
  const r = await s.admin.post('/people', { name, village_id: village.id,
    grid_id: grid.id, address, id_number: idNumber('370724', '19800101', seq++) });
  assertStatus(r, 201, `POST /people ${name}`);
  villageOf[r.body.person.id] = village.id;
  return r.body.person.id;
}

// startMeasure: POST /people/{id}/measures → 201 measure.
async function startMeasure(pid, body, client = s.admin) {
  const r = await client.post(`/people/${pid}/measures`, body);
  assertStatus(r, 201, `POST /people/${pid}/measures ${JSON.stringify(body)}`);
  assert.equal(typeof r.body?.id, 'number', `measure id: ${show(r)}`);
  assert.equal(r.body.person_id, pid, `measure person_id: ${show(r)}`);
  return r.body;
}

const home = (extra = {}) => ({ type: 'home_isolation', basis: 'start', ...extra });

// assign puts account in the person's chain (role medical by default).
async function assign(pid, accountId, role = 'medical') {
  const r = await s.admin.post(`/people/${pid}/chain`, { role, account_id: accountId });
  assertStatus(r, [200, 201], `POST /people/${pid}/chain`);
  assert.ok(Array.isArray(r.body?.items), `chain answer: ${show(r)}`);
  assert.ok(r.body.items.some((x) => x.role === role && x.account_id === accountId),
    `chain after assigning: ${show(r)}`);
}

function assertDays(m, { basis_date, period_days, last_day, release_due, day_number }, what) {
  const got = { basis_date: m.basis_date, period_days: m.period_days,
    last_day: m.last_day, release_due: m.release_due, day_number: m.day_number };
  assert.deepEqual(got, { basis_date, period_days, last_day, release_due, day_number },
    `${what}: ${JSON.stringify(m)}`);
}

// unchanged runs fn and asserts the measures (with events and checks) and
// every alert are as before (after letting the sweep settle).
// every alert, the person audit (a check is audited) and medA's round are
// as before (after letting the sweep settle).
async function unchanged(fn, measureIds) {
  const alerts0 = await settleAlerts(s.admin);
  const m0 = [];
  for (const id of measureIds) m0.push(await measureSnapshot(s.admin, id));
  const audit0 = (await auditWrites(s.admin, 'person')).length;
  const round0 = (await medA.get('/round')).body;
  await fn();
  for (let i = 0; i < measureIds.length; i++)
    assert.deepEqual(await measureSnapshot(s.admin, measureIds[i]), m0[i],
      `measure ${measureIds[i]} changed`);
  assert.deepEqual(await alertsSnapshot(s.admin), alerts0, 'the alerts changed');
  assert.equal((await auditWrites(s.admin, 'person')).length, audit0,
    'a refused write was audited as a change');
  assert.deepEqual((await medA.get('/round')).body, round0, 'medA\'s round changed');
}

const check = (client, mid, body) => client.post(`/measures/${mid}/checks`, body);

// postCheck: 201 {check, alert}.
async function postCheck(client, mid, body, what = '') {
  const r = await check(client, mid, body);
  assertStatus(r, 201, `${what} POST /measures/${mid}/checks ${JSON.stringify(body)}`);
  assert.ok(r.body && typeof r.body.check === 'object' && r.body.check,
    `${what} check: ${show(r)}`);
  assert.ok('alert' in r.body, `${what} no "alert" key: ${show(r)}`);
  return r.body;
}

async function alertsOf(pid, query = '', client = s.admin) {
  return listAll(client, `/alerts?person_id=${pid}${query}`);
}

async function oneAlert(id, client = s.admin) {
  const all = await listAll(client, '/alerts');
  const a = all.find((x) => x.id === id);
  assert.ok(a, `alert ${id} not in GET /alerts`);
  return a;
}

const step = (client, id, body) => client.post(`/alerts/${id}/steps`, body);

const M = {};   // measures made by the tests, by nickname
const P = {};   // people

// ---- measures and their days ------------------------------------------------

test('measure days: basis 2020-01-25, 14 days → last_day 2020-02-07, release_due 2020-02-08, day 7 on 2020-01-31', async () => {
  P.a = await person(A, GA, '赵一', '东旺村9排1号');
  const m = await startMeasure(P.a, home({ basis: 'departure', basis_date: '2020-01-25',
    period_days: 14 }));
  M.a = m.id;
  assert.equal(m.type, 'home_isolation');
  assert.equal(m.basis, 'departure');
  assert.equal(m.status, 'active');
  assertDays(m, { basis_date: '2020-01-25', period_days: 14, last_day: '2020-02-07',
    release_due: '2020-02-08', day_number: 7 }, 'POST answer');

  const g = await measureSnapshot(s.admin, m.id);
  assertDays(g, { basis_date: '2020-01-25', period_days: 14, last_day: '2020-02-07',
    release_due: '2020-02-08', day_number: 7 }, 'GET /measures/{id}');
  assert.ok(Array.isArray(g.events) && g.events.length >= 1, `events: ${JSON.stringify(g)}`);

  const l = await s.admin.get(`/people/${P.a}/measures`);
  assertStatus(l, 200, 'GET /people/{id}/measures');
  assert.equal(l.body.items.length, 1, show(l));
  assert.equal(l.body.items[0].id, m.id);
  assert.ok(Array.isArray(l.body.items[0].events), `events in list: ${show(l)}`);
  assertDays(l.body.items[0], { basis_date: '2020-01-25', period_days: 14,
    last_day: '2020-02-07', release_due: '2020-02-08', day_number: 7 }, 'list item');

  // a second measure while one is active: 409, nothing stored
  await unchanged(async () => {
    const r = await s.admin.post(`/people/${P.a}/measures`, home());
    assertError(r, 409, undefined, undefined, 'second active measure');
    const l2 = await s.admin.get(`/people/${P.a}/measures`);
    assert.equal(l2.body.items.length, 1, `measures after the 409: ${show(l2)}`);
  }, [M.a]);
  assert.deepEqual(g.checks, [], `GET /measures/{id}: "checks" (none yet): ${JSON.stringify(g).slice(0, 300)}`);
});

test('the policy starts the measure: high-risk 湖北省, left 武汉 2020-01-22 → day 10 on 2020-01-31', async () => {
  const ra = await s.admin.post('/risk-areas',
    { region_code: '湖北省', level: 'high', start_date: '2020-01-20' });
  assertStatus(ra, 201, 'POST /risk-areas');
  const r = await s.admin.post('/people', { name: '钱二', village_id: A.id, grid_id: GA.id,
    address: '东旺村9排2号', id_number: idNumber('370724', '19850505', seq++),
    travel: { origin: '武汉', left_date: '2020-01-22', return_date: '2020-01-23',
      transport: 'rail', transport_no: 'G2058', reason: '探亲' } });
  assertStatus(r, 201, 'POST /people with a travel from Wuhan');
  assert.equal(r.body.classification.kind, 'returnee_high', show(r));
  P.policy = r.body.person.id;
  villageOf[P.policy] = A.id;
  const l = await s.admin.get(`/people/${P.policy}/measures`);
  assertStatus(l, 200, 'GET /people/{id}/measures');
  assert.equal(l.body.items.length, 1, `one measure from the policy: ${show(l)}`);
  const m = l.body.items[0];
  M.policy = m.id;
  assert.equal(m.type, 'home_isolation');
  assert.equal(m.status, 'active');
  assert.equal(m.basis, 'departure');
  assertDays(m, { basis_date: '2020-01-22', period_days: 14, last_day: '2020-02-04',
    release_due: '2020-02-05', day_number: 10 }, 'measure from the policy');
});

test('the day turns at midnight in Asia/Shanghai: 15:59Z on 01-31 is still 01-31, 16:00Z is 02-01', async () => {
  P.m = await person(A, GA, '孙三', '东旺村9排3号');
  M.m = (await startMeasure(P.m, home({ basis: 'last_exposure', basis_date: '2020-01-20',
    period_days: 14 }))).id;
  P.s = await person(A, GA, '李四', '东旺村9排4号');
  const ms = await startMeasure(P.s, home());
  M.s = ms.id;
  assertDays(ms, { basis_date: '2020-01-31', period_days: 14, last_day: '2020-02-13',
    release_due: '2020-02-14', day_number: 1 }, 'basis start at 23:59 local');
  assertDays(await measureSnapshot(s.admin, M.m), { basis_date: '2020-01-20',
    period_days: 14, last_day: '2020-02-02', release_due: '2020-02-03', day_number: 12 },
  'across the month end, 23:59');

  s.setClock('2020-01-31T16:00:00Z');           // 2020-02-01 00:00 local
  assertDays(await measureSnapshot(s.admin, M.m), { basis_date: '2020-01-20',
    period_days: 14, last_day: '2020-02-02', release_due: '2020-02-03', day_number: 13 },
  'across the month end, 00:00');
  assert.equal((await measureSnapshot(s.admin, M.s)).day_number, 2, 'start measure, 00:00');
  assert.equal((await measureSnapshot(s.admin, M.a)).day_number, 8, 'basis 01-25, 00:00');
  assert.equal((await measureSnapshot(s.admin, M.policy)).day_number, 11, 'policy, 00:00');

  P.n = await person(A, GA, '周五', '东旺村9排5号');
  const mn = await startMeasure(P.n, home());
  M.n = mn.id;
  assertDays(mn, { basis_date: '2020-02-01', period_days: 14, last_day: '2020-02-14',
    release_due: '2020-02-15', day_number: 1 }, 'basis start at 00:00 local');

  // a check with neither day nor slot: the town's day, the morning slot
  const b = await postCheck(s.admin, M.s, { temperature: 36.4 }, 'default day and slot');
  assert.equal(b.check.day, '2020-02-01', `check day: ${JSON.stringify(b.check)}`);
  assert.equal(b.check.slot, 1, `check slot: ${JSON.stringify(b.check)}`);

  // release due: on or before the date, per the town's days
  const rd = await s.admin.get('/release-due?date=2020-02-03');
  assertStatus(rd, 200, 'GET /release-due');
  const ids = rd.body.items.map((x) => x.id);
  assert.ok(ids.includes(M.m), `release due 2020-02-03 has the 01-20 measure: ${show(rd)}`);
  assert.ok(!ids.includes(M.a) && !ids.includes(M.s), `not the later ones: ${show(rd)}`);
  const rd2 = await s.admin.get('/release-due?date=2020-02-02');
  assert.ok(!rd2.body.items.some((x) => x.id === M.m), `not due on 2020-02-02: ${show(rd2)}`);
});

// ---- checks -----------------------------------------------------------------

test('checks: 36.5 → no alert, 37.2 → none, exactly 37.3 → fever alert, a symptom with 36.8 → alert', async () => {
  s.setClock(shanghai('2020-02-01 08:00'));
  P.c = await person(A, GA, '吴六', '东旺村8排1号');
  M.c = (await startMeasure(P.c, home())).id;
  await assign(P.c, U.medA.id);
  P.c2 = await person(A, GA, '郑七', '东旺村8排2号');
  M.c2 = (await startMeasure(P.c2, home({ basis: 'departure', basis_date: '2020-01-27',
    period_days: 14 }))).id;
  await assign(P.c2, U.medA.id);

  let b = await postCheck(medA, M.c, { temperature: 36.5, slot: 1, method: 'visit' }, '36.5');
  assert.equal(b.alert, null, `36.5: ${JSON.stringify(b)}`);
  assert.equal(b.check.temperature, 36.5);
  assert.equal(b.check.day, '2020-02-01');
  assert.equal(b.check.slot, 1);
  assert.equal(b.check.measure_id, M.c);
  assert.equal(b.check.person_id, P.c);

  b = await postCheck(medA, M.c2, { temperature: 37.2, day: '2020-01-27', slot: 1 }, '37.2');
  assert.equal(b.alert, null, `37.2 is not fever: ${JSON.stringify(b)}`);

  b = await postCheck(medA, M.c2, { temperature: 37.3, day: '2020-01-27', slot: 2 }, '37.3');
  assert.ok(b.alert && typeof b.alert === 'object', `37.3 is fever: ${JSON.stringify(b)}`);
  assert.equal(b.alert.kind, 'fever');
  assert.equal(b.alert.person_id, P.c2);
  assert.equal(b.alert.measure_id, M.c2);
  assert.equal(b.alert.temperature, 37.3);
  assert.equal(b.alert.closed, false);
  assert.equal(b.alert.overdue, false);
  const fever373 = b.alert.id;

  b = await postCheck(medA, M.c2, { temperature: 36.8, day: '2020-01-28', slot: 1,
    symptoms: ['dry_cough'] }, '36.8 + dry cough');
  assert.ok(b.alert && b.alert.kind === 'fever', `a symptom opens an alert: ${JSON.stringify(b)}`);
  assert.deepEqual(b.check.symptoms, ['dry_cough']);

  // the ends of the valid range are accepted
  b = await postCheck(medA, M.c2, { temperature: 35.0, day: '2020-01-28', slot: 2 }, '35.0');
  assert.equal(b.alert, null, '35.0');
  b = await postCheck(medA, M.c2, { temperature: 42.5, day: '2020-01-29', slot: 1 }, '42.5');
  assert.equal(b.alert?.kind, 'fever', '42.5');

  const fever = await alertsOf(P.c2, '&kind=fever');
  assert.equal(fever.length, 3, `three fever alerts: ${JSON.stringify(fever)}`);
  assert.ok(fever.some((x) => x.id === fever373));
  assert.deepEqual(await alertsOf(P.c, '&kind=fever'), [], 'no alert for 36.5');

  // GET /measures/{id}: "measure with events and checks (the temperature curve)"
  const g = await measureSnapshot(s.admin, M.c2);
  assert.ok(Array.isArray(g.checks), `GET /measures/${M.c2} has no "checks": ${JSON.stringify(g).slice(0, 300)}`);
  assert.deepEqual(g.checks.map((x) => [x.day, x.slot, x.temperature]), [
    ['2020-01-27', 1, 37.2], ['2020-01-27', 2, 37.3], ['2020-01-28', 1, 36.8],
    ['2020-01-28', 2, 35.0], ['2020-01-29', 1, 42.5]], 'the temperature curve');
});

test('bad checks are refused (422/409/404/403) and nothing is stored', async () => {
  P.e = await person(A, GA, '王八', '东旺村8排3号');
  M.e = (await startMeasure(P.e, home())).id;
  const end = await s.admin.post(`/measures/${M.e}/changes`, { action: 'end', reason: '转外地' });
  assertStatus(end, 200, 'end the measure');
  P.one = await person(A, GA, '王九', '东旺村8排4号');
  M.one = (await startMeasure(P.one, home({ slots_per_day: 1 }))).id;
  assert.equal(end.body.status, 'ended', show(end));

  await unchanged(async () => {
    const T = (v, what) => check(medA, M.c, { temperature: v, slot: 2 }).then((r) =>
      assertError(r, 422, 'invalid_temperature', 'temperature', what));
    await T(45, '45 °C');
    await T(34.9, '34.9 °C');
    await T(42.6, '42.6 °C');
    let r = await check(medA, M.c, { temperature: 'abc', slot: 2 });
    assertError(r, 422, ['invalid_temperature', 'invalid_field'], 'temperature', '"abc"');
    r = await check(medA, M.c, { slot: 2 });
    assertError(r, 422, 'missing_field', 'temperature', 'no temperature');
    r = await check(medA, M.c, { temperature: 36.5, slot: 1 });
    assertError(r, 409, ['conflict', 'duplicate'], undefined, 'morning slot again');
    r = await check(medA, M.c, { temperature: 38.5, slot: 1 });
    assertError(r, 409, ['conflict', 'duplicate'], undefined, 'morning slot again, fever');
    r = await check(medA, M.c, { temperature: 36.5, slot: 1, day: '2020-01-31' });
    assertError(r, 422, ['invalid_field', 'invalid_date'], 'day', 'the day before day 1');
    r = await check(medA, M.a, { temperature: 36.5, slot: 1, day: '2020-01-24' });
    assertError(r, 422, ['invalid_field', 'invalid_date'], 'day', 'before basis 01-25');
    r = await check(medA, M.c, { temperature: 36.5, slot: 1, day: '2020-02-02' });
    assertError(r, 422, ['invalid_field', 'invalid_date'], 'day', 'a day to come');
    r = await check(medA, M.c, { temperature: 36.5, slot: 1, day: '2020-02-30' });
    assertError(r, 422, ['invalid_field', 'invalid_date'], 'day', 'no such day');
    r = await check(medA, M.c, { temperature: 36.5, slot: 3 });
    assertError(r, 422, 'invalid_field', 'slot', 'slot 3');
    r = await check(medA, M.one, { temperature: 36.5, slot: 2 });
    assertError(r, 422, 'invalid_field', 'slot', 'evening of a once-a-day measure');
    r = await check(medA, M.c, { temperature: 38.9, slot: 2, symptoms: ['headache'] });
    assertError(r, 422, 'invalid_field', 'symptoms', 'unknown symptom, fever');
    r = await check(medA, M.c, { temperature: 39.0, slot: 2, method: 'fax' });
    assertError(r, 422, 'invalid_field', 'method', 'unknown method, fever');
    r = await check(medA, M.e, { temperature: 36.5, slot: 1 });
    assertError(r, 409, 'conflict', undefined, 'ended measure');
    r = await check(medA, M.e, { temperature: 38.5, slot: 1 });
    assertError(r, 409, 'conflict', undefined, 'ended measure, fever');
    r = await check(medA, 999999, { temperature: 36.5, slot: 2 });
    assertError(r, 404, 'not_found', undefined, 'no such measure');
    r = await check(viewer, M.c, { temperature: 36.5, slot: 2 });
    assertError(r, 403, 'forbidden', undefined, 'viewer has no checks.write');
    r = await medA.request('POST', `/api/v1/measures/${M.c}/checks`, { body: '{"temperature":' });
    assertError(r, 400, 'invalid_json', undefined, 'broken JSON');
  }, [M.c, M.c2, M.a, M.e, M.one]);
});

// ---- missed checks -------------------------------------------------------------

test('missed slots: the evening left empty is missed after local midnight (within ~3 s); the morning checked before noon never is', async () => {
  P.miss = await person(A, GA, '冯九', '东旺村7排1号');
  M.miss = (await startMeasure(P.miss, home())).id;   // day 1 = 2020-02-01
  await assign(P.miss, U.medA.id);
  await postCheck(medA, M.miss, { temperature: 36.6, slot: 1 }, 'morning at 08:00');

  s.setClock(shanghai('2020-02-01 12:30'));
  await sleep(3000);
  assert.deepEqual(await alertsOf(P.miss, '&kind=missed'), [],
    'the morning checked at 08:00 is not missed after noon');
  let rd = await medA.get('/round');
  assertStatus(rd, 200, 'GET /round at 12:30');
  let it = rd.body.items.find((x) => x.person_id === P.miss);
  assert.ok(it, `round has the person: ${show(rd)}`);
  assert.equal(it.slots[0].state, 'done', JSON.stringify(it));
  assert.equal(it.slots[0].temperature, 36.6, JSON.stringify(it));
  assert.ok(!['done', 'missed'].includes(it.slots[1].state), `evening at 12:30: ${JSON.stringify(it)}`);
  // the morning of a person not checked is missed at 12:30 (round state)
  const other = rd.body.items.find((x) => x.person_id === P.c2);
  assert.equal(other?.slots?.[0]?.state, 'missed', `unchecked morning at 12:30: ${show(rd)}`);

  s.setClock(shanghai('2020-02-02 00:00:30'));
  const w = await waitFor(async () => {
    const l = await alertsOf(P.miss, '&kind=missed');
    return l.length ? l : null;
  }, 3500);
  assert.ok(w.value, 'no missed alert within 3.5 s of local midnight');
  await sleep(2000);   // no more come (not the morning, no duplicate)
  const missed = await alertsOf(P.miss, '&kind=missed');
  assert.equal(missed.length, 1, `one missed alert: ${JSON.stringify(missed)}`);
  assert.equal(missed[0].day, '2020-02-01');
  assert.equal(missed[0].slot, 2);
  assert.equal(missed[0].measure_id, M.miss);
  assert.equal(missed[0].kind, 'missed');
  assert.equal(missed[0].closed, false);
  const viaKind = await listAll(s.admin, '/alerts?kind=missed');
  assert.ok(viaKind.some((x) => x.id === missed[0].id), 'GET /alerts?kind=missed has it');
  assert.ok(viaKind.every((x) => x.kind === 'missed'), 'kind=missed filters');
  assertError(await s.admin.get('/alerts?kind=bogus'), 400, 'invalid_query', 'kind', 'kind=bogus');

  rd = await medA.get('/round?date=2020-02-01');
  assertStatus(rd, 200, 'GET /round?date=2020-02-01');
  it = rd.body.items.find((x) => x.person_id === P.miss);
  assert.ok(it, `round of 2020-02-01 has the person: ${show(rd)}`);
  assert.equal(it.slots[0].state, 'done', JSON.stringify(it));
  assert.equal(it.slots[1].state, 'missed', JSON.stringify(it));

  // a missed check is explained and closed, not reported
  await unchanged(async () => {
    const r = await step(medA, missed[0].id, { step: 'report' });
    assertError(r, 409, 'conflict', undefined, 'report a missed check');
  }, [M.miss]);
  const c = await step(medA, missed[0].id, { step: 'close', outcome: '电话联系，已补测' });
  assertStatus(c, 200, 'close a missed alert');
  assert.equal(c.body.closed, true, show(c));
});

// ---- the 2-hour rule ---------------------------------------------------------

test('a fever alert is overdue after 2 hours unreported; steps go report → refer → outcome', async () => {
  const T = shanghai('2020-02-02 09:00');
  s.setClock(T);
  P.f = await person(A, GA, '陈十', '东旺村7排2号');
  M.f = (await startMeasure(P.f, home({ basis: 'departure', basis_date: '2020-01-30' }))).id;
  await assign(P.f, U.medA.id);
  const b = await postCheck(medA, M.f, { temperature: 38.2, slot: 1 }, 'fever at T');
  const id = b.alert?.id;
  assert.ok(id, `fever alert: ${JSON.stringify(b)}`);
  assert.equal(Date.parse(b.alert.opened_at), Date.parse(T), `opened_at: ${b.alert.opened_at}`);
  assert.equal(b.alert.overdue, false);

  s.setClock(shanghai('2020-02-02 10:59'));
  assert.equal((await oneAlert(id)).overdue, false, 'T + 1h59m');
  s.setClock(shanghai('2020-02-02 11:01'));
  assert.equal((await oneAlert(id)).overdue, true, 'T + 2h01m');
  assert.equal((await oneAlert(id, medA)).overdue, true, 'T + 2h01m (medical worker)');
  const open = await listAll(s.admin, `/alerts?open=1&person_id=${P.f}`);
  assert.ok(open.some((x) => x.id === id), 'open=1 lists it');

  // a second fever alert, opened now, for the out-of-order steps
  const b2 = await postCheck(medA, M.f, { temperature: 37.6, day: '2020-02-01', slot: 2 }, 'second fever');
  const id2 = b2.alert?.id;
  assert.ok(id2, `second alert: ${JSON.stringify(b2)}`);
  await unchanged(async () => {
    let r = await step(medA, id2, { step: 'refer', to: '临朐县人民医院发热门诊' });
    assertError(r, 409, 'conflict', undefined, 'refer before report');
    r = await step(medA, id2, { step: 'outcome', outcome: '排除' });
    assertError(r, 409, 'conflict', undefined, 'outcome before report');
    r = await step(medA, id2, { step: 'close' });
    assertError(r, 409, 'conflict', undefined, 'a fever alert is not just closed');
    r = await step(medA, id2, { step: 'bogus' });
    assertError(r, 422, 'invalid_field', 'step', 'unknown step');
    r = await step(medA, id2, {});
    assertError(r, 422, 'missing_field', 'step', 'no step');
    r = await step(medA, 999999, { step: 'report' });
    assertError(r, 404, 'not_found', undefined, 'no such alert');
    r = await step(viewer, id2, { step: 'report' });
    assertError(r, 403, 'forbidden', undefined, 'viewer');
  }, [M.f]);

  let r = await step(medA, id, { step: 'report' });
  assertStatus(r, 200, 'report');
  assert.equal(r.body.id, id);
  assert.ok(r.body.reported_at, `reported_at: ${show(r)}`);
  assert.equal(r.body.overdue, false, `reported: not overdue: ${show(r)}`);
  assert.equal((await oneAlert(id)).overdue, false, 'listed after the report');

  await unchanged(async () => {
    r = await step(medA, id, { step: 'report' });
    assertError(r, 409, 'conflict', undefined, 'report twice');
    r = await step(medA, id, { step: 'refer' });
    assertError(r, 422, 'missing_field', 'to', 'refer without to');
  }, [M.f]);

  r = await step(medA, id, { step: 'refer', to: '临朐县人民医院发热门诊' });
  assertStatus(r, 200, 'refer');
  assert.equal(r.body.referred_to, '临朐县人民医院发热门诊');
  assert.ok(r.body.referred_at, show(r));
  assert.equal(r.body.closed, false);
  r = await step(medA, id, { step: 'outcome', outcome: '排除新冠肺炎，继续居家观察' });
  assertStatus(r, 200, 'outcome');
  assert.equal(r.body.closed, true, `the outcome closes it: ${show(r)}`);
  assert.equal(r.body.outcome, '排除新冠肺炎，继续居家观察');
  r = await step(medA, id, { step: 'report' });
  assertError(r, 409, 'conflict', undefined, 'a closed alert');
  const open2 = await listAll(s.admin, `/alerts?open=1&person_id=${P.f}`);
  assert.ok(!open2.some((x) => x.id === id), 'closed: not in open=1');
  assert.ok(open2.some((x) => x.id === id2), 'the second is still open');

  s.setClock(shanghai('2020-02-02 17:00'));
  assert.equal((await oneAlert(id)).overdue, false, 'reported: never overdue');
  assert.equal((await oneAlert(id2)).overdue, true, 'second: unreported after 2 h');
});

// ---- the round -----------------------------------------------------------------

test('round: exactly the people assigned to the medical worker, in address order, with slot states', async () => {
  s.setClock(shanghai('2020-02-03 09:00'));
  const mk = async (name, address) => {
    const pid = await person(A, GA, name, address);
    return { pid, mid: (await startMeasure(pid, home())).id };
  };
  const r1 = await mk('褚一', '东旺村3排2号');
  const r2 = await mk('卫二', '东旺村1排5号');
  const r3 = await mk('蒋三', '东旺村2排1号');
  const r4 = await mk('沈四', '东旺村1排1号');    // someone else's
  await mk('韩五', '东旺村1排2号');               // no chain at all
  const r6 = await person(A, GA, '杨六', '东旺村1排3号'); // no measure
  const r7 = await mk('朱七', '东旺村1排4号');    // measure ended
  for (const x of [r1, r2, r3]) await assign(x.pid, U.medR.id);
  await assign(r4.pid, U.medA2.id);
  await assign(r6, U.medR.id);
  await assign(r7.pid, U.medR.id);
  assertStatus(await s.admin.post(`/measures/${r7.mid}/changes`, { action: 'end', reason: '误录' }),
    200, 'end r7');
  await assign(r2.pid, U.medR.id, 'volunteer');   // a second role: r2 still once

  await postCheck(medR, r1.mid, { temperature: 36.7, slot: 1 }, 'r1 morning');

  const rd = await medR.get('/round');
  assertStatus(rd, 200, 'GET /round');
  assert.equal(rd.body.date, '2020-02-03');
  assert.deepEqual(rd.body.items.map((x) => x.person_id), [r2.pid, r3.pid, r1.pid],
    `exactly r2, r3, r1 (address order): ${show(rd)}`);
  const byP = Object.fromEntries(rd.body.items.map((x) => [x.person_id, x]));
  assert.equal(byP[r1.pid].measure_id, r1.mid);
  assert.equal(byP[r1.pid].address, '东旺村3排2号');
  assert.equal(byP[r1.pid].day_number, 1);
  assert.equal(byP[r1.pid].slots.length, 2);
  assert.deepEqual([byP[r1.pid].slots[0].state, byP[r1.pid].slots[0].temperature], ['done', 36.7]);
  assert.equal(byP[r2.pid].slots[0].state, 'due', JSON.stringify(byP[r2.pid]));
  for (const x of rd.body.items)
    assert.ok(!['done', 'missed'].includes(x.slots[1].state), `evening at 09:00: ${JSON.stringify(x)}`);

  const adm = await s.admin.get(`/round?account_id=${U.medR.id}`);
  assertStatus(adm, 200, 'admin: GET /round?account_id=medR');
  assert.deepEqual(adm.body.items.map((x) => x.person_id), [r2.pid, r3.pid, r1.pid]);

  const other = await medR.get(`/round?account_id=${U.medA2.id}`);
  assertError(other, 403, 'forbidden', undefined, 'medical worker: another\'s round');
  const own = await medR.get(`/round?account_id=${U.medR.id}`);
  assertStatus(own, 200, 'own round via account_id');
  const a2 = await s.admin.get(`/round?account_id=${U.medA2.id}`);
  assert.deepEqual(a2.body.items.map((x) => x.person_id), [r4.pid], 'medA2 has only r4');
  const bad = await medR.get('/round?date=2020-13-01');
  assertError(bad, 400, 'invalid_query', 'date', 'bad date');
  const v = await viewer.get('/round');
  assertError(v, 403, 'forbidden', undefined, 'viewer has no checks.write');

  s.setClock(shanghai('2020-02-03 12:30'));
  const noon = await medR.get('/round');
  const n2 = noon.body.items.find((x) => x.person_id === r2.pid);
  assert.equal(n2.slots[0].state, 'missed', `unchecked morning after noon: ${JSON.stringify(n2)}`);
  assert.equal(noon.body.items.find((x) => x.person_id === r1.pid).slots[0].state, 'done');
});

// ---- the board -----------------------------------------------------------------

test('board: per-village counts and totals agree with what was done', async () => {
  s.setClock(shanghai('2020-02-04 09:00'));
  const mk = async (name, address) => {
    const pid = await person(C, GC, name, address);
    return { pid, mid: (await startMeasure(pid, home())).id };
  };
  const c1 = await mk('秦一', '南旺村1号');
  const c2 = await mk('尤二', '南旺村2号');
  const c3 = await mk('许三', '南旺村3号');
  const c4 = await mk('何四', '南旺村4号');
  assertStatus(await s.admin.post(`/measures/${c4.mid}/changes`, { action: 'end', reason: '误录' }),
    200, 'end c4');
  await postCheck(s.admin, c1.mid, { temperature: 36.5 }, 'c1, slot of the hour');
  const f = await postCheck(s.admin, c2.mid, { temperature: 38.0, slot: 1 }, 'c2 fever');

  const rowOf = (b, v) => b.villages.find((x) => x.village_id === v.id);
  const counters = ['under_observation', 'due_today', 'done', 'missed', 'fever_open', 'release_due'];
  const pick = (row) => Object.fromEntries(counters.map((k) => [k, row?.[k]]));
  const consistent = (b) => {
    for (const k of counters)
      assert.equal(b.totals[k], b.villages.reduce((n, x) => n + x[k], 0), `totals.${k} = Σ villages`);
  };

  let b = await s.admin.get('/board');
  assertStatus(b, 200, 'GET /board');
  assert.equal(b.body.date, '2020-02-04');
  assert.deepEqual(b.body.villages.map((x) => x.village_id).sort((x, y) => x - y),
    [A.id, B.id, C.id], 'a row per village');
  assert.deepEqual(pick(rowOf(b.body, C)), { under_observation: 3, due_today: 6, done: 2,
    missed: 0, fever_open: 1, release_due: 0 }, `南旺村 at 09:00: ${show(b)}`);
  assert.deepEqual(pick(rowOf(b.body, B)), { under_observation: 0, due_today: 0, done: 0,
    missed: 0, fever_open: 0, release_due: 0 }, `西旺村: ${show(b)}`);
  consistent(b.body);

  // 东旺村: fever_open and release_due agree with the alerts and release lists
  const rowA = rowOf(b.body, A);
  const openFever = (await listAll(s.admin, '/alerts?kind=fever&open=1'))
    .filter((x) => villageOf[x.person_id] === A.id);
  assert.equal(rowA.fever_open, openFever.length, `东旺村 fever_open: ${JSON.stringify(rowA)}`);
  const rd = await s.admin.get('/release-due?date=2020-02-04');
  const dueA = rd.body.items.filter((x) => villageOf[x.person_id] === A.id);
  assert.ok(dueA.some((x) => x.id === M.m), `release due on 02-04: the 01-20 measure: ${show(rd)}`);
  assert.ok(!dueA.some((x) => x.id === M.policy), `not the 01-22 one (due 02-05): ${show(rd)}`);
  assert.equal(rowA.release_due, dueA.length, `东旺村 release_due: ${JSON.stringify(rowA)}`);
  // two slots a person, one for the once-a-day measure (王九)
  assert.equal(rowA.due_today, 2 * rowA.under_observation - 1, `东旺村 due_today: ${JSON.stringify(rowA)}`);

  // after noon: c3's morning is missed; c3's evening done
  s.setClock(shanghai('2020-02-04 12:30'));
  b = await s.admin.get('/board');
  assert.deepEqual(pick(rowOf(b.body, C)), { under_observation: 3, due_today: 6, done: 2,
    missed: 1, fever_open: 1, release_due: 0 }, `南旺村 at 12:30: ${show(b)}`);
  const ev = await postCheck(s.admin, c3.mid, { temperature: 36.9 }, 'c3 at 12:30, slot of the hour');
  assert.equal(ev.check.slot, 2, `after noon the slot of the hour is the evening: ${JSON.stringify(ev.check)}`);
  assertStatus(await step(s.admin, f.alert.id, { step: 'report' }), 200, 'report c2');
  assertStatus(await step(s.admin, f.alert.id, { step: 'outcome', outcome: '排除' }), 200, 'outcome c2');
  b = await s.admin.get('/board');
  assert.deepEqual(pick(rowOf(b.body, C)), { under_observation: 3, due_today: 6, done: 3,
    missed: 1, fever_open: 0, release_due: 0 }, `南旺村 after the evening check: ${show(b)}`);
  consistent(b.body);

  // an earlier day by ?date
  const y = await s.admin.get('/board?date=2020-02-03');
  assertStatus(y, 200, 'GET /board?date=2020-02-03');
  assert.equal(y.body.date, '2020-02-03');
  assert.deepEqual(pick(rowOf(y.body, C)), { under_observation: 0, due_today: 0, done: 0,
    missed: 0, fever_open: 0, release_due: 0 }, `南旺村 the day before: ${show(y)}`);
  assertError(await s.admin.get('/board?date=02-04'), 400, 'invalid_query', 'date', 'bad date');
  assert.equal(shanghaiDay(s.clock), '2020-02-04');
});
