/*
 * fuzz_clean: libFuzzer target for the text hygiene pipeline (clean.h).
 *
 * Beyond "no crash, no leak", it checks what the screen relies on: the
 * output is valid UTF-8 within max_bytes, free of controls, bidi and
 * invisible characters, with single inner spaces; cleaning is stable; the
 * suffix and marker strippers only ever return a prefix of their input.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       src/core/util.c src/core/clean.c fuzz/fuzz_clean.c
 *
 * Linked with fuzz/replay.c instead of -fsanitize=fuzzer, it replays saved
 * inputs as an ordinary test (make fuzz-replay).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Written out here rather than shared with clean.c, so that a wrong table
 * there is not trusted here. */
static int
is_forbidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x2069) ||
           cp == 0x3000 || cp == 0xFEFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
           cp > 0x10FFFF;
}

static void
check_clean_output(const char *out, size_t max_bytes)
{
    ASSERT(out);
    size_t len = strlen(out);
    ASSERT(len <= max_bytes);
    ASSERT(len == 0 || (out[0] != ' ' && out[len - 1] != ' '));
    ASSERT(!strstr(out, "  "));
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(out + i, len - i, &cp);
        ASSERT(n >= 1 && n <= 4 && i + n <= len);
        /* Valid UTF-8 means every sequence survives a round trip. */
        char enc[4];
        ASSERT(utf8_encode(cp, enc) == n);
        ASSERT(memcmp(enc, out + i, n) == 0);
        ASSERT(!is_forbidden(cp));
        i += n;
    }
}

/* Text with no markup left must come out of a second cleaning unchanged. */
static void
check_stable(const char *out, size_t max_bytes)
{
    if (strchr(out, '&') || strchr(out, '<'))
        return;
    char *again = text_clean(out, strlen(out), max_bytes);
    ASSERT(strcmp(again, out) == 0);
    free(again);
}

static void
check_prefix(const char *result, const char *input)
{
    size_t n = strlen(result);
    ASSERT(n <= strlen(input));
    ASSERT(memcmp(result, input, n) == 0);
}

/* The decoder must consume 1-4 bytes, never past len, and agree with the
 * encoder on every valid sequence. */
static void
check_decoder(const uint8_t *data, size_t size)
{
    size_t i = 0;
    while (i < size) {
        uint32_t cp;
        size_t n = utf8_decode((const char *)data + i, size - i, &cp);
        ASSERT(n >= 1 && n <= 4 && i + n <= size);
        ASSERT(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        char enc[4];
        size_t m = utf8_encode(cp, enc);
        if (cp != UTF8_REPLACEMENT) {
            ASSERT(m == n);
            ASSERT(memcmp(enc, data + i, n) == 0);
        }
        i += n;
    }
}

static void
check_strippers(const uint8_t *data, size_t size)
{
    /* The first NUL, if any, splits the input into title and source. */
    char *title = xstrndup((const char *)data, size);
    size_t title_len = strlen(title);
    const char *source =
        title_len + 1 < size ? (const char *)title + title_len + 1 : NULL;
    char *source_copy = source ? xstrndup(source, size - title_len - 1) : NULL;

    char *out = text_strip_source_suffix(title, source_copy);
    check_prefix(out, title);
    ASSERT(title_len == 0 || out[0] != '\0');
    free(out);

    out = text_strip_truncation(title);
    check_prefix(out, title);
    free(out);

    free(source_copy);
    free(title);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_decoder(data, size);
    check_strippers(data, size);

    /* The first byte picks the display limit: small ones exercise
     * truncation, 0 the default. */
    size_t max_bytes = size > 0 ? data[0] : 0;
    const char *text = size > 0 ? (const char *)data + 1 : NULL;
    size_t text_len = size > 0 ? size - 1 : 0;
    char *out = text_clean(text, text_len, max_bytes);
    size_t limit = max_bytes ? max_bytes : TEXT_MAX_BYTES;
    check_clean_output(out, limit);
    check_stable(out, limit);
    free(out);
    return 0;
}
