/*
 * The per-target .options file (INI, as in OSS-Fuzz): one reader for the
 * fwfuzz command, which turns its [libfuzzer] section into libFuzzer flags
 * (harness/fwfuzz/options.c), and for the emulated builds, which take the
 * block budget of a run from its [emu] section.
 *
 *   # comment        ; comment
 *   [libfuzzer]
 *   max_len = 4096
 *   [emu]
 *   budget_blocks = 10000000
 *   [fwfuzz]
 *   weight_emu = 2
 */
#ifndef FWFUZZ_TARGET_OPTIONS_H
#define FWFUZZ_TARGET_OPTIONS_H

#include <stddef.h>

/*
 * Called for each "key = value" line, with key and value trimmed and the
 * section name ("" before the first header). Returns 0 to go on, or -1
 * with the reason in err (the reader prefixes "path:line: ").
 */
typedef int target_options_entry_fn(void *ctx, const char *section,
                                    const char *key, const char *value,
                                    char *err, size_t errlen);

/*
 * Reads text (NUL-terminated) line by line. Entries of the sections
 * [libfuzzer], [emu] and [fwfuzz] go to fn (NULL: only checked); other
 * sections are skipped unread, as OSS-Fuzz does. In [emu] only
 * budget_blocks, a whole number of blocks from 1 to 2^63, is allowed; in
 * [fwfuzz] only weight, weight_native and weight_emu, numbers from 0 to
 * TARGET_OPTIONS_MAX_WEIGHT (the campaign's share of a target's modes). Returns
 * 0, or -1 with "path:line: reason" in err.
 */
int target_options_parse(const char *text, const char *path,
                         target_options_entry_fn *fn, void *ctx, char *err,
                         size_t errlen);

/* Largest weight a target's [fwfuzz] section may give. */
#define TARGET_OPTIONS_MAX_WEIGHT 1000

/* Reads the file (at most 1 MiB) and parses it. -1 with the reason in err
 * if it cannot be read. */
int target_options_load(const char *path, target_options_entry_fn *fn,
                        void *ctx, char *err, size_t errlen);

/* The [emu] budget_blocks of the file at path, 0 when it has none (or path
 * is NULL or ""). Returns 0, or -1 with the reason in err. */
int target_options_emu_budget(const char *path, unsigned long long *blocks,
                              char *err, size_t errlen);

/*
 * The campaign weights of the file at path: weight times weight_native,
 * weight times weight_emu, each 1 when not given (and both 1 when path is
 * NULL or ""). Returns 0, or -1 with the reason in err.
 */
int target_options_weights(const char *path, double *native, double *emu,
                           char *err, size_t errlen);

#endif
