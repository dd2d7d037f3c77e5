/*
 * Writes the CoAP seed corpus: real messages built with coap_builder, from
 * RFC 7252 Appendix A, RFC 7959 (block-wise transfers, figure 12 with
 * Observe), discovery, long options in the 13/14 extended forms.
 *
 *   coap_seedgen DIR...
 *
 * Every seed is written into every DIR (e.g. corpora/coap_message/seed
 * and corpora/coap_roundtrip/seed) under a temporary name and renamed.
 * Exit codes: 0 written, 2 usage, 3 a file could not be written, 4 a
 * seed could not be built (a bug in this tool or the builder).
 */
#include <stdio.h>
#include <string.h>

#include "coap/block.h"
#include "coap/builder.h"
#include "coap/option.h"

enum { SEEDGEN_OK = 0, SEEDGEN_USAGE = 2, SEEDGEN_IO = 3, SEEDGEN_BUILD = 4 };

#define SEED_MAX 2048

static uint8_t filler[1100];
static const char *const *out_dirs;
static int out_count;
static int failed;

static int write_one(const char *dir, const char *name, const uint8_t *buf,
                     size_t len)
{
    char tmp[1024], path[1024];
    FILE *f;

    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
        snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >=
            (int)sizeof(tmp)) {
        fprintf(stderr, "coap_seedgen: path too long for %s\n", name);
        return SEEDGEN_IO;
    }
    f = fopen(tmp, "wb");
    if (f == NULL) {
        fprintf(stderr, "coap_seedgen: cannot create %s\n", tmp);
        return SEEDGEN_IO;
    }
    if (fwrite(buf, 1, len, f) != len) {
        fclose(f);
        remove(tmp);
        fprintf(stderr, "coap_seedgen: short write to %s\n", tmp);
        return SEEDGEN_IO;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        fprintf(stderr, "coap_seedgen: cannot write %s\n", path);
        return SEEDGEN_IO;
    }
    return SEEDGEN_OK;
}

/* Finishes b and writes it as `name` into every output folder. A builder
 * error anywhere in the seed is remembered in rc (first error wins). */
static void emit(const char *name, const struct coap_builder *b, int rc)
{
    size_t len = 0;
    int i, w;

    if (failed == SEEDGEN_IO)
        return; /* one message about an unwritable folder is enough */
    if (rc == 0)
        rc = coap_builder_finish(b, &len);
    if (rc != 0) {
        fprintf(stderr, "coap_seedgen: building %s failed (%d)\n", name, rc);
        if (failed == 0)
            failed = SEEDGEN_BUILD;
        return;
    }
    for (i = 0; i < out_count; i++) {
        w = write_one(out_dirs[i], name, b->buf, len);
        if (w != 0 && failed == 0)
            failed = w;
    }
}

/* rc accumulates the first failure of a chain of builder calls. */
#define STEP(call)                                                             \
    do {                                                                       \
        if (rc == 0)                                                           \
            rc = (call);                                                       \
    } while (0)

static void block_opt(struct coap_builder *b, uint16_t number, uint32_t num,
                      uint8_t more, uint8_t szx, int *rc)
{
    struct coap_block blk;
    uint32_t v;

    blk.num = num;
    blk.more = more;
    blk.szx = szx;
    if (*rc == 0)
        *rc = coap_block_to_uint(&blk, &v);
    if (*rc == 0)
        *rc = coap_builder_add_uint(b, number, v);
}

