// policy_follow.test.mjs — measures keep following the policy after the
// first registration: a released person is not put under observation
// again by an edit or a second import; a stronger measure replaces a
// weaker one; a region declared high-risk later starts the isolation of
// its returnees; a close contact found through a travel counts from that
// journey; a spreadsheet row with an ID number completes the record of a
// person registered without one; a restart never moves day 1 back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, Client, makeDb, spawnServer } from './harness.mjs';
import { assertError, assertStatus, createPlace, finish, idNumber } from './lib.mjs';

const NOW = '2020-02-10T02:00:00Z'; // 10:00 in the town

let s;
let V;
let seq = 401;
const freshId = () => idNumber('370724', '19800101', seq++);

before(async () => {
  const { dir, db, cleanup } = makeDb();
  const clock = path.join(dir, 'clock');
  writeFileSync(clock, NOW + '\n');
  const { proc, url, stderr } = await spawnServer(db, ['--test-clock', clock]);
  const admin = new Client(url);
  assertStatus(await admin.login('admin', ADMIN_PASSWORD), 200);
  s = { url, db, dir, proc, admin, stderr, cleanup };
  V = await createPlace(admin, { type: 'village', name: '东旺村' });
});
after(async () => { await finish(s); });

async function register(body) {
  const r = await s.admin.post('/people', { village_id: V.id, ...body });
  assertStatus(r, [200, 201], `POST /people ${body.name}`);
  return r.body;
}

async function measures(id) {
  const r = await s.admin.get(`/people/${id}/measures`);
  assertStatus(r, 200);
  return r.body.items;
}

test('a region declared high-risk later starts the isolation of its returnees', async () => {
  const b = await register({ name: '先返乡', id_number: freshId(),
    travel: { origin: '浙江省温州市', left_date: '2020-02-05', return_date: '2020-02-05' } });
  assert.equal(b.classification.measure, 'none');
  assert.equal((await measures(b.person.id)).length, 0);
  assertStatus(await s.admin.post('/risk-areas',
    { region_code: '330300', level: 'high', start_date: '2020-01-20' }), 201);
  const ms = await measures(b.person.id);
  assert.equal(ms.length, 1, JSON.stringify(ms));
  assert.equal(ms[0].type, 'home_isolation');
  assert.equal(ms[0].basis_date, '2020-02-05');
});

test('a released person is not put under observation again by an edit', async () => {
  const idn = freshId();
  const b = await register({ name: '已解除', id_number: idn,
    travel: { origin: '温州', left_date: '2020-01-25', return_date: '2020-01-25' } });
  const [m] = await measures(b.person.id);
  assert.equal(m.status, 'active');
  assertStatus(await s.admin.post(`/measures/${m.id}/changes`, { action: 'release' }), 200);
  assertStatus(await s.admin.patch(`/people/${b.person.id}`, { notes: '已回访' }), 200);
  // the same person and journey registered again changes nothing either
  await register({ name: '已解除', id_number: idn,
    travel: { origin: '温州', left_date: '2020-01-25', return_date: '2020-01-25' } });
  const ms = await measures(b.person.id);
  assert.equal(ms.length, 1, JSON.stringify(ms));
  assert.equal(ms[0].status, 'released');
});

test('a stronger measure replaces a weaker one; a restart never moves day 1 back', async () => {
  assertStatus(await s.admin.post('/risk-areas',
    { region_code: '310000', level: 'medium', start_date: '2020-01-20' }), 201);
  const b = await register({ name: '中风险', id_number: freshId(),
    travel: { origin: '上海市', left_date: '2020-02-06', return_date: '2020-02-06' } });
  assert.equal(b.classification.measure, 'home_monitoring');
  let [m] = await measures(b.person.id);
  assert.equal(m.type, 'home_monitoring');
  const kase = await register({ name: '病例', id_number: freshId(), is_case: true });
  assertStatus(await s.admin.post(`/people/${b.person.id}/contacts`,
    { source_id: kase.person.id, last_exposure: '2020-02-08', relationship: 'family' }), 201);
  const ms = await measures(b.person.id);
  assert.equal(ms.length, 1);
  m = ms[0];
  assert.equal(m.type, 'home_isolation', JSON.stringify(m));
  assert.equal(m.basis_date, '2020-02-08');
  assert.ok(m.events.some((e) => e.action === 'transfer'), JSON.stringify(m.events));
  const r = await s.admin.post(`/measures/${m.id}/changes`,
    { action: 'restart', basis: 'last_exposure', basis_date: '2020-02-01' });
  assertError(r, 422, 'invalid_field', 'basis_date');
  assert.equal((await measures(b.person.id))[0].basis_date, '2020-02-08');
});

test('a close contact found through a travel counts from that journey', async () => {
  const b = await register({ name: '同车', id_number: freshId(),
    travel: { origin: '北京市', left_date: '2020-02-03', return_date: '2020-02-04',
      contact_with_case: true } });
  assert.equal(b.classification.kind, 'close_contact');
  const [m] = await measures(b.person.id);
  assert.equal(m.basis, 'last_exposure');
  assert.equal(m.basis_date, '2020-02-04');
});

test('an imported row with an ID number completes the record registered without one', async () => {
  const first = await register({ name: '李补号', phone: '13800138777' });
  assert.equal(first.person.id_flag, 'missing');
  const id = freshId();
  const csv = `姓名,身份证号,联系电话,所属村\n李补号,${id},13800138777,东旺村\n`;
  const r = await s.admin.request('POST', '/api/v1/people/import', {
    body: csv, contentType: 'text/csv' });
  assertStatus(r, 200, 'import');
  assert.equal(r.body.created, 0, JSON.stringify(r.body));
  assert.equal(r.body.updated, 1, JSON.stringify(r.body));
  const list = await s.admin.get(`/people?q=${id}`);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].id, first.person.id);
  assert.equal(list.body.items[0].id_flag, null);
});
