// people.test.mjs — the people register (摸排建档) over the API, as a
// township user meets it: registering returnees with their ID numbers and
// travels, classification by risk area and policy, close contacts, lists
// and filters, masking of personal data, duplicates and merging, audit
// (docs/api.md "The people register", docs/../shared/DOMAIN.md).
//
// Every refused input also checks that nothing was written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  assertHealthy, finish, idNumber, maskId, maskPhone, peopleSnapshot,
  auditWrites,
} from './lib.mjs';

let s;
let V1;   // 东旺村
let V2;   // 西旺村
let G1;   // grid of V1
let G2;   // grid of V2
let cadre;
let volunteer;
let viewer;

before(async () => {
  s = await startServer();
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  V2 = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  G1 = await createPlace(s.admin, { type: 'grid', name: '东旺村第1网格', village_id: V1.id });
  G2 = await createPlace(s.admin, { type: 'grid', name: '西旺村第1网格', village_id: V2.id });
  await newUser(s.admin, { username: 'cadre1', role: 'village_cadre', villages: [V1.id] });
  await newUser(s.admin, { username: 'vol', role: 'volunteer', villages: [] });
  await newUser(s.admin, { username: 'view', role: 'viewer', villages: [] });
  cadre = await loginAs(s.url, 'cadre1', 'user-pass-123');
  volunteer = await loginAs(s.url, 'vol', 'user-pass-123');
  viewer = await loginAs(s.url, 'view', 'user-pass-123');
});
after(async () => { await finish(s); });

// ---- helpers ---------------------------------------------------------------

let seq = 101;
// freshId: a valid ID number not used before in this file (Linqu county).
const freshId = (ymd = '19750315') => idNumber('370724', ymd, seq++);
let phoneN = 1;
const freshPhone = () => `1390000${String(phoneN++).padStart(4, '0')}`;

const isNone = (v) => v === null || v === '' || v === undefined;

// register posts a person and asserts 201 {person, created: true,
// classification}; returns the body.
async function register(body, what = `POST /people ${body.name}`, client = s.admin) {
  const r = await client.post('/people', body);
  assertStatus(r, 201, what);
  assert.ok(r.body && typeof r.body.person === 'object', `${what}: no person: ${show(r)}`);
  assert.equal(typeof r.body.person.id, 'number', `${what}: person.id: ${show(r)}`);
  assert.equal(r.body.created, true, `${what}: created: ${show(r)}`);
  assert.ok(r.body.classification && typeof r.body.classification === 'object',
    `${what}: classification: ${show(r)}`);
  return r.body;
}

async function getPerson(id, client = s.admin, query = '') {
  const r = await client.get(`/people/${id}${query}`);
  assertStatus(r, 200, `GET /people/${id}${query}`);
  return r.body;
}

// personOf: PATCH answers "the person with classification" — accept the
// person at the top level or under "person".
const personOf = (r) => (r.body && r.body.person && typeof r.body.person === 'object'
  ? r.body.person : r.body);

function assertClass(c, kind, measure, period, what = '') {
  assert.ok(c && typeof c === 'object', `${what}: classification missing`);
  assert.equal(c.kind, kind, `${what}: kind: ${JSON.stringify(c)}`);
  assert.equal(c.measure, measure, `${what}: measure: ${JSON.stringify(c)}`);
  assert.equal(c.period_days, period, `${what}: period_days: ${JSON.stringify(c)}`);
}

function assertNoClass(c, what = '') {
  assert.ok(c && typeof c === 'object', `${what}: classification missing`);
  assert.ok(isNone(c.kind), `${what}: expected no kind: ${JSON.stringify(c)}`);
  assert.equal(c.measure, 'none', `${what}: measure: ${JSON.stringify(c)}`);
  assert.equal(c.period_days, 0, `${what}: period_days: ${JSON.stringify(c)}`);
}

// assertRefused: a 422 (by default) naming one of the allowed fields.
function assertRefused(r, codes, fields, what, status = 422) {
  assertError(r, status, codes, undefined, what);
  const fs = Array.isArray(fields) ? fields : [fields];
  assert.ok(fs.includes(r.body.error.field),
    `${what}: expected field ${fs.join('|')}, got ${show(r)}`);
}

// unchanged runs fn and asserts the people list, the person-audit writes
// and (given ids) each person's full record are as before.
async function unchanged(fn, ids = []) {
  const list0 = await peopleSnapshot(s.admin);
  const audit0 = (await auditWrites(s.admin)).length;
  const recs0 = [];
  for (const id of ids) recs0.push(await getPerson(id));
  await fn();
  assert.deepEqual(await peopleSnapshot(s.admin), list0, 'the people list changed');
  assert.equal((await auditWrites(s.admin)).length, audit0, 'a refused write was audited as a change');
  for (let i = 0; i < ids.length; i++)
    assert.deepEqual(await getPerson(ids[i]), recs0[i], `person ${ids[i]} changed`);
}

const wuhan = (left = '2020-01-20', ret = '2020-01-21', extra = {}) => ({
  origin: '湖北省武汉市', left_date: left, return_date: ret, transport: 'rail',
  transport_no: 'G123', reason: '探亲', ...extra,
});

const P = {};   // people made by the tests, by nickname

// The contract names no code for a malformed date; the server's specific
// code (like invalid_id_number, invalid_phone) is accepted beside invalid_field.
const DATE_CODES = ['invalid_field', 'invalid_date'];
// contactName: the name of the person at the other end of a contact link
// (the contract does not name the key).
const contactName = (c) => c.name ?? c.other_name;

// ---- registering -------------------------------------------------------------

