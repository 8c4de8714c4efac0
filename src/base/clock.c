/* clock.c — UTC timestamps and the town's calendar day (see clock.h). */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int clock_set_zone(const char *tz)
{
    char path[512];
    if (!tz || !*tz || strstr(tz, ".."))
        return -1;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    FILE *f = fopen(path, "rb");
    if (!f && strcmp(tz, "UTC") != 0)
        return -1;
    if (f)
        fclose(f);
    setenv("TZ", tz, 1);
    tzset();
    return 0;
}

void clock_iso_utc(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_now_iso(char out[21])
{
    clock_iso_utc(time(NULL), out);
}

int clock_local_ymd(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
