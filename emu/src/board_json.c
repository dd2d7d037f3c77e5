/*
 * Board files: JSON parsed with cJSON, its keys and numbers checked, a
 * message naming the key at fault (board_layout.c places what it reads).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define BOARD_FILE_LIMIT         (1u << 20)
#define BOARD_DEFAULT_BUDGET     1000000u
#define BOARD_BUDGET_LIMIT       (1ull << 40)
#define BOARD_NULL_PAGE_DEFAULT  0x1000u
#define BOARD_NULL_PAGE_LIMIT    (1u << 20)
#define BOARD_INPUT_BASE_DEFAULT 0x60000000u
#define BOARD_INPUT_MAX_DEFAULT  0x10000u

int emu_board_vfail(struct emu_board_msg *m, int code, const char *fmt,
                    va_list ap)
{
    if (m->buf != NULL && m->len > 0)
        vsnprintf(m->buf, m->len, fmt, ap);
    return code;
}

int emu_board_fail(struct emu_board_msg *m, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = emu_board_vfail(m, EMU_ERR_BOARD, fmt, ap);
    va_end(ap);
    return rc;
}

static int fail_code(struct emu_board_msg *m, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_code(struct emu_board_msg *m, int code, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = emu_board_vfail(m, code, fmt, ap);
    va_end(ap);
    return rc;
}

/* clang-format off */
static const struct {
    const char *name;
    int model;
} board_cpus[] = {
    {"cortex-m0",     UC_CPU_ARM_CORTEX_M0},  /* ARMv6-M */
    {"cortex-m0plus", UC_CPU_ARM_CORTEX_M0},  /* modelled as the M0 */
    {"cortex-m0+",    UC_CPU_ARM_CORTEX_M0},
    {"cortex-m1",     UC_CPU_ARM_CORTEX_M0},
    {"cortex-m3",     UC_CPU_ARM_CORTEX_M3},  /* ARMv7-M */
    {"cortex-m4",     UC_CPU_ARM_CORTEX_M4},  /* ARMv7E-M, FPU */
    {"cortex-m7",     UC_CPU_ARM_CORTEX_M7},
    {"cortex-m33",    UC_CPU_ARM_CORTEX_M33}, /* ARMv8-M mainline */
};
/* clang-format on */

/* Keys a user may add for notes; everything else unknown is a typo. */
static int key_is_note(const char *k)
{
    return k[0] == '_' || strcmp(k, "comment") == 0 ||
           strcmp(k, "description") == 0;
}

/* Refuses unknown and duplicate keys of obj; known is NULL-terminated. */
int emu_board_check_keys(struct emu_board_msg *p, const cJSON *obj,
                         const char *where, const char *const *known)
{
    const cJSON *a, *b;
    size_t i;

    for (a = obj->child; a != NULL; a = a->next) {
        int ok = 0;

        if (a->string == NULL)
            return emu_board_fail(p, "%s: member without a name", where);
        for (i = 0; known[i] != NULL; i++)
            if (strcmp(a->string, known[i]) == 0)
                ok = 1;
        if (!ok && !key_is_note(a->string)) {
            char list[256] = "";
            size_t at = 0;

            for (i = 0; known[i] != NULL && at < sizeof(list); i++)
                at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
                                       i ? ", " : "", known[i]);
            return emu_board_fail(p, "%s: unknown key \"%.64s\" (known: %s)",
                                  where, a->string, list);
        }
        for (b = obj->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return emu_board_fail(p, "%s: key \"%.64s\" given twice", where,
                                      a->string);
    }
    return EMU_OK;
}

/*
 * "4096", "0x1000", "4K", "1M", "2G" (binary multiples; "KB", "KiB" too).
 * Returns 0 and the value, or -1.
 */
