// report.test.mjs — the daily dispatch report (docs/report.md): the zero
// report of an empty town, each figure on small hand-made data (two
// villages, returnees from 武汉 and elsewhere, a close contact, measures,
// checks, a fever, a checkpoint pass, disinfection, a full-coverage
// inspection round, supplies), the scope of a village's account, and
// `fangyi report --format json` giving the API's answer.  The server's
// "now" is fixed with --test-clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './harness.mjs';
import {
  assertError, assertStatus, createPlace, newUser, loginAs, idNumber,
  startObservationServer, shanghai, listAll,
} from './lib.mjs';

const D = '2020-02-10';
let s;

async function report(client, date = D) {
  const r = await client.get(`/reports/daily?date=${date}`);
  assertStatus(r, 200, `GET /reports/daily?date=${date}`);
  return r.body;
}

const ZERO_COUNTS = {
  returnees: { total: 0, new: 0, from_wuhan: 0, from_hubei: 0, from_high_risk: 0 },
  observation: { current: 0, new: 0, released: 0, released_total: 0,
    checks_due: 0, checks_done: 0, checks_missed: 0, fever: 0 },
  close_contacts: { total: 0, under_observation: 0 },
  coverage: { screened_pct: 100, screened: 0, screened_of: 0,
    visited_pct: 100, visited: 0, visited_of: 0,
    contacts_observed_pct: 100, contacts_observed: 0, contacts_observed_of: 0 },
  checkpoints: { passes: 0, persons: 0, vehicles: 0, turned_back: 0,
    new_returnees: 0, fever: 0 },
  disinfection: { area_m2: 0, area_m2_total: 0 },
  inspections: { rounds_total: 0, full_rounds_total: 0, visits: 0, problems_open: 0 },
};

before(async () => {
  // 12:30 in the town: the morning slot of D is past its deadline
  s = await startObservationServer({ clock: shanghai(`${D} 12:30`), sweepSeconds: 3600 });
});
after(async () => { await s?.stop(); });

test('an empty town has a zero report, percentages 100.0', async () => {
  const r = await report(s.admin);
  assert.equal(r.date, D);
  assert.equal(r.town, '测试镇');
  assert.equal(r.villages, 0);
  assert.equal(r.points, 0);
  for (const [k, v] of Object.entries(ZERO_COUNTS)) assert.deepEqual(r[k], v, k);
  assert.deepEqual(r.by_village, []);
  assert.deepEqual(r.supplies.map((x) => [x.item, x.unit, x.received_total, x.issued_total, x.stock]),
    [['医用口罩', '个', 0, 0, 0], ['消毒液', 'kg', 0, 0, 0], ['体温计', '支', 0, 0, 0],
      ['防护服', '套', 0, 0, 0]]);
  // the raw text has one decimal
  const raw = await fetch(`${s.url}/api/v1/reports/daily?date=${D}`,
    { headers: { cookie: s.admin.cookie ?? '' } });
  if (raw.status === 200) assert.match(await raw.text(), /"screened_pct":100\.0/);
  // a bad date is 400 invalid_query; no date is today
  for (const bad of ['2020-02-30', '20200210', 'x', '2020-2-10']) {
    assertError(await s.admin.get(`/reports/daily?date=${bad}`), 400, 'invalid_query', 'date', bad);
  }
  const today = await s.admin.get('/reports/daily');
  assertStatus(today, 200);
  assert.equal(today.body.date, D);
});

let V1; let V2; let P1;
let seq = 401;
const freshId = () => idNumber('370724', '19800101', seq++);

async function register(body) {
  const r = await s.admin.post('/people', { id_number: freshId(), ...body });
  assertStatus(r, 201, `POST /people ${body.name}`);
  return r.body.person;
}

async function activeMeasure(personId) {
  const r = await s.admin.get(`/people/${personId}/measures`);
  assertStatus(r, 200);
  return r.body.items.find((m) => m.status === 'active');
}

