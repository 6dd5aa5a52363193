/* inbox: latest-wins mailbox between the fetch and render threads. */
#include <pthread.h>
#include <stdlib.h>

#include "inbox.h"
#include "util.h"

struct Inbox {
    pthread_mutex_t lock;
    StoryList *list;       /* [lock] waiting list, owned; NULL when none */
    FetchStatus status;    /* [lock] */
    bool status_changed;   /* [lock] */
    PictureList *pictures; /* [lock] pending, owned; NULL when none */
};

Inbox *
inbox_new(void)
{
    Inbox *inbox = xcalloc(1, sizeof(Inbox));
    int rc = pthread_mutex_init(&inbox->lock, NULL);
    ASSERT(rc == 0);
    return inbox;
}

void
inbox_free(Inbox *inbox)
{
    if (!inbox)
        return;
    story_list_free(inbox->list);
    picture_list_free(inbox->pictures);
    pthread_mutex_destroy(&inbox->lock);
    free(inbox);
}

void
inbox_post(Inbox *inbox, StoryList *list, const FetchStatus *status)
{
    StoryList *old = NULL;
    pthread_mutex_lock(&inbox->lock);
    if (list) {
        old = inbox->list;
        inbox->list = list;
    }
    if (status) {
        inbox->status = *status;
        inbox->status_changed = true;
    }
    pthread_mutex_unlock(&inbox->lock);
    story_list_free(old); /* never free while holding the lock */
}

bool
inbox_take(Inbox *inbox, StoryList **list, FetchStatus *status)
{
    pthread_mutex_lock(&inbox->lock);
    *list = inbox->list;
    inbox->list = NULL;
    bool changed = inbox->status_changed;
    if (changed && status)
        *status = inbox->status;
    inbox->status_changed = false;
    pthread_mutex_unlock(&inbox->lock);
    return changed || *list;
}

void
inbox_post_pictures(Inbox *inbox, PictureList *list)
{
    if (!list || list->count == 0)
        return;
    pthread_mutex_lock(&inbox->lock);
    if (!inbox->pictures)
        inbox->pictures = picture_list_new();
    picture_list_append(inbox->pictures, list); /* moves structs only */
    pthread_mutex_unlock(&inbox->lock);
}

PictureList *
inbox_take_pictures(Inbox *inbox)
{
    pthread_mutex_lock(&inbox->lock);
    PictureList *list = inbox->pictures;
    inbox->pictures = NULL;
    pthread_mutex_unlock(&inbox->lock);
    return list;
}

const char *
fetch_status_error(const FetchStatus *status)
{
    for (int i = 0; i < status->feed_count; i++) {
        if (status->feeds[i].error[0])
            return status->feeds[i].error;
    }
    return "";
}
