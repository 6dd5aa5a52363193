/*
 * display: SDL2 + SDL2_ttf + SDL2_image adapter. See display.h.
 *
 * Text textures are white; colour and opacity are applied per draw with
 * colour and alpha modulation, so one texture serves every colour and
 * every step of a fade. The cache is keyed by font and string, bounded in
 * bytes, and evicts the least recently drawn entries, never one drawn in
 * the current frame. A text not drawn for TEXT_IDLE_NS (a clock minute
 * long gone, a story no longer in the feed) is dropped, so memory stays
 * flat over months instead of filling up to the bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "clock.h"
#include "damage.h"
#include "display.h"
#include "log.h"
#include "text.h"

#define TEXT_CACHE_SLOTS 2048 /* power of two */
#define TEXT_CACHE_MAX_ENTRIES 1024
#define TEXT_CACHE_MAX_BYTES (24u << 20) /* fits a Pi's GPU memory */
#define TILES_MAX 32 /* 300-byte headlines at 4K stay under this */
/* Longer than a full rotation of cards and crawl (100 stories at 8 s). */
#define TEXT_IDLE_NS (INT64_C(20) * 60 * 1000000000)
/* Story pictures held at once: at PICTURE_MAX_W x PICTURE_MAX_H that is
 * at most 22 MB of pixels plus their textures. */
#define PICTURES_MAX 24

/* A story picture. The pixels stay in memory so the texture can be made
 * again after the renderer changes (resize). */
typedef struct PictureEntry {
    char *url; /* owned; NULL marks a free entry */
    uint64_t hash;
    int w, h;
    uint32_t *argb;   /* owned */
    SDL_Texture *tex; /* NULL until uploaded */
} PictureEntry;

typedef struct TextEntry {
    char *text; /* owned; NULL marks a free entry */
    FontRole font;
    uint64_t look; /* colour and backdrop baked into the texture (look_of) */
    bool opaque;   /* flattened onto its backdrop: copied, not blended */
    uint64_t hash;
    int w, h;
    SDL_Texture *tiles[TILES_MAX];
    int tile_w[TILES_MAX];
    int tile_count;
    size_t bytes;
    int64_t last_ns; /* clock_mono_ns() of the frame that last drew it */
} TextEntry;

struct Display {
    DisplayOpts opts;
    SDL_Window *window;   /* NULL when headless */
    SDL_Surface *frame;   /* headless target of the software renderer */
    bool cpu_window;      /* software renderer on the window's surface */
    SDL_Texture *rotated; /* drawing target when the output is rotated */
    DamageTracker damage;
    bool use_damage;
    Rect damage_rects[DAMAGE_MAX_RECTS];
    int damage_n; /* rectangles to present; -1: present everything */
    SDL_Renderer *renderer;
    TextFonts *text; /* opened by the first display_set_layout */
    int max_tex_w;
    bool vsync;
    bool fullscreen;
    TextEntry entries[TEXT_CACHE_MAX_ENTRIES];
    int slots[TEXT_CACHE_SLOTS]; /* entry index + 1; 0 empty; -1 deleted */
    size_t cache_bytes;
    size_t cache_count;
    int64_t frame_ns; /* clock_mono_ns() at the start of this frame */
    int64_t swept_ns; /* last sweep for idle texts */
    DisplayStats stats;
    bool kiosk;           /* display_set_kiosk() */
    SDL_Keycode quit_key; /* kiosk: SDLK_UNKNOWN for none */
    unsigned quit_mods;   /* KEYMOD_* */
    PictureEntry pics[PICTURES_MAX];
    int64_t pics_pruned_ns;
};

static int prepare_targets(Display *d, char *err, size_t errlen);
static bool kiosk_key(Display *d, const SDL_KeyboardEvent *k, AppEvent *ev);

static void
set_err_sdl(char *err, size_t errlen, const char *what)
{
    util_errf(err, errlen, "%s: %s", what, SDL_GetError());
}

/* The window's own surface, drawn by the CPU: presents can then update
 * just the changed rectangles. The surface is replaced on resize. */
