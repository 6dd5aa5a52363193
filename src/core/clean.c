/*
 * clean: the text hygiene pipeline. See clean.h.
 *
 * Each stage is a single linear pass over at most TEXT_MAX_INPUT_BYTES (plus
 * the growth of UTF-8 repair), so the cost of any field is bounded whatever
 * a feed sends. No stage ever reads past the length it was given: feed text
 * is often cut mid-tag or mid-entity.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "util.h"

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 */
#define ELLIPSIS_LEN 3
#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"
/* Longest grapheme cluster the truncation backs off to keep whole: family
 * emoji with skin tones and flag tag sequences are under 40 bytes. */
#define CLUSTER_MAX_BYTES 64
/* Source names are short; longer suffixes are never compared. */
#define SOURCE_SUFFIX_MAX_BYTES 200

static bool
is_ascii_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_ascii_alnum(unsigned char c)
{
    return is_ascii_alpha(c) || is_ascii_digit(c);
}

static bool
is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static unsigned char
ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool
is_utf8_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Buf leaves data NULL until the first append. */
static const char *
buf_str(const Buf *b)
{
    return b->data ? b->data : "";
}

/* ---- UTF-8 ------------------------------------------------------------ */

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    ASSERT(s && len > 0 && cp);
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* Unicode Table 3-7: the second byte's range rules out overlongs
     * (E0, F0), surrogates (ED) and values above U+10FFFF (F4). */
    size_t need;
    uint32_t v;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0Fu;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07u;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        *cp = UTF8_REPLACEMENT;
        return 1;
    }
    size_t i = 1;
    while (i <= need && i < len && p[i] >= lo && p[i] <= hi) {
        v = (v << 6) | (p[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
        i++;
    }
    if (i <= need) {
        /* The valid prefix read so far is the maximal subpart. */
        *cp = UTF8_REPLACEMENT;
        return i;
    }
    *cp = v;
    return i;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = UTF8_REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static void
buf_append_cp(Buf *b, uint32_t cp)
{
    char tmp[4];
    buf_append(b, tmp, utf8_encode(cp, tmp));
}

/* Start of the code point that contains byte i (at most 3 steps back). */
static size_t
utf8_back(const char *s, size_t i)
{
    size_t k = 0;
    while (i > 0 && k < 3 && is_utf8_cont((unsigned char)s[i])) {
        i--;
        k++;
    }
    return i;
}

/* Code point that ends just before byte i (i > 0) in valid UTF-8. */
static uint32_t
utf8_prev(const char *s, size_t i, size_t *start)
{
    uint32_t cp;
    *start = utf8_back(s, i - 1);
    utf8_decode(s + *start, i - *start, &cp);
    return cp;
}

/* ---- Stage 1: input cap ----------------------------------------------- */

/* Cuts before a multi-byte sequence that the cap would split, so the cut
 * does not turn a good character into U+FFFD. */
static size_t
cap_input(const char *in, size_t len, bool *cut)
{
    if (len <= TEXT_MAX_INPUT_BYTES)
        return len;
    *cut = true;
    size_t i = utf8_back(in, TEXT_MAX_INPUT_BYTES);
    if (i < TEXT_MAX_INPUT_BYTES) {
        uint32_t cp;
        size_t n = utf8_decode(in + i, len - i, &cp);
        if (i + n > TEXT_MAX_INPUT_BYTES)
            return i;
    }
    return TEXT_MAX_INPUT_BYTES;
}

/* ---- Stage 2: UTF-8 repair -------------------------------------------- */

static void
repair_utf8(const char *s, size_t len, Buf *out)
{
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && (unsigned char)s[run] < 0x80)
            run++;
        buf_append(out, s + i, run - i);
        i = run;
        if (i >= len)
            break;
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        /* A literal U+FFFD is valid and comes out the same either way. */
        if (cp == UTF8_REPLACEMENT)
            buf_append(out, REPLACEMENT_UTF8, 3);
        else
            buf_append(out, s + i, n);
        i += n;
    }
}

/* ---- Stage 3: tag stripping ------------------------------------------- */

/* Elements whose content is never text for a reader. */
static const char *const raw_text_tags[] = {
    "iframe", "noscript", "script", "style", "svg", "template",
};

/* Tags that separate words when rendered: they become a space, so that
 * "<li>One</li><li>Two</li>" does not read "OneTwo". */
/* clang-format off */
static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd",
    "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
};
/* clang-format on */

/* Case-insensitive: does s[0..len) equal the lower-case name? */
static bool
name_equals(const char *s, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (ascii_lower((unsigned char)s[i]) != (unsigned char)name[i])
            return false;
    }
    return true;
}

static bool
name_in(const char *s, size_t len, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (name_equals(s, len, names[i]))
            return true;
    }
    return false;
}

/* Position of needle (ASCII, matched case-insensitively) at or after i,
 * or len. */
static size_t
find_ci(const char *s, size_t len, size_t i, const char *needle)
{
    size_t n = strlen(needle);
    for (; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && ascii_lower((unsigned char)s[i + k]) ==
                            ascii_lower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return i;
    }
    return len;
}

