/* Shared between the MQTT codec's source files; not part of the API. */
#ifndef MQTT_INTERNAL_H
#define MQTT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt/mqtt.h"
#include "mqtt/props.h"

/* Context bit for the Will Properties of CONNECT in the placement masks;
 * packet type t uses bit t (type 0 does not exist). */
#define MQTT_CTX_WILL 0u

/* Bounds-checked reading of a fully received packet body: running past the
 * end of the body is a malformed packet, never "incomplete". */
struct mqtt_reader {
    const uint8_t *ptr;
    size_t len;
    size_t off;
};

static inline size_t mqtt_rd_left(const struct mqtt_reader *r)
{
    return r->len - r->off;
}

static inline int mqtt_rd_u8(struct mqtt_reader *r, uint8_t *v)
{
    if (mqtt_rd_left(r) < 1)
        return MQTT_ERR_MALFORMED;
    *v = r->ptr[r->off];
    r->off += 1;
    return 0;
}

static inline int mqtt_rd_u16(struct mqtt_reader *r, uint16_t *v)
{
    if (mqtt_rd_left(r) < 2)
        return MQTT_ERR_MALFORMED;
    *v = (uint16_t)(((uint16_t)r->ptr[r->off] << 8) | r->ptr[r->off + 1]);
    r->off += 2;
    return 0;
}

static inline int mqtt_rd_u32(struct mqtt_reader *r, uint32_t *v)
{
    const uint8_t *p = r->ptr + r->off;

    if (mqtt_rd_left(r) < 4)
        return MQTT_ERR_MALFORMED;
    *v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
         ((uint32_t)p[2] << 8) | (uint32_t)p[3];
    r->off += 4;
    return 0;
}

/* A Variable Byte Integer inside a body: running out is malformed. */
static inline int mqtt_rd_varint(struct mqtt_reader *r, uint32_t *v)
{
    int rc = mqtt_varint_decode(r->ptr + r->off, mqtt_rd_left(r), v);

    if (rc == MQTT_ERR_INCOMPLETE)
        return MQTT_ERR_MALFORMED;
    if (rc < 0)
        return rc;
    r->off += (size_t)rc;
    return 0;
}

/* Two-byte length followed by that many bytes (string or binary data). */
static inline int mqtt_rd_lenbytes(struct mqtt_reader *r, struct mqtt_span *s)
{
    uint16_t n;

    if (mqtt_rd_u16(r, &n) < 0)
        return MQTT_ERR_MALFORMED;
    if (mqtt_rd_left(r) < n)
        return MQTT_ERR_MALFORMED;
    s->ptr = r->ptr + r->off;
    s->len = n;
    r->off += n;
    return 0;
}

/* The rest of the body as a span (pointing at its end when empty). */
static inline struct mqtt_span mqtt_rd_rest(struct mqtt_reader *r)
{
    struct mqtt_span s;

    s.ptr = r->ptr + r->off;
    s.len = mqtt_rd_left(r);
    r->off = r->len;
    return s;
}

static inline int mqtt_version_ok(enum mqtt_version v)
{
    return v == MQTT_V311 || v == MQTT_V5;
}

/*
 * Checks the fixed header at buf[0..len): type and flags for version, then
 * the Remaining Length. Returns the header size (2 to 5) and sets
 * *remaining, or MQTT_ERR_INCOMPLETE, MQTT_ERR_BAD_TYPE,
 * MQTT_ERR_BAD_FLAGS, MQTT_ERR_BAD_LENGTH, MQTT_ERR_ARG (version).
 */
int mqtt_fixed_header_parse(const uint8_t *buf, size_t len,
                            enum mqtt_version version, uint32_t *remaining);

/* 1 if code is a reason (or 3.1.1 return) code type may carry, else 0. */
int mqtt_reason_valid(enum mqtt_type type, enum mqtt_version version,
                      uint8_t code);

/*
 * Validates the property block raw for context ctx (a packet type or
 * MQTT_CTX_WILL): placement, repetition, cross-property rules. Fills *out
 * (raw included). Returns 0 or an MQTT_ERR_* code.
 */
int mqtt_props_validate(struct mqtt_span raw, unsigned ctx,
                        struct mqtt_props *out);

/* Reads Property Length and the block from r, then validates it. */
int mqtt_props_read(struct mqtt_reader *r, unsigned ctx,
                    struct mqtt_props *out);

#endif
