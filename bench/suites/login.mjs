// login.mjs — signing in: POST /api/v1/login (an argon2id password check
// and a new session) with 4 clients, against the floor of that work: the
// same password check in C with fangyi's parameters on two threads
// (raw_store pwhash), as many per second as the cores do.
import { run as exec } from '../lib/proc.mjs';
import { ADMIN_PASSWORD } from '../lib/fangyi.mjs';

export const name = 'login';

export async function run(ctx) {
  const f = await ctx.load({
    url: ctx.base, script: 'bench/wrk/login.lua', conns: 4,
    // a login takes tens of ms of two cores: enough of them for a p99
    seconds: Math.max(ctx.seconds, 4),
    env: { BENCH_USER: 'admin', BENCH_PASSWORD: ADMIN_PASSWORD },
  });
  // as many checks as fangyi did in the run, so both take about as long
  const n = Math.max(10, Math.round(f.rps * ctx.seconds));
  const raw = JSON.parse((await exec('build/release/bench/raw_store',
    ['pwhash', String(n)])).stdout);
  ctx.add({
    id: 'login', name: 'POST /api/v1/login', unit: 'req/s', fangyi: f.rps,
    baseline: raw.per_second, baseline_name: 'argon2id in C', p50_ms: f.p50,
    p99_ms: f.p99, clients: 4, errors: f.non2xx + f.errors,
  });
}