/* Only markup-looking '<' starts a tag; "rates < 5%" and "I <3 NY" stay. */
static bool
starts_tag(const char *s, size_t len, size_t i)
{
    if (i + 1 >= len)
        return false;
    unsigned char c = (unsigned char)s[i + 1];
    return is_ascii_alpha(c) || c == '/' || c == '!' || c == '?';
}

/*
 * Index of the '>' that ends the tag whose name ends at i, or len. A quoted
 * attribute value may contain '>'. An unbalanced quote would otherwise
 * swallow the rest of the text, so then the first '>' wins; the retry
 * cannot repeat for that quote character, which keeps the scan linear.
 */
static size_t
find_tag_end(const char *s, size_t len, size_t i)
{
    char quote = 0;
    bool after_equals = false;
    for (size_t k = i; k < len; k++) {
        char c = s[k];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '>') {
            return k;
        } else if ((c == '"' || c == '\'') && after_equals) {
            quote = c;
        }
        if (!quote && !is_ascii_space((unsigned char)c))
            after_equals = c == '=';
    }
    if (!quote)
        return len;
    const char *gt = memchr(s + i, '>', len - i);
    return gt ? (size_t)(gt - s) : len;
}

/* Skips "<!--...-->"; an unterminated comment runs to the end. */
static size_t
skip_comment(const char *s, size_t len, size_t i)
{
    size_t end = find_ci(s, len, i + 4, "-->");
    return end < len ? end + 3 : len;
}

/* Keeps the text of "<![CDATA[...]]>" and drops the wrapper. */
static size_t
copy_cdata(const char *s, size_t len, size_t i, Buf *out)
{
    size_t start = i + 9;
    size_t end = find_ci(s, len, start, "]]>");
    buf_append(out, s + start, end - start);
    return end < len ? end + 3 : len;
}

/* Skips the content of a raw-text element up to and including its end
 * tag. Without an end tag everything after it is dropped: a cut-off script
 * is still not text. */
static size_t
skip_raw_text(const char *s, size_t len, size_t i, const char *name,
              size_t name_len)
{
    for (;;) {
        size_t lt = find_ci(s, len, i, "</");
        if (lt >= len)
            return len;
        size_t k = lt + 2;
        if (k + name_len <= len && name_equals(s + k, name_len, name) &&
            (k + name_len == len ||
             !is_ascii_alnum((unsigned char)s[k + name_len]))) {
            size_t end = find_tag_end(s, len, k + name_len);
            return end < len ? end + 1 : len;
        }
        i = k;
    }
}

/* Handles the markup that starts at s[i] == '<'; returns the index after
 * it. An unterminated tag at the end of the text is dropped, as browsers
 * do: it is usually a field cut in the middle of "<a href=...". */
static size_t
skip_markup(const char *s, size_t len, size_t i, Buf *out)
{
    if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
        return skip_comment(s, len, i);
    if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
        return copy_cdata(s, len, i, out);
    size_t k = i + 1;
    bool closing = s[k] == '/';
    if (closing)
        k++;
    size_t name = k;
    while (k < len && is_ascii_alnum((unsigned char)s[k]))
        k++;
    size_t name_len = k - name;
    size_t end = find_tag_end(s, len, k);
    if (end >= len)
        return len;
    if (name_in(s + name, name_len, block_tags, ARRAY_LEN(block_tags))) {
        buf_append(out, " ", 1);
        return end + 1;
    }
    bool self_closing = s[end - 1] == '/';
    for (size_t t = 0; t < ARRAY_LEN(raw_text_tags); t++) {
        if (!closing && !self_closing &&
            name_equals(s + name, name_len, raw_text_tags[t])) {
            buf_append(out, " ", 1);
            return skip_raw_text(s, len, end + 1, raw_text_tags[t], name_len);
        }
    }
    return end + 1;
}

static void
strip_tags(const char *s, size_t len, Buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        size_t run_end = lt ? (size_t)(lt - s) : len;
        buf_append(out, s + i, run_end - i);
        i = run_end;
        if (i >= len)
            break;
        if (starts_tag(s, len, i)) {
            i = skip_markup(s, len, i, out);
        } else {
            buf_append(out, "<", 1);
            i++;
        }
    }
}

/* ---- Stage 4: entity decoding ----------------------------------------- */

typedef struct Entity {
    const char *name;
    uint32_t cp;
} Entity;

/* The HTML 4 set plus &apos; and the upper-case aliases HTML 5 accepts,
 * sorted by strcmp() for bsearch(). */
