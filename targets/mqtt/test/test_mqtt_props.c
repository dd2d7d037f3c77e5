/* Unit tests: 5.0 properties (types, placement, repetition, values,
 * iterator, builder). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mqtt/mqtt.h"
#include "mqtt/props.h"

/* Contexts a property block can sit in: packet types 1..15 and the Will
 * Properties of CONNECT (index 0). */
#define CTX_WILL  0
#define CTX_COUNT 16

/*
 * 5.0 section 2.2.2.2, table 2-4, transcribed independently of the
 * component: identifier, type, and the packets listed for it.
 */
struct prop_spec {
    uint8_t id;
    enum mqtt_prop_type type;
    const char *where;
};

static const struct prop_spec prop_specs[] = {
    {0x01, MQTT_PROP_TYPE_BYTE, "PUBLISH WILL"},
    {0x02, MQTT_PROP_TYPE_U32, "PUBLISH WILL"},
    {0x03, MQTT_PROP_TYPE_UTF8, "PUBLISH WILL"},
    {0x08, MQTT_PROP_TYPE_UTF8, "PUBLISH WILL"},
    {0x09, MQTT_PROP_TYPE_BINARY, "PUBLISH WILL"},
    {0x0B, MQTT_PROP_TYPE_VARINT, "PUBLISH SUBSCRIBE"},
    {0x11, MQTT_PROP_TYPE_U32, "CONNECT CONNACK DISCONNECT"},
    {0x12, MQTT_PROP_TYPE_UTF8, "CONNACK"},
    {0x13, MQTT_PROP_TYPE_U16, "CONNACK"},
    {0x15, MQTT_PROP_TYPE_UTF8, "CONNECT CONNACK AUTH"},
    {0x16, MQTT_PROP_TYPE_BINARY, "CONNECT CONNACK AUTH"},
    {0x17, MQTT_PROP_TYPE_BYTE, "CONNECT"},
    {0x18, MQTT_PROP_TYPE_U32, "WILL"},
    {0x19, MQTT_PROP_TYPE_BYTE, "CONNECT"},
    {0x1A, MQTT_PROP_TYPE_UTF8, "CONNACK"},
    {0x1C, MQTT_PROP_TYPE_UTF8, "CONNACK DISCONNECT"},
    {0x1F, MQTT_PROP_TYPE_UTF8,
     "CONNACK PUBACK PUBREC PUBREL PUBCOMP SUBACK UNSUBACK DISCONNECT AUTH"},
    {0x21, MQTT_PROP_TYPE_U16, "CONNECT CONNACK"},
    {0x22, MQTT_PROP_TYPE_U16, "CONNECT CONNACK"},
    {0x23, MQTT_PROP_TYPE_U16, "PUBLISH"},
    {0x24, MQTT_PROP_TYPE_BYTE, "CONNACK"},
    {0x25, MQTT_PROP_TYPE_BYTE, "CONNACK"},
    {0x26, MQTT_PROP_TYPE_PAIR,
     "CONNECT CONNACK PUBLISH WILL PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE "
     "SUBACK UNSUBSCRIBE UNSUBACK DISCONNECT AUTH"},
    {0x27, MQTT_PROP_TYPE_U32, "CONNECT CONNACK"},
    {0x28, MQTT_PROP_TYPE_BYTE, "CONNACK"},
    {0x29, MQTT_PROP_TYPE_BYTE, "CONNACK"},
    {0x2A, MQTT_PROP_TYPE_BYTE, "CONNACK"},
};

#define PROP_SPEC_COUNT (sizeof(prop_specs) / sizeof(prop_specs[0]))

static const char *const ctx_names[CTX_COUNT] = {
    "WILL",    "CONNECT",  "CONNACK",    "PUBLISH", "PUBACK",      "PUBREC",
    "PUBREL",  "PUBCOMP",  "SUBSCRIBE",  "SUBACK",  "UNSUBSCRIBE", "UNSUBACK",
    "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH",
};

static int spec_allows(const struct prop_spec *p, int ctx)
{
    const char *w = p->where;
    size_t n = strlen(ctx_names[ctx]);

    while ((w = strstr(w, ctx_names[ctx])) != NULL) {
        int start = w == p->where || w[-1] == ' ';
        int end = w[n] == '\0' || w[n] == ' ';

        if (start && end)
            return 1;
        w += n;
    }
    return 0;
}

