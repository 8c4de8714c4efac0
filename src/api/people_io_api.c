/* people_io_api.c — the people register in and out as spreadsheets:
 * POST /people/import (text/csv body) and GET /people/export (CSV or
 * XLSX, streamed). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../domain/people_export.h"
#include "../domain/people_import.h"
#include "api.h"

/* ---- import ------------------------------------------------------------ */

typedef struct ImportOpts {
    int dry_run, skip_invalid;
} ImportOpts;

static void render_bad(Jw *w, const PeopleImport *im)
{
    jw_key(w, "bad");
    jw_array(w);
    for (long i = 0; i < im->nbad; i++) {
        jw_object(w);
        jw_kint(w, "row", im->bad[i].row);
        jw_kstr(w, "column", im->bad[i].column);
        jw_kstr(w, "reason", im->bad[i].reason);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void render_counts(Req *r, int status, const PeopleImport *im,
                          int dry_run, const Err *e)
{
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    if (e) {
        jw_key(&w, "error");
        jw_object(&w);
        jw_kstr(&w, "code", e->code);
        jw_kstr(&w, "message", e->message);
        jw_object_end(&w);
    }
    jw_kint(&w, "rows", im->rows);
    jw_kint(&w, "created", im->created);
    jw_kint(&w, "updated", im->updated);
    jw_kint(&w, "unchanged", im->unchanged);
    if (dry_run)
        jw_kbool(&w, "dry_run", 1);
    render_bad(&w, im);
    jw_object_end(&w);
}

/* The whole file in one job of the writer: the CSV is decoded here, on
 * the writer's thread, so that nothing is allocated before the job runs
 * (a job refused at shutdown leaves nothing to free).  Bad rows and a
 * dry run are answered from here after undoing the import's own
 * savepoint, because the writer would turn a failed job into a bare
 * error. */
static int write_import(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ImportOpts *o = r->write_arg;
    CsvReader *csv;
    int rc = csv_open_memory(r->body.p ? r->body.p : "", r->body.len, &csv,
                             err);
    buf_free(&r->body); /* the reader has its own copy */
    if (rc)
        return -1;
    PeopleImport im = {.csv = csv, .actor = &r->actor,
                       .skip_invalid = o->skip_invalid,
                       .dry_run = o->dry_run};
    rc = db_savepoint(db, err);
    if (!rc) {
        rc = people_import(db, &im, err);
        if (rc == 0) {
            rc = db_release(db, err);
            if (rc == 0)
                render_counts(r, 200, &im, 0, NULL);
        } else {
            db_rollback_to(db);
            if (!strcmp(err->code, "dry_run")) {
                render_counts(r, 200, &im, 1, NULL);
                rc = 0;
            } else if (!strcmp(err->code, "bad_rows")) {
                render_counts(r, 422, &im, 0, err);
                rc = 0;
            }
        }
    }
    people_import_free(&im);
    csv_close(csv);
    return rc;
}

void api_people_import(Req *r)
{
    int64_t dry = 0, skip = 0;
    if (req_query_int(r, "dry_run", 0, 1, &dry) ||
        req_query_int(r, "skip_invalid", 0, 1, &skip))
        return;
    ImportOpts *o = arena_alloc(&r->arena, sizeof *o);
    o->dry_run = (int)dry;
    o->skip_invalid = (int)skip;
    r->write_arg = o;
    req_write(r, write_import, r);
}

/* ---- export ------------------------------------------------------------ */

typedef struct ExportJob {
    PeopleFilter f;
    PeopleExportFormat fmt;
    int full;
    long rows;
    Db *read_db;          /* the pool thread's, for the stream */
} ExportJob;

/* the export's own read and close, for resp_export */
static long export_read(void *x, char *buf, size_t max, Err *err)
{
    return people_export_read(x, buf, max, err);
}

static void export_close(void *x) { people_export_close(x); }

/* After the audit entry is committed, the rows go out: the entry is
 * there before any personal data leaves. */
static int write_export(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ExportJob *j = r->write_arg;
    if (people_export_audit(db, &r->actor, &j->f, j->fmt, j->full, j->rows,
                            err))
        return -1;
    PeopleExport *x =
        people_export_open(j->read_db, &r->actor, &j->f, j->fmt, j->full);
    resp_export(r, "people", j->fmt == PEOPLE_EXPORT_XLSX, export_read,
                export_close, x);
    return 0;
}

void api_people_export(Req *r)
{
    ExportJob *j = arena_alloc(&r->arena, sizeof *j);
    if (people_filter_from_query(r, &j->f))
        return;
    if (people_export_format(req_query(r, "format"), &j->fmt)) {
        resp_fail(r, 400, "invalid_query", "format",
                  "format must be csv or xlsx");
        return;
    }
    /* masked unless asked for with full=1, as GET /people/{id}?full=1
     * and the command line's --full: a file of full ID numbers is made
     * only on purpose, by a role that may (and is audited as such) */
    int64_t full = 0;
    if (req_query_int(r, "full", 0, 1, &full))
        return;
    if (full && !actor_can(&r->actor, CAP_PII_FULL)) {
        resp_fail(r, 403, "forbidden", "full",
                  "your role may not see full ID numbers and phones");
        return;
    }
    j->full = (int)full;
    j->read_db = req_db(r);
    Err err;
    if (people_export_count(j->read_db, &r->actor, &j->f, &j->rows, &err)) {
        resp_error(r, &err);
        return;
    }
    r->write_arg = j;
    req_write(r, write_export, r);
}