test('register with a valid ID number: 201, sex and birth date from the number', async () => {
  const before = (await peopleSnapshot(s.admin)).length;
  const b = await register({
    name: '张秀兰', id_number: '11010519491231002X', phone: '13800138000',
    village_id: V1.id, grid_id: G1.id, address: '东旺村3排5号', notes: '独居',
  });
  const p = b.person;
  P.zhang = p.id;
  assert.equal(p.name, '张秀兰');
  assert.equal(p.sex, 'F');
  assert.equal(p.birth_date, '1949-12-31');
  assert.ok(isNone(p.id_flag), `id_flag: ${p.id_flag}`);
  assert.equal(p.village_id, V1.id);
  assert.equal(p.village_name, '东旺村');
  assert.equal(p.grid_id, G1.id);
  assert.equal(p.grid_name, '东旺村第1网格');
  assert.equal(p.address, '东旺村3排5号');
  assert.equal(p.is_case, false);
  assert.equal(p.merged_into, null);
  assert.equal(p.screening, 'confirmed');
  assert.equal(p.latest_travel, null);
  assertNoClass(b.classification, 'no travel, no contact');
  assert.match(p.created_at, /^\d{4}-\d\d-\d\dT/);

  const g = await getPerson(p.id);
  assert.equal(g.id, p.id);
  assert.equal(g.name, '张秀兰');
  assert.equal(g.sex, 'F');
  assert.equal(g.birth_date, '1949-12-31');
  assert.deepEqual(g.travels, []);
  assert.deepEqual(g.exposed_to, []);
  assert.deepEqual(g.exposed_by, []);
  const full = await getPerson(p.id, s.admin, '?full=1');
  assert.equal(full.id_number, '11010519491231002X');
  assert.equal(full.phone, '13800138000');

  // lower-case x is stored as X
  const b2 = await register({ name: '李建国', id_number: '34052419800101001x',
    phone: '13800138001', village_id: V1.id });
  P.li = b2.person.id;
  assert.equal(b2.person.sex, 'M');
  assert.equal(b2.person.birth_date, '1980-01-01');
  assert.ok(b2.person.id_number.endsWith('001X'), `id_number: ${b2.person.id_number}`);
  const full2 = await getPerson(P.li, s.admin, '?full=1');
  assert.equal(full2.id_number, '34052419800101001X');
  assert.equal((await peopleSnapshot(s.admin)).length, before + 2);
});

test('bad ID numbers are refused (422 invalid_id_number, field id_number), nothing stored', async () => {
  const bad = {
    'wrong check character': '110105194912310021',
    'wrong check character (digit mistyped)': '11010519491231003X',
    'impossible birth date 1949-02-30': idNumber('110105', '19490230', '002'),
    'impossible month 13': idNumber('110105', '19491301', '002'),
    'future birth date': idNumber('110105', '20990101', '002'),
    '17 characters': '11010519491231002',
    'X in the middle': '1101051949X231002X',
    'letters': 'ABCDEFGHIJKLMNOPQR',
  };
  await unchanged(async () => {
    for (const [what, id] of Object.entries(bad)) {
      const r = await s.admin.post('/people', { name: '错号', id_number: id,
        phone: freshPhone(), village_id: V1.id, travel: wuhan() });
      assertError(r, 422, 'invalid_id_number', 'id_number', `${what} (${id})`);
    }
  });
});

test('an old 15-digit number is accepted, stored converted, flagged legacy15', async () => {
  const b = await register({ name: '王老汉', id_number: '110105850615123',
    village_id: V1.id });
  const p = b.person;
  P.legacy = p.id;
  assert.equal(p.id_flag, 'legacy15');
  assert.equal(p.birth_date, '1985-06-15');
  assert.equal(p.sex, 'M');
  const full = await getPerson(p.id, s.admin, '?full=1');
  assert.equal(full.id_number, idNumber('110105', '19850615', '123'), 'stored as the 18-digit form');
  // The same person registered later with the new number is found again.
  const r = await s.admin.post('/people', { name: '王老汉',
    id_number: idNumber('110105', '19850615', '123'), village_id: V1.id });
  assertStatus(r, 200, 'the 18-digit form of a registered 15-digit number');
  assert.equal(r.body.created, false);
  assert.equal(r.body.person.id, p.id);
});

test('no ID number: accepted with id_flag missing', async () => {
  const b = await register({ name: '无证人甲', phone: freshPhone(), village_id: V1.id });
  assert.equal(b.person.id_flag, 'missing');
  assert.ok(isNone(b.person.id_number), `id_number: ${b.person.id_number}`);
  const b2 = await register({ name: '无证人乙', id_number: '', village_id: V1.id });
  assert.equal(b2.person.id_flag, 'missing');
  assert.notEqual(b2.person.id, b.person.id, 'two people without numbers are two people');
});

test('phones: +86 and separators stripped; a bad phone refused (invalid_phone), nothing stored', async () => {
  const b = await register({ name: '手机甲', phone: '+86 139-0013-9000', village_id: V1.id });
  const full = await getPerson(b.person.id, s.admin, '?full=1');
  assert.equal(full.phone, '13900139000');
  await unchanged(async () => {
    for (const ph of ['12345678901', '1380013800', '138001380000', 'abcdefghijk', '010-12345678']) {
      const r = await s.admin.post('/people', { name: '坏手机', phone: ph, id_number: freshId(),
        village_id: V1.id });
      assertError(r, 422, 'invalid_phone', 'phone', `phone ${ph}`);
    }
  });
});

test('name and village are required; village and grid must exist and belong together', async () => {
  await unchanged(async () => {
    assertRefused(await s.admin.post('/people', { id_number: freshId(), village_id: V1.id }),
      ['missing_field', 'invalid_field'], 'name', 'no name');
    assertRefused(await s.admin.post('/people', { name: '   ', id_number: freshId(), village_id: V1.id }),
      ['missing_field', 'invalid_field'], 'name', 'blank name');
    assertRefused(await s.admin.post('/people', { name: '无村', id_number: freshId() }),
      ['missing_field', 'invalid_field'], 'village_id', 'no village');
    assertRefused(await s.admin.post('/people', { name: '无村', id_number: freshId(), village_id: 999999 }),
      'invalid_field', 'village_id', 'unknown village');
    assertRefused(await s.admin.post('/people', { name: '网格当村', id_number: freshId(), village_id: G1.id }),
      'invalid_field', 'village_id', 'a grid given as the village');
    assertRefused(await s.admin.post('/people', { name: '错网格', id_number: freshId(),
      village_id: V1.id, grid_id: G2.id }), 'invalid_field', 'grid_id', 'grid of another village');
    assertRefused(await s.admin.post('/people', { name: '错网格', id_number: freshId(),
      village_id: V1.id, grid_id: 999999 }), 'invalid_field', 'grid_id', 'unknown grid');
  });
});

test('the same ID number again (any case of x) answers 200 created:false and adds the travel', async () => {
  const count0 = (await peopleSnapshot(s.admin)).length;
  const r1 = await s.admin.post('/people', { name: '张秀兰', id_number: '11010519491231002x',
    village_id: V1.id, travel: wuhan('2020-01-19', '2020-01-20') });
  assertStatus(r1, 200, 'second registration, lower-case x');
  assert.equal(r1.body.created, false, show(r1));
  assert.equal(r1.body.person.id, P.zhang);
  assert.ok(r1.body.classification, 'classification in the answer');
  const r2 = await s.admin.post('/people', { name: '张秀兰', id_number: '11010519491231002X',
    village_id: V1.id, travel: { origin: '武汉', left_date: '2020-01-22',
      return_date: '2020-01-23', transport: 'self_drive', transport_no: '鲁G12345' } });
  assertStatus(r2, 200, 'third registration, upper-case X');
  assert.equal(r2.body.created, false);
  assert.equal(r2.body.person.id, P.zhang);
  const g = await getPerson(P.zhang);
  assert.equal(g.travels.length, 2, `travels: ${JSON.stringify(g.travels)}`);
  assert.ok(g.travels.every((t) => t.origin_code === '420100'), JSON.stringify(g.travels));
  assert.deepEqual(g.travels.map((t) => t.transport).sort(), ['rail', 'self_drive']);
  assert.equal(g.latest_travel?.origin_code, '420100');
  // without a travel: found again, nothing added
  const r3 = await s.admin.post('/people', { name: '张秀兰', id_number: '11010519491231002X', village_id: V1.id });
  assertStatus(r3, 200);
  assert.equal(r3.body.person.id, P.zhang);
  assert.equal((await getPerson(P.zhang)).travels.length, 2);
  assert.equal((await peopleSnapshot(s.admin)).length, count0, 'the person count grew');
});

