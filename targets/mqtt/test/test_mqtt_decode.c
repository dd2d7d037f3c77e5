/* Unit tests: one-shot packet decoder, every type and every error path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mqtt/mqtt.h"
#include "mqtt/props.h"
#include "mqtt_vectors.h"

#define DECODE(arr, ver, pkt)                                                  \
    mqtt_decode_packet((arr), sizeof(arr), (ver), (pkt))

static void assert_span(struct mqtt_span s, const char *want)
{
    assert_non_null(s.ptr);
    assert_int_equal(s.len, strlen(want));
    assert_memory_equal(s.ptr, want, s.len);
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

static int decode_vector(const char *name, struct mqtt_packet *pkt)
{
    const struct mqtt_vector *v = find_vector(name);

    return mqtt_decode_packet(v->bytes, v->len, v->version, pkt);
}

/* Every vector decodes to its whole length and type; spans stay inside. */
static void test_decode_all_vectors(void **state)
{
    struct mqtt_packet pkt;
    size_t i;

    (void)state;
    for (i = 0; i < mqtt_vector_count; i++) {
        const struct mqtt_vector *v = &mqtt_vectors[i];
        int rc = mqtt_decode_packet(v->bytes, v->len, v->version, &pkt);

        if (rc != (int)v->len)
            fail_msg("%s: decode returned %d, want %zu", v->name, rc, v->len);
        assert_int_equal(pkt.type, v->type);
        assert_int_equal(pkt.version, v->version);
    }
}

/* Every type appears in both versions (AUTH only in 5.0). */
static void test_decode_vectors_cover_every_type(void **state)
{
    int seen[2][16];
    size_t i;
    int t;

    (void)state;
    memset(seen, 0, sizeof(seen));
    for (i = 0; i < mqtt_vector_count; i++)
        seen[mqtt_vectors[i].version == MQTT_V5][mqtt_vectors[i].type] = 1;
    for (t = MQTT_CONNECT; t <= MQTT_AUTH; t++) {
        assert_true(seen[1][t]);
        assert_int_equal(seen[0][t], t != MQTT_AUTH);
    }
}

/* 3.1.1 section 3.1.2.11 example variable header, and its payload. */
static void test_decode_v311_connect_spec_example(void **state)
{
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(decode_vector("v311_connect", &pkt), 37);
    assert_int_equal(pkt.type, MQTT_CONNECT);
    assert_int_equal(pkt.version, MQTT_V311);
    assert_int_equal(pkt.connect.has_username, 1);
    assert_int_equal(pkt.connect.has_password, 1);
    assert_int_equal(pkt.connect.will_retain, 0);
    assert_int_equal(pkt.connect.will_qos, 1);
    assert_int_equal(pkt.connect.will, 1);
    assert_int_equal(pkt.connect.clean_start, 1);
    assert_int_equal(pkt.connect.keep_alive, 10);
    assert_span(pkt.connect.client_id, "cid");
    assert_span(pkt.connect.will_topic, "w/t");
    assert_span(pkt.connect.will_payload, "bye");
    assert_span(pkt.connect.username, "user");
    assert_span(pkt.connect.password, "pw");
    assert_int_equal(pkt.props.raw.len, 0);
    assert_int_equal(pkt.connect.will_props.raw.len, 0);

    assert_true(decode_vector("v311_connect_min", &pkt) > 0);
    assert_int_equal(pkt.connect.will, 0);
    assert_int_equal(pkt.connect.has_username, 0);
    assert_null(pkt.connect.username.ptr);
    assert_null(pkt.connect.will_topic.ptr);
    assert_non_null(pkt.connect.client_id.ptr);
    assert_int_equal(pkt.connect.client_id.len, 0);
}

/* 5.0 section 3.1.2.12 example variable header (Session Expiry 10). */
static void test_decode_v5_connect_spec_example(void **state)
{
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(decode_vector("v5_connect", &pkt), 51);
    assert_int_equal(pkt.version, MQTT_V5);
    assert_int_equal(pkt.connect.keep_alive, 10);
    assert_int_equal(pkt.connect.will_qos, 1);
    assert_int_equal(pkt.props.raw.len, 5);
    assert_true(
        MQTT_PROP_PRESENT(&pkt.props, MQTT_PROP_SESSION_EXPIRY_INTERVAL));
    assert_int_equal(pkt.props.session_expiry_interval, 10);
    assert_int_equal(pkt.props.present,
                     (uint64_t)1 << MQTT_PROP_SESSION_EXPIRY_INTERVAL);
    assert_int_equal(pkt.connect.will_props.will_delay_interval, 5);
    assert_int_equal(pkt.connect.will_props.payload_format_indicator, 1);
    assert_span(pkt.connect.will_topic, "w/t");
    assert_span(pkt.connect.password, "pw");

    assert_true(decode_vector("v5_connect_props", &pkt) > 0);
    assert_int_equal(pkt.props.receive_maximum, 20);
    assert_int_equal(pkt.props.maximum_packet_size, 4096);
    assert_int_equal(pkt.props.topic_alias_maximum, 10);
    assert_int_equal(pkt.props.request_response_information, 1);
    assert_int_equal(pkt.props.request_problem_information, 0);
    assert_true(
        MQTT_PROP_PRESENT(&pkt.props, MQTT_PROP_REQUEST_PROBLEM_INFORMATION));
    assert_int_equal(pkt.props.user_property_count, 1);
    assert_span(pkt.props.authentication_method, "TOK");
    assert_int_equal(pkt.props.authentication_data.len, 2);
    assert_int_equal(pkt.connect.client_id.len, 0);
}

