/* server.c — the HTTP server (see server.h).
 *
 * Every request goes through the same gate before its handler runs: route
 * match (404/405), sign-in (401), CSRF for unsafe methods with a session
 * cookie (403), the route's capability (403), content type (415), body
 * size (413) and JSON syntax (400).  A write suspends the connection until
 * the group-commit writer has committed it (MHD_suspend_connection /
 * MHD_resume_connection), so no pool thread ever waits for the disk. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "../db/migrate.h"
#include "../domain/accounts.h"
#include "../domain/regions.h"
#include "../domain/town.h"
#include "static.h"

/* A request held back before its answer (failed logins), resumed later. */
typedef struct Delayed {
    Req *r;
    int64_t due_ms;
    struct Delayed *next;
} Delayed;

/* The read connections opened by pool threads, closed at shutdown. */
typedef struct ReadConn {
    Db *db;
    struct ReadConn *next;
} ReadConn;

struct Server {
    const ServeOptions *opt;
    const Route *routes;
    struct MHD_Daemon *daemon;
    Writer *writer;
    pthread_mutex_t mu;
    ReadConn *reads;
    long inflight;              /* requests begun and not completed */
    long writes;                /* writes handed to the writer, not done */
    int closing;                /* a stop signal came: refuse new work */
    /* the periodic job (missed-check sweep) */
    pthread_t periodic_thread;
    pthread_cond_t periodic_cv;
    /* delayed answers */
    pthread_t delay_thread;
    pthread_cond_t delay_cv;
    Delayed *delayed;
    int stopping;
};

enum { PHASE_NEW, PHASE_BODY, PHASE_WAIT };

static __thread Db *thread_db;

Writer *server_writer(Server *s) { return s->writer; }

/* Open this worker thread's read connection if it has none.  On failure
 * (PostgreSQL restarting, "too many clients", a network blip) the thread
 * keeps none, so that its next request tries again; -1 with err set. */
static int thread_db_open(Server *s, Err *err)
{
    if (thread_db)
        return 0;
    Db *db;
    if (db_open(s->opt->db_path, 0, &db, err))
        return -1;
    ReadConn *rc = calloc(1, sizeof *rc);
    if (!rc)
        abort();
    rc->db = db;
    pthread_mutex_lock(&s->mu);
    rc->next = s->reads;
    s->reads = rc;
    pthread_mutex_unlock(&s->mu);
    thread_db = db;
    return 0;
}

Db *req_db(Req *r)
{
    Err err;
    /* every API request has the connection open before its handler runs
     * (see on_request): failing here is a broken invariant */
    if (thread_db_open(r->srv, &err)) {
        fprintf(stderr, "fangyi: %s\n", err.message);
        abort();
    }
    return thread_db;
}

/* ---- answers ------------------------------------------------------------ */

/* A stream set up but never handed to libmicrohttpd is released here. */
static void drop_stream(Req *r)
{
    if (r->stream_fn && r->stream_release)
        r->stream_release(r->stream_arg);
    r->stream_fn = NULL;
    r->stream_release = NULL;
    r->stream_arg = NULL;
}

/* The Content-Disposition of a file name: as it is when plain ASCII;
 * otherwise (日报-山旺镇-2020-02-10.xlsx) its ASCII part for old clients
 * and the whole name in UTF-8 as filename* (RFC 6266, RFC 5987). */
static const char *disposition(Req *r, const char *name)
{
    Buf b = BUF_INIT;
    buf_puts(&b, "attachment; filename=\"");
    size_t start = b.len;
    int plain = 1;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p >= 0x7F || *p == '"' || *p == '\\') {
            plain = 0;
            continue;
        }
        if (b.len > start || (*p != '-' && *p != '_'))
            buf_putc(&b, (char)*p);
    }
    if (b.len == start)
        buf_puts(&b, "download");
    buf_putc(&b, '"');
    if (!plain) {
        buf_puts(&b, "; filename*=UTF-8''");
        for (const unsigned char *p = (const unsigned char *)name; *p; p++)
            if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' &&
                                             (*p | 0x20) <= 'z') ||
                strchr("!#$&+-.^_`|~", *p))
                buf_putc(&b, (char)*p);
            else
                buf_printf(&b, "%%%02X", *p);
    }
    const char *v = arena_strdup(&r->arena, b.p);
    buf_free(&b);
    return v;
}

