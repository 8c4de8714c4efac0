// report_demo.test.mjs — the acceptance test of the daily report (issue 7)
// on the demo town: `fangyi demo DB` is 山旺镇 as of 2020-02-10, and its
// report of that day shows the town of the source article (16 villages,
// 57 points, 421 returnees of whom 8 from Wuhan, all under observation, no
// fever, more than 300,000 m² disinfected, 16 full-coverage inspection
// rounds, the supplies bought).  The CLI (`fangyi report --test-clock`) and
// the API (`fangyi serve --test-clock`, the same clock file) give the same
// bytes; the CSV and XLSX (docs/report.md) hold the same figures under
// Chinese labels, a sheet per village, in the caller's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  runCli, spawnServer, startServer, stopServer, Client, ADMIN_PASSWORD,
} from './harness.mjs';
import {
  assertError, assertStatus, createPlace, loginAs, readXlsx, writeClock,
} from './lib.mjs';

const D = '2020-02-10';
const STAFF_PASSWORD = 'staff-pass-456';
let dir; let db; let clock; let server; let url; let admin;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fangyi-report-demo-'));
  db = path.join(dir, 'demo.db');
  const r = runCli(['demo', db], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FANGYI_PASSWORD: STAFF_PASSWORD });
  assert.equal(r.status, 0, `fangyi demo: ${r.stderr}`);
  clock = path.join(dir, 'clock');
  writeClock(clock, '2020-02-10T04:00:00Z');   // 12:00 in the town
  const started = await spawnServer(db, ['--test-clock', clock]);
  server = started.proc;
  url = started.url;
  admin = new Client(url);
  assertStatus(await admin.login('admin', ADMIN_PASSWORD), 200, 'admin login');
});

