// regions.test.mjs — the region suggestions and risk areas
// (docs/api.md: GET /regions, /risk-areas).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  sqlite, finish,
} from './lib.mjs';

let s;
let cadre;
let area;
before(async () => {
  s = await startServer();
  const village = await createPlace(s.admin, { type: 'village', name: '东村' });
  await newUser(s.admin, { username: 'dongcun', role: 'village_cadre',
    villages: [village.id] });
  cadre = await loginAs(s.url, 'dongcun', 'user-pass-123');
});
after(async () => { await finish(s); });

test('the region table is loaded when the database is created', () => {
  const n = Number(sqlite(s.db, 'SELECT count(*) FROM regions'));
  assert.ok(n > 3000 && n < 3600, `regions: ${n}`);
});

test('GET /regions?q=武汉 finds 420100 first, with the documented shape', async () => {
  const r = await s.admin.get('/regions?q=' + encodeURIComponent('武汉'));
  assertStatus(r, 200);
  assert.ok(Array.isArray(r.body.items) && r.body.items.length <= 20, show(r));
  assert.deepEqual(r.body.items[0],
    { code: '420100', name: '武汉市', full_name: '湖北省武汉市', level: 2 });
  assert.ok(r.body.items.some((g) => g.code === '420102'), show(r));
  const c = await cadre.get('/regions?q=' + encodeURIComponent('湖北武汉'));
  assertStatus(c, 200);
  assert.equal(c.body.items[0]?.code, '420100', show(c));
  const code = await s.admin.get('/regions?q=420102');
  assert.equal(code.body.items[0]?.full_name, '湖北省武汉市江岸区', show(code));
  const none = await s.admin.get('/regions?q=' + encodeURIComponent('火星'));
  assertStatus(none, 200);
  assert.deepEqual(none.body.items, []);
});

test('GET /regions without q is 400 invalid_query', async () => {
  assertError(await s.admin.get('/regions'), 400, 'invalid_query', 'q');
  assertError(await s.admin.get('/regions?q='), 400, 'invalid_query', 'q');
});

test('admin creates a risk area: 201 with the risk area', async () => {
  const r = await s.admin.post('/risk-areas',
    { region_code: '湖北省', level: 'high', start_date: '2020-01-20' });
  assertStatus(r, 201);
  area = r.body;
  assert.equal(typeof area.id, 'number');
  assert.deepEqual({ ...area, id: 0 }, { id: 0, region_code: '420000',
    region_name: '湖北省', level: 'high', start_date: '2020-01-20',
    end_date: null });
  const audit = await s.admin.get('/audit?entity=risk_area');
  assertStatus(audit, 200);
  assert.equal(audit.body.items.length, 1, show(audit));
  assert.equal(audit.body.items[0].entity_id, area.id);
});

test('a village cadre may read risk areas but not set them (403)', async () => {
  const before = sqlite(s.db, 'SELECT count(*) FROM risk_areas');
  const r = await cadre.post('/risk-areas',
    { region_code: '420100', level: 'high', start_date: '2020-01-20' });
  assertError(r, 403, 'forbidden');
  const p = await cadre.patch(`/risk-areas/${area.id}`, { level: 'low' });
  assertError(p, 403, 'forbidden');
  assert.equal(sqlite(s.db, 'SELECT count(*) FROM risk_areas'), before);
  const list = await cadre.get('/risk-areas');
  assertStatus(list, 200);
  assert.equal(list.body.items.length, 1);
});

test('bad input is 422 naming the field, and nothing is stored', async () => {
  const before = sqlite(s.db, 'SELECT count(*) FROM risk_areas');
  const cases = [
    [{ region_code: '420100', level: 'severe', start_date: '2020-01-20' }, 'level'],
    [{ region_code: '420100', start_date: '2020-01-20' }, 'level'],
    [{ region_code: '火星', level: 'high', start_date: '2020-01-20' }, 'region_code'],
    [{ region_code: '朝阳区', level: 'high', start_date: '2020-01-20' }, 'region_code'],
    [{ level: 'high', start_date: '2020-01-20' }, 'region_code'],
    [{ region_code: '420100', level: 'high', start_date: '2020-02-30' }, 'start_date'],
    [{ region_code: '420100', level: 'high', start_date: '2020-01-20',
      end_date: '2020-01-19' }, 'end_date'],
    [{ region_code: 420100, level: 'high', start_date: '2020-01-20' }, 'region_code'],
  ];
  for (const [body, field] of cases) {
    const r = await s.admin.post('/risk-areas', body);
    assertError(r, 422, ['invalid_field', 'missing_field'], field,
      JSON.stringify(body));
  }
  const amb = await s.admin.post('/risk-areas',
    { region_code: '朝阳区', level: 'high', start_date: '2020-01-20' });
  assert.match(amb.body.error.message, /北京市朝阳区/);
  assert.equal(sqlite(s.db, 'SELECT count(*) FROM risk_areas'), before);
});

test('the list shows the risk areas', async () => {
  const r = await s.admin.post('/risk-areas', { region_code: '武汉',
    level: 'medium', start_date: '2020-01-23', end_date: '2020-04-08' });
  assertStatus(r, 201);
  assert.equal(r.body.region_code, '420100');
  assert.equal(r.body.region_name, '湖北省武汉市');
  assert.equal(r.body.end_date, '2020-04-08');
  const items = await listAll(s.admin, '/risk-areas');
  assert.deepEqual(items.map((a) => [a.region_code, a.level]),
    [['420000', 'high'], ['420100', 'medium']]);
  const page = await s.admin.get('/risk-areas?limit=1');
  assert.equal(page.body.items.length, 1);
  assert.equal(page.body.next_cursor, String(area.id));
});

test('PATCH end_date ends a risk area; null clears it again', async () => {
  let r = await s.admin.patch(`/risk-areas/${area.id}`, { end_date: '2020-03-10' });
  assertStatus(r, 200);
  assert.equal(r.body.end_date, '2020-03-10');
  assert.equal(r.body.level, 'high');
  assertError(await s.admin.patch(`/risk-areas/${area.id}`,
    { end_date: '2020-01-01' }), 422, 'invalid_field', 'end_date');
  assertError(await s.admin.patch(`/risk-areas/${area.id}`,
    { level: 'extreme' }), 422, 'invalid_field', 'level');
  assertError(await s.admin.patch(`/risk-areas/${area.id}`,
    { start_date: '2020-01-01' }), 422, 'invalid_field', 'start_date');
  r = await s.admin.patch(`/risk-areas/${area.id}`, { level: 'low', end_date: null });
  assertStatus(r, 200);
  assert.equal(r.body.level, 'low');
  assert.equal(r.body.end_date, null);
  assertError(await s.admin.patch('/risk-areas/99999', { level: 'low' }),
    404, 'not_found');
  const audit = await listAll(s.admin, '/audit?entity=risk_area');
  assert.equal(audit.length, 4, JSON.stringify(audit));
});
