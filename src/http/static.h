/* static.h — the web app's files, embedded at build time, served with
 * their content type and an ETag (304 when the browser has them). */
#ifndef FANGYI_STATIC_H
#define FANGYI_STATIC_H

#include <stddef.h>

typedef struct StaticFile {
    const unsigned char *data;
    size_t len;
    const char *type;
    const char *etag;
} StaticFile;

/* static_find looks up path ("/" is /index.html).  Returns 200 with *f,
 * 304 when if_none_match equals its ETag, or 404. */
int static_find(const char *path, const char *if_none_match, StaticFile *f);

#endif
