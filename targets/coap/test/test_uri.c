/* Uri-Path / Uri-Query: RFC 7252 Appendix B paths, section 6.5
 * percent-encoding, bounds, dot segments, query lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "coap/builder.h"
#include "coap/option.h"
#include "coap/uri.h"

static uint8_t msgbuf[1024];

/* Builds a CON GET with the given Uri-Path values (n of them, lengths in
 * lens) and NUL-terminated Uri-Query values, then parses it. */
static void make_request(struct coap_message *msg, const char *const *path,
                         const size_t *lens, size_t n, const char *const *query,
                         size_t nq)
{
    struct coap_builder b;
    size_t i, len;

    assert_int_equal(coap_builder_init(&b, msgbuf, sizeof(msgbuf),
                                       COAP_TYPE_CON, COAP_CODE_GET, 1, NULL,
                                       0),
                     0);
    assert_int_equal(
        coap_builder_add_string(&b, COAP_OPTION_URI_HOST, "example.net"), 0);
    for (i = 0; i < n; i++)
        assert_int_equal(coap_builder_add_option(&b, COAP_OPTION_URI_PATH,
                                                 (const uint8_t *)path[i],
                                                 lens[i]),
                         0);
    for (i = 0; i < nq; i++)
        assert_int_equal(
            coap_builder_add_string(&b, COAP_OPTION_URI_QUERY, query[i]), 0);
    assert_int_equal(coap_builder_add_uint(&b, COAP_OPTION_SIZE1, 42), 0);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(coap_parse(msgbuf, len, msg), 0);
}

static void expect_path(const struct coap_message *msg, const char *want)
{
    char out[256];
    size_t len = 0;

    memset(out, 'X', sizeof(out));
    assert_int_equal(coap_uri_path_join(msg, out, sizeof(out), &len), 0);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
}

/* Appendix B, first example: no Uri-Path gives "/". */
static void test_uri_appendix_b_no_path(void **state)
{
    struct coap_message msg;

    (void)state;
    make_request(&msg, NULL, NULL, 0, NULL, 0);
    expect_path(&msg, "/");
}

/* Appendix B: Uri-Path ".well-known", "core" -> /.well-known/core. */
static void test_uri_appendix_b_well_known(void **state)
{
    static const char *const path[] = {".well-known", "core"};
    static const size_t lens[] = {11, 4};
    struct coap_message msg;
    struct coap_option_iter it;
    struct coap_span seg;

    (void)state;
    make_request(&msg, path, lens, 2, NULL, 0);
    expect_path(&msg, "/.well-known/core");
    coap_option_iter_init(&it, &msg);
    assert_int_equal(coap_uri_path_next(&it, &seg), 1);
    assert_int_equal(seg.len, 11);
    assert_memory_equal(seg.data, ".well-known", 11);
    assert_int_equal(coap_uri_path_next(&it, &seg), 1);
    assert_memory_equal(seg.data, "core", 4);
    assert_int_equal(coap_uri_path_next(&it, &seg), 0);
}

/* Appendix B: a UTF-8 segment is percent-encoded with uppercase hex. */
static void test_uri_appendix_b_utf8(void **state)
{
    static const char *const path[] = {
        "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF"};
    static const size_t lens[] = {15};
    struct coap_message msg;

    (void)state;
    make_request(&msg, path, lens, 1, NULL, 0);
    expect_path(&msg, "/%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF");
}

/* Appendix B: Uri-Path "", "/", "", "" -> "//%2F//". */
static void test_uri_appendix_b_slashes(void **state)
{
    static const char *const path[] = {"", "/", "", ""};
    static const size_t lens[] = {0, 1, 0, 0};
    struct coap_message msg;

    (void)state;
    make_request(&msg, path, lens, 4, NULL, 0);
    expect_path(&msg, "//%2F//");
}

/* Section 6.5 step 6: sub-delims, ":" and "@" stay, the rest is encoded
 * (including "%", "?", "#", space, NUL and 0xFF). */
static void test_uri_percent_encoding(void **state)
{
    static const char *const path[] = {"a-._~!$&'()*+,;=:@Z9", "%?# \0\xFF"};
    static const size_t lens[] = {20, 6};
    struct coap_message msg;

    (void)state;
    make_request(&msg, path, lens, 2, NULL, 0);
    expect_path(&msg, "/a-._~!$&'()*+,;=:@Z9/%25%3F%23%20%00%FF");
}

