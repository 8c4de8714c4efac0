// people.mjs — reading the register: a page of 50 people with a filter
// (one village, GET /api/v1/people?limit=50&village_id=V, the villages
// in turn) and a person's page (GET /api/v1/people/{id}, 2,000 people
// spread over the register), 16 clients, against the same routes written
// with Express and better-sqlite3 on the same file.
import { express } from '../lib/baselines.mjs';

export const name = 'people';
const CLIENTS = 16;

export async function run(ctx) {
  const ex = await express(ctx);
  const env = { FANGYI_TOKEN: ctx.token };
  for (const [id, label, path, ids] of [
    ['people_list', 'list: 50 people of a village', '/api/v1/people?limit=50&village_id={id}',
      ctx.facts.villages],
    ['person_page', "a person's page", '/api/v1/people/{id}', ctx.facts.personIds],
  ]) {
    const o = { script: 'bench/wrk/get.lua', conns: CLIENTS,
      env: { ...env, BENCH_PATH: path, BENCH_IDS: ids.join(',') } };
    const f = await ctx.load({ ...o, url: ctx.base });
    const b = await ctx.load({ ...o, url: ex });
    ctx.add({
      id, name: label, unit: 'req/s', fangyi: f.rps, baseline: b.rps,
      baseline_name: 'Express', min_ratio: 3, max_p99_ms: 20, p50_ms: f.p50,
      p99_ms: f.p99, baseline_p50_ms: b.p50, baseline_p99_ms: b.p99,
      clients: CLIENTS, errors: f.non2xx + f.errors + b.non2xx + b.errors,
    });
  }
}