/* The CONNECT of 5.0 decodes whatever version the caller passes. */
static void test_decode_connect_ignores_version_argument(void **state)
{
    const struct mqtt_vector *v = find_vector("v5_connect");
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(mqtt_decode_packet(v->bytes, v->len, MQTT_V311, &pkt),
                     (int)v->len);
    assert_int_equal(pkt.version, MQTT_V5);
    assert_int_equal(
        mqtt_decode_packet(v->bytes, v->len, (enum mqtt_version)0, &pkt),
        (int)v->len);
}

/* 3.1.1 section 3.3.2.3 / 5.0 PUBLISH example: "a/b", packet id 10. */
static void test_decode_publish(void **state)
{
    struct mqtt_packet pkt;

    (void)state;
    assert_true(decode_vector("v311_publish_qos1", &pkt) > 0);
    assert_int_equal(pkt.qos, 1);
    assert_int_equal(pkt.dup, 0);
    assert_int_equal(pkt.retain, 0);
    assert_int_equal(pkt.packet_id, 10);
    assert_span(pkt.topic, "a/b");
    assert_span(pkt.payload, "hi!");

    assert_true(decode_vector("v311_publish_qos0", &pkt) > 0);
    assert_int_equal(pkt.qos, 0);
    assert_int_equal(pkt.retain, 1);
    assert_int_equal(pkt.packet_id, 0);
    assert_span(pkt.payload, "ok");

    assert_true(decode_vector("v311_publish_qos2", &pkt) > 0);
    assert_int_equal(pkt.qos, 2);
    assert_int_equal(pkt.dup, 1);
    assert_int_equal(pkt.retain, 1);
    assert_int_equal(pkt.packet_id, 7);
    assert_int_equal(pkt.payload.len, 0);

    assert_true(decode_vector("v5_publish_qos1", &pkt) > 0);
    assert_int_equal(pkt.packet_id, 10);
    assert_int_equal(pkt.props.raw.len, 0);
    assert_span(pkt.payload, "hi!");

    assert_true(decode_vector("v5_publish_props", &pkt) > 0);
    assert_int_equal(pkt.props.payload_format_indicator, 1);
    assert_int_equal(pkt.props.message_expiry_interval, 60);
    assert_span(pkt.props.content_type, "text");
    assert_span(pkt.props.response_topic, "r/t");
    assert_int_equal(pkt.props.correlation_data.len, 2);
    assert_int_equal(pkt.props.subscription_id_count, 2);
    assert_int_equal(pkt.props.subscription_id, 5);
    assert_int_equal(pkt.props.topic_alias, 1);
    assert_int_equal(pkt.props.user_property_count, 2);
    assert_span(pkt.payload, "{}");

    assert_true(decode_vector("v5_publish_alias", &pkt) > 0);
    assert_int_equal(pkt.topic.len, 0);
    assert_int_equal(pkt.props.topic_alias, 1);
}

/* A 200-byte payload needs a two-byte Remaining Length (205: CD 01). */
static void test_decode_multibyte_remaining_length(void **state)
{
    uint8_t buf[3 + 205];
    struct mqtt_packet pkt;

    (void)state;
    buf[0] = 0x30;
    buf[1] = 0xCD;
    buf[2] = 0x01;
    memcpy(buf + 3, "\0\3a/b", 5);
    memset(buf + 8, 'p', 200);
    assert_int_equal(DECODE(buf, MQTT_V311, &pkt), 208);
    assert_int_equal(pkt.payload.len, 200);
    assert_int_equal(mqtt_decode_packet(buf, 207, MQTT_V311, &pkt),
                     MQTT_ERR_INCOMPLETE);
    /* The same packet with a non-minimal length field is refused. */
    buf[1] = 0xCD;
    buf[2] = 0x81;
    assert_int_equal(DECODE(buf, MQTT_V311, &pkt), MQTT_ERR_BAD_LENGTH);
}

