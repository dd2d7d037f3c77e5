/* Between the native drivers and the oracle runtime (oracle.c). */
#ifndef FWFUZZ_ORACLE_RUNTIME_H
#define FWFUZZ_ORACLE_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* How far below the caller's frame the target's frames start; the
 * oracles' own frames stay above that. */
#define FWFUZZ_ORACLE_STACK_GAP 4096

/* Around one run of the fuzz target; caller_frame is an address in the
 * frame that calls it: the stack below it is the run's. data is the
 * input: what it holds is public. */
void fwfuzz_oracle_begin(void *caller_frame, const uint8_t *data, size_t size);
void fwfuzz_oracle_end(void);

/* Whether a run is being watched (natively: between begin and end; in a
 * fuzzing image: always, the emulator decides). The checks of
 * oracle_checks.c do nothing when it is 0. */
int fwfuzz_oracle_listening(void);

#endif
