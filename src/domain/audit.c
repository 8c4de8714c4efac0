/* audit.c — the hash-chained audit log (see audit.h). */
#include "audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/secret.h"
#include "../base/validate.h"

static const char GENESIS[] = "0000000000000000000000000000000000000000"
                              "000000000000000000000000";

/* The hash of an entry: sha256 over the previous hash and every field,
 * separated by a byte that cannot occur in UTF-8 text.  Format 1 has the
 * summary itself; format 2 summary_sha256 (of salt and summary), and a
 * leading "v2" so that no entry of one format can pass for one of the
 * other. */
static void entry_hash(const AuditEntry *e, char out[SECRET_HEX_LEN])
{
    Buf b = BUF_INIT;
    buf_printf(&b, "%s%s\x1f%" PRId64 "\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f"
               "%s\x1f%" PRId64 "\x1f%s\x1f%s",
               e->summary_sha256 ? "v2\x1f" : "", e->prev_hash, e->id, e->at,
               e->actor_id, e->actor, e->action, e->entity, e->entity_id,
               e->summary_sha256 ? e->summary_sha256 : e->summary,
               e->digest);
    secret_sha256_hex(b.p, b.len, out);
    buf_free(&b);
}

/* The digest of an entry's before/after texts. */
static void change_digest(const char *before, const char *after,
                          char out[SECRET_HEX_LEN])
{
    Buf both = BUF_INIT;
    buf_printf(&both, "%s\n%s", before ? before : "", after ? after : "");
    secret_sha256_hex(both.p, both.len, out);
    buf_free(&both);
}

/* The digest of a clearing entry's list of cleared ids: over a tag and
 * no newline, so no change_digest (always "before\nafter") is one. */
static void cleared_digest(const char *list, char out[SECRET_HEX_LEN])
{
    Buf b = BUF_INIT;
    buf_printf(&b, "fangyi-audit-cleared\x1f%s", list);
    secret_sha256_hex(b.p, b.len, out);
    buf_free(&b);
}

/* The SHA-256 a format-2 entry keeps of its summary: over a random salt
 * too, so that once the salt is gone (cleared) it confirms no guess. */
static void summary_sha(const char *salt, const char *summary,
                        char out[SECRET_HEX_LEN])
{
    Buf b = BUF_INIT;
    buf_printf(&b, "%s\x1f%s", salt, summary);
    secret_sha256_hex(b.p, b.len, out);
    buf_free(&b);
}

/* Append a format-2 entry with this digest (and the list of the entries
 * it clears, or NULL); *id and at get its id and time. */
static int append(Db *db, const Actor *a, const char *action,
                  const char *entity, int64_t entity_id, const char *summary,
                  const char *digest, const char *cleared_ids, int64_t *id,
                  char at[21], Err *err)
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

    char hash[SECRET_HEX_LEN], text_sha[SECRET_HEX_LEN];
    char salt[SECRET_TOKEN_LEN];
    clock_now_iso(at);
    /* summaries are made with snprintf into their callers' buffers: one
     * cut to fit ends on a whole character (GET /audit answers JSON) */
    Buf sum = BUF_INIT;
    buf_puts(&sum, summary ? summary : "");
    utf8_trim_tail(sum.p);
    secret_token(salt);
    summary_sha(salt, sum.p, text_sha);
    AuditEntry e = {.id = last_id + 1, .entity_id = entity_id,
                    .actor_id = a->id, .at = at, .actor = a->username,
                    .action = action, .entity = entity, .summary = sum.p,
                    .digest = digest, .prev_hash = prev,
                    .summary_sha256 = text_sha};
    entry_hash(&e, hash);
    *id = e.id;
    rc = db_run(db, err,
                "INSERT INTO audit_log (id, at, actor_id, actor, action,"
                " entity, entity_id, summary, digest, prev_hash, hash,"
                " summary_sha256, summary_salt, cleared_ids) VALUES (?1,"
                " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                "ititttittttttt",
                e.id, at, a->id, a->username, action, entity, entity_id,
                e.summary, digest, prev, hash, text_sha, salt, cleared_ids);
    buf_free(&sum);
    return rc;
}

int audit_record(Db *db, const Actor *a, const char *action,
                 const char *entity, int64_t entity_id, const char *summary,
                 const char *before, const char *after, Err *err)
{
    char digest[SECRET_HEX_LEN], at[21];
    int64_t id;
    change_digest(before, after, digest);
    return append(db, a, action, entity, entity_id, summary, digest, NULL,
                  &id, at, err);
}