static int parse_number_text(const char *s, uint64_t *out)
{
    uint64_t v = 0, mul = 1;
    int base = 10, digits = 0;

    while (*s == ' ')
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++) {
        unsigned d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else if (*s == '_' && digits > 0)
            continue;
        else
            break;
        if (v > (UINT64_MAX - d) / (unsigned)base)
            return -1;
        v = v * (unsigned)base + d;
        digits++;
    }
    if (digits == 0)
        return -1;
    while (*s == ' ')
        s++;
    switch (*s) {
    case 'k':
    case 'K':
        mul = 1ull << 10;
        break;
    case 'm':
    case 'M':
        mul = 1ull << 20;
        break;
    case 'g':
    case 'G':
        mul = 1ull << 30;
        break;
    case '\0':
        break;
    default:
        return -1;
    }
    if (mul != 1) {
        s++;
        if (strcmp(s, "") != 0 && strcmp(s, "B") != 0 && strcmp(s, "iB") != 0 &&
            strcmp(s, "b") != 0)
            return -1;
        if (v > UINT64_MAX / mul)
            return -1;
        v *= mul;
    }
    *out = v;
    return 0;
}

int emu_board_get_number(struct emu_board_msg *p, const cJSON *item,
                         const char *where, uint64_t max, uint64_t *out)
{
    if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;

        /* 2^53: every integer below is exact in a double. */
        if (!(d >= 0.0) || d > 9007199254740992.0 || (double)(uint64_t)d != d)
            return emu_board_fail(
                p, "%s: %g is not a whole non-negative number", where, d);
        *out = (uint64_t)d;
    } else if (cJSON_IsString(item)) {
        if (parse_number_text(item->valuestring, out) != 0)
            return emu_board_fail(p,
                                  "%s: \"%.40s\" is not a number (write 4096, "
                                  "\"0x1000\" or \"4K\")",
                                  where, item->valuestring);
    } else {
        return emu_board_fail(
            p, "%s: must be a number or a string such as \"0x1000\"", where);
    }
    if (*out > max)
        return emu_board_fail(p, "%s: 0x%llx is too large (at most 0x%llx)",
                              where, (unsigned long long)*out,
                              (unsigned long long)max);
    return EMU_OK;
}

int emu_board_get_u32(struct emu_board_msg *p, const cJSON *item,
                      const char *where, uint32_t *out)
{
    uint64_t v;
    int rc = emu_board_get_number(p, item, where, UINT32_MAX, &v);

    if (rc == EMU_OK)
        *out = (uint32_t)v;
    return rc;
}

int emu_board_get_bool(struct emu_board_msg *p, const cJSON *item,
                       const char *where, int *out)
{
    if (!cJSON_IsBool(item))
        return emu_board_fail(p, "%s: must be true or false", where);
    *out = cJSON_IsTrue(item) ? 1 : 0;
    return EMU_OK;
}

static int get_string(struct emu_board_msg *p, const cJSON *item,
                      const char *where, char *out, size_t outlen,
                      int allow_empty)
{
    size_t n;

    if (!cJSON_IsString(item))
        return emu_board_fail(p, "%s: must be a string", where);
    n = strlen(item->valuestring);
    if (n == 0 && !allow_empty)
        return emu_board_fail(p, "%s: must not be empty", where);
    if (n >= outlen)
        return emu_board_fail(p, "%s: longer than %zu characters", where,
                              outlen - 1);
    memcpy(out, item->valuestring, n + 1);
    return EMU_OK;
}

static int parse_cpu(struct emu_board_msg *p, const cJSON *item,
                     struct emu_board *b)
{
    char name[24];
    size_t i;
    int rc = get_string(p, item, "cpu", name, sizeof(name), 0);

    if (rc != EMU_OK)
        return rc;
    for (i = 0; i < sizeof(board_cpus) / sizeof(board_cpus[0]); i++) {
        if (strcmp(name, board_cpus[i].name) == 0) {
            b->cpu_model = board_cpus[i].model;
            memcpy(b->cpu_name, name, strlen(name) + 1);
            return EMU_OK;
        }
    }
    return emu_board_fail(
        p,
        "cpu: \"%s\" is not supported (cortex-m0, cortex-m0plus, "
        "cortex-m3, cortex-m4, cortex-m7, cortex-m33)",
        name);
}

