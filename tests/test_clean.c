/* Tests for clean: each pipeline stage, their order, hostile input, and the
 * feed-specific cleanups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clean.h"

#define ELL "\xE2\x80\xA6"  /* U+2026 horizontal ellipsis */
#define FFFD "\xEF\xBF\xBD" /* U+FFFD replacement character */
#define ZWJ "\xE2\x80\x8D"
#define ZWNJ "\xE2\x80\x8C"
/* man, ZWJ, woman, ZWJ, girl, ZWJ, boy: one glyph, 25 bytes */
#define FAMILY                                                                 \
    "\xF0\x9F\x91\xA8" ZWJ "\xF0\x9F\x91\xA9" ZWJ "\xF0\x9F\x91\xA7" ZWJ       \
    "\xF0\x9F\x91\xA6"

/* black flag, tags "gbeng", cancel tag: the flag of England */
#define ENGLAND                                                                \
    "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xA5"         \
    "\xF3\xA0\x81\xAE\xF3\xA0\x81\xA7\xF3\xA0\x81\xBF"

/* Strict UTF-8 check written independently of utf8_decode(). */
static int
is_valid_utf8(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        int n;
        uint32_t cp;
        if (s[0] < 0x80) {
            s++;
            continue;
        } else if ((s[0] & 0xE0) == 0xC0) {
            n = 1;
            cp = s[0] & 0x1F;
        } else if ((s[0] & 0xF0) == 0xE0) {
            n = 2;
            cp = s[0] & 0x0F;
        } else if ((s[0] & 0xF8) == 0xF0) {
            n = 3;
            cp = s[0] & 0x07;
        } else {
            return 0;
        }
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        static const uint32_t min_cp[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

static void
check_clean_max(const char *in, size_t in_len, size_t max_bytes,
                const char *want)
{
    char *got = text_clean(in, in_len, max_bytes);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_true(is_valid_utf8(got));
    free(got);
}

static void
check_clean(const char *in, const char *want)
{
    check_clean_max(in, strlen(in), 0, want);
}

static void
check_suffix(const char *title, const char *source, const char *want)
{
    char *got = text_strip_source_suffix(title, source);
    assert_string_equal(got, want);
    free(got);
}

static void
check_marker(const char *in, const char *want)
{
    char *got = text_strip_truncation(in);
    assert_string_equal(got, want);
    free(got);
}

static void
test_utf8_decode(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode("\xE2\x80\x99", 3, &cp), 3);
    assert_int_equal(cp, 0x2019);
    assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    /* Invalid input consumes its maximal subpart, never more. */
    assert_int_equal(utf8_decode("\xE2\x82x", 3, &cp), 2);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 1); /* overlong '/' */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xE0\x80\xAF", 3, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 1); /* surrogate */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 1); /* >10FFFF */
    assert_int_equal(cp, 0xFFFD);
    /* A sequence cut by the end of the buffer is not read past it. */
    assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 3, &cp), 3);
    assert_int_equal(cp, 0xFFFD);
}

static void
test_utf8_encode(void **state)
{
    (void)state;
    char out[4];
    uint32_t back;
    static const uint32_t cps[] = {0x24, 0xA3, 0x20AC, 0x1F600, 0x10FFFF};
    static const size_t lens[] = {1, 2, 3, 4, 4};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        assert_int_equal(utf8_encode(cps[i], out), lens[i]);
        assert_int_equal(utf8_decode(out, lens[i], &back), lens[i]);
        assert_int_equal(back, cps[i]);
    }
    assert_int_equal(utf8_encode(0xD800, out), 3);
    assert_memory_equal(out, FFFD, 3);
    assert_int_equal(utf8_encode(0x110000, out), 3);
    assert_memory_equal(out, FFFD, 3);
}

