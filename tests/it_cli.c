/*
 * it_cli: runs the real newswire binary: the command-line contract, exit
 * codes, --check-config, --dump-feed over file:// and over HTTP from the
 * loopback test server, and headless screenshots checked pixel by pixel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cJSON.h>

#include "ittools.h"
#include "util.h"

#define SPEED 120 /* crawl.speed_px_s used by the screenshot tests */
#define CLOCK "--clock=2026-11-29T10:00:00Z"

/* The theme's bar and background colours (config defaults). */
#define BAR_RGB 0x1b, 0x22, 0x30
#define BG_RGB 0x0e, 0x11, 0x16

static const char *const ENV_HEADLESS[] = {"TZ=UTC", NULL};

static void
test_version_and_help(void **state)
{
    (void)state;
    RunResult r = it_run_newswire("--version", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "newswire 0."));
    it_result_free(&r);
    r = it_run_newswire("--help", NULL);
    assert_int_equal(r.status, 0);
    const char *opts[] = {"--config",    "--feed",         "--set",
                          "--window",    "--fullscreen",   "--headless",
                          "--size",      "--screenshot",   "--at",
                          "--clock",     "--exit-after",   "--stats",
                          "--dump-feed", "--check-config", "--version",
                          "--help",      "--status-file"};
    for (size_t i = 0; i < ARRAY_LEN(opts); i++) {
        if (!strstr(r.out, opts[i]))
            fail_msg("--help does not mention %s", opts[i]);
    }
    it_result_free(&r);
}

static void
test_usage_errors_exit_2(void **state)
{
    (void)state;
    const char *bad[][2] = {
        {"--bogus", NULL},         {"--size", "12by7"},
        {"--at", "soon"},          {"--set", "nodot=1"},
        {"--set", "crawl.nope=1"}, {"--feed", "ftp://example.com/x"},
        {"extra-argument", NULL}};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        RunResult r =
            it_run_newswire(bad[i][0], bad[i][1], "--check-config", NULL);
        if (r.status != 2)
            fail_msg("%s %s: exit %d, want 2", bad[i][0],
                     bad[i][1] ? bad[i][1] : "", r.status);
        assert_true(strlen(r.err) > 10);
        it_result_free(&r);
    }
}

static void
test_check_config(void **state)
{
    (void)state;
    RunResult r =
        it_run_newswire("--check-config", "-c", "config/newswire.conf", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "ok"));
    it_result_free(&r);

    char *bad = it_path("bad.conf");
    assert_true(it_write_file(bad, "[crawl]\nspeed_px_s = 90\n# note\n"
                                   "speed = 3\n"));
    r = it_run_newswire("--check-config", "-c", bad, NULL);
    assert_int_equal(r.status, 2);
    char *want = xasprintf("%s:4: unknown key 'speed' in [crawl]", bad);
    if (!strstr(r.err, want))
        fail_msg("stderr %s lacks %s", r.err, want);
    free(want);
    it_result_free(&r);

    assert_true(it_write_file(bad, "[display]\nwidth = 1280\n[crawl\n"));
    r = it_run_newswire("--check-config", "-c", bad, NULL);
    assert_int_equal(r.status, 2);
    want = xasprintf("%s:3: syntax error", bad);
    assert_non_null(strstr(r.err, want));
    free(want);
    it_result_free(&r);

    assert_true(it_write_file(bad, "[cards]\ndwell_ms = 5\n"));
    r = it_run_newswire("--check-config", "-c", bad, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, ":2: cards.dwell_ms: 5 is out of range"));
    it_result_free(&r);

    r = it_run_newswire("--check-config", "-c", "/nonexistent/newswire.conf",
                        NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "cannot open"));
    it_result_free(&r);
    free(bad);
}

