/*
 * it_images: story pictures end to end. The loopback test server serves a
 * JSON Feed whose stories name images on it; a headless --screenshot
 * (which fetches the pictures of its round synchronously) must show the
 * picture in the card's image box, skip an image that is not one with a
 * log line, keep the feed, and never fetch a file:// image named by a
 * feed that came over the network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>
#include <cmocka.h>

#include "ittools.h"
#include "util.h"

#define CLOCK "--clock=2026-11-29T10:00:00Z"
#define PIC_RGB 0x20, 0xC0, 0x40
#define BG_RGB 0x0e, 0x11, 0x16

static const char *const ENV[] = {"TZ=UTC", NULL};

/* A 400 x 300 PNG of one colour, written with SDL_image. */
static void
write_png(const char *path)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, 400, 300, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, PIC_RGB));
    assert_int_equal(IMG_SavePNG(s, path), 0);
    SDL_FreeSurface(s);
}

static void
write_feed(const char *path, const char *image1, const char *image2)
{
    char *doc = xasprintf(
        "{\"version\": \"https://jsonfeed.org/version/1.1\",\n"
        " \"title\": \"Harbour Post\",\n"
        " \"items\": [\n"
        "  {\"id\": \"1\", \"title\": \"Ferry service to the islands "
        "resumes\",\n"
        "   \"image\": \"%s\", \"date_published\": \"2026-11-29T09:00:00Z\"},\n"
        "  {\"id\": \"2\", \"title\": \"Harbour market opens its winter "
        "hall\",\n"
        "   \"image\": \"%s\", \"date_published\": \"2026-11-29T08:00:00Z\"}\n"
        " ]}\n",
        image1, image2);
    assert_true(it_write_file(path, doc));
    free(doc);
}

static RunResult
screenshot(const char *feed, const char *png)
{
    const char *argv[] = {it_bin(), "-c", "/dev/null", "--headless",
                          "--feed", feed, "--size",    "1280x720",
                          "--at",   "4",  CLOCK,       "--screenshot",
                          png,      NULL};
    return it_run(argv, ENV, 60);
}

/* The card's image box at 1280x720 for a 4:3 picture: a third of the
 * 1104 px text width at the right margin, 368 x 276 from y 70. */
#define BOX_X 824
#define BOX_Y 70
#define BOX_W 368
#define BOX_H 276

static void
test_picture_shows_in_the_card(void **state)
{
    (void)state;
    char *root = it_path("www");
    char *mk = xasprintf("mkdir -p '%s'", root);
    assert_int_equal(system(mk), 0);
    free(mk);
    char *pic = xasprintf("%s/pic.png", root);
    write_png(pic);
    char *bad = xasprintf("%s/bad.png", root);
    assert_true(it_write_file(bad, "<html>not a picture</html>"));
    int port;
    int pid = it_httpd_start(root, &port);
    assert_true(pid > 0);
    char *pic_url = xasprintf("http://127.0.0.1:%d/files/pic.png", port);
    char *bad_url = xasprintf("http://127.0.0.1:%d/files/bad.png", port);
    char *feed_path = xasprintf("%s/feed.json", root);
    write_feed(feed_path, pic_url, bad_url);
    char *feed = xasprintf("http://127.0.0.1:%d/files/feed.json", port);
    char *png = it_path("pictured.png");

    RunResult r = screenshot(feed, png);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    /* The bad image is skipped with one line; the feed is fine. */
    char *line =
        xasprintf("image %s skipped: not a PNG, JPEG or WebP image", bad_url);
    if (!strstr(r.err, line))
        fail_msg("no \"%s\" in:\n%s", line, r.err);
    assert_null(strstr(r.err, "feed1:"));
    free(line);
    it_result_free(&r);
    Image img;
    assert_true(it_load_png(png, &img));
    long box = (long)(BOX_W - 4) * (BOX_H - 4);
    long off = it_count_unlike(&img, BOX_X + 2, BOX_Y + 2, BOX_W - 4, BOX_H - 4,
                               PIC_RGB, 12);
    if (off > box / 100)
        fail_msg("%ld of %ld pixels of the image box are not the picture", off,
                 box);
    /* Beside it, left of the box, the headline; below it, background. */
    assert_true(it_count_unlike(&img, 88, 139, 700, 60, BG_RGB, 24) > 1000);
    assert_int_equal(
        it_count_unlike(&img, BOX_X, BOX_Y + BOX_H + 10, BOX_W, 100, BG_RGB, 4),
        0);
    it_image_free(&img);

    /* A file:// image in a feed from the network is never read: no box,
     * the text takes the whole width. */
    char *file_url = xasprintf("file://%s", pic);
    write_feed(feed_path, file_url, file_url);
    r = screenshot(feed, png);
    assert_int_equal(r.status, 0);
    it_result_free(&r);
    assert_true(it_load_png(png, &img));
    off = it_count_unlike(&img, BOX_X + 2, BOX_Y + 2, BOX_W - 4, BOX_H - 4,
                          PIC_RGB, 12);
    assert_int_equal(off, box);
    it_image_free(&img);

    it_httpd_stop(pid);
    free(file_url);
    free(png);
    free(feed);
    free(feed_path);
    free(bad_url);
    free(pic_url);
    free(bad);
    free(pic);
    free(root);
}

static int
count_of(const char *path, const char *needle)
{
    char *text = it_read_file(path, NULL);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)); p++)
        n++;
    free(text);
    return n;
}

