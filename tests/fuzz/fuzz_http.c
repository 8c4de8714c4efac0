/* fuzz_http.c — fuzzes the whole request path in-process: route matching
 * with its {id} and {key} path parameters, the query string, the gate
 * (sign-in, capability, content type, body size, JSON) and every handler
 * behind it — the JSON body readers and each write handler's validation,
 * through the writer thread — on the demo town.
 *
 * An input is one request written as text:
 *     ACCOUNT METHOD /path?name=value&... [CONTENT-TYPE]
 *     body...
 * ACCOUNT is a bearer token (each demo account's token is its username:
 * admin, cadre_dongwang, checker_1, ...), NAME=VALUE a session cookie, or
 * "-" for none.  Query names and values are %-decoded ('+' is a space) as
 * libmicrohttpd does.  The content type defaults to text/csv for an
 * import and application/json otherwise.
 *
 * Beyond crashes, leaks and undefined behaviour, an answer must have a
 * status, must not be a 5xx and, when JSON, must be well-formed
 * (fuzz_check_answer), and what a write put in the audit log must be
 * UTF-8 (fuzz_inspect_audit, before the rollback). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "json_mutate.h"

enum { MAX_PAIRS = 16 };

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* %-decode s in place ('+' is a space). */
static void url_decode(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '+') {
            *o++ = ' ';
        } else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            *o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/* Split the query at & and =, into pairs (name, value, ..., NULL). */
static void parse_query(char *q, const char **pairs)
{
    int n = 0;
    for (char *save = NULL, *part = strtok_r(q, "&", &save);
         part && n < 2 * MAX_PAIRS; part = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(part, '=');
        if (eq)
            *eq++ = '\0';
        url_decode(part);
        if (eq)
            url_decode(eq);
        pairs[n++] = part;
        pairs[n++] = eq ? eq : "";
    }
    pairs[n] = NULL;
}

/* The body after the request line is JSON: mutate it as JSON too. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max,
                               unsigned seed)
{
    const uint8_t *nl = memchr(data, '\n', size);
    return fuzz_json_mutate(data, size, max,
                            nl ? (size_t)(nl - data) + 1 : size + 1, seed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Server *srv = fuzz_server();
    const char *nl = memchr(data, '\n', size);
    size_t head_len = nl ? (size_t)(nl - (const char *)data) : size;
    if (head_len > 4096)
        return 0;
    char head[4097];
    memcpy(head, data, head_len);
    head[head_len] = '\0';
    if (strlen(head) != head_len)
        return 0; /* a NUL in the request line: no HTTP client sends it */
    const char *body = nl ? nl + 1 : "";
    size_t body_len = nl ? size - head_len - 1 : 0;

    char *save = NULL;
    char *account = strtok_r(head, " ", &save);
    char *method = strtok_r(NULL, " ", &save);
    char *target = strtok_r(NULL, " ", &save);
    char *ctype = strtok_r(NULL, "", &save);
    if (!account || !method || !target)
        return 0;
    char *qs = strchr(target, '?');
    if (qs)
        *qs++ = '\0';
    const char *query[2 * MAX_PAIRS + 1] = {NULL};
    if (qs)
        parse_query(qs, query);
    url_decode(target); /* libmicrohttpd hands the path over decoded */
    if (!*target)
        return 0;

    char bearer[4200];
    const char *headers[8] = {NULL}, *cookies[3] = {NULL};
    int h = 0;
    char *eq = strchr(account, '=');
    if (eq) {
        *eq = '\0';
        cookies[0] = account;
        cookies[1] = eq + 1;
    } else if (strcmp(account, "-") != 0) {
        snprintf(bearer, sizeof bearer, "Bearer %s", account);
        headers[h++] = "Authorization";
        headers[h++] = bearer;
    }
    size_t tl = strlen(target);
    headers[h++] = "Content-Type";
    headers[h++] = ctype ? ctype
                   : tl >= 7 && strcmp(target + tl - 7, "/import") == 0
                       ? "text/csv"
                       : "application/json";
    headers[h++] = "Host";
    headers[h++] = "fuzz.example";

    LocalRequest q = {.method = method, .path = target, .query = query,
                      .headers = headers, .cookies = cookies,
                      .client = "192.0.2.1", .body = body,
                      .body_len = body_len,
                      .inspect = fuzz_inspect_audit};
    Buf out = BUF_INIT;
    int is_json;
    int status = server_local_request(srv, &q, &out, &is_json);
    char what[160];
    snprintf(what, sizeof what, "%.20s %.120s", method, target);
    if (getenv("FUZZ_SHOW")) /* for writing seeds: what each one gets */
        fprintf(stderr, "%s -> %d %s\n", what, status,
                is_json && out.p ? out.p : "(not JSON)");
    fuzz_check_answer(status, &out, is_json, what);
    buf_free(&out);
    return 0;
}
