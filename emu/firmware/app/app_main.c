/* The product image's main loop: read a frame, serve it, answer. */
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "uart.h"

static uint32_t app_requests;
static uint8_t app_rx[APP_FRAME_MAX];
static struct app_reply app_reply;

uint32_t app_now(void)
{
    return app_requests;
}

void app_send(uint8_t channel, int status, const uint8_t *payload, size_t len)
{
    uint8_t hdr[APP_HEADER_LEN];

    hdr[0] = APP_SYNC;
    hdr[1] = channel;
    hdr[2] = (uint8_t)(int8_t)status;
    hdr[3] = (uint8_t)(len >> 8);
    hdr[4] = (uint8_t)len;
    uart_write(hdr, sizeof(hdr));
    uart_write(payload, len);
}

/* Waits for the next request header; returns its payload length. */
static size_t app_receive_header(uint8_t *channel)
{
    uint8_t hdr[APP_HEADER_LEN - 1];

    while (uart_getc() != APP_SYNC)
        ;
    uart_read(hdr, sizeof(hdr));
    *channel = hdr[0];
    return (size_t)hdr[2] << 8 | hdr[3];
}

static int app_dispatch(uint8_t channel, const uint8_t *data, size_t len,
                        struct app_reply *reply)
{
    switch (channel) {
    case APP_CH_MQTT:
        return app_mqtt_serve(data, len, reply);
    case APP_CH_COAP:
        return app_coap_serve(data, len, reply);
    case APP_CH_LOGIN:
        return app_login_serve(data, len, reply);
    default:
        return APP_ERR_CHANNEL;
    }
}

int main(void)
{
    uart_init();
    app_mqtt_init();
    app_login_init();
    for (;;) {
        uint8_t channel;
        size_t len = app_receive_header(&channel);
        int status;

        app_requests++;
        app_reply.len = 0;
        if (len > sizeof(app_rx)) {
            /* Drop the payload so the next frame starts in sync. */
            while (len-- > 0)
                (void)uart_getc();
            status = APP_ERR_TOO_LONG;
        } else {
            uart_read(app_rx, len);
            status = app_dispatch(channel, app_rx, len, &app_reply);
        }
        app_send(channel, status, app_reply.payload, app_reply.len);
    }
}
