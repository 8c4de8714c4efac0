/* enterprises.c — enterprises returning to work (企业复工) and their
 * workers, who are people of the register (see ledger.h).  The daily
 * health summary is read by the list engine (LL_ENTERPRISES): on the
 * roll that day, under observation (a measure covers the day), with
 * fever, and present (neither). */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"

static const char *const APPROVALS[][2] = {
    {"待审批", "pending"}, {"pending", "pending"},
    {"已批准", "approved"}, {"批准", "approved"},
    {"approved", "approved"}, {"未批准", "refused"},
    {"不批准", "refused"}, {"refused", "refused"},
};

const char *enterprise_approval_code(const char *s)
{
    for (size_t i = 0; s && i < sizeof APPROVALS / sizeof *APPROVALS; i++)
        if (strcmp(s, APPROVALS[i][0]) == 0)
            return APPROVALS[i][1];
    return NULL;
}

const char *enterprise_approval_label(const char *code)
{
    for (size_t i = 0; code && i < sizeof APPROVALS / sizeof *APPROVALS;
         i++)
        if (strcmp(code, APPROVALS[i][1]) == 0)
            return APPROVALS[i][0];
    return "";
}

int enterprise_find(Db *db, int64_t village_id, const char *name,
                    int64_t *id, Err *err)
{
    int found;
    if (db_one_int(db, err, id, &found,
                   "SELECT id FROM enterprises WHERE village_id = ?1"
                   " AND name = ?2",
                   "it", village_id, name))
        return -1;
    if (!found)
        *id = 0;
    return 0;
}

/* Check the approval, its date and the liaison of an input: the liaison
 * is an enabled account whose role enters enterprise work and whose
 * villages include the enterprise's (village_id). */
static int check_fields(Db *db, const EnterpriseInput *in,
                        int64_t village_id, Err *err)
{
    if (in->approval && !enterprise_approval_code(in->approval))
        return err_set(err, 422, "invalid_field", "approval",
                       "approval must be pending, approved or refused");
    if (in->approval_date && *in->approval_date &&
        validate_date(in->approval_date, "approval_date", NULL, err))
        return -1;
    if (in->liaison_id) {
        char role[32];
        if (db_one_text(db, err, role, sizeof role,
                        "SELECT role FROM accounts x WHERE id = ?1"
                        " AND disabled = 0 AND (NOT EXISTS (SELECT 1 FROM"
                        " account_villages WHERE account_id = x.id)"
                        " OR EXISTS (SELECT 1 FROM account_villages"
                        " WHERE account_id = x.id AND village_id = ?2))",
                        "ii", in->liaison_id, village_id))
            return -1;
        if (!roles_has(roles_find(role), CAP_ENTERPRISE_WRITE))
            return err_set(err, 422, "invalid_field", "liaison_id",
                           "no enterprise liaison of that village has this"
                           " account");
    }
    return ledger_text_field(in->note, "note", 200, 0, err);
}

/* The village of an enterprise, checked against the actor's scope. */
static int enterprise_village(Db *db, const Actor *a, int64_t id,
                              int64_t *village, Err *err)
{
    int found;
    if (db_one_int(db, err, village, &found,
                   "SELECT village_id FROM enterprises WHERE id = ?1", "i",
                   id))
        return -1;
    if (!found || !actor_in_scope(a, *village))
        return err_set(err, 404, "not_found", NULL, "no such enterprise");
    return 0;
}

int enterprise_create(Db *db, const Actor *a, const EnterpriseInput *given,
                      int64_t *id, Err *err)
{
    /* the name as typed, less the spaces around it */
    EnterpriseInput trimmed = *given;
    char name[64 * 4 + 1];
    trimmed.name = text_trim_copy(given->name, name, sizeof name);
    const EnterpriseInput *in = &trimmed;
    if (ledger_text_field(in->name, "name", 64, 1, err))
        return -1;
    if (!in->village_id)
        return err_set(err, 422, "missing_field", "village_id",
                       "village_id is required");
    LedgerPlace v;
    if (ledger_place(db, a, in->village_id, "village_id", &v, err))
        return -1;
    if (strcmp(v.type, "village") != 0)
        return err_set(err, 422, "invalid_field", "village_id",
                       "not a village");
    if (check_fields(db, in, in->village_id, err))
        return -1;
    const char *approval =
        in->approval ? enterprise_approval_code(in->approval) : "pending";
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO enterprises (name, village_id, liaison_id,"
                  " approval, approval_date, note, created_at) VALUES (?1,"
                  " ?2, ?3, ?4, NULLIF(?5, ''), ?6, ?7) RETURNING id",
                  "tiItttt", in->name, in->village_id, in->liaison_id,
                  approval, in->approval_date, in->note ? in->note : "",
                  now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "name",
                    "%s is registered in that village", in->name);
        return -1;
    }
    return audit_record(db, a, "create", "enterprise", *id, in->name, NULL,
                        approval, err);
}

