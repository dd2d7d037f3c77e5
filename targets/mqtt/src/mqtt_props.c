/* MQTT 5.0 properties: table, iterator, validation in context, builder. */
#include <string.h>

#include "mqtt_internal.h"

#define MQTT_AT(t) (1u << (t))

/* Value type and the packets a property may appear in (5.0 section
 * 2.2.2.2, table 2-4). Identifiers not listed are reserved. */
struct mqtt_prop_def {
    uint8_t type;
    uint16_t where; /* bit t: packet type t; bit MQTT_CTX_WILL: Will */
};

#define T_BYTE   MQTT_PROP_TYPE_BYTE
#define T_U16    MQTT_PROP_TYPE_U16
#define T_U32    MQTT_PROP_TYPE_U32
#define T_VARINT MQTT_PROP_TYPE_VARINT
#define T_UTF8   MQTT_PROP_TYPE_UTF8
#define T_BIN    MQTT_PROP_TYPE_BINARY
#define T_PAIR   MQTT_PROP_TYPE_PAIR
#define W_WILL   MQTT_AT(MQTT_CTX_WILL)
#define W_CONN   MQTT_AT(MQTT_CONNECT)
#define W_CACK   MQTT_AT(MQTT_CONNACK)
#define W_PUB    MQTT_AT(MQTT_PUBLISH)
#define W_PACKS                                                                \
    (MQTT_AT(MQTT_PUBACK) | MQTT_AT(MQTT_PUBREC) | MQTT_AT(MQTT_PUBREL) |      \
     MQTT_AT(MQTT_PUBCOMP))
#define W_SUB   MQTT_AT(MQTT_SUBSCRIBE)
#define W_SACK  MQTT_AT(MQTT_SUBACK)
#define W_UNSUB MQTT_AT(MQTT_UNSUBSCRIBE)
#define W_UACK  MQTT_AT(MQTT_UNSUBACK)
#define W_DISC  MQTT_AT(MQTT_DISCONNECT)
#define W_AUTH  MQTT_AT(MQTT_AUTH)

// clang-format off
static const struct mqtt_prop_def mqtt_prop_defs[MQTT_PROP_ID_MAX + 1] = {
    [0x01] = {T_BYTE,   W_PUB | W_WILL},              /* Payload Format Ind. */
    [0x02] = {T_U32,    W_PUB | W_WILL},              /* Message Expiry */
    [0x03] = {T_UTF8,   W_PUB | W_WILL},              /* Content Type */
    [0x08] = {T_UTF8,   W_PUB | W_WILL},              /* Response Topic */
    [0x09] = {T_BIN,    W_PUB | W_WILL},              /* Correlation Data */
    [0x0B] = {T_VARINT, W_PUB | W_SUB},               /* Subscription Id */
    [0x11] = {T_U32,    W_CONN | W_CACK | W_DISC},    /* Session Expiry */
    [0x12] = {T_UTF8,   W_CACK},                      /* Assigned Client Id */
    [0x13] = {T_U16,    W_CACK},                      /* Server Keep Alive */
    [0x15] = {T_UTF8,   W_CONN | W_CACK | W_AUTH},    /* Auth Method */
    [0x16] = {T_BIN,    W_CONN | W_CACK | W_AUTH},    /* Auth Data */
    [0x17] = {T_BYTE,   W_CONN},                      /* Req. Problem Info */
    [0x18] = {T_U32,    W_WILL},                      /* Will Delay Interval */
    [0x19] = {T_BYTE,   W_CONN},                      /* Req. Response Info */
    [0x1A] = {T_UTF8,   W_CACK},                      /* Response Information */
    [0x1C] = {T_UTF8,   W_CACK | W_DISC},             /* Server Reference */
    [0x1F] = {T_UTF8,   W_CACK | W_PACKS | W_SACK |
                        W_UACK | W_DISC | W_AUTH},    /* Reason String */
    [0x21] = {T_U16,    W_CONN | W_CACK},             /* Receive Maximum */
    [0x22] = {T_U16,    W_CONN | W_CACK},             /* Topic Alias Maximum */
    [0x23] = {T_U16,    W_PUB},                       /* Topic Alias */
    [0x24] = {T_BYTE,   W_CACK},                      /* Maximum QoS */
    [0x25] = {T_BYTE,   W_CACK},                      /* Retain Available */
    [0x26] = {T_PAIR,   W_CONN | W_CACK | W_PUB | W_WILL | W_PACKS |
                        W_SUB | W_SACK | W_UNSUB | W_UACK | W_DISC |
                        W_AUTH},                      /* User Property */
    [0x27] = {T_U32,    W_CONN | W_CACK},             /* Maximum Packet Size */
    [0x28] = {T_BYTE,   W_CACK},                      /* Wildcard Sub. Avail. */
    [0x29] = {T_BYTE,   W_CACK},                      /* Sub. Id Available */
    [0x2A] = {T_BYTE,   W_CACK},                      /* Shared Sub. Avail. */
};
// clang-format on

