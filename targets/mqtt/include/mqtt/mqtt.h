/* MQTT 3.1.1 and 5.0 control packets: zero-copy decoder and encoder. */
#ifndef MQTT_MQTT_H
#define MQTT_MQTT_H

#include <stddef.h>
#include <stdint.h>

/*
 * References: "MQTT Version 3.1.1" (OASIS Standard, 29 October 2014) and
 * "MQTT Version 5.0" (OASIS Standard, 7 March 2019), cited below as 3.1.1
 * and 5.0 with their section numbers.
 *
 * Policy decisions where the standards leave room (all applied the same way
 * by the decoder, the encoder and the stream decoder):
 *
 * - Variable Byte Integers (the Remaining Length, Property Length and
 *   Subscription Identifier) must use the minimum number of bytes and at
 *   most four, in both versions. 5.0 section 1.5.5 makes minimality
 *   normative [MQTT-1.5.5-1]; 3.1.1 section 2.2.3 does not say it in words
 *   but its table 2.4 lists only minimal encodings. Rejecting the others in
 *   3.1.1 too gives every accepted byte string one meaning, and lets the
 *   fixed header be checked before the protocol version of a CONNECT is
 *   known.
 * - Sender obligations that can be judged from the packet alone are
 *   enforced: DUP must be 0 at QoS 0, packet identifiers are non-zero,
 *   Session Present is 0 when CONNACK carries an error, the Will Topic is a
 *   Topic Name (no wildcards), one-byte "0 or 1" properties and the Payload
 *   Format Indicator hold 0 or 1. Obligations that depend on the direction
 *   or on session state (Subscription Identifier from a client, Topic Alias
 *   above the negotiated maximum, zero-length Client Identifier with Clean
 *   Session 0, a second CONNECT) are left to the caller.
 * - UTF-8 strings must be well-formed UTF-8 without U+0000 and without
 *   surrogates (3.1.1 section 1.5.3, 5.0 section 1.5.4). Control characters
 *   and non-characters are accepted (the standards say SHOULD NOT).
 * - Topic Filters are checked for wildcard placement (4.7.1) and, in 5.0,
 *   for the Shared Subscription form "$share/<name>/<filter>" (5.0 4.8.2).
 * - 5.0 PUBACK, PUBREC, PUBREL, PUBCOMP and DISCONNECT may omit the Reason
 *   Code and/or the Property Length; AUTH may omit both (Remaining Length
 *   0) but not only the Property Length, and an AUTH with properties must
 *   carry an Authentication Method. The encoder always writes the shortest
 *   form, so decoding then encoding reproduces the input byte for byte
 *   except where the input used a longer form of these packets.
 */

/* Protocol levels (3.1.1 section 3.1.2.2, 5.0 section 3.1.2.2). */
enum mqtt_version {
    MQTT_V311 = 4, /* MQTT 3.1.1 */
    MQTT_V5 = 5,   /* MQTT 5.0 */
};

/* Control packet types, bits 7-4 of the first byte (section 2.1.2). */
enum mqtt_type {
    MQTT_CONNECT = 1,      /* client request to connect */
    MQTT_CONNACK = 2,      /* connect acknowledgment */
    MQTT_PUBLISH = 3,      /* publish message */
    MQTT_PUBACK = 4,       /* QoS 1 publish acknowledgment */
    MQTT_PUBREC = 5,       /* QoS 2 publish received */
    MQTT_PUBREL = 6,       /* QoS 2 publish release */
    MQTT_PUBCOMP = 7,      /* QoS 2 publish complete */
    MQTT_SUBSCRIBE = 8,    /* subscribe request */
    MQTT_SUBACK = 9,       /* subscribe acknowledgment */
    MQTT_UNSUBSCRIBE = 10, /* unsubscribe request */
    MQTT_UNSUBACK = 11,    /* unsubscribe acknowledgment */
    MQTT_PINGREQ = 12,     /* ping request */
    MQTT_PINGRESP = 13,    /* ping response */
    MQTT_DISCONNECT = 14,  /* disconnect notification */
    MQTT_AUTH = 15,        /* authentication exchange, 5.0 only */
};

