/* copy.c — the plan and the batched, resumable copy of migrate-data (see
 * copy.h).  Rows are written as multi-row INSERTs of quoted literals: the
 * target converts each literal to its column's type, so an integer, a
 * real (17 significant digits, exact) and a text go in unchanged on
 * SQLite and PostgreSQL alike, and a value that does not fit its column
 * fails the batch instead of changing.  (PostgreSQL reads a real with
 * strtod, exactly; SQLite's reader is exact with long double, so a SQLite
 * target built without it might differ in a last bit, which the check
 * would show.) */
#include "copy.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

/* name as an SQL identifier: in double quotes, each " doubled (the names
 * come from the source file's catalog) */
static void put_ident(Buf *b, const char *name)
{
    buf_putc(b, '"');
    for (; *name; name++) {
        if (*name == '"')
            buf_putc(b, '"');
        buf_putc(b, *name);
    }
    buf_putc(b, '"');
}

/* a catalog name into out (COPY_NAME bytes); -1 when it does not fit */
static int take_name(char *out, const char *name, Err *err)
{
    if (strlen(name) >= COPY_NAME)
        return err_set(err, 422, "name_too_long", NULL,
                       "the source has a table or column name longer than"
                       " %d bytes, which fangyi's schema has not: %.80s...",
                       COPY_NAME - 1, name);
    memcpy(out, name, strlen(name) + 1);
    return 0;
}

static const char *const PROGRESS_DDL =
    "CREATE TABLE IF NOT EXISTS migrate_progress ("
    " tbl TEXT PRIMARY KEY, copied BIGINT NOT NULL, last_id BIGINT NOT NULL,"
    " finished INTEGER NOT NULL, source TEXT)";

/* the trigger-kept tables, in the order they are copied after the rest:
 * tally_returnees first, as its own triggers write tally_totals */
static const char *const DERIVED[] = {"tally_returnees", "tally_totals",
                                      "tally_days", "tally_supplies", NULL};

static int derived_rank(const char *name)
{
    for (int k = 0; DERIVED[k]; k++)
        if (strcmp(DERIVED[k], name) == 0)
            return k + 1;
    return 0;
}

static char kind_of(const char *decl)
{
    char up[64];
    size_t k = 0;
    for (; decl[k] && k + 1 < sizeof up; k++)
        up[k] = (char)(decl[k] >= 'a' && decl[k] <= 'z' ? decl[k] - 32
                                                        : decl[k]);
    up[k] = '\0';
    if (strstr(up, "INT"))
        return 'i';
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
        return 'r';
    return 't';
}

static int load_columns(Db *src, CopyTable *t, Err *err)
{
    DbStmt *st;
    if (db_query(src, &st, err,
                 "SELECT name, type, pk FROM pragma_table_info(?1)"
                 " ORDER BY cid",
                 "t", t->name))
        return -1;
    int rc, npk = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (t->ncols == COPY_MAX_COLS) {
            db_done(st);
            return err_set(err, 500, "too_many_columns", NULL,
                           "table %s has more than %d columns", t->name,
                           COPY_MAX_COLS);
        }
        int c = t->ncols++;
        if (take_name(t->cols[c], db_text(st, 0), err)) {
            db_done(st);
            return -1;
        }
        t->kind[c] = kind_of(db_text(st, 1) ? db_text(st, 1) : "");
        t->pk[c] = (int)db_int(st, 2);
        npk += t->pk[c] > 0;
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (npk == 0)
        return err_set(err, 500, "no_primary_key", NULL,
                       "table %s has no primary key to copy it in order",
                       t->name);
    for (int c = 0; c < t->ncols; c++)
        if (t->pk[c] && npk == 1 && t->kind[c] == 'i' &&
            strcmp(t->cols[c], "id") == 0)
            t->keyset = 1;
    return 0;
}

