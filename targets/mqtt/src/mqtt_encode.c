/* MQTT packet encoder: validates with the decoder's rules, then writes. */
#include <string.h>

#include "mqtt_internal.h"

#define MQTT_MAX_STRING 0xFFFFu

/*
 * The body is produced twice: once with ptr NULL to validate and measure,
 * once to write into a buffer known to be large enough.
 */
struct mqtt_writer {
    uint8_t *ptr;
    size_t len;
};

static void mqtt_wr_u8(struct mqtt_writer *w, uint8_t v)
{
    if (w->ptr != NULL)
        w->ptr[w->len] = v;
    w->len += 1;
}

static void mqtt_wr_u16(struct mqtt_writer *w, uint16_t v)
{
    mqtt_wr_u8(w, (uint8_t)(v >> 8));
    mqtt_wr_u8(w, (uint8_t)v);
}

static void mqtt_wr_bytes(struct mqtt_writer *w, struct mqtt_span s)
{
    if (w->ptr != NULL && s.len > 0)
        memcpy(w->ptr + w->len, s.ptr, s.len);
    w->len += s.len;
}

static void mqtt_wr_varint(struct mqtt_writer *w, uint32_t v)
{
    uint8_t tmp[4];
    int n = mqtt_varint_encode(v, tmp, sizeof(tmp));
    struct mqtt_span s;

    /* Callers bound v by MQTT_MAX_REMAINING_LENGTH. */
    s.ptr = tmp;
    s.len = n > 0 ? (size_t)n : 0;
    mqtt_wr_bytes(w, s);
}

static int mqtt_span_ok(struct mqtt_span s)
{
    return s.ptr != NULL || s.len == 0;
}

/* Two-byte length and the bytes (binary data; strings checked first). */
static int mqtt_wr_lenbytes(struct mqtt_writer *w, struct mqtt_span s)
{
    if (!mqtt_span_ok(s))
        return MQTT_ERR_ARG;
    if (s.len > MQTT_MAX_STRING)
        return MQTT_ERR_TOO_LARGE;
    mqtt_wr_u16(w, (uint16_t)s.len);
    mqtt_wr_bytes(w, s);
    return 0;
}

static int mqtt_wr_utf8(struct mqtt_writer *w, struct mqtt_span s)
{
    int rc = mqtt_wr_lenbytes(w, s);

    if (rc < 0)
        return rc;
    return mqtt_utf8_check(s.ptr, s.len);
}

static int mqtt_wr_topic_name(struct mqtt_writer *w, struct mqtt_span s)
{
    int rc = mqtt_wr_lenbytes(w, s);

    if (rc < 0)
        return rc;
    return mqtt_topic_name_check(s.ptr, s.len);
}

static int mqtt_wr_packet_id(struct mqtt_writer *w, uint16_t id)
{
    if (id == 0)
        return MQTT_ERR_PACKET_ID;
    mqtt_wr_u16(w, id);
    return 0;
}

/* Property Length and block; in 3.1.1 the block must be empty and nothing
 * is written. *seen receives the validated view for callers' checks. */
static int mqtt_wr_props(struct mqtt_writer *w, const struct mqtt_props *p,
                         unsigned ctx, enum mqtt_version version,
                         struct mqtt_props *seen)
{
    int rc;

    if (version == MQTT_V311) {
        memset(seen, 0, sizeof(*seen));
        return p->raw.len == 0 ? 0 : MQTT_ERR_ARG;
    }
    if (p->raw.len > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_TOO_LARGE;
    rc = mqtt_props_validate(p->raw, ctx, seen);
    if (rc < 0)
        return rc;
    mqtt_wr_varint(w, (uint32_t)p->raw.len);
    mqtt_wr_bytes(w, p->raw);
    return 0;
}

static int mqtt_flag_ok(uint8_t v)
{
    return v <= 1;
}

static int mqtt_encode_connect(const struct mqtt_packet *pkt,
                               enum mqtt_version v, struct mqtt_writer *w)
{
    const struct mqtt_connect *c = &pkt->connect;
    struct mqtt_props seen;
    struct mqtt_span name;
    uint8_t flags;
    int rc;

