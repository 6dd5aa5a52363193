/*
 * scene: layout and frame building. See scene.h.
 *
 * The screen is a story card and a bar. The bar holds a label box, the
 * crawl (every headline followed by its source and a separator, looping),
 * and a clock box with a small status mark. Sizes come from a 1280x720
 * design multiplied by Layout.scale.
 *
 * Stories arrive as "pending" strips and card sets; scene_build() promotes
 * them at the next boundary (see scene.h). Everything drawn is a function
 * of the SceneTime and of these few anchors, which only move at boundaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clean.h"
#include "damage.h"
#include "freshness.h"
#include "scene.h"
#include "timefmt.h"
#include "timeline.h"
#include "util.h"

#define ELLIPSIS "\xe2\x80\xa6"
#define MIDDOT_SEP "  \xc2\xb7  "
#define HEADLINE_LINES_CAP 8
#define SCROLL_PAUSE_MS 1500 /* a long headline rests before and after */
#define NO_TIME INT64_MIN

typedef struct CrawlItem {
    char *title;  /* owned */
    char *source; /* upper-cased label, owned; NULL when hidden */
    char *flip;   /* title fitted to the bar for flip mode, owned */
    int title_w, source_w, width; /* px; width includes gaps, separator */
    bool breaking;
} CrawlItem;

typedef struct Strip {
    CrawlItem *items;
    size_t n;
    int64_t px;        /* total width */
    int64_t anchor_ms; /* time at which the distance was anchor_px */
    int64_t anchor_px;
    bool rtl; /* runs left to right (right-to-left headlines) */
} Strip;

typedef struct Card {
    char *headline[HEADLINE_LINES_CAP]; /* wrapped lines, owned */
    int headline_n;
    char *line; /* the whole headline on one line when it scrolls */
    int line_w;
    bool scrolls; /* too long for the lines: scrolls sideways */
    char *summary[HEADLINE_LINES_CAP];
    int summary_n;
    bool rtl; /* right-to-left headline: lines align to the right */
    int headline_w[HEADLINE_LINES_CAP], summary_w[HEADLINE_LINES_CAP];
    char *source; /* owned, upper case */
    int source_w;
    char *id;
    int64_t published_s;
    int64_t breaking_until_s; /* 0: not breaking */
    int read_min;
    int64_t dwell_ms;
    /* Layout: text from text_x (relative to margin_x) over tw px; with a
     * picture, img is its rectangle at dx 0. */
    int text_x, tw;
    char *image; /* the story's image URL, owned; NULL when none */
    bool pictured;
    Rect img;
    char *src_source, *src_title, *src_summary; /* owned, for a re-layout */
} Card;

typedef struct ScenePicture {
    char *url; /* owned */
    int w, h;
} ScenePicture;

typedef struct CardSet {
    Card *cards;
    size_t n;
    int64_t *dwell_ms; /* n entries, for timeline_cards() */
    int64_t anchor_ms; /* time at which card 0's dwell (last) started */
} CardSet;

/* The bar's colours this frame: swapped while breaking news is on. */
typedef struct BarColors {
    Color bar, text, breaking, source, separator, label_bg, label_text;
    bool breaking_on;
} BarColors;

struct Scene {
    const Config *cfg;
    BarColors colors;
    Layout lay;
    TextMeasurer m;
    bool has_layout;
    int refresh_mhz;
    int step_px;
    StoryList *source_list; /* owned copy, for re-measuring on resize */

    Strip cur, prev, next;
    bool has_next_strip;
    bool ever_had_strip;
    int64_t strip_switch_ms; /* NO_TIME until computed for next */
    int64_t strip_target_px; /* distance of cur at which next takes over */

    CardSet set, next_set;
    bool has_next_set;
    bool ever_had_set;
    int64_t set_switch_ms; /* NO_TIME until computed for next_set */
    /* The card fading out when the set changed or a key skipped. */
    Card *fade_from; /* borrowed from set or old_set */
    CardSet old_set; /* kept while one of its cards fades out */
    int64_t fade_from_until_ms;
    int pending_skip;

    int sep_w, sep_pad, gap_px, label_w, breaking_label_w;
    int avg_char_px; /* for speeds in characters per second */
    FetchStatus status;
    bool has_status;
    char status_line[128]; /* fitted to the clock box */
    bool status_warn;
    Card waiting; /* shown when there is no story */

    /* scene_set_banner() */
    char *banner;     /* breaking text, owned; NULL when none */
    char *banner_fit; /* banner fitted to the strip, owned */
    int banner_label_w;

    /* scene_set_picture(): the story images the display holds. */
    ScenePicture *pics;
    size_t pic_n, pic_cap;
    bool pics_dirty; /* a picture arrived: cards not shown may take it */
};

static void fit_banner(Scene *sc);

static int
px(double v, double scale)
{
    return (int)(v * scale + 0.5);
}

void
layout_compute(Layout *lay, int w, int h, const Config *cfg)
{
    memset(lay, 0, sizeof(*lay));
    lay->w = w;
    lay->h = h;
    bool portrait = h > w;
    double s = portrait ? w / 980.0 : MIN(w / 1280.0, h / 720.0);
    lay->scale = s;
    /* A portrait screen is read from further away than its width
     * suggests: larger type. */
    double ts = s * cfg->text_scale_pct / 100.0 * (portrait ? 1.25 : 1.0);
    static const double design_px[FONT_COUNT] = {
        [FONT_HEADLINE] = 54,  [FONT_SUMMARY] = 27, [FONT_META] = 21,
        [FONT_META_BOLD] = 21, [FONT_CRAWL] = 27,   [FONT_CRAWL_BOLD] = 23,
        [FONT_CLOCK] = 27,     [FONT_STATUS] = 14,
    };
    for (int i = 0; i < FONT_COUNT; i++)
        lay->font_px[i] = MAX(6, px(design_px[i], ts));
    int mx = w * cfg->safe_area_pct / 100;
    int my = h * cfg->safe_area_pct / 100;
    lay->safe = (Rect){mx, my, w - 2 * mx, h - 2 * my};
    const Rect *sa = &lay->safe;
    int bar_h = MAX(px(cfg->bar_height, s), lay->font_px[FONT_CRAWL] * 3 / 2);
    int bar_y = cfg->bar_position == BAR_TOP ? sa->y : sa->y + sa->h - bar_h;
    int clock_w = cfg->clock_show ? px(190, ts) : px(150, ts);
    lay->bar = (Rect){sa->x, bar_y, sa->w, bar_h};
    lay->clock = (Rect){sa->x + sa->w - clock_w, bar_y, clock_w, bar_h};
    lay->label = (Rect){sa->x, bar_y, 0, bar_h}; /* width from the text */
    lay->crawl = (Rect){sa->x, bar_y, lay->clock.x - sa->x, bar_h};
    int card_y = cfg->bar_position == BAR_TOP ? bar_y + bar_h : sa->y;
    lay->card = (Rect){sa->x, card_y, sa->w, sa->h - bar_h};
    lay->margin_x = sa->x + px(portrait ? 60 : 88, s);
    lay->margin_top =
        portrait ? card_y + (sa->h - bar_h) / 5 : card_y + px(70, s);
    lay->headline_lines_max = portrait ? 5 : 3;
    lay->summary_lines_max = portrait ? 8 : 4;
}

