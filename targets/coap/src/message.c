/* CoAP message parser and option iterator (RFC 7252 section 3). */
#include <string.h>

#include "coap/message.h"

#define COAP_NIBBLE_EXT8     13 /* one extension byte, value - 13 */
#define COAP_NIBBLE_EXT16    14 /* two extension bytes, value - 269 */
#define COAP_NIBBLE_RESERVED 15 /* marker (delta) or format error */
#define COAP_EXT8_BASE       13u
#define COAP_EXT16_BASE      269u

/*
 * Resolves one delta or length nibble, consuming its extension bytes from
 * *p. The caller has already refused nibble 15.
 */
static int coap_read_ext(unsigned int nibble, const uint8_t **p, size_t *left,
                         uint32_t *value)
{
    const uint8_t *q = *p;

    if (nibble < COAP_NIBBLE_EXT8) {
        *value = nibble;
        return 0;
    }
    if (nibble == COAP_NIBBLE_EXT8) {
        if (*left < 1)
            return COAP_ERR_TRUNCATED;
        *value = COAP_EXT8_BASE + q[0];
        *p = q + 1;
        *left -= 1;
        return 0;
    }
    if (*left < 2)
        return COAP_ERR_TRUNCATED;
    *value = COAP_EXT16_BASE + (((uint32_t)q[0] << 8) | q[1]);
    *p = q + 2;
    *left -= 2;
    return 0;
}

void coap_option_iter_init_raw(struct coap_option_iter *it, const uint8_t *buf,
                               size_t len)
{
    if (it == NULL)
        return;
    it->pos = buf;
    it->left = buf != NULL ? len : 0;
    it->number = 0;
}

void coap_option_iter_init(struct coap_option_iter *it,
                           const struct coap_message *msg)
{
    if (msg == NULL)
        coap_option_iter_init_raw(it, NULL, 0);
    else
        coap_option_iter_init_raw(it, msg->options.data, msg->options.len);
}

int coap_option_next(struct coap_option_iter *it, struct coap_option *opt)
{
    const uint8_t *p;
    size_t left;
    unsigned int dn, ln;
    uint32_t delta, vlen, number;
    int rc;

    if (it == NULL || opt == NULL)
        return COAP_ERR_INVALID_ARG;
    if (it->left == 0 || it->pos[0] == COAP_PAYLOAD_MARKER)
        return 0;
    p = it->pos;
    left = it->left;
    dn = p[0] >> 4;
    ln = p[0] & 0x0F;
    p++;
    left--;
    /* 0xFF was handled above, so any nibble 15 here is a format error. */
    if (dn == COAP_NIBBLE_RESERVED || ln == COAP_NIBBLE_RESERVED) {
        rc = COAP_ERR_OPTION_RESERVED;
        goto fail;
    }
    rc = coap_read_ext(dn, &p, &left, &delta);
    if (rc != 0)
        goto fail;
    rc = coap_read_ext(ln, &p, &left, &vlen);
    if (rc != 0)
        goto fail;
    /* delta <= 65804 and number <= 65535: the sum cannot wrap. */
    number = (uint32_t)it->number + delta;
    if (number > COAP_OPTION_NUMBER_MAX) {
        rc = COAP_ERR_OPTION_NUMBER;
        goto fail;
    }
    if (vlen > left) {
        rc = COAP_ERR_TRUNCATED;
        goto fail;
    }
    opt->number = (uint16_t)number;
    opt->value.data = p;
    opt->value.len = vlen;
    it->pos = p + vlen;
    it->left = left - vlen;
    it->number = (uint16_t)number;
    return 1;
fail:
    it->pos += it->left;
    it->left = 0;
    return rc;
}

int coap_option_next_number(struct coap_option_iter *it, uint16_t number,
                            struct coap_option *opt)
{
    int rc;

    while ((rc = coap_option_next(it, opt)) > 0) {
        if (opt->number == number)
            return 1;
        /* Options ascend: none further on can match. */
        if (opt->number > number)
            return 0;
    }
    return rc;
}

int coap_option_find(const struct coap_message *msg, uint16_t number,
                     struct coap_option *opt)
{
    struct coap_option_iter it;
    int rc;

