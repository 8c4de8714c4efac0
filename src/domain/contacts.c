/* contacts.c — close-contact links between people, and merging two
 * records of one person (see people.h). */
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "people_internal.h"

static const char *const RELATIONSHIPS[] = {"family", "colleague",
                                            "co_passenger", "other", NULL};

int contacts_add(Db *db, const Actor *a, int64_t person_id,
                 const ContactInput *in, int64_t *contact_id,
                 Classification *cls, Err *err)
{
    int64_t village, source_village;
    int ymd;
    if (people_require(db, a, person_id, &village, NULL, err))
        return -1;
    if (!in->source_id)
        return err_set(err, 422, "missing_field", "source_id",
                       "who the person was exposed to is required");
    if (in->source_id == person_id)
        return err_set(err, 422, "invalid_field", "source_id",
                       "a person cannot be their own contact");
    /* the source may live in another village: exposure crosses borders,
     * but it must be a person the actor may see */
    if (people_require(db, a, in->source_id, &source_village, NULL, err))
        return err_set(err, 422, "invalid_field", "source_id",
                       "no such person");
    if (!in->last_exposure || !*in->last_exposure)
        return err_set(err, 422, "missing_field", "last_exposure",
                       "the date of the last exposure is required");
    if (validate_date(in->last_exposure, "last_exposure", &ymd, err))
        return -1;
    if (!people_in_list(in->relationship, RELATIONSHIPS))
        return err_set(err, 422, "invalid_field", "relationship",
                       "relationship must be family, colleague, co_passenger"
                       " or other");
    if (in->setting && *in->setting &&
        validate_name(in->setting, "setting", 200, err))
        return -1;
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, contact_id,
                  "INSERT INTO contacts (person_id, source_id, last_exposure,"
                  " relationship, setting, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                  " ON CONFLICT (person_id, source_id) DO UPDATE SET"
                  " last_exposure = CASE WHEN excluded.last_exposure >"
                  " contacts.last_exposure THEN excluded.last_exposure"
                  " ELSE contacts.last_exposure END,"
                  " relationship = excluded.relationship,"
                  " setting = excluded.setting RETURNING id",
                  "iitttt", person_id, in->source_id, in->last_exposure,
                  in->relationship, in->setting ? in->setting : "", now))
        return -1;
    char source[32];
    snprintf(source, sizeof source, "#%lld", (long long)in->source_id);
    if (people_audit_change(db, a, person_id, "contact_add", source,
                            in->last_exposure, err))
        return -1;
    return people_classify(db, person_id, cls, err);
}

int contacts_remove(Db *db, const Actor *a, int64_t person_id,
                    int64_t contact_id, Err *err)
{
    int64_t village;
    if (people_require(db, a, person_id, &village, NULL, err) ||
        db_run(db, err,
               "DELETE FROM contacts WHERE id = ?1"
               " AND (person_id = ?2 OR source_id = ?2)",
               "ii", contact_id, person_id))
        return -1;
    if (db_changes(db) == 0)
        return err_set(err, 404, "not_found", NULL, "no such contact");
    char link[32];
    snprintf(link, sizeof link, "#%lld", (long long)contact_id);
    if (people_audit_change(db, a, person_id, "contact_remove", link, NULL,
                            err))
        return -1;
    return people_classify(db, person_id, NULL, err);
}

