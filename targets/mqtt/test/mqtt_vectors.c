/* Hand-assembled MQTT packets: every type in both versions. */
#include <string.h>

#include "mqtt_vectors.h"

/* ---- MQTT 3.1.1 ---- */

/* Variable header is the 3.1.1 section 3.1.2.11 example (figure 3.6):
 * level 4, flags 0xCE (user name, password, will QoS 1, will, clean),
 * keep alive 10. */
static const uint8_t v311_connect[] = {
    0x10, 0x23,                       /* CONNECT, remaining 35 */
    0x00, 0x04, 'M',  'Q',  'T', 'T', /* protocol name */
    0x04, 0xCE, 0x00, 0x0A,           /* level, flags, keep alive */
    0x00, 0x03, 'c',  'i',  'd',      /* client id */
    0x00, 0x03, 'w',  '/',  't',      /* will topic */
    0x00, 0x03, 'b',  'y',  'e',      /* will message */
    0x00, 0x04, 'u',  's',  'e', 'r', /* user name */
    0x00, 0x02, 'p',  'w',            /* password */
};

static const uint8_t v311_connect_min[] = {
    0x10, 0x0C,                       /* CONNECT, remaining 12 */
    0x00, 0x04, 'M',  'Q',  'T', 'T', /* protocol name */
    0x04, 0x02, 0x00, 0x00,           /* level, clean, keep alive 0 */
    0x00, 0x00,                       /* empty client id */
};

static const uint8_t v311_connack[] = {
    0x20, 0x02, 0x01, 0x00, /* session present, accepted */
};

static const uint8_t v311_connack_refused[] = {
    0x20, 0x02, 0x00, 0x05, /* not authorized */
};

/* Variable header is the 3.1.1 section 3.3.2.3 example (figure 3.11):
 * topic "a/b", packet identifier 10. */
static const uint8_t v311_publish_qos1[] = {
    0x32, 0x0A,                /* PUBLISH QoS 1, remaining 10 */
    0x00, 0x03, 'a', '/', 'b', /* topic */
    0x00, 0x0A,                /* packet id */
    'h',  'i',  '!',           /* payload */
};

static const uint8_t v311_publish_qos0[] = {
    0x31, 0x07,                /* PUBLISH QoS 0 retain */
    0x00, 0x03, 'a', '/', 'b', /* topic */
    'o',  'k',                 /* payload */
};

static const uint8_t v311_publish_qos2[] = {
    0x3D, 0x05,      /* PUBLISH DUP QoS 2 retain */
    0x00, 0x01, 'x', /* topic */
    0x00, 0x07,      /* packet id, empty payload */
};

static const uint8_t v311_puback[] = {0x40, 0x02, 0x00, 0x0A};
static const uint8_t v311_pubrec[] = {0x50, 0x02, 0x00, 0x0A};
static const uint8_t v311_pubrel[] = {0x62, 0x02, 0x00, 0x0A};
static const uint8_t v311_pubcomp[] = {0x70, 0x02, 0x00, 0x0A};

/* Variable header and payload are the 3.1.1 sections 3.8.2.1 and 3.8.3.1
 * examples (figures 3.21 and 3.23). */
static const uint8_t v311_subscribe[] = {
    0x82, 0x0E,                      /* SUBSCRIBE, remaining 14 */
    0x00, 0x0A,                      /* packet id */
    0x00, 0x03, 'a', '/', 'b', 0x01, /* "a/b" QoS 1 */
    0x00, 0x03, 'c', '/', 'd', 0x02, /* "c/d" QoS 2 */
};

/* Payload is the 3.1.1 section 3.9.3.1 example (figure 3.27). */
static const uint8_t v311_suback[] = {
    0x90, 0x05, 0x00, 0x0A, /* SUBACK, packet id */
    0x00, 0x02, 0x80,       /* QoS 0, QoS 2, failure */
};

/* Payload is the 3.1.1 section 3.10.3 example (figure 3.30). */
static const uint8_t v311_unsubscribe[] = {
    0xA2, 0x0C, 0x00, 0x0A,      /* UNSUBSCRIBE, packet id */
    0x00, 0x03, 'a',  '/',  'b', /* "a/b" */
    0x00, 0x03, 'c',  '/',  'd', /* "c/d" */
};

static const uint8_t v311_unsuback[] = {0xB0, 0x02, 0x00, 0x0A};
static const uint8_t v311_pingreq[] = {0xC0, 0x00};
static const uint8_t v311_pingresp[] = {0xD0, 0x00};
static const uint8_t v311_disconnect[] = {0xE0, 0x00};

