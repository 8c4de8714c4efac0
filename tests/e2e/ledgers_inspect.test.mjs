// ledgers_inspect.test.mjs — inspections and enterprises returning to
// work (docs/api-ledgers.md), on a server whose clock says 2020-02-10
// 09:00 in the town: a round's unvisited sites, a full-coverage round, an
// overdue fix and its walk to verified; an enterprise whose worker under
// home observation is counted as such in its daily summary (and one with
// a fever, and one present); bad input refused with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError, assertStatus, createPlace, listAll, finish, idNumber,
  startObservationServer, shanghai, newUser, loginAs,
} from './lib.mjs';

let s;
let A; let B; let P1; let P2; let V1; let PB;

before(async () => {
  s = await startObservationServer({ clock: shanghai('2020-02-10 09:00'), sweepSeconds: 60 });
  A = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  B = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  P1 = await createPlace(s.admin, { type: 'point', name: '东口', village_id: A.id });
  P2 = await createPlace(s.admin, { type: 'point', name: '西口', village_id: A.id });
  V1 = await createPlace(s.admin, { type: 'venue', name: '东旺超市', village_id: A.id,
    venue_kind: 'supermarket' });
  PB = await createPlace(s.admin, { type: 'point', name: '西旺卡口', village_id: B.id });
});
after(async () => { await finish(s); });

test('a round shows its unvisited sites and an overdue fix', async () => {
  const insp = await newUser(s.admin, { username: 'duban', role: 'inspector' });
  const c = await loginAs(s.url, 'duban', insp.password);
  let r = await c.post('/inspection-rounds', { name: '第3轮督查', team: '督导一组',
    day: '2020-02-05', sites: [P1.id, P2.id, V1.id] });
  assertStatus(r, 201, 'round');
  const round = r.body.round;
  assert.equal(round.sites, 3);
  assert.equal(round.visited, 0);
  r = await c.post('/inspection-visits', { round_id: round.id, place_id: P1.id,
    day: '2020-02-05', inspector: '刘督导', staff_on_duty: true, cover_24h: false,
    temps_taken: true, thermometer_ok: true, plates_phones: false, no_gathering: true,
    problems: '夜间无人值守', required_fix: '安排夜班', deadline: '2020-02-07',
    accountability: '约谈村支书' });
  assertStatus(r, 201, 'visit with a problem');
  const visit = r.body;
  assert.equal(visit.status, 'open');
  assert.equal(visit.overdue, true, 'deadline 2020-02-07 passed by 2020-02-10');
  assert.equal(visit.cover_24h, false);
  assert.equal(visit.staff_on_duty, true);
  r = await c.post('/inspection-visits', { round_id: round.id, place_id: V1.id,
    day: '2020-02-06', inspector: '刘督导', staff_on_duty: true });
  assertStatus(r, 201, 'visit without a problem');
  assert.equal(r.body.status, null);
  r = await c.get(`/inspection-rounds/${round.id}`);
  assertStatus(r, 200);
  assert.equal(r.body.round.visited, 2);
  assert.equal(r.body.round.open_problems, 1);
  const unvisited = r.body.sites.filter((x) => x.visits === 0).map((x) => x.place_name);
  assert.deepEqual(unvisited, ['西口']);
  const overdue = await listAll(c, '/inspections/overdue');
  assert.deepEqual(overdue.map((v) => v.id), [visit.id]);
  assert.deepEqual((await listAll(c, '/inspection-visits?status=overdue')).map((v) => v.id),
    [visit.id]);
  // a site outside the round is refused, nothing stored
  const n0 = (await listAll(c, '/inspection-visits')).length;
  assertError(await c.post('/inspection-visits', { round_id: round.id, place_id: PB.id }),
    422, 'invalid_field', 'place_id');
  assertError(await c.post('/inspection-visits', { round_id: round.id, place_id: P2.id,
    problems: '无登记' }), 422, 'missing_field', 'required_fix');
  assertError(await c.post('/inspection-visits', { round_id: round.id, place_id: P2.id,
    problems: '无登记', required_fix: '登记' }), 422, 'missing_field', 'deadline');
  assertError(await c.post('/inspection-visits', { round_id: round.id, place_id: P2.id,
    staff_on_duty: 'yes' }), 422, 'invalid_field', 'staff_on_duty');
  assert.equal((await listAll(c, '/inspection-visits')).length, n0);
  // the fix: fixed, then verified; no longer overdue
  r = await c.patch(`/inspection-visits/${visit.id}`, { status: 'fixed' });
  assertStatus(r, 200, 'fixed');
  assert.equal(r.body.overdue, false);
  assertError(await c.patch(`/inspection-visits/${visit.id}`, { status: 'fixed' }), 409, 'conflict');
  r = await c.patch(`/inspection-visits/${visit.id}`, { status: 'verified' });
  assertStatus(r, 200, 'verified');
  assert.equal(r.body.status, 'verified');
  assert.deepEqual(await listAll(c, '/inspections/overdue'), []);
});

