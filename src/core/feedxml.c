/*
 * feedxml: RSS 0.9x, RSS 1.0 (RDF), RSS 2.0 and Atom 1.0 through libxml2.
 *
 * Safety: before parsing, every '&' that does not start one of XML's own
 * five references or a numeric one is escaped, so the parser sees no
 * entity reference at all: "&nbsp;", "AT&T" and "&lol9;" all arrive as
 * text, and the HTML entity decoder of the text pipeline reads the first.
 * So the "billion laughs" have nothing to multiply and an external entity
 * is never resolved. Besides, the parser never loads a DTD, never
 * substitutes entities (no XML_PARSE_NOENT), never touches the network
 * (XML_PARSE_NONET, and an external-entity loader that refuses everything,
 * file:// included), and any entity reference node is written back as
 * "&name;" text, never expanded. Recover mode reads the feeds that are not
 * quite XML. Declared encodings (ISO-8859-1, windows-1252, ...) are
 * converted to UTF-8 by libxml2. See feed.h.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "clean.h"
#include "feeditem.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA "http://search.yahoo.com/mrss" /* with or without "/" */

#define XML_OPTIONS                                                            \
    (XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |                 \
     XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)
#define TEXT_DEPTH_MAX 32 /* element nesting read inside one field */

typedef enum XmlKind { XML_KIND_NONE, XML_KIND_RSS, XML_KIND_ATOM } XmlKind;

typedef struct XmlFeed {
    XmlKind kind;
    const char *home_ns; /* namespace of plain RSS elements, or NULL */
    const xmlNode *root;
    const xmlNode *channel; /* RSS channel, or the Atom feed */
    char *title;            /* the channel's title: the stories' source */
} XmlFeed;

static xmlParserInputPtr
refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static void
xml_setup(void)
{
    static bool done;
    if (done)
        return;
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_external);
    done = true;
}

static const char *
ns_of(const xmlNode *n)
{
    return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

static bool
named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Element name in namespace ns (NULL: no namespace). */
static bool
is_el(const xmlNode *n, const char *name, const char *ns)
{
    if (!named(n, name))
        return false;
    const char *have = ns_of(n);
    if (!ns || !have)
        return ns == have;
    return !strcmp(have, ns);
}

static bool
is_media(const xmlNode *n, const char *name)
{
    const char *have = ns_of(n);
    return named(n, name) && have && !strncmp(have, NS_MEDIA, strlen(NS_MEDIA));
}

/* A plain element of the feed's own vocabulary. */
static bool
is_home(const XmlFeed *x, const xmlNode *n, const char *name)
{
    if (x->kind == XML_KIND_ATOM) {
        const char *have = ns_of(n);
        return named(n, name) && (!have || !strcmp(have, NS_ATOM));
    }
    return is_el(n, name, x->home_ns);
}

static void
collect_text(const xmlNode *n, Buf *out, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (out->len > TEXT_MAX_INPUT_BYTES)
            return;
        switch (c->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (c->content)
                buf_appends(out, (const char *)c->content);
            break;
        case XML_ENTITY_REF_NODE:
            /* Never expanded from its declaration: that is what the
             * billion-laughs document counts on. Named HTML entities
             * are decoded later by the text pipeline. */
            buf_appendf(out, "&%s;", (const char *)c->name);
            break;
        case XML_ELEMENT_NODE:
            /* Inline XHTML (Atom type="xhtml"): words stay apart. */
            if (depth < TEXT_DEPTH_MAX) {
                buf_append(out, " ", 1);
                collect_text(c, out, depth + 1);
                buf_append(out, " ", 1);
            }
            break;
        default:
            break;
        }
    }
}

