/* Credential login against the factory-provisioned account. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "cred/login.h"
#include "cred/provision.h"

/* clang-format off */
#define APP_LOGIN_MAX_FAILURES 5u    /* consecutive failures before a lock */
#define APP_LOGIN_BACKOFF      16u   /* first lock, in requests */
#define APP_LOGIN_BACKOFF_MAX  4096u /* longest lock, in requests */
/* clang-format on */

static struct cred_account app_account;
static int app_account_status = CRED_ERR_PARAM;

static void app_login_log(void *ctx, enum cred_log_level level,
                          const char *line)
{
    (void)ctx;
    app_send(APP_CH_LOG, (int)level, (const uint8_t *)line, strlen(line));
}

static const struct cred_login_config app_login_config = {
    CRED_KDF_LIMITS_PRODUCTION,
    {APP_LOGIN_MAX_FAILURES, APP_LOGIN_BACKOFF, APP_LOGIN_BACKOFF_MAX},
    {app_login_log, NULL},
};

/* A blob that does not parse leaves no account: every login fails. */
void app_login_init(void)
{
    struct cred_provision p;
    int rc;

    rc = cred_provision_parse(&p, app_provision_blob, app_provision_blob_len,
                              &app_login_config.limits);
    if (rc == 0)
        rc = cred_provision_to_account(&p, &app_account);
    memset(&p, 0, sizeof(p));
    app_account_status = rc;
}

int app_login_check(const uint8_t *user, size_t user_len,
                    const uint8_t *password, size_t password_len)
{
    if (app_account_status != 0)
        return app_account_status;
    return cred_login(&app_account, &app_login_config, user, user_len, password,
                      password_len, app_now());
}

/* Payload: u8 user length, user, password (the rest). */
int app_login_serve(const uint8_t *data, size_t len, struct app_reply *reply)
{
    size_t user_len;
    int rc;

    if (len < 1 || (size_t)data[0] > len - 1)
        return APP_ERR_FORMAT;
    user_len = data[0];
    rc = app_login_check(data + 1, user_len, data + 1 + user_len,
                         len - 1 - user_len);
    if (rc == 0) {
        /* Tell the client whether the password must be changed now. */
        reply->payload[0] = app_account.record.flags & CRED_FLAG_MUST_CHANGE;
        reply->len = 1;
    }
    return rc;
}