void resp_stream(Req *r, const char *content_type, const char *filename,
                 StreamFn fn, void (*release)(void *arg), void *arg)
{
    drop_stream(r);
    buf_reset(&r->out);
    r->status = 200;
    r->stream_fn = fn;
    r->stream_release = release;
    r->stream_arg = arg;
    r->stream_type = arena_strdup(&r->arena, content_type);
    r->stream_file = filename && *filename ? disposition(r, filename) : NULL;
}

void resp_begin(Req *r, int status, Jw *w)
{
    drop_stream(r);
    r->status = status;
    buf_reset(&r->out);
    jw_init(w, &r->out);
}

void resp_fail(Req *r, int status, const char *code, const char *field,
               const char *msg)
{
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    jw_key(&w, "error");
    jw_object(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "message", msg);
    if (field && *field)
        jw_kstr(&w, "field", field);
    jw_object_end(&w);
    jw_object_end(&w);
}

void resp_error(Req *r, const Err *e)
{
    int status = e->status ? e->status : 500;
    if (status >= 500 && status != 503)
        fprintf(stderr, "fangyi: %s %s: %s\n", r->method, r->path,
                e->message);
    resp_fail(r, status, e->code[0] ? e->code : "internal", e->field,
              status == 500 ? "internal error" : e->message);
}

void resp_ok(Req *r)
{
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kbool(&w, "ok", 1);
    jw_object_end(&w);
}

void list_begin(Req *r, ListPage *p, int limit)
{
    p->limit = limit;
    p->n = 0;
    p->last_id = 0;
    resp_begin(r, 200, &p->w);
    jw_object(&p->w);
    jw_key(&p->w, "items");
    jw_array(&p->w);
}

void list_item(ListPage *p, int64_t id)
{
    p->n++;
    p->last_id = id;
}

void list_end(ListPage *p)
{
    jw_array_end(&p->w);
    jw_key(&p->w, "next_cursor");
    if (p->n == p->limit && p->last_id > 0) {
        char c[24];
        snprintf(c, sizeof c, "%lld", (long long)p->last_id);
        jw_str(&p->w, c);
    } else {
        jw_null(&p->w);
    }
    jw_object_end(&p->w);
}

/* ---- query and body ---------------------------------------------------- */

/* A query, header or cookie value: from libmicrohttpd, or from the pairs
 * of an in-process request (header names compare case-insensitively). */
static const char *req_value(Req *r, enum MHD_ValueKind kind,
                             const char *name)
{
    if (!r->local)
        return MHD_lookup_connection_value(r->conn, kind, name);
    const char *const *kv = kind == MHD_GET_ARGUMENT_KIND ? r->local->query
                            : kind == MHD_HEADER_KIND     ? r->local->headers
                                                          : r->local->cookies;
    for (; kv && kv[0] && kv[1]; kv += 2)
        if (kind == MHD_HEADER_KIND ? strcasecmp(kv[0], name) == 0
                                    : strcmp(kv[0], name) == 0)
            return kv[1];
    return NULL;
}

const char *req_query(Req *r, const char *name)
{
    return req_value(r, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(Req *r, const char *name)
{
    return req_value(r, MHD_HEADER_KIND, name);
}

void req_client(Req *r, char *out, size_t n)
{
    snprintf(out, n, "unknown");
    if (r->local) {
        if (r->local->client)
            snprintf(out, n, "%s", r->local->client);
        return;
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
        r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                  out, (socklen_t)n);
}

int req_query_int(Req *r, const char *name, int64_t min, int64_t max,
                  int64_t *out)
{
    const char *s = req_query(r, name);
    if (!s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a whole number from %lld to %lld",
                 name, (long long)min, (long long)max);
        resp_fail(r, 400, "invalid_query", name, msg);
        return -1;
    }
    *out = v;
    return 0;
}

int req_paging(Req *r, int *limit, int64_t *cursor)
{
    int64_t l = 100, c = 0;
    if (req_query_int(r, "limit", 1, 500, &l) ||
        req_query_int(r, "cursor", 0, INT64_MAX, &c))
        return -1;
    *limit = (int)l;
    *cursor = c;
    return 0;
}

static int wrong_type(Req *r, const char *key, const char *what)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s must be %s", key, what);
    resp_fail(r, 422, "invalid_field", key, msg);
    return -1;
}

