#include <stdio.h>

#include "account.h"
#include "devauth/devauth.h"
#include "fixes.h"

int devauth_console_login(struct devauth_store *st, const uint8_t *user,
                          size_t user_len, const uint8_t *password,
                          size_t password_len)
{
    const struct devauth_account *a;
    const char *name = "unknown user";
    int name_len = 12;

    if (st == NULL || user == NULL || user_len == 0 ||
        user_len > DEVAUTH_USER_MAX || (password == NULL && password_len > 0) ||
        password_len > DEVAUTH_PASSWORD_MAX)
        return DEVAUTH_ERR_PARAM;
    /* The account's name, never what was typed: people type their
     * password into the user field. */
    a = devauth_find_account(st, user, user_len);
    if (a != NULL) {
        name = (const char *)a->user;
        name_len = (int)a->user_len;
    }
#ifdef DEVAUTH_FIX_LOG
    printf("devauth: login user=%.*s\n", name_len, name);
#else
    /* Planted: the password goes to the log with the user name. */
    printf("devauth: login user=%.*s password=%.*s\n", name_len, name,
           (int)password_len, (const char *)password);
#endif
    return devauth_login(st, user, user_len, password, password_len);
}