#undef T_BYTE
#undef T_U16
#undef T_U32
#undef T_VARINT
#undef T_UTF8
#undef T_BIN
#undef T_PAIR
#undef W_WILL
#undef W_CONN
#undef W_CACK
#undef W_PUB
#undef W_PACKS
#undef W_SUB
#undef W_SACK
#undef W_UNSUB
#undef W_UACK
#undef W_DISC
#undef W_AUTH

enum mqtt_prop_type mqtt_property_type(uint32_t id)
{
    if (id > MQTT_PROP_ID_MAX)
        return (enum mqtt_prop_type)0;
    return (enum mqtt_prop_type)mqtt_prop_defs[id].type;
}

/* Value rules that hold wherever the property appears. */
static int mqtt_prop_value_check(const struct mqtt_property *p)
{
    int rc;

    switch (p->id) {
    case MQTT_PROP_PAYLOAD_FORMAT_INDICATOR: /* 0 bytes, 1 UTF-8 */
    case MQTT_PROP_REQUEST_PROBLEM_INFORMATION:
    case MQTT_PROP_REQUEST_RESPONSE_INFORMATION:
    case MQTT_PROP_MAXIMUM_QOS:
    case MQTT_PROP_RETAIN_AVAILABLE:
    case MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE:
    case MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE:
    case MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE:
        return p->value <= 1 ? 0 : MQTT_ERR_BAD_PROPERTY;
    case MQTT_PROP_SUBSCRIPTION_IDENTIFIER:
    case MQTT_PROP_RECEIVE_MAXIMUM:
    case MQTT_PROP_TOPIC_ALIAS:
    case MQTT_PROP_MAXIMUM_PACKET_SIZE:
        return p->value != 0 ? 0 : MQTT_ERR_BAD_PROPERTY;
    case MQTT_PROP_RESPONSE_TOPIC:
        return mqtt_topic_name_check(p->data.ptr, p->data.len);
    default:
        break;
    }
    if (p->type == MQTT_PROP_TYPE_UTF8 || p->type == MQTT_PROP_TYPE_PAIR) {
        rc = mqtt_utf8_check(p->data.ptr, p->data.len);
        if (rc < 0)
            return rc;
    }
    if (p->type == MQTT_PROP_TYPE_PAIR)
        return mqtt_utf8_check(p->data2.ptr, p->data2.len);
    return 0;
}

void mqtt_prop_iter_init(struct mqtt_prop_iter *it,
                         const struct mqtt_props *props)
{
    it->ptr = props->raw.ptr;
    it->len = props->raw.ptr != NULL ? props->raw.len : 0;
    it->off = 0;
}