// ---- travels -------------------------------------------------------------------

test('travel origins: 湖北省武汉市, 武汉 and 420100 resolve to 420100', async () => {
  const b = await register({ name: '行程人', id_number: freshId(), village_id: V1.id });
  P.traveller = b.person.id;
  for (const [i, origin] of ['湖北省武汉市', '武汉', '420100'].entries()) {
    const r = await s.admin.post(`/people/${P.traveller}/travels`, { origin,
      left_date: `2019-12-0${i + 1}`, return_date: `2019-12-0${i + 2}`, transport: 'coach' });
    assertStatus(r, 201, `travel from ${origin}`);
    assert.ok(r.body.classification, `classification in the answer: ${show(r)}`);
  }
  const g = await getPerson(P.traveller);
  assert.equal(g.travels.length, 3);
  for (const t of g.travels) {
    assert.equal(t.origin_code, '420100', JSON.stringify(t));
    assert.equal(t.transport, 'coach');
    assert.equal(t.source, 'door_to_door', 'default source');
    assert.equal(t.status, 'returned', 'default status');
  }
  // the nested travel of POST /people resolves too
  const b2 = await register({ name: '行程人乙', id_number: freshId(), village_id: V1.id,
    travel: { origin: '武汉', left_date: '2019-12-01', return_date: '2019-12-02' } });
  assert.equal(b2.person.latest_travel?.origin_code, '420100', JSON.stringify(b2.person));
});

test('posting the very same travel again: 201 only if a travel was added', async () => {
  const t = { origin: '武汉', left_date: '2019-11-01', return_date: '2019-11-02', transport: 'air', transport_no: 'CZ3456' };
  assertStatus(await s.admin.post(`/people/${P.traveller}/travels`, t), 201, 'first time');
  const n0 = (await getPerson(P.traveller)).travels.length;
  const r = await s.admin.post(`/people/${P.traveller}/travels`, t);
  assertStatus(r, [200, 201, 409], 'the same travel again');
  const n1 = (await getPerson(P.traveller)).travels.length;
  if (r.status === 201)
    assert.equal(n1, n0 + 1, `answered 201 (created) but no travel was added: ${show(r)}`);
  else
    assert.equal(n1, n0, 'not created, yet a travel was added');
});

test('the same trip entered again with another transport is not silently lost', async () => {
  const t = { origin: '武汉', left_date: '2019-11-01', return_date: '2019-11-02', transport: 'air', transport_no: 'CZ3456' };
  const r2 = await s.admin.post(`/people/${P.traveller}/travels`, { ...t, transport: 'rail', transport_no: 'G71' });
  assertStatus(r2, [200, 201], 'the same trip by rail');
  const tr = (await getPerson(P.traveller)).travels;
  assert.ok(tr.some((x) => x.left_date === t.left_date && x.transport === 'rail' && x.transport_no === 'G71'),
    `answered ${r2.status} but the rail travel is nowhere: ${JSON.stringify(tr.filter((x) => x.left_date === t.left_date))}`);
});

test('bad travels are refused with the field named, nothing stored', async () => {
  const ok = { origin: '武汉', left_date: '2020-02-01', return_date: '2020-02-02', transport: 'rail' };
  const cases = [
    ['unknown origin', { ...ok, origin: '火星基地' }, 'invalid_field', 'origin'],
    ['no origin', { left_date: '2020-02-01', return_date: '2020-02-02' }, ['missing_field', 'invalid_field'], 'origin'],
    ['bad transport', { ...ok, transport: 'horse' }, 'invalid_field', 'transport'],
    ['return date 2020/02/10', { ...ok, return_date: '2020/02/10' }, DATE_CODES, 'return_date'],
    ['return date 2020-02-30', { ...ok, return_date: '2020-02-30' }, DATE_CODES, 'return_date'],
    ['left date 2020-13-01', { ...ok, left_date: '2020-13-01' }, DATE_CODES, 'left_date'],
    ['bad source', { ...ok, source: 'rumour' }, 'invalid_field', 'source'],
    ['bad status', { ...ok, status: 'gone' }, 'invalid_field', 'status'],
  ];
  await unchanged(async () => {
    for (const [what, travel, code, field] of cases) {
      // on an existing person
      const r = await s.admin.post(`/people/${P.traveller}/travels`, travel);
      assertRefused(r, code, [field, `travel.${field}`], `POST travels: ${what}`);
      // nested in a new registration: the person is not created either
      const r2 = await s.admin.post('/people', { name: '坏行程', id_number: freshId(),
        village_id: V1.id, travel });
      assertRefused(r2, code, [`travel.${field}`, field], `POST /people travel: ${what}`);
    }
  }, [P.traveller]);
});

// ---- risk areas and classification ----------------------------------------------