/* The text of element n, or NULL when empty (caller frees). */
static char *
text_of(const xmlNode *n)
{
    Buf b;
    buf_init(&b);
    collect_text(n, &b, 0);
    if (!b.len) {
        buf_deinit(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static char *
attr_of(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static bool
attr_is(const xmlNode *n, const char *name, const char *want)
{
    char *v = attr_of(n, name);
    bool is = v && !strcasecmp(v, want);
    free(v);
    return is;
}

/* Fills *slot from text_of(n) unless it already holds something. */
static void
take_text(char **slot, const xmlNode *n)
{
    if (!*slot)
        *slot = text_of(n);
}

static bool
has_image_extension(const char *url)
{
    static const char *const ext[] = {".jpg", ".jpeg", ".png", ".gif", ".webp"};
    const char *end = url + strcspn(url, "?#");
    for (size_t i = 0; i < ARRAY_LEN(ext); i++) {
        size_t n = strlen(ext[i]);
        if ((size_t)(end - url) > n && !strncasecmp(end - n, ext[i], n))
            return true;
    }
    return false;
}

/* An enclosure, media:content or Atom link that is an image. */
static void
take_image(char **slot, const xmlNode *n, const char *url_attr)
{
    if (*slot)
        return;
    char *url = attr_of(n, url_attr);
    char *type = attr_of(n, "type");
    char *medium = attr_of(n, "medium");
    bool image = type     ? !strncasecmp(type, "image/", 6)
                 : medium ? !strcasecmp(medium, "image")
                          : url && has_image_extension(url);
    if (url && image && feed_is_web_url(url)) {
        *slot = url;
        url = NULL;
    }
    free(url);
    free(type);
    free(medium);
}

typedef struct Raw {
    char *id, *title, *summary, *body, *link, *image, *publisher, *date,
        *alt_date, *permalink;
} Raw;

static void
raw_free(Raw *r)
{
    char **f[] = {&r->id,       &r->title,    &r->summary,   &r->body,
                  &r->link,     &r->image,    &r->publisher, &r->date,
                  &r->alt_date, &r->permalink};
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        free(*f[i]);
}

static void
media_fields(Raw *r, const xmlNode *c)
{
    if (is_media(c, "thumbnail")) {
        char *url = attr_of(c, "url");
        if (!r->image && feed_is_web_url(url)) {
            r->image = url;
            url = NULL;
        }
        free(url);
    } else if (is_media(c, "content")) {
        take_image(&r->image, c, "url");
    } else if (is_media(c, "group")) {
        for (const xmlNode *g = c->children; g; g = g->next) {
            if (is_media(g, "thumbnail") || is_media(g, "content"))
                media_fields(r, g);
        }
    }
}

static void
atom_link(Raw *r, const xmlNode *c)
{
    char *rel = attr_of(c, "rel");
    if (!rel || !strcmp(rel, "alternate")) {
        char *href = attr_of(c, "href");
        if (!r->link && feed_is_web_url(href)) {
            r->link = href;
            href = NULL;
        }
        free(href);
    } else if (!strcmp(rel, "enclosure")) {
        take_image(&r->image, c, "href");
    }
    free(rel);
}

static void
rss_fields(const XmlFeed *x, Raw *r, const xmlNode *item)
{
    for (const xmlNode *c = item->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_home(x, c, "title")) {
            take_text(&r->title, c);
        } else if (is_home(x, c, "link")) {
            take_text(&r->link, c);
        } else if (is_home(x, c, "guid")) {
            take_text(&r->id, c);
            if (!attr_is(c, "isPermaLink", "false"))
                take_text(&r->permalink, c);
        } else if (is_home(x, c, "description")) {
            take_text(&r->summary, c);
        } else if (is_el(c, "encoded", NS_CONTENT)) {
            take_text(&r->body, c);
        } else if (is_home(x, c, "pubDate")) {
            take_text(&r->date, c);
        } else if (is_el(c, "date", NS_DC) || is_el(c, "updated", NS_ATOM) ||
                   is_el(c, "published", NS_ATOM)) {
            take_text(&r->alt_date, c);
        } else if (is_home(x, c, "source")) {
            take_text(&r->publisher, c);
        } else if (is_home(x, c, "enclosure")) {
            take_image(&r->image, c, "url");
        } else if (is_el(c, "link", NS_ATOM)) {
            atom_link(r, c);
        } else {
            media_fields(r, c);
        }
    }
    /* RSS 1.0 items name themselves in rdf:about. */
    if (!r->id) {
        xmlChar *about = xmlGetNsProp(item, (const xmlChar *)"about",
                                      (const xmlChar *)NS_RDF);
        if (about) {
            r->id = xstrdup((const char *)about);
            xmlFree(about);
        }
    }
}

static void
atom_fields(const XmlFeed *x, Raw *r, const xmlNode *entry)
{
    for (const xmlNode *c = entry->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_home(x, c, "title")) {
            take_text(&r->title, c);
        } else if (is_home(x, c, "link")) {
            atom_link(r, c);
        } else if (is_home(x, c, "id")) {
            take_text(&r->id, c);
        } else if (is_home(x, c, "summary")) {
            take_text(&r->summary, c);
        } else if (is_home(x, c, "content")) {
            take_text(&r->body, c);
        } else if (is_home(x, c, "published")) {
            take_text(&r->date, c);
        } else if (is_home(x, c, "updated")) {
            take_text(&r->alt_date, c);
        } else if (is_home(x, c, "source")) {
            for (const xmlNode *s = c->children; s; s = s->next) {
                if (is_home(x, s, "title"))
                    take_text(&r->publisher, s);
            }
        } else {
            media_fields(r, c);
        }
    }
}

static bool
decode_entry(FeedDecoder *d, const XmlFeed *x, const xmlNode *n)
{
    Raw r = {0};
    if (x->kind == XML_KIND_ATOM)
        atom_fields(x, &r, n);
    else
        rss_fields(x, &r, n);
    FeedItem it;
    feed_item_init(&it);
    it.id = r.id ? r.id : r.link;
    it.title = r.title;
    it.summary = r.summary ? r.summary : r.body;
    it.body = r.body ? r.body : r.summary;
    it.link = feed_is_web_url(r.link)        ? r.link
              : feed_is_web_url(r.permalink) ? r.permalink
                                             : NULL;
    it.image = r.image;
    it.publisher = r.publisher ? r.publisher : x->title;
    it.published = r.date ? r.date : r.alt_date;
    bool more = feed_add_item(d, &it);
    raw_free(&r);
    return more;
}

/* ---- Document shape ---------------------------------------------------- */

static const xmlNode *
first_child(const xmlNode *n,
            bool (*match)(const XmlFeed *, const xmlNode *, const char *),
            const XmlFeed *x, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (match(x, c, name))
            return c;
    }
    return NULL;
}

static XmlKind
shape(XmlFeed *x, const xmlNode *root)
{
    memset(x, 0, sizeof(*x));
    x->root = root;
    if (!root)
        return XML_KIND_NONE;
    const char *ns = ns_of(root);
    if (named(root, "rss")) {
        x->kind = XML_KIND_RSS;
        x->home_ns = ns; /* normally none */
    } else if (is_el(root, "RDF", NS_RDF)) {
        x->kind = XML_KIND_RSS;
        /* RSS 1.0, or its Netscape 0.90 ancestor. */
        x->home_ns = NS_RSS1;
        for (const xmlNode *c = root->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && ns_of(c) &&
                !strcmp(ns_of(c), NS_RSS090))
                x->home_ns = NS_RSS090;
        }
    } else if (named(root, "feed") && (!ns || !strcmp(ns, NS_ATOM))) {
        x->kind = XML_KIND_ATOM;
    }
    if (x->kind == XML_KIND_RSS)
        x->channel = first_child(root, is_home, x, "channel");
    else if (x->kind == XML_KIND_ATOM)
        x->channel = root;
    return x->kind;
}

