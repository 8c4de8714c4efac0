/* inspections.c — inspection rounds (督查) and their visits (see
 * ledger.h).  A round's sites are fixed when it is created, so "which
 * sites are still unvisited" stays the question the round was about even
 * when points open or close later.  A problem found walks open -> fixed
 * -> verified; an open one past its deadline is overdue. */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"

const char *const INSPECTION_CHECK_KEYS[INSPECTION_CHECKS] = {
    "staff_on_duty", "cover_24h", "plates_phones", "temps_taken",
    "thermometer_ok", "no_gathering",
};

int inspection_find_round(Db *db, const char *name, int64_t *id, Err *err)
{
    int found;
    if (db_one_int(db, err, id, &found,
                   "SELECT MAX(id) FROM inspection_rounds WHERE name = ?1",
                   "t", name))
        return -1;
    return 0;
}

int inspection_round_create(Db *db, const Actor *a, const RoundInput *in,
                            int64_t *id, Err *err)
{
    char day[11];
    if (ledger_require_town(a, err) ||
        ledger_text_field(in->name, "name", 64, 1, err) ||
        ledger_text_field(in->team, "team", 64, 0, err) ||
        ledger_day(in->day, "day", day, err))
        return -1;
    if (in->full_coverage && in->nsites)
        return err_set(err, 422, "invalid_field", "sites",
                       "a full-coverage round covers every site: give no"
                       " list");
    if (!in->full_coverage && !in->nsites)
        return err_set(err, 422, "missing_field", "sites",
                       "choose the points and venues the round covers");
    for (int i = 0; i < in->nsites; i++) {
        LedgerPlace pl;
        if (ledger_place(db, a, in->sites[i], "sites", &pl, err))
            return -1;
        if (strcmp(pl.type, "point") != 0 && strcmp(pl.type, "venue") != 0)
            return err_set(err, 422, "invalid_field", "sites",
                           "%s is not a point or venue", pl.name);
    }
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO inspection_rounds (name, team, day,"
                  " full_coverage, actor, created_at) VALUES (?1, ?2, ?3,"
                  " ?4, ?5, ?6) RETURNING id",
                  "tttitt", in->name, in->team ? in->team : "", day,
                  (int64_t)(in->full_coverage != 0), a->username, now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "name",
                    "a round named %s exists: name this one apart",
                    in->name);
        return -1;
    }
    if (in->full_coverage) {
        if (db_run(db, err,
                   "INSERT INTO inspection_round_sites (round_id, place_id)"
                   " SELECT ?1, id FROM places WHERE type IN ('point',"
                   " 'venue') AND active = 1",
                   "i", *id))
            return -1;
    } else {
        for (int i = 0; i < in->nsites; i++)
            if (db_run(db, err,
                       "INSERT INTO inspection_round_sites"
                       " (round_id, place_id) VALUES (?1, ?2)"
                       " ON CONFLICT DO NOTHING",
                       "ii", *id, in->sites[i]))
                return -1;
    }
    char what[400];
    snprintf(what, sizeof what, "%s %s%s", day, in->name,
             in->full_coverage ? " (full coverage)" : "");
    return audit_record(db, a, "create", "inspection_round", *id, what,
                        NULL, what, err);
}