static int parse_perm(struct emu_board_msg *p, const cJSON *item,
                      const char *where, unsigned *perm)
{
    const char *s;

    if (!cJSON_IsString(item))
        return emu_board_fail(p, "%s: must be a string of r, w, x (\"rx\")",
                              where);
    *perm = 0;
    for (s = item->valuestring; *s != '\0'; s++) {
        unsigned bit = *s == 'r'   ? UC_PROT_READ
                       : *s == 'w' ? UC_PROT_WRITE
                       : *s == 'x' ? UC_PROT_EXEC
                                   : 0;

        if (bit == 0 || (*perm & bit))
            return emu_board_fail(p, "%s: \"%.16s\" is not a set of r, w, x",
                                  where, item->valuestring);
        *perm |= bit;
    }
    if (!(*perm & UC_PROT_READ))
        return emu_board_fail(
            p, "%s: a region must at least be readable (\"r\")", where);
    return EMU_OK;
}

static int parse_region(struct emu_board_msg *p, const cJSON *obj, unsigned idx,
                        struct emu_region *r)
{
    static const char *const keys[] = {"name", "base",       "size", "perm",
                                       "kind", "read_value", NULL};
    char where[96];
    const cJSON *it;
    uint64_t v;
    int rc, have_kind = 0;

    snprintf(where, sizeof(where), "regions[%u]", idx);
    if (!cJSON_IsObject(obj))
        return emu_board_fail(p, "%s: must be an object", where);
    if ((rc = emu_board_check_keys(p, obj, where, keys)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (it == NULL)
        return emu_board_fail(p, "%s: \"name\" is missing", where);
    snprintf(where, sizeof(where), "regions[%u].name", idx);
    if ((rc = get_string(p, it, where, r->name, sizeof(r->name), 0)) != 0)
        return rc;

    snprintf(where, sizeof(where), "regions[%u] (\"%s\")", idx, r->name);
    it = cJSON_GetObjectItemCaseSensitive(obj, "base");
    if (it == NULL)
        return emu_board_fail(p, "%s: \"base\" is missing", where);
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").base", idx, r->name);
    if ((rc = emu_board_get_u32(p, it, where, &r->base)) != EMU_OK)
        return rc;

    snprintf(where, sizeof(where), "regions[%u] (\"%s\")", idx, r->name);
    it = cJSON_GetObjectItemCaseSensitive(obj, "size");
    if (it == NULL)
        return emu_board_fail(p, "%s: \"size\" is missing", where);
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").size", idx, r->name);
    if ((rc = emu_board_get_number(p, it, where, 1ull << 32, &v)) != EMU_OK)
        return rc;
    if (v == 0)
        return emu_board_fail(p, "%s: must not be 0", where);
    if (v > EMU_REGION_LIMIT)
        return emu_board_fail(
            p,
            "%s: 0x%llx bytes is absurd for a Cortex-M (at most "
            "256 MiB per region)",
            where, (unsigned long long)v);
    r->size = (uint32_t)v;

