/* ittools: see ittools.h. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <cJSON.h>
#include <SDL_image.h>

#include "ittools.h"
#include "timefmt.h"
#include "util.h"

/* Every background process started here, so that a failed check (which
 * leaves its test function early) cannot leave servers running. */
static int spawned[64];

static void
kill_spawned(void)
{
    for (size_t i = 0; i < ARRAY_LEN(spawned); i++) {
        if (spawned[i] > 0) {
            kill(spawned[i], SIGKILL);
            waitpid(spawned[i], NULL, 0);
        }
    }
}

static void
track(int pid)
{
    static bool registered;
    if (!registered) {
        atexit(kill_spawned);
        registered = true;
    }
    for (size_t i = 0; i < ARRAY_LEN(spawned); i++) {
        if (spawned[i] <= 0) {
            spawned[i] = pid;
            return;
        }
    }
}

static void
untrack(int pid)
{
    for (size_t i = 0; i < ARRAY_LEN(spawned); i++) {
        if (spawned[i] == pid)
            spawned[i] = 0;
    }
}

const char *
it_bin(void)
{
    const char *b = getenv("NEWSWIRE_BIN");
    return b && *b ? b : "build/newswire";
}

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

RunResult
it_run(const char *const *argv, const char *const *env, int timeout_s)
{
    RunResult r = {-1, NULL, NULL};
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) < 0 || pipe(err_pipe) < 0)
        return r;
    /* The binary keeps an offline cache; tests keep it out of $HOME. */
    char *cache = it_path("xdg-cache");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(out_pipe[0]);
        close(err_pipe[0]);
        setenv("XDG_CACHE_HOME", cache, 1);
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            char *name = xstrndup(env[i], (size_t)(eq - env[i]));
            setenv(name, eq + 1, 1);
            free(name);
        }
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(cache);
    close(out_pipe[1]);
    close(err_pipe[1]);
    Buf out, err;
    buf_init(&out);
    buf_init(&err);
    buf_append(&out, "", 0);
    buf_append(&err, "", 0);
    struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;
    bool killed = false;
    while (open_fds > 0) {
        int left = (int)(deadline - now_ms());
        if (left <= 0 && !killed) {
            kill(pid, SIGKILL);
            killed = true;
        }
        if (poll(fds, 2, left > 0 ? left : 100) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            char chunk[4096];
            ssize_t n = read(fds[i].fd, chunk, sizeof(chunk));
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                buf_append(i == 0 ? &out : &err, chunk, (size_t)n);
            }
        }
    }
    int st;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = buf_steal(&out);
    r.err = buf_steal(&err);
    return r;
}

RunResult
it_run_newswire(const char *first, ...)
{
    static const char *const env[] = {"TZ=UTC", NULL};
    const char *argv[32] = {it_bin()};
    size_t n = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < ARRAY_LEN(argv) - 1;
         a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return it_run(argv, env, 60);
}

char *
it_fixture_url(const char *name)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof(cwd)))
        abort();
    return xasprintf("file://%s/tests/fixtures/%s", cwd, name);
}

void
it_result_free(RunResult *r)
{
    free(r->out);
    free(r->err);
}

bool
it_load_png(const char *path, Image *img)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s)
        return false;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(s);
    if (!c)
        return false;
    img->w = c->w;
    img->h = c->h;
    img->rgb = xmalloc((size_t)c->w * (size_t)c->h * 3);
    for (int y = 0; y < c->h; y++)
        memcpy(img->rgb + (size_t)y * (size_t)c->w * 3,
               (uint8_t *)c->pixels + (size_t)y * (size_t)c->pitch,
               (size_t)c->w * 3);
    SDL_FreeSurface(c);
    return true;
}

void
it_image_free(Image *img)
{
    free(img->rgb);
    img->rgb = NULL;
}

const uint8_t *
it_pixel(const Image *img, int x, int y)
{
    return img->rgb + ((size_t)y * (size_t)img->w + (size_t)x) * 3;
}

long
it_count_unlike(const Image *img, int x, int y, int w, int h, int r, int g,
                int b, int tol)
{
    long n = 0;
    for (int yy = y; yy < y + h && yy < img->h; yy++) {
        for (int xx = x; xx < x + w && xx < img->w; xx++) {
            const uint8_t *p = it_pixel(img, xx, yy);
            if (abs(p[0] - r) > tol || abs(p[1] - g) > tol ||
                abs(p[2] - b) > tol)
                n++;
        }
    }
    return n;
}

