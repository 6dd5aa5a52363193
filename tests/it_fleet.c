/*
 * it_fleet: what a fleet of screens costs the server that feeds them, read
 * from the test server's request log.
 *
 * Three screens poll one feed (a 10 s interval at ten times speed). Each
 * fetches the document once; every later poll is a conditional request
 * (If-None-Match) answered 304 with no body, and no poll rewrites the
 * cache. When the feed changes, each screen fetches it once more and
 * rewrites its cache once. A screen restarted with its cache asks
 * conditionally from its very first request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ittools.h"
#include "util.h"

#define SCREENS 3

typedef struct LogCount {
    int requests, ok, not_modified, other;
    int conditional;   /* carried If-None-Match */
    int unconditional; /* carried neither validator */
} LogCount;

/* Counts the log's lines from line `from` on; returns the line count. */
static int
count_log(const char *path, int from, LogCount *c)
{
    memset(c, 0, sizeof(*c));
    char *text = it_read_file(path, NULL);
    int line = 0;
    for (char *p = text, *save = NULL,
              *l = text ? strtok_r(p, "\n", &save) : NULL;
         l; l = strtok_r(NULL, "\n", &save), line++) {
        if (line < from)
            continue;
        char method[16], path_[256], inm[128], ims[64];
        int status;
        if (sscanf(l, "%15[^\t]\t%255[^\t]\t%127[^\t]\t%63[^\t]\t%d", method,
                   path_, inm, ims, &status) != 5)
            fail_msg("bad log line: %s", l);
        c->requests++;
        if (status == 200)
            c->ok++;
        else if (status == 304)
            c->not_modified++;
        else
            c->other++;
        if (strcmp(inm, "-"))
            c->conditional++;
        if (!strcmp(inm, "-") && !strcmp(ims, "-"))
            c->unconditional++;
    }
    free(text);
    return line;
}

static bool
file_id(const char *path, struct stat *st)
{
    return stat(path, st) == 0;
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool
all_ok(ItScreen *s, int n)
{
    for (int i = 0; i < n; i++) {
        void *st = it_status_read(s[i].status);
        const char *state = st ? it_status_str(st, 0, "state") : NULL;
        bool ok = state && !strcmp(state, "ok");
        it_status_free(st);
        if (!ok)
            return false;
    }
    return true;
}

static void
test_steady_polling_costs_a_304(void **state)
{
    (void)state;
    char *root = it_path("fleet-root");
    mkdir(root, 0755);
    char *doc_path = xasprintf("%s/feed.json", root);
    char *doc = it_newsapi_doc("fleet", 5, (int64_t)time(NULL));
    assert_true(it_write_file(doc_path, doc));
    char *log = xasprintf("%s/requests.log", root);
    int port;
    int httpd = it_httpd_start_opts(root, log, 0, &port);
    assert_true(httpd > 0);
    char *url = xasprintf("http://127.0.0.1:%d/files/feed.json", port);

    ItScreen s[SCREENS];
    char *cache[SCREENS];
    for (int i = 0; i < SCREENS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "fleet%d", i);
        assert_true(it_screen_start(&s[i], name, url, 10, NULL, NULL));
        cache[i] = xasprintf("%s/feed1.cache", s[i].cache);
    }
    for (int i = 0; i < 250 && !all_ok(s, SCREENS); i++)
        it_sleep_ms(40);
    assert_true(all_ok(s, SCREENS));
    struct stat first[SCREENS], now;
    for (int i = 0; i < SCREENS; i++)
        assert_true(file_id(cache[i], &first[i]));

    /* Steady state: about four polls per screen. */
    it_sleep_ms(4000);
    LogCount c;
    int lines = count_log(log, 0, &c);
    printf("steady: %d requests from %d screens: %d x 200, %d x 304 "
           "(%d conditional), %d other\n",
           c.requests, SCREENS, c.ok, c.not_modified, c.conditional, c.other);
    assert_int_equal(c.ok, SCREENS);
    assert_int_equal(c.unconditional, SCREENS);
    assert_true(c.not_modified >= SCREENS * 2);
    assert_int_equal(c.not_modified, c.requests - SCREENS);
    assert_int_equal(c.conditional, c.not_modified);
    assert_int_equal(c.other, 0);
    for (int i = 0; i < SCREENS; i++) {
        assert_true(file_id(cache[i], &now));
        if (!same_file(&first[i], &now))
            fail_msg("screen %d rewrote its cache without a change", i);
    }

    /* The feed changes once: one 200 per screen, one cache write each. */
    char *doc2 = it_newsapi_doc("fleet-updated", 6, (int64_t)time(NULL));
    char *tmp = xasprintf("%s/.feed.json", root);
    assert_true(it_write_file(tmp, doc2));
    assert_int_equal(rename(tmp, doc_path), 0);
    struct stat changed[SCREENS];
    for (int i = 0; i < SCREENS; i++) {
        for (int k = 0; k < 100; k++) {
            assert_true(file_id(cache[i], &changed[i]));
            if (!same_file(&first[i], &changed[i]))
                break;
            it_sleep_ms(40);
        }
        if (same_file(&first[i], &changed[i]))
            fail_msg("screen %d did not store the changed feed", i);
    }
    it_sleep_ms(2500);
    int lines2 = count_log(log, lines, &c);
    printf("after a change: %d requests: %d x 200, %d x 304\n", c.requests,
           c.ok, c.not_modified);
    assert_int_equal(c.ok, SCREENS);
    assert_int_equal(c.other, 0);
    assert_int_equal(c.conditional, c.requests);
    for (int i = 0; i < SCREENS; i++) {
        assert_true(file_id(cache[i], &now));
        if (!same_file(&changed[i], &now))
            fail_msg("screen %d rewrote its cache twice for one change", i);
        assert_int_equal(it_screen_stop(&s[i], NULL), 0);
    }

    /* A restart (a power cut): the cache's ETag makes even the first
     * request conditional, and it is answered 304. */
    assert_true(it_screen_start(&s[0], "fleet0", url, 10, NULL, NULL));
    for (int i = 0; i < 250 && !all_ok(s, 1); i++)
        it_sleep_ms(40);
    assert_true(all_ok(s, 1));
    assert_int_equal(it_screen_stop(&s[0], NULL), 0);
    count_log(log, lines2, &c);
    printf("after a restart: %d requests, %d x 304, %d unconditional\n",
           c.requests, c.not_modified, c.unconditional);
    assert_true(c.requests >= 1);
    assert_int_equal(c.not_modified, c.requests);
    assert_int_equal(c.unconditional, 0);

    for (int i = 0; i < SCREENS; i++) {
        it_screen_free(&s[i]);
        free(cache[i]);
    }
    it_httpd_stop(httpd);
    free(tmp);
    free(doc2);
    free(url);
    free(log);
    free(doc);
    free(doc_path);
    free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steady_polling_costs_a_304),
    };
    int rc = cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
    if (rc == 0)
        it_tmpdir_remove();
    return rc;
}
