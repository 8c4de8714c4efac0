// postgres.test.mjs — what only the PostgreSQL backend has (docs/cli.md,
// DB): the password comes from PGPASSWORD or a pgpass file and never from
// the URL; init creates the database (UTF-8, byte order) or fills an empty
// one a DBA made, and refuses one that would sort or store text otherwise;
// connections the server loses are opened again.  Runs on the test
// cluster of scripts/pg-test.sh (make test-e2e-pg), skipped elsewhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  runCli, spawnServer, stopServer, PG, ADMIN_PASSWORD, dbUrl, dbExists, dropDb,
  psql, pgTown, makeDb,
} from './harness.mjs';
import { assertOneLine, createPlace, loginAs, listAll, show, sleep } from './lib.mjs';

const skip = PG ? false : 'needs the PostgreSQL test cluster (make test-e2e-pg)';
const PW_ROLE = 'fangyi_pw';
const PW = 'pw-secret-1';   // set by scripts/pg-test.sh
const cleanups = [];
after(async () => { for (const f of cleanups.reverse()) await f(); });

function scratch() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fangyi-pg-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// a database URL of the cluster as the password role (no password in it)
function pwUrl(name) {
  const u = new URL(PG);
  return `postgres://${PW_ROLE}@${u.host}/${name}`;
}

const init = (db, env = {}) => runCli(['init', db, '--town', '镇'],
  { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD, PGPASSWORD: undefined, PGPASSFILE: undefined,
    ...env });

test('a password in the URL, or no database name, is refused and nothing is created', { skip }, () => {
  const name = pgTown(dbUrl(scratch(), 'inurl')).name;
  const u = new URL(PG);
  for (const db of [`postgres://${PW_ROLE}:${PW}@${u.host}/${name}`,
    `postgresql://${PW_ROLE}@${u.host}/${name}?password=${PW}`]) {
    const r = init(db);
    assert.equal(r.status, 1, `init ${db}: ${r.stdout}${r.stderr}`);
    assertOneLine(r.stderr, 'stderr');
    assert.match(r.stderr, /PGPASSWORD/);
    assert.ok(!r.stderr.includes(PW), 'the error repeats the password');
    const s = runCli(['serve', db, '--listen', '127.0.0.1:0']);
    assert.equal(s.status, 1, 'serve with a password in the URL');
    assert.match(s.stderr, /PGPASSWORD/);
  }
  assert.ok(!dbExists(`${PG}/${name}`), 'a database was created');
  // nor do the refusals of migrate-data, or a URL libpq cannot parse
  const src = path.join(scratch(), 'src.db');
  assert.equal(init(src).status, 0);
  for (const db of ['postgres://u:secret@127.0.0.1:1/x',
    'postgres://u:secret@[::1/x', 'postgres://u:sec%zzret@127.0.0.1:1/x',
    'postgres://u@127.0.0.1:1/x?password=secret&bogus=1',
    'postgres://u@127.0.0.1:1/x?town=a?password=secret']) {
    for (const r of [init(db), runCli(['migrate-data', src, db])]) {
      assert.notEqual(r.status, 0, `${db}: ${r.stdout}${r.stderr}`);
      assert.ok(!`${r.stdout}${r.stderr}`.includes('secret'),
        `the password is repeated: ${r.stderr}`);
    }
  }
  // nor does fangyi guess the database's name
  const none = init(`${PG}/`);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /must name the database/);
});

test('PGPASSWORD: init and serve work; without it the connection is refused', { skip }, async () => {
  const db = pwUrl(pgTown(dbUrl(scratch(), 'envpw')).name);
  cleanups.push(() => dropDb(`${PG}/${new URL(db).pathname.slice(1)}`));
  const no = init(db);
  assert.equal(no.status, 1, 'init without a password');
  assertOneLine(no.stderr, 'stderr');
  assert.match(no.stderr, /cannot connect|password/);
  const wrong = init(db, { PGPASSWORD: 'not-it-123' });
  assert.equal(wrong.status, 1, 'init with a wrong password');
  const r = init(db, { PGPASSWORD: PW });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created/);
  // the server's connections (writer and readers) take it from there too
  process.env.PGPASSWORD = PW;
  let server;
  try { server = await spawnServer(db); } finally { delete process.env.PGPASSWORD; }
  cleanups.push(() => stopServer(server.proc));
  const admin = await loginAs(server.url, 'admin', ADMIN_PASSWORD);
  const v = await createPlace(admin, { type: 'village', name: '口令村' });
  assert.ok(v.id > 0);
  assert.equal((await listAll(admin, '/places')).length, 1);
  assert.equal(await stopServer(server.proc), 0);
});

test('a pgpass file gives the password', { skip }, () => {
  const dir = scratch();
  const db = pwUrl(pgTown(dbUrl(dir, 'passfile')).name);
  cleanups.push(() => dropDb(`${PG}/${new URL(db).pathname.slice(1)}`));
  const file = path.join(dir, 'pgpass');
  const u = new URL(PG);
  writeFileSync(file, `${u.hostname}:${u.port}:*:${PW_ROLE}:${PW}\n`);
  chmodSync(file, 0o600);
  const r = init(db, { PGPASSFILE: file });
  assert.equal(r.status, 0, r.stderr);
  const list = runCli(['user', 'list', db], { PGPASSFILE: file, PGPASSWORD: undefined });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /\badmin\b/);
});

