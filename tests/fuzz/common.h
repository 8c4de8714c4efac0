/* common.h — what the fuzz targets share: the demo town in a temporary
 * database made once per process, an API token per account, the public
 * form's link, and an in-process server on it (server_local_*).
 *
 * The clock is held at the demo's "now" (2020-02-10 09:00 in the town)
 * and every write is rolled back after its answer, so an input does the
 * same thing however many ran before it: a crash found replays. */
#ifndef FANGYI_FUZZ_COMMON_H
#define FANGYI_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "../../src/http/server.h"

/* The token of the public self-registration form of the demo's first
 * prevention point (a path segment: /api/v1/checkin/FUZZ_CHECKIN_TOKEN). */
#define FUZZ_CHECKIN_TOKEN "0123456789abcdef0123456789abcdef"

/* fuzz_db_path: the demo database, made on the first call.  Every
 * account's bearer token is its username ("admin", "cadre_dongwang",
 * "checker_1", ...).  Aborts when it cannot be made. */
const char *fuzz_db_path(void);

/* fuzz_server: a local server on that database, opened on the first
 * call. */
Server *fuzz_server(void);

/* fuzz_check_answer aborts (a finding) when an answer breaks what every
 * API answer promises: a status was set, no 500 (an input must never
 * reach an internal error), and a JSON answer is well-formed JSON.
 * what names the request in the message. */
void fuzz_check_answer(int status, const Buf *out, int is_json,
                       const char *what);

/* fuzz_inspect_audit (a LocalRequest.inspect): the audit entries a write
 * added must be UTF-8 text, as GET /audit answers them in JSON. */
void fuzz_inspect_audit(Db *db, void *ctx);

/* fuzz_fail prints "fuzz: ..." and aborts (libFuzzer saves the input). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                    noreturn));

#endif
