/* county_cmd.c — fangyi county postgres://…/DB [--date D] [--format
 * text|json] [--test-clock FILE]: the county's roll-up of the daily report
 * over every town of a county database (each town a schema of its own,
 * docs/deploy.md).  Each town's report is computed as `fangyi report`
 * computes it, town-wide; the county's figures are the towns' counts added
 * up, shares computed again from the sums (never an average of shares).
 * Text: the county's figures, then a line per town with the brief
 * figures.  JSON: {date, towns: [{town, report}], skipped: [{town,
 * reason}], total: [{label, unit, value}]}, each report exactly as
 * report_write writes it.  Supplies stay per town (each town names its
 * own items).
 *
 * It only reads: a town is opened without migrating it, and a town this
 * binary cannot count (migrations pending, a schema a newer fangyi made,
 * or `migrate-data` still copying it in) is skipped and named, in the
 * output and on stderr.  Without --date the day is today in the time zone
 * of the first town counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../db/migrate.h"
#include "../domain/observation.h"
#include "../domain/report.h"
#include "../domain/report_figures.h"
#include "../domain/town.h"
#include "cli.h"

enum { MAX_TOWNS = 1000 };

struct Skip;
typedef struct Towns {
    char (*schema)[64];
    Report *report;
    const struct Skip **skipped; /* why town i is not counted, or NULL */
    size_t n;
} Towns;

/* The schemas of url's database holding a fangyi town, by name. */
static int list_towns(const char *url, Towns *t)
{
    Db *db;
    Err err;
    if (db_open(url, 0, &db, &err))
        return cli_fail("county: %s", err.message);
    DbStmt *st;
    /* a fangyi database: its schema_version and town tables */
    int rc = db_query(db, &st, &err,
                      "SELECT n.nspname FROM pg_namespace n"
                      " WHERE EXISTS (SELECT 1 FROM pg_class c"
                      "  WHERE c.relnamespace = n.oid AND c.relkind = 'r'"
                      "  AND c.relname = 'schema_version')"
                      " AND EXISTS (SELECT 1 FROM pg_class c"
                      "  WHERE c.relnamespace = n.oid AND c.relkind = 'r'"
                      "  AND c.relname = 'town')"
                      " ORDER BY n.nspname COLLATE \"C\"", "");
    if (!rc) {
        while ((rc = db_step(st, &err)) == DB_ROW && t->n < MAX_TOWNS) {
            const char *name = db_text(st, 0);
            char *town_url = db_url_town(url, name);
            if (!town_url) /* never one fangyi made */
                fprintf(stderr, "fangyi: county: schema %.80s is not a"
                        " town's name (a-z, 0-9, _): left out\n", name);
            else
                snprintf(t->schema[t->n++], 64, "%s", name);
            free(town_url);
        }
        db_done(st);
    }
    db_close(db);
    if (rc == DB_ROW)
        return cli_fail("county: more than %d towns", MAX_TOWNS);
    if (rc < 0)
        return cli_fail("county: %s", err.message);
    if (t->n == 0)
        return cli_fail("county: %s holds no town (make one with fangyi"
                        " init or migrate-data, URL?town=NAME)", url);
    return 0;
}

/* Why a town is not counted: in the text (Chinese) and on stderr. */
typedef struct Skip {
    const char *zh, *en;
} Skip;
static const Skip COPYING = {
    "数据迁移（migrate-data）尚未完成",
    "migrate-data has not finished copying it in"};
static const Skip TOO_NEW = {
    "数据库由较新版本的 fangyi 升级过，请用新版本汇总",
    "a newer fangyi has migrated it: run the county report with that one"};
static const Skip PENDING = {
    "数据库版本较旧，需先升级（启动其服务，或运行 fangyi audit verify）",
    "its schema is older than this fangyi: start its server, or run"
    " fangyi audit verify on it"};

/* *skip: why the town cannot be counted, or NULL when it can: a schema
 * newer or older than this binary's (it is never migrated here), or
 * migrate-data still copying it in (its migrate_progress's source row,
 * tbl '', not yet finished: copy.h). */
static int town_state(Db *db, const Skip **skip, Err *err)
{
    long version;
    int has = 0, found, pending;
    int64_t copying = 0;
    *skip = NULL;
    if (migrate_check(db, &version, err)) {
        if (strcmp(err->code, "too_new"))
            return -1;
        *skip = &TOO_NEW;
        return 0;
    }
    if ((pending = migrate_pending(db, err)) < 0 ||
        db_has_column(db, "migrate_progress", "finished", &has, err) ||
        (has && db_one_int(db, err, &copying, &found,
                           "SELECT count(*) FROM migrate_progress"
                           " WHERE tbl = '' AND finished = 0", "")))
        return -1;
    *skip = pending ? &PENDING : copying ? &COPYING : NULL;
    return 0;
}

/* Town i's report of date (today in the zone of the first town counted
 * when empty), or why it is skipped.  One connection, never written. */
