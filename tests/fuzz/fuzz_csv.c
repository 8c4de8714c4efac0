/* fuzz_csv.c — fuzzes the CSV reader (src/base/csv.c) on any bytes:
 * UTF-8 with or without a byte order mark, GB18030 (converted with
 * iconv), UTF-16 and NULs (refused), quotes, CRLF and the limits; and
 * the cell normalisation every import applies to what it reads
 * (src/base/normalize.c): norm_cell, norm_date and the word tables.
 *
 * The input is the file.  Beyond crashes, leaks and undefined behaviour:
 * every field handed out is UTF-8 (csv.h promises it), norm_cell keeps it
 * UTF-8 and never makes it longer, a date norm_date accepts is a valid
 * YYYY-MM-DD, and an error names its line. */
#include <stdlib.h>
#include <string.h>

#include "../../src/base/csv.h"
#include "../../src/base/normalize.h"
#include "../../src/base/validate.h"
#include "common.h"

static const char *const NAMES[] = {"姓名", "name", "所属村", NULL};

static void cell(const char *field)
{
    size_t n = strlen(field);
    if (!validate_utf8(field, n))
        fuzz_fail("csv: a field is not UTF-8");
    char *copy = malloc(n + 1);
    if (!copy)
        abort();
    memcpy(copy, field, n + 1);
    char *c = norm_cell(copy);
    if (strlen(c) > n || !validate_utf8(c, strlen(c)))
        fuzz_fail("norm_cell: grew or broke \"%s\"", field);
    char day[11];
    if (norm_date(c, day) == 0 && validate_date(day, "day", NULL, NULL))
        fuzz_fail("norm_date: \"%s\" gave %s", c, day);
    (void)norm_transport(c);
    (void)norm_source(c);
    (void)norm_yes_no(c);
    (void)norm_symptoms(c);
    (void)norm_sex(c);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CsvReader *r;
    Err err;
    if (csv_open_memory((const char *)data, size, &r, &err))
        return 0;
    char **f;
    int n, rc, rows = 0;
    while ((rc = csv_next(r, &f, &n, &err)) == 1) {
        if (n < 1 || n > CSV_MAX_FIELDS)
            fuzz_fail("csv: a row of %d fields", n);
        if (rows++ == 0)
            (void)csv_header_index(f, n, NAMES);
        for (int i = 0; i < n; i++)
            cell(f[i]);
    }
    if (rc == -1 && strncmp(err.message, "line ", 5) != 0)
        fuzz_fail("csv: an error without its line: %s", err.message);
    if (rc == -1 && csv_next(r, &f, &n, &err) != -1)
        fuzz_fail("csv: the error does not repeat");
    csv_close(r);
    return 0;
}
