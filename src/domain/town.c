/* town.c — the town row and a new database's first account (town.h). */
#include "town.h"

#include <stdio.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "accounts.h"
#include "audit.h"

int town_create(Db *db, const char *name, const char *tz,
                const char *admin_hash, Err *err)
{
    if (validate_name(name, "town", 64, err))
        return -1;
    char now[21];
    clock_now_iso(now);
    if (db_run(db, err,
               "INSERT INTO town (id, name, tz, created_at)"
               " VALUES (1, ?1, ?2, ?3)",
               "ttt", name, tz, now))
        return -1;
    if (db_run(db, err,
               "INSERT INTO accounts (username, display_name, role,"
               " password_hash, created_at)"
               " VALUES ('admin', '管理员', 'admin', ?1, ?2)",
               "tt", admin_hash, now))
        return -1;
    Actor sys;
    actor_system(&sys, "init");
    return audit_record(db, &sys, "create", "town", 1, name, NULL, name, err);
}

int town_get(Db *db, Town *out, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT name, tz,"
                 " (SELECT count(*) FROM places WHERE type = 'village'"
                 "  AND active = 1),"
                 " (SELECT count(*) FROM places WHERE type = 'point'"
                 "  AND active = 1)"
                 " FROM town WHERE id = 1",
                 ""))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        snprintf(out->name, sizeof out->name, "%s", db_text(st, 0));
        snprintf(out->tz, sizeof out->tz, "%s", db_text(st, 1));
        out->villages = (long)db_int(st, 2);
        out->points = (long)db_int(st, 3);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 500, "no_town", NULL,
                       "this database has no town: run fangyi init");
    return 0;
}