/* Parses JSON Lines output; returns the number of stories. */
static int
count_stories(const char *out, const char *want_title)
{
    int n = 0;
    bool found = want_title == NULL;
    const char *p = out;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        cJSON *o = cJSON_ParseWithLength(p, len);
        assert_non_null(o);
        const char *keys[] = {"id",    "title",     "summary",  "source", "url",
                              "image", "published", "priority", "feed"};
        for (size_t i = 0; i < ARRAY_LEN(keys); i++)
            assert_non_null(cJSON_GetObjectItemCaseSensitive(o, keys[i]));
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "title");
        assert_true(cJSON_IsString(t) && t->valuestring[0]);
        if (want_title && !strcmp(t->valuestring, want_title))
            found = true;
        cJSON_Delete(o);
        n++;
        p += len + (nl ? 1 : 0);
    }
    assert_true(found);
    return n;
}

static void
test_dump_feed_file(void **state)
{
    (void)state;
    char *url = it_fixture_url("jsonfeed-ok.json");
    RunResult r =
        it_run_newswire("--dump-feed", "-c", "/dev/null", "--feed", url, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_stories(r.out, NULL), 4);
    it_result_free(&r);
    free(url);

    /* No feed configured: the bundled demo feed. */
    r = it_run_newswire("--dump-feed", "-c", "/dev/null", NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(
        count_stories(
            r.out, "Blinken calls for end to Kazakhstan shoot-to-kill order"),
        8);
    it_result_free(&r);

    url = it_fixture_url("broken-truncated.json");
    r = it_run_newswire("--dump-feed", "-c", "/dev/null", "--feed", url, NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "not valid JSON"));
    it_result_free(&r);
    free(url);
}

static void
test_dump_feed_http(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    char *root = xasprintf("%s/tests/fixtures", cwd);
    int port;
    int pid = it_httpd_start(root, &port);
    assert_true(pid > 0);
    char *ok = xasprintf("http://127.0.0.1:%d/files/newsapi-ok.json", port);
    char *jf = xasprintf("http://127.0.0.1:%d/files/jsonfeed-ok.json", port);
    char *bad = xasprintf("http://127.0.0.1:%d/status/503", port);
    RunResult r = it_run_newswire("--dump-feed", "-c", "/dev/null", "--feed",
                                  ok, "--feed", jf, "--feed", bad, NULL);
    /* Two good feeds merge; the failing one is reported, not fatal. */
    assert_int_equal(r.status, 0);
    int n = count_stories(r.out, NULL);
    assert_true(n >= 7);
    assert_non_null(strstr(r.out, "\"feed\":\"feed1\""));
    assert_non_null(strstr(r.out, "\"feed\":\"feed2\""));
    assert_non_null(strstr(r.err, "HTTP 503"));
    it_result_free(&r);

    char *gone = xasprintf("http://127.0.0.1:%d/files/missing.json", port);
    r = it_run_newswire("--dump-feed", "-c", "/dev/null", "--feed", gone, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "HTTP 404"));
    it_result_free(&r);
    it_httpd_stop(pid);
    free(gone);
    free(ok);
    free(jf);
    free(bad);
    free(root);
}

static char *
shot(const char *name, const char *at, const char *extra1, const char *extra2)
{
    char *png = it_path(name);
    RunResult r = it_run_newswire("-c", "/dev/null", "--headless",
                                  "--screenshot", png, "--at", at, CLOCK, NULL);
    (void)extra1;
    (void)extra2;
    if (r.status != 0)
        fail_msg("screenshot exit %d: %s", r.status, r.err);
    it_result_free(&r);
    return png;
}

/* Finds the horizontal shift s that best maps band a onto band b
 * (b[x] == a[x + s]); returns it. */
static int
best_shift(const Image *a, const Image *b, int x0, int x1, int y0, int y1,
           int max_shift)
{
    int best = -1;
    long best_diff = -1;
    for (int s = 0; s <= max_shift; s++) {
        long diff = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x + s < x1; x++) {
                const uint8_t *p = it_pixel(b, x, y);
                const uint8_t *q = it_pixel(a, x + s, y);
                diff += abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]);
            }
        }
        if (best_diff < 0 || diff < best_diff) {
            best_diff = diff;
            best = s;
        }
    }
    return best;
}

