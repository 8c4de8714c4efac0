// schema_dialects.test.mjs — one schema, two dialects: every SQLite
// migration has its PostgreSQL twin (src/db/migrations/{sqlite,postgres}),
// and a fresh database of each has the same tables, columns (in order,
// with the same kind of type, NOT NULL and default), primary keys, unique
// constraints, named indexes, foreign keys, number of CHECKs, views and
// triggers (by name; a PostgreSQL trigger calls a function).  The
// comparison needs the PostgreSQL test cluster (make test-e2e-pg); the
// file check runs everywhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, makeDb, PG, ADMIN_PASSWORD } from './harness.mjs';
import { sql } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanups = [];
after(() => { for (const f of cleanups.reverse()) f(); });

test('every migration is written in both dialects', () => {
  const dir = (d) => readdirSync(path.join(root, 'src/db/migrations', d))
    .filter((f) => f.endsWith('.sql')).sort();
  const lite = dir('sqlite');
  const pg = dir('postgres');
  for (const f of lite)
    assert.ok(pg.includes(f), `src/db/migrations/postgres/${f} is missing: write`
      + ` the PostgreSQL dialect of src/db/migrations/sqlite/${f}`);
  for (const f of pg)
    assert.ok(lite.includes(f), `src/db/migrations/sqlite/${f} is missing: a`
      + ` PostgreSQL migration without its SQLite twin (${f})`);
});

// rows of a query as arrays of fields
const rows = (db, q) => {
  const out = sql(db, q);
  return out ? out.split('\n').map((l) => l.split('|')) : [];
};

const TYPE = {
  INTEGER: 'integer', REAL: 'real', TEXT: 'text',
  bigint: 'integer', integer: 'integer', 'double precision': 'real', text: 'text',
};
const DELETE = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

