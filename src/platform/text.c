/*
 * text: fonts, fallback through fontconfig, runs drawn on one baseline.
 * See text.h.
 *
 * Font indices in runs are face ids: 0 and 1 are the bundled regular and
 * bold fonts, higher ids are system faces (a file and a face index in it)
 * added the first time a character needs them. Each role opens a face at
 * its own pixel size on first use.
 *
 * Choosing a fallback: the character's script gives a language ("hi" for
 * Devanagari, "ja" for Han next to kana); fontconfig sorts the sans-serif
 * fonts for that language and weight once (FcFontSort, trimmed to fonts
 * that add coverage), and the first font whose charset has the character
 * wins. Colour and bitmap fonts are skipped: SDL_ttf would draw them at
 * their fixed strike size, not the line's. The answer is cached per
 * character, so fontconfig is consulted once per new character, and not
 * at all (not even loaded) while every character is in the bundled font.
 */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>

#include "clean.h"
#include "log.h"
#include "text.h"
#include "util.h"

#define TEXT_MAX_FACES 32
#define TEXT_MAX_CHAINS 48
#define CP_CACHE_SLOTS 4096 /* power of two */

enum { FACE_REGULAR, FACE_BOLD };

typedef struct Face {
    char *file;         /* owned */
    int index;          /* face in a collection (.ttc) */
    FcCharSet *charset; /* system faces; NULL: ask the open bundled font */
    bool broken;        /* failed to open: its runs use the bundled font */
} Face;

typedef struct Chain {
    bool bold;
    char lang[8];
    FcFontSet *set; /* sorted fonts; NULL when fontconfig has none */
} Chain;

typedef struct CpSlot {
    uint32_t key; /* 0: empty */
    int face;
} CpSlot;

/* The string being split, for the FontChooser callbacks. */
typedef struct Current {
    FontRole role;
    const char *s;
    int han; /* HAN_* once known, -1 before */
} Current;

enum { HAN_ZH, HAN_JA, HAN_KO };

struct TextFonts {
    Face face[TEXT_MAX_FACES];
    int face_count;
    TTF_Font *font[FONT_COUNT][TEXT_MAX_FACES]; /* opened on first use */
    int px[FONT_COUNT];
    uint64_t ascii[FONT_COUNT][2]; /* bit c: the role's own font has c */
    FcConfig *fc; /* loaded when the first fallback is needed */
    bool fc_tried;
    Chain chain[TEXT_MAX_CHAINS];
    int chain_count;
    CpSlot cache[CP_CACHE_SLOTS];
    size_t cache_used;
    TextRuns runs;
    Current cur;
    Buf tmp; /* one run's bytes, NUL-terminated */
    bool warned_faces_full;
    bool warned_no_harfbuzz;
};

static bool
font_is_bold(FontRole f)
{
    return f == FONT_HEADLINE || f == FONT_META_BOLD || f == FONT_CRAWL_BOLD ||
           f == FONT_CLOCK;
}

static int
role_face(FontRole role)
{
    return font_is_bold(role) ? FACE_BOLD : FACE_REGULAR;
}

/* ---- faces ---- */

static void
close_sized_fonts(TextFonts *tf)
{
    for (int r = 0; r < FONT_COUNT; r++) {
        for (int f = 0; f < tf->face_count; f++) {
            if (tf->font[r][f])
                TTF_CloseFont(tf->font[r][f]);
            tf->font[r][f] = NULL;
        }
    }
}

TTF_Font *
text_font(TextFonts *tf, FontRole role, int font)
{
    ASSERT(role >= 0 && role < FONT_COUNT);
    if (font < 0 || font >= tf->face_count || tf->face[font].broken)
        font = role_face(role);
    if (tf->font[role][font])
        return tf->font[role][font];
    if (tf->px[role] <= 0)
        return NULL; /* no sizes yet */
    Face *fc = &tf->face[font];
    TTF_Font *f = TTF_OpenFontIndex(fc->file, tf->px[role], fc->index);
    if (!f) {
        if (font <= FACE_BOLD)
            return NULL;
        log_warn("cannot open fallback font %s: %s; using the bundled font",
                 fc->file, TTF_GetError());
        fc->broken = true;
        return text_font(tf, role, role_face(role));
    }
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    tf->font[role][font] = f;
    return f;
}

const char *
text_font_file(const TextFonts *tf, int font)
{
    if (font < 0 || font >= tf->face_count)
        return NULL;
    return tf->face[font].file;
}

