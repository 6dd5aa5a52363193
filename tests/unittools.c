/* unittools: see unittools.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unittools.h"
#include "util.h"

static bool
read_all(const char *path, Buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(b, chunk, n);
    fclose(f);
    return true;
}

char *
file_load_text(const char *path)
{
    Buf b;
    buf_init(&b);
    if (!read_all(path, &b))
        return NULL;
    buf_append(&b, "", 0); /* an empty file is "" */
    return buf_steal(&b);
}

Doc
fixture_load(const char *name)
{
    char *path = xasprintf("tests/fixtures/%s", name);
    Buf b;
    buf_init(&b);
    if (!read_all(path, &b))
        fail_msg("cannot open %s (tests run from the repository root)", path);
    free(path);
    Doc d = {xmalloc(b.len ? b.len : 1), b.len};
    if (b.len)
        memcpy(d.data, b.data, b.len);
    buf_deinit(&b);
    return d;
}
