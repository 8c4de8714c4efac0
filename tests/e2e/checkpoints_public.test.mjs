// checkpoints_public.test.mjs — self-registration from a point's QR
// poster (docs/api-checkpoints.md): the poster's link and SVG code, the
// public form without an account, a submission waiting in the point's
// queue until a checker confirms it (nothing in the register before),
// nothing about anyone shown to another public caller, and the form
// refusing floods (rate limit per address, counted in the database) and
// oversized bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, finish,
  idNumber, sqlite, rawSend,
} from './lib.mjs';

let s;
let V1; let P1; let P2;
let checker; let pub; let token;

before(async () => {
  s = await startServer();
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  P1 = await createPlace(s.admin, { type: 'point', name: '东旺村北卡口', village_id: V1.id });
  P2 = await createPlace(s.admin, { type: 'point', name: '东旺村南卡口', village_id: V1.id });
  await newUser(s.admin, { username: 'ka1', role: 'checkpoint', villages: [V1.id] });
  checker = await loginAs(s.url, 'ka1', 'user-pass-123');
  pub = new Client(s.url);
});
after(async () => { await finish(s); });

const ID = idNumber('370724', '19900101', 123);
const form = (extra = {}) => ({ name: '郑自助', id_number: ID, phone: '13600003333',
  from: '湖北省武汉市', to_village_id: V1.id, address: '东旺村1排1号',
  reason: '返乡', direction: 'in', vehicle: 'car', plate: '鄂A12345', ...extra });
const peopleCount = () => Number(sqlite(s.db, 'SELECT count(*) FROM people'));

