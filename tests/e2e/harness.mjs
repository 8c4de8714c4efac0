// harness.mjs — starts the real fangyi binary for black-box tests.
//
// Each test file calls startServer(): a fresh temporary database made with
// `fangyi init`, a server on a free loopback port, and a small client that
// logs in and keeps the session cookie and CSRF token.  The binary is
// $FANGYI_BIN (the sanitizer run points it at build/asan/fangyi), else
// ./fangyi at the project's root.
//
// With FANGYI_TEST_PG set (scripts/pg-test.sh starts a throwaway cluster
// and sets it), every database is a fresh PostgreSQL database on that
// cluster instead of a file: `make test-e2e-pg` runs the same tests there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.FANGYI_BIN
  ? path.resolve(root, process.env.FANGYI_BIN)
  : path.join(root, 'fangyi');
export const ADMIN_PASSWORD = 'admin-pass-123';

// runCli runs `fangyi ARGS...` to completion; returns {status, stdout, stderr}.
export function runCli(args, env = {}) {
  const r = spawnSync(BIN, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// PG is the cluster's URL (postgres://fangyi@127.0.0.1:PORT) or ''.
export const PG = process.env.FANGYI_TEST_PG || '';
const PG_BIN = process.env.FANGYI_TEST_PG_BIN || '';
let dbSeq = 0;

// dbUrl names a database not made yet: the file `name` in dir, or on
// PostgreSQL a database of its own (fangyi init and demo create it) with
// the town in a schema of its own, as a county keeps its towns
// (postgres://…/DB?town=t_NAME; src/db/db_pg.c).
export function dbUrl(dir, name = 'test.db') {
  if (!PG) return path.join(dir, name);
  const tag = name.replace(/\.db$/, '').replace(/[^a-z0-9]/gi, '_').toLowerCase();
  return `${PG}/t${process.pid}_${Date.now() % 1e8}_${++dbSeq}_${tag}?town=t_${tag}`;
}

// pgTown splits fangyi's town= out of a PostgreSQL URL: {url (for psql
// and pg_dump), town ('' for the schema public), name (the database)}.
export function pgTown(db) {
  const u = new URL(db);
  const town = u.searchParams.get('town') || '';
  u.searchParams.delete('town');
  return { url: u.href, town, name: u.pathname.slice(1) };
}

// psql runs SQL on a PostgreSQL database (in its town's schema); returns
// stdout trimmed, rows one a line, columns separated by | (as the sqlite3
// shell prints them).  The SQL goes on stdin (a long script fits);
// statements run one by one unless it says BEGIN.
export function psql(db, sql) {
  const { url, town } = pgTown(db);
  const r = spawnSync(path.join(PG_BIN, 'psql'),
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url],
    { input: sql, encoding: 'utf8', maxBuffer: 1 << 28, env: pgEnv(town) });
  if (r.status !== 0) throw new Error(`psql ${sql.slice(0, 2000)}: ${r.stderr}`);
  return r.stdout.trim();
}

// pgEnv: the environment for a PostgreSQL program working in town.
export function pgEnv(town) {
  return town ? { ...process.env, PGOPTIONS: `-c search_path=${town}` } : process.env;
}

// pgDump: the plain SQL dump of a PostgreSQL database (its town's schema
// only), without the random \restrict key newer pg_dump writes (two dumps
// of the same database are the same text).
export function pgDump(db) {
  const { url, town } = pgTown(db);
  const r = spawnSync(path.join(PG_BIN, 'pg_dump'), ['-d', url, ...(town ? ['-n', town] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`pg_dump ${db}: ${r.stderr}`);
  return r.stdout.replace(/^\\(un)?restrict .*$/gm, '');
}

// dbExists: whether the database at db (a file or a URL) has been made.
export function dbExists(db) {
  if (!PG || !db.startsWith('postgres')) return existsSync(db);
  const name = new URL(db).pathname.slice(1);
  return psql(`${PG}/postgres`,
    `SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1';
}

// dropDb removes a PostgreSQL database made from dbUrl (files go with
// their directory).
export function dropDb(db) {
  if (!PG || !db.startsWith('postgres')) return;
  const name = new URL(db).pathname.slice(1);
  psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

// makeDb creates a temporary directory with an initialised database and
// returns {dir, db, cleanup}.  The admin password is ADMIN_PASSWORD.
export function makeDb(town = '测试镇') {
  const dir = mkdtempSync(path.join(tmpdir(), 'fangyi-e2e-'));
  const db = dbUrl(dir);
  const r = runCli(['init', db, '--town', town],
    { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  return {
    dir,
    db,
    cleanup: () => { dropDb(db); rmSync(dir, { recursive: true, force: true }); },
  };
}

// spawnServer starts `fangyi serve DB --listen 127.0.0.1:0 EXTRA...` and
// resolves with {proc, url} once the server prints the address it listens
// on.  extraArgs are further options (e.g. ['--test-clock', FILE]).
export function spawnServer(db, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, ['serve', db, '--listen', '127.0.0.1:0',
      ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start: ${out} ${err}`));
    }, 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (https?:\/\/[0-9.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], stderr: () => err });
      }
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${err}`));
    });
  });
}

// stopServer sends SIGTERM and waits for the exit; resolves with the code.
export function stopServer(proc, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      resolve(proc.exitCode);
      return;
    }
    proc.removeAllListeners('exit');
    proc.on('exit', (code, sig) => resolve(code ?? sig));
    proc.kill(signal);
  });
}

// Client keeps a session cookie and CSRF token, like the web app does.
export class Client {
  constructor(url) {
    this.url = url;
    this.cookie = null;
    this.csrf = null;
    this.bearer = null;
  }

  // request sends one call; opts: {body (object or raw string), headers,
  // csrf (default true), contentType}.  Resolves {status, body, headers}.
  async request(method, p, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && opts.csrf !== false && method !== 'GET')
      headers['x-csrf-token'] = this.csrf;
    let body;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType || 'application/json';
    }
    const res = await fetch(this.url + p, { method, headers, body });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    const setCookie = res.headers.get('set-cookie');
    if (setCookie && setCookie.startsWith('fangyi_session=')) {
      const v = setCookie.split(';')[0];
      this.cookie = v === 'fangyi_session=' ? null : v;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  get(p, o) { return this.request('GET', '/api/v1' + p, o); }
  post(p, body, o = {}) { return this.request('POST', '/api/v1' + p, { ...o, body }); }
  patch(p, body, o = {}) { return this.request('PATCH', '/api/v1' + p, { ...o, body }); }
  del(p, o) { return this.request('DELETE', '/api/v1' + p, o); }

  // login resolves with the response; on success the client keeps the
  // cookie and csrf token.
  async login(username, password) {
    const r = await this.post('/login', { username, password });
    if (r.status === 200) this.csrf = r.body.csrf_token;
    return r;
  }
}

// startServer: database + server + a logged-in admin client.
// Resolves {url, db, dir, proc, admin, stop()}.
export async function startServer() {
  const { dir, db, cleanup } = makeDb();
  const { proc, url, stderr } = await spawnServer(db);
  const admin = new Client(url);
  const r = await admin.login('admin', ADMIN_PASSWORD);
  if (r.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(r.body)}`);
  return {
    url, db, dir, proc, admin, stderr,
    async stop() { await stopServer(proc); cleanup(); },
  };
}

// runCliAsync runs `fangyi ARGS...` without blocking the event loop (so
// clients of a server keep going meanwhile); resolves {status, stdout,
// stderr}.
export function runCliAsync(args, env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, args, { env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60000);
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
