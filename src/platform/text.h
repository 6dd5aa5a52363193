/*
 * text: fonts, measuring and rasterising for the display (SDL_ttf with
 * HarfBuzz, fontconfig, and textrun for bidi and runs).
 *
 * Each FontRole draws with its bundled font (regular or bold, from the
 * config) at the layout's size. A character that font lacks comes from
 * the first system font fontconfig sorts for the character's language
 * (Noto Sans Devanagari for Hindi, Noto Sans CJK SC/JP/KR for Han text
 * depending on the kana or hangul around it), found once and cached.
 * Only fonts named by the config or listed by fontconfig are opened,
 * never a path taken from feed data.
 *
 * A string is cut into runs in visual order; each run is shaped with its
 * direction and script and the runs are drawn side by side on one
 * baseline. A string with one left-to-right run in the bundled font (any
 * Latin headline) costs one TTF_SizeUTF8 or TTF_RenderUTF8_Blended call,
 * as without this module. Render thread only.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "draw.h"
#include "textrun.h"

typedef struct TextFonts TextFonts;

/* Checks that both bundled fonts open. NULL with a one-line message in
 * err otherwise. Call after TTF_Init. */
TextFonts *text_open(const char *regular_file, const char *bold_file, char *err,
                     size_t errlen);
void text_close(TextFonts *tf);

/* Opens each role's bundled font at px[role] pixels (fallback fonts are
 * opened at that size when first needed). */
int text_set_sizes(TextFonts *tf, const int px[FONT_COUNT], char *err,
                   size_t errlen);
int text_line_height(const TextFonts *tf, FontRole role);

/* Width of s in px. Adds the number of TTF_SizeUTF8 calls made to
 * *ttf_calls. */
int text_measure(TextFonts *tf, FontRole role, const char *s,
                 uint64_t *ttf_calls);

/* s in white on transparent, ARGB8888; the caller frees it. The baseline
 * is TTF_FontAscent of the role's font below the top, as in a plain
 * TTF_RenderUTF8_Blended surface (lower only when a glyph reaches above
 * that, as there). NULL when there is nothing to draw (TTF_GetError says
 * why). Adds the TTF_RenderUTF8_Blended calls made to *ttf_calls. */
SDL_Surface *text_render(TextFonts *tf, FontRole role, const char *s,
                         uint64_t *ttf_calls);

/* For tests and diagnostics: the runs of s as text_render draws them,
 * borrowed until the next call on tf, and the font and file behind a
 * run's font index. text_font opens the font if needed (NULL if it
 * cannot be opened). */
const TextRuns *text_runs(TextFonts *tf, FontRole role, const char *s);
TTF_Font *text_font(TextFonts *tf, FontRole role, int font);
const char *text_font_file(const TextFonts *tf, int font);

#endif