int body_str(Req *r, const char *key, const char **out)
{
    *out = NULL;
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return wrong_type(r, key, "a string");
    *out = json_string_value(v);
    return 0;
}

int body_int(Req *r, const char *key, int64_t *out, int *present)
{
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    if (present)
        *present = v && !json_is_null(v);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        return wrong_type(r, key, "a whole number");
    *out = json_integer_value(v);
    return 0;
}

int body_bool(Req *r, const char *key, int *out)
{
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return wrong_type(r, key, "true or false");
    *out = json_is_true(v);
    return 0;
}

int body_id_list(Req *r, const char *key, int64_t *out, int max, int *n,
                 int *present)
{
    *n = 0;
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    *present = v && !json_is_null(v);
    if (!*present)
        return 0;
    if (!json_is_array(v) || (int)json_array_size(v) > max)
        return wrong_type(r, key, "a list of ids");
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_integer(e) || json_integer_value(e) <= 0)
            return wrong_type(r, key, "a list of ids");
        out[(*n)++] = json_integer_value(e);
    }
    return 0;
}

/* ---- writes ------------------------------------------------------------ */

static void hold_back(Server *s, Req *r);

/* After the commit: turn a failure into its error answer and wake the
 * connection (now, or later for a held-back answer). */
static void write_done(WriteJob *job)
{
    Req *r = (Req *)((char *)job - offsetof(Req, job));
    if (job->rc)
        resp_error(r, &job->err);
    pthread_mutex_lock(&r->srv->mu);
    r->srv->writes--;
    pthread_mutex_unlock(&r->srv->mu);
    if (r->delay_ms > 0)
        hold_back(r->srv, r);
    else
        MHD_resume_connection(r->conn);
}

void req_write(Req *r, WriteFn fn, void *arg)
{
    r->job.fn = fn;
    r->job.arg = arg ? arg : r;
    r->job.done = write_done;
    r->pending = 1;
}

/* ---- held-back answers --------------------------------------------------- */

static void hold_back(Server *s, Req *r)
{
    Delayed *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->r = r;
    d->due_ms = clock_now_ms() + r->delay_ms;
    pthread_mutex_lock(&s->mu);
    d->next = s->delayed;
    s->delayed = d;
    pthread_cond_signal(&s->delay_cv);
    pthread_mutex_unlock(&s->mu);
}