/* Property identifiers (5.0 section 2.2.2.2, table 2-4). */
enum mqtt_prop_id {
    MQTT_PROP_PAYLOAD_FORMAT_INDICATOR = 0x01,          /* byte */
    MQTT_PROP_MESSAGE_EXPIRY_INTERVAL = 0x02,           /* four-byte int */
    MQTT_PROP_CONTENT_TYPE = 0x03,                      /* UTF-8 string */
    MQTT_PROP_RESPONSE_TOPIC = 0x08,                    /* UTF-8 string */
    MQTT_PROP_CORRELATION_DATA = 0x09,                  /* binary data */
    MQTT_PROP_SUBSCRIPTION_IDENTIFIER = 0x0B,           /* variable byte int */
    MQTT_PROP_SESSION_EXPIRY_INTERVAL = 0x11,           /* four-byte int */
    MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER = 0x12,        /* UTF-8 string */
    MQTT_PROP_SERVER_KEEP_ALIVE = 0x13,                 /* two-byte int */
    MQTT_PROP_AUTHENTICATION_METHOD = 0x15,             /* UTF-8 string */
    MQTT_PROP_AUTHENTICATION_DATA = 0x16,               /* binary data */
    MQTT_PROP_REQUEST_PROBLEM_INFORMATION = 0x17,       /* byte */
    MQTT_PROP_WILL_DELAY_INTERVAL = 0x18,               /* four-byte int */
    MQTT_PROP_REQUEST_RESPONSE_INFORMATION = 0x19,      /* byte */
    MQTT_PROP_RESPONSE_INFORMATION = 0x1A,              /* UTF-8 string */
    MQTT_PROP_SERVER_REFERENCE = 0x1C,                  /* UTF-8 string */
    MQTT_PROP_REASON_STRING = 0x1F,                     /* UTF-8 string */
    MQTT_PROP_RECEIVE_MAXIMUM = 0x21,                   /* two-byte int */
    MQTT_PROP_TOPIC_ALIAS_MAXIMUM = 0x22,               /* two-byte int */
    MQTT_PROP_TOPIC_ALIAS = 0x23,                       /* two-byte int */
    MQTT_PROP_MAXIMUM_QOS = 0x24,                       /* byte */
    MQTT_PROP_RETAIN_AVAILABLE = 0x25,                  /* byte */
    MQTT_PROP_USER_PROPERTY = 0x26,                     /* UTF-8 string pair */
    MQTT_PROP_MAXIMUM_PACKET_SIZE = 0x27,               /* four-byte int */
    MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28,   /* byte */
    MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29, /* byte */
    MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE = 0x2A,     /* byte */
};

/* Highest property identifier defined by 5.0. */
#define MQTT_PROP_ID_MAX 0x2A

/* Property value types (5.0 sections 1.5 and 2.2.2.2). */
enum mqtt_prop_type {
    MQTT_PROP_TYPE_BYTE = 1,   /* one byte */
    MQTT_PROP_TYPE_U16 = 2,    /* two-byte integer, big-endian */
    MQTT_PROP_TYPE_U32 = 3,    /* four-byte integer, big-endian */
    MQTT_PROP_TYPE_VARINT = 4, /* variable byte integer */
    MQTT_PROP_TYPE_UTF8 = 5,   /* two-byte length + UTF-8 */
    MQTT_PROP_TYPE_BINARY = 6, /* two-byte length + bytes */
    MQTT_PROP_TYPE_PAIR = 7,   /* two UTF-8 strings */
};

/* Reason codes (5.0 section 2.4, table 2-6); which packet may carry which
 * is checked per packet. 3.1.1 CONNACK return codes are 0 to 5. */
