/* test_json.c — the streaming JSON writer: commas, nesting, escaping
 * (including the characters that would break out of HTML). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../src/base/json.h"

static void nested_values(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    Jw w;
    jw_init(&w, &b);
    jw_object(&w);
    jw_kint(&w, "n", -42);
    jw_key(&w, "list");
    jw_array(&w);
    jw_int(&w, 1);
    jw_str(&w, NULL);
    jw_bool(&w, 1);
    jw_double(&w, 37.25, 1);
    jw_object(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    jw_kstr(&w, "name", "东村");
    jw_object_end(&w);
    assert_string_equal(b.p, "{\"n\":-42,\"list\":[1,null,true,37.2,{}],"
                             "\"name\":\"东村\"}");
    buf_free(&b);
}

static void escaping(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    const char *s = "a\"b\\c\n</script>&\x01\xe2\x80\xa8";
    json_escape_into(&b, s, strlen(s));
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0026"
                             "\\u0001\\u2028\"");
    buf_free(&b);
}

static void non_finite_is_null(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    Jw w;
    jw_init(&w, &b);
    jw_array(&w);
    jw_double(&w, 1.0 / 0.0, 1);
    jw_array_end(&w);
    assert_string_equal(b.p, "[null]");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nested_values),
        cmocka_unit_test(escaping),
        cmocka_unit_test(non_finite_is_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
