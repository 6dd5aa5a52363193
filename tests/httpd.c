/*
 * httpd: a small HTTP/1.1 server for the integration tests and the network
 * fault matrix. It binds 127.0.0.1 only and serves fixture files from --root,
 * plus one route per fault a feed client must survive: errors with
 * Retry-After, slow and stalled responses, a 1 B/s trickle, a reset or a
 * clean close mid-body, redirect chains and loops, oversized and endless
 * bodies, a gzip bomb, a captive-portal HTML page and an empty body.
 *
 * The parent only accepts, forks and reaps, so a slow client never blocks
 * it. Each child answers one request, always with "Connection: close", and
 * is killed by alarm() after HTTPD_CHILD_LIFETIME_S. On SIGTERM, SIGINT or
 * --max-seconds the parent kills every child it started and exits 0.
 *
 * Self-contained (libc and POSIX only), so it builds on its own:
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L tests/httpd.c -o build/tests/httpd
 * Usage: httpd --root DIR [--port N] [--port-file FILE] [--max-seconds N]
 *              [--log FILE]
 *
 * Routes (query strings are ignored unless stated):
 *   /files/NAME          DIR/NAME with ETag, Last-Modified; honours
 *                        If-None-Match and If-Modified-Since (304)
 *   /status/NNN          status NNN (200-599), JSON error body;
 *                        ?retry_after=V adds "Retry-After: V" (V is
 *                        percent-decoded, '+' is a space, else verbatim)
 *   /slow/MS/NAME        waits MS ms, then as /files/NAME
 *   /stall/NAME          headers of /files/NAME, then silence until killed
 *   /trickle/NAME        /files/NAME at one body byte per second
 *   /reset/NAME          full Content-Length, half the body, then RST
 *   /truncated/NAME      full Content-Length, half the body, then FIN
 *   /redirect/N/NAME     302 to /redirect/N-1/NAME; N = 0 is /files/NAME
 *   /redirect-loop       302 to itself
 *   /redirect-to?url=U   302 to U (percent-decoded, any scheme)
 *   /big/BYTES           200 with BYTES bytes of filler
 *   /chunked-endless     chunked body of 16 KiB chunks that never ends
 *   /gzip-bomb           Content-Encoding: gzip, ~190 KB inflating to 200 MB
 *   /html                captive-portal login page (text/html)
 *   /empty               200 with Content-Length: 0
 *   /headers             JSON object echoing the request headers
 *   /as/TYPE/SUB/NAME    /files/NAME sent with Content-Type TYPE/SUB
 *                        (always a 200: conditional headers are ignored)
 *   /switch/KEY          serves what the target written on the first line
 *                        of DIR/KEY.route would serve (e.g. "/files/a.json"
 *                        or "/status/503?retry_after=2"), read per request:
 *                        a test flips a fault on and off by rewriting it
 *   /cycle/NAME          the Nth connection to the server gets the fault
 *                        N mod K of a fixed list (good answers, errors,
 *                        stalls, resets, bombs...) for NAME; for soak runs
 * A request in absolute form ("GET http://any.host/files/a.json", as sent
 * to a proxy) is served like its path, so the server can stand in for a
 * forward proxy.
 *
 * The fault routes (stall, trickle, reset, truncated, as) ignore conditional
 * headers: they always start a 200, because the fault is the point.
 *
 * --log appends one line per request, fields separated by tabs: method,
 * path (as sent, without the query), If-None-Match, If-Modified-Since,
 * status; "-" stands for an absent value.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HTTPD_REQUEST_MAX_BYTES 16384 /* request line + headers; more: 431 */
#define HTTPD_MAX_HEADERS 100
#define HTTPD_MAX_CHILDREN 128
#define HTTPD_CHILD_LIFETIME_S 60
#define HTTPD_DEFAULT_MAX_SECONDS 120
#define HTTPD_TICK_MS 200        /* parent wakes this often to reap */
#define HTTPD_DRAIN_MS 1000      /* graceful close: wait for client EOF */
#define HTTPD_RESET_DELAY_MS 100 /* let half a body arrive before the RST */
#define HTTPD_FILE_MAX_BYTES (64L * 1024 * 1024)
#define HTTPD_CHUNK_BYTES 16384
#define HTTPD_CHUNK_INTERVAL_MS 5
#define HTTPD_BOMB_DECODED_BYTES 200000000ULL

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* A growable byte string, always NUL-terminated once anything is added. */
typedef struct Text {
    char *data; /* owned; NULL while empty and never grown */
    size_t len;
    size_t cap;
} Text;

typedef struct Options {
    const char *root;
    const char *port_file; /* NULL: stdout only */
    const char *log_path;  /* NULL: no request log */
    long port;             /* 0: ephemeral */
    long max_seconds;
} Options;

typedef struct Server {
    int listen_fd;
    int root_fd;
    int log_fd;                         /* -1 without --log */
    Text bomb;                          /* gzip member, built at start */
    pid_t children[HTTPD_MAX_CHILDREN]; /* started and not yet reaped */
    size_t child_count;
    unsigned long accepted; /* connections so far; a child sees its own */
} Server;

typedef struct Header {
    const char *name;  /* lower-cased; points into Request.raw */
    const char *value; /* trimmed; points into Request.raw */
} Header;

typedef struct Request {
    char raw[HTTPD_REQUEST_MAX_BYTES + 1];
    char path[HTTPD_REQUEST_MAX_BYTES + 1]; /* percent-decoded, no query */
    const char *method;   /* NULL until the request line parsed */
    const char *raw_path; /* as sent, without the query; NULL until then */
    const char *query;    /* after '?', not decoded; NULL when absent */
    char rewritten[HTTPD_REQUEST_MAX_BYTES + 1]; /* /switch and /cycle */
    Header headers[HTTPD_MAX_HEADERS];
    size_t header_count;
    bool is_head;
} Request;

/* One connection, owned by the child process that serves it. */
typedef struct Conn {
    int fd;
    const Server *server;
    Request *req;
    bool logged;
} Conn;

typedef enum ServeMode {
    SERVE_NORMAL,
    SERVE_STALL,
    SERVE_TRICKLE,
    SERVE_RESET,
    SERVE_TRUNCATED
} ServeMode;

static volatile sig_atomic_t g_stop;