/* whether every table t refers to (other than itself) is placed */
static int refs_placed(Db *src, const char *name, const CopyPlan *p,
                       int *ok, Err *err)
{
    DbStmt *st;
    if (db_query(src, &st, err,
                 "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
                 "t", name))
        return -1;
    int rc;
    *ok = 1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *ref = db_text(st, 0);
        if (strcmp(ref, name) == 0)
            continue;   /* see later_refs */
        int found = 0;
        for (int k = 0; k < p->n && !found; k++)
            found = strcmp(p->t[k].name, ref) == 0;
        *ok &= found;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* t->later_ref: the rows of t referring to a later row of t (a foreign
 * key is checked at the end of each INSERT, so the referred row must be
 * there first) */
static int later_refs(Db *src, CopyTable *t, Err *err)
{
    DbStmt *st;
    if (db_query(src, &st, err,
                 "SELECT \"from\" FROM pragma_foreign_key_list(?1)"
                 " WHERE \"table\" = ?1 ORDER BY id",
                 "t", t->name))
        return -1;
    Buf b = BUF_INIT, j = BUF_INIT;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        buf_puts(&b, b.len ? " OR (" : "(");
        put_ident(&b, db_text(st, 0));
        buf_puts(&b, " > id)");
        buf_puts(&j, j.len ? " OR x." : "x.");
        put_ident(&j, db_text(st, 0));
        buf_puts(&j, " = late.id");
    }
    db_done(st);
    if (rc != DB_ERROR && b.len && !t->keyset)
        rc = DB_ERROR, err_set(err, 500, "self_reference", NULL,
                               "table %s refers to itself without an id",
                               t->name);
    if (rc != DB_ERROR && (j.len >= sizeof t->late_join ||
                           b.len >= sizeof t->later_ref))
        rc = DB_ERROR, err_set(err, 500, "self_reference", NULL,
                               "table %s: too many references to itself",
                               t->name);
    if (rc != DB_ERROR && b.len) {
        memcpy(t->later_ref, b.p, b.len + 1);
        memcpy(t->late_join, j.p, j.len + 1);
    }
    buf_free(&b);
    buf_free(&j);
    return rc == DB_ERROR ? -1 : 0;
}

int copy_plan(Db *src, CopyPlan *p, Err *err)
{
    if (strcmp(db_dialect(src), "sqlite") != 0)
        return err_set(err, 422, "not_sqlite", "source",
                       "the source must be a SQLite database file");
    char names[COPY_MAX_TABLES][COPY_NAME];
    int n = 0, rc;
    DbStmt *st;
    if (db_query(src, &st, err,
                 "SELECT name FROM sqlite_master WHERE type = 'table'"
                 " AND name NOT LIKE 'sqlite_%' AND name NOT IN"
                 " ('schema_version', 'migrate_progress') ORDER BY rowid",
                 ""))
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW && n < COPY_MAX_TABLES)
        if (take_name(names[n++], db_text(st, 0), err)) {
            rc = DB_ERROR;
            break;
        }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_ROW)
        return err_set(err, 500, "too_many_tables", NULL,
                       "more than %d tables", COPY_MAX_TABLES);
    memset(p, 0, sizeof *p);
    int placed[COPY_MAX_TABLES] = {0}, left = n;
    for (int k = 0; k < n; k++)
        if (derived_rank(names[k]))
            placed[k] = 1, left--;
    while (left > 0) {      /* the first table whose references are placed */
        int progress = 0;
        for (int k = 0; k < n && !progress; k++) {
            int ok;
            if (placed[k])
                continue;
            if (refs_placed(src, names[k], p, &ok, err))
                return -1;
            if (ok) {
                memcpy(p->t[p->n++].name, names[k], COPY_NAME);
                placed[k] = progress = 1;
                left--;
            }
        }
        if (!progress)
            return err_set(err, 500, "foreign_key_cycle", NULL,
                           "the tables' foreign keys form a cycle");
    }
    for (int r = 1; DERIVED[r - 1]; r++)
        for (int k = 0; k < n; k++)
            if (derived_rank(names[k]) == r) {
                memcpy(p->t[p->n].name, names[k], COPY_NAME);
                p->t[p->n++].derived = 1;
            }
    for (int k = 0; k < p->n; k++)
        if (load_columns(src, &p->t[k], err) ||
            later_refs(src, &p->t[k], err))
            return -1;
    return 0;
}