static int
create_cpu_window_renderer(Display *d, char *err, size_t errlen)
{
    /* Otherwise SDL backs the window surface with a GL texture, which on a
     * board without a GPU means a software GL stack doing the same work
     * again. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    SDL_Surface *surface = SDL_GetWindowSurface(d->window);
    d->renderer = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
    if (!d->renderer) {
        set_err_sdl(err, errlen, "cannot draw into the window");
        return -1;
    }
    d->cpu_window = true;
    return 0;
}

static int
create_renderer(Display *d, char *err, size_t errlen)
{
    if (d->opts.mode == DISPLAY_HEADLESS) {
        d->frame = SDL_CreateRGBSurfaceWithFormat(0, d->opts.w, d->opts.h, 32,
                                                  SDL_PIXELFORMAT_RGB888);
        if (!d->frame) {
            set_err_sdl(err, errlen, "cannot make the headless frame");
            return -1;
        }
        d->renderer = SDL_CreateSoftwareRenderer(d->frame);
    } else if (d->opts.software) {
        if (create_cpu_window_renderer(d, err, errlen) < 0)
            return -1;
    } else {
        Uint32 flags = SDL_RENDERER_ACCELERATED;
        if (d->opts.vsync)
            flags |= SDL_RENDERER_PRESENTVSYNC;
        d->renderer = SDL_CreateRenderer(d->window, -1, flags);
        SDL_RendererInfo got;
        if (d->renderer && SDL_GetRendererInfo(d->renderer, &got) == 0 &&
            (got.flags & SDL_RENDERER_SOFTWARE)) {
            /* No GPU after all: draw into the window surface ourselves, so
             * presents can update only what changed. */
            log_info("renderer is software: drawing with the CPU");
            SDL_DestroyRenderer(d->renderer);
            d->renderer = NULL;
            if (create_cpu_window_renderer(d, err, errlen) < 0)
                return -1;
        } else if (!d->renderer) {
            log_warn("no accelerated renderer (%s); drawing with the CPU",
                     SDL_GetError());
            if (create_cpu_window_renderer(d, err, errlen) < 0)
                return -1;
        }
    }
    if (!d->renderer) {
        set_err_sdl(err, errlen, "cannot create a renderer");
        return -1;
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->renderer, &info);
    /* A headless frame has no display to wait for: the loop paces itself. */
    d->vsync = d->opts.mode != DISPLAY_HEADLESS && !d->cpu_window &&
               (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
    bool cpu = d->opts.mode == DISPLAY_HEADLESS || d->cpu_window ||
               (info.flags & SDL_RENDERER_SOFTWARE);
    d->use_damage = cpu && d->opts.damage && d->opts.rotation == 0;
    d->max_tex_w = info.max_texture_width;
    if (d->opts.max_texture_px > 0 &&
        (d->max_tex_w == 0 || d->opts.max_texture_px < d->max_tex_w))
        d->max_tex_w = d->opts.max_texture_px;
    SDL_SetRenderDrawBlendMode(d->renderer, SDL_BLENDMODE_BLEND);
    return 0;
}

Display *
display_open(const DisplayOpts *opts, char *err, size_t errlen)
{
    Display *d = xcalloc(1, sizeof(Display));
    d->opts = *opts;
    damage_init(&d->damage);
    bool headless = opts->mode == DISPLAY_HEADLESS;
    if (headless)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        util_errf(err, errlen,
                  "no display available (%s); run with --headless to work "
                  "without one, or set DISPLAY or WAYLAND_DISPLAY",
                  SDL_GetError());
        free(d);
        return NULL;
    }
    if (TTF_Init() < 0) {
        util_errf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        SDL_Quit();
        free(d);
        return NULL;
    }
    if (!headless) {
        Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
        if (opts->mode == DISPLAY_FULLSCREEN)
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        d->fullscreen = opts->mode == DISPLAY_FULLSCREEN;
        d->window =
            SDL_CreateWindow("newswire", SDL_WINDOWPOS_CENTERED,
                             SDL_WINDOWPOS_CENTERED, opts->w, opts->h, flags);
        if (!d->window) {
            set_err_sdl(err, errlen, "cannot open a window");
            display_close(d);
            return NULL;
        }
        if (d->fullscreen)
            SDL_ShowCursor(SDL_DISABLE);
    }
    if (create_renderer(d, err, errlen) < 0) {
        display_close(d);
        return NULL;
    }
    /* Check the fonts now so a missing file fails at start-up. */
    const char *files[] = {opts->font_regular, opts->font_bold};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        TTF_Font *f = TTF_OpenFont(files[i], 12);
        if (!f) {
            util_errf(err, errlen, "cannot load font %s: %s", files[i],
                      TTF_GetError());
            display_close(d);
            return NULL;
        }
        TTF_CloseFont(f);
    }
    return d;
}

