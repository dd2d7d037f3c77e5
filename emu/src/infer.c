/*
 * Models found by trial, once, from a whole image's post-boot snapshot:
 * a probe input runs, and each peripheral register it served from the
 * input is tried again with each bit of that value flipped. A register
 * whose bits change nothing that runs reads as a constant and takes no
 * input; one where only a few bits change what runs takes only the input
 * bytes for those bits. Every process does the same trials on the same
 * probe, so every process has the same models: replays stay bit-exact.
 */
#include <string.h>

#include "internal.h"

#define PROBE_LEN   256u
#define PROBE_READS 16u /* registers tried, at most */

/* What a run did, as far as a model could change it. */
struct outcome {
    uint64_t trace;
    uint64_t blocks;
    int stop;
    int fault;
};

static void probe_input(uint8_t *buf)
{
    uint32_t x = 0x2545F491u; /* fixed: the same trials everywhere */
    unsigned i;

    for (i = 0; i < PROBE_LEN; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
}

static int probe_run(struct emu *e, const uint8_t *in, unsigned flip_read,
                     uint32_t flip_mask, struct outcome *o)
{
    struct emu_result res;
    int rc;

    if ((rc = emu_whole_start(e, in, PROBE_LEN)) != EMU_OK)
        return rc;
    emu_run_reset(e, 0, e->budget, &res);
    e->whole.probing = 1;
    e->whole.nprobe_reads = 0;
    e->whole.flip_read = flip_read;
    e->whole.flip_mask = flip_mask;
    e->whole.trace = 0xCBF29CE484222325ull;
    (void)emu_whole_resume(e, 0);
    e->whole.probing = 0;
    if (e->run.error != EMU_OK)
        return e->run.error;
    o->trace = e->whole.trace;
    o->blocks = e->run.blocks;
    o->stop = e->run.stopped ? (int)res.stop : -1;
    o->fault = e->run.stopped ? (int)res.fault : -1;
    return EMU_OK;
}

static void report_model(struct emu *e, const struct emu_model *m)
{
    struct emu_boot_report *r =
        e->whole.report != NULL ? e->whole.report : &e->own_report;
    struct emu_boot_model *b;

    if (r->nmodels == EMU_BOOT_MAX_MODELS)
        return;
    b = &r->models[r->nmodels++];
    memset(b, 0, sizeof(*b));
    b->addr = m->addr;
    b->value = m->value;
    b->mask = m->kind == EMU_MODEL_BITS ? m->mask : 0;
}

int emu_whole_infer(struct emu *e)
{
    uint8_t in[PROBE_LEN];
    uint32_t addr[PROBE_READS], size[PROBE_READS];
    struct emu_model found[PROBE_READS];
    struct outcome base, o;
    unsigned n, i, j, b, nfound = 0;
    int rc;

    probe_input(in);
    if ((rc = probe_run(e, in, UINT32_MAX, 0, &base)) != EMU_OK)
        return rc;
    n = e->whole.nprobe_reads < PROBE_READS ? e->whole.nprobe_reads
                                            : PROBE_READS;
    memcpy(addr, e->whole.probe_addr, n * sizeof(addr[0]));
    memcpy(size, e->whole.probe_size, n * sizeof(size[0]));
    for (i = 0; i < n; i++) {
        struct emu_model m;
        uint32_t used = 0;

        for (j = 0; j < i && addr[j] != addr[i]; j++)
            ;
        if (j < i || emu_model_at(e, addr[i]) != NULL)
            continue; /* its first read only; a model has it already */
        for (b = 0; b < 8 * size[i]; b++) {
            if ((rc = probe_run(e, in, i, 1u << b, &o)) != EMU_OK)
                return rc;
            if (o.trace != base.trace || o.blocks != base.blocks ||
                o.stop != base.stop || o.fault != base.fault)
                used |= 1u << b;
        }
        /* Most of its bits matter: the input gives them all, as now. */
        if (__builtin_popcount(used) > 8)
            continue;
        memset(&m, 0, sizeof(m));
        m.addr = addr[i];
        m.size = 4;
        m.found = 1;
        m.kind = used == 0 ? EMU_MODEL_CONST : EMU_MODEL_BITS;
        m.mask = used;
        found[nfound++] = m;
    }
    /* Added after the trials: a model changes what the input feeds the
     * reads after it, and every trial flipped a read of the same run. */
    for (i = 0; i < nfound; i++)
        if (emu_model_add(e, &found[i]) == 0)
            report_model(e, &found[i]);
    /* The handle is left as the boot left it: at the snapshot. */
    return emu_whole_start(e, NULL, 0);
}
