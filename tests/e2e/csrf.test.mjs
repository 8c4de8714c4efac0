// csrf.test.mjs — unsafe requests authenticated by the session cookie must
// carry the session's X-CSRF-Token (docs/api.md "Authentication").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN_PASSWORD } from './harness.mjs';
import {
  assertError, assertStatus, createPlace, placesSnapshot, usersSnapshot,
  loginAs, newUser, assertHealthy,
  finish,
} from './lib.mjs';

let s;
let village;
let grid;
before(async () => {
  s = await startServer();
  village = await createPlace(s.admin, { type: 'village', name: '护村' });
  grid = await createPlace(s.admin, { type: 'grid', name: '护村一组', village_id: village.id });
});
after(async () => { await finish(s); });

test('GET needs no CSRF header', async () => {
  assertStatus(await s.admin.get('/places', { csrf: false }), 200);
});

test('POST /places with the cookie but no X-CSRF-Token → 403 csrf_required, nothing created', async () => {
  const before = await placesSnapshot(s.admin);
  const r = await s.admin.post('/places', { type: 'village', name: '伪村' }, { csrf: false });
  assertError(r, 403, 'csrf_required');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('PATCH without the header → 403, name unchanged', async () => {
  const r = await s.admin.patch(`/places/${grid.id}`, { name: '改名' }, { csrf: false });
  assertError(r, 403, 'csrf_required');
  const g = await s.admin.get(`/places/${grid.id}`);
  assert.equal(g.body.name, '护村一组');
  assert.equal(g.body.active, true);
});

test('DELETE without the header → 403, still there', async () => {
  const r = await s.admin.del(`/places/${grid.id}`, { csrf: false });
  assertError(r, 403, 'csrf_required');
  assertStatus(await s.admin.get(`/places/${grid.id}`), 200);
});

test('a wrong token → 403 csrf_required, nothing changed', async () => {
  const before = await placesSnapshot(s.admin);
  const h = { headers: { 'x-csrf-token': 'wrong-token-0123456789' }, csrf: false };
  assertError(await s.admin.post('/places', { type: 'village', name: '错村' }, h), 403, 'csrf_required');
  assertError(await s.admin.patch(`/places/${grid.id}`, { active: false }, h), 403, 'csrf_required');
  assertError(await s.admin.del(`/places/${grid.id}`, h), 403, 'csrf_required');
  const empty = { headers: { 'x-csrf-token': '' }, csrf: false };
  assertError(await s.admin.post('/places', { type: 'village', name: '空村' }, empty), 403, 'csrf_required');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('the token of another session does not work for this one', async () => {
  const other = await loginAs(s.url, 'admin', ADMIN_PASSWORD);
  assert.notEqual(other.csrf, s.admin.csrf, 'two sessions share one CSRF token');
  const before = await placesSnapshot(s.admin);
  const r = await s.admin.post('/places', { type: 'village', name: '借村' },
    { csrf: false, headers: { 'x-csrf-token': other.csrf } });
  assertError(r, 403, 'csrf_required');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('POST /users without the header → 403, no account made', async () => {
  const before = await usersSnapshot(s.admin);
  const r = await s.admin.post('/users', { username: 'sneaky', display_name: 'x',
    password: 'sneaky-pass-1', role: 'admin', villages: [] }, { csrf: false });
  assertError(r, 403, 'csrf_required');
  assert.deepEqual(await usersSnapshot(s.admin), before);
});

test('POST /me/password and /logout without the header → 403, nothing changed', async () => {
  await newUser(s.admin, { username: 'victim', role: 'viewer', password: 'victim-pass-1' });
  const c = await loginAs(s.url, 'victim', 'victim-pass-1');
  assertError(await c.post('/me/password', { old_password: 'victim-pass-1', new_password: 'hacked-pass-2' }, { csrf: false }),
    403, 'csrf_required');
  assertError(await c.post('/logout', {}, { csrf: false }), 403, 'csrf_required');
  assertStatus(await c.get('/me'), 200, 'session survives a forged logout');
  await loginAs(s.url, 'victim', 'victim-pass-1');
});

test('server still healthy', async () => { await assertHealthy(s.url); });