int inspection_visit_create(Db *db, const Actor *a, const VisitInput *in,
                            int64_t *id, Err *err)
{
    if (!in->round_id)
        return err_set(err, 422, "missing_field", "round_id",
                       "round_id is required");
    if (!in->place_id)
        return err_set(err, 422, "missing_field", "place_id",
                       "place_id is required");
    LedgerPlace pl;
    if (ledger_place(db, a, in->place_id, "place_id", &pl, err))
        return -1;
    int found;
    int64_t one;
    if (db_one_int(db, err, &one, &found,
                   "SELECT 1 FROM inspection_round_sites WHERE round_id = ?1"
                   " AND place_id = ?2",
                   "ii", in->round_id, in->place_id))
        return -1;
    if (!found)
        return err_set(err, 422, "invalid_field", "place_id",
                       "the round does not cover this site");
    char day[11];
    if (ledger_day(in->day, "day", day, err) ||
        ledger_text_field(in->inspector, "inspector", 32, 0, err) ||
        ledger_text_field(in->problems, "problems", 500, 0, err) ||
        ledger_text_field(in->required_fix, "required_fix", 500, 0, err) ||
        ledger_text_field(in->accountability, "accountability", 500, 0,
                          err))
        return -1;
    int problem = in->problems && *in->problems;
    if (problem) {
        if (ledger_text_field(in->required_fix, "required_fix", 500, 1, err))
            return -1;
        if (!in->deadline || !*in->deadline)
            return err_set(err, 422, "missing_field", "deadline",
                           "a problem needs a deadline for its fix");
        if (validate_date(in->deadline, "deadline", NULL, err))
            return -1;
        if (strcmp(in->deadline, day) < 0)
            return err_set(err, 422, "invalid_date", "deadline",
                           "the deadline is before the visit");
    } else if ((in->required_fix && *in->required_fix) ||
               (in->deadline && *in->deadline)) {
        return err_set(err, 422, "missing_field", "problems",
                       "a fix or deadline needs the problem it fixes");
    }
    int64_t c[INSPECTION_CHECKS];
    for (int i = 0; i < INSPECTION_CHECKS; i++)
        c[i] = in->checks[i] < 0 ? -1 : in->checks[i] != 0;
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO inspection_visits (round_id, place_id,"
                  " village_id, day, inspector, staff_on_duty, cover_24h,"
                  " plates_phones, temps_taken, thermometer_ok,"
                  " no_gathering, problems, required_fix, deadline, status,"
                  " accountability, actor, created_at) VALUES (?1, ?2, ?3,"
                  " ?4, ?5, NULLIF(?6, -1), NULLIF(?7, -1), NULLIF(?8, -1),"
                  " NULLIF(?9, -1), NULLIF(?10, -1), NULLIF(?11, -1), ?12,"
                  " ?13, ?14, ?15, ?16, ?17, ?18) RETURNING id",
                  "iiittiiiiiittttttt", in->round_id, in->place_id,
                  pl.village_id, day, in->inspector ? in->inspector : "",
                  c[0], c[1], c[2], c[3], c[4], c[5],
                  in->problems ? in->problems : "",
                  in->required_fix ? in->required_fix : "",
                  problem ? in->deadline : NULL, problem ? "open" : NULL,
                  in->accountability ? in->accountability : "", a->username,
                  now))
        return -1;
    char what[400];
    snprintf(what, sizeof what, "round %lld %s%s", (long long)in->round_id,
             pl.name, problem ? ": problem" : "");
    return audit_record(db, a, "create", "inspection_visit", *id, what,
                        NULL, what, err);
}

int inspection_visit_update(Db *db, const Actor *a, int64_t id,
                            const char *status, const char *accountability,
                            Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT village_id, status FROM inspection_visits"
                 " WHERE id = ?1",
                 "i", id))
        return -1;
    int rc = db_step(st, err);
    int64_t village = 0;
    char old[16] = "";
    if (rc == DB_ROW) {
        village = db_int(st, 0);
        snprintf(old, sizeof old, "%s", db_text(st, 1) ? db_text(st, 1)
                                                       : "");
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE || !actor_in_scope(a, village))
        return err_set(err, 404, "not_found", NULL, "no such visit");
    if (ledger_text_field(accountability, "accountability", 500, 0, err))
        return -1;
    if (status) {
        if (!*old)
            return err_set(err, 422, "invalid_field", "status",
                           "this visit found no problem");
        int to_fixed = strcmp(status, "fixed") == 0;
        int to_verified = strcmp(status, "verified") == 0;
        if (!to_fixed && !to_verified)
            return err_set(err, 422, "invalid_field", "status",
                           "status goes to fixed or verified");
        if (strcmp(old, "verified") == 0 ||
            (to_fixed && strcmp(old, "open") != 0))
            return err_set(err, 409, "conflict", "status",
                           "the fix is %s already", old);
    }
    char now[21];
    clock_now_iso(now);
    if (db_run(db, err,
               "UPDATE inspection_visits SET status = COALESCE(?2, status),"
               " fixed_at = CASE WHEN ?2 IS NOT NULL AND fixed_at IS NULL"
               "  THEN ?4 ELSE fixed_at END,"
               " verified_at = CASE WHEN ?2 = 'verified' THEN ?4"
               "  ELSE verified_at END,"
               " accountability = COALESCE(?3, accountability)"
               " WHERE id = ?1",
               "ittt", id, status, accountability, now))
        return -1;
    char what[96];
    snprintf(what, sizeof what, "%s -> %s", old[0] ? old : "-",
             status ? status : old);
    return audit_record(db, a, "update", "inspection_visit", id, what, NULL,
                        what, err);
}
