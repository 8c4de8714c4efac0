/* audit.h — the audit log: who changed what, when, chained by hash.
 *
 * Each entry's hash covers the previous entry's hash and this entry's
 * fields, so editing or deleting a row in the database breaks the chain
 * at that row, which audit_verify finds. */
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

typedef struct AuditEntry {
    int64_t id, entity_id, actor_id;
    const char *at, *actor, *action, *entity, *summary, *digest, *prev_hash,
        *hash;
} AuditEntry;

/* audit_verify walks the chain; *broken_at is 0 when it holds, else the
 * id of the first entry that does not.  *entries counts the entries. */
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