enum mqtt_reason {
    MQTT_RC_SUCCESS = 0x00,                      /* also Granted QoS 0 */
    MQTT_RC_GRANTED_QOS_1 = 0x01,                /* SUBACK */
    MQTT_RC_GRANTED_QOS_2 = 0x02,                /* SUBACK */
    MQTT_RC_DISCONNECT_WITH_WILL = 0x04,         /* DISCONNECT */
    MQTT_RC_NO_MATCHING_SUBSCRIBERS = 0x10,      /* PUBACK, PUBREC */
    MQTT_RC_NO_SUBSCRIPTION_EXISTED = 0x11,      /* UNSUBACK */
    MQTT_RC_CONTINUE_AUTHENTICATION = 0x18,      /* AUTH */
    MQTT_RC_REAUTHENTICATE = 0x19,               /* AUTH */
    MQTT_RC_UNSPECIFIED_ERROR = 0x80,            /* also 3.1.1 SUBACK failure */
    MQTT_RC_MALFORMED_PACKET = 0x81,             /* CONNACK, DISCONNECT */
    MQTT_RC_PROTOCOL_ERROR = 0x82,               /* CONNACK, DISCONNECT */
    MQTT_RC_IMPLEMENTATION_SPECIFIC = 0x83,      /* several */
    MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION = 0x84, /* CONNACK */
    MQTT_RC_CLIENT_ID_NOT_VALID = 0x85,          /* CONNACK */
    MQTT_RC_BAD_USER_NAME_OR_PASSWORD = 0x86,    /* CONNACK */
    MQTT_RC_NOT_AUTHORIZED = 0x87,               /* several */
    MQTT_RC_SERVER_UNAVAILABLE = 0x88,           /* CONNACK */
    MQTT_RC_SERVER_BUSY = 0x89,                  /* CONNACK, DISCONNECT */
    MQTT_RC_BANNED = 0x8A,                       /* CONNACK */
    MQTT_RC_SERVER_SHUTTING_DOWN = 0x8B,         /* DISCONNECT */
    MQTT_RC_BAD_AUTHENTICATION_METHOD = 0x8C,    /* CONNACK */
    MQTT_RC_KEEP_ALIVE_TIMEOUT = 0x8D,           /* DISCONNECT */
    MQTT_RC_SESSION_TAKEN_OVER = 0x8E,           /* DISCONNECT */
    MQTT_RC_TOPIC_FILTER_INVALID = 0x8F,         /* SUBACK, UNSUBACK, DISC. */
    MQTT_RC_TOPIC_NAME_INVALID = 0x90,           /* CONNACK, PUBACK, ... */
    MQTT_RC_PACKET_ID_IN_USE = 0x91,             /* PUBACK, PUBREC, SUBACK */
    MQTT_RC_PACKET_ID_NOT_FOUND = 0x92,          /* PUBREL, PUBCOMP */
    MQTT_RC_RECEIVE_MAXIMUM_EXCEEDED = 0x93,     /* DISCONNECT */
    MQTT_RC_TOPIC_ALIAS_INVALID = 0x94,          /* DISCONNECT */
    MQTT_RC_PACKET_TOO_LARGE = 0x95,             /* CONNACK, DISCONNECT */
    MQTT_RC_MESSAGE_RATE_TOO_HIGH = 0x96,        /* DISCONNECT */
    MQTT_RC_QUOTA_EXCEEDED = 0x97,               /* several */
    MQTT_RC_ADMINISTRATIVE_ACTION = 0x98,        /* DISCONNECT */
    MQTT_RC_PAYLOAD_FORMAT_INVALID = 0x99,       /* several */
    MQTT_RC_RETAIN_NOT_SUPPORTED = 0x9A,         /* CONNACK, DISCONNECT */
    MQTT_RC_QOS_NOT_SUPPORTED = 0x9B,            /* CONNACK, DISCONNECT */
    MQTT_RC_USE_ANOTHER_SERVER = 0x9C,           /* CONNACK, DISCONNECT */
    MQTT_RC_SERVER_MOVED = 0x9D,                 /* CONNACK, DISCONNECT */
    MQTT_RC_SHARED_SUBS_NOT_SUPPORTED = 0x9E,    /* SUBACK, DISCONNECT */
    MQTT_RC_CONNECTION_RATE_EXCEEDED = 0x9F,     /* CONNACK, DISCONNECT */
    MQTT_RC_MAXIMUM_CONNECT_TIME = 0xA0,         /* DISCONNECT */
    MQTT_RC_SUB_IDS_NOT_SUPPORTED = 0xA1,        /* SUBACK, DISCONNECT */
    MQTT_RC_WILDCARD_SUBS_NOT_SUPPORTED = 0xA2,  /* SUBACK, DISCONNECT */
};

