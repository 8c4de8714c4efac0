/* buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Used for building responses, SQL-free text and file contents.  A Buf owns
 * its heap memory; buf_free releases it.  Growth failure aborts (out of
 * memory is the one error the program does not try to survive). */
#ifndef FANGYI_BUF_H
#define FANGYI_BUF_H

#include <stddef.h>

typedef struct Buf {
    char *p;      /* the bytes, NUL-terminated when cap > 0 */
    size_t len;   /* bytes used, not counting the NUL */
    size_t cap;   /* bytes allocated */
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(Buf *b, size_t extra);
void buf_append(Buf *b, const void *data, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_reset(Buf *b);              /* len = 0, keeps the memory */
void buf_free(Buf *b);
/* buf_detach hands the bytes to the caller (free() them) and empties b. */
char *buf_detach(Buf *b);

#endif
