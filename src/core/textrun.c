/*
 * textrun: bidi levels, script and font per character, then runs in visual
 * order. See textrun.h.
 *
 * The steps, per string:
 *  1. decode UTF-8 into code points, remembering each one's byte offset;
 *  2. bidi levels from fribidi (skipped when nothing in the string is
 *     right-to-left, which is every Latin, Cyrillic, Greek or CJK line);
 *  3. glue extenders (marks, joiners, modifiers) to their base character:
 *     they take its level, script and font, so no run boundary can fall
 *     inside a cluster;
 *  4. resolve "common" characters (spaces, digits, punctuation) to the
 *     script of the text around them at the same level, and keep them in
 *     the font of the character before them when that font has them;
 *  5. cut runs where level, script or font change, then reverse runs by
 *     level (UAX #9 rule L2) to get visual order.
 */
#include <stdlib.h>
#include <string.h>

#include <fribidi.h>

#include "clean.h"
#include "textrun.h"
#include "util.h"

#define ZWNJ 0x200C
#define ZWJ 0x200D

struct TextRunScratch {
    size_t cap; /* code points each array can hold */
    uint32_t *cp;
    size_t *off; /* cap + 1: off[n] is the string length */
    FriBidiCharType *type;
    FriBidiBracketType *bracket;
    FriBidiLevel *level;
    FriBidiLevel *run_level; /* per run, for the reordering */
    int *font;
    const char **script;
    bool *glued; /* belongs to the character before it */
};

/* ---- scripts ---- */

typedef struct ScriptRange {
    uint32_t lo, hi;
    const char *tag;
} ScriptRange;

/*
 * Unicode Scripts.txt condensed to blocks: where a block mixes a script
 * with common punctuation, the punctuation resolves to the script around
 * it anyway, so the block's script is close enough for choosing a shaper.
 * Sorted; gaps are "Zzzz".
 */