/* ---- wrapping ---- */

static int
measure(const TextMeasurer *m, FontRole font, const char *s)
{
    return m->width(m->ud, font, s);
}

/* Longest prefix of text (in bytes, on a character boundary) that fits. */
static size_t
fit_chars(const TextMeasurer *m, FontRole font, const char *text, size_t len,
          int width_px, const char *suffix)
{
    Buf b;
    buf_init(&b);
    size_t best = 0;
    size_t i = 0;
    while (i < len) {
        size_t next = i + 1;
        while (next < len && ((unsigned char)text[next] & 0xC0) == 0x80)
            next++;
        buf_clear(&b);
        buf_append(&b, text, next);
        buf_appends(&b, suffix);
        if (measure(m, font, b.data) > width_px)
            break;
        best = next;
        i = next;
    }
    buf_deinit(&b);
    return best;
}

/* Fits text on one line, cutting at a word when possible, with "…". */
static char *
ellipsize(const TextMeasurer *m, FontRole font, const char *text, int width_px)
{
    if (measure(m, font, text) <= width_px)
        return xstrdup(text);
    size_t n = fit_chars(m, font, text, strlen(text), width_px, ELLIPSIS);
    size_t cut = n;
    while (cut > 0 && text[cut - 1] != ' ')
        cut--;
    if (cut < n / 2) /* no word break in reach: cut mid-word */
        cut = n;
    while (cut > 0 && text[cut - 1] == ' ')
        cut--;
    return xasprintf("%.*s" ELLIPSIS, (int)cut, text);
}

/* The words of the next line from p; returns the end of what fits. */
static const char *
take_line(const TextMeasurer *m, FontRole font, const char *p, int width_px,
          Buf *line)
{
    buf_clear(line);
    buf_append(line, "", 0);
    const char *q = p;
    const char *end_ok = p;
    while (*q) {
        const char *w_end = q;
        while (*w_end && *w_end != ' ')
            w_end++;
        size_t old = line->len;
        if (line->len)
            buf_append(line, " ", 1);
        buf_append(line, q, (size_t)(w_end - q));
        if (measure(m, font, line->data) > width_px) {
            line->len = old;
            line->data[old] = '\0';
            break;
        }
        end_ok = w_end;
        q = w_end;
        while (*q == ' ')
            q++;
    }
    if (end_ok == p) {
        /* A single word wider than the line: break it. */
        size_t wl = strcspn(p, " ");
        size_t k = fit_chars(m, font, p, wl, width_px, "");
        if (k == 0)
            k = 1;
        while (k < wl && ((unsigned char)p[k] & 0xC0) == 0x80)
            k++;
        buf_clear(line);
        buf_append(line, p, k);
        end_ok = p + k;
    }
    return end_ok;
}

int
scene_wrap(const TextMeasurer *m, FontRole font, const char *text, int width_px,
           int max_lines, char **lines, bool *cut)
{
    int n = 0;
    const char *p = text;
    Buf line;
    buf_init(&line);
    if (cut)
        *cut = false;
    while (*p && n < max_lines) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        p = take_line(m, font, p, width_px, &line);
        while (*p == ' ')
            p++;
        if (n == max_lines - 1 && *p) {
            /* More text than lines: end the last line with an ellipsis. */
            char *rest = xasprintf("%s %s", line.data, p);
            lines[n++] = ellipsize(m, font, rest, width_px);
            free(rest);
            if (cut)
                *cut = true;
        } else {
            lines[n++] = xstrdup(line.data);
        }
    }
    buf_deinit(&line);
    return n;
}

/* ---- text helpers ---- */

static char *
upper_ascii(const char *s)
{
    char *u = xstrdup(s);
    for (char *p = u; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    }
    return u;
}

static size_t
count_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Direction of the first strong character: true for Hebrew and Arabic
 * scripts (the crawl then runs the other way). */
static bool
starts_rtl(const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
            (cp >= 0xFE70 && cp <= 0xFEFF))
            return true;
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
            (cp >= 0xC0 && cp < 0x590) || cp >= 0x0900)
            return false;
    }
    return false;
}

static void
format_hhmm(int64_t wall_s, char *buf, size_t n)
{
    time_t t = (time_t)wall_s;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, n, "%H:%M", &tm);
}

/* ---- cards ---- */

/* Frees what card_fill() made. */
static void
card_text_clear(Card *c)
{
    for (int i = 0; i < c->headline_n; i++)
        free(c->headline[i]);
    for (int i = 0; i < c->summary_n; i++)
        free(c->summary[i]);
    free(c->line);
    free(c->source);
    memset(c->headline, 0, sizeof(c->headline));
    memset(c->summary, 0, sizeof(c->summary));
    c->headline_n = c->summary_n = 0;
    c->line = c->source = NULL;
    c->line_w = c->source_w = 0;
    c->scrolls = false;
}

static void
card_clear(Card *c)
{
    card_text_clear(c);
    free(c->id);
    free(c->image);
    free(c->src_source);
    free(c->src_title);
    free(c->src_summary);
    memset(c, 0, sizeof(*c));
}

static const ScenePicture *
pic_find(const Scene *sc, const char *url)
{
    for (size_t i = 0; url && i < sc->pic_n; i++) {
        if (!strcmp(sc->pics[i].url, url))
            return &sc->pics[i];
    }
    return NULL;
}

static int
text_width(const Scene *sc)
{
    return sc->lay.card.x + sc->lay.card.w - sc->lay.margin_x -
           (sc->lay.margin_x - sc->lay.card.x);
}

