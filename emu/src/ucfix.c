/*
 * The store path of Unicorn 2.0.1 (Debian 12's), and how we track the RAM
 * pages a run writes.
 *
 * What 2.0.1 does: QEMU's dirty-memory bitmap is stubbed out, so every
 * writable RAM page's TLB entry keeps the "not dirty" flag for ever and
 * every guest store leaves the translated code for store_helper ->
 * notdirty_write -> page_collection_lock, tb_invalidate_phys_page_fast,
 * page_collection_unlock: about 45 ns a store, where a load costs 1 ns.
 * And any UC_HOOK_MEM_WRITE hook, whatever its range, sends every load
 * and store of every page to the slow path as well (17 ns a load).
 *
 * What we do instead of a write hook: notdirty_write calls
 * page_collection_lock(uc, ram_addr, ram_addr + size) for every store to
 * a not-dirty page. Our executable exports a function of that name (the
 * library calls it through its PLT), which:
 *   1. tells mem.c the page is dirty (ram_addr -> map and page, with the
 *      ram_addr of each map from qemu_ram_addr_from_host);
 *   2. clears the page's "not dirty" flag with the library's own
 *      tlb_set_dirty(cpu, vaddr): the rest of the run's stores to that page
 *      take the inline fast path;
 *   3. returns NULL instead of building the GLib tree the lock would build
 *      and nobody reads (what Unicorn 2.0.2 does, upstream pull request
 *      1838).
 * mem.c re-arms a restored page with tlb_flush_page(cpu, vaddr): its next
 * TLB fill sets the flag again, so the first store of the next run traps.
 * The CPUState pointer those two need comes from tlb_set_page_with_attrs,
 * which we also replace by a function that notes it and calls Unicorn's.
 *
 * Only with Unicorn 2.0.1, only when the executable really exports these
 * symbols and a probe (one guest store in a scratch engine) reaches both,
 * and not with FWFUZZ_EMU_UC_SLOW_WRITES in the environment; otherwise
 * emu uses a UC_HOOK_MEM_WRITE hook (slow, but plain API).
 * Clearing the flag skips QEMU's self-modifying-code check on that page,
 * so an emulator whose image has code in RAM keeps the trap but not step 2.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "internal.h"

struct uc_struct;
struct page_collection;

/* QEMU 5.0's prototypes, as Unicorn 2.0.1 builds them for "arm". */
typedef struct page_collection *(*lock_fn)(struct uc_struct *, uint64_t,
                                           uint64_t);
typedef void (*unlock_fn)(struct page_collection *);
typedef void (*set_page_fn)(void *cpu, uint32_t vaddr, uint64_t paddr,
                            uint32_t attrs, int prot, int mmu_idx,
                            uint32_t size);
typedef void (*page_fn)(void *cpu, uint32_t vaddr);
typedef void (*flush_fn)(void *cpu);
typedef uint64_t (*ram_addr_fn)(struct uc_struct *, void *host);

/* Exported by the executable (emu/CMakeLists.txt adds the linker options). */
struct page_collection *page_collection_lock_arm(struct uc_struct *uc,
                                                 uint64_t start, uint64_t end);
void page_collection_unlock_arm(struct page_collection *set);
void tlb_set_page_with_attrs_arm(void *cpu, uint32_t vaddr, uint64_t paddr,
                                 uint32_t attrs, int prot, int mmu_idx,
                                 uint32_t size);

static struct {
    int active; /* the trap is ours: no write hook needed */
    lock_fn lock;
    unlock_fn unlock;
    set_page_fn set_page;
    page_fn set_dirty;
    page_fn flush_page;
    flush_fn flush;
    ram_addr_fn ram_addr;
} uf;

static pthread_once_t resolved = PTHREAD_ONCE_INIT;
static pthread_once_t decided = PTHREAD_ONCE_INIT;

/*
 * The emulator inside uc_emu_start on this thread: stores and TLB fills
 * are its (one handle per thread may run at a time).
 */
