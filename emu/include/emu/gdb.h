/* A GDB remote stub: one run of the entry under a debugger's control. */
#ifndef EMU_GDB_H
#define EMU_GDB_H

#include <stddef.h>
#include <stdint.h>

#include "emu/emu.h"

/* emu_gdb_serve: the debugger left (k, vKill, lost connection) first. */
#define EMU_GDB_UNFINISHED 1

/*
 * Opens a TCP socket listening on 127.0.0.1:port (0: a free port the
 * system picks). On EMU_OK, *fd is the socket (the caller closes it) and
 * *bound the port it listens on. EMU_ERR_ARG when fd or bound is NULL or
 * port > 65535, EMU_ERR_IO when the socket cannot be opened, bound or
 * listened on; errbuf (if not NULL) then says why.
 */
int emu_gdb_listen(unsigned port, int *fd, unsigned *bound, char *errbuf,
                   size_t errlen);

/*
 * Runs the entry once on input, as emu_run does, under the control of a
 * GDB that speaks the remote serial protocol on fd: a listening socket
 * (one connection is accepted, then fd is left open) or a connected
 * stream (socketpair; it is used as is). The run starts stopped on the
 * entry's first instruction. Breakpoints (Z0/Z1) are addresses the stub
 * checks before each instruction; guest memory is never patched. The
 * block budget holds across the whole session; single steps count one
 * block each, so res->blocks may exceed a plain run's.
 *
 * Returns EMU_OK when the run reached its verdict (in *res, the same as
 * emu_run's for the same input: class, PC, registers at the stop); a
 * detach (D) lets it run to its verdict. EMU_GDB_UNFINISHED when the
 * debugger killed the run or the connection closed before the verdict
 * (*res then zeroed). Negative: EMU_ERR_ARG (e or res NULL, input NULL
 * with len > 0), EMU_ERR_STATE (no entry set), EMU_ERR_IO (accept, read
 * or write on the connection failed), EMU_ERR_UNICORN (as emu_run).
 * Leaves e ready for further emu_run calls.
 */
int emu_gdb_serve(struct emu *e, int fd, const uint8_t *input, size_t len,
                  struct emu_result *res);

#endif