test('init fills an empty database a DBA made, once', { skip }, () => {
  const db = dbUrl(scratch(), 'premade');
  const name = new URL(db).pathname.slice(1);
  psql(`${PG}/postgres`, `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`
    + " LC_COLLATE 'C' LC_CTYPE 'C'");
  cleanups.push(() => dropDb(db));
  assert.equal(init(db).status, 0);
  assert.equal(psql(db, 'SELECT name FROM town'), '镇');
  const again = init(db);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists/);
});

test('init refuses a database that is not UTF-8 or does not sort by bytes', { skip }, () => {
  const dir = scratch();
  const ascii = dbUrl(dir, 'ascii');
  psql(`${PG}/postgres`, `CREATE DATABASE "${new URL(ascii).pathname.slice(1)}"`
    + " TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'");
  cleanups.push(() => dropDb(ascii));
  const r = init(ascii);
  assert.equal(r.status, 1, 'init on SQL_ASCII');
  assert.match(r.stderr, /UTF8/);
  assert.equal(psql(ascii, `SELECT count(*) FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`), '0',
    'a refused init left tables behind');
  assert.equal(psql(ascii, "SELECT count(*) FROM pg_namespace WHERE nspname = 't_ascii'"), '0',
    "a refused init left the town's schema behind");
  // an ICU collation sorts Chinese by pinyin, not as SQLite does
  const icu = dbUrl(dir, 'icu');
  try {
    psql(`${PG}/postgres`, `CREATE DATABASE "${new URL(icu).pathname.slice(1)}"`
      + " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'zh'");
  } catch { return; } // a server built without ICU: nothing more to check
  cleanups.push(() => dropDb(icu));
  const i = init(icu);
  assert.equal(i.status, 1, 'init on an ICU database');
  assert.match(i.stderr, /byte order/);
});

test('connections the database drops are opened again; the lost call answers 503', { skip }, async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const server = await spawnServer(db);
  cleanups.push(() => stopServer(server.proc));
  const admin = await loginAs(server.url, 'admin', ADMIN_PASSWORD);
  await createPlace(admin, { type: 'village', name: '断线前村' });
  const name = new URL(db).pathname.slice(1);
  const killed = psql(`${PG}/postgres`, 'SELECT count(pg_terminate_backend(pid))'
    + ` FROM pg_stat_activity WHERE datname = '${name}' AND application_name = 'fangyi'`);
  assert.ok(Number(killed) >= 2, `only ${killed} connections of the server (writer and readers)`);
  await sleep(200);
  // each lost connection fails one call at most, with 503; then all is well
  const seen = [];
  let created = null;
  for (let i = 0; i < 6 && !created; i++) {
    const r = await admin.post('/places', { type: 'village', name: '断线后村' });
    seen.push(r.status);
    if (r.status === 201) created = r.body;
    else assert.equal(r.status, 503, show(r));
  }
  assert.ok(created, `no write went through after the connections were dropped: ${seen}`);
  // a read on a thread whose connection was dropped: 503 once, then 200
  const read = async (p) => {
    for (let i = 0; i < 10; i++) {
      const r = await admin.get(p);
      assert.ok([200, 503].includes(r.status), show(r));
      if (r.status === 200) return r.body;
    }
    throw new Error(`GET ${p} never answered 200`);
  };
  const names = (await read('/places')).items.map((p) => p.name).sort();
  assert.deepEqual(names, ['断线前村', '断线后村'].sort());
  assert.equal((await read('/audit/verify')).ok, true);
  assert.equal(await stopServer(server.proc), 0);
});

test('a worker thread that cannot connect answers 503 and connects on a later request', { skip }, async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const name = new URL(db).pathname.slice(1);
  const allow = (on) => psql(`${PG}/postgres`,
    `ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${on}`);
  // up (the writer connected), but no worker thread has its connection yet
  const server = await spawnServer(db, ['--threads', '2']);
  cleanups.push(() => stopServer(server.proc));
  allow(false);
  try {
    for (let i = 0; i < 4; i++) {   // each thread tries, none gets one
      const r = await fetch(`${server.url}/api/v1/places`,   // reads the session
        { headers: { cookie: 'fangyi_session=x' } });
      const body = await r.json();
      assert.equal(r.status, 503, JSON.stringify(body));
      assert.equal(body.error.code, 'storage_unavailable');
    }
  } finally {
    allow(true);
  }
  assert.equal(server.proc.exitCode, null, 'the server stopped');
  const admin = await loginAs(server.url, 'admin', ADMIN_PASSWORD);
  const r = await admin.get('/places');
  assert.equal(r.status, 200, show(r));
  assert.equal(await stopServer(server.proc), 0);
});
