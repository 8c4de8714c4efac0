/* people_query.c — the register's filters from a query string, shared by
 * the list (GET /people) and the export (GET /people/export). */
#include <string.h>

#include "../domain/people.h"
#include "api.h"

int people_filter_from_query(Req *r, PeopleFilter *f)
{
    memset(f, 0, sizeof *f);
    int64_t include_merged = 0;
    if (req_paging(r, &f->limit, &f->after_id) ||
        req_query_int(r, "village_id", 1, INT64_MAX, &f->village_id) ||
        req_query_int(r, "grid_id", 1, INT64_MAX, &f->grid_id) ||
        req_query_int(r, "include_merged", 0, 1, &include_merged))
        return -1;
    f->include_merged = (int)include_merged;
    f->kind = req_query(r, "kind");
    f->measure = req_query(r, "measure");
    f->origin = req_query(r, "origin");
    f->risk = req_query(r, "risk");
    f->source = req_query(r, "source");
    f->status = req_query(r, "status");
    f->screening = req_query(r, "screening");
    f->return_from = req_query(r, "return_from");
    f->return_to = req_query(r, "return_to");
    f->q = req_query(r, "q");
    /* an empty parameter is no filter (forms send them empty) */
    const char **all[] = {&f->kind, &f->measure, &f->origin, &f->risk,
                          &f->source, &f->status, &f->screening,
                          &f->return_from, &f->return_to, &f->q};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (*all[i] && !**all[i])
            *all[i] = NULL;
    Err err;
    if (people_check_filter(f, &err)) {
        resp_error(r, &err);
        return -1;
    }
    return 0;
}
