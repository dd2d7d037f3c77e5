/* CoAP message parser (RFC 7252 section 3): a zero-copy view of a datagram. */
#ifndef COAP_MESSAGE_H
#define COAP_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "coap/error.h"

#define COAP_VERSION           1
#define COAP_HEADER_LEN        4     /* Ver|T|TKL, Code, Message ID */
#define COAP_TOKEN_MAX         8     /* TKL 9..15 are reserved */
#define COAP_PAYLOAD_MARKER    0xFF  /* ends the options */
#define COAP_OPTION_NUMBER_MAX 65535 /* option numbers are 16-bit */
#define COAP_OPTION_VALUE_MAX  65804 /* 269 + 0xFFFF, the 14 form */

/* clang-format off */
enum coap_type {
    COAP_TYPE_CON = 0, /* Confirmable */
    COAP_TYPE_NON = 1, /* Non-confirmable */
    COAP_TYPE_ACK = 2, /* Acknowledgement */
    COAP_TYPE_RST = 3, /* Reset */
};
/* clang-format on */

/* Code "c.dd": 3-bit class, 5-bit detail. */
#define COAP_CODE(c, dd)       ((uint8_t)(((c) << 5) | (dd)))
#define COAP_CODE_CLASS(code)  ((uint8_t)((code) >> 5))
#define COAP_CODE_DETAIL(code) ((uint8_t)((code)&0x1F))

/* RFC 7252 section 12.1 and RFC 7959 section 2.9. */
/* clang-format off */
enum coap_code {
    COAP_CODE_EMPTY                      = 0x00, /* 0.00 */
    COAP_CODE_GET                        = 0x01, /* 0.01 */
    COAP_CODE_POST                       = 0x02, /* 0.02 */
    COAP_CODE_PUT                        = 0x03, /* 0.03 */
    COAP_CODE_DELETE                     = 0x04, /* 0.04 */
    COAP_CODE_CREATED                    = 0x41, /* 2.01 */
    COAP_CODE_DELETED                    = 0x42, /* 2.02 */
    COAP_CODE_VALID                      = 0x43, /* 2.03 */
    COAP_CODE_CHANGED                    = 0x44, /* 2.04 */
    COAP_CODE_CONTENT                    = 0x45, /* 2.05 */
    COAP_CODE_CONTINUE                   = 0x5F, /* 2.31 (RFC 7959) */
    COAP_CODE_BAD_REQUEST                = 0x80, /* 4.00 */
    COAP_CODE_UNAUTHORIZED               = 0x81, /* 4.01 */
    COAP_CODE_BAD_OPTION                 = 0x82, /* 4.02 */
    COAP_CODE_FORBIDDEN                  = 0x83, /* 4.03 */
    COAP_CODE_NOT_FOUND                  = 0x84, /* 4.04 */
    COAP_CODE_METHOD_NOT_ALLOWED         = 0x85, /* 4.05 */
    COAP_CODE_NOT_ACCEPTABLE             = 0x86, /* 4.06 */
    COAP_CODE_REQUEST_ENTITY_INCOMPLETE  = 0x88, /* 4.08 (RFC 7959) */
    COAP_CODE_PRECONDITION_FAILED        = 0x8C, /* 4.12 */
    COAP_CODE_REQUEST_ENTITY_TOO_LARGE   = 0x8D, /* 4.13 */
    COAP_CODE_UNSUPPORTED_CONTENT_FORMAT = 0x8F, /* 4.15 */
    COAP_CODE_INTERNAL_SERVER_ERROR      = 0xA0, /* 5.00 */
    COAP_CODE_NOT_IMPLEMENTED            = 0xA1, /* 5.01 */
    COAP_CODE_BAD_GATEWAY                = 0xA2, /* 5.02 */
    COAP_CODE_SERVICE_UNAVAILABLE        = 0xA3, /* 5.03 */
    COAP_CODE_GATEWAY_TIMEOUT            = 0xA4, /* 5.04 */
    COAP_CODE_PROXYING_NOT_SUPPORTED     = 0xA5, /* 5.05 */
};
/* clang-format on */

/*
 * A run of bytes inside a buffer the caller owns; nothing is copied. In a
 * parsed message every span points into the parsed buffer, also when it is
 * empty (then possibly one past its last byte), so it stays valid exactly
 * as long as that buffer.
 */
struct coap_span {
    const uint8_t *data;
    size_t len;
};

/*
 * One parsed datagram. The version is not stored: coap_parse accepts only
 * version 1. options holds the raw option bytes, without the payload
 * marker; walk them with coap_option_next. payload has len 0 exactly when
 * the datagram has no payload marker.
 */
