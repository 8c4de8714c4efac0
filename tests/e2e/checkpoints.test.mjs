// checkpoints.test.mjs — checkpoint registration (卡口登记) over the API
// (docs/api-checkpoints.md): plates checked, a new returnee handed over to
// the destination village's register exactly once, a known ID number
// linked, a fever alert at 37.3, the same client id stored once, the
// roster's gaps, the figures, search with masking, village scope, and
// bad input refused with nothing stored.  The public QR form is in
// checkpoints_public.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  finish, idNumber, maskId, maskPhone, sqlite,
} from './lib.mjs';

let s;
let V1; let V2; let P1; let P2;
let checker; let cadre1; let cadre2; let viewer;

before(async () => {
  s = await startServer();
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  V2 = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  P1 = await createPlace(s.admin, { type: 'point', name: '东旺村北卡口', village_id: V1.id });
  P2 = await createPlace(s.admin, { type: 'point', name: '西旺村南卡口', village_id: V2.id });
  await newUser(s.admin, { username: 'ka1', role: 'checkpoint', villages: [V1.id] });
  await newUser(s.admin, { username: 'cadre1', role: 'village_cadre', villages: [V1.id] });
  await newUser(s.admin, { username: 'cadre2', role: 'village_cadre', villages: [V2.id] });
  await newUser(s.admin, { username: 'view', role: 'viewer', villages: [] });
  checker = await loginAs(s.url, 'ka1', 'user-pass-123');
  cadre1 = await loginAs(s.url, 'cadre1', 'user-pass-123');
  cadre2 = await loginAs(s.url, 'cadre2', 'user-pass-123');
  viewer = await loginAs(s.url, 'view', 'user-pass-123');
});
after(async () => { await finish(s); });

let seq = 301;
const freshId = () => idNumber('370724', '19850612', seq++);
let n = 0;
const cid = () => `t-${Date.now()}-${n++}`;
const passCount = () => Number(sqlite(s.db, 'SELECT count(*) FROM passes'));
const peopleCount = () => Number(sqlite(s.db, 'SELECT count(*) FROM people'));

function person(extra = {}) {
  return { name: '王五', id_number: freshId(), phone: '13900001111',
    from: '湖北省武汉市', to_village_id: V2.id, address: '西旺村3排5号',
    temperature: 36.5, reason: '返乡', outcome: 'admitted', ...extra };
}

async function pass(client, body, status = 201, what = 'POST /passes') {
  const r = await client.post('/passes', { client_id: cid(), point_id: P1.id,
    direction: 'in', vehicle: 'car', plate: '鲁G12345', ...body });
  assertStatus(r, status, what);
  return r;
}

test('an invalid plate is refused, naming the field, and nothing is stored', async () => {
  const before = passCount();
  for (const plate of ['鲁G1234', 'XG12345', '鲁GI2345', '鲁G1234567']) {
    const r = await checker.post('/passes', { client_id: cid(), point_id: P1.id,
      direction: 'in', vehicle: 'car', plate, persons: [person()] });
    assertError(r, 422, 'invalid_plate', 'plate', plate);
  }
  const r = await checker.post('/passes', { client_id: cid(), point_id: P1.id,
    direction: 'in', vehicle: 'car', persons: [person()] });
  assertError(r, 422, 'missing_field', 'plate', 'a car without a plate');
  assert.equal(passCount(), before);
  // on foot needs no plate; separators and lower case are accepted
  await pass(checker, { vehicle: 'on_foot', plate: null, persons: [person()] });
  const r2 = await pass(checker, { plate: '鲁g·ab 123', persons: [person()] });
  assert.equal(r2.body.pass.plate, '鲁GAB123');
});

