/* csv.c — the RFC 4180 reader behind csv.h.
 *
 * The whole input is held in one buffer (at most CSV_MAX_FILE bytes) and
 * parsed in place: unescaping "" only ever shortens a field, so each field
 * is rewritten where it lies and NUL-terminated over its delimiter.  That
 * makes a row cost no allocation at all; the only allocations are the
 * buffer and the fixed array of CSV_MAX_FIELDS field pointers. */
#include "csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

struct CsvReader {
    char *buf;      /* the UTF-8 text, len bytes plus a spare for a NUL */
    size_t len;
    size_t pos;     /* next byte to parse */
    int line;       /* physical line of buf[pos], 1-based */
    int row_line;   /* line on which the last returned row started */
    int failed;     /* set after an error: the error repeats */
    Err err;        /* the error to repeat */
    char **fields;  /* CSV_MAX_FIELDS pointers into buf */
};

/* xmalloc / xrealloc abort on out of memory, as DESIGN.md's Style asks. */
static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

static void *xmalloc(size_t n) { return xrealloc(NULL, n); }

/* gb18030_to_utf8 converts the n bytes at in from GB18030 to UTF-8.
 * Returns a malloc'd buffer (owned by the caller, one spare byte at the
 * end) with its length in *outlen, or NULL with err filled if the bytes
 * are not GB18030 or iconv lacks the conversion. */
static char *gb18030_to_utf8(const char *in, size_t n, size_t *outlen,
                             Err *err)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        err_set(err, 500, "internal", NULL,
                "cannot convert from GB18030: iconv lacks it (%s)",
                strerror(errno));
        return NULL;
    }
    /* A GB18030 character of 2 bytes becomes at most 3 in UTF-8 and one of
     * 4 at most 4, so twice the input always fits; E2BIG is handled all
     * the same rather than trusted to that arithmetic. */
    size_t cap = n * 2 + 16;
    char *out = xmalloc(cap);
    char *src = (char *)in; /* iconv's prototype lacks const; not written */
    size_t left = n, used = 0;
    while (left > 0) {
        char *dst = out + used;
        size_t room = cap - used - 1; /* keep the spare byte */
        size_t rc = iconv(cd, &src, &left, &dst, &room);
        used = (size_t)(dst - out);
        if (rc != (size_t)-1)
            break;
        if (errno == E2BIG) {
            cap *= 2;
            out = xrealloc(out, cap);
            continue;
        }
        /* EILSEQ or EINVAL (cut off in the middle of a character). */
        err_set(err, 422, "invalid_encoding", NULL,
                "the file is neither UTF-8 nor GB18030 text (bad bytes at "
                "offset %zu); save it from Excel as CSV", n - left);
        iconv_close(cd);
        free(out);
        return NULL;
    }
    iconv_close(cd);
    *outlen = used;
    return out;
}

/* reader_adopt makes a reader over buf, which holds len bytes of input and
 * has room for len + 1; it takes ownership of buf in every case.  Detects
 * the encoding and converts when needed.  Returns 0 with *out set, or -1
 * with err filled. */
static int reader_adopt(char *buf, size_t len, CsvReader **out, Err *err)
{
    static const char bom[] = "\xEF\xBB\xBF";
    *out = NULL;
    if (len > (size_t)CSV_MAX_FILE) {
        free(buf);
        return err_set(err, 413, "file_too_large", NULL,
                       "the file is larger than %ld MiB",
                       CSV_MAX_FILE / (1024 * 1024));
    }
    if (len >= 2 && ((unsigned char)buf[0] == 0xFF ||
                     (unsigned char)buf[0] == 0xFE) &&
        ((unsigned char)buf[1] == 0xFF || (unsigned char)buf[1] == 0xFE) &&
        buf[0] != buf[1]) {
        free(buf);
        return err_set(err, 422, "invalid_encoding", NULL,
                       "the file is UTF-16 (Excel \"Unicode text\"); "
                       "save it as CSV instead");
    }
    /* A NUL would silently cut a field short; no text file has one. */
    if (memchr(buf, '\0', len)) {
        free(buf);
        return err_set(err, 422, "invalid_encoding", NULL,
                       "the file contains NUL bytes; it is not CSV text");
    }

    if (len >= 3 && memcmp(buf, bom, 3) == 0) {
        /* The BOM declares UTF-8; believe it rather than guess. */
        memmove(buf, buf + 3, len - 3);
        len -= 3;
        if (!validate_utf8(buf, len)) {
            free(buf);
            return err_set(err, 422, "invalid_encoding", NULL,
                           "the file is marked UTF-8 but is not valid "
                           "UTF-8");
        }
    } else if (!validate_utf8(buf, len)) {
        size_t n;
        char *u = gb18030_to_utf8(buf, len, &n, err);
        free(buf);
        if (!u)
            return -1;
        buf = u;
        len = n;
        /* GB18030's own BOM (84 31 95 33) converts to U+FEFF. */
        if (len >= 3 && memcmp(buf, bom, 3) == 0) {
            memmove(buf, buf + 3, len - 3);
            len -= 3;
        }
    }
    buf[len] = '\0';

    CsvReader *r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->buf = buf;
    r->len = len;
    r->line = 1;
    r->fields = xmalloc(CSV_MAX_FIELDS * sizeof *r->fields);
    *out = r;
    return 0;
}