int mqtt_property_next(struct mqtt_prop_iter *it, struct mqtt_property *prop)
{
    struct mqtt_reader r;
    uint8_t id, b = 0;
    uint16_t u16 = 0;
    int rc;

    if (it == NULL || prop == NULL)
        return MQTT_ERR_ARG;
    if (it->off >= it->len)
        return 0;
    r.ptr = it->ptr + it->off;
    r.len = it->len - it->off;
    r.off = 0;
    memset(prop, 0, sizeof(*prop));
    /* The identifier is a Variable Byte Integer, but every defined one fits
     * in a single byte (5.0 section 2.2.2.2): a continuation bit means an
     * unknown property. */
    rc = mqtt_rd_u8(&r, &id);
    if (rc < 0)
        return rc;
    if (id > MQTT_PROP_ID_MAX || mqtt_prop_defs[id].type == 0)
        return MQTT_ERR_BAD_PROPERTY;
    prop->id = (enum mqtt_prop_id)id;
    prop->type = (enum mqtt_prop_type)mqtt_prop_defs[id].type;
    switch (prop->type) {
    case MQTT_PROP_TYPE_BYTE:
        rc = mqtt_rd_u8(&r, &b);
        prop->value = b;
        break;
    case MQTT_PROP_TYPE_U16:
        rc = mqtt_rd_u16(&r, &u16);
        prop->value = u16;
        break;
    case MQTT_PROP_TYPE_U32:
        rc = mqtt_rd_u32(&r, &prop->value);
        break;
    case MQTT_PROP_TYPE_VARINT:
        rc = mqtt_rd_varint(&r, &prop->value);
        break;
    case MQTT_PROP_TYPE_UTF8:
    case MQTT_PROP_TYPE_BINARY:
        rc = mqtt_rd_lenbytes(&r, &prop->data);
        break;
    case MQTT_PROP_TYPE_PAIR:
        rc = mqtt_rd_lenbytes(&r, &prop->data);
        if (rc == 0)
            rc = mqtt_rd_lenbytes(&r, &prop->data2);
        break;
    default:
        rc = MQTT_ERR_BAD_PROPERTY;
        break;
    }
    if (rc < 0)
        return rc;
    rc = mqtt_prop_value_check(prop);
    if (rc < 0)
        return rc;
    it->off += r.off;
    return 1;
}

/* Copies the value of a property that may occur once into its field. */
static void mqtt_props_store(struct mqtt_props *out,
                             const struct mqtt_property *p)
{
    switch (p->id) {
    case MQTT_PROP_PAYLOAD_FORMAT_INDICATOR:
        out->payload_format_indicator = (uint8_t)p->value;
        break;
    case MQTT_PROP_MESSAGE_EXPIRY_INTERVAL:
        out->message_expiry_interval = p->value;
        break;
    case MQTT_PROP_CONTENT_TYPE:
        out->content_type = p->data;
        break;
    case MQTT_PROP_RESPONSE_TOPIC:
        out->response_topic = p->data;
        break;
    case MQTT_PROP_CORRELATION_DATA:
        out->correlation_data = p->data;
        break;
    case MQTT_PROP_SUBSCRIPTION_IDENTIFIER:
        if (out->subscription_id_count == 0)
            out->subscription_id = p->value;
        out->subscription_id_count++;
        break;
    case MQTT_PROP_SESSION_EXPIRY_INTERVAL:
        out->session_expiry_interval = p->value;
        break;
    case MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER:
        out->assigned_client_identifier = p->data;
        break;
    case MQTT_PROP_SERVER_KEEP_ALIVE:
        out->server_keep_alive = (uint16_t)p->value;
        break;
    case MQTT_PROP_AUTHENTICATION_METHOD:
        out->authentication_method = p->data;
        break;
    case MQTT_PROP_AUTHENTICATION_DATA:
        out->authentication_data = p->data;
        break;
    case MQTT_PROP_REQUEST_PROBLEM_INFORMATION:
        out->request_problem_information = (uint8_t)p->value;
        break;
    case MQTT_PROP_WILL_DELAY_INTERVAL:
        out->will_delay_interval = p->value;
        break;
    case MQTT_PROP_REQUEST_RESPONSE_INFORMATION:
        out->request_response_information = (uint8_t)p->value;
        break;
    case MQTT_PROP_RESPONSE_INFORMATION:
        out->response_information = p->data;
        break;
    case MQTT_PROP_SERVER_REFERENCE:
        out->server_reference = p->data;
        break;
    case MQTT_PROP_REASON_STRING:
        out->reason_string = p->data;
        break;
    case MQTT_PROP_RECEIVE_MAXIMUM:
        out->receive_maximum = (uint16_t)p->value;
        break;
    case MQTT_PROP_TOPIC_ALIAS_MAXIMUM:
        out->topic_alias_maximum = (uint16_t)p->value;
        break;
    case MQTT_PROP_TOPIC_ALIAS:
        out->topic_alias = (uint16_t)p->value;
        break;
    case MQTT_PROP_MAXIMUM_QOS:
        out->maximum_qos = (uint8_t)p->value;
        break;
    case MQTT_PROP_RETAIN_AVAILABLE:
        out->retain_available = (uint8_t)p->value;
        break;
    case MQTT_PROP_USER_PROPERTY:
        out->user_property_count++;
        break;
    case MQTT_PROP_MAXIMUM_PACKET_SIZE:
        out->maximum_packet_size = p->value;
        break;
    case MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE:
        out->wildcard_subscription_available = (uint8_t)p->value;
        break;
    case MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE:
        out->subscription_identifier_available = (uint8_t)p->value;
        break;
    case MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE:
        out->shared_subscription_available = (uint8_t)p->value;
        break;
    }
}