/* Writes one property with a value valid everywhere; returns its size. */
static size_t put_prop(uint8_t *out, uint8_t id, enum mqtt_prop_type type)
{
    size_t n = 0;

    out[n++] = id;
    switch (type) {
    case MQTT_PROP_TYPE_BYTE:
        out[n++] = 1;
        break;
    case MQTT_PROP_TYPE_U16:
        out[n++] = 0;
        out[n++] = 1;
        break;
    case MQTT_PROP_TYPE_U32:
        memcpy(out + n, "\0\0\0\1", 4);
        n += 4;
        break;
    case MQTT_PROP_TYPE_VARINT:
        out[n++] = 1;
        break;
    case MQTT_PROP_TYPE_UTF8:
    case MQTT_PROP_TYPE_BINARY:
        memcpy(out + n, "\0\1x", 3);
        n += 3;
        break;
    case MQTT_PROP_TYPE_PAIR:
        memcpy(out + n, "\0\1k\0\1v", 6);
        n += 6;
        break;
    }
    return n;
}

static size_t put_bytes(uint8_t *out, const char *s, size_t n)
{
    memcpy(out, s, n);
    return n;
}

/*
 * Builds a minimal 5.0 packet whose property block (of the packet, or of
 * the Will for CTX_WILL) is props[0..plen). plen stays below 128 so all
 * lengths are one byte. Returns the packet size, 0 for PINGREQ/PINGRESP.
 */
static size_t build_packet(int ctx, const uint8_t *props, size_t plen,
                           uint8_t *out)
{
    size_t n = 2;

    switch (ctx) {
    case CTX_WILL:
        out[0] = 0x10;
        n += put_bytes(out + n, "\0\4MQTT\5\4\0\0\0\0\0", 13);
        out[n++] = (uint8_t)plen;
        memcpy(out + n, props, plen);
        n += plen;
        n += put_bytes(out + n, "\0\1t\0\0", 5);
        break;
    case MQTT_CONNECT:
        out[0] = 0x10;
        n += put_bytes(out + n, "\0\4MQTT\5\0\0\0", 10);
        out[n++] = (uint8_t)plen;
        memcpy(out + n, props, plen);
        n += plen;
        n += put_bytes(out + n, "\0\0", 2);
        break;
    case MQTT_CONNACK:
        out[0] = 0x20;
        n += put_bytes(out + n, "\0\0", 2);
        break;
    case MQTT_PUBLISH:
        out[0] = 0x30;
        n += put_bytes(out + n, "\0\1t", 3);
        break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        out[0] = (uint8_t)((ctx << 4) | (ctx == MQTT_PUBREL ? 2 : 0));
        n += put_bytes(out + n, "\0\1\0", 3);
        break;
    case MQTT_SUBSCRIBE:
        out[0] = 0x82;
        n += put_bytes(out + n, "\0\1", 2);
        break;
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        out[0] = (uint8_t)(ctx << 4);
        n += put_bytes(out + n, "\0\1", 2);
        break;
    case MQTT_UNSUBSCRIBE:
        out[0] = 0xA2;
        n += put_bytes(out + n, "\0\1", 2);
        break;
    case MQTT_DISCONNECT:
        out[0] = 0xE0;
        out[n++] = 0;
        break;
    case MQTT_AUTH:
        out[0] = 0xF0;
        out[n++] = 0x18;
        break;
    default:
        return 0;
    }
    if (ctx != CTX_WILL && ctx != MQTT_CONNECT) {
        out[n++] = (uint8_t)plen;
        memcpy(out + n, props, plen);
        n += plen;
        if (ctx == MQTT_SUBSCRIBE)
            n += put_bytes(out + n, "\0\1t\0", 4);
        else if (ctx == MQTT_UNSUBSCRIBE)
            n += put_bytes(out + n, "\0\1t", 3);
        else if (ctx == MQTT_SUBACK || ctx == MQTT_UNSUBACK)
            out[n++] = 0;
    }
    out[1] = (uint8_t)(n - 2);
    return n;
}

/* An AUTH needs a method, and CONNECT Authentication Data needs one too. */
static size_t base_props(int ctx, uint8_t id, uint8_t *out)
{
    if ((ctx == MQTT_AUTH && id != 0x15) || (ctx == MQTT_CONNECT && id == 0x16))
        return put_bytes(out, "\x15\0\1m", 4);
    return 0;
}

/* The packet's spans point into a static buffer: valid until next call. */
static int decode_in_ctx(int ctx, const uint8_t *props, size_t plen,
                         struct mqtt_packet *pkt)
{
    static uint8_t buf[256];
    size_t n = build_packet(ctx, props, plen, buf);
    int rc = mqtt_decode_packet(buf, n, MQTT_V5, pkt);

