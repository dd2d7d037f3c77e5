/*
 * The KASan heap's block layout (kasan_heap.c): shared with the emulator,
 * which reads a block's header from guest memory to say which block a bad
 * address is in (emu/src/describe.c). Host and guest: stdint only.
 */
#ifndef FWFUZZ_KASAN_HEAP_H
#define FWFUZZ_KASAN_HEAP_H

#include <stdint.h>

/*
 * A block: [raw, user) left redzone whose last KASAN_HEAP_HEADER bytes are
 * the header (32-bit words: magic, the size the caller asked for, raw,
 * the quarantine link), [user, user + size) the caller's bytes, then the
 * right redzone up to user + round_up(size, 8) + KASAN_HEAP_RIGHT_RZ.
 */
/* clang-format off */
#define KASAN_CHUNK_LIVE       0x4556494Cu /* "LIVE" */
#define KASAN_CHUNK_FREED      0x45455246u /* "FREE" */
#define KASAN_HEAP_HEADER      16u
#define KASAN_HEAP_RIGHT_RZ    32u
#define KASAN_HEAP_ALIGN       8u
#define KASAN_CHUNK_OFF_MAGIC  0u
#define KASAN_CHUNK_OFF_SIZE   4u
#define KASAN_CHUNK_OFF_RAW    8u
/* clang-format on */

#endif
