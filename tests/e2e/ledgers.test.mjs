// ledgers.test.mjs — supplies, disinfection and the gate visitor log
// (docs/api-ledgers.md): stock arithmetic across receipts, issues and a
// reversal; an over-issue refused with nothing changed; disinfection
// totals by day and village; a fever at the gate opening an alert; bad
// input refused naming the field with nothing stored; the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError, assertStatus, createPlace, listAll, finish,
} from './lib.mjs';
import { startServer } from './harness.mjs';

let s;
let A; let B; let PA; let VA;
let masks;

before(async () => {
  s = await startServer();
  A = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  B = await createPlace(s.admin, { type: 'village', name: '西旺村' });
  PA = await createPlace(s.admin, { type: 'point', name: '东旺村卡口', village_id: A.id });
  VA = await createPlace(s.admin, { type: 'venue', name: '镇政府', village_id: A.id,
    venue_kind: 'office' });
  const items = await listAll(s.admin, '/supply-items');
  masks = items.find((i) => i.name === '医用口罩');
  assert.ok(masks, 'the default items are there');
  assert.equal(masks.unit, '个');
});
after(async () => { await finish(s); });

async function stockOf(itemId) {
  const r = await s.admin.get('/supplies/stock');
  assertStatus(r, 200, 'GET /supplies/stock');
  const it = r.body.items.find((i) => i.id === itemId);
  return { stock: it.stock, low: it.low, places: r.body.places.filter((p) => p.item_id === itemId) };
}

test('stock follows receipts, issues and a reversal', async () => {
  let r = await s.admin.post('/supplies', { kind: 'receipt', item_id: masks.id,
    quantity: 3000, source: 'allocated', day: '2020-02-01' });
  assertStatus(r, 201, 'allocated receipt');
  assert.equal(r.body.delta, 3000);
  r = await s.admin.post('/supplies', { kind: 'receipt', item_id: masks.id,
    quantity: 500, source: 'donated', donor: '爱心企业' });
  assertStatus(r, 201, 'donated receipt');
  r = await s.admin.post('/supplies', { kind: 'receipt', item_id: masks.id,
    quantity: 200, source: 'purchased', supplier: '县医药公司', cost: 360.5 });
  assertStatus(r, 201, 'purchased receipt');
  assert.equal(r.body.cost, 360.5);
  assert.deepEqual((await stockOf(masks.id)).stock, 3700);

  r = await s.admin.post('/supplies', { kind: 'issue', item_id: masks.id,
    quantity: 1200, place_id: A.id, recipient: '张村长' });
  assertStatus(r, 201, 'issue to a village');
  const issueA = r.body.id;
  r = await s.admin.post('/supplies', { kind: 'issue', item_id: masks.id,
    quantity: 300, place_id: PA.id, recipient: '李值守' });
  assertStatus(r, 201, 'issue to a point');
  let st = await stockOf(masks.id);
  assert.equal(st.stock, 2200);
  assert.deepEqual(st.places.map((p) => [p.place_id, p.quantity]).sort(),
    [[A.id, 1200], [PA.id, 300]].sort());

  // a correction: the issue to A was a mistake
  r = await s.admin.post(`/supplies/${issueA}/reverse`, { note: '录入错误' });
  assertStatus(r, 201, 'reversal');
  assert.equal(r.body.kind, 'reversal');
  assert.equal(r.body.reverses, issueA);
  st = await stockOf(masks.id);
  assert.equal(st.stock, 3400);
  assert.equal(st.places.find((p) => p.place_id === A.id).quantity, 0);
  // the past is not edited: the issue is still there, marked reversed
  r = await s.admin.get(`/supplies/${issueA}`);
  assertStatus(r, 200);
  assert.equal(r.body.quantity, 1200);
  assert.equal(typeof r.body.reversed_by, 'number');
  assertError(await s.admin.post(`/supplies/${issueA}/reverse`, {}), 409, 'conflict');
  const moves = await listAll(s.admin, `/supplies?item_id=${masks.id}`);
  assert.equal(moves.length, 6);
  assert.deepEqual(moves.map((m) => m.kind),
    ['reversal', 'issue', 'issue', 'receipt', 'receipt', 'receipt']);
  const audit = await listAll(s.admin, '/audit?entity=supply_move');
  assert.equal(audit.length, 6, 'one audit entry per movement');
});

