/* Loading images: ELF files (libelf) and raw binaries; the symbol table. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libelf.h>

#include "emu/ihex.h"
#include "internal.h"

#define SYM_LIMIT   (1u << 20)
#define NAMES_LIMIT (64u << 20)

/* One range the loader writes: a segment at its load or run address. */
struct span {
    uint32_t addr;
    uint32_t len;     /* bytes written (file bytes, then zeros) */
    uint32_t filesz;  /* of which from the file */
    uint64_t offset;  /* in the file */
    unsigned seg;     /* program header index, for messages */
    const char *what; /* "load address" / "address" */
};

static int read_file(struct emu *e, const char *path, uint8_t **out,
                     size_t *len)
{
    FILE *f;
    uint8_t *buf = NULL;
    struct stat st;
    long size;
    int rc = EMU_ERR_IO;

    *out = NULL;
    *len = 0;
    if (path == NULL)
        return emu_fail(e, EMU_ERR_ARG, "no image path given");
    f = fopen(path, "rb");
    if (f == NULL)
        return emu_fail(e, EMU_ERR_IO, "%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        emu_error(e, "%s: not a regular file", path);
        goto out;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        emu_error(e, "%s: cannot determine its size (not a regular file?)",
                  path);
        goto out;
    }
    if ((unsigned long)size > EMU_IMAGE_LIMIT) {
        rc = emu_fail(e, EMU_ERR_IMAGE,
                      "%s: %ld bytes is too large for an "
                      "MCU image (at most %u MiB)",
                      path, size, (unsigned)(EMU_IMAGE_LIMIT >> 20));
        goto out;
    }
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
        rc = emu_fail(e, EMU_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        emu_error(e, "%s: short read", path);
        goto out;
    }
    *out = buf;
    *len = (size_t)size;
    buf = NULL;
    rc = EMU_OK;
out:
    free(buf);
    fclose(f);
    return rc;
}

static int check_state(struct emu *e)
{
    if (e->state != EMU_STATE_OPEN)
        return emu_fail(e, EMU_ERR_STATE,
                        "images are loaded before emu_set_entry (use "
                        "emu_reset to start over)");
    return EMU_OK;
}

static const char *kind_name(enum emu_kind k)
{
    return k == EMU_KIND_FLASH ? "flash" : k == EMU_KIND_RAM ? "RAM" : "MMIO";
}

/* [addr, addr + len) must lie in one flash or RAM region. */
static int check_span(struct emu *e, const struct span *s, const char *who)
{
    const struct emu_board *b = e->board;
    const struct emu_region *r = emu_board_region_at(b, s->addr);
    uint64_t end = (uint64_t)s->addr + s->len;

    if (end > (1ull << 32))
        return emu_fail(e, EMU_ERR_IMAGE,
                        "%s: %s 0x%08x + 0x%x runs past the end of the "
                        "address space",
                        who, s->what, (unsigned)s->addr, (unsigned)s->len);
    if (r == NULL)
        return emu_fail(e, EMU_ERR_IMAGE,
                        "%s: %s 0x%08x-0x%08x is outside every region of "
                        "board %s",
                        who, s->what, (unsigned)s->addr, (unsigned)(end - 1),
                        b->name);
    if (r->kind == EMU_KIND_MMIO)
        return emu_fail(
            e, EMU_ERR_IMAGE, "%s: %s 0x%08x-0x%08x lands on MMIO region %s",
            who, s->what, (unsigned)s->addr, (unsigned)(end - 1), r->name);
    if (end > (uint64_t)r->base + r->size)
        return emu_fail(e, EMU_ERR_IMAGE,
                        "%s: %s 0x%08x-0x%08x runs past the end of %s region "
                        "%s (0x%08x-0x%08x)",
                        who, s->what, (unsigned)s->addr, (unsigned)(end - 1),
                        kind_name(r->kind), r->name, (unsigned)r->base,
                        (unsigned)(r->base + (r->size - 1)));
    return EMU_OK;
}

