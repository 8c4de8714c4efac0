// scope.test.mjs — a scoped account sees and changes only its villages;
// a role without a capability is refused (docs/roles.md, docs/api.md 403/404).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, placesSnapshot, usersSnapshot,
  newUser, loginAs, listAll, assertHealthy,
  finish,
} from './lib.mjs';

let s;
const A = {};
const B = {};
let cadre;        // village_cadre scoped to A (read only on places)
let leader;       // village_leader scoped to A (places.write)

before(async () => {
  s = await startServer();
  for (const [o, n] of [[A, '甲村'], [B, '乙村']]) {
    o.village = await createPlace(s.admin, { type: 'village', name: n });
    const vid = o.village.id;
    o.grid = await createPlace(s.admin, { type: 'grid', name: `${n}一组`, village_id: vid });
    o.point = await createPlace(s.admin, { type: 'point', name: `${n}卡点`, village_id: vid });
    o.venue = await createPlace(s.admin, { type: 'venue', name: `${n}超市`, village_id: vid, venue_kind: 'supermarket' });
    o.ids = [vid, o.grid.id, o.point.id, o.venue.id].sort((a, b) => a - b);
  }
  await newUser(s.admin, { username: 'cadre_a', role: 'village_cadre', villages: [A.village.id] });
  await newUser(s.admin, { username: 'leader_a', role: 'village_leader', villages: [A.village.id] });
  cadre = await loginAs(s.url, 'cadre_a', 'user-pass-123');
  leader = await loginAs(s.url, 'leader_a', 'user-pass-123');
});
after(async () => { await finish(s); });

const sorted = (items) => items.map((p) => p.id).sort((a, b) => a - b);
const inA = (p) => p.id === A.village.id || p.village_id === A.village.id;

// outOfScope asserts a refusal for a record outside the caller's villages.
function assertHidden(r, what) {
  assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, what);
}

test('/me of a scoped account names its villages', async () => {
  const me = await cadre.get('/me');
  assertStatus(me, 200);
  assert.deepEqual(me.body.user.villages, [A.village.id]);
  assert.equal(me.body.user.scope_all, false);
});

test('a scoped account sees only its village in every list', async () => {
  for (const c of [cadre, leader]) {
    const all = await listAll(c, '/places');
    assert.deepEqual(sorted(all), A.ids, `GET /places: ${JSON.stringify(all.map((p) => p.name))}`);
    for (const t of ['village', 'grid', 'point', 'venue']) {
      const items = await listAll(c, `/places?type=${t}`);
      assert.deepEqual(sorted(items), [A[t].id], `type=${t}: ${JSON.stringify(items.map((p) => p.name))}`);
    }
    for (const q of ['active=1', 'active=0', `village_id=${A.village.id}`]) {
      const items = await listAll(c, `/places?${q}`);
      assert.ok(items.every(inA), `${q}: ${JSON.stringify(items.map((p) => p.name))}`);
    }
    const r = await c.get(`/places?village_id=${B.village.id}`);
    if (r.status === 200) assert.deepEqual(r.body.items, [], `village_id=B leaks: ${show(r)}`);
    else assertHidden(r, 'list village_id=B');
  }
});

test('paging does not leak other villages', async () => {
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    const r = await cadre.get(`/places?limit=1${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assertStatus(r, 200);
    seen.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (cursor === null) break;
  }
  assert.deepEqual(sorted(seen), A.ids);
});

test('reading A\'s records works, reading B\'s is refused', async () => {
  for (const c of [cadre, leader]) {
    for (const k of ['village', 'grid', 'point', 'venue']) {
      const r = await c.get(`/places/${A[k].id}`);
      assertStatus(r, 200, `GET own ${k}`);
      assert.equal(r.body.name, A[k].name);
      assertHidden(await c.get(`/places/${B[k].id}`), `GET B's ${k}`);
    }
  }
});

