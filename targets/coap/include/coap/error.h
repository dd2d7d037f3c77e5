/* Error codes of the CoAP component: every negative value it returns. */
#ifndef COAP_ERROR_H
#define COAP_ERROR_H

/*
 * 0 is success. Each function's header comment lists the subset it can
 * return; no function returns a negative value outside this list.
 * Section numbers are RFC 7252 unless stated otherwise.
 */
/* clang-format off */
enum coap_error {
    COAP_ERR_INVALID_ARG     = -1,  /* NULL pointer or argument out of range */
    COAP_ERR_TRUNCATED       = -2,  /* input ends inside a field (s3) */
    COAP_ERR_VERSION         = -3,  /* Ver != 1: ignore silently (s3) */
    COAP_ERR_TOKEN_LENGTH    = -4,  /* TKL 9..15: format error (s3) */
    COAP_ERR_OPTION_RESERVED = -5,  /* delta/length nibble 15 (s3.1) */
    COAP_ERR_OPTION_NUMBER   = -6,  /* option number beyond 65535 */
    COAP_ERR_PAYLOAD_MARKER  = -7,  /* 0xFF with empty payload (s3) */
    COAP_ERR_EMPTY_MESSAGE   = -8,  /* 0.00 with bytes after header (s4.1) */
    COAP_ERR_MESSAGE_USAGE   = -9,  /* type/code not allowed (s4.3 table 1) */
    COAP_ERR_RESERVED_CLASS  = -10, /* code class 1, 6 or 7 (s4.2, s4.3) */
    COAP_ERR_BAD_OPTION      = -11, /* unrecognized critical option (s5.4.1) */
    COAP_ERR_NO_SPACE        = -12, /* caller's output buffer too small */
    COAP_ERR_OPTION_ORDER    = -13, /* builder: option number descends */
    COAP_ERR_VALUE_LENGTH    = -14, /* value too long for its encoding */
    COAP_ERR_BUILDER_STATE   = -15, /* builder: call not allowed now */
    COAP_ERR_BLOCK_SZX       = -16, /* SZX 7 is reserved (RFC 7959 s2.2) */
    COAP_ERR_BLOCK_NUM       = -17, /* NUM does not fit in 20 bits */
    COAP_ERR_BLOCK_RANGE     = -18, /* block starts past the body's end */
    COAP_ERR_URI_SEGMENT     = -19, /* Uri-Path "." or ".." (s5.10.1) */
    COAP_ERR_NOT_FOUND       = -20, /* no matching option or parameter */
};
/* clang-format on */

#endif
