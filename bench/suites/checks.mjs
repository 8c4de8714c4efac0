// checks.mjs — check entry: POST /api/v1/measures/{id}/checks, every
// request a slot not filled before (today's evening first, then the other
// slots of the last seven days; wrk/write_checks.lua), 64 clients,
// against the raw storage ceiling inserting the same check row.  For it
// the run puts 20,000 people under home isolation that began six days ago
// (140,000 free slots each); the first half of them take fangyi's checks,
// the second half raw_store's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '../lib/proc.mjs';
import { raw } from '../lib/baselines.mjs';

export const name = 'checks';
const PEOPLE = 20000;
const DAYS = 7;
const CLIENTS = 64;

// the town's day (Asia/Shanghai) n days before today
const townDay = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3)
  .toISOString().slice(0, 10);

async function fixture(ctx) {
  const basis = townDay(DAYS - 1);
  const before = Number(await sql(ctx.db, 'SELECT coalesce(max(id), 0) FROM measures;'));
  await sql(ctx.db, `BEGIN;
INSERT INTO measures (person_id, type, basis, basis_date, period_days,
                      slots_per_day, status, created_by, created_at)
SELECT id, 'home_isolation', 'departure', '${basis}', 14, 2, 'active', 1,
       '${basis}T00:00:00Z' FROM people p
WHERE merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM measures m
      WHERE m.person_id = p.id AND m.status = 'active')
ORDER BY id LIMIT ${PEOPLE};
INSERT INTO measure_events (measure_id, at, actor, action)
SELECT id, created_at, 'admin', 'start' FROM measures WHERE id > ${before};
COMMIT;`);
  const ids = (await sql(ctx.db, `SELECT id FROM measures WHERE id > ${before} ORDER BY id;`))
    .split('\n').filter(Boolean);
  const half = Math.floor(ids.length / 2);
  const files = [ids.slice(0, half), ids.slice(half)].map((part, i) => {
    const f = join(ctx.dir, `measures.${i}`);
    writeFileSync(f, part.join('\n') + '\n');
    return f;
  });
  return { files, count: ids.length };
}

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
  const fx = await fixture(ctx);
  if (fx.count < 2) throw new Error('no people to put under home isolation');
  const count = async () => Number(await sql(ctx.db, 'SELECT count(*) FROM checks;'));
  const c0 = await count();
  const f = await measure(ctx, ctx.base, fx.files[0]);
  const stored = await count() - c0;
  const b = await measure(ctx, await raw(ctx), fx.files[1]);
  ctx.add({
    id: 'check_entry', name: 'check entry (new slot each)', unit: 'req/s',
    fangyi: f.rps, baseline: b.rps, baseline_name: 'raw storage', p50_ms: f.p50,
    p99_ms: f.p99, baseline_p50_ms: b.p50, baseline_p99_ms: b.p99, clients: CLIENTS,
    errors: f.refused + f.errors,
    note: `${f.created} checks acknowledged, ${stored} stored, ${f.refused} refused`,
  });
}
