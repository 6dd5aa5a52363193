/*
 * it_cache: the offline cache, against the real binary and the real
 * writer.
 *
 * - A screen that starts with the network down shows its cached stories
 *   from the first frame, and turns "offline" after two missed intervals.
 * - Stories that age past filter.max_age_h leave the screen even while the
 *   feed is unreachable, down to none (the "No current news" card).
 * - Corrupt cache files (empty, truncated, random bytes, 10 MB) are renamed
 *   aside with a log line; newswire keeps running and does not trip over
 *   them again on the next start.
 * - 200 SIGKILLs at random points while the cache is being rewritten:
 *   the file always holds the old or the new content, whole.
 * - A write whose fsync fails (strace fault injection) leaves the old file
 *   whole and no debris, with a log line.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backoff.h"
#include "cache.h"
#include "diskfile.h"
#include "ittools.h"
#include "util.h"

#define STORIES 5

static void *
wait_status(const char *path, bool (*pred)(const void *, void *), void *ud,
            int timeout_ms)
{
    int64_t end = it_now_ms() + timeout_ms;
    while (it_now_ms() < end) {
        void *st = it_status_read(path);
        if (st && pred(st, ud))
            return st;
        it_status_free(st);
        it_sleep_ms(40);
    }
    return NULL;
}

static bool
state_is(const void *st, void *ud)
{
    const char *state = it_status_str(st, 0, "state");
    return state && !strcmp(state, ud);
}

static char *
serve_doc(const char *name, const char *doc, int *pid, int *port)
{
    char *root = it_path(name);
    mkdir(root, 0755);
    char *p = xasprintf("%s/good.json", root);
    assert_true(it_write_file(p, doc));
    free(p);
    *pid = it_httpd_start(root, port);
    assert_true(*pid > 0);
    return root;
}

static void
test_offline_boot_shows_cached_news(void **state)
{
    (void)state;
    int64_t now = (int64_t)time(NULL);
    char *doc = it_newsapi_doc("cached", STORIES, now);
    int httpd, port;
    char *root = serve_doc("boot-root", doc, &httpd, &port);
    char *url = xasprintf("http://127.0.0.1:%d/files/good.json", port);
    ItScreen s;
    assert_true(it_screen_start(&s, "boot", url, 10, NULL, NULL));
    void *st = wait_status(s.status, state_is, "ok", 10000);
    assert_non_null(st);
    int64_t fetched = it_status_time(st, 0, "last_success");
    it_status_free(st);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    it_httpd_stop(httpd); /* the network is gone */

    /* Same cache, same URL, nobody answering. */
    assert_true(it_screen_start(&s, "boot", url, 10, NULL, NULL));
    st = wait_status(s.status, state_is, "failing", 5000);
    assert_non_null(st);
    assert_int_equal(it_status_num(st, -1, "stories_shown"), STORIES);
    assert_int_equal(it_status_time(st, 0, "last_success"), fetched);
    printf("offline boot: \"%s\", %d cached stories shown\n",
           it_status_str(st, 0, "error"), STORIES);
    it_status_free(st);
    /* The stories were on screen before the first frame: the log says so
     * in that order. */
    char *log = it_read_file(s.log, NULL);
    assert_non_null(log);
    const char *loaded = strstr(log, "cache: 5 stories for feed feed1");
    const char *frame = strstr(log, "first frame presented");
    if (!loaded || !frame || loaded > frame)
        fail_msg("cache not loaded before the first frame:\n%s", log);
    free(log);
    /* Two missed intervals (20 s, 2 s real) later: offline since the last
     * success. */
    st = wait_status(s.status, state_is, "offline", 2000 + 2500);
    assert_non_null(st);
    assert_int_equal(it_status_time(st, -1, "offline_since"), fetched);
    assert_int_equal(it_status_num(st, -1, "stories_shown"), STORIES);
    it_status_free(st);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    it_screen_free(&s);
    free(url);
    free(root);
    free(doc);
}

typedef struct AgeWatch {
    int last_shown;
    bool went_up;
} AgeWatch;

static bool
all_aged_out(const void *st, void *ud)
{
    AgeWatch *w = ud;
    int shown = (int)it_status_num(st, -1, "stories_shown");
    if (shown > w->last_shown)
        w->went_up = true;
    w->last_shown = shown;
    return shown == 0 && it_status_str(st, 0, "error") != NULL;
}

