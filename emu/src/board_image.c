/*
 * The board keys of a whole image (entry "@reset", docs/rehosting.md):
 * "system" (vector table, NVIC size, time), "uart", "models" and "boot".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "emu/boot.h"
#include "internal.h"

#define IMAGE_BOOT_BUDGET   20000000u
#define IMAGE_BOOT_LIMIT    (1ull << 36)
#define IMAGE_CYCLES        8u
#define IMAGE_IRQS_V6M      32u
#define IMAGE_IRQS_V7M      64u
#define IMAGE_IRQS_MAX      (EMU_EXC_MAX - 16)
#define IMAGE_IRQ_EVERY_MAX 100000000u

static const char *const image_keys[] = {"system", "uart", "models", "boot",
                                         NULL};

static int in_mmio(struct emu_board_msg *p, const struct emu_board *b,
                   uint32_t addr, uint32_t size, const char *where)
{
    const struct emu_region *r = emu_board_region_at(b, addr);

    if (r == NULL || r->kind != EMU_KIND_MMIO || size == 0 ||
        addr - r->base > r->size - size)
        return emu_board_fail(p,
                              "%s: 0x%08x is not inside an \"mmio\" region "
                              "of the board",
                              where, (unsigned)addr);
    return EMU_OK;
}

static int opt_u32(struct emu_board_msg *p, const cJSON *obj, const char *key,
                   const char *where, uint32_t *out, int *given)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char w[96];

    if (given != NULL)
        *given = it != NULL;
    if (it == NULL)
        return EMU_OK;
    snprintf(w, sizeof(w), "%s.%s", where, key);
    return emu_board_get_u32(p, it, w, out);
}

static int parse_system(struct emu_board_msg *p, const cJSON *obj,
                        struct emu_board *b)
{
    static const char *const keys[] = {"vtor", "irqs", "cycles_per_block",
                                       "irq_every", NULL};
    struct emu_image_cfg *c = &b->image;
    uint32_t irqs = c->irqs;
    int rc;

    if (!cJSON_IsObject(obj))
        return emu_board_fail(p, "system: must be an object");
    if ((rc = emu_board_check_keys(p, obj, "system", keys)) != EMU_OK)
        return rc;
    if ((rc = opt_u32(p, obj, "vtor", "system", &c->vtor, &c->have_vtor)))
        return rc;
    if ((rc = opt_u32(p, obj, "irqs", "system", &irqs, NULL)) != EMU_OK)
        return rc;
    if (irqs > IMAGE_IRQS_MAX)
        return emu_board_fail(p,
                              "system.irqs: %u is more than the %u a "
                              "Cortex-M NVIC has",
                              (unsigned)irqs, (unsigned)IMAGE_IRQS_MAX);
    c->irqs = irqs;
    rc = opt_u32(p, obj, "cycles_per_block", "system", &c->cycles_per_block,
                 NULL);
    if (rc != EMU_OK)
        return rc;
    if (c->cycles_per_block == 0)
        return emu_board_fail(p, "system.cycles_per_block: must not be 0");
    if ((rc = opt_u32(p, obj, "irq_every", "system", &c->irq_every, NULL)))
        return rc;
    if (c->irq_every > IMAGE_IRQ_EVERY_MAX)
        return emu_board_fail(p, "system.irq_every: at most %u blocks",
                              (unsigned)IMAGE_IRQ_EVERY_MAX);
    return EMU_OK;
}

static int parse_boot(struct emu_board_msg *p, const cJSON *obj,
                      struct emu_board *b)
{
    static const char *const keys[] = {"budget_blocks", "auto_models", NULL};
    const cJSON *it;
    uint64_t v;
    int rc;

    if (!cJSON_IsObject(obj))
        return emu_board_fail(p, "boot: must be an object");
    if ((rc = emu_board_check_keys(p, obj, "boot", keys)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(obj, "budget_blocks");
    if (it != NULL) {
        rc = emu_board_get_number(p, it, "boot.budget_blocks", IMAGE_BOOT_LIMIT,
                                  &v);
        if (rc != EMU_OK)
            return rc;
        if (v == 0)
            return emu_board_fail(p, "boot.budget_blocks: must not be 0");
        b->image.boot_budget = v;
    }
    it = cJSON_GetObjectItemCaseSensitive(obj, "auto_models");
    if (it != NULL && (rc = emu_board_get_bool(p, it, "boot.auto_models",
                                               &b->image.auto_models)))
        return rc;
    return EMU_OK;
}

static int parse_uart(struct emu_board_msg *p, const cJSON *obj,
                      struct emu_board *b)
{
    static const char *const keys[] = {"data",     "rx",       "tx",
                                       "status",   "rx_ready", "tx_ready",
                                       "rx_event", "irq",      NULL};
    struct emu_uart_cfg *u = &b->image.uart;
    uint32_t data = 0, irq = 0;
    int have_data, have_rx, have_tx, have_irq, have_ready, rc;

    if (!cJSON_IsObject(obj))
        return emu_board_fail(p, "uart: must be an object");
    if ((rc = emu_board_check_keys(p, obj, "uart", keys)) != EMU_OK)
        return rc;
    if ((rc = opt_u32(p, obj, "data", "uart", &data, &have_data)) ||
        (rc = opt_u32(p, obj, "rx", "uart", &u->rx, &have_rx)) ||
        (rc = opt_u32(p, obj, "tx", "uart", &u->tx, &have_tx)) ||
        (rc = opt_u32(p, obj, "status", "uart", &u->status, NULL)) ||
        (rc = opt_u32(p, obj, "rx_ready", "uart", &u->rx_ready, &have_ready)) ||
        (rc = opt_u32(p, obj, "tx_ready", "uart", &u->tx_ready, NULL)) ||
        (rc = opt_u32(p, obj, "rx_event", "uart", &u->rx_event, NULL)) ||
        (rc = opt_u32(p, obj, "irq", "uart", &irq, &have_irq)))
        return rc;
    if (have_data && (have_rx || have_tx))
        return emu_board_fail(p, "uart: give \"data\" (one register for both "
                                 "ways) or \"rx\" and \"tx\", not both");
    if (have_data)
        u->rx = u->tx = data;
    else if (!have_rx || !have_tx)
        return emu_board_fail(p, "uart: \"data\", or \"rx\" and \"tx\", name "
                                 "its data registers");
    if ((rc = in_mmio(p, b, u->rx, 1, "uart.rx")) ||
        (rc = in_mmio(p, b, u->tx, 1, "uart.tx")))
        return rc;
    if (u->status != 0) {
        if ((rc = in_mmio(p, b, u->status, 4, "uart.status")))
            return rc;
        if (!have_ready || u->rx_ready == 0)
            return emu_board_fail(p, "uart.rx_ready: the status bits that say "
                                     "a byte waits are needed with "
                                     "\"status\"");
    }
    if (u->rx_event != 0 &&
        (rc = in_mmio(p, b, u->rx_event, 4, "uart.rx_event")) != EMU_OK)
        return rc;
    u->irq = -1;
    if (have_irq) {
        if (irq >= b->image.irqs)
            return emu_board_fail(p,
                                  "uart.irq: %u, but the NVIC has %u "
                                  "lines (system.irqs)",
                                  (unsigned)irq, b->image.irqs);
        u->irq = (int)irq;
    }
    u->have = 1;
    return EMU_OK;
}

static int model_cmp(const void *a, const void *b)
{
    const struct emu_model *x = a, *y = b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int parse_model(struct emu_board_msg *p, const cJSON *obj, unsigned i,
                       struct emu_board *b)
{
    static const char *const keys[] = {"addr", "size", "kind", "value",
                                       "mask", "why",  NULL};
    static const char *const kinds[] = {"input", "const", "readback", "bits"};
    struct emu_model *m = &b->image.models[i];
    const cJSON *it;
    char where[48];
    int have_addr, have_value, have_mask, rc;
    unsigned k;

    snprintf(where, sizeof(where), "models[%u]", i);
    if (!cJSON_IsObject(obj))
        return emu_board_fail(p, "%s: must be an object", where);
    if ((rc = emu_board_check_keys(p, obj, where, keys)) != EMU_OK)
        return rc;
    memset(m, 0, sizeof(*m));
    m->size = 4;
    m->kind = EMU_MODEL_CONST;
    if ((rc = opt_u32(p, obj, "addr", where, &m->addr, &have_addr)) ||
        (rc = opt_u32(p, obj, "size", where, &m->size, NULL)) ||
        (rc = opt_u32(p, obj, "value", where, &m->value, &have_value)) ||
        (rc = opt_u32(p, obj, "mask", where, &m->mask, &have_mask)))
        return rc;
    if (!have_addr)
        return emu_board_fail(p, "%s: \"addr\" is missing", where);
    it = cJSON_GetObjectItemCaseSensitive(obj, "kind");
    if (it != NULL) {
        if (!cJSON_IsString(it))
            return emu_board_fail(p, "%s.kind: must be a string", where);
        for (k = 0; k < 4; k++)
            if (strcmp(it->valuestring, kinds[k]) == 0)
                break;
        if (k == 4)
            return emu_board_fail(p,
                                  "%s.kind: \"%.32s\" is not \"const\", "
                                  "\"readback\", \"input\" or \"bits\"",
                                  where, it->valuestring);
        m->kind = (enum emu_model_kind)k;
    }
    if (m->kind == EMU_MODEL_CONST && !have_value)
        return emu_board_fail(p, "%s: a \"const\" model needs its \"value\"",
                              where);
    if (m->kind == EMU_MODEL_BITS && (!have_mask || m->mask == 0))
        return emu_board_fail(p,
                              "%s: a \"bits\" model needs a non-zero "
                              "\"mask\"",
                              where);
    if (m->size == 0 || m->size % 4 != 0)
        return emu_board_fail(p,
                              "%s.size: a whole number of 4-byte "
                              "registers",
                              where);
    return in_mmio(p, b, m->addr, m->size, where);
}

static int parse_models(struct emu_board_msg *p, const cJSON *arr,
                        struct emu_board *b)
{
    const cJSON *it;
    unsigned n = 0, i;
    int rc;

    if (!cJSON_IsArray(arr))
        return emu_board_fail(p, "models: must be an array of objects");
    cJSON_ArrayForEach(it, arr)
    {
        if (n == EMU_MAX_MODELS / 2)
            return emu_board_fail(p, "models: more than %u",
                                  EMU_MAX_MODELS / 2);
        if ((rc = parse_model(p, it, n, b)) != EMU_OK)
            return rc;
        n++;
    }
    qsort(b->image.models, n, sizeof(b->image.models[0]), model_cmp);
    for (i = 1; i < n; i++) {
        const struct emu_model *a = &b->image.models[i - 1];

        if (b->image.models[i].addr - a->addr < a->size)
            return emu_board_fail(p, "models: 0x%08x is modelled twice",
                                  (unsigned)b->image.models[i].addr);
    }
    b->image.nmodels = n;
    return EMU_OK;
}

/* The vector table at reset: the executable region holding address 0,
 * else the first executable region. */
