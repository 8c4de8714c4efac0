/* req.h — one HTTP request as API handlers see it.
 *
 * A handler reads the path parameters, query and JSON body, asks the
 * domain layer, and writes a JSON answer with resp_*.  Reads use the
 * calling thread's own database connection (req_db).  A write is handed
 * to the group-commit writer with req_write: the connection is suspended,
 * the write function runs inside the batch transaction and renders the
 * answer, and the client is answered only after the commit.
 *
 * Everything a handler allocates comes from r->arena and is freed when the
 * request completes. */
#ifndef FANGYI_REQ_H
#define FANGYI_REQ_H

#include <jansson.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../db/writer.h"
#include "../domain/actor.h"

typedef struct Server Server;
typedef struct Req Req;
struct LocalRequest;

enum { REQ_MAX_PARAMS = 4 };

/* The source of a streamed answer (resp_stream): writes up to max bytes
 * into buf and returns how many (> 0), 0 at the end, or -1 on failure
 * (the connection is then cut, so the client sees an incomplete
 * download, never a complete-looking one).  Called on the thread that
 * serves the connection, the one whose req_db the handler saw. */
typedef long (*StreamFn)(void *arg, char *buf, size_t max);

struct Req {
    Arena arena;
    Server *srv;
    struct MHD_Connection *conn;
    const struct LocalRequest *local; /* an in-process request (no conn) */
    const char *method, *path;
    int64_t params[REQ_MAX_PARAMS]; /* {id} segments of the route */
    int nparams;
    Buf body;                       /* raw request body */
    json_t *json;                   /* parsed body object, or NULL */
    Actor actor;                    /* who is asking (when authed) */
    int authed;
    int secure;                     /* came over HTTPS (here or at a
                                       proxy): cookies get Secure */

    /* the answer */
    int status;
    Buf out;
    char set_cookie[256];
    int delay_ms;                   /* hold the answer back (failed login) */
    StreamFn stream_fn;             /* a streamed answer (resp_stream) */
    void (*stream_release)(void *arg);
    void *stream_arg;
    const char *stream_type, *stream_file;

    /* the write in flight */
    WriteJob job;
    int pending;                    /* req_write was called */
    void *write_arg;                /* for the write function */

    /* server bookkeeping */
    int phase;
    int too_large;
    size_t body_limit;              /* BODY_LIMIT, or the route's */
    int64_t started_ms;
};

/* A route's handler: answer with resp_* or hand over with req_write. */
typedef void (*Handler)(Req *r);


/* The thread's read connection. */
Db *req_db(Req *r);
/* A query-string value or NULL. */
const char *req_query(Req *r, const char *name);
/* A request header's value or NULL. */
const char *req_header(Req *r, const char *name);
/* req_client writes the caller's IP address (or "unknown") into out. */
void req_client(Req *r, char *out, size_t n);
/* req_query_int parses an integer query value into *out (keeps *out when
 * absent).  Returns 0, or -1 after answering 400 invalid_query. */
int req_query_int(Req *r, const char *name, int64_t min, int64_t max,
                  int64_t *out);
/* Paging: limit (1..500, default 100) and cursor (an id).  -1 after a 400. */
int req_paging(Req *r, int *limit, int64_t *cursor);

/* Body fields.  Missing → NULL / default.  A field of the wrong JSON type
 * answers 422 invalid_field and returns -1. */
int body_str(Req *r, const char *key, const char **out);
int body_int(Req *r, const char *key, int64_t *out, int *present);
int body_bool(Req *r, const char *key, int *out); /* -1 kept if absent */
/* body_id_list reads an array of ids (at most max) into out. */
int body_id_list(Req *r, const char *key, int64_t *out, int max, int *n,
                 int *present);

/* Answers. */
void resp_begin(Req *r, int status, Jw *w);     /* w writes into r->out */
void resp_error(Req *r, const Err *e);
void resp_fail(Req *r, int status, const char *code, const char *field,
               const char *msg);
void resp_ok(Req *r);                            /* {"ok": true} */
/* resp_stream answers 200 with a body pulled from fn(arg) chunk by chunk
 * as the client reads it (chunked transfer), so a large export never
 * sits in memory.  content_type as sent; filename (or NULL) makes it a
 * download: Content-Disposition: attachment.  Takes ownership of arg:
 * release(arg) (may be NULL) runs exactly once, when the answer is done,
 * cut, or replaced by a later resp_* (an error).  May be called from a
 * write function: the stream starts after the commit. */
void resp_stream(Req *r, const char *content_type, const char *filename,
                 StreamFn fn, void (*release)(void *arg), void *arg);

/* req_write hands fn(db, r, err) to the writer.  fn renders the answer
 * (resp_begin on success); if it fails, its Err becomes the answer. */
void req_write(Req *r, WriteFn fn, void *arg);

/* A page of a list: {"items": [...], "next_cursor": "..." | null}.
 * list_begin opens the answer, each item is written with p->w and
 * counted with list_item, list_end closes it; the cursor is the id of the
 * last item when the page is full. */
typedef struct ListPage {
    Jw w;
    int limit, n;
    int64_t last_id;
} ListPage;

void list_begin(Req *r, ListPage *p, int limit);
void list_item(ListPage *p, int64_t id);
void list_end(ListPage *p);

#endif
