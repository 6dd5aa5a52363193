/*
 * unittools: helpers shared by the unit test programs (linked into every
 * tests/test_*.c). Tests run from the repository root.
 */
#ifndef UNITTOOLS_H
#define UNITTOOLS_H

#include <stddef.h>

typedef struct Doc {
    char *data; /* exactly len bytes, no NUL after: overreads hit ASan */
    size_t len;
} Doc;

/* A whole file as a NUL-terminated string (caller frees), or NULL when it
 * cannot be opened. */
char *file_load_text(const char *path);

/* The bytes of tests/fixtures/NAME; fails the running test when it cannot
 * be read. Caller frees data. */
Doc fixture_load(const char *name);

#endif