test('a full-coverage round covers every point and venue', async () => {
  const r = await s.admin.post('/inspection-rounds', { name: '全覆盖督查',
    full_coverage: true });
  assertStatus(r, 201);
  assert.equal(r.body.round.full_coverage, true);
  assert.deepEqual(r.body.sites.map((x) => x.place_id).sort((a, b) => a - b),
    [P1.id, P2.id, V1.id, PB.id].sort((a, b) => a - b));
  assertError(await s.admin.post('/inspection-rounds', { name: 'x' }), 422, 'missing_field', 'sites');
  assertError(await s.admin.post('/inspection-rounds', { name: 'x', sites: [A.id] }),
    422, 'invalid_field', 'sites');
});

let seq = 11;
async function person(name) {
  const r = await s.admin.post('/people', { name, village_id: A.id,
    id_number: idNumber('370724', '19900101', seq++) });
  assertStatus(r, 201, `POST /people ${name}`);
  return r.body.person.id;
}

test('an enterprise\'s worker under home observation counts as such', async () => {
  const liaison = await newUser(s.admin, { username: 'lianluo', role: 'enterprise_liaison',
    villages: [A.id] });
  const lc = await loginAs(s.url, 'lianluo', liaison.password);
  let r = await lc.post('/enterprises', { name: '山旺机械厂', village_id: A.id,
    liaison_id: liaison.id, approval: 'approved', approval_date: '2020-02-09' });
  assertStatus(r, 201, 'enterprise');
  const ent = r.body.enterprise;
  assert.equal(ent.approval, 'approved');
  assert.equal(ent.liaison_username, 'lianluo');
  const p1 = await person('工人甲');
  const p2 = await person('工人乙');
  const p3 = await person('工人丙');
  // 乙 is under home isolation; 丙 too, and has a fever
  for (const pid of [p2, p3]) {
    const m = await s.admin.post(`/people/${pid}/measures`, { type: 'home_isolation', basis: 'start' });
    assertStatus(m, 201, 'measure');
    if (pid === p3) {
      const ch = await s.admin.post(`/measures/${m.body.id}/checks`, { temperature: 38.1, slot: 1 });
      assertStatus(ch, 201, 'fever check');
    }
  }
  for (const pid of [p1, p2, p3]) {
    r = await lc.post(`/enterprises/${ent.id}/workers`, { person_id: pid, since: '2020-02-09' });
    assertStatus(r, 201, 'worker');
  }
  assertError(await lc.post(`/enterprises/${ent.id}/workers`, { person_id: p1 }), 409, 'duplicate');
  r = await lc.get(`/enterprises/${ent.id}`);
  assertStatus(r, 200);
  const e = r.body.enterprise;
  assert.deepEqual([e.workers, e.present, e.under_observation, e.fever], [3, 1, 2, 1]);
  const w2 = r.body.workers.find((w) => w.person_id === p2);
  assert.equal(w2.measure, 'home_isolation');
  assert.equal(w2.fever, false);
  // the day before they joined: nobody on the roll
  r = await lc.get(`/enterprises/${ent.id}?date=2020-02-08`);
  assert.equal(r.body.enterprise.workers, 0);
  const list = await listAll(lc, '/enterprises?approval=approved');
  assert.deepEqual(list.map((x) => x.id), [ent.id]);
  // a worker leaves
  r = await lc.del(`/enterprises/${ent.id}/workers/${w2.id}`);
  assertStatus(r, 200);
  assert.equal(r.body.enterprise.workers, 2);
  assert.equal(r.body.enterprise.under_observation, 1);
  // bad input
  const n0 = (await listAll(s.admin, '/enterprises')).length;
  assertError(await lc.post('/enterprises', { name: '某厂', village_id: A.id, approval: 'maybe' }),
    422, 'invalid_field', 'approval');
  assertError(await lc.post('/enterprises', { village_id: A.id }), 422, 'missing_field', 'name');
  assertError(await lc.post('/enterprises', { name: '山旺机械厂', village_id: A.id }),
    409, 'duplicate', 'name');
  assertError(await lc.post('/enterprises', { name: '西厂', village_id: B.id }), 403, 'forbidden');
  assert.equal((await listAll(s.admin, '/enterprises')).length, n0);
  r = await lc.patch(`/enterprises/${ent.id}`, { approval: 'refused' });
  assertStatus(r, 200);
  assert.equal(r.body.enterprise.approval, 'refused');
});
