/*
 * util: the few helpers every module needs.
 *
 * ASSERT is the "bug" tier of error handling: a broken invariant prints
 * file:line and aborts, in release builds too. The x* allocators abort on
 * out-of-memory, which a kiosk cannot recover from anyway (the supervisor
 * restarts it). Buf is the one growable string type; it is always
 * NUL-terminated. Thread-safe: everything here may be called from any thread.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASSERT(cond)                                                           \
    do {                                                                       \
        if (!(cond))                                                           \
            util_assert_fail(__FILE__, __LINE__, #cond);                       \
    } while (0)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

_Noreturn void util_assert_fail(const char *file, int line, const char *expr);

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Caller owns the copy; xstrdup(NULL) returns NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* printf into a new string; caller owns it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bounded copy that always terminates (dst_size > 0). Returns strlen(src). */
size_t util_strlcpy(char *dst, const char *src, size_t dst_size);
/* Formats into err (may be NULL or errlen 0: then nothing is written). */
void util_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 64-bit FNV-1a; used for stable story ids and cache keys. */
uint64_t util_hash64(const void *data, size_t len, uint64_t seed);

typedef struct Buf {
    char *data; /* NUL-terminated when cap > 0; owned */
    size_t len;
    size_t cap;
} Buf;

void buf_init(Buf *b);
void buf_deinit(Buf *b);
void buf_clear(Buf *b);
void buf_append(Buf *b, const void *data, size_t len);
void buf_appends(Buf *b, const char *s);
void buf_appendf(Buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (who frees it) and empties the Buf. */
char *buf_steal(Buf *b);

#endif
