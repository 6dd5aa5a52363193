/*
 * it_kiosk: runs the real binary the way systemd and an operator would.
 *
 *  - A fake NOTIFY_SOCKET (a datagram socket this test binds) receives
 *    READY=1, WATCHDOG=1 at most half of WATCHDOG_USEC apart, no more pings
 *    once the fetch thread hangs (NEWSWIRE_TEST_FREEZE_FETCH_S, a test-only
 *    hook), and STOPPING=1 on SIGTERM; without systemd nothing changes.
 *  - The control socket: every command through the real `newswire ctl`
 *    client and through raw connections, malformed and oversized requests,
 *    clients that connect and never send, more clients than slots.
 *  - SIGHUP with a good and with a broken config; SIGTERM and SIGINT during
 *    a download the loopback server stalls; the display schedule's off
 *    state; kiosk-mode keys through SDL's real event queue; the video
 *    driver chain's log when no driver works.
 * Deadlines asserted here are the ones the service contract states
 * (exit within 2 s, pings at most WATCHDOG_USEC / 2 apart).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <cJSON.h>
#include <cmocka.h>

#include "control.h"
#include "display.h"
#include "ittools.h"
#include "keycombo.h"
#include "util.h"

#define WATCHDOG_USEC 1000000

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

/* ---- the process under test ---- */

typedef struct Proc {
    pid_t pid;
    char *err_path; /* its stderr */
    int64_t started_ms;
} Proc;

/* Processes still running, killed after each test so that a failed
 * assertion leaves nothing behind. */
static pid_t live[8];

static void
live_set(pid_t old, pid_t now)
{
    for (size_t i = 0; i < ARRAY_LEN(live); i++) {
        if (live[i] == old) {
            live[i] = now;
            return;
        }
    }
}

static int
kill_leftovers(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(live); i++) {
        if (live[i] > 0) {
            kill(live[i], SIGKILL);
            waitpid(live[i], NULL, 0);
            live[i] = 0;
        }
    }
    return 0;
}

/* Starts newswire with args (NULL-terminated) and extra environment
 * entries "NAME=value" (NAME= alone unsets NAME). */
static Proc
start(const char *const *args, const char *const *env)
{
    static int n;
    Proc p = {0};
    char name[32];
    snprintf(name, sizeof(name), "stderr-%d.txt", ++n);
    p.err_path = it_path(name);
    p.started_ms = now_ms();
    p.pid = fork();
    assert_true(p.pid >= 0);
    if (p.pid == 0) {
        int fd = open(p.err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_RDWR);
        dup2(fd, 2);
        dup2(null, 1);
        dup2(null, 0);
        unsetenv("NOTIFY_SOCKET");
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
        setenv("TZ", "UTC", 1);
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            char *key = xstrndup(env[i], (size_t)(eq - env[i]));
            if (eq[1])
                setenv(key, eq + 1, 1);
            else
                unsetenv(key);
            free(key);
        }
        const char *argv[40] = {it_bin()};
        size_t k = 1;
        for (size_t i = 0; args[i] && k < ARRAY_LEN(argv) - 1; i++)
            argv[k++] = args[i];
        argv[k] = NULL;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    live_set(0, p.pid);
    return p;
}

/* Waits for the exit; -1 (and SIGKILL) after timeout_ms. */
static int
wait_exit(Proc *p, int timeout_ms, int64_t *took_ms)
{
    int64_t t0 = now_ms();
    for (;;) {
        int st;
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == p->pid) {
            live_set(p->pid, 0);
            if (took_ms)
                *took_ms = now_ms() - t0;
            p->pid = 0;
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        if (now_ms() - t0 > timeout_ms) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, NULL, 0);
            live_set(p->pid, 0);
            p->pid = 0;
            return -1;
        }
        sleep_ms(10);
    }
}

static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    Buf b;
    buf_init(&b);
    buf_appends(&b, "");
    if (f) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            buf_append(&b, chunk, n);
        fclose(f);
    }
    return buf_steal(&b);
}

/* Stops p with SIGTERM; it must exit 0 within 2 s. */
static void
stop_ok(Proc *p)
{
    int64_t took = 0;
    kill(p->pid, SIGTERM);
    int rc = wait_exit(p, 5000, &took);
    if (rc != 0 || took > 2000) {
        char *err = read_text(p->err_path);
        fail_msg("SIGTERM: exit %d after %lld ms; stderr:\n%s", rc,
                 (long long)took, err);
    }
    free(p->err_path);
}

