/* export_stream.c — every spreadsheet export answers the same way: a
 * dated file name, the content type of its format, the rows streamed
 * (see resp_export in api.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *export_type(int xlsx)
{
    return xlsx ? "application/vnd.openxmlformats-officedocument."
                  "spreadsheetml.sheet"
                : "text/csv; charset=utf-8";
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
    resp_stream(r, export_type(xlsx), name, source_read, source_release, s);
}

/* A spreadsheet made whole in memory, handed out from there. */
typedef struct BufSource {
    Buf b;
    size_t pos;
} BufSource;

static long bufsource_read(void *arg, char *buf, size_t max)
{
    BufSource *s = arg;
    size_t n = s->b.len - s->pos;
    if (n > max)
        n = max;
    if (n)
        memcpy(buf, s->b.p + s->pos, n);
    s->pos += n;
    return (long)n;
}

static void bufsource_release(void *arg)
{
    BufSource *s = arg;
    buf_free(&s->b);
    free(s);
}

void resp_stream_buf(Req *r, const char *type, const char *filename,
                     Buf *b)
{
    BufSource *s = malloc(sizeof *s);
    if (!s)
        abort();
    *s = (BufSource){*b, 0};
    *b = (Buf)BUF_INIT;
    resp_stream(r, type, filename, bufsource_read, bufsource_release, s);
}

void resp_export_buf(Req *r, const char *filename, int xlsx, Buf *b)
{
    resp_stream_buf(r, export_type(xlsx), filename, b);
}
