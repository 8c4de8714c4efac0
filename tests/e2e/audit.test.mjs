// audit.test.mjs — the hash-chained audit log over the API (docs/api.md
// /audit, /audit/verify), and edits of stored entries it detects
// (clearing by fangyi purge is in purge.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer } from './harness.mjs';
import { summarySha } from './audit_chain.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  rows, sqlite, assertHealthy,
  finish,
} from './lib.mjs';

let s;
let village;
let grid;
before(async () => {
  s = await startServer();
  village = await createPlace(s.admin, { type: 'village', name: '审计村' });
  grid = await createPlace(s.admin, { type: 'grid', name: '审计村一组', village_id: village.id });
  assertStatus(await s.admin.patch(`/places/${grid.id}`, { name: '审计村第一组' }), 200);
  const tmp = await createPlace(s.admin, { type: 'point', name: '临时点', village_id: village.id });
  assertStatus(await s.admin.del(`/places/${tmp.id}`), [200, 204]);
  s.tmpId = tmp.id;
});
after(async () => { await finish(s); });

test('GET /audit lists entries newest first with actor and entity', async () => {
  const r = await s.admin.get('/audit');
  assertStatus(r, 200);
  const items = r.body.items;
  assert.ok(Array.isArray(items) && items.length >= 4, show(r));
  for (let i = 1; i < items.length; i++)
    assert.ok(items[i - 1].id > items[i].id, `not newest first: ${items[i - 1].id} then ${items[i].id}`);
  for (const e of items) {
    for (const k of ['id', 'at', 'actor', 'action', 'entity', 'summary', 'hash'])
      assert.ok(k in e, `entry lacks ${k}: ${JSON.stringify(e)}`);
    assert.match(e.hash, /^[0-9a-f]{64}$/, `hash: ${e.hash}`);
  }
  const placeEntries = items.filter((e) => e.entity === 'place');
  const created = placeEntries.find((e) => e.entity_id === village.id && e.action === 'create');
  assert.ok(created, `no create entry for the village: ${JSON.stringify(placeEntries)}`);
  assert.equal(created.actor, 'admin');
  assert.match(created.summary, /审计村/);
  assert.match(created.at, /^\d{4}-\d\d-\d\dT/);
  const gridEntries = placeEntries.filter((e) => e.entity_id === grid.id);
  assert.ok(gridEntries.length >= 2, `create + rename of the grid: ${JSON.stringify(gridEntries)}`);
  assert.ok(gridEntries.some((e) => e.action !== 'create'), 'rename not audited');
  const tmpEntries = placeEntries.filter((e) => e.entity_id === s.tmpId);
  assert.ok(tmpEntries.some((e) => /delete/.test(e.action)), `delete not audited: ${JSON.stringify(tmpEntries)}`);
});

test('filters entity and actor; paging', async () => {
  await newUser(s.admin, { username: 'auditee', role: 'village_leader', villages: [village.id] });
  const c = await loginAs(s.url, 'auditee', 'user-pass-123');
  const g = await createPlace(c, { type: 'grid', name: '审计村二组', village_id: village.id });
  const byActor = await listAll(s.admin, '/audit?actor=auditee');
  assert.ok(byActor.length >= 1, 'no entries by auditee');
  assert.ok(byActor.every((e) => e.actor === 'auditee'), JSON.stringify(byActor));
  assert.ok(byActor.some((e) => e.entity === 'place' && e.entity_id === g.id));
  const byEntity = await listAll(s.admin, '/audit?entity=place');
  assert.ok(byEntity.length >= 5);
  assert.ok(byEntity.every((e) => e.entity === 'place'));
  const all = await listAll(s.admin, '/audit');
  assert.ok(all.some((e) => e.entity !== 'place'), 'creating an account is not audited');
  const p = await s.admin.get('/audit?limit=2');
  assertStatus(p, 200);
  assert.equal(p.body.items.length, 2);
  assert.notEqual(p.body.next_cursor, null);
  const p2 = await s.admin.get(`/audit?limit=2&cursor=${encodeURIComponent(p.body.next_cursor)}`);
  assert.ok(p2.body.items[0].id < p.body.items[1].id, 'second page continues older');
});

test('/audit/verify is ok and counts every entry', async () => {
  const r = await s.admin.get('/audit/verify');
  assertStatus(r, 200);
  assert.equal(r.body.ok, true, show(r));
  const all = await listAll(s.admin, '/audit');
  assert.equal(r.body.entries, all.length);
});