static bool
stderr_has(const Proc *p, const char *needle)
{
    char *err = read_text(p->err_path);
    bool has = strstr(err, needle) != NULL;
    free(err);
    return has;
}

/* Polls p's stderr until it contains needle (true) or timeout_ms passes. */
static bool
wait_stderr(const Proc *p, const char *needle, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        if (stderr_has(p, needle))
            return true;
        sleep_ms(20);
    }
    return stderr_has(p, needle);
}

/* ---- the control socket ---- */

static char *
ctl(const char *sock, const char *request)
{
    Buf reply;
    buf_init(&reply);
    char err[256];
    if (control_request(sock, request, 5000, &reply, err, sizeof(err)) < 0) {
        buf_deinit(&reply);
        return NULL;
    }
    return buf_steal(&reply);
}

static void
ctl_expect(const char *sock, const char *request, const char *prefix)
{
    char *r = ctl(sock, request);
    if (!r || strncmp(r, prefix, strlen(prefix)) != 0)
        fail_msg("'%s' answered '%s', want '%s...'", request, r ? r : "(none)",
                 prefix);
    free(r);
}

static cJSON *
status(const char *sock)
{
    char *r = ctl(sock, "status");
    if (!r)
        fail_msg("no status from %s", sock);
    cJSON *o = cJSON_Parse(r);
    if (!o)
        fail_msg("status is not JSON: %s", r);
    free(r);
    return o;
}

static const cJSON *
field(const cJSON *o, const char *path)
{
    char *copy = xstrdup(path);
    const cJSON *cur = o;
    char *save = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && cur;
         k = strtok_r(NULL, ".", &save))
        cur = cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, atoi(k))
                                 : cJSON_GetObjectItemCaseSensitive(cur, k);
    free(copy);
    if (!cur)
        fail_msg("status has no %s", path);
    return cur;
}

static double
status_num(const char *sock, const char *path)
{
    cJSON *o = status(sock);
    double v = field(o, path)->valuedouble;
    cJSON_Delete(o);
    return v;
}

/* Waits until the status field path holds the string want. */
static bool
wait_status_str(const char *sock, const char *path, const char *want,
                int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        cJSON *o = status(sock);
        const cJSON *f = field(o, path);
        bool ok = cJSON_IsString(f) && !strcmp(f->valuestring, want);
        cJSON_Delete(o);
        if (ok)
            return true;
        if (now_ms() > end)
            return false;
        sleep_ms(50);
    }
}

static bool
wait_socket(const char *sock, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        char *r = ctl(sock, "help");
        if (r) {
            free(r);
            return true;
        }
        sleep_ms(20);
    }
    return false;
}

static int
connect_raw(const char *sock)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    util_strlcpy(sa.sun_path, sock, sizeof(sa.sun_path));
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* Everything the server sends until it closes, within timeout_ms. */
static char *
read_all(int fd, int timeout_ms)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, "");
    int64_t end = now_ms() + timeout_ms;
    struct timeval tv = {0, 100000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    while (now_ms() < end) {
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n == 0)
            break;
        if (n > 0)
            buf_append(&b, chunk, (size_t)n);
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            break;
    }
    return buf_steal(&b);
}

static char *
raw_request(const char *sock, const char *data, size_t len)
{
    int fd = connect_raw(sock);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    char *r = read_all(fd, 5000);
    close(fd);
    return r;
}

/* ---- the fake NOTIFY_SOCKET ---- */

typedef struct Msg {
    int64_t t_ms; /* since the process started */
    char text[256];
} Msg;

typedef struct Notify {
    int fd;
    char *path;
    Msg msgs[512];
    size_t count;
} Notify;

