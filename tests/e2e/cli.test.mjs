// cli.test.mjs — the command line contract (docs/cli.md): exit codes,
// init, user management, imports and the audit chain check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import {
  runCli, makeDb, spawnServer, stopServer, Client, ADMIN_PASSWORD,
  dbUrl, dbExists, dropDb,
} from './harness.mjs';
import {
  assertError, assertStatus, show, loginAs, listAll, placesSnapshot,
  sqlite, assertOneLine, createPlace,
} from './lib.mjs';

const cleanups = [];
after(async () => { for (const f of cleanups.reverse()) await f(); });

// scratch returns a fresh temporary directory removed at the end.
function scratch() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fangyi-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// serverOn starts a server on db and a logged-in admin client.
async function serverOn(db, password = ADMIN_PASSWORD) {
  const { proc, url, stderr } = await spawnServer(db);
  cleanups.push(async () => {
    const code = await stopServer(proc);
    assert.ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(stderr()),
      `sanitizer report from the server:\n${stderr().slice(-4000)}`);
    assert.equal(code, 0, `server exit after SIGTERM: ${code}`);
  });
  const admin = await loginAs(url, 'admin', password);
  return { proc, url, admin };
}

// imp is the database (with a running server) the import and account
// tests share.
let imp;   // {db, url, admin, dir}

