/* MQTT 5.0 properties: iterator over a property block, block builders. */
#ifndef MQTT_PROPS_H
#define MQTT_PROPS_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt/mqtt.h"

/* One property. Which fields mean something follows from type. */
struct mqtt_property {
    enum mqtt_prop_id id;
    enum mqtt_prop_type type;
    uint32_t value;         /* BYTE, U16, U32, VARINT */
    struct mqtt_span data;  /* UTF8, BINARY; PAIR: the name */
    struct mqtt_span data2; /* PAIR: the value */
};

/* Iterator over a property block; fields are private. */
struct mqtt_prop_iter {
    const uint8_t *ptr;
    size_t len;
    size_t off;
};

/* Starts iterating props->raw (the bytes after the Property Length). */
void mqtt_prop_iter_init(struct mqtt_prop_iter *it,
                         const struct mqtt_props *props);

/*
 * Yields the next property, in wire order. Returns 1 and fills *prop, 0 at
 * the end, or MQTT_ERR_MALFORMED (a value runs past the block),
 * MQTT_ERR_BAD_PROPERTY (unknown identifier, or a value the standard
 * forbids, e.g. Receive Maximum 0), MQTT_ERR_BAD_UTF8, MQTT_ERR_BAD_LENGTH
 * (Subscription Identifier not a minimal variable byte int),
 * MQTT_ERR_BAD_TOPIC (Response Topic not a Topic Name). A block accepted by
 * the decoder never fails. After a failure the iterator does not advance.
 * Whether the property is allowed in a given packet, and repetitions, are
 * checked by the decoder, not here.
 */
int mqtt_property_next(struct mqtt_prop_iter *it, struct mqtt_property *prop);

/* Returns the value type of property id, or 0 if 5.0 defines no such id. */
enum mqtt_prop_type mqtt_property_type(uint32_t id);

/*
 * Appends properties (or list entries) to a caller-owned buffer. Each add
 * function writes one complete item or nothing: on failure len is
 * unchanged. The result is what goes into mqtt_props.raw or
 * mqtt_packet.list; the encoder checks the placement rules.
 */
struct mqtt_builder {
    uint8_t *buf;
    size_t cap;
    size_t len;
};

/* Starts an empty block in buf[0..cap). buf may be NULL only if cap is 0. */
void mqtt_builder_init(struct mqtt_builder *b, uint8_t *buf, size_t cap);

/* The bytes written so far, as a span (ptr NULL when nothing was added). */
struct mqtt_span mqtt_builder_span(const struct mqtt_builder *b);

/*
 * Adds an integer property (BYTE, U16, U32 or VARINT type). Returns 0, or
 * MQTT_ERR_ARG (NULL b, id unknown or not an integer type),
 * MQTT_ERR_TOO_LARGE (value does not fit the type), MQTT_ERR_BAD_PROPERTY
 * (a value the standard forbids), MQTT_ERR_NO_SPACE.
 */
int mqtt_props_add_int(struct mqtt_builder *b, enum mqtt_prop_id id,
                       uint32_t value);

/*
 * Adds a UTF-8 string or binary data property. data may be NULL when len
 * is 0. Returns 0, or MQTT_ERR_ARG (NULL, id unknown or of another type),
 * MQTT_ERR_TOO_LARGE (len over 65535), MQTT_ERR_BAD_UTF8,
 * MQTT_ERR_BAD_TOPIC (Response Topic), MQTT_ERR_NO_SPACE.
 */
int mqtt_props_add_data(struct mqtt_builder *b, enum mqtt_prop_id id,
                        const uint8_t *data, size_t len);

/* Adds a User Property; same returns as mqtt_props_add_data. */
int mqtt_props_add_user(struct mqtt_builder *b, const uint8_t *name,
                        size_t name_len, const uint8_t *value,
                        size_t value_len);

/*
 * Adds a SUBSCRIBE entry (Topic Filter and options byte). The filter and
 * options are checked against the version by the encoder. Returns 0,
 * MQTT_ERR_ARG, MQTT_ERR_TOO_LARGE (filter over 65535 bytes) or
 * MQTT_ERR_NO_SPACE.
 */
int mqtt_list_add_subscription(struct mqtt_builder *b, const uint8_t *filter,
                               size_t len, uint8_t options);

/* Adds an UNSUBSCRIBE entry (a Topic Filter); returns as above. */
int mqtt_list_add_filter(struct mqtt_builder *b, const uint8_t *filter,
                         size_t len);

#endif
