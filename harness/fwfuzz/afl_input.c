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

/* 1 if name ends in the SHA-1 hex of an input (findings are named
 * <kind>-<sha1>) and that hex is hex. */
static int named_for(const char *name, const char *hex)
{
    size_t n = strlen(name);

    return n >= FS_SHA1_HEX_LEN && strcmp(name + n - FS_SHA1_HEX_LEN, hex) == 0;
}

/* Copies the non-empty files (at most AFL_MAX_INPUT bytes) of dir into
 * afl-in under content names and adds their number to *added; not the
 * crash cases of a regress folder, nor an input saved as a finding (a
 * crash or hang input is never an engine's input: afl-fuzz skips or
 * refuses it, and a hang costs its whole timeout). Returns 0, or -1
 * (reported) if dir cannot be listed: afl-fuzz would start without those
 * inputs. */
static int add_inputs(struct afl_state *s, const char *dir,
                      const struct strvec *findings, unsigned long *added)
{
    const char *afl_in = s->paths->afl_in;
    struct strvec names = {0};
    size_t i, k;

    if (fs_list_files(dir, "", &names) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", dir,
                     strerror(errno));
        return -1;
    }
    for (i = 0; i < names.n; i++) {
        char *src = fs_join(dir, names.v[i]);
        char hex[FS_SHA1_HEX_LEN + 1];
        struct stat st;
        int is_finding = 0;

        if (store_is_case_part(names.v[i]) || stat(src, &st) != 0 ||
            st.st_size == 0 || (unsigned long)st.st_size > AFL_MAX_INPUT ||
            fs_sha1_file(src, hex) != 0) {
            free(src);
            continue;
        }
        for (k = 0; k < findings->n && !is_finding; k++)
            is_finding = named_for(findings->v[k], hex);
        if (!is_finding && fs_copy_unique(src, afl_in, "", hex, NULL) == 1)
            (*added)++;
        free(src);
    }
    strvec_free(&names);
    return 0;
}

int afl_build_input_dir(struct afl_state *s)
{
    const char *in = s->paths->afl_in;
    const char *sub[] = {"seed", "regress", CORPUS_MERGED_DIR};
    struct strvec findings = {0};
    unsigned long n = 0;
    size_t i;
    int rc = -1;

    if (fs_remove_tree(in) != 0 || fs_mkdirs(in) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot prepare %s: %s", in,
                     strerror(errno));
        return -1;
    }
    /* a findings folder that cannot be listed yet (first run) holds none */
    fs_list_files(s->paths->findings, "", &findings);
    for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
        char *dir = fs_join(s->job->target->corpus, sub[i]);
        int failed = fs_is_dir(dir) && add_inputs(s, dir, &findings, &n) != 0;

        free(dir);
        if (failed)
            goto out;
    }
    if (add_inputs(s, s->paths->corpus, &findings, &n) != 0)
        goto out;
    if (n == 0) {
        /* afl-fuzz needs at least one input */
        char *seed = fs_join(in, "fwfuzz-default-seed");
        int werr = fs_write_atomic(seed, "0", 1);

        free(seed);
        if (werr != 0) {
            report_error(s->r, FW_EXIT_IO, "cannot write in %s: %s", in,
                         strerror(errno));
            rc = -1;
            goto out;
        }
        n = 1;
    }
    fw_msg("AFL++ input folder %s: %lu input%s", in, n, n == 1 ? "" : "s");
    rc = 0;
out:
    strvec_free(&findings);
    return rc;
}
