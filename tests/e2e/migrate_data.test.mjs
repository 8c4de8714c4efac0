// migrate_data.test.mjs — `fangyi migrate-data SQLITE_DB postgres://...`
// (issue 8, docs/migrate-data.md): the demo town moved into a fresh
// PostgreSQL database gives the same daily report of 2020-02-10 and a
// sound audit chain there; a run killed in the middle continues and ends
// the same; a target holding other data is refused and left as it was;
// the source file is never written.  PostgreSQL mode only (make
// test-e2e-pg): the target must be a PostgreSQL database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BIN, PG, ADMIN_PASSWORD, runCli, dbUrl, dbExists, dropDb, makeDb, pgDump,
} from './harness.mjs';
import { rows, sql, writeClock } from './lib.mjs';

const skip = PG ? false
  : 'migrate-data copies into PostgreSQL: needs the test cluster (make test-e2e-pg)';
const D = '2020-02-10';
let dir; let source; let clock; let sourceReport; let sourceHash;
const made = [];

function target(name) {
  const db = dbUrl(dir, name);
  made.push(db);
  return db;
}

function migrate(to, args = [], env = {}) {
  return runCli(['migrate-data', source, to, ...args], env);
}

function report(db) {
  const r = runCli(['report', db, '--date', D, '--format', 'json',
    '--test-clock', clock]);
  assert.equal(r.status, 0, `report ${db}: ${r.stderr}`);
  return r.stdout;
}

const fileHash = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');

// the target matches the source: same report, sound chain, same counts
function assertSameAsSource(to) {
  assert.equal(report(to), sourceReport, 'the daily report is identical');
  const v = runCli(['audit', 'verify', to]);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /audit chain ok/);
  for (const t of ['people', 'audit_log', 'checks', 'pass_people', 'tally_totals']) {
    assert.equal(sql(to, `SELECT count(*) FROM ${t}`),
      sql(source, `SELECT count(*) FROM ${t}`), `rows of ${t}`);
  }
}

before(() => {
  if (!PG) return;
  dir = mkdtempSync(path.join(tmpdir(), 'fangyi-migrate-'));
  source = path.join(dir, 'demo.db');   // SQLite, whatever the mode
  const r = runCli(['demo', source], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FANGYI_PASSWORD: 'staff-pass-456' });
  assert.equal(r.status, 0, `fangyi demo: ${r.stderr}`);
  clock = path.join(dir, 'clock');
  writeClock(clock, '2020-02-10T04:00:00Z');
  sourceReport = report(source);
  sourceHash = fileHash(source);
});

after(() => {
  for (const db of made) dropDb(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the demo town moves into PostgreSQL: same report, sound chain, every table checked', { skip }, () => {
  const to = target('full');
  const r = migrate(to);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => / (ok|MISMATCH) [0-9a-f]{16}$/.test(l));
  assert.ok(lines.length >= 30, `a line per table:\n${r.stdout}`);
  assert.ok(lines.every((l) => / ok /.test(l)), r.stdout);
  assert.match(r.stdout, /^audit_log +(\d+) +\1 +ok/m);
  assertSameAsSource(to);
  // the source file was only read
  assert.equal(fileHash(source), sourceHash, 'the source is unchanged');
  assert.ok(!existsSync(`${source}-wal`) || readFileSync(`${source}-wal`).length === 0);
  // ids go on after the copied ones (the identity sequences were moved)
  const before = Number(sql(to, 'SELECT max(id) FROM places'));
  const add = runCli(['place', 'add', to, '迁移新村', '--type', 'village']);
  assert.equal(add.status, 0, add.stderr);
  assert.equal(Number(sql(to, "SELECT id FROM places WHERE name = '迁移新村'")), before + 1);
  // a second run on the finished target only checks it again
  const again = migrate(to);
  assert.equal(again.status, 1, 'the target changed since (a place was added, audited)');
  assert.match(again.stdout, /^places +125 +126 +MISMATCH/m);
  assert.match(again.stdout, /^audit_log +(\d+) +\d+ +MISMATCH/m);
  assert.match(again.stdout, /^people +421 +421 +ok/m);
  assert.match(again.stderr, /2 table\(s\) differ/);
});