static int check_overlap(struct emu *e, const struct span *spans, unsigned n,
                         const char *who)
{
    unsigned i, j;

    for (i = 0; i < n; i++) {
        const struct span *a = &spans[i];

        for (j = 0; j < i; j++) {
            const struct span *b = &spans[j];

            if (a->addr < (uint64_t)b->addr + b->len &&
                b->addr < (uint64_t)a->addr + a->len)
                return emu_fail(e, EMU_ERR_IMAGE,
                                "%s: segment %u (%s 0x%08x-0x%08x) overlaps "
                                "segment %u (%s 0x%08x-0x%08x)",
                                who, a->seg, a->what, (unsigned)a->addr,
                                (unsigned)(a->addr + a->len - 1), b->seg,
                                b->what, (unsigned)b->addr,
                                (unsigned)(b->addr + b->len - 1));
        }
        for (j = 0; j < e->img.nloaded; j++) {
            const struct emu_range *b = &e->img.loaded[j];

            if (a->addr < (uint64_t)b->base + b->size &&
                b->base < (uint64_t)a->addr + a->len)
                return emu_fail(e, EMU_ERR_IMAGE,
                                "%s: segment %u (0x%08x-0x%08x) overlaps an "
                                "image loaded before (0x%08x-0x%08x)",
                                who, a->seg, (unsigned)a->addr,
                                (unsigned)(a->addr + a->len - 1),
                                (unsigned)b->base,
                                (unsigned)(b->base + b->size - 1));
        }
    }
    return EMU_OK;
}

static void write_span(struct emu *e, const uint8_t *file, const struct span *s)
{
    uint8_t *dst = emu_mem_host(e, s->addr, s->len);

    /* check_span made sure the whole span is host memory. */
    if (dst == NULL)
        return;
    if (s->filesz > 0)
        memcpy(dst, file + s->offset, s->filesz);
    memset(dst + s->filesz, 0, s->len - s->filesz);
}

static int sym_cmp(const void *pa, const void *pb)
{
    const struct emu_sym *a = pa, *b = pb;

    if (a->addr != b->addr)
        return a->addr < b->addr ? -1 : 1;
    if (a->type != b->type)
        return a->type == EMU_SYM_FUNC ? -1 : 1;
    /* Larger first: at one address, the symbol that covers more. */
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return a->name < b->name ? -1 : a->name > b->name;
}

static int in_code(const struct emu_image *img, uint32_t addr)
{
    unsigned i;

    for (i = 0; i < img->ncode; i++)
        if (addr - img->code[i].base < img->code[i].size)
            return 1;
    return 0;
}