/* Resume held-back requests when they are due; at shutdown, at once. */
static void *delay_main(void *arg)
{
    Server *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        int64_t now = clock_now_ms(), next = now + 1000;
        for (Delayed **p = &s->delayed; *p;) {
            Delayed *d = *p;
            if (d->due_ms <= now || s->stopping) {
                *p = d->next;
                MHD_resume_connection(d->r->conn);
                free(d);
            } else {
                if (d->due_ms < next)
                    next = d->due_ms;
                p = &d->next;
            }
        }
        if (s->stopping == 2 && !s->delayed)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t wait = next - now;
        ts.tv_sec += wait / 1000;
        ts.tv_nsec += (wait % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&s->delay_cv, &s->mu, &ts);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- the periodic job ------------------------------------------------------ */

/* Run the server's periodic write job (if any) every periodic_seconds
 * through the writer, until the server stops. */
static void *periodic_main(void *arg)
{
    Server *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->mu);
        Err err;
        if (writer_call(s->writer, s->opt->periodic, NULL, &err))
            fprintf(stderr, "fangyi: periodic job: %s\n", err.message);
        pthread_mutex_lock(&s->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += s->opt->periodic_seconds;
        while (!s->stopping &&
               pthread_cond_timedwait(&s->periodic_cv, &s->mu, &ts) == 0)
            ;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- routing and the gate ---------------------------------------------- */

/* Match path against a pattern with {id} segments; ids go to r->params.
 * Returns 1 on a match. */
static int path_match(const char *pattern, const char *path, Req *r)
{
    int n = 0;
    while (*pattern && *path) {
        if (strncmp(pattern, "{id}", 4) == 0) {
            char *end;
            errno = 0;
            long long v = strtoll(path, &end, 10);
            if (end == path || *path == '-' || *path == '+' || errno ||
                v <= 0 || (*end && *end != '/') || n >= REQ_MAX_PARAMS)
                return 0;
            r->params[n++] = v;
            pattern += 4;
            path = end;
            continue;
        }
        if (strncmp(pattern, "{key}", 5) == 0) {
            /* a word segment (a policy kind): the handler reads the path */
            const char *end = path;
            while ((*end >= 'a' && *end <= 'z') || *end == '_' ||
                   (*end >= '0' && *end <= '9'))
                end++;
            if (end == path || (*end && *end != '/'))
                return 0;
            pattern += 5;
            path = end;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return 0;
    r->nparams = n;
    return 1;
}

static const Route *route_find(Server *s, Req *r, int *path_known)
{
    *path_known = 0;
    for (const Route *rt = s->routes; rt->pattern; rt++) {
        if (!path_match(rt->pattern, r->path, r))
            continue;
        *path_known = 1;
        if (strcmp(rt->method, r->method) == 0)
            return rt;
    }
    return NULL;
}

static int is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Sign-in from the session cookie or a bearer token.  Returns 0, or -1
 * after answering 401 or 403. */
static int authenticate(Req *r)
{
    Err err;
    const char *cookie = req_value(r, MHD_COOKIE_KIND, "fangyi_session");
    const char *auth = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    int rc;
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        rc = actor_from_token(req_db(r), auth + 7, &r->actor, &err);
    else if (cookie && *cookie)
        rc = actor_from_session(req_db(r), cookie, &r->actor, &err);
    else
        rc = err_set(&err, 401, "unauthenticated", NULL, "please sign in");
    if (rc) {
        resp_error(r, &err);
        return -1;
    }
    r->authed = 1;
    if (r->actor.session_id && is_unsafe(r->method)) {
        const char *csrf = req_header(r, "X-CSRF-Token");
        if (!csrf || !secret_equal(csrf, r->actor.csrf)) {
            resp_fail(r, 403, "csrf_required", NULL,
                      "the X-CSRF-Token header is missing or wrong");
            return -1;
        }
    }
    return 0;
}

/* Content type and JSON syntax of the body (a CSV body is left raw).
 * -1 after answering. */
static int parse_body(Req *r, const Route *rt)
{
    if (r->body.len == 0)
        return 0;
    const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (rt->flags & ROUTE_CSV_BODY) {
        if (ct && (strncasecmp(ct, "text/csv", 8) == 0 ||
                   strncasecmp(ct, "text/plain", 10) == 0))
            return 0;
        resp_fail(r, 415, "unsupported_media_type", NULL,
                  "send the file as text/csv");
        return -1;
    }
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
        resp_fail(r, 415, "unsupported_media_type", NULL,
                  "send the body as application/json");
        return -1;
    }
    json_error_t je;
    r->json = json_loadb(r->body.p, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!r->json || !json_is_object(r->json)) {
        char msg[200];
        if (r->json)
            snprintf(msg, sizeof msg, "the body must be a JSON object");
        else if (!validate_utf8(je.text, strlen(je.text)))
            /* jansson quotes the bytes near the fault, cut anywhere */
            snprintf(msg, sizeof msg, "malformed JSON at line %d, column %d",
                     je.line, je.column);
        else
            snprintf(msg, sizeof msg, "malformed JSON at line %d: %s",
                     je.line, je.text);
        resp_fail(r, 400, "invalid_json", NULL, msg);
        return -1;
    }
    return 0;
}

static void dispatch(Req *r)
{
    int path_known;
    const Route *rt = route_find(r->srv, r, &path_known);
    if (!rt) {
        if (path_known)
            resp_fail(r, 405, "method_not_allowed", NULL,
                      "this path does not take that method");
        else
            resp_fail(r, 404, "not_found", NULL, "no such route");
        return;
    }
    if (r->too_large) {
        char msg[64];
        if (r->body_limit >= 1024 * 1024)
            snprintf(msg, sizeof msg, "the body is larger than %zu MiB",
                     r->body_limit / (1024 * 1024));
        else
            snprintf(msg, sizeof msg, "the body is larger than %zu KiB",
                     r->body_limit / 1024);
        resp_fail(r, 413, "body_too_large", NULL, msg);
        return;
    }
    int open = rt->flags & ROUTE_PUBLIC;
    if (!open && authenticate(r))
        return;
    if (!open && !actor_can(&r->actor, rt->cap)) {
        resp_fail(r, 403, "forbidden", NULL,
                  "your role may not do this");
        return;
    }
    if (parse_body(r, rt))
        return;
    if (!r->json && !(rt->flags & (ROUTE_BODYLESS | ROUTE_CSV_BODY)) &&
        (strcmp(r->method, "POST") == 0 || strcmp(r->method, "PATCH") == 0 ||
         strcmp(r->method, "PUT") == 0)) {
        resp_fail(r, 400, "invalid_json", NULL,
                  "this request needs a JSON object as its body");
        return;
    }
    rt->handler(r);
}

/* ---- libmicrohttpd callbacks --------------------------------------------- */

/* The most body r may send: a route's larger limit only for a caller
 * allowed on it, so strangers cannot make the server hold 32 MiB each
 * (dispatch checks again and gives a refusal its answer). */
static void set_body_limit(Server *s, Req *r)
{
    r->body_limit = BODY_LIMIT;
    int known;
    const Route *rt = is_unsafe(r->method) ? route_find(s, r, &known) : NULL;
    if (rt && (rt->flags & ROUTE_CSV_BODY) && authenticate(r) == 0 &&
        actor_can(&r->actor, rt->cap))
        r->body_limit = CSV_BODY_LIMIT;
    if (rt && (rt->flags & ROUTE_PUBLIC))
        r->body_limit = PUBLIC_BODY_LIMIT;
}

static void add_security_headers(Req *r, struct MHD_Response *resp)
{
    if (r->srv->opt->tls_cert)
        MHD_add_response_header(resp, "Strict-Transport-Security",
                                "max-age=31536000");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(
        resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self';"
        " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none';"
        " base-uri 'none'; form-action 'self'; object-src 'none'");
}

static enum MHD_Result send_json(Req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->out.len, r->out.p, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->set_cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
                                r->set_cookie);
    add_security_headers(r, resp);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status,
                                            resp);
    MHD_destroy_response(resp);
    return ok;
}

/* A streamed answer: libmicrohttpd pulls the chunks from the handler's
 * StreamFn as the client reads, and frees it when done or cut off. */
typedef struct Stream {
    StreamFn fn;
    void (*release)(void *arg);
    void *arg;
} Stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    Stream *st = cls;
    long n = st->fn(st->arg, buf, max);
    return n > 0    ? (ssize_t)n
           : n == 0 ? (ssize_t)MHD_CONTENT_READER_END_OF_STREAM
                    : (ssize_t)MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
    Stream *st = cls;
    if (st->release)
        st->release(st->arg);
    free(st);
}

