/* observation_internal.h — helpers shared by checks.c and alerts.c; not
 * for other layers. */
#ifndef FANGYI_OBSERVATION_INTERNAL_H
#define FANGYI_OBSERVATION_INTERNAL_H

#include <time.h>

#include "observation.h"

/* What checks and alerts need to know of a measure. */
typedef struct MeasureFacts {
    int64_t person_id, village_id;
    char status[16], basis_date[11], name[32 * 4 + 1];
    int period_days, slots_per_day;
} MeasureFacts;

/* obs_measure_facts reads a measure in the actor's scope (else 404). */
int obs_measure_facts(Db *db, const Actor *a, int64_t measure_id,
                      MeasureFacts *f, Err *err);
/* obs_slot_deadline: when the slot of day is missed (local time). */
int obs_slot_deadline(const char *day, int slot, time_t *deadline);
/* obs_slot_now: the slot of the present hour (1 before noon, else 2). */
int obs_slot_now(void);
/* obs_slot_state: 0 due, 1 done, 2 missed, 3 not yet open. */
int obs_slot_state(const char *day, int slot, int done, time_t now);

#endif
