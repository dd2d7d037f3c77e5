/* The AFL++ driver: afl-fuzz's input folder, built from the corpora. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine_afl.h"
#include "exitcode.h"
#include "fsutil.h"
#include "store.h"
#include "util.h"

/* afl-fuzz refuses larger inputs (MAX_FILE). */
#define AFL_MAX_INPUT (1024u * 1024u)

/* Copies the non-empty files (at most AFL_MAX_INPUT bytes) of dir into
 * afl-in under content names and adds their number to *added; not the
 * crash cases of a regress folder (afl-fuzz refuses a crashing input, and
 * a crash input is never an engine's input). Returns 0, or
 * -1 (reported) if dir cannot be listed: afl-fuzz would start without
 * those inputs. */
static int add_inputs(struct afl_state *s, const char *dir,
                      unsigned long *added)
{
    const char *afl_in = s->paths->afl_in;
    struct strvec names = {0};
    size_t i;

    if (fs_list_files(dir, "", &names) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", dir,
                     strerror(errno));
        return -1;
    }
    for (i = 0; i < names.n; i++) {
        char *src = fs_join(dir, names.v[i]);
        char hex[FS_SHA1_HEX_LEN + 1];
        struct stat st;

        if (!store_is_case_part(names.v[i]) && stat(src, &st) == 0 &&
            st.st_size > 0 && (unsigned long)st.st_size <= AFL_MAX_INPUT &&
            fs_copy_unique(src, afl_in, "", hex, NULL) == 1)
            (*added)++;
        free(src);
    }
    strvec_free(&names);
    return 0;
}

int afl_build_input_dir(struct afl_state *s)
{
    const char *in = s->paths->afl_in;
    const char *sub[] = {"seed", "regress"};
    unsigned long n = 0;
    size_t i;

    if (fs_remove_tree(in) != 0 || fs_mkdirs(in) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot prepare %s: %s", in,
                     strerror(errno));
        return -1;
    }
    for (i = 0; i < 2; i++) {
        char *dir = fs_join(s->job->target->corpus, sub[i]);
        int rc = add_inputs(s, dir, &n);

        free(dir);
        if (rc != 0)
            return -1;
    }
    if (add_inputs(s, s->paths->corpus, &n) != 0)
        return -1;
    if (n == 0) {
        /* afl-fuzz needs at least one input */
        char *seed = fs_join(in, "fwfuzz-default-seed");
        int rc = fs_write_atomic(seed, "0", 1);

        free(seed);
        if (rc != 0) {
            report_error(s->r, FW_EXIT_IO, "cannot write in %s: %s", in,
                         strerror(errno));
            return -1;
        }
        n = 1;
    }
    fw_msg("AFL++ input folder %s: %lu input%s", in, n, n == 1 ? "" : "s");
    return 0;
}
