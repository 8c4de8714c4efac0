// lib.mjs — shared assertions and helpers for the end-to-end tests.
//
// Not a test file itself (node --test picks up only *.test.mjs).  Everything
// here talks to the real binary through harness.mjs or plain HTTP.
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, pgDump, pgTown, psql } from './harness.mjs';

// show renders a response for assertion messages.
export function show(r) {
  return `${r.status} ${typeof r.body === 'string' ? r.body.slice(0, 300)
    : JSON.stringify(r.body)?.slice(0, 300)}`;
}

// assertStatus checks the status is `want` (a number or list of numbers).
export function assertStatus(r, want, what = '') {
  const ok = Array.isArray(want) ? want.includes(r.status) : r.status === want;
  assert.ok(ok, `${what} expected status ${JSON.stringify(want)}, got ${show(r)}`);
}

// assertError checks an error answer: status, the documented JSON error
// shape, the code (string or list of allowed strings) and, when given, the
// field to blame.
export function assertError(r, status, code, field, what = '') {
  assertStatus(r, status, what);
  assert.ok(r.body && typeof r.body === 'object' && r.body.error
    && typeof r.body.error === 'object',
  `${what} expected {"error":{...}} shape, got ${show(r)}`);
  const e = r.body.error;
  if (code !== undefined) {
    const codes = Array.isArray(code) ? code : [code];
    assert.ok(codes.includes(e.code),
      `${what} expected error code ${codes.join('|')}, got ${show(r)}`);
  }
  assert.equal(typeof e.message, 'string', `${what} error.message: ${show(r)}`);
  if (field !== undefined)
    assert.equal(e.field, field, `${what} expected field ${field}, got ${show(r)}`);
}

// listAll follows next_cursor and returns every item of a list route.
export async function listAll(client, p) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const sep = p.includes('?') ? '&' : '?';
    const q = `${p}${sep}limit=500${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`;
    const r = await client.get(q);
    assertStatus(r, 200, `GET ${q}`);
    assert.ok(Array.isArray(r.body?.items), `GET ${q}: items: ${show(r)}`);
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (cursor === null || cursor === undefined) return items;
  }
  throw new Error(`GET ${p}: cursor never ended`);
}

// placesSnapshot is a comparable picture of every place (for "nothing
// changed" checks).
export async function placesSnapshot(admin) {
  const items = await listAll(admin, '/places');
  return items.map((p) => ({ id: p.id, type: p.type, name: p.name,
    village_id: p.village_id, active: p.active, venue_kind: p.venue_kind }))
    .sort((a, b) => a.id - b.id);
}

export async function usersSnapshot(admin) {
  const items = await listAll(admin, '/users');
  return items.map((u) => ({ id: u.id, username: u.username, role: u.role,
    villages: u.villages, disabled: u.disabled, display_name: u.display_name }))
    .sort((a, b) => a.id - b.id);
}

// createPlace posts a place and asserts 201; returns the place.
export async function createPlace(client, body) {
  const r = await client.post('/places', body);
  assertStatus(r, 201, `POST /places ${JSON.stringify(body)}`);
  assert.equal(typeof r.body?.id, 'number', `place id: ${show(r)}`);
  return r.body;
}

// newUser creates an account through the API and returns it (with the
// password it was given as .password).
export async function newUser(admin, { username, role, villages = [],
  password = 'user-pass-123', display_name = username }) {
  const r = await admin.post('/users',
    { username, display_name, password, role, villages });
  assertStatus(r, 201, `POST /users ${username}`);
  assert.equal(typeof r.body?.id, 'number', `account id: ${show(r)}`);
  return { ...r.body, password };
}

// loginAs returns a Client logged in as username (asserts 200).
export async function loginAs(url, username, password) {
  const c = new Client(url);
  const r = await c.login(username, password);
  assertStatus(r, 200, `login ${username}`);
  assert.ok(c.cookie, `login ${username}: no session cookie set`);
  return c;
}