static void
entry_free(Display *d, TextEntry *e)
{
    for (int i = 0; i < e->tile_count; i++)
        SDL_DestroyTexture(e->tiles[i]);
    d->cache_bytes -= e->bytes;
    d->cache_count--;
    free(e->text);
    memset(e, 0, sizeof(*e));
}

static void
pic_free(PictureEntry *p)
{
    if (p->tex)
        SDL_DestroyTexture(p->tex);
    free(p->url);
    free(p->argb);
    memset(p, 0, sizeof(*p));
}

/* Textures go with the renderer they were made on; pixels stay. */
static void
pic_drop_textures(Display *d)
{
    for (size_t i = 0; i < PICTURES_MAX; i++) {
        if (d->pics[i].tex)
            SDL_DestroyTexture(d->pics[i].tex);
        d->pics[i].tex = NULL;
    }
}

static uint64_t
url_hash(const char *url)
{
    return util_hash64(url, strlen(url), 0x9e3779b97f4a7c15u);
}

static PictureEntry *
pic_find(Display *d, const char *url)
{
    uint64_t h = url_hash(url);
    for (size_t i = 0; i < PICTURES_MAX; i++) {
        PictureEntry *p = &d->pics[i];
        if (p->url && p->hash == h && !strcmp(p->url, url))
            return p;
    }
    return NULL;
}

static bool
pic_upload(Display *d, PictureEntry *p)
{
    if (p->tex)
        return true;
    p->tex = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888,
                               SDL_TEXTUREACCESS_STATIC, p->w, p->h);
    if (!p->tex)
        return false;
    SDL_UpdateTexture(p->tex, NULL, p->argb, p->w * 4);
    SDL_SetTextureBlendMode(p->tex, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(p->tex, SDL_ScaleModeLinear);
    d->stats.textures_created++;
    d->stats.bytes_uploaded += (uint64_t)p->w * (uint64_t)p->h * 4;
    return true;
}

/* Drops pictures no card of the scene refers to any more. */
static void
pic_prune(Display *d, Scene *sc)
{
    for (size_t i = 0; i < PICTURES_MAX; i++) {
        PictureEntry *p = &d->pics[i];
        if (p->url && !scene_uses_picture(sc, p->url)) {
            scene_forget_picture(sc, p->url);
            pic_free(p);
        }
    }
}

void
display_take_pictures(Display *d, PictureList *list, Scene *sc)
{
    int64_t now = clock_mono_ns();
    if (now - d->pics_pruned_ns >= 1000000000 || (list && list->count)) {
        d->pics_pruned_ns = now;
        pic_prune(d, sc);
    }
    for (size_t i = 0; list && i < list->count; i++) {
        Picture *in = &list->items[i];
        PictureEntry *p = pic_find(d, in->url);
        if (!p) {
            for (size_t j = 0; j < PICTURES_MAX && !p; j++)
                p = d->pics[j].url ? NULL : &d->pics[j];
        }
        if (!p) {
            log_debug("picture %s: %d pictures held already", in->url,
                      PICTURES_MAX);
            continue;
        }
        pic_free(p);
        p->url = in->url;
        p->hash = url_hash(in->url);
        p->w = in->w;
        p->h = in->h;
        p->argb = in->argb;
        in->url = NULL;
        in->argb = NULL;
        scene_set_picture(sc, p->url, p->w, p->h);
    }
    picture_list_free(list);
}

/* One picture a frame becomes a texture ahead of its card. */
static void
pic_upload_ahead(Display *d)
{
    for (size_t i = 0; i < PICTURES_MAX; i++) {
        PictureEntry *p = &d->pics[i];
        if (p->url && !p->tex) {
            pic_upload(d, p);
            return;
        }
    }
}

static void
cache_clear(Display *d)
{
    for (size_t i = 0; i < TEXT_CACHE_MAX_ENTRIES; i++) {
        if (d->entries[i].text)
            entry_free(d, &d->entries[i]);
    }
    memset(d->slots, 0, sizeof(d->slots));
}

void
display_close(Display *d)
{
    if (!d)
        return;
    cache_clear(d);
    for (size_t i = 0; i < PICTURES_MAX; i++)
        pic_free(&d->pics[i]);
    text_close(d->text);
    if (d->rotated)
        SDL_DestroyTexture(d->rotated);
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->frame)
        SDL_FreeSurface(d->frame);
    damage_deinit(&d->damage);
    if (d->window)
        SDL_DestroyWindow(d->window);
    TTF_Quit();
    SDL_Quit();
    free(d);
}

static int
measure_cb(void *ud, FontRole font, const char *text)
{
    Display *d = ud;
    return text_measure(d->text, font, text, &d->stats.ttf_measures);
}

