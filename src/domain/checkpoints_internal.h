/* checkpoints_internal.h — helpers shared by the checkpoint files
 * (checkpoints.c, checkpoints_roster.c, checkpoints_public.c); not for
 * other layers. */
#ifndef FANGYI_CHECKPOINTS_INTERNAL_H
#define FANGYI_CHECKPOINTS_INTERNAL_H

#include <stddef.h>
#include <time.h>

#include "checkpoints.h"

/* cp_in_list: s is one of the NULL-terminated list. */
int cp_in_list(const char *s, const char *const *list);
/* cp_blank: NULL, empty or only blanks. */
int cp_blank(const char *s);
/* cp_check_text: optional free text of at most max characters (422). */
int cp_check_text(const char *s, const char *field, size_t max, Err *err);
/* cp_check_village: id is a village (422 naming field). */
int cp_check_village(Db *db, int64_t id, const char *field, Err *err);
/* cp_point: the point exists (404), is in scope (404) and open (422);
 * gives its village. */
int cp_point(Db *db, const Actor *a, int64_t point_id, int64_t *village,
             Err *err);
/* cp_check_plate: the vehicle type and its plate (required for car, bus
 * and truck; none on foot); out gets the normalised plate or "". */
int cp_check_plate(const char *vehicle, const char *plate, char *out,
                   Err *err);
/* cp_today_ymd: today in the town as 20260131. */
int cp_today_ymd(void);
/* cp_parse_utc: "YYYY-MM-DDTHH:MM:SSZ" as a time, or -1. */
time_t cp_parse_utc(const char *s);
/* cp_local_day_hour: the town's day and hour of t. */
void cp_local_day_hour(time_t t, char day[11], int *hour);

#endif