static void
card_fill(Scene *sc, Card *c, const char *source, const char *headline,
          const char *summary)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    c->rtl = starts_rtl(headline);
    /* With its picture: the image box takes a third of the width on the
     * side the text ends (right for left-to-right text), and the narrower
     * headline may take one line more. */
    const ScenePicture *pic = pic_find(sc, c->image);
    c->pictured = pic != NULL;
    c->text_x = 0;
    c->tw = text_width(sc);
    if (pic) {
        double k = l->scale;
        int box_w = c->tw / 3, gap = px(40, k);
        int box_y = l->margin_top;
        int box_h = l->card.y + l->card.h - px(64, k) - box_y;
        int w = box_w, h = (int)((int64_t)pic->h * box_w / pic->w);
        if (h > box_h) {
            h = box_h;
            w = (int)((int64_t)pic->w * box_h / pic->h);
        }
        int box_x = c->rtl ? l->margin_x : l->margin_x + c->tw - box_w;
        c->img = (Rect){c->rtl ? box_x : box_x + box_w - w, box_y, MAX(w, 1),
                        MAX(h, 1)};
        if (c->rtl)
            c->text_x = box_w + gap;
        c->tw -= box_w + gap;
    }
    c->source = upper_ascii(source && *source ? source : "NEWS");
    c->source_w = measure(&sc->m, FONT_META_BOLD, c->source);
    bool cut = false;
    c->headline_n = scene_wrap(
        &sc->m, FONT_HEADLINE, headline, c->tw,
        MIN(l->headline_lines_max + (pic ? 1 : 0), HEADLINE_LINES_CAP),
        c->headline, &cut);
    if (cut) {
        /* Too long even for the lines: one line that scrolls sideways. */
        c->scrolls = true;
        c->line = xstrdup(headline);
        c->line_w = measure(&sc->m, FONT_HEADLINE, headline);
    }
    if (summary && cfg->card_show_summary) {
        c->summary_n = scene_wrap(&sc->m, FONT_SUMMARY, summary, c->tw * 9 / 10,
                                  MIN(l->summary_lines_max, HEADLINE_LINES_CAP),
                                  c->summary, NULL);
    }
    for (int i = 0; c->rtl && i < c->headline_n; i++)
        c->headline_w[i] = measure(&sc->m, FONT_HEADLINE, c->headline[i]);
    for (int i = 0; c->rtl && i < c->summary_n; i++)
        c->summary_w[i] = measure(&sc->m, FONT_SUMMARY, c->summary[i]);
    /* Dwell grows with the text to read, within the configured bounds. */
    int64_t chars =
        (int64_t)count_chars(headline) +
        (int64_t)(cfg->card_show_summary ? count_chars(summary) : 0);
    int64_t dwell = cfg->card_dwell_ms + chars * cfg->card_ms_per_char;
    dwell =
        MIN(dwell, (int64_t)MAX(cfg->card_dwell_max_ms, cfg->card_dwell_ms));
    if (c->scrolls) {
        int speed = MAX(cfg->crawl_speed_px_s, 60);
        int64_t travel = c->line_w - c->tw;
        int64_t need =
            cfg->card_fade_ms + 2 * SCROLL_PAUSE_MS + travel * 1000 / speed;
        dwell = MAX(dwell, need);
    }
    c->dwell_ms = dwell;
}

static void
card_set_clear(CardSet *s)
{
    for (size_t i = 0; i < s->n; i++)
        card_clear(&s->cards[i]);
    free(s->cards);
    free(s->dwell_ms);
    memset(s, 0, sizeof(*s));
}

static void
build_card_set(Scene *sc, const StoryList *list, CardSet *out)
{
    memset(out, 0, sizeof(*out));
    if (!list || list->count == 0)
        return;
    out->n = list->count;
    out->cards = xcalloc(out->n, sizeof(Card));
    out->dwell_ms = xcalloc(out->n, sizeof(int64_t));
    for (size_t i = 0; i < out->n; i++) {
        const Story *s = &list->items[i];
        Card *c = &out->cards[i];
        c->image = s->image ? xstrdup(s->image) : NULL;
        c->src_source = s->source ? xstrdup(s->source) : NULL;
        c->src_title = xstrdup(s->title);
        c->src_summary = s->summary ? xstrdup(s->summary) : NULL;
        card_fill(sc, c, s->source, s->title, s->summary);
        c->id = xstrdup(s->id);
        c->published_s = s->published_s;
        c->read_min = s->read_min;
        if (s->priority > 0) {
            /* Breaking until the feed's expiry, else for a window after
             * publication, else for as long as the feed lists it. */
            int64_t from = s->published_s != STORY_NO_TIME ? s->published_s : 0;
            int64_t window = (int64_t)sc->cfg->breaking_window_min * 60;
            c->breaking_until_s = s->expires_s > 0 ? s->expires_s
                                  : from           ? from + window
                                                   : INT64_MAX;
        }
        out->dwell_ms[i] = c->dwell_ms;
    }
}

/* ---- crawl ---- */

static void
strip_clear(Strip *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].title);
        free(s->items[i].source);
        free(s->items[i].flip);
    }
    free(s->items);
    memset(s, 0, sizeof(*s));
}

static void
build_strip(Scene *sc, const StoryList *list, Strip *out)
{
    memset(out, 0, sizeof(*out));
    if (!list || list->count == 0)
        return;
    out->n = list->count;
    out->items = xcalloc(out->n, sizeof(CrawlItem));
    size_t rtl = 0;
    int flip_w = sc->lay.crawl.w - 2 * sc->gap_px;
    for (size_t i = 0; i < out->n; i++) {
        const Story *s = &list->items[i];
        CrawlItem *it = &out->items[i];
        it->title = xstrdup(s->title);
        it->title_w = measure(&sc->m, FONT_CRAWL, s->title);
        it->width = it->title_w + sc->sep_w;
        it->breaking = s->priority > 0;
        rtl += starts_rtl(s->title);
        int source_w = 0;
        if (sc->cfg->crawl_show_source && s->source) {
            it->source = upper_ascii(s->source);
            it->source_w = measure(&sc->m, FONT_CRAWL_BOLD, it->source);
            it->width += sc->gap_px + it->source_w;
            source_w = sc->gap_px + it->source_w;
        }
        if (sc->cfg->crawl_mode == CRAWL_FLIP)
            it->flip = ellipsize(&sc->m, FONT_CRAWL, s->title,
                                 MAX(flip_w - source_w, 40));
        out->px += it->width;
    }
    out->rtl = rtl * 2 > out->n;
}

/* ---- status ---- */

static void
update_status(Scene *sc)
{
    FreshnessText ft;
    FetchStatus none = {0};
    freshness_describe(sc->has_status ? &sc->status : &none, format_hhmm, &ft);
    sc->status_warn = ft.warn;
    if (sc->has_layout) {
        char *fit = ellipsize(&sc->m, FONT_STATUS, ft.mark,
                              sc->lay.clock.w - px(20, sc->lay.scale));
        util_strlcpy(sc->status_line, fit, sizeof(sc->status_line));
        free(fit);
    }

    /* The placeholder card says why there is nothing to show. */
    card_clear(&sc->waiting);
    if (!sc->has_layout)
        return;
    card_fill(sc, &sc->waiting, "newswire", ft.title, ft.detail);
}

