/* KASan heap: redzones and a quarantine around newlib-nano's allocator. */
#include <errno.h>
#include <reent.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "kasan.h"
#include "kasan_heap.h"

/*
 * The fuzzing image links with -Wl,--wrap=_malloc_r (and _free_r, _calloc_r,
 * _realloc_r, _memalign_r). newlib-nano's malloc, free, calloc, realloc,
 * memalign and its own internal allocations all go through these, so every
 * block is ours and free() never sees a pointer it did not hand out.
 *
 * A block, from what newlib returns (raw):
 *   raw .. user    left redzone, KASAN_HEAP_LEFT; its last 16 bytes hold
 *                  struct kasan_chunk
 *   user .. +size  the caller's bytes (last granule partly addressable)
 *   .. end         right redzone, KASAN_HEAP_RIGHT, at least 32 bytes
 * Freed blocks are poisoned KASAN_HEAP_FREED and wait in a FIFO until
 * KASAN_QUARANTINE_BYTES of newer frees push them out; only then does newlib
 * get them back (poisoned KASAN_HEAP_LEFT, like all heap nobody holds).
 */
#define KASAN_QUARANTINE_BYTES (16u * 1024u)

struct kasan_chunk {
    uint32_t magic;
    uint32_t size;            /* bytes the caller asked for */
    uint8_t *raw;             /* what newlib returned */
    struct kasan_chunk *next; /* quarantine FIFO */
};
_Static_assert(sizeof(struct kasan_chunk) == KASAN_HEAP_HEADER,
               "the header fills the last 16 bytes of the left redzone");
_Static_assert(offsetof(struct kasan_chunk, magic) == KASAN_CHUNK_OFF_MAGIC &&
                   offsetof(struct kasan_chunk, size) == KASAN_CHUNK_OFF_SIZE &&
                   offsetof(struct kasan_chunk, raw) == KASAN_CHUNK_OFF_RAW,
               "the emulator reads the header as kasan_heap.h says");

static struct {
    struct kasan_chunk *head; /* oldest */
    struct kasan_chunk *tail;
    size_t bytes;
} kasan_quarantine;

void *__real__malloc_r(struct _reent *r, size_t size);
void __real__free_r(struct _reent *r, void *ptr);
void *__wrap__malloc_r(struct _reent *r, size_t size);
void __wrap__free_r(struct _reent *r, void *ptr);
void *__wrap__calloc_r(struct _reent *r, size_t n, size_t size);
void *__wrap__realloc_r(struct _reent *r, void *ptr, size_t size);
void *__wrap__memalign_r(struct _reent *r, size_t align, size_t size);

static uint8_t *kasan_chunk_user(struct kasan_chunk *c)
{
    return (uint8_t *)c + KASAN_HEAP_HEADER;
}

static uint8_t *kasan_chunk_end(struct kasan_chunk *c)
{
    return kasan_chunk_user(c) + kasan_round_up(c->size) + KASAN_HEAP_RIGHT_RZ;
}

static void *kasan_alloc(struct _reent *r, size_t size, size_t align)
{
    uintptr_t raw, user;
    struct kasan_chunk *c;
    size_t total;

    if (align < KASAN_HEAP_ALIGN)
        align = KASAN_HEAP_ALIGN;
    /* Larger than SRAM cannot succeed; refusing early keeps sums small. */
    if (size > BOARD_SRAM_SIZE || align > BOARD_SRAM_SIZE) {
        r->_errno = ENOMEM;
        return NULL;
    }
    total = (align - KASAN_HEAP_ALIGN) + KASAN_HEAP_HEADER +
            kasan_round_up(size) + KASAN_HEAP_RIGHT_RZ;
    raw = (uintptr_t)__real__malloc_r(r, total);
    if (raw == 0)
        return NULL;
    user = (raw + KASAN_HEAP_HEADER + align - 1) & ~(uintptr_t)(align - 1);
    c = (struct kasan_chunk *)(user - KASAN_HEAP_HEADER);
    c->magic = KASAN_CHUNK_LIVE;
    c->size = (uint32_t)size;
    c->raw = (uint8_t *)raw;
    c->next = NULL;
    kasan_poison(raw, user - raw, KASAN_HEAP_LEFT);
    kasan_unpoison(user, size);
    kasan_poison(kasan_round_up(user + size),
                 raw + total - kasan_round_up(user + size), KASAN_HEAP_RIGHT);
    return (void *)user;
}