static void
test_screenshot_crawl_moves(void **state)
{
    (void)state;
    char *p1 = shot("t5.png", "5", NULL, NULL);
    char *p2 = shot("t6.png", "6", NULL, NULL);
    Image a, b;
    assert_true(it_load_png(p1, &a));
    assert_true(it_load_png(p2, &b));
    assert_int_equal(a.w, 1280);
    assert_int_equal(a.h, 720);
    /* The crawl band (between the label box and the clock) holds text. */
    int y0 = 665, y1 = 710, x0 = 150, x1 = 1080;
    long text_px = it_count_unlike(&a, x0, y0, x1 - x0, y1 - y0, BAR_RGB, 24);
    assert_true(text_px > 1000);
    /* One second at 120 px/s moves the crawl 120 px to the left. */
    int s = best_shift(&a, &b, x0, x1, y0, y1, 300);
    assert_int_equal(s, SPEED);
    /* A card headline region is not empty. */
    long head_px = it_count_unlike(&a, 88, 150, 1000, 120, BG_RGB, 24);
    assert_true(head_px > 3000);
    /* The clock box shows the --clock time: pixels in it. */
    assert_true(it_count_unlike(&a, 1100, 660, 170, 50, 0x2a, 0x33, 0x44, 24) >
                200);
    it_image_free(&a);
    it_image_free(&b);
    free(p1);
    free(p2);
}

static void
test_screenshot_deterministic(void **state)
{
    (void)state;
    char *p1 = shot("d1.png", "12.5", NULL, NULL);
    char *p2 = shot("d2.png", "12.5", NULL, NULL);
    char *p3 = shot("d3.png", "13", NULL, NULL);
    assert_true(it_files_equal(p1, p2));
    assert_false(it_files_equal(p1, p3));
    free(p1);
    free(p2);
    free(p3);
}

static char *
shot_with(const char *name, const char *clock, const char *at, const char *set1,
          const char *set2)
{
    char *png = it_path(name);
    char *clock_arg = xasprintf("--clock=%s", clock);
    char *feed = it_fixture_url("golden-long.json");
    RunResult r = it_run_newswire(
        "-c", "/dev/null", "--headless", "--screenshot", png, "--at", at,
        clock_arg, "-f", feed, "--set", set1, "--set", set2, NULL);
    if (r.status != 0)
        fail_msg("screenshot exit %d: %s", r.status, r.err);
    it_result_free(&r);
    free(clock_arg);
    free(feed);
    return png;
}

/* Two screens started seven seconds apart show the same frame at the same
 * wall-clock time when they follow the wall clock. */
static void
test_wallclock_sync(void **state)
{
    (void)state;
    char *a = shot_with("sync-a.png", "2026-11-29T10:00:00Z", "10",
                        "display.sync=wallclock", "crawl.show_source=true");
    char *b = shot_with("sync-b.png", "2026-11-29T10:00:07Z", "3",
                        "display.sync=wallclock", "crawl.show_source=true");
    assert_true(it_files_equal(a, b));
    /* Without it they differ (motion counts from each start). */
    char *c = shot_with("sync-c.png", "2026-11-29T10:00:07Z", "3",
                        "display.sync=local", "crawl.show_source=true");
    assert_false(it_files_equal(a, c));
    free(a);
    free(b);
    free(c);
}

/* Text wider than the texture limit is drawn as tiles, invisibly: a
 * 512 px cap gives the same picture as no cap. */
static void
test_texture_cap_tiles_invisibly(void **state)
{
    (void)state;
    char *a = shot_with("tile-a.png", "2026-11-29T10:00:00Z", "9",
                        "display.max_texture=0", "crawl.show_source=true");
    char *b = shot_with("tile-b.png", "2026-11-29T10:00:00Z", "9",
                        "display.max_texture=512", "crawl.show_source=true");
    assert_true(it_files_equal(a, b));
    free(a);
    free(b);
}