static bool
is_html_root(const char *body, size_t len, const xmlNode *root)
{
    if (root && root->name && !strcasecmp((const char *)root->name, "html"))
        return true;
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
                       body[i] == '\t'))
        i++;
    return (len - i >= 14 && !strncasecmp(body + i, "<!doctype html", 14)) ||
           (len - i >= 5 && !strncasecmp(body + i, "<html", 5));
}

/* Length of the skipped section at body[i] ("<![CDATA[...]]>" or
 * "<!--...-->", whose '&' are not references), or 0. */
static size_t
skip_literal_section(const char *body, size_t len, size_t i)
{
    static const struct {
        const char *open, *close;
    } sections[] = {{"<![CDATA[", "]]>"}, {"<!--", "-->"}};
    for (size_t k = 0; k < ARRAY_LEN(sections); k++) {
        size_t olen = strlen(sections[k].open);
        if (len - i < olen || memcmp(body + i, sections[k].open, olen))
            continue;
        size_t clen = strlen(sections[k].close);
        for (size_t j = i + olen; j + clen <= len; j++) {
            if (!memcmp(body + j, sections[k].close, clen))
                return j + clen - i;
        }
        return len - i;
    }
    return 0;
}

/* Does body[i] ('&') start "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
 * "&#123;" or "&#x1F;"? */
static bool
is_xml_reference(const char *body, size_t len, size_t i)
{
    static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
    const char *p = body + i + 1;
    size_t left = len - i - 1;
    for (size_t k = 0; k < ARRAY_LEN(names); k++) {
        size_t n = strlen(names[k]);
        if (left >= n && !memcmp(p, names[k], n))
            return true;
    }
    if (left < 3 || p[0] != '#')
        return false;
    bool hex = p[1] == 'x';
    size_t j = hex ? 2 : 1;
    size_t digits = 0;
    while (
        j < left && digits < 8 &&
        (hex ? isxdigit((unsigned char)p[j]) : isdigit((unsigned char)p[j]))) {
        j++;
        digits++;
    }
    return digits > 0 && j < left && p[j] == ';';
}

/* A copy of body with every other '&' written as "&amp;", or NULL when
 * there is none. Only for ASCII-compatible encodings. */
