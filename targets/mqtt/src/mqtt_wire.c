/* MQTT wire primitives: variable byte integers, UTF-8, topics, headers. */
#include <string.h>

#include "mqtt_internal.h"

/* Required low nibble of the first byte, per packet type (section 2.1.3,
 * table 2.2 / 2-3); PUBLISH carries DUP, QoS and RETAIN instead. */
static const uint8_t mqtt_fixed_flags[16] = {
    0x0, /* 0  reserved */
    0x0, /* 1  CONNECT */
    0x0, /* 2  CONNACK */
    0x0, /* 3  PUBLISH: checked apart */
    0x0, /* 4  PUBACK */
    0x0, /* 5  PUBREC */
    0x2, /* 6  PUBREL */
    0x0, /* 7  PUBCOMP */
    0x2, /* 8  SUBSCRIBE */
    0x0, /* 9  SUBACK */
    0x2, /* 10 UNSUBSCRIBE */
    0x0, /* 11 UNSUBACK */
    0x0, /* 12 PINGREQ */
    0x0, /* 13 PINGRESP */
    0x0, /* 14 DISCONNECT */
    0x0, /* 15 AUTH */
};

/* 5.0 reason codes allowed per packet (5.0 sections 3.2.2.2, 3.4.2.1,
 * 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1). */
static const uint8_t mqtt_rc_connack[] = {
    MQTT_RC_SUCCESS,
    MQTT_RC_UNSPECIFIED_ERROR,
    MQTT_RC_MALFORMED_PACKET,
    MQTT_RC_PROTOCOL_ERROR,
    MQTT_RC_IMPLEMENTATION_SPECIFIC,
    MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION,
    MQTT_RC_CLIENT_ID_NOT_VALID,
    MQTT_RC_BAD_USER_NAME_OR_PASSWORD,
    MQTT_RC_NOT_AUTHORIZED,
    MQTT_RC_SERVER_UNAVAILABLE,
    MQTT_RC_SERVER_BUSY,
    MQTT_RC_BANNED,
    MQTT_RC_BAD_AUTHENTICATION_METHOD,
    MQTT_RC_TOPIC_NAME_INVALID,
    MQTT_RC_PACKET_TOO_LARGE,
    MQTT_RC_QUOTA_EXCEEDED,
    MQTT_RC_PAYLOAD_FORMAT_INVALID,
    MQTT_RC_RETAIN_NOT_SUPPORTED,
    MQTT_RC_QOS_NOT_SUPPORTED,
    MQTT_RC_USE_ANOTHER_SERVER,
    MQTT_RC_SERVER_MOVED,
    MQTT_RC_CONNECTION_RATE_EXCEEDED,
};

/* PUBACK and PUBREC share one list. */
static const uint8_t mqtt_rc_puback[] = {
    MQTT_RC_SUCCESS,
    MQTT_RC_NO_MATCHING_SUBSCRIBERS,
    MQTT_RC_UNSPECIFIED_ERROR,
    MQTT_RC_IMPLEMENTATION_SPECIFIC,
    MQTT_RC_NOT_AUTHORIZED,
    MQTT_RC_TOPIC_NAME_INVALID,
    MQTT_RC_PACKET_ID_IN_USE,
    MQTT_RC_QUOTA_EXCEEDED,
    MQTT_RC_PAYLOAD_FORMAT_INVALID,
};

/* PUBREL and PUBCOMP share one list. */
static const uint8_t mqtt_rc_pubrel[] = {
    MQTT_RC_SUCCESS,
    MQTT_RC_PACKET_ID_NOT_FOUND,
};

