/*
 * The GDB remote serial protocol's transport: a listening socket on
 * 127.0.0.1, packets "$data#cs" with their checksums and +/- acks (off
 * after QStartNoAckMode).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emu/gdb.h"
#include "gdb_conn.h"
#include "internal.h"

#define RESEND_MAX 8 /* NAKs in a row before the link counts as broken */

static int listen_fail(int fd, const char *what, char *errbuf, size_t errlen)
{
    if (errbuf != NULL && errlen > 0)
        snprintf(errbuf, errlen, "%s: %s", what, strerror(errno));
    if (fd >= 0)
        close(fd);
    return EMU_ERR_IO;
}

int emu_gdb_listen(unsigned port, int *fd, unsigned *bound, char *errbuf,
                   size_t errlen)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int s, one = 1;

    if (fd == NULL || bound == NULL || port > 65535)
        return EMU_ERR_ARG;
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return listen_fail(-1, "socket", errbuf, errlen);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0)
        return listen_fail(s, "bind 127.0.0.1", errbuf, errlen);
    if (listen(s, 1) != 0)
        return listen_fail(s, "listen", errbuf, errlen);
    if (getsockname(s, (struct sockaddr *)&a, &alen) != 0)
        return listen_fail(s, "getsockname", errbuf, errlen);
    *fd = s;
    *bound = ntohs(a.sin_port);
    return EMU_OK;
}

int gdb_conn_open(struct gdb_conn *c, int fd)
{
    int listening = 0, one = 1;
    socklen_t n = sizeof(listening);

    memset(c, 0, sizeof(*c));
    c->fd = -1;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &n) == 0 &&
        listening) {
        do
            c->fd = accept(fd, NULL, NULL);
        while (c->fd < 0 && errno == EINTR);
        if (c->fd < 0)
            return -1;
        c->owned = 1;
        /* Request, reply: small packets that must not wait for each other. */
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        return 0;
    }
    c->fd = fd;
    return 0;
}

void gdb_conn_close(struct gdb_conn *c)
{
    if (c->owned && c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* The next byte from the peer; -1 at end of stream or on error. */
static int get_byte(struct gdb_conn *c)
{
    ssize_t n;

    if (c->at == c->have) {
        do
            n = read(c->fd, c->in, sizeof(c->in));
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        c->at = 0;
        c->have = (size_t)n;
    }
    return c->in[c->at++];
}

static int write_all(struct gdb_conn *c, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(c->fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * The body of one packet after its '$', unescaped; 1 when it arrived
 * whole with the right checksum, 0 when not (too long, bad checksum).
 */
static int read_body(struct gdb_conn *c, char *out, size_t max, size_t *len)
{
    unsigned sum = 0;
    int ch, hi, lo, ok = 1, escaped = 0;

    *len = 0;
    while ((ch = get_byte(c)) >= 0 && ch != '#') {
        sum += (unsigned)ch;
        if (escaped) {
            ch ^= 0x20;
            escaped = 0;
        } else if (ch == '}') {
            escaped = 1;
            continue;
        }
        if (*len + 1 < max)
            out[(*len)++] = (char)ch;
        else
            ok = 0;
    }
    if (ch < 0 || (hi = emu_hex_digit(get_byte(c))) < 0 ||
        (lo = emu_hex_digit(get_byte(c))) < 0)
        return ch < 0 ? -1 : 0;
    out[*len] = '\0';
    return ok && (unsigned)(hi << 4 | lo) == (sum & 0xFF);
}

int gdb_conn_recv(struct gdb_conn *c, char *out, size_t max, size_t *len)
{
    int ch, r;

    for (;;) {
        /* Acks, NAKs and interrupts between packets are dropped. */
        while ((ch = get_byte(c)) >= 0 && ch != '$')
            ;
        if (ch < 0)
            return -1;
        r = read_body(c, out, max, len);
        if (r < 0)
            return -1;
        if (c->no_ack) {
            if (r == 1)
                return 0;
            continue;
        }
        if (write_all(c, r == 1 ? "+" : "-", 1) != 0)
            return -1;
        if (r == 1)
            return 0;
    }
}

int gdb_conn_send(struct gdb_conn *c, const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned sum = 0, tries;
    size_t i;
    int ch;

    if (len > GDB_PACKET_MAX)
        return -1;
    /* One write per packet: "$", the data, "#" and the checksum. */
    c->out[0] = '$';
    for (i = 0; i < len; i++) {
        sum += (unsigned char)data[i];
        c->out[1 + i] = data[i];
    }
    c->out[1 + len] = '#';
    c->out[2 + len] = hex[(sum >> 4) & 0xF];
    c->out[3 + len] = hex[sum & 0xF];
    for (tries = 0; tries < RESEND_MAX; tries++) {
        if (write_all(c, c->out, len + 4) != 0)
            return -1;
        if (c->no_ack)
            return 0;
        ch = get_byte(c);
        if (ch == '+')
            return 0;
        if (ch != '-') {
            /* Not an ack: the peer went on; let recv see what it sent. */
            if (ch >= 0)
                c->at--;
            return ch < 0 ? -1 : 0;
        }
    }
    return -1;
}

int gdb_conn_send_str(struct gdb_conn *c, const char *s)
{
    return gdb_conn_send(c, s, strlen(s));
}
