// fixture.mjs — what the observation benchmarks add to the dataset, once
// per scale: 20,000 people under home isolation that began six days ago
// (the dataset's own measures ended in 2020; these are people with no
// measure and no medical worker yet), and a medical worker, benchmed,
// whose round is 2,000 of them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, sql } from './proc.mjs';
import { ADMIN_PASSWORD } from './fangyi.mjs';

export const PEOPLE = 20000;
export const DAYS = 7;
export const ROUND = 2000;

// the town's day (Asia/Shanghai) n days before today
export const townDay = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3)
  .toISOString().slice(0, 10);

// homeIsolation(ctx) → {measures: [ids], medical: 'benchmed'}
export function homeIsolation(ctx) {
  ctx.fixture ??= make(ctx);
  return ctx.fixture;
}

async function make(ctx) {
  const basis = townDay(DAYS - 1);
  const before = Number(await sql(ctx.db, 'SELECT coalesce(max(id), 0) FROM measures;'));
  await run('./fangyi', ['user', 'add', ctx.db, 'benchmed', '--role', 'medical'],
    { env: { FANGYI_PASSWORD: ADMIN_PASSWORD } });
  await sql(ctx.db, `BEGIN;
INSERT INTO measures (person_id, type, basis, basis_date, period_days,
                      slots_per_day, status, created_by, created_at)
SELECT id, 'home_isolation', 'departure', '${basis}', 14, 2, 'active', 1,
       '${basis}T00:00:00Z' FROM people p
WHERE merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM measures m
      WHERE m.person_id = p.id AND m.status = 'active')
  AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = p.id
      AND a.role = 'medical')
ORDER BY id LIMIT ${PEOPLE};
INSERT INTO measure_events (measure_id, at, actor, action)
SELECT id, created_at, 'admin', 'start' FROM measures WHERE id > ${before};
INSERT INTO assignments (person_id, role, account_id, assigned_at)
SELECT person_id, 'medical', (SELECT id FROM accounts WHERE username = 'benchmed'),
       created_at FROM measures WHERE id > ${before} ORDER BY id LIMIT ${ROUND};
COMMIT;`);
  const measures = (await sql(ctx.db, `SELECT id FROM measures WHERE id > ${before} ORDER BY id;`))
    .split('\n').filter(Boolean);
  if (measures.length < 2) throw new Error('no people to put under home isolation');
  return { measures, medical: 'benchmed' };
}

// measureFile(ctx, ids, name) → a file of measure ids for write_checks.lua
export function measureFile(ctx, ids, name) {
  const f = join(ctx.dir, name);
  writeFileSync(f, ids.join('\n') + '\n');
  return f;
}
