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
#include "display.h"
#include "log.h"

#define TEXT_CACHE_SLOTS 2048 /* power of two */
#define TEXT_CACHE_MAX_ENTRIES 1024
#define TEXT_CACHE_MAX_BYTES (48u << 20) /* fits a Pi's GPU memory */
#define TILES_MAX 8
/* Longer than a full rotation of cards and crawl (100 stories at 8 s). */
#define TEXT_IDLE_NS (INT64_C(20) * 60 * 1000000000)

typedef struct TextEntry {
    char *text; /* owned; NULL marks a free entry */
    FontRole font;
    uint64_t hash;
    int w, h;
    SDL_Texture *tiles[TILES_MAX];
    int tile_w[TILES_MAX];
    int tile_count;
    size_t bytes;
    uint64_t last_frame;
    int64_t last_ns; /* clock_mono_ns() of the frame that last drew it */
} TextEntry;

struct Display {
    DisplayOpts opts;
    SDL_Window *window; /* NULL when headless */
    SDL_Surface *frame; /* headless target of the software renderer */
    SDL_Renderer *renderer;
    TTF_Font *fonts[FONT_COUNT];
    int max_tex_w;
    bool vsync;
    bool fullscreen;
    TextEntry entries[TEXT_CACHE_MAX_ENTRIES];
    int slots[TEXT_CACHE_SLOTS]; /* entry index + 1; 0 empty; -1 deleted */
    size_t cache_bytes;
    size_t cache_count;
    uint64_t frame_no;
    int64_t frame_ns; /* clock_mono_ns() at the start of this frame */
    int64_t swept_ns; /* last sweep for idle texts */
    DisplayStats stats;
};

static void
set_err_sdl(char *err, size_t errlen, const char *what)
{
    util_errf(err, errlen, "%s: %s", what, SDL_GetError());
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
    } else {
        Uint32 flags = SDL_RENDERER_ACCELERATED;
        if (d->opts.vsync)
            flags |= SDL_RENDERER_PRESENTVSYNC;
        d->renderer = SDL_CreateRenderer(d->window, -1, flags);
        if (!d->renderer) {
            log_warn("no accelerated renderer (%s); using software",
                     SDL_GetError());
            d->renderer =
                SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
        }
    }
    if (!d->renderer) {
        set_err_sdl(err, errlen, "cannot create a renderer");
        return -1;
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->renderer, &info);
    /* A headless frame has no refresh to wait for, whatever the software
     * renderer reports: the loop paces itself with display.fps. */
    d->vsync = d->opts.mode != DISPLAY_HEADLESS &&
               (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
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
    for (int i = 0; i < FONT_COUNT; i++) {
        if (d->fonts[i])
            TTF_CloseFont(d->fonts[i]);
    }
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->frame)
        SDL_FreeSurface(d->frame);
    if (d->window)
        SDL_DestroyWindow(d->window);
    TTF_Quit();
    SDL_Quit();
    free(d);
}

static bool
font_is_bold(FontRole f)
{
    return f == FONT_HEADLINE || f == FONT_META_BOLD || f == FONT_CRAWL_BOLD ||
           f == FONT_CLOCK;
}

static int
measure_cb(void *ud, FontRole font, const char *text)
{
    Display *d = ud;
    int w = 0, h = 0;
    d->stats.ttf_measures++;
    if (TTF_SizeUTF8(d->fonts[font], text, &w, &h) < 0)
        return 0;
    return w;
}

int
display_set_layout(Display *d, const Layout *lay, TextMeasurer *m, char *err,
                   size_t errlen)
{
    cache_clear(d);
    for (int i = 0; i < FONT_COUNT; i++) {
        if (d->fonts[i])
            TTF_CloseFont(d->fonts[i]);
        const char *file = font_is_bold((FontRole)i) ? d->opts.font_bold
                                                     : d->opts.font_regular;
        d->fonts[i] = TTF_OpenFont(file, lay->font_px[i]);
        if (!d->fonts[i]) {
            util_errf(err, errlen, "cannot load font %s: %s", file,
                      TTF_GetError());
            return -1;
        }
        TTF_SetFontHinting(d->fonts[i], TTF_HINTING_LIGHT);
        m->line_height[i] = TTF_FontHeight(d->fonts[i]);
    }
    m->width = measure_cb;
    m->ud = d;
    return 0;
}

