// measures.test.mjs — home observation measures and the responsibility
// chain over the API (docs/api.md "Home observation"): a returnee from a
// high-risk area gets a 14-day home isolation counted from the departure,
// a later exposure restarts the count, cadres extend, shorten, transfer,
// end and release measures with the reasons the rules ask for, the chain
// ("三包一挂") is assigned one by one and in bulk, and the release list
// shows who is due.  "Today" is fixed with `serve --test-clock FILE`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, Client, makeDb, spawnServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, finish,
  idNumber, listAll,
} from './lib.mjs';

// 10:00 in Shanghai on 2020-02-10, the day of the source article
const NOW = '2020-02-10T02:00:00Z';
const TODAY = '2020-02-10';

let s;
let V1; let V2; let G1; let G2;
let cadre1; let cadre2;
let doc1; let doc2;

before(async () => {
  const { dir, db, cleanup } = makeDb();
  const clock = path.join(dir, 'clock');
  writeFileSync(clock, NOW + '\n');
  const { proc, url, stderr } = await spawnServer(db, ['--test-clock', clock]);
  const admin = new Client(url);
  const r = await admin.login('admin', ADMIN_PASSWORD);
  assertStatus(r, 200, 'admin login');
  s = { url, db, dir, proc, admin, stderr, cleanup };
  V1 = await createPlace(admin, { type: 'village', name: '东旺村' });
  V2 = await createPlace(admin, { type: 'village', name: '西旺村' });
  G1 = await createPlace(admin, { type: 'grid', name: '东旺村第1网格', village_id: V1.id });
  G2 = await createPlace(admin, { type: 'grid', name: '东旺村第2网格', village_id: V1.id });
  await newUser(admin, { username: 'cadre1', role: 'village_cadre', villages: [V1.id] });
  await newUser(admin, { username: 'cadre2', role: 'village_cadre', villages: [V2.id] });
  doc1 = await newUser(admin, { username: 'doc1', role: 'medical', villages: [V1.id] });
  doc2 = await newUser(admin, { username: 'doc2', role: 'medical', villages: [V2.id] });
  cadre1 = await loginAs(url, 'cadre1', 'user-pass-123');
  cadre2 = await loginAs(url, 'cadre2', 'user-pass-123');
  const ra = await admin.post('/risk-areas',
    { region_code: '湖北省', level: 'high', start_date: '2020-01-01' });
  assertStatus(ra, 201, 'POST /risk-areas 湖北省 high');
});
after(async () => { await finish(s); });

let seq = 201;
const freshId = () => idNumber('370724', '19800101', seq++);

// register posts a person (201) and returns {person, classification}.
async function register(body, client = s.admin) {
  const r = await client.post('/people', { id_number: freshId(), ...body });
  assertStatus(r, 201, `POST /people ${body.name}`);
  return r.body;
}

// A returnee from 武汉 who left on `left` (village V1, grid G1 unless
// given).
function returnee(name, left, extra = {}) {
  return register({ name, village_id: V1.id, grid_id: G1.id,
    travel: { origin: '武汉', left_date: left, return_date: left,
      transport: 'rail', transport_no: 'G1' }, ...extra });
}

async function measuresOf(personId, client = s.admin) {
  const r = await client.get(`/people/${personId}/measures`);
  assertStatus(r, 200, `GET /people/${personId}/measures`);
  assert.ok(Array.isArray(r.body?.items), `items: ${show(r)}`);
  return r.body.items;
}

async function activeOf(personId) {
  const items = await measuresOf(personId);
  const m = items.find((x) => x.status === 'active');
  assert.ok(m, `no active measure for person ${personId}: ${JSON.stringify(items)}`);
  return m;
}

async function change(id, body, client = s.admin) {
  return client.post(`/measures/${id}/changes`, body);
}

async function getMeasure(id, client = s.admin) {
  const r = await client.get(`/measures/${id}`);
  assertStatus(r, 200, `GET /measures/${id}`);
  return r.body;
}