static Notify *
notify_open(const char *name)
{
    Notify *n = xcalloc(1, sizeof(Notify));
    n->path = it_path(name);
    unlink(n->path);
    n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    util_strlcpy(sa.sun_path, n->path, sizeof(sa.sun_path));
    assert_int_equal(bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    struct timeval tv = {0, 20000};
    setsockopt(n->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return n;
}

static void
notify_close(Notify *n)
{
    close(n->fd);
    unlink(n->path);
    free(n->path);
    free(n);
}

/* Collects datagrams for ms milliseconds (or until p exits when wait_exit
 * is wanted separately). */
static void
notify_collect(Notify *n, const Proc *p, int ms)
{
    int64_t end = now_ms() + ms;
    while (now_ms() < end) {
        char buf[256];
        ssize_t len = recv(n->fd, buf, sizeof(buf) - 1, 0);
        if (len <= 0 || n->count == ARRAY_LEN(n->msgs))
            continue;
        buf[len] = '\0';
        Msg *m = &n->msgs[n->count++];
        m->t_ms = now_ms() - p->started_ms;
        util_strlcpy(m->text, buf, sizeof(m->text));
    }
}

static int
notify_find(const Notify *n, const char *needle, size_t from)
{
    for (size_t i = from; i < n->count; i++) {
        if (strstr(n->msgs[i].text, needle))
            return (int)i;
    }
    return -1;
}

/* ---- tests ---- */

static void
test_notify_ready_watchdog_stopping(void **state)
{
    (void)state;
    Notify *n = notify_open("notify1.sock");
    char *env_sock = xasprintf("NOTIFY_SOCKET=%s", n->path);
    char *env_usec = xasprintf("WATCHDOG_USEC=%d", WATCHDOG_USEC);
    const char *env[] = {env_sock, env_usec, NULL};
    const char *args[] = {"--headless",      "-c", "/dev/null", "--set",
                          "control.socket=", NULL};
    Proc p = start(args, env);
    notify_collect(n, &p, 3000);
    int ready = notify_find(n, "READY=1", 0);
    if (ready < 0)
        fail_msg("no READY=1 in %zu messages", n->count);
    /* Ping spacing from READY on: at most half of WATCHDOG_USEC. */
    int64_t last = n->msgs[ready].t_ms;
    int pings = 0;
    int64_t max_gap = 0;
    for (size_t i = (size_t)ready + 1; i < n->count; i++) {
        if (strcmp(n->msgs[i].text, "WATCHDOG=1") != 0)
            continue;
        max_gap = MAX(max_gap, n->msgs[i].t_ms - last);
        last = n->msgs[i].t_ms;
        pings++;
    }
    max_gap = MAX(max_gap, 3000 - 100 - last); /* no ping lately counts too */
    if (pings < 4 || max_gap > WATCHDOG_USEC / 2000)
        fail_msg("%d pings, largest gap %lld ms (limit %d ms)", pings,
                 (long long)max_gap, WATCHDOG_USEC / 2000);
    assert_true(stderr_has(&p, "systemd watchdog: 1.0 s"));

    kill(p.pid, SIGTERM);
    size_t before = n->count;
    notify_collect(n, &p, 300);
    int64_t took;
    int rc = wait_exit(&p, 5000, &took);
    notify_collect(n, &p, 50);
    assert_int_equal(rc, 0);
    assert_true(took <= 2000);
    if (notify_find(n, "STOPPING=1", before) < 0)
        fail_msg("no STOPPING=1 after SIGTERM");
    free(p.err_path);
    free(env_sock);
    free(env_usec);
    notify_close(n);
}

static void
test_watchdog_stops_when_fetch_thread_hangs(void **state)
{
    (void)state;
    Notify *n = notify_open("notify2.sock");
    char *env_sock = xasprintf("NOTIFY_SOCKET=%s", n->path);
    char *env_usec = xasprintf("WATCHDOG_USEC=%d", WATCHDOG_USEC);
    const char *env[] = {env_sock, env_usec, "NEWSWIRE_TEST_FREEZE_FETCH_S=1",
                         NULL};
    const char *args[] = {"--headless",
                          "-c",
                          "/dev/null",
                          "--set",
                          "control.socket=",
                          "--set",
                          "fetch.timeout_s=1",
                          "--set",
                          "kiosk.fetch_stall_s=2",
                          NULL};
    Proc p = start(args, env);
    /* Frozen at ~1 s, stale after 2 s more: pings end by ~3.5 s. */
    notify_collect(n, &p, 6000);
    int early = 0, late = 0;
    for (size_t i = 0; i < n->count; i++) {
        if (strcmp(n->msgs[i].text, "WATCHDOG=1") != 0)
            continue;
        early += n->msgs[i].t_ms < 2000;
        late += n->msgs[i].t_ms > 4500;
    }
    if (early < 3 || late != 0)
        fail_msg("pings before 2 s: %d (want >= 3), after 4.5 s: %d (want 0)",
                 early, late);
    assert_true(stderr_has(&p, "fetch thread stuck for more than 2 s"));
    /* The process itself still answers signals and says it stops. */
    size_t before = n->count;
    stop_ok(&p);
    notify_collect(n, &p, 50);
    assert_true(notify_find(n, "STOPPING=1", before) >= 0);
    free(env_sock);
    free(env_usec);
    notify_close(n);
}

static void
test_runs_without_systemd(void **state)
{
    (void)state;
    /* No NOTIFY_SOCKET at all, then one that leads nowhere. */
    const char *args[] = {
        "--headless",      "-c",           "/dev/null", "--set",
        "control.socket=", "--exit-after", "0.5",       NULL};
    Proc p = start(args, NULL);
    assert_int_equal(wait_exit(&p, 10000, NULL), 0);
    free(p.err_path);
    char *bad = it_path("missing-dir/notify.sock");
    char *env_sock = xasprintf("NOTIFY_SOCKET=%s", bad);
    const char *env[] = {env_sock, "WATCHDOG_USEC=1000000", NULL};
    p = start(args, env);
    assert_int_equal(wait_exit(&p, 10000, NULL), 0);
    free(p.err_path);
    free(bad);
    free(env_sock);
}

/* A config with one file:// feed and the control socket in the temp dir. */
static char *
write_config(const char *name, const char *feed_name, const char *feed_path,
             const char *sock, const char *extra)
{
    char *path = it_path(name);
    char *text = xasprintf("[feed.%s]\nurl = file://%s\n"
                           "[control]\nsocket = %s\n%s",
                           feed_name, feed_path, sock, extra ? extra : "");
    assert_true(it_write_file(path, text));
    free(text);
    return path;
}

static char *
newsapi_doc(int n)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, "{\"status\":\"ok\",\"articles\":[");
    for (int i = 0; i < n; i++)
        buf_appendf(&b,
                    "%s{\"source\":{\"name\":\"Wire\"},\"title\":\"Story "
                    "%d\",\"url\":\"https://example.com/%d\"}",
                    i ? "," : "", i, i);
    buf_appends(&b, "]}");
    return buf_steal(&b);
}

