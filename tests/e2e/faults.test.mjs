// faults.test.mjs — a database that cannot be written (disk full, read
// only) refuses writes with 503 and a code saying why, keeps serving
// reads, keeps nothing of a refused write, and takes writes again once
// the fault is gone, without a restart (docs/api.md "503").
//
// The faults are real ones, made with what the machine allows:
// - disk full: a small tmpfs filled by another file (root only: mount),
//   and the process's file size limit lowered with prlimit (any user;
//   the same write(2) failure, EFBIG instead of ENOSPC);
// - read-only: the files made immutable with chattr +i while the server
//   runs (root only: a chmod does not stop a descriptor already open),
//   and a server started on a write-protected file (chattr +i for root,
//   chmod a-w otherwise).
// These are faults of the SQLite file: on PostgreSQL (make test-e2e-pg) the
// disk full test still runs on a SQLite file of its own and the others are
// skipped.  PostgreSQL's own faults (SQLSTATE 53100 and 25006 give the
// same 503 codes, src/db/db_pg.c) are made on the test cluster:
// - disk full: the database in a tablespace on a small tmpfs (root only),
//   filled by another file;
// - read-only: default_transaction_read_only set on the database and the
//   server's connections cut, so that they come back read-only (as after a
//   failover to a standby, or a DBA's lock-down).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  makeDb, runCli, spawnServer, stopServer, ADMIN_PASSWORD, Client, PG, psql, pgTown,
} from './harness.mjs';
import { assertError, assertStatus, createPlace, listAll, loginAs, show } from './lib.mjs';

const cleanups = [];
after(async () => { for (const f of cleanups.reverse()) await f(); });

const isRoot = process.getuid?.() === 0;
const onPg = PG ? 'a fault of the SQLite file; a PostgreSQL database\'s files are its server\'s' : false;
const run = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' });

// One person row per line, for an import that writes many rows at once.
const peopleCsv = (tag, n) => ['姓名,所属村',
  ...Array.from({ length: n }, (_, i) => `${tag}${i},故障村`)].join('\r\n') + '\r\n';

// The answer of a refused write: 503, the fault's code, a message.
function assertRefused(r, code, what) {
  assertError(r, 503, code, undefined, what);
  assert.ok(r.body.error.message.length > 20, `${what}: message too thin: ${show(r)}`);
}

// A picture of what the server holds, through the API.
async function snapshot(admin) {
  const places = (await listAll(admin, '/places')).map((p) => p.name).sort();
  const people = (await listAll(admin, '/people')).length;
  return { places, people };
}

// exercise: with the fault on, writes of several kinds are refused and
// reads answer; with it cleared, a write goes through; nothing of the
// refused writes is kept and the audit chain holds.
async function exercise(t, s, admin, { inject, clear, code }) {
  const before = await snapshot(admin);
  await inject();
  // the first write may have fit into space the log file already had
  let r;
  for (let i = 0; i < 50; i++) {
    r = await admin.post('/places', { type: 'village', name: `故障写${i}` });
    if (r.status !== 201) break;
    before.places.push(`故障写${i}`);
    before.places.sort();
  }
  assertRefused(r, code, 'POST /places');
  t.diagnostic(`${r.body.error.code}: ${r.body.error.message}`);
  const imp = await admin.post('/people/import', peopleCsv('故障', 40), { contentType: 'text/csv' });
  assertRefused(imp, code, 'POST /people/import');
  for (const p of ['/places', '/people', '/audit', '/town', '/me']) {
    const g = await admin.get(p);
    assertStatus(g, 200, `GET ${p} with the fault on`);
  }
  assert.deepEqual(await snapshot(admin), before, 'a refused write left something behind');
  await clear();
  const ok = await admin.post('/places', { type: 'village', name: '恢复村' });
  assertStatus(ok, 201, 'POST /places once the fault is cleared');
  const imp2 = await admin.post('/people/import', peopleCsv('恢复', 5), { contentType: 'text/csv' });
  assertStatus(imp2, 200, 'import once the fault is cleared');
  const after = await snapshot(admin);
  assert.deepEqual(after.places, [...before.places, '恢复村'].sort());
  assert.equal(after.people, before.people + 5);
  const v = await admin.get('/audit/verify');
  assert.equal(v.body?.ok, true, `audit chain: ${show(v)}`);
  assert.equal(await stopServer(s.proc), 0, `exit after the fault:\n${s.stderr().slice(-1500)}`);
}