/* ---- public ---- */

Scene *
scene_new(const Config *cfg)
{
    Scene *sc = xcalloc(1, sizeof(Scene));
    sc->cfg = cfg;
    sc->refresh_mhz = 60000;
    sc->strip_switch_ms = NO_TIME;
    sc->set_switch_ms = NO_TIME;
    return sc;
}

void
scene_free(Scene *sc)
{
    if (!sc)
        return;
    strip_clear(&sc->cur);
    strip_clear(&sc->prev);
    strip_clear(&sc->next);
    card_set_clear(&sc->set);
    card_set_clear(&sc->next_set);
    card_set_clear(&sc->old_set);
    card_clear(&sc->waiting);
    story_list_free(sc->source_list);
    free(sc->banner);
    free(sc->banner_fit);
    for (size_t i = 0; i < sc->pic_n; i++)
        free(sc->pics[i].url);
    free(sc->pics);
    free(sc);
}

static void
update_step(Scene *sc)
{
    int speed = sc->cfg->crawl_speed_px_s;
    if (sc->cfg->crawl_speed_cps > 0)
        speed = sc->cfg->crawl_speed_cps * MAX(sc->avg_char_px, 1);
    else
        speed = px(speed, sc->has_layout ? sc->lay.scale : 1.0);
    sc->step_px = timeline_crawl_step(speed, sc->refresh_mhz);
}

void
scene_set_refresh(Scene *sc, int refresh_mhz)
{
    if (refresh_mhz <= 0 || refresh_mhz == sc->refresh_mhz)
        return;
    /* Keep the crawl where it is: re-anchor at distance 0 of a fresh
     * count (the next frame may shift by up to one step). */
    sc->refresh_mhz = refresh_mhz;
    update_step(sc);
}

/* Rebuilds everything measured from the stored stories (new size). */
static void
remeasure(Scene *sc)
{
    strip_clear(&sc->cur);
    strip_clear(&sc->prev);
    strip_clear(&sc->next);
    card_set_clear(&sc->set);
    card_set_clear(&sc->next_set);
    card_set_clear(&sc->old_set);
    sc->fade_from = NULL;
    sc->has_next_strip = false;
    sc->has_next_set = false;
    sc->ever_had_strip = false;
    sc->ever_had_set = false;
    if (sc->source_list && sc->source_list->count) {
        build_strip(sc, sc->source_list, &sc->next);
        build_card_set(sc, sc->source_list, &sc->next_set);
        sc->has_next_strip = true;
        sc->has_next_set = true;
    }
}

void
scene_set_layout(Scene *sc, const Layout *lay, const TextMeasurer *m)
{
    sc->lay = *lay;
    sc->m = *m;
    sc->has_layout = true;
    double s = lay->scale;
    sc->gap_px = px(16, s);
    int sep = measure(m, FONT_CRAWL, sc->cfg->crawl_separator);
    sc->sep_pad = px(30, s);
    sc->sep_w = sep + 2 * sc->sep_pad;
    sc->label_w =
        sc->cfg->bar_label[0]
            ? measure(m, FONT_CRAWL_BOLD, sc->cfg->bar_label) + 2 * px(20, s)
            : 0;
    sc->breaking_label_w =
        measure(m, FONT_CRAWL_BOLD, sc->cfg->breaking_label) + 2 * px(20, s);
    static const char sample[] = "The quick brown fox jumps over the lazy "
                                 "dog 0123456789";
    sc->avg_char_px = measure(m, FONT_CRAWL, sample) / (int)strlen(sample);
    sc->lay.label.w = sc->label_w;
    sc->lay.crawl.x = lay->bar.x + sc->label_w;
    sc->lay.crawl.w = sc->lay.clock.x - sc->lay.crawl.x;
    update_step(sc);
    remeasure(sc);
    update_status(sc);
    fit_banner(sc);
}

void
scene_set_stories(Scene *sc, const StoryList *list)
{
    story_list_free(sc->source_list);
    sc->source_list = list ? story_list_clone(list) : NULL;
    if (!sc->has_layout)
        return;
    strip_clear(&sc->next);
    card_set_clear(&sc->next_set);
    build_strip(sc, list, &sc->next);
    build_card_set(sc, list, &sc->next_set);
    sc->has_next_strip = true;
    sc->has_next_set = true;
    sc->strip_switch_ms = NO_TIME;
    sc->set_switch_ms = NO_TIME;
}

void
scene_set_status(Scene *sc, const FetchStatus *status)
{
    sc->status = *status;
    sc->has_status = true;
    update_status(sc);
}

void
scene_skip(Scene *sc, int delta)
{
    sc->pending_skip += delta;
}

int64_t
scene_strip_px(const Scene *sc)
{
    return sc->has_next_strip && !sc->ever_had_strip ? sc->next.px : sc->cur.px;
}

int
scene_crawl_step_px(const Scene *sc)
{
    return sc->step_px;
}

size_t
scene_card_count(const Scene *sc)
{
    return sc->has_next_set && !sc->ever_had_set ? sc->next_set.n : sc->set.n;
}

int64_t
scene_card_dwell_ms(const Scene *sc, size_t i)
{
    const CardSet *s =
        sc->has_next_set && !sc->ever_had_set ? &sc->next_set : &sc->set;
    return i < s->n ? s->dwell_ms[i] : 0;
}

/* ---- promotion of pending stories at boundaries ---- */

static int64_t
strip_distance(const Scene *sc, const Strip *s, int64_t t)
{
    return s->anchor_px +
           timeline_crawl_px(t - s->anchor_ms, sc->step_px, sc->refresh_mhz);
}