test('a returnee from a high-risk area gets 14 days of home isolation from the departure', async () => {
  const b = await returnee('王武汉', '2020-01-25');
  assert.equal(b.classification.kind, 'returnee_high');
  assert.equal(b.classification.measure, 'home_isolation');
  const items = await measuresOf(b.person.id);
  assert.equal(items.length, 1, JSON.stringify(items));
  const m = items[0];
  assert.equal(m.type, 'home_isolation');
  assert.equal(m.status, 'active');
  assert.equal(m.basis, 'departure');
  assert.equal(m.basis_date, '2020-01-25');
  assert.equal(m.period_days, 14);
  assert.equal(m.slots_per_day, 2);
  assert.equal(m.last_day, '2020-02-07');
  assert.equal(m.release_due, '2020-02-08');
  assert.equal(m.day_number, 17);    // 2020-02-10 is day 17
  assert.equal(m.person_id, b.person.id);
  assert.equal(m.person_name, '王武汉');
  assert.equal(m.door_notice, false);
  assert.deepEqual(m.events.map((e) => e.action), ['start']);
  assert.equal(m.events[0].actor, 'admin');

  // the measure page answers the same, with its events
  const page = await getMeasure(m.id);
  assert.equal(page.basis_date, '2020-01-25');
  assert.equal(page.release_due, '2020-02-08');
  assert.equal(page.events.length, 1);

  // a second registration of the same journey changes nothing
  const again = await s.admin.post(`/people/${b.person.id}/travels`,
    { origin: '武汉', left_date: '2020-01-25', return_date: '2020-01-25',
      transport: 'rail', transport_no: 'G1' });
  assertStatus(again, 200, 'same journey again');
  assert.equal((await measuresOf(b.person.id)).length, 1);

  // audited on the person's history
  const audit = await listAll(s.admin, '/audit?entity=person');
  assert.ok(audit.some((e) => e.action === 'measure_start' && e.entity_id === b.person.id),
    'measure_start audit entry');
});

test('a later contact with a case restarts the count; the events show both', async () => {
  const b = await returnee('李再暴露', '2020-01-25');
  const before = await activeOf(b.person.id);
  const kase = await register({ name: '赵确诊', village_id: V1.id, is_case: true });
  const r = await s.admin.post(`/people/${b.person.id}/contacts`,
    { source_id: kase.person.id, last_exposure: '2020-02-05', relationship: 'family' });
  assertStatus(r, 201, 'POST contact');
  const items = await measuresOf(b.person.id);
  assert.equal(items.length, 1, 'restarted, not a second measure');
  const m = items[0];
  assert.equal(m.id, before.id);
  assert.equal(m.basis, 'last_exposure');
  assert.equal(m.basis_date, '2020-02-05');
  assert.equal(m.last_day, '2020-02-18');
  assert.equal(m.release_due, '2020-02-19');
  assert.equal(m.day_number, 6);
  assert.deepEqual(m.events.map((e) => e.action), ['start', 'restart']);
  assert.match(m.events[0].detail, /departure 2020-01-25/);
  assert.match(m.events[1].detail, /last_exposure 2020-02-05/);
  assert.match(m.events[1].detail, /departure 2020-01-25/, 'the old basis is kept');

  // an older exposure does not move the count back
  const kase2 = await register({ name: '钱确诊', village_id: V1.id, is_case: true });
  const r2 = await s.admin.post(`/people/${b.person.id}/contacts`,
    { source_id: kase2.person.id, last_exposure: '2020-02-01', relationship: 'colleague' });
  assertStatus(r2, 201, 'older contact');
  const m2 = (await measuresOf(b.person.id))[0];
  assert.equal(m2.basis_date, '2020-02-05');
  assert.equal(m2.events.length, 2);

  // an edit of the person does not restart anything
  const p = await s.admin.patch(`/people/${b.person.id}`, { address: '东旺村3号' });
  assertStatus(p, 200, 'PATCH person');
  assert.equal((await measuresOf(b.person.id))[0].events.length, 2);
});

