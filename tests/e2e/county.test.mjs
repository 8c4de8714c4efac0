// county.test.mjs — several townships in one county database (issue 8,
// docs/migrate-data.md, docs/deploy.md): each town is a schema of the
// county's PostgreSQL database, named by the URL's town=.  Two townships'
// SQLite files are merged into one database by `fangyi migrate-data`, each
// checked against its source (same daily report, sound audit chain); a
// server of one town sees nothing of the other (accounts, sessions,
// villages, even a village of the same name); towns write at once without
// waiting for each other's write lock; a town already there is never
// overwritten by another source.  PostgreSQL mode only (make test-e2e-pg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PG, ADMIN_PASSWORD, Client, runCli, dropDb, pgDump, pgTown, spawnServer, stopServer,
} from './harness.mjs';
import {
  createPlace, holdWriteLock, idNumber, listAll, loginAs, sql, writeClock,
} from './lib.mjs';

const skip = PG ? false
  : 'a county database is PostgreSQL: needs the test cluster (make test-e2e-pg)';
const D = '2020-02-10';
const XISHAN_PASSWORD = 'xishan-admin-789';
let dir; let clock; let county;
const src = {};      // town -> SQLite file
const url = {};      // town -> the county database's URL with town=
const servers = [];

const report = (db) => {
  const r = runCli(['report', db, '--date', D, '--format', 'json', '--test-clock', clock]);
  assert.equal(r.status, 0, `report ${db}: ${r.stderr}`);
  return r.stdout;
};
const villages = (db) => sql(db, "SELECT name FROM places WHERE type = 'village' ORDER BY id");

before(() => {
  if (!PG) return;
  dir = mkdtempSync(path.join(tmpdir(), 'fangyi-county-'));
  clock = path.join(dir, 'clock');
  writeClock(clock, '2020-02-10T04:00:00Z');
  county = `${PG}/county_${process.pid}`;
  url.shanwang = `${county}?town=shanwang`;
  url.xishan = `${county}?town=xishan`;
  // 山旺镇: the demo town
  src.shanwang = path.join(dir, 'shanwang.db');
  const d = runCli(['demo', src.shanwang], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FANGYI_PASSWORD: 'staff-pass-456' });
  assert.equal(d.status, 0, d.stderr);
  // 西山镇: a small town of its own, with a village named as one of 山旺镇's
  src.xishan = path.join(dir, 'xishan.db');
  const init = runCli(['init', src.xishan, '--town', '西山镇'],
    { FANGYI_ADMIN_PASSWORD: XISHAN_PASSWORD });
  assert.equal(init.status, 0, init.stderr);
  for (const v of ['西山村', '东旺村']) {
    const r = runCli(['place', 'add', src.xishan, v, '--type', 'village']);
    assert.equal(r.status, 0, r.stderr);
  }
  const csv = path.join(dir, 'people.csv');
  writeFileSync(csv, '姓名,身份证号,联系电话,所属村,返乡来源地,返乡日期\n'
    + `西一,${idNumber('420106', '19800101', 11)},13800000001,西山村,湖北省武汉市,2020-01-22\n`
    + `西二,${idNumber('420106', '19800102', 12)},13800000002,西山村,广东省深圳市,2020-02-09\n`
    + `西三,${idNumber('420106', '19800103', 13)},13800000003,东旺村,,\n`);
  const imp = runCli(['import', src.xishan, 'people', csv]);
  assert.equal(imp.status, 0, imp.stderr);
});

