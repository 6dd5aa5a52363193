/*
 * control: the control socket server and client. See control.h.
 *
 * A connection goes READING -> (WAITING for a deferred answer) -> WRITING
 * -> DRAINING -> closed. DRAINING reads and drops whatever the client
 * still sends until it hangs up: closing a Unix socket with unread bytes
 * makes the peer's read fail with ECONNRESET, and the client would lose
 * the error line that explains why its request was refused.
 */
#define _GNU_SOURCE /* accept4, SO_PEERCRED */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

#define LISTEN_BACKLOG 16
#define DRAIN_TIMEOUT_MS 500
#define REPLY_MAX (256 * 1024)

typedef enum ClientState {
    CLIENT_FREE,
    CLIENT_READING,
    CLIENT_WAITING,
    CLIENT_WRITING,
    CLIENT_DRAINING,
} ClientState;

typedef struct Client {
    int fd;
    ClientState state;
    unsigned gen; /* makes ids of a reused slot differ */
    int64_t deadline_ms;
    bool eof;
    char in[CTL_REQUEST_MAX];
    size_t in_len;
    Buf out; /* reply, newline included */
    size_t out_off;
} Client;

struct ControlServer {
    int fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    Client clients[CONTROL_CLIENTS_MAX];
};

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
make_addr(const char *path, struct sockaddr_un *sa, char *err, size_t errlen)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (!*path || strlen(path) >= sizeof(sa->sun_path)) {
        util_errf(err, errlen, "control socket path must be 1 to %zu bytes",
                  sizeof(sa->sun_path) - 1);
        return -1;
    }
    memcpy(sa->sun_path, path, strlen(path));
    return 0;
}

/* A socket file at path: removed when nobody listens on it any more. */
static int
clear_stale(const char *path, const struct sockaddr_un *sa, char *err,
            size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return 0;
    if (!S_ISSOCK(st.st_mode)) {
        util_errf(err, errlen, "%s exists and is not a socket", path);
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        util_errf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    int rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
    close(fd);
    if (rc == 0) {
        util_errf(err, errlen,
                  "%s: another newswire is listening there (set "
                  "control.socket to another path)",
                  path);
        return -1;
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        util_errf(err, errlen, "cannot remove the stale socket %s: %s", path,
                  strerror(errno));
        return -1;
    }
    return 0;
}

ControlServer *
control_open(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    if (make_addr(path, &sa, err, errlen) < 0 ||
        clear_stale(path, &sa, err, errlen) < 0)
        return NULL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        util_errf(err, errlen, "socket: %s", strerror(errno));
        return NULL;
    }
    /* Nobody can connect before listen(), so the mode is set in time. */
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        util_errf(err, errlen, "cannot bind %s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (chmod(path, 0660) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
        util_errf(err, errlen, "cannot listen on %s: %s", path,
                  strerror(errno));
        close(fd);
        unlink(path);
        return NULL;
    }
    ControlServer *s = xcalloc(1, sizeof(ControlServer));
    s->fd = fd;
    util_strlcpy(s->path, path, sizeof(s->path));
    for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
        s->clients[i].fd = -1;
        buf_init(&s->clients[i].out);
    }
    return s;
}

static void
client_close(Client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->state = CLIENT_FREE;
    c->in_len = 0;
    c->eof = false;
    buf_clear(&c->out);
    c->out_off = 0;
    c->gen++;
}

void
control_close(ControlServer *s)
{
    if (!s)
        return;
    for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
        client_close(&s->clients[i]);
        buf_deinit(&s->clients[i].out);
    }
    close(s->fd);
    unlink(s->path);
    free(s);
}

const char *
control_path(const ControlServer *s)
{
    return s->path;
}

static int
client_id(const ControlServer *s, const Client *c)
{
    return (int)((c->gen & 0xffffffu) << 4) | (int)(c - s->clients);
}

static void
client_answer(Client *c, const char *line, int64_t now_ms)
{
    buf_clear(&c->out);
    buf_appends(&c->out, line);
    buf_appends(&c->out, "\n");
    c->out_off = 0;
    c->state = CLIENT_WRITING;
    c->deadline_ms = now_ms + CONTROL_CLIENT_TIMEOUT_MS;
}