const char *
it_tmpdir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/newswire-it-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    return dir;
}

static int
remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return unlink(path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *child = xasprintf("%s/%s", path, e->d_name);
        remove_tree(child);
        free(child);
    }
    closedir(d);
    return rmdir(path);
}

void
it_tmpdir_remove(void)
{
    remove_tree(it_tmpdir());
}

char *
it_path(const char *name)
{
    return xasprintf("%s/%s", it_tmpdir(), name);
}

bool
it_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    Buf b;
    buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

bool
it_files_equal(const char *a, const char *b)
{
    size_t la, lb;
    char *da = slurp(a, &la);
    char *db = slurp(b, &lb);
    bool eq = da && db && la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return eq;
}

/* Waits for a server to write its port; kills it when it does not. */
static int
await_port(pid_t pid, const char *port_file, int *port)
{
    *port = 0;
    for (int i = 0; i < 1000 && *port == 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", port) != 1)
                *port = 0;
            fclose(f);
        }
        if (*port == 0)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    if (*port == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    track(pid);
    return pid;
}

int
it_httpd_start_opts(const char *root, const char *log_path, int want_port,
                    int *port)
{
    static int serial;
    const char *bin = getenv("HTTPD_BIN");
    if (!bin || !*bin)
        bin = "build/tests/httpd";
    char name[64];
    snprintf(name, sizeof(name), "httpd-%d.port", serial++);
    char *port_file = it_path(name);
    char want[16];
    snprintf(want, sizeof(want), "%d", want_port);
    unlink(port_file);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        const char *argv[12] = {bin,           "--root",  root,
                                "--port-file", port_file, "--max-seconds",
                                "900",         "--port",  want};
        size_t n = 9;
        if (log_path) {
            argv[n++] = "--log";
            argv[n++] = log_path;
        }
        argv[n] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int rc = await_port(pid, port_file, port);
    free(port_file);
    return rc;
}

int
it_httpd_start(const char *root, int *port)
{
    return it_httpd_start_opts(root, NULL, 0, port);
}

int
it_tlsd_start(const char *root, const char *cert_dir, int *port)
{
    char *port_file = it_path("tlsd.port");
    unlink(port_file);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execlp("python3", "python3", "tests/tlsd.py", "--root", root,
               "--cert-dir", cert_dir, "--port-file", port_file,
               "--max-seconds", "600", (char *)NULL);
        _exit(127);
    }
    int rc = await_port(pid, port_file, port);
    free(port_file);
    return rc;
}

int
it_spawn(const char *const *argv, const char *const *env, const char *log_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            char *name = xstrndup(env[i], (size_t)(eq - env[i]));
            setenv(name, eq + 1, 1);
            free(name);
        }
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    track(pid);
    return pid;
}

int
it_wait(int pid, int timeout_ms, int *took_ms)
{
    int64_t start = now_ms();
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            untrack(pid);
            if (took_ms)
                *took_ms = (int)(now_ms() - start);
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        if (now_ms() - start >= timeout_ms)
            return -1;
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
}

void
it_kill(int pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    untrack(pid);
}

int64_t
it_now_ms(void)
{
    return now_ms();
}

void
it_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

char *
it_read_file(const char *path, size_t *len)
{
    size_t n;
    char *d = slurp(path, &n);
    if (d && len)
        *len = n;
    return d;
}

bool
it_copy_file(const char *from, const char *to)
{
    size_t n;
    char *d = slurp(from, &n);
    if (!d)
        return false;
    FILE *f = fopen(to, "wb");
    bool ok = f && fwrite(d, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    free(d);
    return ok;
}

static long
proc_status_field(int pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, field, n) && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

long
it_proc_rss_kb(int pid)
{
    return proc_status_field(pid, "VmRSS");
}

long
it_proc_threads(int pid)
{
    return proc_status_field(pid, "Threads");
}

long
it_proc_fds(int pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

char *
it_newsapi_doc(const char *prefix, int n, int64_t published_s)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, "{\"status\":\"ok\",\"articles\":[");
    for (int i = 0; i < n; i++) {
        char iso[TIME_ISO_SIZE];
        time_format_iso(published_s - i * 60, iso, sizeof(iso));
        buf_appendf(&b,
                    "%s{\"source\":{\"name\":\"%s wire\"},\"title\":\"%s "
                    "story %d\",\"url\":\"https://example.com/%s/%d\","
                    "\"publishedAt\":\"%s\"}",
                    i ? "," : "", prefix, prefix, i, prefix, i, iso);
    }
    buf_appends(&b, "]}");
    return buf_steal(&b);
}