static int town_report(const char *url, Towns *t, size_t i, char date[11])
{
    char *town_url = db_url_town(url, t->schema[i]);
    if (!town_url)
        return cli_fail("county: not a PostgreSQL URL");
    Db *db;
    Err err;
    int rc = db_open(town_url, 0, &db, &err);
    free(town_url);
    if (rc)
        return cli_fail("county: %s: %s", t->schema[i], err.message);
    Town town;
    if (!(rc = town_state(db, &t->skipped[i], &err)) && t->skipped[i])
        fprintf(stderr, "fangyi: county: %s left out: %s\n", t->schema[i],
                t->skipped[i]->en);
    else if (!rc && !(rc = town_get(db, &town, &err))) {
        clock_set_zone(town.tz);
        if (!*date)
            day_today(date);
        Actor actor;
        actor_system(&actor, "county");
        rc = report_daily(db, &actor, date, &t->report[i], &err);
    }
    db_close(db);
    if (rc)
        return cli_fail("county: %s: %s", t->schema[i], err.message);
    return 0;
}

/* The county: the towns' figures added up. */
static void add_up(const Towns *t, Report *sum)
{
    for (size_t i = 0; i < t->n; i++) {
        const Report *r = &t->report[i];
        if (t->skipped[i])
            continue;
        sum->villages += r->villages;
        sum->points += r->points;
        sum->rounds_total += r->rounds_total;
        sum->full_rounds_total += r->full_rounds_total;
        report_counts_add(&sum->total, &r->total);
    }
}

/* How many towns are counted. */
static size_t counted(const Towns *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += !t->skipped[i];
    return n;
}

static void write_text(const Towns *t, const Report *sum, Buf *b)
{
    buf_printf(b, "全县汇总（%zu 个乡镇） %s %s\n", counted(t), REPORT_TITLE,
               sum->date);
    report_figures_lines(sum, &sum->total, b);
    for (size_t i = 0; i < t->n; i++) {
        if (t->skipped[i]) {
            buf_printf(b, "未计入：%s（%s）\n", t->schema[i],
                       t->skipped[i]->zh);
            continue;
        }
        char name[4 * 64 + 80];
        snprintf(name, sizeof name, "%s（%s）", t->report[i].town,
                 t->schema[i]);
        report_brief_line(name, &t->report[i], &t->report[i].total, b);
    }
}

static void write_json(const Towns *t, const Report *sum, Buf *b)
{
    Jw w;
    jw_init(&w, b);
    jw_object(&w);
    jw_kstr(&w, "date", sum->date);
    jw_key(&w, "towns");
    jw_array(&w);
    for (size_t i = 0; i < t->n; i++) {
        if (t->skipped[i])
            continue;
        jw_object(&w);
        jw_kstr(&w, "town", t->schema[i]);
        jw_key(&w, "report");
        report_write(&w, &t->report[i]);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "skipped");
    jw_array(&w);
    for (size_t i = 0; i < t->n; i++) {
        if (!t->skipped[i])
            continue;
        jw_object(&w);
        jw_kstr(&w, "town", t->schema[i]);
        jw_kstr(&w, "reason", t->skipped[i]->en);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "total");
    jw_array(&w);
    for (int i = 0; i < report_nfigures; i++) {
        const ReportFigure *f = &report_figures[i];
        jw_object(&w);
        jw_kstr(&w, "label", f->label);
        jw_kstr(&w, "unit", f->unit);
        jw_key(&w, "value");
        jw_double(&w, report_figure_value(f, sum, &sum->total),
                  report_figure_decimals(f));
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    buf_putc(b, '\n');
}

int cmd_county(const CliArgs *a)
{
    const char *url = a->pos[0], *format = cli_flag(a, "format");
    const char *date_flag = cli_flag(a, "date");
    const char *test_clock = cli_flag(a, "test-clock");
    if (!format)
        format = "text";
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_fail("county: --format must be text or json"), 2;
    if (!db_is_postgres_url(url))
        return cli_fail("county: a county database is a PostgreSQL URL; a"
                        " SQLite file holds one town (fangyi report)"), 2;
    if (test_clock)
        clock_use_file(test_clock);
    char date[11] = "";
    if (date_flag)
        snprintf(date, sizeof date, "%s", date_flag);
    Towns t = {calloc(MAX_TOWNS, 64), NULL, NULL, 0};
    if (!t.schema)
        abort();
    int rc = list_towns(url, &t);
    if (!rc) {
        t.report = calloc(t.n, sizeof *t.report);
        t.skipped = calloc(t.n, sizeof *t.skipped);
        if (!t.report || !t.skipped)
            abort();
    }
    size_t done = 0;
    while (!rc && done < t.n && !(rc = town_report(url, &t, done, date)))
        done++;
    if (!rc && counted(&t) == 0)
        rc = cli_fail("county: no town of the database could be counted");
    if (!rc) {
        Report sum = {0};
        snprintf(sum.date, sizeof sum.date, "%s", date);
        add_up(&t, &sum);
        Buf b = BUF_INIT;
        (!strcmp(format, "json") ? write_json : write_text)(&t, &sum, &b);
        if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout))
            rc = cli_fail("county: cannot write to stdout");
        buf_free(&b);
    }
    for (size_t i = 0; i < done; i++)
        if (!t.skipped[i])
            report_free(&t.report[i]);
    free(t.report);
    free(t.skipped);
    free(t.schema);
    return rc;
}
