/* KASan: checked string and memory functions of the fuzzing image. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kasan.h"

/*
 * gcc's kernel-address instrumentation checks loads and stores in the code
 * it compiles, but leaves memcpy and friends as plain calls into newlib,
 * which is not instrumented: an overflow through memcpy would go unseen.
 * The image links with -Wl,--wrap=<name> for each function below, so every
 * call lands here, is checked over the whole range it touches (as ASan's
 * interceptors do, strict_memcmp included), and then runs newlib's, except
 * for memcpy, memset and memcmp: newlib-nano's are byte loops, a basic
 * block per byte under the emulator, so these copy and compare word by
 * word once the range is checked (this file is built with
 * -fno-tree-loop-distribute-patterns: gcc must not turn the loops back
 * into calls of the functions they implement).
 */
void *__real_memcpy(void *dst, const void *src, size_t n);
void *__real_memmove(void *dst, const void *src, size_t n);
void *__real_memset(void *dst, int c, size_t n);
int __real_memcmp(const void *a, const void *b, size_t n);
void *__real_memchr(const void *s, int c, size_t n);
size_t __real_strlen(const char *s);
size_t __real_strnlen(const char *s, size_t max);
char *__real_strchr(const char *s, int c);
char *__real_strrchr(const char *s, int c);

void *__wrap_memcpy(void *dst, const void *src, size_t n);
void *__wrap_memmove(void *dst, const void *src, size_t n);
void *__wrap_memset(void *dst, int c, size_t n);
int __wrap_memcmp(const void *a, const void *b, size_t n);
void *__wrap_memchr(const void *s, int c, size_t n);
size_t __wrap_strlen(const char *s);
size_t __wrap_strnlen(const char *s, size_t max);
int __wrap_strcmp(const char *a, const char *b);
int __wrap_strncmp(const char *a, const char *b, size_t n);
char *__wrap_strchr(const char *s, int c);
char *__wrap_strrchr(const char *s, int c);
char *__wrap_strcpy(char *dst, const char *src);
char *__wrap_strncpy(char *dst, const char *src, size_t n);

/* pc: the return address of the wrapper, i.e. the call of memcpy etc. */
#define KASAN_LOAD(p, n)  kasan_check_range((uintptr_t)(p), (n), 0, pc)
#define KASAN_STORE(p, n) kasan_check_range((uintptr_t)(p), (n), 1, pc)

/* Both pointers 4-aligned: words, then the tail bytes. */
static int aligned4(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & 3u) == 0;
}

static void copy_fast(uint8_t *d, const uint8_t *s, size_t n)
{
    if (aligned4(d, s)) {
        for (; n >= 16; n -= 16, d += 16, s += 16) {
            ((uint32_t *)(void *)d)[0] = ((const uint32_t *)(const void *)s)[0];
            ((uint32_t *)(void *)d)[1] = ((const uint32_t *)(const void *)s)[1];
            ((uint32_t *)(void *)d)[2] = ((const uint32_t *)(const void *)s)[2];
            ((uint32_t *)(void *)d)[3] = ((const uint32_t *)(const void *)s)[3];
        }
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
    }
    while (n-- > 0)
        *d++ = *s++;
}

void *__wrap_memcpy(void *dst, const void *src, size_t n)
{
    uintptr_t pc = KASAN_CALLER();

    KASAN_LOAD(src, n);
    KASAN_STORE(dst, n);
    copy_fast(dst, src, n);
    return dst;
}

void *__wrap_memmove(void *dst, const void *src, size_t n)
{
    uintptr_t pc = KASAN_CALLER();

    KASAN_LOAD(src, n);
    KASAN_STORE(dst, n);
    return __real_memmove(dst, src, n);
}

void *__wrap_memset(void *dst, int c, size_t n)
{
    uintptr_t pc = KASAN_CALLER();

    KASAN_STORE(dst, n);
    {
        uint8_t *d = dst;
        uint32_t w = (uint8_t)c * 0x01010101u;

        for (; n > 0 && ((uintptr_t)d & 3u) != 0; n--)
            *d++ = (uint8_t)c;
        for (; n >= 16; n -= 16, d += 16) {
            ((uint32_t *)(void *)d)[0] = w;
            ((uint32_t *)(void *)d)[1] = w;
            ((uint32_t *)(void *)d)[2] = w;
            ((uint32_t *)(void *)d)[3] = w;
        }
        for (; n >= 4; n -= 4, d += 4)
            *(uint32_t *)(void *)d = w;
        while (n-- > 0)
            *d++ = (uint8_t)c;
    }
    return dst;
}

