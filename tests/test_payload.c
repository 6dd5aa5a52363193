/*
 * test_payload: plainly-not-a-feed bodies are caught with a sentence that
 * says what arrived; mislabelled feeds still reach the decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "payload.h"
#include "util.h"

static int
check(const char *type, const char *body)
{
    char err[192] = "";
    int rc = payload_check(type, body, strlen(body), err, sizeof(err));
    assert_true(rc == 0 ? err[0] == '\0' : strlen(err) > 10);
    return rc;
}

static void
test_web_pages(void **state)
{
    (void)state;
    assert_int_equal(check("text/html", "<!DOCTYPE html><html>"), -1);
    assert_int_equal(check(NULL, "\xef\xbb\xbf \r\n\t<HTML lang=en>"), -1);
    assert_int_equal(check("application/json", "<!doctype HTML>"), -1);
    char err[192];
    payload_check("text/html", "<html>", 6, err, sizeof(err));
    assert_non_null(strstr(err, "web page"));
}

static void
test_media_types(void **state)
{
    (void)state;
    char err[192];
    assert_int_equal(payload_check("image/png; q=1", "{}", 2, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "image/png instead of a feed"));
    assert_int_equal(check("Video/MP4", "{}"), -1);
    assert_int_equal(check("audio/mpeg", "{}"), -1);
    assert_int_equal(check("font/woff2", "{}"), -1);
}

static void
test_feeds_pass(void **state)
{
    (void)state;
    assert_int_equal(check("application/json", "{\"articles\":[]}"), 0);
    assert_int_equal(check("text/plain", "  {\"items\":[]}"), 0);
    assert_int_equal(check("text/html", "{\"items\":[]}"), 0); /* mislabel */
    assert_int_equal(check(NULL, "<?xml version=\"1.0\"?><rss>"), 0);
    assert_int_equal(check("application/octet-stream", "<feed xmlns=>"), 0);
    assert_int_equal(check(NULL, ""), 0); /* the decoder names empties */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_web_pages),
        cmocka_unit_test(test_media_types),
        cmocka_unit_test(test_feeds_pass),
    };
    return cmocka_run_group_tests_name("payload", tests, NULL, NULL);
}
