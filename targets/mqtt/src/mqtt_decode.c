/* MQTT packet decoder: one packet from a buffer, spans into that buffer. */
#include <limits.h>
#include <string.h>

#include "mqtt_internal.h"

/* The byte count of the longest packet is returned as an int. */
_Static_assert(INT_MAX >= MQTT_MAX_PACKET_SIZE, "int too small");

#define MQTT_PROTOCOL_NAME     "MQTT"
#define MQTT_PROTOCOL_NAME_LEN 4u

/* Connect Flags (section 3.1.2.3). */
#define MQTT_CF_RESERVED 0x01
#define MQTT_CF_CLEAN    0x02
#define MQTT_CF_WILL     0x04
#define MQTT_CF_WILL_QOS 0x18
#define MQTT_CF_WILL_RET 0x20
#define MQTT_CF_PASSWORD 0x40
#define MQTT_CF_USERNAME 0x80

static int mqtt_expect_end(const struct mqtt_reader *r)
{
    return mqtt_rd_left(r) == 0 ? 0 : MQTT_ERR_MALFORMED;
}

static int mqtt_rd_utf8(struct mqtt_reader *r, struct mqtt_span *s)
{
    int rc = mqtt_rd_lenbytes(r, s);

    if (rc < 0)
        return rc;
    return mqtt_utf8_check(s->ptr, s->len);
}

static int mqtt_rd_packet_id(struct mqtt_reader *r, uint16_t *id)
{
    int rc = mqtt_rd_u16(r, id);

    if (rc < 0)
        return rc;
    return *id != 0 ? 0 : MQTT_ERR_PACKET_ID; /* [MQTT-2.3.1-1] */
}

static int mqtt_decode_connect(struct mqtt_reader *r, struct mqtt_packet *pkt)
{
    struct mqtt_connect *c = &pkt->connect;
    struct mqtt_span name;
    uint8_t level, flags;
    int rc;

    rc = mqtt_rd_lenbytes(r, &name);
    if (rc < 0)
        return rc;
    if (name.len != MQTT_PROTOCOL_NAME_LEN ||
        memcmp(name.ptr, MQTT_PROTOCOL_NAME, MQTT_PROTOCOL_NAME_LEN) != 0)
        return MQTT_ERR_UNSUPPORTED;
    rc = mqtt_rd_u8(r, &level);
    if (rc < 0)
        return rc;
    if (level != MQTT_V311 && level != MQTT_V5)
        return MQTT_ERR_UNSUPPORTED;
    pkt->version = (enum mqtt_version)level;

    rc = mqtt_rd_u8(r, &flags);
    if (rc < 0)
        return rc;
    if (flags & MQTT_CF_RESERVED)
        return MQTT_ERR_BAD_FLAGS; /* [MQTT-3.1.2-3] */
    c->clean_start = (flags & MQTT_CF_CLEAN) != 0;
    c->will = (flags & MQTT_CF_WILL) != 0;
    c->will_qos = (uint8_t)((flags & MQTT_CF_WILL_QOS) >> 3);
    c->will_retain = (flags & MQTT_CF_WILL_RET) != 0;
    c->has_password = (flags & MQTT_CF_PASSWORD) != 0;
    c->has_username = (flags & MQTT_CF_USERNAME) != 0;
    if (c->will_qos == 3)
        return MQTT_ERR_BAD_FLAGS; /* 3.1.1 [MQTT-3.1.2-14] */
    if (!c->will && (c->will_qos != 0 || c->will_retain))
        return MQTT_ERR_BAD_FLAGS; /* 5.0 [MQTT-3.1.2-11, -13] */
    if (level == MQTT_V311 && c->has_password && !c->has_username)
        return MQTT_ERR_BAD_FLAGS; /* 3.1.1 [MQTT-3.1.2-22] */
    rc = mqtt_rd_u16(r, &c->keep_alive);
    if (rc < 0)
        return rc;
    if (level == MQTT_V5) {
        rc = mqtt_props_read(r, MQTT_CONNECT, &pkt->props);
        if (rc < 0)
            return rc;
    }

    /* Payload order: [MQTT-3.1.3-1]. */
    rc = mqtt_rd_utf8(r, &c->client_id);
    if (rc < 0)
        return rc;
    if (c->will) {
        if (level == MQTT_V5) {
            rc = mqtt_props_read(r, MQTT_CTX_WILL, &c->will_props);
            if (rc < 0)
                return rc;
        }
        rc = mqtt_rd_lenbytes(r, &c->will_topic);
        if (rc < 0)
            return rc;
        rc = mqtt_topic_name_check(c->will_topic.ptr, c->will_topic.len);
        if (rc < 0)
            return rc;
        rc = mqtt_rd_lenbytes(r, &c->will_payload);
        if (rc < 0)
            return rc;
    }
    if (c->has_username) {
        rc = mqtt_rd_utf8(r, &c->username);
        if (rc < 0)
            return rc;
    }
    if (c->has_password) {
        rc = mqtt_rd_lenbytes(r, &c->password);
        if (rc < 0)
            return rc;
    }
    return mqtt_expect_end(r);
}