static void test_decode_acks(void **state)
{
    struct mqtt_packet pkt;

    (void)state;
    assert_true(decode_vector("v311_connack", &pkt) > 0);
    assert_int_equal(pkt.session_present, 1);
    assert_int_equal(pkt.reason_code, 0);
    assert_true(decode_vector("v311_connack_refused", &pkt) > 0);
    assert_int_equal(pkt.reason_code, 5);

    assert_true(decode_vector("v5_connack", &pkt) > 0);
    assert_span(pkt.props.assigned_client_identifier, "abc");
    assert_int_equal(pkt.props.maximum_qos, 1);
    assert_int_equal(pkt.props.retain_available, 0);
    assert_true(MQTT_PROP_PRESENT(&pkt.props, MQTT_PROP_RETAIN_AVAILABLE));
    assert_int_equal(pkt.props.server_keep_alive, 30);
    assert_int_equal(pkt.props.wildcard_subscription_available, 1);
    assert_int_equal(pkt.props.subscription_identifier_available, 1);
    assert_int_equal(pkt.props.shared_subscription_available, 0);
    assert_span(pkt.props.response_information, "ri");
    assert_span(pkt.props.reason_string, "ok");
    assert_int_equal(pkt.props.session_expiry_interval, 60);
    assert_int_equal(pkt.props.receive_maximum, 100);
    assert_int_equal(pkt.props.maximum_packet_size, 65536);

    assert_true(decode_vector("v311_pubrel", &pkt) > 0);
    assert_int_equal(pkt.packet_id, 10);
    assert_true(decode_vector("v5_puback_props", &pkt) > 0);
    assert_int_equal(pkt.reason_code, MQTT_RC_UNSPECIFIED_ERROR);
    assert_span(pkt.props.reason_string, "bad");
    assert_true(decode_vector("v5_pubrel", &pkt) > 0);
    assert_int_equal(pkt.reason_code, MQTT_RC_PACKET_ID_NOT_FOUND);
    assert_int_equal(pkt.props.raw.len, 0);

    assert_true(decode_vector("v5_disconnect_props", &pkt) > 0);
    assert_int_equal(pkt.reason_code, MQTT_RC_SESSION_TAKEN_OVER);
    assert_span(pkt.props.server_reference, "srv");
    assert_true(decode_vector("v5_disconnect_will", &pkt) > 0);
    assert_int_equal(pkt.reason_code, MQTT_RC_DISCONNECT_WITH_WILL);
    assert_true(decode_vector("v5_auth_props", &pkt) > 0);
    assert_int_equal(pkt.reason_code, MQTT_RC_CONTINUE_AUTHENTICATION);
    assert_span(pkt.props.authentication_method, "SCRAM");
    assert_true(decode_vector("v5_auth", &pkt) > 0);
    assert_int_equal(pkt.reason_code, 0);
}

/* Longer forms 5.0 allows decode to the same fields as the short one. */
static void test_decode_v5_long_forms(void **state)
{
    struct mqtt_packet a, b;

    (void)state;
    assert_true(decode_vector("v5_puback", &a) > 0);
    assert_true(decode_vector("v5_puback_long3", &b) > 0);
    assert_true(mqtt_test_packets_equal(&a, &b));
    assert_true(decode_vector("v5_puback_long4", &b) > 0);
    assert_true(mqtt_test_packets_equal(&a, &b));
    assert_true(decode_vector("v5_puback_reason", &a) > 0);
    assert_true(decode_vector("v5_puback_long4_reason", &b) > 0);
    assert_true(mqtt_test_packets_equal(&a, &b));
    assert_true(decode_vector("v5_disconnect", &a) > 0);
    assert_true(decode_vector("v5_disconnect_long", &b) > 0);
    assert_true(mqtt_test_packets_equal(&a, &b));
}

/* 3.1.1 sections 3.8.3.1, 3.9.3.1, 3.10.3.1 payload examples. */
static void test_decode_topic_lists(void **state)
{
    struct mqtt_packet pkt;
    struct mqtt_topic_iter it;
    struct mqtt_topic t;

    (void)state;
    assert_true(decode_vector("v311_subscribe", &pkt) > 0);
    assert_int_equal(pkt.packet_id, 10);
    assert_int_equal(pkt.list_count, 2);
    mqtt_topic_iter_init(&it, &pkt);
    assert_int_equal(mqtt_topic_next(&it, &t), 1);
    assert_span(t.filter, "a/b");
    assert_int_equal(t.qos, 1);
    assert_int_equal(mqtt_topic_next(&it, &t), 1);
    assert_span(t.filter, "c/d");
    assert_int_equal(t.qos, 2);
    assert_int_equal(mqtt_topic_next(&it, &t), 0);

    assert_true(decode_vector("v311_suback", &pkt) > 0);
    assert_int_equal(pkt.list_count, 3);
    assert_memory_equal(pkt.list.ptr, "\x00\x02\x80", 3);

    assert_true(decode_vector("v311_unsubscribe", &pkt) > 0);
    mqtt_topic_iter_init(&it, &pkt);
    assert_int_equal(mqtt_topic_next(&it, &t), 1);
    assert_span(t.filter, "a/b");
    assert_int_equal(t.options, 0);
    assert_int_equal(mqtt_topic_next(&it, &t), 1);
    assert_span(t.filter, "c/d");
    assert_int_equal(mqtt_topic_next(&it, &t), 0);

    assert_true(decode_vector("v5_subscribe_props", &pkt) > 0);
    assert_int_equal(pkt.props.subscription_id, 42);
    assert_int_equal(pkt.list_count, 2);
    mqtt_topic_iter_init(&it, &pkt);
    assert_int_equal(mqtt_topic_next(&it, &t), 1);
    assert_span(t.filter, "s/+/#");
    assert_int_equal(t.qos, 2);
    assert_int_equal(t.no_local, 1);
    assert_int_equal(t.retain_as_published, 1);
    assert_int_equal(t.retain_handling, 2);
    assert_int_equal(mqtt_topic_next(&it, &t), 1);
    assert_span(t.filter, "$share/g/x");
    assert_int_equal(t.qos, 1);
    assert_int_equal(t.no_local, 0);
    assert_int_equal(t.retain_handling, 1);
    assert_int_equal(mqtt_topic_next(&it, &t), 0);

    assert_true(decode_vector("v5_unsuback_props", &pkt) > 0);
    assert_int_equal(pkt.list_count, 6);
    assert_span(pkt.props.reason_string, "ok");
}

