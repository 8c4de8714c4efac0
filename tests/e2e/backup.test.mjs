// backup.test.mjs — `fangyi backup` copies a live database while writers
// keep going, and `fangyi restore` puts a copy back only when it is sound,
// never over an existing database without --force, never under a running
// server (docs/cli.md "backup", "restore").  These copy SQLite files: on
// PostgreSQL (make test-e2e-pg) they are skipped, and the last test checks
// that both refuse a postgres:// database, naming pg_dump.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  makeDb, spawnServer, stopServer, runCli, runCliAsync, ADMIN_PASSWORD, PG,
} from './harness.mjs';
import { createPlace, hasColumn, loginAs, listAll, sqlite, sleep } from './lib.mjs';
import { makePre009 } from './audit_chain.mjs';

const cleanups = [];
after(async () => { for (const f of cleanups.reverse()) await f(); });

// the file tests run on SQLite only
const FILES = {
  skip: PG ? 'fangyi backup and restore copy SQLite files; a PostgreSQL database is'
    + ' copied with pg_dump (the refusal is tested below)' : false,
};

const digest = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

// A database with a server on it and an admin client.
async function served(demo = false) {
  const { dir, db, cleanup } = makeDb();
  cleanups.push(cleanup);
  if (demo) {
    rmSync(db);
    const r = runCli(['demo', db], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD, FANGYI_PASSWORD: 'staff-pass-123' });
    assert.equal(r.status, 0, r.stderr);
  }
  const { proc, url } = await spawnServer(db);
  cleanups.push(() => stopServer(proc, 'SIGKILL'));
  const admin = await loginAs(url, 'admin', ADMIN_PASSWORD);
  return { dir, db, proc, url, admin };
}