    if (!mqtt_flag_ok(c->clean_start) || !mqtt_flag_ok(c->will) ||
        !mqtt_flag_ok(c->will_retain) || !mqtt_flag_ok(c->has_username) ||
        !mqtt_flag_ok(c->has_password) || c->will_qos > 2)
        return MQTT_ERR_BAD_FLAGS;
    if (!c->will && (c->will_qos != 0 || c->will_retain))
        return MQTT_ERR_BAD_FLAGS;
    if (v == MQTT_V311 && c->has_password && !c->has_username)
        return MQTT_ERR_BAD_FLAGS;
    /* Fields the flags say are absent must be empty. */
    if ((!c->will && (c->will_props.raw.len != 0 || c->will_topic.len != 0 ||
                      c->will_payload.len != 0)) ||
        (!c->has_username && c->username.len != 0) ||
        (!c->has_password && c->password.len != 0))
        return MQTT_ERR_ARG;

    flags = (uint8_t)((c->clean_start << 1) | (c->will << 2) |
                      (c->will_qos << 3) | (c->will_retain << 5) |
                      (c->has_password << 6) | (c->has_username << 7));
    name.ptr = (const uint8_t *)"MQTT";
    name.len = 4;
    mqtt_wr_lenbytes(w, name);
    mqtt_wr_u8(w, (uint8_t)v);
    mqtt_wr_u8(w, flags);
    mqtt_wr_u16(w, c->keep_alive);
    rc = mqtt_wr_props(w, &pkt->props, MQTT_CONNECT, v, &seen);
    if (rc < 0)
        return rc;
    rc = mqtt_wr_utf8(w, c->client_id);
    if (rc < 0)
        return rc;
    if (c->will) {
        rc = mqtt_wr_props(w, &c->will_props, MQTT_CTX_WILL, v, &seen);
        if (rc < 0)
            return rc;
        rc = mqtt_wr_topic_name(w, c->will_topic);
        if (rc < 0)
            return rc;
        rc = mqtt_wr_lenbytes(w, c->will_payload);
        if (rc < 0)
            return rc;
    }
    if (c->has_username) {
        rc = mqtt_wr_utf8(w, c->username);
        if (rc < 0)
            return rc;
    }
    if (c->has_password)
        return mqtt_wr_lenbytes(w, c->password);
    return 0;
}

static int mqtt_encode_connack(const struct mqtt_packet *pkt,
                               enum mqtt_version v, struct mqtt_writer *w)
{
    struct mqtt_props seen;

    if (!mqtt_flag_ok(pkt->session_present))
        return MQTT_ERR_BAD_FLAGS;
    if (!mqtt_reason_valid(MQTT_CONNACK, v, pkt->reason_code))
        return MQTT_ERR_BAD_REASON;
    if (pkt->reason_code != 0 && pkt->session_present)
        return MQTT_ERR_PROTOCOL;
    mqtt_wr_u8(w, pkt->session_present);
    mqtt_wr_u8(w, pkt->reason_code);
    return mqtt_wr_props(w, &pkt->props, MQTT_CONNACK, v, &seen);
}

static int mqtt_encode_publish(const struct mqtt_packet *pkt,
                               enum mqtt_version v, struct mqtt_writer *w)
{
    struct mqtt_props seen;
    int rc;

    if (!mqtt_span_ok(pkt->topic) || !mqtt_span_ok(pkt->payload))
        return MQTT_ERR_ARG;
    if (pkt->qos == 0 && pkt->packet_id != 0)
        return MQTT_ERR_ARG;
    if (pkt->topic.len == 0 && v == MQTT_V5) {
        /* Allowed only with a Topic Alias (5.0 section 3.3.2.3.4). */
        mqtt_wr_lenbytes(w, pkt->topic);
    } else {
        rc = mqtt_wr_topic_name(w, pkt->topic);
        if (rc < 0)
            return rc;
    }
    if (pkt->qos > 0) {
        rc = mqtt_wr_packet_id(w, pkt->packet_id);
        if (rc < 0)
            return rc;
    }
    rc = mqtt_wr_props(w, &pkt->props, MQTT_PUBLISH, v, &seen);
    if (rc < 0)
        return rc;
    if (pkt->topic.len == 0 && !MQTT_PROP_PRESENT(&seen, MQTT_PROP_TOPIC_ALIAS))
        return MQTT_ERR_BAD_TOPIC;
    if (pkt->payload.len > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_TOO_LARGE;
    mqtt_wr_bytes(w, pkt->payload);
    return 0;
}

/* PUBACK, PUBREC, PUBREL, PUBCOMP; 5.0 in the shortest form. */
static int mqtt_encode_pub_response(const struct mqtt_packet *pkt,
                                    enum mqtt_version v, struct mqtt_writer *w)
{
    struct mqtt_props seen;
    int rc;

