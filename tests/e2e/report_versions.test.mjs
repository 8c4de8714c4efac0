// report_versions.test.mjs — signing off the daily report (docs/report.md,
// "Sign-off and versions"): the zero report of a fresh town signed as
// version 1 and readable byte for byte; a second sign-off with nothing
// changed refused (409); a correction to the records after sign-off shown
// as "changed since sign-off", then signed as version 2 with those
// differences while version 1 keeps the old figures; who may sign and
// read; bad and future days; nothing stored by a failed sign-off; and
// `fangyi signoff` giving the API's answers.  The server's "now" is fixed
// with --test-clock (D at 20:00 in the town).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './harness.mjs';
import {
  assertError, assertStatus, createPlace, newUser, loginAs, idNumber,
  startObservationServer, shanghai, listAll, sqlite,
} from './lib.mjs';

const D = '2020-02-10';
let s;
let V1;
let seq = 501;

before(async () => {
  s = await startObservationServer({ clock: shanghai(`${D} 20:00`), sweepSeconds: 3600 });
});
after(async () => { await s?.stop(); });

// raw: the body text of a GET as the admin sees it.
async function raw(p) {
  const res = await fetch(`${s.url}/api/v1${p}`, { headers: { cookie: s.admin.cookie } });
  assert.equal(res.status, 200, `GET ${p}`);
  return res.text();
}

async function versions(client = s.admin, date = D) {
  const r = await client.get(`/reports/daily/versions?date=${date}`);
  assertStatus(r, 200, `GET versions ${date}`);
  return r.body;
}

const stored = () => Number(sqlite(s.db, 'SELECT count(*) FROM report_versions'));
const signAudits = async () => (await listAll(s.admin, '/audit?entity=report_version'))
  .filter((e) => e.action === 'sign');
const find = (diffs, key) => diffs.find((d) => d.key === key);

async function registerReturnee(name, villageId) {
  const r = await s.admin.post('/people', { name, id_number: idNumber('370724', '19800101', seq++),
    village_id: villageId,
    travel: { origin: '广州', left_date: D, return_date: D, transport: 'rail' } });
  assertStatus(r, 201, `POST /people ${name}`);
  return r.body.person;
}

let frozen1; // the text of version 1's report

test('a fresh town: the zero report is signed as version 1 and reads back exactly', async () => {
  const empty = await versions();
  assert.deepEqual(empty, { date: D, signed: false, latest_version: null, versions: [],
    changed_since_signoff: [] });
  const live = await raw(`/reports/daily?date=${D}`);
  assert.equal(JSON.parse(live).returnees.total, 0);

  const r = await s.admin.post('/reports/daily/signoff', { date: D, note: '零报告，全镇无新增' });
  assertStatus(r, 201, 'sign-off');
  assert.equal(r.body.date, D);
  assert.equal(r.body.version, 1);
  assert.equal(r.body.signed_by, 'admin');
  assert.equal(r.body.note, '零报告，全镇无新增');
  assert.equal(r.body.signed_at, s.clock, 'signed at the server\'s now (UTC)');
  assert.deepEqual(r.body.differences, []);
  assert.deepEqual(r.body.report, JSON.parse(live));

  // the frozen text is the report's text byte for byte
  const one = await raw(`/reports/daily/versions/1?date=${D}`);
  assert.ok(one.endsWith(`"report":${live}}`), one.slice(-200));
  frozen1 = live;
  const cli = runCli(['signoff', 'show', s.db, '--date', D, '--version', '1']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout, `${live}\n`);

  const v = await versions();
  assert.equal(v.signed, true);
  assert.equal(v.latest_version, 1);
  assert.deepEqual(v.versions.map((x) => [x.version, x.signed_by, x.note, x.differences]),
    [[1, 'admin', '零报告，全镇无新增', []]]);
  assert.deepEqual(v.changed_since_signoff, []);
  assert.equal(stored(), 1);
  const audits = await signAudits();
  assert.equal(audits.length, 1);
  assert.match(audits[0].summary, /2020-02-10 v1/);
});

test('signing again with nothing changed is 409 already_signed naming the version', async () => {
  const r = await s.admin.post('/reports/daily/signoff', { date: D });
  assertError(r, 409, 'already_signed');
  assert.match(r.body.error.message, /version 1/);
  assert.equal(stored(), 1);
  assert.equal((await signAudits()).length, 1);
});

let changed;