static int load_symbols(struct emu *e, Elf *elf, const char *who)
{
    struct emu_image *img = &e->img;
    Elf_Scn *scn = NULL, *symscn = NULL;
    GElf_Shdr sh, symsh;
    Elf_Data *data;
    size_t count, i, names_cap = 0;

    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        if (gelf_getshdr(scn, &sh) == NULL)
            return emu_fail(e, EMU_ERR_ELF,
                            "%s: unreadable section header: "
                            "%s",
                            who, elf_errmsg(-1));
        if (sh.sh_type == SHT_SYMTAB) {
            symscn = scn;
            symsh = sh;
            break;
        }
        if (sh.sh_type == SHT_DYNSYM && symscn == NULL) {
            symscn = scn;
            symsh = sh;
        }
    }
    if (symscn == NULL)
        return EMU_OK; /* stripped: entries are given as addresses */
    if (symsh.sh_entsize != sizeof(Elf32_Sym))
        return emu_fail(e, EMU_ERR_ELF,
                        "%s: symbol table entries of %llu "
                        "bytes (expected %zu)",
                        who, (unsigned long long)symsh.sh_entsize,
                        sizeof(Elf32_Sym));
    data = elf_getdata(symscn, NULL);
    if (data == NULL)
        return emu_fail(e, EMU_ERR_ELF, "%s: unreadable symbol table: %s", who,
                        elf_errmsg(-1));
    count = data->d_size / sizeof(Elf32_Sym);
    if (count > SYM_LIMIT)
        return emu_fail(e, EMU_ERR_ELF, "%s: %zu symbols (at most %u)", who,
                        count, SYM_LIMIT);
    img->syms = calloc(count ? count : 1, sizeof(*img->syms));
    if (img->syms == NULL)
        return emu_fail(e, EMU_ERR_NOMEM,
                        "%s: out of memory for %zu "
                        "symbols",
                        who, count);
    for (i = 0; i < count; i++) {
        GElf_Sym s;
        const char *name;
        size_t n;
        int type;
        struct emu_sym *out;

        if (gelf_getsym(data, (int)i, &s) == NULL)
            continue;
        type = GELF_ST_TYPE(s.st_info);
        if (s.st_shndx == SHN_UNDEF || type == STT_SECTION ||
            type == STT_FILE || s.st_name == 0)
            continue;
        name = elf_strptr(elf, symsh.sh_link, s.st_name);
        if (name == NULL || name[0] == '\0' || name[0] == '$')
            continue; /* bad offset, or an ARM mapping symbol ($t, $d) */
        n = strnlen(name, EMU_SYMNAME_MAX * 4);
        if (img->names_len + n + 1 > names_cap) {
            size_t cap = names_cap ? names_cap * 2 : 4096;
            char *p;

            while (cap < img->names_len + n + 1)
                cap *= 2;
            if (cap > NAMES_LIMIT)
                return emu_fail(e, EMU_ERR_ELF,
                                "%s: symbol names exceed "
                                "%u MiB",
                                who, NAMES_LIMIT >> 20);
            p = realloc(img->names, cap);
            if (p == NULL)
                return emu_fail(e, EMU_ERR_NOMEM,
                                "%s: out of memory for "
                                "symbol names",
                                who);
            img->names = p;
            names_cap = cap;
        }
        out = &img->syms[img->nsyms++];
        out->name = (uint32_t)img->names_len;
        memcpy(img->names + img->names_len, name, n);
        img->names[img->names_len + n] = '\0';
        img->names_len += n + 1;
        out->size = (uint32_t)s.st_size;
        if (type == STT_FUNC || type == STT_GNU_IFUNC) {
            out->type = EMU_SYM_FUNC;
            out->addr = (uint32_t)s.st_value & ~1u;
        } else if (type == STT_NOTYPE && in_code(img, (uint32_t)s.st_value)) {
            out->type = EMU_SYM_FUNC; /* an assembler label in code */
            out->addr = (uint32_t)s.st_value & ~1u;
        } else {
            out->type = EMU_SYM_OBJECT;
            out->addr = (uint32_t)s.st_value;
        }
    }
    qsort(img->syms, img->nsyms, sizeof(*img->syms), sym_cmp);
    return EMU_OK;
}