struct coap_message {
    enum coap_type type;
    uint8_t code;
    uint16_t message_id;
    struct coap_span token;   /* 0..8 bytes */
    struct coap_span options; /* encoded options */
    struct coap_span payload; /* after the 0xFF marker */
    size_t option_count;
};

/* One option instance; value points into the parsed buffer. */
struct coap_option {
    uint16_t number;
    struct coap_span value; /* 0..COAP_OPTION_VALUE_MAX bytes */
};

/* Caller-owned cursor over encoded options; set up by an _init function. */
struct coap_option_iter {
    const uint8_t *pos; /* next option header */
    size_t left;        /* bytes from pos to the end of the span */
    uint16_t number;    /* number of the last option returned, or 0 */
};

/*
 * Parses the len bytes at buf (a whole datagram) into *msg. Checks every
 * message format rule of sections 3 and 4.1: version 1, TKL 0..8, token
 * and options within the datagram, no reserved nibble 15 (except the
 * 0xFF marker), option numbers up to 65535, a marker is followed by at
 * least one payload byte, and an Empty message (0.00) is exactly the
 * 4-byte header. Does not judge the type/code combination (see
 * coap_message_check_usage) nor the options' meaning (coap_options_validate).
 * buf may be NULL when len is 0 (COAP_ERR_TRUNCATED). On failure *msg is
 * zeroed.
 * Returns 0, COAP_ERR_INVALID_ARG (msg NULL, or buf NULL with len > 0),
 * COAP_ERR_TRUNCATED,
 * COAP_ERR_VERSION, COAP_ERR_TOKEN_LENGTH, COAP_ERR_OPTION_RESERVED,
 * COAP_ERR_OPTION_NUMBER, COAP_ERR_PAYLOAD_MARKER or COAP_ERR_EMPTY_MESSAGE.
 */
int coap_parse(const uint8_t *buf, size_t len, struct coap_message *msg);

/*
 * Checks the type/code combination against RFC 7252 table 1 (sections
 * 4.2, 4.3): CON carries a request, a response or is Empty (a "CoAP
 * ping", to be answered with RST); NON a request or response; ACK a
 * response or Empty; RST is Empty. A failing CON is rejected with RST;
 * any other failing message is silently ignored.
 * Returns 0, COAP_ERR_INVALID_ARG (msg NULL), COAP_ERR_RESERVED_CLASS
 * (code class 1, 6 or 7) or COAP_ERR_MESSAGE_USAGE.
 */
int coap_message_check_usage(const struct coap_message *msg);

/* Sets *it to walk msg->options. msg may be NULL: nothing to walk. */
void coap_option_iter_init(struct coap_option_iter *it,
                           const struct coap_message *msg);

/*
 * Sets *it to walk raw encoded options (e.g. a builder's output after the
 * token). Walking stops at the end of the bytes or at a payload marker.
 */
void coap_option_iter_init_raw(struct coap_option_iter *it, const uint8_t *buf,
                               size_t len);

/*
 * Decodes the next option into *opt. Returns 1 when an option was stored,
 * 0 at the end (end of the span or a payload marker; it->pos then points
 * at the marker or the end), or COAP_ERR_INVALID_ARG, COAP_ERR_TRUNCATED,
 * COAP_ERR_OPTION_RESERVED, COAP_ERR_OPTION_NUMBER on malformed input,
 * after which the iterator is exhausted. Never fails on the options of a
 * message accepted by coap_parse.
 */
int coap_option_next(struct coap_option_iter *it, struct coap_option *opt);

/*
 * As coap_option_next, but skips to the next option numbered `number`.
 * Returns 1 (found), 0 (no more such options) or a coap_option_next error.
 */
int coap_option_next_number(struct coap_option_iter *it, uint16_t number,
                            struct coap_option *opt);

/*
 * Finds the first option numbered `number` in msg. Returns 0,
 * COAP_ERR_INVALID_ARG or COAP_ERR_NOT_FOUND.
 */
int coap_option_find(const struct coap_message *msg, uint16_t number,
                     struct coap_option *opt);

/*
 * Decodes a uint option value (section 3.2: big-endian, leading zero
 * bytes allowed, empty means 0). Returns 0, COAP_ERR_INVALID_ARG or
 * COAP_ERR_VALUE_LENGTH (more than 4 bytes).
 */
int coap_option_uint(const struct coap_option *opt, uint32_t *value);

#endif
