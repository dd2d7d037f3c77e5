/* Unit tests: streaming decoder (chunking, oversize, error states). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtt/mqtt.h"
#include "mqtt/stream.h"
#include "mqtt_vectors.h"

#define MAX_STREAM 2048
#define MAX_EVENTS 64

/* What the stream reported: a packet (rc 1) or an error, and where the
 * packet's bytes lie in the input. */
struct event {
    int rc;
    enum mqtt_type type;
    size_t start, end;
};

struct run {
    struct mqtt_stream s;
    uint8_t buf[MAX_STREAM];
    const uint8_t *data;
    size_t len, pos, start;
    struct event ev[MAX_EVENTS];
    size_t n_ev;
};

/* Span a (inside the stream buffer) and b (inside the input) must hold the
 * same bytes at the same offset from their packet's first byte. */
static void assert_same_place(struct mqtt_span a, const uint8_t *abase,
                              struct mqtt_span b, const uint8_t *bbase)
{
    assert_int_equal(a.len, b.len);
    if (a.ptr == NULL || b.ptr == NULL) {
        assert_true(a.ptr == NULL && b.ptr == NULL);
        return;
    }
    assert_int_equal(a.ptr - abase, b.ptr - bbase);
}

static void check_against_oneshot(struct run *r, const struct mqtt_packet *pkt)
{
    const uint8_t *in = r->data + r->start;
    size_t n = r->pos - r->start;
    struct mqtt_packet ref;

    assert_int_equal(mqtt_decode_packet(in, n, r->s.version, &ref), (int)n);
    assert_true(mqtt_test_packets_equal(pkt, &ref));
    assert_same_place(pkt->topic, r->buf, ref.topic, in);
    assert_same_place(pkt->payload, r->buf, ref.payload, in);
    assert_same_place(pkt->list, r->buf, ref.list, in);
    assert_same_place(pkt->props.raw, r->buf, ref.props.raw, in);
    assert_same_place(pkt->connect.password, r->buf, ref.connect.password, in);
}

static void run_init(struct run *r, size_t cap, enum mqtt_version v,
                     const uint8_t *data, size_t len)
{
    memset(r, 0, sizeof(*r));
    assert_true(cap <= sizeof(r->buf));
    assert_int_equal(mqtt_stream_init(&r->s, r->buf, cap, v), 0);
    r->data = data;
    r->len = len;
}

/* Feeds up to n more bytes, looping while the stream takes them. */
static void run_feed(struct run *r, size_t n)
{
    size_t end = r->pos + n;

    assert_true(end <= r->len);
    do {
        struct mqtt_packet pkt;
        size_t used = 12345;
        int rc = mqtt_stream_feed(&r->s, r->data + r->pos, end - r->pos, &used,
                                  &pkt);

        assert_true(used <= end - r->pos);
        r->pos += used;
        if (rc == 0) {
            assert_int_equal(r->pos, end);
            break;
        }
        assert_true(r->n_ev < MAX_EVENTS);
        r->ev[r->n_ev].rc = rc;
        r->ev[r->n_ev].start = r->start;
        r->ev[r->n_ev].end = r->pos;
        if (rc == 1) {
            r->ev[r->n_ev].type = pkt.type;
            check_against_oneshot(r, &pkt);
            r->start = r->pos;
        } else if (rc == MQTT_ERR_TOO_LARGE) {
            /* The rest of the packet is skipped: it ends where its own
             * fixed header says. */
            uint32_t rl;
            int hl = mqtt_varint_decode(r->data + r->start + 1,
                                        r->pos - r->start - 1, &rl);

            assert_int_equal(hl, (int)(r->pos - r->start - 1));
            r->start = r->pos + rl;
        } else {
            r->start = r->pos;
        }
        r->n_ev++;
        if (rc < 0 && used == 0)
            break; /* sticky error */
    } while (r->pos < end);
}

static size_t concat_vectors(enum mqtt_version v, uint8_t *out, size_t cap,
                             size_t *count)
{
    size_t i, n = 0;

    *count = 0;
    for (i = 0; i < mqtt_vector_count; i++) {
        if (mqtt_vectors[i].version != v)
            continue;
        assert_true(n + mqtt_vectors[i].len <= cap);
        memcpy(out + n, mqtt_vectors[i].bytes, mqtt_vectors[i].len);
        n += mqtt_vectors[i].len;
        (*count)++;
    }
    return n;
}

