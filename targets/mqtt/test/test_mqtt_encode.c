/* Unit tests: packet encoder and its round trip with the decoder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mqtt/mqtt.h"
#include "mqtt/props.h"
#include "mqtt_vectors.h"

static struct mqtt_span span_of(const char *s)
{
    struct mqtt_span sp;

    sp.ptr = (const uint8_t *)s;
    sp.len = strlen(s);
    return sp;
}

static const struct mqtt_vector *find_vector(const char *name)
{
    size_t i;

    for (i = 0; i < mqtt_vector_count; i++) {
        if (strcmp(mqtt_vectors[i].name, name) == 0)
            return &mqtt_vectors[i];
    }
    fail_msg("no vector %s", name);
    return NULL;
}

/* Decode, encode: the same bytes for every canonical vector; the size
 * query agrees; every smaller buffer is refused. */
static void test_encode_vectors_roundtrip(void **state)
{
    uint8_t out[128];
    size_t i, cap;

    (void)state;
    for (i = 0; i < mqtt_vector_count; i++) {
        const struct mqtt_vector *v = &mqtt_vectors[i];
        struct mqtt_packet pkt, again;
        int n;

        if (!v->canonical)
            continue;
        assert_int_equal(mqtt_decode_packet(v->bytes, v->len, v->version, &pkt),
                         (int)v->len);
        n = mqtt_encode_packet(&pkt, v->version, out, sizeof(out));
        if (n != (int)v->len || memcmp(out, v->bytes, v->len) != 0)
            fail_msg("%s: re-encoding differs (%d bytes)", v->name, n);
        assert_int_equal(mqtt_encode_packet(&pkt, v->version, NULL, 0), n);
        for (cap = 0; cap < v->len; cap++)
            assert_int_equal(mqtt_encode_packet(&pkt, v->version, out, cap),
                             MQTT_ERR_NO_SPACE);
        assert_int_equal(mqtt_decode_packet(out, (size_t)n, v->version, &again),
                         n);
        assert_true(mqtt_test_packets_equal(&pkt, &again));
    }
}

/* Longer 5.0 forms come back in the shortest form with the same meaning. */
static void test_encode_shortest_form(void **state)
{
    static const struct {
        const char *name;
        const char *want;
        size_t len;
    } cases[] = {
        {"v5_puback_long3", "\x40\x02\x00\x0A", 4},
        {"v5_puback_long4", "\x40\x02\x00\x0A", 4},
        {"v5_puback_long4_reason", "\x40\x03\x00\x0A\x10", 5},
        {"v5_disconnect_long", "\xE0\x00", 2},
    };
    uint8_t out[16];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct mqtt_vector *v = find_vector(cases[i].name);
        struct mqtt_packet pkt;

        assert_int_equal(mqtt_decode_packet(v->bytes, v->len, v->version, &pkt),
                         (int)v->len);
        assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V5, out, sizeof(out)),
                         (int)cases[i].len);
        assert_memory_equal(out, cases[i].want, cases[i].len);
    }
}

/* Built from fields, not decoded: the 3.1.1 section 3.1.2.11 CONNECT. */
static void test_encode_v311_connect_from_fields(void **state)
{
    const struct mqtt_vector *v = find_vector("v311_connect");
    struct mqtt_packet pkt;
    uint8_t out[64];

    (void)state;
    memset(&pkt, 0, sizeof(pkt));
    pkt.type = MQTT_CONNECT;
    pkt.connect.clean_start = 1;
    pkt.connect.will = 1;
    pkt.connect.will_qos = 1;
    pkt.connect.has_username = 1;
    pkt.connect.has_password = 1;
    pkt.connect.keep_alive = 10;
    pkt.connect.client_id = span_of("cid");
    pkt.connect.will_topic = span_of("w/t");
    pkt.connect.will_payload = span_of("bye");
    pkt.connect.username = span_of("user");
    pkt.connect.password = span_of("pw");
    assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V311, out, sizeof(out)),
                     (int)v->len);
    assert_memory_equal(out, v->bytes, v->len);
}

