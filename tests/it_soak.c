/*
 * it_soak: a long run in virtual time against the real binary.
 *
 * newswire runs headless with its clocks sped up (NEWSWIRE_TIME_SCALE,
 * default 300: a 5-minute poll interval passes in one real second) and
 * two feeds: one cycles through every fault of the test server's /cycle
 * route (errors, stalls, trickles, resets, truncation, endless and
 * compressed bombs, HTML, redirect loops, Retry-After...), the other is
 * steady. Both documents are rewritten every 20 virtual minutes, so stories
 * change, age out and the cache is rewritten. From outside, the test
 * samples /proc: resident memory, threads and open descriptors.
 *
 * Passes when: the process never exits; the screen never runs out of
 * stories; memory grows by less than 1 MB from the first hour to the end;
 * the thread count never changes and descriptors never exceed what the
 * first hour needed; and SIGTERM at the end exits 0 within 2 s.
 *
 * `make check` runs 2 simulated hours; `make soak` runs 24
 * (NEWSWIRE_SOAK_HOURS and NEWSWIRE_SOAK_SCALE override both).
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

#define SAMPLE_MS 200
#define REWRITE_VIRTUAL_S (20 * 60)
#define WARMUP_VIRTUAL_S (10 * 60)
#define WINDOW_VIRTUAL_S (10 * 60) /* memory is compared as window maxima */

static long
env_long(const char *name, long def, long lo, long hi)
{
    const char *v = getenv(name);
    long n = v && *v ? strtol(v, NULL, 10) : def;
    return n < lo || n > hi ? def : n;
}

static void
write_doc(const char *root, const char *name, const char *prefix, int n,
          int64_t published)
{
    char *doc = it_newsapi_doc(prefix, n, published);
    char *tmp = xasprintf("%s/.%s", root, name);
    char *path = xasprintf("%s/%s", root, name);
    assert_true(it_write_file(tmp, doc));
    assert_int_equal(rename(tmp, path), 0);
    free(path);
    free(tmp);
    free(doc);
}

static int
count_lines(const char *path)
{
    char *t = it_read_file(path, NULL);
    int n = 0;
    for (char *p = t; p && *p; p++)
        n += *p == '\n';
    free(t);
    return n;
}