after(async () => {
  for (const s of servers) await stopServer(s.proc);
  if (county) dropDb(county);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('two townships merge into one county database, each checked against its source', { skip }, () => {
  for (const town of ['shanwang', 'xishan']) {
    const r = runCli(['migrate-data', src[town], url[town]]);
    assert.equal(r.status, 0, `${town}: ${r.stdout}${r.stderr}`);
    assert.ok(!/MISMATCH/.test(r.stdout), r.stdout);
    assert.match(r.stdout, /audit chain ok/);
    assert.equal(report(url[town]), report(src[town]), `${town}: the daily report is identical`);
    assert.equal(villages(url[town]), villages(src[town]), `${town}: its villages`);
    assert.equal(sql(url[town], 'SELECT count(*) FROM people'),
      sql(src[town], 'SELECT count(*) FROM people'), `${town}: its people`);
  }
  // one database, a schema per town, nothing in public
  assert.equal(sql(county, `SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace
    WHERE nspname IN ('shanwang', 'xishan')`), 'shanwang,xishan');
  assert.equal(sql(county, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), '0');
  assert.equal(sql(url.shanwang, 'SELECT name FROM town'), '山旺镇');
  assert.equal(sql(url.xishan, 'SELECT name FROM town'), '西山镇');
  // both towns have a 东旺村, each its own
  assert.equal(sql(url.xishan, "SELECT count(*) FROM people p JOIN places v ON v.id = p.village_id"
    + " WHERE v.name = '东旺村'"), '1');
  assert.ok(Number(sql(url.shanwang, "SELECT count(*) FROM people p JOIN places v"
    + " ON v.id = p.village_id WHERE v.name = '东旺村'")) > 1);
  // the CLI works on each town as on a township's file
  const list = runCli(['user', 'list', url.xishan]);
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['admin']);
});

test('fangyi county: every town of the database and the towns added up', { skip }, () => {
  const r = runCli(['county', county, '--date', D, '--format', 'json', '--test-clock', clock]);
  assert.equal(r.status, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.equal(c.date, D);
  assert.deepEqual(c.towns.map((t) => t.town), ['shanwang', 'xishan']);
  // each town's report is exactly `fangyi report`'s
  for (const t of c.towns)
    assert.deepEqual(t.report, JSON.parse(report(url[t.town])), t.town);
  const [sw, xs] = c.towns.map((t) => t.report);
  assert.equal(xs.returnees.total, 2, "西山镇's returnees");
  const fig = (label) => c.total.find((f) => f.label === label)?.value;
  assert.equal(fig('行政村'), 18);
  assert.equal(fig('返乡人员累计'), sw.returnees.total + xs.returnees.total);
  assert.equal(fig('居家医学观察'), sw.observation.current + xs.observation.current);
  assert.equal(fig('卡口今日登记'), sw.checkpoints.passes + xs.checkpoints.passes);
  // a share is computed again from the sums, not averaged
  const screened = sw.coverage.screened + xs.coverage.screened;
  const total = sw.returnees.total + xs.returnees.total;
  assert.equal(fig('返乡人员排查率'), Math.round(screened * 1000 / total) / 10);
  // the text: the county's figures, then a line per town
  const text = runCli(['county', `${county}?town=xishan`, '--date', D, '--test-clock', clock]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^全县汇总（2 个乡镇） 防疫工作日报 2020-02-10\n/);
  assert.match(text.stdout, new RegExp(`^返乡人员累计：${total} 人$`, 'm'));
  assert.match(text.stdout, /^山旺镇（shanwang）：返乡人员累计 421 人，/m);
  assert.match(text.stdout, /^西山镇（xishan）：返乡人员累计 \d+ 人，/m);
  // a SQLite file, a bad day, a database without towns: a clear refusal
  const file = runCli(['county', src.xishan]);
  assert.equal(file.status, 2);
  assert.match(file.stderr, /PostgreSQL URL/);
  const bad = runCli(['county', county, '--date', '2020-02-30']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /date/);
  const empty = runCli(['county', `${PG}/postgres`]);
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /holds no town/);
});

test("a town's server sees only its town: accounts, sessions, villages", { skip }, async () => {
  const sw = await spawnServer(url.shanwang);
  servers.push(sw);
  const xs = await spawnServer(url.xishan);
  servers.push(xs);
  const a = await loginAs(sw.url, 'admin', ADMIN_PASSWORD);
  const b = await loginAs(xs.url, 'admin', XISHAN_PASSWORD);
  // 山旺镇's admin password is not 西山镇's, nor its staff accounts
  const wrong = new Client(xs.url);
  assert.equal((await wrong.login('admin', ADMIN_PASSWORD)).status, 401);
  assert.equal((await wrong.login('cadre_dongwang', 'staff-pass-456')).status, 401);
  // a session of 山旺镇 means nothing to 西山镇's server
  const stolen = new Client(xs.url);
  stolen.cookie = a.cookie;
  stolen.csrf = a.csrf;
  assert.equal((await stolen.get('/places')).status, 401);
  // each lists its own villages only
  const names = async (c) => (await listAll(c, '/places?type=village')).map((p) => p.name).sort();
  assert.deepEqual(await names(b), ['东旺村', '西山村']);
  const aNames = await names(a);
  assert.equal(aNames.length, 16);
  assert.ok(!aNames.includes('西山村'));
  const people = await listAll(b, '/people');
  assert.deepEqual(people.map((p) => p.name).sort(), ['西一', '西三', '西二']);
});

test("towns write at once: one town's write lock does not hold up another's", { skip }, async () => {
  const [sw, xs] = servers;
  assert.ok(sw && xs, 'the servers of the previous test');
  const a = await loginAs(sw.url, 'admin', ADMIN_PASSWORD);
  const b = await loginAs(xs.url, 'admin', XISHAN_PASSWORD);
  const lock = await holdWriteLock(url.shanwang);
  try {
    const t0 = Date.now();
    const p = await createPlace(b, { type: 'village', name: '锁外村' });
    assert.ok(Date.now() - t0 < 3000, `西山镇 waited ${Date.now() - t0} ms for 山旺镇's lock`);
    assert.ok(p.id > 0);
  } finally {
    await lock.release();
  }
  // both towns' ids go on from their own records
  const before = Number(sql(url.shanwang, 'SELECT max(id) FROM places'));
  const q = await createPlace(a, { type: 'village', name: '锁外村' });
  assert.equal(q.id, before + 1);
  for (const town of ['shanwang', 'xishan']) {
    const v = runCli(['audit', 'verify', url[town]]);
    assert.equal(v.status, 0, `${town}: ${v.stderr}`);
  }
});

test('a town already in the county database is never overwritten by another source', { skip }, () => {
  const before = pgDump(url.shanwang);
  const r = runCli(['migrate-data', src.xishan, url.shanwang]);
  assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /already holds/);
  assert.equal(pgDump(url.shanwang), before, "山旺镇's schema is untouched");
  // init refuses it too; a new town beside them is made
  const init = runCli(['init', url.xishan, '--town', '又一镇'], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(init.status, 1);
  assert.match(init.stderr, /already exists/);
  const third = runCli(['init', `${county}?town=nanshan`, '--town', '南山镇'],
    { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(third.status, 0, third.stderr);
  assert.equal(sql(`${county}?town=nanshan`, 'SELECT name FROM town'), '南山镇');
  assert.equal(sql(url.xishan, 'SELECT name FROM town'), '西山镇');
});

test("a DBA's SQL on one town's tables keeps that town's tallies, whatever its search_path", { skip }, () => {
  const before = JSON.parse(report(url.xishan));
  const shanwang = report(url.shanwang);
  const row = (r) => r.by_village.find((v) => v.village === '东旺村');
  assert.equal(row(before).returnees_total, 0);
  // psql on the county database: search_path "$user", public
  sql(county, `UPDATE xishan.people SET village_id =
    (SELECT id FROM xishan.places WHERE name = '东旺村') WHERE name = '西一'`);
  const after = JSON.parse(report(url.xishan));
  assert.equal(row(after).returnees_total, 1, 'the move reached 西山镇\'s tallies');
  assert.equal(after.returnees.total, before.returnees.total);
  assert.equal(report(url.shanwang), shanwang, '山旺镇 is untouched');
});

test('fangyi county leaves out, and names, a town still being copied in and schemas that are not towns', { skip }, () => {
  const half = runCli(['migrate-data', src.xishan, `${county}?town=half`, '--batch', '2'],
    { FANGYI_MIGRATE_STOP_AFTER: '3' });
  assert.notEqual(half.status, 0);
  // schemas that look like a fangyi database but cannot be a town's
  for (const name of ['Foo', 'a&host=10.255.255.1'])
    sql(county, `CREATE SCHEMA "${name}"; CREATE TABLE "${name}".schema_version (v int);
      CREATE TABLE "${name}".town (id int)`);
  // a town migrate-data copied in before copies were marked finished: the
  // mark missing, migration 010 not yet applied; opening it migrates it,
  // and 010 marks the complete copy
  sql(url.shanwang, "UPDATE migrate_progress SET finished = 0 WHERE tbl = ''");
  sql(url.shanwang, 'DELETE FROM schema_version WHERE version = 10');
  const old = JSON.parse(runCli(['county', county, '--date', D, '--format', 'json',
    '--test-clock', clock]).stdout);
  assert.ok(old.skipped.some((t) => t.town === 'shanwang' && /older/.test(t.reason)),
    JSON.stringify(old.skipped));
  const up = runCli(['audit', 'verify', url.shanwang]);
  assert.equal(up.status, 0, up.stderr);
  assert.equal(sql(url.shanwang, "SELECT finished FROM migrate_progress WHERE tbl = ''"), '1');
  // a town a newer fangyi has migrated
  sql(url.xishan, "INSERT INTO schema_version VALUES (999, '999_future.sql', '2026-11-29T00:00:00Z')");
  const r = runCli(['county', county, '--date', D, '--format', 'json', '--test-clock', clock]);
  assert.equal(r.status, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.deepEqual(c.towns.map((t) => t.town), ['nanshan', 'shanwang']);
  assert.deepEqual(c.skipped.map((t) => t.town), ['half', 'xishan']);
  assert.match(c.skipped[0].reason, /migrate-data has not finished/);
  assert.match(c.skipped[1].reason, /newer fangyi/);
  sql(url.xishan, 'DELETE FROM schema_version WHERE version = 999');
  assert.match(r.stderr, /half left out: migrate-data/);
  assert.match(r.stderr, /schema Foo is not a town's name/);
  assert.match(r.stderr, /schema a&host=10\.255\.255\.1 is not a town's name/);
  // it only reads: a database set read-only (a standby) is counted too
  const name = pgTown(county).name;
  sql(`${PG}/postgres`, `ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
  let text;
  try {
    text = runCli(['county', county, '--date', D, '--test-clock', clock]);
  } finally {
    sql(`${PG}/postgres`, `ALTER DATABASE "${name}" RESET default_transaction_read_only`);
  }
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^全县汇总（3 个乡镇）/);
  assert.match(text.stdout, /^未计入：half（数据迁移（migrate-data）尚未完成）$/m);
});

test('a URL without town= is the schema public, whatever search_path the session would have', { skip }, () => {
  const before = pgDump(url.shanwang);
  // a shell left with PGOPTIONS pointing at 山旺镇's schema
  const env = { PGOPTIONS: '-c search_path=shanwang' };
  const r = runCli(['migrate-data', src.xishan, county], env);
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.equal(pgDump(url.shanwang), before, "山旺镇's schema is untouched");
  assert.equal(sql(county, 'SELECT name FROM public.town'), '西山镇');
  const init = runCli(['init', county, '--town', '又一镇'], { ...env, FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(init.status, 1, 'public already holds a town');
  assert.equal(sql(url.shanwang, 'SELECT name FROM town'), '山旺镇');
  const v = runCli(['audit', 'verify', county], env);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(pgDump(url.shanwang), before, "山旺镇's schema is still untouched");
});
