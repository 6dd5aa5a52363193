/*
 * ittools: helpers for integration tests that run the real newswire binary
 * (path in $NEWSWIRE_BIN) and the loopback test server ($HTTPD_BIN), and
 * read the PNGs it writes.
 */
#ifndef ITTOOLS_H
#define ITTOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct RunResult {
    int status; /* exit status, or 128 + signal */
    char *out;  /* captured stdout, owned */
    char *err;  /* captured stderr, owned */
} RunResult;

/* Runs argv (NULL-terminated) with extra "NAME=value" environment entries
 * (NULL-terminated, may be NULL); waits at most timeout_s. */
RunResult it_run(const char *const *argv, const char *const *env,
                 int timeout_s);
void it_result_free(RunResult *r);
/* Runs the newswire binary with TZ=UTC and the arguments given, up to a
 * NULL; waits at most 60 s. */
RunResult it_run_newswire(const char *first, ...);
/* file:// URL of tests/fixtures/NAME; caller frees. */
char *it_fixture_url(const char *name);
const char *it_bin(void);

typedef struct Image {
    int w, h;
    uint8_t *rgb; /* w*h*3, owned */
} Image;

bool it_load_png(const char *path, Image *img);
void it_image_free(Image *img);
const uint8_t *it_pixel(const Image *img, int x, int y);
/* Pixels in the rectangle that differ from colour (r,g,b) by more than tol
 * in any channel. */
long it_count_unlike(const Image *img, int x, int y, int w, int h, int r, int g,
                     int b, int tol);

/* A temp directory for this test program (created once). */
const char *it_tmpdir(void);
/* Removes it with everything in it: call at the end of a passing run (a
 * failing one keeps the logs its messages point to). */
void it_tmpdir_remove(void);
char *it_path(const char *name); /* it_tmpdir()/name, caller frees */
bool it_write_file(const char *path, const char *text);
bool it_files_equal(const char *a, const char *b);

/* Starts the loopback test server on an ephemeral port serving root;
 * returns its pid and stores the port. */
int it_httpd_start(const char *root, int *port);
/* The same, with a request log (see tests/httpd.c) and a fixed port when
 * want_port > 0 (to restart a server where a client expects it). */
int it_httpd_start_opts(const char *root, const char *log_path, int want_port,
                        int *port);
void it_httpd_stop(int pid);

/* Starts tests/tlsd.py (HTTPS on 127.0.0.1, key and certificate read from
 * cert_dir/server.pem for every connection); returns its pid and stores
 * the port. */
int it_tlsd_start(const char *root, const char *cert_dir, int *port);

/* Starts argv in the background with extra environment entries, stdout
 * and stderr going to log_path. Returns the pid. */
int it_spawn(const char *const *argv, const char *const *env,
             const char *log_path);
/* Waits up to timeout_ms for pid to exit; returns its status (exit code,
 * or 128 + signal) and the time it took, or -1 if it is still running. */
int it_wait(int pid, int timeout_ms, int *took_ms);
/* SIGKILL and reap; for cleanup after a failed check. */
void it_kill(int pid);

/* Monotonic milliseconds. */
int64_t it_now_ms(void);
void it_sleep_ms(int ms);

/* Whole file as a string (NULL if unreadable); *len may be NULL. */
char *it_read_file(const char *path, size_t *len);
bool it_copy_file(const char *from, const char *to);

/* A process's resident set (kB), thread count and open descriptors, from
 * /proc; -1 when it cannot be read. */
long it_proc_rss_kb(int pid);
long it_proc_threads(int pid);
long it_proc_fds(int pid);

/* A NewsAPI document with n stories titled "<prefix> story <i>", published
 * at published_s - i minutes. Caller frees. */
char *it_newsapi_doc(const char *prefix, int n, int64_t published_s);

/* A newswire process run headless at 640x360 with a short interval, its
 * own cache directory and a status file, for the network tests. */
typedef struct ItScreen {
    char *dir;    /* working directory, created */
    char *status; /* dir/status.json */
    char *cache;  /* dir/cache */
    char *log;    /* dir/newswire.log: its stdout and stderr */
    int pid;
} ItScreen;

/* Defaults: NEWSWIRE_TIME_SCALE=scale, fetch.interval_s=10,
 * fetch.timeout_s=1, fetch.startup_delay_s=0, fetch.backoff_base_s=1,
 * fetch.max_kb=256, display.vsync=false, display.fps=5. sets (NULL-ended
 * "section.key=value" list, may be NULL) override them; env entries (may be
 * NULL) are added. feed_url may be NULL when sets name the feeds. */
bool it_screen_start(ItScreen *s, const char *name, const char *feed_url,
                     int scale, const char *const *sets,
                     const char *const *env);
/* The next it_screen_start() runs the binary under this command (e.g.
 * strace with fault injection); NULL-terminated, borrowed, used once. */
void it_screen_wrap(const char *const *prefix);
/* SIGTERM, wait up to 5 s (SIGKILL after); returns the exit status. */
int it_screen_stop(ItScreen *s, int *took_ms);
void it_screen_free(ItScreen *s);

/* The status file parsed (a cJSON *, as void * to keep cJSON out of this
 * header), or NULL while it is missing or being replaced. */
void *it_status_read(const char *path);
/* Convenience accessors on a parsed status; NULL/-1/0 when absent. */
const char *it_status_str(const void *root, int feed, const char *key);
double it_status_num(const void *root, int feed, const char *key);
/* A time field as Unix seconds, 0 when null or absent. */
int64_t it_status_time(const void *root, int feed, const char *key);
void it_status_free(void *root);

#endif
