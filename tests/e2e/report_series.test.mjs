// report_series.test.mjs — GET /reports/series (docs/report.md, "The
// series"): on a small town built over three days (the server's clock moved
// from day to day: returnees, measures, checks, a fever, checkpoint passes),
// every day of the series equals that day's daily report, for the admin
// and for a village's account (its village only); to and days default to
// today and 30; bad query values are 400 naming the field; an account
// without report.read is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError, assertStatus, createPlace, newUser, loginAs, idNumber,
  startObservationServer, shanghai,
} from './lib.mjs';

const KEYS = {
  returnees_total: (r) => r.returnees.total,
  returnees_new: (r) => r.returnees.new,
  observation_current: (r) => r.observation.current,
  checks_done: (r) => r.observation.checks_done,
  checks_missed: (r) => r.observation.checks_missed,
  fever: (r) => r.observation.fever,
  passes: (r) => r.checkpoints.passes,
  persons: (r) => r.checkpoints.persons,
};
const DAYS = ['2020-02-06', '2020-02-07', '2020-02-08', '2020-02-09', '2020-02-10'];

let s; let V1; let V2; let P1;
let seq = 501;

async function register(name, village, from, day) {
  const r = await s.admin.post('/people', { id_number: idNumber('370724', '19850101', seq++),
    name, village_id: village.id,
    travel: { origin: from, left_date: day, return_date: day, transport: 'rail' } });
  assertStatus(r, 201, `POST /people ${name}`);
  const m = await s.admin.get(`/people/${r.body.person.id}/measures`);
  assertStatus(m, 200);
  return { person: r.body.person, measure: m.body.items.find((x) => x.status === 'active') };
}

async function check(who, temperature, slot) {
  const r = await s.admin.post(`/measures/${who.measure.id}/checks`, { temperature, slot });
  assertStatus(r, 201, `check ${who.person.name}`);
}

async function pass(clientId, names) {
  const r = await s.admin.post('/passes', { client_id: clientId, point_id: P1.id,
    direction: 'in', vehicle: 'car', plate: '鲁G54321',
    persons: names.map((name) => ({ name, id_number: idNumber('370724', '19900101', seq++),
      phone: '13900002222', from: '山东省潍坊市', to_village_id: V1.id, address: '东旺村2号',
      temperature: 36.4, reason: '返乡', outcome: 'admitted' })) });
  assertStatus(r, 201, 'POST /passes');
}

// assertSeriesIsReports: each day of the series equals the daily report of
// that day, as the same client sees it.
async function assertSeriesIsReports(client, series) {
  assert.deepEqual(series.map((d) => d.date), DAYS);
  for (const d of series) {
    const r = await client.get(`/reports/daily?date=${d.date}`);
    assertStatus(r, 200, `daily ${d.date}`);
    const want = { date: d.date };
    for (const [k, get] of Object.entries(KEYS)) want[k] = get(r.body);
    assert.deepEqual(d, want, `the series on ${d.date}`);
  }
}

before(async () => {
  s = await startObservationServer({ clock: shanghai('2020-02-08 10:00'), sweepSeconds: 3600 });
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  V2 = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  P1 = await createPlace(s.admin, { type: 'point', name: '东旺村北卡口', village_id: V1.id });
  // coming back from these provinces puts a person under home isolation
  for (const region of ['湖北省', '广东省']) {
    assertStatus(await s.admin.post('/risk-areas',
      { region_code: region, level: 'high', start_date: '2020-01-01' }), 201, region);
  }
  // the 8th: A (V1, back from 武汉 on the 5th) has a fever in the morning;
  // B (V2) back today; a car of two through P1
  const A = await register('张武汉', V1, '武汉', '2020-02-05');
  const B = await register('李广州', V2, '广州', '2020-02-08');
  await check(A, 37.6, 1);
  await pass('ser-1', ['甲', '乙']);
  // the 9th: C (V2) back; B checked in the morning; a car of one
  s.setClock(shanghai('2020-02-09 10:00'));
  await register('王深圳', V2, '深圳', '2020-02-09');
  await check(B, 36.5, 1);
  await pass('ser-2', ['丙']);
  // the 10th, 12:30: D (V1) back; A checked in the morning
  s.setClock(shanghai('2020-02-10 12:30'));
  await register('赵上海', V1, '上海', '2020-02-10');
  await check(A, 36.8, 1);
});
after(async () => { await s?.stop(); });

