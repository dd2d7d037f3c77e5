/*
 * Prints SHA-256 throughput and Ed25519 key/sign/verify times on the host.
 * The machine may be shared: each figure is the fastest of several
 * batches, timed in process CPU time (time spent descheduled not counted).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"

#define BENCH_BATCHES 5
#define BENCH_ED_RUNS 100

enum bench_op { BENCH_SHA256, BENCH_PUBKEY, BENCH_SIGN, BENCH_VERIFY };

static uint8_t bench_buf[1 << 20];
static uint8_t bench_seed[ED25519_SEED_LEN], bench_pub[ED25519_PUBLIC_KEY_LEN];
static uint8_t bench_sig[ED25519_SIGNATURE_LEN], bench_msg[256];
static uint8_t bench_digest[SHA256_DIGEST_LEN];
static int bench_rejected;

static double bench_cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds per operation, fastest batch. */
static double bench_run(enum bench_op op, int runs)
{
    double best = 1e9, t0, dt;
    int b, i;

    for (b = 0; b < BENCH_BATCHES; b++) {
        t0 = bench_cpu_now();
        for (i = 0; i < runs; i++) {
            switch (op) {
            case BENCH_SHA256:
                sha256(bench_buf, sizeof(bench_buf), bench_digest);
                break;
            case BENCH_PUBKEY:
                bench_seed[0] = (uint8_t)i;
                ed25519_public_key(bench_pub, bench_seed);
                break;
            case BENCH_SIGN:
                bench_msg[0] = (uint8_t)i;
                ed25519_sign(bench_sig, bench_msg, sizeof(bench_msg),
                             bench_seed, bench_pub);
                break;
            case BENCH_VERIFY:
                bench_rejected +=
                    ed25519_verify(bench_sig, bench_msg, sizeof(bench_msg),
                                   bench_pub) != ED25519_OK;
                break;
            }
        }
        dt = (bench_cpu_now() - t0) / runs;
        if (dt < best)
            best = dt;
    }
    return best;
}

int main(void)
{
    size_t j;
    double t;

    for (j = 0; j < sizeof(bench_buf); j++)
        bench_buf[j] = (uint8_t)(j * 131 + 7);
    memset(bench_seed, 0x42, sizeof(bench_seed));
    memset(bench_msg, 0x5a, sizeof(bench_msg));

    t = bench_run(BENCH_SHA256, 16);
    printf("sha256:          %8.1f MB/s (1 MiB messages)\n",
           (double)sizeof(bench_buf) / t / 1e6);
    t = bench_run(BENCH_PUBKEY, BENCH_ED_RUNS);
    printf("ed25519 pubkey:  %8.1f us\n", t * 1e6);
    t = bench_run(BENCH_SIGN, BENCH_ED_RUNS);
    printf("ed25519 sign:    %8.1f us (%zu-byte message)\n", t * 1e6,
           sizeof(bench_msg));
    t = bench_run(BENCH_VERIFY, BENCH_ED_RUNS);
    printf("ed25519 verify:  %8.1f us (%zu-byte message)\n", t * 1e6,
           sizeof(bench_msg));
    if (bench_rejected != 0) {
        fprintf(stderr, "crypto_bench: %d verifications failed\n",
                bench_rejected);
        return 1;
    }
    return 0;
}
