/* clock.h — time as the program stores and shows it.
 *
 * Timestamps are stored in UTC as "YYYY-MM-DDTHH:MM:SSZ" (sortable text in
 * both SQLite and PostgreSQL).  A "day" of the work is a calendar day in the
 * town's time zone, set once at start-up with clock_set_zone. */
#ifndef FANGYI_CLOCK_H
#define FANGYI_CLOCK_H

#include <stdint.h>
#include <time.h>

/* clock_set_zone sets the process's time zone (e.g. "Asia/Shanghai").
 * Call before threads start.  Returns 0, or -1 when the zone is unknown. */
int clock_set_zone(const char *tz);

/* clock_now: the current time.  Normally time(NULL); when a test clock
 * file was named (fangyi serve --test-clock FILE, an explicit option
 * meant for tests) the time written in that file ("YYYY-MM-DDTHH:MM:SSZ")
 * is used instead, read anew on every call (tests only: it costs a
 * file read). */
time_t clock_now(void);
/* clock_use_file names the test clock file (call before threads start). */
void clock_use_file(const char *path);
/* clock_set_fixed makes clock_now() return t (a test clock kept in
 * memory, for generating data such as the demo town); 0 goes back to the
 * real clock (or the test clock file).  Single-threaded use only. */
void clock_set_fixed(time_t t);

/* clock_iso_utc writes t as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void clock_iso_utc(time_t t, char out[21]);
/* clock_now_iso: the current time, as clock_iso_utc. */
void clock_now_iso(char out[21]);
/* clock_local_ymd: the calendar day of t in the town's zone, as 20260131. */
int clock_local_ymd(time_t t);
/* clock_day_start_iso: when the town's calendar day ymd (20260131)
 * begins, as clock_iso_utc, into out[21]. */
void clock_day_start_iso(int ymd, char out[21]);
/* clock_now_ms: a monotonic clock in milliseconds, for timing. */
int64_t clock_now_ms(void);

#endif