/* ---- MQTT 5.0 ---- */

/* Variable header is the 5.0 section 3.1.2.12 example:
 * level 5, flags 0xCE, keep alive 10, Session Expiry Interval 10. */
static const uint8_t v5_connect[] = {
    0x10, 0x31,                         /* CONNECT, remaining 49 */
    0x00, 0x04, 'M',  'Q',  'T',  'T',  /* protocol name */
    0x05, 0xCE, 0x00, 0x0A,             /* level, flags, keep alive */
    0x05, 0x11, 0x00, 0x00, 0x00, 0x0A, /* session expiry 10 */
    0x00, 0x03, 'c',  'i',  'd',        /* client id */
    0x07,                               /* will properties: */
    0x18, 0x00, 0x00, 0x00, 0x05,       /*   will delay 5 */
    0x01, 0x01,                         /*   payload format UTF-8 */
    0x00, 0x03, 'w',  '/',  't',        /* will topic */
    0x00, 0x03, 'b',  'y',  'e',        /* will payload */
    0x00, 0x04, 'u',  's',  'e',  'r',  /* user name */
    0x00, 0x02, 'p',  'w',              /* password */
};

static const uint8_t v5_connect_props[] = {
    0x10, 0x2E,                              /* CONNECT, remaining 46 */
    0x00, 0x04, 'M',  'Q',  'T',  'T',       /* protocol name */
    0x05, 0x02, 0x00, 0x3C,                  /* level, clean, keep alive */
    0x21,                                    /* properties, 33 bytes: */
    0x21, 0x00, 0x14,                        /*   receive maximum 20 */
    0x27, 0x00, 0x00, 0x10, 0x00,            /*   maximum packet 4096 */
    0x22, 0x00, 0x0A,                        /*   topic alias max 10 */
    0x19, 0x01,                              /*   request response 1 */
    0x17, 0x00,                              /*   request problem 0 */
    0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v', /*   user k=v */
    0x15, 0x00, 0x03, 'T',  'O',  'K',       /*   auth method */
    0x16, 0x00, 0x02, 0x01, 0x02,            /*   auth data */
    0x00, 0x00,                              /* empty client id */
};

static const uint8_t v5_connack[] = {
    0x20, 0x30,                        /* CONNACK, remaining 48 */
    0x00, 0x00,                        /* flags, success */
    0x2D,                              /* properties, 45 bytes: */
    0x22, 0x00, 0x0A,                  /*   topic alias max 10 */
    0x12, 0x00, 0x03, 'a',  'b',  'c', /*   assigned client id */
    0x24, 0x01,                        /*   maximum QoS 1 */
    0x25, 0x00,                        /*   retain available 0 */
    0x13, 0x00, 0x1E,                  /*   server keep alive 30 */
    0x28, 0x01,                        /*   wildcard subs 1 */
    0x29, 0x01,                        /*   subscription ids 1 */
    0x2A, 0x00,                        /*   shared subs 0 */
    0x1A, 0x00, 0x02, 'r',  'i',       /*   response information */
    0x1F, 0x00, 0x02, 'o',  'k',       /*   reason string */
    0x11, 0x00, 0x00, 0x00, 0x3C,      /*   session expiry 60 */
    0x21, 0x00, 0x64,                  /*   receive maximum 100 */
    0x27, 0x00, 0x01, 0x00, 0x00,      /*   maximum packet 65536 */
};

static const uint8_t v5_connack_refused[] = {
    0x20, 0x03, 0x00, 0x87, 0x00, /* not authorized, no properties */
};

/* Variable header is the 5.0 PUBLISH example (section 3.3.2):
 * topic "a/b", packet identifier 10, no properties. */
static const uint8_t v5_publish_qos1[] = {
    0x32, 0x0B,                 /* PUBLISH QoS 1, remaining 11 */
    0x00, 0x03, 'a',  '/', 'b', /* topic */
    0x00, 0x0A, 0x00,           /* packet id, no properties */
    'h',  'i',  '!',            /* payload */
};

