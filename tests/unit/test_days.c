/* test_days.c — the calendar-day arithmetic of home observation: day 1
 * to N and the due day N + 1 across month ends, the leap day and the year
 * end, differences both ways, and "today" in the town's zone from a test
 * clock file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/clock.h"
#include "../../src/domain/observation.h"

static void add(const char *day, int n, const char *want)
{
    char out[11];
    assert_int_equal(day_add(day, n, out), 0);
    assert_string_equal(out, want);
}

/* A basis of 2020-01-25 and 14 days: day 14 (the last day) is 02-07,
 * release is due on 02-08, day 8 is 02-01 across the month end. */
static void fourteen_days_across_month_end(void **state)
{
    (void)state;
    add("2020-01-25", 0, "2020-01-25");     /* day 1 */
    add("2020-01-25", 7, "2020-02-01");     /* day 8 */
    add("2020-01-25", 13, "2020-02-07");    /* day 14, the last */
    add("2020-01-25", 14, "2020-02-08");    /* release due */
    assert_int_equal(day_diff("2020-01-25", "2020-02-07") + 1, 14);
}

static void leap_day(void **state)
{
    (void)state;
    add("2020-02-28", 1, "2020-02-29");
    add("2020-02-29", 1, "2020-03-01");
    add("2020-02-20", 13, "2020-03-04");    /* 14 days over the leap day */
    add("2019-02-28", 1, "2019-03-01");     /* no leap day in 2019 */
    add("2020-03-01", -1, "2020-02-29");
    assert_int_equal(day_diff("2020-02-01", "2020-03-01"), 29);
    assert_int_equal(day_diff("2019-02-01", "2019-03-01"), 28);
}

static void year_end(void **state)
{
    (void)state;
    add("2020-12-25", 13, "2021-01-07");
    add("2020-12-31", 1, "2021-01-01");
    add("2021-01-01", -1, "2020-12-31");
    add("2020-01-01", 366, "2021-01-01");   /* 2020 has 366 days */
    assert_int_equal(day_diff("2020-12-25", "2021-01-08"), 14);
}

static void diff_both_ways(void **state)
{
    (void)state;
    assert_int_equal(day_diff("2020-01-25", "2020-02-10"), 16);
    assert_int_equal(day_diff("2020-02-10", "2020-01-25"), -16);
    assert_int_equal(day_diff("2020-02-10", "2020-02-10"), 0);
    add("2020-02-10", -16, "2020-01-25");
}

static void bad_dates_refused(void **state)
{
    (void)state;
    char out[11] = "unchanged";
    assert_int_equal(day_add("2020-02-30", 1, out), -1);
    assert_int_equal(day_add("2020-2-3", 1, out), -1);
    assert_int_equal(day_add(NULL, 1, out), -1);
    assert_int_equal(day_add("", 1, out), -1);
}

/* 2020-02-09T16:00:00Z is midnight of 2020-02-10 in Shanghai (UTC+8):
 * the town's day is the 10th although UTC still says the 9th. */
static void today_in_shanghai(void **state)
{
    (void)state;
    char path[] = "/tmp/fangyi-test-clock-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *t = "2020-02-09T16:00:00Z\n";
    assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
    close(fd);
    assert_int_equal(clock_set_zone("Asia/Shanghai"), 0);
    clock_use_file(path);
    char today[11];
    day_today(today);
    assert_string_equal(today, "2020-02-10");
    /* one second earlier is still the 9th in Shanghai */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("2020-02-09T15:59:59Z\n", f);
    fclose(f);
    /* the clock re-reads the file when its mtime changes; make sure it
     * does even on a file system with coarse timestamps */
    struct timespec ts[2] = {{0, UTIME_NOW}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
    day_today(today);
    assert_string_equal(today, "2020-02-09");
    clock_use_file(NULL);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fourteen_days_across_month_end),
        cmocka_unit_test(leap_day),
        cmocka_unit_test(year_end),
        cmocka_unit_test(diff_both_ways),
        cmocka_unit_test(bad_dates_refused),
        cmocka_unit_test(today_in_shanghai),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