/* clang-format off */
static const Entity entities[] = {
    {"AElig", 0xC6}, {"AMP", 0x26}, {"Aacute", 0xC1}, {"Acirc", 0xC2},
    {"Agrave", 0xC0}, {"Alpha", 0x391}, {"Aring", 0xC5}, {"Atilde", 0xC3},
    {"Auml", 0xC4}, {"Beta", 0x392}, {"COPY", 0xA9}, {"Ccedil", 0xC7},
    {"Chi", 0x3A7}, {"Dagger", 0x2021}, {"Delta", 0x394}, {"ETH", 0xD0},
    {"Eacute", 0xC9}, {"Ecirc", 0xCA}, {"Egrave", 0xC8}, {"Epsilon", 0x395},
    {"Eta", 0x397}, {"Euml", 0xCB}, {"GT", 0x3E}, {"Gamma", 0x393},
    {"Iacute", 0xCD}, {"Icirc", 0xCE}, {"Igrave", 0xCC}, {"Iota", 0x399},
    {"Iuml", 0xCF}, {"Kappa", 0x39A}, {"LT", 0x3C}, {"Lambda", 0x39B},
    {"Mu", 0x39C}, {"Ntilde", 0xD1}, {"Nu", 0x39D}, {"OElig", 0x152},
    {"Oacute", 0xD3}, {"Ocirc", 0xD4}, {"Ograve", 0xD2}, {"Omega", 0x3A9},
    {"Omicron", 0x39F}, {"Oslash", 0xD8}, {"Otilde", 0xD5}, {"Ouml", 0xD6},
    {"Phi", 0x3A6}, {"Pi", 0x3A0}, {"Prime", 0x2033}, {"Psi", 0x3A8},
    {"QUOT", 0x22}, {"REG", 0xAE}, {"Rho", 0x3A1}, {"Scaron", 0x160},
    {"Sigma", 0x3A3}, {"THORN", 0xDE}, {"Tau", 0x3A4}, {"Theta", 0x398},
    {"Uacute", 0xDA}, {"Ucirc", 0xDB}, {"Ugrave", 0xD9}, {"Upsilon", 0x3A5},
    {"Uuml", 0xDC}, {"Xi", 0x39E}, {"Yacute", 0xDD}, {"Yuml", 0x178},
    {"Zeta", 0x396}, {"aacute", 0xE1}, {"acirc", 0xE2}, {"acute", 0xB4},
    {"aelig", 0xE6}, {"agrave", 0xE0}, {"alefsym", 0x2135}, {"alpha", 0x3B1},
    {"amp", 0x26}, {"and", 0x2227}, {"ang", 0x2220}, {"apos", 0x27},
    {"aring", 0xE5}, {"asymp", 0x2248}, {"atilde", 0xE3}, {"auml", 0xE4},
    {"bdquo", 0x201E}, {"beta", 0x3B2}, {"brvbar", 0xA6}, {"bull", 0x2022},
    {"cap", 0x2229}, {"ccedil", 0xE7}, {"cedil", 0xB8}, {"cent", 0xA2},
    {"chi", 0x3C7}, {"circ", 0x2C6}, {"clubs", 0x2663}, {"cong", 0x2245},
    {"copy", 0xA9}, {"crarr", 0x21B5}, {"cup", 0x222A}, {"curren", 0xA4},
    {"dArr", 0x21D3}, {"dagger", 0x2020}, {"darr", 0x2193}, {"deg", 0xB0},
    {"delta", 0x3B4}, {"diams", 0x2666}, {"divide", 0xF7}, {"eacute", 0xE9},
    {"ecirc", 0xEA}, {"egrave", 0xE8}, {"empty", 0x2205}, {"emsp", 0x2003},
    {"ensp", 0x2002}, {"epsilon", 0x3B5}, {"equiv", 0x2261}, {"eta", 0x3B7},
    {"eth", 0xF0}, {"euml", 0xEB}, {"euro", 0x20AC}, {"exist", 0x2203},
    {"fnof", 0x192}, {"forall", 0x2200}, {"frac12", 0xBD}, {"frac14", 0xBC},
    {"frac34", 0xBE}, {"frasl", 0x2044}, {"gamma", 0x3B3}, {"ge", 0x2265},
    {"gt", 0x3E}, {"hArr", 0x21D4}, {"harr", 0x2194}, {"hearts", 0x2665},
    {"hellip", 0x2026}, {"iacute", 0xED}, {"icirc", 0xEE}, {"iexcl", 0xA1},
    {"igrave", 0xEC}, {"image", 0x2111}, {"infin", 0x221E}, {"int", 0x222B},
    {"iota", 0x3B9}, {"iquest", 0xBF}, {"isin", 0x2208}, {"iuml", 0xEF},
    {"kappa", 0x3BA}, {"lArr", 0x21D0}, {"lambda", 0x3BB}, {"lang", 0x27E8},
    {"laquo", 0xAB}, {"larr", 0x2190}, {"lceil", 0x2308}, {"ldquo", 0x201C},
    {"le", 0x2264}, {"lfloor", 0x230A}, {"lowast", 0x2217}, {"loz", 0x25CA},
    {"lrm", 0x200E}, {"lsaquo", 0x2039}, {"lsquo", 0x2018}, {"lt", 0x3C},
    {"macr", 0xAF}, {"mdash", 0x2014}, {"micro", 0xB5}, {"middot", 0xB7},
    {"minus", 0x2212}, {"mu", 0x3BC}, {"nabla", 0x2207}, {"nbsp", 0xA0},
    {"ndash", 0x2013}, {"ne", 0x2260}, {"ni", 0x220B}, {"not", 0xAC},
    {"notin", 0x2209}, {"nsub", 0x2284}, {"ntilde", 0xF1}, {"nu", 0x3BD},
    {"oacute", 0xF3}, {"ocirc", 0xF4}, {"oelig", 0x153}, {"ograve", 0xF2},
    {"oline", 0x203E}, {"omega", 0x3C9}, {"omicron", 0x3BF},
    {"oplus", 0x2295}, {"or", 0x2228}, {"ordf", 0xAA}, {"ordm", 0xBA},
    {"oslash", 0xF8}, {"otilde", 0xF5}, {"otimes", 0x2297}, {"ouml", 0xF6},
    {"para", 0xB6}, {"part", 0x2202}, {"permil", 0x2030}, {"perp", 0x22A5},
    {"phi", 0x3C6}, {"pi", 0x3C0}, {"piv", 0x3D6}, {"plusmn", 0xB1},
    {"pound", 0xA3}, {"prime", 0x2032}, {"prod", 0x220F}, {"prop", 0x221D},
    {"psi", 0x3C8}, {"quot", 0x22}, {"rArr", 0x21D2}, {"radic", 0x221A},
    {"rang", 0x27E9}, {"raquo", 0xBB}, {"rarr", 0x2192}, {"rceil", 0x2309},
    {"rdquo", 0x201D}, {"real", 0x211C}, {"reg", 0xAE}, {"rfloor", 0x230B},
    {"rho", 0x3C1}, {"rlm", 0x200F}, {"rsaquo", 0x203A}, {"rsquo", 0x2019},
    {"sbquo", 0x201A}, {"scaron", 0x161}, {"sdot", 0x22C5}, {"sect", 0xA7},
    {"shy", 0xAD}, {"sigma", 0x3C3}, {"sigmaf", 0x3C2}, {"sim", 0x223C},
    {"spades", 0x2660}, {"sub", 0x2282}, {"sube", 0x2286}, {"sum", 0x2211},
    {"sup", 0x2283}, {"sup1", 0xB9}, {"sup2", 0xB2}, {"sup3", 0xB3},
    {"supe", 0x2287}, {"szlig", 0xDF}, {"tau", 0x3C4}, {"there4", 0x2234},
    {"theta", 0x3B8}, {"thetasym", 0x3D1}, {"thinsp", 0x2009},
    {"thorn", 0xFE}, {"tilde", 0x2DC}, {"times", 0xD7}, {"trade", 0x2122},
    {"uArr", 0x21D1}, {"uacute", 0xFA}, {"uarr", 0x2191}, {"ucirc", 0xFB},
    {"ugrave", 0xF9}, {"uml", 0xA8}, {"upsih", 0x3D2}, {"upsilon", 0x3C5},
    {"uuml", 0xFC}, {"weierp", 0x2118}, {"xi", 0x3BE}, {"yacute", 0xFD},
    {"yen", 0xA5}, {"yuml", 0xFF}, {"zeta", 0x3B6}, {"zwj", 0x200D},
    {"zwnj", 0x200C},
};
/* clang-format on */