test('risk areas: admin sets Hubei high; a returnee from Wuhan is returnee_high, home isolation 14 days', async () => {
  const ra = await s.admin.post('/risk-areas', { region_code: '420000', level: 'high', start_date: '2020-01-01' });
  assertStatus(ra, 201, 'POST /risk-areas Hubei');
  assertStatus(await s.admin.post('/risk-areas', { region_code: '410000', level: 'medium', start_date: '2020-01-01' }), 201, 'Henan medium');
  assertStatus(await s.admin.post('/risk-areas', { region_code: '370100', level: 'low', start_date: '2020-01-01' }), 201, 'Jinan low');
  const list = await s.admin.get('/risk-areas');
  assertStatus(list, 200);
  const hubei = list.body.items.find((x) => x.region_code === '420000');
  assert.ok(hubei, `risk area listed: ${show(list)}`);
  assert.equal(hubei.level, 'high');
  assert.equal(hubei.start_date, '2020-01-01');

  const b = await register({ name: '武汉返乡甲', id_number: freshId(), phone: freshPhone(),
    village_id: V1.id, travel: wuhan('2020-01-20', '2020-01-21') });
  P.high = b.person.id;
  assertClass(b.classification, 'returnee_high', 'home_isolation', 14, 'left Wuhan 2020-01-20');
  assert.ok(b.classification.reasons.includes('returnee_high'), JSON.stringify(b.classification));
  assert.equal(b.person.kind, 'returnee_high');
  assert.equal(b.person.measure, 'home_isolation');
  assert.equal(b.person.period_days, 14);
  assert.equal(b.person.latest_travel.origin_code, '420100');
  assert.equal(b.person.latest_travel.risk_level, 'high');
  const g = await getPerson(P.high);
  assert.equal(g.travels[0].risk_level, 'high');
  assert.equal(g.kind, 'returnee_high');

  // rest of Hubei is high too (the area contains the city)
  const b2 = await register({ name: '孝感返乡', id_number: freshId(), village_id: V1.id,
    travel: { origin: '湖北省孝感市', left_date: '2020-01-22', return_date: '2020-01-23' } });
  assertClass(b2.classification, 'returnee_high', 'home_isolation', 14, 'Xiaogan');
  const b3 = await register({ name: '郑州返乡', id_number: freshId(), village_id: V1.id,
    travel: { origin: '郑州', left_date: '2020-01-22', return_date: '2020-01-23' } });
  assertClass(b3.classification, 'returnee_medium', 'home_monitoring', 14, 'Zhengzhou (medium)');
  assert.equal(b3.person.latest_travel.risk_level, 'medium');
  const b4 = await register({ name: '济南返乡', id_number: freshId(), village_id: V1.id,
    travel: { origin: '济南', left_date: '2020-01-22', return_date: '2020-01-23' } });
  assertClass(b4.classification, 'returnee_low', 'home_monitoring', 7, 'Jinan (low)');
  assert.equal(b4.person.latest_travel.risk_level, 'low');
});

test('risk areas apply to people registered before them, and follow later changes', async () => {
  // 张秀兰 came back from Wuhan (left 2020-01-19 and 2020-01-22) before Hubei was set high.
  const z = await getPerson(P.zhang);
  assert.equal(z.latest_travel?.risk_level, 'high', `latest travel: ${JSON.stringify(z.latest_travel)}`);
  assert.ok(z.travels.every((t) => t.risk_level === 'high'), JSON.stringify(z.travels));
  assert.equal(z.kind, 'returnee_high');
  assert.equal(z.measure, 'home_isolation');
  // Henan raised to high: the Zhengzhou returnee follows; back to medium: follows again.
  const henan = (await s.admin.get('/risk-areas')).body.items.find((x) => x.region_code === '410000');
  assert.ok(henan, 'Henan listed');
  const zz = (await listAll(s.admin, `/people?q=${encodeURIComponent('郑州返乡')}`))[0];
  assert.equal(zz.kind, 'returnee_medium');
  assertStatus(await s.admin.patch(`/risk-areas/${henan.id}`, { level: 'high' }), 200, 'PATCH Henan high');
  const zz2 = await getPerson(zz.id);
  assert.equal(zz2.kind, 'returnee_high');
  assert.equal(zz2.latest_travel.risk_level, 'high');
  assertStatus(await s.admin.patch(`/risk-areas/${henan.id}`, { level: 'medium' }), 200, 'PATCH Henan medium');
  assert.equal((await getPerson(zz.id)).kind, 'returnee_medium');
  // an area that ended before the person left does not count
  assertStatus(await s.admin.patch(`/risk-areas/${henan.id}`, { end_date: '2020-01-10' }), 200, 'end Henan 2020-01-10');
  const zz3 = await getPerson(zz.id);
  assert.equal(zz3.latest_travel.risk_level, 'none');
  assert.ok(isNone(zz3.kind), `kind after the area ended: ${zz3.kind}`);
  // clearing end_date: the contract does not say how; accept "" or null
  let clr = await s.admin.patch(`/risk-areas/${henan.id}`, { end_date: null });
  if (clr.status !== 200) clr = await s.admin.patch(`/risk-areas/${henan.id}`, { end_date: '' });
  assertStatus(clr, 200, 'Henan in force again (end_date cleared)');
  assert.equal((await getPerson(zz.id)).kind, 'returnee_medium');
  assertError(await cadre.patch(`/risk-areas/${henan.id}`, { level: 'low' }), 403, 'forbidden', undefined, 'cadre PATCH risk area');
});

test('a returnee who left Wuhan before the area\'s start date has risk none and no class', async () => {
  const b = await register({ name: '早归人', id_number: freshId(), village_id: V1.id,
    travel: wuhan('2019-12-20', '2019-12-21') });
  assert.equal(b.person.latest_travel.risk_level, 'none');
  assertNoClass(b.classification, 'left 2019-12-20');
  assert.ok(isNone(b.person.kind), `kind: ${b.person.kind}`);
  assert.equal(b.person.measure, 'none');
});

test('bad risk areas are refused; a village cadre cannot set risk areas', async () => {
  const before = (await s.admin.get('/risk-areas')).body.items;
  assertRefused(await s.admin.post('/risk-areas', { region_code: '420000', level: 'extreme', start_date: '2020-01-01' }),
    'invalid_field', 'level', 'level extreme');
  assertRefused(await s.admin.post('/risk-areas', { region_code: '999999', level: 'high', start_date: '2020-01-01' }),
    'invalid_field', 'region_code', 'unknown region');
  assertRefused(await s.admin.post('/risk-areas', { region_code: '420000', level: 'high', start_date: '2020/01/01' }),
    DATE_CODES, 'start_date', 'start date 2020/01/01');
  assertRefused(await s.admin.post('/risk-areas', { region_code: '420000', level: 'high',
    start_date: '2020-02-01', end_date: '2020-01-01' }), 'invalid_field', ['end_date', 'start_date'], 'ends before it starts');
  assertError(await cadre.post('/risk-areas', { region_code: '330000', level: 'high', start_date: '2020-01-01' }),
    403, 'forbidden', undefined, 'cadre POST /risk-areas');
  assert.deepEqual((await s.admin.get('/risk-areas')).body.items, before);
});