test('extend, shorten, door notice, transfer and release, with their rules', async () => {
  const b = await returnee('孙变更', '2020-02-01');
  const m = await activeOf(b.person.id);
  assert.equal(m.last_day, '2020-02-14');

  let r = await change(m.id, { action: 'extend', days: 7 });
  assertStatus(r, 200, 'extend');
  assert.equal(r.body.period_days, 21);
  assert.equal(r.body.last_day, '2020-02-21');
  assert.equal(r.body.release_due, '2020-02-22');

  r = await change(m.id, { action: 'extend', days: 0 });
  assertError(r, 422, 'invalid_field', 'days', 'extend by 0');
  r = await change(m.id, { action: 'extend', days: 40 });
  assertError(r, 422, 'invalid_field', 'days', 'beyond 60 days');

  r = await change(m.id, { action: 'shorten', days: 3 });
  assertError(r, 422, 'missing_field', 'reason', 'shorten without a reason');
  r = await change(m.id, { action: 'shorten', days: 12, reason: '核酸阴性' });
  assertError(r, 422, 'invalid_field', 'days', 'shorten to before today');
  assert.equal((await getMeasure(m.id)).period_days, 21, 'refusals changed nothing');
  r = await change(m.id, { action: 'shorten', days: 3, reason: '核酸阴性' });
  assertStatus(r, 200, 'shorten');
  assert.equal(r.body.period_days, 18);
  assert.equal(r.body.last_day, '2020-02-18');

  r = await change(m.id, { action: 'door_notice' });
  assertStatus(r, 200, 'door_notice');
  assert.equal(r.body.door_notice, true);
  assert.equal(r.body.door_notice_date, TODAY);

  r = await change(m.id, { action: 'transfer', type: 'central_isolation' });
  assertError(r, 422, 'missing_field', 'reason', 'transfer without reason');
  r = await change(m.id, { action: 'transfer', type: 'central_isolation', reason: '家中条件不足' });
  assertStatus(r, 200, 'transfer to central isolation');
  assert.equal(r.body.type, 'central_isolation');
  assert.equal(r.body.status, 'active');

  r = await change(m.id, { action: 'release' });
  assertError(r, 422, 'missing_field', 'reason', 'early release without a reason');
  r = await change(m.id, { action: 'release', date: '2020-02-11', reason: '提前' });
  assertError(r, 422, 'invalid_date', 'date', 'release in the future');
  r = await change(m.id, { action: 'fly' });
  assertError(r, 422, 'invalid_field', 'action', 'unknown action');
  assert.equal((await getMeasure(m.id)).status, 'active');

  r = await change(m.id, { action: 'release', reason: '上级通知提前解除' });
  assertStatus(r, 200, 'early release with a reason');
  assert.equal(r.body.status, 'released');
  assert.equal(r.body.end_date, TODAY);
  assert.equal(r.body.end_reason, '上级通知提前解除');

  r = await change(m.id, { action: 'extend', days: 1 });
  assertError(r, 409, 'conflict', undefined, 'extend a released measure');
  r = await change(m.id, { action: 'door_notice', date: '2020-02-09' });
  assertStatus(r, 200, 'door notice on a released measure');
  assert.equal(r.body.door_notice_date, '2020-02-09');

  const page = await getMeasure(m.id);
  assert.deepEqual(page.events.map((e) => e.action),
    ['start', 'extend', 'shorten', 'door_notice', 'transfer', 'release', 'door_notice']);
  const shorten = page.events.find((e) => e.action === 'shorten');
  assert.equal(shorten.reason, '核酸阴性');
});

test('release on the due day needs no reason; hospital and end stop a measure', async () => {
  const due = await returnee('周到期', '2020-01-27');   // release due 2020-02-10
  const m = await activeOf(due.person.id);
  assert.equal(m.release_due, TODAY);
  let r = await change(m.id, { action: 'release' });
  assertStatus(r, 200, 'release on the due day');
  assert.equal(r.body.status, 'released');

  const h = await returnee('吴住院', '2020-02-03');
  const mh = await activeOf(h.person.id);
  r = await change(mh.id, { action: 'transfer', type: 'hospital', reason: '发热送医' });
  assertStatus(r, 200, 'transfer to hospital');
  assert.equal(r.body.status, 'transferred');
  assert.equal(r.body.end_date, TODAY);

  const e = await returnee('郑结束', '2020-02-03');
  const me = await activeOf(e.person.id);
  r = await change(me.id, { action: 'end' });
  assertError(r, 422, 'missing_field', 'reason', 'end without reason');
  r = await change(me.id, { action: 'end', reason: '登记错误' });
  assertStatus(r, 200, 'end');
  assert.equal(r.body.status, 'ended');
  r = await change(me.id, { action: 'restart', basis: 'start' });
  assertError(r, 409, 'conflict', undefined, 'restart an ended measure');
});

