/* audit.c — the hash-chained audit log (see audit.h). */
#include "audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/secret.h"
#include "../base/validate.h"

static const char GENESIS[] = "0000000000000000000000000000000000000000"
                              "000000000000000000000000";

/* The hash of an entry: sha256 over the previous hash and every field,
 * separated by a byte that cannot occur in UTF-8 text. */
static void entry_hash(const AuditEntry *e, char out[SECRET_HEX_LEN])
{
    Buf b = BUF_INIT;
    buf_printf(&b, "%s\x1f%" PRId64 "\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f"
               "%s\x1f%" PRId64 "\x1f%s\x1f%s",
               e->prev_hash, e->id, e->at, e->actor_id, e->actor, e->action,
               e->entity, e->entity_id, e->summary, e->digest);
    secret_sha256_hex(b.p, b.len, out);
    buf_free(&b);
}

int audit_record(Db *db, const Actor *a, const char *action,
                 const char *entity, int64_t entity_id, const char *summary,
                 const char *before, const char *after, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                 ""))
        return -1;
    int64_t last_id = 0;
    char prev[SECRET_HEX_LEN];
    snprintf(prev, sizeof prev, "%s", GENESIS);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        last_id = db_int(st, 0);
        snprintf(prev, sizeof prev, "%s", db_text(st, 1));
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;

    Buf both = BUF_INIT;
    buf_printf(&both, "%s\n%s", before ? before : "", after ? after : "");
    char digest[SECRET_HEX_LEN], at[21], hash[SECRET_HEX_LEN];
    secret_sha256_hex(both.p, both.len, digest);
    buf_free(&both);
    clock_now_iso(at);
    /* summaries are made with snprintf into their callers' buffers: one
     * cut to fit ends on a whole character (GET /audit answers JSON) */
    Buf sum = BUF_INIT;
    buf_puts(&sum, summary ? summary : "");
    utf8_trim_tail(sum.p);

    AuditEntry e = {.id = last_id + 1, .entity_id = entity_id,
                    .actor_id = a->id, .at = at, .actor = a->username,
                    .action = action, .entity = entity,
                    .summary = sum.p, .digest = digest, .prev_hash = prev};
    entry_hash(&e, hash);
    rc = db_run(db, err,
                "INSERT INTO audit_log (id, at, actor_id, actor, action,"
                " entity, entity_id, summary, digest, prev_hash, hash)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                "ititttitttt",
                e.id, at, a->id, a->username, action, entity, entity_id,
                e.summary, digest, prev, hash);
    buf_free(&sum);
    return rc;
}

/* Fill e from a row of: id, at, actor_id, actor, action, entity,
 * entity_id, summary, digest, prev_hash, hash. */
static void entry_from_row(DbStmt *st, AuditEntry *e)
{
    e->id = db_int(st, 0);
    e->at = db_text(st, 1);
    e->actor_id = db_int(st, 2);
    e->actor = db_text(st, 3);
    e->action = db_text(st, 4);
    e->entity = db_text(st, 5);
    e->entity_id = db_int(st, 6);
    e->summary = db_text(st, 7);
    e->digest = db_text(st, 8);
    e->prev_hash = db_text(st, 9);
    e->hash = db_text(st, 10);
}

#define AUDIT_COLS "id, at, actor_id, actor, action, entity, entity_id," \
                   " summary, digest, prev_hash, hash"

int audit_verify(Db *db, int64_t *broken_at, int64_t *entries, Err *err)
{
    *broken_at = 0;
    *entries = 0;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " AUDIT_COLS " FROM audit_log ORDER BY id", ""))
        return -1;
    char prev[SECRET_HEX_LEN], hash[SECRET_HEX_LEN];
    snprintf(prev, sizeof prev, "%s", GENESIS);
    int64_t expect_id = 0;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        AuditEntry e;
        entry_from_row(st, &e);
        (*entries)++;
        if (*broken_at)
            continue;
        entry_hash(&e, hash);
        /* a deleted row shows as a gap in ids or a prev_hash mismatch */
        if (e.id != expect_id + 1 || strcmp(e.prev_hash, prev) != 0 ||
            strcmp(e.hash, hash) != 0)
            *broken_at = e.id;
        expect_id = e.id;
        snprintf(prev, sizeof prev, "%s", e.hash ? e.hash : "");
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int audit_list(Db *db, const AuditFilter *f,
               int (*each)(void *ctx, const AuditEntry *e), void *ctx,
               Err *err)
{
    DbStmt *st;
    int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;
    if (db_query(db, &st, err,
                 "SELECT " AUDIT_COLS " FROM audit_log WHERE id < ?1"
                 " AND (?2 IS NULL OR entity = ?2)"
                 " AND (?3 IS NULL OR actor = ?3)"
                 " ORDER BY id DESC LIMIT ?4",
                 "itti", before, f->entity, f->actor, (int64_t)f->limit))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        AuditEntry e;
        entry_from_row(st, &e);
        if (each(ctx, &e))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}
