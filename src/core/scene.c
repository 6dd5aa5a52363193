/*
 * scene: layout and frame building. See scene.h.
 *
 * The screen is a story card above a bar. The bar holds a label box, the
 * crawl (every headline followed by its source and a separator, looping),
 * and a clock box with a small status mark. Sizes come from a 1280x720
 * design multiplied by Layout.scale.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freshness.h"
#include "scene.h"
#include "timefmt.h"
#include "timeline.h"
#include "util.h"

#define ELLIPSIS "\xe2\x80\xa6"

typedef struct CrawlItem {
    const char *title; /* borrowed from the story list */
    char *source;      /* upper-cased label, owned; NULL when hidden */
    int title_w, source_w, width; /* px; width includes gaps and separator */
} CrawlItem;

typedef struct Card {
    char *headline[8]; /* wrapped lines, owned */
    int headline_n;
    char *summary[8];
    int summary_n;
    char *source; /* owned, upper case */
    int source_w;
} Card;

struct Scene {
    const Config *cfg;
    Layout lay;
    TextMeasurer m;
    bool has_layout;
    const StoryList *list; /* borrowed */
    CrawlItem *items;
    Card *cards;
    size_t count;
    int64_t strip_px;
    int sep_w, sep_pad, gap_px, label_w;
    FetchStatus status;
    bool has_status;
    char status_line[128]; /* fitted to the clock box */
    bool status_warn;
    Card waiting; /* shown when there is no story */
};

static int
px(double v, double scale)
{
    return (int)(v * scale + 0.5);
}

void
layout_compute(Layout *lay, int w, int h)
{
    memset(lay, 0, sizeof(*lay));
    lay->w = w;
    lay->h = h;
    bool portrait = h > w;
    double s = portrait ? w / 980.0 : MIN(w / 1280.0, h / 720.0);
    lay->scale = s;
    static const double design_px[FONT_COUNT] = {
        [FONT_HEADLINE] = 54,  [FONT_SUMMARY] = 27, [FONT_META] = 21,
        [FONT_META_BOLD] = 21, [FONT_CRAWL] = 27,   [FONT_CRAWL_BOLD] = 23,
        [FONT_CLOCK] = 27,     [FONT_STATUS] = 14,
    };
    for (int i = 0; i < FONT_COUNT; i++)
        lay->font_px[i] = MAX(6, px(design_px[i], s));
    int bar_h = px(66, s);
    lay->bar = (Rect){0, h - bar_h, w, bar_h};
    lay->clock = (Rect){w - px(190, s), h - bar_h, px(190, s), bar_h};
    lay->label = (Rect){0, h - bar_h, 0, bar_h}; /* width from the text */
    lay->crawl = (Rect){0, h - bar_h, lay->clock.x, bar_h};
    lay->card = (Rect){0, 0, w, h - bar_h};
    lay->margin_x = px(portrait ? 60 : 88, s);
    lay->margin_top = px(portrait ? 120 : 70, s);
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

int
scene_wrap(const TextMeasurer *m, FontRole font, const char *text, int width_px,
           int max_lines, char **lines)
{
    int n = 0;
    const char *p = text;
    Buf line;
    buf_init(&line);
    while (*p && n < max_lines) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* Take words while they fit. */
        buf_clear(&line);
        const char *q = p;
        const char *end_ok = p;
        while (*q) {
            const char *w_end = q;
            while (*w_end && *w_end != ' ')
                w_end++;
            size_t old = line.len;
            if (line.len)
                buf_append(&line, " ", 1);
            buf_append(&line, q, (size_t)(w_end - q));
            if (measure(m, font, line.data) > width_px) {
                line.len = old;
                line.data[old] = '\0';
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
            buf_clear(&line);
            buf_append(&line, p, k);
            end_ok = p + k;
        }
        p = end_ok;
        while (*p == ' ')
            p++;
        bool last = n == max_lines - 1;
        if (last && *p) {
            /* More text than lines: end the last line with an ellipsis. */
            char *rest = xasprintf("%s %s", line.data, p);
            lines[n++] = ellipsize(m, font, rest, width_px);
            free(rest);
        } else {
            lines[n++] = xstrdup(line.data);
        }
    }
    buf_deinit(&line);
    return n;
}

/* ---- stories ---- */

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

static void
card_clear(Card *c)
{
    for (int i = 0; i < c->headline_n; i++)
        free(c->headline[i]);
    for (int i = 0; i < c->summary_n; i++)
        free(c->summary[i]);
    free(c->source);
    memset(c, 0, sizeof(*c));
}

static int
text_width(const Scene *sc)
{
    return sc->lay.w - 2 * sc->lay.margin_x;
}

static void
card_fill(Scene *sc, Card *c, const char *source, const char *headline,
          const char *summary)
{
    const Layout *l = &sc->lay;
    c->source = upper_ascii(source && *source ? source : "NEWS");
    c->source_w = measure(&sc->m, FONT_META_BOLD, c->source);
    c->headline_n = scene_wrap(&sc->m, FONT_HEADLINE, headline, text_width(sc),
                               l->headline_lines_max, c->headline);
    if (summary && sc->cfg->card_show_summary) {
        c->summary_n =
            scene_wrap(&sc->m, FONT_SUMMARY, summary, text_width(sc) * 9 / 10,
                       l->summary_lines_max, c->summary);
    }
}

static void
clear_stories(Scene *sc)
{
    for (size_t i = 0; i < sc->count; i++) {
        free(sc->items[i].source);
        card_clear(&sc->cards[i]);
    }
    free(sc->items);
    free(sc->cards);
    sc->items = NULL;
    sc->cards = NULL;
    sc->count = 0;
    sc->strip_px = 0;
}

static void
measure_stories(Scene *sc)
{
    clear_stories(sc);
    if (!sc->list || !sc->has_layout || sc->list->count == 0)
        return;
    size_t n = sc->list->count;
    sc->items = xcalloc(n, sizeof(CrawlItem));
    sc->cards = xcalloc(n, sizeof(Card));
    sc->count = n;
    for (size_t i = 0; i < n; i++) {
        const Story *s = &sc->list->items[i];
        CrawlItem *it = &sc->items[i];
        it->title = s->title;
        it->title_w = measure(&sc->m, FONT_CRAWL, s->title);
        it->width = it->title_w + sc->sep_w;
        if (sc->cfg->crawl_show_source && s->source) {
            it->source = upper_ascii(s->source);
            it->source_w = measure(&sc->m, FONT_CRAWL_BOLD, it->source);
            it->width += sc->gap_px + it->source_w;
        }
        sc->strip_px += it->width;
        card_fill(sc, &sc->cards[i], s->source, s->title, s->summary);
    }
}

/* ---- status ---- */

static void
format_hhmm(int64_t wall_s, char *buf, size_t n)
{
    time_t t = (time_t)wall_s;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, n, "%H:%M", &tm);
}