// The schema of a SQLite database file as comparable lines.
function sqliteSchema(db) {
  const tables = `FROM sqlite_master m WHERE m.type = 'table'
    AND m.name NOT LIKE 'sqlite_%'`;
  const lines = [];
  for (const [t, n, c, type, notnull, dflt] of rows(db, `SELECT m.name, p.cid + 1,
      p.name, p.type, p."notnull" OR p.pk > 0, COALESCE(p.dflt_value, '')
      FROM sqlite_master m JOIN pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
      ORDER BY m.name, p.cid`))
    lines.push(`column ${t}.${c} #${n} ${TYPE[type] || type}`
      + ` ${notnull === '1' ? 'not null' : 'null'} default=${dflt}`);
  for (const [t, cols] of rows(db, `SELECT m.name, (SELECT group_concat(name, ',')
      FROM (SELECT name FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk))
      ${tables}`))
    lines.push(`primary key ${t}(${cols})`);
  for (const [t, name, unique, origin, partial, cols] of rows(db, `SELECT m.name,
      il.name, il."unique", il.origin, il.partial, (SELECT group_concat(n, ',')
      FROM (SELECT COALESCE(ii.name, '<expr>') AS n FROM pragma_index_info(il.name) ii
      ORDER BY ii.seqno)) FROM sqlite_master m JOIN pragma_index_list(m.name) il
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)) {
    if (origin === 'u') lines.push(`unique ${t}(${cols})`);
    else if (origin === 'c')
      lines.push(`index ${name} on ${t}(${cols})${unique === '1' ? ' unique' : ''}`
        + `${partial === '1' ? ' partial' : ''}`);
  }
  for (const [t, from, ref, to, del] of rows(db, `SELECT m.name, f."from", f."table",
      f."to", f.on_delete FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`))
    lines.push(`foreign key ${t}.${from} -> ${ref}.${to} on delete ${del}`);
  for (const [t, n] of rows(db, `SELECT m.name, (length(m.sql)
      - length(replace(m.sql, 'CHECK (', ''))) / 7 ${tables}`))
    lines.push(`checks ${t} ${n}`);
  for (const [type, name, t] of rows(db, `SELECT type, name, tbl_name FROM sqlite_master
      WHERE type IN ('view', 'trigger')`))
    lines.push(`${type} ${name} on ${t}`);
  return lines.sort();
}

// The schema of a PostgreSQL database as the same lines.
function pgSchema(db) {
  const lines = [];
  for (const [t, n, c, type, notnull, dflt] of rows(db, `SELECT table_name,
      ordinal_position, column_name, data_type, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END,
      COALESCE(column_default, '') FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN (SELECT table_name
        FROM information_schema.tables WHERE table_schema = current_schema()
        AND table_type = 'BASE TABLE')
      ORDER BY table_name, ordinal_position`))
    lines.push(`column ${t}.${c} #${n} ${TYPE[type] || type}`
      + ` ${notnull === '1' ? 'not null' : 'null'} default=${dflt.replace(/::[a-z ]+$/, '')}`);
  const idx = `FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
      JOIN pg_class t ON t.oid = ix.indrelid
      LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid
        AND con.conrelid = t.oid AND con.contype IN ('p', 'u')
      WHERE t.relnamespace = current_schema()::regnamespace`;
  for (const [t, name, unique, kind, partial, cols] of rows(db, `SELECT t.relname,
      i.relname, CASE WHEN ix.indisunique THEN 1 ELSE 0 END,
      COALESCE(con.contype::text, 'c'), CASE WHEN ix.indpred IS NULL THEN 0 ELSE 1 END,
      (SELECT string_agg(COALESCE(a.attname, '<expr>'), ',' ORDER BY k.n)
       FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
       LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         AND k.attnum > 0) ${idx}`)) {
    if (kind === 'p') lines.push(`primary key ${t}(${cols})`);
    else if (kind === 'u') lines.push(`unique ${t}(${cols})`);
    else
      lines.push(`index ${name} on ${t}(${cols})${unique === '1' ? ' unique' : ''}`
        + `${partial === '1' ? ' partial' : ''}`);
  }
  for (const [t, from, ref, to, del] of rows(db, `SELECT c.conrelid::regclass::text,
      a.attname, c.confrelid::regclass::text, af.attname, c.confdeltype
      FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`))
    lines.push(`foreign key ${t}.${from} -> ${ref}.${to} on delete ${DELETE[del]}`);
  for (const [t, n] of rows(db, `SELECT t.relname, (SELECT count(*) FROM pg_constraint c
      WHERE c.conrelid = t.oid AND c.contype = 'c') FROM pg_class t
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind = 'r'`))
    lines.push(`checks ${t} ${n}`);
  for (const [name] of rows(db, `SELECT table_name FROM information_schema.views
      WHERE table_schema = current_schema()`))
    lines.push(`view ${name} on ${name}`);
  for (const [name, t] of rows(db, `SELECT tgname, tgrelid::regclass::text FROM pg_trigger
      JOIN pg_class c ON c.oid = tgrelid
      WHERE NOT tgisinternal AND c.relnamespace = current_schema()::regnamespace`))
    lines.push(`trigger ${name} on ${t}`);
  return lines.sort();
}

test('a fresh SQLite and a fresh PostgreSQL database have the same schema',
  { skip: PG ? false : 'needs the PostgreSQL test cluster (make test-e2e-pg)' }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fangyi-schema-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const lite = path.join(dir, 'schema.db');
    const r = runCli(['init', lite, '--town', '镇'], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD });
    assert.equal(r.status, 0, r.stderr);
    const pg = makeDb();
    cleanups.push(pg.cleanup);
    const a = sqliteSchema(lite);
    const b = pgSchema(pg.db);
    assert.ok(a.length > 300, `only ${a.length} schema lines read from SQLite`);
    const onlyLite = a.filter((l) => !b.includes(l));
    const onlyPg = b.filter((l) => !a.includes(l));
    assert.deepEqual({ onlyInSqlite: onlyLite, onlyInPostgres: onlyPg },
      { onlyInSqlite: [], onlyInPostgres: [] },
      'the two dialects differ (src/db/migrations/sqlite vs postgres)');
  });

// The tallies (migration 007) round amounts as SQLite's round() does, half
// away from zero, where PostgreSQL's round(double precision) goes to even.
test('tally_round rounds as SQLite rounds',
  { skip: PG ? false : 'needs the PostgreSQL test cluster (make test-e2e-pg)' }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fangyi-round-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const pg = makeDb();
    cleanups.push(pg.cleanup);
    const values = ['0.5', '1.5', '2.5', '-0.5', '-1.5', '-2.5', '1.15 * 10', '12.25 * 10',
      '0.0005 * 1000', '-20.2 * 1000', '4503599627370495.5', '0.49999999999999994'];
    const lite = sql(path.join(dir, 'r.db'), `SELECT ${values
      .map((v) => `CAST(round(${v}) AS INTEGER)`).join(', ')}`);
    const post = sql(pg.db, `SELECT ${values
      .map((v) => `tally_round(CAST(${v} AS double precision))`).join(', ')}`);
    assert.equal(post, lite);
    assert.notEqual(sql(pg.db, 'SELECT round(CAST(2.5 AS double precision))'), '3',
      'PostgreSQL rounds half to even: the test would not tell');
  });