static _Thread_local struct emu *running;
static _Thread_local unsigned long traps;

/* The probe's engine, and what reached our functions while it ran. */
static _Thread_local uc_engine *probe_uc;
static _Thread_local void *probe_cpu;
static _Thread_local unsigned probe_locks, probe_fills;
static _Thread_local uint64_t probe_ram; /* ram_addr of its RAM page */

static void *next_symbol(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static int ours(const char *name, void *fn)
{
    void *p = dlsym(RTLD_DEFAULT, name);

    return p == fn;
}

#define LOOKUP(field, name)                                                    \
    do {                                                                       \
        void *p_ = next_symbol(name);                                          \
        memcpy(&uf.field, &p_, sizeof(p_));                                    \
    } while (0)

/* Unicorn's own functions, for passing calls through: nothing else. */
static void resolve(void)
{
    LOOKUP(lock, "page_collection_lock_arm");
    LOOKUP(unlock, "page_collection_unlock_arm");
    LOOKUP(set_page, "tlb_set_page_with_attrs_arm");
    LOOKUP(set_dirty, "tlb_set_dirty_arm");
    LOOKUP(flush_page, "tlb_flush_page_arm");
    LOOKUP(flush, "tlb_flush_arm");
    LOOKUP(ram_addr, "qemu_ram_addr_from_host_arm");
}

/* "str r0, [r1]" at 0x1000 (run to 0x1002): did it trap? */
static int probe_store(uc_engine *uc, unsigned *locks)
{
    unsigned before = probe_locks;

    if (uc_emu_start(uc, 0x1001, 0x1002, 0, 0) != UC_ERR_OK)
        return -1;
    *locks = probe_locks - before;
    return 0;
}

/*
 * The whole mechanism in a scratch engine, as emu uses it: a first store
 * to a page traps (and a TLB fill told us the CPU); after tlb_set_dirty the
 * next one does not; after tlb_flush_page it traps again. A library built
 * with direct internal calls would bypass our functions, and then no dirty
 * page would ever be marked: this says so before any emulator relies on it.
 */
static int probe(void)
{
    static uint8_t code[0x400], ram[0x400];
    uint32_t r0 = 0x5A5A5A5Au, r1 = 0x2000;
    size_t page = 0;
    unsigned l1 = 0, l2 = 1, l3 = 0;
    uc_engine *uc;
    int ok;

    code[0] = 0x08; /* str r0, [r1] */
    code[1] = 0x60;
    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &uc) != UC_ERR_OK)
        return 0;
    ok = uc_mem_map_ptr(uc, 0x1000, sizeof(code), UC_PROT_READ | UC_PROT_EXEC,
                        code) == UC_ERR_OK &&
         uc_mem_map_ptr(uc, 0x2000, sizeof(ram), UC_PROT_READ | UC_PROT_WRITE,
                        ram) == UC_ERR_OK &&
         uc_reg_write(uc, UC_ARM_REG_R0, &r0) == UC_ERR_OK &&
         uc_reg_write(uc, UC_ARM_REG_R1, &r1) == UC_ERR_OK &&
         uc_query(uc, UC_QUERY_PAGE_SIZE, &page) == UC_ERR_OK &&
         page == EMU_PAGE;
    /*
     * Each uc_emu_start also invalidates the translation at its end
     * address (page_collection_lock on code): count the RAM page's only.
     */
    probe_ram = ok ? uf.ram_addr((struct uc_struct *)uc, ram) : UINT64_MAX;
    probe_uc = uc;
    probe_locks = probe_fills = 0;
    probe_cpu = NULL;
    ok = ok && probe_store(uc, &l1) == 0 && probe_cpu != NULL;
    if (ok)
        uf.set_dirty(probe_cpu, 0x2000);
    ok = ok && probe_store(uc, &l2) == 0;
    if (ok)
        uf.flush_page(probe_cpu, 0x2000);
    ok = ok && probe_store(uc, &l3) == 0;
    probe_uc = NULL;
    uc_close(uc);
    return ok && ram[0] == 0x5A && l1 == 1 && l2 == 0 && l3 == 1 &&
           probe_fills > 0;
}

