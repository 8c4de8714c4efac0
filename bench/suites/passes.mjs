// passes.mjs — checkpoint pass registration, the write-heaviest route:
// POST /api/v1/passes, a car with two people per request (one admitted,
// one a new returnee handed over to a village's register with a travel,
// every 50th a fever sent to the clinic and an alert opened, an audit
// entry; wrk/write_passes.lua), 64 clients, against (a) the raw storage
// ceiling inserting the same pass and pass_people rows and (b) the same
// route written with Express and better-sqlite3.  Each system registers
// its own people (BENCH_SERIAL) on the same database.
import { sql } from '../lib/proc.mjs';
import { express, raw } from '../lib/baselines.mjs';

export const name = 'passes';
const CLIENTS = 64;

export async function run(ctx) {
  const env = (serial) => ({
    FANGYI_TOKEN: ctx.token, BENCH_SERIAL: String(serial),
    FANGYI_POINTS: ctx.facts.points.join(','), FANGYI_VILLAGES: ctx.facts.villages.join(','),
  });
  const o = { script: 'bench/wrk/write_passes.lua', conns: CLIENTS, warmup: 0 };
  const count = async () => Number(await sql(ctx.db, 'SELECT count(*) FROM passes;'));
  // url, serial → the run's figures and the passes it stored, after a
  // warm-up second that is not counted
  const measure = async (url, serial) => {
    await ctx.load({ ...o, url, env: env(serial + 500000), seconds: 1 });
    const c0 = await count();
    const w = await ctx.load({ ...o, url, env: env(serial) });
    return { ...w, stored: await count() - c0, acked: w.requests - w.non2xx };
  };
  const f = await measure(ctx.base, 0);
  const r = await measure(await raw(ctx), 1000000);
  const e = await measure(await express(ctx), 2000000);
  // every acknowledged pass must be in the database: answers come after
  // the commit (more may be stored: wrk stops with requests in flight)
  const { acked, stored } = f;
  const common = {
    unit: 'req/s', fangyi: f.rps, p50_ms: f.p50, p99_ms: f.p99, clients: CLIENTS,
    note: `${acked} acknowledged, ${stored} stored${stored < acked ? ' (LOST WRITES)' : ''}`,
  };
  ctx.add({
    id: 'pass_vs_raw', name: 'pass registration vs raw', ...common,
    baseline: r.rps, baseline_name: 'raw storage', min_ratio: 0.5,
    baseline_p50_ms: r.p50, baseline_p99_ms: r.p99, errors: f.non2xx + f.errors,
  });
  ctx.add({
    id: 'pass_vs_express', name: 'pass registration vs Express', ...common,
    baseline: e.rps, baseline_name: 'Express', min_ratio: 2, max_p99_ms: 20,
    baseline_p50_ms: e.p50, baseline_p99_ms: e.p99,
    errors: f.non2xx + f.errors + e.non2xx + e.errors,
  });
}