static const char FILLER[] = "[\"x\",";

static const char CAPTIVE_PORTAL_HTML[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head><meta charset=\"utf-8\"><title>Guest Wi-Fi</title></head>\n"
    "<body>\n"
    "<h1>Welcome to Guest Wi-Fi</h1>\n"
    "<p>Please sign in and accept the terms of use to continue.</p>\n"
    "<form method=\"post\" action=\"/login\">\n"
    "<label>Room number <input name=\"room\"></label>\n"
    "<label><input type=\"checkbox\" name=\"accept\"> I accept</label>\n"
    "<button type=\"submit\">Connect</button>\n"
    "</form>\n"
    "</body>\n"
    "</html>\n";

/* ---- memory and text ---- */

/* A test server cannot do anything useful without memory: stop loudly. */
static void *
xmalloc(size_t size)
{
    void *p = malloc(size > 0 ? size : 1);

    if (p == NULL) {
        fputs("httpd: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void *
xcalloc(size_t count, size_t size)
{
    void *p = calloc(count > 0 ? count : 1, size > 0 ? size : 1);

    if (p == NULL) {
        fputs("httpd: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void
text_init(Text *t)
{
    t->data = NULL;
    t->len = 0;
    t->cap = 0;
}

static void
text_free(Text *t)
{
    free(t->data);
    text_init(t);
}

static void
text_clear(Text *t)
{
    t->len = 0;
    if (t->data != NULL)
        t->data[0] = '\0';
}

static void
text_reserve(Text *t, size_t extra)
{
    size_t need = t->len + extra + 1;

    if (need <= t->cap)
        return;
    size_t cap = t->cap > 0 ? t->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = realloc(t->data, cap);
    if (data == NULL) {
        fputs("httpd: out of memory\n", stderr);
        abort();
    }
    t->data = data;
    t->cap = cap;
}

static void
text_append(Text *t, const void *data, size_t len)
{
    text_reserve(t, len);
    if (len > 0)
        memcpy(t->data + t->len, data, len);
    t->len += len;
    t->data[t->len] = '\0';
}

static void
text_appends(Text *t, const char *s)
{
    text_append(t, s, strlen(s));
}

static void text_appendf(Text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_appendf(Text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    text_reserve(t, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* printf into a new string; the caller frees it. */
static char *
xprintf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* 64-bit FNV-1a: the ETag only needs to change when the bytes do. */
static uint64_t
fnv1a64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* ---- small helpers ---- */

static int64_t
monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
    struct timespec req = {ms / 1000, (ms % 1000) * 1000000L};
    struct timespec rem;

    while (nanosleep(&req, &rem) == -1 && errno == EINTR)
        req = rem;
}

static int
write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Strict decimal in [min, max]; false on anything else. */
static bool
parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Returns what follows prefix in s, or NULL when s does not start with it. */
static const char *
after_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

static bool
has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Percent-decodes src[0..len) into dst (at least len + 1 bytes). NUL, CR
 * and LF are refused: decoded values end up in file names and headers.
 */
static bool
percent_decode(const char *src, size_t len, bool plus_is_space, char *dst)
{
    size_t j = 0;

    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= len)
                return false;
            int hi = hex_value(src[i + 1]);
            int lo = hex_value(src[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0' || c == '\r' || c == '\n')
            return false;
        dst[j++] = c;
    }
    dst[j] = '\0';
    return true;
}

/* ---- dates ---- */

static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};

/* IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 5.6.7). */
static void
http_date_format(time_t t, char *out, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    /* The program never calls setlocale(), so %a and %b stay English. */
    strftime(out, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

/* Parses IMF-fixdate only, the one form RFC 9110 lets senders generate. */
static bool
http_date_parse(const char *s, time_t *out)
{
    char wday[4];
    char mon[4];
    int day, year, hour, min, sec;
    int used = 0;
    int month = -1;

    if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wday,
               &day, mon, &year, &hour, &min, &sec, &used) != 7 ||
        used == 0) {
        return false;
    }
    for (int i = 0; i < 12; i++) {
        if (strcmp(mon, MONTHS[i]) == 0)
            month = i + 1;
    }
    if (month < 0 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 ||
        s[used] != '\0') {
        return false;
    }
    *out = (time_t)(days_from_civil(year, month, day) * 86400 + hour * 3600 +
                    min * 60 + sec);
    return true;
}

/* ---- the gzip bomb ---- */

/* Deflate writes bit fields least significant bit first. */
typedef struct BitWriter {
    Text *out;
    unsigned acc;
    int nbits;
} BitWriter;

static void
bits_put(BitWriter *w, unsigned value, int count)
{
    for (int i = 0; i < count; i++) {
        w->acc |= ((value >> i) & 1u) << w->nbits;
        w->nbits++;
        if (w->nbits == 8) {
            unsigned char byte = (unsigned char)w->acc;
            text_append(w->out, &byte, 1);
            w->acc = 0;
            w->nbits = 0;
        }
    }
}

/* Huffman codes, unlike other fields, go most significant bit first. */
static void
bits_put_code(BitWriter *w, unsigned code, int len)
{
    for (int i = len - 1; i >= 0; i--)
        bits_put(w, (code >> i) & 1u, 1);
}

static void
bits_flush(BitWriter *w)
{
    if (w->nbits > 0)
        bits_put(w, 0, 8 - w->nbits);
}

/* a * b modulo the CRC-32 polynomial, in gzip's reflected bit order. */
static uint32_t
crc_multiply(uint32_t a, uint32_t b)
{
    uint32_t product = 0;

    for (uint32_t m = 1u << 31; m != 0; m >>= 1) {
        if (a & m)
            product ^= b;
        b = (b & 1) ? (b >> 1) ^ 0xedb88320u : b >> 1;
    }
    return product;
}

/*
 * CRC-32 of len zero bytes. A zero byte multiplies the CRC register by x^8,
 * so len of them multiply it by x^(8 len); raising x^8 to that power by
 * squaring saves running 200 MB through the table at every start.
 */
static uint32_t
crc32_of_zeros(uint64_t len)
{
    uint32_t power = 1u << 31;  /* x^0 */
    uint32_t square = 1u << 23; /* x^8 */

    for (uint64_t n = len; n != 0; n >>= 1) {
        if (n & 1)
            power = crc_multiply(power, square);
        square = crc_multiply(square, square);
    }
    return ~crc_multiply(power, 0xffffffffu);
}

static void
put_le32(Text *out, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};

    text_append(out, b, sizeof b);
}

/*
 * Builds a gzip member that inflates to decoded_bytes zero bytes, without
 * zlib. Stored blocks would not compress, and fixed Huffman codes spend 13
 * bits per 258-byte copy; one dynamic block whose codes give "length 258"
 * and "distance 1" one bit each spends 2 bits per copy, the deflate maximum
 * of about 1032:1. Codes used:
 *   code lengths: 18 -> 0, 1 -> 10, 2 -> 11
 *   literal/length: 285 (length 258) -> 0, literal 0 -> 10, 256 (end) -> 11
 *   distance: 0 (distance 1) -> 0, 1 -> 1 (unused; keeps the code complete)
 */
static void
bomb_build(Text *out, uint64_t decoded_bytes)
{
    static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0,
                                             0,    0,    0, 2, 3};
    static const unsigned char order[18] = {16, 17, 18, 0,  8, 7,  9, 6,  10,
                                            5,  11, 4,  12, 3, 13, 2, 14, 1};
    BitWriter w = {out, 0, 0};

    assert(decoded_bytes >= 1);
    uint64_t copies = (decoded_bytes - 1) / 258;
    uint64_t tail = (decoded_bytes - 1) % 258;
    text_append(out, header, sizeof header);
    bits_put(&w, 1, 1);         /* BFINAL */
    bits_put(&w, 2, 2);         /* BTYPE: dynamic Huffman */
    bits_put(&w, 286 - 257, 5); /* HLIT: literal/length codes 0..285 */
    bits_put(&w, 2 - 1, 5);     /* HDIST: distance codes 0..1 */
    bits_put(&w, 18 - 4, 4);    /* HCLEN: code length code lengths sent */
    for (size_t i = 0; i < sizeof order; i++) {
        unsigned len = order[i] == 18 ? 1 : (order[i] <= 2 && order[i]) ? 2 : 0;
        bits_put(&w, len, 3);
    }
    /* Lengths of the 286 literal/length codes, then the 2 distance codes. */
    bits_put_code(&w, 3, 2); /* literal 0: length 2 */
    bits_put_code(&w, 0, 1); /* 1..138: zero */
    bits_put(&w, 138 - 11, 7);
    bits_put_code(&w, 0, 1); /* 139..255: zero */
    bits_put(&w, 117 - 11, 7);
    bits_put_code(&w, 3, 2); /* 256, end of block: length 2 */
    bits_put_code(&w, 0, 1); /* 257..284: zero */
    bits_put(&w, 28 - 11, 7);
    bits_put_code(&w, 2, 2); /* 285, length 258: length 1 */
    bits_put_code(&w, 2, 2); /* distance 0: length 1 */
    bits_put_code(&w, 2, 2); /* distance 1: length 1 */
    /* The data: one literal zero, then copies of it. */
    bits_put_code(&w, 2, 2);
    for (uint64_t i = 0; i < copies; i++) {
        bits_put_code(&w, 0, 1); /* length 258 */
        bits_put_code(&w, 0, 1); /* distance 1 */
    }
    for (uint64_t i = 0; i < tail; i++)
        bits_put_code(&w, 2, 2);
    bits_put_code(&w, 3, 2); /* end of block */
    bits_flush(&w);
    put_le32(out, crc32_of_zeros(decoded_bytes));
    put_le32(out, (uint32_t)decoded_bytes);
}

/* ---- requests ---- */

static bool
is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *
request_header(const Request *r, const char *name)
{
    for (size_t i = 0; i < r->header_count; i++) {
        if (strcmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    }
    return NULL;
}

static char *
trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

/* Parses one "Name: value" line in place; returns an HTTP status or 0. */
static int
parse_header_line(Request *r, char *line)
{
    char *colon = strchr(line, ':');

    if (colon == NULL || colon == line)
        return 400;
    for (char *p = line; p < colon; p++) {
        if (!is_token_char(*p))
            return 400; /* also refuses folding and "Name :" */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    if (r->header_count == HTTPD_MAX_HEADERS)
        return 431;
    *colon = '\0';
    r->headers[r->header_count].name = line;
    r->headers[r->header_count].value = trim(colon + 1);
    r->header_count++;
    return 0;
}

/* "METHOD /path?query HTTP/1.x"; returns an HTTP status or 0. */
static int
parse_request_line(Request *r, char *line)
{
    char *target;
    char *version;
    char *query;

    target = strchr(line, ' ');
    if (target == NULL)
        return 400;
    *target++ = '\0';
    version = strchr(target, ' ');
    if (version == NULL)
        return 400;
    *version++ = '\0';
    r->method = line;
    /* The absolute form a client sends to a proxy ("GET http://host/path"):
     * served like the path, so the server doubles as a forward proxy for
     * tests of proxy settings. */
    if (strncmp(target, "http://", 7) == 0) {
        char *slash = strchr(target + 7, '/');
        if (slash == NULL)
            return 400;
        target = slash;
    }
    if (strncmp(version, "HTTP/1.", 7) != 0 || target[0] != '/')
        return 400;
    query = strchr(target, '?');
    if (query != NULL)
        *query++ = '\0';
    r->raw_path = target;
    r->query = query;
    if (!percent_decode(target, strlen(target), false, r->path))
        return 400;
    r->is_head = strcmp(r->method, "HEAD") == 0;
    if (!r->is_head && strcmp(r->method, "GET") != 0)
        return 405;
    return 0;
}

/* Splits the header block (NUL-terminated in r->raw) into lines. */
static int
parse_request(Request *r)
{
    char *line = r->raw;
    bool first = true;

    while (*line != '\0') {
        char *eol = strchr(line, '\n');
        char *next = eol != NULL ? eol + 1 : line + strlen(line);
        int status;

        if (eol != NULL)
            *eol = '\0';
        if (eol != NULL && eol > line && eol[-1] == '\r')
            eol[-1] = '\0';
        if (first)
            status = parse_request_line(r, line);
        else
            status = parse_header_line(r, line);
        if (status != 0)
            return status;
        first = false;
        line = next;
    }
    return first ? 400 : 0;
}

/*
 * Reads up to the blank line that ends the headers. Returns 0 with the
 * request parsed, an HTTP status for a bad request, or -1 when the client
 * went away first.
 */
static int
read_request(int fd, Request *r)
{
    size_t len = 0;

    for (;;) {
        ssize_t n = read(fd, r->raw + len, HTTPD_REQUEST_MAX_BYTES - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        size_t from = len >= 3 ? len - 3 : 0;
        len += (size_t)n;
        r->raw[len] = '\0';
        for (size_t i = from; i < len; i++) {
            if (r->raw[i] != '\n')
                continue;
            bool crlf =
                i + 2 < len && r->raw[i + 1] == '\r' && r->raw[i + 2] == '\n';
            if (i + 1 < len && (r->raw[i + 1] == '\n' || crlf)) {
                if (memchr(r->raw, '\0', i) != NULL)
                    return 400;
                /* Cut before the last line's end: drops the blank line,
                 * any body, and the CR that parse_request would not see. */
                if (i > 0 && r->raw[i - 1] == '\r')
                    i--;
                r->raw[i] = '\0';
                return parse_request(r);
            }
        }
        if (len == HTTPD_REQUEST_MAX_BYTES)
            return 431;
    }
}

/*
 * Finds name=value in the query and percent-decodes the value into out
 * (at least HTTPD_REQUEST_MAX_BYTES + 1 bytes). Returns 1 when found, 0 when
 * absent, -1 when the value cannot be decoded safely.
 */
static int
query_get(const char *query, const char *name, char *out)
{
    size_t name_len = strlen(name);
    const char *p = query;

    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, '&');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len > name_len && strncmp(p, name, name_len) == 0 &&
            p[name_len] == '=') {
            const char *v = p + name_len + 1;
            return percent_decode(v, len - name_len - 1, true, out) ? 1 : -1;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

/* ---- responses ---- */

static const char *
reason_phrase(int status)
{
    static const struct {
        int status;
        const char *text;
    } table[] = {
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {203, "Non-Authoritative Information"},
        {204, "No Content"},
        {206, "Partial Content"},
        {300, "Multiple Choices"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {304, "Not Modified"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {402, "Payment Required"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {413, "Content Too Large"},
        {415, "Unsupported Media Type"},
        {418, "I'm a teapot"},
        {422, "Unprocessable Content"},
        {425, "Too Early"},
        {426, "Upgrade Required"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {451, "Unavailable For Legal Reasons"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {511, "Network Authentication Required"},
    };

    for (size_t i = 0; i < ARRAY_LEN(table); i++) {
        if (table[i].status == status)
            return table[i].text;
    }
    return "Unknown";
}

/* Writes everything or ends the child: a vanished client is not an error. */
static void
conn_write(Conn *c, const void *data, size_t len)
{
    if (write_all(c->fd, data, len) < 0)
        _exit(0);
}

static void
conn_body(Conn *c, const void *data, size_t len)
{
    if (!c->req->is_head)
        conn_write(c, data, len);
}

/* Appends s to b, replacing tabs and control bytes so a line stays a line. */
static void
log_field(Text *b, const char *s)
{
    if (s == NULL || *s == '\0') {
        text_appends(b, "-");
        return;
    }
    for (; *s != '\0'; s++) {
        char c = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
        text_append(b, &c, 1);
    }
}

static void
conn_log(Conn *c, int status)
{
    const Request *r = c->req;
    Text line;

    if (c->logged || c->server->log_fd < 0)
        return;
    c->logged = true;
    text_init(&line);
    log_field(&line, r->method);
    text_appends(&line, "\t");
    log_field(&line, r->raw_path);
    text_appends(&line, "\t");
    log_field(&line, request_header(r, "if-none-match"));
    text_appends(&line, "\t");
    log_field(&line, request_header(r, "if-modified-since"));
    text_appendf(&line, "\t%d\n", status);
    /* One write on an O_APPEND descriptor keeps children's lines whole. */
    write_all(c->server->log_fd, line.data, line.len);
    text_free(&line);
}

/*
 * Sends the status line and headers. content_length < 0 omits the header;
 * extra holds complete "Name: value\r\n" lines or is NULL.
 */
static void
conn_head(Conn *c, int status, const char *content_type,
          long long content_length, const char *extra)
{
    char date[64];
    Text b;

    conn_log(c, status);
    http_date_format(time(NULL), date, sizeof date);
    text_init(&b);
    text_appendf(&b,
                 "HTTP/1.1 %d %s\r\n"
                 "Date: %s\r\n"
                 "Server: newswire-test-httpd\r\n"
                 "Connection: close\r\n",
                 status, reason_phrase(status), date);
    if (content_type != NULL)
        text_appendf(&b, "Content-Type: %s\r\n", content_type);
    if (content_length >= 0)
        text_appendf(&b, "Content-Length: %lld\r\n", content_length);
    if (extra != NULL)
        text_appends(&b, extra);
    text_appends(&b, "\r\n");
    conn_write(c, b.data, b.len);
    text_free(&b);
}

/* A complete response with an in-memory body. */
static void
conn_respond(Conn *c, int status, const char *content_type, const char *body,
             size_t body_len, const char *extra)
{
    conn_head(c, status, content_type, (long long)body_len, extra);
    conn_body(c, body, body_len);
}

/* The body /status/NNN sends, also used for the server's own errors. */
static void
conn_error(Conn *c, int status, const char *extra)
{
    char body[128];
    int n;

    if (status == 204 || status == 304) {
        conn_head(c, status, NULL, -1, extra);
        return;
    }
    n = snprintf(body, sizeof body,
                 "{\"status\":\"error\",\"code\":\"x\","
                 "\"message\":\"status %d\"}",
                 status);
    conn_respond(c, status, "application/json", body, (size_t)n, extra);
}

/*
 * Ends the child with a clean close. Closing a socket that still holds
 * unread input makes the kernel send an RST instead of a FIN, which would
 * turn every response into a reset; so send the FIN first and drain what
 * the client still sends, for a bounded time.
 */
static _Noreturn void
conn_finish(Conn *c)
{
    int64_t deadline = monotonic_ms() + HTTPD_DRAIN_MS;
    char scratch[4096];

    shutdown(c->fd, SHUT_WR);
    for (;;) {
        int64_t left = deadline - monotonic_ms();
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        if (read(c->fd, scratch, sizeof scratch) <= 0)
            break;
    }
    close(c->fd);
    _exit(0);
}

/* Ends the child with an RST: SO_LINGER with a zero timeout. */
static _Noreturn void
conn_reset(Conn *c)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};

    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c->fd);
    _exit(0);
}

/* ---- routes ---- */

static const char *
content_type_for(const char *name)
{
    if (has_suffix(name, ".json"))
        return "application/json";
    if (has_suffix(name, ".xml"))
        return "application/xml";
    if (has_suffix(name, ".rss"))
        return "application/rss+xml";
    if (has_suffix(name, ".atom"))
        return "application/atom+xml";
    if (has_suffix(name, ".html"))
        return "text/html";
    return "application/octet-stream";
}

/* Relative, and no ".." segment: the name cannot leave the root. */
static bool
name_is_safe(const char *name)
{
    const char *seg = name;

    if (name[0] == '/')
        return false;
    while (seg != NULL) {
        const char *slash = strchr(seg, '/');
        size_t len = slash != NULL ? (size_t)(slash - seg) : strlen(seg);
        if (len == 2 && seg[0] == '.' && seg[1] == '.')
            return false;
        seg = slash != NULL ? slash + 1 : NULL;
    }
    return true;
}

/* Reads root/name whole. Returns 0, or the HTTP status to answer with. */
static int
file_load(int root_fd, const char *name, Text *out, time_t *mtime)
{
    struct stat st;
    char chunk[65536];
    int status = 0;
    int fd = openat(root_fd, name, O_RDONLY | O_NOCTTY);

    if (fd < 0)
        return errno == EACCES ? 403 : 404;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        status = 404;
        goto out;
    }
    if (st.st_size > HTTPD_FILE_MAX_BYTES) {
        status = 500;
        goto out;
    }
    *mtime = st.st_mtime;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            status = 500;
            goto out;
        }
        if (n == 0)
            break;
        text_append(out, chunk, (size_t)n);
    }
out:
    close(fd);
    return status;
}

/* If-None-Match: "*" or a list of entity tags, compared weakly. */
static bool
etag_list_matches(const char *list, const char *etag)
{
    size_t etag_len = strlen(etag);
    const char *p = list;

    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 1 && p[0] == '*')
            return true;
        if (len > 2 && strncmp(p, "W/", 2) == 0) {
            p += 2;
            len -= 2;
        }
        if (len == etag_len && strncmp(p, etag, len) == 0)
            return true;
        if (end == NULL)
            break;
        p = end + 1;
    }
    return false;
}

/* RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only without it. */
static bool
is_not_modified(const Request *r, const char *etag, time_t mtime)
{
    const char *inm = request_header(r, "if-none-match");
    const char *ims = request_header(r, "if-modified-since");
    time_t since;

    if (inm != NULL)
        return etag_list_matches(inm, etag);
    if (ims != NULL && http_date_parse(ims, &since))
        return mtime <= since;
    return false;
}

static void
serve_file_as(Conn *c, const char *name, ServeMode mode, const char *type)
{
    char etag[32];
    char last_modified[64];
    char *extra;
    time_t mtime = 0;
    Text body;
    int status;

    if (!name_is_safe(name)) {
        conn_error(c, 403, NULL);
        return;
    }
    text_init(&body);
    status = file_load(c->server->root_fd, name, &body, &mtime);
    if (status != 0) {
        conn_error(c, status, NULL);
        text_free(&body);
        return;
    }
    snprintf(etag, sizeof etag, "\"%016" PRIx64 "\"",
             fnv1a64(body.data, body.len));
    http_date_format(mtime, last_modified, sizeof last_modified);
    extra = xprintf("ETag: %s\r\nLast-Modified: %s\r\n", etag, last_modified);
    if (mode == SERVE_NORMAL && type == NULL &&
        is_not_modified(c->req, etag, mtime)) {
        conn_head(c, 304, NULL, -1, extra);
        goto out;
    }
    conn_head(c, 200, type != NULL ? type : content_type_for(name),
              (long long)body.len, extra);
    switch (mode) {
    case SERVE_NORMAL:
        conn_body(c, body.data, body.len);
        break;
    case SERVE_STALL:
        for (;;)
            pause(); /* until alarm() ends the child */
    case SERVE_TRICKLE:
        for (size_t i = 0; i < body.len && !c->req->is_head; i++) {
            conn_write(c, body.data + i, 1);
            if (i + 1 < body.len)
                sleep_ms(1000);
        }
        break;
    case SERVE_RESET:
        conn_body(c, body.data, body.len / 2);
        sleep_ms(HTTPD_RESET_DELAY_MS);
        conn_reset(c);
    case SERVE_TRUNCATED:
        conn_body(c, body.data, body.len / 2);
        break;
    }
out:
    free(extra);
    text_free(&body);
}

static void
serve_file(Conn *c, const char *name, ServeMode mode)
{
    serve_file_as(c, name, mode, NULL);
}

static void
route_status(Conn *c, const char *rest)
{
    char *value = xmalloc(HTTPD_REQUEST_MAX_BYTES + 1);
    char *extra = NULL;
    long status;
    int found = 0;

    if (strlen(rest) != 3 || !parse_long(rest, 200, 599, &status)) {
        conn_error(c, 404, NULL);
        goto out;
    }
    if (c->req->query != NULL)
        found = query_get(c->req->query, "retry_after", value);
    if (found < 0) {
        conn_error(c, 400, NULL);
        goto out;
    }
    if (found > 0)
        extra = xprintf("Retry-After: %s\r\n", value);
    conn_error(c, (int)status, extra);
out:
    free(extra);
    free(value);
}

static void
route_slow(Conn *c, const char *rest)
{
    const char *slash = strchr(rest, '/');
    char digits[16];
    long ms;

    if (slash == NULL || (size_t)(slash - rest) >= sizeof digits) {
        conn_error(c, 404, NULL);
        return;
    }
    memcpy(digits, rest, (size_t)(slash - rest));
    digits[slash - rest] = '\0';
    if (!parse_long(digits, 0, HTTPD_CHILD_LIFETIME_S * 1000L, &ms)) {
        conn_error(c, 404, NULL);
        return;
    }
    sleep_ms(ms);
    serve_file(c, slash + 1, SERVE_NORMAL);
}

static void
conn_redirect(Conn *c, const char *location)
{
    char *extra = xprintf("Location: %s\r\n", location);

    conn_respond(c, 302, NULL, "", 0, extra);
    free(extra);
}

/* Percent-encodes all but unreserved characters and '/'. */
static void
append_path_encoded(Text *b, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
            (ch >= '0' && ch <= '9') || strchr("-._~/", ch) != NULL) {
            text_append(b, s, 1);
        } else {
            text_appendf(b, "%%%02X", ch);
        }
    }
}

static void
route_redirect(Conn *c, const char *rest)
{
    const char *slash = strchr(rest, '/');
    char digits[16];
    long hops;
    Text location;

    if (slash == NULL || (size_t)(slash - rest) >= sizeof digits) {
        conn_error(c, 404, NULL);
        return;
    }
    memcpy(digits, rest, (size_t)(slash - rest));
    digits[slash - rest] = '\0';
    if (!parse_long(digits, 0, 1000000, &hops)) {
        conn_error(c, 404, NULL);
        return;
    }
    if (hops == 0) {
        serve_file(c, slash + 1, SERVE_NORMAL);
        return;
    }
    text_init(&location);
    text_appendf(&location, "/redirect/%ld/", hops - 1);
    append_path_encoded(&location, slash + 1);
    conn_redirect(c, location.data);
    text_free(&location);
}

static void
route_redirect_to(Conn *c, const char *rest)
{
    char *url = xmalloc(HTTPD_REQUEST_MAX_BYTES + 1);
    int found = 0;

    (void)rest;
    if (c->req->query != NULL)
        found = query_get(c->req->query, "url", url);
    if (found <= 0)
        conn_error(c, 400, NULL);
    else
        conn_redirect(c, url);
    free(url);
}

static void
route_big(Conn *c, const char *rest)
{
    /* A whole number of FILLER repeats, so consecutive writes line up. */
    static char block[(sizeof FILLER - 1) * 13107];
    long long left;
    long bytes;

    if (!parse_long(rest, 0, LONG_MAX, &bytes)) {
        conn_error(c, 404, NULL);
        return;
    }
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = FILLER[i % (sizeof FILLER - 1)];
    conn_head(c, 200, "application/json", bytes, NULL);
    for (left = bytes; left > 0 && !c->req->is_head;) {
        size_t n = left < (long long)sizeof block ? (size_t)left : sizeof block;
        conn_write(c, block, n);
        left -= (long long)n;
    }
}

static void
route_chunked_endless(Conn *c, const char *rest)
{
    static char chunk[HTTPD_CHUNK_BYTES + 16];
    int n = snprintf(chunk, sizeof chunk, "%x\r\n", HTTPD_CHUNK_BYTES);

    (void)rest;
    for (int i = 0; i < HTTPD_CHUNK_BYTES; i++)
        chunk[n + i] = FILLER[i % (sizeof FILLER - 1)];
    memcpy(chunk + n + HTTPD_CHUNK_BYTES, "\r\n", 2);
    conn_head(c, 200, "application/json", -1, "Transfer-Encoding: chunked\r\n");
    if (c->req->is_head)
        conn_finish(c);
    /* Only alarm() or a write to a vanished client ends this. */
    for (;;) {
        conn_write(c, chunk, (size_t)n + HTTPD_CHUNK_BYTES + 2);
        sleep_ms(HTTPD_CHUNK_INTERVAL_MS);
    }
}

static void
json_append_string(Text *b, const char *s)
{
    text_appends(b, "\"");
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            text_appendf(b, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            text_appendf(b, "\\u%04x", ch);
        else
            text_append(b, s, 1);
    }
    text_appends(b, "\"");
}

/* Repeated names are joined with ", " as RFC 9110 5.3 allows. */
static void
route_headers(Conn *c, const char *rest)
{
    const Request *r = c->req;
    Text body;
    Text value;
    bool first = true;

    (void)rest;
    text_init(&body);
    text_init(&value);
    text_appends(&body, "{");
    for (size_t i = 0; i < r->header_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(r->headers[j].name, r->headers[i].name) == 0;
        if (seen)
            continue;
        text_clear(&value);
        for (size_t j = i; j < r->header_count; j++) {
            if (strcmp(r->headers[j].name, r->headers[i].name) != 0)
                continue;
            if (value.len > 0)
                text_appends(&value, ", ");
            text_appends(&value, r->headers[j].value);
        }
        text_appends(&body, first ? "" : ",");
        json_append_string(&body, r->headers[i].name);
        text_appends(&body, ":");
        json_append_string(&body, value.len > 0 ? value.data : "");
        first = false;
    }
    text_appends(&body, "}");
    conn_respond(c, 200, "application/json", body.data, body.len, NULL);
    text_free(&value);
    text_free(&body);
}

static void
route_files(Conn *c, const char *rest)
{
    serve_file(c, rest, SERVE_NORMAL);
}

static void
route_stall(Conn *c, const char *rest)
{
    serve_file(c, rest, SERVE_STALL);
}

static void
route_trickle(Conn *c, const char *rest)
{
    serve_file(c, rest, SERVE_TRICKLE);
}

static void
route_reset(Conn *c, const char *rest)
{
    serve_file(c, rest, SERVE_RESET);
}

static void
route_truncated(Conn *c, const char *rest)
{
    serve_file(c, rest, SERVE_TRUNCATED);
}

static void
route_redirect_loop(Conn *c, const char *rest)
{
    (void)rest;
    conn_redirect(c, "/redirect-loop");
}

static void
route_gzip_bomb(Conn *c, const char *rest)
{
    const Text *bomb = &c->server->bomb;

    (void)rest;
    conn_head(c, 200, "application/json", (long long)bomb->len,
              "Content-Encoding: gzip\r\n");
    conn_body(c, bomb->data, bomb->len);
}

static void
route_html(Conn *c, const char *rest)
{
    (void)rest;
    conn_respond(c, 200, "text/html; charset=utf-8", CAPTIVE_PORTAL_HTML,
                 sizeof CAPTIVE_PORTAL_HTML - 1, NULL);
}

static void
route_empty(Conn *c, const char *rest)
{
    (void)rest;
    conn_respond(c, 200, "application/json", "", 0, NULL);
}

static void
route_as(Conn *c, const char *rest)
{
    /* TYPE/SUB/NAME: the type is the first two segments. */
    const char *slash = strchr(rest, '/');
    const char *name = slash != NULL ? strchr(slash + 1, '/') : NULL;
    char type[128];

    if (name == NULL || (size_t)(name - rest) >= sizeof type) {
        conn_error(c, 404, NULL);
        return;
    }
    memcpy(type, rest, (size_t)(name - rest));
    type[name - rest] = '\0';
    serve_file_as(c, name + 1, SERVE_NORMAL, type);
}

static void route(Conn *c);

/* Replaces the request target with target ("/path?query") and routes it
 * again; conditional headers stay as the client sent them. */
static void
reroute(Conn *c, const char *target)
{
    Request *r = c->req;
    char *q;

    if (target[0] != '/' || after_prefix(target, "/switch/") != NULL ||
        after_prefix(target, "/cycle/") != NULL ||
        strlen(target) >= sizeof r->rewritten) {
        conn_error(c, 500, NULL);
        return;
    }
    strcpy(r->rewritten, target);
    q = strchr(r->rewritten, '?');
    if (q != NULL)
        *q++ = '\0';
    r->raw_path = r->rewritten;
    r->query = q;
    if (!percent_decode(r->rewritten, strlen(r->rewritten), false, r->path)) {
        conn_error(c, 400, NULL);
        return;
    }
    route(c);
}

static void
route_switch(Conn *c, const char *rest)
{
    char *name = xprintf("%s.route", rest);
    Text body;
    time_t mtime;
    int status;

    text_init(&body);
    status = name_is_safe(name) && strchr(rest, '/') == NULL
                 ? file_load(c->server->root_fd, name, &body, &mtime)
                 : 403;
    if (status != 0 || body.len == 0) {
        conn_error(c, status != 0 ? status : 500, NULL);
    } else {
        body.data[strcspn(body.data, "\r\n")] = '\0';
        reroute(c, body.data);
    }
    text_free(&body);
    free(name);
}

/* The soak cycle: mostly good answers, with every fault in between. */
static const char *const CYCLE[] = {
    "/files/%s",
    "/files/%s",
    "/status/500",
    "/files/%s",
    "/stall/%s",
    "/files/%s",
    "/trickle/%s",
    "/reset/%s",
    "/files/%s",
    "/truncated/%s",
    "/chunked-endless",
    "/files/%s",
    "/gzip-bomb",
    "/html",
    "/status/429?retry_after=1",
    "/files/%s",
    "/redirect-loop",
    "/empty",
    "/status/404",
    "/status/503?retry_after=Thu,+01+Jan+1970+00:00:00+GMT",
    "/as/image/png/%s",
    "/redirect-to?url=file:///etc/passwd",
    "/files/%s",
};

static void
route_cycle(Conn *c, const char *rest)
{
    unsigned long n = c->server->accepted - 1;
    char target[1024];

    if (strlen(rest) > 512 || strchr(rest, '%') != NULL) {
        conn_error(c, 404, NULL);
        return;
    }
    snprintf(target, sizeof target, CYCLE[n % ARRAY_LEN(CYCLE)], rest);
    reroute(c, target);
}

typedef struct Route {
    const char *path; /* ending in '/': a prefix whose rest is passed on */
    void (*handler)(Conn *c, const char *rest);
} Route;

static const Route ROUTES[] = {
    {"/files/", route_files},
    {"/status/", route_status},
    {"/slow/", route_slow},
    {"/stall/", route_stall},
    {"/trickle/", route_trickle},
    {"/reset/", route_reset},
    {"/truncated/", route_truncated},
    {"/redirect/", route_redirect},
    {"/redirect-loop", route_redirect_loop},
    {"/redirect-to", route_redirect_to},
    {"/big/", route_big},
    {"/chunked-endless", route_chunked_endless},
    {"/gzip-bomb", route_gzip_bomb},
    {"/html", route_html},
    {"/empty", route_empty},
    {"/headers", route_headers},
    {"/as/", route_as},
    {"/switch/", route_switch},
    {"/cycle/", route_cycle},
};

static void
route(Conn *c)
{
    for (size_t i = 0; i < ARRAY_LEN(ROUTES); i++) {
        const char *rest = after_prefix(c->req->path, ROUTES[i].path);
        bool is_prefix = has_suffix(ROUTES[i].path, "/");
        if (rest != NULL && (is_prefix || *rest == '\0')) {
            ROUTES[i].handler(c, rest);
            return;
        }
    }
    conn_error(c, 404, NULL);
}

/* The whole life of a child process: one request, one response. */
static _Noreturn void
child_main(const Server *s, int fd)
{
    Conn c = {.fd = fd, .server = s, .logged = false};
    int status;

    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    /* Default action: the child dies at the alarm, whatever it is doing. */
    signal(SIGALRM, SIG_DFL);
    alarm(HTTPD_CHILD_LIFETIME_S);
    close(s->listen_fd);
    c.req = xcalloc(1, sizeof *c.req);
    status = read_request(fd, c.req);
    if (status < 0) {
        close(fd);
        _exit(0);
    }
    if (status == 405)
        conn_error(&c, 405, "Allow: GET, HEAD\r\n");
    else if (status != 0)
        conn_error(&c, status, NULL);
    else
        route(&c);
    conn_finish(&c);
}

/* ---- the parent ---- */

static void
on_stop(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void
on_child(int sig)
{
    (void)sig; /* only here so SIGCHLD interrupts poll() */
}

static void
install_signals(void)
{
    struct sigaction sa;
    sigset_t none;

    /* The mask survives exec: a test that starts us from a thread with
     * SIGTERM blocked must still be able to stop us. */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a signal must cut poll() short. */
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

static void
reap_children(Server *s)
{
    for (;;) {
        pid_t pid = waitpid(-1, NULL, WNOHANG);
        if (pid <= 0)
            break;
        for (size_t i = 0; i < s->child_count; i++) {
            if (s->children[i] == pid) {
                s->children[i] = s->children[--s->child_count];
                break;
            }
        }
    }
}

/* An unreaped child's pid cannot be reused, so killing by pid is exact. */
static void
kill_children(Server *s)
{
    for (size_t i = 0; i < s->child_count; i++)
        kill(s->children[i], SIGKILL);
    for (size_t i = 0; i < s->child_count; i++) {
        while (waitpid(s->children[i], NULL, 0) < 0 && errno == EINTR) {
        }
    }
    s->child_count = 0;
}

static void
accept_one(Server *s)
{
    int fd = accept(s->listen_fd, NULL, NULL);
    pid_t pid;

    if (fd < 0)
        return; /* EAGAIN, ECONNABORTED, EINTR: try again next round */
    s->accepted++;
    /* Whether O_NONBLOCK is inherited is unspecified; the child blocks. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    pid = fork();
    if (pid == 0)
        child_main(s, fd);
    if (pid > 0)
        s->children[s->child_count++] = pid;
    close(fd);
}

static void
server_run(Server *s, long max_seconds)
{
    int64_t deadline_ms = monotonic_ms() + max_seconds * 1000;

    while (!g_stop) {
        int64_t left_ms;
        int timeout_ms;
        struct pollfd pfd = {.fd = s->listen_fd, .events = POLLIN};

        reap_children(s);
        left_ms = deadline_ms - monotonic_ms();
        if (left_ms <= 0)
            break;
        timeout_ms = (int)MIN(left_ms, HTTPD_TICK_MS);
        if (s->child_count == HTTPD_MAX_CHILDREN) {
            /* Full: leave connections in the backlog until one exits. */
            poll(NULL, 0, timeout_ms);
            continue;
        }
        if (poll(&pfd, 1, timeout_ms) > 0)
            accept_one(s);
    }
    kill_children(s);
}

/* Returns the port, or -1 with a message printed. */
static int
listen_loopback(Server *s, long port)
{
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof addr;
    int one = 1;

    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0) {
        perror("httpd: socket");
        return -1;
    }
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        listen(s->listen_fd, 64) < 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &addr_len) < 0) {
        fprintf(stderr, "httpd: cannot listen on 127.0.0.1:%ld: %s\n", port,
                strerror(errno));
        return -1;
    }
    /* Non-blocking, so a client that vanishes between poll() and accept()
     * cannot block the parent. */
    fcntl(s->listen_fd, F_SETFL, fcntl(s->listen_fd, F_GETFL) | O_NONBLOCK);
    return ntohs(addr.sin_port);
}

/* Temp name, then rename: a reader sees no file or the whole number. */
static int
write_port_file(const char *path, int port)
{
    char *tmp = xprintf("%s.tmp.%ld", path, (long)getpid());
    char line[16];
    int n = snprintf(line, sizeof line, "%d\n", port);
    int rc = -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    if (fd >= 0) {
        rc = write_all(fd, line, (size_t)n);
        if (close(fd) < 0)
            rc = -1;
        if (rc == 0)
            rc = rename(tmp, path);
        if (rc < 0)
            unlink(tmp);
    }
    if (rc < 0)
        fprintf(stderr, "httpd: %s: %s\n", path, strerror(errno));
    free(tmp);
    return rc;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: httpd --root DIR [--port N] [--port-file FILE] "
                 "[--max-seconds N] [--log FILE]\n");
}