test('starting by hand: defaults, validation, and 409 while one is active', async () => {
  const b = await register({ name: '冯手动', village_id: V1.id });
  assert.equal(b.classification.measure, 'none');
  assert.equal((await measuresOf(b.person.id)).length, 0);

  let r = await s.admin.post(`/people/${b.person.id}/measures`, { type: 'house_arrest', basis: 'start' });
  assertError(r, 422, 'invalid_field', 'type');
  r = await s.admin.post(`/people/${b.person.id}/measures`, { type: 'home_monitoring', basis: 'departure' });
  assertError(r, 422, 'missing_field', 'basis_date');
  r = await s.admin.post(`/people/${b.person.id}/measures`,
    { type: 'home_monitoring', basis: 'last_exposure', basis_date: '2020-02-11' });
  assertError(r, 422, 'invalid_date', 'basis_date', 'basis in the future');
  r = await s.admin.post(`/people/${b.person.id}/measures`,
    { type: 'home_monitoring', basis: 'start', period_days: 61 });
  assertError(r, 422, 'invalid_field', 'period_days');
  assert.equal((await measuresOf(b.person.id)).length, 0, 'refusals stored nothing');

  r = await s.admin.post(`/people/${b.person.id}/measures`, { type: 'home_monitoring', basis: 'start' });
  assertStatus(r, 201, 'start by hand');
  assert.equal(r.body.basis_date, TODAY);
  assert.equal(r.body.period_days, 14);
  assert.equal(r.body.slots_per_day, 2);
  assert.equal(r.body.day_number, 1);
  assert.equal(r.body.last_day, '2020-02-23');
  assert.deepEqual(r.body.events.map((e) => e.action), ['start']);

  r = await s.admin.post(`/people/${b.person.id}/measures`,
    { type: 'home_isolation', basis: 'last_exposure', basis_date: '2020-02-08', period_days: 7 });
  assertError(r, 409, 'conflict', undefined, 'second start while active');
  assert.equal((await measuresOf(b.person.id)).length, 1);

  // the cadre of the village may start one too (after the first ends)
  const c = await register({ name: '陈村里', village_id: V1.id });
  r = await cadre1.post(`/people/${c.person.id}/measures`,
    { type: 'home_isolation', basis: 'last_exposure', basis_date: '2020-02-08', slots_per_day: 1 });
  assertStatus(r, 201, 'cadre starts a measure');
  assert.equal(r.body.day_number, 3);
  assert.equal(r.body.slots_per_day, 1);
});

test('a cadre of another village cannot see or change the measure', async () => {
  const b = await returnee('褚隔壁', '2020-02-02');
  const m = await activeOf(b.person.id);
  let r = await cadre2.get(`/measures/${m.id}`);
  assertError(r, 404, 'not_found', undefined, 'other village reads the measure');
  r = await cadre2.get(`/people/${b.person.id}/measures`);
  assertError(r, 404, 'not_found', undefined, 'other village lists measures');
  r = await change(m.id, { action: 'extend', days: 3 }, cadre2);
  assert.ok([403, 404].includes(r.status), `other village changes: ${show(r)}`);
  r = await cadre2.post(`/people/${b.person.id}/measures`, { type: 'home_monitoring', basis: 'start' });
  assert.ok([403, 404].includes(r.status), `other village starts: ${show(r)}`);
  r = await change(m.id, { action: 'door_notice' }, cadre2);
  assert.ok([403, 404].includes(r.status), `other village door notice: ${show(r)}`);
  const after = await getMeasure(m.id);
  assert.equal(after.period_days, 14);
  assert.equal(after.door_notice, false);
  assert.equal(after.events.length, 1);
  // the village's own cadre may
  r = await change(m.id, { action: 'door_notice' }, cadre1);
  assertStatus(r, 200, 'own cadre posts the door notice');
  // a medical worker reads but does not change measures
  const doc = await loginAs(s.url, 'doc1', 'user-pass-123');
  r = await doc.get(`/measures/${m.id}`);
  assertStatus(r, 200, 'medical worker reads');
  r = await change(m.id, { action: 'extend', days: 1 }, doc);
  assertError(r, 403, 'forbidden', undefined, 'medical worker changes');
});

