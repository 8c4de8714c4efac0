// multiserver.test.mjs — two `fangyi serve` on one PostgreSQL database
// (docs/deploy.md): a session made on one works on the other, writes from
// both interleave with nothing lost and nothing twice (the same client id
// sent to both stores one pass), the public form's rate limit counts
// across both, a server killed with SIGKILL mid-traffic loses no
// acknowledged write while the other keeps serving, and the audit chain
// verifies at the end.  Runs on the test cluster of scripts/pg-test.sh
// (make test-e2e-pg); skipped on SQLite, where one file has one server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, PG, ADMIN_PASSWORD, stopServer } from './harness.mjs';
import { assertError, assertStatus, idNumber, loginAs, rows, sleep } from './lib.mjs';
import {
  startCluster, setupPoint, passBody, traffic, assertStoredOnce, assertAuditChain,
} from './cluster.mjs';

const skip = PG ? false : 'needs the PostgreSQL test cluster (make test-e2e-pg): one SQLite file has one server';
let c; let s1; let s2;
let V; let P;
const acked = [];   // every pass any server acknowledged, for the last checks

before(async () => {
  if (skip) return;
  c = await startCluster(2);
  [s1, s2] = c.servers;
  const admin = await loginAs(s1.url, 'admin', ADMIN_PASSWORD);
  ({ village: V, point: P } = await setupPoint(admin));
});
after(async () => { if (c) await c.stop(); });

// a client of server `to` carrying the session and CSRF token of `from`
function moved(from, to) {
  const m = new Client(to.url);
  m.cookie = from.cookie;
  m.csrf = from.csrf;
  return m;
}

test('a login made through one server works on the other (cookie and CSRF)', { skip }, async () => {
  const on1 = await loginAs(s1.url, 'ka1', 'user-pass-123');
  const on2 = moved(on1, s2);
  const me = await on2.get('/me');
  assertStatus(me, 200, 'GET /me on server 2');
  assert.equal(me.body.user.username, 'ka1');
  const r = await on2.post('/passes', passBody('move-1', P, V));
  assertStatus(r, 201, 'a write on server 2 with the session of server 1');
  acked.push({ cid: 'move-1', id: r.body.pass.id });
  // the CSRF token is the session's, whichever server checks it
  const bad = moved(on1, s2);
  bad.csrf = 'x'.repeat(on1.csrf.length);
  assertError(await bad.post('/passes', passBody('move-2', P, V)), 403, 'csrf_required');
  // a logout on server 2 ends the session on server 1 too
  assertStatus(await on2.post('/logout', {}), 200, 'logout on server 2');
  assertError(await on1.get('/me'), 401, 'unauthenticated');
});

test('concurrent writes through both servers: every acknowledged pass stored once', { skip }, async () => {
  const on1 = await loginAs(s1.url, 'ka1', 'user-pass-123');
  const on2 = await loginAs(s2.url, 'ka1', 'user-pass-123');
  const before = Number(rows(c.db, 'SELECT count(*) AS n FROM passes')[0].n);
  const N = 40;
  const send = (cl, tag) => Promise.all(Array.from({ length: N }, (_, i) =>
    cl.post('/passes', passBody(`${tag}-${i}`, P, V)).then((r) => ({ r, cid: `${tag}-${i}` }))));
  const answers = (await Promise.all([send(on1, 'a'), send(on2, 'b')])).flat();
  for (const { r, cid } of answers) {
    assertStatus(r, 201, `pass ${cid}`);
    acked.push({ cid, id: r.body.pass.id });
  }
  const ids = new Set(answers.map(({ r }) => r.body.pass.id));
  assert.equal(ids.size, 2 * N, 'two answers with the same pass id');
  const after = Number(rows(c.db, 'SELECT count(*) AS n FROM passes')[0].n);
  assert.equal(after - before, 2 * N, 'passes stored against answers');
  assertStoredOnce(c.db, acked);
});