/* The list of the ids an entry cleared, as kept in its cleared_ids and
 * covered by its digest (its "after", digested as audit_record would):
 * a JSON array in ascending order. */
static void list_add(Buf *b, int64_t id)
{
    buf_printf(b, "%s%" PRId64, b->len ? "," : "[", id);
}

static void list_end(Buf *b)
{
    buf_puts(b, b->len ? "]" : "[]");
}

/* An entry that still holds a text audit_clear may clear. */
#define CLEARABLE                                                          \
    " summary_sha256 IS NOT NULL AND redacted_by IS NULL"                  \
    " AND redacted_at IS NULL AND summary <> ''"

int audit_clearable(Db *db, const char *ids_sql, long *clearable,
                    long *kept, Err *err)
{
    *clearable = *kept = 0;
    Buf sql = BUF_INIT;
    buf_printf(&sql,
               "SELECT coalesce(sum(CASE WHEN" CLEARABLE " THEN 1 ELSE 0"
               " END), 0), coalesce(sum(CASE WHEN summary_sha256 IS NULL"
               " THEN 1 ELSE 0 END), 0) FROM audit_log"
               " WHERE summary <> '' AND id IN (%s)",
               ids_sql);
    DbStmt *st;
    int rc = db_query(db, &st, err, sql.p, "");
    buf_free(&sql);
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        *clearable = (long)db_int(st, 0);
        *kept = (long)db_int(st, 1);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Add to list the ids of the entries audit_clear clears; *n counts. */
static int list_clearable(Db *db, const char *ids_sql, Buf *list, long *n,
                          Err *err)
{
    Buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT id FROM audit_log WHERE" CLEARABLE
               " AND id IN (%s) ORDER BY id", ids_sql);
    DbStmt *st;
    int rc = db_query(db, &st, err, sql.p, "");
    buf_free(&sql);
    if (rc)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        list_add(list, db_int(st, 0));
        (*n)++;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int audit_clear(Db *db, const Actor *a, const char *action,
                const char *entity, const char *summary,
                const char *ids_sql, long *cleared, Err *err)
{
    *cleared = 0;
    Buf list = BUF_INIT, sql = BUF_INIT;
    char digest[SECRET_HEX_LEN], at[21];
    int64_t id;
    long n = 0;
    int rc = -1;
    if (list_clearable(db, ids_sql, &list, &n, err))
        goto out;
    list_end(&list);
    cleared_digest(list.p, digest);
    if (append(db, a, action, entity, 0, summary, digest, list.p, &id, at,
               err))
        goto out;
    buf_printf(&sql, "UPDATE audit_log SET summary = ?1, summary_salt = NULL,"
               " redacted_at = ?2, redacted_by = ?3 WHERE" CLEARABLE
               " AND id < ?3"
               " AND id IN (%s)", ids_sql);
    if (db_run(db, err, sql.p, "tti", AUDIT_CLEARED, at, id))
        goto out;
    if (db_changes(db) != n) {
        err_set(err, 500, "internal", NULL,
                "audit: cleared %lld entries, listed %ld",
                (long long)db_changes(db), n);
        goto out;
    }
    *cleared = n;
    rc = 0;
out:
    buf_free(&list);
    buf_free(&sql);
    return rc;
}

#define AUDIT_COLS_1 "id, at, actor_id, actor, action, entity,"           \
                     " entity_id, summary, digest, prev_hash, hash"
#define AUDIT_COLS AUDIT_COLS_1 ", summary_sha256, redacted_at,"          \
                   " redacted_by, cleared_ids, summary_salt"
/* The same from a database not yet migrated to 009 (a backup being
 * restored): every entry is of format 1. */
#define AUDIT_COLS_OLD AUDIT_COLS_1 ", NULL, NULL, NULL, NULL, NULL"

/* Fill e from a row of AUDIT_COLS. */
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
    e->summary_sha256 = db_text(st, 11);
    e->redacted_at = db_text(st, 12);
    e->redacted_by = db_is_null(st, 13) ? 0 : db_int(st, 13);
    e->cleared_ids = db_text(st, 14);
    e->summary_salt = db_text(st, 15);
}

/* The next id of a cleared_ids list at *p, or 0 at its end. */
static int64_t list_next(const char **p)
{
    while (**p == '[' || **p == ',' || **p == ' ')
        (*p)++;
    char *end;
    long long id = strtoll(*p, &end, 10);
    if (end == *p || id <= 0)
        return 0;
    *p = end;
    return id;
}

