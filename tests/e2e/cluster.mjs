// cluster.mjs — several `fangyi serve` on one PostgreSQL database, for
// multiserver.test.mjs and deploy.test.mjs: start and kill them, the
// checkpoint passes they take, write traffic that records every
// acknowledged pass, and the checks that those are all stored once.
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, makeDb, runCli, spawnServer, stopServer } from './harness.mjs';
import { createPlace, newUser, rows } from './lib.mjs';

// startCluster: a fresh database and n servers on it.  Resolves {db,
// servers: [{proc, url, stderr}], stop()}; stop() ends the live ones and
// drops the database.
export async function startCluster(n = 2, extraArgs = ['--threads', '4']) {
  const { db, cleanup } = makeDb();
  const servers = [];
  for (let i = 0; i < n; i++) servers.push(await spawnServer(db, extraArgs));
  return {
    db,
    servers,
    async stop() {
      for (const s of servers) await stopServer(s.proc);
      cleanup();
    },
  };
}

// setupPoint: through admin (any server), a village with a checkpoint and
// a checker account `username` (password user-pass-123) for it.
export async function setupPoint(admin, username = 'ka1') {
  const village = await createPlace(admin, { type: 'village', name: '东旺村' });
  const point = await createPlace(admin, { type: 'point', name: '东旺村北卡口',
    village_id: village.id });
  await newUser(admin, { username, role: 'checkpoint', villages: [village.id] });
  return { village, point };
}

// passBody: a pass of one person on foot at point, with client id cid.
export const passBody = (cid, point, village) => ({
  client_id: cid, point_id: point.id, direction: 'in', vehicle: 'on_foot',
  persons: [{ name: '王五', temperature: 36.5, to_village_id: village.id,
    reason: '返乡', outcome: 'admitted' }],
});

// traffic: client keeps sending passes (client ids `${tag}-1`, ...) until
// running() says stop or a request fails at the network level (its server
// is gone).  Resolves {acked: [{cid, id}], failed, errors: [status...]}:
// acked are the 2xx answers, errors the other statuses.
export async function traffic(client, tag, point, village, running) {
  const acked = [];
  const errors = [];
  let failed = 0;
  for (let i = 1; running(); i++) {
    const cid = `${tag}-${i}`;
    let r;
    try {
      r = await client.post('/passes', passBody(cid, point, village));
    } catch {
      failed++;
      if (failed > 3) break;
      continue;
    }
    if (r.status === 201 || r.status === 200) acked.push({ cid, id: r.body.pass.id });
    else errors.push(r.status);
  }
  return { acked, failed, errors };
}

// assertStoredOnce: every acknowledged pass is in the database, once, with
// the id the answer gave.
export function assertStoredOnce(db, acked) {
  const stored = new Map(rows(db, 'SELECT client_id, id FROM passes')
    .map((r) => [r.client_id, r.id]));
  const all = rows(db, 'SELECT count(*) AS n, count(DISTINCT client_id) AS d FROM passes')[0];
  assert.equal(all.n, all.d, 'a client id stored twice');
  for (const a of acked)
    assert.equal(stored.get(a.cid), a.id, `acknowledged pass ${a.cid} (id ${a.id}) not stored`);
}

// assertAuditChain: `fangyi audit verify DB` passes.
export function assertAuditChain(db) {
  const r = runCli(['audit', 'verify', db]);
  assert.equal(r.status, 0, `audit verify: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /audit chain ok: \d+ entries/);
  return r.stdout;
}

export { ADMIN_PASSWORD };
