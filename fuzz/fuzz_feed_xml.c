/*
 * fuzz_feed_xml: libFuzzer target for the RSS, RDF and Atom decoder
 * (libxml2). The first byte picks the format (auto, rss, atom), the rest
 * is the document. Decoded lists must satisfy fuzz/stories.h; the parser
 * must never expand an entity or fetch anything (the external-entity
 * loader refuses all; a fetch attempt would show as a hang or a leak).
 *
 * Linked with fuzz/replay.c instead of -fsanitize=fuzzer, it replays saved
 * inputs as an ordinary test (make fuzz-replay).
 */
#include <stdint.h>
#include <strings.h>

#include "stories.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const FeedFormat FORMATS[] = {FEED_FORMAT_AUTO, FEED_FORMAT_RSS,
                                     FEED_FORMAT_ATOM};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1024 * 1024)
        return 0;
    FeedDecodeOpts opts = {.feed_name = "fuzz",
                           .format = FORMATS[data[0] % ARRAY_LEN(FORMATS)]};
    if (data[0] & 0x80)
        opts.max_stories = 2;
    decode_and_check(data + 1, size - 1, &opts);
    (void)feed_detect((const char *)data + 1, size - 1);
    return 0;
}