int people_merge(Db *db, const Actor *a, int64_t into_id, int64_t from_id,
                 Err *err)
{
    int64_t v1, v2, m1, m2;
    if (into_id == from_id)
        return err_set(err, 422, "invalid_field", "from_id",
                       "a record cannot be merged into itself");
    if (people_require(db, a, into_id, &v1, &m1, err))
        return -1;
    if (people_require(db, a, from_id, &v2, &m2, err))
        return err_set(err, 422, "invalid_field", "from_id",
                       "no such person");
    if (m1 || m2)
        return err_set(err, 409, "conflict", m1 ? NULL : "from_id",
                       "that record was already merged");
    int64_t differ;
    int found;
    if (db_one_int(db, err, &differ, &found,
                   "SELECT 1 FROM people a, people b WHERE a.id = ?1"
                   " AND b.id = ?2 AND a.id_number IS NOT NULL"
                   " AND b.id_number IS NOT NULL"
                   " AND a.id_number <> b.id_number",
                   "ii", into_id, from_id))
        return -1;
    if (found)
        return err_set(err, 422, "invalid_field", "from_id",
                       "the two records have different ID numbers: they are"
                       " two people");
    Buf before = BUF_INIT;
    if (people_row_json(db, into_id, &before, err)) {
        buf_free(&before);
        return -1;
    }
    /* links between the two vanish; links both had to a third person
     * keep the record of the one we keep */
    int rc = db_run(db, err,
                    "DELETE FROM contacts WHERE (person_id = ?1"
                    " AND source_id = ?2) OR (person_id = ?2"
                    " AND source_id = ?1)"
                    " OR (person_id = ?2 AND source_id IN (SELECT source_id"
                    "  FROM contacts WHERE person_id = ?1))"
                    " OR (source_id = ?2 AND person_id IN (SELECT person_id"
                    "  FROM contacts WHERE source_id = ?1))",
                    "ii", into_id, from_id);
    if (!rc)
        rc = db_run(db, err,
                    "UPDATE contacts SET person_id = ?1 WHERE person_id = ?2",
                    "ii", into_id, from_id);
    if (!rc)
        rc = db_run(db, err,
                    "UPDATE contacts SET source_id = ?1 WHERE source_id = ?2",
                    "ii", into_id, from_id);
    if (!rc)
        rc = db_run(db, err,
                    "UPDATE travels SET person_id = ?1 WHERE person_id = ?2",
                    "ii", into_id, from_id);
    /* what the kept record lacks comes from the other one; the ID number
     * moves (it is unique, so it leaves the merged record first) */
    char id_number[19] = "";
    DbStmt *st;
    if (!rc && !(rc = db_query(db, &st, err,
                               "SELECT COALESCE(id_number, '') FROM people"
                               " WHERE id = ?1",
                               "i", from_id))) {
        if (db_step(st, err) == DB_ROW)
            snprintf(id_number, sizeof id_number, "%s", db_text(st, 0));
        db_done(st);
    }
    char now[21];
    clock_now_iso(now);
    if (!rc)
        rc = db_run(db, err,
                    "UPDATE people SET merged_into = ?1, id_number = NULL,"
                    " updated_at = ?3 WHERE id = ?2",
                    "iit", into_id, from_id, now);
    if (!rc)
        rc = db_run(db, err,
                    "UPDATE people SET"
                    " id_number = COALESCE(id_number, ?3),"
                    " id_flag = CASE WHEN id_number IS NULL AND ?3 IS NOT NULL"
                    "   THEN (SELECT CASE WHEN id_flag = 'missing' THEN NULL"
                    "   ELSE id_flag END FROM people WHERE id = ?2)"
                    "   ELSE id_flag END,"
                    " sex = COALESCE(sex, (SELECT sex FROM people"
                    "   WHERE id = ?2)),"
                    " birth_date = COALESCE(birth_date, (SELECT birth_date"
                    "   FROM people WHERE id = ?2)),"
                    " phone = COALESCE(phone, (SELECT phone FROM people"
                    "   WHERE id = ?2)),"
                    " grid_id = COALESCE(grid_id, (SELECT grid_id FROM people"
                    "   WHERE id = ?2 AND village_id = ?4)),"
                    " is_case = CASE WHEN (SELECT is_case FROM people"
                    "   WHERE id = ?2) > is_case THEN 1 ELSE is_case END,"
                    " updated_at = ?5 WHERE id = ?1",
                    "iitit", into_id, from_id,
                    id_number[0] ? id_number : NULL, v1, now);
    if (!rc)
        rc = people_audit(db, a, "merge", into_id, before.p, err);
    if (!rc)
        rc = people_audit(db, a, "merged", from_id, NULL, err);
    buf_free(&before);
    if (rc)
        return -1;
    return people_classify(db, into_id, NULL, err);
}
