// places.test.mjs — villages, grids, prevention points and venues:
// create, list and filter, rename, deactivate, delete (docs/api.md /places).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, placesSnapshot, listAll,
  assertHealthy,
  finish,
} from './lib.mjs';

let s;
let east;
let west;
before(async () => { s = await startServer(); });
after(async () => { await finish(s); });

const ids = (items) => items.map((p) => p.id).sort((a, b) => a - b);

test('create a village: 201 with the documented shape', async () => {
  const r = await s.admin.post('/places', { type: 'village', name: '东村' });
  assertStatus(r, 201);
  east = r.body;
  assert.equal(typeof east.id, 'number');
  assert.equal(east.type, 'village');
  assert.equal(east.name, '东村');
  assert.equal(east.village_id, null);
  assert.equal(east.village_name, null);
  assert.equal(east.venue_kind, null);
  assert.equal(east.active, true);
  assert.match(east.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const g = await s.admin.get(`/places/${east.id}`);
  assertStatus(g, 200);
  assert.deepEqual(g.body, east);
  west = await createPlace(s.admin, { type: 'village', name: '西村' });
});

test('create a grid, a point and a venue inside a village', async () => {
  const grid = await createPlace(s.admin, { type: 'grid', name: '东村一组', village_id: east.id });
  assert.equal(grid.type, 'grid');
  assert.equal(grid.village_id, east.id);
  assert.equal(grid.village_name, '东村');
  assert.equal(grid.active, true);
  const point = await createPlace(s.admin, { type: 'point', name: '东村路口卡点', village_id: east.id });
  assert.equal(point.type, 'point');
  assert.equal(point.village_id, east.id);
  const venue = await createPlace(s.admin, { type: 'venue', name: '东村超市', village_id: east.id, venue_kind: 'supermarket' });
  assert.equal(venue.type, 'venue');
  assert.equal(venue.venue_kind, 'supermarket');
  assert.equal(venue.village_name, '东村');
  await createPlace(s.admin, { type: 'grid', name: '西村一组', village_id: west.id });
  await createPlace(s.admin, { type: 'venue', name: '西村药店', village_id: west.id, venue_kind: 'pharmacy' });
});

test('list and filter by type, village_id and active', async () => {
  const all = await listAll(s.admin, '/places');
  assert.equal(all.length, 7, show({ status: 200, body: all }));
  const grids = await listAll(s.admin, '/places?type=grid');
  assert.deepEqual(grids.map((p) => p.name).sort(), ['东村一组', '西村一组']);
  assert.ok(grids.every((p) => p.type === 'grid'));
  const villages = await listAll(s.admin, '/places?type=village');
  assert.deepEqual(villages.map((p) => p.name).sort(), ['东村', '西村']);
  const inEast = await listAll(s.admin, `/places?village_id=${east.id}`);
  assert.ok(inEast.every((p) => p.village_id === east.id || p.id === east.id), JSON.stringify(inEast));
  assert.deepEqual(inEast.filter((p) => p.id !== east.id).map((p) => p.name).sort(),
    ['东村一组', '东村超市', '东村路口卡点'].sort());
  const eastVenues = await listAll(s.admin, `/places?village_id=${east.id}&type=venue`);
  assert.deepEqual(eastVenues.map((p) => p.name), ['东村超市']);
  const active = await listAll(s.admin, '/places?active=1');
  assert.equal(active.length, 7);
  const inactive = await listAll(s.admin, '/places?active=0');
  assert.equal(inactive.length, 0);
});

test('pagination: limit and cursor walk every place exactly once', async () => {
  const all = await listAll(s.admin, '/places');
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    const r = await s.admin.get(`/places?limit=2${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assertStatus(r, 200);
    assert.ok(r.body.items.length <= 2, show(r));
    seen.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (cursor === null) break;
    assert.equal(typeof cursor, 'string');
  }
  assert.equal(cursor, null, 'cursor never ended');
  assert.deepEqual(ids(seen), ids(all));
  assert.equal(new Set(seen.map((p) => p.id)).size, seen.length, 'a place listed twice');
  const first = await s.admin.get('/places?limit=2');
  assert.equal(first.body.items.length, 2);
  assert.notEqual(first.body.next_cursor, null);
});

test('rename', async () => {
  const grid = (await listAll(s.admin, '/places?type=grid')).find((p) => p.name === '东村一组');
  const r = await s.admin.patch(`/places/${grid.id}`, { name: '东村第一网格' });
  assertStatus(r, 200);
  assert.equal(r.body.name, '东村第一网格');
  assert.equal(r.body.village_id, east.id);
  assert.equal((await s.admin.get(`/places/${grid.id}`)).body.name, '东村第一网格');
  // Renaming a village shows in its places' village_name.
  assertStatus(await s.admin.patch(`/places/${east.id}`, { name: '东庄村' }), 200);
  assert.equal((await s.admin.get(`/places/${grid.id}`)).body.village_name, '东庄村');
  assertStatus(await s.admin.patch(`/places/${east.id}`, { name: '东村' }), 200);
});

test('deactivate and reactivate', async () => {
  const venue = (await listAll(s.admin, '/places?type=venue')).find((p) => p.name === '东村超市');
  const r = await s.admin.patch(`/places/${venue.id}`, { active: false });
  assertStatus(r, 200);
  assert.equal(r.body.active, false);
  assert.equal((await s.admin.get(`/places/${venue.id}`)).body.active, false);
  assert.deepEqual((await listAll(s.admin, '/places?active=0')).map((p) => p.id), [venue.id]);
  assert.ok(!(await listAll(s.admin, '/places?active=1')).some((p) => p.id === venue.id));
  assert.ok((await listAll(s.admin, '/places')).some((p) => p.id === venue.id), 'default lists all');
  const r2 = await s.admin.patch(`/places/${venue.id}`, { active: true });
  assertStatus(r2, 200);
  assert.equal(r2.body.active, true);
  assert.equal((await listAll(s.admin, '/places?active=0')).length, 0);
  const r3 = await s.admin.patch(`/places/${venue.id}`, { venue_kind: 'office' });
  assertStatus(r3, 200);
  assert.equal(r3.body.venue_kind, 'office');
});

test('a grid needs a village_id: 422 field village_id, nothing created', async () => {
  const before = await placesSnapshot(s.admin);
  assertError(await s.admin.post('/places', { type: 'grid', name: '孤网格' }), 422, 'missing_field', 'village_id');
  assertError(await s.admin.post('/places', { type: 'point', name: '孤卡点' }), 422, 'missing_field', 'village_id');
  assertError(await s.admin.post('/places', { type: 'venue', name: '孤场所', venue_kind: 'other' }), 422, 'missing_field', 'village_id');
  const grid = before.find((p) => p.type === 'grid');
  // village_id must name a village (not a grid, not nothing).
  assertError(await s.admin.post('/places', { type: 'grid', name: '网中网', village_id: grid.id }),
    422, 'invalid_field', 'village_id');
  const r = await s.admin.post('/places', { type: 'grid', name: '幽灵网格', village_id: 987654 });
  assertError(r, [404, 422], ['not_found', 'invalid_field'], undefined, 'grid in a missing village');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('duplicate name in the same village → 409 duplicate; same name elsewhere is fine', async () => {
  const before = await placesSnapshot(s.admin);
  assertError(await s.admin.post('/places', { type: 'village', name: '东村' }), 409, 'duplicate');
  assertError(await s.admin.post('/places', { type: 'grid', name: '东村第一网格', village_id: east.id }), 409, 'duplicate');
  assert.deepEqual(await placesSnapshot(s.admin), before);
  const other = await createPlace(s.admin, { type: 'grid', name: '东村第一网格', village_id: west.id });
  assert.equal(other.village_id, west.id);
  // Renaming onto an existing name is a duplicate too, and leaves the name.
  const r = await s.admin.patch(`/places/${west.id}`, { name: '东村' });
  assertError(r, 409, 'duplicate');
  assert.equal((await s.admin.get(`/places/${west.id}`)).body.name, '西村');
});

test('DELETE a place without records: gone', async () => {
  const p = await createPlace(s.admin, { type: 'point', name: '临时卡点', village_id: west.id });
  const r = await s.admin.del(`/places/${p.id}`);
  assertStatus(r, [200, 204]);
  assertError(await s.admin.get(`/places/${p.id}`), 404, 'not_found');
  assert.ok(!(await listAll(s.admin, '/places')).some((x) => x.id === p.id));
  assertError(await s.admin.del(`/places/${p.id}`), 404, 'not_found', undefined, 'delete twice');
  const v = await createPlace(s.admin, { type: 'village', name: '空村' });
  assertStatus(await s.admin.del(`/places/${v.id}`), [200, 204]);
  assertError(await s.admin.get(`/places/${v.id}`), 404, 'not_found');
});

test('DELETE a village that has a grid → 409 has_records, both still there', async () => {
  const before = await placesSnapshot(s.admin);
  const r = await s.admin.del(`/places/${east.id}`);
  assertError(r, 409, 'has_records');
  assertStatus(await s.admin.get(`/places/${east.id}`), 200);
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('concurrent creates of one name: exactly one 201, the rest 409 duplicate', async () => {
  const tries = await Promise.all(Array.from({ length: 8 }, () =>
    s.admin.post('/places', { type: 'grid', name: '抢注网格', village_id: west.id })));
  const codes = tries.map((r) => r.status).sort();
  assert.deepEqual(codes, [201, 409, 409, 409, 409, 409, 409, 409], tries.map(show).join('\n'));
  for (const r of tries.filter((x) => x.status === 409)) assertError(r, 409, 'duplicate');
  const same = (await listAll(s.admin, `/places?village_id=${west.id}`)).filter((p) => p.name === '抢注网格');
  assert.equal(same.length, 1);
});

test('names round-trip exactly (quotes, backslash, markup, emoji)', async () => {
  const name = '王家"大院" \\ <b>&amp;</b> 🏠';
  const p = await createPlace(s.admin, { type: 'venue', name, village_id: west.id, venue_kind: 'other' });
  assert.equal(p.name, name);
  assert.equal((await s.admin.get(`/places/${p.id}`)).body.name, name);
  assert.ok((await listAll(s.admin, '/places?type=venue')).some((x) => x.name === name));
});

test('default page size is 100', async () => {
  const v = await createPlace(s.admin, { type: 'village', name: '大村' });
  await Promise.all(Array.from({ length: 120 }, (_, i) =>
    createPlace(s.admin, { type: 'grid', name: `大村${i}组`, village_id: v.id })));
  const r = await s.admin.get(`/places?village_id=${v.id}`);
  assertStatus(r, 200);
  assert.equal(r.body.items.length, 100);
  assert.equal(typeof r.body.next_cursor, 'string');
  const r2 = await s.admin.get(`/places?village_id=${v.id}&cursor=${encodeURIComponent(r.body.next_cursor)}`);
  assert.equal(r2.body.items.length, 20, show(r2));
  assert.equal(r2.body.next_cursor, null);
  assert.equal((await listAll(s.admin, `/places?village_id=${v.id}&type=grid`)).length, 120);
});

test('DELETE a village an account is scoped to → 409 has_records; the scope is kept', async () => {
  const v = await createPlace(s.admin, { type: 'village', name: '独村' });
  const u = await s.admin.post('/users', { username: 'du_cadre', display_name: '独', password: 'du-pass-123',
    role: 'village_cadre', villages: [v.id] });
  assertStatus(u, 201);
  const r = await s.admin.del(`/places/${v.id}`);
  assertError(r, 409, 'has_records');
  assertStatus(await s.admin.get(`/places/${v.id}`), 200);
  const acc = await s.admin.get(`/users/${u.body.id}`);
  assert.deepEqual(acc.body.villages, [v.id]);
  assert.equal(acc.body.scope_all, false);
});

test('GET /town and GET /roles', async () => {
  const t = await s.admin.get('/town');
  assertStatus(t, 200);
  assert.equal(t.body.name, '测试镇');
  assert.equal(t.body.tz, 'Asia/Shanghai');
  const r = await s.admin.get('/roles');
  assertStatus(r, 200);
  const codes = r.body.items.map((x) => x.code).sort();
  assert.deepEqual(codes, ['admin', 'assigned_cadre', 'checkpoint', 'enterprise_liaison',
    'inspector', 'medical', 'village_cadre', 'village_leader', 'viewer', 'volunteer'].sort());
  const cp = r.body.items.find((x) => x.code === 'checkpoint');
  assert.deepEqual([...cp.capabilities].sort(), ['checkpoint.write', 'places.read']);
  assert.equal(cp.name_zh, '卡口值守');
  const vc = r.body.items.find((x) => x.code === 'village_cadre');
  assert.ok(!vc.capabilities.includes('places.write'));
  assert.ok(!vc.capabilities.includes('users.manage'));
});

test('server still healthy', async () => { await assertHealthy(s.url); });
