/*
 * scene: turns stories, status and time into a DrawList.
 *
 * Layout is computed from the frame size (a 1280x720 design scaled to the
 * output). Text is measured through an injected TextMeasurer only when the
 * stories, the status or the size change; scene_build() measures nothing,
 * so a steady frame costs only arithmetic and copies.
 *
 * New stories never make the screen jump: a new list joins the crawl when
 * the current strip has run through (the old strip scrolls off to the left
 * of the new one), and joins the cards at the end of the current card,
 * continuing after the story that was showing (or with a new breaking
 * story first). The scene copies what it needs from a StoryList, so the
 * caller may free the list after scene_set_stories(). Render thread only.
 */
#ifndef SCENE_H
#define SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "draw.h"
#include "inbox.h"
#include "story.h"

typedef int (*MeasureFn)(void *ud, FontRole font, const char *text);

typedef struct TextMeasurer {
    MeasureFn width; /* px width of a UTF-8 string */
    void *ud;
    int line_height[FONT_COUNT]; /* px */
} TextMeasurer;

typedef struct Layout {
    int w, h;     /* logical frame size (after rotation) */
    double scale; /* relative to the 1280x720 design */
    int font_px[FONT_COUNT];
    Rect safe; /* the area inside the overscan margins */
    Rect bar, label, crawl, clock, card;
    int margin_x, margin_top;
    int headline_lines_max;
    int summary_lines_max;
} Layout;

/* cfg supplies text scale, safe area, bar height and position. */
void layout_compute(Layout *lay, int w, int h, const Config *cfg);

typedef struct SceneTime {
    int64_t anim_ms; /* virtual time driving motion (stops while paused) */
    int64_t wall_s;  /* wall clock for the clock and relative dates */
    bool paused;
} SceneTime;

typedef struct Scene Scene;

Scene *scene_new(const Config *cfg); /* cfg is borrowed for the lifetime */
void scene_free(Scene *scene);
/* After a resize and after the fonts were reopened for lay->font_px. */
void scene_set_layout(Scene *scene, const Layout *lay, const TextMeasurer *m);
/* The display's refresh rate in millihertz (60000 for 60 Hz): the crawl
 * moves a whole number of pixels per refresh. */
void scene_set_refresh(Scene *scene, int refresh_mhz);
/* Copies what it needs; list may be NULL and may be freed afterwards. */
void scene_set_stories(Scene *scene, const StoryList *list);
void scene_set_status(Scene *scene, const FetchStatus *status);
/* Moves the card rotation by delta cards at the next frame (keys). */
void scene_skip(Scene *scene, int delta);
void scene_build(Scene *scene, const SceneTime *t, DrawList *out);
/* A breaking-news strip across the top of the screen, over everything
 * else; text NULL or "" removes it. The text is copied. */
void scene_set_banner(Scene *scene, const char *text);

/* The display holds a w x h picture for a story image URL: cards laid
 * out from now on, and cards not on screen yet, show it beside the text.
 * A card on screen never changes its layout. */
void scene_set_picture(Scene *scene, const char *url, int w, int h);
/* True while a card the scene holds (shown, next or fading out) has this
 * image URL; the display keeps the picture while it is. */
bool scene_uses_picture(const Scene *scene, const char *url);
/* The display dropped the picture: cards laid out later go without it. */
void scene_forget_picture(Scene *scene, const char *url);

/* Exposed for tests and benchmarks. */
int64_t scene_strip_px(const Scene *scene);  /* current crawl strip */
int scene_crawl_step_px(const Scene *scene); /* px per refresh */
size_t scene_card_count(const Scene *scene);
int64_t scene_card_dwell_ms(const Scene *scene, size_t i);

/* Greedy word wrap of text into at most max_lines lines no wider than
 * width_px; the last line ends with an ellipsis when text was cut (and
 * *cut is set when cut is not NULL). Returns the number of lines; lines[i]
 * are new strings the caller frees. */
int scene_wrap(const TextMeasurer *m, FontRole font, const char *text,
               int width_px, int max_lines, char **lines, bool *cut);

#endif