/* Accepts "--name value" and "--name=value". Returns 0, or 2 for usage. */
static int
parse_options(int argc, char **argv, Options *o)
{
    o->root = NULL;
    o->port_file = NULL;
    o->log_path = NULL;
    o->port = 0;
    o->max_seconds = HTTPD_DEFAULT_MAX_SECONDS;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq = strchr(arg, '=');
        size_t name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        const char *value = eq != NULL ? eq + 1 : NULL;

        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (value == NULL && i + 1 < argc)
            value = argv[++i];
        if (value == NULL) {
            fprintf(stderr, "httpd: %s needs a value\n", arg);
            return 2;
        }
        if (name_len == 6 && strncmp(arg, "--root", 6) == 0) {
            o->root = value;
        } else if (name_len == 11 && strncmp(arg, "--port-file", 11) == 0) {
            o->port_file = value;
        } else if (name_len == 5 && strncmp(arg, "--log", 5) == 0) {
            o->log_path = value;
        } else if (name_len == 6 && strncmp(arg, "--port", 6) == 0) {
            if (!parse_long(value, 0, 65535, &o->port)) {
                fprintf(stderr, "httpd: bad --port: %s\n", value);
                return 2;
            }
        } else if (name_len == 13 && strncmp(arg, "--max-seconds", 13) == 0) {
            if (!parse_long(value, 1, 86400, &o->max_seconds)) {
                fprintf(stderr, "httpd: bad --max-seconds: %s\n", value);
                return 2;
            }
        } else {
            fprintf(stderr, "httpd: unknown option: %s\n", arg);
            return 2;
        }
    }
    if (o->root == NULL) {
        fprintf(stderr, "httpd: --root is required\n");
        return 2;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    Options opt;
    Server s;
    int port;
    int rc = parse_options(argc, argv, &opt);

    if (rc != 0) {
        usage(stderr);
        return rc;
    }
    memset(&s, 0, sizeof s);
    s.listen_fd = -1;
    s.log_fd = -1;
    text_init(&s.bomb);
    s.root_fd = open(opt.root, O_RDONLY | O_DIRECTORY);
    if (s.root_fd < 0) {
        fprintf(stderr, "httpd: %s: %s\n", opt.root, strerror(errno));
        return 1;
    }
    if (opt.log_path != NULL) {
        s.log_fd = open(opt.log_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (s.log_fd < 0) {
            fprintf(stderr, "httpd: %s: %s\n", opt.log_path, strerror(errno));
            rc = 1;
            goto out;
        }
    }
    bomb_build(&s.bomb, HTTPD_BOMB_DECODED_BYTES);
    install_signals();
    port = listen_loopback(&s, opt.port);
    if (port < 0 ||
        (opt.port_file != NULL && write_port_file(opt.port_file, port) < 0)) {
        rc = 1;
        goto out;
    }
    printf("%d\n", port);
    fflush(stdout);
    server_run(&s, opt.max_seconds);
out:
    text_free(&s.bomb);
    if (s.listen_fd >= 0)
        close(s.listen_fd);
    if (s.log_fd >= 0)
        close(s.log_fd);
    close(s.root_fd);
    return rc;
}
