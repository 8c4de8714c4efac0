/* chain.c — the responsibility chain ("三包一挂") of a person under
 * observation (see observation.h).
 *
 * The roles of a chain are configuration (the chain_roles table): a town
 * renames, adds or retires them.  An assignment says which account answers
 * for a person in one role; the account must work in the person's
 * village, so a round never lists someone its holder may not see.  Every
 * write is audited: roles as entity chain_role, assignments on the
 * person's own history. */
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"
#include "people_internal.h"

int chain_roles_list(Db *db, int (*each)(void *ctx, const ChainRole *r),
                     void *ctx, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT code, name_zh, name_en, position, active"
                 " FROM chain_roles ORDER BY position, code",
                 ""))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ChainRole r = {db_text(st, 0), db_text(st, 1), db_text(st, 2),
                       (int)db_int(st, 3), (int)db_int(st, 4)};
        if (each(ctx, &r))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* A role code: 2 to 32 of a-z and _. */
static int check_code(const char *code, Err *err)
{
    size_t n = code ? strlen(code) : 0;
    if (!n)
        return err_set(err, 422, "missing_field", "code",
                       "the role's code is required");
    if (n < 2 || n > 32 || strspn(code, "abcdefghijklmnopqrstuvwxyz_") != n)
        return err_set(err, 422, "invalid_field", "code",
                       "a role code is 2 to 32 letters a-z or _");
    return 0;
}

int chain_roles_save(Db *db, const Actor *a, const char *code,
                     const char *name_zh, const char *name_en, int active,
                     Err *err)
{
    if (!a->scope_all)
        return err_set(err, 403, "forbidden", NULL,
                       "only a town-wide account sets the chain's roles");
    if (check_code(code, err) ||
        validate_name(name_zh, "name_zh", 32, err) ||
        validate_name(name_en, "name_en", 64, err))
        return -1;
    if (active > 1)
        active = 1;
    int64_t position;
    int found;
    if (db_one_int(db, err, &position, &found,
                   "SELECT position FROM chain_roles WHERE code = ?1", "t",
                   code))
        return -1;
    int rc;
    if (found)
        rc = db_run(db, err,
                    "UPDATE chain_roles SET name_zh = ?2, name_en = ?3,"
                    " active = CASE WHEN ?4 < 0 THEN active ELSE ?4 END"
                    " WHERE code = ?1",
                    "ttti", code, name_zh, name_en, (int64_t)active);
    else
        rc = db_run(db, err,
                    "INSERT INTO chain_roles (code, name_zh, name_en,"
                    " position, active) VALUES (?1, ?2, ?3,"
                    " (SELECT COALESCE(max(position), 0) + 1"
                    "  FROM chain_roles), ?4)",
                    "ttti", code, name_zh, name_en,
                    (int64_t)(active < 0 ? 1 : active));
    if (rc)
        return -1;
    char summary[256];
    snprintf(summary, sizeof summary, "%s: %s / %s%s", code, name_zh,
             name_en, active == 0 ? " (retired)" : "");
    return audit_record(db, a, found ? "update" : "create", "chain_role", 0,
                        summary, NULL, summary, err);
}

/* The role exists and, when someone is to be put in it, is in use (an
 * assignment in a retired role can still be removed); 422 on role
 * otherwise. */
static int require_role(Db *db, const char *role, int for_assigning,
                        Err *err)
{
    int64_t active;
    int found;
    if (!role || !*role)
        return err_set(err, 422, "missing_field", "role",
                       "the role is required");
    if (db_one_int(db, err, &active, &found,
                   "SELECT active FROM chain_roles WHERE code = ?1", "t",
                   role))
        return -1;
    if (!found || (!active && for_assigning))
        return err_set(err, 422, "invalid_field", "role",
                       found ? "that role is retired" : "no such role");
    return 0;
}

/* The account exists, is not disabled and works in village; 422 on
 * account_id otherwise.  Its username goes to name[64]. */
static int require_account(Db *db, int64_t account_id, int64_t village,
                           char name[64], Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT username, disabled,"
                 " (SELECT count(*) FROM account_villages v"
                 "  WHERE v.account_id = a.id),"
                 " (SELECT count(*) FROM account_villages v"
                 "  WHERE v.account_id = a.id AND v.village_id = ?2)"
                 " FROM accounts a WHERE id = ?1",
                 "ii", account_id, village))
        return -1;
    int rc = db_step(st, err), disabled = 0, in_scope = 0;
    if (rc == DB_ROW) {
        snprintf(name, 64, "%s", db_text(st, 0));
        disabled = (int)db_int(st, 1);
        /* no villages: the whole town */
        in_scope = db_int(st, 2) == 0 || db_int(st, 3) > 0;
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 422, "invalid_field", "account_id",
                       "no such account");
    if (disabled)
        return err_set(err, 422, "invalid_field", "account_id",
                       "that account is disabled");
    if (!in_scope)
        return err_set(err, 422, "invalid_field", "account_id",
                       "that account does not work in the person's"
                       " village");
    return 0;
}

