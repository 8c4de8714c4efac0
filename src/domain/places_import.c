/* places_import.c — importing places from CSV (see places_import.h). */
#include "places_import.h"

#include <string.h>

static const char *const COL_TYPE[] = {"类型", "type", NULL};
static const char *const COL_NAME[] = {"名称", "name", NULL};
static const char *const COL_VILLAGE[] = {"所属村", "village", NULL};

/* Import one data row; 0, or -1 with err describing the row's fault. */
static int import_row(Db *db, PlacesImport *im, char **f, int n,
                      const int col[3], Err *err)
{
    const char *label = col[0] < n ? f[col[0]] : "";
    const char *name = col[1] < n ? f[col[1]] : "";
    const char *vname = col[2] >= 0 && col[2] < n ? f[col[2]] : "";
    const char *type = places_type_from_label(label);
    if (!type)
        return err_set(err, 422, "invalid_field", "type",
                       "unknown type \"%s\" (村, 网格, 防控点 or 场所)",
                       label);
    PlaceInput in = {.type = type, .name = name, .active = 1};
    if (strcmp(type, "village") != 0) {
        if (!*vname)
            return err_set(err, 422, "missing_field", "village",
                           "a %s needs its village (所属村)", type);
        if (places_find(db, "village", 0, vname, &in.village_id, err))
            return -1;
        if (!in.village_id)
            return err_set(err, 422, "invalid_field", "village",
                           "no village named \"%s\"", vname);
    }
    int64_t id;
    if (places_find(db, type, in.village_id, name, &id, err))
        return -1;
    if (id) {
        im->kept++;
        return 0;
    }
    if (places_create(db, im->actor, &in, &id, err))
        return -1;
    im->created++;
    return 0;
}

int places_import(Db *db, void *arg, Err *err)
{
    PlacesImport *im = arg;
    char **f;
    int n;
    int rc = csv_next(im->csv, &f, &n, err);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(err, 422, "empty_file", NULL,
                                "the file has no header row");
    int col[3] = {csv_header_index(f, n, COL_TYPE),
                  csv_header_index(f, n, COL_NAME),
                  csv_header_index(f, n, COL_VILLAGE)};
    if (col[0] < 0 || col[1] < 0)
        return err_set(err, 422, "invalid_header", NULL,
                       "the header must name the columns 类型 and 名称"
                       " (or type and name), and 所属村 (village)");
    while ((rc = csv_next(im->csv, &f, &n, err)) == 1) {
        Err row;
        err_clear(&row);
        /* a row's own fault is reported; the import goes on to find the
         * others, and fails as a whole at the end */
        if (import_row(db, im, f, n, col, &row)) {
            if (row.status >= 500)
                return err_set(err, row.status, row.code, NULL, "%s",
                               row.message);
            im->bad_rows++;
            buf_printf(&im->report, "row %d: %s\n", csv_line(im->csv),
                       row.message);
        }
    }
    if (rc < 0)
        return -1;
    if (im->bad_rows) {
        /* the first bad row in the one-line message, all of them in the
         * report */
        const char *first = im->report.p;
        int len = (int)strcspn(first, "\n");
        return err_set(err, 422, "bad_rows", NULL,
                       "%ld bad row%s, nothing was imported (%.*s)",
                       im->bad_rows, im->bad_rows > 1 ? "s" : "", len,
                       first);
    }
    return 0;
}
