// users.test.mjs — account management over the API (docs/api.md /users).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, usersSnapshot, newUser,
  loginAs, listAll, assertHealthy,
  finish,
} from './lib.mjs';

let s;
let east;
let west;
before(async () => {
  s = await startServer();
  east = await createPlace(s.admin, { type: 'village', name: '东村' });
  west = await createPlace(s.admin, { type: 'village', name: '西村' });
});
after(async () => { await finish(s); });

test('create an account: 201 with the documented shape, no secrets', async () => {
  const r = await s.admin.post('/users', { username: 'dongcun', display_name: '张三',
    password: 'zhang-pass-1', role: 'village_cadre', villages: [east.id] });
  assertStatus(r, 201);
  const a = r.body;
  assert.equal(typeof a.id, 'number');
  assert.equal(a.username, 'dongcun');
  assert.equal(a.display_name, '张三');
  assert.equal(a.role, 'village_cadre');
  assert.deepEqual(a.villages, [east.id]);
  assert.equal(a.scope_all, false);
  assert.equal(a.disabled, false);
  assert.equal(typeof a.created_at, 'string');
  assert.equal(a.last_login_at, null);
  assert.ok(!/password|hash|salt/i.test(JSON.stringify(a)), `account leaks secrets: ${show(r)}`);
  const g = await s.admin.get(`/users/${a.id}`);
  assertStatus(g, 200);
  assert.equal(g.body.username, 'dongcun');
  const all = await listAll(s.admin, '/users');
  assert.ok(all.some((u) => u.username === 'admin'));
  assert.ok(all.some((u) => u.id === a.id));
  assert.ok(!/password|hash|salt/i.test(JSON.stringify(all)), 'GET /users leaks secrets');
});

test('the new account logs in and sees its role and scope; last_login_at is set', async () => {
  const c = await loginAs(s.url, 'dongcun', 'zhang-pass-1');
  const me = await c.get('/me');
  assert.equal(me.body.user.role, 'village_cadre');
  assert.deepEqual(me.body.user.villages, [east.id]);
  assert.equal(me.body.user.scope_all, false);
  assert.ok(!me.body.capabilities.includes('users.manage'));
  assert.ok(me.body.capabilities.includes('places.read'));
  const u = (await listAll(s.admin, '/users')).find((x) => x.username === 'dongcun');
  assert.equal(typeof u.last_login_at, 'string', 'last_login_at after login');
});

test('empty villages = whole town', async () => {
  const u = await newUser(s.admin, { username: 'townwide', role: 'viewer', villages: [] });
  assert.equal(u.scope_all, true);
  assert.deepEqual(u.villages, []);
});

test('duplicate username → 409, nothing added', async () => {
  const before = await usersSnapshot(s.admin);
  const r = await s.admin.post('/users', { username: 'dongcun', display_name: '又一个',
    password: 'other-pass-1', role: 'viewer', villages: [] });
  assertError(r, 409, ['duplicate', 'conflict']);
  assert.deepEqual(await usersSnapshot(s.admin), before);
  await loginAs(s.url, 'dongcun', 'zhang-pass-1');
});

test('passwords: at least 8 characters (characters, not bytes)', async () => {
  const before = await usersSnapshot(s.admin);
  for (const pw of ['abcdefg', '密码密码', '']) {
    const r = await s.admin.post('/users', { username: 'pwlen', display_name: 'x', password: pw,
      role: 'viewer', villages: [] });
    assertError(r, 422, ['invalid_field', 'missing_field'], 'password', `password ${JSON.stringify(pw)}`);
  }
  assert.deepEqual(await usersSnapshot(s.admin), before);
  await newUser(s.admin, { username: 'pw8', role: 'viewer', password: 'abcdefgh' });
  await loginAs(s.url, 'pw8', 'abcdefgh');
  await newUser(s.admin, { username: 'pwzh', role: 'viewer', password: '防疫密码防疫密码' });
  await loginAs(s.url, 'pwzh', '防疫密码防疫密码');
});

test('a scope must name villages, not grids', async () => {
  const grid = await createPlace(s.admin, { type: 'grid', name: '东村一组', village_id: east.id });
  const before = await usersSnapshot(s.admin);
  const r = await s.admin.post('/users', { username: 'gridscope', display_name: 'x',
    password: 'long-pass-11', role: 'village_cadre', villages: [grid.id] });
  assertError(r, 422, 'invalid_field', 'villages');
  assert.deepEqual(await usersSnapshot(s.admin), before);
});

test('PATCH display_name, role and villages', async () => {
  const u = (await listAll(s.admin, '/users')).find((x) => x.username === 'dongcun');
  const r = await s.admin.patch(`/users/${u.id}`, { display_name: '张老三', role: 'village_leader', villages: [east.id, west.id] });
  assertStatus(r, 200);
  assert.equal(r.body.display_name, '张老三');
  assert.equal(r.body.role, 'village_leader');
  assert.deepEqual([...r.body.villages].sort((a, b) => a - b), [east.id, west.id].sort((a, b) => a - b));
  const g = await s.admin.get(`/users/${u.id}`);
  assert.equal(g.body.role, 'village_leader');
  const c = await loginAs(s.url, 'dongcun', 'zhang-pass-1');
  assert.ok((await c.get('/me')).body.capabilities.includes('places.write'));
  const before = await usersSnapshot(s.admin);
  assertError(await s.admin.patch(`/users/${u.id}`, { role: 'emperor' }), 422, 'invalid_field', 'role');
  assertError(await s.admin.patch(`/users/${u.id}`, { villages: [987654] }), 422, 'invalid_field', 'villages');
  assertError(await s.admin.patch('/users/987654', { role: 'viewer' }), 404, 'not_found');
  assert.deepEqual(await usersSnapshot(s.admin), before);
  assertStatus(await s.admin.patch(`/users/${u.id}`, { role: 'village_cadre', villages: [east.id] }), 200);
});

test('disable and enable over the API', async () => {
  const u = await newUser(s.admin, { username: 'onoff', role: 'viewer' });
  assertStatus(await s.admin.patch(`/users/${u.id}`, { disabled: true }), 200);
  assert.equal((await s.admin.get(`/users/${u.id}`)).body.disabled, true);
  const c = new Client(s.url);
  const r = await c.post('/login', { username: 'onoff', password: 'user-pass-123' });
  assertError(r, [401, 403]);
  assertStatus(await s.admin.patch(`/users/${u.id}`, { disabled: false }), 200);
  await loginAs(s.url, 'onoff', 'user-pass-123');
});

test('accounts without users.manage get 403 on every /users route, nothing changes', async () => {
  const leader = await newUser(s.admin, { username: 'leader1', role: 'village_leader', villages: [east.id] });
  const c = await loginAs(s.url, 'leader1', leader.password);
  const before = await usersSnapshot(s.admin);
  assertError(await c.get('/users'), 403, 'forbidden');
  assertError(await c.get(`/users/${leader.id}`), 403, 'forbidden');
  assertError(await c.post('/users', { username: 'evil', display_name: 'e', password: 'evil-pass-1',
    role: 'admin', villages: [] }), 403, 'forbidden');
  assertError(await c.patch(`/users/${leader.id}`, { role: 'admin', villages: [] }), 403, 'forbidden');
  assertError(await c.post(`/users/${leader.id}/password`, { password: 'evil-pass-1' }), 403, 'forbidden');
  assert.deepEqual(await usersSnapshot(s.admin), before);
  const me = await c.get('/me');
  assert.equal(me.body.user.role, 'village_leader', 'escalated own role');
});

test('server still healthy', async () => { await assertHealthy(s.url); });