/* The 5.0 section 3.1.2.12 CONNECT, properties made with the builder. */
static void test_encode_v5_connect_from_fields(void **state)
{
    const struct mqtt_vector *v = find_vector("v5_connect");
    uint8_t props[16], will_props[16], out[64];
    struct mqtt_builder b, wb;
    struct mqtt_packet pkt;

    (void)state;
    mqtt_builder_init(&b, props, sizeof(props));
    assert_int_equal(
        mqtt_props_add_int(&b, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 10), 0);
    mqtt_builder_init(&wb, will_props, sizeof(will_props));
    assert_int_equal(mqtt_props_add_int(&wb, MQTT_PROP_WILL_DELAY_INTERVAL, 5),
                     0);
    assert_int_equal(
        mqtt_props_add_int(&wb, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1), 0);

    memset(&pkt, 0, sizeof(pkt));
    pkt.type = MQTT_CONNECT;
    pkt.props.raw = mqtt_builder_span(&b);
    pkt.connect.clean_start = 1;
    pkt.connect.will = 1;
    pkt.connect.will_qos = 1;
    pkt.connect.has_username = 1;
    pkt.connect.has_password = 1;
    pkt.connect.keep_alive = 10;
    pkt.connect.client_id = span_of("cid");
    pkt.connect.will_props.raw = mqtt_builder_span(&wb);
    pkt.connect.will_topic = span_of("w/t");
    pkt.connect.will_payload = span_of("bye");
    pkt.connect.username = span_of("user");
    pkt.connect.password = span_of("pw");
    assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V5, out, sizeof(out)),
                     (int)v->len);
    assert_memory_equal(out, v->bytes, v->len);
}

/* 3.1.1 sections 3.8.2.1 and 3.8.3.1: SUBSCRIBE built with the builder;
 * the same list in 5.0 gives the 5.0 example. */
static void test_encode_subscribe_from_fields(void **state)
{
    uint8_t list[32], out[64];
    struct mqtt_builder b;
    struct mqtt_packet pkt;
    const struct mqtt_vector *v311 = find_vector("v311_subscribe");
    const struct mqtt_vector *v5 = find_vector("v5_subscribe");

    (void)state;
    mqtt_builder_init(&b, list, sizeof(list));
    assert_int_equal(
        mqtt_list_add_subscription(&b, (const uint8_t *)"a/b", 3, 1), 0);
    assert_int_equal(
        mqtt_list_add_subscription(&b, (const uint8_t *)"c/d", 3, 2), 0);
    memset(&pkt, 0, sizeof(pkt));
    pkt.type = MQTT_SUBSCRIBE;
    pkt.packet_id = 10;
    pkt.list = mqtt_builder_span(&b);
    assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V311, out, sizeof(out)),
                     (int)v311->len);
    assert_memory_equal(out, v311->bytes, v311->len);
    assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V5, out, sizeof(out)),
                     (int)v5->len);
    assert_memory_equal(out, v5->bytes, v5->len);
}

static int encode_publish(size_t payload_len, uint8_t *out, size_t cap)
{
    static uint8_t payload[16384];
    struct mqtt_packet pkt;

    memset(&pkt, 0, sizeof(pkt));
    pkt.type = MQTT_PUBLISH;
    pkt.topic = span_of("t");
    pkt.payload.ptr = payload;
    pkt.payload.len = payload_len;
    return mqtt_encode_packet(&pkt, MQTT_V311, out, cap);
}