test('a correction after sign-off shows as changed, then signs as version 2', async () => {
  V1 = await createPlace(s.admin, { type: 'village', name: '东旺村' });
  await registerReturnee('王改正', V1.id);
  const v = await versions();
  changed = v.changed_since_signoff;
  assert.equal(v.signed, true);
  assert.deepEqual(find(changed, 'returnees.total'), { key: 'returnees.total', before: 0, after: 1 });
  assert.deepEqual(find(changed, 'villages'), { key: 'villages', before: 0, after: 1 });
  const row = find(changed, 'by_village.东旺村');
  assert.equal(row.before, null, 'a village that appears is listed with its row');
  assert.equal(row.after.village_id, V1.id);
  assert.equal(row.after.returnees_total, 1);
  assert.equal(find(changed, 'date'), undefined, 'the day itself is not a difference');
  assert.ok(!changed.some((d) => d.key.startsWith('supplies.')), 'supplies did not change');

  const r = await s.admin.post('/reports/daily/signoff', { date: D, note: '补登返乡人员' });
  assertStatus(r, 201, 'sign-off v2');
  assert.equal(r.body.version, 2);
  assert.deepEqual(r.body.differences, changed);
  assert.equal(r.body.report.returnees.total, 1);

  const after2 = await versions();
  assert.deepEqual(after2.versions.map((x) => x.version), [1, 2]);
  assert.deepEqual(after2.versions[1].differences, changed);
  assert.deepEqual(after2.changed_since_signoff, []);
  assert.equal(after2.latest_version, 2);

  // version 1 still reads exactly the old figures
  const one = await raw(`/reports/daily/versions/1?date=${D}`);
  assert.ok(one.endsWith(`"report":${frozen1}}`));
  assert.equal(JSON.parse(one).report.returnees.total, 0);
  const two = await s.admin.get(`/reports/daily/versions/2?date=${D}`);
  assertStatus(two, 200);
  assert.equal(two.body.report.returnees.total, 1);
  assert.deepEqual(two.body.report, JSON.parse(await raw(`/reports/daily?date=${D}`)));
  assert.equal(stored(), 2);
  assert.equal((await signAudits()).length, 2);
});

test('differences name village figures, renamed villages and supplies', async () => {
  await registerReturnee('李再补', V1.id);
  assertStatus(await s.admin.patch(`/places/${V1.id}`, { name: '东旺新村' }), 200, 'rename');
  const items = await listAll(s.admin, '/supply-items');
  const masks = items.find((i) => i.name === '医用口罩');
  assertStatus(await s.admin.post('/supplies', { kind: 'receipt', item_id: masks.id,
    quantity: 500, source: 'allocated', day: D }), 201, 'receipt');
  const c = (await versions()).changed_since_signoff;
  assert.deepEqual(find(c, 'returnees.total'), { key: 'returnees.total', before: 1, after: 2 });
  assert.deepEqual(find(c, 'by_village.东旺新村.village'),
    { key: 'by_village.东旺新村.village', before: '东旺村', after: '东旺新村' });
  assert.deepEqual(find(c, 'by_village.东旺新村.returnees_total'),
    { key: 'by_village.东旺新村.returnees_total', before: 1, after: 2 });
  assert.deepEqual(find(c, 'supplies.医用口罩.received_total'),
    { key: 'supplies.医用口罩.received_total', before: 0, after: 500 });
  assert.deepEqual(find(c, 'supplies.医用口罩.stock'),
    { key: 'supplies.医用口罩.stock', before: 0, after: 500 });
  // the other day, never signed, has nothing "changed since"
  const other = await versions(s.admin, '2020-02-09');
  assert.deepEqual(other, { date: '2020-02-09', signed: false, latest_version: null,
    versions: [], changed_since_signoff: [] });
});

test('only the town command signs; signed versions are the town\'s', async () => {
  const before = stored();
  const roles = ['village_leader', 'assigned_cadre', 'inspector', 'viewer', 'medical'];
  for (const role of roles) {
    await newUser(s.admin, { username: `u_${role}`, role });
    const c = await loginAs(s.url, `u_${role}`, 'user-pass-123');
    assertError(await c.post('/reports/daily/signoff', { date: D }), 403, 'forbidden',
      undefined, role);
  }
  // a town-wide viewer reads the versions
  const viewer = await loginAs(s.url, 'u_viewer', 'user-pass-123');
  assert.deepEqual((await versions(viewer)).versions.map((x) => x.version), [1, 2]);
  // an account limited to a village does not
  await newUser(s.admin, { username: 'bao_v1', role: 'assigned_cadre', villages: [V1.id] });
  const bao = await loginAs(s.url, 'bao_v1', 'user-pass-123');
  assertError(await bao.get(`/reports/daily/versions?date=${D}`), 403, 'town_scope_required');
  assertError(await bao.get(`/reports/daily/versions/1?date=${D}`), 403, 'town_scope_required');
  // nor does an admin limited to a village sign
  await newUser(s.admin, { username: 'admin_v1', role: 'admin', villages: [V1.id] });
  const adm = await loginAs(s.url, 'admin_v1', 'user-pass-123');
  assertError(await adm.post('/reports/daily/signoff', { date: D }), 403, 'town_scope_required');
  // CSRF as on every unsafe route
  assertError(await s.admin.post('/reports/daily/signoff', { date: D }, { csrf: false }), 403,
    'csrf_required');
  assert.equal(stored(), before);
});

