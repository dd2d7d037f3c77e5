/* Exit codes of the fwfuzz command; docs/fwfuzz.md and --help list them. */
#ifndef FWFUZZ_EXITCODE_H
#define FWFUZZ_EXITCODE_H

enum fw_exit {
    FW_EXIT_OK = 0,           /* ran, nothing found */
    FW_EXIT_USAGE = 2,        /* bad command line */
    FW_EXIT_CONFIG = 3,       /* manifest, target or engine build missing */
    FW_EXIT_ENGINE = 4,       /* the engine failed or died without a finding */
    FW_EXIT_IO = 5,           /* output folder not writable, disk full, OOM */
    FW_EXIT_FINDINGS = 10,    /* at least one finding */
    FW_EXIT_INTERRUPTED = 130 /* SIGINT/SIGTERM, after the summary */
};

#endif
