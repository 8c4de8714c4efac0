/* signoff_cmd.c — fangyi signoff sign|list|show: signing off a day's
 * report and reading its frozen versions from the shell (docs/report.md).
 * --format json prints what the API answers (POST /reports/daily/signoff,
 * GET /reports/daily/versions, GET /reports/daily/versions/{n}); show
 * without it prints the frozen report exactly as it was signed. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/writer.h"
#include "../domain/accounts.h"
#include "../domain/observation.h"
#include "../domain/report_versions.h"
#include "cli.h"

typedef struct Sign {
    const Actor *a;
    ReportSignInput in;
    int64_t version;
    Buf *out;           /* the new version as the API answers it */
} Sign;

static int sign_tx(Db *db, void *arg, Err *err)
{
    Sign *s = arg;
    if (report_sign(db, s->a, &s->in, &s->version, err))
        return -1;
    Jw w;
    jw_init(&w, s->out);
    return report_version_write(db, s->a, s->in.date, s->version, &w, err);
}

/* One value of a difference as compact JSON. */
static void print_value(const json_t *v)
{
    char *s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT |
                                  JSON_REAL_PRECISION(15)) : NULL;
    fputs(s ? s : "null", stdout);
    free(s);
}

/* The differences of a JSON array text, one "key: before → after" line
 * each, indented. */
static void print_differences(const json_t *diffs, const char *none)
{
    size_t i;
    json_t *d;
    if (!json_array_size(diffs) && none)
        printf("  %s\n", none);
    json_array_foreach(diffs, i, d) {
        printf("  %s: ", json_string_value(json_object_get(d, "key")));
        print_value(json_object_get(d, "before"));
        fputs(" → ", stdout);
        print_value(json_object_get(d, "after"));
        putchar('\n');
    }
}

/* The text form of a version object or of the versions of a day. */
static void print_version(const json_t *v)
{
    const char *note = json_string_value(json_object_get(v, "note"));
    printf("version %" JSON_INTEGER_FORMAT "\tsigned %s by %s (%s)%s%s\n",
           json_integer_value(json_object_get(v, "version")),
           json_string_value(json_object_get(v, "signed_at")),
           json_string_value(json_object_get(v, "signed_by")),
           json_string_value(json_object_get(v, "signed_by_name")),
           note && *note ? "\t" : "", note ? note : "");
    print_differences(json_object_get(v, "differences"),
                      json_integer_value(json_object_get(v, "version")) > 1
                          ? "(no differences)"
                          : NULL);
}

static void print_text(const char *sub, const char *json)
{
    json_t *o = json_loads(json, 0, NULL);
    if (!strcmp(sub, "sign")) {
        printf("signed the report of %s\n",
               json_string_value(json_object_get(o, "date")));
        print_version(o);
    } else {
        json_t *vs = json_object_get(o, "versions"), *v;
        size_t i;
        const char *day = json_string_value(json_object_get(o, "date"));
        if (!json_array_size(vs))
            printf("the report of %s is not signed\n", day);
        json_array_foreach(vs, i, v) print_version(v);
        json_t *last = json_object_get(o, "latest_version");
        if (json_is_integer(last)) {
            printf("changed since version %" JSON_INTEGER_FORMAT ":\n",
                   json_integer_value(last));
            print_differences(json_object_get(o, "changed_since_signoff"),
                              "nothing");
        }
    }
    json_decref(o);
}

/* show: the frozen report itself, byte for byte as it was signed. */
static int print_frozen(void *ctx, const ReportVersion *v)
{
    (void)ctx;
    printf("%s\n", v->report);
    return 0;
}

/* The flags each subcommand takes; another is a usage error. */
static int check_flags(const CliArgs *a, const char *sub)
{
    static const char *const only[][2] = {
        {"as", "sign"}, {"note", "sign"}, {"version", "show"}};
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        if (cli_flag(a, only[i][0]) && strcmp(sub, only[i][1]))
            return cli_fail("signoff %s: --%s is for signoff %s", sub,
                            only[i][0], only[i][1]),
                   2;
    const char *f = cli_flag(a, "format");
    if (f && strcmp(f, "json") && strcmp(f, "text"))
        return cli_fail("signoff: --format must be text or json"), 2;
    if (!strcmp(sub, "sign") && (!cli_flag(a, "as") || !cli_flag(a, "date")))
        return cli_fail("signoff sign: --date and --as USERNAME are"
                        " required"),
               2;
    const char *v = cli_flag(a, "version");
    char *end = NULL;
    if (!strcmp(sub, "show") &&
        (!v || strtoll(v, &end, 10) < 1 || *end || end == v))
        return cli_fail("signoff show: --version N (1, 2, ...) is"
                        " required"),
               2;
    return 0;
}

int cmd_signoff(const CliArgs *a)
{
    const char *sub = a->pos[0];
    if (strcmp(sub, "sign") && strcmp(sub, "list") && strcmp(sub, "show"))
        return cli_fail("signoff: unknown subcommand %s (sign, list or"
                        " show)",
                        sub),
               2;
    int rc = check_flags(a, sub);
    if (rc)
        return rc;
    const char *format = cli_flag(a, "format");
    int json = format && !strcmp(format, "json");
    Db *db;
    if (cli_open(a->pos[1], &db))
        return 1;
    char today[11];
    const char *date = cli_flag(a, "date");
    if (!date) {
        day_today(today); /* the town's zone is set by cli_open */
        date = today;
    }
    Actor actor;
    Err err;
    Buf out = BUF_INIT;
    if (!strcmp(sub, "sign")) {
        Sign s = {&actor, {date, cli_flag(a, "note")}, 0, &out};
        if (actor_from_username(db, cli_flag(a, "as"), &actor, &err))
            rc = cli_fail("signoff: --as %s: %s", cli_flag(a, "as"),
                          err.message);
        else if (tx_run(db, sign_tx, &s, &err))
            rc = cli_fail("signoff: %s", err.message);
    } else {
        actor_system(&actor, "signoff");
        const char *v = cli_flag(a, "version");
        int64_t n = v ? strtoll(v, NULL, 10) : 0;
        Jw w;
        jw_init(&w, &out);
        if (!strcmp(sub, "list"))
            rc = report_versions_write(db, &actor, date, &w, &err);
        else if (json)
            rc = report_version_write(db, &actor, date, n, &w, &err);
        else
            rc = report_versions_of(db, &actor, date, n, print_frozen, NULL,
                                    &err);
        if (rc)
            rc = cli_fail("signoff: %s", err.message);
    }
    if (!rc && json)
        printf("%s\n", out.p);
    else if (!rc && strcmp(sub, "show"))
        print_text(sub, out.p);
    buf_free(&out);
    db_close(db);
    return rc;
}
