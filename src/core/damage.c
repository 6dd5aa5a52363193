/* damage: frame-to-frame change rectangles. See damage.h. */
#include <string.h>

#include "damage.h"
#include "util.h"

void
damage_init(DamageTracker *t)
{
    draw_list_init(&t->last);
    t->valid = false;
}

void
damage_deinit(DamageTracker *t)
{
    draw_list_deinit(&t->last);
}

void
damage_reset(DamageTracker *t)
{
    t->valid = false;
}

bool
rect_intersects(Rect a, Rect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w &&
           b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

Rect
rect_intersection(Rect a, Rect b)
{
    int x0 = MAX(a.x, b.x), y0 = MAX(a.y, b.y);
    int x1 = MIN(a.x + a.w, b.x + b.w), y1 = MIN(a.y + a.h, b.y + b.h);
    if (x1 <= x0 || y1 <= y0)
        return (Rect){0, 0, 0, 0};
    return (Rect){x0, y0, x1 - x0, y1 - y0};
}

Rect
rect_union(Rect a, Rect b)
{
    if (a.w <= 0 || a.h <= 0)
        return b;
    if (b.w <= 0 || b.h <= 0)
        return a;
    int x0 = MIN(a.x, b.x), y0 = MIN(a.y, b.y);
    int x1 = MAX(a.x + a.w, b.x + b.w), y1 = MAX(a.y + a.h, b.y + b.h);
    return (Rect){x0, y0, x1 - x0, y1 - y0};
}

static bool
op_equal(const DrawList *a, const DrawOp *x, const DrawList *b, const DrawOp *y)
{
    if (x->kind != y->kind || memcmp(&x->rect, &y->rect, sizeof(Rect)) ||
        memcmp(&x->clip, &y->clip, sizeof(Rect)) ||
        memcmp(&x->color, &y->color, sizeof(Color)))
        return false;
    if (x->kind == DRAW_FILL)
        return true;
    if (x->kind == DRAW_IMAGE)
        return !strcmp(draw_op_text(a, x), draw_op_text(b, y));
    return x->font == y->font && x->right == y->right &&
           !memcmp(&x->bg, &y->bg, sizeof(Color)) &&
           !strcmp(draw_op_text(a, x), draw_op_text(b, y));
}

/* Screen area an op touches; false when the size is unknown. */
static bool
op_bounds(const DrawList *dl, const DrawOp *op, TextSizeFn size, void *ud,
          Rect *out)
{
    Rect r = op->rect;
    if (op->kind == DRAW_PREPARE) { /* draws nothing */
        *out = (Rect){0, 0, 0, 0};
        return true;
    }
    if (op->kind == DRAW_TEXT &&
        !size(ud, op, draw_op_text(dl, op), &r.w, &r.h))
        return false;
    if (op->right)
        r.x -= r.w;
    if (op->clip.w)
        r = rect_intersection(r, op->clip);
    *out = r;
    return true;
}

/* Adds r to the set, merging rectangles that touch; when there are too
 * many, everything collapses into one. */
static void
add_rect(Rect *rects, int *n, Rect r)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    for (int i = 0; i < *n; i++) {
        Rect grown = {rects[i].x - 8, rects[i].y - 8, rects[i].w + 16,
                      rects[i].h + 16};
        if (rect_intersects(grown, r)) {
            Rect u = rect_union(rects[i], r);
            rects[i] = rects[--*n];
            add_rect(rects, n, u);
            return;
        }
    }
    if (*n < DAMAGE_MAX_RECTS) {
        rects[(*n)++] = r;
        return;
    }
    for (int i = 1; i < *n; i++)
        rects[0] = rect_union(rects[0], rects[i]);
    rects[0] = rect_union(rects[0], r);
    *n = 1;
}

static void
copy_list(DrawList *dst, const DrawList *src)
{
    draw_list_clear(dst);
    if (dst->cap < src->count) {
        dst->cap = src->count;
        dst->ops = xrealloc(dst->ops, dst->cap * sizeof(DrawOp));
    }
    if (src->count)
        memcpy(dst->ops, src->ops, src->count * sizeof(DrawOp));
    dst->count = src->count;
    buf_append(&dst->arena, src->arena.data ? src->arena.data : "",
               src->arena.len);
}

int
damage_update(DamageTracker *t, const DrawList *cur, TextSizeFn size, void *ud,
              Rect screen, Rect *out)
{
    int n = 0;
    bool full = !t->valid || t->last.count != cur->count;
    for (size_t i = 0; i < cur->count && !full; i++) {
        const DrawOp *a = &t->last.ops[i], *b = &cur->ops[i];
        if (op_equal(&t->last, a, cur, b))
            continue;
        Rect ra, rb;
        if (!op_bounds(&t->last, a, size, ud, &ra) ||
            !op_bounds(cur, b, size, ud, &rb)) {
            full = true;
            break;
        }
        add_rect(out, &n, rect_intersection(ra, screen));
        add_rect(out, &n, rect_intersection(rb, screen));
    }
    copy_list(&t->last, cur);
    t->valid = true;
    if (full) {
        out[0] = screen;
        return 1;
    }
    return n;
}