static void
accept_all(ControlServer *s, int64_t now_ms)
{
    for (;;) {
        int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
                errno != ECONNABORTED)
                log_warn("control: accept: %s", strerror(errno));
            return;
        }
        Client *c = NULL;
        for (int i = 0; i < CONTROL_CLIENTS_MAX && !c; i++) {
            if (s->clients[i].state == CLIENT_FREE)
                c = &s->clients[i];
        }
        if (!c) {
            static const char busy[] = "error: busy, try again\n";
            if (write(fd, busy, sizeof(busy) - 1) < 0) {
                /* nothing to do: the client is gone or full */
            }
            close(fd);
            continue;
        }
        c->fd = fd;
        c->state = CLIENT_READING;
        c->deadline_ms = now_ms + CONTROL_CLIENT_TIMEOUT_MS;
    }
}

static unsigned
peer_uid(int fd)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
        return (unsigned)-1;
    return (unsigned)cred.uid;
}

/* Reads what is there; handles a request once it is complete. */
static void
client_read(ControlServer *s, Client *c, int64_t now_ms, ControlHandler handler,
            void *ud)
{
    while (!c->eof && c->in_len < sizeof(c->in)) {
        ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
        if (n > 0) {
            c->in_len += (size_t)n;
        } else if (n == 0) {
            c->eof = true;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            client_close(c);
            return;
        }
        if (memchr(c->in, '\n', c->in_len))
            break;
    }
    size_t line_len;
    int framed = ctl_frame(c->in, c->in_len, c->eof, &line_len);
    if (framed == 0)
        return;
    if (framed < 0) {
        log_info("control: refused a request longer than %d bytes",
                 CTL_REQUEST_MAX);
        char msg[80];
        snprintf(msg, sizeof(msg), "error: request longer than %d bytes",
                 CTL_REQUEST_MAX);
        client_answer(c, msg, now_ms);
        return;
    }
    if (line_len == 0 && c->eof && c->in_len == 0) {
        client_close(c); /* connected and hung up without a word */
        return;
    }
    CtlCommand cmd;
    char err[300];
    if (ctl_parse(c->in, line_len, &cmd, err, sizeof(err)) < 0) {
        log_info("control: refused a request from uid %u: %s", peer_uid(c->fd),
                 err);
        char *line = xasprintf("error: %s", err);
        client_answer(c, line, now_ms);
        free(line);
        return;
    }
    if (cmd.verb != CTL_STATUS && cmd.verb != CTL_HELP)
        log_info("control: %.*s (uid %u)", (int)MIN(line_len, (size_t)120),
                 c->in, peer_uid(c->fd));
    Buf reply;
    buf_init(&reply);
    buf_appends(&reply, "");
    c->state = CLIENT_WAITING;
    c->deadline_ms = now_ms + 10 * CONTROL_CLIENT_TIMEOUT_MS;
    if (handler(ud, client_id(s, c), &cmd, &reply))
        client_answer(c, reply.data, now_ms);
    buf_deinit(&reply);
}

static void
client_write(Client *c, int64_t now_ms)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->out_off,
                         c->out.len - c->out_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->out_off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            client_close(c);
            return;
        }
    }
    shutdown(c->fd, SHUT_WR);
    c->state = CLIENT_DRAINING;
    c->deadline_ms = now_ms + DRAIN_TIMEOUT_MS;
}

static void
client_drain(Client *c)
{
    char sink[4096];
    for (;;) {
        ssize_t n = read(c->fd, sink, sizeof(sink));
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        client_close(c); /* EOF or error: done */
        return;
    }
}

