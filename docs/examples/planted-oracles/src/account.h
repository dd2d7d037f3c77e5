/* Looking an account up by name: shared by provisioning and login. */
#ifndef DEVAUTH_ACCOUNT_H
#define DEVAUTH_ACCOUNT_H

#include <string.h>

#include "devauth/devauth.h"

/* The account named user[0..user_len), or NULL. Names are not secret. */
static inline struct devauth_account *
devauth_find_account(struct devauth_store *st, const uint8_t *user,
                     size_t user_len)
{
    size_t i;

    if (user == NULL || user_len == 0 || user_len > DEVAUTH_USER_MAX)
        return NULL;
    for (i = 0; i < st->count; i++) {
        struct devauth_account *a = &st->accounts[i];

        if (a->user_len == user_len && memcmp(a->user, user, user_len) == 0)
            return a;
    }
    return NULL;
}

#endif
