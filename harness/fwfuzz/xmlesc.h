/* Text from untrusted files made safe for XML 1.0, HTML and JSON output. */
#ifndef FWFUZZ_XMLESC_H
#define FWFUZZ_XMLESC_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes s to f as XML/HTML character data that is also safe inside a
 * quoted attribute: & < > " ' become entities; a byte sequence that is not
 * UTF-8 becomes U+FFFD; characters XML 1.0 cannot hold (controls other
 * than tab, newline and carriage return, U+FFFE, U+FFFF) are dropped.
 * s NULL writes nothing.
 */
void xmlesc_put(FILE *f, const char *s);

/* The same for at most n bytes of s. */
void xmlesc_putn(FILE *f, const char *s, size_t n);

/*
 * A malloc'd copy of s (NULL: "") that is valid UTF-8, invalid sequences
 * replaced by U+FFFD: what a JSON writer may copy into its output.
 * Controls are kept (JSON escapes them). Never NULL (fw_xmalloc).
 */
char *xmlesc_utf8_dup(const char *s);

/*
 * Decodes one UTF-8 character of s (n bytes available, n > 0) into *cp.
 * Returns its length in bytes (1 to 4), or 0 when s does not start with a
 * valid, shortest-form sequence (then *cp is U+FFFD and one byte should be
 * skipped).
 */
size_t xmlesc_utf8_next(const unsigned char *s, size_t n, unsigned long *cp);

#endif