static const ScriptRange SCRIPTS[] = {
    {0x0000, 0x0040, "Zyyy"},   {0x0041, 0x005A, "Latn"},
    {0x005B, 0x0060, "Zyyy"},   {0x0061, 0x007A, "Latn"},
    {0x007B, 0x00A9, "Zyyy"},   {0x00AA, 0x00AA, "Latn"},
    {0x00AB, 0x00B9, "Zyyy"},   {0x00BA, 0x00BA, "Latn"},
    {0x00BB, 0x00BF, "Zyyy"},   {0x00C0, 0x00D6, "Latn"},
    {0x00D7, 0x00D7, "Zyyy"},   {0x00D8, 0x00F6, "Latn"},
    {0x00F7, 0x00F7, "Zyyy"},   {0x00F8, 0x02AF, "Latn"},
    {0x02B0, 0x02FF, "Zyyy"},   {0x0300, 0x036F, "Zinh"},
    {0x0370, 0x03FF, "Grek"},   {0x0400, 0x052F, "Cyrl"},
    {0x0530, 0x058F, "Armn"},   {0x0590, 0x05FF, "Hebr"},
    {0x0600, 0x060B, "Arab"},   {0x060C, 0x060C, "Zyyy"},
    {0x060D, 0x061A, "Arab"},   {0x061B, 0x061B, "Zyyy"},
    {0x061C, 0x061E, "Arab"},   {0x061F, 0x061F, "Zyyy"},
    {0x0620, 0x063F, "Arab"},   {0x0640, 0x0640, "Zyyy"},
    {0x0641, 0x064A, "Arab"},   {0x064B, 0x0655, "Zinh"},
    {0x0656, 0x066F, "Arab"},   {0x0670, 0x0670, "Zinh"},
    {0x0671, 0x06FF, "Arab"},   {0x0700, 0x074F, "Syrc"},
    {0x0750, 0x077F, "Arab"},   {0x0780, 0x07BF, "Thaa"},
    {0x07C0, 0x07FF, "Nkoo"},   {0x0800, 0x083F, "Samr"},
    {0x0840, 0x085F, "Mand"},   {0x0860, 0x086F, "Syrc"},
    {0x0870, 0x08FF, "Arab"},   {0x0900, 0x0950, "Deva"},
    {0x0951, 0x0954, "Zinh"},   {0x0955, 0x0963, "Deva"},
    {0x0964, 0x0965, "Zyyy"},   {0x0966, 0x097F, "Deva"},
    {0x0980, 0x09FF, "Beng"},   {0x0A00, 0x0A7F, "Guru"},
    {0x0A80, 0x0AFF, "Gujr"},   {0x0B00, 0x0B7F, "Orya"},
    {0x0B80, 0x0BFF, "Taml"},   {0x0C00, 0x0C7F, "Telu"},
    {0x0C80, 0x0CFF, "Knda"},   {0x0D00, 0x0D7F, "Mlym"},
    {0x0D80, 0x0DFF, "Sinh"},   {0x0E00, 0x0E7F, "Thai"},
    {0x0E80, 0x0EFF, "Laoo"},   {0x0F00, 0x0FFF, "Tibt"},
    {0x1000, 0x109F, "Mymr"},   {0x10A0, 0x10FF, "Geor"},
    {0x1100, 0x11FF, "Hang"},   {0x1200, 0x139F, "Ethi"},
    {0x13A0, 0x13FF, "Cher"},   {0x1400, 0x167F, "Cans"},
    {0x1680, 0x169F, "Ogam"},   {0x16A0, 0x16FF, "Runr"},
    {0x1700, 0x171F, "Tglg"},   {0x1780, 0x17FF, "Khmr"},
    {0x1800, 0x18AF, "Mong"},   {0x1AB0, 0x1AFF, "Zinh"},
    {0x1C80, 0x1C8F, "Cyrl"},   {0x1C90, 0x1CBF, "Geor"},
    {0x1D00, 0x1DBF, "Latn"},   {0x1DC0, 0x1DFF, "Zinh"},
    {0x1E00, 0x1EFF, "Latn"},   {0x1F00, 0x1FFF, "Grek"},
    {0x2000, 0x200B, "Zyyy"},   {0x200C, 0x200D, "Zinh"},
    {0x200E, 0x2070, "Zyyy"},   {0x2071, 0x2071, "Latn"},
    {0x2072, 0x207E, "Zyyy"},   {0x207F, 0x207F, "Latn"},
    {0x2080, 0x208F, "Zyyy"},   {0x2090, 0x209C, "Latn"},
    {0x20A0, 0x20CF, "Zyyy"},   {0x20D0, 0x20FF, "Zinh"},
    {0x2100, 0x2BFF, "Zyyy"},   {0x2C00, 0x2C5F, "Glag"},
    {0x2C60, 0x2C7F, "Latn"},   {0x2C80, 0x2CFF, "Copt"},
    {0x2D00, 0x2D2F, "Geor"},   {0x2D30, 0x2D7F, "Tfng"},
    {0x2D80, 0x2DDF, "Ethi"},   {0x2DE0, 0x2DFF, "Cyrl"},
    {0x2E00, 0x2E7F, "Zyyy"},   {0x2E80, 0x2FDF, "Hani"},
    {0x2FF0, 0x3004, "Zyyy"},   {0x3005, 0x3005, "Hani"},
    {0x3006, 0x3006, "Zyyy"},   {0x3007, 0x3007, "Hani"},
    {0x3008, 0x3020, "Zyyy"},   {0x3021, 0x3029, "Hani"},
    {0x302A, 0x302D, "Zinh"},   {0x302E, 0x302F, "Hang"},
    {0x3030, 0x3037, "Zyyy"},   {0x3038, 0x303B, "Hani"},
    {0x303C, 0x303F, "Zyyy"},   {0x3040, 0x3098, "Hira"},
    {0x3099, 0x309A, "Zinh"},   {0x309B, 0x309C, "Zyyy"},
    {0x309D, 0x309F, "Hira"},   {0x30A0, 0x30A0, "Zyyy"},
    {0x30A1, 0x30FA, "Kana"},   {0x30FB, 0x30FC, "Zyyy"},
    {0x30FD, 0x30FF, "Kana"},   {0x3100, 0x312F, "Bopo"},
    {0x3130, 0x318F, "Hang"},   {0x3190, 0x319F, "Zyyy"},
    {0x31A0, 0x31BF, "Bopo"},   {0x31C0, 0x31EF, "Zyyy"},
    {0x31F0, 0x31FF, "Kana"},   {0x3200, 0x33FF, "Zyyy"},
    {0x3400, 0x4DBF, "Hani"},   {0x4DC0, 0x4DFF, "Zyyy"},
    {0x4E00, 0x9FFF, "Hani"},   {0xA000, 0xA4CF, "Yiii"},
    {0xA4D0, 0xA4FF, "Lisu"},   {0xA500, 0xA63F, "Vaii"},
    {0xA640, 0xA69F, "Cyrl"},   {0xA6A0, 0xA6FF, "Bamu"},
    {0xA700, 0xA721, "Zyyy"},   {0xA722, 0xA7FF, "Latn"},
    {0xA800, 0xA82F, "Sylo"},   {0xA840, 0xA87F, "Phag"},
    {0xA880, 0xA8DF, "Saur"},   {0xA8E0, 0xA8FF, "Deva"},
    {0xA900, 0xA92F, "Kali"},   {0xA930, 0xA95F, "Rjng"},
    {0xA960, 0xA97F, "Hang"},   {0xA980, 0xA9DF, "Java"},
    {0xA9E0, 0xA9FF, "Mymr"},   {0xAA00, 0xAA5F, "Cham"},
    {0xAA60, 0xAA7F, "Mymr"},   {0xAA80, 0xAADF, "Tavt"},
    {0xAAE0, 0xAAFF, "Mtei"},   {0xAB00, 0xAB2F, "Ethi"},
    {0xAB30, 0xAB6F, "Latn"},   {0xAB70, 0xABBF, "Cher"},
    {0xABC0, 0xABFF, "Mtei"},   {0xAC00, 0xD7FF, "Hang"},
    {0xF900, 0xFAFF, "Hani"},   {0xFB00, 0xFB06, "Latn"},
    {0xFB13, 0xFB17, "Armn"},   {0xFB1D, 0xFB4F, "Hebr"},
    {0xFB50, 0xFDFF, "Arab"},   {0xFE00, 0xFE0F, "Zinh"},
    {0xFE10, 0xFE1F, "Zyyy"},   {0xFE20, 0xFE2F, "Zinh"},
    {0xFE30, 0xFE6F, "Zyyy"},   {0xFE70, 0xFEFE, "Arab"},
    {0xFEFF, 0xFF20, "Zyyy"},   {0xFF21, 0xFF3A, "Latn"},
    {0xFF3B, 0xFF40, "Zyyy"},   {0xFF41, 0xFF5A, "Latn"},
    {0xFF5B, 0xFF65, "Zyyy"},   {0xFF66, 0xFF6F, "Kana"},
    {0xFF70, 0xFF70, "Zyyy"},   {0xFF71, 0xFF9D, "Kana"},
    {0xFF9E, 0xFF9F, "Zyyy"},   {0xFFA0, 0xFFDC, "Hang"},
    {0xFFE0, 0xFFFF, "Zyyy"},   {0x16FE0, 0x16FFF, "Zyyy"},
    {0x1B000, 0x1B0FF, "Kana"}, {0x1B100, 0x1B16F, "Hira"},
    {0x1D400, 0x1D7FF, "Zyyy"}, {0x1EE00, 0x1EEFF, "Arab"},
    {0x1F000, 0x1FBFF, "Zyyy"}, {0x20000, 0x3FFFF, "Hani"},
    {0xE0000, 0xE007F, "Zyyy"}, {0xE0100, 0xE01EF, "Zinh"},
};

