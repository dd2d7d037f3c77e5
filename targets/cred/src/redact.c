/* Log-line redaction: mask the values of secret keys. */
#include "cred/log.h"
#include "text.h"

/* Longer names first where one is a prefix of another ("pass"). */
struct name {
    const char *text;
    size_t len;
};
#define NAME(s)                                                                \
    {                                                                          \
        s, sizeof(s) - 1                                                       \
    }
static const struct name secret_keys[] = {
    NAME("password"), NAME("passphrase"),    NAME("passwd"), NAME("pass"),
    NAME("pwd"),      NAME("token"),         NAME("secret"), NAME("api_key"),
    NAME("apikey"),   NAME("authorization"),
};
#define KEY_AUTHORIZATION (sizeof(secret_keys) / sizeof(secret_keys[0]) - 1)

/* Authorization schemes that are kept in front of the masked credentials. */
static const struct name auth_schemes[] = {
    NAME("basic"),     NAME("bearer"), NAME("digest"),
    NAME("negotiate"), NAME("ntlm"),   NAME("token"),
};

struct writer {
    char *out;
    size_t cap; /* bytes available for characters, the NUL excluded */
    size_t len;
    int truncated;
};

static void put(struct writer *w, uint8_t c)
{
    if (w->len < w->cap)
        w->out[w->len++] = (char)c;
    else
        w->truncated = 1;
}

static void put_mask(struct writer *w)
{
    size_t i;

    for (i = 0; i < CRED_REDACT_MASK_LEN; i++)
        put(w, (uint8_t)CRED_REDACT_MASK[i]);
}

static int is_eol(uint8_t c)
{
    return c == '\r' || c == '\n';
}

static int is_bare_end(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f' || c == '&' || c == '\0';
}

/*
 * Log text is not compared in constant time (cred_text_eq_nocase): this
 * runs at every position of every line, and an early exit keeps it cheap.
 */
static int starts_with_nocase(const uint8_t *s, size_t len,
                              const struct name *word)
{
    size_t i;

    if (word->len > len)
        return 0;
    for (i = 0; i < word->len; i++)
        if (cred_text_lower(s[i]) != (uint8_t)word->text[i])
            return 0;
    return 1;
}

/* Every key starts with one of these (lower case). */
static int may_start_key(uint8_t c)
{
    c = cred_text_lower(c);
    return c == 'p' || c == 't' || c == 's' || c == 'a';
}

static size_t skip_blanks(const uint8_t *s, size_t pos, size_t len)
{
    while (pos < len && (s[pos] == ' ' || s[pos] == '\t'))
        pos++;
    return pos;
}

/* Length of a known scheme word plus its spaces at s[pos..], or 0. */
static size_t scheme_len(const uint8_t *s, size_t pos, size_t len)
{
    size_t i, end;

    for (i = 0; i < sizeof(auth_schemes) / sizeof(auth_schemes[0]); i++) {
        if (!starts_with_nocase(s + pos, len - pos, &auth_schemes[i]))
            continue;
        end = pos + auth_schemes[i].len;
        if (end < len && s[end] == ' ')
            return skip_blanks(s, end, len) - pos;
    }
    return 0;
}

/*
 * If a secret key starts at s[pos], sets *copy_end (end of the bytes copied
 * verbatim: key, separator, opening quote, scheme) and *value_end (end of the
 * masked bytes) and returns 1; else returns 0.
 */
static int match_secret(const uint8_t *s, size_t len, size_t pos,
                        size_t *copy_end, size_t *value_end)
{
    size_t k, p, v;
    uint8_t quote;

    if (!may_start_key(s[pos]))
        return 0;
    for (k = 0; k < sizeof(secret_keys) / sizeof(secret_keys[0]); k++) {
        if (!starts_with_nocase(s + pos, len - pos, &secret_keys[k]))
            continue;
        p = pos + secret_keys[k].len;
        if (p < len && (s[p] == '"' || s[p] == '\''))
            p++; /* closing quote of a quoted key: "password": */
        p = skip_blanks(s, p, len);
        if (p >= len || (s[p] != '=' && s[p] != ':'))
            continue;
        p = skip_blanks(s, p + 1, len);

        if (p < len && (s[p] == '"' || s[p] == '\'')) {
            quote = s[p];
            v = ++p;
            /* A backslash never escapes a line end: lines stay separate. */
            while (v < len && s[v] != quote && !is_eol(s[v])) {
                if (s[v] == '\\' && v + 1 < len && !is_eol(s[v + 1]))
                    v++;
                v++;
            }
        } else if (k == KEY_AUTHORIZATION) {
            p += scheme_len(s, p, len);
            v = p;
            while (v < len && !is_eol(s[v]))
                v++;
        } else {
            v = p;
            while (v < len && !is_bare_end(s[v]))
                v++;
        }
        *copy_end = p;
        *value_end = v;
        return 1;
    }
    return 0;
}

int cred_redact(char *out, size_t out_size, const char *line, size_t line_len)
{
    const uint8_t *s = (const uint8_t *)line;
    struct writer w;
    size_t pos = 0, copy_end, value_end;

    if (out == NULL || out_size == 0)
        return CRED_ERR_PARAM;
    out[0] = '\0';
    if (line == NULL && line_len > 0)
        return CRED_ERR_PARAM;

    w.out = out;
    w.cap = out_size - 1;
    if (w.cap > CRED_REDACT_MAX)
        w.cap = CRED_REDACT_MAX;
    w.len = 0;
    w.truncated = 0;

    while (pos < line_len) {
        if (match_secret(s, line_len, pos, &copy_end, &value_end)) {
            while (pos < copy_end)
                put(&w, s[pos++]);
            put_mask(&w);
            pos = value_end;
        } else {
            put(&w, s[pos++]);
        }
    }
    out[w.len] = '\0';
    if (w.truncated)
        return CRED_ERR_NO_SPACE;
    return (int)w.len;
}
