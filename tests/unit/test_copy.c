/* test_copy.c — migrate-data's copy (src/db/copy.h) between two SQLite
 * files: the plan's order (references first, the tallies last), the
 * checksum's canonical values (a real to its last digit, NULL apart from
 * any text), a copy stopped after some batches that continues and ends
 * with the same checksum, rows referring to later rows (and to those)
 * included, and rows referring to each other refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/secret.h"
#include "../../src/db/copy.h"
#include "../../src/db/migrate.h"

static char pa[64], pb[64];
static Db *a, *b;

static void unlink_db(const char *p)
{
    char q[80];
    unlink(p);
    snprintf(q, sizeof q, "%s-wal", p);
    unlink(q);
    snprintf(q, sizeof q, "%s-shm", p);
    unlink(q);
}

static int setup(void **state)
{
    (void)state;
    snprintf(pa, sizeof pa, "/tmp/fangyi-copy-a-%d.db", (int)getpid());
    snprintf(pb, sizeof pb, "/tmp/fangyi-copy-b-%d.db", (int)getpid());
    unlink_db(pa);
    unlink_db(pb);
    Err err;
    return secret_init() || db_open(pa, 1, &a, &err) ||
                   db_open(pb, 1, &b, &err)
               ? -1
               : 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(a);
    db_close(b);
    unlink_db(pa);
    unlink_db(pb);
    return 0;
}

static int index_of(const CopyPlan *p, const char *name)
{
    for (int k = 0; k < p->n; k++)
        if (strcmp(p->t[k].name, name) == 0)
            return k;
    return -1;
}

static void plan_order(void **state)
{
    (void)state;
    Err err;
    static CopyPlan p;
    assert_int_equal(migrate_apply(a, &err), 0);
    assert_int_equal(copy_plan(a, &p, &err), 0);
    assert_int_equal(index_of(&p, "schema_version"), -1);
    assert_true(index_of(&p, "places") < index_of(&p, "people"));
    assert_true(index_of(&p, "people") < index_of(&p, "travels"));
    assert_true(index_of(&p, "passes") < index_of(&p, "pass_people"));
    assert_true(index_of(&p, "alerts") < index_of(&p, "pass_people"));
    assert_int_equal(index_of(&p, "tally_returnees"), p.n - 4);
    assert_true(p.t[p.n - 1].derived && !p.t[0].derived);
    const CopyTable *people = &p.t[index_of(&p, "people")];
    assert_true(people->keyset);
    assert_non_null(strstr(people->later_ref, "\"merged_into\" > id"));
    assert_false(p.t[index_of(&p, "tally_totals")].keyset);
}

static const CopyTable T = {
    .name = "t", .ncols = 4, .cols = {"id", "parent", "r", "s"},
    .kind = {'i', 'i', 'r', 't'}, .pk = {1, 0, 0, 0}, .keyset = 1,
    .later_ref = "(\"parent\" > id)", .late_join = "x.\"parent\" = late.id"};

static void sum(Db *db, int64_t *rows, char hex[65])
{
    Err err;
    assert_int_equal(copy_checksum(db, &T, rows, hex, &err), 0);
}

static void checksum_canonical(void **state)
{
    (void)state;
    Err err;
    const char *ddl = "CREATE TABLE t (id INTEGER PRIMARY KEY,"
                      " parent INTEGER REFERENCES t(id), r REAL, s TEXT)";
    assert_int_equal(db_exec(a, ddl, &err), 0);
    assert_int_equal(db_exec(b, ddl, &err), 0);
    const char *rows = "INSERT INTO t VALUES (1, NULL, 0.1 + 0.2, 'N;'),"
                       " (2, NULL, NULL, NULL), (3, NULL, 2.5, '')";
    assert_int_equal(db_exec(a, rows, &err), 0);
    assert_int_equal(db_exec(b, rows, &err), 0);
    int64_t na, nb;
    char ha[65], hb[65];
    sum(a, &na, ha);
    sum(b, &nb, hb);
    assert_int_equal(na, 3);
    assert_string_equal(ha, hb);
    /* 0.3 is not 0.1 + 0.2 in its 17th digit */
    assert_int_equal(db_exec(b, "UPDATE t SET r = 0.3 WHERE id = 1", &err),
                     0);
    sum(b, &nb, hb);
    assert_string_not_equal(ha, hb);
    assert_int_equal(db_exec(b, "UPDATE t SET r = 0.1 + 0.2 WHERE id = 1;"
                                " UPDATE t SET s = '' WHERE id = 2", &err),
                     0);
    sum(b, &nb, hb);
    assert_string_not_equal(ha, hb);   /* NULL is not "" */
    assert_int_equal(db_exec(b, "DELETE FROM t", &err), 0);
}

