/* report_versions.c — signing off a day's report and reading its frozen
 * versions (see report_versions.h, docs/report.md).  The report is always
 * computed town-wide by report_daily and written by report_write, so a
 * frozen version is byte for byte what GET /reports/daily answered for
 * the town at the moment of signing. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "ledger.h"
#include "observation.h"
#include "report.h"
#include "report_versions.h"

static int require_town(const Actor *a, Err *err)
{
    if (a->scope_all)
        return 0;
    return err_set(err, 403, "town_scope_required", NULL,
                   "signed reports are the town's: only an account working"
                   " for the whole town may sign or read them");
}

/* A real day (YYYY-MM-DD); with not_future, today or before. */
static int check_day(const char *day, int not_future, Err *err)
{
    if (validate_date(day, "date", NULL, err))
        return -1;
    char today[11];
    day_today(today);
    if (not_future && strcmp(day, today) > 0)
        return err_set(err, 422, "invalid_date", "date",
                       "date is after today (%s): a day is signed off once"
                       " it has begun",
                       today);
    return 0;
}

/* The live town-wide report of day as report_write writes it. */
static int live_text(Db *db, const Actor *a, const char *day, Buf *out,
                     Err *err)
{
    Report r;
    if (report_daily(db, a, day, &r, err))
        return -1;
    Jw w;
    jw_init(&w, out);
    report_write(&w, &r);
    report_free(&r);
    return 0;
}

/* The latest version of day (*version 0 when none) and its report. */
static int latest(Db *db, const char *day, int64_t *version, Buf *report,
                  Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT version, report FROM report_versions"
                 " WHERE day = ?1 ORDER BY version DESC LIMIT 1",
                 "t", day))
        return -1;
    int rc = db_step(st, err);
    *version = 0;
    if (rc == DB_ROW) {
        *version = db_int(st, 0);
        buf_puts(report, db_text(st, 1));
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int report_sign(Db *db, const Actor *a, const ReportSignInput *in,
                int64_t *version, Err *err)
{
    if (!actor_can(a, CAP_REPORT_SIGN) || !a->id)
        return err_set(err, 403, "forbidden", NULL,
                       "signing off the report needs an account with"
                       " report.sign");
    if (require_town(a, err) || check_day(in->date, 1, err) ||
        ledger_text_field(in->note, "note", REPORT_NOTE_MAX, 0, err))
        return -1;
    char note[REPORT_NOTE_MAX * 4 + 8];
    if (!text_trim_copy(in->note, note, sizeof note))
        note[0] = '\0';

    Buf now = BUF_INIT, prev = BUF_INIT, diff = BUF_INIT;
    int64_t last = 0, id = 0;
    int n = 0, rc = live_text(db, a, in->date, &now, err) ||
                    latest(db, in->date, &last, &prev, err);
    if (!rc && last)
        rc = report_diff(prev.p, now.p, &diff, &n, err);
    if (!rc && last && !n)
        rc = err_set(err, 409, "already_signed", NULL,
                     "the report of %s is already signed as version %" PRId64
                     " and nothing has changed since",
                     in->date, last);
    if (!rc && !last)
        buf_puts(&diff, "[]");
    if (!rc) {
        char at[21], what[64];
        clock_now_iso(at);
        rc = db_insert(db, err, &id,
                       "INSERT INTO report_versions (day, version,"
                       " account_id, signed_at, note, report, differences)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                       "tiitttt", in->date, last + 1, a->id, at, note,
                       now.p, diff.p);
        if (rc && db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "already_signed", NULL,
                    "the report of %s was signed at the same moment by"
                    " someone else",
                    in->date);
        snprintf(what, sizeof what, "%s v%" PRId64, in->date, last + 1);
        if (!rc)
            rc = audit_record(db, a, "sign", "report_version", id, what,
                              prev.len ? prev.p : NULL, now.p, err);
    }
    buf_free(&now);
    buf_free(&prev);
    buf_free(&diff);
    if (!rc)
        *version = last + 1;
    return rc ? -1 : 0;
}

int report_versions_of(Db *db, const Actor *a, const char *day,
                       int64_t version,
                       int (*each)(void *ctx, const ReportVersion *v),
                       void *ctx, Err *err)
{
    if (require_town(a, err) || check_day(day, 0, err))
        return -1;
    /* the frozen text only when one version is asked for */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT v.id, v.version, v.account_id, v.day, a.username,"
                 " a.display_name, v.signed_at, v.note,"
                 " CASE WHEN ?2 = 0 THEN NULL ELSE v.report END,"
                 " v.differences"
                 " FROM report_versions v JOIN accounts a"
                 "  ON a.id = v.account_id"
                 " WHERE v.day = ?1 AND (?2 = 0 OR v.version = ?2)"
                 " ORDER BY v.version",
                 "ti", day, version))
        return -1;
    int rc, rows = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ReportVersion v = {db_int(st, 0), db_int(st, 1), db_int(st, 2),
                           db_text(st, 3), db_text(st, 4), db_text(st, 5),
                           db_text(st, 6), db_text(st, 7), db_text(st, 8),
                           db_text(st, 9)};
        rows++;
        if (each(ctx, &v))
            break;
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (version && !rows)
        return err_set(err, 404, "not_found", NULL,
                       "the report of %s has no version %" PRId64, day,
                       version);
    return 0;
}