/*
 * Error codes. Every function of this component returns 0 or a positive
 * count on success and one of these on failure.
 */
enum mqtt_err {
    MQTT_ERR_INCOMPLETE = -1,   /* more input is needed */
    MQTT_ERR_ARG = -2,          /* NULL pointer, bad version or id */
    MQTT_ERR_BAD_LENGTH = -3,   /* variable byte int: >4 bytes/not minimal */
    MQTT_ERR_BAD_TYPE = -4,     /* packet type 0, or AUTH in 3.1.1 */
    MQTT_ERR_BAD_FLAGS = -5,    /* header, CONNECT or option flags */
    MQTT_ERR_MALFORMED = -6,    /* field past the end, trailing bytes */
    MQTT_ERR_BAD_UTF8 = -7,     /* ill-formed UTF-8, U+0000, surrogate */
    MQTT_ERR_BAD_PROPERTY = -8, /* unknown, misplaced or invalid value */
    MQTT_ERR_DUP_PROPERTY = -9, /* property repeated where forbidden */
    MQTT_ERR_BAD_REASON = -10,  /* reason code not defined for packet */
    MQTT_ERR_BAD_TOPIC = -11,   /* empty, misplaced wildcard, bad share */
    MQTT_ERR_PACKET_ID = -12,   /* packet identifier 0 where one is needed */
    MQTT_ERR_PROTOCOL = -13,    /* other rule of the standard broken */
    MQTT_ERR_UNSUPPORTED = -14, /* CONNECT names neither 3.1.1 nor 5.0 */
    MQTT_ERR_TOO_LARGE = -15,   /* exceeds the buffer or a wire limit */
    MQTT_ERR_NO_SPACE = -16,    /* output buffer too small */
};

/* Largest Remaining Length a fixed header can carry (section 2.2.3). */
#define MQTT_MAX_REMAINING_LENGTH 268435455u
/* Longest packet on the wire: 1 type byte, 4 length bytes, body. */
#define MQTT_MAX_PACKET_SIZE (MQTT_MAX_REMAINING_LENGTH + 5u)

/*
 * A run of bytes inside a buffer someone else owns. An absent field has
 * ptr NULL and len 0; a present but empty one has len 0 and ptr inside
 * the buffer.
 */
struct mqtt_span {
    const uint8_t *ptr;
    size_t len;
};

/*
 * A 5.0 property block. raw covers the properties after the Property
 * Length and is the only part the encoder reads. The decoder also fills
 * the fields below from it: a property that did not occur leaves its
 * field 0 (or an absent span); test presence with MQTT_PROP_PRESENT.
 */
struct mqtt_props {
    struct mqtt_span raw;
    uint64_t present; /* bit id set when property id occurred */
    uint32_t user_property_count;
    uint32_t subscription_id_count;
    uint32_t subscription_id; /* the first one */
    uint32_t message_expiry_interval;
    uint32_t session_expiry_interval;
    uint32_t will_delay_interval;
    uint32_t maximum_packet_size;
    uint16_t server_keep_alive;
    uint16_t receive_maximum;
    uint16_t topic_alias_maximum;
    uint16_t topic_alias;
    uint8_t payload_format_indicator;
    uint8_t request_problem_information;
    uint8_t request_response_information;
    uint8_t maximum_qos;
    uint8_t retain_available;
    uint8_t wildcard_subscription_available;
    uint8_t subscription_identifier_available;
    uint8_t shared_subscription_available;
    struct mqtt_span content_type;
    struct mqtt_span response_topic;
    struct mqtt_span correlation_data;
    struct mqtt_span assigned_client_identifier;
    struct mqtt_span authentication_method;
    struct mqtt_span authentication_data;
    struct mqtt_span response_information;
    struct mqtt_span server_reference;
    struct mqtt_span reason_string;
};