/* The list is as audit_clear writes it, "[a,b,...]" (or "[]"), its ids
 * ascending and all before the clearing entry `by`. */
static int list_canonical(const char *list, int64_t by)
{
    Buf b = BUF_INIT;
    const char *p = list;
    int64_t id, prev = 0;
    int ok = 1;
    while ((id = list_next(&p))) {
        ok = ok && id > prev && id < by;
        prev = id;
        list_add(&b, id);
    }
    list_end(&b);
    ok = ok && strcmp(b.p, list) == 0;
    buf_free(&b);
    return ok;
}

/* The summary agrees with the rest of the entry: format 1 is never
 * cleared and clears nothing; format 2 holds its own text, or the marker
 * of a clearing by a later entry (which clearings_hold checks); the list
 * of the entries it cleared is canonical and the one its clearing digest
 * covers. */
static int summary_holds(const AuditEntry *e)
{
    const char *s = e->summary ? e->summary : "";
    if (!e->summary_sha256)
        return !e->redacted_at && !e->redacted_by && !e->cleared_ids &&
               !e->summary_salt;
    if (e->cleared_ids) {
        char digest[SECRET_HEX_LEN];
        cleared_digest(e->cleared_ids, digest);
        if (strcmp(digest, e->digest) != 0 ||
            !list_canonical(e->cleared_ids, e->id))
            return 0;
    }
    if (!e->redacted_at && !e->redacted_by) {
        char sha[SECRET_HEX_LEN];
        if (!e->summary_salt)
            return 0;
        summary_sha(e->summary_salt, s, sha);
        return strcmp(sha, e->summary_sha256) == 0;
    }
    return e->redacted_at && e->redacted_by > e->id && !e->summary_salt &&
           strcmp(s, AUDIT_CLEARED) == 0;
}

/* *broken_at becomes id when id comes first (0: nothing broken). */
static void keep_first(int64_t *broken_at, int64_t id)
{
    if (id && (!*broken_at || id < *broken_at))
        *broken_at = id;
}

/* The entries naming clearing entry `by` (cleared at `at`) are exactly
 * those it lists; else the first that differs is where it breaks. */
static int one_clearing(Db *db, int64_t by, const char *at,
                        const char *list, int64_t *broken_at, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, redacted_at FROM audit_log"
                 " WHERE redacted_by = ?1 ORDER BY id",
                 "i", by))
        return -1;
    int64_t listed = list_next(&list);
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        const char *when = db_text(st, 1);
        if (listed != id || !when || strcmp(when, at) != 0) {
            keep_first(broken_at, listed && listed < id ? listed : id);
            break;
        }
        listed = list_next(&list);
    }
    db_done(st);
    if (rc == DB_DONE)
        keep_first(broken_at, listed);
    return rc == DB_ERROR ? -1 : 0;
}

/* Every cleared entry names a later entry that lists it, at that
 * entry's time, and every entry listed is cleared by the one listing
 * it. */
static int clearings_hold(Db *db, int64_t *broken_at, Err *err)
{
    int64_t orphan;
    int found;
    if (db_one_int(db, err, &orphan, &found,
                   "SELECT min(r.id) FROM audit_log r LEFT JOIN audit_log c"
                   " ON c.id = r.redacted_by WHERE r.redacted_by IS NOT NULL"
                   " AND c.cleared_ids IS NULL",
                   ""))
        return -1;
    if (found)
        keep_first(broken_at, orphan);
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, at, cleared_ids FROM audit_log"
                 " WHERE cleared_ids IS NOT NULL ORDER BY id",
                 ""))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW)
        if (one_clearing(db, db_int(st, 0), db_text(st, 1),
                         db_text(st, 2), broken_at, err)) {
            rc = DB_ERROR;
            break;
        }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int audit_verify(Db *db, int64_t *broken_at, int64_t *entries, Err *err)
{
    *broken_at = 0;
    *entries = 0;
    int two;
    if (db_has_column(db, "audit_log", "summary_sha256", &two, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 two ? "SELECT " AUDIT_COLS " FROM audit_log ORDER BY id"
                     : "SELECT " AUDIT_COLS_OLD " FROM audit_log ORDER BY id",
                 ""))
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
            strcmp(e.hash, hash) != 0 || !summary_holds(&e))
            *broken_at = e.id;
        expect_id = e.id;
        snprintf(prev, sizeof prev, "%s", e.hash ? e.hash : "");
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    return two ? clearings_hold(db, broken_at, err) : 0;
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