test('bad and future days, bad notes: errors name the field, nothing stored', async () => {
  const before = stored();
  const audits = (await signAudits()).length;
  const post = (body) => s.admin.post('/reports/daily/signoff', body);
  assertError(await post({}), 422, 'missing_field', 'date');
  for (const bad of ['2020-02-30', '20200210', 'x', '2020-2-10', '2020-13-01']) {
    assertError(await post({ date: bad }), 422, 'invalid_date', 'date', bad);
  }
  assertError(await post({ date: 20200210 }), 422, 'invalid_field', 'date');
  const future = await post({ date: '2020-02-11' });
  assertError(future, 422, 'invalid_date', 'date');
  assert.match(future.body.error.message, /after today/);
  assertError(await post({ date: D, note: '长'.repeat(501) }), 422, 'invalid_field', 'note');
  assertError(await post({ date: D, note: 'a\u0007b' }), 422, 'invalid_field', 'note');
  for (const bad of ['2020-02-30', 'x']) {
    assertError(await s.admin.get(`/reports/daily/versions?date=${bad}`), 400, 'invalid_query',
      'date');
    assertError(await s.admin.get(`/reports/daily/versions/1?date=${bad}`), 400, 'invalid_query',
      'date');
  }
  assertError(await s.admin.get(`/reports/daily/versions/3?date=${D}`), 404, 'not_found');
  assertError(await s.admin.get(`/reports/daily/versions/0?date=${D}`), 404, 'not_found');
  assertError(await s.admin.get('/reports/daily/versions/1?date=2020-02-09'), 404, 'not_found');
  assert.equal(stored(), before);
  assert.equal((await signAudits()).length, audits);
});

test('fangyi signoff: list and show give the API\'s answers; sign as an account', async () => {
  const api = await versions();
  const list = runCli(['signoff', 'list', s.db, '--date', D, '--format', 'json']);
  assert.equal(list.status, 0, list.stderr);
  // the CLI's clock is the real one: only the frozen parts must agree
  const cliList = JSON.parse(list.stdout);
  assert.deepEqual(cliList.versions, api.versions);
  const show = runCli(['signoff', 'show', s.db, '--date', D, '--version', '2', '--format', 'json']);
  assert.equal(show.status, 0, show.stderr);
  assert.deepEqual(JSON.parse(show.stdout),
    (await s.admin.get(`/reports/daily/versions/2?date=${D}`)).body);
  const text = runCli(['signoff', 'list', s.db, '--date', D]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /version 1\tsigned .* by admin .*零报告/);
  assert.match(text.stdout, /returnees\.total: 0 → 1/);

  // usage errors exit 2, refused sign-offs 1, and nothing is stored
  const n = stored();
  assert.equal(runCli(['signoff', 'sign', s.db, '--date', D, '--as', 'admin', '--bogus', 'x']).status, 2);
  assert.equal(runCli(['signoff', 'sign', s.db, '--date', D]).status, 2, 'no --as');
  assert.equal(runCli(['signoff', 'list', s.db, '--date', D, '--as', 'admin']).status, 2);
  assert.equal(runCli(['signoff', 'show', s.db, '--date', D]).status, 2, 'no --version');
  assert.equal(runCli(['signoff', 'freeze', s.db, '--date', D]).status, 2);
  const viewer = runCli(['signoff', 'sign', s.db, '--date', D, '--as', 'u_viewer']);
  assert.equal(viewer.status, 1);
  assert.match(viewer.stderr, /report\.sign/);
  const nobody = runCli(['signoff', 'sign', s.db, '--date', D, '--as', 'nobody']);
  assert.equal(nobody.status, 1);
  assert.equal(stored(), n);

  // the corrections of the test above are signed from the shell
  const signed = runCli(['signoff', 'sign', s.db, '--date', D, '--as', 'admin',
    '--note', '命令行签发', '--format', 'json']);
  assert.equal(signed.status, 0, signed.stderr);
  const v3 = JSON.parse(signed.stdout);
  assert.equal(v3.version, 3);
  assert.equal(v3.note, '命令行签发');
  assert.deepEqual(find(v3.differences, 'returnees.total'),
    { key: 'returnees.total', before: 1, after: 2 });
  const r = await s.admin.get(`/reports/daily/versions/3?date=${D}`);
  assertStatus(r, 200);
  assert.equal(r.body.signed_by, 'admin');
  assert.equal(r.body.report.returnees.total, 2);
});