/* The id of (file, index), added if new; -1 when the table is full. */
static int
face_add(TextFonts *tf, const char *file, int index, FcCharSet *cs)
{
    for (int i = FACE_BOLD + 1; i < tf->face_count; i++) {
        if (tf->face[i].index == index && !strcmp(tf->face[i].file, file))
            return i;
    }
    if (tf->face_count == TEXT_MAX_FACES) {
        if (!tf->warned_faces_full)
            log_warn("more than %d fonts needed; some characters will show "
                     "as boxes",
                     TEXT_MAX_FACES);
        tf->warned_faces_full = true;
        return -1;
    }
    Face *f = &tf->face[tf->face_count];
    f->file = xstrdup(file);
    f->index = index;
    f->charset = FcCharSetCopy(cs);
    log_info("fallback font %s (face %d)", file, index);
    return tf->face_count++;
}

static bool
face_has(TextFonts *tf, FontRole role, int font, uint32_t cp)
{
    if (cp < 128 && font == role_face(role))
        return (tf->ascii[role][cp >> 6] >> (cp & 63)) & 1;
    if (font < 0 || font >= tf->face_count || tf->face[font].broken)
        return false;
    if (tf->face[font].charset)
        return FcCharSetHasChar(tf->face[font].charset, cp);
    TTF_Font *f = text_font(tf, role, font);
    return f && TTF_GlyphIsProvided32(f, cp);
}

/* ---- fallback chains ---- */

typedef struct ScriptLang {
    const char *script;
    const char *lang;
} ScriptLang;

/* The language fontconfig sorts fonts for, per script. Scripts not here
 * are matched by charset alone. */
static const ScriptLang SCRIPT_LANGS[] = {
    {"Arab", "ar"}, {"Armn", "hy"},  {"Beng", "bn"}, {"Cyrl", "ru"},
    {"Deva", "hi"}, {"Ethi", "am"},  {"Geor", "ka"}, {"Grek", "el"},
    {"Gujr", "gu"}, {"Guru", "pa"},  {"Hang", "ko"}, {"Hebr", "he"},
    {"Hira", "ja"}, {"Kana", "ja"},  {"Khmr", "km"}, {"Knda", "kn"},
    {"Laoo", "lo"}, {"Mlym", "ml"},  {"Mymr", "my"}, {"Orya", "or"},
    {"Sinh", "si"}, {"Syrc", "syr"}, {"Taml", "ta"}, {"Telu", "te"},
    {"Thaa", "dv"}, {"Thai", "th"},  {"Tibt", "bo"}, {"Bopo", "zh-tw"},
};

/* Han characters are shared by Chinese, Japanese and Korean, whose fonts
 * draw some differently: kana in the string means Japanese, hangul
 * Korean, else Chinese. */
static int
han_language(const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    bool ko = false;
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        const char *sc = textrun_script(cp);
        if (!strcmp(sc, "Hira") || !strcmp(sc, "Kana"))
            return HAN_JA;
        if (!strcmp(sc, "Hang"))
            ko = true;
    }
    return ko ? HAN_KO : HAN_ZH;
}

static const char *
lang_for(TextFonts *tf, uint32_t cp)
{
    const char *sc = textrun_script(cp);
    if (!strcmp(sc, "Hani")) {
        if (tf->cur.han < 0)
            tf->cur.han = han_language(tf->cur.s);
        static const char *const HAN[] = {"zh-cn", "ja", "ko"};
        return HAN[tf->cur.han];
    }
    for (size_t i = 0; i < ARRAY_LEN(SCRIPT_LANGS); i++) {
        if (!strcmp(sc, SCRIPT_LANGS[i].script))
            return SCRIPT_LANGS[i].lang;
    }
    return "";
}

static bool
fontconfig_ready(TextFonts *tf)
{
    if (!tf->fc_tried) {
        tf->fc_tried = true;
        tf->fc = FcInitLoadConfigAndFonts();
        if (!tf->fc)
            log_warn("fontconfig cannot load its configuration: no "
                     "fallback fonts; characters outside the bundled font "
                     "show as boxes");
    }
    return tf->fc != NULL;
}