static void
test_old_stories_leave_even_offline(void **state)
{
    (void)state;
    /* Five stories 55 to 59 minutes old, a one-hour limit, a clock running
     * a minute per second: they leave one by one, then none is left. */
    int64_t now = (int64_t)time(NULL);
    char *doc = it_newsapi_doc("ageing", STORIES, now - 55 * 60);
    int httpd, port;
    char *root = serve_doc("age-root", doc, &httpd, &port);
    char *url = xasprintf("http://127.0.0.1:%d/files/good.json", port);
    static const char *const sets[] = {"filter.max_age_h=1",
                                       "fetch.interval_s=60", NULL};
    ItScreen s;
    assert_true(it_screen_start(&s, "age", url, 60, sets, NULL));
    void *st = wait_status(s.status, state_is, "ok", 10000);
    assert_non_null(st);
    assert_int_equal(it_status_num(st, -1, "stories_shown"), STORIES);
    it_status_free(st);
    it_httpd_stop(httpd);
    AgeWatch w = {STORIES, false};
    int64_t t0 = it_now_ms();
    st = wait_status(s.status, all_aged_out, &w, 8000 + 2500);
    if (!st)
        fail_msg("stories still shown: %d", w.last_shown);
    printf("ageing offline: all %d stories dropped after %lld ms (%s)\n",
           STORIES, (long long)(it_now_ms() - t0),
           it_status_str(st, 0, "error"));
    assert_false(w.went_up);
    /* Still held (and cached): they come back if the limit allows. */
    assert_int_equal(it_status_num(st, 0, "stories"), STORIES);
    it_status_free(st);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    it_screen_free(&s);
    free(url);
    free(root);
    free(doc);
}

static void
write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void
test_corrupt_files_are_moved_aside(void **state)
{
    (void)state;
    /* A valid file to truncate. */
    CacheEntry e = {.saved_s = 1764410400};
    util_strlcpy(e.feed, "feed1", sizeof(e.feed));
    util_strlcpy(e.url, "http://127.0.0.1:9/feed.json", sizeof(e.url));
    util_strlcpy(e.version, "0.1.0", sizeof(e.version));
    e.stories = story_list_new();
    Buf valid;
    buf_init(&valid);
    cache_encode(&e, &valid);
    story_list_free(e.stories);

    Rng r;
    rng_seed(&r, 2024);
    char random[5000];
    for (size_t i = 0; i < sizeof(random); i++)
        random[i] = (char)rng_next(&r);
    size_t huge_len = 10 * 1024 * 1024;
    char *huge = xmalloc(huge_len);
    for (size_t i = 0; i < huge_len; i++)
        huge[i] = (char)rng_next(&r);
    struct {
        const char *name;
        const char *data;
        size_t len;
    } cases[] = {
        {"empty", "", 0},
        {"truncated", valid.data, valid.len / 2},
        {"random", random, sizeof(random)},
        {"10MB", huge, huge_len},
    };
    ItScreen s[ARRAY_LEN(cases)];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char name[32];
        snprintf(name, sizeof(name), "corrupt-%s", cases[i].name);
        char *dir = it_path(name);
        mkdir(dir, 0755);
        char *cache = xasprintf("%s/cache", dir);
        mkdir(cache, 0755);
        char *file = xasprintf("%s/feed1.cache", cache);
        write_bytes(file, cases[i].data, cases[i].len);
        free(file);
        free(cache);
        free(dir);
        assert_true(it_screen_start(&s[i], name, "http://127.0.0.1:9/feed.json",
                                    10, NULL, NULL));
    }
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        void *st = wait_status(s[i].status, state_is, "failing", 5000);
        assert_non_null(st);
        it_status_free(st);
        assert_int_equal(it_screen_stop(&s[i], NULL), 0);
        char *log = it_read_file(s[i].log, NULL);
        const char *line = log ? strstr(log, "is unusable") : NULL;
        if (!line || !strstr(line, "moved it to"))
            fail_msg("%s: no quarantine line in the log:\n%s", cases[i].name,
                     log ? log : "(none)");
        const char *eol = strchr(line, '\n');
        printf("corrupt cache, %s: ...%.*s\n", cases[i].name,
               (int)(eol ? eol - line : 80), line);
        free(log);
        char *file = xasprintf("%s/feed1.cache", s[i].cache);
        char *moved = xasprintf("%s.corrupt", file);
        assert_int_equal(access(file, F_OK), -1);
        size_t n = 0;
        char *kept = it_read_file(moved, &n);
        assert_non_null(kept);
        assert_true(n == cases[i].len &&
                    !memcmp(kept, cases[i].data, cases[i].len));
        free(kept);
        free(moved);
        free(file);
    }
    /* The next start finds nothing to trip over. */
    assert_true(it_screen_start(&s[0], "corrupt-empty",
                                "http://127.0.0.1:9/feed.json", 10, NULL,
                                NULL));
    void *st = wait_status(s[0].status, state_is, "failing", 5000);
    assert_non_null(st);
    it_status_free(st);
    assert_int_equal(it_screen_stop(&s[0], NULL), 0);
    char *log = it_read_file(s[0].log, NULL);
    assert_null(strstr(log, "unusable"));
    free(log);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        it_screen_free(&s[i]);
    char *big = it_path("corrupt-10MB/cache/feed1.cache.corrupt");
    unlink(big);
    free(big);
    free(huge);
    buf_deinit(&valid);
}