// storm runs `n` loops creating grids of village vid until stop() is
// called; every request sent and every one acknowledged (201) is kept in
// order, so a moment can be pinned as "so many sent / acknowledged".
function storm(client, vid, n = 6) {
  const sent = [];
  const acked = [];
  const other = [];
  let running = true;
  const loop = async (w) => {
    for (let i = 0; running; i++) {
      const name = `g-${w}-${i}`;
      sent.push(name);
      const r = await client.post('/places', { type: 'grid', name, village_id: vid });
      if (r.status === 201) acked.push(name);
      else other.push(`${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  const loops = Array.from({ length: n }, (_, w) => loop(w));
  return { sent, acked, other, async stop() { running = false; await Promise.all(loops); } };
}

const grids = (db) => sqlite(db, "SELECT name FROM places WHERE type = 'grid' AND name LIKE 'g-%' ORDER BY id")
  .split('\n').filter(Boolean);

test('a backup taken under load restores to a consistent database', { ...FILES, timeout: 90000 }, async (t) => {
  // the demo town (about 10 MB), so that the copy takes a while
  const s = await served(true);
  const vid = (await createPlace(s.admin, { type: 'village', name: '备份村' })).id;
  const load = storm(s.admin, vid);
  await sleep(800);
  const ackedBefore = load.acked.slice();
  const file = path.join(s.dir, 'copy.db');
  const b = await runCliAsync(['backup', s.db, file]);
  const ackedAtEnd = load.acked.length;
  const sentAtEnd = load.sent.slice();
  await sleep(400);
  await load.stop();
  assert.equal(b.status, 0, `backup: ${b.stderr}`);
  assert.match(b.stdout, /backed up .* to .*copy\.db/);
  assert.deepEqual(load.other.slice(0, 3), [], 'the writers got errors');
  assert.ok(sentAtEnd.length > ackedBefore.length, 'no write was in flight while the backup ran');

  const restored = path.join(s.dir, 'restored.db');
  const r = runCli(['restore', file, restored]);
  assert.equal(r.status, 0, `restore: ${r.stderr}`);
  assert.match(r.stdout, /audit chain ok/);
  const v = runCli(['audit', 'verify', restored]);
  assert.equal(v.status, 0, `audit verify of the restored copy: ${v.stderr}`);
  assert.match(v.stdout, /audit chain ok: \d+ entries/);

  const names = grids(restored);
  t.diagnostic(`backup: ${b.stdout.trim()}`);
  t.diagnostic(`${ackedBefore.length} acknowledged before the backup, ${names.length} in it,`
    + ` ${ackedAtEnd} acknowledged and ${sentAtEnd.length} sent when it ended,`
    + ` ${load.acked.length} in all`);
  const inCopy = new Set(names);
  const missing = ackedBefore.filter((n) => !inCopy.has(n));
  assert.deepEqual(missing.slice(0, 5), [],
    `${missing.length} writes acknowledged before the backup began are not in it`);
  const sentSet = new Set(sentAtEnd);
  const late = names.filter((n) => !sentSet.has(n));
  assert.deepEqual(late, [], 'the copy holds writes sent after the backup ended');
  assert.ok(names.length >= ackedBefore.length && names.length <= sentAtEnd.length,
    `${names.length} grids in the copy, not between ${ackedBefore.length} and ${sentAtEnd.length}`);
  assert.ok(names.length < load.acked.length, 'the copy holds every write, even later ones');
  // each grid in the copy came with its audit entry, in the same commit
  const audited = Number(sqlite(restored, "SELECT count(*) FROM audit_log a JOIN places p"
    + " ON p.id = a.entity_id WHERE a.entity = 'place' AND p.type = 'grid' AND p.name LIKE 'g-%'"));
  const orphans = Number(sqlite(restored, "SELECT count(*) FROM audit_log a"
    + " WHERE a.entity = 'place' AND a.entity_id NOT IN (SELECT id FROM places)"));
  assert.equal(audited, names.length, 'grids without their audit entry');
  assert.equal(orphans, 0, 'audit entries of grids the copy lacks');

  // the restored database serves
  const again = await spawnServer(restored);
  cleanups.push(() => stopServer(again.proc, 'SIGKILL'));
  const admin2 = await loginAs(again.url, 'admin', ADMIN_PASSWORD);
  const listed = await listAll(admin2, `/places?village_id=${vid}&type=grid`);
  assert.equal(listed.length, names.length);
  assert.equal(await stopServer(again.proc), 0);
  assert.equal(await stopServer(s.proc), 0);
});

test('restore refuses an existing database without --force, and a served one even with it', { ...FILES, timeout: 60000 }, async () => {
  const s = await served();
  await createPlace(s.admin, { type: 'village', name: '原村' });
  const file = path.join(s.dir, 'copy.db');
  assert.equal(runCli(['backup', s.db, file]).status, 0);

  // backup onto an existing file without --force: refused, file unchanged
  const other = makeDb();
  cleanups.push(other.cleanup);
  const before = digest(other.db);
  const b = runCli(['backup', s.db, other.db]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /already exists.*--force/);
  assert.equal(digest(other.db), before, 'backup wrote over a file without --force');

  // restore onto an existing database without --force: refused, unchanged
  const r = runCli(['restore', file, other.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already exists.*--force.*nothing was changed/);
  assert.equal(digest(other.db), before, 'restore wrote over a database without --force');
  assert.deepEqual(grids(other.db), []);
  assert.equal(sqlite(other.db, "SELECT count(*) FROM places WHERE name = '原村'"), '0');

  // onto the database a server runs on, even with --force: refused
  const live = runCli(['restore', file, s.db, '--force']);
  assert.equal(live.status, 1, live.stdout);
  assert.match(live.stderr, /open in another program/);
  const admin = await loginAs(s.url, 'admin', ADMIN_PASSWORD);
  await createPlace(admin, { type: 'village', name: '仍在村' });
  assert.equal(sqlite(s.db, "SELECT count(*) FROM places WHERE name = '仍在村'"), '1',
    'the served database lost a write after the refused restore');

  // with --force onto an idle database: replaced by the copy
  const ok = runCli(['restore', file, other.db, '--force']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(sqlite(other.db, "SELECT count(*) FROM places WHERE name = '原村'"), '1');
  assert.equal(await stopServer(s.proc), 0);
});

test('restore never replays the old file\'s log into the new one', { ...FILES, timeout: 60000 }, async () => {
  const src = makeDb();
  cleanups.push(src.cleanup);
  const file = path.join(src.dir, 'copy.db');
  assert.equal(runCli(['backup', src.db, file]).status, 0);
  const target = makeDb();
  cleanups.push(target.cleanup);
  // a program that died with a write only in the log (-wal) of the target
  const sq = spawn('sqlite3', [target.db], { stdio: ['pipe', 'ignore', 'inherit'] });
  sq.stdin.write("PRAGMA wal_autocheckpoint=0;\nINSERT INTO places (type, name, created_at)"
    + " VALUES ('village', '日志村', '2020-01-01T00:00:00Z');\nSELECT 1;\n");
  await sleep(500);
  sq.kill('SIGKILL');
  await new Promise((res) => (sq.exitCode !== null || sq.signalCode !== null ? res() : sq.once('exit', res)));
  assert.ok(existsSync(target.db + '-wal'), 'the killed program left no log');
  const r = runCli(['restore', file, target.db, '--force']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sqlite(target.db, "SELECT count(*) FROM places WHERE name = '日志村'"), '0',
    'a row of the old log came back in the restored database');
  assert.equal(runCli(['audit', 'verify', target.db]).status, 0);
});

test('restore refuses what is not a sound fangyi database; nothing is written', { ...FILES, timeout: 60000 }, async () => {
  const { dir, db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const target = path.join(dir, 'target.db');
  const cases = [];
  const junk = path.join(dir, 'junk.db');
  writeFileSync(junk, 'this is not a database\n'.repeat(100));
  cases.push([junk, /not a fangyi database/]);
  const plain = path.join(dir, 'plain.db');
  sqlite(plain, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);');
  cases.push([plain, /not a fangyi database \(no schema_version\)/]);
  const tampered = path.join(dir, 'tampered.db');
  assert.equal(runCli(['backup', db, tampered]).status, 0);
  sqlite(tampered, "UPDATE audit_log SET summary = 'changed' WHERE id = 1");
  cases.push([tampered, /audit chain of .* is broken at entry 1/]);
  const newer = path.join(dir, 'newer.db');
  assert.equal(runCli(['backup', db, newer]).status, 0);
  sqlite(newer, "INSERT INTO schema_version VALUES (999, '999_future.sql', '2030-01-01T00:00:00Z')");
  cases.push([newer, /newer fangyi/]);
  cases.push([path.join(dir, 'missing.db'), /does not exist/]);
  for (const [file, why] of cases) {
    const before = existsSync(file) ? digest(file) : null;
    const r = runCli(['restore', file, target]);
    assert.equal(r.status, 1, `${path.basename(file)}: ${r.stdout}`);
    assert.match(r.stderr, why, path.basename(file));
    assert.ok(!existsSync(target), `${path.basename(file)}: the target was created`);
    if (before) assert.equal(digest(file), before, `${path.basename(file)} was changed`);
  }
  // nothing left behind: no temporary copies, no log files
  const { readdirSync } = await import('node:fs');
  const left = readdirSync(dir).filter((f) => /restore-|\.tmp-|target/.test(f));
  assert.deepEqual(left, []);
});

test('backup and restore refuse a PostgreSQL database, naming pg_dump; nothing is written',
  { skip: PG ? false : 'needs the PostgreSQL test cluster (make test-e2e-pg)', timeout: 60000 }, async () => {
    const { dir, db, cleanup } = makeDb();
    cleanups.push(cleanup);
    const file = path.join(dir, 'copy.db');
    const b = runCli(['backup', db, file]);
    assert.equal(b.status, 1, b.stdout);
    assert.match(b.stderr, /is a PostgreSQL database: .*pg_dump.*nothing was changed/);
    assert.ok(!existsSync(file), 'backup wrote a file');
    // a SQLite copy restored onto a postgres:// URL, or a URL onto a file
    const lite = path.join(dir, 'lite.db');
    assert.equal(runCli(['init', lite, '--town', '镇'], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD }).status, 0);
    const before = sqlite(db, 'SELECT count(*) FROM audit_log');
    for (const [from, to] of [[lite, db], [db, path.join(dir, 'target.db')]]) {
      const r = runCli(['restore', from, to, '--force']);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /is a PostgreSQL database: .*pg_restore/);
    }
    assert.ok(!existsSync(path.join(dir, 'target.db')), 'restore wrote a file');
    assert.equal(sqlite(db, 'SELECT count(*) FROM audit_log'), before, 'restore changed the database');
    assert.equal(runCli(['audit', 'verify', db]).status, 0);
  });

test('backup --force refuses the database itself under another name or a link; the log stays', { ...FILES, timeout: 60000 }, async () => {
  const s = await served();
  await createPlace(s.admin, { type: 'village', name: '同文件村' });
  const { symlinkSync } = await import('node:fs');
  const link = path.join(s.dir, 'link.db');
  symlinkSync(s.db, link);
  const other = `${s.dir}/./${path.basename(s.db)}`;
  for (const file of [link, other]) {
    const b = runCli(['backup', s.db, file, '--force']);
    assert.equal(b.status, 1, b.stdout);
    assert.match(b.stderr, /is the database .* itself.*nothing was changed/);
  }
  assert.ok(existsSync(`${s.db}-wal`), 'the live write-ahead log was deleted');
  // the server still writes and the place is there
  await createPlace(s.admin, { type: 'village', name: '同文件二村' });
  assert.equal(sqlite(s.db, "SELECT count(*) FROM places WHERE name LIKE '同文件%'"), '2');
});

test('serve keeps DB.before-migration, the database as it was, before it migrates', { ...FILES, timeout: 60000 }, async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  makePre009(db); // as an older fangyi left it: migration 009 not applied
  const copy = `${db}.before-migration`;
  const { proc, url } = await spawnServer(db);
  cleanups.push(() => stopServer(proc, 'SIGKILL'));
  await loginAs(url, 'admin', ADMIN_PASSWORD);
  assert.ok(existsSync(copy), 'no copy was kept before the migration');
  assert.equal(hasColumn(copy, 'audit_log', 'summary_sha256'), false, 'the copy was made after migrating');
  assert.equal(sqlite(copy, "SELECT count(*) FROM schema_version WHERE name = '009_audit_clear.sql'"), '0');
  assert.equal(runCli(['audit', 'verify', copy]).status, 0, 'the copy is not a sound database');
  assert.equal(hasColumn(db, 'audit_log', 'summary_sha256'), true, 'the served database was not migrated');
});