static enum MHD_Result send_stream(Req *r)
{
    Stream *st = malloc(sizeof *st);
    if (!st)
        abort();
    *st = (Stream){r->stream_fn, r->stream_release, r->stream_arg};
    r->stream_fn = NULL; /* libmicrohttpd owns it now */
    struct MHD_Response *resp = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, st, stream_free);
    if (!resp) {
        stream_free(st);
        resp_fail(r, 500, "internal", NULL, "internal error");
        return send_json(r);
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->stream_type);
    if (r->stream_file)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
                                r->stream_file);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    add_security_headers(r, resp);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status,
                                            resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result send_answer(Req *r)
{
    return r->stream_fn ? send_stream(r) : send_json(r);
}

static enum MHD_Result send_static(Req *r)
{
    const char *inm = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    StaticFile f;
    r->status = static_find(r->path, inm, &f);
    if (r->status == 404) {
        resp_fail(r, 404, "not_found", NULL, "no such page");
        return send_json(r);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->status == 304 ? 0 : f.len, (void *)f.data,
        MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, f.type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, f.etag);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    add_security_headers(r, resp);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status,
                                            resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    Server *s = cls;
    Req *r = *con_cls;
    if (!r) {
        /* first call: headers only; answer on a later call (see
         * DESIGN.md on keep-alive with libmicrohttpd 0.9.75) */
        r = calloc(1, sizeof *r);
        if (!r)
            abort();
        r->srv = s;
        r->conn = conn;
        r->started_ms = clock_now_ms();
        r->method = arena_strdup(&r->arena, method);
        r->path = arena_strdup(&r->arena, url);
        r->phase = PHASE_BODY;
        r->body_limit = BODY_LIMIT;
        /* a TLS proxy says so; believing a forged header only makes the
         * forger's own cookie Secure */
        const char *proto = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
        r->secure = s->opt->tls_cert || (proto && !strcmp(proto, "https"));
        set_body_limit(s, r);
        const char *cl = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > r->body_limit)
            r->too_large = 1;
        *con_cls = r;
        pthread_mutex_lock(&s->mu);
        s->inflight++;
        pthread_mutex_unlock(&s->mu);
        return MHD_YES;
    }
    if (r->phase == PHASE_BODY) {
        if (*upload_size) {
            if (!r->too_large &&
                r->body.len + *upload_size <= r->body_limit)
                buf_append(&r->body, upload_data, *upload_size);
            else
                r->too_large = 1;
            *upload_size = 0;
            return MHD_YES;
        }
        r->phase = PHASE_WAIT;
        if (strncmp(r->path, "/api/", 5) != 0) {
            if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
                resp_fail(r, 405, "method_not_allowed", NULL,
                          "pages are read with GET");
                return send_json(r);
            }
            return send_static(r);
        }
        pthread_mutex_lock(&s->mu);
        int closing = s->closing;
        pthread_mutex_unlock(&s->mu);
        Err err;
        if (closing)
            resp_fail(r, 503, "shutting_down", NULL,
                      "the server is stopping; try again in a moment");
        else if (thread_db_open(s, &err)) {
            fprintf(stderr, "fangyi: %s %s: %s\n", r->method, r->path,
                    err.message);
            err_set(&err, 503, "storage_unavailable", NULL,
                    "the database cannot be reached now; try again in a"
                    " moment");
            resp_error(r, &err);
        } else
            dispatch(r);
        if (r->pending) {
            pthread_mutex_lock(&s->mu);
            int refused = s->closing;
            if (!refused)
                s->writes++;
            pthread_mutex_unlock(&s->mu);
            if (refused) {
                resp_fail(r, 503, "shutting_down", NULL,
                          "the server is stopping; try again in a moment");
                return send_json(r);
            }
            MHD_suspend_connection(conn);
            writer_submit(s->writer, &r->job);
            return MHD_YES;
        }
        if (r->delay_ms > 0) {
            MHD_suspend_connection(conn);
            hold_back(s, r);
            return MHD_YES;
        }
    }
    return send_answer(r);
}