static int load_elf_owned(struct emu *e, uint8_t *buf, size_t len,
                          const char *who)
{
    struct emu_image *img = &e->img;
    struct span spans[EMU_MAX_SEGMENTS * 2];
    unsigned nspans = 0, nload = 0, i;
    Elf *elf = NULL;
    GElf_Ehdr eh;
    size_t phnum;
    int rc;

    if (len < sizeof(Elf32_Ehdr)) {
        rc = emu_fail(e, EMU_ERR_ELF,
                      "%s: truncated: %zu bytes, an ELF "
                      "header alone is %zu",
                      who, len, sizeof(Elf32_Ehdr));
        goto fail;
    }
    if (memcmp(buf, ELFMAG, SELFMAG) != 0) {
        rc = emu_fail(e, EMU_ERR_ELF,
                      "%s: not an ELF file (no \\177ELF "
                      "magic)",
                      who);
        goto fail;
    }
    if (buf[EI_CLASS] != ELFCLASS32) {
        rc = emu_fail(e, EMU_ERR_ELF,
                      "%s: not a 32-bit ELF file (class %u): "
                      "Cortex-M images are ELFCLASS32",
                      who, buf[EI_CLASS]);
        goto fail;
    }
    if (buf[EI_DATA] != ELFDATA2LSB) {
        rc = emu_fail(e, EMU_ERR_ELF, "%s: not a little-endian ELF file", who);
        goto fail;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        rc = emu_fail(e, EMU_ERR_ELF, "libelf: %s", elf_errmsg(-1));
        goto fail;
    }
    elf = elf_memory((char *)buf, len);
    if (elf == NULL || elf_kind(elf) != ELF_K_ELF ||
        gelf_getehdr(elf, &eh) == NULL) {
        rc = emu_fail(e, EMU_ERR_ELF, "%s: unreadable ELF header: %s", who,
                      elf_errmsg(-1));
        goto fail;
    }
    if (eh.e_machine != EM_ARM) {
        rc = emu_fail(e, EMU_ERR_ELF, "%s: machine %u is not ARM (%u)", who,
                      (unsigned)eh.e_machine, (unsigned)EM_ARM);
        goto fail;
    }
    if (eh.e_type == ET_REL) {
        rc = emu_fail(e, EMU_ERR_ELF,
                      "%s: a relocatable object (.o): link "
                      "it into an executable first",
                      who);
        goto fail;
    }
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
        rc = emu_fail(e, EMU_ERR_ELF, "%s: ELF type %u is not an executable",
                      who, (unsigned)eh.e_type);
        goto fail;
    }
    if (elf_getphdrnum(elf, &phnum) != 0) {
        rc = emu_fail(e, EMU_ERR_ELF, "%s: unreadable program headers: %s", who,
                      elf_errmsg(-1));
        goto fail;
    }
    /* libelf quietly shortens a table cut off by the end of the file. */
    if (eh.e_phnum != PN_XNUM && eh.e_phnum > phnum)
        phnum = eh.e_phnum;
    if (phnum > 0 && eh.e_phentsize != sizeof(Elf32_Phdr)) {
        rc = emu_fail(e, EMU_ERR_ELF,
                      "%s: program headers of %u bytes "
                      "(expected %zu)",
                      who, (unsigned)eh.e_phentsize, sizeof(Elf32_Phdr));
        goto fail;
    }
    if (eh.e_phoff > len ||
        (uint64_t)phnum * sizeof(Elf32_Phdr) > len - eh.e_phoff) {
        rc = emu_fail(e, EMU_ERR_ELF,
                      "%s: %zu program headers at offset 0x%llx lie past "
                      "the end of the file (%zu bytes): truncated?",
                      who, phnum, (unsigned long long)eh.e_phoff, len);
        goto fail;
    }
    for (i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        struct span *s;

        if (gelf_getphdr(elf, (int)i, &ph) == NULL) {
            rc = emu_fail(e, EMU_ERR_ELF,
                          "%s: program header %u unreadable: "
                          "%s (truncated file?)",
                          who, i, elf_errmsg(-1));
            goto fail;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (++nload > EMU_MAX_SEGMENTS) {
            rc = emu_fail(e, EMU_ERR_ELF,
                          "%s: more than %u loadable "
                          "segments",
                          who, EMU_MAX_SEGMENTS);
            goto fail;
        }
        if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
            rc = emu_fail(e, EMU_ERR_ELF,
                          "%s: segment %u: file bytes 0x%llx+0x%llx lie past "
                          "the end of the file (%zu bytes): truncated?",
                          who, i, (unsigned long long)ph.p_offset,
                          (unsigned long long)ph.p_filesz, len);
            goto fail;
        }
        if (ph.p_filesz > ph.p_memsz) {
            rc = emu_fail(e, EMU_ERR_ELF,
                          "%s: segment %u: file size 0x%llx "
                          "exceeds its memory size 0x%llx",
                          who, i, (unsigned long long)ph.p_filesz,
                          (unsigned long long)ph.p_memsz);
            goto fail;
        }
        if (ph.p_memsz > EMU_REGION_LIMIT || ph.p_vaddr > UINT32_MAX ||
            ph.p_paddr > UINT32_MAX) {
            rc = emu_fail(e, EMU_ERR_IMAGE,
                          "%s: segment %u: absurd size "
                          "0x%llx or address",
                          who, i, (unsigned long long)ph.p_memsz);
            goto fail;
        }
        /* Run address: file bytes, then zeros up to memsz. */
        s = &spans[nspans++];
        s->addr = (uint32_t)ph.p_vaddr;
        s->len = (uint32_t)ph.p_memsz;
        s->filesz = (uint32_t)ph.p_filesz;
        s->offset = ph.p_offset;
        s->seg = i;
        s->what = "address";
        if ((rc = check_span(e, s, who)) != EMU_OK)
            goto fail;
        if (ph.p_flags & PF_X) {
            img->code[img->ncode].base = s->addr;
            img->code[img->ncode].size = s->len;
            img->ncode++;
        }
        /*
         * Load address (.data's initial values in flash): the file bytes
         * only, as the startup code would find them.
         */
        if (ph.p_paddr != ph.p_vaddr && ph.p_filesz > 0) {
            s = &spans[nspans++];
            s->addr = (uint32_t)ph.p_paddr;
            s->len = (uint32_t)ph.p_filesz;
            s->filesz = s->len;
            s->offset = ph.p_offset;
            s->seg = i;
            s->what = "load address";
            if ((rc = check_span(e, s, who)) != EMU_OK)
                goto fail;
        }
    }
    if (nload == 0) {
        rc = emu_fail(e, EMU_ERR_ELF, "%s: no loadable (PT_LOAD) segment", who);
        goto fail;
    }
    if ((rc = check_overlap(e, spans, nspans, who)) != EMU_OK)
        goto fail;
    if ((rc = load_symbols(e, elf, who)) != EMU_OK)
        goto fail;
    for (i = 0; i < nspans; i++) {
        write_span(e, buf, &spans[i]);
        img->loaded[img->nloaded].base = spans[i].addr;
        img->loaded[img->nloaded].size = spans[i].len;
        img->nloaded++;
    }
    img->file = buf;
    img->file_len = len;
    img->elf = elf;
    img->have_elf = 1;
    emu_dwarf_open(e); /* without debug info, reports lack file:line */
    return EMU_OK;
