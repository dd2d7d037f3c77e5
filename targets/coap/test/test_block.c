/* Block options (RFC 7959): value encoding from the section 3 examples,
 * SZX rules, Block2 slicing for figures 2-4, figure 12 messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "coap/block.h"
#include "coap/builder.h"
#include "coap/option.h"

/* "NUM/M/size" as in RFC 7959 section 3, and the option value. */
struct block_case {
    uint32_t num;
    uint8_t more;
    uint16_t size;
    uint32_t value;
};

/* Section 3: "a Block2 Option value of 33 would be shown as 2:2/0/32 and a
 * Block1 Option value of 59 would be shown as 1:3/1/128"; the rest are the
 * values of figures 2 and 3. */
static const struct block_case cases[] = {
    {2, 0, 32, 33},    {3, 1, 128, 59},                      /* section 3 */
    {0, 1, 128, 0x0B}, {1, 0, 128, 0x13}, {1, 1, 128, 0x1B}, /* figure 2 */
    {2, 0, 128, 0x23},                                       /* figure 2 */
    {0, 0, 64, 0x02},  {0, 1, 64, 0x0A},  {1, 0, 64, 0x12},  /* figure 3 */
    {1, 1, 64, 0x1A},  {4, 1, 64, 0x4A},  {5, 0, 64, 0x52},  /* figure 3 */
};