static void req_free(Req *r)
{
    if (r->json)
        json_decref(r->json);
    drop_stream(r);
    buf_free(&r->body);
    buf_free(&r->out);
    arena_free(&r->arena);
    free(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    Server *s = cls;
    Req *r = *con_cls;
    if (!r)
        return;
    if (!s->opt->quiet)
        fprintf(stderr, "%s %s %d %zu %lldms %s\n", r->method, r->path,
                r->status, r->out.len,
                (long long)(clock_now_ms() - r->started_ms),
                r->authed ? r->actor.username : "-");
    req_free(r);
    *con_cls = NULL;
    pthread_mutex_lock(&s->mu);
    s->inflight--;
    pthread_mutex_unlock(&s->mu);
}

/* ---- start and stop ------------------------------------------------------ */

static int open_writer(Server *s, Err *err)
{
    Db *db;
    if (db_open(s->opt->db_path, 0, &db, err))
        return -1;
    int pending = migrate_pending(db, err);
    if (pending < 0) {
        db_close(db);
        return -1;
    }
    if (pending > 0) {
        /* keep a copy of the old schema before changing it (SQLite; on
         * PostgreSQL each migration is one transaction, and the copy is
         * the operator's pg_dump) */
        char path[4096];
        snprintf(path, sizeof path, "%s.before-migration", s->opt->db_path);
        if ((!strcmp(db_dialect(db), "sqlite") &&
             db_backup_to(db, path, NULL, err)) ||
            migrate_apply(db, err)) {
            db_close(db);
            return -1;
        }
    }
    if (tx_run(db, regions_ensure_tx, NULL, err)) {
        db_close(db);
        return -1;
    }
    Town town;
    if (town_get(db, &town, err)) {
        db_close(db);
        return -1;
    }
    if (clock_set_zone(town.tz)) {
        db_close(db);
        return err_set(err, 500, "bad_zone", NULL, "unknown time zone %s",
                       town.tz);
    }
    s->writer = writer_start(db);
    return 0;
}

/* TLS 1.2 and 1.3 only, GnuTLS's usual ciphers. */
static const char TLS_PRIORITIES[] =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";

/* libmicrohttpd's messages while the TLS check below runs. */
static void log_capture(void *cls, const char *fmt, va_list ap)
{
    char *log = cls;
    size_t n = strlen(log);
    if (n < 255)
        vsnprintf(log + n, 256 - n, fmt, ap);
}

static enum MHD_Result refuse_all(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *size, void **con_cls)
{
    (void)cls, (void)conn, (void)url, (void)method, (void)version;
    (void)data, (void)size, (void)con_cls;
    return MHD_NO;
}

/* Load the certificate and key into GnuTLS once without listening, so an
 * unusable pair is told apart from a port that cannot be bound. */
static int tls_check(const ServeOptions *o, Err *err)
{
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return err_set(err, 500, "bad_tls", "tls",
                       "this libmicrohttpd is built without TLS");
    char log[256] = "";
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_TLS | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, NULL,
        NULL, refuse_all, NULL, MHD_OPTION_EXTERNAL_LOGGER, log_capture, log,
        MHD_OPTION_HTTPS_MEM_CERT, o->tls_cert, MHD_OPTION_HTTPS_MEM_KEY,
        o->tls_key, MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
        MHD_OPTION_END);
    if (d) {
        MHD_stop_daemon(d);
        return 0;
    }
    log[strcspn(log, "\n")] = '\0'; /* the first message says why */
    size_t n = strlen(log);
    if (n && log[n - 1] == '.')
        log[n - 1] = '\0';
    return err_set(err, 400, "bad_tls", "tls",
                   "the certificate and key are not usable together (%s)",
                   *log ? log : "refused by GnuTLS");
}