static int mqtt_decode_connack(struct mqtt_reader *r, struct mqtt_packet *pkt)
{
    uint8_t ack;
    int rc;

    rc = mqtt_rd_u8(r, &ack);
    if (rc < 0)
        return rc;
    if (ack & 0xFE)
        return MQTT_ERR_BAD_FLAGS; /* 5.0 [MQTT-3.2.2-1] */
    pkt->session_present = ack & 1;
    rc = mqtt_rd_u8(r, &pkt->reason_code);
    if (rc < 0)
        return rc;
    if (!mqtt_reason_valid(MQTT_CONNACK, pkt->version, pkt->reason_code))
        return MQTT_ERR_BAD_REASON;
    if (pkt->reason_code != 0 && pkt->session_present)
        return MQTT_ERR_PROTOCOL; /* 3.1.1 [MQTT-3.2.2-4], 5.0 [-6] */
    if (pkt->version == MQTT_V5) {
        rc = mqtt_props_read(r, MQTT_CONNACK, &pkt->props);
        if (rc < 0)
            return rc;
    }
    return mqtt_expect_end(r);
}

static int mqtt_decode_publish(struct mqtt_reader *r, uint8_t flags,
                               struct mqtt_packet *pkt)
{
    int rc;

    /* The fixed-header parser has rejected QoS 3 and DUP at QoS 0. */
    pkt->dup = (flags >> 3) & 1;
    pkt->qos = (flags >> 1) & 3;
    pkt->retain = flags & 1;
    rc = mqtt_rd_lenbytes(r, &pkt->topic);
    if (rc < 0)
        return rc;
    /* 5.0 allows an empty Topic Name when a Topic Alias stands in for it
     * (5.0 section 3.3.2.3.4); that is decided once properties are read. */
    if (pkt->topic.len > 0 || pkt->version == MQTT_V311) {
        rc = mqtt_topic_name_check(pkt->topic.ptr, pkt->topic.len);
        if (rc < 0)
            return rc;
    }
    if (pkt->qos > 0) {
        rc = mqtt_rd_packet_id(r, &pkt->packet_id);
        if (rc < 0)
            return rc;
    }
    if (pkt->version == MQTT_V5) {
        rc = mqtt_props_read(r, MQTT_PUBLISH, &pkt->props);
        if (rc < 0)
            return rc;
        if (pkt->topic.len == 0 &&
            !MQTT_PROP_PRESENT(&pkt->props, MQTT_PROP_TOPIC_ALIAS))
            return MQTT_ERR_BAD_TOPIC;
    }
    pkt->payload = mqtt_rd_rest(r);
    return 0;
}

/* PUBACK, PUBREC, PUBREL, PUBCOMP (sections 3.4 to 3.7). */
static int mqtt_decode_pub_response(struct mqtt_reader *r,
                                    struct mqtt_packet *pkt)
{
    int rc;

    rc = mqtt_rd_packet_id(r, &pkt->packet_id);
    if (rc < 0)
        return rc;
    if (pkt->version == MQTT_V5 && mqtt_rd_left(r) > 0) {
        /* Remaining Length 2: Success without properties; 3: no
         * Property Length (5.0 section 3.4.2.1 and 3.4.2.2.1). */
        rc = mqtt_rd_u8(r, &pkt->reason_code);
        if (rc < 0)
            return rc;
        if (!mqtt_reason_valid(pkt->type, pkt->version, pkt->reason_code))
            return MQTT_ERR_BAD_REASON;
        if (mqtt_rd_left(r) > 0) {
            rc = mqtt_props_read(r, pkt->type, &pkt->props);
            if (rc < 0)
                return rc;
        }
    }
    return mqtt_expect_end(r);
}