static FcFontSet *
sort_fonts(TextFonts *tf, bool bold, const char *lang)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans-serif");
    FcPatternAddInteger(pat, FC_WEIGHT,
                        bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    if (lang[0])
        FcPatternAddString(pat, FC_LANG, (const FcChar8 *)lang);
    FcConfigSubstitute(tf->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcFontSet *set = FcFontSort(tf->fc, pat, FcTrue, NULL, &res);
    FcPatternDestroy(pat);
    if (set && set->nfont == 0) {
        FcFontSetDestroy(set);
        set = NULL;
    }
    return set;
}

static const Chain *
chain_get(TextFonts *tf, bool bold, const char *lang)
{
    for (int i = 0; i < tf->chain_count; i++) {
        const Chain *c = &tf->chain[i];
        if (c->bold == bold && !strcmp(c->lang, lang))
            return c;
    }
    if (tf->chain_count == TEXT_MAX_CHAINS) {
        if (lang[0])
            return chain_get(tf, bold, "");
        return NULL;
    }
    Chain *c = &tf->chain[tf->chain_count++];
    c->bold = bold;
    util_strlcpy(c->lang, lang, sizeof(c->lang));
    c->set = sort_fonts(tf, bold, lang);
    return c;
}

static bool
pattern_usable(FcPattern *p)
{
    FcBool b;
    if (FcPatternGetBool(p, FC_COLOR, 0, &b) == FcResultMatch && b)
        return false;
    if (FcPatternGetBool(p, FC_SCALABLE, 0, &b) == FcResultMatch && !b)
        return false;
    return true;
}

/* The face for cp from the system fonts, or -1. */
static int
fallback_face(TextFonts *tf, uint32_t cp, bool bold)
{
    if (!fontconfig_ready(tf))
        return -1;
    const Chain *c = chain_get(tf, bold, lang_for(tf, cp));
    if (!c || !c->set)
        return -1;
    for (int i = 0; i < c->set->nfont; i++) {
        FcPattern *p = c->set->fonts[i];
        FcCharSet *cs;
        FcChar8 *file;
        int index = 0;
        if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch ||
            !FcCharSetHasChar(cs, cp) || !pattern_usable(p) ||
            FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
            continue;
        FcPatternGetInteger(p, FC_INDEX, 0, &index);
        return face_add(tf, (const char *)file, index, cs);
    }
    return -1;
}

/* ---- the FontChooser ---- */

static uint32_t
cache_key(TextFonts *tf, uint32_t cp, bool bold)
{
    uint32_t key = (cp + 1) | (uint32_t)bold << 22;
    if (!strcmp(textrun_script(cp), "Hani")) {
        if (tf->cur.han < 0)
            tf->cur.han = han_language(tf->cur.s);
        key |= (uint32_t)(tf->cur.han + 1) << 23;
    }
    return key;
}

static int
font_for(void *ud, uint32_t cp)
{
    TextFonts *tf = ud;
    FontRole role = tf->cur.role;
    int primary = role_face(role);
    if (face_has(tf, role, primary, cp))
        return primary;
    bool bold = font_is_bold(role);
    uint32_t key = cache_key(tf, cp, bold);
    size_t h = (size_t)util_hash64(&key, sizeof(key), 0);
    for (size_t i = 0;; i++) {
        CpSlot *s = &tf->cache[(h + i) & (CP_CACHE_SLOTS - 1)];
        if (s->key == key)
            return s->face;
        if (s->key == 0)
            break;
    }
    int face = fallback_face(tf, cp, bold);
    if (face < 0)
        face = primary; /* drawn as the bundled font's missing glyph */
    if (tf->cache_used >= CP_CACHE_SLOTS * 3 / 4) {
        memset(tf->cache, 0, sizeof(tf->cache));
        tf->cache_used = 0;
    }
    for (size_t i = 0;; i++) {
        CpSlot *s = &tf->cache[(h + i) & (CP_CACHE_SLOTS - 1)];
        if (s->key == 0) {
            s->key = key;
            s->face = face;
            tf->cache_used++;
            break;
        }
    }
    return face;
}

static bool
has_glyph(void *ud, int font, uint32_t cp)
{
    TextFonts *tf = ud;
    return face_has(tf, tf->cur.role, font, cp);
}

const TextRuns *
text_runs(TextFonts *tf, FontRole role, const char *s)
{
    ASSERT(role >= 0 && role < FONT_COUNT && s);
    tf->cur.role = role;
    tf->cur.s = s;
    tf->cur.han = -1;
    FontChooser fc = {font_for, has_glyph, tf};
    textrun_split(&tf->runs, s, strlen(s), &fc);
    tf->cur.s = NULL;
    return &tf->runs;
}

/* ---- life cycle ---- */

TextFonts *
text_open(const char *regular_file, const char *bold_file, char *err,
          size_t errlen)
{
    const char *files[] = {regular_file, bold_file};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        TTF_Font *f = TTF_OpenFont(files[i], 12);
        if (!f) {
            util_errf(err, errlen, "cannot load font %s: %s", files[i],
                      TTF_GetError());
            return NULL;
        }
        TTF_CloseFont(f);
    }
    TextFonts *tf = xcalloc(1, sizeof(*tf));
    tf->face[FACE_REGULAR].file = xstrdup(regular_file);
    tf->face[FACE_BOLD].file = xstrdup(bold_file);
    tf->face_count = 2;
    textrun_init(&tf->runs);
    buf_init(&tf->tmp);
    return tf;
}