static void
update_status(Scene *sc)
{
    FreshnessText ft;
    FetchStatus none = {0};
    freshness_describe(sc->has_status ? &sc->status : &none, format_hhmm, &ft);
    sc->status_warn = ft.warn;
    if (sc->has_layout) {
        char *fit = ellipsize(&sc->m, FONT_STATUS, ft.mark,
                              sc->lay.clock.w - px(16, sc->lay.scale));
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
    return sc;
}

void
scene_free(Scene *sc)
{
    if (!sc)
        return;
    clear_stories(sc);
    card_clear(&sc->waiting);
    free(sc);
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
    sc->lay.label.w = sc->label_w;
    sc->lay.crawl.x = sc->label_w;
    sc->lay.crawl.w = sc->lay.clock.x - sc->label_w;
    measure_stories(sc);
    update_status(sc);
}

void
scene_set_stories(Scene *sc, const StoryList *list)
{
    sc->list = list;
    measure_stories(sc);
}

void
scene_set_status(Scene *sc, const FetchStatus *status)
{
    sc->status = *status;
    sc->has_status = true;
    update_status(sc);
}

int64_t
scene_strip_px(const Scene *sc)
{
    return sc->strip_px;
}

static Color
fade(Color c, int alpha)
{
    c.a = (uint8_t)(c.a * alpha / 255);
    return c;
}

static void
build_card(Scene *sc, const Card *c, const Story *s, const SceneTime *t,
           int alpha, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    double k = l->scale;
    int x = l->margin_x;
    int y = l->margin_top;
    draw_fill(out, (Rect){x, y, px(56, k), px(6, k)},
              fade(cfg->color_accent, alpha));
    y += px(26, k);
    draw_text(out, FONT_META_BOLD, x, y, fade(cfg->color_accent, alpha),
              c->source, NULL);
    if (s) {
        char meta[160] = "";
        size_t n = 0;
        if (s->published_s != STORY_NO_TIME) {
            char when[48];
            time_format_relative(s->published_s, t->wall_s, when, sizeof(when));
            n += (size_t)snprintf(meta + n, sizeof(meta) - n, "  \xc2\xb7  %s",
                                  when);
        }
        if (s->read_min > 0 && n < sizeof(meta))
            snprintf(meta + n, sizeof(meta) - n, "  \xc2\xb7  %d min read",
                     s->read_min);
        draw_text(out, FONT_META, x + c->source_w, y,
                  fade(cfg->color_meta, alpha), meta, NULL);
    }
    y += sc->m.line_height[FONT_META] + px(22, k);
    int lh = sc->m.line_height[FONT_HEADLINE] * 112 / 100;
    for (int i = 0; i < c->headline_n; i++, y += lh)
        draw_text(out, FONT_HEADLINE, x, y, fade(cfg->color_headline, alpha),
                  c->headline[i], NULL);
    y += px(22, k);
    int sh = sc->m.line_height[FONT_SUMMARY] * 118 / 100;
    int bottom = l->card.y + l->card.h - px(40, k);
    for (int i = 0; i < c->summary_n && y + sh <= bottom; i++, y += sh)
        draw_text(out, FONT_SUMMARY, x, y, fade(cfg->color_summary, alpha),
                  c->summary[i], NULL);
}

static void
build_cards(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Layout *l = &sc->lay;
    draw_fill(out, l->card, sc->cfg->color_background);
    if (sc->count == 0) {
        build_card(sc, &sc->waiting, NULL, t, 255, out);
        return;
    }
    CardFrame f = timeline_card(t->anim_ms, sc->count, sc->cfg->card_dwell_ms,
                                sc->cfg->card_fade_ms, t->card_step);
    if (f.alpha < 255)
        build_card(sc, &sc->cards[f.previous], &sc->list->items[f.previous], t,
                   255 - f.alpha, out);
    build_card(sc, &sc->cards[f.current], &sc->list->items[f.current], t,
               f.alpha, out);

    double k = l->scale;
    char counter[32];
    snprintf(counter, sizeof(counter), "%zu / %zu%s", f.current + 1, sc->count,
             t->paused ? "  (paused)" : "");
    draw_text(out, FONT_META, l->margin_x,
              l->card.y + l->card.h - px(34, k) -
                  sc->m.line_height[FONT_META] / 2,
              sc->cfg->color_meta, counter, NULL);
    /* Dwell progress: a thin line along the top edge of the bar. */
    int pw = (int)((int64_t)l->w * f.progress_permille / 1000);
    draw_fill(out, (Rect){0, l->bar.y - px(3, k), pw, px(3, k)},
              sc->cfg->color_accent);
}

static void
build_crawl(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    const Rect *cr = &l->crawl;
    draw_fill(out, l->bar, cfg->color_bar);
    if (sc->count == 0 || sc->strip_px <= 0)
        return;
    int ty = cr->y + (cr->h - sc->m.line_height[FONT_CRAWL]) / 2;
    int sy = cr->y + (cr->h - sc->m.line_height[FONT_CRAWL_BOLD]) / 2;
    int64_t off =
        timeline_crawl_offset(t->anim_ms, cfg->crawl_speed_px_s, sc->strip_px);
    /* The strip starts at the right edge at t=0 and loops; find the first
     * copy that reaches the left edge. */
    int64_t x = cr->x + cr->w - off;
    while (x > cr->x)
        x -= sc->strip_px;
    size_t i = 0;
    while (x < cr->x + cr->w) {
        const CrawlItem *it = &sc->items[i];
        if (x + it->width > cr->x) {
            int64_t ix = x;
            draw_text(out, FONT_CRAWL, (int)ix, ty, cfg->color_bar_text,
                      it->title, cr);
            ix += it->title_w;
            if (it->source) {
                ix += sc->gap_px;
                draw_text(out, FONT_CRAWL_BOLD, (int)ix, sy, cfg->color_meta,
                          it->source, cr);
                ix += it->source_w;
            }
            draw_text(out, FONT_CRAWL, (int)ix + sc->sep_pad, ty,
                      cfg->color_accent, cfg->crawl_separator, cr);
        }
        x += it->width;
        i = (i + 1) % sc->count;
    }
}

static void
build_bar_boxes(Scene *sc, const SceneTime *t, DrawList *out)
{
    const Layout *l = &sc->lay;
    const Config *cfg = sc->cfg;
    double k = l->scale;
    if (sc->label_w) {
        draw_fill(out, l->label, cfg->color_accent);
        draw_text(out, FONT_CRAWL_BOLD, l->label.x + px(20, k),
                  l->label.y +
                      (l->label.h - sc->m.line_height[FONT_CRAWL_BOLD]) / 2,
                  cfg->color_bar_text, cfg->bar_label, NULL);
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
    }
    draw_text(out, FONT_STATUS, x, y + clock_h,
              sc->status_warn ? cfg->color_warning : cfg->color_meta,
              sc->status_line, NULL);
}

void
scene_build(Scene *sc, const SceneTime *t, DrawList *out)
{
    draw_list_clear(out);
    if (!sc->has_layout)
        return;
    build_cards(sc, t, out);
    build_crawl(sc, t, out);
    build_bar_boxes(sc, t, out);
}
