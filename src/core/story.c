/* story: Story and StoryList life cycle. See story.h. */
#include <stdlib.h>
#include <string.h>

#include "story.h"
#include "util.h"

StoryList *
story_list_new(void)
{
    return xcalloc(1, sizeof(StoryList));
}

void
story_deinit(Story *s)
{
    free(s->id);
    free(s->title);
    free(s->summary);
    free(s->source);
    free(s->url);
    free(s->image);
    free(s->feed);
    memset(s, 0, sizeof(*s));
}

void
story_list_free(StoryList *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        story_deinit(&list->items[i]);
    free(list->items);
    free(list);
}

void
story_list_push(StoryList *list, Story *s)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 16;
        list->items = xrealloc(list->items, list->cap * sizeof(Story));
    }
    list->items[list->count++] = *s;
    memset(s, 0, sizeof(*s));
}

void
story_copy(Story *dst, const Story *src)
{
    *dst = *src;
    dst->id = xstrdup(src->id);
    dst->title = xstrdup(src->title);
    dst->summary = xstrdup(src->summary);
    dst->source = xstrdup(src->source);
    dst->url = xstrdup(src->url);
    dst->image = xstrdup(src->image);
    dst->feed = xstrdup(src->feed);
}

StoryList *
story_list_clone(const StoryList *list)
{
    StoryList *c = story_list_new();
    for (size_t i = 0; i < list->count; i++) {
        Story s;
        story_copy(&s, &list->items[i]);
        story_list_push(c, &s);
    }
    return c;
}

static bool
str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

bool
story_list_equal(const StoryList *a, const StoryList *b)
{
    if (!a || !b)
        return a == b;
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        const Story *x = &a->items[i], *y = &b->items[i];
        if (!str_eq(x->id, y->id) || !str_eq(x->title, y->title) ||
            !str_eq(x->summary, y->summary) || !str_eq(x->source, y->source) ||
            !str_eq(x->url, y->url) || !str_eq(x->image, y->image) ||
            !str_eq(x->feed, y->feed) || x->published_s != y->published_s ||
            x->priority != y->priority || x->read_min != y->read_min ||
            x->expires_s != y->expires_s)
            return false;
    }
    return true;
}

/* Merge sort through a scratch array: stable, and a merged list of many
 * feeds may hold thousands of stories. */
static void
sort_range(Story *a, Story *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    sort_range(a, tmp, half);
    sort_range(a + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) {
        /* Ties take the left one: stability. */
        if (a[j].published_s > a[i].published_s)
            tmp[k++] = a[j++];
        else
            tmp[k++] = a[i++];
    }
    while (i < half)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof(Story));
}

void
story_list_sort_newest(StoryList *list)
{
    if (list->count < 2)
        return;
    Story *tmp = xmalloc(list->count * sizeof(Story));
    sort_range(list->items, tmp, list->count);
    free(tmp);
}

int
story_read_minutes(const char *text)
{
    if (!text)
        return 0;
    long words = 0;
    int in_word = 0;
    for (const char *p = text; *p; p++) {
        int space = (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r');
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return story_read_minutes_for_words(words);
}

int
story_read_minutes_for_words(long words)
{
    if (words <= 0)
        return 0;
    /* 238 words a minute (adult silent reading of non-fiction, Brysbaert
     * 2019), rounded to the nearest minute, at least one. */
    long minutes = (words * 2 + 238) / (2 * 238);
    return (int)MAX(minutes, 1);
}
