/*
 * clean: text hygiene for everything a feed says before it reaches a screen.
 *
 * text_clean() runs one fixed pipeline over untrusted text: cap the input,
 * repair UTF-8, strip HTML tags, decode entities, drop control, bidi and
 * invisible characters, collapse whitespace, truncate for display. The other
 * functions undo feed-specific habits (NewsAPI's " - Source" title suffix and
 * "[+N chars]" tails). Every function returns a new string the caller frees.
 * Pure and reentrant: any thread may call it (in practice the fetch thread).
 */
#ifndef CLEAN_H
#define CLEAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Default display cap for text_clean(), in bytes, ellipsis included. */
#define TEXT_MAX_BYTES 2048
/* Raw input beyond this is cut before any work, so that a hostile 10 MB
 * field costs no more than a long article. */
#define TEXT_MAX_INPUT_BYTES (64 * 1024)
/* Replacement for anything that is not valid text. */
#define UTF8_REPLACEMENT 0xFFFDu

/*
 * Cleans untrusted feed text for display. Caller owns the result: a new
 * NUL-terminated, valid UTF-8 string, never NULL (may be ""). in may be NULL
 * (treated as ""); in_len bytes are read, embedded NULs included (they are
 * removed). max_bytes bounds strlen(result); 0 means TEXT_MAX_BYTES. When
 * text is cut (by max_bytes or by the input cap), the result ends with "…"
 * (U+2026) if max_bytes leaves room for it.
 */
char *text_clean(const char *in, size_t in_len, size_t max_bytes);

/*
 * Removes a trailing " - Source" (also " | Source", " – Source",
 * " — Source") from a title when Source matches source loosely: ASCII case,
 * spaces, punctuation and a leading "The " are ignored, and a suffix
 * written as a domain ("BBC.com", "Newsonair.gov.in") matches a source
 * whose name starts with the domain's name ("BBC News", "News On AIR"). A
 * suffix that does not match stays ("Arsenal 2 - 1 Chelsea"), and a title
 * that would become empty stays whole. source NULL or "": returns a copy.
 * Caller owns the result.
 */
char *text_strip_source_suffix(const char *title, const char *source);

/*
 * For titles from news aggregators (Google News, Yahoo News, MSN, Bing
 * News), which end in " - Publisher" where the publisher is not the feed's
 * source: when title ends in a separator and a short name (1-6 words, not
 * starting with a digit, so "Arsenal 2 - 1 Chelsea" stays whole), returns
 * the title without it and sets *publisher to the name (caller frees);
 * otherwise returns a copy and sets *publisher to NULL.
 */
char *text_split_publisher(const char *title, char **publisher);

/* True when source names a news aggregator (see text_split_publisher). */
bool text_is_aggregator(const char *source);

/*
 * The first sentence of s (clean text): up to the first ". ", "! " or "? "
 * that ends a sentence (not "U.S." or "Dr."), when that leaves at least 20
 * bytes; otherwise a copy of s. Caller owns the result.
 */
char *text_first_sentence(const char *s);

/* Shortens clean text s to max_bytes the way text_clean does (on a
 * character boundary, at a word when one is near, with "…"). Caller owns
 * the result. */
char *text_truncate(const char *s, size_t max_bytes);

/*
 * Removes a content truncation marker at the end of s: NewsAPI's
 * "… [+1234 chars]" and "[+1234 chars]", GNews's "... [1234 chars]", along
 * with the whitespace around it. Anything else is returned unchanged. Caller
 * owns the result; s NULL gives "".
 */
char *text_strip_truncation(const char *s);
/* The same as a length: how much of s[0..len) comes before the marker
 * (len when there is none). */
size_t text_truncation_start(const char *s, size_t len);

/*
 * Decodes one code point at s (len >= 1 bytes available). Returns the bytes
 * consumed (>= 1) and stores the code point in *cp, or UTF8_REPLACEMENT for
 * an invalid sequence, which then consumes its maximal subpart (the
 * Unicode-recommended practice: "\xE2\x82" followed by 'x' is one U+FFFD,
 * "\xC0\xAF" is two). Overlongs, surrogates and values above U+10FFFF are
 * invalid.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (4 bytes of room) and returns the bytes written (1-4).
 * A surrogate or a value above U+10FFFF is written as U+FFFD. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
