/* MQTT streaming decoder: bytes in arbitrary chunks, whole packets out. */
#ifndef MQTT_STREAM_H
#define MQTT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt/mqtt.h"

/* Smallest buffer a stream accepts: a whole fixed header must fit. */
#define MQTT_STREAM_MIN_CAP 5u

/*
 * Caller-owned stream state; the fields are private. Packets are gathered
 * in the caller's buffer, so the buffer size is the largest packet the
 * stream accepts.
 *
 * Error handling:
 * - A packet larger than the buffer is rejected with MQTT_ERR_TOO_LARGE as
 *   soon as its fixed header is read; the stream then discards the rest of
 *   that packet (its length is known) and resynchronises on the next one.
 * - A packet that was framed but does not decode is consumed and its
 *   decoder error returned; the stream continues with the next packet.
 * - A bad fixed header (type, flags, Remaining Length) leaves no way to find
 *   the next packet: the stream enters an error state in which every call
 *   returns that error and consumes nothing, until mqtt_stream_reset.
 * MQTT itself asks for the connection to be closed on all of these; the
 * stream only reports and leaves that to the caller.
 */
struct mqtt_stream {
    uint8_t *buf;
    size_t cap;
    size_t have;       /* bytes of the current packet in buf */
    size_t need;       /* its full size once the fixed header is read, else 0 */
    uint32_t skip;     /* bytes of a rejected oversize packet still to drop */
    int error;         /* sticky fixed-header error, or 0 */
    uint8_t delivered; /* buf holds a packet returned by the last call */
    enum mqtt_version version;
};

/*
 * Sets up s on buf[0..cap) for a connection of protocol level version
 * (CONNECT packets carry their own). Returns 0, or MQTT_ERR_ARG (NULL, cap
 * below MQTT_STREAM_MIN_CAP, or version neither MQTT_V311 nor MQTT_V5).
 */
int mqtt_stream_init(struct mqtt_stream *s, uint8_t *buf, size_t cap,
                     enum mqtt_version version);

/*
 * Changes the protocol level for the packets that follow, typically after
 * a CONNECT was decoded. Returns 0 or MQTT_ERR_ARG.
 */
int mqtt_stream_set_version(struct mqtt_stream *s, enum mqtt_version version);

/* Drops any partial packet and the error state; keeps buffer and version. */
void mqtt_stream_reset(struct mqtt_stream *s);

/*
 * Consumes bytes from data[0..len) until a packet is complete, an error
 * occurs, or data is used up; *used tells how many bytes were taken in
 * every case, so the caller resumes at data + *used.
 *
 * Returns 1 when *pkt holds a packet; its spans point into the stream's
 * buffer and stay valid until the next call on s. Returns 0 when all of
 * data was absorbed without completing a packet. Otherwise returns a
 * negative MQTT_ERR_* code as described above struct mqtt_stream, or
 * MQTT_ERR_ARG for NULL arguments (data may be NULL when len is 0).
 */
int mqtt_stream_feed(struct mqtt_stream *s, const uint8_t *data, size_t len,
                     size_t *used, struct mqtt_packet *pkt);

/* Bytes of an unfinished packet held in the buffer. */
size_t mqtt_stream_buffered(const struct mqtt_stream *s);

#endif