void
it_httpd_stop(int pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    untrack(pid);
}

static const char *const *screen_prefix;

void
it_screen_wrap(const char *const *prefix)
{
    screen_prefix = prefix;
}

bool
it_screen_start(ItScreen *s, const char *name, const char *feed_url, int scale,
                const char *const *sets, const char *const *env)
{
    memset(s, 0, sizeof(*s));
    s->dir = it_path(name);
    mkdir(s->dir, 0755);
    s->status = xasprintf("%s/status.json", s->dir);
    s->cache = xasprintf("%s/cache", s->dir);
    s->log = xasprintf("%s/newswire.log", s->dir);
    unlink(s->status); /* a status left by an earlier run must not count */
    char *cache_set = xasprintf("fetch.cache_dir=%s", s->cache);
    char *scale_env = xasprintf("NEWSWIRE_TIME_SCALE=%d", scale);
    static const char *const defaults[] = {
        "fetch.interval_s=10",     "fetch.timeout_s=1",
        "fetch.startup_delay_s=0", "fetch.backoff_base_s=1",
        "fetch.max_kb=256",        "display.vsync=false",
        "display.fps=5",
    };
    const char *argv[96];
    size_t n = 0;
    for (size_t i = 0; screen_prefix && screen_prefix[i] && n < 16; i++)
        argv[n++] = screen_prefix[i];
    screen_prefix = NULL;
    argv[n++] = it_bin();
    argv[n++] = "-c";
    argv[n++] = "/dev/null";
    argv[n++] = "--headless";
    argv[n++] = "--size";
    argv[n++] = "640x360";
    argv[n++] = "--status-file";
    argv[n++] = s->status;
    argv[n++] = "--set";
    argv[n++] = cache_set;
    for (size_t i = 0; i < ARRAY_LEN(defaults); i++) {
        argv[n++] = "--set";
        argv[n++] = defaults[i];
    }
    for (size_t i = 0; sets && sets[i] && n < ARRAY_LEN(argv) - 4; i++) {
        argv[n++] = "--set";
        argv[n++] = sets[i];
    }
    if (feed_url) {
        argv[n++] = "--feed";
        argv[n++] = feed_url;
    }
    argv[n] = NULL;
    const char *envv[32];
    size_t m = 0;
    envv[m++] = "TZ=UTC";
    envv[m++] = scale_env;
    for (size_t i = 0; env && env[i] && m < ARRAY_LEN(envv) - 1; i++)
        envv[m++] = env[i];
    envv[m] = NULL;
    s->pid = it_spawn(argv, envv, s->log);
    free(cache_set);
    free(scale_env);
    return s->pid > 0;
}

int
it_screen_stop(ItScreen *s, int *took_ms)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    int rc = it_wait(s->pid, 5000, took_ms);
    if (rc < 0) {
        it_kill(s->pid);
        rc = 128 + SIGKILL;
        if (took_ms)
            *took_ms = 5000;
    }
    s->pid = 0;
    return rc;
}

void
it_screen_free(ItScreen *s)
{
    if (s->pid > 0)
        it_kill(s->pid);
    free(s->dir);
    free(s->status);
    free(s->cache);
    free(s->log);
    memset(s, 0, sizeof(*s));
}

void *
it_status_read(const char *path)
{
    size_t n;
    char *text = it_read_file(path, &n);
    if (!text)
        return NULL;
    cJSON *root = cJSON_ParseWithLength(text, n);
    free(text);
    return root;
}

static const cJSON *
status_item(const void *root, int feed, const char *key)
{
    const cJSON *o = root;
    if (!o)
        return NULL;
    if (feed >= 0)
        o = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "feeds"),
                               feed);
    return o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

const char *
it_status_str(const void *root, int feed, const char *key)
{
    const cJSON *v = status_item(root, feed, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double
it_status_num(const void *root, int feed, const char *key)
{
    const cJSON *v = status_item(root, feed, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

int64_t
it_status_time(const void *root, int feed, const char *key)
{
    const char *s = it_status_str(root, feed, key);
    int64_t t = 0;
    if (s && !time_parse(s, &t))
        t = 0;
    return t;
}

void
it_status_free(void *root)
{
    cJSON_Delete(root);
}
