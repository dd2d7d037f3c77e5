/* The guard: a small process that outlives fwfuzz just long enough to kill
 * every process fwfuzz started, with their children, when fwfuzz dies
 * without cleaning up (kill -9, OOM killer). */
#ifndef FWFUZZ_GUARD_H
#define FWFUZZ_GUARD_H

#include <sys/types.h>

/*
 * Tells the guard about a new process group (a child started by
 * proc_spawn, which leads its own group). The guard is started on the
 * first call. If fwfuzz ends while groups are listed, the guard kills
 * them with SIGKILL, and with them every descendant it finds in /proc,
 * including those in sessions of their own (afl-fuzz's fork server).
 * Failures are silent: the guard is a safety net, PR_SET_PDEATHSIG the
 * first line.
 */
void guard_add(pid_t pgid);
/* The group's leader was reaped: no longer the guard's concern. */
void guard_remove(pid_t pgid);

#endif
