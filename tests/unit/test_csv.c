/* test_csv.c — unit tests for src/base/csv.c: registers exported from
 * Excel (quotes, embedded newlines, CRLF, BOM, GB18030) read back as the
 * rows a clerk sees, and broken files refused with the line named. */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/base/csv.h"
#include "../../src/base/validate.h"

/* open_str opens a reader over a string literal's bytes. */
static CsvReader *open_str(const char *s, size_t n)
{
    CsvReader *r = NULL;
    Err e = {0};
    if (csv_open_memory(s, n, &r, &e) != 0)
        fail_msg("csv_open_memory: %s", e.message);
    return r;
}
#define OPEN(lit) open_str(lit, sizeof lit - 1)

/* expect_row reads one row and checks it has exactly the given fields
 * (a NULL-terminated list) and starts on the given line. */
static void expect_row(CsvReader *r, int line, ...)
{
    char **f;
    int n;
    Err e = {0};
    int rc = csv_next(r, &f, &n, &e);
    if (rc != 1)
        fail_msg("csv_next returned %d: %s", rc, e.message);
    va_list ap;
    va_start(ap, line);
    int i = 0;
    for (const char *want; (want = va_arg(ap, const char *)); i++) {
        assert_true(i < n);
        assert_string_equal(f[i], want);
    }
    va_end(ap);
    assert_int_equal(n, i);
    assert_int_equal(csv_line(r), line);
}

static void expect_end(CsvReader *r)
{
    char **f;
    int n;
    Err e = {0};
    assert_int_equal(csv_next(r, &f, &n, &e), 0);
}

static void plain_rows_and_quotes(void **state)
{
    (void)state;
    CsvReader *r = OPEN("name,village,note\n"
                        "张三,东村,\"住址: 3 组, 12 号\"\n"
                        "李四,\"西村\",\"他说 \"\"已返乡\"\"\"\n"
                        "王五,,\n"
                        "\"\",x,\"\"");
    expect_row(r, 1, "name", "village", "note", NULL);
    expect_row(r, 2, "张三", "东村", "住址: 3 组, 12 号", NULL);
    expect_row(r, 3, "李四", "西村", "他说 \"已返乡\"", NULL);
    expect_row(r, 4, "王五", "", "", NULL);
    expect_row(r, 5, "", "x", "", NULL); /* no final newline */
    expect_end(r);
    expect_end(r);
    csv_close(r);
}

static void embedded_newline_keeps_line_numbers(void **state)
{
    (void)state;
    CsvReader *r = OPEN("name,address\n"
                        "张三,\"东村\n3 组\"\n"
                        "李四,西村\n");
    expect_row(r, 1, "name", "address", NULL);
    expect_row(r, 2, "张三", "东村\n3 组", NULL);
    expect_row(r, 4, "李四", "西村", NULL); /* the row after spans 2-3 */
    expect_end(r);
    csv_close(r);
}

static void crlf_and_blank_lines(void **state)
{
    (void)state;
    CsvReader *r = OPEN("a,b\r\n"
                        "\"x\r\ny\",2\r\n"
                        "\r\n"
                        "3,4\r\n"
                        "\r\n\r\n\n");
    expect_row(r, 1, "a", "b", NULL);
    expect_row(r, 2, "x\r\ny", "2", NULL);
    expect_row(r, 5, "3", "4", NULL);
    expect_end(r);
    csv_close(r);
}

static void utf8_bom_skipped(void **state)
{
    (void)state;
    CsvReader *r = OPEN("\xEF\xBB\xBF姓名,类型\n张三,密接\n");
    char **f;
    int n;
    Err e = {0};
    assert_int_equal(csv_next(r, &f, &n, &e), 1);
    assert_string_equal(f[0], "姓名");
    static const char *const name[] = {"姓名", "name", NULL};
    assert_int_equal(csv_header_index(f, n, name), 0);
    expect_row(r, 2, "张三", "密接", NULL);
    csv_close(r);
}

/* to_gb18030 converts UTF-8 text to GB18030 as Excel on Chinese Windows
 * would save it.  Returns malloc'd bytes (caller frees), length in *n. */
static char *to_gb18030(const char *utf8, size_t *n)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inleft = strlen(utf8), outleft = inleft * 2 + 8;
    char *out = malloc(outleft), *dst = out, *src = (char *)utf8;
    assert_non_null(out);
    assert_true(iconv(cd, &src, &inleft, &dst, &outleft) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(dst - out);
    return out;
}

static void gb18030_converted_from_memory_and_file(void **state)
{
    (void)state;
    const char *text = "姓名,类型,手机\r\n"
                       "张三,\"密接,已隔离\",13800138000\r\n"
                       "欧阳𠀀,次密接,\r\n";
    size_t n;
    char *gb = to_gb18030(text, &n);
    assert_false(validate_utf8(gb, n)); /* so the guess is exercised */

    CsvReader *r = open_str(gb, n);
    expect_row(r, 1, "姓名", "类型", "手机", NULL);
    expect_row(r, 2, "张三", "密接,已隔离", "13800138000", NULL);
    expect_row(r, 3, "欧阳𠀀", "次密接", "", NULL);
    expect_end(r);
    csv_close(r);

    char path[] = "/tmp/fangyi_test_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, gb, n), (ssize_t)n);
    close(fd);
    Err e = {0};
    assert_int_equal(csv_open_file(path, &r, &e), 0);
    unlink(path);
    expect_row(r, 1, "姓名", "类型", "手机", NULL);
    expect_row(r, 2, "张三", "密接,已隔离", "13800138000", NULL);
    csv_close(r);
    free(gb);
}