    rc = mqtt_wr_packet_id(w, pkt->packet_id);
    if (rc < 0)
        return rc;
    if (v == MQTT_V311)
        return pkt->reason_code == 0 && pkt->props.raw.len == 0 ? 0
                                                                : MQTT_ERR_ARG;
    if (!mqtt_reason_valid(pkt->type, v, pkt->reason_code))
        return MQTT_ERR_BAD_REASON;
    if (pkt->props.raw.len == 0) {
        if (pkt->reason_code != 0)
            mqtt_wr_u8(w, pkt->reason_code);
        return 0;
    }
    mqtt_wr_u8(w, pkt->reason_code);
    return mqtt_wr_props(w, &pkt->props, pkt->type, v, &seen);
}

/* SUBSCRIBE and UNSUBSCRIBE. */
static int mqtt_encode_subscribe(const struct mqtt_packet *pkt,
                                 enum mqtt_version v, struct mqtt_writer *w)
{
    struct mqtt_topic_iter it;
    struct mqtt_topic t;
    struct mqtt_props seen;
    size_t count = 0;
    int rc;

    if (!mqtt_span_ok(pkt->list))
        return MQTT_ERR_ARG;
    rc = mqtt_wr_packet_id(w, pkt->packet_id);
    if (rc < 0)
        return rc;
    rc = mqtt_wr_props(w, &pkt->props, pkt->type, v, &seen);
    if (rc < 0)
        return rc;
    /* Check the entries against the version being encoded, not
     * pkt->version. */
    it.ptr = pkt->list.ptr;
    it.len = pkt->list.len;
    it.off = 0;
    it.with_options = pkt->type == MQTT_SUBSCRIBE;
    it.version = (uint8_t)v;
    while ((rc = mqtt_topic_next(&it, &t)) == 1)
        count++;
    if (rc < 0)
        return rc;
    if (count == 0)
        return MQTT_ERR_PROTOCOL;
    if (pkt->list.len > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_TOO_LARGE;
    mqtt_wr_bytes(w, pkt->list);
    return 0;
}

/* SUBACK and UNSUBACK. */
static int mqtt_encode_ack_list(const struct mqtt_packet *pkt,
                                enum mqtt_version v, struct mqtt_writer *w)
{
    struct mqtt_props seen;
    size_t i;
    int rc;

    if (!mqtt_span_ok(pkt->list))
        return MQTT_ERR_ARG;
    rc = mqtt_wr_packet_id(w, pkt->packet_id);
    if (rc < 0)
        return rc;
    rc = mqtt_wr_props(w, &pkt->props, pkt->type, v, &seen);
    if (rc < 0)
        return rc;
    if (v == MQTT_V311 && pkt->type == MQTT_UNSUBACK)
        return pkt->list.len == 0 ? 0 : MQTT_ERR_ARG;
    if (pkt->list.len == 0)
        return MQTT_ERR_PROTOCOL;
    if (pkt->list.len > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_TOO_LARGE;
    for (i = 0; i < pkt->list.len; i++) {
        if (!mqtt_reason_valid(pkt->type, v, pkt->list.ptr[i]))
            return MQTT_ERR_BAD_REASON;
    }
    mqtt_wr_bytes(w, pkt->list);
    return 0;
}

/* DISCONNECT and AUTH; 5.0 in the shortest form. */
static int mqtt_encode_reason_props(const struct mqtt_packet *pkt,
                                    enum mqtt_version v, struct mqtt_writer *w)
{
    struct mqtt_props seen;
    int rc;