test('each figure of a small town', async () => {
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  V2 = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  P1 = await createPlace(s.admin, { type: 'point', name: '东旺村北卡口', village_id: V1.id });
  assertStatus(await s.admin.post('/risk-areas',
    { region_code: '湖北省', level: 'high', start_date: '2020-01-01' }), 201, 'risk area');

  // A: from 武汉 (high risk when leaving), V1 — home isolation from the departure
  const A = await register({ name: '张武汉', village_id: V1.id,
    travel: { origin: '武汉', left_date: '2020-02-01', return_date: '2020-02-01', transport: 'rail' } });
  // B: from 广州 (no risk area), V2
  const B = await register({ name: '李广州', village_id: V2.id,
    travel: { origin: '广州', left_date: '2020-02-03', return_date: '2020-02-03', transport: 'rail' } });
  // E: returns after D: not a returnee of D
  await register({ name: '周后归', village_id: V2.id,
    travel: { origin: '广州', left_date: '2020-02-10', return_date: '2020-02-10', transport: 'rail' } });
  // C: close contact (V2) of a case K (V1)
  const K = await register({ name: '赵确诊', village_id: V1.id, is_case: true });
  const C = await register({ name: '钱密接', village_id: V2.id });
  assertStatus(await s.admin.post(`/people/${C.id}/contacts`,
    { source_id: K.id, last_exposure: '2020-02-08', relationship: 'family' }), 201, 'contact');

  const mA = await activeMeasure(A.id);
  const mC = await activeMeasure(C.id);
  assert.ok(mA && mC, 'A and C are under a measure');
  // A's morning check: 37.5 is a fever (an alert); C's morning is missed
  let r = await s.admin.post(`/measures/${mA.id}/checks`, { temperature: 37.5, slot: 1 });
  assertStatus(r, 201, 'check A');
  assert.ok(r.body.alert, 'a fever alert');

  // a car through P1: one admitted, one turned back, one to the fever clinic
  const person = (name, extra) => ({ name, id_number: freshId(), phone: '13900001111',
    from: '湖北省武汉市', to_village_id: V1.id, address: '东旺村1号', temperature: 36.5,
    reason: '返乡', outcome: 'admitted', ...extra });
  r = await s.admin.post('/passes', { client_id: 'rep-1', point_id: P1.id, direction: 'in',
    vehicle: 'car', plate: '鲁G12345', persons: [person('甲'),
      person('乙', { outcome: 'turned_back' }),
      person('丙', { temperature: 37.8, outcome: 'fever_clinic' })] });
  assertStatus(r, 201, 'POST /passes');

  // disinfection: 1200 m² in V1 on D, 800 m² of a free-text place the day before
  assertStatus(await s.admin.post('/disinfection', { day: D, place_id: V1.id, area: 1200,
    agent: '84消毒液', method: 'spray', operator: '消杀队' }), 201, 'disinfection V1');
  assertStatus(await s.admin.post('/disinfection', { day: '2020-02-09', place_text: '镇集市',
    area: 800, agent: '84消毒液', method: 'spray', operator: '消杀队' }), 201, 'disinfection town');

  // a full-coverage round on D, P1 visited with a problem
  r = await s.admin.post('/inspection-rounds', { name: '全覆盖督查', day: D, full_coverage: true });
  assertStatus(r, 201, 'round');
  assertStatus(await s.admin.post('/inspection-visits', { round_id: r.body.round.id,
    place_id: P1.id, day: D, problems: '无测温记录', required_fix: '补登记',
    deadline: '2020-02-12' }), 201, 'visit');

  // supplies: 3000 masks received the day before, 1000 issued to V1 on D
  const items = await listAll(s.admin, '/supply-items');
  const masks = items.find((i) => i.name === '医用口罩');
  assertStatus(await s.admin.post('/supplies', { kind: 'receipt', item_id: masks.id,
    quantity: 3000, source: 'allocated', day: '2020-02-09' }), 201, 'receipt');
  assertStatus(await s.admin.post('/supplies', { kind: 'issue', item_id: masks.id,
    quantity: 1000, place_id: V1.id, recipient: '张村长', day: D }), 201, 'issue');

  const t = await report(s.admin);
  assert.equal(t.villages, 2);
  assert.equal(t.points, 1);
  // E returned on D, so counts; everyone was registered on D
  assert.deepEqual(t.returnees, { total: 3, new: 3, from_wuhan: 1, from_hubei: 1, from_high_risk: 1 });
  assert.deepEqual(t.observation, { current: 2, new: 2, released: 0, released_total: 0,
    checks_due: 4, checks_done: 1, checks_missed: 1, fever: 2 });
  assert.deepEqual(t.close_contacts, { total: 1, under_observation: 1 });
  assert.deepEqual(t.coverage, { screened_pct: 100, screened: 3, screened_of: 3,
    visited_pct: 50, visited: 1, visited_of: 2,
    contacts_observed_pct: 100, contacts_observed: 1, contacts_observed_of: 1 });
  assert.deepEqual(t.checkpoints, { passes: 1, persons: 3, vehicles: 1, turned_back: 1,
    new_returnees: 0, fever: 1 });
  assert.deepEqual(t.disinfection, { area_m2: 1200, area_m2_total: 2000 });
  assert.deepEqual(t.inspections, { rounds_total: 1, full_rounds_total: 1, visits: 1, problems_open: 1 });
  const m = t.supplies.find((x) => x.item === '医用口罩');
  assert.deepEqual(m, { item: '医用口罩', unit: '个', received_total: 3000, issued_total: 1000, stock: 2000 });
  assert.deepEqual(t.by_village.map((v) => [v.village, v.returnees_total, v.observation_current,
    v.checks_missed, v.fever, v.close_contacts, v.passes, v.disinfection_area_m2]),
  [['东旺村', 1, 1, 0, 2, 0, 1, 1200], ['西旺村', 2, 1, 1, 0, 1, 0, 0]]);

  // the day before: E not back yet, nobody registered that day, both
  // measures already counting, every slot of that day missed
  const y = await report(s.admin, '2020-02-09');
  assert.deepEqual(y.returnees, { total: 2, new: 0, from_wuhan: 1, from_hubei: 1, from_high_risk: 1 });
  assert.deepEqual(y.observation, { current: 2, new: 0, released: 0, released_total: 0,
    checks_due: 4, checks_done: 0, checks_missed: 4, fever: 0 });
  assert.deepEqual(y.checkpoints, ZERO_COUNTS.checkpoints);
  assert.deepEqual(y.disinfection, { area_m2: 800, area_m2_total: 800 });
  assert.deepEqual(y.inspections, ZERO_COUNTS.inspections);
  assert.deepEqual(y.supplies.find((x) => x.item === '医用口罩'),
    { item: '医用口罩', unit: '个', received_total: 3000, issued_total: 0, stock: 3000 });
  // a day with nothing at all, long before: the zero report, with the places
  const z = await report(s.admin, '2019-12-01');
  for (const [k, v] of Object.entries(ZERO_COUNTS)) assert.deepEqual(z[k], v, k);
  assert.equal(z.by_village.length, 2);

  // C released early on D: released today and in total; still observed on
  // D, owing no further checks
  r = await s.admin.post(`/measures/${mC.id}/changes`, { action: 'release', date: D,
    reason: '核酸阴性，专家组同意提前解除' });
  assertStatus(r, 200, 'release C');
  const t2 = await report(s.admin);
  assert.deepEqual(t2.observation, { current: 2, new: 2, released: 1, released_total: 1,
    checks_due: 2, checks_done: 1, checks_missed: 0, fever: 2 });
  const t3 = await report(s.admin, '2020-02-11');
  assert.equal(t3.observation.current, 1);
  assert.equal(t3.observation.released, 0);
  assert.equal(t3.observation.released_total, 1);
  assert.deepEqual(t3.close_contacts, { total: 1, under_observation: 0 });
  assert.equal(t3.coverage.contacts_observed_pct, 0);
});