// health asserts that the server still answers /health with ok.
export async function assertHealthy(url) {
  const res = await fetch(url + '/api/v1/health');
  assert.equal(res.status, 200, 'GET /health');
  const b = await res.json();
  assert.equal(b.status, 'ok', `health: ${JSON.stringify(b)}`);
  return b;
}

// sessionCookieSet tells whether a response set a non-empty session cookie.
export function sessionCookieSet(r) {
  const sc = r.headers.get('set-cookie') || '';
  return /fangyi_session=[^;\s]/.test(sc);
}

// rawSend sends a request with node:http, writing the body in pieces and
// stopping as soon as the server answers (a server may refuse an oversized
// body without reading it).  opts: {method, path, headers, body (Buffer or
// string), chunked (no Content-Length), localAddress (the client's own
// address, e.g. 127.0.0.7: another phone for per-address limits)}.
// Resolves {status, headers, body}.
export function rawSend(url, { method = 'POST', path: p, headers = {},
  body = null, chunked = false, piece = 65536, localAddress }) {
  const u = new URL(url);
  const buf = body === null ? null : Buffer.from(body);
  const h = { ...headers };
  if (buf && !chunked) h['content-length'] = String(buf.length);
  if (buf && chunked) h['transfer-encoding'] = 'chunked';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: p,
      headers: h, agent: false, localAddress });
    let answered = false;
    let failed = null;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${p}: no answer in 20 s`));
    }, 20000);
    req.on('response', (res) => {
      answered = true;
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        clearTimeout(timer);
        let json;
        try { json = data ? JSON.parse(data) : null; } catch { json = data; }
        resolve({ status: res.statusCode, headers: { get: (k) => res.headers[k.toLowerCase()] ?? null }, body: json });
      });
      res.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    req.on('error', (e) => {
      failed = e;
      // A reset can race with the answer; give the answer a moment.
      setTimeout(() => {
        if (!answered) {
          clearTimeout(timer);
          reject(new Error(`${method} ${p}: connection failed before any answer: ${e.code || e.message}`));
        }
      }, 1000);
    });
    (async () => {
      if (buf) {
        req.flushHeaders();
        for (let off = 0; off < buf.length && !answered && !failed; off += piece) {
          await new Promise((r) => {
            const t = setTimeout(r, 2000);
            req.write(buf.subarray(off, off + piece), () => { clearTimeout(t); r(); });
          });
          // Let an early answer arrive before we push more.
          await new Promise((r) => setTimeout(r, 2));
        }
      }
      if (!answered && !failed) req.end();
    })();
  });
}

// sql runs SQL on the test database db, whichever the backend (the
// sqlite3 shell on a file, psql on a postgres:// URL); returns trimmed
// stdout, rows one a line, columns separated by |.  The SQL goes on
// stdin, so a long script fits; the first failing statement stops it.
export function sql(db, query) {
  if (db.startsWith('postgres')) return psql(db, query);
  const r = spawnSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', db],
    { input: query, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`sqlite3 ${query.slice(0, 2000)}: ${r.stderr}`);
  return r.stdout.trim();
}
// sqlite: the older name of sql.
export const sqlite = sql;

// rows runs a SELECT on db and answers its rows as objects (NULL as null,
// numbers as numbers), whichever the backend.
export function rows(db, query) {
  if (db.startsWith('postgres')) {
    const out = psql(db, `SELECT coalesce(json_agg(q), '[]') FROM (${query}) q`);
    return JSON.parse(out);
  }
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', '-json', db, query],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`sqlite3 ${query}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// dump: the whole database as SQL text (sqlite3 .dump, or pg_dump), to
// compare before and after or to search for what must be gone.
export function dump(db) {
  if (db.startsWith('postgres')) return pgDump(db);
  return spawnSync('sqlite3', [db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
}

// copyDb makes a consistent copy of db, which a server may have open,
// and answers where it is: a file beside it, or a database of the same
// PostgreSQL cluster (made as fangyi makes one, filled from pg_dump).
let copies = 0;
export function copyDb(db) {
  if (db.startsWith('postgres')) {
    const u = new URL(db);
    const name = `${u.pathname.slice(1, 41)}_c${process.pid}_${++copies}`;
    // the copy keeps the town (pg_dump -n writes its CREATE SCHEMA)
    u.pathname = '/postgres';
    psql(u.href, `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`
      + " LC_COLLATE 'C' LC_CTYPE 'C'");
    u.pathname = `/${name}`;
    psql(u.href, pgDump(db));
    return u.href;
  }
  const to = `${db}.copy${++copies}`;
  sql(db, `VACUUM INTO '${to}'`);
  return to;
}

// hasColumn: whether table of db has column.
export function hasColumn(db, table, column) {
  return sql(db, db.startsWith('postgres')
    ? `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()
       AND table_name = '${table}' AND column_name = '${column}'`
    : `SELECT count(*) FROM pragma_table_info('${table}') WHERE name = '${column}'`) === '1';
}

// holdWriteLock: another process takes the database's write lock and
// keeps it (as a stuck backup tool would) until release().  On SQLite an
// exclusive transaction; on PostgreSQL the advisory lock every write
// transaction of fangyi takes (src/db/db_pg.c).
export async function holdWriteLock(db) {
  const pg = db.startsWith('postgres');
  const { town, url } = pg ? pgTown(db) : { town: '', url: db };
  const proc = pg
    ? spawn(path.join(process.env.FANGYI_TEST_PG_BIN || '', 'psql'), ['-X', '-q', '-d', url],
      { stdio: ['pipe', 'ignore', 'inherit'] })
    : spawn('sqlite3', [db], { stdio: ['pipe', 'ignore', 'inherit'] });
  // a town's lock: (1718187881, hashtext(its schema)); public's: one key
  const lock = town ? `1718187881, hashtext('${town}')` : '112697678018921';
  proc.stdin.write(pg ? `BEGIN; SELECT pg_advisory_xact_lock(${lock});\n`
    : 'BEGIN EXCLUSIVE;\n');
  await sleep(300);
  const exited = new Promise((res) => (proc.exitCode !== null ? res() : proc.once('exit', res)));
  return {
    proc,
    async release() {
      proc.stdin.write(pg ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
      await exited;
    },
  };
}

// oneLine asserts that s is exactly one non-empty line (a trailing newline
// allowed).
export function assertOneLine(s, what) {
  const t = (s || '').replace(/\n$/, '');
  assert.ok(t.length > 0, `${what}: expected one line, got nothing`);
  assert.ok(!t.includes('\n'), `${what}: expected one line, got:\n${s}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// finish stops a server from harness.startServer with SIGTERM, removes its
// directory, and asserts a clean exit (0) with no sanitizer report on
// stderr — so a leak or memory error anywhere in the file's requests fails
// the file under the ASan build.
export async function finish(s) {
  if (!s) return;
  const { stopServer, dropDb } = await import('./harness.mjs');
  const { rmSync } = await import('node:fs');
  const code = await stopServer(s.proc);
  const err = s.stderr ? s.stderr() : '';
  dropDb(s.db);
  rmSync(s.dir, { recursive: true, force: true });
  assert.ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(err),
    `sanitizer report from the server:\n${err.slice(-4000)}`);
  assert.equal(code, 0, `server exit after SIGTERM: ${code}\n${err.slice(-2000)}`);
}

// ---- the people register (people*.test.mjs) ------------------------------

// idNumber builds a valid 18-character resident ID number (GB 11643-1999)
// from a 6-digit region, a YYYYMMDD birth date and a 3-digit sequence
// (odd: male, even: female) by appending the right check character.
export function idNumber(region, ymd, seq) {
  const d = `${region}${ymd}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(d[i]) * w[i];
  return d + '10X98765432'[sum % 11];
}

// maskId / maskPhone: the masked forms of docs/api.md (first 6 and last 4
// characters of an ID number, first 3 and last 4 digits of a phone).
export const maskId = (id) => id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
export const maskPhone = (p) => p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4);

// peopleSnapshot is a comparable picture of the default people list (for
// "nothing was written" checks).
export async function peopleSnapshot(client, query = '') {
  const items = await listAll(client, '/people' + query);
  return items.slice().sort((a, b) => a.id - b.id);
}

// auditWrites lists the audit entries of an entity that record a change
// (reads of full values, if audited, are left out).
export async function auditWrites(admin, entity = 'person') {
  const items = await listAll(admin, `/audit?entity=${entity}`);
  return items.filter((e) => !/view|read|full|reveal|unmask|export|show/i.test(e.action));
}

// ---- home observation (observation*.test.mjs) -----------------------------
// Import declarations are hoisted; these sit here so the exports above stay
// as they were.
import { writeFileSync as obsWriteFile, renameSync as obsRename, utimesSync as obsUtimes }
  from 'node:fs';
import obsPath from 'node:path';
import * as obsHarness from './harness.mjs';

// shanghai turns a wall-clock time of the town (Asia/Shanghai, UTC+8, no
// DST) 'YYYY-MM-DD HH:MM[:SS]' into the test clock's 'YYYY-MM-DDTHH:MM:SSZ'.
export function shanghai(local) {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/.exec(local);
  if (!m) throw new Error(`shanghai: bad local time ${local}`);
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0))
    - 8 * 3600 * 1000;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// writeClock replaces the test-clock file in one step (write, then rename).
// The server notices a new value by the file's mtime, and two writes a few
// milliseconds apart can get the same (coarse) kernel timestamp; so each
// write stamps a strictly later mtime itself.
let obsLastMtime = 0;
export function writeClock(file, iso) {
  assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `clock value ${iso}`);
  obsWriteFile(file + '.tmp', iso + '\n');
  obsLastMtime = Math.max(Date.now() / 1000, obsLastMtime + 0.05);
  obsUtimes(file + '.tmp', obsLastMtime, obsLastMtime);
  obsRename(file + '.tmp', file);
}

// startObservationServer: like harness.startServer, with the server's clock
// read from a file (`--test-clock`) and the missed-check sweep every
// sweepSeconds.  The answer also has clockFile, setClock(iso) and clock (the
// value last set).  It refuses to go on when the server does not follow the
// clock file (GET /round answers the town's day of the clock).
export async function startObservationServer({ clock, sweepSeconds = 1 }) {
  const { dir, db, cleanup } = obsHarness.makeDb();
  const clockFile = obsPath.join(dir, 'clock');
  writeClock(clockFile, clock);
  let started;
  try {
    started = await obsHarness.spawnServer(db,
      ['--test-clock', clockFile, '--sweep-seconds', String(sweepSeconds)]);
  } catch (e) { cleanup(); throw e; }
  const { proc, url, stderr } = started;
  const admin = new Client(url);
  const r = await admin.login('admin', obsHarness.ADMIN_PASSWORD);
  if (r.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(r.body)}`);
  const s = {
    url, db, dir, proc, admin, stderr, clockFile, clock,
    setClock(iso) { writeClock(clockFile, iso); s.clock = iso; },
    async stop() { await obsHarness.stopServer(proc); cleanup(); },
  };
  const day = shanghaiDay(clock);
  const rr = await admin.get('/round');
  if (rr.status !== 200 || rr.body?.date !== day) {
    await s.stop();
    throw new Error(`the server does not follow --test-clock (clock ${clock}, `
      + `town day ${day}; GET /round: ${show(rr)}) — does harness.spawnServer `
      + 'pass extraArgs?');
  }
  // let the first sweep (it looks 3 days back) pass before any measure exists
  await sleep(Math.min(1500, sweepSeconds * 1000 + 300));
  return s;
}

// shanghaiDay: the town's calendar day of a UTC 'YYYY-MM-DDTHH:MM:SSZ'.
export function shanghaiDay(iso) {
  return new Date(Date.parse(iso) + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// alertsSnapshot lists every alert the client sees (id order).
export async function alertsSnapshot(client, query = '') {
  const items = await listAll(client, '/alerts' + query);
  return items.slice().sort((a, b) => a.id - b.id);
}

// settleAlerts waits until the missed-check sweep has nothing more to add
// (two snapshots 1.3 s apart agree; the tests run the sweep every second)
// and returns that snapshot.
export async function settleAlerts(client, query = '') {
  let a = await alertsSnapshot(client, query);
  for (let i = 0; i < 10; i++) {
    await sleep(1300);
    const b = await alertsSnapshot(client, query);
    if (JSON.stringify(a) === JSON.stringify(b)) return b;
    a = b;
  }
  throw new Error('alerts never settled');
}

// measureSnapshot: GET /measures/{id} (with its events and checks), 200.
export async function measureSnapshot(client, id) {
  const r = await client.get(`/measures/${id}`);
  assertStatus(r, 200, `GET /measures/${id}`);
  return r.body;
}

// waitFor polls fn (async, returns a truthy value when done) every 200 ms
// until it answers or ms pass; returns {value, ms} (value null on timeout).
export async function waitFor(fn, ms) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return { value: v, ms: Date.now() - t0 };
    if (Date.now() - t0 > ms) return { value: null, ms: Date.now() - t0 };
    await sleep(200);
  }
}

// ---- reading a spreadsheet back (no package: a zip reader and a regex
// pass over the sheets' XML, enough for the files fangyi writes) ---------
import { inflateRawSync as xlsxInflate } from 'node:zlib';

// unzip: the members of a zip archive (a Buffer) as a Map name → Buffer.
export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip: no end of central directory');
  const files = new Map();
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = buf.readUInt16LE(eocd + 10); i > 0; i--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 0 ? data : xlsxInflate(data));
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return files;
}

const xmlText = (s) => s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g,
  (m, e, d, h) => (d ? String.fromCodePoint(+d) : h ? String.fromCodePoint(parseInt(h, 16))
    : { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[e]));
const xmlAttr = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? xmlText(m[1]) : undefined;
};
const tText = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)]
  .map((m) => xmlText(m[1])).join('');

// readXlsx: the sheets of a workbook in order, [{name, rows}], each row an
// array of cells (numbers as numbers, text as strings, empty cells '').
export function readXlsx(buf) {
  const files = unzip(buf);
  const get = (name) => {
    const f = files.get(name);
    assert.ok(f, `the workbook has no ${name}`);
    return f.toString('utf8');
  };
  const shared = files.has('xl/sharedStrings.xml')
    ? [...get('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => tText(m[1]))
    : [];
  const rels = new Map([...get('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\s[^>]*>/g)]
    .map((m) => [xmlAttr(m[0], 'Id'), xmlAttr(m[0], 'Target')]));
  return [...get('xl/workbook.xml').matchAll(/<sheet\s[^>]*>/g)].map((m) => {
    const target = rels.get(xmlAttr(m[0], 'r:id'));
    const xml = get(`xl/${target.replace(/^\/?xl\//, '')}`);
    const rows = [];
    for (const rm of xml.matchAll(/<row\s([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const row = [];
      for (const cm of (rm[2] || '').matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const ref = xmlAttr(` ${cm[1]}`, 'r');
        const col = [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        const type = xmlAttr(` ${cm[1]}`, 't');
        const v = /<v>([^<]*)<\/v>/.exec(cm[2] || '');
        let value = '';
        if (type === 's') value = shared[+v[1]];
        else if (type === 'inlineStr') value = tText(cm[2]);
        else if (type === 'str') value = v ? xmlText(v[1]) : '';
        else if (v) value = Number(v[1]);
        while (row.length < col) row.push('');
        row[col] = value;
      }
      rows[+xmlAttr(` ${rm[1]}`, 'r') - 1] = row;
    }
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    return { name: xmlAttr(m[0], 'name'), rows };
  });
}
