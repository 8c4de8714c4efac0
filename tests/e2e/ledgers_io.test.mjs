// ledgers_io.test.mjs — the ledgers from CSV with Chinese headers and out
// as CSV/XLSX (docs/api-ledgers.md, docs/cli.md): `fangyi import DB KIND
// FILE` for every ledger, all or nothing with every bad row named;
// `fangyi export DB KIND`; the same over HTTP, audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertStatus, createPlace, listAll, finish, sqlite,
} from './lib.mjs';
import { startServer, runCli } from './harness.mjs';

let s;
let A;

before(async () => {
  s = await startServer();
  A = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  await createPlace(s.admin, { type: 'village', name: '西旺村' });
  await createPlace(s.admin, { type: 'point', name: '东口', village_id: A.id });
  await createPlace(s.admin, { type: 'venue', name: '镇政府', village_id: A.id });
});
after(async () => { await finish(s); });

function csvFile(name, text) {
  const p = path.join(s.dir, name);
  writeFileSync(p, '\uFEFF' + text.trim().split('\n').join('\r\n') + '\r\n');
  return p;
}

const count = (table) => Number(sqlite(s.db, `SELECT COUNT(*) FROM ${table}`));

test('CLI imports every ledger from Chinese headers', () => {
  let f = csvFile('supplies.csv', `
日期,类型,物资,数量,来源,捐赠方,供应商,金额,发放对象,所属村,领取人,备注
2020/2/1,入库,医用口罩,3000,调拨,,,,,,,县指挥部
2020年2月2日,入库,消毒液,300,捐赠,爱心人士,,,,,,
2020-02-03,入库,体温计,110,采购,,县医药公司,1650,,,,
2020-02-04,出库,医用口罩,500,,,,,东口,东旺村,李值守,
2020-02-04,出库,消毒液,20,,,,,东旺村,东旺村,张村长,`);
  let r = runCli(['import', s.db, 'supplies', f]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /5 rows, 5 created/);
  assert.equal(count('supply_moves'), 5);

  f = csvFile('disinf.csv', `
日期,地点,所属村,面积,消毒剂,浓度,方式,操作人
2020-02-08,东旺村,东旺村,12000,84消毒液,500mg/L,喷洒,王五
2020-02-08,东口,东旺村,300,84消毒液,,擦拭,王五
2020-02-09,镇集市,,5000,过氧乙酸,,喷洒,赵六`);
  r = runCli(['import', s.db, 'disinfection', f]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(count('disinfections'), 3);

  f = csvFile('visitors.csv', `
时间,场所,所属村,姓名,联系电话,体温,事由,来自
2020/2/10 8:30,镇政府,东旺村,来访甲,13800138000,36.5,办事,县城
2020-02-10 09:15,镇政府,东旺村,来访乙,,37.8,送材料,潍坊`);
  const alerts0 = count('alerts');
  r = runCli(['import', s.db, 'visitors', f]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(count('gate_visits'), 2);
  assert.equal(count('alerts'), alerts0 + 1, 'the imported fever opened an alert');
  assert.equal(sqlite(s.db, "SELECT at FROM gate_visits WHERE name = '来访甲'"),
    '2020-02-10T00:30:00Z', 'local time stored in UTC');

  f = csvFile('ent.csv', `
企业名称,所属村,审批状态,审批日期,备注
山旺机械厂,东旺村,已批准,2020-02-09,
西旺食品厂,西旺村,待审批,,`);
  r = runCli(['import', s.db, 'enterprises', f]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  r = runCli(['import', s.db, 'enterprises', f]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /0 created, 2 unchanged/, 'a re-import changes nothing');
  assert.equal(count('enterprises'), 2);
});

test('CLI inspections import needs the round, reports bad rows, stores nothing', async () => {
  const rr = await s.admin.post('/inspection-rounds', { name: '第1轮', day: '2020-02-05',
    full_coverage: true });
  assertStatus(rr, 201);
  const f = csvFile('insp.csv', `
督查轮次,日期,点位,所属村,检查人,人员在岗,24小时值守,测温,存在问题,整改要求,整改期限
第1轮,2020-02-05,东口,东旺村,刘督导,是,否,是,夜间无人,安排夜班,2020-02-07
第9轮,2020-02-05,东口,东旺村,刘督导,是,是,是,,,
第1轮,2020-02-05,不存在,东旺村,刘督导,也许,是,是,,,`);
  let r = runCli(['import', s.db, 'inspections', f]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /row 3, 督查轮次: no round of that name/);
  assert.match(r.stdout, /row 4, 点位: /);
  assert.equal(count('inspection_visits'), 0, 'all or nothing');
  const good = csvFile('insp2.csv', readFileSync(f, 'utf8').replace(/^\uFEFF/, '')
    .split('\r\n').slice(0, 2).join('\n'));
  r = runCli(['import', s.db, 'inspections', good]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(sqlite(s.db, 'SELECT status || deadline || cover_24h FROM inspection_visits'),
    'open2020-02-070');
});

test('a bad supplies file is refused whole, naming row and column', () => {
  const n0 = count('supply_moves');
  const f = csvFile('bad.csv', `
日期,类型,物资,数量,来源,发放对象,所属村,领取人
2020-02-05,入库,医用口罩,10,调拨,,,
2020-02-05,出库,医用口罩,99999,,东口,东旺村,李值守
2020-02-05,入库,金条,1,调拨,,,
2020-02-05,领用,医用口罩,1,,,,`);
  const r = runCli(['import', s.db, 'supplies', f]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /row 3, 数量: only \d+ in stock/);
  assert.match(r.stdout, /row 4, 物资: no such item/);
  assert.match(r.stdout, /row 5, 类型: /);
  assert.equal(count('supply_moves'), n0);
  const missing = csvFile('nohdr.csv', '日期,物资\n2020-02-05,口罩');
  const r2 = runCli(['import', s.db, 'supplies', missing]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /类型/);
});

test('CLI export writes the import headers, CSV and XLSX', () => {
  let r = runCli(['export', s.db, 'supplies']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], '日期,类型,物资,单位,数量,来源,捐赠方,供应商,金额,发放对象,所属村,领取人,备注');
  assert.equal(lines.length, 6);
  assert.ok(lines.some((l) => l.startsWith('2020-02-03,入库,体温计,支,110,采购,,县医药公司,1650')));
  r = runCli(['export', s.db, 'visitors', '--village', '东旺村']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2020-02-10 08:30:00,镇政府,东旺村,来访甲,138\*\*\*\*8000,36.5/);
  r = runCli(['export', s.db, 'visitors', '--full']);
  assert.match(r.stdout, /13800138000/);
  r = runCli(['export', s.db, 'disinfection', '--from', '2020-02-09', '--to', '2020-02-09']);
  assert.equal(r.stdout.replace(/^\uFEFF/, '').trim().split('\r\n').length, 2);
  const out = path.join(s.dir, 'ent.xlsx');
  r = runCli(['export', s.db, 'enterprises', '--format', 'xlsx', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out).subarray(0, 2).toString(), 'PK');
  r = runCli(['export', s.db, 'nonsense']);
  assert.equal(r.status, 2);
});

test('HTTP import and export, audited', async () => {
  const body = '日期,地点,所属村,面积,消毒剂,方式,操作人\r\n2020-02-10,东口,东旺村,50,84,喷洒,钱八\r\n';
  let r = await s.admin.request('POST', '/api/v1/disinfection/import',
    { body, contentType: 'text/csv' });
  assertStatus(r, 200, 'import');
  assert.equal(r.body.created, 1);
  r = await s.admin.request('POST', '/api/v1/disinfection/import',
    { body: body.replace('50', '-1'), contentType: 'text/csv' });
  assertStatus(r, 422, 'bad import');
  assert.equal(r.body.error.code, 'bad_rows');
  assert.deepEqual(r.body.bad.map((b) => [b.row, b.column]), [[2, '面积']]);
  const res = await fetch(`${s.url}/api/v1/disinfection/export?format=csv`,
    { headers: { cookie: s.admin.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') || '', /disinfection-.*\.csv/);
  const text = await res.text();
  assert.match(text, /^\uFEFF?日期,地点,所属村,面积/);
  assert.match(text, /东口,东旺村,50,84,,喷洒,钱八/);
  const x = await fetch(`${s.url}/api/v1/supplies/export?format=xlsx`,
    { headers: { cookie: s.admin.cookie } });
  assert.equal(x.status, 200);
  assert.equal(Buffer.from(await x.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  const audit = await listAll(s.admin, '/audit?entity=disinfection');
  assert.ok(audit.some((e) => e.action === 'export'), 'the export is audited');
});
