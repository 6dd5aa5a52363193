/*
 * bench_decode: what reading a feed costs, against the bare parser of the
 * same bytes. For a 200-story and a 10,000-story NewsAPI document it times
 * cJSON_ParseWithLength + cJSON_Delete against the whole path the fetch
 * thread runs (feed_decode: parse, map, clean every string, quirks; then
 * merge_lists with the default filters), and for a 1,000-item RSS 2.0
 * document xmlReadMemory + xmlFreeDoc against the same path. The
 * documents are generated here (realistic fields: HTML and entities in
 * descriptions, " - Source" suffixes, truncation markers, RFC 822 dates).
 *
 * The decoder keeps at most FEED_MAX_STORIES (500) stories per feed, so on
 * the 10,000-story document it parses everything but cleans 500; a second
 * line lifts that cap to show the cost of cleaning all 10,000. Last, the
 * peak memory (VmHWM) of decoding the 10,000-story document, each
 * measurement in a fresh process. Prints figures; run with `make
 * bench-decode`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <libxml/parser.h>

#include "config.h"
#include "feed.h"
#include "merge.h"
#include "util.h"

static const char *const SOURCES[] = {"BBC News", "Reuters", "The Verge",
                                      "Associated Press", "Der Spiegel"};

static int64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
newsapi_doc(Buf *b, int n)
{
    buf_appendf(b, "{\"status\":\"ok\",\"totalResults\":%d,\"articles\":[", n);
    for (int i = 0; i < n; i++) {
        const char *src = SOURCES[i % 5];
        buf_appendf(
            b,
            "%s{\"source\":{\"id\":null,\"name\":\"%s\"},\"author\":\"Desk "
            "%d\",\"title\":\"Council approves plan %d for the harbour "
            "district after a long debate - %s\",\"description\":\"Members "
            "voted 7&ndash;2 on Tuesday.<br>The plan &quot;%d&quot; adds "
            "new bike lanes &amp; a ferry stop, officials said.\",\"url\":"
            "\"https://news.example.com/2025/03/%02d/story-%d?utm_source="
            "feed\",\"urlToImage\":\"https://img.example.com/%d.jpg\","
            "\"publishedAt\":\"2025-03-%02dT%02d:%02d:00Z\",\"content\":"
            "\"Members of the council voted seven to two on Tuesday to "
            "approve the plan, which adds bike lanes and a ferry stop to "
            "the harbour district. Work starts in May and should finish "
            "next year, the mayor said.\\r\\nThe vote followed\\u2026 "
            "[+%d chars]\"}",
            i ? "," : "", src, i, i, src, i, 1 + i % 28, i, i, 1 + i % 28,
            i % 24, i % 60, 1000 + i);
    }
    buf_appends(b, "]}");
}

static void
rss_doc(Buf *b, int n)
{
    buf_appends(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss "
                   "version=\"2.0\" xmlns:media=\"http://search.yahoo.com/"
                   "mrss/\"><channel><title>Valley Courier</title><link>"
                   "https://courier.example.com/</link><description>Local "
                   "news</description>\n");
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};
    for (int i = 0; i < n; i++) {
        buf_appendf(
            b,
            "<item><title>Bridge inspection %d finds &amp;quot;minor&amp;"
            "quot; wear on the old span</title><link>https://courier.example"
            ".com/story/%d</link><guid isPermaLink=\"false\">courier-%d</guid>"
            "<pubDate>%s, %02d Mar 2025 %02d:%02d:05 EST</pubDate>"
            "<description><![CDATA[<p>Engineers say the span is <b>safe</b> "
            "for traffic, but repairs to the railings &amp; the deck will "
            "start in <em>April</em>.</p>]]></description><media:thumbnail "
            "url=\"https://courier.example.com/img/%d.jpg\"/></item>\n",
            i, i, i, days[i % 7], 1 + i % 28, i % 24, i % 60, i);
    }
    buf_appends(b, "</channel></rss>\n");
}

typedef void (*Step)(const Buf *doc, void *ud);

static double
time_once_ms(Step step, const Buf *doc, void *ud)
{
    int64_t t0 = now_ns();
    step(doc, ud);
    return (double)(now_ns() - t0) / 1e6;
}

/* The best times of reps runs of a and b, in milliseconds, taken in turns
 * so that both meet the same conditions; other work on the machine only
 * ever adds time, so the minimum is the steadiest figure. */
static void
time_pair_ms(Step a, void *a_ud, Step b, void *b_ud, const Buf *doc, int reps,
             double *a_ms, double *b_ms)
{
    a(doc, a_ud); /* warm-up */
    b(doc, b_ud);
    *a_ms = *b_ms = 1e30;
    for (int i = 0; i < reps; i++) {
        double t = time_once_ms(a, doc, a_ud);
        *a_ms = t < *a_ms ? t : *a_ms;
        t = time_once_ms(b, doc, b_ud);
        *b_ms = t < *b_ms ? t : *b_ms;
    }
}

static void
bare_json(const Buf *doc, void *ud)
{
    (void)ud;
    cJSON *root = cJSON_ParseWithLength(doc->data, doc->len);
    ASSERT(root);
    cJSON_Delete(root);
}

