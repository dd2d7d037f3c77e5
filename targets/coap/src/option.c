/* CoAP option registry and recipient rules (RFC 7252 section 5.4). */
#include <stddef.h>

#include "coap/option.h"

#define COAP_OPT_CRITICAL     0x01 /* figure 10: bit 7 (LSB) */
#define COAP_OPT_UNSAFE       0x02 /* figure 10: bit 6 */
#define COAP_OPT_NOCACHE_MASK 0x1e /* figure 11 */
#define COAP_OPT_NOCACHE_BITS 0x1c /* NoCacheKey bits 3-5 all set */

/* RFC 7252 table 4, RFC 7641 table 2 (Observe), RFC 7959 tables 1 and 2,
 * sorted by number. Columns: number, min_len, max_len, format,
 * repeatable, name; the comment repeats the tables' C/U/N marks, which
 * coap_option_is_* derive from the number (section 5.4.6). */
/* clang-format off */
static const struct coap_option_def coap_registry[] = {
    {  1, 0,    8, COAP_FORMAT_OPAQUE,  1, "If-Match"},        /* C */
    {  3, 1,  255, COAP_FORMAT_STRING,  0, "Uri-Host"},        /* C U */
    {  4, 1,    8, COAP_FORMAT_OPAQUE,  1, "ETag"},            /* - */
    {  5, 0,    0, COAP_FORMAT_EMPTY,   0, "If-None-Match"},   /* C */
    {  6, 0,    3, COAP_FORMAT_UINT,    0, "Observe"},         /* U, RFC 7641 */
    {  7, 0,    2, COAP_FORMAT_UINT,    0, "Uri-Port"},        /* C U */
    {  8, 0,  255, COAP_FORMAT_STRING,  1, "Location-Path"},   /* - */
    { 11, 0,  255, COAP_FORMAT_STRING,  1, "Uri-Path"},        /* C U */
    { 12, 0,    2, COAP_FORMAT_UINT,    0, "Content-Format"},  /* - */
    { 14, 0,    4, COAP_FORMAT_UINT,    0, "Max-Age"},         /* U */
    { 15, 0,  255, COAP_FORMAT_STRING,  1, "Uri-Query"},       /* C U */
    { 17, 0,    2, COAP_FORMAT_UINT,    0, "Accept"},          /* C */
    { 20, 0,  255, COAP_FORMAT_STRING,  1, "Location-Query"},  /* - */
    { 23, 0,    3, COAP_FORMAT_UINT,    0, "Block2"},          /* C U, RFC 7959 */
    { 27, 0,    3, COAP_FORMAT_UINT,    0, "Block1"},          /* C U, RFC 7959 */
    { 28, 0,    4, COAP_FORMAT_UINT,    0, "Size2"},           /* N, RFC 7959 */
    { 35, 1, 1034, COAP_FORMAT_STRING,  0, "Proxy-Uri"},       /* C U */
    { 39, 1,  255, COAP_FORMAT_STRING,  0, "Proxy-Scheme"},    /* C U */
    { 60, 0,    4, COAP_FORMAT_UINT,    0, "Size1"},           /* N */
};
/* clang-format on */

#define COAP_REGISTRY_LEN (sizeof(coap_registry) / sizeof(coap_registry[0]))

const struct coap_option_def *coap_option_lookup(uint16_t number)
{
    size_t lo = 0, hi = COAP_REGISTRY_LEN, mid;

    /* Binary search: the table is sorted by number. */
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (coap_registry[mid].number == number)
            return &coap_registry[mid];
        if (coap_registry[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int coap_option_is_critical(uint16_t number)
{
    return (number & COAP_OPT_CRITICAL) != 0;
}

int coap_option_is_unsafe(uint16_t number)
{
    return (number & COAP_OPT_UNSAFE) != 0;
}

int coap_option_is_no_cache_key(uint16_t number)
{
    return !coap_option_is_unsafe(number) &&
           (number & COAP_OPT_NOCACHE_MASK) == COAP_OPT_NOCACHE_BITS;
}

static const struct coap_option_def *
coap_option_def_for(uint16_t number, const struct coap_option_def *extra,
                    size_t extra_count)
{
    size_t i;

    for (i = 0; i < extra_count; i++) {
        if (extra[i].number == number)
            return &extra[i];
    }
    return coap_option_lookup(number);
}

int coap_option_check(const struct coap_option *opt, int repeat,
                      const struct coap_option_def *extra, size_t extra_count)
{
    const struct coap_option_def *def;

    if (opt == NULL || (extra == NULL && extra_count > 0))
        return COAP_OPTION_UNKNOWN;
    def = coap_option_def_for(opt->number, extra, extra_count);
    if (def == NULL)
        return COAP_OPTION_UNKNOWN;
    if (opt->value.len < def->min_len || opt->value.len > def->max_len)
        return COAP_OPTION_BAD_LENGTH;
    if (!def->repeatable && repeat)
        return COAP_OPTION_REPEATED;
    return COAP_OPTION_OK;
}

int coap_options_validate(const struct coap_message *msg,
                          const struct coap_option_def *extra,
                          size_t extra_count, struct coap_option_report *report)
{
    struct coap_option_iter it;
    struct coap_option opt;
    uint32_t prev = COAP_OPTION_NUMBER_MAX + 1; /* no previous option */
    int problem, rc;

    if (msg == NULL || report == NULL || (extra == NULL && extra_count > 0))
        return COAP_ERR_INVALID_ARG;
    report->number = 0;
    report->problem = COAP_OPTION_OK;
    report->ignored = 0;
    coap_option_iter_init(&it, msg);
    while ((rc = coap_option_next(&it, &opt)) > 0) {
        problem =
            coap_option_check(&opt, prev == opt.number, extra, extra_count);
        prev = opt.number;
        if (problem == COAP_OPTION_OK)
            continue;
        if (!coap_option_is_critical(opt.number)) {
            report->ignored++;
            continue;
        }
        report->number = opt.number;
        report->problem = (uint8_t)problem;
        return COAP_ERR_BAD_OPTION;
    }
    return rc;
}
