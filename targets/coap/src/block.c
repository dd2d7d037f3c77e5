/* Block1/Block2 option values and Block2 slicing (RFC 7959). */
#include <stddef.h>

#include "coap/block.h"

#define COAP_BLOCK_SZX_MASK  0x07u /* figure 1: val & 7 */
#define COAP_BLOCK_M_BIT     0x08u /* figure 1: val & 8 */
#define COAP_BLOCK_NUM_SHIFT 4     /* figure 1: val >> 4 */
#define COAP_BLOCK_SIZE_MIN  16u   /* 2**(0 + 4) */

int coap_block_decode(const uint8_t *value, size_t len, struct coap_block *blk)
{
    uint32_t v = 0;
    size_t i;

    if (blk == NULL || (value == NULL && len > 0))
        return COAP_ERR_INVALID_ARG;
    if (len > COAP_BLOCK_VALUE_MAX)
        return COAP_ERR_VALUE_LENGTH;
    for (i = 0; i < len; i++)
        v = (v << 8) | value[i];
    if ((v & COAP_BLOCK_SZX_MASK) > COAP_BLOCK_SZX_MAX)
        return COAP_ERR_BLOCK_SZX;
    /* At most 24 bits, so NUM fits in its 20 bits by construction. */
    blk->num = v >> COAP_BLOCK_NUM_SHIFT;
    blk->more = (v & COAP_BLOCK_M_BIT) != 0;
    blk->szx = (uint8_t)(v & COAP_BLOCK_SZX_MASK);
    return 0;
}

int coap_block_to_uint(const struct coap_block *blk, uint32_t *value)
{
    if (blk == NULL || value == NULL || blk->more > 1)
        return COAP_ERR_INVALID_ARG;
    if (blk->num > COAP_BLOCK_NUM_MAX)
        return COAP_ERR_BLOCK_NUM;
    if (blk->szx > COAP_BLOCK_SZX_MAX)
        return COAP_ERR_BLOCK_SZX;
    *value = (blk->num << COAP_BLOCK_NUM_SHIFT) |
             (blk->more ? COAP_BLOCK_M_BIT : 0) | blk->szx;
    return 0;
}

int coap_block_encode(const struct coap_block *blk,
                      uint8_t out[COAP_BLOCK_VALUE_MAX], size_t *len)
{
    uint32_t v, t;
    size_t n = 0, i;
    int rc;

    if (out == NULL || len == NULL)
        return COAP_ERR_INVALID_ARG;
    rc = coap_block_to_uint(blk, &v);
    if (rc != 0)
        return rc;
    for (t = v; t != 0; t >>= 8)
        n++;
    for (i = 0; i < n; i++)
        out[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    *len = n;
    return 0;
}

size_t coap_block_size(uint8_t szx)
{
    if (szx > COAP_BLOCK_SZX_MAX)
        return 0;
    return (size_t)COAP_BLOCK_SIZE_MIN << szx;
}

int coap_block_szx_for_size(size_t max_size, uint8_t *szx)
{
    uint8_t s = COAP_BLOCK_SZX_MAX;

    if (szx == NULL)
        return COAP_ERR_INVALID_ARG;
    if (max_size < COAP_BLOCK_SIZE_MIN)
        return COAP_ERR_BLOCK_SZX;
    while (coap_block_size(s) > max_size)
        s--;
    *szx = s;
    return 0;
}

int coap_block2_slice(size_t body_len, const struct coap_block *request,
                      uint8_t max_szx, struct coap_block2_slice *out)
{
    uint32_t num = 0;
    uint8_t szx = max_szx;
    size_t size, offset;

    if (out == NULL || max_szx > COAP_BLOCK_SZX_MAX)
        return COAP_ERR_INVALID_ARG;
    if (request != NULL) {
        if (request->szx > COAP_BLOCK_SZX_MAX)
            return COAP_ERR_BLOCK_SZX;
        if (request->num > COAP_BLOCK_NUM_MAX)
            return COAP_ERR_BLOCK_NUM;
        num = request->num;
        if (request->szx < max_szx) {
            szx = request->szx;
        } else {
            /* Same byte offset in smaller blocks: NUM grows by 2**diff.
             * num < 2**20 and diff <= 6, so this cannot wrap 32 bits. */
            num <<= request->szx - max_szx;
            if (num > COAP_BLOCK_NUM_MAX)
                return COAP_ERR_BLOCK_NUM;
        }
    }
    size = coap_block_size(szx);
    /* num < 2**20, size <= 2**10: the offset fits in 30 bits. */
    offset = (size_t)num * size;
    if (offset >= body_len && !(offset == 0 && body_len == 0))
        return COAP_ERR_BLOCK_RANGE;
    out->offset = offset;
    out->len = body_len - offset < size ? body_len - offset : size;
    out->block.num = num;
    out->block.szx = szx;
    out->block.more = offset + out->len < body_len;
    return 0;
}