    if (v == MQTT_V311)
        return pkt->reason_code == 0 && pkt->props.raw.len == 0 ? 0
                                                                : MQTT_ERR_ARG;
    if (!mqtt_reason_valid(pkt->type, v, pkt->reason_code))
        return MQTT_ERR_BAD_REASON;
    if (pkt->props.raw.len == 0 && pkt->reason_code == 0)
        return 0;
    mqtt_wr_u8(w, pkt->reason_code);
    if (pkt->type == MQTT_DISCONNECT && pkt->props.raw.len == 0)
        return 0;
    rc = mqtt_wr_props(w, &pkt->props, pkt->type, v, &seen);
    if (rc < 0)
        return rc;
    if (pkt->type == MQTT_AUTH &&
        !MQTT_PROP_PRESENT(&seen, MQTT_PROP_AUTHENTICATION_METHOD))
        return MQTT_ERR_BAD_PROPERTY;
    return 0;
}

static int mqtt_encode_body(const struct mqtt_packet *pkt, enum mqtt_version v,
                            struct mqtt_writer *w)
{
    switch (pkt->type) {
    case MQTT_CONNECT:
        return mqtt_encode_connect(pkt, v, w);
    case MQTT_CONNACK:
        return mqtt_encode_connack(pkt, v, w);
    case MQTT_PUBLISH:
        return mqtt_encode_publish(pkt, v, w);
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        return mqtt_encode_pub_response(pkt, v, w);
    case MQTT_SUBSCRIBE:
    case MQTT_UNSUBSCRIBE:
        return mqtt_encode_subscribe(pkt, v, w);
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        return mqtt_encode_ack_list(pkt, v, w);
    case MQTT_PINGREQ:
    case MQTT_PINGRESP:
        return 0;
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        return mqtt_encode_reason_props(pkt, v, w);
    default:
        return MQTT_ERR_ARG;
    }
}

/* Fixed-header byte; PUBLISH flags are checked here as the decoder does. */
static int mqtt_first_byte(const struct mqtt_packet *pkt, enum mqtt_version v,
                           uint8_t *out)
{
    uint8_t flags = 0;

    if (pkt->type < MQTT_CONNECT || pkt->type > MQTT_AUTH)
        return MQTT_ERR_ARG;
    if (pkt->type == MQTT_AUTH && v == MQTT_V311)
        return MQTT_ERR_BAD_TYPE;
    if (pkt->type == MQTT_PUBLISH) {
        if (!mqtt_flag_ok(pkt->dup) || !mqtt_flag_ok(pkt->retain) ||
            pkt->qos > 2)
            return MQTT_ERR_BAD_FLAGS;
        if (pkt->dup && pkt->qos == 0)
            return MQTT_ERR_BAD_FLAGS;
        flags = (uint8_t)((pkt->dup << 3) | (pkt->qos << 1) | pkt->retain);
    } else if (pkt->type == MQTT_PUBREL || pkt->type == MQTT_SUBSCRIBE ||
               pkt->type == MQTT_UNSUBSCRIBE) {
        flags = 0x2;
    }
    *out = (uint8_t)((pkt->type << 4) | flags);
    return 0;
}

int mqtt_encode_packet(const struct mqtt_packet *pkt, enum mqtt_version version,
                       uint8_t *out, size_t out_cap)
{
    struct mqtt_writer w;
    uint8_t first;
    size_t body, hdr, total;
    int rc;

    if (pkt == NULL || !mqtt_version_ok(version))
        return MQTT_ERR_ARG;
    rc = mqtt_first_byte(pkt, version, &first);
    if (rc < 0)
        return rc;
    w.ptr = NULL;
    w.len = 0;
    rc = mqtt_encode_body(pkt, version, &w);
    if (rc < 0)
        return rc;
    body = w.len;
    if (body > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_TOO_LARGE;
    hdr = 1 + (body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : 4);
    total = hdr + body;
    if (out == NULL)
        return (int)total;
    if (total > out_cap)
        return MQTT_ERR_NO_SPACE;
    out[0] = first;
    mqtt_varint_encode((uint32_t)body, out + 1, hdr - 1);
    w.ptr = out + hdr;
    w.len = 0;
    rc = mqtt_encode_body(pkt, version, &w);
    if (rc < 0)
        return rc;
    return (int)total;
}