/* Every strict prefix of a valid packet asks for more bytes; bytes after
 * the packet are not consumed. */
static void test_decode_truncated_at_every_length(void **state)
{
    struct mqtt_packet pkt;
    uint8_t buf[128];
    size_t i, n;

    (void)state;
    for (i = 0; i < mqtt_vector_count; i++) {
        const struct mqtt_vector *v = &mqtt_vectors[i];

        for (n = 0; n < v->len; n++) {
            int rc = mqtt_decode_packet(v->bytes, n, v->version, &pkt);

            if (rc != MQTT_ERR_INCOMPLETE)
                fail_msg("%s cut at %zu: %d", v->name, n, rc);
        }
        assert_true(v->len + 3 <= sizeof(buf));
        memcpy(buf, v->bytes, v->len);
        memcpy(buf + v->len, "\xC0\x00\xFF", 3);
        assert_int_equal(mqtt_decode_packet(buf, v->len + 3, v->version, &pkt),
                         (int)v->len);
    }
}

static void test_decode_bad_type(void **state)
{
    static const uint8_t zero[] = {0x00, 0x00};
    static const uint8_t auth[] = {0xF0, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(zero, MQTT_V311, &pkt), MQTT_ERR_BAD_TYPE);
    assert_int_equal(DECODE(zero, MQTT_V5, &pkt), MQTT_ERR_BAD_TYPE);
    assert_int_equal(mqtt_decode_packet(zero, 1, MQTT_V5, &pkt),
                     MQTT_ERR_BAD_TYPE);
    assert_int_equal(DECODE(auth, MQTT_V311, &pkt), MQTT_ERR_BAD_TYPE);
    assert_int_equal(DECODE(auth, MQTT_V5, &pkt), 2);
}

/* Table 2.2 (3.1.1) / 2-3 (5.0): every other flag nibble is malformed. */
static void test_decode_reserved_flags(void **state)
{
    static const uint8_t required[16] = {0, 0, 0, 0, 0, 0, 2, 0,
                                         2, 0, 2, 0, 0, 0, 0, 0};
    const struct mqtt_vector *ref[16] = {NULL};
    struct mqtt_packet pkt;
    uint8_t buf[128];
    size_t i;
    int flags;

    (void)state;
    for (i = 0; i < mqtt_vector_count; i++) {
        if (mqtt_vectors[i].version == MQTT_V5 &&
            ref[mqtt_vectors[i].type] == NULL)
            ref[mqtt_vectors[i].type] = &mqtt_vectors[i];
    }
    for (i = MQTT_CONNECT; i <= MQTT_AUTH; i++) {
        if (i == MQTT_PUBLISH)
            continue;
        memcpy(buf, ref[i]->bytes, ref[i]->len);
        for (flags = 0; flags < 16; flags++) {
            int rc;

            buf[0] = (uint8_t)((i << 4) | (unsigned)flags);
            rc = mqtt_decode_packet(buf, ref[i]->len, MQTT_V5, &pkt);
            if (flags == required[i])
                assert_int_equal(rc, (int)ref[i]->len);
            else
                assert_int_equal(rc, MQTT_ERR_BAD_FLAGS);
        }
    }
}

