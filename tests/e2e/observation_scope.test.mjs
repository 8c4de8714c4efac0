// observation_scope.test.mjs — home observation is limited to the
// account's villages (docs/api.md "Home observation": "Everything is
// limited to the account's villages"; records outside the scope read as
// not_found).  A village cadre of 西旺村 (B) against 东旺村 (A): measures,
// checks, chains, alerts and their steps, the round and the board.
// Every refused write also checks that nothing was stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  finish, idNumber, startObservationServer, shanghai, alertsSnapshot,
  settleAlerts, measureSnapshot, auditWrites,
} from './lib.mjs';

let s;
let A; let B; let GA; let GB;
let cadreB; let medA;
const U = {};
const P = {};   // people: a1, a2 in A; b1 in B
const M = {};   // their measures
const AL = {};  // fever alerts: a (in A), b (in B)

let seq = 501;
async function person(village, grid, name, address) {
  const r = await s.admin.post('/people', { name, village_id: village.id, grid_id: grid.id,
    address, id_number: idNumber('370724', '19900101', seq++) });
  assertStatus(r, 201, `POST /people ${name}`);
  return r.body.person.id;
}
async function startMeasure(pid, client = s.admin) {
  const r = await client.post(`/people/${pid}/measures`, { type: 'home_isolation', basis: 'start' });
  assertStatus(r, 201, `POST /people/${pid}/measures`);
  return r.body.id;
}
async function assign(pid, accountId, client = s.admin) {
  const r = await client.post(`/people/${pid}/chain`, { role: 'medical', account_id: accountId });
  assertStatus(r, [200, 201], `POST /people/${pid}/chain`);
}

before(async () => {
  s = await startObservationServer({ clock: shanghai('2020-02-03 09:00'), sweepSeconds: 1 });
  A = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  B = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  GA = await createPlace(s.admin, { type: 'grid', name: '东旺村第1网格', village_id: A.id });
  GB = await createPlace(s.admin, { type: 'grid', name: '西旺村第1网格', village_id: B.id });
  U.medA = await newUser(s.admin, { username: 'medA', role: 'medical', villages: [A.id] });
  U.cadreB = await newUser(s.admin, { username: 'cadreB', role: 'village_cadre', villages: [B.id] });
  medA = await loginAs(s.url, 'medA', 'user-pass-123');
  cadreB = await loginAs(s.url, 'cadreB', 'user-pass-123');

  P.a1 = await person(A, GA, '东一', '东旺村1号');
  P.a2 = await person(A, GA, '东二', '东旺村2号');
  P.b1 = await person(B, GB, '西一', '西旺村1号');
  M.a1 = await startMeasure(P.a1);
  M.a2 = await startMeasure(P.a2);
  M.b1 = await startMeasure(P.b1, cadreB);     // the cadre works their own village
  await assign(P.a1, U.medA.id);
  await assign(P.a2, U.medA.id);
  await assign(P.b1, U.cadreB.id, cadreB);
  let r = await medA.post(`/measures/${M.a1}/checks`, { temperature: 38.4, slot: 1 });
  assertStatus(r, 201, 'fever in A');
  AL.a = r.body.alert.id;
  r = await cadreB.post(`/measures/${M.b1}/checks`, { temperature: 37.8, slot: 1 });
  assertStatus(r, 201, 'fever in B (entered by the cadre of B)');
  AL.b = r.body.alert.id;
});
after(async () => { await finish(s); });

// unchanged: A's measures (with checks), every alert, A's chains and the
// person audit are as before.
async function unchanged(fn) {
  const alerts0 = await settleAlerts(s.admin);
  const m0 = [await measureSnapshot(s.admin, M.a1), await measureSnapshot(s.admin, M.a2)];
  const c0 = [(await s.admin.get(`/people/${P.a1}/chain`)).body,
    (await s.admin.get(`/people/${P.a2}/chain`)).body];
  const l0 = (await s.admin.get(`/people/${P.a2}/measures`)).body;
  const audit0 = (await auditWrites(s.admin, 'person')).length;
  await fn();
  assert.deepEqual([await measureSnapshot(s.admin, M.a1), await measureSnapshot(s.admin, M.a2)],
    m0, 'a measure of A changed');
  assert.deepEqual([(await s.admin.get(`/people/${P.a1}/chain`)).body,
    (await s.admin.get(`/people/${P.a2}/chain`)).body], c0, 'a chain of A changed');
  assert.deepEqual((await s.admin.get(`/people/${P.a2}/measures`)).body, l0,
    'the measures of a person of A changed');
  assert.deepEqual(await alertsSnapshot(s.admin), alerts0, 'the alerts changed');
  assert.equal((await auditWrites(s.admin, 'person')).length, audit0, 'a refused write was audited');
}

test('the cadre of B cannot read A\'s measures, chains or people (404)', async () => {
  assertError(await cadreB.get(`/measures/${M.a1}`), 404, 'not_found', undefined, 'GET A measure');
  assertError(await cadreB.get(`/people/${P.a1}/measures`), 404, 'not_found', undefined,
    'GET A person measures');
  assertError(await cadreB.get(`/people/${P.a1}/chain`), 404, 'not_found', undefined, 'GET A chain');
  const own = await cadreB.get(`/measures/${M.b1}`);
  assertStatus(own, 200, 'GET own measure');
  assert.equal(own.body.person_id, P.b1);
  const rd = await cadreB.get('/release-due?date=2020-03-01');
  assertStatus(rd, 200, 'GET /release-due');
  assert.deepEqual(rd.body.items.map((x) => x.id), [M.b1], `release-due: only B: ${show(rd)}`);
  // and the other way: the medical worker of A does not see B
  assertError(await medA.get(`/measures/${M.b1}`), 404, 'not_found', undefined, 'medA: B measure');
});