static void copy_resumes(void **state)
{
    (void)state;
    Err err;
    /* 40 rows; rows 1, 2, 4, 5 refer to 40, 3 to 4, 30 to 1.  The reals
     * have short decimals: SQLite's own text-to-real conversion is exact
     * for 17 digits only with long double, which valgrind lacks (the copy
     * into PostgreSQL is read by strtod, always exact) */
    assert_int_equal(
        db_exec(a,
                "DELETE FROM t; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                " SELECT i + 1 FROM n WHERE i < 40) INSERT INTO t"
                " SELECT i, NULL, i / 8.0, 'row ' || i FROM n;"
                " UPDATE t SET parent = 40 WHERE id IN (1, 2, 4, 5);"
                " UPDATE t SET parent = 4 WHERE id = 3;"
                " UPDATE t SET parent = 1 WHERE id = 30",
                &err),
        0);
    assert_int_equal(db_exec(b,
                             "CREATE TABLE migrate_progress (tbl TEXT"
                             " PRIMARY KEY, copied BIGINT NOT NULL, last_id"
                             " BIGINT NOT NULL, finished INTEGER NOT NULL,"
                             " source TEXT)",
                             &err),
                     0);
    int64_t copied, total = 0;
    int stop = 3;
    assert_int_equal(copy_table(a, b, &T, 6, &copied, &stop, &err), 1);
    assert_int_equal(copied, 18);
    int64_t n;
    int found;
    assert_int_equal(db_one_int(b, &err, &n, &found,
                                "SELECT count(*) FROM t", ""), 0);
    assert_int_equal(n, 18);
    total += copied;
    assert_int_equal(copy_table(a, b, &T, 6, &copied, NULL, &err), 0);
    total += copied;
    assert_int_equal(total, 40);
    int64_t na, nb;
    char ha[65], hb[65];
    sum(a, &na, ha);
    sum(b, &nb, hb);
    assert_int_equal(nb, 40);
    assert_string_equal(ha, hb);
    /* finished: a further call copies nothing */
    assert_int_equal(copy_table(a, b, &T, 6, &copied, NULL, &err), 0);
    assert_int_equal(copied, 0);
}

static void copy_refuses_cycle(void **state)
{
    (void)state;
    Err err;
    int64_t copied;
    assert_int_equal(db_exec(a, "PRAGMA foreign_keys = OFF;"
                                " DELETE FROM t; INSERT INTO t VALUES"
                                " (1, 2, NULL, 'a'), (2, 1, NULL, 'b');"
                                " PRAGMA foreign_keys = ON", &err), 0);
    assert_int_equal(db_exec(b, "DELETE FROM t; DELETE FROM migrate_progress",
                             &err), 0);
    assert_int_equal(copy_table(a, b, &T, 6, &copied, NULL, &err), -1);
    assert_non_null(strstr(err.message, "cycle"));
    int64_t n;
    int found;
    assert_int_equal(db_one_int(b, &err, &n, &found,
                                "SELECT count(*) FROM t", ""), 0);
    assert_int_equal(n, 0);   /* the batch was rolled back */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_order),
        cmocka_unit_test(checksum_canonical),
        cmocka_unit_test(copy_resumes),
        cmocka_unit_test(copy_refuses_cycle),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
