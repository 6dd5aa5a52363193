/*
 * scene: turns stories, status and time into a DrawList.
 *
 * Layout is computed from the frame size (a 1280x720 design scaled to the
 * output). Text is measured through an injected TextMeasurer only when the
 * stories, the status or the size change; scene_build() itself measures
 * nothing, so a steady frame costs only arithmetic and copies. The scene
 * borrows the StoryList given to scene_set_stories() until the next call.
 * Render thread only.
 */
#ifndef SCENE_H
#define SCENE_H

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
    int w, h;
    double scale; /* relative to the 1280x720 design */
    int font_px[FONT_COUNT];
    Rect bar, label, crawl, clock, card;
    int margin_x, margin_top;
    int headline_lines_max;
    int summary_lines_max;
} Layout;

void layout_compute(Layout *lay, int w, int h);

typedef struct SceneTime {
    int64_t anim_ms;   /* virtual time driving motion (stops while paused) */
    int64_t wall_s;    /* wall clock for the clock and relative dates */
    int64_t card_step; /* cards skipped forward (+) or back (-) by keys */
    bool paused;
} SceneTime;

typedef struct Scene Scene;

Scene *scene_new(const Config *cfg); /* cfg is borrowed for the lifetime */
void scene_free(Scene *scene);
/* After a resize and after the fonts were reopened for lay->font_px. */
void scene_set_layout(Scene *scene, const Layout *lay, const TextMeasurer *m);
/* list may be NULL (nothing yet); borrowed until the next call. */
void scene_set_stories(Scene *scene, const StoryList *list);
void scene_set_status(Scene *scene, const FetchStatus *status);
void scene_build(Scene *scene, const SceneTime *t, DrawList *out);
/* A breaking-news strip across the top of the screen, over everything
 * else; text NULL or "" removes it. The text is copied. */
void scene_set_banner(Scene *scene, const char *text);

/* Exposed for tests: total crawl strip width in px (0 without stories). */
int64_t scene_strip_px(const Scene *scene);

/* Greedy word wrap of text into at most max_lines lines no wider than
 * width_px; the last line ends with an ellipsis when text was cut. Returns
 * the number of lines; lines[i] are new strings the caller frees. */
int scene_wrap(const TextMeasurer *m, FontRole font, const char *text,
               int width_px, int max_lines, char **lines);

#endif
