/* pg_sql.c — rewriting parameters and writing reals (see pg_sql.h). */
#include "pg_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

/* Copy a quoted run (s at the opening quote q) to b; returns the position
 * after the closing quote (a doubled quote stays inside). */
static const char *copy_quoted(Buf *b, const char *s, char q)
{
    buf_putc(b, *s++);
    while (*s) {
        buf_putc(b, *s);
        if (*s++ == q) {
            if (*s != q)
                return s;
            buf_putc(b, *s++);
        }
    }
    return s;
}

int pg_sql_rewrite(const char *sql, char **out)
{
    Buf b = BUF_INIT;
    int max = 0;
    const char *s = sql;
    while (*s) {
        if (*s == '\'' || *s == '"') {
            s = copy_quoted(&b, s, *s);
        } else if (s[0] == '-' && s[1] == '-') {
            size_t n = strcspn(s, "\n");
            buf_append(&b, s, n);
            s += n;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *end = strstr(s + 2, "*/");
            size_t n = end ? (size_t)(end + 2 - s) : strlen(s);
            buf_append(&b, s, n);
            s += n;
        } else if (*s == '?') {
            s++;
            int k;
            if (*s >= '0' && *s <= '9') {
                char *end;
                k = (int)strtol(s, &end, 10);
                s = end;
            } else {
                k = max + 1;
            }
            if (k > max)
                max = k;
            buf_printf(&b, "$%d", k);
        } else {
            buf_putc(&b, *s++);
        }
    }
    *out = buf_detach(&b);
    return max;
}

void pg_sql_real_text(double v, char *out, size_t n)
{
    char t[40];
    snprintf(t, sizeof t, "%.15g", v);
    if (strpbrk(t, ".ni")) { /* a fraction, or nan / inf */
        snprintf(out, n, "%s", t);
        return;
    }
    char *e = strchr(t, 'e');
    if (e)
        snprintf(out, n, "%.*s.0%s", (int)(e - t), t, e);
    else
        snprintf(out, n, "%s.0", t);
}