/* Longest name in the table ("thetasym"), with room to spare. */
#define ENTITY_NAME_MAX 16

/* HTML maps &#128;-&#159; through windows-1252, because feeds converted
 * from it are full of &#146; and &#150;. The five unassigned slots stay as
 * C1 controls, which the character filter then removes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static int
entity_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const Entity *)elem)->name);
}

/* Parses "&#NNN;" or "&#xHH;" at s (s[0] == '&', s[1] == '#'). Returns the
 * bytes used, or 0 if malformed (then the text stays literal). */
static size_t
parse_numeric_ref(const char *s, size_t len, uint32_t *cp)
{
    size_t i = 2;
    bool hex = i < len && (s[i] == 'x' || s[i] == 'X');
    if (hex)
        i++;
    size_t digits = i;
    uint32_t v = 0;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        uint32_t d;
        if (is_ascii_digit(c))
            d = c - '0';
        else if (hex && ascii_lower(c) >= 'a' && ascii_lower(c) <= 'f')
            d = (uint32_t)(ascii_lower(c) - 'a' + 10);
        else
            break;
        /* Saturate: &#99999999999; must not wrap into a valid value. */
        v = v > 0x10FFFF ? v : v * (hex ? 16 : 10) + d;
    }
    /* A reference cut by truncation ("&#82" of "&#8217;") would decode to
     * the wrong character, so the ';' is required. */
    if (i == digits || i >= len || s[i] != ';')
        return 0;
    if (v >= 0x80 && v <= 0x9F)
        v = cp1252_high[v - 0x80];
    else if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        v = UTF8_REPLACEMENT;
    *cp = v;
    return i + 1;
}

/* Parses "&name;" at s. The legacy forms without ';' are accepted for the
 * five names old encoders emit, only when no letter or digit follows
 * ("&amp co" but not "&ampco"). */
static size_t
parse_named_ref(const char *s, size_t len, uint32_t *cp)
{
    static const char *const legacy[] = {"amp", "gt", "lt", "nbsp", "quot"};
    char name[ENTITY_NAME_MAX + 1];
    size_t n = 0;
    while (1 + n < len && is_ascii_alnum((unsigned char)s[1 + n])) {
        if (n == ENTITY_NAME_MAX)
            return 0;
        name[n] = s[1 + n];
        n++;
    }
    name[n] = '\0';
    if (n == 0)
        return 0;
    bool semicolon = 1 + n < len && s[1 + n] == ';';
    if (!semicolon && !name_in(name, n, legacy, ARRAY_LEN(legacy)))
        return 0;
    const Entity *e = bsearch(name, entities, ARRAY_LEN(entities),
                              sizeof(entities[0]), entity_cmp);
    if (!e)
        return 0;
    *cp = e->cp;
    return 1 + n + (semicolon ? 1 : 0);
}

