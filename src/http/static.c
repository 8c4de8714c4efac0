/* static.c — serving the embedded web app (see static.h). */
#include "static.h"

#include <string.h>

#include "../base/embedded.h"

static const char *content_type(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webmanifest", "application/manifest+json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

int static_find(const char *path, const char *if_none_match, StaticFile *f)
{
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (const EmbeddedFile *e = web_assets; e->path; e++) {
        /* embedded paths are relative to web/: "/js/app.js" */
        if (strcmp(e->path, path) != 0)
            continue;
        f->data = e->data;
        f->len = e->len;
        f->type = content_type(path);
        f->etag = e->etag;
        return if_none_match && strcmp(if_none_match, e->etag) == 0 ? 304
                                                                    : 200;
    }
    return 404;
}
