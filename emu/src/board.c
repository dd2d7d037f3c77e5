/* Board files: JSON parsed with cJSON, then checked for consistency. */
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

struct parse {
    char *err;
    size_t errlen;
};

static int vfail(struct parse *p, int code, const char *fmt, va_list ap)
{
    if (p->err != NULL && p->errlen > 0)
        vsnprintf(p->err, p->errlen, fmt, ap);
    return code;
}

static int fail(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail_code(struct parse *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the message; returns EMU_ERR_BOARD. */
static int fail(struct parse *p, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail(p, EMU_ERR_BOARD, fmt, ap);
    va_end(ap);
    return rc;
}

static int fail_code(struct parse *p, int code, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail(p, code, fmt, ap);
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
static int check_keys(struct parse *p, const cJSON *obj, const char *where,
                      const char *const *known)
{
    const cJSON *a, *b;
    size_t i;

    for (a = obj->child; a != NULL; a = a->next) {
        int ok = 0;

        if (a->string == NULL)
            return fail(p, "%s: member without a name", where);
        for (i = 0; known[i] != NULL; i++)
            if (strcmp(a->string, known[i]) == 0)
                ok = 1;
        if (!ok && !key_is_note(a->string)) {
            char list[256] = "";
            size_t at = 0;

            for (i = 0; known[i] != NULL && at < sizeof(list); i++)
                at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
                                       i ? ", " : "", known[i]);
            return fail(p, "%s: unknown key \"%.64s\" (known: %s)", where,
                        a->string, list);
        }
        for (b = obj->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return fail(p, "%s: key \"%.64s\" given twice", where,
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

static int get_number(struct parse *p, const cJSON *item, const char *where,
                      uint64_t max, uint64_t *out)
{
    if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;

        /* 2^53: every integer below is exact in a double. */
        if (!(d >= 0.0) || d > 9007199254740992.0 || (double)(uint64_t)d != d)
            return fail(p, "%s: %g is not a whole non-negative number", where,
                        d);
        *out = (uint64_t)d;
    } else if (cJSON_IsString(item)) {
        if (parse_number_text(item->valuestring, out) != 0)
            return fail(p,
                        "%s: \"%.40s\" is not a number (write 4096, "
                        "\"0x1000\" or \"4K\")",
                        where, item->valuestring);
    } else {
        return fail(p, "%s: must be a number or a string such as \"0x1000\"",
                    where);
    }
    if (*out > max)
        return fail(p, "%s: 0x%llx is too large (at most 0x%llx)", where,
                    (unsigned long long)*out, (unsigned long long)max);
    return EMU_OK;
}

static int get_u32(struct parse *p, const cJSON *item, const char *where,
                   uint32_t *out)
{
    uint64_t v;
    int rc = get_number(p, item, where, UINT32_MAX, &v);

    if (rc == EMU_OK)
        *out = (uint32_t)v;
    return rc;
}

static int get_bool(struct parse *p, const cJSON *item, const char *where,
                    int *out)
{
    if (!cJSON_IsBool(item))
        return fail(p, "%s: must be true or false", where);
    *out = cJSON_IsTrue(item) ? 1 : 0;
    return EMU_OK;
}

static int get_string(struct parse *p, const cJSON *item, const char *where,
                      char *out, size_t outlen, int allow_empty)
{
    size_t n;

    if (!cJSON_IsString(item))
        return fail(p, "%s: must be a string", where);
    n = strlen(item->valuestring);
    if (n == 0 && !allow_empty)
        return fail(p, "%s: must not be empty", where);
    if (n >= outlen)
        return fail(p, "%s: longer than %zu characters", where, outlen - 1);
    memcpy(out, item->valuestring, n + 1);
    return EMU_OK;
}

static int parse_cpu(struct parse *p, const cJSON *item, struct emu_board *b)
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
    return fail(p,
                "cpu: \"%s\" is not supported (cortex-m0, cortex-m0plus, "
                "cortex-m3, cortex-m4, cortex-m7, cortex-m33)",
                name);
}

static int parse_perm(struct parse *p, const cJSON *item, const char *where,
                      unsigned *perm)
{
    const char *s;

    if (!cJSON_IsString(item))
        return fail(p, "%s: must be a string of r, w, x (\"rx\")", where);
    *perm = 0;
    for (s = item->valuestring; *s != '\0'; s++) {
        unsigned bit = *s == 'r'   ? UC_PROT_READ
                       : *s == 'w' ? UC_PROT_WRITE
                       : *s == 'x' ? UC_PROT_EXEC
                                   : 0;

        if (bit == 0 || (*perm & bit))
            return fail(p, "%s: \"%.16s\" is not a set of r, w, x", where,
                        item->valuestring);
        *perm |= bit;
    }
    if (!(*perm & UC_PROT_READ))
        return fail(p, "%s: a region must at least be readable (\"r\")", where);
    return EMU_OK;
}

static int parse_region(struct parse *p, const cJSON *obj, unsigned idx,
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
        return fail(p, "%s: must be an object", where);
    if ((rc = check_keys(p, obj, where, keys)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (it == NULL)
        return fail(p, "%s: \"name\" is missing", where);
    snprintf(where, sizeof(where), "regions[%u].name", idx);
    if ((rc = get_string(p, it, where, r->name, sizeof(r->name), 0)) != 0)
        return rc;

    snprintf(where, sizeof(where), "regions[%u] (\"%s\")", idx, r->name);
    it = cJSON_GetObjectItemCaseSensitive(obj, "base");
    if (it == NULL)
        return fail(p, "%s: \"base\" is missing", where);
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").base", idx, r->name);
    if ((rc = get_u32(p, it, where, &r->base)) != EMU_OK)
        return rc;

    snprintf(where, sizeof(where), "regions[%u] (\"%s\")", idx, r->name);
    it = cJSON_GetObjectItemCaseSensitive(obj, "size");
    if (it == NULL)
        return fail(p, "%s: \"size\" is missing", where);
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").size", idx, r->name);
    if ((rc = get_number(p, it, where, 1ull << 32, &v)) != EMU_OK)
        return rc;
    if (v == 0)
        return fail(p, "%s: must not be 0", where);
    if (v > EMU_REGION_LIMIT)
        return fail(p,
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
            return fail(p, "%s: must be \"flash\", \"ram\" or \"mmio\"", where);
        if (strcmp(it->valuestring, "flash") == 0 ||
            strcmp(it->valuestring, "rom") == 0)
            r->kind = EMU_KIND_FLASH;
        else if (strcmp(it->valuestring, "ram") == 0)
            r->kind = EMU_KIND_RAM;
        else if (strcmp(it->valuestring, "mmio") == 0)
            r->kind = EMU_KIND_MMIO;
        else
            return fail(p,
                        "%s: \"%.32s\" is not \"flash\", \"ram\" or \"mmio\"",
                        where, it->valuestring);
        have_kind = 1;
    }
    if (!have_kind)
        r->kind = (r->perm & UC_PROT_WRITE) ? EMU_KIND_RAM : EMU_KIND_FLASH;
    if (r->kind == EMU_KIND_FLASH && (r->perm & UC_PROT_WRITE))
        return fail(p,
                    "regions[%u] (\"%s\"): flash is read-only to the "
                    "firmware: perm must not contain \"w\" (use kind "
                    "\"ram\" for writable memory)",
                    idx, r->name);
    if (r->kind == EMU_KIND_RAM && !(r->perm & UC_PROT_WRITE))
        return fail(p, "regions[%u] (\"%s\"): RAM must be writable (\"rw\")",
                    idx, r->name);
    if (r->kind == EMU_KIND_MMIO && (r->perm & UC_PROT_EXEC))
        return fail(p, "regions[%u] (\"%s\"): code cannot run from MMIO", idx,
                    r->name);

    r->read_value = 0;
    it = cJSON_GetObjectItemCaseSensitive(obj, "read_value");
    snprintf(where, sizeof(where), "regions[%u] (\"%s\").read_value", idx,
             r->name);
    if (it != NULL) {
        if (r->kind != EMU_KIND_MMIO)
            return fail(p, "%s: only an \"mmio\" region has a read_value",
                        where);
        if ((rc = get_u32(p, it, where, &r->read_value)) != EMU_OK)
            return rc;
    }
    if (r->base % EMU_PAGE != 0 || r->size % EMU_PAGE != 0)
        return fail(p,
                    "regions[%u] (\"%s\"): base 0x%08x and size 0x%x must be "
                    "multiples of 1 KiB (Unicorn maps whole 1 KiB pages)",
                    idx, r->name, (unsigned)r->base, (unsigned)r->size);
    if ((uint64_t)r->base + r->size > (1ull << 32))
        return fail(p,
                    "regions[%u] (\"%s\"): 0x%08x + 0x%x runs past the end of "
                    "the 32-bit address space",
                    idx, r->name, (unsigned)r->base, (unsigned)r->size);
    return EMU_OK;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Name of what occupies [addr, addr + len) already, or NULL. */
static const char *board_taken(const struct emu_board *b, uint64_t addr,
                               uint64_t len, int with_input)
{
    unsigned i;

    for (i = 0; i < b->nregions; i++)
        if (overlaps(addr, len, b->regions[i].base, b->regions[i].size))
            return b->regions[i].name;
    for (i = 0; i < b->nshadows; i++)
        if (overlaps(addr, len, b->shadows[i].base, b->shadows[i].size))
            return "the KASan shadow";
    if (with_input && overlaps(addr, len, b->input_base,
                               (uint64_t)b->input_map + EMU_GUARD_SIZE))
        return "the input area and its guard page";
    return NULL;
}

const struct emu_region *emu_board_region_at(const struct emu_board *b,
                                             uint32_t addr)
{
    unsigned i;

    for (i = 0; i < b->nregions; i++)
        if (addr - b->regions[i].base < b->regions[i].size)
            return &b->regions[i];
    return NULL;
}

static int parse_regions(struct parse *p, const cJSON *arr, struct emu_board *b)
{
    const cJSON *it;
    uint64_t mapped = 0, ram = 0;
    unsigned i, j, have_exec = 0;
    int rc;

    if (arr == NULL)
        return fail(p, "\"regions\" is missing: a board needs at least its "
                       "flash and its RAM");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return fail(p, "regions: must be a non-empty array of objects");
    if (cJSON_GetArraySize(arr) > EMU_MAX_REGIONS)
        return fail(p, "regions: %d regions, at most %d",
                    cJSON_GetArraySize(arr), EMU_MAX_REGIONS);
    for (it = arr->child, i = 0; it != NULL; it = it->next, i++) {
        struct emu_region *r = &b->regions[i];

        if ((rc = parse_region(p, it, i, r)) != EMU_OK)
            return rc;
        for (j = 0; j < i; j++) {
            const struct emu_region *o = &b->regions[j];

            if (strcmp(o->name, r->name) == 0)
                return fail(p,
                            "regions[%u]: name \"%s\" is already used by "
                            "regions[%u]",
                            i, r->name, j);
            if (overlaps(r->base, r->size, o->base, o->size))
                return fail(p,
                            "regions[%u] (\"%s\", 0x%08x-0x%08x) overlaps "
                            "regions[%u] (\"%s\", 0x%08x-0x%08x)",
                            i, r->name, (unsigned)r->base,
                            (unsigned)(r->base + (r->size - 1)), j, o->name,
                            (unsigned)o->base,
                            (unsigned)(o->base + (o->size - 1)));
        }
        if (r->kind != EMU_KIND_MMIO)
            mapped += r->size;
        if (r->kind == EMU_KIND_RAM)
            ram += r->size;
        if (r->perm & UC_PROT_EXEC)
            have_exec = 1;
        b->nregions = i + 1;
    }
    if (!have_exec)
        return fail(p, "regions: none is executable (give the flash perm "
                       "\"rx\")");
    if (mapped > EMU_MAPPED_LIMIT)
        return fail(p,
                    "regions: %llu MiB of flash and RAM is absurd for a "
                    "Cortex-M (at most %u MiB)",
                    (unsigned long long)(mapped >> 20),
                    (unsigned)(EMU_MAPPED_LIMIT >> 20));
    if (ram > EMU_RAM_LIMIT)
        return fail(p,
                    "regions: %llu MiB of RAM is more than the %u MiB the "
                    "emulator restores between runs",
                    (unsigned long long)(ram >> 20),
                    (unsigned)(EMU_RAM_LIMIT >> 20));
    return EMU_OK;
}

static const struct emu_region *first_ram(const struct emu_board *b)
{
    unsigned i;

    for (i = 0; i < b->nregions; i++)
        if (b->regions[i].kind == EMU_KIND_RAM)
            return &b->regions[i];
    return NULL;
}

static int parse_stack(struct parse *p, const cJSON *obj, struct emu_board *b)
{
    static const char *const keys[] = {"top", "limit", NULL};
    const struct emu_region *ram = first_ram(b), *r;
    const cJSON *it;
    int rc;

    if (ram == NULL)
        return fail(p, "regions: no \"ram\" region for the stack");
    b->stack_top = ram->base + ram->size; /* may wrap to 0: checked below */
    if (obj != NULL) {
        if (!cJSON_IsObject(obj))
            return fail(p, "stack: must be an object {\"top\", \"limit\"}");
        if ((rc = check_keys(p, obj, "stack", keys)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "top");
        if (it != NULL && (rc = get_u32(p, it, "stack.top", &b->stack_top)))
            return rc;
    }
    /* The stack grows down from top: the byte below it must be RAM. */
    r = emu_board_region_at(b, b->stack_top - 1);
    if (r == NULL || r->kind != EMU_KIND_RAM || b->stack_top == 0)
        return fail(p,
                    "stack.top: 0x%08x is not the end of or inside a "
                    "\"ram\" region",
                    (unsigned)b->stack_top);
    if (b->stack_top % 8 != 0)
        return fail(p, "stack.top: 0x%08x is not 8-byte aligned (AAPCS)",
                    (unsigned)b->stack_top);
    b->stack_limit = r->base;
    if (obj != NULL) {
        it = cJSON_GetObjectItemCaseSensitive(obj, "limit");
        if (it != NULL &&
            (rc = get_u32(p, it, "stack.limit", &b->stack_limit)) != EMU_OK)
            return rc;
    }
    if (b->stack_limit >= b->stack_top || b->stack_limit < r->base)
        return fail(p,
                    "stack.limit: 0x%08x must lie below stack.top 0x%08x, "
                    "inside region \"%s\" (0x%08x-0x%08x)",
                    (unsigned)b->stack_limit, (unsigned)b->stack_top, r->name,
                    (unsigned)r->base, (unsigned)(r->base + (r->size - 1)));
    if (b->stack_top - b->stack_limit < 256)
        return fail(p,
                    "stack: %u bytes between limit and top is too small "
                    "to call anything",
                    (unsigned)(b->stack_top - b->stack_limit));
    return EMU_OK;
}

static int parse_input(struct parse *p, const cJSON *obj, struct emu_board *b)
{
    static const char *const keys[] = {"base", "max_size", "writable", NULL};
    const cJSON *it;
    const char *taken;
    uint64_t v;
    int rc;

    b->input_base = BOARD_INPUT_BASE_DEFAULT;
    b->input_max = BOARD_INPUT_MAX_DEFAULT;
    b->input_writable = 0;
    if (obj != NULL) {
        if (!cJSON_IsObject(obj))
            return fail(p, "input: must be an object {\"base\", "
                           "\"max_size\"}");
        if ((rc = check_keys(p, obj, "input", keys)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "base");
        if (it != NULL &&
            (rc = get_u32(p, it, "input.base", &b->input_base)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "max_size");
        if (it != NULL) {
            rc = get_number(p, it, "input.max_size", EMU_INPUT_LIMIT, &v);
            if (rc != EMU_OK)
                return rc;
            if (v == 0)
                return fail(p, "input.max_size: must not be 0");
            b->input_max = (uint32_t)v;
        }
        it = cJSON_GetObjectItemCaseSensitive(obj, "writable");
        if (it != NULL &&
            (rc = get_bool(p, it, "input.writable", &b->input_writable)))
            return rc;
    }
    if (b->input_base % EMU_PAGE != 0)
        return fail(p, "input.base: 0x%08x is not a multiple of 1 KiB",
                    (unsigned)b->input_base);
    b->input_map = (b->input_max + (EMU_PAGE - 1)) & ~(EMU_PAGE - 1);
    if ((uint64_t)b->input_base + b->input_map + EMU_GUARD_SIZE > (1ull << 32))
        return fail(p,
                    "input: 0x%08x + 0x%x and its guard page run past the "
                    "end of the address space",
                    (unsigned)b->input_base, (unsigned)b->input_map);
    taken = board_taken(b, b->input_base,
                        (uint64_t)b->input_map + EMU_GUARD_SIZE, 0);
    if (taken != NULL)
        return fail(
            p,
            "input: 0x%08x-0x%08x and the guard page after it must be "
            "free address space, but region \"%s\" is there",
            (unsigned)b->input_base,
            (unsigned)(b->input_base + b->input_map - 1 + EMU_GUARD_SIZE),
            taken);
    return EMU_OK;
}

static int parse_faults(struct parse *p, const cJSON *obj, struct emu_board *b)
{
    static const char *const keys[] = {"null_page", "null_page_size", NULL};
    const cJSON *it;
    unsigned i;
    int rc;

    b->null_page = 1;
    b->null_page_size = BOARD_NULL_PAGE_DEFAULT;
    if (obj != NULL) {
        if (!cJSON_IsObject(obj))
            return fail(p, "faults: must be an object");
        if ((rc = check_keys(p, obj, "faults", keys)) != EMU_OK)
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "null_page");
        if (it != NULL &&
            (rc = get_bool(p, it, "faults.null_page", &b->null_page)))
            return rc;
        it = cJSON_GetObjectItemCaseSensitive(obj, "null_page_size");
        if (it != NULL && (rc = get_u32(p, it, "faults.null_page_size",
                                        &b->null_page_size)) != EMU_OK)
            return rc;
    }
    if (b->null_page_size == 0 || b->null_page_size > BOARD_NULL_PAGE_LIMIT ||
        b->null_page_size % EMU_PAGE != 0)
        return fail(p,
                    "faults.null_page_size: 0x%x must be a multiple of "
                    "1 KiB between 0x400 and 0x100000",
                    (unsigned)b->null_page_size);
    if (!b->null_page)
        return EMU_OK;
    for (i = 0; i < b->nregions; i++)
        if (b->regions[i].base < b->null_page_size)
            return fail(p,
                        "faults.null_page: region \"%s\" maps address 0x%08x, "
                        "inside the NULL page (0-0x%x); on a part with memory "
                        "at 0 set \"null_page\": false",
                        b->regions[i].name, (unsigned)b->regions[i].base,
                        (unsigned)(b->null_page_size - 1));
    if (b->input_base < b->null_page_size)
        return fail(p, "faults.null_page: the input area lies in the NULL "
                       "page");
    return EMU_OK;
}

/*
 * The shadow of [addr, addr + len), clipped to the address space, rounded
 * out to whole pages and merged with a shadow range it touches.
 */
static int add_shadow(struct parse *p, struct emu_board *b, int64_t addr,
                      int64_t len, const char *what)
{
    uint64_t lo, hi;
    const char *taken;
    unsigned j;

    if (addr < 0) {
        len += addr;
        addr = 0;
    }
    if (addr + len > (int64_t)(1ll << 32))
        len = (int64_t)(1ll << 32) - addr;
    if (len <= 0)
        return EMU_OK;
    lo = ((uint64_t)addr >> 3) + b->shadow_offset;
    hi = (((uint64_t)addr + (uint64_t)len - 1) >> 3) + b->shadow_offset;
    lo &= ~(uint64_t)(EMU_PAGE - 1);
    hi = (hi | (EMU_PAGE - 1)) + 1;
    if (hi > (1ull << 32))
        return fail(p,
                    "kasan.shadow_offset: the shadow of %s runs past the "
                    "end of the address space",
                    what);
    /*
     * The input is placed before any shadow is added, so every shadow range
     * (the NULL page's too, added after the faults) is checked against it.
     */
    if (overlaps(lo, hi - lo, b->input_base,
                 (uint64_t)b->input_map + EMU_GUARD_SIZE))
        return fail(p,
                    "kasan.shadow_offset: the shadow of %s "
                    "(0x%08llx-0x%08llx) lands on the input area or its "
                    "guard page",
                    what, (unsigned long long)lo, (unsigned long long)(hi - 1));
    taken = board_taken(b, lo, hi - lo, 0);
    if (taken != NULL && strcmp(taken, "the KASan shadow") != 0)
        return fail(p,
                    "kasan.shadow_offset: the shadow of %s "
                    "(0x%08llx-0x%08llx) lands on region \"%s\"",
                    what, (unsigned long long)lo, (unsigned long long)(hi - 1),
                    taken);
    /* Absorb every range [lo, hi) touches, until none is left touching. */
    j = 0;
    while (j < b->nshadows) {
        struct emu_range *s = &b->shadows[j];

        if (lo <= (uint64_t)s->base + s->size && s->base <= hi) {
            if (s->base < lo)
                lo = s->base;
            if ((uint64_t)s->base + s->size > hi)
                hi = (uint64_t)s->base + s->size;
            *s = b->shadows[--b->nshadows];
            j = 0;
            continue;
        }
        j++;
    }
    if (b->nshadows == EMU_MAX_SHADOWS)
        return fail(p, "kasan: too many separate shadow ranges");
    b->shadows[b->nshadows].base = (uint32_t)lo;
    b->shadows[b->nshadows].size = (uint32_t)(hi - lo);
    b->nshadows++;
    return EMU_OK;
}

/*
 * KASan's inline checks read the shadow of every address the image's
 * instrumented code touches before touching it: flash and RAM regions and
 * the input area have shadow (zero: addressable, unless the image's
 * runtime poisons it), with a guard's worth on each side, and so has the
 * NULL page (added with the faults), so that the check passes and the
 * access itself faults exactly where it should (the input's guard, past
 * the stack's top, the NULL page). Peripheral registers get theirs on
 * demand, a wild pointer elsewhere faults on its shadow (faults.c).
 */
static int parse_kasan(struct parse *p, const cJSON *obj, struct emu_board *b)
{
    static const char *const keys[] = {"shadow_offset", NULL};
    const cJSON *it;
    char what[EMU_NAME_MAX + 16];
    unsigned i;
    int rc;

    if (obj == NULL)
        return EMU_OK;
    if (!cJSON_IsObject(obj))
        return fail(p, "kasan: must be an object {\"shadow_offset\"}");
    if ((rc = check_keys(p, obj, "kasan", keys)) != EMU_OK)
        return rc;
    it = cJSON_GetObjectItemCaseSensitive(obj, "shadow_offset");
    if (it == NULL)
        return fail(p, "kasan.shadow_offset is missing (the value given to "
                       "-fasan-shadow-offset)");
    if ((rc = get_u32(p, it, "kasan.shadow_offset", &b->shadow_offset)))
        return rc;
    b->kasan = 1;
    for (i = 0; i < b->nregions; i++) {
        const struct emu_region *r = &b->regions[i];

        if (r->kind == EMU_KIND_MMIO)
            continue;
        snprintf(what, sizeof(what), "region \"%s\"", r->name);
        rc = add_shadow(p, b, (int64_t)r->base - EMU_GUARD_SIZE,
                        (int64_t)r->size + 2 * EMU_GUARD_SIZE, what);
        if (rc != EMU_OK)
            return rc;
    }
    return add_shadow(p, b, (int64_t)b->input_base - EMU_GUARD_SIZE,
                      (int64_t)b->input_map + 2 * EMU_GUARD_SIZE, "the input");
}

/*
 * The page the entry returns to: free, in the part of the Cortex-M map that
 * may hold code (0x00000000-0x3FFFFFFF, 0x60000000-0x9FFFFFFF), highest
 * first so it stays out of the way of typical memory maps.
 */
static int choose_sentinel(struct parse *p, const cJSON *item,
                           struct emu_board *b)
{
    static const uint32_t spans[][2] = {{0x1FFFFC00u, 0x00100000u},
                                        {0x9FFFFC00u, 0x60000000u},
                                        {0x3FFFFC00u, 0x20000000u}};
    unsigned s;
    int rc;

    if (item != NULL) {
        if ((rc = get_u32(p, item, "sentinel", &b->sentinel)) != EMU_OK)
            return rc;
        if (b->sentinel % EMU_PAGE != 0)
            return fail(p, "sentinel: 0x%08x is not a multiple of 1 KiB",
                        (unsigned)b->sentinel);
        if (!(b->sentinel < 0x40000000u ||
              (b->sentinel >= 0x60000000u && b->sentinel < 0xA0000000u)))
            return fail(p,
                        "sentinel: 0x%08x is in a part of the Cortex-M "
                        "memory map that cannot hold code",
                        (unsigned)b->sentinel);
        if (board_taken(b, b->sentinel, EMU_PAGE, 1) != NULL ||
            (b->null_page && b->sentinel < b->null_page_size))
            return fail(p, "sentinel: page 0x%08x is not free",
                        (unsigned)b->sentinel);
        return EMU_OK;
    }
    for (s = 0; s < sizeof(spans) / sizeof(spans[0]); s++) {
        uint32_t a = spans[s][0];

        while (a >= spans[s][1]) {
            if (board_taken(b, a, EMU_PAGE, 1) == NULL) {
                b->sentinel = a;
                return EMU_OK;
            }
            a -= EMU_PAGE;
        }
    }
    return fail(p, "no free page for the return sentinel: set \"sentinel\"");
}

static int parse_root(struct parse *p, const cJSON *root, struct emu_board *b)
{
    static const char *const keys[] = {
        "name",  "cpu",           "regions", "stack", "input",    "init",
        "entry", "budget_blocks", "faults",  "kasan", "sentinel", NULL};
    const cJSON *it;
    uint64_t v;
    int rc;

    if (!cJSON_IsObject(root))
        return fail(p, "the board must be a JSON object");
    if ((rc = check_keys(p, root, "board", keys)) != EMU_OK)
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
        rc = get_number(p, it, "budget_blocks", BOARD_BUDGET_LIMIT, &v);
        if (rc != EMU_OK)
            return rc;
        if (v == 0)
            return fail(p, "budget_blocks: must not be 0");
        b->budget_blocks = v;
    }
    rc = parse_kasan(p, cJSON_GetObjectItemCaseSensitive(root, "kasan"), b);
    if (rc != EMU_OK)
        return rc;
    rc = parse_faults(p, cJSON_GetObjectItemCaseSensitive(root, "faults"), b);
    if (rc != EMU_OK)
        return rc;
    if (b->kasan && b->null_page) {
        rc = add_shadow(p, b, 0, b->null_page_size, "the NULL page");
        if (rc != EMU_OK)
            return rc;
    }
    return choose_sentinel(
        p, cJSON_GetObjectItemCaseSensitive(root, "sentinel"), b);
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
    struct parse p = {errbuf, errlen};
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
        return fail(&p, "board text of %zu bytes is too large (at most 1 MiB)",
                    len);
    nul = memchr(json, '\0', len);
    if (nul != NULL)
        return fail(&p, "not valid JSON: a NUL byte at offset %zu",
                    (size_t)(nul - json));
    root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        unsigned line, col;
        size_t off = end != NULL && end >= json && end <= json + len
                         ? (size_t)(end - json)
                         : len;

        where_in_text(json, len, off, &line, &col);
        return fail(&p, "not valid JSON: syntax error at line %u, column %u",
                    line, col);
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

int emu_board_load(const char *path, struct emu_board **out, char *errbuf,
                   size_t errlen)
{
    struct parse p = {errbuf, errlen};
    FILE *f = NULL;
    char *text = NULL;
    struct stat st;
    size_t n = 0;
    int rc;

    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    if (out == NULL)
        return EMU_ERR_ARG;
    *out = NULL;
    if (path == NULL)
        return fail_code(&p, EMU_ERR_ARG, "no board file given");
    f = fopen(path, "rb");
    if (f == NULL)
        return fail_code(&p, EMU_ERR_IO, "%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = fail_code(&p, EMU_ERR_IO, "%s: not a regular file", path);
        goto out;
    }
    text = malloc(BOARD_FILE_LIMIT + 1);
    if (text == NULL) {
        rc = fail_code(&p, EMU_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    n = fread(text, 1, BOARD_FILE_LIMIT + 1, f);
    if (ferror(f)) {
        rc = fail_code(&p, EMU_ERR_IO, "%s: read error", path);
        goto out;
    }
    if (n > BOARD_FILE_LIMIT) {
        rc = fail(&p, "%s: larger than 1 MiB: not a board file", path);
        goto out;
    }
    rc = emu_board_parse(text, n, out, errbuf, errlen);
    if (rc != EMU_OK && errbuf != NULL && errlen > 0) {
        /* Name the file in front of the parser's message. */
        char *msg = strdup(errbuf);

        if (msg != NULL) {
            snprintf(errbuf, errlen, "%s: %s", path, msg);
            free(msg);
        }
    }
out:
    free(text);
    fclose(f);
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