/* One pass, so "&amp;amp;" becomes "&amp;": text that was escaped twice
 * shows what its author typed once. */
static void
decode_entities(const char *s, size_t len, Buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t run_end = amp ? (size_t)(amp - s) : len;
        buf_append(out, s + i, run_end - i);
        i = run_end;
        if (i >= len)
            break;
        uint32_t cp = 0;
        size_t used;
        if (i + 1 < len && s[i + 1] == '#')
            used = parse_numeric_ref(s + i, len - i, &cp);
        else
            used = parse_named_ref(s + i, len - i, &cp);
        if (used) {
            buf_append_cp(out, cp);
            i += used;
        } else {
            buf_append(out, "&", 1);
            i++;
        }
    }
}

/* ---- Stages 5 and 6: character filter, whitespace collapse ------------ */

typedef enum CharClass {
    CHAR_KEEP,
    CHAR_DROP,  /* controls, bidi, invisible, unassignable */
    CHAR_SPACE, /* any kind of space or line break */
    CHAR_TAG,   /* U+E0000-U+E007F: kept only inside an emoji flag */
} CharClass;

/*
 * Bidi embeddings, overrides and isolates can reorder what follows them on
 * screen ("Trojan Source"); invisible characters hide text from filters and
 * render as boxes. ZWJ and ZWNJ stay: emoji sequences and Arabic, Persian
 * and Indic spelling need them.
 */
static CharClass
classify(uint32_t cp)
{
    if (cp < 0x20)
        return (cp >= '\t' && cp <= '\r') ? CHAR_SPACE : CHAR_DROP;
    if (cp < 0x7F)
        return cp == ' ' ? CHAR_SPACE : CHAR_KEEP;
    if (cp < 0xA0)
        return cp == 0x85 ? CHAR_SPACE : CHAR_DROP; /* DEL, C1; NEL */
    switch (cp) {
    case 0x00A0: /* no-break space */
    case 0x1680: /* ogham space mark */
    case 0x2028: /* line separator */
    case 0x2029: /* paragraph separator */
    case 0x202F: /* narrow no-break space */
    case 0x205F: /* medium mathematical space */
    case 0x3000: /* ideographic space */
        return CHAR_SPACE;
    case 0x00AD: /* soft hyphen */
    case 0x034F: /* combining grapheme joiner */
    case 0x061C: /* Arabic letter mark */
    case 0x180E: /* Mongolian vowel separator */
    case 0x200B: /* zero width space */
    case 0x200E: /* left-to-right mark */
    case 0x200F: /* right-to-left mark */
    case 0xFEFF: /* byte order mark, zero width no-break space */
        return CHAR_DROP;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return CHAR_SPACE;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F))
        return CHAR_DROP; /* bidi controls, word joiner, invisible ops */
    if (cp >= 0xE000 && cp <= 0xF8FF)
        return CHAR_DROP; /* private use: no meaning off-site */
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return CHAR_DROP; /* noncharacters */
    if (cp >= 0xFFF9 && cp <= 0xFFFC)
        return CHAR_DROP; /* interlinear annotation, object replacement */
    if (cp >= 0xE0000 && cp <= 0xE007F)
        return CHAR_TAG;
    if (cp >= 0xF0000)
        return CHAR_DROP; /* private use planes 15 and 16 */
    return CHAR_KEEP;
}

/* Tag characters spell subdivision flags after U+1F3F4 (the England and
 * Scotland flags); anywhere else they are invisible payload. */
static bool
tag_is_kept(uint32_t cp, uint32_t prev)
{
    return cp >= 0xE0020 &&
           (prev == 0x1F3F4 || (prev >= 0xE0020 && prev <= 0xE007E));
}

/* Filters code points and collapses every run of spaces into one ASCII
 * space, trimming both ends, in one pass over valid UTF-8. Kept text is
 * copied in runs, not character by character. */