static void
promote_strip(Scene *sc, int64_t t)
{
    if (!sc->has_next_strip)
        return;
    /* An empty list means nothing current is left (the fetch thread never
     * posts one for a failing feed): it takes effect at once. */
    if (!sc->ever_had_strip || sc->cur.n == 0 || sc->next.n == 0 ||
        sc->step_px == 0 || sc->cfg->crawl_mode == CRAWL_FLIP) {
        /* Nothing is moving across the bar: switch at once. The very
         * first strip is anchored at time 0, so the crawl is a pure
         * function of time (screenshots, wall-clock sync). */
        strip_clear(&sc->cur);
        strip_clear(&sc->prev);
        sc->cur = sc->next;
        memset(&sc->next, 0, sizeof(sc->next));
        sc->cur.anchor_ms = sc->ever_had_strip ? t : 0;
        sc->has_next_strip = false;
        sc->ever_had_strip = sc->cur.n > 0;
        return;
    }
    if (sc->strip_switch_ms == NO_TIME) {
        /* The end of the current strip's run: when its distance reaches
         * the next whole number of strips. */
        int64_t d = strip_distance(sc, &sc->cur, t);
        int64_t target = (timeline_floor_div(d, sc->cur.px) + 1) * sc->cur.px;
        int64_t dt = timeline_crawl_reach(target - sc->cur.anchor_px,
                                          sc->step_px, sc->refresh_mhz);
        sc->strip_switch_ms = sc->cur.anchor_ms + dt;
        sc->strip_target_px = target;
    }
    if (t < sc->strip_switch_ms)
        return;
    strip_clear(&sc->prev);
    sc->prev = sc->cur;
    sc->cur = sc->next;
    memset(&sc->next, 0, sizeof(sc->next));
    /* Same time origin as the old strip, distance shifted by what it ran:
     * the new strip continues exactly where the old one ended, with the
     * same frame phase. */
    sc->cur.anchor_ms = sc->prev.anchor_ms;
    sc->cur.anchor_px = sc->prev.anchor_px - sc->strip_target_px;
    sc->has_next_strip = false;
    sc->strip_switch_ms = NO_TIME;
    if (sc->cur.n == 0) /* an empty list: let the old strip run on */
        sc->ever_had_strip = false;
}

/* Offset of card k's start from the set's card 0. */
static int64_t
card_start(const CardSet *s, size_t k)
{
    int64_t at = 0;
    for (size_t i = 0; i < k; i++)
        at += s->dwell_ms[i];
    return at;
}

static size_t
next_card_index(const CardSet *old, size_t cur, const CardSet *neu,
                int64_t wall_s)
{
    /* A story that has become breaking goes first. */
    for (size_t i = 0; i < neu->n; i++) {
        const Card *c = &neu->cards[i];
        if (c->breaking_until_s <= wall_s)
            continue;
        bool was = false;
        for (size_t j = 0; j < old->n && !was; j++)
            was = old->cards[j].breaking_until_s > wall_s &&
                  !strcmp(old->cards[j].id, c->id);
        if (!was)
            return i;
    }
    /* Otherwise continue after the story that was showing. */
    const char *id = cur < old->n ? old->cards[cur].id : NULL;
    for (size_t i = 0; id && i < neu->n; i++) {
        if (!strcmp(neu->cards[i].id, id))
            return (i + 1) % neu->n;
    }
    return neu->n ? MIN(cur + 1, neu->n - 1) % neu->n : 0;
}

static void
promote_cards(Scene *sc, const SceneTime *t)
{
    int64_t now = t->anim_ms;
    if (sc->has_next_set &&
        (!sc->ever_had_set || sc->set.n == 0 || sc->next_set.n == 0)) {
        card_set_clear(&sc->set);
        sc->set = sc->next_set;
        memset(&sc->next_set, 0, sizeof(sc->next_set));
        sc->set.anchor_ms = sc->ever_had_set ? now : 0;
        sc->has_next_set = false;
        sc->ever_had_set = sc->set.n > 0;
        sc->fade_from = NULL;
        return;
    }
    CardFrame f = timeline_cards(now - sc->set.anchor_ms, sc->set.dwell_ms,
                                 sc->set.n, sc->cfg->card_fade_ms);
    if (sc->pending_skip && sc->set.n) {
        int64_t n = (int64_t)sc->set.n;
        size_t k = (size_t)timeline_floor_mod(
            (int64_t)f.current + sc->pending_skip, n);
        sc->pending_skip = 0;
        card_set_clear(&sc->old_set);
        sc->fade_from = &sc->set.cards[f.current];
        sc->fade_from_until_ms = now + sc->cfg->card_fade_ms;
        sc->set.anchor_ms = now - card_start(&sc->set, k);
        return;
    }
    if (!sc->has_next_set)
        return;
    if (sc->set_switch_ms == NO_TIME)
        sc->set_switch_ms = now + f.ends_in_ms;
    if (now < sc->set_switch_ms)
        return;

    /* f describes the card that just ended (or is ending now). */
    CardFrame ending =
        timeline_cards(sc->set_switch_ms - 1 - sc->set.anchor_ms,
                       sc->set.dwell_ms, sc->set.n, sc->cfg->card_fade_ms);
    size_t k =
        next_card_index(&sc->set, ending.current, &sc->next_set, t->wall_s);
    card_set_clear(&sc->old_set);
    sc->old_set = sc->set;
    sc->fade_from = &sc->old_set.cards[ending.current];
    sc->fade_from_until_ms = sc->set_switch_ms + sc->cfg->card_fade_ms;
    sc->set = sc->next_set;
    memset(&sc->next_set, 0, sizeof(sc->next_set));
    sc->set.anchor_ms = sc->set_switch_ms - card_start(&sc->set, k);
    sc->has_next_set = false;
    sc->set_switch_ms = NO_TIME;
}

/* ---- pictures ---- */

/* Lays a card out again with its picture. In a set that is running
 * (keep_dwell) the old layout stays when the picture would make the card
 * need a longer dwell (a headline that scrolls): the set's timeline must
 * not move. */
static void
card_take_picture(Scene *sc, Card *c, bool keep_dwell)
{
    int64_t dwell = c->dwell_ms;
    card_text_clear(c);
    card_fill(sc, c, c->src_source, c->src_title, c->src_summary);
    if (!keep_dwell)
        return;
    if (c->dwell_ms > dwell) {
        char *image = c->image;
        c->image = NULL; /* lay out without it */
        card_text_clear(c);
        card_fill(sc, c, c->src_source, c->src_title, c->src_summary);
        c->image = image;
    }
    c->dwell_ms = dwell; /* the set's timeline stays as it is */
}

/* Returns true when a card on screen has to wait for its picture. */
static bool
set_take_pictures(Scene *sc, CardSet *set, const Card *const *shown,
                  size_t shown_n, bool running)
{
    bool waiting = false;
    for (size_t i = 0; i < set->n; i++) {
        Card *c = &set->cards[i];
        if (c->pictured || !c->src_title || !pic_find(sc, c->image))
            continue;
        bool on_screen = false;
        for (size_t j = 0; j < shown_n; j++)
            on_screen = on_screen || shown[j] == c;
        if (!on_screen)
            card_take_picture(sc, c, running);
        waiting = waiting || on_screen;
        set->dwell_ms[i] = c->dwell_ms;
    }
    return waiting;
}

/* Cards that are not on screen take pictures that arrived since they
 * were laid out; a card on screen never changes, and is looked at again
 * each frame until it has gone. */