// A server on db with an admin client and the village of the imports.
async function serve(db, extra = []) {
  const s = await spawnServer(db, extra);
  cleanups.push(() => stopServer(s.proc, 'SIGKILL'));
  const admin = await loginAs(s.url, 'admin', ADMIN_PASSWORD);
  await createPlace(admin, { type: 'village', name: '故障村' });
  return { s, admin };
}

// smallDisk mounts a tmpfs with opts (root only) on a new directory,
// unmounted at the end; null (the test skipped) when it cannot.
function smallDisk(t, opts) {
  const mnt = mkdtempSync(path.join(tmpdir(), 'fangyi-full-'));
  const m = run('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', mnt]);
  if (m.status !== 0) { t.skip(`mount failed: ${m.stderr.trim()}`); rmSync(mnt, { recursive: true }); return null; }
  cleanups.push(() => { run('umount', ['-l', mnt]); rmSync(mnt, { recursive: true, force: true }); });
  return mnt;
}

// diskFull: a new town at db, whose files are on the tmpfs mnt, served;
// then another program takes every free block of mnt (exercise's fault).
async function diskFull(t, db, mnt) {
  const init = runCli(['init', db, '--town', '满盘镇'], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(init.status, 0, init.stderr);
  const { s, admin } = await serve(db);
  const filler = path.join(mnt, 'filler');
  await exercise(t, s, admin, {
    code: 'storage_full',
    inject() {
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(4096, 1);
      try { for (;;) writeSync(fd, chunk); } catch (e) { assert.equal(e.code, 'ENOSPC'); }
      closeSync(fd);
    },
    clear() { unlinkSync(filler); },
  });
}

test('disk full (a full tmpfs) → 503 storage_full, reads go on, writes resume when space is freed',
  { timeout: 60000, skip: !isRoot && 'mounting a tmpfs needs root' }, async (t) => {
    const mnt = smallDisk(t, 'size=6m');
    if (!mnt) return;
    const db = path.join(mnt, 'town.db');
    await diskFull(t, db, mnt);
  });

test('file size limit (prlimit) → 503 storage_full, the server survives SIGXFSZ, writes resume',
  { timeout: 60000, skip: onPg }, async (t) => {
    if (run('prlimit', ['--version']).status !== 0) { t.skip('prlimit is not installed'); return; }
    const { db, cleanup } = makeDb();
    cleanups.push(cleanup);
    const { s, admin } = await serve(db);
    const limit = (v) => {
      const r = run('prlimit', ['--pid', String(s.proc.pid), `--fsize=${v}:`]);
      assert.equal(r.status, 0, r.stderr);
    };
    await exercise(t, s, admin, {
      code: 'storage_full',
      inject() { limit(1); },
      clear() { limit('unlimited'); },
    });
  });

test('read-only files (chattr +i while serving) → 503 storage_read_only, reads go on, writes resume',
  { timeout: 60000, skip: onPg || (!isRoot && 'chattr +i needs root') }, async (t) => {
    const { db, cleanup } = makeDb();
    cleanups.push(cleanup);
    const { s, admin } = await serve(db);
    const files = [db, `${db}-wal`];
    const chattr = (flag) => {
      const r = run('chattr', [flag, ...files]);
      if (r.status !== 0) throw new Error(`chattr ${flag}: ${r.stderr}`);
    };
    if (run('chattr', ['+i', db]).status !== 0) { t.skip('this file system has no immutable flag'); return; }
    run('chattr', ['-i', db]);
    cleanups.push(() => run('chattr', ['-i', ...files]));
    await exercise(t, s, admin, {
      code: 'storage_read_only',
      inject() { chattr('+i'); },
      clear() { chattr('-i'); },
    });
  });

test('a server started on a write-protected database serves reads, refuses writes, heals when writable',
  { timeout: 60000, skip: onPg }, async (t) => {
    const { db, cleanup } = makeDb();
    cleanups.push(cleanup);
    // sign in and set up while writable; the session outlives the restart
    const first = await serve(db);
    assert.equal(await stopServer(first.s.proc), 0);
    const protect = isRoot
      ? (on) => { const r = run('chattr', [on ? '+i' : '-i', db]); if (r.status) throw new Error(r.stderr); }
      : (on) => { chmodSync(db, on ? 0o444 : 0o644); };
    try { protect(true); } catch (e) {
      t.skip(`root needs chattr +i, which this file system lacks (${e.message.trim()})`);
      return;
    }
    cleanups.push(() => { try { protect(false); } catch { /* already */ } });
    const s = await spawnServer(db);
    cleanups.push(() => stopServer(s.proc, 'SIGKILL'));
    const admin = new Client(s.url);
    Object.assign(admin, { cookie: first.admin.cookie, csrf: first.admin.csrf });
    assertStatus(await admin.get('/me'), 200, 'the old session on the read-only server');
    await exercise(t, s, admin, {
      code: 'storage_read_only',
      inject() {},
      clear() { protect(false); },
    });
  });

// ---- PostgreSQL's faults ---------------------------------------------------

const pgOnly = PG ? false : 'a fault of the PostgreSQL server: needs the test cluster (make test-e2e-pg)';
const cluster = (q) => psql(`${PG}/postgres`, q);

// Cut every connection of fangyi's to the database name; then call the
// server until it has connected again (each cut connection fails one
// call with 503 storage_unavailable): reads with GET /me, the writer's
// connection with account writes (not in the snapshot) until one answers
// anything but storage_unavailable.  Returns that answer.
async function reconnect(admin, name, tag) {
  cluster(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = '${name}' AND application_name = 'fangyi'`);
  for (let i = 0; i < 5 && (await admin.get('/me')).status !== 200; i++);
  let r;
  for (let i = 0; i < 5; i++) {
    r = await admin.post('/users', { username: `${tag}${i}`, display_name: tag,
      password: 'user-pass-123', role: 'volunteer', villages: [] });
    if (r.body?.error?.code !== 'storage_unavailable') break;
  }
  return r;
}

test('PostgreSQL read-only (default_transaction_read_only) → 503 storage_read_only, reads go on, writes resume',
  { timeout: 60000, skip: pgOnly }, async (t) => {
    const { db, cleanup } = makeDb();
    cleanups.push(cleanup);
    const { name } = pgTown(db);
    const { s, admin } = await serve(db, ['--threads', '1']);
    const readOnly = (on) => cluster(`ALTER DATABASE "${name}" ${on
      ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only'}`);
    cleanups.push(() => readOnly(false));
    await exercise(t, s, admin, {
      code: 'storage_read_only',
      async inject() {
        readOnly(true);
        const r = await reconnect(admin, name, 'ro');
        assertRefused(r, 'storage_read_only', 'an account write on the read-only database');
      },
      async clear() {
        readOnly(false);
        const r = await reconnect(admin, name, 'rw');
        assertStatus(r, 201, 'an account write once writable');
      },
    });
  });

test('PostgreSQL disk full (its tablespace on a full tmpfs) → 503 storage_full, reads go on, writes resume',
  { timeout: 90000, skip: pgOnly || (!isRoot && 'mounting a tmpfs needs root') }, async (t) => {
    // the server runs as nobody when the tests run as root (scripts/pg-test.sh)
    const owner = run('id', ['-u', 'nobody']).stdout.trim();
    const mnt = smallDisk(t, `size=24m,uid=${owner},mode=0700`);
    if (!mnt) return;
    const ts = `full_${process.pid}`;
    cluster(`CREATE TABLESPACE ${ts} LOCATION '${mnt}'`);
    const db = `${PG}/pgfull_${process.pid}?town=full`;
    const { name } = pgTown(db);
    cluster(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'
      LC_COLLATE 'C' LC_CTYPE 'C' TABLESPACE ${ts}`);
    cleanups.push(() => {
      cluster(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      cluster(`DROP TABLESPACE IF EXISTS ${ts}`);
    });
    await diskFull(t, db, mnt);
  });
