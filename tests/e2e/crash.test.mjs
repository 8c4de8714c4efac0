// crash.test.mjs — an answered write survives a crash (SIGKILL mid-stream),
// and SIGTERM/SIGINT shut down cleanly with exit 0 (docs/cli.md `serve`,
// DESIGN.md "group commit").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeDb, spawnServer, stopServer, ADMIN_PASSWORD,
} from './harness.mjs';
import {
  assertStatus, createPlace, loginAs, listAll, sleep, show, holdWriteLock,
} from './lib.mjs';

const WRITERS = 8;
const cleanups = [];
after(async () => { for (const f of cleanups.reverse()) await f(); });

// writeStorm runs WRITERS concurrent loops creating grids in village vid
// until `ms` have passed; calls onStart once the loops run.  Returns every
// acknowledged place ({id, name}) and the count of failed requests.
async function writeStorm(client, vid, tag, ms, onStart) {
  const acked = [];
  let failed = 0;
  let other = [];
  const deadline = Date.now() + ms;
  const writer = async (w) => {
    for (let n = 0; Date.now() < deadline; n++) {
      const name = `${tag}-w${w}-${n}`;
      try {
        const r = await client.post('/places', { type: 'grid', name, village_id: vid });
        if (r.status === 201 && r.body && typeof r.body.id === 'number') {
          assert.equal(r.body.name, name, 'answer names another place');
          acked.push({ id: r.body.id, name });
        } else if (r.status !== 503) {
          other.push(show(r));
        }
      } catch {
        failed++;
        await sleep(5);
      }
    }
  };
  const loops = Array.from({ length: WRITERS }, (_, w) => writer(w));
  if (onStart) onStart();
  await Promise.all(loops);
  return { acked, failed, other };
}

// assertAllThere checks that every acknowledged place exists with its name.
async function assertAllThere(admin, vid, acked, what) {
  const grids = await listAll(admin, `/places?village_id=${vid}&type=grid`);
  const byId = new Map(grids.map((p) => [p.id, p]));
  const lost = acked.filter((a) => !byId.has(a.id) || byId.get(a.id).name !== a.name);
  assert.deepEqual(lost.slice(0, 10), [],
    `${what}: ${lost.length} of ${acked.length} acknowledged places lost`);
  const names = new Set(grids.map((p) => p.name));
  assert.equal(names.size, grids.length, `${what}: duplicate grid names after restart`);
}

test('SIGKILL mid-stream loses no acknowledged write (3 rounds)', { timeout: 180000 }, async (t) => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  let vid = null;
  const allAcked = [];
  for (let round = 1; round <= 3; round++) {
    const { proc, url } = await spawnServer(db);
    cleanups.push(() => stopServer(proc, 'SIGKILL'));
    const admin = await loginAs(url, 'admin', ADMIN_PASSWORD);
    // Everything acknowledged in earlier rounds is still there.
    if (vid !== null) await assertAllThere(admin, vid, allAcked, `before round ${round}`);
    else vid = (await createPlace(admin, { type: 'village', name: '压测村' })).id;
    const killAt = 700 + Math.floor(Math.random() * 800);
    const { acked, other } = await writeStorm(admin, vid, `r${round}`, 2000, () => {
      setTimeout(() => proc.kill('SIGKILL'), killAt);
    });
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null
      ? r() : proc.once('exit', r)));
    assert.deepEqual(other.slice(0, 5), [], `round ${round}: unexpected answers`);
    assert.ok(acked.length >= 20, `round ${round}: only ${acked.length} writes acknowledged before the kill`);
    allAcked.push(...acked);
    t.diagnostic(`round ${round}: ${acked.length} acknowledged before SIGKILL at ${killAt} ms`);

    const again = await spawnServer(db);
    cleanups.push(() => stopServer(again.proc, 'SIGKILL'));
    const admin2 = await loginAs(again.url, 'admin', ADMIN_PASSWORD);
    await assertAllThere(admin2, vid, allAcked, `after kill ${round}`);
    const v = await admin2.get('/audit/verify');
    assertStatus(v, 200);
    assert.equal(v.body.ok, true, `audit chain broken after kill ${round}: ${show(v)}`);
    assert.equal(await stopServer(again.proc), 0, 'SIGTERM after restart');
  }
});

test('SIGTERM while writers run: exit 0 and every acknowledged write kept', { timeout: 60000 }, async (t) => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const { proc, url } = await spawnServer(db);
  cleanups.push(() => stopServer(proc, 'SIGKILL'));
  const admin = await loginAs(url, 'admin', ADMIN_PASSWORD);
  const vid = (await createPlace(admin, { type: 'village', name: '停机村' })).id;
  let exitCode;
  const exited = new Promise((r) => {
    proc.removeAllListeners('exit');
    proc.on('exit', (code, sig) => { exitCode = code ?? sig; r(); });
  });
  const { acked } = await writeStorm(admin, vid, 'term', 2000, () => {
    setTimeout(() => proc.kill('SIGTERM'), 800);
  });
  await Promise.race([exited, sleep(15000)]);
  assert.equal(exitCode, 0, `exit after SIGTERM under load: ${exitCode}`);
  assert.ok(acked.length >= 20, `only ${acked.length} writes acknowledged`);
  t.diagnostic(`${acked.length} acknowledged around SIGTERM`);
  const again = await spawnServer(db);
  cleanups.push(() => stopServer(again.proc, 'SIGKILL'));
  const admin2 = await loginAs(again.url, 'admin', ADMIN_PASSWORD);
  await assertAllThere(admin2, vid, acked, 'after SIGTERM');
  assert.equal(await stopServer(again.proc), 0);
});

test('graceful: an idle server exits 0 on SIGTERM and on SIGINT', { timeout: 30000 }, async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  for (const sig of ['SIGTERM', 'SIGINT']) {
    const { proc, url } = await spawnServer(db);
    cleanups.push(() => stopServer(proc, 'SIGKILL'));
    await loginAs(url, 'admin', ADMIN_PASSWORD);
    const code = await Promise.race([stopServer(proc, sig), sleep(10000).then(() => 'timeout')]);
    if (code === 'timeout') proc.kill('SIGKILL');
    assert.equal(code, 0, `${sig}: exit ${code}`);
  }
});

test('a database that refuses writes → 503 storage_unavailable, nothing half-written, recovers', { timeout: 60000 }, async () => {
  const { db, cleanup } = makeDb();
  cleanups.push(cleanup);
  const { proc, url } = await spawnServer(db);
  cleanups.push(() => stopServer(proc, 'SIGKILL'));
  const admin = await loginAs(url, 'admin', ADMIN_PASSWORD);
  const before = await listAll(admin, '/places');
  // Another process holds the write lock (as a stuck backup tool would).
  const lock = await holdWriteLock(db);
  cleanups.push(() => stopServer(lock.proc, 'SIGKILL'));
  const r = await admin.post('/places', { type: 'village', name: '锁村' });
  assertStatus(r, 503, 'POST while the database is locked');
  assert.equal(r.body?.error?.code, 'storage_unavailable', show(r));
  await lock.release();
  assert.deepEqual((await listAll(admin, '/places')).map((p) => p.id), before.map((p) => p.id),
    'a refused write left a place behind');
  await createPlace(admin, { type: 'village', name: '锁村' });
  const v = await admin.get('/audit/verify');
  assert.equal(v.body.ok, true, show(v));
  assert.equal(await stopServer(proc), 0);
});