    if (rc > 0)
        assert_int_equal((size_t)rc, n);
    return rc;
}

static void test_props_type_table(void **state)
{
    uint32_t id;
    size_t i;

    (void)state;
    for (id = 0; id < 0x200; id++) {
        enum mqtt_prop_type want = (enum mqtt_prop_type)0;

        for (i = 0; i < PROP_SPEC_COUNT; i++) {
            if (prop_specs[i].id == id)
                want = prop_specs[i].type;
        }
        assert_int_equal(mqtt_property_type(id), want);
    }
}

/* Every property in every packet: accepted exactly where table 2-4 lists
 * it, MQTT_ERR_BAD_PROPERTY elsewhere. */
static void test_props_placement_matrix(void **state)
{
    struct mqtt_packet pkt;
    size_t i;
    int ctx;

    (void)state;
    for (i = 0; i < PROP_SPEC_COUNT; i++) {
        for (ctx = 0; ctx < CTX_COUNT; ctx++) {
            uint8_t props[64];
            size_t n;
            int rc;

            if (ctx == MQTT_PINGREQ || ctx == MQTT_PINGRESP)
                continue;
            n = base_props(ctx, prop_specs[i].id, props);
            n += put_prop(props + n, prop_specs[i].id, prop_specs[i].type);
            rc = decode_in_ctx(ctx, props, n, &pkt);
            if (spec_allows(&prop_specs[i], ctx)) {
                if (rc <= 0)
                    fail_msg("property 0x%02x refused in %s: %d",
                             prop_specs[i].id, ctx_names[ctx], rc);
            } else if (rc != MQTT_ERR_BAD_PROPERTY) {
                fail_msg("property 0x%02x in %s: %d", prop_specs[i].id,
                         ctx_names[ctx], rc);
            }
        }
    }
}

/* Only User Property, and Subscription Identifier in PUBLISH, repeat. */
static void test_props_duplicates(void **state)
{
    struct mqtt_packet pkt;
    size_t i;
    int ctx;

    (void)state;
    for (i = 0; i < PROP_SPEC_COUNT; i++) {
        for (ctx = 0; ctx < CTX_COUNT; ctx++) {
            uint8_t props[64];
            size_t n;
            int rc, multi;

            if (!spec_allows(&prop_specs[i], ctx))
                continue;
            n = base_props(ctx, prop_specs[i].id, props);
            n += put_prop(props + n, prop_specs[i].id, prop_specs[i].type);
            n += put_prop(props + n, prop_specs[i].id, prop_specs[i].type);
            rc = decode_in_ctx(ctx, props, n, &pkt);
            multi = prop_specs[i].id == MQTT_PROP_USER_PROPERTY ||
                    (prop_specs[i].id == MQTT_PROP_SUBSCRIPTION_IDENTIFIER &&
                     ctx == MQTT_PUBLISH);
            if (multi ? rc <= 0 : rc != MQTT_ERR_DUP_PROPERTY)
                fail_msg("property 0x%02x twice in %s: %d", prop_specs[i].id,
                         ctx_names[ctx], rc);
        }
    }
}

static int decode_one(int ctx, const char *props, size_t n)
{
    struct mqtt_packet pkt;

    return decode_in_ctx(ctx, (const uint8_t *)props, n, &pkt);
}