test('the same client id sent to both servers at once stores one pass', { skip }, async () => {
  const on1 = await loginAs(s1.url, 'ka1', 'user-pass-123');
  const on2 = await loginAs(s2.url, 'ka1', 'user-pass-123');
  for (let k = 0; k < 10; k++) {
    const cid = `twice-${k}`;
    const [r1, r2] = await Promise.all([on1.post('/passes', passBody(cid, P, V)),
      on2.post('/passes', passBody(cid, P, V))]);
    const codes = [r1.status, r2.status].sort();
    assert.deepEqual(codes, [200, 201], `${cid}: ${r1.status} ${r2.status}`);
    assert.equal(r1.body.pass.id, r2.body.pass.id, `${cid}: two passes`);
    assert.equal([r1, r2].filter((r) => r.body.replayed === true).length, 1);
    const n = rows(c.db, `SELECT count(*) AS n FROM passes WHERE client_id = '${cid}'`)[0].n;
    assert.equal(Number(n), 1, `${cid} stored ${n} times`);
    acked.push({ cid, id: r1.body.pass.id });
  }
});

test("the public form's rate limit counts submissions to both servers together", { skip }, async () => {
  const admin = await loginAs(s1.url, 'admin', ADMIN_PASSWORD);
  const qr = await admin.get(`/points/${P.id}/qr`);
  assertStatus(qr, 200);
  const pubs = [new Client(s1.url), new Client(s2.url)];
  const codes = [[], []];
  for (let i = 0; i < 26; i++) {
    const r = await pubs[i % 2].post(`/checkin/${qr.body.token}`, {
      name: `洪${i}`, id_number: idNumber('370724', '19900101', 200 + i * 2),
      phone: '13600003333', from: '湖北省武汉市', to_village_id: V.id,
      address: '东旺村1排1号', reason: '返乡', direction: 'in', vehicle: 'on_foot' });
    if (r.status !== 201) assertError(r, 429, 'rate_limited', undefined, `submission ${i}`);
    codes[i % 2].push(r.status);
  }
  const accepted = codes.flat().filter((x) => x === 201).length;
  assert.equal(accepted, 20, `20 in 10 minutes from one address: ${codes.join(' / ')}`);
  // each server alone took fewer than its limit, and both refuse from then on
  for (const k of [0, 1]) {
    assert.ok(codes[k].filter((x) => x === 201).length < 20, `server ${k + 1}`);
    assert.equal(codes[k].at(-1), 429, `server ${k + 1} still accepts`);
  }
  const waiting = rows(c.db, "SELECT count(*) AS n FROM checkins WHERE status = 'waiting'")[0].n;
  assert.equal(Number(waiting), 20);
});

test('a server killed with SIGKILL mid-traffic loses no acknowledged pass; the other keeps serving', { skip }, async () => {
  const on1 = await loginAs(s1.url, 'ka1', 'user-pass-123');
  const on2 = await loginAs(s2.url, 'ka1', 'user-pass-123');
  let go = true;
  const running = () => go;
  // three writers on each server
  const runs = [];
  for (let w = 0; w < 3; w++) {
    runs.push(traffic(on1, `k1w${w}`, P, V, running));
    runs.push(traffic(on2, `k2w${w}`, P, V, running));
  }
  await sleep(800);
  await stopServer(s2.proc, 'SIGKILL');
  await sleep(1000);
  go = false;
  const res = await Promise.all(runs);
  const [a1, a2] = [res.filter((_, i) => i % 2 === 0), res.filter((_, i) => i % 2 === 1)];
  for (const r of a1) {
    assert.equal(r.failed, 0, 'server 1 failed requests');
    assert.deepEqual(r.errors, [], 'server 1 answered errors');
  }
  const n1 = a1.reduce((n, r) => n + r.acked.length, 0);
  const n2 = a2.reduce((n, r) => n + r.acked.length, 0);
  assert.ok(n2 > 0, 'server 2 acknowledged nothing before it was killed');
  assert.ok(a2.every((r) => r.failed > 0), 'server 2 still answered after SIGKILL');
  for (const r of res) acked.push(...r.acked);
  assertStoredOnce(c.db, acked);
  // server 1 serves after the kill: a read and a write
  const list = await on1.get(`/passes?point_id=${P.id}&limit=5`);
  assertStatus(list, 200);
  const r = await on1.post('/passes', passBody('after-kill', P, V));
  assertStatus(r, 201);
  acked.push({ cid: 'after-kill', id: r.body.pass.id });
  assert.ok(n1 > 0, 'server 1 acknowledged nothing');
  assertStoredOnce(c.db, acked);
});

test('the audit chain verifies after the writes of both servers', { skip }, () => {
  const out = assertAuditChain(c.db);
  const n = Number(out.match(/(\d+) entries/)[1]);
  assert.ok(n >= acked.length, `${n} entries for ${acked.length} passes`);
});
