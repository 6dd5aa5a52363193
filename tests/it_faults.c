/*
 * it_faults: the network fault matrix, against the real binary.
 *
 * Each lane is a headless newswire whose only feed is the loopback test
 * server's /switch/feed route; the test flips that route from a good feed
 * to a fault and back. Time runs ten times faster (NEWSWIRE_TIME_SCALE),
 * so the 10 s poll interval passes in 1 s; libcurl's 1 s timeout stays
 * real. For every scenario the binary must:
 *   - keep running and keep showing the last good stories;
 *   - report the error in the status file within one interval (plus the
 *     transfer timeout, for faults that only a timeout ends);
 *   - leave the cache file byte-identical;
 *   - recover within one interval after the fault clears (plus a
 *     Retry-After the server asked for).
 * Lanes run side by side; each prints one line per scenario with what was
 * observed. Also here: SIGTERM during a stalled download exits 0 within 2 s.
 */
#include <setjmp.h>
#include <signal.h>
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
#define INTERVAL_REAL_MS 1000 /* fetch.interval_s=10 at SCALE 10 */
#define TIMEOUT_REAL_MS 1000  /* fetch.timeout_s=1, real */
#define SLACK_MS 2500         /* process start-up, polling, a busy CI box */
#define STORIES 5
#define LANES 3

typedef struct Scenario {
    const char *name;
    const char *route;  /* "" for the computed Retry-After date */
    const char *expect; /* alternatives separated by '|' */
    int retry_after_s;  /* the wait the server asked for, virtual seconds */
} Scenario;

static const Scenario SCENARIOS[] = {
    {"HTTP 500", "/status/500", "HTTP 500", 0},
    {"HTTP 503 + Retry-After 3", "/status/503?retry_after=3", "HTTP 503", 3},
    {"HTTP 404", "/status/404", "HTTP 404", 0},
    {"HTTP 401", "/status/401", "HTTP 401", 0},
    {"HTTP 429 + Retry-After 20 s", "/status/429?retry_after=20", "HTTP 429",
     20},
    {"HTTP 429 + Retry-After date", "", "HTTP 429", 30},
    {"HTTP 429 + Retry-After past date",
     "/status/429?retry_after=Thu,+01+Jan+1970+00:00:00+GMT", "HTTP 429", 0},
    {"redirect loop", "/redirect-loop", "more than 5 redirects", 0},
    {"redirect to file://", "/redirect-to?url=file:///etc/passwd",
     "redirect to a disallowed address was refused", 0},
    {"stall after headers", "/stall/good.json", "timed out|too slow", 0},
    {"trickle 1 B/s", "/trickle/good.json", "timed out|too slow", 0},
    {"reset mid-body", "/reset/good.json", "reset|Recv failure", 0},
    {"truncated body", "/truncated/good.json", "transfer closed", 0},
    {"endless chunked body", "/chunked-endless", "larger than the 256 KB", 0},
    {"gzip bomb", "/gzip-bomb", "larger than the 256 KB", 0},
    {"HTML page with 200", "/html", "web page", 0},
    {"wrong content type", "/as/image/png/good.json", "image/png", 0},
    {"empty story list", "/files/empty-articles.json", "no stories", 0},
    {"empty body", "/empty", "empty document", 0},
    {"invalid UTF-8 (a UTF-16 document)", "/files/utf16.json",
     "not valid JSON|not a JSON object|UTF", 0},
    {"deep nesting", "/files/nested-deep.json", "not valid JSON|nest|too deep",
     0},
};

typedef enum Phase { START, FAULT, RECOVER, DONE } Phase;

typedef struct Lane {
    int id;
    char *root;
    int httpd, port;
    ItScreen screen;
    char *cache_file, *baseline;
    size_t baseline_len;
    Phase phase;
    size_t next; /* index into SCENARIOS: this lane takes every LANES-th */
    const Scenario *sc;
    int64_t t0, deadline;
    int64_t fault_ms;
    char error[256];
} Lane;

static Buf failures;
static Buf report;

