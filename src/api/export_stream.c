/* export_stream.c — every spreadsheet export answers the same way: a
 * dated file name, the content type of its format, the rows streamed
 * (see resp_export in api.h). */
#include <stdio.h>
#include <stdlib.h>

#include "../base/clock.h"
#include "api.h"

/* What the stream pulls from: the export and its own read and close. */
typedef struct ExportSource {
    ExportReadFn read;
    void (*close)(void *x);
    void *x;
} ExportSource;

static long source_read(void *arg, char *buf, size_t max)
{
    ExportSource *s = arg;
    Err err;
    long n = s->read(s->x, buf, max, &err);
    if (n < 0)
        fprintf(stderr, "fangyi: export cut off: %s\n", err.message);
    return n;
}

static void source_release(void *arg)
{
    ExportSource *s = arg;
    s->close(s->x);
    free(s);
}

void resp_export(Req *r, const char *stem, int xlsx, ExportReadFn read,
                 void (*close)(void *x), void *x)
{
    ExportSource *s = malloc(sizeof *s);
    if (!s)
        abort();
    *s = (ExportSource){read, close, x};
    int ymd = clock_local_ymd(clock_now());
    char name[96];
    snprintf(name, sizeof name, "%s-%04d-%02d-%02d.%s", stem,
             ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100,
             xlsx ? "xlsx" : "csv");
    resp_stream(r,
                xlsx ? "application/vnd.openxmlformats-officedocument."
                       "spreadsheetml.sheet"
                     : "text/csv; charset=utf-8",
                name, source_read, source_release, s);
}
