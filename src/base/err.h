/* err.h — the error record every fallible function fills in.
 *
 * Functions return 0 on success or a nonzero code; on failure they describe
 * what went wrong in an Err the caller owns (no allocation).  `code` is the
 * machine-readable API error code ("invalid_field"), `field` names the input
 * field to blame (or is empty), `message` is one human-readable line and
 * `status` the HTTP status that fits (422, 409, ...). */
#ifndef FANGYI_ERR_H
#define FANGYI_ERR_H

typedef struct Err {
    int status;          /* HTTP status that fits, e.g. 422 */
    char code[48];       /* machine code, e.g. "invalid_id_number" */
    char field[48];      /* offending field name, or "" */
    char message[256];   /* one line for a human */
} Err;

/* err_set fills *e (if e is non-NULL) and returns -1 so callers can write
 * `return err_set(e, 422, "invalid_field", "name", "name is empty");`.
 * field may be NULL.  The message is printf-formatted and truncated to fit,
 * at a whole UTF-8 character. */
int err_set(Err *e, int status, const char *code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* err_clear resets *e to "no error". */
void err_clear(Err *e);

#endif