static uint32_t default_vtor(const struct emu_board *b)
{
    const struct emu_region *r = emu_board_region_at(b, 0);
    unsigned i;

    if (r != NULL && (r->perm & UC_PROT_EXEC))
        return 0;
    for (i = 0; i < b->nregions; i++)
        if (b->regions[i].perm & UC_PROT_EXEC)
            return b->regions[i].base;
    return 0;
}

int emu_board_parse_image(struct emu_board_msg *p, const cJSON *root,
                          struct emu_board *b)
{
    struct emu_image_cfg *c = &b->image;
    const cJSON *it;
    unsigned i;
    int rc;

    memset(c, 0, sizeof(*c));
    c->whole = strcmp(b->entry, EMU_ENTRY_RESET) == 0;
    if (!c->whole) {
        /* A function's run is served no input by the UART: what it sends
         * is searched for secrets (oracle.c). */
        for (i = 0; image_keys[i] != NULL; i++)
            if (strcmp(image_keys[i], "uart") != 0 &&
                cJSON_GetObjectItemCaseSensitive(root, image_keys[i]))
                return emu_board_fail(p,
                                      "%s: only a whole image's board has "
                                      "it (\"entry\": \"%s\")",
                                      image_keys[i], EMU_ENTRY_RESET);
        c->uart.irq = -1;
        it = cJSON_GetObjectItemCaseSensitive(root, "uart");
        if (it != NULL && (rc = parse_uart(p, it, b)) != EMU_OK)
            return rc;
        return EMU_OK;
    }
    if (b->init[0] != '\0')
        return emu_board_fail(p, "init: a whole image runs its own reset "
                                 "handler; remove \"init\"");
    c->irqs =
        b->cpu_model == UC_CPU_ARM_CORTEX_M0 ? IMAGE_IRQS_V6M : IMAGE_IRQS_V7M;
    c->cycles_per_block = IMAGE_CYCLES;
    c->boot_budget = IMAGE_BOOT_BUDGET;
    c->auto_models = 1;
    c->vtor = default_vtor(b);
    c->uart.irq = -1;
    it = cJSON_GetObjectItemCaseSensitive(root, "system");
    if (it != NULL && (rc = parse_system(p, it, b)) != EMU_OK)
        return rc;
    if (c->vtor % 128 != 0)
        return emu_board_fail(p,
                              "system.vtor: 0x%08x is not 128-byte "
                              "aligned",
                              (unsigned)c->vtor);
    it = cJSON_GetObjectItemCaseSensitive(root, "boot");
    if (it != NULL && (rc = parse_boot(p, it, b)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(root, "uart");
    if (it != NULL && (rc = parse_uart(p, it, b)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(root, "models");
    if (it != NULL && (rc = parse_models(p, it, b)) != EMU_OK)
        return rc;
    return EMU_OK;
}
