/*
 * fuzz_timefmt: libFuzzer target for the date parser.
 *
 * Feeds arbitrary bytes (as a NUL-terminated string in an exact-size heap
 * block, so ASan sees any read past the NUL) to time_parse and
 * time_parse_in_zone, and checks what an accepted date must satisfy: it
 * formats back to ISO 8601 and parses to the same instant, and the label
 * formatters cope with it.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       src/core/util.c src/core/timefmt.c fuzz/fuzz_timefmt.c
 *
 * Linked with fuzz/replay.c instead of -fsanitize=fuzzer, it replays saved
 * inputs as an ordinary test (make fuzz-replay).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "util.h"

#define FUZZ_MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Years 1-9999: the range ISO 8601 output can spell and parse back. */
#define ISO_MIN_S INT64_C(-62135596800)
#define ISO_MAX_S INT64_C(253402300799)

static void
check_accepted(int64_t t)
{
    char iso[TIME_ISO_SIZE];
    char label[TIME_LABEL_SIZE];

    if (t >= ISO_MIN_S && t <= ISO_MAX_S) {
        int64_t back;
        time_format_iso(t, iso, sizeof(iso));
        if (!time_parse(iso, &back) || back != t) {
            fprintf(stderr, "round trip: %lld -> %s -> %lld\n", (long long)t,
                    iso, (long long)back);
            abort();
        }
    }
    /* The formatters must survive any parsed value and any "now". */
    time_format_relative(t, INT64_C(1741112525), label, sizeof(label));
    time_format_relative(t, t, label, sizeof(label));
    if (strcmp(label, "just now") != 0)
        abort();
    time_format_clock(t, label, sizeof(label));
    if (strlen(label) != 5 || label[2] != ':')
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;

    char *s = xmalloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';

    int64_t t = 0;
    if (time_parse(s, &t))
        check_accepted(t);

    /* A default zone only moves zoneless dates; acceptance never changes. */
    int64_t tz = 0;
    bool ok_zone = time_parse_in_zone(s, 19800, &tz);
    if (ok_zone != time_parse(s, &t))
        abort();
    if (ok_zone && tz != t && tz != t - 19800)
        abort();

    int32_t off;
    if (time_zone_parse(s, &off) && (off <= -86400 || off >= 86400))
        abort();

    free(s);
    return 0;
}