before(async () => {
  const { dir, db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const s = await serverOn(db);
  imp = { dir, db, ...s };
});

function assertExit(r, code, what) {
  assert.equal(r.status, code,
    `${what}: expected exit ${code}, got ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

// usageError asserts exit 2 with one line on stderr.
function assertUsage(args, what = args.join(' ')) {
  const r = runCli(args);
  assertExit(r, 2, what);
  assertOneLine(r.stderr, `${what} stderr`);
  return r;
}

// failure asserts exit 1 with one line on stderr.
function assertFails(args, env = {}, what = args.join(' ')) {
  const r = runCli(args, env);
  assertExit(r, 1, what);
  assertOneLine(r.stderr, `${what} stderr`);
  return r;
}

test('unknown command → exit 2 and one line on stderr', () => {
  const r = assertUsage(['frobnicate']);
  assert.match(r.stderr, /frobnicate/, 'names the unknown command');
});

test('unknown flag → exit 2, nothing created', () => {
  const dir = scratch();
  const db = dbUrl(dir, 'x.db');
  assertUsage(['init', db, '--town', '镇', '--bogus']);
  assert.ok(!dbExists(db), 'init with an unknown flag created the database');
  const { db: good, cleanup } = makeDb();
  cleanups.push(cleanup);
  assertUsage(['serve', good, '--nope']);
  assertUsage(['user', 'list', good, '--wat']);
  assertUsage(['audit', 'verify', good, '--frob']);
  assertUsage(['import', good, 'places', path.join(dir, 'none.csv'), '--dry']);
});

test('missing arguments → exit 2', () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  assertUsage(['init']);
  assertUsage(['import', db, 'places']);
  assertUsage(['user', 'add', db]);
  assertUsage(['user', 'add', db, 'norole']);
  assertUsage(['user', 'role', db, 'admin']);
  assertUsage(['audit', 'verify']);
  assert.ok(!runCli(['user', 'list', db]).stdout.includes('norole'), 'account created anyway');
});

test('help and version', () => {
  const r = runCli(['help']);
  assertExit(r, 0, 'help');
  for (const c of ['init', 'serve', 'import', 'user', 'audit', 'version'])
    assert.match(r.stdout, new RegExp(`\\b${c}\\b`), `help lacks ${c}`);
  const h = runCli(['help', 'init']);
  assertExit(h, 0, 'help init');
  assert.match(h.stdout, /init/);
  assert.match(h.stdout, /--town/);
  const bad = runCli(['help', 'nosuchcommand']);
  assert.notEqual(bad.status, 0, 'help of an unknown command succeeds');
  assertOneLine(bad.stderr, 'help nosuchcommand stderr');
  const v = runCli(['version']);
  assertExit(v, 0, 'version');
  assertOneLine(v.stdout, 'version stdout');
  assert.match(v.stdout, /\d+\.\d+/);
});

test('version matches /health', async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const { admin } = await serverOn(db);
  const h = await admin.get('/health');
  assert.ok(runCli(['version']).stdout.includes(h.body.version),
    `version ${runCli(['version']).stdout} vs health ${h.body.version}`);
});

test('init refuses an existing database and leaves it alone', () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  // the file's bytes; on PostgreSQL what init writes
  const snap = () => (db.startsWith('postgres')
    ? sqlite(db, 'SELECT t.name, t.tz, t.created_at, (SELECT string_agg('
      + 'username || password_hash, \',\' ORDER BY id) FROM accounts),'
      + ' (SELECT count(*) FROM audit_log) FROM town t')
    : readFileSync(db).toString('base64'));
  const before = snap();
  assertFails(['init', db, '--town', '别的镇'], { FANGYI_ADMIN_PASSWORD: 'other-pass-999' });
  assert.equal(snap(), before, 'init changed an existing database');
  const dir = scratch();
  const junk = path.join(dir, 'notes.txt');
  writeFileSync(junk, 'my notes\n');
  assertFails(['init', junk, '--town', '镇'], { FANGYI_ADMIN_PASSWORD: 'other-pass-999' });
  assert.equal(readFileSync(junk, 'utf8'), 'my notes\n', 'init overwrote a file');
});

test('init without FANGYI_ADMIN_PASSWORD prints a generated password that works', async () => {
  const dir = scratch();
  const db = dbUrl(dir, 'gen.db');
  cleanups.push(() => dropDb(db));
  const r = runCli(['init', db, '--town', '山旺镇', '--tz', 'Asia/Urumqi'],
    { FANGYI_ADMIN_PASSWORD: undefined });
  assertExit(r, 0, 'init');
  const m = r.stdout.match(/admin password: (\S+)/);
  assert.ok(m, `no "admin password: …" in stdout: ${r.stdout}`);
  assert.ok(m[1].length >= 8, 'generated password too short');
  const { admin, url } = await serverOn(db, m[1]);
  const t = await admin.get('/town');
  assert.equal(t.body.name, '山旺镇');
  assert.equal(t.body.tz, 'Asia/Urumqi');
  const c = new Client(url);
  assertError(await c.post('/login', { username: 'admin', password: ADMIN_PASSWORD }), 401, 'bad_credentials');
  // A second init does not print (or change) the password again.
  const again = runCli(['init', db, '--town', '山旺镇'], { FANGYI_ADMIN_PASSWORD: undefined });
  assertExit(again, 1, 'second init');
  assert.ok(!/admin password/.test(again.stdout));
  await loginAs(url, 'admin', m[1]);
});

test('commands on a database that does not exist fail and create nothing', () => {
  const dir = scratch();
  const db = dbUrl(dir, 'typo.db');
  assertFails(['user', 'list', db]);
  assertFails(['audit', 'verify', db]);
  assertFails(['user', 'add', db, 'x', '--role', 'viewer'], { FANGYI_PASSWORD: 'xxxx-xxxx-1' });
  const r = runCli(['serve', db, '--listen', '127.0.0.1:0']);
  assertExit(r, 1, 'serve missing db');
  assert.ok(!dbExists(db), 'a command created a database by accident');
});

test('serve on a port already in use → exit 1 with one line', async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const port = blocker.address().port;
  try {
    assertFails(['serve', db, '--listen', `127.0.0.1:${port}`]);
  } finally {
    blocker.close();
  }
});

// --- imports ---------------------------------------------------------------

const zhCsv = '\uFEFF类型,名称,所属村\r\n'
  + '村,东村,\r\n'
  + '村,西村,\r\n'
  + '网格,东村一组,东村\r\n'
  + '网格,"东村二组,北片",东村\r\n'
  + '防控点,东村卡口,东村\r\n'
  + '场所,西村超市,西村\r\n';

const enCsv = 'type,name,village\n'
  + 'village,North,\n'
  + 'grid,North G1,North\n'
  + 'point,North Gate,North\n'
  + 'venue,North Mill,North\n'
  + 'grid,东村三组,东村\n';


function csvFile(name, text) {
  const f = path.join(imp.dir, name);
  writeFileSync(f, text);
  return f;
}

test('import places with Chinese headers (Excel: BOM, CRLF, quoted comma)', async () => {
  const r = runCli(['import', imp.db, 'places', csvFile('zh.csv', zhCsv)]);
  assertExit(r, 0, 'import zh.csv');
  const all = await listAll(imp.admin, '/places');
  const by = Object.fromEntries(all.map((p) => [p.name, p]));
  assert.deepEqual(Object.keys(by).sort(),
    ['东村', '东村一组', '东村二组,北片', '东村卡口', '西村', '西村超市'].sort(), JSON.stringify(Object.keys(by)));
  assert.equal(by['东村'].type, 'village');
  assert.equal(by['西村'].type, 'village');
  assert.equal(by['东村一组'].type, 'grid');
  assert.equal(by['东村一组'].village_id, by['东村'].id);
  assert.equal(by['东村二组,北片'].village_id, by['东村'].id);
  assert.equal(by['东村卡口'].type, 'point');
  assert.equal(by['东村卡口'].village_id, by['东村'].id);
  assert.equal(by['西村超市'].type, 'venue');
  assert.equal(by['西村超市'].village_id, by['西村'].id);
});

test('re-importing the same file creates nothing new', async () => {
  const before = await placesSnapshot(imp.admin);
  const r = runCli(['import', imp.db, 'places', csvFile('zh.csv', zhCsv)]);
  assertExit(r, 0, 're-import');
  assert.deepEqual(await placesSnapshot(imp.admin), before);
});

test('import places with English headers, referring to existing villages too', async () => {
  const before = await placesSnapshot(imp.admin);
  const r = runCli(['import', imp.db, 'places', csvFile('en.csv', enCsv)]);
  assertExit(r, 0, 'import en.csv');
  const all = await listAll(imp.admin, '/places');
  const by = Object.fromEntries(all.map((p) => [p.name, p]));
  assert.equal(all.length, before.length + 5);
  assert.equal(by.North.type, 'village');
  assert.equal(by['North G1'].type, 'grid');
  assert.equal(by['North G1'].village_id, by.North.id);
  assert.equal(by['North Gate'].type, 'point');
  assert.equal(by['North Mill'].type, 'venue');
  assert.equal(by['东村三组'].village_id, by['东村'].id);
  const again = await placesSnapshot(imp.admin);
  assertExit(runCli(['import', imp.db, 'places', csvFile('en.csv', enCsv)]), 0, 're-import en');
  assert.deepEqual(await placesSnapshot(imp.admin), again);
});

test('a file with a bad row: reports the row, exits 1, imports nothing', async () => {
  const before = await placesSnapshot(imp.admin);
  const bad = '类型,名称,所属村\n'
    + '村,南村,\n'
    + '网格,南村一组,南村\n'
    + '城堡,南村城堡,南村\n'       // data row 3, line 4
    + '防控点,南村卡口,南村\n';
  const r = assertFails(['import', imp.db, 'places', csvFile('bad.csv', bad)]);
  assert.match(r.stderr, /(^|\D)(3|4)(\D|$)/, `row number not reported: ${r.stderr}`);
  assert.deepEqual(await placesSnapshot(imp.admin), before, 'a failed import wrote something');

  const orphan = 'type,name,village\nvillage,Hill,\ngrid,Lost G1,Nowhere\n';
  const r2 = assertFails(['import', imp.db, 'places', csvFile('orphan.csv', orphan)]);
  assert.match(r2.stderr, /(^|\D)(2|3)(\D|$)/, `row number not reported: ${r2.stderr}`);
  const noname = 'type,name,village\nvillage,Valley,\ngrid,,Valley\n';
  assertFails(['import', imp.db, 'places', csvFile('noname.csv', noname)]);
  const noheader = 'colour,size\nred,big\n';
  assertFails(['import', imp.db, 'places', csvFile('noheader.csv', noheader)]);
  assertFails(['import', imp.db, 'places', path.join(imp.dir, 'missing.csv')]);
  assert.deepEqual(await placesSnapshot(imp.admin), before, 'a failed import wrote something');
});

// --- accounts --------------------------------------------------------------

test('user add with a password from $FANGYI_PASSWORD, scoped by village name', async () => {
  const r = runCli(['user', 'add', imp.db, 'dong', '--role', 'village_cadre', '--villages', '东村', '--name', '张三'],
    { FANGYI_PASSWORD: 'dong-pass-1' });
  assertExit(r, 0, 'user add');
  const c = await loginAs(imp.url, 'dong', 'dong-pass-1');
  const me = (await c.get('/me')).body;
  const east = (await listAll(imp.admin, '/places?type=village')).find((p) => p.name === '东村');
  assert.equal(me.user.role, 'village_cadre');
  assert.equal(me.user.display_name, '张三');
  assert.deepEqual(me.user.villages, [east.id]);
  assert.equal(me.user.scope_all, false);
});

test('user add without $FANGYI_PASSWORD prints a generated password that works', async () => {
  const r = runCli(['user', 'add', imp.db, 'gen', '--role', 'viewer'], { FANGYI_PASSWORD: undefined });
  assertExit(r, 0, 'user add gen');
  const m = r.stdout.match(/password[^:：]*[:：]\s*(\S+)/i);
  assert.ok(m, `no password printed: ${r.stdout}`);
  const c = await loginAs(imp.url, 'gen', m[1]);
  assert.equal((await c.get('/me')).body.user.scope_all, true);
});

test('user add refuses duplicates, bad roles and unknown villages, creating nothing', () => {
  const before = runCli(['user', 'list', imp.db]).stdout;
  assertFails(['user', 'add', imp.db, 'dong', '--role', 'viewer'], { FANGYI_PASSWORD: 'other-pass-1' });
  const bad = runCli(['user', 'add', imp.db, 'emp', '--role', 'emperor'], { FANGYI_PASSWORD: 'emp-pass-11' });
  assert.ok(bad.status === 1 || bad.status === 2, `bad role exit ${bad.status}`);
  assertOneLine(bad.stderr, 'bad role stderr');
  assertFails(['user', 'add', imp.db, 'lost', '--role', 'village_cadre', '--villages', '不存在村'],
    { FANGYI_PASSWORD: 'lost-pass-11' });
  assert.equal(runCli(['user', 'list', imp.db]).stdout, before, 'user list changed');
});

test('user list: one line per account with role', () => {
  const r = runCli(['user', 'list', imp.db]);
  assertExit(r, 0, 'user list');
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  for (const [name, role] of [['admin', 'admin'], ['dong', 'village_cadre'], ['gen', 'viewer']]) {
    const mine = lines.filter((l) => new RegExp(`(^|\\s)${name}(\\s|$)`).test(l));
    assert.equal(mine.length, 1, `${name}: ${r.stdout}`);
    assert.match(mine[0], new RegExp(role), `${name} line lacks role ${role}`);
  }
  assert.ok(lines.length <= 4, `more than one line per account (plus a header): ${r.stdout}`);
});

test('user passwd: new password works, old does not, sessions end', async () => {
  const c = await loginAs(imp.url, 'dong', 'dong-pass-1');
  assertExit(runCli(['user', 'passwd', imp.db, 'dong'], { FANGYI_PASSWORD: 'dong-pass-2' }), 0, 'user passwd');
  assertError(await c.get('/me'), 401, 'unauthenticated', undefined, 'session after user passwd');
  const x = new Client(imp.url);
  assertError(await x.post('/login', { username: 'dong', password: 'dong-pass-1' }), 401, 'bad_credentials');
  await loginAs(imp.url, 'dong', 'dong-pass-2');
  const g = runCli(['user', 'passwd', imp.db, 'gen'], { FANGYI_PASSWORD: undefined });
  assertExit(g, 0, 'user passwd generated');
  const m = g.stdout.match(/password[^:：]*[:：]\s*(\S+)/i);
  assert.ok(m, `no password printed: ${g.stdout}`);
  await loginAs(imp.url, 'gen', m[1]);
  assertFails(['user', 'passwd', imp.db, 'nobody'], { FANGYI_PASSWORD: 'nobody-pass-1' });
});

test('user disable / enable', async () => {
  const c = await loginAs(imp.url, 'dong', 'dong-pass-2');
  assertExit(runCli(['user', 'disable', imp.db, 'dong']), 0, 'user disable');
  const x = new Client(imp.url);
  const r = await x.post('/login', { username: 'dong', password: 'dong-pass-2' });
  assertError(r, [401, 403], undefined, undefined, 'login while disabled');
  assertError(await c.get('/me'), 401, 'unauthenticated', undefined, 'session of a disabled account');
  assert.match(runCli(['user', 'list', imp.db]).stdout.split('\n').find((l) => /(^|\s)dong(\s|$)/.test(l)),
    /disabled|停用|禁用/i);
  assertExit(runCli(['user', 'enable', imp.db, 'dong']), 0, 'user enable');
  await loginAs(imp.url, 'dong', 'dong-pass-2');
  assertFails(['user', 'disable', imp.db, 'nobody']);
});

test('user role changes role and scope', async () => {
  assertExit(runCli(['user', 'role', imp.db, 'dong', 'village_leader', '--villages', '西村,North']), 0, 'user role');
  const c = await loginAs(imp.url, 'dong', 'dong-pass-2');
  const me = (await c.get('/me')).body;
  const vs = await listAll(imp.admin, '/places?type=village');
  const id = (n) => vs.find((p) => p.name === n).id;
  assert.equal(me.user.role, 'village_leader');
  assert.deepEqual([...me.user.villages].sort((a, b) => a - b), [id('西村'), id('North')].sort((a, b) => a - b));
  const seen = (await listAll(c, '/places')).map((p) => p.name);
  assert.ok(!seen.includes('东村'), 'sees a village outside its new scope');
  const bad = runCli(['user', 'role', imp.db, 'dong', 'emperor']);
  assert.ok(bad.status === 1 || bad.status === 2, `bad role exit ${bad.status}`);
  assertFails(['user', 'role', imp.db, 'nobody', 'viewer']);
  assert.equal((await c.get('/me')).body.user.role, 'village_leader');
  // Without --villages only the role changes; the scope is kept (never
  // silently widened to the whole town).
  assertExit(runCli(['user', 'role', imp.db, 'dong', 'viewer']), 0, 'user role without --villages');
  const me2 = (await (await loginAs(imp.url, 'dong', 'dong-pass-2')).get('/me')).body;
  assert.equal(me2.user.role, 'viewer');
  assert.equal(me2.user.scope_all, false);
  assert.deepEqual([...me2.user.villages].sort((a, b) => a - b), [id('西村'), id('North')].sort((a, b) => a - b));
});

// --- audit -----------------------------------------------------------------

test('audit verify: ok, then a tampered row is reported with its id and exit 1', async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const { proc, admin } = await serverOn(db);
  const v = await createPlace(admin, { type: 'village', name: '链村' });
  await createPlace(admin, { type: 'grid', name: '链村一组', village_id: v.id });
  assertStatus(await admin.patch(`/places/${v.id}`, { name: '链庄' }), 200);
  await stopServer(proc);
  const n = Number(sqlite(db, 'SELECT count(*) FROM audit_log'));
  assert.ok(n >= 3, `only ${n} audit entries after three writes`);
  const ok = runCli(['audit', 'verify', db]);
  assertExit(ok, 0, 'audit verify');
  assert.match(ok.stdout, new RegExp(`audit chain ok: ${n} entries`), ok.stdout);
  const list = runCli(['audit', 'list', db, '--limit', '2']);
  assertExit(list, 0, 'audit list');
  assert.ok(list.stdout.trim().length > 0, 'audit list printed nothing');
  assert.ok(list.stdout.includes('链庄') || list.stdout.includes('update') || list.stdout.includes('place'),
    `newest entry not shown: ${list.stdout}`);

  const target = Number(sqlite(db, 'SELECT min(id)+1 FROM audit_log'));
  sqlite(db, "UPDATE audit_log SET summary='x' WHERE id=(SELECT min(id)+1 FROM audit_log)");
  const bad = runCli(['audit', 'verify', db]);
  assertExit(bad, 1, 'audit verify after tampering');
  const out = bad.stdout + bad.stderr;
  const m = out.match(/audit chain broken at entry (\d+)/);
  assert.ok(m, `no "audit chain broken at entry ID": ${out}`);
  assert.equal(Number(m[1]), target);
});

test('audit verify detects a deleted entry in the middle of the chain', async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const { proc, admin } = await serverOn(db);
  for (const n of ['删一村', '删二村', '删三村', '删四村']) await createPlace(admin, { type: 'village', name: n });
  await stopServer(proc);
  assertExit(runCli(['audit', 'verify', db]), 0, 'audit verify');
  const ids = sqlite(db, 'SELECT id FROM audit_log ORDER BY id').split('\n').map(Number);
  assert.ok(ids.length >= 4, `entries: ${ids}`);
  const victim = ids[Math.floor(ids.length / 2)];
  sqlite(db, `DELETE FROM audit_log WHERE id=${victim}`);
  const bad = runCli(['audit', 'verify', db]);
  assertExit(bad, 1, 'audit verify after deleting an entry');
  assert.match(bad.stdout + bad.stderr, /audit chain broken at entry \d+/);
});
