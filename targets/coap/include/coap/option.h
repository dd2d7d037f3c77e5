/* CoAP option registry and the recipient's option rules (RFC 7252 5.4). */
#ifndef COAP_OPTION_H
#define COAP_OPTION_H

#include <stddef.h>
#include <stdint.h>

#include "coap/error.h"
#include "coap/message.h"

/* RFC 7252 table 4, RFC 7641 (Observe), RFC 7959 tables 1 and 2. */
/* clang-format off */
enum coap_option_number {
    COAP_OPTION_IF_MATCH       = 1,  /* RFC 7252 */
    COAP_OPTION_URI_HOST       = 3,  /* RFC 7252 */
    COAP_OPTION_ETAG           = 4,  /* RFC 7252 */
    COAP_OPTION_IF_NONE_MATCH  = 5,  /* RFC 7252 */
    COAP_OPTION_OBSERVE        = 6,  /* RFC 7641 */
    COAP_OPTION_URI_PORT       = 7,  /* RFC 7252 */
    COAP_OPTION_LOCATION_PATH  = 8,  /* RFC 7252 */
    COAP_OPTION_URI_PATH       = 11, /* RFC 7252 */
    COAP_OPTION_CONTENT_FORMAT = 12, /* RFC 7252 */
    COAP_OPTION_MAX_AGE        = 14, /* RFC 7252 */
    COAP_OPTION_URI_QUERY      = 15, /* RFC 7252 */
    COAP_OPTION_ACCEPT         = 17, /* RFC 7252 */
    COAP_OPTION_LOCATION_QUERY = 20, /* RFC 7252 */
    COAP_OPTION_BLOCK2         = 23, /* RFC 7959 */
    COAP_OPTION_BLOCK1         = 27, /* RFC 7959 */
    COAP_OPTION_SIZE2          = 28, /* RFC 7959 */
    COAP_OPTION_PROXY_URI      = 35, /* RFC 7252 */
    COAP_OPTION_PROXY_SCHEME   = 39, /* RFC 7252 */
    COAP_OPTION_SIZE1          = 60, /* RFC 7252 */
};
/* clang-format on */

/* Option value formats (section 3.2). */
/* clang-format off */
enum coap_option_format {
    COAP_FORMAT_EMPTY  = 0, /* zero-length */
    COAP_FORMAT_OPAQUE = 1, /* bytes */
    COAP_FORMAT_UINT   = 2, /* big-endian, leading zeros allowed */
    COAP_FORMAT_STRING = 3, /* UTF-8 (not checked here) */
};
/* clang-format on */

/* One registry entry; min_len/max_len bound the value length inclusively. */
struct coap_option_def {
    uint16_t number;
    uint16_t min_len;
    uint16_t max_len;
    uint8_t format;     /* enum coap_option_format */
    uint8_t repeatable; /* 1 if it may occur more than once */
    const char *name;   /* registry name, e.g. "Uri-Path" */
};

/* Why coap_options_validate did not recognize an option occurrence. */
/* clang-format off */
enum coap_option_problem {
    COAP_OPTION_OK         = 0, /* recognized */
    COAP_OPTION_UNKNOWN    = 1, /* number not in the registry (5.4.1) */
    COAP_OPTION_BAD_LENGTH = 2, /* length out of range (5.4.3) */
    COAP_OPTION_REPEATED   = 3, /* supernumerary occurrence (5.4.5) */
};
/* clang-format on */

/* What coap_options_validate found. */
struct coap_option_report {
    uint16_t number; /* first unrecognized critical option, else 0 */
    uint8_t problem; /* enum coap_option_problem for that option */
    size_t ignored;  /* unrecognized elective occurrences (5.4.1) */
};

/*
 * Returns the built-in registry entry for number, or NULL if the number is
 * not one of the options listed in enum coap_option_number.
 */
const struct coap_option_def *coap_option_lookup(uint16_t number);

/*
 * Properties derived from the number alone (section 5.4.6, figure 11).
 * Each returns 1 or 0. NoCacheKey is 0 for Unsafe options, where it has
 * no meaning.
 */
int coap_option_is_critical(uint16_t number);
int coap_option_is_unsafe(uint16_t number);
int coap_option_is_no_cache_key(uint16_t number);

/*
 * Classifies one occurrence: unknown number (not in extra[] nor the
 * built-in registry), length outside the entry's range, or a repeat of a
 * non-repeatable option (repeat is nonzero when the previous occurrence
 * in the message has the same number; options ascend, so repeats are
 * adjacent). extra may be NULL when extra_count is 0; its entries take
 * precedence over the built-in ones.
 * Returns an enum coap_option_problem (never negative); an invalid
 * argument (opt NULL, or extra NULL with a count) gives COAP_OPTION_UNKNOWN.
 */
int coap_option_check(const struct coap_option *opt, int repeat,
                      const struct coap_option_def *extra, size_t extra_count);

/*
 * Applies the recipient's rules of sections 5.4.1, 5.4.3 and 5.4.5 to all
 * options of msg (parsed by coap_parse). Unrecognized elective occurrences
 * are counted in report->ignored and must be skipped by the caller. The
 * first unrecognized critical occurrence stops the walk: report->number
 * and report->problem name it and COAP_ERR_BAD_OPTION is returned; in a
 * CON request the caller answers 4.02 (Bad Option), otherwise it rejects
 * the message (5.4.1). extra/extra_count as for coap_option_check (the
 * options the application understands beyond the built-in registry).
 * Returns 0, COAP_ERR_INVALID_ARG (msg or report NULL, extra NULL with a
 * count), COAP_ERR_BAD_OPTION, or an option decoding error if msg did not
 * come from coap_parse.
 */
int coap_options_validate(const struct coap_message *msg,
                          const struct coap_option_def *extra,
                          size_t extra_count,
                          struct coap_option_report *report);

#endif