static int wait_for_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
}

int server_run(const ServeOptions *o, const Route *routes, Err *err)
{
    Server s = {.opt = o, .routes = routes};
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.delay_cv, NULL);

    /* block the stop signals in every thread; main waits for them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* past a file size limit a write fails with EFBIG (answered 503
     * storage_full) instead of the signal killing the server */
    signal(SIGXFSZ, SIG_IGN);

    if (o->tls_cert && tls_check(o, err))
        return -1;
    if (open_writer(&s, err))
        return -1;
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
        writer_stop(s.writer);
        return err_set(err, 400, "bad_listen", "listen",
                       "cannot listen on %s: give an IPv4 address",
                       o->host);
    }
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)o->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES},
        {MHD_OPTION_END, 0, NULL},
    };
    pthread_create(&s.delay_thread, NULL, delay_main, &s);
    pthread_cond_init(&s.periodic_cv, NULL);
    if (o->periodic && o->periodic_seconds > 0)
        pthread_create(&s.periodic_thread, NULL, periodic_main, &s);
    s.daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
            MHD_ALLOW_SUSPEND_RESUME | (o->tls_cert ? MHD_USE_TLS : 0),
        0, NULL, NULL, on_request, &s,
        MHD_OPTION_ARRAY, o->tls_cert ? tls_opts : tls_opts + 3,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads
                                                               : 4),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
        MHD_OPTION_END);
    int rc = 0;
    if (!s.daemon) {
        rc = err_set(err, 500, "listen_failed", "listen",
                     "cannot listen on %s:%d (%s)", o->host, o->port,
                     strerror(errno));
    } else {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(s.daemon, MHD_DAEMON_INFO_BIND_PORT);
        printf("fangyi: listening on %s://%s:%u\n",
               o->tls_cert ? "https" : "http", o->host,
               info ? info->port : (unsigned)o->port);
        fflush(stdout);
        int sig = wait_for_signal();
        fprintf(stderr, "fangyi: %s: finishing requests in flight\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        /* stop accepting; new requests on open connections get 503;
         * writes already handed over are committed and answered */
        MHD_quiesce_daemon(s.daemon);
        pthread_mutex_lock(&s.mu);
        s.closing = 1;
        pthread_mutex_unlock(&s.mu);
        for (int i = 0; i < 1000; i++) {
            pthread_mutex_lock(&s.mu);
            long busy = s.writes + s.inflight;
            long writes = s.writes;
            pthread_mutex_unlock(&s.mu);
            if (busy == 0 || (writes == 0 && i >= 100))
                break;
            usleep(10000);
        }
    }
    pthread_mutex_lock(&s.mu);
    s.stopping = 2;
    pthread_cond_signal(&s.delay_cv);
    pthread_cond_signal(&s.periodic_cv);
    pthread_mutex_unlock(&s.mu);
    pthread_join(s.delay_thread, NULL);
    if (o->periodic && o->periodic_seconds > 0)
        pthread_join(s.periodic_thread, NULL);
    if (s.daemon) {
        usleep(50000); /* let the pool send the answers just resumed */
        MHD_stop_daemon(s.daemon);
    }
    long batches, jobs;
    writer_stats(s.writer, &batches, &jobs);
    writer_stop(s.writer);
    for (ReadConn *c = s.reads; c;) {
        ReadConn *next = c->next;
        db_close(c->db);
        free(c);
        c = next;
    }
    if (!rc)
        fprintf(stderr, "fangyi: stopped cleanly (%ld writes in %ld commits)\n",
                jobs, batches);
    return rc;
}