test('a run stopped after some batches continues where it stopped and ends the same', { skip }, () => {
  const to = target('stopped');
  const r = migrate(to, ['--batch', '500'], { FANGYI_MIGRATE_STOP_AFTER: '8' });
  assert.notEqual(r.status, 0, 'the run was killed');
  const progress = rows(to, 'SELECT tbl, copied, finished FROM migrate_progress ORDER BY tbl');
  const audit = progress.find((p) => p.tbl === 'audit_log');
  assert.ok(audit && audit.finished === 0 && audit.copied > 0 && audit.copied % 500 === 0,
    `stopped inside audit_log: ${JSON.stringify(progress)}`);
  assert.equal(Number(sql(to, 'SELECT count(*) FROM audit_log')), audit.copied);
  const again = migrate(to, ['--batch', '500']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /continuing the copy/);
  assert.match(again.stdout, new RegExp(`copied audit_log: ${
    Number(sql(source, 'SELECT count(*) FROM audit_log')) - audit.copied} rows`));
  assertSameAsSource(to);
});

test('a run killed from outside in the middle of a table continues and ends the same', { skip }, async () => {
  const to = target('killed');
  const proc = spawn(BIN, ['migrate-data', source, to, '--batch', '1'],
    { stdio: 'ignore' });
  const exited = new Promise((resolve) => proc.on('exit', (code, sig) => resolve(sig)));
  const deadline = Date.now() + 30000;
  let copied = 0;
  while (Date.now() < deadline && copied < 50) {
    await new Promise((res) => setTimeout(res, 100));
    try {
      copied = Number(sql(to, "SELECT coalesce(max(copied), 0) FROM migrate_progress WHERE tbl = 'audit_log'"));
    } catch { /* the target is not made yet */ }
  }
  proc.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  assert.ok(copied >= 50, 'the copy had reached audit_log');
  const again = migrate(to);
  assert.equal(again.status, 0, again.stderr);
  assertSameAsSource(to);
});

test('a target holding another town, or another source\'s copy, is refused and left as it was', { skip }, () => {
  const other = makeDb('别的镇');
  try {
    const before = pgDump(other.db);
    const r = migrate(other.db);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /already holds a town's data.*left as it is/);
    assert.equal(pgDump(other.db), before, 'untouched');
  } finally {
    other.cleanup();
  }
  // a copy another source began
  const town2 = path.join(dir, 'other.db');
  const init = runCli(['init', town2, '--town', '别的镇'], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(init.status, 0, init.stderr);
  const to = target('other_source');
  const begun = runCli(['migrate-data', town2, to, '--batch', '100'],
    { FANGYI_MIGRATE_STOP_AFTER: '3' });
  assert.notEqual(begun.status, 0);
  const before = pgDump(to);
  const r = migrate(to);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already holds the copy of another source/);
  assert.equal(pgDump(to), before, 'untouched');
});