void
control_service(ControlServer *s, int64_t now_ms, ControlHandler handler,
                void *ud)
{
    struct pollfd fds[1 + CONTROL_CLIENTS_MAX];
    int n = control_pollfds(s, fds, (int)ARRAY_LEN(fds));
    if (poll(fds, (nfds_t)n, 0) < 0)
        return;
    /* control_pollfds lists the busy clients in slot order. Connections
     * are served before new ones are accepted, so that a slot freed by a
     * client that hung up is free for them. */
    int k = 1;
    for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
        Client *c = &s->clients[i];
        bool ready = false;
        if (c->state != CLIENT_FREE && c->state != CLIENT_WAITING && k < n &&
            fds[k].fd == c->fd)
            ready = fds[k++].revents != 0;
        if (c->state == CLIENT_READING && ready)
            client_read(s, c, now_ms, handler, ud);
        if (c->state == CLIENT_WRITING)
            client_write(c, now_ms);
        if (c->state == CLIENT_DRAINING && ready)
            client_drain(c);
        if (c->state == CLIENT_FREE || now_ms < c->deadline_ms)
            continue;
        if (c->state == CLIENT_READING) {
            /* Sent nothing (or half a line) in time: say so, then close. */
            client_answer(c, "error: no request in time", now_ms);
            client_write(c, now_ms);
            if (c->state != CLIENT_FREE)
                client_close(c);
        } else {
            client_close(c);
        }
    }
    if (fds[0].revents & POLLIN)
        accept_all(s, now_ms);
}

void
control_reply(ControlServer *s, int id, const char *line)
{
    Client *c = &s->clients[id & 0xf];
    if ((id & 0xf) >= CONTROL_CLIENTS_MAX || c->state != CLIENT_WAITING ||
        client_id(s, c) != id)
        return;
    int64_t now = mono_ms();
    client_answer(c, line, now);
    client_write(c, now);
}

int
control_pollfds(const ControlServer *s, struct pollfd *fds, int max)
{
    int n = 0;
    if (n < max)
        fds[n++] = (struct pollfd){s->fd, POLLIN, 0};
    for (int i = 0; i < CONTROL_CLIENTS_MAX && n < max; i++) {
        const Client *c = &s->clients[i];
        if (c->state == CLIENT_READING || c->state == CLIENT_DRAINING)
            fds[n++] = (struct pollfd){c->fd, POLLIN, 0};
        else if (c->state == CLIENT_WRITING)
            fds[n++] = (struct pollfd){c->fd, POLLOUT, 0};
    }
    return n;
}

int64_t
control_next_deadline_ms(const ControlServer *s)
{
    int64_t next = INT64_MAX;
    for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
        if (s->clients[i].state != CLIENT_FREE)
            next = MIN(next, s->clients[i].deadline_ms);
    }
    return next;
}

/* ---- client ---- */

static int
wait_fd(int fd, short events, int64_t deadline_ms)
{
    for (;;) {
        int64_t left = deadline_ms - mono_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {fd, events, 0};
        int rc = poll(&p, 1, (int)MIN(left, 1000));
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

int
control_request(const char *path, const char *request, int timeout_ms,
                Buf *reply, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    if (make_addr(path, &sa, err, errlen) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        util_errf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        util_errf(err, errlen, "cannot connect to %s: %s%s", path,
                  strerror(errno),
                  errno == ENOENT || errno == ECONNREFUSED
                      ? " (is newswire running with this control.socket?)"
                      : "");
        close(fd);
        return -1;
    }
    int64_t deadline = mono_ms() + timeout_ms;
    Buf req;
    buf_init(&req);
    buf_appendf(&req, "%s\n", request);
    size_t off = 0;
    int rc = 0;
    while (off < req.len && rc == 0) {
        ssize_t n = send(fd, req.data + off, req.len - off, MSG_NOSIGNAL);
        if (n > 0)
            off += (size_t)n;
        else if (n < 0 && errno != EINTR)
            rc = -1;
    }
    buf_deinit(&req);
    buf_clear(reply);
    buf_appends(reply, "");
    while (rc == 0) {
        int ready = wait_fd(fd, POLLIN, deadline);
        if (ready <= 0) {
            rc = -1;
            break;
        }
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        buf_append(reply, chunk, (size_t)n);
        if (reply->len > REPLY_MAX)
            break;
    }
    close(fd);
    if (rc < 0 && reply->len == 0) {
        util_errf(err, errlen, "no answer from %s within %d ms", path,
                  timeout_ms);
        return -1;
    }
    while (reply->len && (reply->data[reply->len - 1] == '\n' ||
                          reply->data[reply->len - 1] == '\r'))
        reply->data[--reply->len] = '\0';
    return 0;
}
