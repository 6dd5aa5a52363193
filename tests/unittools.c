/* unittools: see unittools.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unittools.h"
#include "util.h"

Doc
fixture_load(const char *name)
{
    char *path = xasprintf("tests/fixtures/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (tests run from the repository root)", path);
    Buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    free(path);
    Doc d = {xmalloc(b.len ? b.len : 1), b.len};
    if (b.len)
        memcpy(d.data, b.data, b.len);
    buf_deinit(&b);
    return d;
}
