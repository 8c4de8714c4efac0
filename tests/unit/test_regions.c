/* test_regions.c — the region table and risk areas on a real SQLite file:
 * loading the embedded table (once), resolving what people write
 * (codes, full names, short names, "湖北武汉", full-width digits,
 * ambiguous and unknown names), code ranges, and the risk level of a
 * region on a day from the areas set on it and its ancestors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/secret.h"
#include "../../src/db/migrate.h"
#include "../../src/db/writer.h"
#include "../../src/domain/regions.h"

static char path[64];
static Db *db;

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/fangyi-regions-%d.db", (int)getpid());
    unlink(path);
    Err err;
    assert_int_equal(db_open(path, 1, &db, &err), 0);
    assert_int_equal(migrate_apply(db, &err), 0);
    assert_int_equal(tx_run(db, regions_ensure_tx, NULL, &err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[80];
    db_close(db);
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static int64_t count(const char *sql)
{
    int64_t n = -1;
    int found;
    Err err;
    assert_int_equal(db_one_int(db, &err, &n, &found, sql, ""), 0);
    return n;
}

static void ensure_loads_once(void **state)
{
    (void)state;
    int64_t n = count("SELECT count(*) FROM regions");
    assert_true(n > 3000 && n < 3600);
    assert_int_equal(count("SELECT count(*) FROM regions WHERE level = 1"),
                     31);
    Err err;
    assert_int_equal(tx_run(db, regions_ensure_tx, NULL, &err), 0);
    assert_int_equal(count("SELECT count(*) FROM regions"), n);
    /* every parent exists */
    assert_int_equal(count("SELECT count(*) FROM regions r WHERE parent IS"
                           " NOT NULL AND NOT EXISTS (SELECT 1 FROM regions"
                           " p WHERE p.code = r.parent)"),
                     0);
}

/* resolve text and check the code, or the 422 and a word of the message */
static void resolves(const char *text, const char *code)
{
    Region g;
    Err err;
    memset(&g, 0, sizeof g);
    int rc = regions_resolve(db, text, "origin", &g, &err);
    if (rc)
        fail_msg("%s: %s", text, err.message);
    assert_string_equal(g.code, code);
}

static void refused(const char *text, const char *needle)
{
    Region g;
    Err err;
    assert_int_equal(regions_resolve(db, text, "origin", &g, &err), -1);
    assert_int_equal(err.status, 422);
    assert_string_equal(err.field, "origin");
    if (!strstr(err.message, needle))
        fail_msg("%s: message \"%s\" lacks \"%s\"", text, err.message,
                 needle);
}

static void resolve_text(void **state)
{
    (void)state;
    resolves("湖北省武汉市", "420100");
    resolves("武汉", "420100");
    resolves("武汉市", "420100");
    resolves("湖北武汉", "420100");
    resolves("湖北 武汉", "420100");
    resolves("４２０１００", "420100");
    resolves("  420100 ", "420100");
    resolves("北京市东城区", "110101");
    resolves("北京东城", "110101");
    resolves("武汉市江岸区", "420102");
    resolves("湖北武汉江岸", "420102");
    resolves("湖北", "420000");
    resolves("广西", "450000");
    resolves("新疆", "650000");
    resolves("内蒙古", "150000");
    resolves("恩施土家族苗族自治州", "422800");
    /* equally good matches on one line of descent: the most specific */
    resolves("恩施", "422801");
    resolves("抚顺", "210421");
    /* a province's short name is the province */
    resolves("吉林", "220000");
    resolves("海南", "460000");
    resolves("浦东", "310115");
    resolves("吉林省长春市朝阳区", "220104");
    resolves("北京朝阳", "110105");
    resolves("湖北省仙桃市", "429004");

    Region g;
    Err err;
    assert_int_equal(regions_resolve(db, "420102", "origin", &g, &err), 0);
    assert_string_equal(g.name, "江岸区");
    assert_string_equal(g.full_name, "湖北省武汉市江岸区");
    assert_int_equal(g.level, 3);
    assert_int_equal(regions_resolve(db, "湖北武汉", "origin", &g, &err), 0);
    assert_string_equal(g.full_name, "湖北省武汉市");
    assert_int_equal(g.level, 2);

    refused("朝阳区", "北京市朝阳区");
    refused("朝阳区", "吉林省长春市朝阳区");
    refused("朝阳区", "ambiguous");
    refused("火星", "unknown region");
    refused("420199", "unknown region");
    refused("市辖区", "unknown region"); /* placeholders: full name only */
    assert_int_equal(regions_resolve(db, " 　", "origin", &g, &err), -1);
    assert_string_equal(err.code, "missing_field");
    assert_int_equal(regions_resolve(db, "\xff\xfe", "origin", &g, &err), -1);
    assert_int_equal(err.status, 422);
}

