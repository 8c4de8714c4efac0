// pg.mjs — `node bench/run.mjs --pg`: the PostgreSQL figures beside the
// SQLite ones.  The demo town (`fangyi demo`) in a SQLite file and in a
// PostgreSQL database; pass registration (POST /api/v1/passes,
// wrk/write_passes.lua, 64 clients) and a list read (GET
// /api/v1/passes?limit=50 by point, wrk/get.lua, 16 clients) against
// SQLite with one server, PostgreSQL with one server, PostgreSQL with
// two servers on the one town, and two towns of one county database
// (?town=, each its own write lock) with a server each (each with half the
// clients; the figure is the sum).
// Needs a PostgreSQL cluster: run it under scripts/pg-test.sh (which sets
// FANGYI_TEST_PG) or give FANGYI_BENCH_PG=postgres://USER@HOST:PORT
// (a role that may create databases).  Not part of bench-quick; writes
// bench/results/bench-pg.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run, sql as sqliteSql } from './lib/proc.mjs';
import { ADMIN_PASSWORD, serve, token } from './lib/fangyi.mjs';
import { load } from './lib/wrk.mjs';
import { describe } from './lib/machine.mjs';

const WRITERS = 64;
const READERS = 16;

// the rows of a query on either backend, '|'-separated as sqlite3 prints
// (a town's URL: psql in its schema)
async function sql(db, text) {
  if (!db.startsWith('postgres')) return sqliteSql(db, text);
  const bin = process.env.FANGYI_TEST_PG_BIN ? join(process.env.FANGYI_TEST_PG_BIN, 'psql') : 'psql';
  const u = new URL(db);
  const town = u.searchParams.get('town');
  u.searchParams.delete('town');
  const env = town ? { PGOPTIONS: `-c search_path=${town}` } : {};
  return (await run(bin, ['-X', '-q', '-A', '-t', '-d', u.href], { input: text, env })).stdout.trim();
}