int copy_plan_fits(Db *dst, const CopyPlan *p, Err *err)
{
    for (int k = 0; k < p->n; k++) {
        const CopyTable *t = &p->t[k];
        for (int c = 0; c < t->ncols; c++) {
            int has;
            if (db_has_column(dst, t->name, t->cols[c], &has, err))
                return -1;
            if (!has)
                return err_set(err, 422, "not_in_schema", NULL,
                               "the source's table \"%s\" (column \"%s\")"
                               " is not in fangyi's schema: migrate-data"
                               " copies only fangyi's own tables; nothing"
                               " was copied", t->name, t->cols[c]);
        }
    }
    return 0;
}

int copy_target_new(Db *dst, const CopyPlan *p, const char *source_id,
                    Err *err)
{
    if (db_exec(dst, PROGRESS_DDL, err))
        return -1;
    if (copy_plan_fits(dst, p, err))
        return -1;
    for (int k = p->n - 1; k >= 0; k--) {   /* the migrations' seed rows */
        Buf sql = BUF_INIT;
        buf_puts(&sql, "DELETE FROM ");
        put_ident(&sql, p->t[k].name);
        int rc = db_exec(dst, sql.p, err);
        buf_free(&sql);
        if (rc)
            return -1;
    }
    return db_run(dst, err,
                  "INSERT INTO migrate_progress (tbl, copied, last_id,"
                  " finished, source) VALUES ('', 0, 0, 0, ?1)",
                  "t", source_id);
}

int copy_target_source(Db *dst, char *out, size_t n, Err *err)
{
    int has;
    out[0] = '\0';
    if (db_has_column(dst, "migrate_progress", "source", &has, err))
        return -1;
    if (!has)
        return 0;
    return db_one_text(dst, err, out, n,
                       "SELECT source FROM migrate_progress WHERE tbl = ''",
                       "");
}

typedef struct Progress {
    int64_t copied, last_id;
    int finished;
} Progress;