#define MQTT_PROP_PRESENT(props, id) ((((props)->present) >> (id)) & 1u)

/* The CONNECT-only fields (section 3.1). Flags hold 0 or 1. */
struct mqtt_connect {
    uint8_t clean_start; /* Clean Session in 3.1.1 */
    uint8_t will;        /* Will Flag: will_* below are meaningful */
    uint8_t will_qos;
    uint8_t will_retain;
    uint8_t has_username;
    uint8_t has_password;
    uint16_t keep_alive;
    struct mqtt_span client_id;
    struct mqtt_props will_props; /* 5.0 only */
    struct mqtt_span will_topic;
    struct mqtt_span will_payload;
    struct mqtt_span username;
    struct mqtt_span password;
};

/*
 * One decoded (or to-be-encoded) control packet. The decoder zeroes every
 * field the packet type does not use; the encoder requires those that the
 * version cannot express to be zero or empty, so nothing is dropped
 * silently.
 *
 *   reason_code  CONNACK (3.1.1 return code or 5.0 reason code); 5.0
 *                PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT, AUTH
 *   packet_id    PUBLISH at QoS 1 or 2, PUBACK to UNSUBACK
 *   props        every 5.0 packet that has properties
 *   topic        PUBLISH Topic Name
 *   payload      PUBLISH payload (the rest of the packet)
 *   list         SUBSCRIBE: (Topic Filter, options) entries; UNSUBSCRIBE:
 *                Topic Filters; iterate with mqtt_topic_next. SUBACK and
 *                5.0 UNSUBACK: one reason code byte per entry.
 *   list_count   number of entries in list
 */
struct mqtt_packet {
    enum mqtt_type type;
    enum mqtt_version version; /* CONNECT: the level it carries */
    uint8_t dup;               /* PUBLISH fixed-header flags */
    uint8_t qos;
    uint8_t retain;
    uint8_t session_present; /* CONNACK */
    uint8_t reason_code;
    uint16_t packet_id;
    struct mqtt_props props;
    struct mqtt_connect connect;
    struct mqtt_span topic;
    struct mqtt_span payload;
    struct mqtt_span list;
    size_t list_count;
};

/* One entry of a SUBSCRIBE or UNSUBSCRIBE list. */
struct mqtt_topic {
    struct mqtt_span filter;
    uint8_t options;             /* SUBSCRIBE: the raw options byte; else 0 */
    uint8_t qos;                 /* Maximum QoS */
    uint8_t no_local;            /* 5.0 */
    uint8_t retain_as_published; /* 5.0 */
    uint8_t retain_handling;     /* 5.0, 0 to 2 */
};

/* Iterator over a packet's topic list; fields are private. */
struct mqtt_topic_iter {
    const uint8_t *ptr;
    size_t len;
    size_t off;
    uint8_t with_options;
    uint8_t version;
};

/*
 * Decodes one packet from the start of buf. version is the protocol level
 * of the connection; it is ignored for CONNECT, which carries its own (and
 * reports it in pkt->version). Bytes after the packet are not looked at.
 * Spans in *pkt point into buf, which must outlive their use.
 *
 * Returns the number of bytes the packet occupies (positive), or
 * MQTT_ERR_INCOMPLETE when buf holds only a prefix of a packet that could
 * still be valid, MQTT_ERR_ARG (NULL buf or pkt, version neither MQTT_V311
 * nor MQTT_V5 for a non-CONNECT packet), or any other MQTT_ERR_* code
 * except MQTT_ERR_NO_SPACE and MQTT_ERR_TOO_LARGE. On failure *pkt is
 * unspecified.
 */
int mqtt_decode_packet(const uint8_t *buf, size_t len,
                       enum mqtt_version version, struct mqtt_packet *pkt);

