/* audit.h — the audit log: who changed what, when, chained by hash.
 *
 * Each entry's hash covers the previous entry's hash and this entry's
 * fields, so editing or deleting a row in the database breaks the chain
 * at that row, which audit_verify finds.
 *
 * Two formats (migration 009).  Format 1, the entries written before it:
 * the hash covers the summary text, which can therefore never change.
 * Format 2, every entry since (summary_sha256 set): the hash covers the
 * SHA-256 of a random salt and the summary instead, so the text can be
 * cleared (fangyi purge, docs/purge.md) while the chain still holds.  A
 * format-2 summary is either its own text (salt and text must give that
 * SHA-256) or, once cleared, AUDIT_CLEARED with the salt gone (so the
 * SHA-256 left confirms no guessed name) and redacted_at/redacted_by
 * naming the later entry that cleared it, which lists the ids it cleared
 * (cleared_ids, covered by its digest): so an entry cleared behind the
 * program's back, or a summary changed to any other text, breaks the
 * chain like any other edit. */
#ifndef FANGYI_AUDIT_H
#define FANGYI_AUDIT_H

#include <stdint.h>

#include "../db/db.h"
#include "actor.h"

/* audit_record appends an entry inside the caller's transaction (on the
 * writer's connection).  before/after are JSON texts (or NULL) of the
 * record; only their digest is kept.  Returns 0 or -1 with err. */
int audit_record(Db *db, const Actor *a, const char *action,
                 const char *entity, int64_t entity_id, const char *summary,
                 const char *before, const char *after, Err *err);

/* The summary of a cleared entry. */
#define AUDIT_CLEARED "（已清除）"

typedef struct AuditEntry {
    int64_t id, entity_id, actor_id;
    const char *at, *actor, *action, *entity, *summary, *digest, *prev_hash,
        *hash;
    const char *summary_sha256; /* of salt and summary; NULL: format 1 */
    const char *summary_salt;   /* random; NULL once cleared */
    const char *redacted_at;    /* NULL unless cleared */
    int64_t redacted_by;        /* the entry that cleared it, or 0 */
    const char *cleared_ids;    /* of a clearing entry: "[3,17]", or NULL */
} AuditEntry;

/* audit_clearable counts the entries among those ids_sql selects (a
 * constant SELECT of one column of audit_log ids, run as a subquery)
 * that still hold a summary: *clearable those audit_clear would clear
 * (format 2, not cleared yet), *kept those it cannot (format 1).
 * Returns 0 or -1 with err. */
int audit_clearable(Db *db, const char *ids_sql, long *clearable,
                    long *kept, Err *err);

/* audit_clear, inside the caller's transaction, appends one entry
 * (action, entity, entity id 0, summary: say what and how many, never
 * the text) and clears the summaries audit_clearable counts as
 * clearable: each becomes AUDIT_CLEARED, with redacted_at the new entry's
 * time and redacted_by its id; the new entry lists their ids in its
 * cleared_ids, which its digest covers.  *cleared gets how many.
 * Returns 0 or -1. */
int audit_clear(Db *db, const Actor *a, const char *action,
                const char *entity, const char *summary,
                const char *ids_sql, long *cleared, Err *err);

/* audit_verify walks the chain; *broken_at is 0 when it holds, else the
 * id of the first entry that does not (its hash, its link to the one
 * before, its summary against summary_sha256, or its clearing).
 * *entries counts the entries. */
int audit_verify(Db *db, int64_t *broken_at, int64_t *entries, Err *err);

typedef struct AuditFilter {
    const char *entity;   /* or NULL */
    const char *actor;    /* or NULL */
    int64_t before_id;    /* cursor: entries with id < this; 0 = newest */
    int limit;
} AuditFilter;

/* audit_list calls each() for entries newest first (fields valid during
 * the call only).  Returns 0, or -1 with err. */
int audit_list(Db *db, const AuditFilter *f,
               int (*each)(void *ctx, const AuditEntry *e), void *ctx,
               Err *err);

#endif
