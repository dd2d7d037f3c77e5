/* Inputs read whole into memory from files and folders: what the replay
 * and bench drivers run. */
#ifndef FWFUZZ_INPUTS_H
#define FWFUZZ_INPUTS_H

#include <stddef.h>
#include <stdint.h>

/* Each input has a buffer of exactly its size (a sanitizer sees a read past
 * its end); an empty input still has a valid pointer. */
struct input {
    char *path;
    uint8_t *data;
    size_t len;
};

struct inputs {
    struct input *v;
    size_t n;
    size_t cap;
    size_t bytes; /* sum of the lengths */
};

/* Adds the file, or every regular non-hidden file below the folder (walked
 * in name order, so runs are reproducible). Returns 0, or -1 after printing
 * "who: cannot ...: reason" on stderr. */
int inputs_add_path(struct inputs *in, const char *path, const char *who);
void inputs_free(struct inputs *in);

#endif
