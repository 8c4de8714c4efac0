// ledgers_scope.test.mjs — a village-scoped account sees and writes only
// its village's ledger entries (docs/api-ledgers.md "Scope"): a village
// cadre of 东旺村 (A) against 西旺村 (B) for supplies, disinfection, the
// gate log, inspections and enterprises.  Refused writes store nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError, assertStatus, createPlace, listAll, finish, newUser, loginAs,
} from './lib.mjs';
import { startServer } from './harness.mjs';

let s;
let A; let B; let PA; let PB; let VA; let VB;
let cadre;
let masks;

before(async () => {
  s = await startServer();
  A = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  B = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  PA = await createPlace(s.admin, { type: 'point', name: '东口', village_id: A.id });
  PB = await createPlace(s.admin, { type: 'point', name: '西口', village_id: B.id });
  VA = await createPlace(s.admin, { type: 'venue', name: '东超市', village_id: A.id });
  VB = await createPlace(s.admin, { type: 'venue', name: '西超市', village_id: B.id });
  const u = await newUser(s.admin, { username: 'cunA', role: 'village_cadre', villages: [A.id] });
  cadre = await loginAs(s.url, 'cunA', u.password);
  masks = (await listAll(s.admin, '/supply-items')).find((i) => i.name === '医用口罩');
  assertStatus(await s.admin.post('/supplies', { kind: 'receipt', item_id: masks.id,
    quantity: 100, source: 'allocated' }), 201);
  for (const [place, who] of [[PA, '甲'], [PB, '乙']]) {
    assertStatus(await s.admin.post('/supplies', { kind: 'issue', item_id: masks.id,
      quantity: 10, place_id: place.id, recipient: who }), 201);
    assertStatus(await s.admin.post('/disinfection', { place_id: place.id, area: 100,
      agent: '84', method: 'spray', operator: who }), 201);
  }
  for (const v of [VA, VB]) {
    assertStatus(await s.admin.post('/visitors', { place_id: v.id, name: `访客${v.name}`,
      temperature: 36.5 }), 201);
  }
  const round = await s.admin.post('/inspection-rounds', { name: '全覆盖', full_coverage: true });
  assertStatus(round, 201);
  for (const p of [PA, PB]) {
    assertStatus(await s.admin.post('/inspection-visits', { round_id: round.body.round.id,
      place_id: p.id, problems: '缺登记', required_fix: '补登记', deadline: '2099-01-01' }), 201);
  }
  for (const v of [A, B]) {
    assertStatus(await s.admin.post('/enterprises', { name: `${v.name}厂`, village_id: v.id }), 201);
  }
});
after(async () => { await finish(s); });

const villagesOf = (items) => [...new Set(items.map((x) => x.village_id))];

test('lists show only the cadre\'s village', async () => {
  const moves = await listAll(cadre, '/supplies');
  assert.deepEqual(villagesOf(moves), [A.id], 'issues of A only, no town receipts');
  const stock = await cadre.get('/supplies/stock');
  assertStatus(stock, 200);
  assert.deepEqual(stock.body.places.map((p) => p.place_id), [PA.id]);
  const m = stock.body.items.find((i) => i.id === masks.id);
  assert.equal(m.stock, null, 'the town store is for town-wide accounts');
  assert.equal(m.issued, 10);
  assert.deepEqual(villagesOf(await listAll(cadre, '/disinfection')), [A.id]);
  const tot = await cadre.get('/disinfection/totals');
  assert.deepEqual(tot.body.total, { records: 1, area: 100 });
  assert.deepEqual(villagesOf(await listAll(cadre, '/visitors')), [A.id]);
  assert.deepEqual(villagesOf(await listAll(cadre, '/inspection-visits')), [A.id]);
  const rounds = await listAll(cadre, '/inspection-rounds');
  assert.equal(rounds[0].sites, 2, 'the round\'s sites in A only');
  assert.deepEqual(villagesOf(await listAll(cadre, '/enterprises')), [A.id]);
});

test('records of another village read as not found', async () => {
  const moveB = (await listAll(s.admin, `/supplies?place_id=${PB.id}`))[0];
  assertError(await cadre.get(`/supplies/${moveB.id}`), 404, 'not_found');
  const dB = (await listAll(s.admin, `/disinfection?village_id=${B.id}`))[0];
  assertError(await cadre.get(`/disinfection/${dB.id}`), 404, 'not_found');
  const vB = (await listAll(s.admin, `/visitors?village_id=${B.id}`))[0];
  assertError(await cadre.get(`/visitors/${vB.id}`), 404, 'not_found');
  const eB = (await listAll(s.admin, `/enterprises?village_id=${B.id}`))[0];
  assertError(await cadre.get(`/enterprises/${eB.id}`), 404, 'not_found');
});

test('writes in another village are refused and store nothing', async () => {
  const d0 = (await listAll(s.admin, '/disinfection')).length;
  const v0 = (await listAll(s.admin, '/visitors')).length;
  assertError(await cadre.post('/disinfection', { place_id: PB.id, area: 5, agent: '84',
    method: 'spray', operator: 'x' }), 403, 'forbidden', 'place_id');
  assertError(await cadre.post('/disinfection', { place_text: '某地', village_id: B.id,
    area: 5, agent: '84', method: 'spray', operator: 'x' }), 403, 'forbidden', 'village_id');
  assertError(await cadre.post('/disinfection', { place_text: '某地', area: 5, agent: '84',
    method: 'spray', operator: 'x' }), 422, 'missing_field', 'village_id');
  assertError(await cadre.post('/visitors', { place_id: VB.id, name: 'x', temperature: 38 }),
    403, 'forbidden', 'place_id');
  assert.equal((await listAll(s.admin, '/disinfection')).length, d0);
  assert.equal((await listAll(s.admin, '/visitors')).length, v0);
  // the cadre's own village works
  assertStatus(await cadre.post('/disinfection', { place_id: PA.id, area: 5, agent: '84',
    method: 'wipe', operator: 'x' }), 201);
  // no capability: supplies and inspections are not the cadre's to write
  assertError(await cadre.post('/supplies', { kind: 'issue', item_id: masks.id, quantity: 1,
    place_id: PA.id, recipient: 'x' }), 403, 'forbidden');
  assertError(await cadre.post('/inspection-rounds', { name: 'x', full_coverage: true }),
    403, 'forbidden');
});

test('a scoped supplies writer may issue to its village but not receive', async () => {
  const u = await newUser(s.admin, { username: 'wuziA', role: 'admin', villages: [A.id] });
  const c = await loginAs(s.url, 'wuziA', u.password);
  assertError(await c.post('/supplies', { kind: 'receipt', item_id: masks.id, quantity: 1,
    source: 'allocated' }), 403, 'forbidden');
  assertError(await c.post('/supplies', { kind: 'issue', item_id: masks.id, quantity: 1,
    place_id: PB.id, recipient: 'x' }), 403, 'forbidden', 'place_id');
  assertStatus(await c.post('/supplies', { kind: 'issue', item_id: masks.id, quantity: 1,
    place_id: PA.id, recipient: 'x' }), 201);
  const moveB = (await listAll(s.admin, `/supplies?place_id=${PB.id}`))[0];
  assertError(await c.post(`/supplies/${moveB.id}/reverse`, {}), 404, 'not_found');
});
