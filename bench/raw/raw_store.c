/* raw_store.c — the benchmark's raw storage ceiling: the physical limit of
 * fangyi's design on this machine, with nothing of fangyi's work in it.
 *
 *   raw_store serve DB PORT     an HTTP server on 127.0.0.1:PORT
 *   raw_store pwhash N          N argon2id checks on two threads
 *
 * The server has fangyi's shape — libmicrohttpd with a pool of 2 epoll
 * threads, each write handed to the same group-commit writer
 * (src/db/writer.c) on a connection opened the same way (WAL,
 * synchronous=FULL, foreign keys), the connection suspended until the
 * commit and answered after it — and nothing else: no authentication, no
 * validation, no audit, no hand-over to the register, no alerts.
 *
 *   POST /api/v1/passes               the pass row and its pass_people rows
 *   POST /api/v1/measures/{id}/checks the check row (409 if the slot is
 *                                     filled)
 *   GET  /api/v1/health               {"status":"ok"}
 *
 * pwhash is the floor of signing in: the password check with fangyi's
 * parameters (src/base/secret.c), as many per second as two cores do. */
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/secret.h"
#include "db/db.h"
#include "db/writer.h"

enum { BODY_MAX = 64 * 1024 };
enum { KIND_NONE, KIND_PASS, KIND_CHECK, KIND_HEALTH };

/* One request: its body, then its write job, then its answer. */
typedef struct Conn {
    struct MHD_Connection *mhd;
    int kind, answered;
    int64_t measure_id;
    Buf body;
    json_t *doc;
    WriteJob job;
    unsigned status;
    char out[64];
} Conn;

static Writer *writer;

/* The town's day and hour and the UTC time of now (Asia/Shanghai is the
 * harness's town; the real server takes the town's zone from the db). */
static void now_parts(char iso[21], char day[11], int *hour)
{
    time_t t = time(NULL);
    struct tm u, l;
    gmtime_r(&t, &u);
    strftime(iso, 21, "%Y-%m-%dT%H:%M:%SZ", &u);
    time_t local = t + 8 * 3600;
    gmtime_r(&local, &l);
    strftime(day, 11, "%Y-%m-%d", &l);
    *hour = l.tm_hour;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The pass and its people, as fangyi stores them (same columns). */
static int pass_write(Db *db, void *arg, Err *err)
{
    Conn *c = arg;
    char iso[21], day[11];
    int hour;
    now_parts(iso, day, &hour);
    json_t *persons = json_object_get(c->doc, "persons");
    int64_t id;
    if (db_insert(db, err, &id,
                  "INSERT INTO passes (client_id, point_id, village_id, at,"
                  " day, hour, direction, plate, vehicle, checker_id,"
                  " checker, persons, created_at) SELECT ?1, id, village_id,"
                  " ?3, ?4, ?5, ?6, ?7, ?8, 1, 'raw', ?9, ?3 FROM places"
                  " WHERE id = ?2 RETURNING id",
                  "tittittti", str(c->doc, "client_id"),
                  json_integer_value(json_object_get(c->doc, "point_id")),
                  iso, day, (int64_t)hour, str(c->doc, "direction"),
                  str(c->doc, "plate"), str(c->doc, "vehicle"),
                  (int64_t)json_array_size(persons)))
        return -1;
    size_t i;
    json_t *p;
    json_array_foreach(persons, i, p)
    {
        double t = json_number_value(json_object_get(p, "temperature"));
        const char *from = str(p, "from"), *addr = str(p, "address"),
                   *why = str(p, "reason");
        if (db_run(db, err,
                   "INSERT INTO pass_people (pass_id, name, id_number,"
                   " phone, from_text, to_village_id, address, temperature,"
                   " fever, reason, outcome) VALUES (?1, ?2, ?3, ?4, ?5,"
                   " ?6, ?7, ?8, ?9, ?10, ?11)",
                   "ittttItditt", id, str(p, "name"), str(p, "id_number"),
                   str(p, "phone"), from ? from : "",
                   json_integer_value(json_object_get(p, "to_village_id")),
                   addr ? addr : "", t, (int64_t)(t >= 37.3),
                   why ? why : "", str(p, "outcome")))
            return -1;
    }
    snprintf(c->out, sizeof c->out, "{\"id\":%lld}", (long long)id);
    c->status = 201;
    return 0;
}

/* The check row, as fangyi stores it. */
static int check_write(Db *db, void *arg, Err *err)
{
    Conn *c = arg;
    char iso[21], day[11];
    int hour;
    now_parts(iso, day, &hour);
    const char *d = str(c->doc, "day");
    if (db_run(db, err,
               "INSERT INTO checks (measure_id, person_id, day, slot, at,"
               " temperature, method, checker_id, checker) SELECT ?1,"
               " person_id, ?2, ?3, ?4, ?5, ?6, 1, 'raw' FROM measures"
               " WHERE id = ?1",
               "ititdt", c->measure_id, d ? d : day,
               json_integer_value(json_object_get(c->doc, "slot")), iso,
               json_number_value(json_object_get(c->doc, "temperature")),
               str(c->doc, "method")))
        return -1;
    snprintf(c->out, sizeof c->out, "{\"measure_id\":%lld}",
             (long long)c->measure_id);
    c->status = 201;
    return 0;
}

static void write_done(WriteJob *job)
{
    Conn *c = (Conn *)((char *)job - offsetof(Conn, job));
    if (job->rc) {
        c->status = job->err.status == 409 ? 409 : 500;
        snprintf(c->out, sizeof c->out, "{\"error\":\"%.40s\"}",
                 job->err.code);
    }
    MHD_resume_connection(c->mhd);
}

static enum MHD_Result answer(Conn *c)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(c->out), c->out, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json");
    enum MHD_Result ok = MHD_queue_response(c->mhd, c->status, r);
    MHD_destroy_response(r);
    return ok;
}