static void
test_control_commands(void **state)
{
    (void)state;
    char *sock = it_path("ctl1.sock");
    char *feed = it_path("ctl1.json");
    char *doc = newsapi_doc(2);
    assert_true(it_write_file(feed, doc));
    free(doc);
    char *conf = write_config("ctl1.conf", "wire", feed, sock, NULL);
    const char *args[] = {"--headless", "-c", conf, NULL};
    Proc p = start(args, NULL);
    assert_true(wait_socket(sock, 5000));

    /* The socket is for the owner and its group only. */
    struct stat st;
    assert_int_equal(stat(sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0660);

    cJSON *o = status(sock);
    assert_string_equal(field(o, "screen")->valuestring, "on");
    assert_false(cJSON_IsTrue(field(o, "paused")));
    assert_true(cJSON_IsNull(field(o, "banner")));
    assert_string_equal(field(o, "config")->valuestring, conf);
    cJSON_Delete(o);
    assert_true(wait_status_str(sock, "feeds.0.name", "wire", 100));

    ctl_expect(sock, "next", "ok");
    ctl_expect(sock, "next", "ok");
    ctl_expect(sock, "prev", "ok");
    assert_int_equal((int)status_num(sock, "card_step"), 1);
    ctl_expect(sock, "pause", "ok paused");
    o = status(sock);
    assert_true(cJSON_IsTrue(field(o, "paused")));
    cJSON_Delete(o);
    ctl_expect(sock, "resume", "ok resumed");
    o = status(sock);
    assert_false(cJSON_IsTrue(field(o, "paused")));
    cJSON_Delete(o);
    ctl_expect(sock, "help", "ok commands: next, prev");

    /* refresh: the changed feed file is read now, not in 300 s. */
    assert_int_equal((int)status_num(sock, "stories"), 2);
    doc = newsapi_doc(3);
    assert_true(it_write_file(feed, doc));
    free(doc);
    ctl_expect(sock, "refresh", "ok");
    int64_t end = now_ms() + 3000;
    while ((int)status_num(sock, "stories") != 3 && now_ms() < end)
        sleep_ms(50);
    assert_int_equal((int)status_num(sock, "stories"), 3);

    /* breaking: shown, then gone by itself. */
    ctl_expect(sock, "breaking \"Storm warning\" 1", "ok breaking for 1 s");
    assert_true(wait_status_str(sock, "banner.text", "Storm warning", 100));
    end = now_ms() + 4000;
    for (;;) {
        o = status(sock);
        bool gone = cJSON_IsNull(field(o, "banner"));
        cJSON_Delete(o);
        if (gone)
            break;
        if (now_ms() > end)
            fail_msg("the 1 s banner is still shown after 4 s");
        sleep_ms(50);
    }
    assert_true(stderr_has(&p, "breaking banner expired"));
    ctl_expect(sock, "breaking Flood alert", "ok breaking for 300 s");
    assert_true(wait_status_str(sock, "banner.text", "Flood alert", 100));
    ctl_expect(sock, "clear", "ok cleared");
    o = status(sock);
    assert_true(cJSON_IsNull(field(o, "banner")));
    cJSON_Delete(o);

    ctl_expect(sock, "reload", "ok reloaded");
    assert_true(stderr_has(&p, "configuration reloaded from"));

    /* The real client, `newswire ctl`. */
    const char *argv1[] = {it_bin(), "ctl", "--socket", sock, "pause", NULL};
    RunResult r = it_run(argv1, NULL, 10);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "ok paused\n");
    it_result_free(&r);
    const char *argv2[] = {it_bin(),   "ctl",    "-c", conf,
                           "breaking", "Apollo", "11", NULL};
    r = it_run(argv2, NULL, 10);
    assert_int_equal(r.status, 0);
    it_result_free(&r);
    assert_true(wait_status_str(sock, "banner.text", "Apollo", 100));
    const char *argv3[] = {it_bin(), "ctl", "-c", conf, "status", NULL};
    r = it_run(argv3, NULL, 10);
    assert_int_equal(r.status, 0);
    o = cJSON_Parse(r.out);
    assert_non_null(o);
    assert_true(cJSON_IsTrue(field(o, "paused")));
    assert_int_equal(field(o, "banner.expires_in_s")->valueint, 11);
    cJSON_Delete(o);
    it_result_free(&r);
    const char *argv4[] = {it_bin(), "ctl", "--socket", sock, "jump", NULL};
    r = it_run(argv4, NULL, 10);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown command 'jump'"));
    it_result_free(&r);
    char *nowhere = it_path("nobody.sock");
    const char *argv5[] = {it_bin(), "ctl", "--socket", nowhere, "next", NULL};
    r = it_run(argv5, NULL, 10);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is newswire running"));
    it_result_free(&r);
    free(nowhere);

    stop_ok(&p);
    /* The socket file goes with the process. */
    assert_int_equal(access(sock, F_OK), -1);
    free(conf);
    free(feed);
    free(sock);
}

