/* The product image: request frames on the UART, three services behind them. */
#ifndef FWFUZZ_APP_H
#define FWFUZZ_APP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Frame, both directions (docs/emulation.md, "The application's protocol"):
 *
 *   offset  size  field
 *   0       1     sync     APP_SYNC; the receiver skips bytes until it sees it
 *   1       1     channel  APP_CH_*; a response carries the request's
 *   2       1     status   request: 0; response: 0 or a negative code
 *   3       2     length   payload bytes, big-endian, at most APP_FRAME_MAX
 *   5       len   payload
 *
 * Every request frame gets exactly one response frame, possibly preceded by
 * APP_CH_LOG frames (status = enum cred_log_level, payload = the line).
 */
/* clang-format off */
#define APP_SYNC        0xA5u
#define APP_HEADER_LEN  5u
#define APP_FRAME_MAX   1024u  /* longest payload either way */

#define APP_CH_MQTT     0x01u  /* bytes of one MQTT connection, a stream */
#define APP_CH_COAP     0x02u  /* one CoAP datagram */
#define APP_CH_LOGIN    0x03u  /* u8 user length, user, password */
#define APP_CH_LOG      0x04u  /* device to host only: a log line */

#define APP_ERR_CHANNEL  (-100) /* unknown channel */
#define APP_ERR_TOO_LONG (-101) /* payload above APP_FRAME_MAX, dropped */
#define APP_ERR_FORMAT   (-102) /* payload malformed for its channel */
/* clang-format on */

/* A response under construction: the services write their payload here. */
struct app_reply {
    uint8_t payload[APP_FRAME_MAX];
    size_t len;
};

/* Sends one frame. */
void app_send(uint8_t channel, int status, const uint8_t *payload, size_t len);

/* Request count: the board has no timer, so the lockout counts requests. */
uint32_t app_now(void);

/* Services: each returns the response status and fills *reply. */
void app_mqtt_init(void);
int app_mqtt_serve(const uint8_t *data, size_t len, struct app_reply *reply);
int app_coap_serve(const uint8_t *data, size_t len, struct app_reply *reply);
void app_login_init(void);
int app_login_serve(const uint8_t *data, size_t len, struct app_reply *reply);

/*
 * Checks user/password against the provisioned account (lockout included).
 * Returns 0 or a CRED_ERR_* code.
 */
int app_login_check(const uint8_t *user, size_t user_len,
                    const uint8_t *password, size_t password_len);

/* Factory provisioning blob (cred/provision.h), generated at build time. */
extern const uint8_t app_provision_blob[];
extern const size_t app_provision_blob_len;

#endif