const char *
textrun_script(uint32_t cp)
{
    if (cp < 0x80) { /* most text: skip the search */
        bool letter = ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
        return letter ? "Latn" : "Zyyy";
    }
    size_t lo = 0;
    size_t hi = ARRAY_LEN(SCRIPTS);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < SCRIPTS[mid].lo)
            hi = mid;
        else if (cp > SCRIPTS[mid].hi)
            lo = mid + 1;
        else
            return SCRIPTS[mid].tag;
    }
    return "Zzzz";
}

/* Zyyy, Zinh and Zzzz take the script of the text around them; "" is
 * what resolution leaves when there is no real script to take. */
static bool
script_is_real(const char *tag)
{
    return tag[0] != '\0' && tag[0] != 'Z';
}

/* Han, kana and bopomofo share fonts and the default shaper, and mix in
 * every Japanese line: one run for all of them saves a render call per
 * switch between kanji and kana. */
static const char *
script_family(const char *tag)
{
    if (!strcmp(tag, "Hira") || !strcmp(tag, "Kana") || !strcmp(tag, "Bopo"))
        return "Hani";
    return tag;
}

static bool
is_regional_indicator(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

bool
textrun_is_extender(uint32_t cp)
{
    if (cp == ZWJ || cp == ZWNJ)
        return true;
    if (cp >= 0x1F3FB && cp <= 0x1F3FF) /* skin-tone modifiers */
        return true;
    if (cp >= 0xE0020 && cp <= 0xE007F) /* tags: subdivision flags */
        return true;
    /* Nonspacing and enclosing marks, variation selectors included. */
    return fribidi_get_bidi_type(cp) == FRIBIDI_TYPE_NSM;
}

/* ---- buffers ---- */

static void
scratch_reserve(struct TextRunScratch *s, size_t n)
{
    if (n <= s->cap)
        return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < n)
        cap *= 2;
    s->cp = xrealloc(s->cp, cap * sizeof(*s->cp));
    s->off = xrealloc(s->off, (cap + 1) * sizeof(*s->off));
    s->type = xrealloc(s->type, cap * sizeof(*s->type));
    s->bracket = xrealloc(s->bracket, cap * sizeof(*s->bracket));
    s->level = xrealloc(s->level, cap * sizeof(*s->level));
    s->run_level = xrealloc(s->run_level, cap * sizeof(*s->run_level));
    s->font = xrealloc(s->font, cap * sizeof(*s->font));
    s->script = xrealloc(s->script, cap * sizeof(*s->script));
    s->glued = xrealloc(s->glued, cap * sizeof(*s->glued));
    s->cap = cap;
}

