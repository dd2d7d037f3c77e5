/*
 * Fuzz target: the streaming decoder against the one-shot decoder.
 *
 * Input: byte 0 bit 0 picks the starting version (0: 3.1.1, 1: 5.0) and
 * bits 1-3 the stream buffer size (5 to 512 bytes); byte 1 picks the
 * chunk sizes (bit 7 set: all chunks (byte & 0x7F) bytes, at least 1;
 * clear: pseudo-random sizes from 0 to (byte & 0x3F) + 1); the rest is
 * the byte stream. A CONNECT switches the version, as a server would.
 * Properties checked:
 * - each call consumes at most what it was given, all of it when it
 *   reports nothing, and the total consumed accounts for the input;
 * - every packet yielded is what the one-shot decoder makes of the same
 *   bytes, field for field and at the same offsets;
 * - every error is the one-shot decoder's error for the same bytes; an
 *   oversize packet is refused right after its fixed header and skipped by
 *   the length that header gives; only unframeable headers stop the
 *   stream, and then for good (until reset);
 * - the buffered byte count matches the unfinished packet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/check.h"
#include "fwfuzz/target.h"
#include "mqtt/mqtt.h"
#include "mqtt/stream.h"

static const size_t fz_caps[8] = {5, 8, 16, 24, 32, 64, 128, 512};

static int fz_span_eq(struct mqtt_span a, struct mqtt_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int fz_same_place(struct mqtt_span a, const uint8_t *abase,
                         struct mqtt_span b, const uint8_t *bbase)
{
    if (a.len != b.len || (a.ptr == NULL) != (b.ptr == NULL))
        return 0;
    return a.ptr == NULL || a.ptr - abase == b.ptr - bbase;
}

static int fz_props_same(const struct mqtt_props *a, const uint8_t *abase,
                         const struct mqtt_props *b, const uint8_t *bbase)
{
    return fz_same_place(a->raw, abase, b->raw, bbase) &&
           a->present == b->present &&
           a->user_property_count == b->user_property_count &&
           a->subscription_id_count == b->subscription_id_count &&
           a->subscription_id == b->subscription_id &&
           a->message_expiry_interval == b->message_expiry_interval &&
           a->session_expiry_interval == b->session_expiry_interval &&
           a->will_delay_interval == b->will_delay_interval &&
           a->maximum_packet_size == b->maximum_packet_size &&
           a->server_keep_alive == b->server_keep_alive &&
           a->receive_maximum == b->receive_maximum &&
           a->topic_alias_maximum == b->topic_alias_maximum &&
           a->topic_alias == b->topic_alias &&
           a->payload_format_indicator == b->payload_format_indicator &&
           a->request_problem_information == b->request_problem_information &&
           a->request_response_information == b->request_response_information &&
           a->maximum_qos == b->maximum_qos &&
           a->retain_available == b->retain_available &&
           a->wildcard_subscription_available ==
               b->wildcard_subscription_available &&
           a->subscription_identifier_available ==
               b->subscription_identifier_available &&
           a->shared_subscription_available ==
               b->shared_subscription_available &&
           fz_same_place(a->content_type, abase, b->content_type, bbase) &&
           fz_same_place(a->response_topic, abase, b->response_topic, bbase) &&
           fz_same_place(a->correlation_data, abase, b->correlation_data,
                         bbase) &&
           fz_same_place(a->assigned_client_identifier, abase,
                         b->assigned_client_identifier, bbase) &&
           fz_same_place(a->authentication_method, abase,
                         b->authentication_method, bbase) &&
           fz_same_place(a->authentication_data, abase, b->authentication_data,
                         bbase) &&
           fz_same_place(a->response_information, abase,
                         b->response_information, bbase) &&
           fz_same_place(a->server_reference, abase, b->server_reference,
                         bbase) &&
           fz_same_place(a->reason_string, abase, b->reason_string, bbase);
}

/* Equal fields, with every span at the same offset in its packet. */
static int fz_packets_same(const struct mqtt_packet *a, const uint8_t *abase,
                           const struct mqtt_packet *b, const uint8_t *bbase)
{
    const struct mqtt_connect *ca = &a->connect, *cb = &b->connect;

    return a->type == b->type && a->version == b->version && a->dup == b->dup &&
           a->qos == b->qos && a->retain == b->retain &&
           a->session_present == b->session_present &&
           a->reason_code == b->reason_code && a->packet_id == b->packet_id &&
           fz_props_same(&a->props, abase, &b->props, bbase) &&
           ca->clean_start == cb->clean_start && ca->will == cb->will &&
           ca->will_qos == cb->will_qos && ca->will_retain == cb->will_retain &&
           ca->has_username == cb->has_username &&
           ca->has_password == cb->has_password &&
           ca->keep_alive == cb->keep_alive &&
           fz_same_place(ca->client_id, abase, cb->client_id, bbase) &&
           fz_props_same(&ca->will_props, abase, &cb->will_props, bbase) &&
           fz_same_place(ca->will_topic, abase, cb->will_topic, bbase) &&
           fz_same_place(ca->will_payload, abase, cb->will_payload, bbase) &&
           fz_same_place(ca->username, abase, cb->username, bbase) &&
           fz_same_place(ca->password, abase, cb->password, bbase) &&
           fz_same_place(a->topic, abase, b->topic, bbase) &&
           fz_same_place(a->payload, abase, b->payload, bbase) &&
           fz_same_place(a->list, abase, b->list, bbase) &&
           fz_span_eq(a->list, b->list) && a->list_count == b->list_count;
}

