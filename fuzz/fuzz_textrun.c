/*
 * fuzz_textrun: libFuzzer target for bidi and run splitting (textrun.h).
 *
 * Beyond "no crash, no leak", it checks what drawing relies on: the runs
 * cover every byte exactly once, each starts on a character boundary and
 * never between a character and its mark, joiner or modifier, fonts are
 * the chooser's, and a line with nothing right-to-left keeps its order.
 * The first byte seeds the made-up font coverage.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       $(pkg-config --cflags fribidi) src/core/util.c src/core/clean.c \
 *       src/core/textrun.c fuzz/fuzz_textrun.c -lfribidi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "textrun.h"
#include "util.h"

#define FONTS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t seed;

/* A font covers cp by a hash of both, font 0 most of all. */
static bool
covers(int font, uint32_t cp)
{
    uint32_t h = (cp ^ seed) * 2654435761u + (uint32_t)font * 40503u;
    return font == 0 ? (h >> 28) != 0 : ((h >> 24) & 3) == 0;
}

static int
font_for(void *ud, uint32_t cp)
{
    (void)ud;
    for (int f = 0; f < FONTS; f++) {
        if (covers(f, cp))
            return f;
    }
    return 0;
}

static bool
has_glyph(void *ud, int font, uint32_t cp)
{
    (void)ud;
    ASSERT(font >= 0 && font < FONTS);
    return covers(font, cp);
}

static bool
is_boundary(const char *s, size_t len, size_t at)
{
    size_t i = 0;
    while (i < at) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
    }
    return i == at;
}

/* The character before byte at (a boundary > 0). */
static uint32_t
char_before(const char *s, size_t at)
{
    size_t i = 0;
    uint32_t cp = 0;
    while (i < at)
        i += utf8_decode(s + i, at - i, &cp);
    return cp;
}

static void
check_runs(const TextRuns *tr, const char *s, size_t len)
{
    ASSERT((tr->count == 0) == (len == 0));
    uint8_t *seen = xcalloc(len ? len : 1, 1);
    bool any_rtl = false;
    for (size_t i = 0; i < tr->count; i++) {
        const TextRun *r = &tr->run[i];
        ASSERT(r->len > 0 && r->off + r->len <= len);
        ASSERT(r->font >= 0 && r->font < FONTS);
        ASSERT(strlen(r->script) == 0 || strlen(r->script) == 4);
        ASSERT(is_boundary(s, len, r->off));
        if (r->off > 0) {
            uint32_t cp;
            utf8_decode(s + r->off, len - r->off, &cp);
            ASSERT(!textrun_is_extender(cp));
            ASSERT(char_before(s, r->off) != 0x200D);
        }
        for (size_t b = r->off; b < r->off + r->len; b++) {
            ASSERT(!seen[b]);
            seen[b] = 1;
        }
        any_rtl |= r->rtl;
    }
    for (size_t b = 0; b < len; b++)
        ASSERT(seen[b]);
    free(seen);
    if (!any_rtl) {
        for (size_t i = 1; i < tr->count; i++)
            ASSERT(tr->run[i - 1].off < tr->run[i].off);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    seed = data[0] * 0x01010101u;
    /* An exact-size copy, so ASan sees any read past the end. */
    size_t len = size - 1;
    char *s = xmalloc(len ? len : 1);
    memcpy(s, data + 1, len);
    TextRuns tr;
    textrun_init(&tr);
    FontChooser fc = {font_for, data[0] & 1 ? has_glyph : NULL, NULL};
    textrun_split(&tr, s, len, &fc);
    check_runs(&tr, s, len);
    /* The same buffers again, on a prefix. */
    textrun_split(&tr, s, len / 2, &fc);
    check_runs(&tr, s, len / 2);
    textrun_deinit(&tr);
    free(s);
    return 0;
}
