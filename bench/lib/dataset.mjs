// dataset.mjs — the database a run measures: a deterministic town,
// county or city made by bench/gen-scale.sh, and what the benchmarks need
// to know about it (its points, villages and a spread of people).
import { run, sql } from './proc.mjs';
import { ADMIN_PASSWORD } from './fangyi.mjs';

export const SCALES = {
  town: 30000,
  county: 1000000,
  city: 10000000,
};

// make(scale, db, seed) → {db, people, seconds}: generates the dataset.
export async function make(scale, db, seed = 1) {
  if (!SCALES[scale]) throw new Error(`unknown scale ${scale} (town, county or city)`);
  const t0 = Date.now();
  await run('bench/gen-scale.sh', [scale, db, String(seed)],
    { env: { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const people = Number(await sql(db, 'SELECT count(*) FROM people;'));
  return { db, people, seconds: (Date.now() - t0) / 1000 };
}

// facts(db) → {points, villages, personIds}: ids for the load scripts
// (active points and villages, and 2,000 people spread over the register)
export async function facts(db) {
  const list = async (q) => (await sql(db, q)).split('\n').filter(Boolean);
  const points = await list("SELECT id FROM places WHERE type = 'point' AND active = 1 ORDER BY id;");
  const villages = await list("SELECT id FROM places WHERE type = 'village' ORDER BY id;");
  const n = Number(await sql(db, 'SELECT max(id) FROM people;')) || 1;
  const step = Math.max(1, Math.floor(n / 2000));
  const personIds = await list(`SELECT id FROM people WHERE id % ${step} = 0
    AND merged_into IS NULL ORDER BY id LIMIT 2000;`);
  return { points, villages, personIds };
}