test('a new returnee becomes one pending person with a checkpoint travel in the destination village, once', async () => {
  const id = freshId();
  const before = peopleCount();
  const body = { persons: [
    person({ name: '赵返乡', id_number: id, outcome: 'new_returnee' }),
    person({ name: '赵同车', outcome: 'admitted' }),
  ] };
  const r = await pass(checker, body);
  assert.equal(r.body.replayed, false);
  const pp = r.body.pass.persons;
  assert.equal(pp.length, 2);
  assert.equal(typeof pp[0].person_id, 'number', show(r));
  assert.equal(pp[1].person_id, null);
  assert.equal(pp[0].id_number, maskId(id), 'masked in the answer');
  assert.equal(peopleCount(), before + 1, 'exactly one person registered');
  // the village's cadre sees the person awaiting screening
  const pending = await listAll(cadre2, '/people?screening=pending');
  const mine = pending.filter((p) => p.name === '赵返乡');
  assert.equal(mine.length, 1, JSON.stringify(pending));
  assert.equal(mine[0].village_id, V2.id);
  const got = await s.admin.get(`/people/${mine[0].id}`);
  assertStatus(got, 200);
  assert.equal(got.body.travels.length, 1);
  assert.equal(got.body.travels[0].source, 'checkpoint');
  assert.equal(got.body.travels[0].transport_no, '鲁G12345');
  // not in the other village's list
  const other = await listAll(cadre1, '/people?screening=pending');
  assert.equal(other.filter((p) => p.name === '赵返乡').length, 0);
  // the same person again: no second person, no second travel
  await pass(checker, body);
  assert.equal(peopleCount(), before + 1, 'no duplicate');
  const again = await s.admin.get(`/people/${mine[0].id}`);
  assert.equal(again.body.travels.length, 1);
  // the cadre confirms the screening
  const c = await cadre2.patch(`/people/${mine[0].id}`, { screening: 'confirmed' });
  assertStatus(c, 200);
  assert.equal(c.body.person.screening, 'confirmed');
});

test('a known ID number is linked to the register, not duplicated', async () => {
  const id = freshId();
  const reg = await s.admin.post('/people', { name: '钱已知', id_number: id,
    phone: '13700002222', village_id: V1.id });
  assertStatus(reg, 201);
  const before = peopleCount();
  const r = await pass(checker, { persons: [person({ name: '钱已知', id_number: id,
    phone: null, outcome: 'admitted' })] });
  assert.equal(r.body.pass.persons[0].person_id, reg.body.person.id);
  // the phone the checker left out came from the register (masked here)
  assert.equal(r.body.pass.persons[0].phone, maskPhone('13700002222'));
  const r2 = await pass(checker, { persons: [person({ name: '钱已知', id_number: id,
    outcome: 'new_returnee', to_village_id: V1.id })] });
  assert.equal(r2.body.pass.persons[0].person_id, reg.body.person.id);
  assert.equal(peopleCount(), before, 'linked, not duplicated');
  const got = await s.admin.get(`/people/${reg.body.person.id}`);
  assert.equal(got.body.travels.filter((t) => t.source === 'checkpoint').length, 1);
});

test('37.3 opens a checkpoint fever alert; 37.2 does not; a fever must go to the clinic', async () => {
  const bad = await checker.post('/passes', { client_id: cid(), point_id: P1.id,
    direction: 'in', vehicle: 'car', plate: '鲁G12345',
    persons: [person({ temperature: 37.3, outcome: 'admitted' })] });
  assertError(bad, 422, 'invalid_field', 'persons[0].outcome');
  const r = await pass(checker, { persons: [
    person({ name: '孙发热', temperature: 37.3, outcome: 'fever_clinic' }),
    person({ name: '孙正常', temperature: 37.2 })] });
  const [hot, ok] = r.body.pass.persons;
  assert.equal(hot.fever, true);
  assert.equal(typeof hot.alert_id, 'number', show(r));
  assert.equal(ok.fever, false);
  assert.equal(ok.alert_id, null);
  const alerts = await s.admin.get('/alerts?kind=fever');
  const a = alerts.body.items.find((x) => x.id === hot.alert_id);
  assert.ok(a, JSON.stringify(alerts.body));
  assert.equal(a.source, 'checkpoint');
  assert.equal(a.place_id, P1.id);
  assert.equal(a.person_name, '孙发热');
  assert.equal(a.temperature, 37.3);
});

test('the same client id twice stores one pass and answers the first', async () => {
  const id = cid();
  const body = { client_id: id, point_id: P1.id, direction: 'out', vehicle: 'truck',
    plate: '苏A9B8C7', persons: [person({ name: '李司机' })] };
  const before = passCount();
  const a = await checker.post('/passes', body);
  assertStatus(a, 201);
  const b = await checker.post('/passes', body);
  assertStatus(b, 200);
  assert.equal(b.body.replayed, true);
  assert.equal(b.body.pass.id, a.body.pass.id);
  assert.deepEqual(b.body.pass.persons, a.body.pass.persons);
  assert.equal(passCount(), before + 1);
  // someone else's id is not theirs to replay
  const c = await cadre1.post('/passes', body);
  assertError(c, 409, 'conflict', 'client_id');
});

