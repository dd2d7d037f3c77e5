/*
 * One path of devauth per input, chosen by the first byte, each with what
 * its oracle needs declared (fwfuzz/oracle.h); the seeds (corpus/seed/)
 * are one per path, and README.md says why each is made as it is. A field
 * below is one length byte and that many bytes.
 *
 *   'P' user, stored password, typed password  console login (its log)
 *   'K' 32-byte device key, nonce              session key derivation
 *   'T' key, message, tag                      tag verification
 *   'D' user, password                         accounts after provisioning
 *   'S' device id A, device id B, password     records on two devices
 *   'L' user, stored password, typed password  login and its lockout
 *   'H' message                                message parser
 *
 * Every secret's home is a buffer of the path's, wiped before it returns,
 * so that what an oracle finds is the component's doing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/util.h"
#include "devauth/devauth.h"
#include "fwfuzz/oracle.h"

struct input {
    const uint8_t *p;
    size_t left;
};

/* The next field: its bytes in *out, its length returned; -1 when the
 * input ends inside it. */
static int take_field(struct input *in, const uint8_t **out)
{
    size_t n;

    if (in->left < 1)
        return -1;
    n = in->p[0];
    if (n > in->left - 1)
        return -1;
    *out = in->p + 1;
    in->p += 1 + n;
    in->left -= 1 + n;
    return (int)n;
}

static const uint8_t device_a[] = {'d', 'e', 'v', '-', 'a'};

/* Whether a piece of the password (8 bytes, the whole of a shorter one:
 * what the output oracle looks for) is in the account name. The log names
 * the account, so such a password would show in every line: a weak
 * password, not a leak. */
static int piece_in_name(const uint8_t *pw, size_t pw_len, const uint8_t *name,
                         size_t name_len)
{
    size_t w = pw_len < 8 ? pw_len : 8, i, j;

    for (i = 0; i + w <= pw_len; i++)
        for (j = 0; j + w <= name_len; j++)
            if (memcmp(pw + i, name + j, w) == 0)
                return 1;
    return 0;
}

/* 'P': the typed password must not reach the log. */
static void path_console_login(struct input *in)
{
    struct devauth_store st;
    const uint8_t *user, *stored;
    uint8_t password[DEVAUTH_PASSWORD_MAX];
    int user_len, stored_len;
    size_t len;

    user_len = take_field(in, &user);
    stored_len = take_field(in, &stored);
    if (user_len < 0 || stored_len < 0 || in->left > sizeof(password) ||
        piece_in_name(in->p, in->left, user, (size_t)user_len))
        return;
    len = in->left;
    if (devauth_store_init(&st, device_a, sizeof(device_a)) != 0 ||
        devauth_add_account(&st, user, (size_t)user_len, stored,
                            (size_t)stored_len) != 0)
        return;
    memcpy(password, in->p, len);
    fwfuzz_secret(password, len, "password");
    devauth_console_login(&st, user, (size_t)user_len, password, len);
    crypto_wipe(password, sizeof(password));
}

/* 'K': no copy of the device key may outlive the derivation. */
static void path_session_key(struct input *in)
{
    uint8_t key[DEVAUTH_KEY_LEN];
    uint8_t session[DEVAUTH_KEY_LEN];

    if (in->left < sizeof(key))
        return;
    memcpy(key, in->p, sizeof(key));
    fwfuzz_secret(key, sizeof(key), "device key");
    devauth_session_key(key, in->p + sizeof(key), in->left - sizeof(key),
                        session);
    crypto_wipe(key, sizeof(key));
    crypto_wipe(session, sizeof(session));
}

/* 'T': the time of the check must not depend on the expected tag. */
static void path_verify_tag(struct input *in)
{
    const uint8_t *key, *msg;
    uint8_t expected[DEVAUTH_TAG_LEN];
    int key_len, msg_len;

    key_len = take_field(in, &key);
    msg_len = take_field(in, &msg);
    if (key_len < 0 || msg_len < 0 ||
        devauth_message_tag(key, (size_t)key_len, msg, (size_t)msg_len,
                            expected) != 0)
        return;
    fwfuzz_secret(expected, sizeof(expected), "expected tag");
    devauth_verify_tag(expected, in->p, in->left);
    crypto_wipe(expected, sizeof(expected));
}

/* A login on a copy of the store: the lockout counts of the real one
 * stay as they were for the next try. */
