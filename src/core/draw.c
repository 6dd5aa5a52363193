/* draw: DrawList building and printing. See draw.h. */
#include <stdlib.h>
#include <string.h>

#include "draw.h"

static const char *const FONT_NAMES[FONT_COUNT] = {
    "headline", "summary",    "meta",  "meta-bold",
    "crawl",    "crawl-bold", "clock", "status",
};

const char *
draw_font_name(FontRole f)
{
    return f < FONT_COUNT ? FONT_NAMES[f] : "?";
}

void
draw_list_init(DrawList *dl)
{
    memset(dl, 0, sizeof(*dl));
    buf_init(&dl->arena);
}

void
draw_list_deinit(DrawList *dl)
{
    free(dl->ops);
    buf_deinit(&dl->arena);
    memset(dl, 0, sizeof(*dl));
}

void
draw_list_clear(DrawList *dl)
{
    dl->count = 0;
    buf_clear(&dl->arena);
}

static DrawOp *
push(DrawList *dl)
{
    if (dl->count == dl->cap) {
        dl->cap = dl->cap ? dl->cap * 2 : 64;
        dl->ops = xrealloc(dl->ops, dl->cap * sizeof(DrawOp));
    }
    DrawOp *op = &dl->ops[dl->count++];
    memset(op, 0, sizeof(*op));
    return op;
}

void
draw_fill(DrawList *dl, Rect r, Color c)
{
    if (r.w <= 0 || r.h <= 0 || c.a == 0)
        return;
    DrawOp *op = push(dl);
    op->kind = DRAW_FILL;
    op->rect = r;
    op->color = c;
}

void
draw_text(DrawList *dl, FontRole font, int x, int y, Color c, const char *text,
          const Rect *clip)
{
    if (!text || !*text || c.a == 0)
        return;
    DrawOp *op = push(dl);
    op->kind = DRAW_TEXT;
    op->rect = (Rect){x, y, 0, 0};
    op->color = c;
    op->font = font;
    if (clip)
        op->clip = *clip;
    op->text_off = dl->arena.len;
    buf_append(&dl->arena, text, strlen(text) + 1);
}

void
draw_prepare(DrawList *dl, FontRole font, Color c, const char *text)
{
    size_t before = dl->count;
    c.a = 255; /* opacity is applied when drawn, not baked in */
    draw_text(dl, font, 0, 0, c, text, NULL);
    if (dl->count > before)
        dl->ops[before].kind = DRAW_PREPARE;
}

void
draw_text_on(DrawList *dl, FontRole font, int x, int y, Color c, Color bg,
             const char *text, const Rect *clip)
{
    size_t before = dl->count;
    draw_text(dl, font, x, y, c, text, clip);
    if (dl->count > before && bg.a == 255 && c.a == 255)
        dl->ops[before].bg = bg;
}

void
draw_text_right(DrawList *dl, FontRole font, int x, int y, Color c,
                const char *text, const Rect *clip)
{
    size_t before = dl->count;
    draw_text(dl, font, x, y, c, text, clip);
    if (dl->count > before)
        dl->ops[before].right = true;
}

void
draw_image(DrawList *dl, Rect r, int alpha, const char *url, const Rect *clip)
{
    if (!url || !*url || alpha <= 0 || r.w <= 0 || r.h <= 0)
        return;
    DrawOp *op = push(dl);
    op->kind = DRAW_IMAGE;
    op->rect = r;
    op->color = (Color){255, 255, 255, (uint8_t)MIN(alpha, 255)};
    if (clip)
        op->clip = *clip;
    op->text_off = dl->arena.len;
    buf_append(&dl->arena, url, strlen(url) + 1);
}

const char *
draw_op_text(const DrawList *dl, const DrawOp *op)
{
    ASSERT(op->kind != DRAW_FILL && op->text_off < dl->arena.len);
    return dl->arena.data + op->text_off;
}

void
draw_list_print(const DrawList *dl, FILE *out)
{
    for (size_t i = 0; i < dl->count; i++) {
        const DrawOp *op = &dl->ops[i];
        const Color c = op->color;
        if (op->kind == DRAW_FILL) {
            fprintf(out, "fill %d,%d %dx%d #%02x%02x%02x%02x\n", op->rect.x,
                    op->rect.y, op->rect.w, op->rect.h, c.r, c.g, c.b, c.a);
            continue;
        }
        if (op->kind == DRAW_IMAGE) {
            fprintf(out, "image %d,%d %dx%d #%02x", op->rect.x, op->rect.y,
                    op->rect.w, op->rect.h, c.a);
            if (op->clip.w)
                fprintf(out, " clip %d,%d %dx%d", op->clip.x, op->clip.y,
                        op->clip.w, op->clip.h);
            fprintf(out, " \"%s\"\n", draw_op_text(dl, op));
            continue;
        }
        if (op->kind == DRAW_PREPARE) {
            fprintf(out, "prepare %s #%02x%02x%02x \"%s\"\n",
                    draw_font_name(op->font), c.r, c.g, c.b,
                    draw_op_text(dl, op));
            continue;
        }
        fprintf(out, "text%s %s %d,%d #%02x%02x%02x%02x",
                op->right ? "-right" : "", draw_font_name(op->font), op->rect.x,
                op->rect.y, c.r, c.g, c.b, c.a);
        if (op->clip.w)
            fprintf(out, " clip %d,%d %dx%d", op->clip.x, op->clip.y,
                    op->clip.w, op->clip.h);
        if (op->bg.a)
            fprintf(out, " on #%02x%02x%02x", op->bg.r, op->bg.g, op->bg.b);
        fprintf(out, " \"%s\"\n", draw_op_text(dl, op));
    }
}
