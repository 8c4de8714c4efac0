/* csv.h — reading the CSV registers that townships import (RFC 4180).
 *
 * Quoted fields with "" escapes, commas and newlines inside quotes, CRLF or
 * LF line ends, a UTF-8 byte order mark skipped.  Input that is not valid
 * UTF-8 is taken to be GB18030, which Excel on Chinese Windows writes, and
 * converted with iconv; every field handed out is UTF-8.  Blank lines are
 * skipped.  Limits keep a hostile file from growing memory without bound:
 * CSV_MAX_FIELD bytes per field, CSV_MAX_FIELDS fields per row,
 * CSV_MAX_FILE bytes per file.
 *
 * Usage:
 *     CsvReader *r;
 *     if (csv_open_file(path, &r, &err) != 0) ...
 *     char **f; int n, rc;
 *     while ((rc = csv_next(r, &f, &n, &err)) == 1) ... f[0] .. f[n-1]
 *     csv_close(r);      rc == -1: err names the line
 */
#ifndef FANGYI_CSV_H
#define FANGYI_CSV_H

#include <stddef.h>

#include "err.h"

#define CSV_MAX_FIELD (64 * 1024)         /* bytes in one field */
#define CSV_MAX_FIELDS 1000               /* fields in one row */
#define CSV_MAX_FILE (64L * 1024 * 1024)  /* bytes in one file */

typedef struct CsvReader CsvReader;

/* csv_open_memory makes a reader over a copy of the len bytes at data (the
 * caller keeps ownership of data).  Returns 0 and a reader in *out that the
 * caller frees with csv_close, or -1 with err filled: 413 "file_too_large",
 * 422 "invalid_encoding" (neither UTF-8 nor GB18030, or UTF-16), 500
 * "internal" if iconv is unavailable.  Aborts on out of memory. */
int csv_open_memory(const char *data, size_t len, CsvReader **out,
                    Err *err);

/* csv_open_file reads the file at path and opens it as csv_open_memory
 * does; a file that cannot be read fails with 400 "io_error". */
int csv_open_file(const char *path, CsvReader **out, Err *err);

/* csv_next reads the next row.  Returns 1 with *fields pointing at *nfields
 * NUL-terminated UTF-8 strings, 0 at the end of the input, or -1 with err
 * filled (422 "invalid_csv", the message naming the line): an unterminated
 * quote, a field over CSV_MAX_FIELD bytes or a row over CSV_MAX_FIELDS
 * fields.  The reader owns the strings and the array; they stay valid until
 * the next csv_next or csv_close.  After -1 every later call returns -1. */
int csv_next(CsvReader *r, char ***fields, int *nfields, Err *err);

/* csv_line returns the 1-based line number on which the row last returned
 * by csv_next starts (0 before the first row), for messages such as
 * "line 7: invalid phone". */
int csv_line(const CsvReader *r);

/* csv_close frees the reader and everything it handed out; NULL is fine. */
void csv_close(CsvReader *r);

/* csv_header_index returns the index of the first of the n header fields
 * that, with surrounding blanks (and U+3000) trimmed, equals one of names
 * (a NULL-terminated list such as {"类型", "type", NULL}; ASCII letters
 * compare case-insensitively), or -1 if none does. */
int csv_header_index(char **fields, int n, const char *const *names);

#endif
