/* common.c — the fuzz targets' shared fixture: the demo town in a
 * temporary database, API tokens, the public form's link and the
 * in-process server (see common.h). */
#include "common.h"

#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/api/api.h"
#include "../../src/base/clock.h"
#include "../../src/base/validate.h"
#include "../../src/cli/cli.h"
#include "../../src/db/writer.h"
#include "../../src/domain/accounts.h"
#include "../../src/domain/checkpoints.h"

/* The demo's "now": 2020-02-10 09:00 in Asia/Shanghai. */
#define DEMO_NOW 1581296400

static char dir[4096], path[4200];
static Server *server;
static ServeOptions options;

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* The last audit entry of the fixture: every later one is an input's. */
static int64_t audit_fixed;

void fuzz_inspect_audit(Db *db, void *ctx)
{
    (void)ctx;
    DbStmt *st;
    Err err;
    if (db_query(db, &st, &err,
                 "SELECT actor, action, entity, summary FROM audit_log"
                 " WHERE id > ?1",
                 "i", audit_fixed))
        fuzz_fail("audit: %s", err.message);
    int rc;
    while ((rc = db_step(st, &err)) == DB_ROW)
        for (int i = 0; i < 4; i++) {
            const char *t = db_text(st, i);
            if (t && !validate_utf8(t, strlen(t)))
                fuzz_fail("audit: a %s entry stores text that is not UTF-8:"
                          " %s", db_text(st, 1), t);
        }
    db_done(st);
    if (rc == DB_ERROR)
        fuzz_fail("audit: %s", err.message);
}

static void cleanup(void)
{
    server_local_close(server);
    server = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        char f[8192];
        snprintf(f, sizeof f, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(f);
    }
    closedir(d);
    rmdir(dir);
}

typedef struct Accounts {
    int n;
    int64_t id[64];
    char name[64][64];
} Accounts;

static int keep_account(void *ctx, const Account *acc)
{
    Accounts *l = ctx;
    if (l->n < 64) {
        l->id[l->n] = acc->id;
        snprintf(l->name[l->n], sizeof l->name[0], "%s", acc->username);
        l->n++;
    }
    return 0;
}

/* A token per account (the username), and a fixed public form link. */
static int add_fixtures(Db *db, void *arg, Err *err)
{
    (void)arg;
    Accounts l = {0};
    if (accounts_list(db, 0, 64, keep_account, &l, err))
        return -1;
    for (int i = 0; i < l.n; i++) {
        Actor a = {.id = l.id[i]};
        snprintf(a.username, sizeof a.username, "%s", l.name[i]);
        int64_t id;
        if (tokens_create(db, &a, "fuzz", l.name[i], &id, err))
            return -1;
    }
    int64_t point;
    int found;
    Actor sys;
    char token[33];
    actor_system(&sys, "fuzz");
    if (db_one_int(db, err, &point, &found,
                   "SELECT min(id) FROM places WHERE type = 'point'"
                   " AND active = 1",
                   "") ||
        checkin_link(db, &sys, point, token, err))
        return -1;
    return db_run(db, err,
                  "UPDATE checkin_links SET token = ?1 WHERE point_id = ?2",
                  "ti", FUZZ_CHECKIN_TOKEN, point);
}

const char *fuzz_db_path(void)
{
    if (path[0])
        return path;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fangyi-fuzz.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        fuzz_fail("cannot make a directory in %s", dir);
    snprintf(path, sizeof path, "%s/demo.db", dir);
    atexit(cleanup);
    setenv("FANGYI_ADMIN_PASSWORD", "fuzz-admin-password", 1);
    setenv("FANGYI_PASSWORD", "fuzz-staff-password", 1);
    /* the demo prints what it made: not part of a fuzzer's log */
    fflush(stdout);
    int saved = dup(1);
    if (!freopen("/dev/null", "w", stdout))
        fuzz_fail("cannot open /dev/null");
    CliArgs a = {.pos = {path}, .npos = 1};
    int rc = cmd_demo(&a);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    if (rc)
        fuzz_fail("cannot make the demo town in %s", path);
    Db *db;
    Err err;
    if (db_open(path, 0, &db, &err) ||
        tx_run(db, add_fixtures, NULL, &err))
        fuzz_fail("fixtures: %s", err.message);
    db_close(db);
    clock_set_fixed(DEMO_NOW);
    return path;
}

/* Records the demo town lacks, so the routes on them get past 404 and
 * their later steps: made through the API itself, kept (an enterprise and
 * its worker, a shift, a contact, a fever alert reported and one open, a
 * visitor, a person without ID number to merge (422), a visit with a
 * problem (977), names as long as allowed, a self-registration
 * waiting). */