static void failf(const Lane *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
failf(const Lane *l, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    buf_appendf(&failures, "lane %d, %s: %s\n", l->id,
                l->sc ? l->sc->name : "start", msg);
}

static void
write_route(const Lane *l, const char *target)
{
    char *path = xasprintf("%s/feed.route", l->root);
    char *tmp = xasprintf("%s/.feed.route", l->root);
    char *line = xasprintf("%s\n", target);
    assert_true(it_write_file(tmp, line));
    assert_int_equal(rename(tmp, path), 0);
    free(line);
    free(tmp);
    free(path);
}

/* "Thu, 01 Jan 1970 00:00:00 GMT" with '+' for spaces, for a query. */
static void
http_date_query(time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%a,+%d+%b+%Y+%H:%M:%S+GMT", &tm);
}

static bool
matches(const char *text, const char *alternatives)
{
    char buf[256];
    util_strlcpy(buf, alternatives, sizeof(buf));
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
        if (strstr(text, t))
            return true;
    return false;
}

static bool
cache_unchanged(Lane *l)
{
    size_t n = 0;
    char *now = it_read_file(l->cache_file, &n);
    bool same = now && n == l->baseline_len && memcmp(now, l->baseline, n) == 0;
    free(now);
    return same;
}

static void
lane_setup(Lane *l, int id, const char *good_doc, const char *utf16,
           size_t utf16_len)
{
    memset(l, 0, sizeof(*l));
    l->id = id;
    char name[32];
    snprintf(name, sizeof(name), "lane%d", id);
    l->root = it_path(name);
    mkdir(l->root, 0755);
    char *p = xasprintf("%s/good.json", l->root);
    assert_true(it_write_file(p, good_doc));
    free(p);
    p = xasprintf("%s/utf16.json", l->root);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(utf16, 1, utf16_len, f), utf16_len);
    fclose(f);
    free(p);
    static const char *const fixtures[] = {"empty-articles.json",
                                           "nested-deep.json"};
    for (size_t i = 0; i < ARRAY_LEN(fixtures); i++) {
        char *from = xasprintf("tests/fixtures/%s", fixtures[i]);
        char *to = xasprintf("%s/%s", l->root, fixtures[i]);
        assert_true(it_copy_file(from, to));
        free(from);
        free(to);
    }
    write_route(l, "/files/good.json");
    l->httpd = it_httpd_start(l->root, &l->port);
    assert_true(l->httpd > 0);
    char *url = xasprintf("http://127.0.0.1:%d/switch/feed", l->port);
    snprintf(name, sizeof(name), "screen%d", id);
    assert_true(it_screen_start(&l->screen, name, url, SCALE, NULL, NULL));
    free(url);
    l->cache_file = xasprintf("%s/feed1.cache", l->screen.cache);
    l->next = (size_t)id;
    l->phase = START;
    l->t0 = it_now_ms();
    l->deadline = l->t0 + 10000;
}

static void
lane_start_scenario(Lane *l)
{
    if (l->next >= ARRAY_LEN(SCENARIOS)) {
        l->phase = DONE;
        l->sc = NULL;
        return;
    }
    l->sc = &SCENARIOS[l->next];
    l->next += LANES;
    char route[256];
    if (!l->sc->route[0]) {
        char date[64];
        http_date_query(time(NULL) + l->sc->retry_after_s, date, sizeof(date));
        snprintf(route, sizeof(route), "/status/429?retry_after=%s", date);
    } else {
        util_strlcpy(route, l->sc->route, sizeof(route));
    }
    write_route(l, route);
    l->phase = FAULT;
    l->t0 = it_now_ms();
    l->deadline =
        l->t0 + INTERVAL_REAL_MS * 11 / 10 + TIMEOUT_REAL_MS + SLACK_MS;
}

/* Checks that hold in every phase once the first stories arrived. */
static bool
lane_invariants(Lane *l, const void *st)
{
    double shown = it_status_num(st, -1, "stories_shown");
    if (shown != STORIES) {
        failf(l, "the screen shows %.0f stories, not the last good %d", shown,
              STORIES);
        return false;
    }
    int rc = it_wait(l->screen.pid, 0, NULL);
    if (rc >= 0) {
        failf(l, "newswire exited with status %d", rc);
        l->screen.pid = 0;
        return false;
    }
    return true;
}