static void
expect_raw(const char *sock, const char *data, size_t len, const char *want)
{
    char *r = raw_request(sock, data, len);
    if (strncmp(r, want, strlen(want)) != 0 || r[strlen(r) - 1] != '\n')
        fail_msg("request '%.20s' (%zu bytes): answer '%s', want '%s'", data,
                 len, r, want);
    free(r);
}

static void
test_control_bad_requests(void **state)
{
    (void)state;
    char *sock = it_path("ctl2.sock");
    char *feed = it_fixture_url("newsapi-ok.json");
    char *conf = write_config("ctl2.conf", "wire", feed + 7, sock, NULL);
    const char *args[] = {"--headless", "-c", conf, NULL};
    Proc p = start(args, NULL);
    assert_true(wait_socket(sock, 5000));

    expect_raw(sock, "bogus\n", 6, "error: unknown command 'bogus'");
    expect_raw(sock, "\n", 1, "error: empty request");
    expect_raw(sock, "breaking\n", 9, "error: breaking needs a TEXT");
    expect_raw(sock, "breaking \"open\n", 15, "error: breaking: the quoted");
    expect_raw(sock, "breaking x 0\n", 13, "error: SECONDS must be");
    expect_raw(sock, "next now\n", 9, "error: 'next' takes no arguments");
    expect_raw(sock, "next\0junk\n", 10, "error: the request contains a NUL");
    expect_raw(sock, "\xff\xfe\x01\n", 4, "error: unknown command");
    /* Without a newline, ended by the client's half-close. */
    int fd = connect_raw(sock);
    assert_int_equal(write(fd, "next", 4), 4);
    shutdown(fd, SHUT_WR);
    char *r = read_all(fd, 5000);
    assert_string_equal(r, "ok next\n");
    free(r);
    close(fd);

    /* Oversized: with and without a newline, just over and far over. */
    size_t sizes[] = {CTL_REQUEST_MAX + 1, 10000, 300000};
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        char *big = xmalloc(sizes[i]);
        memset(big, 'a', sizes[i]);
        big[sizes[i] - 1] = '\n';
        expect_raw(sock, big, sizes[i], "error: request longer than 4096");
        big[sizes[i] - 1] = 'a';
        expect_raw(sock, big, sizes[i], "error: request longer than 4096");
        free(big);
    }
    /* Exactly the limit, newline included, is a request (a bad one). */
    char *edge = xmalloc(CTL_REQUEST_MAX);
    memset(edge, 'a', CTL_REQUEST_MAX);
    edge[CTL_REQUEST_MAX - 1] = '\n';
    expect_raw(sock, edge, CTL_REQUEST_MAX, "error: unknown command 'aaaa");
    free(edge);

    /* Clients that connect and never send (or stop mid-line) hold a slot
     * for a while, then are told so and closed; the rest are served. */
    int idle[CONTROL_CLIENTS_MAX];
    for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
        idle[i] = connect_raw(sock);
        if (i == 0)
            assert_int_equal(write(idle[i], "stat", 4), 4);
    }
    sleep_ms(300); /* let the server take them all */
    int extra = connect_raw(sock);
    r = read_all(extra, 3000);
    assert_string_equal(r, "error: busy, try again\n");
    free(r);
    close(extra);
    int64_t t0 = now_ms();
    for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
        r = read_all(idle[i], 6000);
        assert_string_equal(r, "error: no request in time\n");
        free(r);
        close(idle[i]);
    }
    assert_true(now_ms() - t0 < 6000);
    /* Everything still works, and the frame loop never waited. */
    double frames = status_num(sock, "frames");
    assert_true(frames > 60);
    ctl_expect(sock, "next", "ok next");
    assert_true(stderr_has(&p, "control: refused a request"));
    /* The start-up log gives the display's rate as measured. */
    assert_true(wait_stderr(&p, "measured refresh: ", 3000));
    stop_ok(&p);
    free(conf);
    free(feed);
    free(sock);
}