static void test_props_value_rules(void **state)
{
    static const uint8_t bool_ids[] = {0x17, 0x19};
    static const uint8_t cack_bool_ids[] = {0x24, 0x25, 0x28, 0x29, 0x2A};
    uint8_t p[2];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bool_ids); i++) {
        p[0] = bool_ids[i];
        p[1] = 2;
        assert_int_equal(
            decode_in_ctx(MQTT_CONNECT, p, 2, &(struct mqtt_packet){0}),
            MQTT_ERR_BAD_PROPERTY);
        p[1] = 0;
        assert_true(
            decode_in_ctx(MQTT_CONNECT, p, 2, &(struct mqtt_packet){0}) > 0);
    }
    for (i = 0; i < sizeof(cack_bool_ids); i++) {
        p[0] = cack_bool_ids[i];
        p[1] = 2;
        assert_int_equal(
            decode_in_ctx(MQTT_CONNACK, p, 2, &(struct mqtt_packet){0}),
            MQTT_ERR_BAD_PROPERTY);
    }
    /* Payload Format Indicator: 0 or 1 (5.0 section 3.3.2.3.2). */
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x01\x02", 2),
                     MQTT_ERR_BAD_PROPERTY);
    assert_true(decode_one(MQTT_PUBLISH, "\x01\x00", 2) > 0);
    /* Zero is forbidden for these. */
    assert_int_equal(decode_one(MQTT_CONNECT, "\x21\0\0", 3),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_CONNECT, "\x27\0\0\0\0", 5),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x23\0\0", 3),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_SUBSCRIBE, "\x0B\x00", 2),
                     MQTT_ERR_BAD_PROPERTY);
    /* Topic Alias Maximum and Server Keep Alive may be 0. */
    assert_true(decode_one(MQTT_CONNECT, "\x22\0\0", 3) > 0);
    assert_true(decode_one(MQTT_CONNACK, "\x13\0\0", 3) > 0);
    /* Subscription Identifier: largest value, and non-minimal encoding. */
    assert_true(decode_one(MQTT_PUBLISH, "\x0B\xFF\xFF\xFF\x7F", 5) > 0);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x0B\x81\x00", 3),
                     MQTT_ERR_BAD_LENGTH);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x0B\xFF\xFF\xFF\xFF", 5),
                     MQTT_ERR_BAD_LENGTH);
    /* Response Topic is a Topic Name [MQTT-3.3.2-14]. */
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x08\0\3a/+", 6),
                     MQTT_ERR_BAD_TOPIC);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x08\0\0", 3),
                     MQTT_ERR_BAD_TOPIC);
    /* UTF-8 strings and both halves of a pair are checked. */
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x03\0\2\xC0\x80", 5),
                     MQTT_ERR_BAD_UTF8);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x26\0\1\0\0\1v", 7),
                     MQTT_ERR_BAD_UTF8);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x26\0\1k\0\1\xFF", 7),
                     MQTT_ERR_BAD_UTF8);
    /* Binary data is not UTF-8 checked. */
    assert_true(decode_one(MQTT_PUBLISH, "\x09\0\2\xC0\x00", 5) > 0);
    /* Unknown identifiers, including a multi-byte one. */
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x00", 1),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x04\0", 2),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x2B\0", 2),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x81\x00", 2),
                     MQTT_ERR_BAD_PROPERTY);
    /* A value running past the block. */
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x02\0\0", 3),
                     MQTT_ERR_MALFORMED);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x03\0\5ab", 5),
                     MQTT_ERR_MALFORMED);
    assert_int_equal(decode_one(MQTT_PUBLISH, "\x26\0\1k", 4),
                     MQTT_ERR_MALFORMED);
}