static void
lane_step(Lane *l)
{
    if (l->phase == DONE)
        return;
    void *st = it_status_read(l->screen.status);
    int64_t now = it_now_ms();
    const char *err = st ? it_status_str(st, 0, "error") : NULL;
    const char *state = st ? it_status_str(st, 0, "state") : NULL;
    bool ok = state && !strcmp(state, "ok") && !err;
    if (l->phase == START) {
        if (ok && it_status_num(st, -1, "stories_shown") == STORIES &&
            access(l->cache_file, R_OK) == 0) {
            double code = it_status_num(st, 0, "http_status");
            if (code != 200)
                failf(l, "first answer HTTP %.0f, not 200", code);
            buf_appendf(&report,
                        "  %-36s stories after %5lld ms (HTTP %.0f), cached\n",
                        "200 (first fetch)", (long long)(now - l->t0), code);
            l->baseline = it_read_file(l->cache_file, &l->baseline_len);
            lane_start_scenario(l);
        } else if (now > l->deadline) {
            failf(l, "no first stories within 10 s (error: %s)",
                  err ? err : "none");
            l->phase = DONE;
        }
    } else if (l->phase == FAULT) {
        if (err) {
            l->fault_ms = now - l->t0;
            util_strlcpy(l->error, err, sizeof(l->error));
            if (!matches(err, l->sc->expect))
                failf(l, "error '%s' does not say '%s'", err, l->sc->expect);
            if (l->sc->retry_after_s) {
                int64_t gap = it_status_time(st, 0, "next_attempt") -
                              it_status_time(st, 0, "last_attempt");
                /* The date form loses up to a second to rounding. */
                if (gap < l->sc->retry_after_s - 2)
                    failf(l,
                          "next attempt %lld s after the last, the "
                          "server asked for %d s",
                          (long long)gap, l->sc->retry_after_s);
            }
            if (lane_invariants(l, st) && !cache_unchanged(l))
                failf(l, "the cache file changed during the fault");
            write_route(l, "/files/good.json");
            l->phase = RECOVER;
            l->t0 = now;
            l->deadline = now + INTERVAL_REAL_MS + TIMEOUT_REAL_MS + SLACK_MS +
                          l->sc->retry_after_s * 1000 / SCALE;
        } else if (now > l->deadline) {
            failf(l, "no error in the status file after %lld ms",
                  (long long)(now - l->t0));
            write_route(l, "/files/good.json");
            lane_start_scenario(l);
        } else if (st) {
            lane_invariants(l, st);
        }
    } else if (l->phase == RECOVER) {
        if (ok) {
            int64_t took = now - l->t0;
            bool same = cache_unchanged(l);
            if (!same)
                failf(l, "the cache file changed after recovery");
            lane_invariants(l, st);
            /* The stories did not change, so recovery is a 304 whenever
             * the last good answer carried validators. */
            double code = it_status_num(st, 0, "http_status");
            if (code != 304)
                failf(l, "recovered with HTTP %.0f, not 304", code);
            buf_appendf(&report,
                        "  %-36s error after %5lld ms: \"%s\"; recovered "
                        "after %5lld ms (HTTP %.0f); %d stories kept; cache "
                        "%s\n",
                        l->sc->name, (long long)l->fault_ms, l->error,
                        (long long)took, code, STORIES,
                        same ? "byte-identical" : "CHANGED");
            lane_start_scenario(l);
        } else if (now > l->deadline) {
            failf(l,
                  "not recovered %lld ms after the fault cleared (error: "
                  "%s)",
                  (long long)(now - l->t0), err ? err : "none");
            lane_start_scenario(l);
        }
    }
    it_status_free(st);
}

/* The good document as UTF-16LE with a byte order mark: no byte of it is
 * valid UTF-8 structure for a JSON parser. */
static char *
utf16le(const char *s, size_t *len)
{
    size_t n = strlen(s);
    char *out = xmalloc(2 * n + 2);
    out[0] = (char)0xff;
    out[1] = (char)0xfe;
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = s[i];
        out[3 + 2 * i] = 0;
    }
    *len = 2 * n + 2;
    return out;
}

static void
test_fault_matrix(void **state)
{
    (void)state;
    buf_init(&failures);
    buf_init(&report);
    buf_appends(&failures, "");
    char *good = it_newsapi_doc("good", STORIES, (int64_t)time(NULL));
    size_t u16_len;
    char *u16 = utf16le(good, &u16_len);
    Lane lanes[LANES];
    for (int i = 0; i < LANES; i++)
        lane_setup(&lanes[i], i, good, u16, u16_len);
    int64_t give_up = it_now_ms() + 150000;
    for (;;) {
        bool busy = false;
        for (int i = 0; i < LANES; i++) {
            lane_step(&lanes[i]);
            busy = busy || lanes[i].phase != DONE;
        }
        if (!busy || it_now_ms() > give_up)
            break;
        it_sleep_ms(40);
    }
    for (int i = 0; i < LANES; i++) {
        Lane *l = &lanes[i];
        if (l->phase != DONE)
            failf(l, "the matrix did not finish in time");
        int took = 0;
        int rc = l->screen.pid > 0 ? it_screen_stop(&l->screen, &took) : -1;
        if (rc != 0)
            failf(l, "exit status %d at the end", rc);
        it_httpd_stop(l->httpd);
        it_screen_free(&l->screen);
        free(l->root);
        free(l->cache_file);
        free(l->baseline);
    }
    printf("fault matrix (%zu scenarios, %d lanes):\n%s", ARRAY_LEN(SCENARIOS),
           LANES, report.data ? report.data : "");
    free(good);
    free(u16);
    buf_deinit(&report);
    if (failures.len)
        fail_msg("%s", failures.data);
    buf_deinit(&failures);
}

