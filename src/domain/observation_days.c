/* observation_days.c — calendar-day arithmetic for home observation (see
 * observation.h).
 *
 * A measure counts plain calendar days: day 1 is the basis date, day N
 * the last, N + 1 the day release is due.  The arithmetic is done on the
 * dates alone, as midnight UTC with timegm/gmtime_r, so no time zone or
 * daylight-saving change can add or lose a day.  Only "today" depends on
 * the town's zone (the process's TZ, set by clock_set_zone). */
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "observation.h"

/* Parse a strict YYYY-MM-DD date into a time_t at 00:00 UTC; -1 if the
 * text is not a real date. */
static int day_parse(const char *day, time_t *out)
{
    int ymd;
    Err err;
    if (!day || validate_date(day, "day", &ymd, &err))
        return -1;
    struct tm tm = {0};
    tm.tm_year = ymd / 10000 - 1900;
    tm.tm_mon = ymd / 100 % 100 - 1;
    tm.tm_mday = ymd % 100;
    *out = timegm(&tm);
    return 0;
}

static void day_format(time_t t, char out[11])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int day_add(const char *day, int n, char out[11])
{
    time_t t;
    if (day_parse(day, &t))
        return -1;
    day_format(t + (time_t)n * 86400, out);
    return 0;
}

int day_diff(const char *a, const char *b)
{
    time_t ta, tb;
    if (day_parse(a, &ta) || day_parse(b, &tb))
        return 0;
    /* both are midnights UTC: the difference is a whole number of days */
    return (int)((tb - ta) / 86400);
}

void day_today(char out[11])
{
    time_t now = clock_now();
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
