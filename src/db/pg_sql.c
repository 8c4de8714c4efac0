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

/* Whether the len bytes of name may be a town's schema (pg_url_town). */
static int town_name_ok(const char *name, size_t len)
{
    static const char system[] = "information_schema";
    if (len == 0 || len > 63 || name[0] < 'a' || name[0] > 'z' ||
        (len >= 3 && !strncmp(name, "pg_", 3)) ||
        (len == sizeof system - 1 && !memcmp(name, system, len)))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!(name[i] >= 'a' && name[i] <= 'z') &&
            !(name[i] >= '0' && name[i] <= '9') && name[i] != '_')
            return 0;
    return 1;
}

int pg_town_name_ok(const char *name)
{
    return town_name_ok(name, strlen(name));
}

int pg_url_town(const char *url, char **conn_url, char town[64], char *why,
                size_t n)
{
    *conn_url = NULL;
    town[0] = '\0';
    const char *q = strchr(url, '?');
    Buf b = {0};
    buf_append(&b, url, q ? (size_t)(q - url) : strlen(url));
    int kept = 0, seen = 0;
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        size_t len = strcspn(p, "&");
        if (len >= 5 && !strncmp(p, "town=", 5)) {
            if (seen++) {
                snprintf(why, n, "the URL names the town twice");
                goto bad;
            }
            if (!town_name_ok(p + 5, len - 5)) {
                /* not quoted: a mistyped URL may run into a password */
                snprintf(why, n, "the town in the URL (town=) is not a"
                         " town's name: a-z, 0-9 and _, a letter first, at"
                         " most 63 characters, not pg_… or"
                         " information_schema");
                goto bad;
            }
            memcpy(town, p + 5, len - 5);
            town[len - 5] = '\0';
        } else if (len > 0) {
            buf_putc(&b, kept++ ? '&' : '?');
            buf_append(&b, p, len);
        }
        p += len + (p[len] == '&');
    }
    if (!strcmp(town, "public"))
        town[0] = '\0'; /* the default schema, named */
    *conn_url = buf_detach(&b);
    return 0;
bad:
    town[0] = '\0';
    buf_free(&b);
    return -1;
}