int mqtt_props_validate(struct mqtt_span raw, unsigned ctx,
                        struct mqtt_props *out)
{
    struct mqtt_prop_iter it;
    struct mqtt_property p;
    int rc;

    memset(out, 0, sizeof(*out));
    if (raw.ptr == NULL && raw.len > 0)
        return MQTT_ERR_ARG;
    out->raw = raw;
    mqtt_prop_iter_init(&it, out);
    while ((rc = mqtt_property_next(&it, &p)) == 1) {
        uint64_t bit = (uint64_t)1 << p.id;
        /* User Property may repeat anywhere; Subscription Identifier in
         * PUBLISH, one per matching subscription (5.0 section 3.3.4). */
        int multi =
            p.id == MQTT_PROP_USER_PROPERTY ||
            (p.id == MQTT_PROP_SUBSCRIPTION_IDENTIFIER && ctx == MQTT_PUBLISH);

        if ((mqtt_prop_defs[p.id].where & MQTT_AT(ctx)) == 0)
            return MQTT_ERR_BAD_PROPERTY;
        if (!multi && (out->present & bit) != 0)
            return MQTT_ERR_DUP_PROPERTY;
        out->present |= bit;
        mqtt_props_store(out, &p);
    }
    if (rc < 0)
        return rc;
    /* 5.0 section 3.1.2.11.10: no Authentication Data without a method. */
    if (ctx == MQTT_CONNECT &&
        MQTT_PROP_PRESENT(out, MQTT_PROP_AUTHENTICATION_DATA) &&
        !MQTT_PROP_PRESENT(out, MQTT_PROP_AUTHENTICATION_METHOD))
        return MQTT_ERR_BAD_PROPERTY;
    return 0;
}

int mqtt_props_read(struct mqtt_reader *r, unsigned ctx, struct mqtt_props *out)
{
    struct mqtt_span raw;
    uint32_t n;
    int rc;

    rc = mqtt_rd_varint(r, &n);
    if (rc < 0)
        return rc;
    if (mqtt_rd_left(r) < n)
        return MQTT_ERR_MALFORMED;
    raw.ptr = r->ptr + r->off;
    raw.len = n;
    r->off += n;
    return mqtt_props_validate(raw, ctx, out);
}

void mqtt_builder_init(struct mqtt_builder *b, uint8_t *buf, size_t cap)
{
    b->buf = buf;
    b->cap = buf != NULL ? cap : 0;
    b->len = 0;
}

struct mqtt_span mqtt_builder_span(const struct mqtt_builder *b)
{
    struct mqtt_span s;

    s.ptr = b->len > 0 ? b->buf : NULL;
    s.len = b->len;
    return s;
}

/* Checks the property just written at buf[len..len+n) and commits it. */
static int mqtt_builder_commit_prop(struct mqtt_builder *b, size_t n)
{
    struct mqtt_prop_iter it;
    struct mqtt_property p;
    int rc;

    it.ptr = b->buf + b->len;
    it.len = n;
    it.off = 0;
    rc = mqtt_property_next(&it, &p);
    if (rc < 0)
        return rc;
    if (rc != 1 || it.off != n)
        return MQTT_ERR_ARG;
    b->len += n;
    return 0;
}

static void mqtt_put_u16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