/* The chunk of a live block, or a bad-free report (pc: the caller). */
static struct kasan_chunk *kasan_chunk_of(const void *ptr, uintptr_t pc)
{
    uintptr_t p = (uintptr_t)ptr;
    struct kasan_chunk *c;

    if (p % KASAN_HEAP_ALIGN != 0 ||
        p < (uintptr_t)__heap_start + KASAN_HEAP_HEADER ||
        p >= (uintptr_t)__heap_end)
        kasan_report_bad_free(ptr, pc);
    /* A live block's header sits in poisoned memory nobody else can write. */
    if (*kasan_shadow(p - KASAN_GRANULE) != (int8_t)KASAN_HEAP_LEFT)
        kasan_report_bad_free(ptr, pc);
    c = (struct kasan_chunk *)(p - KASAN_HEAP_HEADER);
    if (c->magic != KASAN_CHUNK_LIVE)
        kasan_report_bad_free(ptr, pc);
    return c;
}

static void kasan_release_oldest(struct _reent *r)
{
    struct kasan_chunk *c = kasan_quarantine.head;
    uint8_t *raw = c->raw;
    uint8_t *end = kasan_chunk_end(c);

    kasan_quarantine.head = c->next;
    if (kasan_quarantine.head == NULL)
        kasan_quarantine.tail = NULL;
    kasan_quarantine.bytes -= (size_t)(end - raw);
    c->magic = 0;
    kasan_poison((uintptr_t)raw, (size_t)(end - raw), KASAN_HEAP_LEFT);
    __real__free_r(r, raw);
}

void *__wrap__malloc_r(struct _reent *r, size_t size)
{
    return kasan_alloc(r, size, KASAN_HEAP_ALIGN);
}

static void kasan_free(struct _reent *r, void *ptr, uintptr_t pc)
{
    struct kasan_chunk *c;

    if (ptr == NULL)
        return;
    c = kasan_chunk_of(ptr, pc);
    c->magic = KASAN_CHUNK_FREED;
    kasan_poison((uintptr_t)ptr, kasan_round_up(c->size), KASAN_HEAP_FREED);
    if (kasan_quarantine.tail != NULL)
        kasan_quarantine.tail->next = c;
    else
        kasan_quarantine.head = c;
    kasan_quarantine.tail = c;
    kasan_quarantine.bytes += (size_t)(kasan_chunk_end(c) - c->raw);
    while (kasan_quarantine.bytes > KASAN_QUARANTINE_BYTES)
        kasan_release_oldest(r);
}

void __wrap__free_r(struct _reent *r, void *ptr)
{
    kasan_free(r, ptr, KASAN_CALLER());
}

void *__wrap__calloc_r(struct _reent *r, size_t n, size_t size)
{
    void *p;

    if (size != 0 && n > SIZE_MAX / size) {
        r->_errno = ENOMEM;
        return NULL;
    }
    p = kasan_alloc(r, n * size, KASAN_HEAP_ALIGN);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *__wrap__realloc_r(struct _reent *r, void *ptr, size_t size)
{
    struct kasan_chunk *c;
    void *p;

    if (ptr == NULL)
        return kasan_alloc(r, size, KASAN_HEAP_ALIGN);
    c = kasan_chunk_of(ptr, KASAN_CALLER());
    if (size == 0) {
        kasan_free(r, ptr, KASAN_CALLER());
        return NULL;
    }
    p = kasan_alloc(r, size, KASAN_HEAP_ALIGN);
    if (p == NULL)
        return NULL;
    memcpy(p, ptr, c->size < size ? c->size : size);
    kasan_free(r, ptr, KASAN_CALLER());
    return p;
}

void *__wrap__memalign_r(struct _reent *r, size_t align, size_t size)
{
    if (align == 0 || (align & (align - 1)) != 0) {
        r->_errno = EINVAL;
        return NULL;
    }
    return kasan_alloc(r, size, align);
}
