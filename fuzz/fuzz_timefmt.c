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
 * With -DFUZZ_REPLAY_MAIN (and without -fsanitize=fuzzer) it builds a replay
 * driver instead: each file named on the command line, or every regular file
 * in a directory argument, is run through the same entry point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef FUZZ_REPLAY_MAIN
#include <dirent.h>
#include <sys/stat.h>
#endif

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

#ifdef FUZZ_REPLAY_MAIN
static int
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }

    Buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    int failed = ferror(f) != 0;
    fclose(f);
    if (failed) {
        perror(path);
    } else {
        LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
    }
    buf_deinit(&b);
    return failed;
}

static int
replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }

    int failed = 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *path = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            failed |= replay_file(path);
            count++;
        }
        free(path);
    }
    closedir(d);
    fprintf(stderr, "%s: %d inputs\n", dir, count);
    return failed;
}

int
main(int argc, char **argv)
{
    int failed = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            failed = 1;
        } else if (S_ISDIR(st.st_mode)) {
            failed |= replay_dir(argv[i]);
        } else {
            failed |= replay_file(argv[i]);
        }
    }
    return failed;
}
#endif
