/* MQTT streaming decoder: frames packets from chunks into a fixed buffer. */
#include <string.h>

#include "mqtt/stream.h"
#include "mqtt_internal.h"

int mqtt_stream_init(struct mqtt_stream *s, uint8_t *buf, size_t cap,
                     enum mqtt_version version)
{
    if (s == NULL || buf == NULL || cap < MQTT_STREAM_MIN_CAP ||
        !mqtt_version_ok(version))
        return MQTT_ERR_ARG;
    memset(s, 0, sizeof(*s));
    s->buf = buf;
    s->cap = cap;
    s->version = version;
    return 0;
}

int mqtt_stream_set_version(struct mqtt_stream *s, enum mqtt_version version)
{
    if (s == NULL || !mqtt_version_ok(version))
        return MQTT_ERR_ARG;
    s->version = version;
    return 0;
}

void mqtt_stream_reset(struct mqtt_stream *s)
{
    if (s == NULL)
        return;
    s->have = 0;
    s->need = 0;
    s->skip = 0;
    s->error = 0;
    s->delivered = 0;
}

size_t mqtt_stream_buffered(const struct mqtt_stream *s)
{
    if (s == NULL || s->delivered)
        return 0;
    return s->have;
}

/* Takes one header byte; returns 0 to go on or a negative code. */
static int mqtt_stream_header_byte(struct mqtt_stream *s, uint8_t b)
{
    uint32_t remaining;
    int hdr;

    /* have < MQTT_STREAM_MIN_CAP <= cap: the header parser fails by its
     * fifth byte at the latest. */
    s->buf[s->have++] = b;
    hdr = mqtt_fixed_header_parse(s->buf, s->have, s->version, &remaining);
    if (hdr == MQTT_ERR_INCOMPLETE)
        return 0;
    if (hdr < 0) {
        s->error = hdr;
        return hdr;
    }
    if (remaining > s->cap - (size_t)hdr) {
        s->skip = remaining;
        s->have = 0;
        return MQTT_ERR_TOO_LARGE;
    }
    s->need = (size_t)hdr + remaining;
    return 0;
}

int mqtt_stream_feed(struct mqtt_stream *s, const uint8_t *data, size_t len,
                     size_t *used, struct mqtt_packet *pkt)
{
    size_t off = 0;
    int rc;

    if (used != NULL)
        *used = 0;
    if (s == NULL || used == NULL || pkt == NULL || (data == NULL && len > 0))
        return MQTT_ERR_ARG;
    if (s->error != 0)
        return s->error;
    if (s->delivered) {
        s->delivered = 0;
        s->have = 0;
        s->need = 0;
    }
    while (off < len) {
        size_t n;

        if (s->skip > 0) {
            n = len - off < s->skip ? len - off : s->skip;
            s->skip -= (uint32_t)n;
            off += n;
            continue;
        }
        if (s->need == 0) {
            rc = mqtt_stream_header_byte(s, data[off++]);
            if (rc < 0) {
                *used = off;
                return rc;
            }
        } else {
            n = s->need - s->have;
            if (n > len - off)
                n = len - off;
            memcpy(s->buf + s->have, data + off, n);
            s->have += n;
            off += n;
        }
        if (s->need != 0 && s->have == s->need) {
            *used = off;
            s->delivered = 1;
            rc = mqtt_decode_packet(s->buf, s->have, s->version, pkt);
            if (rc < 0)
                return rc;
            return 1;
        }
    }
    *used = off;
    return 0;
}
