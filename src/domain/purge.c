/* purge.c — anonymising personal data at the end of the epidemic (see
 * purge.h, docs/purge.md).
 *
 * First the people to anonymise are put in a temporary table: a person
 * of the register whose last record is before the day (registered, every
 * measure ended, every travel returned and registered, every exposure,
 * checkpoint pass, alert and enterprise roll entry before it), and the
 * duplicates merged into such a person.  Then each table's personal
 * columns are replaced, row by row only where something is left to
 * replace, so the counts say what changed and a second run changes
 * nothing.  Columns the daily report counts (villages, dates, kinds,
 * outcomes, region codes, risk levels, temperatures) are never touched,
 * so the figures of past days stay what they were.  Last, the one audit
 * entry of the purge clears the summaries of the audit entries about the
 * people and records it anonymised (audit.h says how the chain still
 * holds). */
#include "purge.h"

#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"

/* The name that replaces a name. */
#define ANON "'已匿名'"
#define PURGED "(SELECT id FROM purge_people)"

/* p's last record is before the day: ?1 the day, ?2 its first instant
 * (UTC) for timestamps. */
#define LAST_RECORD_BEFORE                                                 \
    " p.created_at < ?2"                                                   \
    " AND NOT EXISTS (SELECT 1 FROM measures m WHERE m.person_id = p.id"   \
    "  AND (m.status = 'active' OR m.end_date IS NULL"                     \
    "   OR m.end_date >= ?1))"                                             \
    " AND NOT EXISTS (SELECT 1 FROM travels t WHERE t.person_id = p.id"    \
    "  AND (t.return_date >= ?1 OR t.created_at >= ?2))"                   \
    " AND NOT EXISTS (SELECT 1 FROM contacts k WHERE (k.person_id = p.id"  \
    "  OR k.source_id = p.id) AND k.last_exposure >= ?1)"                  \
    " AND NOT EXISTS (SELECT 1 FROM pass_people x JOIN passes s"           \
    "  ON s.id = x.pass_id WHERE x.person_id = p.id AND s.day >= ?1)"      \
    " AND NOT EXISTS (SELECT 1 FROM alerts l WHERE l.person_id = p.id"     \
    "  AND l.opened_at >= ?2)"                                             \
    " AND NOT EXISTS (SELECT 1 FROM enterprise_workers w"                  \
    "  WHERE w.person_id = p.id AND (w.since >= ?1 OR w.left_on >= ?1))"

/* A pass none of whose people is a person left as they are. */
#define PASS_FREE(pass)                                                    \
    " NOT EXISTS (SELECT 1 FROM pass_people x WHERE x.pass_id = " pass     \
    " AND x.person_id IS NOT NULL AND x.person_id NOT IN " PURGED ")"

/* One table's replacement.  Parameters: ?1 the day, ?2 its first instant
 * (UTC), ?3 now; fmt binds up to the highest one the statement uses. */
typedef struct Step {
    const char *table;
    const char *sql;
    const char *fmt;
} Step;