typedef struct Found {
    int n;
    char codes[32][7];
} Found;

static int collect(void *ctx, const Region *g)
{
    Found *f = ctx;
    if (f->n < 32)
        memcpy(f->codes[f->n++], g->code, 7);
    return 0;
}

static void search(void **state)
{
    (void)state;
    Found f = {0};
    Err err;
    assert_int_equal(regions_search(db, "武汉", 20, collect, &f, &err), 0);
    assert_true(f.n > 1 && f.n <= 20);
    assert_string_equal(f.codes[0], "420100");
    memset(&f, 0, sizeof f);
    assert_int_equal(regions_search(db, "湖北武汉", 5, collect, &f, &err), 0);
    assert_true(f.n >= 1);
    assert_string_equal(f.codes[0], "420100");
    memset(&f, 0, sizeof f);
    assert_int_equal(regions_search(db, "4201", 3, collect, &f, &err), 0);
    assert_int_equal(f.n, 3);
    memset(&f, 0, sizeof f);
    assert_int_equal(regions_search(db, "%", 5, collect, &f, &err), 0);
    assert_int_equal(f.n, 0);
}

static void code_range(void **state)
{
    (void)state;
    char lo[7], hi[7];
    regions_code_range("420000", lo, hi);
    assert_string_equal(lo, "420000");
    assert_string_equal(hi, "430000");
    regions_code_range("420100", lo, hi);
    assert_string_equal(lo, "420100");
    assert_string_equal(hi, "420200");
    regions_code_range("420102", lo, hi);
    assert_string_equal(lo, "420102");
    assert_string_equal(hi, "420103");
    regions_code_range("429000", lo, hi);
    assert_string_equal(hi, "429100");
    regions_code_range("419900", lo, hi);
    assert_string_equal(hi, "420000");
    regions_code_range("42", lo, hi);
    assert_string_equal(lo, "");
    assert_string_equal(hi, "");
}

static const char *level_on(const char *code, const char *date)
{
    static char level[8];
    Err err;
    if (risk_level_on(db, code, date, level, &err))
        fail_msg("risk_level_on %s %s: %s", code, date, err.message);
    return level;
}

typedef struct Write {
    RiskAreaInput in;
    int64_t id;       /* update this one; 0 creates */
} Write;

static int do_write(Db *d, void *arg, Err *err)
{
    Write *w = arg;
    Actor a;
    actor_system(&a, "test");
    if (w->id)
        return risk_areas_update(d, &a, w->id, &w->in, err);
    return risk_areas_create(d, &a, &w->in, &w->id, err);
}

static int64_t create(const char *region, const char *level,
                      const char *start, const char *end)
{
    Write w = {{region, level, start, end}, 0};
    Err err;
    if (tx_run(db, do_write, &w, &err))
        fail_msg("create %s: %s", region, err.message);
    return w.id;
}

static void update(int64_t id, const char *level, const char *end)
{
    Write w = {{NULL, level, NULL, end}, id};
    Err err;
    if (tx_run(db, do_write, &w, &err))
        fail_msg("update %lld: %s", (long long)id, err.message);
}