void
textrun_init(TextRuns *tr)
{
    memset(tr, 0, sizeof(*tr));
    tr->scratch = xcalloc(1, sizeof(*tr->scratch));
}

void
textrun_deinit(TextRuns *tr)
{
    struct TextRunScratch *s = tr->scratch;
    if (s) {
        free(s->cp);
        free(s->off);
        free(s->type);
        free(s->bracket);
        free(s->level);
        free(s->run_level);
        free(s->font);
        free(s->script);
        free(s->glued);
        free(s);
    }
    free(tr->run);
    memset(tr, 0, sizeof(*tr));
}

/* ---- the steps ---- */

static size_t
decode(struct TextRunScratch *s, const char *text, size_t len)
{
    scratch_reserve(s, len); /* never more code points than bytes */
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        s->off[n] = i;
        i += utf8_decode(text + i, len - i, &s->cp[n]);
        n++;
    }
    s->off[n] = len;
    return n;
}

/* Fills s->level and returns whether the paragraph is right to left. */
static bool
bidi_levels(struct TextRunScratch *s, size_t n)
{
    bool any_rtl = false;
    for (size_t i = 0; i < n; i++) {
        s->type[i] = fribidi_get_bidi_type(s->cp[i]);
        FriBidiCharType t = s->type[i];
        if (FRIBIDI_IS_RTL(t) || t == FRIBIDI_TYPE_AN ||
            FRIBIDI_IS_EXPLICIT(t) || FRIBIDI_IS_ISOLATE(t))
            any_rtl = true;
    }
    memset(s->level, 0, n * sizeof(*s->level));
    if (!any_rtl) /* every level is 0: skip the full algorithm */
        return false;
    FriBidiParType dir = FRIBIDI_PAR_ON; /* from the first strong char */
    fribidi_get_bracket_types(s->cp, (FriBidiStrIndex)n, s->type, s->bracket);
    if (!fribidi_get_par_embedding_levels_ex(
            s->type, s->bracket, (FriBidiStrIndex)n, &dir, s->level)) {
        memset(s->level, 0, n * sizeof(*s->level));
        return false;
    }
    FriBidiLevel base = FRIBIDI_DIR_TO_LEVEL(dir);
    /* UAX #9 L1 part 4, which fribidi leaves to its own reorder call:
     * white space at the end of the line takes the paragraph level. */
    for (size_t i = n; i > 0; i--) {
        FriBidiCharType t = s->type[i - 1];
        if (!FRIBIDI_IS_EXPLICIT_OR_BN_OR_WS(t) && !FRIBIDI_IS_ISOLATE(t))
            break;
        s->level[i - 1] = base;
    }
    return base & 1;
}

static void
mark_clusters(struct TextRunScratch *s, size_t n)
{
    bool ri_open = false; /* a regional indicator waits for its pair */
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s->cp[i];
        bool glued = false;
        if (i > 0) {
            glued = textrun_is_extender(cp) || s->cp[i - 1] == ZWJ ||
                    (ri_open && is_regional_indicator(cp));
        }
        ri_open = is_regional_indicator(cp) && !(ri_open && glued);
        s->glued[i] = glued;
        if (glued)
            s->level[i] = s->level[i - 1];
    }
}

/* Common characters take the script of the nearest real script at the
 * same level: before them, or else after them. */
static void
resolve_scripts(struct TextRunScratch *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s->script[i] =
            s->glued[i] ? NULL : script_family(textrun_script(s->cp[i]));
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (s->glued[i])
            continue;
        if (i > 0 && s->level[i] != s->level[i - 1])
            prev = NULL;
        if (script_is_real(s->script[i]))
            prev = s->script[i];
        else
            s->script[i] = prev; /* NULL: still unresolved */
    }
    const char *next = "";
    for (size_t i = n; i > 0; i--) {
        size_t k = i - 1;
        if (s->glued[k])
            continue;
        if (k + 1 < n && s->level[k] != s->level[k + 1])
            next = "";
        if (s->script[k])
            next = s->script[k];
        else
            s->script[k] = next;
    }
    for (size_t i = 1; i < n; i++) {
        if (s->glued[i])
            s->script[i] = s->script[i - 1];
    }
    if (n > 0 && !s->script[0])
        s->script[0] = "";
}

