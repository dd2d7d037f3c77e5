/* Block1/Block2 option values and Block2 slicing (RFC 7959). */
#ifndef COAP_BLOCK_H
#define COAP_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "coap/error.h"

#define COAP_BLOCK_SZX_MAX   6       /* 1024 bytes; SZX 7 is reserved */
#define COAP_BLOCK_NUM_MAX   0xFFFFF /* NUM is at most 20 bits */
#define COAP_BLOCK_VALUE_MAX 3       /* a block value is a 0..3 byte uint */

/* One Block option value: NUM, M and SZX (RFC 7959 section 2.2). */
struct coap_block {
    uint32_t num; /* block number, 0..COAP_BLOCK_NUM_MAX */
    uint8_t more; /* M: 0 or 1 */
    uint8_t szx;  /* size exponent: block size is 2**(szx + 4) */
};

/* The part of a body a Block2 response carries. */
struct coap_block2_slice {
    size_t offset;           /* first byte of the body to send */
    size_t len;              /* bytes to send, at most the block size */
    struct coap_block block; /* Block2 value for the response */
};

/*
 * Decodes a Block option value (a uint of 0..3 bytes; leading zero bytes
 * are accepted as for any uint; empty means NUM 0, M 0, SZX 0). value may
 * be NULL when len is 0. The M bit of a Block2 request has no meaning and
 * is returned as found. Returns 0, COAP_ERR_INVALID_ARG,
 * COAP_ERR_VALUE_LENGTH (more than 3 bytes) or COAP_ERR_BLOCK_SZX (SZX 7;
 * in a request the answer is 4.00 Bad Request).
 */
int coap_block_decode(const uint8_t *value, size_t len, struct coap_block *blk);

/*
 * Encodes blk as the integer of figure 1: NUM << 4 | M << 3 | SZX.
 * Returns 0, COAP_ERR_INVALID_ARG (more not 0/1), COAP_ERR_BLOCK_NUM or
 * COAP_ERR_BLOCK_SZX.
 */
int coap_block_to_uint(const struct coap_block *blk, uint32_t *value);

/*
 * Encodes blk as a minimal uint option value into out (0..3 bytes; all
 * zero fields give the empty value) and stores the length in *len.
 * Returns as coap_block_to_uint.
 */
int coap_block_encode(const struct coap_block *blk,
                      uint8_t out[COAP_BLOCK_VALUE_MAX], size_t *len);

/* Block size for szx (16..1024), or 0 if szx is above 6. */
size_t coap_block_size(uint8_t szx);

/*
 * Stores in *szx the largest SZX whose block size is at most max_size
 * (capped at 6). Returns 0, COAP_ERR_INVALID_ARG or COAP_ERR_BLOCK_SZX
 * (max_size below 16).
 */
int coap_block_szx_for_size(size_t max_size, uint8_t *szx);

/*
 * Computes which bytes of a body_len-byte body answer a Block2 request
 * (section 2.4). request is the decoded Block2 option of the request, or
 * NULL if it had none (first block). The server uses the smaller of the
 * requested size and its own maximum max_szx; a smaller size keeps the
 * requested byte offset and scales NUM up (late negotiation, figure 4).
 * The M bit of the request is ignored. A block starting at or past the
 * end is an error, except block 0 of an empty body (an empty slice).
 * RFC 7959 names no response code for it; 4.02 (Bad Option) is usual.
 * Returns 0, COAP_ERR_INVALID_ARG (out NULL, max_szx above 6),
 * COAP_ERR_BLOCK_SZX (request SZX 7), COAP_ERR_BLOCK_NUM (request NUM
 * above 20 bits, or the scaled NUM does not fit) or COAP_ERR_BLOCK_RANGE.
 */
int coap_block2_slice(size_t body_len, const struct coap_block *request,
                      uint8_t max_szx, struct coap_block2_slice *out);

#endif