test('the responsibility chain: roles, one by one, in bulk', async () => {
  let r = await s.admin.get('/chain-roles');
  assertStatus(r, 200, 'GET /chain-roles');
  assert.deepEqual(r.body.items.map((x) => x.code),
    ['town_leader', 'assigned_cadre', 'village_cadre', 'volunteer', 'medical']);

  r = await s.admin.request('PUT', '/api/v1/chain-roles/police',
    { body: { name_zh: '民警', name_en: 'Police officer' } });
  assertStatus(r, 200, 'PUT a new role');
  assert.equal(r.body.code, 'police');
  assert.equal(r.body.active, true);
  r = await s.admin.request('PUT', '/api/v1/chain-roles/police',
    { body: { name_zh: '派出所民警', name_en: 'Police officer', active: false } });
  assertStatus(r, 200, 'rename and retire');
  assert.equal(r.body.name_zh, '派出所民警');
  assert.equal(r.body.active, false);
  r = await s.admin.request('PUT', '/api/v1/chain-roles/x', { body: { name_zh: '某', name_en: 'X' } });
  assertError(r, 422, 'invalid_field', 'code', 'one-letter code');
  r = await s.admin.request('PUT', '/api/v1/chain-roles/medic', { body: { name_en: 'X' } });
  assertError(r, 422, 'missing_field', 'name_zh');
  r = await s.admin.request('PUT', '/api/v1/chain-roles/medic');
  assertError(r, 400, 'invalid_json', undefined, 'PUT without a body');
  r = await cadre1.request('PUT', '/api/v1/chain-roles/medic', { body: { name_zh: '医', name_en: 'M' } });
  assertError(r, 403, 'forbidden', undefined, 'cadre edits roles');
  r = await s.admin.request('PUT', '/api/v1/chain-roles/medic',
    { body: { name_zh: '医', name_en: 'M' }, csrf: false });
  assertError(r, 403, 'csrf_required', undefined, 'PUT without CSRF');
  r = await s.admin.get('/chain-roles');
  assert.ok(!r.body.items.some((x) => x.code === 'medic'), 'refusals stored nothing');
  assert.equal(r.body.items.find((x) => x.code === 'police').position, 6);

  const b = await returnee('蒋链条', '2020-02-02');
  const pid = b.person.id;
  r = await s.admin.post(`/people/${pid}/chain`, { role: 'medical', account_id: doc1.id });
  assertStatus(r, 200, 'assign doc1');
  assert.deepEqual(r.body.items.map((x) => [x.role, x.username]), [['medical', 'doc1']]);
  assert.equal(r.body.items[0].role_zh, '医护人员');
  assert.equal(r.body.items[0].account_id, doc1.id);

  r = await s.admin.post(`/people/${pid}/chain`, { role: 'medical', account_id: doc2.id });
  assertError(r, 422, 'invalid_field', 'account_id', 'an account of another village');
  r = await s.admin.post(`/people/${pid}/chain`, { role: 'police', account_id: doc1.id });
  assertError(r, 422, 'invalid_field', 'role', 'a retired role');
  r = await s.admin.post(`/people/${pid}/chain`, { role: 'nobody', account_id: doc1.id });
  assertError(r, 422, 'invalid_field', 'role', 'no such role');
  r = await s.admin.post(`/people/${pid}/chain`, { role: 'medical', account_id: 99999 });
  assertError(r, 422, 'invalid_field', 'account_id', 'no such account');
  r = await s.admin.post(`/people/${pid}/chain`, { role: 'medical' });
  assertError(r, 422, 'missing_field', 'account_id');
  r = await cadre2.post(`/people/${pid}/chain`, { role: 'medical', account_id: doc2.id });
  assert.ok([403, 404].includes(r.status), `other village assigns: ${show(r)}`);

  r = await cadre1.post(`/people/${pid}/chain`, { role: 'village_cadre', account_id: (await s.admin.get('/me')).body.user.id });
  assertStatus(r, 200, 'a town-wide account may answer in any village');
  r = await s.admin.get(`/people/${pid}/chain`);
  assert.deepEqual(r.body.items.map((x) => x.role), ['village_cadre', 'medical'], 'in role order');
  r = await s.admin.post(`/people/${pid}/chain`, { role: 'village_cadre', account_id: 0 });
  assertStatus(r, 200, 'remove a role');
  assert.deepEqual(r.body.items.map((x) => x.role), ['medical']);

  // bulk: every person under an active measure in grid G2 gets doc1
  const g2a = await returnee('韩网格', '2020-02-03', { grid_id: G2.id });
  const g2b = await returnee('杨网格', '2020-02-04', { grid_id: G2.id });
  const g2c = await register({ name: '朱无措施', village_id: V1.id, grid_id: G2.id });
  r = await s.admin.post('/chain/bulk', { role: 'medical', account_id: doc2.id, village_id: V1.id, grid_id: G2.id });
  assertError(r, 422, 'invalid_field', 'account_id', 'bulk to an account of another village');
  r = await s.admin.post('/chain/bulk', { role: 'medical', account_id: doc1.id, village_id: V2.id, grid_id: G2.id });
  assertError(r, 422, 'invalid_field', 'grid_id', 'grid of another village');
  r = await cadre2.post('/chain/bulk', { role: 'medical', account_id: doc1.id, village_id: V1.id });
  assert.ok([403, 404].includes(r.status), `bulk in another's village: ${show(r)}`);
  r = await s.admin.post('/chain/bulk', { role: 'medical', account_id: doc1.id, village_id: V1.id, grid_id: G2.id });
  assertStatus(r, 200, 'bulk');
  assert.deepEqual(r.body, { assigned: 2 });
  for (const p of [g2a, g2b]) {
    const c = await s.admin.get(`/people/${p.person.id}/chain`);
    assert.deepEqual(c.body.items.map((x) => [x.role, x.username]), [['medical', 'doc1']]);
  }
  const none = await s.admin.get(`/people/${g2c.person.id}/chain`);
  assert.deepEqual(none.body.items, [], 'no measure, no chain');

  const audit = await listAll(s.admin, '/audit?entity=person');
  assert.ok(audit.some((e) => e.action === 'chain_assign' && e.entity_id === g2a.person.id));
  const roles = await listAll(s.admin, '/audit?entity=chain_role');
  assert.equal(roles.length, 2, 'role writes audited');
});