/* SUBSCRIBE and UNSUBSCRIBE: the list must hold valid entries, at least
 * one (3.1.1 [MQTT-3.8.3-3], [MQTT-3.10.3-2]; 5.0 [MQTT-3.8.3-2]). */
static int mqtt_decode_subscribe(struct mqtt_reader *r, struct mqtt_packet *pkt)
{
    struct mqtt_topic_iter it;
    struct mqtt_topic t;
    int rc;

    rc = mqtt_rd_packet_id(r, &pkt->packet_id);
    if (rc < 0)
        return rc;
    if (pkt->version == MQTT_V5) {
        rc = mqtt_props_read(r, pkt->type, &pkt->props);
        if (rc < 0)
            return rc;
    }
    pkt->list = mqtt_rd_rest(r);
    mqtt_topic_iter_init(&it, pkt);
    while ((rc = mqtt_topic_next(&it, &t)) == 1)
        pkt->list_count++;
    if (rc < 0)
        return rc;
    return pkt->list_count > 0 ? 0 : MQTT_ERR_PROTOCOL;
}

/* SUBACK and 5.0 UNSUBACK: one reason code per requested filter. */
static int mqtt_decode_codes(struct mqtt_reader *r, struct mqtt_packet *pkt)
{
    size_t i;

    pkt->list = mqtt_rd_rest(r);
    pkt->list_count = pkt->list.len;
    if (pkt->list_count == 0)
        return MQTT_ERR_PROTOCOL;
    for (i = 0; i < pkt->list.len; i++) {
        if (!mqtt_reason_valid(pkt->type, pkt->version, pkt->list.ptr[i]))
            return MQTT_ERR_BAD_REASON;
    }
    return 0;
}

static int mqtt_decode_ack_list(struct mqtt_reader *r, struct mqtt_packet *pkt)
{
    int rc;

    rc = mqtt_rd_packet_id(r, &pkt->packet_id);
    if (rc < 0)
        return rc;
    if (pkt->version == MQTT_V5) {
        rc = mqtt_props_read(r, pkt->type, &pkt->props);
        if (rc < 0)
            return rc;
    } else if (pkt->type == MQTT_UNSUBACK) {
        return mqtt_expect_end(r); /* 3.1.1: packet identifier only */
    }
    return mqtt_decode_codes(r, pkt);
}

/* 5.0 DISCONNECT and AUTH. */
static int mqtt_decode_reason_props(struct mqtt_reader *r,
                                    struct mqtt_packet *pkt)
{
    int rc;

    if (pkt->version == MQTT_V311 || mqtt_rd_left(r) == 0) {
        /* 3.1.1 DISCONNECT has no body; in 5.0 an empty body means
         * reason 0x00 without properties. */
        return mqtt_expect_end(r);
    }
    rc = mqtt_rd_u8(r, &pkt->reason_code);
    if (rc < 0)
        return rc;
    if (!mqtt_reason_valid(pkt->type, pkt->version, pkt->reason_code))
        return MQTT_ERR_BAD_REASON;
    if (pkt->type == MQTT_DISCONNECT && mqtt_rd_left(r) == 0) {
        /* Remaining Length 1: no Property Length (5.0 3.14.2.2.1). */
        return 0;
    }
    rc = mqtt_props_read(r, pkt->type, &pkt->props);
    if (rc < 0)
        return rc;
    if (pkt->type == MQTT_AUTH &&
        !MQTT_PROP_PRESENT(&pkt->props, MQTT_PROP_AUTHENTICATION_METHOD))
        return MQTT_ERR_BAD_PROPERTY; /* 5.0 section 3.15.2.2.2 */
    return mqtt_expect_end(r);
}

int mqtt_decode_packet(const uint8_t *buf, size_t len,
                       enum mqtt_version version, struct mqtt_packet *pkt)
{
    struct mqtt_reader r;
    uint32_t remaining;
    int hdr, rc;

