#include <stdio.h>

#include "devauth/devauth.h"
#include "fixes.h"

int devauth_console_login(struct devauth_store *st, const uint8_t *user,
                          size_t user_len, const uint8_t *password,
                          size_t password_len)
{
    if (st == NULL || user == NULL || user_len == 0 ||
        user_len > DEVAUTH_USER_MAX || (password == NULL && password_len > 0) ||
        password_len > DEVAUTH_PASSWORD_MAX)
        return DEVAUTH_ERR_PARAM;
#ifdef DEVAUTH_FIX_LOG
    printf("devauth: login user=%.*s\n", (int)user_len, (const char *)user);
#else
    /* Planted: the password goes to the log with the user name. */
    printf("devauth: login user=%.*s password=%.*s\n", (int)user_len,
           (const char *)user, (int)password_len, (const char *)password);
#endif
    return devauth_login(st, user, user_len, password, password_len);
}
