/* The names of a job's parts: its engine, its mode and the files of its
 * output folder. */
#define _POSIX_C_SOURCE 200809L
#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

const char *fw_engine_name(enum fw_engine e)
{
    switch (e) {
    case FW_ENGINE_LIBFUZZER:
        return "libfuzzer";
    case FW_ENGINE_AFL:
        return "afl";
    case FW_ENGINE_BOTH:
        return "both";
    }
    return "?";
}

const char *fw_mode_name(enum fw_mode m)
{
    switch (m) {
    case FW_MODE_NATIVE:
        return "native";
    case FW_MODE_EMU:
        return "emu";
    case FW_MODE_BOTH:
        return "both";
    }
    return "?";
}

void job_paths_init(struct job_paths *p, const char *out,
                    const char *summary_name)
{
    p->corpus = fs_join(out, "corpus");
    p->findings = fs_join(out, "findings");
    p->logs = fs_join(out, "logs");
    p->summary = fs_join(out, summary_name);
    p->afl_in = fs_join(out, "afl-in");
    p->afl_out = fs_join(out, "afl");
}

void job_paths_free(struct job_paths *p)
{
    free(p->corpus);
    free(p->findings);
    free(p->logs);
    free(p->summary);
    free(p->afl_in);
    free(p->afl_out);
    memset(p, 0, sizeof(*p));
}