/* Store one assignment (account_id 0 removes it) and audit it. */
static int assign_one(Db *db, const Actor *a, int64_t person_id,
                      const char *role, int64_t account_id,
                      const char *username, Err *err)
{
    int rc;
    if (account_id) {
        char now[21];
        clock_now_iso(now);
        rc = db_run(db, err,
                    "INSERT INTO assignments (person_id, role, account_id,"
                    " assigned_at) VALUES (?1, ?2, ?3, ?4)"
                    " ON CONFLICT (person_id, role) DO UPDATE SET"
                    " account_id = excluded.account_id,"
                    " assigned_at = excluded.assigned_at",
                    "itit", person_id, role, account_id, now);
    } else {
        rc = db_run(db, err,
                    "DELETE FROM assignments WHERE person_id = ?1"
                    " AND role = ?2",
                    "it", person_id, role);
        if (!rc && db_changes(db) == 0)
            return 0; /* nobody was in that role: nothing to record */
    }
    if (rc)
        return -1;
    return people_audit_change(db, a, person_id,
                               account_id ? "chain_assign" : "chain_remove",
                               role, username, err);
}

int chain_assign(Db *db, const Actor *a, int64_t person_id,
                 const char *role, int64_t account_id, Err *err)
{
    int64_t village;
    char username[64] = "";
    if (people_require(db, a, person_id, &village, NULL, err) ||
        require_role(db, role, account_id != 0, err))
        return -1;
    if (account_id < 0)
        return err_set(err, 422, "invalid_field", "account_id",
                       "no such account");
    if (account_id && require_account(db, account_id, village, username,
                                      err))
        return -1;
    return assign_one(db, a, person_id, role, account_id, username, err);
}

int chain_assign_bulk(Db *db, const Actor *a, int64_t village_id,
                      int64_t grid_id, const char *role, int64_t account_id,
                      long *count, Err *err)
{
    int64_t v;
    int found;
    char username[64] = "";
    *count = 0;
    if (village_id <= 0)
        return err_set(err, 422, "missing_field", "village_id",
                       "the village is required");
    if (db_one_int(db, err, &v, &found,
                   "SELECT id FROM places WHERE id = ?1 AND type = 'village'",
                   "i", village_id))
        return -1;
    if (!found)
        return err_set(err, 422, "invalid_field", "village_id",
                       "no such village");
    if (!actor_in_scope(a, village_id))
        return err_set(err, 403, "forbidden", "village_id",
                       "that village is not one of yours");
    if (grid_id) {
        if (db_one_int(db, err, &v, &found,
                       "SELECT id FROM places WHERE id = ?1"
                       " AND type = 'grid' AND village_id = ?2",
                       "ii", grid_id, village_id))
            return -1;
        if (!found)
            return err_set(err, 422, "invalid_field", "grid_id",
                           "no such grid in that village");
    }
    if (require_role(db, role, account_id != 0, err))
        return -1;
    if (account_id <= 0)
        return err_set(err, 422, account_id ? "invalid_field"
                                            : "missing_field",
                       "account_id", "the account is required");
    if (require_account(db, account_id, village_id, username, err))
        return -1;
    /* the people first: the statement cannot stay open while we write */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT DISTINCT p.id FROM people p"
                 " JOIN measures m ON m.person_id = p.id"
                 " WHERE p.village_id = ?1 AND m.status = 'active'"
                 " AND (?2 = 0 OR p.grid_id = ?2) ORDER BY p.id",
                 "ii", village_id, grid_id))
        return -1;
    Buf ids = BUF_INIT;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        buf_append(&ids, &id, sizeof id);
    }
    db_done(st);
    size_t n = ids.len / sizeof(int64_t);
    for (size_t i = 0; rc != DB_ERROR && i < n; i++) {
        if (assign_one(db, a, ((int64_t *)ids.p)[i], role, account_id,
                       username, err))
            rc = DB_ERROR;
        else
            (*count)++;
    }
    buf_free(&ids);
    return rc == DB_ERROR ? -1 : 0;
}

int chain_of_person(Db *db, const Actor *a, int64_t person_id,
                    int (*each)(void *ctx, const Assignment *x), void *ctx,
                    Err *err)
{
    int64_t village;
    if (people_require(db, a, person_id, &village, NULL, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT s.role, r.name_zh, r.name_en, s.account_id,"
                 " c.username, c.display_name FROM assignments s"
                 " JOIN chain_roles r ON r.code = s.role"
                 " JOIN accounts c ON c.id = s.account_id"
                 " WHERE s.person_id = ?1 ORDER BY r.position, r.code",
                 "i", person_id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Assignment x = {person_id,      db_text(st, 0), db_text(st, 1),
                        db_text(st, 2), db_int(st, 3),  db_text(st, 4),
                        db_text(st, 5)};
        if (each(ctx, &x))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}