test('checker and shift are recorded; the roster shows the gaps in 24-hour cover', async () => {
  // the shift below leaves the day's last minute uncovered: a pass made in
  // that minute has no shift, so wait for the new day when that close to it
  const local = () => new Date(Date.now() + 8 * 3600e3);
  while (local().getUTCHours() === 23 && local().getUTCMinutes() >= 58) {
    await new Promise((done) => { setTimeout(done, 5000); });
  }
  const day = local().toISOString().slice(0, 10);
  const r = await s.admin.post('/shifts', { point_id: P1.id, staff: '张三、李四',
    starts_at: `${day}T00:00`, ends_at: `${day}T23:59` });
  assertStatus(r, 201);
  const p = await pass(checker, { persons: [person()] });
  assert.equal(p.body.pass.shift_id, r.body.id);
  assert.equal(p.body.pass.checker, 'ka1');
  const ro = await s.admin.get(`/roster?day=${day}`);
  assertStatus(ro, 200);
  const p1 = ro.body.points.find((x) => x.point_id === P1.id);
  const p2 = ro.body.points.find((x) => x.point_id === P2.id);
  assert.equal(p1.shifts.length, 1);
  assert.equal(p1.on_duty, 1);
  assert.equal(p1.gaps.length, 1, 'the last minute of the day is uncovered');
  assert.equal(p2.gaps.length, 1, 'a point with no shift: one gap, the whole day');
  // a scoped cadre sees only its villages' points
  const ro1 = await cadre1.get(`/roster?day=${day}`);
  assert.deepEqual(ro1.body.points.map((x) => x.point_id), [P1.id]);
  // bad shifts
  assertError(await s.admin.post('/shifts', { point_id: P1.id, staff: 'x',
    starts_at: `${day}T10:00`, ends_at: `${day}T09:00` }), 422, 'invalid_field', 'ends_at');
  assertError(await s.admin.post('/shifts', { point_id: P1.id, staff: 'x',
    starts_at: 'tomorrow', ends_at: `${day}T09:00` }), 422, 'invalid_field', 'starts_at');
  assertError(await cadre1.post('/shifts', { point_id: P1.id, staff: 'x',
    starts_at: `${day}T08:00`, ends_at: `${day}T09:00` }), 403, 'forbidden');
  const del = await s.admin.del(`/shifts/${r.body.id}`);
  assertStatus(del, 200);
});

test('figures by point and hour, and search by plate or ID number, masked', async () => {
  const id = freshId();
  await pass(checker, { plate: '浙B12345', persons: [
    person({ name: '周劝返', id_number: id, outcome: 'turned_back' })] });
  const st = await s.admin.get('/passes/stats');
  assertStatus(st, 200);
  const p1 = st.body.points.find((x) => x.point_id === P1.id);
  assert.ok(p1.passes >= 5, JSON.stringify(p1));
  assert.equal(p1.hours.length, 24);
  assert.equal(p1.hours.reduce((a, b) => a + b, 0), p1.passes);
  assert.ok(p1.turned_back >= 1);
  assert.ok(p1.new_returnees >= 1);
  assert.ok(p1.fevers >= 1);
  const byPlate = await checker.get('/passes?plate=浙B12345');
  assertStatus(byPlate, 200);
  assert.equal(byPlate.body.items.length, 1);
  const byId = await s.admin.get(`/passes?id_number=${id}`);
  assert.equal(byId.body.items.length, 1);
  assert.equal(byId.body.items[0].persons[0].id_number, maskId(id));
  assert.equal(byId.body.items[0].persons[0].phone, maskPhone('13900001111'));
  const turned = await s.admin.get('/passes?outcome=turned_back');
  assert.ok(turned.body.items.every((p) => p.persons.some((x) => x.outcome === 'turned_back')));
  // what is known fills the form: the plate's people, an ID's person
  const k = await checker.get('/passes/known?plate=浙B12345');
  assertStatus(k, 200);
  assert.equal(k.body.found, true);
  assert.equal(k.body.vehicle, 'car');
  assert.equal(k.body.persons[0].name, '周劝返');
  assert.equal(k.body.persons[0].id_number, maskId(id));
  const ref = k.body.persons[0].id;
  // a pass by ref takes the ID number the checker cannot see
  const r = await pass(checker, { plate: '浙B12345', persons: [{ name: '周劝返',
    ref, temperature: 36.6, outcome: 'admitted' }] });
  assert.equal(r.body.pass.persons[0].id_number, maskId(id));
  const k2 = await checker.get(`/passes/known?id_number=${id}`);
  assert.equal(k2.body.found, true);
  assert.equal(k2.body.persons[0].name, '周劝返');
  const k3 = await checker.get('/passes/known?plate=京A00000');
  assert.equal(k3.body.found, false);
  assertError(await checker.get('/passes/known?plate=XX'), 422, 'invalid_plate', 'plate');
});

