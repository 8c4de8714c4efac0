/* server.h — the HTTP server: libmicrohttpd in a thread pool with epoll,
 * the route table, authentication, CSRF, limits and the access log. */
#ifndef FANGYI_SERVER_H
#define FANGYI_SERVER_H

#include "../domain/roles.h"
#include "req.h"

enum {
    ROUTE_PUBLIC = 1,       /* no sign-in needed (health, login) */
    ROUTE_BODYLESS = 2,     /* a POST that takes no body (logout) */
    ROUTE_CSV_BODY = 4,     /* the body is text/csv of up to
                               CSV_BODY_LIMIT, left raw in r->body for
                               the handler (imports); only a caller
                               allowed on the route may send that much */
};

typedef struct Route {
    const char *method;     /* "GET", "POST", "PATCH", "DELETE" */
    const char *pattern;    /* "/api/v1/places/{id}" */
    Handler handler;
    Cap cap;                /* capability the caller's role must hold */
    int flags;              /* ROUTE_PUBLIC, ROUTE_BODYLESS, ... */
} Route;

/* Bodies: 1 MiB for a signed-in caller, 32 MiB on a CSV route for one
 * allowed on it, 16 KiB on a public route (login, the self-registration
 * form), which anyone on the network may call. */
enum { BODY_LIMIT = 1024 * 1024, CSV_BODY_LIMIT = 32 * 1024 * 1024,
       PUBLIC_BODY_LIMIT = 16 * 1024 };

typedef struct ServeOptions {
    const char *db_path;
    const char *host;       /* "127.0.0.1" */
    int port;               /* 0 picks a free one */
    int threads;            /* MHD pool size */
    int quiet;              /* no access log */
    WriteFn periodic;       /* a write job run every periodic_seconds */
    int periodic_seconds;
    const char *tls_cert;   /* PEM text of the certificate (chain) and */
    const char *tls_key;    /* its private key: HTTPS; NULL: plain HTTP */
} ServeOptions;

/* server_run serves until SIGINT or SIGTERM, then lets requests in flight
 * finish, commits the queued writes and closes the database.  Prints
 * "fangyi: listening on http://HOST:PORT" (https with TLS) once ready.
 * Returns 0, or -1 with err (field "tls" when the certificate and key are
 * not usable). */
int server_run(const ServeOptions *o, const Route *routes, Err *err);

/* For the API: the writer of the running server. */
Writer *server_writer(Server *s);

/* ---- one request in-process (the fuzz targets) -------------------------
 * A local server runs requests through the same route table and gate as
 * server_run — route match, body size, sign-in, capability, content type,
 * JSON syntax, then the handler; writes through the writer thread — but
 * without sockets: headers, cookies and query come as name/value pairs
 * (query values already decoded, as libmicrohttpd hands them over). */
typedef struct LocalRequest {
    const char *method, *path;     /* path without the query string */
    const char *const *query;      /* name, value, ..., NULL; or NULL */
    const char *const *headers;
    const char *const *cookies;
    const char *client;            /* the caller's address, or NULL */
    const char *body;
    size_t body_len;
    int keep_writes;               /* 0: each write is answered, then
                                      rolled back (same state every run) */
    /* with keep_writes 0, called after a write that succeeded, in its
     * transaction before the rollback: a test's look at what was stored */
    void (*inspect)(Db *db, void *ctx);
    void *inspect_ctx;
} LocalRequest;

/* server_local_open opens o->db_path as server_run does (migrations,
 * town time zone) and starts its writer.  NULL with err on failure. */
Server *server_local_open(const ServeOptions *o, const Route *routes,
                          Err *err);
/* server_local_request runs q and returns the answer's status (-1 for a
 * streamed answer cut off by a failure); its body (a streamed one read to
 * the end) is appended to out, and *is_json says whether it is a JSON
 * answer (not a download or a page). */
int server_local_request(Server *s, const LocalRequest *q, Buf *out,
                         int *is_json);
/* server_local_close stops the writer and closes the connections (call
 * it on the thread that ran the requests). */
void server_local_close(Server *s);

#endif