static void
test_repair_utf8(void **state)
{
    (void)state;
    check_clean("go\xC0\xAFhome", "go" FFFD FFFD "home");  /* overlong '/' */
    check_clean("\xED\xA0\x80", FFFD FFFD FFFD);           /* CESU surrogate */
    check_clean("x\xE0\x80\xAFy", "x" FFFD FFFD FFFD "y"); /* overlong */
    check_clean("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);
    check_clean("caf\xC3", "caf" FFFD);
    check_clean("\xFF\xFEok", FFFD FFFD "ok");
    /* Valid text, including a literal U+FFFD, passes unchanged. */
    check_clean("Zo\xC3\xAB \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC " FFFD,
                "Zo\xC3\xAB \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC " FFFD);
}

static void
test_strip_tags(void **state)
{
    (void)state;
    check_clean("<b>Bold</b> move", "Bold move");
    check_clean("wo<span class=\"x\">rd</span>", "word");
    check_clean("rates < 5% and I <3 NY", "rates < 5% and I <3 NY");
    check_clean("a << b", "a << b");
    check_clean("<script>alert('<b>')</script>Real headline", "Real headline");
    check_clean("<STYLE type=text/css>p { x: 1 }</STYLE>Text", "Text");
    check_clean("one<br>two<br/>three<p>four</p>five<li>six",
                "one two three four five six");
    check_clean("<ul><li>Union accepts</li><li>Trains run</li></ul>",
                "Union accepts Trains run");
    check_clean("A<!-- a > b -->B", "AB");
    check_clean("<a title=\"1 > 0\" href='x'>link</a> ok", "link ok");
    /* An unbalanced quote does not swallow the rest of the text. */
    check_clean("<a href=\"oops>Text</a> here", "Text here");
    check_clean("<![CDATA[Kept text]]>", "Kept text");
    check_clean("<?xml version=\"1.0\"?><!DOCTYPE html>Hi", "Hi");
    /* Cut-off markup at the end of a field is dropped, not shown. */
    check_clean("Read more <a href=", "Read more");
    check_clean("Read more <a href=\"http://x", "Read more");
    check_clean("<script>never closed", "");
    check_clean("<p><br/></p><div></div>", "");
}

static void
test_decode_entities(void **state)
{
    (void)state;
    check_clean("&amp; &lt; &gt; &quot; &apos;", "& < > \" '");
    check_clean("&hellip;&mdash;&ndash;&lsquo;&rsquo;&ldquo;&rdquo;",
                "\xE2\x80\xA6\xE2\x80\x94\xE2\x80\x93\xE2\x80\x98"
                "\xE2\x80\x99\xE2\x80\x9C\xE2\x80\x9D");
    check_clean("&bull;&middot;&trade;&copy;&reg;&euro;&pound;&deg;",
                "\xE2\x80\xA2\xC2\xB7\xE2\x84\xA2\xC2\xA9\xC2\xAE"
                "\xE2\x82\xAC\xC2\xA3\xC2\xB0");
    check_clean("&eacute;&Eacute;&ntilde;&szlig;&yuml;&Yuml;&OElig;",
                "\xC3\xA9\xC3\x89\xC3\xB1\xC3\x9F\xC3\xBF\xC5\xB8\xC5\x92");
    check_clean("&#65;&#x42;&#X43;&#x1F600;", "ABC\xF0\x9F\x98\x80");
    /* windows-1252 for 128-159, as HTML requires */
    check_clean("&#146;&#150;&#128;&#151;", "\xE2\x80\x99\xE2\x80\x93"
                                            "\xE2\x82\xAC\xE2\x80\x94");
    check_clean("&#0; &#xD800; &#1114112; &#99999999999; &#x110000000000;",
                FFFD " " FFFD " " FFFD " " FFFD " " FFFD);
    /* 2^32 + 65 must not wrap around to 'A'. */
    check_clean("&#4294967361;&#x100000041;", FFFD FFFD);
    /* Decoded once: double-escaped text shows one level of escaping. */
    check_clean("AT&amp;T &amp;amp; co", "AT&T &amp; co");
    check_clean("&amp;#8217;", "&#8217;");
    /* Legacy forms without ';' only when nothing alphanumeric follows. */
    check_clean("&amp", "&");
    check_clean("fish &amp chips", "fish & chips");
    check_clean("&ampco &copy2", "&ampco &copy2");
    /* Malformed or unknown references stay literal, never read past. */
    check_clean("AT&T R&D & &; &#; &#x; &#12 &bogus; &#",
                "AT&T R&D & &; &#; &#x; &#12 &bogus; &#");
    check_clean("ends with partial &#" ELL, "ends with partial &#" ELL);
}

static void
test_order_tags_before_entities(void **state)
{
    (void)state;
    /* Escaped markup is text the author meant to show. */
    check_clean("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>");
    check_clean("&lt;script&gt;x&lt;/script&gt;y", "<script>x</script>y");
    /* Decoded characters still go through the character filter... */
    check_clean("a&#8238;b&#x200B;c&#1;d&shy;e", "abcde");
    /* ...and the whitespace collapse. */
    check_clean("&nbsp; x&#9;&#10;y&ensp;&emsp;z &nbsp;", "x y z");
    /* Invalid bytes are repaired before a tag could hide them. */
    check_clean("<b\xFF>t</b>", "t");
}

static void
test_filter_characters(void **state)
{
    (void)state;
    check_clean("g\x01h\x7Fi\xC2\x80j\xC2\x9Fk\x1Bl", "ghijkl");
    check_clean("Headline\xE2\x80\xAEtxet live\xE2\x80\xAC now",
                "Headlinetxet live now");
    check_clean("\xE2\x81\xA6x\xE2\x81\xA9 \xE2\x80\x8Ey\xE2\x80\x8F", "x y");
    check_clean("zero\xE2\x80\x8Bwidth soft\xC2\xADhyphen "
                "word\xE2\x81\xA0joiner \xEF\xBB\xBFmark",
                "zerowidth softhyphen wordjoiner mark");
    /* Joiners stay: Persian "mikhaham" needs its ZWNJ, emoji need ZWJ. */
    check_clean(
        "\xD9\x85\xDB\x8C" ZWNJ "\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
        "\xD9\x85\xDB\x8C" ZWNJ "\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85");
    check_clean("Family " FAMILY " day", "Family " FAMILY " day");
    /* Tag characters: part of the England flag, hidden payload elsewhere. */
    check_clean(ENGLAND " x\xF3\xA0\x81\xA7y", ENGLAND " xy");
    /* Private use and noncharacters are dropped, U+FFFD is not. */
    check_clean("g\xEE\x80\x80h\xEF\xB7\x90i" FFFD, "ghi" FFFD);
}

static void
test_collapse_whitespace(void **state)
{
    (void)state;
    check_clean("  x \t\r\n y\xC2\xA0\xE2\x80\x83z\xE3\x80\x80 ", "x y z");
    check_clean("x\xE2\x80\xAFy\xE2\x80\xA8z", "x y z");
    check_clean(" \t\r\n\xC2\xA0\xE3\x80\x80 ", "");
    check_clean("", "");
    /* A space left by a removed tag is collapsed like any other. */
    check_clean(" <p> a </p> <br> b ", "a b");
}

static void
test_truncate(void **state)
{
    (void)state;
    /* Exactly at the limit: nothing cut, no ellipsis. */
    check_clean_max("0123456789", 10, 10, "0123456789");
    /* One byte over: 7 bytes of text + 3 of ellipsis. */
    check_clean_max("01234567890", 11, 10, "0123456" ELL);
    /* A space in the last 20% of the room is preferred... */
    check_clean_max("The quick brown fox jumps", 25, 20, "The quick brown" ELL);
    /* ...one further back is not: the word is cut instead. */
    check_clean_max("Abcdefghij klmnopqrstuvwxyz", 27, 23,
                    "Abcdefghij klmnopqrs" ELL);
    /* Dangling punctuation does not sit before the ellipsis. */
    check_clean_max("Storm, wind, and rain today", 27, 16, "Storm, wind" ELL);
    /* Never inside a code point: the limit falls in the emoji. */
    check_clean_max("abcd\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 12, 9, "abcd" ELL);
    check_clean_max("abcd\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 12, 10, "abcd" ELL);
    check_clean_max("abcd\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 12, 11,
                    "abcd\xF0\x9F\x98\x80" ELL);
    /* Nor inside a ZWJ sequence or a flag. */
    check_clean_max("ab" FAMILY FAMILY, 52, 40, "ab" FAMILY ELL);
    check_clean_max("ab\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9"
                    "\xF0\x9F\x87\xAA",
                    18, 16, "ab\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7" ELL);
    check_clean_max("ab\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9"
                    "\xF0\x9F\x87\xAA",
                    18, 12, "ab" ELL);
    /* No room for the ellipsis: a clean cut. */
    check_clean_max("abcdef", 6, 2, "ab");
    /* 0 means the default. */
    char *in = malloc(5000);
    memset(in, 'x', 5000);
    char *out = text_clean(in, 5000, 0);
    assert_int_equal(strlen(out), TEXT_MAX_BYTES);
    assert_string_equal(out + TEXT_MAX_BYTES - 3, ELL);
    free(out);
    free(in);
}

static double
elapsed_s(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_hostile_sizes(void **state)
{
    (void)state;
    /* 10 MB of tag-like and entity-like text: the cap bounds the work. */
    size_t big_len = 10u * 1024 * 1024;
    char *big = malloc(big_len);
    static const char pattern[] = "<a href=\"&amp;x <b &#1234 \xF0\x9F";
    for (size_t i = 0; i < big_len; i++)
        big[i] = pattern[i % (sizeof pattern - 1)];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *out = text_clean(big, big_len, 0);
    assert_true(elapsed_s(&t0) < 0.25);
    assert_true(strlen(out) <= TEXT_MAX_BYTES);
    assert_true(is_valid_utf8(out));
    free(out);

    /* One 10 MB word: capped, truncated, marked as cut. */
    memset(big, 'w', big_len);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    out = text_clean(big, big_len, 100);
    assert_true(elapsed_s(&t0) < 0.25);
    assert_int_equal(strlen(out), 100);
    assert_string_equal(out + 97, ELL);
    free(out);

    /* Text beyond the input cap is never seen, and the cut shows. */
    memset(big, ' ', big_len);
    big[0] = 'x';
    memcpy(big + TEXT_MAX_INPUT_BYTES + 10, "TAIL", 4);
    check_clean_max(big, TEXT_MAX_INPUT_BYTES + 100, 0, "x" ELL);
    /* A cap that falls inside a character does not corrupt it. */
    memcpy(big + TEXT_MAX_INPUT_BYTES - 2, "\xE2\x80\x94", 3);
    check_clean_max(big, TEXT_MAX_INPUT_BYTES + 100, 0, "x" ELL);
    memcpy(big + TEXT_MAX_INPUT_BYTES - 3, "\xE2\x80\x94", 3);
    check_clean_max(big, TEXT_MAX_INPUT_BYTES + 100, 0, "x \xE2\x80\x94" ELL);
    free(big);

    /* Embedded NUL: in_len is the length, the NUL itself is removed. */
    check_clean_max("ab\0cd", 5, 0, "abcd");
    check_clean_max(NULL, 10, 0, "");
    check_clean("<p></p><br><i></i>", "");
}

static void
test_strip_source_suffix(void **state)
{
    (void)state;
    check_suffix("Oil prices rise - Reuters", "Reuters", "Oil prices rise");
    check_suffix("Ferry service resumes - Harbor City Ledger",
                 "Harbor City Ledger", "Ferry service resumes");
    check_suffix("Vote delayed | BBC News", "BBC News", "Vote delayed");
    check_suffix("Vote delayed \xE2\x80\x93 bbc-news ", "BBC News",
                 "Vote delayed");
    check_suffix("Budget passes - Washington Post", "The Washington Post",
                 "Budget passes");
    check_suffix("Budget passes - The Guardian", "Guardian", "Budget passes");
    /* The score is not a source. */
    check_suffix("Arsenal 2 - 1 Chelsea", "BBC Sport", "Arsenal 2 - 1 Chelsea");
    check_suffix("Arsenal 2 - 1 Chelsea - BBC Sport", "BBC Sport",
                 "Arsenal 2 - 1 Chelsea");
    /* Only a matching source is cut, and only at the end. */
    check_suffix("Rail strike off - Valley Courier", "Reuters",
                 "Rail strike off - Valley Courier");
    check_suffix("Reuters - Oil prices rise", "Reuters",
                 "Reuters - Oil prices rise");
    check_suffix("Merger - Reuters Breakingviews", "Reuters",
                 "Merger - Reuters Breakingviews");
    /* A title that is only the source is kept whole. */
    check_suffix("Reuters", "Reuters", "Reuters");
    check_suffix(" - Reuters", "Reuters", " - Reuters");
    check_suffix("Oil prices rise - Reuters", NULL,
                 "Oil prices rise - Reuters");
    check_suffix("Oil prices rise - Reuters", "", "Oil prices rise - Reuters");
    check_suffix("Oil prices rise - Reuters", "...",
                 "Oil prices rise - Reuters");
}

static void
test_strip_truncation(void **state)
{
    (void)state;
    check_marker("The first sailing is Friday, and" ELL " [+1873 chars]",
                 "The first sailing is Friday, and");
    check_marker("Commuters told to expect normal" ELL "[+640 chars]",
                 "Commuters told to expect normal");
    check_marker("Text [+12 chars]", "Text");
    check_marker("GNews text... [1419 chars]", "GNews text");
    check_marker("[+1234 chars]", "");
    /* Not a marker: left alone. */
    check_marker("Ages 12 [+ chars]", "Ages 12 [+ chars]");
    check_marker("Meet the [1234 chars] group", "Meet the [1234 chars] group");
    check_marker("It costs [+12 dollars]", "It costs [+12 dollars]");
    check_marker("Plain text.", "Plain text.");
    check_marker(NULL, "");
}

/* The whole path a NewsAPI article takes, from the fixture in the feed
 * research notes. */
static void
test_newsapi_article(void **state)
{
    (void)state;
    check_clean("Crews replaced two pilings &amp; a gangway.<br>Service "
                "resumes &quot;by Friday&quot;, officials said.",
                "Crews replaced two pilings & a gangway. Service resumes "
                "\"by Friday\", officials said.");

    const char *content =
        "<p>Crews worked through the weekend.\r\nThe first "
        "sailing is at 6:10 a.m.&nbsp;Friday, and" ELL " [+1873 chars]</p>";
    char *clean = text_clean(content, strlen(content), 0);
    char *body = text_strip_truncation(clean);
    assert_string_equal(body, "Crews worked through the weekend. The first "
                              "sailing is at 6:10 a.m. Friday, and");
    free(body);
    free(clean);

    const char *raw_title =
        "Ferry&#8217;s back \xE2\x80\x93 Harbor City Ledger&#160;";
    clean = text_clean(raw_title, strlen(raw_title), 200);
    char *title = text_strip_source_suffix(clean, "Harbor City Ledger");
    assert_string_equal(title, "Ferry\xE2\x80\x99s back");
    free(title);
    free(clean);
}

static void
test_strip_domain_suffix(void **state)
{
    (void)state;
    /* A suffix written as a domain matches a source it starts. */
    check_suffix("Coastal path closed - BBC.com", "BBC News",
                 "Coastal path closed");
    check_suffix("Rail link opens - www.bbc.co.uk", "BBC", "Rail link opens");
    check_suffix("Flights resume - Newsonair.gov.in", "News On AIR",
                 "Flights resume");
    /* Too short to tell, or another name: kept. */
    check_suffix("Title - ab.com", "Abc News", "Title - ab.com");
    check_suffix("Title - cnn.com", "BBC News", "Title - cnn.com");
    check_suffix("Version - 2.0", "2 News", "Version - 2.0");
    check_suffix("Merger - Reuters Breakingviews", "Reuters",
                 "Merger - Reuters Breakingviews");
}

static void
check_split(const char *title, const char *want_title,
            const char *want_publisher)
{
    char *publisher = (char *)1;
    char *got = text_split_publisher(title, &publisher);
    assert_string_equal(got, want_title);
    if (!want_publisher)
        assert_null(publisher);
    else
        assert_string_equal(publisher, want_publisher);
    free(got);
    free(publisher);
}

static void
test_split_publisher(void **state)
{
    (void)state;
    check_split("Rail strike called off - Valley Courier",
                "Rail strike called off", "Valley Courier");
    check_split("Rates held | Financial Times ", "Rates held",
                "Financial Times");
    check_split("Arsenal 2 - 1 Chelsea", "Arsenal 2 - 1 Chelsea", NULL);
    check_split("No suffix at all", "No suffix at all", NULL);
    check_split(" - Only a name", " - Only a name", NULL);
    check_split("Too many words - this is a whole clause of the headline here",
                "Too many words - this is a whole clause of the headline here",
                NULL);
    char *p = (char *)1;
    char *t = text_split_publisher(NULL, &p);
    assert_string_equal(t, "");
    assert_null(p);
    free(t);
    assert_true(text_is_aggregator("Google News"));
    assert_true(text_is_aggregator("google-news"));
    assert_true(text_is_aggregator("Yahoo News"));
    assert_false(text_is_aggregator("BBC News"));
    assert_false(text_is_aggregator(NULL));
}

static void
check_sentence(const char *in, const char *want)
{
    char *got = text_first_sentence(in);
    assert_string_equal(got, want);
    free(got);
}

static void
test_first_sentence(void **state)
{
    (void)state;
    check_sentence("Weather warning: high winds after 16:00. More later.",
                   "Weather warning: high winds after 16:00.");
    check_sentence("U.S. markets fall as Dr. Smith warns. Analysts disagree.",
                   "U.S. markets fall as Dr. Smith warns.");
    check_sentence("Is it over? Nobody knows yet.",
                   "Is it over? Nobody knows yet.");
    check_sentence("Fire at the old mill! Crews attend.",
                   "Fire at the old mill!");
    check_sentence("No full stop here", "No full stop here");
    check_sentence("Ends with one.", "Ends with one.");
    check_sentence("", "");
    char *n = text_first_sentence(NULL);
    assert_string_equal(n, "");
    free(n);
}

static void
test_text_truncate(void **state)
{
    (void)state;
    char *t = text_truncate("one two three four five", 16);
    assert_string_equal(t, "one two three\xE2\x80\xA6");
    free(t);
    t = text_truncate("short", 15);
    assert_string_equal(t, "short");
    free(t);
    t = text_truncate(NULL, 4);
    assert_string_equal(t, "");
    free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_encode),
        cmocka_unit_test(test_repair_utf8),
        cmocka_unit_test(test_strip_tags),
        cmocka_unit_test(test_decode_entities),
        cmocka_unit_test(test_order_tags_before_entities),
        cmocka_unit_test(test_filter_characters),
        cmocka_unit_test(test_collapse_whitespace),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_hostile_sizes),
        cmocka_unit_test(test_strip_source_suffix),
        cmocka_unit_test(test_strip_domain_suffix),
        cmocka_unit_test(test_split_publisher),
        cmocka_unit_test(test_first_sentence),
        cmocka_unit_test(test_text_truncate),
        cmocka_unit_test(test_strip_truncation),
        cmocka_unit_test(test_newsapi_article),
    };
    return cmocka_run_group_tests_name("clean", tests, NULL, NULL);
}