static void decide(void)
{
    unsigned major = 0, minor = 0;
    unsigned v = uc_version(&major, &minor);

    pthread_once(&resolved, resolve);
    /* uc_version() packs major, minor, patch and extra, a byte each. */
    uf.active =
        (v & 0xFFFFFF00u) == 0x02000100u &&
        getenv("FWFUZZ_EMU_UC_SLOW_WRITES") == NULL && uf.lock && uf.unlock &&
        uf.set_page && uf.set_dirty && uf.flush_page && uf.flush &&
        uf.ram_addr &&
        ours("page_collection_lock_arm", (void *)page_collection_lock_arm) &&
        ours("tlb_set_page_with_attrs_arm",
             (void *)tlb_set_page_with_attrs_arm);
    if (uf.active)
        uf.active = probe();
}

void emu_ucfix_init(void)
{
    pthread_once(&decided, decide);
}

int emu_ucfix_active(void)
{
    emu_ucfix_init();
    return uf.active;
}

unsigned long emu_ucfix_traps(void)
{
    return traps;
}

uint64_t emu_ucfix_ram_addr(struct emu *e, void *host)
{
    return uf.active ? uf.ram_addr((struct uc_struct *)e->uc, host)
                     : UINT64_MAX;
}

void emu_ucfix_enter(struct emu *e)
{
    running = e;
}

void emu_ucfix_leave(void)
{
    running = NULL;
}

void emu_ucfix_rearm(struct emu *e, uint32_t vaddr)
{
    if (e->hooks.uc_cpu != NULL && e->hooks.fast_stores)
        uf.flush_page(e->hooks.uc_cpu, vaddr);
}

void emu_ucfix_rearm_all(struct emu *e)
{
    if (e->hooks.uc_cpu != NULL && uf.active)
        uf.flush(e->hooks.uc_cpu);
}

void tlb_set_page_with_attrs_arm(void *cpu, uint32_t vaddr, uint64_t paddr,
                                 uint32_t attrs, int prot, int mmu_idx,
                                 uint32_t size)
{
    /* Only resolve here: this may run inside anybody's engine. */
    pthread_once(&resolved, resolve);
    if (running != NULL)
        running->hooks.uc_cpu = cpu;
    if (probe_uc != NULL) {
        probe_cpu = cpu;
        probe_fills++;
    }
    uf.set_page(cpu, vaddr, paddr, attrs, prot, mmu_idx, size);
}

struct page_collection *page_collection_lock_arm(struct uc_struct *uc,
                                                 uint64_t start, uint64_t end)
{
    struct emu *e = running;
    uint32_t vaddr;

    pthread_once(&resolved, resolve);
    if (probe_uc != NULL && (void *)probe_uc == (void *)uc) {
        probe_locks += start - probe_ram < 0x400;
        return NULL;
    }
    /* Ours only while one of our emulators runs, once decided. */
    if (e == NULL || !uf.active || (void *)e->uc != (void *)uc)
        return uf.lock(uc, start, end);
    /*
     * notdirty_write of a store by the running guest to one of its RAM
     * maps (end: last byte + 1); or uc_emu_start invalidating the
     * translation at its end address, in flash: not a store.
     */
    if (end > start && emu_mem_store_trap(e, start, end - 1, &vaddr)) {
        traps++;
        if (e->hooks.fast_stores && e->hooks.uc_cpu != NULL)
            uf.set_dirty(e->hooks.uc_cpu, vaddr);
    }
    return NULL;
}

void page_collection_unlock_arm(struct page_collection *set)
{
    pthread_once(&resolved, resolve);
    if (set != NULL && uf.unlock != NULL)
        uf.unlock(set);
}