test('an over-issue is refused with 409 and changes nothing', async () => {
  const before0 = await stockOf(masks.id);
  const moves0 = await listAll(s.admin, '/supplies');
  const r = await s.admin.post('/supplies', { kind: 'issue', item_id: masks.id,
    quantity: before0.stock + 1, place_id: PA.id, recipient: '李值守' });
  assertError(r, 409, 'insufficient_stock', 'quantity');
  assert.deepEqual(await stockOf(masks.id), before0);
  assert.deepEqual(await listAll(s.admin, '/supplies'), moves0);
  // exactly the stock is fine
  const ok = await s.admin.post('/supplies', { kind: 'issue', item_id: masks.id,
    quantity: before0.stock, place_id: PA.id, recipient: '李值守' });
  assertStatus(ok, 201, 'issue of the whole stock');
  const st = await stockOf(masks.id);
  assert.equal(st.stock, 0);
  assert.equal(st.low, true, 'below the low-stock threshold');
});

test('bad supply input names the field and stores nothing', async () => {
  const moves0 = await listAll(s.admin, '/supplies');
  const cases = [
    [{ kind: 'gift', item_id: masks.id, quantity: 1 }, 422, 'invalid_field', 'kind'],
    [{ kind: 'receipt', item_id: 9999, quantity: 1, source: 'allocated' }, 422, 'invalid_field', 'item_id'],
    [{ kind: 'receipt', item_id: masks.id, quantity: -5, source: 'allocated' }, 422, 'invalid_field', 'quantity'],
    [{ kind: 'receipt', item_id: masks.id, quantity: 'many', source: 'allocated' }, 422, 'invalid_field', 'quantity'],
    [{ kind: 'receipt', item_id: masks.id, quantity: 5 }, 422, 'missing_field', 'source'],
    [{ kind: 'receipt', item_id: masks.id, quantity: 5, source: 'donated' }, 422, 'missing_field', 'donor'],
    [{ kind: 'receipt', item_id: masks.id, quantity: 5, source: 'purchased', supplier: 'x' }, 422, 'missing_field', 'cost'],
    [{ kind: 'receipt', item_id: masks.id, quantity: 5, source: 'allocated', day: '2099-01-01' }, 422, 'invalid_date', 'day'],
    [{ kind: 'issue', item_id: masks.id, quantity: 1, place_id: VA.id, recipient: 'x' }, 422, 'invalid_field', 'place_id'],
    [{ kind: 'issue', item_id: masks.id, quantity: 1, place_id: A.id }, 422, 'missing_field', 'recipient'],
  ];
  for (const [body, status, code, field] of cases) {
    assertError(await s.admin.post('/supplies', body), status, code, field, JSON.stringify(body));
  }
  assert.deepEqual(await listAll(s.admin, '/supplies'), moves0);
  // the admin adds an item; a duplicate name is 409
  let r = await s.admin.post('/supply-items', { name: '护目镜', unit: '副', low_stock: 10 });
  assertStatus(r, 201, 'new item');
  assert.equal(r.body.stock, 0);
  r = await s.admin.post('/supply-items', { name: '护目镜', unit: '副' });
  assertError(r, 409, 'duplicate', 'name');
});

test('disinfection totals by day, by village and in all', async () => {
  const rows = [
    { day: '2020-02-08', place_id: A.id, area: 12000, agent: '84消毒液',
      concentration: '500mg/L', method: 'spray', operator: '王五' },
    { day: '2020-02-08', place_id: PA.id, area: 800, agent: '84消毒液',
      method: 'wipe', operator: '王五' },
    { day: '2020-02-09', place_id: B.id, area: 20000, agent: '过氧乙酸',
      method: 'spray', operator: '赵六' },
    { day: '2020-02-09', place_text: '镇集市', area: 5000.5, agent: '84消毒液',
      method: 'spray', operator: '孙七' },
  ];
  for (const b of rows) {
    const r = await s.admin.post('/disinfection', b);
    assertStatus(r, 201, `POST /disinfection ${JSON.stringify(b)}`);
  }
  const r = await s.admin.get('/disinfection/totals?from=2020-02-01&to=2020-02-29');
  assertStatus(r, 200);
  assert.deepEqual(r.body.total, { records: 4, area: 37800.5 });
  assert.deepEqual(r.body.days, [
    { day: '2020-02-08', records: 2, area: 12800 },
    { day: '2020-02-09', records: 2, area: 25000.5 }]);
  const byV = Object.fromEntries(r.body.villages.map((v) => [v.village_name ?? 'town', v]));
  assert.equal(byV['东旺村'].area, 12800);
  assert.equal(byV['西旺村'].area, 20000);
  assert.equal(byV.town.area, 5000.5);
  const one = await s.admin.get('/disinfection/totals?from=2020-02-09&to=2020-02-09');
  assert.deepEqual(one.body.total, { records: 2, area: 25000.5 });
  const list = await listAll(s.admin, `/disinfection?village_id=${A.id}`);
  assert.equal(list.length, 2);
  assert.equal(list[0].place_name, '东旺村卡口');
});

