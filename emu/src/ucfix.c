/*
 * A work-around for the store path of Unicorn 2.0.1 (Debian 12's).
 *
 * Every guest store to RAM takes QEMU's "not dirty" slow path, which
 * builds and destroys a GLib tree (page_collection_lock/unlock) to lock
 * pages that Unicorn never locks: about 80 ns per store, four times the
 * rest of the store. Unicorn 2.0.2 stopped building the tree (upstream
 * pull request 1838: the lock returns NULL, the unlock does nothing; the
 * only user of the collection is the unlock).
 *
 * libunicorn calls both functions through its PLT, so an executable that
 * exports these two symbols replaces them (emu's CMakeLists.txt adds the
 * linker options). Only for the version measured: with any other version,
 * or with FWFUZZ_EMU_UC_SLOW_WRITES set in the environment, the calls go
 * to Unicorn's own functions.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "internal.h"

struct uc_struct;
struct page_collection;

typedef struct page_collection *(*lock_fn)(struct uc_struct *, uint64_t,
                                           uint64_t);
typedef void (*unlock_fn)(struct page_collection *);

/* 0: not decided, 1: skip the tree, 2: call Unicorn's functions */
static volatile int ucfix_mode;
static lock_fn real_lock;
static unlock_fn real_unlock;
static unsigned long ucfix_skipped; /* for the tests: it is in use */

struct page_collection *page_collection_lock_arm(struct uc_struct *uc,
                                                 uint64_t start, uint64_t end);
void page_collection_unlock_arm(struct page_collection *set);

static void *next_symbol(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

void emu_ucfix_init(void)
{
    unsigned major = 0, minor = 0;
    unsigned v = uc_version(&major, &minor);
    void *l, *u;

    if (ucfix_mode != 0)
        return;
    l = next_symbol("page_collection_lock_arm");
    u = next_symbol("page_collection_unlock_arm");
    memcpy(&real_lock, &l, sizeof(l));
    memcpy(&real_unlock, &u, sizeof(u));
    /* uc_version() packs major, minor, patch and extra, a byte each. */
    if ((v & 0xFFFFFF00u) == 0x02000100u &&
        getenv("FWFUZZ_EMU_UC_SLOW_WRITES") == NULL)
        ucfix_mode = 1;
    else
        ucfix_mode = 2;
}

unsigned long emu_ucfix_skipped(void)
{
    return ucfix_skipped;
}

struct page_collection *page_collection_lock_arm(struct uc_struct *uc,
                                                 uint64_t start, uint64_t end)
{
    if (ucfix_mode == 0)
        emu_ucfix_init();
    if (ucfix_mode != 1 && real_lock != NULL)
        return real_lock(uc, start, end);
    ucfix_skipped++;
    return NULL;
}

void page_collection_unlock_arm(struct page_collection *set)
{
    if (set != NULL && real_unlock != NULL)
        real_unlock(set);
}