/* Waits up to ms for needle to be in path count times or more. */
static bool
wait_count(const char *path, const char *needle, int count, int ms)
{
    int64_t end = it_now_ms() + ms;
    while (count_of(path, needle) < count) {
        if (it_now_ms() > end)
            return false;
        it_sleep_ms(50);
    }
    return true;
}

/* The running screen fetches each picture once: a new list that keeps
 * an image does not fetch it again, a failed one waits its hour, and a
 * new story's picture is fetched when its list arrives. */
static void
test_loop_fetches_each_picture_once(void **state)
{
    (void)state;
    char *root = it_path("loop");
    char *mk = xasprintf("mkdir -p '%s'", root);
    assert_int_equal(system(mk), 0);
    free(mk);
    char *pic = xasprintf("%s/pic.png", root);
    write_png(pic);
    char *pic2 = xasprintf("%s/pic2.png", root);
    write_png(pic2);
    char *bad = xasprintf("%s/bad.png", root);
    assert_true(it_write_file(bad, "GIF89a, not one of ours"));
    char *log = it_path("loop-httpd.log");
    int port;
    int pid = it_httpd_start_opts(root, log, 0, &port);
    assert_true(pid > 0);
    char *pic_url = xasprintf("http://127.0.0.1:%d/files/pic.png", port);
    char *pic2_url = xasprintf("http://127.0.0.1:%d/files/pic2.png", port);
    char *bad_url = xasprintf("http://127.0.0.1:%d/files/bad.png", port);
    char *feed_path = xasprintf("%s/feed.json", root);
    write_feed(feed_path, pic_url, bad_url);
    char *feed = xasprintf("http://127.0.0.1:%d/files/feed.json", port);

    ItScreen s;
    assert_true(it_screen_start(&s, "loop", feed, 10, NULL, NULL));
    assert_true(wait_count(log, "\t/files/pic.png\t", 1, 10000));
    assert_true(wait_count(log, "\t/files/bad.png\t", 1, 10000));
    /* A new list: the second story now shows the new picture. */
    it_sleep_ms(200);
    write_feed(feed_path, pic_url, pic2_url);
    assert_true(wait_count(log, "\t/files/pic2.png\t", 1, 10000));
    int polls = count_of(log, "\t/files/feed.json\t");
    /* And the first list again (bad.png comes back, within its hour). */
    write_feed(feed_path, pic_url, bad_url);
    assert_true(wait_count(log, "\t/files/feed.json\t", polls + 2, 10000));
    it_sleep_ms(300);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    it_httpd_stop(pid);

    assert_int_equal(count_of(log, "\t/files/pic.png\t"), 1);
    assert_int_equal(count_of(log, "\t/files/pic2.png\t"), 1);
    /* bad.png left the list and came back within its hour: not again. */
    int bad_gets = count_of(log, "\t/files/bad.png\t");
    assert_int_equal(bad_gets, 1);
    char *line = xasprintf("image %s skipped", bad_url);
    assert_int_equal(count_of(s.log, line), bad_gets);
    printf("loop: %d feed polls, 3 lists; pic.png, pic2.png and the failing "
           "bad.png fetched once each\n",
           count_of(log, "\t/files/feed.json\t"));
    free(line);
    it_screen_free(&s);
    free(feed);
    free(feed_path);
    free(bad_url);
    free(pic2_url);
    free(pic_url);
    free(log);
    free(bad);
    free(pic2);
    free(pic);
    free(root);
}

/* A stalled image server holds a screenshot up for one fetch.timeout_s,
 * no longer, and the card keeps its full-width text. */
static void
test_stalled_picture_does_not_hold_up(void **state)
{
    (void)state;
    char *root = it_path("stall");
    char *mk = xasprintf("mkdir -p '%s'", root);
    assert_int_equal(system(mk), 0);
    free(mk);
    char *pic = xasprintf("%s/pic.png", root);
    write_png(pic);
    int port;
    int pid = it_httpd_start(root, &port);
    assert_true(pid > 0);
    char *stall = xasprintf("http://127.0.0.1:%d/stall/pic.png", port);
    char *feed_path = xasprintf("%s/feed.json", root);
    write_feed(feed_path, stall, stall);
    char *feed = xasprintf("http://127.0.0.1:%d/files/feed.json", port);
    char *png = it_path("stalled.png");
    const char *argv[] = {it_bin(), "-c", "/dev/null", "--headless",
                          "--feed", feed, "--set",     "fetch.timeout_s=1",
                          "--at",   "4",  CLOCK,       "--screenshot",
                          png,      NULL};
    int64_t t0 = it_now_ms();
    RunResult r = it_run(argv, ENV, 60);
    int64_t took = it_now_ms() - t0;
    assert_int_equal(r.status, 0);
    it_result_free(&r);
    printf("stalled image: screenshot after %lld ms\n", (long long)took);
    assert_true(took < 5000);
    Image img;
    assert_true(it_load_png(png, &img));
    /* No picture: background where the box would be. */
    assert_int_equal(
        it_count_unlike(&img, BOX_X, BOX_Y + 150, BOX_W, 100, BG_RGB, 4), 0);
    it_image_free(&img);
    it_httpd_stop(pid);
    free(png);
    free(feed);
    free(feed_path);
    free(stall);
    free(pic);
    free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_picture_shows_in_the_card),
        cmocka_unit_test(test_loop_fetches_each_picture_once),
        cmocka_unit_test(test_stalled_picture_does_not_hold_up),
    };
    return cmocka_run_group_tests_name("images", tests, NULL, NULL);
}