static void
test_sighup_good_and_broken_config(void **state)
{
    (void)state;
    char *sock = it_path("hup.sock");
    char *feed = it_fixture_url("newsapi-ok.json");
    char *conf = write_config("hup.conf", "alpha", feed + 7, sock, NULL);
    const char *args[] = {"--headless", "-c", conf, NULL};
    Proc p = start(args, NULL);
    assert_true(wait_socket(sock, 5000));
    assert_true(wait_status_str(sock, "feeds.0.name", "alpha", 3000));

    /* A good config: the new feed replaces the old one. */
    free(write_config("hup.conf", "beta", feed + 7, sock, NULL));
    kill(p.pid, SIGHUP);
    assert_true(wait_status_str(sock, "feeds.0.name", "beta", 3000));
    assert_true(wait_stderr(&p, "configuration reloaded from", 1000));

    /* A broken one: refused with file:line, the running one stays. */
    char *broken = xasprintf("[feed.gamma]\nurl = %s\n[crawl]\nspeed = 3\n"
                             "[control]\nsocket = %s\n",
                             feed, sock);
    assert_true(it_write_file(conf, broken));
    kill(p.pid, SIGHUP);
    char *want = xasprintf("%s:4: unknown key 'speed' in [crawl]; keeping the "
                           "configuration in force",
                           conf);
    if (!wait_stderr(&p, want, 3000)) {
        char *err = read_text(p.err_path);
        fail_msg("stderr lacks '%s':\n%s", want, err);
    }
    assert_true(wait_status_str(sock, "feeds.0.name", "beta", 100));
    /* The same through the control socket, which gets the reason. */
    char *reply = ctl(sock, "reload");
    assert_non_null(reply);
    assert_non_null(strstr(reply, "error: "));
    assert_non_null(strstr(reply, ":4: unknown key 'speed'"));
    free(reply);
    /* A value out of range is refused the same way. */
    free(write_config("hup.conf", "delta", feed + 7, sock,
                      "[schedule]\nmon = 7am\n"));
    ctl_expect(sock, "reload", "error: ");
    assert_true(wait_status_str(sock, "feeds.0.name", "beta", 100));
    free(write_config("hup.conf", "delta", feed + 7, sock, NULL));
    ctl_expect(sock, "reload", "ok reloaded");
    assert_true(wait_status_str(sock, "feeds.0.name", "delta", 3000));
    stop_ok(&p);
    free(want);
    free(broken);
    free(conf);
    free(feed);
    free(sock);
}