int
display_set_layout(Display *d, const Layout *lay, TextMeasurer *m, char *err,
                   size_t errlen)
{
    cache_clear(d);
    pic_drop_textures(d);
    if (prepare_targets(d, err, errlen) < 0)
        return -1;
    if (!d->text) {
        d->text =
            text_open(d->opts.font_regular, d->opts.font_bold, err, errlen);
        if (!d->text)
            return -1;
    }
    if (text_set_sizes(d->text, lay->font_px, err, errlen) < 0)
        return -1;
    for (int i = 0; i < FONT_COUNT; i++)
        m->line_height[i] = text_line_height(d->text, (FontRole)i);
    m->width = measure_cb;
    m->ud = d;
    return 0;
}

static void
physical_size(Display *d, int *w, int *h)
{
    if (SDL_GetRendererOutputSize(d->renderer, w, h) < 0) {
        *w = d->opts.w;
        *h = d->opts.h;
    }
}

void
display_output_size(Display *d, int *w, int *h)
{
    physical_size(d, w, h);
    if (d->opts.rotation % 2) {
        int t = *w;
        *w = *h;
        *h = t;
    }
}

/* Called with every new layout: a resized CPU window has a new surface,
 * and a rotated output a new drawing target. */
static int
prepare_targets(Display *d, char *err, size_t errlen)
{
    if (d->cpu_window && create_cpu_window_renderer(d, err, errlen) < 0)
        return -1;
    damage_reset(&d->damage);
    if (d->rotated) {
        SDL_DestroyTexture(d->rotated);
        d->rotated = NULL;
    }
    if (d->opts.rotation == 0)
        return 0;
    int w, h;
    display_output_size(d, &w, &h);
    d->rotated = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888,
                                   SDL_TEXTUREACCESS_TARGET, w, h);
    if (!d->rotated) {
        set_err_sdl(err, errlen, "cannot make the rotated frame");
        return -1;
    }
    return 0;
}

/* ---- text cache ---- */

static uint64_t
key_hash(FontRole font, uint64_t look, const char *text)
{
    return util_hash64(text, strlen(text), (look << 8) + (uint64_t)font + 1);
}

static TextEntry *
cache_find(Display *d, FontRole font, uint64_t look, const char *text,
           uint64_t h)
{
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++) {
        size_t s = (h + i) & (TEXT_CACHE_SLOTS - 1);
        int v = d->slots[s];
        if (v == 0)
            return NULL;
        if (v < 0)
            continue;
        TextEntry *e = &d->entries[v - 1];
        if (e->hash == h && e->font == font && e->look == look &&
            !strcmp(e->text, text))
            return e;
    }
    return NULL;
}

static void
slot_remove(Display *d, const TextEntry *e)
{
    int idx = (int)(e - d->entries) + 1;
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++) {
        size_t s = (e->hash + i) & (TEXT_CACHE_SLOTS - 1);
        if (d->slots[s] == idx) {
            d->slots[s] = -1;
            return;
        }
        if (d->slots[s] == 0)
            return;
    }
}

/* Frees least recently drawn entries (not from this frame) until there is
 * room for one more entry of extra_bytes. */
static void
cache_make_room(Display *d, size_t extra_bytes)
{
    while (d->cache_count >= TEXT_CACHE_MAX_ENTRIES ||
           (d->cache_count &&
            d->cache_bytes + extra_bytes > TEXT_CACHE_MAX_BYTES)) {
        TextEntry *lru = NULL;
        for (size_t i = 0; i < TEXT_CACHE_MAX_ENTRIES; i++) {
            TextEntry *e = &d->entries[i];
            if (e->text && e->last_ns < d->frame_ns &&
                (!lru || e->last_ns < lru->last_ns))
                lru = e;
        }
        if (!lru)
            return;
        slot_remove(d, lru);
        entry_free(d, lru);
    }
    /* Rebuild the probe table when deleted marks pile up. */
    size_t deleted = 0;
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++)
        deleted += d->slots[i] < 0;
    if (deleted > TEXT_CACHE_SLOTS / 4) {
        memset(d->slots, 0, sizeof(d->slots));
        for (size_t i = 0; i < TEXT_CACHE_MAX_ENTRIES; i++) {
            TextEntry *e = &d->entries[i];
            if (!e->text)
                continue;
            for (size_t j = 0;; j++) {
                size_t s = (e->hash + j) & (TEXT_CACHE_SLOTS - 1);
                if (d->slots[s] == 0) {
                    d->slots[s] = (int)i + 1;
                    break;
                }
            }
        }
    }
}

