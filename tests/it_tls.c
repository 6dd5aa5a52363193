/*
 * it_tls: TLS faults against the real binary, with certificates made by
 * openssl at test time and served by tests/tlsd.py on 127.0.0.1.
 *
 * 1. A server that presents a self-signed certificate instead of the one
 *    fetch.ca_file trusts: the error is reported within one interval, the
 *    last good stories and the cache stay, it is retried once per interval
 *    (not hammered), and the feed recovers within one interval once the
 *    trusted certificate is back.
 * 2. A Raspberry Pi without a clock battery: started with the clock in
 *    2000 (libfaketime), every handshake fails with "certificate not yet
 *    valid". That is transient: retried at least once a minute; and the
 *    first attempt after the clock is set succeeds.
 */
#include <glob.h>
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

#define SCALE 10
#define STORIES 5

typedef struct Tls {
    char *root, *certs;
    char *trusted;   /* certs/trusted.pem: key + certificate */
    char *untrusted; /* certs/untrusted.pem */
    char *ca;        /* certs/ca.pem: the trusted certificate alone */
    int pid, port;
} Tls;

static void
make_cert(const char *dir, const char *name)
{
    char *key = xasprintf("%s/%s.key", dir, name);
    char *crt = xasprintf("%s/%s.crt", dir, name);
    const char *argv[] = {"/usr/bin/env",
                          "openssl",
                          "req",
                          "-x509",
                          "-newkey",
                          "ec",
                          "-pkeyopt",
                          "ec_paramgen_curve:prime256v1",
                          "-nodes",
                          "-keyout",
                          key,
                          "-out",
                          crt,
                          "-days",
                          "2",
                          "-subj",
                          "/CN=127.0.0.1",
                          "-addext",
                          "subjectAltName=IP:127.0.0.1",
                          NULL};
    RunResult r = it_run(argv, NULL, 30);
    if (r.status != 0)
        fail_msg("openssl failed (%d): %s", r.status, r.err);
    it_result_free(&r);
    /* server.pem is the key followed by the certificate. */
    size_t kn, cn;
    char *k = it_read_file(key, &kn);
    char *c = it_read_file(crt, &cn);
    assert_non_null(k);
    assert_non_null(c);
    char *pem = xasprintf("%s/%s.pem", dir, name);
    char *both = xasprintf("%s%s", k, c);
    assert_true(it_write_file(pem, both));
    free(both);
    free(pem);
    free(k);
    free(c);
    free(key);
    free(crt);
}

/* Atomically makes src the certificate the server presents next. */
static void
present(const Tls *t, const char *src)
{
    char *tmp = xasprintf("%s/.server.pem", t->certs);
    char *dst = xasprintf("%s/server.pem", t->certs);
    assert_true(it_copy_file(src, tmp));
    assert_int_equal(rename(tmp, dst), 0);
    free(tmp);
    free(dst);
}

static void
tls_setup(Tls *t, const char *name)
{
    memset(t, 0, sizeof(*t));
    t->root = it_path(name);
    mkdir(t->root, 0755);
    t->certs = xasprintf("%s/certs", t->root);
    mkdir(t->certs, 0755);
    make_cert(t->certs, "trusted");
    make_cert(t->certs, "untrusted");
    t->trusted = xasprintf("%s/trusted.pem", t->certs);
    t->untrusted = xasprintf("%s/untrusted.pem", t->certs);
    t->ca = xasprintf("%s/trusted.crt", t->certs);
    char *p = xasprintf("%s/good.json", t->root);
    char *doc = it_newsapi_doc("secure", STORIES, (int64_t)time(NULL));
    assert_true(it_write_file(p, doc));
    free(doc);
    free(p);
    present(t, t->trusted);
    t->pid = it_tlsd_start(t->root, t->certs, &t->port);
    if (t->pid <= 0)
        fail_msg("tests/tlsd.py did not start (python3 installed?)");
}