    if (buf == NULL || pkt == NULL)
        return MQTT_ERR_ARG;
    hdr = mqtt_fixed_header_parse(buf, len, version, &remaining);
    if (hdr < 0)
        return hdr;
    if (len - (size_t)hdr < remaining)
        return MQTT_ERR_INCOMPLETE;

    memset(pkt, 0, sizeof(*pkt));
    pkt->type = (enum mqtt_type)(buf[0] >> 4);
    pkt->version = version;
    r.ptr = buf + hdr;
    r.len = remaining;
    r.off = 0;
    switch (pkt->type) {
    case MQTT_CONNECT:
        rc = mqtt_decode_connect(&r, pkt);
        break;
    case MQTT_CONNACK:
        rc = mqtt_decode_connack(&r, pkt);
        break;
    case MQTT_PUBLISH:
        rc = mqtt_decode_publish(&r, buf[0] & 0x0F, pkt);
        break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        rc = mqtt_decode_pub_response(&r, pkt);
        break;
    case MQTT_SUBSCRIBE:
    case MQTT_UNSUBSCRIBE:
        rc = mqtt_decode_subscribe(&r, pkt);
        break;
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        rc = mqtt_decode_ack_list(&r, pkt);
        break;
    case MQTT_PINGREQ:
    case MQTT_PINGRESP:
        rc = mqtt_expect_end(&r);
        break;
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        rc = mqtt_decode_reason_props(&r, pkt);
        break;
    default:
        rc = MQTT_ERR_BAD_TYPE; /* unreachable: the header check */
        break;
    }
    if (rc < 0)
        return rc;
    return hdr + (int)remaining;
}

void mqtt_topic_iter_init(struct mqtt_topic_iter *it,
                          const struct mqtt_packet *pkt)
{
    it->ptr = pkt->list.ptr;
    it->len = pkt->list.ptr != NULL ? pkt->list.len : 0;
    it->off = 0;
    it->with_options = pkt->type == MQTT_SUBSCRIBE;
    it->version = (uint8_t)pkt->version;
}

/* Subscription Options (3.1.1 section 3.8.3.1, 5.0 section 3.8.3.1). */
static int mqtt_options_check(const struct mqtt_topic_iter *it,
                              struct mqtt_topic *t)
{
    uint8_t o = t->options;

    t->qos = o & 3;
    if (t->qos == 3)
        return MQTT_ERR_BAD_FLAGS;
    if (it->version == MQTT_V311)
        return (o & 0xFC) ? MQTT_ERR_BAD_FLAGS : 0; /* [MQTT-3-8.3-4] */
    if (o & 0xC0)
        return MQTT_ERR_BAD_FLAGS; /* 5.0 [MQTT-3.8.3-5] */
    t->no_local = (o >> 2) & 1;
    t->retain_as_published = (o >> 3) & 1;
    t->retain_handling = (o >> 4) & 3;
    if (t->retain_handling == 3)
        return MQTT_ERR_BAD_FLAGS;
    if (t->no_local && mqtt_topic_is_shared(t->filter.ptr, t->filter.len))
        return MQTT_ERR_PROTOCOL; /* 5.0 [MQTT-3.8.3-4] */
    return 0;
}

int mqtt_topic_next(struct mqtt_topic_iter *it, struct mqtt_topic *topic)
{
    struct mqtt_reader r;
    int rc;

    if (it == NULL || topic == NULL)
        return MQTT_ERR_ARG;
    if (it->off >= it->len)
        return 0;
    r.ptr = it->ptr + it->off;
    r.len = it->len - it->off;
    r.off = 0;
    memset(topic, 0, sizeof(*topic));
    rc = mqtt_rd_lenbytes(&r, &topic->filter);
    if (rc < 0)
        return rc;
    rc = mqtt_topic_filter_check(topic->filter.ptr, topic->filter.len,
                                 (enum mqtt_version)it->version);
    if (rc < 0)
        return rc;
    if (it->with_options) {
        rc = mqtt_rd_u8(&r, &topic->options);
        if (rc < 0)
            return rc;
        rc = mqtt_options_check(it, topic);
        if (rc < 0)
            return rc;
    }
    it->off += r.off;
    return 1;
}