static const uint8_t mqtt_rc_suback[] = {
    MQTT_RC_SUCCESS,
    MQTT_RC_GRANTED_QOS_1,
    MQTT_RC_GRANTED_QOS_2,
    MQTT_RC_UNSPECIFIED_ERROR,
    MQTT_RC_IMPLEMENTATION_SPECIFIC,
    MQTT_RC_NOT_AUTHORIZED,
    MQTT_RC_TOPIC_FILTER_INVALID,
    MQTT_RC_PACKET_ID_IN_USE,
    MQTT_RC_QUOTA_EXCEEDED,
    MQTT_RC_SHARED_SUBS_NOT_SUPPORTED,
    MQTT_RC_SUB_IDS_NOT_SUPPORTED,
    MQTT_RC_WILDCARD_SUBS_NOT_SUPPORTED,
};

static const uint8_t mqtt_rc_unsuback[] = {
    MQTT_RC_SUCCESS,           MQTT_RC_NO_SUBSCRIPTION_EXISTED,
    MQTT_RC_UNSPECIFIED_ERROR, MQTT_RC_IMPLEMENTATION_SPECIFIC,
    MQTT_RC_NOT_AUTHORIZED,    MQTT_RC_TOPIC_FILTER_INVALID,
    MQTT_RC_PACKET_ID_IN_USE,
};

static const uint8_t mqtt_rc_disconnect[] = {
    MQTT_RC_SUCCESS,
    MQTT_RC_DISCONNECT_WITH_WILL,
    MQTT_RC_UNSPECIFIED_ERROR,
    MQTT_RC_MALFORMED_PACKET,
    MQTT_RC_PROTOCOL_ERROR,
    MQTT_RC_IMPLEMENTATION_SPECIFIC,
    MQTT_RC_NOT_AUTHORIZED,
    MQTT_RC_SERVER_BUSY,
    MQTT_RC_SERVER_SHUTTING_DOWN,
    MQTT_RC_KEEP_ALIVE_TIMEOUT,
    MQTT_RC_SESSION_TAKEN_OVER,
    MQTT_RC_TOPIC_FILTER_INVALID,
    MQTT_RC_TOPIC_NAME_INVALID,
    MQTT_RC_RECEIVE_MAXIMUM_EXCEEDED,
    MQTT_RC_TOPIC_ALIAS_INVALID,
    MQTT_RC_PACKET_TOO_LARGE,
    MQTT_RC_MESSAGE_RATE_TOO_HIGH,
    MQTT_RC_QUOTA_EXCEEDED,
    MQTT_RC_ADMINISTRATIVE_ACTION,
    MQTT_RC_PAYLOAD_FORMAT_INVALID,
    MQTT_RC_RETAIN_NOT_SUPPORTED,
    MQTT_RC_QOS_NOT_SUPPORTED,
    MQTT_RC_USE_ANOTHER_SERVER,
    MQTT_RC_SERVER_MOVED,
    MQTT_RC_SHARED_SUBS_NOT_SUPPORTED,
    MQTT_RC_CONNECTION_RATE_EXCEEDED,
    MQTT_RC_MAXIMUM_CONNECT_TIME,
    MQTT_RC_SUB_IDS_NOT_SUPPORTED,
    MQTT_RC_WILDCARD_SUBS_NOT_SUPPORTED,
};

static const uint8_t mqtt_rc_auth[] = {
    MQTT_RC_SUCCESS,
    MQTT_RC_CONTINUE_AUTHENTICATION,
    MQTT_RC_REAUTHENTICATE,
};

/* 3.1.1 SUBACK return codes (3.1.1 section 3.9.3). */
static const uint8_t mqtt_rc_suback_v311[] = {0x00, 0x01, 0x02, 0x80};

/* 3.1.1 CONNACK return codes run from 0 to 5 (3.1.1 section 3.2.2.3). */
#define MQTT_V311_CONNACK_MAX 5u

#define MQTT_SHARE_PREFIX     "$share/"
#define MQTT_SHARE_PREFIX_LEN 7u

static int mqtt_in_list(const uint8_t *list, size_t n, uint8_t code)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (list[i] == code)
            return 1;
    }
    return 0;
}