/* RFC 7252 Appendix A, figures 16-23. */
static void seeds_rfc7252(uint8_t *buf)
{
    static const uint8_t t20[] = {0x20}, t53[] = {0x53}, t64[] = {0x64},
                         t75[] = {0x75}, t86[] = {0x86};
    static const uint8_t temp[] = "22.3 C";
    struct coap_builder b;
    int rc = 0;

    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x7d34, NULL, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature"));
    emit("rfc7252_fig16_get", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTENT,
                           0x7d34, NULL, 0));
    STEP(coap_builder_set_payload(&b, temp, 6));
    emit("rfc7252_fig16_content", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x7d35, t20, 1));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature"));
    emit("rfc7252_fig17_get_token", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTENT,
                           0x7d35, t20, 1));
    STEP(coap_builder_set_payload(&b, temp, 6));
    emit("rfc7252_fig17_content_token", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_EMPTY,
                           0x7d38, NULL, 0));
    emit("rfc7252_fig20_empty_ack", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_CONTENT,
                           0xad7b, t53, 1));
    STEP(coap_builder_set_payload(&b, temp, 6));
    emit("rfc7252_fig20_separate_con", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_CONTENT,
                           0xad7c, t64, 1));
    STEP(coap_builder_set_payload(&b, temp, 6));
    emit("rfc7252_fig21_unexpected_con", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_RST, COAP_CODE_EMPTY,
                           0xad7c, NULL, 0));
    emit("rfc7252_fig21_rst", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON, COAP_CODE_GET,
                           0x7d40, t75, 1));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature"));
    emit("rfc7252_fig22_non_get", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON, COAP_CODE_CONTENT,
                           0xad7d, t75, 1));
    STEP(coap_builder_set_payload(&b, temp, 6));
    emit("rfc7252_fig22_non_content", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON,
                           COAP_CODE_NOT_FOUND, 0x952a, t86, 1));
    emit("rfc7252_fig23_not_found", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_EMPTY,
                           0x1234, NULL, 0));
    emit("ping_empty_con", &b, rc);
}

/* RFC 7959 figure 12 (Observe with Block2) and figure 7 (Block1 PUT). */
static void seeds_rfc7959(uint8_t *buf)
{
    static const uint8_t tfb[] = {0xfb}, tfc[] = {0xfc};
    static const uint8_t etag1[] = {0x6f, 0x00, 0xf3, 0x8e};
    static const uint8_t etag2[] = {0x6f, 0x00, 0xf3, 0x92};
    struct coap_builder b;
    int rc = 0;

    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x1636, tfb, 1));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "status-icon"));
    emit("rfc7959_fig12_observe_get", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTENT,
                           0x1636, tfb, 1));
    STEP(coap_builder_add_option(&b, COAP_OPTION_ETAG, etag1, 4));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 62350));
    block_opt(&b, COAP_OPTION_BLOCK2, 0, 1, 3, &rc);
    STEP(coap_builder_set_payload(&b, filler, 128));
    emit("rfc7959_fig12_block2_first", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_CONTENT,
                           0xaf9c, tfb, 1));
    STEP(coap_builder_add_option(&b, COAP_OPTION_ETAG, etag2, 4));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 62354));
    block_opt(&b, COAP_OPTION_BLOCK2, 0, 1, 3, &rc);
    STEP(coap_builder_set_payload(&b, filler, 128));
    emit("rfc7959_fig12_notification", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_EMPTY,
                           0xaf9c, NULL, 0));
    emit("rfc7959_fig12_empty_ack", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x1637, tfc, 1));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "status-icon"));
    block_opt(&b, COAP_OPTION_BLOCK2, 1, 0, 3, &rc);
    emit("rfc7959_fig12_get_block1", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTENT,
                           0x1638, tfc, 1));
    STEP(coap_builder_add_option(&b, COAP_OPTION_ETAG, etag2, 4));
    block_opt(&b, COAP_OPTION_BLOCK2, 2, 0, 3, &rc);
    STEP(coap_builder_set_payload(&b, filler, 53));
    emit("rfc7959_fig12_block2_last", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_PUT,
                           1234, NULL, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "options"));
    block_opt(&b, COAP_OPTION_BLOCK1, 0, 1, 3, &rc);
    STEP(coap_builder_add_uint(&b, COAP_OPTION_SIZE1, 300));
    STEP(coap_builder_set_payload(&b, filler, 128));
    emit("rfc7959_fig7_put_block1_first", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTINUE,
                           1234, NULL, 0));
    block_opt(&b, COAP_OPTION_BLOCK1, 0, 1, 3, &rc);
    emit("rfc7959_fig7_continue", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_PUT,
                           1236, NULL, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "options"));
    block_opt(&b, COAP_OPTION_BLOCK1, 2, 0, 3, &rc);
    STEP(coap_builder_set_payload(&b, filler, 44));
    emit("rfc7959_fig7_put_block1_last", &b, rc);

    /* Late negotiation (figure 4): 2:2/0/64 and a 3-byte Block2 value. */
    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           1235, NULL, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "status"));
    block_opt(&b, COAP_OPTION_BLOCK2, 2, 0, 2, &rc);
    emit("rfc7959_fig4_get_2_0_64", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTENT,
                           0x4242, tfc, 1));
    block_opt(&b, COAP_OPTION_BLOCK2, 70000, 1, 0, &rc);
    STEP(coap_builder_add_uint(&b, COAP_OPTION_SIZE2, 1200000));
    STEP(coap_builder_set_payload(&b, filler, 16));
    emit("block2_three_byte_num", &b, rc);
}

