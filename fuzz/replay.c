/*
 * replay: runs fuzz targets over saved inputs without libFuzzer, so the
 * seed corpora (fuzz/corpus/NAME) and any crash file replay as ordinary
 * tests under gcc with ASan and UBSan (`make fuzz-replay`, part of
 * `make check`). Linked instead of -fsanitize=fuzzer: each file argument,
 * or every regular file in a directory argument, is fed to
 * LLVMFuzzerTestOneInput once, in a heap block of exactly its size so that
 * ASan sees any read past the end.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    Buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        perror(path);
        buf_deinit(&b);
        return -1;
    }
    uint8_t *data = xmalloc(b.len ? b.len : 1);
    memcpy(data, b.data ? b.data : "", b.len);
    LLVMFuzzerTestOneInput(data, b.len);
    free(data);
    buf_deinit(&b);
    return 0;
}

static int
replay_dir(const char *path, size_t *count)
{
    DIR *dir = opendir(path);
    if (!dir) {
        perror(path);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        char *child = xasprintf("%s/%s", path, e->d_name);
        struct stat st;
        if (stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(child) == 0)
                (*count)++;
            else
                rc = -1;
        }
        free(child);
    }
    closedir(dir);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            rc |= replay_dir(argv[i], &count) != 0;
        } else if (replay_file(argv[i]) == 0) {
            count++;
        } else {
            rc = 1;
        }
    }
    const char *name = strrchr(argv[0], '/');
    fprintf(stderr, "%s: replayed %zu inputs\n", name ? name + 1 : argv[0],
            count);
    return rc;
}