static const uint8_t v5_publish_props[] = {
    0x30, 0x35,                              /* PUBLISH QoS 0, rem. 53 */
    0x00, 0x01, 't',                         /* topic */
    0x2F,                                    /* properties, 47 bytes: */
    0x01, 0x01,                              /*   payload format 1 */
    0x02, 0x00, 0x00, 0x00, 0x3C,            /*   message expiry 60 */
    0x03, 0x00, 0x04, 't',  'e',  'x',  't', /*   content type */
    0x08, 0x00, 0x03, 'r',  '/',  't',       /*   response topic */
    0x09, 0x00, 0x02, 0xAB, 0xCD,            /*   correlation data */
    0x0B, 0x05,                              /*   subscription id 5 */
    0x0B, 0x80, 0x01,                        /*   subscription id 128 */
    0x23, 0x00, 0x01,                        /*   topic alias 1 */
    0x26, 0x00, 0x01, 'a',  0x00, 0x01, 'b', /*   user a=b */
    0x26, 0x00, 0x01, 'a',  0x00, 0x01, 'c', /*   user a=c */
    '{',  '}',                               /* payload */
};

static const uint8_t v5_publish_alias[] = {
    0x34, 0x09,             /* PUBLISH QoS 2 */
    0x00, 0x00,             /* empty topic: alias stands in */
    0x00, 0x02,             /* packet id */
    0x03, 0x23, 0x00, 0x01, /* topic alias 1 */
    'x',                    /* payload */
};

static const uint8_t v5_puback[] = {0x40, 0x02, 0x00, 0x0A};

static const uint8_t v5_puback_reason[] = {
    0x40, 0x03, 0x00, 0x0A, 0x10, /* no matching subscribers */
};

static const uint8_t v5_puback_props[] = {
    0x40, 0x11, 0x00, 0x0A, 0x80,            /* unspecified error */
    0x0D,                                    /* properties, 13 bytes: */
    0x1F, 0x00, 0x03, 'b',  'a',  'd',       /*   reason string */
    0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v', /*   user k=v */
};

/* Longer forms 5.0 section 3.4.2.1 allows for the same meaning. */
static const uint8_t v5_puback_long3[] = {0x40, 0x03, 0x00, 0x0A, 0x00};
static const uint8_t v5_puback_long4[] = {0x40, 0x04, 0x00, 0x0A, 0x00, 0x00};
static const uint8_t v5_puback_long4_reason[] = {
    0x40, 0x04, 0x00, 0x0A, 0x10, 0x00,
};

static const uint8_t v5_pubrec[] = {
    0x50, 0x0B, 0x00, 0x0B, 0x10,                  /* no matching subscribers */
    0x07, 0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v', /* user k=v */
};

static const uint8_t v5_pubrel[] = {
    0x62, 0x03, 0x00, 0x0B, 0x92, /* packet identifier not found */
};

static const uint8_t v5_pubcomp[] = {
    0x70, 0x09, 0x00, 0x0B, 0x00,      /* success */
    0x05, 0x1F, 0x00, 0x02, 'o',  'k', /* reason string */
};

/* Variable header and payload follow the 5.0 SUBSCRIBE examples
 * (sections 3.8.2 and 3.8.3): packet id 10, no properties, "a/b" with
 * options 1, "c/d" with options 2. */
static const uint8_t v5_subscribe[] = {
    0x82, 0x0F, 0x00, 0x0A, 0x00,       /* SUBSCRIBE, packet id, no props */
    0x00, 0x03, 'a',  '/',  'b',  0x01, /* "a/b" QoS 1 */
    0x00, 0x03, 'c',  '/',  'd',  0x02, /* "c/d" QoS 2 */
};

static const uint8_t v5_subscribe_props[] = {
    0x82, 0x21, 0x00, 0x0B,                  /* SUBSCRIBE, packet id */
    0x09,                                    /* properties, 9 bytes: */
    0x0B, 0x2A,                              /*   subscription id 42 */
    0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v', /*   user k=v */
    0x00, 0x05, 's',  '/',  '+',  '/',  '#', /* "s/+/#" */
    0x2E,                                    /* QoS 2, NL, RAP, RH 2 */
    0x00, 0x0A, '$',  's',  'h',  'a',  'r',
    'e',  '/',  'g',  '/',  'x', /* "$share/g/x" */
    0x11,                        /* QoS 1, RH 1 */
};

static const uint8_t v5_suback[] = {
    0x90, 0x06, 0x00, 0x0A, 0x00, /* SUBACK, packet id, no props */
    0x00, 0x02, 0x80,             /* QoS 0, QoS 2, failure */
};

static const uint8_t v5_suback_props[] = {
    0x90, 0x0D, 0x00, 0x0B,            /* SUBACK, packet id */
    0x05, 0x1F, 0x00, 0x02, 'o',  'k', /* reason string */
    0x02, 0x01, 0x8F, 0x9E, 0xA2,      /* reason codes */
};