void
display_output_size(Display *d, int *w, int *h)
{
    if (SDL_GetRendererOutputSize(d->renderer, w, h) < 0) {
        *w = d->opts.w;
        *h = d->opts.h;
    }
}

/* ---- text cache ---- */

static uint64_t
key_hash(FontRole font, const char *text)
{
    return util_hash64(text, strlen(text), (uint64_t)font + 1);
}

static TextEntry *
cache_find(Display *d, FontRole font, const char *text, uint64_t h)
{
    for (size_t i = 0; i < TEXT_CACHE_SLOTS; i++) {
        size_t s = (h + i) & (TEXT_CACHE_SLOTS - 1);
        int v = d->slots[s];
        if (v == 0)
            return NULL;
        if (v < 0)
            continue;
        TextEntry *e = &d->entries[v - 1];
        if (e->hash == h && e->font == font && !strcmp(e->text, text))
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
            if (e->text && e->last_frame < d->frame_no &&
                (!lru || e->last_frame < lru->last_frame))
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
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        d->stats.textures_created++;
        d->stats.bytes_uploaded += (uint64_t)tw * surf->h * 4;
        e->tiles[e->tile_count] = t;
        e->tile_w[e->tile_count] = tw;
        e->tile_count++;
        e->bytes += (size_t)tw * (size_t)surf->h * 4;
    }
    return 0;
}

static TextEntry *
cache_get(Display *d, FontRole font, const char *text)
{
    uint64_t h = key_hash(font, text);
    TextEntry *e = cache_find(d, font, text, h);
    if (e) {
        e->last_frame = d->frame_no;
        e->last_ns = d->frame_ns;
        return e;
    }
    SDL_Color white = {255, 255, 255, 255};
    d->stats.ttf_renders++;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(d->fonts[font], text, white);
    if (!surf) {
        log_warn("cannot render text: %s", TTF_GetError());
        return NULL;
    }
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
    e->hash = h;
    e->w = surf->w;
    e->h = surf->h;
    e->last_frame = d->frame_no;
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

static void
draw_text_op(Display *d, const DrawList *dl, const DrawOp *op)
{
    TextEntry *e = cache_get(d, op->font, draw_op_text(dl, op));
    if (!e)
        return;
    if (op->clip.w) {
        SDL_Rect clip = {op->clip.x, op->clip.y, op->clip.w, op->clip.h};
        SDL_RenderSetClipRect(d->renderer, &clip);
    }
    int x = op->rect.x;
    for (int i = 0; i < e->tile_count; i++) {
        SDL_Texture *t = e->tiles[i];
        SDL_SetTextureColorMod(t, op->color.r, op->color.g, op->color.b);
        SDL_SetTextureAlphaMod(t, op->color.a);
        SDL_Rect dst = {x, op->rect.y, e->tile_w[i], e->h};
        SDL_RenderCopy(d->renderer, t, NULL, &dst);
        x += e->tile_w[i];
    }
    if (op->clip.w)
        SDL_RenderSetClipRect(d->renderer, NULL);
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

void
display_draw(Display *d, const DrawList *dl)
{
    d->frame_no++;
    d->frame_ns = clock_mono_ns();
    cache_sweep(d);
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    SDL_RenderClear(d->renderer);
    for (size_t i = 0; i < dl->count; i++) {
        const DrawOp *op = &dl->ops[i];
        if (op->kind == DRAW_FILL) {
            SDL_SetRenderDrawColor(d->renderer, op->color.r, op->color.g,
                                   op->color.b, op->color.a);
            SDL_Rect r = {op->rect.x, op->rect.y, op->rect.w, op->rect.h};
            SDL_RenderFillRect(d->renderer, &r);
        } else {
            draw_text_op(d, dl, op);
        }
    }
}

void
display_present(Display *d)
{
    SDL_RenderPresent(d->renderer);
}

int
display_save_png(Display *d, const char *path, char *err, size_t errlen)
{
    int w, h;
    display_output_size(d, &w, &h);
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
            return EV_QUIT;
        case SDL_WINDOWEVENT:
            if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
                return EV_RESIZE;
            break;
        case SDL_KEYDOWN:
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
        default:
            break;
        }
    }
    (void)d;
    return EV_NONE;
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
