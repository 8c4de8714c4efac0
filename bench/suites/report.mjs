// report.mjs — the daily report of the dataset's report day (2020-02-10,
// the last day of bench/gen-scale.sh's history), town-wide, GET
// /api/v1/reports/daily?date=D with one client (the latency the leader
// sees), against the report's own queries run directly in the sqlite3
// shell on the same file (bench/report-raw.sql, shared with
// bench/report.sh).
import { existsSync, readFileSync } from 'node:fs';
import * as fangyi from '../lib/fangyi.mjs';
import { sqlMs } from '../lib/proc.mjs';

export const name = 'report';
export const DAY = '2020-02-10';
const RAW = 'bench/report-raw.sql';

// report-raw.sql with its day filled in: @D@, the day's UTC bounds in the
// town's zone (Asia/Shanghai, UTC+8) and the day 59 days on
function rawSql(day) {
  const t = Date.parse(`${day}T00:00:00Z`);
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return readFileSync(RAW, 'utf8')
    .replaceAll('@D@', day)
    .replaceAll('@FROM@', iso(t - 8 * 3600e3))
    .replaceAll('@TO@', iso(t + 16 * 3600e3))
    .replaceAll('@LAST@', iso(t + 59 * 86400e3).slice(0, 10));
}

export async function run(ctx) {
  const path = `/api/v1/reports/daily?date=${DAY}`;
  const body = await fangyi.get(ctx.base, path, ctx.token);
  if (body.date !== DAY) throw new Error(`no report of ${DAY}: ${JSON.stringify(body).slice(0, 200)}`);
  const f = await ctx.load({ url: ctx.base, script: 'bench/wrk/get.lua', conns: 1, threads: 1,
    env: { FANGYI_TOKEN: ctx.token, BENCH_PATH: path } });
  // the raw queries come with the report's code (bench/report-raw.sql);
  // without them the row has fangyi's figure alone
  let raw = null;
  if (existsSync(RAW)) {
    const text = rawSql(DAY);
    await sqlMs(ctx.db, text, 1); // warm the page cache as wrk's warm-up did
    const reps = Math.max(3, Math.min(100, Math.round(2000 / Math.max(f.p50, 1))));
    raw = Math.round(await sqlMs(ctx.db, text, reps) * 100) / 100;
  }
  ctx.add({
    id: 'report', name: `daily report (${DAY}, town-wide)`, unit: 'ms', fangyi: f.p50,
    baseline: raw, baseline_name: 'sqlite3 shell', min_ratio: 0.5,
    max_p99_ms: ctx.scale === 'county' ? 200 : undefined, p50_ms: f.p50, p99_ms: f.p99,
    clients: 1, rps: f.rps, errors: f.non2xx + f.errors,
    note: raw == null ? `no ${RAW}: no raw SQL baseline` : undefined,
  });
}