test('policy: PATCH returnee_high to 7 days applies to the next returnee; a cadre cannot change it', async () => {
  const pol = await s.admin.get('/policies');
  assertStatus(pol, 200);
  const high = pol.body.items.find((x) => x.kind === 'returnee_high');
  assert.deepEqual({ ...high }, { kind: 'returnee_high', measure: 'home_isolation', period_days: 14, slots_per_day: 2 });

  assertError(await cadre.patch('/policies/returnee_high', { period_days: 7 }), 403, 'forbidden', undefined, 'cadre PATCH policy');
  assertError(await volunteer.patch('/policies/returnee_high', { period_days: 7 }), 403, 'forbidden', undefined, 'volunteer PATCH policy');
  assertRefused(await s.admin.patch('/policies/returnee_high', { period_days: -1 }), 'invalid_field', 'period_days', 'period -1');
  assertRefused(await s.admin.patch('/policies/returnee_high', { period_days: 61 }), 'invalid_field', 'period_days', 'period 61');
  assertRefused(await s.admin.patch('/policies/returnee_high', { measure: 'prayer' }), 'invalid_field', 'measure', 'bad measure');
  assertError(await s.admin.patch('/policies/alien', { period_days: 7 }), [404, 422], undefined, undefined, 'unknown kind');
  assert.deepEqual((await s.admin.get('/policies')).body, pol.body, 'refused policy edits changed the policy');

  const r = await s.admin.patch('/policies/returnee_high', { period_days: 7 });
  assertStatus(r, 200, 'admin PATCH policy');
  const pol2 = await s.admin.get('/policies');
  assert.equal(pol2.body.items.find((x) => x.kind === 'returnee_high').period_days, 7);
  const b = await register({ name: '武汉返乡乙', id_number: freshId(), village_id: V1.id,
    travel: wuhan('2020-01-20', '2020-01-21') });
  assertClass(b.classification, 'returnee_high', 'home_isolation', 7, 'after the policy change');
  assert.equal(b.person.period_days, 7);
  assertStatus(await s.admin.patch('/policies/returnee_high', { period_days: 14 }), 200, 'restore 14');
  const b2 = await register({ name: '武汉返乡丙', id_number: freshId(), village_id: V1.id,
    travel: wuhan('2020-01-20', '2020-01-21') });
  assertClass(b2.classification, 'returnee_high', 'home_isolation', 14, 'after restoring');
});

// ---- close contacts --------------------------------------------------------------

test('close contacts: a case\'s family is close_contact, their colleague contact_of_contact', async () => {
  const A = (await register({ name: '病例甲', id_number: freshId(), village_id: V1.id })).person.id;
  const B = (await register({ name: '密接乙', id_number: freshId(), village_id: V1.id })).person.id;
  const C = (await register({ name: '次密接丙', id_number: freshId(), village_id: V2.id })).person.id;
  Object.assign(P, { caseA: A, contactB: B, contactC: C });
  const pa = await s.admin.patch(`/people/${A}`, { is_case: true });
  assertStatus(pa, 200, 'mark A as a case');
  assert.equal(personOf(pa).is_case, true);
  assert.equal((await getPerson(A)).is_case, true);

  const rb = await s.admin.post(`/people/${B}/contacts`, { source_id: A,
    last_exposure: '2020-02-01', relationship: 'family', setting: '同住' });
  assertStatus(rb, 201, 'B exposed to A');
  assertClass(rb.body.classification, 'close_contact', 'home_isolation', 14, 'B');
  const rc = await s.admin.post(`/people/${C}/contacts`, { source_id: B,
    last_exposure: '2020-02-03', relationship: 'colleague' });
  assertStatus(rc, 201, 'C exposed to B');
  assertClass(rc.body.classification, 'contact_of_contact', 'home_monitoring', 14, 'C');

  const gb = await getPerson(B);
  assert.equal(gb.kind, 'close_contact');
  assert.equal(gb.measure, 'home_isolation');
  assert.equal(gb.period_days, 14);
  assert.deepEqual(gb.exposed_to.map((c) => c.source_id), [A], `exposed_to: ${JSON.stringify(gb.exposed_to)}`);
  assert.equal(gb.exposed_to[0].relationship, 'family');
  assert.equal(gb.exposed_to[0].last_exposure, '2020-02-01');
  assert.equal(contactName(gb.exposed_to[0]), '病例甲');
  assert.deepEqual(gb.exposed_by.map((c) => c.person_id), [C], `exposed_by: ${JSON.stringify(gb.exposed_by)}`);
  assert.equal(contactName(gb.exposed_by[0]), '次密接丙');
  const gc = await getPerson(C);
  assert.equal(gc.kind, 'contact_of_contact');
  const ga = await getPerson(A);
  assert.deepEqual(ga.exposed_by.map((c) => c.person_id), [B]);
});

test('bad contacts are refused (self, relationship, dates, unknown source, twice), nothing stored', async () => {
  const { caseA: A, contactB: B } = P;
  await unchanged(async () => {
    assertRefused(await s.admin.post(`/people/${B}/contacts`, { source_id: B,
      last_exposure: '2020-02-01', relationship: 'family' }), 'invalid_field', 'source_id', 'contact with oneself');
    assertRefused(await s.admin.post(`/people/${B}/contacts`, { source_id: A,
      last_exposure: '2020-02-01', relationship: 'friend' }), 'invalid_field', 'relationship', 'relationship friend');
    assertRefused(await s.admin.post(`/people/${B}/contacts`, { source_id: P.zhang,
      relationship: 'family' }), ['missing_field', 'invalid_field'], 'last_exposure', 'no last exposure');
    assertRefused(await s.admin.post(`/people/${B}/contacts`, { source_id: P.zhang,
      last_exposure: '2020/02/01', relationship: 'family' }), DATE_CODES, 'last_exposure', 'exposure 2020/02/01');
    assertRefused(await s.admin.post(`/people/${B}/contacts`, { last_exposure: '2020-02-01',
      relationship: 'family' }), ['missing_field', 'invalid_field'], 'source_id', 'no source');
    const r = await s.admin.post(`/people/${B}/contacts`, { source_id: 999999,
      last_exposure: '2020-02-01', relationship: 'family' });
    assertError(r, [404, 422], ['not_found', 'invalid_field'], undefined, 'unknown source');
    assertError(await s.admin.post('/people/999999/contacts', { source_id: A,
      last_exposure: '2020-02-01', relationship: 'family' }), 404, 'not_found', undefined, 'unknown person');
  }, [A, B]);
  // The same link again: refused, or taken as the same link — never two links.
  const r2 = await s.admin.post(`/people/${B}/contacts`, { source_id: A,
    last_exposure: '2020-02-01', relationship: 'family' });
  assertStatus(r2, [200, 201, 409, 422], 'the same link twice');
  const gb = await getPerson(B);
  assert.deepEqual(gb.exposed_to.map((c) => c.source_id), [A], `links: ${JSON.stringify(gb.exposed_to)}`);
  assert.equal(gb.exposed_to[0].last_exposure, '2020-02-01');
});