    r->perm = UC_PROT_READ | UC_PROT_WRITE;
    it = cJSON_GetObjectItemCaseSensitive(obj, "perm");
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").perm", idx, r->name);
    if (it != NULL && (rc = parse_perm(p, it, where, &r->perm)) != EMU_OK)
        return rc;

    it = cJSON_GetObjectItemCaseSensitive(obj, "kind");
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").kind", idx, r->name);
    if (it != NULL) {
        if (!cJSON_IsString(it))
            return emu_board_fail(
                p, "%s: must be \"flash\", \"ram\" or \"mmio\"", where);
        if (strcmp(it->valuestring, "flash") == 0 ||
            strcmp(it->valuestring, "rom") == 0)
            r->kind = EMU_KIND_FLASH;
        else if (strcmp(it->valuestring, "ram") == 0)
            r->kind = EMU_KIND_RAM;
        else if (strcmp(it->valuestring, "mmio") == 0)
            r->kind = EMU_KIND_MMIO;
        else
            return emu_board_fail(
                p, "%s: \"%.32s\" is not \"flash\", \"ram\" or \"mmio\"", where,
                it->valuestring);
        have_kind = 1;
    }
    if (!have_kind)
        r->kind = (r->perm & UC_PROT_WRITE) ? EMU_KIND_RAM : EMU_KIND_FLASH;
    if (r->kind == EMU_KIND_FLASH && (r->perm & UC_PROT_WRITE))
        return emu_board_fail(p,
                              "regions[%u] (\"%s\"): flash is read-only to the "
                              "firmware: perm must not contain \"w\" (use kind "
                              "\"ram\" for writable memory)",
                              idx, r->name);
    if (r->kind == EMU_KIND_RAM && !(r->perm & UC_PROT_WRITE))
        return emu_board_fail(
            p, "regions[%u] (\"%s\"): RAM must be writable (\"rw\")", idx,
            r->name);
    if (r->kind == EMU_KIND_MMIO && (r->perm & UC_PROT_EXEC))
        return emu_board_fail(
            p, "regions[%u] (\"%s\"): code cannot run from MMIO", idx, r->name);

    r->read_value = 0;
    it = cJSON_GetObjectItemCaseSensitive(obj, "read_value");
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").read_value", idx,
             r->name);
    if (it != NULL) {
        if (r->kind != EMU_KIND_MMIO)
            return emu_board_fail(
                p, "%s: only an \"mmio\" region has a read_value", where);
        if ((rc = emu_board_get_u32(p, it, where, &r->read_value)) != EMU_OK)
            return rc;
    }
    if (r->base % EMU_PAGE != 0 || r->size % EMU_PAGE != 0)
        return emu_board_fail(
            p,
            "regions[%u] (\"%s\"): base 0x%08x and size 0x%x must be "
            "multiples of 1 KiB (Unicorn maps whole 1 KiB pages)",
            idx, r->name, (unsigned)r->base, (unsigned)r->size);
    if ((uint64_t)r->base + r->size > (1ull << 32))
        return emu_board_fail(
            p,
            "regions[%u] (\"%s\"): 0x%08x + 0x%x runs past the end of "
            "the 32-bit address space",
            idx, r->name, (unsigned)r->base, (unsigned)r->size);
    return EMU_OK;
}

static int parse_regions(struct emu_board_msg *p, const cJSON *arr,
                         struct emu_board *b)
{
    const cJSON *it;
    uint64_t mapped = 0, ram = 0;
    unsigned i, have_exec = 0;
    int rc;

    if (arr == NULL)
        return emu_board_fail(
            p, "\"regions\" is missing: a board needs at least its "
               "flash and its RAM");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return emu_board_fail(p,
                              "regions: must be a non-empty array of objects");
    if (cJSON_GetArraySize(arr) > EMU_MAX_REGIONS)
        return emu_board_fail(p, "regions: %d regions, at most %d",
                              cJSON_GetArraySize(arr), EMU_MAX_REGIONS);
    for (it = arr->child, i = 0; it != NULL; it = it->next, i++) {
        struct emu_region *r = &b->regions[i];

        if ((rc = parse_region(p, it, i, r)) != EMU_OK)
            return rc;
        if ((rc = emu_board_check_region(p, b, i)) != EMU_OK)
            return rc;
        if (r->kind != EMU_KIND_MMIO)
            mapped += r->size;
        if (r->kind == EMU_KIND_RAM)
            ram += r->size;
        if (r->perm & UC_PROT_EXEC)
            have_exec = 1;
        b->nregions = i + 1;
    }
    if (!have_exec)
        return emu_board_fail(
            p, "regions: none is executable (give the flash perm "
               "\"rx\")");
    if (mapped > EMU_MAPPED_LIMIT)
        return emu_board_fail(
            p,
            "regions: %llu MiB of flash and RAM is absurd for a "
            "Cortex-M (at most %u MiB)",
            (unsigned long long)(mapped >> 20),
            (unsigned)(EMU_MAPPED_LIMIT >> 20));
    if (ram > EMU_RAM_LIMIT)
        return emu_board_fail(
            p,
            "regions: %llu MiB of RAM is more than the %u MiB the "
            "emulator restores between runs",
            (unsigned long long)(ram >> 20), (unsigned)(EMU_RAM_LIMIT >> 20));
    return EMU_OK;
}

static int parse_stack(struct emu_board_msg *p, const cJSON *obj,
                       struct emu_board *b)
{
    static const char *const keys[] = {"top", "limit", NULL};
    const struct emu_region *ram = emu_board_first_ram(b), *r;
    const cJSON *it;
    int rc;