/*
 * Reference framing, written apart from the component: the Remaining
 * Length after the type byte at p[0..n). Returns the size of the whole
 * packet, or 0 if p does not hold a complete, minimal length field.
 */
static uint64_t fz_frame_size(const uint8_t *p, size_t n)
{
    uint64_t rl = 0;
    size_t i;

    for (i = 1; i < n && i <= 4; i++) {
        rl += (uint64_t)(p[i] & 0x7F) << (7 * (i - 1));
        if ((p[i] & 0x80) == 0)
            return (i > 1 && p[i] == 0) ? 0 : 1 + i + rl;
    }
    return 0;
}

struct fz_chunker {
    uint32_t state;
    uint8_t mode;
};

static size_t fz_next_chunk(struct fz_chunker *c)
{
    if (c->mode & 0x80)
        return (c->mode & 0x7F) ? (size_t)(c->mode & 0x7F) : 1;
    c->state = c->state * 1103515245u + 12345u;
    return (size_t)((c->state >> 16) % ((c->mode & 0x3Fu) + 2u));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mqtt_stream s;
    struct mqtt_packet pkt, ref;
    struct fz_chunker chunker;
    enum mqtt_version version;
    const uint8_t *in;
    uint8_t *buf;
    size_t n, cap, pos = 0, start = 0, used;
    int rc, ref_rc, stopped = 0;

    if (size < 2)
        return 0;
    version = (data[0] & 1) ? MQTT_V5 : MQTT_V311;
    cap = fz_caps[(data[0] >> 1) & 7];
    chunker.mode = data[1];
    chunker.state = data[1];
    in = data + 2;
    n = size - 2;

    buf = malloc(cap);
    if (buf == NULL)
        return 0;
    FWFUZZ_CHECK(mqtt_stream_init(&s, buf, cap, version) == 0,
                 "stream init failed");

    while (pos < n && !stopped) {
        size_t want = fz_next_chunk(&chunker);

        if (want > n - pos)
            want = n - pos;
        used = (size_t)-1;
        rc = mqtt_stream_feed(&s, in + pos, want, &used, &pkt);
        FWFUZZ_CHECK(used <= want, "stream consumed more than it was given");
        FWFUZZ_CHECK(rc != 0 || used == want,
                     "stream returned early without a packet or an error");
        pos += used;
        if (rc == 0)
            continue;

        if (rc == 1) {
            ref_rc = mqtt_decode_packet(in + start, pos - start, version, &ref);
            FWFUZZ_CHECK(ref_rc > 0 && (size_t)ref_rc == pos - start,
                         "packet framed differently by the one-shot decoder");
            FWFUZZ_CHECK(fz_packets_same(&pkt, buf, &ref, in + start),
                         "stream packet differs from the one-shot packet");
            FWFUZZ_CHECK(mqtt_stream_buffered(&s) == 0,
                         "bytes left buffered after a packet");
            if (pkt.type == MQTT_CONNECT) {
                version = pkt.version;
                FWFUZZ_CHECK(mqtt_stream_set_version(&s, version) == 0,
                             "set_version failed");
            }
            start = pos;
        } else if (rc == MQTT_ERR_TOO_LARGE) {
            uint64_t total = fz_frame_size(in + start, pos - start);

            FWFUZZ_CHECK(total > cap && pos - start >= 2 &&
                             fz_frame_size(in + start, pos - start - 1) == 0,
                         "oversize packet not refused at its fixed header");
            start += (size_t)total;
        } else {
            uint64_t total = fz_frame_size(in + start, pos - start);
            size_t again;

            FWFUZZ_CHECK(rc < 0 && rc != MQTT_ERR_INCOMPLETE &&
                             rc != MQTT_ERR_NO_SPACE && rc != MQTT_ERR_ARG,
                         "stream returned an unexpected code");
            ref_rc = mqtt_decode_packet(in + start, pos - start, version, &ref);
            FWFUZZ_CHECK(ref_rc == rc,
                         "stream error differs from the one-shot error");
            /* Framed packets are consumed whole and the stream goes on;
             * an unframeable header stops it. */
            rc = mqtt_stream_feed(&s, in + pos, 0, &again, &pkt);
            if (total == pos - start) {
                FWFUZZ_CHECK(rc == 0, "stream stopped after a framed error");
                start = pos;
            } else {
                FWFUZZ_CHECK(rc == ref_rc && again == 0 &&
                                 mqtt_stream_feed(&s, in + pos, n - pos, &again,
                                                  &pkt) == ref_rc &&
                                 again == 0,
                             "header error did not stop the stream");
                stopped = 1;
            }
        }
    }

    FWFUZZ_CHECK(stopped || pos == n, "input not accounted for");
    if (!stopped) {
        size_t pending = start < n ? n - start : 0;

        FWFUZZ_CHECK(mqtt_stream_buffered(&s) == pending,
                     "buffered bytes differ from the unfinished packet");
        if (pending > 0) {
            FWFUZZ_CHECK(mqtt_decode_packet(in + start, pending, version,
                                            &ref) == MQTT_ERR_INCOMPLETE,
                         "unfinished packet is complete for the one-shot");
        }
        mqtt_stream_reset(&s);
        FWFUZZ_CHECK(mqtt_stream_buffered(&s) == 0, "reset kept bytes");
    }
    free(buf);
    return 0;
}
