/* report_diff.c — the differences between two daily report JSON texts
 * (see report_diff in report_versions.h): both are parsed with jansson and
 * walked together in the order of the newer one; every figure that is not
 * equal becomes one {key, before, after}. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "report_versions.h"

typedef struct Diff {
    Jw w;
    int n;
} Diff;

/* Writes a jansson value with the project's writer (so strings are
 * escaped as in every other answer); NULL is null. */
static void write_value(Jw *w, const json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT:
        jw_object(w);
        json_object_foreach((json_t *)v, k, x) {
            jw_key(w, k);
            write_value(w, x);
        }
        jw_object_end(w);
        break;
    case JSON_ARRAY:
        jw_array(w);
        json_array_foreach(v, i, x) write_value(w, x);
        jw_array_end(w);
        break;
    case JSON_STRING:
        jw_strn(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        jw_int(w, (int64_t)json_integer_value(v));
        break;
    case JSON_REAL: {
        /* the shortest form that reads back the same, keeping a decimal
         * point so that 1200.0 stays a real as the report wrote it */
        char s[40];
        snprintf(s, sizeof s, "%.15g", json_real_value(v));
        if (!strpbrk(s, ".eEni"))
            strcat(s, ".0");
        jw_raw(w, s);
        break;
    }
    case JSON_TRUE:
    case JSON_FALSE:
        jw_bool(w, json_is_true(v));
        break;
    default:
        jw_null(w);
    }
}

static void emit(Diff *d, const char *key, const json_t *before,
                 const json_t *after)
{
    jw_object(&d->w);
    jw_kstr(&d->w, "key", key);
    jw_key(&d->w, "before");
    write_value(&d->w, before);
    jw_key(&d->w, "after");
    write_value(&d->w, after);
    jw_object_end(&d->w);
    d->n++;
}

static void diff_object(Diff *d, const char *prefix, const json_t *a,
                        const json_t *b, const char *skip);

/* The rows of an array (villages, supplies) matched by id; a row is named
 * in keys by its label (the village's name, the item). */
static void diff_rows(Diff *d, const char *name, const json_t *a,
                      const json_t *b, const char *id, const char *label)
{
    char key[512];
    size_t i, j;
    json_t *rb, *ra;
    json_array_foreach(b, i, rb) {
        json_t *match = NULL;
        json_array_foreach(a, j, ra) {
            if (json_equal(json_object_get(ra, id), json_object_get(rb, id))) {
                match = ra;
                break;
            }
        }
        const char *l = json_string_value(json_object_get(rb, label));
        snprintf(key, sizeof key, "%s.%s", name, l ? l : "?");
        if (!match) {
            emit(d, key, NULL, rb);
        } else {
            size_t n = strlen(key);
            snprintf(key + n, sizeof key - n, ".");
            diff_object(d, key, match, rb, id);
        }
    }
    json_array_foreach(a, j, ra) {
        int found = 0;
        json_array_foreach(b, i, rb) {
            if (json_equal(json_object_get(ra, id), json_object_get(rb, id))) {
                found = 1;
                break;
            }
        }
        if (!found) {
            const char *l = json_string_value(json_object_get(ra, label));
            snprintf(key, sizeof key, "%s.%s", name, l ? l : "?");
            emit(d, key, ra, NULL);
        }
    }
}

/* Compares one figure (recursing into objects) under key prefix+k. */
static void diff_member(Diff *d, const char *prefix, const char *k,
                        const json_t *va, const json_t *vb)
{
    char key[512];
    snprintf(key, sizeof key, "%s%s", prefix, k);
    int top = !*prefix;
    if (top && json_is_array(va) && json_is_array(vb) &&
        !strcmp(k, "by_village")) {
        diff_rows(d, k, va, vb, "village_id", "village");
    } else if (top && json_is_array(va) && json_is_array(vb) &&
               !strcmp(k, "supplies")) {
        diff_rows(d, k, va, vb, "item", "item");
    } else if (json_is_object(va) && json_is_object(vb)) {
        size_t n = strlen(key);
        snprintf(key + n, sizeof key - n, ".");
        diff_object(d, key, va, vb, NULL);
    } else if (!va || !vb || !json_equal(va, vb)) {
        emit(d, key, va, vb);
    }
}

static void diff_object(Diff *d, const char *prefix, const json_t *a,
                        const json_t *b, const char *skip)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)b, k, v) {
        if (skip && !strcmp(k, skip))
            continue;
        diff_member(d, prefix, k, json_object_get(a, k), v);
    }
    /* figures the older text has and the newer one does not */
    json_object_foreach((json_t *)a, k, v) {
        if ((skip && !strcmp(k, skip)) || json_object_get(b, k))
            continue;
        diff_member(d, prefix, k, v, NULL);
    }
}

int report_diff(const char *before, const char *after, Buf *out, int *n,
                Err *err)
{
    json_error_t je;
    json_t *a = json_loads(before, 0, &je);
    json_t *b = a ? json_loads(after, 0, &je) : NULL;
    if (!json_is_object(a) || !json_is_object(b)) {
        json_decref(a);
        json_decref(b);
        return err_set(err, 500, "internal", NULL,
                       "a stored report is not a JSON object: %s", je.text);
    }
    Diff d = {.n = 0};
    jw_init(&d.w, out);
    jw_array(&d.w);
    /* the day is the same on both sides: the figures are compared */
    diff_object(&d, "", a, b, "date");
    jw_array_end(&d.w);
    json_decref(a);
    json_decref(b);
    *n = d.n;
    return 0;
}