/* ---- one request in-process (see server.h) ------------------------------- */

Server *server_local_open(const ServeOptions *o, const Route *routes,
                          Err *err)
{
    Server *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->opt = o;
    s->routes = routes;
    pthread_mutex_init(&s->mu, NULL);
    if (open_writer(s, err)) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    return s;
}

/* A write run for an in-process request that does not keep its writes:
 * the handler's write function renders its answer, then the job fails on
 * purpose so the writer rolls its savepoint back. */
typedef struct UndoneWrite {
    const LocalRequest *q;
    WriteJob *job;
    int rc;
    Err err;
} UndoneWrite;

static int undone_write(Db *db, void *arg, Err *err)
{
    UndoneWrite *u = arg;
    u->rc = u->job->fn(db, u->job->arg, &u->err);
    if (u->rc == 0 && u->q->inspect)
        u->q->inspect(db, u->q->inspect_ctx);
    return err_set(err, 500, "undone", NULL, "rolled back on purpose");
}

static void local_write(Server *s, Req *r, int keep)
{
    Err err;
    if (keep) {
        if (writer_call(s->writer, r->job.fn, r->job.arg, &err))
            resp_error(r, &err);
        return;
    }
    UndoneWrite u = {.q = r->local, .job = &r->job};
    writer_call(s->writer, undone_write, &u, &err);
    if (u.rc)
        resp_error(r, &u.err);
}

static void local_static(Req *r)
{
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        resp_fail(r, 405, "method_not_allowed", NULL,
                  "pages are read with GET");
        return;
    }
    StaticFile f;
    r->status = static_find(r->path, req_header(r, "If-None-Match"), &f);
    if (r->status == 404)
        resp_fail(r, 404, "not_found", NULL, "no such page");
    else if (r->status == 200)
        buf_append(&r->out, f.data, f.len);
}

int server_local_request(Server *s, const LocalRequest *q, Buf *out,
                         int *is_json)
{
    Req *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->srv = s;
    r->local = q;
    r->started_ms = clock_now_ms();
    r->method = arena_strdup(&r->arena, q->method);
    r->path = arena_strdup(&r->arena, q->path);
    set_body_limit(s, r);
    if (q->body_len > r->body_limit)
        r->too_large = 1;
    else if (q->body_len)
        buf_append(&r->body, q->body, q->body_len);
    *is_json = strncmp(r->path, "/api/", 5) == 0;
    if (!*is_json) {
        local_static(r);
        *is_json = r->status == 404 || r->status == 405;
    } else {
        dispatch(r);
        if (r->pending)
            local_write(s, r, q->keep_writes);
    }
    if (r->stream_fn) {
        *is_json = 0;
        char chunk[32 * 1024];
        long n;
        while ((n = r->stream_fn(r->stream_arg, chunk, sizeof chunk)) > 0)
            buf_append(out, chunk, (size_t)n);
        if (n < 0)
            r->status = -1; /* a cut stream: the client sees no end */
    } else {
        buf_append(out, r->out.p, r->out.len);
    }
    int status = r->status;
    req_free(r);
    return status;
}

void server_local_close(Server *s)
{
    if (!s)
        return;
    writer_stop(s->writer);
    for (ReadConn *c = s->reads; c;) {
        ReadConn *next = c->next;
        if (c->db == thread_db)
            thread_db = NULL;
        db_close(c->db);
        free(c);
        c = next;
    }
    pthread_mutex_destroy(&s->mu);
    free(s);
}