fail:
    /* Nothing was written: a failed load leaves the handle as it was. */
    free(img->syms);
    free(img->names);
    img->syms = NULL;
    img->names = NULL;
    img->nsyms = 0;
    img->names_len = 0;
    img->ncode = 0;
    if (elf != NULL)
        elf_end(elf);
    free(buf);
    return rc;
}

static int check_elf_state(struct emu *e)
{
    int rc = check_state(e);

    if (rc != EMU_OK)
        return rc;
    if (e->img.have_elf)
        return emu_fail(e, EMU_ERR_STATE,
                        "an ELF image is already loaded "
                        "(one per handle; raw binaries may be added)");
    if (e->img.ncode > 0)
        return emu_fail(e, EMU_ERR_STATE,
                        "load the ELF image before raw "
                        "binaries");
    return EMU_OK;
}

int emu_load_elf(struct emu *e, const char *path)
{
    uint8_t *buf;
    size_t len;
    int rc;

    if (e == NULL)
        return EMU_ERR_ARG;
    if ((rc = check_elf_state(e)) != EMU_OK)
        return rc;
    if ((rc = read_file(e, path, &buf, &len)) != EMU_OK)
        return rc;
    return load_elf_owned(e, buf, len, path);
}

int emu_load_elf_mem(struct emu *e, const uint8_t *buf, size_t len)
{
    uint8_t *copy;
    int rc;

    if (e == NULL || (buf == NULL && len > 0))
        return EMU_ERR_ARG;
    if ((rc = check_elf_state(e)) != EMU_OK)
        return rc;
    if (len > EMU_IMAGE_LIMIT)
        return emu_fail(e, EMU_ERR_IMAGE, "image of %zu bytes is too large",
                        len);
    copy = malloc(len ? len : 1);
    if (copy == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "out of memory for the image");
    if (len > 0)
        memcpy(copy, buf, len);
    return load_elf_owned(e, copy, len, "image");
}

