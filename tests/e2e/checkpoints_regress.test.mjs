// checkpoints_regress.test.mjs — regressions found in review: a shift
// names its staff as typed and may name an account; the second page of
// passes answers; what is known of an ID number and an earlier
// passenger stays within the caller's villages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, createPlace, newUser, loginAs, finish, idNumber,
} from './lib.mjs';

let s;
let V1; let V2; let P1; let P2;
let leader1; let checker2;

before(async () => {
  s = await startServer();
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  V2 = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  P1 = await createPlace(s.admin, { type: 'point', name: '东口', village_id: V1.id });
  P2 = await createPlace(s.admin, { type: 'point', name: '西口', village_id: V2.id });
  await newUser(s.admin, { username: 'leader1', role: 'village_leader', villages: [V1.id] });
  await newUser(s.admin, { username: 'ka2', role: 'checkpoint', villages: [V2.id] });
  leader1 = await loginAs(s.url, 'leader1', 'user-pass-123');
  checker2 = await loginAs(s.url, 'ka2', 'user-pass-123');
});
after(async () => { await finish(s); });

let n = 0;
const cid = () => `r-${Date.now()}-${n++}`;

test('a shift keeps its staff as typed and may name an account', async () => {
  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const me = await s.admin.get('/me');
  const r = await s.admin.post('/shifts', { point_id: P1.id, staff: '张三、李四',
    account_id: me.body.user.id, starts_at: `${day}T08:00`, ends_at: `${day}T16:00` });
  assertStatus(r, 201);
  const ro = await s.admin.get(`/roster?day=${day}`);
  const p1 = ro.body.points.find((x) => x.point_id === P1.id);
  assert.equal(p1.shifts[0].staff, '张三、李四', JSON.stringify(p1.shifts[0]));
  assertStatus(await s.admin.get('/health'), 200);
});

test('the next page of passes answers', async () => {
  for (let i = 0; i < 3; i++) {
    assertStatus(await s.admin.post('/passes', { client_id: cid(), point_id: P1.id,
      direction: 'in', vehicle: 'on_foot', persons: [{ name: `行人${i}`,
        temperature: 36.5, outcome: 'admitted', to_village_id: V1.id }] }), 201);
  }
  const first = await s.admin.get('/passes?limit=1');
  assertStatus(first, 200);
  assert.ok(first.body.next_cursor, JSON.stringify(first.body));
  const next = await s.admin.get(`/passes?limit=1&cursor=${first.body.next_cursor}`);
  assertStatus(next, 200);
  assert.equal(next.body.items.length, 1);
  assert.notEqual(next.body.items[0].id, first.body.items[0].id);
});

test('a passenger of another village is not known, nor usable as a reference', async () => {
  const id = idNumber('370724', '19850612', 901);
  const r = await checker2.post('/passes', { client_id: cid(), point_id: P2.id,
    direction: 'in', vehicle: 'on_foot', persons: [{ name: '过客', id_number: id,
      phone: '13900009999', temperature: 38.2, outcome: 'fever_clinic',
      to_village_id: V2.id }] });
  assertStatus(r, 201);
  const k = await leader1.get(`/passes/known?id_number=${id}`);
  assertStatus(k, 200);
  assert.ok(!JSON.stringify(k.body).includes('13900009999'), JSON.stringify(k.body));
  assert.ok(!JSON.stringify(k.body).includes('38.2'), JSON.stringify(k.body));
  const ref = r.body.pass.persons[0].id;
  assertError(await leader1.post('/passes', { client_id: cid(), point_id: P1.id,
    direction: 'in', vehicle: 'on_foot', persons: [{ name: '过客', ref,
      temperature: 36.5, outcome: 'admitted', to_village_id: V1.id }] }),
  422, 'invalid_field', undefined);
});

test('a time with minutes past 59 or below 0 is refused, not rolled over', async () => {
  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  for (const t of [`${day}T10:75`, `${day}T10:-1`]) {
    const r = await s.admin.post('/shifts', { point_id: P1.id, staff: '值班',
      starts_at: t, ends_at: `${day}T23:00` });
    assertError(r, 422, 'invalid_field', 'starts_at');
  }
});