/* Discovery, queries, Location-*, conditional requests, errors. */
static void seeds_requests(uint8_t *buf)
{
    static const uint8_t tok8[] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t etag_a[] = {0xa1}, etag_b[] = {0xb2, 0xb3};
    static const uint8_t links[] =
        "</sensors/temp>;rt=\"temperature-c\";if=\"sensor\","
        "</sensors/light>;rt=\"light-lux\";if=\"sensor\"";
    static const uint8_t diag[] = "Unrecognized option 2051";
    static const uint8_t cf_padded[] = {0x00, 0x28}; /* 40, leading zero */
    struct coap_builder b;
    int rc = 0;

    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON, COAP_CODE_GET,
                           0x0101, tok8, 8));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, ".well-known"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "core"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_QUERY, "rt=temperature"));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_ACCEPT, 40));
    emit("discovery_get_query", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON, COAP_CODE_CONTENT,
                           0x0202, tok8, 8));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_CONTENT_FORMAT, 40));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_MAX_AGE, 86400));
    STEP(coap_builder_set_payload(&b, links, sizeof(links) - 1));
    emit("discovery_link_format", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_POST,
                           0x0303, tok8, 4));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_HOST, "example.net"));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_URI_PORT, 61616));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "actuators"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "led 1"));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_CONTENT_FORMAT, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_QUERY, "mode=blink"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_QUERY, "rate=2"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_QUERY, "now"));
    STEP(coap_builder_set_payload(&b, (const uint8_t *)"on", 2));
    emit("post_host_port_query", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CREATED,
                           0x0303, tok8, 4));
    STEP(coap_builder_add_string(&b, COAP_OPTION_LOCATION_PATH, "led"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_LOCATION_PATH, "7"));
    STEP(coap_builder_add_string(&b, COAP_OPTION_LOCATION_QUERY, "v=2"));
    emit("created_location", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_PUT,
                           0x0404, tok8, 2));
    STEP(coap_builder_add_option(&b, COAP_OPTION_IF_MATCH, etag_a, 1));
    STEP(coap_builder_add_option(&b, COAP_OPTION_IF_MATCH, NULL, 0));
    STEP(coap_builder_add_option(&b, COAP_OPTION_ETAG, etag_b, 2));
    STEP(coap_builder_add_option(&b, COAP_OPTION_ETAG, etag_a, 1));
    STEP(coap_builder_add_option(&b, COAP_OPTION_IF_NONE_MATCH, NULL, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "config"));
    STEP(coap_builder_set_payload(&b, (const uint8_t *)"{\"a\":1}", 7));
    emit("put_conditional", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK,
                           COAP_CODE_BAD_OPTION, 0x0505, tok8, 3));
    STEP(coap_builder_set_payload(&b, diag, sizeof(diag) - 1));
    emit("bad_option_diagnostic", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x0606, tok8, 1));
    STEP(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 1));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature"));
    emit("observe_deregister", &b, rc);

    /* A uint with a leading zero byte: legal, not canonical. */
    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON, COAP_CODE_CONTENT,
                           0x0707, tok8, 1));
    STEP(coap_builder_add_option(&b, COAP_OPTION_CONTENT_FORMAT, cf_padded, 2));
    STEP(coap_builder_set_payload(&b, (const uint8_t *)"<x>", 3));
    emit("uint_leading_zero", &b, rc);
}