#define MQTT_IN(list, code) mqtt_in_list((list), sizeof(list), (code))

int mqtt_reason_valid(enum mqtt_type type, enum mqtt_version version,
                      uint8_t code)
{
    if (version == MQTT_V311) {
        if (type == MQTT_CONNACK)
            return code <= MQTT_V311_CONNACK_MAX;
        if (type == MQTT_SUBACK)
            return MQTT_IN(mqtt_rc_suback_v311, code);
        return 0;
    }
    switch (type) {
    case MQTT_CONNACK:
        return MQTT_IN(mqtt_rc_connack, code);
    case MQTT_PUBACK:
    case MQTT_PUBREC:
        return MQTT_IN(mqtt_rc_puback, code);
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        return MQTT_IN(mqtt_rc_pubrel, code);
    case MQTT_SUBACK:
        return MQTT_IN(mqtt_rc_suback, code);
    case MQTT_UNSUBACK:
        return MQTT_IN(mqtt_rc_unsuback, code);
    case MQTT_DISCONNECT:
        return MQTT_IN(mqtt_rc_disconnect, code);
    case MQTT_AUTH:
        return MQTT_IN(mqtt_rc_auth, code);
    default:
        return 0;
    }
}

int mqtt_varint_decode(const uint8_t *buf, size_t len, uint32_t *value)
{
    uint32_t v = 0;
    size_t i;

    if ((buf == NULL && len > 0) || value == NULL)
        return MQTT_ERR_ARG;
    for (i = 0; i < 4; i++) {
        if (i >= len)
            return MQTT_ERR_INCOMPLETE;
        v |= (uint32_t)(buf[i] & 0x7F) << (7 * i);
        if ((buf[i] & 0x80) == 0) {
            /* A zero last byte means a shorter encoding existed. */
            if (i > 0 && buf[i] == 0)
                return MQTT_ERR_BAD_LENGTH;
            *value = v;
            return (int)i + 1;
        }
    }
    return MQTT_ERR_BAD_LENGTH;
}

int mqtt_varint_encode(uint32_t value, uint8_t *out, size_t cap)
{
    size_t n = 0;

    if (out == NULL)
        return MQTT_ERR_ARG;
    if (value > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_TOO_LARGE;
    do {
        uint8_t b = (uint8_t)(value & 0x7F);

        value >>= 7;
        if (value > 0)
            b |= 0x80;
        if (n >= cap)
            return MQTT_ERR_NO_SPACE;
        out[n++] = b;
    } while (value > 0);
    return (int)n;
}

int mqtt_utf8_check(const uint8_t *s, size_t len)
{
    size_t i = 0;

    if (s == NULL)
        return len == 0 ? 0 : MQTT_ERR_BAD_UTF8;
    while (i < len) {
        uint8_t c = s[i];
        size_t n;
        uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
        size_t k;

        if (c == 0x00)
            return MQTT_ERR_BAD_UTF8; /* [MQTT-1.5.4-2] */
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xC2) {
            return MQTT_ERR_BAD_UTF8; /* continuation or overlong */
        } else if (c < 0xE0) {
            n = 1;
        } else if (c < 0xF0) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* U+D800..U+DFFF [MQTT-1.5.4-1] */
        } else if (c < 0xF5) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return MQTT_ERR_BAD_UTF8;
        }
        if (len - i - 1 < n)
            return MQTT_ERR_BAD_UTF8;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return MQTT_ERR_BAD_UTF8;
        for (k = 2; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return MQTT_ERR_BAD_UTF8;
        }
        i += n + 1;
    }
    return 0;
}

int mqtt_topic_name_check(const uint8_t *s, size_t len)
{
    size_t i;
    int rc;

    if (len == 0)
        return MQTT_ERR_BAD_TOPIC; /* [MQTT-4.7.3-1] */
    rc = mqtt_utf8_check(s, len);
    if (rc < 0)
        return rc;
    for (i = 0; i < len; i++) {
        if (s[i] == '+' || s[i] == '#')
            return MQTT_ERR_BAD_TOPIC; /* [MQTT-3.3.2-2] */
    }
    return 0;
}

