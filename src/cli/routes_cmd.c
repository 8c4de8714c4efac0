/* routes_cmd.c — fangyi routes: the route table of this binary as JSON
 * (method, pattern, capability, flags), so tests and reviewers read the
 * table the server really uses, not a copy of it. */
#include <stdio.h>

#include "../api/api.h"
#include "cli.h"

int cmd_routes(const CliArgs *a)
{
    (void)a;
    Buf b = BUF_INIT;
    Jw w;
    jw_init(&w, &b);
    jw_object(&w);
    jw_key(&w, "routes");
    jw_array(&w);
    for (const Route *rt = api_routes; rt->pattern; rt++) {
        jw_object(&w);
        jw_kstr(&w, "method", rt->method);
        jw_kstr(&w, "pattern", rt->pattern);
        jw_kstr(&w, "capability",
                rt->cap == CAP_NONE ? NULL : roles_cap_name(rt->cap));
        jw_kbool(&w, "public", (rt->flags & ROUTE_PUBLIC) != 0);
        jw_kbool(&w, "bodyless", (rt->flags & ROUTE_BODYLESS) != 0);
        jw_kbool(&w, "csv_body", (rt->flags & ROUTE_CSV_BODY) != 0);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    int rc = fwrite(b.p, 1, b.len, stdout) != b.len || puts("") == EOF;
    buf_free(&b);
    return rc ? cli_fail("routes: cannot write to stdout") : 0;
}