int enterprise_update(Db *db, const Actor *a, int64_t id,
                      const EnterpriseInput *given, Err *err)
{
    /* the name as typed, less the spaces around it */
    EnterpriseInput trimmed = *given;
    char name[64 * 4 + 1];
    trimmed.name = text_trim_copy(given->name, name, sizeof name);
    const EnterpriseInput *in = &trimmed;
    int64_t village;
    if (enterprise_village(db, a, id, &village, err))
        return -1;
    if (in->village_id)
        return err_set(err, 422, "invalid_field", "village_id",
                       "an enterprise keeps its village");
    if ((in->name && ledger_text_field(in->name, "name", 64, 1, err)) ||
        check_fields(db, in, village, err))
        return -1;
    const char *approval =
        in->approval ? enterprise_approval_code(in->approval) : NULL;
    if (db_run(db, err,
               "UPDATE enterprises SET name = COALESCE(?2, name),"
               " liaison_id = CASE WHEN ?3 = 1 THEN NULLIF(?4, 0)"
               "  ELSE liaison_id END,"
               " approval = COALESCE(?5, approval),"
               " approval_date = CASE WHEN ?6 IS NULL THEN approval_date"
               "  ELSE NULLIF(?6, '') END,"
               " note = COALESCE(?7, note) WHERE id = ?1",
               "itiittt", id, in->name, (int64_t)in->has_liaison,
               in->liaison_id, approval, in->approval_date, in->note)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "name",
                    "%s is registered in that village", in->name);
        return -1;
    }
    char what[96];
    snprintf(what, sizeof what, "approval %s", approval ? approval : "kept");
    return audit_record(db, a, "update", "enterprise", id,
                        in->name ? in->name : "", NULL, what, err);
}

int enterprise_worker_add(Db *db, const Actor *a, int64_t enterprise_id,
                          int64_t person_id, const char *since,
                          int64_t *id, Err *err)
{
    int64_t village, pvillage;
    if (enterprise_village(db, a, enterprise_id, &village, err))
        return -1;
    if (!person_id)
        return err_set(err, 422, "missing_field", "person_id",
                       "person_id is required");
    int found;
    if (db_one_int(db, err, &pvillage, &found,
                   "SELECT village_id FROM people WHERE id = ?1"
                   " AND merged_into IS NULL",
                   "i", person_id))
        return -1;
    if (!found || !actor_in_scope(a, pvillage))
        return err_set(err, 422, "invalid_field", "person_id",
                       "no such person in the register among yours");
    char day[11];
    if (since && *since) {
        if (validate_date(since, "since", NULL, err))
            return -1;
        snprintf(day, sizeof day, "%s", since);
    } else if (ledger_day(NULL, "since", day, err)) {
        return -1;
    }
    if (db_insert(db, err, id,
                  "INSERT INTO enterprise_workers (enterprise_id,"
                  " person_id, since) VALUES (?1, ?2, ?3) RETURNING id",
                  "iit", enterprise_id, person_id, day)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "person_id",
                    "already a worker of this enterprise");
        return -1;
    }
    char what[64];
    snprintf(what, sizeof what, "person %lld from %s", (long long)person_id,
             day);
    return audit_record(db, a, "create", "enterprise_worker", *id, what,
                        NULL, what, err);
}

int enterprise_worker_leave(Db *db, const Actor *a, int64_t enterprise_id,
                            int64_t worker_id, const char *day, Err *err)
{
    int64_t village;
    if (enterprise_village(db, a, enterprise_id, &village, err))
        return -1;
    char d[11];
    if (ledger_day(day, "day", d, err))
        return -1;
    if (db_run(db, err,
               "UPDATE enterprise_workers SET left_on = ?3 WHERE id = ?1"
               " AND enterprise_id = ?2 AND left_on IS NULL",
               "iit", worker_id, enterprise_id, d))
        return -1;
    if (db_changes(db) == 0)
        return err_set(err, 404, "not_found", NULL,
                       "no such worker on the roll");
    return audit_record(db, a, "update", "enterprise_worker", worker_id,
                        "left", NULL, d, err);
}