test('a refused write adds no entry', async () => {
  const before = await listAll(s.admin, '/audit');
  assertError(await s.admin.post('/places', { type: 'village', name: '审计村' }), 409, 'duplicate');
  assertError(await s.admin.post('/places', { type: 'grid', name: '无村' }), 422, 'missing_field', 'village_id');
  assertError(await s.admin.del(`/places/${village.id}`), 409, 'has_records');
  assert.deepEqual((await listAll(s.admin, '/audit')).map((e) => e.id), before.map((e) => e.id));
});

test('accounts without audit.read get 403', async () => {
  for (const role of ['viewer', 'village_leader', 'inspector']) {
    await newUser(s.admin, { username: `no_audit_${role}`, role, villages: [] });
    const c = await loginAs(s.url, `no_audit_${role}`, 'user-pass-123');
    assertError(await c.get('/audit'), 403, 'forbidden', undefined, `${role} GET /audit`);
    assertError(await c.get('/audit/verify'), 403, 'forbidden', undefined, `${role} GET /audit/verify`);
  }
});

test('an entry\'s summary is held by its salted SHA-256: no edit, disguise or fake clearing passes', async () => {
  const target = Number(sqlite(s.db, 'SELECT min(id)+2 FROM audit_log'));
  const later = target + 1;
  const [row] = rows(s.db, `SELECT summary, summary_sha256 AS sha, summary_salt AS salt,
    redacted_at AS "at", redacted_by AS "by" FROM audit_log WHERE id = ${target}`);
  assert.match(row.sha, /^[0-9a-f]{64}$/, 'a new entry is written in format 2');
  assert.match(row.salt, /^[\w-]{43}$/, 'a random salt');
  assert.equal(row.sha, summarySha(row.salt, row.summary));
  assert.notEqual(row.sha, createHash('sha256').update(row.summary).digest('hex'), 'the text alone gives it away');
  assert.equal(row.at, null);
  const listed = (await listAll(s.admin, '/audit')).find((e) => e.id === target);
  assert.equal(listed.redacted_at, null);
  assert.equal(listed.redacted_by, null);
  assert.ok(!('summary_salt' in listed), 'the salt is not shown');
  const other = 'x'.repeat(3);
  const restore = `UPDATE audit_log SET summary = '${row.summary.replace(/'/g, "''")}',
    summary_sha256 = '${row.sha}', summary_salt = '${row.salt}', redacted_at = NULL,
    redacted_by = NULL WHERE id = ${target}`;
  for (const [what, sql] of [
    ['an edited summary', `summary = '${other}'`],
    ['a summary edited with its SHA-256', `summary = '${other}', summary_sha256 = '${summarySha(row.salt, other)}'`],
    ['an entry posing as format 1', 'summary_sha256 = NULL, summary_salt = NULL'],
    ['a summary without its salt', 'summary_salt = NULL'],
    ['a summary cleared by no clearing entry', `summary = '（已清除）', summary_salt = NULL,
      redacted_at = (SELECT at FROM audit_log WHERE id = ${later}), redacted_by = ${later}`],
    ['a clearing time alone', "redacted_at = '2020-01-01T00:00:00Z'"],
  ]) {
    sqlite(s.db, `UPDATE audit_log SET ${sql} WHERE id = ${target}`);
    const r = await s.admin.get('/audit/verify');
    assertStatus(r, 200);
    assert.deepEqual([r.body.ok, r.body.broken_at], [false, target], `${what} not detected: ${show(r)}`);
    sqlite(s.db, restore);
    assert.equal((await s.admin.get('/audit/verify')).body.ok, true, `restoring after ${what}`);
  }
});

test('tampering with a stored entry is detected', async () => {
  const target = Number(sqlite(s.db, 'SELECT min(id)+1 FROM audit_log'));
  sqlite(s.db, "UPDATE audit_log SET summary='x' WHERE id=(SELECT min(id)+1 FROM audit_log)");
  const r = await s.admin.get('/audit/verify');
  assertStatus(r, 200);
  assert.equal(r.body.ok, false, `tampering not detected: ${show(r)}`);
  assert.equal(r.body.broken_at, target);
});

test('server still healthy', async () => { await assertHealthy(s.url); });
