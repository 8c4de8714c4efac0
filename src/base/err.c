/* err.c — filling in the Err record (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

int err_set(Err *e, int status, const char *code, const char *field,
            const char *fmt, ...)
{
    if (!e)
        return -1;
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "error");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    /* a message cut to fit ends on a whole character: it becomes JSON */
    utf8_trim_tail(e->field);
    utf8_trim_tail(e->message);
    return -1;
}

void err_clear(Err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}