int mqtt_props_add_int(struct mqtt_builder *b, enum mqtt_prop_id id,
                       uint32_t value)
{
    uint8_t tmp[5];
    size_t n = 1;
    int rc;

    if (b == NULL)
        return MQTT_ERR_ARG;
    tmp[0] = (uint8_t)id;
    switch (mqtt_property_type((uint32_t)id)) {
    case MQTT_PROP_TYPE_BYTE:
        if (value > 0xFF)
            return MQTT_ERR_TOO_LARGE;
        tmp[n++] = (uint8_t)value;
        break;
    case MQTT_PROP_TYPE_U16:
        if (value > 0xFFFF)
            return MQTT_ERR_TOO_LARGE;
        mqtt_put_u16(tmp + n, value);
        n += 2;
        break;
    case MQTT_PROP_TYPE_U32:
        tmp[n++] = (uint8_t)(value >> 24);
        tmp[n++] = (uint8_t)(value >> 16);
        tmp[n++] = (uint8_t)(value >> 8);
        tmp[n++] = (uint8_t)value;
        break;
    case MQTT_PROP_TYPE_VARINT:
        rc = mqtt_varint_encode(value, tmp + n, sizeof(tmp) - n);
        if (rc < 0)
            return rc;
        n += (size_t)rc;
        break;
    default:
        return MQTT_ERR_ARG;
    }
    if (b->cap - b->len < n)
        return MQTT_ERR_NO_SPACE;
    memcpy(b->buf + b->len, tmp, n);
    return mqtt_builder_commit_prop(b, n);
}

/* Writes "len16 data" at p. */
static size_t mqtt_put_lenbytes(uint8_t *p, const uint8_t *data, size_t len)
{
    mqtt_put_u16(p, len);
    if (len > 0)
        memcpy(p + 2, data, len);
    return 2 + len;
}

int mqtt_props_add_data(struct mqtt_builder *b, enum mqtt_prop_id id,
                        const uint8_t *data, size_t len)
{
    enum mqtt_prop_type t = mqtt_property_type((uint32_t)id);
    uint8_t *p;

    if (b == NULL || (data == NULL && len > 0))
        return MQTT_ERR_ARG;
    if (t != MQTT_PROP_TYPE_UTF8 && t != MQTT_PROP_TYPE_BINARY)
        return MQTT_ERR_ARG;
    if (len > 0xFFFF)
        return MQTT_ERR_TOO_LARGE;
    if (b->cap - b->len < 3 + len)
        return MQTT_ERR_NO_SPACE;
    p = b->buf + b->len;
    p[0] = (uint8_t)id;
    mqtt_put_lenbytes(p + 1, data, len);
    return mqtt_builder_commit_prop(b, 3 + len);
}

int mqtt_props_add_user(struct mqtt_builder *b, const uint8_t *name,
                        size_t name_len, const uint8_t *value, size_t value_len)
{
    uint8_t *p;
    size_t n;

    if (b == NULL || (name == NULL && name_len > 0) ||
        (value == NULL && value_len > 0))
        return MQTT_ERR_ARG;
    if (name_len > 0xFFFF || value_len > 0xFFFF)
        return MQTT_ERR_TOO_LARGE;
    n = 5 + name_len + value_len;
    if (b->cap - b->len < n)
        return MQTT_ERR_NO_SPACE;
    p = b->buf + b->len;
    p[0] = MQTT_PROP_USER_PROPERTY;
    p += 1;
    p += mqtt_put_lenbytes(p, name, name_len);
    mqtt_put_lenbytes(p, value, value_len);
    return mqtt_builder_commit_prop(b, n);
}

static int mqtt_list_add(struct mqtt_builder *b, const uint8_t *filter,
                         size_t len, int with_options, uint8_t options)
{
    size_t n;

    if (b == NULL || (filter == NULL && len > 0))
        return MQTT_ERR_ARG;
    if (len > 0xFFFF)
        return MQTT_ERR_TOO_LARGE;
    n = 2 + len + (with_options ? 1 : 0);
    if (b->cap - b->len < n)
        return MQTT_ERR_NO_SPACE;
    mqtt_put_lenbytes(b->buf + b->len, filter, len);
    if (with_options)
        b->buf[b->len + 2 + len] = options;
    b->len += n;
    return 0;
}

int mqtt_list_add_subscription(struct mqtt_builder *b, const uint8_t *filter,
                               size_t len, uint8_t options)
{
    return mqtt_list_add(b, filter, len, 1, options);
}

int mqtt_list_add_filter(struct mqtt_builder *b, const uint8_t *filter,
                         size_t len)
{
    return mqtt_list_add(b, filter, len, 0, 0);
}