static const struct {
    const char *account, *path, *body;
    const char *method; /* NULL: POST */
} FIXTURES[] = {
    {"admin", "/api/v1/enterprises",
     "{\"name\":\"山旺机械厂\",\"village_id\":1,\"approval\":\"approved\"}"},
    {"admin", "/api/v1/enterprises/1/workers", "{\"person_id\":21}"},
    {"admin", "/api/v1/shifts",
     "{\"point_id\":65,\"starts_at\":\"2020-02-10T08:00\","
     "\"ends_at\":\"2020-02-10T16:00\",\"staff\":\"马振华\"}"},
    {"admin", "/api/v1/people/12/contacts",
     "{\"source_id\":26,\"last_exposure\":\"2020-02-05\","
     "\"relationship\":\"colleague\"}"},
    {"admin", "/api/v1/measures/21/checks",
     "{\"temperature\":38.2,\"slot\":2}"},
    {"admin", "/api/v1/alerts/1/steps", "{\"step\":\"report\"}"},
    {"admin", "/api/v1/visitors",
     "{\"place_id\":123,\"name\":\"来访甲\",\"temperature\":38.0}"},
    {"admin", "/api/v1/people",
     "{\"name\":\"马浩然\",\"phone\":\"15229773888\",\"village_id\":1}"},
    {"admin", "/api/v1/inspection-visits",
     "{\"round_id\":16,\"place_id\":65,\"problems\":\"登记不全\","
     "\"required_fix\":\"补登记\",\"deadline\":\"2020-02-12\"}"},
    /* names as long as allowed, in 4-byte characters: a person with a
     * measure (108) and a checker's display name (checker_2) */
    {"admin", "/api/v1/people/108",
     "{\"name\":\"😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷\"}", "PATCH"},
    {"admin", "/api/v1/users/14",
     "{\"display_name\":\"😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷😷\"}", "PATCH"},
    {NULL, "/api/v1/checkin/" FUZZ_CHECKIN_TOKEN,
     "{\"name\":\"王五\",\"id_number\":\"420106198001011237\","
     "\"phone\":\"13800138000\",\"vehicle\":\"on_foot\"}"},
};

Server *fuzz_server(void)
{
    if (server)
        return server;
    options = (ServeOptions){.db_path = fuzz_db_path(), .quiet = 1};
    Err err;
    server = server_local_open(&options, api_routes, &err);
    if (!server)
        fuzz_fail("server: %s", err.message);
    for (size_t i = 0; i < sizeof FIXTURES / sizeof *FIXTURES; i++) {
        char bearer[64];
        snprintf(bearer, sizeof bearer, "Bearer %s",
                 FIXTURES[i].account ? FIXTURES[i].account : "");
        const char *headers[] = {"Content-Type", "application/json",
                                 FIXTURES[i].account ? "Authorization"
                                                     : NULL,
                                 bearer, NULL};
        LocalRequest q = {.method = FIXTURES[i].method ? FIXTURES[i].method
                                                       : "POST",
                          .path = FIXTURES[i].path,
                          .headers = headers, .body = FIXTURES[i].body,
                          .body_len = strlen(FIXTURES[i].body),
                          .keep_writes = 1};
        Buf out = BUF_INIT;
        int is_json;
        int status = server_local_request(server, &q, &out, &is_json);
        if (status < 200 || status > 299)
            fuzz_fail("fixture POST %s: %d %s", q.path, status,
                      out.p ? out.p : "");
        buf_free(&out);
    }
    Db *db;
    int found;
    if (db_open(path, 0, &db, &err) ||
        db_one_int(db, &err, &audit_fixed, &found,
                   "SELECT max(id) FROM audit_log", ""))
        fuzz_fail("audit: %s", err.message);
    db_close(db);
    return server;
}

void fuzz_check_answer(int status, const Buf *out, int is_json,
                       const char *what)
{
    if (status == 0)
        fuzz_fail("%s: the handler gave no answer", what);
    if (status < 0)
        fuzz_fail("%s: the download was cut off", what);
    if (status >= 500)
        fuzz_fail("%s: answered %d: %.300s", what, status,
                  out->p ? out->p : "");
    if (!is_json)
        return;
    json_error_t je;
    json_t *j = json_loadb(out->p ? out->p : "", out->len, 0, &je);
    if (!j)
        fuzz_fail("%s: answered %d with malformed JSON (%s): %.300s", what,
                  status, je.text, out->p ? out->p : "");
    json_decref(j);
}