static int
upload_tiles(Display *d, TextEntry *e, SDL_Surface *surf)
{
    int limit = d->max_tex_w > 0 ? d->max_tex_w : surf->w;
    for (int x = 0; x < surf->w && e->tile_count < TILES_MAX; x += limit) {
        int tw = MIN(limit, surf->w - x);
        SDL_Surface *part = surf;
        if (tw != surf->w) {
            part = SDL_CreateRGBSurfaceWithFormat(0, tw, surf->h, 32,
                                                  surf->format->format);
            if (!part)
                return -1;
            SDL_SetSurfaceBlendMode(surf, SDL_BLENDMODE_NONE);
            SDL_Rect src = {x, 0, tw, surf->h};
            SDL_BlitSurface(surf, &src, part, NULL);
        }
        SDL_Texture *t = SDL_CreateTextureFromSurface(d->renderer, part);
        if (part != surf)
            SDL_FreeSurface(part);
        if (!t)
            return -1;
        SDL_SetTextureBlendMode(t, e->opaque ? SDL_BLENDMODE_NONE
                                             : SDL_BLENDMODE_BLEND);
        d->stats.textures_created++;
        d->stats.bytes_uploaded += (uint64_t)tw * surf->h * 4;
        e->tiles[e->tile_count] = t;
        e->tile_w[e->tile_count] = tw;
        e->tile_count++;
        e->bytes += (size_t)tw * (size_t)surf->h * 4;
    }
    return 0;
}

