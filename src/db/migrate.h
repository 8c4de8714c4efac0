/* migrate.h — numbered schema migrations, embedded in the binary and
 * recorded in the table schema_version. */
#ifndef FANGYI_MIGRATE_H
#define FANGYI_MIGRATE_H

#include "db.h"

/* migrate_pending: how many migrations the database lacks (-1 on error).
 * Only reads; the database must have schema_version (migrate_check). */
int migrate_pending(Db *db, Err *err);
/* migrate_apply applies every missing migration in order, each in its own
 * transaction.  Returns 0, or -1 with err naming the failing file. */
int migrate_apply(Db *db, Err *err);
/* migrate_apply_here applies them inside the caller's transaction (init
 * and demo: a database made whole or not at all). */
int migrate_apply_here(Db *db, Err *err);
/* migrate_check: the database was made by fangyi (it records its
 * migrations) and by no newer fangyi (none this binary lacks).  *version
 * gets the newest one applied.  Returns 0, or -1 with err (422
 * not_fangyi or too_new). */
int migrate_check(Db *db, long *version, Err *err);

#endif
