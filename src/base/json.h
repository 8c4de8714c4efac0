/* json.h — a streaming JSON writer onto a Buf.
 *
 * Responses and exports are written straight into a buffer, so a list of a
 * million rows never exists as a tree in memory.  The writer tracks commas;
 * callers only say begin/end, key and value.  Strings are escaped for JSON
 * and for safe embedding in HTML (<, >, & and U+2028/9 are escaped). */
#ifndef FANGYI_JSON_H
#define FANGYI_JSON_H

#include <stdint.h>

#include "buf.h"

enum { JW_MAX_DEPTH = 32 };

typedef struct Jw {
    Buf *b;
    int depth;
    int count[JW_MAX_DEPTH]; /* values written at each level */
    int after_key;           /* a key was written, its value comes next */
} Jw;

void jw_init(Jw *w, Buf *b);
void jw_object(Jw *w);       /* { */
void jw_object_end(Jw *w);   /* } */
void jw_array(Jw *w);        /* [ */
void jw_array_end(Jw *w);    /* ] */
void jw_key(Jw *w, const char *k);
void jw_str(Jw *w, const char *s);            /* NULL writes null */
void jw_strn(Jw *w, const char *s, size_t n);
void jw_int(Jw *w, int64_t v);
void jw_double(Jw *w, double v, int decimals);
void jw_bool(Jw *w, int v);
void jw_null(Jw *w);
void jw_raw(Jw *w, const char *json);         /* already-valid JSON */

/* key + value in one call */
void jw_kstr(Jw *w, const char *k, const char *s);
void jw_kint(Jw *w, const char *k, int64_t v);
void jw_kbool(Jw *w, const char *k, int v);
void jw_knull(Jw *w, const char *k);

/* json_escape_into appends s as a quoted JSON string to b. */
void json_escape_into(Buf *b, const char *s, size_t n);

#endif
