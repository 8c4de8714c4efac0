// demo.test.mjs — `fangyi demo DB` (issue 7, the demo town): the town of
// the source article as of 2020-02-10, read back through the API with the
// server's clock on that day: 16 villages and 57 points, 421 returnees of
// whom 8 from Wuhan, all under observation and none with a fever, the
// supplies bought, more than 300,000 m² disinfected, 16 full-coverage
// inspection rounds, an account of each role; the same town every time,
// and an existing file refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  runCli, spawnServer, stopServer, Client, ADMIN_PASSWORD, dbUrl, dropDb,
} from './harness.mjs';
import { assertStatus, listAll, sqlite, writeClock, loginAs } from './lib.mjs';

const STAFF_PASSWORD = 'staff-pass-456';
let dir; let db; let server; let admin; let demoOut;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fangyi-demo-'));
  db = dbUrl(dir, 'demo.db');
  const t0 = Date.now();
  const r = runCli(['demo', db], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FANGYI_PASSWORD: STAFF_PASSWORD });
  assert.equal(r.status, 0, `fangyi demo: ${r.stderr}`);
  assert.ok(Date.now() - t0 < 30000, 'the demo builds in seconds');
  demoOut = r.stdout;
  const clock = path.join(dir, 'clock');
  writeClock(clock, '2020-02-10T04:00:00Z');   // 12:00 in the town
  const started = await spawnServer(db, ['--test-clock', clock]);
  server = started.proc;
  admin = new Client(started.url);
  const lr = await admin.login('admin', ADMIN_PASSWORD);
  assertStatus(lr, 200, 'admin login');
});