test('the poster: a link per point and its QR code as SVG', async () => {
  const r = await checker.get(`/points/${P1.id}/qr`);
  assertStatus(r, 200);
  assert.match(r.body.token, /^[0-9a-f]{32}$/);
  assert.match(r.body.url, new RegExp(`/checkin\\.html\\?t=${r.body.token}$`));
  token = r.body.token;
  const again = await checker.get(`/points/${P1.id}/qr`);
  assert.equal(again.body.token, token, 'the same link every time');
  const other = await checker.get(`/points/${P2.id}/qr`);
  assert.notEqual(other.body.token, token);
  const svg = await checker.get(`/points/${P1.id}/qr.svg`);
  assertStatus(svg, 200);
  assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
  assert.match(svg.body, /^<\?xml[^]*<svg [^]*<path fill="#000" d="M/);
  assertError(await pub.get(`/points/${P1.id}/qr.svg`), 401, 'unauthenticated');
  assertError(await checker.get(`/points/${V1.id}/qr`), 404, 'not_found');
});

test('a public self-registration waits until a checker confirms it', async () => {
  const info = await pub.get(`/checkin/${token}`);
  assertStatus(info, 200);
  assert.equal(info.body.point_name, '东旺村北卡口');
  assert.deepEqual(Object.keys(info.body).sort(), ['point_name', 'villages']);
  const people = peopleCount();
  const r = await pub.post(`/checkin/${token}`, form());
  assertStatus(r, 201);
  assert.match(r.body.code, /^\d{6}$/);
  assert.deepEqual(Object.keys(r.body), ['code'], 'the answer says nothing else');
  assert.equal(peopleCount(), people, 'nothing in the register yet');
  // another public caller sees nothing of it
  const other = new Client(s.url);
  const o = await other.get(`/checkin/${token}`);
  assert.ok(!JSON.stringify(o.body).includes('郑自助'), show(o));
  assertError(await other.get(`/points/${P1.id}/checkins`), 401, 'unauthenticated');
  assertError(await other.get('/passes'), 401, 'unauthenticated');
  assertError(await other.get('/checkin/0123456789abcdef0123456789abcdef'), 404, 'not_found');
  // the checker's queue has it, masked
  const q = await checker.get(`/points/${P1.id}/checkins`);
  assertStatus(q, 200);
  const item = q.body.items.find((x) => x.code === r.body.code);
  assert.ok(item, show(q));
  assert.equal(item.name, '郑自助');
  assert.equal(item.id_number, `${ID.slice(0, 6)}********${ID.slice(-4)}`);
  assert.equal((await checker.get(`/points/${P2.id}/checkins`)).body.items.length, 0);
  // confirmed against the traveller: temperature and outcome added
  const c = await checker.post('/passes', { client_id: 'confirm-1', point_id: P1.id,
    checkin_id: item.id, persons: [{ temperature: 36.4, outcome: 'new_returnee' }] });
  assertStatus(c, 201);
  assert.equal(c.body.pass.plate, '鄂A12345');
  assert.equal(c.body.pass.checkin_id, item.id);
  assert.equal(typeof c.body.pass.persons[0].person_id, 'number');
  assert.equal(peopleCount(), people + 1);
  const got = await s.admin.get(`/people/${c.body.pass.persons[0].person_id}?full=1`);
  assert.equal(got.body.id_number, ID);
  assert.equal(got.body.screening, 'pending');
  const q2 = await checker.get(`/points/${P1.id}/checkins`);
  assert.equal(q2.body.items.filter((x) => x.id === item.id).length, 0);
  const twice = await checker.post('/passes', { client_id: 'confirm-2', point_id: P1.id,
    checkin_id: item.id, persons: [{ temperature: 36.4, outcome: 'admitted' }] });
  assertError(twice, 409, 'conflict', 'checkin_id');
  // a submission rejected never reaches anything
  const r2 = await pub.post(`/checkin/${token}`, form({ name: '冯拒绝',
    id_number: idNumber('370724', '19900101', 125) }));
  assertStatus(r2, 201);
  const q3 = await checker.get(`/points/${P1.id}/checkins`);
  const it2 = q3.body.items.find((x) => x.code === r2.body.code);
  assertStatus(await checker.post(`/checkins/${it2.id}/reject`), 200);
  assertError(await checker.post(`/checkins/${it2.id}/reject`), 409, 'conflict');
  assert.equal(peopleCount(), people + 1);
});

test('the public form validates like every other input', async () => {
  const before = sqlite(s.db, 'SELECT count(*) FROM checkins');
  const cases = [
    [{ plate: '鄂A1234' }, 'invalid_plate', 'plate'],
    [{ id_number: '340524198001010011' }, 'invalid_id_number', 'id_number'],
    [{ id_number: null }, 'missing_field', 'id_number'],
    [{ phone: '123' }, 'invalid_phone', 'phone'],
    [{ name: '' }, 'missing_field', 'name'],
    [{ to_village_id: P1.id }, 'invalid_field', 'to_village_id'],
    [{ direction: 'sideways' }, 'invalid_field', 'direction'],
    [{ name: 5 }, 'invalid_field', 'name'],
  ];
  for (const [extra, code, field] of cases) {
    assertError(await pub.post(`/checkin/${token}`, form(extra)), 422, code, field,
      JSON.stringify(extra));
  }
  assert.equal(sqlite(s.db, 'SELECT count(*) FROM checkins'), before);
});

test('the public form refuses oversized bodies', async () => {
  const big = JSON.stringify(form({ reason: 'x'.repeat(5000) }));
  const r = await pub.request('POST', `/api/v1/checkin/${token}`, { body: big });
  assertError(r, 413, 'body_too_large');
  const huge = await rawSend(s.url, { path: `/api/v1/checkin/${token}`,
    headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(huge.status, 413);
});

test('the public form refuses floods from one address (counted in the database)', async () => {
  const codes = [];
  for (let i = 0; i < 25; i++) {
    const r = await pub.post(`/checkin/${token}`, form({ name: `洪${i}`,
      id_number: idNumber('370724', '19900101', 200 + i * 2) }));
    codes.push(r.status);
    if (r.status === 429) assertError(r, 429, 'rate_limited');
  }
  assert.ok(codes.includes(201), codes.join(','));
  assert.ok(codes.includes(429), codes.join(','));
  assert.ok(codes.lastIndexOf(201) < codes.indexOf(429), 'refused from then on');
  const n = Number(sqlite(s.db, "SELECT max(n) FROM rate_hits WHERE client = '127.0.0.1'"));
  assert.ok(n > 20, `counter ${n}`);
  const waiting = Number(sqlite(s.db,
    "SELECT count(*) FROM checkins WHERE status = 'waiting'"));
  assert.ok(waiting <= 20, `${waiting} queued`);
  // signed-in checkers are not limited by it
  assertStatus(await checker.get(`/points/${P1.id}/checkins`), 200);
});