static void
tls_teardown(Tls *t)
{
    it_kill(t->pid);
    free(t->root);
    free(t->certs);
    free(t->trusted);
    free(t->untrusted);
    free(t->ca);
}

/* Polls the status file until pred holds or timeout_ms passes; returns the
 * parsed status (caller frees) or NULL on timeout. */
typedef bool (*StatusPred)(const void *st, void *ud);

static void *
wait_status(const char *path, StatusPred pred, void *ud, int timeout_ms)
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
is_ok(const void *st, void *ud)
{
    (void)ud;
    const char *state = it_status_str(st, 0, "state");
    return state && !strcmp(state, "ok") &&
           it_status_num(st, -1, "stories_shown") == STORIES;
}

static bool
has_error(const void *st, void *ud)
{
    (void)ud;
    return it_status_str(st, 0, "error") != NULL;
}

static void
test_self_signed_certificate(void **state)
{
    (void)state;
    Tls t;
    tls_setup(&t, "tls-selfsigned");
    char *url = xasprintf("https://127.0.0.1:%d/files/good.json", t.port);
    char *ca = xasprintf("fetch.ca_file=%s", t.ca);
    const char *sets[] = {ca, NULL};
    ItScreen s;
    assert_true(it_screen_start(&s, "tls-screen", url, SCALE, sets, NULL));
    void *st = wait_status(s.status, is_ok, NULL, 10000);
    if (!st)
        fail_msg("no stories over HTTPS with fetch.ca_file (log: %s)", s.log);
    it_status_free(st);
    char *cache = xasprintf("%s/feed1.cache", s.cache);
    size_t base_len;
    char *base = it_read_file(cache, &base_len);
    assert_non_null(base);

    present(&t, t.untrusted);
    int64_t t0 = it_now_ms();
    st = wait_status(s.status, has_error, NULL, 1100 + 1000 + 2500);
    assert_non_null(st);
    int64_t took = it_now_ms() - t0;
    const char *err = it_status_str(st, 0, "error");
    printf("self-signed certificate: error after %lld ms: \"%s\"\n",
           (long long)took, err);
    assert_non_null(strstr(err, "TLS"));
    assert_non_null(strstr(err, "self-signed"));
    assert_int_equal(it_status_num(st, -1, "stories_shown"), STORIES);
    /* An untrusted certificate does not heal by hammering: once per
     * interval (10 s), jittered downwards. */
    int64_t gap = it_status_time(st, 0, "next_attempt") -
                  it_status_time(st, 0, "last_attempt");
    assert_in_range(gap, 9, 10);
    it_status_free(st);
    size_t n;
    char *now = it_read_file(cache, &n);
    assert_true(now && n == base_len && !memcmp(now, base, n));
    free(now);

    present(&t, t.trusted);
    t0 = it_now_ms();
    st = wait_status(s.status, is_ok, NULL, 1000 + 1000 + 2500);
    assert_non_null(st);
    printf("self-signed certificate: recovered %lld ms after the trusted "
           "certificate was back; cache byte-identical\n",
           (long long)(it_now_ms() - t0));
    it_status_free(st);
    now = it_read_file(cache, &n);
    assert_true(now && n == base_len && !memcmp(now, base, n));
    free(now);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    it_screen_free(&s);
    free(base);
    free(cache);
    free(ca);
    free(url);
    tls_teardown(&t);
}

static char *
faketime_lib(void)
{
    glob_t g;
    char *found = NULL;
    if (glob("/usr/lib/*/faketime/libfaketimeMT.so.1", 0, NULL, &g) == 0 &&
        g.gl_pathc > 0)
        found = xstrdup(g.gl_pathv[0]);
    globfree(&g);
    return found;
}

typedef struct ClockWatch {
    int max_failures;
    int64_t max_gap_s;
} ClockWatch;