test('each day of the series is that day\'s daily report', async () => {
  const r = await s.admin.get('/reports/series?to=2020-02-10&days=5');
  assertStatus(r, 200, 'GET /reports/series');
  assert.equal(r.body.to, '2020-02-10');
  assert.equal(r.body.days, 5);
  const series = r.body.series;
  await assertSeriesIsReports(s.admin, series);
  // and the figures are the town's as built above
  assert.deepEqual(series.map((d) => d.returnees_total), [1, 1, 2, 3, 4]);
  assert.deepEqual(series.map((d) => d.returnees_new), [0, 0, 2, 1, 1]);
  assert.deepEqual(series.map((d) => d.passes), [0, 0, 1, 1, 0]);
  assert.deepEqual(series.map((d) => d.persons), [0, 0, 2, 1, 0]);
  assert.deepEqual(series.map((d) => d.fever), [0, 0, 1, 0, 0]);
  assert.ok(series.some((d) => d.checks_done > 0) && series.some((d) => d.checks_missed > 0),
    JSON.stringify(series));
  assert.ok(series.every((d, i) => i === 0
    || d.observation_current >= series[i - 1].observation_current));
});

test('to defaults to today and days to 30', async () => {
  const r = await s.admin.get('/reports/series');
  assertStatus(r, 200);
  assert.equal(r.body.to, '2020-02-10');
  assert.equal(r.body.days, 30);
  assert.equal(r.body.series.length, 30);
  assert.equal(r.body.series[0].date, '2020-01-12');
  assert.equal(r.body.series[29].date, '2020-02-10');
  const five = await s.admin.get('/reports/series?to=2020-02-10&days=5');
  assert.deepEqual(r.body.series.slice(25), five.body.series);
  const one = await s.admin.get('/reports/series?to=2020-02-08&days=1');
  assertStatus(one, 200);
  assert.deepEqual(one.body.series, [five.body.series[2]]);
});

test('a village account\'s series covers its village only', async () => {
  await newUser(s.admin, { username: 'bao1', role: 'assigned_cadre', villages: [V1.id] });
  await newUser(s.admin, { username: 'cun1', role: 'village_cadre', villages: [V1.id] });
  const bao = await loginAs(s.url, 'bao1', 'user-pass-123');
  const r = await bao.get('/reports/series?to=2020-02-10&days=5');
  assertStatus(r, 200);
  await assertSeriesIsReports(bao, r.body.series);
  assert.deepEqual(r.body.series.map((d) => d.returnees_total), [1, 1, 1, 1, 2]);
  assert.deepEqual(r.body.series.map((d) => d.fever), [0, 0, 1, 0, 0]);
  const cun = await loginAs(s.url, 'cun1', 'user-pass-123');
  assertError(await cun.get('/reports/series'), 403, undefined, undefined, 'no report.read');
});

test('bad query values are 400 naming the field', async () => {
  for (const bad of ['0', '91', '-1', 'x', '', '3.5', '30d']) {
    assertError(await s.admin.get(`/reports/series?days=${bad}`), 400, 'invalid_query',
      'days', `days=${bad}`);
  }
  for (const bad of ['2020-02-30', '20200210', 'x', '2020-2-10', '2020-02-10T00:00']) {
    assertError(await s.admin.get(`/reports/series?to=${bad}&days=5`), 400, 'invalid_query',
      'to', `to=${bad}`);
  }
  // a series reaching before 1900
  assertError(await s.admin.get('/reports/series?to=1900-01-10&days=30'), 400,
    'invalid_query', 'to', 'before 1900');
  assertStatus(await s.admin.get('/reports/series?to=1900-01-10&days=10'), 200);
  assertStatus(await s.admin.get('/reports/series?to=2020-02-10&days=90'), 200);
});
