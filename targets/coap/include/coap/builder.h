/* CoAP message builder (RFC 7252 section 3) over a caller's buffer. */
#ifndef COAP_BUILDER_H
#define COAP_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "coap/error.h"
#include "coap/message.h"

/*
 * Options must be added in ascending (non-decreasing) number order, as
 * they appear on the wire: the builder writes each option at once, delta
 * encoded, and keeps no list it could sort. A descending add fails with
 * COAP_ERR_OPTION_ORDER. Equal numbers (repeated options) are accepted;
 * whether an option may repeat is the registry's business, not the
 * encoder's.
 *
 * Every add is all-or-nothing: a failing call writes nothing and leaves
 * the builder as it was, so the caller may drop an optional option that
 * does not fit and go on. Only a failed coap_builder_init leaves the
 * builder unusable (COAP_ERR_BUILDER_STATE from then on).
 */
struct coap_builder {
    uint8_t *buf;         /* caller's buffer */
    size_t cap;           /* its size */
    size_t len;           /* bytes written */
    uint16_t last_number; /* number of the last option written, or 0 */
    uint8_t code;         /* header code: an Empty message takes nothing */
    uint8_t state;        /* internal */
};

/*
 * Starts a message in buf (cap bytes, caller-owned, must outlive the
 * builder): writes the 4-byte header and the token. token may be NULL
 * when token_len is 0. An Empty message (code 0.00) takes no token.
 * Returns 0, COAP_ERR_INVALID_ARG (b NULL, buf NULL with cap > 0, type
 * above 3, token NULL with a length), COAP_ERR_TOKEN_LENGTH (above 8),
 * COAP_ERR_EMPTY_MESSAGE or COAP_ERR_NO_SPACE.
 */
int coap_builder_init(struct coap_builder *b, uint8_t *buf, size_t cap,
                      enum coap_type type, uint8_t code, uint16_t message_id,
                      const uint8_t *token, size_t token_len);

/*
 * Appends an option with the shortest delta/length encoding (the only
 * one: the 13 and 14 forms start where the shorter ones end). value may
 * be NULL when len is 0 and may point into the builder's own buffer.
 * Returns 0, COAP_ERR_INVALID_ARG, COAP_ERR_BUILDER_STATE (failed init or
 * payload already set), COAP_ERR_EMPTY_MESSAGE, COAP_ERR_OPTION_ORDER,
 * COAP_ERR_VALUE_LENGTH (len above COAP_OPTION_VALUE_MAX) or
 * COAP_ERR_NO_SPACE.
 */
int coap_builder_add_option(struct coap_builder *b, uint16_t number,
                            const uint8_t *value, size_t len);

/*
 * Appends a uint option in its minimal form (section 3.2: 0 is the empty
 * value, no leading zero bytes). Returns as coap_builder_add_option.
 */
int coap_builder_add_uint(struct coap_builder *b, uint16_t number,
                          uint32_t value);

/*
 * Appends an option whose value is the NUL-terminated string s (without
 * the NUL). Returns as coap_builder_add_option.
 */
int coap_builder_add_string(struct coap_builder *b, uint16_t number,
                            const char *s);

/*
 * Appends the payload marker and len payload bytes; len 0 writes nothing
 * (a marker with an empty payload is a format error). May be called once;
 * no option may follow. payload may be NULL when len is 0.
 * Returns 0, COAP_ERR_INVALID_ARG, COAP_ERR_BUILDER_STATE,
 * COAP_ERR_EMPTY_MESSAGE (payload on 0.00) or COAP_ERR_NO_SPACE.
 */
int coap_builder_set_payload(struct coap_builder *b, const uint8_t *payload,
                             size_t len);

/*
 * Stores the message length in *len: the message is b->buf[0..*len).
 * Returns 0, COAP_ERR_INVALID_ARG or COAP_ERR_BUILDER_STATE (failed init).
 */
int coap_builder_finish(const struct coap_builder *b, size_t *len);

#endif