/* Long options and large numbers: the 13 and 14 extended forms. */
static void seeds_extended(uint8_t *buf)
{
    uint8_t proxy_uri[300];
    struct coap_builder b;
    int rc = 0;

    /* Uri-Host of 200 bytes (length 13 form), elective 2050 (delta 14
     * form); Proxy-Uri of 300 bytes (length 14 form). */
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x0808, NULL, 0));
    STEP(coap_builder_add_option(&b, COAP_OPTION_URI_HOST, filler, 200));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "status"));
    STEP(coap_builder_add_uint(&b, 2050, 7));
    emit("long_uri_host_elective_2050", &b, rc);

    memcpy(proxy_uri, "coap://example.net/", 19);
    memcpy(proxy_uri + 19, filler, sizeof(proxy_uri) - 19);
    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x0809, NULL, 0));
    STEP(coap_builder_add_option(&b, COAP_OPTION_PROXY_URI, proxy_uri,
                                 sizeof(proxy_uri)));
    emit("long_proxy_uri", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_CON, COAP_CODE_GET,
                           0x0909, NULL, 0));
    STEP(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "x"));
    STEP(coap_builder_add_option(&b, 2051, filler, 13));
    emit("unknown_critical_2051", &b, rc);

    /* Option numbers at the delta boundaries 12, 13, 268, 269, 65535. */
    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_NON, COAP_CODE_POST,
                           0x0a0a, NULL, 0));
    STEP(coap_builder_add_option(&b, 12, filler, 12));
    STEP(coap_builder_add_option(&b, 25, filler, 13));
    STEP(coap_builder_add_option(&b, 293, filler, 268));
    STEP(coap_builder_add_option(&b, 562, filler, 269));
    STEP(coap_builder_add_option(&b, 65535, NULL, 0));
    STEP(coap_builder_add_option(&b, 65535, filler, 1));
    STEP(coap_builder_set_payload(&b, filler, 1));
    emit("delta_length_boundaries", &b, rc);

    rc = 0;
    STEP(coap_builder_init(&b, buf, SEED_MAX, COAP_TYPE_ACK, COAP_CODE_CONTENT,
                           0x0b0b, NULL, 0));
    block_opt(&b, COAP_OPTION_BLOCK2, 0, 1, 6, &rc);
    STEP(coap_builder_add_uint(&b, COAP_OPTION_SIZE2, 4000));
    STEP(coap_builder_set_payload(&b, filler, 1024));
    emit("block2_1024_payload", &b, rc);
}

int main(int argc, char **argv)
{
    static uint8_t buf[SEED_MAX];
    size_t i;

    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr,
                "usage: %s DIR...\n"
                "Writes the CoAP seed corpus into each folder.\n",
                argv[0]);
        return SEEDGEN_USAGE;
    }
    for (i = 0; i < sizeof(filler); i++)
        filler[i] = (uint8_t)('a' + i % 26);
    out_dirs = (const char *const *)(argv + 1);
    out_count = argc - 1;
    seeds_rfc7252(buf);
    seeds_rfc7959(buf);
    seeds_requests(buf);
    seeds_extended(buf);
    return failed;
}
