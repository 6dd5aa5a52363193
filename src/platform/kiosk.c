/*
 * kiosk: signals, systemd, video driver chain, control commands, banner
 * and display schedule. See kiosk.h.
 *
 * Signal handlers only set a flag and write a byte to a pipe, so a
 * sleeping kiosk_idle() wakes at once; the work happens in kiosk_tick().
 * Once a quit is under way, a second SIGTERM/SIGINT or a shutdown that
 * takes longer than STOP_LIMIT_S ends the process on the spot.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <systemd/sd-daemon.h>

#include "control.h"
#include "ctlproto.h"
#include "keycombo.h"
#include "kiosk.h"
#include "log.h"
#include "schedule.h"
#include "version.h"

#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)
#define SCHEDULE_CHECK_NS NS_PER_S /* the schedule has minute resolution */
#define IDLE_MAX_NS NS_PER_S       /* longest sleep while the screen is off */
#define BIND_RETRY_NS (10 * NS_PER_S)
#define STOP_LIMIT_S 5 /* a shutdown that hangs longer is cut short */
#define AUTO_VIDEO_DRIVERS "x11,wayland,KMSDRM"

extern char **environ;

/* ---- signals ---- */

static volatile sig_atomic_t sig_quit;   /* SIGTERM or SIGINT seen */
static volatile sig_atomic_t sig_reload; /* SIGHUP seen */
static int sig_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGHUP) {
        sig_reload = 1;
    } else if (sig_quit) {
        static const char msg[] = "newswire: error: second signal while "
                                  "stopping; exiting now\n";
        if (write(2, msg, sizeof(msg) - 1) < 0) {
            /* nothing left to report to */
        }
        _exit(1);
    } else {
        sig_quit = sig;
    }
    if (write(sig_pipe[1], "s", 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static void
on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "newswire: error: shutdown took longer than "
                              "5 s; exiting now\n";
    if (write(2, msg, sizeof(msg) - 1) < 0) {
        /* nothing left to report to */
    }
    _exit(1);
}

static void
install_signals(void)
{
    if (sig_pipe[0] < 0 && pipe(sig_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(sig_pipe[i], F_SETFL,
                  fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

static void
drain_sig_pipe(void)
{
    char buf[64];
    while (sig_pipe[0] >= 0 && read(sig_pipe[0], buf, sizeof(buf)) > 0)
        ;
}

/* ---- state ---- */

typedef struct Settings {
    Schedule schedule;
    bool always_on;
    KeyCombo quit;
    int64_t fetch_stall_ms;
    int breaking_s;
    char socket[sizeof(((Config *)0)->control_socket)];
    char off_command[CONFIG_STR_MAX];
    char on_command[CONFIG_STR_MAX];
} Settings;

struct Kiosk {
    Settings set;
    bool kiosk_mode;
    bool headless;
    char config_path[PATH_MAX];
    Display *display;
    Fetcher *fetcher;
    int64_t started_ns;
    KioskFrame last; /* the latest frame, for status */

    /* systemd */
    uint64_t watchdog_usec; /* 0: no watchdog */
    int64_t ping_every_ns;
    int64_t next_ping_ns;
    bool ready_sent;
    bool stopping_sent;
    LogLatch fetch_latch;

    /* schedule */
    bool screen_on;
    int64_t next_check_ns;
    int64_t change_in_s; /* -1 never */
    pid_t command_pid;   /* on/off command still running; 0 none */
    LogLatch command_latch;

    /* control */
    ControlServer *ctl;
    int64_t next_bind_ns;
    LogLatch bind_latch;
    int reload_waiters[CONTROL_CLIENTS_MAX];
    int reload_waiter_count;
    KioskActions pending; /* from control requests, for the next tick */

    /* banner and status */
    char banner[CTL_TEXT_MAX + 1];
    int64_t banner_until_ns;
    FetchStatus fetch;
    bool has_fetch;
};

static int64_t
mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void
settings_from(Settings *s, const Config *cfg)
{
    const char *days[SCHEDULE_DAYS];
    for (int i = 0; i < SCHEDULE_DAYS; i++)
        days[i] = cfg->schedule_days[i];
    char err[256];
    /* Each day was checked as it was set; this cannot fail. */
    int rc = schedule_parse(&s->schedule, days, err, sizeof(err));
    ASSERT(rc == 0);
    s->always_on = schedule_always_on(&s->schedule);
    rc = keycombo_parse(cfg->quit_key, &s->quit, err, sizeof(err));
    ASSERT(rc == 0);
    s->fetch_stall_ms = (int64_t)cfg->fetch_stall_s * 1000;
    s->breaking_s = cfg->breaking_s;
    util_strlcpy(s->socket, cfg->control_socket, sizeof(s->socket));
    util_strlcpy(s->off_command, cfg->schedule_off_command,
                 sizeof(s->off_command));
    util_strlcpy(s->on_command, cfg->schedule_on_command,
                 sizeof(s->on_command));
}

/* ---- logging set-up ---- */

/* journald sets JOURNAL_STREAM to stderr's device:inode when it is
 * connected; then lines carry their priority. */
static void
setup_log(const Config *cfg)
{
    log_set_level((LogLevel)cfg->log_level);
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
        (unsigned long long)st.st_dev == dev &&
        (unsigned long long)st.st_ino == ino)
        log_set_priority_prefix(true);
}

/* ---- video driver chain ---- */

/* Why a driver cannot work here, without trying it (SDL 2.26 loses its
 * own reason when a driver fails); "" when it might. */
static void
driver_precheck(const char *name, char *why, size_t n)
{
    why[0] = '\0';
    if (!strcasecmp(name, "x11")) {
        const char *d = getenv("DISPLAY");
        if (!d || !*d)
            snprintf(why, n, "DISPLAY is not set");
    } else if (!strcasecmp(name, "wayland")) {
        const char *w = getenv("WAYLAND_DISPLAY");
        const char *rt = getenv("XDG_RUNTIME_DIR");
        char sock[PATH_MAX];
        snprintf(sock, sizeof(sock), "%s/wayland-0", rt ? rt : "");
        if ((!w || !*w) && (!rt || !*rt || access(sock, F_OK) != 0))
            snprintf(why, n, "WAYLAND_DISPLAY is not set");
    } else if (!strcasecmp(name, "kmsdrm")) {
        glob_t g;
        if (glob("/dev/dri/card*", 0, NULL, &g) != 0) {
            snprintf(why, n, "no /dev/dri/card* (no KMS driver loaded)");
            return;
        }
        snprintf(why, n, "cannot open %s: ", g.gl_pathv[0]);
        for (size_t i = 0; i < g.gl_pathc; i++) {
            int fd = open(g.gl_pathv[i], O_RDWR | O_CLOEXEC);
            if (fd >= 0) {
                close(fd);
                why[0] = '\0';
                break;
            }
            if (i == 0)
                snprintf(why + strlen(why), n - strlen(why), "%s%s",
                         strerror(errno),
                         errno == EACCES ? " (join the video group)" : "");
        }
        globfree(&g);
    }
}

/* Starts SDL video with the first driver of the chain that works, so
 * display_open() finds it running; logs what was tried and why each
 * failed. With none, display_open() reports there is no display. */
static void
start_video(const char *setting)
{
    const char *env = getenv("SDL_VIDEODRIVER");
    if (env && *env) {
        log_info("video driver from SDL_VIDEODRIVER: %s", env);
        return;
    }
    const char *chain =
        strcasecmp(setting, "auto") ? setting : AUTO_VIDEO_DRIVERS;
    Buf tried;
    buf_init(&tried);
    buf_appends(&tried, "");
    char *copy = xstrdup(chain);
    char *save = NULL;
    for (char *name = strtok_r(copy, ", ", &save); name;
         name = strtok_r(NULL, ", ", &save)) {
        char why[256];
        driver_precheck(name, why, sizeof(why));
        if (!why[0]) {
            /* Above an empty SDL_VIDEODRIVER in the environment. */
            SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, name,
                                    SDL_HINT_OVERRIDE);
            if (SDL_InitSubSystem(SDL_INIT_VIDEO) == 0) {
                log_info("video driver %s (chain %s%s%s)",
                         SDL_GetCurrentVideoDriver(), chain,
                         tried.len ? "; " : "", tried.data);
                buf_deinit(&tried);
                free(copy);
                return;
            }
            snprintf(why, sizeof(why), "SDL could not start it");
        }
        buf_appendf(&tried, "%s%s: %s", tried.len ? "; " : "", name, why);
    }
    /* Left to itself SDL would go on to its "offscreen" driver and show
     * nothing anywhere: keep it to the chain, so the start fails clearly. */
    char first[64];
    util_strlcpy(first, chain, sizeof(first));
    first[strcspn(first, ", ")] = '\0';
    SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, first, SDL_HINT_OVERRIDE);
    log_error("no video driver of the chain '%s' works: %s", chain, tried.data);
    buf_deinit(&tried);
    free(copy);
}

/* ---- control socket ---- */

static void
open_control(Kiosk *k, int64_t now_ns)
{
    k->next_bind_ns = now_ns + BIND_RETRY_NS;
    if (!k->set.socket[0])
        return;
    char err[300];
    k->ctl = control_open(k->set.socket, err, sizeof(err));
    if (!k->ctl) {
        log_fail(&k->bind_latch, LOG_WARN,
                 "control socket unavailable, retrying every %d s: %s",
                 (int)(BIND_RETRY_NS / NS_PER_S), err);
        return;
    }
    if (k->bind_latch.failing)
        log_recovered(&k->bind_latch, "control socket %s ready", k->set.socket);
    else
        log_info("control socket %s", k->set.socket);
}

/* One sd_notify message; nothing happens without NOTIFY_SOCKET. */
static void notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
notify(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    int rc = sd_notify(0, msg);
    if (rc < 0)
        log_debug("sd_notify: %s", strerror(-rc));
}

static int64_t
fetch_busy_ms(const Kiosk *k, int64_t now_ns)
{
    return k->fetcher ? fetcher_busy_ms(k->fetcher, now_ns / NS_PER_MS) : 0;
}

static char *
status_json(Kiosk *k)
{
    int64_t now = mono_ns();
    int64_t busy = fetch_busy_ms(k, now);
    CtlStatus st = {
        .version = NEWSWIRE_VERSION,
        .pid = (int64_t)getpid(),
        .wall_s = (int64_t)time(NULL),
        .uptime_s = (now - k->started_ns) / NS_PER_S,
        .screen_on = k->screen_on,
        .screen_change_in_s = k->change_in_s,
        .paused = k->last.paused,
        .card_step = k->last.card_step,
        .frames = k->last.frames,
        .dropped_frames = k->last.dropped,
        .stories = k->last.stories,
        .banner = k->banner[0] ? k->banner : NULL,
        .banner_left_s = (k->banner_until_ns - now + NS_PER_S - 1) / NS_PER_S,
        .fetch_busy_s = busy / 1000,
        .fetch_stalled = busy > k->set.fetch_stall_ms,
        .watchdog_usec = (int64_t)k->watchdog_usec,
        .config_path = k->config_path[0] ? k->config_path : NULL,
    };
    return ctl_status_json(&st, k->has_fetch ? &k->fetch : NULL);
}

static bool
on_command(void *ud, int id, const CtlCommand *cmd, Buf *reply)
{
    Kiosk *k = ud;
    KioskActions *p = &k->pending;
    switch (cmd->verb) {
    case CTL_NEXT:
        p->step++;
        buf_appends(reply, "ok next");
        break;
    case CTL_PREV:
        p->step--;
        buf_appends(reply, "ok prev");
        break;
    case CTL_PAUSE:
        p->pause = 1;
        buf_appends(reply, "ok paused");
        break;
    case CTL_RESUME:
        p->pause = -1;
        buf_appends(reply, "ok resumed");
        break;
    case CTL_REFRESH:
        p->refresh = true;
        buf_appends(reply, "ok fetching every feed now");
        break;
    case CTL_RELOAD:
        if (k->reload_waiter_count == CONTROL_CLIENTS_MAX) {
            buf_appends(reply, "error: busy, try again");
            break;
        }
        p->reload = true;
        k->reload_waiters[k->reload_waiter_count++] = id;
        return false; /* answered by kiosk_reloaded() */
    case CTL_BREAKING: {
        int s = cmd->seconds ? cmd->seconds : k->set.breaking_s;
        util_strlcpy(k->banner, cmd->text, sizeof(k->banner));
        k->banner_until_ns = mono_ns() + s * NS_PER_S;
        p->banner_changed = true;
        buf_appendf(reply, "ok breaking for %d s", s);
        break;
    }
    case CTL_CLEAR:
        if (k->banner[0])
            p->banner_changed = true;
        k->banner[0] = '\0';
        buf_appends(reply, "ok cleared");
        break;
    case CTL_STATUS: {
        char *json = status_json(k);
        buf_appends(reply, json);
        free(json);
        break;
    }
    case CTL_HELP:
        buf_appendf(reply, "ok commands: %s", CTL_USAGE);
        break;
    }
    return true;
}

/* ---- schedule ---- */

static void
run_command(Kiosk *k, const char *what, const char *command)
{
    if (!command[0])
        return;
    if (k->command_pid > 0) {
        log_warn("%s: the previous screen command (pid %d) is still "
                 "running; not starting '%s'",
                 what, (int)k->command_pid, command);
        return;
    }
    char *argv[] = {"/bin/sh", "-c", (char *)command, NULL};
    /* The command gets SIGPIPE back (ignored here) like any shell. */
    posix_spawnattr_t attr;
    sigset_t def;
    posix_spawnattr_init(&attr);
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        log_fail(&k->command_latch, LOG_WARN, "%s: cannot run '%s': %s", what,
                 command, strerror(rc));
        return;
    }
    log_debug("%s: started '%s' (pid %d)", what, command, (int)pid);
    k->command_pid = pid;
}

static void
reap_command(Kiosk *k)
{
    if (k->command_pid <= 0)
        return;
    int st;
    pid_t r = waitpid(k->command_pid, &st, WNOHANG);
    if (r == 0)
        return;
    k->command_pid = 0;
    if (r < 0)
        return;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        log_recovered(&k->command_latch, "screen on/off command works again");
    else
        log_fail(&k->command_latch, LOG_WARN,
                 "screen on/off command failed (%s %d); check "
                 "schedule.off_command and schedule.on_command",
                 WIFEXITED(st) ? "exit status" : "signal",
                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static void
format_change(int64_t in_s, char *buf, size_t n)
{
    if (in_s < 0) {
        snprintf(buf, n, "no change scheduled");
        return;
    }
    time_t at = time(NULL) + (time_t)in_s;
    struct tm tm;
    localtime_r(&at, &tm);
    char when[32];
    strftime(when, sizeof(when), "%a %H:%M", &tm);
    snprintf(buf, n, "until %s", when);
}

/* Applies the schedule at the current local time: blanks or lights the
 * screen when its state changes. */
static void
check_schedule(Kiosk *k, int64_t now_ns)
{
    k->next_check_ns = now_ns + SCHEDULE_CHECK_NS;
    bool on = true;
    k->change_in_s = -1;
    if (!k->set.always_on) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        int wd = schedule_weekday_from_tm(tm.tm_wday);
        int sec = tm.tm_hour * 3600 + tm.tm_min * 60 + MIN(tm.tm_sec, 59);
        on = schedule_is_on(&k->set.schedule, wd, sec);
        k->change_in_s = schedule_next_change_s(&k->set.schedule, wd, sec);
    }
    if (on == k->screen_on)
        return;
    k->screen_on = on;
    char until[64];
    format_change(k->change_in_s, until, sizeof(until));
    if (on) {
        log_info("screen on by schedule (%s)", until);
        if (k->display)
            display_blank(k->display, false);
        run_command(k, "schedule.on_command", k->set.on_command);
        notify("STATUS=Showing news");
    } else {
        log_info("screen off by schedule (%s)", until);
        if (k->display)
            display_blank(k->display, true);
        run_command(k, "schedule.off_command", k->set.off_command);
        notify("STATUS=Screen off by schedule (%s)", until);
        kiosk_presented(k); /* the black frame counts as the first */
    }
}

/* ---- public ---- */

Kiosk *
kiosk_new(const Config *cfg, const char *config_path, bool kiosk_mode,
          bool headless)
{
    Kiosk *k = xcalloc(1, sizeof(Kiosk));
    k->started_ns = mono_ns();
    k->kiosk_mode = kiosk_mode;
    k->headless = headless;
    k->screen_on = true;
    k->change_in_s = -1;
    if (config_path)
        util_strlcpy(k->config_path, config_path, sizeof(k->config_path));
    settings_from(&k->set, cfg);
    setup_log(cfg);
    sig_quit = 0;
    sig_reload = 0;
    install_signals();
    /* Our handlers, not SDL's (which would turn SIGTERM into SDL_QUIT and
     * leave SIGHUP to kill the process). */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (!headless)
        start_video(cfg->video_drivers);
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        k->watchdog_usec = usec;
        /* A third of the timeout: at most half even with a slow frame. */
        k->ping_every_ns = (int64_t)usec * 1000 / 3;
        log_info("systemd watchdog: %.1f s, pinging every %.1f s while the "
                 "fetch thread is responsive",
                 (double)usec / 1e6, (double)k->ping_every_ns / 1e9);
    }
    open_control(k, k->started_ns);
    return k;
}

void
kiosk_attach(Kiosk *k, Display *d, Fetcher *f)
{
    k->display = d;
    k->fetcher = f;
    if (d)
        display_set_kiosk(d, k->kiosk_mode ? &k->set.quit : NULL);
    if (k->kiosk_mode) {
        char combo[64];
        keycombo_format(&k->set.quit, combo, sizeof(combo));
        log_info("kiosk mode: full screen, no cursor, quit key %s", combo);
    }
}

void
kiosk_free(Kiosk *k)
{
    if (!k)
        return;
    if (!k->stopping_sent)
        notify("STOPPING=1");
    control_close(k->ctl);
    if (k->command_pid > 0)
        waitpid(k->command_pid, NULL, WNOHANG);
    free(k);
}

KioskActions
kiosk_tick(Kiosk *k, const KioskFrame *frame)
{
    KioskActions a = {0};
    int64_t now = frame->now_ns;
    k->last = *frame;
    if (sig_quit) {
        if (!k->stopping_sent) {
            log_info("%s received; stopping",
                     sig_quit == SIGINT ? "SIGINT" : "SIGTERM");
            notify("STOPPING=1");
            k->stopping_sent = true;
            alarm(STOP_LIMIT_S);
        }
        a.quit = true;
        return a;
    }
    if (sig_reload) {
        sig_reload = 0;
        drain_sig_pipe();
        log_info("SIGHUP received; reloading the configuration");
        a.reload = true;
    }
    if (k->ctl)
        control_service(k->ctl, now / NS_PER_MS, on_command, k);
    else if (k->set.socket[0] && now >= k->next_bind_ns)
        open_control(k, now);
    a.reload = a.reload || k->pending.reload;
    a.refresh = k->pending.refresh;
    a.pause = k->pending.pause;
    a.step = k->pending.step;
    a.banner_changed = k->pending.banner_changed;
    memset(&k->pending, 0, sizeof(k->pending));
    if (a.reload)
        notify("RELOADING=1\nSTATUS=Reloading the configuration");
    if (k->banner[0] && now >= k->banner_until_ns) {
        log_info("breaking banner expired");
        k->banner[0] = '\0';
        a.banner_changed = true;
    }
    reap_command(k);
    if (now >= k->next_check_ns)
        check_schedule(k, now);
    a.screen_off = !k->screen_on;
    if (k->watchdog_usec && now >= k->next_ping_ns) {
        int64_t busy = fetch_busy_ms(k, now);
        if (busy <= k->set.fetch_stall_ms) {
            notify("WATCHDOG=1");
            log_recovered(&k->fetch_latch, "fetch thread responsive again");
        } else {
            log_fail(&k->fetch_latch, LOG_ERROR,
                     "fetch thread stuck for more than %d s; withholding the "
                     "watchdog so that systemd restarts newswire",
                     (int)(k->set.fetch_stall_ms / 1000));
        }
        k->next_ping_ns = now + k->ping_every_ns;
    }
    return a;
}

void
kiosk_presented(Kiosk *k)
{
    if (k->ready_sent)
        return;
    k->ready_sent = true;
    notify("READY=1\nSTATUS=%s",
           k->screen_on ? "Showing news" : "Screen off by schedule");
}

void
kiosk_idle(Kiosk *k, int64_t until_ns)
{
    int64_t now = mono_ns();
    int64_t wake = MIN(until_ns, now + IDLE_MAX_NS);
    wake = MIN(wake, k->next_check_ns);
    if (k->watchdog_usec)
        wake = MIN(wake, k->next_ping_ns);
    if (k->banner[0])
        wake = MIN(wake, k->banner_until_ns);
    struct pollfd fds[2 + CONTROL_CLIENTS_MAX];
    int n = 0;
    if (sig_pipe[0] >= 0)
        fds[n++] = (struct pollfd){sig_pipe[0], POLLIN, 0};
    if (k->ctl) {
        n += control_pollfds(k->ctl, fds + n, (int)ARRAY_LEN(fds) - n);
        int64_t d = control_next_deadline_ms(k->ctl);
        if (d != INT64_MAX)
            wake = MIN(wake, d * NS_PER_MS);
    } else if (k->set.socket[0]) {
        wake = MIN(wake, k->next_bind_ns);
    }
    if (k->command_pid > 0)
        wake = MIN(wake, now + 200 * NS_PER_MS);
    int64_t wait_ms = (wake - now + NS_PER_MS - 1) / NS_PER_MS;
    if (wait_ms <= 0)
        return;
    if (poll(fds, (nfds_t)n, (int)MIN(wait_ms, INT_MAX)) > 0 &&
        (fds[0].revents & POLLIN) && !sig_reload && !sig_quit)
        drain_sig_pipe();
}

void
kiosk_note_status(Kiosk *k, const FetchStatus *status)
{
    k->fetch = *status;
    k->has_fetch = true;
}

const char *
kiosk_banner(const Kiosk *k)
{
    return k->banner[0] ? k->banner : NULL;
}

void
kiosk_reloaded(Kiosk *k, const Config *cfg, const char *err)
{
    if (cfg) {
        Settings old = k->set;
        settings_from(&k->set, cfg);
        setup_log(cfg);
        if (k->display)
            display_set_kiosk(k->display, k->kiosk_mode ? &k->set.quit : NULL);
        if (strcmp(old.socket, k->set.socket) != 0) {
            control_close(k->ctl);
            k->ctl = NULL;
            memset(&k->bind_latch, 0, sizeof(k->bind_latch));
            open_control(k, mono_ns());
        }
        k->next_check_ns = 0; /* apply the new schedule now */
        log_info("configuration reloaded%s%s",
                 k->config_path[0] ? " from " : "", k->config_path);
    } else {
        log_error("%s; keeping the configuration in force", err);
    }
    for (int i = 0; i < k->reload_waiter_count && k->ctl; i++) {
        char *line = cfg ? xstrdup("ok reloaded") : xasprintf("error: %s", err);
        control_reply(k->ctl, k->reload_waiters[i], line);
        free(line);
    }
    k->reload_waiter_count = 0;
    notify("READY=1\nSTATUS=%s", cfg ? "Configuration reloaded"
                                     : "Reload refused; old configuration");
}