int __wrap_memcmp(const void *a, const void *b, size_t n)
{
    uintptr_t pc = KASAN_CALLER();

    KASAN_LOAD(a, n);
    KASAN_LOAD(b, n);
    {
        const uint8_t *x = a, *y = b;

        /* Equal words are skipped; the first differing one byte by byte. */
        if (aligned4(x, y))
            for (; n >= 4 && *(const uint32_t *)(const void *)x ==
                                 *(const uint32_t *)(const void *)y;
                 n -= 4, x += 4, y += 4)
                ;
        for (; n > 0; n--, x++, y++)
            if (*x != *y)
                return (int)*x - (int)*y;
    }
    return 0;
}

void *__wrap_memchr(const void *s, int c, size_t n)
{
    uintptr_t pc = KASAN_CALLER();
    const uint8_t *r = __real_memchr(s, c, n);

    KASAN_LOAD(s, r != NULL ? (size_t)(r - (const uint8_t *)s) + 1 : n);
    return (void *)(uintptr_t)r;
}

size_t __wrap_strlen(const char *s)
{
    uintptr_t pc = KASAN_CALLER();
    size_t n = __real_strlen(s);

    KASAN_LOAD(s, n + 1);
    return n;
}

size_t __wrap_strnlen(const char *s, size_t max)
{
    uintptr_t pc = KASAN_CALLER();
    size_t n = __real_strnlen(s, max);

    KASAN_LOAD(s, n < max ? n + 1 : max);
    return n;
}

/* Compares as strncmp does and checks exactly the bytes it had to read. */
static int kasan_strncmp(const char *a, const char *b, size_t n, uintptr_t pc)
{
    const uint8_t *x = (const uint8_t *)a;
    const uint8_t *y = (const uint8_t *)b;
    size_t i = 0;

    while (i < n && x[i] == y[i] && x[i] != 0)
        i++;
    if (i == n) {
        KASAN_LOAD(a, n);
        KASAN_LOAD(b, n);
        return 0;
    }
    KASAN_LOAD(a, i + 1);
    KASAN_LOAD(b, i + 1);
    return (int)x[i] - (int)y[i];
}

int __wrap_strcmp(const char *a, const char *b)
{
    uintptr_t pc = KASAN_CALLER();

    return kasan_strncmp(a, b, SIZE_MAX, pc);
}

int __wrap_strncmp(const char *a, const char *b, size_t n)
{
    uintptr_t pc = KASAN_CALLER();

    return kasan_strncmp(a, b, n, pc);
}

char *__wrap_strchr(const char *s, int c)
{
    uintptr_t pc = KASAN_CALLER();
    char *r = __real_strchr(s, c);

    KASAN_LOAD(s, r != NULL ? (size_t)(r - s) + 1 : __real_strlen(s) + 1);
    return r;
}

char *__wrap_strrchr(const char *s, int c)
{
    uintptr_t pc = KASAN_CALLER();

    KASAN_LOAD(s, __real_strlen(s) + 1);
    return __real_strrchr(s, c);
}

char *__wrap_strcpy(char *dst, const char *src)
{
    uintptr_t pc = KASAN_CALLER();
    size_t n = __real_strlen(src) + 1;

    KASAN_LOAD(src, n);
    KASAN_STORE(dst, n);
    copy_fast((uint8_t *)dst, (const uint8_t *)src, n);
    return dst;
}

char *__wrap_strncpy(char *dst, const char *src, size_t n)
{
    uintptr_t pc = KASAN_CALLER();
    size_t len = __real_strnlen(src, n);

    KASAN_LOAD(src, len < n ? len + 1 : n);
    KASAN_STORE(dst, n);
    __real_memcpy(dst, src, len);
    __real_memset(dst + len, 0, n - len);
    return dst;
}
