/*
 * Fuzz target: one MQTT packet through the one-shot decoder and back.
 *
 * Input: byte 0 bit 0 picks the version (0: 3.1.1, 1: 5.0), bits 1-7 pick
 * a prefix length to re-check; the rest is the packet. Properties checked:
 * - the decoder returns a known code, or a length within the input;
 * - every span of the packet, of each property and of each topic entry
 *   lies inside the bytes the decoder consumed;
 * - the convenience fields agree with iterating the property block;
 * - every UTF-8 string, Topic Name and Topic Filter accepted passes a
 *   reference check written here, apart from the component;
 * - every strict prefix tried is "incomplete", never accepted;
 * - encoding the decoded packet succeeds within the consumed size, gives
 *   exactly the input bytes when the input was in canonical form (else the
 *   shortest form, a prefix-preserving shortening of the input), decodes
 *   to an equal packet, and re-encodes to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/check.h"
#include "fwfuzz/target.h"
#include "mqtt/mqtt.h"
#include "mqtt/props.h"

static int fz_inside(struct mqtt_span s, const uint8_t *base, size_t len)
{
    uintptr_t p = (uintptr_t)s.ptr, b = (uintptr_t)base;

    if (s.ptr == NULL)
        return s.len == 0;
    return p >= b && p - b <= len && s.len <= len - (p - b);
}

static int fz_span_eq(struct mqtt_span a, struct mqtt_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Same bytes at the same offset from the start of their packet. */
static int fz_same_place(struct mqtt_span a, const uint8_t *abase,
                         struct mqtt_span b, const uint8_t *bbase)
{
    if (a.len != b.len)
        return 0;
    if (a.len == 0)
        return 1;
    return a.ptr - abase == b.ptr - bbase;
}

/*
 * Reference checks written apart from the component: what it accepts as
 * UTF-8, Topic Name or Topic Filter must pass these too.
 */
