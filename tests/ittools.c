/* ittools: see ittools.h. */
#include <errno.h>
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
#include <SDL_image.h>

#include "ittools.h"
#include "util.h"

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
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(out_pipe[0]);
        close(err_pipe[0]);
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

int
it_httpd_start(const char *root, int *port)
{
    const char *bin = getenv("HTTPD_BIN");
    if (!bin || !*bin)
        bin = "build/tests/httpd";
    char *port_file = it_path("httpd.port");
    unlink(port_file);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        execl(bin, bin, "--root", root, "--port-file", port_file,
              "--max-seconds", "300", (char *)NULL);
        _exit(127);
    }
    *port = 0;
    for (int i = 0; i < 500 && *port == 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", port) != 1)
                *port = 0;
            fclose(f);
        }
        if (*port == 0)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    free(port_file);
    if (*port == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

void
it_httpd_stop(int pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}