static void
apply_pictures(Scene *sc, const SceneTime *t)
{
    if (!sc->pics_dirty)
        return;
    sc->pics_dirty = false;
    const Card *shown[3] = {sc->fade_from, NULL, NULL};
    if (sc->set.n) {
        CardFrame f =
            timeline_cards(t->anim_ms - sc->set.anchor_ms, sc->set.dwell_ms,
                           sc->set.n, sc->cfg->card_fade_ms);
        shown[1] = &sc->set.cards[f.current];
        if (f.alpha < 255) /* still fading out */
            shown[2] = &sc->set.cards[f.previous];
    }
    sc->pics_dirty = set_take_pictures(sc, &sc->set, shown, 3, true);
    set_take_pictures(sc, &sc->next_set, NULL, 0, false);
}

void
scene_set_picture(Scene *sc, const char *url, int w, int h)
{
    if (!url || w <= 0 || h <= 0 || pic_find(sc, url))
        return;
    if (sc->pic_n == sc->pic_cap) {
        sc->pic_cap = sc->pic_cap ? sc->pic_cap * 2 : 16;
        sc->pics = xrealloc(sc->pics, sc->pic_cap * sizeof(ScenePicture));
    }
    sc->pics[sc->pic_n++] = (ScenePicture){xstrdup(url), w, h};
    sc->pics_dirty = true;
}

static bool
set_uses(const CardSet *set, const char *url)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->cards[i].image && !strcmp(set->cards[i].image, url))
            return true;
    }
    return false;
}

bool
scene_uses_picture(const Scene *sc, const char *url)
{
    return set_uses(&sc->set, url) || set_uses(&sc->next_set, url) ||
           set_uses(&sc->old_set, url);
}

void
scene_forget_picture(Scene *sc, const char *url)
{
    for (size_t i = 0; i < sc->pic_n; i++) {
        if (!strcmp(sc->pics[i].url, url)) {
            free(sc->pics[i].url);
            sc->pics[i] = sc->pics[--sc->pic_n];
            return;
        }
    }
}

/* ---- drawing ---- */

static Color
fade(Color c, int alpha)
{
    c.a = (uint8_t)(c.a * alpha / 255);
    return c;
}

static bool
card_is_breaking(const Card *c, int64_t wall_s)
{
    return c->breaking_until_s > wall_s;
}

static void
draw_badge(Scene *sc, DrawList *out, int x, int y, const char *text, int text_w,
           Color bg, Color fg, FontRole font)
{
    double k = sc->lay.scale;
    int pad = px(8, k);
    int h = sc->m.line_height[font];
    draw_fill(
        out, (Rect){x - pad, y - px(2, k), text_w + 2 * pad, h + px(4, k)}, bg);
    draw_text(out, font, x, y, fg, text, NULL);
}

static void
build_card(Scene *sc, const Card *c, bool is_story, const SceneTime *t,
           int alpha, int dx, int64_t into_ms, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    double k = l->scale;
    int x = l->margin_x + c->text_x + dx;
    int y = l->margin_top;
    Rect clip = l->card;
    /* Right-to-left cards mirror the whole block to the right margin. */
    int right = x + c->tw;
    /* Beside a picture the meta line stops at the text column. */
    Rect column =
        rect_intersection((Rect){x, l->card.y, c->tw, l->card.h}, l->card);
    const Rect *mclip = c->pictured ? &column : NULL;
    if (c->pictured)
        draw_image(out, (Rect){c->img.x + dx, c->img.y, c->img.w, c->img.h},
                   alpha, c->image, dx ? &clip : NULL);
    int rule_w = px(56, k);
    draw_fill(out, (Rect){c->rtl ? right - rule_w : x, y, rule_w, px(6, k)},
              fade(cfg->color_accent, alpha));
    y += px(26, k);
    int mx = c->rtl ? right - c->source_w : x;
    if (is_story && card_is_breaking(c, t->wall_s)) {
        int bw = sc->breaking_label_w - 2 * px(20, k);
        int bx = c->rtl ? right - bw - px(8, k) : mx + px(8, k);
        draw_badge(sc, out, bx, y, cfg->breaking_label, bw,
                   fade(cfg->color_accent, alpha),
                   fade(cfg->color_bar_text, alpha), FONT_META_BOLD);
        mx += c->rtl ? -(bw + px(28, k)) : bw + px(28, k);
    }
    draw_text(out, FONT_META_BOLD, mx, y, fade(cfg->color_accent, alpha),
              c->source, mclip);
    if (is_story) {
        char when[48] = "", mins[32] = "", meta[160];
        if (c->published_s != STORY_NO_TIME)
            time_format_relative(c->published_s, t->wall_s, when, sizeof(when));
        if (c->read_min > 0)
            snprintf(mins, sizeof(mins), "%d min read", c->read_min);
        if (c->rtl) {
            /* Read from the right: source, age, reading time. */
            snprintf(meta, sizeof(meta), "%s%s%s%s", mins,
                     mins[0] ? MIDDOT_SEP : "", when,
                     when[0] ? MIDDOT_SEP : "");
            draw_text_right(out, FONT_META, mx, y, fade(cfg->color_meta, alpha),
                            meta, mclip);
        } else {
            snprintf(meta, sizeof(meta), "%s%s%s%s", when[0] ? MIDDOT_SEP : "",
                     when, mins[0] ? MIDDOT_SEP : "", mins);
            draw_text(out, FONT_META, mx + c->source_w, y,
                      fade(cfg->color_meta, alpha), meta, mclip);
        }
    }
    y += sc->m.line_height[FONT_META] + px(22, k);
    int lh = sc->m.line_height[FONT_HEADLINE] * 112 / 100;
    if (c->scrolls) {
        /* Rest, glide until the end shows, rest. */
        int travel = MAX(c->line_w - c->tw, 0);
        int speed = MAX(cfg->crawl_speed_px_s, 60);
        int64_t moving = into_ms - cfg->card_fade_ms - SCROLL_PAUSE_MS;
        int64_t shift = moving <= 0 ? 0 : MIN(moving * speed / 1000, travel);
        Rect hclip = {l->margin_x + c->text_x, y, c->tw, lh};
        draw_text(out, FONT_HEADLINE, x - (int)shift, y,
                  fade(cfg->color_headline, alpha), c->line, &hclip);
        y += lh;
    } else {
        for (int i = 0; i < c->headline_n; i++, y += lh)
            draw_text(out, FONT_HEADLINE, c->rtl ? right - c->headline_w[i] : x,
                      y, fade(cfg->color_headline, alpha), c->headline[i],
                      dx ? &clip : NULL);
    }
    y += px(22, k);
    int sh = sc->m.line_height[FONT_SUMMARY] * 118 / 100;
    int bottom = l->card.y + l->card.h - px(40, k);
    for (int i = 0; i < c->summary_n && y + sh <= bottom; i++, y += sh)
        draw_text(out, FONT_SUMMARY, c->rtl ? right - c->summary_w[i] : x, y,
                  fade(cfg->color_summary, alpha), c->summary[i],
                  dx ? &clip : NULL);
}