/* The events must be exactly the vectors of version v, in order. */
static void assert_all_vectors(const struct run *r, enum mqtt_version v,
                               size_t count)
{
    size_t i, k = 0, off = 0;

    assert_int_equal(r->n_ev, count);
    for (i = 0; i < mqtt_vector_count; i++) {
        if (mqtt_vectors[i].version != v)
            continue;
        assert_int_equal(r->ev[k].rc, 1);
        assert_int_equal(r->ev[k].type, mqtt_vectors[i].type);
        assert_int_equal(r->ev[k].start, off);
        off += mqtt_vectors[i].len;
        assert_int_equal(r->ev[k].end, off);
        k++;
    }
    assert_int_equal(mqtt_stream_buffered(&r->s), 0);
}

static void test_stream_every_split_point(void **state)
{
    static const enum mqtt_version versions[] = {MQTT_V311, MQTT_V5};
    static uint8_t data[MAX_STREAM];
    static struct run r;
    size_t vi, len, count, k;

    (void)state;
    for (vi = 0; vi < 2; vi++) {
        len = concat_vectors(versions[vi], data, sizeof(data), &count);
        for (k = 0; k <= len; k++) {
            run_init(&r, 64, versions[vi], data, len);
            run_feed(&r, k);
            run_feed(&r, len - k);
            assert_all_vectors(&r, versions[vi], count);
        }
    }
}

static void test_stream_one_byte_at_a_time(void **state)
{
    static uint8_t data[MAX_STREAM];
    static struct run r;
    size_t len, count, i;

    (void)state;
    len = concat_vectors(MQTT_V5, data, sizeof(data), &count);
    run_init(&r, 64, MQTT_V5, data, len);
    for (i = 0; i < len; i++)
        run_feed(&r, 1);
    assert_all_vectors(&r, MQTT_V5, count);
}

/* Chunk sizes from a seeded generator; MQTT_TEST_SEED replays a run. */
static void test_stream_random_chunks(void **state)
{
    static uint8_t data[MAX_STREAM];
    static struct run r;
    const char *env = getenv("MQTT_TEST_SEED");
    unsigned seed =
        env != NULL ? (unsigned)strtoul(env, NULL, 0) : (unsigned)time(NULL);
    size_t len, count;
    int round;

    (void)state;
    print_message("test_stream_random_chunks: seed %u\n", seed);
    srand(seed);
    len = concat_vectors(MQTT_V311, data, sizeof(data), &count);
    for (round = 0; round < 500; round++) {
        run_init(&r, 64, MQTT_V311, data, len);
        while (r.pos < len) {
            size_t n = (size_t)rand() % 24;

            run_feed(&r, n < len - r.pos ? n : len - r.pos);
        }
        assert_all_vectors(&r, MQTT_V311, count);
    }
}

/* A packet bigger than the buffer is refused at its header, skipped, and
 * the packets after it still come out. */
static void test_stream_oversize_resync(void **state)
{
    static uint8_t data[256];
    static struct run r;
    const struct mqtt_vector *big = NULL;
    size_t i, len = 0, pass;

    (void)state;
    for (i = 0; i < mqtt_vector_count; i++) {
        if (strcmp(mqtt_vectors[i].name, "v5_publish_props") == 0)
            big = &mqtt_vectors[i];
    }
    assert_non_null(big);
    memcpy(data, "\xC0\x00", 2);
    memcpy(data + 2, big->bytes, big->len);
    memcpy(data + 2 + big->len, "\x40\x02\x00\x0A", 4);
    len = 2 + big->len + 4;

    for (pass = 0; pass < 2; pass++) {
        run_init(&r, 16, MQTT_V5, data, len);
        if (pass == 0) {
            run_feed(&r, len);
        } else {
            for (i = 0; i < len; i++)
                run_feed(&r, 1);
        }
        assert_int_equal(r.n_ev, 3);
        assert_int_equal(r.ev[0].rc, 1);
        assert_int_equal(r.ev[0].type, MQTT_PINGREQ);
        assert_int_equal(r.ev[1].rc, MQTT_ERR_TOO_LARGE);
        assert_int_equal(r.ev[1].end, 4); /* right after its fixed header */
        assert_int_equal(r.ev[2].rc, 1);
        assert_int_equal(r.ev[2].type, MQTT_PUBACK);
        assert_int_equal(r.ev[2].end, len);
    }
}