/* 5.0 section 3.1.2.11.10 and 3.15.2.2.2. */
static void test_props_authentication_rules(void **state)
{
    (void)state;
    assert_int_equal(decode_one(MQTT_CONNECT, "\x16\0\1d", 4),
                     MQTT_ERR_BAD_PROPERTY);
    assert_true(decode_one(MQTT_CONNECT, "\x15\0\1m\x16\0\1d", 8) > 0);
    assert_true(decode_one(MQTT_CONNECT, "\x16\0\1d\x15\0\1m", 8) > 0);
    assert_int_equal(decode_one(MQTT_AUTH, "\x1F\0\1r", 4),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(decode_one(MQTT_AUTH, "", 0), MQTT_ERR_BAD_PROPERTY);
}

static void test_props_iterate_connack(void **state)
{
    /* Properties in wire order with the values the iterator must give. */
    static const struct {
        uint8_t id;
        uint32_t value;
        const char *data;
    } want[] = {
        {0x22, 10, NULL}, {0x12, 0, "abc"}, {0x24, 1, NULL},
        {0x25, 0, NULL},  {0x13, 30, NULL}, {0x26, 0, "k"},
    };
    uint8_t props[64];
    struct mqtt_packet pkt;
    struct mqtt_prop_iter it;
    struct mqtt_property p;
    size_t n = 0, i = 0;

    (void)state;
    n += put_bytes(props + n, "\x22\0\x0A", 3);
    n += put_bytes(props + n, "\x12\0\3abc", 6);
    n += put_bytes(props + n, "\x24\1\x25\0\x13\0\x1E", 7);
    n += put_bytes(props + n, "\x26\0\1k\0\2vv", 8);
    assert_true(decode_in_ctx(MQTT_CONNACK, props, n, &pkt) > 0);
    assert_int_equal(pkt.props.raw.len, n);
    assert_int_equal(pkt.props.topic_alias_maximum, 10);
    assert_int_equal(pkt.props.maximum_qos, 1);
    assert_int_equal(pkt.props.server_keep_alive, 30);
    assert_int_equal(pkt.props.user_property_count, 1);
    assert_int_equal(pkt.props.assigned_client_identifier.len, 3);
    assert_memory_equal(pkt.props.assigned_client_identifier.ptr, "abc", 3);
    assert_true(MQTT_PROP_PRESENT(&pkt.props, MQTT_PROP_RETAIN_AVAILABLE));
    assert_false(MQTT_PROP_PRESENT(&pkt.props, MQTT_PROP_MAXIMUM_PACKET_SIZE));

    mqtt_prop_iter_init(&it, &pkt.props);
    while (mqtt_property_next(&it, &p) == 1) {
        assert_true(i < 6);
        assert_int_equal(p.id, want[i].id);
        assert_int_equal(p.type, mqtt_property_type(want[i].id));
        if (want[i].data != NULL) {
            assert_int_equal(p.data.len, strlen(want[i].data));
            assert_memory_equal(p.data.ptr, want[i].data, p.data.len);
        } else {
            assert_int_equal(p.value, want[i].value);
        }
        /* Spans stay inside the block. */
        assert_true(
            p.data.ptr == NULL ||
            (p.data.ptr >= pkt.props.raw.ptr &&
             p.data.ptr + p.data.len <= pkt.props.raw.ptr + pkt.props.raw.len));
        i++;
    }
    assert_int_equal(i, 6);
    assert_int_equal(p.data2.len, 2);
    assert_memory_equal(p.data2.ptr, "vv", 2);
    assert_int_equal(mqtt_property_next(&it, &p), 0);
}

static void test_props_iterator_stops_on_error(void **state)
{
    static const uint8_t raw[] = {0x24, 0x01, 0x24, 0x05, 0x01};
    struct mqtt_props props;
    struct mqtt_prop_iter it;
    struct mqtt_property p;

    (void)state;
    memset(&props, 0, sizeof(props));
    props.raw.ptr = raw;
    props.raw.len = sizeof(raw);
    mqtt_prop_iter_init(&it, &props);
    assert_int_equal(mqtt_property_next(&it, &p), 1);
    assert_int_equal(mqtt_property_next(&it, &p), MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(mqtt_property_next(&it, &p), MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(mqtt_property_next(NULL, &p), MQTT_ERR_ARG);
}

static void test_props_builder(void **state)
{
    static const uint8_t want[] = {
        0x11, 0x00, 0x00, 0x00, 0x0A,            /* session expiry 10 */
        0x21, 0x00, 0x14,                        /* receive maximum 20 */
        0x17, 0x01,                              /* request problem 1 */
        0x0B, 0x80, 0x01,                        /* subscription id 128 */
        0x15, 0x00, 0x03, 'T',  'O',  'K',       /* auth method */
        0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v', /* user k=v */
    };
    uint8_t buf[64];
    struct mqtt_builder b;
    struct mqtt_span s;

    (void)state;
    mqtt_builder_init(&b, buf, sizeof(buf));
    s = mqtt_builder_span(&b);
    assert_null(s.ptr);
    assert_int_equal(
        mqtt_props_add_int(&b, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 10), 0);
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 20), 0);
    assert_int_equal(
        mqtt_props_add_int(&b, MQTT_PROP_REQUEST_PROBLEM_INFORMATION, 1), 0);
    assert_int_equal(
        mqtt_props_add_int(&b, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 128), 0);
    assert_int_equal(mqtt_props_add_data(&b, MQTT_PROP_AUTHENTICATION_METHOD,
                                         (const uint8_t *)"TOK", 3),
                     0);
    assert_int_equal(mqtt_props_add_user(&b, (const uint8_t *)"k", 1,
                                         (const uint8_t *)"v", 1),
                     0);
    s = mqtt_builder_span(&b);
    assert_int_equal(s.len, sizeof(want));
    assert_memory_equal(s.ptr, want, sizeof(want));

    /* Refusals leave the block as it was. */
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_CONTENT_TYPE, 1),
                     MQTT_ERR_ARG);
    assert_int_equal(mqtt_props_add_int(&b, (enum mqtt_prop_id)0x04, 1),
                     MQTT_ERR_ARG);
    assert_int_equal(mqtt_props_add_data(&b, MQTT_PROP_RECEIVE_MAXIMUM,
                                         (const uint8_t *)"x", 1),
                     MQTT_ERR_ARG);
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_MAXIMUM_QOS, 256),
                     MQTT_ERR_TOO_LARGE);
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_TOPIC_ALIAS, 65536),
                     MQTT_ERR_TOO_LARGE);
    assert_int_equal(
        mqtt_props_add_int(&b, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 268435456u),
        MQTT_ERR_TOO_LARGE);
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 0),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(mqtt_props_add_int(&b, MQTT_PROP_MAXIMUM_QOS, 2),
                     MQTT_ERR_BAD_PROPERTY);
    assert_int_equal(mqtt_props_add_data(&b, MQTT_PROP_REASON_STRING,
                                         (const uint8_t *)"\xC0\x80", 2),
                     MQTT_ERR_BAD_UTF8);
    assert_int_equal(mqtt_props_add_data(&b, MQTT_PROP_RESPONSE_TOPIC,
                                         (const uint8_t *)"a/#", 3),
                     MQTT_ERR_BAD_TOPIC);
    assert_int_equal(
        mqtt_props_add_data(&b, MQTT_PROP_CORRELATION_DATA, NULL, 1),
        MQTT_ERR_ARG);
    assert_int_equal(mqtt_props_add_user(&b, (const uint8_t *)"k", 1,
                                         (const uint8_t *)"\0", 1),
                     MQTT_ERR_BAD_UTF8);
    assert_int_equal(
        mqtt_props_add_data(&b, MQTT_PROP_CORRELATION_DATA, buf, 0x10000),
        MQTT_ERR_TOO_LARGE);
    assert_int_equal(b.len, sizeof(want));
    while (b.len + 5 <= sizeof(buf))
        assert_int_equal(
            mqtt_props_add_int(&b, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 1), 0);
    s = mqtt_builder_span(&b);
    assert_int_equal(
        mqtt_props_add_int(&b, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 1),
        MQTT_ERR_NO_SPACE);
    assert_int_equal(b.len, s.len);
    assert_int_equal(mqtt_props_add_int(NULL, MQTT_PROP_MAXIMUM_QOS, 1),
                     MQTT_ERR_ARG);
}