static void
test_sigterm_during_stalled_download(void **state)
{
    (void)state;
    char *root = it_path("stall-root");
    mkdir(root, 0755);
    char *p = xasprintf("%s/good.json", root);
    char *doc = it_newsapi_doc("good", STORIES, (int64_t)time(NULL));
    assert_true(it_write_file(p, doc));
    char *logp = xasprintf("%s/requests.log", root);
    int port;
    int httpd = it_httpd_start_opts(root, logp, 0, &port);
    assert_true(httpd > 0);
    char *url = xasprintf("http://127.0.0.1:%d/stall/good.json", port);
    static const char *const sets[] = {"fetch.timeout_s=120",
                                       "kiosk.fetch_stall_s=300", NULL};
    ItScreen s;
    assert_true(it_screen_start(&s, "stall", url, 1, sets, NULL));
    /* Wait until the server has answered the headers and stalls. */
    size_t n = 0;
    for (int i = 0; i < 200 && n == 0; i++) {
        char *log = it_read_file(logp, &n);
        free(log);
        if (n == 0)
            it_sleep_ms(25);
    }
    assert_true(n > 0);
    it_sleep_ms(300); /* well inside the transfer */
    int took = 0;
    int rc = it_screen_stop(&s, &took);
    printf("SIGTERM during a stalled download: exit %d after %d ms\n", rc,
           took);
    assert_int_equal(rc, 0);
    assert_true(took < 2000);
    /* The status file got its last write on the way out. */
    void *st = it_status_read(s.status);
    assert_non_null(st);
    assert_true(it_status_num(st, -1, "frames") > 0);
    assert_non_null(it_status_str(st, -1, "written"));
    it_status_free(st);
    it_screen_free(&s);
    it_httpd_stop(httpd);
    free(url);
    free(logp);
    free(doc);
    free(p);
    free(root);
}

/* Proxies: from the environment (http_proxy) and from fetch.proxy. The
 * feed's host does not exist; only the proxy can answer. */
static void
test_proxies(void **state)
{
    (void)state;
    char *root = it_path("proxy-root");
    mkdir(root, 0755);
    char *p = xasprintf("%s/good.json", root);
    char *doc = it_newsapi_doc("proxied", STORIES, (int64_t)time(NULL));
    assert_true(it_write_file(p, doc));
    char *logp = xasprintf("%s/requests.log", root);
    int port;
    int httpd = it_httpd_start_opts(root, logp, 0, &port);
    assert_true(httpd > 0);
    const char *url = "http://feeds.example.invalid/files/good.json";
    char *env_proxy = xasprintf("http_proxy=http://127.0.0.1:%d", port);
    char *set_proxy = xasprintf("fetch.proxy=http://127.0.0.1:%d", port);
    const char *env[] = {env_proxy, NULL};
    const char *sets[] = {set_proxy, NULL};
    for (int round = 0; round < 2; round++) {
        ItScreen s;
        assert_true(it_screen_start(&s, round ? "proxy-set" : "proxy-env", url,
                                    SCALE, round ? sets : NULL,
                                    round ? NULL : env));
        void *st = NULL;
        for (int i = 0; i < 200; i++) {
            st = it_status_read(s.status);
            if (st && it_status_num(st, -1, "stories_shown") == STORIES)
                break;
            it_status_free(st);
            st = NULL;
            it_sleep_ms(40);
        }
        if (!st)
            fail_msg("no stories through the %s proxy (log %s)",
                     round ? "configured" : "environment's", s.log);
        it_status_free(st);
        assert_int_equal(it_screen_stop(&s, NULL), 0);
        it_screen_free(&s);
    }
    char *log = it_read_file(logp, NULL);
    assert_non_null(log);
    printf("proxies: both runs fetched through 127.0.0.1:%d\n", port);
    assert_non_null(strstr(log, "GET\t/files/good.json"));
    free(log);
    it_httpd_stop(httpd);
    free(env_proxy);
    free(set_proxy);
    free(logp);
    free(doc);
    free(p);
    free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_matrix),
        cmocka_unit_test(test_sigterm_during_stalled_download),
        cmocka_unit_test(test_proxies),
    };
    int rc = cmocka_run_group_tests_name("faults", tests, NULL, NULL);
    if (rc == 0)
        it_tmpdir_remove();
    return rc;
}
