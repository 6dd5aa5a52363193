/*
 * fuzz_cache: libFuzzer target for the cache file decoder (cache.h).
 *
 * Each input is decoded twice: as a whole file (header parsing, length and
 * checksum checks) and as the JSON part of a file whose header is made
 * right for it here, since the fuzzer would almost never guess a checksum.
 * Whatever decodes must encode again to a file that decodes to the same
 * stories.
 *
 * Built by `make fuzz` (libFuzzer) and `make fuzz-replay` (the corpus as
 * an ordinary test).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *bytes, size_t len)
{
    CacheEntry e;
    char err[256];
    if (cache_decode(bytes, len, &e, err, sizeof(err)) < 0) {
        if (!err[0])
            abort(); /* a refusal always says why */
        return;
    }
    Buf again;
    buf_init(&again);
    cache_encode(&e, &again);
    CacheEntry d;
    if (cache_decode(again.data, again.len, &d, err, sizeof(err)) < 0)
        abort();
    if (!story_list_equal(e.stories, d.stories) || e.saved_s != d.saved_s ||
        strcmp(e.etag, d.etag) || strcmp(e.url, d.url))
        abort();
    cache_entry_deinit(&d);
    cache_entry_deinit(&e);
    buf_deinit(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = xmalloc(size + 1);
    memcpy(raw, data, size);
    check(raw, size);
    free(raw);

    Buf framed;
    buf_init(&framed);
    buf_appendf(&framed, "newswire-cache %d %zu %016" PRIx64 "\n",
                CACHE_FORMAT_VERSION, size,
                util_hash64(data, size, CACHE_HASH_SEED));
    buf_append(&framed, data, size);
    check(framed.data, framed.len);
    buf_deinit(&framed);
    return 0;
}