test('classification follows changes: marking the source a case, removing a link', async () => {
  const F = (await register({ name: '源头戊', id_number: freshId(), village_id: V1.id })).person.id;
  const E = (await register({ name: '接触己', id_number: freshId(), village_id: V1.id })).person.id;
  const r = await s.admin.post(`/people/${E}/contacts`, { source_id: F,
    last_exposure: '2020-02-05', relationship: 'co_passenger', setting: '同车' });
  assertStatus(r, 201);
  assertNoClass(r.body.classification, 'exposed to someone who is nothing yet');
  assertStatus(await s.admin.patch(`/people/${F}`, { is_case: true }), 200);
  const ge = await getPerson(E);
  assert.equal(ge.kind, 'close_contact', 'E is reclassified when F becomes a case');
  assert.equal(ge.measure, 'home_isolation');
  const link = ge.exposed_to[0].id;
  assertStatus(await s.admin.del(`/people/${E}/contacts/${link}`), [200, 204], 'remove the link');
  const ge2 = await getPerson(E);
  assert.deepEqual(ge2.exposed_to, []);
  assert.ok(isNone(ge2.kind), `kind after removing the link: ${ge2.kind}`);
  assert.equal(ge2.measure, 'none');

  // a travel with contact_with_case: close_contact beats returnee_low
  const b = await register({ name: '济南接触', id_number: freshId(), village_id: V1.id,
    travel: { origin: '济南', left_date: '2020-01-22', return_date: '2020-01-23', contact_with_case: true } });
  assertClass(b.classification, 'close_contact', 'home_isolation', 14, 'travel with contact_with_case');
  assert.deepEqual([...b.classification.reasons].sort(), ['close_contact', 'returnee_low']);
});

test('PATCH a person: bad values refused and nothing changed; a good change answers the person', async () => {
  const id = P.li;
  await unchanged(async () => {
    assertError(await s.admin.patch(`/people/${id}`, { phone: '123' }), 422, 'invalid_phone', 'phone', 'PATCH bad phone');
    assertError(await s.admin.patch(`/people/${id}`, { id_number: '110105194912310021' }), 422, 'invalid_id_number', 'id_number', 'PATCH bad ID');
    assertRefused(await s.admin.patch(`/people/${id}`, { name: '' }), ['missing_field', 'invalid_field'], 'name', 'PATCH empty name');
    assertRefused(await s.admin.patch(`/people/${id}`, { village_id: 999999 }), 'invalid_field', 'village_id', 'PATCH unknown village');
    assertRefused(await s.admin.patch(`/people/${id}`, { grid_id: G2.id }), 'invalid_field', 'grid_id', 'PATCH grid of another village');
    const dup = await s.admin.patch(`/people/${id}`, { id_number: '11010519491231002X' });
    assertError(dup, [409, 422], ['conflict', 'duplicate', 'invalid_field', 'invalid_id_number'], undefined, 'PATCH to another person\'s ID number');
    assertError(await s.admin.patch('/people/999999', { name: '无' }), 404, 'not_found', undefined, 'PATCH unknown person');
  }, [id, P.zhang]);
  assertError(await s.admin.get('/people/999999'), 404, 'not_found', undefined, 'GET unknown person');
  const r = await s.admin.patch(`/people/${id}`, { address: '东旺村8号', phone: '13800138009' });
  assertStatus(r, 200);
  assert.equal(personOf(r).address, '东旺村8号');
  assert.equal(personOf(r).id, id);
  assert.ok(r.body.classification || personOf(r).kind !== undefined, `classification: ${show(r)}`);
  assert.equal((await getPerson(id, s.admin, '?full=1')).phone, '13800138009');
});

// ---- lists -----------------------------------------------------------------------------

test('lists: filters by village, kind, risk, origin, source, status, return dates and q', async () => {
  const L1 = (await register({ name: '欧阳明', id_number: freshId('19880808'), phone: freshPhone(),
    village_id: V1.id, travel: wuhan('2020-01-20', '2020-01-21') })).person.id;
  const L2phone = freshPhone();
  const L2 = (await register({ name: '欧阳亮', id_number: freshId('19890909'), phone: L2phone,
    village_id: V2.id, travel: { origin: '济南', left_date: '2020-02-01', return_date: '2020-02-02',
      source: 'checkpoint' } })).person.id;
  const L3id = freshId('19900101');
  const L3 = (await register({ name: '欧阳红', id_number: L3id, village_id: V1.id,
    travel: { origin: '郑州', left_date: '2020-01-25', return_date: '2020-01-28',
      status: 'expected', source: 'self_registration' } })).person.id;
  const L4 = (await register({ name: '司马欧阳', id_number: freshId('19910101'), village_id: V2.id })).person.id;
  const mine = [L1, L2, L3, L4];

  async function check(q, want, pred) {
    const items = await listAll(s.admin, `/people?${q}`);
    const got = items.map((p) => p.id);
    assert.equal(new Set(got).size, got.length, `${q}: an id twice`);
    for (const id of mine) {
      assert.equal(got.includes(id), want.includes(id),
        `${q}: person ${id} ${want.includes(id) ? 'missing' : 'should not be listed'}; got ${JSON.stringify(items.map((p) => p.name))}`);
    }
    if (pred) for (const p of items) assert.ok(pred(p), `${q}: ${JSON.stringify(p)}`);
    return items;
  }
  await check(`village_id=${V1.id}`, [L1, L3], (p) => p.village_id === V1.id);
  await check(`village_id=${V2.id}`, [L2, L4], (p) => p.village_id === V2.id);
  await check('kind=returnee_high', [L1], (p) => p.kind === 'returnee_high');
  await check('measure=home_isolation', [L1], (p) => p.measure === 'home_isolation');
  await check('risk=high', [L1], (p) => p.latest_travel?.risk_level === 'high');
  await check('risk=low', [L2], (p) => p.latest_travel?.risk_level === 'low');
  await check('origin=420000', [L1], (p) => p.latest_travel?.origin_code?.startsWith('42'));
  await check('origin=420100', [L1]);
  await check('source=checkpoint', [L2]);
  await check('source=self_registration', [L3]);
  await check('status=expected', [L3]);
  await check('return_from=2020-02-01&return_to=2020-02-05', [L2]);
  await check('return_from=2020-01-21&return_to=2020-01-21', [L1]);
  await check('return_from=2020-01-22&return_to=2020-01-31', [L3]);
  await check(`village_id=${V1.id}&risk=high`, [L1]);
  await check(`q=${encodeURIComponent('欧阳')}`, [L1, L2, L3], (p) => p.name.startsWith('欧阳'));
  await check(`q=${encodeURIComponent('欧阳亮')}`, [L2]);
  const byPhone = await check(`q=${L2phone}`, [L2]);
  assert.deepEqual(byPhone.map((p) => p.id), [L2], 'q by phone finds exactly that person');
  const byId = await check(`q=${L3id}`, [L3]);
  assert.deepEqual(byId.map((p) => p.id), [L3], 'q by ID number finds exactly that person');
});

