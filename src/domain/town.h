/* town.h — the town a database belongs to, and creating a new database. */
#ifndef FANGYI_TOWN_H
#define FANGYI_TOWN_H

#include "../db/db.h"

typedef struct Town {
    char name[64 * 4 + 1];   /* 64 characters of up to 4 bytes */
    char tz[64];
    long villages, points;   /* active ones */
} Town;

/* town_create (write, inside a transaction on a migrated database):
 * the town row and the account admin with the given argon2id hash. */
int town_create(Db *db, const char *name, const char *tz,
                const char *admin_hash, Err *err);
/* town_get reads the town and counts its active villages and points. */
int town_get(Db *db, Town *out, Err *err);

#endif