static void risk_levels(void **state)
{
    (void)state;
    assert_string_equal(level_on("420100", "2020-01-23"), "none");
    int64_t hubei = create("湖北省", "high", "2020-01-20", NULL);
    assert_string_equal(level_on("420100", "2020-01-23"), "high");
    assert_string_equal(level_on("420102", "2020-01-23"), "high");
    assert_string_equal(level_on("420000", "2020-01-20"), "high");
    assert_string_equal(level_on("420100", "2020-01-19"), "none");
    assert_string_equal(level_on("110101", "2020-01-23"), "none");

    /* an end date ends it (the end date is its last day) */
    update(hubei, NULL, "2020-03-10");
    assert_string_equal(level_on("420100", "2020-03-10"), "high");
    assert_string_equal(level_on("420100", "2020-03-11"), "none");

    /* the highest level of the region and its ancestors wins */
    create("420100", "medium", "2020-03-01", NULL);
    assert_string_equal(level_on("420102", "2020-03-05"), "high");
    assert_string_equal(level_on("420102", "2020-03-20"), "medium");
    assert_string_equal(level_on("420200", "2020-03-20"), "none");
    update(hubei, "low", "");
    assert_string_equal(level_on("420200", "2020-06-01"), "low");
    assert_string_equal(level_on("420100", "2020-06-01"), "medium");

    /* a municipality's county: county -> 110100 -> 110000 */
    create("北京", "medium", "2020-06-11", "2020-07-20");
    assert_string_equal(level_on("110106", "2020-06-15"), "medium");

    char level[8];
    Err err;
    assert_int_equal(risk_level_on(db, "420100", "2020-02-30", level, &err),
                     -1);
    assert_int_equal(err.status, 422);
    assert_int_equal(count("SELECT count(*) FROM audit_log"
                           " WHERE entity = 'risk_area'"),
                     5);
}

/* a write that must fail with 422 on field, leaving nothing behind */
static void bad_write(Write w, const char *field)
{
    int64_t before = count("SELECT count(*) FROM risk_areas") * 1000 +
                     count("SELECT count(*) FROM audit_log");
    Err err;
    int64_t id = w.id;
    assert_int_equal(tx_run(db, do_write, &w, &err), -1);
    assert_int_equal(err.status, 422);
    if (strcmp(err.field, field) != 0)
        fail_msg("expected field %s, got %s (%s)", field, err.field,
                 err.message);
    int64_t after = count("SELECT count(*) FROM risk_areas") * 1000 +
                    count("SELECT count(*) FROM audit_log");
    assert_int_equal(before, after);
    (void)id;
}

static void risk_validation(void **state)
{
    (void)state;
    bad_write((Write){{"火星", "high", "2020-01-20", NULL}, 0},
              "region_code");
    bad_write((Write){{NULL, "high", "2020-01-20", NULL}, 0}, "region_code");
    bad_write((Write){{"420100", "severe", "2020-01-20", NULL}, 0}, "level");
    bad_write((Write){{"420100", NULL, "2020-01-20", NULL}, 0}, "level");
    bad_write((Write){{"420100", "high", "2020/01/20", NULL}, 0},
              "start_date");
    bad_write((Write){{"420100", "high", NULL, NULL}, 0}, "start_date");
    bad_write((Write){{"420100", "high", "2020-01-20", "2020-13-01"}, 0},
              "end_date");
    bad_write((Write){{"420100", "high", "2020-01-20", "2020-01-19"}, 0},
              "end_date");
    int64_t id = create("420100", "high", "2020-01-20", NULL);
    bad_write((Write){{NULL, "none", NULL, NULL}, id}, "level");
    bad_write((Write){{NULL, NULL, NULL, "2020-01-01"}, id}, "end_date");
    bad_write((Write){{"420000", NULL, NULL, NULL}, id}, "region_code");
    bad_write((Write){{NULL, NULL, "2020-01-01", NULL}, id}, "start_date");

    Write w = {{NULL, "low", NULL, NULL}, 999};
    Err err;
    assert_int_equal(tx_run(db, do_write, &w, &err), -1);
    assert_int_equal(err.status, 404);

    /* a scoped account does not set town-wide risk areas */
    Actor a;
    actor_system(&a, "cadre");
    a.scope_all = 0;
    RiskAreaInput in = {"420100", "low", "2020-02-01", NULL};
    int64_t nid;
    assert_int_equal(risk_areas_create(db, &a, &in, &nid, &err), -1);
    assert_int_equal(err.status, 403);
}

int main(void)
{
    secret_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ensure_loads_once, setup, teardown),
        cmocka_unit_test_setup_teardown(resolve_text, setup, teardown),
        cmocka_unit_test_setup_teardown(search, setup, teardown),
        cmocka_unit_test_setup_teardown(code_range, setup, teardown),
        cmocka_unit_test_setup_teardown(risk_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(risk_validation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
