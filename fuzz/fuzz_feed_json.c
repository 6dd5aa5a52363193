/*
 * fuzz_feed_json: libFuzzer target for the JSON decoder with each preset.
 *
 * The first byte picks the format (auto, newsapi, jsonfeed, gnews,
 * guardian, nyt), the rest is the document. Every decoded list must
 * satisfy fuzz/stories.h (clean, bounded text; web URLs only; plausible
 * dates); a failure must name the feed. The same bytes also go through
 * feed_detect and feed_describe_http_error, which read error documents.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       fuzz/fuzz_feed_json.c src/core/(all).c -lcjson -linih -lxml2 -lm
 *
 * Linked with fuzz/replay.c instead of -fsanitize=fuzzer, it replays saved
 * inputs as an ordinary test (make fuzz-replay).
 */
#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include "stories.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const FeedFormat FORMATS[] = {
    FEED_FORMAT_AUTO,  FEED_FORMAT_NEWSAPI,  FEED_FORMAT_JSONFEED,
    FEED_FORMAT_GNEWS, FEED_FORMAT_GUARDIAN, FEED_FORMAT_NYT,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1024 * 1024)
        return 0;
    FeedDecodeOpts opts = {.feed_name = "fuzz",
                           .format = FORMATS[data[0] % ARRAY_LEN(FORMATS)]};
    /* Now and then a small story cap, to reach the "list is full" path. */
    if (data[0] & 0x80)
        opts.max_stories = 3;
    decode_and_check(data + 1, size - 1, &opts);

    (void)feed_detect((const char *)data + 1, size - 1);
    char err[512];
    feed_describe_http_error("fuzz", 401, (const char *)data + 1, size - 1, err,
                             sizeof(err));
    ASSERT(!strncmp(err, "fuzz: the server answered HTTP 401", 34));
    return 0;
}