static void undecodable_input_refused(void **state)
{
    (void)state;
    CsvReader *r = NULL;
    Err e = {0};
    /* 0xFF is neither UTF-8 nor GB18030. */
    assert_int_equal(csv_open_memory("a,\xFF\xFF\n", 5, &r, &e), -1);
    assert_null(r);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "invalid_encoding");
    /* UTF-16, as Excel's "Unicode text" writes it. */
    assert_int_equal(csv_open_memory("\xFF\xFE" "a\0,\0", 6, &r, &e), -1);
    assert_string_equal(e.code, "invalid_encoding");
    assert_non_null(strstr(e.message, "UTF-16"));
    /* A BOM that lies. */
    assert_int_equal(csv_open_memory("\xEF\xBB\xBF\xD5\xC5", 5, &r, &e),
                     -1);
    assert_string_equal(e.code, "invalid_encoding");
    assert_int_equal(csv_open_file("/nonexistent/fangyi.csv", &r, &e), -1);
    assert_string_equal(e.code, "io_error");
}

static void unterminated_quote_names_line(void **state)
{
    (void)state;
    CsvReader *r = OPEN("name,note\n"
                        "张三,ok\n"
                        "李四,\"never closed\n"
                        "王五,x\n");
    expect_row(r, 1, "name", "note", NULL);
    expect_row(r, 2, "张三", "ok", NULL);
    char **f;
    int n;
    Err e = {0};
    assert_int_equal(csv_next(r, &f, &n, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.code, "invalid_csv");
    assert_non_null(strstr(e.message, "line 3"));
    /* The error sticks: no half-parsed rows afterwards. */
    memset(&e, 0, sizeof e);
    assert_int_equal(csv_next(r, &f, &n, &e), -1);
    assert_non_null(strstr(e.message, "line 3"));
    csv_close(r);
}

static void header_lookup_chinese_and_english(void **state)
{
    (void)state;
    static const char *const type[] = {"类型", "type", NULL};
    static const char *const phone[] = {"手机", "手机号", "phone", NULL};
    static const char *const plate[] = {"车牌", "plate", NULL};
    char *zh[] = {"姓名", " 类型 ", "　手机号", "类型"};
    assert_int_equal(csv_header_index(zh, 4, type), 1); /* the first */
    assert_int_equal(csv_header_index(zh, 4, phone), 2);
    assert_int_equal(csv_header_index(zh, 4, plate), -1);
    char *en[] = {"Name", "Phone", "TYPE"};
    assert_int_equal(csv_header_index(en, 3, type), 2);
    assert_int_equal(csv_header_index(en, 3, phone), 1);
    char *near[] = {"types", "类型号"};
    assert_int_equal(csv_header_index(near, 2, type), -1);
}

static void limits_refused_not_grown(void **state)
{
    (void)state;
    /* Exactly CSV_MAX_FIELDS fields is fine, one more is not. */
    size_t cap = CSV_MAX_FIELDS * 2 + 8;
    char *row = malloc(cap);
    assert_non_null(row);
    size_t len = 0;
    for (int i = 0; i < CSV_MAX_FIELDS; i++)
        len += (size_t)snprintf(row + len, cap - len, i ? ",x" : "x");
    CsvReader *r = open_str(row, len);
    char **f;
    int n;
    Err e = {0};
    assert_int_equal(csv_next(r, &f, &n, &e), 1);
    assert_int_equal(n, CSV_MAX_FIELDS);
    csv_close(r);
    len += (size_t)snprintf(row + len, cap - len, ",x");
    r = open_str(row, len);
    assert_int_equal(csv_next(r, &f, &n, &e), -1);
    assert_string_equal(e.code, "invalid_csv");
    assert_non_null(strstr(e.message, "line 1"));
    csv_close(r);
    free(row);

    /* A field over 64 KiB, quoted or not, on line 2. */
    for (int quoted = 0; quoted <= 1; quoted++) {
        size_t big = CSV_MAX_FIELD + 10;
        char *s = malloc(big + 16);
        assert_non_null(s);
        len = (size_t)sprintf(s, "a\n%s", quoted ? "\"" : "");
        memset(s + len, 'y', big);
        len += big;
        r = open_str(s, len);
        assert_int_equal(csv_next(r, &f, &n, &e), 1);
        assert_int_equal(csv_next(r, &f, &n, &e), -1);
        assert_string_equal(e.code, "invalid_csv");
        assert_non_null(strstr(e.message, "line 2"));
        csv_close(r);
        free(s);
    }
}

static void empty_input(void **state)
{
    (void)state;
    CsvReader *r = OPEN("");
    expect_end(r);
    csv_close(r);
    r = OPEN("\xEF\xBB\xBF\r\n\n");
    expect_end(r);
    csv_close(r);
    csv_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_rows_and_quotes),
        cmocka_unit_test(embedded_newline_keeps_line_numbers),
        cmocka_unit_test(crlf_and_blank_lines),
        cmocka_unit_test(utf8_bom_skipped),
        cmocka_unit_test(gb18030_converted_from_memory_and_file),
        cmocka_unit_test(undecodable_input_refused),
        cmocka_unit_test(unterminated_quote_names_line),
        cmocka_unit_test(header_lookup_chinese_and_english),
        cmocka_unit_test(limits_refused_not_grown),
        cmocka_unit_test(empty_input),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
