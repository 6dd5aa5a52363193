/*
 * it_golden: renders every case in tests/golden/cases.txt with the real
 * binary (--headless --screenshot, fixed virtual time and wall clock) and
 * compares it with tests/golden/NAME.png. A pixel differs when a channel
 * is off by more than PIXEL_TOLERANCE; a case fails when more than
 * MAX_DIFF_PERMILLE of its pixels differ. On failure the new frame and a
 * difference image (changed pixels in magenta) are written next to the
 * test's temporary files and their paths printed. With UPDATE_GOLDEN=1 the
 * references are rewritten instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <cmocka.h>

#include "ittools.h"
#include "util.h"

#define PIXEL_TOLERANCE 40
#define MAX_DIFF_PERMILLE 2 /* 0.2% of the pixels */
#define MAX_ARGS 32

static void
write_diff(const Image *a, const Image *b, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 24,
                                                    SDL_PIXELFORMAT_RGB24);
    for (int y = 0; y < a->h; y++) {
        uint8_t *row = (uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
        for (int x = 0; x < a->w; x++) {
            const uint8_t *p = it_pixel(a, x, y), *q = it_pixel(b, x, y);
            bool diff = abs(p[0] - q[0]) > PIXEL_TOLERANCE ||
                        abs(p[1] - q[1]) > PIXEL_TOLERANCE ||
                        abs(p[2] - q[2]) > PIXEL_TOLERANCE;
            uint8_t grey = (uint8_t)((p[0] + p[1] + p[2]) / 12);
            row[x * 3] = diff ? 255 : grey;
            row[x * 3 + 1] = diff ? 0 : grey;
            row[x * 3 + 2] = diff ? 255 : grey;
        }
    }
    IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
}

/* A file:// fixture that names other fixtures (a story's image) says
 * FIXTURES for their directory: the case reads a copy with the real path
 * put in. Returns the copy's file:// URL, or NULL to use url as it is. */
static char *
fixture_with_paths(const char *url, const char *fixtures)
{
    if (strncmp(url, "file://", 7))
        return NULL;
    char *text = it_read_file(url + 7, NULL);
    if (!text || !strstr(text, "FIXTURES")) {
        free(text);
        return NULL;
    }
    size_t cap = strlen(text) * 2 + strlen(fixtures) * 16 + 1, n = 0;
    char *out = xcalloc(1, cap);
    for (const char *p = text; *p;) {
        const char *m = strstr(p, "FIXTURES");
        size_t len = m ? (size_t)(m - p) : strlen(p);
        if (n + len + strlen(fixtures) + 1 > cap) {
            cap = (n + len + strlen(fixtures) + 1) * 2;
            out = xrealloc(out, cap);
        }
        memcpy(out + n, p, len);
        n += len;
        if (!m)
            break;
        memcpy(out + n, fixtures, strlen(fixtures));
        n += strlen(fixtures);
        p = m + 8;
    }
    out[n] = '\0';
    const char *base = strrchr(url, '/') + 1;
    char *path = it_path(base);
    assert_true(it_write_file(path, out));
    char *copy = xasprintf("file://%s", path);
    free(path);
    free(out);
    free(text);
    return copy;
}

static void
run_case(char *line, const char *fixtures)
{
    const char *argv[MAX_ARGS + 12];
    size_t n = 0;
    char *save = NULL;
    char *name = strtok_r(line, " \t\n", &save);
    char *out = it_path(name);
    char *png = xasprintf("%s.png", out);
    argv[n++] = it_bin();
    argv[n++] = "-c";
    argv[n++] = "/dev/null";
    argv[n++] = "--headless";
    argv[n++] = "--clock";
    argv[n++] = "2026-11-29T09:30:00Z";
    argv[n++] = "--screenshot";
    argv[n++] = png;
    char *owned[2 * MAX_ARGS] = {0};
    size_t owned_n = 0;
    for (char *a = strtok_r(NULL, " \t\n", &save); a && n < MAX_ARGS + 10;
         a = strtok_r(NULL, " \t\n", &save)) {
        const char *mark = strstr(a, "FIXTURES");
        if (mark) {
            owned[owned_n] =
                xasprintf("%.*s%s%s", (int)(mark - a), a, fixtures, mark + 8);
            a = owned[owned_n++];
            char *copy = fixture_with_paths(a, fixtures);
            if (copy)
                a = owned[owned_n++] = copy;
        }
        argv[n++] = a;
    }
    argv[n] = NULL;
    const char *env[] = {"TZ=UTC", NULL};
    RunResult r = it_run(argv, env, 60);
    if (r.status != 0)
        fail_msg("%s: exit %d: %s", name, r.status, r.err);
    it_result_free(&r);

    char *ref = xasprintf("tests/golden/%s.png", name);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && *update == '1') {
        assert_true(it_files_equal(png, png));
        char *cmd = xasprintf("cp '%s' '%s'", png, ref);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    Image want, got;
    if (!it_load_png(ref, &want))
        fail_msg("%s: no reference %s (make golden writes it)", name, ref);
    assert_true(it_load_png(png, &got));
    if (want.w != got.w || want.h != got.h)
        fail_msg("%s: size %dx%d, reference %dx%d", name, got.w, got.h, want.w,
                 want.h);
    long diff = 0;
    for (int y = 0; y < got.h; y++) {
        for (int x = 0; x < got.w; x++) {
            const uint8_t *p = it_pixel(&got, x, y), *q = it_pixel(&want, x, y);
            diff += abs(p[0] - q[0]) > PIXEL_TOLERANCE ||
                    abs(p[1] - q[1]) > PIXEL_TOLERANCE ||
                    abs(p[2] - q[2]) > PIXEL_TOLERANCE;
        }
    }
    long total = (long)got.w * got.h;
    if (diff * 1000 > total * MAX_DIFF_PERMILLE) {
        char *dpath = xasprintf("%s-diff.png", out);
        write_diff(&got, &want, dpath);
        fail_msg("%s: %ld of %ld pixels differ; frame %s, difference %s", name,
                 diff, total, png, dpath);
    }
    printf("golden %s: %ld of %ld pixels differ\n", name, diff, total);
    it_image_free(&want);
    it_image_free(&got);
    for (size_t i = 0; i < owned_n; i++)
        free(owned[i]);
    free(ref);
    free(png);
    free(out);
}

static void
test_golden_frames(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    char *fixtures = xasprintf("%s/tests/fixtures", cwd);
    FILE *f = fopen("tests/golden/cases.txt", "r");
    assert_non_null(f);
    char line[1024];
    int cases = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        run_case(line, fixtures);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 8);
    free(fixtures);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_frames),
    };
    return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