    if (ram == NULL)
        return emu_board_fail(p, "regions: no \"ram\" region for the stack");
    b->stack_top = ram->base + ram->size; /* may wrap to 0: checked below */
    if (obj != NULL) {
        if (!cJSON_IsObject(obj))
            return emu_board_fail(
                p, "stack: must be an object {\"top\", \"limit\"}");
        if ((rc = emu_board_check_keys(p, obj, "stack", keys)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "top");
        if (it != NULL &&
            (rc = emu_board_get_u32(p, it, "stack.top", &b->stack_top)))
            return rc;
    }
    /* The stack grows down from top: the byte below it must be RAM. */
    r = emu_board_region_at(b, b->stack_top - 1);
    if (r == NULL || r->kind != EMU_KIND_RAM || b->stack_top == 0)
        return emu_board_fail(p,
                              "stack.top: 0x%08x is not the end of or inside a "
                              "\"ram\" region",
                              (unsigned)b->stack_top);
    if (b->stack_top % 8 != 0)
        return emu_board_fail(p,
                              "stack.top: 0x%08x is not 8-byte aligned (AAPCS)",
                              (unsigned)b->stack_top);
    b->stack_limit = r->base;
    if (obj != NULL) {
        it = cJSON_GetObjectItemCaseSensitive(obj, "limit");
        if (it != NULL && (rc = emu_board_get_u32(p, it, "stack.limit",
                                                  &b->stack_limit)) != EMU_OK)
            return rc;
    }
    if (b->stack_limit >= b->stack_top || b->stack_limit < r->base)
        return emu_board_fail(
            p,
            "stack.limit: 0x%08x must lie below stack.top 0x%08x, "
            "inside region \"%s\" (0x%08x-0x%08x)",
            (unsigned)b->stack_limit, (unsigned)b->stack_top, r->name,
            (unsigned)r->base, (unsigned)(r->base + (r->size - 1)));
    if (b->stack_top - b->stack_limit < 256)
        return emu_board_fail(
            p,
            "stack: %u bytes between limit and top is too small "
            "to call anything",
            (unsigned)(b->stack_top - b->stack_limit));
    return EMU_OK;
}

static int parse_input(struct emu_board_msg *p, const cJSON *obj,
                       struct emu_board *b)
{
    static const char *const keys[] = {"base", "max_size", "writable", NULL};
    const cJSON *it;
    uint64_t v;
    int rc;