test('a village account sees its village only; others cannot read reports', async () => {
  await newUser(s.admin, { username: 'bao1', role: 'assigned_cadre', villages: [V1.id] });
  await newUser(s.admin, { username: 'cun1', role: 'village_cadre', villages: [V1.id] });
  const bao = await loginAs(s.url, 'bao1', 'user-pass-123');
  const cun = await loginAs(s.url, 'cun1', 'user-pass-123');
  const r = await report(bao);
  assert.equal(r.villages, 1);
  assert.equal(r.points, 1);
  assert.deepEqual(r.returnees, { total: 1, new: 1, from_wuhan: 1, from_hubei: 1, from_high_risk: 1 });
  assert.equal(r.observation.current, 1);
  assert.equal(r.observation.checks_done, 1);
  assert.equal(r.observation.checks_missed, 0);
  assert.equal(r.observation.fever, 2);
  assert.equal(r.observation.released, 0, 'C is in 西旺村');
  assert.deepEqual(r.close_contacts, { total: 0, under_observation: 0 });
  assert.equal(r.coverage.contacts_observed_pct, 100);
  assert.deepEqual(r.disinfection, { area_m2: 1200, area_m2_total: 1200 },
    'the town-level disinfection is not a village\'s');
  assert.deepEqual(r.by_village.map((v) => v.village), ['东旺村']);
  assert.equal(r.checkpoints.passes, 1);
  const o = await cun.get(`/reports/daily?date=${D}`);
  assert.equal(o.status, 403, JSON.stringify(o.body));
});

test('fangyi report --format json gives the API\'s answer', async () => {
  // the next morning: every slot of D is past in both clocks
  s.setClock(shanghai('2020-02-11 10:00'));
  const api = await report(s.admin);
  const cli = runCli(['report', s.db, '--date', D, '--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), api);
  assert.equal(api.observation.checks_missed, 1, `A's evening: ${JSON.stringify(api)}`);
  const txt = runCli(['report', s.db, '--date', D]);
  assert.equal(txt.status, 0, txt.stderr);
  assert.match(txt.stdout, /返乡人员累计：3 人/);
  assert.match(txt.stdout, /其中武汉返乡：1 人/);
  assert.match(txt.stdout, /累计消毒面积：2000\.0 平方米/);
  const bad = runCli(['report', s.db, '--date', '2020-13-01', '--format', 'json']);
  assert.notEqual(bad.status, 0);
  const fmt = runCli(['report', s.db, '--date', D, '--format', 'pdf']);
  assert.equal(fmt.status, 2);
});