after(async () => {
  if (server) await stopServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// download: GET /api/v1/... as the client, the body as bytes.
async function download(client, p) {
  const res = await fetch(`${client.url}/api/v1${p}`,
    { headers: { cookie: client.cookie ?? '' } });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8') };
}

function cliReport(args) {
  return runCli(['report', db, '--date', D, '--test-clock', clock, ...args]);
}

// The labels of the sheets and the figures of the JSON they show: the
// town's key, and the key of a by_village row when it has one.
const FIGURES = [
  ['行政村', 'villages', null],
  ['防控点（卡口）', 'points', 'points'],
  ['返乡人员累计', 'returnees.total', 'returnees_total'],
  ['今日新增返乡人员', 'returnees.new', 'returnees_new'],
  ['其中武汉返乡', 'returnees.from_wuhan', 'from_wuhan'],
  ['其中湖北返乡（含武汉）', 'returnees.from_hubei', 'from_hubei'],
  ['其中来自高风险地区', 'returnees.from_high_risk', 'from_high_risk'],
  ['已排查返乡人员', 'coverage.screened', null],
  ['居家医学观察', 'observation.current', 'observation_current'],
  ['今日新增观察', 'observation.new', 'observation_new'],
  ['今日解除观察', 'observation.released', 'released'],
  ['累计解除观察', 'observation.released_total', null],
  ['今日应测体温', 'observation.checks_due', 'checks_due'],
  ['今日已测体温', 'observation.checks_done', 'checks_done'],
  ['今日漏测体温', 'observation.checks_missed', 'checks_missed'],
  ['今日发热报警', 'observation.fever', 'fever'],
  ['今日已走访观察对象', 'coverage.visited', null],
  ['密切接触者', 'close_contacts.total', 'close_contacts'],
  ['密切接触者在观察', 'close_contacts.under_observation', 'contacts_under_observation'],
  ['返乡人员排查率', 'coverage.screened_pct', null],
  ['观察对象今日走访率', 'coverage.visited_pct', null],
  ['密切接触者观察率', 'coverage.contacts_observed_pct', null],
  ['卡口今日登记', 'checkpoints.passes', 'passes'],
  ['卡口今日登记人员', 'checkpoints.persons', 'persons'],
  ['卡口今日车辆', 'checkpoints.vehicles', null],
  ['卡口今日劝返', 'checkpoints.turned_back', null],
  ['卡口今日新增返乡', 'checkpoints.new_returnees', null],
  ['卡口今日发热', 'checkpoints.fever', null],
  ['今日消毒面积', 'disinfection.area_m2', 'disinfection_area_m2'],
  ['累计消毒面积', 'disinfection.area_m2_total', null],
  ['督导检查累计', 'inspections.rounds_total', null],
  ['全覆盖督导累计', 'inspections.full_rounds_total', null],
  ['今日检查点位', 'inspections.visits', 'inspection_visits'],
  ['未整改问题', 'inspections.problems_open', 'problems_open'],
];
const TOWN_ONLY = new Set(['行政村', '督导检查累计', '全覆盖督导累计']);
const at = (obj, key) => key.split('.').reduce((o, k) => o[k], obj);
// the column header of a figure in the per-village table
const header = (label) => (/率$/.test(label) ? `${label}（%）` : label);
const pct = (num, den) => (den ? Math.round((num * 1000) / den) / 10 : 100);

let json;   // the API's report of D, as admin

test('the demo town\'s report of 2020-02-10: the figures of the source article', async () => {
  const r = await admin.get(`/reports/daily?date=${D}`);
  assertStatus(r, 200, 'GET /reports/daily');
  json = r.body;
  assert.equal(json.town, '山旺镇');
  assert.equal(json.date, D);
  assert.equal(json.returnees.total, 421);
  assert.equal(json.returnees.from_wuhan, 8);
  assert.equal(json.observation.current, 421);
  assert.equal(json.observation.fever, 0);
  assert.equal(json.observation.checks_missed, 0, 'at 12:00 no slot is missed');
  assert.equal(json.villages, 16);
  assert.equal(json.points, 57);
  assert.ok(json.disinfection.area_m2_total > 300000, `area ${json.disinfection.area_m2_total}`);
  assert.equal(json.inspections.full_rounds_total, 16);
  const received = Object.fromEntries(json.supplies.map((s) => [s.item, [s.received_total, s.unit]]));
  assert.deepEqual(received['医用口罩'], [3000, '个']);
  assert.deepEqual(received['消毒液'], [300, 'kg']);
  assert.deepEqual(received['体温计'], [110, '支']);
  assert.deepEqual(received['防护服'], [10, '套']);
  assert.equal(json.by_village.length, 16);
  assert.equal(json.by_village.reduce((n, v) => n + v.returnees_total, 0), 421);
});

test('fangyi report --format json gives the API\'s bytes on the same clock', async () => {
  const raw = await download(admin, `/reports/daily?date=${D}`);
  assert.equal(raw.status, 200);
  const cli = cliReport(['--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout, `${raw.text}\n`);
  assert.deepEqual(JSON.parse(cli.stdout), json);
  // the clock matters: on the real clock the evening slot of D is long past
  const real = runCli(['report', db, '--date', D, '--format', 'json']);
  assert.equal(real.status, 0, real.stderr);
  assert.equal(JSON.parse(real.stdout).observation.checks_missed, 421);
  // the text format uses the same labels
  const txt = cliReport([]);
  assert.equal(txt.status, 0, txt.stderr);
  assert.match(txt.stdout, /^山旺镇 防疫工作日报 2020-02-10$/m);
  assert.match(txt.stdout, /^返乡人员累计：421 人$/m);
  assert.match(txt.stdout, /^其中武汉返乡：8 人$/m);
  assert.match(txt.stdout, /^全覆盖督导累计：16 轮$/m);
  assert.match(txt.stdout, /^物资 医用口罩：累计入库 3000 个，/m);
});

// The label → value rows of a figures sheet (指标 / 数值 / 单位).
function figureRows(sheet) {
  assert.deepEqual(sheet.rows[0], ['指标', '数值', '单位'], `${sheet.name} header`);
  const out = new Map();
  for (const row of sheet.rows.slice(1)) {
    if (!row.length) break;
    out.set(row[0], row[1]);
  }
  return out;
}

// Every figure of a by_village row (and the ones it lacks, from the sums).
function assertVillageFigures(got, v, what) {
  for (const [label, , key] of FIGURES)
    if (key) assert.equal(got(label), v[key], `${what}: ${label}`);
}

test('the XLSX: the town, the table of villages, a sheet per village', async () => {
  const res = await download(admin, `/reports/daily/export?date=${D}&format=xlsx`);
  assert.equal(res.status, 200, res.text.slice(0, 200));
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const cd = res.headers.get('content-disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  assert.ok(m, cd);
  assert.equal(decodeURIComponent(m[1]), '日报-山旺镇-2020-02-10.xlsx');
  assert.match(cd, /filename="2020-02-10\.xlsx"/);

  const sheets = readXlsx(res.buf);
  assert.deepEqual(sheets.map((s) => s.name),
    ['全镇汇总', '各村汇总', ...json.by_village.map((v) => v.village)]);
  assert.equal(sheets.length, 2 + 16);

  // the town: every figure, with its unit, equal to the JSON
  const town = sheets[0];
  const figs = figureRows(town);
  assert.equal(figs.get('乡镇'), '山旺镇');
  assert.equal(figs.get('日期'), D);
  assert.deepEqual([...figs.keys()].slice(2), FIGURES.map((f) => f[0]), 'every figure, in order');
  for (const [label, key] of FIGURES) assert.equal(figs.get(label), at(json, key), label);
  assert.equal(figs.get('返乡人员累计'), 421);
  assert.equal(figs.get('全覆盖督导累计'), 16);
  const units = Object.fromEntries(town.rows.slice(3, 3 + FIGURES.length).map((r) => [r[0], r[2]]));
  assert.equal(units['返乡人员累计'], '人');
  assert.equal(units['累计消毒面积'], '平方米');
  assert.equal(units['返乡人员排查率'], '%');
  // then a blank row and the supplies
  const s0 = 3 + FIGURES.length + 1;
  assert.deepEqual(town.rows[s0 - 1], []);
  assert.deepEqual(town.rows[s0], ['物资', '单位', '累计入库', '累计发放', '库存']);
  assert.deepEqual(town.rows.slice(s0 + 1),
    json.supplies.map((s) => [s.item, s.unit, s.received_total, s.issued_total, s.stock]));

  // the table: a column per figure of a village, a row per village, 合计
  const table = sheets[1].rows;
  const cols = FIGURES.filter((f) => !TOWN_ONLY.has(f[0]));
  assert.deepEqual(table[0], ['行政村', ...cols.map((f) => header(f[0]))]);
  assert.equal(table.length, 1 + 16 + 1);
  const col = (label) => table[0].indexOf(header(label));
  json.by_village.forEach((v, i) => {
    const row = table[1 + i];
    assert.equal(row[0], v.village);
    assertVillageFigures((label) => row[col(label)], v, v.village);
    assert.equal(row[col('返乡人员排查率')],
      pct(row[col('已排查返乡人员')], row[col('返乡人员累计')]), `${v.village} screened %`);
  });
  const total = table[17];
  assert.equal(total[0], '合计');
  for (const [label, key] of cols) assert.equal(total[col(label)], at(json, key), `合计 ${label}`);
  // the counts of the villages add up to 合计 (areas: at most, free-text places)
  for (const [label] of cols) {
    if (/率$/.test(label)) continue;
    const sum = table.slice(1, 17).reduce((n, r) => n + r[col(label)], 0);
    if (/面积$/.test(label)) assert.ok(sum <= total[col(label)] + 1e-6, label);
    else assert.equal(sum, total[col(label)], `the villages' ${label}`);
  }

  // each village's sheet: its figures, none of the town's own
  json.by_village.forEach((v, i) => {
    const sheet = sheets[2 + i];
    const f = figureRows(sheet);
    assert.equal(f.get('乡镇'), '山旺镇');
    assert.equal(f.get('行政村'), v.village);
    assert.equal(f.get('日期'), D);
    assert.ok(!f.has('督导检查累计') && !f.has('全覆盖督导累计'), sheet.name);
    assertVillageFigures((label) => f.get(label), v, sheet.name);
    for (const [label] of cols) assert.equal(f.get(label), table[1 + i][col(label)], `${sheet.name} ${label}`);
  });
});

// parse the report's CSV (no cell of the demo needs quoting)
const csvRows = (text) => text.replace(/^\uFEFF/, '').replace(/\r\n$/, '').split('\r\n')
  .map((l) => l.split(','));

test('the CSV: the table of villages, the same from the CLI and the API', async () => {
  const res = await download(admin, `/reports/daily/export?date=${D}&format=csv`);
  assert.equal(res.status, 200, res.text.slice(0, 200));
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  const cd = res.headers.get('content-disposition') || '';
  assert.equal(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(cd)[1]),
    '日报-山旺镇-2020-02-10.csv');
  assert.ok(res.text.startsWith('\uFEFF行政村,防控点（卡口）,返乡人员累计,'), res.text.slice(0, 60));
  const rows = csvRows(res.text);
  const cols = FIGURES.filter((f) => !TOWN_ONLY.has(f[0]));
  assert.deepEqual(rows[0], ['行政村', ...cols.map((f) => header(f[0]))]);
  assert.deepEqual(rows.slice(1, -1).map((r) => r[0]), json.by_village.map((v) => v.village));
  const total = rows.at(-1);
  assert.equal(total[0], '合计');
  cols.forEach(([label, key], i) => assert.equal(Number(total[1 + i]), at(json, key), `合计 ${label}`));
  assert.equal(total[1 + cols.findIndex((f) => f[0] === '累计消毒面积')],
    json.disinfection.area_m2_total.toFixed(1), 'areas with one decimal');

  const cli = cliReport(['--format', 'csv']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout, res.text, 'the CLI writes the API\'s bytes');
  // the XLSX of the CLI holds the API's figures
  const out = path.join(dir, 'r.xlsx');
  const x = cliReport(['--format', 'xlsx', '--out', out]);
  assert.equal(x.status, 0, x.stderr);
  const api = readXlsx((await download(admin, `/reports/daily/export?date=${D}&format=xlsx`)).buf);
  assert.deepEqual(readXlsx(readFileSync(out)), api);
  // no format is CSV; no date is the server's today (the clock's day)
  const plain = await download(admin, '/reports/daily/export');
  assert.equal(plain.status, 200);
  assert.equal(plain.text, res.text);
});

test('bad date or format: 400 naming the field; the CLI refuses them', async () => {
  for (const [q, field] of [['format=pdf', 'format'], ['format=XLSX', 'format'],
    [`date=${D}&format=pdf`, 'format'], ['date=2020-02-30&format=csv', 'date'],
    ['date=10/02/2020&format=xlsx', 'date']]) {
    const r = await admin.get(`/reports/daily/export?${q}`);
    assertError(r, 400, 'invalid_query', field, q);
  }
  const fmt = cliReport(['--format', 'pdf']);
  assert.equal(fmt.status, 2);
  assert.match(fmt.stderr, /--format/);
  const bad = runCli(['report', db, '--date', '2020-02-30', '--format', 'csv']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /date/);
  assert.equal(bad.stdout, '');
});

test('scope: a cadre of two villages gets their sheets; a village cadre none', async () => {
  const bao = await loginAs(url, 'assigned_1', STAFF_PASSWORD);
  const mine = await bao.get(`/reports/daily?date=${D}`);
  assertStatus(mine, 200, 'assigned_1 report');
  assert.equal(mine.body.by_village.length, 2);
  const x = await download(bao, `/reports/daily/export?date=${D}&format=xlsx`);
  assert.equal(x.status, 200, x.text.slice(0, 200));
  const sheets = readXlsx(x.buf);
  assert.deepEqual(sheets.map((s) => s.name),
    ['全镇汇总', '各村汇总', ...mine.body.by_village.map((v) => v.village)]);
  assert.equal(figureRows(sheets[0]).get('返乡人员累计'), mine.body.returnees.total);
  const c = await download(bao, `/reports/daily/export?date=${D}&format=csv`);
  const rows = csvRows(c.text);
  assert.equal(rows.length, 1 + 2 + 1);
  assert.equal(Number(rows[3][rows[0].indexOf('返乡人员累计')]), mine.body.returnees.total);
  assert.ok(mine.body.returnees.total < 421);
  const cadre = await loginAs(url, 'cadre_dongwang', STAFF_PASSWORD);
  const denied = await cadre.get(`/reports/daily/export?date=${D}&format=csv`);
  assert.equal(denied.status, 403, JSON.stringify(denied.body));
  const anon = await fetch(`${url}/api/v1/reports/daily/export?date=${D}`);
  assert.equal(anon.status, 401);
});

test('sheet names within Excel\'s rules: ≤31 characters, no []:*?/\\, unique', async () => {
  const t = await startServer();
  try {
    const long = '很长的村名'.repeat(7);   // 35 characters
    const names = ['A/B村', 'A_B村', '各村汇总', `${long}甲`, `${long}乙`, "'引号村'",
      '[村]:*?\\', 'A,B村', '=SUM(1)村', '停用村'];
    for (const name of names) await createPlace(t.admin, { type: 'village', name });
    const places = (await t.admin.get('/places?type=village')).body;
    const retired = (places.items ?? places).find((p) => p.name === '停用村');
    assertStatus(await t.admin.patch(`/places/${retired.id}`, { active: false }), 200, 'retire');
    const x = await download(t.admin, `/reports/daily/export?date=${D}&format=xlsx`);
    assert.equal(x.status, 200, x.text.slice(0, 200));
    const sheets = readXlsx(x.buf);
    const cut = long.slice(0, 28);
    assert.deepEqual(sheets.map((s) => s.name), ['全镇汇总', '各村汇总',
      'A_B村', 'A_B村(2)', '各村汇总(2)', long.slice(0, 31), `${cut}(2)`, '引号村',
      '_村_____', 'A,B村', '=SUM(1)村']);
    // the village's own name stays whole in its sheet and in the table
    assert.equal(figureRows(sheets[5]).get('行政村'), `${long}甲`);
    assert.deepEqual(sheets[1].rows.slice(1).map((r) => r[0]),
      [...names.slice(0, -1), '合计'], 'the retired village with no figure is left out');
    const c = await download(t.admin, `/reports/daily/export?date=${D}&format=csv`);
    assert.match(c.text, /\r\n"A,B村",0,/);
    assert.match(c.text, /\r\n"'=SUM\(1\)村",0,/, 'a formula is defused');
    assert.match(decodeURIComponent(/filename\*=UTF-8''([^;]+)/
      .exec(c.headers.get('content-disposition'))[1]), /^日报-测试镇-2020-02-10\.csv$/);
  } finally { await t.stop(); }
});
