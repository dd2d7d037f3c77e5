/* Uri-Path and Uri-Query options of a request (RFC 7252 5.10.1, 6.5). */
#ifndef COAP_URI_H
#define COAP_URI_H

#include <stddef.h>
#include <stdint.h>

#include "coap/error.h"
#include "coap/message.h"

/*
 * Next Uri-Path segment / Uri-Query argument from an iterator set up with
 * coap_option_iter_init. The span points into the message; values are raw
 * (options carry no percent-encoding). Returns 1 (stored), 0 (no more) or
 * a coap_option_next error.
 */
int coap_uri_path_next(struct coap_option_iter *it, struct coap_span *seg);
int coap_uri_query_next(struct coap_option_iter *it, struct coap_span *arg);

/*
 * Writes the request path as a NUL-terminated string into out (size
 * bytes, caller-owned) and its length without the NUL into *len (len may
 * be NULL). Each Uri-Path segment is "/" followed by the value, where
 * every byte other than unreserved, sub-delims, ":" and "@" becomes "%XX"
 * with uppercase hex (section 6.5 step 6), so a "/" inside a segment
 * cannot be mistaken for a separator. No Uri-Path gives "/" (step 7).
 * A segment "." or ".." is refused (section 5.10.1 forbids them), so the
 * result never holds a dot segment.
 * On any error out holds "" when size > 0 (never a partial path).
 * Returns 0, COAP_ERR_INVALID_ARG (msg NULL, out NULL with size > 0),
 * COAP_ERR_NO_SPACE (path plus NUL longer than size), COAP_ERR_URI_SEGMENT,
 * or an option decoding error if msg did not come from coap_parse.
 */
int coap_uri_path_join(const struct coap_message *msg, char *out, size_t size,
                       size_t *len);

/*
 * Finds the first Uri-Query argument whose key equals key (NUL-terminated,
 * not empty, compared bytewise): an argument "key=value" gives the span
 * after "=", an argument "key" alone gives an empty span. value may be
 * NULL. Returns 0, COAP_ERR_INVALID_ARG, COAP_ERR_NOT_FOUND or an option
 * decoding error if msg did not come from coap_parse.
 */
int coap_uri_query_find(const struct coap_message *msg, const char *key,
                        struct coap_span *value);

#endif