static void test_decode_publish_flags(void **state)
{
    static const uint8_t qos3[] = {0x36, 0x07, 0x00, 0x03, 'a',
                                   '/',  'b',  0x00, 0x01};
    static const uint8_t qos3_dup[] = {0x3F, 0x00};
    static const uint8_t dup_qos0[] = {0x38, 0x05, 0x00, 0x03, 'a', '/', 'b'};
    struct mqtt_packet pkt;

    (void)state;
    /* [MQTT-3.3.1-4]: QoS 3, decided from the first byte alone. */
    assert_int_equal(DECODE(qos3, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    assert_int_equal(DECODE(qos3, MQTT_V5, &pkt), MQTT_ERR_BAD_FLAGS);
    assert_int_equal(mqtt_decode_packet(qos3, 1, MQTT_V5, &pkt),
                     MQTT_ERR_BAD_FLAGS);
    assert_int_equal(DECODE(qos3_dup, MQTT_V5, &pkt), MQTT_ERR_BAD_FLAGS);
    /* [MQTT-3.3.1-2]: DUP must be 0 at QoS 0. */
    assert_int_equal(DECODE(dup_qos0, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
}

static void test_decode_bad_remaining_length(void **state)
{
    static const uint8_t five[] = {0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    static const uint8_t five_zero[] = {0xC0, 0x80, 0x80, 0x80, 0x80, 0x00};
    static const uint8_t non_minimal[] = {0xC0, 0x80, 0x00};
    static const uint8_t max[] = {0x30, 0xFF, 0xFF, 0xFF, 0x7F};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(five, MQTT_V5, &pkt), MQTT_ERR_BAD_LENGTH);
    assert_int_equal(DECODE(five_zero, MQTT_V311, &pkt), MQTT_ERR_BAD_LENGTH);
    assert_int_equal(DECODE(non_minimal, MQTT_V311, &pkt), MQTT_ERR_BAD_LENGTH);
    assert_int_equal(DECODE(non_minimal, MQTT_V5, &pkt), MQTT_ERR_BAD_LENGTH);
    /* The largest length is legal; only the body is missing. */
    assert_int_equal(DECODE(max, MQTT_V5, &pkt), MQTT_ERR_INCOMPLETE);
}

static void test_decode_packet_identifier_rules(void **state)
{
    static const uint8_t pub_no_id[] = {0x32, 0x05, 0x00, 0x03, 'a', '/', 'b'};
    static const uint8_t pub_id0[] = {0x32, 0x07, 0x00, 0x03, 'a',
                                      '/',  'b',  0x00, 0x00};
    static const uint8_t puback0[] = {0x40, 0x02, 0x00, 0x00};
    static const uint8_t sub0[] = {0x82, 0x06, 0x00, 0x00,
                                   0x00, 0x01, 'a',  0x00};
    static const uint8_t unsuback0[] = {0xB0, 0x02, 0x00, 0x00};
    static const uint8_t puback_short[] = {0x40, 0x01, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(pub_no_id, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(pub_id0, MQTT_V311, &pkt), MQTT_ERR_PACKET_ID);
    assert_int_equal(DECODE(puback0, MQTT_V311, &pkt), MQTT_ERR_PACKET_ID);
    assert_int_equal(DECODE(puback0, MQTT_V5, &pkt), MQTT_ERR_PACKET_ID);
    assert_int_equal(DECODE(sub0, MQTT_V311, &pkt), MQTT_ERR_PACKET_ID);
    assert_int_equal(DECODE(unsuback0, MQTT_V311, &pkt), MQTT_ERR_PACKET_ID);
    assert_int_equal(DECODE(puback_short, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
}

static void test_decode_empty_lists(void **state)
{
    static const uint8_t sub311[] = {0x82, 0x02, 0x00, 0x0A};
    static const uint8_t sub5[] = {0x82, 0x03, 0x00, 0x0A, 0x00};
    static const uint8_t unsub311[] = {0xA2, 0x02, 0x00, 0x0A};
    static const uint8_t unsub5[] = {0xA2, 0x03, 0x00, 0x0A, 0x00};
    static const uint8_t suback311[] = {0x90, 0x02, 0x00, 0x0A};
    static const uint8_t suback5[] = {0x90, 0x03, 0x00, 0x0A, 0x00};
    static const uint8_t unsuback5[] = {0xB0, 0x03, 0x00, 0x0A, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    /* 3.1.1 [MQTT-3.8.3-3], [MQTT-3.10.3-2]; 5.0 [MQTT-3.8.3-2]. */
    assert_int_equal(DECODE(sub311, MQTT_V311, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(sub5, MQTT_V5, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(unsub311, MQTT_V311, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(unsub5, MQTT_V5, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(suback311, MQTT_V311, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(suback5, MQTT_V5, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(unsuback5, MQTT_V5, &pkt), MQTT_ERR_PROTOCOL);
}

static void test_decode_invalid_utf8(void **state)
{
    static const uint8_t client_id[] = {0x10, 0x0E, 0x00, 0x04, 'M',  'Q',
                                        'T',  'T',  0x04, 0x02, 0x00, 0x00,
                                        0x00, 0x02, 0xC0, 0x80};
    static const uint8_t username[] = {0x10, 0x11, 0x00, 0x04, 'M',  'Q',  'T',
                                       'T',  0x04, 0x82, 0x00, 0x00, 0x00, 0x00,
                                       0x00, 0x03, 'a',  0xED, 0xA0};
    static const uint8_t topic[] = {0x30, 0x06, 0x00, 0x04,
                                    'a',  0xED, 0xA0, 0x80};
    static const uint8_t topic_nul[] = {0x30, 0x03, 0x00, 0x01, 0x00};
    static const uint8_t filter[] = {0x82, 0x07, 0x00, 0x01, 0x00,
                                     0x02, 0xFF, 'a',  0x00};
    static const uint8_t unsub[] = {0xA2, 0x05, 0x00, 0x01, 0x00, 0x01, 0x80};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(client_id, MQTT_V311, &pkt), MQTT_ERR_BAD_UTF8);
    assert_int_equal(DECODE(username, MQTT_V311, &pkt), MQTT_ERR_BAD_UTF8);
    assert_int_equal(DECODE(topic, MQTT_V311, &pkt), MQTT_ERR_BAD_UTF8);
    assert_int_equal(DECODE(topic_nul, MQTT_V311, &pkt), MQTT_ERR_BAD_UTF8);
    assert_int_equal(DECODE(filter, MQTT_V311, &pkt), MQTT_ERR_BAD_UTF8);
    assert_int_equal(DECODE(unsub, MQTT_V311, &pkt), MQTT_ERR_BAD_UTF8);
}

static void test_decode_topic_rules(void **state)
{
    static const uint8_t wildcard[] = {0x30, 0x05, 0x00, 0x03, 'a', '/', '+'};
    static const uint8_t empty311[] = {0x30, 0x02, 0x00, 0x00};
    static const uint8_t empty5[] = {0x30, 0x03, 0x00, 0x00, 0x00};
    static const uint8_t bad_filter[] = {0x82, 0x07, 0x00, 0x01, 0x00,
                                         0x02, 'a',  '#',  0x00};
    static const uint8_t empty_filter[] = {0xA2, 0x04, 0x00, 0x01, 0x00, 0x00};
    static const uint8_t share5[] = {0x82, 0x0D, 0x00, 0x01, 0x00,
                                     0x00, 0x07, '$',  's',  'h',
                                     'a',  'r',  'e',  '/',  0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(wildcard, MQTT_V311, &pkt), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(DECODE(empty311, MQTT_V311, &pkt), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(DECODE(empty5, MQTT_V5, &pkt), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(DECODE(bad_filter, MQTT_V311, &pkt), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(DECODE(empty_filter, MQTT_V311, &pkt), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(DECODE(share5, MQTT_V5, &pkt), MQTT_ERR_BAD_TOPIC);
}

static void test_decode_subscription_options(void **state)
{
    uint8_t v311[] = {0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00};
    uint8_t v5[] = {0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x00};
    uint8_t shared[] = {0x82, 0x10, 0x00, 0x01, 0x00, 0x00, 0x0A, '$', 's',
                        'h',  'a',  'r',  'e',  '/',  'g',  '/',  'a', 0x04};
    struct mqtt_packet pkt;
    unsigned o;

    (void)state;
    for (o = 0; o < 256; o++) {
        int ok311 = (o & 0xFC) == 0 && (o & 3) != 3;
        int ok5 = (o & 0xC0) == 0 && (o & 3) != 3 && ((o >> 4) & 3) != 3;

        v311[7] = (uint8_t)o;
        v5[8] = (uint8_t)o;
        assert_int_equal(DECODE(v311, MQTT_V311, &pkt),
                         ok311 ? (int)sizeof(v311) : MQTT_ERR_BAD_FLAGS);
        assert_int_equal(DECODE(v5, MQTT_V5, &pkt),
                         ok5 ? (int)sizeof(v5) : MQTT_ERR_BAD_FLAGS);
    }
    /* No Local on a Shared Subscription [MQTT-3.8.3-4]. */
    assert_int_equal(DECODE(shared, MQTT_V5, &pkt), MQTT_ERR_PROTOCOL);
    shared[sizeof(shared) - 1] = 0x00;
    assert_int_equal(DECODE(shared, MQTT_V5, &pkt), (int)sizeof(shared));
}

static void test_decode_connect_errors(void **state)
{
    uint8_t c[] = {0x10, 0x0C, 0x00, 0x04, 'M',  'Q',  'T',
                   'T',  0x04, 0x02, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t mqisdp[] = {0x10, 0x0E, 0x00, 0x06, 'M',  'Q',
                                     'I',  's',  'd',  'p',  0x03, 0x02,
                                     0x00, 0x00, 0x00, 0x00};
    static const uint8_t trailing[] = {0x10, 0x0D, 0x00, 0x04, 'M',
                                       'Q',  'T',  'T',  0x04, 0x02,
                                       0x00, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t no_will_topic[] = {0x10, 0x0C, 0x00, 0x04, 'M',
                                            'Q',  'T',  'T',  0x04, 0x06,
                                            0x00, 0x00, 0x00, 0x00};
    static const uint8_t will_wildcard[] = {
        0x10, 0x11, 0x00, 0x04, 'M',  'Q',  'T', 'T',  0x04, 0x06,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, '#', 0x00, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), (int)sizeof(c));
    assert_int_equal(DECODE(mqisdp, MQTT_V311, &pkt), MQTT_ERR_UNSUPPORTED);
    c[8] = 3;
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_UNSUPPORTED);
    c[8] = 6;
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_UNSUPPORTED);
    c[8] = 4;
    c[4] = 'm';
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_UNSUPPORTED);
    c[4] = 'M';
    c[9] = 0x03; /* reserved bit [MQTT-3.1.2-3] */
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    c[9] = 0x1E; /* will QoS 3 */
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    c[9] = 0x0A; /* will QoS 1 without will */
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    c[9] = 0x22; /* will retain without will */
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    c[9] = 0x42; /* password without user name [MQTT-3.1.2-22] */
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    c[9] = 0x82; /* user name flag, but no user name */
    assert_int_equal(DECODE(c, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(trailing, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(no_will_topic, MQTT_V311, &pkt),
                     MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(will_wildcard, MQTT_V311, &pkt),
                     MQTT_ERR_BAD_TOPIC);
}

/* 5.0 drops [MQTT-3.1.2-22]: a password without a user name is fine. */
static void test_decode_v5_password_without_username(void **state)
{
    static const uint8_t c[] = {0x10, 0x10, 0x00, 0x04, 'M',  'Q',
                                'T',  'T',  0x05, 0x42, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x01, 'p'};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(c, MQTT_V5, &pkt), (int)sizeof(c));
    assert_int_equal(pkt.connect.has_password, 1);
    assert_int_equal(pkt.connect.has_username, 0);
    assert_int_equal(pkt.connect.password.len, 1);
}

static void test_decode_connack_errors(void **state)
{
    uint8_t c311[] = {0x20, 0x02, 0x00, 0x00};
    uint8_t c5[] = {0x20, 0x03, 0x00, 0x00, 0x00};
    static const uint8_t long311[] = {0x20, 0x03, 0x00, 0x00, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    c311[2] = 0x02;
    assert_int_equal(DECODE(c311, MQTT_V311, &pkt), MQTT_ERR_BAD_FLAGS);
    c311[2] = 0x00;
    c311[3] = 6;
    assert_int_equal(DECODE(c311, MQTT_V311, &pkt), MQTT_ERR_BAD_REASON);
    c311[2] = 0x01;
    c311[3] = 5;
    assert_int_equal(DECODE(c311, MQTT_V311, &pkt), MQTT_ERR_PROTOCOL);
    assert_int_equal(DECODE(long311, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    c5[3] = 0x01;
    assert_int_equal(DECODE(c5, MQTT_V5, &pkt), MQTT_ERR_BAD_REASON);
    c5[2] = 0x01;
    c5[3] = 0x80;
    assert_int_equal(DECODE(c5, MQTT_V5, &pkt), MQTT_ERR_PROTOCOL);
    /* 5.0 CONNACK always carries a Property Length. */
    c311[2] = 0x00;
    c311[3] = 0x00;
    assert_int_equal(mqtt_decode_packet(c311, sizeof(c311), MQTT_V5, &pkt),
                     MQTT_ERR_MALFORMED);
}

/* Reason codes per packet, from 5.0 sections 3.2.2.2, 3.4.2.1, 3.5.2.1,
 * 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1, transcribed here
 * independently of the component's tables. */
static const char rc_connack[] = "\x00\x80\x81\x82\x83\x84\x85\x86\x87\x88"
                                 "\x89\x8A\x8C\x90\x95\x97\x99\x9A\x9B\x9C"
                                 "\x9D\x9F";
static const char rc_puback[] = "\x00\x10\x80\x83\x87\x90\x91\x97\x99";
static const char rc_pubrel[] = "\x00\x92";
static const char rc_suback[] = "\x00\x01\x02\x80\x83\x87\x8F\x91\x97\x9E"
                                "\xA1\xA2";
static const char rc_unsuback[] = "\x00\x11\x80\x83\x87\x8F\x91";
static const char rc_disconnect[] = "\x00\x04\x80\x81\x82\x83\x87\x89\x8B"
                                    "\x8D\x8E\x8F\x90\x93\x94\x95\x96\x97"
                                    "\x98\x99\x9A\x9B\x9C\x9D\x9E\x9F\xA0"
                                    "\xA1\xA2";
static const char rc_auth[] = "\x00\x18\x19";

static int in_codes(const char *codes, size_t n, unsigned code)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if ((uint8_t)codes[i] == code)
            return 1;
    }
    return 0;
}

#define IN_CODES(c, code) in_codes((c), sizeof(c) - 1, (code))

static void test_decode_reason_codes(void **state)
{
    uint8_t connack[] = {0x20, 0x03, 0x00, 0x00, 0x00};
    uint8_t connack311[] = {0x20, 0x02, 0x00, 0x00};
    uint8_t puback[] = {0x40, 0x03, 0x00, 0x01, 0x00};
    uint8_t suback[] = {0x90, 0x04, 0x00, 0x01, 0x00, 0x00};
    uint8_t suback311[] = {0x90, 0x03, 0x00, 0x01, 0x00};
    uint8_t unsuback[] = {0xB0, 0x04, 0x00, 0x01, 0x00, 0x00};
    uint8_t disconnect[] = {0xE0, 0x01, 0x00};
    uint8_t auth[] = {0xF0, 0x0B, 0x00, 0x09, 0x15, 0x00, 0x06,
                      'm',  'e',  't',  'h',  'o',  'd'};
    struct mqtt_packet pkt;
    unsigned c, t;

    (void)state;
    for (c = 0; c < 256; c++) {
        connack[3] = connack311[3] = suback[5] = suback311[4] = unsuback[5] =
            disconnect[2] = auth[2] = (uint8_t)c;
        puback[4] = (uint8_t)c;
        assert_int_equal(DECODE(connack, MQTT_V5, &pkt) > 0,
                         IN_CODES(rc_connack, c));
        assert_int_equal(DECODE(connack311, MQTT_V311, &pkt) > 0, c <= 5);
        for (t = MQTT_PUBACK; t <= MQTT_PUBCOMP; t++) {
            int ok = t <= MQTT_PUBREC ? IN_CODES(rc_puback, c)
                                      : IN_CODES(rc_pubrel, c);

            puback[0] = (uint8_t)((t << 4) | (t == MQTT_PUBREL ? 2 : 0));
            assert_int_equal(DECODE(puback, MQTT_V5, &pkt) > 0, ok);
        }
        assert_int_equal(DECODE(suback, MQTT_V5, &pkt) > 0,
                         IN_CODES(rc_suback, c));
        assert_int_equal(DECODE(suback311, MQTT_V311, &pkt) > 0,
                         c <= 2 || c == 0x80);
        assert_int_equal(DECODE(unsuback, MQTT_V5, &pkt) > 0,
                         IN_CODES(rc_unsuback, c));
        assert_int_equal(DECODE(disconnect, MQTT_V5, &pkt) > 0,
                         IN_CODES(rc_disconnect, c));
        assert_int_equal(DECODE(auth, MQTT_V5, &pkt) > 0, IN_CODES(rc_auth, c));
        if (!IN_CODES(rc_auth, c))
            assert_int_equal(DECODE(auth, MQTT_V5, &pkt), MQTT_ERR_BAD_REASON);
    }
}

static void test_decode_property_errors(void **state)
{
    /* Session Expiry Interval is not allowed in PUBLISH. */
    static const uint8_t misplaced[] = {0x30, 0x09, 0x00, 0x01, 't', 0x05,
                                        0x11, 0x00, 0x00, 0x00, 0x01};
    /* Session Expiry Interval twice in CONNECT. */
    static const uint8_t twice[] = {0x10, 0x17, 0x00, 0x04, 'M',  'Q',  'T',
                                    'T',  0x05, 0x02, 0x00, 0x00, 0x0A, 0x11,
                                    0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00,
                                    0x00, 0x02, 0x00, 0x00};
    /* Property Length beyond the packet. */
    static const uint8_t overrun[] = {0x30, 0x04, 0x00, 0x01, 't', 0x05};
    /* Will Properties only in Will context: Will Delay in CONNECT. */
    static const uint8_t will_delay[] = {
        0x10, 0x12, 0x00, 0x04, 'M',  'Q',  'T',  'T',  0x05, 0x02,
        0x00, 0x00, 0x05, 0x18, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(misplaced, MQTT_V5, &pkt), MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(DECODE(twice, MQTT_V5, &pkt), MQTT_ERR_DUP_PROPERTY);
    assert_int_equal(DECODE(overrun, MQTT_V5, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(will_delay, MQTT_V5, &pkt), MQTT_ERR_BAD_PROPERTY);
}

static void test_decode_exact_lengths(void **state)
{
    static const uint8_t puback3[] = {0x40, 0x03, 0x00, 0x01, 0x00};
    static const uint8_t unsuback3[] = {0xB0, 0x03, 0x00, 0x01, 0x00};
    static const uint8_t ping1[] = {0xC0, 0x01, 0x00};
    static const uint8_t pingresp1[] = {0xD0, 0x01, 0x00};
    static const uint8_t disc1[] = {0xE0, 0x01, 0x00};
    static const uint8_t auth1[] = {0xF0, 0x01, 0x00};
    static const uint8_t puback_trailing[] = {0x40, 0x05, 0x00, 0x01,
                                              0x00, 0x00, 0x00};
    static const uint8_t disc_trailing[] = {0xE0, 0x03, 0x00, 0x00, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(DECODE(puback3, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(puback3, MQTT_V5, &pkt), 5);
    assert_int_equal(DECODE(unsuback3, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(ping1, MQTT_V5, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(pingresp1, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(disc1, MQTT_V311, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(disc1, MQTT_V5, &pkt), 3);
    /* AUTH may omit both Reason Code and Property Length, not only one. */
    assert_int_equal(DECODE(auth1, MQTT_V5, &pkt), MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(puback_trailing, MQTT_V5, &pkt),
                     MQTT_ERR_MALFORMED);
    assert_int_equal(DECODE(disc_trailing, MQTT_V5, &pkt), MQTT_ERR_MALFORMED);
}

static void test_decode_arguments(void **state)
{
    static const uint8_t ping[] = {0xC0, 0x00};
    struct mqtt_packet pkt;

    (void)state;
    assert_int_equal(mqtt_decode_packet(NULL, 2, MQTT_V5, &pkt), MQTT_ERR_ARG);
    assert_int_equal(DECODE(ping, MQTT_V5, NULL), MQTT_ERR_ARG);
    assert_int_equal(DECODE(ping, (enum mqtt_version)3, &pkt), MQTT_ERR_ARG);
    assert_int_equal(mqtt_decode_packet(ping, 0, MQTT_V5, &pkt),
                     MQTT_ERR_INCOMPLETE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_all_vectors),
        cmocka_unit_test(test_decode_vectors_cover_every_type),
        cmocka_unit_test(test_decode_v311_connect_spec_example),
        cmocka_unit_test(test_decode_v5_connect_spec_example),
        cmocka_unit_test(test_decode_connect_ignores_version_argument),
        cmocka_unit_test(test_decode_publish),
        cmocka_unit_test(test_decode_multibyte_remaining_length),
        cmocka_unit_test(test_decode_acks),
        cmocka_unit_test(test_decode_v5_long_forms),
        cmocka_unit_test(test_decode_topic_lists),
        cmocka_unit_test(test_decode_truncated_at_every_length),
        cmocka_unit_test(test_decode_bad_type),
        cmocka_unit_test(test_decode_reserved_flags),
        cmocka_unit_test(test_decode_publish_flags),
        cmocka_unit_test(test_decode_bad_remaining_length),
        cmocka_unit_test(test_decode_packet_identifier_rules),
        cmocka_unit_test(test_decode_empty_lists),
        cmocka_unit_test(test_decode_invalid_utf8),
        cmocka_unit_test(test_decode_topic_rules),
        cmocka_unit_test(test_decode_subscription_options),
        cmocka_unit_test(test_decode_connect_errors),
        cmocka_unit_test(test_decode_v5_password_without_username),
        cmocka_unit_test(test_decode_connack_errors),
        cmocka_unit_test(test_decode_reason_codes),
        cmocka_unit_test(test_decode_property_errors),
        cmocka_unit_test(test_decode_exact_lengths),
        cmocka_unit_test(test_decode_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