/* Remaining Length at the edges of table 2.4. */
static void test_encode_remaining_length_edges(void **state)
{
    static uint8_t out[16384 + 8];
    static const struct {
        size_t rl;
        uint8_t hdr[4];
        size_t hdr_len;
    } cases[] = {
        {127, {0x7F}, 1},
        {128, {0x80, 0x01}, 2},
        {16383, {0xFF, 0x7F}, 2},
        {16384, {0x80, 0x80, 0x01}, 3},
    };
    struct mqtt_packet pkt;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t total = 1 + cases[i].hdr_len + cases[i].rl;

        /* Topic "t" takes 3 bytes of the body. */
        assert_int_equal(encode_publish(cases[i].rl - 3, out, sizeof(out)),
                         (int)total);
        assert_int_equal(out[0], 0x30);
        assert_memory_equal(out + 1, cases[i].hdr, cases[i].hdr_len);
        assert_int_equal(mqtt_decode_packet(out, total, MQTT_V311, &pkt),
                         (int)total);
        assert_int_equal(pkt.payload.len, cases[i].rl - 3);
    }
    /* Size query only: the largest body fits, one more byte does not. */
    memset(&pkt, 0, sizeof(pkt));
    pkt.type = MQTT_PUBLISH;
    pkt.topic = span_of("t");
    pkt.payload.ptr = out;
    pkt.payload.len = MQTT_MAX_REMAINING_LENGTH - 3;
    assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V311, NULL, 0),
                     (int)MQTT_MAX_PACKET_SIZE);
    pkt.payload.len++;
    assert_int_equal(mqtt_encode_packet(&pkt, MQTT_V311, NULL, 0),
                     MQTT_ERR_TOO_LARGE);
}

static int enc(const struct mqtt_packet *pkt, enum mqtt_version v)
{
    uint8_t out[256];

    return mqtt_encode_packet(pkt, v, out, sizeof(out));
}

static void test_encode_publish_errors(void **state)
{
    static uint8_t big[0x10000];
    uint8_t props[8];
    struct mqtt_builder b;
    struct mqtt_packet p;

    (void)state;
    memset(&p, 0, sizeof(p));
    p.type = MQTT_PUBLISH;
    p.topic = span_of("a/b");
    assert_int_equal(enc(&p, MQTT_V311), 7);
    p.qos = 3;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.qos = 0;
    p.dup = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.dup = 2;
    p.qos = 1;
    p.packet_id = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.dup = 0;
    p.retain = 2;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.retain = 0;
    p.packet_id = 0;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_PACKET_ID);
    p.qos = 0;
    p.packet_id = 5;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    p.packet_id = 0;
    p.topic = span_of("a/#");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_TOPIC);
    p.topic = span_of("");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_BAD_TOPIC);
    mqtt_builder_init(&b, props, sizeof(props));
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_TOPIC_ALIAS, 3), 0);
    p.props.raw = mqtt_builder_span(&b);
    assert_int_equal(enc(&p, MQTT_V5), 8);
    /* 3.1.1 has no properties to carry them. */
    p.topic = span_of("a");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    p.props.raw.len = 0;
    p.topic.ptr = big;
    p.topic.len = sizeof(big);
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_TOO_LARGE);
    p.topic.ptr = NULL;
    p.topic.len = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    p.topic = span_of("\xC0\x80");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_UTF8);
}

static void test_encode_connect_errors(void **state)
{
    struct mqtt_packet p;
    uint8_t props[16];
    struct mqtt_builder b;

    (void)state;
    memset(&p, 0, sizeof(p));
    p.type = MQTT_CONNECT;
    assert_int_equal(enc(&p, MQTT_V311), 14);
    p.connect.will_qos = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.connect.will_qos = 0;
    p.connect.will_retain = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.connect.will_retain = 0;
    p.connect.will = 1;
    p.connect.will_qos = 3;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.connect.will_qos = 0;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_TOPIC);
    p.connect.will = 0;
    p.connect.will_topic = span_of("t");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    p.connect.will_topic.len = 0;
    p.connect.has_password = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    assert_int_equal(enc(&p, MQTT_V5), 17);
    p.connect.has_password = 0;
    p.connect.username = span_of("u");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    p.connect.username.len = 0;
    p.connect.clean_start = 2;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.connect.clean_start = 0;
    p.connect.client_id = span_of("\xED\xA0\x80");
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_UTF8);
    p.connect.client_id.len = 0;
    /* Properties: placement, repetition, authentication data alone. */
    mqtt_builder_init(&b, props, sizeof(props));
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_TOPIC_ALIAS, 1), 0);
    p.props.raw = mqtt_builder_span(&b);
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_BAD_PROPERTY);
    mqtt_builder_init(&b, props, sizeof(props));
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 1), 0);
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 2), 0);
    p.props.raw = mqtt_builder_span(&b);
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_DUP_PROPERTY);
    mqtt_builder_init(&b, props, sizeof(props));
    assert_int_equal(mqtt_props_add_data(&b, MQTT_PROP_AUTHENTICATION_DATA,
                                         (const uint8_t *)"d", 1),
                     0);
    p.props.raw = mqtt_builder_span(&b);
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_BAD_PROPERTY);
}