static const uint8_t v5_unsubscribe[] = {
    0xA2, 0x0D, 0x00, 0x0A, 0x00, /* UNSUBSCRIBE, packet id */
    0x00, 0x03, 'a',  '/',  'b',  /* "a/b" */
    0x00, 0x03, 'c',  '/',  'd',  /* "c/d" */
};

static const uint8_t v5_unsubscribe_props[] = {
    0xA2, 0x0D, 0x00, 0x0C,                       /* packet id 12 */
    0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', /* user k=v */
    0x00, 0x01, '#',                              /* "#" */
};

static const uint8_t v5_unsuback[] = {
    0xB0, 0x05, 0x00, 0x0A, 0x00, /* UNSUBACK, packet id */
    0x00, 0x11,                   /* success, no subscription */
};

static const uint8_t v5_unsuback_props[] = {
    0xB0, 0x0E, 0x00, 0x0C,            /* UNSUBACK, packet id */
    0x05, 0x1F, 0x00, 0x02, 'o',  'k', /* reason string */
    0x11, 0x87, 0x8F, 0x91, 0x80, 0x83,
};

static const uint8_t v5_pingreq[] = {0xC0, 0x00};
static const uint8_t v5_pingresp[] = {0xD0, 0x00};
static const uint8_t v5_disconnect[] = {0xE0, 0x00};
static const uint8_t v5_disconnect_will[] = {0xE0, 0x01, 0x04};

static const uint8_t v5_disconnect_props[] = {
    0xE0, 0x12, 0x8E,                  /* session taken over */
    0x10,                              /* properties, 16 bytes: */
    0x11, 0x00, 0x00, 0x00, 0x00,      /*   session expiry 0 */
    0x1F, 0x00, 0x02, 'o',  'k',       /*   reason string */
    0x1C, 0x00, 0x03, 's',  'r',  'v', /*   server reference */
};

static const uint8_t v5_disconnect_long[] = {0xE0, 0x02, 0x00, 0x00};

static const uint8_t v5_auth[] = {0xF0, 0x00};

static const uint8_t v5_auth_props[] = {
    0xF0, 0x10, 0x18,                             /* continue authentication */
    0x0E,                                         /* properties, 14 bytes: */
    0x15, 0x00, 0x05, 'S',  'C',  'R',  'A', 'M', /* auth method */
    0x16, 0x00, 0x03, 0x01, 0x02, 0x03,           /*   auth data */
};

#define V(name, ver, type, canon)                                              \
    {                                                                          \
#name, ver, type, name, sizeof(name), canon                            \
    }