/* The text of the card that comes next, for the display to rasterise
 * ahead of its transition. */
static void
prepare_card(Scene *sc, const Card *c, DrawList *out)
{
    const Config *cfg = sc->cfg;
    draw_prepare(out, FONT_META_BOLD, cfg->color_accent, c->source);
    if (c->scrolls)
        draw_prepare(out, FONT_HEADLINE, cfg->color_headline, c->line);
    for (int i = 0; !c->scrolls && i < c->headline_n; i++)
        draw_prepare(out, FONT_HEADLINE, cfg->color_headline, c->headline[i]);
    for (int i = 0; i < c->summary_n; i++)
        draw_prepare(out, FONT_SUMMARY, cfg->color_summary, c->summary[i]);
}

static void
build_cards(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    draw_fill(out, l->card, cfg->color_background);
    if (sc->set.n == 0) {
        build_card(sc, &sc->waiting, false, t, 255, 0, 0, out);
        return;
    }
    int64_t now = t->anim_ms;
    int fade_ms =
        cfg->card_transition == TRANSITION_CUT ? 0 : cfg->card_fade_ms;
    CardFrame f = timeline_cards(now - sc->set.anchor_ms, sc->set.dwell_ms,
                                 sc->set.n, fade_ms);
    int64_t into = sc->set.dwell_ms[f.current] - f.ends_in_ms;
    const Card *prev = &sc->set.cards[f.previous];
    if (sc->fade_from && now < sc->fade_from_until_ms)
        prev = sc->fade_from;
    else if (sc->fade_from && sc->old_set.n) {
        sc->fade_from = NULL;
        card_set_clear(&sc->old_set);
    }
    if (sc->fade_from && now < sc->fade_from_until_ms && fade_ms > 0)
        f.alpha =
            (int)MIN(255, 255 - (sc->fade_from_until_ms - now) * 255 / fade_ms);
    const Card *cur = &sc->set.cards[f.current];
    if (f.alpha < 255 && cfg->card_transition == TRANSITION_SLIDE) {
        int w = l->card.w;
        int shift = w - (int)((int64_t)w * f.alpha / 255);
        build_card(sc, prev, true, t, 255, shift - w, 0, out);
        build_card(sc, cur, true, t, 255, shift, into, out);
    } else if (f.alpha < 128) {
        /* Fade through the background: the old card goes out, then the new
         * one comes in, so two texts never overlap. */
        build_card(sc, prev, true, t, 255 - 2 * f.alpha, 0, 0, out);
    } else {
        build_card(sc, cur, true, t, MIN(255, 2 * (f.alpha - 128) + 1), 0, into,
                   out);
    }

    prepare_card(sc, &sc->set.cards[(f.current + 1) % sc->set.n], out);

    double k = l->scale;
    char counter[32];
    snprintf(counter, sizeof(counter), "%zu / %zu%s", f.current + 1, sc->set.n,
             t->paused ? "  (paused)" : "");
    draw_text(out, FONT_META, l->margin_x,
              l->card.y + l->card.h - px(34, k) -
                  sc->m.line_height[FONT_META] / 2,
              cfg->color_meta, counter, NULL);
    /* Dwell progress: a thin line along the card's edge at the bar. */
    int pw = (int)((int64_t)l->card.w * f.progress_permille / 1000);
    int py = cfg->bar_position == BAR_TOP ? l->bar.y + l->bar.h
                                          : l->bar.y - px(3, k);
    draw_fill(out, (Rect){l->card.x, py, pw, px(3, k)}, cfg->color_accent);
}

/* Draws one crawl item with its left edge at x (mirrored for RTL). */
static void
draw_item(Scene *sc, const Strip *s, const CrawlItem *it, int64_t x,
          DrawList *out)
{
    const Config *cfg = sc->cfg;
    const Rect *cr = &sc->lay.crawl;
    int ty = cr->y + (cr->h - sc->m.line_height[FONT_CRAWL]) / 2;
    int sy = cr->y + (cr->h - sc->m.line_height[FONT_CRAWL_BOLD]) / 2;
    int64_t left = cr->x, right = cr->x + cr->w;
    /* Pieces as [offset, width] within the item, left to right. */
    int64_t title_at = 0;
    int64_t source_at = it->title_w + sc->gap_px;
    int64_t sep_at = it->title_w +
                     (it->source ? sc->gap_px + it->source_w : 0) + sc->sep_pad;
    int sep_w = sc->sep_w - 2 * sc->sep_pad;
    if (s->rtl) {
        /* Mirror every piece inside the bar. */
        title_at = it->width - it->title_w - title_at;
        source_at = it->width - it->source_w - source_at;
        sep_at = it->width - sep_w - sep_at;
        x = left + right - x - it->width;
    }
    const BarColors *c = &sc->colors;
    draw_text_on(out, FONT_CRAWL, (int)(x + title_at), ty,
                 it->breaking ? c->breaking : c->text, c->bar, it->title, cr);
    if (it->source)
        draw_text_on(out, FONT_CRAWL_BOLD, (int)(x + source_at), sy, c->source,
                     c->bar, it->source, cr);
    draw_text_on(out, FONT_CRAWL, (int)(x + sep_at), ty, c->separator, c->bar,
                 cfg->crawl_separator, cr);
}

/* Draws the strip from its first item at x, repeating, to the right edge. */
static void
draw_run(Scene *sc, const Strip *s, int64_t x, DrawList *out)
{
    const Rect *cr = &sc->lay.crawl;
    size_t i = 0;
    while (x < cr->x + cr->w) {
        const CrawlItem *it = &s->items[i];
        if (x + it->width > cr->x)
            draw_item(sc, s, it, x, out);
        x += it->width;
        i = (i + 1) % s->n;
    }
}

static void
build_flip(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Rect *cr = &sc->lay.crawl;
    const Strip *s = &sc->cur;
    int64_t slot =
        timeline_floor_div(t->anim_ms - s->anchor_ms, sc->cfg->crawl_flip_ms);
    const CrawlItem *it = &s->items[timeline_floor_mod(slot, (int64_t)s->n)];
    int ty = cr->y + (cr->h - sc->m.line_height[FONT_CRAWL]) / 2;
    int sy = cr->y + (cr->h - sc->m.line_height[FONT_CRAWL_BOLD]) / 2;
    int x = cr->x + sc->gap_px;
    if (it->source) {
        draw_text(out, FONT_CRAWL_BOLD, x, sy, sc->colors.source, it->source,
                  cr);
        x += it->source_w + sc->gap_px;
    }
    draw_text(out, FONT_CRAWL, x, ty,
              it->breaking ? sc->colors.breaking : sc->colors.text, it->flip,
              cr);
}

