// audit_chain.mjs — the audit log's hash chain written out independently
// of the C code (src/domain/audit.c, docs/purge.md "How the audit log
// stays verifiable"), to make a database look like one whose first
// entries were written before migration 009 (format 1), as an old town's
// database is after upgrading.  On SQLite or PostgreSQL alike.
import { createHash } from 'node:crypto';
import { rows, sql as runSql } from './lib.mjs';

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
// summarySha: what a format-2 entry keeps of its summary.
export const summarySha = (salt, summary) => sha256(`${salt}\x1f${summary}`);
const GENESIS = '0'.repeat(64);

// auditHash: the hash of entry e (a row of audit_log) after prev.
// Format 1 covers the summary, format 2 (summary_sha256 set) the SHA-256
// of a salt and the summary (summarySha).
export function auditHash(e, prev) {
  const fields = [prev, e.id, e.at, e.actor_id ?? 0, e.actor, e.action, e.entity,
    e.entity_id ?? 0, e.summary_sha256 ?? e.summary, e.digest];
  return sha256((e.summary_sha256 ? 'v2\x1f' : '') + fields.join('\x1f'));
}

const quote = (s) => (s === null ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

// makeOld rewrites the chain of db (no server on it) as if entries
// 1..lastOld had been written in format 1: their summary_sha256 and salt go,
// and every hash from the first one on is computed again.
export function makeOld(db, lastOld) {
  const entries = rows(db, 'SELECT * FROM audit_log ORDER BY id');
  let prev = GENESIS;
  const sql = ['BEGIN;'];
  for (const e of entries) {
    if (e.id <= lastOld) e.summary_sha256 = e.summary_salt = null;
    const hash = auditHash(e, prev);
    sql.push(`UPDATE audit_log SET summary_sha256 = ${quote(e.summary_sha256)},`
      + ` summary_salt = ${quote(e.summary_salt)},`
      + ` prev_hash = ${quote(prev)}, hash = ${quote(hash)} WHERE id = ${e.id};`);
    prev = hash;
  }
  sql.push('COMMIT;');
  runSql(db, sql.join('\n'));
}

// makePre009 turns db (no server on it) into the database an older fangyi
// wrote: every entry in format 1, the columns of migration 009 gone and
// the migration not recorded.
export function makePre009(db) {
  makeOld(db, Infinity);
  runSql(db, `BEGIN;
DROP INDEX audit_by_clearer;
${['summary_sha256', 'summary_salt', 'redacted_at', 'redacted_by', 'cleared_ids']
    .map((c) => `ALTER TABLE audit_log DROP COLUMN ${c};`).join('\n')}
DELETE FROM schema_version WHERE name = '009_audit_clear.sql';
COMMIT;`);
}
