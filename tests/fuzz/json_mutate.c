/* json_mutate.c — the structure-aware JSON mutation (see json_mutate.h). */
#include "json_mutate.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/validate.h"

enum { MAX_SLOTS = 256 };

/* Where a value sits: in an object under a key, or in an array. */
typedef struct Slot {
    json_t *parent;
    const char *key;
    size_t index;
} Slot;

typedef struct Walk {
    Slot slot[MAX_SLOTS];
    int n;
} Walk;

static uint64_t rng;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (unsigned)(rng % n) : 0;
}

static void walk(json_t *v, Walk *w)
{
    const char *key;
    json_t *child;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, child)
        {
            if (w->n < MAX_SLOTS)
                w->slot[w->n++] = (Slot){v, key, 0};
            walk(child, w);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child)
        {
            if (w->n < MAX_SLOTS)
                w->slot[w->n++] = (Slot){v, NULL, i};
            walk(child, w);
        }
    }
}

/* Text as people type it, and lengths at the limits fields have. */
static const char *const TEXTS[] = {
    "", " ", "\xe3\x80\x80", "0", "-1", "1e400", "null", "true",
    "2020-02-10", "2020-02-30", "1899-12-31", "2099-12-31", "2020/2/10",
    "2020-02-10T08:00", "2020-02-10 08:00", "2020-02-10T00:00:00Z", "25:61",
    "370724198508081331", "37072419601207709x", "370724800101123",
    "13800138000", "+86 138 0013 8000", "鲁G12345", "京AD12345", "鲁 g·ab-123",
    "湖北武汉", "420100", "山旺村", "第1网格", "admin", "\xe2\x80\xae",
    "\xef\xbb\xbf", "\xf0\x9f\x98\xb7", "a\nb", "'=1+1", "%s%n", "\\u0000",
    "rail", "door_to_door", "home_isolation", "receipt", "issue", "spray",
    "fixed", "verified", "approved", "report", "refer", "outcome", "close",
    "in", "out", "car", "on_foot", "fever_clinic", "new_returnee",
};

static const int LENGTHS[] = {1,  2,  15, 16,  17,  31,  32,  33,  39, 40,
                              41, 63, 64, 65,  99,  100, 101, 127, 128, 129,
                              199, 200, 201, 255, 256, 257, 400, 1000};

static json_t *long_text(void)
{
    static const char *const CHARS[] = {"张", "a", "\xf0\x9f\x98\xb7", "口"};
    const char *c = CHARS[rnd(4)];
    int n = LENGTHS[rnd(sizeof LENGTHS / sizeof *LENGTHS)];
    size_t cl = strlen(c);
    char *s = malloc(n * cl + 1);
    if (!s)
        abort();
    for (int i = 0; i < n; i++)
        memcpy(s + i * cl, c, cl);
    s[n * cl] = '\0';
    json_t *v = json_string(s);
    free(s);
    return v;
}

/* The string v with its bytes mutated, when that stays UTF-8. */
static json_t *mutated_text(json_t *v)
{
    char buf[512];
    size_t n = json_string_length(v);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, json_string_value(v), n);
    n = LLVMFuzzerMutate((uint8_t *)buf, n, sizeof buf - 1);
    buf[n] = '\0';
    if (strlen(buf) != n || !validate_utf8(buf, n))
        return json_string(TEXTS[rnd(sizeof TEXTS / sizeof *TEXTS)]);
    return json_string(buf);
}

static json_t *new_value(json_t *old)
{
    static const json_int_t INTS[] = {
        0, 1, -1, 2, 7, 14, 21, 65, 123, 422, 977, 1000, 2147483647,
        -2147483648LL, 4294967296LL, 9007199254740993LL, INT64_MAX,
        INT64_MIN};
    static const double REALS[] = {0.0, -0.0, 0.5, 34.94, 34.95, 35.0,
                                   37.25, 37.3, 42.5, 42.55, 1e9, 1e15,
                                   1e300, -1e300, 1e-300};
    switch (rnd(10)) {
    case 0:
        return json_integer(INTS[rnd(sizeof INTS / sizeof *INTS)]);
    case 1:
        return json_real(REALS[rnd(sizeof REALS / sizeof *REALS)]);
    case 2:
        return json_string(TEXTS[rnd(sizeof TEXTS / sizeof *TEXTS)]);
    case 3:
        return long_text();
    case 4:
        return json_is_string(old) ? mutated_text(old) : json_null();
    case 5:
        return json_is_integer(old)
                   ? json_integer((json_int_t)(
                         (uint64_t)json_integer_value(old) + rnd(5) - 2u))
                   : json_boolean(rnd(2));
    case 6:
        return rnd(2) ? json_array() : json_object();
    case 7:
        return json_pack("[i,i]", (int)rnd(500), (int)rnd(500));
    case 8:
        return json_null();
    default:
        return json_deep_copy(old);
    }
}

size_t fuzz_json_mutate(uint8_t *data, size_t size, size_t max, size_t body,
                        unsigned seed)
{
    rng = seed * 2654435761u + 1;
    if (body > size || rnd(2) == 0)
        return LLVMFuzzerMutate(data, size, max);
    json_error_t je;
    json_t *root = json_loadb((const char *)data + body, size - body, 0, &je);
    if (!root)
        return LLVMFuzzerMutate(data, size, max);
    Walk w = {.n = 0};
    walk(root, &w);
    if (w.n == 0) {
        json_decref(root);
        return LLVMFuzzerMutate(data, size, max);
    }
    Slot *s = &w.slot[rnd((unsigned)w.n)];
    json_t *old = s->key ? json_object_get(s->parent, s->key)
                         : json_array_get(s->parent, s->index);
    if (s->key && rnd(8) == 0)
        json_object_del(s->parent, s->key);
    else if (s->key)
        json_object_set_new(s->parent, s->key, new_value(old));
    else
        json_array_set_new(s->parent, s->index, new_value(old));
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    size_t n = text ? strlen(text) : 0;
    if (!text || body + n > max) {
        free(text);
        return LLVMFuzzerMutate(data, size, max);
    }
    memcpy(data + body, text, n);
    free(text);
    return body + n;
}