static void
test_signals_during_stalled_download(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    char *root = xasprintf("%s/tests/fixtures", cwd);
    int port;
    int httpd = it_httpd_start(root, &port);
    assert_true(httpd > 0);
    int sigs[] = {SIGTERM, SIGINT};
    for (size_t i = 0; i < ARRAY_LEN(sigs); i++) {
        char *sock = it_path(i ? "stall-int.sock" : "stall-term.sock");
        char *feed = xasprintf("--feed=http://127.0.0.1:%d/stall/"
                               "newsapi-ok.json",
                               port);
        char *sockset = xasprintf("control.socket=%s", sock);
        const char *args[] = {"--headless", "-c",
                              "/dev/null",  feed,
                              "--set",      sockset,
                              "--set",      "fetch.timeout_s=120",
                              "--set",      "kiosk.fetch_stall_s=300",
                              NULL};
        Proc p = start(args, NULL);
        assert_true(wait_socket(sock, 5000));
        /* The transfer is under way: the server has sent the headers and
         * holds the connection (fetch.timeout_s is 120 s). The fetch
         * thread waits on it without being busy, so no heartbeat check
         * here; the feed has no result yet. */
        sleep_ms(1500);
        assert_true(status_num(sock, "frames") > 10);
        int64_t took;
        kill(p.pid, sigs[i]);
        int rc = wait_exit(&p, 5000, &took);
        if (rc != 0 || took > 2000)
            fail_msg("%s during a stalled download: exit %d after %lld ms",
                     i ? "SIGINT" : "SIGTERM", rc, (long long)took);
        free(p.err_path);
        free(sockset);
        free(feed);
        free(sock);
    }
    it_httpd_stop(httpd);
    free(root);
}

static void
test_schedule_off_sleeps(void **state)
{
    (void)state;
    Notify *n = notify_open("notify3.sock");
    char *env_sock = xasprintf("NOTIFY_SOCKET=%s", n->path);
    const char *env[] = {env_sock, NULL};
    char *sock = it_path("off.sock");
    char *feed = it_fixture_url("newsapi-ok.json");
    char *conf = write_config("off.conf", "wire", feed + 7, sock,
                              "[schedule]\nmon = off\ntue = off\nwed = off\n"
                              "thu = off\nfri = off\nsat = off\nsun = off\n");
    const char *args[] = {"--headless", "-c", conf, NULL};
    Proc p = start(args, env);
    assert_true(wait_socket(sock, 5000));
    assert_true(wait_status_str(sock, "screen", "off", 2000));
    assert_true(stderr_has(&p, "screen off by schedule"));
    /* No frames while off, and yet systemd hears that we are up. */
    double f0 = status_num(sock, "frames");
    sleep_ms(1000);
    assert_true(status_num(sock, "frames") == f0);
    assert_true(f0 == 0);
    notify_collect(n, &p, 100);
    assert_true(notify_find(n, "READY=1", 0) >= 0);
    /* The control socket answers while the loop sleeps. */
    ctl_expect(sock, "next", "ok next");
    /* Reload to an always-on schedule: frames flow again. */
    free(write_config("off.conf", "wire", feed + 7, sock, NULL));
    kill(p.pid, SIGHUP);
    assert_true(wait_status_str(sock, "screen", "on", 3000));
    sleep_ms(300);
    assert_true(status_num(sock, "frames") > 0);
    assert_true(wait_stderr(&p, "screen on by schedule", 1000));
    stop_ok(&p);
    free(conf);
    free(feed);
    free(sock);
    free(env_sock);
    notify_close(n);
}

static AppEvent
press(Display *d, SDL_Keycode key, Uint16 mod)
{
    SDL_Event ev = {0};
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = key;
    ev.key.keysym.mod = mod;
    SDL_PushEvent(&ev);
    /* SDL 2.26 ends a poll at the sentinel of its previous pump, so an
     * event pushed now may only come out of the next poll. */
    AppEvent got = display_poll(d);
    return got != EV_NONE ? got : display_poll(d);
}

