/* DWARF through libdw: address to source line, compile unit, frame info. */
#include <stdlib.h>

#include <elfutils/libdw.h>

#include "internal.h"

/* Enough for any image; a corrupt one must not make lookups run away. */
#define DWARF_CU_LIMIT 100000

int emu_dwarf_open(struct emu *e)
{
    struct emu_image *img = &e->img;
    Dwarf *dw;

    dw = dwarf_begin_elf(img->elf, DWARF_C_READ, NULL);
    img->dwarf = dw;
    img->cfi = NULL;
    img->cfi_owned = 0;
    if (dw != NULL)
        img->cfi = dwarf_getcfi(dw); /* .debug_frame, owned by dw */
    if (img->cfi == NULL) {
        img->cfi = dwarf_getcfi_elf(img->elf); /* .eh_frame */
        img->cfi_owned = img->cfi != NULL;
    }
    return dw != NULL ? EMU_OK : EMU_ERR_SYMBOL;
}

void emu_dwarf_close(struct emu_image *img)
{
    if (img->cfi != NULL && img->cfi_owned)
        dwarf_cfi_end(img->cfi);
    if (img->dwarf != NULL)
        dwarf_end(img->dwarf);
    img->cfi = NULL;
    img->cfi_owned = 0;
    img->dwarf = NULL;
}

/* The compile unit holding addr: aranges first, else every unit's ranges. */
static int find_cu(struct emu *e, uint32_t addr, Dwarf_Die *cu)
{
    Dwarf *dw = e->img.dwarf;
    Dwarf_Off off = 0, next;
    size_t hsize;
    unsigned n = 0;

    if (dw == NULL)
        return -1;
    if (dwarf_addrdie(dw, addr, cu) != NULL)
        return 0;
    while (n++ < DWARF_CU_LIMIT &&
           dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        if (dwarf_offdie(dw, off + hsize, cu) != NULL &&
            dwarf_haspc(cu, addr) > 0)
            return 0;
        if (next <= off)
            break;
        off = next;
    }
    return -1;
}

int emu_dwarf_line(struct emu *e, uint32_t addr, const char **file, int *line)
{
    Dwarf_Die cu;
    Dwarf_Line *l;
    const char *src;
    int n;

    *file = NULL;
    *line = 0;
    if (find_cu(e, addr, &cu) != 0)
        return -1;
    l = dwarf_getsrc_die(&cu, addr);
    if (l == NULL)
        return -1;
    src = dwarf_linesrc(l, NULL, NULL);
    if (src == NULL || dwarf_lineno(l, &n) != 0)
        return -1;
    *file = src;
    *line = n;
    return 0;
}

const char *emu_dwarf_cu_name(struct emu *e, uint32_t addr)
{
    Dwarf_Die cu;

    if (find_cu(e, addr, &cu) != 0)
        return NULL;
    return dwarf_diename(&cu);
}