static void
bare_xml(const Buf *doc, void *ud)
{
    (void)ud;
    xmlDocPtr d = xmlReadMemory(doc->data, (int)doc->len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
    ASSERT(d);
    xmlFreeDoc(d);
}

typedef struct Path {
    FeedDecodeOpts opts;
    MergeOpts merge;
    size_t stories; /* decoded, for the report */
    size_t shown;   /* after merging */
} Path;

/* The fetch thread's work for one document: decode, then merge. */
static void
full_path(const Buf *doc, void *ud)
{
    Path *p = ud;
    StoryList *list = NULL;
    char err[256];
    int rc =
        feed_decode(doc->data, doc->len, &p->opts, &list, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "bench_decode: %s\n", err);
        exit(1);
    }
    const StoryList *lists[] = {list};
    StoryList *merged = merge_lists(lists, 1, &p->merge);
    p->stories = list->count;
    p->shown = merged->count;
    story_list_free(merged);
    story_list_free(list);
}

static Path
path_for(FeedFormat format, size_t max_stories)
{
    Config *cfg = xcalloc(1, sizeof(Config));
    config_defaults(cfg);
    Path p = {.opts = {.feed_name = "bench",
                       .format = format,
                       .max_bytes = 64 * 1024 * 1024,
                       .max_stories = max_stories}};
    merge_opts_init(&p.merge, cfg);
    p.merge.now_s = INT64_C(1741112525);
    free(cfg);
    return p;
}

static void
report(const char *what, const Buf *doc, Step bare, const char *bare_name,
       Path *p, int reps)
{
    double b, f;
    time_pair_ms(bare, NULL, full_path, p, doc, reps, &b, &f);
    printf("%-34s %8.1f KiB  %-13s %8.3f ms  decode+clean+merge %8.3f ms  "
           "%.2fx  (%zu stories kept, %zu after merge)\n",
           what, (double)doc->len / 1024, bare_name, b, f, f / b, p->stories,
           p->shown);
}

/* Peak resident memory in KiB since the last reset (VmHWM). */
static long
peak_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "VmHWM:", 6))
            kib = strtol(line + 6, NULL, 10);
    }
    fclose(f);
    return kib;
}

static long
current_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "VmRSS:", 6))
            kib = strtol(line + 6, NULL, 10);
    }
    fclose(f);
    return kib;
}

/* Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
static bool
reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    bool ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/* One memory measurement in a fresh process (started by main with
 * --memory MODE FILE), so that no memory freed earlier is reused and
 * hides the peak: reads the document, then reports how far the peak RSS
 * rose above the RSS with the document loaded. */
static int
memory_child(const char *mode, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    Buf doc = {xmalloc((size_t)size), (size_t)size, (size_t)size};
    if (fread(doc.data, 1, (size_t)size, f) != (size_t)size)
        return 1;
    fclose(f);
    reset_peak();
    long base = current_kib();
    if (!strcmp(mode, "bare")) {
        bare_json(&doc, NULL);
    } else {
        Path p = path_for(FEED_FORMAT_AUTO,
                          !strcmp(mode, "all") ? (size_t)1 << 20 : 0);
        full_path(&doc, &p);
    }
    printf("%ld\n", peak_kib() - base);
    free(doc.data);
    return 0;
}

/* Runs this program again as a memory child; returns its figure in KiB. */
static long
measure_memory(const char *mode, const char *path)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl("/proc/self/exe", "bench_decode", "--memory", mode, path,
              (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char out[64] = "";
    ssize_t n = read(fds[0], out, sizeof(out) - 1);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return strtol(out, NULL, 10);
}

static void
report_memory(int n)
{
    Buf doc;
    buf_init(&doc);
    newsapi_doc(&doc, n);
    char path[] = "/tmp/bench-decode-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, doc.data, doc.len) != (ssize_t)doc.len) {
        fprintf(stderr, "bench_decode: cannot write %s\n", path);
        return;
    }
    close(fd);
    long bare = measure_memory("bare", path);
    long capped = measure_memory("path", path);
    long all = measure_memory("all", path);
    unlink(path);
    printf("peak memory above the loaded document, %d-story NewsAPI "
           "document (%.1f MiB), each in a fresh process:\n"
           "  cJSON_Parse alone                %7.1f MiB\n"
           "  decode+clean+merge (cap %d)     %7.1f MiB\n"
           "  decode+clean+merge (no cap)      %7.1f MiB\n",
           n, (double)doc.len / (1024 * 1024), (double)bare / 1024,
           FEED_MAX_STORIES, (double)capped / 1024, (double)all / 1024);
    buf_deinit(&doc);
}

int
main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--memory"))
        return memory_child(argv[2], argv[3]);
    xmlInitParser();
    Buf small, large, rss;
    buf_init(&small);
    buf_init(&large);
    buf_init(&rss);
    newsapi_doc(&small, 200);
    newsapi_doc(&large, 10000);
    rss_doc(&rss, 1000);

    printf("bench-decode: best of repeated runs, taken in turns; the ratio is "
           "the whole path over the bare parse\n");
    Path p = path_for(FEED_FORMAT_AUTO, 0);
    report("NewsAPI, 200 stories", &small, bare_json, "cJSON_Parse", &p, 200);
    report("NewsAPI, 10,000 stories", &large, bare_json, "cJSON_Parse", &p, 21);
    Path all = path_for(FEED_FORMAT_AUTO, 10000);
    report("NewsAPI, 10,000 stories, no cap", &large, bare_json, "cJSON_Parse",
           &all, 21);
    Path x = path_for(FEED_FORMAT_AUTO, 0);
    report("RSS 2.0, 1,000 items", &rss, bare_xml, "xmlReadMemory", &x, 31);
    Path xall = path_for(FEED_FORMAT_AUTO, 1000);
    report("RSS 2.0, 1,000 items, no cap", &rss, bare_xml, "xmlReadMemory",
           &xall, 31);
    fflush(stdout);

    buf_deinit(&small);
    buf_deinit(&large);
    buf_deinit(&rss);
    report_memory(10000);
    return 0;
}