static void
test_unreachable_feed_shows_waiting_card(void **state)
{
    (void)state;
    char *png = it_path("waiting.png");
    const char *argv[] = {it_bin(),       "-c",
                          "/dev/null",    "--headless",
                          "--feed",       "http://127.0.0.1:9/feed.json",
                          "--screenshot", png,
                          CLOCK,          NULL};
    RunResult r = it_run(argv, ENV_HEADLESS, 60);
    assert_int_equal(r.status, 0);
    it_result_free(&r);
    Image img;
    assert_true(it_load_png(png, &img));
    /* Not black: the card background and a headline ("Waiting for news"). */
    assert_true(it_count_unlike(&img, 88, 150, 800, 80, BG_RGB, 24) > 2000);
    assert_true(it_count_unlike(&img, 0, 0, 1280, 600, 0, 0, 0, 4) > 600000);
    /* The status mark in the clock box uses the warning colour. */
    long warn = 0;
    for (int y = 690; y < 715; y++) {
        for (int x = 1100; x < 1280; x++) {
            const uint8_t *p = it_pixel(&img, x, y);
            if (p[0] > 180 && p[1] > 120 && p[2] < 110)
                warn++;
        }
    }
    assert_true(warn > 20);
    it_image_free(&img);
    free(png);
}

static void
test_missing_font_exits_1(void **state)
{
    (void)state;
    char *png = it_path("nofont.png");
    RunResult r = it_run_newswire("-c", "/dev/null", "--headless", "--set",
                                  "display.font_bold=/nonexistent/Bold.ttf",
                                  "--screenshot", png, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "/nonexistent/Bold.ttf"));
    assert_int_equal(access(png, F_OK), -1);
    it_result_free(&r);
    free(png);
}

static void
test_no_display_exits_1(void **state)
{
    (void)state;
    const char *argv[] = {it_bin(),       "-c", "/dev/null", "--window",
                          "--exit-after", "1",  NULL};
    const char *env[] = {"SDL_VIDEODRIVER=x11", "DISPLAY=:4242",
                         "WAYLAND_DISPLAY=", NULL};
    RunResult r = it_run(argv, env, 30);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--headless"));
    it_result_free(&r);
}

static void
test_headless_run_stats(void **state)
{
    (void)state;
    RunResult r = it_run_newswire("-c", "/dev/null", "--headless",
                                  "--exit-after", "1.5", "--stats", NULL);
    assert_int_equal(r.status, 0);
    unsigned long frames = 0, dropped = 0;
    double p50, p99, cpu, rss;
    const char *line = strstr(r.out, "frames ");
    assert_non_null(line);
    assert_int_equal(sscanf(line,
                            "frames %lu, dropped %lu, frame time p50 %lf ms "
                            "p99 %lf ms, cpu %lf s, peak rss %lf MB",
                            &frames, &dropped, &p50, &p99, &cpu, &rss),
                     6);
    assert_true(frames > 30); /* paced at 60 fps for 1.5 s */
    assert_true(p50 > 0 && p99 >= p50);
    assert_true(rss > 1);
    it_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_help),
        cmocka_unit_test(test_usage_errors_exit_2),
        cmocka_unit_test(test_check_config),
        cmocka_unit_test(test_dump_feed_file),
        cmocka_unit_test(test_dump_feed_http),
        cmocka_unit_test(test_screenshot_crawl_moves),
        cmocka_unit_test(test_screenshot_deterministic),
        cmocka_unit_test(test_wallclock_sync),
        cmocka_unit_test(test_texture_cap_tiles_invisibly),
        cmocka_unit_test(test_unreachable_feed_shows_waiting_card),
        cmocka_unit_test(test_missing_font_exits_1),
        cmocka_unit_test(test_no_display_exits_1),
        cmocka_unit_test(test_headless_run_stats),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