test('changing or deleting B\'s places is refused and changes nothing', async () => {
  const before = await placesSnapshot(s.admin);
  for (const c of [cadre, leader]) {
    for (const k of ['village', 'grid', 'point', 'venue']) {
      assertHidden(await c.patch(`/places/${B[k].id}`, { name: '被改了' }), `PATCH B's ${k}`);
      assertHidden(await c.patch(`/places/${B[k].id}`, { active: false }), `deactivate B's ${k}`);
      assertHidden(await c.del(`/places/${B[k].id}`), `DELETE B's ${k}`);
    }
  }
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('creating a grid under B is refused; under A a leader may', async () => {
  const before = await placesSnapshot(s.admin);
  for (const c of [cadre, leader]) {
    for (const t of ['grid', 'point', 'venue']) {
      const body = { type: t, name: `越界${t}`, village_id: B.village.id };
      if (t === 'venue') body.venue_kind = 'other';
      assertHidden(await c.post('/places', body), `create ${t} under B`);
    }
  }
  assert.deepEqual(await placesSnapshot(s.admin), before);
  const g = await createPlace(leader, { type: 'grid', name: '甲村二组', village_id: A.village.id });
  assert.equal(g.village_id, A.village.id);
  const r = await leader.patch(`/places/${g.id}`, { name: '甲村第二组' });
  assertStatus(r, 200, 'leader renames a grid of A');
  assertStatus(await leader.del(`/places/${g.id}`), [200, 204], 'leader deletes a grid of A');
});

test('refusals do not reveal what exists in B (no 409 for B\'s names)', async () => {
  const before = await placesSnapshot(s.admin);
  const r = await leader.post('/places', { type: 'grid', name: B.grid.name, village_id: B.village.id });
  assertHidden(r, 'create a duplicate name under B');
  const r2 = await leader.get(`/places?village_id=${B.village.id}&type=grid`);
  if (r2.status === 200) assert.deepEqual(r2.body.items, []);
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('a village cadre (no places.write) cannot create, change or delete places at all', async () => {
  const before = await placesSnapshot(s.admin);
  assertError(await cadre.post('/places', { type: 'grid', name: '甲村三组', village_id: A.village.id }), 403, 'forbidden');
  assertError(await cadre.patch(`/places/${A.grid.id}`, { name: '改' }), 403, 'forbidden');
  assertError(await cadre.del(`/places/${A.point.id}`), 403, 'forbidden');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('scoped accounts cannot create villages (whole-town scope only) nor change their own', async () => {
  const before = await placesSnapshot(s.admin);
  assertError(await cadre.post('/places', { type: 'village', name: '新村' }), 403, 'forbidden');
  assertError(await leader.post('/places', { type: 'village', name: '新村' }), 403, 'forbidden');
  assertError(await leader.patch(`/places/${A.village.id}`, { name: '甲庄' }), 403, 'forbidden');
  assertError(await leader.del(`/places/${A.village.id}`), [403, 409], ['forbidden', 'has_records']);
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('a scoped account cannot list or manage users, nor read the audit log', async () => {
  const before = await usersSnapshot(s.admin);
  for (const c of [cadre, leader]) {
    assertError(await c.get('/users'), 403, 'forbidden');
    assertError(await c.post('/users', { username: 'x1', display_name: 'x', password: 'xxxx-xxxx-1',
      role: 'admin', villages: [] }), 403, 'forbidden');
    assertError(await c.get('/audit'), 403, 'forbidden');
    assertError(await c.get('/audit/verify'), 403, 'forbidden');
  }
  assert.deepEqual(await usersSnapshot(s.admin), before);
});

test('a role without the capability gets 403 on that route (checkpoint on POST /places)', async () => {
  await newUser(s.admin, { username: 'gate', role: 'checkpoint', villages: [] });
  const c = await loginAs(s.url, 'gate', 'user-pass-123');
  const before = await placesSnapshot(s.admin);
  assertError(await c.post('/places', { type: 'village', name: '卡口村' }), 403, 'forbidden');
  assertError(await c.post('/places', { type: 'grid', name: '卡口组', village_id: A.village.id }), 403, 'forbidden');
  assertError(await c.patch(`/places/${A.grid.id}`, { name: '卡口' }), 403, 'forbidden');
  assertError(await c.del(`/places/${A.point.id}`), 403, 'forbidden');
  assert.deepEqual(await placesSnapshot(s.admin), before);
  // places.read is there, whole town.
  assert.deepEqual(sorted(await listAll(c, '/places')), sorted(before));
  await newUser(s.admin, { username: 'looker', role: 'viewer', villages: [] });
  const v = await loginAs(s.url, 'looker', 'user-pass-123');
  assertError(await v.post('/places', { type: 'village', name: '看村' }), 403, 'forbidden');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('an unscoped leader sees and writes the whole town', async () => {
  await newUser(s.admin, { username: 'leader_all', role: 'village_leader', villages: [] });
  const c = await loginAs(s.url, 'leader_all', 'user-pass-123');
  const all = await listAll(c, '/places');
  assert.deepEqual(sorted(all), [...A.ids, ...B.ids].sort((a, b) => a - b));
  const g = await createPlace(c, { type: 'grid', name: '乙村二组', village_id: B.village.id });
  assertStatus(await c.del(`/places/${g.id}`), [200, 204]);
});

test('a scope of two villages sees both', async () => {
  await newUser(s.admin, { username: 'cadre_ab', role: 'village_cadre', villages: [A.village.id, B.village.id] });
  const c = await loginAs(s.url, 'cadre_ab', 'user-pass-123');
  assert.deepEqual(sorted(await listAll(c, '/places')), [...A.ids, ...B.ids].sort((a, b) => a - b));
});

test('bearer tokens carry the account\'s scope', async () => {
  const t = await cadre.post('/tokens', { name: 'cadre-script' });
  assertStatus(t, 201);
  const b = new Client(s.url);
  b.bearer = t.body.token;
  assert.deepEqual(sorted(await listAll(b, '/places')), A.ids);
  assertHidden(await b.get(`/places/${B.grid.id}`), 'bearer GET B grid');
  assertError(await b.get('/users'), 403, 'forbidden');
});

test('moving an account to another village takes effect for its open session', async () => {
  const u = (await listAll(s.admin, '/users')).find((x) => x.username === 'cadre_a');
  assertStatus(await s.admin.patch(`/users/${u.id}`, { villages: [B.village.id] }), 200);
  const fresh = await loginAs(s.url, 'cadre_a', 'user-pass-123');
  assert.deepEqual(sorted(await listAll(fresh, '/places')), B.ids, 'fresh session after scope change');
  assert.deepEqual(sorted(await listAll(cadre, '/places')), B.ids, 'open session after scope change');
  assertHidden(await cadre.get(`/places/${A.grid.id}`), 'old village after scope change');
});

test('server still healthy', async () => { await assertHealthy(s.url); });