int csv_open_memory(const char *data, size_t len, CsvReader **out,
                    Err *err)
{
    *out = NULL;
    if (len > (size_t)CSV_MAX_FILE)
        return err_set(err, 413, "file_too_large", NULL,
                       "the file is larger than %ld MiB",
                       CSV_MAX_FILE / (1024 * 1024));
    char *buf = xmalloc(len + 1);
    if (len)
        memcpy(buf, data, len);
    return reader_adopt(buf, len, out, err);
}

int csv_open_file(const char *path, CsvReader **out, Err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, 400, "io_error", NULL, "cannot open %s: %s",
                       path, strerror(errno));
    /* Read in growing chunks rather than trusting the size from stat, so
     * pipes work and a file growing meanwhile still meets the limit. */
    size_t cap = 64 * 1024, len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            if (len > (size_t)CSV_MAX_FILE)
                break;
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(buf);
        return err_set(err, 400, "io_error", NULL, "cannot read %s: %s",
                       path, strerror(saved));
    }
    return reader_adopt(buf, len, out, err);
}

/* reader_fail records a parse error on line `line` so that it repeats on
 * later calls, copies it to err and returns -1. */
static int reader_fail(CsvReader *r, Err *err, int line, const char *what)
{
    err_set(&r->err, 422, "invalid_csv", NULL, "line %d: %s", line, what);
    r->failed = 1;
    if (err)
        *err = r->err;
    return -1;
}

int csv_next(CsvReader *r, char ***fields, int *nfields, Err *err)
{
    *fields = NULL;
    *nfields = 0;
    if (r->failed) {
        if (err)
            *err = r->err;
        return -1;
    }
    char *b = r->buf;
    size_t len = r->len;

    /* Blank lines carry no row: skip them, the trailing ones included. */
    while (r->pos < len && (b[r->pos] == '\n' || b[r->pos] == '\r')) {
        if (b[r->pos] == '\r' && r->pos + 1 < len && b[r->pos + 1] == '\n')
            r->pos++;
        r->pos++;
        r->line++;
    }
    if (r->pos >= len)
        return 0;
    r->row_line = r->line;

    int nf = 0;
    for (;;) {
        if (nf == CSV_MAX_FIELDS)
            return reader_fail(r, err, r->row_line,
                               "the row has more than 1000 fields");
        char *start = b + r->pos, *w = start;
        if (b[r->pos] == '"') {
            int qline = r->line;
            r->pos++;
            for (;;) {
                if (r->pos >= len)
                    return reader_fail(r, err, qline,
                                       "a quoted field is never closed "
                                       "(a \" is missing)");
                char c = b[r->pos];
                if (c == '"') {
                    if (r->pos + 1 >= len || b[r->pos + 1] != '"') {
                        r->pos++; /* the closing quote */
                        break;
                    }
                    *w++ = '"'; /* "" stands for one quote */
                    r->pos += 2;
                } else {
                    if (c == '\n' || (c == '\r' && (r->pos + 1 >= len ||
                                                    b[r->pos + 1] != '\n')))
                        r->line++;
                    *w++ = c;
                    r->pos++;
                }
                if (w - start > CSV_MAX_FIELD)
                    return reader_fail(r, err, r->row_line,
                                       "a field is longer than 64 KiB");
            }
        }
        /* An unquoted field, or text after a closing quote, which is kept
         * as it is rather than refused (hand-edited files have it). */
        while (r->pos < len && b[r->pos] != ',' && b[r->pos] != '\n' &&
               b[r->pos] != '\r') {
            *w++ = b[r->pos++];
            if (w - start > CSV_MAX_FIELD)
                return reader_fail(r, err, r->row_line,
                                   "a field is longer than 64 KiB");
        }
        r->fields[nf++] = start;
        if (r->pos >= len) {
            *w = '\0'; /* buf has the spare byte for this */
            break;
        }
        char delim = b[r->pos]; /* read before w may overwrite it */
        *w = '\0';
        r->pos++;
        if (delim == ',')
            continue;
        if (delim == '\r' && r->pos < len && b[r->pos] == '\n')
            r->pos++;
        r->line++;
        break;
    }
    *fields = r->fields;
    *nfields = nf;
    return 1;
}

int csv_line(const CsvReader *r)
{
    return r ? r->row_line : 0;
}

void csv_close(CsvReader *r)
{
    if (!r)
        return;
    free(r->fields);
    free(r->buf);
    free(r);
}

/* ascii_lower folds A-Z only, so the comparison does not depend on the
 * process locale. */
static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int csv_header_index(char **fields, int n, const char *const *names)
{
    static const char ideo_space[] = "\xE3\x80\x80"; /* U+3000 */
    for (int i = 0; i < n; i++) {
        const char *s = fields[i];
        if (!s)
            continue;
        size_t len = strlen(s);
        for (;;) { /* trim blanks and ideographic spaces, both ends */
            size_t before = len;
            while (len > 0 && (*s == ' ' || *s == '\t'))
                s++, len--;
            while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
                len--;
            if (len >= 3 && memcmp(s, ideo_space, 3) == 0)
                s += 3, len -= 3;
            if (len >= 3 && memcmp(s + len - 3, ideo_space, 3) == 0)
                len -= 3;
            if (len == before)
                break;
        }
        for (const char *const *nm = names; *nm; nm++) {
            if (strlen(*nm) != len)
                continue;
            size_t k = 0;
            while (k < len && ascii_lower((unsigned char)s[k]) ==
                                  ascii_lower((unsigned char)(*nm)[k]))
                k++;
            if (k == len)
                return i;
        }
    }
    return -1;
}