async function demo(db) {
  await run('./fangyi', ['demo', db], { env: { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const list = async (q) => (await sql(db, q)).split('\n').filter(Boolean);
  return {
    points: await list("SELECT id FROM places WHERE type = 'point' AND active = 1 ORDER BY id;"),
    villages: await list("SELECT id FROM places WHERE type = 'village' ORDER BY id;"),
  };
}

// one configuration: a fangyi per target ({db, facts}: a town may have
// several); the two figures
// serial: this configuration's own range of client ids and ID numbers (on
// the PostgreSQL database one run follows another: a client id sent again
// would be a replay, answered 200 and not stored again)
async function measure(label, targets, serial, ports, dir, seconds) {
  const started = [];
  const servers = targets.length;
  try {
    for (let i = 0; i < servers; i++)
      started.push(await serve(targets[i].db, ports[i], join(dir, `${label.replace(/\W/g, '_')}-${i}.log`)));
    const urls = ports.slice(0, servers).map((p) => `http://127.0.0.1:${p}`);
    const toks = await Promise.all(urls.map((url) => token(url, 'admin')));
    const dbs = [...new Set(targets.map((t) => t.db))];
    const count = async () => (await Promise.all(dbs.map((db) => sql(db, 'SELECT count(*) FROM passes;'))))
      .reduce((n, c) => n + Number(c), 0);
    // all servers at once, the clients shared out; rates and counts summed
    const together = async (o, envOf) => {
      const rs = await Promise.all(urls.map((url, i) => load({ ...o, url,
        conns: Math.ceil(o.conns / servers), env: envOf(i) })));
      const sum = (k) => rs.reduce((n, r) => n + (r[k] || 0), 0);
      return { rps: sum('rps'), requests: sum('requests'), non2xx: sum('non2xx'),
        errors: sum('errors'), p50: Math.max(...rs.map((r) => r.p50)),
        p99: Math.max(...rs.map((r) => r.p99)) };
    };
    const wenv = (from) => (i) => ({ FANGYI_TOKEN: toks[i], BENCH_SERIAL: String(from + i * 100000),
      FANGYI_POINTS: targets[i].facts.points.join(','),
      FANGYI_VILLAGES: targets[i].facts.villages.join(',') });
    const wo = { script: 'bench/wrk/write_passes.lua', conns: WRITERS, warmup: 0 };
    await together({ ...wo, seconds: 1 }, wenv(serial + 500000));
    const c0 = await count();
    const w = await together({ ...wo, seconds }, wenv(serial));
    const stored = await count() - c0;
    const r = await together({ script: 'bench/wrk/get.lua', conns: READERS, seconds, warmup: 1 },
      (i) => ({ FANGYI_TOKEN: toks[i], BENCH_PATH: '/api/v1/passes?limit=50&point_id={id}',
        BENCH_IDS: targets[i].facts.points.join(',') }));
    return { label, servers, write: { ...w, acked: w.requests - w.non2xx, stored }, read: r };
  } finally {
    for (const s of started) await s.stop();
  }
}

export async function runPg(opt) {
  const cluster = process.env.FANGYI_BENCH_PG || process.env.FANGYI_TEST_PG;
  if (!cluster) throw new Error('--pg needs FANGYI_BENCH_PG=postgres://USER@HOST:PORT, or run under scripts/pg-test.sh');
  const seconds = Number(opt.seconds || (opt.quick ? 2 : 5));
  const base = Number(process.env.BENCH_PORT || 18400);
  const ports = [base, base + 1];
  const dir = mkdtempSync(join(tmpdir(), 'fangyi-bench-pg-'));
  const pgName = `bench_pg_${process.pid}`;
  const u = new URL(cluster);
  u.pathname = `/${pgName}`;
  const pgDb = u.href;
  const rowsOut = [];
  try {
    const lite = { db: join(dir, 'demo.db') };
    lite.facts = await demo(lite.db);
    const pg = { db: pgDb, facts: await demo(pgDb) };
    const towns = [];
    for (const town of ['a', 'b']) {
      const db = `${pgDb}?town=${town}`;
      towns.push({ db, facts: await demo(db) });
    }
    rowsOut.push(await measure('SQLite, 1 server', [lite], 0, ports, dir, seconds));
    rowsOut.push(await measure('PostgreSQL, 1 server', [pg], 1000000, ports, dir, seconds));
    rowsOut.push(await measure('PostgreSQL, 2 servers', [pg, pg], 2000000, ports, dir, seconds));
    rowsOut.push(await measure('PostgreSQL, 2 towns', towns, 3000000, ports, dir, seconds));
  } finally {
    const admin = new URL(pgDb);
    admin.pathname = '/postgres';
    await sql(admin.href, `DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE);`).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  console.log(`\n== PostgreSQL beside SQLite (the demo town; ${seconds} s each; ` +
    `pass registration ${WRITERS} clients, list read ${READERS})`);
  console.log('configuration            passes/s   p50 ms  p99 ms  acked/stored      list/s   p50 ms  p99 ms');
  for (const r of rowsOut) {
    const lost = r.write.stored < r.write.acked ? ' LOST' : '';
    console.log(`${r.label.padEnd(24)} ${f(r.write.rps).padStart(9)} ${f(r.write.p50, 1).padStart(8)}` +
      ` ${f(r.write.p99, 1).padStart(7)}  ${`${r.write.acked}/${r.write.stored}${lost}`.padEnd(14)}` +
      ` ${f(r.read.rps).padStart(9)} ${f(r.read.p50, 1).padStart(8)} ${f(r.read.p99, 1).padStart(7)}`);
  }
  const out = opt.out === 'bench/results/bench.json' ? 'bench/results/bench-pg.json' : opt.out;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ started_at: new Date().toISOString(),
    machine: await describe(), seconds, rows: rowsOut }, null, 2) + '\n');
  console.log(`written ${out}`);
  if (rowsOut.some((r) => r.write.stored < r.write.acked)) process.exitCode = 1;
}
