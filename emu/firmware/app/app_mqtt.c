/* MQTT service: one connection's byte stream in, acknowledgements out. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "mqtt/mqtt.h"
#include "mqtt/stream.h"

/* 3.1.1 CONNACK return codes (3.1.1 section 3.2.2.3). */
/* clang-format off */
#define APP_MQTT311_BAD_CREDENTIALS 0x04 /* bad user name or password */
#define APP_MQTT311_NOT_AUTHORIZED  0x05 /* not authorized */
#define APP_MQTT_MAX_ENTRIES        256  /* SUBSCRIBE entries: >= 4 bytes each */
/* clang-format on */

static struct {
    struct mqtt_stream stream;
    uint8_t buf[APP_FRAME_MAX];
    enum mqtt_version version;
    int connected;
} app_mqtt;

void app_mqtt_init(void)
{
    app_mqtt.version = MQTT_V311;
    app_mqtt.connected = 0;
    (void)mqtt_stream_init(&app_mqtt.stream, app_mqtt.buf, sizeof(app_mqtt.buf),
                           MQTT_V311);
}

/* MQTT asks for the connection to be closed on any error: start over. */
static void app_mqtt_close(void)
{
    app_mqtt_init();
}

static int app_mqtt_reply(const struct mqtt_packet *out,
                          struct app_reply *reply)
{
    int n =
        mqtt_encode_packet(out, app_mqtt.version, reply->payload + reply->len,
                           sizeof(reply->payload) - reply->len);

    if (n < 0)
        return n;
    reply->len += (size_t)n;
    return 0;
}

static int app_mqtt_connect(const struct mqtt_packet *in,
                            struct mqtt_packet *out)
{
    const struct mqtt_connect *c = &in->connect;
    int rc = -1;

    app_mqtt.version = in->version;
    (void)mqtt_stream_set_version(&app_mqtt.stream, in->version);
    out->type = MQTT_CONNACK;
    if (c->has_username && c->has_password)
        rc = app_login_check(c->username.ptr, c->username.len, c->password.ptr,
                             c->password.len);
    if (rc == 0) {
        app_mqtt.connected = 1;
        out->reason_code = MQTT_RC_SUCCESS;
    } else if (c->has_username && c->has_password) {
        out->reason_code = in->version == MQTT_V5
                               ? MQTT_RC_BAD_USER_NAME_OR_PASSWORD
                               : APP_MQTT311_BAD_CREDENTIALS;
    } else {
        out->reason_code = in->version == MQTT_V5 ? MQTT_RC_NOT_AUTHORIZED
                                                  : APP_MQTT311_NOT_AUTHORIZED;
    }
    return rc;
}

/* Grants every subscription at QoS 1 at most. */
static int app_mqtt_subscribe(const struct mqtt_packet *in,
                              struct mqtt_packet *out, uint8_t *codes)
{
    struct mqtt_topic_iter it;
    struct mqtt_topic topic;
    size_t n = 0;
    int rc;

    mqtt_topic_iter_init(&it, in);
    while ((rc = mqtt_topic_next(&it, &topic)) == 1) {
        if (n == APP_MQTT_MAX_ENTRIES)
            return MQTT_ERR_TOO_LARGE;
        codes[n++] = topic.qos > 1 ? 1 : topic.qos;
    }
    if (rc < 0)
        return rc;
    out->type = MQTT_SUBACK;
    out->packet_id = in->packet_id;
    out->list.ptr = codes;
    out->list.len = n;
    return 0;
}

/* One decoded packet: the acknowledgement it needs, if any. */
static int app_mqtt_packet(const struct mqtt_packet *in,
                           struct app_reply *reply)
{
    static uint8_t codes[APP_MQTT_MAX_ENTRIES];
    struct mqtt_packet out;
    int rc = 0;

    memset(&out, 0, sizeof(out));
    if (in->type == MQTT_CONNECT) {
        if (app_mqtt_connect(in, &out) != 0) {
            (void)app_mqtt_reply(&out, reply);
            return MQTT_ERR_PROTOCOL;
        }
        return app_mqtt_reply(&out, reply);
    }
    if (!app_mqtt.connected)
        return MQTT_ERR_PROTOCOL;
    switch (in->type) {
    case MQTT_PUBLISH:
        if (in->qos == 0)
            return 0;
        out.type = in->qos == 1 ? MQTT_PUBACK : MQTT_PUBREC;
        out.packet_id = in->packet_id;
        break;
    case MQTT_PUBREL:
        out.type = MQTT_PUBCOMP;
        out.packet_id = in->packet_id;
        break;
    case MQTT_SUBSCRIBE:
        rc = app_mqtt_subscribe(in, &out, codes);
        break;
    case MQTT_UNSUBSCRIBE:
        out.type = MQTT_UNSUBACK;
        out.packet_id = in->packet_id;
        if (app_mqtt.version == MQTT_V5) {
            if (in->list_count > APP_MQTT_MAX_ENTRIES)
                return MQTT_ERR_TOO_LARGE;
            memset(codes, MQTT_RC_SUCCESS, in->list_count);
            out.list.ptr = codes;
            out.list.len = in->list_count;
        }
        break;
    case MQTT_PINGREQ:
        out.type = MQTT_PINGRESP;
        break;
    case MQTT_DISCONNECT:
        app_mqtt_close();
        return 0;
    default: /* server-to-client packets, AUTH: not ours to receive */
        return MQTT_ERR_PROTOCOL;
    }
    if (rc < 0)
        return rc;
    return app_mqtt_reply(&out, reply);
}

int app_mqtt_serve(const uint8_t *data, size_t len, struct app_reply *reply)
{
    while (len > 0) {
        struct mqtt_packet pkt;
        size_t used = 0;
        int rc;

        rc = mqtt_stream_feed(&app_mqtt.stream, data, len, &used, &pkt);
        data += used;
        len -= used;
        if (rc == 0 && used == 0)
            break;
        if (rc == 1)
            rc = app_mqtt_packet(&pkt, reply);
        if (rc < 0) {
            app_mqtt_close();
            return rc;
        }
    }
    return 0;
}