static char *
escape_ampersands(const char *body, size_t len, size_t *out_len)
{
    Buf out;
    buf_init(&out);
    size_t copied = 0;
    size_t i = 0;
    while (i < len) {
        size_t skip = body[i] == '<' ? skip_literal_section(body, len, i) : 0;
        if (skip) {
            i += skip;
            continue;
        }
        if (body[i] == '&' && !is_xml_reference(body, len, i)) {
            buf_append(&out, body + copied, i + 1 - copied);
            buf_appends(&out, "amp;");
            copied = i + 1;
        }
        i++;
    }
    if (!copied)
        return NULL;
    buf_append(&out, body + copied, len - copied);
    *out_len = out.len;
    return buf_steal(&out);
}

static bool
is_utf16(const char *body, size_t len)
{
    const unsigned char *b = (const unsigned char *)body;
    return len >= 2 &&
           ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) ||
            b[0] == 0 || b[1] == 0);
}

static xmlDocPtr
parse(xmlParserCtxtPtr ctxt, const char *body, size_t len)
{
    xml_setup();
    size_t esc_len = 0;
    char *escaped =
        is_utf16(body, len) ? NULL : escape_ampersands(body, len, &esc_len);
    if (escaped) {
        body = escaped;
        len = esc_len;
    }
    xmlDocPtr doc = len > INT_MAX ? NULL
                                  : xmlCtxtReadMemory(ctxt, body, (int)len,
                                                      NULL, NULL, XML_OPTIONS);
    free(escaped);
    return doc;
}

FeedFormat
feedxml_detect(const char *body, size_t len)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return FEED_FORMAT_AUTO;
    xmlDocPtr doc = parse(ctxt, body, len);
    XmlFeed x;
    XmlKind kind = shape(&x, doc ? xmlDocGetRootElement(doc) : NULL);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return kind == XML_KIND_RSS    ? FEED_FORMAT_RSS
           : kind == XML_KIND_ATOM ? FEED_FORMAT_ATOM
                                   : FEED_FORMAT_AUTO;
}

static void
describe_failure(const FeedDecoder *d, xmlParserCtxtPtr ctxt, const char *body,
                 size_t len, const xmlNode *root, char *err, size_t errlen)
{
    if (is_html_root(body, len, root)) {
        util_errf(err, errlen,
                  "%s: got an HTML page, not a feed (a login portal or a "
                  "wrong URL?)",
                  d->name);
    } else if (root) {
        util_errf(err, errlen,
                  "%s: the XML document is not RSS or Atom (its root element "
                  "is <%.40s>)",
                  d->name, (const char *)root->name);
    } else {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char *msg = e && e->message
                        ? text_clean(e->message, strlen(e->message), 120)
                        : xstrdup("unreadable");
        util_errf(err, errlen, "%s: not well-formed XML (line %d: %s)", d->name,
                  e ? e->line : 0, msg);
        free(msg);
    }
}

int
feedxml_decode(FeedDecoder *d, const char *body, size_t len, FeedFormat format,
               char *err, size_t errlen)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        util_errf(err, errlen, "%s: out of memory for the XML parser", d->name);
        return -1;
    }
    int rc = -1;
    xmlDocPtr doc = parse(ctxt, body, len);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    XmlFeed x;
    XmlKind kind = shape(&x, root);
    if (kind == XML_KIND_NONE) {
        describe_failure(d, ctxt, body, len, root, err, errlen);
        goto out;
    }
    FeedFormat found =
        kind == XML_KIND_RSS ? FEED_FORMAT_RSS : FEED_FORMAT_ATOM;
    if (format != FEED_FORMAT_AUTO && format != found) {
        util_errf(err, errlen, "%s: format = %s, but the document is %s",
                  d->name, config_format_name(format),
                  found == FEED_FORMAT_RSS ? "RSS" : "an Atom feed");
        goto out;
    }
    const xmlNode *title = first_child(x.channel, is_home, &x, "title");
    x.title = title ? text_of(title) : NULL;
    /* RSS and Atom allow items without a title; their text stands in. */
    d->untitled_from_body = true;
    /* RSS 2.0 keeps items in the channel, RSS 1.0 beside it; some feeds
     * get that wrong either way, so both places are read. */
    const char *item_name = kind == XML_KIND_ATOM ? "entry" : "item";
    const xmlNode *parents[] = {x.channel, kind == XML_KIND_RSS ? root : NULL};
    bool more = true;
    for (size_t p = 0; p < ARRAY_LEN(parents) && more; p++) {
        if (!parents[p] || (p == 1 && parents[p] == parents[0]))
            continue;
        for (const xmlNode *c = parents[p]->children; c && more; c = c->next) {
            if (is_home(&x, c, item_name))
                more = decode_entry(d, &x, c);
        }
    }
    free(x.title);
    rc = 0;
out:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
