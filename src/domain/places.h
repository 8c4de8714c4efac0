/* places.h — the town's places: administrative villages, grids,
 * prevention points (checkpoints) and venues.  Grids, points and venues
 * belong to a village.  Places are renamed and deactivated, and deleted
 * only while nothing refers to them. */
#ifndef FANGYI_PLACES_H
#define FANGYI_PLACES_H

#include <stdint.h>

#include "../db/db.h"
#include "actor.h"

typedef struct Place {
    int64_t id;
    const char *type;         /* village, grid, point, venue */
    const char *name;
    int64_t village_id;       /* 0 for a village */
    const char *village_name; /* NULL for a village */
    const char *venue_kind;   /* NULL unless a venue */
    int active;
    const char *created_at;
} Place;

typedef struct PlaceInput {
    const char *type;
    const char *name;
    int64_t village_id;
    const char *venue_kind;
    int active;               /* updates: 1, 0, or -1 to keep */
} PlaceInput;

typedef struct PlaceFilter {
    const char *type;         /* or NULL for all */
    int64_t village_id;       /* or 0 */
    int active;               /* 1, 0, or -1 for both */
    int64_t after_id;         /* cursor */
    int limit;
} PlaceFilter;

/* places_type_zh: 村 for village etc. (for imports and the CLI) */
const char *places_type_from_label(const char *label);

/* Writes.  Create needs places.write and the village in scope; a village
 * itself only by a town-wide account.  *out (for create and update) is
 * filled with the stored place; its strings live until the next call on
 * the same connection, so render it before anything else. */
int places_create(Db *db, const Actor *a, const PlaceInput *in,
                  int64_t *id, Err *err);
int places_update(Db *db, const Actor *a, int64_t id, const PlaceInput *in,
                  Err *err);
int places_delete(Db *db, const Actor *a, int64_t id, Err *err);

/* Reads, limited to the actor's scope (outside it: 404). */
int places_get(Db *db, const Actor *a, int64_t id,
               int (*each)(void *ctx, const Place *p), void *ctx, Err *err);
int places_list(Db *db, const Actor *a, const PlaceFilter *f,
                int (*each)(void *ctx, const Place *p), void *ctx, Err *err);
/* places_find_village: the id of the village with this name, or 0. */
int places_find(Db *db, const char *type, int64_t village_id,
                const char *name, int64_t *id, Err *err);

#endif