static int fz_utf8_ok(struct mqtt_span s)
{
    size_t i = 0, k, n;
    uint32_t cp, min;

    while (i < s.len) {
        uint8_t c = s.ptr[i];

        if (c < 0x80) {
            if (c == 0)
                return 0;
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1Fu;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0Fu;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07u;
            min = 0x10000;
        } else {
            return 0;
        }
        if (s.len - i - 1 < n)
            return 0;
        for (k = 1; k <= n; k++) {
            if ((s.ptr[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s.ptr[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

static int fz_name_ok(struct mqtt_span s)
{
    return s.len > 0 && fz_utf8_ok(s) && memchr(s.ptr, '+', s.len) == NULL &&
           memchr(s.ptr, '#', s.len) == NULL;
}

static int fz_filter_ok(struct mqtt_span s, enum mqtt_version v)
{
    size_t i, start = 0;

    if (s.len == 0 || !fz_utf8_ok(s))
        return 0;
    if (v == MQTT_V5 && s.len >= 7 && memcmp(s.ptr, "$share/", 7) == 0) {
        const uint8_t *slash = memchr(s.ptr + 7, '/', s.len - 7);
        size_t name_len;

        if (slash == NULL)
            return 0;
        name_len = (size_t)(slash - (s.ptr + 7));
        if (name_len == 0 || memchr(s.ptr + 7, '+', name_len) != NULL ||
            memchr(s.ptr + 7, '#', name_len) != NULL)
            return 0;
        s.len -= 8 + name_len;
        s.ptr = slash + 1;
        if (s.len == 0)
            return 0;
    }
    /* Level by level: a wildcard is the whole level, '#' the last one. */
    for (i = 0; i <= s.len; i++) {
        if (i == s.len || s.ptr[i] == '/') {
            size_t n = i - start;
            int plus = memchr(s.ptr + start, '+', n) != NULL;
            int hash = memchr(s.ptr + start, '#', n) != NULL;

            if ((plus || hash) && n != 1)
                return 0;
            if (hash && i != s.len)
                return 0;
            start = i + 1;
        }
    }
    return 1;
}

/* The numeric convenience field for a single-valued property. */
static uint32_t fz_prop_field(const struct mqtt_props *p, unsigned id)
{
    switch (id) {
    case MQTT_PROP_PAYLOAD_FORMAT_INDICATOR:
        return p->payload_format_indicator;
    case MQTT_PROP_MESSAGE_EXPIRY_INTERVAL:
        return p->message_expiry_interval;
    case MQTT_PROP_SESSION_EXPIRY_INTERVAL:
        return p->session_expiry_interval;
    case MQTT_PROP_SERVER_KEEP_ALIVE:
        return p->server_keep_alive;
    case MQTT_PROP_REQUEST_PROBLEM_INFORMATION:
        return p->request_problem_information;
    case MQTT_PROP_WILL_DELAY_INTERVAL:
        return p->will_delay_interval;
    case MQTT_PROP_REQUEST_RESPONSE_INFORMATION:
        return p->request_response_information;
    case MQTT_PROP_RECEIVE_MAXIMUM:
        return p->receive_maximum;
    case MQTT_PROP_TOPIC_ALIAS_MAXIMUM:
        return p->topic_alias_maximum;
    case MQTT_PROP_TOPIC_ALIAS:
        return p->topic_alias;
    case MQTT_PROP_MAXIMUM_QOS:
        return p->maximum_qos;
    case MQTT_PROP_RETAIN_AVAILABLE:
        return p->retain_available;
    case MQTT_PROP_MAXIMUM_PACKET_SIZE:
        return p->maximum_packet_size;
    case MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE:
        return p->wildcard_subscription_available;
    case MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE:
        return p->subscription_identifier_available;
    case MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE:
        return p->shared_subscription_available;
    default:
        return 0;
    }
}

/* The span convenience field for a single-valued string/binary property. */
static struct mqtt_span fz_prop_span(const struct mqtt_props *p, unsigned id)
{
    struct mqtt_span none = {NULL, 0};

    switch (id) {
    case MQTT_PROP_CONTENT_TYPE:
        return p->content_type;
    case MQTT_PROP_RESPONSE_TOPIC:
        return p->response_topic;
    case MQTT_PROP_CORRELATION_DATA:
        return p->correlation_data;
    case MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER:
        return p->assigned_client_identifier;
    case MQTT_PROP_AUTHENTICATION_METHOD:
        return p->authentication_method;
    case MQTT_PROP_AUTHENTICATION_DATA:
        return p->authentication_data;
    case MQTT_PROP_RESPONSE_INFORMATION:
        return p->response_information;
    case MQTT_PROP_SERVER_REFERENCE:
        return p->server_reference;
    case MQTT_PROP_REASON_STRING:
        return p->reason_string;
    default:
        return none;
    }
}

/* Walks a validated block: every property inside it and matching the
 * convenience fields the decoder filled. */
static void fz_check_props(const struct mqtt_props *props, const uint8_t *in,
                           size_t consumed)
{
    struct mqtt_prop_iter it;
    struct mqtt_property p;
    uint64_t present = 0;
    uint32_t users = 0, subids = 0, first_subid = 0;
    int rc;

    FWFUZZ_CHECK(fz_inside(props->raw, in, consumed),
                 "property block outside the packet");
    mqtt_prop_iter_init(&it, props);
    while ((rc = mqtt_property_next(&it, &p)) == 1) {
        if (p.type == MQTT_PROP_TYPE_UTF8 || p.type == MQTT_PROP_TYPE_PAIR)
            FWFUZZ_CHECK(fz_utf8_ok(p.data) && (p.type != MQTT_PROP_TYPE_PAIR ||
                                                fz_utf8_ok(p.data2)),
                         "ill-formed UTF-8 accepted in a property");
        if (p.id == MQTT_PROP_RESPONSE_TOPIC)
            FWFUZZ_CHECK(fz_name_ok(p.data), "bad Response Topic accepted");
        FWFUZZ_CHECK(fz_inside(p.data, props->raw.ptr, props->raw.len) &&
                         fz_inside(p.data2, props->raw.ptr, props->raw.len),
                     "property value outside its block");
        FWFUZZ_CHECK(p.type == mqtt_property_type(p.id),
                     "property type differs from the table");
        present |= (uint64_t)1 << p.id;
        if (p.id == MQTT_PROP_USER_PROPERTY) {
            users++;
        } else if (p.id == MQTT_PROP_SUBSCRIPTION_IDENTIFIER) {
            if (subids++ == 0)
                first_subid = p.value;
        } else if (p.type == MQTT_PROP_TYPE_UTF8 ||
                   p.type == MQTT_PROP_TYPE_BINARY) {
            struct mqtt_span f = fz_prop_span(props, p.id);

            FWFUZZ_CHECK(f.ptr == p.data.ptr && f.len == p.data.len,
                         "string property field differs from iteration");
        } else {
            FWFUZZ_CHECK(fz_prop_field(props, p.id) == p.value,
                         "numeric property field differs from iteration");
        }
    }
    FWFUZZ_CHECK(rc == 0, "iterating an accepted property block failed");
    FWFUZZ_CHECK(present == props->present, "presence mask differs");
    FWFUZZ_CHECK(users == props->user_property_count &&
                     subids == props->subscription_id_count &&
                     first_subid == props->subscription_id,
                 "repeated-property counts differ");
}

static void fz_check_inside(const struct mqtt_packet *p, const uint8_t *in,
                            size_t n)
{
    const struct mqtt_connect *c = &p->connect;

    FWFUZZ_CHECK(
        fz_inside(p->topic, in, n) && fz_inside(p->payload, in, n) &&
            fz_inside(p->list, in, n) && fz_inside(c->client_id, in, n) &&
            fz_inside(c->will_topic, in, n) &&
            fz_inside(c->will_payload, in, n) &&
            fz_inside(c->username, in, n) && fz_inside(c->password, in, n),
        "span outside the packet");
    fz_check_props(&p->props, in, n);
    fz_check_props(&c->will_props, in, n);
}

static void fz_check_fields(const struct mqtt_packet *p)
{
    struct mqtt_topic_iter it;
    struct mqtt_topic t;
    size_t count = 0;
    int rc;

    FWFUZZ_CHECK(p->qos <= 2 && p->dup <= 1 && p->retain <= 1 &&
                     !(p->dup && p->qos == 0),
                 "PUBLISH flags out of range");
    FWFUZZ_CHECK(p->version == MQTT_V5 || (p->props.raw.len == 0 &&
                                           p->connect.will_props.raw.len == 0),
                 "3.1.1 packet with properties");
    if ((p->type == MQTT_PUBLISH && p->qos > 0) ||
        (p->type >= MQTT_PUBACK && p->type <= MQTT_UNSUBACK))
        FWFUZZ_CHECK(p->packet_id != 0, "packet identifier 0 accepted");
    if (p->type == MQTT_CONNECT) {
        FWFUZZ_CHECK(
            fz_utf8_ok(p->connect.client_id) &&
                (!p->connect.will || fz_name_ok(p->connect.will_topic)) &&
                fz_utf8_ok(p->connect.username),
            "bad CONNECT string accepted");
    } else if (p->type == MQTT_PUBLISH) {
        FWFUZZ_CHECK(fz_name_ok(p->topic) ||
                         (p->topic.len == 0 && p->version == MQTT_V5 &&
                          MQTT_PROP_PRESENT(&p->props, MQTT_PROP_TOPIC_ALIAS)),
                     "bad Topic Name accepted");
    }
    if (p->type == MQTT_SUBSCRIBE || p->type == MQTT_UNSUBSCRIBE) {
        mqtt_topic_iter_init(&it, p);
        while ((rc = mqtt_topic_next(&it, &t)) == 1) {
            FWFUZZ_CHECK(fz_filter_ok(t.filter, p->version),
                         "bad Topic Filter accepted");
            FWFUZZ_CHECK(fz_inside(t.filter, p->list.ptr, p->list.len),
                         "topic filter outside the list");
            FWFUZZ_CHECK(t.filter.len > 0 && t.qos <= 2 &&
                             t.qos == (t.options & 3) && t.retain_handling <= 2,
                         "topic entry out of range");
            count++;
        }
        FWFUZZ_CHECK(rc == 0, "iterating an accepted topic list failed");
        FWFUZZ_CHECK(count == p->list_count && count > 0,
                     "topic count differs");
    } else if (p->type == MQTT_SUBACK || p->type == MQTT_UNSUBACK) {
        FWFUZZ_CHECK(p->list_count == p->list.len, "reason code count");
    }
}

static int fz_packets_equal(const struct mqtt_packet *a,
                            const struct mqtt_packet *b)
{
    const struct mqtt_props *pa = &a->props, *pb = &b->props;
    const struct mqtt_connect *ca = &a->connect, *cb = &b->connect;
    const struct mqtt_props *wa = &ca->will_props, *wb = &cb->will_props;
    unsigned id;

    for (id = 0; id <= MQTT_PROP_ID_MAX; id++) {
        if (fz_prop_field(pa, id) != fz_prop_field(pb, id) ||
            fz_prop_field(wa, id) != fz_prop_field(wb, id) ||
            !fz_span_eq(fz_prop_span(pa, id), fz_prop_span(pb, id)) ||
            !fz_span_eq(fz_prop_span(wa, id), fz_prop_span(wb, id)))
            return 0;
    }
    return a->type == b->type && a->version == b->version && a->dup == b->dup &&
           a->qos == b->qos && a->retain == b->retain &&
           a->session_present == b->session_present &&
           a->reason_code == b->reason_code && a->packet_id == b->packet_id &&
           fz_span_eq(pa->raw, pb->raw) && pa->present == pb->present &&
           pa->user_property_count == pb->user_property_count &&
           pa->subscription_id_count == pb->subscription_id_count &&
           pa->subscription_id == pb->subscription_id &&
           fz_span_eq(wa->raw, wb->raw) && wa->present == wb->present &&
           wa->user_property_count == wb->user_property_count &&
           ca->clean_start == cb->clean_start && ca->will == cb->will &&
           ca->will_qos == cb->will_qos && ca->will_retain == cb->will_retain &&
           ca->has_username == cb->has_username &&
           ca->has_password == cb->has_password &&
           ca->keep_alive == cb->keep_alive &&
           fz_span_eq(ca->client_id, cb->client_id) &&
           fz_span_eq(ca->will_topic, cb->will_topic) &&
           fz_span_eq(ca->will_payload, cb->will_payload) &&
           fz_span_eq(ca->username, cb->username) &&
           fz_span_eq(ca->password, cb->password) &&
           fz_span_eq(a->topic, b->topic) &&
           fz_span_eq(a->payload, b->payload) && fz_span_eq(a->list, b->list) &&
           a->list_count == b->list_count;
}

static int fz_places_equal(const struct mqtt_packet *a, const uint8_t *abase,
                           const struct mqtt_packet *b, const uint8_t *bbase)
{
    return fz_same_place(a->topic, abase, b->topic, bbase) &&
           fz_same_place(a->payload, abase, b->payload, bbase) &&
           fz_same_place(a->list, abase, b->list, bbase) &&
           fz_same_place(a->props.raw, abase, b->props.raw, bbase) &&
           fz_same_place(a->connect.client_id, abase, b->connect.client_id,
                         bbase) &&
           fz_same_place(a->connect.will_props.raw, abase,
                         b->connect.will_props.raw, bbase) &&
           fz_same_place(a->connect.password, abase, b->connect.password,
                         bbase);
}

/*
 * Size of the body tail 5.0 lets a sender spell out at length: after the
 * packet identifier for PUBACK..PUBCOMP, the whole body for DISCONNECT and
 * AUTH. The shortest form omits a zero reason code and an empty property
 * block. Returns the shortest tail size, or -1 when the form is fixed.
 */
static long fz_min_tail(const struct mqtt_packet *p)
{
    if (p->version != MQTT_V5 || p->props.raw.len != 0)
        return -1;
    if ((p->type >= MQTT_PUBACK && p->type <= MQTT_PUBCOMP) ||
        p->type == MQTT_DISCONNECT || p->type == MQTT_AUTH)
        return p->reason_code != 0 ? 1 : 0;
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mqtt_packet p1, p2, p3;
    enum mqtt_version v;
    const uint8_t *in;
    uint8_t *out = NULL, *out2 = NULL;
    size_t n, consumed, cut;
    int rc, enc, rc2;
    long min_tail, tail;

    if (size < 1)
        return 0;
    v = (data[0] & 1) ? MQTT_V5 : MQTT_V311;
    in = data + 1;
    n = size - 1;

    rc = mqtt_decode_packet(in, n, v, &p1);
    FWFUZZ_CHECK(
        rc == MQTT_ERR_INCOMPLETE ||
            (rc < 0 && rc > MQTT_ERR_TOO_LARGE && rc != MQTT_ERR_ARG) ||
            (rc > 0 && (size_t)rc <= n),
        "decoder returned an unexpected code");
    if (rc <= 0)
        return 0;
    consumed = (size_t)rc;

    fz_check_inside(&p1, in, consumed);
    fz_check_fields(&p1);

    /* Strict prefixes are incomplete, never a packet or another error. */
    cut = (size_t)(data[0] >> 1) % consumed;
    FWFUZZ_CHECK(mqtt_decode_packet(in, consumed - 1, v, &p2) ==
                         MQTT_ERR_INCOMPLETE &&
                     mqtt_decode_packet(in, cut, v, &p2) == MQTT_ERR_INCOMPLETE,
                 "prefix of a valid packet not reported incomplete");

    /* Exactly sized buffers let ASan see any write past the end. */
    out = malloc(consumed);
    if (out == NULL)
        goto out;
    enc = mqtt_encode_packet(&p1, p1.version, out, consumed);
    FWFUZZ_CHECK(enc > 0 && (size_t)enc <= consumed,
                 "decoded packet does not re-encode within its size");
    FWFUZZ_CHECK(mqtt_encode_packet(&p1, p1.version, NULL, 0) == enc,
                 "size query differs from the encoding");
    FWFUZZ_CHECK(mqtt_encode_packet(&p1, p1.version, out, (size_t)enc - 1) ==
                     MQTT_ERR_NO_SPACE,
                 "short output buffer not refused");
    FWFUZZ_CHECK(mqtt_encode_packet(&p1, p1.version, out, consumed) == enc,
                 "encoder not deterministic");

    /* With no properties these packets are short, so in[1] is their whole
     * Remaining Length; the tail follows the packet identifier, if any. */
    min_tail = fz_min_tail(&p1);
    tail = min_tail < 0 ? -1
           : p1.type == MQTT_DISCONNECT || p1.type == MQTT_AUTH
               ? (long)in[1]
               : (long)in[1] - 2;
    if (min_tail == tail) {
        /* Canonical input: byte for byte. */
        FWFUZZ_CHECK((size_t)enc == consumed && memcmp(out, in, consumed) == 0,
                     "canonical packet re-encoded differently");
    } else {
        /* A longer 5.0 form (Remaining Length below 128 here): the
         * shortest form keeps the type byte and the head of the body. */
        FWFUZZ_CHECK((size_t)enc < consumed && out[0] == in[0] &&
                         out[1] == (size_t)enc - 2 &&
                         memcmp(out + 2, in + 2, (size_t)enc - 2) == 0,
                     "long form not shortened as expected");
    }

    rc2 = mqtt_decode_packet(out, (size_t)enc, p1.version, &p2);
    FWFUZZ_CHECK(rc2 == enc, "re-encoded packet does not decode");
    FWFUZZ_CHECK(fz_packets_equal(&p1, &p2),
                 "decode(encode(decode(x))) differs from decode(x)");
    if ((size_t)enc == consumed)
        FWFUZZ_CHECK(fz_places_equal(&p1, in, &p2, out),
                     "fields moved in a byte-identical re-encoding");

    out2 = malloc((size_t)enc);
    if (out2 == NULL)
        goto out;
    FWFUZZ_CHECK(mqtt_encode_packet(&p2, p2.version, out2, (size_t)enc) ==
                         enc &&
                     memcmp(out, out2, (size_t)enc) == 0,
                 "encoding is not a fixpoint");
    FWFUZZ_CHECK(mqtt_decode_packet(out2, (size_t)enc, p1.version, &p3) ==
                         enc &&
                     fz_packets_equal(&p2, &p3),
                 "second round trip differs");
out:
    free(out);
    free(out2);
    return 0;
}
