/* embedded.h — files compiled into the binary by tools/embed.c: the web
 * app (web_assets), the SQL migrations (migrations_sqlite,
 * migrations_postgres) and the region
 * table (region_data: "regions.csv").  Each array ends with an entry whose
 * path is NULL. */
#ifndef FANGYI_EMBEDDED_H
#define FANGYI_EMBEDDED_H

#include <stddef.h>

typedef struct EmbeddedFile {
    const char *path;           /* "/js/app.js", "001_foundation.sql" */
    const unsigned char *data;  /* the bytes, NUL-terminated */
    size_t len;
    const char *etag;           /* quoted, ready for the ETag header */
} EmbeddedFile;

extern const EmbeddedFile web_assets[];
extern const EmbeddedFile migrations_sqlite[];
extern const EmbeddedFile migrations_postgres[];
extern const EmbeddedFile region_data[];
extern const EmbeddedFile demo_data[];   /* "places.csv" (fangyi demo) */

#endif
