// ledgers_regress.test.mjs — regressions found in review: an item named
// with a trailing space is the same item; an area that rounds to nothing
// is refused on its field; amounts export with all their digits; a
// worker who left may come back; a scoped cadre does not see the health
// of an enterprise's workers from other villages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, createPlace, newUser, loginAs, finish, idNumber,
} from './lib.mjs';

let s;
let A; let B;
let cadreA;

before(async () => {
  s = await startServer();
  A = await createPlace(s.admin, { type: 'village', name: '甲村' });
  B = await createPlace(s.admin, { type: 'village', name: '乙村' });
  await newUser(s.admin, { username: 'cadre_a', role: 'village_cadre', villages: [A.id] });
  cadreA = await loginAs(s.url, 'cadre_a', 'user-pass-123');
});
after(async () => { await finish(s); });

test('an item named with spaces around it is the item of that name', async () => {
  const r = await s.admin.post('/supply-items', { name: '酒精棉片', unit: '片' });
  assertStatus(r, 201);
  assertError(await s.admin.post('/supply-items', { name: '酒精棉片　', unit: '片' }),
    409, 'duplicate', 'name');
  assertError(await s.admin.post('/supply-items', { name: ' 酒精棉片', unit: '片' }),
    409, 'duplicate', 'name');
});

test('amounts keep their digits in an export; a stock of odd floats issues whole', async () => {
  const it = await s.admin.post('/supply-items', { name: '过氧乙酸', unit: 'kg' });
  assertStatus(it, 201);
  const id = it.body.id;
  for (const q of [83662498.982, 47687685.549]) {
    assertStatus(await s.admin.post('/supplies', { kind: 'receipt', item_id: id,
      quantity: q, source: 'allocated' }), 201);
  }
  const csv = await s.admin.request('GET', '/api/v1/supplies/export?format=csv');
  assertStatus(csv, 200);
  assert.match(csv.body, /83662498\.982/);
  assert.match(csv.body, /47687685\.549/);
  // exactly the whole stock may be issued
  assertStatus(await s.admin.post('/supplies', { kind: 'issue', item_id: id,
    quantity: 131350184.531, place_id: A.id, recipient: '甲村村委' }), 201);
});

test('an area that rounds to nothing is refused on its field', async () => {
  assertError(await s.admin.post('/disinfection', { place_id: A.id, area: 0.04,
    agent: '含氯消毒剂', method: 'spray', operator: '王五' }), 422, 'invalid_field', 'area');
});

test('a worker who left may come back; workers of other villages stay hidden', async () => {
  const pa = await s.admin.post('/people', { name: '甲工', village_id: A.id,
    id_number: idNumber('370724', '19900101', 11) });
  const pb = await s.admin.post('/people', { name: '乙工', village_id: B.id,
    id_number: idNumber('370724', '19900101', 12) });
  assertStatus(pa, 201);
  assertStatus(pb, 201);
  const e = await s.admin.post('/enterprises', { name: '甲厂', village_id: A.id });
  assertStatus(e, 201);
  const eid = e.body.enterprise.id;
  const wa = await s.admin.post(`/enterprises/${eid}/workers`, { person_id: pa.body.person.id });
  assertStatus(wa, 201);
  assertStatus(await s.admin.post(`/enterprises/${eid}/workers`, { person_id: pb.body.person.id }), 201);
  const wid = wa.body.workers.find((w) => w.person_id === pa.body.person.id).id;
  assertStatus(await s.admin.del(`/enterprises/${eid}/workers/${wid}`), [200, 204]);
  assertStatus(await s.admin.post(`/enterprises/${eid}/workers`, { person_id: pa.body.person.id }), 201);
  const seen = await cadreA.get(`/enterprises/${eid}`);
  assertStatus(seen, 200);
  const names = seen.body.workers.map((w) => w.name);
  assert.ok(names.includes('甲工'), JSON.stringify(names));
  assert.ok(!names.includes('乙工'), JSON.stringify(names));
});

test('the visitor log exports with the same fever filter as its list', async () => {
  const gate = await createPlace(s.admin, { type: 'venue', name: '镇政府大门', village_id: A.id,
    venue_kind: 'office' });
  for (const [name, t] of [['来访甲', 36.4], ['来访乙', 37.9]]) {
    assertStatus(await s.admin.post('/visitors', { place_id: gate.id, name, temperature: t }), 201);
  }
  const list = await s.admin.get('/visitors?fever=1');
  assertStatus(list, 200);
  assert.deepEqual(list.body.items.map((v) => v.name), ['来访乙']);
  const csv = await s.admin.request('GET', '/api/v1/visitors/export?fever=1');
  assertStatus(csv, 200);
  assert.match(csv.body, /来访乙/);
  assert.doesNotMatch(csv.body, /来访甲/);
});

test('an enterprise liaison must be one: not any account id', async () => {
  const me = await s.admin.get('/me');
  const viewer = await newUser(s.admin, { username: 'viewer_x', role: 'viewer' });
  const li = await newUser(s.admin, { username: 'liaison_b', role: 'enterprise_liaison',
    villages: [B.id] });
  const e = await s.admin.post('/enterprises', { name: '乙厂', village_id: A.id,
    liaison_id: viewer.id });
  assertError(e, 422, 'invalid_field', 'liaison_id');
  assertError(await s.admin.post('/enterprises', { name: '乙厂', village_id: A.id,
    liaison_id: li.id }), 422, 'invalid_field', 'liaison_id');
  assertStatus(await s.admin.post('/enterprises', { name: '乙厂', village_id: A.id,
    liaison_id: me.body.user.id }), 201);
});

test('an inspection round is named once', async () => {
  const site = await createPlace(s.admin, { type: 'point', name: '甲村东口', village_id: A.id });
  assertStatus(await s.admin.post('/inspection-rounds', { name: '第9轮督查', sites: [site.id] }), 201);
  assertError(await s.admin.post('/inspection-rounds', { name: '第9轮督查', sites: [site.id] }),
    409, 'duplicate', 'name');
});
