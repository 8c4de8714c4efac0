// observation.mjs — the two reads of home observation, each with one
// client (the latency one user sees) against the same statements run
// directly in the sqlite3 shell on the same file:
//   a medical worker's round, GET /api/v1/round (2,000 people of
//   lib/fixture.mjs, today's slots), and
//   the town's board, GET /api/v1/board (per village: under observation,
//   checks due, done and missed today, open fevers).
import { sql, sqlMs } from '../lib/proc.mjs';
import * as fangyi from '../lib/fangyi.mjs';
import { homeIsolation, townDay, ROUND } from '../lib/fixture.mjs';

export const name = 'observation';

// the statements of round_list (src/domain/checks.c) and board_rows
// (src/domain/alerts.c), with their parameters filled in
const roundSql = (account, day) => `SELECT p.id, m.id, p.name, p.address, v.name,
 g.name, m.type, p.phone, m.basis_date, m.period_days, m.slots_per_day,
 (SELECT temperature FROM checks c WHERE c.measure_id = m.id AND c.day = '${day}' AND c.slot = 1),
 (SELECT temperature FROM checks c WHERE c.measure_id = m.id AND c.day = '${day}' AND c.slot = 2),
 EXISTS (SELECT 1 FROM alerts x WHERE x.person_id = p.id AND x.kind = 'fever' AND x.closed = 0),
 p.village_id
 FROM measures m JOIN people p ON p.id = m.person_id
 JOIN places v ON v.id = p.village_id LEFT JOIN places g ON g.id = p.grid_id
 WHERE m.status = 'active' AND m.basis_date <= '${day}'
 AND m.person_id IN (SELECT person_id FROM assignments WHERE account_id = ${account})
 ORDER BY v.id, g.id, p.address, p.name;`;
const boardSql = (day) => `SELECT id, name FROM places WHERE type = 'village' AND active = 1 ORDER BY id;
SELECT p.village_id, m.basis_date, m.period_days, m.slots_per_day,
 EXISTS (SELECT 1 FROM checks c WHERE c.measure_id = m.id AND c.day = '${day}' AND c.slot = 1),
 EXISTS (SELECT 1 FROM checks c WHERE c.measure_id = m.id AND c.day = '${day}' AND c.slot = 2)
 FROM measures m JOIN people p ON p.id = m.person_id
 WHERE m.status = 'active' AND m.basis_date <= '${day}';
SELECT village_id, count(*) FROM alerts WHERE kind = 'fever' AND closed = 0 GROUP BY village_id;`;

export async function run(ctx) {
  const fx = await homeIsolation(ctx);
  const account = await sql(ctx.db, `SELECT id FROM accounts WHERE username = '${fx.medical}';`);
  const medToken = await fangyi.token(ctx.base, fx.medical);
  const round = await fangyi.get(ctx.base, '/api/v1/round', medToken);
  const items = round.items ?? round;
  if (items.length !== ROUND) {
    throw new Error(`the round lists ${items.length} people, the assignments ${ROUND}`);
  }
  const day = townDay(0);
  for (const [id, label, path, tok, text] of [
    ['round', `a medical worker's round (${ROUND} people)`, '/api/v1/round', medToken,
      roundSql(account, day)],
    ['board', 'the board (every village)', '/api/v1/board', ctx.token, boardSql(day)],
  ]) {
    const f = await ctx.load({ url: ctx.base, script: 'bench/wrk/get.lua', conns: 1, threads: 1,
      env: { FANGYI_TOKEN: tok, BENCH_PATH: path } });
    const reps = Math.max(5, Math.min(200, Math.round(1000 / Math.max(f.p50, 1))));
    const rawMs = await sqlMs(ctx.db, text, reps);
    ctx.add({
      id, name: label, unit: 'ms', fangyi: f.p50, baseline: Math.round(rawMs * 1000) / 1000,
      baseline_name: 'sqlite3 shell', p50_ms: f.p50, p99_ms: f.p99, clients: 1,
      rps: f.rps, errors: f.non2xx + f.errors,
    });
  }
}