test('a source with a table or column not in fangyi\'s schema is refused, its names never run as SQL', { skip }, () => {
  // the target a run of the real source began (the same town: the same
  // identity), to be continued by the doctored copy
  const begun = target('evil_begun');
  const b = migrate(begun, ['--batch', '100'], { FANGYI_MIGRATE_STOP_AFTER: '3' });
  assert.notEqual(b.status, 0);
  const before = pgDump(begun);
  const pwned = (db) => sql(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'pwned'");
  for (const [name, doctor] of [
    ['table', 'CREATE TABLE "town""; CREATE TABLE pwned (x int); --" (id INTEGER PRIMARY KEY);'],
    ['column', 'ALTER TABLE places ADD COLUMN "x""; CREATE TABLE pwned (x int); --" TEXT;'],
  ]) {
    const evil = path.join(dir, `evil_${name}.db`);
    const c = runCli(['backup', source, evil]);
    assert.equal(c.status, 0, c.stderr);
    sql(evil, doctor);
    const to = target(`evil_${name}`);
    const r = runCli(['migrate-data', evil, to]);
    assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /not in fangyi's schema/);
    assert.match(r.stderr, /CREATE TABLE pwned/, 'the message names it');
    if (dbExists(to)) {
      assert.equal(pwned(to), '0', `${name}: the name ran as SQL`);
      assert.equal(sql(to, `SELECT count(*) FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`),
        '0', `${name}: the new target was written`);
    }
    const again = runCli(['migrate-data', evil, begun]);
    assert.equal(again.status, 1, `${name}: ${again.stdout}${again.stderr}`);
    assert.match(again.stderr, /not in fangyi's schema/);
    assert.equal(pwned(begun), '0', `${name}: the name ran as SQL`);
    assert.equal(pgDump(begun), before, 'the begun target is untouched');
  }
});

test('rows referring to a later row of their own table are copied after it', { skip }, () => {
  const src = path.join(dir, 'later.db');
  const b = runCli(['backup', source, src]);
  assert.equal(b.status, 0, b.stderr);
  // people merged into later ones, one of them in turn merged into a later
  // one, and one merged into such a person (copied after it, though its
  // id is higher); a grid moved to a village made after it
  sql(src, `
    UPDATE people SET merged_into = (SELECT max(id) FROM people)
      WHERE id IN ((SELECT min(id) FROM people), (SELECT max(id) - 1 FROM people));
    UPDATE people SET merged_into = (SELECT max(id) - 1 FROM people)
      WHERE id = (SELECT min(id) + 1 FROM people);
    UPDATE people SET merged_into = (SELECT min(id) FROM people)
      WHERE id = (SELECT min(id) + 5 FROM people);
    INSERT INTO places (id, type, name, active, created_at)
      VALUES (9001, 'village', '后建村', 1, '2020-02-09T00:00:00Z');
    UPDATE places SET village_id = 9001
      WHERE id = (SELECT min(id) FROM places WHERE type = 'grid');`);
  const later = Number(sql(src, 'SELECT count(*) FROM people WHERE merged_into > id'));
  assert.equal(later, 3);
  const to = target('later');
  const r = runCli(['migrate-data', src, to, '--batch', '50']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^people +421 +421 +ok/m);
  assert.match(r.stdout, /^places +126 +126 +ok/m);
  assert.match(r.stdout, /^tally_returnees +(\d+) +\1 +ok/m);
  assert.equal(sql(to, 'SELECT count(*) FROM people WHERE merged_into > id'), '3');
  assert.equal(sql(to, 'SELECT count(*) FROM people WHERE merged_into IS NOT NULL'), '4');
});

test('rows with an id of 0 or below are copied and checked too', { skip }, () => {
  const src = path.join(dir, 'nonpositive.db');
  const b = runCli(['backup', source, src]);
  assert.equal(b.status, 0, b.stderr);
  sql(src, `INSERT INTO places (id, type, name, active, created_at) VALUES
    (0, 'village', '零号村', 1, '2020-02-09T00:00:00Z'),
    (-7, 'village', '负号村', 1, '2020-02-09T00:00:00Z');`);
  const to = target('nonpositive');
  const r = runCli(['migrate-data', src, to, '--batch', '50']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^places +127 +127 +ok/m);
  assert.equal(sql(to, 'SELECT name FROM places WHERE id <= 0 ORDER BY id'), '负号村\n零号村');
});

test('bad arguments exit 2 and make nothing', { skip }, () => {
  const to = target('never');
  const cases = [
    ['migrate-data', source],
    ['migrate-data', source, path.join(dir, 'copy.db')],
    ['migrate-data', to, to],
    ['migrate-data', source, to, '--batch', '0'],
    ['migrate-data', source, to, '--batch', 'ten'],
    ['migrate-data', source, to, '--nope'],
  ];
  for (const args of cases) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /migrate-data|usage/i);
  }
  assert.equal(sql(`${PG}/postgres`,
    `SELECT count(*) FROM pg_database WHERE datname = '${new URL(to).pathname.slice(1)}'`), '0');
  assert.ok(!existsSync(path.join(dir, 'copy.db')));
  const missing = runCli(['migrate-data', path.join(dir, 'nothing.db'), to]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /does not exist/);
});
