// purge.test.mjs — `fangyi purge DB --before DATE` at the end of the
// epidemic (docs/purge.md): the personal data of people whose records all
// lie before DATE, and of travellers and visitors recorded before it, is
// replaced for good; everyone else is untouched; the daily reports of
// past days keep every figure; one audit entry, the chain intact; a dry
// run counts and changes nothing.  The audit entries about the people
// and records anonymised lose their summary, the chain still verifies,
// and a clearing cannot be faked or altered; entries written before
// migration 009 (format 1) keep theirs, and are counted.
//
// On PostgreSQL (make test-e2e-pg) all of it runs, but: the leftover
// bytes are looked for in the table and index files after the VACUUM FULL
// docs/purge.md asks for (PostgreSQL keeps old row versions until then),
// and `fangyi restore`, which copies SQLite files, is left out.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runCli, stopServer, Client, ADMIN_PASSWORD, PG, dropDb } from './harness.mjs';
import {
  assertStatus, copyDb, createPlace, dump, hasColumn, idNumber, listAll, rows, shanghai, sqlite,
  startObservationServer, show,
} from './lib.mjs';
import { makeOld, makePre009, summarySha } from './audit_chain.mjs';

const DATE = '2020-02-10';
const cleanups = [];
let town; // a copy of the town before the purge, and its audit log then
after(async () => { for (const f of cleanups.reverse()) await f(); });

const ok = (r, status, what) => { assertStatus(r, status, what); return r.body; };
const days = (from, n) => Array.from({ length: n }, (_, i) =>
  new Date(Date.parse(from) + i * 86400000).toISOString().slice(0, 10));