test('lists: malformed filters are refused with the parameter named', async () => {
  for (const [q, field] of [['risk=extreme', 'risk'], ['return_from=2020/01/01', 'return_from'],
    ['return_to=2020-02-30', 'return_to'], ['village_id=abc', 'village_id'], ['limit=0', 'limit'],
    ['limit=501', 'limit'], ['kind=zombie', 'kind'], ['status=gone', 'status']]) {
    const r = await s.admin.get(`/people?${q}`);
    assertRefused(r, ['invalid_query', 'invalid_field'], field, `GET /people?${q}`, [400, 422]);
  }
});

test('paging with a cursor returns every person exactly once', async () => {
  const all = (await listAll(s.admin, '/people')).map((p) => p.id).sort((a, b) => a - b);
  assert.ok(all.length >= 20, `enough people to page: ${all.length}`);
  for (const [q, expect] of [['', all],
    [`village_id=${V1.id}&`, (await listAll(s.admin, `/people?village_id=${V1.id}`)).map((p) => p.id)]]) {
    const seen = [];
    let cursor = null;
    let pages = 0;
    for (;;) {
      const r = await s.admin.get(`/people?${q}limit=3${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
      assertStatus(r, 200, `page ${pages}`);
      assert.ok(r.body.items.length <= 3, `page of ${r.body.items.length}`);
      seen.push(...r.body.items.map((p) => p.id));
      pages++;
      cursor = r.body.next_cursor;
      if (cursor === null || cursor === undefined) break;
      assert.ok(pages < 100, 'cursor never ends');
    }
    assert.equal(new Set(seen).size, seen.length, `${q}: someone listed twice`);
    assert.deepEqual(seen.slice().sort((a, b) => a - b), expect.slice().sort((a, b) => a - b),
      `${q}: paging lost or added people`);
  }
});

// ---- masking -------------------------------------------------------------------------

test('masking: a volunteer or viewer sees 110105********002X and 138****8000; ?full=1 refused', async () => {
  const full = '11010519491231002X';
  const phone = '13800138000';
  for (const [who, c] of [['volunteer', volunteer], ['viewer', viewer]]) {
    const items = await listAll(c, '/people');
    const me = items.find((p) => p.id === P.zhang);
    assert.ok(me, `${who} lists 张秀兰`);
    assert.equal(me.id_number, maskId(full), `${who} list id_number`);
    assert.equal(me.id_number, '110105********002X');
    assert.equal(me.phone, maskPhone(phone));
    assert.equal(me.phone, '138****8000');
    const text = JSON.stringify(items);
    assert.ok(!text.includes(full) && !text.includes(phone), `${who}: full values in the list`);
    const g = await getPerson(P.zhang, c);
    assert.equal(g.id_number, '110105********002X', `${who} GET id_number`);
    assert.equal(g.phone, '138****8000', `${who} GET phone`);
    assert.ok(!JSON.stringify(g).includes(full), `${who}: full ID in GET`);
    assertError(await c.get(`/people/${P.zhang}?full=1`), 403, 'forbidden', undefined, `${who} ?full=1`);
    // legacy15 person: masked as well
    const l = await getPerson(P.legacy, c);
    assert.equal(l.id_number, maskId(idNumber('110105', '19850615', '123')));
  }
});

test('admin ?full=1 shows full values and writes an audit entry for the view', async () => {
  const before = (await listAll(s.admin, '/audit?entity=person')).filter((e) => e.entity_id === P.zhang);
  const g = await getPerson(P.zhang, s.admin, '?full=1');
  assert.equal(g.id_number, '11010519491231002X');
  assert.equal(g.phone, '13800138000');
  const after = (await listAll(s.admin, '/audit?entity=person')).filter((e) => e.entity_id === P.zhang);
  assert.equal(after.length, before.length + 1, `one audit entry for the full view: ${JSON.stringify(after.slice(0, 3))}`);
  const e = after[0];
  assert.equal(e.actor, 'admin');
  assert.ok(!/^(create|update)$/.test(e.action), `the view's action: ${e.action}`);
  assert.match(e.action, /view|read|full|reveal|unmask|show|pii/i, `the view's action names it: ${e.action}`);
  const v = await s.admin.get('/audit/verify');
  assert.equal(v.body.ok, true, show(v));
});

// ---- duplicates and merge ----------------------------------------------------------------

test('duplicates: same name and phone without ID numbers; merge moves travels and contacts', async () => {
  const phone = freshPhone();
  const K = (await register({ name: '病例癸', id_number: freshId(), village_id: V1.id, is_case: true })).person.id;
  assertStatus(await s.admin.patch(`/people/${K}`, { is_case: true }), 200);
  const a = (await register({ name: '赵四', phone, village_id: V1.id,
    travel: wuhan('2020-01-20', '2020-01-21') })).person.id;
  const b = (await register({ name: '赵四', phone, village_id: V1.id,
    travel: { origin: '济南', left_date: '2020-01-25', return_date: '2020-01-26' } })).person.id;
  assertStatus(await s.admin.post(`/people/${b}/contacts`, { source_id: K,
    last_exposure: '2020-01-27', relationship: 'family' }), 201);
  const ta = (await getPerson(a)).travels.map((t) => t.id);
  const tb = (await getPerson(b)).travels.map((t) => t.id);

  const d = await s.admin.get('/people/duplicates');
  assertStatus(d, 200);
  const pair = d.body.items.find((x) => [x.a.id, x.b.id].sort().join() === [a, b].sort().join());
  assert.ok(pair, `pair listed: ${show(d)}`);
  assert.equal(pair.reason, 'name_phone');
  assert.equal(pair.a.name, '赵四');

  const m = await s.admin.post(`/people/${a}/merge`, { from_id: b });
  assertStatus(m, 200, 'merge b into a');
  const gb = await getPerson(b);
  assert.equal(gb.merged_into, a);
  assert.deepEqual(gb.travels, [], 'the merged person keeps no travels');
  const ga = await getPerson(a);
  assert.deepEqual(ga.travels.map((t) => t.id).sort(), [...ta, ...tb].sort(), 'b\'s travels are a\'s now');
  assert.deepEqual(ga.exposed_to.map((c) => c.source_id), [K], 'b\'s contact is a\'s now');
  assert.ok(['returnee_high', 'close_contact'].includes(ga.kind), `a reclassified: ${ga.kind}`);
  assert.equal(ga.measure, 'home_isolation');

  const list = (await listAll(s.admin, '/people')).map((p) => p.id);
  assert.ok(list.includes(a) && !list.includes(b), 'merged people are not in the default list');
  const byName = await listAll(s.admin, `/people?q=${encodeURIComponent('赵四')}`);
  assert.deepEqual(byName.map((p) => p.id), [a]);
  const d2 = await s.admin.get('/people/duplicates');
  assert.ok(!d2.body.items.some((x) => [x.a.id, x.b.id].includes(b)), 'the merged pair is still a duplicate');
  const audit = await listAll(s.admin, '/audit?entity=person');
  assert.ok(audit.some((e) => /merge/i.test(e.action) && [a, b].includes(e.entity_id)),
    `merge audited: ${JSON.stringify(audit.slice(0, 5))}`);
  // merging the merged person again, or into them, is refused
  await unchanged(async () => {
    assertError(await s.admin.post(`/people/${a}/merge`, { from_id: b }), [409, 422], undefined, undefined, 'merge b twice');
    const other = (await listAll(s.admin, `/people?q=${encodeURIComponent('张秀兰')}`))[0].id;
    assertError(await s.admin.post(`/people/${b}/merge`, { from_id: other }), [409, 422], undefined, undefined, 'merge into a merged person');
  }, [a, b]);
});

test('merge: two exposures to the same source become one link', async () => {
  const phone = freshPhone();
  const K = (await register({ name: '病例壬', id_number: freshId(), village_id: V1.id })).person.id;
  assertStatus(await s.admin.patch(`/people/${K}`, { is_case: true }), 200);
  const a = (await register({ name: '钱五', phone, village_id: V1.id })).person.id;
  const b = (await register({ name: '钱五', phone, village_id: V1.id })).person.id;
  for (const x of [a, b])
    assertStatus(await s.admin.post(`/people/${x}/contacts`, { source_id: K,
      last_exposure: x === a ? '2020-02-01' : '2020-02-03', relationship: 'family' }), 201);
  const m = await s.admin.post(`/people/${a}/merge`, { from_id: b });
  assertStatus(m, 200, 'merge two people exposed to the same case');
  const ga = await getPerson(a);
  assert.deepEqual(ga.exposed_to.map((c) => c.source_id), [K], JSON.stringify(ga.exposed_to));
  assert.equal(ga.kind, 'close_contact');
  assert.deepEqual((await getPerson(K)).exposed_by.map((c) => c.person_id), [a]);
});

test('merge refusals: different ID numbers, oneself, twice, unknown; nothing changed', async () => {
  const m1 = (await register({ name: '孙六', id_number: freshId('19660606'), phone: '13600136000',
    village_id: V1.id, travel: wuhan() })).person.id;
  const m2 = (await register({ name: '孙六', id_number: freshId('19660606'), phone: '13600136000',
    village_id: V1.id })).person.id;
  await unchanged(async () => {
    assertError(await s.admin.post(`/people/${m1}/merge`, { from_id: m2 }), 422, undefined, undefined,
      'merge two people with different ID numbers');
    assertError(await s.admin.post(`/people/${m1}/merge`, { from_id: m1 }), 422, undefined, undefined, 'merge into oneself');
    assertError(await s.admin.post(`/people/${m1}/merge`, { from_id: 999999 }), [404, 422], undefined, undefined, 'merge unknown');
    assertError(await s.admin.post('/people/999999/merge', { from_id: m2 }), 404, 'not_found', undefined, 'merge into unknown');
    assertRefused(await s.admin.post(`/people/${m1}/merge`, {}), ['missing_field', 'invalid_field'], 'from_id', 'merge without from_id');
  }, [m1, m2]);
});

// ---- audit -----------------------------------------------------------------------------

test('audit: every person write appears with entity person; verify stays ok', async () => {
  let prev = await auditWrites(s.admin);
  // fresh: the entries written since prev
  const fresh = async (what) => {
    const now = await auditWrites(s.admin);
    assert.ok(now.length > prev.length, `${what}: not audited with entity person`);
    const added = now.slice(0, now.length - prev.length);
    prev = now;
    return added;
  };
  const b = await register({ name: '审计人', id_number: freshId(), village_id: V1.id });
  const id = b.person.id;
  const created = (await fresh('create')).find((e) => e.entity_id === id);
  assert.ok(created && /create/i.test(created.action), `create entry for ${id}`);
  assert.equal(created.actor, 'admin');
  assert.match(created.at, /^\d{4}-\d\d-\d\dT/);
  const writes = [
    ['PATCH', () => s.admin.patch(`/people/${id}`, { address: '审计路1号' })],
    ['add travel', () => s.admin.post(`/people/${id}/travels`, wuhan())],
    ['PATCH travel', async () => {
      const t = (await getPerson(id)).travels[0];
      return s.admin.patch(`/people/${id}/travels/${t.id}`, { transport_no: 'G456' });
    }],
    ['add contact', () => s.admin.post(`/people/${id}/contacts`, { source_id: P.caseA,
      last_exposure: '2020-02-02', relationship: 'other' })],
    ['remove contact', async () => {
      const c = (await getPerson(id)).exposed_to[0];
      return s.admin.del(`/people/${id}/contacts/${c.id}`);
    }],
  ];
  const missing = [];
  for (const [what, fn] of writes) {
    const r = await fn();
    assertStatus(r, [200, 201, 204], what);
    const now = await auditWrites(s.admin);
    const added = now.slice(0, now.length - prev.length);
    prev = now;
    if (!added.some((e) => e.entity_id === id)) {
      const all = (await listAll(s.admin, '/audit?limit=3')).slice(0, 2);
      missing.push(`${what}: no entity=person entry for person ${id}; newest entries: ${JSON.stringify(all.map((e) => ({ action: e.action, entity: e.entity, entity_id: e.entity_id, summary: e.summary })))}`);
    }
  }
  assert.deepEqual(missing, [], 'person writes missing from GET /audit?entity=person');
  // a refused write adds nothing
  assertError(await s.admin.patch(`/people/${id}`, { phone: 'x' }), 422, 'invalid_phone', 'phone');
  assert.equal((await auditWrites(s.admin)).length, prev.length, 'a refused PATCH was audited');
  // a cadre's write names the cadre
  const cb = await register({ name: '村干部登记', id_number: freshId(), village_id: V1.id }, 'cadre registers', cadre);
  const byCadre = await listAll(s.admin, '/audit?entity=person&actor=cadre1');
  assert.ok(byCadre.some((e) => e.entity_id === cb.person.id), 'the cadre\'s create is audited under the cadre');
  const v = await s.admin.get('/audit/verify');
  assertStatus(v, 200);
  assert.equal(v.body.ok, true, show(v));
  assert.equal(v.body.entries, (await listAll(s.admin, '/audit')).length);
  await assertHealthy(s.url);
});
