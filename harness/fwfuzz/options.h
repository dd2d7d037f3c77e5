/* The per-target .options file (INI, as in OSS-Fuzz, read by
 * harness/engine/target_options.c): the [libfuzzer] section's
 * "key = value" lines become libFuzzer flags "-key=value". */
#ifndef FWFUZZ_OPTIONS_H
#define FWFUZZ_OPTIONS_H

#include <stddef.h>

#include "strvec.h"

/* Parses text and appends one "-key=value" per [libfuzzer] entry to flags.
 * [emu] is checked, other sections are ignored; '#' and ';' start comment
 * lines. A relative "dict" value is taken relative to the folder of path.
 * Returns 0, or -1 with "path:line: reason" in err (flags untouched
 * then). */
int options_parse(const char *text, const char *path, struct strvec *flags,
                  char *err, size_t errlen);
/* Reads the file and parses it. */
int options_load(const char *path, struct strvec *flags, char *err,
                 size_t errlen);

#endif