    if (msg == NULL || opt == NULL)
        return COAP_ERR_INVALID_ARG;
    coap_option_iter_init(&it, msg);
    rc = coap_option_next_number(&it, number, opt);
    if (rc > 0)
        return 0;
    return rc < 0 ? rc : COAP_ERR_NOT_FOUND;
}

int coap_option_uint(const struct coap_option *opt, uint32_t *value)
{
    uint32_t v = 0;
    size_t i;

    if (opt == NULL || value == NULL)
        return COAP_ERR_INVALID_ARG;
    if (opt->value.len > 4)
        return COAP_ERR_VALUE_LENGTH;
    for (i = 0; i < opt->value.len; i++)
        v = (v << 8) | opt->value.data[i];
    *value = v;
    return 0;
}

int coap_parse(const uint8_t *buf, size_t len, struct coap_message *msg)
{
    struct coap_message m;
    struct coap_option_iter it;
    struct coap_option opt;
    size_t tkl;
    int rc;

    if (msg == NULL)
        return COAP_ERR_INVALID_ARG;
    memset(msg, 0, sizeof(*msg));
    memset(&m, 0, sizeof(m));
    if (buf == NULL) {
        rc = len == 0 ? COAP_ERR_TRUNCATED : COAP_ERR_INVALID_ARG;
        goto out;
    }
    if (len < COAP_HEADER_LEN) {
        rc = COAP_ERR_TRUNCATED;
        goto out;
    }
    if ((buf[0] >> 6) != COAP_VERSION) {
        rc = COAP_ERR_VERSION;
        goto out;
    }
    tkl = buf[0] & 0x0F;
    if (tkl > COAP_TOKEN_MAX) {
        rc = COAP_ERR_TOKEN_LENGTH;
        goto out;
    }
    m.type = (enum coap_type)((buf[0] >> 4) & 0x03);
    m.code = buf[1];
    m.message_id = (uint16_t)(((unsigned int)buf[2] << 8) | buf[3]);
    if (m.code == COAP_CODE_EMPTY && (tkl != 0 || len != COAP_HEADER_LEN)) {
        rc = COAP_ERR_EMPTY_MESSAGE;
        goto out;
    }
    if (len - COAP_HEADER_LEN < tkl) {
        rc = COAP_ERR_TRUNCATED;
        goto out;
    }
    m.token.data = buf + COAP_HEADER_LEN;
    m.token.len = tkl;

    coap_option_iter_init_raw(&it, buf + COAP_HEADER_LEN + tkl,
                              len - COAP_HEADER_LEN - tkl);
    m.options.data = it.pos;
    while ((rc = coap_option_next(&it, &opt)) > 0)
        m.option_count++;
    if (rc < 0)
        goto out;
    m.options.len = (size_t)(it.pos - m.options.data);
    /* The iterator stopped at the end or at a marker (it.pos[0] == 0xFF). */
    if (it.left == 0) {
        m.payload.data = buf + len;
    } else if (it.left == 1) {
        rc = COAP_ERR_PAYLOAD_MARKER;
        goto out;
    } else {
        m.payload.data = it.pos + 1;
        m.payload.len = it.left - 1;
    }
    *msg = m;
    rc = 0;
out:
    return rc;
}

int coap_message_check_usage(const struct coap_message *msg)
{
    uint8_t cls;
    int empty, request;

    if (msg == NULL)
        return COAP_ERR_INVALID_ARG;
    cls = COAP_CODE_CLASS(msg->code);
    if (cls == 1 || cls >= 6)
        return COAP_ERR_RESERVED_CLASS;
    empty = msg->code == COAP_CODE_EMPTY;
    request = cls == 0 && !empty;
    switch (msg->type) {
    case COAP_TYPE_CON:
        return 0;
    case COAP_TYPE_NON:
        return empty ? COAP_ERR_MESSAGE_USAGE : 0;
    case COAP_TYPE_ACK:
        return request ? COAP_ERR_MESSAGE_USAGE : 0;
    case COAP_TYPE_RST:
        return empty ? 0 : COAP_ERR_MESSAGE_USAGE;
    }
    return COAP_ERR_INVALID_ARG;
}