static void
filter_chars(const char *s, size_t len, Buf *out)
{
    bool pending_space = false;
    uint32_t prev = 0;
    size_t i = 0;
    while (i < len) {
        /* The common case: a run of printable ASCII other than space. */
        size_t run = i;
        while (run < len && (unsigned char)s[run] > 0x20 &&
               (unsigned char)s[run] < 0x7F)
            run++;
        if (run > i) {
            if (pending_space)
                buf_append(out, " ", 1);
            pending_space = false;
            buf_append(out, s + i, run - i);
            prev = (unsigned char)s[run - 1];
            i = run;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        CharClass cls = classify(cp);
        if (cls == CHAR_TAG)
            cls = tag_is_kept(cp, prev) ? CHAR_KEEP : CHAR_DROP;
        if (cls == CHAR_SPACE) {
            pending_space = out->len > 0;
        } else if (cls == CHAR_KEEP) {
            if (pending_space)
                buf_append(out, " ", 1);
            pending_space = false;
            buf_append(out, s + i, n);
            prev = cp;
        }
        i += n;
    }
}

/* ---- Stage 7: display truncation -------------------------------------- */

/* Characters that attach to the one before them: cutting before one would
 * strip an accent, a skin tone or half an emoji sequence. Scripts with
 * spacing marks (Indic) are covered by the preference for word breaks. */
static bool
is_extender(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
           cp == 0x200C || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool
is_regional_indicator(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Would cutting s (valid UTF-8) before byte i split a grapheme cluster? */
static bool
splits_cluster(const char *s, size_t len, size_t i)
{
    if (i == 0 || i >= len)
        return false;
    uint32_t next;
    utf8_decode(s + i, len - i, &next);
    size_t start;
    uint32_t prev = utf8_prev(s, i, &start);
    if (is_extender(next) || prev == 0x200D)
        return true;
    if (!is_regional_indicator(next) || !is_regional_indicator(prev))
        return false;
    /* Flags are pairs of regional indicators: count those before i. */
    size_t run = 1;
    while (start > 0) {
        uint32_t cp = utf8_prev(s, start, &start);
        if (!is_regional_indicator(cp))
            break;
        run++;
    }
    return run % 2 == 1;
}

/* Largest cut <= limit that keeps characters, and if possible clusters,
 * whole. */
static size_t
cut_point(const char *s, size_t len, size_t limit)
{
    size_t cut = utf8_back(s, limit);
    size_t lowest = cut > CLUSTER_MAX_BYTES ? cut - CLUSTER_MAX_BYTES : 0;
    size_t p = cut;
    while (p > lowest && splits_cluster(s, len, p))
        p = utf8_back(s, p - 1);
    /* A "cluster" longer than any real one is an attack: cut the code
     * point boundary instead of eating the whole text. */
    return splits_cluster(s, len, p) ? cut : p;
}

static bool
is_dangling_punct(char c)
{
    return c == ' ' || c == ',' || c == ';' || c == ':';
}

/* Truncates b to max_bytes, ellipsis included, when it is too long or
 * when earlier stages already cut the text (cut). */
static void
truncate_display(Buf *b, size_t max_bytes, bool cut)
{
    if (b->len == 0 || (!cut && b->len <= max_bytes))
        return;
    /* Below 3 bytes there is no room for the ellipsis: a plain cut. */
    bool ellipsis = max_bytes >= ELLIPSIS_LEN;
    size_t limit = ellipsis ? max_bytes - ELLIPSIS_LEN : max_bytes;
    size_t end = b->len;
    if (end > limit) {
        end = cut_point(b->data, b->len, limit);
        /* A word break in the last 20% of the room reads better than a
         * cut word; beyond that it wastes too much of the line. */
        size_t word_floor = limit - limit / 5;
        for (size_t k = end; k >= word_floor && k > 0; k--) {
            if (b->data[k] == ' ') {
                end = k;
                break;
            }
        }
    }
    /* "word,…" and "word …" look like glitches; "word…" does not. */
    while (end > 0 && is_dangling_punct(b->data[end - 1]))
        end--;
    b->len = end;
    b->data[end] = '\0';
    if (ellipsis)
        buf_append(b, ELLIPSIS, ELLIPSIS_LEN);
}

/* ---- Public ----------------------------------------------------------- */

/* Valid UTF-8 needs no repair (and no copy). */
static bool
utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        /* A literal U+FFFD is valid; repair would write it back the same. */
        if (cp == UTF8_REPLACEMENT &&
            (n != 3 || memcmp(s + i, REPLACEMENT_UTF8, 3) != 0))
            return false;
        i += n;
    }
    return true;
}

/* Printable ASCII with single inner spaces and no markup comes out of
 * the pipeline as it went in. */
static bool
is_plain(const char *s, size_t len)
{
    if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7E || c == '<' || c == '&' ||
            (c == ' ' && s[i + 1] == ' '))
            return false;
    }
    return true;
}

char *
text_clean(const char *in, size_t in_len, size_t max_bytes)
{
    if (!in)
        in_len = 0;
    if (max_bytes == 0)
        max_bytes = TEXT_MAX_BYTES;
    bool cut = false;
    size_t len = in ? cap_input(in, in_len, &cut) : 0;
    if (!cut && len <= max_bytes && is_plain(in, len))
        return xstrndup(in, len);
    /* Each stage reads cur and writes the buffer cur is not in; a stage
     * with nothing to do (no invalid byte, no '<', no '&') is skipped. */
    Buf bufs[2];
    buf_init(&bufs[0]);
    buf_init(&bufs[1]);
    const char *cur = in ? in : "";
    size_t cur_len = len;
    int next = 0;
    if (!utf8_valid(cur, cur_len)) {
        repair_utf8(cur, cur_len, &bufs[next]);
        cur = buf_str(&bufs[next]);
        cur_len = bufs[next].len;
        next ^= 1;
    }
    if (memchr(cur, '<', cur_len)) {
        buf_clear(&bufs[next]);
        strip_tags(cur, cur_len, &bufs[next]);
        cur = buf_str(&bufs[next]);
        cur_len = bufs[next].len;
        next ^= 1;
    }
    if (memchr(cur, '&', cur_len)) {
        buf_clear(&bufs[next]);
        decode_entities(cur, cur_len, &bufs[next]);
        cur = buf_str(&bufs[next]);
        cur_len = bufs[next].len;
        next ^= 1;
    }
    Buf out;
    buf_init(&out);
    filter_chars(cur, cur_len, &out);
    buf_deinit(&bufs[0]);
    buf_deinit(&bufs[1]);
    truncate_display(&out, max_bytes, cut);
    return buf_steal(&out);
}

