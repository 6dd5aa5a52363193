/*
 * control: the local control socket (Unix domain, stream, mode 0660) and
 * its client, `newswire ctl`.
 *
 * The server lives on the render thread and never blocks it: every call
 * reads and writes only what is ready. Each connection carries one request
 * line (at most CTL_REQUEST_MAX bytes) and gets one reply line, then the
 * server closes it. A client that sends nothing, or too slowly, is closed
 * after CONTROL_CLIENT_TIMEOUT_MS; at most CONTROL_CLIENTS_MAX connections
 * are served at once and any more are told "error: busy". The protocol
 * itself (parsing, replies, the status JSON) is src/core/ctlproto.
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlproto.h"
#include "util.h"

#define CONTROL_CLIENTS_MAX 8
#define CONTROL_CLIENT_TIMEOUT_MS 3000

typedef struct ControlServer ControlServer;

/* Binds path with mode 0660 and listens. A socket file left by a crashed
 * run is replaced; a live one (another newswire) is not. NULL with a
 * sentence in err when the socket cannot be had. */
ControlServer *control_open(const char *path, char *err, size_t errlen);
/* Closes every connection and removes the socket file. NULL is a no-op. */
void control_close(ControlServer *s);
const char *control_path(const ControlServer *s);

/* Called for each valid request. Writes the reply (one line, no newline)
 * into reply and returns true; or returns false to answer later with
 * control_reply(id, ...). Malformed requests are answered by the server. */
typedef bool (*ControlHandler)(void *ud, int id, const CtlCommand *cmd,
                               Buf *reply);

/* Accepts, reads, answers and closes whatever is ready; never blocks. */
void control_service(ControlServer *s, int64_t now_ms, ControlHandler handler,
                     void *ud);
/* The answer to a request the handler deferred; ignored when that client
 * has gone. */
void control_reply(ControlServer *s, int id, const char *line);

/* For a caller that sleeps in poll(): the descriptors worth waking for
 * (at most max; returns how many) and the next client deadline
 * (monotonic ms; INT64_MAX when none). */
int control_pollfds(const ControlServer *s, struct pollfd *fds, int max);
int64_t control_next_deadline_ms(const ControlServer *s);

/* The client: sends request (no newline) to the socket at path and stores
 * the reply line (without newline) in reply. -1 with err when there is no
 * answer within timeout_ms. */
int control_request(const char *path, const char *request, int timeout_ms,
                    Buf *reply, char *err, size_t errlen);

#endif
