/* clock.c — UTC timestamps and the town's calendar day (see clock.h). */
#include "clock.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *test_clock_path;
static time_t fixed_now;
static pthread_mutex_t test_clock_mu = PTHREAD_MUTEX_INITIALIZER;

void clock_use_file(const char *path)
{
    test_clock_path = path;
}

/* Parse "YYYY-MM-DDTHH:MM:SSZ" as UTC; -1 if malformed. */
static time_t parse_utc(const char *s)
{
    struct tm tm = {0};
    char z = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

void clock_set_fixed(time_t t)
{
    fixed_now = t;
}

time_t clock_now(void)
{
    if (fixed_now)
        return fixed_now;
    if (!test_clock_path)
        return time(NULL);
    /* a test clock is read on every call: a test may rewrite it twice
     * within one tick of the file system's timestamps */
    time_t now = time(NULL);
    pthread_mutex_lock(&test_clock_mu);
    FILE *f = fopen(test_clock_path, "r");
    char line[64] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    time_t t = parse_utc(line);
    if (t > 0)
        now = t;
    pthread_mutex_unlock(&test_clock_mu);
    return now;
}

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
    clock_iso_utc(clock_now(), out);
}

int clock_local_ymd(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void clock_day_start_iso(int ymd, char out[21])
{
    struct tm tm = {0};
    tm.tm_year = ymd / 10000 - 1900;
    tm.tm_mon = ymd / 100 % 100 - 1;
    tm.tm_mday = ymd % 100;
    tm.tm_isdst = -1;
    clock_iso_utc(mktime(&tm), out); /* local midnight in the town's zone */
}

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