/* The buffer size is the largest packet: exactly fits, one byte short. */
static void test_stream_exact_fit(void **state)
{
    static const uint8_t puback[] = {0x40, 0x02, 0x00, 0x0A};
    static const uint8_t pub[] = {0x30, 0x04, 0x00, 0x01, 't', 'x'};
    struct mqtt_stream s;
    struct mqtt_packet pkt;
    uint8_t buf[6];
    size_t used;

    (void)state;
    assert_int_equal(mqtt_stream_init(&s, buf, 6, MQTT_V311), 0);
    assert_int_equal(mqtt_stream_feed(&s, pub, sizeof(pub), &used, &pkt), 1);
    assert_int_equal(used, sizeof(pub));
    assert_int_equal(mqtt_stream_init(&s, buf, 5, MQTT_V311), 0);
    assert_int_equal(mqtt_stream_feed(&s, pub, sizeof(pub), &used, &pkt),
                     MQTT_ERR_TOO_LARGE);
    assert_int_equal(used, 2);
    assert_int_equal(mqtt_stream_feed(&s, pub + 2, 4, &used, &pkt), 0);
    assert_int_equal(used, 4);
    assert_int_equal(mqtt_stream_feed(&s, puback, 4, &used, &pkt), 1);
    assert_int_equal(pkt.packet_id, 10);
}