int report_changed_since_signoff(Db *db, const Actor *a, const char *day,
                                 Buf *out, int64_t *last, Err *err)
{
    if (require_town(a, err) || check_day(day, 0, err))
        return -1;
    Buf prev = BUF_INIT, now = BUF_INIT;
    int n, rc = latest(db, day, last, &prev, err);
    if (!rc && !*last)
        buf_puts(out, "[]");
    else if (!rc)
        rc = live_text(db, a, day, &now, err) ||
             report_diff(prev.p, now.p, out, &n, err);
    buf_free(&prev);
    buf_free(&now);
    return rc ? -1 : 0;
}

/* The members of a version object (docs/api.md). */
static void write_meta(Jw *w, const ReportVersion *v)
{
    jw_kint(w, "version", v->version);
    jw_kstr(w, "signed_by", v->signed_by);
    jw_kstr(w, "signed_by_name", v->signed_by_name);
    jw_kstr(w, "signed_at", v->signed_at);
    jw_kstr(w, "note", v->note);
    jw_key(w, "differences");
    jw_raw(w, v->differences);
}

static int write_listed(void *ctx, const ReportVersion *v)
{
    Jw *w = ctx;
    jw_object(w);
    write_meta(w, v);
    jw_object_end(w);
    return 0;
}

int report_versions_write(Db *db, const Actor *a, const char *day, Jw *w,
                          Err *err)
{
    Buf changed = BUF_INIT;
    int64_t last;
    if (report_changed_since_signoff(db, a, day, &changed, &last, err)) {
        buf_free(&changed);
        return -1;
    }
    jw_object(w);
    jw_kstr(w, "date", day);
    jw_kbool(w, "signed", last > 0);
    jw_key(w, "latest_version");
    if (last)
        jw_int(w, last);
    else
        jw_null(w);
    jw_key(w, "versions");
    jw_array(w);
    int rc = report_versions_of(db, a, day, 0, write_listed, w, err);
    jw_array_end(w);
    jw_key(w, "changed_since_signoff");
    jw_raw(w, changed.p);
    jw_object_end(w);
    buf_free(&changed);
    return rc;
}

static int write_one(void *ctx, const ReportVersion *v)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kstr(w, "date", v->day);
    write_meta(w, v);
    jw_key(w, "report");
    jw_raw(w, v->report); /* the frozen text, unchanged */
    jw_object_end(w);
    return 0;
}

int report_version_write(Db *db, const Actor *a, const char *day,
                         int64_t version, Jw *w, Err *err)
{
    if (version < 1)
        return err_set(err, 404, "not_found", NULL,
                       "versions are numbered from 1");
    return report_versions_of(db, a, day, version, write_one, w, err);
}
