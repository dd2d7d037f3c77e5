/* The GDB remote protocol's transport (gdb_conn.c), for gdbstub.c. */
#ifndef EMU_GDB_CONN_H
#define EMU_GDB_CONN_H

#include <stddef.h>

/* Largest packet body either side sends; advertised as PacketSize. */
#define GDB_PACKET_MAX 4096

struct gdb_conn {
    int fd;
    int owned;  /* accepted here: closed by gdb_conn_close */
    int no_ack; /* after QStartNoAckMode */
    unsigned char in[512];
    size_t at, have;
    char out[GDB_PACKET_MAX + 4]; /* one packet as it goes out */
};

/*
 * fd listening: accepts one connection; else uses fd as the connection.
 * 0, or -1 when accept failed.
 */
int gdb_conn_open(struct gdb_conn *c, int fd);
void gdb_conn_close(struct gdb_conn *c);

/*
 * The next packet whose checksum is right, unescaped and NUL-terminated in
 * out (max bytes; longer ones are NAKed). 0, or -1 at end of stream.
 */
int gdb_conn_recv(struct gdb_conn *c, char *out, size_t max, size_t *len);

/* Sends one packet (and waits for its ack). 0, or -1 when the link broke. */
int gdb_conn_send(struct gdb_conn *c, const char *data, size_t len);
int gdb_conn_send_str(struct gdb_conn *c, const char *s);

#endif