void
text_close(TextFonts *tf)
{
    if (!tf)
        return;
    close_sized_fonts(tf);
    for (int i = 0; i < tf->face_count; i++) {
        free(tf->face[i].file);
        if (tf->face[i].charset)
            FcCharSetDestroy(tf->face[i].charset);
    }
    for (int i = 0; i < tf->chain_count; i++) {
        if (tf->chain[i].set)
            FcFontSetDestroy(tf->chain[i].set);
    }
    if (tf->fc)
        FcConfigDestroy(tf->fc);
    textrun_deinit(&tf->runs);
    buf_deinit(&tf->tmp);
    free(tf);
}

int
text_set_sizes(TextFonts *tf, const int px[FONT_COUNT], char *err,
               size_t errlen)
{
    close_sized_fonts(tf);
    for (int i = 0; i < FONT_COUNT; i++)
        tf->px[i] = px[i];
    for (int i = 0; i < FONT_COUNT; i++) {
        int face = role_face((FontRole)i);
        TTF_Font *f = text_font(tf, (FontRole)i, face);
        if (!f) {
            util_errf(err, errlen, "cannot load font %s: %s",
                      tf->face[face].file, TTF_GetError());
            return -1;
        }
        /* ASCII is most of what gets measured: answer it from bits. */
        memset(tf->ascii[i], 0, sizeof(tf->ascii[i]));
        for (uint32_t c = 0; c < 128; c++) {
            if (TTF_GlyphIsProvided32(f, c))
                tf->ascii[i][c >> 6] |= UINT64_C(1) << (c & 63);
        }
    }
    return 0;
}

int
text_line_height(const TextFonts *tf, FontRole role)
{
    TTF_Font *f = tf->font[role][role_face(role)];
    return f ? TTF_FontHeight(f) : 0;
}

/* ---- measuring and drawing ---- */