const reports = (db) => days('2020-01-31', 18).map((d) => {
  const r = runCli(['report', db, '--date', d, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
});
const fileBytes = (db) => Buffer.concat([readFileSync(db),
  existsSync(`${db}-wal`) ? readFileSync(`${db}-wal`) : Buffer.alloc(0)]);
// tableFiles: on PostgreSQL, VACUUM FULL as docs/purge.md says, then the
// bytes of every file of the database's tables, TOAST tables and indexes.
const tableFiles = (db) => {
  sqlite(db, 'VACUUM FULL');
  sqlite(db, 'CHECKPOINT');
  const dataDir = sqlite(db, 'SHOW data_directory');
  const files = sqlite(db, `SELECT pg_relation_filepath(oid) FROM pg_class
    WHERE relkind IN ('r', 't', 'i') AND pg_relation_filepath(oid) IS NOT NULL`).split('\n');
  assert.ok(files.length > 50, `only ${files.length} files`);
  return Buffer.concat(files.flatMap((f) => {
    const p = path.join(dataDir, f);
    return existsSync(p) ? [readFileSync(p)] : [];
  }));
};
// copyOf: a consistent copy of db (copyDb), dropped at the end.
const copyOf = (db) => {
  const to = copyDb(db);
  cleanups.push(() => dropDb(to));
  return to;
};
const CLEARED = '（已清除）';
// the names and plates of the people and records the purge anonymises
const GONE = ['甲结束', '丙未管', '己路人', '庚同车', '辛访客', '壬自助', '鲁G12345', '鲁G33333'];
// and of those it leaves as they are
const KEPT = ['乙在观', '丁晚解', '戊又回', '癸新登', '子后来', '丑访客', '鲁G22222', '鲁G54321'];
const auditOf = (db) => rows(db, 'SELECT * FROM audit_log ORDER BY id');
const verify = (db) => {
  const r = runCli(['audit', 'verify', db]);
  const m = r.stdout.match(/broken at entry (\d+)/) || r.stderr.match(/broken at entry (\d+)/);
  return { ok: r.status === 0, at: m ? Number(m[1]) : null, out: r.stdout + r.stderr };
};
// The counts of a purge's output, table by table.
const counts = (out) => Object.fromEntries([...out.matchAll(/^ {2}(\w+) +(\d+)$/gm)]
  .map((m) => [m[1], Number(m[2])]));
const keptText = (out) => Number(out.match(/keep their text .*: (\d+)$/m)[1]);
// The entries of the town that name someone the purge anonymises: every
// one of them is cleared (a person's, a fever alert's, a gate visit's, a
// pass's, a disinfection's of a typed place), and with them the other
// entries about the same records.
const AUDIT_CLEARED = 18;

// The town as the work left it: who is who, written through the API with
// the clock walking from 2020-02-01 to 2020-02-16.
async function buildTown() {
  const s = await startObservationServer({ clock: shanghai('2020-02-01 10:00') });
  cleanups.push(async () => {
    await stopServer(s.proc, 'SIGKILL');
    dropDb(s.db);
    rmSync(s.dir, { recursive: true, force: true });
  });
  const a = s.admin;
  const east = await createPlace(a, { type: 'village', name: '东村' });
  const point = await createPlace(a, { type: 'point', name: '东卡口', village_id: east.id });
  const id = (seq) => idNumber('370724', '19800101', seq);
  const person = async (name, seq, extra = {}) => ok(await a.post('/people', {
    name, id_number: id(seq), phone: `1380000${String(seq).padStart(4, '0')}`,
    village_id: east.id, address: `${name}家东村${seq}号`, notes: `${name}的备注`,
    travel: { origin: '武汉', via: `${name}途经郑州`, return_date: '2020-01-28',
      transport: 'rail', transport_no: `G${seq}`, reason: `${name}探亲`,
      symptoms_on_arrival: `${name}咳嗽` }, ...extra }), 201, `POST /people ${name}`).person;
  const measure = async (p) => ok(await a.post(`/people/${p.id}/measures`,
    { type: 'home_isolation', basis: 'start', basis_date: '2020-02-01', period_days: 14 }), 201, 'measure');
  const P = {};
  P.ended = await person('甲结束', 101);
  P.active = await person('乙在观', 102);
  P.none = await person('丙未管', 103);
  P.late = await person('丁晚解', 104);
  P.back = await person('戊又回', 105);
  P.dupEnded = ok(await a.post('/people', { name: '甲结束', phone: '13800000101',
    village_id: east.id, address: '甲结束旧址' }), 201, 'duplicate').person;
  P.dupActive = ok(await a.post('/people', { name: '乙在观', phone: '13800000102',
    village_id: east.id, address: '乙在观旧址' }), 201, 'duplicate').person;
  ok(await a.post(`/people/${P.ended.id}/merge`, { from_id: P.dupEnded.id }), 200, 'merge');
  ok(await a.post(`/people/${P.active.id}/merge`, { from_id: P.dupActive.id }), 200, 'merge');
  const M = {};
  for (const k of ['ended', 'active', 'late', 'back']) M[k] = await measure(P[k]);
  ok(await a.post(`/measures/${M.ended.id}/checks`, { temperature: 36.6, slot: 1, note: '甲结束在家' }), 201, 'check');
  ok(await a.post(`/measures/${M.active.id}/checks`, { temperature: 36.5, slot: 1, note: '乙在观在家' }), 201, 'check');
  ok(await a.post(`/people/${P.ended.id}/contacts`, { source_id: P.none.id,
    last_exposure: '2020-01-30', relationship: 'family', setting: '甲丙家宴' }), 201, 'contact');
  // an export searched by ID number and by phone: audited, masked in the log
  assertStatus(await a.get(`/people/export?q=${id(101)}`), 200, 'export by ID number');
  assertStatus(await a.get('/people/export?q=13800000103'), 200, 'export by phone');
  const { body: qr } = await a.get(`/points/${point.id}/qr`);
  const pub = new Client(s.url);
  // sessions end after a while: sign in again after each jump of the clock
  const moveTo = async (local) => {
    s.setClock(shanghai(local));
    assertStatus(await a.login('admin', ADMIN_PASSWORD), 200, `login at ${local}`);
  };
  const form = (name, seq, plate) => ({ name, id_number: id(seq), phone: `139${String(seq).padStart(8, '0')}`,
    from: '湖北省武汉市', to_village_id: east.id, address: `${name}住址`, reason: `${name}事由`,
    direction: 'in', vehicle: 'car', plate });

  await moveTo('2020-02-02 09:00');
  ok(await a.post('/passes', { client_id: 'pass-early', point_id: point.id, direction: 'in',
    vehicle: 'car', plate: '鲁G12345', persons: [
      { name: '己路人', id_number: id(106), phone: '13800000106', from: '济南',
        address: '己路人外地', temperature: 36.5, reason: '己路人过路', outcome: 'admitted' },
      { name: '甲结束', id_number: id(101), temperature: 36.6, outcome: 'admitted' }] }), 201, 'pass');
  ok(await a.post('/passes', { client_id: 'pass-kept-person', point_id: point.id, direction: 'in',
    vehicle: 'car', plate: '鲁G22222', persons: [
      { name: '乙在观', id_number: id(102), temperature: 36.6, outcome: 'admitted' },
      { name: '庚同车', phone: '13800000107', temperature: 36.4, reason: '庚同车串门', outcome: 'admitted' }] }), 201, 'pass');
  const fever = ok(await a.post('/visitors', { place_id: point.id, name: '辛访客', temperature: 37.6,
    phone: '13800000108', reason: '辛访客送货', came_from: '辛访客济南' }), 201, 'visitor');
  // the alert's free text: where the visitor was sent, what was found
  for (const b of [{ step: 'report' }, { step: 'refer', to: '辛访客转县医院' },
    { step: 'outcome', outcome: '辛访客排除' }])
    ok(await a.post(`/alerts/${fever.alert_id}/steps`, b), 200, `alert ${b.step}`);
  // a disinfection of a place typed in: a home
  ok(await a.post('/disinfection', { day: '2020-02-02', place_text: '己路人家', area: 80,
    agent: '84消毒液', method: 'spray', operator: '王五' }), 201, 'disinfection');
  ok(await pub.post(`/checkin/${qr.token}`, form('壬自助', 109, '鲁G33333')), 201, 'checkin');

  await moveTo('2020-02-04 10:00');
  ok(await a.post(`/measures/${M.back.id}/changes`, { action: 'end', date: '2020-02-04', reason: '戊又回外出' }), 200, 'end');
  await moveTo('2020-02-05 10:00');
  ok(await a.post(`/measures/${M.ended.id}/changes`, { action: 'end', date: '2020-02-05', reason: '甲结束转院' }), 200, 'end');

  await moveTo('2020-02-12 10:00');
  P.fresh = await person('癸新登', 110);
  ok(await a.post(`/people/${P.back.id}/travels`, { origin: '武汉', return_date: '2020-02-11',
    transport: 'rail', transport_no: 'G9', reason: '戊又回二次返乡' }), 201, 'travel');
  ok(await a.post('/passes', { client_id: 'pass-late', point_id: point.id, direction: 'in',
    vehicle: 'car', plate: '鲁G54321', persons: [{ name: '子后来', id_number: id(111),
      phone: '13800000111', temperature: 36.4, reason: '子后来探亲', outcome: 'turned_back' }] }), 201, 'pass');
  ok(await a.post('/visitors', { place_id: point.id, name: '丑访客', temperature: 36.5,
    phone: '13800000112', reason: '丑访客开会' }), 201, 'visitor');
  ok(await pub.post(`/checkin/${qr.token}`, form('寅自助', 113, '鲁G44444')), 201, 'checkin');
  ok(await a.post('/disinfection', { day: '2020-02-12', place_text: '寅自助家', area: 60,
    agent: '84消毒液', method: 'wipe', operator: '王五' }), 201, 'disinfection kept');
  await moveTo('2020-02-15 10:00');
  ok(await a.post(`/measures/${M.late.id}/changes`, { action: 'release', date: '2020-02-15' }), 200, 'release');
  await moveTo('2020-02-16 10:00');
  assert.equal(await stopServer(s.proc), 0);
  return { db: s.db, P, id };
}

test('purge --before: dry run, then one irreversible, audited transaction that keeps every figure',
  { timeout: 180000 }, async (t) => {
    const { db, P, id } = await buildTown();
    const people = (ids) => rows(db, `SELECT * FROM people WHERE id IN (${ids.join(',')}) ORDER BY id`);
    const keptIds = [P.active.id, P.dupActive.id, P.late.id, P.back.id, P.fresh.id];
    const goneIds = [P.ended.id, P.dupEnded.id, P.none.id];
    const keptBefore = people(keptIds);
    const goneBefore = people(goneIds);
    const reportsBefore = reports(db);
    assert.ok(reportsBefore.some((r) => JSON.parse(r).observation.current > 0), 'the reports count nobody');
    const auditBefore = auditOf(db);
    town = { db: copyOf(db), auditBefore };
    const naming = auditBefore.filter((e) => GONE.some((g) => e.summary.includes(g)));
    assert.ok(naming.length >= 8, `the town's audit log names too few: ${JSON.stringify(naming)}`);

    // the dry run says what it would change and changes nothing
    const before = dump(db);
    const dry = runCli(['purge', db, '--before', DATE, '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    t.diagnostic(dry.stdout);
    assert.match(dry.stdout, /dry run: nothing was changed/);
    assert.equal(dump(db), before, 'the dry run changed the database');
    const want = counts(dry.stdout);
    // what the town above must give, table by table
    assert.deepEqual(want, { people: 3, travels: 2, contacts: 1, measures: 1, measure_events: 1,
      checks: 1, alerts: 1, pass_people: 3, passes: 1, checkins: 1, gate_visits: 1,
      disinfections: 1, audit_log: AUDIT_CLEARED });
    assert.match(dry.stdout, /left as they are .*: 4$/m); // active, late, back, fresh
    assert.equal(keptText(dry.stdout), 0, 'a new database has no entry of format 1');

    // the real run, while a server runs on the database as it would in a
    // town: the same counts, one audit entry, the chain holds
    const { spawnServer } = await import('./harness.mjs');
    const srv = await spawnServer(db);
    cleanups.push(() => stopServer(srv.proc, 'SIGKILL'));
    const c = new Client(srv.url);
    assertStatus(await c.login('admin', ADMIN_PASSWORD), 200);
    const run = runCli(['purge', db, '--before', DATE]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(counts(run.stdout), want, 'the real run changed other rows than the dry run said');
    if (PG) assert.match(run.stdout, /old versions stay .* until VACUUM FULL \(docs\/purge.md\)/);
    const auditAfter = auditOf(db);
    assert.equal(auditAfter.length, auditBefore.length + 1);
    const entry = auditAfter.at(-1);
    assert.equal(entry.action, 'purge');
    assert.match(entry.summary, new RegExp(`before ${DATE}: people 3, travels 2`));
    assert.match(entry.summary, new RegExp(`audit entries cleared ${AUDIT_CLEARED}, older ones keeping their text 0$`));
    const chain = verify(db);
    assert.equal(chain.ok, true, `audit chain after purge: ${chain.out}`);

    // the audit entries that named them are cleared, by the purge's entry;
    // every other entry is as it was
    const cleared = auditAfter.filter((e) => e.redacted_at !== null);
    assert.equal(cleared.length, AUDIT_CLEARED);
    for (const e of naming)
      assert.ok(cleared.some((x) => x.id === e.id), `entry ${e.id} still names someone: ${e.summary}`);
    for (const e of cleared) {
      assert.equal(e.summary, CLEARED);
      assert.equal(e.redacted_by, entry.id);
      assert.equal(e.redacted_at, entry.at);
      const was = auditBefore.find((x) => x.id === e.id);
      assert.ok(['person', 'alert', 'gate_visit', 'pass', 'disinfection'].includes(was.entity), `cleared a ${was.entity} entry`);
      assert.equal(e.summary_sha256, was.summary_sha256, 'the digest of the text stays, for the chain');
      assert.equal(summarySha(was.summary_salt, was.summary), was.summary_sha256);
      assert.equal(e.summary_salt, null, 'the salt went with the text: the digest confirms no guess');
      for (const k of ['at', 'actor', 'action', 'entity', 'entity_id', 'digest', 'hash'])
        assert.equal(e[k], was[k], `${k} of cleared entry ${e.id}`);
    }
    for (const e of auditBefore.filter((x) => !cleared.some((c) => c.id === x.id)))
      assert.deepEqual(auditAfter.find((x) => x.id === e.id), e, `entry ${e.id} changed`);
    const textOf = (log) => log.map((e) => e.summary).join('\n');
    const named = KEPT.filter((k) => textOf(auditBefore).includes(k));
    assert.ok(named.length >= 6, `the log names few of those kept: ${named}`);
    for (const k of named) assert.ok(textOf(auditAfter).includes(k), `the entries about ${k} lost their text`);

    // over the API too: the summaries are gone, the clearing is shown, the chain holds
    const listed = await listAll(c, '/audit');
    const listedText = JSON.stringify(listed);
    for (const g of GONE) assert.ok(!listedText.includes(g), `GET /audit still shows ${g}`);
    const shown = listed.filter((e) => e.redacted_at);
    assert.equal(shown.length, AUDIT_CLEARED);
    assert.ok(shown.every((e) => e.summary === CLEARED && e.redacted_by === entry.id), JSON.stringify(shown[0]));
    assert.ok(listed.filter((e) => !e.redacted_at).every((e) => e.redacted_by === null));
    const cli = runCli(['audit', 'list', db, '--limit', '1000']);
    assert.equal(cli.status, 0, cli.stderr);
    for (const g of GONE) assert.ok(!cli.stdout.includes(g), `fangyi audit list still shows ${g}`);
    assert.equal(cli.stdout.split(`${CLEARED} (cleared ${entry.at} by entry ${entry.id})`).length - 1, AUDIT_CLEARED);
    const v = await c.get('/audit/verify');
    assertStatus(v, 200);
    assert.deepEqual(v.body, { ok: true, entries: auditAfter.length });

    // every figure of every day is what it was
    assert.deepEqual(reports(db), reportsBefore, 'a daily report changed');

    // people under a measure, released on or after DATE, back again or new: untouched
    assert.deepEqual(people(keptIds), keptBefore);
    for (const [i, p] of people(goneIds).entries()) {
      const was = goneBefore[i];
      assert.equal(p.name, '已匿名');
      for (const k of ['id_number', 'phone', 'birth_date', 'id_flag']) assert.equal(p[k], null, k);
      assert.equal(p.address, '');
      assert.equal(p.notes, '');
      assert.ok(p.anonymised_at, 'anonymised_at');
      for (const k of ['village_id', 'kind', 'measure', 'screening', 'created_at', 'merged_into', 'sex'])
        assert.equal(p[k], was[k], `${k} of a purged person`);
    }
    const tr = rows(db, `SELECT * FROM travels WHERE person_id = ${P.ended.id}`)[0];
    assert.deepEqual([tr.origin_text, tr.origin_code, tr.via, tr.transport_no, tr.reason,
      tr.symptoms_on_arrival, tr.return_date], ['湖北省武汉市', '420100', '', '', '', '', '2020-01-28']);
    assert.equal(rows(db, `SELECT via FROM travels WHERE person_id = ${P.active.id}`)[0].via, '乙在观途经郑州');
    assert.deepEqual(rows(db, 'SELECT name, phone FROM pass_people ORDER BY id').map((x) => x.name),
      ['已匿名', '已匿名', '乙在观', '已匿名', '子后来']);
    assert.deepEqual(rows(db, 'SELECT plate FROM passes ORDER BY id').map((x) => x.plate),
      [null, '鲁G22222', '鲁G54321']);
    assert.deepEqual(rows(db, 'SELECT name FROM gate_visits ORDER BY id').map((x) => x.name), ['已匿名', '丑访客']);
    assert.deepEqual(rows(db, 'SELECT name FROM checkins ORDER BY id').map((x) => x.name), ['已匿名', '寅自助']);
    assert.deepEqual(rows(db, "SELECT subject, referred_to, outcome, outcome_at IS NOT NULL AS ended FROM alerts"
      + " WHERE kind = 'fever'"), [{ subject: '', referred_to: '', outcome: '', ended: PG ? true : 1 }]);
    assert.deepEqual(rows(db, 'SELECT day, place_text, area FROM disinfections ORDER BY id'),
      [{ day: '2020-02-02', place_text: '已匿名', area: 80 }, { day: '2020-02-12', place_text: '寅自助家', area: 60 }]);

    // gone for good: ID numbers, phones, names and plates are nowhere in
    // the file (the server still has the database open: its log is read
    // too), and no name, address or free text anywhere in the database.
    // On PostgreSQL, after the VACUUM FULL docs/purge.md asks for: the
    // files of every table and index of the database (not the server's
    // write-ahead log, which docs/purge.md leaves to its administrator).
    const raw = PG ? tableFiles(db) : fileBytes(db);
    for (const seq of [101, 103, 106, 109])
      assert.equal(raw.indexOf(Buffer.from(id(seq))), -1, `ID number ${seq} still in the file`);
    for (const phone of ['13800000101', '13800000103', '13800000106', '13800000107', '13800000108', '13900000109'])
      assert.equal(raw.indexOf(Buffer.from(phone)), -1, `phone ${phone} still in the file`);
    for (const g of GONE) assert.equal(raw.indexOf(Buffer.from(g)), -1, `${g} still in the file`);
    for (const e of cleared) {
      const { summary_salt: salt } = auditBefore.find((x) => x.id === e.id);
      assert.equal(raw.indexOf(Buffer.from(salt)), -1, `the salt of cleared entry ${e.id} is still in the file`);
    }
    const all = dump(db);
    for (const s of [...GONE, '甲结束家', '甲结束在家', '甲结束转院', '甲丙家宴', '丙未管途经', '己路人外地', '辛访客送货'])
      assert.ok(!all.includes(s), `${s} is still in the database`);
    for (const s of [...KEPT, '寅自助', '乙在观在家'])
      assert.ok(all.includes(s), `${s} was anonymised but must be kept`);

    // a second run finds nothing left to change, and says so in the log
    const again = runCli(['purge', db, '--before', DATE]);
    assert.equal(again.status, 0, again.stderr);
    assert.ok(Object.values(counts(again.stdout)).every((n) => n === 0), again.stdout);
    assert.equal(verify(db).ok, true);
    const second = auditOf(db).at(-1);
    assert.match(second.summary, /audit entries cleared 0, older ones keeping their text 0$/);
    assert.equal(auditOf(db).filter((e) => e.redacted_by === second.id).length, 0);

    // the server went on serving the purged database
    const got = await c.get(`/people/${P.ended.id}`);
    assertStatus(got, 200, show(got));
    assert.equal(got.body.name, '已匿名');
    assert.equal(await stopServer(srv.proc), 0);
  });

// tamper runs sql on a fresh copy of db (?1 in it stands for id) and
// answers where verify finds the chain broken.
function tamper(db, sql, id) {
  const copy = copyOf(db);
  sqlite(copy, sql.replaceAll('?1', String(id)));
  const v = verify(copy);
  assert.equal(v.ok, false, `not detected: ${sql} on ${id}: ${v.out}`);
  return v.at;
}

test('a cleared entry can be neither altered nor faked', { timeout: 60000 }, async () => {
  assert.ok(town, 'the first test builds the town');
  const db = copyOf(town.db);
  const run = runCli(['purge', db, '--before', DATE]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(verify(db).ok, true);
  const log = auditOf(db);
  const purge = log.at(-1);
  const cleared = log.filter((e) => e.redacted_by === purge.id).map((e) => e.id);
  const x = cleared[3];
  // any other field of a cleared entry is still covered by its hash
  assert.equal(tamper(db, 'UPDATE audit_log SET entity_id = entity_id + 1 WHERE id = ?1', x), x);
  assert.equal(tamper(db, "UPDATE audit_log SET actor = 'nobody' WHERE id = ?1", x), x);
  assert.equal(tamper(db, "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE id = ?1", x), x);
  // its summary can only be the marker: not the old text, not another one
  assert.equal(tamper(db, "UPDATE audit_log SET summary = '别人' WHERE id = ?1", x), x);
  const text = town.auditBefore.find((e) => e.id === x).summary;
  assert.equal(tamper(db, `UPDATE audit_log SET summary = '${text}' WHERE id = ?1`, x), x);
  // nor can it pose as never cleared, or as cleared by another entry, or at another time
  assert.equal(tamper(db, 'UPDATE audit_log SET redacted_at = NULL, redacted_by = NULL WHERE id = ?1', x), x);
  assert.equal(tamper(db, 'UPDATE audit_log SET redacted_by = NULL WHERE id = ?1', x), x);
  assert.equal(tamper(db, `UPDATE audit_log SET redacted_by = ${purge.id - 1} WHERE id = ?1`, x), x);
  assert.equal(tamper(db, `UPDATE audit_log SET redacted_by = ${purge.id + 5} WHERE id = ?1`, x), x);
  assert.equal(tamper(db, "UPDATE audit_log SET redacted_at = '2030-01-01T00:00:00Z' WHERE id = ?1", x), x);
  // the text cannot come back: its salt is gone with it
  assert.equal(tamper(db, `UPDATE audit_log SET redacted_by = NULL, redacted_at = NULL,
    summary = '${text}', summary_salt = 'guessed' WHERE id = ?1`, x), x);
  // clearing another entry behind the program's back, as the purge would
  // have: the purge's entry did not list it
  const other = log.find((e) => e.redacted_by === null && e.summary.includes('乙在观'));
  assert.ok(other, 'an entry of a person left as they are');
  const hide = `UPDATE audit_log SET summary = '${CLEARED}', summary_salt = NULL,
    redacted_at = '${purge.at}'`;
  assert.equal(tamper(db, `${hide}, redacted_by = ${purge.id} WHERE id = ?1`, other.id), other.id);
  assert.equal(tamper(db, `${hide} WHERE id = ?1`, other.id), other.id);
  // and the entry of the purge itself is an entry like any other
  assert.equal(tamper(db, `UPDATE audit_log SET summary = 'x' WHERE id = ?1`, purge.id), purge.id);
  assert.equal(tamper(db, `UPDATE audit_log SET digest = '${'0'.repeat(64)}' WHERE id = ?1`, purge.id), purge.id);
  assert.equal(verify(db).ok, true, 'the copies were tampered, not the purged database');
});

test('a database from before migration 009: its old entries keep their text, and are counted',
  { timeout: 60000 }, async () => {
    assert.ok(town, 'the first test builds the town');
    const db = copyOf(town.db);
    // as if the town's first days had been written by the older fangyi
    const lastOld = Math.max(...town.auditBefore.filter((e) => e.at < '2020-02-02').map((e) => e.id));
    makeOld(db, lastOld);
    assert.equal(verify(db).ok, true, 'the chain written by the test is the one fangyi checks');
    assert.equal(Number(sqlite(db, `SELECT count(*) FROM audit_log WHERE summary_sha256 IS NULL`)), lastOld);

    const dry = runCli(['purge', db, '--before', DATE, '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    const old = keptText(dry.stdout);
    assert.ok(old > 0 && old < AUDIT_CLEARED, dry.stdout);
    assert.equal(counts(dry.stdout).audit_log, AUDIT_CLEARED - old);

    const run = runCli(['purge', db, '--before', DATE]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(counts(run.stdout).audit_log, AUDIT_CLEARED - old);
    assert.equal(keptText(run.stdout), old);
    assert.equal(verify(db).ok, true, 'audit chain after a purge of a database with both formats');
    const log = auditOf(db);
    const purge = log.at(-1);
    assert.match(purge.summary, new RegExp(`audit entries cleared ${AUDIT_CLEARED - old}, older ones keeping their text ${old}$`));
    // format 1 is never cleared; among the format-2 ones nothing names them
    const stillNaming = log.filter((e) => GONE.some((g) => e.summary.includes(g)));
    assert.ok(stillNaming.length > 0 && stillNaming.every((e) => e.id <= lastOld && e.summary_sha256 === null),
      JSON.stringify(stillNaming));
    assert.ok(log.filter((e) => e.redacted_at !== null).every((e) => e.id > lastOld));

    // an old entry cannot be cleared or hidden either: its hash covers its text
    const x = stillNaming[0].id;
    assert.equal(tamper(db, `UPDATE audit_log SET summary = '${CLEARED}', redacted_at = '${purge.at}',
      redacted_by = ${purge.id} WHERE id = ?1`, x), x);
    assert.equal(tamper(db, `UPDATE audit_log SET redacted_at = '${purge.at}' WHERE id = ?1`, x), x);
    // nor pass for one of format 2
    const sha = summarySha('salt', stillNaming[0].summary);
    assert.equal(tamper(db, `UPDATE audit_log SET summary_sha256 = '${sha}', summary_salt = 'salt'
      WHERE id = ?1`, x), x);
  });

test('a backup written before migration 009 restores, and its purge counts the entries it cannot clear',
  { timeout: 60000 }, async () => {
    assert.ok(town, 'the first test builds the town');
    const old = copyOf(town.db);
    makePre009(old);
    assert.equal(hasColumn(old, 'audit_log', 'summary_sha256'), false);
    // restore checks the chain of the copy before it is migrated (SQLite
    // files; a PostgreSQL database is upgraded where it is, by the purge's
    // opening below)
    let restored = old;
    if (!PG) {
      restored = `${old}.restored`;
      const r = runCli(['restore', old, restored]);
      assert.equal(r.status, 0, `restore: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`audit chain ok \\(${town.auditBefore.length} entries\\)`));
      const broken = `${old}.broken`;
      sqlite(old, "UPDATE audit_log SET summary = 'x' WHERE id = 3");
      const b = runCli(['restore', old, broken]);
      assert.equal(b.status, 1, b.stdout);
      assert.match(b.stderr, /audit chain of .* is broken at entry 3/);
    }

    // a dry run writes nothing, not even the missing migration: refused
    const unmigrated = dump(restored);
    const dry = runCli(['purge', restored, '--before', DATE, '--dry-run']);
    assert.equal(dry.status, 1, dry.stdout);
    assert.match(dry.stderr, /lacks 1 schema migration .*a dry run does not apply them \(nothing was changed\)/);
    assert.equal(dump(restored), unmigrated, 'the dry run changed the database');
    assert.equal(hasColumn(restored, 'audit_log', 'summary_sha256'), false, 'the dry run migrated');
    // upgraded by the purge's opening: nothing of the old log can be cleared
    const run = runCli(['purge', restored, '--before', DATE]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(counts(run.stdout).audit_log, 0);
    assert.equal(keptText(run.stdout), AUDIT_CLEARED);
    const log = auditOf(restored);
    assert.match(log.at(-1).summary, new RegExp(`audit entries cleared 0, older ones keeping their text ${AUDIT_CLEARED}$`));
    assert.ok(log.at(-1).summary_sha256, 'the purge\'s own entry is written in format 2');
    assert.equal(log.filter((e) => e.summary_sha256 === null).length, town.auditBefore.length);
    assert.ok(GONE.some((g) => log.some((e) => e.summary.includes(g))), 'the old entries keep their text');
    assert.equal(verify(restored).ok, true, 'a chain of format 1 then format 2');
  });

test('purge refuses a missing, malformed or future day and changes nothing', { timeout: 30000 }, async () => {
  const { makeDb } = await import('./harness.mjs');
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const before = dump(db);
  const missing = runCli(['purge', db]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--before YYYY-MM-DD is required/);
  for (const [day, why] of [['2020-02-30', /not a real date/], ['2020/02/10', /date/],
    ['2098-01-01', /after today/]]) {
    const r = runCli(['purge', db, '--before', day]);
    assert.equal(r.status, 1, `${day}: ${r.stdout}`);
    assert.match(r.stderr, why, day);
  }
  assert.equal(dump(db), before);
});
