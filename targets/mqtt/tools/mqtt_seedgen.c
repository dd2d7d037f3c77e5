/*
 * Writes the seed corpora of the MQTT fuzz targets with the component's
 * own builder and encoder:
 *
 *   mqtt_seedgen CORPORA_DIR
 *
 * creates CORPORA_DIR/mqtt_packet/seed/<name> (one packet of every type in
 * both versions, byte 0 = version selector, plus three 5.0 long forms the
 * encoder never writes, given as bytes) and
 * CORPORA_DIR/mqtt_stream/seed/<name> (whole sessions and a stream with an
 * oversize packet, bytes 0-1 = stream configuration). Each file is written
 * under a temporary name and renamed. Exit codes: 0 done, 2 usage, 3 a
 * file could not be written, 4 a packet failed to encode (a bug).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mqtt/mqtt.h"
#include "mqtt/props.h"

enum { SEED_OK = 0, SEED_USAGE = 2, SEED_IO = 3, SEED_ENCODE = 4 };

#define SEED_MAX 4096

static const char *out_dir;

static struct mqtt_span str(const char *s)
{
    struct mqtt_span sp;

    sp.ptr = (const uint8_t *)s;
    sp.len = strlen(s);
    return sp;
}

static int write_file(const char *target, const char *name, const uint8_t *buf,
                      size_t len)
{
    char path[1024], tmp[1040];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s/seed", out_dir, target);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mqtt_seedgen: cannot create %s: %s\n", path,
                strerror(errno));
        return SEED_IO;
    }
    snprintf(path, sizeof(path), "%s/%s/seed/%s", out_dir, target, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, "mqtt_seedgen: cannot write %s: %s\n", path,
                strerror(errno));
        return SEED_IO;
    }
    return SEED_OK;
}

/* Property blocks used by the 5.0 packets; built once. */
static uint8_t connect_props[128], will_props[128], connack_props[160],
    publish_props[128], ack_props[64], sub_props[32], auth_props[64],
    disconnect_props[64], user_props[32];
static struct mqtt_builder b_connect, b_will, b_connack, b_publish, b_ack,
    b_sub, b_auth, b_disconnect, b_user;

