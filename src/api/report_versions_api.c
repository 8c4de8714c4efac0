/* report_versions_api.c — signing off the daily report and reading its
 * frozen versions: POST /reports/daily/signoff, GET
 * /reports/daily/versions and /reports/daily/versions/{n}
 * (docs/api.md, docs/report.md).  The JSON is written by
 * src/domain/report_versions.c, as `fangyi signoff` writes it. */
#include <string.h>

#include "../domain/report_versions.h"
#include "api.h"

/* The day of ?date= (default today); -1 after answering 400. */
static int query_day(Req *r, char out[11])
{
    const char *date = req_query(r, "date");
    char probe[11];
    if (!date || !*date) {
        day_today(out);
        return 0;
    }
    if (strlen(date) != 10 || day_add(date, 0, probe) || strcmp(date, probe)) {
        resp_fail(r, 400, "invalid_query", "date", "date must be YYYY-MM-DD");
        return -1;
    }
    memcpy(out, date, 11);
    return 0;
}

static int write_sign(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ReportSignInput *in = r->write_arg;
    int64_t version;
    if (report_sign(db, &r->actor, in, &version, err))
        return -1;
    Jw w;
    resp_begin(r, 201, &w);
    return report_version_write(db, &r->actor, in->date, version, &w, err);
}

void api_report_signoff(Req *r)
{
    ReportSignInput *in = arena_alloc(&r->arena, sizeof *in);
    memset(in, 0, sizeof *in);
    if (body_str(r, "date", &in->date) || body_str(r, "note", &in->note))
        return;
    r->write_arg = in;
    req_write(r, write_sign, r);
}

void api_report_versions(Req *r)
{
    char day[11];
    if (query_day(r, day))
        return;
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    if (report_versions_write(req_db(r), &r->actor, day, &w, &err))
        resp_error(r, &err);
}

void api_report_version(Req *r)
{
    char day[11];
    if (query_day(r, day))
        return;
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    if (report_version_write(req_db(r), &r->actor, day, r->params[0], &w,
                             &err))
        resp_error(r, &err);
}