/*
 * Encodes pkt as a packet of protocol level version (also the level a
 * CONNECT announces; pkt->version is not read). The encoder validates
 * everything it writes with the decoder's rules, so its output always
 * decodes back to an equal packet. If out is NULL, nothing is written and
 * the size is returned.
 *
 * Fields of pkt that the type does not use are ignored, and so is
 * list_count; fields the type uses but the version or the flags cannot
 * carry must be zero or empty (3.1.1 properties and acknowledgment reason
 * codes, a packet identifier at QoS 0, will or credential fields whose
 * flag is 0, reason codes in a 3.1.1 UNSUBACK).
 *
 * Returns the number of bytes written, or MQTT_ERR_ARG (NULL pkt, bad
 * version or type, a span with NULL ptr and non-zero len, or a field that
 * cannot be carried as just said), MQTT_ERR_NO_SPACE (out_cap too small;
 * nothing is written), MQTT_ERR_TOO_LARGE (a string over 65535
 * bytes or a Remaining Length over MQTT_MAX_REMAINING_LENGTH), or the
 * decoder's code for whatever would make the packet invalid.
 */
int mqtt_encode_packet(const struct mqtt_packet *pkt, enum mqtt_version version,
                       uint8_t *out, size_t out_cap);

/* Starts iterating pkt->list of a SUBSCRIBE or UNSUBSCRIBE packet. */
void mqtt_topic_iter_init(struct mqtt_topic_iter *it,
                          const struct mqtt_packet *pkt);

/*
 * Yields the next entry. Returns 1 and fills *topic, 0 at the end, or
 * MQTT_ERR_MALFORMED, MQTT_ERR_BAD_UTF8, MQTT_ERR_BAD_TOPIC,
 * MQTT_ERR_BAD_FLAGS (options) or MQTT_ERR_PROTOCOL (No Local on a
 * Shared Subscription) for a list the decoder would reject, the iterator
 * then staying at the bad entry; MQTT_ERR_ARG for NULL arguments or a
 * packet whose version is neither MQTT_V311 nor MQTT_V5. A list accepted
 * by the decoder never fails.
 */
int mqtt_topic_next(struct mqtt_topic_iter *it, struct mqtt_topic *topic);

/*
 * Reads a Variable Byte Integer (section 2.2.3 / 1.5.5) from buf. Returns
 * the bytes used (1 to 4) and sets *value, or MQTT_ERR_INCOMPLETE (buf ends
 * inside it), MQTT_ERR_BAD_LENGTH (a fifth byte, or not minimal) or
 * MQTT_ERR_ARG (NULL).
 */
int mqtt_varint_decode(const uint8_t *buf, size_t len, uint32_t *value);

/*
 * Writes value as a minimal Variable Byte Integer. Returns the bytes
 * written (1 to 4), MQTT_ERR_TOO_LARGE (value over
 * MQTT_MAX_REMAINING_LENGTH), MQTT_ERR_NO_SPACE or MQTT_ERR_ARG.
 */
int mqtt_varint_encode(uint32_t value, uint8_t *out, size_t cap);

/* Returns 0 if s is a valid MQTT UTF-8 string body, else MQTT_ERR_BAD_UTF8. */
int mqtt_utf8_check(const uint8_t *s, size_t len);

/*
 * Returns 0 if s is a valid Topic Name (non-empty, UTF-8, no wildcards),
 * else MQTT_ERR_BAD_UTF8 or MQTT_ERR_BAD_TOPIC.
 */
int mqtt_topic_name_check(const uint8_t *s, size_t len);

/*
 * Returns 0 if s is a valid Topic Filter for version (non-empty, UTF-8,
 * '+' and '#' alone in their level, '#' last; in 5.0 a "$share/" filter
 * needs a share name without wildcards or '/' and a filter after it), else
 * MQTT_ERR_BAD_UTF8, MQTT_ERR_BAD_TOPIC or MQTT_ERR_ARG.
 */
int mqtt_topic_filter_check(const uint8_t *s, size_t len,
                            enum mqtt_version version);

/* Returns 1 if filter is a 5.0 Shared Subscription ("$share/..."), else 0. */
int mqtt_topic_is_shared(const uint8_t *s, size_t len);

#endif
