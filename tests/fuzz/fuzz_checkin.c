/* fuzz_checkin.c — fuzzes the public self-registration form: the body of
 * POST /api/v1/checkin/{token}, which anyone on the network may send.
 * The input is the body as sent (JSON expected), run through the real
 * request path in-process with no sign-in — the public route's body
 * limit, the JSON gate, the form's field readers and
 * checkin_submit's validation of name, ID number, phone, plate, vehicle,
 * direction, village and texts — on the demo town's first point.
 * Every write is rolled back (common.h), so the rate limit never trips.
 * An answer must have a status, not be a 5xx, and be well-formed JSON;
 * the audit entry of a submission must be UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "json_mutate.h"

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max,
                               unsigned seed)
{
    return fuzz_json_mutate(data, size, max, 0, seed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Server *srv = fuzz_server();
    const char *headers[] = {"Content-Type", "application/json", NULL};
    LocalRequest q = {.method = "POST",
                      .path = "/api/v1/checkin/" FUZZ_CHECKIN_TOKEN,
                      .headers = headers, .client = "198.51.100.7",
                      .body = (const char *)data, .body_len = size,
                      .inspect = fuzz_inspect_audit};
    Buf out = BUF_INIT;
    int is_json;
    int status = server_local_request(srv, &q, &out, &is_json);
    if (getenv("FUZZ_SHOW"))
        fprintf(stderr, "-> %d %.400s\n", status, out.p ? out.p : "");
    fuzz_check_answer(status, &out, is_json, "POST /api/v1/checkin");
    buf_free(&out);
    return 0;
}