static const Step STEPS[PURGE_STEPS] = {
    [PURGE_PEOPLE] = {"people",
        "UPDATE people SET name = " ANON ", id_number = NULL,"
        " id_flag = NULL, birth_date = NULL, phone = NULL, address = '',"
        " notes = '', anonymised_at = COALESCE(anonymised_at, ?3),"
        " updated_at = ?3 WHERE id IN " PURGED
        " AND (anonymised_at IS NULL OR name <> " ANON
        "  OR id_number IS NOT NULL OR birth_date IS NOT NULL"
        "  OR phone IS NOT NULL OR address <> '' OR notes <> '')",
        "ttt"},
    /* the origin as typed may hold a street: its region's name stays */
    [PURGE_TRAVELS] = {"travels",
        "UPDATE travels SET origin_text = COALESCE((SELECT r.full_name"
        "  FROM regions r WHERE r.code = travels.origin_code), ''),"
        " via = '', transport_no = '', reason = '',"
        " symptoms_on_arrival = '' WHERE person_id IN " PURGED
        " AND (origin_text <> COALESCE((SELECT r.full_name FROM regions r"
        "  WHERE r.code = travels.origin_code), '') OR via <> ''"
        "  OR transport_no <> '' OR reason <> ''"
        "  OR symptoms_on_arrival <> '')",
        ""},
    [PURGE_CONTACTS] = {"contacts",
        "UPDATE contacts SET setting = '' WHERE setting <> ''"
        " AND person_id IN " PURGED,
        ""},
    [PURGE_MEASURES] = {"measures",
        "UPDATE measures SET end_reason = NULL WHERE end_reason IS NOT NULL"
        " AND person_id IN " PURGED,
        ""},
    [PURGE_MEASURE_EVENTS] = {"measure_events",
        "UPDATE measure_events SET reason = '' WHERE reason <> ''"
        " AND measure_id IN (SELECT m.id FROM measures m"
        "  WHERE m.person_id IN " PURGED ")",
        ""},
    [PURGE_CHECKS] = {"checks",
        "UPDATE checks SET note = '' WHERE note <> ''"
        " AND person_id IN " PURGED,
        ""},
    /* a fever at a gate or checkpoint names someone not in the register;
     * where the person was referred and the outcome are free text (no
     * figure counts them; a missing one stays missing) */
    [PURGE_ALERTS] = {"alerts",
        "UPDATE alerts SET subject = '',"
        " referred_to = CASE WHEN referred_to IS NULL THEN NULL ELSE '' END,"
        " outcome = CASE WHEN outcome IS NULL THEN NULL ELSE '' END"
        " WHERE (subject <> '' OR referred_to <> '' OR outcome <> '')"
        " AND (person_id IN " PURGED
        "  OR (person_id IS NULL AND opened_at < ?2))",
        "tt"},
    [PURGE_PASS_PEOPLE] = {"pass_people",
        "UPDATE pass_people SET name = " ANON ", id_number = NULL,"
        " phone = NULL, address = '', from_text = '', reason = ''"
        " WHERE (name <> " ANON " OR id_number IS NOT NULL"
        "  OR phone IS NOT NULL OR address <> '' OR from_text <> ''"
        "  OR reason <> '')"
        " AND (person_id IN " PURGED " OR (person_id IS NULL"
        "  AND pass_id IN (SELECT s.id FROM passes s WHERE s.day < ?1)))",
        "t"},
    [PURGE_PASSES] = {"passes",
        "UPDATE passes SET plate = NULL WHERE plate IS NOT NULL"
        " AND day < ?1 AND" PASS_FREE("passes.id"),
        "t"},
    [PURGE_CHECKINS] = {"checkins",
        "UPDATE checkins SET name = " ANON ", id_number = NULL,"
        " phone = NULL, address = '', from_text = '', reason = '',"
        " plate = NULL WHERE (name <> " ANON " OR id_number IS NOT NULL"
        "  OR phone IS NOT NULL OR address <> '' OR from_text <> ''"
        "  OR reason <> '' OR plate IS NOT NULL)"
        " AND at < ?2 AND (pass_id IS NULL OR" PASS_FREE("checkins.pass_id")
        ")",
        "tt"},
    [PURGE_GATE_VISITS] = {"gate_visits",
        "UPDATE gate_visits SET name = " ANON ", phone = NULL,"
        " came_from = '', reason = '' WHERE day < ?1"
        " AND (name <> " ANON " OR phone IS NOT NULL OR came_from <> ''"
        "  OR reason <> '')",
        "t"},
    /* a place not in the list of places is free text: it may be a home */
    [PURGE_DISINFECTIONS] = {"disinfections",
        "UPDATE disinfections SET place_text = " ANON " WHERE day < ?1"
        " AND place_id IS NULL AND place_text <> " ANON,
        "t"},
};

const char *purge_table(int i)
{
    return i >= 0 && i < PURGE_STEPS ? STEPS[i].table : "";
}

/* Fill purge_people: the people, then (a few rounds, for chains) the
 * duplicates merged into one of them whose own records are as old. */
static int choose_people(Db *db, const char *day, const char *start,
                         Err *err)
{
    if (db_exec(db,
                "CREATE TEMP TABLE IF NOT EXISTS purge_people"
                " (id INTEGER PRIMARY KEY); DELETE FROM purge_people",
                err) ||
        db_run(db, err,
               "INSERT INTO purge_people (id) SELECT p.id FROM people p"
               " WHERE p.merged_into IS NULL AND" LAST_RECORD_BEFORE,
               "tt", day, start))
        return -1;
    for (int round = 0; round < 8; round++) {
        if (db_run(db, err,
                   "INSERT INTO purge_people (id) SELECT p.id FROM people p"
                   " WHERE p.merged_into IN " PURGED
                   " AND p.id NOT IN " PURGED " AND" LAST_RECORD_BEFORE,
                   "tt", day, start))
            return -1;
        if (db_changes(db) == 0)
            break;
    }
    return 0;
}

/* The audit entries whose summaries can name the people and records
 * the purge anonymises (the callers of audit_record that write a name,
 * a plate or a visitor): a person's own entries (each starts with the
 * name), the fever alerts whose subject goes, the gate visits and the
 * passes whose plate goes (a pass without one names nobody), the
 * disinfections whose place was typed.  ?1 the
 * day, ?2 its first instant. */
#define AUDIT_IDS "SELECT id FROM purge_audit"

