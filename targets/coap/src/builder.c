/* CoAP message builder (RFC 7252 section 3). */
#include <string.h>

#include "coap/builder.h"

/* clang-format off */
enum coap_builder_state {
    COAP_BUILDER_FAILED  = 0, /* init failed or never ran: refuse all */
    COAP_BUILDER_OPTIONS = 1, /* header written, options may follow */
    COAP_BUILDER_DONE    = 2, /* payload set: nothing may follow */
};
/* clang-format on */

#define COAP_EXT8_BASE  13u  /* nibble 13: one byte, value - 13 */
#define COAP_EXT16_BASE 269u /* nibble 14: two bytes, value - 269 */

/* Extension bytes needed for a delta or length (section 3.1). */
static size_t coap_ext_len(uint32_t v)
{
    if (v < COAP_EXT8_BASE)
        return 0;
    return v < COAP_EXT16_BASE ? 1 : 2;
}

static uint8_t coap_ext_nibble(uint32_t v)
{
    if (v < COAP_EXT8_BASE)
        return (uint8_t)v;
    return v < COAP_EXT16_BASE ? 13 : 14;
}

static uint8_t *coap_put_ext(uint8_t *p, uint32_t v)
{
    if (v >= COAP_EXT16_BASE) {
        v -= COAP_EXT16_BASE;
        *p++ = (uint8_t)(v >> 8);
        *p++ = (uint8_t)v;
    } else if (v >= COAP_EXT8_BASE) {
        *p++ = (uint8_t)(v - COAP_EXT8_BASE);
    }
    return p;
}

int coap_builder_init(struct coap_builder *b, uint8_t *buf, size_t cap,
                      enum coap_type type, uint8_t code, uint16_t message_id,
                      const uint8_t *token, size_t token_len)
{
    if (b == NULL)
        return COAP_ERR_INVALID_ARG;
    memset(b, 0, sizeof(*b));
    b->state = COAP_BUILDER_FAILED;
    if ((buf == NULL && cap > 0) || (unsigned int)type > COAP_TYPE_RST ||
        (token == NULL && token_len > 0))
        return COAP_ERR_INVALID_ARG;
    if (token_len > COAP_TOKEN_MAX)
        return COAP_ERR_TOKEN_LENGTH;
    if (code == COAP_CODE_EMPTY && token_len > 0)
        return COAP_ERR_EMPTY_MESSAGE;
    if (cap < COAP_HEADER_LEN + token_len)
        return COAP_ERR_NO_SPACE;
    buf[0] =
        (uint8_t)((COAP_VERSION << 6) | ((unsigned int)type << 4) | token_len);
    buf[1] = code;
    buf[2] = (uint8_t)(message_id >> 8);
    buf[3] = (uint8_t)message_id;
    if (token_len > 0)
        memmove(buf + COAP_HEADER_LEN, token, token_len);
    b->buf = buf;
    b->cap = cap;
    b->len = COAP_HEADER_LEN + token_len;
    b->code = code;
    b->state = COAP_BUILDER_OPTIONS;
    return 0;
}

int coap_builder_add_option(struct coap_builder *b, uint16_t number,
                            const uint8_t *value, size_t len)
{
    uint32_t delta;
    size_t need;
    uint8_t *p;

    if (b == NULL || (value == NULL && len > 0))
        return COAP_ERR_INVALID_ARG;
    if (b->state != COAP_BUILDER_OPTIONS)
        return COAP_ERR_BUILDER_STATE;
    if (b->code == COAP_CODE_EMPTY)
        return COAP_ERR_EMPTY_MESSAGE;
    if (number < b->last_number)
        return COAP_ERR_OPTION_ORDER;
    if (len > COAP_OPTION_VALUE_MAX)
        return COAP_ERR_VALUE_LENGTH;
    delta = (uint32_t)number - b->last_number;
    /* len <= 65804, so need cannot wrap even with a 32-bit size_t. */
    need = 1 + coap_ext_len(delta) + coap_ext_len((uint32_t)len) + len;
    if (need > b->cap - b->len)
        return COAP_ERR_NO_SPACE;
    p = b->buf + b->len;
    *p++ = (uint8_t)((coap_ext_nibble(delta) << 4) |
                     coap_ext_nibble((uint32_t)len));
    p = coap_put_ext(p, delta);
    p = coap_put_ext(p, (uint32_t)len);
    if (len > 0)
        memmove(p, value, len);
    b->len += need;
    b->last_number = number;
    return 0;
}

int coap_builder_add_uint(struct coap_builder *b, uint16_t number,
                          uint32_t value)
{
    uint8_t tmp[4];
    size_t n = 0, i;
    uint32_t v;

    for (v = value; v != 0; v >>= 8)
        n++;
    for (i = 0; i < n; i++)
        tmp[i] = (uint8_t)(value >> (8 * (n - 1 - i)));
    return coap_builder_add_option(b, number, tmp, n);
}

int coap_builder_add_string(struct coap_builder *b, uint16_t number,
                            const char *s)
{
    if (s == NULL)
        return COAP_ERR_INVALID_ARG;
    return coap_builder_add_option(b, number, (const uint8_t *)s, strlen(s));
}

int coap_builder_set_payload(struct coap_builder *b, const uint8_t *payload,
                             size_t len)
{
    if (b == NULL || (payload == NULL && len > 0))
        return COAP_ERR_INVALID_ARG;
    if (b->state != COAP_BUILDER_OPTIONS)
        return COAP_ERR_BUILDER_STATE;
    if (len > 0 && b->code == COAP_CODE_EMPTY)
        return COAP_ERR_EMPTY_MESSAGE;
    if (len > 0) {
        /* Written as two checks so that 1 + len cannot wrap. */
        if (b->cap - b->len < 1 || len > b->cap - b->len - 1)
            return COAP_ERR_NO_SPACE;
        b->buf[b->len] = COAP_PAYLOAD_MARKER;
        memmove(b->buf + b->len + 1, payload, len);
        b->len += 1 + len;
    }
    b->state = COAP_BUILDER_DONE;
    return 0;
}

int coap_builder_finish(const struct coap_builder *b, size_t *len)
{
    if (b == NULL || len == NULL)
        return COAP_ERR_INVALID_ARG;
    if (b->state == COAP_BUILDER_FAILED)
        return COAP_ERR_BUILDER_STATE;
    *len = b->len;
    return 0;
}