static int load_progress(Db *dst, const char *name, Progress *pr, Err *err)
{
    DbStmt *st;
    memset(pr, 0, sizeof *pr);
    if (db_query(dst, &st, err,
                 "SELECT copied, last_id, finished FROM migrate_progress"
                 " WHERE tbl = ?1",
                 "t", name))
        return -1;
    int rc = db_step(st, err);
    pr->last_id = INT64_MIN;    /* ids may be 0 or negative */
    if (rc == DB_ROW) {
        pr->copied = db_int(st, 0);
        pr->last_id = db_int(st, 1);
        pr->finished = (int)db_int(st, 2);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

static void put_literal(Buf *b, const char *s)
{
    buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_putc(b, '\'');
        buf_putc(b, *s);
    }
    buf_putc(b, '\'');
}

/* one value of the row as a literal; -1 for a real that is not finite */
static int put_value(Buf *b, DbStmt *st, const CopyTable *t, int c,
                     Err *err)
{
    if (db_is_null(st, c)) {
        buf_puts(b, "NULL");
        return 0;
    }
    if (t->kind[c] != 'r') {
        put_literal(b, db_text(st, c));
        return 0;
    }
    double v = db_double(st, c);
    if (!isfinite(v))
        return err_set(err, 422, "not_finite", t->cols[c],
                       "%s.%s holds a value that is not a finite number",
                       t->name, t->cols[c]);
    buf_printf(b, "'%.17g'", v);
    return 0;
}

void copy_select_sql(Buf *b, const CopyTable *t, int pg, int part)
{
    int late = part != COPY_ALL && *t->later_ref;
    if (late) { /* the rows referring to later ones, and to those */
        buf_puts(b, "WITH RECURSIVE late(id) AS (SELECT id FROM ");
        put_ident(b, t->name);
        buf_printf(b, " WHERE %s UNION SELECT x.id FROM ", t->later_ref);
        put_ident(b, t->name);
        buf_printf(b, " x JOIN late ON %s) ", t->late_join);
    }
    buf_puts(b, "SELECT ");
    for (int c = 0; c < t->ncols; c++) {
        buf_puts(b, c ? ", " : "");
        put_ident(b, t->cols[c]);
    }
    buf_puts(b, " FROM ");
    put_ident(b, t->name);
    if (part == COPY_LATE) {
        buf_puts(b, " WHERE id IN (SELECT id FROM late) ORDER BY id DESC");
        return;
    }
    if (t->keyset)
        buf_puts(b, " WHERE id > ?1");
    if (late)
        buf_puts(b, " AND id NOT IN (SELECT id FROM late)");
    buf_puts(b, " ORDER BY ");
    int first = 1;
    for (int p = 1; p <= t->ncols; p++)
        for (int c = 0; c < t->ncols; c++)
            if (t->pk[c] == p) {
                buf_puts(b, first ? "" : ", ");
                put_ident(b, t->cols[c]);
                if (t->kind[c] == 't')   /* byte order on both backends */
                    buf_puts(b, pg ? " COLLATE \"C\"" : " COLLATE BINARY");
                first = 0;
            }
    buf_puts(b, t->keyset ? " LIMIT ?2" : " LIMIT ?1 OFFSET ?2");
}

/* the INSERT of the next batch into ins; when batch is 0, select has no
 * bounds (the rows referring to later ones) and each row gets an INSERT
 * of its own, one after the other, each ending in NUL.  *n rows, *last
 * the last id. */
static int read_batch(Db *src, const CopyTable *t, const char *select,
                      const Progress *pr, int batch, Buf *ins, int *n,
                      int64_t *last, Err *err)
{
    DbStmt *st;
    if (batch ? db_query(src, &st, err, select, "ii",
                         t->keyset ? pr->last_id : (int64_t)batch,
                         t->keyset ? (int64_t)batch : pr->copied)
              : db_query(src, &st, err, select, ""))
        return -1;
    buf_reset(ins);
    int rc;
    *n = 0;
    *last = pr->last_id;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n && !batch)     /* one INSERT per row, each ending in NUL */
            buf_append(ins, "", 1);
        if (!*n || !batch) {
            buf_puts(ins, "INSERT INTO ");
            put_ident(ins, t->name);
            buf_puts(ins, " (");
            for (int c = 0; c < t->ncols; c++) {
                buf_puts(ins, c ? ", " : "");
                put_ident(ins, t->cols[c]);
            }
            buf_puts(ins, ") VALUES ");
        }
        buf_puts(ins, (*n)++ && batch ? ", (" : "(");
        for (int c = 0; c < t->ncols; c++) {
            if (c)
                buf_puts(ins, ", ");
            if (put_value(ins, st, t, c, err)) {
                db_done(st);
                return -1;
            }
            if (t->keyset && strcmp(t->cols[c], "id") == 0)
                *last = db_int(st, c);
        }
        buf_putc(ins, ')');
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* the rows referring to later ones, each INSERT of late (nlate, see
 * read_batch) under a savepoint: one whose row refers to a row not in yet
 * is tried again after the others, until all are in or a round adds none
 * (rows referring to each other in a cycle) */
static int insert_late(Db *dst, const Buf *late, int nlate, Err *err)
{
    char *done = calloc((size_t)nlate, 1);
    int rc = done ? 0 : err_set(err, 500, "internal", NULL, "out of memory");
    for (int left = nlate, added = 1; left > 0 && !rc; ) {
        if (!added) {
            rc = err_set(err, 500, "self_reference_cycle", NULL,
                         "%d rows refer to each other in a cycle", left);
            break;
        }
        added = 0;
        const char *ins = late->p;
        for (int k = 0; k < nlate; k++, ins += strlen(ins) + 1) {
            if (done[k])
                continue;
            if (db_savepoint(dst, err)) {
                rc = -1;
                break;
            }
            if (db_exec(dst, ins, err)) {
                if (db_last_fail(dst) != DB_FAIL_FOREIGN) {
                    rc = -1;
                    break;
                }
                db_rollback_to(dst);
                continue;
            }
            if (db_release(dst, err)) {
                rc = -1;
                break;
            }
            done[k] = 1;
            added++;
            left--;
        }
    }
    free(done);
    return rc;
}

/* one batch (and, with the last one, the rows referring to later ones)
 * and its progress in one transaction */
static int write_batch(Db *dst, const CopyTable *t, const Progress *pr,
                       const Buf *ins, int n, const Buf *late, int nlate,
                       int64_t last, int finished, Err *err)
{
    if (db_begin(dst, err))
        return -1;
    Buf sql = BUF_INIT;
    buf_puts(&sql, "DELETE FROM ");
    put_ident(&sql, t->name);
    n += nlate;
    int failed =
        (t->derived && pr->copied == 0 && db_exec(dst, sql.p, err)) ||
        (n > nlate && db_exec(dst, ins->p, err)) ||
        (nlate > 0 && insert_late(dst, late, nlate, err)) ||
        db_run(dst, err, "DELETE FROM migrate_progress WHERE tbl = ?1", "t",
               t->name) ||
        db_run(dst, err,
               "INSERT INTO migrate_progress (tbl, copied, last_id,"
               " finished) VALUES (?1, ?2, ?3, ?4)",
               "tiii", t->name, pr->copied + n, last, (int64_t)finished);
    buf_free(&sql);
    if (failed) {
        db_rollback(dst);
        return -1;
    }
    if (db_commit(dst, err)) {
        db_rollback(dst);
        return -1;
    }
    return 0;
}

int copy_table(Db *src, Db *dst, const CopyTable *t, int batch,
               int64_t *copied, int *stop_after, Err *err)
{
    Progress pr;
    *copied = 0;
    if (load_progress(dst, t->name, &pr, err))
        return -1;
    Buf select = BUF_INIT, later = BUF_INIT, ins = BUF_INIT, late = BUF_INIT;
    copy_select_sql(&select, t, 0, COPY_MAIN);
    copy_select_sql(&later, t, 0, COPY_LATE);
    int rc = 0;
    while (!pr.finished) {
        int n, nlate = 0;
        int64_t last, unused;
        if (read_batch(src, t, select.p, &pr, batch, &ins, &n, &last, err) ||
            (n < batch && *t->later_ref &&
             read_batch(src, t, later.p, &pr, 0, &late, &nlate, &unused,
                        err)) ||
            write_batch(dst, t, &pr, &ins, n, &late, nlate, last, n < batch,
                        err)) {
            rc = -1;
            break;
        }
        pr.finished = n < batch;
        pr.copied += n + nlate;
        pr.last_id = last;
        *copied += n + nlate;
        if (stop_after && *stop_after > 0 && --*stop_after == 0) {
            rc = 1;
            break;
        }
    }
    buf_free(&select);
    buf_free(&later);
    buf_free(&ins);
    buf_free(&late);
    return rc;
}

int copy_finish(Db *dst, Err *err)
{
    return db_run(dst, err,
                  "UPDATE migrate_progress SET finished = 1 WHERE tbl = ''",
                  "");
}

int copy_sequences(Db *dst, const CopyPlan *p, Err *err)
{
    if (strcmp(db_dialect(dst), "postgres") != 0)
        return 0;   /* SQLite takes the next id from the largest one */
    for (int k = 0; k < p->n; k++) {
        if (!p->t[k].keyset)
            continue;
        Buf name = BUF_INIT, sql = BUF_INIT;
        put_ident(&name, p->t[k].name);
        buf_printf(&sql, "SELECT setval(pg_get_serial_sequence(?1, 'id'), m)"
                         " FROM (SELECT max(id) AS m FROM %s) x"
                         " WHERE m IS NOT NULL", name.p);
        int64_t v;
        int found, rc = db_one_int(dst, err, &v, &found, sql.p, "t", name.p);
        buf_free(&name);
        buf_free(&sql);
        if (rc)
            return -1;
    }
    return 0;
}