test('bad disinfection input names the field and stores nothing', async () => {
  const n0 = (await listAll(s.admin, '/disinfection')).length;
  const base = { day: '2020-02-08', place_id: A.id, area: 10, agent: 'x', method: 'spray', operator: 'y' };
  const cases = [
    [{ ...base, area: 0 }, 'invalid_field', 'area'],
    [{ ...base, area: undefined }, 'missing_field', 'area'],
    [{ ...base, method: 'pour' }, 'invalid_field', 'method'],
    [{ ...base, operator: '' }, 'missing_field', 'operator'],
    [{ ...base, day: '2020-02-30' }, 'invalid_date', 'day'],
    [{ ...base, place_id: undefined }, 'missing_field', 'place_text'],
    [{ ...base, place_id: 99999 }, 'invalid_field', 'place_id'],
  ];
  for (const [body, code, field] of cases) {
    assertError(await s.admin.post('/disinfection', body), 422, code, field, JSON.stringify(body));
  }
  assert.equal((await listAll(s.admin, '/disinfection')).length, n0);
});

test('a fever at the gate opens an alert for the venue\'s village', async () => {
  let r = await s.admin.post('/visitors', { place_id: VA.id, name: '来访甲',
    phone: '13800138000', temperature: 36.6, reason: '办事', came_from: '临朐县城' });
  assertStatus(r, 201, 'normal visitor');
  assert.equal(r.body.alert_id, null);
  assert.equal(r.body.visit.phone, '138****8000');
  assert.equal(r.body.visit.fever, false);
  const alerts0 = await listAll(s.admin, '/alerts');
  r = await s.admin.post('/visitors', { place_id: VA.id, name: '来访乙',
    temperature: 37.3, reason: '送材料', came_from: '潍坊' });
  assertStatus(r, 201, 'fever visitor');
  assert.equal(typeof r.body.alert_id, 'number');
  assert.equal(r.body.visit.fever, true);
  const alerts = await listAll(s.admin, '/alerts');
  assert.equal(alerts.length, alerts0.length + 1);
  const al = alerts.find((a) => a.id === r.body.alert_id);
  assert.equal(al.kind, 'fever');
  assert.equal(al.source, 'gate');
  assert.equal(al.village_id, A.id);
  assert.equal(al.place_id, VA.id);
  assert.equal(al.person_name, '来访乙');
  assert.equal(al.temperature, 37.3);
  const fev = await listAll(s.admin, '/visitors?fever=1');
  assert.deepEqual(fev.map((v) => v.name), ['来访乙']);
});

test('bad gate input names the field and stores nothing', async () => {
  const n0 = (await listAll(s.admin, '/visitors')).length;
  const a0 = (await listAll(s.admin, '/alerts')).length;
  const base = { place_id: VA.id, name: '某人', temperature: 36.5 };
  const cases = [
    [{ ...base, temperature: 45 }, 'invalid_temperature', 'temperature'],
    [{ ...base, temperature: '38' }, 'invalid_temperature', 'temperature'],
    [{ ...base, temperature: undefined }, 'missing_field', 'temperature'],
    [{ ...base, phone: '12345' }, 'invalid_phone', 'phone'],
    [{ ...base, name: '' }, 'missing_field', 'name'],
    [{ ...base, place_id: A.id }, 'invalid_field', 'place_id'],
    [{ ...base, at: '2099-01-01 08:00' }, 'invalid_field', 'at'],
  ];
  for (const [body, code, field] of cases) {
    assertError(await s.admin.post('/visitors', body), 422, code, field, JSON.stringify(body));
  }
  assert.equal((await listAll(s.admin, '/visitors')).length, n0);
  assert.equal((await listAll(s.admin, '/alerts')).length, a0);
});