static int build_props(void)
{
    int rc = 0;

    mqtt_builder_init(&b_connect, connect_props, sizeof(connect_props));
    rc |=
        mqtt_props_add_int(&b_connect, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 3600);
    rc |= mqtt_props_add_int(&b_connect, MQTT_PROP_RECEIVE_MAXIMUM, 20);
    rc |= mqtt_props_add_int(&b_connect, MQTT_PROP_MAXIMUM_PACKET_SIZE, 4096);
    rc |= mqtt_props_add_int(&b_connect, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, 10);
    rc |= mqtt_props_add_int(&b_connect, MQTT_PROP_REQUEST_RESPONSE_INFORMATION,
                             1);
    rc |= mqtt_props_add_int(&b_connect, MQTT_PROP_REQUEST_PROBLEM_INFORMATION,
                             0);
    rc |= mqtt_props_add_user(&b_connect, (const uint8_t *)"region", 6,
                              (const uint8_t *)"eu", 2);
    rc |= mqtt_props_add_data(&b_connect, MQTT_PROP_AUTHENTICATION_METHOD,
                              (const uint8_t *)"SCRAM-SHA-256", 13);
    rc |= mqtt_props_add_data(&b_connect, MQTT_PROP_AUTHENTICATION_DATA,
                              (const uint8_t *)"\x01\x02\x03", 3);

    mqtt_builder_init(&b_will, will_props, sizeof(will_props));
    rc |= mqtt_props_add_int(&b_will, MQTT_PROP_WILL_DELAY_INTERVAL, 30);
    rc |= mqtt_props_add_int(&b_will, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
    rc |= mqtt_props_add_int(&b_will, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 60);
    rc |= mqtt_props_add_data(&b_will, MQTT_PROP_CONTENT_TYPE,
                              (const uint8_t *)"text/plain", 10);
    rc |= mqtt_props_add_data(&b_will, MQTT_PROP_RESPONSE_TOPIC,
                              (const uint8_t *)"dev/1/reply", 11);
    rc |= mqtt_props_add_data(&b_will, MQTT_PROP_CORRELATION_DATA,
                              (const uint8_t *)"\xAB\xCD", 2);
    rc |= mqtt_props_add_user(&b_will, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);

    mqtt_builder_init(&b_connack, connack_props, sizeof(connack_props));
    rc |=
        mqtt_props_add_int(&b_connack, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 600);
    rc |= mqtt_props_add_int(&b_connack, MQTT_PROP_RECEIVE_MAXIMUM, 100);
    rc |= mqtt_props_add_int(&b_connack, MQTT_PROP_MAXIMUM_QOS, 1);
    rc |= mqtt_props_add_int(&b_connack, MQTT_PROP_RETAIN_AVAILABLE, 1);
    rc |= mqtt_props_add_int(&b_connack, MQTT_PROP_MAXIMUM_PACKET_SIZE, 65536);
    rc |= mqtt_props_add_data(&b_connack, MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER,
                              (const uint8_t *)"auto-1", 6);
    rc |= mqtt_props_add_int(&b_connack, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, 5);
    rc |= mqtt_props_add_data(&b_connack, MQTT_PROP_REASON_STRING,
                              (const uint8_t *)"ok", 2);
    rc |= mqtt_props_add_int(&b_connack,
                             MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
    rc |= mqtt_props_add_int(&b_connack,
                             MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
    rc |= mqtt_props_add_int(&b_connack,
                             MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE, 0);
    rc |= mqtt_props_add_int(&b_connack, MQTT_PROP_SERVER_KEEP_ALIVE, 120);
    rc |= mqtt_props_add_data(&b_connack, MQTT_PROP_RESPONSE_INFORMATION,
                              (const uint8_t *)"resp/", 5);
    rc |= mqtt_props_add_data(&b_connack, MQTT_PROP_SERVER_REFERENCE,
                              (const uint8_t *)"b2:1883", 7);
    rc |= mqtt_props_add_data(&b_connack, MQTT_PROP_AUTHENTICATION_METHOD,
                              (const uint8_t *)"SCRAM-SHA-256", 13);
    rc |= mqtt_props_add_data(&b_connack, MQTT_PROP_AUTHENTICATION_DATA,
                              (const uint8_t *)"\x04", 1);
    rc |= mqtt_props_add_user(&b_connack, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);

    mqtt_builder_init(&b_publish, publish_props, sizeof(publish_props));
    rc |= mqtt_props_add_int(&b_publish, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
    rc |= mqtt_props_add_int(&b_publish, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 60);
    rc |= mqtt_props_add_int(&b_publish, MQTT_PROP_TOPIC_ALIAS, 1);
    rc |= mqtt_props_add_data(&b_publish, MQTT_PROP_RESPONSE_TOPIC,
                              (const uint8_t *)"r/t", 3);
    rc |= mqtt_props_add_data(&b_publish, MQTT_PROP_CORRELATION_DATA,
                              (const uint8_t *)"\x00\x01", 2);
    rc |= mqtt_props_add_data(&b_publish, MQTT_PROP_CONTENT_TYPE,
                              (const uint8_t *)"application/json", 16);
    rc |= mqtt_props_add_int(&b_publish, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 7);
    rc |=
        mqtt_props_add_int(&b_publish, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 300);
    rc |= mqtt_props_add_user(&b_publish, (const uint8_t *)"a", 1,
                              (const uint8_t *)"b", 1);
    rc |= mqtt_props_add_user(&b_publish, (const uint8_t *)"a", 1,
                              (const uint8_t *)"c", 1);

    mqtt_builder_init(&b_ack, ack_props, sizeof(ack_props));
    rc |= mqtt_props_add_data(&b_ack, MQTT_PROP_REASON_STRING,
                              (const uint8_t *)"quota", 5);
    rc |= mqtt_props_add_user(&b_ack, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);

    mqtt_builder_init(&b_sub, sub_props, sizeof(sub_props));
    rc |= mqtt_props_add_int(&b_sub, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 7);
    rc |= mqtt_props_add_user(&b_sub, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);

    mqtt_builder_init(&b_auth, auth_props, sizeof(auth_props));
    rc |= mqtt_props_add_data(&b_auth, MQTT_PROP_AUTHENTICATION_METHOD,
                              (const uint8_t *)"SCRAM-SHA-256", 13);
    rc |= mqtt_props_add_data(&b_auth, MQTT_PROP_AUTHENTICATION_DATA,
                              (const uint8_t *)"c=biws,r=abc", 12);
    rc |= mqtt_props_add_data(&b_auth, MQTT_PROP_REASON_STRING,
                              (const uint8_t *)"step", 4);
    rc |= mqtt_props_add_user(&b_auth, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);

    mqtt_builder_init(&b_disconnect, disconnect_props,
                      sizeof(disconnect_props));
    rc |=
        mqtt_props_add_int(&b_disconnect, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 0);
    rc |= mqtt_props_add_data(&b_disconnect, MQTT_PROP_REASON_STRING,
                              (const uint8_t *)"bye", 3);
    rc |= mqtt_props_add_data(&b_disconnect, MQTT_PROP_SERVER_REFERENCE,
                              (const uint8_t *)"b2", 2);
    rc |= mqtt_props_add_user(&b_disconnect, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);

    mqtt_builder_init(&b_user, user_props, sizeof(user_props));
    rc |= mqtt_props_add_user(&b_user, (const uint8_t *)"k", 1,
                              (const uint8_t *)"v", 1);
    return rc;
}

/* List payloads (filled by build_lists). */
static uint8_t sub_list[128], unsub_list[64];
static struct mqtt_builder b_sub_list, b_unsub_list;

static int build_lists(enum mqtt_version v)
{
    int rc = 0;

    mqtt_builder_init(&b_sub_list, sub_list, sizeof(sub_list));
    rc |= mqtt_list_add_subscription(&b_sub_list, (const uint8_t *)"a/b", 3, 1);
    rc |= mqtt_list_add_subscription(&b_sub_list,
                                     (const uint8_t *)"sensors/+/temp", 14, 2);
    rc |= mqtt_list_add_subscription(&b_sub_list, (const uint8_t *)"#", 1, 0);
    if (v == MQTT_V5) {
        /* No Local, Retain As Published, Retain Handling 2; a share. */
        rc |= mqtt_list_add_subscription(&b_sub_list, (const uint8_t *)"cmd/#",
                                         5, 0x2E);
        rc |= mqtt_list_add_subscription(
            &b_sub_list, (const uint8_t *)"$share/grp/jobs/+", 17, 0x11);
    }
    mqtt_builder_init(&b_unsub_list, unsub_list, sizeof(unsub_list));
    rc |= mqtt_list_add_filter(&b_unsub_list, (const uint8_t *)"a/b", 3);
    rc |= mqtt_list_add_filter(&b_unsub_list, (const uint8_t *)"sensors/+/temp",
                               14);
    return rc;
}

#define N_KINDS 22

static uint8_t large_payload[300];

/* Fills *p with packet kind k for version v; returns its file name, or
 * NULL when the kind does not exist in v. */
static const char *make_packet(int k, enum mqtt_version v,
                               struct mqtt_packet *p)
{
    int v5 = v == MQTT_V5;
    static const uint8_t suback_codes[] = {0x01, 0x02, 0x80};
    static const uint8_t suback5_codes[] = {0x01, 0x02, 0x00, 0x8F, 0x9E};
    static const uint8_t unsuback_codes[] = {0x00, 0x11};

    memset(p, 0, sizeof(*p));
    switch (k) {
    case 0:
        p->type = MQTT_CONNECT;
        p->connect.clean_start = 1;
        p->connect.will = 1;
        p->connect.will_qos = 1;
        p->connect.will_retain = 1;
        p->connect.has_username = 1;
        p->connect.has_password = 1;
        p->connect.keep_alive = 60;
        p->connect.client_id = str("sensor-0042");
        p->connect.will_topic = str("dev/42/status");
        p->connect.will_payload = str("offline");
        p->connect.username = str("device");
        p->connect.password = str("s3cr3t");
        if (v5) {
            p->props.raw = mqtt_builder_span(&b_connect);
            p->connect.will_props.raw = mqtt_builder_span(&b_will);
        }
        return "connect_full";
    case 1:
        p->type = MQTT_CONNECT;
        p->connect.clean_start = 1;
        return "connect_min";
    case 2:
        p->type = MQTT_CONNACK;
        p->session_present = 1;
        if (v5)
            p->props.raw = mqtt_builder_span(&b_connack);
        return "connack";
    case 3:
        p->type = MQTT_CONNACK;
        p->reason_code = v5 ? MQTT_RC_BAD_USER_NAME_OR_PASSWORD : 4;
        return "connack_refused";
    case 4:
        p->type = MQTT_PUBLISH;
        p->topic = str("sensors/kitchen/temp");
        p->payload = str("{\"c\":21.5}");
        return "publish_qos0";
    case 5:
        p->type = MQTT_PUBLISH;
        p->qos = 1;
        p->retain = 1;
        p->packet_id = 10;
        p->topic = str("a/b");
        p->payload = str("hello");
        if (v5)
            p->props.raw = mqtt_builder_span(&b_publish);
        return "publish_qos1";
    case 6:
        p->type = MQTT_PUBLISH;
        p->qos = 2;
        p->dup = 1;
        p->packet_id = 0xFFFF;
        p->topic = str("x");
        return "publish_qos2";
    case 7:
        p->type = MQTT_PUBACK;
        p->packet_id = 10;
        if (v5) {
            p->reason_code = MQTT_RC_QUOTA_EXCEEDED;
            p->props.raw = mqtt_builder_span(&b_ack);
        }
        return "puback";
    case 8:
        p->type = MQTT_PUBREC;
        p->packet_id = 11;
        if (v5)
            p->reason_code = MQTT_RC_NO_MATCHING_SUBSCRIBERS;
        return "pubrec";
    case 9:
        p->type = MQTT_PUBREL;
        p->packet_id = 11;
        if (v5)
            p->props.raw = mqtt_builder_span(&b_ack);
        return "pubrel";
    case 10:
        p->type = MQTT_PUBCOMP;
        p->packet_id = 11;
        if (v5)
            p->reason_code = MQTT_RC_PACKET_ID_NOT_FOUND;
        return "pubcomp";
    case 11:
        p->type = MQTT_SUBSCRIBE;
        p->packet_id = 12;
        p->list = mqtt_builder_span(&b_sub_list);
        if (v5)
            p->props.raw = mqtt_builder_span(&b_sub);
        return "subscribe";
    case 12:
        p->type = MQTT_SUBACK;
        p->packet_id = 12;
        p->list.ptr = v5 ? suback5_codes : suback_codes;
        p->list.len = v5 ? sizeof(suback5_codes) : sizeof(suback_codes);
        if (v5)
            p->props.raw = mqtt_builder_span(&b_ack);
        return "suback";
    case 13:
        p->type = MQTT_UNSUBSCRIBE;
        p->packet_id = 13;
        p->list = mqtt_builder_span(&b_unsub_list);
        if (v5)
            p->props.raw = mqtt_builder_span(&b_user);
        return "unsubscribe";
    case 14:
        p->type = MQTT_UNSUBACK;
        p->packet_id = 13;
        if (v5) {
            p->list.ptr = unsuback_codes;
            p->list.len = sizeof(unsuback_codes);
            p->props.raw = mqtt_builder_span(&b_ack);
        }
        return "unsuback";
    case 15:
        p->type = MQTT_PINGREQ;
        return "pingreq";
    case 16:
        p->type = MQTT_PINGRESP;
        return "pingresp";
    case 17:
        p->type = MQTT_DISCONNECT;
        return "disconnect";
    case 18:
        if (!v5)
            return NULL;
        p->type = MQTT_DISCONNECT;
        p->reason_code = MQTT_RC_SERVER_MOVED;
        p->props.raw = mqtt_builder_span(&b_disconnect);
        return "disconnect_props";
    case 19:
        if (!v5)
            return NULL;
        p->type = MQTT_AUTH;
        p->reason_code = MQTT_RC_CONTINUE_AUTHENTICATION;
        p->props.raw = mqtt_builder_span(&b_auth);
        return "auth";
    case 20:
        if (!v5)
            return NULL;
        p->type = MQTT_AUTH;
        return "auth_empty";
    case 21:
        /* A Remaining Length that needs two bytes. */
        memset(large_payload, 'x', sizeof(large_payload));
        p->type = MQTT_PUBLISH;
        p->qos = 1;
        p->packet_id = 99;
        p->topic = str("logs/bulk");
        p->payload.ptr = large_payload;
        p->payload.len = sizeof(large_payload);
        return "publish_large";
    default:
        return NULL;
    }
}

/* Encodes kind k; returns its size, 0 if it does not exist in v, or -1. */
static int encode_kind(int k, enum mqtt_version v, uint8_t *out, size_t cap,
                       const char **name)
{
    struct mqtt_packet p;
    int n;

    if (build_lists(v) != 0)
        return -1;
    *name = make_packet(k, v, &p);
    if (*name == NULL)
        return 0;
    n = mqtt_encode_packet(&p, v, out, cap);
    if (n <= 0) {
        fprintf(stderr, "mqtt_seedgen: %s (level %d) failed to encode: %d\n",
                *name, (int)v, n);
        return -1;
    }
    return n;
}

/*
 * 5.0 lets PUBACK..PUBCOMP and DISCONNECT spell out a zero reason code or
 * an empty property block. The encoder never writes these longer forms,
 * so they are given as bytes (version selector 1 first).
 */
static int write_long_forms(void)
{
    static const uint8_t puback_long[] = {0x01, 0x40, 0x04, 0x00,
                                          0x0A, 0x10, 0x00};
    static const uint8_t pubrel_long[] = {0x01, 0x62, 0x03, 0x00, 0x0A, 0x00};
    static const uint8_t disconnect_long[] = {0x01, 0xE0, 0x02, 0x00, 0x00};
    int rc;

    rc = write_file("mqtt_packet", "v5_puback_long_form", puback_long,
                    sizeof(puback_long));
    if (rc == SEED_OK)
        rc = write_file("mqtt_packet", "v5_pubrel_long_form", pubrel_long,
                        sizeof(pubrel_long));
    if (rc == SEED_OK)
        rc = write_file("mqtt_packet", "v5_disconnect_long_form",
                        disconnect_long, sizeof(disconnect_long));
    return rc;
}

static int write_packets(void)
{
    static const enum mqtt_version versions[] = {MQTT_V311, MQTT_V5};
    uint8_t buf[SEED_MAX];
    size_t vi;
    int k, rc;

    for (vi = 0; vi < 2; vi++) {
        for (k = 0; k < N_KINDS; k++) {
            const char *name;
            char file[64];
            int n =
                encode_kind(k, versions[vi], buf + 1, sizeof(buf) - 1, &name);

            if (n < 0)
                return SEED_ENCODE;
            if (n == 0)
                continue;
            buf[0] = versions[vi] == MQTT_V5 ? 1 : 0;
            snprintf(file, sizeof(file), "%s_%s", vi ? "v5" : "v311", name);
            rc = write_file("mqtt_packet", file, buf, (size_t)n + 1);
            if (rc != SEED_OK)
                return rc;
        }
    }
    return write_long_forms();
}

/* A session: the kinds listed, in order, after two configuration bytes. */
static int write_session(const char *file, uint8_t cfg, uint8_t chunks,
                         enum mqtt_version v, const int *kinds, size_t count)
{
    uint8_t buf[SEED_MAX];
    size_t len = 2, i;

    buf[0] = cfg;
    buf[1] = chunks;
    for (i = 0; i < count; i++) {
        const char *name;
        int n = encode_kind(kinds[i], v, buf + len, sizeof(buf) - len, &name);

        if (n <= 0)
            return SEED_ENCODE;
        len += (size_t)n;
    }
    return write_file("mqtt_stream", file, buf, len);
}

static int write_streams(void)
{
    /* Client and server sides of whole sessions. */
    static const int session[] = {0,  2,  11, 12, 5,  7, 6,  8, 9,
                                  10, 13, 14, 15, 16, 4, 21, 17};
    static const int v5_session[] = {0, 19, 19, 2,  11, 12, 5,  7,  6,
                                     8, 9,  10, 13, 14, 15, 16, 20, 18};
    static const int small[] = {15, 16, 7, 8, 9, 10, 17, 15};
    /* cfg: bit 0 version, bits 1-3 buffer size index (5, 8, 16, 24, 32,
     * 64, 128, 512); chunks: bit 7 fixed size, else random up to n+1. */
    int rc = 0;

    rc = rc ? rc
            : write_session("v311_session_1byte", 0x0E, 0x81, MQTT_V311,
                            session, sizeof(session) / sizeof(session[0]));
    rc = rc ? rc
            : write_session("v311_session_random", 0x0E, 0x1F, MQTT_V311,
                            session, sizeof(session) / sizeof(session[0]));
    /* Starts as 3.1.1; the 5.0 CONNECT switches the stream to 5.0. */
    rc = rc ? rc
            : write_session("v5_session_after_connect", 0x0E, 0x07, MQTT_V5,
                            v5_session,
                            sizeof(v5_session) / sizeof(v5_session[0]));
    rc = rc ? rc
            : write_session("v5_session_chunks13", 0x0F, 0x8D, MQTT_V5,
                            v5_session,
                            sizeof(v5_session) / sizeof(v5_session[0]));
    /* 16-byte buffer: the CONNECTs and big PUBLISHes are oversize. */
    rc = rc ? rc
            : write_session("v5_session_small_buffer", 0x05, 0x03, MQTT_V5,
                            v5_session,
                            sizeof(v5_session) / sizeof(v5_session[0]));
    rc = rc ? rc
            : write_session("v311_acks_min_buffer", 0x00, 0x80, MQTT_V311,
                            small, sizeof(small) / sizeof(small[0]));
    rc = rc ? rc
            : write_session("v5_acks_8_buffer", 0x03, 0x02, MQTT_V5, small,
                            sizeof(small) / sizeof(small[0]));
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: mqtt_seedgen CORPORA_DIR\n");
        return SEED_USAGE;
    }
    out_dir = argv[1];
    if (build_props() != 0) {
        fprintf(stderr, "mqtt_seedgen: building property blocks failed\n");
        return SEED_ENCODE;
    }
    rc = write_packets();
    if (rc == SEED_OK)
        rc = write_streams();
    return rc;
}
