/*
 * draw: the frame as data. The scene builder fills a DrawList with
 * rectangles to fill and strings to draw at positions; the display adapter
 * executes it, and tests print it as text. A DrawList owns copies of its
 * strings (in one arena), so it stays valid whatever happens to the story
 * list. Render thread only.
 */
#ifndef DRAW_H
#define DRAW_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "util.h"

typedef enum FontRole {
    FONT_HEADLINE, /* bold, card headline */
    FONT_SUMMARY,  /* regular, card summary */
    FONT_META,     /* regular, card source/time line */
    FONT_META_BOLD,
    FONT_CRAWL,      /* regular, the crawl */
    FONT_CRAWL_BOLD, /* bold, crawl source labels and bar label */
    FONT_CLOCK,      /* bold, bar clock */
    FONT_STATUS,     /* regular, small status mark */
    FONT_COUNT
} FontRole;

typedef struct Rect {
    int x, y, w, h;
} Rect;

/* DRAW_PREPARE asks for text that will be drawn soon (the next card) to be
 * rasterised ahead, a little per frame, so no single frame uploads a
 * whole card; it draws nothing. */
/* DRAW_IMAGE draws the story picture named by its URL (the op's text)
 * scaled to rect, with opacity color.a; the display draws nothing when it
 * holds no such picture. */
typedef enum DrawKind {
    DRAW_FILL,
    DRAW_TEXT,
    DRAW_PREPARE,
    DRAW_IMAGE
} DrawKind;

typedef struct DrawOp {
    DrawKind kind;
    Rect rect;   /* fill: the area; text: x,y top-left (w,h unused) */
    Rect clip;   /* drawn only inside this; w == 0 means no clip */
    Color color; /* text colour and opacity (a) */
    Color bg;    /* text: opaque backdrop it may be flattened onto (a 255),
                    or none (a 0) */
    FontRole font;
    bool right;      /* text: rect.x is the right edge, not the left */
    size_t text_off; /* into the arena; text only */
} DrawOp;

typedef struct DrawList {
    DrawOp *ops;
    size_t count, cap;
    Buf arena; /* NUL-separated strings */
} DrawList;

void draw_list_init(DrawList *dl);
void draw_list_deinit(DrawList *dl);
void draw_list_clear(DrawList *dl);
void draw_fill(DrawList *dl, Rect r, Color c);
void draw_text(DrawList *dl, FontRole font, int x, int y, Color c,
               const char *text, const Rect *clip);
/* Borrowed: valid until the list is next changed. */
void draw_prepare(DrawList *dl, FontRole font, Color c, const char *text);
/* Text over a known solid backdrop (the bar): the display may flatten it
 * onto bg and copy it instead of blending it, which costs far less when
 * the CPU draws. Always drawn fully opaque. */
void draw_text_on(DrawList *dl, FontRole font, int x, int y, Color c, Color bg,
                  const char *text, const Rect *clip);
/* The same, with x the right edge of the text (right-to-left layouts). */
void draw_text_right(DrawList *dl, FontRole font, int x, int y, Color c,
                     const char *text, const Rect *clip);
void draw_image(DrawList *dl, Rect r, int alpha, const char *url,
                const Rect *clip);
const char *draw_op_text(const DrawList *dl, const DrawOp *op);
/* One line per op, for golden tests and debugging. */
void draw_list_print(const DrawList *dl, FILE *out);
const char *draw_font_name(FontRole f);

#endif