test('the cadre of B cannot enter checks for A\'s people, change A\'s measures or chains; nothing stored', async () => {
  await unchanged(async () => {
    let r = await cadreB.post(`/measures/${M.a2}/checks`, { temperature: 36.5, slot: 1 });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'check for A');
    r = await cadreB.post(`/measures/${M.a2}/checks`, { temperature: 39.5, slot: 1 });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'fever check for A');
    r = await cadreB.post(`/measures/${M.a2}/changes`, { action: 'extend', days: 7 });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'extend A measure');
    r = await cadreB.post(`/measures/${M.a2}/changes`, { action: 'end', reason: 'x' });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'end A measure');
    r = await cadreB.post(`/people/${P.a2}/measures`, { type: 'home_isolation', basis: 'start' });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'start a measure in A');
    r = await cadreB.post(`/people/${P.a2}/chain`, { role: 'medical', account_id: U.cadreB.id });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'chain in A');
    r = await cadreB.post('/chain/bulk', { role: 'village_cadre', account_id: U.cadreB.id,
      village_id: A.id });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'bulk chain in A');
    r = await cadreB.post(`/alerts/${AL.a}/steps`, { step: 'report' });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'report A alert');
    // the medical worker of A cannot check B's person either
    r = await medA.post(`/measures/${M.b1}/checks`, { temperature: 36.5, slot: 2 });
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'medA: check for B');
  });
});

test('GET /alerts of the cadre of B shows only B\'s alerts', async () => {
  const mine = await listAll(cadreB, '/alerts');
  assert.deepEqual(mine.map((x) => x.id), [AL.b], `only B's alert: ${JSON.stringify(mine)}`);
  assert.deepEqual(await listAll(cadreB, `/alerts?person_id=${P.a1}`), [], 'person_id of A');
  assert.deepEqual((await listAll(cadreB, '/alerts?kind=fever&open=1')).map((x) => x.id), [AL.b]);
  const a = await listAll(medA, '/alerts');
  assert.deepEqual(a.map((x) => x.id), [AL.a], `medA: only A's alert: ${JSON.stringify(a)}`);
  const all = await listAll(s.admin, '/alerts');
  assert.deepEqual(all.map((x) => x.id).sort((x, y) => x - y), [AL.a, AL.b].sort((x, y) => x - y));

  // after noon the sweep adds missed mornings (A: a2; B: none, b1 was checked)
  s.setClock(shanghai('2020-02-03 12:30'));
  await settleAlerts(s.admin);
  const later = await listAll(cadreB, '/alerts');
  assert.ok(later.every((x) => x.person_id === P.b1), `cadre of B after noon: ${JSON.stringify(later)}`);
  const missedA = await listAll(s.admin, `/alerts?kind=missed&person_id=${P.a2}`);
  assert.equal(missedA.length, 1, `A's missed morning exists: ${JSON.stringify(missedA)}`);
  assert.deepEqual(await listAll(cadreB, '/alerts?kind=missed'), [], 'cadre of B sees no missed alert of A');
});

test('the round and the board of the cadre of B show only B', async () => {
  const own = await cadreB.get('/round');
  assertStatus(own, 200, 'GET /round');
  assert.deepEqual(own.body.items.map((x) => x.person_id), [P.b1], show(own));
  const r = await cadreB.get(`/round?account_id=${U.medA.id}`);
  if (r.status === 200)
    assert.deepEqual(r.body.items, [], `the round of A's medical worker, seen from B: ${show(r)}`);
  else
    assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, 'round of medA');
  const medRound = await medA.get('/round');
  assert.deepEqual(medRound.body.items.map((x) => x.person_id).sort((x, y) => x - y),
    [P.a1, P.a2].sort((x, y) => x - y), show(medRound));

  const b = await cadreB.get('/board');
  assertStatus(b, 200, 'GET /board');
  assert.deepEqual(b.body.villages.map((x) => x.village_id), [B.id], `only B: ${show(b)}`);
  const row = b.body.villages[0];
  const pick = (x) => ({ under_observation: x.under_observation, due_today: x.due_today,
    done: x.done, missed: x.missed, fever_open: x.fever_open, release_due: x.release_due });
  assert.deepEqual(pick(row), { under_observation: 1, due_today: 2, done: 1, missed: 0,
    fever_open: 1, release_due: 0 }, `B at 12:30: ${show(b)}`);
  assert.deepEqual(pick(b.body.totals), pick(row), 'totals = B alone');
  const adm = await s.admin.get('/board');
  const rowA = adm.body.villages.find((x) => x.village_id === A.id);
  assert.deepEqual(pick(rowA), { under_observation: 2, due_today: 4, done: 1, missed: 1,
    fever_open: 1, release_due: 0 }, `A at 12:30 (admin): ${show(adm)}`);
  assert.equal(adm.body.totals.under_observation, 3);
  assert.equal(adm.body.totals.fever_open, 2);
});
