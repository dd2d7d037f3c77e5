#include <string.h>

#include "account.h"
#include "devauth/devauth.h"
#include "fixes.h"

int devauth_store_init(struct devauth_store *st, const uint8_t *device_id,
                       size_t id_len)
{
    if (st == NULL || device_id == NULL || id_len == 0 ||
        id_len > DEVAUTH_ID_MAX)
        return DEVAUTH_ERR_PARAM;
    memset(st, 0, sizeof(*st));
    memcpy(st->device_id, device_id, id_len);
    st->device_id_len = id_len;
#ifndef DEVAUTH_FIX_DEFAULT_ACCOUNT
    /* Planted: the factory account every device of the series shares. */
    {
        struct devauth_account *a = &st->accounts[0];
        static const uint8_t admin[] = {'a', 'd', 'm', 'i', 'n'};

        memcpy(a->user, admin, sizeof(admin));
        a->user_len = sizeof(admin);
        if (devauth_make_record(st, admin, sizeof(admin), &a->record) != 0)
            return DEVAUTH_ERR_PARAM;
        st->count = 1;
    }
#endif
    return DEVAUTH_OK;
}

/* Names go into the log: printable, no blanks. */
static int devauth_name_ok(const uint8_t *user, size_t user_len)
{
    size_t i;

    for (i = 0; i < user_len; i++)
        if (user[i] < 0x21 || user[i] > 0x7e)
            return 0;
    return 1;
}

int devauth_add_account(struct devauth_store *st, const uint8_t *user,
                        size_t user_len, const uint8_t *password,
                        size_t password_len)
{
    struct devauth_account *a;
    int rc;

    if (st == NULL || user == NULL || user_len == 0 ||
        user_len > DEVAUTH_USER_MAX || password == NULL ||
        password_len < DEVAUTH_PASSWORD_MIN ||
        password_len > DEVAUTH_PASSWORD_MAX || !devauth_name_ok(user, user_len))
        return DEVAUTH_ERR_PARAM;
    if (devauth_find_account(st, user, user_len) != NULL)
        return DEVAUTH_ERR_EXISTS;
    if (st->count >= DEVAUTH_ACCOUNTS)
        return DEVAUTH_ERR_FULL;
    a = &st->accounts[st->count];
    memset(a, 0, sizeof(*a));
    memcpy(a->user, user, user_len);
    a->user_len = user_len;
    rc = devauth_make_record(st, password, password_len, &a->record);
    if (rc != DEVAUTH_OK) {
        memset(a, 0, sizeof(*a));
        return rc;
    }
    st->count++;
    return DEVAUTH_OK;
}