test('scope: a village sees only its points; others cannot record there', async () => {
  await pass(s.admin, { point_id: P2.id, persons: [person({ name: '吴西' })] });
  const mine = await listAll(cadre1, '/passes');
  assert.ok(mine.length > 0);
  assert.ok(mine.every((p) => p.point_id === P1.id));
  const theirs = await listAll(cadre2, '/passes');
  assert.ok(theirs.every((p) => p.point_id === P2.id));
  const before = passCount();
  const r = await checker.post('/passes', { client_id: cid(), point_id: P2.id,
    direction: 'in', vehicle: 'car', plate: '鲁G12345', persons: [person()] });
  assertError(r, 404, 'not_found');
  const v = await viewer.post('/passes', { client_id: cid(), point_id: P1.id,
    direction: 'in', vehicle: 'car', plate: '鲁G12345', persons: [person()] });
  assertError(v, 403, 'forbidden');
  assertError(await viewer.get('/passes'), 403, 'forbidden');
  // a village is not a point
  const np = await s.admin.post('/passes', { client_id: cid(), point_id: V1.id,
    direction: 'in', vehicle: 'car', plate: '鲁G12345', persons: [person()] });
  assertError(np, 404, 'not_found', 'point_id');
  assert.equal(passCount(), before);
});

test('bad input names the field and stores nothing', async () => {
  const before = passCount();
  const people = peopleCount();
  const cases = [
    [{ persons: [] }, 422, 'missing_field', 'persons'],
    [{ persons: 'x' }, 422, 'invalid_field', 'persons'],
    [{ direction: 'up', persons: [person()] }, 422, 'invalid_field', 'direction'],
    [{ vehicle: 'plane', persons: [person()] }, 422, 'invalid_field', 'vehicle'],
    [{ persons: [person({ temperature: 50 })] }, 422, 'invalid_temperature', 'persons[0].temperature'],
    [{ persons: [person({ temperature: null })] }, 422, 'missing_field', 'persons[0].temperature'],
    [{ persons: [person({ temperature: '36' })] }, 422, 'invalid_temperature', 'persons[0].temperature'],
    [{ persons: [person(), person({ id_number: '340524198001010011' })] }, 422,
      'invalid_id_number', 'persons[1].id_number'],
    [{ persons: [person({ phone: '12345' })] }, 422, 'invalid_phone', 'persons[0].phone'],
    [{ persons: [person({ name: '' })] }, 422, 'missing_field', 'persons[0].name'],
    [{ persons: [person({ outcome: 'maybe' })] }, 422, 'invalid_field', 'persons[0].outcome'],
    [{ persons: [person({ outcome: 'new_returnee', to_village_id: null })] }, 422,
      'missing_field', 'persons[0].to_village_id'],
    [{ persons: [person({ outcome: 'new_returnee', to_village_id: P1.id })] }, 422,
      'invalid_field', 'persons[0].to_village_id'],
    [{ persons: [person({ outcome: 'new_returnee', from: '不存在的地方' })] }, 422,
      'invalid_field', 'persons[0].from'],
    // the first person is fine, the second's origin is not: nobody stored
    [{ persons: [person({ outcome: 'new_returnee', name: '甲' }),
      person({ outcome: 'new_returnee', from: '火星' })] }, 422, 'invalid_field', 'persons[1].from'],
    [{ client_id: 'a b', persons: [person()] }, 422, 'invalid_field', 'client_id'],
    [{ at: '2020-01-01T00:00:00Z', persons: [person()] }, 422, 'invalid_field', 'at'],
    [{ point_id: null, persons: [person()] }, 422, 'missing_field', 'point_id'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await checker.post('/passes', { client_id: cid(), point_id: P1.id,
      direction: 'in', vehicle: 'car', plate: '鲁G12345', ...body });
    assertError(r, status, code, field, JSON.stringify(body).slice(0, 120));
  }
  assertError(await checker.request('POST', '/api/v1/passes', { body: '{"persons":' }),
    400, 'invalid_json');
  assert.equal(passCount(), before, 'no pass stored');
  assert.equal(peopleCount(), people, 'nobody registered');
});

test('every pass is audited', async () => {
  const audit = await s.admin.get('/audit?entity=pass');
  assertStatus(audit, 200);
  assert.ok(audit.body.items.length >= 5);
  assert.ok(audit.body.items.every((e) => !/\d{17}[\dX]/.test(e.summary)),
    'no ID number in the audit summary');
  const v = await s.admin.get('/audit/verify');
  assert.equal(v.body.ok, true);
});