/* Joiners, selectors and tags are not drawn, so no font needs them. */
static bool
is_invisible(uint32_t cp)
{
    return cp == ZWJ || cp == ZWNJ || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xE0000 && cp <= 0xE01EF);
}

/*
 * A cluster is drawn in one font: its base's, unless that font lacks a
 * visible mark of the cluster and the mark's own font also has the base
 * (a digit with a Devanagari sign, say); then the whole cluster moves.
 */
static void
choose_fonts(struct TextRunScratch *s, size_t n, const FontChooser *fc)
{
    size_t base = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s->cp[i];
        if (s->glued[i]) {
            s->font[i] = s->font[i - 1];
            if (fc->has_glyph && !is_invisible(cp) &&
                !fc->has_glyph(fc->ud, s->font[i], cp)) {
                int alt = fc->font_for(fc->ud, cp);
                if (alt != s->font[i] &&
                    fc->has_glyph(fc->ud, alt, s->cp[base])) {
                    for (size_t k = base; k <= i; k++)
                        s->font[k] = alt;
                }
            }
            continue;
        }
        base = i;
        bool common = !script_is_real(textrun_script(cp));
        if (common && fc->has_glyph && i > 0 &&
            s->level[i] == s->level[i - 1] &&
            fc->has_glyph(fc->ud, s->font[i - 1], cp)) {
            s->font[i] = s->font[i - 1];
            continue;
        }
        s->font[i] = fc->font_for(fc->ud, cp);
    }
}

static void
push_run(TextRuns *tr, const struct TextRunScratch *s, size_t a, size_t b)
{
    if (tr->count == tr->cap) {
        tr->cap = tr->cap ? tr->cap * 2 : 8;
        tr->run = xrealloc(tr->run, tr->cap * sizeof(*tr->run));
    }
    TextRun *r = &tr->run[tr->count++];
    r->off = s->off[a];
    r->len = s->off[b] - s->off[a];
    r->font = s->font[a];
    r->rtl = s->level[a] & 1;
    const char *tag = s->script[a];
    if (!script_is_real(tag))
        tag = "";
    util_strlcpy(r->script, tag, sizeof(r->script));
}

static void
reverse_runs(TextRun *r, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        TextRun t = r[i];
        r[i] = r[n - 1 - i];
        r[n - 1 - i] = t;
    }
}

/* UAX #9 L2 on whole runs: from the highest level down to the lowest odd
 * one, reverse every stretch of runs at that level or above. The levels
 * are kept in a parallel array since a run only records its parity. */
static void
reorder(TextRuns *tr, FriBidiLevel *lv)
{
    FriBidiLevel max = 0;
    FriBidiLevel min_odd = 127;
    for (size_t i = 0; i < tr->count; i++) {
        max = MAX(max, lv[i]);
        if (lv[i] & 1)
            min_odd = MIN(min_odd, lv[i]);
    }
    for (FriBidiLevel l = max; l >= min_odd && l > 0; l--) {
        size_t i = 0;
        while (i < tr->count) {
            if (lv[i] < l) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < tr->count && lv[j] >= l)
                j++;
            reverse_runs(&tr->run[i], j - i);
            for (size_t a = i, b = j - 1; a < b; a++, b--) {
                FriBidiLevel t = lv[a];
                lv[a] = lv[b];
                lv[b] = t;
            }
            i = j;
        }
    }
}

size_t
textrun_split(TextRuns *tr, const char *s, size_t len, const FontChooser *fc)
{
    ASSERT(tr && tr->scratch && fc && fc->font_for && (s || len == 0));
    struct TextRunScratch *sc = tr->scratch;
    tr->count = 0;
    tr->rtl = false;
    if (len == 0)
        return 0;
    size_t n = decode(sc, s, len);
    if (n == 0)
        return 0;
    tr->rtl = bidi_levels(sc, n);
    mark_clusters(sc, n);
    resolve_scripts(sc, n);
    choose_fonts(sc, n, fc);
    /* Cut logical runs, then put them in visual order. */
    size_t start = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && sc->level[i] == sc->level[start] &&
            sc->font[i] == sc->font[start] &&
            !strcmp(sc->script[i], sc->script[start]))
            continue;
        sc->run_level[tr->count] = sc->level[start];
        push_run(tr, sc, start, i);
        start = i;
    }
    reorder(tr, sc->run_level);
    return tr->count;
}
