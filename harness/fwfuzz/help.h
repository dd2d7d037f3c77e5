/* Help and usage texts of the fwfuzz command. */
#ifndef FWFUZZ_HELP_H
#define FWFUZZ_HELP_H

#include <stdio.h>

/* Full help: topic NULL for the overview, else a command name. */
void help_print(FILE *f, const char *topic);
/* Short usage of a command (NULL: of fwfuzz), for usage errors. */
void help_usage(FILE *f, const char *topic);

#endif