/* The font for run r, set up for its direction and script. */
static TTF_Font *
run_font(TextFonts *tf, FontRole role, const TextRun *r)
{
    TTF_Font *f = text_font(tf, role, r->font);
    if (!f)
        return NULL;
    int rc =
        TTF_SetFontDirection(f, r->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    if (rc == 0)
        rc = TTF_SetFontScriptName(f, r->script[0] ? r->script : "Zyyy");
    if (rc != 0 && !tf->warned_no_harfbuzz) {
        log_warn("SDL_ttf cannot set direction or script (%s): built "
                 "without HarfBuzz? Arabic and Indic text will not join",
                 TTF_GetError());
        tf->warned_no_harfbuzz = true;
    }
    return f;
}

/* Run r's bytes, NUL-terminated (s itself when the run is all of it). */
static const char *
run_text(TextFonts *tf, const char *s, const TextRun *r)
{
    if (r->off == 0 && s[r->len] == '\0')
        return s;
    buf_clear(&tf->tmp);
    buf_append(&tf->tmp, s + r->off, r->len);
    return tf->tmp.data;
}

int
text_measure(TextFonts *tf, FontRole role, const char *s, uint64_t *ttf_calls)
{
    const TextRuns *tr = text_runs(tf, role, s);
    int total = 0;
    for (size_t i = 0; i < tr->count; i++) {
        const TextRun *r = &tr->run[i];
        TTF_Font *f = run_font(tf, role, r);
        int w = 0;
        int h = 0;
        if (!f)
            continue;
        (*ttf_calls)++;
        if (TTF_SizeUTF8(f, run_text(tf, s, r), &w, &h) == 0)
            total += w;
    }
    return total;
}

static bool
row_has_ink(const SDL_Surface *s, int y)
{
    const Uint32 *p = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
    for (int x = 0; x < s->w; x++) {
        if (p[x] & s->format->Amask)
            return true;
    }
    return false;
}

/* A run's surface, where its baseline is and which rows hold ink. */
typedef struct Part {
    SDL_Surface *surf;
    int baseline;
    int ink_top, ink_bottom; /* rows; ink_top > ink_bottom when blank */
} Part;

/*
 * The baseline is TTF_FontAscent(f) below the top of a surface SDL_ttf
 * rendered with f, unless the surface is taller than the font: SDL_ttf
 * then grows it at the top for marks above the ascent and at the bottom
 * for marks below the descent. Only the ink tells which.
 */
static void
part_measure(Part *p, TTF_Font *f)
{
    SDL_Surface *s = p->surf;
    p->ink_top = 0;
    while (p->ink_top < s->h && !row_has_ink(s, p->ink_top))
        p->ink_top++;
    p->ink_bottom = s->h - 1;
    while (p->ink_bottom >= p->ink_top && !row_has_ink(s, p->ink_bottom))
        p->ink_bottom--;
    int asc = TTF_FontAscent(f);
    int extra = s->h - TTF_FontHeight(f);
    p->baseline = asc;
    if (extra > 0 && p->ink_top == 0)
        p->baseline = asc + (p->ink_bottom == s->h - 1 ? extra / 2 : extra);
}

/*
 * Puts the parts side by side on the primary font's baseline. Fallback
 * fonts often declare a taller ascent than the bundled one (Noto Sans CJK:
 * 1.16 em against 0.93) without drawing that high; aligning on declared
 * ascents would drop such text below its neighbours, so only ink that
 * really reaches above the primary ascent (or below its descent) makes
 * the surface taller, as SDL_ttf does for one font.
 */
static SDL_Surface *
compose(const Part *parts, size_t n, int width, TTF_Font *primary)
{
    int base = TTF_FontAscent(primary);
    int below = TTF_FontHeight(primary) - base;
    for (size_t i = 0; i < n; i++) {
        const Part *p = &parts[i];
        if (!p->surf || p->ink_top > p->ink_bottom)
            continue;
        base = MAX(base, p->baseline - p->ink_top);
        below = MAX(below, p->ink_bottom + 1 - p->baseline);
    }
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(
        0, width, base + below, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!out)
        return NULL;
    /* White at zero alpha: blending white text onto it keeps it white. */
    SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, 255, 255, 255, 0));
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        SDL_Surface *s = parts[i].surf;
        if (!s)
            continue;
        SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_BLEND);
        SDL_Rect dst = {x, base - parts[i].baseline, s->w, s->h};
        SDL_BlitSurface(s, NULL, out, &dst);
        x += s->w;
    }
    return out;
}

SDL_Surface *
text_render(TextFonts *tf, FontRole role, const char *s, uint64_t *ttf_calls)
{
    static const SDL_Color white = {255, 255, 255, 255};
    const TextRuns *tr = text_runs(tf, role, s);
    TTF_Font *primary = text_font(tf, role, role_face(role));
    if (tr->count == 0 || !primary) {
        TTF_SetError("nothing to draw");
        return NULL;
    }
    if (tr->count == 1 && text_font(tf, role, tr->run[0].font) == primary) {
        /* The fast path: one call, no copy, no blit. */
        run_font(tf, role, &tr->run[0]);
        (*ttf_calls)++;
        return TTF_RenderUTF8_Blended(primary, s, white);
    }
    Part *parts = xcalloc(tr->count, sizeof(*parts));
    int width = 0;
    for (size_t i = 0; i < tr->count; i++) {
        const TextRun *r = &tr->run[i];
        TTF_Font *f = run_font(tf, role, r);
        if (!f)
            continue;
        (*ttf_calls)++;
        parts[i].surf = TTF_RenderUTF8_Blended(f, run_text(tf, s, r), white);
        if (!parts[i].surf)
            continue; /* nothing visible, e.g. a lone joiner */
        part_measure(&parts[i], f);
        width += parts[i].surf->w;
    }
    SDL_Surface *out = NULL;
    if (width > 0)
        out = compose(parts, tr->count, width, primary);
    else
        TTF_SetError("nothing to draw");
    for (size_t i = 0; i < tr->count; i++)
        SDL_FreeSurface(parts[i].surf);
    free(parts);
    return out;
}
