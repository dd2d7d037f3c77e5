/* CoAP service: two read-only resources, RFC 7252 message rules. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "coap/builder.h"
#include "coap/message.h"
#include "coap/option.h"
#include "coap/uri.h"

/* clang-format off */
#define APP_COAP_TEXT_PLAIN  0  /* Content-Format text/plain (RFC 7252 12.3) */
#define APP_COAP_LINK_FORMAT 40 /* application/link-format (RFC 6690) */
#define APP_COAP_PATH_MAX    64 /* longest request path served */
/* clang-format on */

struct app_coap_resource {
    const char *path;
    uint16_t content_format;
    const char *body;
};

static const struct app_coap_resource app_coap_resources[] = {
    {"/.well-known/core", APP_COAP_LINK_FORMAT,
     "</fw/version>;rt=\"fwfuzz.version\";ct=0"},
    {"/fw/version", APP_COAP_TEXT_PLAIN, "fwfuzz-app 0.1.0"},
};

static uint16_t app_coap_next_mid;

/* A Reset for a CON message that cannot be processed (section 4.2). */
static int app_coap_reset(const uint8_t *data, size_t len,
                          struct app_reply *reply)
{
    struct coap_builder b;
    uint16_t mid;

    if (len < COAP_HEADER_LEN || (data[0] >> 6) != COAP_VERSION ||
        ((data[0] >> 4) & 3) != COAP_TYPE_CON)
        return 0; /* anything else is ignored silently */
    mid = (uint16_t)(data[2] << 8 | data[3]);
    if (coap_builder_init(&b, reply->payload, sizeof(reply->payload),
                          COAP_TYPE_RST, COAP_CODE_EMPTY, mid, NULL, 0) != 0)
        return 0;
    return coap_builder_finish(&b, &reply->len);
}

static int app_coap_respond(const struct coap_message *req, uint8_t code,
                            const struct app_coap_resource *res,
                            struct app_reply *reply)
{
    struct coap_builder b;
    enum coap_type type = COAP_TYPE_ACK; /* piggybacked (section 5.2.1) */
    uint16_t mid = req->message_id;
    int rc;

    if (req->type == COAP_TYPE_NON) {
        type = COAP_TYPE_NON;
        mid = app_coap_next_mid++;
    }
    rc = coap_builder_init(&b, reply->payload, sizeof(reply->payload), type,
                           code, mid, req->token.data, req->token.len);
    if (rc == 0 && res != NULL)
        rc = coap_builder_add_uint(&b, COAP_OPTION_CONTENT_FORMAT,
                                   res->content_format);
    if (rc == 0 && res != NULL)
        rc = coap_builder_set_payload(&b, (const uint8_t *)res->body,
                                      strlen(res->body));
    if (rc == 0)
        rc = coap_builder_finish(&b, &reply->len);
    if (rc != 0)
        reply->len = 0;
    return rc;
}

static const struct app_coap_resource *app_coap_find(const char *path)
{
    size_t i;

    for (i = 0; i < sizeof(app_coap_resources) / sizeof(app_coap_resources[0]);
         i++) {
        if (strcmp(app_coap_resources[i].path, path) == 0)
            return &app_coap_resources[i];
    }
    return NULL;
}

int app_coap_serve(const uint8_t *data, size_t len, struct app_reply *reply)
{
    struct coap_message req;
    struct coap_option_report report;
    const struct app_coap_resource *res;
    char path[APP_COAP_PATH_MAX];
    int rc;

    rc = coap_parse(data, len, &req);
    if (rc == 0)
        rc = coap_message_check_usage(&req);
    if (rc != 0) {
        (void)app_coap_reset(data, len, reply);
        return rc;
    }
    if (req.code == COAP_CODE_EMPTY) /* CoAP ping (section 4.3) */
        return app_coap_reset(data, len, reply);
    if (COAP_CODE_CLASS(req.code) != 0)
        return 0; /* a response: we sent no request */
    rc = coap_options_validate(&req, NULL, 0, &report);
    if (rc == COAP_ERR_BAD_OPTION) {
        if (req.type == COAP_TYPE_CON)
            (void)app_coap_respond(&req, COAP_CODE_BAD_OPTION, NULL, reply);
        return rc;
    }
    if (rc != 0)
        return rc;
    if (coap_uri_path_join(&req, path, sizeof(path), NULL) != 0)
        return app_coap_respond(&req, COAP_CODE_BAD_REQUEST, NULL, reply);
    res = app_coap_find(path);
    if (res == NULL)
        return app_coap_respond(&req, COAP_CODE_NOT_FOUND, NULL, reply);
    if (req.code != COAP_CODE_GET)
        return app_coap_respond(&req, COAP_CODE_METHOD_NOT_ALLOWED, NULL,
                                reply);
    return app_coap_respond(&req, COAP_CODE_CONTENT, res, reply);
}