static bool
shows(const void *st, void *ud)
{
    return it_status_num(st, -1, "stories_shown") == *(int *)ud &&
           state_is(st, "ok");
}

/* A write that fails half-way (fsync returns EIO, as a dying SD card
 * does) leaves the old cache whole and is logged; the new stories are
 * still shown. */
static void
test_failed_cache_write_keeps_old_file(void **state)
{
    (void)state;
    int64_t now = (int64_t)time(NULL);
    char *doc = it_newsapi_doc("first", STORIES, now);
    int httpd, port;
    char *root = serve_doc("eio-root", doc, &httpd, &port);
    char *url = xasprintf("http://127.0.0.1:%d/files/good.json", port);
    ItScreen s;
    assert_true(it_screen_start(&s, "eio", url, 10, NULL, NULL));
    void *st = wait_status(s.status, state_is, "ok", 10000);
    assert_non_null(st);
    it_status_free(st);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    char *cache = xasprintf("%s/feed1.cache", s.cache);
    size_t old_len;
    char *old = it_read_file(cache, &old_len);
    assert_non_null(old);

    char *doc2 = it_newsapi_doc("second", STORIES + 2, now);
    char *p = xasprintf("%s/good.json", root);
    assert_true(it_write_file(p, doc2));
    static const char *const strace[] = {"/usr/bin/env",
                                         "strace",
                                         "-D",
                                         "-f",
                                         "-qq",
                                         "-o",
                                         "/dev/null",
                                         "-e",
                                         "trace=fsync",
                                         "-e",
                                         "inject=fsync:error=EIO",
                                         NULL};
    it_screen_wrap(strace);
    assert_true(it_screen_start(&s, "eio", url, 10, NULL, NULL));
    int want = STORIES + 2;
    st = wait_status(s.status, shows, &want, 10000);
    /* The status file cannot be written either (same fsync): so wait on
     * the log instead when it never appears. */
    it_status_free(st);
    char *log = NULL;
    for (int i = 0; i < 250; i++) {
        free(log);
        log = it_read_file(s.log, NULL);
        if (log && strstr(log, "cache: cannot write"))
            break;
        it_sleep_ms(40);
    }
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    const char *line = log ? strstr(log, "cache: cannot write") : NULL;
    if (!line || !strstr(line, "fsync: Input/output error"))
        fail_msg("no log line for the failed write:\n%s", log ? log : "(none)");
    const char *eol = strchr(line, '\n');
    printf("fsync EIO: \"%.*s\"; the old cache is intact\n",
           (int)(eol ? eol - line : 100), line);
    size_t n;
    char *now_bytes = it_read_file(cache, &n);
    assert_true(now_bytes && n == old_len && !memcmp(now_bytes, old, n));
    char *tmp = xasprintf("%s/.feed1.cache.tmp", s.cache);
    assert_int_equal(access(tmp, F_OK), -1); /* no debris either */
    it_httpd_stop(httpd);
    it_screen_free(&s);
    free(tmp);
    free(now_bytes);
    free(log);
    free(p);
    free(doc2);
    free(old);
    free(cache);
    free(url);
    free(root);
    free(doc);
}

