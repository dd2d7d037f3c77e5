/* XML/HTML escaping and UTF-8 clean-up of untrusted strings. */
#define _POSIX_C_SOURCE 200809L
#include "xmlesc.h"

#include <string.h>

#include "util.h"

size_t xmlesc_utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned long c, min;
    size_t len, i;

    *cp = 0xFFFD;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        c = s[0] & 0x1F;
        min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        c = s[0] & 0x0F;
        min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        c = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, UTF-16 surrogates and code points past U+10FFFF are
     * not UTF-8 */
    if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return len;
}

/* Characters XML 1.0 allows (its production Char). */
static int xml_char(unsigned long c)
{
    if (c < 0x20)
        return c == 0x9 || c == 0xA || c == 0xD;
    return c != 0xFFFE && c != 0xFFFF;
}

void xmlesc_putn(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    if (s == NULL)
        return;
    while (i < n && p[i] != '\0') {
        unsigned long c;
        size_t len = xmlesc_utf8_next(p + i, n - i, &c);

        if (len == 0) {
            fputs("\xEF\xBF\xBD", f);
            i++;
            continue;
        }
        switch (c) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            if (xml_char(c))
                fwrite(p + i, 1, len, f);
            break;
        }
        i += len;
    }
}

void xmlesc_put(FILE *f, const char *s)
{
    if (s != NULL)
        xmlesc_putn(f, s, strlen(s));
}

char *xmlesc_utf8_dup(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t n = strlen((const char *)p), i = 0, o = 0;
    /* each invalid byte grows to the 3 bytes of U+FFFD */
    char *out = fw_xmalloc(3 * n + 1);

    while (i < n) {
        unsigned long c;
        size_t len = xmlesc_utf8_next(p + i, n - i, &c);

        if (len == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(out + o, p + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
    return out;
}
