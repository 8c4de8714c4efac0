/* report_versions.h — signing off a day's report: the town-wide report
 * frozen as version 1, 2, ... of the day, each later version with its
 * differences from the one before, and what changed in the records since
 * the latest sign-off (docs/report.md, "Sign-off and versions").
 *
 * Frozen versions are the town's: every call needs an actor with
 * whole-town scope (403 town_scope_required otherwise); signing needs
 * report.sign as well.  The API (src/api/report_versions_api.c) and the
 * CLI (fangyi signoff) both call these and write the same JSON. */
#ifndef FANGYI_REPORT_VERSIONS_H
#define FANGYI_REPORT_VERSIONS_H

#include <stdint.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../db/db.h"
#include "actor.h"

enum { REPORT_NOTE_MAX = 500 };  /* characters of a sign-off note */

/* One signed version (its texts valid during the callback only). */
typedef struct ReportVersion {
    int64_t id, version, account_id;
    const char *day, *signed_by, *signed_by_name, *signed_at, *note;
    const char *report;       /* the frozen JSON, exactly as written */
    const char *differences;  /* JSON array of {key, before, after} */
} ReportVersion;

/* What a sign-off says. */
typedef struct ReportSignInput {
    const char *date;         /* YYYY-MM-DD, today or before */
    const char *note;         /* optional */
} ReportSignInput;

/* report_sign (a write: run it on the writer's connection) computes the
 * town-wide report of in->date now and stores it as the day's next
 * version with its differences from the latest, audited.  *version is
 * the new number.  Errors: 403 town_scope_required / forbidden, 422
 * missing_field / invalid_date (field date: not a real day, or after
 * today), 422 invalid_field (note), 409 already_signed when nothing
 * changed since the latest version (the message names it). */
int report_sign(Db *db, const Actor *a, const ReportSignInput *in,
                int64_t *version, Err *err);

/* report_versions_of calls each() for the versions of day in order (with
 * version = 0) or for that one version (404 not_found when there is
 * none).  Stops early when each returns nonzero. */
int report_versions_of(Db *db, const Actor *a, const char *day,
                       int64_t version,
                       int (*each)(void *ctx, const ReportVersion *v),
                       void *ctx, Err *err);

/* report_changed_since_signoff writes into out the JSON array of the
 * differences of the live town-wide report of day from its latest
 * signed version ([] when unsigned or unchanged); *latest is that
 * version's number (0: never signed). */
int report_changed_since_signoff(Db *db, const Actor *a, const char *day,
                                 Buf *out, int64_t *latest, Err *err);

/* report_diff compares two report JSON texts: out gets the array of
 * {key, before, after} — town figures by dotted key (returnees.total),
 * villages as by_village.<name>.<field> matched by village_id (a village
 * that appears or disappears is one entry whose before or after is its
 * whole row, else null), supplies as supplies.<item>.<field> matched by
 * item.  *n is the number of differences. */
int report_diff(const char *before, const char *after, Buf *out, int *n,
                Err *err);

/* The JSON shapes the API answers and `fangyi signoff --format json`
 * prints (docs/api.md): report_versions_write the versions of a day with
 * what changed since; report_version_write one version with its frozen
 * report. */
int report_versions_write(Db *db, const Actor *a, const char *day, Jw *w,
                          Err *err);
int report_version_write(Db *db, const Actor *a, const char *day,
                         int64_t version, Jw *w, Err *err);

#endif
