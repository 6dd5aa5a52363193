/*
 * test_picture: image headers read without decoding, fitting, and the
 * inbox's pending list of pictures (appended, never replaced).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inbox.h"
#include "picture.h"
#include "util.h"

static void
test_probe_png(void **state)
{
    (void)state;
    unsigned char png[33] = {0x89, 'P', 'N',  'G',  '\r', '\n', 0x1A, '\n',
                             0,    0,   0,    13,   'I',  'H',  'D',  'R',
                             0,    0,   0x01, 0x40, 0,    0,    0,    0xB4};
    int w, h;
    assert_int_equal(picture_probe(png, sizeof(png), &w, &h), PICTURE_PNG);
    assert_int_equal(w, 320);
    assert_int_equal(h, 180);
    /* Cut before the size: not taken for a PNG. */
    assert_int_equal(picture_probe(png, 20, &w, &h), PICTURE_UNKNOWN);
    png[12] = 'X';
    assert_int_equal(picture_probe(png, sizeof(png), &w, &h), PICTURE_UNKNOWN);
}

static void
test_probe_jpeg(void **state)
{
    (void)state;
    /* SOI, an APP0 segment of 16 bytes, then SOF0 with 1080 x 1920. */
    unsigned char jpg[40] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10};
    memcpy(jpg + 6, "JFIF", 5);
    unsigned char sof[] = {0xFF, 0xC0, 0x00, 0x11, 0x08,
                           0x04, 0x38, 0x07, 0x80};
    memcpy(jpg + 20, sof, sizeof(sof));
    int w, h;
    assert_int_equal(picture_probe(jpg, sizeof(jpg), &w, &h), PICTURE_JPEG);
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    /* A segment length that runs off the end: unknown, no overread. */
    jpg[5] = 0xFF;
    assert_int_equal(picture_probe(jpg, sizeof(jpg), &w, &h), PICTURE_UNKNOWN);
    assert_int_equal(picture_probe(jpg, 3, &w, &h), PICTURE_UNKNOWN);
}

static void
test_probe_webp(void **state)
{
    (void)state;
    unsigned char x[30] = {0};
    memcpy(x, "RIFF", 4);
    memcpy(x + 8, "WEBPVP8X", 8);
    /* canvas 4000 x 3000, stored minus one, little endian */
    x[24] = (4000 - 1) & 0xFF;
    x[25] = (4000 - 1) >> 8;
    x[27] = (3000 - 1) & 0xFF;
    x[28] = (3000 - 1) >> 8;
    int w, h;
    assert_int_equal(picture_probe(x, sizeof(x), &w, &h), PICTURE_WEBP);
    assert_int_equal(w, 4000);
    assert_int_equal(h, 3000);

    unsigned char l[30] = {0};
    memcpy(l, "RIFF", 4);
    memcpy(l + 8, "WEBPVP8L", 8);
    l[20] = 0x2F;
    uint32_t bits = (uint32_t)(640 - 1) | (uint32_t)(480 - 1) << 14;
    for (int i = 0; i < 4; i++)
        l[21 + i] = (unsigned char)(bits >> (8 * i));
    assert_int_equal(picture_probe(l, sizeof(l), &w, &h), PICTURE_WEBP);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);

    const char *gif = "GIF89a\x10\x00\x10\x00";
    assert_int_equal(
        picture_probe((const unsigned char *)gif, strlen(gif), &w, &h),
        PICTURE_UNKNOWN);
}

static void
test_fit_keeps_aspect(void **state)
{
    (void)state;
    int w, h;
    picture_fit(1920, 1080, 960, 540, &w, &h);
    assert_int_equal(w, 960);
    assert_int_equal(h, 540);
    picture_fit(1000, 2000, 960, 540, &w, &h);
    assert_int_equal(w, 270);
    assert_int_equal(h, 540);
    picture_fit(300, 100, 960, 540, &w, &h); /* never enlarged */
    assert_int_equal(w, 300);
    assert_int_equal(h, 100);
    picture_fit(100000, 1, 960, 540, &w, &h);
    assert_int_equal(w, 960);
    assert_int_equal(h, 1);
}

static void
push_picture(PictureList *l, const char *url)
{
    Picture p = {xstrdup(url), 2, 1, xcalloc(2, sizeof(uint32_t))};
    picture_list_push(l, &p);
}

/* Pictures are not latest-wins: two posts before a take both arrive. */
static void
test_inbox_appends_pictures(void **state)
{
    (void)state;
    Inbox *in = inbox_new();
    assert_null(inbox_take_pictures(in));
    PictureList *a = picture_list_new();
    push_picture(a, "https://img.test/1.png");
    push_picture(a, "https://img.test/2.png");
    inbox_post_pictures(in, a);
    assert_int_equal(a->count, 0);
    picture_list_free(a);
    PictureList *b = picture_list_new();
    push_picture(b, "https://img.test/3.png");
    inbox_post_pictures(in, b);
    picture_list_free(b);
    PictureList *got = inbox_take_pictures(in);
    assert_non_null(got);
    assert_int_equal(got->count, 3);
    assert_string_equal(got->items[0].url, "https://img.test/1.png");
    assert_string_equal(got->items[2].url, "https://img.test/3.png");
    picture_list_free(got);
    assert_null(inbox_take_pictures(in));
    /* Left waiting at the end: freed with the inbox. */
    PictureList *c = picture_list_new();
    push_picture(c, "https://img.test/4.png");
    inbox_post_pictures(in, c);
    picture_list_free(c);
    inbox_free(in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_png),
        cmocka_unit_test(test_probe_jpeg),
        cmocka_unit_test(test_probe_webp),
        cmocka_unit_test(test_fit_keeps_aspect),
        cmocka_unit_test(test_inbox_appends_pictures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