test('GET /release-due lists measures past or on their due day, oldest first, in scope', async () => {
  const old = await returnee('秦逾期', '2020-01-20');      // due 2020-02-03
  const mid = await returnee('尤逾期', '2020-01-22');      // due 2020-02-05
  const v2 = await register({ name: '许西村', village_id: V2.id,
    travel: { origin: '武汉', left_date: '2020-01-21', return_date: '2020-01-21' } });
  const fresh = await returnee('何未到', '2020-02-05');    // due 2020-02-19
  let r = await s.admin.get('/release-due');
  assertStatus(r, 200, 'GET /release-due');
  const ids = r.body.items.map((m) => m.person_id);
  assert.ok(ids.includes(old.person.id) && ids.includes(mid.person.id) && ids.includes(v2.person.id));
  assert.ok(!ids.includes(fresh.person.id), 'not due yet');
  const dues = r.body.items.map((m) => m.release_due);
  assert.deepEqual(dues, [...dues].sort(), 'oldest first');
  assert.ok(r.body.items.every((m) => m.status === 'active' && m.release_due <= TODAY));
  const first = r.body.items.find((m) => m.person_id === old.person.id);
  assert.equal(first.release_due, '2020-02-03');
  assert.ok(first.release_due < TODAY, 'overdue');
  assert.ok(Array.isArray(first.events));

  r = await cadre1.get('/release-due');
  assertStatus(r, 200, 'cadre release-due');
  assert.ok(!r.body.items.some((m) => m.person_id === v2.person.id), 'another village is not listed');
  assert.ok(r.body.items.some((m) => m.person_id === old.person.id));

  r = await s.admin.get('/release-due?date=2020-02-19');
  assert.ok(r.body.items.some((m) => m.person_id === fresh.person.id), 'due by the 19th');
  r = await s.admin.get('/release-due?date=2020-02-31');
  assertError(r, 400, 'invalid_query', 'date');
});

test('an import of returnees starts their measures; importing again changes nothing', async () => {
  const header = ['姓名', '身份证号', '所属村', '返乡来源地', '返乡日期', '交通方式'];
  const id1 = freshId();
  const id2 = freshId();
  const text = [header, ['施导入', id1, '东旺村', '湖北省武汉市', '2020-02-01', '火车'],
    ['张导入', id2, '东旺村', '山东省济南市', '2020-02-01', '火车']]
    .map((r) => r.join(',')).join('\r\n') + '\r\n';
  const upload = async () => {
    const res = await fetch(`${s.url}/api/v1/people/import`, { method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: s.admin.cookie,
        'x-csrf-token': s.admin.csrf }, body: text });
    return { status: res.status, body: await res.json() };
  };
  let r = await upload();
  assertStatus(r, 200, 'import');
  assert.equal(r.body.created, 2, show(r));
  const people = await listAll(s.admin, '/people?q=' + encodeURIComponent(id1));
  assert.equal(people.length, 1);
  const items = await measuresOf(people[0].id);
  assert.equal(items.length, 1, 'the 武汉 returnee is under a measure');
  assert.equal(items[0].type, 'home_isolation');
  assert.equal(items[0].basis, 'departure');
  assert.equal(items[0].basis_date, '2020-02-01');   // no departure: the return
  const other = await listAll(s.admin, '/people?q=' + encodeURIComponent(id2));
  assert.equal((await measuresOf(other[0].id)).length, 0, 'no risk, no measure');
  r = await upload();
  assertStatus(r, 200, 'import again');
  assert.equal((await measuresOf(people[0].id))[0].events.length, 1);
});