int emu_load_bin_mem(struct emu *e, const uint8_t *buf, size_t len,
                     uint32_t load_addr)
{
    struct emu_image *img = &e->img;
    struct span s;
    int rc;

    if (e == NULL || (buf == NULL && len > 0))
        return EMU_ERR_ARG;
    if ((rc = check_state(e)) != EMU_OK)
        return rc;
    if (len == 0)
        return emu_fail(e, EMU_ERR_IMAGE, "raw binary is empty");
    if (len > EMU_REGION_LIMIT)
        return emu_fail(e, EMU_ERR_IMAGE,
                        "raw binary of %zu bytes is "
                        "larger than any region",
                        len);
    if (img->nloaded == EMU_MAX_SEGMENTS * 2 || img->ncode == EMU_MAX_CODE)
        return emu_fail(e, EMU_ERR_IMAGE, "too many images loaded");
    s.addr = load_addr;
    s.len = (uint32_t)len;
    s.filesz = s.len;
    s.offset = 0;
    s.seg = 0;
    s.what = "load address";
    if ((rc = check_span(e, &s, "raw binary")) != EMU_OK)
        return rc;
    if ((rc = check_overlap(e, &s, 1, "raw binary")) != EMU_OK)
        return rc;
    write_span(e, buf, &s);
    img->loaded[img->nloaded].base = s.addr;
    img->loaded[img->nloaded].size = s.len;
    img->nloaded++;
    /* Code and data are mixed in a binary: all of it may run. */
    img->code[img->ncode].base = s.addr;
    img->code[img->ncode].size = s.len;
    img->ncode++;
    return EMU_OK;
}

/* Puts the file's name before the last message. */
static void name_file(struct emu *e, const char *path)
{
    char msg[sizeof(e->err)];

    snprintf(msg, sizeof(msg), "%s", e->err);
    emu_error(e, "%s: %s", path, msg);
}

/* Loads buf (owned) as a raw binary; messages name the file. */
static int load_bin_owned(struct emu *e, uint8_t *buf, size_t len,
                          uint32_t load_addr, const char *path)
{
    int rc = emu_load_bin_mem(e, buf, len, load_addr);

    if (rc != EMU_OK)
        name_file(e, path);
    free(buf);
    return rc;
}

/* The bytes of an image file, when the handle still takes images. */
static int read_image(struct emu *e, const char *path, uint8_t **buf,
                      size_t *len)
{
    int rc;

    if (e == NULL)
        return EMU_ERR_ARG;
    if ((rc = check_state(e)) != EMU_OK)
        return rc;
    return read_file(e, path, buf, len);
}

int emu_load_bin(struct emu *e, const char *path, uint32_t load_addr)
{
    uint8_t *buf;
    size_t len;
    int rc;

    if ((rc = read_image(e, path, &buf, &len)) != EMU_OK)
        return rc;
    return load_bin_owned(e, buf, len, load_addr, path);
}

