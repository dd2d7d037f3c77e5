/*
 * Fuzz target: the lcov tracefile reader of `fwfuzz cov`
 * (harness/fwfuzz/covlcov.c). It reads what llvm-cov and the emulated
 * replay driver wrote, and what a user's --out folder holds: any bytes must
 * be rejected or give a trace that writes out and reads back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "covlcov.h"
#include "fwfuzz/check.h"

static int same_totals(const struct covlcov_totals *a,
                       const struct covlcov_totals *b)
{
    return a->lines_total == b->lines_total &&
           a->lines_covered == b->lines_covered &&
           a->fns_total == b->fns_total && a->fns_covered == b->fns_covered;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct covlcov t, again, merged = {0};
    struct covlcov_totals k1, k2, k3;
    char err[256];
    char *text;
    size_t len, i;

    if (covlcov_parse((const char *)data, size, &t, err, sizeof(err)) != 0) {
        FWFUZZ_CHECK(err[0] != '\0', "a rejection says why");
        return 0;
    }
    covlcov_totals(&t, &k1);
    for (i = 0; i < t.nfiles; i++) {
        const struct covlcov_file *f = &t.files[i];
        size_t j;

        FWFUZZ_CHECK(i == 0 || strcmp(t.files[i - 1].path, f->path) < 0,
                     "files sorted, each once");
        for (j = 0; j < f->nfns; j++) {
            unsigned long tot, cov;

            covlcov_fn_lines(f, &f->fns[j], &tot, &cov);
            FWFUZZ_CHECK(cov <= tot && tot <= f->nlines,
                         "a function's lines are the file's");
        }
    }
    text = covlcov_format(&t, "fuzz", &len);
    FWFUZZ_CHECK(covlcov_parse(text, len, &again, err, sizeof(err)) == 0,
                 "what is written reads back");
    covlcov_totals(&again, &k2);
    FWFUZZ_CHECK(same_totals(&k1, &k2), "the same totals after a round trip");
    covlcov_merge(&merged, &t);
    covlcov_merge(&merged, &again);
    covlcov_totals(&merged, &k3);
    FWFUZZ_CHECK(same_totals(&k1, &k3), "a trace merged with itself: the same "
                                        "lines and functions");
    free(text);
    covlcov_free(&t);
    covlcov_free(&again);
    covlcov_free(&merged);
    return 0;
}
