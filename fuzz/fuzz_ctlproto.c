/*
 * fuzz_ctlproto: libFuzzer target for the control socket's protocol.
 *
 * Arbitrary bytes are what a local client may send: they go through
 * ctl_frame() (with and without end of stream) and ctl_parse(), and an
 * accepted request must satisfy what the server relies on: a known verb,
 * breaking text that is non-empty, valid UTF-8 and within CTL_TEXT_MAX,
 * SECONDS in range; a refused one must come with a message. An accepted
 * breaking request also goes through the client's request builder and
 * must parse again.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       $(pkg-config --cflags libcjson) src/core/\*.c fuzz/fuzz_ctlproto.c \
 *       $(pkg-config --libs libcjson inih) -lpthread -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "ctlproto.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_utf8(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == UTF8_REPLACEMENT && memcmp(s + i, "\xef\xbf\xbd", 3) != 0)
            abort();
        i += n;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * CTL_REQUEST_MAX)
        return 0;
    /* An exact-size copy, so ASan sees any read past the end. */
    char *buf = xmalloc(size ? size : 1);
    memcpy(buf, data, size);
    for (int eof = 0; eof < 2; eof++) {
        size_t line_len = SIZE_MAX;
        int framed = ctl_frame(buf, size, eof, &line_len);
        if (framed < -1 || framed > 1 || (framed == 1 && line_len > size) ||
            (framed == 1 && line_len >= CTL_REQUEST_MAX) ||
            (framed == 0 && eof))
            abort();
        if (framed != 1)
            continue;
        CtlCommand cmd;
        char err[256] = "";
        if (ctl_parse(buf, line_len, &cmd, err, sizeof(err)) < 0) {
            if (!err[0] || strlen(err) >= sizeof(err))
                abort();
            continue;
        }
        if (cmd.verb < CTL_NEXT || cmd.verb > CTL_HELP)
            abort();
        if (cmd.verb != CTL_BREAKING)
            continue;
        if (!cmd.text[0] || strlen(cmd.text) > CTL_TEXT_MAX ||
            cmd.seconds < 0 || cmd.seconds > CTL_SECONDS_MAX)
            abort();
        check_utf8(cmd.text);
        char secs[16];
        snprintf(secs, sizeof(secs), "%d", cmd.seconds);
        const char *argv[] = {"breaking", cmd.text, secs};
        Buf req;
        buf_init(&req);
        CtlCommand again;
        if (ctl_format_request(cmd.seconds ? 3 : 2, argv, &req, err,
                               sizeof(err)) == 0 &&
            (ctl_parse(req.data, req.len, &again, err, sizeof(err)) < 0 ||
             again.seconds != cmd.seconds))
            abort();
        buf_deinit(&req);
    }
    free(buf);
    return 0;
}
