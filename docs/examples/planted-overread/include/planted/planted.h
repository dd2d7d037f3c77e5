/* A record parser with a planted bug, used to prove fwfuzz finds it. */
#ifndef PLANTED_H
#define PLANTED_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses "RC" | count | count x (tag, value) and returns the sum of the
 * values, or -1 when the input is not a record.
 */
int planted_parse_record(const uint8_t *buf, size_t len);

#endif