static uint32_t
rgb_of(Color c)
{
    return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

/* What a text texture looks like besides its string: its colour, and the
 * backdrop it is flattened onto, if any. */
static uint64_t
look_of(Color color, Color bg)
{
    uint64_t look = rgb_of(color);
    if (bg.a == 255)
        look |= (uint64_t)rgb_of(bg) << 24 | (uint64_t)1 << 48;
    return look;
}

/* Text on a solid backdrop, composited once: the texture has no alpha
 * and is copied, which the software renderer does several times faster
 * than it blends. */
static SDL_Surface *
flatten(SDL_Surface *text, Color bg)
{
    SDL_Surface *flat = SDL_CreateRGBSurfaceWithFormat(0, text->w, text->h, 32,
                                                       SDL_PIXELFORMAT_RGB888);
    if (!flat)
        return text;
    SDL_FillRect(flat, NULL, SDL_MapRGB(flat->format, bg.r, bg.g, bg.b));
    SDL_SetSurfaceBlendMode(text, SDL_BLENDMODE_BLEND);
    SDL_BlitSurface(text, NULL, flat, NULL);
    SDL_FreeSurface(text);
    return flat;
}

/* Bakes the colour into white text: textures then need no colour
 * modulation, which the software renderer can only do through its slow
 * generic blitter. Fades still modulate alpha. */
static void
tint_surface(SDL_Surface *s, Color c)
{
    if (c.r == 255 && c.g == 255 && c.b == 255)
        return;
    if (SDL_LockSurface(s) < 0)
        return;
    const SDL_PixelFormat *f = s->format;
    for (int y = 0; y < s->h; y++) {
        Uint32 *row = (Uint32 *)(void *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            Uint8 r, g, b, a;
            SDL_GetRGBA(row[x], f, &r, &g, &b, &a);
            row[x] = SDL_MapRGBA(f, c.r, c.g, c.b, a);
        }
    }
    SDL_UnlockSurface(s);
}

static TextEntry *
cache_get(Display *d, FontRole font, Color color, Color bg, const char *text)
{
    uint64_t look = look_of(color, bg);
    uint64_t h = key_hash(font, look, text);
    TextEntry *e = cache_find(d, font, look, text, h);
    if (e) {
        e->last_ns = d->frame_ns;
        return e;
    }
    SDL_Surface *surf = text_render(d->text, font, text, &d->stats.ttf_renders);
    if (!surf) {
        log_warn("cannot render text: %s", TTF_GetError());
        return NULL;
    }
    tint_surface(surf, color);
    bool opaque = bg.a == 255;
    if (opaque)
        surf = flatten(surf, bg);
    cache_make_room(d, (size_t)surf->w * (size_t)surf->h * 4);
    for (size_t i = 0; i < TEXT_CACHE_MAX_ENTRIES && !e; i++) {
        if (!d->entries[i].text)
            e = &d->entries[i];
    }
    if (!e) { /* everything is in use this frame: draw nothing new */
        SDL_FreeSurface(surf);
        return NULL;
    }
    e->text = xstrdup(text);
    e->font = font;
    e->look = look;
    e->opaque = opaque;
    e->hash = h;
    e->w = surf->w;
    e->h = surf->h;
    e->last_ns = d->frame_ns;
    d->cache_count++;
    if (upload_tiles(d, e, surf) < 0)
        log_warn("cannot upload text texture: %s", SDL_GetError());
    d->cache_bytes += e->bytes;
    SDL_FreeSurface(surf);
    for (size_t i = 0;; i++) {
        size_t s = (h + i) & (TEXT_CACHE_SLOTS - 1);
        if (d->slots[s] <= 0) {
            d->slots[s] = (int)(e - d->entries) + 1;
            break;
        }
    }
    return e;
}

/* ---- drawing ---- */

/* Draws op limited to the area: its own clip and the damage rectangle. */
static void
set_clip(Display *d, const DrawOp *op, const Rect *area)
{
    Rect c = area ? *area : (Rect){0, 0, 0, 0};
    if (op->clip.w)
        c = area ? rect_intersection(op->clip, *area) : op->clip;
    SDL_Rect r = {c.x, c.y, c.w, c.h};
    SDL_RenderSetClipRect(d->renderer, c.w ? &r : NULL);
}

/* Text needed soon is rasterised ahead, one string a frame at most, so
 * the frame a card appears in has nothing left to upload. */
static void
prepare_ahead(Display *d, const DrawList *dl)
{
    for (size_t i = 0; i < dl->count; i++) {
        const DrawOp *op = &dl->ops[i];
        if (op->kind != DRAW_PREPARE)
            continue;
        const char *text = draw_op_text(dl, op);
        uint64_t look = look_of(op->color, op->bg);
        if (cache_find(d, op->font, look, text, key_hash(op->font, look, text)))
            continue;
        cache_get(d, op->font, op->color, op->bg, text);
        return;
    }
}

static void
draw_op(Display *d, const DrawList *dl, const DrawOp *op, const Rect *area)
{
    if (op->kind == DRAW_PREPARE)
        return;
    if (op->kind == DRAW_FILL) {
        Rect r = area ? rect_intersection(op->rect, *area) : op->rect;
        if (r.w <= 0)
            return;
        SDL_SetRenderDrawColor(d->renderer, op->color.r, op->color.g,
                               op->color.b, op->color.a);
        /* An opaque fill is a copy, not a per-pixel blend. */
        SDL_SetRenderDrawBlendMode(d->renderer, op->color.a == 255
                                                    ? SDL_BLENDMODE_NONE
                                                    : SDL_BLENDMODE_BLEND);
        SDL_Rect sr = {r.x, r.y, r.w, r.h};
        SDL_RenderFillRect(d->renderer, &sr);
        return;
    }
    if (op->kind == DRAW_IMAGE) {
        PictureEntry *p = pic_find(d, draw_op_text(dl, op));
        Rect r = op->clip.w ? rect_intersection(op->rect, op->clip) : op->rect;
        if (!p || (area && !rect_intersects(r, *area)) || r.w <= 0 ||
            !pic_upload(d, p))
            return;
        set_clip(d, op, area);
        SDL_SetTextureAlphaMod(p->tex, op->color.a);
        SDL_Rect dst = {op->rect.x, op->rect.y, op->rect.w, op->rect.h};
        SDL_RenderCopy(d->renderer, p->tex, NULL, &dst);
        SDL_RenderSetClipRect(d->renderer, NULL);
        return;
    }
    TextEntry *e =
        cache_get(d, op->font, op->color, op->bg, draw_op_text(dl, op));
    if (!e)
        return;
    int left = op->right ? op->rect.x - e->w : op->rect.x;
    Rect bounds = {left, op->rect.y, e->w, e->h};
    if (area && !rect_intersects(bounds, *area))
        return;
    if (op->clip.w && !rect_intersects(bounds, op->clip))
        return;
    set_clip(d, op, area);
    int x = left;
    for (int i = 0; i < e->tile_count; i++) {
        SDL_Texture *t = e->tiles[i];
        SDL_SetTextureAlphaMod(t, op->color.a);
        SDL_Rect dst = {x, op->rect.y, e->tile_w[i], e->h};
        SDL_RenderCopy(d->renderer, t, NULL, &dst);
        x += e->tile_w[i];
    }
    SDL_RenderSetClipRect(d->renderer, NULL);
}

static bool
text_size_cb(void *ud, const DrawOp *op, const char *text, int *w, int *h)
{
    Display *d = ud;
    uint64_t look = look_of(op->color, op->bg);
    TextEntry *e =
        cache_find(d, op->font, look, text, key_hash(op->font, look, text));
    if (!e)
        return false;
    *w = e->w;
    *h = e->h;
    return true;
}

static void
draw_all(Display *d, const DrawList *dl)
{
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    SDL_RenderClear(d->renderer);
    for (size_t i = 0; i < dl->count; i++)
        draw_op(d, dl, &dl->ops[i], NULL);
}

/* Drops texts not drawn for TEXT_IDLE_NS; runs once a second. */
static void
cache_sweep(Display *d)
{
    if (d->frame_ns - d->swept_ns < 1000000000)
        return;
    d->swept_ns = d->frame_ns;
    for (size_t i = 0; i < TEXT_CACHE_MAX_ENTRIES; i++) {
        TextEntry *e = &d->entries[i];
        if (e->text && d->frame_ns - e->last_ns > TEXT_IDLE_NS) {
            slot_remove(d, e);
            entry_free(d, e);
        }
    }
}

static void draw_frame(Display *d, const DrawList *dl);

void
display_draw(Display *d, const DrawList *dl)
{
    d->frame_ns = clock_mono_ns();
    cache_sweep(d);
    draw_frame(d, dl);
    prepare_ahead(d, dl);
    pic_upload_ahead(d);
}

static void
draw_frame(Display *d, const DrawList *dl)
{
    d->damage_n = -1;
    if (d->rotated) {
        SDL_SetRenderTarget(d->renderer, d->rotated);
        draw_all(d, dl);
        SDL_SetRenderTarget(d->renderer, NULL);
        int pw, ph, lw, lh;
        physical_size(d, &pw, &ph);
        display_output_size(d, &lw, &lh);
        /* Rotate about the centre: the logical frame, turned, fills the
         * physical one. */
        SDL_Rect dst = {(pw - lw) / 2, (ph - lh) / 2, lw, lh};
        SDL_RenderCopyEx(d->renderer, d->rotated, NULL, &dst,
                         90.0 * d->opts.rotation, NULL, SDL_FLIP_NONE);
        return;
    }
    if (!d->use_damage) {
        draw_all(d, dl);
        return;
    }
    int w, h;
    display_output_size(d, &w, &h);
    Rect screen = {0, 0, w, h};
    /* Text of this frame must be in the cache to know its size. */
    for (size_t i = 0; i < dl->count; i++) {
        if (dl->ops[i].kind == DRAW_TEXT)
            cache_get(d, dl->ops[i].font, dl->ops[i].color, dl->ops[i].bg,
                      draw_op_text(dl, &dl->ops[i]));
    }
    d->damage_n =
        damage_update(&d->damage, dl, text_size_cb, d, screen, d->damage_rects);
    for (int r = 0; r < d->damage_n; r++) {
        const Rect *area = &d->damage_rects[r];
        for (size_t i = 0; i < dl->count; i++)
            draw_op(d, dl, &dl->ops[i], area);
    }
}

void
display_present(Display *d)
{
    if (d->opts.mode == DISPLAY_HEADLESS) {
        SDL_RenderFlush(d->renderer);
        return;
    }
    if (!d->cpu_window) {
        SDL_RenderPresent(d->renderer);
        return;
    }
    SDL_RenderFlush(d->renderer);
    if (d->damage_n < 0) {
        SDL_UpdateWindowSurface(d->window);
        return;
    }
    SDL_Rect rects[DAMAGE_MAX_RECTS];
    for (int i = 0; i < d->damage_n; i++)
        rects[i] = (SDL_Rect){d->damage_rects[i].x, d->damage_rects[i].y,
                              d->damage_rects[i].w, d->damage_rects[i].h};
    if (d->damage_n > 0)
        SDL_UpdateWindowSurfaceRects(d->window, rects, d->damage_n);
}

int
display_save_png(Display *d, const char *path, char *err, size_t errlen)
{
    int w, h;
    physical_size(d, &w, &h);
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s) {
        set_err_sdl(err, errlen, "cannot allocate the screenshot");
        return -1;
    }
    int rc = SDL_RenderReadPixels(d->renderer, NULL, SDL_PIXELFORMAT_RGB24,
                                  s->pixels, s->pitch);
    if (rc == 0)
        rc = IMG_SavePNG(s, path);
    if (rc != 0)
        util_errf(err, errlen, "cannot write %s: %s", path, SDL_GetError());
    SDL_FreeSurface(s);
    return rc == 0 ? 0 : -1;
}