static void
test_soak(void **state)
{
    (void)state;
    long hours = env_long("NEWSWIRE_SOAK_HOURS", 2, 2, 240);
    long scale = env_long("NEWSWIRE_SOAK_SCALE", 300, 1, 1000);
    char *root = it_path("soak-root");
    mkdir(root, 0755);
    int64_t wall0 = (int64_t)time(NULL);
    write_doc(root, "a.json", "cycled", 8, wall0);
    write_doc(root, "b.json", "steady", 6, wall0);
    char *log = xasprintf("%s/requests.log", root);
    int port;
    int httpd = it_httpd_start_opts(root, log, 0, &port);
    assert_true(httpd > 0);
    char *url_a =
        xasprintf("feed.cycled.url=http://127.0.0.1:%d/cycle/a.json", port);
    char *url_b =
        xasprintf("feed.steady.url=http://127.0.0.1:%d/files/b.json", port);
    const char *sets[] = {url_a,
                          url_b,
                          "fetch.interval_s=300",
                          "fetch.timeout_s=2",
                          "fetch.backoff_base_s=15",
                          "display.fps=1",
                          "filter.max_age_h=6",
                          NULL};
    ItScreen s;
    assert_true(it_screen_start(&s, "soak", NULL, (int)scale, sets, NULL));

    int64_t total_virtual_s = hours * 3600;
    int64_t t0 = it_now_ms();
    int64_t next_rewrite = REWRITE_VIRTUAL_S;
    int64_t next_report = 3600;
    int rewrites = 0;
    long rss_1h = 0, rss_end = 0, rss_peak = 0;
    long threads_min = 1L << 30, threads_max = 0;
    /* Descriptors: the idle level (no transfer running) must not move;
     * each running transfer adds one socket. */
    long fds_min_first = 1L << 30, fds_min_last = 1L << 30, fds_max = 0;
    int samples = 0, failing_samples = 0, empty_samples = 0;
    bool stories_seen = false;
    char errors_seen[8][96];
    int n_errors = 0;
    for (;;) {
        it_sleep_ms(SAMPLE_MS);
        int64_t virt = (it_now_ms() - t0) * scale / 1000;
        int rc = it_wait(s.pid, 0, NULL);
        if (rc >= 0)
            fail_msg("newswire exited (%d) at virtual %lld s; log %s", rc,
                     (long long)virt, s.log);
        if (virt >= next_rewrite) {
            /* New headlines, as a real feed has: old texts must leave
             * memory as well as the screen. */
            int64_t vnow = wall0 + virt;
            char pa[32], pb[32];
            snprintf(pa, sizeof(pa), "cycled r%d", rewrites);
            snprintf(pb, sizeof(pb), "steady r%d", rewrites);
            write_doc(root, "a.json", pa, 8 + rewrites % 3, vnow);
            write_doc(root, "b.json", pb, 6 + rewrites % 2, vnow);
            rewrites++;
            next_rewrite += REWRITE_VIRTUAL_S;
        }
        long rss = it_proc_rss_kb(s.pid);
        long thr = it_proc_threads(s.pid);
        long fds = it_proc_fds(s.pid);
        if (rss < 0 || thr < 0 || fds < 0)
            continue; /* exiting between the checks */
        samples++;
        rss_peak = MAX(rss_peak, rss);
        if (virt >= WARMUP_VIRTUAL_S) {
            threads_min = MIN(threads_min, thr);
            threads_max = MAX(threads_max, thr);
            fds_max = MAX(fds_max, fds);
            if (virt < 3600)
                fds_min_first = MIN(fds_min_first, fds);
        }
        if (virt >= total_virtual_s - 3600)
            fds_min_last = MIN(fds_min_last, fds);
        if (virt >= 3600 && virt < 3600 + WINDOW_VIRTUAL_S)
            rss_1h = MAX(rss_1h, rss);
        if (virt >= total_virtual_s - WINDOW_VIRTUAL_S)
            rss_end = MAX(rss_end, rss);
        void *st = it_status_read(s.status);
        if (st) {
            int shown = (int)it_status_num(st, -1, "stories_shown");
            stories_seen = stories_seen || shown > 0;
            if (stories_seen && shown <= 0)
                empty_samples++;
            const char *err = it_status_str(st, 0, "error");
            if (err) {
                failing_samples++;
                /* Remember a few distinct kinds of error for the report. */
                const char *kind = strchr(err, ':');
                kind = kind ? kind + 2 : err;
                bool known = false;
                for (int i = 0; i < n_errors; i++)
                    known = known || !strncmp(errors_seen[i], kind, 24);
                if (!known && n_errors < 8)
                    util_strlcpy(errors_seen[n_errors++], kind,
                                 sizeof(errors_seen[0]));
            }
            it_status_free(st);
        }
        if (virt >= next_report) {
            printf("  hour %2lld: RSS %ld kB, %ld threads, %ld fds\n",
                   (long long)(virt / 3600), rss, thr, fds);
            fflush(stdout);
            next_report += 3600;
        }
        if (virt >= total_virtual_s)
            break;
    }
    int64_t real_ms = it_now_ms() - t0;
    void *st = it_status_read(s.status);
    assert_non_null(st);
    double frames = it_status_num(st, -1, "frames");
    it_status_free(st);
    int took = 0;
    int rc = it_screen_stop(&s, &took);
    int requests = count_lines(log);
    printf("soak: %ld simulated hours in %.1f s real (x%ld); %d requests, "
           "%d content changes, %.0f frames; feed with faults failing in %d "
           "of %d samples\n",
           hours, real_ms / 1000.0, scale, requests, rewrites, frames,
           failing_samples, samples);
    for (int i = 0; i < n_errors; i++)
        printf("  error seen: %s\n", errors_seen[i]);
    printf("soak: RSS at 1 h %ld kB, at the end %ld kB (growth %ld kB), peak "
           "%ld kB; threads %ld..%ld; fds idle %ld in the first hour, %ld in "
           "the last, at most %ld; SIGTERM: exit %d after %d ms\n",
           rss_1h, rss_end, rss_end - rss_1h, rss_peak, threads_min,
           threads_max, fds_min_first, fds_min_last, fds_max, rc, took);
    assert_true(stories_seen);
    assert_int_equal(empty_samples, 0);
    assert_true(failing_samples > 0); /* the faults really happened */
    assert_true(rss_1h > 0 && rss_end > 0);
    assert_true(rss_end - rss_1h < 1024);
    assert_int_equal(threads_min, threads_max);
    assert_int_equal(fds_min_last, fds_min_first);
    assert_true(fds_max <= fds_min_first + 2); /* two feeds in flight */
    assert_int_equal(rc, 0);
    assert_true(took < 2000);
    it_screen_free(&s);
    it_httpd_stop(httpd);
    free(url_a);
    free(url_b);
    free(log);
    free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soak),
    };
    int rc = cmocka_run_group_tests_name("soak", tests, NULL, NULL);
    if (rc == 0)
        it_tmpdir_remove();
    return rc;
}
