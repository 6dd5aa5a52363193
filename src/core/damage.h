/*
 * damage: what changed between two frames. Without a GPU every pixel
 * drawn costs CPU, so the software path redraws and presents only the
 * rectangles where the new DrawList differs from the last one: the bar
 * while the crawl moves, the card area during a transition, the clock
 * once a minute. Pure; text sizes come from an injected callback.
 * Render thread.
 */
#ifndef DAMAGE_H
#define DAMAGE_H

#include <stdbool.h>

#include "draw.h"

#define DAMAGE_MAX_RECTS 4

/* Size in px of a text op as drawn; false when unknown (forces a full
 * redraw). */
typedef bool (*TextSizeFn)(void *ud, const DrawOp *op, const char *text, int *w,
                           int *h);

/* Copies of the last frame's ops, owned. */
typedef struct DamageTracker {
    DrawList last;
    bool valid;
} DamageTracker;

void damage_init(DamageTracker *t);
void damage_deinit(DamageTracker *t);
/* Forgets the last frame: the next one is drawn whole. */
void damage_reset(DamageTracker *t);

/* Compares cur with the last frame and stores cur as the new last frame.
 * Fills out with up to DAMAGE_MAX_RECTS rectangles inside screen and
 * returns their number: 0 when nothing changed, 1 with the whole screen
 * when everything must be redrawn. */
int damage_update(DamageTracker *t, const DrawList *cur, TextSizeFn size,
                  void *ud, Rect screen, Rect *out);

bool rect_intersects(Rect a, Rect b);
Rect rect_intersection(Rect a, Rect b);
Rect rect_union(Rect a, Rect b);

#endif