after(async () => {
  if (server) await stopServer(server);
  if (db) dropDb(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the output names the town and gives no password that was set', () => {
  assert.match(demoOut, /山旺镇/);
  assert.doesNotMatch(demoOut, /admin password:/);
  assert.doesNotMatch(demoOut, new RegExp(STAFF_PASSWORD));
});

test('16 villages and 57 prevention points', async () => {
  const r = await admin.get('/town');
  assertStatus(r, 200, 'GET /town');
  assert.equal(r.body.name, '山旺镇');
  assert.equal(r.body.villages, 16);
  assert.equal(r.body.points, 57);
});

test('421 returnees, 8 of them from Wuhan, with valid ID numbers', async () => {
  const people = await listAll(admin, '/people');
  assert.equal(people.length, 421);
  const wuhan = await listAll(admin, '/people?origin=420100');
  assert.equal(wuhan.length, 8);
  for (const p of wuhan) {
    assert.equal(p.latest_travel.origin_code, '420100');
    assert.equal(p.latest_travel.risk_level, 'high');
  }
  const villages = new Set(people.map((p) => p.village_name));
  assert.equal(villages.size, 16, 'returnees in every village');
  for (const p of people) {
    assert.match(p.address, /^.+村\d+排\d+号$/, `address of ${p.name}`);
    assert.ok(p.latest_travel.return_date <= '2020-02-09');
  }
  // the full numbers pass the GB 11643 check character
  const ids = sqlite(db, 'SELECT id_number FROM people').trim().split('\n');
  assert.equal(ids.length, 421);
  assert.equal(new Set(ids).size, 421);
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  for (const id of ids) {
    const sum = w.reduce((s, k, i) => s + k * Number(id[i]), 0);
    assert.equal(id[17], '10X98765432'[sum % 11], `check character of ${id}`);
  }
});

test('all 421 under observation on 2020-02-10, no fever', async () => {
  const r = await admin.get('/board');
  assertStatus(r, 200, 'GET /board');
  assert.equal(r.body.date, '2020-02-10');
  assert.equal(r.body.totals.under_observation, 421);
  assert.equal(r.body.totals.fever_open, 0);
  assert.equal(r.body.totals.missed, 0);
  assert.equal(r.body.totals.done, 421, 'the morning checks are done');
  const temps = sqlite(db,
    'SELECT COUNT(*), MIN(temperature), MAX(temperature) FROM checks').trim();
  const [n, lo, hi] = temps.split('|').map(Number);
  assert.ok(n > 421 * 2, `checks: ${n}`);
  assert.ok(lo >= 36.0 && hi <= 37.2, `temperatures ${lo}..${hi}`);
  const alerts = sqlite(db, 'SELECT COUNT(*) FROM alerts').trim();
  assert.equal(alerts, '0');
});

test('the supplies bought, less what was issued', async () => {
  const items = await listAll(admin, '/supply-items');
  const want = { 医用口罩: 3000, 消毒液: 300, 体温计: 110, 防护服: 10 };
  for (const [name, received] of Object.entries(want)) {
    const it = items.find((i) => i.name === name);
    assert.ok(it, `item ${name}`);
    assert.equal(it.stock + it.issued, received, `${name} received`);
    assert.ok(it.issued > 0 && it.stock > 0, `${name} partly issued`);
  }
  const moves = await listAll(admin, '/supplies?kind=receipt');
  const got = {};
  for (const m of moves) got[m.item_name] = (got[m.item_name] ?? 0) + m.quantity;
  for (const [name, received] of Object.entries(want))
    assert.equal(got[name], received, `${name} receipts: ${JSON.stringify(got)}`);
});

test('more than 300,000 m² disinfected', async () => {
  const r = await admin.get('/disinfection/totals');
  assertStatus(r, 200, 'GET /disinfection/totals');
  assert.ok(r.body.total.area > 300000, `area ${r.body.total.area}`);
});

test('16 full-coverage inspection rounds, every site visited', async () => {
  const rounds = await listAll(admin, '/inspection-rounds');
  assert.equal(rounds.length, 16);
  for (const r of rounds) {
    assert.equal(r.full_coverage, true);
    assert.equal(r.visited, r.sites, `${r.name} visited every site`);
  }
});

test('checkpoint traffic at every point', async () => {
  const n = sqlite(db, 'SELECT COUNT(DISTINCT point_id) FROM passes').trim();
  assert.equal(n, '57');
});

test('an account of each role; the staff sign in with the shared password',
  async () => {
    const r = runCli(['user', 'list', db]);
    assert.equal(r.status, 0, r.stderr);
    const roles = new Set(r.stdout.trim().split('\n')
      .map((l) => l.split(/\s+/)[1]));
    for (const role of ['admin', 'village_leader', 'assigned_cadre',
      'village_cadre', 'volunteer', 'medical', 'checkpoint', 'inspector',
      'enterprise_liaison', 'viewer'])
      assert.ok(roles.has(role), `a ${role} account: ${r.stdout}`);
    for (const u of ['leader_shanwang', 'cadre_dongwang', 'doctor_1',
      'volunteer_1', 'checker_1', 'inspector_1', 'liaison_1', 'viewer_1'])
      assert.match(r.stdout, new RegExp(`^${u}\\s`, 'm'));
    const doctor = await loginAs(admin.url, 'doctor_1', STAFF_PASSWORD);
    const round = await doctor.get('/round');
    assertStatus(round, 200, 'doctor_1 GET /round');
    assert.ok(round.body.items.length > 0, 'doctor_1 has people to check');
  });

test('the audit chain holds', () => {
  const r = runCli(['audit', 'verify', db]);
  assert.equal(r.status, 0, r.stderr);
});

test('the same town every time; an existing file is refused', () => {
  const pg = db.startsWith('postgres');
  // the file's size; on PostgreSQL what demo writes
  const size = () => (pg ? sqlite(db, 'SELECT (SELECT count(*) FROM audit_log),'
    + ' (SELECT count(*) FROM people), (SELECT max(id) FROM accounts)')
    : statSync(db).size);
  const before = size();
  const again = runCli(['demo', db], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists/);
  assert.equal(size(), before);
  const db2 = dbUrl(dir, 'demo2.db');
  const r = runCli(['demo', db2], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FANGYI_PASSWORD: STAFF_PASSWORD });
  assert.equal(r.status, 0, r.stderr);
  const q = pg
    ? 'SELECT string_agg(name || id_number || phone || address, \';\' ORDER BY id)'
      + ' FROM people'
    : 'SELECT group_concat(name || id_number || phone || address, \';\')'
      + ' FROM (SELECT * FROM people ORDER BY id)';
  assert.equal(sqlite(db2, q), sqlite(db, q));
  dropDb(db2);
});

test('without FANGYI_ADMIN_PASSWORD a password is generated and printed', () => {
  const db3 = dbUrl(dir, 'demo3.db');
  const r = runCli(['demo', db3], { FANGYI_ADMIN_PASSWORD: '', FANGYI_PASSWORD: '' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^admin password: \S{8,}$/m);
  assert.match(r.stdout, /^staff password \(every demo account\): \S{8,}$/m);
  dropDb(db3);
});