static int route(const char *method, const char *url, int64_t *measure)
{
    long long id;
    char rest[16];
    if (!strcmp(method, "GET") && !strcmp(url, "/api/v1/health"))
        return KIND_HEALTH;
    if (strcmp(method, "POST"))
        return KIND_NONE;
    if (!strcmp(url, "/api/v1/passes"))
        return KIND_PASS;
    if (sscanf(url, "/api/v1/measures/%lld/%15s", &id, rest) == 2 &&
        !strcmp(rest, "checks")) {
        *measure = id;
        return KIND_CHECK;
    }
    return KIND_NONE;
}

/* First call: headers; then the body in pieces; then the write goes to
 * the writer and the connection sleeps; after the commit it is called
 * again and answers (the answer is never queued on the first call, see
 * DESIGN.md on keep-alive with libmicrohttpd 0.9.75). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *mhd,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *size, void **con_cls)
{
    (void)cls;
    (void)version;
    Conn *c = *con_cls;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            abort();
        c->mhd = mhd;
        c->kind = route(method, url, &c->measure_id);
        *con_cls = c;
        return MHD_YES;
    }
    if (*size) {
        if (c->body.len + *size <= BODY_MAX)
            buf_append(&c->body, data, *size);
        *size = 0;
        return MHD_YES;
    }
    if (c->answered)
        return answer(c);
    c->answered = 1;
    c->status = 200;
    snprintf(c->out, sizeof c->out, "{\"status\":\"ok\"}");
    if (c->kind == KIND_NONE) {
        c->status = 404;
        snprintf(c->out, sizeof c->out, "{\"error\":\"not_found\"}");
    }
    if (c->kind != KIND_PASS && c->kind != KIND_CHECK)
        return answer(c);
    c->doc = json_loadb(c->body.p ? c->body.p : "", c->body.len, 0, NULL);
    if (!json_is_object(c->doc)) {
        c->status = 400;
        snprintf(c->out, sizeof c->out, "{\"error\":\"bad_json\"}");
        return answer(c);
    }
    c->job.fn = c->kind == KIND_PASS ? pass_write : check_write;
    c->job.arg = c;
    c->job.done = write_done;
    MHD_suspend_connection(mhd);
    writer_submit(writer, &c->job);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *mhd,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)mhd;
    (void)toe;
    Conn *c = *con_cls;
    if (!c)
        return;
    json_decref(c->doc);
    buf_free(&c->body);
    free(c);
    *con_cls = NULL;
}

static int serve(const char *path, unsigned port)
{
    Db *db;
    Err err;
    if (db_open(path, 0, &db, &err)) {
        fprintf(stderr, "raw_store: %s\n", err.message);
        return 1;
    }
    writer = writer_start(db);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
            MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)port, NULL, NULL, on_request, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "raw_store: cannot listen on port %u\n", port);
        writer_stop(writer);
        return 1;
    }
    printf("raw_store: listening on http://127.0.0.1:%u\n", port);
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    long batches, jobs;
    writer_stats(writer, &batches, &jobs);
    writer_stop(writer);
    fprintf(stderr, "raw_store: %ld writes in %ld commits\n", jobs, batches);
    return 0;
}

/* ---- pwhash --------------------------------------------------------------- */

static char hash[SECRET_HASH_LEN];
static long per_thread;

static void *checks_main(void *arg)
{
    long *ok = arg;
    for (long i = 0; i < per_thread; i++)
        *ok += secret_check_password(hash, "bench-pass-1");
    return NULL;
}

static int pwhash(long n)
{
    if (secret_init() || secret_hash_password("bench-pass-1", hash)) {
        fprintf(stderr, "raw_store: libsodium failed\n");
        return 1;
    }
    per_thread = n / 2 > 0 ? n / 2 : 1;
    pthread_t t[2];
    long ok[2] = {0, 0};
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, checks_main, &ok[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    if (ok[0] + ok[1] != 2 * per_thread) {
        fprintf(stderr, "raw_store: a password check failed\n");
        return 1;
    }
    printf("{\"checks\":%ld,\"seconds\":%.3f,\"per_second\":%.2f}\n",
           2 * per_thread, s, 2 * per_thread / s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "serve"))
        return serve(argv[2], (unsigned)atoi(argv[3]));
    if (argc == 3 && !strcmp(argv[1], "pwhash"))
        return pwhash(atol(argv[2]));
    fprintf(stderr, "usage: raw_store serve DB PORT | raw_store pwhash N\n");
    return 2;
}