static int choose_audit(Db *db, const char *day, const char *start,
                        Err *err)
{
    return db_exec(db,
                   "CREATE TEMP TABLE IF NOT EXISTS purge_audit"
                   " (id INTEGER PRIMARY KEY); DELETE FROM purge_audit",
                   err) ||
           db_run(db, err,
                  "INSERT INTO purge_audit (id)"
                  " SELECT id FROM audit_log WHERE entity = 'person'"
                  "  AND entity_id IN " PURGED
                  " UNION ALL SELECT id FROM audit_log WHERE entity = 'alert'"
                  "  AND entity_id IN (SELECT l.id FROM alerts l"
                  "   WHERE l.person_id IN " PURGED
                  "   OR (l.person_id IS NULL AND l.opened_at < ?2))"
                  " UNION ALL SELECT id FROM audit_log"
                  "  WHERE entity = 'gate_visit' AND entity_id IN"
                  "  (SELECT g.id FROM gate_visits g WHERE g.day < ?1)"
                  " UNION ALL SELECT id FROM audit_log"
                  "  WHERE entity = 'disinfection' AND entity_id IN"
                  "  (SELECT d.id FROM disinfections d WHERE d.day < ?1"
                  "   AND d.place_id IS NULL)"
                  " UNION ALL SELECT id FROM audit_log WHERE entity = 'pass'"
                  "  AND entity_id IN (SELECT s.id FROM passes s"
                  "   WHERE s.day < ?1 AND s.plate IS NOT NULL AND"
                  PASS_FREE("s.id") ")",
                  "tt", day, start)
               ? -1
               : 0;
}

/* The one audit entry, which clears those summaries: the day and the
 * counts, never a name. */
static int audit_purge(Db *db, const Actor *a, const char *day,
                       PurgeResult *r, Err *err)
{
    Buf b = BUF_INIT;
    buf_printf(&b, "anonymised records before %s:", day);
    for (int i = 0; i < PURGE_STEPS; i++)
        buf_printf(&b, "%s %s %ld", i ? "," : "", STEPS[i].table,
                   r->changed[i]);
    buf_printf(&b, "; %ld people kept; audit entries cleared %ld, older"
               " ones keeping their text %ld", r->kept, r->audit_cleared,
               r->audit_kept);
    long cleared;
    int rc = audit_clear(db, a, "purge", "people", b.p, AUDIT_IDS, &cleared,
                         err);
    buf_free(&b);
    if (!rc && cleared != r->audit_cleared)
        rc = err_set(err, 500, "internal", NULL,
                     "purge: cleared %ld audit entries, counted %ld",
                     cleared, r->audit_cleared);
    return rc;
}

/* The purge itself, inside the caller's transaction. */
static int purge_tx(Db *db, const Actor *a, const char *day,
                    const char *start, int dry_run, PurgeResult *r,
                    Err *err)
{
    char now[21];
    clock_now_iso(now);
    if (choose_people(db, day, start, err) ||
        choose_audit(db, day, start, err) ||
        audit_clearable(db, AUDIT_IDS, &r->audit_cleared, &r->audit_kept,
                        err))
        return -1;
    int64_t kept;
    int found;
    if (db_one_int(db, err, &kept, &found,
                   "SELECT count(*) FROM people WHERE merged_into IS NULL"
                   " AND anonymised_at IS NULL AND id NOT IN " PURGED,
                   ""))
        return -1;
    r->kept = (long)kept;
    for (int i = 0; i < PURGE_STEPS; i++) {
        if (db_run(db, err, STEPS[i].sql, STEPS[i].fmt, day, start, now))
            return -1;
        r->changed[i] = (long)db_changes(db);
    }
    return dry_run ? 0 : audit_purge(db, a, day, r, err);
}

int purge_before(Db *db, const Actor *a, const char *before, int dry_run,
                 PurgeResult *out, Err *err)
{
    memset(out, 0, sizeof *out);
    int ymd;
    char today[11], start[21];
    if (!before || !*before)
        return err_set(err, 422, "missing_field", "before",
                       "the day is required (--before YYYY-MM-DD)");
    if (validate_date(before, "before", &ymd, err))
        return -1;
    day_today(today);
    if (strcmp(before, today) > 0)
        return err_set(err, 422, "invalid_date", "before",
                       "%s is after today (%s): the day must have come",
                       before, today);
    clock_day_start_iso(ymd, start);
    if (db_secure_delete(db, err) || db_begin(db, err))
        return -1;
    if (purge_tx(db, a, before, start, dry_run, out, err)) {
        db_rollback(db);
        return -1;
    }
    if (dry_run) {
        db_rollback(db);
        return 0;
    }
    if (db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    /* the pages as they were before are still in the database file
     * until a checkpoint: copy the new ones over them and empty the log
     * (the purge is committed whatever this says; the caller is told) */
    Err ignored;
    if (db_truncate_log(db, &out->log_emptied, &ignored))
        out->log_emptied = 0;
    return 0;
}
