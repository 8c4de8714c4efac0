// files.mjs — the register in and out as files, 100,000 rows each way,
// in a town of its own (demo/places.csv) so the figures do not depend on
// the scale:
//   CSV import: `fangyi import DB people FILE` (every row validated,
//     normalised, deduplicated, audited; bench/gen-people-csv.mjs makes
//     the file) against `sqlite3 .import` of the same file into a plain
//     table with the same durability (WAL, synchronous=FULL);
//   XLSX export: `fangyi export DB people --format xlsx`, its time against
//     the sqlite3 shell writing the same rows as CSV, and its peak memory
//     against the same export of 10,000 rows (independent of the rows:
//     a ratio near 1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as exec, measured, sql } from '../lib/proc.mjs';
import { ADMIN_PASSWORD } from '../lib/fangyi.mjs';

export const name = 'files';
const ROWS = 100000;
const SMALL = 10000;

// a fresh town with the demo's places and nobody in its register
async function town(path) {
  await exec('./fangyi', ['init', path, '--town', '基准镇'],
    { env: { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  await exec('./fangyi', ['import', path, 'places', 'demo/places.csv']);
}

async function csv(ctx, rows, villages) {
  const file = join(ctx.dir, `people-${rows}.csv`);
  const r = await exec('node', ['bench/gen-people-csv.mjs', String(rows), villages]);
  writeFileSync(file, r.stdout);
  return file;
}

const EXPORT_SQL = `SELECT p.id, p.name, p.id_number, p.id_flag, p.sex, p.birth_date,
 p.phone, p.village_id, p.grid_id, v.name, g.name, p.address, p.notes, p.is_case,
 p.kind, p.measure, p.period_days, p.screening, p.merged_into, p.created_at,
 p.updated_at, t.origin_code, t.origin_text, t.return_date, t.risk_level
 FROM people p JOIN places v ON v.id = p.village_id
 LEFT JOIN places g ON g.id = p.grid_id
 LEFT JOIN travels t ON t.id = (SELECT max(id) FROM travels WHERE person_id = p.id)
 WHERE p.merged_into IS NULL ORDER BY p.id DESC;`;

export async function run(ctx) {
  const big = join(ctx.dir, 'import.db');
  await town(big);
  const villages = await sql(big, "SELECT group_concat(name) FROM places WHERE type = 'village';");
  const file = await csv(ctx, ROWS, villages);

  // ---- import
  const imp = await measured('./fangyi', ['import', big, 'people', file]);
  const got = Number(await sql(big, 'SELECT count(*) FROM people;'));
  if (got !== ROWS) throw new Error(`fangyi imported ${got} of ${ROWS} rows`);
  const plain = join(ctx.dir, 'plain.db');
  const cols = Array.from({ length: 17 }, (_, i) => `c${i} TEXT`).join(', ');
  await sql(plain, `PRAGMA journal_mode=WAL; CREATE TABLE people_csv (${cols});`);
  const base = await measured('sqlite3', [plain, 'PRAGMA synchronous=FULL;',
    `.import --csv --skip 1 ${file} people_csv`]);
  ctx.add({
    id: 'import', name: `CSV import, ${ROWS.toLocaleString('en-US')} rows`,
    unit: 'rows/s', fangyi: Math.round(ROWS / imp.seconds),
    baseline: Math.round(ROWS / base.seconds), baseline_name: 'sqlite3 .import',
    min_ratio: 0.3, seconds: imp.seconds, baseline_seconds: base.seconds,
    peak_mb: Math.round(imp.peakKB / 1024),
  });

  // ---- export: time, then peak memory against 10,000 rows
  const xlsx = join(ctx.dir, 'people.xlsx');
  const exp = await measured('./fangyi', ['export', big, 'people', '--format', 'xlsx',
    '--out', xlsx]);
  const dump = await measured('sqlite3', ['-csv', big, `.once ${join(ctx.dir, 'dump.csv')}`,
    EXPORT_SQL]);
  ctx.add({
    id: 'export_time', name: `XLSX export, ${ROWS.toLocaleString('en-US')} rows`,
    unit: 's', fangyi: exp.seconds, baseline: dump.seconds, baseline_name: 'sqlite3 -csv',
    peak_mb: Math.round(exp.peakKB / 1024),
  });
  const small = join(ctx.dir, 'small.db');
  await town(small);
  await exec('./fangyi', ['import', small, 'people', await csv(ctx, SMALL, villages)]);
  const exp10 = await measured('./fangyi', ['export', small, 'people', '--format', 'xlsx',
    '--out', join(ctx.dir, 'small.xlsx')]);
  ctx.add({
    id: 'export_memory', name: `XLSX export peak memory, ${ROWS.toLocaleString('en-US')} rows`,
    unit: 'MB', fangyi: Math.round(exp.peakKB / 102.4) / 10,
    baseline: Math.round(exp10.peakKB / 102.4) / 10,
    baseline_name: `at ${SMALL.toLocaleString('en-US')} rows`, min_ratio: 0.9,
  });
}