AppEvent
display_poll(Display *d)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        switch (ev.type) {
        case SDL_QUIT:
            if (d->kiosk) {
                log_info("kiosk mode: ignoring a request to close the window");
                break;
            }
            return EV_QUIT;
        case SDL_WINDOWEVENT:
            if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
                return EV_RESIZE;
            break;
        case SDL_KEYDOWN: {
            AppEvent kev;
            if (d->kiosk && kiosk_key(d, &ev.key, &kev)) {
                if (kev != EV_NONE)
                    return kev;
                break;
            }
            switch (ev.key.keysym.sym) {
            case SDLK_q:
            case SDLK_ESCAPE:
                return EV_QUIT;
            case SDLK_SPACE:
                return EV_PAUSE;
            case SDLK_RIGHT:
                return EV_NEXT;
            case SDLK_LEFT:
                return EV_PREV;
            case SDLK_r:
                return EV_REFRESH;
            case SDLK_f:
                return EV_FULLSCREEN;
            default:
                break;
            }
            break;
        }
        default:
            break;
        }
    }
    return EV_NONE;
}

/* The keys kiosk mode handles itself: the quit combination quits; q, Esc
 * and f do nothing. Returns false for keys handled as in a window. */
static bool
kiosk_key(Display *d, const SDL_KeyboardEvent *k, AppEvent *ev)
{
    *ev = EV_NONE;
    Uint16 m = k->keysym.mod;
    unsigned held = ((m & KMOD_CTRL) ? KEYMOD_CTRL : 0) |
                    ((m & KMOD_ALT) ? KEYMOD_ALT : 0) |
                    ((m & KMOD_SHIFT) ? KEYMOD_SHIFT : 0) |
                    ((m & KMOD_GUI) ? KEYMOD_SUPER : 0);
    if (d->quit_key != SDLK_UNKNOWN && k->keysym.sym == d->quit_key &&
        held == d->quit_mods) {
        log_info("kiosk mode: quit key pressed");
        *ev = EV_QUIT;
        return true;
    }
    SDL_Keycode sym = k->keysym.sym;
    return sym == SDLK_q || sym == SDLK_ESCAPE || sym == SDLK_f;
}