    b->input_base = BOARD_INPUT_BASE_DEFAULT;
    b->input_max = BOARD_INPUT_MAX_DEFAULT;
    b->input_writable = 0;
    if (obj != NULL) {
        if (!cJSON_IsObject(obj))
            return emu_board_fail(p, "input: must be an object {\"base\", "
                                     "\"max_size\"}");
        if ((rc = emu_board_check_keys(p, obj, "input", keys)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "base");
        if (it != NULL && (rc = emu_board_get_u32(p, it, "input.base",
                                                  &b->input_base)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "max_size");
        if (it != NULL) {
            rc = emu_board_get_number(p, it, "input.max_size", EMU_INPUT_LIMIT,
                                      &v);
            if (rc != EMU_OK)
                return rc;
            if (v == 0)
                return emu_board_fail(p, "input.max_size: must not be 0");
            b->input_max = (uint32_t)v;
        }
        it = cJSON_GetObjectItemCaseSensitive(obj, "writable");
        if (it != NULL && (rc = emu_board_get_bool(p, it, "input.writable",
                                                   &b->input_writable)))
            return rc;
    }
    return emu_board_place_input(p, b);
}

static int parse_faults(struct emu_board_msg *p, const cJSON *obj,
                        struct emu_board *b)
{
    static const char *const keys[] = {"null_page", "null_page_size", NULL};
    const cJSON *it;
    int rc;

    b->null_page = 1;
    b->null_page_size = BOARD_NULL_PAGE_DEFAULT;
    if (obj != NULL) {
        if (!cJSON_IsObject(obj))
            return emu_board_fail(p, "faults: must be an object");
        if ((rc = emu_board_check_keys(p, obj, "faults", keys)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "null_page");
        if (it != NULL &&
            (rc = emu_board_get_bool(p, it, "faults.null_page", &b->null_page)))
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "null_page_size");
        if (it != NULL &&
            (rc = emu_board_get_u32(p, it, "faults.null_page_size",
                                    &b->null_page_size)) != EMU_OK)
            return rc;
    }
    if (b->null_page_size == 0 || b->null_page_size > BOARD_NULL_PAGE_LIMIT ||
        b->null_page_size % EMU_PAGE != 0)
        return emu_board_fail(
            p,
            "faults.null_page_size: 0x%x must be a multiple of "
            "1 KiB between 0x400 and 0x100000",
            (unsigned)b->null_page_size);
    return emu_board_check_null_page(p, b);
}

/* The shadow offset the image was built with (-fasan-shadow-offset). */
static int parse_kasan(struct emu_board_msg *p, const cJSON *obj,
                       struct emu_board *b)
{
    static const char *const keys[] = {"shadow_offset", NULL};
    const cJSON *it;
    int rc;

    if (obj == NULL)
        return EMU_OK;
    if (!cJSON_IsObject(obj))
        return emu_board_fail(p,
                              "kasan: must be an object {\"shadow_offset\"}");
    if ((rc = emu_board_check_keys(p, obj, "kasan", keys)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(obj, "shadow_offset");
    if (it == NULL)
        return emu_board_fail(
            p, "kasan.shadow_offset is missing (the value given to "
               "-fasan-shadow-offset)");
    if ((rc = emu_board_get_u32(p, it, "kasan.shadow_offset",
                                &b->shadow_offset)))
        return rc;
    b->kasan = 1;
    return emu_board_shadow_all(p, b);
}

static int parse_root(struct emu_board_msg *p, const cJSON *root,
                      struct emu_board *b)
{
    static const char *const keys[] = {
        "name",  "cpu",           "regions", "stack",   "input",    "init",
        "entry", "budget_blocks", "faults",  "kasan",   "sentinel", "system",
        "uart",  "models",        "boot",    "extends", NULL};
    const cJSON *it;
    uint64_t v;
    int rc;

    if (!cJSON_IsObject(root))
        return emu_board_fail(p, "the board must be a JSON object");
    if ((rc = emu_board_check_keys(p, root, "board", keys)) != EMU_OK)
        return rc;
    snprintf(b->name, sizeof(b->name), "board");
    it = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (it != NULL &&
        (rc = get_string(p, it, "name", b->name, sizeof(b->name), 0)))
        return rc;
    b->cpu_model = UC_CPU_ARM_CORTEX_M4;
    snprintf(b->cpu_name, sizeof(b->cpu_name), "cortex-m4");
    it = cJSON_GetObjectItemCaseSensitive(root, "cpu");
    if (it != NULL && (rc = parse_cpu(p, it, b)) != EMU_OK)
        return rc;
    rc = parse_regions(p, cJSON_GetObjectItemCaseSensitive(root, "regions"), b);
    if (rc != EMU_OK)
        return rc;
    rc = parse_stack(p, cJSON_GetObjectItemCaseSensitive(root, "stack"), b);
    if (rc != EMU_OK)
        return rc;
    rc = parse_input(p, cJSON_GetObjectItemCaseSensitive(root, "input"), b);
    if (rc != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(root, "init");
    if (it != NULL &&
        (rc = get_string(p, it, "init", b->init, sizeof(b->init), 1)))
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(root, "entry");
    if (it != NULL &&
        (rc = get_string(p, it, "entry", b->entry, sizeof(b->entry), 1)))
        return rc;
    b->budget_blocks = BOARD_DEFAULT_BUDGET;
    it = cJSON_GetObjectItemCaseSensitive(root, "budget_blocks");
    if (it != NULL) {
        rc = emu_board_get_number(p, it, "budget_blocks", BOARD_BUDGET_LIMIT,
                                  &v);
        if (rc != EMU_OK)
            return rc;
        if (v == 0)
            return emu_board_fail(p, "budget_blocks: must not be 0");
        b->budget_blocks = v;
    }
    rc = parse_kasan(p, cJSON_GetObjectItemCaseSensitive(root, "kasan"), b);
    if (rc != EMU_OK)
        return rc;
    rc = parse_faults(p, cJSON_GetObjectItemCaseSensitive(root, "faults"), b);
    if (rc != EMU_OK)
        return rc;
    if (b->kasan && b->null_page) {
        rc = emu_board_add_shadow(p, b, 0, b->null_page_size, "the NULL page");
        if (rc != EMU_OK)
            return rc;
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "extends") != NULL)
        return emu_board_fail(p, "extends: only a board file read from disk "
                                 "can extend another (emu_board_load)");
    if ((rc = emu_board_parse_image(p, root, b)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(root, "sentinel");
    if (it != NULL &&
        (rc = emu_board_get_u32(p, it, "sentinel", &b->sentinel)) != EMU_OK)
        return rc;
    return emu_board_choose_sentinel(p, b, it != NULL);
}

/* Line and column of offset in json, for a syntax error. */
static void where_in_text(const char *json, size_t len, size_t off,
                          unsigned *line, unsigned *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off && i < len; i++) {
        if (json[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int emu_board_parse(const char *json, size_t len, struct emu_board **out,
                    char *errbuf, size_t errlen)
{
    struct emu_board_msg p = {errbuf, errlen};
    struct emu_board *b = NULL;
    cJSON *root = NULL;
    const char *end = NULL, *nul;
    int rc;

    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    if (out == NULL)
        return EMU_ERR_ARG;
    *out = NULL;
    if (json == NULL)
        return fail_code(&p, EMU_ERR_ARG, "no board text");
    if (len > BOARD_FILE_LIMIT)
        return emu_board_fail(
            &p, "board text of %zu bytes is too large (at most 1 MiB)", len);
    nul = memchr(json, '\0', len);
    if (nul != NULL)
        return emu_board_fail(&p, "not valid JSON: a NUL byte at offset %zu",
                              (size_t)(nul - json));
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        unsigned line, col;
        size_t off = end != NULL && end >= json && end <= json + len
                         ? (size_t)(end - json)
                         : len;

        where_in_text(json, len, off, &line, &col);
        return emu_board_fail(
            &p, "not valid JSON: syntax error at line %u, column %u", line,
            col);
    }
    b = calloc(1, sizeof(*b));
    if (b == NULL) {
        rc = fail_code(&p, EMU_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = parse_root(&p, root, b);
    if (rc == EMU_OK) {
        *out = b;
        b = NULL;
    }
out:
    free(b);
    cJSON_Delete(root);
    return rc;
}

/* The text of a board file, NUL-terminated, in *text (malloc'd). */
static int read_board_file(struct emu_board_msg *p, const char *path,
                           char **text, size_t *len)
{
    FILE *f;
    struct stat st;
    size_t n;
    int rc = EMU_OK;

    *text = NULL;
    f = fopen(path, "rb");
    if (f == NULL)
        return fail_code(p, EMU_ERR_IO, "%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = fail_code(p, EMU_ERR_IO, "%s: not a regular file", path);
        goto out;
    }
    *text = malloc(BOARD_FILE_LIMIT + 1);
    if (*text == NULL) {
        rc = fail_code(p, EMU_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    n = fread(*text, 1, BOARD_FILE_LIMIT + 1, f);
    if (ferror(f))
        rc = fail_code(p, EMU_ERR_IO, "%s: read error", path);
    else if (n > BOARD_FILE_LIMIT)
        rc = emu_board_fail(p, "%s: larger than 1 MiB: not a board file", path);
    if (rc == EMU_OK) {
        (*text)[n] = '\0';
        *len = n;
    }
out:
    if (rc != EMU_OK) {
        free(*text);
        *text = NULL;
    }
    fclose(f);
    return rc;
}

#define BOARD_EXTENDS_DEPTH 4

/*
 * A board with "extends": "other.json" (a path relative to its own
 * folder) is the other board with its own top-level keys put over it
 * (a key set to null removes the other board's).
 * Returns the JSON of the board to parse in *text (malloc'd); a file
 * without "extends", or one that is not JSON (the parser says why), is
 * returned as it is.
 */
static int board_text(struct emu_board_msg *p, const char *path, int depth,
                      char **text, size_t *len)
{
    cJSON *root = NULL, *base = NULL, *it, *next;
    const cJSON *ext;
    char *parent_path = NULL, *parent = NULL, *merged;
    size_t parent_len, dir_len;
    const char *slash;
    int rc = read_board_file(p, path, text, len);

    if (rc != EMU_OK)
        return rc;
    root = cJSON_ParseWithLength(*text, *len);
    ext =
        root != NULL ? cJSON_GetObjectItemCaseSensitive(root, "extends") : NULL;
    if (ext == NULL)
        goto out;
    if (!cJSON_IsString(ext) || ext->valuestring[0] == '\0') {
        rc = emu_board_fail(p, "%s: extends: must name a board file", path);
        goto out;
    }
    if (depth >= BOARD_EXTENDS_DEPTH) {
        rc = emu_board_fail(p,
                            "%s: extends: more than %d boards deep (a "
                            "loop?)",
                            path, BOARD_EXTENDS_DEPTH);
        goto out;
    }
    slash = strrchr(path, '/');
    dir_len = ext->valuestring[0] == '/' || slash == NULL
                  ? 0
                  : (size_t)(slash - path) + 1;
    parent_path = malloc(dir_len + strlen(ext->valuestring) + 1);
    if (parent_path == NULL) {
        rc = fail_code(p, EMU_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    memcpy(parent_path, path, dir_len);
    strcpy(parent_path + dir_len, ext->valuestring);
    rc = board_text(p, parent_path, depth + 1, &parent, &parent_len);
    if (rc != EMU_OK)
        goto out;
    base = cJSON_ParseWithLength(parent, parent_len);
    if (!cJSON_IsObject(base)) {
        rc = emu_board_fail(p, "%s: extends: %s is not a JSON object", path,
                            parent_path);
        goto out;
    }
    for (it = root->child; it != NULL; it = next) {
        next = it->next;
        if (strcmp(it->string, "extends") == 0)
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(base, it->string);
        /* null: the key of the other board is dropped, not replaced */
        if (!cJSON_IsNull(it))
            cJSON_AddItemToObject(base, it->string,
                                  cJSON_DetachItemViaPointer(root, it));
    }
    merged = cJSON_PrintUnformatted(base);
    if (merged == NULL) {
        rc = fail_code(p, EMU_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    free(*text);
    *text = merged;
    *len = strlen(merged);
out:
    if (rc != EMU_OK) {
        free(*text);
        *text = NULL;
    }
    cJSON_Delete(root);
    cJSON_Delete(base);
    free(parent);
    free(parent_path);
    return rc;
}

int emu_board_load(const char *path, struct emu_board **out, char *errbuf,
                   size_t errlen)
{
    struct emu_board_msg p = {errbuf, errlen};
    char *text = NULL;
    size_t n = 0;
    int rc;

    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    if (out == NULL)
        return EMU_ERR_ARG;
    *out = NULL;
    if (path == NULL)
        return fail_code(&p, EMU_ERR_ARG, "no board file given");
    rc = board_text(&p, path, 0, &text, &n);
    if (rc != EMU_OK)
        return rc;
    rc = emu_board_parse(text, n, out, errbuf, errlen);
    if (rc != EMU_OK && errbuf != NULL && errlen > 0) {
        /* Name the file in front of the parser's message. */
        char *msg = strdup(errbuf);

        if (msg != NULL) {
            snprintf(errbuf, errlen, "%s: %s", path, msg);
            free(msg);
        }
    }
    free(text);
    return rc;
}

void emu_board_free(struct emu_board *board)
{
    free(board);
}

const char *emu_board_name(const struct emu_board *board)
{
    return board != NULL ? board->name : NULL;
}

const char *emu_board_entry(const struct emu_board *board)
{
    return board != NULL && board->entry[0] != '\0' ? board->entry : NULL;
}

size_t emu_board_input_max(const struct emu_board *board)
{
    return board != NULL ? board->input_max : 0;
}
