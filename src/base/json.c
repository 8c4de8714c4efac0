/* json.c — the streaming JSON writer (see json.h). */
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(Jw *w, Buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

/* Write the separator a new value needs at the current level. */
static void jw_sep(Jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->count[w->depth]++ > 0)
        buf_putc(w->b, ',');
}

static void jw_open(Jw *w, char c)
{
    jw_sep(w);
    buf_putc(w->b, c);
    if (w->depth + 1 >= JW_MAX_DEPTH)
        abort(); /* a broken invariant: our documents are shallow */
    w->count[++w->depth] = 0;
}

static void jw_close(Jw *w, char c)
{
    buf_putc(w->b, c);
    if (w->depth > 0)
        w->depth--;
}

void jw_object(Jw *w) { jw_open(w, '{'); }
void jw_object_end(Jw *w) { jw_close(w, '}'); }
void jw_array(Jw *w) { jw_open(w, '['); }
void jw_array_end(Jw *w) { jw_close(w, ']'); }

void jw_key(Jw *w, const char *k)
{
    jw_sep(w);
    json_escape_into(w->b, k, strlen(k));
    buf_putc(w->b, ':');
    w->after_key = 1;
}

void json_escape_into(Buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_reserve(b, n + 2);
    buf_putc(b, '"');
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of bytes that need no escaping */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        const char *esc = NULL;
        char tmp[7];
        int line_sep = c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 &&
                       (u[i + 2] == 0xA8 || u[i + 2] == 0xA9);
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            tmp[0] = '\\'; tmp[1] = 'u'; tmp[2] = '0'; tmp[3] = '0';
            tmp[4] = hex[c >> 4]; tmp[5] = hex[c & 15]; tmp[6] = 0;
            esc = tmp;
        } else if (line_sep) {
            esc = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
        }
        if (!esc)
            continue;
        buf_append(b, s + run, i - run);
        buf_puts(b, esc);
        if (line_sep)
            i += 2;
        run = i + 1;
    }
    buf_append(b, s + run, n - run);
    buf_putc(b, '"');
}

void jw_strn(Jw *w, const char *s, size_t n)
{
    jw_sep(w);
    json_escape_into(w->b, s, n);
}

void jw_str(Jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_int(Jw *w, int64_t v)
{
    jw_sep(w);
    buf_printf(w->b, "%" PRId64, v);
}

void jw_double(Jw *w, double v, int decimals)
{
    jw_sep(w);
    if (!isfinite(v))
        buf_puts(w->b, "null");
    else
        buf_printf(w->b, "%.*f", decimals, v);
}

void jw_bool(Jw *w, int v)
{
    jw_sep(w);
    buf_puts(w->b, v ? "true" : "false");
}

void jw_null(Jw *w)
{
    jw_sep(w);
    buf_puts(w->b, "null");
}

void jw_raw(Jw *w, const char *json)
{
    jw_sep(w);
    buf_puts(w->b, json);
}

void jw_kstr(Jw *w, const char *k, const char *s) { jw_key(w, k); jw_str(w, s); }
void jw_kint(Jw *w, const char *k, int64_t v) { jw_key(w, k); jw_int(w, v); }
void jw_kbool(Jw *w, const char *k, int v) { jw_key(w, k); jw_bool(w, v); }
void jw_knull(Jw *w, const char *k) { jw_key(w, k); jw_null(w); }