static void test_encode_other_errors(void **state)
{
    static const uint8_t bad_code[] = {0x00, 0x03};
    struct mqtt_packet p;

    (void)state;
    memset(&p, 0, sizeof(p));
    p.type = MQTT_AUTH;
    assert_int_equal(enc(&p, MQTT_V5), 2);
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_TYPE);
    p.reason_code = MQTT_RC_CONTINUE_AUTHENTICATION;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_BAD_PROPERTY);
    p.reason_code = 0x01;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_BAD_REASON);

    p.type = (enum mqtt_type)0;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_ARG);
    p.type = MQTT_PINGREQ;
    assert_int_equal(enc(&p, (enum mqtt_version)3), MQTT_ERR_ARG);
    assert_int_equal(mqtt_encode_packet(NULL, MQTT_V5, NULL, 0), MQTT_ERR_ARG);

    memset(&p, 0, sizeof(p));
    p.type = MQTT_SUBSCRIBE;
    p.packet_id = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_PROTOCOL);
    p.list.ptr = (const uint8_t *)"\0\1a\3";
    p.list.len = 4;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    p.list.ptr = (const uint8_t *)"\0\1a\4";
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);
    assert_int_equal(enc(&p, MQTT_V5), 9);
    p.list.len = 3;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_MALFORMED);

    memset(&p, 0, sizeof(p));
    p.type = MQTT_SUBACK;
    p.packet_id = 1;
    p.list.ptr = bad_code;
    p.list.len = 1;
    assert_int_equal(enc(&p, MQTT_V311), 5);
    p.list.len = 2;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_REASON);
    p.list.len = 0;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_PROTOCOL);

    memset(&p, 0, sizeof(p));
    p.type = MQTT_UNSUBACK;
    p.packet_id = 1;
    assert_int_equal(enc(&p, MQTT_V311), 4);
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_PROTOCOL);
    p.list.ptr = bad_code;
    p.list.len = 1;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    assert_int_equal(enc(&p, MQTT_V5), 6);

    memset(&p, 0, sizeof(p));
    p.type = MQTT_PUBREL;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_PACKET_ID);
    p.packet_id = 1;
    p.reason_code = MQTT_RC_PACKET_ID_NOT_FOUND;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
    assert_int_equal(enc(&p, MQTT_V5), 5);
    p.reason_code = MQTT_RC_NO_MATCHING_SUBSCRIBERS;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_BAD_REASON);

    memset(&p, 0, sizeof(p));
    p.type = MQTT_CONNACK;
    p.session_present = 1;
    p.reason_code = MQTT_RC_BANNED;
    assert_int_equal(enc(&p, MQTT_V5), MQTT_ERR_PROTOCOL);
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_REASON);
    p.session_present = 2;
    p.reason_code = 0;
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_BAD_FLAGS);

    memset(&p, 0, sizeof(p));
    p.type = MQTT_DISCONNECT;
    p.reason_code = MQTT_RC_SERVER_MOVED;
    assert_int_equal(enc(&p, MQTT_V5), 3);
    assert_int_equal(enc(&p, MQTT_V311), MQTT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_vectors_roundtrip),
        cmocka_unit_test(test_encode_shortest_form),
        cmocka_unit_test(test_encode_v311_connect_from_fields),
        cmocka_unit_test(test_encode_v5_connect_from_fields),
        cmocka_unit_test(test_encode_subscribe_from_fields),
        cmocka_unit_test(test_encode_remaining_length_edges),
        cmocka_unit_test(test_encode_publish_errors),
        cmocka_unit_test(test_encode_connect_errors),
        cmocka_unit_test(test_encode_other_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