static void
test_kiosk_keys(void **state)
{
    (void)state;
    DisplayOpts o = {.mode = DISPLAY_HEADLESS,
                     .w = 320,
                     .h = 240,
                     .font_regular = "fonts/DejaVuSans.ttf",
                     .font_bold = "fonts/DejaVuSans-Bold.ttf"};
    char err[256];
    Display *d = display_open(&o, err, sizeof(err));
    if (!d)
        fail_msg("display_open: %s", err);
    KeyCombo quit;
    assert_int_equal(keycombo_parse("ctrl+alt+q", &quit, err, sizeof(err)), 0);
    display_set_kiosk(d, &quit);
    assert_int_equal(press(d, SDLK_q, 0), EV_NONE);
    assert_int_equal(press(d, SDLK_ESCAPE, 0), EV_NONE);
    assert_int_equal(press(d, SDLK_f, 0), EV_NONE);
    assert_int_equal(press(d, SDLK_q, KMOD_LCTRL), EV_NONE);
    assert_int_equal(press(d, SDLK_q, KMOD_LCTRL | KMOD_LALT | KMOD_LSHIFT),
                     EV_NONE);
    assert_int_equal(press(d, SDLK_SPACE, 0), EV_PAUSE);
    assert_int_equal(press(d, SDLK_RIGHT, 0), EV_NEXT);
    SDL_Event q = {.type = SDL_QUIT};
    SDL_PushEvent(&q);
    assert_int_equal(display_poll(d), EV_NONE);
    assert_int_equal(display_poll(d), EV_NONE);
    assert_int_equal(press(d, SDLK_q, KMOD_RCTRL | KMOD_LALT), EV_QUIT);
    /* No quit key at all. */
    KeyCombo none;
    assert_int_equal(keycombo_parse("", &none, err, sizeof(err)), 0);
    display_set_kiosk(d, &none);
    assert_int_equal(press(d, SDLK_q, KMOD_LCTRL | KMOD_LALT), EV_NONE);
    /* A window again: q quits. */
    display_set_kiosk(d, NULL);
    assert_int_equal(press(d, SDLK_q, 0), EV_QUIT);
    SDL_PushEvent(&q);
    AppEvent got = display_poll(d);
    assert_int_equal(got != EV_NONE ? got : display_poll(d), EV_QUIT);
    display_close(d);
}

static void
test_video_driver_chain_is_logged(void **state)
{
    (void)state;
    const char *argv[] = {
        it_bin(), "--window",        "-c",    "/dev/null",
        "--set",  "control.socket=", "--set", "kiosk.video_drivers=x11,wayland",
        NULL};
    const char *env[] = {"DISPLAY=", "WAYLAND_DISPLAY=", "XDG_RUNTIME_DIR=",
                         "SDL_VIDEODRIVER=", NULL};
    RunResult r = it_run(argv, env, 20);
    assert_int_equal(r.status, 1);
    const char *want[] = {
        "no video driver of the chain 'x11,wayland' works: x11: DISPLAY is "
        "not set; wayland: WAYLAND_DISPLAY is not set",
        "no display available",
    };
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        if (!strstr(r.err, want[i]))
            fail_msg("stderr lacks '%s':\n%s", want[i], r.err);
    }
    it_result_free(&r);
}

static void
test_help_and_man_page_tell_of_ctl(void **state)
{
    (void)state;
    const char *argv[] = {it_bin(), "--help", NULL};
    RunResult r = it_run(argv, NULL, 10);
    assert_int_equal(r.status, 0);
    const char *want[] = {"newswire ctl [-c FILE] [--socket PATH] COMMAND",
                          "breaking TEXT [SECONDS]", "SIGHUP reloads",
                          "kiosk.quit_key"};
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        if (!strstr(r.out, want[i]))
            fail_msg("--help lacks '%s'", want[i]);
    }
    it_result_free(&r);
    /* Every control command is documented where users look. */
    char *readme = read_text("README.md");
    char *man = read_text("docs/newswire.1");
    const char *cmds[] = {"next",    "prev",     "pause", "resume", "reload",
                          "refresh", "breaking", "clear", "status"};
    char *section = strstr(man, ".SH CONTROL");
    assert_non_null(section);
    char *end = strstr(section + 1, ".SH ");
    if (end)
        *end = '\0';
    for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
        if (!strstr(section, cmds[i]))
            fail_msg("docs/newswire.1's CONTROL section lacks '%s'", cmds[i]);
        if (!strstr(readme, cmds[i]))
            fail_msg("README.md does not mention '%s'", cmds[i]);
    }
    free(readme);
    free(man);
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_notify_ready_watchdog_stopping,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_watchdog_stops_when_fetch_thread_hangs,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_runs_without_systemd, kill_leftovers),
        cmocka_unit_test_teardown(test_control_commands, kill_leftovers),
        cmocka_unit_test_teardown(test_control_bad_requests, kill_leftovers),
        cmocka_unit_test_teardown(test_sighup_good_and_broken_config,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_signals_during_stalled_download,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_schedule_off_sleeps, kill_leftovers),
        cmocka_unit_test_teardown(test_kiosk_keys, kill_leftovers),
        cmocka_unit_test_teardown(test_video_driver_chain_is_logged,
                                  kill_leftovers),
        cmocka_unit_test(test_help_and_man_page_tell_of_ctl),
    };
    return cmocka_run_group_tests_name("kiosk", tests, NULL, NULL);
}