/* Section 5.10.1: "." and ".." are not valid Uri-Path values. */
static void test_uri_dot_segments_refused(void **state)
{
    static const char *const dot[] = {"a", "."};
    static const char *const dotdot[] = {"..", "etc"};
    static const char *const dots3[] = {"...", ".x"};
    static const size_t lens1[] = {1, 1}, lens2[] = {2, 3}, lens3[] = {3, 2};
    struct coap_message msg;
    char out[64];

    (void)state;
    make_request(&msg, dot, lens1, 2, NULL, 0);
    assert_int_equal(coap_uri_path_join(&msg, out, sizeof(out), NULL),
                     COAP_ERR_URI_SEGMENT);
    assert_string_equal(out, "");
    make_request(&msg, dotdot, lens2, 2, NULL, 0);
    assert_int_equal(coap_uri_path_join(&msg, out, sizeof(out), NULL),
                     COAP_ERR_URI_SEGMENT);
    make_request(&msg, dots3, lens3, 2, NULL, 0);
    expect_path(&msg, "/.../.x");
}

/* The buffer must hold the path and its NUL; anything less fails with
 * an empty string and no byte written past the size. */
static void test_uri_buffer_too_small(void **state)
{
    static const char *const path[] = {"sensors", "t mp"};
    static const size_t lens[] = {7, 4};
    static const char want[] = "/sensors/t%20mp";
    struct coap_message msg;
    char out[32];
    size_t size, len, i;

    (void)state;
    make_request(&msg, path, lens, 2, NULL, 0);
    for (size = 0; size <= sizeof(want) - 1; size++) {
        memset(out, 'X', sizeof(out));
        assert_int_equal(coap_uri_path_join(&msg, out, size, &len),
                         COAP_ERR_NO_SPACE);
        if (size > 0)
            assert_int_equal(out[0], '\0');
        for (i = size > 1 ? size : 1; i < sizeof(out); i++)
            assert_int_equal(out[i], 'X');
    }
    assert_int_equal(coap_uri_path_join(&msg, out, sizeof(want), &len), 0);
    assert_string_equal(out, want);

    make_request(&msg, NULL, NULL, 0, NULL, 0);
    assert_int_equal(coap_uri_path_join(&msg, out, 1, &len), COAP_ERR_NO_SPACE);
    assert_int_equal(coap_uri_path_join(&msg, out, 2, &len), 0);
    assert_string_equal(out, "/");
    assert_int_equal(coap_uri_path_join(&msg, NULL, 0, &len),
                     COAP_ERR_NO_SPACE);
    assert_int_equal(coap_uri_path_join(&msg, NULL, 2, &len),
                     COAP_ERR_INVALID_ARG);
}

static void expect_query(const struct coap_message *msg, const char *key,
                         const char *want)
{
    struct coap_span v;

    assert_int_equal(coap_uri_query_find(msg, key, &v), 0);
    assert_int_equal(v.len, strlen(want));
    assert_memory_equal(v.data, want, v.len);
}

static void test_uri_query_find(void **state)
{
    static const char *const query[] = {
        "rt=temperature", "bb=3", "b=2", "flag", "e=", "b=second", "x=a=b"};
    struct coap_message msg;
    struct coap_option_iter it;
    struct coap_span v;
    size_t count = 0;

    (void)state;
    make_request(&msg, NULL, NULL, 0, query, 7);
    expect_query(&msg, "rt", "temperature");
    expect_query(&msg, "b", "2"); /* first match, not "bb" */
    expect_query(&msg, "bb", "3");
    expect_query(&msg, "flag", "");
    expect_query(&msg, "e", "");
    expect_query(&msg, "x", "a=b");
    assert_int_equal(coap_uri_query_find(&msg, "fla", &v), COAP_ERR_NOT_FOUND);
    assert_int_equal(coap_uri_query_find(&msg, "temperature", &v),
                     COAP_ERR_NOT_FOUND);
    assert_int_equal(coap_uri_query_find(&msg, "", &v), COAP_ERR_INVALID_ARG);
    assert_int_equal(coap_uri_query_find(&msg, "rt", NULL), 0);

    coap_option_iter_init(&it, &msg);
    while (coap_uri_query_next(&it, &v) > 0)
        count++;
    assert_int_equal(count, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_appendix_b_no_path),
        cmocka_unit_test(test_uri_appendix_b_well_known),
        cmocka_unit_test(test_uri_appendix_b_utf8),
        cmocka_unit_test(test_uri_appendix_b_slashes),
        cmocka_unit_test(test_uri_percent_encoding),
        cmocka_unit_test(test_uri_dot_segments_refused),
        cmocka_unit_test(test_uri_buffer_too_small),
        cmocka_unit_test(test_uri_query_find),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
