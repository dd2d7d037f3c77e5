/* Hand-assembled MQTT packets shared by the unit tests. */
#ifndef MQTT_VECTORS_H
#define MQTT_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt/mqtt.h"

/*
 * One valid packet. canonical is 1 when the encoder must reproduce the
 * bytes exactly, 0 when the packet uses a longer form the standard allows
 * (5.0 reason code or property length spelled out) and re-encodes shorter.
 */
struct mqtt_vector {
    const char *name;
    enum mqtt_version version;
    enum mqtt_type type;
    const uint8_t *bytes;
    size_t len;
    int canonical;
};

extern const struct mqtt_vector mqtt_vectors[];
extern const size_t mqtt_vector_count;

/* 1 if a and b hold equal fields; spans are compared by content. */
int mqtt_test_packets_equal(const struct mqtt_packet *a,
                            const struct mqtt_packet *b);

#endif
