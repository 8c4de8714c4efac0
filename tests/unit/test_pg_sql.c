/* test_pg_sql.c — the text work of the PostgreSQL backend: portable ?N
 * parameters become $N (not inside quoted strings, quoted names or
 * comments; a bare ? numbered as SQLite numbers it), the count is the
 * largest number, and reals read as text come out as SQLite writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/db/pg_sql.h"

static void rewrite(const char *sql, const char *want, int nparams)
{
    char *out = NULL;
    assert_int_equal(pg_sql_rewrite(sql, &out), nparams);
    assert_string_equal(out, want);
    free(out);
}

static void numbered_parameters(void **state)
{
    (void)state;
    rewrite("SELECT name FROM places WHERE id = ?1",
            "SELECT name FROM places WHERE id = $1", 1);
    rewrite("UPDATE t SET a = ?2, b = ?10 WHERE id = ?1 AND ?2 IS NULL",
            "UPDATE t SET a = $2, b = $10 WHERE id = $1 AND $2 IS NULL", 10);
    /* the largest number counts, even with some left out */
    rewrite("SELECT ?17 WHERE ?1 = 1", "SELECT $17 WHERE $1 = 1", 17);
    rewrite("SELECT 1", "SELECT 1", 0);
    rewrite("", "", 0);
}

static void quoted_text_is_left_alone(void **state)
{
    (void)state;
    rewrite("SELECT '?1', 'it''s ?2', \"odd?3\" FROM t WHERE x = ?1",
            "SELECT '?1', 'it''s ?2', \"odd?3\" FROM t WHERE x = $1", 1);
    rewrite("SELECT ?1 -- who? ?9\n, ?2", "SELECT $1 -- who? ?9\n, $2", 2);
    rewrite("SELECT /* ?5 */ ?1", "SELECT /* ?5 */ $1", 1);
    /* an unterminated quote or comment is copied to the end */
    rewrite("SELECT 'open ?1", "SELECT 'open ?1", 0);
    rewrite("SELECT ?1 /* open ?2", "SELECT $1 /* open ?2", 1);
    /* LIKE patterns with escapes stay as written */
    rewrite("WHERE a LIKE ?1 ESCAPE '\\' OR b LIKE '%?%'",
            "WHERE a LIKE $1 ESCAPE '\\' OR b LIKE '%?%'", 1);
}

static void bare_question_marks(void **state)
{
    (void)state;
    rewrite("VALUES (?, ?, ?)", "VALUES ($1, $2, $3)", 3);
    rewrite("VALUES (?5, ?)", "VALUES ($5, $6)", 6);
}

static void real(double v, const char *want)
{
    char out[40];
    pg_sql_real_text(v, out, sizeof out);
    assert_string_equal(out, want);
}

static void reals_as_sqlite_writes_them(void **state)
{
    (void)state;
    real(37.0, "37.0");
    real(36.6, "36.6");
    real(0.0, "0.0");
    real(-2.5, "-2.5");
    real(300000.0, "300000.0");
    real(1e20, "1.0e+20");
    real(1.5e-7, "1.5e-07");
    real(0.1 + 0.2, "0.3");
}

/* url split into libpq's URL (want) and the town (want_town) */
static void town(const char *url, const char *want, const char *want_town)
{
    char *conn, t[64], why[200];
    assert_int_equal(pg_url_town(url, &conn, t, why, sizeof why), 0);
    assert_string_equal(conn, want);
    assert_string_equal(t, want_town);
    free(conn);
}

/* url refused; the message never repeats the URL's text */
static void no_town(const char *url, const char *says)
{
    char *conn, t[64], why[200];
    assert_int_equal(pg_url_town(url, &conn, t, why, sizeof why), -1);
    assert_null(conn);
    assert_non_null(strstr(why, says));
    assert_null(strstr(why, "secret"));
}

static void towns_in_the_url(void **state)
{
    (void)state;
    town("postgres://u@h/county", "postgres://u@h/county", "");
    town("postgres://u@h/county?town=shanwang", "postgres://u@h/county",
         "shanwang");
    town("postgres://u@h:5432/c?sslmode=require&town=xi_shan2&connect_"
         "timeout=5", "postgres://u@h:5432/c?sslmode=require&connect_"
         "timeout=5", "xi_shan2");
    town("postgresql://u@h/c?town=public", "postgresql://u@h/c", "");
    town("postgres://u@h/c?&town=a&", "postgres://u@h/c", "a");
    char long_name[70];
    memset(long_name, 'a', 63);
    strcpy(long_name + 63, "");
    char url[120];
    snprintf(url, sizeof url, "postgres://h/c?town=%s", long_name);
    town(url, "postgres://h/c", long_name);
    strcat(url, "a"); /* 64 */
    no_town(url, "not a town's name");
    no_town("postgres://h/c?town=", "not a town's name");
    no_town("postgres://h/c?town=Shanwang", "not a town's name");
    no_town("postgres://h/c?town=1town", "not a town's name");
    no_town("postgres://h/c?town=pg_catalog", "not a town's name");
    no_town("postgres://h/c?town=information_schema", "not a town's name");
    town("postgres://h/c?town=information", "postgres://h/c", "information");
    town("postgres://h/c?town=pg", "postgres://h/c", "pg");
    assert_true(pg_town_name_ok("xishan"));
    assert_false(pg_town_name_ok("a&host=10.255.255.1"));
    assert_false(pg_town_name_ok("Foo"));
    no_town("postgres://h/c?town=a%20b", "not a town's name");
    no_town("postgres://h/c?town=a\"b", "not a town's name");
    no_town("postgres://h/c?town=a?password=secret", "not a town's name");
    no_town("postgres://h/c?town=a&town=b", "twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbered_parameters),
        cmocka_unit_test(quoted_text_is_left_alone),
        cmocka_unit_test(bare_question_marks),
        cmocka_unit_test(reals_as_sqlite_writes_them),
        cmocka_unit_test(towns_in_the_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