/* ---- Feed-specific cleanup -------------------------------------------- */

/* Punctuation that source names are written with or without: Latin-1
 * signs, General Punctuation (dashes, curly quotes) and CJK punctuation. */
static bool
is_unicode_punct(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x3000 && cp <= 0x303F);
}

/* Reduces a name to what identifies it: "The Harbor-City Ledger." becomes
 * "harborcityledger". Returns false if it does not fit out. */
static bool
normalize_name(const char *s, size_t len, char *out, size_t out_size,
               size_t *out_len)
{
    while (len > 0 && is_ascii_space((unsigned char)*s)) {
        s++;
        len--;
    }
    if (len > 4 && name_equals(s, 3, "the") && s[3] == ' ') {
        s += 4;
        len -= 4;
    }
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t step = utf8_decode(s + i, len - i, &cp);
        bool keep = cp < 0x80 ? is_ascii_alnum((unsigned char)cp)
                              : !is_unicode_punct(cp);
        if (keep) {
            if (n + step > out_size)
                return false;
            for (size_t k = 0; k < step; k++)
                out[n + k] = (char)ascii_lower((unsigned char)s[i + k]);
            n += step;
        }
        i += step;
    }
    *out_len = n;
    return true;
}

/* Length of the title separator (" - ", " | ", " – ", " — ") at s[i], or
 * 0. */
static size_t
separator_at(const char *s, size_t len, size_t i)
{
    static const char *const seps[] = {
        " - ",
        " | ",
        " \xE2\x80\x93 ",
        " \xE2\x80\x94 ",
    };
    for (size_t k = 0; k < ARRAY_LEN(seps); k++) {
        size_t n = strlen(seps[k]);
        if (len - i >= n && memcmp(s + i, seps[k], n) == 0)
            return n;
    }
    return 0;
}

/* A suffix written as a domain ("BBC.com", "Newsonair.gov.in"): one word
 * of letters, digits, dots and hyphens whose last label is 2-6 letters.
 * Gives the length of its first label. */
static bool
domain_like(const char *s, size_t len, size_t *name_len)
{
    while (len > 0 && is_ascii_space((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_ascii_space((unsigned char)s[len - 1]))
        len--;
    if (len >= 4 && !memcmp(s, "www.", 4)) {
        s += 4;
        len -= 4;
    }
    size_t first_dot = 0;
    size_t last_dot = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (!first_dot)
                first_dot = i;
            last_dot = i;
        } else if (!is_ascii_alnum(c) && c != '-') {
            return false;
        }
    }
    size_t tld = len - last_dot - 1;
    if (first_dot < 2 || tld < 2 || tld > 6)
        return false;
    for (size_t i = last_dot + 1; i < len; i++) {
        if (!is_ascii_alpha((unsigned char)s[i]))
            return false;
    }
    *name_len = first_dot;
    return true;
}

/* Does the suffix s[0..len) name the source (normalised as want)? */
static bool
suffix_matches(const char *s, size_t len, const char *want, size_t want_len)
{
    char got[SOURCE_SUFFIX_MAX_BYTES];
    size_t got_len;
    if (!normalize_name(s, len, got, sizeof got, &got_len))
        return false;
    if (got_len == want_len && memcmp(got, want, want_len) == 0)
        return true;
    size_t name_len;
    if (!domain_like(s, len, &name_len))
        return false;
    /* "BBC.com" for "BBC News": the domain's name starts the source's. */
    while (len > 0 && is_ascii_space((unsigned char)*s)) {
        s++;
        len--;
    }
    if (len >= 4 && !memcmp(s, "www.", 4))
        s += 4;
    char dom[SOURCE_SUFFIX_MAX_BYTES];
    size_t dom_len;
    if (!normalize_name(s, name_len, dom, sizeof dom, &dom_len) ||
        dom_len < 3 || dom_len > want_len)
        return false;
    return memcmp(dom, want, dom_len) == 0;
}

char *
text_strip_source_suffix(const char *title, const char *source)
{
    if (!title)
        return xstrdup("");
    char want[SOURCE_SUFFIX_MAX_BYTES];
    size_t want_len = 0;
    if (!source ||
        !normalize_name(source, strlen(source), want, sizeof want, &want_len) ||
        want_len == 0)
        return xstrdup(title);
    size_t len = strlen(title);
    while (len > 0 && is_ascii_space((unsigned char)title[len - 1]))
        len--;
    size_t lowest =
        len > SOURCE_SUFFIX_MAX_BYTES ? len - SOURCE_SUFFIX_MAX_BYTES : 0;
    /* Right to left, so a source whose name has a dash in it still
     * matches as a whole. */
    for (size_t i = len; i-- > lowest;) {
        size_t sep = separator_at(title, len, i);
        if (sep == 0 ||
            !suffix_matches(title + i + sep, len - i - sep, want, want_len))
            continue;
        size_t head = i;
        while (head > 0 && is_ascii_space((unsigned char)title[head - 1]))
            head--;
        /* A title that is nothing but the source stays whole: an empty
         * headline is worse than a redundant one. */
        if (head == 0)
            break;
        return xstrndup(title, head);
    }
    return xstrdup(title);
}

