/* Test fixture: a component whose one function clashes with another's. */
#ifndef CLASH_B_H
#define CLASH_B_H

#include <stddef.h>
#include <stdint.h>

/* Returns the first byte of buf, or -1 when len is 0. */
int clash_parse(const uint8_t *buf, size_t len);

#endif