int emu_load_image(struct emu *e, const char *path, const char *load_addr)
{
    uint8_t *buf;
    size_t len;
    uint32_t addr;
    int rc;

    if ((rc = read_image(e, path, &buf, &len)) != EMU_OK)
        return rc;
    if (e->img.file_name[0] == '\0') {
        /* The first image's name: coverage names its address ranges. */
        const char *base = strrchr(path, '/');

        snprintf(e->img.file_name, sizeof(e->img.file_name), "%s",
                 base != NULL ? base + 1 : path);
    }
    if (len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0) {
        if ((rc = check_elf_state(e)) != EMU_OK) {
            free(buf);
            return rc;
        }
        return load_elf_owned(e, buf, len, path);
    }
    if (emu_ihex_detect(buf, len)) {
        rc = emu_load_ihex_mem(e, buf, len);
        if (rc != EMU_OK)
            name_file(e, path);
        free(buf);
        return rc;
    }
    if (load_addr == NULL) {
        free(buf);
        return emu_fail(e, EMU_ERR_RAW_ADDR,
                        "%s is not an ELF file: a raw binary needs its load "
                        "address (e.g. 0x08000000)",
                        path);
    }
    if (emu_parse_address(load_addr, &addr) != 0) {
        free(buf);
        return emu_fail(e, EMU_ERR_ARG,
                        "%s: load address \"%s\" is not a 32-bit address", path,
                        load_addr);
    }
    return load_bin_owned(e, buf, len, addr, path);
}

void emu_image_free(struct emu_image *img)
{
    emu_dwarf_close(img);
    if (img->elf != NULL)
        elf_end(img->elf);
    free(img->file);
    free(img->syms);
    free(img->names);
    free(img->sp_writers);
    free(img->sp_unchecked);
    memset(img, 0, sizeof(*img));
}

const struct emu_sym *emu_sym_by_name(const struct emu *e, const char *name)
{
    const struct emu_image *img = &e->img;
    const struct emu_sym *best = NULL;
    size_t i;

    for (i = 0; i < img->nsyms; i++) {
        if (strcmp(img->names + img->syms[i].name, name) != 0)
            continue;
        /* A function beats a same-named data symbol. */
        if (best == NULL ||
            (best->type != EMU_SYM_FUNC && img->syms[i].type == EMU_SYM_FUNC))
            best = &img->syms[i];
    }
    return best;
}

/*
 * The symbol of type containing addr: the nearest at or below it whose size
 * covers it, or, for symbols without size, the nearest below.
 */
const struct emu_sym *emu_sym_at(const struct emu *e, uint32_t addr,
                                 enum emu_sym_type type)
{
    const struct emu_image *img = &e->img;
    size_t lo = 0, hi = img->nsyms, i;
    const struct emu_sym *sizeless = NULL;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (img->syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* syms[0 .. lo) start at or below addr; look back a little way. */
    for (i = lo; i > 0 && lo - i < 64; i--) {
        const struct emu_sym *s = &img->syms[i - 1];

        if (s->type != type)
            continue;
        if (s->size != 0 && addr - s->addr < s->size)
            return s;
        if (s->size == 0 && sizeless == NULL)
            sizeless = s;
    }
    /* A label without size: only close by, in code. */
    if (sizeless != NULL && addr - sizeless->addr < 0x1000 &&
        (type != EMU_SYM_FUNC || emu_addr_is_code(e, addr)))
        return sizeless;
    return NULL;
}

const char *emu_sym_name(const struct emu *e, const struct emu_sym *s)
{
    return s != NULL ? e->img.names + s->name : NULL;
}

/*
 * Loaded code, or RAM the board lets code run from ("rwx": the firmware
 * copies functions there itself).
 */
int emu_addr_is_code(const struct emu *e, uint32_t addr)
{
    const struct emu_region *r;

    if (in_code(&e->img, addr))
        return 1;
    r = emu_board_region_at(e->board, addr);
    return r != NULL && r->kind == EMU_KIND_RAM && (r->perm & UC_PROT_EXEC);
}