static bool
clock_error_seen(const void *st, void *ud)
{
    ClockWatch *w = ud;
    const char *err = it_status_str(st, 0, "error");
    if (!err)
        return false;
    if (!strstr(err, "not valid yet"))
        fail_msg("expected a 'not valid yet' error, got \"%s\"", err);
    int64_t gap = it_status_time(st, 0, "next_attempt") -
                  it_status_time(st, 0, "last_attempt");
    w->max_gap_s = MAX(w->max_gap_s, gap);
    w->max_failures =
        MAX(w->max_failures, (int)it_status_num(st, 0, "failures"));
    return w->max_failures >= 3;
}

static bool
ok_watching_failures(const void *st, void *ud)
{
    ClockWatch *w = ud;
    int f = (int)it_status_num(st, 0, "failures");
    w->max_failures = MAX(w->max_failures, f);
    return is_ok(st, NULL);
}

static void
test_clock_not_set_yet(void **state)
{
    (void)state;
    char *lib = faketime_lib();
    if (!lib)
        fail_msg("libfaketime is not installed (make deps installs "
                 "faketime)");
    Tls t;
    tls_setup(&t, "tls-clock");
    char *clockfile = xasprintf("%s/faketime", t.root);
    assert_true(it_write_file(clockfile, "@2000-01-01 00:00:00\n"));
    char *url = xasprintf("https://127.0.0.1:%d/files/good.json", t.port);
    char *ca = xasprintf("fetch.ca_file=%s", t.ca);
    /* An hour's interval: only the clock rule can bring retries. */
    const char *sets[] = {ca, "fetch.interval_s=3600",
                          "fetch.backoff_base_s=15", NULL};
    char *preload = xasprintf("LD_PRELOAD=%s", lib);
    char *tsfile = xasprintf("FAKETIME_TIMESTAMP_FILE=%s", clockfile);
    const char *env[] = {preload, tsfile, "FAKETIME_NO_CACHE=1",
                         "FAKETIME_DONT_FAKE_MONOTONIC=1", NULL};
    ItScreen s;
    assert_true(it_screen_start(&s, "clock-screen", url, SCALE, sets, env));

    ClockWatch w = {0, 0};
    /* Three failed attempts, each followed by a retry within a minute
     * (6 s real): 3 x 6 s at worst. */
    void *st = wait_status(s.status, clock_error_seen, &w, 25000);
    if (!st)
        fail_msg("fewer than 3 clock failures seen (max %d; log %s)",
                 w.max_failures, s.log);
    printf("clock in 2000: \"%s\"; %d attempts, retry gaps at most %lld s\n",
           it_status_str(st, 0, "error"), w.max_failures,
           (long long)w.max_gap_s);
    assert_true(w.max_gap_s <= 60);
    assert_int_equal(it_status_num(st, -1, "stories_shown"), 0);
    it_status_free(st);

    /* NTP sets the clock. */
    assert_true(it_write_file(clockfile, "+0\n"));
    st = it_status_read(s.status);
    int failures_at_fix = st ? (int)it_status_num(st, 0, "failures") : 0;
    it_status_free(st);
    int64_t t0 = it_now_ms();
    ClockWatch after = {0, 0};
    st = wait_status(s.status, ok_watching_failures, &after, 6000 + 2500);
    if (!st)
        fail_msg("no success within a minute (6 s real) of the clock "
                 "being set");
    printf("clock set: stories after %lld ms, %d failed attempts after the "
           "fix\n",
           (long long)(it_now_ms() - t0),
           MAX(after.max_failures - failures_at_fix, 0));
    /* The first attempt after the fix succeeds (an attempt already past
     * its handshake when the clock changed may still fail once). */
    assert_true(after.max_failures <= failures_at_fix + 1);
    it_status_free(st);
    assert_int_equal(it_screen_stop(&s, NULL), 0);
    it_screen_free(&s);
    free(preload);
    free(tsfile);
    free(ca);
    free(url);
    free(clockfile);
    free(lib);
    tls_teardown(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_signed_certificate),
        cmocka_unit_test(test_clock_not_set_yet),
    };
    int rc = cmocka_run_group_tests_name("tls", tests, NULL, NULL);
    if (rc == 0)
        it_tmpdir_remove();
    return rc;
}