static void
encode(const char *tag, int n, Buf *out)
{
    CacheEntry e = {.saved_s = 1764410400};
    util_strlcpy(e.feed, "top", sizeof(e.feed));
    util_strlcpy(e.url, "https://example.com/", sizeof(e.url));
    util_strlcpy(e.version, "0.1.0", sizeof(e.version));
    e.stories = story_list_new();
    for (int i = 0; i < n; i++) {
        Story s = {0};
        s.id = xasprintf("%s-%d", tag, i);
        s.title =
            xasprintf("%s headline number %d, long enough to matter", tag, i);
        s.summary = xasprintf("%s summary %d: %0200d", tag, i, i);
        s.feed = xstrdup("top");
        s.published_s = 1764410400 - i;
        story_list_push(e.stories, &s);
    }
    buf_init(out);
    cache_encode(&e, out);
    story_list_free(e.stories);
}

static void
test_sigkill_during_cache_writes(void **state)
{
    (void)state;
    Buf old_doc, new_doc;
    encode("old", 20, &old_doc);
    encode("new", 200, &new_doc);
    char *path = it_path("killed.cache");
    char err[256];
    assert_int_equal(diskfile_write_atomic(path, old_doc.data, old_doc.len, err,
                                           sizeof(err)),
                     0);
    Rng r;
    rng_seed(&r, (uint64_t)time(NULL));
    int seen_old = 0, seen_new = 0;
    long writes_done = 0;
    for (int i = 0; i < 200; i++) {
        int pipefd[2];
        assert_int_equal(pipe(pipefd), 0);
        pid_t pid = fork();
        if (pid == 0) {
            close(pipefd[0]);
            /* Rewrites the file as fast as it can, alternating contents;
             * one byte to the pipe per completed write. */
            for (long k = 0;; k++) {
                const Buf *b = k % 2 ? &old_doc : &new_doc;
                if (diskfile_write_atomic(path, b->data, b->len, err,
                                          sizeof(err)) < 0)
                    _exit(1);
                if (write(pipefd[1], "w", 1) < 0)
                    _exit(1);
            }
        }
        close(pipefd[1]);
        it_sleep_ms(1 + (int)(rng_next(&r) % 25));
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
        char c[512];
        ssize_t got;
        while ((got = read(pipefd[0], c, sizeof(c))) > 0)
            writes_done += got;
        close(pipefd[0]);

        size_t n = 0;
        char *now = it_read_file(path, &n);
        assert_non_null(now);
        CacheEntry e;
        if (cache_decode(now, n, &e, err, sizeof(err)) < 0)
            fail_msg("kill %d: the cache does not load: %s", i, err);
        cache_entry_deinit(&e);
        if (n == old_doc.len && !memcmp(now, old_doc.data, n))
            seen_old++;
        else if (n == new_doc.len && !memcmp(now, new_doc.data, n))
            seen_new++;
        else
            fail_msg("kill %d: neither the old nor the new content", i);
        free(now);
    }
    printf("200 SIGKILLs during %ld completed cache writes: old content %d "
           "times, new content %d times, never anything else\n",
           writes_done, seen_old, seen_new);
    /* Both outcomes happened: the kills really landed between and inside
     * writes, not only before the first. */
    assert_true(seen_old > 10 && seen_new > 10);
    /* A stray temporary file is harmless: the next write replaces it. */
    assert_int_equal(diskfile_write_atomic(path, old_doc.data, old_doc.len, err,
                                           sizeof(err)),
                     0);
    assert_true(it_files_equal(path, path));
    free(path);
    buf_deinit(&old_doc);
    buf_deinit(&new_doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offline_boot_shows_cached_news),
        cmocka_unit_test(test_old_stories_leave_even_offline),
        cmocka_unit_test(test_corrupt_files_are_moved_aside),
        cmocka_unit_test(test_sigkill_during_cache_writes),
        cmocka_unit_test(test_failed_cache_write_keeps_old_file),
    };
    int rc = cmocka_run_group_tests_name("cache", tests, NULL, NULL);
    if (rc == 0)
        it_tmpdir_remove();
    return rc;
}
