// staff.test.mjs — GET /staff: whom a cadre may put in a person's chain
// (accounts working in that village or the whole town), limited to the
// cadre's own villages and to roles that manage observation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, createPlace, newUser, loginAs, finish,
} from './lib.mjs';

let s;
let A;
let B;
let leader;
let checker;

before(async () => {
  s = await startServer();
  A = await createPlace(s.admin, { type: 'village', name: '甲村' });
  B = await createPlace(s.admin, { type: 'village', name: '乙村' });
  await newUser(s.admin, { username: 'leader_a', role: 'village_leader', villages: [A.id] });
  await newUser(s.admin, { username: 'doctor_a', role: 'medical', villages: [A.id] });
  await newUser(s.admin, { username: 'doctor_b', role: 'medical', villages: [B.id] });
  await newUser(s.admin, { username: 'doctor_town', role: 'medical' });
  await newUser(s.admin, { username: 'gate', role: 'checkpoint', villages: [A.id] });
  const off = await newUser(s.admin, { username: 'gone_a', role: 'medical', villages: [A.id] });
  assertStatus(await s.admin.patch(`/users/${off.id}`, { disabled: true }), 200);
  leader = await loginAs(s.url, 'leader_a', 'user-pass-123');
  checker = await loginAs(s.url, 'gate', 'user-pass-123');
});
after(async () => { await finish(s); });

const names = (r) => r.body.items.map((u) => u.username).sort();

test('a village leader sees the staff of their village and the whole town', async () => {
  const r = await leader.get(`/staff?village_id=${A.id}`);
  assertStatus(r, 200);
  assert.deepEqual(names(r), ['admin', 'doctor_a', 'doctor_town', 'gate', 'leader_a']);
  assert.ok(r.body.items.every((u) => !('password_hash' in u) && u.role));
  // without a village: everyone who shares one of the leader's villages
  assert.deepEqual(names(await leader.get('/staff')), names(r));
});

test('another village is not theirs; a role without observation.write is refused', async () => {
  assertError(await leader.get(`/staff?village_id=${B.id}`), 404, 'not_found');
  assertError(await checker.get(`/staff?village_id=${A.id}`), 403, 'forbidden');
  assertError(await leader.get('/staff?village_id=abc'), 400, 'invalid_query', 'village_id');
});

test('the town command sees every enabled account', async () => {
  const r = await s.admin.get('/staff');
  assert.deepEqual(names(r), ['admin', 'doctor_a', 'doctor_b', 'doctor_town', 'gate', 'leader_a']);
});