bool
text_is_aggregator(const char *source)
{
    static const char *const names[] = {"googlenews", "yahoonews", "yahoo",
                                        "msn",        "msnnews",   "bingnews"};
    char n[SOURCE_SUFFIX_MAX_BYTES];
    size_t len;
    if (!source || !normalize_name(source, strlen(source), n, sizeof n, &len))
        return false;
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        if (len == strlen(names[i]) && !memcmp(n, names[i], len))
            return true;
    }
    return false;
}

#define PUBLISHER_MAX_BYTES 60
#define PUBLISHER_MAX_WORDS 6

char *
text_split_publisher(const char *title, char **publisher)
{
    *publisher = NULL;
    if (!title)
        return xstrdup("");
    size_t len = strlen(title);
    while (len > 0 && is_ascii_space((unsigned char)title[len - 1]))
        len--;
    size_t lowest =
        len > PUBLISHER_MAX_BYTES + 4 ? len - PUBLISHER_MAX_BYTES - 4 : 0;
    for (size_t i = len; i-- > lowest;) {
        size_t sep = separator_at(title, len, i);
        if (sep == 0)
            continue;
        const char *name = title + i + sep;
        size_t name_len = len - i - sep;
        size_t words = 1;
        for (size_t k = 0; k < name_len; k++)
            words += name[k] == ' ';
        unsigned char first = (unsigned char)name[0];
        size_t head = i;
        while (head > 0 && is_ascii_space((unsigned char)title[head - 1]))
            head--;
        if (name_len == 0 || name_len > PUBLISHER_MAX_BYTES ||
            words > PUBLISHER_MAX_WORDS || is_ascii_digit(first) ||
            is_ascii_space(first) || head == 0)
            return xstrdup(title);
        *publisher = xstrndup(name, name_len);
        return xstrndup(title, head);
    }
    return xstrdup(title);
}

#define SENTENCE_MIN_BYTES 20

/* Does the '.', '!' or '?' at s[i] end a sentence? */
static bool
ends_sentence(const char *s, size_t len, size_t i)
{
    if (i + 1 < len && s[i + 1] != ' ')
        return false;
    if (s[i] != '.')
        return true;
    /* The word before: "U.S." and "Dr." do not end sentences. */
    size_t w = i;
    while (w > 0 && s[w - 1] != ' ')
        w--;
    size_t wlen = i - w;
    if (wlen <= 1 || memchr(s + w, '.', wlen))
        return false;
    static const char *const abbrev[] = {"Mr", "Mrs", "Ms", "Dr", "St",
                                         "vs", "No",  "Jr", "Sr", "Gen"};
    for (size_t k = 0; k < ARRAY_LEN(abbrev); k++) {
        if (wlen == strlen(abbrev[k]) && !memcmp(s + w, abbrev[k], wlen))
            return false;
    }
    return true;
}

char *
text_first_sentence(const char *s)
{
    if (!s)
        return xstrdup("");
    size_t len = strlen(s);
    for (size_t i = SENTENCE_MIN_BYTES - 1; i + 1 < len; i++) {
        if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
            ends_sentence(s, len, i))
            return xstrndup(s, i + 1);
    }
    return xstrdup(s);
}

char *
text_truncate(const char *s, size_t max_bytes)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, s ? s : "");
    truncate_display(&b, max_bytes ? max_bytes : TEXT_MAX_BYTES, false);
    return buf_steal(&b);
}

static size_t
trim_end(const char *s, size_t len)
{
    while (len > 0 && is_ascii_space((unsigned char)s[len - 1]))
        len--;
    return len;
}

static bool
ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

size_t
text_truncation_start(const char *s, size_t len)
{
    size_t full = len;
    len = trim_end(s, len);
    /* Read "[+1234 chars]" backwards; the '+' is NewsAPI's, GNews omits
     * it. */
    if (!ends_with(s, len, " chars]"))
        return full;
    size_t e = len - 7;
    size_t digits_end = e;
    while (e > 0 && is_ascii_digit((unsigned char)s[e - 1]))
        e--;
    if (e == digits_end)
        return full;
    if (e > 0 && s[e - 1] == '+')
        e--;
    if (e == 0 || s[e - 1] != '[')
        return full;
    e = trim_end(s, e - 1);
    if (ends_with(s, e, ELLIPSIS) || ends_with(s, e, "..."))
        e -= 3;
    return trim_end(s, e);
}

char *
text_strip_truncation(const char *s)
{
    if (!s)
        return xstrdup("");
    return xstrndup(s, text_truncation_start(s, strlen(s)));
}