static void test_props_builder_lists(void **state)
{
    /* 3.1.1 section 3.8.3.1 and 3.10.3.1 payload examples. */
    static const uint8_t sub[] = {0x00, 0x03, 'a', '/', 'b', 0x01,
                                  0x00, 0x03, 'c', '/', 'd', 0x02};
    static const uint8_t unsub[] = {0x00, 0x03, 'a', '/', 'b',
                                    0x00, 0x03, 'c', '/', 'd'};
    uint8_t buf[16];
    struct mqtt_builder b;

    (void)state;
    mqtt_builder_init(&b, buf, sizeof(buf));
    assert_int_equal(
        mqtt_list_add_subscription(&b, (const uint8_t *)"a/b", 3, 1), 0);
    assert_int_equal(
        mqtt_list_add_subscription(&b, (const uint8_t *)"c/d", 3, 2), 0);
    assert_int_equal(b.len, sizeof(sub));
    assert_memory_equal(buf, sub, sizeof(sub));
    assert_int_equal(
        mqtt_list_add_subscription(&b, (const uint8_t *)"ef", 2, 0),
        MQTT_ERR_NO_SPACE);
    assert_int_equal(b.len, sizeof(sub));

    mqtt_builder_init(&b, buf, sizeof(buf));
    assert_int_equal(mqtt_list_add_filter(&b, (const uint8_t *)"a/b", 3), 0);
    assert_int_equal(mqtt_list_add_filter(&b, (const uint8_t *)"c/d", 3), 0);
    assert_int_equal(b.len, sizeof(unsub));
    assert_memory_equal(buf, unsub, sizeof(unsub));
    assert_int_equal(mqtt_list_add_filter(&b, NULL, 1), MQTT_ERR_ARG);
    assert_int_equal(mqtt_list_add_filter(&b, buf, 0x10000),
                     MQTT_ERR_TOO_LARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_props_type_table),
        cmocka_unit_test(test_props_placement_matrix),
        cmocka_unit_test(test_props_duplicates),
        cmocka_unit_test(test_props_value_rules),
        cmocka_unit_test(test_props_authentication_rules),
        cmocka_unit_test(test_props_iterate_connack),
        cmocka_unit_test(test_props_iterator_stops_on_error),
        cmocka_unit_test(test_props_builder),
        cmocka_unit_test(test_props_builder_lists),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