static void test_block_rfc7959_examples(void **state)
{
    struct coap_block blk;
    uint8_t enc[COAP_BLOCK_VALUE_MAX];
    uint8_t one;
    uint32_t v;
    size_t i, n;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        one = (uint8_t)cases[i].value;
        assert_int_equal(coap_block_decode(&one, 1, &blk), 0);
        assert_int_equal(blk.num, cases[i].num);
        assert_int_equal(blk.more, cases[i].more);
        assert_int_equal(coap_block_size(blk.szx), cases[i].size);

        assert_int_equal(coap_block_to_uint(&blk, &v), 0);
        assert_int_equal(v, cases[i].value);
        assert_int_equal(coap_block_encode(&blk, enc, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(enc[0], one);
    }
}

/* Section 2.2: all-zero fields are the empty value; larger NUMs take 2
 * and 3 bytes; leading zero bytes decode like any uint. */
static void test_block_value_lengths(void **state)
{
    struct coap_block blk = {0, 0, 0};
    uint8_t enc[COAP_BLOCK_VALUE_MAX];
    size_t n = 9;

    (void)state;
    assert_int_equal(coap_block_encode(&blk, enc, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(coap_block_decode(NULL, 0, &blk), 0);
    assert_int_equal(blk.num, 0);
    assert_int_equal(blk.more, 0);
    assert_int_equal(blk.szx, 0);

    blk.num = 16;
    blk.szx = 6;
    assert_int_equal(coap_block_encode(&blk, enc, &n), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(enc, "\x01\x06", 2);

    blk.num = COAP_BLOCK_NUM_MAX;
    blk.more = 1;
    assert_int_equal(coap_block_encode(&blk, enc, &n), 0);
    assert_int_equal(n, 3);
    assert_memory_equal(enc, "\xFF\xFF\xFE", 3);
    assert_int_equal(coap_block_decode(enc, 3, &blk), 0);
    assert_int_equal(blk.num, COAP_BLOCK_NUM_MAX);
    assert_int_equal(blk.more, 1);
    assert_int_equal(blk.szx, 6);

    assert_int_equal(
        coap_block_decode((const uint8_t *)"\x00\x00\x13", 3, &blk), 0);
    assert_int_equal(blk.num, 1);
    assert_int_equal(blk.szx, 3);
}

/* SZX 7 is reserved; values are at most 3 bytes, NUM at most 20 bits. */
static void test_block_errors(void **state)
{
    struct coap_block blk;
    uint8_t enc[COAP_BLOCK_VALUE_MAX];
    size_t n;
    uint32_t v;

    (void)state;
    assert_int_equal(coap_block_decode((const uint8_t *)"\x07", 1, &blk),
                     COAP_ERR_BLOCK_SZX);
    assert_int_equal(coap_block_decode((const uint8_t *)"\x12\x3F", 2, &blk),
                     COAP_ERR_BLOCK_SZX);
    assert_int_equal(
        coap_block_decode((const uint8_t *)"\x00\x00\x00\x13", 4, &blk),
        COAP_ERR_VALUE_LENGTH);
    assert_int_equal(coap_block_decode(NULL, 1, &blk), COAP_ERR_INVALID_ARG);

    blk.num = COAP_BLOCK_NUM_MAX + 1;
    blk.more = 0;
    blk.szx = 0;
    assert_int_equal(coap_block_encode(&blk, enc, &n), COAP_ERR_BLOCK_NUM);
    blk.num = 0;
    blk.szx = 7;
    assert_int_equal(coap_block_to_uint(&blk, &v), COAP_ERR_BLOCK_SZX);
    blk.szx = 0;
    blk.more = 2;
    assert_int_equal(coap_block_to_uint(&blk, &v), COAP_ERR_INVALID_ARG);
}

static void test_block_sizes(void **state)
{
    uint8_t szx, s;

    (void)state;
    for (s = 0; s <= COAP_BLOCK_SZX_MAX; s++)
        assert_int_equal(coap_block_size(s), (size_t)1 << (s + 4));
    assert_int_equal(coap_block_size(7), 0);
    assert_int_equal(coap_block_szx_for_size(16, &szx), 0);
    assert_int_equal(szx, 0);
    assert_int_equal(coap_block_szx_for_size(127, &szx), 0);
    assert_int_equal(szx, 2);
    assert_int_equal(coap_block_szx_for_size(128, &szx), 0);
    assert_int_equal(szx, 3);
    assert_int_equal(coap_block_szx_for_size(1024, &szx), 0);
    assert_int_equal(szx, 6);
    assert_int_equal(coap_block_szx_for_size(65536, &szx), 0);
    assert_int_equal(szx, 6);
    assert_int_equal(coap_block_szx_for_size(15, &szx), COAP_ERR_BLOCK_SZX);
}

static void expect_slice(size_t body, const struct coap_block *req,
                         uint8_t max_szx, size_t offset, size_t len,
                         uint32_t num, uint8_t more, uint8_t szx)
{
    struct coap_block2_slice sl;

    assert_int_equal(coap_block2_slice(body, req, max_szx, &sl), 0);
    assert_int_equal(sl.offset, offset);
    assert_int_equal(sl.len, len);
    assert_int_equal(sl.block.num, num);
    assert_int_equal(sl.block.more, more);
    assert_int_equal(sl.block.szx, szx);
}

/* Figure 2: a 300-byte body in 128-byte blocks, the server's choice. */
static void test_block_slice_rfc7959_fig2(void **state)
{
    struct coap_block req = {1, 0, 3};

    (void)state;
    expect_slice(300, NULL, 3, 0, 128, 0, 1, 3);
    expect_slice(300, &req, 3, 128, 128, 1, 1, 3);
    req.num = 2;
    expect_slice(300, &req, 3, 256, 44, 2, 0, 3);
    req.num = 3;
    assert_int_equal(coap_block2_slice(300, &req, 3, NULL),
                     COAP_ERR_INVALID_ARG);
    {
        struct coap_block2_slice sl;

        assert_int_equal(coap_block2_slice(300, &req, 3, &sl),
                         COAP_ERR_BLOCK_RANGE);
    }
}

/* Figure 3: early negotiation, the client asks for 64 (server max 1024);
 * 5 full blocks and a last one of 20 bytes. */
static void test_block_slice_rfc7959_fig3(void **state)
{
    struct coap_block req = {0, 0, 2};

    (void)state;
    expect_slice(340, &req, 6, 0, 64, 0, 1, 2);
    req.num = 4;
    expect_slice(340, &req, 6, 256, 64, 4, 1, 2);
    req.num = 5;
    expect_slice(340, &req, 6, 320, 20, 5, 0, 2);
}

/* Figure 4: late negotiation, the first answer used 128, the client goes
 * on with 2/0/64 (byte 128). A server limited to 64 answering a request
 * for 1/0/128 keeps the offset and doubles NUM. */
static void test_block_slice_rfc7959_fig4(void **state)
{
    struct coap_block req = {2, 0, 2};

    (void)state;
    expect_slice(340, NULL, 3, 0, 128, 0, 1, 3);
    expect_slice(340, &req, 3, 128, 64, 2, 1, 2);
    req.num = 5;
    expect_slice(340, &req, 3, 320, 20, 5, 0, 2);
    req.num = 1;
    req.szx = 3;
    req.more = 1; /* ignored in a request */
    expect_slice(340, &req, 2, 128, 64, 2, 1, 2);
}

static void test_block_slice_edges(void **state)
{
    struct coap_block req = {0, 0, 0};
    struct coap_block2_slice sl;

    (void)state;
    expect_slice(0, NULL, 6, 0, 0, 0, 0, 6);
    expect_slice(0, &req, 6, 0, 0, 0, 0, 0);
    expect_slice(16, &req, 6, 0, 16, 0, 0, 0);
    req.num = 1;
    assert_int_equal(coap_block2_slice(0, &req, 6, &sl), COAP_ERR_BLOCK_RANGE);
    assert_int_equal(coap_block2_slice(16, &req, 6, &sl), COAP_ERR_BLOCK_RANGE);
    expect_slice(17, &req, 6, 16, 1, 1, 0, 0);
    /* NUM 2**20-1 at 1024 scaled to 16-byte blocks needs 26 bits. */
    req.num = COAP_BLOCK_NUM_MAX;
    req.szx = 6;
    assert_int_equal(coap_block2_slice((size_t)-1, &req, 0, &sl),
                     COAP_ERR_BLOCK_NUM);
    req.szx = 7;
    assert_int_equal(coap_block2_slice(100, &req, 6, &sl), COAP_ERR_BLOCK_SZX);
    req.szx = 0;
    assert_int_equal(coap_block2_slice(100, &req, 7, &sl),
                     COAP_ERR_INVALID_ARG);
}

/* RFC 7959 figure 12: the Observe + Block2 exchange, headers as given
 * (0x41011636, 0x61451636, 0x4145af9c, 0x6000af9c, 0x41011637). */
static void test_block_rfc7959_fig12_messages(void **state)
{
    static const uint8_t get[] = {0x41, 0x01, 0x16, 0x36, 0xfb, 0x60,
                                  0x5b, 's',  't',  'a',  't',  'u',
                                  's',  '-',  'i',  'c',  'o',  'n'};
    static const uint8_t head[] = {0x41, 0x45, 0xaf, 0x9c, 0xfb, 0x44,
                                   0x6f, 0x00, 0xf3, 0x92, 0x22, 0xf3,
                                   0x92, 0xd1, 0x04, 0x0b, 0xff};
    static const uint8_t ack[] = {0x60, 0x00, 0xaf, 0x9c};
    static const uint8_t get2[] = {0x41, 0x01, 0x16, 0x37, 0xfc, 0xbb, 's',
                                   't',  'a',  't',  'u',  's',  '-',  'i',
                                   'c',  'o',  'n',  0xc1, 0x13};
    static const uint8_t etag[] = {0x6f, 0x00, 0xf3, 0x92};
    static const uint8_t tfb[] = {0xfb}, tfc[] = {0xfc};
    uint8_t buf[256], payload[128], enc[COAP_BLOCK_VALUE_MAX];
    struct coap_block blk = {0, 1, 3};
    struct coap_builder b;
    struct coap_message msg;
    struct coap_option opt;
    size_t len, n;
    uint32_t v;

    (void)state;
    memset(payload, 0x42, sizeof(payload));

    /* GET with an empty Observe (register). */
    assert_int_equal(coap_builder_init(&b, buf, sizeof(buf), COAP_TYPE_CON,
                                       COAP_CODE_GET, 0x1636, tfb, 1),
                     0);
    assert_int_equal(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 0), 0);
    assert_int_equal(
        coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "status-icon"), 0);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(len, sizeof(get));
    assert_memory_equal(buf, get, sizeof(get));

    /* Notification of the first block: Block2 0/1/128, Observe 62354. */
    assert_int_equal(coap_builder_init(&b, buf, sizeof(buf), COAP_TYPE_CON,
                                       COAP_CODE_CONTENT, 0xaf9c, tfb, 1),
                     0);
    assert_int_equal(
        coap_builder_add_option(&b, COAP_OPTION_ETAG, etag, sizeof(etag)), 0);
    assert_int_equal(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 62354), 0);
    assert_int_equal(coap_block_encode(&blk, enc, &n), 0);
    assert_int_equal(coap_builder_add_option(&b, COAP_OPTION_BLOCK2, enc, n),
                     0);
    assert_int_equal(coap_builder_set_payload(&b, payload, sizeof(payload)), 0);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(len, sizeof(head) + sizeof(payload));
    assert_memory_equal(buf, head, sizeof(head));

    assert_int_equal(coap_parse(buf, len, &msg), 0);
    assert_int_equal(coap_option_find(&msg, COAP_OPTION_OBSERVE, &opt), 0);
    assert_int_equal(coap_option_uint(&opt, &v), 0);
    assert_int_equal(v, 62354);
    assert_int_equal(coap_option_find(&msg, COAP_OPTION_BLOCK2, &opt), 0);
    assert_int_equal(coap_block_decode(opt.value.data, opt.value.len, &blk), 0);
    assert_int_equal(blk.num, 0);
    assert_int_equal(blk.more, 1);
    assert_int_equal(coap_block_size(blk.szx), 128);
    assert_int_equal(msg.payload.len, 128);

    /* The client's Empty ACK. */
    assert_int_equal(coap_builder_init(&b, buf, sizeof(buf), COAP_TYPE_ACK,
                                       COAP_CODE_EMPTY, 0xaf9c, NULL, 0),
                     0);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(len, sizeof(ack));
    assert_memory_equal(buf, ack, sizeof(ack));

    /* Retrieval of block 1: Block2 1/0/128 in the request. */
    blk.num = 1;
    blk.more = 0;
    assert_int_equal(coap_builder_init(&b, buf, sizeof(buf), COAP_TYPE_CON,
                                       COAP_CODE_GET, 0x1637, tfc, 1),
                     0);
    assert_int_equal(
        coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "status-icon"), 0);
    assert_int_equal(coap_block_to_uint(&blk, &v), 0);
    assert_int_equal(coap_builder_add_uint(&b, COAP_OPTION_BLOCK2, v), 0);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(len, sizeof(get2));
    assert_memory_equal(buf, get2, sizeof(get2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_rfc7959_examples),
        cmocka_unit_test(test_block_value_lengths),
        cmocka_unit_test(test_block_errors),
        cmocka_unit_test(test_block_sizes),
        cmocka_unit_test(test_block_slice_rfc7959_fig2),
        cmocka_unit_test(test_block_slice_rfc7959_fig3),
        cmocka_unit_test(test_block_slice_rfc7959_fig4),
        cmocka_unit_test(test_block_slice_edges),
        cmocka_unit_test(test_block_rfc7959_fig12_messages),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
