/* copy.h — copying a whole fangyi database into another one (the
 * migrate-data command): the plan of tables, the batched resumable copy
 * with its progress kept in the target, and the per-table check by row
 * count and checksum.  Only db.h is used, so the same code serves any pair
 * of backends; the plan is read from a SQLite source's catalog. */
#ifndef FANGYI_COPY_H
#define FANGYI_COPY_H

#include "../base/buf.h"
#include "db.h"

enum { COPY_MAX_TABLES = 64, COPY_MAX_COLS = 48, COPY_NAME = 64 };

typedef struct CopyTable {
    char name[COPY_NAME];
    int ncols;
    char cols[COPY_MAX_COLS][COPY_NAME];
    char kind[COPY_MAX_COLS];   /* 'i' integer, 'r' real, 't' text */
    int pk[COPY_MAX_COLS];      /* position in the primary key, 0 if not */
    int keyset;                 /* primary key is one integer column "id" */
    int derived;                /* kept by triggers (tally_*): copied last */
    /* keyset tables referring to themselves: the SQL condition of a row
     * that refers to a later id ("" when none), e.g. a person merged into
     * a later one, and the join of a row x to the row it refers to; such
     * rows and those referring to them go with the table's last batch */
    char later_ref[256], late_join[256];
} CopyTable;

typedef struct CopyPlan {
    CopyTable t[COPY_MAX_TABLES];
    int n;
} CopyPlan;

/* copy_plan reads the source's tables (all but schema_version and
 * migrate_progress) in foreign-key order, the trigger-kept tally tables
 * last.  The source must be SQLite. */
int copy_plan(Db *src, CopyPlan *p, Err *err);

/* copy_checksum: the table's row count and the hex SHA-256 of its rows in
 * primary-key order, each value written canonically (copy_check.c), so
 * both backends give the same digest for the same data. */
int copy_checksum(Db *db, const CopyTable *t, int64_t *rows,
                  char hex[65], Err *err);

/* copy_plan_fits: whether every table and column of the plan is in dst's
 * schema (the migrations'); the first that is not is named in err (422
 * not_in_schema).  copy_target_new checks it first. */
int copy_plan_fits(Db *dst, const CopyPlan *p, Err *err);

/* copy_target_new makes the schema in an empty target, clears the rows
 * the migrations seed, and records the source's identity, in one
 * transaction. */
int copy_target_new(Db *dst, const CopyPlan *p, const char *source_id,
                    Err *err);
/* copy_target_source: the source identity a target's earlier run
 * recorded into out ("" when the target has no migrate_progress). */
int copy_target_source(Db *dst, char *out, size_t n, Err *err);

/* copy_table copies what is left of one table in batches of `batch` rows,
 * each batch and its progress row one transaction.  A derived table is
 * emptied first (in its first batch) of what the triggers made.
 * *copied gets the rows copied by this call; stop_after (may be NULL)
 * counts down committed batches across calls, for the tests' kill. */
int copy_table(Db *src, Db *dst, const CopyTable *t, int batch,
               int64_t *copied, int *stop_after, Err *err);

/* copy_sequences moves each identity sequence past the copied ids
 * (PostgreSQL; nothing to do on SQLite). */
int copy_sequences(Db *dst, const CopyPlan *p, Err *err);

/* copy_finish marks the copy complete: the source's row of
 * migrate_progress (tbl '') gets finished = 1 once every table is copied
 * and the sequences moved (fangyi county counts the town from then on). */
int copy_finish(Db *dst, Err *err);

/* copy_select_sql: the SELECT of all columns in primary-key order (text
 * keys by bytes on both backends; pg: PostgreSQL's spelling), with the
 * batch's bounds as ?1 and ?2: last id and limit for a table keyed by
 * id, else limit and offset.  part: COPY_ALL every row; COPY_MAIN the
 * rows that refer to no later id of their own table, nor to a row that
 * does; COPY_LATE those, latest first, without bounds. */
enum { COPY_ALL, COPY_MAIN, COPY_LATE };
void copy_select_sql(Buf *b, const CopyTable *t, int pg, int part);

#endif