void
display_set_kiosk(Display *d, const KeyCombo *quit)
{
    d->kiosk = quit != NULL;
    d->quit_key =
        quit && quit->key[0] ? SDL_GetKeyFromName(quit->key) : SDLK_UNKNOWN;
    d->quit_mods = quit ? quit->mods : 0;
    if (d->kiosk && d->window) {
        /* No way out of full screen, and no pointer over the news. */
        d->fullscreen = true;
        SDL_SetWindowFullscreen(d->window, SDL_WINDOW_FULLSCREEN_DESKTOP);
        SDL_ShowCursor(SDL_DISABLE);
    }
}

void
display_blank(Display *d, bool off)
{
    if (off) {
        SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
        SDL_RenderClear(d->renderer);
        SDL_RenderPresent(d->renderer);
        SDL_EnableScreenSaver();
    } else {
        SDL_DisableScreenSaver();
    }
}

void
display_toggle_fullscreen(Display *d)
{
    if (!d->window)
        return;
    d->fullscreen = !d->fullscreen;
    SDL_SetWindowFullscreen(d->window,
                            d->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    SDL_ShowCursor(d->fullscreen ? SDL_DISABLE : SDL_ENABLE);
}

DisplayStats
display_stats(const Display *d)
{
    DisplayStats s = d->stats;
    s.textures_alive = 0;
    for (size_t i = 0; i < TEXT_CACHE_MAX_ENTRIES; i++)
        s.textures_alive += (size_t)d->entries[i].tile_count;
    return s;
}

bool
display_has_vsync(const Display *d)
{
    return d->vsync;
}

int
display_refresh_hz(const Display *d)
{
    SDL_DisplayMode mode;
    if (d->window && SDL_GetWindowDisplayMode(d->window, &mode) == 0 &&
        mode.refresh_rate > 0)
        return mode.refresh_rate;
    return 60;
}

void
display_describe(const Display *d, char *buf, size_t n)
{
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->renderer, &info);
    snprintf(buf, n,
             "video driver %s, renderer %s, vsync %s, max texture %d px, "
             "refresh %d Hz",
             SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?",
             info.name, d->vsync ? "on" : "off", d->max_tex_w,
             display_refresh_hz(d));
}