/* A bad fixed header stops the stream until reset. */
static void test_stream_header_error_is_sticky(void **state)
{
    static const uint8_t data[] = {0xC0, 0x00, 0x00, 0x00, 0xC0, 0x00};
    static const uint8_t long_len[] = {0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    struct mqtt_stream s;
    struct mqtt_packet pkt;
    uint8_t buf[16];
    size_t used;

    (void)state;
    assert_int_equal(mqtt_stream_init(&s, buf, sizeof(buf), MQTT_V311), 0);
    assert_int_equal(mqtt_stream_feed(&s, data, sizeof(data), &used, &pkt), 1);
    assert_int_equal(used, 2);
    assert_int_equal(
        mqtt_stream_feed(&s, data + 2, sizeof(data) - 2, &used, &pkt),
        MQTT_ERR_BAD_TYPE);
    assert_int_equal(used, 1);
    assert_int_equal(mqtt_stream_feed(&s, data + 4, 2, &used, &pkt),
                     MQTT_ERR_BAD_TYPE);
    assert_int_equal(used, 0);
    mqtt_stream_reset(&s);
    assert_int_equal(mqtt_stream_feed(&s, data + 4, 2, &used, &pkt), 1);
    assert_int_equal(pkt.type, MQTT_PINGREQ);

    mqtt_stream_reset(&s);
    assert_int_equal(
        mqtt_stream_feed(&s, long_len, sizeof(long_len), &used, &pkt),
        MQTT_ERR_BAD_LENGTH);
    assert_int_equal(used, 5);
    mqtt_stream_reset(&s);
    assert_int_equal(mqtt_stream_feed(&s, long_len, 1, &used, &pkt), 0);
    assert_int_equal(mqtt_stream_buffered(&s), 1);
}

/* A framed packet that fails to decode is consumed; the next one is fine. */
static void test_stream_body_error_continues(void **state)
{
    static const uint8_t data[] = {0x40, 0x02, 0x00, 0x00, 0xC0, 0x00};
    struct mqtt_stream s;
    struct mqtt_packet pkt;
    uint8_t buf[16];
    size_t used;

    (void)state;
    assert_int_equal(mqtt_stream_init(&s, buf, sizeof(buf), MQTT_V5), 0);
    assert_int_equal(mqtt_stream_feed(&s, data, sizeof(data), &used, &pkt),
                     MQTT_ERR_PACKET_ID);
    assert_int_equal(used, 4);
    assert_int_equal(mqtt_stream_feed(&s, data + 4, 2, &used, &pkt), 1);
    assert_int_equal(pkt.type, MQTT_PINGREQ);
}

/* A server learns the version from CONNECT and sets it for what follows. */
static void test_stream_version_from_connect(void **state)
{
    static uint8_t data[128];
    static const uint8_t auth[] = {0xF0, 0x00};
    const struct mqtt_vector *c = NULL;
    struct mqtt_stream s;
    struct mqtt_packet pkt;
    uint8_t buf[64];
    size_t i, used;

    (void)state;
    for (i = 0; i < mqtt_vector_count; i++) {
        if (strcmp(mqtt_vectors[i].name, "v5_connect") == 0)
            c = &mqtt_vectors[i];
    }
    assert_non_null(c);
    memcpy(data, c->bytes, c->len);
    memcpy(data + c->len, auth, 2);
    assert_int_equal(mqtt_stream_init(&s, buf, sizeof(buf), MQTT_V311), 0);
    assert_int_equal(mqtt_stream_feed(&s, data, c->len + 2, &used, &pkt), 1);
    assert_int_equal(used, c->len);
    assert_int_equal(pkt.version, MQTT_V5);
    assert_int_equal(mqtt_stream_set_version(&s, pkt.version), 0);
    assert_int_equal(mqtt_stream_feed(&s, data + used, 2, &used, &pkt), 1);
    assert_int_equal(pkt.type, MQTT_AUTH);
    assert_int_equal(mqtt_stream_set_version(&s, (enum mqtt_version)6),
                     MQTT_ERR_ARG);
}

static void test_stream_buffered_and_pointers(void **state)
{
    static const uint8_t pub[] = {0x30, 0x05, 0x00, 0x01, 't', 'x', 'y'};
    struct mqtt_stream s;
    struct mqtt_packet pkt;
    uint8_t buf[16];
    size_t used;

    (void)state;
    assert_int_equal(mqtt_stream_init(&s, buf, sizeof(buf), MQTT_V311), 0);
    assert_int_equal(mqtt_stream_buffered(&s), 0);
    assert_int_equal(mqtt_stream_feed(&s, pub, 4, &used, &pkt), 0);
    assert_int_equal(mqtt_stream_buffered(&s), 4);
    assert_int_equal(mqtt_stream_feed(&s, NULL, 0, &used, &pkt), 0);
    assert_int_equal(used, 0);
    assert_int_equal(mqtt_stream_feed(&s, pub + 4, 3, &used, &pkt), 1);
    assert_int_equal(used, 3);
    assert_int_equal(mqtt_stream_buffered(&s), 0);
    /* The packet lives in the stream's buffer, not in the caller's data. */
    assert_ptr_equal(pkt.topic.ptr, buf + 4);
    assert_ptr_equal(pkt.payload.ptr, buf + 5);
    assert_memory_equal(pkt.payload.ptr, "xy", 2);
}

static void test_stream_arguments(void **state)
{
    struct mqtt_stream s;
    struct mqtt_packet pkt;
    uint8_t buf[8];
    size_t used;

    (void)state;
    assert_int_equal(
        mqtt_stream_init(&s, buf, MQTT_STREAM_MIN_CAP - 1, MQTT_V311),
        MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_init(&s, NULL, 8, MQTT_V311), MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_init(NULL, buf, 8, MQTT_V311), MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_init(&s, buf, 8, (enum mqtt_version)3),
                     MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_init(&s, buf, MQTT_STREAM_MIN_CAP, MQTT_V5),
                     0);
    assert_int_equal(mqtt_stream_feed(&s, NULL, 1, &used, &pkt), MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_feed(&s, buf, 1, NULL, &pkt), MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_feed(&s, buf, 1, &used, NULL), MQTT_ERR_ARG);
    assert_int_equal(mqtt_stream_feed(NULL, buf, 1, &used, &pkt), MQTT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_every_split_point),
        cmocka_unit_test(test_stream_one_byte_at_a_time),
        cmocka_unit_test(test_stream_random_chunks),
        cmocka_unit_test(test_stream_oversize_resync),
        cmocka_unit_test(test_stream_exact_fit),
        cmocka_unit_test(test_stream_header_error_is_sticky),
        cmocka_unit_test(test_stream_body_error_continues),
        cmocka_unit_test(test_stream_version_from_connect),
        cmocka_unit_test(test_stream_buffered_and_pointers),
        cmocka_unit_test(test_stream_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