const struct mqtt_vector mqtt_vectors[] = {
    V(v311_connect, MQTT_V311, MQTT_CONNECT, 1),
    V(v311_connect_min, MQTT_V311, MQTT_CONNECT, 1),
    V(v311_connack, MQTT_V311, MQTT_CONNACK, 1),
    V(v311_connack_refused, MQTT_V311, MQTT_CONNACK, 1),
    V(v311_publish_qos1, MQTT_V311, MQTT_PUBLISH, 1),
    V(v311_publish_qos0, MQTT_V311, MQTT_PUBLISH, 1),
    V(v311_publish_qos2, MQTT_V311, MQTT_PUBLISH, 1),
    V(v311_puback, MQTT_V311, MQTT_PUBACK, 1),
    V(v311_pubrec, MQTT_V311, MQTT_PUBREC, 1),
    V(v311_pubrel, MQTT_V311, MQTT_PUBREL, 1),
    V(v311_pubcomp, MQTT_V311, MQTT_PUBCOMP, 1),
    V(v311_subscribe, MQTT_V311, MQTT_SUBSCRIBE, 1),
    V(v311_suback, MQTT_V311, MQTT_SUBACK, 1),
    V(v311_unsubscribe, MQTT_V311, MQTT_UNSUBSCRIBE, 1),
    V(v311_unsuback, MQTT_V311, MQTT_UNSUBACK, 1),
    V(v311_pingreq, MQTT_V311, MQTT_PINGREQ, 1),
    V(v311_pingresp, MQTT_V311, MQTT_PINGRESP, 1),
    V(v311_disconnect, MQTT_V311, MQTT_DISCONNECT, 1),
    V(v5_connect, MQTT_V5, MQTT_CONNECT, 1),
    V(v5_connect_props, MQTT_V5, MQTT_CONNECT, 1),
    V(v5_connack, MQTT_V5, MQTT_CONNACK, 1),
    V(v5_connack_refused, MQTT_V5, MQTT_CONNACK, 1),
    V(v5_publish_qos1, MQTT_V5, MQTT_PUBLISH, 1),
    V(v5_publish_props, MQTT_V5, MQTT_PUBLISH, 1),
    V(v5_publish_alias, MQTT_V5, MQTT_PUBLISH, 1),
    V(v5_puback, MQTT_V5, MQTT_PUBACK, 1),
    V(v5_puback_reason, MQTT_V5, MQTT_PUBACK, 1),
    V(v5_puback_props, MQTT_V5, MQTT_PUBACK, 1),
    V(v5_puback_long3, MQTT_V5, MQTT_PUBACK, 0),
    V(v5_puback_long4, MQTT_V5, MQTT_PUBACK, 0),
    V(v5_puback_long4_reason, MQTT_V5, MQTT_PUBACK, 0),
    V(v5_pubrec, MQTT_V5, MQTT_PUBREC, 1),
    V(v5_pubrel, MQTT_V5, MQTT_PUBREL, 1),
    V(v5_pubcomp, MQTT_V5, MQTT_PUBCOMP, 1),
    V(v5_subscribe, MQTT_V5, MQTT_SUBSCRIBE, 1),
    V(v5_subscribe_props, MQTT_V5, MQTT_SUBSCRIBE, 1),
    V(v5_suback, MQTT_V5, MQTT_SUBACK, 1),
    V(v5_suback_props, MQTT_V5, MQTT_SUBACK, 1),
    V(v5_unsubscribe, MQTT_V5, MQTT_UNSUBSCRIBE, 1),
    V(v5_unsubscribe_props, MQTT_V5, MQTT_UNSUBSCRIBE, 1),
    V(v5_unsuback, MQTT_V5, MQTT_UNSUBACK, 1),
    V(v5_unsuback_props, MQTT_V5, MQTT_UNSUBACK, 1),
    V(v5_pingreq, MQTT_V5, MQTT_PINGREQ, 1),
    V(v5_pingresp, MQTT_V5, MQTT_PINGRESP, 1),
    V(v5_disconnect, MQTT_V5, MQTT_DISCONNECT, 1),
    V(v5_disconnect_will, MQTT_V5, MQTT_DISCONNECT, 1),
    V(v5_disconnect_props, MQTT_V5, MQTT_DISCONNECT, 1),
    V(v5_disconnect_long, MQTT_V5, MQTT_DISCONNECT, 0),
    V(v5_auth, MQTT_V5, MQTT_AUTH, 1),
    V(v5_auth_props, MQTT_V5, MQTT_AUTH, 1),
};

const size_t mqtt_vector_count = sizeof(mqtt_vectors) / sizeof(mqtt_vectors[0]);

static int span_eq(struct mqtt_span a, struct mqtt_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int props_eq(const struct mqtt_props *a, const struct mqtt_props *b)
{
    return span_eq(a->raw, b->raw) && a->present == b->present &&
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
           span_eq(a->content_type, b->content_type) &&
           span_eq(a->response_topic, b->response_topic) &&
           span_eq(a->correlation_data, b->correlation_data) &&
           span_eq(a->assigned_client_identifier,
                   b->assigned_client_identifier) &&
           span_eq(a->authentication_method, b->authentication_method) &&
           span_eq(a->authentication_data, b->authentication_data) &&
           span_eq(a->response_information, b->response_information) &&
           span_eq(a->server_reference, b->server_reference) &&
           span_eq(a->reason_string, b->reason_string);
}

int mqtt_test_packets_equal(const struct mqtt_packet *a,
                            const struct mqtt_packet *b)
{
    const struct mqtt_connect *ca = &a->connect, *cb = &b->connect;

    return a->type == b->type && a->version == b->version && a->dup == b->dup &&
           a->qos == b->qos && a->retain == b->retain &&
           a->session_present == b->session_present &&
           a->reason_code == b->reason_code && a->packet_id == b->packet_id &&
           props_eq(&a->props, &b->props) &&
           ca->clean_start == cb->clean_start && ca->will == cb->will &&
           ca->will_qos == cb->will_qos && ca->will_retain == cb->will_retain &&
           ca->has_username == cb->has_username &&
           ca->has_password == cb->has_password &&
           ca->keep_alive == cb->keep_alive &&
           span_eq(ca->client_id, cb->client_id) &&
           props_eq(&ca->will_props, &cb->will_props) &&
           span_eq(ca->will_topic, cb->will_topic) &&
           span_eq(ca->will_payload, cb->will_payload) &&
           span_eq(ca->username, cb->username) &&
           span_eq(ca->password, cb->password) && span_eq(a->topic, b->topic) &&
           span_eq(a->payload, b->payload) && span_eq(a->list, b->list) &&
           a->list_count == b->list_count;
}
