// checks.mjs — check entry: POST /api/v1/measures/{id}/checks, every
// request a slot not filled before (today's evening first, then the other
// slots of the last seven days; wrk/write_checks.lua), 64 clients,
// against the raw storage ceiling inserting the same check row, on the
// people lib/fixture.mjs puts under home isolation (seven days of two
// slots: 140,000 free slots for each system): the first half of them
// take fangyi's checks, the second half raw_store's.
import { readFileSync } from 'node:fs';
import { sql } from '../lib/proc.mjs';
import { raw } from '../lib/baselines.mjs';
import { homeIsolation, measureFile, townDay, DAYS } from '../lib/fixture.mjs';

export const name = 'checks';
const CLIENTS = 64;

// one system's run → {rps, created, refused, p50, p99}
async function measure(ctx, url, file) {
  const r = await ctx.load({
    url, script: 'bench/wrk/write_checks.lua', conns: CLIENTS, warmup: 0,
    env: { FANGYI_TOKEN: ctx.token, BENCH_MEASURES: file,
      FANGYI_DAYS: Array.from({ length: DAYS }, (_, i) => townDay(i)).join(',') },
  });
  const m = /CHECKS created=(\d+) refused=(\d+) seconds=([\d.]+) p50_us=(\d+) p99_us=(\d+)/
    .exec(r.out);
  if (!m) throw new Error(`no CHECKS line from wrk:\n${r.out}`);
  const [created, refused, secs, p50, p99] = m.slice(1).map(Number);
  // wrk divides by its whole time, also after the slots ran out
  const measures = readFileSync(file, 'utf8').split('\n').length - 1;
  if (created + refused >= measures * DAYS * 2 * 0.99) {
    console.warn(`   warning: ${url} used up its slots: its rate is understated`);
  }
  return { rps: Math.round(created / secs * 100) / 100, created, refused,
    p50: p50 / 1000, p99: p99 / 1000, errors: r.errors };
}

export async function run(ctx) {
  const { measures } = await homeIsolation(ctx);
  const half = Math.floor(measures.length / 2);
  const files = [measureFile(ctx, measures.slice(0, half), 'measures.fangyi'),
    measureFile(ctx, measures.slice(half), 'measures.raw')];
  const count = async () => Number(await sql(ctx.db, 'SELECT count(*) FROM checks;'));
  const c0 = await count();
  const f = await measure(ctx, ctx.base, files[0]);
  const stored = await count() - c0;
  const b = await measure(ctx, await raw(ctx), files[1]);
  ctx.add({
    id: 'check_entry', name: 'check entry (new slot each)', unit: 'req/s',
    fangyi: f.rps, baseline: b.rps, baseline_name: 'raw storage', p50_ms: f.p50,
    p99_ms: f.p99, baseline_p50_ms: b.p50, baseline_p99_ms: b.p99, clients: CLIENTS,
    errors: f.refused + f.errors,
    note: `${f.created} checks acknowledged, ${stored} stored, ${f.refused} refused`,
  });
}