static bool
any_breaking(const Scene *sc, int64_t wall_s)
{
    for (size_t i = 0; i < sc->set.n; i++) {
        if (card_is_breaking(&sc->set.cards[i], wall_s))
            return true;
    }
    return false;
}

static void
build_crawl(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    const Rect *cr = &l->crawl;
    draw_fill(out, l->bar, sc->colors.bar);
    if (sc->cur.n == 0 || sc->cur.px <= 0)
        return;
    if (cfg->crawl_mode == CRAWL_FLIP) {
        build_flip(sc, t, out);
        return;
    }
    int64_t d = strip_distance(sc, &sc->cur, t->anim_ms);
    int64_t right = cr->x + cr->w;
    if (sc->prev.n && right - d > cr->x) {
        /* A new strip has started at the right edge; until the old one has
         * run out on the left, it is drawn to the new one's left. */
        int64_t start = right - d;
        draw_run(sc, &sc->cur, start, out);
        int64_t x = start;
        for (size_t i = sc->prev.n; i-- > 0 && x > cr->x;) {
            x -= sc->prev.items[i].width;
            draw_item(sc, &sc->prev, &sc->prev.items[i], x, out);
        }
        return;
    }
    if (sc->prev.n)
        strip_clear(&sc->prev);
    int64_t x = right - timeline_floor_mod(d, sc->cur.px);
    while (x > cr->x)
        x -= sc->cur.px;
    draw_run(sc, &sc->cur, x, out);
}

static void
build_bar_boxes(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    double k = l->scale;
    bool breaking = sc->colors.breaking_on;
    const char *label = breaking ? cfg->breaking_label : cfg->bar_label;
    int label_w = breaking ? sc->breaking_label_w : sc->label_w;
    if (label_w) {
        Rect box = {l->label.x, l->label.y, label_w, l->label.h};
        draw_fill(out, box, sc->colors.label_bg);
        draw_text(out, FONT_CRAWL_BOLD, box.x + px(20, k),
                  box.y + (box.h - sc->m.line_height[FONT_CRAWL_BOLD]) / 2,
                  sc->colors.label_text, label, NULL);
    }
    draw_fill(out, l->clock, cfg->color_clock_bg);
    int x = l->clock.x + px(16, k);
    int clock_h = sc->m.line_height[FONT_CLOCK];
    int status_h = sc->m.line_height[FONT_STATUS];
    int y = l->clock.y + (l->clock.h - clock_h - status_h) / 2;
    if (cfg->clock_show) {
        char clock[64];
        time_t tt = (time_t)t->wall_s;
        struct tm tm;
        localtime_r(&tt, &tm);
        if (!strftime(clock, sizeof(clock), cfg->clock_format, &tm))
            clock[0] = '\0';
        draw_text(out, FONT_CLOCK, x, y, cfg->color_bar_text, clock, NULL);
    } else {
        y = l->clock.y + (l->clock.h - status_h) / 2 - clock_h;
    }
    draw_text(out, FONT_STATUS, x, y + clock_h,
              sc->status_warn ? cfg->color_warning : cfg->color_meta,
              sc->status_line, NULL);
}

/* ---- breaking banner ---- */

#define BANNER_LABEL "BREAKING"

static void
fit_banner(Scene *sc)
{
    free(sc->banner_fit);
    sc->banner_fit = NULL;
    if (!sc->banner || !sc->has_layout)
        return;
    double k = sc->lay.scale;
    sc->banner_label_w =
        measure(&sc->m, FONT_CRAWL_BOLD, BANNER_LABEL) + 2 * px(20, k);
    int room = sc->lay.w - sc->banner_label_w - 2 * px(20, k);
    sc->banner_fit = ellipsize(&sc->m, FONT_CRAWL, sc->banner, MAX(room, 0));
}

void
scene_set_banner(Scene *sc, const char *text)
{
    free(sc->banner);
    sc->banner = text && *text ? xstrdup(text) : NULL;
    fit_banner(sc);
}

static void
build_banner(Scene *sc, DrawList *out)
{
    if (!sc->banner_fit)
        return;
    const Config *cfg = sc->cfg;
    double k = sc->lay.scale;
    int h = sc->lay.bar.h;
    draw_fill(out, (Rect){0, 0, sc->lay.w, h}, cfg->color_accent);
    draw_fill(out, (Rect){0, 0, sc->banner_label_w, h}, cfg->color_bar);
    draw_text(out, FONT_CRAWL_BOLD, px(20, k),
              (h - sc->m.line_height[FONT_CRAWL_BOLD]) / 2, cfg->color_bar_text,
              BANNER_LABEL, NULL);
    draw_text(out, FONT_CRAWL, sc->banner_label_w + px(20, k),
              (h - sc->m.line_height[FONT_CRAWL]) / 2, cfg->color_bar_text,
              sc->banner_fit, NULL);
}

/* While breaking news is on, the bar swaps to the accent colour with
 * white text and an amber label, as broadcast tickers do. */
static void
update_colors(Scene *sc, int64_t wall_s)
{
    const Config *cfg = sc->cfg;
    BarColors *c = &sc->colors;
    c->breaking_on = any_breaking(sc, wall_s);
    if (c->breaking_on) {
        c->bar = cfg->color_accent;
        c->text = cfg->color_bar_text;
        c->breaking = cfg->color_bar_text;
        c->source = fade(cfg->color_bar_text, 200);
        c->separator = cfg->color_bar_text;
        c->label_bg = cfg->color_warning;
        c->label_text = cfg->color_bar;
    } else {
        c->bar = cfg->color_bar;
        c->text = cfg->color_bar_text;
        c->breaking = cfg->color_warning;
        c->source = cfg->color_meta;
        c->separator = cfg->color_accent;
        c->label_bg = cfg->color_accent;
        c->label_text = cfg->color_bar_text;
    }
}

void
scene_build(Scene *sc, const SceneTime *t, DrawList *out)
{
    draw_list_clear(out);
    if (!sc->has_layout)
        return;
    promote_strip(sc, t->anim_ms);
    apply_pictures(sc, t); /* before a new set can come on screen */
    promote_cards(sc, t);
    update_colors(sc, t->wall_s);
    build_cards(sc, t, out);
    build_crawl(sc, t, out);
    build_bar_boxes(sc, t, out);
    build_banner(sc, out);
}