int mqtt_topic_is_shared(const uint8_t *s, size_t len)
{
    return s != NULL && len >= MQTT_SHARE_PREFIX_LEN &&
           memcmp(s, MQTT_SHARE_PREFIX, MQTT_SHARE_PREFIX_LEN) == 0;
}

/* Wildcard placement (section 4.7.1). */
static int mqtt_filter_levels_check(const uint8_t *s, size_t len)
{
    size_t i, level = 0;

    if (len == 0)
        return MQTT_ERR_BAD_TOPIC;
    for (i = 0; i < len; i++) {
        if (s[i] == '/') {
            level = i + 1;
        } else if (s[i] == '+') {
            /* Must fill its whole level [MQTT-4.7.1-2]. */
            if (i != level || (i + 1 < len && s[i + 1] != '/'))
                return MQTT_ERR_BAD_TOPIC;
        } else if (s[i] == '#') {
            /* Alone in the last level [MQTT-4.7.1-1]. */
            if (i != level || i + 1 != len)
                return MQTT_ERR_BAD_TOPIC;
        }
    }
    return 0;
}

int mqtt_topic_filter_check(const uint8_t *s, size_t len,
                            enum mqtt_version version)
{
    size_t i;
    int rc;

    if (!mqtt_version_ok(version))
        return MQTT_ERR_ARG;
    if (len == 0)
        return MQTT_ERR_BAD_TOPIC; /* [MQTT-4.7.3-1] */
    rc = mqtt_utf8_check(s, len);
    if (rc < 0)
        return rc;
    if (version == MQTT_V5 && mqtt_topic_is_shared(s, len)) {
        /* "$share/" ShareName "/" TopicFilter [MQTT-4.8.2-1, 4.8.2-2]. */
        const uint8_t *name = s + MQTT_SHARE_PREFIX_LEN;
        size_t rest = len - MQTT_SHARE_PREFIX_LEN;

        for (i = 0; i < rest && name[i] != '/'; i++) {
            if (name[i] == '+' || name[i] == '#')
                return MQTT_ERR_BAD_TOPIC;
        }
        if (i == 0 || i == rest)
            return MQTT_ERR_BAD_TOPIC;
        return mqtt_filter_levels_check(name + i + 1, rest - i - 1);
    }
    return mqtt_filter_levels_check(s, len);
}

int mqtt_fixed_header_parse(const uint8_t *buf, size_t len,
                            enum mqtt_version version, uint32_t *remaining)
{
    uint8_t type, flags;
    int rc;

    if (len < 1)
        return MQTT_ERR_INCOMPLETE;
    type = buf[0] >> 4;
    flags = buf[0] & 0x0F;
    if (type == 0)
        return MQTT_ERR_BAD_TYPE;
    if (type != MQTT_CONNECT && !mqtt_version_ok(version))
        return MQTT_ERR_ARG;
    if (type == MQTT_AUTH && version == MQTT_V311)
        return MQTT_ERR_BAD_TYPE;
    if (type == MQTT_PUBLISH) {
        uint8_t qos = (flags >> 1) & 3;

        if (qos == 3)
            return MQTT_ERR_BAD_FLAGS; /* [MQTT-3.3.1-4] */
        if ((flags & 0x8) && qos == 0)
            return MQTT_ERR_BAD_FLAGS; /* [MQTT-3.3.1-2] */
    } else if (flags != mqtt_fixed_flags[type]) {
        return MQTT_ERR_BAD_FLAGS;
    }
    rc = mqtt_varint_decode(buf + 1, len - 1, remaining);
    if (rc < 0)
        return rc;
    return 1 + rc;
}