static int try_login(void *ctx, const uint8_t *user, size_t user_len,
                     const uint8_t *password, size_t password_len)
{
    struct devauth_store copy = *(const struct devauth_store *)ctx;

    return devauth_login(&copy, user, user_len, password, password_len) ==
           DEVAUTH_OK;
}

/* 'D': no account of a provisioned device may take a default password. */
static void path_default_account(struct input *in)
{
    struct devauth_store st;
    const uint8_t *user;
    int user_len;
    size_t i;

    user_len = take_field(in, &user);
    if (user_len < 0 ||
        devauth_store_init(&st, device_a, sizeof(device_a)) != 0 ||
        devauth_add_account(&st, user, (size_t)user_len, in->p, in->left) != 0)
        return;
    for (i = 0; i < st.count; i++)
        fwfuzz_check_default_login(try_login, &st, st.accounts[i].user,
                                   st.accounts[i].user_len);
}

/* 'S': one password, three records (two on device A, one on B): all
 * different, with salts of their own. */
static void path_salted_records(struct input *in)
{
    struct devauth_store a, b;
    struct devauth_record ra, ra2, rb;
    const uint8_t *id_a, *id_b;
    int a_len, b_len;

    a_len = take_field(in, &id_a);
    b_len = take_field(in, &id_b);
    /* Device ids are unique: two devices never share one. */
    if (a_len < 0 || b_len < 0 ||
        (a_len == b_len && memcmp(id_a, id_b, (size_t)a_len) == 0))
        return;
    if (devauth_store_init(&a, id_a, (size_t)a_len) != 0 ||
        devauth_store_init(&b, id_b, (size_t)b_len) != 0 ||
        devauth_make_record(&a, in->p, in->left, &ra) != 0 ||
        devauth_make_record(&a, in->p, in->left, &ra2) != 0 ||
        devauth_make_record(&b, in->p, in->left, &rb) != 0)
        return;
    fwfuzz_check_salted(&ra, &rb, sizeof(ra), ra.salt, rb.salt,
                        DEVAUTH_SALT_LEN);
    fwfuzz_check_salted(&ra, &ra2, sizeof(ra), ra.salt, ra2.salt,
                        DEVAUTH_SALT_LEN);
}

/* 'L': a failed login must be counted, durably, before it can be told
 * from a good one. */
static void path_lockout(struct input *in)
{
    struct devauth_store st;
    struct devauth_account *acct;
    const uint8_t *user, *stored;
    int user_len, stored_len;

    user_len = take_field(in, &user);
    stored_len = take_field(in, &stored);
    if (user_len < 0 || stored_len < 0 ||
        devauth_store_init(&st, device_a, sizeof(device_a)) != 0 ||
        devauth_add_account(&st, user, (size_t)user_len, stored,
                            (size_t)stored_len) != 0)
        return;
    acct = &st.accounts[st.count - 1];
    fwfuzz_durable(&acct->lockout, sizeof(acct->lockout), "lockout");
    fwfuzz_secret(acct->record.hash, sizeof(acct->record.hash), "stored hash");
    devauth_login(&st, user, (size_t)user_len, in->p, in->left);
    crypto_wipe(acct->record.hash, sizeof(acct->record.hash));
}

/* 'H': the message sits where another bus master can change it. */
static void path_parse_message(struct input *in)
{
    uint8_t buf[DEVAUTH_HEADER_LEN + DEVAUTH_BODY_MAX + DEVAUTH_TAG_LEN];
    struct devauth_message msg;
    size_t len = in->left;

    if (len > sizeof(buf))
        return;
    memcpy(buf, in->p, len);
    fwfuzz_untrusted(buf, len, "message");
    devauth_parse_message(buf, len, &msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in;

    if (size < 1)
        return 0;
    in.p = data + 1;
    in.left = size - 1;
    switch (data[0]) {
    case 'P':
        path_console_login(&in);
        break;
    case 'K':
        path_session_key(&in);
        break;
    case 'T':
        path_verify_tag(&in);
        break;
    case 'D':
        path_default_account(&in);
        break;
    case 'S':
        path_salted_records(&in);
        break;
    case 'L':
        path_lockout(&in);
        break;
    case 'H':
        path_parse_message(&in);
        break;
    default:
        break;
    }
    return 0;
}
